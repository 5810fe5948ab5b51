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
import { useCallback, useEffect, useMemo, useState } from 'react'
import { DOCUMENT_TYPES, type DocumentType } from '../../../shared/graph/vocabulary.js'
import { ApiError, templatePreviewUrl } from '../api.js'
import { PdfPages } from '../public/PdfPages.js'
import { hrefOf } from '../route.js'
import { useMay } from './may.js'
import { type EditorDraft, LOCALES, languageName, PreviewButton, TemplateEditor, TYPE_NAMES } from './TemplateEditor.js'
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

// ------------------------------------------------------------ the list

function TemplateList({ onNew }: { onNew: (from?: DocumentType) => void }) {
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
          Document templates
        </Typography>
        {canCreate && (
          <Button variant="contained" onClick={() => onNew()}>
            New template…
          </Button>
        )}
      </Stack>
      <Typography variant="body2" color="text.secondary">
        Built-in templates are drawn from the element by code. Your own are PDFs with fields placed on their pages:
        values from the element, and boxes each party fills when signing.
      </Typography>
      {!canCreate && (
        <Alert severity="info" variant="outlined">
          Your role may look at templates; making and changing them is for sales, analysts and admins.
        </Alert>
      )}
      {problem && <Alert severity="error">{problem}</Alert>}
      {templates && (
        <Paper variant="outlined" sx={{ overflowX: 'auto' }}>
          <Table size="small" aria-labelledby="templates-title">
            <TableHead>
              <TableRow>
                <TableCell>Name</TableCell>
                <TableCell>Type</TableCell>
                <TableCell>Source</TableCell>
                <TableCell>Language</TableCell>
                <TableCell align="right">Fields</TableCell>
                <TableCell />
              </TableRow>
            </TableHead>
            <TableBody>
              {templates.map((t) => (
                <TableRow key={t.id} hover data-testid={`template-row-${t.id}`}>
                  <TableCell>
                    <Link href={hrefOf('templates', t.id)} underline="hover" sx={{ fontWeight: 600 }}>
                      {t.name}
                    </Link>
                  </TableCell>
                  <TableCell>{TYPE_NAMES[t.type] ?? t.type}</TableCell>
                  <TableCell>
                    <Chip
                      size="small"
                      variant="outlined"
                      color={t.source === 'builtin' ? 'default' : 'primary'}
                      label={t.source === 'builtin' ? 'Built in' : 'Uploaded PDF'}
                    />
                  </TableCell>
                  <TableCell>{languageName(t.locale)}</TableCell>
                  <TableCell align="right">
                    {t.source === 'builtin' ? (
                      <Typography variant="body2" color="text.secondary" component="span">
                        drawn by code
                      </Typography>
                    ) : (
                      t.fields.length
                    )}
                  </TableCell>
                  <TableCell align="right">
                    {t.source === 'builtin' && canCreate && (
                      <Button size="small" onClick={() => onNew(t.type as DocumentType)}>
                        Make my own…
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
  const [template, setTemplate] = useState<TemplateDetails | undefined>()
  const [problem, setProblem] = useState<string | undefined>()
  useEffect(() => {
    const abort = new AbortController()
    fetchTemplate(id, abort.signal).then(setTemplate, (e) => {
      if (e instanceof ApiError) setProblem(e.status === 404 ? `There is no template “${id}”.` : e.message)
    })
    return () => abort.abort()
  }, [id])
  const back = useCallback(() => {
    window.location.hash = hrefOf('templates')
  }, [])

  if (problem) {
    return (
      <Stack spacing={2}>
        <Link href={hrefOf('templates')}>← Templates</Link>
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

const SAMPLE = { title: 'Annual service contract', amount: '12000', clientName: 'Sample Client Ltd' }

function BuiltinTemplate({ template, onMakeOwn }: { template: TemplateDetails; onMakeOwn: () => void }) {
  const may = useMay()
  const options = useMemo(() => bindOptions('deal'), [])
  return (
    <Box component="section" aria-labelledby="builtin-title" sx={{ display: 'grid', gap: 2 }}>
      <Stack direction="row" spacing={1.5} useFlexGap sx={{ flexWrap: 'wrap', alignItems: 'center' }}>
        <Link href={hrefOf('templates')} underline="hover">
          ← Templates
        </Link>
        <Typography id="builtin-title" variant="h2">
          {template.name}
        </Typography>
        <Chip size="small" label={TYPE_NAMES[template.type] ?? template.type} />
        <Chip size="small" variant="outlined" label="Built in" />
        <Box sx={{ flex: 1 }} />
        {may('previewTemplate') && (
          <PreviewButton templateId={template.id} fields={[]} options={options} dirty={false} />
        )}
        {may('createTemplate') && may('uploadFile') && (
          <Button variant="contained" onClick={onMakeOwn}>
            Make my own from this one…
          </Button>
        )}
      </Stack>
      <Alert severity="info" variant="outlined">
        A built-in template is drawn by code from the element: our company and the client with their requisites, the
        items with tax and totals, our bank details, and the signature and stamp boxes of both parties. It stays as it
        is; to place fields yourself, make your own from it — its layout is copied onto a page you can change. Language{' '}
        {languageName(template.locale)}, {template.currency}, tax {template.taxRate}%.
      </Alert>
      {may('previewTemplate') && (
        <Box sx={{ maxWidth: 760, width: '100%', justifySelf: 'center' }}>
          <PdfPages
            url={templatePreviewUrl(template.id, sampleValues(SAMPLE, [], options))}
            title={`${template.name}, drawn for a sample`}
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
  const [start, setStart] = useState<'upload' | 'builtin'>(from ? 'builtin' : 'upload')
  const [builtin, setBuiltin] = useState<DocumentType>(from ?? 'invoice')
  const [base, setBase] = useState<'plain' | 'own'>('plain')
  const [file, setFile] = useState<File | undefined>()
  const [name, setName] = useState(from ? `My ${TYPE_NAMES[from]?.toLowerCase()}` : '')
  const [type, setType] = useState<DocumentType>(from ?? 'contract')
  const [locale, setLocale] = useState('en-GB')
  const [busy, setBusy] = useState(false)
  const [problem, setProblem] = useState<{ text: string; at?: string } | undefined>()
  const needsFile = start === 'upload' || base === 'own'

  const go = async () => {
    if (!name.trim()) return setProblem({ text: 'Give the template a name.', at: 'name' })
    if (needsFile && !file) return setProblem({ text: 'Choose a PDF file.', at: 'file' })
    setBusy(true)
    setProblem(undefined)
    try {
      const pdf = await import('./template-base.js')
      const bytes =
        needsFile && file
          ? new Uint8Array(await file.arrayBuffer())
          : await pdf.starterPdf(start === 'builtin' ? builtin : type)
      let sizes: Awaited<ReturnType<typeof pdf.pageSizesOf>>
      try {
        sizes = await pdf.pageSizesOf(bytes)
      } catch {
        throw new ApiError(
          422,
          'invalid',
          'This file is not a PDF we can read (an encrypted or damaged one?).',
          undefined,
          undefined,
          '/file',
        )
      }
      const first = sizes[0]
      if (!first) throw new ApiError(422, 'invalid', 'This PDF has no pages.', undefined, undefined, '/file')
      const stored = await uploadPdf(file && needsFile ? file.name : `${name.trim()}.pdf`, bytes)
      const fields = start === 'builtin' ? layoutOnPage(builtinLayout(builtin).fields, first) : []
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
          : { text: 'The template could not be started.' },
      )
    } finally {
      setBusy(false)
    }
  }

  return (
    <Dialog open onClose={busy ? undefined : onClose} fullWidth maxWidth="sm" aria-labelledby="new-template-title">
      <DialogTitle id="new-template-title">New template</DialogTitle>
      <DialogContent sx={{ display: 'grid', gap: 2, pt: '8px !important' }}>
        <ToggleButtonGroup
          exclusive
          size="small"
          value={start}
          aria-label="Start from"
          onChange={(_, v: 'upload' | 'builtin' | null) => {
            if (!v) return
            setStart(v)
            if (v === 'builtin' && !name) setName(`My ${TYPE_NAMES[builtin]?.toLowerCase()}`)
          }}
        >
          <ToggleButton value="upload">Upload a PDF</ToggleButton>
          <ToggleButton value="builtin">Start from a built-in one</ToggleButton>
        </ToggleButtonGroup>
        {start === 'builtin' && (
          <>
            <TextField
              select
              size="small"
              label="Built-in template"
              value={builtin}
              onChange={(e) => {
                const t = e.target.value as DocumentType
                if (!name || name === `My ${TYPE_NAMES[builtin]?.toLowerCase()}`)
                  setName(`My ${TYPE_NAMES[t]?.toLowerCase()}`)
                setBuiltin(t)
              }}
            >
              {DOCUMENT_TYPES.map((t) => (
                <MenuItem key={t} value={t}>
                  {TYPE_NAMES[t]} ({BUILTIN_IDS[t]})
                </MenuItem>
              ))}
            </TextField>
            <Box>
              <Typography variant="body2" color="text.secondary" id="base-label">
                Its fields — our company, the client, the subject, the amount, both parties' signature, stamp and date —
                are placed on:
              </Typography>
              <RadioGroup
                aria-labelledby="base-label"
                value={base}
                onChange={(e) => setBase(e.target.value as 'plain' | 'own')}
              >
                <FormControlLabel
                  value="plain"
                  control={<Radio size="small" />}
                  label="A plain A4 page laid out like it"
                />
                <FormControlLabel value="own" control={<Radio size="small" />} label="My own PDF (a letterhead, say)" />
              </RadioGroup>
            </Box>
          </>
        )}
        {needsFile && (
          <Box>
            <Button component="label" variant="outlined">
              {file ? 'Choose another PDF…' : 'Choose a PDF…'}
              <input
                type="file"
                accept="application/pdf,.pdf"
                hidden
                aria-label="PDF file"
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
                  ? `${file.name}, ${Math.ceil(file.size / 1024)} KB`
                  : 'At most 10 MB.'}
            </Typography>
          </Box>
        )}
        <TextField
          size="small"
          label="Name"
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
            label="Type"
            value={type}
            onChange={(e) => setType(e.target.value as DocumentType)}
          >
            {DOCUMENT_TYPES.map((t) => (
              <MenuItem key={t} value={t}>
                {TYPE_NAMES[t]}
              </MenuItem>
            ))}
          </TextField>
        )}
        <TextField select size="small" label="Language" value={locale} onChange={(e) => setLocale(e.target.value)}>
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
          Cancel
        </Button>
        <Button variant="contained" onClick={() => void go()} disabled={busy}>
          {busy ? 'Uploading…' : 'Place the fields'}
        </Button>
      </DialogActions>
    </Dialog>
  )
}
