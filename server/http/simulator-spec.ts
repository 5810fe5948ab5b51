/**
 * What the designer's dry-run simulator keeps on and asks of the server (issue 9):
 *
 * - scenarios stored next to a flow (a sample of elements, steps and expectations: the scenario files of
 *   `shared/engine/scenario.ts`), which "run all scenarios" in the designer and
 *   `signflow test --server … --flow …` in CI run;
 * - a preview of a template as a PDF, drawn from given field values by the same code as real documents,
 *   writing nothing (no number from the counter, no file, no document, no audit row), and not passing for a
 *   document (marked "PREVIEW — NOT VALID" on every page, without our stamp and signature); for those who
 *   design flows.
 */
import Type from 'typebox'
import { type Scenario, ScenarioDef } from '../../shared/engine/scenario.js'
import { LANGUAGES } from '../../shared/i18n/languages.js'
import type { Operation } from './operation.js'

/** The largest scenario a request may carry. */
export const MAX_SCENARIO_BODY_BYTES = 1024 * 1024
/** At most this many scenarios per flow, so that a flow's list stays a size one answer can carry. */
export const MAX_SCENARIOS_PER_FLOW = 200
/** Scenario ids are graph ids (stage and node ids): they appear in URLs. */
export const SCENARIO_ID_PATTERN = '^[A-Za-z][A-Za-z0-9_-]{0,63}$'
/** The longest `fields` parameter of a preview (base64url text): 64 KB. */
export const MAX_PREVIEW_QUERY = 64 * 1024
/** The longest text a preview's fields may hold, as a value or as a key (in UTF-16 units, as JavaScript counts). */
export const MAX_PREVIEW_TEXT = 10_000
/** At most this many keys and list entries, at every depth, in a preview's fields. */
export const MAX_PREVIEW_ENTRIES = 1_000

const ref = (name: string) => Type.Unsafe<unknown>({ $ref: `#/components/schemas/${name}` })
const strict = { additionalProperties: false } as const

/** Checked only as an object by the route; `scenarioProblems` then checks it fully and answers 422 with the path. */
export const ScenarioBody = Type.Unsafe<Scenario>({
  type: 'object',
  description:
    'A scenario: formatVersion 1, name, graph (what it runs against, any text: the designer sends "draft"), ' +
    'start, elements, steps, … — the `Scenario` schema (also `npx signflow schema --scenario`).',
})

export const PreviewQuery = Type.Object(
  {
    fields: Type.Optional(
      Type.String({
        maxLength: MAX_PREVIEW_QUERY,
        description:
          'The values the document shows, as a JSON object of field paths ({"title": "…", "amount": 12000, ' +
          '"client.name": "…"}; nested objects are read as paths too), UTF-8, in base64url (RFC 4648 §5, ' +
          'padding optional); at most 64 KB, each text (value or key) at most 10 000 characters, at most 1 000 ' +
          'keys and list entries in all. Paths under "fields." are a "Create document" rule\'s extra fields; ' +
          'paths under "myCompany." are ignored (our company\'s requisites are always the stored ones). ' +
          'Without it, the template with no values.',
      }),
    ),
    language: Type.Optional(
      Type.Unsafe<(typeof LANGUAGES)[number]>({
        type: 'string',
        enum: [...LANGUAGES],
        description:
          'The caller\'s language ("en", "pl", "fr", "tr", "de"; default "en"): the number and the mark are in ' +
          'it ("ÖNİZLEME — GEÇERSİZ", "VORSCHAU — UNGÜLTIG"), and so are a built-in template\'s words unless ' +
          'the fields give the client a language of their own ("client.language"). An uploaded template keeps ' +
          'the language of its locale. Any other value: 400 at "/language".',
      }),
    ),
  },
  strict,
)

export const simulatorResponseSchemas = {
  Scenario: ScenarioDef,
  StoredScenario: Type.Object({
    id: Type.String({ description: 'Unique in the flow' }),
    name: Type.String({ description: "The scenario's name" }),
    updatedAt: Type.String({ description: 'Last saved (ISO 8601)' }),
    updatedBy: Type.String({ description: 'Who saved it last (`user:<id>`, `token:<id>`, `api`)' }),
    scenario: ref('Scenario'),
  }),
  ScenarioSaved: Type.Object({
    id: Type.String(),
    name: Type.String(),
    updatedAt: Type.String({ description: 'Saved (ISO 8601)' }),
  }),
} as const

const flowId = { id: { description: 'The flow id' } }
const scenarioId = {
  scenarioId: {
    description: 'The scenario id: up to 64 letters, digits, "_" or "-", starting with a letter (as graph ids)',
  },
}

export const SIMULATOR_OPERATIONS = {
  listScenarios: {
    method: 'get',
    path: '/api/flows/{id}/scenarios',
    summary: "The flow's stored scenarios, by name",
    description:
      'What the designer\'s "run all scenarios" and `npx signflow test --server … --flow …` run: each scenario ' +
      'as it was saved.',
    params: flowId,
    responses: {
      '200': {
        description: 'Every scenario of the flow (none: an empty list).',
        schema: Type.Object({ items: Type.Array(ref('StoredScenario')) }),
      },
    },
  },
  saveScenario: {
    method: 'put',
    path: '/api/flows/{id}/scenarios/{scenarioId}',
    summary: 'Store a scenario next to the flow (made, or replaced)',
    description:
      'The body is checked as a scenario file is (`npx signflow schema --scenario`); its `graph` says what it runs ' +
      'against and is kept as given. Audited as `flow.scenarioSaved`. A flow keeps at most 200 scenarios.',
    params: { ...flowId, ...scenarioId },
    body: {
      schema: ScenarioBody,
      maxBytes: MAX_SCENARIO_BODY_BYTES,
      description: 'The scenario (at most 1 MB).',
    },
    responses: {
      '200': { description: 'Replaced.', schema: ref('ScenarioSaved') },
      '201': { description: 'Made; its URL in Location.', schema: ref('ScenarioSaved') },
      '409': { description: 'The flow has 200 scenarios already (code "conflict").' },
      '422': {
        description:
          'Not a valid scenario (code "invalid"; the path of the first problem in the body), or the scenario id ' +
          'in the URL is not of the form of a graph id (code "invalid", without a path).',
      },
    },
  },
  deleteScenario: {
    method: 'delete',
    path: '/api/flows/{id}/scenarios/{scenarioId}',
    summary: 'Delete a stored scenario',
    description: 'Audited as `flow.scenarioDeleted`.',
    params: { ...flowId, ...scenarioId },
    responses: {
      '204': { description: 'Deleted.' },
      '404': { description: 'No such flow, or no such scenario in it (code "not-found").' },
    },
  },
  previewTemplate: {
    method: 'get',
    path: '/api/templates/{id}/preview',
    summary: 'A template drawn as a PDF from given values, marked as not valid, writing nothing (for the simulator)',
    description:
      'Drawn by the same code as the documents a "Create document" rule makes, with our default company\'s ' +
      'requisites (never the caller\'s: "myCompany." paths in the fields are ignored), but it cannot pass for a ' +
      'document: the number is "PREVIEW", every page is marked "PREVIEW — NOT VALID" (a band across the top ' +
      'and large letters across the page; both in the `language` asked for), and our stamp and signature are not drawn. Nothing is stored: no ' +
      'number is taken from the counter, no file, no document, no audit row. For those who design flows ' +
      '(analyst, admin). Built-in templates are "tpl-invoice", "tpl-contract", "tpl-offer", "tpl-act" and ' +
      '"tpl-other", as rules name them.',
    params: { id: { description: 'A template id, as a "Create document" rule names it (GET /api/templates)' } },
    query: PreviewQuery,
    responses: {
      '200': { description: 'The PDF, shown inline, not to be cached.', media: ['application/pdf'] },
      '400': {
        description:
          'Also when "fields" is longer than 64 KB, or is not base64url of UTF-8 JSON text of an object (path ' +
          '"/fields"); when it holds more than 1 000 keys and list entries (path "/fields"); when a value in it ' +
          'is longer than 10 000 characters (the path of the value inside it, such as "/fields/title" or ' +
          '"/fields/items/0/description"), or a key is (the path of the object holding it); when "language" is not ' +
          'one we speak (path "/language").',
      },
      '403': {
        description:
          'The caller does not design flows: only an analyst or an admin (or a token of theirs made for that ' +
          'role) previews templates; sales and readOnly are refused (code "forbidden").',
      },
      '404': { description: 'No such template (code "not-found").' },
    },
  },
} as const satisfies Record<string, Operation>

export type SimulatorOperationId = keyof typeof SIMULATOR_OPERATIONS
