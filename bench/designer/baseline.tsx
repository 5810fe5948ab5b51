/**
 * bench/designer, the baseline: plain React Flow — built-in node types only ("group" columns, "default" nodes
 * labelled with the title), no MUI — drawing the same 40 columns and 600 nodes at the same places, with the
 * same connectors (480: "after previous" lines and the branches of parallel rules), the same frame and the same canvas settings as the designer (its view of a long pipeline,
 * zoom limits, background, controls, minimap). Nodes are state, as React Flow's docs do it (useNodesState).
 */
import './start.js'
import '@xyflow/react/dist/style.css'
import {
  Background,
  Controls,
  type Edge,
  MiniMap,
  type Node,
  ReactFlow,
  useEdgesState,
  useNodesState,
} from '@xyflow/react'
import { StrictMode, useState } from 'react'
import { createRoot } from 'react-dom/client'
import { benchGraph, CANVAS_NODES } from './graph.js'
import { installProbe } from './probe.js'

// The designer's geometry (web/src/designer/layout.ts), copied: importing it would bring the designer's
// catalog and schemas into this page's bundle.
const COLUMN_WIDTH = 264
const COLUMN_GAP = 28
const HEADER_HEIGHT = 64
const ROW_HEIGHT = 96
const NODE_WIDTH = 240
const NODE_HEIGHT = 80
const PADDING = 12
const BRANCH_INDENT = 14

installProbe(CANVAS_NODES)

function plainElements(): { nodes: Node[]; edges: Edge[] } {
  const nodes: Node[] = []
  const edges: Edge[] = []
  benchGraph().pipeline.stages.forEach((stage, index) => {
    const parentId = `stage:${stage.id}`
    const rows = stage.triggers.length + stage.rules.length
    nodes.push({
      id: parentId,
      type: 'group',
      position: { x: index * (COLUMN_WIDTH + COLUMN_GAP), y: 0 },
      data: {},
      style: { width: COLUMN_WIDTH, height: HEADER_HEIGHT + Math.max(1, rows) * ROW_HEIGHT + PADDING },
      draggable: false,
      selectable: false,
    })
    ;[...stage.triggers, ...stage.rules].forEach((node, row) => {
      const indent = 'execution' in node && node.execution === 'parallel' ? BRANCH_INDENT : 0
      nodes.push({
        id: node.id,
        parentId,
        extent: 'parent',
        position: { x: PADDING + indent, y: HEADER_HEIGHT + row * ROW_HEIGHT },
        data: { label: node.title },
        style: { width: NODE_WIDTH - indent, height: NODE_HEIGHT },
      })
    })
    const entry = stage.triggers[0]?.id
    stage.rules.forEach((rule, i) => {
      const before = stage.rules[i - 1]
      if (before && rule.execution === 'afterPrevious') {
        edges.push({ id: `${before.id}->${rule.id}`, source: before.id, target: rule.id, type: 'straight' })
      } else if (rule.execution === 'parallel' && entry) {
        // The designer draws a parallel rule's branch from the column's entry; a group node has no handles,
        // so here it starts at the first trigger.
        edges.push({
          id: `${entry}->${rule.id}`,
          source: entry,
          target: rule.id,
          type: 'smoothstep',
          style: { strokeDasharray: '5 4' },
        })
      }
    })
  })
  return { nodes, edges }
}

function PlainCanvas() {
  const [initial] = useState(plainElements)
  const [nodes, , onNodesChange] = useNodesState(initial.nodes)
  const [edges, , onEdgesChange] = useEdgesState(initial.edges)
  return (
    <div
      style={{
        boxSizing: 'border-box',
        width: 1600,
        height: 600,
        border: '1px solid #dde2e0',
        borderRadius: 16,
        background: '#eef1ef',
      }}
    >
      <ReactFlow
        nodes={nodes}
        edges={edges}
        onNodesChange={onNodesChange}
        onEdgesChange={onEdgesChange}
        // Where the designer opens a pipeline too long to fit at a readable zoom (0.7): its first stages, top
        // left. The bench prints both pages' views when it drags, and says so if they differ.
        defaultViewport={{ x: 16, y: 16, zoom: 0.7 }}
        minZoom={0.2}
        nodesConnectable={false}
        deleteKeyCode={null}
        proOptions={{ hideAttribution: true }}
      >
        <Background gap={24} />
        <Controls showInteractive={false} />
        <MiniMap pannable zoomable ariaLabel="Overview of the pipeline" />
      </ReactFlow>
    </div>
  )
}

createRoot(document.getElementById('root') as HTMLElement).render(
  <StrictMode>
    <PlainCanvas />
  </StrictMode>,
)
