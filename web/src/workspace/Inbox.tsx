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
import { useCallback, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { ApiError } from '../api.js'
import { useFormat } from '../i18n/index.js'
import { hrefOf } from '../route.js'
import { usePolling } from './polling.js'
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
  const { t } = useTranslation('workspace')
  const { when } = useFormat()
  const [notes, setNotes] = useState<Notification[] | undefined>()
  const [tasks, setTasks] = useState<Task[] | undefined>()
  const [problem, setProblem] = useState<string | undefined>()
  const [showDone, setShowDone] = useState(false)

  const load = useCallback(
    async (signal?: AbortSignal) => {
      try {
        const [n, all] = await Promise.all([fetchNotifications(me, signal), fetchTasks(undefined, signal)])
        setNotes(n)
        // Everyone's tasks on an open server; one's own when signed in.
        setTasks(me ? all.filter((task) => task.responsible === me) : all)
        setProblem(undefined)
      } catch (e) {
        if (e instanceof ApiError) setProblem(e.message)
      }
    },
    [me],
  )
  usePolling(load, REFRESH_MS)

  const act = async (what: () => Promise<unknown>) => {
    try {
      await what()
    } catch (e) {
      setProblem(e instanceof ApiError ? e.message : t('failed'))
    }
    await load()
  }
  const unread = notes?.filter((n) => n.readAt === null).length ?? 0
  const open = tasks?.filter((task) => task.doneAt === null) ?? []
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
          {t('inbox.notifications')}{' '}
          {unread > 0 && <small data-testid="unread-count">{t('inbox.unread', { count: unread })}</small>}
        </Typography>
        {notes?.length === 0 && <Typography color="text.secondary">{t('inbox.noNotifications')}</Typography>}
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
                  {t('inbox.openDeal')}
                </Link>
              )}
              {n.readAt === null && (
                <Button size="small" onClick={() => void act(() => markRead(n.id))}>
                  {t('inbox.markRead')}
                </Button>
              )}
            </Stack>
          </Paper>
        ))}
      </Box>
      <Box component="section" aria-labelledby="tasks-title" sx={{ display: 'grid', gap: 1.5 }}>
        <Stack direction="row" sx={{ alignItems: 'center', justifyContent: 'space-between' }}>
          <Typography id="tasks-title" variant="h2">
            {t('inbox.tasks')} {open.length > 0 && <small>{t('inbox.open', { count: open.length })}</small>}
          </Typography>
          <FormControlLabel
            control={<Checkbox size="small" checked={showDone} onChange={(e) => setShowDone(e.target.checked)} />}
            label={t('inbox.showDone')}
          />
        </Stack>
        {listed.length === 0 && tasks && <Typography color="text.secondary">{t('inbox.noTasks')}</Typography>}
        {listed.map((task) => (
          <Paper key={task.id} variant="outlined" data-testid="task" sx={{ p: 1.5, opacity: task.doneAt ? 0.7 : 1 }}>
            <FormControlLabel
              control={
                <Checkbox
                  checked={task.doneAt !== null}
                  onChange={(e) => void act(() => completeTask(task.id, e.target.checked))}
                />
              }
              label={
                <Typography
                  variant="body2"
                  sx={{ fontWeight: 600, textDecoration: task.doneAt ? 'line-through' : 'none' }}
                >
                  {task.title}
                </Typography>
              }
            />
            {task.description && (
              <Typography variant="body2" color="text.secondary" sx={{ ml: 4 }}>
                {task.description}
              </Typography>
            )}
            {task.checklist.length > 0 && (
              <Box component="ul" sx={{ my: 0.5, ml: 4, pl: 2 }}>
                {task.checklist.map((item) => (
                  <li key={item}>
                    <Typography variant="body2">{item}</Typography>
                  </li>
                ))}
              </Box>
            )}
            <Stack direction="row" spacing={1.5} sx={{ ml: 4 }}>
              {task.deadline && (
                <Typography
                  variant="caption"
                  color={!task.doneAt && Date.parse(task.deadline) < Date.now() ? 'error' : 'text.secondary'}
                >
                  {t('inbox.due', { when: when(task.deadline) })}
                </Typography>
              )}
              <Link href={hrefOf('element', task.elementId)} variant="body2">
                {t('inbox.openDeal')}
              </Link>
            </Stack>
          </Paper>
        ))}
      </Box>
    </Box>
  )
}
