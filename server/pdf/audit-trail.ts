/**
 * One element's audit trail as a PDF page (or pages): what happened, who did it, when and from where,
 * with each row's place and hash in the audit chain and the chain's head when exported, so that a printed
 * trail can be checked against the log later. Made with pdf-lib; text in an embedded Unicode font.
 */
import fontkit from '@pdf-lib/fontkit'
import { PDFDocument, type PDFFont, type PDFPage, rgb } from 'pdf-lib'
import { boldFont, regularFont } from './fonts.js'

export interface TrailRow {
  seq: number
  at: string
  actor: string
  action: string
  detail: Record<string, unknown>
  hash: string
}

export interface Trail {
  title: string
  target: string
  exportedAt: string
  head: { seq: number; hash: string }
  rowsIntact: boolean
  items: TrailRow[]
}

const A4 = { width: 595.28, height: 841.89 }
const MARGIN = 48
const GREY = rgb(0.35, 0.38, 0.4)
const INK = rgb(0.1, 0.12, 0.13)

/** Lines of at most `width` points: words kept whole where they fit, long ones (hashes) cut. */
function wrap(text: string, font: PDFFont, size: number, width: number): string[] {
  const lines: string[] = []
  for (const paragraph of text.split('\n')) {
    let line = ''
    for (const word of paragraph.split(' ')) {
      const candidate = line ? `${line} ${word}` : word
      if (font.widthOfTextAtSize(candidate, size) <= width) {
        line = candidate
        continue
      }
      if (line) lines.push(line)
      let rest = word
      while (font.widthOfTextAtSize(rest, size) > width) {
        let cut = rest.length
        while (cut > 1 && font.widthOfTextAtSize(rest.slice(0, cut), size) > width) cut--
        lines.push(rest.slice(0, cut))
        rest = rest.slice(cut)
      }
      line = rest
    }
    lines.push(line)
  }
  return lines
}

function describeDetail(detail: Record<string, unknown>): string {
  const parts = Object.entries(detail)
    .filter(([key]) => key !== 'ip' && key !== 'userAgent')
    .map(([key, value]) => `${key}: ${typeof value === 'string' ? value : JSON.stringify(value)}`)
  const from = [detail.ip, detail.userAgent].filter((v) => typeof v === 'string' && v !== '').join(', ')
  return [parts.join('; '), from ? `from ${from}` : ''].filter((p) => p).join(' — ')
}

export async function auditTrailPdf(trail: Trail): Promise<Uint8Array> {
  const doc = await PDFDocument.create()
  doc.registerFontkit(fontkit)
  const regular = await doc.embedFont(regularFont(), { subset: true })
  const bold = await doc.embedFont(boldFont(), { subset: true })
  doc.setTitle(`Audit trail — ${trail.title}`)
  doc.setSubject(trail.target)
  doc.setProducer('Signflow')
  doc.setCreationDate(new Date(trail.exportedAt))

  const width = A4.width - 2 * MARGIN
  const pages: PDFPage[] = []
  let page = doc.addPage([A4.width, A4.height])
  pages.push(page)
  let y = A4.height - MARGIN
  const write = (text: string, font: PDFFont, size: number, color = INK, indent = 0) => {
    for (const line of wrap(text, font, size, width - indent)) {
      if (y - size < MARGIN + 16) {
        page = doc.addPage([A4.width, A4.height])
        pages.push(page)
        y = A4.height - MARGIN
      }
      y -= size * 1.35
      page.drawText(line, { x: MARGIN + indent, y, size, font, color })
    }
  }

  write('Audit trail', bold, 18)
  write(trail.title, bold, 12)
  write(`${trail.target} · exported ${trail.exportedAt} (UTC)`, regular, 9, GREY)
  write(
    `The audit chain's head when exported: row ${trail.head.seq}, hash ${trail.head.hash}. ` +
      (trail.rowsIntact
        ? 'Every row below still gives its hash.'
        : 'WARNING: some rows below no longer give their hash: they were changed after they were written.'),
    regular,
    9,
    trail.rowsIntact ? GREY : rgb(0.7, 0.1, 0.1),
  )
  y -= 8
  if (trail.items.length === 0) write('Nothing was recorded for it yet.', regular, 10)
  for (const row of trail.items) {
    y -= 6
    write(`#${row.seq}   ${row.at}   ${row.action}   by ${row.actor}`, bold, 10)
    const detail = describeDetail(row.detail)
    if (detail) write(detail, regular, 9, INK, 12)
    write(`hash ${row.hash}`, regular, 7.5, GREY, 12)
  }
  pages.forEach((p, i) => {
    p.drawText(`Signflow · ${trail.target} · page ${i + 1} of ${pages.length}`, {
      x: MARGIN,
      y: MARGIN - 20,
      size: 8,
      font: regular,
      color: GREY,
    })
  })
  return doc.save()
}
