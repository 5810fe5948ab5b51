/**
 * `wrap`, which sets every paragraph of a document into lines: ordinary text as before (words kept whole,
 * a word wider than a line cut into pieces as long as fit), and a very long word without spaces cut in about
 * linear work — counted in measures of text (`widthOfTextAtSize` calls and the letters they shape), not in
 * time. Measuring every shorter start of such a word until one fitted made a 100 000-letter word take minutes.
 */
import fontkit from '@pdf-lib/fontkit'
import { PDFDocument, PDFFont } from 'pdf-lib'
import { beforeAll, describe, expect, it, vi } from 'vitest'
import { boldFont, regularFont } from '../pdf/fonts.js'
import { renderDocument, wrap } from './render.js'
import { builtinTemplate } from './templates.js'

let regular: PDFFont
let bold: PDFFont

beforeAll(async () => {
  const doc = await PDFDocument.create()
  doc.registerFontkit(fontkit)
  regular = await doc.embedFont(regularFont(), { subset: true })
  bold = await doc.embedFont(boldFont(), { subset: true })
})

/** Deterministic pseudo-random numbers in [0, 1). */
function randomFrom(seed: number) {
  let state = seed
  return () => {
    state = (state * 1103515245 + 12345) % 2147483648
    return state / 2147483648
  }
}

/** `length` letters drawn from `alphabet`, no spaces. */
function longWord(length: number, alphabet: string, seed = 7): string {
  const random = randomFrom(seed)
  const letters: string[] = []
  for (let i = 0; i < length; i++) letters.push(alphabet.charAt(Math.floor(random() * alphabet.length)))
  return letters.join('')
}

const LETTERS = 'abcdefghijklmnopqrstuvwxyzŻółćęśąźńİğŞßWMil'

/** The cutting as it was before (measuring every start of a too long word, from the longest down). */
function reference(text: string, font: PDFFont, size: number, width: number): string[] {
  const lines: string[] = []
  const space = font.widthOfTextAtSize(' ', size)
  for (const paragraph of text.split('\n')) {
    let line = ''
    let lineWidth = 0
    for (const word of paragraph.split(' ')) {
      const wordWidth = font.widthOfTextAtSize(word, size)
      const candidateWidth = line ? lineWidth + space + wordWidth : wordWidth
      if (candidateWidth <= width) {
        line = line ? `${line} ${word}` : word
        lineWidth = candidateWidth
        continue
      }
      if (line) lines.push(line)
      let rest = word
      while (rest.length > 1 && font.widthOfTextAtSize(rest, size) > width) {
        let cut = rest.length - 1
        while (cut > 1 && font.widthOfTextAtSize(rest.slice(0, cut), size) > width) cut--
        lines.push(rest.slice(0, cut))
        rest = rest.slice(cut)
      }
      line = rest
      lineWidth = font.widthOfTextAtSize(rest, size)
    }
    lines.push(line)
  }
  return lines
}

/** Counts the measures made through `font` while `run` runs, and the letters they shaped. */
function counting<T>(font: PDFFont, run: () => T): { result: T; calls: number; letters: number } {
  const spy = vi.spyOn(font, 'widthOfTextAtSize')
  try {
    const result = run()
    const letters = spy.mock.calls.reduce((sum, [text]) => sum + text.length, 0)
    return { result, calls: spy.mock.calls.length, letters }
  } finally {
    spy.mockRestore()
  }
}

describe('wrap', () => {
  it('sets ordinary text as before: words whole, newlines kept, a word wider than a line cut where it must', () => {
    expect(wrap('', regular, 10, 200)).toEqual([''])
    expect(wrap('Zażółć gęślą jaźń', regular, 10, 500)).toEqual(['Zażółć gęślą jaźń'])
    expect(wrap('one two\nthree', regular, 10, 500)).toEqual(['one two', 'three'])
    const random = randomFrom(11)
    const alphabet = 'abcdefghijklmnopqrstuvwxyzZażółćgęśląjaźńİğdırŞßW MMmmiil.,fiffl—e\u0301😀'
    for (let t = 0; t < 150; t++) {
      let text = ''
      const length = Math.floor(random() * 200)
      for (let i = 0; i < length; i++) {
        const r = random()
        text += r < 0.02 ? '\n' : r < 0.15 ? ' ' : alphabet.charAt(Math.floor(random() * alphabet.length))
      }
      const font = t % 2 === 0 ? regular : bold
      const size = [8, 9.5, 10, 11, 20][t % 5] as number
      const width = [3, 20, 80, 164, 240, 499][t % 6] as number
      expect(wrap(text, font, size, width), JSON.stringify({ text, size, width })).toEqual(
        reference(text, font, size, width),
      )
    }
    // Words longer than a line by far (cut without measuring them whole) also as before.
    const word = longWord(300, LETTERS, 1)
    const text = `Before ${word} after it`
    expect(wrap(text, regular, 9, 240)).toEqual(reference(text, regular, 9, 240))
  })

  it('cuts a 200 000-letter word into lines that fit, measuring about linearly, and loses no letter', () => {
    const word = longWord(200_000, LETTERS)
    const width = 499
    const { result: lines, calls, letters } = counting(regular, () => wrap(word, regular, 10, width))
    // About two measures per line of about 85 letters (and one per different letter); before: millions.
    expect(lines.length).toBeGreaterThan(2000)
    expect(calls).toBeLessThan(50_000)
    // The letters shaped stay a small multiple of the word's, whatever the number of calls.
    expect(letters).toBeLessThan(5 * word.length)
    expect(lines.join('')).toBe(word)
    // Each line fits, and is as long as fits (one letter more would not): checked on every 50th line.
    for (let i = 0; i < lines.length - 1; i += 50) {
      const line = lines[i] as string
      expect(regular.widthOfTextAtSize(line, 10)).toBeLessThanOrEqual(width)
      const next = (lines[i + 1] as string).charAt(0)
      expect(regular.widthOfTextAtSize(line + next, 10)).toBeGreaterThan(width)
    }
    expect(lines.every((line) => line.length > 0 && line.length < 200)).toBe(true)
  })

  it('a too long word after words on a line starts the next line; the words after it follow its last piece', () => {
    const word = longWord(1_000, LETTERS, 3)
    const lines = wrap(`Hello ${word} and more`, regular, 10, 300)
    expect(lines[0]).toBe('Hello')
    expect(lines.slice(1).join('')).toBe(`${word} and more`)
    expect(lines.at(-1)).toMatch(/ and more$/)
  })

  it('a document with a 20 000-letter word in its subject is drawn with measures about linear in its length', async () => {
    const word = longWord(20_000, LETTERS, 5)
    const spy = vi.spyOn(PDFFont.prototype, 'widthOfTextAtSize')
    try {
      const rendered = await renderDocument(
        {
          type: 'invoice',
          number: 'INV-2026-0001',
          subject: word,
          issuedOn: '2026-11-23',
          locale: 'en-GB',
          currency: 'EUR',
          seller: { name: 'Signflow Ltd', lines: [] },
          buyer: { name: 'Client', lines: [] },
          bank: [],
          items: [],
          details: [{ label: 'Note', value: word }],
          values: {},
        },
        builtinTemplate('tpl-invoice') as NonNullable<ReturnType<typeof builtinTemplate>>,
      )
      expect(rendered.pages).toBeGreaterThan(4)
      expect(spy.mock.calls.length).toBeLessThan(5_000)
      const letters = spy.mock.calls.reduce((sum, [text]) => sum + text.length, 0)
      expect(letters).toBeLessThan(2 * 5 * word.length)
    } finally {
      spy.mockRestore()
    }
  })
})
