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
import Tooltip from '@mui/material/Tooltip'
import Typography from '@mui/material/Typography'
import { useEffect, useMemo, useState } from 'react'
import { useStore } from 'zustand'
import { addStage, placeAt } from '../../../shared/designer/commands.js'
import { createDesignerStore, type DesignerStore } from '../../../shared/designer/store.js'
import type { Graph } from '../../../shared/graph/graph.js'
import { exportGraph, importGraph, withSchemaHint } from '../../../shared/graph/io.js'
import type { Finding } from '../../../shared/validate/finding.js'
import { validate } from '../../../shared/validate/validate.js'
import { ApiError, fetchFlow, fetchPipelines, type PipelineSummary, publishGraph, saveDraft } from '../api.js'
import { FlowCanvas } from './FlowCanvas.js'
import { SettingsPanel } from './SettingsPanel.js'

type Loaded = { flowId: string; store: DesignerStore }

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

function Toolbar({ loaded, findings }: { loaded: Loaded; findings: Finding[] }) {
  const { store, flowId } = loaded
  const past = useStore(store, (s) => s.past)
  const future = useStore(store, (s) => s.future)
  const dirty = useStore(store, (s) => s.dirty)
  const [adding, setAdding] = useState(false)
  const [name, setName] = useState('')
  const [saving, setSaving] = useState(false)
  const [message, setMessage] = useState<{ severity: 'success' | 'error'; text: string } | undefined>()
  const errors = findings.filter((f) => f.severity === 'error').length
  const warnings = findings.length - errors
  const undoLabel = past.at(-1)?.label
  const redoLabel = future[0]?.label

  const publish = async () => {
    setSaving(true)
    setMessage(undefined)
    try {
      const graph = store.getState().graph
      await saveDraft(flowId, graph)
      store.getState().saved()
      const version = await publishGraph(flowId, graph)
      setMessage({
        severity: 'success',
        text: `Published as version ${version.number}: deals entering its stages now follow it.`,
      })
    } catch (e) {
      setMessage({ severity: 'error', text: e instanceof ApiError ? e.message : 'The flow could not be published.' })
    } finally {
      setSaving(false)
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
    store.getState().edit(`Import ${file.name}`, (draft) => {
      for (const key of Object.keys(draft)) delete (draft as unknown as Record<string, unknown>)[key]
      Object.assign(draft, JSON.parse(JSON.stringify(imported)))
    })
    setMessage({ severity: 'success', text: `${file.name} imported; save or publish to keep it.` })
  }

  const save = async () => {
    setSaving(true)
    setMessage(undefined)
    try {
      await saveDraft(flowId, store.getState().graph)
      store.getState().saved()
      setMessage({ severity: 'success', text: 'Draft saved.' })
    } catch (e) {
      setMessage({ severity: 'error', text: e instanceof ApiError ? e.message : 'The draft could not be saved.' })
    } finally {
      setSaving(false)
    }
  }

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
        <Button size="small" variant="contained" disabled={!dirty || saving} onClick={save}>
          {saving ? 'Saving…' : 'Save draft'}
        </Button>
        <Tooltip title={errors > 0 ? 'Fix the errors first' : 'Save and publish as the next version'}>
          <span>
            <Button
              size="small"
              variant="contained"
              color="secondary"
              disabled={errors > 0 || saving}
              onClick={publish}
            >
              Publish
            </Button>
          </span>
        </Tooltip>
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
        <Typography variant="body2" color="text.secondary" data-testid="designer-status" sx={{ ml: { sm: 'auto' } }}>
          {errors > 0
            ? `${errors} error${errors === 1 ? '' : 's'}`
            : warnings > 0
              ? `No errors, ${warnings} warning${warnings === 1 ? '' : 's'}`
              : 'No problems'}
          {' · '}
          {dirty ? 'unsaved changes' : 'all saved'}
        </Typography>
      </Stack>
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
              if (e.key === 'Enter' && name.trim()) {
                store.getState().edit(`Add stage "${name.trim()}"`, (g) => addStage(g, { name: name.trim() }))
                setName('')
                setAdding(false)
              }
            }}
            sx={{ mt: 1 }}
          />
        </DialogContent>
        <DialogActions>
          <Button onClick={() => setAdding(false)}>Cancel</Button>
          <Button
            variant="contained"
            disabled={!name.trim()}
            onClick={() => {
              store.getState().edit(`Add stage "${name.trim()}"`, (g) => addStage(g, { name: name.trim() }))
              setName('')
              setAdding(false)
            }}
          >
            Add
          </Button>
        </DialogActions>
      </Dialog>
    </>
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
                onClick={() => target && store.getState().select([target])}
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

export function FlowDesigner() {
  const [pipelines, setPipelines] = useState<PipelineSummary[] | undefined>()
  const [problem, setProblem] = useState<string | undefined>()
  const [chosen, setChosen] = useState<string>('')
  const [loaded, setLoaded] = useState<Loaded | undefined>()
  const findings = useFindings(loaded?.store)

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
    fetchFlow(flowId).then(
      (flow) => {
        if (!cancelled) setLoaded({ flowId, store: createDesignerStore(flow.draft) })
      },
      (e) => setProblem(e instanceof ApiError ? e.message : 'The flow cannot be loaded.'),
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
      {problem ? (
        <Alert severity="info" role="status">
          {problem}
        </Alert>
      ) : pipelines && pipelines.length === 0 ? (
        <Alert severity="info" role="status">
          No pipelines yet: start the server with the demo (npm start) or create one through the API.
        </Alert>
      ) : loaded ? (
        <Box sx={{ display: 'grid', gap: 1.5 }}>
          <Toolbar loaded={loaded} findings={findings} />
          <Box
            sx={{
              display: 'grid',
              gap: 1.5,
              gridTemplateColumns: { xs: 'minmax(0, 1fr)', lg: 'minmax(0, 1fr) 360px' },
              alignItems: 'start',
            }}
          >
            <FlowCanvas key={loaded.flowId} store={loaded.store} findings={findings} />
            <SettingsPanel store={loaded.store} findings={findings} />
          </Box>
          <Problems store={loaded.store} findings={findings} />
        </Box>
      ) : (
        <Typography color="text.secondary">Loading the flow…</Typography>
      )}
    </Paper>
  )
}
