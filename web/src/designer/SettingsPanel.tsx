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
import Chip from '@mui/material/Chip'
import FormControlLabel from '@mui/material/FormControlLabel'
import IconButton from '@mui/material/IconButton'
import MenuItem from '@mui/material/MenuItem'
import Paper from '@mui/material/Paper'
import Stack from '@mui/material/Stack'
import Switch from '@mui/material/Switch'
import TextField from '@mui/material/TextField'
import Typography from '@mui/material/Typography'
import { useStore } from 'zustand'
import { getCatalogEntry } from '../../../shared/catalog/index.js'
import { findNode, nodePath as nodePathOf, setNodeValue } from '../../../shared/designer/commands.js'
import type { DesignerStore } from '../../../shared/designer/store.js'
import type { Finding } from '../../../shared/validate/finding.js'

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
  'x-signflow-type'?: string
  'x-signflow-ref'?: string
}

/** "signingOrder" → "Signing order". */
const labelOf = (key: string) => {
  const words = key.replace(/([a-z0-9])([A-Z])/g, '$1 $2').toLowerCase()
  return words.charAt(0).toUpperCase() + words.slice(1)
}

interface FieldProps {
  schema: Schema
  value: unknown
  path: string[]
  /** The node's JSON path in the graph (for its findings). */
  nodePath: string
  findings: readonly Finding[]
  onChange: (path: string[], value: unknown) => void
}

const errorAt = (findings: readonly Finding[], path: string) =>
  findings.find((f) => f.path === path || f.path.startsWith(`${path}/`))

/** A value slot: typed text (a literal), or a chip for a reference until the "…" picker edits it. */
function ValueField({ label, value, path, nodePath, findings, onChange, schema }: FieldProps & { label: string }) {
  const v = (value ?? { kind: 'literal', value: '' }) as {
    kind: string
    value?: unknown
    parts?: unknown[]
    id?: string
    path?: string
    node?: string
    output?: string
  }
  const finding = errorAt(findings, `${nodePath}/${path.join('/')}`)
  const type = schema['x-signflow-type']
  if (v.kind === 'literal') {
    const number = type === 'number' || type === 'money' || type === 'integer'
    return (
      <TextField
        size="small"
        fullWidth
        label={label}
        type={number ? 'number' : 'text'}
        value={v.value === undefined || v.value === null ? '' : String(v.value)}
        onChange={(e) => {
          const raw = e.target.value
          onChange(path, { kind: 'literal', value: number && raw !== '' ? Number(raw) : raw })
        }}
        error={finding?.severity === 'error'}
        helperText={finding ? finding.message : schema.description}
        multiline={!number && label.toLowerCase() === 'body'}
        minRows={label.toLowerCase() === 'body' ? 3 : undefined}
      />
    )
  }
  const text =
    v.kind === 'template'
      ? (v.parts ?? [])
          .map((p) =>
            typeof p === 'string'
              ? p
              : `{${(p as { path?: string; id?: string }).path ?? (p as { id?: string }).id ?? '…'}}`,
          )
          .join('')
      : v.kind === 'field'
        ? `field ${v.path}`
        : v.kind === 'output'
          ? `${v.output} of ${v.node}`
          : `${v.kind} ${v.id ?? ''}`
  return (
    <Box>
      <Typography variant="caption" color="text.secondary">
        {label}
      </Typography>
      <Stack direction="row" spacing={1} sx={{ alignItems: 'center' }}>
        <Chip size="small" label={text} sx={{ maxWidth: '100%' }} />
        <Button size="small" onClick={() => onChange(path, { kind: 'literal', value: '' })}>
          Type instead
        </Button>
      </Stack>
      {finding && (
        <Typography variant="caption" color={finding.severity === 'error' ? 'error' : 'warning.main'}>
          {finding.message}
        </Typography>
      )}
    </Box>
  )
}

function SchemaField(props: FieldProps & { name: string }) {
  const { schema, value, path, nodePath, findings, onChange, name } = props
  const label = labelOf(name)
  if (schema.$ref === '#/$defs/value') return <ValueField {...props} label={label} />
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
        helperText={finding?.message ?? schema.description}
      >
        {schema.enum.map((option) => (
          <MenuItem key={String(option)} value={String(option)}>
            {labelOf(String(option))}
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
        helperText={finding?.message ?? schema.description}
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
        helperText={finding?.message ?? schema.description}
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
            <SchemaField key={key} {...props} name={key} schema={sub} value={record[key]} path={[...path, key]} />
          ))}
        </Stack>
      </Box>
    )
  }
  if (schema.type === 'array' && schema.items) {
    const list = Array.isArray(value) ? value : []
    const items = schema.items
    const blank = items.$ref === '#/$defs/value' ? { kind: 'literal', value: '' } : items.type === 'object' ? {} : ''
    return (
      <Box>
        <Typography variant="caption" color="text.secondary">
          {label}
        </Typography>
        <Stack spacing={1}>
          {list.map((item, i) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: a settings list is edited in place, by position
            <Stack key={i} direction="row" spacing={0.5} sx={{ alignItems: 'flex-start' }}>
              <Box sx={{ flex: 1, minWidth: 0 }}>
                <SchemaField
                  {...props}
                  name={`${name.replace(/s$/, '')} ${i + 1}`}
                  schema={items}
                  value={item}
                  path={[...path, String(i)]}
                />
              </Box>
              <IconButton
                size="small"
                aria-label={`Remove ${label.toLowerCase()} ${i + 1}`}
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
            Add {label.toLowerCase().replace(/s$/, '')}
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
      label={`${label} (JSON)`}
      defaultValue={JSON.stringify(value ?? null)}
      onBlur={(e) => {
        try {
          onChange(path, JSON.parse(e.target.value))
        } catch {
          // Not JSON yet: left as typed until it is.
        }
      }}
      error={finding?.severity === 'error'}
      helperText={finding?.message}
    />
  )
}

export function SettingsPanel({ store, findings }: { store: DesignerStore; findings: readonly Finding[] }) {
  const selection = useStore(store, (s) => s.selection)
  const graph = useStore(store, (s) => s.graph)
  const id = selection.length === 1 ? selection[0] : undefined
  const place = id ? findNode(graph, id) : undefined
  if (!place) {
    return (
      <Paper variant="outlined" sx={{ p: 2 }} aria-label="Settings">
        <Typography variant="body2" color="text.secondary">
          Select a rule or trigger to see its settings.
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
      .edit(`Change "${node.title}"`, (g) => setNodeValue(g, node.id, path, value), `${node.id}/${path.join('/')}`)
  const common = { nodePath, findings, onChange: change }
  const rule = 'execution' in node
  const time = rule ? (node.time as { mode: string; delay?: { amount: number; unit: string } }) : undefined
  return (
    <Paper
      variant="outlined"
      sx={{ p: 2, display: 'grid', gap: 1.5, alignContent: 'start' }}
      aria-label="Settings"
      data-testid="settings-panel"
    >
      <Box>
        <Typography variant="caption" color="text.secondary">
          {rule ? 'Rule' : 'Trigger'} · {entry?.label ?? node.type}
        </Typography>
        <Typography variant="subtitle1" component="h3" sx={{ fontWeight: 700 }}>
          {node.title}
        </Typography>
        {entry && (
          <Typography variant="body2" color="text.secondary">
            {entry.description}
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
              description: 'After the previous rule has finished, or at stage entry on its own',
            }}
            value={node.execution}
            path={['execution']}
          />
          <TextField
            select
            size="small"
            label="When"
            value={time?.mode === 'delay' ? 'delay' : 'immediately'}
            onChange={(e) =>
              change(
                ['time'],
                e.target.value === 'delay'
                  ? { mode: 'delay', delay: { amount: 1, unit: 'days' } }
                  : { mode: 'immediately' },
              )
            }
          >
            <MenuItem value="immediately">Immediately</MenuItem>
            <MenuItem value="delay">After a delay</MenuItem>
          </TextField>
          {time?.mode === 'delay' && time.delay && (
            <Stack direction="row" spacing={1}>
              <SchemaField
                {...common}
                name="amount"
                schema={{ type: 'integer' }}
                value={time.delay.amount}
                path={['time', 'delay', 'amount']}
              />
              <SchemaField
                {...common}
                name="unit"
                schema={{ enum: ['minutes', 'hours', 'days', 'workDays'] }}
                value={time.delay.unit}
                path={['time', 'delay', 'unit']}
              />
            </Stack>
          )}
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
      <FormControlLabel
        control={
          <Switch
            checked={node.disabled !== true}
            onChange={(e) => change(['disabled'], e.target.checked ? undefined : true)}
          />
        }
        label="On"
      />
      <Typography variant="overline" sx={{ mt: 1 }}>
        {entry?.label ?? 'Settings'}
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
