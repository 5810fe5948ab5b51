/**
 * The identity that seals finished documents: an X.509 certificate and its private key, stored as a
 * PKCS#12 (.p12) file with its password. The platform can make a self-signed one, or an admin uploads
 * the .p12 their certificate authority issued; both are opened the same way, by {@link loadSealingIdentity}.
 * Certificates are built and read with pkijs (which @libpdf/core already uses, so they share one copy).
 */
import { constants, createHash, randomBytes, verify as verifySignature, X509Certificate } from 'node:crypto'
import { P12Signer, type Signer } from '@libpdf/core'
import * as asn1js from 'asn1js'
import * as pkijs from 'pkijs'

/** A sealing identity as it is stored: a PKCS#12 (.p12) file and the password that opens it. */
export interface SealingIdentity {
  p12: Uint8Array
  password: string
}

/** What a certificate says about its holder, for the admin page and the public verify page. */
export interface CertificateSummary {
  /** The certificate itself, DER-encoded. */
  der: Uint8Array
  commonName: string | null
  organization: string | null
  country: string | null
  /** Hex, as certificate viewers show it. */
  serialNumber: string
  notBefore: Date
  notAfter: Date
  /** SHA-256 of the DER bytes, lowercase hex: how a person compares two certificates. */
  fingerprint: string
  keyType: 'RSA' | 'EC' | 'other'
  /** Issued by itself rather than by a certificate authority (readers then call it "not trusted"). */
  selfSigned: boolean
}

/** An identity opened with its password: ready to seal with. */
export interface SealingKey {
  identity: SealingIdentity
  certificate: CertificateSummary
  signer: Signer
}

export type SealErrorCode =
  | 'invalid-options'
  | 'not-p12'
  | 'no-mac'
  | 'wrong-password'
  | 'no-private-key'
  | 'no-certificate'
  | 'key-mismatch'
  | 'unsupported-key'
  | 'expired'
  | 'not-yet-valid'
  | 'not-a-certificate'
  | 'not-pdf'
  | 'unreadable-pdf'
  | 'timestamp-failed'

/** A problem with the input (a .p12, a certificate, a PDF, an option) that the person who gave it can fix. */
export class SealError extends Error {
  constructor(
    readonly code: SealErrorCode,
    message: string,
  ) {
    super(message)
    this.name = 'SealError'
  }
}

const OID = {
  commonName: '2.5.4.3',
  country: '2.5.4.6',
  organization: '2.5.4.10',
  basicConstraints: '2.5.29.19',
  keyUsage: '2.5.29.15',
  subjectKeyIdentifier: '2.5.29.14',
  rsa: '1.2.840.113549.1.1.1',
  rsaPss: '1.2.840.113549.1.1.10',
  ec: '1.2.840.10045.2.1',
  certBag: '1.2.840.113549.1.12.10.1.3',
  shroudedKeyBag: '1.2.840.113549.1.12.10.1.2',
  localKeyId: '1.2.840.113549.1.9.21',
  friendlyName: '1.2.840.113549.1.9.20',
} as const

/**
 * Iterations for the .p12's key encryption and integrity check. Our passwords are 32 random bytes, so
 * stretching them adds nothing; 2048 is what OpenSSL writes and keeps opening a .p12 cheap (~20 ms).
 */
const P12_ITERATIONS = 2048

/**
 * Our own pkijs engine, passed to every pkijs call. @libpdf/core installs its engine as pkijs's global one
 * the first time it signs, and that engine's `digest` breaks when given a hash name as a string, which is
 * how pkijs's own `SignedData.verify` calls it: after the first seal every verification would fail.
 */
export const pki = new pkijs.CryptoEngine({ name: 'signflow', crypto: globalThis.crypto })
const MAX_YEARS = 30

const toArrayBuffer = (bytes: Uint8Array): ArrayBuffer =>
  bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer

/**
 * A new self-signed sealing certificate (RSA 2048, SHA-256) with its private key, packed as a .p12 under
 * a random password. RSA rather than ECDSA because every PDF reader, old Acrobat included, checks it.
 */
export async function createSealingCertificate(options: {
  commonName: string
  organization?: string
  country?: string
  years?: number
}): Promise<SealingIdentity> {
  const commonName = options.commonName.trim()
  const organization = options.organization?.trim() || undefined
  const country = options.country?.trim().toUpperCase() || undefined
  const years = options.years ?? 3
  if (commonName === '' || commonName.length > 64)
    throw new SealError('invalid-options', 'The certificate name must have 1 to 64 characters.')
  if (organization !== undefined && organization.length > 64)
    throw new SealError('invalid-options', 'The organization name must have at most 64 characters.')
  if (country !== undefined && !/^[A-Z]{2}$/.test(country))
    throw new SealError('invalid-options', 'The country must be a two-letter code such as "PL" or "DE".')
  if (!Number.isInteger(years) || years < 1 || years > MAX_YEARS)
    throw new SealError('invalid-options', `A certificate is valid for 1 to ${MAX_YEARS} whole years.`)

  const keys = await crypto.subtle.generateKey(
    { name: 'RSASSA-PKCS1-v1_5', modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]), hash: 'SHA-256' },
    true,
    ['sign', 'verify'],
  )
  const certificate = new pkijs.Certificate()
  certificate.version = 2
  certificate.serialNumber = new asn1js.Integer({ valueHex: positiveSerial() })
  const name = distinguishedName([
    [OID.country, country],
    [OID.organization, organization],
    [OID.commonName, commonName],
  ])
  certificate.subject = name
  certificate.issuer = distinguishedName([
    [OID.country, country],
    [OID.organization, organization],
    [OID.commonName, commonName],
  ])
  // A few minutes of slack so that a reader whose clock runs slightly behind does not call it "not yet valid".
  const notBefore = new Date(Date.now() - 5 * 60_000)
  const notAfter = new Date(notBefore)
  notAfter.setUTCFullYear(notAfter.getUTCFullYear() + years)
  certificate.notBefore = certificateTime(notBefore)
  certificate.notAfter = certificateTime(notAfter)
  await certificate.subjectPublicKeyInfo.importKey(keys.publicKey, pki)
  const keyId = createHash('sha1')
    .update(certificate.subjectPublicKeyInfo.subjectPublicKey.valueBlock.valueHexView)
    .digest()
  certificate.extensions = [
    new pkijs.Extension({
      extnID: OID.basicConstraints,
      critical: true,
      extnValue: new pkijs.BasicConstraints({ cA: false }).toSchema().toBER(false),
    }),
    new pkijs.Extension({
      extnID: OID.keyUsage,
      critical: true,
      // digitalSignature and nonRepudiation (contentCommitment): what a document seal does.
      extnValue: new asn1js.BitString({ valueHex: new Uint8Array([0xc0]), unusedBits: 6 }).toBER(false),
    }),
    new pkijs.Extension({
      extnID: OID.subjectKeyIdentifier,
      extnValue: new asn1js.OctetString({ valueHex: keyId }).toBER(false),
    }),
  ]
  await certificate.sign(keys.privateKey, 'SHA-256', pki)

  const password = randomBytes(32).toString('base64url')
  const p12 = await packP12({
    certificates: [certificate],
    privateKey: keys.privateKey,
    password,
    friendlyName: commonName,
  })
  return { p12, password }
}

/**
 * A .p12 holding `certificates` in the order given and, when given, a `privateKey` (PBES2: AES-256-CBC
 * with PBKDF2-SHA-256, HMAC-SHA-256 integrity), the layout OpenSSL 3 writes; the key's certificate is
 * marked with the key's local id. Without a key it makes the kind of file an admin uploads by mistake
 * when they export only the certificate.
 */
export async function packP12(options: {
  certificates: (pkijs.Certificate | Uint8Array)[]
  privateKey?: CryptoKey
  password: string
  friendlyName?: string
}): Promise<Uint8Array> {
  const certificates = options.certificates.map((c) => (c instanceof Uint8Array ? parseCertificate(c) : c))
  const ders = certificates.map(certificateDer)
  const publicKey = options.privateKey ? await crypto.subtle.exportKey('jwk', options.privateKey) : undefined
  const owner = Math.max(
    0,
    ders.findIndex((der) => {
      const jwk = new X509Certificate(der).publicKey.export({ format: 'jwk' })
      return publicKey !== undefined && (jwk.n ?? jwk.x) === (publicKey.n ?? publicKey.x)
    }),
  )
  const password = toArrayBuffer(new TextEncoder().encode(options.password))
  const ownerDer = ders[owner]
  if (!ownerDer) throw new SealError('invalid-options', 'A .p12 needs a certificate.')
  const localKeyId = new asn1js.OctetString({ valueHex: createHash('sha1').update(ownerDer).digest() })
  const attributes = [
    new pkijs.Attribute({ type: OID.localKeyId, values: [localKeyId] }),
    ...(options.friendlyName
      ? [
          new pkijs.Attribute({
            type: OID.friendlyName,
            values: [new asn1js.BmpString({ value: options.friendlyName })],
          }),
        ]
      : []),
  ]
  const certificateBags = certificates.map(
    (certificate, i) =>
      new pkijs.SafeBag({
        bagId: OID.certBag,
        bagValue: new pkijs.CertBag({ parsedValue: certificate }),
        ...(i === owner ? { bagAttributes: attributes } : {}),
      }),
  )
  const safeContents: { privacyMode: number; value: pkijs.SafeContents }[] = [
    { privacyMode: 0, value: new pkijs.SafeContents({ safeBags: certificateBags }) },
  ]
  if (options.privateKey) {
    const pkcs8 = new Uint8Array(await crypto.subtle.exportKey('pkcs8', options.privateKey))
    const keyBag = new pkijs.PKCS8ShroudedKeyBag({ parsedValue: pkijs.PrivateKeyInfo.fromBER(pkcs8) })
    await keyBag.makeInternalValues(
      {
        password,
        // pkijs draws a fresh random IV itself; its type still asks for one.
        contentEncryptionAlgorithm: { name: 'AES-CBC', length: 256, iv: new Uint8Array(16) },
        hmacHashAlgorithm: 'SHA-256',
        iterationCount: P12_ITERATIONS,
      },
      pki,
    )
    safeContents.push({
      privacyMode: 0,
      value: new pkijs.SafeContents({
        safeBags: [new pkijs.SafeBag({ bagId: OID.shroudedKeyBag, bagValue: keyBag, bagAttributes: attributes })],
      }),
    })
  }
  const authenticatedSafe = new pkijs.AuthenticatedSafe({ parsedValue: { safeContents } })
  await authenticatedSafe.makeInternalValues({ safeContents: safeContents.map(() => ({})) }, pki)
  const pfx = new pkijs.PFX({ parsedValue: { integrityMode: 0, authenticatedSafe } })
  await pfx.makeInternalValues(
    {
      password,
      iterations: P12_ITERATIONS,
      pbkdf2HashAlgorithm: 'SHA-256',
      hmacHashAlgorithm: 'SHA-256',
    },
    pki,
  )
  return new Uint8Array(pfx.toSchema().toBER(false))
}

/**
 * Opens a .p12 (ours, or one an admin uploads) and checks that it can seal today: the password opens it,
 * it has a private key, one of its certificates belongs to that key, and that certificate is in date.
 */
export async function loadSealingIdentity(p12: Uint8Array, password: string, now = new Date()): Promise<SealingKey> {
  let pfx: pkijs.PFX
  try {
    pfx = pkijs.PFX.fromBER(toArrayBuffer(p12))
  } catch {
    throw new SealError(
      'not-p12',
      'This file is not a .p12 (PKCS#12) file: export the certificate with its key as .p12 or .pfx.',
    )
  }
  // @libpdf/core's P12Signer insists on the password-based integrity check (MAC) that OpenSSL writes by default.
  if (pfx.authSafe.contentType === pkijs.ContentInfo.DATA && !pfx.macData)
    throw new SealError(
      'no-mac',
      'This .p12 has no integrity check (it was exported with -nomac): export it again with a password.',
    )
  try {
    await pfx.parseInternalValues({ password: toArrayBuffer(new TextEncoder().encode(password)) }, pki)
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error)
    if (/integrity/i.test(message)) throw new SealError('wrong-password', 'The .p12 password is wrong.')
    throw new SealError('not-p12', `This .p12 file cannot be read: ${message}`)
  }

  let opened: P12Signer
  try {
    opened = await P12Signer.create(p12, password)
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error)
    if (/no private key/i.test(message))
      throw new SealError(
        'no-private-key',
        'The .p12 has no private key: export the certificate together with its key.',
      )
    if (/no certificates/i.test(message)) throw new SealError('no-certificate', 'The .p12 has no certificate.')
    if (/password|integrity|mac|decrypt|operation failed/i.test(message))
      throw new SealError('wrong-password', 'The .p12 password is wrong.')
    if (/unsupported key/i.test(message))
      throw new SealError('unsupported-key', 'The .p12 holds a key that cannot sign PDFs: use an RSA or ECDSA key.')
    throw new SealError('not-p12', `This .p12 file cannot be read: ${message}`)
  }

  // P12Signer takes the first certificate as the signer's, but a .p12 may list its CA first: find the one
  // whose public key checks a signature made with the private key.
  const probe = randomBytes(32)
  const probeSignature = await opened.sign(probe, 'SHA-256')
  const candidates = [opened.certificate, ...opened.certificateChain]
  const own = candidates.find((der) => signatureMatches(der, opened.signatureAlgorithm, probe, probeSignature))
  if (!own) throw new SealError('key-mismatch', "The .p12's private key does not belong to any of its certificates.")

  const certificate = describeCertificate(own)
  if (certificate.notAfter.getTime() < now.getTime())
    throw new SealError(
      'expired',
      `The sealing certificate expired on ${certificate.notAfter.toISOString().slice(0, 10)}: readers would reject its seals. Create a new one or upload a current .p12.`,
    )
  if (certificate.notBefore.getTime() > now.getTime() + 5 * 60_000)
    throw new SealError(
      'not-yet-valid',
      `The sealing certificate is valid only from ${certificate.notBefore.toISOString()}: check the server's clock.`,
    )
  const signer: Signer = {
    certificate: own,
    certificateChain: candidates.filter((der) => der !== own),
    keyType: opened.keyType,
    signatureAlgorithm: opened.signatureAlgorithm,
    sign: (data, algorithm) => opened.sign(data, algorithm),
  }
  return { identity: { p12, password }, certificate, signer }
}

function signatureMatches(
  der: Uint8Array,
  algorithm: Signer['signatureAlgorithm'],
  data: Uint8Array,
  signature: Uint8Array,
) {
  try {
    const key = new X509Certificate(der).publicKey
    const options =
      algorithm === 'RSA-PSS' ? { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 } : { key }
    return verifySignature('sha256', data, options, signature)
  } catch {
    return false
  }
}

/** Reads a certificate given as DER bytes or PEM text. Throws {@link SealError} `not-a-certificate`. */
export function describeCertificate(input: Uint8Array | string): CertificateSummary {
  const certificates = typeof input === 'string' ? certificatesFromPem(input) : [input]
  const der = certificates[0]
  if (!der) throw new SealError('not-a-certificate', 'No certificate was found in the text.')
  const certificate = parseCertificate(der)
  const attribute = (type: string) => {
    const found = certificate.subject.typesAndValues.find((t) => t.type === type)
    const value: unknown = found?.value.valueBlock.value
    return typeof value === 'string' ? value : null
  }
  const algorithm = certificate.subjectPublicKeyInfo.algorithm.algorithmId
  const canonical = certificateDer(certificate)
  return {
    der: canonical,
    commonName: attribute(OID.commonName),
    organization: attribute(OID.organization),
    country: attribute(OID.country),
    serialNumber: Buffer.from(certificate.serialNumber.valueBlock.valueHexView).toString('hex'),
    notBefore: certificate.notBefore.value,
    notAfter: certificate.notAfter.value,
    fingerprint: fingerprint(canonical),
    keyType: algorithm === OID.rsa || algorithm === OID.rsaPss ? 'RSA' : algorithm === OID.ec ? 'EC' : 'other',
    selfSigned: certificate.issuer.isEqual(certificate.subject),
  }
}

/** The DER bytes of each certificate in PEM text, in order. */
export function certificatesFromPem(pem: string): Uint8Array[] {
  const blocks = pem.matchAll(/-----BEGIN CERTIFICATE-----([\s\S]*?)-----END CERTIFICATE-----/g)
  return [...blocks].map((block) => new Uint8Array(Buffer.from((block[1] ?? '').replace(/\s+/g, ''), 'base64')))
}

export function fingerprint(der: Uint8Array): string {
  return createHash('sha256').update(der).digest('hex')
}

export function parseCertificate(der: Uint8Array): pkijs.Certificate {
  try {
    return pkijs.Certificate.fromBER(toArrayBuffer(der))
  } catch {
    throw new SealError('not-a-certificate', 'This is not an X.509 certificate (DER or PEM).')
  }
}

export function certificateDer(certificate: pkijs.Certificate): Uint8Array {
  return new Uint8Array(certificate.toSchema().toBER(false))
}

/** One attribute per relative name, as certificate authorities write them (pkijs would put all in one). */
function distinguishedName(parts: [string, string | undefined][]): pkijs.RelativeDistinguishedNames {
  const sets = parts.flatMap(([type, value]) => {
    if (value === undefined) return []
    const string = type === OID.country ? new asn1js.PrintableString({ value }) : new asn1js.Utf8String({ value })
    return [
      new asn1js.Set({
        value: [new asn1js.Sequence({ value: [new asn1js.ObjectIdentifier({ value: type }), string] })],
      }),
    ]
  })
  // Through BER, so that pkijs keeps these bytes instead of re-encoding them its own way.
  return pkijs.RelativeDistinguishedNames.fromBER(new asn1js.Sequence({ value: sets }).toBER(false))
}

/** UTCTime until 2049, GeneralizedTime after, as RFC 5280 asks. */
function certificateTime(date: Date): pkijs.Time {
  return new pkijs.Time({
    type: date.getUTCFullYear() < 2050 ? pkijs.TimeType.UTCTime : pkijs.TimeType.GeneralizedTime,
    value: date,
  })
}

/** 16 random bytes read as a positive integer, as RFC 5280 asks of serial numbers. */
function positiveSerial(): Uint8Array {
  const serial = new Uint8Array(randomBytes(16))
  serial[0] = ((serial[0] ?? 0) & 0x7f) | 0x01
  return serial
}
