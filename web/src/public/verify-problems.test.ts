/**
 * The verify page says what the check found in the reader's language: every problem code the server gives
 * (server/pdf/seal.ts) has its words in every language, made with the values the server sends, and a code
 * the page does not know falls back to the server's English words.
 */
import { afterAll, describe, expect, it } from 'vitest'
import {
  type ProblemParams,
  SEAL_PROBLEM_CODES,
  type SealProblemCode,
  SIGNATURE_PROBLEM_CODES,
  type SignatureProblemCode,
} from '../../../server/pdf/seal.js'
import { LANGUAGES } from '../../../shared/i18n/languages.js'
import { catalogs, i18n } from '../i18n/index.js'
import { problemText } from './VerifyPage.js'

/** The values the server sends with each code (see `SEAL_PROBLEM_CODES`). */
const SIGNATURE_PARAMS: Record<SignatureProblemCode, ProblemParams> = {
  'byte-range-malformed': {},
  'byte-range-outside': {},
  'gap-not-value': {},
  'not-cms': {},
  'not-detached': { format: 'ETSI.RFC3161' },
  'unsupported-format': { format: 'adbe.x509.rsa_sha1' },
  'unknown-digest': {},
  changed: {},
  'bad-signature': {},
  'not-verified': { message: 'Unable to find signer certificate' },
}
const SEAL_PARAMS: Record<SealProblemCode, ProblemParams[]> = {
  unreadable: [{}],
  empty: [{}],
  'too-large': [{ size: '10 MB' }],
  'not-pdf': [{}],
  'signature-unreadable': [{}],
  'no-signature': [{}],
  'too-many-signatures': [{ max: 30 }],
  'signature-invalid': SIGNATURE_PROBLEM_CODES.map((reason) => ({
    ...SIGNATURE_PARAMS[reason],
    field: 'Signature_1',
    reason,
  })),
  'not-ours': [{ who: 'Someone Else Ltd' }],
  'not-ours-unnamed': [{}],
  'signatures-added': [1, 2, 5, 22].map((count) => ({ count })),
  'bytes-added': [1, 3, 15, 1024].map((count) => ({ count })),
}

type Catalog = { [key: string]: string | Catalog }
const section = (language: string, kind: 'problem' | 'reason') =>
  ((catalogs[language]?.public?.verify as Catalog | undefined)?.[kind] ?? {}) as Catalog

describe('the verify page says every problem in every language', () => {
  afterAll(async () => {
    await i18n.changeLanguage('en')
  })

  for (const language of LANGUAGES) {
    it(`has words for every code in ${language}, made with the values sent`, async () => {
      await i18n.changeLanguage(language)
      const t = i18n.getFixedT(language, 'public')
      const said = (kind: 'problem' | 'reason', code: string, params: ProblemParams) =>
        problemText((key, options) => t(key, options), kind, code, params, 'ENGLISH FALLBACK')
      const check = (kind: 'problem' | 'reason', code: string, params: ProblemParams) => {
        // In this language's own catalog (not English as a fallback): the key, or its plural forms.
        const own = section(language, kind)
        expect(code in own || `${code}_other` in own, `${language} verify.${kind}.${code}`).toBe(true)
        const text = said(kind, code, params)
        expect(text, `${language} ${code}`).not.toBe('ENGLISH FALLBACK')
        expect(text, `${language} ${code}`).not.toMatch(/\{\{|verify\./)
        for (const [name, value] of Object.entries(params)) {
          if (name === 'reason' || (name === 'count' && value === 1)) continue
          expect(text, `${language} ${code} shows ${name}`).toContain(String(value))
        }
        return text ?? ''
      }
      for (const code of SIGNATURE_PROBLEM_CODES) check('reason', code, SIGNATURE_PARAMS[code])
      for (const code of SEAL_PROBLEM_CODES) {
        for (const params of SEAL_PARAMS[code]) {
          const text = check('problem', code, params)
          // A broken signature's problem says its reason too, in the same language.
          if (code === 'signature-invalid')
            expect(text).toContain(said('reason', String(params.reason), params)?.slice(0, 20) ?? '?')
        }
      }
      // Only codes the server knows: none left over in the catalog.
      const base = (key: string) => key.replace(/_(zero|one|two|few|many|other)$/, '')
      expect([...new Set(Object.keys(section(language, 'problem')).map(base))].sort()).toEqual(
        [...SEAL_PROBLEM_CODES].sort(),
      )
      expect(Object.keys(section(language, 'reason')).sort()).toEqual([...SIGNATURE_PROBLEM_CODES].sort())
    })
  }

  it('says the English of the server in English, and falls back to it for a code it does not know', async () => {
    await i18n.changeLanguage('en')
    const t = i18n.getFixedT('en', 'public')
    const say = (kind: 'problem' | 'reason', code: string | null, params: ProblemParams = {}, english = 'X') =>
      problemText((key, options) => t(key, options), kind, code, params, english)
    expect(say('problem', 'not-pdf')).toBe('This file is not a PDF.')
    expect(say('problem', 'signature-invalid', { field: 'Signature_1', reason: 'changed' })).toBe(
      'The signature "Signature_1" is not valid: the document was changed after it was signed: its bytes no ' +
        'longer match the signature (digest mismatch).',
    )
    expect(say('problem', 'signatures-added', { count: 1 })).toMatch(/a signature was added later/)
    expect(say('problem', 'signatures-added', { count: 2 })).toMatch(/2 signatures were added later/)
    expect(say('problem', 'something-new', {}, 'The server says so.')).toBe('The server says so.')
    expect(say('reason', null, {}, 'Old server words.')).toBe('Old server words.')
    await i18n.changeLanguage('pl')
    const pl = i18n.getFixedT('pl', 'public')
    const polish = (count: number) =>
      problemText((key, options) => pl(key, options), 'problem', 'bytes-added', { count }, null)
    expect([polish(1), polish(3), polish(5)].map((text) => text?.split(': ')[1])).toEqual([
      'po naszej pieczęci dodano 1 bajt.',
      'po naszej pieczęci dodano 3 bajty.',
      'po naszej pieczęci dodano 5 bajtów.',
    ])
  })
})
