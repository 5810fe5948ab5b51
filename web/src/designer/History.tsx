/**
 * The flow's published versions, newest first, with who published each, when and why (the note). "Show
 * changes" compares the draft with a version on the canvas: added and changed stages and nodes are marked
 * there, removed ones listed above it. "Roll back" publishes an old version again (with a note) and makes
 * it the draft — one undo step away from what was there.
 */
import Alert from '@mui/material/Alert'
import Box from '@mui/material/Box'
import Button from '@mui/material/Button'
import Dialog from '@mui/material/Dialog'
import DialogActions from '@mui/material/DialogActions'
import DialogContent from '@mui/material/DialogContent'
import DialogContentText from '@mui/material/DialogContentText'
import DialogTitle from '@mui/material/DialogTitle'
import Stack from '@mui/material/Stack'
import TextField from '@mui/material/TextField'
import Typography from '@mui/material/Typography'
import { useEffect, useState } from 'react'
import { useTranslation } from 'react-i18next'
import type { DiffEntry, GraphDiff } from '../../../shared/graph/diff.js'
import type { Graph } from '../../../shared/graph/graph.js'
import { upper } from '../../../shared/i18n/languages.js'
import { ApiError, fetchVersions, type Version } from '../api.js'
import { useFormat } from '../i18n/index.js'
import type { Change } from './layout.js'
import type { Translate } from './words.js'

/** A comparison shown on the canvas: the version, what differs, and what the draft no longer has. */
export interface Comparison {
  number: number
  /** The version's graph. */
  before: Graph
}

/** Who published, in words: "user:u-anna" → "u-anna". */
const who = (by: string) => by.replace(/^(user|token):/, '')

/** The canvas marks of a comparison, by React Flow id (`stage:<id>` for stages). */
export function changesOf(diff: GraphDiff): Map<string, Change> {
  const marks = new Map<string, Change>()
  const key = (e: DiffEntry) => (e.kind === 'stage' ? `stage:${e.id}` : e.id)
  for (const e of diff.added) marks.set(key(e), 'added')
  for (const e of diff.changed) marks.set(key(e), 'changed')
  return marks
}

/** The title of a removed stage or node, from the version that had it. */
export function removedName(before: Graph, entry: DiffEntry, t: Translate): string {
  const stage = before.pipeline.stages.find((s) => s.id === entry.stage)
  if (entry.kind === 'stage') return t('designer:removed.stage', { name: stage?.name ?? entry.id })
  const node = [...(stage?.rules ?? []), ...(stage?.triggers ?? [])].find((n) => n.id === entry.id)
  const name = node?.title ?? entry.id
  return entry.kind === 'trigger' ? t('designer:removed.trigger', { name }) : t('designer:removed.rule', { name })
}

export function VersionsDialog({
  flowId,
  open,
  onClose,
  onCompare,
  onRollback,
}: {
  flowId: string
  open: boolean
  onClose: () => void
  onCompare: (number: number) => void
  onRollback: (number: number, note: string) => Promise<void>
}) {
  const [versions, setVersions] = useState<Version[] | undefined>()
  const [problem, setProblem] = useState<string | undefined>()
  const [rolling, setRolling] = useState<number | undefined>()
  const [note, setNote] = useState('')
  const [busy, setBusy] = useState(false)
  const [rollProblem, setRollProblem] = useState<string | undefined>()
  const { t } = useTranslation('designer')
  const format = useFormat()

  useEffect(() => {
    if (!open) return
    const abort = new AbortController()
    setProblem(undefined)
    setVersions(undefined)
    fetchVersions(flowId, abort.signal).then(
      (items) => setVersions([...items].reverse()),
      (e) => {
        if (!abort.signal.aborted) setProblem(e instanceof ApiError ? e.message : t('history.cannotLoad'))
      },
    )
    return () => abort.abort()
  }, [flowId, open, t])

  const latest = versions?.[0]?.number
  return (
    <>
      <Dialog open={open} onClose={onClose} fullWidth maxWidth="sm" aria-labelledby="versions-title">
        <DialogTitle id="versions-title">{t('history.title')}</DialogTitle>
        <DialogContent>
          {problem && <Alert severity="error">{problem}</Alert>}
          {versions?.length === 0 && <Typography color="text.secondary">{t('history.none')}</Typography>}
          <Box component="ol" reversed sx={{ listStyle: 'none', p: 0, m: 0 }}>
            {versions?.map((v) => (
              <Box
                component="li"
                key={v.id}
                aria-label={t('history.version', { number: v.number })}
                sx={{ py: 1.25, borderBottom: '1px solid', borderColor: 'divider' }}
              >
                <Stack direction="row" spacing={1} sx={{ alignItems: 'baseline', flexWrap: 'wrap' }}>
                  <Typography sx={{ fontWeight: 700 }}>{t('history.version', { number: v.number })}</Typography>
                  {v.number === latest && (
                    <Typography variant="caption" sx={{ color: 'success.main', fontWeight: 700 }}>
                      {upper(t('history.live'), format.language)}
                    </Typography>
                  )}
                  <Typography variant="body2" color="text.secondary">
                    {format.when(v.publishedAt)} · {who(v.publishedBy)}
                  </Typography>
                </Stack>
                <Typography variant="body2" sx={{ my: 0.5 }} color={v.note ? 'text.primary' : 'text.secondary'}>
                  {v.note ?? t('history.noNote')}
                </Typography>
                <Stack direction="row" spacing={1}>
                  <Button size="small" onClick={() => onCompare(v.number)}>
                    {t('history.showChanges')}
                  </Button>
                  {v.number !== latest && (
                    <Button size="small" color="warning" onClick={() => setRolling(v.number)}>
                      {t('history.rollBackTo')}
                    </Button>
                  )}
                </Stack>
              </Box>
            ))}
          </Box>
        </DialogContent>
        <DialogActions>
          <Button onClick={onClose}>{t('action.close')}</Button>
        </DialogActions>
      </Dialog>
      <Dialog
        open={rolling !== undefined}
        onClose={() => {
          setRolling(undefined)
          setRollProblem(undefined)
        }}
        maxWidth="xs"
        fullWidth
      >
        <DialogTitle>{t('history.rollTitle', { number: rolling })}</DialogTitle>
        <DialogContent>
          <DialogContentText sx={{ mb: 2 }}>{t('history.rollText', { number: rolling })}</DialogContentText>
          <TextField
            fullWidth
            size="small"
            label={t('history.rollNote')}
            placeholder={t('history.rollPlaceholder', { number: rolling })}
            value={note}
            onChange={(e) => setNote(e.target.value)}
            slotProps={{ htmlInput: { maxLength: 1000 } }}
          />
          {rollProblem && (
            <Alert severity="error" sx={{ mt: 2 }}>
              {rollProblem}
            </Alert>
          )}
        </DialogContent>
        <DialogActions>
          <Button onClick={() => setRolling(undefined)}>{t('action.cancel')}</Button>
          <Button
            variant="contained"
            color="warning"
            disabled={busy}
            onClick={async () => {
              if (rolling === undefined) return
              setBusy(true)
              setRollProblem(undefined)
              try {
                await onRollback(rolling, note.trim())
                setRolling(undefined)
                setNote('')
                onClose()
              } catch (e) {
                setRollProblem(e instanceof Error ? e.message : t('history.rollFailed', { number: rolling }))
              } finally {
                setBusy(false)
              }
            }}
          >
            {t('history.rollBack')}
          </Button>
        </DialogActions>
      </Dialog>
    </>
  )
}
