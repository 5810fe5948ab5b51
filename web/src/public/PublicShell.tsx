/** The frame of the public pages (a signer's, a document's, the verify page): a band with the title, the page below. */
import Alert from '@mui/material/Alert'
import Box from '@mui/material/Box'
import Container from '@mui/material/Container'
import Skeleton from '@mui/material/Skeleton'
import Typography from '@mui/material/Typography'
import type { ReactNode } from 'react'

export function PublicShell({
  title,
  kicker,
  width = 'md',
  children,
}: {
  title: string
  /** A line above the title, e.g. who sends the document. */
  kicker?: string
  width?: 'sm' | 'md'
  children: ReactNode
}) {
  return (
    <Box sx={{ minHeight: '100vh', bgcolor: 'background.default' }}>
      <Box component="header" sx={{ bgcolor: 'primary.main', color: 'primary.contrastText', px: 2, py: 1.5 }}>
        <Container maxWidth={width} disableGutters>
          {kicker && (
            <Typography variant="body2" sx={{ opacity: 0.85 }}>
              {kicker}
            </Typography>
          )}
          <Typography variant="h1" component="h1">
            {title}
          </Typography>
        </Container>
      </Box>
      <Container maxWidth={width} component="main" sx={{ py: { xs: 2, sm: 3 }, px: { xs: 1.5, sm: 3 } }}>
        {children}
      </Container>
    </Box>
  )
}

/** While a public page loads, or when it cannot: a placeholder, or what went wrong in words. */
export function PublicWaiting({ error }: { error?: string | undefined }) {
  return (
    <Container maxWidth="sm" sx={{ py: error ? 4 : 3 }}>
      {error ? (
        <Alert severity="error" role="alert">
          {error}
        </Alert>
      ) : (
        <>
          <Skeleton height={48} />
          <Skeleton variant="rectangular" height={400} />
        </>
      )}
    </Container>
  )
}
