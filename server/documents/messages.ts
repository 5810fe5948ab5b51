/**
 * What Signflow itself says to signers (issue 11), in each language it speaks: the invitation to sign and its
 * reminders (email and SMS), the one-time code, the "everyone has signed" email, the refusals a signer may
 * meet, the notice they agree to before signing, and the certificate page of the signed PDF. Messages that
 * rules send are the analyst's own words and are not here.
 *
 * The notice (the "disclosure") is what a signer agrees to: each language has its own text, version and
 * SHA-256, and the consent records which one was agreed to. Its wording is honest about what the signature
 * is: a simple electronic signature, not a qualified one; for Polish, French and German readers under the
 * EU's eIDAS regulation (with what their civil codes say of it), for Turkish readers under law 5070.
 */
import { createHash } from 'node:crypto'
import { LANGUAGES, type Language } from '../../shared/i18n/languages.js'

export interface Disclosure {
  language: Language
  version: string
  text: string
  sha256: string
}

export interface SignerWords {
  invitation: {
    subject: (title: string, issuer: string) => string
    reminderSubject: (title: string, issuer: string) => string
    body: (o: { name: string; issuer: string; title: string; link: string; until: string }) => string
    sms: (title: string, issuer: string, link: string) => string
    reminderSms: (title: string, issuer: string, link: string) => string
  }
  code: {
    subject: (title: string) => string
    text: (title: string, code: string, minutes: number) => string
  }
  completed: {
    subject: (title: string) => string
    body: (o: { name: string; title: string; issuer: string }) => string
  }
  /** How a signer was reached, with their address masked. */
  reached: { sms: (phone: string) => string; email: (email: string) => string; confirmed: string }
  /** Where a one-time code went. */
  codeSentTo: { sms: string; email: string }
  problems: {
    notFound: string
    signedAlready: string
    youDeclined: string
    otherDeclined: string
    everyoneSigned: string
    signingExpired: string
    linkExpired: string
    notYourTurn: (names: readonly string[]) => string
    busy: string
    moved: string
    stale: string
    noticeNotCurrent: string
    noCodeNeeded: string
    codeTooSoon: string
    tooManyCodes: string
    codeFirst: string
    codeLocked: string
    codeExpired: string
    codeWrongLast: string
    codeWrong: string
    consentRequired: string
    fillIn: (label: string) => string
    notPng: string
    tooLarge: (width: number, height: number, maxWidth: number, maxHeight: number) => string
  }
  certificate: {
    title: string
    document: (title: string, id: string) => string
    completed: (at: string) => string
    documentHeading: string
    sentSha: (sha: string) => string
    pagesSha: (sha: string) => string
    sealed: string
    parties: string
    companySigner: string
    client: string
    reachedBy: (how: string) => string
    signed: (at: string, method: string) => string
    typed: string
    drawn: string
    status: (status: string) => string
    statuses: Readonly<Record<string, string>>
    consentHeading: string
    /** Everyone agreed to the same notice. */
    consentEach: (version: string, sha: string) => string
    /** Signers agreed to notices in different languages: one line each, then the note. */
    consentOf: (name: string, version: string, language: string, sha: string) => string
    consentNote: string
    events: string
    eventTypes: Readonly<Record<string, string>>
    roles: Readonly<Record<string, string>>
    channels: Readonly<Record<string, string>>
    via: (channel: string) => string
    from: (where: string) => string
    system: string
    languages: Readonly<Record<Language, string>>
  }
}

/** "Anna and Jan" in the language's own way (two names at most: a signing has two parties). */
const listOf = (language: Language, names: readonly string[]) =>
  language === 'en' ? names.join(' and ') : new Intl.ListFormat(language, { type: 'conjunction' }).format(names)

const plural = (language: Language, n: number) => new Intl.PluralRules(language).select(n)

const DISCLOSURE_VERSION = '2026-11-23'

/** The notices, one per language; English is the one signers agreed to before there were others. */
const NOTICES: Readonly<Record<Language, string>> = {
  en:
    'You are about to sign this document electronically. This is a simple electronic signature: it is legally ' +
    'valid in many countries (in the EU under eIDAS, in the US under ESIGN and UETA), but the rules differ from ' +
    'country to country, and some documents need a handwritten, qualified or notarised signature or a special ' +
    'agreement between the parties. By continuing you agree to sign electronically and to receive the signed ' +
    'document electronically. We record the time, your IP address and your device with each step.',
  pl:
    'Zamierzasz podpisać ten dokument elektronicznie. Jest to zwykły podpis elektroniczny w rozumieniu ' +
    'rozporządzenia eIDAS (UE) nr 910/2014, a nie podpis kwalifikowany: nie można mu odmówić skutku prawnego ' +
    'ani dopuszczalności jako dowodu tylko dlatego, że ma postać elektroniczną (art. 25 eIDAS), i może spełniać ' +
    'wymogi formy dokumentowej (art. 77² Kodeksu cywilnego), ale nie zastępuje formy pisemnej, do której ' +
    'potrzebny jest kwalifikowany podpis elektroniczny (art. 78¹ Kodeksu cywilnego). Niektóre dokumenty ' +
    'wymagają podpisu własnoręcznego, kwalifikowanego lub formy notarialnej. Kontynuując, zgadzasz się podpisać ' +
    'dokument elektronicznie i otrzymać podpisany dokument drogą elektroniczną. Przy każdym kroku zapisujemy ' +
    'czas, Twój adres IP i urządzenie.',
  fr:
    'Vous êtes sur le point de signer ce document électroniquement. Il s’agit d’une signature électronique ' +
    'simple au sens du règlement européen eIDAS (UE) n° 910/2014, et non d’une signature qualifiée : elle ne ' +
    'peut être privée d’effet juridique ni de recevabilité comme preuve au seul motif qu’elle est électronique ' +
    '(art. 25 eIDAS), mais elle ne bénéficie pas de la présomption de fiabilité que l’article 1367 du Code ' +
    'civil réserve à la signature qualifiée. Certains actes exigent une signature manuscrite, une signature ' +
    'qualifiée ou un acte notarié. En continuant, vous acceptez de signer électroniquement et de recevoir le ' +
    'document signé par voie électronique. Nous enregistrons l’heure, votre adresse IP et votre appareil à ' +
    'chaque étape.',
  tr:
    'Bu belgeyi elektronik olarak imzalamak üzeresiniz. Bu, basit bir elektronik imzadır; 5070 sayılı ' +
    'Elektronik İmza Kanunu anlamında güvenli elektronik imza değildir. Kanunun 5. maddesi, elle atılan ' +
    'imzayla aynı hukuki sonucu yalnızca güvenli elektronik imzaya tanır; basit elektronik imza ise delil ' +
    'olarak değerlendirilebilir. Bazı belgeler ıslak imza, güvenli elektronik imza veya noter işlemi ' +
    'gerektirir. Devam ederek belgeyi elektronik olarak imzalamayı ve imzalı belgeyi elektronik olarak almayı ' +
    'kabul etmiş olursunuz. Her adımda saati, IP adresinizi ve cihazınızı kaydederiz.',
  de:
    'Sie sind dabei, dieses Dokument elektronisch zu unterschreiben. Dies ist eine einfache elektronische ' +
    'Signatur im Sinne der eIDAS-Verordnung (EU) Nr. 910/2014, keine qualifizierte: Ihr dürfen die ' +
    'Rechtswirkung und die Zulässigkeit als Beweismittel nicht allein deshalb abgesprochen werden, weil sie ' +
    'elektronisch ist (Art. 25 eIDAS), sie ersetzt aber nicht die gesetzliche Schriftform (§ 126 BGB), für die ' +
    'eine qualifizierte elektronische Signatur nötig ist (§ 126a BGB). Manche Dokumente erfordern eine ' +
    'eigenhändige Unterschrift, eine qualifizierte Signatur oder eine notarielle Beurkundung. Wenn Sie ' +
    'fortfahren, stimmen Sie zu, elektronisch zu unterschreiben und das unterschriebene Dokument elektronisch ' +
    'zu erhalten. Bei jedem Schritt speichern wir die Uhrzeit, Ihre IP-Adresse und Ihr Gerät.',
}

const sha256Hex = (text: string) => createHash('sha256').update(text).digest('hex')

export const DISCLOSURES: Readonly<Record<Language, Disclosure>> = Object.fromEntries(
  LANGUAGES.map((language) => [
    language,
    { language, version: DISCLOSURE_VERSION, text: NOTICES[language], sha256: sha256Hex(NOTICES[language]) },
  ]),
) as Record<Language, Disclosure>

/** The current notice whose hash this is, in whichever language. */
export const disclosureBySha256 = (sha256: string): Disclosure | undefined =>
  Object.values(DISCLOSURES).find((d) => d.sha256 === sha256)

const en: SignerWords = {
  invitation: {
    subject: (title, issuer) => `Please sign ${title} from ${issuer}`,
    reminderSubject: (title, issuer) => `Reminder: please sign ${title} from ${issuer}`,
    body: ({ name, issuer, title, link, until }) =>
      `Hello ${name},\n\n${issuer} asks you to sign ${title}.\n\nOpen it, read it and sign it here:\n${link}\n\n` +
      `The link is personal; it works until ${until}.\n`,
    sms: (title, issuer, link) => `Please sign ${title} from ${issuer}: ${link}`,
    reminderSms: (title, issuer, link) => `Reminder: sign ${title} from ${issuer}: ${link}`,
  },
  code: {
    subject: (title) => `Your code to sign ${title}`,
    text: (title, code, minutes) =>
      `Your code to sign ${title}: ${code}. It works for ${minutes} minutes. Do not share it.`,
  },
  completed: {
    subject: (title) => `Signed: ${title}`,
    body: ({ name, title, issuer }) =>
      `Hello ${name},\n\n${title} is signed by everyone. The signed PDF is attached; it carries a certificate page and ${issuer}'s digital seal.\n`,
  },
  reached: {
    sms: (phone) => `SMS to ${phone}`,
    email: (email) => `email to ${email}`,
    confirmed: ', confirmed with a one-time code',
  },
  codeSentTo: { sms: 'your phone', email: 'your email' },
  problems: {
    notFound: 'No signing has this link.',
    signedAlready: 'You have signed this document already.',
    youDeclined: 'You declined to sign this document.',
    otherDeclined: 'Another party declined to sign: the signing has stopped.',
    everyoneSigned: 'Everyone has signed this document already.',
    signingExpired: 'This signing has expired; ask the sender for a new one.',
    linkExpired: 'This signing link has expired; ask the sender for a new one.',
    notYourTurn: (names) =>
      `${listOf('en', names)} sign${names.length === 1 ? 's' : ''} first; you will get a message when it is your turn.`,
    busy: 'Another attempt is under way; wait a moment and try again.',
    moved: 'This signing has changed meanwhile; reload the page.',
    stale: 'Another party signed at the same moment; signing again with both.',
    noticeNotCurrent: 'The notice you agreed to is not the current one; reload the page and read it again.',
    noCodeNeeded: 'This signing needs no code.',
    codeTooSoon: 'A code was sent less than 30 seconds ago; wait for it, or try again in a moment.',
    tooManyCodes: 'Five codes were sent already; ask the sender to send the document again.',
    codeFirst: 'Ask for a code first: we send it to you, and you type it in.',
    codeLocked: 'Too many wrong codes: ask for a new one.',
    codeExpired: 'The code has expired: ask for a new one.',
    codeWrongLast: 'The code is wrong, and that was the last try: ask for a new one.',
    codeWrong: 'The code is wrong; check the message and type it again.',
    consentRequired: 'Agree to sign electronically first (the notice above the document).',
    fillIn: (label) => `Fill in "${label}" before signing.`,
    notPng: 'The drawn signature is not a PNG image; draw it again.',
    tooLarge: (w, h, mw, mh) => `The drawing is ${w} × ${h} pixels; at most ${mw} × ${mh} are kept.`,
  },
  certificate: {
    title: 'Certificate of completion',
    document: (title, id) => `${title} · document ${id}`,
    completed: (at) => `Completed ${at}`,
    documentHeading: 'Document',
    sentSha: (sha) => `SHA-256 of the document as sent: ${sha}`,
    pagesSha: (sha) => `SHA-256 of the signed pages: ${sha}`,
    sealed:
      "The whole file, this page included, is sealed with the platform's digital signature: a PDF reader shows whether it changed since.",
    parties: 'Parties',
    companySigner: 'Company signer',
    client: 'Client',
    reachedBy: (how) => `Reached by ${how}.`,
    signed: (at, method) => `Signed ${at} (${method}).`,
    typed: 'typed name',
    drawn: 'drawn signature',
    status: (status) => `Status: ${status}.`,
    statuses: {},
    consentHeading: 'Consent to sign electronically',
    consentEach: (version, sha) =>
      `Each signer agreed to the notice version ${version} (SHA-256 ${sha}) before signing: this is a simple electronic signature; rules on its validity differ by country.`,
    consentOf: (name, version, language, sha) => `${name}: notice version ${version}, ${language} (SHA-256 ${sha}).`,
    consentNote: 'This is a simple electronic signature; rules on its validity differ by country.',
    events: 'Events',
    eventTypes: {},
    roles: {},
    channels: {},
    via: (channel) => ` via ${channel}`,
    from: (where) => ` — from ${where}`,
    system: 'Signflow',
    languages: { en: 'English', pl: 'Polish', fr: 'French', tr: 'Turkish', de: 'German' },
  },
}

const pl: SignerWords = {
  invitation: {
    subject: (title, issuer) => `Prośba o podpisanie: ${title} – ${issuer}`,
    reminderSubject: (title, issuer) => `Przypomnienie o podpisaniu: ${title} – ${issuer}`,
    body: ({ issuer, title, link, until }) =>
      `Dzień dobry,\n\n${issuer} prosi o podpisanie dokumentu ${title}.\n\nOtwórz go, przeczytaj i podpisz tutaj:\n${link}\n\n` +
      `Link jest osobisty; działa do ${until}.\n`,
    sms: (title, issuer, link) => `Prosimy o podpisanie dokumentu ${title} (${issuer}): ${link}`,
    reminderSms: (title, issuer, link) => `Przypomnienie: prosimy o podpisanie dokumentu ${title} (${issuer}): ${link}`,
  },
  code: {
    subject: (title) => `Twój kod do podpisania dokumentu ${title}`,
    text: (title, code, minutes) => {
      const form = plural('pl', minutes)
      const word = form === 'one' ? 'minutę' : form === 'few' ? 'minuty' : 'minut'
      return `Twój kod do podpisania dokumentu ${title}: ${code}. Jest ważny przez ${minutes} ${word}. Nie udostępniaj go nikomu.`
    },
  },
  completed: {
    subject: (title) => `Podpisano: ${title}`,
    body: ({ title, issuer }) =>
      `Dzień dobry,\n\ndokument ${title} został podpisany przez wszystkie strony. Podpisany plik PDF jest w załączniku; zawiera stronę z certyfikatem i pieczęć elektroniczną wystawcy (${issuer}).\n`,
  },
  reached: {
    sms: (phone) => `SMS na numer ${phone}`,
    email: (email) => `e-mail na adres ${email}`,
    confirmed: ', potwierdzono kodem jednorazowym',
  },
  codeSentTo: { sms: 'Twój telefon', email: 'Twój adres e-mail' },
  problems: {
    notFound: 'Pod tym linkiem nie ma dokumentu do podpisania.',
    signedAlready: 'Ten dokument jest już przez Ciebie podpisany.',
    youDeclined: 'Podpisanie tego dokumentu zostało przez Ciebie odrzucone.',
    otherDeclined: 'Druga strona odmówiła podpisania: podpisywanie zostało zatrzymane.',
    everyoneSigned: 'Wszyscy już podpisali ten dokument.',
    signingExpired: 'Termin podpisania minął; poproś nadawcę o nowy link.',
    linkExpired: 'Ten link do podpisu wygasł; poproś nadawcę o nowy.',
    notYourTurn: (names) =>
      `Najpierw ${names.length === 1 ? 'podpisuje' : 'podpisują'} ${listOf('pl', names)}; dostaniesz wiadomość, gdy przyjdzie Twoja kolej.`,
    busy: 'Trwa już inna próba; poczekaj chwilę i spróbuj ponownie.',
    moved: 'W międzyczasie podpisywanie się zmieniło; odśwież stronę.',
    stale: 'Druga strona podpisała w tej samej chwili; podpisujemy ponownie z oboma podpisami.',
    noticeNotCurrent: 'Zaakceptowana informacja nie jest aktualna; odśwież stronę i przeczytaj ją ponownie.',
    noCodeNeeded: 'To podpisanie nie wymaga kodu.',
    codeTooSoon: 'Kod został wysłany niecałe 30 sekund temu; poczekaj na niego lub spróbuj ponownie za chwilę.',
    tooManyCodes: 'Wysłano już pięć kodów; poproś nadawcę o ponowne wysłanie dokumentu.',
    codeFirst: 'Najpierw poproś o kod: wyślemy go do Ciebie, a Ty go wpiszesz.',
    codeLocked: 'Zbyt wiele błędnych kodów: poproś o nowy.',
    codeExpired: 'Kod wygasł: poproś o nowy.',
    codeWrongLast: 'Kod jest błędny i była to ostatnia próba: poproś o nowy.',
    codeWrong: 'Kod jest błędny; sprawdź wiadomość i wpisz go ponownie.',
    consentRequired: 'Najpierw wyraź zgodę na podpis elektroniczny (informacja nad dokumentem).',
    fillIn: (label) => `Przed podpisaniem wypełnij pole „${label}”.`,
    notPng: 'Narysowany podpis nie jest obrazem PNG; narysuj go ponownie.',
    tooLarge: (w, h, mw, mh) => `Rysunek ma ${w} × ${h} pikseli; zachowujemy najwyżej ${mw} × ${mh}.`,
  },
  certificate: {
    title: 'Certyfikat ukończenia',
    document: (title, id) => `${title} · dokument ${id}`,
    completed: (at) => `Zakończono ${at}`,
    documentHeading: 'Dokument',
    sentSha: (sha) => `SHA-256 dokumentu w wysłanej postaci: ${sha}`,
    pagesSha: (sha) => `SHA-256 podpisanych stron: ${sha}`,
    sealed:
      'Cały plik, łącznie z tą stroną, jest opatrzony podpisem cyfrowym platformy: czytnik PDF pokaże, czy został później zmieniony.',
    parties: 'Strony',
    companySigner: 'Podpisujący w imieniu firmy',
    client: 'Klient',
    reachedBy: (how) => `Kanał: ${how}.`,
    signed: (at, method) => `Podpisano ${at} (${method}).`,
    typed: 'wpisane imię i nazwisko',
    drawn: 'podpis narysowany',
    status: (status) => `Status: ${status}.`,
    statuses: {
      waiting: 'oczekuje',
      sent: 'wysłano',
      viewed: 'otwarto',
      consented: 'wyrażono zgodę',
      signed: 'podpisano',
      declined: 'odmówiono',
      expired: 'wygasło',
    },
    consentHeading: 'Zgoda na podpis elektroniczny',
    consentEach: (version, sha) =>
      `Przed podpisaniem każdy podpisujący zaakceptował informację w wersji ${version} (SHA-256 ${sha}): jest to zwykły podpis elektroniczny; zasady jego ważności różnią się w zależności od kraju.`,
    consentOf: (name, version, language, sha) =>
      `${name}: informacja w wersji ${version}, język ${language} (SHA-256 ${sha}).`,
    consentNote: 'Jest to zwykły podpis elektroniczny; zasady jego ważności różnią się w zależności od kraju.',
    events: 'Zdarzenia',
    eventTypes: {
      created: 'utworzono',
      sent: 'wysłano',
      delivered: 'doręczono',
      reminded: 'przypomniano',
      viewed: 'otwarto',
      consented: 'wyrażono zgodę',
      codeSent: 'wysłano kod',
      codeConfirmed: 'potwierdzono kod',
      signed: 'podpisano',
      declined: 'odmówiono',
      expired: 'wygasło',
      completed: 'zakończono',
      viewedByLink: 'otwarto z linku publicznego',
    },
    roles: { company: 'firma', client: 'klient' },
    channels: { email: 'e-mail', sms: 'SMS' },
    via: (channel) => `, kanał: ${channel}`,
    from: (where) => ` — z ${where}`,
    system: 'Signflow',
    languages: { en: 'angielski', pl: 'polski', fr: 'francuski', tr: 'turecki', de: 'niemiecki' },
  },
}

const fr: SignerWords = {
  invitation: {
    subject: (title, issuer) => `Merci de signer ${title} de ${issuer}`,
    reminderSubject: (title, issuer) => `Rappel : merci de signer ${title} de ${issuer}`,
    body: ({ name, issuer, title, link, until }) =>
      `Bonjour ${name},\n\n${issuer} vous demande de signer ${title}.\n\nOuvrez le document, lisez-le et signez-le ici :\n${link}\n\n` +
      `Ce lien est personnel ; il fonctionne jusqu’au ${until}.\n`,
    sms: (title, issuer, link) => `Merci de signer ${title} de ${issuer} : ${link}`,
    reminderSms: (title, issuer, link) => `Rappel : merci de signer ${title} de ${issuer} : ${link}`,
  },
  code: {
    subject: (title) => `Votre code pour signer ${title}`,
    text: (title, code, minutes) =>
      `Votre code pour signer ${title} : ${code}. Il est valable ${minutes} ${plural('fr', minutes) === 'one' ? 'minute' : 'minutes'}. Ne le communiquez à personne.`,
  },
  completed: {
    subject: (title) => `Signé : ${title}`,
    body: ({ name, title, issuer }) =>
      `Bonjour ${name},\n\nLe document ${title} est signé par toutes les parties. Le PDF signé est joint ; il comporte une page de certificat et le cachet électronique de ${issuer}.\n`,
  },
  reached: {
    sms: (phone) => `SMS au ${phone}`,
    email: (email) => `e-mail à ${email}`,
    confirmed: ', confirmé par un code à usage unique',
  },
  codeSentTo: { sms: 'votre téléphone', email: 'votre adresse e-mail' },
  problems: {
    notFound: 'Aucune signature ne correspond à ce lien.',
    signedAlready: 'Vous avez déjà signé ce document.',
    youDeclined: 'Vous avez refusé de signer ce document.',
    otherDeclined: 'Une autre partie a refusé de signer : la signature est arrêtée.',
    everyoneSigned: 'Tout le monde a déjà signé ce document.',
    signingExpired: 'Cette signature a expiré ; demandez-en une nouvelle à l’expéditeur.',
    linkExpired: 'Ce lien de signature a expiré ; demandez-en un nouveau à l’expéditeur.',
    notYourTurn: (names) =>
      `${listOf('fr', names)} ${names.length === 1 ? 'signe' : 'signent'} d’abord ; vous recevrez un message quand ce sera votre tour.`,
    busy: 'Une autre tentative est en cours ; attendez un instant et réessayez.',
    moved: 'Cette signature a changé entre-temps ; rechargez la page.',
    stale: 'Une autre partie a signé au même moment ; nouvelle signature avec les deux.',
    noticeNotCurrent: 'L’avis que vous avez accepté n’est plus celui en vigueur ; rechargez la page et relisez-le.',
    noCodeNeeded: 'Cette signature ne demande pas de code.',
    codeTooSoon: 'Un code a été envoyé il y a moins de 30 secondes ; attendez-le, ou réessayez dans un instant.',
    tooManyCodes: 'Cinq codes ont déjà été envoyés ; demandez à l’expéditeur de renvoyer le document.',
    codeFirst: 'Demandez d’abord un code : nous vous l’envoyons, et vous le saisissez.',
    codeLocked: 'Trop de codes erronés : demandez-en un nouveau.',
    codeExpired: 'Le code a expiré : demandez-en un nouveau.',
    codeWrongLast: 'Le code est erroné, et c’était le dernier essai : demandez-en un nouveau.',
    codeWrong: 'Le code est erroné ; vérifiez le message et saisissez-le à nouveau.',
    consentRequired: 'Acceptez d’abord de signer électroniquement (l’avis au-dessus du document).',
    fillIn: (label) => `Remplissez « ${label} » avant de signer.`,
    notPng: 'La signature dessinée n’est pas une image PNG ; dessinez-la à nouveau.',
    tooLarge: (w, h, mw, mh) => `Le dessin fait ${w} × ${h} pixels ; ${mw} × ${mh} au plus sont conservés.`,
  },
  certificate: {
    title: 'Certificat de réalisation',
    document: (title, id) => `${title} · document ${id}`,
    completed: (at) => `Finalisé le ${at}`,
    documentHeading: 'Document',
    sentSha: (sha) => `SHA-256 du document tel qu’envoyé : ${sha}`,
    pagesSha: (sha) => `SHA-256 des pages signées : ${sha}`,
    sealed:
      'Le fichier entier, cette page comprise, est scellé par la signature numérique de la plateforme : un lecteur PDF indique s’il a été modifié depuis.',
    parties: 'Parties',
    companySigner: 'Signataire pour l’entreprise',
    client: 'Client',
    reachedBy: (how) => `Contacté par ${how}.`,
    signed: (at, method) => `Signé le ${at} (${method}).`,
    typed: 'nom saisi',
    drawn: 'signature dessinée',
    status: (status) => `Statut : ${status}.`,
    statuses: {
      waiting: 'en attente',
      sent: 'envoyé',
      viewed: 'ouvert',
      consented: 'consentement donné',
      signed: 'signé',
      declined: 'refusé',
      expired: 'expiré',
    },
    consentHeading: 'Consentement à la signature électronique',
    consentEach: (version, sha) =>
      `Chaque signataire a accepté l’avis version ${version} (SHA-256 ${sha}) avant de signer : il s’agit d’une signature électronique simple ; les règles sur sa validité varient selon les pays.`,
    consentOf: (name, version, language, sha) => `${name} : avis version ${version}, en ${language} (SHA-256 ${sha}).`,
    consentNote: 'Il s’agit d’une signature électronique simple ; les règles sur sa validité varient selon les pays.',
    events: 'Événements',
    eventTypes: {
      created: 'créé',
      sent: 'envoyé',
      delivered: 'remis',
      reminded: 'relancé',
      viewed: 'ouvert',
      consented: 'consentement',
      codeSent: 'code envoyé',
      codeConfirmed: 'code confirmé',
      signed: 'signé',
      declined: 'refusé',
      expired: 'expiré',
      completed: 'finalisé',
      viewedByLink: 'ouvert par le lien public',
    },
    roles: { company: 'entreprise', client: 'client' },
    channels: { email: 'e-mail', sms: 'SMS' },
    via: (channel) => ` par ${channel}`,
    from: (where) => ` — depuis ${where}`,
    system: 'Signflow',
    languages: { en: 'anglais', pl: 'polonais', fr: 'français', tr: 'turc', de: 'allemand' },
  },
}

const tr: SignerWords = {
  invitation: {
    subject: (title, issuer) => `İmza talebi: ${title} (${issuer})`,
    reminderSubject: (title, issuer) => `Hatırlatma: ${title} imzanızı bekliyor (${issuer})`,
    body: ({ name, issuer, title, link, until }) =>
      `Merhaba ${name},\n\n${issuer} sizden ${title} belgesini imzalamanızı istiyor.\n\nBelgeyi buradan açın, okuyun ve imzalayın:\n${link}\n\n` +
      `Bu bağlantı size özeldir; ${until} tarihine kadar geçerlidir.\n`,
    sms: (title, issuer, link) => `Lütfen ${title} belgesini imzalayın (${issuer}): ${link}`,
    reminderSms: (title, issuer, link) => `Hatırlatma: lütfen ${title} belgesini imzalayın (${issuer}): ${link}`,
  },
  code: {
    subject: (title) => `${title} belgesini imzalamak için kodunuz`,
    text: (title, code, minutes) =>
      `${title} belgesini imzalamak için kodunuz: ${code}. ${minutes} dakika geçerlidir. Kimseyle paylaşmayın.`,
  },
  completed: {
    subject: (title) => `İmzalandı: ${title}`,
    body: ({ name, title, issuer }) =>
      `Merhaba ${name},\n\n${title} belgesi tüm taraflarca imzalandı. İmzalı PDF ektedir; bir sertifika sayfası ile düzenleyenin (${issuer}) elektronik mührünü taşır.\n`,
  },
  reached: {
    sms: (phone) => `SMS (${phone})`,
    email: (email) => `e-posta (${email})`,
    confirmed: ', tek kullanımlık kodla doğrulandı',
  },
  codeSentTo: { sms: 'telefonunuz', email: 'e-posta adresiniz' },
  problems: {
    notFound: 'Bu bağlantıya ait bir imza talebi yok.',
    signedAlready: 'Bu belgeyi zaten imzaladınız.',
    youDeclined: 'Bu belgeyi imzalamayı reddettiniz.',
    otherDeclined: 'Diğer taraf imzalamayı reddetti: imza süreci durduruldu.',
    everyoneSigned: 'Bu belgeyi herkes zaten imzaladı.',
    signingExpired: 'Bu imza talebinin süresi doldu; gönderenden yenisini isteyin.',
    linkExpired: 'Bu imza bağlantısının süresi doldu; gönderenden yenisini isteyin.',
    notYourTurn: (names) => `Önce ${listOf('tr', names)} imzalayacak; sıra size geldiğinde bir mesaj alacaksınız.`,
    busy: 'Başka bir deneme sürüyor; biraz bekleyip yeniden deneyin.',
    moved: 'Bu imza süreci bu arada değişti; sayfayı yenileyin.',
    stale: 'Diğer taraf aynı anda imzaladı; iki imzayla yeniden imzalanıyor.',
    noticeNotCurrent: 'Kabul ettiğiniz bilgilendirme güncel değil; sayfayı yenileyip yeniden okuyun.',
    noCodeNeeded: 'Bu imza için kod gerekmiyor.',
    codeTooSoon: '30 saniyeden kısa süre önce bir kod gönderildi; gelmesini bekleyin ya da birazdan yeniden deneyin.',
    tooManyCodes: 'Zaten beş kod gönderildi; gönderenden belgeyi yeniden göndermesini isteyin.',
    codeFirst: 'Önce bir kod isteyin: kodu size göndeririz, siz de girersiniz.',
    codeLocked: 'Çok fazla yanlış kod girildi: yeni bir kod isteyin.',
    codeExpired: 'Kodun süresi doldu: yeni bir kod isteyin.',
    codeWrongLast: 'Kod yanlış ve bu son denemeydi: yeni bir kod isteyin.',
    codeWrong: 'Kod yanlış; mesajı kontrol edip yeniden girin.',
    consentRequired: 'Önce elektronik olarak imzalamayı kabul edin (belgenin üstündeki bilgilendirme).',
    fillIn: (label) => `İmzalamadan önce "${label}" alanını doldurun.`,
    notPng: 'Çizilen imza bir PNG görüntüsü değil; yeniden çizin.',
    tooLarge: (w, h, mw, mh) => `Çizim ${w} × ${h} piksel; en fazla ${mw} × ${mh} saklanır.`,
  },
  certificate: {
    title: 'Tamamlanma sertifikası',
    document: (title, id) => `${title} · belge ${id}`,
    completed: (at) => `Tamamlanma: ${at}`,
    documentHeading: 'Belge',
    sentSha: (sha) => `Gönderildiği hâliyle belgenin SHA-256 değeri: ${sha}`,
    pagesSha: (sha) => `İmzalı sayfaların SHA-256 değeri: ${sha}`,
    sealed:
      'Bu sayfa dahil dosyanın tamamı platformun dijital imzasıyla mühürlenmiştir: bir PDF okuyucu, dosyanın sonradan değişip değişmediğini gösterir.',
    parties: 'Taraflar',
    companySigner: 'Şirket adına imzalayan',
    client: 'Müşteri',
    reachedBy: (how) => `Ulaşılan kanal: ${how}.`,
    signed: (at, method) => `İmzalanma: ${at} (${method}).`,
    typed: 'yazılan ad',
    drawn: 'çizilen imza',
    status: (status) => `Durum: ${status}.`,
    statuses: {
      waiting: 'bekliyor',
      sent: 'gönderildi',
      viewed: 'açıldı',
      consented: 'onay verildi',
      signed: 'imzalandı',
      declined: 'reddedildi',
      expired: 'süresi doldu',
    },
    consentHeading: 'Elektronik imza onayı',
    consentEach: (version, sha) =>
      `Her imzalayan, imzalamadan önce ${version} sürümlü bilgilendirmeyi kabul etti (SHA-256 ${sha}): bu basit bir elektronik imzadır; geçerliliğine ilişkin kurallar ülkeden ülkeye değişir.`,
    consentOf: (name, version, language, sha) =>
      `${name}: ${version} sürümlü bilgilendirme, dil: ${language} (SHA-256 ${sha}).`,
    consentNote: 'Bu basit bir elektronik imzadır; geçerliliğine ilişkin kurallar ülkeden ülkeye değişir.',
    events: 'Olaylar',
    eventTypes: {
      created: 'oluşturuldu',
      sent: 'gönderildi',
      delivered: 'teslim edildi',
      reminded: 'hatırlatıldı',
      viewed: 'açıldı',
      consented: 'onay verildi',
      codeSent: 'kod gönderildi',
      codeConfirmed: 'kod doğrulandı',
      signed: 'imzalandı',
      declined: 'reddedildi',
      expired: 'süresi doldu',
      completed: 'tamamlandı',
      viewedByLink: 'herkese açık bağlantıyla açıldı',
    },
    roles: { company: 'şirket', client: 'müşteri' },
    channels: { email: 'e-posta', sms: 'SMS' },
    via: (channel) => `, kanal: ${channel}`,
    from: (where) => ` — kaynak: ${where}`,
    system: 'Signflow',
    languages: { en: 'İngilizce', pl: 'Lehçe', fr: 'Fransızca', tr: 'Türkçe', de: 'Almanca' },
  },
}

const de: SignerWords = {
  invitation: {
    subject: (title, issuer) => `Bitte unterschreiben Sie ${title} von ${issuer}`,
    reminderSubject: (title, issuer) => `Erinnerung: Bitte unterschreiben Sie ${title} von ${issuer}`,
    body: ({ name, issuer, title, link, until }) =>
      `Guten Tag ${name},\n\n${issuer} bittet Sie, ${title} zu unterschreiben.\n\nÖffnen, lesen und unterschreiben Sie das Dokument hier:\n${link}\n\n` +
      `Der Link ist persönlich; er gilt bis zum ${until}.\n`,
    sms: (title, issuer, link) => `Bitte unterschreiben Sie ${title} von ${issuer}: ${link}`,
    reminderSms: (title, issuer, link) => `Erinnerung: Bitte unterschreiben Sie ${title} von ${issuer}: ${link}`,
  },
  code: {
    subject: (title) => `Ihr Code zum Unterschreiben von ${title}`,
    text: (title, code, minutes) =>
      `Ihr Code zum Unterschreiben von ${title}: ${code}. Er gilt ${minutes} ${plural('de', minutes) === 'one' ? 'Minute' : 'Minuten'}. Geben Sie ihn nicht weiter.`,
  },
  completed: {
    subject: (title) => `Unterschrieben: ${title}`,
    body: ({ name, title, issuer }) =>
      `Guten Tag ${name},\n\ndas Dokument ${title} ist von allen Parteien unterschrieben. Das unterschriebene PDF ist angehängt; es enthält eine Zertifikatsseite und das elektronische Siegel von ${issuer}.\n`,
  },
  reached: {
    sms: (phone) => `SMS an ${phone}`,
    email: (email) => `E-Mail an ${email}`,
    confirmed: ', bestätigt mit einem Einmalcode',
  },
  codeSentTo: { sms: 'Ihr Telefon', email: 'Ihre E-Mail-Adresse' },
  problems: {
    notFound: 'Zu diesem Link gibt es keine Unterzeichnung.',
    signedAlready: 'Sie haben dieses Dokument bereits unterschrieben.',
    youDeclined: 'Sie haben die Unterschrift unter dieses Dokument abgelehnt.',
    otherDeclined: 'Eine andere Partei hat die Unterschrift abgelehnt: Die Unterzeichnung ist beendet.',
    everyoneSigned: 'Alle haben dieses Dokument bereits unterschrieben.',
    signingExpired: 'Diese Unterzeichnung ist abgelaufen; bitten Sie den Absender um eine neue.',
    linkExpired: 'Dieser Link zum Unterschreiben ist abgelaufen; bitten Sie den Absender um einen neuen.',
    notYourTurn: (names) =>
      `Zuerst ${names.length === 1 ? 'unterschreibt' : 'unterschreiben'} ${listOf('de', names)}; Sie erhalten eine Nachricht, wenn Sie an der Reihe sind.`,
    busy: 'Ein anderer Versuch läuft gerade; warten Sie einen Moment und versuchen Sie es erneut.',
    moved: 'Diese Unterzeichnung hat sich inzwischen geändert; laden Sie die Seite neu.',
    stale: 'Eine andere Partei hat im selben Moment unterschrieben; es wird mit beiden erneut unterschrieben.',
    noticeNotCurrent:
      'Der Hinweis, dem Sie zugestimmt haben, ist nicht mehr aktuell; laden Sie die Seite neu und lesen Sie ihn erneut.',
    noCodeNeeded: 'Für diese Unterzeichnung ist kein Code nötig.',
    codeTooSoon:
      'Vor weniger als 30 Sekunden wurde ein Code gesendet; warten Sie darauf oder versuchen Sie es gleich noch einmal.',
    tooManyCodes: 'Es wurden bereits fünf Codes gesendet; bitten Sie den Absender, das Dokument erneut zu senden.',
    codeFirst: 'Fordern Sie zuerst einen Code an: Wir senden ihn Ihnen, und Sie geben ihn ein.',
    codeLocked: 'Zu viele falsche Codes: Fordern Sie einen neuen an.',
    codeExpired: 'Der Code ist abgelaufen: Fordern Sie einen neuen an.',
    codeWrongLast: 'Der Code ist falsch, und das war der letzte Versuch: Fordern Sie einen neuen an.',
    codeWrong: 'Der Code ist falsch; prüfen Sie die Nachricht und geben Sie ihn erneut ein.',
    consentRequired: 'Stimmen Sie zuerst der elektronischen Unterschrift zu (der Hinweis über dem Dokument).',
    fillIn: (label) => `Füllen Sie „${label}“ aus, bevor Sie unterschreiben.`,
    notPng: 'Die gezeichnete Unterschrift ist kein PNG-Bild; zeichnen Sie sie erneut.',
    tooLarge: (w, h, mw, mh) => `Die Zeichnung hat ${w} × ${h} Pixel; höchstens ${mw} × ${mh} werden gespeichert.`,
  },
  certificate: {
    title: 'Abschlusszertifikat',
    document: (title, id) => `${title} · Dokument ${id}`,
    completed: (at) => `Abgeschlossen am ${at}`,
    documentHeading: 'Dokument',
    sentSha: (sha) => `SHA-256 des Dokuments wie versandt: ${sha}`,
    pagesSha: (sha) => `SHA-256 der unterschriebenen Seiten: ${sha}`,
    sealed:
      'Die ganze Datei, diese Seite eingeschlossen, ist mit der digitalen Signatur der Plattform versiegelt: Ein PDF-Reader zeigt, ob sie seitdem verändert wurde.',
    parties: 'Parteien',
    companySigner: 'Unterzeichner für das Unternehmen',
    client: 'Kunde',
    reachedBy: (how) => `Erreicht per ${how}.`,
    signed: (at, method) => `Unterschrieben am ${at} (${method}).`,
    typed: 'getippter Name',
    drawn: 'gezeichnete Unterschrift',
    status: (status) => `Status: ${status}.`,
    statuses: {
      waiting: 'wartet',
      sent: 'gesendet',
      viewed: 'geöffnet',
      consented: 'zugestimmt',
      signed: 'unterschrieben',
      declined: 'abgelehnt',
      expired: 'abgelaufen',
    },
    consentHeading: 'Zustimmung zur elektronischen Unterschrift',
    consentEach: (version, sha) =>
      `Jeder Unterzeichner hat vor dem Unterschreiben dem Hinweis in der Version ${version} zugestimmt (SHA-256 ${sha}): Dies ist eine einfache elektronische Signatur; die Regeln zu ihrer Gültigkeit sind von Land zu Land verschieden.`,
    consentOf: (name, version, language, sha) =>
      `${name}: Hinweis in der Version ${version}, ${language} (SHA-256 ${sha}).`,
    consentNote:
      'Dies ist eine einfache elektronische Signatur; die Regeln zu ihrer Gültigkeit sind von Land zu Land verschieden.',
    events: 'Ereignisse',
    eventTypes: {
      created: 'erstellt',
      sent: 'gesendet',
      delivered: 'zugestellt',
      reminded: 'erinnert',
      viewed: 'geöffnet',
      consented: 'zugestimmt',
      codeSent: 'Code gesendet',
      codeConfirmed: 'Code bestätigt',
      signed: 'unterschrieben',
      declined: 'abgelehnt',
      expired: 'abgelaufen',
      completed: 'abgeschlossen',
      viewedByLink: 'über den öffentlichen Link geöffnet',
    },
    roles: { company: 'Unternehmen', client: 'Kunde' },
    channels: { email: 'E-Mail', sms: 'SMS' },
    via: (channel) => ` per ${channel}`,
    from: (where) => ` — von ${where}`,
    system: 'Signflow',
    languages: { en: 'Englisch', pl: 'Polnisch', fr: 'Französisch', tr: 'Türkisch', de: 'Deutsch' },
  },
}

export const SIGNER_WORDS: Readonly<Record<Language, SignerWords>> = { en, pl, fr, tr, de }

/** A signer's words (English for a party stored before languages, which names none). */
export const signerWords = (language: Language | undefined): SignerWords => SIGNER_WORDS[language ?? 'en']

/** How each language's one-time code message starts, up to the code (which follows ": " or " : "). */
const CODE_LEADS = [
  /(Your code to sign [^\n]*?: )\d{6}/g,
  /(Twój kod do podpisania [^\n]*?: )\d{6}/g,
  /(Votre code pour signer [^\n]*? : )\d{6}/g,
  /(belgesini imzalamak için kodunuz: )\d{6}/g,
  /(Ihr Code zum Unterschreiben von [^\n]*?: )\d{6}/g,
]

/** Hides the one-time codes in a sent message, in any of our languages ("…: ••••••."). */
export function maskOneTimeCodes(text: string): string {
  return CODE_LEADS.reduce((masked, lead) => masked.replace(lead, '$1••••••'), text)
}
