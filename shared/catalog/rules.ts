/** The automation rules (actions) of the catalog, by category. */
import Type from 'typebox'
import {
  ChangeAsDef,
  ConditionRef,
  Discriminated,
  DurationDef,
  RefString,
  StringEnum,
  V,
  VFrom,
} from '../graph/schema-parts.js'
import { ADDRESS_PARTS, ADDRESS_TYPES, CHANNELS, REQUISITE_FIELDS, REQUISITE_TEMPLATES } from '../graph/vocabulary.js'
import { ALL_ELEMENT_TYPES, CRM_ELEMENT_TYPES, defineRule, type OutputDef } from './define.js'

const obj = { additionalProperties: false } as const
const nonEmpty = { 'x-signflow-required': true } as const

/** Requisite fields a rule can set or read; address parts apply to the rule's address type. */
export const REQUISITE_SETTING_FIELDS = [
  ...REQUISITE_FIELDS,
  'address',
  ...ADDRESS_PARTS.map((p) => `address.${p}` as const),
] as const

const requisiteTarget = {
  entity: StringEnum(['contact', 'company'] as const, { description: "The client's contact or company" }),
  requisiteTemplate: StringEnum(REQUISITE_TEMPLATES),
  addressType: StringEnum(ADDRESS_TYPES),
}

const capitalized = (s: string) => s.charAt(0).toUpperCase() + s.slice(1)

const requisiteOutputs: OutputDef[] = [
  ...REQUISITE_FIELDS.map((f) => ({ name: f, label: f, type: 'text' as const })),
  { name: 'address', label: 'Address (one line)', type: 'text' },
  ...ADDRESS_PARTS.map((p) => ({ name: `address${capitalized(p)}`, label: `Address: ${p}`, type: 'text' as const })),
]

const messageId: OutputDef[] = [{ name: 'messageId', label: 'Message ID', type: 'text' }]

export const ruleCatalog = {
  // ------------------------------------------------------------ Paperwork
  createDocument: defineRule({
    category: 'paperwork',
    label: 'Create document',
    description: 'Generate a document from a template and attach it to the element.',
    icon: 'description',
    tier: 'core',
    allowedIn: CRM_ELEMENT_TYPES,
    settings: Type.Object(
      {
        template: RefString('template', 'Document template id'),
        waitForPdf: Type.Boolean({ description: 'The next rule starts only when the PDF exists' }),
        withSignatureAndStamp: Type.Boolean(),
        publicLink: Type.Boolean({ description: 'Create a public link to view and download' }),
        myCompany: Type.Optional(
          Type.Object(
            {
              company: Type.Optional(Type.String({ maxLength: 200, description: 'My company id' })),
              requisites: Type.Optional(Type.String({ maxLength: 200 })),
              bankDetails: Type.Optional(Type.String({ maxLength: 200 })),
            },
            obj,
          ),
        ),
        fields: Type.Array(
          Type.Object({ name: Type.String({ minLength: 1, maxLength: 200 }), value: V('text') }, obj),
          { maxItems: 200 },
        ),
      },
      obj,
    ),
    defaults: { template: '', waitForPdf: true, withSignatureAndStamp: true, publicLink: false, fields: [] },
    outputs: () => [
      { name: 'documentId', label: 'Document', type: 'document' },
      { name: 'documentNumber', label: 'Document number', type: 'text' },
      { name: 'publicLink', label: 'Public link', type: 'text' },
      { name: 'pdf', label: 'PDF file', type: 'file' },
    ],
    causes: () => [{ trigger: 'documentCreated', documentType: 'any' }],
  }),
  sendDocumentForSigning: defineRule({
    category: 'paperwork',
    label: 'Send document for signing',
    description: 'Create a document from an e-signature template and send it to the company signer and the client.',
    icon: 'draw',
    tier: 'core',
    allowedIn: CRM_ELEMENT_TYPES,
    settings: Type.Object(
      {
        template: RefString('template', 'E-signature template id'),
        companySigner: V('text', { description: "The company signer's name" }),
        channel: StringEnum(CHANNELS),
        signingOrder: StringEnum(['companyFirst', 'clientFirst', 'parallel'] as const),
        oneTimeCode: Type.Optional(
          Type.Boolean({ description: 'Each signer confirms a one-time code sent by email or SMS before signing' }),
        ),
        remindEveryDays: Type.Optional(
          Type.Integer({
            minimum: 0,
            maximum: 30,
            description: 'Remind a signer who has not signed every N days (0: never; default 3)',
          }),
        ),
        expiresInDays: Type.Optional(
          Type.Integer({ minimum: 1, maximum: 365, description: 'The links stop working after N days (default 14)' }),
        ),
      },
      obj,
    ),
    defaults: {
      template: '',
      companySigner: { kind: 'literal', value: '' },
      channel: 'email',
      signingOrder: 'companyFirst',
    },
    outputs: () => [
      { name: 'documentId', label: 'Document', type: 'document' },
      { name: 'clientSigningLink', label: "Client's signing link", type: 'text' },
    ],
    causes: () => [{ trigger: 'documentCreated', documentType: 'any' }],
  }),
  changeRequisites: defineRule({
    category: 'paperwork',
    label: 'Change requisites',
    description: "Set fields of the client's requisites (tax ID, bank details, an address).",
    icon: 'badge',
    tier: 'core',
    allowedIn: CRM_ELEMENT_TYPES,
    settings: Type.Object(
      {
        ...requisiteTarget,
        values: Type.Array(Type.Object({ field: StringEnum(REQUISITE_SETTING_FIELDS), value: V('text') }, obj), {
          maxItems: 100,
          ...nonEmpty,
        }),
      },
      obj,
    ),
    defaults: { entity: 'company', requisiteTemplate: 'organization', addressType: 'legal', values: [] },
    causes: (s) => [
      {
        trigger: 'fieldChanged',
        fields: s.values.map((v) =>
          v.field === 'address'
            ? `client.requisites.address.${s.addressType}.full`
            : v.field.startsWith('address.')
              ? `client.requisites.address.${s.addressType}${v.field.slice('address'.length)}`
              : `client.requisites.${v.field}`,
        ),
      },
    ],
  }),
  getRequisites: defineRule({
    category: 'paperwork',
    label: 'Get requisite values',
    description: "Read the client's requisites and one address for later rules.",
    icon: 'manage_search',
    tier: 'core',
    allowedIn: CRM_ELEMENT_TYPES,
    settings: Type.Object(requisiteTarget, obj),
    defaults: { entity: 'company', requisiteTemplate: 'organization', addressType: 'actual' },
    outputs: () => requisiteOutputs,
  }),

  // ------------------------------------------------------------ Client communication
  sendEmail: defineRule({
    category: 'clientCommunication',
    label: 'Send email to client',
    description: 'Email the client, optionally with the created document attached.',
    icon: 'mail',
    tier: 'core',
    allowedIn: ALL_ELEMENT_TYPES,
    settings: Type.Object(
      {
        from: Type.Optional(V('text', { description: 'Sender; the responsible person by default' })),
        to: V('text'),
        subject: V('text'),
        body: V('text'),
        format: StringEnum(['text', 'html'] as const),
        attachments: Type.Array(V('file'), { maxItems: 20 }),
      },
      obj,
    ),
    defaults: {
      to: { kind: 'field', path: 'client.email' },
      subject: { kind: 'literal', value: '' },
      body: { kind: 'literal', value: '' },
      format: 'text',
      attachments: [],
    },
    outputs: () => messageId,
  }),
  sendSms: defineRule({
    category: 'clientCommunication',
    label: 'Send SMS to client',
    description: "Text the client's phone (160 characters a part, 70 with non-Latin letters).",
    icon: 'sms',
    tier: 'core',
    allowedIn: ALL_ELEMENT_TYPES,
    settings: Type.Object({ to: V('text'), text: V('text') }, obj),
    defaults: { to: { kind: 'field', path: 'client.phone' }, text: { kind: 'literal', value: '' } },
    outputs: () => messageId,
  }),
  sendDocumentLink: defineRule({
    category: 'clientCommunication',
    label: 'Send document link',
    description: 'Send the client the public link of a document created earlier.',
    icon: 'link',
    tier: 'core',
    allowedIn: ALL_ELEMENT_TYPES,
    settings: Type.Object(
      { document: V('document'), channel: StringEnum(CHANNELS), message: Type.Optional(V('text')) },
      obj,
    ),
    defaults: { document: { kind: 'literal', value: '' }, channel: 'email' },
    outputs: () => messageId,
  }),

  // ------------------------------------------------------------ Employee communication
  addNotification: defineRule({
    category: 'employeeCommunication',
    label: 'Add notification',
    description: 'Notify employees (the responsible person, a supervisor, anyone) in the inbox.',
    icon: 'notifications',
    tier: 'core',
    allowedIn: ALL_ELEMENT_TYPES,
    settings: Type.Object({ to: Type.Array(V('user'), { maxItems: 100, ...nonEmpty }), text: V('text') }, obj),
    defaults: { to: [{ kind: 'field', path: 'responsible' }], text: { kind: 'literal', value: '' } },
  }),
  createTask: defineRule({
    category: 'employeeCommunication',
    label: 'Create task',
    description: 'Create a task for an employee with a deadline and a checklist.',
    icon: 'task_alt',
    tier: 'core',
    allowedIn: ALL_ELEMENT_TYPES,
    settings: Type.Object(
      {
        title: V('text'),
        description: Type.Optional(V('text')),
        responsible: V('user'),
        deadline: Type.Optional(DurationDef),
        checklist: Type.Array(Type.String({ maxLength: 500 }), { maxItems: 100 }),
      },
      obj,
    ),
    defaults: {
      title: { kind: 'literal', value: '' },
      responsible: { kind: 'field', path: 'responsible' },
      checklist: [],
    },
    outputs: () => [{ name: 'taskId', label: 'Task', type: 'text' }],
  }),
  notifySupervisor: defineRule({
    category: 'employeeCommunication',
    label: 'Notify supervisor',
    description: "Tell the responsible person's supervisor, for control.",
    icon: 'supervisor_account',
    tier: 'later',
    allowedIn: ALL_ELEMENT_TYPES,
    settings: Type.Object({ text: V('text') }, obj),
    defaults: { text: { kind: 'literal', value: '' } },
  }),

  // ------------------------------------------------------------ Element control
  changeStage: defineRule({
    category: 'elementControl',
    label: 'Change stage',
    description: 'Move the element to another stage; its rules run there.',
    icon: 'move_down',
    tier: 'core',
    allowedIn: ALL_ELEMENT_TYPES,
    settings: Type.Object({ stage: RefString('stage', 'Target stage id'), changeAs: ChangeAsDef }, obj),
    defaults: { stage: '', changeAs: { mode: 'responsible' } },
  }),
  changeResponsible: defineRule({
    category: 'elementControl',
    label: 'Change responsible',
    description: 'Give the element to a user, or to the next of several users in turn.',
    icon: 'person',
    tier: 'core',
    allowedIn: ALL_ELEMENT_TYPES,
    settings: Type.Object(
      {
        assign: Discriminated('mode', [
          Type.Object({ mode: Type.Literal('user'), user: V('user') }, obj),
          Type.Object(
            {
              mode: Type.Literal('roundRobin'),
              users: Type.Array(RefString('user', 'User id'), { maxItems: 100, ...nonEmpty }),
            },
            obj,
          ),
        ]),
      },
      obj,
    ),
    defaults: { assign: { mode: 'user', user: { kind: 'literal', value: '' } } },
    outputs: () => [{ name: 'responsible', label: 'New responsible', type: 'user' }],
    causes: () => [{ trigger: 'responsibleChanged' }, { trigger: 'fieldChanged', fields: ['responsible'] }],
  }),
  modifyFields: defineRule({
    category: 'elementControl',
    label: 'Modify fields',
    description: "Set the element's fields, or append to multi-value fields.",
    icon: 'edit_note',
    tier: 'core',
    allowedIn: ALL_ELEMENT_TYPES,
    settings: Type.Object(
      {
        values: Type.Array(
          Type.Object(
            {
              field: RefString('field', 'Field path'),
              value: VFrom('field'),
              mode: StringEnum(['set', 'append'] as const),
            },
            obj,
          ),
          { maxItems: 200, ...nonEmpty },
        ),
      },
      obj,
    ),
    defaults: { values: [] },
    causes: (s) => [
      { trigger: 'fieldChanged', fields: s.values.map((v) => v.field) },
      ...(s.values.some((v) => v.field === 'responsible') ? [{ trigger: 'responsibleChanged' as const }] : []),
    ],
  }),
  wait: defineRule({
    category: 'elementControl',
    label: 'Wait',
    description: 'Pause the rules after it for a while, or until a condition holds (with a timeout).',
    icon: 'hourglass_top',
    tier: 'core',
    allowedIn: ALL_ELEMENT_TYPES,
    settings: Type.Object(
      {
        until: Discriminated('mode', [
          Type.Object({ mode: Type.Literal('duration'), duration: DurationDef }, obj),
          Type.Object({ mode: Type.Literal('condition'), condition: ConditionRef, timeout: DurationDef }, obj),
        ]),
      },
      obj,
    ),
    defaults: { until: { mode: 'duration', duration: { amount: 1, unit: 'days' } } },
  }),

  // ------------------------------------------------------------ Auxiliary
  setVariable: defineRule({
    category: 'auxiliary',
    label: 'Set variable',
    description: 'Store a value in a flow variable for later rules.',
    icon: 'data_object',
    tier: 'core',
    allowedIn: ALL_ELEMENT_TYPES,
    settings: Type.Object({ variable: RefString('variable', 'Variable id'), value: VFrom('variable') }, obj),
    defaults: { variable: '', value: { kind: 'literal', value: '' } },
  }),
  calculate: defineRule({
    category: 'auxiliary',
    label: 'Calculate a value',
    description: 'Compute a number, amount or date with a formula (CEL), e.g. element.amount * 1.23.',
    icon: 'calculate',
    tier: 'core',
    allowedIn: ALL_ELEMENT_TYPES,
    settings: Type.Object(
      {
        formula: Type.String({ maxLength: 4000, description: 'A CEL expression', 'x-signflow-required': true }),
        resultType: StringEnum(['number', 'money', 'date', 'datetime', 'text', 'boolean'] as const),
        variable: Type.Optional(RefString('variable', 'Also store the result in this variable')),
      },
      obj,
    ),
    defaults: { formula: '', resultType: 'number' },
    outputs: (s) => [{ name: 'result', label: 'Result', type: s.resultType }],
  }),
  writeToLog: defineRule({
    category: 'auxiliary',
    label: 'Write to the element log',
    description: "Add a line to the element's timeline.",
    icon: 'notes',
    tier: 'later',
    allowedIn: ALL_ELEMENT_TYPES,
    settings: Type.Object({ text: V('text') }, obj),
    defaults: { text: { kind: 'literal', value: '' } },
  }),
}
