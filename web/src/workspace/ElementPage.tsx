/**
 * An element's page: its fields (editable), client and responsible person; the Automation tab — per stage,
 * what each rule did for this element (waiting until …, running, done, skipped and why, failed with the error
 * and Retry) and the triggers that fired; the timeline of everything that happened; its documents with each
 * party's signing progress; and the Sign wizard. It refreshes itself while the automation works.
 */
import Alert from '@mui/material/Alert'
import Box from '@mui/material/Box'
import Button from '@mui/material/Button'
import Chip from '@mui/material/Chip'
import Link from '@mui/material/Link'
import MenuItem from '@mui/material/MenuItem'
import Paper from '@mui/material/Paper'
import Stack from '@mui/material/Stack'
import Step from '@mui/material/Step'
import StepLabel from '@mui/material/StepLabel'
import Stepper from '@mui/material/Stepper'
import Tab from '@mui/material/Tab'
import Tabs from '@mui/material/Tabs'
import TextField from '@mui/material/TextField'
import Typography from '@mui/material/Typography'
import { useCallback, useEffect, useMemo, useState } from 'react'
import type { Json } from '../../../shared/engine/types.js'
import { fieldIndex } from '../../../shared/graph/fields.js'
import type { Graph } from '../../../shared/graph/graph.js'
import { ApiError, fetchMe, fetchVersion } from '../api.js'
import { hrefOf } from '../route.js'
import { useMay } from './may.js'
import { money, SigningBadge, when } from './parts.js'
import { SignWizard } from './SignWizard.js'
import { elementTimeline, type Line } from './timeline.js'
import {
  changeFields,
  type DocumentView,
  type Element,
  fetchCompany,
  fetchContact,
  fetchDocuments,
  fetchElement,
  fetchHistory,
  fetchPipeline,
  fetchUsers,
  type HistoryRecord,
  moveElement,
  type Pipeline,
  type RuleState,
  retryRule,
  type User,
} from './workspace-api.js'

const REFRESH_MS = 3000
/** Fields the page shows elsewhere, or that the server keeps for itself. */
const SYSTEM_FIELDS = new Set(['id', 'stage', 'createdAt', 'updatedAt', 'responsible'])

interface ClientView {
  name: string
  email: string
  phone: string
  company?: string
  requisites?: Record<string, string>
  addresses?: Record<string, Record<string, string>>
}

const REQUISITE_LABELS: Record<string, string> = {
  name: 'Legal name',
  taxId: 'Tax ID',
  vatId: 'VAT ID',
  registrationNumber: 'Registration number',
  director: 'Director',
  bankName: 'Bank',
  bankAccount: 'Account',
  bic: 'BIC',
}

interface Loaded {
  element: Element
  pipeline: Pipeline
  history: HistoryRecord[]
  documents: DocumentView[]
}

export function ElementPage({ id }: { id: string }) {
  const may = useMay()
  const [loaded, setLoaded] = useState<Loaded | undefined>()
  const [graph, setGraph] = useState<Graph | undefined>()
  const [users, setUsers] = useState<User[]>([])
  const [me, setMe] = useState<string | undefined>()
  const [client, setClient] = useState<ClientView | undefined>()
  const [problem, setProblem] = useState<string | undefined>()
  const [tab, setTab] = useState<'details' | 'automation' | 'timeline' | 'documents'>('automation')
  const [signing, setSigning] = useState(false)
  const [notice, setNotice] = useState<{ severity: 'success' | 'error'; text: string } | undefined>()

  const load = useCallback(
    async (signal?: AbortSignal) => {
      try {
        const element = await fetchElement(id, signal)
        const [pipeline, history, documents] = await Promise.all([
          fetchPipeline(element.pipelineId, signal),
          fetchHistory(id, signal),
          fetchDocuments(id, signal),
        ])
        setLoaded({ element, pipeline, history, documents })
        setProblem(undefined)
      } catch (e) {
        if (e instanceof ApiError) setProblem(e.status === 404 ? `There is no element “${id}”.` : e.message)
      }
    },
    [id],
  )
  useEffect(() => {
    const abort = new AbortController()
    void load(abort.signal)
    const timer = setInterval(() => {
      if (document.visibilityState === 'visible') void load(abort.signal)
    }, REFRESH_MS)
    fetchUsers(abort.signal).then(setUsers, () => setUsers([]))
    fetchMe(abort.signal).then(
      (who) => setMe(typeof who === 'object' ? who.user.id : undefined),
      () => undefined,
    )
    return () => {
      abort.abort()
      clearInterval(timer)
    }
  }, [load])

  // The flow version the element runs, for the names of its stages, rules and triggers.
  const versionId = loaded?.element.flowVersionId ?? loaded?.pipeline.version?.id
  useEffect(() => {
    if (!versionId) return
    const at = versionId.lastIndexOf('@')
    const abort = new AbortController()
    fetchVersion(versionId.slice(0, at), Number(versionId.slice(at + 1)), abort.signal).then(setGraph, () => undefined)
    return () => abort.abort()
  }, [versionId])

  // The client: the contact (or company) row, else the element's own client fields.
  const contactId = loaded?.element.contactId
  const companyId = loaded?.element.companyId
  const fields = loaded?.element.fields
  useEffect(() => {
    const abort = new AbortController()
    const own = {
      name: String(fields?.['client.name'] ?? ''),
      email: String(fields?.['client.email'] ?? ''),
      phone: String(fields?.['client.phone'] ?? ''),
    }
    ;(async () => {
      const contact = contactId ? await fetchContact(contactId, abort.signal).catch(() => undefined) : undefined
      const company = companyId ? await fetchCompany(companyId, abort.signal).catch(() => undefined) : undefined
      // Requisites: the company's for a company, else the contact's own (a sole proprietor's).
      const requisites = { ...(contact?.requisites?.fields ?? {}), ...(company?.requisites ?? {}) }
      const addresses = { ...(contact?.requisites?.addresses ?? {}), ...(company?.addresses ?? {}) }
      setClient({
        name: contact?.name ?? company?.name ?? own.name,
        email: contact?.email ?? own.email,
        phone: contact?.phone ?? own.phone,
        ...(company ? { company: company.name } : {}),
        requisites,
        addresses,
      })
    })()
    return () => abort.abort()
  }, [contactId, companyId, fields])

  if (problem && !loaded) return <Alert severity="error">{problem}</Alert>
  if (!loaded) return null
  const { element, pipeline, history, documents } = loaded
  const stageName = (s: string | null) => pipeline.stages.find((x) => x.id === s)?.name ?? s ?? 'no stage'
  const responsible = users.find((u) => u.id === element.responsible)

  const act = async (what: () => Promise<unknown>, done: string) => {
    try {
      await what()
      setNotice({ severity: 'success', text: done })
    } catch (e) {
      setNotice({ severity: 'error', text: e instanceof ApiError ? e.message : 'That did not work.' })
    }
    await load()
  }

  return (
    <Box component="article" aria-labelledby="element-title" sx={{ display: 'grid', gap: 2 }}>
      <Link href={hrefOf('board', pipeline.id)} underline="hover" sx={{ justifySelf: 'start' }}>
        ← {pipeline.name}
      </Link>
      <Stack direction="row" spacing={2} useFlexGap sx={{ alignItems: 'center', flexWrap: 'wrap' }}>
        <Typography id="element-title" variant="h2" sx={{ overflowWrap: 'anywhere' }}>
          {element.title}
        </Typography>
        <Chip label={stageName(element.stage)} color="primary" variant="outlined" data-testid="element-stage" />
        {typeof element.fields.amount === 'number' && (
          <Typography variant="h3" component="p" sx={{ fontVariantNumeric: 'tabular-nums' }}>
            {money(element.fields.amount, typeof element.fields.currency === 'string' ? element.fields.currency : null)}
          </Typography>
        )}
        <Box sx={{ flex: 1 }} />
        {may('moveElement') && (
          <TextField
            select
            size="small"
            label="Move to"
            value=""
            onChange={(e) =>
              void act(() => moveElement(element.id, e.target.value), `Moved to “${stageName(e.target.value)}”.`)
            }
            sx={{ minWidth: 180 }}
          >
            {pipeline.stages
              .filter((s) => s.id !== element.stage)
              .map((s) => (
                <MenuItem key={s.id} value={s.id}>
                  {s.name}
                </MenuItem>
              ))}
          </TextField>
        )}
        {may('sendForSigning') && (
          <Button variant="contained" onClick={() => setSigning(true)}>
            Sign…
          </Button>
        )}
      </Stack>
      <Typography variant="body2" color="text.secondary">
        {client?.name ? `Client: ${client.name}${client.company ? ` (${client.company})` : ''} · ` : ''}
        Responsible: {responsible?.name ?? element.responsible ?? 'no one'} · Updated {when(element.updatedAt)}
      </Typography>
      {notice && (
        <Alert severity={notice.severity} onClose={() => setNotice(undefined)} data-testid="element-notice">
          {notice.text}
        </Alert>
      )}
      <Tabs value={tab} onChange={(_, t) => setTab(t)} variant="scrollable" allowScrollButtonsMobile>
        <Tab value="automation" label="Automation" />
        <Tab value="details" label="Details" />
        <Tab value="timeline" label="Timeline" />
        <Tab value="documents" label={`Documents (${documents.length})`} />
      </Tabs>
      {tab === 'automation' && (
        <Automation
          element={element}
          pipeline={pipeline}
          graph={graph}
          history={history}
          canRetry={may('retryRule')}
          onRetry={(rule) => void act(() => retryRule(element.id, rule.id), `“${rule.title}” runs again.`)}
        />
      )}
      {tab === 'details' && (
        <Details
          element={element}
          graph={graph}
          canEdit={may('changeFields')}
          client={client}
          onSave={(changed) => act(() => changeFields(element.id, changed), 'Saved.')}
        />
      )}
      {tab === 'timeline' && <Timeline history={history} graph={graph} documents={documents} users={users} />}
      {tab === 'documents' && <Documents documents={documents} />}
      {signing && client && (
        <SignWizard
          element={element}
          documents={documents}
          users={users}
          me={me}
          client={client}
          onClose={() => setSigning(false)}
          onSent={() => void load()}
        />
      )}
    </Box>
  )
}

// ------------------------------------------------------------ automation

const STATE_LOOK: Record<
  RuleState['state'],
  { label: string; color: 'default' | 'info' | 'success' | 'warning' | 'error' }
> = {
  pending: { label: 'Not started', color: 'default' },
  scheduled: { label: 'Waiting', color: 'info' },
  running: { label: 'Running', color: 'info' },
  done: { label: 'Done', color: 'success' },
  skipped: { label: 'Skipped', color: 'warning' },
  failed: { label: 'Failed', color: 'error' },
  cancelled: { label: 'Cancelled', color: 'default' },
  notRun: { label: 'Not run', color: 'default' },
}

const RULE_RECORD_STATE: Record<string, RuleState['state']> = {
  'rule.scheduled': 'scheduled',
  'rule.started': 'running',
  'rule.finished': 'done',
  'rule.skipped': 'skipped',
  'rule.failed': 'failed',
  'rule.cancelled': 'cancelled',
  'rule.notRun': 'notRun',
}

interface Shown {
  id: string
  title: string
  state: RuleState['state']
  detail?: string | undefined
  at?: string | undefined
}

/** A rule's state in a stay already over, read from the history: its last record after the stage was entered. */
function pastStates(history: HistoryRecord[], stage: string): Map<string, Shown> {
  const entered = history.findLast((h) => h.type === 'stage.entered' && h.record.stage === stage)?.seq
  const out = new Map<string, Shown>()
  if (entered === undefined) return out
  for (const h of history) {
    if (h.seq < entered) continue
    if (h.type === 'stage.entered' && h.seq > entered) break
    const state = RULE_RECORD_STATE[h.type]
    const node = h.record.node
    if (!state || typeof node !== 'string') continue
    const detail =
      typeof h.record.reason === 'string'
        ? h.record.reason
        : typeof h.record.error === 'string'
          ? h.record.error
          : undefined
    out.set(node, { id: node, title: node, state, detail, at: h.at })
  }
  return out
}

function Automation({
  element,
  pipeline,
  graph,
  history,
  canRetry,
  onRetry,
}: {
  element: Element
  pipeline: Pipeline
  graph: Graph | undefined
  history: HistoryRecord[]
  canRetry: boolean
  onRetry: (rule: RuleState) => void
}) {
  // Where it was made counts as reached, as every stage it entered or left.
  const entered = new Set(
    history.flatMap((h) =>
      h.type === 'stage.entered'
        ? [String(h.record.stage), String(h.record.from)]
        : h.type === 'element.added'
          ? [String(h.record.stage)]
          : [],
    ),
  )
  const fired = history.filter((h) => h.type === 'trigger.considered' && h.record.fired === true)
  if (!element.flowVersionId && history.length === 0) {
    return (
      <Alert severity="info" variant="outlined">
        No automation has run for this element yet: move it to a stage and that stage’s rules start.
      </Alert>
    )
  }
  const stages = graph?.pipeline.stages ?? pipeline.stages.map((s) => ({ ...s, rules: [], triggers: [] }))
  return (
    <Box sx={{ display: 'grid', gap: 1.5 }} data-testid="automation">
      {stages.map((stage) => {
        const current = stage.id === element.stage
        const past = current ? undefined : pastStates(history, stage.id)
        const rules: Shown[] = current
          ? element.rules.map((r) => ({
              id: r.id,
              title: r.title,
              state: r.state,
              detail:
                r.state === 'failed'
                  ? r.error
                  : r.state === 'scheduled' && r.dueAt
                    ? `until ${when(r.dueAt)}${r.reason ? ` — ${r.reason}` : ''}`
                    : r.state === 'running' && r.waitsUntil
                      ? `pausing until ${when(r.waitsUntil)}`
                      : r.reason,
              at: r.at,
            }))
          : stage.rules.map((r) => ({
              ...(past?.get(r.id) ?? { id: r.id, state: 'pending' as const }),
              title: r.title,
            }))
        const triggersFired = fired.filter((h) => stage.triggers.some((t) => t.id === h.record.node))
        const reached = current || entered.has(stage.id)
        return (
          <Paper
            key={stage.id}
            variant="outlined"
            aria-label={`Automation in ${stage.name}`}
            data-stage={stage.id}
            sx={{ p: 1.5, borderLeft: `4px solid ${stage.color || '#90a4ae'}`, opacity: reached ? 1 : 0.7 }}
          >
            <Stack direction="row" spacing={1} sx={{ alignItems: 'center', mb: rules.length ? 1 : 0 }}>
              <Typography variant="subtitle1" component="h3">
                {stage.name}
              </Typography>
              {current ? (
                <Chip size="small" color="primary" label="Here now" />
              ) : reached ? (
                <Chip size="small" variant="outlined" label="Was here" />
              ) : (
                <Typography variant="caption" color="text.secondary">
                  not reached
                </Typography>
              )}
            </Stack>
            {rules.length === 0 && stage.rules.length === 0 && (
              <Typography variant="body2" color="text.secondary">
                No rules in this stage.
              </Typography>
            )}
            <Box component="ol" sx={{ m: 0, pl: 2.5, display: 'grid', gap: 0.75 }}>
              {rules.map((r) => {
                const look = STATE_LOOK[r.state]
                const state = element.rules.find((x) => x.id === r.id)
                return (
                  <li key={r.id} data-rule={r.id} data-state={r.state}>
                    <Stack direction="row" spacing={1} useFlexGap sx={{ alignItems: 'center', flexWrap: 'wrap' }}>
                      <Typography variant="body2" sx={{ fontWeight: 500 }}>
                        {r.title}
                      </Typography>
                      <Chip size="small" color={look.color} label={look.label} />
                      {r.at && (
                        <Typography variant="caption" color="text.secondary">
                          {when(r.at)}
                        </Typography>
                      )}
                      {current && r.state === 'failed' && canRetry && state && (
                        <Button size="small" variant="outlined" color="error" onClick={() => onRetry(state)}>
                          Retry
                        </Button>
                      )}
                    </Stack>
                    {r.detail && (
                      <Typography
                        variant="body2"
                        color={r.state === 'failed' ? 'error' : 'text.secondary'}
                        sx={{ overflowWrap: 'anywhere' }}
                      >
                        {r.detail}
                      </Typography>
                    )}
                  </li>
                )
              })}
            </Box>
            {stage.triggers.length > 0 && (
              <Box
                component="ul"
                aria-label={`Triggers into ${stage.name}`}
                sx={{ m: 0, mt: 1, pl: 0, listStyle: 'none' }}
              >
                {stage.triggers.map((t) => {
                  const last = triggersFired.findLast((h) => h.record.node === t.id)
                  return (
                    <Typography
                      key={t.id}
                      component="li"
                      variant="body2"
                      color={last ? 'text.primary' : 'text.secondary'}
                      data-trigger={t.id}
                      data-fired={last !== undefined}
                    >
                      ⚡ {t.title}: {last ? `fired ${when(last.at)}` : 'has not fired'}
                    </Typography>
                  )
                })}
              </Box>
            )}
          </Paper>
        )
      })}
    </Box>
  )
}

// ------------------------------------------------------------ details

function Details({
  element,
  graph,
  canEdit,
  client,
  onSave,
}: {
  element: Element
  graph: Graph | undefined
  canEdit: boolean
  client: ClientView | undefined
  onSave: (changed: Record<string, Json>) => Promise<void>
}) {
  const index = useMemo(() => (graph ? fieldIndex(graph.elementType, graph.fields) : undefined), [graph])
  const [draft, setDraft] = useState<Record<string, string>>({})
  const [added, setAdded] = useState<string[]>([])
  const shown: Array<[string, Json]> = [
    ...Object.entries(element.fields).filter(([k]) => !SYSTEM_FIELDS.has(k)),
    ...added.filter((k) => !(k in element.fields)).map((k): [string, Json] => [k, null]),
  ]
  // Fields the flow knows that this element has no value for yet (the client's email, a custom field, …).
  const addable = [...(index?.values() ?? [])].filter(
    (f) => f.writable !== false && !SYSTEM_FIELDS.has(f.path) && !shown.some(([k]) => k === f.path),
  )
  const changed = Object.entries(draft).filter(([k, v]) => v !== text(element.fields[k]))
  const typed = (key: string, raw: string): Json => {
    const type = index?.get(key)?.type
    if ((type === 'number' || type === 'money') && /^[-+]?\d+([.,]\d+)?$/.test(raw.trim())) {
      return Number(raw.trim().replace(',', '.'))
    }
    if (typeof element.fields[key] === 'number' && /^[-+]?\d+([.,]\d+)?$/.test(raw.trim())) {
      return Number(raw.trim().replace(',', '.'))
    }
    return raw === '' ? null : raw
  }
  return (
    <Box sx={{ display: 'grid', gap: 2, gridTemplateColumns: { xs: '1fr', md: '2fr 1fr' }, alignItems: 'start' }}>
      <Paper variant="outlined" sx={{ p: 2, display: 'grid', gap: 1.5 }} aria-label="Fields">
        {shown.map(([key, value]) => (
          <TextField
            key={key}
            size="small"
            label={index?.get(key)?.label ?? key}
            value={draft[key] ?? text(value)}
            onChange={(e) => setDraft((d) => ({ ...d, [key]: e.target.value }))}
            slotProps={{ input: { readOnly: !canEdit } }}
          />
        ))}
        {canEdit && addable.length > 0 && (
          <TextField
            select
            size="small"
            label="Add a field"
            value=""
            onChange={(e) => setAdded((a) => [...a, e.target.value])}
            slotProps={{ select: { MenuProps: { slotProps: { paper: { sx: { maxHeight: 360 } } } } } }}
          >
            {addable.map((f) => (
              <MenuItem key={f.path} value={f.path}>
                {f.label}
              </MenuItem>
            ))}
          </TextField>
        )}
        {canEdit && (
          <Stack direction="row" spacing={1}>
            <Button
              variant="contained"
              disabled={changed.length === 0}
              onClick={() =>
                void onSave(Object.fromEntries(changed.map(([k, v]) => [k, typed(k, v)]))).then(() => {
                  setDraft({})
                  setAdded([])
                })
              }
            >
              Save changes
            </Button>
            <Button disabled={changed.length === 0} onClick={() => setDraft({})}>
              Discard
            </Button>
          </Stack>
        )}
      </Paper>
      <Paper variant="outlined" sx={{ p: 2, display: 'grid', gap: 0.5 }} aria-label="Client">
        <Typography variant="subtitle2">Client</Typography>
        <Typography variant="body2">{client?.name || '—'}</Typography>
        {client?.company && <Typography variant="body2">{client.company}</Typography>}
        {client?.email && <Typography variant="body2">{client.email}</Typography>}
        {client?.phone && <Typography variant="body2">{client.phone}</Typography>}
        {Object.keys(client?.requisites ?? {}).length > 0 && (
          <Box component="dl" sx={{ m: 0, mt: 1, display: 'grid', gridTemplateColumns: 'auto 1fr', columnGap: 1.5 }}>
            {Object.entries(client?.requisites ?? {}).map(([k, v]) => (
              <Box key={k} sx={{ display: 'contents' }}>
                <Typography component="dt" variant="caption" color="text.secondary">
                  {REQUISITE_LABELS[k] ?? k}
                </Typography>
                <Typography component="dd" variant="body2" sx={{ m: 0, overflowWrap: 'anywhere' }}>
                  {v}
                </Typography>
              </Box>
            ))}
          </Box>
        )}
        {Object.entries(client?.addresses ?? {}).map(([type, a]) => (
          <Typography key={type} variant="body2" color="text.secondary">
            {type === 'legal' ? 'Legal address' : type === 'actual' ? 'Address' : 'Other address'}:{' '}
            {[a.street, a.postalCode, a.city, a.region, a.country].filter(Boolean).join(', ')}
          </Typography>
        ))}
        {Object.keys(element.variables).length > 0 && (
          <>
            <Typography variant="subtitle2" sx={{ mt: 1.5 }}>
              Flow variables
            </Typography>
            {Object.entries(element.variables).map(([k, v]) => (
              <Typography key={k} variant="body2">
                {k}: {text(v)}
              </Typography>
            ))}
          </>
        )}
      </Paper>
    </Box>
  )
}

const text = (v: Json | undefined): string =>
  v === null || v === undefined ? '' : typeof v === 'object' ? JSON.stringify(v) : String(v)

// ------------------------------------------------------------ timeline and documents

const TONE_MARK: Record<Line['tone'], string> = {
  move: '→',
  rule: '▸',
  sent: '✉',
  event: '⚑',
  change: '✎',
  problem: '⚠',
}

function Timeline({
  history,
  graph,
  documents,
  users,
}: {
  history: HistoryRecord[]
  graph: Graph | undefined
  documents: DocumentView[]
  users: User[]
}) {
  const lines = useMemo(
    () => elementTimeline(history, graph, new Map(users.map((u) => [u.id, u.name]))),
    [history, graph, users],
  )
  const events = documents.flatMap((d) =>
    d.events.map((e) => ({
      at: e.at,
      tone: 'event' as const,
      text: `${d.number}: ${e.type}${e.party ? ` (${d.parties.find((p) => p.id === e.party)?.name ?? 'a party'})` : ''}${e.channel ? ` by ${e.channel}` : ''}`,
    })),
  )
  const all = [...lines, ...events].sort((a, b) => a.at.localeCompare(b.at))
  if (all.length === 0) return <Typography color="text.secondary">Nothing has happened to this element yet.</Typography>
  return (
    <Paper variant="outlined" sx={{ p: 1.5 }}>
      <Box component="ol" aria-label="Timeline" sx={{ m: 0, pl: 0, listStyle: 'none', display: 'grid', gap: 0.5 }}>
        {all.map((l, i) => (
          <Box
            component="li"
            // biome-ignore lint/suspicious/noArrayIndexKey: lines in time order
            key={i}
            data-tone={l.tone}
            sx={{
              display: 'grid',
              gridTemplateColumns: '11rem 1.5rem minmax(0, 1fr)',
              columnGap: 1,
              alignItems: 'baseline',
            }}
          >
            <Typography variant="caption" color="text.secondary" sx={{ fontVariantNumeric: 'tabular-nums' }}>
              {when(l.at)}
            </Typography>
            <Typography variant="body2" aria-hidden="true" color={l.tone === 'problem' ? 'error' : 'text.secondary'}>
              {TONE_MARK[l.tone]}
            </Typography>
            <Typography
              variant="body2"
              color={l.tone === 'problem' ? 'error' : 'text.primary'}
              sx={{ overflowWrap: 'anywhere' }}
            >
              {l.text}
            </Typography>
          </Box>
        ))}
      </Box>
    </Paper>
  )
}

const PARTY_STEP: Record<string, string> = {
  waiting: 'waits for their turn',
  sent: 'link sent',
  viewed: 'opened it',
  consented: 'agreed to sign electronically',
  signed: 'signed',
  declined: 'declined',
  expired: 'link expired',
}

function Documents({ documents }: { documents: DocumentView[] }) {
  if (documents.length === 0) {
    return (
      <Typography color="text.secondary">No documents yet. “Sign…” makes one from a template and sends it.</Typography>
    )
  }
  return (
    <Box sx={{ display: 'grid', gap: 1.5 }}>
      {documents.map((d) => {
        const signed = d.parties.filter((p) => p.status === 'signed').length
        return (
          <Paper key={d.id} variant="outlined" sx={{ p: 1.5, display: 'grid', gap: 1 }} data-document={d.id}>
            <Stack direction="row" spacing={1} useFlexGap sx={{ alignItems: 'center', flexWrap: 'wrap' }}>
              <Typography variant="subtitle1" component="h3">
                {d.title}
              </Typography>
              <Typography variant="body2" color="text.secondary">
                {d.title.includes(d.number) ? '' : `${d.number} · `}
                {when(d.createdAt)}
              </Typography>
              <SigningBadge signing={{ status: d.status, signed, parties: d.parties.length, title: d.title }} />
              <Box sx={{ flex: 1 }} />
              <Link href={d.pdfUrl} target="_blank" rel="noopener">
                Open the PDF
              </Link>
            </Stack>
            {d.parties.length > 0 && (
              <Stepper alternativeLabel={false} orientation="horizontal" sx={{ flexWrap: 'wrap', rowGap: 1 }}>
                {d.parties.map((p) => (
                  <Step key={p.id} completed={p.status === 'signed'} active={p.status !== 'waiting'}>
                    <StepLabel
                      error={p.status === 'declined' || p.status === 'expired'}
                      optional={
                        <Typography variant="caption" color="text.secondary">
                          {PARTY_STEP[p.status] ?? p.status} · {when(p.updatedAt)}
                        </Typography>
                      }
                    >
                      {p.name} ({p.role === 'company' ? 'for us' : 'client'}, by {p.channel})
                    </StepLabel>
                  </Step>
                ))}
              </Stepper>
            )}
          </Paper>
        )
      })}
    </Box>
  )
}
