import Alert from '@mui/material/Alert'
import Box from '@mui/material/Box'
import Button from '@mui/material/Button'
import Chip from '@mui/material/Chip'
import LinearProgress from '@mui/material/LinearProgress'
import MenuItem from '@mui/material/MenuItem'
import Paper from '@mui/material/Paper'
import Stack from '@mui/material/Stack'
import TextField from '@mui/material/TextField'
import Typography from '@mui/material/Typography'
import { type DragEvent, type MouseEvent, useEffect, useId, useState } from 'react'
import { Trans, useTranslation } from 'react-i18next'
import { folded } from '../../shared/designer/fold.js'
import type { ElementType, PaletteItem } from '../../shared/index.js'
import { ApiError, fetchCatalog, type PaletteGroup } from './api.js'
import { categoryLabel, elementTypeLabel, localItem } from './i18n/catalog-text.js'
import { BlockIcon, BoltIcon, RuleIcon } from './icons.js'

/**
 * The groups' items that match every word of `query` in their label or description (case and accents
 * ignored; in the current language or the catalog's English) and are of the kind asked for, with their words
 * in the current language; groups left empty are dropped.
 */
export function filterPalette(
  groups: readonly PaletteGroup[],
  query: string,
  kind: 'both' | 'rule' | 'trigger',
): PaletteGroup[] {
  const words = folded(query).split(/\s+/).filter(Boolean)
  return groups
    .map((g) => ({
      ...g,
      items: g.items.flatMap((item) => {
        if (kind !== 'both' && item.kind !== kind) return []
        const local = localItem(item)
        const text = folded(`${local.label} ${local.description} ${item.label} ${item.description}`)
        return words.every((w) => text.includes(w)) ? [local] : []
      }),
    }))
    .filter((g) => g.items.length > 0)
}

/** What catalog items carry when dragged onto the flow canvas: their types, separated by spaces. */
export const NODE_TYPE_MIME = 'application/x-signflow-node-type'

/** The pipeline types with their English names (`elementTypeLabel` names them in the current language). */
export const PIPELINE_TYPES: ReadonlyArray<{ value: ElementType; label: string }> = [
  { value: 'deal', label: 'Deal' },
  { value: 'lead', label: 'Lead' },
  { value: 'contact', label: 'Contact' },
  { value: 'signingDocument', label: 'Signing document' },
]

type State =
  | { status: 'loading'; groups?: PaletteGroup[] }
  | { status: 'ready'; groups: PaletteGroup[] }
  | { status: 'failed'; message: string }

export function Catalog() {
  const { t } = useTranslation('catalog')
  const [elementType, setElementType] = useState<ElementType>('deal')
  const [state, setState] = useState<State>({ status: 'loading' })
  const [attempt, setAttempt] = useState(0)
  const headingId = useId()

  // biome-ignore lint/correctness/useExhaustiveDependencies: `attempt` re-runs the fetch on "Try again"; a new language needs no new fetch.
  useEffect(() => {
    const controller = new AbortController()
    setState((s) => ({ status: 'loading', ...(s.status === 'ready' ? { groups: s.groups } : {}) }))
    fetchCatalog(elementType, controller.signal).then(
      (groups) => setState({ status: 'ready', groups }),
      (error: unknown) => {
        if (controller.signal.aborted) return
        setState({
          status: 'failed',
          message: error instanceof ApiError ? error.message : t('page.failed'),
        })
      },
    )
    return () => controller.abort()
  }, [elementType, attempt])

  const [query, setQuery] = useState('')
  const [picked, setPicked] = useState<ReadonlySet<string>>(new Set())
  const pick = (type: string, toggle: boolean) =>
    setPicked((now) => {
      if (!toggle) return now.has(type) && now.size === 1 ? new Set() : new Set([type])
      const next = new Set(now)
      if (next.has(type)) next.delete(type)
      else next.add(type)
      return next
    })
  const [kind, setKind] = useState<'both' | 'rule' | 'trigger'>('both')
  const loaded = state.status === 'failed' ? undefined : state.groups
  const groups = loaded && filterPalette(loaded, query, kind)
  const pipelineLabel = elementTypeLabel(elementType)

  return (
    <Paper variant="outlined" component="section" aria-labelledby={headingId} sx={{ p: { xs: 2, sm: 3 } }}>
      <Stack
        direction={{ xs: 'column', sm: 'row' }}
        spacing={2}
        sx={{ justifyContent: 'space-between', alignItems: { xs: 'stretch', sm: 'flex-start' }, mb: 2 }}
      >
        <Box>
          <Typography variant="h2" id={headingId}>
            {t('page.title')}
          </Typography>
          <Typography variant="body2" color="text.secondary" sx={{ mt: 0.5, maxWidth: '34rem' }}>
            <Trans i18nKey="page.intro" t={t} components={{ b: <strong /> }} />
          </Typography>
        </Box>
        <TextField
          select
          label={t('page.pipelineType')}
          size="small"
          value={elementType}
          onChange={(event) => setElementType(event.target.value as ElementType)}
          sx={{ minWidth: 200, flexShrink: 0 }}
        >
          {PIPELINE_TYPES.map((p) => (
            <MenuItem key={p.value} value={p.value}>
              {elementTypeLabel(p.value)}
            </MenuItem>
          ))}
        </TextField>
      </Stack>

      <Stack direction={{ xs: 'column', sm: 'row' }} spacing={1.5} sx={{ mb: 1.5 }}>
        <TextField
          size="small"
          label={t('page.search')}
          type="search"
          value={query}
          onChange={(e) => setQuery(e.target.value)}
          sx={{ flex: 1 }}
        />
        <TextField
          select
          size="small"
          label={t('page.show')}
          value={kind}
          onChange={(e) => setKind(e.target.value as 'both' | 'rule' | 'trigger')}
          sx={{ minWidth: 160 }}
        >
          <MenuItem value="both">{t('page.both')}</MenuItem>
          <MenuItem value="rule">{t('page.rules')}</MenuItem>
          <MenuItem value="trigger">{t('page.triggers')}</MenuItem>
        </TextField>
      </Stack>

      <Box sx={{ minHeight: 4, mb: 1 }}>
        {state.status === 'loading' && <LinearProgress aria-label={t('page.loading')} />}
      </Box>

      {state.status === 'failed' && (
        <Alert
          severity="error"
          action={
            <Button color="inherit" size="small" onClick={() => setAttempt((n) => n + 1)}>
              {t('page.tryAgain')}
            </Button>
          }
        >
          {state.message}
        </Alert>
      )}

      {groups && groups.length === 0 && (
        <Typography color="text.secondary" role="status">
          {t('page.nothing', { query: query.trim() })}
        </Typography>
      )}
      {groups && (
        <Stack
          spacing={3}
          aria-label={t('page.listFor', { pipeline: pipelineLabel })}
          aria-busy={state.status === 'loading'}
        >
          {groups.map((group) => (
            <CategorySection key={group.category} group={group} picked={picked} onPick={pick} />
          ))}
        </Stack>
      )}
    </Paper>
  )
}

interface Picking {
  /** The items picked with Ctrl/Cmd-click: dragging one of them adds them all. */
  picked: ReadonlySet<string>
  onPick: (type: string, toggle: boolean) => void
}

function CategorySection({ group, picked, onPick }: { group: PaletteGroup } & Picking) {
  const headingId = useId()
  const label = categoryLabel(group.category)
  return (
    <Box component="section" aria-labelledby={headingId} data-category={group.category}>
      <Typography variant="h3" id={headingId} color="text.secondary" sx={{ mb: 1 }}>
        {label}
      </Typography>
      <Stack component="ul" spacing={1} sx={{ listStyle: 'none', m: 0, p: 0 }}>
        {group.items.map((item) => (
          <CatalogItem key={item.type} item={item} picked={picked} onPick={onPick} />
        ))}
      </Stack>
    </Box>
  )
}

function CatalogItem({ item, picked, onPick }: { item: PaletteItem } & Picking) {
  const { t } = useTranslation('catalog')
  const disabled = item.disabledReason !== undefined
  const isTrigger = item.kind === 'trigger'
  const selected = picked.has(item.type)
  return (
    <Box
      component="li"
      aria-disabled={disabled || undefined}
      aria-selected={selected || undefined}
      data-type={item.type}
      // Ctrl/Cmd-click picks several; dragged onto a column of the flow canvas, they are added there at once.
      onClick={(event: MouseEvent<HTMLLIElement>) => {
        if (!disabled) onPick(item.type, event.ctrlKey || event.metaKey)
      }}
      draggable={!disabled}
      onDragStart={(event: DragEvent<HTMLLIElement>) => {
        const types = selected ? [...picked] : [item.type]
        event.dataTransfer.setData(NODE_TYPE_MIME, types.join(' '))
        event.dataTransfer.effectAllowed = 'copy'
      }}
      sx={{
        outline: selected ? '2px solid' : 'none',
        outlineColor: 'primary.main',
        cursor: disabled ? 'default' : 'grab',
        border: 1,
        borderColor: 'divider',
        borderRadius: 2,
        px: 1.75,
        py: 1.25,
        bgcolor: disabled ? 'action.hover' : 'background.paper',
        borderLeftWidth: 4,
        borderLeftColor: disabled ? 'action.disabled' : isTrigger ? 'secondary.light' : 'primary.light',
      }}
    >
      <Box sx={{ display: 'grid', gridTemplateColumns: 'minmax(0, 1fr) auto', columnGap: 1, alignItems: 'start' }}>
        <Typography
          component="span"
          sx={{ fontWeight: 600, color: disabled ? 'text.disabled' : 'text.primary', pt: '1px' }}
        >
          {item.label}
        </Typography>
        <Stack direction="row" spacing={0.75} sx={{ justifyContent: 'flex-end' }}>
          {item.tier === 'later' && (
            <Chip
              size="small"
              variant="outlined"
              label={t('page.preview')}
              title={t('page.previewTitle')}
              disabled={disabled}
            />
          )}
          <Chip
            size="small"
            variant={isTrigger ? 'outlined' : 'filled'}
            color={isTrigger ? 'secondary' : 'primary'}
            icon={isTrigger ? <BoltIcon /> : <RuleIcon />}
            label={isTrigger ? t('page.trigger') : t('page.rule')}
            disabled={disabled}
            sx={{ minWidth: 84 }}
          />
        </Stack>
      </Box>
      <Typography variant="body2" sx={{ mt: 0.5, color: disabled ? 'text.disabled' : 'text.secondary' }}>
        {item.description}
      </Typography>
      {disabled && (
        <Stack direction="row" spacing={0.75} sx={{ mt: 0.75, alignItems: 'center', color: 'text.secondary' }}>
          <BlockIcon sx={{ fontSize: 16 }} aria-hidden />
          <Typography variant="body2" component="span" sx={{ fontStyle: 'italic' }}>
            {item.disabledReason}
          </Typography>
        </Stack>
      )}
    </Box>
  )
}
