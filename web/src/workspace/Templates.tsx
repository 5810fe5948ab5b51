/**
 * Document templates (`#/templates`, `#/templates/<id>`): the list — built-in ones drawn by code and uploaded
 * PDFs with fields placed on them — and "New template…": upload a PDF, or start from a built-in one, whose
 * field layout is copied onto a plain A4 page drawn like it (or onto one's own PDF, a letterhead say). Opening
 * an uploaded template opens the editor (`TemplateEditor`); a built-in one shows what it is, drawn for a sample
 * to those who may preview, with "Make my own from this one…".
 */
import Alert from '@mui/material/Alert'
import Box from '@mui/material/Box'
import Button from '@mui/material/Button'
import Chip from '@mui/material/Chip'
import Dialog from '@mui/material/Dialog'
import DialogActions from '@mui/material/DialogActions'
import DialogContent from '@mui/material/DialogContent'
import DialogTitle from '@mui/material/DialogTitle'
import FormControlLabel from '@mui/material/FormControlLabel'
import Link from '@mui/material/Link'
import MenuItem from '@mui/material/MenuItem'
import Paper from '@mui/material/Paper'
import Radio from '@mui/material/Radio'
import RadioGroup from '@mui/material/RadioGroup'
import Stack from '@mui/material/Stack'
import Table from '@mui/material/Table'
import TableBody from '@mui/material/TableBody'
import TableCell from '@mui/material/TableCell'
import TableHead from '@mui/material/TableHead'
import TableRow from '@mui/material/TableRow'
import TextField from '@mui/material/TextField'
import ToggleButton from '@mui/material/ToggleButton'
import ToggleButtonGroup from '@mui/material/ToggleButtonGroup'
import Typography from '@mui/material/Typography'
import type { TFunction } from 'i18next'
import { useCallback, useEffect, useMemo, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { DOCUMENT_TYPES, type DocumentType } from '../../../shared/graph/vocabulary.js'
import { isLanguage, type Language } from '../../../shared/i18n/languages.js'
import { ApiError, templatePreviewUrl } from '../api.js'
import { currentLanguage } from '../i18n/index.js'
import { PdfPages } from '../public/PdfPages.js'
import { hrefOf } from '../route.js'
import { useMay } from './may.js'
import { type EditorDraft, LOCALES, languageName, PreviewButton, TemplateEditor, typeName } from './TemplateEditor.js'
import { BUILTIN_IDS, bindOptions, builtinLayout, layoutOnPage, sampleValues } from './template-fields.js'
import { fetchTemplate, fetchTemplates, type Template, type TemplateDetails, uploadPdf } from './workspace-api.js'

export function Templates({ templateId }: { templateId?: string | undefined }) {
  const [draft, setDraft] = useState<EditorDraft | undefined>()
  const [starting, setStarting] = useState<{ from?: DocumentType } | undefined>()
  // A saved new template is opened by its id: the draft it was is done with.
  useEffect(() => {
    if (templateId) setDraft(undefined)
  }, [templateId])

  const started = (made: EditorDraft) => {
    setStarting(undefined)
    setDraft(made)
    if (templateId) window.location.hash = hrefOf('templates')
  }

  return (
    <>
      {templateId ? (
        <OpenTemplate key={templateId} id={templateId} onMakeOwn={(from) => setStarting({ from })} />
      ) : draft ? (
        <TemplateEditor
          initial={draft}
          onSaved={(t) => {
            window.location.hash = hrefOf('templates', t.id)
          }}
          onBack={() => setDraft(undefined)}
        />
      ) : (
        <TemplateList onNew={(from) => setStarting(from ? { from } : {})} />
      )}
      {starting && (
        <NewTemplateDialog from={starting.from} onClose={() => setStarting(undefined)} onStarted={started} />
      )}
    </>
  )
}

/** The locale a new template starts with: the app's language's ("pl" → "pl-PL"). */
const DEFAULT_LOCALES: Record<Language, string> = {
  en: 'en-GB',
  pl: 'pl-PL',
  fr: 'fr-FR',
  tr: 'tr-TR',
  de: 'de-DE',
}

/** The language a document in `locale` speaks, when it is one we have words for ("pl-PL" → "pl"). */
function languageOf(locale: string): Language {
  const primary = locale.split('-')[0]?.toLowerCase()
  return isLanguage(primary) ? primary : 'en'
}

/** "My invoice": the name a template made from a built-in one starts with. */
function myName(t: TFunction, type: DocumentType): string {
  switch (type) {
    case 'invoice':
      return t('templates:myName.invoice')
    case 'contract':
      return t('templates:myName.contract')
    case 'commercialOffer':
      return t('templates:myName.commercialOffer')
    case 'act':
      return t('templates:myName.act')
    default:
      return t('templates:myName.other')
  }
}

// ------------------------------------------------------------ the list

function TemplateList({ onNew }: { onNew: (from?: DocumentType) => void }) {
  const { t } = useTranslation('templates')
  const may = useMay()
  const canCreate = may('createTemplate') && may('uploadFile')
  const [templates, setTemplates] = useState<Template[] | undefined>()
  const [problem, setProblem] = useState<string | undefined>()
  useEffect(() => {
    const abort = new AbortController()
    fetchTemplates(abort.signal).then(setTemplates, (e) => {
      if (e instanceof ApiError) setProblem(e.message)
    })
    return () => abort.abort()
  }, [])

  return (
    <Box component="section" aria-labelledby="templates-title" sx={{ display: 'grid', gap: 2 }}>
      <Stack direction="row" spacing={1.5} useFlexGap sx={{ flexWrap: 'wrap', alignItems: 'center' }}>
        <Typography id="templates-title" variant="h2" sx={{ flex: 1 }}>
          {t('list.title')}
        </Typography>
        {canCreate && (
          <Button variant="contained" onClick={() => onNew()}>
            {t('list.new')}
          </Button>
        )}
      </Stack>
      <Typography variant="body2" color="text.secondary">
        {t('list.intro')}
      </Typography>
      {!canCreate && (
        <Alert severity="info" variant="outlined">
          {t('list.readOnly')}
        </Alert>
      )}
      {problem && <Alert severity="error">{problem}</Alert>}
      {templates && (
        <Paper variant="outlined" sx={{ overflowX: 'auto' }}>
          <Table size="small" aria-labelledby="templates-title">
            <TableHead>
              <TableRow>
                <TableCell>{t('name')}</TableCell>
                <TableCell>{t('typeLabel')}</TableCell>
                <TableCell>{t('list.source')}</TableCell>
                <TableCell>{t('language')}</TableCell>
                <TableCell align="right">{t('list.fieldsColumn')}</TableCell>
                <TableCell />
              </TableRow>
            </TableHead>
            <TableBody>
              {templates.map((template) => (
                <TableRow key={template.id} hover data-testid={`template-row-${template.id}`}>
                  <TableCell>
                    <Link href={hrefOf('templates', template.id)} underline="hover" sx={{ fontWeight: 600 }}>
                      {template.name}
                    </Link>
                  </TableCell>
                  <TableCell>{typeName(template.type)}</TableCell>
                  <TableCell>
                    <Chip
                      size="small"
                      variant="outlined"
                      color={template.source === 'builtin' ? 'default' : 'primary'}
                      label={template.source === 'builtin' ? t('builtIn') : t('list.uploaded')}
                    />
                  </TableCell>
                  <TableCell>{languageName(template.locale)}</TableCell>
                  <TableCell align="right">
                    {template.source === 'builtin' ? (
                      <Typography variant="body2" color="text.secondary" component="span">
                        {t('list.drawnByCode')}
                      </Typography>
                    ) : (
                      template.fields.length
                    )}
                  </TableCell>
                  <TableCell align="right">
                    {template.source === 'builtin' && canCreate && (
                      <Button size="small" onClick={() => onNew(template.type as DocumentType)}>
                        {t('list.makeOwn')}
                      </Button>
                    )}
                  </TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        </Paper>
      )}
    </Box>
  )
}

// ------------------------------------------------------------ one template

function OpenTemplate({ id, onMakeOwn }: { id: string; onMakeOwn: (from: DocumentType) => void }) {
  const { t } = useTranslation('templates')
  const [template, setTemplate] = useState<TemplateDetails | undefined>()
  const [problem, setProblem] = useState<string | undefined>()
  useEffect(() => {
    const abort = new AbortController()
    fetchTemplate(id, abort.signal).then(setTemplate, (e) => {
      if (e instanceof ApiError) setProblem(e.status === 404 ? t('notFound', { id }) : e.message)
    })
    return () => abort.abort()
  }, [id, t])
  const back = useCallback(() => {
    window.location.hash = hrefOf('templates')
  }, [])

  if (problem) {
    return (
      <Stack spacing={2}>
        <Link href={hrefOf('templates')}>{t('back')}</Link>
        <Alert severity="error">{problem}</Alert>
      </Stack>
    )
  }
  if (!template) return null
  if (template.source === 'builtin' || !template.fileId) {
    return <BuiltinTemplate template={template} onMakeOwn={() => onMakeOwn(template.type as DocumentType)} />
  }
  return (
    <TemplateEditor
      initial={{
        id: template.id,
        name: template.name,
        type: template.type,
        locale: template.locale,
        currency: template.currency,
        taxRate: template.taxRate,
        fileId: template.fileId,
        fields: template.fields,
      }}
      onSaved={() => undefined}
      onBack={back}
    />
  )
}

function BuiltinTemplate({ template, onMakeOwn }: { template: TemplateDetails; onMakeOwn: () => void }) {
  const { t, i18n } = useTranslation('templates')
  const may = useMay()
  const language = i18n.resolvedLanguage
  // biome-ignore lint/correctness/useExhaustiveDependencies: the labels follow the language
  const options = useMemo(() => bindOptions('deal'), [language])
  const sample = { title: t('sample.title'), amount: '12000', clientName: t('sample.client') }
  return (
    <Box component="section" aria-labelledby="builtin-title" sx={{ display: 'grid', gap: 2 }}>
      <Stack direction="row" spacing={1.5} useFlexGap sx={{ flexWrap: 'wrap', alignItems: 'center' }}>
        <Link href={hrefOf('templates')} underline="hover">
          {t('back')}
        </Link>
        <Typography id="builtin-title" variant="h2">
          {template.name}
        </Typography>
        <Chip size="small" label={typeName(template.type)} />
        <Chip size="small" variant="outlined" label={t('builtIn')} />
        <Box sx={{ flex: 1 }} />
        {may('previewTemplate') && (
          <PreviewButton templateId={template.id} fields={[]} options={options} dirty={false} />
        )}
        {may('createTemplate') && may('uploadFile') && (
          <Button variant="contained" onClick={onMakeOwn}>
            {t('builtin.makeOwn')}
          </Button>
        )}
      </Stack>
      <Alert severity="info" variant="outlined">
        {t('builtin.about', {
          language: languageName(template.locale),
          currency: template.currency,
          tax: template.taxRate,
        })}
      </Alert>
      {may('previewTemplate') && (
        <Box sx={{ maxWidth: 760, width: '100%', justifySelf: 'center' }}>
          <PdfPages
            url={templatePreviewUrl(template.id, sampleValues(sample, [], options))}
            title={t('builtin.sample', { name: template.name })}
          />
        </Box>
      )}
    </Box>
  )
}

// ------------------------------------------------------------ a new one

function NewTemplateDialog({
  from,
  onClose,
  onStarted,
}: {
  from: DocumentType | undefined
  onClose: () => void
  onStarted: (draft: EditorDraft) => void
}) {
  const { t } = useTranslation('templates')
  const [start, setStart] = useState<'upload' | 'builtin'>(from ? 'builtin' : 'upload')
  const [builtin, setBuiltin] = useState<DocumentType>(from ?? 'invoice')
  const [base, setBase] = useState<'plain' | 'own'>('plain')
  const [file, setFile] = useState<File | undefined>()
  const [name, setName] = useState(from ? myName(t, from) : '')
  const [type, setType] = useState<DocumentType>(from ?? 'contract')
  const [locale, setLocale] = useState(() => DEFAULT_LOCALES[currentLanguage()])
  const [busy, setBusy] = useState(false)
  const [problem, setProblem] = useState<{ text: string; at?: string } | undefined>()
  const needsFile = start === 'upload' || base === 'own'

  const go = async () => {
    if (!name.trim()) return setProblem({ text: t('editor.noName'), at: 'name' })
    if (needsFile && !file) return setProblem({ text: t('start.noFile'), at: 'file' })
    setBusy(true)
    setProblem(undefined)
    try {
      const pdf = await import('./template-base.js')
      const bytes =
        needsFile && file
          ? new Uint8Array(await file.arrayBuffer())
          : await pdf.starterPdf(start === 'builtin' ? builtin : type, languageOf(locale))
      let sizes: Awaited<ReturnType<typeof pdf.pageSizesOf>>
      try {
        sizes = await pdf.pageSizesOf(bytes)
      } catch {
        throw new ApiError(422, 'invalid', t('start.unreadable'), undefined, undefined, '/file')
      }
      const first = sizes[0]
      if (!first) throw new ApiError(422, 'invalid', t('start.noPages'), undefined, undefined, '/file')
      const stored = await uploadPdf(file && needsFile ? file.name : `${name.trim()}.pdf`, bytes)
      const fields = start === 'builtin' ? layoutOnPage(builtinLayout(builtin, languageOf(locale)).fields, first) : []
      onStarted({
        name: name.trim(),
        type: start === 'builtin' ? builtin : type,
        locale,
        currency: 'EUR',
        taxRate: start === 'builtin' ? 23 : 0,
        fileId: stored.id,
        fields,
      })
    } catch (e) {
      setProblem(
        e instanceof ApiError
          ? { text: e.message, at: e.path === '/file' || e.path === '' || !e.path ? 'file' : e.path.slice(1) }
          : { text: t('start.failed') },
      )
    } finally {
      setBusy(false)
    }
  }

  return (
    <Dialog open onClose={busy ? undefined : onClose} fullWidth maxWidth="sm" aria-labelledby="new-template-title">
      <DialogTitle id="new-template-title">{t('newTemplate')}</DialogTitle>
      <DialogContent sx={{ display: 'grid', gap: 2, pt: '8px !important' }}>
        <ToggleButtonGroup
          exclusive
          size="small"
          value={start}
          aria-label={t('start.from')}
          onChange={(_, v: 'upload' | 'builtin' | null) => {
            if (!v) return
            setStart(v)
            if (v === 'builtin' && !name) setName(myName(t, builtin))
          }}
        >
          <ToggleButton value="upload">{t('start.upload')}</ToggleButton>
          <ToggleButton value="builtin">{t('start.builtin')}</ToggleButton>
        </ToggleButtonGroup>
        {start === 'builtin' && (
          <>
            <TextField
              select
              size="small"
              label={t('start.builtinTemplate')}
              value={builtin}
              onChange={(e) => {
                const picked = e.target.value as DocumentType
                if (!name || name === myName(t, builtin)) setName(myName(t, picked))
                setBuiltin(picked)
              }}
            >
              {DOCUMENT_TYPES.map((d) => (
                <MenuItem key={d} value={d}>
                  {typeName(d)} ({BUILTIN_IDS[d]})
                </MenuItem>
              ))}
            </TextField>
            <Box>
              <Typography variant="body2" color="text.secondary" id="base-label">
                {t('start.placedOn')}
              </Typography>
              <RadioGroup
                aria-labelledby="base-label"
                value={base}
                onChange={(e) => setBase(e.target.value as 'plain' | 'own')}
              >
                <FormControlLabel value="plain" control={<Radio size="small" />} label={t('start.plain')} />
                <FormControlLabel value="own" control={<Radio size="small" />} label={t('start.own')} />
              </RadioGroup>
            </Box>
          </>
        )}
        {needsFile && (
          <Box>
            <Button component="label" variant="outlined">
              {file ? t('start.chooseAnother') : t('start.choose')}
              <input
                type="file"
                accept="application/pdf,.pdf"
                hidden
                aria-label={t('start.file')}
                onChange={(e) => {
                  const chosen = e.target.files?.[0]
                  setFile(chosen)
                  if (chosen && (!name || start === 'upload')) setName(chosen.name.replace(/\.pdf$/i, ''))
                }}
              />
            </Button>
            <Typography variant="body2" sx={{ mt: 0.5 }} color={problem?.at === 'file' ? 'error' : 'text.secondary'}>
              {problem?.at === 'file'
                ? problem.text
                : file
                  ? t('start.chosen', { name: file.name, size: Math.ceil(file.size / 1024) })
                  : t('start.atMost')}
            </Typography>
          </Box>
        )}
        <TextField
          size="small"
          label={t('name')}
          value={name}
          onChange={(e) => setName(e.target.value)}
          error={problem?.at === 'name'}
          helperText={problem?.at === 'name' ? problem.text : undefined}
          slotProps={{ htmlInput: { maxLength: 200 } }}
        />
        {start === 'upload' && (
          <TextField
            select
            size="small"
            label={t('typeLabel')}
            value={type}
            onChange={(e) => setType(e.target.value as DocumentType)}
          >
            {DOCUMENT_TYPES.map((d) => (
              <MenuItem key={d} value={d}>
                {typeName(d)}
              </MenuItem>
            ))}
          </TextField>
        )}
        <TextField select size="small" label={t('language')} value={locale} onChange={(e) => setLocale(e.target.value)}>
          {LOCALES.map((l) => (
            <MenuItem key={l} value={l}>
              {languageName(l)}
            </MenuItem>
          ))}
        </TextField>
        {problem && problem.at !== 'file' && problem.at !== 'name' && <Alert severity="error">{problem.text}</Alert>}
      </DialogContent>
      <DialogActions>
        <Button onClick={onClose} disabled={busy}>
          {t('start.cancel')}
        </Button>
        <Button variant="contained" onClick={() => void go()} disabled={busy}>
          {busy ? t('start.uploading') : t('start.go')}
        </Button>
      </DialogActions>
    </Dialog>
  )
}
