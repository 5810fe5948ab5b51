/**
 * Draws a document as a PDF with pdf-lib: a built-in template's layout, or an uploaded PDF with its
 * placed fields filled in. Text is set in DejaVu Sans, embedded (subset), so every letter of Polish,
 * French, Turkish and German stays text that readers search and `pdftotext` gives back. Amounts are
 * formatted with `Intl` for the document's locale and currency. User-typed values are only ever drawn as
 * text: nothing in them is interpreted.
 *
 * It returns the boxes each party signs in (page and rectangle), so that signing draws into them later.
 */
import fontkit from '@pdf-lib/fontkit'
import { degrees, PDFDict, PDFDocument, type PDFFont, type PDFImage, PDFName, type PDFPage, rgb } from 'pdf-lib'
import { roundMoney } from '../../shared/engine/values.js'
import type { DocumentType } from '../../shared/graph/vocabulary.js'
import { type Language, upper } from '../../shared/i18n/languages.js'
import { boldFont, regularFont } from '../pdf/fonts.js'
import { type DocumentWords, documentWords } from './document-words.js'
import type { DocumentTemplate, FieldKind, Party, PlacedField } from './templates.js'

export interface PartyBlock {
  /** The legal name. */
  name: string
  /** Address, tax id, registration, contacts: one line each, already worded. */
  lines: string[]
}

export interface Item {
  description: string
  quantity: number
  unit: string
  /** Net, per unit. */
  unitPrice: number
  /** Percent. */
  taxRate: number
}

export interface DocumentContent {
  type: DocumentType
  number: string
  /** What the document is about: the deal's title. */
  subject: string
  /** ISO date (YYYY-MM-DD) of issue. */
  issuedOn: string
  /** The language the document speaks (its words; see `language.ts`); absent in documents made before languages: English. */
  language?: Language
  locale: string
  currency: string
  seller: PartyBlock
  buyer: PartyBlock
  /** Our bank details, one line each ("IBAN PL61 …"). */
  bank: string[]
  items: Item[]
  /** A "create document" rule's extra fields, shown as they are. */
  details: Array<{ label: string; value: string }>
  /** Who signs for us, if known. */
  companySigner?: string
  /** Our stamp and signature, placed when "with signature and stamp" is on. */
  stamp?: Uint8Array
  signature?: Uint8Array
  /** Values placed fields of an uploaded template bind to, by path. */
  values: Readonly<Record<string, string>>
  /**
   * Words drawn over every page, across its top and large across its middle, so that no one takes the PDF
   * for a real document: a preview's "PREVIEW — NOT VALID".
   */
  mark?: string
}

export interface SigningBox {
  party: Party
  kind: FieldKind
  page: number
  /** PDF user space: from the page's bottom-left corner. */
  x: number
  y: number
  width: number
  height: number
  id: string
  label?: string
  required?: boolean
}

export interface Rendered {
  pdf: Uint8Array
  pages: number
  boxes: SigningBox[]
}

const A4: [number, number] = [595.28, 841.89]
const MARGIN = 48
const INK = rgb(0.11, 0.13, 0.15)
const GREY = rgb(0.38, 0.41, 0.44)
const RULE = rgb(0.8, 0.82, 0.84)
const ACCENT = rgb(0.2, 0.36, 0.38)
const SHADE = rgb(0.95, 0.96, 0.96)

export function formatMoney(amount: number, locale: string, currency: string): string {
  try {
    return new Intl.NumberFormat(locale, { style: 'currency', currency }).format(amount)
  } catch {
    return `${roundMoney(amount).toFixed(2)} ${currency}`
  }
}

export function formatNumber(value: number, locale: string): string {
  try {
    return new Intl.NumberFormat(locale, { maximumFractionDigits: 3 }).format(value)
  } catch {
    return String(value)
  }
}

export function formatDate(isoDate: string, locale: string): string {
  const date = new Date(`${isoDate.slice(0, 10)}T12:00:00Z`)
  if (Number.isNaN(date.getTime())) return isoDate
  try {
    return new Intl.DateTimeFormat(locale, { dateStyle: 'long', timeZone: 'UTC' }).format(date)
  } catch {
    return isoDate.slice(0, 10)
  }
}

export interface Totals {
  net: number
  tax: number
  gross: number
  lines: Array<{ net: number; tax: number; gross: number }>
}

/** Per line: net = quantity × price, tax on the line's net, each rounded to the cent; totals are their sums. */
export function totalsOf(items: readonly Item[]): Totals {
  const lines = items.map((item) => {
    const net = roundMoney(item.quantity * item.unitPrice)
    const tax = roundMoney((net * item.taxRate) / 100)
    return { net, tax, gross: roundMoney(net + tax) }
  })
  const sum = (key: 'net' | 'tax' | 'gross') => roundMoney(lines.reduce((total, line) => total + line[key], 0))
  return { net: sum('net'), tax: sum('tax'), gross: sum('gross'), lines }
}

/**
 * The longest start of `text` at most `width` points wide, as its length in UTF-16 units (0 if not even one
 * fits) and its width. Widths of a text's starts grow with their length, so the answer is searched for: from
 * `guess` in doubling steps until it is passed, then by halving. Each measure shapes at most about twice the
 * answer's length, never the whole text; with a good guess it takes two (the guess fits, one more does not).
 */
function longestFit(
  text: string,
  font: PDFFont,
  size: number,
  width: number,
  guess: number,
): { length: number; width: number } {
  const measure = (length: number) => font.widthOfTextAtSize(text.slice(0, length), size)
  // `fits` fits (the empty start always does); `over` does not (one past the end: none known yet).
  let fits = 0
  let fitsWidth = 0
  let over = text.length + 1
  const first = Math.min(Math.max(guess, 1), text.length)
  const firstWidth = measure(first)
  if (firstWidth <= width) {
    fits = first
    fitsWidth = firstWidth
    for (let step = 1; fits < text.length; step *= 2) {
      const next = Math.min(fits + step, text.length)
      const nextWidth = measure(next)
      if (nextWidth > width) {
        over = next
        break
      }
      fits = next
      fitsWidth = nextWidth
    }
  } else {
    over = first
    for (let step = 1; over > 1; step *= 2) {
      const next = Math.max(over - step, 1)
      const nextWidth = measure(next)
      if (nextWidth <= width) {
        fits = next
        fitsWidth = nextWidth
        break
      }
      over = next
    }
  }
  while (over - fits > 1) {
    const middle = fits + Math.floor((over - fits) / 2)
    const middleWidth = measure(middle)
    if (middleWidth <= width) {
      fits = middle
      fitsWidth = middleWidth
    } else over = middle
  }
  return { length: fits, width: fitsWidth }
}

/**
 * How many of a text's first letters likely fit in `width`, by adding up the letters' widths, each measured
 * once. Only a guess for {@link longestFit}: shaping (ligatures, joined Arabic letters) makes a text narrower
 * than its letters.
 */
function fitGuesser(font: PDFFont, size: number, width: number): (text: string) => number {
  const widths = new Map<string, number>()
  return (text) => {
    let total = 0
    for (let i = 0; i < text.length; i++) {
      const letter = text.charAt(i)
      let letterWidth = widths.get(letter)
      if (letterWidth === undefined) {
        letterWidth = font.widthOfTextAtSize(letter, size)
        widths.set(letter, letterWidth)
      }
      total += letterWidth
      if (total > width) return i
    }
    return text.length
  }
}

/** Words longer than this are not measured whole (which costs their length) but cut at once. */
const LONG_WORD = 256

/**
 * Lines of at most `width` points: words kept whole where they fit, longer ones cut (each piece as long as
 * fits, at least one letter). About linear in the text's length, however long its words: a word too long for
 * a line is cut piece by piece by {@link longestFit}, starting from a guess, and never measured whole (measuring
 * every shorter start of it until one fitted made a 100 000-letter word take minutes).
 */
export function wrap(text: string, font: PDFFont, size: number, width: number): string[] {
  const lines: string[] = []
  // Each word is measured once (shaping a whole line again for every word made long texts slow).
  const space = font.widthOfTextAtSize(' ', size)
  const guess = fitGuesser(font, size, width)
  for (const paragraph of text.split('\n')) {
    let line = ''
    let lineWidth = 0
    for (const word of paragraph.split(' ')) {
      // A long word: how much of it fits, which is all of it or tells that it needs a line, or more, of its own.
      let fit = word.length > LONG_WORD ? longestFit(word, font, size, width, guess(word)) : undefined
      const wordWidth = !fit
        ? font.widthOfTextAtSize(word, size)
        : fit.length === word.length
          ? fit.width
          : Number.POSITIVE_INFINITY
      const candidateWidth = line ? lineWidth + space + wordWidth : wordWidth
      if (candidateWidth <= width) {
        line = line ? `${line} ${word}` : word
        lineWidth = candidateWidth
        continue
      }
      if (line) lines.push(line)
      // Wider than a line: cut into pieces as long as fit, the last one starting the next line.
      let rest = word
      let restWidth = wordWidth
      while (rest.length > 1 && restWidth > width) {
        fit ??= longestFit(rest, font, size, width, guess(rest))
        if (fit.length >= rest.length) {
          restWidth = fit.width
          break
        }
        const cut = Math.max(fit.length, 1)
        lines.push(rest.slice(0, cut))
        rest = rest.slice(cut)
        fit = undefined
        // Whether the rest fits, the next search tells (measuring it whole would cost its length).
        restWidth = rest.length > 1 ? Number.POSITIVE_INFINITY : font.widthOfTextAtSize(rest, size)
      }
      line = rest
      lineWidth = restWidth
    }
    lines.push(line)
  }
  return lines
}

/** Keeps text drawable: control characters (a newline typed into a one-line field) become spaces. */
const clean = (text: string) => text.replace(/\p{Cc}+/gu, ' ').trim()

interface Fonts {
  regular: PDFFont
  bold: PDFFont
}

/** A cursor going down the pages of a built-in document. */
class Writer {
  page: PDFPage
  y: number
  readonly pages: PDFPage[] = []
  constructor(
    readonly doc: PDFDocument,
    readonly fonts: Fonts,
  ) {
    this.page = this.newPage()
    this.y = A4[1] - MARGIN
  }
  get width() {
    return A4[0] - 2 * MARGIN
  }
  newPage(): PDFPage {
    const page = this.doc.addPage(A4)
    this.pages.push(page)
    this.page = page
    this.y = A4[1] - MARGIN
    return page
  }
  /** Room for `height` more points on this page, else the next one. */
  need(height: number) {
    if (this.y - height < MARGIN + 30) this.newPage()
  }
  text(text: string, options: { x?: number; size?: number; bold?: boolean; color?: ReturnType<typeof rgb> } = {}) {
    const size = options.size ?? 10
    this.page.drawText(clean(text), {
      x: options.x ?? MARGIN,
      y: this.y - size,
      size,
      font: options.bold ? this.fonts.bold : this.fonts.regular,
      color: options.color ?? INK,
    })
  }
  paragraph(text: string, options: { size?: number; bold?: boolean; x?: number; width?: number; gap?: number } = {}) {
    const size = options.size ?? 10
    const font = options.bold ? this.fonts.bold : this.fonts.regular
    for (const line of wrap(clean(text), font, size, options.width ?? this.width)) {
      this.need(size * 1.4)
      this.text(line, { size, bold: options.bold ?? false, x: options.x ?? MARGIN })
      this.y -= size * 1.4
    }
    this.y -= options.gap ?? 4
  }
}

async function embedImage(doc: PDFDocument, bytes: Uint8Array | undefined): Promise<PDFImage | undefined> {
  if (!bytes || bytes.length < 4) return undefined
  try {
    return bytes[0] === 0x89 ? await doc.embedPng(bytes) : await doc.embedJpg(bytes)
  } catch {
    return undefined
  }
}

/** Draws `image` inside the box, as large as fits, keeping its proportions, centred. */
function drawFitted(page: PDFPage, image: PDFImage, box: { x: number; y: number; width: number; height: number }) {
  const scale = Math.min(box.width / image.width, box.height / image.height)
  const width = image.width * scale
  const height = image.height * scale
  page.drawImage(image, {
    x: box.x + (box.width - width) / 2,
    y: box.y + (box.height - height) / 2,
    width,
    height,
  })
}

/**
 * `text` on one line at most `width` points wide: at `size`, else smaller down to `min`, else cut with "…"
 * (as many letters as fit).
 */
function fitLine(
  text: string,
  font: PDFFont,
  size: number,
  min: number,
  width: number,
): { text: string; size: number } {
  const at = (s: number) => font.widthOfTextAtSize(text, s)
  if (at(size) <= width) return { text, size }
  // Widths grow with the size: the size that fits exactly, a hair smaller for rounding.
  const fitting = ((size * width) / Math.max(1, at(size))) * 0.999
  if (fitting >= min) return { text, size: fitting }
  let cut = text.length
  while (cut > 1 && font.widthOfTextAtSize(`${text.slice(0, cut).trimEnd()}…`, min) > width) cut--
  return { text: `${text.slice(0, cut).trimEnd()}…`, size: min }
}

function partyColumn(
  w: Writer,
  heading: string,
  party: PartyBlock,
  x: number,
  width: number,
  top: number,
  language: Language,
): number {
  let y = top
  const put = (text: string, size: number, bold: boolean, color = INK) => {
    for (const line of wrap(clean(text), bold ? w.fonts.bold : w.fonts.regular, size, width)) {
      w.page.drawText(line, { x, y: y - size, size, font: bold ? w.fonts.bold : w.fonts.regular, color })
      y -= size * 1.45
    }
  }
  put(upper(heading, language), 8, true, GREY)
  y -= 2
  put(party.name || '—', 11, true)
  for (const line of party.lines) put(line, 9, false)
  return y
}

async function renderBuiltin(content: DocumentContent): Promise<Rendered> {
  const doc = await PDFDocument.create()
  doc.registerFontkit(fontkit)
  const fonts = {
    regular: await doc.embedFont(regularFont(), { subset: true }),
    bold: await doc.embedFont(boldFont(), { subset: true }),
  }
  const language = content.language ?? 'en'
  const words = documentWords(language)
  const title = words.types[content.type]
  doc.setTitle(`${title} ${content.number}`)
  doc.setLanguage(content.locale)
  doc.setSubject(clean(content.subject))
  doc.setAuthor(clean(content.seller.name))
  doc.setProducer('Signflow')
  doc.setCreator('Signflow')
  doc.setCreationDate(new Date(`${content.issuedOn.slice(0, 10)}T12:00:00Z`))
  doc.setModificationDate(new Date(`${content.issuedOn.slice(0, 10)}T12:00:00Z`))
  const w = new Writer(doc, fonts)
  const money = (n: number) => formatMoney(n, content.locale, content.currency)

  // Header: our block on the left (the logo area), the title and number on the right.
  const page = w.page
  page.drawRectangle({ x: MARGIN, y: A4[1] - MARGIN - 44, width: 44, height: 44, color: ACCENT })
  const initials = clean(content.seller.name)
    .split(/\s+/)
    .filter((part) => /\p{L}/u.test(part.charAt(0)))
    .slice(0, 2)
    .map((part) => part.charAt(0).toLocaleUpperCase(content.locale))
    .join('')
  page.drawText(initials || 'S', {
    x: MARGIN + 22 - fonts.bold.widthOfTextAtSize(initials || 'S', 16) / 2,
    y: A4[1] - MARGIN - 28,
    size: 16,
    font: fonts.bold,
    color: rgb(1, 1, 1),
  })
  const right = A4[0] - MARGIN
  const heading = `${title}`
  // As large as 20 points, as long as it leaves our name the left half (a French "Procès-verbal de réception").
  const headingSize = Math.min(20, w.width / 2 / Math.max(1, fonts.bold.widthOfTextAtSize(heading, 1)))
  const headingX = right - fonts.bold.widthOfTextAtSize(heading, headingSize)
  page.drawText(heading, { x: headingX, y: A4[1] - MARGIN - 20, size: headingSize, font: fonts.bold, color: ACCENT })
  // Our name and address beside the logo, in the room the title and the number leave them (a long legal name
  // next to a German "Rechnung" gets smaller, then shortened; it is whole in the party block below).
  const nameLine = fitLine(clean(content.seller.name).slice(0, 200), fonts.bold, 11, 8, headingX - 12 - (MARGIN + 54))
  page.drawText(nameLine.text, {
    x: MARGIN + 54,
    y: A4[1] - MARGIN - 16,
    size: nameLine.size,
    font: fonts.bold,
    color: INK,
  })
  const numberRoom = Math.max(
    fonts.regular.widthOfTextAtSize(words.number(content.number), 10),
    fonts.regular.widthOfTextAtSize(words.issued(formatDate(content.issuedOn, content.locale)), 9),
  )
  const addressLine = fitLine(
    clean(content.seller.lines[0] ?? '').slice(0, 80),
    fonts.regular,
    8.5,
    7,
    right - numberRoom - 12 - (MARGIN + 54),
  )
  page.drawText(addressLine.text, {
    x: MARGIN + 54,
    y: A4[1] - MARGIN - 32,
    size: addressLine.size,
    font: fonts.regular,
    color: GREY,
  })
  const numberLine = words.number(content.number)
  page.drawText(numberLine, {
    x: right - fonts.regular.widthOfTextAtSize(numberLine, 10),
    y: A4[1] - MARGIN - 36,
    size: 10,
    font: fonts.regular,
    color: INK,
  })
  const dateLine = words.issued(formatDate(content.issuedOn, content.locale))
  page.drawText(dateLine, {
    x: right - fonts.regular.widthOfTextAtSize(dateLine, 9),
    y: A4[1] - MARGIN - 50,
    size: 9,
    font: fonts.regular,
    color: GREY,
  })
  w.y = A4[1] - MARGIN - 72
  page.drawLine({ start: { x: MARGIN, y: w.y }, end: { x: right, y: w.y }, thickness: 0.8, color: RULE })
  w.y -= 14

  // The parties, side by side; our bank details under us.
  const half = (w.width - 24) / 2
  const seller = { ...content.seller, lines: [...content.seller.lines, ...content.bank] }
  const contract = content.type === 'contract'
  const leftEnd = partyColumn(w, contract ? words.seller : words.from, seller, MARGIN, half, w.y, language)
  const rightEnd = partyColumn(
    w,
    contract ? words.buyer : words.to,
    content.buyer,
    MARGIN + half + 24,
    half,
    w.y,
    language,
  )
  w.y = Math.min(leftEnd, rightEnd) - 10

  if (content.subject) w.paragraph(words.subject(content.subject), { bold: true, size: 10.5, gap: 8 })

  const totals = totalsOf(content.items)
  if (content.type === 'contract') {
    for (const [head, body] of words.clauses(content.subject, money(totals.gross))) {
      w.need(40)
      w.paragraph(head, { bold: true, size: 10.5, gap: 1 })
      w.paragraph(body, { gap: 8 })
    }
  }

  // The items, with tax and totals.
  if (content.items.length > 0) {
    const cols = [
      { head: words.columns.number, width: 20, align: 'left' },
      { head: words.columns.description, width: 170, align: 'left' },
      { head: words.columns.quantity, width: 40, align: 'right' },
      { head: words.columns.unitPrice, width: 70, align: 'right' },
      { head: words.columns.net, width: 70, align: 'right' },
      { head: words.columns.tax, width: 50, align: 'right' },
      { head: words.columns.gross, width: w.width - 420, align: 'right' },
    ] as const
    const row = (cells: string[], bold: boolean, shade: boolean) => {
      const descLines = wrap(clean(cells[1] ?? ''), fonts.regular, 9, cols[1].width - 6)
      const height = Math.max(1, descLines.length) * 12 + 6
      w.need(height)
      if (shade) w.page.drawRectangle({ x: MARGIN, y: w.y - height, width: w.width, height, color: SHADE })
      let x = MARGIN
      cols.forEach((col, i) => {
        const font = bold ? fonts.bold : fonts.regular
        const lines = i === 1 ? descLines : [clean(cells[i] ?? '')]
        lines.forEach((line, n) => {
          const tw = font.widthOfTextAtSize(line, 9)
          const tx = col.align === 'right' ? x + col.width - 4 - tw : x + 3
          w.page.drawText(line, { x: tx, y: w.y - 12 - n * 12, size: 9, font, color: INK })
        })
        x += col.width
      })
      w.y -= height
    }
    w.need(40)
    row(
      cols.map((c) => c.head),
      true,
      true,
    )
    content.items.forEach((item, i) => {
      const line = totals.lines[i] ?? { net: 0, tax: 0, gross: 0 }
      row(
        [
          String(i + 1),
          item.description,
          `${formatNumber(item.quantity, content.locale)} ${item.unit}`.trim(),
          money(item.unitPrice),
          money(line.net),
          `${formatNumber(item.taxRate, content.locale)} %`,
          money(line.gross),
        ],
        false,
        false,
      )
      w.page.drawLine({ start: { x: MARGIN, y: w.y }, end: { x: A4[0] - MARGIN, y: w.y }, thickness: 0.4, color: RULE })
    })
    w.y -= 8
    for (const [label, value, bold] of [
      [words.netTotal, money(totals.net), false],
      [words.taxTotal, money(totals.tax), false],
      [content.type === 'invoice' ? words.totalDue : words.total, money(totals.gross), true],
    ] as const) {
      w.need(16)
      const font = bold ? fonts.bold : fonts.regular
      const size = bold ? 11 : 9.5
      w.page.drawText(label, { x: A4[0] - MARGIN - 220, y: w.y - size, size, font, color: INK })
      w.page.drawText(value, {
        x: A4[0] - MARGIN - font.widthOfTextAtSize(value, size),
        y: w.y - size,
        size,
        font,
        color: INK,
      })
      w.y -= size * 1.6
    }
    w.y -= 6
    if (content.type === 'invoice' && content.bank.length > 0) {
      w.paragraph(words.payWithin(money(totals.gross), content.bank.join(', ')), {
        size: 9,
        gap: 8,
      })
    }
    if (content.type === 'commercialOffer') w.paragraph(words.offerValid, { size: 9, gap: 8 })
    if (content.type === 'act') {
      w.paragraph(words.actConfirmed, { size: 9, gap: 8 })
    }
  }

  if (content.details.length > 0) {
    w.need(30)
    w.paragraph(words.details, { bold: true, size: 10.5, gap: 1 })
    for (const { label, value } of content.details) w.paragraph(`${label}: ${value}`, { size: 9.5, gap: 1 })
    w.y -= 8
  }

  // Signature and stamp boxes, ours on the left, the client's on the right.
  const boxHeight = 118
  w.need(boxHeight + 20)
  const top = w.y - 6
  const pageIndex = w.pages.indexOf(w.page) + 1
  const boxes: SigningBox[] = []
  const signingBox = (party: Party, x: number, heading: string, name: string | undefined) => {
    w.page.drawRectangle({ x, y: top - boxHeight, width: half, height: boxHeight, borderColor: RULE, borderWidth: 0.8 })
    w.page.drawText(upper(heading, language), { x: x + 8, y: top - 14, size: 8, font: fonts.bold, color: GREY })
    const lineY = top - boxHeight + 26
    w.page.drawLine({
      start: { x: x + 8, y: lineY },
      end: { x: x + half * 0.62, y: lineY },
      thickness: 0.6,
      color: GREY,
    })
    w.page.drawText(clean(name ?? '').slice(0, 40) || words.nameAndSignature, {
      x: x + 8,
      y: lineY - 11,
      size: 8,
      font: fonts.regular,
      color: GREY,
    })
    w.page.drawText(words.date, { x: x + half * 0.66, y: lineY - 11, size: 8, font: fonts.regular, color: GREY })
    boxes.push(
      {
        id: `${party}-signature`,
        party,
        kind: 'signature',
        page: pageIndex,
        x: x + 8,
        y: lineY + 2,
        width: half * 0.6 - 8,
        height: 64,
        label: words.signature,
        required: true,
      },
      {
        id: `${party}-stamp`,
        party,
        kind: 'stamp',
        page: pageIndex,
        x: x + half * 0.64,
        y: lineY + 6,
        width: half * 0.34,
        height: 70,
      },
      {
        id: `${party}-date`,
        party,
        kind: 'date',
        page: pageIndex,
        x: x + half * 0.66,
        y: lineY + 2,
        width: half * 0.3,
        height: 12,
      },
    )
  }
  signingBox('company', MARGIN, contract ? words.forSeller : words.issuedBy, content.companySigner)
  signingBox('client', MARGIN + half + 24, contract ? words.forBuyer : words.receivedBy, content.buyer.name)
  w.y = top - boxHeight - 10

  // Our stamp and signature, already there when asked for.
  const [stamp, signature] = [await embedImage(doc, content.stamp), await embedImage(doc, content.signature)]
  const pageOf = (box: SigningBox) => w.pages[box.page - 1] as PDFPage
  for (const box of boxes) {
    if (box.party !== 'company') continue
    if (box.kind === 'stamp' && stamp) drawFitted(pageOf(box), stamp, box)
    if (box.kind === 'signature' && signature) drawFitted(pageOf(box), signature, box)
  }

  footer(w.pages, fonts, words, `${title} ${content.number}`)
  if (content.mark) markPages(w.pages, fonts.bold, content.mark)
  return { pdf: await doc.save({ useObjectStreams: false }), pages: w.pages.length, boxes }
}

const MARK_RED = rgb(0.75, 0.1, 0.1)

/** The bold face's outlines, for marks drawn as shapes (read once). */
let markFace: ReturnType<typeof fontkit.create> | undefined

/** A glyph's outline; fontkit's paths also map their points by a matrix, which its typings leave out. */
interface Outline {
  transform(a: number, b: number, c: number, d: number, e: number, f: number): { toSVG(): string }
}

/**
 * `text` as the outlines of its letters (SVG path data, in font units, y pointing down as SVG's does, from the
 * start of its baseline) and its length in font units.
 */
function outlinesOf(text: string): { svg: string; length: number; unitsPerEm: number } {
  markFace ??= fontkit.create(boldFont())
  const run = markFace.layout(text)
  let x = 0
  let svg = ''
  run.glyphs.forEach((glyph, i) => {
    const position = run.positions[i]
    const outline = glyph.path as unknown as Outline
    svg += outline.transform(1, 0, 0, -1, x + (position?.xOffset ?? 0), -(position?.yOffset ?? 0)).toSVG()
    x += position?.xAdvance ?? glyph.advanceWidth
  })
  return { svg, length: x, unitsPerEm: markFace.unitsPerEm }
}

/**
 * `mark` over each page: as text in a red band across the top (above the margin of a built-in document, over
 * whatever an uploaded one has there), which readers and `pdftotext` show once per page; and in large, faint
 * letters from corner to corner, drawn as shapes (not text, so that they do not break up the text a reader
 * extracts).
 */
function markPages(pages: readonly PDFPage[], font: PDFFont, mark: string) {
  const text = clean(mark)
  const outlines = outlinesOf(text)
  for (const page of pages) {
    const box = page.getCropBox()
    const band = 16
    page.drawRectangle({ x: box.x, y: box.y + box.height - band, width: box.width, height: band, color: MARK_RED })
    const size = 9
    page.drawText(text, {
      x: box.x + (box.width - font.widthOfTextAtSize(text, size)) / 2,
      y: box.y + box.height - band + (band - size) / 2 + 1.5,
      size,
      font,
      color: rgb(1, 1, 1),
    })
    // Along the diagonal, about two thirds of it long, its middle on the page's centre.
    const angle = Math.atan2(box.height, box.width)
    const diagonal = Math.hypot(box.width, box.height)
    const scale = Math.min(72 / outlines.unitsPerEm, (diagonal * 0.68) / Math.max(1, outlines.length))
    const length = outlines.length * scale
    const height = 0.7 * outlines.unitsPerEm * scale
    const along = { x: Math.cos(angle), y: Math.sin(angle) }
    const across = { x: -along.y, y: along.x }
    page.drawSvgPath(outlines.svg, {
      x: box.x + box.width / 2 - (along.x * length) / 2 - (across.x * height) / 2,
      y: box.y + box.height / 2 - (along.y * length) / 2 - (across.y * height) / 2,
      scale,
      rotate: degrees((angle * 180) / Math.PI),
      color: MARK_RED,
      opacity: 0.14,
    })
  }
}

function footer(pages: readonly PDFPage[], fonts: Fonts, words: DocumentWords, label: string) {
  pages.forEach((page, i) => {
    const text = words.page(label, i + 1, pages.length)
    page.drawText(text, { x: MARGIN, y: 24, size: 7.5, font: fonts.regular, color: GREY })
  })
}

/**
 * Takes out of an uploaded PDF whatever a reader could run or be sent away by: actions when it opens or a
 * page shows, document-level JavaScript (in /Names), form scripts, and annotations' actions. The pages
 * themselves stay as they were.
 */
function inert(doc: PDFDocument) {
  for (const key of ['OpenAction', 'AA', 'Names', 'AcroForm', 'URI']) doc.catalog.delete(PDFName.of(key))
  for (const page of doc.getPages()) {
    page.node.delete(PDFName.of('AA'))
    const annotations = page.node.Annots()
    if (!annotations) continue
    for (let i = 0; i < annotations.size(); i++) {
      const annotation = annotations.lookup(i)
      if (annotation instanceof PDFDict) {
        annotation.delete(PDFName.of('A'))
        annotation.delete(PDFName.of('AA'))
      }
    }
  }
}

/** An uploaded PDF with its bound fields filled in; the parties' boxes are left for signing. */
async function renderUploaded(
  content: DocumentContent,
  template: DocumentTemplate,
  base: Uint8Array,
): Promise<Rendered> {
  const doc = await PDFDocument.load(base, { updateMetadata: false })
  inert(doc)
  doc.registerFontkit(fontkit)
  const regular = await doc.embedFont(regularFont(), { subset: true })
  const pages = doc.getPages()
  const boxes: SigningBox[] = []
  const [stamp, signature] = [await embedImage(doc, content.stamp), await embedImage(doc, content.signature)]
  for (const field of template.fields) {
    const page = pages[field.page - 1]
    if (!page) continue
    const { height } = page.getSize()
    const rect = { x: field.x, y: height - field.y - field.height, width: field.width, height: field.height }
    if (field.kind === 'text') {
      // The number is taken from the counter after the values were read: it is the content's own.
      const value = clean(field.bind === 'document.number' ? content.number : (content.values[field.bind ?? ''] ?? ''))
      const size = field.fontSize ?? 10
      const lines = wrap(value, regular, size, field.width)
      lines.slice(0, Math.max(1, Math.floor(field.height / (size * 1.25)))).forEach((line, n) => {
        page.drawText(line, {
          x: rect.x,
          y: rect.y + rect.height - size - n * size * 1.25,
          size,
          font: regular,
          color: INK,
        })
      })
      continue
    }
    const party = field.party ?? 'client'
    if (party === 'company' && field.kind === 'stamp' && stamp) drawFitted(page, stamp, rect)
    if (party === 'company' && field.kind === 'signature' && signature) drawFitted(page, signature, rect)
    boxes.push({
      id: field.id,
      party,
      kind: field.kind,
      page: field.page,
      ...rect,
      ...(field.label ? { label: field.label } : {}),
      ...(field.required !== undefined ? { required: field.required } : {}),
    })
  }
  const words = documentWords(content.language)
  footer(pages, { regular, bold: regular }, words, `${words.types[content.type]} ${content.number}`)
  if (content.mark) markPages(pages, regular, content.mark)
  return { pdf: await doc.save({ useObjectStreams: false }), pages: pages.length, boxes }
}

/** Generates the document. `base` is an uploaded template's PDF. */
export function renderDocument(
  content: DocumentContent,
  template: DocumentTemplate,
  base?: Uint8Array,
): Promise<Rendered> {
  if (template.source === 'upload') {
    if (!base) throw new Error(`template "${template.id}" has lost its PDF`)
    return renderUploaded(content, template, base)
  }
  return renderBuiltin(content)
}

export type { PlacedField }
