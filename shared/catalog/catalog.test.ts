import { Ajv2020 } from 'ajv/dist/2020.js'
import { describe, expect, it } from 'vitest'
import {
  ANNOTATIONS,
  CATEGORIES,
  getCatalogEntry,
  graphSchema,
  isRuleType,
  isTriggerType,
  paletteFor,
  RULE_TYPES,
  ruleCatalog,
  TRIGGER_TYPES,
  triggerCatalog,
} from '../index.js'

describe('the catalog', () => {
  it('has every rule of SPEC §4 in its category', () => {
    const expected: Record<string, string[]> = {
      paperwork: ['createDocument', 'sendDocumentForSigning', 'changeRequisites', 'getRequisites'],
      clientCommunication: ['sendEmail', 'sendSms', 'sendDocumentLink'],
      employeeCommunication: ['addNotification', 'createTask'],
      elementControl: ['changeStage', 'changeResponsible', 'modifyFields', 'wait'],
      auxiliary: ['setVariable', 'calculate'],
    }
    for (const [category, types] of Object.entries(expected)) {
      for (const type of types) {
        expect(getCatalogEntry(type)?.category, type).toBe(category)
        expect(isRuleType(type)).toBe(true)
      }
    }
  })

  it('has every trigger of SPEC §5', () => {
    for (const type of [
      'signedByCompany',
      'signedByClient',
      'signedByAll',
      'documentViewed',
      'signingRefused',
      'signingExpired',
      'fieldChanged',
      'webhook',
      'invoicePaid',
      'documentCreated',
      'responsibleChanged',
    ]) {
      expect(isTriggerType(type), type).toBe(true)
    }
  })

  it('describes every type with a label, a one-line description and an icon', () => {
    for (const type of [...RULE_TYPES, ...TRIGGER_TYPES]) {
      const entry = getCatalogEntry(type)
      expect(entry?.label.length, type).toBeGreaterThan(2)
      expect(entry?.description, type).toMatch(/^[A-Z].{10,140}[.)]$/)
      expect(entry?.description).not.toContain('\n')
      expect(CATEGORIES).toContain(entry?.category)
    }
  })

  it('gives fresh nodes default settings that satisfy their own schema', () => {
    const ajv = new Ajv2020({ strict: true, strictTypes: false, strictRequired: false, allowUnionTypes: true })
    for (const keyword of Object.values(ANNOTATIONS)) ajv.addKeyword({ keyword })
    ajv.addSchema({ ...graphSchema, $id: 'graph' })
    for (const [type, entry] of [...Object.entries(ruleCatalog), ...Object.entries(triggerCatalog)]) {
      const check = ajv.compile({ $id: `settings-${type}`, ...entry.settings, $defs: graphSchema.$defs })
      expect(check(entry.defaults), `${type}: ${JSON.stringify(check.errors)}`).toBe(true)
    }
  })

  it('names outputs so that the "…" picker can reference them', () => {
    for (const [type, entry] of Object.entries(ruleCatalog)) {
      for (const output of entry.outputs(entry.defaults as never)) {
        expect(output.name, type).toMatch(/^[A-Za-z][A-Za-z0-9_-]*$/)
      }
    }
    expect(ruleCatalog.createDocument.outputs(ruleCatalog.createDocument.defaults).map((o) => o.name)).toEqual([
      'documentId',
      'documentNumber',
      'publicLink',
      'pdf',
    ])
    expect(ruleCatalog.calculate.outputs({ formula: 'x', resultType: 'date' })[0]?.type).toBe('date')
  })

  it('keeps Paperwork rules out of the signing-document pipeline, but not its triggers', () => {
    const paperwork = paletteFor('signingDocument').find((g) => g.category === 'paperwork')
    const rules = paperwork?.items.filter((i) => i.kind === 'rule') ?? []
    const triggers = paperwork?.items.filter((i) => i.kind === 'trigger') ?? []
    expect(rules.length).toBeGreaterThan(0)
    expect(rules.every((i) => i.disabledReason !== undefined)).toBe(true)
    expect(triggers.every((i) => i.disabledReason === undefined)).toBe(true)
    expect(
      paletteFor('deal')
        .flatMap((g) => g.items)
        .every((i) => !i.disabledReason),
    ).toBe(true)
  })

  it('answers unknown or hostile type names with nothing', () => {
    for (const name of ['__proto__', 'constructor', 'toString', 'hasOwnProperty', '']) {
      expect(getCatalogEntry(name)).toBeUndefined()
      expect(isRuleType(name)).toBe(false)
    }
  })
})
