/**
 * Test data for the runtime suites: a small sales flow (New → Offer: an email now and a reminder
 * 2 minutes later → Won when the client signs) and deals to run it on.
 */
import type { Kysely } from 'kysely'
import type { Graph, RuleNode } from '../../shared/graph/graph.js'
import type { Database } from '../db/schema.js'

export const START = Date.parse('2026-11-23T09:00:00Z')

export function email(id: string, subject: string, over: Partial<RuleNode> = {}): RuleNode {
  return {
    id,
    type: 'sendEmail',
    title: id,
    execution: 'afterPrevious',
    time: { mode: 'immediately' },
    settings: {
      to: { kind: 'field', path: 'client.email' },
      subject: { kind: 'template', parts: [subject, { kind: 'field', path: 'title' }] },
      body: { kind: 'template', parts: ['Dear ', { kind: 'field', path: 'client.name' }, '.'] },
      format: 'text',
      attachments: [],
    },
    ...over,
  } as RuleNode
}

/** New → Offer (an email now, a reminder 2 minutes later) → Won (when the client signs). */
export const graph: Graph = {
  formatVersion: 1,
  flow: { id: 'sales-flow', name: 'Sales' },
  elementType: 'deal',
  pipeline: {
    id: 'sales',
    name: 'Sales',
    stages: [
      { id: 'new', name: 'New', color: '#1976d2', kind: 'inProgress', triggers: [], rules: [] },
      {
        id: 'offer',
        name: 'Offer',
        color: '#1976d2',
        kind: 'inProgress',
        triggers: [],
        rules: [
          email('offer-mail', 'Our offer: '),
          email('reminder', 'Reminder: ', {
            execution: 'parallel',
            time: { mode: 'delay', delay: { amount: 2, unit: 'minutes' } },
          } as Partial<RuleNode>),
        ],
      },
      {
        id: 'won',
        name: 'Won',
        color: '#2e7d32',
        kind: 'success',
        triggers: [
          {
            id: 'signed',
            type: 'signedByClient',
            title: 'Client signed',
            changeStageAs: { mode: 'responsible' },
            allowReturn: false,
            settings: { documentType: 'any' },
          },
        ],
        rules: [],
      },
    ],
  },
  constants: [],
  variables: [],
  fields: [],
} as Graph

export async function seed(db: Kysely<Database>, elements = 1, start = START) {
  const at = new Date(start).toISOString()
  await db
    .insertInto('pipelines')
    .values({ id: 'sales', name: 'Sales', element_type: 'deal', stages: '[]', created_at: at })
    .execute()
  await db
    .insertInto('flows')
    .values({
      id: 'sales-flow',
      pipeline_id: 'sales',
      name: 'Sales',
      draft: JSON.stringify(graph),
      updated_at: at,
      created_at: at,
    })
    .execute()
  for (let i = 1; i <= elements; i++) {
    await db
      .insertInto('elements')
      .values({
        id: `deal-${i}`,
        pipeline_id: 'sales',
        type: 'deal',
        title: `Deal ${i}`,
        stage: 'new',
        fields: JSON.stringify({
          title: `Big deal ${i}`,
          'client.email': `buyer${i}@client.test`,
          'client.name': 'Łucja Żak',
        }),
        responsible: null,
        contact_id: null,
        company_id: null,
        flow_version_id: null,
        state: null,
        created_at: at,
        updated_at: at,
      })
      .execute()
  }
}
