/** A document opened by its public link: what it is, its pages, and a download. No account needed. */
import Button from '@mui/material/Button'
import Stack from '@mui/material/Stack'
import Typography from '@mui/material/Typography'
import { useEffect, useState } from 'react'
import { DownloadIcon } from '../icons.js'
import { PdfPages } from './PdfPages.js'
import { PublicShell, PublicWaiting } from './PublicShell.js'
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
  if (error || !doc) return <PublicWaiting error={error} />
  return (
    <PublicShell kicker={`From ${doc.issuedBy}, ${doc.issuedOn}`} title={doc.title}>
      <Stack spacing={2}>
        <Stack direction="row" sx={{ justifyContent: 'space-between', alignItems: 'center', gap: 1, flexWrap: 'wrap' }}>
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
    </PublicShell>
  )
}
