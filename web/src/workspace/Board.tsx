/**
 * The sales board: a pipeline's stages as columns with its elements as cards (title, amount, client,
 * responsible person, where the signing stands). Drag a card to another column — or use its "Move to" menu —
 * and the server runs that stage's automation; a card passes over other columns without entering them. Search
 * and filters narrow the cards; the board refreshes itself while it is open.
 */
import Alert from '@mui/material/Alert'
import Box from '@mui/material/Box'
import Chip from '@mui/material/Chip'
import IconButton from '@mui/material/IconButton'
import Link from '@mui/material/Link'
import Menu from '@mui/material/Menu'
import MenuItem from '@mui/material/MenuItem'
import Paper from '@mui/material/Paper'
import Snackbar from '@mui/material/Snackbar'
import Stack from '@mui/material/Stack'
import TextField from '@mui/material/TextField'
import Typography from '@mui/material/Typography'
import { type DragEvent, memo, useCallback, useEffect, useMemo, useRef, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { ApiError } from '../api.js'
import { useFormat } from '../i18n/index.js'
import { hrefOf } from '../route.js'
import { useMay } from './may.js'
import { SigningBadge } from './parts.js'
import { usePolling } from './polling.js'
import {
  type BoardCard,
  type Board as BoardData,
  type BoardFilter,
  fetchBoard,
  fetchPipelineList,
  fetchUsers,
  moveElement,
  type Pipeline,
  type User,
} from './workspace-api.js'

/** How often an open board asks for changes made by the automation and by others. */
const REFRESH_MS = 4000
const DRAG_TYPE = 'application/x-signflow-element'

export function Board({ pipelineId }: { pipelineId?: string | undefined }) {
  const { t } = useTranslation('workspace')
  const may = useMay()
  const [pipelines, setPipelines] = useState<Pipeline[] | undefined>()
  const [users, setUsers] = useState<User[]>([])
  const [problem, setProblem] = useState<string | undefined>()
  const [filter, setFilter] = useState<BoardFilter>({})
  const [search, setSearch] = useState('')

  useEffect(() => {
    const abort = new AbortController()
    fetchPipelineList(abort.signal).then(setPipelines, (e) => {
      if (e instanceof ApiError) setProblem(e.message)
    })
    fetchUsers(abort.signal).then(setUsers, () => setUsers([]))
    return () => abort.abort()
  }, [])
  // The search applies once typing pauses.
  useEffect(() => {
    const timer = setTimeout(() => setFilter((f) => (f.q === search ? f : { ...f, q: search })), 250)
    return () => clearTimeout(timer)
  }, [search])

  const pipeline = pipelines?.find((p) => p.id === pipelineId) ?? pipelines?.[0]
  if (problem) return <Alert severity="error">{problem}</Alert>
  if (!pipelines) return null
  if (!pipeline) return <Alert severity="info">{t('board.noPipeline')}</Alert>

  return (
    <Box component="section" aria-labelledby="board-title" sx={{ display: 'grid', gap: 2 }}>
      <Stack direction="row" spacing={1.5} useFlexGap sx={{ flexWrap: 'wrap', alignItems: 'center' }}>
        <Typography id="board-title" variant="h2" sx={{ mr: 1 }}>
          {t('board.title')}
        </Typography>
        <TextField
          select
          size="small"
          label={t('board.pipeline')}
          value={pipeline.id}
          onChange={(e) => {
            window.location.hash = hrefOf('board', e.target.value)
          }}
          sx={{ minWidth: 260 }}
        >
          {pipelines.map((p) => (
            <MenuItem key={p.id} value={p.id}>
              {p.name}
            </MenuItem>
          ))}
        </TextField>
        <TextField
          size="small"
          type="search"
          label={t('board.search')}
          placeholder={t('board.searchPlaceholder')}
          value={search}
          onChange={(e) => setSearch(e.target.value)}
          sx={{ minWidth: 240 }}
        />
        <TextField
          select
          size="small"
          label={t('board.responsible')}
          value={filter.responsible ?? ''}
          onChange={(e) =>
            setFilter(({ responsible: _, ...f }) => (e.target.value ? { ...f, responsible: e.target.value } : f))
          }
          sx={{ minWidth: 180 }}
        >
          <MenuItem value="">{t('board.anyone')}</MenuItem>
          {users.map((u) => (
            <MenuItem key={u.id} value={u.id}>
              {u.name}
            </MenuItem>
          ))}
        </TextField>
        <TextField
          select
          size="small"
          label={t('board.signing')}
          value={filter.signing ?? ''}
          onChange={(e) =>
            setFilter(({ signing: _, ...f }) =>
              e.target.value ? { ...f, signing: e.target.value as NonNullable<BoardFilter['signing']> } : f,
            )
          }
          sx={{ minWidth: 170 }}
        >
          <MenuItem value="">{t('board.signingAny')}</MenuItem>
          <MenuItem value="none">{t('board.signingNone')}</MenuItem>
          <MenuItem value="waiting">{t('board.signingWaiting')}</MenuItem>
          <MenuItem value="signed">{t('board.signingSigned')}</MenuItem>
          <MenuItem value="declined">{t('board.signingDeclined')}</MenuItem>
        </TextField>
      </Stack>
      {!may('moveElement') && (
        <Alert severity="info" variant="outlined">
          {t('board.readOnly')}
        </Alert>
      )}
      <Columns key={pipeline.id} pipeline={pipeline} filter={filter} canMove={may('moveElement')} />
    </Box>
  )
}

function Columns({ pipeline, filter, canMove }: { pipeline: Pipeline; filter: BoardFilter; canMove: boolean }) {
  const { t } = useTranslation('workspace')
  const [board, setBoard] = useState<BoardData | undefined>()
  const [problem, setProblem] = useState<string | undefined>()
  const [notice, setNotice] = useState<{ severity: 'success' | 'error'; text: string } | undefined>()
  const [over, setOver] = useState<string | undefined>()
  // Moves in flight: the card shows where it was dropped until the server answers.
  const [moving, setMoving] = useState<ReadonlyMap<string, string>>(new Map())
  const filterKey = JSON.stringify(filter)
  const latest = useRef(0)

  const load = useCallback(
    async (signal?: AbortSignal) => {
      const ask = ++latest.current
      try {
        const got = await fetchBoard(pipeline.id, JSON.parse(filterKey) as BoardFilter, signal)
        if (ask === latest.current) {
          setBoard(got)
          setProblem(undefined)
        }
      } catch (e) {
        if (e instanceof ApiError && ask === latest.current) setProblem(e.message)
      }
    },
    [pipeline.id, filterKey],
  )
  usePolling(load, REFRESH_MS)

  const move = useCallback(
    async (card: BoardCard, stage: string) => {
      if (card.stage === stage) return
      setMoving((m) => new Map(m).set(card.id, stage))
      try {
        const moved = await moveElement(card.id, stage)
        const name = (id: string | null) => pipeline.stages.find((s) => s.id === id)?.name ?? id ?? t('board.noStage')
        setNotice({
          severity: 'success',
          text:
            moved.stage === stage
              ? t('board.moved', { title: card.title, stage: name(stage) })
              : t('board.movedOn', { title: card.title, stage: name(stage), next: name(moved.stage) }),
        })
      } catch (e) {
        setNotice({
          severity: 'error',
          text: e instanceof ApiError ? e.message : t('board.notMoved', { title: card.title }),
        })
      } finally {
        setMoving((m) => {
          const next = new Map(m)
          next.delete(card.id)
          return next
        })
        await load()
      }
    },
    [load, pipeline.stages, t],
  )

  const byStage = useMemo(() => {
    const out = new Map<string, BoardCard[]>()
    for (const card of board?.items ?? []) {
      const stage = moving.get(card.id) ?? card.stage ?? ''
      const column = out.get(stage)
      if (column) column.push(card)
      else out.set(stage, [card])
    }
    return out
  }, [board, moving])

  const onDrop = (stage: string) => (e: DragEvent) => {
    e.preventDefault()
    setOver(undefined)
    const id = e.dataTransfer.getData(DRAG_TYPE)
    const card = board?.items.find((c) => c.id === id)
    if (card) void move(card, stage)
  }

  return (
    <>
      {problem && <Alert severity="error">{problem}</Alert>}
      {board?.truncated && (
        <Alert severity="warning" variant="outlined">
          {t('board.truncated', { count: board.items.length })}
        </Alert>
      )}
      <Box
        role="list"
        aria-label={t('board.stagesOf', { pipeline: pipeline.name })}
        sx={{ display: 'flex', gap: 1.5, overflowX: 'auto', pb: 1, alignItems: 'flex-start' }}
      >
        {pipeline.stages.map((stage) => {
          const cards = byStage.get(stage.id) ?? []
          return (
            <Paper
              key={stage.id}
              role="listitem"
              aria-label={t('board.stage', { stage: stage.name })}
              data-stage={stage.id}
              variant="outlined"
              onDragOver={
                canMove
                  ? (e) => {
                      if (!e.dataTransfer.types.includes(DRAG_TYPE)) return
                      e.preventDefault()
                      e.dataTransfer.dropEffect = 'move'
                      if (over !== stage.id) setOver(stage.id)
                    }
                  : undefined
              }
              onDragLeave={(e) => {
                if (!e.currentTarget.contains(e.relatedTarget as Node | null)) setOver(undefined)
              }}
              onDrop={canMove ? onDrop(stage.id) : undefined}
              sx={{
                // As wide as the screen allows, no narrower than a readable card: five stages fit a laptop.
                flex: '1 0 220px',
                maxWidth: 340,
                minHeight: 160,
                p: 1,
                display: 'grid',
                gap: 1,
                alignContent: 'start',
                bgcolor: over === stage.id ? 'action.selected' : 'grey.50',
                borderTop: `4px solid ${stage.color || '#90a4ae'}`,
                outline: over === stage.id ? '2px dashed' : 'none',
                outlineColor: 'primary.main',
              }}
            >
              <Stack direction="row" sx={{ alignItems: 'baseline', justifyContent: 'space-between', px: 0.5 }}>
                <Typography variant="subtitle2" component="h3">
                  {stage.name}
                </Typography>
                <Typography variant="caption" color="text.secondary" data-testid="stage-count">
                  {board?.counts[stage.id] ?? 0}
                </Typography>
              </Stack>
              {cards.length === 0 && (
                <Typography variant="caption" color="text.secondary" sx={{ px: 0.5 }}>
                  {canMove ? t('board.emptyDrop') : t('board.empty')}
                </Typography>
              )}
              {cards.map((card) => (
                <Card
                  key={card.id}
                  card={card}
                  stages={pipeline.stages}
                  canMove={canMove}
                  pending={moving.has(card.id)}
                  onMove={move}
                />
              ))}
            </Paper>
          )
        })}
      </Box>
      <Snackbar
        open={notice !== undefined}
        autoHideDuration={notice?.severity === 'error' ? null : 5000}
        onClose={() => setNotice(undefined)}
        anchorOrigin={{ vertical: 'bottom', horizontal: 'center' }}
      >
        <Alert severity={notice?.severity ?? 'success'} onClose={() => setNotice(undefined)} variant="filled">
          {notice?.text}
        </Alert>
      </Snackbar>
    </>
  )
}

const Card = memo(function Card({
  card,
  stages,
  canMove,
  pending,
  onMove,
}: {
  card: BoardCard
  stages: Pipeline['stages']
  canMove: boolean
  pending: boolean
  onMove: (card: BoardCard, stage: string) => void
}) {
  const { t } = useTranslation('workspace')
  const { money } = useFormat()
  const [menu, setMenu] = useState<HTMLElement | null>(null)
  return (
    <Paper
      data-testid="board-card"
      data-element={card.id}
      aria-label={card.title}
      draggable={canMove && !pending}
      onDragStart={(e) => {
        e.dataTransfer.setData(DRAG_TYPE, card.id)
        e.dataTransfer.effectAllowed = 'move'
      }}
      sx={{
        p: 1.25,
        display: 'grid',
        gap: 0.5,
        cursor: canMove ? 'grab' : 'default',
        opacity: pending ? 0.6 : 1,
        '&:hover': { boxShadow: 3 },
      }}
    >
      <Stack direction="row" sx={{ alignItems: 'flex-start', gap: 0.5 }}>
        <Link
          href={hrefOf('element', card.id)}
          underline="hover"
          sx={{ fontWeight: 600, flex: 1, minWidth: 0, overflowWrap: 'anywhere' }}
        >
          {card.title}
        </Link>
        {canMove && (
          <>
            <IconButton
              size="small"
              aria-label={t('board.moveCard', { title: card.title })}
              onClick={(e) => setMenu(e.currentTarget)}
              sx={{ mt: -0.5, mr: -0.5 }}
            >
              ⋮
            </IconButton>
            <Menu anchorEl={menu} open={menu !== null} onClose={() => setMenu(null)}>
              <MenuItem disabled dense>
                {t('board.moveTo')}
              </MenuItem>
              {stages
                .filter((s) => s.id !== card.stage)
                .map((s) => (
                  <MenuItem
                    key={s.id}
                    onClick={() => {
                      setMenu(null)
                      onMove(card, s.id)
                    }}
                  >
                    {s.name}
                  </MenuItem>
                ))}
            </Menu>
          </>
        )}
      </Stack>
      {card.amount !== null && (
        <Typography variant="body2" sx={{ fontVariantNumeric: 'tabular-nums' }}>
          {money(card.amount, card.currency)}
        </Typography>
      )}
      {card.client && (
        <Typography variant="body2" color="text.secondary" noWrap title={card.client.name}>
          {card.client.name}
        </Typography>
      )}
      <Stack direction="row" sx={{ alignItems: 'center', justifyContent: 'space-between', gap: 1, flexWrap: 'wrap' }}>
        <Typography variant="caption" color="text.secondary">
          {card.responsible?.name ?? t('board.noResponsible')}
        </Typography>
        {card.signing && <SigningBadge signing={card.signing} />}
        {pending && <Chip size="small" label={t('board.moving')} />}
      </Stack>
    </Paper>
  )
})
