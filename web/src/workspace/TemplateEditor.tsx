/**
 * The template editor: an uploaded PDF's pages drawn by pdf.js with the fields placed on them. Drag a kind of
 * field from the palette onto a page (or press it to put one on the page); select a field to drag it, resize
 * it from its corner, or nudge it with the arrow keys (Shift: ten points; Alt: resize); set it up in the side
 * panel — who fills it, what a text shows (picked with "…" from the element's fields, the document's number
 * and date, or an extra field), its label, whether it is required, its font size and exact place. Fields are
 * kept in points from the page's top-left corner, as the API stores them, and never leave their page. Save
 * makes or changes the template; what the server refuses shows at the field it names. "Preview with a sample"
 * opens the saved template drawn for sample values (for those who design flows).
 */
import Alert from '@mui/material/Alert'
import Autocomplete from '@mui/material/Autocomplete'
import Box from '@mui/material/Box'
import Button from '@mui/material/Button'
import Checkbox from '@mui/material/Checkbox'
import Chip from '@mui/material/Chip'
import FormControlLabel from '@mui/material/FormControlLabel'
import IconButton from '@mui/material/IconButton'
import InputAdornment from '@mui/material/InputAdornment'
import Link from '@mui/material/Link'
import MenuItem from '@mui/material/MenuItem'
import Paper from '@mui/material/Paper'
import Popover from '@mui/material/Popover'
import type { PopperProps } from '@mui/material/Popper'
import Skeleton from '@mui/material/Skeleton'
import Snackbar from '@mui/material/Snackbar'
import Stack from '@mui/material/Stack'
import TextField from '@mui/material/TextField'
import ToggleButton from '@mui/material/ToggleButton'
import ToggleButtonGroup from '@mui/material/ToggleButtonGroup'
import Tooltip from '@mui/material/Tooltip'
import Typography from '@mui/material/Typography'
import type { PDFPageProxy } from 'pdfjs-dist'
import * as pdfjs from 'pdfjs-dist'
import {
  type DragEvent,
  type KeyboardEvent,
  type PointerEvent,
  type ReactNode,
  useCallback,
  useEffect,
  useLayoutEffect,
  useMemo,
  useRef,
  useState,
} from 'react'
import { useTranslation } from 'react-i18next'
import { ELEMENT_TYPES, type ElementType } from '../../../shared/graph/vocabulary.js'
import { ApiError, templatePreviewUrl } from '../api.js'
import { currentLanguage, i18n } from '../i18n/index.js'
import { hrefOf } from '../route.js'
import { useMay } from './may.js'
import {
  type BindOption,
  bindLabel,
  bindOptions,
  clampRect,
  EXTRA_PREFIX,
  extraFieldLabel,
  extraFieldPath,
  FIELD_KINDS,
  type FieldKind,
  fieldName,
  fieldProblems,
  fieldsForSave,
  GRID,
  hasFontSize,
  isFieldKind,
  kindName,
  moveRect,
  newField,
  nudgeRect,
  type Party,
  type Point,
  type Problem,
  placeProblems,
  pointOnPage,
  type Rect,
  rectOf,
  resizeRect,
  type Size,
  sampleValues,
  scaleToFit,
  withKind,
} from './template-fields.js'
import { createTemplate, fileUrl, type PlacedField, type TemplateDetails, updateTemplate } from './workspace-api.js'

pdfjs.GlobalWorkerOptions.workerSrc = new URL('pdfjs-dist/build/pdf.worker.min.mjs', import.meta.url).toString()

/** A template being edited: a saved one (with its id) or a new one, not saved yet. */
export interface EditorDraft {
  id?: string
  name: string
  type: string
  locale: string
  currency: string
  taxRate: number
  fileId: string
  fields: PlacedField[]
}

/** A document type by name, in the app's language ("Invoice"); one we do not know by its code. */
export function typeName(type: string): string {
  switch (type) {
    case 'invoice':
      return i18n.t('templates:type.invoice')
    case 'contract':
      return i18n.t('templates:type.contract')
    case 'commercialOffer':
      return i18n.t('templates:type.commercialOffer')
    case 'act':
      return i18n.t('templates:type.act')
    case 'other':
      return i18n.t('templates:type.other')
    default:
      return type
  }
}

/** Languages offered for amounts and dates (a template's own stays listed). */
export const LOCALES = [
  'en-GB',
  'en-US',
  'pl-PL',
  'de-DE',
  'fr-FR',
  'es-ES',
  'it-IT',
  'nl-NL',
  'pt-PT',
  'cs-CZ',
  'tr-TR',
  'uk-UA',
]
export const CURRENCIES = ['EUR', 'PLN', 'USD', 'GBP', 'CHF', 'CZK', 'SEK', 'TRY', 'UAH']

/** "en-GB" → "British English (en-GB)", named in the app's language ("angielski (Wielka Brytania) (en-GB)"). */
export function languageName(locale: string): string {
  try {
    const name = new Intl.DisplayNames([currentLanguage()], { type: 'language' }).of(locale)
    return name && name !== locale ? `${name} (${locale})` : locale
  } catch {
    return locale
  }
}

/** An element type as the "Fields of a" list names it. */
function elementTypeName(type: ElementType): string {
  switch (type) {
    case 'deal':
      return i18n.t('templates:elementType.deal')
    case 'lead':
      return i18n.t('templates:elementType.lead')
    case 'contact':
      return i18n.t('templates:elementType.contact')
    case 'signingDocument':
      return i18n.t('templates:elementType.signingDocument')
    default:
      return type
  }
}

const DRAG_TYPE = 'application/x-signflow-template-field'

const COLORS = { text: '#1565c0', company: '#2f5d62', client: '#8a5a00', problem: '#c62828' }
const colorOf = (field: Pick<PlacedField, 'kind' | 'party'>) =>
  field.kind === 'text' ? COLORS.text : field.party === 'company' ? COLORS.company : COLORS.client

/** The palette: what can be placed, for whom. */
const PALETTE: ReadonlyArray<{ heading: () => string; party?: Party; kinds: FieldKind[] }> = [
  { heading: () => i18n.t('templates:palette.element'), kinds: ['text'] },
  {
    heading: () => i18n.t('templates:palette.company'),
    party: 'company',
    kinds: ['signature', 'stamp', 'date', 'initials'],
  },
  {
    heading: () => i18n.t('templates:palette.client'),
    party: 'client',
    kinds: ['signature', 'stamp', 'date', 'initials', 'clientText'],
  },
]

// ------------------------------------------------------------ the PDF

interface LoadedPage {
  proxy: PDFPageProxy
  size: Size
}

/** The PDF's pages, loaded by pdf.js in its worker. */
function usePdf(url: string): { state: 'loading' | 'shown' | 'failed'; pages: LoadedPage[] } {
  const [result, setResult] = useState<{ state: 'loading' | 'shown' | 'failed'; pages: LoadedPage[] }>({
    state: 'loading',
    pages: [],
  })
  useEffect(() => {
    let cancelled = false
    setResult({ state: 'loading', pages: [] })
    const task = pdfjs.getDocument({ url, isEvalSupported: false, disableAutoFetch: true })
    ;(async () => {
      const pdf = await task.promise
      const pages: LoadedPage[] = []
      for (let n = 1; n <= pdf.numPages; n++) {
        const proxy = await pdf.getPage(n)
        const viewport = proxy.getViewport({ scale: 1 })
        pages.push({ proxy, size: { width: viewport.width, height: viewport.height } })
      }
      if (!cancelled) setResult({ state: 'shown', pages })
    })().catch(() => {
      if (!cancelled) setResult({ state: 'failed', pages: [] })
    })
    return () => {
      cancelled = true
      void task.destroy()
    }
  }, [url])
  return result
}

/** A page drawn on a canvas at `scale` pixels per point, sharp on dense screens. */
function PageCanvas({ page, scale, label }: { page: LoadedPage; scale: number; label: string }) {
  const canvas = useRef<HTMLCanvasElement>(null)
  useEffect(() => {
    const element = canvas.current
    if (!element) return
    const ratio = Math.min(window.devicePixelRatio || 1, 3)
    const viewport = page.proxy.getViewport({ scale: scale * ratio })
    element.width = Math.floor(viewport.width)
    element.height = Math.floor(viewport.height)
    const task = page.proxy.render({ canvas: element, viewport })
    task.promise.catch(() => {
      // Cancelled by a newer drawing, or the page could not be drawn: the boxes still show.
    })
    return () => task.cancel()
  }, [page, scale])
  return (
    <canvas
      ref={canvas}
      role="img"
      aria-label={label}
      style={{ position: 'absolute', inset: 0, width: '100%', height: '100%', display: 'block' }}
    />
  )
}

// ------------------------------------------------------------ the editor

interface Drag {
  id: string
  mode: 'move' | 'resize'
  pointer: number
  start: Point
  rect: Rect
  moved: boolean
}

const metaOf = (d: EditorDraft) => ({ name: d.name, locale: d.locale, currency: d.currency, taxRate: d.taxRate })
const keyOf = (meta: ReturnType<typeof metaOf>, fields: readonly PlacedField[]) =>
  JSON.stringify([meta, fieldsForSave(fields)])

export function TemplateEditor({
  initial,
  onSaved,
  onBack,
}: {
  initial: EditorDraft
  /** Called with the template as saved (a new one's id is then known). */
  onSaved: (template: TemplateDetails) => void
  onBack: () => void
}) {
  const { t, i18n: instance } = useTranslation('templates')
  const may = useMay()
  const isNew = initial.id === undefined
  const canEdit = isNew ? may('createTemplate') : may('updateTemplate')
  const [meta, setMeta] = useState(() => metaOf(initial))
  const [fields, setFields] = useState<PlacedField[]>(initial.fields)
  const [savedKey, setSavedKey] = useState(() => (isNew ? '' : keyOf(metaOf(initial), initial.fields)))
  const [selected, setSelected] = useState<string | undefined>()
  const [focusId, setFocusId] = useState<string | undefined>()
  const [snapOn, setSnapOn] = useState(true)
  const [elementType, setElementType] = useState<ElementType>('deal')
  const [problems, setProblems] = useState(() => placeProblems([], []))
  const [saving, setSaving] = useState(false)
  const [notice, setNotice] = useState<string | undefined>()
  const pdf = usePdf(fileUrl(initial.fileId))
  const sizes = useMemo(() => pdf.pages.map((p) => p.size), [pdf.pages])
  const language = instance.resolvedLanguage
  // biome-ignore lint/correctness/useExhaustiveDependencies: the labels follow the language
  const options = useMemo(() => bindOptions(elementType), [elementType, language])
  const dirty = keyOf(meta, fields) !== savedKey
  const grid = snapOn ? GRID : 0

  // The column's width sets the pages' scale.
  const column = useRef<HTMLDivElement>(null)
  const [columnWidth, setColumnWidth] = useState(0)
  useLayoutEffect(() => {
    const element = column.current
    if (!element) return
    const observer = new ResizeObserver(() => setColumnWidth(element.clientWidth))
    observer.observe(element)
    setColumnWidth(element.clientWidth)
    return () => observer.disconnect()
  }, [])

  // Unsaved changes are not lost by closing the tab unasked.
  useEffect(() => {
    if (!dirty || !canEdit) return
    const warn = (e: BeforeUnloadEvent) => e.preventDefault()
    window.addEventListener('beforeunload', warn)
    return () => window.removeEventListener('beforeunload', warn)
  }, [dirty, canEdit])

  useEffect(() => {
    if (!focusId) return
    document.querySelector<HTMLElement>(`[data-field-id="${CSS.escape(focusId)}"]`)?.focus()
    setFocusId(undefined)
  }, [focusId])

  const change = useCallback((id: string, next: (field: PlacedField) => PlacedField) => {
    setFields((all) => all.map((f) => (f.id === id ? next(f) : f)))
    setProblems((p) => {
      if (!p.fields.has(id)) return p
      const fieldsLeft = new Map(p.fields)
      fieldsLeft.delete(id)
      return { ...p, fields: fieldsLeft }
    })
  }, [])

  const remove = useCallback((id: string) => {
    setFields((all) => all.filter((f) => f.id !== id))
    setSelected((s) => (s === id ? undefined : s))
  }, [])

  const add = useCallback(
    (kind: FieldKind, party: Party | undefined, page: number, at?: Point) => {
      const size = sizes[page - 1]
      if (!size) return
      // Pressed rather than dropped: near the top third's middle, each next one a little lower and to the right.
      const step = 12 * (fields.filter((f) => f.page === page).length % 10)
      const where = at ?? { x: size.width / 2 + step, y: size.height / 3 + step }
      const field = newField(kind, party, page, where, size, fields, grid)
      setFields([...fields, field])
      setSelected(field.id)
      setFocusId(field.id)
    },
    [sizes, grid, fields],
  )

  const save = useCallback(async () => {
    if (!canEdit || saving) return
    const sent = fieldsForSave(fields)
    const local: Problem[] = fieldProblems(sent, sizes)
    if (!meta.name.trim()) local.push({ path: '/name', message: t('editor.noName') })
    if (local.length > 0) {
      const placed = placeProblems(local, sent)
      setProblems(placed)
      const first = sent.find((f) => placed.fields.has(f.id))
      if (first) setSelected(first.id)
      return
    }
    setSaving(true)
    setProblems(placeProblems([], []))
    try {
      const body = { name: meta.name.trim(), locale: meta.locale, currency: meta.currency, taxRate: meta.taxRate }
      const saved =
        initial.id === undefined
          ? await createTemplate({ ...body, type: initial.type, fileId: initial.fileId, fields: sent })
          : await updateTemplate(initial.id, { ...body, fields: sent })
      setSavedKey(keyOf({ ...meta, name: body.name }, sent))
      setNotice(initial.id === undefined ? t('editor.made', { name: saved.name }) : t('editor.saved'))
      onSaved(saved)
    } catch (e) {
      const problem =
        e instanceof ApiError ? { path: e.path ?? '', message: e.message } : { path: '', message: t('editor.notSaved') }
      const placed = placeProblems([problem], sent)
      setProblems(placed)
      const first = sent.find((f) => placed.fields.has(f.id))
      if (first) setSelected(first.id)
    } finally {
      setSaving(false)
    }
  }, [canEdit, saving, fields, sizes, meta, initial, onSaved, t])

  const field = fields.find((f) => f.id === selected)
  const pageWidth = Math.max(200, Math.min(columnWidth - 32, 900))
  // Problems of the name, language, currency and tax rate show at their boxes; the rest above the pages.
  const templateProblem = [...problems.template.entries()].filter(
    ([k]) => !['name', 'locale', 'currency', 'taxRate'].includes(k),
  )
  const problemCount = problems.fields.size + problems.template.size

  return (
    <Box
      component="section"
      aria-labelledby="template-editor-title"
      sx={{ display: 'grid', gap: 1.5 }}
      onKeyDown={(e) => {
        if ((e.ctrlKey || e.metaKey) && e.key.toLowerCase() === 's') {
          e.preventDefault()
          void save()
        }
      }}
    >
      <Stack direction="row" spacing={1.5} useFlexGap sx={{ flexWrap: 'wrap', alignItems: 'center' }}>
        <Link
          href={hrefOf('templates')}
          onClick={(e) => {
            e.preventDefault()
            if (!dirty || !canEdit || window.confirm(t('editor.leave'))) onBack()
          }}
          underline="hover"
        >
          {t('back')}
        </Link>
        <Typography id="template-editor-title" variant="h2" sx={{ mr: 1 }}>
          {isNew ? t('newTemplate') : meta.name || t('editor.template')}
        </Typography>
        <Chip size="small" label={typeName(initial.type)} />
        {dirty && canEdit && <Chip size="small" color="warning" variant="outlined" label={t('editor.unsaved')} />}
        <Box sx={{ flex: 1 }} />
        {!isNew && may('previewTemplate') && (
          <PreviewButton templateId={initial.id ?? ''} fields={fields} options={options} dirty={dirty} />
        )}
        {canEdit && (
          <Button variant="contained" onClick={() => void save()} disabled={saving || (!dirty && !isNew)}>
            {saving ? t('editor.saving') : isNew ? t('editor.saveNew') : t('editor.save')}
          </Button>
        )}
      </Stack>

      <Stack direction="row" spacing={1.5} useFlexGap sx={{ flexWrap: 'wrap', alignItems: 'flex-start' }}>
        <TextField
          size="small"
          label={t('name')}
          value={meta.name}
          disabled={!canEdit}
          error={problems.template.has('name')}
          helperText={problems.template.get('name')}
          onChange={(e) => setMeta((m) => ({ ...m, name: e.target.value }))}
          slotProps={{ htmlInput: { maxLength: 200 } }}
          sx={{ minWidth: 280 }}
        />
        <TextField
          select
          size="small"
          label={t('language')}
          value={meta.locale}
          disabled={!canEdit}
          error={problems.template.has('locale')}
          helperText={problems.template.get('locale') ?? t('editor.languageHint')}
          onChange={(e) => setMeta((m) => ({ ...m, locale: e.target.value }))}
          sx={{ minWidth: 220 }}
        >
          {[...new Set([...LOCALES, meta.locale])].map((l) => (
            <MenuItem key={l} value={l}>
              {languageName(l)}
            </MenuItem>
          ))}
        </TextField>
        <TextField
          select
          size="small"
          label={t('editor.currency')}
          value={meta.currency}
          disabled={!canEdit}
          error={problems.template.has('currency')}
          helperText={problems.template.get('currency')}
          onChange={(e) => setMeta((m) => ({ ...m, currency: e.target.value }))}
          sx={{ minWidth: 110 }}
        >
          {[...new Set([...CURRENCIES, meta.currency])].map((c) => (
            <MenuItem key={c} value={c}>
              {c}
            </MenuItem>
          ))}
        </TextField>
        <TextField
          size="small"
          type="number"
          label={t('editor.taxRate')}
          value={meta.taxRate}
          disabled={!canEdit}
          error={problems.template.has('taxRate')}
          helperText={problems.template.get('taxRate')}
          onChange={(e) => {
            const n = Number(e.target.value)
            if (Number.isFinite(n)) setMeta((m) => ({ ...m, taxRate: Math.min(100, Math.max(0, n)) }))
          }}
          slotProps={{ htmlInput: { min: 0, max: 100, step: 0.5 } }}
          sx={{ width: 150 }}
        />
      </Stack>

      {!canEdit && (
        <Alert severity="info" variant="outlined">
          {t('editor.readOnly')}
        </Alert>
      )}
      {templateProblem.map(([k, message]) => (
        <Alert key={k || 'general'} severity="error" data-testid="template-problem">
          {message}
        </Alert>
      ))}

      <Box
        sx={{
          display: 'grid',
          gap: 1.5,
          alignItems: 'start',
          gridTemplateColumns: { xs: '1fr', md: canEdit ? '200px minmax(0, 1fr) 300px' : 'minmax(0, 1fr) 300px' },
        }}
      >
        {canEdit && <Palette onAdd={(kind, party) => add(kind, party, field?.page ?? 1)} />}

        <Box
          ref={column}
          data-testid="template-pages"
          aria-label={t('editor.pages')}
          role="region"
          onPointerDown={(e) => {
            if (e.target === e.currentTarget) setSelected(undefined)
          }}
          sx={{
            bgcolor: '#e7eae8',
            borderRadius: 1,
            p: 2,
            display: 'grid',
            gap: 2,
            justifyItems: 'center',
            maxHeight: { md: 'calc(100vh - 230px)' },
            minHeight: 360,
            overflow: 'auto',
          }}
        >
          {pdf.state === 'loading' && (
            <Skeleton variant="rectangular" sx={{ width: pageWidth, height: pageWidth * 1.41 }} />
          )}
          {pdf.state === 'failed' && <Alert severity="error">{t('editor.pdfFailed')}</Alert>}
          {pdf.pages.map((page, i) => (
            <PageView
              key={page.proxy.pageNumber}
              number={i + 1}
              count={pdf.pages.length}
              page={page}
              scale={scaleToFit(page.size, pageWidth, 1.6)}
              fields={fields.filter((f) => f.page === i + 1)}
              selected={selected}
              problems={problems.fields}
              options={options}
              canEdit={canEdit}
              grid={grid}
              onSelect={setSelected}
              onChange={change}
              onRemove={remove}
              onDrop={(kind, party, at) => add(kind, party, i + 1, at)}
            />
          ))}
        </Box>

        <Paper
          variant="outlined"
          sx={{ p: 1.5, display: 'grid', gap: 1.5 }}
          aria-label={t('editor.settings')}
          role="region"
        >
          {problemCount > 0 && (
            <Alert severity="error" data-testid="template-problems">
              {problems.fields.size > 0
                ? t('editor.fieldsNeedChange', { count: problems.fields.size })
                : t('editor.wasNotSaved')}
              {[...problems.fields.keys()].map((id) => {
                const f = fields.find((x) => x.id === id)
                return f ? (
                  <Link key={id} component="button" onClick={() => setSelected(id)} sx={{ ml: 0.5 }}>
                    {fieldName(f, bindLabel(f.bind, options))}
                  </Link>
                ) : null
              })}
            </Alert>
          )}
          {field ? (
            <FieldPanel
              key={field.id}
              field={field}
              pageCount={pdf.pages.length}
              sizes={sizes}
              options={options}
              elementType={elementType}
              onElementType={setElementType}
              problems={problems.fields.get(field.id)}
              canEdit={canEdit}
              onChange={(next) => change(field.id, () => next)}
              onRemove={() => remove(field.id)}
              onClose={() => setSelected(undefined)}
            />
          ) : (
            <FieldList
              fields={fields}
              options={options}
              problems={problems.fields}
              canEdit={canEdit}
              onSelect={(id) => {
                setSelected(id)
                setFocusId(id)
              }}
            />
          )}
          {canEdit && (
            <FormControlLabel
              control={<Checkbox size="small" checked={snapOn} onChange={(e) => setSnapOn(e.target.checked)} />}
              label={t('editor.snap', { grid: GRID })}
            />
          )}
        </Paper>
      </Box>
      <Snackbar
        open={notice !== undefined}
        autoHideDuration={4000}
        onClose={() => setNotice(undefined)}
        anchorOrigin={{ vertical: 'bottom', horizontal: 'center' }}
      >
        <Alert severity="success" variant="filled" onClose={() => setNotice(undefined)}>
          {notice}
        </Alert>
      </Snackbar>
      <span id="template-field-keys" hidden>
        {t('editor.keys')}
      </span>
    </Box>
  )
}

// ------------------------------------------------------------ the palette

function Palette({ onAdd }: { onAdd: (kind: FieldKind, party: Party | undefined) => void }) {
  const { t } = useTranslation('templates')
  return (
    <Paper
      variant="outlined"
      component="nav"
      aria-label={t('palette.title')}
      sx={{ p: 1.5, display: 'grid', gap: 1.5, position: { md: 'sticky' }, top: { md: 0 } }}
    >
      <Typography variant="body2" color="text.secondary">
        {t('palette.hint')}
      </Typography>
      {PALETTE.map((group) => (
        <Box key={group.party ?? 'element'} sx={{ display: 'grid', gap: 0.75 }}>
          <Typography variant="h3" component="h3" color="text.secondary">
            {group.heading()}
          </Typography>
          {group.kinds.map((kind) => {
            const sample = { kind, party: group.party }
            const name = kind === 'text' ? kindName('text') : fieldName(sample)
            const color = colorOf(sample)
            return (
              // A button element cannot be dragged in Chromium: a div acting as one (Enter and Space press it).
              <Box
                key={kind}
                role="button"
                tabIndex={0}
                draggable
                data-testid={`palette-${group.party ?? 'element'}-${kind}`}
                aria-label={t('palette.place', { name })}
                onDragStart={(e: DragEvent<HTMLDivElement>) => {
                  e.dataTransfer.setData(DRAG_TYPE, JSON.stringify({ kind, party: group.party }))
                  e.dataTransfer.effectAllowed = 'copy'
                }}
                onClick={() => onAdd(kind, group.party)}
                onKeyDown={(e: KeyboardEvent<HTMLDivElement>) => {
                  if (e.key !== 'Enter' && e.key !== ' ') return
                  e.preventDefault()
                  onAdd(kind, group.party)
                }}
                sx={{
                  boxSizing: 'border-box',
                  cursor: 'grab',
                  px: 1,
                  py: 0.75,
                  borderRadius: 1,
                  border: '1.5px dashed',
                  borderColor: color,
                  bgcolor: `${color}14`,
                  color: 'text.primary',
                  fontSize: '0.875rem',
                  '&:hover': { bgcolor: `${color}26` },
                  '&:focus-visible': { outline: '2px solid', outlineColor: color, outlineOffset: 2 },
                }}
              >
                {kindName(kind)}
              </Box>
            )
          })}
        </Box>
      ))}
    </Paper>
  )
}

// ------------------------------------------------------------ a page with its fields

function PageView({
  number,
  count,
  page,
  scale,
  fields,
  selected,
  problems,
  options,
  canEdit,
  grid,
  onSelect,
  onChange,
  onRemove,
  onDrop,
}: {
  number: number
  count: number
  page: LoadedPage
  scale: number
  fields: PlacedField[]
  selected: string | undefined
  problems: ReadonlyMap<string, ReadonlyMap<string, string>>
  options: readonly BindOption[]
  canEdit: boolean
  grid: number
  onSelect: (id: string | undefined) => void
  onChange: (id: string, next: (field: PlacedField) => PlacedField) => void
  onRemove: (id: string) => void
  onDrop: (kind: FieldKind, party: Party | undefined, at: Point) => void
}) {
  const { t } = useTranslation('templates')
  const overlay = useRef<HTMLDivElement>(null)
  const drag = useRef<Drag | undefined>(undefined)
  const [over, setOver] = useState(false)
  const size = page.size

  const pointerDown = (e: PointerEvent<HTMLElement>, field: PlacedField, mode: Drag['mode']) => {
    if (e.button !== 0) return
    e.stopPropagation()
    onSelect(field.id)
    if (!canEdit) return
    e.preventDefault()
    ;(e.currentTarget as HTMLElement).setPointerCapture(e.pointerId)
    ;(mode === 'move' ? (e.currentTarget as HTMLElement) : e.currentTarget.parentElement)?.focus()
    drag.current = {
      id: field.id,
      mode,
      pointer: e.pointerId,
      start: { x: e.clientX, y: e.clientY },
      rect: rectOf(field),
      moved: false,
    }
  }
  const pointerMove = (e: PointerEvent<HTMLElement>) => {
    const d = drag.current
    if (!d || d.pointer !== e.pointerId) return
    const dx = (e.clientX - d.start.x) / scale
    const dy = (e.clientY - d.start.y) / scale
    // A press that does not move leaves the field where it is (no snap on a click).
    if (!d.moved && Math.hypot(e.clientX - d.start.x, e.clientY - d.start.y) < 3) return
    d.moved = true
    const rect = d.mode === 'move' ? moveRect(d.rect, dx, dy, size, grid) : resizeRect(d.rect, dx, dy, size, grid)
    onChange(d.id, (f) => ({ ...f, ...rect }))
  }
  const pointerUp = (e: PointerEvent<HTMLElement>) => {
    if (drag.current?.pointer === e.pointerId) drag.current = undefined
  }

  return (
    <Box sx={{ display: 'grid', gap: 0.5, justifyItems: 'center' }}>
      <Box
        ref={overlay}
        data-testid={`template-page-${number}`}
        data-scale={scale}
        onDragOver={(e) => {
          if (!canEdit || !e.dataTransfer.types.includes(DRAG_TYPE)) return
          e.preventDefault()
          e.dataTransfer.dropEffect = 'copy'
          setOver(true)
        }}
        onDragLeave={() => setOver(false)}
        onDrop={(e) => {
          setOver(false)
          if (!canEdit) return
          const data = e.dataTransfer.getData(DRAG_TYPE)
          if (!data) return
          e.preventDefault()
          let dropped: { kind?: unknown; party?: unknown }
          try {
            dropped = JSON.parse(data) as { kind?: unknown; party?: unknown }
          } catch {
            return
          }
          if (!isFieldKind(dropped.kind)) return
          const party = dropped.party === 'company' || dropped.party === 'client' ? dropped.party : undefined
          const box = e.currentTarget.getBoundingClientRect()
          onDrop(dropped.kind, party, pointOnPage({ x: e.clientX, y: e.clientY }, box, scale))
        }}
        onPointerDown={(e) => {
          if (e.target === e.currentTarget || (e.target as HTMLElement).tagName === 'CANVAS') onSelect(undefined)
        }}
        sx={{
          position: 'relative',
          width: size.width * scale,
          height: size.height * scale,
          bgcolor: '#fff',
          boxShadow: '0 1px 3px rgba(0,0,0,0.18)',
          outline: over ? '3px solid' : 'none',
          outlineColor: 'primary.main',
          touchAction: 'none',
          userSelect: 'none',
        }}
      >
        <PageCanvas page={page} scale={scale} label={t('editor.pageOf', { page: number, count })} />
        {fields.map((field) => {
          const label = fieldName(field, bindLabel(field.bind, options))
          const isSelected = field.id === selected
          const hasProblem = problems.has(field.id)
          const color = hasProblem ? COLORS.problem : colorOf(field)
          // A box tall enough for two lines (a signature, a stamp) wraps its name, a little smaller when a long
          // word ("Firmenstempel") would not fit its width otherwise; others keep one line.
          const wraps = field.kind !== 'text' && field.height * scale >= 32
          const longestWord = Math.max(...label.split(/\s+/).map((w) => w.length), 1)
          const fontSize = Math.max(8, Math.min(13, (field.fontSize ?? 10) * scale))
          return (
            <Box
              key={field.id}
              role="button"
              tabIndex={0}
              data-field-id={field.id}
              data-kind={field.kind}
              aria-label={t('editor.fieldOnPage', { field: label, page: number })}
              aria-pressed={isSelected}
              aria-describedby="template-field-keys"
              aria-invalid={hasProblem || undefined}
              onPointerDown={(e) => pointerDown(e, field, 'move')}
              onPointerMove={pointerMove}
              onPointerUp={pointerUp}
              onPointerCancel={pointerUp}
              onFocus={() => onSelect(field.id)}
              onKeyDown={(e: KeyboardEvent<HTMLElement>) => {
                if (e.key === 'Escape') {
                  onSelect(undefined)
                  e.currentTarget.blur()
                  return
                }
                if (!canEdit) return
                if (e.key === 'Delete' || e.key === 'Backspace') {
                  e.preventDefault()
                  onRemove(field.id)
                  return
                }
                const next = nudgeRect(rectOf(field), e.key, e, size)
                if (next) {
                  e.preventDefault()
                  onChange(field.id, (f) => ({ ...f, ...next }))
                }
              }}
              title={label}
              sx={{
                position: 'absolute',
                left: field.x * scale,
                top: field.y * scale,
                width: field.width * scale,
                height: field.height * scale,
                boxSizing: 'border-box',
                border: `1.5px ${isSelected ? 'solid' : 'dashed'} ${color}`,
                bgcolor: `${color}${isSelected ? '2e' : '1a'}`,
                color,
                cursor: canEdit ? 'move' : 'pointer',
                overflow: 'hidden',
                display: 'flex',
                alignItems:
                  field.kind === 'text' || field.kind === 'clientText' || field.kind === 'date'
                    ? 'flex-start'
                    : 'center',
                justifyContent: field.kind === 'text' || field.kind === 'clientText' ? 'flex-start' : 'center',
                px: '2px',
                fontSize: wraps
                  ? Math.max(7, Math.min(fontSize, (field.width * scale - 6) / (longestWord * 0.72)))
                  : fontSize,
                lineHeight: 1.15,
                fontWeight: 600,
                zIndex: isSelected ? 2 : 1,
                outline: isSelected ? `2px solid ${color}55` : 'none',
                '&:focus-visible': { outline: `3px solid ${color}` },
              }}
            >
              <Box
                component="span"
                sx={{
                  overflow: 'hidden',
                  textOverflow: 'ellipsis',
                  ...(wraps
                    ? { whiteSpace: 'normal', textAlign: 'center', hyphens: 'auto', overflowWrap: 'break-word' }
                    : { whiteSpace: 'nowrap' }),
                  pointerEvents: 'none',
                }}
              >
                {field.kind === 'text' ? `{${bindLabel(field.bind, options) || '…'}}` : label}
                {field.required && field.kind !== 'text' ? ' *' : ''}
              </Box>
              {isSelected && canEdit && (
                <Box
                  aria-hidden
                  data-testid="resize-handle"
                  onPointerDown={(e) => pointerDown(e, field, 'resize')}
                  onPointerMove={pointerMove}
                  onPointerUp={pointerUp}
                  onPointerCancel={pointerUp}
                  sx={{
                    position: 'absolute',
                    right: -1,
                    bottom: -1,
                    width: 12,
                    height: 12,
                    bgcolor: color,
                    border: '2px solid #fff',
                    cursor: 'nwse-resize',
                    borderRadius: '2px',
                  }}
                />
              )}
            </Box>
          )
        })}
      </Box>
      <Typography variant="caption" color="text.secondary">
        {t('editor.pageSize', {
          page: number,
          count,
          width: Math.round(size.width),
          height: Math.round(size.height),
        })}
      </Typography>
    </Box>
  )
}

// ------------------------------------------------------------ the side panel

function FieldList({
  fields,
  options,
  problems,
  canEdit,
  onSelect,
}: {
  fields: PlacedField[]
  options: readonly BindOption[]
  problems: ReadonlyMap<string, unknown>
  canEdit: boolean
  onSelect: (id: string) => void
}) {
  const { t } = useTranslation('templates')
  return (
    <Box sx={{ display: 'grid', gap: 1 }}>
      <Typography variant="h3" component="h3" color="text.secondary">
        {t('fields.title', { count: fields.length })}
      </Typography>
      {fields.length === 0 ? (
        <Typography variant="body2" color="text.secondary">
          {canEdit ? t('fields.none') : t('fields.noneReadOnly')}
        </Typography>
      ) : (
        <Box component="ul" sx={{ listStyle: 'none', p: 0, m: 0, display: 'grid', gap: 0.5 }}>
          {fields.map((f) => (
            <Box component="li" key={f.id} sx={{ display: 'flex', gap: 1, alignItems: 'baseline' }}>
              <Link
                component="button"
                onClick={() => onSelect(f.id)}
                sx={{ color: problems.has(f.id) ? 'error.main' : colorOf(f), textAlign: 'left', flex: 1 }}
              >
                {fieldName(f, bindLabel(f.bind, options))}
              </Link>
              <Typography component="span" variant="caption" color="text.secondary" sx={{ whiteSpace: 'nowrap' }}>
                {t('fields.page', { page: f.page })}
              </Typography>
            </Box>
          ))}
        </Box>
      )}
      {canEdit && (
        <Typography variant="body2" color="text.secondary">
          {t('fields.hint')}
        </Typography>
      )}
    </Box>
  )
}

function FieldPanel({
  field,
  pageCount,
  sizes,
  options,
  elementType,
  onElementType,
  problems,
  canEdit,
  onChange,
  onRemove,
  onClose,
}: {
  field: PlacedField
  pageCount: number
  sizes: readonly Size[]
  options: readonly BindOption[]
  elementType: ElementType
  onElementType: (type: ElementType) => void
  problems: ReadonlyMap<string, string> | undefined
  canEdit: boolean
  onChange: (field: PlacedField) => void
  onRemove: () => void
  onClose: () => void
}) {
  const { t } = useTranslation('templates')
  const size = sizes[field.page - 1]
  const at = (key: string) => problems?.get(key)
  const general = [...(problems?.entries() ?? [])].filter(
    ([k]) => !['kind', 'party', 'bind', 'label', 'fontSize', 'page', 'x', 'y', 'width', 'height'].includes(k),
  )
  const setRect = (change: Partial<Rect>) => {
    if (!size) return
    onChange({ ...field, ...clampRect({ ...rectOf(field), ...change }, size) })
  }
  const number = (key: keyof Rect, label: string) => (
    <NumberInput
      label={label}
      value={field[key]}
      disabled={!canEdit}
      error={at(key)}
      onCommit={(value) => setRect({ [key]: value })}
    />
  )
  return (
    <Box sx={{ display: 'grid', gap: 1.5 }} data-testid="field-panel">
      <Stack direction="row" sx={{ alignItems: 'center' }}>
        <Typography variant="subtitle2" component="h3" sx={{ flex: 1, color: colorOf(field) }}>
          {fieldName(field, bindLabel(field.bind, options))}
        </Typography>
        <Button size="small" onClick={onClose}>
          {t('panel.allFields')}
        </Button>
      </Stack>
      {general.map(([k, message]) => (
        <Alert key={k || 'field'} severity="error">
          {message}
        </Alert>
      ))}
      <TextField
        select
        size="small"
        label={t('panel.kind')}
        value={field.kind}
        disabled={!canEdit}
        error={at('kind') !== undefined}
        helperText={at('kind')}
        onChange={(e) => {
          const kind = e.target.value
          if (isFieldKind(kind)) onChange(withKind(field, kind))
        }}
      >
        {FIELD_KINDS.map((k) => (
          <MenuItem key={k} value={k}>
            {kindName(k)}
          </MenuItem>
        ))}
      </TextField>
      {field.kind === 'text' ? (
        <BindPicker
          value={field.bind}
          options={options}
          elementType={elementType}
          onElementType={onElementType}
          disabled={!canEdit}
          error={at('bind')}
          onPick={(bind) => onChange({ ...field, bind })}
        />
      ) : (
        <Box>
          <Typography
            variant="caption"
            color={at('party') ? 'error' : 'text.secondary'}
            component="div"
            sx={{ mb: 0.5 }}
          >
            {t('panel.who')}
          </Typography>
          <ToggleButtonGroup
            size="small"
            exclusive
            value={field.party ?? null}
            disabled={!canEdit}
            aria-label={t('panel.who')}
            onChange={(_, party: Party | null) => {
              if (party) onChange({ ...field, party })
            }}
          >
            <ToggleButton value="company">{t('panel.company')}</ToggleButton>
            <ToggleButton value="client">{t('panel.client')}</ToggleButton>
          </ToggleButtonGroup>
          {at('party') && (
            <Typography variant="caption" color="error" component="div">
              {at('party')}
            </Typography>
          )}
        </Box>
      )}
      {field.kind !== 'text' && (
        <>
          <TextField
            size="small"
            label={t('panel.label')}
            value={field.label ?? ''}
            disabled={!canEdit}
            error={at('label') !== undefined}
            helperText={at('label')}
            onChange={(e) => {
              const { label: _, ...rest } = field
              onChange(e.target.value ? { ...rest, label: e.target.value } : rest)
            }}
            slotProps={{ htmlInput: { maxLength: 200 } }}
          />
          <FormControlLabel
            control={
              <Checkbox
                size="small"
                checked={field.required ?? false}
                disabled={!canEdit}
                onChange={(e) => onChange({ ...field, required: e.target.checked })}
              />
            }
            label={t('panel.required')}
          />
        </>
      )}
      {hasFontSize(field.kind) && (
        <NumberInput
          label={t('panel.fontSize')}
          value={field.fontSize ?? 10}
          disabled={!canEdit}
          error={at('fontSize')}
          min={4}
          max={72}
          onCommit={(value) => onChange({ ...field, fontSize: Math.min(72, Math.max(4, value)) })}
        />
      )}
      {pageCount > 1 && (
        <TextField
          select
          size="small"
          label={t('panel.page')}
          value={field.page}
          disabled={!canEdit}
          error={at('page') !== undefined}
          helperText={at('page')}
          onChange={(e) => {
            const page = Number(e.target.value)
            const target = sizes[page - 1]
            if (target) onChange({ ...field, page, ...clampRect(rectOf(field), target) })
          }}
        >
          {Array.from({ length: pageCount }, (_, i) => i + 1).map((n) => (
            <MenuItem key={n} value={n}>
              {t('panel.pageN', { page: n })}
            </MenuItem>
          ))}
        </TextField>
      )}
      <Typography variant="caption" color="text.secondary">
        {t('panel.place')}
      </Typography>
      <Box sx={{ display: 'grid', gridTemplateColumns: '1fr 1fr', gap: 1 }}>
        {number('x', t('panel.left'))}
        {number('y', t('panel.top'))}
        {number('width', t('panel.width'))}
        {number('height', t('panel.height'))}
      </Box>
      {canEdit && (
        <Button color="error" variant="outlined" onClick={onRemove}>
          {t('panel.delete')}
        </Button>
      )}
    </Box>
  )
}

/** A number typed freely and applied when it is a number (on Enter or leaving the box). */
function NumberInput({
  label,
  value,
  disabled,
  error,
  min = 0,
  max,
  onCommit,
}: {
  label: string
  value: number
  disabled: boolean
  error: string | undefined
  min?: number
  max?: number
  onCommit: (value: number) => void
}) {
  const [text, setText] = useState(String(value))
  useEffect(() => setText(String(value)), [value])
  const commit = () => {
    const n = Number(text.replace(',', '.'))
    if (text.trim() !== '' && Number.isFinite(n)) onCommit(n)
    else setText(String(value))
  }
  return (
    <TextField
      size="small"
      label={label}
      value={text}
      disabled={disabled}
      error={error !== undefined}
      helperText={error}
      onChange={(e) => setText(e.target.value)}
      onBlur={commit}
      onKeyDown={(e) => {
        if (e.key === 'Enter') commit()
      }}
      slotProps={{ htmlInput: { inputMode: 'decimal', min, max } }}
    />
  )
}

/** Popper slot for the list: drawn in place, inside the popover, instead of floating on its own. */
function InPlace({ children }: PopperProps) {
  return <Box>{typeof children === 'function' ? null : (children as ReactNode)}</Box>
}

/**
 * What a text field shows, chosen with "…": a searchable list of the element's fields (for the element type
 * chosen above it), the document's number and date, or — typed — an extra field a "Create document" rule gives.
 */
export function BindPicker({
  value,
  options,
  elementType,
  onElementType,
  disabled,
  error,
  onPick,
}: {
  value: string | undefined
  options: readonly BindOption[]
  elementType: ElementType
  onElementType: (type: ElementType) => void
  disabled: boolean
  error: string | undefined
  onPick: (path: string) => void
}) {
  const { t } = useTranslation('templates')
  const [anchor, setAnchor] = useState<HTMLElement | null>(null)
  const label = bindLabel(value, options)
  return (
    <>
      <TextField
        size="small"
        label={t('bind.shows')}
        value={label}
        placeholder={t('bind.placeholder')}
        disabled={disabled}
        error={error !== undefined}
        helperText={error ?? (value && label !== value ? value : t('bind.hint'))}
        slotProps={{
          input: {
            readOnly: true,
            endAdornment: (
              <InputAdornment position="end">
                <Tooltip title={t('bind.tooltip')}>
                  <span>
                    <IconButton
                      size="small"
                      aria-label={t('bind.choose')}
                      aria-haspopup="listbox"
                      disabled={disabled}
                      onClick={(e) => {
                        e.stopPropagation()
                        setAnchor(e.currentTarget)
                      }}
                      sx={{ fontWeight: 700, border: '1px solid', borderColor: 'divider', px: 0.75 }}
                    >
                      …
                    </IconButton>
                  </span>
                </Tooltip>
              </InputAdornment>
            ),
          },
        }}
        onClick={(e) => {
          if (!disabled) setAnchor(e.currentTarget)
        }}
      />
      <Popover
        open={anchor !== null}
        anchorEl={anchor}
        onClose={() => setAnchor(null)}
        anchorOrigin={{ vertical: 'bottom', horizontal: 'right' }}
        transformOrigin={{ vertical: 'top', horizontal: 'right' }}
        slotProps={{ paper: { sx: { width: 360, p: 1, display: 'grid', gap: 1 } } }}
      >
        <TextField
          select
          size="small"
          label={t('bind.fieldsOf')}
          value={elementType}
          onChange={(e) => onElementType(e.target.value as ElementType)}
        >
          {ELEMENT_TYPES.map((type) => (
            <MenuItem key={type} value={type}>
              {elementTypeName(type)}
            </MenuItem>
          ))}
        </TextField>
        <Autocomplete<BindOption>
          open
          autoHighlight
          disablePortal
          options={options as BindOption[]}
          groupBy={(o) => o.group}
          getOptionLabel={(o) => o.label}
          getOptionKey={(o) => o.path}
          filterOptions={(list, state) => {
            const q = state.inputValue.trim().toLocaleLowerCase()
            const found = q
              ? list.filter((o) => o.label.toLocaleLowerCase().includes(q) || o.path.toLocaleLowerCase().includes(q))
              : list
            const extra = extraFieldPath(state.inputValue)
            if (!extra || list.some((o) => o.path === state.inputValue.trim())) return found
            return [
              ...found,
              {
                path: extra,
                label: extraFieldLabel(extra.slice(EXTRA_PREFIX.length)),
                group: t('bind.extraGroup'),
              },
            ]
          }}
          noOptionsText={t('bind.noOptions')}
          onChange={(_, option) => {
            if (!option) return
            setAnchor(null)
            onPick(option.path)
          }}
          renderOption={(props, option) => {
            const { key, ...rest } = props as typeof props & { key: string }
            return (
              <li key={key} {...rest}>
                <Box sx={{ display: 'grid', width: '100%' }}>
                  <Typography variant="body2">{option.label}</Typography>
                  <Typography variant="caption" color="text.secondary" sx={{ fontFamily: 'monospace' }}>
                    {option.path}
                  </Typography>
                </Box>
              </li>
            )
          }}
          slots={{ popper: InPlace }}
          slotProps={{ paper: { elevation: 0 }, listbox: { sx: { maxHeight: 320 } } }}
          renderInput={(params) => (
            <TextField
              {...params}
              autoFocus
              size="small"
              label={t('bind.search')}
              placeholder={t('bind.searchPlaceholder')}
            />
          )}
        />
      </Popover>
    </>
  )
}

// ------------------------------------------------------------ the preview

/**
 * "Preview with a sample": the saved template drawn for a sample title, amount and client name (and a sample of
 * every other value its text fields show), marked as not valid, in a new tab. For those who design flows.
 */
export function PreviewButton({
  templateId,
  fields,
  options,
  dirty,
}: {
  templateId: string
  fields: readonly PlacedField[]
  options: readonly BindOption[]
  dirty: boolean
}) {
  const { t } = useTranslation('templates')
  const [anchor, setAnchor] = useState<HTMLElement | null>(null)
  const [sample, setSample] = useState(() => ({
    title: t('sample.title'),
    amount: '12000',
    clientName: t('sample.client'),
  }))
  const href = templatePreviewUrl(templateId, sampleValues(sample, fields, options))
  return (
    <>
      <Button variant="outlined" onClick={(e) => setAnchor(e.currentTarget)} aria-haspopup="dialog">
        {t('preview.button')}
      </Button>
      <Popover
        open={anchor !== null}
        anchorEl={anchor}
        onClose={() => setAnchor(null)}
        anchorOrigin={{ vertical: 'bottom', horizontal: 'right' }}
        transformOrigin={{ vertical: 'top', horizontal: 'right' }}
        slotProps={{
          paper: { role: 'dialog', 'aria-label': t('preview.title'), sx: { width: 320, p: 2 } } as object,
        }}
      >
        <Stack spacing={1.5}>
          <Typography variant="body2" color="text.secondary">
            {t('preview.intro')}
          </Typography>
          {dirty && (
            <Alert severity="warning" variant="outlined">
              {t('preview.unsaved')}
            </Alert>
          )}
          <TextField
            size="small"
            label={t('preview.sampleTitle')}
            value={sample.title}
            onChange={(e) => setSample((s) => ({ ...s, title: e.target.value }))}
          />
          <TextField
            size="small"
            label={t('preview.amount')}
            value={sample.amount}
            onChange={(e) => setSample((s) => ({ ...s, amount: e.target.value }))}
            slotProps={{ htmlInput: { inputMode: 'decimal' } }}
          />
          <TextField
            size="small"
            label={t('preview.client')}
            value={sample.clientName}
            onChange={(e) => setSample((s) => ({ ...s, clientName: e.target.value }))}
          />
          <Button variant="contained" href={href} target="_blank" rel="noopener" onClick={() => setAnchor(null)}>
            {t('preview.open')}
          </Button>
        </Stack>
      </Popover>
    </>
  )
}
