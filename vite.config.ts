import { fileURLToPath } from 'node:url'
import react from '@vitejs/plugin-react'
import { defineConfig } from 'vitest/config'

const repoRoot = fileURLToPath(new URL('.', import.meta.url))

export default defineConfig({
  // The designer's sources; `index.html` sits at web/ root.
  root: fileURLToPath(new URL('./web', import.meta.url)),
  plugins: [react()],
  build: {
    outDir: fileURLToPath(new URL('./dist', import.meta.url)),
    emptyOutDir: true,
  },
  server: {
    // `npm run dev` serves the page; the API comes from a running `signflow serve`.
    proxy: { '/api': 'http://127.0.0.1:8080' },
  },
  test: {
    // Vite's root is web/, but tests live all over the repository.
    root: repoRoot,
    dir: repoRoot,
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: [
            'shared/**/*.test.ts',
            'server/**/*.test.ts',
            'scripts/**/*.test.ts',
            'bench/**/*.test.ts',
            // The web app's logic that needs no browser.
            'web/**/*.test.ts',
          ],
          environment: 'node',
          // The CLI tests start the real executable several times in one test.
          testTimeout: 30000,
        },
      },
      {
        extends: true,
        test: {
          name: 'e2e',
          include: ['e2e/**/*.test.ts'],
          environment: 'node',
          testTimeout: 60000,
          hookTimeout: 60000,
        },
      },
    ],
  },
})
