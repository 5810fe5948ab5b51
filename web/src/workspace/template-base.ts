/**
 * PDFs the template editor makes and reads in the browser with pdf-lib (loaded only when a template is
 * started): the plain A4 page a built-in template's layout is copied onto — its title, headings, lines and
 * signature boxes in the document's language, the values being the fields placed on it — and the page sizes
 * of an uploaded PDF, read as the server reads them when it checks that fields lie on their pages.
 */

import regularFontUrl from 'dejavu-fonts-ttf/ttf/DejaVuSans.ttf?url'
import boldFontUrl from 'dejavu-fonts-ttf/ttf/DejaVuSans-Bold.ttf?url'
import { PDFDocument, type PDFFont, rgb, StandardFonts } from 'pdf-lib'
import type { DocumentType } from '../../../shared/graph/vocabulary.js'
import type { Language } from '../../../shared/i18n/languages.js'
import { A4, builtinLayout, type Size } from './template-fields.js'

const INK = rgb(0.11, 0.13, 0.15)
const GREY = rgb(0.38, 0.41, 0.44)
const RULE = rgb(0.8, 0.82, 0.84)
const ACCENT = rgb(0.2, 0.36, 0.38)
/** The widest a page's title may be, in points: what the right margin leaves beside our company's name. */
const TITLE_WIDTH = 230

/**
 * Letters Helvetica's WinAnsi encoding has (English, French, German); Polish "ł" or Turkish "ş" need a font
 * of their own.
 */
const WIN_ANSI = /^[\x20-\x7e\u00a0-\u00ff€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ]*$/

/** DejaVu Sans (as the server's documents use), fetched and embedded only for words Helvetica cannot write. */
async function unicodeFonts(doc: PDFDocument): Promise<{ regular: PDFFont; bold: PDFFont }> {
  const { default: fontkit } = await import('@pdf-lib/fontkit')
  doc.registerFontkit(fontkit)
  const load = async (url: string) => new Uint8Array(await (await fetch(url)).arrayBuffer())
  const [regular, bold] = await Promise.all([load(regularFontUrl), load(boldFontUrl)])
  return {
    regular: await doc.embedFont(regular, { subset: true }),
    bold: await doc.embedFont(bold, { subset: true }),
  }
}

/** One A4 page drawn like the built-in template of `type`, its words in `language`, without values (fields go on it). */
export async function starterPdf(type: DocumentType, language: Language = 'en'): Promise<Uint8Array> {
  const doc = await PDFDocument.create()
  const { marks } = builtinLayout(type, language)
  const fonts = marks.every((m) => m.kind !== 'text' || WIN_ANSI.test(m.text))
    ? { regular: await doc.embedFont(StandardFonts.Helvetica), bold: await doc.embedFont(StandardFonts.HelveticaBold) }
    : await unicodeFonts(doc)
  doc.setProducer('Signflow')
  doc.setCreator('Signflow template editor')
  const page = doc.addPage([A4.width, A4.height])
  // y grows downwards in the layout, upwards in PDF user space.
  const up = (y: number) => A4.height - y
  for (const mark of marks) {
    if (mark.kind === 'text') {
      const font = mark.bold ? fonts.bold : fonts.regular
      // A long title ("Procès-verbal de réception") is made smaller rather than run into our company's name.
      const natural = font.widthOfTextAtSize(mark.text, mark.size)
      const size = mark.size >= 16 && natural > TITLE_WIDTH ? (mark.size * TITLE_WIDTH) / natural : mark.size
      const width = font.widthOfTextAtSize(mark.text, size)
      page.drawText(mark.text, {
        x: mark.align === 'right' ? mark.x - width : mark.x,
        y: up(mark.y) - size * 0.8,
        size,
        font,
        color: mark.size >= 16 ? ACCENT : mark.bold ? GREY : INK,
      })
    } else if (mark.kind === 'line') {
      page.drawLine({
        start: { x: mark.x, y: up(mark.y) },
        end: { x: mark.x + mark.width, y: up(mark.y) },
        thickness: 0.8,
        color: RULE,
      })
    } else {
      page.drawRectangle({
        x: mark.x,
        y: up(mark.y + mark.height),
        width: mark.width,
        height: mark.height,
        borderColor: RULE,
        borderWidth: 0.8,
      })
    }
  }
  return doc.save({ useObjectStreams: false })
}

/** The pages' sizes in points, as the server reads them (the media box); throws for what is not a readable PDF. */
export async function pageSizesOf(bytes: ArrayBuffer | Uint8Array): Promise<Size[]> {
  const doc = await PDFDocument.load(bytes, { updateMetadata: false })
  return doc.getPages().map((p) => p.getSize())
}
