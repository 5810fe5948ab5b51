/** An element's history in words: moves, rule outcomes, what was sent, signing events; inner steps left out. */
import { describe, expect, it } from 'vitest'
import type { Graph } from '../../../shared/graph/graph.js'
import type { Language } from '../../../shared/i18n/languages.js'
import { fixture } from '../../../shared/test/fixtures.js'
import { elementTimeline } from './timeline.js'

const graph = fixture('director-then-client.json') as unknown as Graph
const at = '2026-11-24T09:00:00.000Z'
const later = '2026-11-25T09:00:00.000Z'
const h = (seq: number, type: string, record: Record<string, unknown>) => ({
  seq,
  at,
  type,
  record: { type, ...record } as never,
})

describe('the element timeline', () => {
  it('says what happened in the words of the flow, with people by name', () => {
    const history = [
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
    ]
    const people = new Map([
      ['u-jean', 'Jean Dupont'],
      ['u-director', 'Ayşe Yılmaz'],
    ])
    const expected = [
      [1, 'Created in “New”'],
      [2, 'Moved to “Contract” by Jean Dupont'],
      [5, 'Notified Ayşe Yılmaz: “Please sign”'],
      [6, '“Create the contract” done'],
      [7, '“Ask the director to sign” failed: no such user'],
      [8, 'contract: signed by the company'],
      [9, 'The trigger “Director signed the contract” fired'],
      [11, 'amount changed from 1 to 2 by the rule “Create the contract”'],
    ]
    // In the app's language (English here, as in a browser that speaks it), and in English when asked.
    expect(elementTimeline(history, graph, people).map((l) => [l.seq, l.text])).toEqual(expected)
    const lines = elementTimeline(history, graph, people, 'en')
    expect(lines.map((l) => [l.seq, l.text])).toEqual(expected)
    expect(lines.find((l) => l.seq === 7)?.tone).toBe('problem')
  })

  // A history touching every sentence the timeline builds, its names and values in Polish (data stay as
  // they are; only the sentences around them are translated).
  const stage = (id: string, name: string, rules: string[][], triggers: string[][] = []) => ({
    id,
    name,
    rules: rules.map(([ruleId, title]) => ({ id: ruleId, title })),
    triggers: triggers.map(([triggerId, title]) => ({ id: triggerId, title })),
  })
  const polishGraph = {
    pipeline: {
      stages: [
        stage('nowy', 'Nowy', []),
        stage('umowa', 'Umowa', [['utworz', 'Utwórz umowę']], [['podpisal', 'Klient podpisał']]),
      ],
    },
  } as unknown as Graph
  const everything = [
    h(1, 'element.added', { stage: 'nowy' }),
    h(2, 'element.added', {}),
    h(3, 'stage.entered', { stage: 'umowa', from: 'nowy', by: { kind: 'user', id: 'u-ola' } }),
    h(4, 'stage.entered', { stage: 'umowa', from: 'nowy', by: { kind: 'rule', node: 'utworz' } }),
    h(5, 'stage.entered', { stage: 'umowa', from: 'nowy', by: { kind: 'trigger', node: 'podpisal' } }),
    h(6, 'stage.entered', { stage: 'umowa', from: 'nowy', by: { kind: 'api' } }),
    h(7, 'stage.entered', { stage: 'umowa', from: 'nowy' }),
    h(8, 'rule.finished', { node: 'utworz' }),
    h(9, 'rule.skipped', { node: 'utworz', reason: 'kwota < 5000' }),
    h(10, 'rule.failed', { node: 'utworz', error: 'brak szablonu' }),
    h(11, 'rule.cancelled', { node: 'utworz', reason: 'etap opuszczony' }),
    h(12, 'rule.notRun', { node: 'utworz', reason: 'warunek' }),
    h(13, 'rule.retried', { node: 'utworz', by: { kind: 'user', id: 'u-ola' } }),
    h(14, 'rule.retried', { node: 'utworz' }),
    h(15, 'rule.scheduled', { node: 'utworz', dueAt: later, reason: 'za dzień' }),
    h(16, 'effect.requested', { request: { kind: 'email', to: 'biuro@firma.pl', subject: 'Umowa' } }),
    h(17, 'effect.requested', { request: { kind: 'sms', to: '+48 600 000 000', text: 'Dzień dobry' } }),
    h(18, 'effect.requested', { request: { kind: 'documentLink', channel: 'sms', to: '+48 600 000 000' } }),
    h(19, 'effect.requested', { request: { kind: 'documentLink', channel: 'email', to: 'biuro@firma.pl' } }),
    h(20, 'effect.requested', { request: { kind: 'createDocument', template: 'tpl-umowa' } }),
    h(21, 'effect.requested', {
      request: {
        kind: 'sendForSigning',
        template: 'tpl-umowa',
        companySigner: 'u-ola',
        client: { name: '' },
        channel: 'email',
      },
    }),
    h(22, 'effect.requested', { request: { kind: 'notification', to: ['u-ola', 'u-jan'], text: 'Podpisz' } }),
    h(23, 'effect.requested', { request: { kind: 'task', responsible: 'u-jan', title: 'Zadzwoń' } }),
    h(24, 'effect.requested', { request: { kind: 'somethingNew' } }),
    h(25, 'effect.finished', { node: 'utworz', result: { status: 'failed', error: 'skrzynka pełna' } }),
    ...[
      'signedByCompany',
      'signedByClient',
      'signedByAll',
      'documentViewed',
      'signingRefused',
      'signingExpired',
      'documentCreated',
      'webhook',
      'invoicePaid',
    ].flatMap((type, i) =>
      ['contract', 'invoice', 'commercialOffer', 'act', 'other'].map((documentType, j) =>
        h(100 + 10 * i + j, 'event.received', { event: { type, documentType } }),
      ),
    ),
    h(30, 'event.received', { event: { type: 'invoicePaid' } }),
    h(31, 'event.received', { event: {} }),
    h(32, 'trigger.considered', { node: 'podpisal', fired: true }),
    h(33, 'field.changed', { field: 'kwota', before: null, after: 2, by: { kind: 'api' } }),
    h(34, 'field.changed', { field: 'kwota', before: 1, after: 2 }),
    h(35, 'loop.stopped', {}),
  ]
  const polishPeople = new Map([
    ['u-ola', 'Ola Nowak'],
    ['u-jan', 'Jan Kowalski'],
  ])
  const words = (text: string) => text.toLocaleLowerCase().match(/\p{L}+/gu) ?? []

  it('says every sentence in the other languages, with no English left in them', () => {
    const english = elementTimeline(everything, polishGraph, polishPeople, 'en')
    expect(english).toHaveLength(everything.length) // every record here says something
    // Words that only English sentences bring (the Polish names and values are in both); international
    // words, and words the language spells as English does ("document" in French), are its own.
    const international = ['sms', 'api', 'webhook', 'e', 'mail']
    const cognates: Record<string, string[]> = { pl: ['link'], fr: ['document', 'a'], tr: [], de: ['in', 'an'] }
    const englishWords = new Set(english.flatMap((l) => words(l.text)))
    const dataWords = new Set(words(JSON.stringify([everything, polishGraph, [...polishPeople.values()]])))
    for (const language of ['pl', 'fr', 'tr', 'de'] as Language[]) {
      const shared = new Set([...international, ...(cognates[language] ?? [])])
      const lines = elementTimeline(everything, polishGraph, polishPeople, language)
      expect(lines.map((l) => [l.seq, l.tone])).toEqual(english.map((l) => [l.seq, l.tone]))
      const leftovers = lines.flatMap((l) =>
        words(l.text)
          .filter((w) => englishWords.has(w) && !dataWords.has(w) && !shared.has(w))
          .map((w) => `${w} in “${l.text}”`),
      )
      expect({ language, leftovers }).toEqual({ language, leftovers: [] })
      // And no key left untranslated.
      expect(lines.filter((l) => /\btimeline\./.test(l.text))).toEqual([])
    }
  })

  it('reads naturally in Polish', () => {
    const lines = new Map(elementTimeline(everything, polishGraph, polishPeople, 'pl').map((l) => [l.seq, l.text]))
    expect(lines.get(1)).toBe('Utworzono w etapie „Nowy”')
    expect(lines.get(3)).toBe('Przeniesiono do etapu „Umowa” (Ola Nowak)')
    expect(lines.get(10)).toBe('Reguła „Utwórz umowę” zakończona błędem: brak szablonu')
    expect(lines.get(100)).toBe('umowa: podpisała firma')
    expect(lines.get(22)).toBe('Powiadomienie dla: Ola Nowak, Jan Kowalski – „Podpisz”')
    expect(lines.get(33)).toBe('Pole kwota zmienione z (puste) na 2 (przez API)')
  })
})
