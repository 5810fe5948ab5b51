/**
 * The API's docs page at `/api/docs`: Swagger UI (`swagger-ui-dist`, served from our own
 * node_modules, nothing from the internet) reading `/api/openapi.json`. No inline script: the page
 * loads the bundle and a small start file, so it works under the strict Content-Security-Policy the
 * web app will get. Only the files named here are served.
 */
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import type { Hono } from 'hono'

export const DOCS_PATH = '/api/docs'

const ASSETS: Readonly<Record<string, string>> = {
  'swagger-ui.css': 'text/css; charset=utf-8',
  'swagger-ui-bundle.js': 'text/javascript; charset=utf-8',
  'favicon-32x32.png': 'image/png',
}

const START = `window.addEventListener('load', function () {
  window.ui = SwaggerUIBundle({
    url: '/api/openapi.json',
    dom_id: '#swagger-ui',
    deepLinking: true,
    docExpansion: 'list',
    defaultModelsExpandDepth: 0,
    tryItOutEnabled: false,
  })
})
`

const PAGE = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Signflow API</title>
<link rel="stylesheet" href="${DOCS_PATH}/swagger-ui.css">
<link rel="icon" type="image/png" href="${DOCS_PATH}/favicon-32x32.png">
</head>
<body>
<div id="swagger-ui"></div>
<script src="${DOCS_PATH}/swagger-ui-bundle.js"></script>
<script src="${DOCS_PATH}/start.js"></script>
</body>
</html>
`

/** Registers `GET /api/docs` and its assets. Files are read once, on first request. */
export function registerDocsPage(app: Hono): void {
  const dir = dirname(createRequire(import.meta.url).resolve('swagger-ui-dist/package.json'))
  const cache = new Map<string, Buffer>()
  const headers = (type: string) => ({
    'content-type': type,
    'x-content-type-options': 'nosniff',
    'cache-control': 'public, max-age=3600',
  })
  app.get(DOCS_PATH, (c) => c.html(PAGE))
  app.get(`${DOCS_PATH}/start.js`, (c) => c.body(START, 200, headers('text/javascript; charset=utf-8')))
  app.get(`${DOCS_PATH}/:file`, (c) => {
    const file = c.req.param('file')
    const type = Object.hasOwn(ASSETS, file) ? ASSETS[file] : undefined
    if (type === undefined) return c.notFound()
    let bytes = cache.get(file)
    if (!bytes) {
      bytes = readFileSync(join(dir, file))
      cache.set(file, bytes)
    }
    return c.body(new Uint8Array(bytes), 200, headers(type))
  })
}
