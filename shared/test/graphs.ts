/** Small graphs for tests that need one inline (API and browser tests). */

/** A minimal valid graph; `subject` is replaced to break it. */
export function demoGraph(subject: unknown = { kind: 'literal', value: 'Hello' }) {
  return {
    formatVersion: 1,
    flow: { id: 'demo', name: 'Demo' },
    elementType: 'deal',
    pipeline: {
      id: 'sales',
      name: 'Sales',
      stages: [
        {
          id: 'new',
          name: 'New',
          color: '#1976d2',
          kind: 'inProgress',
          triggers: [],
          rules: [
            {
              id: 'mail-1',
              type: 'sendEmail',
              title: 'Welcome mail',
              execution: 'afterPrevious',
              time: { mode: 'immediately' },
              settings: {
                to: { kind: 'field', path: 'client.email' },
                subject,
                body: { kind: 'template', parts: ['Dear ', { kind: 'field', path: 'client.name' }] },
                format: 'text',
                attachments: [],
              },
            },
          ],
        },
        { id: 'won', name: 'Won', color: '#2e7d32', kind: 'success', triggers: [], rules: [] },
      ],
    },
    constants: [],
    variables: [],
    fields: [],
  }
}
