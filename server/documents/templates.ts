/**
 * Document templates. Two sources:
 *
 * - built-in ones, one per document type (`tpl-invoice`, `tpl-contract`, `tpl-offer`, `tpl-act`,
 *   `tpl-other`): laid out in code (`render.ts`) like real business documents — our company's block,
 *   both parties' requisites, bank details, a table of items with tax and totals, signature and stamp boxes;
 * - uploaded PDFs (`document_templates` rows): the pages as uploaded, with fields placed on them.
 *
 * A placed field sits on a page at (x, y) from the page's top-left corner, in points (1/72 inch), with a
 * width and height; it shows a bound value (`bind`: a path into the document's values, e.g.
 * `client.requisites.taxId`, `myCompany.name`, `document.number`, `fields.deliveryDate` for a "create
 * document" rule's extra field — which may be a constant, a variable or an earlier rule's output), or is
 * left for a party: text the client fills in, a signature, a stamp, the date of signing, initials.
 */
import { DOCUMENT_TYPES, type DocumentType } from '../../shared/graph/vocabulary.js'

export const FIELD_KINDS = ['text', 'clientText', 'signature', 'stamp', 'date', 'initials'] as const
export type FieldKind = (typeof FIELD_KINDS)[number]
export const PARTIES = ['company', 'client'] as const
export type Party = (typeof PARTIES)[number]

export interface PlacedField {
  id: string
  kind: FieldKind
  /** 1 for the first page. */
  page: number
  x: number
  y: number
  width: number
  height: number
  fontSize?: number
  /** Who fills it: signature, stamp, date, initials and clientText boxes belong to a party. */
  party?: Party
  /** For `text`: the value path it shows. */
  bind?: string
  /** What the signer sees next to a box they fill. */
  label?: string
  required?: boolean
}

export interface DocumentTemplate {
  id: string
  type: DocumentType
  name: string
  source: 'builtin' | 'upload'
  /** BCP 47, for amounts and dates, e.g. "pl-PL"; an element's own `locale` field wins. */
  locale: string
  /** ISO 4217; an element's `currency` field wins. */
  currency: string
  /** Percent applied to items without their own rate. */
  taxRate: number
  /** Uploaded templates: the PDF (a `files` row). */
  fileId?: string
  /** Uploaded templates: the fields placed on its pages. Built-in ones place their own. */
  fields: PlacedField[]
  createdAt?: string
  updatedAt?: string
}

const builtin = (id: string, type: DocumentType, name: string): DocumentTemplate => ({
  id,
  type,
  name,
  source: 'builtin',
  locale: 'en-GB',
  currency: 'EUR',
  taxRate: 23,
  fields: [],
})

export const BUILTIN_TEMPLATES: readonly DocumentTemplate[] = [
  builtin('tpl-invoice', 'invoice', 'Invoice'),
  builtin('tpl-contract', 'contract', 'Contract'),
  builtin('tpl-offer', 'commercialOffer', 'Commercial offer'),
  builtin('tpl-act', 'act', 'Acceptance act'),
  builtin('tpl-other', 'other', 'Document'),
]

export const builtinTemplate = (id: string) => BUILTIN_TEMPLATES.find((t) => t.id === id)

/** The document type's word on the page and its number prefix. */
export const TYPE_TITLES: Readonly<Record<DocumentType, { title: string; prefix: string }>> = {
  invoice: { title: 'Invoice', prefix: 'INV' },
  contract: { title: 'Contract', prefix: 'CTR' },
  commercialOffer: { title: 'Commercial offer', prefix: 'OFR' },
  act: { title: 'Acceptance act', prefix: 'ACT' },
  other: { title: 'Document', prefix: 'DOC' },
}

export const isDocumentType = (value: unknown): value is DocumentType =>
  typeof value === 'string' && (DOCUMENT_TYPES as readonly string[]).includes(value)
