/**
 * What Signflow says to signers and writes on documents, in every language: complete, honest notices with
 * their own hashes (the English one unchanged), codes hidden in any language, plural and list forms, and
 * words that fit where the page puts them.
 */
import fontkit from '@pdf-lib/fontkit'
import { PDFDocument } from 'pdf-lib'
import { describe, expect, it } from 'vitest'
import { DOCUMENT_TYPES } from '../../shared/graph/vocabulary.js'
import { LANGUAGES, upper } from '../../shared/i18n/languages.js'
import { boldFont } from '../pdf/fonts.js'
import { DOCUMENT_WORDS } from './document-words.js'
import { LOCALES, languageOf, momentFormat } from './language.js'
import { DISCLOSURES, disclosureBySha256, maskOneTimeCodes, SIGNER_WORDS } from './messages.js'
import { DISCLOSURE, DISCLOSURE_SHA256 } from './signing.js'

const EVENT_TYPES = [
  'created',
  'sent',
  'delivered',
  'reminded',
  'viewed',
  'viewedByLink',
  'consented',
  'codeSent',
  'codeConfirmed',
  'signed',
  'declined',
  'expired',
  'completed',
]
const STATUSES = ['waiting', 'sent', 'viewed', 'consented', 'signed', 'declined', 'expired']

describe('the notice a signer agrees to', () => {
  it('keeps the English text and hash signers agreed to before there were languages', () => {
    expect(DISCLOSURE_SHA256).toBe('4714c2344a7774f721a1cb50b91638100aeee7d8e278d4b3862da6283a4dfbb2')
    expect(DISCLOSURES.en).toMatchObject({
      version: DISCLOSURE.version,
      text: DISCLOSURE.text,
      sha256: DISCLOSURE_SHA256,
    })
  })

  it('has its own text and hash in each language, found again by its hash', () => {
    const hashes = new Set(LANGUAGES.map((l) => DISCLOSURES[l].sha256))
    expect(hashes.size).toBe(LANGUAGES.length)
    for (const language of LANGUAGES) {
      expect(disclosureBySha256(DISCLOSURES[language].sha256)?.language).toBe(language)
      expect(DISCLOSURES[language].text.length).toBeGreaterThan(300)
    }
    expect(disclosureBySha256('0'.repeat(64))).toBeUndefined()
  })

  it('says honestly what the signature is, under the law the reader lives with', () => {
    // EU readers: eIDAS, a simple electronic signature, not a qualified one.
    expect(DISCLOSURES.pl.text).toMatch(/zwykły podpis elektroniczny[\s\S]*eIDAS[\s\S]*nie podpis kwalifikowany/)
    expect(DISCLOSURES.fr.text).toMatch(/signature électronique simple[\s\S]*eIDAS[\s\S]*non d’une signature qualifiée/)
    expect(DISCLOSURES.de.text).toMatch(/einfache elektronische Signatur[\s\S]*eIDAS[\s\S]*keine qualifizierte/)
    for (const language of ['pl', 'fr', 'de'] as const) expect(DISCLOSURES[language].text).toContain('910/2014')
    // Turkish readers: law 5070, which gives a handwritten signature's effect to the secure one only.
    expect(DISCLOSURES.tr.text).toMatch(/5070 sayılı Elektronik İmza Kanunu[\s\S]*güvenli elektronik imza değildir/)
    // Every notice asks to sign and receive electronically, and says what is recorded.
    for (const [language, words] of [
      ['pl', /adres IP/],
      ['fr', /adresse IP/],
      ['tr', /IP adresinizi/],
      ['de', /IP-Adresse/],
    ] as const) {
      expect(DISCLOSURES[language].text).toMatch(words)
    }
  })
})

describe('what signers are told', () => {
  it('names every event, status, role and channel of the certificate in each language', () => {
    for (const language of LANGUAGES.filter((l) => l !== 'en')) {
      const words = SIGNER_WORDS[language].certificate
      expect(
        EVENT_TYPES.filter((t) => !words.eventTypes[t]),
        language,
      ).toEqual([])
      expect(
        STATUSES.filter((s) => !words.statuses[s]),
        language,
      ).toEqual([])
      expect(Object.keys(words.roles).sort()).toEqual(['client', 'company'])
      expect(Object.keys(words.channels).sort()).toEqual(['email', 'sms'])
      expect(Object.keys(words.languages).sort()).toEqual([...LANGUAGES].sort())
    }
    // English writes them as the events are called, as before languages.
    expect(SIGNER_WORDS.en.certificate.eventTypes).toEqual({})
  })

  it('hides a one-time code in any language, and nothing else', () => {
    for (const language of LANGUAGES) {
      const text = SIGNER_WORDS[language].code.text('Umowa CTR-2026-0001', '123456', 10)
      expect(text, language).toContain('123456')
      const masked = maskOneTimeCodes(`${text}\nTotal: 654321.`)
      expect(masked, language).not.toContain('123456')
      expect(masked, language).toContain('••••••')
      expect(masked, language).toContain('Total: 654321.')
    }
  })

  it('counts minutes and names who signs first as each language does', () => {
    const pl = SIGNER_WORDS.pl
    expect(pl.code.text('X', '000000', 1)).toContain('przez 1 minutę')
    expect(pl.code.text('X', '000000', 3)).toContain('przez 3 minuty')
    expect(pl.code.text('X', '000000', 10)).toContain('przez 10 minut')
    expect(SIGNER_WORDS.de.code.text('X', '000000', 1)).toContain('1 Minute.')
    expect(SIGNER_WORDS.en.problems.notYourTurn(['Jean Dupont'])).toBe(
      'Jean Dupont signs first; you will get a message when it is your turn.',
    )
    expect(pl.problems.notYourTurn(['Jan'])).toMatch(/^Najpierw podpisuje Jan;/)
    expect(pl.problems.notYourTurn(['Jan', 'Ola'])).toMatch(/^Najpierw podpisują Jan i Ola;/)
    expect(SIGNER_WORDS.fr.problems.notYourTurn(['Jean', 'Anne'])).toMatch(/^Jean et Anne signent d’abord/)
    expect(SIGNER_WORDS.de.problems.notYourTurn(['Jan', 'Ola'])).toMatch(/^Zuerst unterschreiben Jan und Ola;/)
    expect(SIGNER_WORDS.tr.problems.notYourTurn(['Ayşe', 'Işıl'])).toMatch(/^Önce Ayşe ve Işıl imzalayacak;/)
  })

  it('writes moments for the locale in our time zone, to the second, and days for small boxes', () => {
    const at = '2026-11-23T10:05:09.000Z'
    expect(momentFormat(LOCALES.pl, 'Europe/Warsaw').moment(at)).toBe('23 listopada 2026 11:05:09 CET')
    expect(momentFormat(LOCALES.de, 'Europe/Warsaw').shortDay(at)).toBe('23.11.2026')
    expect(momentFormat(LOCALES.en, 'UTC').day(at)).toBe('23 November 2026')
    expect(momentFormat('xx-nope', 'Nowhere/Else').day(at)).toBe('23 November 2026')
    expect(momentFormat(LOCALES.tr, 'UTC').moment('not a moment')).toBe('not a moment')
    expect([languageOf('pl-PL'), languageOf('TR'), languageOf('es-ES'), languageOf(7)]).toEqual([
      'pl',
      'tr',
      undefined,
      undefined,
    ])
  })
})

describe('the words of built-in documents', () => {
  it('call each type what its language calls it ("Faktura", "Sözleşme"), and name every type', () => {
    expect(DOCUMENT_WORDS.pl.types.invoice).toBe('Faktura')
    expect(DOCUMENT_WORDS.pl.types.contract).toBe('Umowa')
    expect(DOCUMENT_WORDS.fr.types.invoice).toBe('Facture')
    expect(DOCUMENT_WORDS.tr.types.contract).toBe('Sözleşme')
    expect(DOCUMENT_WORDS.de.types.invoice).toBe('Rechnung')
    for (const language of LANGUAGES) {
      for (const type of DOCUMENT_TYPES)
        expect(DOCUMENT_WORDS[language].types[type], `${language} ${type}`).toBeTruthy()
      expect(DOCUMENT_WORDS[language].clauses('', '1 €')).toHaveLength(5)
    }
  })

  it('fit their table headings in their columns, in bold at 9 points', async () => {
    const doc = await PDFDocument.create()
    doc.registerFontkit(fontkit)
    const bold = await doc.embedFont(boldFont(), { subset: true })
    // The table's columns, as render.ts lays them out on an A4 page with 48-point margins.
    const widths = { number: 20, description: 170, quantity: 40, unitPrice: 70, net: 70, tax: 50, gross: 79 }
    const tooWide: string[] = []
    for (const language of LANGUAGES) {
      for (const [column, text] of Object.entries(DOCUMENT_WORDS[language].columns)) {
        const room = widths[column as keyof typeof widths] - (column === 'number' ? 3 : 4)
        if (bold.widthOfTextAtSize(text, 9) > room) tooWide.push(`${language} ${column} "${text}"`)
      }
    }
    expect(tooWide).toEqual([])
  })

  it('write Turkish capitals with a dotted İ', () => {
    expect(upper(DOCUMENT_WORDS.tr.receivedBy, 'tr')).toBe('TESLİM ALAN')
    expect(upper(DOCUMENT_WORDS.tr.buyer, 'tr')).toBe('ALICI')
  })
})
