/**
 * The closed vocabularies of the rule graph: element types, stage kinds, value types,
 * document types. Each is a tuple so that the JSON Schema enum and the TypeScript union
 * come from the same list.
 */

export const ELEMENT_TYPES = ['deal', 'lead', 'contact', 'signingDocument'] as const
/** What a pipeline moves: a CRM deal, lead or contact, or a signing document of the e-signature section. */
export type ElementType = (typeof ELEMENT_TYPES)[number]

export const STAGE_KINDS = ['inProgress', 'success', 'failure'] as const
/** `success` and `failure` stages are final: an element standing there is closed. */
export type StageKind = (typeof STAGE_KINDS)[number]

export const VALUE_TYPES = [
  'text',
  'number',
  'money',
  'boolean',
  'date',
  'datetime',
  'user',
  'file',
  'document',
] as const
/** The type of a field, constant, variable, setting slot or rule output. */
export type ValueType = (typeof VALUE_TYPES)[number]

export const DOCUMENT_TYPES = ['invoice', 'contract', 'commercialOffer', 'act', 'other'] as const
export type DocumentType = (typeof DOCUMENT_TYPES)[number]

export const DURATION_UNITS = ['minutes', 'hours', 'days', 'workDays'] as const
export type DurationUnit = (typeof DURATION_UNITS)[number]

export const CHANNELS = ['email', 'sms'] as const
export type Channel = (typeof CHANNELS)[number]

export const REQUISITE_TEMPLATES = ['organization', 'soleProprietor', 'individual'] as const
export type RequisiteTemplate = (typeof REQUISITE_TEMPLATES)[number]

export const ADDRESS_TYPES = ['legal', 'actual', 'other'] as const
export type AddressType = (typeof ADDRESS_TYPES)[number]

/** Requisite fields every requisite template has (an individual leaves the company ones empty). */
export const REQUISITE_FIELDS = [
  'name',
  'taxId',
  'registrationNumber',
  'vatId',
  'director',
  'phone',
  'email',
  'bankName',
  'bankAccount',
  'bic',
] as const
export type RequisiteField = (typeof REQUISITE_FIELDS)[number]

export const ADDRESS_PARTS = ['street', 'city', 'postalCode', 'region', 'country'] as const
export type AddressPart = (typeof ADDRESS_PARTS)[number]

/**
 * Which value types a slot of type `target` accepts. Text accepts everything (it is
 * formatted); numbers and money mix; a date fits a datetime slot and the other way round
 * (the time part is dropped or set to midnight in the company's time zone).
 */
export function isAssignable(source: ValueType, target: ValueType): boolean {
  if (source === target || target === 'text') return true
  switch (target) {
    case 'number':
    case 'money':
      return source === 'number' || source === 'money'
    case 'date':
    case 'datetime':
      return source === 'date' || source === 'datetime'
    case 'file':
      return source === 'document'
    case 'boolean':
    case 'user':
    case 'document':
      return false
  }
}
