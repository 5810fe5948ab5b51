/**
 * The pipeline's stages as columns on a React Flow canvas: triggers marked as triggers (icon, shape and word,
 * not colour alone), rules in order with their badges, "after previous" connectors; "+" on a column adds
 * rules and triggers from the catalog; a rule dragged lands in the column and place it is dropped on (one
 * undo step); Ctrl/Cmd+Z and Ctrl+Y / Ctrl+Shift+Z undo and redo; Delete removes the selected nodes.
 */
import '@xyflow/react/dist/style.css'
import './canvas.css'
import Box from '@mui/material/Box'
import IconButton from '@mui/material/IconButton'
import ListSubheader from '@mui/material/ListSubheader'
import Menu from '@mui/material/Menu'
import MenuItem from '@mui/material/MenuItem'
import Tooltip from '@mui/material/Tooltip'
import Typography from '@mui/material/Typography'
import useMediaQuery from '@mui/material/useMediaQuery'
import {
  applyNodeChanges,
  Background,
  Controls,
  type Node as FlowNodeType,
  Handle,
  MiniMap,
  type Node,
  type NodeChange,
  type NodeProps,
  type NodeTypes,
  Position,
  ReactFlow,
  ReactFlowProvider,
  useReactFlow,
} from '@xyflow/react'
import {
  createContext,
  type DragEvent,
  type KeyboardEvent,
  memo,
  type MouseEvent as ReactMouseEvent,
  useCallback,
  useContext,
  useEffect,
  useMemo,
  useRef,
  useState,
} from 'react'
import { useTranslation } from 'react-i18next'
import { useStore } from 'zustand'
import { getCatalogEntry, paletteFor } from '../../../shared/catalog/index.js'
import {
  addNodes,
  copyNodes,
  duplicateNodes,
  findNode,
  moveNode,
  moveStage,
  pasteNodes,
  readClipboard,
  removeNodes,
} from '../../../shared/designer/commands.js'
import type { DesignerStore } from '../../../shared/designer/store.js'
import type { Finding } from '../../../shared/validate/finding.js'
import { NODE_TYPE_MIME } from '../Catalog.js'
import { categoryLabel, localItem, nodeLabel } from '../i18n/catalog-text.js'
import { BoltIcon, RuleIcon } from '../icons.js'
import {
  type Change,
  COLUMN_GAP,
  COLUMN_WIDTH,
  dropTarget,
  type FlowNodeData,
  HEADER_HEIGHT,
  layout,
  reuseNodes,
  type SimulationMarks,
  type StageData,
} from './layout.js'
import { StageMenu } from './StageMenu.js'
import { type Translate, type Words, wordsOf } from './words.js'

const StoreContext = createContext<DesignerStore | undefined>(undefined)
/** The words of the canvas: given once to the hundreds of cards, in the person's language. */
const WordsContext = createContext<Words | undefined>(undefined)
/** While simulating, the columns offer no "+" and no menu. */
const ReadOnlyContext = createContext(false)

/** What was copied last in this tab: the clipboard when the page may not read the system's (not https). */
let copied = ''

function copyToClipboard(text: string) {
  copied = text
  // Other tabs get it through the system clipboard when the browser allows it.
  void navigator.clipboard?.writeText(text).catch(() => {})
}

async function pasteFromClipboard(): Promise<string> {
  try {
    return (await navigator.clipboard?.readText()) || copied
  } catch {
    return copied
  }
}

function useDesigner(): DesignerStore {
  const store = useContext(StoreContext)
  if (!store) throw new Error('the designer store is missing')
  return store
}

function useCanvasWords(): Words {
  const words = useContext(WordsContext)
  if (!words) throw new Error('the canvas words are missing')
  return words
}

function ProblemMark({ errors, warnings, first }: { errors: number; warnings: number; first?: string | undefined }) {
  const words = useCanvasWords()
  if (errors + warnings === 0) return null
  const label = words.problemsText(errors, warnings, first)
  return (
    <Tooltip title={label}>
      <Box
        component="span"
        aria-label={label}
        data-testid="problem-mark"
        sx={{
          ml: 'auto',
          minWidth: 20,
          height: 20,
          px: 0.5,
          borderRadius: 10,
          fontSize: 12,
          fontWeight: 700,
          display: 'inline-grid',
          placeItems: 'center',
          color: '#fff',
          bgcolor: errors > 0 ? 'error.main' : 'warning.main',
        }}
      >
        {errors > 0 ? errors : warnings}
      </Box>
    </Tooltip>
  )
}

const CHANGE_COLORS: Record<Change, string> = { added: '#2e7d32', changed: '#b26a00' }

/** "new" or "changed" against the compared version: a word, not only a colour. */
function ChangeMark({ change }: { change: Change | undefined }) {
  const { t } = useCanvasWords()
  if (!change) return null
  return (
    <Box
      component="span"
      data-change={change}
      sx={{
        fontSize: 10,
        fontWeight: 700,
        textTransform: 'uppercase',
        letterSpacing: '0.05em',
        px: 0.5,
        borderRadius: 0.5,
        color: '#fff',
        bgcolor: CHANGE_COLORS[change],
      }}
    >
      {change === 'added' ? t('change.added') : t('change.changed')}
    </Box>
  )
}

function StageColumn({ data }: NodeProps<Node<StageData>>) {
  const store = useDesigner()
  const elementType = useStore(store, (s) => s.graph.elementType)
  const [anchor, setAnchor] = useState<HTMLElement | null>(null)
  const words = useCanvasWords()
  const { t } = words
  const palette = useMemo(() => paletteFor(elementType), [elementType])
  const { stage, problems, change } = data
  const readOnly = useContext(ReadOnlyContext)
  return (
    <Box
      role="group"
      aria-label={t('canvas.stage', { name: stage.name })}
      data-stage-id={stage.id}
      sx={{
        width: '100%',
        height: '100%',
        borderRadius: 2,
        bgcolor: 'rgba(255,255,255,0.7)',
        border: change ? `2px dashed ${CHANGE_COLORS[change]}` : '1px solid',
        borderColor: change ? undefined : 'divider',
        borderTop: `4px solid ${stage.color}`,
      }}
    >
      <Handle
        type="source"
        id="entry"
        position={Position.Left}
        isConnectable={false}
        style={{ top: HEADER_HEIGHT - 8, left: 6, opacity: 0 }}
      />
      <Box sx={{ display: 'flex', alignItems: 'center', gap: 1, px: 1.5, pt: 1 }}>
        <Tooltip title={t('canvas.dragStage')} placement="top" enterDelay={600}>
          <Box className="stage-drag-handle" sx={{ minWidth: 0, cursor: 'grab', flex: '0 1 auto' }}>
            <Typography variant="subtitle2" component="h3" noWrap title={stage.name}>
              {stage.name}
            </Typography>
            <Typography variant="caption" color="text.secondary">
              {words.stageKind(stage.kind)} <ChangeMark change={change} />
            </Typography>
          </Box>
        </Tooltip>
        <ProblemMark {...problems} />
        {!readOnly && (
          <Tooltip title={t('canvas.addToTip', { name: stage.name })}>
            <IconButton
              size="small"
              className="nodrag"
              aria-label={t('canvas.addTo', { name: stage.name })}
              onClick={(e) => setAnchor(e.currentTarget)}
              sx={{ ml: problems.errors + problems.warnings > 0 ? 0 : 'auto', fontSize: 20, lineHeight: 1 }}
            >
              +
            </IconButton>
          </Tooltip>
        )}
        {!readOnly && <StageMenu store={store} stage={stage} index={data.index} />}
      </Box>
      {stage.rules.length + stage.triggers.length === 0 && (
        <Box
          sx={{
            m: 1.5,
            mt: 1,
            py: 1.5,
            px: 1,
            border: '1px dashed',
            borderColor: 'divider',
            borderRadius: 1,
            textAlign: 'center',
            color: 'text.secondary',
            fontSize: 12,
          }}
        >
          {t('canvas.empty')}
        </Box>
      )}
      <Menu
        anchorEl={anchor}
        open={anchor !== null}
        onClose={() => setAnchor(null)}
        slotProps={{ paper: { sx: { maxHeight: 420 } } }}
      >
        {palette.flatMap((group) => [
          <ListSubheader key={`h-${group.category}`}>{categoryLabel(group.category)}</ListSubheader>,
          // The catalog's words in the person's language.
          ...group.items.map(localItem).map((item) => (
            <MenuItem
              key={item.type}
              disabled={item.disabledReason !== undefined}
              title={item.disabledReason ?? item.description}
              onClick={() => {
                setAnchor(null)
                const ids = store
                  .getState()
                  .edit(t('undo.add', { what: item.label }), (g) => addNodes(g, stage.id, [item.type]))
                store.getState().select(ids)
              }}
            >
              {item.kind === 'trigger' ? (
                <BoltIcon fontSize="small" sx={{ mr: 1 }} />
              ) : (
                <RuleIcon fontSize="small" sx={{ mr: 1 }} />
              )}
              {item.label}
            </MenuItem>
          )),
        ])}
      </Menu>
    </Box>
  )
}

const ICON_PATHS = {
  bolt: 'M11 21h-1l1-7H7.5c-.58 0-.57-.32-.38-.66s.05-.08.07-.12C8.48 10.94 10.42 7.54 13 3h1l-1 7h3.5c.49 0 .56.33.47.51l-.07.15C12.96 17.55 11 21 11 21',
  play: 'M8 5v14l11-7z',
}

/** A rule or trigger on the canvas: plain elements and CSS classes (canvas.css), drawn hundreds of times. */
const FlowCard = memo(function FlowCard({ data, selected }: NodeProps<Node<FlowNodeData>>) {
  const { node, kind, badges, problems, change, branch, sim, lit } = data
  const words = useCanvasWords()
  const { t } = words
  const trigger = kind === 'trigger'
  const { errors, warnings, first } = problems
  const mark = errors + warnings === 0 ? undefined : words.problemsText(errors, warnings, first)
  return (
    <article
      className="sf-card"
      data-node-id={node.id}
      data-kind={kind}
      data-selected={selected || undefined}
      data-error={errors > 0 || undefined}
      data-change={change}
      data-off={node.disabled || undefined}
      data-lit={lit || undefined}
      aria-label={
        trigger ? t('canvas.triggerNamed', { title: node.title }) : t('canvas.ruleNamed', { title: node.title })
      }
    >
      <Handle type="target" position={Position.Top} isConnectable={false} style={{ opacity: 0 }} />
      {branch && (
        <Handle type="target" id="branch" position={Position.Left} isConnectable={false} style={{ opacity: 0 }} />
      )}
      <div className="sf-card-head">
        <svg className="sf-card-icon" viewBox="0 0 24 24" aria-hidden="true" focusable="false">
          <path d={trigger ? ICON_PATHS.bolt : ICON_PATHS.play} />
        </svg>
        <span className="sf-card-word">{trigger ? t('canvas.trigger') : t('canvas.rule')}</span>
        {change && (
          <span className="sf-change" data-change={change}>
            {change === 'added' ? t('change.added') : t('change.changed')}
          </span>
        )}
        {sim !== undefined && (
          <span className="sf-card-sim" data-testid="sim-stats">
            {sim}
          </span>
        )}
        {mark && (
          <span
            role="img"
            className="sf-mark"
            data-testid="problem-mark"
            data-severity={errors > 0 ? 'error' : 'warning'}
            aria-label={mark}
            title={mark}
          >
            {errors > 0 ? errors : warnings}
          </span>
        )}
      </div>
      <div className="sf-card-title" title={node.title}>
        {node.title}
      </div>
      <div className="sf-card-badges">
        {badges.map((badge) => (
          <span key={badge} className="sf-card-badge">
            {badge}
          </span>
        ))}
      </div>
      <Handle type="source" position={Position.Bottom} isConnectable={false} style={{ opacity: 0 }} />
    </article>
  )
})

const nodeTypes: NodeTypes = { stage: memo(StageColumn), flow: FlowCard }

/** Below this zoom the cards' words are too small to read: a long pipeline opens at it, from its start. */
const READABLE_ZOOM = 0.7

/** The whole pipeline when it fits readably; else its first stages, top left, at a readable size. */
async function showPipeline(flow: ReturnType<typeof useReactFlow>) {
  await flow.fitView({ padding: 0.08, maxZoom: 1 })
  const { zoom } = flow.getViewport()
  if (zoom < READABLE_ZOOM) await flow.setViewport({ x: 16, y: 16, zoom: READABLE_ZOOM }, { duration: 200 })
  else await flow.setViewport({ ...flow.getViewport(), y: 16 }, { duration: 200 })
}

function Canvas({
  findings,
  changes,
  simulation,
  readOnly: locked = false,
}: {
  findings: readonly Finding[]
  changes?: ReadonlyMap<string, Change> | undefined
  simulation?: SimulationMarks | undefined
  readOnly?: boolean
}) {
  const store = useDesigner()
  const words = useCanvasWords()
  const { t } = words
  const readOnly = simulation !== undefined || locked
  const graph = useStore(store, (s) => s.graph)
  const selection = useStore(store, (s) => s.selection)
  const laid = useMemo(
    () => layout(graph, findings, selection, words, changes, simulation),
    [graph, findings, selection, words, changes, simulation],
  )
  const edges = laid.edges
  // React Flow's own words (its controls, the screen reader's descriptions), in the person's language.
  const ariaLabels = useMemo(
    () => ({
      'node.a11yDescription.default': t('flowAria.node'),
      'node.a11yDescription.keyboardDisabled': t('flowAria.nodeKeyboard'),
      'node.a11yDescription.ariaLiveMessage': ({ direction, x, y }: { direction: string; x: number; y: number }) =>
        t('flowAria.moved', { direction, x, y }),
      'edge.a11yDescription.default': t('flowAria.edge'),
      'controls.ariaLabel': t('flowAria.controls'),
      'controls.zoomIn.ariaLabel': t('flowAria.zoomIn'),
      'controls.zoomOut.ariaLabel': t('flowAria.zoomOut'),
      'controls.fitView.ariaLabel': t('flowAria.fitView'),
      'controls.interactive.ariaLabel': t('flowAria.interactive'),
      'minimap.ariaLabel': t('canvas.overview'),
      'handle.ariaLabel': t('flowAria.handle'),
    }),
    [t],
  )
  // The laid-out nodes, moved by the drag in progress (the graph changes only when it ends).
  const [nodes, setNodes] = useState<FlowNodeType[]>(laid.nodes)
  const laidRef = useRef(laid)
  laidRef.current = laid
  // Back to the layout (after an edit, or a drag that changed nothing), keeping what did not change.
  const relayout = useCallback(() => setNodes((now) => reuseNodes(laidRef.current.nodes, now)), [])
  useEffect(() => {
    void laid
    relayout()
  }, [laid, relayout])
  const onNodesChange = useCallback((changes: NodeChange[]) => {
    const moves = changes.filter((c) => c.type === 'position' || c.type === 'dimensions')
    if (moves.length > 0) setNodes((now) => applyNodeChanges(moves, now))
  }, [])
  const frame = useRef<HTMLDivElement>(null)
  // The overview map only where there is room for it.
  const wide = useMediaQuery('(min-width: 900px)')
  // A stage added or removed: the whole pipeline comes into view again.
  const flow = useReactFlow()
  const columns = graph.pipeline.stages.length
  useEffect(() => {
    // After the new column has been measured.
    const timer = setTimeout(() => {
      if (columns > 0) void showPipeline(flow)
    }, 60)
    return () => clearTimeout(timer)
  }, [columns, flow])

  const onKeyDown = (event: KeyboardEvent) => {
    const target = event.target as HTMLElement
    // Keys typed in a column's menu or dialog (portals: React still bubbles them here) are theirs.
    if (!frame.current?.contains(target)) return
    // While simulating, the flow is not edited: only the arrows, Enter and Esc walk it.
    if (readOnly && !event.key.startsWith('Arrow') && event.key !== 'Escape') return
    if (target.closest('input, textarea, [contenteditable="true"]')) return
    const s = store.getState()
    const mod = event.ctrlKey || event.metaKey
    if (mod && event.key.toLowerCase() === 'z' && !event.shiftKey) {
      event.preventDefault()
      s.undo()
    } else if (mod && (event.key.toLowerCase() === 'y' || (event.key.toLowerCase() === 'z' && event.shiftKey))) {
      event.preventDefault()
      s.redo()
    } else if ((event.key === 'Delete' || event.key === 'Backspace') && s.selection.length > 0) {
      event.preventDefault()
      const ids = s.selection
      s.edit(t('undo.delete', { count: ids.length }), (g) => removeNodes(g, ids))
      s.select([])
      // The node that had the focus is gone: the canvas keeps it, so the keys go on working.
      frame.current?.focus()
    } else if (event.key.startsWith('Arrow') && !mod) {
      // Arrows walk the nodes: up and down within a column, left and right to the next column's same row.
      event.preventDefault()
      const columns = s.graph.pipeline.stages.map((st) => [...st.triggers, ...st.rules].map((n) => n.id))
      const current = s.selection[0]
      let col = columns.findIndex((c) => current !== undefined && c.includes(current))
      let row = col >= 0 ? (columns[col] as string[]).indexOf(current as string) : -1
      if (col < 0) {
        col = columns.findIndex((c) => c.length > 0)
        row = 0
      } else if (event.key === 'ArrowDown') row++
      else if (event.key === 'ArrowUp') row--
      else {
        const step = event.key === 'ArrowRight' ? 1 : -1
        let next = col + step
        while (next >= 0 && next < columns.length && (columns[next] as string[]).length === 0) next += step
        if (next >= 0 && next < columns.length) col = next
      }
      const column = columns[col]
      if (!column || column.length === 0) return
      const id = column[Math.max(0, Math.min(row, column.length - 1))] as string
      s.select([id])
      flow.fitView({ nodes: [{ id }], maxZoom: flow.getZoom(), minZoom: flow.getZoom(), duration: 150 })
    } else if (event.key === 'Enter' && s.selection.length === 1) {
      // To the selected node's settings.
      event.preventDefault()
      document.querySelector<HTMLInputElement>('[data-testid="settings-panel"] input')?.focus()
    } else if (event.key === 'Escape') {
      s.select([])
      frame.current?.focus()
    } else if (mod && event.key.toLowerCase() === 'c' && s.selection.length > 0) {
      event.preventDefault()
      copyToClipboard(copyNodes(s.graph, s.selection))
    } else if (mod && event.key.toLowerCase() === 'v') {
      event.preventDefault()
      void pasteFromClipboard().then((text) => {
        const nodes = text ? readClipboard(text) : undefined
        if (!nodes || nodes.length === 0) return
        const now = store.getState()
        // Into the stage of the selected node, after it; else into the first stage.
        const place = now.selection[0] ? findNode(now.graph, now.selection[0]) : undefined
        const stageId = place?.stage.id ?? now.graph.pipeline.stages[0]?.id
        if (!stageId) return
        const ids = now.edit(t('undo.paste', { count: nodes.length }), (g) =>
          pasteNodes(g, stageId, nodes, place?.list === 'rules' ? place.node.id : undefined),
        )
        now.select(ids)
      })
    } else if (!mod && event.key.toLowerCase() === 'd' && s.selection.length > 0) {
      event.preventDefault()
      const ids = s.edit(t('undo.duplicate', { count: s.selection.length }), (g) => duplicateNodes(g, s.selection))
      s.select(ids)
    }
  }

  // A catalog item dropped on a column: added there, at the place it was dropped among the rules.
  const onDragOver = (event: DragEvent) => {
    if (event.dataTransfer.types.includes(NODE_TYPE_MIME)) {
      event.preventDefault()
      event.dataTransfer.dropEffect = 'copy'
    }
  }
  const onDrop = (event: DragEvent) => {
    if (readOnly) return
    const elementType = store.getState().graph.elementType
    const types = event.dataTransfer
      .getData(NODE_TYPE_MIME)
      .split(' ')
      .filter((t) => getCatalogEntry(t)?.allowedIn.includes(elementType))
    if (types.length === 0) return
    event.preventDefault()
    const at = flow.screenToFlowPosition({ x: event.clientX, y: event.clientY })
    const s = store.getState()
    const target = dropTarget(s.graph, at.x - COLUMN_WIDTH / 2, at.y)
    if (!target) return
    const label =
      types.length === 1
        ? t('undo.add', { what: nodeLabel(types[0] as string, undefined, getCatalogEntry(types[0] as string)?.label) })
        : t('undo.addMany', { count: types.length })
    const ids = s.edit(label, (g) => addNodes(g, target.stageId, types, target.index))
    s.select(ids)
  }

  // Stable handlers: React Flow gives them to every node, and a new function each render would re-render all.
  const onNodeClick = useCallback(
    (event: ReactMouseEvent, node: FlowNodeType) => {
      if (node.type !== 'flow') return
      const s = store.getState()
      const multi = event.ctrlKey || event.metaKey
      s.select(multi ? [...new Set([...s.selection, node.id])] : [node.id])
    },
    [store],
  )
  const onPaneClick = useCallback(() => store.getState().select([]), [store])
  const onNodeDragStop = useCallback(
    (_: unknown, node: FlowNodeType) => {
      if (node.type === 'stage') {
        // A column lands where it was dropped among the others.
        const { stage } = node.data as StageData
        const s = store.getState()
        const to = Math.max(
          0,
          Math.min(Math.round(node.position.x / (COLUMN_WIDTH + COLUMN_GAP)), s.graph.pipeline.stages.length - 1),
        )
        const from = s.graph.pipeline.stages.findIndex((st) => st.id === stage.id)
        if (to === from) relayout()
        else s.edit(t('undo.moveStage', { name: stage.name }), (g) => moveStage(g, stage.id, to))
        return
      }
      if (node.type !== 'flow' || (node.data as FlowNodeData).kind !== 'rule') {
        relayout()
        return
      }
      const data = node.data as FlowNodeData
      const s = store.getState()
      const stageIndex = s.graph.pipeline.stages.findIndex((st) => st.id === data.stageId)
      const absoluteX = node.position.x + stageIndex * (COLUMN_WIDTH + COLUMN_GAP)
      const target = dropTarget(s.graph, absoluteX, node.position.y)
      const place = findNode(s.graph, data.node.id)
      if (!target || (place?.stage.id === target.stageId && place.index === target.index)) {
        relayout()
        return
      }
      const before = s.graph
      s.edit(t('undo.move', { title: data.node.title }), (g) => moveNode(g, data.node.id, target.stageId, target.index))
      // Dropped where it stood (below the last rule of its own column): back in its place.
      if (store.getState().graph === before) relayout()
    },
    [store, relayout, t],
  )

  return (
    <Box
      ref={frame}
      onKeyDown={onKeyDown}
      onDragOver={onDragOver}
      onDrop={onDrop}
      tabIndex={0}
      aria-label={t('canvas.label')}
      data-testid="flow-canvas"
      sx={{
        height: { xs: 480, md: 600 },
        border: '1px solid',
        borderColor: 'divider',
        borderRadius: 2,
        bgcolor: '#eef1ef',
        outline: 'none',
        '&:focus-visible': { boxShadow: '0 0 0 2px #2f5d62' },
      }}
    >
      <ReactFlow
        nodes={nodes}
        edges={edges}
        nodeTypes={nodeTypes}
        minZoom={0.2}
        nodesConnectable={false}
        deleteKeyCode={null}
        onNodeClick={onNodeClick}
        onPaneClick={onPaneClick}
        onNodesChange={onNodesChange}
        nodesDraggable={!readOnly}
        onNodeDragStop={onNodeDragStop}
        proOptions={{ hideAttribution: true }}
        ariaLabelConfig={ariaLabels}
      >
        <Background gap={24} />
        <Controls showInteractive={false} />
        {wide && <MiniMap pannable zoomable ariaLabel={t('canvas.overview')} />}
      </ReactFlow>
    </Box>
  )
}

/** The canvas of a designer store. */
export function FlowCanvas({
  store,
  findings,
  changes,
  simulation,
  readOnly = false,
}: {
  store: DesignerStore
  findings: readonly Finding[]
  /** Stages and nodes that differ from a compared version, by id (`stage:<id>` for stages). */
  changes?: ReadonlyMap<string, Change> | undefined
  /** While simulating: the dry run's marks; the flow cannot be edited meanwhile. */
  simulation?: SimulationMarks | undefined
  /** Shown, not edited: for a role that may read flows but not change them. */
  readOnly?: boolean
}) {
  const { t } = useTranslation('designer')
  const words = useMemo(() => wordsOf(t as unknown as Translate), [t])
  return (
    <StoreContext.Provider value={store}>
      <WordsContext.Provider value={words}>
        <ReactFlowProvider>
          <ReadOnlyContext.Provider value={simulation !== undefined || readOnly}>
            <Canvas findings={findings} changes={changes} simulation={simulation} readOnly={readOnly} />
          </ReadOnlyContext.Provider>
        </ReactFlowProvider>
      </WordsContext.Provider>
    </StoreContext.Provider>
  )
}
