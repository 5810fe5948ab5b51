import Alert from '@mui/material/Alert'
import AlertTitle from '@mui/material/AlertTitle'
import Box from '@mui/material/Box'
import Typography from '@mui/material/Typography'
import { lazy, Suspense } from 'react'
import { useTranslation } from 'react-i18next'
import { Catalog } from './Catalog.js'
import { GraphCheck } from './GraphCheck.js'

// The canvas, the catalog's schemas and the validator load only on this screen.
const FlowDesigner = lazy(() => import('./designer/FlowDesigner.js').then((m) => ({ default: m.FlowDesigner })))

/** The designer screen: a pipeline's flow on the canvas, the catalog, and the graph check. */
export function Designer({ withFlow = true }: { withFlow?: boolean }) {
  const { t } = useTranslation('designer')
  return (
    <>
      <Alert severity="info" variant="outlined" sx={{ mb: 3, bgcolor: 'background.paper' }}>
        <AlertTitle>{t('intro.title')}</AlertTitle>
        <Typography variant="body2">{t('intro.text')}</Typography>
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
