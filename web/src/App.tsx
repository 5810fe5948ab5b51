import AppBar from '@mui/material/AppBar'
import Box from '@mui/material/Box'
import Button from '@mui/material/Button'
import Container from '@mui/material/Container'
import Toolbar from '@mui/material/Toolbar'
import Typography from '@mui/material/Typography'
import { lazy, Suspense, useCallback, useEffect, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { fetchMe, type Me, SIGNED_OUT_EVENT, signOut } from './api.js'
import { ChangePassword } from './ChangePassword.js'
import { Designer } from './Designer.js'
import { LanguagePicker } from './i18n/LanguagePicker.js'
import { Outbox } from './Outbox.js'
import { homeOf, ROUTES, type Screen, useRoute } from './route.js'
import { SignIn } from './SignIn.js'
import { MayContext } from './workspace/may.js'

// The sales screens load when first opened.
const Board = lazy(() => import('./workspace/Board.js').then((m) => ({ default: m.Board })))
const ElementPage = lazy(() => import('./workspace/ElementPage.js').then((m) => ({ default: m.ElementPage })))
const Inbox = lazy(() => import('./workspace/Inbox.js').then((m) => ({ default: m.Inbox })))
const Templates = lazy(() => import('./workspace/Templates.js').then((m) => ({ default: m.Templates })))
const Company = lazy(() => import('./workspace/Company.js').then((m) => ({ default: m.Company })))

/** A screen's name, in the app's language. */
function useTitles(): (screen: Exclude<Screen, 'home'>) => string {
  const { t } = useTranslation('common')
  return (screen) =>
    ({
      designer: t('screens.designer'),
      board: t('screens.board'),
      element: t('screens.element'),
      inbox: t('screens.inbox'),
      outbox: t('screens.outbox'),
      templates: t('screens.templates'),
      company: t('screens.company'),
    })[screen]
}

type Session = Me | 'signedOut' | 'open' | 'loading'

export function App() {
  const route = useRoute()
  const { t } = useTranslation('common')
  const titleOf = useTitles()
  const [session, setSession] = useState<Session>('loading')
  const load = useCallback(() => {
    // A server that cannot be reached, or an older one, is used as an open one: the screens say what fails.
    fetchMe().then(setSession, () => setSession('open'))
  }, [])
  useEffect(load, [load])
  useEffect(() => {
    const out = () => setSession('signedOut')
    window.addEventListener(SIGNED_OUT_EVENT, out)
    return () => window.removeEventListener(SIGNED_OUT_EVENT, out)
  }, [])
  const signedOut = session === 'signedOut'
  const mustChange = typeof session === 'object' && session.mustChangePassword === true
  // What this session may call: everything on an open server (or one too old to say).
  const may = useCallback(
    (operation: string) => typeof session !== 'object' || (session.operations?.includes(operation) ?? true),
    [session],
  )
  const screen = route.screen === 'home' ? homeOf(may) : route.screen
  const label = signedOut ? t('signIn') : mustChange ? t('yourPassword') : titleOf(screen)

  useEffect(() => {
    document.title = `Signflow — ${label}`
    window.scrollTo(0, 0)
  }, [label])

  return (
    <>
      <AppBar position="static">
        <Toolbar sx={{ flexWrap: 'wrap', columnGap: 2, rowGap: 0.5, py: { xs: 1, sm: 0 } }}>
          <Typography variant="h1" component="h1" noWrap sx={{ flexGrow: 1, flexBasis: '12rem', minWidth: 0 }}>
            Signflow — {label}
          </Typography>
          {!signedOut && !mustChange && (
            <Box
              component="nav"
              aria-label={t('screensNav')}
              sx={{
                display: 'flex',
                gap: 0.5,
                ml: { xs: -1.5, sm: 0 },
                // On a phone the screens are a row of their own that scrolls sideways, never the page.
                width: { xs: 'calc(100% + 12px)', md: 'auto' },
                order: { xs: 3, md: 0 },
                overflowX: 'auto',
                scrollbarWidth: 'none',
                flexShrink: 1,
                minWidth: 0,
                '& > a': { flex: 'none' },
              }}
            >
              {ROUTES.filter((r) => may(r.operation)).map((r) => {
                const current = r.screen === screen || (r.screen === 'board' && screen === 'element')
                return (
                  <Button
                    key={r.screen}
                    href={r.href}
                    color="inherit"
                    aria-current={current ? 'page' : undefined}
                    sx={{
                      px: 1.5,
                      borderRadius: 2,
                      opacity: current ? 1 : 0.85,
                      bgcolor: current ? 'rgba(255, 255, 255, 0.16)' : 'transparent',
                      boxShadow: current ? 'inset 0 -2px 0 #ffffff' : 'none',
                      '&:hover': { bgcolor: 'rgba(255, 255, 255, 0.22)', opacity: 1 },
                    }}
                  >
                    {titleOf(r.screen)}
                  </Button>
                )
              })}
            </Box>
          )}
          {typeof session === 'object' && (
            <Box sx={{ display: 'flex', alignItems: 'center', gap: 1, flex: 'none' }}>
              <Typography
                variant="body2"
                title={`${session.user.email} · ${session.user.role}`}
                data-testid="signed-in-as"
              >
                {session.user.name}
              </Typography>
              <Button
                color="inherit"
                size="small"
                variant="outlined"
                onClick={() => {
                  signOut().finally(() => setSession('signedOut'))
                }}
              >
                {t('signOut')}
              </Button>
              <LanguagePicker onDark />
            </Box>
          )}
          {/* Signed out, the sign-in card has its own picker; an open server has no one signed in. */}
          {session === 'open' && <LanguagePicker onDark />}
        </Toolbar>
      </AppBar>
      <Container
        component="main"
        maxWidth={screen === 'designer' || screen === 'board' ? false : 'lg'}
        sx={{ py: { xs: 2, sm: 3 } }}
      >
        {session === 'loading' ? null : signedOut ? (
          <SignIn onSignedIn={load} />
        ) : typeof session === 'object' && mustChange ? (
          <ChangePassword name={session.user.name} onChanged={load} />
        ) : (
          <MayContext.Provider value={may}>
            <Suspense fallback={null}>
              {screen === 'outbox' ? (
                <Outbox />
              ) : screen === 'board' ? (
                <Board pipelineId={route.param} />
              ) : screen === 'element' && route.param ? (
                <ElementPage id={route.param} />
              ) : screen === 'inbox' ? (
                <Inbox me={typeof session === 'object' ? session.user.id : undefined} />
              ) : screen === 'templates' ? (
                <Templates templateId={route.param} />
              ) : screen === 'company' ? (
                <Company />
              ) : (
                <Designer />
              )}
            </Suspense>
          </MayContext.Provider>
        )}
      </Container>
    </>
  )
}
