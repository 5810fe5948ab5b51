/**
 * The directory as the engine sees it. An element linked to a contact or a company shows their
 * details as fields — `client.name`, `client.email`, `client.phone`, `client.type`,
 * `client.requisites.<field>`, `client.requisites.address.<type>.<part|full>` — and every element
 * sees the default company of ours as `myCompany.*`. These fields are not stored on the element:
 * they are read at each input, so a changed contact or company is what the next rule sees. A rule
 * that changes the client's requisites ("Change requisites") changes the company's (or the
 * contact's own) requisites, in the same transaction.
 *
 * An element that keeps its own copy of such a field (an element made with `client.email` in its
 * fields) keeps it: its own value wins.
 */
import type { Json } from '../../shared/engine/types.js'
import { ADDRESS_PARTS, ADDRESS_TYPES, REQUISITE_FIELDS, type RequisiteField } from '../../shared/graph/vocabulary.js'
import type { Actor } from '../db/audit.js'
import { writeAudit } from '../db/audit.js'
import {
  type Address,
  type Addresses,
  addressesOf,
  companySearchText,
  isRecord,
  parseData,
  textValues,
} from '../db/directory-data.js'
import type { CompanyRow, ContactRow, MyCompanyRow } from '../db/schema.js'
import type { Executor } from '../db/shapes.js'

/** Where a linked element's `client.requisites.*` come from and go to. */
export type RequisitesSource =
  | { kind: 'company'; row: CompanyRow }
  | { kind: 'contact'; row: ContactRow }
  | { kind: 'none' }

export interface Linked {
  fields: Record<string, Json>
  source: RequisitesSource
}

/** "ul. Długa 5, 00-001 Warszawa, Polska": the address on one line. */
export function addressLine(address: Address): string {
  const town = [address.postalCode, address.city].filter((p) => p).join(' ')
  return [address.street, town, address.region, address.country].filter((p) => p).join(', ')
}

function requisiteFields(prefix: string, requisites: Partial<Record<RequisiteField, string>>, addresses: Addresses) {
  const fields: Record<string, Json> = {}
  for (const field of REQUISITE_FIELDS) {
    const value = requisites[field]
    if (value !== undefined && value !== '') fields[`${prefix}.${field}`] = value
  }
  for (const type of ADDRESS_TYPES) {
    const address = addresses[type]
    if (!address) continue
    for (const part of ADDRESS_PARTS) {
      const value = address[part]
      if (value !== undefined && value !== '') fields[`${prefix}.address.${type}.${part}`] = value
    }
    const line = addressLine(address)
    if (line !== '') fields[`${prefix}.address.${type}.full`] = line
  }
  return fields
}

/** A contact's own requisites, if it has any. */
function contactRequisites(row: ContactRow) {
  const stored = parseData(row.data).requisites
  if (!isRecord(stored)) return undefined
  return { fields: textValues(stored.fields, REQUISITE_FIELDS), addresses: addressesOf(stored.addresses) }
}

/** The `client.*` fields of an element linked to this contact and/or company. */
export function clientFields(contact: ContactRow | undefined, company: CompanyRow | undefined): Linked {
  const fields: Record<string, Json> = {}
  let source: RequisitesSource = { kind: 'none' }
  let requisites: Partial<Record<RequisiteField, string>> = {}
  let addresses: Addresses = {}
  if (company) {
    const data = parseData(company.data)
    requisites = textValues(data.requisites, REQUISITE_FIELDS)
    addresses = addressesOf(data.addresses)
    source = { kind: 'company', row: company }
  } else if (contact) {
    const own = contactRequisites(contact)
    if (own) {
      requisites = own.fields
      addresses = own.addresses
    }
    source = { kind: 'contact', row: contact }
  }
  fields['client.type'] = company ? 'company' : 'contact'
  const name = contact?.name || company?.name
  if (name) fields['client.name'] = name
  const email = contact?.email || requisites.email
  if (email) fields['client.email'] = email
  const phone = contact?.phone || requisites.phone
  if (phone) fields['client.phone'] = phone
  const language = contact ? parseData(contact.data).language : undefined
  if (typeof language === 'string' && language !== '') fields['client.language'] = language
  Object.assign(fields, requisiteFields('client.requisites', requisites, addresses))
  return { fields, source }
}

/** The `myCompany.*` fields: its requisites, bank details and addresses. */
export function myCompanyFields(row: MyCompanyRow): Record<string, Json> {
  const data = parseData(row.data)
  const requisites = {
    name: row.name,
    ...textValues(data.requisites, REQUISITE_FIELDS),
    ...textValues(data.bankDetails, REQUISITE_FIELDS),
  }
  return requisiteFields('myCompany', requisites, addressesOf(data.addresses))
}

const PREFIX = 'client.requisites.'

/**
 * Writes the client's requisites a rule changed (`client.requisites.*` in `changes`) to where they came
 * from: the linked company, else the linked contact's own requisites (made as an individual's if it had
 * none). `address.<type>.full` replaces that address with one line. Audited as the engine's change.
 * Returns whether anything was written.
 */
export async function writeRequisites(
  trx: Executor,
  source: RequisitesSource,
  changes: ReadonlyMap<string, Json>,
  actor: Actor,
  detail: Record<string, Json>,
  at: string,
): Promise<boolean> {
  if (source.kind === 'none' || changes.size === 0) return false
  const data = parseData(source.row.data)
  let requisites: Record<string, string>
  let addresses: Addresses
  let own: Record<string, unknown> | undefined
  if (source.kind === 'company') {
    requisites = textValues(data.requisites, REQUISITE_FIELDS)
    addresses = addressesOf(data.addresses)
  } else {
    own = isRecord(data.requisites) ? { ...data.requisites } : { template: 'individual' }
    requisites = textValues(own.fields, REQUISITE_FIELDS)
    addresses = addressesOf(own.addresses)
  }
  for (const [path, value] of changes) {
    const text = value === null ? '' : typeof value === 'string' ? value : JSON.stringify(value)
    const parts = path.slice(PREFIX.length).split('.')
    if (parts[0] === 'address' && parts.length === 3) {
      const type = parts[1] as keyof Addresses
      const part = parts[2] as string
      if (!(ADDRESS_TYPES as readonly string[]).includes(type)) continue
      if (part === 'full') addresses[type] = text === '' ? {} : { street: text }
      else if ((ADDRESS_PARTS as readonly string[]).includes(part)) {
        addresses[type] = { ...addresses[type], [part]: text }
      }
    } else if (parts.length === 1 && (REQUISITE_FIELDS as readonly string[]).includes(parts[0] as string)) {
      requisites[parts[0] as string] = text
    }
  }
  const fields = [...changes.keys()].map((k) => k.slice(PREFIX.length))
  if (source.kind === 'company') {
    await trx
      .updateTable('companies')
      .set({
        data: JSON.stringify({ ...data, requisites, addresses }),
        search_text: companySearchText(source.row.name, requisites),
        updated_at: at,
      })
      .where('id', '=', source.row.id)
      .execute()
    await writeAudit(
      trx,
      actor,
      { action: 'company.updated', target: `company:${source.row.id}`, detail: { ...detail, requisites: fields } },
      at,
    )
  } else {
    await trx
      .updateTable('contacts')
      .set({ data: JSON.stringify({ ...data, requisites: { ...own, fields: requisites, addresses } }), updated_at: at })
      .where('id', '=', source.row.id)
      .execute()
    await writeAudit(
      trx,
      actor,
      { action: 'contact.updated', target: `contact:${source.row.id}`, detail: { ...detail, requisites: fields } },
      at,
    )
  }
  return true
}

export const isClientRequisite = (path: string) => path.startsWith(PREFIX)
