/**
 * The page a signer opens from their personal link, built for a phone first: the document's pages, who
 * signs and in what state, the notice to agree to (a simple electronic signature, rules differ by country),
 * the fields to fill, and a signature drawn with a finger or typed. Declining asks for a reason.
 *
 * It speaks the signer's language, as the server says it (their contact's, else our company's default); a
 * language picked on the page is asked of the server too, so that the notice and its refusals follow.
 */
import Alert from '@mui/material/Alert'
import Box from '@mui/material/Box'
import Button from '@mui/material/Button'
import Checkbox from '@mui/material/Checkbox'
import Chip from '@mui/material/Chip'
import Dialog from '@mui/material/Dialog'
import DialogActions from '@mui/material/DialogActions'
import DialogContent from '@mui/material/DialogContent'
import DialogTitle from '@mui/material/DialogTitle'
import FormControlLabel from '@mui/material/FormControlLabel'
import Paper from '@mui/material/Paper'
import Stack from '@mui/material/Stack'
import Tab from '@mui/material/Tab'
import Tabs from '@mui/material/Tabs'
import TextField from '@mui/material/TextField'
import Typography from '@mui/material/Typography'
import { useCallback, useEffect, useRef, useState } from 'react'
import { Trans, useTranslation } from 'react-i18next'
import SignaturePad from 'signature_pad'
import type { Language } from '../../../shared/i18n/languages.js'
import { CheckCircleIcon, DownloadIcon } from '../icons.js'
import { PdfPages } from './PdfPages.js'
import { PublicShell, PublicWaiting } from './PublicShell.js'
import {
  consentToSign,
  declineSigning,
  fetchSigning,
  PublicError,
  type Signing,
  sendSigningCode,
  signDocument,
} from './public-api.js'

function PartyChips({ signing }: { signing: Signing }) {
  const { t } = useTranslation('public')
  const statusWord = (status: string) =>
    ({
      waiting: t('signing.status.waiting'),
      sent: t('signing.status.sent'),
      viewed: t('signing.status.viewed'),
      consented: t('signing.status.consented'),
      signed: t('signing.status.signed'),
      declined: t('signing.status.declined'),
      expired: t('signing.status.expired'),
    })[status] ?? status
  return (
    <Stack direction="row" sx={{ flexWrap: 'wrap', gap: 1 }} aria-label={t('signing.whoSigns')}>
      {signing.parties.map((p) => (
        <Chip
          key={`${p.role}-${p.name}`}
          size="small"
          color={
            p.status === 'signed' ? 'success' : p.status === 'declined' || p.status === 'expired' ? 'error' : 'default'
          }
          variant={p.status === 'signed' ? 'filled' : 'outlined'}
          label={t('signing.chip', {
            role: p.role === 'company' ? t('signing.role.company') : t('signing.role.client'),
            name: p.name,
            status: statusWord(p.status),
          })}
          sx={{ maxWidth: '100%', height: 'auto', '& .MuiChip-label': { whiteSpace: 'normal', py: 0.5 } }}
        />
      ))}
    </Stack>
  )
}

/** A pad to draw on with a finger or a mouse, as sharp as the screen. */
function DrawPad({ onChange }: { onChange: (dataUrl: string | undefined) => void }) {
  const { t } = useTranslation('public')
  const canvas = useRef<HTMLCanvasElement>(null)
  const pad = useRef<SignaturePad | undefined>(undefined)
  useEffect(() => {
    const element = canvas.current
    if (!element) return
    const signaturePad = new SignaturePad(element, { penColor: '#1a2a6c', minWidth: 1, maxWidth: 2.8 })
    pad.current = signaturePad
    const resize = () => {
      const ratio = Math.max(window.devicePixelRatio || 1, 1)
      const data = signaturePad.toData()
      element.width = element.offsetWidth * ratio
      element.height = element.offsetHeight * ratio
      element.getContext('2d')?.scale(ratio, ratio)
      signaturePad.fromData(data)
    }
    resize()
    const changed = () => onChange(signaturePad.isEmpty() ? undefined : signaturePad.toDataURL('image/png'))
    signaturePad.addEventListener('endStroke', changed)
    window.addEventListener('resize', resize)
    return () => {
      signaturePad.removeEventListener('endStroke', changed)
      window.removeEventListener('resize', resize)
      signaturePad.off()
    }
  }, [onChange])
  return (
    <Box>
      <Box
        component="canvas"
        ref={canvas}
        data-testid="signature-pad"
        aria-label={t('signing.pad')}
        sx={{
          width: '100%',
          height: 180,
          display: 'block',
          touchAction: 'none',
          border: '1px dashed',
          borderColor: 'text.secondary',
          borderRadius: 1,
          bgcolor: '#fbfbf8',
          cursor: 'crosshair',
        }}
      />
      <Stack direction="row" sx={{ justifyContent: 'space-between', alignItems: 'center', mt: 0.5 }}>
        <Typography variant="caption" color="text.secondary">
          {t('signing.padHint')}
        </Typography>
        <Button
          size="small"
          onClick={() => {
            pad.current?.clear()
            onChange(undefined)
          }}
        >
          {t('signing.clear')}
        </Button>
      </Stack>
    </Box>
  )
}

function Done({ signing, token }: { signing: Signing; token: string }) {
  const { t } = useTranslation('public')
  const everyone = signing.parties.every((p) => p.status === 'signed')
  return (
    <Paper variant="outlined" sx={{ p: { xs: 2, sm: 3 }, borderRadius: 3 }} role="status">
      <Stack direction="row" spacing={1.5} sx={{ alignItems: 'center', mb: 1 }}>
        <CheckCircleIcon color="success" />
        <Typography variant="h2" component="h2">
          {t('signing.done.title')}
        </Typography>
      </Stack>
      <Typography color="text.secondary" sx={{ mb: 2 }}>
        {everyone ? t('signing.done.everyone') : t('signing.done.waiting')}
      </Typography>
      <Stack direction={{ xs: 'column', sm: 'row' }} spacing={1} sx={{ alignItems: { sm: 'center' } }}>
        <Button variant="contained" startIcon={<DownloadIcon />} href={`/api/public/signing/${token}/pdf?download=1`}>
          {t('signing.done.download')}
        </Button>
        {everyone && (
          <Button href="/verify" size="small">
            {t('signing.done.verify')}
          </Button>
        )}
      </Stack>
    </Paper>
  )
}

export function SigningPage({ token }: { token: string }) {
  const { t, i18n } = useTranslation('public')
  /** The language the signer picked on this page, if they did: asked of the server from then on. */
  const picked = useRef<Language | undefined>(undefined)
  const [signing, setSigning] = useState<Signing | undefined>()
  /** Why the page cannot be shown (said in the page's language when it is drawn). */
  const [loadError, setLoadError] = useState<{ error: unknown } | undefined>()
  const [agreed, setAgreed] = useState(false)
  const [method, setMethod] = useState<'drawn' | 'typed'>('drawn')
  const [drawn, setDrawn] = useState<string | undefined>()
  const [typed, setTyped] = useState('')
  const [fields, setFields] = useState<Record<string, string>>({})
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<string | undefined>()
  const [declining, setDeclining] = useState(false)
  const [reason, setReason] = useState('')
  const [code, setCode] = useState('')

  const load = useCallback(() => {
    fetchSigning(token, picked.current).then(
      (s) => {
        // The page speaks the signer's language unless they picked another.
        if (!picked.current && i18n.resolvedLanguage !== s.partyLanguage) void i18n.changeLanguage(s.partyLanguage)
        setSigning(s)
        setLoadError(undefined)
      },
      (error: unknown) => setLoadError({ error }),
    )
  }, [token, i18n])
  useEffect(load, [load])
  useEffect(() => {
    document.title = signing ? t('signing.pageTitle', { title: signing.document.title }) : t('signing.pageTitleLoading')
  }, [signing, t])
  const onLanguage = useCallback(
    (language: Language) => {
      picked.current = language
      load()
    },
    [load],
  )
  const onDrawn = useCallback((url: string | undefined) => setDrawn(url), [])

  const act = async (work: () => Promise<unknown>) => {
    setBusy(true)
    setError(undefined)
    try {
      await work()
      load()
    } catch (e) {
      // The server's refusal, in the page's language; or ours, for what never reached it.
      setError(e instanceof PublicError ? e.message : t('error.failed'))
    } finally {
      setBusy(false)
    }
  }

  if (loadError || !signing) {
    const e = loadError?.error
    const message = !loadError
      ? undefined
      : e instanceof PublicError && e.code === 'not-found'
        ? t('error.notFound')
        : e instanceof PublicError
          ? e.message
          : t('error.cannotOpen')
    return <PublicWaiting error={message} />
  }

  const { document: doc, party } = signing
  const signed = party.status === 'signed'
  const missing = signing.fields.find((f) => f.required && !(fields[f.id] ?? '').trim())
  const signature = method === 'drawn' ? drawn : typed.trim().length >= 2 ? typed.trim() : undefined
  const codeMissing = signing.oneTimeCode && !/^\d{6}$/.test(code.trim())

  return (
    <>
      <PublicShell kicker={t('signing.kicker', { issuer: doc.issuedBy })} title={doc.title} onLanguage={onLanguage}>
        <Stack spacing={2}>
          <Stack
            direction={{ xs: 'column', sm: 'row' }}
            spacing={1}
            sx={{ justifyContent: 'space-between', alignItems: { sm: 'center' } }}
          >
            <PartyChips signing={signing} />
            <Button
              size="small"
              variant="outlined"
              startIcon={<DownloadIcon />}
              href={`${doc.pdfUrl}?download=1`}
              sx={{ alignSelf: { xs: 'flex-start', sm: 'center' }, flexShrink: 0 }}
            >
              {t('signing.download')}
            </Button>
          </Stack>

          {/* Drawn again whenever someone signs: the PDF then has their signature (and, at the end, the certificate). */}
          <PdfPages key={signing.parties.map((p) => p.status).join()} url={doc.pdfUrl} title={doc.title} />

          {signed ? (
            <Done signing={signing} token={token} />
          ) : signing.problem ? (
            <Alert severity={signing.problem.code === 'not-your-turn' ? 'info' : 'warning'} role="alert">
              {signing.problem.message}
            </Alert>
          ) : (
            <Paper
              variant="outlined"
              component="section"
              aria-labelledby="sign-title"
              sx={{ p: { xs: 2, sm: 3 }, borderRadius: 3, display: 'grid', gap: 2 }}
            >
              <Typography id="sign-title" variant="h2" component="h2">
                {signing.consented ? t('signing.signTitle') : t('signing.before')}
              </Typography>
              {error && (
                <Alert severity="error" role="alert">
                  {error}
                </Alert>
              )}
              {!signing.consented ? (
                <>
                  <Box
                    sx={{ bgcolor: '#f7f8f6', border: '1px solid', borderColor: 'divider', borderRadius: 2, p: 1.5 }}
                    data-testid="disclosure"
                  >
                    <Typography variant="body2" lang={signing.disclosure.language}>
                      {signing.disclosure.text}
                    </Typography>
                    <Typography variant="caption" color="text.secondary">
                      {t('signing.noticeVersion', { version: signing.disclosure.version })}
                    </Typography>
                  </Box>
                  <FormControlLabel
                    control={<Checkbox checked={agreed} onChange={(e) => setAgreed(e.target.checked)} />}
                    label={t('signing.agree')}
                  />
                  <Button
                    variant="contained"
                    size="large"
                    disabled={!agreed || busy}
                    onClick={() => act(() => consentToSign(token, signing.disclosure.sha256, picked.current))}
                  >
                    {t('signing.continue')}
                  </Button>
                </>
              ) : (
                <>
                  {signing.fields.map((f) => (
                    <TextField
                      key={f.id}
                      label={f.label}
                      required={f.required}
                      value={fields[f.id] ?? ''}
                      onChange={(e) => setFields({ ...fields, [f.id]: e.target.value })}
                      fullWidth
                    />
                  ))}
                  <Tabs
                    value={method}
                    onChange={(_, v: 'drawn' | 'typed') => setMethod(v)}
                    aria-label={t('signing.howToSign')}
                  >
                    <Tab value="drawn" label={t('signing.draw')} />
                    <Tab value="typed" label={t('signing.type')} />
                  </Tabs>
                  {method === 'drawn' ? (
                    <DrawPad onChange={onDrawn} />
                  ) : (
                    <Box>
                      <TextField
                        label={t('signing.fullName')}
                        value={typed}
                        onChange={(e) => setTyped(e.target.value)}
                        fullWidth
                        autoComplete="name"
                      />
                      {typed.trim() && (
                        <Typography
                          aria-hidden
                          sx={{
                            fontFamily: '"DejaVu Serif", Georgia, serif',
                            fontStyle: 'italic',
                            fontSize: 30,
                            color: '#1a2a6c',
                            mt: 1,
                          }}
                        >
                          {typed}
                        </Typography>
                      )}
                    </Box>
                  )}
                  {signing.oneTimeCode && (
                    <Box sx={{ display: 'grid', gap: 1 }} data-testid="one-time-code">
                      <Typography variant="body2">
                        {!signing.codeSentTo
                          ? t('signing.code.toAddress')
                          : signing.party.channel === 'sms'
                            ? t('signing.code.toPhone')
                            : t('signing.code.toEmail')}
                      </Typography>
                      <Stack direction="row" spacing={1} sx={{ alignItems: 'flex-start' }}>
                        <TextField
                          label={t('signing.code.label')}
                          value={code}
                          onChange={(e) => setCode(e.target.value.replace(/\D/g, '').slice(0, 6))}
                          slotProps={{ htmlInput: { inputMode: 'numeric', autoComplete: 'one-time-code' } }}
                          sx={{ width: 140 }}
                        />
                        <Button
                          variant="outlined"
                          disabled={busy}
                          onClick={() => act(() => sendSigningCode(token, picked.current))}
                          sx={{ mt: 1 }}
                        >
                          {signing.codeSentTo ? t('signing.code.sendAgain') : t('signing.code.send')}
                        </Button>
                      </Stack>
                    </Box>
                  )}
                  <Typography variant="body2" color="text.secondary">
                    <Trans t={t} i18nKey="signing.signingAs" components={{ name: <strong>{party.name}</strong> }} />
                  </Typography>
                  <Button
                    variant="contained"
                    size="large"
                    disabled={busy || !signature || missing !== undefined || codeMissing}
                    onClick={() =>
                      act(() =>
                        signDocument(
                          token,
                          method === 'drawn'
                            ? { method: 'drawn', png: signature as string }
                            : { method: 'typed', text: signature as string },
                          fields,
                          signing.oneTimeCode ? code.trim() : undefined,
                          picked.current,
                        ),
                      )
                    }
                  >
                    {busy ? t('signing.signing') : t('signing.sign')}
                  </Button>
                  {missing && (
                    <Typography variant="caption" color="text.secondary">
                      {t('signing.fillFirst', { label: missing.label })}
                    </Typography>
                  )}
                </>
              )}
              <Button color="inherit" size="small" sx={{ justifySelf: 'start' }} onClick={() => setDeclining(true)}>
                {t('signing.decline')}
              </Button>
            </Paper>
          )}
        </Stack>
      </PublicShell>
      <Dialog open={declining} onClose={() => setDeclining(false)} fullWidth maxWidth="xs">
        <DialogTitle>{t('signing.declineTitle')}</DialogTitle>
        <DialogContent>
          <Typography variant="body2" color="text.secondary" sx={{ mb: 1.5 }}>
            {t('signing.declineNote', { issuer: doc.issuedBy })}
          </Typography>
          <TextField
            label={t('signing.why')}
            value={reason}
            onChange={(e) => setReason(e.target.value)}
            multiline
            minRows={2}
            fullWidth
            autoFocus
          />
        </DialogContent>
        <DialogActions>
          <Button onClick={() => setDeclining(false)}>{t('signing.back')}</Button>
          <Button
            color="error"
            variant="contained"
            disabled={!reason.trim() || busy}
            onClick={() => {
              setDeclining(false)
              void act(() => declineSigning(token, reason.trim(), picked.current))
            }}
          >
            {t('signing.declineButton')}
          </Button>
        </DialogActions>
      </Dialog>
    </>
  )
}
