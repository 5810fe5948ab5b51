/**
 * The outbox screen: what the automation sent (the demo's mail and SMS catcher, `GET /api/messages`)
 * and every effect it queued with its progress (`GET /api/outbox`). Refreshes itself every 2 s while
 * the page is visible.
 */
import Alert from '@mui/material/Alert'
import AlertTitle from '@mui/material/AlertTitle'
import Box from '@mui/material/Box'
import Button from '@mui/material/Button'
import Chip from '@mui/material/Chip'
import Collapse from '@mui/material/Collapse'
import LinearProgress from '@mui/material/LinearProgress'
import Paper from '@mui/material/Paper'
import Stack from '@mui/material/Stack'
import Typography from '@mui/material/Typography'
import { type ReactNode, useCallback, useEffect, useId, useState } from 'react'
import { Trans, useTranslation } from 'react-i18next'
import { ApiError, type Delivery, type DeliveryStatus, fetchDeliveries, fetchMessages, type Message } from './api.js'
import { currentLanguage, i18n } from './i18n/index.js'
import { ErrorIcon, ExpandMoreIcon, FileIcon, InboxIcon, MailIcon, RefreshIcon, SmsIcon, WarningIcon } from './icons.js'

/** How often the screen asks again while it is visible. */
export const REFRESH_MS = 2000
/** A refresh that takes longer than this is given up and reported. */
const TIMEOUT_MS = 10_000

// ------------------------------------------------------------------------------------ data

/** "12 KB", "1.4 MB": a file size as people read it (in the app's language: "1,4 MB", "12 Ko"). */
export function formatSize(bytes: number): string {
  const number = (n: number, digits = 0) =>
    new Intl.NumberFormat(currentLanguage(), { minimumFractionDigits: digits, maximumFractionDigits: digits }).format(n)
  if (bytes < 1024) return i18n.t('outbox:size.bytes', { size: number(bytes) })
  if (bytes < 1024 * 1024) return i18n.t('outbox:size.kb', { size: number(Math.round(bytes / 1024)) })
  return i18n.t('outbox:size.mb', { size: number(bytes / 1024 / 1024, 1) })
}

interface Feed<T> {
  items?: T[]
  /** Why the last refresh of this list failed (other than "no storage" or the network). */
  error?: string
}

type Problem =
  | { kind: 'no-storage'; message: string }
  | { kind: 'offline'; message: string }
  | { kind: 'timeout'; message: string }

interface OutboxData {
  messages: Feed<Message>
  deliveries: Feed<Delivery>
  /** A problem with the whole screen; lists loaded before stay shown. */
  problem?: Problem
  loading: boolean
  /** When the lists were last loaded (ms). */
  updatedAt?: number
}

function problemOf(error: unknown): Problem | undefined {
  if (error instanceof ApiError && error.code === 'no-storage') return { kind: 'no-storage', message: error.message }
  if (error instanceof ApiError && error.code === 'network') return { kind: 'offline', message: error.message }
  if (error instanceof DOMException && error.name === 'AbortError') {
    return { kind: 'timeout', message: i18n.t('outbox:timeout', { count: TIMEOUT_MS / 1000 }) }
  }
  return undefined
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : i18n.t('outbox:wrong')
}

function nextFeed<T>(previous: Feed<T>, result: PromiseSettledResult<T[]>): Feed<T> {
  if (result.status === 'fulfilled') return { items: result.value }
  if (problemOf(result.reason)) return previous.items ? { items: previous.items } : {}
  return { ...(previous.items ? { items: previous.items } : {}), error: messageOf(result.reason) }
}

/**
 * Both lists, refreshed every {@link REFRESH_MS} while the page is visible (one request at a time;
 * hidden, it waits, and asks at once when shown again). Without storage it stops until `refresh()`.
 */
function useOutboxData(): OutboxData & { refresh: () => void } {
  const [data, setData] = useState<OutboxData>({ messages: {}, deliveries: {}, loading: true })
  const [round, setRound] = useState(0)
  const refresh = useCallback(() => setRound((n) => n + 1), [])

  // biome-ignore lint/correctness/useExhaustiveDependencies: `round` restarts the loop on "Refresh".
  useEffect(() => {
    let disposed = false
    let timer: ReturnType<typeof setTimeout> | undefined
    let controller: AbortController | undefined
    let stopped = false

    const schedule = () => {
      clearTimeout(timer)
      timer = undefined
      if (!disposed && !stopped && document.visibilityState === 'visible') timer = setTimeout(load, REFRESH_MS)
    }

    async function load() {
      if (controller) return // one request at a time
      const current = new AbortController()
      controller = current
      const timeout = setTimeout(() => current.abort(), TIMEOUT_MS)
      setData((d) => ({ ...d, loading: true }))
      const [messages, deliveries] = await Promise.allSettled([
        fetchMessages(current.signal),
        fetchDeliveries(current.signal),
      ])
      clearTimeout(timeout)
      controller = undefined
      if (disposed) return
      const problem =
        problemOf(messages.status === 'rejected' ? messages.reason : undefined) ??
        problemOf(deliveries.status === 'rejected' ? deliveries.reason : undefined)
      stopped = problem?.kind === 'no-storage'
      const anyLoaded = messages.status === 'fulfilled' || deliveries.status === 'fulfilled'
      setData((d) => ({
        messages: nextFeed(d.messages, messages),
        deliveries: nextFeed(d.deliveries, deliveries),
        ...(problem ? { problem } : {}),
        loading: false,
        ...(anyLoaded ? { updatedAt: Date.now() } : d.updatedAt !== undefined ? { updatedAt: d.updatedAt } : {}),
      }))
      schedule()
    }

    const onVisibility = () => {
      if (document.visibilityState === 'visible') {
        if (timer === undefined && !stopped) void load()
      } else {
        clearTimeout(timer)
        timer = undefined
      }
    }

    document.addEventListener('visibilitychange', onVisibility)
    void load()
    return () => {
      disposed = true
      clearTimeout(timer)
      controller?.abort()
      document.removeEventListener('visibilitychange', onVisibility)
    }
  }, [round])

  return { ...data, refresh }
}

// ------------------------------------------------------------------------------------ words

/** "Today, 17:31:10", "Yesterday, 09:02:00", "21 Nov, 17:31" (the app's language, the browser's time zone). */
export function formatWhen(iso: string, now = Date.now()): string {
  const at = new Date(iso)
  if (Number.isNaN(at.getTime())) return iso
  const language = currentLanguage()
  const time = at.toLocaleTimeString(language, { hour: '2-digit', minute: '2-digit', second: '2-digit' })
  const today = new Date(now)
  const yesterday = new Date(now)
  yesterday.setDate(yesterday.getDate() - 1)
  if (at.toDateString() === today.toDateString()) return i18n.t('outbox:today', { time })
  if (at.toDateString() === yesterday.toDateString()) return i18n.t('outbox:yesterday', { time })
  return at.toLocaleString(language, {
    day: 'numeric',
    month: 'short',
    ...(at.getFullYear() === today.getFullYear() ? {} : { year: 'numeric' }),
    hour: '2-digit',
    minute: '2-digit',
  })
}

/** The full date and time, for a tooltip. */
function formatFull(iso: string): string {
  const at = new Date(iso)
  return Number.isNaN(at.getTime())
    ? iso
    : at.toLocaleString(currentLanguage(), { dateStyle: 'full', timeStyle: 'long' })
}

/** "due now", "in 3 s", "in 4 min", or the moment when it is further away. */
export function formatIn(iso: string, now = Date.now()): string {
  const ms = new Date(iso).getTime() - now
  if (Number.isNaN(ms)) return iso
  if (ms <= 500) return i18n.t('outbox:dueNow')
  if (ms < 60_000) return i18n.t('outbox:inSeconds', { seconds: Math.ceil(ms / 1000) })
  if (ms < 3_600_000) return i18n.t('outbox:inMinutes', { minutes: Math.round(ms / 60_000) })
  return formatWhen(iso, now)
}

/** A delivery's kind in words, in the app's language; undefined for a kind we do not know. */
function knownKind(kind: string): string | undefined {
  switch (kind) {
    case 'email':
      return i18n.t('outbox:kind.email')
    case 'sms':
      return i18n.t('outbox:kind.sms')
    case 'documentLink':
      return i18n.t('outbox:kind.documentLink')
    case 'createDocument':
      return i18n.t('outbox:kind.createDocument')
    case 'sendForSigning':
      return i18n.t('outbox:kind.sendForSigning')
    case 'notification':
      return i18n.t('outbox:kind.notification')
    case 'task':
      return i18n.t('outbox:kind.task')
    case 'webhook':
      return i18n.t('outbox:kind.webhook')
    case 'notice':
      return i18n.t('outbox:kind.notice')
    case 'signingExpiry':
      return i18n.t('outbox:kind.signingExpiry')
    default:
      return undefined
  }
}

/** `createDocument` → "Create document"; unknown kinds are spelt out the same way. */
export function kindLabel(kind: string): string {
  const known = knownKind(kind)
  if (known) return known
  const words = kind.replace(/([a-z0-9])([A-Z])/g, '$1 $2').toLowerCase()
  return words.charAt(0).toUpperCase() + words.slice(1)
}

/** A server error as a sentence: a capital first, a full stop last. */
function sentence(text: string): string {
  const t = text.trim()
  if (t === '') return t
  const capital = t.charAt(0).toUpperCase() + t.slice(1)
  return /[.!?…]$/.test(capital) ? capital : `${capital}.`
}

/** Each status's colour: a soft chip with dark text (readable, WCAG AA), and the card's edge. */
const STATUS: Record<DeliveryStatus, { text: string; fill: string; edge: string }> = {
  pending: { text: '#7a4500', fill: '#fff1dc', edge: '#f0a640' },
  sending: { text: '#0b4a8b', fill: '#e3effc', edge: '#6aa5e0' },
  done: { text: '#1d5e2a', fill: '#e3f3e5', edge: '#6dbb7a' },
  failed: { text: '#a61b1b', fill: '#fde8e6', edge: '#e4665c' },
}

/** A status in words ("Pending"), in the app's language. */
function statusLabel(status: string): string {
  switch (status) {
    case 'pending':
      return i18n.t('outbox:status.pending')
    case 'sending':
      return i18n.t('outbox:status.sending')
    case 'done':
      return i18n.t('outbox:status.done')
    case 'failed':
      return i18n.t('outbox:status.failed')
    default:
      return status
  }
}
const UNKNOWN_STATUS = { text: '#4f5d60', fill: '#eef0ef', edge: '#dde2e0' }

const visuallyHidden = {
  position: 'absolute',
  width: '1px',
  height: '1px',
  overflow: 'hidden',
  clip: 'rect(0 0 0 0)',
  whiteSpace: 'nowrap',
} as const

// ------------------------------------------------------------------------------------ screen

export function Outbox() {
  const { t } = useTranslation('outbox')
  const { messages, deliveries, problem, loading, updatedAt, refresh } = useOutboxData()
  const noStorage = problem?.kind === 'no-storage'
  const sortedMessages = messages.items ? [...messages.items].sort(newestFirst) : undefined

  return (
    <>
      <Stack
        direction={{ xs: 'column', sm: 'row' }}
        spacing={{ xs: 1.5, sm: 3 }}
        sx={{ justifyContent: 'space-between', alignItems: { xs: 'stretch', sm: 'flex-end' }, mb: 2 }}
      >
        <Typography variant="body2" color="text.secondary" sx={{ maxWidth: '40rem' }}>
          {t('intro')}
        </Typography>
        <Stack
          direction="row"
          spacing={1.5}
          sx={{ alignItems: 'center', justifyContent: { xs: 'space-between', sm: 'flex-end' }, flexShrink: 0 }}
        >
          <Typography variant="body2" color="text.secondary" data-testid="outbox-updated">
            {noStorage
              ? t('notRefreshing')
              : updatedAt !== undefined
                ? t('updated', {
                    time: new Date(updatedAt).toLocaleTimeString(currentLanguage(), {
                      hour: '2-digit',
                      minute: '2-digit',
                      second: '2-digit',
                    }),
                    seconds: REFRESH_MS / 1000,
                  })
                : t('loading')}
          </Typography>
          <Button variant="outlined" size="small" startIcon={<RefreshIcon />} onClick={refresh}>
            {t('refresh')}
          </Button>
        </Stack>
      </Stack>

      <Box sx={{ minHeight: 4, mb: 2 }}>
        {loading && updatedAt === undefined && <LinearProgress aria-label={t('loadingAria')} />}
      </Box>

      {problem && <ProblemAlert problem={problem} onRetry={refresh} hasData={updatedAt !== undefined} />}

      {!noStorage && (
        <Box
          sx={{
            display: 'grid',
            gap: 3,
            alignItems: 'start',
            gridTemplateColumns: { xs: 'minmax(0, 1fr)', md: 'minmax(0, 7fr) minmax(0, 5fr)' },
          }}
        >
          <Section
            title={t('messages.title')}
            count={sortedMessages?.length}
            hint={t('messages.hint')}
            error={messages.error}
          >
            {sortedMessages &&
              (sortedMessages.length === 0 ? (
                <EmptyState title={t('messages.emptyTitle')}>{t('messages.empty')}</EmptyState>
              ) : (
                <Stack
                  component="ul"
                  spacing={1}
                  sx={{ listStyle: 'none', m: 0, p: 0 }}
                  aria-label={t('messages.title')}
                >
                  {sortedMessages.map((m) => (
                    <MessageItem key={m.id} message={m} />
                  ))}
                </Stack>
              ))}
          </Section>
          <Section
            title={t('deliveries.title')}
            count={deliveries.items?.length}
            hint={t('deliveries.hint')}
            error={deliveries.error}
          >
            {deliveries.items &&
              (deliveries.items.length === 0 ? (
                <EmptyState title={t('deliveries.emptyTitle')}>{t('deliveries.empty')}</EmptyState>
              ) : (
                <Stack
                  component="ul"
                  spacing={1}
                  sx={{ listStyle: 'none', m: 0, p: 0 }}
                  aria-label={t('deliveries.title')}
                >
                  {deliveries.items.map((d) => (
                    <DeliveryItem key={d.id} delivery={d} />
                  ))}
                </Stack>
              ))}
          </Section>
        </Box>
      )}
    </>
  )
}

function newestFirst(a: Message, b: Message): number {
  const byTime = Date.parse(b.receivedAt) - Date.parse(a.receivedAt)
  return Number.isNaN(byTime) || byTime === 0 ? b.id - a.id : byTime
}

function ProblemAlert({ problem, onRetry, hasData }: { problem: Problem; onRetry: () => void; hasData: boolean }) {
  const { t } = useTranslation('outbox')
  const retry = (
    <Button color="inherit" size="small" onClick={onRetry} sx={{ whiteSpace: 'nowrap' }}>
      {t('tryAgain')}
    </Button>
  )
  if (problem.kind === 'no-storage') {
    return (
      <Alert severity="warning" variant="outlined" sx={{ mb: 3, bgcolor: 'background.paper' }}>
        <AlertTitle>{t('noStorage.title')}</AlertTitle>
        <Typography variant="body2">
          <Trans t={t} i18nKey="noStorage.text" components={{ code: <code /> }} />
        </Typography>
      </Alert>
    )
  }
  return (
    <Alert severity="error" action={retry} sx={{ mb: 3 }}>
      <AlertTitle>{problem.kind === 'offline' ? t('offline') : t('notAnswering')}</AlertTitle>
      {problem.message} {hasData ? t('stale') : t('keepsTrying')}
    </Alert>
  )
}

function Section({
  title,
  count,
  hint,
  error,
  children,
}: {
  title: string
  count: number | undefined
  hint: string
  error: string | undefined
  children: ReactNode
}) {
  const { t } = useTranslation('outbox')
  const headingId = useId()
  return (
    <Paper variant="outlined" component="section" aria-labelledby={headingId} sx={{ p: { xs: 2, sm: 3 }, minWidth: 0 }}>
      <Stack direction="row" spacing={1} sx={{ alignItems: 'center' }}>
        <Typography variant="h2" id={headingId}>
          {title}
        </Typography>
        {count !== undefined && count > 0 && (
          <Chip size="small" label={count} aria-label={t('shown', { count })} sx={{ minWidth: 28 }} />
        )}
      </Stack>
      <Typography variant="body2" color="text.secondary" sx={{ mt: 0.5, mb: 2 }}>
        {hint}
      </Typography>
      {error && (
        <Alert severity="error" sx={{ mb: 2 }}>
          {error}
        </Alert>
      )}
      {children}
    </Paper>
  )
}

function EmptyState({ title, children }: { title: string; children: ReactNode }) {
  return (
    <Box
      sx={{
        display: 'grid',
        gridTemplateColumns: 'auto minmax(0, 1fr)',
        columnGap: 1.5,
        alignItems: 'start',
        border: 1,
        borderStyle: 'dashed',
        borderColor: 'divider',
        borderRadius: 2,
        px: 2,
        py: 1.75,
        bgcolor: 'background.default',
      }}
    >
      <InboxIcon sx={{ color: 'text.secondary', mt: '1px' }} aria-hidden />
      <Box>
        <Typography sx={{ fontWeight: 600 }}>{title}</Typography>
        <Typography variant="body2" color="text.secondary" sx={{ mt: 0.25 }}>
          {children}
        </Typography>
      </Box>
    </Box>
  )
}

function MessageItem({ message }: { message: Message }) {
  const { t } = useTranslation('outbox')
  const [open, setOpen] = useState(false)
  const bodyId = useId()
  const isEmail = message.channel === 'email'
  const preview = message.body.replace(/\s+/g, ' ').trim()
  return (
    <Box
      component="li"
      data-message-id={message.id}
      data-channel={message.channel}
      sx={{
        border: 1,
        borderColor: 'divider',
        borderRadius: 2,
        borderLeftWidth: 4,
        borderLeftColor: isEmail ? 'primary.light' : 'secondary.light',
        px: 1.75,
        py: 1.25,
      }}
    >
      <Box sx={{ display: 'grid', gridTemplateColumns: 'auto minmax(0, 1fr)', columnGap: 1.5, alignItems: 'start' }}>
        <Box
          role="img"
          aria-label={isEmail ? t('kind.email') : t('kind.sms')}
          title={isEmail ? t('kind.email') : t('kind.sms')}
          sx={{
            width: 36,
            height: 36,
            borderRadius: '50%',
            display: 'grid',
            placeItems: 'center',
            mt: 0.25,
            color: isEmail ? 'primary.main' : 'secondary.main',
            bgcolor: isEmail ? 'rgba(47, 93, 98, 0.1)' : 'rgba(138, 90, 0, 0.1)',
          }}
        >
          {isEmail ? <MailIcon fontSize="small" /> : <SmsIcon fontSize="small" />}
        </Box>
        <Box sx={{ minWidth: 0 }}>
          <Box
            sx={{
              display: 'flex',
              flexWrap: 'wrap',
              justifyContent: 'space-between',
              alignItems: 'baseline',
              columnGap: 1.5,
            }}
          >
            <Typography sx={{ fontWeight: 600, overflowWrap: 'anywhere', minWidth: 0 }}>
              <Box component="span" sx={{ color: 'text.secondary', fontWeight: 400 }}>
                {t('to')}{' '}
              </Box>
              <span>{message.to || t('noRecipient')}</span>
            </Typography>
            <Typography
              variant="body2"
              color="text.secondary"
              component="time"
              dateTime={message.receivedAt}
              title={t('receivedAt', { when: formatFull(message.receivedAt) })}
              sx={{ whiteSpace: 'nowrap' }}
            >
              <Box component="span" sx={visuallyHidden}>
                {t('received')}{' '}
              </Box>
              {formatWhen(message.receivedAt)}
            </Typography>
          </Box>
          {isEmail && (
            <Typography sx={{ overflowWrap: 'anywhere' }} data-testid="message-subject">
              {message.subject?.trim() ? (
                message.subject
              ) : (
                <Box component="span" sx={{ color: 'text.secondary', fontStyle: 'italic' }}>
                  {t('noSubject')}
                </Box>
              )}
            </Typography>
          )}
          {(message.attachments?.length ?? 0) > 0 && (
            <Box
              component="ul"
              aria-label={t('attachments')}
              sx={{ listStyle: 'none', p: 0, m: 0, mt: 0.5, display: 'flex', flexWrap: 'wrap', gap: 0.75 }}
            >
              {message.attachments?.map((a) => (
                <Box
                  component="li"
                  key={`${a.sha256}:${a.filename ?? ''}`}
                  data-testid="message-attachment"
                  title={t('attachmentTitle', {
                    type: a.contentType,
                    size: a.size.toLocaleString(currentLanguage()),
                    count: a.size,
                  })}
                  sx={{
                    display: 'inline-flex',
                    alignItems: 'center',
                    gap: 0.5,
                    px: 1,
                    py: 0.25,
                    maxWidth: '100%',
                    border: 1,
                    borderColor: 'divider',
                    borderRadius: 1,
                    typography: 'body2',
                  }}
                >
                  <FileIcon fontSize="inherit" aria-hidden sx={{ color: 'text.secondary' }} />
                  <Box component="span" sx={{ overflowWrap: 'anywhere' }}>
                    {a.filename ?? t('attachment')}
                  </Box>
                  <Box component="span" sx={{ color: 'text.secondary', whiteSpace: 'nowrap' }}>
                    {formatSize(a.size)}
                  </Box>
                </Box>
              ))}
            </Box>
          )}
          {!open && preview !== '' && (
            <Typography variant="body2" color="text.secondary" noWrap aria-hidden sx={{ mt: 0.25 }}>
              {preview}
            </Typography>
          )}
          <Button
            size="small"
            onClick={() => setOpen((o) => !o)}
            aria-expanded={open}
            aria-controls={bodyId}
            endIcon={
              <ExpandMoreIcon
                sx={{ transition: 'transform 150ms', transform: open ? 'rotate(180deg)' : 'none' }}
                aria-hidden
              />
            }
            sx={{ mt: 0.5, ml: -0.75, px: 0.75 }}
          >
            {open ? t('hide') : t('show')}
          </Button>
          <Collapse in={open}>
            <Box
              id={bodyId}
              data-testid="message-body"
              sx={{
                mt: 0.75,
                p: 1.5,
                borderRadius: 1.5,
                bgcolor: 'background.default',
                border: 1,
                borderColor: 'divider',
                whiteSpace: 'pre-wrap',
                overflowWrap: 'anywhere',
                typography: 'body2',
              }}
            >
              {message.body.trim() === '' ? <em>{t('emptyMessage')}</em> : <LinkedText text={message.body} />}
            </Box>
          </Collapse>
        </Box>
      </Box>
    </Box>
  )
}

function DeliveryItem({ delivery }: { delivery: Delivery }) {
  const { t } = useTranslation('outbox')
  const status = STATUS[delivery.status] ?? UNKNOWN_STATUS
  const waiting = delivery.status === 'pending' || delivery.status === 'sending'
  const error = delivery.lastError?.trim() ? delivery.lastError : undefined
  const showError = error !== undefined && (delivery.status === 'failed' || delivery.status === 'pending')
  const facts: Array<{ label: string; value: ReactNode }> = [
    { label: t('attempts'), value: delivery.attempts },
    ...(waiting
      ? [
          {
            label: t('nextAttempt'),
            value:
              delivery.status === 'sending' ? (
                t('now')
              ) : delivery.nextAttemptAt === null ? (
                t('signersTurn')
              ) : (
                <time dateTime={delivery.nextAttemptAt} title={formatFull(delivery.nextAttemptAt)}>
                  {formatIn(delivery.nextAttemptAt)}
                </time>
              ),
          },
        ]
      : []),
    {
      label: t('queued'),
      value: (
        <time dateTime={delivery.createdAt} title={formatFull(delivery.createdAt)}>
          {formatWhen(delivery.createdAt)}
        </time>
      ),
    },
    { label: t('element'), value: delivery.elementId },
  ]
  return (
    <Box
      component="li"
      data-delivery-id={delivery.id}
      data-kind={delivery.kind}
      data-status={delivery.status}
      sx={{
        border: 1,
        borderColor: 'divider',
        borderRadius: 2,
        borderLeftWidth: 4,
        borderLeftColor: status.edge,
        px: 1.75,
        py: 1.25,
      }}
    >
      <Box sx={{ display: 'grid', gridTemplateColumns: 'minmax(0, 1fr) auto', columnGap: 1, alignItems: 'center' }}>
        <Typography component="span" sx={{ fontWeight: 600, overflowWrap: 'anywhere' }}>
          {kindLabel(delivery.kind)}
        </Typography>
        <Chip
          size="small"
          label={statusLabel(delivery.status)}
          sx={{ minWidth: 76, color: status.text, bgcolor: status.fill, border: 1, borderColor: status.edge }}
        />
      </Box>
      <Box component="dl" sx={{ display: 'flex', flexWrap: 'wrap', columnGap: 3, rowGap: 0.75, m: 0, mt: 0.75 }}>
        {facts.map((f) => (
          <Box key={f.label} sx={{ minWidth: 0, maxWidth: '100%' }}>
            <Typography component="dt" variant="caption" color="text.secondary" sx={{ display: 'block' }}>
              {f.label}
            </Typography>
            <Typography component="dd" variant="body2" sx={{ m: 0, overflowWrap: 'anywhere' }}>
              {f.value}
            </Typography>
          </Box>
        ))}
      </Box>
      {showError && (
        <Box
          data-testid="delivery-error"
          sx={{
            mt: 1,
            display: 'grid',
            gridTemplateColumns: 'auto minmax(0, 1fr)',
            columnGap: 0.75,
            alignItems: 'start',
            color: delivery.status === 'failed' ? STATUS.failed.text : STATUS.pending.text,
          }}
        >
          {delivery.status === 'failed' ? (
            <ErrorIcon sx={{ fontSize: 18, mt: '1px' }} aria-hidden />
          ) : (
            <WarningIcon sx={{ fontSize: 18, mt: '1px' }} aria-hidden />
          )}
          <Typography variant="body2" component="p" sx={{ m: 0, overflowWrap: 'anywhere' }}>
            <strong>
              {delivery.status === 'failed' ? t('gaveUp', { count: delivery.attempts }) : t('willRetry')}{' '}
            </strong>
            <Box component="span" sx={{ color: 'text.primary' }}>
              {sentence(error)}
            </Box>
          </Typography>
        </Box>
      )}
    </Box>
  )
}

/** Text with its web addresses (http and https only) as links that open in a new tab; everything else stays text. */
function LinkedText({ text }: { text: string }) {
  const parts = text.split(/(https?:\/\/[^\s<>"']+)/g)
  return (
    <>
      {parts.map((part, i) =>
        i % 2 === 1 ? (
          // biome-ignore lint/suspicious/noArrayIndexKey: the parts of one fixed text, in order
          <a key={i} href={part} target="_blank" rel="noopener noreferrer">
            {part}
          </a>
        ) : (
          part
        ),
      )}
    </>
  )
}
