import Alert from '@mui/material/Alert'
import AlertTitle from '@mui/material/AlertTitle'
import Box from '@mui/material/Box'
import Typography from '@mui/material/Typography'
import { Catalog } from './Catalog.js'
import { GraphCheck } from './GraphCheck.js'

/** The designer screen: for now the catalog and the graph check. */
export function Designer() {
  return (
    <>
      <Alert severity="info" variant="outlined" sx={{ mb: 3, bgcolor: 'background.paper' }}>
        <AlertTitle>The visual designer arrives in a later release</AlertTitle>
        <Typography variant="body2" component="div">
          You cannot draw or edit rule graphs on this page yet. What works today:
          <Box component="ul" sx={{ my: 0.5, pl: 2.5 }}>
            <li>browse the catalog of rules and triggers available for each pipeline type;</li>
            <li>check a rule graph (a JSON file) and see exactly what is wrong and where.</li>
          </Box>
        </Typography>
      </Alert>
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
