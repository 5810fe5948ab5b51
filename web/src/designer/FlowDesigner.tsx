/**
 * The flow designer: pick a pipeline, and its flow's draft opens on the canvas. Add stages, add rules and
 * triggers with "+", drag rules, undo and redo, see problems as you go (the shared validator, in the page),
 * save the draft. Loaded on demand: the catalog and the validator are most of its weight.
 */

import Alert from '@mui/material/Alert'
import Box from '@mui/material/Box'
import Button from '@mui/material/Button'
import Dialog from '@mui/material/Dialog'
import DialogActions from '@mui/material/DialogActions'
import DialogContent from '@mui/material/DialogContent'
import DialogTitle from '@mui/material/DialogTitle'
import MenuItem from '@mui/material/MenuItem'
import Paper from '@mui/material/Paper'
import Stack from '@mui/material/Stack'
import TextField from '@mui/material/TextField'
import ToggleButton from '@mui/material/ToggleButton'
import ToggleButtonGroup from '@mui/material/ToggleButtonGroup'
import Tooltip from '@mui/material/Tooltip'
import Typography from '@mui/material/Typography'
import { useCallback, useEffect, useMemo, useRef, useState } from 'react'
import { ErrorBoundary } from 'react-error-boundary'
import { useTranslation } from 'react-i18next'
import { useStore } from 'zustand'
import { addStage, placeAt } from '../../../shared/designer/commands.js'
import { createDesignerStore, type DesignerStore } from '../../../shared/designer/store.js'
import { runScenario, type Scenario } from '../../../shared/engine/scenario.js'
import { diffGraphs } from '../../../shared/graph/diff.js'
import type { Graph } from '../../../shared/graph/graph.js'
import { exportGraph, importGraph, withSchemaHint } from '../../../shared/graph/io.js'
import { ELEMENT_TYPES, type ElementType } from '../../../shared/graph/vocabulary.js'
import { nodeOf, nodeStats } from '../../../shared/simulator/insights.js'
import { runSession, type Session } from '../../../shared/simulator/session.js'
import type { Finding } from '../../../shared/validate/finding.js'
import { validate } from '../../../shared/validate/validate.js'
import {
  ApiError,
  createPipeline,
  fetchFlow,
  fetchPipelines,
  fetchScenarios,
  fetchVersion,
  type PipelineSummary,
  publishGraph,
  rollbackTo,
  saveDraft,
} from '../api.js'
import { findingHint, findingMessage } from '../i18n/finding-text.js'
import { useFormat } from '../i18n/index.js'
import { useMay } from '../workspace/may.js'
import { DeclarationsDialog } from './Declarations.js'
import { FlowCanvas } from './FlowCanvas.js'
import { type Comparison, changesOf, removedName, VersionsDialog } from './History.js'
import { Palette } from './Palette.js'
import { focusSetting, SettingsPanel } from './SettingsPanel.js'
import { newSimulation, SimulatorControls, SimulatorResults, type SimulatorState } from './Simulator.js'
import { fetchTemplateTypes } from './simulator-api.js'
import { type Translate, useWords } from './words.js'

type Loaded = { flowId: string; store: DesignerStore; latestVersion: number | null }

/** The shared validator on the draft, a moment after the last change. */
function useFindings(store: DesignerStore | undefined): Finding[] {
  const graph = useStore(store ?? EMPTY_STORE, (s) => s.graph)
  const [findings, setFindings] = useState<Finding[]>([])
  useEffect(() => {
    if (!store) return
    const timer = setTimeout(() => setFindings(validate(graph).findings), 250)
    return () => clearTimeout(timer)
  }, [graph, store])
  return findings
}

const EMPTY_STORE = createDesignerStore({
  formatVersion: 1,
  flow: { id: 'empty', name: '' },
  elementType: 'deal',
  pipeline: { id: 'empty', name: '', stages: [] },
  constants: [],
  variables: [],
  fields: [],
} as unknown as Graph)

/** How long after the last change the draft is saved by itself. */
const AUTOSAVE_MS = 2000

type SaveState =
  | { state: 'idle' }
  | { state: 'saving' }
  | { state: 'saved'; at: Date }
  | { state: 'failed'; message: string | undefined }

/**
 * Saves the draft a moment after the last change, one save at a time; a change made during a save is saved
 * next. Leaving the page with unsaved changes asks first.
 */
function useAutosave(loaded: { flowId: string; store: DesignerStore }): [SaveState, () => Promise<boolean>] {
  const { store, flowId } = loaded
  const graph = useStore(store, (s) => s.graph)
  const dirty = useStore(store, (s) => s.dirty)
  const [status, setStatus] = useState<SaveState>({ state: 'idle' })
  const running = useRef<Promise<boolean> | undefined>(undefined)

  const saveNow = useCallback(async (): Promise<boolean> => {
    while (running.current) await running.current
    // Saved meanwhile (the timer and the button both asked): nothing to send.
    if (!store.getState().dirty) return true
    const sent = store.getState().graph
    const attempt = (async () => {
      setStatus({ state: 'saving' })
      try {
        await saveDraft(flowId, sent)
        // Saved only if nothing changed while the request was out.
        if (store.getState().graph === sent) store.getState().saved()
        setStatus({ state: 'saved', at: new Date() })
        return true
      } catch (e) {
        setStatus({ state: 'failed', message: e instanceof ApiError ? e.message : undefined })
        return false
      }
    })()
    running.current = attempt
    try {
      return await attempt
    } finally {
      running.current = undefined
    }
  }, [flowId, store])

  useEffect(() => {
    if (!dirty || graph === undefined) return
    const timer = setTimeout(() => void saveNow(), AUTOSAVE_MS)
    return () => clearTimeout(timer)
  }, [graph, dirty, saveNow])

  // Leaving the flow (another pipeline, another screen) saves what is not saved yet.
  useEffect(
    () => () => {
      if (store.getState().dirty) void saveDraft(flowId, store.getState().graph).catch(() => {})
    },
    [flowId, store],
  )

  useEffect(() => {
    if (!dirty) return
    const warn = (event: BeforeUnloadEvent) => event.preventDefault()
    window.addEventListener('beforeunload', warn)
    return () => window.removeEventListener('beforeunload', warn)
  }, [dirty])
  return [status, saveNow]
}

function Toolbar({
  loaded,
  findings,
  latestVersion,
  saveState,
  saveNow,
  onPublished,
  onOpenDeclarations,
  onOpenHistory,
}: {
  loaded: { flowId: string; store: DesignerStore }
  findings: Finding[]
  latestVersion: number | null
  saveState: SaveState
  saveNow: () => Promise<boolean>
  onPublished: (number: number) => void
  onOpenDeclarations: () => void
  onOpenHistory: () => void
}) {
  const { store, flowId } = loaded
  const { t } = useTranslation('designer')
  const { language } = useFormat()
  const past = useStore(store, (s) => s.past)
  const future = useStore(store, (s) => s.future)
  const dirty = useStore(store, (s) => s.dirty)
  const [adding, setAdding] = useState(false)
  const [name, setName] = useState('')
  const [publishing, setPublishing] = useState(false)
  const [note, setNote] = useState('')
  const [summary, setSummary] = useState<string | undefined>()
  const [busy, setBusy] = useState(false)
  const [message, setMessage] = useState<{ severity: 'success' | 'error'; text: string } | undefined>()
  const errors = findings.filter((f) => f.severity === 'error').length
  const warnings = findings.length - errors
  const undoLabel = past.at(-1)?.label
  const redoLabel = future[0]?.label

  // The flow's kept scenarios, run on the draft about to be published.
  const [checks, setChecks] = useState<{ text: string; failed: boolean } | undefined>()
  useEffect(() => {
    if (!publishing) return
    setChecks(undefined)
    const abort = new AbortController()
    fetchScenarios(flowId, abort.signal).then(
      (kept) => {
        if (kept.length === 0) {
          setChecks({ text: t('publish.noScenarios'), failed: false })
          return
        }
        const graph = store.getState().graph
        const failed = kept.filter((k) => !runScenario(k.scenario as Scenario, graph).passed)
        setChecks(
          failed.length === 0
            ? { text: t('publish.scenariosPass', { count: kept.length }), failed: false }
            : {
                text: t('publish.scenariosFail', {
                  count: kept.length,
                  failed: failed.length,
                  names: failed.map((f) => `“${f.name}”`).join(', '),
                }),
                failed: true,
              },
        )
      },
      () => setChecks(undefined),
    )
    return () => abort.abort()
  }, [publishing, flowId, store, t])

  // What publishing would change, against the live version.
  useEffect(() => {
    if (!publishing) return
    setSummary(undefined)
    if (latestVersion === null) {
      setSummary(t('publish.first'))
      return
    }
    const abort = new AbortController()
    fetchVersion(flowId, latestVersion, abort.signal).then(
      (before) => {
        const diff = diffGraphs(before, store.getState().graph)
        const parts = [
          diff.added.length && t('publish.added', { count: diff.added.length }),
          diff.changed.length && t('publish.changed', { count: diff.changed.length }),
          diff.removed.length && t('publish.removed', { count: diff.removed.length }),
        ].filter(Boolean)
        setSummary(
          parts.length === 0 && diff.other.length === 0
            ? t('publish.nothing', { number: latestVersion })
            : t('publish.since', {
                number: latestVersion,
                changes: parts.length > 0 ? parts.join(', ') : t('publish.settingsChanged'),
              }),
        )
      },
      () => setSummary(undefined),
    )
    return () => abort.abort()
  }, [publishing, latestVersion, flowId, store, t])

  const publish = async () => {
    setBusy(true)
    setMessage(undefined)
    try {
      if (!(await saveNow())) throw new Error(t('publish.notSaved'))
      const version = await publishGraph(flowId, store.getState().graph, note.trim() || undefined)
      setPublishing(false)
      setNote('')
      onPublished(version.number)
      setMessage({ severity: 'success', text: t('publish.done', { number: version.number }) })
    } catch (e) {
      setPublishing(false)
      setMessage({
        severity: 'error',
        text: e instanceof Error && e.message ? e.message : t('publish.failed'),
      })
    } finally {
      setBusy(false)
    }
  }

  const exportFile = () => {
    const graph = store.getState().graph
    const url = URL.createObjectURL(new Blob([exportGraph(withSchemaHint(graph))], { type: 'application/json' }))
    const link = document.createElement('a')
    link.href = url
    link.download = `${graph.flow.id}.json`
    link.click()
    setTimeout(() => URL.revokeObjectURL(url), 1000)
  }

  const importFile = async (file: File) => {
    const result = importGraph(await file.text())
    if (!result.graph) {
      const first = result.findings.find((f) => f.severity === 'error')
      setMessage({
        severity: 'error',
        text: first
          ? t('import.failedAt', {
              file: file.name,
              message: findingMessage(first),
              path: first.path || t('import.top'),
            })
          : t('import.notGraph', { file: file.name }),
      })
      return
    }
    const imported = result.graph
    store.getState().edit(t('undo.import', { file: file.name }), (draft) => replaceGraph(draft, imported))
    setMessage({ severity: 'success', text: t('import.done', { file: file.name }) })
  }

  const addStageNamed = () => {
    const trimmed = name.trim()
    if (!trimmed) return
    store.getState().edit(t('undo.addStage', { name: trimmed }), (g) => addStage(g, { name: trimmed }))
    setName('')
    setAdding(false)
  }

  const saveText =
    saveState.state === 'saving'
      ? t('save.saving')
      : saveState.state === 'failed' && dirty
        ? t('save.failed')
        : dirty
          ? t('save.dirty')
          : saveState.state === 'saved'
            ? t('save.savedAt', {
                time: new Intl.DateTimeFormat(language, { timeStyle: 'short' }).format(saveState.at),
              })
            : t('save.saved')
  const saveProblem = saveState.state === 'failed' ? (saveState.message ?? t('save.couldNot')) : undefined

  return (
    <>
      <Stack direction="row" spacing={1} sx={{ flexWrap: 'wrap', alignItems: 'center', rowGap: 1 }}>
        <Tooltip title={undoLabel ? t('toolbar.undoWhat', { what: undoLabel }) : t('toolbar.nothingToUndo')}>
          <span>
            <Button size="small" variant="outlined" disabled={!undoLabel} onClick={() => store.getState().undo()}>
              {t('toolbar.undo')}
            </Button>
          </span>
        </Tooltip>
        <Tooltip title={redoLabel ? t('toolbar.redoWhat', { what: redoLabel }) : t('toolbar.nothingToRedo')}>
          <span>
            <Button size="small" variant="outlined" disabled={!redoLabel} onClick={() => store.getState().redo()}>
              {t('toolbar.redo')}
            </Button>
          </span>
        </Tooltip>
        <Button size="small" variant="outlined" onClick={() => setAdding(true)}>
          {t('toolbar.addStage')}
        </Button>
        <Button size="small" variant="outlined" onClick={onOpenDeclarations}>
          {t('toolbar.declarations')}
        </Button>
        <Button size="small" onClick={onOpenHistory}>
          {t('toolbar.history')}
        </Button>
        <Button size="small" onClick={exportFile}>
          {t('toolbar.export')}
        </Button>
        <Button size="small" component="label">
          {t('toolbar.import')}
          <input
            hidden
            type="file"
            accept="application/json,.json"
            data-testid="import-file"
            onChange={(e) => {
              const file = e.target.files?.[0]
              if (file) void importFile(file)
              e.target.value = ''
            }}
          />
        </Button>
        <Box sx={{ flex: 1 }} />
        <Tooltip title={saveProblem && dirty ? saveProblem : t('toolbar.autosave')}>
          <Typography variant="body2" color="text.secondary" data-testid="designer-status">
            {errors > 0
              ? t('count.error', { count: errors })
              : warnings > 0
                ? t('toolbar.onlyWarnings', { count: warnings })
                : t('toolbar.noProblems')}
            {' · '}
            {saveText}
          </Typography>
        </Tooltip>
        <Button
          size="small"
          variant="outlined"
          disabled={!dirty || saveState.state === 'saving'}
          onClick={() => void saveNow()}
        >
          {t('toolbar.saveDraft')}
        </Button>
        <Tooltip title={errors > 0 ? t('toolbar.fixFirst') : t('toolbar.publishTip')}>
          <span>
            <Button
              size="small"
              variant="contained"
              color="secondary"
              disabled={errors > 0 || busy}
              onClick={() => setPublishing(true)}
            >
              {t('toolbar.publish')}
            </Button>
          </span>
        </Tooltip>
      </Stack>
      {saveProblem && dirty && (
        <Alert severity="warning" sx={{ mt: 1 }}>
          {t('save.notYet', { message: saveProblem })}
        </Alert>
      )}
      {message && (
        <Alert severity={message.severity} onClose={() => setMessage(undefined)} sx={{ mt: 1 }} role="alert">
          {message.text}
        </Alert>
      )}
      <Dialog open={adding} onClose={() => setAdding(false)} fullWidth maxWidth="xs">
        <DialogTitle>{t('addStage.title')}</DialogTitle>
        <DialogContent>
          <TextField
            autoFocus
            fullWidth
            label={t('addStage.name')}
            value={name}
            onChange={(e) => setName(e.target.value)}
            onKeyDown={(e) => {
              if (e.key === 'Enter') addStageNamed()
            }}
            sx={{ mt: 1 }}
          />
        </DialogContent>
        <DialogActions>
          <Button onClick={() => setAdding(false)}>{t('action.cancel')}</Button>
          <Button variant="contained" disabled={!name.trim()} onClick={addStageNamed}>
            {t('action.add')}
          </Button>
        </DialogActions>
      </Dialog>
      <Dialog open={publishing} onClose={() => setPublishing(false)} fullWidth maxWidth="xs">
        <DialogTitle>{t('publish.title', { number: (latestVersion ?? 0) + 1 })}</DialogTitle>
        <DialogContent>
          <Typography variant="body2" color="text.secondary" sx={{ mb: 2 }} data-testid="publish-summary">
            {summary ?? t('publish.comparing')} {t('publish.who')}
          </Typography>
          <Typography
            variant="body2"
            sx={{ mb: 2, color: checks?.failed ? 'error.main' : 'text.secondary' }}
            data-testid="publish-scenarios"
          >
            {checks?.text ?? t('publish.running')}
          </Typography>
          <TextField
            autoFocus
            fullWidth
            size="small"
            label={t('publish.note')}
            value={note}
            onChange={(e) => setNote(e.target.value)}
            slotProps={{ htmlInput: { maxLength: 1000 } }}
            multiline
            minRows={2}
          />
        </DialogContent>
        <DialogActions>
          <Button onClick={() => setPublishing(false)}>{t('action.cancel')}</Button>
          <Button variant="contained" color="secondary" disabled={busy} onClick={publish}>
            {busy ? t('publish.publishing') : t('publish.publish')}
          </Button>
        </DialogActions>
      </Dialog>
    </>
  )
}

/** Puts another graph in the draft's place (an import, a rollback): one undo step. */
function replaceGraph(draft: Graph, next: Graph): void {
  for (const key of Object.keys(draft)) delete (draft as unknown as Record<string, unknown>)[key]
  Object.assign(draft, JSON.parse(JSON.stringify(next)))
}

/** A new pipeline: a name and what it moves; it starts with one stage, "New", and a draft flow. */
function NewPipelineDialog({
  open,
  onClose,
  onCreated,
}: {
  open: boolean
  onClose: () => void
  onCreated: (pipeline: PipelineSummary) => void
}) {
  const [name, setName] = useState('')
  const [elementType, setElementType] = useState<ElementType>('deal')
  const [problem, setProblem] = useState<string | undefined>()
  const [busy, setBusy] = useState(false)
  const { t } = useTranslation('designer')
  const words = useWords()
  const create = async () => {
    if (!name.trim()) return
    setBusy(true)
    setProblem(undefined)
    try {
      onCreated(await createPipeline(name.trim(), elementType, t('newPipeline.firstStage')))
      setName('')
    } catch (e) {
      setProblem(e instanceof ApiError ? e.message : t('newPipeline.failed'))
    } finally {
      setBusy(false)
    }
  }
  return (
    <Dialog open={open} onClose={onClose} fullWidth maxWidth="xs">
      <DialogTitle>{t('newPipeline.title')}</DialogTitle>
      <DialogContent sx={{ display: 'grid', gap: 2 }}>
        <TextField
          autoFocus
          fullWidth
          label={t('newPipeline.name')}
          value={name}
          onChange={(e) => setName(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === 'Enter') void create()
          }}
          sx={{ mt: 1 }}
        />
        <TextField
          select
          fullWidth
          label={t('newPipeline.moves')}
          value={elementType}
          onChange={(e) => setElementType(e.target.value as ElementType)}
        >
          {ELEMENT_TYPES.map((type) => (
            <MenuItem key={type} value={type}>
              {words.elementTypes(type)}
            </MenuItem>
          ))}
        </TextField>
        {problem && <Alert severity="error">{problem}</Alert>}
      </DialogContent>
      <DialogActions>
        <Button onClick={onClose}>{t('action.cancel')}</Button>
        <Button variant="contained" disabled={!name.trim() || busy} onClick={() => void create()}>
          {t('newPipeline.create')}
        </Button>
      </DialogActions>
    </Dialog>
  )
}

/** Every finding, in words, with where it is; choosing one selects its node. */
function Problems({ store, findings }: { store: DesignerStore; findings: Finding[] }) {
  const graph = useStore(store, (s) => s.graph)
  const { t } = useTranslation('designer')
  if (findings.length === 0) return null
  return (
    <Box component="section" aria-label={t('problems.title')}>
      <Typography variant="h3" component="h3" sx={{ mb: 0.5 }}>
        {t('problems.title')}
      </Typography>
      <Box component="ul" sx={{ listStyle: 'none', p: 0, m: 0, display: 'grid', gap: 0.5 }}>
        {findings.slice(0, 50).map((f) => {
          const target = placeAt(graph, f.path)?.node?.id
          return (
            <li key={`${f.code}${f.path}${f.message}`} data-code={f.code}>
              <Button
                size="small"
                color={f.severity === 'error' ? 'error' : 'warning'}
                disabled={!target}
                onClick={() => {
                  if (!target) return
                  store.getState().select([target])
                  focusSetting(f.path)
                }}
                sx={{ textAlign: 'left', justifyContent: 'flex-start', width: '100%' }}
              >
                {findingMessage(f)}
                {f.hint ? ` ${findingHint(f)}` : ''}
              </Button>
            </li>
          )
        })}
      </Box>
    </Box>
  )
}

/**
 * One flow open in the designer: its toolbar, palette, canvas, settings and problems, with their state.
 * Keyed by the flow, so nothing of one pipeline's session (messages, comparison, picked items) shows in another.
 */
function Workspace({
  flowId,
  pipelineId,
  store,
  firstVersion,
}: {
  flowId: string
  pipelineId: string
  store: DesignerStore
  firstVersion: number | null
}) {
  const { t } = useTranslation('designer')
  const loaded = useMemo(() => ({ flowId, store }), [flowId, store])
  const findings = useFindings(store)
  const [latestVersion, setLatestVersion] = useState(firstVersion)
  const [saveState, saveNow] = useAutosave(loaded)
  const [dialog, setDialog] = useState<'declarations' | 'history' | undefined>()
  const [comparison, setComparison] = useState<Comparison | undefined>()
  const [problem, setProblem] = useState<string | undefined>()
  const draft = useStore(store, (s) => s.graph)
  const canEdit = useMay()('saveDraft')
  const [mode, setMode] = useState<'design' | 'simulate'>('design')
  const [simulation, setSimulation] = useState<SimulatorState>(() => newSimulation(draft))
  // The app's templates and their document types; a scenario opened with its own list keeps that one.
  const [templates, setTemplates] = useState<Session['templates']>()
  useEffect(() => {
    if (mode !== 'simulate' || templates) return
    const abort = new AbortController()
    fetchTemplateTypes(abort.signal).then(setTemplates, () => setTemplates([]))
    return () => abort.abort()
  }, [mode, templates])
  const run = useMemo(() => {
    if (mode !== 'simulate') return undefined
    // Only the templates the draft names travel with the session (and into a kept scenario).
    const named = new Set(
      draft.pipeline.stages.flatMap((st) => st.rules.map((r) => (r.settings as { template?: unknown }).template)),
    )
    const session = simulation.session.templates
      ? simulation.session
      : { ...simulation.session, templates: templates?.filter((t) => named.has(t.id)) }
    return runSession(draft, session, simulation.cursor)
  }, [mode, draft, simulation.session, simulation.cursor, templates])
  const chosenNode = run?.timeline.find((r) => r.seq === simulation.chosen)
  const marks = useMemo(
    () =>
      run
        ? {
            stats: nodeStats(run.timeline, simulation.session.elements[0]?.id),
            highlight: chosenNode ? nodeOf(chosenNode) : undefined,
          }
        : undefined,
    [run, chosenNode, simulation.session.elements],
  )
  // The comparison follows the draft as it is edited.
  const changes = useMemo(() => {
    if (!comparison) return undefined
    const diff = diffGraphs(comparison.before, draft)
    return { diff, marks: changesOf(diff) }
  }, [comparison, draft])

  const compare = async (number: number) => {
    setDialog(undefined)
    try {
      setComparison({ number, before: await fetchVersion(flowId, number) })
    } catch (e) {
      setProblem(e instanceof ApiError ? e.message : t('compare.cannotLoad', { number }))
    }
  }
  /** Publishes an old version again and makes it the draft (one undo step), saved like any edit. */
  const rollback = async (number: number, note: string) => {
    const graph = await fetchVersion(flowId, number)
    const version = await rollbackTo(flowId, number, note || undefined)
    setLatestVersion(version.number)
    store.getState().edit(t('undo.rollback', { number }), (g) => replaceGraph(g, graph))
    setComparison(undefined)
    if (!(await saveNow())) throw new Error(t('history.rolledNotSaved', { number }))
  }

  const modeSwitch = (
    <ToggleButtonGroup
      size="small"
      exclusive
      value={mode}
      onChange={(_, m: 'design' | 'simulate' | null) => m && setMode(m)}
      aria-label={t('mode.label')}
    >
      <ToggleButton value="design" sx={{ px: 2 }}>
        {t('mode.design')}
      </ToggleButton>
      <ToggleButton value="simulate" sx={{ px: 2 }}>
        {t('mode.simulate')}
      </ToggleButton>
    </ToggleButtonGroup>
  )

  if (mode === 'simulate' && run && marks) {
    return (
      <Box sx={{ display: 'grid', gap: 1.5 }}>
        <Stack direction="row" spacing={2} sx={{ alignItems: 'center', flexWrap: 'wrap', rowGap: 1 }}>
          {modeSwitch}
          <Typography variant="body2" color="text.secondary">
            {t('mode.simulateLead')}
          </Typography>
        </Stack>
        <Box
          sx={{
            display: 'grid',
            gap: 1.5,
            gridTemplateColumns: { xs: 'minmax(0, 1fr)', lg: '300px minmax(0, 1fr) 400px' },
            alignItems: 'start',
          }}
        >
          <ErrorBoundary
            fallbackRender={({ error, resetErrorBoundary }) => (
              <Alert
                severity="error"
                sx={{ gridColumn: '1 / -1' }}
                action={
                  <Button
                    color="inherit"
                    size="small"
                    onClick={() => {
                      setSimulation(newSimulation(draft))
                      resetErrorBoundary()
                    }}
                  >
                    {t('mode.startAgain')}
                  </Button>
                }
              >
                {t('mode.stopped', { message: error instanceof Error ? error.message : String(error) })}
              </Alert>
            )}
          >
            <SimulatorControls graph={draft} pipelineId={pipelineId} state={simulation} onChange={setSimulation} />
            <FlowCanvas store={store} findings={findings} simulation={marks} />
            <SimulatorResults
              graph={draft}
              flowId={flowId}
              store={store}
              state={simulation}
              run={run}
              onChange={setSimulation}
            />
          </ErrorBoundary>
        </Box>
      </Box>
    )
  }

  if (!canEdit) {
    // A role that reads flows: the flow as it stands, and the simulator (which writes nothing); no editing.
    return (
      <Box sx={{ display: 'grid', gap: 1.5 }}>
        {modeSwitch}
        <Alert severity="info" variant="outlined" data-testid="designer-read-only">
          {t('mode.readOnly')}
        </Alert>
        <FlowCanvas store={store} findings={findings} readOnly />
      </Box>
    )
  }

  return (
    <Box sx={{ display: 'grid', gap: 1.5 }}>
      {modeSwitch}
      <Toolbar
        loaded={loaded}
        findings={findings}
        latestVersion={latestVersion}
        saveState={saveState}
        saveNow={saveNow}
        onPublished={setLatestVersion}
        onOpenDeclarations={() => setDialog('declarations')}
        onOpenHistory={() => setDialog('history')}
      />
      {problem && (
        <Alert severity="error" onClose={() => setProblem(undefined)}>
          {problem}
        </Alert>
      )}
      {comparison && changes && (
        <Alert
          severity="info"
          data-testid="comparison"
          action={
            <Button color="inherit" size="small" onClick={() => setComparison(undefined)}>
              {t('compare.stop')}
            </Button>
          }
        >
          {changes.diff.removed.length > 0
            ? t('compare.summaryRemoved', {
                number: comparison.number,
                added: changes.diff.added.length,
                changed: changes.diff.changed.length,
                removed: changes.diff.removed.length,
                names: changes.diff.removed.map((e) => removedName(comparison.before, e, t as Translate)).join(', '),
              })
            : t('compare.summary', {
                number: comparison.number,
                added: changes.diff.added.length,
                changed: changes.diff.changed.length,
                removed: changes.diff.removed.length,
              })}
        </Alert>
      )}
      <DeclarationsDialog
        store={store}
        findings={findings}
        open={dialog === 'declarations'}
        onClose={() => setDialog(undefined)}
      />
      <VersionsDialog
        flowId={flowId}
        open={dialog === 'history'}
        onClose={() => setDialog(undefined)}
        onCompare={(n) => void compare(n)}
        onRollback={rollback}
      />
      <Box
        sx={{
          display: 'grid',
          gap: 1.5,
          gridTemplateColumns: { xs: 'minmax(0, 1fr)', lg: '230px minmax(0, 1fr) 340px' },
          alignItems: 'start',
        }}
      >
        <Palette elementType={draft.elementType} />
        <FlowCanvas store={store} findings={findings} changes={changes?.marks} />
        <SettingsPanel store={store} findings={findings} />
      </Box>
      <Problems store={store} findings={findings} />
    </Box>
  )
}

export function FlowDesigner() {
  const { t } = useTranslation('designer')
  const may = useMay()
  const [pipelines, setPipelines] = useState<PipelineSummary[] | undefined>()
  const [problem, setProblem] = useState<string | undefined>()
  const [chosen, setChosen] = useState<string>('')
  const [loaded, setLoaded] = useState<Loaded | undefined>()
  const [creating, setCreating] = useState(false)
  const created = (pipeline: PipelineSummary) => {
    setPipelines((now) => [...(now ?? []), pipeline])
    setChosen(pipeline.id)
    setCreating(false)
  }

  useEffect(() => {
    fetchPipelines().then(
      (items) => {
        setPipelines(items)
        const first = items.find((p) => p.flows.length > 0)
        if (first) setChosen(first.id)
      },
      (e) => setProblem(e instanceof ApiError ? e.message : t('flow.cannotLoadPipelines')),
    )
  }, [t])

  const flowId = useMemo(() => pipelines?.find((p) => p.id === chosen)?.flows[0]?.id, [pipelines, chosen])
  useEffect(() => {
    if (!flowId) return
    let cancelled = false
    setProblem(undefined)
    fetchFlow(flowId).then(
      (flow) => {
        if (!cancelled) setLoaded({ flowId, store: createDesignerStore(flow.draft), latestVersion: flow.latestVersion })
      },
      (e) => {
        if (!cancelled) setProblem(e instanceof ApiError ? e.message : t('flow.cannotLoad'))
      },
    )
    return () => {
      cancelled = true
    }
  }, [flowId, t])

  return (
    <Paper
      variant="outlined"
      component="section"
      aria-labelledby="flow-designer-title"
      sx={{ p: { xs: 2, sm: 3 }, mb: 3 }}
    >
      <Stack direction={{ xs: 'column', sm: 'row' }} spacing={2} sx={{ alignItems: { sm: 'center' }, mb: 2 }}>
        <Typography variant="h2" id="flow-designer-title">
          {t('flow.title')}
        </Typography>
        {pipelines && may('createPipeline') && (
          <Button size="small" variant="outlined" onClick={() => setCreating(true)} sx={{ order: 2 }}>
            {t('flow.newPipeline')}
          </Button>
        )}
        {pipelines && pipelines.length > 0 && (
          <TextField
            select
            size="small"
            label={t('flow.pipeline')}
            value={chosen}
            onChange={(e) => setChosen(e.target.value)}
            sx={{ minWidth: 240 }}
          >
            {pipelines.map((p) => (
              <MenuItem key={p.id} value={p.id} disabled={p.flows.length === 0}>
                {p.name}
              </MenuItem>
            ))}
          </TextField>
        )}
      </Stack>
      <NewPipelineDialog open={creating} onClose={() => setCreating(false)} onCreated={created} />
      {problem ? (
        <Alert severity="info" role="status">
          {problem}
        </Alert>
      ) : pipelines && pipelines.length === 0 ? (
        <Alert severity="info" role="status">
          {t('flow.none')}
        </Alert>
      ) : loaded ? (
        <Workspace
          key={loaded.flowId}
          flowId={loaded.flowId}
          pipelineId={chosen}
          store={loaded.store}
          firstVersion={loaded.latestVersion}
        />
      ) : (
        <Typography color="text.secondary">{t('flow.loading')}</Typography>
      )}
    </Paper>
  )
}
