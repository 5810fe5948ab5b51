/**
 * Demo data for a newcomer's first start: users, my company (with its requisites, bank details and
 * real stamp and signature images, drawn in code), client companies and contacts with requisites
 * and addresses, one pipeline per seed flow (published as version 1), and the sample deals of the
 * seed scenarios. Only on an empty database; a database with any pipeline is left as it is.
 *
 * The rows have the shape the directory API (`server/http/directory-api.ts`) reads and writes.
 */
import { readFileSync } from 'node:fs'
import type { Kysely } from 'kysely'
import type { Json, WorkingCalendar } from '../../shared/engine/types.js'
import { flattenFields } from '../../shared/engine/values.js'
import type { Graph } from '../../shared/graph/graph.js'
import { replaceFile } from '../db/files.js'
import type { Database } from '../db/schema.js'
import { demoSignaturePng, demoStampPng } from './demo-images.js'
import type { Runtime } from './runtime.js'

const FLOWS = [
  'large-deals-only',
  'director-then-client',
  'invoice-signing',
  'requisites-from-field',
  'delivery-courier',
] as const

const fixture = (path: string) => new URL(`../../shared/fixtures/${path}`, import.meta.url)

/** As the directory API folds it for search: lower case, accents dropped. */
const searchText = (...parts: string[]) => parts.join(' ').toLowerCase().normalize('NFKD').replace(/\p{M}/gu, '')

interface ScenarioElement {
  id: string
  stage?: string | null
  fields?: Record<string, unknown>
}

/** The demo company's working calendar: Monday to Friday, 09:00–17:00 in Warsaw, without Polish public holidays. */
export const DEMO_CALENDAR: WorkingCalendar = {
  timeZone: 'Europe/Warsaw',
  workDays: [1, 2, 3, 4, 5],
  start: '09:00',
  end: '17:00',
  // Independence Day, Christmas Eve (a holiday since 2025), Christmas, New Year, Epiphany.
  holidays: ['2026-11-11', '2026-12-24', '2026-12-25', '2026-12-26', '2027-01-01', '2027-01-06'],
}

/** Seeds the demo when the database holds no pipeline yet. Returns whether it did. */
export async function seedDemo(db: Kysely<Database>, runtime: Runtime, now = Date.now()): Promise<boolean> {
  const any = await db.selectFrom('pipelines').select('id').limit(1).executeTakeFirst()
  if (any) return false
  const at = new Date(now).toISOString()
  await db.transaction().execute(async (trx) => {
    const dated = { created_at: at, updated_at: at }
    await trx
      .insertInto('users')
      .values([
        { id: 'u-anna', name: 'Anna Kowalska', email: 'anna@signflow.test', role: 'admin', ...dated },
        { id: 'u-jean', name: 'Jean Dupont', email: 'jean@signflow.test', role: 'sales', ...dated },
        { id: 'u-director', name: 'Ayşe Yılmaz', email: 'director@signflow.test', role: 'analyst', ...dated },
      ])
      .execute()
    await trx
      .insertInto('my_companies')
      .values({
        id: 'my-company',
        name: 'Signflow Demo Sp. z o.o.',
        data: JSON.stringify({
          requisites: {
            name: 'Signflow Demo spółka z ograniczoną odpowiedzialnością',
            taxId: 'PL5250001009',
            registrationNumber: 'KRS 0000123456',
            director: 'Ayşe Yılmaz',
            email: 'office@signflow.test',
          },
          bankDetails: { bankName: 'Bank Demo S.A.', bankAccount: 'PL61109010140000071219812874', bic: 'WBKPPLPP' },
          addresses: {
            legal: { street: 'ul. Marszałkowska 1', city: 'Warszawa', postalCode: '00-001', country: 'Poland' },
          },
          // Clients without a language of their own are written to in English; Claire and Mehmet have theirs.
          language: 'en',
        }),
        // Delays "in working hours" follow it: Warsaw office hours, Polish public holidays.
        calendar: JSON.stringify(DEMO_CALENDAR),
        ...dated,
      })
      .execute()
    for (const [kind, bytes] of [
      ['stamp', demoStampPng()],
      ['signature', demoSignaturePng()],
    ] as const) {
      await replaceFile(trx, {
        owner: 'myCompany:my-company',
        kind,
        name: `${kind}.png`,
        contentType: 'image/png',
        bytes,
        at,
      })
    }
    const acme = {
      requisites: { name: 'Société Générale des Achats SA', taxId: 'FR40303265045', registrationNumber: '552 120 222' },
      addresses: {
        legal: { street: '29 boulevard Haussmann', city: 'Paris', postalCode: '75009', country: 'France' },
        actual: { street: '17 cours Valmy', city: 'Puteaux', postalCode: '92800', country: 'France' },
      },
    }
    const igdir = {
      requisites: { name: 'İğdır Şirketi A.Ş.', taxId: '1234567890' },
      addresses: { legal: { street: 'Atatürk Cd. 1', city: 'Iğdır', country: 'Türkiye' } },
    }
    await trx
      .insertInto('companies')
      .values([
        {
          id: 'c-acme',
          name: 'Société Générale des Achats',
          template: 'organization',
          data: JSON.stringify(acme),
          search_text: searchText(
            'Société Générale des Achats',
            acme.requisites.taxId,
            acme.requisites.registrationNumber,
          ),
          ...dated,
        },
        {
          id: 'c-igdir',
          name: 'İğdır Şirketi',
          template: 'organization',
          data: JSON.stringify(igdir),
          search_text: searchText('İğdır Şirketi', igdir.requisites.taxId),
          ...dated,
        },
      ])
      .execute()
    const contacts = [
      {
        id: 'p-claire',
        name: 'Claire Martin',
        email: 'achats@sg.fr',
        phone: '+33 1 00 00 00 00',
        company_id: 'c-acme',
        language: 'fr',
      },
      {
        id: 'p-mehmet',
        name: 'Mehmet Öztürk',
        email: 'info@igdir.com.tr',
        phone: '+90 555 000 00 00',
        company_id: 'c-igdir',
        language: 'tr',
        requisites: {
          template: 'soleProprietor',
          fields: { name: 'Mehmet Öztürk (şahıs şirketi)', taxId: '9876543210' },
          addresses: { actual: { street: 'Kazım Karabekir Cd. 5', city: 'Iğdır', country: 'Türkiye' } },
        },
      },
    ]
    await trx
      .insertInto('contacts')
      .values(
        contacts.map(({ requisites, language, ...contact }) => ({
          ...contact,
          data: JSON.stringify({ ...(requisites ? { requisites } : {}), language }),
          search_text: searchText(contact.name, contact.email, contact.phone),
          ...dated,
        })),
      )
      .execute()
    for (const flow of FLOWS) {
      const graph = JSON.parse(readFileSync(fixture(`${flow}.json`), 'utf8')) as Graph
      await trx
        .insertInto('pipelines')
        .values({
          id: flow,
          name: graph.flow.name,
          element_type: graph.elementType,
          stages: JSON.stringify(
            graph.pipeline.stages.map((s) => ({ id: s.id, name: s.name, color: s.color, kind: s.kind })),
          ),
          created_at: at,
        })
        .execute()
      await trx
        .insertInto('flows')
        .values({
          id: flow,
          pipeline_id: flow,
          name: graph.flow.name,
          draft: JSON.stringify(graph),
          updated_at: at,
          created_at: at,
        })
        .execute()
      // Each seed flow's scenario is kept next to it, as the simulator keeps one: "Run all scenarios" and
      // `signflow test --server … --flow …` have something to run from the first start.
      const kept = JSON.parse(readFileSync(fixture(`scenarios/${flow}.scenario.json`), 'utf8')) as { name: string }
      await trx
        .insertInto('flow_scenarios')
        .values({
          flow_id: flow,
          id: 'seed',
          name: kept.name,
          body: JSON.stringify({ ...kept, graph: 'draft' }),
          updated_at: at,
          updated_by: 'u-anna',
        })
        .execute()
    }
  })
  // The runtime schedules with the demo company's calendar from the first input on.
  runtime.forgetMyCompany()
  for (const flow of FLOWS) {
    const graph = JSON.parse(readFileSync(fixture(`${flow}.json`), 'utf8')) as Graph
    await runtime.publish(flow, graph, 'u-anna')
    const scenario = JSON.parse(readFileSync(fixture(`scenarios/${flow}.scenario.json`), 'utf8')) as {
      elements?: ScenarioElement[]
    }
    for (const element of scenario.elements ?? []) {
      const fields = Object.fromEntries(flattenFields(element.fields ?? {})) as Record<string, Json>
      await db
        .insertInto('elements')
        .values({
          id: `${flow}:${element.id}`,
          pipeline_id: flow,
          type: graph.elementType,
          title: typeof fields.title === 'string' ? fields.title : element.id,
          stage: element.stage ?? graph.pipeline.stages[0]?.id ?? null,
          fields: JSON.stringify(fields),
          responsible: typeof fields.responsible === 'string' ? fields.responsible : null,
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
  // A few more deals, so that the board looks like a working day: with their contacts, in several stages
  // (those with no rules: they stand there as if moved long ago).
  for (const deal of DEMO_DEALS) {
    await db
      .insertInto('elements')
      .values({
        id: deal.id,
        pipeline_id: deal.pipeline,
        type: 'deal',
        title: deal.title,
        stage: deal.stage,
        fields: JSON.stringify({
          title: deal.title,
          amount: deal.amount,
          currency: deal.currency,
          responsible: deal.responsible,
        }),
        responsible: deal.responsible,
        contact_id: deal.contact,
        company_id: deal.company,
        flow_version_id: null,
        state: null,
        created_at: at,
        updated_at: at,
      })
      .execute()
  }
  return true
}

const DEMO_DEALS = [
  {
    id: 'deal-sg-renewal',
    pipeline: 'director-then-client',
    title: 'Fleet leasing renewal',
    stage: 'new',
    amount: 48_500,
    currency: 'EUR',
    responsible: 'u-jean',
    contact: 'p-claire',
    company: 'c-acme',
  },
  {
    id: 'deal-igdir-audit',
    pipeline: 'director-then-client',
    title: 'Security audit 2027',
    stage: 'signed',
    amount: 9_900,
    currency: 'EUR',
    responsible: 'u-anna',
    contact: 'p-mehmet',
    company: 'c-igdir',
  },
  {
    id: 'deal-sg-printers',
    pipeline: 'director-then-client',
    title: 'Printers for the Paris office',
    stage: 'lost',
    amount: 3_200,
    currency: 'EUR',
    responsible: 'u-jean',
    contact: 'p-claire',
    company: 'c-acme',
  },
  {
    id: 'deal-sg-chairs',
    pipeline: 'invoice-signing',
    title: 'Chairs for the Lyon office',
    stage: 'new',
    amount: 7_450,
    currency: 'EUR',
    responsible: 'u-jean',
    contact: 'p-claire',
    company: 'c-acme',
  },
] as const
