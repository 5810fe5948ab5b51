/** A document opened by its public link: what it is, its pages, and a download. No account needed. */
import Alert from '@mui/material/Alert'
import Box from '@mui/material/Box'
import Button from '@mui/material/Button'
import Container from '@mui/material/Container'
import Skeleton from '@mui/material/Skeleton'
import Stack from '@mui/material/Stack'
import Typography from '@mui/material/Typography'
import { useEffect, useState } from 'react'
import { DownloadIcon } from '../icons.js'
import { PdfPages } from './PdfPages.js'
import { fetchPublicDocument, type PublicDocument, PublicError } from './public-api.js'

export function PublicDocumentPage({ token }: { token: string }) {
  const [doc, setDoc] = useState<PublicDocument | undefined>()
  const [error, setError] = useState<string | undefined>()
  useEffect(() => {
    fetchPublicDocument(token).then(setDoc, (e) =>
      setError(e instanceof PublicError ? e.message : 'The document cannot be opened now; try again later.'),
    )
  }, [token])
  useEffect(() => {
    document.title = doc ? doc.title : 'Signflow — document'
  }, [doc])
  if (error) {
    return (
      <Container maxWidth="sm" sx={{ py: 4 }}>
        <Alert severity="error" role="alert">
          {error}
        </Alert>
      </Container>
    )
  }
  if (!doc) {
    return (
      <Container maxWidth="sm" sx={{ py: 3 }}>
        <Skeleton height={48} />
        <Skeleton variant="rectangular" height={400} />
      </Container>
    )
  }
  return (
    <Box sx={{ minHeight: '100vh', bgcolor: 'background.default' }}>
      <Box component="header" sx={{ bgcolor: 'primary.main', color: 'primary.contrastText', px: 2, py: 1.5 }}>
        <Container maxWidth="md" disableGutters>
          <Typography variant="body2" sx={{ opacity: 0.85 }}>
            From {doc.issuedBy}, {doc.issuedOn}
          </Typography>
          <Typography variant="h1" component="h1">
            {doc.title}
          </Typography>
        </Container>
      </Box>
      <Container maxWidth="md" component="main" sx={{ py: 2, px: { xs: 1.5, sm: 3 } }}>
        <Stack spacing={2}>
          <Stack
            direction="row"
            sx={{ justifyContent: 'space-between', alignItems: 'center', gap: 1, flexWrap: 'wrap' }}
          >
            <Typography variant="body2" color="text.secondary">
              {doc.status === 'signed' ? 'Signed by everyone' : 'Not signed'} · link works until{' '}
              {doc.expiresAt.slice(0, 10)}
            </Typography>
            <Button size="small" variant="outlined" startIcon={<DownloadIcon />} href={`${doc.pdfUrl}?download=1`}>
              Download PDF
            </Button>
          </Stack>
          <PdfPages url={doc.pdfUrl} title={doc.title} />
        </Stack>
      </Container>
    </Box>
  )
}
