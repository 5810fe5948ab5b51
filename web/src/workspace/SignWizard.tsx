/**
 * The Sign wizard (SPEC §3.1): from an element, pick what to sign — a new document from a template, or one
 * the element has that was not sent yet — fill the document's own fields, choose the channel and who signs
 * for the company, and send. When a document of that type was sent from another element, "Use this
 * template" (SPEC §3.2) sends the same one for this element in one more click.
 */
import Alert from '@mui/material/Alert'
import Box from '@mui/material/Box'
import Button from '@mui/material/Button'
import Checkbox from '@mui/material/Checkbox'
import Dialog from '@mui/material/Dialog'
import DialogActions from '@mui/material/DialogActions'
import DialogContent from '@mui/material/DialogContent'
import DialogTitle from '@mui/material/DialogTitle'
import FormControlLabel from '@mui/material/FormControlLabel'
import Link from '@mui/material/Link'
import MenuItem from '@mui/material/MenuItem'
import Stack from '@mui/material/Stack'
import TextField from '@mui/material/TextField'
import ToggleButton from '@mui/material/ToggleButton'
import ToggleButtonGroup from '@mui/material/ToggleButtonGroup'
import Typography from '@mui/material/Typography'
import type { TFunction } from 'i18next'
import { useEffect, useMemo, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { ApiError } from '../api.js'
import {
  type DocumentView,
  type Element,
  fetchTemplates,
  type Reuse,
  type SendForSigning,
  sendForSigning,
  suggestReuse,
  type Template,
  type User,
} from './workspace-api.js'

/** A document of a type as the "Use this template" sentence names it ("A contract"). */
function reuseType(t: TFunction, type: string): string {
  switch (type) {
    case 'contract':
      return t('workspace:wizard.reuseType.contract')
    case 'invoice':
      return t('workspace:wizard.reuseType.invoice')
    case 'commercialOffer':
      return t('workspace:wizard.reuseType.commercialOffer')
    case 'act':
      return t('workspace:wizard.reuseType.act')
    case 'other':
      return t('workspace:wizard.reuseType.other')
    default:
      return type
  }
}

const channelWord = (t: TFunction, channel: string) =>
  channel === 'sms' ? t('workspace:channel.sms') : channel === 'email' ? t('workspace:channel.email') : channel

interface Sent {
  documentNumber: string
  clientSigningLink: string
}

export function SignWizard({
  element,
  documents,
  users,
  me,
  client,
  onClose,
  onSent,
}: {
  element: Element
  documents: DocumentView[]
  users: User[]
  me: string | undefined
  client: { name: string; email: string; phone: string }
  onClose: () => void
  onSent: () => void
}) {
  const { t } = useTranslation('workspace')
  const unsent = documents.filter((d) => d.status === 'created')
  const [templates, setTemplates] = useState<Template[]>([])
  const [source, setSource] = useState<string>(unsent[0] ? `document:${unsent[0].id}` : '')
  const [fields, setFields] = useState<Record<string, string>>({})
  const [channel, setChannel] = useState<'email' | 'sms'>(client.email ? 'email' : client.phone ? 'sms' : 'email')
  const signerDefault =
    users.find((u) => u.id === me && u.role !== 'readOnly')?.id ?? users.find((u) => u.id === element.responsible)?.id
  const [signer, setSigner] = useState<string>(signerDefault ?? users[0]?.id ?? '')
  const [name, setName] = useState(client.name)
  const [email, setEmail] = useState(client.email)
  const [phone, setPhone] = useState(client.phone)
  const [oneTimeCode, setOneTimeCode] = useState(false)
  const [reuse, setReuse] = useState<Reuse | undefined>()
  const [problem, setProblem] = useState<{ text: string; path?: string | undefined } | undefined>()
  const [busy, setBusy] = useState(false)
  const [sent, setSent] = useState<Sent | undefined>()

  useEffect(() => {
    const abort = new AbortController()
    fetchTemplates(abort.signal).then(
      (all) => {
        setTemplates(all)
        setSource((s) => s || `template:${all.find((x) => x.type === 'contract')?.id ?? all[0]?.id ?? ''}`)
      },
      () => setTemplates([]),
    )
    return () => abort.abort()
  }, [])

  const template = source.startsWith('template:') ? templates.find((x) => `template:${x.id}` === source) : undefined
  const document = source.startsWith('document:') ? unsent.find((d) => `document:${d.id}` === source) : undefined
  const type = template?.type ?? document?.type
  // "Use this template": the last document of this type sent from another element.
  useEffect(() => {
    setReuse(undefined)
    if (!type) return
    const abort = new AbortController()
    suggestReuse(element.id, type, abort.signal).then(setReuse, () => setReuse(undefined))
    return () => abort.abort()
  }, [element.id, type])

  /** The document's own fields, which the sender fills: text bound to "fields.<name>". */
  const ownFields = useMemo(
    () =>
      (template?.fields ?? [])
        .filter((f) => f.kind === 'text' && f.bind?.startsWith('fields.'))
        .map((f) => ({
          key: (f.bind as string).slice('fields.'.length),
          label: f.label ?? f.id,
          required: f.required,
        })),
    [template],
  )

  const send = async (body: SendForSigning) => {
    setBusy(true)
    setProblem(undefined)
    try {
      const answer = await sendForSigning(element.id, body)
      setSent({ documentNumber: answer.documentNumber, clientSigningLink: answer.clientSigningLink })
      onSent()
    } catch (e) {
      setProblem(e instanceof ApiError ? { text: e.message, path: e.path } : { text: t('wizard.notSent') })
    } finally {
      setBusy(false)
    }
  }
  const signerEmail = users.find((u) => u.id === signer)?.email
  const clientBody = {
    name: name.trim(),
    ...(email.trim() ? { email: email.trim() } : {}),
    ...(phone.trim() ? { phone: phone.trim() } : {}),
  }
  const sendNew = () =>
    send({
      ...(template ? { template: template.id } : {}),
      ...(document ? { document: document.id } : {}),
      ...(signerEmail ? { companySigner: signerEmail } : {}),
      channel,
      client: clientBody,
      ...(ownFields.length ? { fields: Object.fromEntries(ownFields.map((f) => [f.key, fields[f.key] ?? ''])) } : {}),
      ...(oneTimeCode ? { oneTimeCode: true } : {}),
    })
  const missing =
    !source ||
    !name.trim() ||
    (channel === 'email' ? !email.trim() : !phone.trim()) ||
    ownFields.some((f) => f.required && !fields[f.key]?.trim())
  const at = (path: string) => problem?.path?.startsWith(path)

  return (
    <Dialog open onClose={onClose} fullWidth maxWidth="sm" aria-labelledby="sign-title">
      <DialogTitle id="sign-title">{t('wizard.title', { title: element.title })}</DialogTitle>
      <DialogContent sx={{ display: 'grid', gap: 2, pt: '8px !important' }}>
        {sent ? (
          <Alert severity="success" data-testid="sign-sent">
            <Typography variant="body2">
              {channel === 'sms'
                ? t('wizard.sentSms', { number: sent.documentNumber })
                : t('wizard.sentEmail', { number: sent.documentNumber })}
            </Typography>
            <Typography variant="body2" sx={{ mt: 1, overflowWrap: 'anywhere' }}>
              {t('wizard.clientLink')}{' '}
              <Link href={sent.clientSigningLink} target="_blank" rel="noopener">
                {sent.clientSigningLink}
              </Link>
            </Typography>
          </Alert>
        ) : (
          <>
            {reuse && (
              <Alert
                severity="info"
                data-testid="sign-reuse"
                action={
                  <Button
                    color="inherit"
                    size="small"
                    disabled={busy}
                    onClick={() => void send({ reuse: reuse.document.id, client: clientBody })}
                  >
                    {t('wizard.useTemplate')}
                  </Button>
                }
              >
                {t('wizard.reuse', {
                  document: reuseType(t, reuse.document.type),
                  number: reuse.document.number,
                  client: name || t('wizard.thisClient'),
                  signer: reuse.companySigner,
                  channel: channelWord(t, reuse.channel),
                })}
              </Alert>
            )}
            <TextField
              select
              label={t('wizard.what')}
              value={source}
              onChange={(e) => setSource(e.target.value)}
              error={at('/template') || at('/document')}
              // A long choice ("… (erstellt, noch nicht gesendet)") wraps rather than ends in "…".
              slotProps={{ select: { SelectDisplayProps: { style: { whiteSpace: 'normal' } } } }}
            >
              {unsent.map((d) => (
                <MenuItem key={d.id} value={`document:${d.id}`}>
                  {t('wizard.unsent', { title: d.title, number: d.number })}
                </MenuItem>
              ))}
              {templates.map((x) => (
                <MenuItem key={x.id} value={`template:${x.id}`}>
                  {t('wizard.newFrom', { name: x.name })}
                </MenuItem>
              ))}
            </TextField>
            {ownFields.length > 0 && (
              <Box sx={{ display: 'grid', gap: 1.5 }}>
                <Typography variant="subtitle2">{t('wizard.documentFields')}</Typography>
                {ownFields.map((f) => (
                  <TextField
                    key={f.key}
                    size="small"
                    label={f.label}
                    required={f.required === true}
                    value={fields[f.key] ?? ''}
                    onChange={(e) => setFields((all) => ({ ...all, [f.key]: e.target.value }))}
                    error={at(`/fields/${f.key}`)}
                  />
                ))}
              </Box>
            )}
            <TextField
              select
              label={t('wizard.signer')}
              value={signer}
              onChange={(e) => setSigner(e.target.value)}
              error={at('/companySigner')}
            >
              {users
                .filter((u) => u.active && u.role !== 'readOnly')
                .map((u) => (
                  <MenuItem key={u.id} value={u.id}>
                    {u.name} ({u.email})
                  </MenuItem>
                ))}
            </TextField>
            <Box sx={{ display: 'grid', gap: 1.5 }}>
              <Typography variant="subtitle2">{t('wizard.client')}</Typography>
              <TextField
                size="small"
                label={t('wizard.name')}
                value={name}
                onChange={(e) => setName(e.target.value)}
                required
              />
              <Stack direction={{ xs: 'column', sm: 'row' }} spacing={1.5}>
                <TextField
                  size="small"
                  fullWidth
                  label={t('wizard.email')}
                  type="email"
                  value={email}
                  onChange={(e) => setEmail(e.target.value)}
                  required={channel === 'email'}
                  error={at('/client/email')}
                />
                <TextField
                  size="small"
                  fullWidth
                  label={t('wizard.phone')}
                  type="tel"
                  value={phone}
                  onChange={(e) => setPhone(e.target.value)}
                  required={channel === 'sms'}
                  error={at('/client/phone')}
                />
              </Stack>
              <Stack direction="row" spacing={2} sx={{ alignItems: 'center', flexWrap: 'wrap' }}>
                <ToggleButtonGroup
                  exclusive
                  size="small"
                  value={channel}
                  onChange={(_, v: 'email' | 'sms' | null) => v && setChannel(v)}
                  aria-label={t('wizard.sendBy')}
                >
                  <ToggleButton value="email">{t('wizard.byEmail')}</ToggleButton>
                  <ToggleButton value="sms">{t('wizard.bySms')}</ToggleButton>
                </ToggleButtonGroup>
                <FormControlLabel
                  control={<Checkbox checked={oneTimeCode} onChange={(e) => setOneTimeCode(e.target.checked)} />}
                  label={t('wizard.oneTimeCode')}
                />
              </Stack>
            </Box>
            {problem && (
              <Alert severity="error" data-testid="sign-problem">
                {problem.text}
              </Alert>
            )}
          </>
        )}
      </DialogContent>
      <DialogActions>
        <Button onClick={onClose}>{sent ? t('wizard.close') : t('wizard.cancel')}</Button>
        {!sent && (
          <Button variant="contained" disabled={missing || busy} onClick={() => void sendNew()}>
            {t('wizard.send')}
          </Button>
        )}
      </DialogActions>
    </Dialog>
  )
}
