/**
 * Document templates and documents: the built-in templates and uploaded PDFs with fields placed on their
 * pages; the documents elements have (made by a rule or by hand), their PDFs and their public links; and
 * the public link itself, which anyone holding it may open without an account.
 */
import Type from 'typebox'
import { DOCUMENT_TYPES } from '../../shared/graph/vocabulary.js'
import { LANGUAGES } from '../../shared/i18n/languages.js'
import { FIELD_KINDS, PARTIES } from '../documents/templates.js'
import { SEAL_PROBLEM_CODES, SIGNATURE_PROBLEM_CODES } from '../pdf/seal.js'
import type { Operation } from './operation.js'

const ref = (name: string) => Type.Unsafe<unknown>({ $ref: `#/components/schemas/${name}` })
const strict = { additionalProperties: false } as const
const StringEnum = <T extends readonly string[]>(values: T, description?: string) =>
  Type.Unsafe<T[number]>({ type: 'string', enum: [...values], ...(description ? { description } : {}) })

const Coordinate = (description: string) => Type.Number({ minimum: 0, maximum: 14_400, description })

export const PlacedFieldSchema = Type.Object(
  {
    id: Type.String({ minLength: 1, maxLength: 100, pattern: '^[A-Za-z0-9_.-]+$' }),
    kind: StringEnum(FIELD_KINDS, 'text shows a bound value; the others are filled when a party signs'),
    page: Type.Integer({ minimum: 1, maximum: 500, description: '1 for the first page' }),
    x: Coordinate('Points from the left edge of the page'),
    y: Coordinate('Points from the top edge of the page'),
    width: Type.Number({ exclusiveMinimum: 0, maximum: 14_400 }),
    height: Type.Number({ exclusiveMinimum: 0, maximum: 14_400 }),
    fontSize: Type.Optional(Type.Number({ minimum: 4, maximum: 72 })),
    party: Type.Optional(StringEnum(PARTIES, 'Who fills it (all but text)')),
    bind: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 200,
        description:
          'For text: the value it shows, e.g. "title", "amount", "client.requisites.taxId", "myCompany.name", "document.number", "fields.<extra field>"',
      }),
    ),
    label: Type.Optional(Type.String({ maxLength: 200 })),
    required: Type.Optional(Type.Boolean()),
  },
  strict,
)

const templateProperties = {
  name: Type.String({ minLength: 1, maxLength: 200 }),
  type: StringEnum(DOCUMENT_TYPES),
  locale: Type.Optional(
    Type.String({ pattern: '^[a-z]{2,3}(-[A-Z]{2})?$', description: 'For amounts and dates, e.g. "pl-PL"' }),
  ),
  currency: Type.Optional(Type.String({ pattern: '^[A-Z]{3}$', description: 'ISO 4217, e.g. "PLN"' })),
  taxRate: Type.Optional(Type.Number({ minimum: 0, maximum: 100, description: 'Percent, for items without one' })),
  fields: Type.Array(PlacedFieldSchema, { maxItems: 500 }),
}

export const TemplateBody = Type.Object(
  {
    ...templateProperties,
    fileId: Type.String({ minLength: 1, maxLength: 100, description: 'An uploaded PDF (POST /api/files)' }),
  },
  strict,
)
export const TemplatePatch = Type.Object(
  {
    name: Type.Optional(templateProperties.name),
    locale: templateProperties.locale,
    currency: templateProperties.currency,
    taxRate: templateProperties.taxRate,
    fields: Type.Optional(templateProperties.fields),
  },
  strict,
)

export const MakeDocumentBody = Type.Object(
  {
    template: Type.String({ minLength: 1, maxLength: 200, description: 'A template id (GET /api/templates)' }),
    withSignatureAndStamp: Type.Optional(Type.Boolean({ description: 'Our stamp and signature on it (default true)' })),
    publicLink: Type.Optional(Type.Boolean({ description: 'Make a public link at once (default false)' })),
    myCompany: Type.Optional(
      Type.String({ maxLength: 200, description: 'Which company of ours (default: the first)' }),
    ),
    fields: Type.Optional(
      Type.Record(Type.String({ minLength: 1, maxLength: 200 }), Type.String({ maxLength: 2000 }), {
        maxProperties: 200,
        description: 'Extra fields shown on the document (and bound by "fields.<name>")',
      }),
    ),
  },
  strict,
)

export const PublicLinkBody = Type.Object(
  { expiresInDays: Type.Optional(Type.Integer({ minimum: 1, maximum: 366, description: 'Default 30' })) },
  strict,
)

export const DocumentsQuery = Type.Object(
  {
    element: Type.Optional(Type.String({ minLength: 1, maxLength: 200, description: "Only this element's" })),
    type: Type.Optional(StringEnum(DOCUMENT_TYPES)),
  },
  strict,
)

export const PdfQuery = Type.Object(
  {
    version: Type.Optional(
      StringEnum(['original', 'signed'] as const, 'The PDF as generated, or signed and sealed (default: the newest)'),
    ),
    download: Type.Optional(StringEnum(['0', '1'] as const, '1: as an attachment (default: shown in the browser)')),
  },
  strict,
)

const templateView = {
  id: Type.String(),
  type: Type.String({ enum: [...DOCUMENT_TYPES] }),
  name: Type.String(),
  source: Type.String({ enum: ['builtin', 'upload'] }),
  locale: Type.String(),
  currency: Type.String(),
  taxRate: Type.Number(),
  fileId: Type.Optional(Type.String()),
  fields: Type.Array(ref('PlacedField')),
}

export const documentResponseSchemas = {
  PlacedField: PlacedFieldSchema,
  Template: Type.Object(templateView),
  Document: Type.Object({
    id: Type.String(),
    elementId: Type.String(),
    type: Type.String({ enum: [...DOCUMENT_TYPES] }),
    number: Type.String({ description: 'Per type and year, e.g. "INV-2026-0007"' }),
    title: Type.String(),
    status: Type.String({ enum: ['created', 'sent', 'signing', 'signed', 'declined', 'expired'] }),
    templateId: Type.String(),
    pages: Type.Integer(),
    sha256: Type.String({ description: 'SHA-256 of the generated PDF (hex)' }),
    signedSha256: Type.Union([Type.String(), Type.Null()]),
    pdfUrl: Type.String(),
    publicLink: Type.Object({
      active: Type.Boolean(),
      expiresAt: Type.Union([Type.String(), Type.Null()]),
      revokedAt: Type.Union([Type.String(), Type.Null()]),
    }),
    createdBy: Type.String(),
    createdAt: Type.String(),
    parties: Type.Array(
      Type.Object({
        id: Type.String(),
        role: Type.String({ enum: ['company', 'client'] }),
        position: Type.Integer({ description: 'Signing order: lower signs first; equal ones in parallel' }),
        name: Type.String(),
        channel: Type.String({ description: 'How they are reached: email or sms' }),
        status: Type.String({ enum: ['waiting', 'sent', 'viewed', 'consented', 'signed', 'declined', 'expired'] }),
        updatedAt: Type.String({ description: 'When their status last changed' }),
      }),
      { description: 'Who is asked to sign, in order, and how far each has got (empty until sent for signing)' },
    ),
    events: Type.Array(
      Type.Object({
        type: Type.String(),
        at: Type.String(),
        party: Type.Union([Type.String(), Type.Null()]),
        ip: Type.Union([Type.String(), Type.Null()]),
        userAgent: Type.Union([Type.String(), Type.Null()]),
        channel: Type.Union([Type.String(), Type.Null()]),
      }),
    ),
  }),
  PublicLink: Type.Object({
    url: Type.String({ description: 'The page anyone with the link may open; shown only in this answer' }),
    expiresAt: Type.String(),
  }),
  PublicDocument: Type.Object({
    title: Type.String(),
    number: Type.String(),
    type: Type.String(),
    issuedBy: Type.String(),
    issuedOn: Type.String(),
    pages: Type.Integer(),
    status: Type.String(),
    pdfUrl: Type.String({ description: 'The PDF, by the same token' }),
    expiresAt: Type.String(),
    language: StringEnum(LANGUAGES, 'The language the document speaks: the page opens in it'),
  }),
} as const

const templateId = { id: { description: 'The template id' } }
const documentId = { id: { description: 'The document id' } }
const token = { token: { description: "The public link's token" } }

export const DOCUMENT_OPERATIONS = {
  listTemplates: {
    method: 'get',
    path: '/api/templates',
    summary: 'Document templates: the built-in ones and uploaded PDFs',
    responses: {
      '200': {
        description: 'Built-in first, then uploaded by name.',
        schema: Type.Object({ items: Type.Array(ref('Template')) }),
      },
    },
  },
  getTemplate: {
    method: 'get',
    path: '/api/templates/{id}',
    summary: 'A template with its placed fields',
    params: templateId,
    responses: { '200': { description: 'The template.', schema: ref('Template') } },
  },
  createTemplate: {
    method: 'post',
    path: '/api/templates',
    summary: 'Make a template of an uploaded PDF, with fields placed on its pages',
    description:
      'Upload the PDF first (POST /api/files). Each field must lie on a page of the PDF, inside its edges ' +
      "(refused with the field's path otherwise).",
    body: { schema: TemplateBody, maxBytes: 256 * 1024, description: 'The template.' },
    responses: {
      '201': { description: 'Made; its URL in Location.', schema: ref('Template') },
      '422': {
        description: 'The file is not an uploaded PDF, or a field is off its page (code "invalid", with the path).',
      },
    },
  },
  updateTemplate: {
    method: 'patch',
    path: '/api/templates/{id}',
    summary: "Change an uploaded template's name, fields, locale, currency or tax rate",
    params: templateId,
    body: { schema: TemplatePatch, maxBytes: 256 * 1024, description: 'What changes.' },
    responses: {
      '200': { description: 'Changed.', schema: ref('Template') },
      '409': { description: 'A built-in template (code "conflict"): make your own from a PDF instead.' },
      '422': { description: 'A field is off its page (code "invalid", with the path).' },
    },
  },
  listDocuments: {
    method: 'get',
    path: '/api/documents',
    summary: 'Documents, newest first',
    query: DocumentsQuery,
    responses: { '200': { description: 'At most 200.', schema: Type.Object({ items: Type.Array(ref('Document')) }) } },
  },
  getDocument: {
    method: 'get',
    path: '/api/documents/{id}',
    summary: 'A document with what happened to it',
    params: documentId,
    responses: { '200': { description: 'The document.', schema: ref('Document') } },
  },
  getDocumentPdf: {
    method: 'get',
    path: '/api/documents/{id}/pdf',
    summary: "A document's PDF",
    params: documentId,
    query: PdfQuery,
    responses: {
      '200': { description: 'The PDF.', media: ['application/pdf'] },
      '404': { description: 'No such document, or not signed yet when "signed" is asked (code "not-found").' },
    },
  },
  makeDocument: {
    method: 'post',
    path: '/api/elements/{id}/documents',
    summary: 'Make a document of an element by hand, from a template',
    description: 'As a "Create document" rule does: numbered, stored, audited; a public link if asked.',
    params: { id: { description: 'The element id' } },
    body: { schema: MakeDocumentBody, maxBytes: 64 * 1024, description: 'The template and options.' },
    responses: {
      '201': {
        description: 'Made; its URL in Location. "publicLinkUrl" only when asked for (shown only now).',
        schema: Type.Intersect([ref('Document'), Type.Object({ publicLinkUrl: Type.Optional(Type.String()) })]),
      },
      '422': { description: 'No such template or company of ours (code "invalid", with the path).' },
    },
  },
  createPublicLink: {
    method: 'post',
    path: '/api/documents/{id}/public-link',
    summary: 'Make a new public link (the one before stops working)',
    params: documentId,
    body: { schema: PublicLinkBody, maxBytes: 1024, description: 'How long it works.' },
    responses: { '201': { description: 'The link, shown only now.', schema: ref('PublicLink') } },
  },
  revokePublicLink: {
    method: 'delete',
    path: '/api/documents/{id}/public-link',
    summary: 'Stop the public link',
    params: documentId,
    responses: { '204': { description: 'Stopped (or there was none).' } },
  },
  getPublicDocument: {
    method: 'get',
    path: '/api/public/documents/{token}',
    summary: 'A document by its public link: what it is (no account needed)',
    params: token,
    public: true,
    responses: {
      '200': { description: 'The document.', schema: ref('PublicDocument') },
      '404': { description: 'No document has this link (code "not-found").' },
      '410': { description: 'The link expired or was stopped (code "gone").' },
    },
  },
  getPublicDocumentPdf: {
    method: 'get',
    path: '/api/public/documents/{token}/pdf',
    summary: 'A document by its public link: the PDF (no account needed)',
    params: token,
    query: PdfQuery,
    public: true,
    responses: {
      '200': { description: 'The PDF: signed and sealed when it is, else as generated.', media: ['application/pdf'] },
      '404': { description: 'No document has this link (code "not-found").' },
      '410': { description: 'The link expired or was stopped (code "gone").' },
    },
  },
} as const satisfies Record<string, Operation>

export type DocumentOperationId = keyof typeof DOCUMENT_OPERATIONS

// ------------------------------------------------------------------ signing

const SIGNING_ORDERS = ['companyFirst', 'clientFirst', 'parallel'] as const

export const SendForSigningBody = Type.Object(
  {
    template: Type.Optional(
      Type.String({ minLength: 1, maxLength: 200, description: 'Make a new document from this template…' }),
    ),
    document: Type.Optional(
      Type.String({ minLength: 1, maxLength: 200, description: '…or sign this one of the element (not sent yet)' }),
    ),
    companySigner: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 200,
        description: 'Who signs for us: a user (id, email or name) or an email address',
      }),
    ),
    channel: Type.Optional(StringEnum(['email', 'sms'] as const, 'How the client gets their link (default email)')),
    signingOrder: Type.Optional(StringEnum(SIGNING_ORDERS, 'Default companyFirst')),
    client: Type.Optional(
      Type.Object(
        {
          name: Type.Optional(Type.String({ maxLength: 200 })),
          email: Type.Optional(Type.String({ maxLength: 320 })),
          phone: Type.Optional(Type.String({ maxLength: 40 })),
          language: Type.Optional(
            StringEnum(
              LANGUAGES,
              "The language their messages and signing page speak; default: their contact's, else the element's client.language, else our company's",
            ),
          ),
        },
        { ...strict, description: "Default: the element's client" },
      ),
    ),
    fields: MakeDocumentBody.properties.fields,
    oneTimeCode: Type.Optional(Type.Boolean({ description: 'Each signer confirms a one-time code before signing' })),
    remindEveryDays: Type.Optional(
      Type.Integer({ minimum: 0, maximum: 30, description: 'Remind a signer every N days (0: never; default 3)' }),
    ),
    expiresInDays: Type.Optional(
      Type.Integer({ minimum: 1, maximum: 365, description: 'The links stop working after N days (default 14)' }),
    ),
    reuse: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 200,
        description:
          '"Use this template": a document sent from another element (GET …/signing/reuse); its template, fields, signer, channel and order are copied, the client comes from this element',
      }),
    ),
  },
  strict,
)

export const ConsentBody = Type.Object(
  {
    disclosureSha256: Type.String({
      pattern: '^[0-9a-f]{64}$',
      description: 'The SHA-256 of the notice shown, as GET gave it',
    }),
  },
  strict,
)

export const SignBody = Type.Object(
  {
    signature: Type.Union([
      Type.Object(
        {
          method: Type.Literal('drawn'),
          png: Type.String({
            maxLength: 700_000,
            pattern: '^data:image/png;base64,[A-Za-z0-9+/=]+$',
            description: 'The drawn signature as a PNG data URL',
          }),
        },
        strict,
      ),
      Type.Object({ method: Type.Literal('typed'), text: Type.String({ minLength: 2, maxLength: 100 }) }, strict),
    ]),
    fields: Type.Optional(
      Type.Record(Type.String({ maxLength: 100 }), Type.String({ maxLength: 500 }), { maxProperties: 100 }),
    ),
    code: Type.Optional(
      Type.String({ pattern: '^\\s*\\d{6}\\s*$', description: 'The one-time code, when the signing asks for one' }),
    ),
  },
  strict,
)

export const DeclineBody = Type.Object({ reason: Type.String({ minLength: 1, maxLength: 1000 }) }, strict)

export const signingResponseSchemas = {
  SigningStarted: Type.Object({
    documentId: Type.String(),
    documentNumber: Type.String(),
    clientSigningLink: Type.String({
      description:
        "The client's personal link (sent to them when it is their turn). The company signer's goes only to them, by email.",
    }),
  }),
  Signing: Type.Object({
    document: Type.Object({
      title: Type.String(),
      number: Type.String(),
      type: Type.String(),
      issuedBy: Type.String(),
      pages: Type.Integer(),
      status: Type.String(),
      pdfUrl: Type.String(),
    }),
    party: Type.Object({
      name: Type.String(),
      role: Type.String(),
      status: Type.String(),
      channel: Type.String({ description: 'How they are reached: email or sms' }),
    }),
    parties: Type.Array(Type.Object({ name: Type.String(), role: Type.String(), status: Type.String() })),
    language: StringEnum(
      LANGUAGES,
      'The language of the texts here (the notice, the problem): the one asked for, else the signer’s own',
    ),
    partyLanguage: StringEnum(LANGUAGES, 'The language the signer is written to in: their page opens in it'),
    disclosure: Type.Object({
      version: Type.String(),
      text: Type.String(),
      sha256: Type.String({ description: 'What POST …/consent sends back' }),
      language: StringEnum(LANGUAGES),
    }),
    fields: Type.Array(Type.Object({ id: Type.String(), label: Type.String(), required: Type.Boolean() })),
    consented: Type.Boolean(),
    oneTimeCode: Type.Boolean({ description: 'A one-time code must be confirmed before signing' }),
    codeSentTo: Type.Union([Type.String(), Type.Null()], { description: 'Where the last code went, masked' }),
    canSign: Type.Boolean(),
    problem: Type.Union([Type.Object({ code: Type.String(), message: Type.String() }), Type.Null()]),
  }),
} as const

const signingToken = { token: { description: "The personal signing link's token" } }
const publicSigning = (path: string) => `/api/public/signing/{token}${path}`
/** The language a signer's page speaks, for what the server says to it (texts, refusals). */
const SpokenLanguage = Type.Object(
  {
    language: Type.Optional(
      StringEnum(
        LANGUAGES,
        'Say it in this language (the page’s, if the signer picked one); default: the signer’s own',
      ),
    ),
  },
  strict,
)

export const SIGNING_OPERATIONS = {
  sendForSigning: {
    method: 'post',
    path: '/api/elements/{id}/signing',
    summary: 'Send a document of an element for signing by hand (or make one from a template and send it)',
    params: { id: { description: 'The element id' } },
    body: {
      schema: SendForSigningBody,
      maxBytes: 64 * 1024,
      description: 'What to sign, who signs, how they are reached.',
    },
    responses: {
      '201': {
        description: 'Sent: the company signer is emailed; the client gets their link in turn.',
        schema: ref('SigningStarted'),
      },
      '409': { description: 'The document was sent already (code "conflict").' },
      '422': {
        description:
          'No template or document named, an unknown signer, or no address to reach a party (code "invalid", with the path).',
      },
    },
  },
  getSigning: {
    method: 'get',
    path: publicSigning(''),
    summary: "The signing page's data: the document, the notice, what to fill (no account needed)",
    description: 'The first look records "viewed" (with the address and device), which the flow hears.',
    params: signingToken,
    query: SpokenLanguage,
    public: true,
    responses: {
      '200': { description: 'What the signer sees, and whether they may sign now.', schema: ref('Signing') },
      '404': { description: 'No signing has this link (code "not-found").' },
    },
  },
  getSigningPdf: {
    method: 'get',
    path: publicSigning('/pdf'),
    summary: 'The document as it stands: signed by whom has signed; the sealed PDF once complete',
    params: signingToken,
    query: PdfQuery,
    public: true,
    responses: {
      '200': { description: 'The PDF.', media: ['application/pdf'] },
      '404': { description: 'No signing has this link (code "not-found").' },
    },
  },
  consentToSign: {
    method: 'post',
    path: publicSigning('/consent'),
    summary: "Agree to sign electronically (the notice's version and hash are recorded)",
    params: signingToken,
    query: SpokenLanguage,
    public: true,
    body: { schema: ConsentBody, maxBytes: 1024, description: 'The hash of the notice agreed to.' },
    responses: {
      '204': { description: 'Recorded.' },
      '404': { description: 'No signing has this link (code "not-found").' },
      '409': { description: 'Signed already, or not their turn yet (code "conflict" or "not-your-turn").' },
      '410': { description: 'Expired, declined, or stopped (code "gone").' },
      '422': { description: 'Not the current notice (code "invalid").' },
    },
  },
  signDocument: {
    method: 'post',
    path: publicSigning('/sign'),
    summary: 'Sign: a drawn signature (PNG) or a typed name, and the fields to fill',
    params: signingToken,
    query: SpokenLanguage,
    public: true,
    body: { schema: SignBody, maxBytes: 1024 * 1024, description: 'The signature and the filled fields.' },
    responses: {
      '200': {
        description: 'Signed; "completed" when everyone has.',
        schema: Type.Object({ completed: Type.Boolean() }),
      },
      '404': { description: 'No signing has this link (code "not-found").' },
      '409': {
        description:
          'Signed already, not their turn, or no consent yet (code "conflict", "not-your-turn", "consent-required").',
      },
      '410': { description: 'Expired, declined, or stopped (code "gone").' },
      '422': { description: 'A required field is empty, or the drawing is not a PNG (code "invalid", with the path).' },
    },
  },
  sendSigningCode: {
    method: 'post',
    path: publicSigning('/code'),
    summary: "Send me a one-time code (by my link's channel), to confirm it is me before signing",
    params: signingToken,
    query: SpokenLanguage,
    public: true,
    responses: {
      '204': { description: 'Sent.' },
      '404': { description: 'No signing has this link (code "not-found").' },
      '409': {
        description:
          'No code needed, one was sent under 30 s ago, or five were sent (code "conflict", "too-soon", "too-many-codes").',
      },
      '410': { description: 'Expired, declined, or stopped (code "gone").' },
    },
  },
  suggestReuse: {
    method: 'get',
    path: '/api/elements/{id}/signing/reuse',
    summary: '"Use this template": the last document of a type sent for signing from another element',
    params: { id: { description: 'The element id' } },
    query: Type.Object({ type: Type.Optional(StringEnum(DOCUMENT_TYPES)) }, strict),
    responses: {
      '200': {
        description: 'What would be copied; send it with POST …/signing {"reuse": document id}.',
        schema: Type.Object({
          document: Type.Object({
            id: Type.String(),
            number: Type.String(),
            title: Type.String(),
            elementId: Type.String(),
            type: Type.String(),
          }),
          template: Type.String(),
          companySigner: Type.String(),
          channel: Type.String(),
          signingOrder: Type.String(),
          oneTimeCode: Type.Boolean(),
          fields: Type.Record(Type.String(), Type.Unknown()),
          client: Type.Object({ name: Type.String(), email: Type.String(), phone: Type.String() }),
        }),
      },
      '404': { description: 'No such element, or nothing of that type was sent from another one (code "not-found").' },
    },
  },
  declineSigning: {
    method: 'post',
    path: publicSigning('/decline'),
    summary: 'Decline to sign, with a reason: the signing stops',
    params: signingToken,
    query: SpokenLanguage,
    public: true,
    body: { schema: DeclineBody, maxBytes: 4096, description: 'Why.' },
    responses: {
      '204': { description: 'Declined.' },
      '404': { description: 'No signing has this link (code "not-found").' },
      '409': { description: 'Signed already (code "conflict").' },
      '410': { description: 'Expired, declined, or stopped (code "gone").' },
    },
  },
} as const satisfies Record<string, Operation>

export type SigningOperationId = keyof typeof SIGNING_OPERATIONS

// ------------------------------------------------------------------ verifying a signed PDF

/** The largest PDF the public verify page checks. */
export const MAX_VERIFY_UPLOAD = 10 * 1024 * 1024

const ProblemParams = Type.Record(Type.String(), Type.Union([Type.String(), Type.Number()]), {
  description:
    'The values the problem is said with: "size", "max", "who", "count", "format", "message"; for ' +
    '"signature-invalid", "field", "reason" (a signature\'s problem code) and that reason\'s own values',
})

export const verifyResponseSchemas = {
  Verification: Type.Object({
    sealedByUs: Type.Boolean({ description: 'A valid seal of this platform is in the file' }),
    unchanged: Type.Boolean({ description: 'Not one byte changed since the newest valid seal' }),
    problem: Type.Union([Type.String(), Type.Null()], {
      description: 'What to know first, when anything is wrong (in English)',
    }),
    problemCode: Type.Union([StringEnum(SEAL_PROBLEM_CODES), Type.Null()], {
      description: 'The same as a stable code, for saying it in another language',
    }),
    params: ProblemParams,
    document: Type.Union(
      [Type.Object({ number: Type.String(), title: Type.String(), completedAt: Type.String() }), Type.Null()],
      {
        description: 'The document of ours this very file is, when it is one',
      },
    ),
    signatures: Type.Array(
      Type.Object({
        valid: Type.Boolean(),
        coversWholeFile: Type.Boolean(),
        signer: Type.Union([Type.String(), Type.Null()]),
        signingTime: Type.Union([Type.String(), Type.Null()]),
        ours: Type.Boolean(),
        problem: Type.Union([Type.String(), Type.Null()], { description: 'Why it is not valid (in English)' }),
        problemCode: Type.Union([StringEnum(SIGNATURE_PROBLEM_CODES), Type.Null()], {
          description: 'The same as a stable code',
        }),
        params: ProblemParams,
      }),
    ),
  }),
} as const

export const VERIFY_OPERATIONS = {
  verifyPdf: {
    method: 'post',
    path: '/api/public/verify',
    summary: 'Check a signed PDF: did we seal it, and is it unchanged since? (no account needed)',
    description: 'The body is the PDF itself. Nothing of it is kept.',
    public: true,
    body: { raw: ['application/pdf'], maxBytes: MAX_VERIFY_UPLOAD, description: 'The PDF, at most 10 MB.' },
    responses: {
      '200': { description: 'What the file says, in words a person understands.', schema: ref('Verification') },
    },
  },
} as const satisfies Record<string, Operation>

export type VerifyOperationId = keyof typeof VERIFY_OPERATIONS

// ------------------------------------------------------------------ the platform's sealing certificate

export const SealingBody = Type.Object(
  {
    p12: Type.String({
      minLength: 16,
      maxLength: 400_000,
      pattern: '^[A-Za-z0-9+/=\\s]+$',
      description: 'The .p12 (PKCS#12) file, base64-encoded: the certificate and its private key',
    }),
    password: Type.String({ maxLength: 200, description: 'The password that opens the .p12' }),
  },
  strict,
)

export const sealingResponseSchemas = {
  SealingCertificate: Type.Object({
    commonName: Type.Union([Type.String(), Type.Null()]),
    organization: Type.Union([Type.String(), Type.Null()]),
    fingerprint: Type.String({ description: 'SHA-256 of the certificate (hex)' }),
    notBefore: Type.String(),
    notAfter: Type.String(),
    selfSigned: Type.Boolean({ description: 'Made by the platform itself: PDF readers call it "not trusted"' }),
  }),
} as const

export const SEALING_OPERATIONS = {
  getSealingCertificate: {
    method: 'get',
    path: '/api/settings/sealing',
    summary: 'The certificate that seals completed documents',
    responses: { '200': { description: 'The certificate in use.', schema: ref('SealingCertificate') } },
  },
  replaceSealingCertificate: {
    method: 'put',
    path: '/api/settings/sealing',
    summary: 'Seal with your own certificate: upload its .p12 and password',
    description:
      'From the next seal on. Documents sealed before keep verifying as ours. The .p12 must open with the ' +
      'password, hold a private key and its certificate, and be in date.',
    body: { schema: SealingBody, maxBytes: 512 * 1024, description: 'The .p12 and its password.' },
    responses: {
      '200': { description: 'Replaced; the new certificate.', schema: ref('SealingCertificate') },
      '422': {
        description: 'A wrong password, no key, an expired certificate, not a .p12 (code "invalid", with the path).',
      },
    },
  },
} as const satisfies Record<string, Operation>

export type SealingOperationId = keyof typeof SEALING_OPERATIONS
