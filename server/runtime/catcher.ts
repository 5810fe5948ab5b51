/**
 * The demo's SMTP catcher: a real SMTP server (`smtp-server`) on loopback that keeps every
 * message it receives in the `messages` table, where the web app's Outbox shows them. Tests
 * point nodemailer at it, so what a rule sends really crosses SMTP.
 */
import { createHash } from 'node:crypto'
import type { AddressInfo } from 'node:net'
import type { Kysely } from 'kysely'
import { simpleParser } from 'mailparser'
import { SMTPServer } from 'smtp-server'
import type { Database } from '../db/schema.js'

export interface Catcher {
  /** `smtp://127.0.0.1:<port>` for nodemailer. */
  url: string
  close(): Promise<void>
}

/** The largest message the catcher takes (attachments included). */
const MAX_MESSAGE_BYTES = 25 * 1024 * 1024

/** `<effect-id@signflow>` → `effect-id`; other Message-IDs are kept whole. */
function effectOf(messageId: string | undefined): string | null {
  if (!messageId) return null
  const m = /^<?([^@>]+)@signflow>?$/.exec(messageId)
  return m?.[1] ?? messageId
}

export async function startCatcher(db: Kysely<Database>, port = 0): Promise<Catcher> {
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    size: MAX_MESSAGE_BYTES,
    logger: false,
    onData(stream, _session, callback) {
      simpleParser(stream)
        .then(async (mail) => {
          const to = Array.isArray(mail.to) ? mail.to.map((a) => a.text).join(', ') : (mail.to?.text ?? '')
          await db
            .insertInto('messages')
            .values({
              channel: 'email',
              to_address: to,
              subject: mail.subject ?? null,
              body: mail.text ?? (typeof mail.html === 'string' ? mail.html : ''),
              raw: JSON.stringify({
                messageId: mail.messageId ?? null,
                from: mail.from?.text ?? null,
                attachments: mail.attachments.map((a) => ({
                  filename: a.filename ?? null,
                  size: a.size,
                  contentType: a.contentType,
                  sha256: createHash('sha256').update(a.content).digest('hex'),
                })),
              }),
              received_at: new Date().toISOString(),
              effect_id: effectOf(mail.messageId),
            })
            // The same Message-ID again: a re-sent copy, kept once.
            .onConflict((oc) => oc.column('effect_id').doNothing())
            .execute()
          callback()
        })
        .catch((error: Error) => callback(error))
    },
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(port, '127.0.0.1', () => resolve())
  })
  const address = server.server.address() as AddressInfo
  return {
    url: `smtp://127.0.0.1:${address.port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  }
}
