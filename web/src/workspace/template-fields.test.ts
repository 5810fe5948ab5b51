/**
 * The template editor's geometry and rules: points and pixels, clamping, snapping, moving, resizing and
 * nudging that never take a field off its page (checked on random pages, boxes and moves), what the server
 * would refuse, where its problems show, what a text field may show, and the built-in layout.
 */
import fc from 'fast-check'
import { afterEach, describe, expect, it } from 'vitest'
import { LANGUAGES } from '../../../shared/i18n/languages.js'
import { i18n } from '../i18n/index.js'
import {
  A4,
  BUILTIN_IDS,
  bindLabel,
  bindOptions,
  builtinLayout,
  clampRect,
  DEFAULT_SIZES,
  extraFieldPath,
  FIELD_KINDS,
  type FieldKind,
  fieldName,
  fieldProblems,
  fieldsForSave,
  insidePage,
  kindName,
  layoutOnPage,
  MIN_SIZE,
  moveRect,
  newField,
  nextFieldId,
  nudgeRect,
  parseProblemPath,
  placeProblems,
  placeRect,
  pointOnPage,
  resizeRect,
  sampleValues,
  scaleToFit,
  snap,
  toPixels,
  toPoints,
  withKind,
} from './template-fields.js'
import type { PlacedField } from './workspace-api.js'

const LETTER = { width: 612, height: 792 }

const pageArb = fc.record({
  width: fc.double({ min: 20, max: 2000, noNaN: true }),
  height: fc.double({ min: 20, max: 2000, noNaN: true }),
})
const rectArb = fc.record({
  x: fc.double({ min: -3000, max: 3000, noNaN: true }),
  y: fc.double({ min: -3000, max: 3000, noNaN: true }),
  width: fc.double({ min: -100, max: 3000, noNaN: true }),
  height: fc.double({ min: -100, max: 3000, noNaN: true }),
})
const deltaArb = fc.double({ min: -5000, max: 5000, noNaN: true })
const gridArb = fc.constantFrom(0, 1, 4, 5, 10)

describe('pixels and points', () => {
  it('converts both ways at the page scale', () => {
    expect(toPixels(72, 1.5)).toBe(108)
    expect(toPoints(108, 1.5)).toBe(72)
    fc.assert(
      fc.property(
        fc.double({ min: 0, max: 5000, noNaN: true }),
        fc.double({ min: 0.1, max: 4, noNaN: true }),
        (p, s) => {
          expect(toPoints(toPixels(p, s), s)).toBeCloseTo(p, 6)
        },
      ),
    )
  })

  it('finds where a pointer is on a page drawn at a scale, from its top-left corner', () => {
    expect(pointOnPage({ x: 250, y: 420 }, { left: 100, top: 120 }, 1.5)).toEqual({ x: 100, y: 200 })
  })

  it('fits a page into the column, never larger than the largest scale', () => {
    expect(scaleToFit(A4, 595.28)).toBeCloseTo(1)
    expect(scaleToFit(LETTER, 306)).toBeCloseTo(0.5)
    expect(scaleToFit(LETTER, 5000, 1.6)).toBe(1.6)
    expect(scaleToFit({ width: 0, height: 0 }, 500)).toBe(1)
  })
})

describe('snapping', () => {
  it('goes to the nearest multiple of the grid, and not at all without one', () => {
    expect(snap(13, 4)).toBe(12)
    expect(snap(14.1, 4)).toBe(16)
    expect(snap(13.37, 0)).toBe(13.37)
  })

  it('puts a moved box corner on the grid when the page leaves room', () => {
    const moved = moveRect({ x: 100, y: 100, width: 50, height: 20 }, 13.3, 6.9, A4, 4)
    expect(moved).toEqual({ x: 112, y: 108, width: 50, height: 20 })
  })

  it('puts a resized box far edges on the grid', () => {
    const resized = resizeRect({ x: 10, y: 10, width: 50, height: 20 }, 7, 3, A4, 4)
    expect(resized.x + resized.width).toBe(68)
    expect(resized.y + resized.height).toBe(32)
  })
})

describe('clamping', () => {
  it('keeps a box that fits as it is', () => {
    expect(clampRect({ x: 10, y: 20, width: 100, height: 30 }, A4)).toEqual({ x: 10, y: 20, width: 100, height: 30 })
  })

  it('pulls a box back onto the page by its corner, keeping its size', () => {
    expect(clampRect({ x: 560, y: -5, width: 100, height: 30 }, A4)).toEqual({
      x: 495.28,
      y: 0,
      width: 100,
      height: 30,
    })
    expect(clampRect({ x: -40, y: 830, width: 100, height: 30 }, A4)).toEqual({
      x: 0,
      y: 811.89,
      width: 100,
      height: 30,
    })
  })

  it('shrinks a box larger than the page to the page, and grows a tiny one to the smallest size', () => {
    expect(clampRect({ x: 5, y: 5, width: 1000, height: 2000 }, LETTER)).toEqual({
      x: 0,
      y: 0,
      width: 612,
      height: 792,
    })
    expect(clampRect({ x: 5, y: 5, width: 1, height: -3 }, LETTER)).toMatchObject({ width: MIN_SIZE, height: MIN_SIZE })
  })

  it('gives hundredths of a point whose far edge never passes the page', () => {
    const r = clampRect({ x: 0.1 + 0.2, y: 1 / 3, width: 595.28 - 0.3, height: 10 }, A4)
    expect(r.x).toBe(0.3)
    expect(r.y).toBe(0.33)
    expect(r.x + r.width).toBeLessThanOrEqual(A4.width)
  })

  it('never leaves a page, whatever the box (property)', () => {
    fc.assert(
      fc.property(rectArb, pageArb, (rect, page) => {
        const r = clampRect(rect, page)
        expect(insidePage(r, page)).toBe(true)
        expect(r.width).toBeGreaterThanOrEqual(Math.min(MIN_SIZE, page.width) - 0.01)
      }),
      { numRuns: 500 },
    )
  })
})

describe('moving and resizing', () => {
  it('moves by the pointer distance turned into points', () => {
    const scale = 1.25
    const moved = moveRect({ x: 100, y: 100, width: 80, height: 20 }, toPoints(50, scale), toPoints(-25, scale), A4)
    expect(moved).toEqual({ x: 140, y: 80, width: 80, height: 20 })
  })

  it('stops at the page edges when dragged past them', () => {
    expect(moveRect({ x: 100, y: 100, width: 80, height: 20 }, 10_000, 10_000, A4)).toEqual({
      x: 515.28,
      y: 821.89,
      width: 80,
      height: 20,
    })
    expect(moveRect({ x: 100, y: 100, width: 80, height: 20 }, -10_000, -10_000, A4)).toMatchObject({ x: 0, y: 0 })
  })

  it('resizes from the bottom-right corner: the top-left stays, no smaller than the smallest, no wider than the page', () => {
    const start = { x: 500, y: 700, width: 40, height: 40 }
    expect(resizeRect(start, 1000, 1000, A4)).toEqual({ x: 500, y: 700, width: 95.28, height: 141.89 })
    expect(resizeRect(start, -1000, -1000, A4)).toEqual({ x: 500, y: 700, width: MIN_SIZE, height: MIN_SIZE })
  })

  it('never takes a field off its page, moved or resized, with or without the grid (property)', () => {
    fc.assert(
      fc.property(rectArb, pageArb, deltaArb, deltaArb, gridArb, (rect, page, dx, dy, grid) => {
        const start = clampRect(rect, page)
        expect(insidePage(moveRect(start, dx, dy, page, grid), page)).toBe(true)
        expect(insidePage(resizeRect(start, dx, dy, page, grid), page)).toBe(true)
        // A drag is many moves from where it started: each is on the page.
        let r = start
        for (const k of [0.25, 0.5, 1]) r = moveRect(start, dx * k, dy * k, page, grid)
        expect(insidePage(r, page)).toBe(true)
      }),
      { numRuns: 500 },
    )
  })

  it('places a dropped field centred where it fell, on the page even at its edge', () => {
    const { width, height } = DEFAULT_SIZES.signature
    expect(placeRect('signature', { x: 300, y: 400 }, A4)).toEqual({
      x: 300 - width / 2,
      y: 400 - height / 2,
      width,
      height,
    })
    for (const kind of FIELD_KINDS) {
      expect(insidePage(placeRect(kind, { x: 0, y: 0 }, A4, 4), A4)).toBe(true)
      expect(insidePage(placeRect(kind, { x: 10_000, y: 10_000 }, A4, 4), A4)).toBe(true)
    }
  })
})

describe('the keyboard', () => {
  const r = { x: 100, y: 100, width: 50, height: 20 }
  it('moves with the arrows by a point, by ten with Shift', () => {
    expect(nudgeRect(r, 'ArrowRight', {}, A4)).toMatchObject({ x: 101, y: 100 })
    expect(nudgeRect(r, 'ArrowUp', { shiftKey: true }, A4)).toMatchObject({ x: 100, y: 90 })
  })
  it('resizes with Alt and the arrows', () => {
    expect(nudgeRect(r, 'ArrowRight', { altKey: true }, A4)).toEqual({ x: 100, y: 100, width: 51, height: 20 })
    expect(nudgeRect(r, 'ArrowUp', { altKey: true, shiftKey: true }, A4)).toEqual({
      x: 100,
      y: 100,
      width: 50,
      height: 10,
    })
  })
  it('ignores other keys and stays on the page at its edge', () => {
    expect(nudgeRect(r, 'a', {}, A4)).toBeUndefined()
    expect(nudgeRect({ x: 0, y: 0, width: 50, height: 20 }, 'ArrowLeft', { shiftKey: true }, A4)).toMatchObject({
      x: 0,
    })
  })
})

describe('fields', () => {
  it('get ids of their kind that no other field has', () => {
    expect(nextFieldId('signature', [{ id: 'signature-1' }, { id: 'signature-3' }])).toBe('signature-2')
    expect(nextFieldId('text', [])).toBe('text-1')
  })

  it('are made with a party unless they show text, signatures required', () => {
    const text = newField('text', 'company', 1, { x: 100, y: 100 }, A4, [])
    expect(text.party).toBeUndefined()
    const signature = newField('signature', 'client', 2, { x: 100, y: 100 }, A4, [])
    expect(signature).toMatchObject({ kind: 'signature', party: 'client', page: 2, required: true })
  })

  it('change kind keeping what still applies', () => {
    const signature: PlacedField = {
      id: 's',
      kind: 'signature',
      page: 1,
      x: 1,
      y: 2,
      width: 3,
      height: 4,
      party: 'company',
      label: 'Sign',
      required: true,
    }
    expect(withKind(signature, 'text')).toEqual({ id: 's', kind: 'text', page: 1, x: 1, y: 2, width: 3, height: 4 })
    expect(withKind({ ...signature, kind: 'text', bind: 'title', party: undefined }, 'date')).toMatchObject({
      kind: 'date',
      party: 'client',
    })
    expect(withKind({ ...signature, fontSize: 12 }, 'stamp').fontSize).toBeUndefined()
  })

  it('are sent with only what their kind uses', () => {
    const sent = fieldsForSave([
      {
        id: 't',
        kind: 'text',
        page: 1,
        x: 0.1 + 0.2,
        y: 1,
        width: 10,
        height: 10,
        bind: 'title',
        party: 'client',
        label: '',
      },
      {
        id: 's',
        kind: 'signature',
        page: 1,
        x: 1,
        y: 1,
        width: 10,
        height: 10,
        party: 'client',
        label: '  ',
        bind: 'x',
      },
    ])
    expect(sent).toEqual([
      { id: 't', kind: 'text', page: 1, x: 0.3, y: 1, width: 10, height: 10, bind: 'title' },
      { id: 's', kind: 'signature', page: 1, x: 1, y: 1, width: 10, height: 10, party: 'client' },
    ])
  })

  it('are named for people', () => {
    expect(fieldName({ kind: 'signature', party: 'client' })).toBe('Client signature')
    expect(fieldName({ kind: 'date', party: 'company' })).toBe('Company date of signing')
    expect(fieldName({ kind: 'text', bind: 'title' }, 'Title')).toBe('Text: Title')
  })
})

describe('problems', () => {
  const base = { page: 1, x: 10, y: 10, width: 50, height: 20 }
  it('says what the server would refuse, at its path', () => {
    const problems = fieldProblems(
      [
        { id: 'a', kind: 'text', ...base },
        { id: 'b', kind: 'signature', ...base },
        { id: 'a', kind: 'date', party: 'client', ...base, page: 3 },
        { id: 'c', kind: 'stamp', party: 'client', ...base, x: 590 },
      ],
      [A4, A4],
    )
    expect(problems.map((p) => p.path)).toEqual([
      '/fields/0/bind',
      '/fields/1/party',
      '/fields/2/id',
      '/fields/2/page',
      '/fields/3/x',
    ])
  })

  it('finds nothing wrong in good fields', () => {
    expect(fieldProblems([{ id: 'a', kind: 'text', bind: 'title', ...base }], [A4])).toEqual([])
  })

  it('reads the paths the server names', () => {
    expect(parseProblemPath('/fields/3/y')).toEqual({ index: 3, key: 'y' })
    expect(parseProblemPath('/fields/0')).toEqual({ index: 0 })
    expect(parseProblemPath('/name')).toEqual({ key: 'name' })
    expect(parseProblemPath('')).toEqual({})
  })

  it("shows each at the field it names, by the field's id, or on the template", () => {
    const placed = placeProblems(
      [
        { path: '/fields/1/y', message: 'Off the bottom.' },
        { path: '/name', message: 'Too long.' },
        { path: '/fields/9/x', message: 'No such.' },
        { path: '', message: 'Broken.' },
      ],
      [{ id: 'a' }, { id: 'b' }],
    )
    expect(placed.fields.get('b')?.get('y')).toBe('Off the bottom.')
    expect(placed.fields.has('a')).toBe(false)
    expect(placed.template.get('name')).toBe('Too long.')
    expect(placed.template.get('')).toBe('No such. Broken.')
  })
})

describe('what a text field shows', () => {
  it("offers the element's fields with their labels, the document's number and date, no files", () => {
    const options = bindOptions('deal')
    const paths = options.map((o) => o.path)
    expect(paths).toContain('title')
    expect(paths).toContain('amount')
    expect(paths).toContain('client.name')
    expect(paths).toContain('myCompany.name')
    expect(paths).toContain('client.requisites.taxId')
    expect(paths).toContain('document.number')
    expect(paths).toContain('document.date')
    expect(paths).not.toContain('lastDocument.pdf')
    expect(options.find((o) => o.path === 'title')?.label).toBe('Title')
    expect(bindOptions('contact').map((o) => o.path)).not.toContain('amount')
  })

  it('names extra fields and says them in words', () => {
    expect(extraFieldPath(' delivery date ')).toBe('fields.delivery date')
    expect(extraFieldPath('fields.po')).toBe('fields.po')
    expect(extraFieldPath('  ')).toBeUndefined()
    const options = bindOptions('deal')
    expect(bindLabel('client.name', options)).toBe('Client: name')
    expect(bindLabel('fields.po', options)).toBe('Extra field “po”')
    expect(bindLabel(undefined, options)).toBe('')
  })

  it('fills a preview with the sample and a sample of every other bound value', () => {
    const options = bindOptions('deal')
    const values = sampleValues(
      { title: 'Deal', amount: '12000', clientName: 'ACME' },
      [
        { id: 'a', kind: 'text', bind: 'fields.po', ...{ page: 1, x: 0, y: 0, width: 1, height: 1 } },
        { id: 'b', kind: 'text', bind: 'myCompany.name', ...{ page: 1, x: 0, y: 0, width: 1, height: 1 } },
      ],
      options,
    )
    expect(values).toEqual({ title: 'Deal', amount: 12000, 'client.name': 'ACME', 'fields.po': '‹Extra field “po”›' })
  })
})

describe('the built-in layout', () => {
  it('has a bound text for the subject and amount, and each party a signature, stamp and date', () => {
    for (const type of Object.keys(BUILTIN_IDS) as Array<keyof typeof BUILTIN_IDS>) {
      const { fields, marks } = builtinLayout(type)
      expect(marks.length).toBeGreaterThan(5)
      expect(fields.find((f) => f.bind === 'title')).toBeDefined()
      expect(fields.find((f) => f.bind === 'amount')).toBeDefined()
      for (const party of ['company', 'client']) {
        for (const kind of ['signature', 'stamp', 'date']) {
          expect(fields.filter((f) => f.party === party && f.kind === kind)).toHaveLength(1)
        }
      }
      expect(fieldProblems(fields, [A4])).toEqual([])
      expect(new Set(fields.map((f) => f.id)).size).toBe(fields.length)
    }
  })

  it("is put on another page size scaled to it, every field on the page and none of the party's boxes overlapping", () => {
    const fields = layoutOnPage(builtinLayout('invoice').fields, LETTER)
    expect(fieldProblems(fields, [LETTER])).toEqual([])
    const signature = fields.find((f) => f.id === 'client-signature')
    expect(signature?.x).toBeGreaterThan(LETTER.width / 2)
    for (const party of ['company', 'client']) {
      const boxes = fields.filter((f) => f.party === party)
      for (const a of boxes)
        for (const b of boxes) {
          if (a === b) continue
          const overlap = a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height
          expect(overlap, `${a.id} and ${b.id}`).toBe(false)
        }
    }
  })
})

describe("in the app's language", () => {
  afterEach(async () => {
    await i18n.changeLanguage('en')
  })

  it('names fields, kinds and problems in Polish', async () => {
    await i18n.changeLanguage('pl')
    expect(fieldName({ kind: 'signature', party: 'client' })).toBe('Podpis klienta')
    expect(fieldName({ kind: 'date', party: 'company' })).toBe('Data podpisu firmy')
    expect(fieldName({ kind: 'text', bind: 'title' }, 'Tytuł')).toBe('Tekst: Tytuł')
    expect(kindName('initials')).toBe('Parafa')
    const base = { page: 1, x: 10, y: 10, width: 50, height: 20 }
    const problems = fieldProblems([{ id: 'a', kind: 'date', party: 'client', ...base, page: 3 }], [A4, A4])
    expect(problems.map((p) => p.message)).toEqual(['PDF ma 2 strony; nie ma strony 3.'])
    const options = bindOptions('deal')
    expect(bindLabel('fields.po', options)).toBe('Pole dodatkowe „po”')
    // The element's fields as the designer names them in the language.
    expect(bindLabel('title', options)).toBe('Tytuł')
    expect(bindLabel('client.name', options)).toBe('Klient: nazwa')
    expect(options.find((o) => o.path === 'document.number')).toMatchObject({ label: 'Dokument: numer' })
  })

  it('has every name and problem in every language, none left in English', async () => {
    const kinds = [...FIELD_KINDS] as FieldKind[]
    const say = () => [
      ...kinds.map(kindName),
      ...kinds.flatMap((kind) => [fieldName({ kind, party: 'company' }), fieldName({ kind, party: 'client' })]),
      ...fieldProblems(
        [
          { id: 'a', kind: 'text', page: 1, x: 590, y: 10, width: 50, height: 20, fontSize: 99 },
          { id: 'a', kind: 'text', bind: 'fields.', page: 4, x: 10, y: 10, width: 50, height: 20 },
          { id: 'b', kind: 'stamp', page: 1, x: 10, y: 10, width: 50, height: 20 },
        ],
        [A4],
      ).map((p) => p.message),
      ...[...new Set(bindOptions('deal').map((o) => o.group))].filter((g) => g !== 'The element'),
    ]
    const english = say()
    for (const language of LANGUAGES.filter((l) => l !== 'en')) {
      await i18n.changeLanguage(language)
      const texts = say()
      expect(texts.filter((text) => /\b(kind|field|problem|group)\./.test(text))).toEqual([])
      // A name the language writes as English does ("Signature" in French) may stay; most must not.
      const same = texts.filter((text, i) => text === english[i])
      expect(same.length, `${language}: ${same.join(' | ')}`).toBeLessThanOrEqual(2)
    }
  })

  it("draws the built-in page in the document's language, whatever the app speaks", async () => {
    await i18n.changeLanguage('de')
    const texts = (type: Parameters<typeof builtinLayout>[0], language: Parameters<typeof builtinLayout>[1]) =>
      builtinLayout(type, language).marks.flatMap((m) => (m.kind === 'text' ? [m.text] : []))
    expect(texts('invoice', 'pl')).toEqual(expect.arrayContaining(['Faktura', 'WYSTAWCA', 'ODBIORCA', 'KWOTA']))
    expect(texts('commercialOffer', 'tr')).toEqual(expect.arrayContaining(['Ticari teklif', 'FİYAT']))
    expect(texts('contract', 'fr')).toEqual(expect.arrayContaining(['Contrat', 'VENDEUR', "POUR L'ACHETEUR"]))
    expect(texts('contract', 'en')).toEqual(expect.arrayContaining(['Contract', 'SELLER', 'FOR THE BUYER']))
    expect(builtinLayout('contract', 'pl').fields.find((f) => f.id === 'client-signature')?.label).toBe('Podpis')
    // The same boxes in every language.
    for (const language of LANGUAGES) {
      expect(builtinLayout('invoice', language).fields).toHaveLength(builtinLayout('invoice').fields.length)
    }
  })
})
