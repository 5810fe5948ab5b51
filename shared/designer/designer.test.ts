/**
 * The designer's editing commands and its history, without a browser: what an analyst does to a draft,
 * and that undo and redo give back exactly the graphs they had.
 */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import type { Graph } from '../graph/graph.js'
import { fixture } from '../test/fixtures.js'
import { schemaFindings } from '../validate/schema-pass.js'
import { validate } from '../validate/validate.js'
import {
  addNodes,
  addStage,
  changeStage,
  copyNodes,
  deleteStage,
  duplicateNodes,
  findNode,
  idsInUse,
  mintId,
  moveNode,
  moveStage,
  pasteNodes,
  readClipboard,
  removeNodes,
  setNodeValue,
} from './commands.js'
import { createDesignerStore, HISTORY_LIMIT } from './store.js'

const invoice = () => fixture('invoice-signing.json') as unknown as Graph
const stageIds = (g: Graph) => g.pipeline.stages.map((s) => s.id)
const ruleIds = (g: Graph, stage: string) => g.pipeline.stages.find((s) => s.id === stage)?.rules.map((r) => r.id)

describe('designer commands', () => {
  it('mints ids that are valid and new, from names in any language', () => {
    const taken = new Set(['sendEmail'])
    expect(mintId('sendEmail', taken)).toBe('sendEmail-2')
    expect(mintId('Négociation à Iğdır', taken)).toBe('Negociation-a-Igdir')
    expect(mintId('42 !!', taken)).toBe('node')
    for (const id of taken) expect(id).toMatch(/^[A-Za-z][A-Za-z0-9_-]{0,63}$/)
  })

  it('adds, renames, recolours, reorders and deletes stages, moving their nodes if asked', () => {
    const g = invoice()
    const id = addStage(g, { name: 'Sent' }, 2)
    expect(stageIds(g)).toEqual(['new', 'invoice', 'Sent', 'signed', 'lost'])
    changeStage(g, id, { name: 'Sent to the client', color: '#ef6c00' })
    moveStage(g, id, 0)
    expect(stageIds(g)[0]).toBe('Sent')
    deleteStage(g, 'invoice', { moveTo: 'Sent' })
    expect(ruleIds(g, 'Sent')).toEqual(['send-invoice'])
    deleteStage(g, 'Sent', 'delete')
    expect(stageIds(g)).toEqual(['new', 'signed', 'lost'])
    expect(findNode(g, 'send-invoice')).toBeUndefined()
  })

  it("adds several catalog items at once with the catalog's defaults: triggers on top, rules in place", () => {
    const g = invoice()
    const made = addNodes(g, 'invoice', ['sendEmail', 'signedByClient', 'createTask'], 0)
    const stage = g.pipeline.stages[1]
    expect(stage?.triggers.map((t) => t.type)).toEqual(['signedByClient'])
    expect(stage?.rules.map((r) => r.type)).toEqual(['sendEmail', 'createTask', 'sendDocumentForSigning'])
    expect(new Set(made).size).toBe(3)
    for (const id of made) expect(idsInUse(g).has(id)).toBe(true)
    // What the catalog gives is a well-formed graph (empty settings are the analyst's to fill, said by findings).
    expect(schemaFindings(g)).toEqual([])
    const email = findNode(g, made[0] as string)?.node
    expect(email).toMatchObject({
      title: 'Send email to client',
      execution: 'afterPrevious',
      time: { mode: 'immediately' },
    })
  })

  it('moves a rule within and across stages, sets a value by its path, removes nodes', () => {
    const g = invoice()
    const [a, b] = addNodes(g, 'new', ['sendEmail', 'sendSms'])
    moveNode(g, b as string, 'new', 0)
    expect(ruleIds(g, 'new')).toEqual([b, a])
    moveNode(g, a as string, 'invoice', 0)
    expect(ruleIds(g, 'invoice')).toEqual([a, 'send-invoice'])
    setNodeValue(g, a as string, ['settings', 'subject'], { kind: 'literal', value: 'Zażółć' })
    setNodeValue(g, a as string, ['time'], { mode: 'delay', delay: { amount: 1, unit: 'days' } })
    expect(findNode(g, a as string)?.node).toMatchObject({
      settings: { subject: { value: 'Zażółć' } },
      time: { mode: 'delay' },
    })
    expect(() => setNodeValue(g, a as string, ['id'], 'other')).toThrow(/keeps its id/)
    removeNodes(g, [a as string, b as string])
    expect(findNode(g, a as string)).toBeUndefined()
    expect(ruleIds(g, 'new')).toEqual([])
  })

  it('copies and pastes with new ids, references inside the copy following it; other text pastes nothing', () => {
    const g = fixture('large-deals-only.json') as unknown as Graph
    const offer = g.pipeline.stages.find((s) => s.id === 'offer')
    expect(offer?.rules.map((r) => r.id).slice(0, 2)).toEqual(['create-offer', 'mail-offer'])
    const mail = offer?.rules[1] as unknown as { settings: { attachments: unknown[] } }
    mail.settings.attachments = [{ kind: 'output', node: 'create-offer', output: 'pdf' }]
    const text = copyNodes(g, ['create-offer', 'mail-offer'])
    const nodes = readClipboard(text)
    expect(nodes?.map((n) => n.id)).toEqual(['create-offer', 'mail-offer'])
    const pasted = pasteNodes(g, 'new', nodes ?? [])
    expect(pasted).toEqual(['createDocument', 'sendEmail'])
    const copy = findNode(g, 'sendEmail')?.node as unknown as { settings: { attachments: Array<{ node: string }> } }
    expect(copy.settings.attachments[0]?.node).toBe('createDocument')
    // The original still points at the original.
    expect(mail.settings.attachments).toEqual([{ kind: 'output', node: 'create-offer', output: 'pdf' }])
    expect(validate(g).findings.filter((f) => f.severity === 'error' && f.code.startsWith('duplicate'))).toEqual([])
    for (const foreign of [
      'hello',
      '{"kind":"other"}',
      '{',
      JSON.stringify({ kind: 'signflow-nodes', nodes: [{ id: 'x', type: 'nope' }] }),
    ]) {
      expect(readClipboard(foreign) ?? []).toEqual([])
    }
    const dup = duplicateNodes(g, ['mail-offer'])
    expect(ruleIds(g, 'offer')?.indexOf(dup[0] as string)).toBe((ruleIds(g, 'offer')?.indexOf('mail-offer') ?? 0) + 1)
  })
})

describe('the designer history', () => {
  it('undoes and redoes each edit exactly; selection never enters the history', () => {
    const store = createDesignerStore(invoice())
    const start = store.getState().graph
    const ids = store.getState().edit('Add 2 rules', (g) => addNodes(g, 'invoice', ['sendEmail', 'sendSms']))
    store.getState().select(ids)
    const afterAdd = store.getState().graph
    expect(start).not.toBe(afterAdd)
    expect(ruleIds(start, 'invoice')).toEqual(['send-invoice'])
    store.getState().edit('Rename', (g) => changeStage(g, 'invoice', { name: 'Faktura' }))
    expect(store.getState().past.map((s) => s.label)).toEqual(['Add 2 rules', 'Rename'])
    store.getState().undo()
    expect(store.getState().graph).toEqual(afterAdd)
    store.getState().undo()
    expect(store.getState().graph).toEqual(start)
    expect(store.getState().selection).toEqual(ids)
    store.getState().redo()
    store.getState().redo()
    expect(store.getState().graph.pipeline.stages[1]?.name).toBe('Faktura')
    // A new edit after an undo drops what could have been redone.
    store.getState().undo()
    store.getState().edit('Recolour', (g) => changeStage(g, 'invoice', { color: '#000000' }))
    expect(store.getState().future).toEqual([])
    // An edit that changes nothing is no step.
    store.getState().edit('Nothing', () => {})
    expect(store.getState().past.at(-1)?.label).toBe('Recolour')
  })

  it('makes the keystrokes of one field one step, and another field another', () => {
    const store = createDesignerStore(invoice())
    const start = store.getState().graph
    for (const title of ['S', 'Se', 'Sen', 'Send']) {
      store.getState().edit('Title', (g) => setNodeValue(g, 'send-invoice', ['title'], title), 'send-invoice/title')
    }
    store
      .getState()
      .edit('Order', (g) => setNodeValue(g, 'send-invoice', ['execution'], 'parallel'), 'send-invoice/execution')
    expect(store.getState().past.map((s) => s.label)).toEqual(['Title', 'Order'])
    store.getState().undo()
    expect(findNode(store.getState().graph, 'send-invoice')?.node.title).toBe('Send')
    store.getState().undo()
    expect(store.getState().graph).toEqual(start)
  })

  it('makes a whole drag one step, however many moves it made', () => {
    const store = createDesignerStore(invoice())
    const start = store.getState().graph
    const [a] = store.getState().edit('Add', (g) => addNodes(g, 'new', ['sendEmail']))
    const before = store.getState().graph
    store.getState().begin('Move "Send email to client"')
    for (const [stage, index] of [
      ['invoice', 0],
      ['signed', 0],
      ['invoice', 1],
    ] as const) {
      store.getState().edit('drag frame', (g) => moveNode(g, a as string, stage, index))
    }
    store.getState().end()
    expect(store.getState().past.map((s) => s.label)).toEqual(['Add', 'Move "Send email to client"'])
    expect(ruleIds(store.getState().graph, 'invoice')).toEqual(['send-invoice', a])
    store.getState().undo()
    expect(store.getState().graph).toEqual(before)
    store.getState().undo()
    expect(store.getState().graph).toEqual(start)
  })

  it(`keeps the last ${HISTORY_LIMIT} steps; loading a draft starts the history again`, () => {
    const store = createDesignerStore(invoice())
    for (let i = 0; i < HISTORY_LIMIT + 5; i++)
      store.getState().edit(`Rename ${i}`, (g) => changeStage(g, 'new', { name: `New ${i}` }))
    expect(store.getState().past).toHaveLength(HISTORY_LIMIT)
    expect(store.getState().dirty).toBe(true)
    store.getState().load(invoice())
    expect(store.getState()).toMatchObject({ past: [], future: [], dirty: false, selection: [] })
  })

  it('gives back every graph on the way when undoing and redoing any sequence of edits', () => {
    const types = ['sendEmail', 'sendSms', 'createTask', 'signedByClient', 'changeStage', 'setVariable'] as const
    const op = fc.oneof(
      fc.record({ kind: fc.constant('add' as const), type: fc.constantFrom(...types), stage: fc.nat(3) }),
      fc.record({ kind: fc.constant('stage' as const), name: fc.string({ minLength: 1, maxLength: 12 }) }),
      fc.record({ kind: fc.constant('move' as const), pick: fc.nat(20), stage: fc.nat(3), index: fc.nat(5) }),
      fc.record({ kind: fc.constant('remove' as const), pick: fc.nat(20) }),
      fc.record({ kind: fc.constant('dup' as const), pick: fc.nat(20) }),
    )
    fc.assert(
      fc.property(fc.array(op, { maxLength: 25 }), (ops) => {
        const store = createDesignerStore(invoice())
        const seen: Graph[] = [store.getState().graph]
        for (const o of ops) {
          store.getState().edit(o.kind, (g) => {
            const stages = g.pipeline.stages
            const nodes = stages.flatMap((s) => [...s.triggers, ...s.rules].map((n) => n.id))
            const picked = nodes[('pick' in o ? o.pick : 0) % Math.max(1, nodes.length)]
            if (o.kind === 'add') addNodes(g, stages[o.stage % stages.length]?.id as string, [o.type])
            else if (o.kind === 'stage') addStage(g, { name: o.name })
            else if (picked && o.kind === 'move')
              moveNode(g, picked, stages[o.stage % stages.length]?.id as string, o.index)
            else if (picked && o.kind === 'remove') removeNodes(g, [picked])
            else if (picked && o.kind === 'dup') duplicateNodes(g, [picked])
          })
          if (store.getState().graph !== seen.at(-1)) seen.push(store.getState().graph)
        }
        for (let i = seen.length - 2; i >= 0; i--) {
          store.getState().undo()
          expect(store.getState().graph).toEqual(seen[i])
        }
        for (let i = 1; i < seen.length; i++) {
          store.getState().redo()
          expect(store.getState().graph).toEqual(seen[i])
        }
        // Every graph the edits made keeps its ids unique.
        const ids = [...idsInUse(store.getState().graph)]
        const all = store
          .getState()
          .graph.pipeline.stages.flatMap((s) => [s.id, ...s.triggers.map((t) => t.id), ...s.rules.map((r) => r.id)])
        expect(all.length).toBe(ids.length)
      }),
      { numRuns: 150, seed: 20261123 },
    )
  })
})
