/**
 * The HTTP API (and, when built, the designer's static files) as a Hono app. The app is
 * independent of the Node server so that tests drive it with `app.request()`.
 *
 * Every error under `/api` has the shape `{ "error": { "code", "message", "path"? } }`.
 *
 * Two kinds of routes: the public ones ({@link PUBLIC_API_PATHS}: health, catalog, schema,
 * validate, this API's description; {@link PUBLIC_API_PATTERNS}: webhook calls, which check their
 * own secret) and everything else under `/api`, which passes ONE place first, the `guard`
 * middleware, where authentication goes. A route added later is guarded unless its path is added
 * to the public list.
 */
import { existsSync, readFileSync } from 'node:fs'
import { extname, join } from 'node:path'
import { serveStatic } from '@hono/node-server/serve-static'
import { Hono, type MiddlewareHandler } from 'hono'
import { HTTPException } from 'hono/http-exception'
import { secureHeaders } from 'hono/secure-headers'
import { rateLimiter } from 'hono-rate-limiter'
import {
  ELEMENT_TYPES,
  type ElementType,
  FORMAT_VERSION,
  graphSchema,
  importGraph,
  paletteFor,
} from '../../shared/index.js'
import { AUTH_PATHS } from '../auth/auth.js'
import { authGuard, principalOf, registerAuthRoutes } from './auth-api.js'
import { clientAddress } from './client-address.js'
import { DOCS_PATH, registerDocsPage } from './docs-page.js'
import { type ApiErrorBody, apiError, knownErrorResponse } from './errors.js'
import { readBodyText } from './input.js'
import { openApiDocument } from './openapi.js'
import { registerRuntimeApi, type Services } from './runtime-api.js'
import { VERSION } from './version.js'

export type { Services } from './runtime-api.js'

/** The largest graph `POST /api/validate` accepts. */
export const MAX_BODY_BYTES = 5 * 1024 * 1024

export type ApiError = ApiErrorBody

/** The routes under `/api` that answer without passing the guard. */
export const PUBLIC_API_PATHS: ReadonlySet<string> = new Set([
  '/api/health',
  '/api/catalog',
  '/api/schema',
  '/api/openapi.json',
  '/api/validate',
  DOCS_PATH,
])

/**
 * Public routes with parameters, matched against the whole path: `POST /api/webhooks/{flowId}/{triggerId}`,
 * whose callers (other systems) authenticate with the webhook's own secret, checked by its handler. One
 * segment each, as the router matches `:flowId` and `:triggerId`; nothing else is served under `/api/webhooks/`.
 * And the docs page's files (`/api/docs/<file>`): the page that reads the public description.
 */
export const PUBLIC_API_PATTERNS: readonly RegExp[] = [
  /^\/api\/webhooks\/[^/]+\/[^/]+$/,
  /^\/api\/docs\/[^/]+$/,
  // A document's public link (its token is its only key): what it is, and its PDF.
  /^\/api\/public\/documents\/[^/]+(\/pdf)?$/,
  // A signer's personal link: the page's data, the PDF, consent, signing, declining.
  /^\/api\/public\/signing\/[^/]+(\/(pdf|consent|code|sign|decline))?$/,
  // The verify page's check of an uploaded PDF.
  /^\/api\/public\/verify$/,
]

/** Sign-in itself: exactly the few better-auth endpoints that are served (any other `/api/auth/…` is guarded). */
const SIGN_IN_PATHS: ReadonlySet<string> = new Set(AUTH_PATHS)

/** Whether a request to `path` skips the guard. */
export function isPublicApiPath(path: string): boolean {
  return PUBLIC_API_PATHS.has(path) || SIGN_IN_PATHS.has(path) || PUBLIC_API_PATTERNS.some((p) => p.test(path))
}

export interface AppOptions {
  /** A built designer (`dist/`); unknown non-API GET paths fall back to its `index.html`. */
  staticDir?: string
  /**
   * Storage and the runtime on it. Without them the runtime routes (pipelines, flows, elements,
   * outbox, …) answer 503 `no-storage`; the public routes work either way.
   */
  services?: Services
  /**
   * How many requests one address may make a minute to the public endpoints anyone can reach: webhook
   * calls (per webhook) and `POST /api/validate`. Default 120 and 60. And how many wrong current passwords
   * one user may give `POST /api/me/password` in 15 minutes (default 5).
   */
  rateLimits?: {
    webhookPerMinute?: number
    validatePerMinute?: number
    publicPerMinute?: number
    verifyPerMinute?: number
    passwordChangePerWindow?: number
  }
  /**
   * Runs before every `/api` route except the public ones ({@link PUBLIC_API_PATHS}), including
   * unknown paths: the place for authentication. Default: lets everything through.
   */
  guard?: MiddlewareHandler
}

const SAFE_METHODS: ReadonlySet<string> = new Set(['GET', 'HEAD', 'OPTIONS'])

function isApiPath(path: string): boolean {
  return path === '/api' || path.startsWith('/api/')
}

function isElementType(value: string): value is ElementType {
  return (ELEMENT_TYPES as readonly string[]).includes(value)
}

const NO_BUILD_PAGE = `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>Signflow</title></head>
<body style="font-family: system-ui, sans-serif; max-width: 40rem; margin: 3rem auto; padding: 0 1rem; line-height: 1.5">
<h1>Signflow</h1>
<p>The API is running, but the designer page has not been built yet.</p>
<p>Run <code>npm run build</code> first (or use <code>npm start</code>, which builds and serves), then reload this page.</p>
<p>The API answers under <a href="/api/health">/api/health</a>; its description is at <a href="/api/openapi.json">/api/openapi.json</a>, to read at <a href="/api/docs">/api/docs</a>.</p>
</body>
</html>
`

/**
 * The web app's pages (and the API docs page) may run only our own scripts: no inline script, no eval, no
 * other origin, not framed. Styles may be inline (MUI writes its styles at run time). JSON answers of the
 * API do not need them and are left alone (they are on the hot path).
 */
export const CONTENT_SECURITY_POLICY = {
  defaultSrc: ["'self'"],
  scriptSrc: ["'self'"],
  styleSrc: ["'self'", "'unsafe-inline'"],
  imgSrc: ["'self'", 'data:', 'blob:'],
  fontSrc: ["'self'", 'data:'],
  connectSrc: ["'self'"],
  objectSrc: ["'none'"],
  baseUri: ["'self'"],
  formAction: ["'self'"],
  frameAncestors: ["'none'"],
}

const pageHeaders = secureHeaders({
  contentSecurityPolicy: CONTENT_SECURITY_POLICY,
  referrerPolicy: 'no-referrer',
  xFrameOptions: 'DENY',
  // A handler's own stricter headers (a file's sandbox) stay.
  overwrite: false,
})

export function createApp(options: AppOptions = {}): Hono {
  const app = new Hono()

  app.use('*', (c, next) => {
    const path = c.req.path
    return isApiPath(path) && path !== DOCS_PATH && !path.startsWith(`${DOCS_PATH}/`) ? next() : pageHeaders(c, next)
  })

  // Public endpoints anyone can reach are limited per caller address (the socket's: headers can lie).
  // Webhooks are limited per webhook (its path); public links and the verify check per address, whatever the
  // token: each guessed token would otherwise get a fresh allowance.
  const limit = (perMinute: number, bucket?: string) =>
    rateLimiter({
      windowMs: 60_000,
      limit: perMinute,
      standardHeaders: 'draft-7',
      keyGenerator: (c) => `${clientAddress(c) ?? 'local'} ${bucket ?? c.req.path}`,
      handler: (c) =>
        apiError(c, 429, 'rate-limited', 'Too many requests from this address; wait a minute and try again.'),
    })
  app.use('/api/webhooks/*', limit(options.rateLimits?.webhookPerMinute ?? 120))
  app.use('/api/validate', limit(options.rateLimits?.validatePerMinute ?? 60))
  // Public links: enough for a person reading and signing a few documents.
  app.use('/api/public/*', limit(options.rateLimits?.publicPerMinute ?? 120, 'public'))
  // Checking an upload hashes up to 10 MB for each signature in it: fewer a minute.
  app.use('/api/public/verify', limit(options.rateLimits?.verifyPerMinute ?? 10, 'verify'))

  const signIn = options.services?.auth !== undefined
  app.get('/api/health', (c) => c.json({ status: 'ok', version: VERSION, formatVersion: FORMAT_VERSION, signIn }))

  app.get('/api/catalog', (c) => {
    const elementType = c.req.query('elementType') ?? 'deal'
    if (!isElementType(elementType)) {
      return apiError(
        c,
        400,
        'bad-request',
        `Unknown elementType "${elementType}"; use one of: ${ELEMENT_TYPES.join(', ')}.`,
      )
    }
    return c.json(paletteFor(elementType))
  })

  app.get('/api/schema', (c) => c.json(graphSchema))

  app.get('/api/openapi.json', (c) => c.json(openApiDocument))
  registerDocsPage(app)

  app.post('/api/validate', async (c) => {
    const text = await readBodyText(c, MAX_BODY_BYTES)
    const result = importGraph(text)
    if (result.syntaxError) {
      const finding = result.findings[0]
      return apiError(c, 400, 'not-json', finding?.message ?? result.syntaxError.message, {
        line: result.syntaxError.line,
        column: result.syntaxError.column,
      })
    }
    return c.json({ valid: result.valid, findings: result.findings })
  })

  // A known endpoint asked with the wrong method.
  const allowed: Record<string, string> = {
    '/api/health': 'GET, HEAD',
    '/api/catalog': 'GET, HEAD',
    '/api/schema': 'GET, HEAD',
    '/api/openapi.json': 'GET, HEAD',
    '/api/validate': 'POST',
  }
  for (const [path, allow] of Object.entries(allowed)) {
    app.all(path, (c) => {
      c.header('Allow', allow)
      return apiError(c, 405, 'method-not-allowed', `${c.req.method} is not allowed on ${path}; use ${allow}.`)
    })
  }

  // The ONE place in front of every other /api route (and unknown /api paths, and /api itself):
  // authentication. With sign-in (services.auth): a session cookie or an API token, else 401.
  const auth = options.services?.auth
  if (auth && options.services) {
    registerAuthRoutes(app, auth)
  }
  const guard = options.guard ?? (auth && options.services ? authGuard(auth, options.services) : undefined)
  app.use('/api/*', async (c, next) => {
    if (guard === undefined || isPublicApiPath(c.req.path)) return next()
    return guard(c, next)
  })
  if (auth) {
    // A change carried by a session cookie must come from our own pages, whatever its content type: its Origin
    // (which browsers send with every POST, PUT, PATCH and DELETE) is ours. A form or a script on another site
    // is refused before anything reads its body. API tokens are not sent by browsers on their own.
    const ownOrigin = new URL(auth.options.baseURL ?? 'http://localhost').origin
    app.use('/api/*', async (c, next) => {
      if (principalOf(c)?.via !== 'session' || SAFE_METHODS.has(c.req.method)) return next()
      const origin = c.req.header('origin')
      if (origin === ownOrigin || (origin === undefined && c.req.header('sec-fetch-site') === 'same-origin')) {
        return next()
      }
      return apiError(
        c,
        403,
        'forbidden',
        `A change made with the sign-in cookie must come from Signflow's own pages (Origin: ${ownOrigin}); scripts use an API token.`,
      )
    })
    // Guesses of one's own current password are limited per user, as sign-in is per address: five wrong ones
    // in 15 minutes, then 429 until the window passes. Right ones do not count.
    app.use(
      '/api/me/password',
      rateLimiter({
        windowMs: 15 * 60_000,
        limit: options.rateLimits?.passwordChangePerWindow ?? 5,
        skipSuccessfulRequests: true,
        standardHeaders: 'draft-7',
        keyGenerator: (c) => `password ${principalOf(c)?.userId ?? clientAddress(c) ?? 'local'}`,
        handler: (c) => apiError(c, 429, 'rate-limited', 'Too many wrong passwords; wait 15 minutes and try again.'),
      }),
    )
  }
  registerRuntimeApi(app, options.services)

  const staticDir = options.staticDir
  if (staticDir !== undefined) {
    app.use('*', async (c, next) => {
      if (isApiPath(c.req.path)) return next()
      return serveStatic({ root: staticDir })(c, next)
    })
  }

  let indexHtml: string | undefined
  app.notFound((c) => {
    const path = c.req.path
    if (isApiPath(path)) return apiError(c, 404, 'not-found', `No API endpoint ${c.req.method} ${path}.`)
    const isPageRequest = (c.req.method === 'GET' || c.req.method === 'HEAD') && extname(path) === ''
    if (staticDir === undefined) {
      if (isPageRequest) return c.html(NO_BUILD_PAGE, path === '/' ? 200 : 404)
      return c.text('Not found', 404)
    }
    // SPA fallback: page paths get the designer's index.html; missing assets stay 404.
    if (isPageRequest) {
      indexHtml ??= readIndexHtml(staticDir)
      if (indexHtml !== undefined) return c.html(indexHtml)
    }
    return c.text('Not found', 404)
  })

  app.onError((error, c) => {
    const known = knownErrorResponse(c, error)
    if (known) return known
    if (error instanceof HTTPException) {
      const status = error.status
      if (status === 413) return apiError(c, 413, 'payload-too-large', 'The request body is too large.')
      if (status === 403) {
        return apiError(
          c,
          403,
          'forbidden',
          'This request does not come from our own pages (its Origin is another site, or missing). Send it from ' +
            'the app, or use an API token.',
        )
      }
      if (status >= 400 && status < 500) {
        return apiError(c, status, 'bad-request', error.message || 'The request could not be read.')
      }
    }
    console.error(`signflow: ${c.req.method} ${c.req.path} failed:`, error)
    return apiError(c, 500, 'internal', 'Something went wrong on the server; the details are in its log.')
  })

  return app
}

function readIndexHtml(staticDir: string): string | undefined {
  const file = join(staticDir, 'index.html')
  return existsSync(file) ? readFileSync(file, 'utf8') : undefined
}
