/**
 * The element fields a flow can read and write, per element type: the standard fields, the
 * client's contact data and requisites, my company's requisites, and the custom fields the
 * graph declares (`custom.<id>`). A graph is validated against this list without a server.
 */
import { ADDRESS_PARTS, ADDRESS_TYPES, type ElementType, REQUISITE_FIELDS, type ValueType } from './vocabulary.js'

export interface FieldDef {
  path: string
  label: string
  type: ValueType
  multiple: boolean
  /** Rules may change it ("modify fields", "change requisites"). */
  writable: boolean
  group: 'element' | 'client' | 'clientRequisites' | 'myCompany' | 'custom'
}

export interface CustomFieldDecl {
  id: string
  label: string
  type: ValueType
  multiple?: boolean
}

type Row = [path: string, label: string, type: ValueType, writable?: boolean]

const common: Row[] = [
  ['id', 'ID', 'text', false],
  ['title', 'Title', 'text'],
  ['stage', 'Stage', 'text', false],
  ['responsible', 'Responsible person', 'user'],
  ['supervisor', "Responsible person's supervisor", 'user', false],
  ['createdAt', 'Created on', 'datetime', false],
  ['updatedAt', 'Modified on', 'datetime', false],
  ['comments', 'Comment', 'text'],
]

const perType: Record<ElementType, Row[]> = {
  deal: [
    ['amount', 'Amount', 'money'],
    ['currency', 'Currency', 'text'],
    ['beginDate', 'Start date', 'date'],
    ['closeDate', 'Close date', 'date'],
    ['source', 'Source', 'text'],
    ['probability', 'Probability, %', 'number'],
  ],
  lead: [
    ['amount', 'Amount', 'money'],
    ['currency', 'Currency', 'text'],
    ['source', 'Source', 'text'],
    ['companyTitle', 'Company name', 'text'],
  ],
  contact: [
    ['position', 'Position', 'text'],
    ['birthday', 'Date of birth', 'date'],
    ['source', 'Source', 'text'],
  ],
  signingDocument: [
    ['documentType', 'Document type', 'text', false],
    ['number', 'Document number', 'text', false],
    ['amount', 'Amount', 'money'],
    ['currency', 'Currency', 'text'],
    ['signedByCompanyAt', 'Signed by the company on', 'datetime', false],
    ['signedByClientAt', 'Signed by the client on', 'datetime', false],
    ['expiresAt', 'Signing expires on', 'datetime'],
  ],
}

/** The document most recently created or sent for the element, as triggers and later stages see it. */
const lastDocument: Row[] = [
  ['lastDocument.id', 'Last document', 'document', false],
  ['lastDocument.type', 'Last document: type', 'text', false],
  ['lastDocument.number', 'Last document: number', 'text', false],
  ['lastDocument.publicLink', 'Last document: public link', 'text', false],
  ['lastDocument.clientSigningLink', "Last document: client's signing link", 'text', false],
  ['lastDocument.pdf', 'Last document: PDF file', 'file', false],
]

const client: Row[] = [
  ['client.name', 'Client: name', 'text', false],
  ['client.email', 'Client: email', 'text', false],
  ['client.phone', 'Client: phone', 'text', false],
  ['client.language', 'Client: language', 'text', false],
  ['client.type', 'Client: contact or company', 'text', false],
]

const requisiteLabels: Record<(typeof REQUISITE_FIELDS)[number], string> = {
  name: 'name',
  taxId: 'tax ID',
  registrationNumber: 'registration number',
  vatId: 'VAT ID',
  director: 'director',
  phone: 'phone',
  email: 'email',
  bankName: 'bank',
  bankAccount: 'bank account (IBAN)',
  bic: 'BIC/SWIFT',
}

function requisiteRows(prefix: string, who: string, writable: boolean): Row[] {
  const rows: Row[] = REQUISITE_FIELDS.map((f) => [`${prefix}.${f}`, `${who}: ${requisiteLabels[f]}`, 'text', writable])
  for (const type of ADDRESS_TYPES) {
    rows.push([`${prefix}.address.${type}.full`, `${who}: ${type} address`, 'text', writable])
    for (const part of ADDRESS_PARTS) {
      rows.push([`${prefix}.address.${type}.${part}`, `${who}: ${type} address, ${part}`, 'text', writable])
    }
  }
  return rows
}

const cache = new Map<ElementType, FieldDef[]>()

/** The standard (non-custom) fields of an element type. */
export function standardFields(elementType: ElementType): FieldDef[] {
  const hit = cache.get(elementType)
  if (hit) return hit
  const defs: FieldDef[] = []
  const add = (rows: Row[], group: FieldDef['group']) => {
    for (const [path, label, type, writable = true] of rows) {
      defs.push({ path, label, type, multiple: false, writable, group })
    }
  }
  add(common, 'element')
  add(perType[elementType], 'element')
  add(lastDocument, 'element')
  add(client, 'client')
  add(requisiteRows('client.requisites', 'Client requisites', true), 'clientRequisites')
  add(requisiteRows('myCompany', 'My company', false), 'myCompany')
  cache.set(elementType, defs)
  return defs
}

/** Every field a flow may reference, keyed by path (a `Map`, so user-typed paths are safe keys). */
export function fieldIndex(elementType: ElementType, custom: readonly CustomFieldDecl[]): Map<string, FieldDef> {
  const index = new Map<string, FieldDef>()
  for (const def of standardFields(elementType)) index.set(def.path, def)
  for (const c of custom) {
    if (index.has(`custom.${c.id}`)) continue // a duplicate id is reported; the first declaration counts
    index.set(`custom.${c.id}`, {
      path: `custom.${c.id}`,
      label: c.label,
      type: c.type,
      multiple: c.multiple ?? false,
      writable: true,
      group: 'custom',
    })
  }
  return index
}
