/**
 * The template editor's logic that needs no browser: fields placed on a PDF's pages in points (1/72 inch)
 * from the page's top-left corner, as the API stores them, and the screen's pixels they are drawn at; moving,
 * resizing, snapping and nudging that never take a field off its page; what a text field may show (the
 * element's fields, the document's number and date, an extra field); what the server will refuse, said
 * before it is asked; and the field layout of the built-in templates, to start one's own from.
 */
import type { TFunction } from 'i18next'
import { fieldIndex } from '../../../shared/graph/fields.js'
import type { DocumentType, ElementType } from '../../../shared/graph/vocabulary.js'
import type { Language } from '../../../shared/i18n/languages.js'
import { type Translate, wordsOf } from '../designer/words.js'
import { i18n } from '../i18n/index.js'
import type { PlacedField } from './workspace-api.js'

// ------------------------------------------------------------ kinds and parties

/** As the server's `FIELD_KINDS` (server/documents/templates.ts). */
export const FIELD_KINDS = ['text', 'clientText', 'signature', 'stamp', 'date', 'initials'] as const
export type FieldKind = (typeof FIELD_KINDS)[number]
export const PARTIES = ['company', 'client'] as const
export type Party = (typeof PARTIES)[number]

/** A kind of field in words, in the app's language ("Signature", "Text the signer fills in"). */
export function kindName(kind: FieldKind): string {
  switch (kind) {
    case 'text':
      return i18n.t('templates:kind.text')
    case 'clientText':
      return i18n.t('templates:kind.clientText')
    case 'signature':
      return i18n.t('templates:kind.signature')
    case 'stamp':
      return i18n.t('templates:kind.stamp')
    case 'date':
      return i18n.t('templates:kind.date')
    case 'initials':
      return i18n.t('templates:kind.initials')
    default:
      return kind
  }
}

export const isFieldKind = (value: unknown): value is FieldKind =>
  typeof value === 'string' && (FIELD_KINDS as readonly string[]).includes(value)

/** A company's box by its kind: "Company signature". */
function companyField(kind: string): string {
  switch (kind) {
    case 'clientText':
      return i18n.t('templates:field.company.clientText')
    case 'signature':
      return i18n.t('templates:field.company.signature')
    case 'stamp':
      return i18n.t('templates:field.company.stamp')
    case 'date':
      return i18n.t('templates:field.company.date')
    case 'initials':
      return i18n.t('templates:field.company.initials')
    default:
      return i18n.t('templates:field.company.other', { kind })
  }
}

/** A client's box by its kind: "Client signature". */
function clientField(kind: string): string {
  switch (kind) {
    case 'clientText':
      return i18n.t('templates:field.client.clientText')
    case 'signature':
      return i18n.t('templates:field.client.signature')
    case 'stamp':
      return i18n.t('templates:field.client.stamp')
    case 'date':
      return i18n.t('templates:field.client.date')
    case 'initials':
      return i18n.t('templates:field.client.initials')
    default:
      return i18n.t('templates:field.client.other', { kind })
  }
}

/** What a box is called on the page and for screen readers: "Client signature", "Text: Title". */
export function fieldName(field: Pick<PlacedField, 'kind' | 'party' | 'bind'>, bindLabel?: string): string {
  if (field.kind === 'text') {
    return i18n.t('templates:field.text', { shows: bindLabel ?? (field.bind || i18n.t('templates:field.notChosen')) })
  }
  return field.party === 'company' ? companyField(field.kind) : clientField(field.kind)
}

/** Kinds that show text, and so have a font size. */
export const hasFontSize = (kind: string) => kind === 'text' || kind === 'clientText' || kind === 'date'

// ------------------------------------------------------------ geometry

export interface Size {
  width: number
  height: number
}

export interface Rect {
  x: number
  y: number
  width: number
  height: number
}

export interface Point {
  x: number
  y: number
}

/** The smallest box, in points (a box is never smaller, unless the page itself is). */
export const MIN_SIZE = 6
/** The grid boxes snap to when snapping is on, in points. */
export const GRID = 4
/** How far an arrow key moves a box, in points; with Shift, ten times as far. */
export const NUDGE = 1

/** A new box of each kind, in points. */
export const DEFAULT_SIZES: Record<FieldKind, Size> = {
  text: { width: 180, height: 16 },
  clientText: { width: 180, height: 18 },
  signature: { width: 150, height: 48 },
  stamp: { width: 84, height: 84 },
  date: { width: 84, height: 16 },
  initials: { width: 48, height: 24 },
}

const clamp = (value: number, min: number, max: number) => Math.min(Math.max(value, min), max)
/** To hundredths of a point, the way the API gets them (no 0.30000000000000004). */
const round2 = (value: number) => Math.round(value * 100) / 100
/** Down to hundredths: a box's far edge never passes the page's because of rounding. */
const floor2 = (value: number) => Math.floor(value * 100 + 1e-6) / 100

/** Screen pixels → points, at `scale` pixels per point. */
export const toPoints = (pixels: number, scale: number) => pixels / scale
/** Points → screen pixels, at `scale` pixels per point. */
export const toPixels = (points: number, scale: number) => points * scale

/** Where a pointer at (clientX, clientY) is on a page drawn at `scale`, in points from its top-left corner. */
export function pointOnPage(client: Point, pageBox: { left: number; top: number }, scale: number): Point {
  return { x: toPoints(client.x - pageBox.left, scale), y: toPoints(client.y - pageBox.top, scale) }
}

/** The pixels per point that draw a page `availablePixels` wide (at most `maxScale`). */
export function scaleToFit(page: Size, availablePixels: number, maxScale = 2): number {
  if (!(page.width > 0) || !(availablePixels > 0)) return 1
  return Math.min(availablePixels / page.width, maxScale)
}

/** To the nearest multiple of `step` (unchanged when `step` is 0 or less). */
export function snap(value: number, step: number): number {
  return step > 0 ? Math.round(value / step) * step : value
}

/**
 * The box moved and resized as little as needed to lie inside the page: at least `MIN_SIZE` (or the page)
 * big, at most the page, its corner so that it ends before the page does; in hundredths of a point.
 */
export function clampRect(rect: Rect, page: Size): Rect {
  const width = floor2(clamp(finite(rect.width, MIN_SIZE), Math.min(MIN_SIZE, page.width), page.width))
  const height = floor2(clamp(finite(rect.height, MIN_SIZE), Math.min(MIN_SIZE, page.height), page.height))
  const x = Math.min(round2(clamp(finite(rect.x, 0), 0, page.width - width)), floor2(page.width - width))
  const y = Math.min(round2(clamp(finite(rect.y, 0), 0, page.height - height)), floor2(page.height - height))
  return { x: Math.max(0, x), y: Math.max(0, y), width, height }
}

const finite = (value: number, otherwise: number) => (Number.isFinite(value) ? value : otherwise)

/** Whether the box lies wholly on the page. */
export function insidePage(rect: Rect, page: Size): boolean {
  return (
    rect.x >= 0 &&
    rect.y >= 0 &&
    rect.width > 0 &&
    rect.height > 0 &&
    rect.x + rect.width <= page.width + 1e-9 &&
    rect.y + rect.height <= page.height + 1e-9
  )
}

/** The box moved by (dx, dy) points, its corner snapped to the grid when `grid` > 0, kept on the page. */
export function moveRect(rect: Rect, dx: number, dy: number, page: Size, grid = 0): Rect {
  return clampRect({ ...rect, x: snap(rect.x + dx, grid), y: snap(rect.y + dy, grid) }, page)
}

/**
 * The box grown by (dw, dh) points from its bottom-right corner (the top-left stays), its far edges snapped to
 * the grid when `grid` > 0, never smaller than `MIN_SIZE` nor past the page's edges.
 */
export function resizeRect(rect: Rect, dw: number, dh: number, page: Size, grid = 0): Rect {
  const right = snap(rect.x + rect.width + dw, grid)
  const bottom = snap(rect.y + rect.height + dh, grid)
  const width = clamp(right - rect.x, MIN_SIZE, Math.max(MIN_SIZE, page.width - rect.x))
  const height = clamp(bottom - rect.y, MIN_SIZE, Math.max(MIN_SIZE, page.height - rect.y))
  return clampRect({ ...rect, width, height }, page)
}

/** A new box of `kind` centred where it was dropped (in points), snapped and on the page. */
export function placeRect(kind: FieldKind, at: Point, page: Size, grid = 0): Rect {
  const size = DEFAULT_SIZES[kind]
  return clampRect({ x: snap(at.x - size.width / 2, grid), y: snap(at.y - size.height / 2, grid), ...size }, page)
}

/**
 * What an arrow key does to a selected box: moves it by `NUDGE` points (Shift: ten times), or with Alt
 * resizes it from its bottom-right corner. `undefined` for other keys.
 */
export function nudgeRect(
  rect: Rect,
  key: string,
  modifiers: { shiftKey?: boolean; altKey?: boolean },
  page: Size,
): Rect | undefined {
  const step = modifiers.shiftKey ? NUDGE * 10 : NUDGE
  const delta: Record<string, [number, number]> = {
    ArrowLeft: [-step, 0],
    ArrowRight: [step, 0],
    ArrowUp: [0, -step],
    ArrowDown: [0, step],
  }
  const d = delta[key]
  if (!d) return undefined
  return modifiers.altKey ? resizeRect(rect, d[0], d[1], page) : moveRect(rect, d[0], d[1], page)
}

export const rectOf = (field: Rect): Rect => ({ x: field.x, y: field.y, width: field.width, height: field.height })

// ------------------------------------------------------------ fields

/** An id unused among `fields`: "signature-2". Ids keep to the API's letters, digits, "_", "." and "-". */
export function nextFieldId(kind: string, fields: ReadonlyArray<{ id: string }>): string {
  const used = new Set(fields.map((f) => f.id))
  const base = kind.replace(/[^A-Za-z0-9_.-]/g, '') || 'field'
  for (let n = 1; ; n++) {
    const id = `${base}-${n}`
    if (!used.has(id)) return id
  }
}

/** A field of `kind` for `party` (text fields have none), dropped at `at` on page `page` (1 for the first). */
export function newField(
  kind: FieldKind,
  party: Party | undefined,
  page: number,
  at: Point,
  size: Size,
  fields: ReadonlyArray<{ id: string }>,
  grid = 0,
): PlacedField {
  const rect = placeRect(kind, at, size, grid)
  return {
    id: nextFieldId(kind, fields),
    kind,
    page,
    ...rect,
    ...(kind === 'text' ? {} : { party: party ?? 'client' }),
    ...(kind === 'signature' ? { required: true } : {}),
  }
}

/**
 * A field changed to another kind: a text field loses its party and label, the others gain a party (the one
 * given, else the client) and lose the binding; a font size stays only where text is drawn.
 */
export function withKind(field: PlacedField, kind: FieldKind, party?: Party): PlacedField {
  const { party: oldParty, bind, fontSize, label, required, ...rest } = field
  const next: PlacedField = { ...rest, kind }
  if (kind === 'text') {
    if (bind) next.bind = bind
  } else {
    next.party = party ?? (oldParty === 'company' || oldParty === 'client' ? oldParty : 'client')
    if (label) next.label = label
    if (required !== undefined) next.required = required
  }
  if (fontSize !== undefined && hasFontSize(kind)) next.fontSize = fontSize
  return next
}

/** The fields as the API takes them: only what each kind uses, empty labels left out, in hundredths of a point. */
export function fieldsForSave(fields: readonly PlacedField[]): PlacedField[] {
  return fields.map((f) => {
    const out: PlacedField = {
      id: f.id,
      kind: f.kind,
      page: f.page,
      x: round2(f.x),
      y: round2(f.y),
      width: round2(f.width),
      height: round2(f.height),
    }
    if (f.kind === 'text') {
      if (f.bind) out.bind = f.bind
    } else {
      if (f.party) out.party = f.party
      if (f.label?.trim()) out.label = f.label.trim()
      if (f.required !== undefined) out.required = f.required
    }
    if (f.fontSize !== undefined && hasFontSize(f.kind)) out.fontSize = f.fontSize
    return out
  })
}

/** A problem with the template, at the API's JSON path ("/fields/3/bind", "/name"). */
export interface Problem {
  path: string
  message: string
}

/** What the server would refuse in these fields (the same words), before asking it. */
export function fieldProblems(fields: readonly PlacedField[], pages: readonly Size[]): Problem[] {
  const problems: Problem[] = []
  const seen = new Set<string>()
  fields.forEach((field, i) => {
    const at = `/fields/${i}`
    if (seen.has(field.id)) {
      problems.push({ path: `${at}/id`, message: i18n.t('templates:problem.sameId', { id: field.id }) })
    }
    seen.add(field.id)
    const page = pages[field.page - 1]
    if (pages.length > 0 && !page) {
      problems.push({
        path: `${at}/page`,
        message: i18n.t('templates:problem.noPage', { count: pages.length, page: field.page }),
      })
    } else if (page && !insidePage(field, page)) {
      problems.push({ path: `${at}/x`, message: i18n.t('templates:problem.offPage', { page: field.page }) })
    }
    if (field.kind === 'text' && !field.bind) {
      problems.push({ path: `${at}/bind`, message: i18n.t('templates:problem.noBind') })
    }
    if (field.kind === 'text' && field.bind === 'fields.') {
      problems.push({ path: `${at}/bind`, message: i18n.t('templates:problem.noExtraName') })
    }
    if (field.kind !== 'text' && !field.party) {
      problems.push({ path: `${at}/party`, message: i18n.t('templates:problem.noParty') })
    }
    if (field.fontSize !== undefined && (field.fontSize < 4 || field.fontSize > 72)) {
      problems.push({ path: `${at}/fontSize`, message: i18n.t('templates:problem.fontSize') })
    }
  })
  return problems
}

/** "/fields/3/y" → the field at index 3 and its key "y"; "/fields/3" → index 3; "/name" → key "name". */
export function parseProblemPath(path: string | undefined): { index?: number; key?: string } {
  if (!path) return {}
  const parts = path.split('/').filter((p) => p !== '')
  if (parts[0] === 'fields' && parts[1] !== undefined && /^\d+$/.test(parts[1])) {
    const index = Number(parts[1])
    return parts[2] === undefined ? { index } : { index, key: parts[2] }
  }
  return parts[0] === undefined ? {} : { key: parts[0] }
}

/**
 * Problems by where they show: a field's (by its id, then by key: "x", "bind", "" for the field as a whole),
 * or the template's own ("name", "fileId", "" for the rest). `sent` are the fields in the order they were sent.
 */
export function placeProblems(
  problems: readonly Problem[],
  sent: ReadonlyArray<{ id: string }>,
): { fields: Map<string, Map<string, string>>; template: Map<string, string> } {
  const fields = new Map<string, Map<string, string>>()
  const template = new Map<string, string>()
  for (const problem of problems) {
    const { index, key } = parseProblemPath(problem.path)
    const field = index === undefined ? undefined : sent[index]
    if (field) {
      const own = fields.get(field.id) ?? new Map<string, string>()
      const k = key ?? ''
      own.set(k, own.has(k) ? `${own.get(k)} ${problem.message}` : problem.message)
      fields.set(field.id, own)
    } else {
      const k = index === undefined ? (key ?? '') : ''
      template.set(k, template.has(k) ? `${template.get(k)} ${problem.message}` : problem.message)
    }
  }
  return { fields, template }
}

// ------------------------------------------------------------ what a text field shows

export interface BindOption {
  path: string
  label: string
  group: string
}

/** A group of the element's fields, by name ("The client's requisites"). */
function groupName(group: string): string {
  switch (group) {
    case 'element':
      return i18n.t('templates:group.element')
    case 'client':
      return i18n.t('templates:group.client')
    case 'clientRequisites':
      return i18n.t('templates:group.clientRequisites')
    case 'myCompany':
      return i18n.t('templates:group.myCompany')
    case 'custom':
      return i18n.t('templates:group.custom')
    default:
      return group
  }
}

/** The document's own values the server gives every template. */
export function documentOptions(): BindOption[] {
  const group = i18n.t('templates:group.document')
  return [
    { path: 'document.number', label: i18n.t('templates:bind.documentNumber'), group },
    { path: 'document.date', label: i18n.t('templates:bind.documentDate'), group },
  ]
}

export const EXTRA_PREFIX = 'fields.'

/**
 * What a text field may show for an element type: its fields with their labels (`fieldIndex`), but not files or
 * documents, then the document's number and date. Extra fields ("fields.<name>") are typed by the user.
 */
export function bindOptions(elementType: ElementType): BindOption[] {
  // The fields' labels in the app's language, as the designer says them.
  const words = wordsOf(i18n.getFixedT(null, 'designer') as unknown as Translate)
  const out: BindOption[] = []
  for (const def of fieldIndex(elementType, []).values()) {
    if (def.type === 'file' || def.type === 'document') continue
    out.push({ path: def.path, label: words.fieldLabel(def), group: groupName(def.group) })
  }
  return [...out, ...documentOptions()]
}

/** The extra field a name stands for ("delivery date" → "fields.delivery date"); undefined for a blank name. */
export function extraFieldPath(name: string): string | undefined {
  const trimmed = name.trim().replace(/^fields\./, '')
  return trimmed === '' ? undefined : `${EXTRA_PREFIX}${trimmed.slice(0, 200 - EXTRA_PREFIX.length)}`
}

/** An extra field in words: "Extra field “delivery date”". */
export const extraFieldLabel = (name: string) => i18n.t('templates:bind.extra', { name })

/** A binding in words: the option's label, "Extra field “…”", or the path itself. */
export function bindLabel(path: string | undefined, options: readonly BindOption[]): string {
  if (!path) return ''
  const option = options.find((o) => o.path === path)
  if (option) return option.label
  if (path.startsWith(EXTRA_PREFIX)) return extraFieldLabel(path.slice(EXTRA_PREFIX.length))
  return path
}

/**
 * The values a preview draws: the given title, amount and client name, and for every other bound path a
 * sample in angle quotes ("‹Client requisites: tax ID›"), so each text box shows something.
 */
export function sampleValues(
  sample: { title: string; amount: string; clientName: string },
  fields: readonly PlacedField[],
  options: readonly BindOption[],
): Record<string, string | number> {
  const amount = Number(sample.amount.replace(',', '.'))
  const values: Record<string, string | number> = {
    title: sample.title,
    'client.name': sample.clientName,
    ...(sample.amount.trim() !== '' && Number.isFinite(amount) ? { amount } : {}),
  }
  for (const field of fields) {
    const path = field.bind
    if (field.kind !== 'text' || !path || path in values) continue
    if (path.startsWith('myCompany.') || path.startsWith('document.')) continue // the server's own
    values[path] = `‹${bindLabel(path, options)}›`
  }
  return values
}

// ------------------------------------------------------------ the built-in templates' layout

/** A4, in points: the page the built-in templates are drawn on. */
export const A4: Size = { width: 595.28, height: 841.89 }
const MARGIN = 48

/** Something drawn on a starter page: words, a line or a box (y from the top, in A4 points). */
export type StarterMark =
  | { kind: 'text'; text: string; x: number; y: number; size: number; bold?: boolean; align?: 'left' | 'right' }
  | { kind: 'line'; x: number; y: number; width: number }
  | { kind: 'box'; x: number; y: number; width: number; height: number }

/** A built-in document's title as its page says it, in the document's language. */
function starterTitle(t: TFunction, type: DocumentType): string {
  switch (type) {
    case 'invoice':
      return t('templates:starter.title.invoice')
    case 'contract':
      return t('templates:starter.title.contract')
    case 'commercialOffer':
      return t('templates:starter.title.commercialOffer')
    case 'act':
      return t('templates:starter.title.act')
    default:
      return t('templates:starter.title.other')
  }
}

/**
 * A built-in template's layout as placed fields on one A4 page, with the words and lines around them, as
 * `render.ts` draws it: our company and the client side by side under the title, what it is about and the
 * amount, then the signature boxes — ours on the left, the client's on the right — each with a signature,
 * a stamp and the date of signing. The built-ins place their fields in code (the API lists none), so this
 * copy is what "start from a built-in one" puts on a page. Its words are in the document's `language`.
 */
export function builtinLayout(
  type: DocumentType,
  language: Language = 'en',
): { fields: PlacedField[]; marks: StarterMark[] } {
  const t = i18n.getFixedT(language)
  const right = A4.width - MARGIN
  const half = (A4.width - 2 * MARGIN - 24) / 2
  const clientX = MARGIN + half + 24
  const contract = type === 'contract'
  const marks: StarterMark[] = [
    { kind: 'text', text: starterTitle(t, type), x: right, y: MARGIN + 4, size: 20, bold: true, align: 'right' },
    // Ends before the date of issue, however long the word is in the document's language.
    { kind: 'text', text: t('templates:starter.issued'), x: right - 90, y: MARGIN + 40, size: 9, align: 'right' },
    { kind: 'line', x: MARGIN, y: MARGIN + 72, width: A4.width - 2 * MARGIN },
    {
      kind: 'text',
      text: contract ? t('templates:starter.seller') : t('templates:starter.from'),
      x: MARGIN,
      y: MARGIN + 86,
      size: 8,
      bold: true,
    },
    {
      kind: 'text',
      text: contract ? t('templates:starter.buyer') : t('templates:starter.to'),
      x: clientX,
      y: MARGIN + 86,
      size: 8,
      bold: true,
    },
    { kind: 'text', text: t('templates:starter.subject'), x: MARGIN, y: MARGIN + 182, size: 8, bold: true },
    {
      kind: 'text',
      text: type === 'commercialOffer' ? t('templates:starter.price') : t('templates:starter.amount'),
      x: MARGIN,
      y: MARGIN + 226,
      size: 8,
      bold: true,
    },
  ]
  const text = (id: string, bind: string, x: number, y: number, width: number, height: number, fontSize: number) =>
    ({ id, kind: 'text', page: 1, x, y, width, height, bind, fontSize }) satisfies PlacedField
  const fields: PlacedField[] = [
    text('my-company-name', 'myCompany.name', MARGIN, MARGIN + 10, 260, 16, 12),
    text('issued-on', 'document.date', right - 84, MARGIN + 38, 84, 13, 9),
    text('seller-name', 'myCompany.name', MARGIN, MARGIN + 98, half, 14, 10),
    text('seller-address', 'myCompany.address.legal.full', MARGIN, MARGIN + 114, half, 26, 9),
    text('seller-tax-id', 'myCompany.taxId', MARGIN, MARGIN + 142, half, 12, 9),
    text('buyer-name', 'client.name', clientX, MARGIN + 98, half, 14, 10),
    text('buyer-address', 'client.requisites.address.legal.full', clientX, MARGIN + 114, half, 26, 9),
    text('buyer-tax-id', 'client.requisites.taxId', clientX, MARGIN + 142, half, 12, 9),
    text('subject', 'title', MARGIN, MARGIN + 194, A4.width - 2 * MARGIN, 16, 11),
    text('amount', 'amount', MARGIN, MARGIN + 238, 140, 16, 12),
    text('currency', 'currency', MARGIN + 144, MARGIN + 238, 60, 16, 12),
  ]
  // The signature boxes, where a one-page built-in document has them.
  const boxHeight = 118
  const top = A4.height - MARGIN - 40 - boxHeight
  const lineY = top + boxHeight - 26
  const box = (party: Party, x: number, heading: string) => {
    marks.push(
      { kind: 'box', x, y: top, width: half, height: boxHeight },
      { kind: 'text', text: heading, x: x + 8, y: top + 6, size: 8, bold: true },
      { kind: 'line', x: x + 8, y: lineY, width: half * 0.62 - 8 },
      { kind: 'text', text: t('templates:starter.nameSignature'), x: x + 8, y: lineY + 4, size: 8 },
      { kind: 'text', text: t('templates:starter.date'), x: x + half * 0.66, y: lineY + 4, size: 8 },
    )
    fields.push(
      {
        id: `${party}-signature`,
        kind: 'signature',
        party,
        page: 1,
        x: x + 8,
        y: lineY - 2 - 64,
        width: half * 0.6 - 8,
        height: 64,
        label: t('templates:starter.signature'),
        required: true,
      },
      {
        id: `${party}-stamp`,
        kind: 'stamp',
        party,
        page: 1,
        x: x + half * 0.64,
        y: top + 18,
        width: half * 0.34,
        height: 58,
      },
      {
        id: `${party}-date`,
        kind: 'date',
        party,
        page: 1,
        x: x + half * 0.66,
        y: lineY - 14,
        width: half * 0.3,
        height: 12,
      },
    )
  }
  box('company', MARGIN, contract ? t('templates:starter.forSeller') : t('templates:starter.issuedBy'))
  box('client', clientX, contract ? t('templates:starter.forBuyer') : t('templates:starter.receivedBy'))
  return { fields: fields.map((f) => ({ ...f, ...clampRect(f, A4) })), marks }
}

/** The built-in layout's fields put on another page size: scaled to it and kept on it. */
export function layoutOnPage(fields: readonly PlacedField[], page: Size): PlacedField[] {
  const sx = page.width / A4.width
  const sy = page.height / A4.height
  return fields.map((f) => ({
    ...f,
    ...clampRect({ x: f.x * sx, y: f.y * sy, width: f.width * sx, height: f.height * sy }, page),
  }))
}

export const BUILTIN_IDS: Record<DocumentType, string> = {
  invoice: 'tpl-invoice',
  contract: 'tpl-contract',
  commercialOffer: 'tpl-offer',
  act: 'tpl-act',
  other: 'tpl-other',
}
