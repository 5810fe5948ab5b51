import AppBar from '@mui/material/AppBar'
import Box from '@mui/material/Box'
import Button from '@mui/material/Button'
import Container from '@mui/material/Container'
import Toolbar from '@mui/material/Toolbar'
import Typography from '@mui/material/Typography'
import { useEffect } from 'react'
import { Designer } from './Designer.js'
import { Outbox } from './Outbox.js'
import { ROUTES, useRoute } from './route.js'

export function App() {
  const route = useRoute()
  const label = ROUTES.find((r) => r.route === route)?.label ?? 'Designer'

  useEffect(() => {
    document.title = `Signflow — ${label}`
    window.scrollTo(0, 0)
  }, [label])

  return (
    <>
      <AppBar position="static">
        <Toolbar sx={{ flexWrap: 'wrap', columnGap: 2, rowGap: 0.5, py: { xs: 1, sm: 0 } }}>
          <Typography variant="h1" component="h1" sx={{ flexGrow: 1 }}>
            Signflow — {label}
          </Typography>
          <Box component="nav" aria-label="Screens" sx={{ display: 'flex', gap: 0.5, ml: { xs: -1.5, sm: 0 } }}>
            {ROUTES.map((r) => {
              const current = r.route === route
              return (
                <Button
                  key={r.route}
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
                  {r.label}
                </Button>
              )
            })}
          </Box>
        </Toolbar>
      </AppBar>
      <Container component="main" maxWidth="lg" sx={{ py: { xs: 2, sm: 3 } }}>
        {route === 'outbox' ? <Outbox /> : <Designer />}
      </Container>
    </>
  )
}
