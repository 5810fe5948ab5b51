/** The handlers of `files-spec.ts`: uploads for rules to use (email attachments), and their downloads. */
import type { Context } from 'hono'
import { writeAudit } from '../db/audit.js'
import { addFile, type FileInfo } from '../db/files.js'
import { actorOf } from './actor.js'
import { sniffImage } from './directory-api.js'
import { HttpError } from './errors.js'
import { type FileOperationId, type FileType, UPLOAD_OWNER } from './files-spec.js'
import type { Handler, Services } from './runtime-api.js'

type FileHandlers = { [K in FileOperationId]: Handler<K> }

const strictUtf8 = new TextDecoder('utf-8', { fatal: true })

/** Whether the bytes are what `declared` says: PDF, PNG and JPEG by their first bytes, text as UTF-8 without NUL. */
function fits(bytes: Uint8Array, declared: FileType): boolean {
  switch (declared) {
    case 'application/pdf':
      return bytes.length >= 5 && Buffer.from(bytes.subarray(0, 5)).toString('latin1') === '%PDF-'
    case 'image/png':
    case 'image/jpeg':
      return sniffImage(bytes) === declared
    case 'text/plain':
    case 'text/csv':
      try {
        return !strictUtf8.decode(bytes).includes('\u0000')
      } catch {
        return false
      }
  }
}

function declaredType(c: Context): FileType {
  return (c.req.header('content-type') ?? '').split(';')[0]?.trim().toLowerCase() as FileType
}

function fileView(file: FileInfo) {
  return {
    id: file.id,
    name: file.name ?? file.id,
    contentType: file.content_type,
    size: file.size,
    sha256: file.sha256,
    url: `/api/files/${file.id}`,
    createdAt: file.created_at,
  }
}

export function makeFileHandlers(services: Pick<Services, 'db'>): FileHandlers {
  const { db } = services
  return {
    uploadFile: async ({ c, query, body }) => {
      const contentType = declaredType(c)
      if (!fits(body, contentType)) {
        throw new HttpError(
          422,
          'invalid',
          contentType.startsWith('text/')
            ? 'The body is not UTF-8 text; send text as UTF-8, or the file with its own media type.'
            : `The body is not a ${contentType} file (its first bytes say otherwise); send the file with its own media type.`,
        )
      }
      const at = new Date().toISOString()
      const file = await db.transaction().execute(async (trx) => {
        const stored = await addFile(trx, {
          owner: UPLOAD_OWNER,
          kind: 'file',
          name: query.name,
          contentType,
          bytes: body,
          at,
        })
        await writeAudit(
          trx,
          actorOf(c),
          {
            action: 'file.uploaded',
            target: `file:${stored.id}`,
            detail: { name: query.name, size: stored.size, contentType },
          },
          at,
        )
        return stored
      })
      c.header('Location', `/api/files/${file.id}`)
      return c.json(fileView(file), 201)
    },

    getFile: async ({ c, params }) => {
      const file = await db
        .selectFrom('files')
        .selectAll()
        .where('id', '=', params.id ?? '')
        .where('owner', '=', UPLOAD_OWNER)
        .executeTakeFirst()
      if (!file) throw new HttpError(404, 'not-found', `No uploaded file "${params.id}".`)
      const bytes = new Uint8Array(file.bytes.byteLength)
      bytes.set(file.bytes)
      return c.body(bytes, 200, {
        'Content-Type': file.content_type,
        'Content-Disposition': `attachment; filename="${file.name ?? file.id}"`,
        'X-Content-Type-Options': 'nosniff',
        'Content-Security-Policy': "default-src 'none'; sandbox",
        ETag: `"${file.sha256}"`,
      })
    },
  }
}
