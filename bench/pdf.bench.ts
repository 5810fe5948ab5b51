/**
 * bench/pdf: finished documents per second — a 2-page contract drawn from its content (both parties, the
 * clauses, items with tax, our stamp and signature images, signature boxes; DejaVu Sans embedded) and
 * sealed with the platform's PAdES signature (RSA 2048) — against pdf-lib drawing the same text into a
 * blank 2-page PDF with the same font and saving it (the baseline: what the text alone costs, no layout,
 * images or seal). Ratio = ours / theirs (below 1: the seal and the layout cost that much more).
 */
import fontkit from '@pdf-lib/fontkit'
import { PDFDocument } from 'pdf-lib'
import { Bench } from 'tinybench'
import { type DocumentContent, renderDocument } from '../server/documents/render.js'
import { builtinTemplate } from '../server/documents/templates.js'
import { createSealingCertificate, loadSealingIdentity } from '../server/pdf/certificate.js'
import { regularFont } from '../server/pdf/fonts.js'
import { sealPdf } from '../server/pdf/seal.js'
import { demoSignaturePng, demoStampPng } from '../server/runtime/demo-images.js'
import { printOutcome, throughputOf } from './report.js'

const content: DocumentContent = {
  type: 'contract',
  number: 'CTR-2026-0042',
  subject: 'Office chairs and desks — Zażółć gęślą jaźń',
  issuedOn: '2026-11-23',
  locale: 'pl-PL',
  currency: 'PLN',
  seller: {
    name: 'Signflow Demo spółka z ograniczoną odpowiedzialnością',
    lines: ['ul. Marszałkowska 1, 00-001 Warszawa, Poland', 'Tax ID PL5250001009', 'Reg. No. KRS 0000123456'],
  },
  buyer: {
    name: 'İğdır Şirketi A.Ş.',
    lines: ['Atatürk Cd. 1, Iğdır, Türkiye', 'Tax ID 1234567890', 'Attn. Mehmet Öztürk'],
  },
  bank: ['Bank Demo S.A.', 'IBAN PL61109010140000071219812874', 'BIC WBKPPLPP'],
  items: [
    { description: 'Office chair, ergonomic', quantity: 10, unit: 'pcs', unitPrice: 615.05, taxRate: 23 },
    { description: 'Desk, oak, 160 × 80 cm', quantity: 5, unit: 'pcs', unitPrice: 1890, taxRate: 23 },
    { description: 'Delivery and assembly (Straße 5)', quantity: 1, unit: '', unitPrice: 450, taxRate: 8 },
  ],
  details: [{ label: 'Delivery', value: 'Société Générale, 29 boulevard Haussmann, Paris' }],
  companySigner: 'Ayşe Yılmaz',
  stamp: demoStampPng(),
  signature: demoSignaturePng(),
  values: {},
}
const template = builtinTemplate('tpl-contract')
if (!template) throw new Error('no built-in contract template')
const identity = await createSealingCertificate({ commonName: 'Bench seal', years: 1 })
const key = await loadSealingIdentity(identity.p12, identity.password)

const first = await renderDocument(content, template)
if (first.pages !== 2) throw new Error(`the benchmark contract must have 2 pages, not ${first.pages}`)

// The same words, as lines: what the baseline draws.
const words = [
  `Contract No. ${content.number}`,
  content.seller.name,
  ...content.seller.lines,
  ...content.bank,
  content.buyer.name,
  ...content.buyer.lines,
  `Subject: ${content.subject}`,
  ...content.items.map((i) => `${i.description} ${i.quantity} ${i.unitPrice}`),
  ...content.details.map((d) => `${d.label}: ${d.value}`),
  'The Seller shall deliver to the Buyer the goods listed, on the terms of this contract.',
  'The Buyer shall pay the price in total, tax included, within 14 days of the invoice.',
  'Delivery is confirmed by an acceptance act signed by both parties.',
  'Each party keeps confidential what it learns of the other under this contract.',
  'This contract is signed electronically by both parties.',
]

async function baseline(): Promise<Uint8Array> {
  const doc = await PDFDocument.create()
  doc.registerFontkit(fontkit)
  const font = await doc.embedFont(regularFont(), { subset: true })
  for (let p = 0; p < 2; p++) {
    const page = doc.addPage([595.28, 841.89])
    words.forEach((line, i) => {
      page.drawText(line, { x: 48, y: 790 - i * 16, size: 10, font })
    })
  }
  return doc.save({ useObjectStreams: false })
}

async function ours(): Promise<Uint8Array> {
  const rendered = await renderDocument(content, template as NonNullable<typeof template>)
  return sealPdf(rendered.pdf, key, {
    reason: 'Signed by all parties on Signflow',
    signingTime: new Date('2026-11-23T12:00:00Z'),
  })
}

const sealed = await ours()
console.log(`contract: ${first.pages} pages, ${first.pdf.length} bytes drawn, ${sealed.length} bytes sealed`)

const bench = new Bench({ time: 4000, warmup: true, warmupTime: 1000 })
bench.add('signflow contract, drawn and sealed', async () => {
  await ours()
})
bench.add('pdf-lib: same text on 2 blank pages', async () => {
  await baseline()
})
await bench.run()
console.table(bench.table())
printOutcome({
  bench: 'pdf',
  ours: throughputOf(bench, 'signflow contract, drawn and sealed'),
  baseline: 'pdf-lib: same text on 2 blank pages',
  theirs: throughputOf(bench, 'pdf-lib: same text on 2 blank pages'),
  unit: 'documents/s',
})
