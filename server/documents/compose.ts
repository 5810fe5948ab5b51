/**
 * The signed PDF: the generated document with each signed party's signature (drawn image, or typed name in
 * an italic face), the date and initials in their boxes, and the fields they filled, flattened in as page
 * content; and, when everyone has signed, a certificate page appended: the document, the SHA-256 of the
 * original and of the signed pages, the parties, every event with its time, address and device, and the
 * consent notice's version and hash. The platform's seal (`server/pdf/seal.ts`) goes over the result.
 */

import { createHash } from 'node:crypto'
import fontkit from '@pdf-lib/fontkit'
import { PDFDocument, type PDFFont, type PDFPage, rgb } from 'pdf-lib'
import type { Language } from '../../shared/i18n/languages.js'
import { boldFont, regularFont, signatureFont } from '../pdf/fonts.js'
import { momentFormat } from './language.js'
import { signerWords } from './messages.js'
import { type SigningBox, wrap } from './render.js'

export interface SignedParty {
  id: string
  role: 'company' | 'client'
  name: string
  /** How the link reached them: "email to a…@x.com", "SMS to +48 …". */
  reachedBy: string
  signedAt: string
  method: 'drawn' | 'typed'
  /** A drawn signature (PNG). */
  image?: Uint8Array
  /** A typed signature. */
  typed?: string
  /** Values of the boxes they filled, by box id. */
  fields: Readonly<Record<string, string>>
}

export interface CertificateEvent {
  at: string
  type: string
  /** Who acted; none: Signflow itself. */
  party: { name: string; role: string } | null
  ip: string | null
  userAgent: string | null
  channel: string | null
}

/** The notice a party agreed to before signing: in which language, its version and hash. */
export interface AgreedNotice {
  language: Language
  version: string
  sha256: string
}

export interface Certificate {
  documentId: string
  title: string
  number: string
  originalSha256: string
  /** The language the page speaks (the client's), and the locale and time zone its moments are written in. */
  language: Language
  locale: string
  timeZone: string
  parties: Array<{
    role: string
    name: string
    /** How the link reached them, in the page's language ("e-mail na adres a…@x.com"). */
    reachedBy: string
    status: string
    signedAt: string | null
    method: string | null
    consent: AgreedNotice | null
  }>
  events: CertificateEvent[]
  completedAt: string
}

/** How signing dates are written in their boxes: the document's locale, our time zone. */
export interface DateStyle {
  locale: string
  timeZone: string
}

const INK = rgb(0.1, 0.12, 0.14)
const GREY = rgb(0.38, 0.41, 0.44)
const BLUE_INK = rgb(0.1, 0.2, 0.55)
const RULE = rgb(0.8, 0.82, 0.84)
const A4: [number, number] = [595.28, 841.89]
const MARGIN = 48

const clean = (text: string) => text.replace(/\p{Cc}+/gu, ' ').trim()

function fitText(
  page: PDFPage,
  text: string,
  font: PDFFont,
  box: { x: number; y: number; width: number; height: number },
  color = INK,
  max = 24,
) {
  let size = Math.min(max, box.height * 0.7)
  while (size > 5 && font.widthOfTextAtSize(text, size) > box.width) size -= 0.5
  page.drawText(text, { x: box.x + 2, y: box.y + (box.height - size) / 2 + size * 0.2, size, font, color })
}

const initialsOf = (name: string) =>
  name
    .split(/\s+/)
    .filter((w) => /\p{L}/u.test(w.charAt(0)))
    .map((w) => w.charAt(0).toLocaleUpperCase())
    .join('')
    .slice(0, 4)

/** Draws the signed parties into their boxes. */
async function flatten(
  doc: PDFDocument,
  boxes: readonly SigningBox[],
  parties: readonly SignedParty[],
  dates: DateStyle,
) {
  const day = momentFormat(dates.locale, dates.timeZone).shortDay
  const regular = await doc.embedFont(regularFont(), { subset: true })
  const script = await doc.embedFont(signatureFont(), { subset: true })
  const pages = doc.getPages()
  for (const party of parties) {
    const image = party.image ? await doc.embedPng(party.image) : undefined
    for (const box of boxes) {
      if (box.party !== party.role) continue
      const page = pages[box.page - 1]
      if (!page) continue
      switch (box.kind) {
        case 'signature':
          if (image) {
            const scale = Math.min(box.width / image.width, box.height / image.height)
            page.drawImage(image, {
              x: box.x + (box.width - image.width * scale) / 2,
              y: box.y + (box.height - image.height * scale) / 2,
              width: image.width * scale,
              height: image.height * scale,
            })
          } else if (party.typed) fitText(page, clean(party.typed), script, box, BLUE_INK, 26)
          break
        case 'date':
          fitText(page, day(party.signedAt), regular, box, INK, 9)
          break
        case 'initials':
          fitText(page, initialsOf(party.name), script, box, BLUE_INK, 18)
          break
        case 'clientText':
        case 'text': {
          const value = party.fields[box.id]
          if (value) fitText(page, clean(value), regular, box, INK, 11)
          break
        }
        case 'stamp':
          break
      }
    }
  }
}

/** The PDF with the parties who signed so far drawn in. */
export async function signedPages(
  original: Uint8Array,
  boxes: readonly SigningBox[],
  parties: readonly SignedParty[],
  dates: DateStyle,
) {
  const doc = await PDFDocument.load(original, { updateMetadata: false })
  doc.registerFontkit(fontkit)
  await flatten(doc, boxes, parties, dates)
  return doc.save({ useObjectStreams: false })
}

/**
 * The final document: the signed pages, then the certificate. Returns the PDF and the SHA-256 of the signed
 * pages (before the certificate), which the certificate states.
 */
export async function finalDocument(
  original: Uint8Array,
  boxes: readonly SigningBox[],
  parties: readonly SignedParty[],
  certificate: Certificate,
  dates: DateStyle,
): Promise<{ pdf: Uint8Array; signedPagesSha256: string }> {
  const pagesOnly = await signedPages(original, boxes, parties, dates)
  const signedPagesSha256 = createHash('sha256').update(pagesOnly).digest('hex')
  const doc = await PDFDocument.load(pagesOnly, { updateMetadata: false })
  doc.registerFontkit(fontkit)
  const regular = await doc.embedFont(regularFont(), { subset: true })
  const bold = await doc.embedFont(boldFont(), { subset: true })
  let page = doc.addPage(A4)
  let y = A4[1] - MARGIN
  const width = A4[0] - 2 * MARGIN
  const line = (
    text: string,
    options: { size?: number; font?: PDFFont; color?: ReturnType<typeof rgb>; x?: number; w?: number } = {},
  ) => {
    const size = options.size ?? 9
    const font = options.font ?? regular
    for (const part of wrap(clean(text), font, size, options.w ?? width)) {
      if (y - size * 1.4 < MARGIN) {
        page = doc.addPage(A4)
        y = A4[1] - MARGIN
      }
      page.drawText(part, { x: options.x ?? MARGIN, y: y - size, size, font, color: options.color ?? INK })
      y -= size * 1.4
    }
  }
  const gap = (h: number) => {
    y -= h
  }
  const rule = () => {
    page.drawLine({ start: { x: MARGIN, y }, end: { x: A4[0] - MARGIN, y }, thickness: 0.6, color: RULE })
    gap(8)
  }
  const words = signerWords(certificate.language).certificate
  const when = momentFormat(certificate.locale, certificate.timeZone).moment
  const word = (table: Readonly<Record<string, string>>, key: string) => table[key] ?? key
  line(words.title, { size: 18, font: bold })
  gap(4)
  line(words.document(certificate.title, certificate.documentId), { size: 10, color: GREY })
  line(words.completed(when(certificate.completedAt)), { size: 10, color: GREY })
  gap(8)
  rule()
  line(words.documentHeading, { size: 11, font: bold })
  line(words.sentSha(certificate.originalSha256), { size: 8.5 })
  line(words.pagesSha(signedPagesSha256), { size: 8.5 })
  line(words.sealed, { size: 8.5, color: GREY })
  gap(6)
  line(words.parties, { size: 11, font: bold })
  for (const p of certificate.parties) {
    line(`${p.role === 'company' ? words.companySigner : words.client}: ${p.name}`, { font: bold, size: 9.5 })
    const how = words.reachedBy(p.reachedBy)
    const state =
      p.status === 'signed'
        ? words.signed(when(p.signedAt ?? ''), p.method === 'typed' ? words.typed : words.drawn)
        : words.status(word(words.statuses, p.status))
    line(`${how} ${state}`, { size: 9 })
  }
  gap(6)
  line(words.consentHeading, { size: 11, font: bold })
  const notices = certificate.parties.map((p) => p.consent)
  const [first] = notices
  if (first && notices.every((n) => n?.sha256 === first.sha256)) {
    line(words.consentEach(first.version, first.sha256), { size: 9 })
  } else {
    for (const p of certificate.parties) {
      if (!p.consent) continue
      const { version, language, sha256 } = p.consent
      line(words.consentOf(p.name, version, words.languages[language], sha256), { size: 9 })
    }
    line(words.consentNote, { size: 9 })
  }
  gap(6)
  line(words.events, { size: 11, font: bold })
  for (const e of certificate.events) {
    const from = [e.ip, e.userAgent].filter((v) => v).join(', ')
    const who = e.party ? `${e.party.name} (${word(words.roles, e.party.role)})` : words.system
    const via = e.channel ? words.via(word(words.channels, e.channel)) : ''
    line(`${when(e.at)}  ${word(words.eventTypes, e.type)}  ${who}${via}${from ? words.from(from) : ''}`, {
      size: 8,
    })
  }
  doc.setModificationDate(new Date(certificate.completedAt))
  return { pdf: await doc.save({ useObjectStreams: false }), signedPagesSha256 }
}
