/** bench/designer, ours: the designer's real canvas (FlowCanvas) on the 40 × 15 graph, as the app wraps it. */
import './start.js'
import CssBaseline from '@mui/material/CssBaseline'
import { ThemeProvider } from '@mui/material/styles'
import { StrictMode } from 'react'
import { createRoot } from 'react-dom/client'
import { createDesignerStore } from '../../shared/designer/store.js'
import { FlowCanvas } from '../../web/src/designer/FlowCanvas.js'
import { theme } from '../../web/src/theme.js'
import { benchGraph, CANVAS_NODES } from './graph.js'
import { installProbe } from './probe.js'

installProbe(CANVAS_NODES)
const store = createDesignerStore(benchGraph())

createRoot(document.getElementById('root') as HTMLElement).render(
  <StrictMode>
    <ThemeProvider theme={theme}>
      <CssBaseline />
      {/* The canvas sets its own height (600 px on a wide screen); the width is the frame's. */}
      <div style={{ width: 1600 }}>
        <FlowCanvas store={store} findings={[]} />
      </div>
    </ThemeProvider>
  </StrictMode>,
)
