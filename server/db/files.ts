/**
 * Stored files (the `files` table): bytes owned by a row, such as a company of ours' stamp image
 * (owner "myCompany:<id>", kind "stamp"). Functions take the database or a transaction first, so a
 * file changes in the same transaction as its owner and the audit row.
 */
import { createHash, randomUUID } from 'node:crypto'
import type { FileRow } from './schema.js'
import type { Executor } from './shapes.js'

/** A file without its bytes. */
export type FileInfo = Omit<FileRow, 'bytes'>

export interface NewFile {
  owner: string
  kind: string
  name?: string | null
  contentType: string
  bytes: Uint8Array
  at: string
}

const INFO_COLUMNS = ['id', 'owner', 'kind', 'name', 'content_type', 'size', 'sha256', 'created_at'] as const

/** Stores one more file of the owner and kind. */
export async function addFile(db: Executor, file: NewFile): Promise<FileInfo> {
  const bytes = Buffer.from(file.bytes.buffer, file.bytes.byteOffset, file.bytes.byteLength)
  const info: FileInfo = {
    id: randomUUID(),
    owner: file.owner,
    kind: file.kind,
    name: file.name ?? null,
    content_type: file.contentType,
    size: bytes.byteLength,
    sha256: createHash('sha256').update(bytes).digest('hex'),
    created_at: file.at,
  }
  await db
    .insertInto('files')
    .values({ ...info, bytes })
    .execute()
  return info
}

/** Stores the file as the only one of its owner and kind, removing those before. */
export async function replaceFile(db: Executor, file: NewFile): Promise<FileInfo> {
  await deleteFiles(db, file.owner, file.kind)
  return addFile(db, file)
}

/** The newest file of the owner and kind, with its bytes. */
export function readFile(db: Executor, owner: string, kind: string): Promise<FileRow | undefined> {
  return db
    .selectFrom('files')
    .selectAll()
    .where('owner', '=', owner)
    .where('kind', '=', kind)
    .orderBy('created_at', 'desc')
    .orderBy('id')
    .executeTakeFirst()
}

/** The files of these owners, without their bytes, oldest first. */
export async function fileInfos(db: Executor, owners: readonly string[]): Promise<FileInfo[]> {
  if (owners.length === 0) return []
  return db
    .selectFrom('files')
    .select(INFO_COLUMNS)
    .where('owner', 'in', owners)
    .orderBy('created_at')
    .orderBy('id')
    .execute()
}

/** Removes the files of the owner and kind; returns how many there were. */
export async function deleteFiles(db: Executor, owner: string, kind: string): Promise<number> {
  const result = await db.deleteFrom('files').where('owner', '=', owner).where('kind', '=', kind).executeTakeFirst()
  return Number(result.numDeletedRows)
}
