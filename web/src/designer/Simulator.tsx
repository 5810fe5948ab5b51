/**
 * The dry-run simulator beside the canvas. The draft runs in the browser with the shared engine, on a
 * virtual clock: nothing is sent, stored or changed on the server (it only reads: real elements to copy,
 * saved scenarios). On the left, the sample element and the steps (move it, fire an event, change a field,
 * let time pass; play, step, reset); on the right, the timeline of what the engine did, what would have been
 * sent (with previews), what still waits, "why not?" for the selected node, and the expectations to keep as
 * a scenario next to the flow.
 */
import Alert from '@mui/material/Alert'
import Autocomplete from '@mui/material/Autocomplete'
import Box from '@mui/material/Box'
import Button from '@mui/material/Button'
import Checkbox from '@mui/material/Checkbox'
import Dialog from '@mui/material/Dialog'
import DialogActions from '@mui/material/DialogActions'
import DialogContent from '@mui/material/DialogContent'
import DialogTitle from '@mui/material/DialogTitle'
import FormControlLabel from '@mui/material/FormControlLabel'
import IconButton from '@mui/material/IconButton'
import Link from '@mui/material/Link'
import List from '@mui/material/List'
import ListItemButton from '@mui/material/ListItemButton'
import MenuItem from '@mui/material/MenuItem'
import Paper from '@mui/material/Paper'
import Stack from '@mui/material/Stack'
import Tab from '@mui/material/Tab'
import Tabs from '@mui/material/Tabs'
import TextField from '@mui/material/TextField'
import Typography from '@mui/material/Typography'
import { type ReactNode, useEffect, useMemo, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { useStore } from 'zustand'
import { mintId } from '../../../shared/designer/commands.js'
import type { DesignerStore } from '../../../shared/designer/store.js'
import { type Expectation, runScenario, type Scenario, type ScenarioStep } from '../../../shared/engine/scenario.js'
import type { EffectRequest, Json, TimelineRecord, WorkingCalendar } from '../../../shared/engine/types.js'
import { fieldIndex } from '../../../shared/graph/fields.js'
import type { Graph } from '../../../shared/graph/graph.js'
import { DOCUMENT_TYPES } from '../../../shared/graph/vocabulary.js'
import { isLanguage } from '../../../shared/i18n/languages.js'
import {
  fieldsAt,
  type NodeStats,
  nodeOf,
  pendingSchedule,
  suggestExpectations,
  whyNot,
} from '../../../shared/simulator/insights.js'
import {
  fromScenario,
  type runSession,
  type SampleElement,
  type Session,
  toScenario,
} from '../../../shared/simulator/session.js'
import { ApiError, fetchScenarios, saveScenario, templatePreviewUrl } from '../api.js'
import { documentTypeLabel } from '../i18n/catalog-text.js'
import { formatFor, i18n } from '../i18n/index.js'
import { useMay } from '../workspace/may.js'
import { engineReason, operatorWord, shown } from './sim-reasons.js'
import { durationText, eventName, expectationLabel, failedExpectations, stepLabel, verdictText } from './sim-text.js'
import { timelineLines } from './sim-timeline.js'
import { type ElementSummary, fetchPipelineElements, sampleFromElement } from './simulator-api.js'
import { useWords } from './words.js'

/** What the canvas shows while simulating: each node's counts, and the node of the chosen step. */
export interface SimulationView {
  stats: ReadonlyMap<string, NodeStats>
  highlight?: string | undefined
}

const SAMPLE_ID = 'sample'

/** The events a step may fire (named by `eventName`). */
const EVENTS = [
  'signedByCompany',
  'signedByClient',
  'signedByAll',
  'documentViewed',
  'signingRefused',
  'signingExpired',
  'documentCreated',
  'webhook',
  'invoicePaid',
] as const

/** How long a "Wait" step waits (said by `durationText`; a week has words of its own). */
const WAITS = ['1h', '1d', '2d', '1wd', '7d'] as const

/** Moments in the person's language and the session's time zone. */
function useWhen(timeZone: string) {
  const { i18n: instance } = useTranslation()
  const language = isLanguage(instance.resolvedLanguage) ? instance.resolvedLanguage : 'en'
  return useMemo(() => formatFor(language, timeZone), [language, timeZone])
}

/** The company's week: working hours in the chosen time zone. */
const calendarIn = (timeZone: string): WorkingCalendar => ({
  timeZone,
  workDays: [1, 2, 3, 4, 5],
  start: '09:00',
  end: '17:00',
  holidays: [],
})

/** The next full hour from now, as the virtual clock's start. */
const startNow = () => {
  const t = new Date()
  t.setUTCMinutes(0, 0, 0)
  t.setUTCHours(t.getUTCHours() + 1)
  return t.toISOString().replace('.000Z', 'Z')
}

function sampleFor(graph: Graph): SampleElement {
  const fields = fieldIndex(graph.elementType, graph.fields)
  const values: Record<string, Json> = { title: i18n.t('simulator:sample.title'), responsible: 'u-anna' }
  if (fields.has('amount')) values.amount = 12000
  values['client.name'] = 'Anna Nowak'
  values['client.email'] = 'anna.nowak@example.com'
  values['client.phone'] = '+48 600 000 000'
  return { id: SAMPLE_ID, stage: graph.pipeline.stages[0]?.id ?? null, fields: values }
}

/**
 * A typed value from what was typed: numbers and money with a dot or a comma ("1250,50"), yes/no, else the
 * text itself (a number that does not parse stays text, and is shown as a problem). Empty removes the field.
 */
export function typedValue(type: string | undefined, raw: string): Json {
  if (raw === '') return null
  if (type === 'boolean') return raw === 'yes' || raw === 'true'
  if (type === 'number' || type === 'money') {
    const compact = raw.trim().replace(/[\s\u00a0]/g, '')
    if (/^[-+]?\d+([.,]\d+)?$/.test(compact)) return Number(compact.replace(',', '.'))
  }
  return raw
}

const invalidNumber = (type: string | undefined, value: Json) =>
  (type === 'number' || type === 'money') && typeof value === 'string' && value !== ''

/** Every time zone the browser knows (the current one first), for the working calendar. */
const TIME_ZONES: readonly string[] = (() => {
  const own = Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC'
  const all = typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : []
  return [own, ...all.filter((z) => z !== own), ...(all.includes('UTC') || own === 'UTC' ? [] : ['UTC'])]
})()

/** The sample's fields: the usual ones, and any other the flow reads. */
function SampleFields({
  graph,
  sample,
  onChange,
}: {
  graph: Graph
  sample: SampleElement
  onChange: (sample: SampleElement) => void
}) {
  const { t } = useTranslation('simulator')
  const words = useWords()
  const index = fieldIndex(graph.elementType, graph.fields)
  const label = (key: string) => {
    const def = index.get(key)
    return def ? words.fieldLabel(def) : key
  }
  const [path, setPath] = useState('')
  const set = (key: string, raw: string) => {
    const value = typedValue(index.get(key)?.type, raw)
    const fields = { ...sample.fields }
    if (value === null) delete fields[key]
    else fields[key] = value
    onChange({ ...sample, fields })
  }
  return (
    <Stack spacing={1}>
      <TextField
        select
        size="small"
        label={t('sample.startsIn')}
        value={sample.stage ?? ''}
        onChange={(e) => onChange({ ...sample, stage: e.target.value || null })}
      >
        <MenuItem value="">{t('sample.noStageYet')}</MenuItem>
        {graph.pipeline.stages.map((s) => (
          <MenuItem key={s.id} value={s.id}>
            {s.name}
          </MenuItem>
        ))}
      </TextField>
      {Object.entries(sample.fields).map(([key, value]) => (
        <Stack key={key} direction="row" spacing={0.5} sx={{ alignItems: 'center' }}>
          {index.get(key)?.type === 'boolean' ? (
            <TextField
              select
              size="small"
              fullWidth
              label={label(key)}
              value={value === true ? 'yes' : value === false ? 'no' : ''}
              onChange={(e) => set(key, e.target.value)}
            >
              <MenuItem value="yes">{t('sample.yes')}</MenuItem>
              <MenuItem value="no">{t('sample.no')}</MenuItem>
            </TextField>
          ) : (
            <TextField
              size="small"
              fullWidth
              label={label(key)}
              value={value === null ? '' : String(value)}
              onChange={(e) => set(key, e.target.value)}
              {...(invalidNumber(index.get(key)?.type, value)
                ? { error: true, helperText: t('sample.notNumber') }
                : {})}
            />
          )}
          <IconButton size="small" aria-label={t('sample.remove', { field: label(key) })} onClick={() => set(key, '')}>
            ×
          </IconButton>
        </Stack>
      ))}
      <TextField
        select
        size="small"
        label={t('sample.addField')}
        value={path}
        onChange={(e) => {
          setPath('')
          if (e.target.value) onChange({ ...sample, fields: { ...sample.fields, [e.target.value]: '' } })
        }}
        slotProps={{ select: { MenuProps: { slotProps: { paper: { sx: { maxHeight: 360 } } } } } }}
      >
        {[...index.values()]
          .filter((f) => !(f.path in sample.fields))
          .map((f) => (
            <MenuItem key={f.path} value={f.path}>
              {words.fieldLabel(f)}
            </MenuItem>
          ))}
      </TextField>
    </Stack>
  )
}

function Section({ title, children }: { title: string; children: ReactNode }) {
  return (
    <Box component="section" aria-label={title} sx={{ display: 'grid', gap: 1, gridTemplateColumns: 'minmax(0, 1fr)' }}>
      <Typography variant="overline" color="text.secondary" component="h3" sx={{ lineHeight: 1.8 }}>
        {title}
      </Typography>
      {children}
    </Box>
  )
}

/** "Copy from a real element": the pipeline's elements, one chosen becomes the sample (read only). */
function CopyElementDialog({
  pipelineId,
  open,
  onClose,
  onChosen,
}: {
  pipelineId: string
  open: boolean
  onClose: () => void
  onChosen: (sample: SampleElement) => void
}) {
  const { t } = useTranslation('simulator')
  const [items, setItems] = useState<ElementSummary[] | undefined>()
  const [problem, setProblem] = useState<string | undefined>()
  useEffect(() => {
    if (!open) return
    const abort = new AbortController()
    setItems(undefined)
    setProblem(undefined)
    fetchPipelineElements(pipelineId, abort.signal).then(setItems, (e) => {
      if (!abort.signal.aborted) setProblem(e instanceof ApiError ? e.message : t('copy.cannotLoad'))
    })
    return () => abort.abort()
  }, [open, pipelineId, t])
  return (
    <Dialog open={open} onClose={onClose} fullWidth maxWidth="xs">
      <DialogTitle>{t('copy.title')}</DialogTitle>
      <DialogContent>
        <Typography variant="body2" color="text.secondary" sx={{ mb: 1 }}>
          {t('copy.intro')}
        </Typography>
        {problem && <Alert severity="error">{problem}</Alert>}
        {items?.length === 0 && <Typography color="text.secondary">{t('copy.none')}</Typography>}
        <List dense>
          {items?.map((item) => (
            <ListItemButton
              key={item.id}
              onClick={async () => {
                try {
                  onChosen(await sampleFromElement(item.id))
                  onClose()
                } catch (e) {
                  setProblem(e instanceof ApiError ? e.message : t('copy.cannotRead'))
                }
              }}
            >
              {item.title}{' '}
              <Typography component="span" variant="caption" color="text.secondary" sx={{ ml: 1 }}>
                {item.id}
              </Typography>
            </ListItemButton>
          ))}
        </List>
      </DialogContent>
      <DialogActions>
        <Button onClick={onClose}>{t('copy.cancel')}</Button>
      </DialogActions>
    </Dialog>
  )
}

export interface SimulatorState {
  session: Session
  /** How many of the session's steps have been played. */
  cursor: number
  /** The timeline record chosen (its `seq`). */
  chosen?: number | undefined
  expectations: Expectation[]
}

export function newSimulation(graph: Graph): SimulatorState {
  const timeZone = Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC'
  return {
    session: { start: startNow(), calendar: calendarIn(timeZone), elements: [sampleFor(graph)], steps: [] },
    cursor: 0,
    expectations: [],
  }
}

/** The left side: the sample, the steps to take, and play / step / reset. */
export function SimulatorControls({
  graph,
  pipelineId,
  state,
  onChange,
}: {
  graph: Graph
  pipelineId: string
  state: SimulatorState
  onChange: (state: SimulatorState) => void
}) {
  const { t } = useTranslation('simulator')
  const { session, cursor } = state
  const sample = session.elements[0] ?? sampleFor(graph)
  const words = useWords()
  const format = useWhen(session.calendar?.timeZone ?? 'UTC')
  const [moveTo, setMoveTo] = useState(graph.pipeline.stages[1]?.id ?? graph.pipeline.stages[0]?.id ?? '')
  const [event, setEvent] = useState<string>('signedByClient')
  const [documentType, setDocumentType] = useState<string>('contract')
  const [wait, setWait] = useState<string>('1d')
  const [field, setField] = useState('')
  const [value, setValue] = useState('')
  const [copying, setCopying] = useState(false)
  const index = fieldIndex(graph.elementType, graph.fields)

  /** A step taken now: it replaces whatever was planned after this point, and is played. */
  const take = (step: ScenarioStep) => {
    const steps = [...session.steps.slice(0, cursor), step]
    onChange({ ...state, session: { ...session, steps }, cursor: steps.length, chosen: undefined })
  }
  const setSample = (next: SampleElement) =>
    onChange({ ...state, session: { ...session, elements: [next, ...session.elements.slice(1)] }, chosen: undefined })

  return (
    <Paper
      variant="outlined"
      component="aside"
      aria-label={t('controls.label')}
      sx={{
        p: 1.5,
        display: 'grid',
        gap: 2,
        gridTemplateColumns: 'minmax(0, 1fr)',
        alignContent: 'start',
        maxHeight: { lg: 760 },
        overflowY: 'auto',
      }}
    >
      <Section title={t('controls.sample')}>
        <SampleFields graph={graph} sample={sample} onChange={setSample} />
        <Button size="small" onClick={() => setCopying(true)} sx={{ justifySelf: 'start' }}>
          {t('controls.copy')}
        </Button>
        <Autocomplete
          size="small"
          disableClearable
          options={TIME_ZONES}
          value={session.calendar?.timeZone ?? 'UTC'}
          onChange={(_, zone) => onChange({ ...state, session: { ...session, calendar: calendarIn(zone) } })}
          renderInput={(params) => (
            <TextField {...params} label={t('controls.timeZone')} helperText={t('controls.workingHours')} />
          )}
        />
      </Section>
      <Section title={t('controls.do')}>
        <Stack direction="row" spacing={0.5}>
          <TextField
            select
            size="small"
            fullWidth
            label={t('controls.moveTo')}
            value={moveTo}
            onChange={(e) => setMoveTo(e.target.value)}
          >
            {graph.pipeline.stages.map((s) => (
              <MenuItem key={s.id} value={s.id}>
                {s.name}
              </MenuItem>
            ))}
          </TextField>
          <Button
            variant="outlined"
            sx={{ flex: 'none' }}
            onClick={() => take({ move: { element: sample.id, to: moveTo } })}
          >
            {t('controls.move')}
          </Button>
        </Stack>
        <Stack spacing={1}>
          <TextField
            select
            size="small"
            fullWidth
            label={t('controls.event')}
            value={event}
            onChange={(e) => setEvent(e.target.value)}
            // A long event name wraps rather than being cut (German, Turkish).
            sx={{ '& .MuiSelect-select': { whiteSpace: 'normal' } }}
          >
            {EVENTS.map((type) => (
              <MenuItem key={type} value={type}>
                {eventName(type)}
              </MenuItem>
            ))}
          </TextField>
          <TextField
            select
            size="small"
            label={t('controls.document')}
            value={documentType}
            onChange={(e) => setDocumentType(e.target.value)}
            fullWidth
          >
            {DOCUMENT_TYPES.map((type) => (
              <MenuItem key={type} value={type}>
                {documentTypeLabel(type)}
              </MenuItem>
            ))}
          </TextField>
        </Stack>
        <Button
          variant="outlined"
          sx={{ justifySelf: 'start' }}
          onClick={() =>
            take({
              event: {
                element: sample.id,
                type: event as never,
                ...(['webhook', 'invoicePaid'].includes(event) ? {} : { documentType: documentType as never }),
              },
            })
          }
        >
          {t('controls.fire')}
        </Button>
        <Stack spacing={1}>
          <TextField
            select
            size="small"
            label={t('controls.field')}
            value={field}
            onChange={(e) => setField(e.target.value)}
            fullWidth
            slotProps={{ select: { MenuProps: { slotProps: { paper: { sx: { maxHeight: 360 } } } } } }}
          >
            {[...index.values()].map((f) => (
              <MenuItem key={f.path} value={f.path}>
                {words.fieldLabel(f)}
              </MenuItem>
            ))}
          </TextField>
          <TextField
            size="small"
            label={t('controls.newValue')}
            value={value}
            onChange={(e) => setValue(e.target.value)}
            fullWidth
          />
        </Stack>
        <Button
          variant="outlined"
          disabled={!field}
          sx={{ justifySelf: 'start' }}
          onClick={() => {
            const def = index.get(field)
            const v = (def?.type === 'number' || def?.type === 'money') && value !== '' ? Number(value) : value
            take({ set: { element: sample.id, field, value: v } })
          }}
        >
          {t('controls.changeField')}
        </Button>
        <Stack direction="row" spacing={0.5} useFlexGap sx={{ flexWrap: 'wrap', '& > *': { flexShrink: 0 } }}>
          <TextField
            select
            size="small"
            label={t('controls.waitFor')}
            value={wait}
            onChange={(e) => setWait(e.target.value)}
          >
            {WAITS.map((v) => (
              <MenuItem key={v} value={v}>
                {v === '7d' ? t('controls.week') : durationText(v)}
              </MenuItem>
            ))}
          </TextField>
          <Button variant="outlined" onClick={() => take({ advance: { by: wait } })}>
            {t('controls.wait')}
          </Button>
          <Button variant="outlined" onClick={() => take({ advance: 'next' })}>
            {t('controls.next')}
          </Button>
          <Button variant="outlined" onClick={() => take({ advance: 'end' })}>
            {t('controls.end')}
          </Button>
        </Stack>
      </Section>
      <Section title={t('controls.steps')}>
        {cursor < session.steps.length && (
          <Typography variant="caption" color="text.secondary" data-testid="steps-ahead">
            {t('controls.ahead', { count: session.steps.length - cursor })}
          </Typography>
        )}
        {session.steps.length === 0 && (
          <Typography variant="body2" color="text.secondary">
            {t('controls.noSteps')}
          </Typography>
        )}
        <Box component="ol" sx={{ m: 0, pl: 2.5, display: 'grid', gap: 0.25 }} data-testid="simulator-steps">
          {session.steps.map((step, i) => (
            <Typography
              // biome-ignore lint/suspicious/noArrayIndexKey: steps are a list by position
              key={i}
              component="li"
              variant="body2"
              sx={{ color: i < cursor ? 'text.primary' : 'text.disabled', fontWeight: i === cursor - 1 ? 700 : 400 }}
            >
              {stepLabel(graph, step, format.when)}
            </Typography>
          ))}
        </Box>
        <Stack direction="row" spacing={0.5} useFlexGap sx={{ flexWrap: 'wrap', '& > *': { flexShrink: 0 } }}>
          <Button
            size="small"
            variant="outlined"
            disabled={cursor === 0}
            onClick={() => onChange({ ...state, cursor: 0, chosen: undefined })}
          >
            {t('controls.reset')}
          </Button>
          <Button
            size="small"
            variant="outlined"
            disabled={cursor >= session.steps.length}
            onClick={() => onChange({ ...state, cursor: cursor + 1, chosen: undefined })}
          >
            {t('controls.step')}
          </Button>
          <Button
            size="small"
            variant="outlined"
            disabled={cursor >= session.steps.length}
            onClick={() => onChange({ ...state, cursor: session.steps.length, chosen: undefined })}
          >
            {t('controls.play')}
          </Button>
          <Button
            size="small"
            color="inherit"
            onClick={() =>
              onChange({ ...newSimulation(graph), session: { ...newSimulation(graph).session, elements: [sample] } })
            }
          >
            {t('controls.clear')}
          </Button>
        </Stack>
      </Section>
      <CopyElementDialog
        pipelineId={pipelineId}
        open={copying}
        onClose={() => setCopying(false)}
        onChosen={(copied) => setSample({ ...copied, id: sample.id })}
      />
    </Paper>
  )
}

/** What would have been sent or made, as the analyst previews it. */
function EffectPreview({ request, fields }: { request: EffectRequest; fields: Record<string, Json> }) {
  const { t } = useTranslation('simulator')
  const may = useMay()
  switch (request.kind) {
    case 'email':
      return (
        <Box>
          <Typography variant="body2">
            <strong>{t('preview.to')}</strong> {request.to}
          </Typography>
          <Typography variant="body2">
            <strong>{t('preview.subject')}</strong> {request.subject}
          </Typography>
          <Typography variant="body2" sx={{ whiteSpace: 'pre-wrap', mt: 0.5 }}>
            {request.body}
          </Typography>
        </Box>
      )
    case 'sms':
      return (
        <Typography variant="body2">
          <strong>{t('preview.sms', { to: request.to })}</strong> {request.text}
        </Typography>
      )
    case 'documentLink':
      return (
        <Typography variant="body2">
          <strong>{t('preview.link', { channel: t(`channel.${request.channel}`), to: request.to })}</strong>{' '}
          {request.message ?? ''}
        </Typography>
      )
    case 'notification':
      return (
        <Typography variant="body2">
          <strong>{t('preview.notification', { to: request.to.join(', ') })}</strong> {request.text}
        </Typography>
      )
    case 'task':
      return (
        <Typography variant="body2">
          <strong>{t('preview.task', { responsible: request.responsible })}</strong> {request.title}
        </Typography>
      )
    case 'createDocument':
    case 'sendForSigning':
      return (
        <Typography variant="body2">
          <strong>{t('preview.document', { template: request.template })}</strong>{' '}
          {may('previewTemplate') && (
            <>
              <Link href={templatePreviewUrl(request.template, fields)} target="_blank" rel="noopener">
                {t('preview.pdf')}
              </Link>{' '}
              {t('preview.pdfNote')}
            </>
          )}
        </Typography>
      )
  }
}

/** One record in words, with what it carries. */
function RecordDetail({ record, fields }: { record: TimelineRecord; fields: Record<string, Json> }) {
  const { t } = useTranslation('simulator')
  const symbols: Record<string, string> = { eq: '=', ne: '≠', gt: '>', gte: '≥', lt: '<', lte: '≤' }
  switch (record.type) {
    case 'condition.evaluated':
      return (
        <Box component="ul" sx={{ m: 0, pl: 2 }}>
          {record.rows.map((row, i) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: rows of one condition, in order
            <li key={i}>
              <Typography variant="body2">
                {row.left} ({shown(row.leftValue)}) {operatorWord(symbols[row.op] ?? row.op)}{' '}
                {row.values.map(shown).join(', ')}: <strong>{row.result ? t('true') : t('false')}</strong>
              </Typography>
            </li>
          ))}
        </Box>
      )
    case 'settings.resolved':
      return (
        <Box component="pre" sx={{ m: 0, fontSize: 12, whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }}>
          {JSON.stringify(record.settings, null, 2)}
        </Box>
      )
    case 'variable.changed':
      return (
        <Typography variant="body2">
          {record.variable}: {JSON.stringify(record.before)} → {JSON.stringify(record.after)}
        </Typography>
      )
    case 'effect.requested':
      return <EffectPreview request={record.request} fields={fields} />
    default:
      return null
  }
}

/** Timeline lines drawn at a time. */
const TIMELINE_PAGE = 300

/** The right side: the timeline, what waits, "why not?", and what to keep as a scenario. */
export function SimulatorResults({
  graph,
  flowId,
  store,
  state,
  run,
  onChange,
}: {
  graph: Graph
  flowId: string
  store: DesignerStore
  state: SimulatorState
  run: ReturnType<typeof runSession>
  onChange: (state: SimulatorState) => void
}) {
  const { t } = useTranslation('simulator')
  const [tab, setTab] = useState<'timeline' | 'why' | 'keep'>('timeline')
  const [shown, setShown] = useState(TIMELINE_PAGE)
  const selection = useStore(store, (s) => s.selection)
  const calendar = state.session.calendar ?? calendarIn('UTC')
  const sample = state.session.elements[0]
  const sim = run.simulation
  const format = useWhen(calendar.timeZone)
  const lines = useMemo(() => timelineLines(run.timeline, graph, format.when), [run, graph, format])
  const schedule = sample ? pendingSchedule(graph, sim, [sample.id], calendar) : []
  const chosen = run.timeline.find((r) => r.seq === state.chosen)
  const selected = selection.length === 1 ? selection[0] : undefined
  const verdict = selected && sample ? whyNot(graph, sim, sample.id, selected, calendar) : undefined
  const selectedTitle = graph.pipeline.stages
    .flatMap((s) => [...s.triggers, ...s.rules])
    .find((n) => n.id === selected)?.title

  return (
    <Paper
      variant="outlined"
      aria-label={t('results.label')}
      data-testid="simulator-results"
      sx={{
        p: 1.5,
        display: 'grid',
        gap: 1,
        gridTemplateColumns: 'minmax(0, 1fr)',
        alignContent: 'start',
        maxHeight: { lg: 760 },
        overflowY: 'auto',
      }}
    >
      <Typography variant="body2" data-testid="simulator-clock">
        <strong>{t('results.virtualTime')}</strong>{' '}
        {t('results.moment', { moment: format.when(new Date(sim.now).toISOString()), zone: calendar.timeZone })}
        {sample && (
          <>
            {' · '}
            <strong>{sample.fields.title ? String(sample.fields.title) : sample.id}</strong>{' '}
            {t('results.isIn', {
              stage:
                graph.pipeline.stages.find((s) => s.id === sim.engine.snapshot(sample.id).stage)?.name ?? t('noStage'),
            })}
          </>
        )}
      </Typography>
      {run.error && <Alert severity="error">{engineReason(run.error)}</Alert>}
      <Tabs value={tab} onChange={(_, next) => setTab(next)} variant="fullWidth" sx={{ minHeight: 36 }}>
        <Tab value="timeline" label={t('results.timeline')} sx={{ minHeight: 36 }} />
        <Tab value="why" label={t('results.whyNot')} sx={{ minHeight: 36 }} />
        <Tab value="keep" label={t('results.scenario')} sx={{ minHeight: 36 }} />
      </Tabs>
      {tab === 'timeline' && (
        <>
          {run.timeline.length === 0 && (
            <Typography variant="body2" color="text.secondary">
              {t('results.nothingYet')}
            </Typography>
          )}
          <List dense disablePadding aria-label={t('results.timeline')} data-testid="simulator-timeline">
            {run.timeline.slice(0, shown).map((record, i) => (
              <ListItemButton
                key={record.seq}
                selected={record.seq === state.chosen}
                onClick={() => {
                  onChange({ ...state, chosen: record.seq })
                  const node = nodeOf(record)
                  if (node) store.getState().select([node])
                }}
                sx={{ py: 0.25, alignItems: 'flex-start', display: 'block' }}
              >
                <Typography
                  variant="body2"
                  sx={{
                    fontFamily: 'ui-monospace, monospace',
                    fontSize: 12,
                    whiteSpace: 'pre-wrap',
                    overflowWrap: 'anywhere',
                  }}
                >
                  {lines[i] && `${lines[i].when}  ${lines[i].element}  ${lines[i].text}`}
                </Typography>
                {record.seq === state.chosen && sample && (
                  <Box sx={{ mt: 0.5, mb: 0.5 }}>
                    <RecordDetail
                      record={record}
                      fields={fieldsAt(run.timeline, sample.fields, record.element ?? sample.id, record.seq)}
                    />
                  </Box>
                )}
              </ListItemButton>
            ))}
          </List>
          {run.timeline.length > shown && (
            // A flow that repeats can write thousands of lines: they are shown a page at a time.
            <Button size="small" sx={{ justifySelf: 'start' }} onClick={() => setShown((n) => n + TIMELINE_PAGE)}>
              {t('results.showMore', {
                count: Math.min(TIMELINE_PAGE, run.timeline.length - shown),
                left: run.timeline.length - shown,
              })}
            </Button>
          )}
          {schedule.length > 0 && (
            <Section title={t('results.waiting')}>
              <Box component="ul" sx={{ m: 0, pl: 2 }} data-testid="simulator-schedule">
                {schedule.map((p) => (
                  <li key={p.node}>
                    <Typography variant="body2">
                      {p.waiting
                        ? t('results.pausesUntil', { title: p.title, moment: format.when(p.dueAt) })
                        : t('results.dueAt', { title: p.title, moment: format.when(p.dueAt) })}
                    </Typography>
                  </li>
                ))}
              </Box>
            </Section>
          )}
          {chosen === undefined && run.timeline.length > 0 && (
            <Typography variant="caption" color="text.secondary">
              {t('results.chooseLine')}
            </Typography>
          )}
        </>
      )}
      {tab === 'why' && (
        <Box data-testid="why-not">
          {verdict ? (
            <>
              <Typography variant="subtitle2">{selectedTitle}</Typography>
              <Typography variant="body2">{verdictText(verdict, format.when)}</Typography>
            </>
          ) : (
            <Typography variant="body2" color="text.secondary">
              {t('results.selectNode')}
            </Typography>
          )}
        </Box>
      )}
      {tab === 'keep' && sample && (
        <KeepScenario graph={graph} flowId={flowId} state={state} run={run} onChange={onChange} sampleId={sample.id} />
      )}
    </Paper>
  )
}

type Stored = Awaited<ReturnType<typeof fetchScenarios>>[number]

/** Tick what must hold, name it, keep it next to the flow; run every kept scenario on the draft. */
function KeepScenario({
  graph,
  flowId,
  state,
  run,
  sampleId,
  onChange,
}: {
  graph: Graph
  flowId: string
  state: SimulatorState
  run: ReturnType<typeof runSession>
  sampleId: string
  onChange: (state: SimulatorState) => void
}) {
  const { t } = useTranslation('simulator')
  const suggested = suggestExpectations(graph, run.simulation, sampleId).map((o) => ({
    ...o,
    label: expectationLabel(graph, o.expect),
  }))
  const key = (e: Expectation) => JSON.stringify(e)
  // Ticked before a reset or another step, and not what happens now: still listed (and kept) until unticked.
  const stale = state.expectations.filter((e) => !suggested.some((o) => key(o.expect) === key(e)))
  const offered = [
    ...suggested,
    ...stale.map((expect) => ({ label: expectationLabel(graph, expect), expect, stale: true })),
  ]
  const ticked = (e: Expectation) => state.expectations.some((x) => key(x) === key(e))
  const [name, setName] = useState('')
  const [message, setMessage] = useState<{ severity: 'success' | 'error'; text: string } | undefined>()
  const [results, setResults] = useState<
    | Array<{
        stored: Stored
        result: ReturnType<typeof runScenario>
        /** Why each failed expectation did not hold, in the person's language. */
        failed: Array<{ step: number; message: string }>
      }>
    | undefined
  >()
  const [stored, setStored] = useState<Stored[] | undefined>()

  const played: Session = { ...state.session, steps: state.session.steps.slice(0, state.cursor) }
  const save = async () => {
    const trimmed = name.trim()
    if (!trimmed) return
    const scenario = toScenario(played, trimmed, state.expectations)
    try {
      // A scenario of the same name is replaced (after asking); any other keeps its file: ids never collide.
      const existing = await fetchScenarios(flowId)
      const same = existing.find((x) => x.name.trim().toLowerCase() === trimmed.toLowerCase())
      if (same && !window.confirm(t('keep.replace', { name: same.name }))) return
      const id = same?.id ?? mintId(trimmed, new Set(existing.map((x) => x.id)))
      await saveScenario(flowId, id, scenario)
      setMessage({
        severity: 'success',
        text: same ? t('keep.replaced', { name: trimmed }) : t('keep.kept', { name: trimmed }),
      })
    } catch (e) {
      setMessage({ severity: 'error', text: e instanceof ApiError ? e.message : t('keep.notKept') })
    }
  }
  const runAll = async () => {
    try {
      const all = await fetchScenarios(flowId)
      setStored(all)
      setResults(
        all.map((s) => {
          const result = runScenario(s.scenario as Scenario, graph)
          return {
            stored: s,
            result,
            failed: result.passed ? [] : failedExpectations(s.scenario as Scenario, graph),
          }
        }),
      )
    } catch (e) {
      setMessage({ severity: 'error', text: e instanceof ApiError ? e.message : t('keep.cannotLoad') })
    }
  }
  const download = () => {
    const scenario = toScenario(played, name.trim() || 'Simulation', state.expectations)
    const url = URL.createObjectURL(new Blob([`${JSON.stringify(scenario, null, 2)}\n`], { type: 'application/json' }))
    const link = document.createElement('a')
    link.href = url
    link.download = `${mintId(name.trim() || 'simulation', new Set())}.scenario.json`
    link.click()
    setTimeout(() => URL.revokeObjectURL(url), 1000)
  }

  return (
    <Box sx={{ display: 'grid', gap: 1 }} data-testid="keep-scenario">
      <Typography variant="body2" color="text.secondary">
        {t('keep.intro')}
      </Typography>
      <Box>
        {offered.map((o) => (
          <FormControlLabel
            key={JSON.stringify(o.expect)}
            sx={{ display: 'flex' }}
            control={
              <Checkbox
                size="small"
                checked={ticked(o.expect)}
                onChange={(e) =>
                  onChange({
                    ...state,
                    expectations: e.target.checked
                      ? [...state.expectations, o.expect]
                      : state.expectations.filter((x) => JSON.stringify(x) !== JSON.stringify(o.expect)),
                  })
                }
              />
            }
            label={
              <Typography variant="body2">
                {o.label}
                {'stale' in o && (
                  <Typography component="span" variant="caption" color="warning.main" sx={{ ml: 0.5 }}>
                    {t('keep.stale')}
                  </Typography>
                )}
              </Typography>
            }
          />
        ))}
      </Box>
      <Stack direction="row" spacing={0.5}>
        <TextField
          size="small"
          fullWidth
          label={t('keep.name')}
          value={name}
          onChange={(e) => setName(e.target.value)}
        />
        <Button variant="contained" disabled={!name.trim()} onClick={() => void save()} sx={{ flex: 'none' }}>
          {t('keep.keep')}
        </Button>
      </Stack>
      <Stack direction="row" spacing={1} useFlexGap sx={{ flexWrap: 'wrap', '& > *': { flexShrink: 0 } }}>
        <Button size="small" onClick={() => void runAll()}>
          {t('keep.runAll')}
        </Button>
        <Button size="small" onClick={download}>
          {t('keep.download')}
        </Button>
      </Stack>
      {message && (
        <Alert severity={message.severity} onClose={() => setMessage(undefined)}>
          {message.text}
        </Alert>
      )}
      {results && (
        <Box component="ul" sx={{ m: 0, pl: 2 }} data-testid="scenario-results" aria-label={t('keep.results')}>
          {results.length === 0 && <li>{t('keep.noneKept')}</li>}
          {results.map(({ stored: s, result, failed }) => (
            <li key={s.id} data-passed={result.passed}>
              <Typography
                variant="body2"
                sx={{ color: result.passed ? 'success.main' : 'error.main', fontWeight: 600 }}
              >
                {result.passed ? '✓' : '✗'} {s.name}
              </Typography>
              {!result.passed && (
                <>
                  {result.error && <Typography variant="caption">{engineReason(result.error)}</Typography>}
                  {failed.map((e) => (
                    <Typography key={e.step} variant="caption" component="p">
                      {e.message}
                    </Typography>
                  ))}
                </>
              )}
              <Button
                size="small"
                aria-label={t('keep.openNamed', { name: s.name })}
                onClick={() => {
                  const { session, expectations } = fromScenario(s.scenario as Scenario)
                  onChange({ session, cursor: session.steps.length, expectations })
                }}
              >
                {t('keep.open')}
              </Button>
            </li>
          ))}
        </Box>
      )}
      {stored && stored.length > 0 && (
        <Typography variant="caption" color="text.secondary">
          {t('keep.stored', { count: stored.length, flow: flowId })}
        </Typography>
      )}
    </Box>
  )
}
