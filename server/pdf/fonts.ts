/**
 * The fonts our PDFs embed: DejaVu Sans (the `dejavu-fonts-ttf` package), which has every letter of
 * Polish, French, Turkish and German ("Zażółć gęślą jaźń", "İğdır", "Straße"), so that text is kept as
 * text (a reader's search and `pdftotext` give it back). Read once.
 */
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'

const dir = join(dirname(createRequire(import.meta.url).resolve('dejavu-fonts-ttf/package.json')), 'ttf')
const cache = new Map<string, Uint8Array>()

function font(file: string): Uint8Array {
  let bytes = cache.get(file)
  if (!bytes) {
    bytes = new Uint8Array(readFileSync(join(dir, file)))
    cache.set(file, bytes)
  }
  return bytes
}

export const regularFont = () => font('DejaVuSans.ttf')
export const boldFont = () => font('DejaVuSans-Bold.ttf')
/** For typed signatures: a handwriting-like slant. */
export const signatureFont = () => font('DejaVuSerif-Italic.ttf')
