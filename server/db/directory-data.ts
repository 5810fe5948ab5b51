/**
 * What the directory's rows keep in `data` (JSON text), read defensively: unknown keys and values of
 * the wrong type are left out, so a hand-edited row cannot break a reader. Shared by the HTTP
 * directory and the runtime, which shows a linked contact's and company's details to the engine as
 * `client.*` fields and writes back the requisites rules change.
 *
 * - contacts: `{ requisites?: { template, fields, addresses } }` (a person's own requisites)
 * - companies: `{ requisites: { <field>: text }, addresses: { legal|actual|other: { <part>: text } } }`
 * - my companies: `{ requisites, bankDetails, addresses }` (bank fields apart)
 */
import {
  ADDRESS_PARTS,
  ADDRESS_TYPES,
  type AddressPart,
  type AddressType,
  type RequisiteField,
} from '../../shared/graph/vocabulary.js'

export type RequisiteValues<K extends RequisiteField = RequisiteField> = Partial<Record<K, string>>
export type Address = Partial<Record<AddressPart, string>>
export type Addresses = Partial<Record<AddressType, Address>>

// ------------------------------------------------------------ reading stored JSON

export const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value)

export function parseData(text: string): Record<string, unknown> {
  try {
    const value = JSON.parse(text) as unknown
    return isRecord(value) ? value : {}
  } catch {
    return {}
  }
}

/** The text values of `keys` in `value`, in the order of `keys`; anything else is left out. */
export function textValues<K extends string>(value: unknown, keys: readonly K[]): Partial<Record<K, string>> {
  const out: Partial<Record<K, string>> = {}
  if (!isRecord(value)) return out
  for (const key of keys) {
    const v = value[key]
    if (typeof v === 'string') out[key] = v
  }
  return out
}

export function addressesOf(value: unknown): Addresses {
  const out: Addresses = {}
  if (!isRecord(value)) return out
  for (const type of ADDRESS_TYPES) {
    if (isRecord(value[type])) out[type] = textValues(value[type], ADDRESS_PARTS) as Address
  }
  return out
}

export const isOneOf = <T extends string>(values: readonly T[], value: unknown): value is T =>
  typeof value === 'string' && (values as readonly string[]).includes(value)

// ------------------------------------------------------------ search

/** Text as search compares it: lower case, accents dropped ("Société" → "societe", "İğdır" → "igdir"). */
export function foldForSearch(text: string): string {
  return text.toLowerCase().normalize('NFKD').replace(/\p{M}/gu, '')
}

export function contactSearchText(name: string, email: string, phone: string): string {
  return foldForSearch([name, email, phone].join(' '))
}

export function companySearchText(name: string, requisites: RequisiteValues): string {
  return foldForSearch([name, requisites.taxId, requisites.vatId, requisites.registrationNumber].join(' '))
}
