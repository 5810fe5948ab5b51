import type { Kysely } from 'kysely'
import { beforeEach, expect, it } from 'vitest'
import type { Graph, RuleNode } from '../../shared/graph/graph.js'
import type { Database } from '../db/schema.js'
import { describeEachDatabase } from '../db/test-support.js'
import { Runtime } from './runtime.js'
import { email, graph, START, seed } from './test-fixtures.js'

const at = new Date(START).toISOString()

/** Offer: an email naming the client's tax id and our bank, then the client's requisites change. */
function linkedGraph(): Graph {
  const g = structuredClone(graph)
  const offer = g.pipeline.stages[1] as Graph['pipeline']['stages'][number]
  const mail = email('offer-mail', 'Offer for ') as RuleNode & { settings: Record<string, unknown> }
  mail.settings.subject = {
    kind: 'template',
    parts: [
      'Offer for ',
      { kind: 'field', path: 'client.requisites.name' },
      ' (',
      { kind: 'field', path: 'client.requisites.taxId' },
      ') from ',
      { kind: 'field', path: 'myCompany.name' },
      ', IBAN ',
      { kind: 'field', path: 'myCompany.bankAccount' },
      ', to ',
      { kind: 'field', path: 'client.requisites.address.legal.full' },
    ],
  }
  offer.rules = [
    mail,
    {
      id: 'new-requisites',
      type: 'changeRequisites',
      title: 'New tax id and actual city',
      // In parallel: the email before it waits for its delivery.
      execution: 'parallel',
      time: { mode: 'immediately' },
      settings: {
        entity: 'company',
        requisiteTemplate: 'organization',
        addressType: 'actual',
        values: [
          { field: 'taxId', value: { kind: 'literal', value: 'FR-NEW-2' } },
          { field: 'address.city', value: { kind: 'literal', value: 'Lyon' } },
        ],
      },
    } as RuleNode,
  ]
  return g
}

describeEachDatabase('elements linked to the directory', (getDb) => {
  let db: Kysely<Database>
  let runtime: Runtime

  beforeEach(async () => {
    db = getDb()
    for (const table of [
      'audit_log',
      'history',
      'outbox',
      'due_jobs',
      'elements',
      'contacts',
      'companies',
      'my_companies',
      'flow_versions',
      'flows',
      'pipelines',
    ] as const) {
      await db.deleteFrom(table).execute()
    }
    await seed(db, 2)
    await db
      .insertInto('my_companies')
      .values({
        id: 'ours',
        name: 'Signflow Demo Sp. z o.o.',
        data: JSON.stringify({ requisites: { taxId: 'PL5250001009' }, bankDetails: { bankAccount: 'PL61 1090' } }),
        created_at: at,
        updated_at: at,
      })
      .execute()
    await db
      .insertInto('companies')
      .values({
        id: 'sg',
        name: 'Société Générale',
        template: 'organization',
        data: JSON.stringify({
          requisites: { name: 'Société Générale SA', taxId: 'FR-OLD-1' },
          addresses: {
            legal: { street: '29 bd Haussmann', postalCode: '75009', city: 'Paris', country: 'France' },
            actual: { street: '17 cours Valmy', city: 'Puteaux' },
          },
        }),
        search_text: 'societe generale fr-old-1',
        created_at: at,
        updated_at: at,
      })
      .execute()
    await db
      .insertInto('contacts')
      .values({
        id: 'claire',
        name: 'Claire Martin',
        email: 'claire@sg.test',
        phone: '',
        company_id: 'sg',
        data: '{}',
        search_text: 'claire martin',
        created_at: at,
        updated_at: at,
      })
      .execute()
    // deal-1 has no client fields of its own: it is linked to Claire (and through her to her company).
    await db
      .updateTable('elements')
      .set({ fields: JSON.stringify({ title: 'Big deal 1' }), contact_id: 'claire' })
      .where('id', '=', 'deal-1')
      .execute()
    await db.updateTable('elements').set({ company_id: 'sg' }).where('id', '=', 'deal-2').execute()
    runtime = new Runtime({ db, now: () => START })
    await runtime.publish('sales-flow', linkedGraph(), 'u-anna')
  })

  it("shows the contact's and company's details and my company to the rules, and stores none of them", async () => {
    await runtime.moveElement('deal-1', 'offer', { kind: 'api' })
    const mail = await db
      .selectFrom('outbox')
      .select('request')
      .where('element_id', '=', 'deal-1')
      .executeTakeFirstOrThrow()
    const request = JSON.parse(mail.request) as { to: string; subject: string }
    expect(request.to).toBe('claire@sg.test')
    expect(request.subject).toBe(
      'Offer for Société Générale SA (FR-OLD-1) from Signflow Demo Sp. z o.o., IBAN PL61 1090, to 29 bd Haussmann, 75009 Paris, France',
    )
    const row = await db.selectFrom('elements').selectAll().where('id', '=', 'deal-1').executeTakeFirstOrThrow()
    expect(Object.keys(JSON.parse(row.fields)).filter((k) => /^(client|myCompany)\./.test(k))).toEqual([])
    expect(JSON.stringify(JSON.parse(row.state ?? '{}').fields)).not.toContain('Société')
  })

  it("writes the requisites a rule changed to the company, audited as that rule's, for every element to see", async () => {
    await runtime.moveElement('deal-1', 'offer', { kind: 'api' })
    const company = await db.selectFrom('companies').selectAll().where('id', '=', 'sg').executeTakeFirstOrThrow()
    const data = JSON.parse(company.data)
    expect(data.requisites).toEqual({ name: 'Société Générale SA', taxId: 'FR-NEW-2' })
    expect(data.addresses.actual).toEqual({ street: '17 cours Valmy', city: 'Lyon' })
    expect(data.addresses.legal.city).toBe('Paris')
    expect(company.search_text).toContain('fr-new-2')
    const audit = await db.selectFrom('audit_log').selectAll().where('target', '=', 'company:sg').execute()
    expect(audit.map((r) => [r.actor, r.action, JSON.parse(r.detail)])).toEqual([
      [
        'engine:new-requisites',
        'company.updated',
        { element: 'deal-1', rules: ['new-requisites'], requisites: ['taxId', 'address.actual.city'] },
      ],
    ])
    // The history shows the change on the element; its own fields stay free of it.
    const history = await db.selectFrom('history').selectAll().where('element_id', '=', 'deal-1').execute()
    expect(history.map((h) => JSON.parse(h.record))).toContainEqual(
      expect.objectContaining({ field: 'client.requisites.taxId', after: 'FR-NEW-2' }),
    )
    // deal-2, linked to the company alone, reads the new tax id in its email.
    await runtime.moveElement('deal-2', 'offer', { kind: 'api' })
    const mail = await db
      .selectFrom('outbox')
      .select('request')
      .where('element_id', '=', 'deal-2')
      .executeTakeFirstOrThrow()
    expect(JSON.parse(mail.request).subject).toContain('(FR-NEW-2)')
  })

  it("keeps an element's own copy of a client field", async () => {
    await db
      .updateTable('elements')
      .set({ fields: JSON.stringify({ title: 'Own', 'client.email': 'own@copy.test' }) })
      .where('id', '=', 'deal-1')
      .execute()
    await runtime.moveElement('deal-1', 'offer', { kind: 'api' })
    const mail = await db
      .selectFrom('outbox')
      .select('request')
      .where('element_id', '=', 'deal-1')
      .executeTakeFirstOrThrow()
    expect(JSON.parse(mail.request).to).toBe('own@copy.test')
    const row = await db.selectFrom('elements').select('fields').where('id', '=', 'deal-1').executeTakeFirstOrThrow()
    expect(JSON.parse(row.fields)).toEqual({ title: 'Own', 'client.email': 'own@copy.test' })
  })
})

describeEachDatabase('"Get requisite values" on stored requisites', (getDb) => {
  it("reads the linked company's requisites and one address; its outputs feed the next rule", async () => {
    const db = getDb()
    await seed(db, 1)
    await db
      .insertInto('companies')
      .values({
        id: 'igdir',
        name: 'İğdır Şirketi',
        template: 'organization',
        data: JSON.stringify({
          requisites: { name: 'İğdır Şirketi A.Ş.', taxId: '1234567890' },
          addresses: { actual: { street: 'Kazım Karabekir Cd. 5', city: 'Iğdır', country: 'Türkiye' } },
        }),
        search_text: 'igdir sirketi',
        created_at: at,
        updated_at: at,
      })
      .execute()
    await db.updateTable('elements').set({ company_id: 'igdir' }).where('id', '=', 'deal-1').execute()
    const g = structuredClone(graph)
    const offer = g.pipeline.stages[1] as Graph['pipeline']['stages'][number]
    const courier = email('courier', 'Courier') as RuleNode & { settings: Record<string, unknown> }
    courier.settings.subject = {
      kind: 'template',
      parts: [
        'Pick up at ',
        { kind: 'output', node: 'read', output: 'address' },
        ' for ',
        { kind: 'output', node: 'read', output: 'name' },
        ' (',
        { kind: 'output', node: 'read', output: 'taxId' },
        ')',
      ],
    }
    offer.rules = [
      {
        id: 'read',
        type: 'getRequisites',
        title: 'Read the actual address',
        execution: 'afterPrevious',
        time: { mode: 'immediately' },
        settings: { entity: 'company', requisiteTemplate: 'organization', addressType: 'actual' },
      } as RuleNode,
      courier,
    ]
    const runtime = new Runtime({ db, now: () => START })
    await runtime.publish('sales-flow', g, 'u-anna')
    await runtime.moveElement('deal-1', 'offer', { kind: 'api' })
    const mail = await db
      .selectFrom('outbox')
      .select('request')
      .where('element_id', '=', 'deal-1')
      .executeTakeFirstOrThrow()
    expect(JSON.parse(mail.request).subject).toBe(
      'Pick up at Kazım Karabekir Cd. 5, Iğdır, Türkiye for İğdır Şirketi A.Ş. (1234567890)',
    )
  })
})
