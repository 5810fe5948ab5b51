/** An element's history in words: moves, rule outcomes, what was sent, signing events; inner steps left out. */
import { describe, expect, it } from 'vitest'
import type { Graph } from '../../../shared/graph/graph.js'
import { fixture } from '../../../shared/test/fixtures.js'
import { elementTimeline } from './timeline.js'

const graph = fixture('director-then-client.json') as unknown as Graph
const at = '2026-11-24T09:00:00.000Z'
const h = (seq: number, type: string, record: Record<string, unknown>) => ({
  seq,
  at,
  type,
  record: { type, ...record } as never,
})

describe('the element timeline', () => {
  it('says what happened in the words of the flow, with people by name', () => {
    const lines = elementTimeline(
      [
        h(1, 'element.added', { stage: 'new' }),
        h(2, 'stage.entered', { stage: 'contract', from: 'new', by: { kind: 'user', id: 'u-jean' } }),
        h(3, 'condition.evaluated', { node: 'create-contract', result: true, rows: [] }),
        h(4, 'rule.scheduled', { stage: 'contract', node: 'create-contract', dueAt: at, reason: 'immediately' }),
        h(5, 'effect.requested', {
          node: 'ask-director',
          effect: 'e1',
          request: { kind: 'notification', to: ['u-director'], text: 'Please sign' },
        }),
        h(6, 'rule.finished', { stage: 'contract', node: 'create-contract', outputs: {} }),
        h(7, 'rule.failed', { stage: 'contract', node: 'ask-director', error: 'no such user' }),
        h(8, 'event.received', { event: { type: 'signedByCompany', documentType: 'contract' } }),
        h(9, 'trigger.considered', { node: 'director-signed', stage: 'sent', fired: true, reason: 'x' }),
        h(10, 'trigger.considered', { node: 'client-signed', stage: 'signed', fired: false, reason: 'x' }),
        h(11, 'field.changed', { field: 'amount', before: 1, after: 2, by: { kind: 'rule', node: 'create-contract' } }),
      ],
      graph,
      new Map([
        ['u-jean', 'Jean Dupont'],
        ['u-director', 'Ayşe Yılmaz'],
      ]),
    )
    expect(lines.map((l) => [l.seq, l.text])).toEqual([
      [1, 'Created in “New”'],
      [2, 'Moved to “Contract” by Jean Dupont'],
      [5, 'Notified Ayşe Yılmaz: “Please sign”'],
      [6, '“Create the contract” done'],
      [7, '“Ask the director to sign” failed: no such user'],
      [8, 'contract: signed by the company'],
      [9, 'The trigger “Director signed the contract” fired'],
      [11, 'amount changed from 1 to 2 by the rule “Create the contract”'],
    ])
    expect(lines.find((l) => l.seq === 7)?.tone).toBe('problem')
  })
})
