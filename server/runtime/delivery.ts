/**
 * How each kind of effect reaches the world: email through nodemailer to any SMTP server, SMS
 * through an HTTP adapter in a common provider's REST shape, notifications and tasks as rows
 * people see in the app. Email attachments are stored files (`files`), named by id in the rule. Documents are
 * generated, numbered and stored (`server/documents/store.ts`); their id, number, type, PDF file and public
 * link are the rule's outputs.
 */
import type { Kysely } from 'kysely'
import nodemailer from 'nodemailer'
import type { EffectRequest, Json } from '../../shared/engine/types.js'
import type { Database } from '../db/schema.js'
import { expandSigningLinks, sendForSigning } from '../documents/signing.js'
import { createDocument } from '../documents/store.js'
import type { Deliver } from './outbox.js'

export interface DeliveryOptions {
  db: Kysely<Database>
  /** `smtp://user:pass@host:port`; the demo points it at the embedded catcher. */
  smtpUrl: string
  /** The sender when a rule names none. */
  from: string
  /**
   * An SMS provider's "create message" endpoint (form-encoded `To`, `From`, `Body`, basic auth
   * in the URL, answers JSON with `sid`), the shape most providers share. Without it, SMS are
   * kept in the demo outbox (the `messages` table).
   */
  smsUrl?: string
  smsFrom?: string
  /** Where people reach the server, for the links in documents and messages. Default http://127.0.0.1:8080. */
  publicUrl?: string
  now?: () => number
}

export function createDelivery(options: DeliveryOptions): Deliver {
  const transport = nodemailer.createTransport(options.smtpUrl)
  const now = options.now ?? Date.now
  const { db } = options
  const publicUrl = options.publicUrl ?? 'http://127.0.0.1:8080'

  const email = async (
    to: string,
    subject: string,
    body: string,
    format: 'text' | 'html',
    effectId: string,
    from?: string,
    attachments: readonly string[] = [],
  ) => {
    if (to.trim() === '') throw new Error('no recipient: the email address is empty')
    const files = []
    for (const id of attachments) {
      const file = await db
        .selectFrom('files')
        .select(['name', 'content_type', 'bytes'])
        .where('id', '=', id)
        .executeTakeFirst()
      if (!file) throw new Error(`attachment "${id}" is not a stored file (upload it with POST /api/files)`)
      files.push({ filename: file.name ?? id, contentType: file.content_type, content: Buffer.from(file.bytes) })
    }
    const info = await transport.sendMail({
      from: from || options.from,
      to,
      subject,
      ...(format === 'html' ? { html: body } : { text: body }),
      ...(files.length > 0 ? { attachments: files } : {}),
      // The effect id is the idempotency key: a re-sent copy carries the same Message-ID.
      messageId: `<${effectId}@signflow>`,
    })
    return { messageId: String(info.messageId ?? '') }
  }

  const sms = async (to: string, text: string, effectId: string) => {
    if (to.trim() === '') throw new Error('no recipient: the phone number is empty')
    if (!options.smsUrl) {
      await db
        .insertInto('messages')
        .values({
          channel: 'sms',
          to_address: to,
          subject: null,
          body: text,
          raw: null,
          received_at: new Date(now()).toISOString(),
          effect_id: effectId,
        })
        // Delivered again after a crash: kept once.
        .onConflict((oc) => oc.column('effect_id').doNothing())
        .execute()
      return { messageId: `sms-${effectId}` }
    }
    const url = new URL(options.smsUrl)
    const auth = url.username
      ? `Basic ${btoa(`${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}`)}`
      : ''
    url.username = ''
    url.password = ''
    const response = await fetch(url, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        'idempotency-key': effectId,
        ...(auth ? { authorization: auth } : {}),
      },
      body: new URLSearchParams({ To: to, From: options.smsFrom ?? 'Signflow', Body: text }),
      signal: AbortSignal.timeout(10_000),
    })
    if (!response.ok) throw new Error(`the SMS provider answered ${response.status}`)
    const answer = (await response.json().catch(() => ({}))) as { sid?: string }
    return { messageId: String(answer.sid ?? '') }
  }

  return async (request: EffectRequest, effectId: string, elementId: string): Promise<Record<string, Json>> => {
    // "The client's signing link" a rule put in a message becomes a fresh personal link now.
    const links = (text: string) => expandSigningLinks(db, text, elementId, publicUrl, now())
    switch (request.kind) {
      case 'email':
        return email(
          request.to,
          await links(request.subject),
          await links(request.body),
          request.format,
          effectId,
          request.from,
          request.attachments,
        )
      case 'sms':
        return sms(request.to, await links(request.text), effectId)
      case 'documentLink':
        return request.channel === 'email'
          ? email(
              request.to,
              'Your document',
              await links(`${request.message ?? ''}\n\n${request.document}`.trim()),
              'text',
              effectId,
            )
          : sms(request.to, await links(`${request.message ?? ''} ${request.document}`.trim()), effectId)
      case 'notification': {
        const at = new Date(now()).toISOString()
        for (const user of request.to) {
          await db
            .insertInto('notifications')
            .values({ user_id: user, element_id: elementId, text: request.text, created_at: at })
            .execute()
        }
        return {}
      }
      case 'task': {
        const id = `task-${effectId}`
        await db
          .insertInto('tasks')
          .values({
            id,
            element_id: elementId,
            title: request.title,
            description: request.description ?? null,
            responsible: request.responsible,
            deadline: request.deadline ?? null,
            checklist: JSON.stringify(request.checklist),
            created_at: new Date(now()).toISOString(),
          })
          .onConflict((oc) => oc.column('id').doNothing())
          .execute()
        return { taskId: id }
      }
      case 'createDocument': {
        const made = await createDocument(db, {
          elementId,
          templateId: request.template,
          extraFields: request.fields,
          withSignatureAndStamp: request.withSignatureAndStamp,
          publicLink: request.publicLink,
          ...(request.myCompany?.company ? { myCompanyId: request.myCompany.company } : {}),
          effectId,
          actor: { id: 'engine' },
          publicUrl,
          now: now(),
        })
        return {
          documentId: made.id,
          documentNumber: made.number,
          documentType: made.type,
          pdf: made.pdfFileId,
          ...(made.publicLink ? { publicLink: made.publicLink } : {}),
        }
      }
      case 'sendForSigning': {
        const sent = await sendForSigning(db, {
          elementId,
          templateId: request.template,
          companySigner: request.companySigner,
          client: request.client,
          channel: request.channel,
          order: request.signingOrder,
          ...(request.oneTimeCode ? { oneTimeCode: true } : {}),
          ...(request.remindEveryDays !== undefined ? { remindEveryDays: request.remindEveryDays } : {}),
          ...(request.expiresInDays !== undefined ? { expiresInDays: request.expiresInDays } : {}),
          effectId,
          actor: { id: 'engine' },
          publicUrl,
          now: now(),
        })
        return { ...sent.outputs }
      }
    }
  }
}
