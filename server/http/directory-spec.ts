/**
 * The directory's HTTP operations as data: contacts, companies (counterparties), my companies
 * (the seller's own legal entities, with their stamp and signature images) and users. Spread into
 * `OPERATIONS` / `responseSchemas` of `api-spec.ts`, so they are served by `runtime-api.ts` (the
 * handlers are in `directory-api.ts`) and documented by `openapi.ts` like every other operation.
 *
 * Requisites use the graph's vocabulary (`REQUISITE_TEMPLATES`, `REQUISITE_FIELDS`, `ADDRESS_TYPES`,
 * `ADDRESS_PARTS`), so the fields a flow reads (`client.requisites.taxId`, `myCompany.bankAccount`)
 * are the fields stored here. Request schemas are strict: an unknown key is refused, with its path.
 */
import Type, { type TSchema } from 'typebox'
import {
  ADDRESS_PARTS,
  ADDRESS_TYPES,
  type AddressPart,
  REQUISITE_FIELDS,
  REQUISITE_TEMPLATES,
  type RequisiteField,
} from '../../shared/graph/vocabulary.js'
import { LANGUAGES } from '../../shared/i18n/languages.js'
import type { Address, Addresses, RequisiteValues } from '../db/directory-data.js'
import type { Operation } from './operation.js'

/** The largest JSON body of a directory request. */
export const MAX_DIRECTORY_BODY_BYTES = 64 * 1024
/** The largest stamp or signature image. */
export const MAX_IMAGE_BYTES = 2 * 1024 * 1024
export const DIRECTORY_MAX_PAGE = 200
export const DIRECTORY_DEFAULT_PAGE = 50

/** What a stamp or signature image may be; `directory-api.ts` checks the bytes, not only the header. */
export const IMAGE_TYPES = ['image/png', 'image/jpeg'] as const
export type ImageType = (typeof IMAGE_TYPES)[number]
/** The images a company of ours has. */
export const IMAGE_KINDS = ['stamp', 'signature'] as const
export type ImageKind = (typeof IMAGE_KINDS)[number]

/** What a user may do (the sign-in issue enforces it): administer, design flows, sell, or only look. */
export const USER_ROLES = ['admin', 'analyst', 'sales', 'readOnly'] as const
export type UserRole = (typeof USER_ROLES)[number]

/** A person's own requisites: an organization is a company, not a contact. */
export const CONTACT_TEMPLATES = ['individual', 'soleProprietor'] as const satisfies readonly string[]

/** The requisite fields that are bank details: my company keeps them apart, as `bankDetails`. */
export const BANK_FIELDS = ['bankName', 'bankAccount', 'bic'] as const satisfies readonly RequisiteField[]
export type BankField = (typeof BANK_FIELDS)[number]
export type OwnRequisiteField = Exclude<RequisiteField, BankField>
export const OWN_REQUISITE_FIELDS: readonly OwnRequisiteField[] = REQUISITE_FIELDS.filter(
  (f): f is OwnRequisiteField => !(BANK_FIELDS as readonly string[]).includes(f),
)

export type { Address, Addresses, RequisiteValues }

const strict = { additionalProperties: false } as const

const StringEnum = <const T extends readonly string[]>(values: T, description?: string) =>
  Type.Unsafe<T[number]>({ type: 'string', enum: [...values], ...(description ? { description } : {}) })

// ------------------------------------------------------------ values

const FIELD_LIMITS: Readonly<Record<RequisiteField, { maxLength: number; description: string }>> = {
  name: { maxLength: 300, description: 'Full legal name' },
  taxId: { maxLength: 50, description: 'Tax identification number' },
  registrationNumber: { maxLength: 100, description: 'Registration number (company register)' },
  vatId: { maxLength: 50, description: 'VAT identification number' },
  director: { maxLength: 200, description: 'Director, or who signs for it' },
  phone: { maxLength: 50, description: 'Phone, as printed on documents' },
  email: { maxLength: 254, description: 'Email, as printed on documents' },
  bankName: { maxLength: 200, description: 'Bank' },
  bankAccount: { maxLength: 64, description: 'Account number or IBAN' },
  bic: { maxLength: 20, description: 'BIC/SWIFT' },
}
const PART_LIMITS: Readonly<Record<AddressPart, number>> = {
  street: 300,
  city: 150,
  postalCode: 20,
  region: 150,
  country: 100,
}

const fieldsSchema = (keys: readonly RequisiteField[], description: string) => ({
  type: 'object',
  description,
  properties: Object.fromEntries(keys.map((k) => [k, { type: 'string', ...FIELD_LIMITS[k] }])),
  ...strict,
})
const RequisiteFields = Type.Unsafe<RequisiteValues>(
  fieldsSchema(REQUISITE_FIELDS, 'Requisite values by field; each is optional text.'),
)
const OwnRequisiteFields = Type.Unsafe<RequisiteValues<OwnRequisiteField>>(
  fieldsSchema(OWN_REQUISITE_FIELDS, 'Requisite values by field (bank details are in `bankDetails`).'),
)
const BankDetails = Type.Unsafe<RequisiteValues<BankField>>(
  fieldsSchema(BANK_FIELDS, 'The bank account documents print: bank, account or IBAN, BIC/SWIFT.'),
)
const addressSchema = {
  type: 'object',
  properties: Object.fromEntries(ADDRESS_PARTS.map((p) => [p, { type: 'string', maxLength: PART_LIMITS[p] }])),
  ...strict,
}
const AddressesSchema = Type.Unsafe<Addresses>({
  type: 'object',
  description: `Addresses by address type (${ADDRESS_TYPES.join(', ')}); each has ${ADDRESS_PARTS.join(', ')}.`,
  properties: Object.fromEntries(ADDRESS_TYPES.map((t) => [t, addressSchema])),
  ...strict,
})

const ID_RULE = 'up to 64 letters, digits, "_", "." or "-", starting with a letter or digit'
export const DIRECTORY_ID_PATTERN = '^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$'
const NewId = Type.String({
  pattern: DIRECTORY_ID_PATTERN,
  description: `The id to give it (${ID_RULE}); default: a UUID`,
})
const Name = Type.String({ minLength: 1, maxLength: 300 })

const EMAIL_RULE = 'an email address such as "ann@client.example"'
const EMAIL_PATTERN = '^[^\\s@]+@[^\\s@.]+(\\.[^\\s@.]+)+$'
const Email = Type.String({ maxLength: 254, pattern: EMAIL_PATTERN, description: EMAIL_RULE })
const NullableEmail = Type.Unsafe<string | null>({
  type: ['string', 'null'],
  maxLength: 254,
  pattern: EMAIL_PATTERN,
  description: `${EMAIL_RULE}; null for none`,
})
const PHONE_RULE = 'a phone number: digits, spaces, "(", ")", ".", "/", "-", an optional leading "+"; at least 5 digits'
const NullablePhone = Type.Unsafe<string | null>({
  type: ['string', 'null'],
  maxLength: 32,
  pattern: '^(?=(?:[^0-9]*[0-9]){5})\\+?[0-9(][0-9 ()./-]*[0-9]$',
  description: `${PHONE_RULE}; null for none`,
})
const LANGUAGE_RULE = `one of ${LANGUAGES.map((l) => `"${l}"`).join(', ')}`
/** A language as a request names it; `directory-api.ts` checks it is one we speak (422 with a hint otherwise). */
const LanguageText = (description: string) =>
  Type.String({ minLength: 1, maxLength: 35, description: `${description}: ${LANGUAGE_RULE}` })
const NullableLanguageText = (description: string) =>
  Type.Unsafe<string | null>({
    type: ['string', 'null'],
    minLength: 1,
    maxLength: 35,
    description: `${description}: ${LANGUAGE_RULE}; null for none`,
  })
const CONTACT_LANGUAGE =
  "The language the person is written to in (signing invitations, their signing page, the documents made for them); without one, our company's default"
const MY_COMPANY_LANGUAGE = 'The language our clients are written to in when they have none of their own (default "en")'
const NullableRef = (description: string) =>
  Type.Unsafe<string | null>({ type: ['string', 'null'], minLength: 1, maxLength: 200, description })

const contactRequisitesProperties = {
  template: StringEnum(CONTACT_TEMPLATES, "The person's requisite template (an organization is a company)"),
  fields: Type.Optional(RequisiteFields),
  addresses: Type.Optional(AddressesSchema),
}
const ContactRequisites = Type.Object(contactRequisitesProperties, strict)
type ContactRequisitesValue = {
  template: (typeof CONTACT_TEMPLATES)[number]
  fields?: RequisiteValues
  addresses?: Addresses
}
const NullableContactRequisites = Type.Unsafe<ContactRequisitesValue | null>({
  type: ['object', 'null'],
  description: "The person's own requisites (an individual or a sole proprietor); null for none.",
  properties: JSON.parse(JSON.stringify(contactRequisitesProperties)) as object,
  required: ['template'],
  ...strict,
})

// ------------------------------------------------------------ request bodies

const contactProperties = {
  name: Name,
  email: Type.Optional(NullableEmail),
  phone: Type.Optional(NullablePhone),
  companyId: Type.Optional(NullableRef('The company the person works for (an existing company); null for none')),
  requisites: Type.Optional(NullableContactRequisites),
  language: Type.Optional(NullableLanguageText(CONTACT_LANGUAGE)),
}
export const CreateContactBody = Type.Object({ id: Type.Optional(NewId), ...contactProperties }, strict)
export const UpdateContactBody = Type.Object(
  {
    name: Type.Optional(Name),
    email: contactProperties.email,
    phone: contactProperties.phone,
    companyId: contactProperties.companyId,
    requisites: contactProperties.requisites,
    language: contactProperties.language,
  },
  { ...strict, minProperties: 1 },
)

export const CreateCompanyBody = Type.Object(
  {
    id: Type.Optional(NewId),
    name: Name,
    template: StringEnum(REQUISITE_TEMPLATES, 'The requisite template'),
    requisites: Type.Optional(RequisiteFields),
    addresses: Type.Optional(AddressesSchema),
  },
  strict,
)
export const UpdateCompanyBody = Type.Object(
  {
    name: Type.Optional(Name),
    template: Type.Optional(StringEnum(REQUISITE_TEMPLATES, 'The requisite template')),
    requisites: Type.Optional(RequisiteFields),
    addresses: Type.Optional(AddressesSchema),
  },
  { ...strict, minProperties: 1 },
)

/** The most holidays a calendar keeps (a year's days). */
export const MAX_HOLIDAYS = 366
const TIME_OF_DAY = '^([01][0-9]|2[0-3]):[0-5][0-9]$'
/**
 * A company's working calendar, as the engine schedules with it (`WorkingCalendar` of shared/engine/types.ts).
 * The handler also checks that the time zone is one this server knows, that the day starts before it ends and
 * that each holiday is a real date (422 with the path).
 */
export const CalendarSchema = Type.Object(
  {
    timeZone: Type.String({
      minLength: 1,
      maxLength: 64,
      description: 'An IANA time zone the server knows, such as "Europe/Warsaw" or "UTC"',
    }),
    workDays: Type.Array(Type.Integer({ minimum: 1, maximum: 7 }), {
      minItems: 1,
      maxItems: 7,
      description: 'ISO weekdays: 1 = Monday … 7 = Sunday (kept in order, each once)',
    }),
    start: Type.String({ pattern: TIME_OF_DAY, description: 'When the working day starts, local "HH:MM"' }),
    end: Type.String({
      pattern: '^(([01][0-9]|2[0-3]):[0-5][0-9]|24:00)$',
      description: 'When it ends, local "HH:MM" ("24:00": midnight); after `start`',
    }),
    holidays: Type.Array(Type.String({ pattern: '^[0-9]{4}-[0-9]{2}-[0-9]{2}$' }), {
      maxItems: MAX_HOLIDAYS,
      description: `Local dates "YYYY-MM-DD" that are not worked, at most ${MAX_HOLIDAYS} (kept in order, each once)`,
    }),
  },
  {
    ...strict,
    description:
      'The working calendar: what delays "in working hours" and work days follow. The runtime schedules with the ' +
      "default company of ours' (the first made); without one stored, UTC, Monday to Friday, 09:00–18:00.",
  },
)

export const CreateMyCompanyBody = Type.Object(
  {
    id: Type.Optional(NewId),
    name: Name,
    requisites: Type.Optional(OwnRequisiteFields),
    bankDetails: Type.Optional(BankDetails),
    addresses: Type.Optional(AddressesSchema),
    calendar: Type.Optional(CalendarSchema),
    language: Type.Optional(LanguageText(MY_COMPANY_LANGUAGE)),
  },
  strict,
)
export const UpdateMyCompanyBody = Type.Object(
  {
    name: Type.Optional(Name),
    requisites: Type.Optional(OwnRequisiteFields),
    bankDetails: Type.Optional(BankDetails),
    addresses: Type.Optional(AddressesSchema),
    calendar: Type.Optional(CalendarSchema),
    language: Type.Optional(LanguageText(MY_COMPANY_LANGUAGE)),
  },
  { ...strict, minProperties: 1 },
)

const UserName = Type.String({ minLength: 1, maxLength: 200 })
const Role = StringEnum(USER_ROLES, 'admin: everything; analyst: designs flows; sales: works deals; readOnly: looks')
export const CreateUserBody = Type.Object(
  {
    id: Type.Optional(NewId),
    name: UserName,
    email: Type.String({ ...Email, description: `${EMAIL_RULE}; unique among users (kept in lower case)` }),
    role: Role,
    active: Type.Optional(Type.Boolean({ description: 'Whether the user may work; default true' })),
  },
  strict,
)
export const UpdateUserBody = Type.Object(
  {
    name: Type.Optional(UserName),
    email: Type.Optional(Email),
    role: Type.Optional(Role),
    active: Type.Optional(Type.Boolean({ description: 'false deactivates the user (users are never deleted)' })),
  },
  { ...strict, minProperties: 1 },
)

// ------------------------------------------------------------ query parameters

const paging = {
  limit: Type.Optional(
    Type.Integer({
      minimum: 1,
      maximum: DIRECTORY_MAX_PAGE,
      default: DIRECTORY_DEFAULT_PAGE,
      description: 'Items per page',
    }),
  ),
  offset: Type.Optional(Type.Integer({ minimum: 0, maximum: 1_000_000_000, default: 0, description: 'Items to skip' })),
}
const Search = (what: string) =>
  Type.Optional(
    Type.String({
      minLength: 1,
      maxLength: 200,
      description: `Only those whose ${what} contains this text (case and accents ignored)`,
    }),
  )
export const ContactsQuery = Type.Object(
  {
    q: Search('name, email or phone'),
    companyId: Type.Optional(Type.String({ maxLength: 200, description: 'Only the contacts of this company' })),
    ...paging,
  },
  strict,
)
export const CompaniesQuery = Type.Object(
  {
    q: Search('name, tax id, VAT id or registration number'),
    template: Type.Optional(StringEnum(REQUISITE_TEMPLATES, 'Only companies of this requisite template')),
    ...paging,
  },
  strict,
)
export const UsersQuery = Type.Object(
  {
    role: Type.Optional(StringEnum(USER_ROLES, 'Only users of this role')),
    active: Type.Optional(StringEnum(['true', 'false'] as const, 'Only active (true) or deactivated (false) users')),
    ...paging,
  },
  strict,
)

// ------------------------------------------------------------ answers (documentation only)

const ref = (name: string) => Type.Unsafe<unknown>({ $ref: `#/components/schemas/${name}` })
const Iso = (description: string) => Type.String({ description: `${description} (ISO 8601)` })
const Nullable = (description: string) => Type.Unsafe<string | null>({ type: ['string', 'null'], description })
const page = (item: string) =>
  Type.Object({
    items: Type.Array(ref(item)),
    total: Type.Integer({ description: 'How many match, on every page' }),
    limit: Type.Integer(),
    offset: Type.Integer(),
  })

export const directoryResponseSchemas = {
  Contact: Type.Object({
    id: Type.String(),
    name: Type.String(),
    email: Nullable('null when unknown'),
    phone: Nullable('null when unknown'),
    companyId: Nullable('The company the person works for'),
    requisites: Type.Union([ContactRequisites, Type.Null()], { description: "The person's own requisites" }),
    language: Type.Unsafe<string | null>({
      type: ['string', 'null'],
      enum: [...LANGUAGES, null],
      description: `${CONTACT_LANGUAGE}; null: none of their own`,
    }),
    createdAt: Iso('Created'),
    updatedAt: Iso('Last changed'),
  }),
  ContactPage: page('Contact'),
  Company: Type.Object({
    id: Type.String(),
    name: Type.String(),
    template: StringEnum(REQUISITE_TEMPLATES),
    requisites: RequisiteFields,
    addresses: AddressesSchema,
    createdAt: Iso('Created'),
    updatedAt: Iso('Last changed'),
  }),
  CompanyPage: page('Company'),
  StoredImage: Type.Object({
    kind: StringEnum(IMAGE_KINDS),
    contentType: StringEnum(IMAGE_TYPES, 'Taken from the bytes, not from the upload header'),
    size: Type.Integer({ description: 'Bytes' }),
    sha256: Type.String({ description: 'SHA-256 of the bytes (hex); also the ETag of GET' }),
    url: Type.String({ description: 'Where GET serves it' }),
    createdAt: Iso('Uploaded'),
  }),
  MyCompany: Type.Object({
    id: Type.String(),
    name: Type.String(),
    requisites: OwnRequisiteFields,
    bankDetails: BankDetails,
    addresses: AddressesSchema,
    images: Type.Object(
      {
        stamp: Type.Union([ref('StoredImage'), Type.Null()]),
        signature: Type.Union([ref('StoredImage'), Type.Null()]),
      } satisfies Record<ImageKind, TSchema>,
      { description: 'The stamp and the signature documents carry; null until uploaded' },
    ),
    calendar: CalendarSchema,
    language: StringEnum(LANGUAGES, MY_COMPANY_LANGUAGE),
    createdAt: Iso('Created'),
    updatedAt: Iso('Last changed'),
  }),
  User: Type.Object({
    id: Type.String(),
    name: Type.String(),
    email: Type.String(),
    role: StringEnum(USER_ROLES),
    active: Type.Boolean(),
    createdAt: Iso('Created'),
    updatedAt: Iso('Last changed'),
  }),
  UserPage: page('User'),
} as const

// ------------------------------------------------------------ operations

const jsonBody = <S extends TSchema>(description: string, schema: S) => ({
  schema,
  maxBytes: MAX_DIRECTORY_BODY_BYTES,
  description,
})
const ok = (description: string, schema: TSchema) => ({ '200': { description, schema } })
const created = (what: string, schema: TSchema) => ({
  '201': { description: `Created; the ${what} as GET shows it, its URL in Location.`, schema },
})
const idTaken = { '409': { description: 'The id is taken (code "conflict", path "/id").' } }
const noContent = (description: string) => ({ '204': { description } })
const contactId = { id: { description: 'The contact id' } }
const companyId = { id: { description: 'The company id' } }
const myCompanyId = { id: { description: 'The id of the company of ours' } }
const calendarRefused = {
  '422': {
    description:
      'The calendar does not hold together (code "invalid" with its path): a time zone the server does not know ' +
      '("/calendar/timeZone", the message names one it might be), an end not after the start ("/calendar/end"), ' +
      'a holiday that is no date ("/calendar/holidays/<i>"); or a language we do not speak ("/language", the ' +
      'message names the one it might be).',
  },
}
const userId = { id: { description: 'The user id' } }
const imageParams = { ...myCompanyId, kind: { description: `Which image: ${IMAGE_KINDS.join(' or ')}` } }
const PATCH_RULE = 'Each key given replaces that part whole (`requisites`, `addresses`, …); keys not given stay.'

export const DIRECTORY_OPERATIONS = {
  // ---------------------------------------------------------- contacts
  listContacts: {
    method: 'get',
    path: '/api/contacts',
    summary: 'Contacts (people), by name',
    query: ContactsQuery,
    responses: ok('A page of contacts.', ref('ContactPage')),
  },
  createContact: {
    method: 'post',
    path: '/api/contacts',
    summary: 'Create a contact',
    body: jsonBody('The new contact.', CreateContactBody),
    responses: {
      ...created('contact', ref('Contact')),
      ...idTaken,
      '422': {
        description:
          'No such company (code "invalid", path "/companyId"), or a language we do not speak (path "/language").',
      },
    },
  },
  getContact: {
    method: 'get',
    path: '/api/contacts/{id}',
    summary: 'One contact with its requisites',
    params: contactId,
    responses: ok('The contact.', ref('Contact')),
  },
  updateContact: {
    method: 'patch',
    path: '/api/contacts/{id}',
    summary: 'Change a contact',
    description: PATCH_RULE,
    params: contactId,
    body: jsonBody('What changes; null clears email, phone, companyId, requisites or language.', UpdateContactBody),
    responses: {
      ...ok('The contact as it is now.', ref('Contact')),
      '422': {
        description:
          'No such company (code "invalid", path "/companyId"), or a language we do not speak (path "/language").',
      },
    },
  },
  deleteContact: {
    method: 'delete',
    path: '/api/contacts/{id}',
    summary: 'Delete a contact nothing refers to',
    params: contactId,
    responses: {
      ...noContent('Deleted.'),
      '409': { description: 'Elements refer to the contact (code "conflict"; the message says which).' },
    },
  },

  // ---------------------------------------------------------- companies
  listCompanies: {
    method: 'get',
    path: '/api/companies',
    summary: 'Companies (counterparties), by name',
    query: CompaniesQuery,
    responses: ok('A page of companies.', ref('CompanyPage')),
  },
  createCompany: {
    method: 'post',
    path: '/api/companies',
    summary: 'Create a company with its requisites and addresses',
    body: jsonBody('The new company.', CreateCompanyBody),
    responses: { ...created('company', ref('Company')), ...idTaken },
  },
  getCompany: {
    method: 'get',
    path: '/api/companies/{id}',
    summary: 'One company with its requisites and addresses',
    params: companyId,
    responses: ok('The company.', ref('Company')),
  },
  updateCompany: {
    method: 'patch',
    path: '/api/companies/{id}',
    summary: 'Change a company',
    description: PATCH_RULE,
    params: companyId,
    body: jsonBody('What changes.', UpdateCompanyBody),
    responses: ok('The company as it is now.', ref('Company')),
  },
  deleteCompany: {
    method: 'delete',
    path: '/api/companies/{id}',
    summary: 'Delete a company nothing refers to',
    params: companyId,
    responses: {
      ...noContent('Deleted.'),
      '409': {
        description:
          'Contacts or elements refer to the company (code "conflict"; the message says which). Nothing is deleted.',
      },
    },
  },

  // ---------------------------------------------------------- my companies
  listMyCompanies: {
    method: 'get',
    path: '/api/my-companies',
    summary: "Our own companies: the seller's requisites, bank details and images, by name",
    responses: ok('Every company of ours.', Type.Object({ items: Type.Array(ref('MyCompany')) })),
  },
  createMyCompany: {
    method: 'post',
    path: '/api/my-companies',
    summary: 'Add a company of ours',
    body: jsonBody('The new company of ours; its images are uploaded afterwards.', CreateMyCompanyBody),
    responses: { ...created('company of ours', ref('MyCompany')), ...idTaken, ...calendarRefused },
  },
  getMyCompany: {
    method: 'get',
    path: '/api/my-companies/{id}',
    summary: 'One company of ours',
    params: myCompanyId,
    responses: ok('The company of ours.', ref('MyCompany')),
  },
  updateMyCompany: {
    method: 'patch',
    path: '/api/my-companies/{id}',
    summary: 'Change a company of ours (not its images: PUT them)',
    description:
      `${PATCH_RULE} A new \`calendar\` of the default company of ours (the first made) applies to what is ` +
      'scheduled from then on; what is already scheduled keeps its moment.',
    params: myCompanyId,
    body: jsonBody('What changes.', UpdateMyCompanyBody),
    responses: { ...ok('The company of ours as it is now.', ref('MyCompany')), ...calendarRefused },
  },
  putMyCompanyImage: {
    method: 'put',
    path: '/api/my-companies/{id}/images/{kind}',
    summary: 'Upload the stamp or the signature image (PNG or JPEG), replacing the one before',
    description:
      'The body is the image itself, not JSON. What it is comes from its first bytes: a body that is not a ' +
      'PNG or a JPEG is refused whatever its header says (SVG and other formats are not accepted).',
    params: imageParams,
    body: {
      raw: IMAGE_TYPES,
      maxBytes: MAX_IMAGE_BYTES,
      description: 'A PNG or JPEG image of at most 2 MB, sent as image/png or image/jpeg.',
    },
    responses: {
      ...ok('Stored.', ref('StoredImage')),
      '422': { description: 'The bytes are not a PNG or JPEG image (code "invalid").' },
    },
  },
  getMyCompanyImage: {
    method: 'get',
    path: '/api/my-companies/{id}/images/{kind}',
    summary: 'The stamp or the signature image',
    description:
      'Served with its own media type, "X-Content-Type-Options: nosniff", "Content-Disposition: inline" and ' +
      'its SHA-256 as ETag; "If-None-Match" with that ETag answers 304.',
    params: imageParams,
    responses: {
      '200': { description: 'The image, as uploaded.', media: IMAGE_TYPES },
      '304': { description: 'Not modified: the ETag given in If-None-Match is still the image.' },
      '404': { description: 'No such company of ours, no such kind, or no image uploaded (code "not-found").' },
    },
  },
  deleteMyCompanyImage: {
    method: 'delete',
    path: '/api/my-companies/{id}/images/{kind}',
    summary: 'Remove the stamp or the signature image',
    params: imageParams,
    responses: {
      ...noContent('Removed.'),
      '404': { description: 'No such company of ours, no such kind, or no image uploaded (code "not-found").' },
    },
  },

  // ---------------------------------------------------------- users
  listUsers: {
    method: 'get',
    path: '/api/users',
    summary: 'Users, by name',
    query: UsersQuery,
    responses: ok('A page of users.', ref('UserPage')),
  },
  createUser: {
    method: 'post',
    path: '/api/users',
    summary: 'Add a user',
    body: jsonBody('The new user.', CreateUserBody),
    responses: {
      ...created('user', ref('User')),
      '409': { description: 'The id (path "/id") or the email (path "/email") is taken (code "conflict").' },
    },
  },
  getUser: {
    method: 'get',
    path: '/api/users/{id}',
    summary: 'One user',
    params: userId,
    responses: ok('The user.', ref('User')),
  },
  updateUser: {
    method: 'patch',
    path: '/api/users/{id}',
    summary: 'Change a user; `"active": false` deactivates (users are never deleted)',
    params: userId,
    body: jsonBody('What changes.', UpdateUserBody),
    responses: {
      ...ok('The user as it is now.', ref('User')),
      '409': {
        description:
          'The email is taken (path "/email"), or the change would leave no active admin (path "/role" or ' +
          '"/active") (code "conflict").',
      },
    },
  },
} as const satisfies Record<string, Operation>

export type DirectoryOperationId = keyof typeof DIRECTORY_OPERATIONS
