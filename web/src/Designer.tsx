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
        <AlertTitle>The visual designer is being built</AlertTitle>
        <Typography variant="body2" component="div">
          What works today:
          <Box component="ul" sx={{ my: 0.5, pl: 2.5 }}>
            <li>
              open a pipeline's flow: add and arrange stages, add rules and triggers with "+" or by dragging them from
              the catalog onto a column, drag rules, change their settings, see the problems as you go, undo and redo,
              copy and paste, save, publish, export and import;
            </li>
            <li>browse the catalog of rules and triggers available for each pipeline type;</li>
            <li>check a rule graph (a JSON file) and see exactly what is wrong and where.</li>
          </Box>
          The "…" picker for values, conditions, and the history of published versions come next.
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
