/**
 * What built-in documents say, in each language Signflow speaks (issue 11): the type's word ("Faktura"),
 * headings, the table, totals, a contract's clauses, the signing boxes and the page footer. Names, numbers
 * and the element's values are never translated; amounts and dates are formatted with Intl for the
 * document's locale (`render.ts`).
 */
import type { DocumentType } from '../../shared/graph/vocabulary.js'
import type { Language } from '../../shared/i18n/languages.js'

export interface DocumentWords {
  /** The document type's word, as its title says it. */
  types: Readonly<Record<DocumentType, string>>
  number: (number: string) => string
  issued: (date: string) => string
  /** Party headings: a contract's seller and buyer; another document's issuer and recipient. */
  seller: string
  buyer: string
  from: string
  to: string
  subject: (subject: string) => string
  /** A contract's clauses: heading and text, given the subject and the total. */
  clauses: (subject: string, total: string) => ReadonlyArray<readonly [string, string]>
  columns: {
    number: string
    description: string
    quantity: string
    unitPrice: string
    net: string
    tax: string
    gross: string
  }
  netTotal: string
  taxTotal: string
  totalDue: string
  total: string
  payWithin: (amount: string, bank: string) => string
  offerValid: string
  actConfirmed: string
  details: string
  /** Signing boxes' headings (written in capitals on the page). */
  forSeller: string
  issuedBy: string
  forBuyer: string
  receivedBy: string
  nameAndSignature: string
  date: string
  /** What a signer sees next to their signature box. */
  signature: string
  page: (label: string, page: number, pages: number) => string
  /** An item without a description. */
  item: (n: number) => string
  /** The lines under a party's name. */
  taxId: (value: string) => string
  vatId: (value: string) => string
  registration: (value: string) => string
  attention: (person: string) => string
  /** A simulator's preview: the word instead of the number, and the mark over every page (drawn in capitals). */
  preview: string
  previewMark: string
}

const en: DocumentWords = {
  types: {
    invoice: 'Invoice',
    contract: 'Contract',
    commercialOffer: 'Commercial offer',
    act: 'Acceptance act',
    other: 'Document',
  },
  number: (n) => `No. ${n}`,
  issued: (date) => `Issued ${date}`,
  seller: 'Seller',
  buyer: 'Buyer',
  from: 'From',
  to: 'To',
  subject: (s) => `Subject: ${s}`,
  clauses: (subject, total) => [
    [
      '1. Subject',
      `The Seller shall deliver to the Buyer: ${subject || 'the goods and services listed in § 2'}, on the terms of this contract.`,
    ],
    [
      '2. Price',
      `The Buyer shall pay ${total} in total, tax included, itemised below, within 14 days of the invoice, to the Seller's account.`,
    ],
    [
      '3. Delivery and acceptance',
      'Delivery is confirmed by an acceptance act signed by both parties. Defects found at acceptance are listed in it and remedied by the Seller within 14 days.',
    ],
    [
      '4. Confidentiality',
      'Each party keeps confidential what it learns of the other under this contract, during it and for three years after it ends.',
    ],
    [
      '5. Signatures',
      'This contract is signed electronically by both parties. Each party receives the signed document with its certificate page.',
    ],
  ],
  columns: {
    number: '#',
    description: 'Description',
    quantity: 'Qty',
    unitPrice: 'Unit price',
    net: 'Net',
    tax: 'Tax',
    gross: 'Gross',
  },
  netTotal: 'Net total',
  taxTotal: 'Tax',
  totalDue: 'Total due',
  total: 'Total',
  payWithin: (amount, bank) => `Please pay ${amount} within 14 days to: ${bank}.`,
  offerValid: 'This offer is valid for 30 days from its date of issue.',
  actConfirmed: 'The parties confirm that the goods and services above were delivered and accepted without objections.',
  details: 'Details',
  forSeller: 'For the seller',
  issuedBy: 'Issued by',
  forBuyer: 'For the buyer',
  receivedBy: 'Received by',
  nameAndSignature: 'Name, signature',
  date: 'Date',
  signature: 'Signature',
  page: (label, page, pages) => `${label} · page ${page} of ${pages}`,
  item: (n) => `Item ${n}`,
  taxId: (v) => `Tax ID ${v}`,
  vatId: (v) => `VAT ID ${v}`,
  registration: (v) => `Reg. No. ${v}`,
  attention: (person) => `Attn. ${person}`,
  preview: 'Preview',
  previewMark: 'Preview — not valid',
}

const pl: DocumentWords = {
  types: {
    invoice: 'Faktura',
    contract: 'Umowa',
    commercialOffer: 'Oferta handlowa',
    act: 'Protokół odbioru',
    other: 'Dokument',
  },
  number: (n) => `Nr ${n}`,
  issued: (date) => `Data wystawienia: ${date}`,
  seller: 'Sprzedawca',
  buyer: 'Kupujący',
  from: 'Wystawca',
  to: 'Odbiorca',
  subject: (s) => `Przedmiot: ${s}`,
  clauses: (subject, total) => [
    [
      '1. Przedmiot umowy',
      `Sprzedawca dostarczy Kupującemu: ${subject || 'towary i usługi wymienione w § 2'}, na warunkach niniejszej umowy.`,
    ],
    [
      '2. Cena',
      `Kupujący zapłaci łącznie ${total} z podatkiem, zgodnie z zestawieniem poniżej, w terminie 14 dni od wystawienia faktury, na rachunek Sprzedawcy.`,
    ],
    [
      '3. Dostawa i odbiór',
      'Dostawę potwierdza protokół odbioru podpisany przez obie strony. Wady stwierdzone przy odbiorze wpisuje się do protokołu, a Sprzedawca usuwa je w ciągu 14 dni.',
    ],
    [
      '4. Poufność',
      'Każda ze stron zachowuje w poufności to, czego dowie się o drugiej stronie w związku z niniejszą umową, w czasie jej trwania i przez trzy lata po jej zakończeniu.',
    ],
    [
      '5. Podpisy',
      'Umowę podpisują elektronicznie obie strony. Każda ze stron otrzymuje podpisany dokument wraz ze stroną certyfikatu.',
    ],
  ],
  columns: {
    number: 'Lp.',
    description: 'Opis',
    quantity: 'Ilość',
    unitPrice: 'Cena jedn.',
    net: 'Netto',
    tax: 'VAT',
    gross: 'Brutto',
  },
  netTotal: 'Razem netto',
  taxTotal: 'VAT',
  totalDue: 'Do zapłaty',
  total: 'Razem brutto',
  payWithin: (amount, bank) => `Prosimy o zapłatę ${amount} w terminie 14 dni na rachunek: ${bank}.`,
  offerValid: 'Oferta jest ważna 30 dni od daty wystawienia.',
  actConfirmed: 'Strony potwierdzają, że powyższe towary i usługi zostały dostarczone i odebrane bez zastrzeżeń.',
  details: 'Szczegóły',
  forSeller: 'W imieniu sprzedawcy',
  issuedBy: 'Wystawca',
  forBuyer: 'W imieniu kupującego',
  receivedBy: 'Odbiorca',
  nameAndSignature: 'Imię i nazwisko, podpis',
  date: 'Data',
  signature: 'Podpis',
  page: (label, page, pages) => `${label} · strona ${page} z ${pages}`,
  item: (n) => `Pozycja ${n}`,
  taxId: (v) => `NIP ${v}`,
  vatId: (v) => `NIP UE ${v}`,
  registration: (v) => `Nr rej. ${v}`,
  attention: (person) => `Do rąk: ${person}`,
  preview: 'Podgląd',
  previewMark: 'Podgląd — nieważne',
}

const fr: DocumentWords = {
  types: {
    invoice: 'Facture',
    contract: 'Contrat',
    commercialOffer: 'Offre commerciale',
    act: 'Procès-verbal de réception',
    other: 'Document',
  },
  number: (n) => `N° ${n}`,
  issued: (date) => `Émis le ${date}`,
  seller: 'Vendeur',
  buyer: 'Acheteur',
  from: 'Émetteur',
  to: 'Destinataire',
  subject: (s) => `Objet : ${s}`,
  clauses: (subject, total) => [
    [
      '1. Objet',
      `Le Vendeur livre à l’Acheteur : ${subject || 'les biens et services énumérés au § 2'}, aux conditions du présent contrat.`,
    ],
    [
      '2. Prix',
      `L’Acheteur paie au total ${total} toutes taxes comprises, selon le détail ci-dessous, dans les 14 jours suivant la facture, sur le compte du Vendeur.`,
    ],
    [
      '3. Livraison et réception',
      'La livraison est constatée par un procès-verbal de réception signé par les deux parties. Les défauts constatés à la réception y sont consignés et corrigés par le Vendeur sous 14 jours.',
    ],
    [
      '4. Confidentialité',
      'Chaque partie garde confidentiel ce qu’elle apprend de l’autre au titre du présent contrat, pendant sa durée et trois ans après son terme.',
    ],
    [
      '5. Signatures',
      'Le présent contrat est signé électroniquement par les deux parties. Chaque partie reçoit le document signé avec sa page de certificat.',
    ],
  ],
  columns: {
    number: 'N°',
    description: 'Désignation',
    quantity: 'Qté',
    unitPrice: 'Prix unit.',
    net: 'HT',
    tax: 'TVA',
    gross: 'TTC',
  },
  netTotal: 'Total HT',
  taxTotal: 'TVA',
  totalDue: 'Net à payer',
  total: 'Total TTC',
  payWithin: (amount, bank) => `Merci de régler ${amount} sous 14 jours sur le compte : ${bank}.`,
  offerValid: 'Cette offre est valable 30 jours à compter de sa date d’émission.',
  actConfirmed:
    'Les parties confirment que les biens et services ci-dessus ont été livrés et réceptionnés sans réserve.',
  details: 'Détails',
  forSeller: 'Pour le vendeur',
  issuedBy: 'Émis par',
  forBuyer: 'Pour l’acheteur',
  receivedBy: 'Reçu par',
  nameAndSignature: 'Nom, signature',
  date: 'Date',
  signature: 'Signature',
  page: (label, page, pages) => `${label} · page ${page} sur ${pages}`,
  item: (n) => `Article ${n}`,
  taxId: (v) => `Id. fiscal ${v}`,
  vatId: (v) => `N° TVA ${v}`,
  registration: (v) => `Immatriculation ${v}`,
  attention: (person) => `À l’attention de ${person}`,
  preview: 'Aperçu',
  previewMark: 'Aperçu — sans valeur',
}

const tr: DocumentWords = {
  types: {
    invoice: 'Fatura',
    contract: 'Sözleşme',
    commercialOffer: 'Ticari teklif',
    act: 'Teslim tutanağı',
    other: 'Belge',
  },
  number: (n) => `No: ${n}`,
  issued: (date) => `Düzenlenme tarihi: ${date}`,
  seller: 'Satıcı',
  buyer: 'Alıcı',
  from: 'Düzenleyen',
  to: 'Alıcı',
  subject: (s) => `Konu: ${s}`,
  clauses: (subject, total) => [
    [
      '1. Konu',
      `Satıcı, bu sözleşmenin koşullarıyla Alıcıya şunları teslim eder: ${subject || '2. maddede sayılan mal ve hizmetler'}.`,
    ],
    [
      '2. Bedel',
      `Alıcı, aşağıda kalem kalem gösterilen, vergiler dahil toplam ${total} tutarı fatura tarihinden itibaren 14 gün içinde Satıcının hesabına öder.`,
    ],
    [
      '3. Teslim ve kabul',
      'Teslim, iki tarafça imzalanan bir teslim tutanağıyla belgelenir. Kabul sırasında tespit edilen ayıplar tutanağa yazılır ve Satıcı tarafından 14 gün içinde giderilir.',
    ],
    [
      '4. Gizlilik',
      'Taraflar, bu sözleşme kapsamında birbirleri hakkında öğrendiklerini sözleşme süresince ve sona ermesinden sonra üç yıl boyunca gizli tutar.',
    ],
    [
      '5. İmzalar',
      'Bu sözleşme iki tarafça elektronik olarak imzalanır. Her taraf, imzalı belgeyi sertifika sayfasıyla birlikte alır.',
    ],
  ],
  columns: {
    number: '#',
    description: 'Açıklama',
    quantity: 'Miktar',
    unitPrice: 'Birim fiyat',
    net: 'Net',
    tax: 'KDV',
    gross: 'Brüt',
  },
  netTotal: 'Ara toplam',
  taxTotal: 'KDV',
  totalDue: 'Ödenecek tutar',
  total: 'Genel toplam',
  payWithin: (amount, bank) => `Lütfen ${amount} tutarını 14 gün içinde şu hesaba ödeyin: ${bank}.`,
  offerValid: 'Bu teklif, düzenlenme tarihinden itibaren 30 gün geçerlidir.',
  actConfirmed: 'Taraflar, yukarıdaki mal ve hizmetlerin teslim edildiğini ve itirazsız kabul edildiğini onaylar.',
  details: 'Ayrıntılar',
  forSeller: 'Satıcı adına',
  issuedBy: 'Düzenleyen',
  forBuyer: 'Alıcı adına',
  receivedBy: 'Teslim alan',
  nameAndSignature: 'Ad soyad, imza',
  date: 'Tarih',
  signature: 'İmza',
  page: (label, page, pages) => `${label} · sayfa ${page} / ${pages}`,
  item: (n) => `Kalem ${n}`,
  taxId: (v) => `Vergi No ${v}`,
  vatId: (v) => `KDV No ${v}`,
  registration: (v) => `Sicil No ${v}`,
  attention: (person) => `İlgili: ${person}`,
  preview: 'Önizleme',
  previewMark: 'Önizleme — geçersiz',
}

const de: DocumentWords = {
  types: {
    invoice: 'Rechnung',
    contract: 'Vertrag',
    commercialOffer: 'Angebot',
    act: 'Abnahmeprotokoll',
    other: 'Dokument',
  },
  number: (n) => `Nr. ${n}`,
  issued: (date) => `Ausgestellt am ${date}`,
  seller: 'Verkäufer',
  buyer: 'Käufer',
  from: 'Aussteller',
  to: 'Empfänger',
  subject: (s) => `Betreff: ${s}`,
  clauses: (subject, total) => [
    [
      '1. Gegenstand',
      `Der Verkäufer liefert dem Käufer: ${subject || 'die in § 2 aufgeführten Waren und Leistungen'}, zu den Bedingungen dieses Vertrags.`,
    ],
    [
      '2. Preis',
      `Der Käufer zahlt insgesamt ${total} einschließlich Steuern, unten einzeln aufgeführt, innerhalb von 14 Tagen nach Rechnungsstellung auf das Konto des Verkäufers.`,
    ],
    [
      '3. Lieferung und Abnahme',
      'Die Lieferung wird durch ein von beiden Parteien unterschriebenes Abnahmeprotokoll bestätigt. Bei der Abnahme festgestellte Mängel werden darin aufgeführt und vom Verkäufer innerhalb von 14 Tagen behoben.',
    ],
    [
      '4. Vertraulichkeit',
      'Jede Partei behandelt vertraulich, was sie im Rahmen dieses Vertrags über die andere erfährt, während seiner Laufzeit und drei Jahre nach seinem Ende.',
    ],
    [
      '5. Unterschriften',
      'Dieser Vertrag wird von beiden Parteien elektronisch unterschrieben. Jede Partei erhält das unterschriebene Dokument mit seiner Zertifikatsseite.',
    ],
  ],
  columns: {
    number: 'Nr.',
    description: 'Beschreibung',
    quantity: 'Menge',
    unitPrice: 'Einzelpreis',
    net: 'Netto',
    tax: 'USt.',
    gross: 'Brutto',
  },
  netTotal: 'Nettobetrag',
  taxTotal: 'USt.',
  totalDue: 'Zu zahlen',
  total: 'Gesamtbetrag',
  payWithin: (amount, bank) => `Bitte zahlen Sie ${amount} innerhalb von 14 Tagen auf folgendes Konto: ${bank}.`,
  offerValid: 'Dieses Angebot gilt 30 Tage ab dem Ausstellungsdatum.',
  actConfirmed:
    'Die Parteien bestätigen, dass die oben genannten Waren und Leistungen geliefert und ohne Beanstandungen abgenommen wurden.',
  details: 'Details',
  forSeller: 'Für den Verkäufer',
  issuedBy: 'Ausgestellt von',
  forBuyer: 'Für den Käufer',
  receivedBy: 'Empfangen von',
  nameAndSignature: 'Name, Unterschrift',
  date: 'Datum',
  signature: 'Unterschrift',
  page: (label, page, pages) => `${label} · Seite ${page} von ${pages}`,
  item: (n) => `Position ${n}`,
  taxId: (v) => `Steuer-Nr. ${v}`,
  vatId: (v) => `USt-IdNr. ${v}`,
  registration: (v) => `Reg.-Nr. ${v}`,
  attention: (person) => `z. Hd. ${person}`,
  preview: 'Vorschau',
  previewMark: 'Vorschau — ungültig',
}

export const DOCUMENT_WORDS: Readonly<Record<Language, DocumentWords>> = { en, pl, fr, tr, de }

/** The words of a language (English for a document stored before languages, which names none). */
export const documentWords = (language: Language | undefined): DocumentWords => DOCUMENT_WORDS[language ?? 'en']
