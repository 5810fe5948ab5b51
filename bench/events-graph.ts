/**
 * The workload of bench/events: deals waiting in "Sent"; the client's signature (an event) moves
 * a deal to "Signed" by a trigger, whose rule emails the client: event → trigger → stage move →
 * rule → outbox row.
 */
import type { Graph } from '../shared/graph/graph.js'

export const eventsGraph: Graph = {
  formatVersion: 1,
  flow: { id: 'bench-events', name: 'Events benchmark' },
  elementType: 'deal',
  pipeline: {
    id: 'bench',
    name: 'Bench',
    stages: [
      { id: 'sent', name: 'Sent', color: '#1976d2', kind: 'inProgress', triggers: [], rules: [] },
      {
        id: 'signed',
        name: 'Signed',
        color: '#2e7d32',
        kind: 'success',
        triggers: [
          {
            id: 'client-signed',
            type: 'signedByClient',
            title: 'The client signed',
            changeStageAs: { mode: 'responsible' },
            allowReturn: false,
            settings: { documentType: 'any' },
          },
        ],
        rules: [
          {
            id: 'thank-you',
            type: 'sendEmail',
            title: 'Thank the client',
            execution: 'afterPrevious',
            time: { mode: 'immediately' },
            settings: {
              to: { kind: 'field', path: 'client.email' },
              subject: { kind: 'template', parts: ['Thank you: ', { kind: 'field', path: 'title' }] },
              body: { kind: 'template', parts: ['Dear ', { kind: 'field', path: 'client.name' }, ', thank you.'] },
              format: 'text',
              attachments: [],
            },
          },
        ],
      },
    ],
  },
  constants: [],
  variables: [],
  fields: [],
} as Graph
