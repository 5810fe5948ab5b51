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
/** Each signature hashes the whole file once more: a crafted upload with thousands must not hold the server. */
const MAX_SIGNATURES = 50
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
  /** Why `valid` is false, in words. */
  problem?: string
}

export interface SealReport {
  /** A valid signature made with one of the trusted certificates is in the file. */
  sealedByUs: boolean
  /** The file is byte for byte what our newest valid seal covers (or, not sealed by us, the newest signature). */
  unchanged: boolean
  signatures: SignatureCheck[]
  /** What a person should know first, when anything is wrong. */
  problem?: string
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
    return unreadable('This PDF could not be checked: it is damaged or built in a way this check does not read.')
  }
}

const unreadable = (problem: string): SealReport => ({ sealedByUs: false, unchanged: false, signatures: [], problem })

async function inspect(pdf: Uint8Array, trustedFingerprints: Set<string>, maxBytes: number): Promise<SealReport> {
  if (pdf.length === 0) return unreadable('The file is empty.')
  if (pdf.length > maxBytes) return unreadable(`The file is larger than ${size(maxBytes)}, the most this check reads.`)
  if (!looksLikePdf(pdf)) return unreadable('This file is not a PDF.')

  const found = findSignatures(pdf)
  if (found.length === 0)
    return unreadable(
      Buffer.from(pdf.buffer, pdf.byteOffset, pdf.length).includes('/ByteRange')
        ? 'This PDF mentions a signature, but its signature cannot be read: the file may be damaged or cut short.'
        : 'This PDF has no seal: it holds no digital signature.',
    )
  if (found.length > MAX_SIGNATURES)
    return unreadable(`This PDF has more than ${MAX_SIGNATURES} signatures, the most this check reads.`)

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
  return { sealedByUs, unchanged, signatures: sorted, problem: overallProblem(sorted, newestOurs) }
}

function overallProblem(signatures: SignatureCheck[], newestOurs: SignatureCheck | undefined): string | undefined {
  const broken = signatures.find((s) => !s.valid)
  if (broken) return `The signature "${broken.field}" is not valid: ${broken.problem ?? 'it does not verify.'}`
  if (!newestOurs) {
    const names = signatures.map((s) => s.signer?.commonName ?? s.signer?.organization ?? '').filter((name) => name)
    const who = [...new Set(names)].join(', ')
    return `This PDF is signed${who ? ` by ${who}` : ''}, but not sealed by us.`
  }
  if (!newestOurs.coversWholeFile) {
    const later = signatures.slice(signatures.indexOf(newestOurs) + 1)
    return later.length > 0
      ? `The document was changed after we sealed it: ${later.length === 1 ? 'a signature was' : `${later.length} signatures were`} added later, and with ${later.length === 1 ? 'it' : 'them'} possibly other changes.`
      : `The document was changed after we sealed it: ${newestOurs.bytesAfter} bytes were added after our seal.`
  }
  return undefined
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
  const fail = (problem: string, end = 0) => ({ check: { ...check, problem }, end })
  const identify = (certificate: pkijs.Certificate | null) => {
    check.signer = certificate ? summarize(certificate) : null
    check.trusted = check.signer !== null && trusted.has(check.signer.fingerprint)
  }

  const range = signature.byteRange
  if (range?.length !== 4 || !range.every((n) => Number.isSafeInteger(n) && n >= 0))
    return fail('its byte range is missing or malformed, so it does not say what it signs.')
  const [start1 = 0, length1 = 0, start2 = 0, length2 = 0] = range
  const end = start2 + length2
  if (start1 !== 0 || length1 >= start2 || end > pdf.length)
    return fail('its byte range does not fit the file, so it does not say what it signs.', Math.min(end, pdf.length))
  check.bytesAfter = pdf.length - end
  check.coversWholeFile = check.bytesAfter === 0

  // The gap between the two ranges must be exactly this dictionary's signature value, "<hex>", and
  // nothing else: otherwise unsigned content could hide in it.
  const contents = signature.contents
  if (!contents || contents.start !== length1 || contents.end !== start2 || !contents.hex)
    return fail('the unsigned gap in the file is not exactly its signature value.', end)
  const value = contents.bytes

  let signedData: pkijs.SignedData
  let signerInfo: pkijs.SignerInfo
  try {
    const contentInfo = pkijs.ContentInfo.fromBER(value.buffer)
    if (contentInfo.contentType !== OIDS.signedData) throw new Error('not SignedData')
    signedData = new pkijs.SignedData({ schema: contentInfo.content })
    const first = signedData.signerInfos[0]
    if (!first) throw new Error('no signer')
    signerInfo = first
  } catch {
    return fail('its signature value is not a CMS (PKCS#7) signature.', end)
  }
  const signingTime = signedAttribute(signerInfo, OIDS.signingTime)
  if (signingTime instanceof asn1js.UTCTime || signingTime instanceof asn1js.GeneralizedTime)
    check.signingTime = signingTime.toDate()

  const embedded = signedData.encapContentInfo.eContent !== undefined
  const isTimestamp = check.kind === 'document-timestamp'
  if (embedded !== isTimestamp || (isTimestamp && signedData.encapContentInfo.eContentType !== OIDS.tstInfo))
    return fail(`its CMS signature is not of the detached kind that ${format} requires.`, end)
  if (!isTimestamp && format !== 'ETSI.CAdES.detached' && format !== 'adbe.pkcs7.detached')
    return fail(`it uses the ${format} format, which this check does not support.`, end)

  const hash = HASHES[signerInfo.digestAlgorithm.algorithmId]
  if (!hash) return fail('it uses a digest algorithm this check does not know.', end)
  const signed = new Uint8Array(length1 + length2)
  signed.set(pdf.subarray(0, length1), 0)
  signed.set(pdf.subarray(start2, end), length1)

  if (!isTimestamp) {
    const claimed = signedAttribute(signerInfo, OIDS.messageDigest)
    const digest = createHash(hash).update(signed).digest()
    if (claimed instanceof asn1js.OctetString && !digest.equals(claimed.valueBlock.valueHexView)) {
      identify(signerOf(signedData))
      return fail(CHANGED, end)
    }
  }

  try {
    const result = await signedData.verify(
      { signer: 0, data: signed.buffer, checkChain: false, extendedMode: true },
      pki,
    )
    identify(result.signerCertificate ?? null)
    if (!result.signatureVerified) return fail('its cryptographic signature does not verify with its certificate.', end)
  } catch (error) {
    identify(signerOf(signedData))
    const message = messageOf(error)
    return fail(
      /digest|imprint|TSTInfo/i.test(message) ? CHANGED : `its cryptographic signature does not verify (${message}).`,
      end,
    )
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
