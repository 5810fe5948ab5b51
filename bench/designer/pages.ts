/**
 * bench/designer's two pages, built with Vite (an inline config: the repository's vite.config.ts is the app's)
 * into a folder of their own, and served from it by a small static server on 127.0.0.1.
 */
import { readFile } from 'node:fs/promises'
import { createServer, type Server } from 'node:http'
import { extname, join, normalize, sep } from 'node:path'
import { fileURLToPath } from 'node:url'
import react from '@vitejs/plugin-react'
import { build } from 'vite'

export const PAGES = ['ours', 'baseline'] as const
export type Page = (typeof PAGES)[number]

const here = fileURLToPath(new URL('.', import.meta.url))

/**
 * Builds each page on its own (one bundle each, as an app ships), into `outDir/<page>/<page>.html`.
 * `minify: false` keeps the names of functions and components, for a profile.
 */
export async function buildPages(outDir: string, { minify = true } = {}): Promise<void> {
  for (const page of PAGES) {
    await build({
      configFile: false,
      root: here,
      base: './',
      logLevel: 'warn',
      cacheDir: join(outDir, '.vite'),
      plugins: [react()],
      build: {
        outDir: join(outDir, page),
        emptyOutDir: true,
        minify,
        reportCompressedSize: false,
        chunkSizeWarningLimit: 100_000,
        rolldownOptions: { input: join(here, `${page}.html`) },
      },
    })
  }
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.woff2': 'font/woff2',
  '.png': 'image/png',
}

/** Serves `dir` on 127.0.0.1 at a free port; returns its address and how to stop it. */
export async function serve(dir: string): Promise<{ url: string; close: () => Promise<void> }> {
  const root = normalize(dir + sep)
  const server: Server = createServer((req, res) => {
    const path = normalize(join(root, decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname)))
    if (!path.startsWith(root)) {
      res.writeHead(403).end()
      return
    }
    readFile(path).then(
      (body) => {
        res.writeHead(200, {
          'content-type': TYPES[extname(path)] ?? 'application/octet-stream',
          'cache-control': 'no-store',
        })
        res.end(body)
      },
      () => res.writeHead(404).end(),
    )
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as { port: number }
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  }
}
