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
import { useStore } from 'zustand'
import { addStage, placeAt } from '../../../shared/designer/commands.js'
import { createDesignerStore, type DesignerStore } from '../../../shared/designer/store.js'
import { runScenario, type Scenario } from '../../../shared/engine/scenario.js'
import { diffGraphs } from '../../../shared/graph/diff.js'
import type { Graph } from '../../../shared/graph/graph.js'
import { exportGraph, importGraph, withSchemaHint } from '../../../shared/graph/io.js'
import type { ElementType } from '../../../shared/graph/vocabulary.js'
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
import { PIPELINE_TYPES } from '../Catalog.js'
import { useMay } from '../workspace/may.js'
import { DeclarationsDialog } from './Declarations.js'
import { FlowCanvas } from './FlowCanvas.js'
import { type Comparison, changesOf, removedName, VersionsDialog } from './History.js'
import { Palette } from './Palette.js'
import { focusSetting, SettingsPanel } from './SettingsPanel.js'
import { newSimulation, SimulatorControls, SimulatorResults, type SimulatorState } from './Simulator.js'
import { fetchTemplateTypes } from './simulator-api.js'

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
  | { state: 'failed'; message: string }

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
        setStatus({ state: 'failed', message: e instanceof ApiError ? e.message : 'The draft could not be saved.' })
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

const timeOf = (d: Date) => new Intl.DateTimeFormat(undefined, { timeStyle: 'short' }).format(d)

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
  const [checks, setChecks] = useState<string | undefined>()
  useEffect(() => {
    if (!publishing) return
    setChecks(undefined)
    const abort = new AbortController()
    fetchScenarios(flowId, abort.signal).then(
      (kept) => {
        if (kept.length === 0) {
          setChecks('No scenarios are kept for this flow yet (keep one from the simulator).')
          return
        }
        const graph = store.getState().graph
        const failed = kept.filter((k) => !runScenario(k.scenario as Scenario, graph).passed)
        setChecks(
          failed.length === 0
            ? `All ${kept.length} scenario${kept.length === 1 ? '' : 's'} pass.`
            : `${failed.length} of ${kept.length} scenario${kept.length === 1 ? '' : 's'} fail: ${failed.map((f) => `“${f.name}”`).join(', ')}.`,
        )
      },
      () => setChecks(undefined),
    )
    return () => abort.abort()
  }, [publishing, flowId, store])

  // What publishing would change, against the live version.
  useEffect(() => {
    if (!publishing) return
    setSummary(undefined)
    if (latestVersion === null) {
      setSummary('This will be the first version.')
      return
    }
    const abort = new AbortController()
    fetchVersion(flowId, latestVersion, abort.signal).then(
      (before) => {
        const diff = diffGraphs(before, store.getState().graph)
        const parts = [
          diff.added.length && `${diff.added.length} added`,
          diff.changed.length && `${diff.changed.length} changed`,
          diff.removed.length && `${diff.removed.length} removed`,
        ].filter(Boolean)
        setSummary(
          parts.length === 0 && diff.other.length === 0
            ? `Nothing changed since version ${latestVersion}.`
            : `Since version ${latestVersion}: ${parts.length > 0 ? parts.join(', ') : 'settings of the flow changed'}.`,
        )
      },
      () => setSummary(undefined),
    )
    return () => abort.abort()
  }, [publishing, latestVersion, flowId, store])

  const publish = async () => {
    setBusy(true)
    setMessage(undefined)
    try {
      if (!(await saveNow())) throw new Error('The draft could not be saved, so it was not published.')
      const version = await publishGraph(flowId, store.getState().graph, note.trim() || undefined)
      setPublishing(false)
      setNote('')
      onPublished(version.number)
      setMessage({
        severity: 'success',
        text: `Published as version ${version.number}: deals entering its stages now follow it.`,
      })
    } catch (e) {
      setPublishing(false)
      setMessage({
        severity: 'error',
        text: e instanceof Error && e.message ? e.message : 'The flow could not be published.',
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
        text: `${file.name} was not imported: ${first ? `${first.message} (at ${first.path || 'the top'})` : 'it is not a rule graph.'}`,
      })
      return
    }
    const imported = result.graph
    store.getState().edit(`Import ${file.name}`, (draft) => replaceGraph(draft, imported))
    setMessage({
      severity: 'success',
      text: `${file.name} imported; it is saved as the draft. Undo puts back what was there.`,
    })
  }

  const addStageNamed = () => {
    const trimmed = name.trim()
    if (!trimmed) return
    store.getState().edit(`Add stage "${trimmed}"`, (g) => addStage(g, { name: trimmed }))
    setName('')
    setAdding(false)
  }

  const saveText =
    saveState.state === 'saving'
      ? 'saving…'
      : saveState.state === 'failed' && dirty
        ? 'not saved'
        : dirty
          ? 'unsaved changes'
          : saveState.state === 'saved'
            ? `all saved (${timeOf(saveState.at)})`
            : 'all saved'

  return (
    <>
      <Stack direction="row" spacing={1} sx={{ flexWrap: 'wrap', alignItems: 'center', rowGap: 1 }}>
        <Tooltip title={undoLabel ? `Undo "${undoLabel}" (Ctrl+Z)` : 'Nothing to undo'}>
          <span>
            <Button size="small" variant="outlined" disabled={!undoLabel} onClick={() => store.getState().undo()}>
              Undo
            </Button>
          </span>
        </Tooltip>
        <Tooltip title={redoLabel ? `Redo "${redoLabel}" (Ctrl+Y)` : 'Nothing to redo'}>
          <span>
            <Button size="small" variant="outlined" disabled={!redoLabel} onClick={() => store.getState().redo()}>
              Redo
            </Button>
          </span>
        </Tooltip>
        <Button size="small" variant="outlined" onClick={() => setAdding(true)}>
          Add stage
        </Button>
        <Button size="small" variant="outlined" onClick={onOpenDeclarations}>
          Constants and variables
        </Button>
        <Button size="small" onClick={onOpenHistory}>
          History
        </Button>
        <Button size="small" onClick={exportFile}>
          Export
        </Button>
        <Button size="small" component="label">
          Import
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
        <Tooltip title={saveState.state === 'failed' && dirty ? saveState.message : 'Drafts save by themselves'}>
          <Typography variant="body2" color="text.secondary" data-testid="designer-status">
            {errors > 0
              ? `${errors} error${errors === 1 ? '' : 's'}`
              : warnings > 0
                ? `No errors, ${warnings} warning${warnings === 1 ? '' : 's'}`
                : 'No problems'}
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
          Save draft
        </Button>
        <Tooltip title={errors > 0 ? 'Fix the errors first' : 'Publish the draft as the next version'}>
          <span>
            <Button
              size="small"
              variant="contained"
              color="secondary"
              disabled={errors > 0 || busy}
              onClick={() => setPublishing(true)}
            >
              Publish…
            </Button>
          </span>
        </Tooltip>
      </Stack>
      {saveState.state === 'failed' && dirty && (
        <Alert severity="warning" sx={{ mt: 1 }}>
          The draft is not saved yet: {saveState.message}
        </Alert>
      )}
      {message && (
        <Alert severity={message.severity} onClose={() => setMessage(undefined)} sx={{ mt: 1 }} role="alert">
          {message.text}
        </Alert>
      )}
      <Dialog open={adding} onClose={() => setAdding(false)} fullWidth maxWidth="xs">
        <DialogTitle>Add a stage</DialogTitle>
        <DialogContent>
          <TextField
            autoFocus
            fullWidth
            label="Stage name"
            value={name}
            onChange={(e) => setName(e.target.value)}
            onKeyDown={(e) => {
              if (e.key === 'Enter') addStageNamed()
            }}
            sx={{ mt: 1 }}
          />
        </DialogContent>
        <DialogActions>
          <Button onClick={() => setAdding(false)}>Cancel</Button>
          <Button variant="contained" disabled={!name.trim()} onClick={addStageNamed}>
            Add
          </Button>
        </DialogActions>
      </Dialog>
      <Dialog open={publishing} onClose={() => setPublishing(false)} fullWidth maxWidth="xs">
        <DialogTitle>Publish version {(latestVersion ?? 0) + 1}</DialogTitle>
        <DialogContent>
          <Typography variant="body2" color="text.secondary" sx={{ mb: 2 }} data-testid="publish-summary">
            {summary ?? 'Comparing with the live version…'} Deals entering a stage from now on follow the new version;
            running ones keep theirs.
          </Typography>
          <Typography
            variant="body2"
            sx={{ mb: 2, color: checks && / fail: /.test(checks) ? 'error.main' : 'text.secondary' }}
            data-testid="publish-scenarios"
          >
            {checks ?? 'Running the scenarios…'}
          </Typography>
          <TextField
            autoFocus
            fullWidth
            size="small"
            label="Note (what changed and why)"
            value={note}
            onChange={(e) => setNote(e.target.value)}
            slotProps={{ htmlInput: { maxLength: 1000 } }}
            multiline
            minRows={2}
          />
        </DialogContent>
        <DialogActions>
          <Button onClick={() => setPublishing(false)}>Cancel</Button>
          <Button variant="contained" color="secondary" disabled={busy} onClick={publish}>
            {busy ? 'Publishing…' : 'Publish'}
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
  const create = async () => {
    if (!name.trim()) return
    setBusy(true)
    setProblem(undefined)
    try {
      onCreated(await createPipeline(name.trim(), elementType))
      setName('')
    } catch (e) {
      setProblem(e instanceof ApiError ? e.message : 'The pipeline could not be created.')
    } finally {
      setBusy(false)
    }
  }
  return (
    <Dialog open={open} onClose={onClose} fullWidth maxWidth="xs">
      <DialogTitle>New pipeline</DialogTitle>
      <DialogContent sx={{ display: 'grid', gap: 2 }}>
        <TextField
          autoFocus
          fullWidth
          label="Pipeline name"
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
          label="It moves"
          value={elementType}
          onChange={(e) => setElementType(e.target.value as ElementType)}
        >
          {PIPELINE_TYPES.map((p) => (
            <MenuItem key={p.value} value={p.value}>
              {p.label}s
            </MenuItem>
          ))}
        </TextField>
        {problem && <Alert severity="error">{problem}</Alert>}
      </DialogContent>
      <DialogActions>
        <Button onClick={onClose}>Cancel</Button>
        <Button variant="contained" disabled={!name.trim() || busy} onClick={() => void create()}>
          Create
        </Button>
      </DialogActions>
    </Dialog>
  )
}

/** Every finding, in words, with where it is; choosing one selects its node. */
function Problems({ store, findings }: { store: DesignerStore; findings: Finding[] }) {
  const graph = useStore(store, (s) => s.graph)
  if (findings.length === 0) return null
  return (
    <Box component="section" aria-label="Problems">
      <Typography variant="h3" component="h3" sx={{ mb: 0.5 }}>
        Problems
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
                {f.message}
                {f.hint ? ` ${f.hint}` : ''}
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
      setProblem(e instanceof ApiError ? e.message : `Version ${number} cannot be loaded.`)
    }
  }
  /** Publishes an old version again and makes it the draft (one undo step), saved like any edit. */
  const rollback = async (number: number, note: string) => {
    const graph = await fetchVersion(flowId, number)
    const version = await rollbackTo(flowId, number, note || undefined)
    setLatestVersion(version.number)
    store.getState().edit(`Roll back to version ${number}`, (g) => replaceGraph(g, graph))
    setComparison(undefined)
    if (!(await saveNow())) throw new Error(`Version ${number} is published again, but the draft could not be saved.`)
  }

  const modeSwitch = (
    <ToggleButtonGroup
      size="small"
      exclusive
      value={mode}
      onChange={(_, m: 'design' | 'simulate' | null) => m && setMode(m)}
      aria-label="Mode"
    >
      <ToggleButton value="design" sx={{ px: 2 }}>
        Design
      </ToggleButton>
      <ToggleButton value="simulate" sx={{ px: 2 }}>
        Simulate
      </ToggleButton>
    </ToggleButtonGroup>
  )

  if (mode === 'simulate' && run && marks) {
    return (
      <Box sx={{ display: 'grid', gap: 1.5 }}>
        <Stack direction="row" spacing={2} sx={{ alignItems: 'center', flexWrap: 'wrap', rowGap: 1 }}>
          {modeSwitch}
          <Typography variant="body2" color="text.secondary">
            A dry run of the draft in your browser: nothing is sent, stored or changed. Editing is paused.
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
                    Start again
                  </Button>
                }
              >
                The simulation stopped: {error instanceof Error ? error.message : String(error)}. The draft is safe.
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
          You may look at this flow and try it in the simulator; analysts and admins change it.
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
              Stop comparing
            </Button>
          }
        >
          Compared with version {comparison.number}: {changes.diff.added.length} new, {changes.diff.changed.length}{' '}
          changed, {changes.diff.removed.length} removed
          {changes.diff.removed.length > 0 &&
            ` (${changes.diff.removed.map((e) => removedName(comparison.before, e)).join(', ')})`}
          .
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
      (e) => setProblem(e instanceof ApiError ? e.message : 'The pipelines cannot be loaded.'),
    )
  }, [])

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
        if (!cancelled) setProblem(e instanceof ApiError ? e.message : 'The flow cannot be loaded.')
      },
    )
    return () => {
      cancelled = true
    }
  }, [flowId])

  return (
    <Paper
      variant="outlined"
      component="section"
      aria-labelledby="flow-designer-title"
      sx={{ p: { xs: 2, sm: 3 }, mb: 3 }}
    >
      <Stack direction={{ xs: 'column', sm: 'row' }} spacing={2} sx={{ alignItems: { sm: 'center' }, mb: 2 }}>
        <Typography variant="h2" id="flow-designer-title">
          Flow
        </Typography>
        {pipelines && may('createPipeline') && (
          <Button size="small" variant="outlined" onClick={() => setCreating(true)} sx={{ order: 2 }}>
            New pipeline…
          </Button>
        )}
        {pipelines && pipelines.length > 0 && (
          <TextField
            select
            size="small"
            label="Pipeline"
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
          No pipelines yet: press “New pipeline…” to start one, or start the server with the demo (npm start).
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
        <Typography color="text.secondary">Loading the flow…</Typography>
      )}
    </Paper>
  )
}
