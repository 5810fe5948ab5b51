/**
 * The public pages' catalog beyond what keys.test.ts checks: the signer's name is put in its place
 * (`<name/>`, a component of Trans) by every language, once, with no other markup a translation could add.
 */
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { LANGUAGES } from '../../../shared/i18n/languages.js'

const catalog = (language: string) =>
  JSON.parse(readFileSync(new URL(`../i18n/locales/${language}/public.json`, import.meta.url), 'utf8')) as {
    signing: { signingAs: string }
  }

describe('the public catalog', () => {
  for (const language of LANGUAGES) {
    it(`places the signer's name once, as the only markup, in ${language}`, () => {
      const text = catalog(language).signing.signingAs
      expect(text.match(/<[^>]*>/g)).toEqual(['<name/>'])
    })
  }
})
