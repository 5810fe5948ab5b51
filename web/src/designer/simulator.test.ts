/**
 * A dry run writes nothing: copying a real element as the sample and playing every kind of step asks the
 * server only with GET (and the run itself asks nothing at all).
 */
import { afterEach, describe, expect, it, vi } from 'vitest'
import type { Graph } from '../../../shared/graph/graph.js'
import { runSession, type Session } from '../../../shared/simulator/session.js'
import { fixture } from '../../../shared/test/fixtures.js'
import { typedValue } from './Simulator.js'
import { sampleFromElement } from './simulator-api.js'

afterEach(() => {
  vi.unstubAllGlobals()
})

describe('the simulator and the network', () => {
  it('copies a real element and plays a whole session with GET requests only', async () => {
    const calls: Array<{ method: string; url: string }> = []
    vi.stubGlobal('fetch', async (url: string, init: RequestInit = {}) => {
      calls.push({ method: init.method ?? 'GET', url })
      const body = url.includes('/api/contacts/')
        ? { name: 'İğdır Şirketi', email: 'info@igdir.com.tr', phone: '+90 555 000 00 00' }
        : {
            id: 'deal-7',
            stage: 'new',
            fields: { title: 'Annual service contract', amount: 12000 },
            responsible: 'u-anna',
            contactId: 'p-1',
          }
      return new Response(JSON.stringify(body), { status: 200, headers: { 'content-type': 'application/json' } })
    })
    const sample = await sampleFromElement('deal-7')
    expect(sample.fields).toMatchObject({ 'client.name': 'İğdır Şirketi', amount: 12000, responsible: 'u-anna' })

    const graph = fixture('director-then-client.json') as unknown as Graph
    const session: Session = {
      start: '2026-11-23T08:00:00Z',
      elements: [{ ...sample, id: 'sample' }],
      steps: [
        { move: { element: 'sample', to: 'contract' } },
        { event: { element: 'sample', type: 'signedByCompany', documentType: 'contract' } },
        { set: { element: 'sample', field: 'amount', value: 9000 } },
        { advance: { by: '1d' } },
        { advance: 'next' },
        { event: { element: 'sample', type: 'signedByClient', documentType: 'contract' } },
        { advance: 'end' },
      ],
    }
    for (let upTo = 0; upTo <= session.steps.length; upTo++) runSession(graph, session, upTo)
    expect(runSession(graph, session).simulation.engine.snapshot('sample').stage).toBe('signed')
    expect(calls.map((c) => c.method)).toEqual(['GET', 'GET'])
    expect(calls.map((c) => c.url)).toEqual(['/api/elements/deal-7', '/api/contacts/p-1'])
  })
})

describe('a sample field typed by hand', () => {
  it('reads decimals with a dot or a comma, yes/no, and keeps what is not a number as text', () => {
    expect(typedValue('money', '1250,50')).toBe(1250.5)
    expect(typedValue('number', ' 12 000 ')).toBe(12000)
    expect(typedValue('number', '-3.25')).toBe(-3.25)
    expect(typedValue('money', '12k')).toBe('12k')
    expect(typedValue('boolean', 'yes')).toBe(true)
    expect(typedValue('boolean', 'no')).toBe(false)
    expect(typedValue('text', '0042')).toBe('0042')
    expect(typedValue('number', '')).toBeNull()
  })
})
