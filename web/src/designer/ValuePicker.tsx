/**
 * The "…" picker and the value editors built on it: a searchable list of the constants, variables,
 * element fields and earlier rules' outputs a slot may take (MUI's Autocomplete, grouped, filtered by the
 * slot's type), a text box where picked values stand as chips among the typed text, and a value field
 * that is either typed or a picked chip.
 */
import Autocomplete from '@mui/material/Autocomplete'
import Box from '@mui/material/Box'
import Chip from '@mui/material/Chip'
import IconButton from '@mui/material/IconButton'
import MenuItem from '@mui/material/MenuItem'
import Popover from '@mui/material/Popover'
import type { PopperProps } from '@mui/material/Popper'
import Stack from '@mui/material/Stack'
import type { SxProps, Theme } from '@mui/material/styles'
import TextField from '@mui/material/TextField'
import Tooltip from '@mui/material/Tooltip'
import Typography from '@mui/material/Typography'
import { type ReactNode, useId, useLayoutEffect, useMemo, useRef, useState } from 'react'
import { useTranslation } from 'react-i18next'
import {
  type Part,
  PICK_GROUPS,
  type PickGroup,
  type PickOption,
  partsOf,
  pickOptions,
  refKey,
  type SlotType,
  searchOptions,
  valueOfParts,
} from '../../../shared/designer/picker.js'
import type { Graph } from '../../../shared/graph/graph.js'
import type { Reference, Scalar, Value } from '../../../shared/graph/schema-parts.js'
import { useWords, type Words } from './words.js'

/** Popper slot for the list: drawn in place, inside the popover, instead of floating on its own. */
function InPlace({ children }: PopperProps) {
  return <Box>{typeof children === 'function' ? null : (children as ReactNode)}</Box>
}

export interface PickerProps {
  graph: Graph
  /** The node whose setting is being edited: which rules' outputs are certain before it. */
  nodeId: string | undefined
  type: SlotType
  kinds?: ReadonlyArray<Reference['kind']>
  /** What the button is for, for screen readers: "Insert a value into Text". */
  label: string
  onPick: (ref: Reference) => void
  /** Called before the popover takes focus (a text box keeps its caret). */
  onOpen?: () => void
  /** Whether the button gets the focus back when the list closes (a text box puts its caret back itself). */
  restoreFocus?: boolean
  /** The list closed without a pick. */
  onDismiss?: () => void
}

/** The "…" button and its searchable list. */
export function PickerButton({
  graph,
  nodeId,
  type,
  kinds,
  label,
  onPick,
  onOpen,
  onDismiss,
  restoreFocus = true,
}: PickerProps) {
  const { t } = useTranslation('designer')
  const words = useWords()
  const [anchor, setAnchor] = useState<HTMLElement | null>(null)
  // In the person's words: the labels and groups shown are the ones searched.
  const options = useMemo(
    () =>
      anchor
        ? pickOptions(graph, nodeId, type, kinds)
            .sort((a, b) => PICK_GROUPS.indexOf(a.group) - PICK_GROUPS.indexOf(b.group))
            .map((o) => ({
              ...o,
              label: o.ref.kind === 'field' || o.ref.kind === 'output' ? words.refWords(graph, o.ref) : o.label,
              group: words.groupWord(o.group) as PickGroup,
            }))
        : [],
    [anchor, graph, nodeId, type, kinds, words],
  )
  return (
    <>
      <Tooltip title={t('picker.tip')}>
        <IconButton
          size="small"
          aria-label={label}
          aria-haspopup="listbox"
          onMouseDown={(e) => e.preventDefault()}
          onClick={(e) => {
            onOpen?.()
            setAnchor(e.currentTarget)
          }}
          sx={{ fontWeight: 700, letterSpacing: '0.05em', border: '1px solid', borderColor: 'divider', px: 0.75 }}
        >
          …
        </IconButton>
      </Tooltip>
      <Popover
        open={anchor !== null}
        anchorEl={anchor}
        onClose={() => {
          setAnchor(null)
          onDismiss?.()
        }}
        disableRestoreFocus={!restoreFocus}
        anchorOrigin={{ vertical: 'bottom', horizontal: 'right' }}
        transformOrigin={{ vertical: 'top', horizontal: 'right' }}
        slotProps={{ paper: { sx: { width: 340, p: 1 } } }}
      >
        <Autocomplete<PickOption>
          open
          autoHighlight
          disablePortal
          options={options}
          groupBy={(o) => o.group}
          getOptionLabel={(o) => o.label}
          getOptionKey={(o) => refKey(o.ref)}
          filterOptions={(list, state) => searchOptions(list, state.inputValue)}
          noOptionsText={
            type === 'any' ? t('picker.nothing') : t('picker.nothingOfType', { type: words.typeWord(type) })
          }
          onChange={(_, option) => {
            if (!option) return
            setAnchor(null)
            onPick(option.ref)
          }}
          // The list is always open inside the popover: Escape closes the popover.
          onClose={(_, reason) => {
            if (reason !== 'escape') return
            setAnchor(null)
            onDismiss?.()
          }}
          renderOption={(props, option) => {
            const { key, ...rest } = props as typeof props & { key: string }
            return (
              <li key={key} {...rest}>
                <Box sx={{ display: 'flex', width: '100%', gap: 1, alignItems: 'baseline' }}>
                  <Typography variant="body2" sx={{ flex: 1, minWidth: 0 }}>
                    {option.label}
                  </Typography>
                  <Typography variant="caption" color="text.secondary">
                    {option.multiple
                      ? t('picker.several', { type: words.typeWord(option.type) })
                      : words.typeWord(option.type)}
                  </Typography>
                </Box>
              </li>
            )
          }}
          slots={{ popper: InPlace }}
          slotProps={{ paper: { elevation: 0 }, listbox: { sx: { maxHeight: 320 } } }}
          renderInput={(params) => <TextField {...params} autoFocus size="small" placeholder={t('picker.search')} />}
        />
      </Popover>
    </>
  )
}

const CHIP_CLASS = 'sf-chip'

function chipElement(graph: Graph, ref: Reference, words: Words): HTMLElement {
  const chip = document.createElement('span')
  chip.className = CHIP_CLASS
  chip.contentEditable = 'false'
  chip.dataset.ref = JSON.stringify(ref)
  chip.textContent = words.refWords(graph, ref)
  return chip
}

const isText = (v: unknown) => typeof v === 'string' && v.length > 0 && v.length <= 200

/** A chip's reference, as only our chips carry it (dropped or pasted markup may carry anything). */
function isReferenceShape(v: unknown): v is Reference {
  if (typeof v !== 'object' || v === null) return false
  const r = v as Record<string, unknown>
  switch (r.kind) {
    case 'constant':
    case 'variable':
      return isText(r.id) && Object.keys(r).length === 2
    case 'field':
      return isText(r.path) && Object.keys(r).length === 2
    case 'output':
      return isText(r.node) && isText(r.output) && Object.keys(r).length === 3
    default:
      return false
  }
}

/** The parts a text box holds: its text, with each chip as the reference it stands for. */
function readParts(root: HTMLElement): Part[] {
  const parts: Part[] = []
  const text = (t: string) => {
    const last = parts[parts.length - 1]
    if (typeof last === 'string') parts[parts.length - 1] = last + t
    else parts.push(t)
  }
  const visit = (node: Node, first: boolean) => {
    if (node.nodeType === Node.TEXT_NODE) {
      // Browsers keep typed spaces at the end of a line as no-break spaces: they are spaces.
      text((node.textContent ?? '').replace(/\u00a0/g, ' '))
      return
    }
    if (!(node instanceof HTMLElement)) return
    if (node.dataset.ref) {
      try {
        const ref: unknown = JSON.parse(node.dataset.ref)
        if (isReferenceShape(ref)) parts.push(ref)
      } catch {
        // Not one of ours: ignored.
      }
      return
    }
    if (node.tagName === 'BR') {
      text('\n')
      return
    }
    // A block the browser made for a new line.
    if (!first && (node.tagName === 'DIV' || node.tagName === 'P')) text('\n')
    node.childNodes.forEach((child, i) => {
      visit(child, i === 0)
    })
  }
  root.childNodes.forEach((child, i) => {
    visit(child, i === 0)
  })
  // The trailing line break a browser keeps after the last line is not the analyst's.
  const last = parts[parts.length - 1]
  if (typeof last === 'string' && last.endsWith('\n') && root.lastChild?.nodeName === 'BR') {
    parts[parts.length - 1] = last.slice(0, -1)
  }
  return parts
}

/** Parts compared by what they store: "Dear ", "" and "Dear " + "" are the same text. */
const same = (parts: readonly Part[], graph: Graph, words: Words) => {
  const stored = partsOf(valueOfParts(parts))
  // The chips' words too: a renamed constant or rule shows its new name (and a chip, the person's language).
  return JSON.stringify([stored, stored.map((p) => (typeof p === 'string' ? '' : words.refWords(graph, p)))])
}

export interface TemplateInputProps {
  graph: Graph
  nodeId: string | undefined
  label: string
  parts: readonly Part[]
  multiline?: boolean
  error?: boolean
  helperText?: string | undefined
  onChange: (parts: Part[]) => void
  /** Undo and redo typed in the box go to the designer's history. */
  onHistory?: ((step: 'undo' | 'redo') => void) | undefined
}

/** Text with chips: typed text, and "…" inserts a picked value as a chip where the caret stands. */
export function TemplateInput({
  graph,
  nodeId,
  label,
  parts,
  multiline,
  error,
  helperText,
  onChange,
  onHistory,
}: TemplateInputProps) {
  const box = useRef<HTMLDivElement>(null)
  const shown = useRef<string | undefined>(undefined)
  const caret = useRef<Range | undefined>(undefined)
  const labelId = useId()
  const helpId = useId()
  const { t } = useTranslation('designer')
  const words = useWords()

  // The box is drawn from the parts only when they changed from outside (undo, another field): redrawing
  // while the analyst types would move the caret.
  useLayoutEffect(() => {
    const root = box.current
    const json = same(parts, graph, words)
    if (!root || json === shown.current) return
    shown.current = json
    root.replaceChildren(
      ...parts.map((p) => (typeof p === 'string' ? document.createTextNode(p) : chipElement(graph, p, words))),
    )
  }, [parts, graph, words])

  const emit = () => {
    const root = box.current
    if (!root) return
    const next = readParts(root)
    shown.current = same(next, graph, words)
    onChange(next)
  }
  const insertPlain = (text: string) => {
    const clean = (multiline ? text : text.replace(/\s*[\r\n]+\s*/g, ' ')).replace(/\r\n?/g, '\n')
    document.execCommand('insertText', false, clean)
  }
  /** The caret back where it was (the list closed without a pick). */
  const refocus = () =>
    requestAnimationFrame(() => {
      const root = box.current
      if (!root) return
      root.focus()
      const range = caret.current && root.contains(caret.current.startContainer) ? caret.current : undefined
      if (range) {
        const selection = window.getSelection()
        selection?.removeAllRanges()
        selection?.addRange(range)
      }
    })
  const remember = () => {
    const selection = window.getSelection()
    const range = selection && selection.rangeCount > 0 ? selection.getRangeAt(0) : undefined
    if (range && box.current?.contains(range.startContainer)) caret.current = range.cloneRange()
  }
  const insert = (ref: Reference) => {
    const root = box.current
    if (!root) return
    const chip = chipElement(graph, ref, words)
    const range = caret.current && root.contains(caret.current.startContainer) ? caret.current : undefined
    if (range) {
      range.deleteContents()
      range.insertNode(chip)
    } else root.appendChild(chip)
    // The caret goes after the chip, so typing goes on from there.
    const after = document.createRange()
    after.setStartAfter(chip)
    after.collapse(true)
    caret.current = after
    emit()
    // Once the list has closed: the caret back in the box, after the chip.
    requestAnimationFrame(() => {
      root.focus()
      const selection = window.getSelection()
      selection?.removeAllRanges()
      selection?.addRange(after)
    })
  }

  return (
    <Box data-settings-field>
      <Stack direction="row" spacing={0.5} sx={{ alignItems: 'flex-start' }}>
        <Box sx={{ flex: 1, minWidth: 0, position: 'relative' }}>
          <Typography
            id={labelId}
            variant="caption"
            color={error ? 'error' : 'text.secondary'}
            sx={{ display: 'block', mb: 0.25 }}
          >
            {label}
          </Typography>
          <Box
            ref={box}
            role="textbox"
            tabIndex={0}
            contentEditable
            suppressContentEditableWarning
            aria-multiline={multiline ? 'true' : 'false'}
            aria-labelledby={labelId}
            aria-describedby={helperText ? helpId : undefined}
            aria-invalid={error ? 'true' : undefined}
            onInput={emit}
            onKeyUp={remember}
            onMouseUp={remember}
            onBlur={remember}
            onKeyDown={(e) => {
              const key = e.key.toLowerCase()
              const mod = e.ctrlKey || e.metaKey
              // The browser's own undo does not know the chips: the designer's history undoes the field.
              if (mod && (key === 'z' || key === 'y') && onHistory) {
                e.preventDefault()
                onHistory(key === 'y' || e.shiftKey ? 'redo' : 'undo')
                return
              }
              if (e.key !== 'Enter' || e.nativeEvent.isComposing) return
              e.preventDefault()
              if (multiline) document.execCommand('insertLineBreak')
            }}
            onBeforeInput={(e) => {
              const type = (e.nativeEvent as InputEvent).inputType
              if ((type === 'historyUndo' || type === 'historyRedo') && onHistory) {
                e.preventDefault()
                onHistory(type === 'historyUndo' ? 'undo' : 'redo')
              }
            }}
            onPaste={(e) => {
              // Only text comes in: no styles, no pictures; one line where one line is asked.
              e.preventDefault()
              insertPlain(e.clipboardData.getData('text/plain'))
            }}
            onDrop={(e) => {
              e.preventDefault()
              const text = e.dataTransfer.getData('text/plain')
              if (text) insertPlain(text)
            }}
            sx={{
              minHeight: multiline ? 72 : 38,
              px: 1.5,
              py: 1,
              border: '1px solid',
              borderColor: error ? 'error.main' : 'rgba(0,0,0,0.23)',
              borderRadius: 1,
              fontSize: 14,
              lineHeight: '22px',
              whiteSpace: 'pre-wrap',
              overflowWrap: 'anywhere',
              outline: 'none',
              '&:focus': {
                borderColor: 'primary.main',
                boxShadow: '0 0 0 1px var(--mui-palette-primary-main, #2f5d62)',
              },
              [`& .${CHIP_CLASS}`]: {
                display: 'inline',
                boxDecorationBreak: 'clone',
                px: 0.75,
                mx: 0.25,
                borderRadius: 8,
                bgcolor: 'rgba(47,93,98,0.14)',
                color: 'primary.dark',
                fontSize: 12,
                lineHeight: '18px',
                fontWeight: 600,
                userSelect: 'all',
              },
            }}
          />
        </Box>
        <Box sx={{ pt: 2.5 }}>
          <PickerButton
            graph={graph}
            nodeId={nodeId}
            type="any"
            label={t('picker.insertInto', { label })}
            onOpen={remember}
            onPick={insert}
            restoreFocus={false}
            onDismiss={refocus}
          />
        </Box>
      </Stack>
      {helperText && (
        <Typography id={helpId} variant="caption" color={error ? 'error' : 'text.secondary'} sx={{ mx: 1.75 }}>
          {helperText}
        </Typography>
      )}
    </Box>
  )
}

/** An ISO moment as a datetime-local input shows it (in the browser's time zone); a bare date at midnight. */
export function toLocalInput(value: string): string {
  if (/^\d{4}-\d{2}-\d{2}$/.test(value)) return `${value}T00:00`
  const t = Date.parse(value)
  if (Number.isNaN(t)) return ''
  const d = new Date(t)
  const two = (n: number) => String(n).padStart(2, '0')
  return `${d.getFullYear()}-${two(d.getMonth() + 1)}-${two(d.getDate())}T${two(d.getHours())}:${two(d.getMinutes())}`
}

/** What a datetime-local input gives, as an ISO moment (UTC). */
export function fromLocalInput(value: string): string {
  const t = Date.parse(value)
  return value === '' || Number.isNaN(t) ? '' : new Date(t).toISOString().replace('.000Z', 'Z')
}

/**
 * A value of a type typed by hand: yes/no chosen, numbers as numbers, a date, a date and time (kept as an ISO
 * moment), anything else as text. Used by value slots and by the constants and variables manager.
 */
export function LiteralInput({
  type,
  label,
  value,
  error,
  helperText,
  onChange,
  fullWidth,
  sx,
}: {
  type: SlotType
  label: string
  value: unknown
  error?: boolean
  helperText?: string | undefined
  onChange: (value: Scalar) => void
  fullWidth?: boolean
  sx?: SxProps<Theme>
}) {
  const { t } = useTranslation('designer')
  const common = { size: 'small' as const, label, error: error === true, helperText, fullWidth, sx }
  if (type === 'boolean') {
    return (
      <TextField
        {...common}
        select
        value={value === true ? 'yes' : value === false ? 'no' : ''}
        onChange={(e) => onChange(e.target.value === 'yes')}
      >
        <MenuItem value="yes">{t('value.yes')}</MenuItem>
        <MenuItem value="no">{t('value.no')}</MenuItem>
      </TextField>
    )
  }
  const numeric = type === 'number' || type === 'money'
  const shown = value === undefined || value === null ? '' : Array.isArray(value) ? value.join(', ') : String(value)
  return (
    <TextField
      {...common}
      type={numeric ? 'number' : type === 'date' ? 'date' : type === 'datetime' ? 'datetime-local' : 'text'}
      slotProps={{ inputLabel: { shrink: true } }}
      value={type === 'datetime' ? toLocalInput(shown) : shown}
      onChange={(e) => {
        const raw = e.target.value
        onChange(
          numeric && raw !== '' && Number.isFinite(Number(raw))
            ? Number(raw)
            : type === 'datetime'
              ? fromLocalInput(raw)
              : raw,
        )
      }}
    />
  )
}

export interface SlotInputProps {
  graph: Graph
  nodeId: string | undefined
  label: string
  type: SlotType
  value: Value | undefined
  kinds?: ReadonlyArray<Reference['kind']>
  error?: boolean
  helperText?: string | undefined
  onChange: (value: Value) => void
}

const isReference = (v: Value | undefined): v is Reference =>
  v !== undefined && v.kind !== 'literal' && v.kind !== 'template'

/**
 * A slot that takes one value of a type: typed (a number, a date, yes/no, a user id …) or picked with
 * "…", when it stands as a chip until cleared. Text slots use {@link TemplateInput} instead.
 */
export function SlotInput({ graph, nodeId, label, type, value, kinds, error, helperText, onChange }: SlotInputProps) {
  const { t } = useTranslation('designer')
  const words = useWords()
  const picker = (
    <PickerButton
      graph={graph}
      nodeId={nodeId}
      type={type}
      {...(kinds ? { kinds } : {})}
      label={t('picker.pickFor', { label })}
      onPick={onChange}
    />
  )
  if (isReference(value)) {
    return (
      <Box data-settings-field>
        <Typography variant="caption" color={error ? 'error' : 'text.secondary'} sx={{ display: 'block' }}>
          {label}
        </Typography>
        <Stack direction="row" spacing={0.5} sx={{ alignItems: 'center', minHeight: 38 }}>
          <Chip
            size="small"
            label={words.refWords(graph, value)}
            sx={{ maxWidth: '100%', bgcolor: 'rgba(47,93,98,0.14)', fontWeight: 600 }}
          />
          <Tooltip title={t('picker.typeInstead')}>
            <IconButton
              size="small"
              aria-label={t('picker.clear', { label })}
              onClick={() => onChange({ kind: 'literal', value: '' })}
            >
              ×
            </IconButton>
          </Tooltip>
          <Box sx={{ flex: 1 }} />
          {picker}
        </Stack>
        {helperText && (
          <Typography variant="caption" color={error ? 'error' : 'text.secondary'} sx={{ mx: 1.75 }}>
            {helperText}
          </Typography>
        )}
      </Box>
    )
  }
  const field = (
    <LiteralInput
      type={type}
      label={label}
      value={value?.kind === 'literal' ? value.value : ''}
      error={error === true}
      helperText={helperText}
      onChange={(v) => onChange({ kind: 'literal', value: v })}
      fullWidth
    />
  )
  return (
    <Stack direction="row" spacing={0.5} sx={{ alignItems: 'flex-start' }} data-settings-field>
      <Box sx={{ flex: 1, minWidth: 0 }}>{field}</Box>
      <Box sx={{ pt: 0.5 }}>{picker}</Box>
    </Stack>
  )
}
