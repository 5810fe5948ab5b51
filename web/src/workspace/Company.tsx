/**
 * My company: our requisites and bank details as documents print them, the stamp and signature images
 * (uploaded, previewed as documents draw them), the working calendar and time zone the automation's "in
 * working hours" delays follow, and the certificate that seals signed documents (the platform's own, or an
 * uploaded .p12). Admins change them; everyone else reads.
 */
import Alert from '@mui/material/Alert'
import Autocomplete from '@mui/material/Autocomplete'
import Box from '@mui/material/Box'
import Button from '@mui/material/Button'
import Checkbox from '@mui/material/Checkbox'
import FormControlLabel from '@mui/material/FormControlLabel'
import MenuItem from '@mui/material/MenuItem'
import Paper from '@mui/material/Paper'
import Stack from '@mui/material/Stack'
import TextField from '@mui/material/TextField'
import Typography from '@mui/material/Typography'
import type { TFunction } from 'i18next'
import { type ReactNode, useCallback, useEffect, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { LANGUAGE_NAMES, LANGUAGES } from '../../../shared/i18n/languages.js'
import { ApiError, call } from '../api.js'
import { useFormat } from '../i18n/index.js'
import { useMay } from './may.js'

/** Our requisites, bank details and legal address, each with its label in the app's language. */
function labels(t: TFunction) {
  const requisites: ReadonlyArray<[string, string]> = [
    ['name', t('workspace:company.requisite.name')],
    ['taxId', t('workspace:company.requisite.taxId')],
    ['vatId', t('workspace:company.requisite.vatId')],
    ['registrationNumber', t('workspace:company.requisite.registrationNumber')],
    ['director', t('workspace:company.requisite.director')],
    ['phone', t('workspace:company.requisite.phone')],
    ['email', t('workspace:company.requisite.email')],
  ]
  const bank: ReadonlyArray<[string, string]> = [
    ['bankName', t('workspace:company.bank.bankName')],
    ['bankAccount', t('workspace:company.bank.bankAccount')],
    ['bic', t('workspace:company.bank.bic')],
  ]
  const address: ReadonlyArray<[string, string]> = [
    ['street', t('workspace:company.legalAddress.street')],
    ['postalCode', t('workspace:company.legalAddress.postalCode')],
    ['city', t('workspace:company.legalAddress.city')],
    ['region', t('workspace:company.legalAddress.region')],
    ['country', t('workspace:company.legalAddress.country')],
  ]
  return { requisites, bank, address }
}

/** Monday to Sunday, short, in the language ("Mon", "pon.", "Pzt"): 5 January 2026 was a Monday. */
function weekdays(language: string): string[] {
  const format = new Intl.DateTimeFormat(language, { weekday: 'short', timeZone: 'UTC' })
  return Array.from({ length: 7 }, (_, i) => format.format(Date.UTC(2026, 0, 5 + i)))
}

interface StoredImage {
  contentType: string
  size: number
  sha256: string
  width?: number
  height?: number
}

interface Calendar {
  timeZone: string
  workDays: number[]
  start: string
  end: string
  holidays: string[]
}

interface MyCompany {
  id: string
  name: string
  requisites: Record<string, string>
  bankDetails: Record<string, string>
  addresses: Record<string, Record<string, string>>
  images: { stamp: StoredImage | null; signature: StoredImage | null }
  calendar?: Calendar
  /** The language clients are written to unless their contact says another. */
  language?: string
  updatedAt: string
}

interface Certificate {
  commonName: string | null
  organization: string | null
  fingerprint: string
  notBefore: string
  notAfter: string
  selfSigned: boolean
}

const TIME_ZONES: readonly string[] =
  typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : ['UTC']

function Section({ title, children, label }: { title: string; children: ReactNode; label?: string }) {
  return (
    <Paper variant="outlined" component="section" aria-label={label ?? title} sx={{ p: 2, display: 'grid', gap: 1.5 }}>
      <Typography variant="h3">{title}</Typography>
      {children}
    </Paper>
  )
}

export function Company() {
  const { t } = useTranslation('workspace')
  const may = useMay()
  const canEdit = may('updateMyCompany')
  const [companies, setCompanies] = useState<MyCompany[] | undefined>()
  const [problem, setProblem] = useState<string | undefined>()
  const load = useCallback(async () => {
    try {
      const page = await call<{ items: MyCompany[] }>('/api/my-companies')
      setCompanies(page.items)
    } catch (e) {
      setProblem(e instanceof ApiError ? e.message : t('company.unreadable'))
    }
  }, [t])
  useEffect(() => {
    void load()
  }, [load])
  if (problem) return <Alert severity="error">{problem}</Alert>
  if (!companies) return null
  const company = companies[0]
  if (!company) return <Alert severity="info">{t('company.none')}</Alert>
  return (
    <Box sx={{ display: 'grid', gap: 2 }}>
      <Typography variant="h2">{company.name}</Typography>
      {!canEdit && (
        <Alert severity="info" variant="outlined">
          {t('company.readOnly')}
        </Alert>
      )}
      <Details key={company.id} company={company} canEdit={canEdit} onSaved={load} />
      <Box sx={{ display: 'grid', gap: 2, gridTemplateColumns: { xs: '1fr', md: '1fr 1fr' }, alignItems: 'start' }}>
        <Images company={company} canEdit={canEdit && may('putMyCompanyImage')} onSaved={load} />
        {company.calendar !== undefined && (
          <CalendarSection key={company.id} company={company} canEdit={canEdit} onSaved={load} />
        )}
      </Box>
      {may('getSealingCertificate') && <Sealing canEdit={may('replaceSealingCertificate')} />}
    </Box>
  )
}

function Details({ company, canEdit, onSaved }: { company: MyCompany; canEdit: boolean; onSaved: () => void }) {
  const { t } = useTranslation('workspace')
  const { requisites: REQUISITES, bank: BANK, address: ADDRESS } = labels(t)
  const [name, setName] = useState(company.name)
  const [requisites, setRequisites] = useState<Record<string, string>>(company.requisites ?? {})
  const [bank, setBank] = useState<Record<string, string>>(company.bankDetails ?? {})
  const [legal, setLegal] = useState<Record<string, string>>(company.addresses?.legal ?? {})
  const [language, setLanguage] = useState<string>(company.language ?? 'en')
  const [message, setMessage] = useState<{ severity: 'success' | 'error'; text: string; path?: string } | undefined>()
  const save = async () => {
    try {
      await call(`/api/my-companies/${encodeURIComponent(company.id)}`, {
        method: 'PATCH',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          name,
          requisites: clean(requisites),
          bankDetails: clean(bank),
          addresses: { ...company.addresses, legal: clean(legal) },
          language,
        }),
      })
      setMessage({ severity: 'success', text: t('company.saved') })
      onSaved()
    } catch (e) {
      setMessage({
        severity: 'error',
        text: e instanceof ApiError ? e.message : t('company.notSaved'),
        ...(e instanceof ApiError && e.path ? { path: e.path } : {}),
      })
    }
  }
  const field = (
    values: Record<string, string>,
    set: (v: Record<string, string>) => void,
    path: string,
    [key, label]: [string, string],
  ) => (
    <TextField
      key={key}
      size="small"
      label={label}
      value={values[key] ?? ''}
      onChange={(e) => set({ ...values, [key]: e.target.value })}
      error={message?.path === `${path}/${key}`}
      helperText={message?.path === `${path}/${key}` ? message.text : undefined}
      slotProps={{ input: { readOnly: !canEdit } }}
    />
  )
  return (
    <Section title={t('company.details')}>
      <Box sx={{ display: 'grid', gap: 1.5, gridTemplateColumns: { xs: '1fr', sm: '1fr 1fr', lg: '1fr 1fr 1fr' } }}>
        <TextField
          size="small"
          label={t('company.name')}
          value={name}
          onChange={(e) => setName(e.target.value)}
          slotProps={{ input: { readOnly: !canEdit } }}
        />
        {REQUISITES.map((r) => field(requisites, setRequisites, '/requisites', r))}
        {BANK.map((r) => field(bank, setBank, '/bankDetails', r))}
        {ADDRESS.map((r) => field(legal, setLegal, '/addresses/legal', r))}
        <TextField
          select
          size="small"
          label={t('company.language')}
          helperText={t('company.languageHelp')}
          value={language}
          onChange={(e) => setLanguage(e.target.value)}
          slotProps={{ input: { readOnly: !canEdit } }}
        >
          {LANGUAGES.map((l) => (
            <MenuItem key={l} value={l} lang={l}>
              {LANGUAGE_NAMES[l]}
            </MenuItem>
          ))}
        </TextField>
      </Box>
      {message && !message.path && <Alert severity={message.severity}>{message.text}</Alert>}
      {message?.path && message.severity === 'error' && <Alert severity="error">{message.text}</Alert>}
      {canEdit && (
        <Button variant="contained" sx={{ justifySelf: 'start' }} onClick={() => void save()}>
          {t('company.save')}
        </Button>
      )}
    </Section>
  )
}

/** Only the filled values: an empty one is left out rather than stored as "". */
function clean(values: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(values).filter(([, v]) => v.trim() !== ''))
}

function Images({ company, canEdit, onSaved }: { company: MyCompany; canEdit: boolean; onSaved: () => void }) {
  const { t } = useTranslation('workspace')
  const { number } = useFormat()
  const [problem, setProblem] = useState<string | undefined>()
  const [chosen, setChosen] = useState<{ kind: 'stamp' | 'signature'; url: string; file: File } | undefined>()
  const upload = async (kind: 'stamp' | 'signature', file: File) => {
    try {
      await call(`/api/my-companies/${encodeURIComponent(company.id)}/images/${kind}`, {
        method: 'PUT',
        headers: { 'content-type': file.type || 'application/octet-stream' },
        body: file,
      })
      setProblem(undefined)
      setChosen(undefined)
      onSaved()
    } catch (e) {
      setProblem(e instanceof ApiError ? e.message : t('company.image.notStored'))
    }
  }
  return (
    <Section title={t('company.images')}>
      <Typography variant="body2" color="text.secondary">
        {t('company.imagesHint')}
      </Typography>
      <Stack direction="row" spacing={2} useFlexGap sx={{ flexWrap: 'wrap' }}>
        {(['stamp', 'signature'] as const).map((kind) => {
          const image = company.images[kind]
          const src = `/api/my-companies/${encodeURIComponent(company.id)}/images/${kind}`
          return (
            <Box key={kind} sx={{ display: 'grid', gap: 1, justifyItems: 'start' }}>
              <Typography variant="subtitle2">
                {kind === 'stamp' ? t('company.image.stamp') : t('company.image.signature')}
              </Typography>
              <Box
                sx={{
                  width: 180,
                  height: 120,
                  border: '1px dashed',
                  borderColor: 'divider',
                  borderRadius: 1,
                  display: 'grid',
                  placeItems: 'center',
                  // A paper-like checkerboard shows transparency as a document would.
                  background: 'repeating-conic-gradient(#f3f3f3 0% 25%, #ffffff 0% 50%) 50% / 16px 16px',
                }}
              >
                {chosen?.kind === kind ? (
                  <img
                    src={chosen.url}
                    alt={kind === 'stamp' ? t('company.image.newStamp') : t('company.image.newSignature')}
                    style={{ maxWidth: 170, maxHeight: 110, objectFit: 'contain' }}
                  />
                ) : image ? (
                  // Keyed by its hash: a replaced image is asked for again.
                  <img
                    key={image.sha256}
                    src={src}
                    alt={kind === 'stamp' ? t('company.image.ourStamp') : t('company.image.ourSignature')}
                    style={{ maxWidth: 170, maxHeight: 110, objectFit: 'contain' }}
                  />
                ) : (
                  <Typography variant="caption" color="text.secondary">
                    {t('company.image.none')}
                  </Typography>
                )}
              </Box>
              {image && chosen?.kind !== kind && (
                <Typography variant="caption" color="text.secondary">
                  {image.width && image.height ? `${image.width}×${image.height} px, ` : ''}
                  {t('company.image.kb', { size: number(Math.round(image.size / 1024)) })}
                </Typography>
              )}
              {canEdit &&
                (chosen?.kind === kind ? (
                  <Stack direction="row" spacing={1}>
                    <Button size="small" variant="contained" onClick={() => void upload(kind, chosen.file)}>
                      {t('company.image.use')}
                    </Button>
                    <Button size="small" onClick={() => setChosen(undefined)}>
                      {t('company.cancel')}
                    </Button>
                  </Stack>
                ) : (
                  <Button size="small" variant="outlined" component="label">
                    {image ? t('company.image.replace') : t('company.image.upload')}
                    <input
                      hidden
                      type="file"
                      accept="image/png,image/jpeg"
                      aria-label={
                        kind === 'stamp' ? t('company.image.uploadStamp') : t('company.image.uploadSignature')
                      }
                      onChange={(e) => {
                        const file = e.target.files?.[0]
                        if (file) setChosen({ kind, file, url: URL.createObjectURL(file) })
                        e.target.value = ''
                      }}
                    />
                  </Button>
                ))}
            </Box>
          )
        })}
      </Stack>
      {problem && <Alert severity="error">{problem}</Alert>}
    </Section>
  )
}

function CalendarSection({ company, canEdit, onSaved }: { company: MyCompany; canEdit: boolean; onSaved: () => void }) {
  const { t } = useTranslation('workspace')
  const { language } = useFormat()
  const initial = company.calendar as Calendar
  const [calendar, setCalendar] = useState<Calendar>(initial)
  const [holidays, setHolidays] = useState(initial.holidays.join(', '))
  const [message, setMessage] = useState<{ severity: 'success' | 'error'; text: string } | undefined>()
  const save = async () => {
    const list = holidays
      .split(/[\s,;]+/)
      .map((h) => h.trim())
      .filter(Boolean)
    try {
      await call(`/api/my-companies/${encodeURIComponent(company.id)}`, {
        method: 'PATCH',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ calendar: { ...calendar, holidays: list } }),
      })
      setMessage({ severity: 'success', text: t('company.calendar.saved') })
      onSaved()
    } catch (e) {
      setMessage({ severity: 'error', text: e instanceof ApiError ? e.message : t('company.notSaved') })
    }
  }
  return (
    <Section title={t('company.calendar.title')}>
      <Autocomplete
        size="small"
        disableClearable
        disabled={!canEdit}
        options={TIME_ZONES}
        value={calendar.timeZone}
        onChange={(_, timeZone) => setCalendar({ ...calendar, timeZone })}
        renderInput={(params) => <TextField {...params} label={t('company.calendar.timeZone')} />}
      />
      <Box role="group" aria-label={t('company.calendar.workDays')} sx={{ display: 'flex', flexWrap: 'wrap' }}>
        {weekdays(language).map((day, i) => (
          <FormControlLabel
            key={day}
            disabled={!canEdit}
            control={
              <Checkbox
                size="small"
                checked={calendar.workDays.includes(i + 1)}
                onChange={(e) =>
                  setCalendar({
                    ...calendar,
                    workDays: e.target.checked
                      ? [...calendar.workDays, i + 1].sort()
                      : calendar.workDays.filter((d) => d !== i + 1),
                  })
                }
              />
            }
            label={day}
          />
        ))}
      </Box>
      <Stack direction="row" spacing={1.5}>
        <TextField
          size="small"
          type="time"
          label={t('company.calendar.from')}
          value={calendar.start}
          disabled={!canEdit}
          onChange={(e) => setCalendar({ ...calendar, start: e.target.value })}
        />
        <TextField
          size="small"
          type="time"
          label={t('company.calendar.to')}
          value={calendar.end}
          disabled={!canEdit}
          onChange={(e) => setCalendar({ ...calendar, end: e.target.value })}
        />
      </Stack>
      <TextField
        size="small"
        label={t('company.calendar.holidays')}
        helperText={t('company.calendar.holidaysHint')}
        value={holidays}
        disabled={!canEdit}
        onChange={(e) => setHolidays(e.target.value)}
        multiline
      />
      {message && <Alert severity={message.severity}>{message.text}</Alert>}
      {canEdit && (
        <Button variant="contained" sx={{ justifySelf: 'start' }} onClick={() => void save()}>
          {t('company.calendar.save')}
        </Button>
      )}
    </Section>
  )
}

function Sealing({ canEdit }: { canEdit: boolean }) {
  const { t } = useTranslation('workspace')
  const { when } = useFormat()
  const [certificate, setCertificate] = useState<Certificate | undefined>()
  const [file, setFile] = useState<File | undefined>()
  const [password, setPassword] = useState('')
  const [message, setMessage] = useState<{ severity: 'success' | 'error'; text: string } | undefined>()
  const load = useCallback(() => {
    call<Certificate>('/api/settings/sealing').then(setCertificate, () => undefined)
  }, [])
  useEffect(load, [load])
  const upload = async () => {
    if (!file) return
    const bytes = new Uint8Array(await file.arrayBuffer())
    let binary = ''
    for (const b of bytes) binary += String.fromCharCode(b)
    try {
      await call('/api/settings/sealing', {
        method: 'PUT',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ p12: btoa(binary), password }),
      })
      setMessage({ severity: 'success', text: t('company.sealing.used') })
      setFile(undefined)
      setPassword('')
      load()
    } catch (e) {
      setMessage({ severity: 'error', text: e instanceof ApiError ? e.message : t('company.sealing.notTaken') })
    }
  }
  return (
    <Section title={t('company.sealing.title')}>
      {certificate && (
        <Box>
          <Typography variant="body2">
            <strong>{certificate.commonName ?? t('company.sealing.unnamed')}</strong>
            {certificate.organization ? `, ${certificate.organization}` : ''} —{' '}
            {t('company.sealing.valid', { from: when(certificate.notBefore), to: when(certificate.notAfter) })}
          </Typography>
          <Typography variant="caption" color="text.secondary" sx={{ overflowWrap: 'anywhere' }}>
            SHA-256 {certificate.fingerprint}
          </Typography>
          {certificate.selfSigned && (
            <Alert severity="info" variant="outlined" sx={{ mt: 1 }}>
              {t('company.sealing.selfSigned')}
            </Alert>
          )}
        </Box>
      )}
      {canEdit && (
        <Stack direction={{ xs: 'column', sm: 'row' }} spacing={1.5} sx={{ alignItems: { sm: 'center' } }}>
          <Button variant="outlined" component="label">
            {file ? file.name : t('company.sealing.choose')}
            <input
              hidden
              type="file"
              accept=".p12,.pfx,application/x-pkcs12"
              aria-label={t('company.sealing.file')}
              onChange={(e) => setFile(e.target.files?.[0])}
            />
          </Button>
          <TextField
            size="small"
            type="password"
            label={t('company.sealing.password')}
            value={password}
            onChange={(e) => setPassword(e.target.value)}
          />
          <Button variant="contained" disabled={!file} onClick={() => void upload()}>
            {t('company.sealing.use')}
          </Button>
        </Stack>
      )}
      {message && <Alert severity={message.severity}>{message.text}</Alert>}
    </Section>
  )
}
