import { execFile } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { delimiter, join } from 'node:path'
import fontkit from '@pdf-lib/fontkit'
import fc from 'fast-check'
import { PDFDocument, rgb } from 'pdf-lib'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  createSealingCertificate,
  describeCertificate,
  loadSealingIdentity,
  packP12,
  type SealingIdentity,
  type SealingKey,
} from './certificate.js'
import { boldFont, regularFont } from './fonts.js'
import { MAX_VERIFY_BYTES, SealError, sealPdf, verifySeal } from './seal.js'

// The readers that check our seals: poppler's pdfsig and pdftotext, qpdf, openssl. CI installs them; on a
// machine without them the tests that need them are skipped, with a note.
const onPath = (tool: string) => (process.env.PATH ?? '').split(delimiter).some((dir) => existsSync(join(dir, tool)))
const tools = {
  pdfsig: onPath('pdfsig'),
  pdftotext: onPath('pdftotext'),
  qpdf: onPath('qpdf'),
  openssl: onPath('openssl'),
}
const missing = Object.entries(tools)
  .filter(([, found]) => !found)
  .map(([tool]) => tool)
if (missing.length > 0 && !process.env.CI)
  console.warn(`seal.test.ts: ${missing.join(', ')} not installed; the tests that run them are skipped.`)
const without = (...needed: (keyof typeof tools)[]) => !process.env.CI && needed.some((tool) => !tools[tool])

/** Runs a command and gives back its exit code and output, whatever the code. */
function run(command: string, args: string[]): Promise<{ code: number; out: string }> {
  return new Promise((resolve) => {
    execFile(command, args, { encoding: 'utf8' }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0
      resolve({ code, out: `${stdout}${stderr}` })
    })
  })
}

let dir: string
let identity: SealingIdentity
let key: SealingKey
let contract: Uint8Array
let sealed: Uint8Array
const SEALED_AT = new Date('2026-03-02T10:15:00Z')

/** A two-page contract as our PDFs are made: pdf-lib, DejaVu Sans, Polish text. */
async function makeContract(): Promise<Uint8Array> {
  const doc = await PDFDocument.create()
  doc.registerFontkit(fontkit)
  const regular = await doc.embedFont(regularFont(), { subset: true })
  const bold = await doc.embedFont(boldFont(), { subset: true })
  doc.setTitle('Sales contract 2026-014')
  const first = doc.addPage([595.28, 841.89])
  first.drawText('Sales contract 2026-014', { x: 48, y: 780, size: 18, font: bold })
  first.drawText('Zażółć gęślą jaźń: the buyer pays 12 400 PLN.', { x: 48, y: 750, size: 11, font: regular })
  const second = doc.addPage([595.28, 841.89])
  second.drawText('Signed by all parties.', { x: 48, y: 780, size: 11, font: regular, color: rgb(0.1, 0.1, 0.1) })
  return doc.save()
}

const file = (name: string, bytes: Uint8Array) => {
  const path = join(dir, name)
  writeFileSync(path, bytes)
  return path
}

/** The offset of a byte in the middle of the original document's biggest stream (the embedded font). */
function offsetInsideBiggestStream(pdf: Uint8Array, limit: number): number {
  const text = Buffer.from(pdf.subarray(0, limit)).toString('latin1')
  let best = { start: 0, length: 0 }
  for (const match of text.matchAll(/stream\r?\n/g)) {
    const start = (match.index ?? 0) + match[0].length
    const end = text.indexOf('endstream', start)
    if (end > start && end - start > best.length) best = { start, length: end - start }
  }
  return best.start + Math.floor(best.length / 2)
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'signflow-seal-'))
  identity = await createSealingCertificate({
    commonName: 'Signflow seal',
    organization: 'Acme Sp. z o.o.',
    country: 'PL',
  })
  key = await loadSealingIdentity(identity.p12, identity.password)
  contract = await makeContract()
  sealed = await sealPdf(contract, key, {
    reason: 'Signed by all parties on Signflow (deal 2026-014)',
    location: 'Kraków',
    signingTime: SEALED_AT,
  })
})

afterAll(() => {
  rmSync(dir, { recursive: true, force: true })
})

describe('createSealingCertificate', () => {
  it('makes a self-signed RSA certificate that names the organisation and lasts the years asked for', async () => {
    const made = await createSealingCertificate({ commonName: 'Seal', organization: 'Zażółć', country: 'de', years: 2 })
    const { certificate } = await loadSealingIdentity(made.p12, made.password)
    expect(certificate).toMatchObject({
      commonName: 'Seal',
      organization: 'Zażółć',
      country: 'DE',
      keyType: 'RSA',
      selfSigned: true,
    })
    const years = (certificate.notAfter.getTime() - certificate.notBefore.getTime()) / (365.25 * 86_400_000)
    expect(years).toBeCloseTo(2, 1)
  })

  it.skipIf(without('openssl'))('writes a .p12 that OpenSSL opens with the password it returns', async () => {
    const p12 = file('ours.p12', identity.p12)
    const pass = file('ours.pass', new TextEncoder().encode(identity.password))
    const { code, out } = await run('openssl', ['pkcs12', '-in', p12, '-passin', `file:${pass}`, '-info', '-nodes'])
    expect(code, out).toBe(0)
    expect(out).toContain('MAC: sha256')
    expect(out).toContain('Shrouded Keybag: PBES2, PBKDF2, AES-256-CBC')
    expect(out).toMatch(/subject=C = PL, O = Acme Sp. z o.o., CN = Signflow seal/)
    expect(out).toContain('-----BEGIN PRIVATE KEY-----')
  })

  it('refuses a country that is not a two-letter code and a lifetime of zero years', async () => {
    await expect(createSealingCertificate({ commonName: 'Seal', country: 'Poland' })).rejects.toMatchObject({
      code: 'invalid-options',
    })
    await expect(createSealingCertificate({ commonName: 'Seal', years: 0 })).rejects.toMatchObject({
      code: 'invalid-options',
    })
    await expect(createSealingCertificate({ commonName: '  ' })).rejects.toThrow(/1 to 64 characters/)
  })
})

describe('loadSealingIdentity', () => {
  it('says the .p12 password is wrong when it is', async () => {
    await expect(loadSealingIdentity(identity.p12, 'not the password')).rejects.toThrow('The .p12 password is wrong.')
  })

  it('says the .p12 has no private key when only the certificate was exported', async () => {
    const onlyCertificate = await packP12({ certificates: [key.certificate.der], password: 'pw' })
    await expect(loadSealingIdentity(onlyCertificate, 'pw')).rejects.toMatchObject({
      code: 'no-private-key',
      message: expect.stringContaining('The .p12 has no private key'),
    })
  })

  it("says so when the .p12's key belongs to none of its certificates", async () => {
    const other = await crypto.subtle.generateKey(
      { name: 'RSASSA-PKCS1-v1_5', modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]), hash: 'SHA-256' },
      true,
      ['sign', 'verify'],
    )
    const mixed = await packP12({ certificates: [key.certificate.der], privateKey: other.privateKey, password: 'pw' })
    await expect(loadSealingIdentity(mixed, 'pw')).rejects.toMatchObject({ code: 'key-mismatch' })
  })

  it('says an upload that is not a .p12 is not one', async () => {
    await expect(loadSealingIdentity(new TextEncoder().encode('hello'), 'pw')).rejects.toMatchObject({
      code: 'not-p12',
      message: expect.stringContaining('not a .p12'),
    })
    await expect(loadSealingIdentity(contract, 'pw')).rejects.toBeInstanceOf(SealError)
  })

  it('refuses a certificate that has expired, since readers would reject its seals', async () => {
    const later = new Date(Date.now() + 4 * 365 * 86_400_000)
    await expect(loadSealingIdentity(identity.p12, identity.password, later)).rejects.toMatchObject({
      code: 'expired',
      message: expect.stringContaining('expired on'),
    })
  })

  it.skipIf(without('openssl'))(
    'opens a .p12 an admin exported with OpenSSL, with its CA certificate in either order',
    async () => {
      const ca = ['-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '30']
      await run('openssl', [
        'req',
        ...ca,
        '-keyout',
        join(dir, 'ca.key'),
        '-out',
        join(dir, 'ca.pem'),
        '-subj',
        '/CN=Acme CA',
      ])
      await run('openssl', [
        'req',
        '-newkey',
        'ec',
        '-pkeyopt',
        'ec_paramgen_curve:P-256',
        '-nodes',
        ...['-keyout', join(dir, 'leaf.key'), '-out', join(dir, 'leaf.csr')],
        '-subj',
        '/O=Acme/CN=Acme legal',
      ])
      await run('openssl', [
        'x509',
        '-req',
        '-in',
        join(dir, 'leaf.csr'),
        '-CA',
        join(dir, 'ca.pem'),
        '-CAkey',
        join(dir, 'ca.key'),
        '-CAcreateserial',
        '-days',
        '30',
        '-out',
        join(dir, 'leaf.pem'),
      ])
      writeFileSync(
        join(dir, 'chain.pem'),
        `${readFileSync(join(dir, 'leaf.pem'), 'utf8')}${readFileSync(join(dir, 'ca.pem'), 'utf8')}`,
      )
      const exported = await run('openssl', [
        'pkcs12',
        '-export',
        '-inkey',
        join(dir, 'leaf.key'),
        '-in',
        join(dir, 'chain.pem'),
        '-passout',
        'pass:Hasło 1',
        '-out',
        join(dir, 'admin.p12'),
      ])
      expect(exported.code, exported.out).toBe(0)

      const admin = await loadSealingIdentity(readFileSync(join(dir, 'admin.p12')), 'Hasło 1')
      expect(admin.certificate).toMatchObject({
        commonName: 'Acme legal',
        organization: 'Acme',
        keyType: 'EC',
        selfSigned: false,
      })
      const pdf = await sealPdf(contract, admin, { reason: 'Approved' })
      const report = await verifySeal(pdf, [readFileSync(join(dir, 'leaf.pem'), 'utf8')])
      expect(report).toMatchObject({ sealedByUs: true, unchanged: true })
      if (!without('pdfsig')) {
        const { out } = await run('pdfsig', [file('admin-sealed.pdf', pdf)])
        expect(out).toContain('Signature Validation: Signature is Valid.')
        expect(out).toContain('Signer Certificate Common Name: Acme legal')
      }

      // Some tools write the CA before the signer's own certificate: we must still sign as the signer.
      const pkcs8 = Buffer.from(
        readFileSync(join(dir, 'leaf.key'), 'utf8').replace(/-----[^-]+-----|\s/g, ''),
        'base64',
      )
      const leafKey = await crypto.subtle.importKey('pkcs8', pkcs8, { name: 'ECDSA', namedCurve: 'P-256' }, true, [
        'sign',
      ])
      const caFirst = await packP12({
        certificates: [readFileSync(join(dir, 'ca.pem'), 'utf8'), readFileSync(join(dir, 'leaf.pem'), 'utf8')].map(
          (pem) => describeCertificate(pem).der,
        ),
        privateKey: leafKey,
        password: 'pw',
      })
      const reordered = await loadSealingIdentity(caFirst, 'pw')
      expect(reordered.certificate.commonName).toBe('Acme legal')
      expect(reordered.signer.certificateChain?.map((der) => describeCertificate(der).commonName)).toEqual(['Acme CA'])
      const resealed = await sealPdf(contract, reordered, { reason: 'Approved' })
      expect((await verifySeal(resealed, [admin])).sealedByUs).toBe(true)
    },
  )
})

describe('sealPdf', () => {
  it.skipIf(without('pdfsig'))(
    'seals the document so that pdfsig calls the signature valid over the whole document',
    async () => {
      const { out } = await run('pdfsig', [file('sealed.pdf', sealed)])
      expect(out).toContain('Signature #1:')
      expect(out).toContain('Signer Certificate Common Name: Signflow seal')
      expect(out).toContain('Signature Type: ETSI.CAdES.detached')
      expect(out).toContain('Total document signed')
      expect(out).toContain('Signature Validation: Signature is Valid.')
      expect(out).not.toContain('Signature #2:')
    },
  )

  it('only appends to the document: every original byte stays where it was', () => {
    expect(sealed.length).toBeGreaterThan(contract.length)
    expect(Buffer.from(sealed.subarray(0, contract.length)).equals(contract)).toBe(true)
  })

  it.skipIf(without('qpdf', 'pdftotext'))(
    'leaves a file qpdf finds no errors in, whose text pdftotext still reads',
    async () => {
      const path = file('sealed-check.pdf', sealed)
      const check = await run('qpdf', ['--check', path])
      expect(check.code, check.out).toBe(0)
      expect(check.out).toContain('No syntax or stream encoding errors found')
      const text = await run('pdftotext', ['-enc', 'UTF-8', path, '-'])
      expect(text.out).toContain('Zażółć gęślą jaźń: the buyer pays 12 400 PLN.')
      expect(text.out).toContain('Signed by all parties.')
    },
  )

  it.skipIf(without('pdfsig'))('keeps the first seal valid when the document is sealed a second time', async () => {
    const twice = await sealPdf(sealed, identity, { reason: 'Countersigned' })
    const { out } = await run('pdfsig', [file('twice.pdf', twice)])
    expect(out.match(/Signature Validation: Signature is Valid\./g)).toHaveLength(2)
    expect(out).toMatch(/Signature #1:[\s\S]*Not total document signed[\s\S]*Signature #2:[\s\S]*Total document signed/)

    const report = await verifySeal(twice, [key])
    expect(report).toMatchObject({ sealedByUs: true, unchanged: true, problem: undefined })
    expect(report.signatures.map((s) => [s.field, s.valid, s.coversWholeFile, s.reason])).toEqual([
      ['Signature_1', true, false, 'Signed by all parties on Signflow [deal 2026-014]'],
      ['Signature_2', true, true, 'Countersigned'],
    ])
  })

  it('refuses a file that is not a PDF, and a .p12 opened with the wrong password', async () => {
    await expect(sealPdf(new TextEncoder().encode('plain text'), key, { reason: 'x' })).rejects.toMatchObject({
      code: 'not-pdf',
    })
    await expect(sealPdf(contract, { p12: identity.p12, password: 'wrong' }, { reason: 'x' })).rejects.toMatchObject({
      code: 'wrong-password',
    })
  })

  it.skipIf(without('openssl', 'pdfsig'))(
    'adds a timestamp from an RFC 3161 authority when given its address',
    async () => {
      const tsa = await startTimestampAuthority()
      try {
        const stamped = await sealPdf(contract, key, { reason: 'Timestamped', timestampUrl: tsa.url })
        const { out } = await run('pdfsig', [file('stamped.pdf', stamped)])
        expect(out).toContain('Signature Validation: Signature is Valid.')
        const report = await verifySeal(stamped, [key])
        expect(report.sealedByUs).toBe(true)
        expect(report.signatures[0]?.timestamp).toMatchObject({ valid: true, authority: 'Test TSA' })
        expect(Math.abs((report.signatures[0]?.timestamp?.time.getTime() ?? 0) - Date.now())).toBeLessThan(60_000)
      } finally {
        await tsa.close()
      }
    },
  )

  it('says so when the timestamp authority does not answer, rather than sealing without its time', async () => {
    const closed = createServer()
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve))
    const { port } = closed.address() as AddressInfo
    await new Promise((resolve) => closed.close(resolve))
    await expect(
      sealPdf(contract, key, { reason: 'Timestamped', timestampUrl: `http://127.0.0.1:${port}/` }),
    ).rejects.toMatchObject({ code: 'timestamp-failed', message: expect.stringContaining('did not give a timestamp') })
  })
})

describe('verifySeal', () => {
  it('says a sealed document was sealed by us, is unchanged, and who sealed it when', async () => {
    const report = await verifySeal(sealed, [key.certificate])
    expect(report).toEqual({
      sealedByUs: true,
      unchanged: true,
      problem: undefined,
      signatures: [
        {
          field: 'Signature_1',
          kind: 'signature',
          format: 'ETSI.CAdES.detached',
          valid: true,
          coversWholeFile: true,
          bytesAfter: 0,
          signer: {
            commonName: 'Signflow seal',
            organization: 'Acme Sp. z o.o.',
            country: 'PL',
            fingerprint: key.certificate.fingerprint,
            selfSigned: true,
          },
          signingTime: SEALED_AT,
          timestamp: null,
          reason: 'Signed by all parties on Signflow [deal 2026-014]',
          location: 'Kraków',
          trusted: true,
        },
      ],
    })
  })

  it('accepts the trusted certificate as DER, as PEM text, or as the stored identity', async () => {
    const pem = `-----BEGIN CERTIFICATE-----\n${Buffer.from(key.certificate.der).toString('base64')}\n-----END CERTIFICATE-----\n`
    for (const trusted of [key.certificate.der, pem, identity]) {
      expect((await verifySeal(sealed, [trusted])).sealedByUs).toBe(true)
    }
    expect(describeCertificate(pem).fingerprint).toBe(key.certificate.fingerprint)
  })

  it('notices one changed byte inside the signed content, as pdfsig does', async () => {
    const tampered = new Uint8Array(sealed)
    const at = offsetInsideBiggestStream(tampered, contract.length)
    tampered[at] = (tampered[at] ?? 0) ^ 0x01

    const report = await verifySeal(tampered, [key])
    expect(report.sealedByUs).toBe(false)
    expect(report.unchanged).toBe(false)
    expect(report.signatures[0]).toMatchObject({ valid: false, trusted: true, signer: { commonName: 'Signflow seal' } })
    expect(report.problem).toMatch(/changed after it was signed.*digest mismatch/)
    expect(report).toMatchObject({
      problemCode: 'signature-invalid',
      params: { field: report.signatures[0]?.field, reason: 'changed' },
    })
    expect(report.signatures[0]).toMatchObject({ problemCode: 'changed', params: {} })
    if (!without('pdfsig')) {
      const { out } = await run('pdfsig', [file('tampered.pdf', tampered)])
      expect(out).toContain('Signature Validation: Digest Mismatch.')
    }
  })

  it('says the document changed after sealing when bytes were appended to it', async () => {
    const added = Buffer.from('\n% added later\n')
    const appended = Buffer.concat([sealed, added])
    const report = await verifySeal(appended, [key])
    expect(report).toMatchObject({ sealedByUs: true, unchanged: false })
    expect(report.signatures[0]).toMatchObject({ valid: true, coversWholeFile: false, bytesAfter: added.length })
    expect(report.problem).toBe(
      `The document was changed after we sealed it: ${added.length} bytes were added after our seal.`,
    )
    expect(report).toMatchObject({ problemCode: 'bytes-added', params: { count: added.length } })
  })

  it('says a document sealed with another certificate was not sealed by us', async () => {
    const stranger = await createSealingCertificate({ commonName: 'Someone else' })
    const report = await verifySeal(sealed, [(await loadSealingIdentity(stranger.p12, stranger.password)).certificate])
    expect(report.sealedByUs).toBe(false)
    expect(report.signatures[0]).toMatchObject({ valid: true, trusted: false })
    expect(report.problem).toBe('This PDF is signed by Signflow seal, but not sealed by us.')
    expect(report).toMatchObject({ problemCode: 'not-ours', params: { who: 'Signflow seal' } })
  })

  it('answers a garbage upload, an empty file, a huge file and an unsigned PDF with a problem, not an error', async () => {
    const cases: [Uint8Array, RegExp, RegExp, { maxBytes?: number }?][] = [
      [new TextEncoder().encode('<html>not a pdf</html>'), /not a PDF/, /^not-pdf$/],
      [new Uint8Array(0), /empty/, /^empty$/],
      [new Uint8Array(2048).fill(0x25), /not a PDF/, /^not-pdf$/],
      [sealed, /^The file is larger than 10 KB, the most this check reads\.$/, /^too-large$/, { maxBytes: 10 * 1024 }],
      [
        new Uint8Array(MAX_VERIFY_BYTES + 1),
        /^The file is larger than 50 MB, the most this check reads\.$/,
        /^too-large$/,
      ],
      [
        new TextEncoder().encode('%PDF-1.7\n1 0 obj << /Type /Catalog >>\ngarbage'),
        /damaged|no seal/,
        /^(unreadable|no-signature)$/,
      ],
      [
        Buffer.concat([Buffer.from('%PDF-1.7\n'), Buffer.alloc(5000, 0xff)]),
        /damaged|no seal/,
        /^(unreadable|no-signature)$/,
      ],
      [contract, /^This PDF has no seal: it holds no digital signature\.$/, /^no-signature$/],
      [sealed.subarray(0, Math.floor(sealed.length * 0.9)), /damaged or cut short/, /^signature-unreadable$/],
    ]
    for (const [bytes, problem, code, options] of cases) {
      const report = await verifySeal(bytes, [key], options)
      expect(report).toMatchObject({ sealedByUs: false, unchanged: false, signatures: [] })
      expect(report.problem).toMatch(problem)
      expect(report.problemCode).toMatch(code)
    }
    expect((await verifySeal(new Uint8Array(MAX_VERIFY_BYTES + 1), [key])).params).toEqual({ size: '50 MB' })
  })

  it('reads an upload with a stray "{" in a dictionary, which sends @libpdf/core 0.4.2 into an endless loop', async () => {
    const bytes = Buffer.from(sealed)
    const reference = bytes.indexOf(' 0 R', bytes.indexOf('/Pages'))
    bytes[reference + 2] = '{'.charCodeAt(0)
    const report = await verifySeal(bytes, [key])
    expect(report).toMatchObject({ sealedByUs: false, unchanged: false })
    expect(report.problem).toMatch(/digest mismatch/)
  })

  it('answers every damaged copy of a sealed document without throwing, and never calls a changed one unchanged', async () => {
    const twice = await sealPdf(sealed, key, { reason: 'Countersigned' })
    // The bytes of the newest signature value that follow its DER are padding no signature covers.
    const text = Buffer.from(twice).toString('latin1')
    const [, holeStart = 0, holeEnd = 0] = [...text.matchAll(/\/ByteRange \[0 (\d+) +(\d+)/g)].at(-1)?.map(Number) ?? []
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.record({ at: fc.nat(twice.length - 1), byte: fc.nat(255) }), { minLength: 1, maxLength: 4 }),
        fc.option(fc.nat(twice.length), { nil: undefined }),
        async (changes, cut) => {
          const bytes = new Uint8Array(twice)
          for (const { at, byte } of changes) bytes[at] = byte
          const damaged = cut === undefined ? bytes : bytes.subarray(0, cut)
          const report = await verifySeal(damaged, [key])
          const changed = changes.some(({ at }) => twice[at] !== bytes[at] && (at <= holeStart || at >= holeEnd - 1))
          if (changed || damaged.length < twice.length) expect(report.sealedByUs && report.unchanged).toBe(false)
        },
      ),
      { numRuns: 150 },
    )
  })
})

/** An RFC 3161 timestamp authority on 127.0.0.1 that answers with `openssl ts -reply`. */
async function startTimestampAuthority(): Promise<{ url: string; close: () => Promise<void> }> {
  const tsa = join(dir, 'tsa')
  await run('mkdir', ['-p', tsa])
  const made = await run('openssl', [
    'req',
    '-x509',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-days',
    '2',
    '-subj',
    '/CN=Test TSA',
    '-addext',
    'extendedKeyUsage=critical,timeStamping',
    '-keyout',
    join(tsa, 'tsa.key'),
    '-out',
    join(tsa, 'tsa.crt'),
  ])
  expect(made.code, made.out).toBe(0)
  writeFileSync(join(tsa, 'serial'), '01\n')
  writeFileSync(
    join(tsa, 'tsa.cnf'),
    [
      '[ tsa ]',
      'default_tsa = tsa1',
      '[ tsa1 ]',
      `serial = ${join(tsa, 'serial')}`,
      `signer_cert = ${join(tsa, 'tsa.crt')}`,
      `signer_key = ${join(tsa, 'tsa.key')}`,
      'signer_digest = sha256',
      'default_policy = 1.2.3.4.1',
      'digests = sha256, sha384, sha512',
      'ess_cert_id_alg = sha256',
      '',
    ].join('\n'),
  )
  let requests = 0
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = []
    request.on('data', (chunk: Buffer) => chunks.push(chunk))
    request.on('end', async () => {
      const n = ++requests
      const query = join(tsa, `${n}.tsq`)
      const reply = join(tsa, `${n}.tsr`)
      writeFileSync(query, Buffer.concat(chunks))
      await run('openssl', ['ts', '-reply', '-config', join(tsa, 'tsa.cnf'), '-queryfile', query, '-out', reply])
      response.writeHead(200, { 'content-type': 'application/timestamp-reply' })
      response.end(readFileSync(reply))
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}/`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  }
}
