/**
 * A column's own menu: rename it, change its colour or kind, move it left or right, delete it — asking
 * what becomes of its rules and triggers (deleted with it, or moved to another stage). Each is one undo step.
 */
import Button from '@mui/material/Button'
import Dialog from '@mui/material/Dialog'
import DialogActions from '@mui/material/DialogActions'
import DialogContent from '@mui/material/DialogContent'
import DialogTitle from '@mui/material/DialogTitle'
import IconButton from '@mui/material/IconButton'
import Menu from '@mui/material/Menu'
import MenuItem from '@mui/material/MenuItem'
import Stack from '@mui/material/Stack'
import TextField from '@mui/material/TextField'
import Typography from '@mui/material/Typography'
import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import { useStore } from 'zustand'
import { changeStage, deleteStage, moveStage, STAGE_COLORS } from '../../../shared/designer/commands.js'
import type { DesignerStore } from '../../../shared/designer/store.js'
import type { Stage } from '../../../shared/graph/graph.js'
import { STAGE_KINDS, type StageKind } from '../../../shared/graph/vocabulary.js'
import { useWords } from './words.js'

export function StageMenu({ store, stage, index }: { store: DesignerStore; stage: Stage; index: number }) {
  // The stages list itself (a stable value): a selector that built a new array would render without end.
  const stages = useStore(store, (s) => s.graph.pipeline.stages)
  const count = stages.length
  const others = stages.filter((st) => st.id !== stage.id)
  const [anchor, setAnchor] = useState<HTMLElement | null>(null)
  const [dialog, setDialog] = useState<'edit' | 'delete' | undefined>()
  const [name, setName] = useState(stage.name)
  const [color, setColor] = useState(stage.color)
  const [kind, setKind] = useState<StageKind>(stage.kind)
  const [target, setTarget] = useState<string>('delete')
  const nodes = stage.rules.length + stage.triggers.length
  const edit = store.getState().edit
  const close = () => setAnchor(null)
  const { t } = useTranslation('designer')
  const words = useWords()

  return (
    <>
      <IconButton
        size="small"
        className="nodrag"
        aria-label={t('stageMenu.more', { name: stage.name })}
        onClick={(e) => setAnchor(e.currentTarget)}
        sx={{ fontSize: 16, lineHeight: 1 }}
      >
        ⋮
      </IconButton>
      <Menu anchorEl={anchor} open={anchor !== null} onClose={close}>
        <MenuItem
          onClick={() => {
            close()
            setName(stage.name)
            setColor(stage.color)
            setKind(stage.kind)
            setDialog('edit')
          }}
        >
          {t('stageMenu.edit')}
        </MenuItem>
        <MenuItem
          disabled={index === 0}
          onClick={() => {
            close()
            edit(t('undo.moveLeft', { name: stage.name }), (g) => moveStage(g, stage.id, index - 1))
          }}
        >
          {t('stageMenu.moveLeft')}
        </MenuItem>
        <MenuItem
          disabled={index === count - 1}
          onClick={() => {
            close()
            edit(t('undo.moveRight', { name: stage.name }), (g) => moveStage(g, stage.id, index + 1))
          }}
        >
          {t('stageMenu.moveRight')}
        </MenuItem>
        <MenuItem
          disabled={count === 1}
          onClick={() => {
            close()
            setTarget('delete')
            setDialog('delete')
          }}
          sx={{ color: 'error.main' }}
        >
          {t('stageMenu.delete')}
        </MenuItem>
      </Menu>
      <Dialog open={dialog === 'edit'} onClose={() => setDialog(undefined)} fullWidth maxWidth="xs">
        <DialogTitle>{t('stageMenu.editTitle', { name: stage.name })}</DialogTitle>
        <DialogContent sx={{ display: 'grid', gap: 2, pt: '8px !important' }}>
          <TextField label={t('stageMenu.name')} value={name} onChange={(e) => setName(e.target.value)} autoFocus />
          <TextField
            select
            label={t('stageMenu.kind')}
            value={kind}
            onChange={(e) => setKind(e.target.value as StageKind)}
          >
            {STAGE_KINDS.map((k) => (
              <MenuItem key={k} value={k}>
                {words.stageKind(k)}
              </MenuItem>
            ))}
          </TextField>
          <Stack direction="row" spacing={1} role="radiogroup" aria-label={t('stageMenu.colour')}>
            {STAGE_COLORS.map((c) => (
              <IconButton
                key={c}
                role="radio"
                aria-checked={c === color}
                aria-label={t('stageMenu.colourNamed', { colour: c })}
                onClick={() => setColor(c)}
                sx={{
                  width: 28,
                  height: 28,
                  bgcolor: c,
                  border: c === color ? '3px solid #1f2a2c' : '3px solid transparent',
                  '&:hover': { bgcolor: c },
                }}
              />
            ))}
          </Stack>
        </DialogContent>
        <DialogActions>
          <Button onClick={() => setDialog(undefined)}>{t('action.cancel')}</Button>
          <Button
            variant="contained"
            disabled={!name.trim()}
            onClick={() => {
              edit(t('undo.changeStage', { name: stage.name }), (g) =>
                changeStage(g, stage.id, { name: name.trim(), color, kind }),
              )
              setDialog(undefined)
            }}
          >
            {t('action.save')}
          </Button>
        </DialogActions>
      </Dialog>
      <Dialog open={dialog === 'delete'} onClose={() => setDialog(undefined)} fullWidth maxWidth="xs">
        <DialogTitle>{t('stageMenu.deleteTitle', { name: stage.name })}</DialogTitle>
        <DialogContent sx={{ display: 'grid', gap: 2 }}>
          <Typography variant="body2">
            {nodes === 0 ? t('stageMenu.empty') : t('stageMenu.holds', { count: nodes })}
          </Typography>
          {nodes > 0 && (
            <TextField select label={t('stageMenu.its')} value={target} onChange={(e) => setTarget(e.target.value)}>
              <MenuItem value="delete">{t('stageMenu.deleteToo')}</MenuItem>
              {others.map((o) => (
                <MenuItem key={o.id} value={o.id}>
                  {t('stageMenu.moveTo', { name: o.name })}
                </MenuItem>
              ))}
            </TextField>
          )}
        </DialogContent>
        <DialogActions>
          <Button onClick={() => setDialog(undefined)}>{t('action.cancel')}</Button>
          <Button
            color="error"
            variant="contained"
            onClick={() => {
              edit(t('undo.deleteStage', { name: stage.name }), (g) =>
                deleteStage(g, stage.id, target === 'delete' ? 'delete' : { moveTo: target }),
              )
              setDialog(undefined)
            }}
          >
            {t('action.delete')}
          </Button>
        </DialogActions>
      </Dialog>
    </>
  )
}
