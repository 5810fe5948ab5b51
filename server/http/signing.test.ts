/**
 * Signing from start to finish through the runtime and the HTTP API, on SQLite and PostgreSQL, with real
 * SMTP on loopback: the seed flow (a) sends an invoice for signing when a deal enters "Invoice"; the
 * director gets a link by email and signs (typed); then the client gets theirs, agrees to the notice and
 * signs (drawn); the deal moves to "Signed"; the final PDF has both signatures and a certificate page
 * (`pdftotext`, `qpdf --check`) and everyone gets it by email. And what hostile or late signers meet.
 */
import { execFileSync } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Kysely } from 'kysely'
import { PDFDocument } from 'pdf-lib'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Graph } from '../../shared/graph/graph.js'
import { LANGUAGES } from '../../shared/i18n/languages.js'
import type { Database } from '../db/schema.js'
import { describeEachDatabase } from '../db/test-support.js'
import { DISCLOSURES, signerWords } from '../documents/messages.js'
import { platformSeal } from '../documents/sealing.js'
import { DISCLOSURE_SHA256, signingOutboxHandlers } from '../documents/signing.js'
import { createSealingCertificate } from '../pdf/certificate.js'
import { startCatcher } from '../runtime/catcher.js'
import { createDelivery } from '../runtime/delivery.js'
import { demoSignaturePng } from '../runtime/demo-images.js'
import { OutboxWorker } from '../runtime/outbox.js'
import { Runtime } from '../runtime/runtime.js'
import { seedDemo } from '../runtime/seed.js'
import { type Answer, expectEachAnswered, send } from './api-test-support.js'
import { createApp } from './app.js'
import { SEALING_OPERATIONS, SIGNING_OPERATIONS } from './documents-spec.js'
import { maskSecrets } from './runtime-api.js'

const dir = mkdtempSync(join(tmpdir(), 'signflow-signing-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

function poppler(tool: 'pdftotext' | 'qpdf', bytes: Uint8Array, name: string): string | undefined {
  const file = join(dir, name)
  writeFileSync(file, bytes)
  try {
    return execFileSync(tool, tool === 'qpdf' ? ['--check', file] : ['-enc', 'UTF-8', file, '-'], { encoding: 'utf8' })
  } catch (error) {
    if (process.env.CI) throw error
    return undefined
  }
}

/** The personal link a party's invitation carries (read from the outbox, sent or still on hold). */
async function invitationToken(db: Kysely<Database>, documentId: string, role: 'company' | 'client'): Promise<string> {
  const party = await db
    .selectFrom('signing_parties')
    .select('id')
    .where('document_id', '=', documentId)
    .where('role', '=', role)
    .executeTakeFirstOrThrow()
  const row = await db
    .selectFrom('outbox')
    .select('request')
    .where('effect_id', '=', `sign:${party.id}:invite`)
    .executeTakeFirstOrThrow()
  const message = (JSON.parse(row.request) as { message: { body?: string; text?: string } }).message
  return /\/s\/([A-Za-z0-9_-]+)/.exec(message.body ?? message.text ?? '')?.[1] ?? ''
}

const PUBLIC_URL = 'https://sign.example.com'

/**
 * The demo on a test database, as `npm start` runs it: the loopback SMTP catcher, the runtime, the outbox
 * worker with signing's own rows, and the app (sealing when asked). `call` checks each answer against the
 * OpenAPI document; `drain` runs the outbox until nothing is due.
 */
async function signingWorld(db: Kysely<Database>, options: { seal?: boolean; now?: () => number } = {}) {
  const now = options.now ?? Date.now
  const catcher = await startCatcher(db)
  const runtime = new Runtime({ db })
  await seedDemo(db, runtime)
  const deliver = createDelivery({ db, smtpUrl: catcher.url, from: 'sales@signflow.test', publicUrl: PUBLIC_URL, now })
  const outbox = new OutboxWorker({
    db,
    runtime,
    deliver,
    worker: 'w1',
    now,
    detached: signingOutboxHandlers(db, runtime, deliver, now),
  })
  const app = createApp({
    services: { db, runtime, publicUrl: PUBLIC_URL, ...(options.seal ? { seal: await platformSeal(db) } : {}) },
  })
  const call = (method: string, url: string, body?: unknown): Promise<Answer> =>
    send(app, method, url, body, {
      headers: { 'content-type': 'application/json', 'user-agent': 'Mozilla/5.0 (iPhone) test' },
    })
  const drain = async () => {
    while ((await outbox.runOnce()) > 0);
  }
  return { catcher, runtime, app, call, drain }
}

/** A signer agrees to the notice, then signs with a typed name: the answer to the signature. */
async function agreeAndSign(
  call: (method: string, url: string, body?: unknown) => Promise<Answer>,
  token: string,
  text: string,
) {
  const agreed = await call('POST', `/api/public/signing/${token}/consent`, { disclosureSha256: DISCLOSURE_SHA256 })
  expect(agreed.status).toBe(204)
  return call('POST', `/api/public/signing/${token}/sign`, { signature: { method: 'typed', text } })
}

const DEAL = 'invoice-signing:deal-1'
/** Our demo company's name in its requisites, as documents print it. */
const LEGAL_NAME = 'Signflow Demo spółka z ograniczoną odpowiedzialnością'
const pngDataUrl = () => `data:image/png;base64,${Buffer.from(demoSignaturePng()).toString('base64')}`

describeEachDatabase('signing a document', (getDb) => {
  let db: Kysely<Database>
  let world: Awaited<ReturnType<typeof signingWorld>>
  let app: ReturnType<typeof createApp>
  let runtime: Runtime
  const call = (method: string, url: string, body?: unknown) => world.call(method, url, body)
  const drain = () => world.drain()
  const mailTo = async (to: string) =>
    db.selectFrom('messages').selectAll().where('to_address', '=', to).orderBy('id').execute()
  const tokenIn = (body: string) => /https:\/\/sign\.example\.com\/s\/([A-Za-z0-9_-]+)/.exec(body)?.[1] ?? ''

  beforeAll(async () => {
    db = getDb()
    world = await signingWorld(db, { seal: true })
    app = world.app
    runtime = world.runtime
  }, 60_000)
  afterAll(async () => {
    await world.catcher.close()
  })

  it('sends the invoice to the director, then to the client; both sign; the deal moves to "Signed"', async () => {
    await runtime.moveElement(DEAL, 'invoice', { kind: 'user', id: 'u-anna' })
    await drain()
    const [doc] = await db.selectFrom('documents').selectAll().where('element_id', '=', DEAL).execute()
    expect(doc).toMatchObject({ type: 'invoice', status: 'sent' })
    // The director (the flow's constant "Anna Kowalska", a user) is emailed first; the client not yet.
    const [toDirector] = await mailTo('anna@signflow.test')
    expect(toDirector?.subject).toBe(`Please sign ${doc?.title} from ${LEGAL_NAME}`)
    expect(await mailTo('biuro@zazolc.pl')).toEqual([])
    const director = tokenIn(toDirector?.body ?? '')
    expect(director).toMatch(/^[A-Za-z0-9_-]{32}$/)

    const page = await call('GET', `/api/public/signing/${director}`)
    expect(page.status).toBe(200)
    expect(page.body).toMatchObject({
      party: { role: 'company', name: 'Anna Kowalska', status: 'viewed' },
      document: { number: doc?.number, pages: 1, issuedBy: LEGAL_NAME },
      disclosure: { sha256: DISCLOSURE_SHA256 },
      consented: false,
      canSign: true,
    })
    expect(page.body.disclosure.text).toMatch(/simple electronic signature[\s\S]*differ from country to country/)
    expect(
      (
        await call('POST', `/api/public/signing/${director}/sign`, {
          signature: { method: 'typed', text: 'Anna Kowalska' },
        })
      ).body.error.code,
    ).toBe('consent-required')
    expect(
      (await call('POST', `/api/public/signing/${director}/consent`, { disclosureSha256: '0'.repeat(64) })).status,
    ).toBe(422)
    expect(
      (await call('POST', `/api/public/signing/${director}/consent`, { disclosureSha256: DISCLOSURE_SHA256 })).status,
    ).toBe(204)
    const signed = await call('POST', `/api/public/signing/${director}/sign`, {
      signature: { method: 'typed', text: 'Anna Kowalska' },
    })
    expect(signed.status).toBe(200)
    expect(signed.body).toEqual({ completed: false })
    // Signed once is signed: again is refused.
    expect(
      (await call('POST', `/api/public/signing/${director}/sign`, { signature: { method: 'typed', text: 'Anna K' } }))
        .status,
    ).toBe(409)

    // Now the client's turn: their email with their own link.
    await drain()
    const [toClient] = await mailTo('biuro@zazolc.pl')
    const client = tokenIn(toClient?.body ?? '')
    expect(client).not.toBe(director)
    const clientPage = await call('GET', `/api/public/signing/${client}`)
    expect(clientPage.body).toMatchObject({ party: { role: 'client', name: 'Zażółć Sp. z o.o.' }, canSign: true })
    expect(clientPage.body.parties.map((p: { status: string }) => p.status)).toEqual(['signed', 'viewed'])
    expect((await call('GET', `/api/public/signing/${client}/pdf?version=original`)).status).toBe(200)
    const partial = await app.request(`/api/public/signing/${client}/pdf`)
    expect(partial.status).toBe(200)
    const partialText = poppler('pdftotext', new Uint8Array(await partial.arrayBuffer()), 'partial.pdf')
    if (partialText !== undefined) expect(partialText).toContain('Anna Kowalska')
    // A drawing that is not a PNG is refused with its path.
    expect(
      (await call('POST', `/api/public/signing/${client}/consent`, { disclosureSha256: DISCLOSURE_SHA256 })).status,
    ).toBe(204)
    const notPng = await call('POST', `/api/public/signing/${client}/sign`, {
      signature: {
        method: 'drawn',
        png: `data:image/png;base64,${Buffer.from('GIF89a not a png at all, really not; it is just text').toString('base64')}`,
      },
    })
    expect(notPng.status).toBe(422)
    expect(notPng.body.error.path).toBe('/signature/png')
    const done = await call('POST', `/api/public/signing/${client}/sign`, {
      signature: { method: 'drawn', png: pngDataUrl() },
    })
    expect(done.body).toEqual({ completed: true })

    // The deal moved: signed by all.
    const deal = await db.selectFrom('elements').select('stage').where('id', '=', DEAL).executeTakeFirstOrThrow()
    expect(deal.stage).toBe('signed')
    const finished = await db
      .selectFrom('documents')
      .selectAll()
      .where('id', '=', doc?.id ?? '')
      .executeTakeFirstOrThrow()
    expect(finished.status).toBe('signed')
    expect(finished.signed_sha256).toMatch(/^[0-9a-f]{64}$/)
    const events = await db
      .selectFrom('document_events')
      .select(['type', 'ip', 'user_agent', 'channel'])
      .where('document_id', '=', finished.id)
      .orderBy('at')
      .orderBy('id')
      .execute()
    expect(events.map((e) => e.type)).toEqual(
      expect.arrayContaining(['created', 'sent', 'delivered', 'viewed', 'consented', 'signed', 'completed']),
    )
    expect(events.find((e) => e.type === 'signed')).toMatchObject({
      user_agent: 'Mozilla/5.0 (iPhone) test',
      channel: 'email',
    })

    // Everyone gets the signed PDF; it reads back with both parties and the certificate.
    await drain()
    const copies = await db
      .selectFrom('messages')
      .selectAll()
      .where('subject', '=', `Signed: ${finished.title}`)
      .execute()
    expect(copies.map((m) => m.to_address).sort()).toEqual(['anna@signflow.test', 'biuro@zazolc.pl'])
    expect(JSON.parse(copies[0]?.raw ?? '{}').attachments[0]).toMatchObject({
      contentType: 'application/pdf',
      sha256: finished.signed_sha256,
    })
    const file = await db
      .selectFrom('files')
      .select('bytes')
      .where('id', '=', finished.signed_file_id ?? '')
      .executeTakeFirstOrThrow()
    const text = poppler('pdftotext', new Uint8Array(file.bytes), 'signed.pdf')
    if (text !== undefined) {
      expect(text).toContain('Certificate of completion')
      // Every letter is there (a font shared between documents once lost capital S and I).
      expect(text).toContain(`SHA-256 of the document as sent: ${finished.original_sha256}`)
      expect(text).toMatch(/Company signer: Anna Kowalska[\s\S]*Client: Zażółć Sp\. z o\.o\./)
      expect(text).toContain(DISCLOSURE_SHA256)
      expect(poppler('qpdf', new Uint8Array(file.bytes), 'signed-check.pdf')).toMatch(
        /No syntax or stream encoding errors/,
      )
    }
    // Anyone can check the file on the verify page: sealed by us, unchanged, and which document it is.
    const verify = (bytes: Uint8Array, type = 'application/pdf') =>
      send(app, 'POST', '/api/public/verify', undefined, {
        raw: Buffer.from(bytes).toString('latin1'),
        headers: { 'content-type': type },
      })
    const signedBytes = new Uint8Array(file.bytes)
    const checked = await app.request('/api/public/verify', {
      method: 'POST',
      headers: { 'content-type': 'application/pdf' },
      body: Buffer.from(signedBytes),
    })
    expect(await checked.json()).toMatchObject({
      sealedByUs: true,
      unchanged: true,
      problem: null,
      problemCode: null,
      params: {},
      document: { number: finished.number, title: finished.title },
    })
    const tampered = Buffer.from(signedBytes)
    const spot = tampered.indexOf(Buffer.from('/Producer'))
    tampered[spot + 2] = (tampered[spot + 2] ?? 0) ^ 0x20
    const changed = await app.request('/api/public/verify', {
      method: 'POST',
      headers: { 'content-type': 'application/pdf' },
      body: tampered,
    })
    const changedReport = (await changed.json()) as {
      unchanged: boolean
      document: unknown
      problem: string
      problemCode: string
    }
    expect(changedReport.unchanged).toBe(false)
    expect(changedReport.document).toBeNull()
    expect(changedReport.problem).toEqual(expect.any(String))
    // The same as a code and its values, which the verify page says in its reader's language.
    expect(changedReport).toMatchObject({
      problemCode: 'signature-invalid',
      params: { field: expect.any(String), reason: 'changed' },
      signatures: expect.arrayContaining([expect.objectContaining({ problemCode: 'changed', params: {} })]),
    })
    expect(changedReport.problem).toMatch(/^The signature ".+" is not valid: the document was changed/)
    const garbage = await app.request('/api/public/verify', {
      method: 'POST',
      headers: { 'content-type': 'application/pdf' },
      body: 'not a pdf at all',
    })
    expect(await garbage.json()).toMatchObject({
      sealedByUs: false,
      problem: 'This file is not a PDF.',
      problemCode: 'not-pdf',
      params: {},
    })
    const unsigned = await verify(new TextEncoder().encode('%PDF-1.7 nothing else'))
    expect(unsigned.body).toMatchObject({ problemCode: 'no-signature', problem: expect.stringContaining('no seal') })
    expect((await verify(new TextEncoder().encode('hello'), 'text/plain')).status).toBe(415)
    expect((await verify(new TextEncoder().encode('%PDF-1.7 nothing else'))).status).toBe(200)

    // Late or hostile callers.
    expect((await call('POST', `/api/public/signing/${client}/decline`, { reason: 'too late' })).status).toBe(409)
    expect(
      (await call('POST', `/api/public/signing/${client}/consent`, { disclosureSha256: DISCLOSURE_SHA256 })).status,
    ).toBe(409)
    for (const bad of ['A'.repeat(32), 'short', `${client.slice(0, -2)}xx`]) {
      expect((await call('GET', `/api/public/signing/${bad}`)).status).toBe(404)
      expect((await call('GET', `/api/public/signing/${bad}/pdf`)).status).toBe(404)
    }
    expect(
      (
        await call('POST', `/api/public/signing/${'B'.repeat(32)}/sign`, {
          signature: { method: 'typed', text: 'Nobody' },
        })
      ).status,
    ).toBe(404)
    expect((await call('POST', `/api/public/signing/${'B'.repeat(32)}/decline`, { reason: 'x' })).status).toBe(404)
  }, 60_000)

  it('sends by hand in order: the client waits for the company; a decline stops it; an expired link says so', async () => {
    const made = await call('POST', '/api/elements/invoice-signing:deal-1/signing', {
      template: 'tpl-contract',
      companySigner: 'jean@signflow.test',
      channel: 'sms',
      client: { name: 'Mehmet Öztürk', phone: '+90 555 000 00 00', email: '' },
    })
    expect(made.status).toBe(201)
    const client = new URL(made.body.clientSigningLink as string).pathname.split('/').pop() ?? ''
    const company = await invitationToken(db, made.body.documentId, 'company')
    const early = await call('GET', `/api/public/signing/${client}`)
    expect(early.body).toMatchObject({
      canSign: false,
      problem: {
        code: 'not-your-turn',
        message: 'Jean Dupont signs first; you will get a message when it is your turn.',
      },
    })
    expect(
      (await call('POST', `/api/public/signing/${client}/consent`, { disclosureSha256: DISCLOSURE_SHA256 })).status,
    ).toBe(409)
    // The client declines (allowed at any time): the signing stops for everyone.
    expect((await call('POST', `/api/public/signing/${client}/decline`, { reason: 'Wrong amount' })).status).toBe(204)
    expect((await call('POST', `/api/public/signing/${client}/decline`, { reason: 'again' })).status).toBe(410)
    const companyPage = await call('GET', `/api/public/signing/${company}`)
    expect(companyPage.body.problem).toMatchObject({ code: 'gone' })
    expect(
      (await call('POST', `/api/public/signing/${company}/consent`, { disclosureSha256: DISCLOSURE_SHA256 })).status,
    ).toBe(410)
    const doc = await db
      .selectFrom('documents')
      .selectAll()
      .where('id', '=', made.body.documentId)
      .executeTakeFirstOrThrow()
    expect(doc.status).toBe('declined')

    // Refusals when sending: an unknown signer, nothing to sign, no way to reach the client, sent twice.
    const unknown = await call('POST', '/api/elements/invoice-signing:deal-1/signing', {
      template: 'tpl-contract',
      companySigner: 'Nobody Atall',
      channel: 'email',
    })
    expect(unknown.status).toBe(422)
    expect(unknown.body.error.path).toBe('/companySigner')
    expect(
      (
        await call('POST', '/api/elements/invoice-signing:deal-1/signing', {
          companySigner: 'u-anna',
          channel: 'email',
        })
      ).body.error.path,
    ).toBe('/template')
    const noPhone = await call('POST', '/api/elements/invoice-signing:deal-1/signing', {
      template: 'tpl-contract',
      companySigner: 'u-anna',
      channel: 'sms',
      client: { phone: '' },
    })
    expect(noPhone.body.error.path).toBe('/parties/1/phone')
    expect(
      (
        await call('POST', `/api/elements/invoice-signing:deal-1/signing`, {
          document: doc.id,
          companySigner: 'u-anna',
          channel: 'email',
        })
      ).status,
    ).toBe(409)
    expect(
      (
        await call('POST', '/api/elements/nope/signing', {
          template: 'tpl-contract',
          companySigner: 'u-anna',
          channel: 'email',
        })
      ).status,
    ).toBe(404)

    // An expired link.
    const again = await call('POST', '/api/elements/director-then-client:deal-7/signing', {
      template: 'tpl-offer',
      companySigner: 'u-anna',
      channel: 'email',
      signingOrder: 'parallel',
    })
    expect(again.status).toBe(201)
    const anna = await invitationToken(db, again.body.documentId, 'company')
    await db
      .updateTable('signing_parties')
      .set({ expires_at: '2020-01-01T00:00:00.000Z' })
      .where('document_id', '=', again.body.documentId)
      .execute()
    expect((await call('GET', `/api/public/signing/${anna}`)).body.problem).toMatchObject({
      code: 'gone',
      message: expect.stringMatching(/expired/),
    })
    expect(
      (await call('POST', `/api/public/signing/${anna}/sign`, { signature: { method: 'typed', text: 'Anna' } })).status,
    ).toBe(410)
  }, 60_000)
})

describeEachDatabase('the sealing certificate', (getDb) => {
  let db: Kysely<Database>
  let world: Awaited<ReturnType<typeof signingWorld>>
  let app: ReturnType<typeof createApp>
  const call = (method: string, url: string, body?: unknown) => world.call(method, url, body)
  /** Sends a contract of deal 7 for signing in parallel, and both sign it: the completed document's row. */
  const completeOne = async () => {
    const sent = await call('POST', '/api/elements/director-then-client:deal-7/signing', {
      template: 'tpl-contract',
      companySigner: 'u-anna',
      channel: 'email',
      signingOrder: 'parallel',
    })
    expect(sent.status).toBe(201)
    for (const role of ['company', 'client'] as const) {
      const token = await invitationToken(db, sent.body.documentId, role)
      expect((await agreeAndSign(call, token, 'Signed Here')).status).toBe(200)
    }
    return db.selectFrom('documents').selectAll().where('id', '=', sent.body.documentId).executeTakeFirstOrThrow()
  }
  const verified = async (row: { signed_file_id: string | null }) => {
    const file = await db
      .selectFrom('files')
      .select('bytes')
      .where('id', '=', row.signed_file_id ?? '')
      .executeTakeFirstOrThrow()
    const res = await app.request('/api/public/verify', {
      method: 'POST',
      headers: { 'content-type': 'application/pdf' },
      body: Buffer.from(file.bytes),
    })
    return (await res.json()) as { sealedByUs: boolean; unchanged: boolean; signatures: Array<{ signer: string }> }
  }

  beforeAll(async () => {
    db = getDb()
    world = await signingWorld(db, { seal: true })
    app = world.app
  }, 60_000)
  afterAll(async () => {
    await world.catcher.close()
  })

  it('is made at first start in our name; an admin replaces it with their .p12, and older seals still verify', async () => {
    const made = await call('GET', '/api/settings/sealing')
    expect(made.status).toBe(200)
    expect(made.body).toMatchObject({ selfSigned: true, organization: 'Signflow Demo Sp. z o.o.' })
    const before = await completeOne()
    expect((await verified(before)).signatures[0]?.signer).toContain('Signflow Demo Sp. z o.o.')

    const own = await createSealingCertificate({
      commonName: 'Acme Trust Seal',
      organization: 'Acme Trust',
      country: 'PL',
    })
    const p12 = Buffer.from(own.p12).toString('base64')
    const wrong = await call('PUT', '/api/settings/sealing', { p12, password: `${own.password}x` })
    expect(wrong.status).toBe(422)
    expect(wrong.body.error.path).toBe('/password')
    const garbage = await call('PUT', '/api/settings/sealing', {
      p12: Buffer.from('not a p12 file at all').toString('base64'),
      password: 'x',
    })
    expect(garbage.body.error.path).toBe('/p12')
    const replaced = await call('PUT', '/api/settings/sealing', { p12, password: own.password })
    expect(replaced.status).toBe(200)
    expect(replaced.body).toMatchObject({ commonName: 'Acme Trust Seal', organization: 'Acme Trust' })
    expect((await call('GET', '/api/settings/sealing')).body.fingerprint).toBe(replaced.body.fingerprint)

    // The next document is sealed with the new certificate; the one before still verifies as ours.
    const after = await completeOne()
    const report = await verified(after)
    expect(report).toMatchObject({ sealedByUs: true, unchanged: true })
    expect(report.signatures[0]?.signer).toContain('Acme Trust')
    expect(await verified(before)).toMatchObject({ sealedByUs: true, unchanged: true })
    const audit = await db.selectFrom('audit_log').select('action').where('target', '=', 'settings:sealing').execute()
    expect(audit.map((a) => a.action)).toEqual(['settings.sealingReplaced'])
  }, 60_000)
})

describeEachDatabase('reusing a template and confirming with a code', (getDb) => {
  let db: Kysely<Database>
  let world: Awaited<ReturnType<typeof signingWorld>>
  const call = (method: string, url: string, body?: unknown) => world.call(method, url, body)
  const drain = () => world.drain()

  beforeAll(async () => {
    db = getDb()
    world = await signingWorld(db)
  }, 60_000)
  afterAll(async () => {
    await world.catcher.close()
  })

  it('offers "Use this template" on another deal, copying all but the client, and sends it at once', async () => {
    expect((await call('GET', '/api/elements/director-then-client:deal-7/signing/reuse?type=invoice')).status).toBe(404)
    const first = await call('POST', '/api/elements/invoice-signing:deal-1/signing', {
      template: 'tpl-invoice',
      companySigner: 'Anna Kowalska',
      channel: 'sms',
      signingOrder: 'parallel',
      fields: { 'Delivery terms': 'DAP Iğdır' },
    })
    expect(first.status).toBe(201)
    // The deal it was sent from is not offered its own document.
    expect((await call('GET', '/api/elements/invoice-signing:deal-1/signing/reuse?type=invoice')).status).toBe(404)
    const offer = await call('GET', '/api/elements/director-then-client:deal-7/signing/reuse?type=invoice')
    expect(offer.status).toBe(200)
    expect(offer.body).toMatchObject({
      document: { id: first.body.documentId, elementId: 'invoice-signing:deal-1', type: 'invoice' },
      template: 'tpl-invoice',
      companySigner: 'anna@signflow.test',
      channel: 'sms',
      signingOrder: 'parallel',
      fields: { 'Delivery terms': 'DAP Iğdır' },
      client: { name: 'İğdır Şirketi', phone: '+90 555 000 00 00' },
    })
    const reused = await call('POST', '/api/elements/director-then-client:deal-7/signing', {
      reuse: offer.body.document.id,
    })
    expect(reused.status).toBe(201)
    await drain()
    // Parallel, by SMS: the new client (from deal 7) got their link at once, the director theirs by email.
    const texts = await db.selectFrom('messages').selectAll().where('to_address', '=', '+90 555 000 00 00').execute()
    expect(texts.map((t) => t.body).join('\n')).toContain(reused.body.clientSigningLink)
    const doc = await db
      .selectFrom('documents')
      .selectAll()
      .where('id', '=', reused.body.documentId)
      .executeTakeFirstOrThrow()
    expect(doc).toMatchObject({ element_id: 'director-then-client:deal-7', template_id: 'tpl-invoice', status: 'sent' })
    const file = await db
      .selectFrom('files')
      .select('bytes')
      .where('id', '=', doc.original_file_id)
      .executeTakeFirstOrThrow()
    const text = poppler('pdftotext', new Uint8Array(file.bytes), 'reused.pdf')
    if (text !== undefined) {
      expect(text).toContain('Delivery terms: DAP Iğdır')
      expect(text).toContain('Annual service contract')
    }
    expect(
      (await call('POST', '/api/elements/director-then-client:deal-7/signing', { reuse: 'nope' })).body.error.path,
    ).toBe('/reuse')
    expect((await call('GET', '/api/elements/nope/signing/reuse')).status).toBe(404)
  })

  it('asks for a one-time code before signing when the signing says so, and counts wrong ones', async () => {
    const made = await call('POST', '/api/elements/large-deals-only:big/signing', {
      template: 'tpl-contract',
      companySigner: 'jean@signflow.test',
      channel: 'email',
      client: { name: 'Claire Martin', email: 'achats@sg.fr' },
      oneTimeCode: true,
    })
    expect(made.status).toBe(201)
    const jean = await invitationToken(db, made.body.documentId, 'company')
    expect((await call('GET', `/api/public/signing/${jean}`)).body).toMatchObject({
      oneTimeCode: true,
      codeSentTo: null,
    })
    expect(
      (await call('POST', `/api/public/signing/${jean}/consent`, { disclosureSha256: DISCLOSURE_SHA256 })).status,
    ).toBe(204)
    const typed = { signature: { method: 'typed', text: 'Jean Dupont' } }
    expect((await call('POST', `/api/public/signing/${jean}/sign`, typed)).body.error.code).toBe('code-required')
    expect((await call('POST', `/api/public/signing/${jean}/code`)).status).toBe(204)
    expect((await call('POST', `/api/public/signing/${jean}/code`)).body.error.code).toBe('too-soon')
    await drain()
    const [mail] = await db.selectFrom('messages').selectAll().where('subject', 'like', 'Your code to sign%').execute()
    expect(mail?.to_address).toBe('jean@signflow.test')
    const code = /: (\d{6})\./.exec(mail?.body ?? '')?.[1] ?? ''
    expect(code).toMatch(/^\d{6}$/)
    const wrong = String((Number(code) + 1) % 1_000_000).padStart(6, '0')
    const refused = await call('POST', `/api/public/signing/${jean}/sign`, { ...typed, code: wrong })
    expect(refused.status).toBe(422)
    expect(refused.body.error).toMatchObject({ path: '/code', message: expect.stringMatching(/wrong/) })
    expect((await call('GET', `/api/public/signing/${jean}`)).body.codeSentTo).toBe('your email')
    const signed = await call('POST', `/api/public/signing/${jean}/sign`, { ...typed, code })
    expect(signed.status).toBe(200)
    const events = await db
      .selectFrom('document_events')
      .select('type')
      .where('document_id', '=', made.body.documentId)
      .execute()
    expect(events.map((e) => e.type)).toEqual(expect.arrayContaining(['codeSent', 'codeConfirmed', 'signed']))
    // A signing without codes has none to send.
    const plain = await call('POST', '/api/elements/large-deals-only:small/signing', {
      template: 'tpl-offer',
      companySigner: 'u-anna',
      channel: 'email',
      client: { email: 'x@client.test' },
    })
    expect(
      (await call('POST', `/api/public/signing/${await invitationToken(db, plain.body.documentId, 'company')}/code`))
        .status,
    ).toBe(409)
    expect((await call('POST', `/api/public/signing/${'C'.repeat(32)}/code`)).status).toBe(404)
  })
})

describeEachDatabase('signing under pressure', (getDb) => {
  let db: Kysely<Database>
  let world: Awaited<ReturnType<typeof signingWorld>>
  let app: ReturnType<typeof createApp>
  let runtime: Runtime
  /** How far the outbox's clock runs ahead of the real one (to reach deadlines). */
  let ahead = 0
  const now = () => Date.now() + ahead
  const call = (method: string, url: string, body?: unknown) => world.call(method, url, body)
  const drain = () => world.drain()
  const consentAndSign = (token: string, text: string) => agreeAndSign(world.call, token, text)

  beforeAll(async () => {
    db = getDb()
    world = await signingWorld(db, { now })
    app = world.app
    runtime = world.runtime
  }, 60_000)
  afterAll(async () => {
    await world.catcher.close()
  })

  it("gives later rules the client's link as a marker: the text message carries a fresh link, the deal keeps none", async () => {
    const flow = (await call('GET', '/api/flows/invoice-signing')).body as { draft: Graph }
    const graph = structuredClone(flow.draft)
    const invoice = graph.pipeline.stages.find((s) => s.id === 'invoice') as (typeof graph.pipeline.stages)[number]
    invoice.rules.push({
      id: 'text-link',
      type: 'sendSms',
      title: 'Text the client their link',
      execution: 'afterPrevious',
      time: { mode: 'immediately' },
      settings: {
        to: { kind: 'field', path: 'client.phone' },
        text: {
          kind: 'template',
          parts: ['Sign here: ', { kind: 'output', node: 'send-invoice', output: 'clientSigningLink' }],
        },
      },
    } as unknown as (typeof invoice.rules)[number])
    expect((await call('POST', '/api/flows/invoice-signing/versions', { graph })).status).toBe(201)
    await runtime.moveElement(DEAL, 'invoice', { kind: 'user', id: 'u-anna' })
    await drain()
    const [sms] = await db.selectFrom('messages').selectAll().where('to_address', '=', '+48 600 100 200').execute()
    const token = /https:\/\/sign\.example\.com\/s\/([A-Za-z0-9_-]{32})/.exec(sms?.body ?? '')?.[1] ?? ''
    expect(token).not.toBe('')
    expect((await call('GET', `/api/public/signing/${token}`)).body.party.role).toBe('client')
    // Nothing readable on the deal holds a working link.
    const element = await db.selectFrom('elements').selectAll().where('id', '=', DEAL).executeTakeFirstOrThrow()
    const history = await db.selectFrom('history').select('record').where('element_id', '=', DEAL).execute()
    const visible = JSON.stringify([element, history])
    expect(visible).toContain('signflow-signing-link:')
    expect(visible).not.toMatch(/\/s\/[A-Za-z0-9_-]{20,}/)
    // An employee who is not an admin sees the messages with the links and codes hidden.
    expect(maskSecrets(sms?.body ?? '')).toBe('Sign here: https://sign.example.com/s/••••••')
    expect(maskSecrets('Your code to sign Invoice INV-2026-0001: 123456. It works for 10 minutes.')).toBe(
      'Your code to sign Invoice INV-2026-0001: ••••••. It works for 10 minutes.',
    )
    // In every language the codes are written in.
    for (const language of LANGUAGES) {
      const text = signerWords(language).code.text('Umowa CTR-2026-0001', '654321', 10)
      expect(text, language).toContain('654321')
      expect(maskSecrets(text), language).not.toContain('654321')
    }
  })

  it('completes once when both sign at the same moment, and refuses a decline after it', async () => {
    const sent = await call('POST', '/api/elements/director-then-client:deal-7/signing', {
      template: 'tpl-contract',
      companySigner: 'u-anna',
      channel: 'email',
      signingOrder: 'parallel',
    })
    const company = await invitationToken(db, sent.body.documentId, 'company')
    const client = await invitationToken(db, sent.body.documentId, 'client')
    for (const token of [company, client]) {
      expect(
        (await call('POST', `/api/public/signing/${token}/consent`, { disclosureSha256: DISCLOSURE_SHA256 })).status,
      ).toBe(204)
    }
    const both = await Promise.all(
      [company, client].map((token) =>
        call('POST', `/api/public/signing/${token}/sign`, { signature: { method: 'typed', text: 'At once' } }),
      ),
    )
    expect(both.map((r) => r.status)).toEqual([200, 200])
    expect(both.map((r) => r.body.completed).sort()).toEqual([false, true])
    const doc = await db
      .selectFrom('documents')
      .selectAll()
      .where('id', '=', sent.body.documentId)
      .executeTakeFirstOrThrow()
    expect(doc.status).toBe('signed')
    expect(doc.signed_file_id).not.toBeNull()
    const completed = await db
      .selectFrom('document_events')
      .select('type')
      .where('document_id', '=', doc.id)
      .where('type', '=', 'completed')
      .execute()
    expect(completed).toHaveLength(1)
    expect((await call('POST', `/api/public/signing/${client}/decline`, { reason: 'changed my mind' })).status).toBe(
      409,
    )
  })

  it('invites a client who looked early when their turn comes; the deadline expires the signing once', async () => {
    const sent = await call('POST', '/api/elements/director-then-client:deal-7/signing', {
      template: 'tpl-offer',
      companySigner: 'jean@signflow.test',
      channel: 'email',
      client: { name: 'Early Bird', email: 'early@client.test' },
    })
    const client = sent.body.clientSigningLink.split('/').pop() as string
    expect((await call('GET', `/api/public/signing/${client}`)).body).toMatchObject({
      party: { status: 'waiting' },
      canSign: false,
    })
    const company = await invitationToken(db, sent.body.documentId, 'company')
    expect((await consentAndSign(company, 'Jean Dupont')).status).toBe(200)
    await drain()
    const mails = await db
      .selectFrom('messages')
      .select('subject')
      .where('to_address', '=', 'early@client.test')
      .execute()
    expect(mails.map((m) => m.subject)).toContain(
      'Please sign Commercial offer ' +
        sent.body.documentNumber +
        ' from Signflow Demo spółka z ograniczoną odpowiedzialnością',
    )

    // Another signing, left alone past its deadline (14 days): both parties expire, the flow hears it once.
    const late = await call('POST', '/api/elements/director-then-client:deal-7/signing', {
      template: 'tpl-offer',
      companySigner: 'u-anna',
      channel: 'email',
      signingOrder: 'parallel',
    })
    ahead = 15 * 86_400_000
    await drain()
    const parties = await db
      .selectFrom('signing_parties')
      .select('status')
      .where('document_id', '=', late.body.documentId)
      .execute()
    expect(parties.map((p) => p.status)).toEqual(['expired', 'expired'])
    // One "expired" per document, not per party: this one, and the early bird's (the client never signed).
    const events = await db
      .selectFrom('document_events')
      .select('type')
      .where('document_id', '=', late.body.documentId)
      .where('type', '=', 'expired')
      .execute()
    expect(events).toHaveLength(1)
    const heard = await db
      .selectFrom('history')
      .select('record')
      .where('element_id', '=', 'director-then-client:deal-7')
      .where('type', '=', 'event.received')
      .execute()
    expect(heard.filter((h) => h.record.includes('signingExpired'))).toHaveLength(2)
    ahead = 0
  })

  it("asks the client for their template's fields, refusing to sign without the required one, and puts them on the PDF", async () => {
    const doc = await PDFDocument.create()
    doc.addPage([595.28, 841.89])
    const upload = await app.request('/api/files?name=Zamowienie.pdf', {
      method: 'POST',
      headers: { 'content-type': 'application/pdf' },
      body: Buffer.from(await doc.save()),
    })
    const fileId = ((await upload.json()) as { id: string }).id
    const template = await call('POST', '/api/templates', {
      name: 'Zamówienie',
      type: 'other',
      fileId,
      fields: [
        { id: 'who', kind: 'text', page: 1, x: 60, y: 60, width: 300, height: 20, bind: 'client.name' },
        {
          id: 'delivery-address',
          kind: 'clientText',
          party: 'client',
          page: 1,
          x: 60,
          y: 200,
          width: 400,
          height: 24,
          label: 'Delivery address',
          required: true,
        },
        { id: 'client-sign', kind: 'signature', party: 'client', page: 1, x: 60, y: 600, width: 200, height: 60 },
        { id: 'client-initials', kind: 'initials', party: 'client', page: 1, x: 300, y: 600, width: 60, height: 30 },
        { id: 'company-sign', kind: 'signature', party: 'company', page: 1, x: 320, y: 700, width: 200, height: 60 },
      ],
    })
    expect(template.status).toBe(201)
    const sent = await call('POST', '/api/elements/director-then-client:deal-7/signing', {
      template: template.body.id,
      companySigner: 'u-anna',
      channel: 'email',
      signingOrder: 'clientFirst',
    })
    expect(sent.status).toBe(201)
    const client = sent.body.clientSigningLink.split('/').pop() as string
    const page = await call('GET', `/api/public/signing/${client}`)
    expect(page.body.fields).toEqual([{ id: 'delivery-address', label: 'Delivery address', required: true }])
    expect(
      (await call('POST', `/api/public/signing/${client}/consent`, { disclosureSha256: DISCLOSURE_SHA256 })).status,
    ).toBe(204)
    const empty = await call('POST', `/api/public/signing/${client}/sign`, {
      signature: { method: 'typed', text: 'Mehmet Öztürk' },
      fields: { 'delivery-address': '  ' },
    })
    expect(empty.status).toBe(422)
    expect(empty.body.error).toMatchObject({
      path: '/fields/delivery-address',
      message: 'Fill in "Delivery address" before signing.',
    })
    const signed = await call('POST', `/api/public/signing/${client}/sign`, {
      signature: { method: 'typed', text: 'Mehmet Öztürk' },
      fields: { 'delivery-address': 'Kazım Karabekir Cd. 5, Iğdır' },
    })
    expect(signed.status).toBe(200)
    const company = await invitationToken(db, sent.body.documentId, 'company')
    expect((await consentAndSign(company, 'Anna Kowalska')).body).toEqual({ completed: true })
    const row = await db
      .selectFrom('documents')
      .select('signed_file_id')
      .where('id', '=', sent.body.documentId)
      .executeTakeFirstOrThrow()
    const file = await db
      .selectFrom('files')
      .select('bytes')
      .where('id', '=', row.signed_file_id ?? '')
      .executeTakeFirstOrThrow()
    const text = poppler('pdftotext', new Uint8Array(file.bytes), 'fields.pdf')
    if (text !== undefined) {
      for (const words of ['İğdır Şirketi', 'Kazım Karabekir Cd. 5, Iğdır', 'Mehmet Öztürk', 'Anna Kowalska', 'İŞ'])
        expect(text).toContain(words)
    }
  })

  it('reminds every day for a two-day signing, and not after its deadline', async () => {
    const before = Date.now()
    const sent = await call('POST', '/api/elements/director-then-client:deal-7/signing', {
      template: 'tpl-offer',
      companySigner: 'u-anna',
      channel: 'email',
      signingOrder: 'parallel',
      remindEveryDays: 1,
      expiresInDays: 2,
    })
    expect(sent.status).toBe(201)
    const parties = await db
      .selectFrom('signing_parties')
      .select(['id', 'expires_at'])
      .where('document_id', '=', sent.body.documentId)
      .execute()
    for (const party of parties) {
      const expires = Date.parse(party.expires_at) - before
      expect(expires).toBeGreaterThanOrEqual(2 * 86_400_000)
      expect(expires).toBeLessThan(2 * 86_400_000 + 60_000)
      const reminders = await db
        .selectFrom('outbox')
        .select(['effect_id', 'next_attempt_at'])
        .where('effect_id', 'like', `sign:${party.id}:remind:%`)
        .execute()
      // One reminder a day before the deadline: day 1 only (day 2 is the deadline itself).
      expect(reminders.map((r) => r.effect_id)).toEqual([`sign:${party.id}:remind:1`])
      expect(Number(reminders[0]?.next_attempt_at) - before).toBeGreaterThanOrEqual(86_400_000)
    }
  })

  it('refuses an analyst as the company signer, an unknown template, and a giant drawing', async () => {
    const analyst = await call('POST', '/api/elements/director-then-client:deal-7/signing', {
      template: 'tpl-offer',
      companySigner: 'director@signflow.test',
      channel: 'email',
    })
    expect(analyst.status).toBe(422)
    expect(analyst.body.error).toMatchObject({
      path: '/companySigner',
      message: expect.stringMatching(/only admins and sales/),
    })
    const unknown = await call('POST', '/api/elements/director-then-client:deal-7/signing', {
      template: 'tpl-nope',
      companySigner: 'u-anna',
      channel: 'email',
    })
    expect(unknown.status).toBe(422)
    expect(unknown.body.error.path).toBe('/template')
    const sent = await call('POST', '/api/elements/director-then-client:deal-7/signing', {
      template: 'tpl-offer',
      companySigner: 'u-anna',
      channel: 'email',
    })
    const company = await invitationToken(db, sent.body.documentId, 'company')
    expect(
      (await call('POST', `/api/public/signing/${company}/consent`, { disclosureSha256: DISCLOSURE_SHA256 })).status,
    ).toBe(204)
    // A real PNG header claiming 50 000 × 50 000 pixels.
    const png = Buffer.from(demoSignaturePng())
    png.writeUInt32BE(50_000, 16)
    png.writeUInt32BE(50_000, 20)
    const giant = await call('POST', `/api/public/signing/${company}/sign`, {
      signature: { method: 'drawn', png: `data:image/png;base64,${png.toString('base64')}` },
    })
    expect(giant.status).toBe(422)
    expect(giant.body.error.message).toMatch(/50000 × 50000 pixels/)
  })
})

describe('every signing operation', () => {
  it('was answered above with success and with a refusal', () => {
    expectEachAnswered([...Object.values(SIGNING_OPERATIONS), SEALING_OPERATIONS.replaceSealingCertificate])
  })
})

describeEachDatabase('signing in the client’s language', (getDb) => {
  let db: Kysely<Database>
  let world: Awaited<ReturnType<typeof signingWorld>>
  const call = (method: string, url: string, body?: unknown) => world.call(method, url, body)
  const drain = () => world.drain()
  const mailTo = async (to: string) =>
    db.selectFrom('messages').selectAll().where('to_address', '=', to).orderBy('id').execute()
  const tokenIn = (body: string) => /https:\/\/sign\.example\.com\/s\/([A-Za-z0-9_-]+)/.exec(body)?.[1] ?? ''
  const signedText = async (documentId: string, name: string) => {
    const row = await db.selectFrom('documents').selectAll().where('id', '=', documentId).executeTakeFirstOrThrow()
    expect(row.status).toBe('signed')
    const file = await db
      .selectFrom('files')
      .select('bytes')
      .where('id', '=', row.signed_file_id ?? '')
      .executeTakeFirstOrThrow()
    return { row, text: poppler('pdftotext', new Uint8Array(file.bytes), name) }
  }

  beforeAll(async () => {
    db = getDb()
    world = await signingWorld(db, { seal: true })
  }, 60_000)
  afterAll(async () => {
    await world.catcher.close()
  })

  it('a Polish client signs a Polish contract: Polish email, notice, page data, PDF and certificate', async () => {
    expect(
      (
        await call('POST', '/api/contacts', {
          id: 'p-ola',
          name: 'Aleksandra Żółkiewska',
          email: 'ola@zolc.pl',
          language: 'pl',
        })
      ).status,
    ).toBe(201)
    const made = await call('POST', '/api/elements', {
      id: 'umowa',
      pipelineId: 'invoice-signing',
      type: 'deal',
      title: 'Dostawa mebli biurowych',
      responsible: 'u-anna',
      contactId: 'p-ola',
      fields: { amount: 12345.67, currency: 'PLN' },
    })
    expect(made.status, JSON.stringify(made.body)).toBe(201)
    const sent = await call('POST', '/api/elements/umowa/signing', {
      template: 'tpl-contract',
      companySigner: 'u-anna',
      channel: 'email',
      signingOrder: 'clientFirst',
    })
    expect(sent.status, JSON.stringify(sent.body)).toBe(201)
    expect(sent.body.documentNumber).toMatch(/^CTR-\d{4}-\d{4}$/) // numbers stay as they are
    const title = `Umowa ${sent.body.documentNumber}`
    await drain()

    // The invitation speaks Polish; the document is called what a Pole calls it.
    const [invite] = await mailTo('ola@zolc.pl')
    expect(invite?.subject).toBe(`Prośba o podpisanie: ${title} – ${LEGAL_NAME}`)
    expect(invite?.body).toContain(`${LEGAL_NAME} prosi o podpisanie dokumentu ${title}.`)
    expect(invite?.body).toMatch(/Link jest osobisty; działa do \d{1,2} [a-ząćęłńóśźż]+ \d{4}/)
    const ola = tokenIn(invite?.body ?? '')

    // The page's data: Polish, with the Polish notice (its own hash; the English one's is unchanged).
    const page = await call('GET', `/api/public/signing/${ola}`)
    expect(page.status).toBe(200)
    expect(page.body).toMatchObject({
      language: 'pl',
      partyLanguage: 'pl',
      party: { role: 'client', name: 'Aleksandra Żółkiewska', channel: 'email' },
      document: { title },
      disclosure: { language: 'pl', sha256: DISCLOSURES.pl.sha256 },
      canSign: true,
    })
    expect(page.body.disclosure.text).toMatch(/zwykły podpis elektroniczny[\s\S]*eIDAS[\s\S]*kwalifikowany/)
    expect(DISCLOSURES.pl.sha256).not.toBe(DISCLOSURE_SHA256)
    expect(DISCLOSURE_SHA256).toBe('4714c2344a7774f721a1cb50b91638100aeee7d8e278d4b3862da6283a4dfbb2')
    // The page may ask for another language: the texts follow, the signer's own stays known.
    const inEnglish = await call('GET', `/api/public/signing/${ola}?language=en`)
    expect(inEnglish.body).toMatchObject({
      language: 'en',
      partyLanguage: 'pl',
      disclosure: { sha256: DISCLOSURE_SHA256 },
    })
    expect((await call('GET', `/api/public/signing/${ola}?language=xx`)).status).toBe(400)

    // Refusals are said in the signer's language, or the page's.
    const early = await call('POST', `/api/public/signing/${ola}/sign`, { signature: { method: 'typed', text: 'Ola' } })
    expect(early.body.error).toMatchObject({
      code: 'consent-required',
      message: 'Najpierw wyraź zgodę na podpis elektroniczny (informacja nad dokumentem).',
    })
    const german = await call('POST', `/api/public/signing/${ola}/sign?language=de`, {
      signature: { method: 'typed', text: 'Ola' },
    })
    expect(german.body.error.message).toMatch(/^Stimmen Sie zuerst/)
    const stale = await call('POST', `/api/public/signing/${ola}/consent`, { disclosureSha256: '0'.repeat(64) })
    expect(stale.status).toBe(422)
    expect(stale.body.error.message).toMatch(/^Zaakceptowana informacja nie jest aktualna/)
    const agreed = await call('POST', `/api/public/signing/${ola}/consent`, { disclosureSha256: DISCLOSURES.pl.sha256 })
    expect(agreed.status).toBe(204)
    expect(
      (await call('POST', `/api/public/signing/${ola}/sign`, { signature: { method: 'drawn', png: pngDataUrl() } }))
        .body,
    ).toEqual({ completed: false })
    const consent = await db
      .selectFrom('document_events')
      .select('detail')
      .where('document_id', '=', sent.body.documentId)
      .where('type', '=', 'consented')
      .executeTakeFirstOrThrow()
    expect(JSON.parse(consent.detail)).toEqual({ version: '2026-11-23', sha256: DISCLOSURES.pl.sha256, language: 'pl' })

    // Our signer is written to in our company's language (English), about the Polish document.
    await drain()
    const [toAnna] = (await mailTo('anna@signflow.test')).filter((m) => m.subject?.includes(title))
    expect(toAnna?.subject).toBe(`Please sign ${title} from ${LEGAL_NAME}`)
    const anna = tokenIn(toAnna?.body ?? '')
    expect((await call('GET', `/api/public/signing/${anna}`)).body).toMatchObject({
      language: 'en',
      partyLanguage: 'en',
    })
    expect((await agreeAndSign(call, anna, 'Anna Kowalska')).body).toEqual({ completed: true })

    // Everyone gets the signed PDF, each in their language.
    await drain()
    expect((await mailTo('ola@zolc.pl')).map((m) => m.subject)).toContain(`Podpisano: ${title}`)
    expect((await mailTo('anna@signflow.test')).map((m) => m.subject)).toContain(`Signed: ${title}`)
    const { text } = await signedText(sent.body.documentId, 'umowa.pdf')
    if (text === undefined) return
    // The contract in Polish: its words, its headings in capitals, amounts as Poles write them.
    for (const words of [
      title,
      'SPRZEDAWCA',
      'KUPUJĄCY',
      '1. Przedmiot umowy',
      'Razem netto',
      'W IMIENIU KUPUJĄCEGO',
    ]) {
      expect(text).toContain(words)
    }
    expect(text).toMatch(/12\s345,67\s?zł/u) // net
    expect(text).toMatch(/15\s185,17\s?zł/u) // gross: 23 % VAT
    expect(text).toMatch(/strona 1 z \d/)
    expect(text).not.toContain('Contract')
    // The certificate page in Polish, each signer's notice named with its language and hash.
    expect(text).toContain('Certyfikat ukończenia')
    expect(text).toContain('Klient: Aleksandra Żółkiewska') // signed first
    expect(text).toContain('Podpisujący w imieniu firmy: Anna Kowalska')
    expect(text).toContain('Zgoda na podpis elektroniczny')
    expect(text).toContain(DISCLOSURES.pl.sha256)
    expect(text).toContain(DISCLOSURE_SHA256)
    expect(text).toMatch(/język angielski/)
    expect(text).toMatch(/podpisano/)
    expect(text).not.toContain('Certificate of completion')
  }, 60_000)

  it('a Turkish client gets a Turkish invoice: dotted and dotless i survive in the PDF text', async () => {
    expect(
      (
        await call('POST', '/api/contacts', {
          id: 'p-isil',
          name: 'Işıl İnce',
          email: 'isil@igdir.com.tr',
          language: 'tr',
        })
      ).status,
    ).toBe(201)
    expect(
      (
        await call('POST', '/api/elements', {
          id: 'fatura',
          pipelineId: 'invoice-signing',
          type: 'deal',
          title: 'Iğdır şubesi için bilişim hizmeti',
          responsible: 'u-anna',
          contactId: 'p-isil',
          fields: { amount: 1000, currency: 'TRY' },
        })
      ).status,
    ).toBe(201)
    const sent = await call('POST', '/api/elements/fatura/signing', {
      template: 'tpl-invoice',
      companySigner: 'u-anna',
      channel: 'email',
      signingOrder: 'parallel',
    })
    expect(sent.status, JSON.stringify(sent.body)).toBe(201)
    const title = `Fatura ${sent.body.documentNumber}`
    await drain()
    const [invite] = await mailTo('isil@igdir.com.tr')
    expect(invite?.subject).toBe(`İmza talebi: ${title} (${LEGAL_NAME})`)
    expect(invite?.body).toContain('Merhaba Işıl İnce,')
    const isil = tokenIn(invite?.body ?? '')
    const page = await call('GET', `/api/public/signing/${isil}`)
    expect(page.body).toMatchObject({ language: 'tr', disclosure: { sha256: DISCLOSURES.tr.sha256 } })
    expect(page.body.disclosure.text).toMatch(/5070 sayılı Elektronik İmza Kanunu/)
    expect(
      (await call('POST', `/api/public/signing/${isil}/consent`, { disclosureSha256: DISCLOSURES.tr.sha256 })).status,
    ).toBe(204)
    expect(
      (await call('POST', `/api/public/signing/${isil}/sign`, { signature: { method: 'typed', text: 'Işıl İnce' } }))
        .status,
    ).toBe(200)
    const anna = (await mailTo('anna@signflow.test')).find((m) => m.subject?.includes(title))
    expect((await agreeAndSign(call, tokenIn(anna?.body ?? ''), 'Anna Kowalska')).body).toEqual({ completed: true })
    const { text } = await signedText(sent.body.documentId, 'fatura.pdf')
    if (text === undefined) return
    for (const words of [
      title,
      'Işıl İnce',
      'Iğdır şubesi için bilişim hizmeti',
      'DÜZENLEYEN',
      'TESLİM ALAN', // Turkish capitals: "i" is "İ"
      'Ödenecek tutar',
      'Tamamlanma sertifikası',
      'Şirket adına imzalayan: Anna Kowalska',
      'Müşteri: Işıl İnce',
      'imzalandı',
    ]) {
      expect(text).toContain(words)
    }
    expect(text).not.toContain('TESLIM')
    expect(text).toMatch(/₺1\.230,00/u) // 1000 + 23 % tax, as Turkish writes liras
  }, 60_000)
})
