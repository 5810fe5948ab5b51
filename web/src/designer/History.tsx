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
import type { DiffEntry, GraphDiff } from '../../../shared/graph/diff.js'
import type { Graph } from '../../../shared/graph/graph.js'
import { ApiError, fetchVersions, type Version } from '../api.js'
import type { Change } from './layout.js'

/** A comparison shown on the canvas: the version, what differs, and what the draft no longer has. */
export interface Comparison {
  number: number
  /** The version's graph. */
  before: Graph
}

const when = (iso: string) =>
  new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' }).format(new Date(iso))

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
export function removedName(before: Graph, entry: DiffEntry): string {
  const stage = before.pipeline.stages.find((s) => s.id === entry.stage)
  if (entry.kind === 'stage') return `stage “${stage?.name ?? entry.id}”`
  const node = [...(stage?.rules ?? []), ...(stage?.triggers ?? [])].find((n) => n.id === entry.id)
  return `${entry.kind} “${node?.title ?? entry.id}”`
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

  useEffect(() => {
    if (!open) return
    const abort = new AbortController()
    setProblem(undefined)
    setVersions(undefined)
    fetchVersions(flowId, abort.signal).then(
      (items) => setVersions([...items].reverse()),
      (e) => {
        if (!abort.signal.aborted) setProblem(e instanceof ApiError ? e.message : 'The versions cannot be loaded.')
      },
    )
    return () => abort.abort()
  }, [flowId, open])

  const latest = versions?.[0]?.number
  return (
    <>
      <Dialog open={open} onClose={onClose} fullWidth maxWidth="sm" aria-labelledby="versions-title">
        <DialogTitle id="versions-title">Version history</DialogTitle>
        <DialogContent>
          {problem && <Alert severity="error">{problem}</Alert>}
          {versions?.length === 0 && (
            <Typography color="text.secondary">Not published yet: “Publish” makes version 1.</Typography>
          )}
          <Box component="ol" reversed sx={{ listStyle: 'none', p: 0, m: 0 }}>
            {versions?.map((v) => (
              <Box
                component="li"
                key={v.id}
                aria-label={`Version ${v.number}`}
                sx={{ py: 1.25, borderBottom: '1px solid', borderColor: 'divider' }}
              >
                <Stack direction="row" spacing={1} sx={{ alignItems: 'baseline', flexWrap: 'wrap' }}>
                  <Typography sx={{ fontWeight: 700 }}>Version {v.number}</Typography>
                  {v.number === latest && (
                    <Typography variant="caption" sx={{ color: 'success.main', fontWeight: 700 }}>
                      LIVE
                    </Typography>
                  )}
                  <Typography variant="body2" color="text.secondary">
                    {when(v.publishedAt)} · {who(v.publishedBy)}
                  </Typography>
                </Stack>
                <Typography variant="body2" sx={{ my: 0.5 }} color={v.note ? 'text.primary' : 'text.secondary'}>
                  {v.note ?? 'No note'}
                </Typography>
                <Stack direction="row" spacing={1}>
                  <Button size="small" onClick={() => onCompare(v.number)}>
                    Show changes
                  </Button>
                  {v.number !== latest && (
                    <Button size="small" color="warning" onClick={() => setRolling(v.number)}>
                      Roll back to this…
                    </Button>
                  )}
                </Stack>
              </Box>
            ))}
          </Box>
        </DialogContent>
        <DialogActions>
          <Button onClick={onClose}>Close</Button>
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
        <DialogTitle>Roll back to version {rolling}?</DialogTitle>
        <DialogContent>
          <DialogContentText sx={{ mb: 2 }}>
            Version {rolling} is published again as a new version, and becomes the draft. Deals already running keep
            their version.
          </DialogContentText>
          <TextField
            fullWidth
            size="small"
            label="Note (why)"
            placeholder={`Rollback to version ${rolling}`}
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
          <Button onClick={() => setRolling(undefined)}>Cancel</Button>
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
                setRollProblem(e instanceof Error ? e.message : `Version ${rolling} could not be published again.`)
              } finally {
                setBusy(false)
              }
            }}
          >
            Roll back
          </Button>
        </DialogActions>
      </Dialog>
    </>
  )
}
