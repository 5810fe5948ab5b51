/**
 * The palette beside the canvas: the catalog's rules and triggers for this pipeline's element type, by
 * category, searchable and filtered by kind. Drag an item onto a column to add it there; Ctrl/Cmd-click
 * picks several, and dragging one of them adds them all. Items this pipeline cannot use are shown greyed,
 * with the reason.
 */
import Box from '@mui/material/Box'
import TextField from '@mui/material/TextField'
import ToggleButton from '@mui/material/ToggleButton'
import ToggleButtonGroup from '@mui/material/ToggleButtonGroup'
import Tooltip from '@mui/material/Tooltip'
import Typography from '@mui/material/Typography'
import { type DragEvent, type MouseEvent, useMemo, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { type PaletteItem, paletteFor } from '../../../shared/catalog/index.js'
import type { ElementType } from '../../../shared/graph/vocabulary.js'
import { filterPalette, NODE_TYPE_MIME } from '../Catalog.js'
import { categoryLabel } from '../i18n/catalog-text.js'
import { BlockIcon, BoltIcon, RuleIcon } from '../icons.js'

function Item({
  item,
  picked,
  onPick,
}: {
  item: PaletteItem
  picked: ReadonlySet<string>
  onPick: (type: string, toggle: boolean) => void
}) {
  const disabled = item.disabledReason !== undefined
  const trigger = item.kind === 'trigger'
  const selected = picked.has(item.type)
  return (
    <Tooltip title={item.disabledReason ?? item.description} placement="right" enterDelay={500}>
      <Box
        component="li"
        data-type={item.type}
        aria-disabled={disabled || undefined}
        aria-selected={selected || undefined}
        draggable={!disabled}
        onClick={(event: MouseEvent<HTMLLIElement>) => {
          if (!disabled) onPick(item.type, event.ctrlKey || event.metaKey)
        }}
        onDragStart={(event: DragEvent<HTMLLIElement>) => {
          const types = selected ? [...picked] : [item.type]
          event.dataTransfer.setData(NODE_TYPE_MIME, types.join(' '))
          event.dataTransfer.effectAllowed = 'copy'
        }}
        sx={{
          display: 'grid',
          gridTemplateColumns: 'auto minmax(0, 1fr)',
          columnGap: 0.75,
          alignItems: 'start',
          px: 1,
          py: 0.75,
          borderRadius: trigger ? '14px 4px 4px 14px' : 1,
          border: '1px solid',
          borderColor: selected ? 'primary.main' : 'divider',
          outline: selected ? '1px solid' : 'none',
          outlineColor: 'primary.main',
          bgcolor: disabled ? 'action.hover' : trigger ? '#fff8e1' : 'background.paper',
          cursor: disabled ? 'not-allowed' : 'grab',
          userSelect: 'none',
        }}
      >
        {disabled ? (
          <BlockIcon sx={{ fontSize: 18, color: 'text.disabled', mt: '1px' }} />
        ) : trigger ? (
          <BoltIcon sx={{ fontSize: 18, color: '#8a5a00', mt: '1px' }} />
        ) : (
          <RuleIcon sx={{ fontSize: 18, mt: '1px' }} color="primary" />
        )}
        <Box sx={{ minWidth: 0 }}>
          <Typography variant="body2" sx={{ fontWeight: 600, color: disabled ? 'text.disabled' : 'text.primary' }}>
            {item.label}
          </Typography>
          {disabled && (
            <Typography variant="caption" component="p" color="text.secondary" sx={{ fontStyle: 'italic' }}>
              {item.disabledReason}
            </Typography>
          )}
        </Box>
      </Box>
    </Tooltip>
  )
}

export function Palette({ elementType }: { elementType: ElementType }) {
  const { t } = useTranslation('designer')
  const all = useMemo(() => paletteFor(elementType), [elementType])
  const [query, setQuery] = useState('')
  const [kind, setKind] = useState<'both' | 'rule' | 'trigger'>('both')
  const [picked, setPicked] = useState<ReadonlySet<string>>(new Set())
  const groups = filterPalette(all, query, kind)
  const pick = (type: string, toggle: boolean) =>
    setPicked((now) => {
      if (!toggle) return now.has(type) && now.size === 1 ? new Set() : new Set([type])
      const next = new Set(now)
      if (next.has(type)) next.delete(type)
      else next.add(type)
      return next
    })
  return (
    <Box
      component="aside"
      aria-label={t('palette.label')}
      sx={{
        display: 'grid',
        gridTemplateRows: 'auto auto minmax(0, 1fr) auto',
        // Long words (Turkish, French) never widen the column past its track.
        gridTemplateColumns: 'minmax(0, 1fr)',
        gap: 1,
        height: { xs: 320, lg: 600 },
        minWidth: 0,
      }}
    >
      <TextField
        size="small"
        type="search"
        label={t('palette.find')}
        value={query}
        onChange={(e) => setQuery(e.target.value)}
      />
      <ToggleButtonGroup
        size="small"
        exclusive
        fullWidth
        value={kind}
        onChange={(_, k: 'both' | 'rule' | 'trigger' | null) => k && setKind(k)}
        aria-label={t('palette.show')}
      >
        <ToggleButton value="both" sx={{ py: 0.25, px: 0.5 }}>
          {t('palette.both')}
        </ToggleButton>
        <ToggleButton value="rule" sx={{ py: 0.25, px: 0.5 }}>
          {t('palette.rules')}
        </ToggleButton>
        <ToggleButton value="trigger" sx={{ py: 0.25, px: 0.5 }}>
          {t('palette.triggers')}
        </ToggleButton>
      </ToggleButtonGroup>
      <Box sx={{ overflowY: 'auto', pr: 0.5 }}>
        {groups.length === 0 && (
          <Typography variant="body2" color="text.secondary" role="status">
            {t('palette.nothing', { query: query.trim() })}
          </Typography>
        )}
        {groups.map((group) => (
          <Box component="section" key={group.category} aria-label={categoryLabel(group.category)} sx={{ mb: 1.5 }}>
            <Typography variant="overline" color="text.secondary" component="h3" sx={{ lineHeight: 2 }}>
              {categoryLabel(group.category)}
            </Typography>
            <Box component="ul" sx={{ listStyle: 'none', m: 0, p: 0, display: 'grid', gap: 0.5 }}>
              {group.items.map((item) => (
                <Item key={item.type} item={item} picked={picked} onPick={pick} />
              ))}
            </Box>
          </Box>
        ))}
      </Box>
      {picked.size > 1 && (
        <Typography variant="caption" color="primary" role="status">
          {t('palette.picked', { count: picked.size })}
        </Typography>
      )}
    </Box>
  )
}
