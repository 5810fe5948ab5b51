/**
 * "Only if": a rule runs, or a trigger fires, only when its condition holds. Rows compare a field,
 * constant, variable or earlier output (picked with "…") with values; rows and nested groups are joined
 * by AND (all of them) or OR (any of them). Only the operators that fit the picked value are offered.
 */

import Box from '@mui/material/Box'
import Button from '@mui/material/Button'
import Chip from '@mui/material/Chip'
import IconButton from '@mui/material/IconButton'
import MenuItem from '@mui/material/MenuItem'
import Stack from '@mui/material/Stack'
import TextField from '@mui/material/TextField'
import ToggleButton from '@mui/material/ToggleButton'
import ToggleButtonGroup from '@mui/material/ToggleButtonGroup'
import Typography from '@mui/material/Typography'
import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import { refType } from '../../../shared/designer/picker.js'
import type { Graph } from '../../../shared/graph/graph.js'
import { OPERATOR_ARITY, operandType, operatorFits } from '../../../shared/graph/operators.js'
import {
  type ConditionGroup,
  type ConditionRow,
  type LiteralValue,
  OPERATORS,
  type Operator,
  type Reference,
  type Value,
} from '../../../shared/graph/schema-parts.js'
import type { Finding } from '../../../shared/validate/finding.js'
import { findingHint, findingMessage } from '../i18n/finding-text.js'
import { PickerButton, SlotInput } from './ValuePicker.js'
import { useWords } from './words.js'

const LEFT_KINDS: ReadonlyArray<Reference['kind']> = ['field', 'constant', 'variable', 'output']
const blank = (): Value => ({ kind: 'literal', value: '' })
/** A new row: "Amount > …" where elements have an amount, else "Title = …". */
const newRow = (graph: Graph): ConditionRow =>
  refType(graph, { kind: 'field', path: 'amount' })
    ? { left: { kind: 'field', path: 'amount' }, op: 'gt', values: [blank()] }
    : { left: { kind: 'field', path: 'title' }, op: 'eq', values: [blank()] }

/** As many operands as the operator takes, keeping those already given. */
function valuesFor(op: Operator, values: readonly Value[]): Value[] {
  const [min, max] = OPERATOR_ARITY[op]
  const kept = values.slice(0, Math.min(max, Math.max(min, values.length)))
  while (kept.length < min) kept.push(blank())
  return kept
}

interface Common {
  graph: Graph
  nodeId: string
  /** JSON path of this part of the condition, in the graph. */
  path: string
  findings: readonly Finding[]
}

const findingAt = (findings: readonly Finding[], path: string) =>
  findings.find((f) => f.path === path || f.path.startsWith(`${path}/`))

/**
 * The values of "is one of" / "is none of", typed separated by commas. The text is the analyst's while they
 * type; it follows the row when the row changes from elsewhere (undo). Picked values (not typed ones) stay.
 */
function ListValues({
  row,
  numeric,
  onChange,
}: {
  row: ConditionRow
  numeric: boolean
  onChange: (row: ConditionRow) => void
}) {
  const { t } = useTranslation('designer')
  const typed = row.values.filter((v): v is LiteralValue => v.kind === 'literal')
  const kept = row.values.filter((v) => v.kind !== 'literal')
  const shown = typed.map((v) => String(v.value)).join(', ')
  const [text, setText] = useState(shown)
  const [last, setLast] = useState(shown)
  if (shown !== last) {
    setLast(shown)
    setText(shown)
  }
  const parse = (value: string): LiteralValue[] =>
    value
      .split(',')
      .map((part) => part.trim())
      .filter(Boolean)
      .map(
        (part): LiteralValue => ({
          kind: 'literal',
          value: numeric && Number.isFinite(Number(part)) ? Number(part) : part,
        }),
      )
  return (
    <TextField
      size="small"
      label={t('condition.list')}
      value={text}
      onChange={(e) => {
        setText(e.target.value)
        const values = [...parse(e.target.value), ...kept]
        if (JSON.stringify(values) !== JSON.stringify(row.values)) {
          const next = parse(e.target.value)
          setLast(next.map((v) => String(v.value)).join(', '))
          onChange({ ...row, values })
        }
      }}
      helperText={kept.length > 0 ? t('condition.andPicked', { count: kept.length }) : undefined}
    />
  )
}

function Row({
  graph,
  nodeId,
  path,
  findings,
  row,
  number,
  onChange,
  onRemove,
}: Common & { row: ConditionRow; number: number; onChange: (row: ConditionRow) => void; onRemove: () => void }) {
  const { t } = useTranslation('designer')
  const words = useWords()
  const left = refType(graph, row.left)
  const ops = OPERATORS.filter((op) => !left || operatorFits(op, left))
  const type = left ? operandType(row.op, left) : 'any'
  const lists = row.op === 'in' || row.op === 'notIn'
  const problem = findingAt(findings, path)
  const label = t('condition.number', { n: number })
  return (
    <Box
      role="group"
      aria-label={label}
      data-settings-path={path}
      sx={{ display: 'grid', gap: 1, p: 1, borderRadius: 1, bgcolor: 'rgba(0,0,0,0.025)' }}
    >
      <Stack direction="row" spacing={0.5} sx={{ alignItems: 'center' }}>
        <Chip
          size="small"
          label={words.refWords(graph, row.left)}
          sx={{ maxWidth: 200, bgcolor: 'rgba(47,93,98,0.14)', fontWeight: 600 }}
        />
        <PickerButton
          graph={graph}
          nodeId={nodeId}
          type="any"
          kinds={LEFT_KINDS}
          label={t('condition.pickLeft', { n: number })}
          onPick={(ref) => {
            const info = refType(graph, ref)
            const op = info && !operatorFits(row.op, info) ? 'eq' : row.op
            onChange({ left: ref, op, values: valuesFor(op, row.values) })
          }}
        />
        <TextField
          select
          size="small"
          label={t('condition.is')}
          value={row.op}
          onChange={(e) => {
            const op = e.target.value as Operator
            onChange({ ...row, op, values: valuesFor(op, row.values) })
          }}
          sx={{ minWidth: 120, flex: 1 }}
        >
          {ops.map((op) => (
            <MenuItem key={op} value={op}>
              {words.operator(op)}
            </MenuItem>
          ))}
        </TextField>
        <IconButton size="small" aria-label={t('condition.remove', { n: number })} onClick={onRemove}>
          ×
        </IconButton>
      </Stack>
      {lists ? (
        <ListValues row={row} numeric={type === 'number' || type === 'money'} onChange={onChange} />
      ) : (
        row.values.map((value, i) => (
          <SlotInput
            // biome-ignore lint/suspicious/noArrayIndexKey: operands are edited in place, by position
            key={i}
            graph={graph}
            nodeId={nodeId}
            label={
              row.op === 'between'
                ? i === 0
                  ? t('condition.from')
                  : t('condition.to')
                : row.op === 'withinLastDays' || row.op === 'withinNextDays'
                  ? t('condition.days')
                  : t('condition.value')
            }
            type={type}
            value={value}
            error={findingAt(findings, `${path}/values/${i}`)?.severity === 'error'}
            helperText={messageAt(findings, `${path}/values/${i}`)}
            onChange={(v) => onChange({ ...row, values: row.values.map((old, j) => (j === i ? v : old)) })}
          />
        ))
      )}
      {problem && !findingAt(findings, `${path}/values`) && (
        <Typography variant="caption" color={problem.severity === 'error' ? 'error' : 'warning.main'}>
          {findingMessage(problem)} {findingHint(problem)}
        </Typography>
      )}
    </Box>
  )
}

function Group({
  group,
  onChange,
  onRemove,
  depth,
  ...common
}: Common & { group: ConditionGroup; onChange: (g: ConditionGroup) => void; onRemove?: () => void; depth: number }) {
  const { t } = useTranslation('designer')
  // A group left empty goes with its last row: an empty group would hold for every element.
  const setItem = (i: number, item: ConditionGroup | ConditionRow | undefined) =>
    onChange({
      ...group,
      items:
        item === undefined
          ? group.items.filter((_, j) => j !== i)
          : group.items.map((old, j) => (j === i ? item : old)),
    })
  let rows = 0
  return (
    <Box
      sx={{
        display: 'grid',
        gap: 1,
        ...(depth > 0 ? { borderLeft: '3px solid', borderColor: 'primary.light', pl: 1 } : {}),
      }}
    >
      {/* Long words (Turkish, French) put the AND/OR choice on a line of its own rather than squeeze it. */}
      <Stack direction="row" spacing={1} useFlexGap sx={{ alignItems: 'center', flexWrap: 'wrap', rowGap: 0.5 }}>
        <Typography variant="caption" color="text.secondary">
          {t('condition.match')}
        </Typography>
        <ToggleButtonGroup
          size="small"
          exclusive
          value={group.match}
          aria-label={depth === 0 ? t('condition.match') : t('condition.matchGroup', { n: depth })}
          onChange={(_, match: 'all' | 'any' | null) => match && onChange({ ...group, match })}
        >
          <ToggleButton value="all" sx={{ py: 0.25 }}>
            {t('condition.all')}
          </ToggleButton>
          <ToggleButton value="any" sx={{ py: 0.25 }}>
            {t('condition.any')}
          </ToggleButton>
        </ToggleButtonGroup>
        {onRemove && (
          <Button size="small" color="inherit" onClick={onRemove} sx={{ ml: 'auto' }}>
            {t('condition.removeGroup')}
          </Button>
        )}
      </Stack>
      {group.items.map((item, i) => {
        const path = `${common.path}/items/${i}`
        if ('match' in item) {
          return (
            <Group
              // biome-ignore lint/suspicious/noArrayIndexKey: a condition is edited in place, by position
              key={i}
              {...common}
              path={path}
              depth={depth + 1}
              group={item}
              onChange={(g) => setItem(i, g.items.length === 0 ? undefined : g)}
              onRemove={() => setItem(i, undefined)}
            />
          )
        }
        rows++
        return (
          <Row
            // biome-ignore lint/suspicious/noArrayIndexKey: a condition is edited in place, by position
            key={i}
            {...common}
            path={path}
            row={item}
            number={rows}
            onChange={(r) => setItem(i, r)}
            onRemove={() => setItem(i, undefined)}
          />
        )
      })}
      <Stack direction="row" spacing={1}>
        <Button size="small" onClick={() => onChange({ ...group, items: [...group.items, newRow(common.graph)] })}>
          {t('condition.add')}
        </Button>
        {depth < 3 && (
          <Button
            size="small"
            onClick={() =>
              onChange({
                ...group,
                items: [
                  ...group.items,
                  { match: group.match === 'all' ? 'any' : 'all', items: [newRow(common.graph)] },
                ],
              })
            }
          >
            {t('condition.addGroup')}
          </Button>
        )}
      </Stack>
    </Box>
  )
}

/** The node's condition, or a button to give it one. Removing the last row removes the condition. */
export function ConditionBuilder({
  condition,
  onChange,
  ...common
}: Common & { condition: ConditionGroup | undefined; onChange: (c: ConditionGroup | undefined) => void }) {
  const { t } = useTranslation('designer')
  if (!condition) {
    return (
      <Button
        size="small"
        sx={{ justifySelf: 'start' }}
        onClick={() => onChange({ match: 'all', items: [newRow(common.graph)] })}
      >
        {t('condition.addFirst')}
      </Button>
    )
  }
  return (
    <Group {...common} depth={0} group={condition} onChange={(g) => onChange(g.items.length === 0 ? undefined : g)} />
  )
}

/** The translated message of the finding at a path, if any. */
function messageAt(findings: readonly Finding[], path: string): string | undefined {
  const found = findingAt(findings, path)
  return found ? findingMessage(found) : undefined
}
