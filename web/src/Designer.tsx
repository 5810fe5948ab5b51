import Alert from '@mui/material/Alert'
import AlertTitle from '@mui/material/AlertTitle'
import Box from '@mui/material/Box'
import Typography from '@mui/material/Typography'
import { lazy, Suspense } from 'react'
import { Catalog } from './Catalog.js'
import { GraphCheck } from './GraphCheck.js'

// The canvas, the catalog's schemas and the validator load only on this screen.
const FlowDesigner = lazy(() => import('./designer/FlowDesigner.js').then((m) => ({ default: m.FlowDesigner })))

/** The designer screen: a pipeline's flow on the canvas, the catalog, and the graph check. */
export function Designer({ withFlow = true }: { withFlow?: boolean }) {
  return (
    <>
      <Alert severity="info" variant="outlined" sx={{ mb: 3, bgcolor: 'background.paper' }}>
        <AlertTitle>Design a flow</AlertTitle>
        <Typography variant="body2">
          Drag rules and triggers from the palette onto a stage (Ctrl/Cmd-click picks several). Select one to set it up:
          “…” picks fields, constants and results of earlier rules. Problems show as you go; drafts save by themselves,
          and Publish makes the flow live.
        </Typography>
      </Alert>
      {withFlow && (
        <Suspense fallback={null}>
          <FlowDesigner />
        </Suspense>
      )}
      <Box
        sx={{
          display: 'grid',
          gap: 3,
          alignItems: 'start',
          gridTemplateColumns: { xs: 'minmax(0, 1fr)', md: 'minmax(0, 7fr) minmax(0, 5fr)' },
        }}
      >
        <Catalog />
        <GraphCheck />
      </Box>
    </>
  )
}
