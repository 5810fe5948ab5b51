/**
 * Documents made by rules, on SQLite and PostgreSQL: a deal enters "Offer", a "Create document" rule makes
 * an invoice (numbered, stored, with our stamp and signature), and the next rule emails it as an attachment
 * with its public link. The PDF is read back with poppler's `pdftotext` and checked with `qpdf --check`.
 */
import { execFileSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Kysely } from 'kysely'
import { afterAll, beforeAll, beforeEach, expect, it } from 'vitest'
import type { Graph, RuleNode } from '../../shared/graph/graph.js'
import { GENESIS_HASH } from '../db/audit.js'
import { replaceFile } from '../db/files.js'
import type { Database } from '../db/schema.js'
import { describeEachDatabase } from '../db/test-support.js'
import { type Catcher, startCatcher } from '../runtime/catcher.js'
import { createDelivery } from '../runtime/delivery.js'
import { demoSignaturePng, demoStampPng } from '../runtime/demo-images.js'
import { OutboxWorker } from '../runtime/outbox.js'
import { Runtime } from '../runtime/runtime.js'
import { email, graph, START, seed } from '../runtime/test-fixtures.js'
import { createDocument } from './store.js'

const dir = mkdtempSync(join(tmpdir(), 'signflow-documents-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

const hasPoppler = (() => {
  try {
    execFileSync('pdftotext', ['-v'], { stdio: 'ignore' })
    return true
  } catch {
    if (process.env.CI) throw new Error('CI must have poppler-utils (pdftotext)')
    return false
  }
})()

/** The text of a PDF as poppler reads it. */
function pdfText(bytes: Uint8Array, name: string): string {
  const file = join(dir, name)
  writeFileSync(file, bytes)
  return execFileSync('pdftotext', ['-enc', 'UTF-8', file, '-'], { encoding: 'utf8' })
}

function qpdfCheck(bytes: Uint8Array, name: string): string {
  const file = join(dir, name)
  writeFileSync(file, bytes)
  return execFileSync('qpdf', ['--check', file], { encoding: 'utf8' })
}

/** Offer: make an invoice (public link on), then email the client with it attached and the link in the text. */
function invoiceGraph(): Graph {
  const g = structuredClone(graph)
  const offer = g.pipeline.stages[1] as (typeof g.pipeline.stages)[number]
  const make = {
    id: 'make-invoice',
    type: 'createDocument',
    title: 'Make the invoice',
    execution: 'afterPrevious',
    time: { mode: 'immediately' },
    settings: {
      template: 'tpl-invoice',
      waitForPdf: true,
      withSignatureAndStamp: true,
      publicLink: true,
      fields: [{ name: 'Delivery', value: { kind: 'literal', value: 'Straße 5, İğdır' } }],
    },
  } as unknown as RuleNode
  const mail = email('send-invoice', 'Invoice for ', {
    settings: {
      to: { kind: 'field', path: 'client.email' },
      subject: {
        kind: 'template',
        parts: ['Invoice ', { kind: 'output', node: 'make-invoice', output: 'documentNumber' }],
      },
      body: {
        kind: 'template',
        parts: ['Your invoice: ', { kind: 'output', node: 'make-invoice', output: 'publicLink' }],
      },
      format: 'text',
      attachments: [{ kind: 'output', node: 'make-invoice', output: 'pdf' }],
    },
  } as Partial<RuleNode>)
  offer.rules = [make, mail]
  return g
}

describeEachDatabase('documents made by rules', (getDb) => {
  let db: Kysely<Database>
  let catcher: Catcher
  let runtime: Runtime
  let outbox: OutboxWorker
  const now = START

  beforeAll(async () => {
    db = getDb()
    catcher = await startCatcher(db)
  })
  afterAll(async () => {
    await catcher.close()
  })
  beforeEach(async () => {
    for (const table of [
      'document_events',
      'documents',
      'files',
      'counters',
      'history',
      'outbox_attempts',
      'outbox',
      'due_jobs',
      'messages',
      'elements',
      'flow_versions',
      'flows',
      'pipelines',
      'my_companies',
      'audit_log',
    ] as const) {
      await db.deleteFrom(table).execute()
    }
    await db.updateTable('audit_head').set({ seq: 0, hash: GENESIS_HASH }).execute()
    runtime = new Runtime({ db, now: () => now })
    const deliver = createDelivery({
      db,
      smtpUrl: catcher.url,
      from: 'sales@signflow.test',
      now: () => now,
      publicUrl: 'https://sign.example.com',
    })
    outbox = new OutboxWorker({ db, runtime, worker: 'w1', now: () => now, deliver })
    await seed(db, 3)
    await db
      .updateTable('elements')
      .set({
        fields: JSON.stringify({
          title: 'Office chairs — Zażółć gęślą jaźń',
          amount: 6150.5,
          currency: 'PLN',
          locale: 'pl-PL',
          'client.email': 'biuro@igdir.com.tr',
          'client.name': 'İğdır Şirketi',
          'client.requisites.name': 'Société Générale des Achats',
          'client.requisites.taxId': 'FR40303265045',
        }),
      })
      .where('id', '=', 'deal-1')
      .execute()
    const at = new Date(START).toISOString()
    await db
      .insertInto('my_companies')
      .values({
        id: 'ours',
        name: 'Signflow Demo Sp. z o.o.',
        data: JSON.stringify({
          requisites: { taxId: 'PL5250001009' },
          bankDetails: { bankName: 'Bank Demo S.A.', bankAccount: 'PL61109010140000071219812874' },
          addresses: { legal: { street: 'Hauptstraße 1', city: 'Berlin', country: 'Deutschland' } },
        }),
        created_at: at,
        updated_at: at,
      })
      .execute()
    for (const [kind, bytes] of [
      ['stamp', demoStampPng()],
      ['signature', demoSignaturePng()],
    ] as const) {
      await replaceFile(db, { owner: 'myCompany:ours', kind, name: `${kind}.png`, contentType: 'image/png', bytes, at })
    }
    await runtime.publish('sales-flow', invoiceGraph(), 'u-anna')
  })

  it('makes a numbered invoice in every language, emails it attached with its public link', async () => {
    await runtime.moveElement('deal-1', 'offer', { kind: 'user', id: 'u-anna' })
    expect(await outbox.runOnce()).toBe(1) // the document
    expect(await outbox.runOnce()).toBe(1) // the email, which waited for it
    const [doc] = await db.selectFrom('documents').selectAll().execute()
    expect(doc).toMatchObject({ element_id: 'deal-1', type: 'invoice', number: 'INV-2026-0001', status: 'created' })
    const file = await db
      .selectFrom('files')
      .selectAll()
      .where('id', '=', doc?.original_file_id ?? '')
      .executeTakeFirstOrThrow()
    expect(file.owner).toBe(`document:${doc?.id}`)
    const pdf = new Uint8Array(file.bytes)

    // The email: the number in the subject, the public link in the text, the very same PDF attached.
    const [message] = await db.selectFrom('messages').selectAll().execute()
    expect(message?.subject).toBe('Invoice INV-2026-0001')
    const link = /https:\/\/sign\.example\.com\/d\/([A-Za-z0-9_-]+)/.exec(message?.body ?? '')
    expect(link?.[1]?.length).toBeGreaterThanOrEqual(32) // 192 bits, base64url
    expect(doc?.public_token_hash).toBe(
      createHash('sha256')
        .update(link?.[1] ?? '')
        .digest('hex'),
    )
    expect(JSON.parse(message?.raw ?? '{}').attachments).toEqual([
      {
        filename: 'INV-2026-0001.pdf',
        contentType: 'application/pdf',
        size: pdf.length,
        sha256: createHash('sha256').update(pdf).digest('hex'),
      },
    ])
    // The element knows its last document.
    const element = await db.selectFrom('elements').selectAll().where('id', '=', 'deal-1').executeTakeFirstOrThrow()
    expect(JSON.parse(element.state ?? '{}').fields).toMatchObject({
      'lastDocument.id': doc?.id,
      'lastDocument.number': 'INV-2026-0001',
      'lastDocument.type': 'invoice',
    })

    if (!hasPoppler) return
    const text = pdfText(pdf, 'invoice.pdf')
    for (const words of ['Zażółć gęślą jaźń', 'İğdır Şirketi', 'Straße', 'Société Générale', 'INV-2026-0001']) {
      expect(text).toContain(words)
    }
    // Amounts by the document's locale and currency: 6150.50 net + 23 % = 7565.12 zł.
    expect(text).toContain('6150,50 zł')
    expect(text).toContain('7565,12 zł')
    expect(text).toContain('PL61109010140000071219812874')
    expect(qpdfCheck(pdf, 'invoice-check.pdf')).toMatch(/No syntax or stream encoding errors/)
  })

  it('numbers each type on its own, without gaps, and answers a re-delivered effect with the same document', async () => {
    const made = []
    for (const [element, template] of [
      ['deal-1', 'tpl-invoice'],
      ['deal-2', 'tpl-contract'],
      ['deal-3', 'tpl-invoice'],
    ] as const) {
      made.push(
        await createDocument(db, {
          elementId: element,
          templateId: template,
          withSignatureAndStamp: false,
          publicLink: false,
          effectId: `effect-${element}`,
          actor: { id: 'u-anna' },
          publicUrl: 'https://sign.example.com',
          now,
        }),
      )
    }
    expect(made.map((d) => d.number)).toEqual(['INV-2026-0001', 'CTR-2026-0001', 'INV-2026-0002'])
    const again = await createDocument(db, {
      elementId: 'deal-1',
      templateId: 'tpl-invoice',
      withSignatureAndStamp: false,
      publicLink: false,
      effectId: 'effect-deal-1',
      actor: { id: 'u-anna' },
      publicUrl: 'https://sign.example.com',
      now,
    })
    expect(again.id).toBe(made[0]?.id)
    expect(await db.selectFrom('documents').select('id').execute()).toHaveLength(3)
    // A contract has signature boxes for both parties, on its last page.
    expect(made[1]?.boxes.filter((b) => b.kind === 'signature').map((b) => b.party)).toEqual(['company', 'client'])
    const audit = await db.selectFrom('audit_log').select(['action', 'actor']).orderBy('seq').execute()
    expect(audit.map((a) => a.action)).toEqual(['document.created', 'document.created', 'document.created'])
  })

  it("refuses to publish a flow naming a template that does not exist, with the setting's path", async () => {
    const g = invoiceGraph()
    const rule = g.pipeline.stages[1]?.rules[0] as unknown as { settings: { template: string } }
    rule.settings.template = 'tpl-nope'
    await expect(runtime.publish('sales-flow', g, 'u-anna')).rejects.toMatchObject({
      code: 'invalid',
      path: '/pipeline/stages/1/rules/0/settings/template',
      message: expect.stringMatching(/no document template "tpl-nope"/),
    })
  })

  it('renders typed script as text, and fails a rule naming an unknown template without a half-made document', async () => {
    await db
      .updateTable('elements')
      .set({ fields: JSON.stringify({ title: '<img src=x onerror=alert(1)>', amount: 10 }) })
      .where('id', '=', 'deal-2')
      .execute()
    const made = await createDocument(db, {
      elementId: 'deal-2',
      templateId: 'tpl-offer',
      withSignatureAndStamp: true,
      publicLink: false,
      actor: { id: 'u-anna' },
      publicUrl: 'https://sign.example.com',
      now,
    })
    expect(made.number).toBe('OFR-2026-0001')
    if (hasPoppler) {
      const file = await db
        .selectFrom('files')
        .select('bytes')
        .where('id', '=', made.pdfFileId)
        .executeTakeFirstOrThrow()
      expect(pdfText(new Uint8Array(file.bytes), 'offer.pdf')).toContain('<img src=x onerror=alert(1)>')
    }
    await expect(
      createDocument(db, {
        elementId: 'deal-3',
        templateId: 'tpl-nope',
        withSignatureAndStamp: true,
        publicLink: true,
        actor: { id: 'u-anna' },
        publicUrl: 'https://sign.example.com',
        now,
      }),
    ).rejects.toThrow(/no template "tpl-nope"/)
    expect(await db.selectFrom('documents').select('id').execute()).toHaveLength(1)
    expect(
      await db.selectFrom('counters').selectAll().where('key', 'like', 'document:commercialOffer%').execute(),
    ).toEqual([{ key: 'document:commercialOffer:2026', value: 1 }])
  })
})
