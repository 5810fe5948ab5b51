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
import type { TFunction } from 'i18next'
import { useCallback, useEffect, useMemo, useState } from 'react'
import { useTranslation } from 'react-i18next'
import type { Json } from '../../../shared/engine/types.js'
import { type FieldDef, fieldIndex } from '../../../shared/graph/fields.js'
import type { Graph } from '../../../shared/graph/graph.js'
import { ApiError, fetchMe, fetchVersion } from '../api.js'
import { useWords } from '../designer/words.js'
import { useFormat } from '../i18n/index.js'
import { hrefOf } from '../route.js'
import { useMay } from './may.js'
import { SigningBadge } from './parts.js'
import { usePolling } from './polling.js'
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

/** A client's requisite by name ("Tax ID"); one we do not know by its key. */
function requisiteLabel(t: TFunction, key: string): string {
  switch (key) {
    case 'name':
      return t('workspace:requisite.name')
    case 'taxId':
      return t('workspace:requisite.taxId')
    case 'vatId':
      return t('workspace:requisite.vatId')
    case 'registrationNumber':
      return t('workspace:requisite.registrationNumber')
    case 'director':
      return t('workspace:requisite.director')
    case 'bankName':
      return t('workspace:requisite.bankName')
    case 'bankAccount':
      return t('workspace:requisite.bankAccount')
    case 'bic':
      return t('workspace:requisite.bic')
    default:
      return key
  }
}

interface Loaded {
  element: Element
  pipeline: Pipeline
  history: HistoryRecord[]
  documents: DocumentView[]
}

export function ElementPage({ id }: { id: string }) {
  const { t } = useTranslation('workspace')
  const { money, when } = useFormat()
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
        if (e instanceof ApiError) setProblem(e.status === 404 ? t('element.notFound', { id }) : e.message)
      }
    },
    [id, t],
  )
  usePolling(load, REFRESH_MS)
  useEffect(() => {
    const abort = new AbortController()
    fetchUsers(abort.signal).then(setUsers, () => setUsers([]))
    fetchMe(abort.signal).then(
      (who) => setMe(typeof who === 'object' ? who.user.id : undefined),
      () => undefined,
    )
    return () => abort.abort()
  }, [])

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
  const stageName = (s: string | null) => pipeline.stages.find((x) => x.id === s)?.name ?? s ?? t('board.noStage')
  const responsible = users.find((u) => u.id === element.responsible)

  const act = async (what: () => Promise<unknown>, done: string) => {
    try {
      await what()
      setNotice({ severity: 'success', text: done })
    } catch (e) {
      setNotice({ severity: 'error', text: e instanceof ApiError ? e.message : t('failed') })
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
            label={t('element.moveTo')}
            value=""
            onChange={(e) =>
              void act(
                () => moveElement(element.id, e.target.value),
                t('element.moved', { stage: stageName(e.target.value) }),
              )
            }
            sx={{ minWidth: 210 }}
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
            {t('element.sign')}
          </Button>
        )}
      </Stack>
      <Typography variant="body2" color="text.secondary">
        {client?.name
          ? `${
              client.company
                ? t('element.clientOfCompany', { name: client.name, company: client.company })
                : t('element.client', { name: client.name })
            } · `
          : ''}
        {t('element.summary', {
          responsible: responsible?.name ?? element.responsible ?? t('element.noOne'),
          updated: when(element.updatedAt),
        })}
      </Typography>
      {notice && (
        <Alert severity={notice.severity} onClose={() => setNotice(undefined)} data-testid="element-notice">
          {notice.text}
        </Alert>
      )}
      <Tabs value={tab} onChange={(_, t) => setTab(t)} variant="scrollable" allowScrollButtonsMobile>
        <Tab value="automation" label={t('element.tab.automation')} />
        <Tab value="details" label={t('element.tab.details')} />
        <Tab value="timeline" label={t('element.tab.timeline')} />
        <Tab value="documents" label={t('element.tab.documents', { count: documents.length })} />
      </Tabs>
      {tab === 'automation' && (
        <Automation
          element={element}
          pipeline={pipeline}
          graph={graph}
          history={history}
          canRetry={may('retryRule')}
          onRetry={(rule) => void act(() => retryRule(element.id, rule.id), t('element.retried', { rule: rule.title }))}
        />
      )}
      {tab === 'details' && (
        <Details
          element={element}
          graph={graph}
          canEdit={may('changeFields')}
          client={client}
          onSave={(changed) => act(() => changeFields(element.id, changed), t('element.saved'))}
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

const STATE_COLOR: Record<RuleState['state'], 'default' | 'info' | 'success' | 'warning' | 'error'> = {
  pending: 'default',
  scheduled: 'info',
  running: 'info',
  done: 'success',
  skipped: 'warning',
  failed: 'error',
  cancelled: 'default',
  notRun: 'default',
}

/** A rule's state for this element, in words ("Waiting", "Failed"). */
function ruleStateLabel(t: TFunction, state: RuleState['state']): string {
  switch (state) {
    case 'pending':
      return t('workspace:rule.state.pending')
    case 'scheduled':
      return t('workspace:rule.state.scheduled')
    case 'running':
      return t('workspace:rule.state.running')
    case 'done':
      return t('workspace:rule.state.done')
    case 'skipped':
      return t('workspace:rule.state.skipped')
    case 'failed':
      return t('workspace:rule.state.failed')
    case 'cancelled':
      return t('workspace:rule.state.cancelled')
    case 'notRun':
      return t('workspace:rule.state.notRun')
    default:
      return state
  }
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
  const { t } = useTranslation('workspace')
  const { when } = useFormat()
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
        {t('automation.none')}
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
                    ? r.reason
                      ? t('automation.untilReason', { when: when(r.dueAt), reason: r.reason })
                      : t('automation.until', { when: when(r.dueAt) })
                    : r.state === 'running' && r.waitsUntil
                      ? t('automation.pausing', { when: when(r.waitsUntil) })
                      : r.reason,
              at: r.at,
            }))
          : stage.rules.map((r) => ({
              ...(past?.get(r.id) ?? { id: r.id, state: 'pending' as const }),
              title: r.title,
            }))
        const triggersFired = fired.filter((h) => stage.triggers.some((trigger) => trigger.id === h.record.node))
        const reached = current || entered.has(stage.id)
        return (
          <Paper
            key={stage.id}
            variant="outlined"
            aria-label={t('automation.in', { stage: stage.name })}
            data-stage={stage.id}
            sx={{ p: 1.5, borderLeft: `4px solid ${stage.color || '#90a4ae'}`, opacity: reached ? 1 : 0.7 }}
          >
            <Stack direction="row" spacing={1} sx={{ alignItems: 'center', mb: rules.length ? 1 : 0 }}>
              <Typography variant="subtitle1" component="h3">
                {stage.name}
              </Typography>
              {current ? (
                <Chip size="small" color="primary" label={t('automation.hereNow')} />
              ) : reached ? (
                <Chip size="small" variant="outlined" label={t('automation.wasHere')} />
              ) : (
                <Typography variant="caption" color="text.secondary">
                  {t('automation.notReached')}
                </Typography>
              )}
            </Stack>
            {rules.length === 0 && stage.rules.length === 0 && (
              <Typography variant="body2" color="text.secondary">
                {t('automation.noRules')}
              </Typography>
            )}
            <Box component="ol" sx={{ m: 0, pl: 2.5, display: 'grid', gap: 0.75 }}>
              {rules.map((r) => {
                const state = element.rules.find((x) => x.id === r.id)
                return (
                  <li key={r.id} data-rule={r.id} data-state={r.state}>
                    <Stack direction="row" spacing={1} useFlexGap sx={{ alignItems: 'center', flexWrap: 'wrap' }}>
                      <Typography variant="body2" sx={{ fontWeight: 500 }}>
                        {r.title}
                      </Typography>
                      <Chip size="small" color={STATE_COLOR[r.state]} label={ruleStateLabel(t, r.state)} />
                      {r.at && (
                        <Typography variant="caption" color="text.secondary">
                          {when(r.at)}
                        </Typography>
                      )}
                      {current && r.state === 'failed' && canRetry && state && (
                        <Button size="small" variant="outlined" color="error" onClick={() => onRetry(state)}>
                          {t('automation.retry')}
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
                aria-label={t('automation.triggersInto', { stage: stage.name })}
                sx={{ m: 0, mt: 1, pl: 0, listStyle: 'none' }}
              >
                {stage.triggers.map((trigger) => {
                  const last = triggersFired.findLast((h) => h.record.node === trigger.id)
                  return (
                    <Typography
                      key={trigger.id}
                      component="li"
                      variant="body2"
                      color={last ? 'text.primary' : 'text.secondary'}
                      data-trigger={trigger.id}
                      data-fired={last !== undefined}
                    >
                      ⚡{' '}
                      {t('automation.trigger', {
                        trigger: trigger.title,
                        state: last ? t('automation.fired', { when: when(last.at) }) : t('automation.notFired'),
                      })}
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
  const { t } = useTranslation('workspace')
  const words = useWords()
  // A standard field's label in the app's language (the designer's words); a custom field's as the analyst wrote it.
  const fieldLabel = (def: FieldDef | undefined) => (def ? words.fieldLabel(def) : undefined)
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
      <Paper variant="outlined" sx={{ p: 2, display: 'grid', gap: 1.5 }} aria-label={t('details.fields')}>
        {shown.map(([key, value]) => (
          <TextField
            key={key}
            size="small"
            label={fieldLabel(index?.get(key)) ?? key}
            value={draft[key] ?? text(value)}
            onChange={(e) => setDraft((d) => ({ ...d, [key]: e.target.value }))}
            slotProps={{ input: { readOnly: !canEdit } }}
          />
        ))}
        {canEdit && addable.length > 0 && (
          <TextField
            select
            size="small"
            label={t('details.addField')}
            value=""
            onChange={(e) => setAdded((a) => [...a, e.target.value])}
            slotProps={{ select: { MenuProps: { slotProps: { paper: { sx: { maxHeight: 360 } } } } } }}
          >
            {addable.map((f) => (
              <MenuItem key={f.path} value={f.path}>
                {fieldLabel(f)}
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
              {t('details.save')}
            </Button>
            <Button disabled={changed.length === 0} onClick={() => setDraft({})}>
              {t('details.discard')}
            </Button>
          </Stack>
        )}
      </Paper>
      <Paper variant="outlined" sx={{ p: 2, display: 'grid', gap: 0.5 }} aria-label={t('details.client')}>
        <Typography variant="subtitle2">{t('details.client')}</Typography>
        <Typography variant="body2">{client?.name || '—'}</Typography>
        {client?.company && <Typography variant="body2">{client.company}</Typography>}
        {client?.email && <Typography variant="body2">{client.email}</Typography>}
        {client?.phone && <Typography variant="body2">{client.phone}</Typography>}
        {Object.keys(client?.requisites ?? {}).length > 0 && (
          <Box component="dl" sx={{ m: 0, mt: 1, display: 'grid', gridTemplateColumns: 'auto 1fr', columnGap: 1.5 }}>
            {Object.entries(client?.requisites ?? {}).map(([k, v]) => (
              <Box key={k} sx={{ display: 'contents' }}>
                <Typography component="dt" variant="caption" color="text.secondary">
                  {requisiteLabel(t, k)}
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
            {t('details.addressLine', {
              kind:
                type === 'legal'
                  ? t('details.legalAddress')
                  : type === 'actual'
                    ? t('details.address')
                    : t('details.otherAddress'),
              address: [a.street, a.postalCode, a.city, a.region, a.country].filter(Boolean).join(', '),
            })}
          </Typography>
        ))}
        {Object.keys(element.variables).length > 0 && (
          <>
            <Typography variant="subtitle2" sx={{ mt: 1.5 }}>
              {t('details.variables')}
            </Typography>
            {Object.entries(element.variables).map(([k, v]) => (
              <Typography key={k} variant="body2">
                {t('details.variable', { name: k, value: text(v) })}
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
  const { t, i18n } = useTranslation('workspace')
  const { when } = useFormat()
  const language = i18n.resolvedLanguage
  // biome-ignore lint/correctness/useExhaustiveDependencies: the sentences follow the language
  const lines = useMemo(
    () => elementTimeline(history, graph, new Map(users.map((u) => [u.id, u.name]))),
    [history, graph, users, language],
  )
  const events = documents.flatMap((d) =>
    d.events.map((e) => {
      const what = documentEventWords(t, e.type)
      const party = e.party ? (d.parties.find((p) => p.id === e.party)?.name ?? t('documents.aParty')) : undefined
      const channel = e.channel ? channelWord(t, e.channel) : undefined
      return {
        at: e.at,
        tone: 'event' as const,
        text:
          party && channel
            ? t('documents.eventOfPartyBy', { number: d.number, event: what, party, channel })
            : party
              ? t('documents.eventOfParty', { number: d.number, event: what, party })
              : channel
                ? t('documents.eventBy', { number: d.number, event: what, channel })
                : t('documents.event', { number: d.number, event: what }),
      }
    }),
  )
  const all = [...lines, ...events].sort((a, b) => a.at.localeCompare(b.at))
  if (all.length === 0) return <Typography color="text.secondary">{t('timeline.empty')}</Typography>
  return (
    <Paper variant="outlined" sx={{ p: 1.5 }}>
      <Box
        component="ol"
        aria-label={t('element.tab.timeline')}
        sx={{ m: 0, pl: 0, listStyle: 'none', display: 'grid', gap: 0.5 }}
      >
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

/** Where a party's signing stands, in words ("link sent", "signed"). */
function partyStep(t: TFunction, status: string): string {
  switch (status) {
    case 'waiting':
      return t('workspace:party.waiting')
    case 'sent':
      return t('workspace:party.sent')
    case 'viewed':
      return t('workspace:party.viewed')
    case 'consented':
      return t('workspace:party.consented')
    case 'signed':
      return t('workspace:party.signed')
    case 'declined':
      return t('workspace:party.declined')
    case 'expired':
      return t('workspace:party.expired')
    default:
      return status
  }
}

/** What happened to a document, as its events name it ("link sent", "code confirmed"). */
function documentEventWords(t: TFunction, type: string): string {
  switch (type) {
    case 'created':
      return t('workspace:documents.events.created')
    case 'sent':
      return t('workspace:documents.events.sent')
    case 'delivered':
      return t('workspace:documents.events.delivered')
    case 'reminded':
      return t('workspace:documents.events.reminded')
    case 'viewed':
      return t('workspace:documents.events.viewed')
    case 'consented':
      return t('workspace:documents.events.consented')
    case 'codeSent':
      return t('workspace:documents.events.codeSent')
    case 'codeConfirmed':
      return t('workspace:documents.events.codeConfirmed')
    case 'signed':
      return t('workspace:documents.events.signed')
    case 'declined':
      return t('workspace:documents.events.declined')
    case 'expired':
      return t('workspace:documents.events.expired')
    case 'completed':
      return t('workspace:documents.events.completed')
    default:
      return type
  }
}

/** A channel a link goes by: "email", "SMS". */
function channelWord(t: TFunction, channel: string): string {
  switch (channel) {
    case 'email':
      return t('workspace:channel.email')
    case 'sms':
      return t('workspace:channel.sms')
    default:
      return channel
  }
}

function Documents({ documents }: { documents: DocumentView[] }) {
  const { t } = useTranslation('workspace')
  const { when } = useFormat()
  if (documents.length === 0) {
    return <Typography color="text.secondary">{t('documents.none')}</Typography>
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
                {t('documents.openPdf')}
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
                          {partyStep(t, p.status)} · {when(p.updatedAt)}
                        </Typography>
                      }
                    >
                      {p.role === 'company'
                        ? t('documents.partyForUs', { name: p.name, channel: channelWord(t, p.channel) })
                        : t('documents.partyClient', { name: p.name, channel: channelWord(t, p.channel) })}
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
