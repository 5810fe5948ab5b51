/** The triggers of the catalog: each watches one event and moves the element to its stage. */
import Type from 'typebox'
import { RefString, StringEnum, V } from '../graph/schema-parts.js'
import { DOCUMENT_TYPES } from '../graph/vocabulary.js'
import { ALL_ELEMENT_TYPES, defineTrigger } from './define.js'

const obj = { additionalProperties: false } as const

const documentSettings = Type.Object(
  { documentType: StringEnum(['any', ...DOCUMENT_TYPES] as const, { description: 'Which documents count' }) },
  obj,
)
const documentDefaults = { documentType: 'any' } as const

const paperwork = (label: string, description: string, icon: string) =>
  defineTrigger({
    category: 'paperwork',
    label,
    description,
    icon,
    tier: 'core',
    allowedIn: ALL_ELEMENT_TYPES,
    settings: documentSettings,
    defaults: documentDefaults,
  })

export const triggerCatalog = {
  signedByCompany: paperwork(
    'Signed by the company representative',
    'The company signer (e.g. the director) signed the document.',
    'approval',
  ),
  signedByClient: paperwork('Signed by the client', 'The client signed the document.', 'how_to_reg'),
  signedByAll: paperwork('Signed by all parties', 'Every party has signed; the sealed PDF is ready.', 'verified'),
  documentViewed: paperwork('Document viewed by the client', 'The client opened the signing link.', 'visibility'),
  signingRefused: paperwork('Signing refused', 'A party declined to sign.', 'block'),
  signingExpired: paperwork('Signing expired', 'The signing link expired before everyone signed.', 'timer_off'),
  documentCreated: paperwork('Document created', 'A document was created for the element.', 'note_add'),
  fieldChanged: defineTrigger({
    category: 'elementControl',
    label: 'Field changed',
    description: 'One of the chosen fields changed (optionally: to a given value).',
    icon: 'edit',
    tier: 'core',
    allowedIn: ALL_ELEMENT_TYPES,
    settings: Type.Object(
      {
        fields: Type.Array(RefString('field', 'Field path'), { maxItems: 50, 'x-signflow-required': true }),
        to: Type.Optional(V('any', { description: 'Fire only when the field changes to this value' })),
      },
      obj,
    ),
    defaults: { fields: [] },
  }),
  responsibleChanged: defineTrigger({
    category: 'elementControl',
    label: 'Responsible changed',
    description: 'The element was given to another responsible person.',
    icon: 'person_search',
    tier: 'core',
    allowedIn: ALL_ELEMENT_TYPES,
    settings: Type.Object({}, obj),
    defaults: {},
  }),
  webhook: defineTrigger({
    category: 'integrations',
    label: 'Incoming webhook',
    description: 'Another system called this trigger’s own URL (with its secret).',
    icon: 'webhook',
    tier: 'core',
    allowedIn: ALL_ELEMENT_TYPES,
    settings: Type.Object({}, obj),
    defaults: {},
  }),
  invoicePaid: defineTrigger({
    category: 'payment',
    label: 'Invoice paid',
    description: 'The client paid an invoice of the element.',
    icon: 'payments',
    tier: 'core',
    allowedIn: ['deal', 'lead'],
    settings: Type.Object({}, obj),
    defaults: {},
  }),
}
