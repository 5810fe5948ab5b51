/**
 * Sealing finished documents with a PAdES digital signature (ETSI.CAdES.detached, made by @libpdf/core as
 * an incremental update, so earlier seals and signatures stay valid), and checking a PDF someone uploads
 * to the public verify page: is each signature intact, does it cover the whole file, and was it ours.
 * @libpdf/core 0.4.2 cannot verify, and its parser loops until the process runs out of memory on a
 * stray "{" in a dictionary, so {@link verifySeal}, which reads uploads from anyone, does not parse the
 * document with it: it finds the signature dictionaries in the bytes with a small bounded reader of its
 * own, and checks each CMS signature with pkijs over the bytes its /ByteRange names.
 */
import { createHash } from 'node:crypto'
import { HttpTimestampAuthority, PDF, PlaceholderError, SignatureError, TimestampError } from '@libpdf/core'
import * as asn1js from 'asn1js'
import * as pkijs from 'pkijs'
import {
  type CertificateSummary,
  certificateDer,
  describeCertificate,
  fingerprint,
  loadSealingIdentity,
  pki,
  SealError,
  type SealingIdentity,
  type SealingKey,
} from './certificate.js'

export { SealError } from './certificate.js'

export interface SealOptions {
  /** Why the document is sealed, shown by PDF readers ("Signed by all parties on Signflow"). */
  reason: string
  location?: string
  contactInfo?: string
  /** An RFC 3161 timestamp authority: the seal then carries a time a third party vouches for (PAdES B-T). */
  timestampUrl?: string
  /** The time the seal claims; now when not given. */
  signingTime?: Date
  /** The signature field's name; "Signature_N" when not given. */
  fieldName?: string
}

/** Files larger than this are not checked on the public verify page. */
export const MAX_VERIFY_BYTES = 50 * 1024 * 1024
/** Each signature hashes the file twice more: a crafted upload with thousands must not hold the server. */
const MAX_SIGNATURES = 30
/**
 * Room for the CMS signature beyond the certificates it carries: signed attributes and a signature value
 * (RSA 4096 included), and, with a timestamp authority, its token and certificate chain. The reserved
 * space is written as hex zeros, so every byte here costs two in the file; a signature that still does
 * not fit is made again with the room it asked for.
 */
const SIGNATURE_OVERHEAD = 2048
const TIMESTAMP_SPACE = 8192

/**
 * The document with a seal appended as an incremental update: every byte of `pdf` stays as it was, so a
 * signature already in it stays valid. Throws {@link SealError} for a file that is not a PDF, an identity
 * that cannot seal (wrong password, expired) or a timestamp authority that does not answer.
 */
export async function sealPdf(
  pdf: Uint8Array,
  identity: SealingIdentity | SealingKey,
  options: SealOptions,
): Promise<Uint8Array> {
  const key = 'signer' in identity ? identity : await loadSealingIdentity(identity.p12, identity.password)
  const signingTime = options.signingTime ?? new Date()
  if (key.certificate.notAfter.getTime() < signingTime.getTime())
    throw new SealError(
      'expired',
      `The sealing certificate expired on ${key.certificate.notAfter.toISOString().slice(0, 10)}: create a new one or upload a current .p12.`,
    )
  if (!looksLikePdf(pdf)) throw new SealError('not-pdf', 'This file is not a PDF.')
  const timestampAuthority = options.timestampUrl ? new HttpTimestampAuthority(options.timestampUrl) : undefined

  const certificates = [key.signer.certificate, ...(key.signer.certificateChain ?? [])]
  let space =
    SIGNATURE_OVERHEAD +
    certificates.reduce((sum, der) => sum + der.length, 0) +
    (timestampAuthority ? TIMESTAMP_SPACE : 0)
  for (let attempt = 0; ; attempt++) {
    let document: PDF
    try {
      document = await PDF.load(pdf)
    } catch (error) {
      throw new SealError('unreadable-pdf', `This PDF cannot be read, so it cannot be sealed: ${messageOf(error)}`)
    }
    try {
      const { bytes } = await document.sign({
        signer: key.signer,
        reason: readerText(options.reason),
        location: options.location === undefined ? undefined : readerText(options.location),
        contactInfo: options.contactInfo === undefined ? undefined : readerText(options.contactInfo),
        fieldName: options.fieldName,
        signingTime,
        subFilter: 'ETSI.CAdES.detached',
        timestampAuthority,
        estimatedSize: space,
      })
      return bytes
    } catch (error) {
      // A timestamp authority that sends its whole certificate chain can overflow the room we left.
      if (error instanceof PlaceholderError && attempt === 0) {
        space = error.requiredSize + 4096
        continue
      }
      if (error instanceof TimestampError)
        throw new SealError(
          'timestamp-failed',
          `The timestamp authority ${options.timestampUrl} did not give a timestamp: ${error.message}`,
        )
      if (error instanceof SignatureError && error.code === 'NO_PAGES')
        throw new SealError('unreadable-pdf', 'This PDF has no pages, so it cannot be sealed.')
      throw error
    }
  }
}

/**
 * @libpdf/core 0.4.2 escapes the reason, location and contact text twice, so a reader would show "\(" for
 * "(": brackets replace parentheses, a slash replaces a backslash, and line breaks become spaces.
 */
function readerText(text: string): string {
  return text
    .replace(/\r\n|\r|\n/g, ' ')
    .replace(/\(/g, '[')
    .replace(/\)/g, ']')
    .replace(/\\/g, '/')
}

/** Who made a signature, as its certificate says. */
export interface SignerSummary {
  commonName: string | null
  organization: string | null
  country: string | null
  /** SHA-256 of the signer's certificate. */
  fingerprint: string
  selfSigned: boolean
}

/**
 * Why a signature is not valid, as a stable code (the verify page says it in its reader's language; `problem`
 * stays the English words, for scripts). Its params: "format" for `not-detached` and `unsupported-format`,
 * "message" (the library's own words) for `not-verified`.
 */
export const SIGNATURE_PROBLEM_CODES = [
  'byte-range-malformed',
  'byte-range-outside',
  'gap-not-value',
  'not-cms',
  'not-detached',
  'unsupported-format',
  'unknown-digest',
  'changed',
  'bad-signature',
  'not-verified',
] as const
export type SignatureProblemCode = (typeof SIGNATURE_PROBLEM_CODES)[number]

/**
 * What a person should know first about a file, as a stable code. Its params: "size" (as "10 MB") for
 * `too-large`; "max" for `too-many-signatures`; "field", "reason" (a {@link SignatureProblemCode}) and that
 * reason's own params for `signature-invalid`; "who" for `not-ours`; "count" for `signatures-added` and
 * `bytes-added`.
 */
export const SEAL_PROBLEM_CODES = [
  'unreadable',
  'empty',
  'too-large',
  'not-pdf',
  'signature-unreadable',
  'no-signature',
  'too-many-signatures',
  'signature-invalid',
  'not-ours',
  'not-ours-unnamed',
  'signatures-added',
  'bytes-added',
] as const
export type SealProblemCode = (typeof SEAL_PROBLEM_CODES)[number]

/** The values a problem's words are made with (names, counts, formats). */
export type ProblemParams = Readonly<Record<string, string | number>>

/** What the verify page says about one signature in the file, oldest first. */
export interface SignatureCheck {
  /** The signature field's name, as readers list it. */
  field: string
  /** A signature, or a document timestamp (a TSA's signature over the file, /SubFilter ETSI.RFC3161). */
  kind: 'signature' | 'document-timestamp'
  /** The /SubFilter: ETSI.CAdES.detached, adbe.pkcs7.detached, ETSI.RFC3161, … */
  format: string
  /** The signature is cryptographically sound and the bytes it covers are the ones that were signed. */
  valid: boolean
  /** The signature covers the whole file (apart from its own value): nothing was added after it. */
  coversWholeFile: boolean
  /** How many bytes the file has after the part this signature covers (another signature, or a change). */
  bytesAfter: number
  signer: SignerSummary | null
  /** The time the signer's computer claimed (the signed signing-time attribute, else the dictionary's /M). */
  signingTime: Date | null
  /** An RFC 3161 timestamp inside the signature: the time a timestamp authority vouches for. */
  timestamp: { time: Date; valid: boolean; authority: string | null } | null
  reason: string | null
  location: string | null
  /** The signer's certificate is one of the trusted ones given to {@link verifySeal}. */
  trusted: boolean
  /** Why `valid` is false, in words (English). */
  problem?: string
  /** Why `valid` is false, as a code, and the values its words are made with. */
  problemCode?: SignatureProblemCode
  params?: ProblemParams
}

export interface SealReport {
  /** A valid signature made with one of the trusted certificates is in the file. */
  sealedByUs: boolean
  /** The file is byte for byte what our newest valid seal covers (or, not sealed by us, the newest signature). */
  unchanged: boolean
  signatures: SignatureCheck[]
  /** What a person should know first, when anything is wrong (English). */
  problem?: string
  /** The same as a code, and the values its words are made with. */
  problemCode?: SealProblemCode
  params?: ProblemParams
}

/** A certificate we seal with: DER bytes, PEM text, a certificate summary, or an identity (opened or stored). */
export type TrustedCertificate = Uint8Array | string | CertificateSummary | SealingKey | SealingIdentity

/**
 * Checks every signature in an uploaded PDF for the public verify page. Never throws for a bad upload
 * (not a PDF, damaged, empty, too large): the report's `problem` says what is wrong. Throws {@link SealError}
 * only when a `trusted` entry is not a certificate, which is the server's configuration, not the upload.
 */
export async function verifySeal(
  pdf: Uint8Array,
  trusted: readonly TrustedCertificate[],
  options: { maxBytes?: number } = {},
): Promise<SealReport> {
  const trustedFingerprints = new Set<string>()
  for (const entry of trusted) for (const der of await trustedDers(entry)) trustedFingerprints.add(fingerprint(der))

  try {
    return await inspect(pdf, trustedFingerprints, options.maxBytes ?? MAX_VERIFY_BYTES)
  } catch {
    // A bug of ours or of a library on a file nobody foresaw: the visitor still gets an answer, not a stack.
    return unreadable(
      'unreadable',
      'This PDF could not be checked: it is damaged or built in a way this check does not read.',
    )
  }
}

const unreadable = (problemCode: SealProblemCode, problem: string, params: ProblemParams = {}): SealReport => ({
  sealedByUs: false,
  unchanged: false,
  signatures: [],
  problem,
  problemCode,
  params,
})

async function inspect(pdf: Uint8Array, trustedFingerprints: Set<string>, maxBytes: number): Promise<SealReport> {
  if (pdf.length === 0) return unreadable('empty', 'The file is empty.')
  if (pdf.length > maxBytes)
    return unreadable('too-large', `The file is larger than ${size(maxBytes)}, the most this check reads.`, {
      size: size(maxBytes),
    })
  if (!looksLikePdf(pdf)) return unreadable('not-pdf', 'This file is not a PDF.')

  const found = findSignatures(pdf)
  if (found.length === 0)
    return Buffer.from(pdf.buffer, pdf.byteOffset, pdf.length).includes('/ByteRange')
      ? unreadable(
          'signature-unreadable',
          'This PDF mentions a signature, but its signature cannot be read: the file may be damaged or cut short.',
        )
      : unreadable('no-signature', 'This PDF has no seal: it holds no digital signature.')
  if (found.length > MAX_SIGNATURES)
    return unreadable(
      'too-many-signatures',
      `This PDF has more than ${MAX_SIGNATURES} signatures, the most this check reads.`,
      { max: MAX_SIGNATURES },
    )

  const signatures: SignatureCheck[] = []
  const ends: number[] = []
  for (const signature of found) {
    const { check, end } = await checkSignature(pdf, signature, trustedFingerprints)
    signatures.push(check)
    ends.push(end)
  }
  // Oldest first: a later signature's byte range contains the earlier ones.
  const order = signatures.map((_, i) => i).sort((a, b) => (ends[a] ?? 0) - (ends[b] ?? 0))
  const sorted = order.flatMap((i) => signatures[i] ?? [])

  const ours = sorted.filter((s) => s.valid && s.trusted)
  const newestOurs = ours.at(-1)
  const newest = sorted.at(-1)
  const sealedByUs = newestOurs !== undefined
  const unchanged = newestOurs ? newestOurs.coversWholeFile : newest?.valid === true && newest.coversWholeFile
  return { sealedByUs, unchanged, signatures: sorted, ...overallProblem(sorted, newestOurs) }
}

function overallProblem(
  signatures: SignatureCheck[],
  newestOurs: SignatureCheck | undefined,
): Pick<SealReport, 'problem' | 'problemCode' | 'params'> {
  const found = (problemCode: SealProblemCode, problem: string, params: ProblemParams = {}) => ({
    problem,
    problemCode,
    params,
  })
  const broken = signatures.find((s) => !s.valid)
  if (broken)
    return found(
      'signature-invalid',
      `The signature "${broken.field}" is not valid: ${broken.problem ?? 'it does not verify.'}`,
      // The reason's own params first: "field" and "reason" are this problem's.
      { ...broken.params, field: broken.field, reason: broken.problemCode ?? 'bad-signature' },
    )
  if (!newestOurs) {
    const names = signatures.map((s) => s.signer?.commonName ?? s.signer?.organization ?? '').filter((name) => name)
    const who = [...new Set(names)].join(', ')
    return who
      ? found('not-ours', `This PDF is signed by ${who}, but not sealed by us.`, { who })
      : found('not-ours-unnamed', 'This PDF is signed, but not sealed by us.')
  }
  if (!newestOurs.coversWholeFile) {
    const later = signatures.slice(signatures.indexOf(newestOurs) + 1)
    return later.length > 0
      ? found(
          'signatures-added',
          `The document was changed after we sealed it: ${later.length === 1 ? 'a signature was' : `${later.length} signatures were`} added later, and with ${later.length === 1 ? 'it' : 'them'} possibly other changes.`,
          { count: later.length },
        )
      : found(
          'bytes-added',
          `The document was changed after we sealed it: ${newestOurs.bytesAfter} bytes were added after our seal.`,
          { count: newestOurs.bytesAfter },
        )
  }
  return { problem: undefined }
}

async function trustedDers(entry: TrustedCertificate): Promise<Uint8Array[]> {
  if (entry instanceof Uint8Array) return [describeCertificate(entry).der]
  if (typeof entry === 'string') return [describeCertificate(entry).der]
  if ('der' in entry) return [entry.der]
  if ('signer' in entry) return [entry.certificate.der]
  return [(await loadSealingIdentity(entry.p12, entry.password)).certificate.der]
}

const OIDS = {
  signedData: '1.2.840.113549.1.7.2',
  tstInfo: '1.2.840.113549.1.9.16.1.4',
  messageDigest: '1.2.840.113549.1.9.4',
  signingTime: '1.2.840.113549.1.9.5',
  signatureTimestamp: '1.2.840.113549.1.9.16.2.14',
  commonName: '2.5.4.3',
} as const

const CHANGED =
  'the document was changed after it was signed: its bytes no longer match the signature (digest mismatch).'

const HASHES: Record<string, string> = {
  '1.3.14.3.2.26': 'sha1',
  '2.16.840.1.101.3.4.2.1': 'sha256',
  '2.16.840.1.101.3.4.2.2': 'sha384',
  '2.16.840.1.101.3.4.2.3': 'sha512',
}

async function checkSignature(
  pdf: Uint8Array,
  signature: FoundSignature,
  trusted: Set<string>,
): Promise<{ check: SignatureCheck; end: number }> {
  const format = signature.subFilter ?? 'unknown'
  const check: SignatureCheck = {
    field: signature.field,
    kind: format === 'ETSI.RFC3161' || signature.type === 'DocTimeStamp' ? 'document-timestamp' : 'signature',
    format,
    valid: false,
    coversWholeFile: false,
    bytesAfter: 0,
    signer: null,
    signingTime: parsePdfDate(signature.m),
    timestamp: null,
    reason: signature.reason,
    location: signature.location,
    trusted: false,
  }
  const fail = (problemCode: SignatureProblemCode, problem: string, end = 0, params: ProblemParams = {}) => ({
    check: { ...check, problem, problemCode, params },
    end,
  })
  const identify = (certificate: pkijs.Certificate | null) => {
    check.signer = certificate ? summarize(certificate) : null
    check.trusted = check.signer !== null && trusted.has(check.signer.fingerprint)
  }

  const range = signature.byteRange
  if (range?.length !== 4 || !range.every((n) => Number.isSafeInteger(n) && n >= 0))
    return fail('byte-range-malformed', 'its byte range is missing or malformed, so it does not say what it signs.')
  const [start1 = 0, length1 = 0, start2 = 0, length2 = 0] = range
  const end = start2 + length2
  if (start1 !== 0 || length1 >= start2 || end > pdf.length)
    return fail(
      'byte-range-outside',
      'its byte range does not fit the file, so it does not say what it signs.',
      Math.min(end, pdf.length),
    )
  check.bytesAfter = pdf.length - end
  check.coversWholeFile = check.bytesAfter === 0

  // The gap between the two ranges must be exactly this dictionary's signature value, "<hex>", and
  // nothing else: otherwise unsigned content could hide in it.
  const contents = signature.contents
  if (!contents || contents.start !== length1 || contents.end !== start2 || !contents.hex)
    return fail('gap-not-value', 'the unsigned gap in the file is not exactly its signature value.', end)
  const value = contents.bytes

  let signedData: pkijs.SignedData
  let signerInfo: pkijs.SignerInfo
  try {
    const contentInfo = pkijs.ContentInfo.fromBER(new Uint8Array(value).buffer)
    if (contentInfo.contentType !== OIDS.signedData) throw new Error('not SignedData')
    signedData = new pkijs.SignedData({ schema: contentInfo.content })
    const first = signedData.signerInfos[0]
    if (!first) throw new Error('no signer')
    signerInfo = first
  } catch {
    return fail('not-cms', 'its signature value is not a CMS (PKCS#7) signature.', end)
  }
  const signingTime = signedAttribute(signerInfo, OIDS.signingTime)
  if (signingTime instanceof asn1js.UTCTime || signingTime instanceof asn1js.GeneralizedTime)
    check.signingTime = signingTime.toDate()

  const embedded = signedData.encapContentInfo.eContent !== undefined
  const isTimestamp = check.kind === 'document-timestamp'
  if (embedded !== isTimestamp || (isTimestamp && signedData.encapContentInfo.eContentType !== OIDS.tstInfo))
    return fail('not-detached', `its CMS signature is not of the detached kind that ${format} requires.`, end, {
      format,
    })
  if (!isTimestamp && format !== 'ETSI.CAdES.detached' && format !== 'adbe.pkcs7.detached')
    return fail('unsupported-format', `it uses the ${format} format, which this check does not support.`, end, {
      format,
    })

  const hash = HASHES[signerInfo.digestAlgorithm.algorithmId]
  if (!hash) return fail('unknown-digest', 'it uses a digest algorithm this check does not know.', end)
  if (!isTimestamp) {
    // Checked here first, to tell "the document changed" apart from "the signature is broken".
    const claimed = signedAttribute(signerInfo, OIDS.messageDigest)
    const digest = createHash(hash).update(pdf.subarray(0, length1)).update(pdf.subarray(start2, end)).digest()
    if (claimed instanceof asn1js.OctetString && !digest.equals(claimed.valueBlock.valueHexView)) {
      identify(signerOf(signedData))
      return fail('changed', CHANGED, end)
    }
  }

  const signed = new Uint8Array(length1 + length2)
  signed.set(pdf.subarray(0, length1), 0)
  signed.set(pdf.subarray(start2, end), length1)

  try {
    const result = await signedData.verify(
      { signer: 0, data: signed.buffer, checkChain: false, extendedMode: true },
      pki,
    )
    identify(result.signerCertificate ?? null)
    if (!result.signatureVerified)
      return fail('bad-signature', 'its cryptographic signature does not verify with its certificate.', end)
  } catch (error) {
    identify(signerOf(signedData))
    const message = messageOf(error)
    return /digest|imprint|TSTInfo/i.test(message)
      ? fail('changed', CHANGED, end)
      : fail('not-verified', `its cryptographic signature does not verify (${message}).`, end, { message })
  }
  check.valid = true
  if (isTimestamp) {
    check.timestamp = await timestampOf(signedData, signed)
    if (check.timestamp) check.signingTime = check.timestamp.time
  } else {
    check.timestamp = await signatureTimestamp(signerInfo)
  }
  return { check, end }
}

/** The signer's certificate when verification failed before pkijs named it, so the page can still say who. */
function signerOf(signedData: pkijs.SignedData): pkijs.Certificate | null {
  const certificates = (signedData.certificates ?? []).filter((c) => c instanceof pkijs.Certificate)
  const sid = signedData.signerInfos[0]?.sid
  const found =
    sid instanceof pkijs.IssuerAndSerialNumber
      ? certificates.find((c) => c.issuer.isEqual(sid.issuer) && c.serialNumber.isEqual(sid.serialNumber))
      : certificates[0]
  return found ?? null
}

function summarize(certificate: pkijs.Certificate): SignerSummary {
  const { commonName, organization, country, fingerprint, selfSigned } = describeCertificate(
    certificateDer(certificate),
  )
  return { commonName, organization, country, fingerprint, selfSigned }
}

/** An RFC 3161 timestamp token in the signature's unsigned attributes (PAdES B-T). */
async function signatureTimestamp(signerInfo: pkijs.SignerInfo): Promise<SignatureCheck['timestamp']> {
  const attribute = signerInfo.unsignedAttrs?.attributes.find((a) => a.type === OIDS.signatureTimestamp)
  const token: unknown = attribute?.values[0]
  if (!(token instanceof asn1js.Sequence)) return null
  try {
    const contentInfo = new pkijs.ContentInfo({ schema: token })
    const signedData = new pkijs.SignedData({ schema: contentInfo.content })
    const signatureValue = signerInfo.signature.valueBlock.valueHexView
    return await timestampOf(signedData, signatureValue)
  } catch {
    return null
  }
}

/** The time in a timestamp token, and whether its authority's signature covers `data` (checked by pkijs). */
async function timestampOf(signedData: pkijs.SignedData, data: Uint8Array): Promise<SignatureCheck['timestamp']> {
  const eContent = signedData.encapContentInfo.eContent
  let info: pkijs.TSTInfo
  try {
    if (!eContent) return null
    info = pkijs.TSTInfo.fromBER(eContent.getValue())
  } catch {
    return null
  }
  let valid = false
  let authority: string | null = null
  try {
    const buffer = new Uint8Array(data).buffer
    const result = await signedData.verify({ signer: 0, data: buffer, checkChain: false, extendedMode: true }, pki)
    valid = result.signatureVerified === true
    const cn = result.signerCertificate?.subject.typesAndValues.find((t) => t.type === OIDS.commonName)
    const name: unknown = cn?.value.valueBlock.value
    authority = typeof name === 'string' ? name : null
  } catch {
    valid = false
  }
  return { time: info.genTime, valid, authority }
}

function signedAttribute(signerInfo: pkijs.SignerInfo, type: string): unknown {
  return signerInfo.signedAttrs?.attributes.find((a) => a.type === type)?.values[0]
}

/** "D:20250131142500+01'00'" → that instant; null when absent or not a date. */
function parsePdfDate(text: string | null): Date | null {
  const match = text?.match(/^D:(\d{4})(\d{2})?(\d{2})?(\d{2})?(\d{2})?(\d{2})?(?:([Z+-])(\d{2})?'?(\d{2})?'?)?/)
  if (!match) return null
  const [, y, mo = '01', d = '01', h = '00', mi = '00', s = '00', sign, oh = '00', om = '00'] = match
  const utc = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s))
  const offset = (sign === '+' ? 1 : sign === '-' ? -1 : 0) * (Number(oh) * 60 + Number(om)) * 60_000
  const date = new Date(utc - offset)
  return Number.isNaN(date.getTime()) ? null : date
}

/** A PDF starts with "%PDF-", though readers allow some junk before it. */
function looksLikePdf(bytes: Uint8Array): boolean {
  return Buffer.from(bytes.subarray(0, 1024)).includes('%PDF-')
}

function size(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${Math.round((bytes / 1024 / 1024) * 10) / 10} MB` : `${Math.ceil(bytes / 1024)} KB`
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error)
}

// ─── Finding signature dictionaries in the bytes ─────────────────────────────────────────────────────────
//
// A signature's /ByteRange names raw file offsets, so its dictionary is always an uncompressed object in the
// file: looking for "/ByteRange" finds every signature, whatever the cross-reference tables (damaged, or
// rewritten by a later revision) say. Each candidate's object is read with a small PDF syntax reader that
// always moves forward and gives up on anything unexpected, so no upload can make it loop.

/** A signature dictionary as the file's bytes hold it. */
interface FoundSignature {
  field: string
  type: string | null
  subFilter: string | null
  byteRange: number[] | null
  /** The /Contents string: where its "<" and after its ">" are, and its bytes. */
  contents: { start: number; end: number; hex: boolean; bytes: Uint8Array } | null
  m: string | null
  reason: string | null
  location: string | null
}

type PdfValue =
  | { kind: 'name'; name: string }
  | { kind: 'number'; value: number }
  | { kind: 'string'; bytes: Uint8Array; start: number; end: number; hex: boolean }
  | { kind: 'array'; items: PdfValue[] }
  | { kind: 'dict'; entries: Map<string, PdfValue> }
  | { kind: 'ref'; id: string }
  | { kind: 'keyword'; word: string }

class PdfSyntaxError extends Error {}

/** How far before "/ByteRange" its object may start: room for a large /Contents written before it. */
const OBJECT_WINDOW = 256 * 1024
/** How many "/ByteRange" places are looked at, however many a crafted file repeats. */
const MAX_CANDIDATES = 200
/** How far from its signature a field's dictionary is looked for. */
const FIELD_WINDOW = 512 * 1024
/** How long one object may be: a signature dictionary with a large reserved /Contents fits. */
const MAX_OBJECT_BYTES = 1024 * 1024
/** How long one string may be: a /Contents holds a CMS signature with its certificates and timestamps. */
const MAX_STRING_BYTES = 256 * 1024

function findSignatures(pdf: Uint8Array): FoundSignature[] {
  const bytes = Buffer.from(pdf.buffer, pdf.byteOffset, pdf.length)
  const objects = new Map<number, { id: string; dict: Map<string, PdfValue> }>()
  let candidates = 0
  for (let at = bytes.indexOf('/ByteRange'); at !== -1 && candidates++ < MAX_CANDIDATES; ) {
    const start = objectStart(bytes, at)
    const object = start && !objects.has(start.offset) ? readObject(bytes, start.offset, at) : null
    if (start && object) objects.set(start.offset, { id: start.id, dict: object.entries })
    if (objects.size > MAX_SIGNATURES) break
    at = bytes.indexOf('/ByteRange', Math.max(at + 1, object?.end ?? 0))
  }
  return [...objects].map(([offset, { id, dict }], i) => {
    const contents = dict.get('Contents')
    const byteRange = dict.get('ByteRange')
    return {
      field: fieldName(bytes, id, offset) ?? `Signature ${i + 1}`,
      type: nameOf(dict.get('Type')),
      subFilter: nameOf(dict.get('SubFilter')),
      byteRange:
        byteRange?.kind === 'array'
          ? byteRange.items.map((item) => (item.kind === 'number' ? item.value : Number.NaN))
          : null,
      contents: contents?.kind === 'string' ? contents : null,
      m: textOf(dict.get('M')),
      reason: textOf(dict.get('Reason')),
      location: textOf(dict.get('Location')),
    }
  })
}

/** Reads the dictionary of the object at `offset`, if it is one and holds the "/ByteRange" at `key`. */
function readObject(
  bytes: Uint8Array,
  offset: number,
  key: number,
): { entries: Map<string, PdfValue>; end: number } | null {
  try {
    const reader = new PdfReader(bytes, offset)
    reader.objectHeader()
    const dictStart = reader.position
    const value = reader.value()
    if (value.kind !== 'dict' || key < dictStart || key >= reader.position) return null
    return value.entries.has('ByteRange') ? { entries: value.entries, end: reader.position } : null
  } catch (error) {
    if (error instanceof PdfSyntaxError) return null
    throw error
  }
}

/** The "N G obj" that opens the object around `at`: its offset and "N G". */
function objectStart(bytes: Buffer, at: number): { offset: number; id: string } | null {
  const limit = Math.max(0, at - OBJECT_WINDOW)
  // Searched within the window only: Buffer#lastIndexOf would otherwise run back to the file's start.
  const window = bytes.subarray(limit, at)
  for (let j = window.lastIndexOf('obj'); j !== -1; j = j > 0 ? window.lastIndexOf('obj', j - 1) : -1) {
    const i = limit + j
    const before = bytes.subarray(Math.max(0, i - 24), i).toString('latin1')
    const match = before.match(/(?:^|[^0-9])((\d{1,10})[ \t\r\n\f\0]+(\d{1,5})[ \t\r\n\f\0]+)$/)
    const after = bytes[i + 3]
    if (!match?.[1] || (after !== undefined && isRegular(after))) continue
    return { offset: i - match[1].length, id: `${match[2]} ${match[3]}` }
  }
  return null
}

/**
 * The partial name (/T) of the signature field whose value (/V) is the object `id` at `offset`. Writers put
 * the field in the same revision as its signature, so only the megabyte around the signature is searched.
 */
function fieldName(bytes: Buffer, id: string, offset: number): string | null {
  const from = Math.max(0, offset - FIELD_WINDOW)
  const text = bytes.subarray(from, Math.min(bytes.length, offset + FIELD_WINDOW)).toString('latin1')
  const [number, generation] = id.split(' ')
  const pattern = new RegExp(
    `/V[ \\t\\r\\n\\f\\0]+${number}[ \\t\\r\\n\\f\\0]+${generation}[ \\t\\r\\n\\f\\0]+R(?![A-Za-z0-9])`,
    'g',
  )
  const last = [...text.matchAll(pattern)].at(-1)
  const start = last ? objectStart(bytes, from + (last.index ?? 0)) : null
  if (!start) return null
  try {
    const reader = new PdfReader(bytes, start.offset)
    reader.objectHeader()
    const field = reader.value()
    return field.kind === 'dict' ? textOf(field.entries.get('T')) : null
  } catch (error) {
    if (error instanceof PdfSyntaxError) return null
    throw error
  }
}

const nameOf = (value: PdfValue | undefined) => (value?.kind === 'name' ? value.name : null)
const textOf = (value: PdfValue | undefined) =>
  value?.kind === 'string' ? pdfText(value.bytes.subarray(0, MAX_TEXT_BYTES)) : null

/** Reasons, locations and names longer than this are cut: the verify page shows a line or two. */
const MAX_TEXT_BYTES = 2000

/** A PDF text string: UTF-16BE or UTF-8 after a byte-order mark, else PDFDocEncoding. */
function pdfText(bytes: Uint8Array): string {
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return new TextDecoder('utf-16be').decode(bytes.subarray(2))
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return new TextDecoder().decode(bytes.subarray(3))
  let text = ''
  for (const byte of bytes) text += String.fromCharCode(PDF_DOC_ENCODING[byte - 0x80] ?? byte)
  return text
}

/** PDFDocEncoding's characters at 0x80-0x9F, where it differs from Latin-1 (0 marks an undefined code). */
const PDF_DOC_ENCODING = [
  0x2022, 0x2020, 0x2021, 0x2026, 0x2014, 0x2013, 0x0192, 0x2044, 0x2039, 0x203a, 0x2212, 0x2030, 0x201e, 0x201c,
  0x201d, 0x2018, 0x2019, 0x201a, 0x2122, 0xfb01, 0xfb02, 0x0141, 0x0152, 0x0160, 0x0178, 0x017d, 0x0131, 0x0142,
  0x0153, 0x0161, 0x017e, 0xfffd,
]

const WHITESPACE = new Set([0x00, 0x09, 0x0a, 0x0c, 0x0d, 0x20])
const DELIMITERS = new Set([0x28, 0x29, 0x3c, 0x3e, 0x5b, 0x5d, 0x7b, 0x7d, 0x2f, 0x25])
const isRegular = (byte: number) => !WHITESPACE.has(byte) && !DELIMITERS.has(byte)
const isDigit = (byte: number | undefined) => byte !== undefined && byte >= 0x30 && byte <= 0x39
const isOctal = (byte: number | undefined) => byte !== undefined && byte >= 0x30 && byte <= 0x37
const isHexDigit = (byte: number) =>
  (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x46) || (byte >= 0x61 && byte <= 0x66)
const ESCAPES = new Map([
  [0x6e, 0x0a],
  [0x72, 0x0d],
  [0x74, 0x09],
  [0x62, 0x08],
  [0x66, 0x0c],
])

/**
 * Reads PDF objects (ISO 32000-1 §7.3). Every step consumes at least one byte or throws; an object may
 * not run past {@link MAX_OBJECT_BYTES}, nest deeper than 32 or hold more than 5000 values; names, numbers
 * and strings have caps too: whatever an upload holds, reading one candidate costs at most about a megabyte.
 */
class PdfReader {
  private budget = 5000
  private readonly end: number

  constructor(
    private readonly bytes: Uint8Array,
    public position: number,
  ) {
    this.end = Math.min(bytes.length, position + MAX_OBJECT_BYTES)
  }

  /** The byte at `i`, or undefined past the end of what this object may use. */
  private at(i: number): number | undefined {
    return i < this.end ? this.bytes[i] : undefined
  }

  /** Skips "N G obj". */
  objectHeader(): void {
    this.integer()
    this.integer()
    this.skip()
    if (this.word() !== 'obj') throw new PdfSyntaxError()
  }

  value(depth = 0): PdfValue {
    if (depth > 32 || --this.budget < 0) throw new PdfSyntaxError()
    this.skip()
    const byte = this.at(this.position)
    if (byte === undefined) throw new PdfSyntaxError()
    if (byte === 0x2f) return { kind: 'name', name: this.name() }
    if (byte === 0x28) return this.literalString()
    if (byte === 0x3c) return this.at(this.position + 1) === 0x3c ? this.dict(depth) : this.hexString()
    if (byte === 0x5b) return this.array(depth)
    if (isDigit(byte) || byte === 0x2b || byte === 0x2d || byte === 0x2e) return this.numberOrRef()
    if (isRegular(byte)) return { kind: 'keyword', word: this.word() }
    throw new PdfSyntaxError()
  }

  private dict(depth: number): PdfValue {
    this.position += 2
    const entries = new Map<string, PdfValue>()
    for (;;) {
      this.skip()
      if (this.at(this.position) === 0x3e && this.at(this.position + 1) === 0x3e) {
        this.position += 2
        return { kind: 'dict', entries }
      }
      if (this.at(this.position) !== 0x2f) throw new PdfSyntaxError()
      const key = this.name()
      // Two /ByteRange or /Contents in one dictionary could make two readers see two different signatures.
      if (entries.has(key)) throw new PdfSyntaxError()
      entries.set(key, this.value(depth + 1))
    }
  }

  private array(depth: number): PdfValue {
    this.position += 1
    const items: PdfValue[] = []
    for (;;) {
      this.skip()
      if (this.at(this.position) === 0x5d) {
        this.position += 1
        return { kind: 'array', items }
      }
      items.push(this.value(depth + 1))
    }
  }

  /** A name, "#xx" escapes decoded; at most 127 bytes, the limit readers keep to. */
  private name(): string {
    this.position += 1
    let name = ''
    for (;;) {
      const byte = this.at(this.position)
      if (byte === undefined || !isRegular(byte)) return name
      if (name.length >= 127) throw new PdfSyntaxError()
      if (byte === 0x23) {
        const code = Number.parseInt(
          String.fromCharCode(this.at(this.position + 1) ?? 0, this.at(this.position + 2) ?? 0),
          16,
        )
        if (Number.isNaN(code)) throw new PdfSyntaxError()
        name += String.fromCharCode(code)
        this.position += 3
      } else {
        name += String.fromCharCode(byte)
        this.position += 1
      }
    }
  }

  private literalString(): PdfValue {
    const start = this.position
    this.position += 1
    const out: number[] = []
    let depth = 1
    for (;;) {
      const byte = this.at(this.position++)
      if (byte === undefined || out.length > MAX_STRING_BYTES) throw new PdfSyntaxError()
      if (byte === 0x28) depth++
      if (byte === 0x29 && --depth === 0) break
      if (byte !== 0x5c) {
        out.push(byte)
        continue
      }
      const next = this.at(this.position++)
      if (next === undefined) throw new PdfSyntaxError()
      const escaped = ESCAPES.get(next)
      if (escaped !== undefined) out.push(escaped)
      else if (next >= 0x30 && next <= 0x37) {
        let code = next - 0x30
        for (let i = 0; i < 2 && isOctal(this.at(this.position)); i++)
          code = code * 8 + ((this.at(this.position++) ?? 0x30) - 0x30)
        out.push(code & 0xff)
      } else if (next === 0x0d) {
        if (this.at(this.position) === 0x0a) this.position++
      } else if (next !== 0x0a) out.push(next)
    }
    return { kind: 'string', bytes: Uint8Array.from(out), start, end: this.position, hex: false }
  }

  private hexString(): PdfValue {
    const start = this.position
    let digits = ''
    for (let i = start + 1; ; i++) {
      const byte = this.at(i)
      if (byte === undefined || digits.length > 2 * MAX_STRING_BYTES) throw new PdfSyntaxError()
      if (byte === 0x3e) {
        this.position = i + 1
        break
      }
      if (WHITESPACE.has(byte)) continue
      if (!isHexDigit(byte)) throw new PdfSyntaxError()
      digits += String.fromCharCode(byte)
    }
    const even = digits.length % 2 === 0 ? digits : `${digits}0`
    return { kind: 'string', bytes: new Uint8Array(Buffer.from(even, 'hex')), start, end: this.position, hex: true }
  }

  private numberOrRef(): PdfValue {
    const first = this.number()
    if (Number.isInteger(first) && first >= 0) {
      const back = this.position
      try {
        this.skip()
        if (isDigit(this.at(this.position))) {
          const generation = this.integer()
          this.skip()
          if (this.at(this.position) === 0x52 && !isRegular(this.at(this.position + 1) ?? 0x20)) {
            this.position += 1
            return { kind: 'ref', id: `${first} ${generation}` }
          }
        }
      } catch (error) {
        if (!(error instanceof PdfSyntaxError)) throw error
      }
      this.position = back
    }
    return { kind: 'number', value: first }
  }

  private number(): number {
    const start = this.position
    for (;;) {
      const byte = this.at(this.position)
      if (byte === undefined || !(isDigit(byte) || byte === 0x2b || byte === 0x2d || byte === 0x2e)) break
      if (this.position - start >= 32) throw new PdfSyntaxError()
      this.position++
    }
    const value = Number(Buffer.from(this.bytes.subarray(start, this.position)).toString('latin1'))
    if (this.position === start || !Number.isFinite(value)) throw new PdfSyntaxError()
    return value
  }

  private integer(): number {
    this.skip()
    const value = this.number()
    if (!Number.isInteger(value)) throw new PdfSyntaxError()
    return value
  }

  private word(): string {
    const start = this.position
    for (;;) {
      const byte = this.at(this.position)
      if (byte === undefined || !isRegular(byte)) break
      if (this.position - start >= 32) throw new PdfSyntaxError()
      this.position++
    }
    if (this.position === start) throw new PdfSyntaxError()
    return Buffer.from(this.bytes.subarray(start, this.position)).toString('latin1')
  }

  /** Skips whitespace and comments. */
  private skip(): void {
    for (;;) {
      const byte = this.at(this.position)
      if (byte === undefined) return
      if (WHITESPACE.has(byte)) this.position++
      else if (byte === 0x25) {
        for (let b = this.at(this.position); b !== undefined && b !== 0x0a && b !== 0x0d; b = this.at(this.position))
          this.position++
      } else return
    }
  }
}
