/**
 * A document opened by its public link: what it is, its pages, and a download. No account needed. It opens in
 * the document's language; the person may pick another.
 */
import Button from '@mui/material/Button'
import Stack from '@mui/material/Stack'
import Typography from '@mui/material/Typography'
import { useEffect, useRef, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { useFormat } from '../i18n/index.js'
import { DownloadIcon } from '../icons.js'
import { PdfPages } from './PdfPages.js'
import { PublicShell, PublicWaiting } from './PublicShell.js'
import { fetchPublicDocument, type PublicDocument, PublicError } from './public-api.js'

export function PublicDocumentPage({ token }: { token: string }) {
  const { t, i18n } = useTranslation('public')
  const format = useFormat()
  const [doc, setDoc] = useState<PublicDocument | undefined>()
  const [error, setError] = useState<unknown>()
  /** Whether the person picked a language here: then the document's no longer applies. */
  const picked = useRef(false)
  useEffect(() => {
    fetchPublicDocument(token).then((d) => {
      if (!picked.current && i18n.resolvedLanguage !== d.language) void i18n.changeLanguage(d.language)
      setDoc(d)
    }, setError)
  }, [token, i18n])
  useEffect(() => {
    document.title = doc ? doc.title : t('document.pageTitleLoading')
  }, [doc, t])
  if (error !== undefined || !doc) {
    const code = error instanceof PublicError ? error.code : undefined
    const message =
      error === undefined
        ? undefined
        : code === 'not-found'
          ? t('error.documentNotFound')
          : code === 'gone'
            ? t('error.documentGone')
            : error instanceof PublicError
              ? error.message
              : t('error.cannotOpen')
    return <PublicWaiting error={message} />
  }
  return (
    <PublicShell
      kicker={t('document.kicker', { issuer: doc.issuedBy, date: format.day(doc.issuedOn) })}
      title={doc.title}
      onLanguage={() => {
        picked.current = true
      }}
    >
      <Stack spacing={2}>
        <Stack direction="row" sx={{ justifyContent: 'space-between', alignItems: 'center', gap: 1, flexWrap: 'wrap' }}>
          <Typography variant="body2" color="text.secondary">
            {t('document.until', {
              state: doc.status === 'signed' ? t('document.signed') : t('document.notSigned'),
              date: format.day(doc.expiresAt),
            })}
          </Typography>
          <Button size="small" variant="outlined" startIcon={<DownloadIcon />} href={`${doc.pdfUrl}?download=1`}>
            {t('document.download')}
          </Button>
        </Stack>
        <PdfPages url={doc.pdfUrl} title={doc.title} />
      </Stack>
    </PublicShell>
  )
}
