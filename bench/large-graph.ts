/**
 * A large, realistic rule graph for benchmarks: `stages` stages of `nodesPerStage` nodes each
 * (two triggers, the rest rules that read fields, constants and earlier outputs).
 */
import type { Graph, RuleNode, Stage, TriggerNode } from '../shared/index.js'

const DOC_TYPES = ['invoice', 'contract', 'commercialOffer', 'act', 'other'] as const

export function largeGraph(stages = 40, nodesPerStage = 15): Graph {
  const list: Stage[] = []
  for (let s = 0; s < stages; s++) {
    const p = `s${s}`
    const triggers: TriggerNode[] = [
      {
        id: `${p}-signed`,
        type: 'signedByClient',
        title: `Client signed (${s})`,
        changeStageAs: { mode: 'responsible' },
        allowReturn: false,
        condition: {
          match: 'all',
          items: [
            { left: { kind: 'field', path: 'stage' }, op: 'eq', values: [{ kind: 'literal', value: `s${s - 1}` }] },
          ],
        },
        settings: { documentType: DOC_TYPES[s % DOC_TYPES.length] ?? 'any' },
      },
      {
        id: `${p}-hook`,
        type: 'fieldChanged',
        title: `Status field (${s})`,
        changeStageAs: { mode: 'responsible' },
        allowReturn: false,
        settings: { fields: ['custom.status'], to: { kind: 'literal', value: `go-${s}` } },
      },
    ]
    const rules: RuleNode[] = []
    const bigOrKnown = {
      match: 'any' as const,
      items: [
        {
          left: { kind: 'field' as const, path: 'amount' },
          op: 'gt' as const,
          values: [{ kind: 'constant' as const, id: 'threshold' }],
        },
        { left: { kind: 'field' as const, path: 'client.requisites.taxId' }, op: 'notEmpty' as const, values: [] },
      ],
    }
    for (let r = 0; rules.length < nodesPerStage - triggers.length; r++) {
      const id = `${p}-r${r}`
      switch (r % 4) {
        case 0:
          rules.push({
            id,
            type: 'createDocument',
            title: 'Create document',
            execution: 'afterPrevious',
            time: { mode: 'immediately' },
            condition: bigOrKnown,
            settings: {
              template: 'tpl-contract',
              waitForPdf: true,
              withSignatureAndStamp: true,
              publicLink: true,
              fields: [{ name: 'Signatory', value: { kind: 'constant', id: 'director' } }],
            },
          })
          break
        case 1:
          rules.push({
            id,
            type: 'sendEmail',
            title: 'Mail the document',
            execution: 'afterPrevious',
            condition: bigOrKnown,
            time: { mode: 'delay', delay: { amount: 2, unit: 'hours' }, workingHours: 'company' },
            settings: {
              to: { kind: 'field', path: 'client.email' },
              subject: {
                kind: 'template',
                parts: ['Document ', { kind: 'output', node: `${p}-r${r - 1}`, output: 'documentNumber' }],
              },
              body: { kind: 'template', parts: ['Dear ', { kind: 'field', path: 'client.name' }, ', please sign.'] },
              format: 'text',
              attachments: [{ kind: 'output', node: `${p}-r${r - 1}`, output: 'pdf' }],
            },
          })
          break
        case 2:
          rules.push({
            id,
            type: 'getRequisites',
            title: 'Read the address',
            execution: 'parallel',
            time: { mode: 'relative', field: 'closeDate', offset: { amount: -1, unit: 'days' }, at: '09:00' },
            settings: { entity: 'company', requisiteTemplate: 'organization', addressType: 'actual' },
          })
          break
        default:
          rules.push({
            id,
            type: 'calculate',
            title: 'Gross amount',
            execution: 'afterPrevious',
            time: { mode: 'immediately' },
            settings: { formula: 'element.amount * (1.0 + constants.vat)', resultType: 'money', variable: 'gross' },
          })
      }
    }
    list.push({
      id: p,
      name: `Stage ${s}`,
      color: '#1976d2',
      kind: s === stages - 1 ? 'success' : 'inProgress',
      triggers,
      rules,
    })
  }
  return {
    formatVersion: 1,
    flow: { id: 'large', name: 'Large flow' },
    elementType: 'deal',
    pipeline: { id: 'sales', name: 'Sales', stages: list },
    constants: [
      { id: 'director', name: 'Director', type: 'text', value: 'Anna Kowalska' },
      { id: 'threshold', name: 'Threshold', type: 'money', value: 5000 },
      { id: 'vat', name: 'VAT', type: 'number', value: 0.23 },
    ],
    variables: [{ id: 'gross', name: 'Gross', type: 'money', default: 0 }],
    fields: [{ id: 'status', label: 'Status', type: 'text' }],
  }
}
