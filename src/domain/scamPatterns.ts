// Scam warnings: messages that ask for money, payment details, a fee, a deposit, gift cards, or a
// move to another messenger. Matched when a message is shown (so a new pattern applies to old
// messages too), never stored. Pure: the default list is data; the operator's list
// (SCAM_PATTERNS_FILE) comes in as parsed JSON and is checked and compiled here, once.
import { z } from "zod";

export const scamWarningKinds = ["payment_request", "payment_details", "delivery_fee", "deposit", "gift_card", "off_platform"] as const;
export type ScamWarning = (typeof scamWarningKinds)[number];

/** One pattern as written (the default list below, or an entry of SCAM_PATTERNS_FILE). */
export interface ScamPatternSource {
  readonly pattern: string;
  /** Regex flags among i, m, s, u; "iu" when absent. */
  readonly flags?: string | undefined;
  /** Which language it is for (documentation: every pattern is tried on every message). */
  readonly language?: string | undefined;
  /** The warning it raises; "payment_request" when absent. */
  readonly warning?: ScamWarning | undefined;
}

export interface ScamPattern {
  readonly regex: RegExp;
  readonly warning: ScamWarning;
  readonly language: string;
}

/** A longer pattern is refused: with the scanned length below, it bounds the work one message costs. */
export const scamPatternMaxLength = 300;
/** Only a message's first 2000 characters are matched (the longest message there is). */
export const scamScannedLength = 2000;

// Letters and digits of any script as word edges (\b knows only ASCII: "überweisen" has none before ü).
const start = "(?<![\\p{L}\\p{N}])";
const end = "(?![\\p{L}\\p{N}])";
const word = (alternatives: string) => `${start}(?:${alternatives})${end}`;
/** Up to 40 characters within one sentence: "pay ... first" but not across a full stop. */
const near = "[^.!?\\n]{0,40}";
const amount = "(?:[$€£]\\s?\\d|\\d+(?:[.,]\\d+)?\\s?(?:[$€£]|eur|euros?|usd|dollars?|gbp|pounds?|chf)" + end + ")";
/** "+49 170 1234567", "+1 (555) 123-4567": an international phone number. */
const phone = "\\+\\d[\\d\\s().-]{6,}\\d";
/** A phone number with or without the country: at least eight digits and separators. */
const phoneLike = "\\+?\\d[\\d\\s().-]{6,}\\d";

const p = (language: string, warning: ScamWarning, pattern: string): ScamPatternSource => ({ language, warning, pattern });

/** The default list: several languages, each pattern tuned not to fire on ordinary pickup talk. */
export const defaultScamPatternSources: readonly ScamPatternSource[] = [
  // Any language: messengers and payment services by name, and phone numbers.
  p("any", "off_platform", word("whats\\s?app|telegram|viber|wechat|wa\\.me|t\\.me")),
  p("any", "off_platform", phone),
  p("any", "payment_request", word("paypal|venmo|zelle|cash\\s?app|western\\s+union|moneygram|revolut|bitcoin|btc|usdt|crypto|tikkie|bizum|paysafecard")),
  // English
  p("en", "delivery_fee", word("(?:delivery|shipping|postage|courier|handling|processing|release|insurance|transport)\\s+(?:fees?|charges?)")),
  p("en", "deposit", word("(?:a|the|small|refundable|security)\\s+deposit")),
  p("en", "deposit", word("deposit") + "\\s+(?:of\\s+)?" + amount),
  p("en", "gift_card", word("gift\\s?cards?|(?:itunes|google\\s+play|amazon|steam|apple)\\s+(?:gift\\s+)?(?:cards?|vouchers?|codes?)")),
  p("en", "payment_details", word("(?:bank|card|credit\\s+card|debit\\s+card|account)\\s+(?:details|number|info|information)|iban|cvv|cvc|sort\\s+code|routing\\s+number")),
  // "pay ... first" but not "I'll pay you a visit first thing".
  p("en", "payment_request", word("pay(?!\\s+(?:you\\s+|him\\s+|her\\s+|them\\s+|us\\s+)?a\\s+visit)|send\\s+(?:me\\s+)?(?:the\\s+)?money") + near + word("first|upfront|up\\s+front|in\\s+advance|beforehand|fees?")),
  p("en", "payment_request", word("pay|send|transfer|wire") + near + amount),
  p("en", "off_platform", word("(?:text|call|message|sms|contact|reach|add)\\s+me\\s+(?:at|on|via)") + near + phoneLike),
  p("en", "off_platform", word("(?:on|via|over)\\s+signal")),
  // German
  p("de", "delivery_fee", word("versandkosten|versandgebühr(?:en)?|liefergebühr(?:en)?|zustellgebühr(?:en)?|bearbeitungsgebühr(?:en)?|transportkosten")),
  p("de", "deposit", word("kaution|anzahlung")),
  p("de", "gift_card", word("geschenkkarten?|gutscheinkarten?|guthabenkarten?|gutscheincodes?|(?:amazon|itunes|google[- ]play)[- ]?(?:gutschein|karte)\\w*")),
  p("de", "payment_details", word("bankverbindung|bankdaten|kontonummer|kontodaten|kreditkarten?(?:nummer)?")),
  p("de", "payment_request", word("bezahl\\w*|zahl(?:e|st|t|en)|überweis\\w*") + near + word("vorher|vorab|im\\s+voraus|zuerst|erst")),
  p("de", "payment_request", word("bezahl\\w*|zahl(?:e|st|t|en)|überweis\\w*|schick\\w*") + near + amount),
  p("de", "off_platform", word("(?:schreib|ruf|kontaktier)(?:e|en)?\\s+(?:mir|mich)\\s+(?:auf|per|über|bei|unter|an)") + near + phoneLike),
  // French
  p("fr", "delivery_fee", word("frais\\s+(?:de\\s+|d')?(?:livraison|port|envoi|transport|dossier|expédition)")),
  p("fr", "deposit", word("caution|acompte|dépôt\\s+de\\s+garantie")),
  p("fr", "gift_card", word("cartes?[- ]cadeaux?|bons?\\s+d'achat|coupons?\\s+pcs|transcash")),
  p("fr", "payment_details", word("coordonnées\\s+bancaires|(?:ton|votre|le|un)\\s+rib|numéro\\s+de\\s+(?:la\\s+)?carte|carte\\s+bancaire")),
  p("fr", "payment_request", word("pa(?:y|i)(?:er|ez|e|es)|virement|virer|envoyer?\\s+(?:de\\s+)?l'argent") + near + word("d'abord|avant|à\\s+l'avance|en\\s+avance")),
  p("fr", "payment_request", word("pa(?:y|i)(?:er|ez|e|es)|virement|virer|envoie[sz]?|envoyer") + near + amount),
  p("fr", "off_platform", word("(?:écri(?:s|vez)|contacte[sz]?|appelle[sz]?)[- ]moi\\s+(?:sur|par|au|via)") + near + phoneLike),
  // Spanish
  p("es", "delivery_fee", word("(?:gastos|costos?|costes?|tarifa|cargos?|tasa)\\s+de\\s+(?:envío|envio|entrega|transporte|gestión|gestion)")),
  p("es", "deposit", word("depósito|deposito|fianza|anticipo")),
  p("es", "gift_card", word("tarjetas?\\s+(?:de\\s+)?regalo")),
  p("es", "payment_details", word("datos\\s+bancarios|número\\s+de\\s+(?:la\\s+)?tarjeta|numero\\s+de\\s+(?:la\\s+)?tarjeta|cuenta\\s+bancaria")),
  p("es", "payment_request", word("pag(?:a|ue|ar|ame|arme|ues)|págame|transfiere|transferencia") + near + word("primero|antes|por\\s+adelantado")),
  p("es", "payment_request", word("pag(?:a|ue|ar|ame|arme|ues)|págame|transfiere|transferencia|envía(?:me)?|envia(?:me)?") + near + amount),
  p("es", "off_platform", word("(?:escríbeme|escribeme|contáctame|contactame|llámame|llamame)\\s+(?:por|al|en|a)") + near + phoneLike),
  // Dutch
  p("nl", "delivery_fee", word("verzendkosten|bezorgkosten|leveringskosten|transportkosten|administratiekosten|verzendingskosten")),
  p("nl", "deposit", word("borg(?:som)?|aanbetaling")),
  p("nl", "gift_card", word("cadeaukaart(?:en)?|cadeaubon(?:nen)?|giftcards?")),
  p("nl", "payment_details", word("bankgegevens|rekeningnummer|bankrekening(?:nummer)?")),
  p("nl", "payment_request", word("betaal|betalen|betaalt|overmaken|maak\\s+\\S+\\s+over") + near + word("eerst|vooraf|van\\s+tevoren")),
  p("nl", "payment_request", word("betaal|betalen|betaalt|overmaken|stuur") + near + amount),
  p("nl", "off_platform", word("(?:stuur|app|bel|sms)\\s+me\\s+(?:op|via|naar|even\\s+op)") + near + phoneLike),
];

const allowedFlags = /^[imsu]*$/;
// (a+)+, (a*)*, (a|aa)+ and the like: a quantified group that itself ends in a quantifier.
const nestedQuantifier = /\((?:[^()\\]|\\.)*[+*}]\)\s*[+*{]/;

export const ScamPatternSourceSchema = z.strictObject({
  pattern: z.string().min(1).max(scamPatternMaxLength, `a pattern is at most ${scamPatternMaxLength} characters`),
  flags: z.string().regex(allowedFlags, "flags may only be i, m, s and u").optional(),
  language: z.string().min(1).max(20).optional(),
  warning: z.enum(scamWarningKinds).optional(),
});

export type ScamPatternsCheck = { ok: true; patterns: ScamPattern[] } | { ok: false; problem: string };

/** Checks and compiles patterns (parsed JSON, e.g. the operator's file): every problem is named. */
export function compileScamPatterns(sources: unknown): ScamPatternsCheck {
  const parsed = z.array(ScamPatternSourceSchema).max(1000, "at most 1000 patterns").safeParse(sources);
  if (!parsed.success) return { ok: false, problem: z.prettifyError(parsed.error).replace(/\s*\n\s*/g, "; ") };
  const patterns: ScamPattern[] = [];
  for (const [index, source] of parsed.data.entries()) {
    if (nestedQuantifier.test(source.pattern)) return { ok: false, problem: `pattern ${index} has a quantified group inside a quantifier, which can take forever to match: ${source.pattern}` };
    const compiled = compileOne(source);
    if (typeof compiled === "string") return { ok: false, problem: `pattern ${index} is not a valid regular expression: ${compiled}` };
    patterns.push(compiled);
  }
  return { ok: true, patterns };
}

function compileOne(source: ScamPatternSource): ScamPattern | string {
  const flags = [...new Set(source.flags ?? "iu")].join("");
  try {
    return { regex: new RegExp(source.pattern, flags), warning: source.warning ?? "payment_request", language: source.language ?? "any" };
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}

/** The default list, compiled once; a mistake in it fails the first test that loads this module. */
export const defaultScamPatterns: readonly ScamPattern[] = (() => {
  const compiled = compileScamPatterns(defaultScamPatternSources);
  if (!compiled.ok) throw new Error(`default scam patterns: ${compiled.problem}`);
  return compiled.patterns;
})();

/** The first warning a message's text raises, or null. */
export function scamWarningOf(patterns: readonly ScamPattern[], text: string): ScamWarning | null {
  const scanned = text.slice(0, scamScannedLength).normalize("NFKC");
  for (const { regex, warning } of patterns) if (regex.test(scanned)) return warning;
  return null;
}
