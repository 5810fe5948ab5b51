import CssBaseline from '@mui/material/CssBaseline'
import { lazy, StrictMode, Suspense } from 'react'
import { createRoot } from 'react-dom/client'
import './i18n/index.js'
import { App } from './App.js'
import { LocalizedTheme } from './ThemedApp.js'

const root = document.getElementById('root')
if (!root) throw new Error('The page has no #root element.')

// A signer's link (/s/<token>) and a document's public link (/d/<token>) open pages of their own, without an
// account; they load pdf.js, which the rest of the app does not need.
const [, kind, token] = /^\/([sd])\/([A-Za-z0-9_-]+)\/?$/.exec(window.location.pathname) ?? []
const SigningPage = lazy(() => import('./public/SigningPage.js').then((m) => ({ default: m.SigningPage })))
const VerifyPage = lazy(() => import('./public/VerifyPage.js').then((m) => ({ default: m.VerifyPage })))
const verifying = /^\/verify\/?$/.test(window.location.pathname)
const PublicDocumentPage = lazy(() =>
  import('./public/PublicDocumentPage.js').then((m) => ({ default: m.PublicDocumentPage })),
)

createRoot(root).render(
  <StrictMode>
    <LocalizedTheme>
      <CssBaseline />
      {verifying ? (
        <Suspense fallback={null}>
          <VerifyPage />
        </Suspense>
      ) : token ? (
        <Suspense fallback={null}>
          {kind === 's' ? <SigningPage token={token} /> : <PublicDocumentPage token={token} />}
        </Suspense>
      ) : (
        <App />
      )}
    </LocalizedTheme>
  </StrictMode>,
)
