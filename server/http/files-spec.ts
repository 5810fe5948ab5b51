/**
 * Files people upload for the automation to use: attachments of "send email" rules (a file id in
 * the rule's attachments), and later templates' PDFs. The body of an upload is the file itself;
 * what it is comes from its bytes (PDF, PNG, JPEG) or, for text, from its being valid UTF-8.
 */
import Type from 'typebox'
import type { Operation } from './operation.js'

/** The largest file an upload may be. */
export const MAX_FILE_BYTES = 10 * 1024 * 1024
/** What an uploaded file may be. */
export const FILE_TYPES = ['application/pdf', 'image/png', 'image/jpeg', 'text/plain', 'text/csv'] as const
export type FileType = (typeof FILE_TYPES)[number]
/** Who owns uploaded files in the `files` table. */
export const UPLOAD_OWNER = 'upload'

const ref = (name: string) => Type.Unsafe<unknown>({ $ref: `#/components/schemas/${name}` })

export const fileResponseSchemas = {
  StoredFile: Type.Object({
    id: Type.String({ description: 'The file id: put it in a rule setting of type "file" (an email attachment)' }),
    name: Type.String({ description: 'The file name attachments carry' }),
    contentType: Type.String({ enum: [...FILE_TYPES] }),
    size: Type.Integer({ description: 'Bytes' }),
    sha256: Type.String({ description: 'SHA-256 of the bytes (hex)' }),
    url: Type.String({ description: 'Where to download it' }),
    createdAt: Type.String({ description: 'Uploaded (ISO 8601)' }),
  }),
} as const

export const FilesQuery = Type.Object(
  {
    name: Type.String({
      minLength: 1,
      maxLength: 200,
      pattern: '^[^/\\\\\\u0000-\\u001f"]+$',
      description: 'The file name, e.g. "price-list.pdf" (no slashes, quotes or control characters)',
    }),
  },
  { additionalProperties: false },
)

export const FILE_OPERATIONS = {
  uploadFile: {
    method: 'post',
    path: '/api/files',
    summary: 'Upload a file (PDF, PNG, JPEG, plain text or CSV) for rules to use',
    description:
      'The body is the file itself, not JSON, sent with its media type. What it is comes from its first bytes ' +
      '(a body that is not a PDF, PNG or JPEG is refused whatever its header says); text must be UTF-8.',
    query: FilesQuery,
    body: {
      raw: FILE_TYPES,
      maxBytes: MAX_FILE_BYTES,
      description: 'The file, at most 10 MB.',
    },
    responses: {
      '201': { description: 'Stored; its URL in Location.', schema: ref('StoredFile') },
      '422': { description: 'The bytes are not what the header says (code "invalid").' },
    },
  },
  getFile: {
    method: 'get',
    path: '/api/files/{id}',
    summary: 'Download an uploaded file',
    description:
      'Served as an attachment with its own media type, "X-Content-Type-Options: nosniff" and a sandboxing ' +
      'Content-Security-Policy, so that a browser never runs it.',
    params: { id: { description: 'The file id' } },
    responses: {
      '200': { description: 'The file, as uploaded.', media: FILE_TYPES },
      '404': { description: 'No uploaded file with that id (code "not-found").' },
    },
  },
} as const satisfies Record<string, Operation>

export type FileOperationId = keyof typeof FILE_OPERATIONS
