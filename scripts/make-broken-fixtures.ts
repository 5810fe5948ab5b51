/**
 * Writes shared/fixtures/broken/: one graph per semantic check, each a seed fixture with one
 * deliberate mistake, and expected.json naming the finding each must produce. The files are
 * committed; run `npx tsx scripts/make-broken-fixtures.ts` after changing a seed fixture.
 */
import { readFileSync, writeFileSync } from 'node:fs'

// Fixtures are edited as raw JSON on purpose.
type Json = any

const dir = new URL('../shared/fixtures/', import.meta.url)
const load = (name: string): Json => JSON.parse(readFileSync(new URL(`${name}.json`, dir), 'utf8'))

interface Case {
  file: string
  base: string
  severity: 'error' | 'warning'
  code: string
  path: string
  why: string
  mutate: (g: Json) => void
}

const cases: Case[] = [
  {
    file: 'dangling-stage',
    base: 'invoice-signing',
    severity: 'error',
    code: 'dangling-stage',
    path: '/pipeline/stages/1/rules/1/settings/stage',
    why: 'a "change stage" rule targets a stage that is not in the pipeline',
    mutate: (g) => {
      g.pipeline.stages[1].rules.push({
        id: 'archive-it',
        type: 'changeStage',
        title: 'Archive',
        execution: 'afterPrevious',
        time: { mode: 'delay', delay: { amount: 30, unit: 'days' } },
        settings: { stage: 'archive', changeAs: { mode: 'responsible' } },
      })
    },
  },
  {
    file: 'duplicate-id',
    base: 'director-then-client',
    severity: 'error',
    code: 'duplicate-id',
    path: '/pipeline/stages/2/rules/1/id',
    why: 'two rules share an id',
    mutate: (g) => {
      g.pipeline.stages[2].rules[1].id = 'send-to-client'
    },
  },
  {
    file: 'unknown-constant',
    base: 'invoice-signing',
    severity: 'error',
    code: 'unknown-constant',
    path: '/pipeline/stages/1/rules/0/settings/companySigner/id',
    why: 'the company signer is a constant that is not declared',
    mutate: (g) => {
      g.pipeline.stages[1].rules[0].settings.companySigner = { kind: 'constant', id: 'ceo' }
    },
  },
  {
    file: 'unknown-variable',
    base: 'large-deals-only',
    severity: 'error',
    code: 'unknown-variable',
    path: '/pipeline/stages/1/rules/0/settings/fields/0/value/id',
    why: 'a document field reads a variable that is not declared',
    mutate: (g) => {
      g.pipeline.stages[1].rules[0].settings.fields[0].value.id = 'validUntil'
    },
  },
  {
    file: 'unknown-field',
    base: 'requisites-from-field',
    severity: 'error',
    code: 'unknown-field',
    path: '/pipeline/stages/1/rules/0/condition/items/0/left/path',
    why: 'the custom field the flow relies on is not declared',
    mutate: (g) => {
      g.fields = []
    },
  },
  {
    file: 'unknown-output',
    base: 'delivery-courier',
    severity: 'error',
    code: 'unknown-output',
    path: '/pipeline/stages/1/rules/1/settings/text/parts/3/output',
    why: 'an output name with a typo',
    mutate: (g) => {
      g.pipeline.stages[1].rules[1].settings.text.parts[3].output = 'adress'
    },
  },
  {
    file: 'unknown-node',
    base: 'delivery-courier',
    severity: 'error',
    code: 'unknown-node',
    path: '/pipeline/stages/1/rules/1/settings/text/parts/1/node',
    why: 'an output of a rule id that does not exist',
    mutate: (g) => {
      g.pipeline.stages[1].rules[1].settings.text.parts[1].node = 'get-adress'
    },
  },
  {
    file: 'output-parallel',
    base: 'delivery-courier',
    severity: 'error',
    code: 'output-not-before',
    path: '/pipeline/stages/1/rules/1/settings/text/parts/1',
    why: 'the courier notification runs in parallel, so the address may not be read yet',
    mutate: (g) => {
      g.pipeline.stages[1].rules[1].execution = 'parallel'
    },
  },
  {
    file: 'output-later-stage',
    base: 'director-then-client',
    severity: 'error',
    code: 'output-not-before',
    path: '/pipeline/stages/2/rules/0/settings/document',
    why: 'a rule on "Sent" uses an output of a rule on "Contract"',
    mutate: (g) => {
      g.pipeline.stages[2].rules[0].settings.document = {
        kind: 'output',
        node: 'create-contract',
        output: 'documentId',
      }
    },
  },
  {
    file: 'type-mismatch-condition',
    base: 'large-deals-only',
    severity: 'error',
    code: 'type-mismatch',
    path: '/pipeline/stages/1/rules/0/condition/items/0/values/0/value',
    why: 'the amount is compared with a text',
    mutate: (g) => {
      g.pipeline.stages[1].rules[0].condition.items[0].values[0].value = 'five thousand'
    },
  },
  {
    file: 'type-mismatch-setting',
    base: 'large-deals-only',
    severity: 'error',
    code: 'type-mismatch',
    path: '/pipeline/stages/1/rules/4/settings/value',
    why: 'a text field goes into a money variable',
    mutate: (g) => {
      g.pipeline.stages[1].rules.push({
        id: 'remember-amount',
        type: 'setVariable',
        title: 'Remember the amount',
        execution: 'afterPrevious',
        time: { mode: 'immediately' },
        settings: { variable: 'netAmount', value: { kind: 'field', path: 'title' } },
      })
    },
  },
  {
    file: 'date-offset-on-non-date',
    base: 'large-deals-only',
    severity: 'error',
    code: 'date-offset-on-non-date',
    path: '/pipeline/stages/1/rules/2/time/field',
    why: 'a time "1 day before" the amount',
    mutate: (g) => {
      g.pipeline.stages[1].rules[2].time.field = 'amount'
    },
  },
  {
    file: 'node-not-allowed',
    base: 'invoice-signing',
    severity: 'error',
    code: 'node-not-allowed',
    path: '/pipeline/stages/1/rules/0/type',
    why: 'a Paperwork rule in the signing-document pipeline, where Paperwork holds only triggers',
    mutate: (g) => {
      g.elementType = 'signingDocument'
    },
  },
  {
    file: 'setting-empty',
    base: 'invoice-signing',
    severity: 'error',
    code: 'setting-empty',
    path: '/pipeline/stages/1/rules/0/settings/template',
    why: 'no template chosen',
    mutate: (g) => {
      g.pipeline.stages[1].rules[0].settings.template = ''
    },
  },
  {
    file: 'operator-not-applicable',
    base: 'large-deals-only',
    severity: 'error',
    code: 'operator-not-applicable',
    path: '/pipeline/stages/1/rules/0/condition/items/0/op',
    why: '"contains" on an amount',
    mutate: (g) => {
      g.pipeline.stages[1].rules[0].condition.items[0].op = 'contains'
    },
  },
  {
    file: 'formula-invalid',
    base: 'large-deals-only',
    severity: 'error',
    code: 'formula-invalid',
    path: '/pipeline/stages/1/rules/3/settings/formula',
    why: 'a formula with a misspelt field',
    mutate: (g) => {
      g.pipeline.stages[1].rules[3].settings.formula = 'element.amout / (1.0 + constants.vatRate)'
    },
  },
  {
    file: 'field-read-only',
    base: 'requisites-from-field',
    severity: 'error',
    code: 'field-read-only',
    path: '/pipeline/stages/1/rules/2/settings/values/0/field',
    why: "a rule writes my company's tax ID",
    mutate: (g) => {
      g.pipeline.stages[1].rules.push({
        id: 'overwrite-mine',
        type: 'modifyFields',
        title: 'Overwrite my tax ID',
        execution: 'afterPrevious',
        time: { mode: 'immediately' },
        settings: {
          values: [{ field: 'myCompany.taxId', value: { kind: 'literal', value: '123' }, mode: 'set' }],
        },
      })
    },
  },
  {
    file: 'unknown-node-type',
    base: 'invoice-signing',
    severity: 'error',
    code: 'unknown-node-type',
    path: '/pipeline/stages/1/rules/0/type',
    why: 'a rule type the catalog does not have',
    mutate: (g) => {
      g.pipeline.stages[1].rules[0].type = 'sendFax'
    },
  },
  {
    file: 'format-version-unsupported',
    base: 'invoice-signing',
    severity: 'error',
    code: 'format-version-unsupported',
    path: '/formatVersion',
    why: 'a graph from a future Signflow',
    mutate: (g) => {
      g.formatVersion = 2
    },
  },
  {
    file: 'stage-unreachable',
    base: 'invoice-signing',
    severity: 'warning',
    code: 'stage-unreachable',
    path: '/pipeline/stages/4',
    why: 'an in-progress stage after the final ones, with nothing leading there',
    mutate: (g) => {
      g.pipeline.stages.push({
        id: 'archive',
        name: 'Archive',
        color: '#757575',
        kind: 'inProgress',
        triggers: [],
        rules: [],
      })
    },
  },
  {
    file: 'triggers-compete',
    base: 'director-then-client',
    severity: 'warning',
    code: 'triggers-compete',
    path: '/pipeline/stages/3/triggers/0',
    why: 'two "signed by the client" triggers on different stages',
    mutate: (g) => {
      g.pipeline.stages[2].triggers.push({
        id: 'client-signed-early',
        type: 'signedByClient',
        title: 'Client signed something',
        changeStageAs: { mode: 'responsible' },
        allowReturn: false,
        settings: { documentType: 'any' },
      })
    },
  },
  {
    file: 'possible-loop',
    base: 'director-then-client',
    severity: 'warning',
    code: 'possible-loop',
    path: '/pipeline/stages/1',
    why: '"Sent" sends the deal back to "Contract", whose new document moves it to "Sent" again',
    mutate: (g) => {
      g.pipeline.stages[2].triggers.push({
        id: 'document-created',
        type: 'documentCreated',
        title: 'Any document created',
        changeStageAs: { mode: 'responsible' },
        allowReturn: false,
        settings: { documentType: 'any' },
      })
      g.pipeline.stages[2].rules.push({
        id: 'back-to-contract',
        type: 'changeStage',
        title: 'Back to contract',
        execution: 'afterPrevious',
        time: { mode: 'immediately' },
        settings: { stage: 'contract', changeAs: { mode: 'responsible' } },
      })
    },
  },
]

const expected = cases.map(({ file, base, severity, code, path, why, mutate }) => {
  const graph = load(base)
  graph.flow.id = `broken-${file}`
  graph.flow.description = `Broken on purpose (${code}): ${why}.`
  mutate(graph)
  writeFileSync(new URL(`broken/${file}.json`, dir), `${JSON.stringify(graph, null, 2)}\n`)
  return { file: `${file}.json`, base: `${base}.json`, severity, code, path, why }
})
writeFileSync(new URL('broken/expected.json', dir), `${JSON.stringify(expected, null, 2)}\n`)
console.log(`wrote ${expected.length} broken fixtures`)
