import { describe, expect, it } from 'vitest'
import { pickLanguage, upper } from './languages.js'

describe('languages', () => {
  it('picks the first language we speak from the browser’s list, else English', () => {
    expect(pickLanguage(['pl-PL', 'en-US'])).toBe('pl')
    expect(pickLanguage(['es-ES', 'de-AT', 'fr'])).toBe('de')
    expect(pickLanguage(['TR_tr'])).toBe('tr')
    expect(pickLanguage(['ja', 'zh-CN'])).toBe('en')
    expect(pickLanguage([])).toBe('en')
  })

  it('writes Turkish capitals with their dots', () => {
    expect(upper('imza ılık', 'tr')).toBe('İMZA ILIK')
    expect(upper('imza', 'en')).toBe('IMZA')
  })
})
