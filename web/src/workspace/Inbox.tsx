/**
 * The employee's inbox: the notifications and tasks rules made for them (newest first), each linking to its
 * element. A notification is marked read when opened or with its button; a task is ticked done (or opened
 * again).
 */
import Alert from '@mui/material/Alert'
import Box from '@mui/material/Box'
import Button from '@mui/material/Button'
import Checkbox from '@mui/material/Checkbox'
import FormControlLabel from '@mui/material/FormControlLabel'
import Link from '@mui/material/Link'
import Paper from '@mui/material/Paper'
import Stack from '@mui/material/Stack'
import Typography from '@mui/material/Typography'
import { useCallback, useEffect, useState } from 'react'
import { ApiError } from '../api.js'
import { hrefOf } from '../route.js'
import { when } from './parts.js'
import {
  completeTask,
  fetchNotifications,
  fetchTasks,
  markRead,
  type Notification,
  type Task,
} from './workspace-api.js'

const REFRESH_MS = 5000

export function Inbox({ me }: { me: string | undefined }) {
  const [notes, setNotes] = useState<Notification[] | undefined>()
  const [tasks, setTasks] = useState<Task[] | undefined>()
  const [problem, setProblem] = useState<string | undefined>()
  const [showDone, setShowDone] = useState(false)

  const load = useCallback(
    async (signal?: AbortSignal) => {
      try {
        const [n, t] = await Promise.all([fetchNotifications(me, signal), fetchTasks(undefined, signal)])
        setNotes(n)
        // Everyone's tasks on an open server; one's own when signed in.
        setTasks(me ? t.filter((task) => task.responsible === me) : t)
        setProblem(undefined)
      } catch (e) {
        if (e instanceof ApiError) setProblem(e.message)
      }
    },
    [me],
  )
  useEffect(() => {
    const abort = new AbortController()
    void load(abort.signal)
    const timer = setInterval(() => {
      if (document.visibilityState === 'visible') void load(abort.signal)
    }, REFRESH_MS)
    return () => {
      abort.abort()
      clearInterval(timer)
    }
  }, [load])

  const act = async (what: () => Promise<unknown>) => {
    try {
      await what()
    } catch (e) {
      setProblem(e instanceof ApiError ? e.message : 'That did not work.')
    }
    await load()
  }
  const unread = notes?.filter((n) => n.readAt === null).length ?? 0
  const open = tasks?.filter((t) => t.doneAt === null) ?? []
  const listed = showDone ? (tasks ?? []) : open

  return (
    <Box sx={{ display: 'grid', gap: 3, gridTemplateColumns: { xs: '1fr', md: '1fr 1fr' }, alignItems: 'start' }}>
      {problem && (
        <Alert severity="error" sx={{ gridColumn: '1 / -1' }}>
          {problem}
        </Alert>
      )}
      <Box component="section" aria-labelledby="notes-title" sx={{ display: 'grid', gap: 1.5 }}>
        <Typography id="notes-title" variant="h2">
          Notifications {unread > 0 && <small data-testid="unread-count">({unread} new)</small>}
        </Typography>
        {notes?.length === 0 && (
          <Typography color="text.secondary">Nothing yet. Rules that notify you land here.</Typography>
        )}
        {notes?.map((n) => (
          <Paper
            key={n.id}
            variant="outlined"
            data-testid="notification"
            data-read={n.readAt !== null}
            sx={{ p: 1.5, borderLeft: n.readAt === null ? '4px solid' : undefined, borderLeftColor: 'primary.main' }}
          >
            <Typography variant="body2" sx={{ fontWeight: n.readAt === null ? 600 : 400, overflowWrap: 'anywhere' }}>
              {n.text}
            </Typography>
            <Stack direction="row" spacing={1.5} sx={{ alignItems: 'center', mt: 0.5 }}>
              <Typography variant="caption" color="text.secondary">
                {when(n.createdAt)}
              </Typography>
              {n.elementId && (
                <Link
                  href={hrefOf('element', n.elementId)}
                  variant="body2"
                  onClick={() => {
                    if (n.readAt === null) void markRead(n.id)
                  }}
                >
                  Open the deal
                </Link>
              )}
              {n.readAt === null && (
                <Button size="small" onClick={() => void act(() => markRead(n.id))}>
                  Mark read
                </Button>
              )}
            </Stack>
          </Paper>
        ))}
      </Box>
      <Box component="section" aria-labelledby="tasks-title" sx={{ display: 'grid', gap: 1.5 }}>
        <Stack direction="row" sx={{ alignItems: 'center', justifyContent: 'space-between' }}>
          <Typography id="tasks-title" variant="h2">
            Tasks {open.length > 0 && <small>({open.length} open)</small>}
          </Typography>
          <FormControlLabel
            control={<Checkbox size="small" checked={showDone} onChange={(e) => setShowDone(e.target.checked)} />}
            label="Show done"
          />
        </Stack>
        {listed.length === 0 && tasks && <Typography color="text.secondary">No open tasks.</Typography>}
        {listed.map((t) => (
          <Paper key={t.id} variant="outlined" data-testid="task" sx={{ p: 1.5, opacity: t.doneAt ? 0.7 : 1 }}>
            <FormControlLabel
              control={
                <Checkbox
                  checked={t.doneAt !== null}
                  onChange={(e) => void act(() => completeTask(t.id, e.target.checked))}
                />
              }
              label={
                <Typography
                  variant="body2"
                  sx={{ fontWeight: 600, textDecoration: t.doneAt ? 'line-through' : 'none' }}
                >
                  {t.title}
                </Typography>
              }
            />
            {t.description && (
              <Typography variant="body2" color="text.secondary" sx={{ ml: 4 }}>
                {t.description}
              </Typography>
            )}
            {t.checklist.length > 0 && (
              <Box component="ul" sx={{ my: 0.5, ml: 4, pl: 2 }}>
                {t.checklist.map((item) => (
                  <li key={item}>
                    <Typography variant="body2">{item}</Typography>
                  </li>
                ))}
              </Box>
            )}
            <Stack direction="row" spacing={1.5} sx={{ ml: 4 }}>
              {t.deadline && (
                <Typography
                  variant="caption"
                  color={!t.doneAt && Date.parse(t.deadline) < Date.now() ? 'error' : 'text.secondary'}
                >
                  Due {when(t.deadline)}
                </Typography>
              )}
              <Link href={hrefOf('element', t.elementId)} variant="body2">
                Open the deal
              </Link>
            </Stack>
          </Paper>
        ))}
      </Box>
    </Box>
  )
}
