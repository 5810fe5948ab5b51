import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { FORMAT_VERSION } from '../../shared/index.js'
import { demoGraph } from '../../shared/test/graphs.js'
import { OPERATIONS, type Operation } from './api-spec.js'
import { createApp, isPublicApiPath, MAX_BODY_BYTES } from './app.js'
import { openApiDocument } from './openapi.js'

const app = createApp({})

interface PaletteGroupJson {
  category: string
  items: Array<{ type: string; kind: string; label: string; disabledReason?: string }>
}

function post(body: string, headers: Record<string, string> = { 'content-type': 'application/json' }) {
  return app.request('/api/validate', { method: 'POST', body, headers })
}

describe('GET /api/health', () => {
  it('reports ok, the version and the format version', async () => {
    const res = await app.request('/api/health')
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toMatch(/application\/json/)
    expect(await res.json()).toEqual({ status: 'ok', version: '0.1.0', formatVersion: FORMAT_VERSION, signIn: false })
  })
})

describe('GET /api/catalog', () => {
  it('defaults to the deal pipeline, with "Create document" under paperwork', async () => {
    const res = await app.request('/api/catalog')
    expect(res.status).toBe(200)
    const groups = (await res.json()) as PaletteGroupJson[]
    const paperwork = groups.find((g) => g.category === 'paperwork')
    expect(paperwork).toBeDefined()
    const create = paperwork?.items.find((i) => i.label === 'Create document')
    expect(create).toMatchObject({ kind: 'rule' })
    expect(create?.disabledReason).toBeUndefined()
    expect(paperwork?.items.some((i) => i.kind === 'trigger')).toBe(true)
  })

  it('disables paperwork rules in the signing-document pipeline, with a reason', async () => {
    const res = await app.request('/api/catalog?elementType=signingDocument')
    expect(res.status).toBe(200)
    const groups = (await res.json()) as PaletteGroupJson[]
    const paperwork = groups.find((g) => g.category === 'paperwork')
    const create = paperwork?.items.find((i) => i.label === 'Create document')
    expect(create?.kind).toBe('rule')
    expect(create?.disabledReason).toEqual(expect.any(String))
    expect(create?.disabledReason?.length).toBeGreaterThan(0)
  })

  it('refuses an unknown element type with 400', async () => {
    const res = await app.request('/api/catalog?elementType=spaceship')
    expect(res.status).toBe(400)
    const body = (await res.json()) as { error: { code: string; message: string } }
    expect(body.error.code).toBe('bad-request')
    expect(body.error.message).toContain('spaceship')
  })
})

describe('GET /api/schema', () => {
  it('serves the graph JSON Schema', async () => {
    const res = await app.request('/api/schema')
    expect(res.status).toBe(200)
    const schema = (await res.json()) as Record<string, unknown>
    expect(schema.$schema).toBe('https://json-schema.org/draft/2020-12/schema')
    expect(schema.title).toBe('Signflow rule graph')
  })
})

describe('POST /api/validate', () => {
  it('accepts a valid graph', async () => {
    const res = await post(JSON.stringify(demoGraph()))
    expect(res.status).toBe(200)
    expect(await res.json()).toEqual({ valid: true, findings: [] })
  })

  it('reports a broken graph with code and JSON path (still 200)', async () => {
    const res = await post(JSON.stringify(demoGraph({ kind: 'constant', id: 'nope' })))
    expect(res.status).toBe(200)
    const body = (await res.json()) as { valid: boolean; findings: Array<Record<string, string>> }
    expect(body.valid).toBe(false)
    expect(body.findings).toContainEqual(
      expect.objectContaining({
        severity: 'error',
        code: 'unknown-constant',
        path: '/pipeline/stages/0/rules/0/settings/subject/id',
        message: expect.any(String),
        hint: expect.any(String),
      }),
    )
    expect(Object.keys(body).sort()).toEqual(['findings', 'valid'])
  })

  it('answers 400 with line and column for text that is not JSON', async () => {
    // A missing comma, the usual slip.
    const res = await post('{\n  "formatVersion": 1\n  "flow": {}\n}')
    expect(res.status).toBe(400)
    const body = (await res.json()) as { error: { code: string; message: string; line: number; column: number } }
    expect(body.error.code).toBe('not-json')
    expect(body.error.message).toMatch(/line 3, column 3/)
    expect(body.error).toMatchObject({ line: 3, column: 3 })
  })

  it('answers 400 for an empty body', async () => {
    const res = await post('')
    expect(res.status).toBe(400)
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('not-json')
  })

  it('refuses a body over 5 MB with 413', async () => {
    const big = JSON.stringify({ padding: 'x'.repeat(MAX_BODY_BYTES) })
    const res = await post(big)
    expect(res.status).toBe(413)
    const body = (await res.json()) as { error: { code: string; message: string } }
    expect(body.error.code).toBe('payload-too-large')
  })

  it('refuses a body over 5 MB announced by Content-Length with 413', async () => {
    const big = 'x'.repeat(MAX_BODY_BYTES + 1)
    const res = await post(big, { 'content-type': 'application/json', 'content-length': String(big.length) })
    expect(res.status).toBe(413)
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('payload-too-large')
  })

  it('answers 405 for GET', async () => {
    const res = await app.request('/api/validate')
    expect(res.status).toBe(405)
    expect(res.headers.get('allow')).toBe('POST')
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('method-not-allowed')
  })
})

describe('errors', () => {
  it('answers unknown API routes with 404 in the error shape', async () => {
    const res = await app.request('/api/nope')
    expect(res.status).toBe(404)
    const body = (await res.json()) as { error: { code: string; message: string } }
    expect(body).toEqual({ error: { code: 'not-found', message: expect.any(String) } })
  })

  it('turns an unexpected exception into 500 "internal" without leaking details', async () => {
    const failing = createApp({})
    failing.get('/api/boom', () => {
      throw new Error('secret detail')
    })
    const spy = console.error
    console.error = () => {}
    try {
      const res = await failing.request('/api/boom')
      expect(res.status).toBe(500)
      const body = (await res.json()) as { error: { code: string; message: string } }
      expect(body.error.code).toBe('internal')
      expect(body.error.message).not.toContain('secret')
    } finally {
      console.error = spy
    }
  })
})

describe('GET /api/openapi.json', () => {
  const PUBLIC = ['/api/catalog', '/api/health', '/api/openapi.json', '/api/schema', '/api/validate']

  it('is OpenAPI 3.1 and describes exactly the routes that answer', async () => {
    const res = await app.request('/api/openapi.json')
    expect(res.status).toBe(200)
    const doc = (await res.json()) as { openapi: string; paths: Record<string, Record<string, unknown>> }
    expect(doc.openapi).toBe('3.1.0')
    expect(
      Object.keys(doc.paths)
        .filter((p) => PUBLIC.includes(p))
        .sort(),
    ).toEqual(PUBLIC)
    expect(Object.keys(doc.paths).sort()).toEqual(
      [...PUBLIC, ...Object.values(OPERATIONS).map((op) => op.path)].filter((p, i, all) => all.indexOf(p) === i).sort(),
    )
    expect(doc).toEqual(JSON.parse(JSON.stringify(openApiDocument)))
    for (const [path, methods] of Object.entries(doc.paths)) {
      for (const method of Object.keys(methods)) {
        const res = await app.request(path, {
          method: method.toUpperCase(),
          ...(method === 'post' ? { body: JSON.stringify(demoGraph()) } : {}),
        })
        // Without storage the runtime's routes answer 503; api.test.ts runs them with storage.
        if (PUBLIC.includes(path)) expect(res.status, `${method} ${path}`).toBe(200)
        else {
          expect(res.status, `${method} ${path}`).toBe(503)
          expect(await res.json()).toEqual({ error: { code: 'no-storage', message: expect.any(String) } })
        }
      }
    }
  })

  it('lists every route the app registers under /api, and nothing else', () => {
    const doc = openApiDocument as unknown as { paths: Record<string, Record<string, unknown>> }
    const registered = new Set(
      createApp({})
        .routes.filter(
          (r) =>
            r.path.startsWith('/api/') &&
            !r.path.includes('*') &&
            r.method !== 'ALL' &&
            // The docs page reads the description; it is not part of it.
            !r.path.startsWith('/api/docs'),
        )
        .map((r) => `${r.method.toLowerCase()} ${r.path.replace(/:(\w+)/g, '{$1}')}`),
    )
    const documented = new Set(
      Object.entries(doc.paths).flatMap(([path, methods]) => Object.keys(methods).map((m) => `${m} ${path}`)),
    )
    expect(registered.size).toBeGreaterThan(20)
    expect([...registered].sort()).toEqual([...documented].sort())
  })
})

describe('GET /api/docs', () => {
  it('serves Swagger UI from our own files, reading /api/openapi.json, with no inline script', async () => {
    const page = await app.request('/api/docs')
    expect(page.status).toBe(200)
    const html = await page.text()
    const scripts = [...html.matchAll(/<script([^>]*)>([\s\S]*?)<\/script>/g)]
    expect(scripts.map((m) => m[1])).toEqual([' src="/api/docs/swagger-ui-bundle.js"', ' src="/api/docs/start.js"'])
    expect(scripts.every((m) => m[2] === '')).toBe(true)
    const start = await app.request('/api/docs/start.js')
    expect(start.headers.get('content-type')).toMatch(/^text\/javascript/)
    expect(await start.text()).toContain("url: '/api/openapi.json'")
    const bundle = await app.request('/api/docs/swagger-ui-bundle.js')
    expect(bundle.status).toBe(200)
    expect(bundle.headers.get('x-content-type-options')).toBe('nosniff')
    expect((await bundle.text()).length).toBeGreaterThan(500_000)
    expect((await app.request('/api/docs/swagger-ui.css')).headers.get('content-type')).toMatch(/^text\/css/)
  })

  it('serves only its own files', async () => {
    for (const path of ['/api/docs/package.json', '/api/docs/..%2Fpackage.json', '/api/docs/index.html']) {
      const res = await app.request(path)
      expect(res.status, path).toBe(404)
    }
  })
})

describe('the runtime routes without storage', () => {
  it('answer 503 no-storage, after checking nothing else, while the public routes work', async () => {
    const res = await app.request('/api/elements/deal-1/move', { method: 'POST', body: 'not json' })
    expect(res.status).toBe(503)
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('no-storage')
    expect((await app.request('/api/health')).status).toBe(200)
    expect((await app.request('/api/nope')).status).toBe(404)
  })

  it('answer 405 with Allow for a method a path does not have', async () => {
    const res = await app.request('/api/elements/deal-1', { method: 'DELETE' })
    expect(res.status).toBe(405)
    expect(res.headers.get('allow')).toBe('GET, HEAD')
  })
})

describe('the guard', () => {
  const denied: string[] = []
  let passed = 0
  const guarded = createApp({
    guard: async (c, next) => {
      if (c.req.header('authorization') === 'Bearer ok') {
        passed++
        return next()
      }
      denied.push(`${c.req.method} ${c.req.path}`)
      return c.json({ error: { code: 'unauthorized', message: 'Sign in first.' } }, 401)
    },
  })

  const operations = Object.values(OPERATIONS) as Operation[]
  const guardedOps = operations.filter((op) => !op.public)

  it('stands in front of every runtime route and unknown /api paths, not the public ones', async () => {
    for (const op of guardedOps) {
      const path = op.path.replace(/\{[^}]+\}/g, 'x1')
      const res = await guarded.request(path, { method: op.method.toUpperCase() })
      expect(res.status, `${op.method} ${path}`).toBe(401)
    }
    expect((await guarded.request('/api/nope')).status).toBe(401)
    expect((await guarded.request('/api')).status).toBe(401)
    expect(denied).toHaveLength(guardedOps.length + 2)
    for (const path of ['/api/health', '/api/catalog', '/api/schema', '/api/openapi.json']) {
      expect((await guarded.request(path)).status, path).toBe(200)
    }
    expect((await guarded.request('/api/validate', { method: 'POST', body: JSON.stringify(demoGraph()) })).status).toBe(
      200,
    )
    const through = await guarded.request('/api/pipelines', { headers: { authorization: 'Bearer ok' } })
    expect(through.status).toBe(503) // past the guard, no storage
    expect((await guarded.request('/api', { headers: { authorization: 'Bearer ok' } })).status).toBe(404)
    expect(passed).toBe(2) // once per request
  })

  it('lets webhook calls, public document links, signing links and the verify check through, and only them', async () => {
    const publicOps = operations.filter((op) => op.public)
    expect(publicOps.map((op) => `${op.method} ${op.path}`).sort()).toEqual([
      'get /api/public/documents/{token}',
      'get /api/public/documents/{token}/pdf',
      'get /api/public/signing/{token}',
      'get /api/public/signing/{token}/pdf',
      'post /api/public/signing/{token}/code',
      'post /api/public/signing/{token}/consent',
      'post /api/public/signing/{token}/decline',
      'post /api/public/signing/{token}/sign',
      'post /api/public/verify',
      'post /api/webhooks/{flowId}/{triggerId}',
    ])
    for (const op of operations) {
      expect(isPublicApiPath(op.path.replace(/\{[^}]+\}/g, 'x1')), op.path).toBe(op.public === true)
    }
    const res = await guarded.request('/api/webhooks/flow-1/hook-1', { method: 'POST' })
    expect(res.status).toBe(503) // past the guard, no storage
    const before = denied.length
    for (const path of ['/api/webhooks/flow-1', '/api/webhooks/flow-1/hook-1/more', '/api/webhooks/flow-1/hook-1/']) {
      expect((await guarded.request(path, { method: 'POST' })).status, path).toBe(401)
    }
    expect(denied).toHaveLength(before + 3)
  })
})

describe('static files', () => {
  const dir = mkdtempSync(join(tmpdir(), 'signflow-static-'))
  writeFileSync(join(dir, 'index.html'), '<!doctype html><title>Designer</title><div id="root"></div>')
  writeFileSync(join(dir, 'app.js'), 'console.log(1)')
  const withStatic = createApp({ staticDir: dir })
  afterAll(() => rmSync(dir, { recursive: true, force: true }))

  it('serves index.html at / and files by name', async () => {
    const index = await withStatic.request('/')
    expect(index.status).toBe(200)
    expect(await index.text()).toContain('Designer')
    const js = await withStatic.request('/app.js')
    expect(js.status).toBe(200)
    expect(js.headers.get('content-type')).toMatch(/javascript/)
  })

  it('falls back to index.html for unknown page paths, but not for missing assets or the API', async () => {
    const page = await withStatic.request('/designer/flows/42')
    expect(page.status).toBe(200)
    expect(page.headers.get('content-type')).toMatch(/text\/html/)
    expect(await page.text()).toContain('Designer')
    expect((await withStatic.request('/assets/missing.js')).status).toBe(404)
    const api = await withStatic.request('/api/missing')
    expect(api.status).toBe(404)
    expect(((await api.json()) as { error: { code: string } }).error.code).toBe('not-found')
  })

  it('without a static dir, / says to build first', async () => {
    const res = await app.request('/')
    expect(res.status).toBe(200)
    expect(await res.text()).toContain('npm run build')
  })
})

describe('the groups of the API description', () => {
  it('put every operation in one group, and list every group once', () => {
    const doc = openApiDocument as unknown as {
      tags: Array<{ name: string }>
      paths: Record<string, Record<string, { tags?: string[] }>>
    }
    const names = doc.tags.map((t) => t.name)
    expect(new Set(names).size).toBe(names.length)
    for (const [path, methods] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(methods)) {
        expect(op.tags?.length, `${method} ${path}`).toBe(1)
        expect(names, `${method} ${path}`).toContain(op.tags?.[0])
      }
    }
    expect(doc.paths['/api/flows/{id}/constants']?.get?.tags).toEqual(['Constants'])
    expect(doc.paths['/api/flows/{id}/webhooks']?.get?.tags).toEqual(['Webhooks'])
    expect(doc.paths['/api/my-companies/{id}/images/{kind}']?.put?.tags).toEqual(['Directory'])
  })
})

describe('security headers of the pages', () => {
  it('let the web app and the docs page run only our own scripts, unframed, and leave JSON answers alone', async () => {
    for (const path of ['/', '/api/docs', '/api/docs/swagger-ui.css']) {
      const res = await app.request(path)
      const csp = res.headers.get('content-security-policy') ?? ''
      expect(csp, path).toContain("script-src 'self'")
      expect(csp, path).not.toMatch(/script-src[^;]*'unsafe-(inline|eval)'/)
      expect(csp, path).toContain("frame-ancestors 'none'")
      expect(res.headers.get('x-content-type-options'), path).toBe('nosniff')
      expect(res.headers.get('referrer-policy'), path).toBe('no-referrer')
      expect(res.headers.get('x-frame-options'), path).toBe('DENY')
    }
    const health = await app.request('/api/health')
    expect(health.headers.get('content-security-policy')).toBeNull()
  })
})

describe('rate limits of the public endpoints', () => {
  it('answer 429 in the error shape, with the standard headers, once an address has used its minute', async () => {
    const limited = createApp({ rateLimits: { validatePerMinute: 3 } })
    const validate = () =>
      limited.request('/api/validate', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' })
    for (let i = 0; i < 3; i++) expect((await validate()).status).toBe(200)
    const refused = await validate()
    expect(refused.status).toBe(429)
    expect(await refused.json()).toEqual({ error: { code: 'rate-limited', message: expect.any(String) } })
    expect(refused.headers.get('ratelimit-policy')).toMatch(/^3;w=60/)
    // Other endpoints are not counted with it.
    expect((await limited.request('/api/health')).status).toBe(200)
  })
})
