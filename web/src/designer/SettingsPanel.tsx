/**
 * The settings of the selected rule or trigger: the standard ones (title; for rules when they run — after
 * the previous one or in parallel, now or after a delay; for triggers whether they may move an element
 * back; on or off), then the type's own, generated from the catalog's schema by a small form layer: text,
 * numbers, yes/no, choices, nested groups, lists, and value slots (typed text for now; a value that is a
 * constant, variable, field or earlier output shows as a chip). A finding about a field is shown under it.
 * Typing in one field is one undo step.
 */

import Box from '@mui/material/Box'
import Button from '@mui/material/Button'
import FormControlLabel from '@mui/material/FormControlLabel'
import IconButton from '@mui/material/IconButton'
import MenuItem from '@mui/material/MenuItem'
import Paper from '@mui/material/Paper'
import Stack from '@mui/material/Stack'
import Switch from '@mui/material/Switch'
import TextField from '@mui/material/TextField'
import Typography from '@mui/material/Typography'
import { useTranslation } from 'react-i18next'
import { useStore } from 'zustand'
import { getCatalogEntry } from '../../../shared/catalog/index.js'
import { findNode, nodePath as nodePathOf, setNodeValue } from '../../../shared/designer/commands.js'
import { partsOf, refType, type SlotType, valueOfParts } from '../../../shared/designer/picker.js'
import type { DesignerStore } from '../../../shared/designer/store.js'
import { fieldIndex } from '../../../shared/graph/fields.js'
import type { Graph } from '../../../shared/graph/graph.js'
import type { ChangeAs, Value } from '../../../shared/graph/schema-parts.js'
import type { Finding } from '../../../shared/validate/finding.js'
import {
  nodeDescription,
  nodeLabel,
  settingDescription,
  settingItemLabel,
  settingLabel,
  settingOption,
} from '../i18n/catalog-text.js'
import { findingMessage } from '../i18n/finding-text.js'
import { ConditionBuilder } from './ConditionBuilder.js'
import { SlotInput, TemplateInput } from './ValuePicker.js'
import { useWords } from './words.js'

type Schema = {
  type?: string | string[]
  enum?: unknown[]
  properties?: Record<string, Schema>
  required?: string[]
  items?: Schema
  description?: string
  $ref?: string
  anyOf?: Schema[]
  allOf?: unknown[]
  minimum?: number
  maximum?: number
  'x-signflow-type'?: SlotType
  'x-signflow-ref'?: string
  'x-signflow-type-from'?: 'field' | 'variable'
}

/** A rule's time, read loosely: a half-edited draft may lack parts. */
interface TimeShape {
  mode: 'immediately' | 'delay' | 'relative' | 'at'
  delay?: { amount: number; unit: string }
  field?: string
  offset?: { amount: number; unit: string }
  at?: unknown
  workingHours?: 'company' | 'responsible'
}

interface FieldProps {
  schema: Schema
  value: unknown
  path: string[]
  /** The node's JSON path in the graph (for its findings). */
  nodePath: string
  findings: readonly Finding[]
  onChange: (path: string[], value: unknown) => void
  graph: Graph
  nodeId: string
  /** The node's type: the catalog's words for its settings. */
  nodeType: string
  /** The object holding this setting (a slot may take its type from a sibling). */
  parent?: unknown
  /** Undo and redo typed in a text box with chips. */
  onHistory: (step: 'undo' | 'redo') => void
}

/** The time units a rule's delay and offset take. */
const UNITS = ['minutes', 'hours', 'days', 'workDays']

const errorAt = (findings: readonly Finding[], path: string) =>
  findings.find((f) => f.path === path || f.path.startsWith(`${path}/`))

/** A setting's help in the person's language: the catalog's, else the one the panel gives. */
const helpOf = ({ nodeType, path, schema }: Pick<FieldProps, 'nodeType' | 'path' | 'schema'>) =>
  settingDescription(nodeType, path, schema.description)

/** A value slot: text with chips for text slots, else a typed value or a picked chip ("…" in both). */
function ValueField({
  label,
  value,
  path,
  nodePath,
  findings,
  onChange,
  schema,
  graph,
  nodeId,
  parent,
  onHistory,
  name,
  nodeType,
}: FieldProps & { label: string; name: string }) {
  const finding = errorAt(findings, `${nodePath}/${path.join('/')}`)
  const from = schema['x-signflow-type-from']
  const sibling = from ? (parent as Record<string, unknown> | undefined)?.[from] : undefined
  const type: SlotType =
    schema['x-signflow-type'] ??
    (from === 'field' && typeof sibling === 'string'
      ? (refType(graph, { kind: 'field', path: sibling })?.type ?? 'any')
      : from === 'variable' && typeof sibling === 'string'
        ? (refType(graph, { kind: 'variable', id: sibling })?.type ?? 'any')
        : 'any')
  const v = value as Value | undefined
  const helperText = finding ? findingMessage(finding) : helpOf({ nodeType, path, schema })
  const error = finding?.severity === 'error'
  if (type === 'text' || type === 'any' || v?.kind === 'template') {
    return (
      <TemplateInput
        graph={graph}
        nodeId={nodeId}
        label={label}
        parts={partsOf(v)}
        multiline={/body|text|message|description/i.test(name)}
        error={error}
        helperText={helperText}
        onChange={(parts) => onChange(path, valueOfParts(parts))}
        onHistory={onHistory}
      />
    )
  }
  return (
    <SlotInput
      graph={graph}
      nodeId={nodeId}
      label={label}
      type={type}
      value={v}
      error={error}
      helperText={helperText}
      onChange={(next) => onChange(path, next)}
    />
  )
}

/** A setting naming a stage, variable or field of this flow: chosen from those there are. */
function RefStringField({
  label,
  value,
  path,
  nodePath,
  findings,
  onChange,
  schema,
  graph,
  nodeType,
}: FieldProps & { label: string }) {
  const { t } = useTranslation('designer')
  const words = useWords()
  const finding = errorAt(findings, `${nodePath}/${path.join('/')}`)
  const kind = schema['x-signflow-ref']
  const options: Array<{ value: string; label: string }> =
    kind === 'stage'
      ? graph.pipeline.stages.map((st) => ({ value: st.id, label: st.name }))
      : kind === 'variable'
        ? graph.variables.map((d) => ({ value: d.id, label: d.name }))
        : [...fieldIndex(graph.elementType, graph.fields).values()]
            .filter((f) => (kind === 'dateField' ? f.type === 'date' || f.type === 'datetime' : true))
            .map((f) => ({ value: f.path, label: words.fieldLabel(f) }))
  const current = typeof value === 'string' ? value : ''
  if (current !== '' && !options.some((o) => o.value === current)) options.unshift({ value: current, label: current })
  return (
    <TextField
      select
      size="small"
      fullWidth
      label={label}
      value={current}
      onChange={(e) => onChange(path, e.target.value)}
      error={finding?.severity === 'error'}
      helperText={finding ? findingMessage(finding) : helpOf({ nodeType, path, schema })}
      slotProps={{ select: { MenuProps: { slotProps: { paper: { sx: { maxHeight: 360 } } } } } }}
    >
      {options.length === 0 && (
        <MenuItem value="" disabled>
          {kind === 'variable' ? t('settings.noVariables') : t('settings.nothingToPick')}
        </MenuItem>
      )}
      {options.map((o) => (
        <MenuItem key={o.value} value={o.value}>
          {o.label}
        </MenuItem>
      ))}
    </TextField>
  )
}

/** A setting, marked with its JSON path so that choosing a problem can focus it. */
function SchemaField(props: FieldProps & { name: string; label?: string }) {
  return (
    <Box data-settings-path={`${props.nodePath}/${props.path.join('/')}`} sx={{ minWidth: 0, flex: 1 }}>
      <SettingField {...props} />
    </Box>
  )
}

function SettingField(props: FieldProps & { name: string; label?: string }) {
  const { schema, value, path, nodePath, findings, onChange, name } = props
  const { t } = useTranslation('designer')
  const label = props.label ?? settingLabel(props.nodeType, [name])
  if (schema.$ref === '#/$defs/value') return <ValueField {...props} label={label} />
  const refKind = schema['x-signflow-ref']
  if (refKind === 'stage' || refKind === 'variable' || refKind === 'field' || refKind === 'dateField')
    return <RefStringField {...props} label={label} />
  const finding = errorAt(findings, `${nodePath}/${path.join('/')}`)
  if (schema.enum) {
    return (
      <TextField
        select
        size="small"
        fullWidth
        label={label}
        value={value ?? ''}
        onChange={(e) => onChange(path, e.target.value)}
        error={finding?.severity === 'error'}
        helperText={finding ? findingMessage(finding) : helpOf(props)}
      >
        {schema.enum.map((option) => (
          <MenuItem key={String(option)} value={String(option)}>
            {settingOption(props.nodeType, [name], String(option))}
          </MenuItem>
        ))}
      </TextField>
    )
  }
  if (schema.type === 'boolean') {
    return (
      <FormControlLabel
        control={<Switch checked={value === true} onChange={(e) => onChange(path, e.target.checked)} />}
        label={label}
      />
    )
  }
  if (schema.type === 'integer' || schema.type === 'number') {
    return (
      <TextField
        size="small"
        fullWidth
        type="number"
        label={label}
        value={typeof value === 'number' ? value : ''}
        onChange={(e) => onChange(path, e.target.value === '' ? undefined : Number(e.target.value))}
        error={finding?.severity === 'error'}
        helperText={finding ? findingMessage(finding) : helpOf(props)}
      />
    )
  }
  if (schema.type === 'string') {
    return (
      <TextField
        size="small"
        fullWidth
        label={label}
        value={typeof value === 'string' ? value : ''}
        onChange={(e) => onChange(path, e.target.value)}
        error={finding?.severity === 'error'}
        helperText={finding ? findingMessage(finding) : helpOf(props)}
      />
    )
  }
  if (schema.type === 'object' && schema.properties) {
    const record = (value ?? {}) as Record<string, unknown>
    return (
      <Box
        component="fieldset"
        sx={{ border: '1px solid', borderColor: 'divider', borderRadius: 1, px: 1.5, pb: 1.5, m: 0 }}
      >
        <Typography component="legend" variant="caption" sx={{ px: 0.5 }}>
          {label}
        </Typography>
        <Stack spacing={1.5}>
          {Object.entries(schema.properties).map(([key, sub]) => (
            <SchemaField
              key={key}
              {...props}
              name={key}
              label={undefined}
              schema={sub}
              value={record[key]}
              parent={record}
              path={[...path, key]}
            />
          ))}
        </Stack>
      </Box>
    )
  }
  if (schema.type === 'array' && schema.items) {
    const list = Array.isArray(value) ? value : []
    const items = schema.items
    const blank = items.$ref === '#/$defs/value' ? { kind: 'literal', value: '' } : items.type === 'object' ? {} : ''
    // A list of values labels each value itself ("To", or "To 1", "To 2"); a list of groups has a heading.
    const values = items.$ref === '#/$defs/value'
    const itemLabel = (n: number) => t('settings.item', { item: settingItemLabel(props.nodeType, [name]), n })
    return (
      <Box>
        {(!values || list.length === 0) && (
          <Typography variant="caption" color="text.secondary">
            {label}
          </Typography>
        )}
        <Stack spacing={1}>
          {list.map((item, i) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: a settings list is edited in place, by position
            <Stack key={i} direction="row" spacing={0.5} sx={{ alignItems: 'flex-start' }}>
              <Box sx={{ flex: 1, minWidth: 0 }}>
                <SchemaField
                  {...props}
                  name={name}
                  label={values && list.length === 1 ? label : itemLabel(i + 1)}
                  schema={items}
                  value={item}
                  path={[...path, String(i)]}
                />
              </Box>
              <IconButton
                size="small"
                aria-label={t('settings.remove', { item: itemLabel(i + 1) })}
                onClick={() =>
                  onChange(
                    path,
                    list.filter((_, j) => j !== i),
                  )
                }
              >
                ×
              </IconButton>
            </Stack>
          ))}
          <Button size="small" sx={{ alignSelf: 'flex-start' }} onClick={() => onChange(path, [...list, blank])}>
            {
              // i18n-dynamic: designer:settingAdd.
              t(`settingAdd.${name}`, { defaultValue: t('settings.add', { what: label }) })
            }
          </Button>
        </Stack>
      </Box>
    )
  }
  // Anything else (alternatives of different shapes): shown, edited as JSON.
  return (
    <TextField
      size="small"
      fullWidth
      multiline
      label={t('settings.json', { label })}
      defaultValue={JSON.stringify(value ?? null)}
      onBlur={(e) => {
        try {
          onChange(path, JSON.parse(e.target.value))
        } catch {
          // Not JSON yet: left as typed until it is.
        }
      }}
      error={finding?.severity === 'error'}
      helperText={finding ? findingMessage(finding) : undefined}
    />
  )
}

/** Who a trigger records as having moved the element: the responsible person, or a named user. */
function ChangeAsField({
  path,
  value,
  finding,
  onChange,
  onUser,
}: {
  path: string
  value: ChangeAs | undefined
  finding: Finding | undefined
  onChange: (value: ChangeAs) => void
  /** Typing the user is its own undo step, apart from choosing the mode. */
  onUser: (user: string) => void
}) {
  const { t } = useTranslation('designer')
  const mode = value?.mode ?? 'responsible'
  return (
    <Stack direction="row" spacing={1} data-settings-path={path}>
      <TextField
        select
        size="small"
        label={t('settings.changeAs')}
        value={mode}
        onChange={(e) => onChange(e.target.value === 'user' ? { mode: 'user', user: '' } : { mode: 'responsible' })}
        sx={{ flex: 1 }}
      >
        <MenuItem value="responsible">{t('settings.changeAsResponsible')}</MenuItem>
        <MenuItem value="user">{t('settings.changeAsUser')}</MenuItem>
      </TextField>
      {value?.mode === 'user' && (
        <TextField
          size="small"
          label={t('settings.userId')}
          value={value.user}
          onChange={(e) => onUser(e.target.value)}
          error={finding?.severity === 'error'}
          helperText={finding ? findingMessage(finding) : undefined}
          sx={{ flex: 1 }}
        />
      )}
    </Stack>
  )
}

/**
 * Focuses the setting a finding points at (the deepest marked place on its path), once the panel shows
 * the finding's node.
 */
export function focusSetting(path: string): void {
  requestAnimationFrame(() =>
    requestAnimationFrame(() => {
      let best: HTMLElement | undefined
      let bestLength = -1
      for (const el of document.querySelectorAll<HTMLElement>('[data-settings-path]')) {
        const at = el.dataset.settingsPath ?? ''
        if ((path === at || path.startsWith(`${at}/`)) && at.length > bestLength) {
          best = el
          bestLength = at.length
        }
      }
      const target = best?.querySelector<HTMLElement>(
        'input:not([type=hidden]), textarea, [contenteditable="true"], [role="combobox"], button',
      )
      target?.focus()
      target?.scrollIntoView({ block: 'nearest' })
    }),
  )
}

export function SettingsPanel({ store, findings }: { store: DesignerStore; findings: readonly Finding[] }) {
  const { t } = useTranslation('designer')
  const selection = useStore(store, (s) => s.selection)
  const graph = useStore(store, (s) => s.graph)
  const id = selection.length === 1 ? selection[0] : undefined
  const place = id ? findNode(graph, id) : undefined
  if (!place) {
    return (
      <Paper variant="outlined" sx={{ p: 2 }} aria-label={t('settings.label')}>
        <Typography variant="body2" color="text.secondary">
          {t('settings.select')}
        </Typography>
      </Paper>
    )
  }
  const node = place.node
  const entry = getCatalogEntry(node.type)
  const nodePath = nodePathOf(place)
  const change = (path: string[], value: unknown) =>
    store
      .getState()
      .edit(
        t('undo.change', { title: node.title }),
        (g) => setNodeValue(g, node.id, path, value),
        `${node.id}/${path.join('/')}`,
      )
  const onHistory = (step: 'undo' | 'redo') => (step === 'undo' ? store.getState().undo() : store.getState().redo())
  const common = { nodePath, findings, onChange: change, graph, nodeId: node.id, nodeType: node.type, onHistory }
  const rule = 'execution' in node
  const time = rule ? (node.time as TimeShape) : undefined
  return (
    <Paper
      // Another node, another form: nothing typed for one shows in the next.
      key={node.id}
      variant="outlined"
      sx={{ p: 2, display: 'grid', gap: 1.5, alignContent: 'start' }}
      aria-label={t('settings.label')}
      data-testid="settings-panel"
    >
      <Box>
        <Typography variant="caption" color="text.secondary">
          {rule ? t('canvas.rule') : t('canvas.trigger')} ·{' '}
          {nodeLabel(node.type, rule ? 'rule' : 'trigger', entry?.label ?? node.type)}
        </Typography>
        <Typography variant="subtitle1" component="h3" sx={{ fontWeight: 700 }}>
          {node.title}
        </Typography>
        {entry && (
          <Typography variant="body2" color="text.secondary">
            {nodeDescription(node.type, rule ? 'rule' : 'trigger', entry.description)}
          </Typography>
        )}
      </Box>
      <SchemaField {...common} name="title" schema={{ type: 'string' }} value={node.title} path={['title']} />
      {rule && (
        <>
          <SchemaField
            {...common}
            name="execution"
            schema={{
              enum: ['afterPrevious', 'parallel'],
              description: t('settings.executionHelp'),
            }}
            value={node.execution}
            path={['execution']}
          />
          <TextField
            select
            size="small"
            label={t('settings.when')}
            value={time?.mode ?? 'immediately'}
            onChange={(e) => {
              const workingHours = time?.workingHours ? { workingHours: time.workingHours } : {}
              const mode = e.target.value
              change(
                ['time'],
                mode === 'delay'
                  ? { mode, delay: { amount: 1, unit: 'days' }, ...workingHours }
                  : mode === 'relative'
                    ? { mode, field: '', offset: { amount: -1, unit: 'days' }, ...workingHours }
                    : mode === 'at'
                      ? { mode, at: { kind: 'literal', value: '' }, ...workingHours }
                      : { mode: 'immediately', ...workingHours },
              )
            }}
          >
            <MenuItem value="immediately">{t('settings.time.immediately')}</MenuItem>
            <MenuItem value="delay">{t('settings.time.delay')}</MenuItem>
            <MenuItem value="relative">{t('settings.time.relative')}</MenuItem>
            <MenuItem value="at">{t('settings.time.at')}</MenuItem>
          </TextField>
          {time?.mode === 'delay' && (
            <Stack direction="row" spacing={1}>
              <SchemaField
                {...common}
                name="amount"
                schema={{ type: 'integer' }}
                value={time.delay?.amount}
                path={['time', 'delay', 'amount']}
              />
              <SchemaField
                {...common}
                name="unit"
                schema={{ enum: UNITS }}
                value={time.delay?.unit}
                path={['time', 'delay', 'unit']}
              />
            </Stack>
          )}
          {time?.mode === 'relative' && (
            <>
              <SchemaField
                {...common}
                name="dateField"
                schema={{ type: 'string', 'x-signflow-ref': 'dateField' }}
                value={time.field}
                path={['time', 'field']}
              />
              <Stack direction="row" spacing={1}>
                <SchemaField
                  {...common}
                  name="offset"
                  schema={{ type: 'integer', description: t('settings.offsetHelp') }}
                  value={time.offset?.amount}
                  path={['time', 'offset', 'amount']}
                />
                <SchemaField
                  {...common}
                  name="unit"
                  schema={{ enum: UNITS }}
                  value={time.offset?.unit}
                  path={['time', 'offset', 'unit']}
                />
              </Stack>
            </>
          )}
          {time?.mode === 'at' && (
            <SchemaField
              {...common}
              name="at"
              schema={{ $ref: '#/$defs/value', 'x-signflow-type': 'datetime' }}
              value={time.at}
              path={['time', 'at']}
            />
          )}
          <TextField
            select
            size="small"
            label={t('settings.workingHours')}
            value={time?.workingHours ?? 'any'}
            onChange={(e) => change(['time', 'workingHours'], e.target.value === 'any' ? undefined : e.target.value)}
            helperText={t('settings.workingHoursHelp')}
          >
            <MenuItem value="any">{t('settings.hours.any')}</MenuItem>
            <MenuItem value="company">{t('settings.hours.company')}</MenuItem>
            <MenuItem value="responsible">{t('settings.hours.responsible')}</MenuItem>
          </TextField>
        </>
      )}
      {!rule && (
        <SchemaField
          {...common}
          name="allowReturn"
          schema={{ type: 'boolean' }}
          value={(node as { allowReturn?: boolean }).allowReturn}
          path={['allowReturn']}
        />
      )}
      {!rule && (
        <ChangeAsField
          path={`${nodePath}/changeStageAs`}
          value={(node as { changeStageAs: ChangeAs }).changeStageAs}
          finding={errorAt(findings, `${nodePath}/changeStageAs`)}
          onChange={(value) => change(['changeStageAs'], value)}
          onUser={(user) => change(['changeStageAs', 'user'], user)}
        />
      )}
      <Box data-settings-path={`${nodePath}/condition`} sx={{ display: 'grid', gap: 1 }}>
        <Typography variant="overline" sx={{ lineHeight: 1.5 }}>
          {t('settings.onlyIf')}
        </Typography>
        <ConditionBuilder
          graph={graph}
          nodeId={node.id}
          path={`${nodePath}/condition`}
          findings={findings}
          condition={node.condition}
          onChange={(condition) => change(['condition'], condition)}
        />
      </Box>
      <FormControlLabel
        control={
          <Switch
            checked={node.disabled !== true}
            onChange={(e) => change(['disabled'], e.target.checked ? undefined : true)}
          />
        }
        label={t('settings.on')}
      />
      <Typography variant="overline" sx={{ mt: 1 }}>
        {entry ? nodeLabel(node.type, rule ? 'rule' : 'trigger', entry.label) : t('settings.label')}
      </Typography>
      {Object.entries(((entry?.settings ?? {}) as Schema).properties ?? {}).map(([key, sub]) => (
        <SchemaField
          key={key}
          {...common}
          name={key}
          schema={sub}
          value={(node.settings as Record<string, unknown>)[key]}
          path={['settings', key]}
        />
      ))}
    </Paper>
  )
}
