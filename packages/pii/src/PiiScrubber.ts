/**
 * The PII stripping engine (ingest-and-storage.md, "PII stripping"): pure string and JSON
 * rewriting, no I/O, no Effect. It runs on every event on the ingest hot path, so it is built
 * around one rule: most strings hold no PII, and proving that must cost at most one pass over
 * their characters. A string without a digit or `@` is done after one native regexp test;
 * otherwise `scrubText` measures digit clusters, digit runs, `@`, `+` and digits next to
 * spaces in one loop, and a pattern's regular expression runs only when that scan says the
 * string could hold it.
 *
 * Order matters and is fixed: e-mail, card, SSN / tax id, phone, street address. A card
 * number is tried before any phone pattern so a Luhn-valid card is never reported as a phone,
 * and every replacement token is digit-free, so a later pattern cannot match inside an
 * earlier one's output.
 *
 * Numbers are matched only as whole tokens: a candidate may not start or end in the middle of
 * a longer number, word, UUID, hash or dotted version (see `NUMBER_START`, `NUMBER_END`). That
 * is what keeps ids, hashes, versions, dates and prices intact. The decisions that trade recall
 * against false positives are documented where each pattern is built.
 */

/** The kinds of PII the engine redacts; reported for the `YAVIO-2251` counter. */
export type PiiKind = "email" | "card" | "ssn" | "phone" | "address"

export const PiiKinds: ReadonlyArray<PiiKind> = ["email", "card", "ssn", "phone", "address"]

export const EMAIL_REDACTED = "[EMAIL_REDACTED]"
export const CC_REDACTED = "[CC_REDACTED]"
export const SSN_REDACTED = "[SSN_REDACTED]"
export const PHONE_REDACTED = "[PHONE_REDACTED]"
export const ADDRESS_REDACTED = "[ADDRESS_REDACTED]"
/** The SDK's token (sdk.md §4); ingest keeps IP addresses, so it is off unless asked for. */
export const IP_REDACTED = "[IP_REDACTED]"
export const MAX_DEPTH_REPLACEMENT = "[MAX_DEPTH]"

/** Objects and arrays nested deeper than this (the root is depth 0) become `[MAX_DEPTH]`. */
export const MAX_DEPTH = 32

/**
 * Top-level event fields that are never scrubbed: ids, the user id (spec: never stripped),
 * enum-valued fields and machine-made strings that cannot carry PII. Every other field is
 * scrubbed, and every object- or array-valued one (`metadata`, `user_traits`, `input_values`,
 * `output_values`, `input_types`, `input_keys`, `intent_signals`, …) recursively.
 */
export const UNSCRUBBED_EVENT_FIELDS: ReadonlySet<string> = new Set([
  "user_id",
  "event_id",
  "trace_id",
  "session_id",
  "event_type",
  "source",
  "platform",
  "status",
  "error_category",
  "conversion_currency",
  "connection_type",
  "timestamp",
  "sdk_version",
])

// ---------------------------------------------------------------------------------------------
// What fired. A bit per kind, collected in a module-level mask while one top-level call runs.
// The engine is synchronous and never re-entered, so this is safe and saves allocating an
// accumulator per string.

const EMAIL = 1
const CARD = 2
const SSN = 4
const PHONE = 8
const ADDRESS = 16

let fired = 0

const kindsByMask: Array<ReadonlyArray<PiiKind> | undefined> = []
const kindsOf = (mask: number): ReadonlyArray<PiiKind> => {
  let kinds = kindsByMask[mask]
  if (kinds === undefined) {
    kinds = PiiKinds.filter((_, i) => (mask & (1 << i)) !== 0)
    kindsByMask[mask] = kinds
  }
  return kinds
}

// ---------------------------------------------------------------------------------------------
// Small character helpers.

const isDigitCode = (c: number): boolean => c >= 48 && c <= 57

const countDigits = (s: string): number => {
  let n = 0
  for (let i = 0; i < s.length; i++) if (isDigitCode(s.charCodeAt(i))) n++
  return n
}

/**
 * Luhn over the digits of `s` (separators skipped), 13–19 digits, and not one repeated digit
 * (`0000 0000 0000 0000` passes Luhn but is a placeholder, not a card).
 */
const isLuhnCard = (s: string): boolean => {
  let sum = 0
  let count = 0
  let double = false
  let first = -1
  let allSame = true
  for (let i = s.length - 1; i >= 0; i--) {
    const d = s.charCodeAt(i) - 48
    if (d < 0 || d > 9) continue
    if (first === -1) first = d
    else if (d !== first) allSame = false
    count++
    let v = d
    if (double) {
      v *= 2
      if (v > 9) v -= 9
    }
    sum += v
    double = !double
  }
  return count >= 13 && count <= 19 && sum % 10 === 0 && !allSame
}

// ---------------------------------------------------------------------------------------------
// Token boundaries shared by the numeric patterns.

/**
 * A numeric candidate may not start right after: a word character or `+` (inside an id, a
 * hash, an E.164 number); a digit plus one separator (it would be the tail of a longer
 * number such as a date, an IP or a bigger digit group); a letter plus `.` or `-` (an id like
 * `ORD-…`, a UUID segment like `e29b-…`, a version like `v1.…`).
 */
const NUMBER_START = String.raw`(?<![\w+]|\d[ .\-\u2013/:]|[A-Za-z][.\-])`
/**
 * …and may not end right before a word character, or a `.`, `-`, `/`, `:` followed by a digit
 * (a decimal, a longer dashed id, a date, a time). A following space and digit is allowed, so
 * `4111 1111 1111 1111 12/28` still finds the card.
 */
const NUMBER_END = String.raw`(?!\w|[.\-\u2013/:]\d)`

// ---------------------------------------------------------------------------------------------
// E-mail. RFC 5322 dot-atom local part, a dotted domain with an alphabetic (or punycode) TLD,
// or an address literal. Letters beyond ASCII are allowed for internationalised addresses.
// The lookbehind makes the match start at the beginning of the local part, which keeps the
// scan linear on long strings without `@`-anchored candidates.

const INTL_LETTER = String.raw`\u00C0-\u024F\u0370-\u03FF\u0400-\u04FF\u0590-\u06FF\u0900-\u0DFF\u0E00-\u0EFF\u3040-\u30FF\u3400-\u4DBF\u4E00-\u9FFF\uAC00-\uD7AF`
const LOCAL_CHAR = String.raw`[A-Za-z0-9!#$%&'*+/=?^_\`{|}~\-${INTL_LETTER}]`
const DOMAIN_LABEL = String.raw`[A-Za-z0-9${INTL_LETTER}](?:[A-Za-z0-9\-${INTL_LETTER}]{0,61}[A-Za-z0-9${INTL_LETTER}])?`
const EMAIL_RE = new RegExp(
  String.raw`(?<![A-Za-z0-9!#$%&'*+/=?^_\`{|}~.\-${INTL_LETTER}])` +
    String.raw`${LOCAL_CHAR}+(?:\.${LOCAL_CHAR}+)*@` +
    String.raw`(?:(?:${DOMAIN_LABEL}\.)+(?:[A-Za-z${INTL_LETTER}]{2,63}|xn--[A-Za-z0-9\-]{2,59})(?![A-Za-z0-9\-])|\[[0-9A-Fa-f:.]+\])`,
  "g",
)

/**
 * Asset names such as `icon@2x.png` are shaped like addresses; no real TLD is one of these
 * file extensions, so a "domain" ending in one is left alone.
 */
const FILE_EXTENSION_TLDS: ReadonlySet<string> = new Set([
  "png",
  "jpg",
  "jpeg",
  "gif",
  "svg",
  "webp",
  "avif",
  "ico",
  "bmp",
  "tif",
  "tiff",
  "pdf",
  "js",
  "mjs",
  "cjs",
  "ts",
  "tsx",
  "jsx",
  "css",
  "scss",
  "html",
  "htm",
  "json",
  "map",
  "txt",
  "woff",
  "woff2",
  "ttf",
  "otf",
  "mp3",
  "mp4",
  "webm",
  "wasm",
  "gz",
  "tgz",
])

const onEmail = (match: string): string => {
  const dot = match.lastIndexOf(".")
  if (dot > match.lastIndexOf("@") && FILE_EXTENSION_TLDS.has(match.slice(dot + 1).toLowerCase())) {
    return match
  }
  fired |= EMAIL
  return EMAIL_REDACTED
}

// ---------------------------------------------------------------------------------------------
// Card numbers: 13–19 digits passing Luhn, either
//  - grouped with single spaces or dashes in a card layout: 4-4-4-1…4 (+ an optional 1–3 digit
//    group, for 17–19 digits), Amex 4-6-5 or Diners 4-6-4; any leading digit;
//  - or one unbroken run whose first digit is 2–6 (the issuer ranges of Mastercard 2-series,
//    Amex/Diners/JCB, Visa, Mastercard/Maestro, Discover/UnionPay). Our decision: unbroken runs
//    starting with 1, 7, 8, 9 or 0 are not payment cards in practice but are very often
//    millisecond/microsecond epoch timestamps and ids, which Luhn alone would flag one time in
//    ten.

const CARD_RE = new RegExp(
  NUMBER_START +
    String.raw`(?:\d{4}[ \-]\d{4}[ \-]\d{4}[ \-]\d{1,4}(?:[ \-]\d{1,3})?|\d{4}[ \-]\d{6}[ \-]\d{4,5}|[2-6]\d{12,18})` +
    NUMBER_END,
  "g",
)

const onCard = (match: string): string => {
  if (isLuhnCard(match)) {
    fired |= CARD
    return CC_REDACTED
  }
  // A trailing short group can be a CVV or the start of an expiry (`… 1111 123`): try without it.
  const cut = Math.max(match.lastIndexOf(" "), match.lastIndexOf("-"))
  if (cut > 0) {
    const head = match.slice(0, cut)
    if (isLuhnCard(head)) {
      fired |= CARD
      return CC_REDACTED + match.slice(cut)
    }
  }
  return match
}

// ---------------------------------------------------------------------------------------------
// SSN / tax ids. Unlabelled: `NNN-NN-NNNN` with one repeated separator: dash, en dash, space
// or dot. Placeholders with an all-zero group (`000-00-0000`) stay. Area numbers 9xx are
// redacted too: they are ITINs, which are tax ids. Nine bare digits, or an EIN `NN-NNNNNNN`,
// are far too common as ids and amounts, so they are redacted only when labelled: after a
// label in the text (`SSN: 123456789`, `EIN 12-3456789`) or under a key such as `ssn` or
// `tax_id` (see `byKey`).

const SSN_RE = new RegExp(NUMBER_START + String.raw`(\d{3})([\-\u2013 .])(\d{2})\2(\d{4})` + NUMBER_END, "g")

const onSsn = (match: string, area: string, _sep: string, group: string, serial: string): string => {
  if (area === "000" || group === "00" || serial === "0000") return match
  fired |= SSN
  return SSN_REDACTED
}

const SSN_LABEL = String.raw`(?:ssn|social[ \-]security(?:[ \-](?:number|no\.?|#))?|tax(?:payer)?[ \-_]?id(?:entification)?(?:[ \-](?:number|no\.?|#))?|itin|tin|ein)`
const LABELLED_SSN_RE = new RegExp(
  String.raw`\b${SSN_LABEL}\b[ \t]*(?:[:#=\-]|is|no\.?|number)?[ \t]*(\d{3}[\-\u2013 ]?\d{2}[\-\u2013 ]?\d{4}|\d{2}-\d{7})(?!\w|[.\-]\d)`,
  "gi",
)

const onLabelledSsn = (match: string, value: string): string => {
  fired |= SSN
  return match.slice(0, match.length - value.length) + SSN_REDACTED
}

// ---------------------------------------------------------------------------------------------
// Phones.
//  - International: `+` and 8–15 digits in groups separated by single spaces, dots or dashes,
//    optionally with one parenthesised group (`+1 (415) 555-2671`, `+44 (0)20 7946 0958`).
//    Written without separators (E.164 proper, `+14155552671`) it needs 10–15 digits, so a
//    signed count such as `+12500000` is not a phone.
//  - North American: `(415) 555-2671`, `415-555-2671`, `415.555.2671`, `415 555 2671`, with an
//    optional leading `1`. Ten bare digits are not matched (epoch seconds, ids).
//  - Trunk-prefixed national (UK, DE, FR, …): a leading 0, at least one separator, 10–11
//    digits: `020 7946 0958`, `030 1234567`, `01 23 45 67 89`; `00` + country code: 11–17.
//  - Labelled: `tel: 5552671`, `phone 4155552671` — any 7–15 digits after a phone word, or
//    under a key such as `phone` or `mobileNumber` (see `byKey`).

const INTL_PHONE_RE = new RegExp(
  String.raw`(?<![\w+])\+\d+(?:[ .\-]?\(\d{1,4}\)[ .\-]?\d+|[ .\-]\d+)*` + NUMBER_END,
  "g",
)

const onIntlPhone = (match: string): string => {
  const digits = countDigits(match)
  const separated = digits + 1 !== match.length
  if (digits > 15 || digits < (separated ? 8 : 10)) return match
  fired |= PHONE
  return PHONE_REDACTED
}

const NANP_PHONE_RE = new RegExp(
  NUMBER_START + String.raw`(?:1[ .\-]?)?(?:\(\d{3}\)[ ]?|\d{3}[ .\-])\d{3}[ .\-]\d{4}` + NUMBER_END,
  "g",
)

const onPhone = (): string => {
  fired |= PHONE
  return PHONE_REDACTED
}

const TRUNK_PHONE_RE = new RegExp(NUMBER_START + String.raw`0\d{1,4}(?:[ .\-]\d{2,8}){1,4}` + NUMBER_END, "g")

const onTrunkPhone = (match: string): string => {
  const digits = countDigits(match)
  // `00` is the international call prefix; a country code never starts with 0.
  const international = match.charCodeAt(1) === 48
  const ok = international
    ? match.charCodeAt(2) !== 48 && digits >= 11 && digits <= 17
    : digits >= 10 && digits <= 11
  if (!ok) return match
  fired |= PHONE
  return PHONE_REDACTED
}

const LABELLED_PHONE_RE =
  /\b(?:phone|telephone|tel|mobile|mob|cell|cellphone|fax|whatsapp)\b\.?[ \t]*(?:[:#=-]|no\.?|number|is)?[ \t]*(\+?\d[\d .\-()]{5,20}\d)/gi

const onLabelledPhone = (match: string, value: string): string => {
  const digits = countDigits(value)
  if (digits < 7 || digits > 15) return match
  fired |= PHONE
  return match.slice(0, match.length - value.length) + PHONE_REDACTED
}

// ---------------------------------------------------------------------------------------------
// Street addresses: a house number and a street word, in the orders used in practice.
//  A. English: `221B Baker Street`, `1600 Pennsylvania Avenue NW`, `350 5th Ave, Suite 300`.
//     One to four capitalised name words (or ordinals); the street word in Capitalised, lower
//     or UPPER case. All-lowercase addresses (`21 jump street`) are matched only with an
//     unambiguous street word (street/st/avenue/ave/road/rd/boulevard/blvd), at most two name
//     words, none of them a function word: `3 blocks down the road` must survive.
//  B. Number first, then a French street word: `12 rue de Rivoli`, `8 Avenue des Champs-Élysées`.
//     The capitalised words that are also English (Avenue, Boulevard, Place) need a particle
//     (`de`, `des`, `of the`, …) so `Top 5 Place Finishers` survives.
//  C. Street word first, number last (Spanish, Italian, Portuguese, Catalan): `Calle de Alcalá, 42`,
//     `Via Roma 10`, `Rua Augusta 274`. Only this order: `Room 101 Via Zoom` must survive.
//  D. German / Dutch: `Hauptstraße 5`, `Friedrichstr. 123`, `Berliner Straße 12a`, `Kalverstraat 1`.
// Name words are Latin script (with accents). Cities and ZIP codes on their own are not
// addresses and stay.

const UPPER = String.raw`A-Z\u00C0-\u00D6\u00D8-\u00DE`
const LETTER = String.raw`A-Za-z\u00C0-\u00D6\u00D8-\u00F6\u00F8-\u024F`
const SP = String.raw`[ \t\u00A0]+`
const NAME_WORD = String.raw`(?:[${UPPER}][${LETTER}'\u2019.\-]*|\d{1,4}(?:st|nd|rd|th))`
/** In the English form the name starts with a proper word, not `The`, `A`, `For`… */
const FIRST_NAME_WORD = String.raw`(?!(?:The|A|An|And|Or|Of|For|To|In|On|At|By|With|My|Your|Our|Its|This|That)\b)${NAME_WORD}`
/**
 * A house number: not inside a number, an id or a price, and not the count of a ranking or
 * sequence word (`Top 5 Hidden Gems Way`, `Level 3 Boss Fight Court`, `Chapter 3 The Road`).
 */
const COUNT_WORDS =
  "Top|top|Level|level|Chapter|chapter|Season|season|Episode|episode|Step|step|Page|page|Part|part|Round|round|Stage|stage|Phase|phase|Version|version|Rated|rated|Rank|rank|Gen|Series|Vol|Room|room|Gate|gate|Table|table|Seat|seat"
const HOUSE_NUMBER = String.raw`(?<![\w.\-/:#$\u20AC\u00A3+]|\d,|\b(?:${COUNT_WORDS})\.?[ \t]+)\d{1,6}(?:[A-Za-z](?![A-Za-z]))?(?:-\d{1,6})?`

const anyCase = (words: ReadonlyArray<string>): string =>
  words.map((w) => `${w[0]!.toUpperCase()}${w.slice(1)}|${w}|${w.toUpperCase()}`).join("|")

const ENGLISH_STREET_WORDS = anyCase([
  "street",
  "st",
  "avenue",
  "ave",
  "road",
  "rd",
  "boulevard",
  "blvd",
  "lane",
  "ln",
  "drive",
  "dr",
  "court",
  "ct",
  "way",
  "place",
  "pl",
  "terrace",
  "ter",
  "square",
  "sq",
  "parkway",
  "pkwy",
  "highway",
  "hwy",
  "circle",
  "cir",
])
const LOWERCASE_STREET_WORDS = "street|st|avenue|ave|road|rd|boulevard|blvd"
const FUNCTION_WORDS =
  "the|a|an|and|or|of|on|in|to|for|with|at|by|from|my|your|our|their|his|her|its|this|that|these|those|is|are|was|were|be|more|less|per|each|every|down|up|across|along|off|over|into|onto|than|then|times|x"
const DIRECTION = String.raw`(?:${SP}(?:N|S|E|W|NE|NW|SE|SW)\b)?`
const UNIT = String.raw`(?:,?${SP}(?:Apt|Apartment|Suite|Ste|Unit|Floor|Fl)\.?${SP}#?[A-Za-z0-9\-]+)?`
const PARTICLE = String.raw`(?:(?:de|du|des|la|le|les|del|della|dei|di|da|do|dos|das|of|the)${SP}|[dl]['\u2019])`
const ROMANCE_FREE = String.raw`(?:[Rr]ue|[Cc]hemin|[Qq]uai|[Ii]mpasse|[Aa]ll[\u00E9e]e|avenue|boulevard|place)`
const ROMANCE_NEEDS_PARTICLE = "(?:Avenue|Boulevard|Place)"
const STREET_NAME = String.raw`${NAME_WORD}(?:[ \t\-]+${NAME_WORD}){0,3}`

const NUMBER_FIRST_ADDRESS_RE = new RegExp(
  HOUSE_NUMBER +
    "(?:" +
    // A. English
    String.raw`${SP}${FIRST_NAME_WORD}${SP}(?:${NAME_WORD}${SP}){0,3}(?:${ENGLISH_STREET_WORDS})\b${DIRECTION}${UNIT}` +
    "|" +
    // A, all lowercase
    String.raw`${SP}(?:(?!(?:${FUNCTION_WORDS})\b)[a-z][a-z'\-]*${SP}){1,2}(?:${LOWERCASE_STREET_WORDS})\b${UNIT}` +
    "|" +
    // B. French, number first
    `,?${SP}(?:${ROMANCE_FREE}${SP}${PARTICLE}*|${ROMANCE_NEEDS_PARTICLE}${SP}${PARTICLE}+)${STREET_NAME}` +
    ")",
  "g",
)

const HOUSE_NUMBER_LAST = String.raw`\d{1,5}(?:[A-Za-z](?![A-Za-z]))?(?![\w%]|[.,:/]\d)`
const NUMBER_LAST_ADDRESS_RE = new RegExp(
  // C. Romance, street word first
  String.raw`(?<![\w${LETTER}])(?:Calle|Via|Viale|Avenida|Rua|Rue|Carrer|Piazza|Corso)${SP}${PARTICLE}*${STREET_NAME},?${SP}${HOUSE_NUMBER_LAST}` +
    "|" +
    // D. German / Dutch, compound or separate street word
    String.raw`(?<![\w${LETTER}])[${UPPER}][${LETTER}\-]*(?:(?:stra\u00DFe|strasse|gasse|allee|platz|weg|damm|straat|laan|gracht)${SP}|str\.[ \t]*|${SP}(?:Stra\u00DFe|Strasse|Str\.|Gasse|Allee|Platz|Weg|Damm)${SP})${HOUSE_NUMBER_LAST}`,
  "g",
)

const onAddress = (): string => {
  fired |= ADDRESS
  return ADDRESS_REDACTED
}

// ---------------------------------------------------------------------------------------------
// The string pass.

/** Shortest string any pattern can match (`a@b.co`, `1 A St` are 6). */
const MIN_CANDIDATE_LENGTH = 6

/** Every pattern needs a digit or an `@`; most strings have neither. */
const MAY_HOLD_PII = /[0-9@]/

/**
 * Whole-string business values that are common in events and would otherwise be scanned and
 * pass some gate: ISO dates and timestamps, UUIDs.
 */
const WHOLE_BUSINESS_VALUE =
  /^(?:\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:?\d{2})?)?|[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12})$/

const isSpaceCode = (c: number): boolean => c === 32 || c === 9 || c === 160
/** Characters that may sit between the digits of one phone, card or SSN. */
const isNumberGlue = (c: number): boolean =>
  c === 32 || c === 45 || c === 46 || c === 40 || c === 41 || c === 9 || c === 160 || c === 0x2013

// ---------------------------------------------------------------------------------------------
// IP addresses (the SDK's pass only). Whole tokens only: an address glued to a word, a longer
// dotted number or another colon group is left alone, so `v1.2.3.4`, `10.0.19041.1` and
// `12:30:45` survive. A bare four-part version whose parts are all ≤ 255 (`1.0.0.0`) cannot be
// told from an address and is redacted (our decision: an address that leaks costs more).

const OCTET = "(?:25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)"
const IPV4_RE = new RegExp(`(?<![\\w.:-])(?:${OCTET}\\.){3}${OCTET}(?![\\w-]|\\.\\d)`, "g")
const HEX = "[0-9a-fA-F]{1,4}"
// Full eight groups, or compressed with `::`; the callback requires a digit, so `::` and
// `a::b` in code are not addresses.
const IPV6_RE = new RegExp(
  `(?<![\\w:.-])(?:(?:${HEX}:){7}${HEX}|(?:${HEX}(?::${HEX}){0,6})?::(?:${HEX}(?::${HEX}){0,6})?)(?![\\w:.])`,
  "g",
)
const IP_HINT = /\d\.\d{1,3}\.\d|:[0-9a-fA-F]{0,4}:/

/** Set for one top-level call: whether IP addresses are redacted too. */
let redactIps = false

const onIp4 = (): string => IP_REDACTED
const onIp6 = (match: string): string => (/\d/.test(match) ? IP_REDACTED : match)

const scrubText = (s: string): string => {
  if (redactIps && s.length >= 3 && IP_HINT.test(s)) {
    return scrubPatterns(s.replace(IPV6_RE, onIp6).replace(IPV4_RE, onIp4))
  }
  return scrubPatterns(s)
}

const scrubPatterns = (s: string): string => {
  const length = s.length
  if (length < MIN_CANDIDATE_LENGTH || !MAY_HOLD_PII.test(s)) return s
  // Dates, timestamps and UUIDs are the most common digit-bearing strings in events.
  if (length <= 36 && (s.charCodeAt(4) === 45 || s.charCodeAt(8) === 45) && WHOLE_BUSINESS_VALUE.test(s)) {
    return s
  }

  // One pass collects what the gates below need:
  //  - the largest cluster of digits joined by at most two glue characters in a row
  //    (`(415) 555-2671` is one cluster of 10) and the longest unbroken digit run;
  //  - `@` and `+`;
  //  - a digit (or digit + one letter, `221B`) followed by whitespace: number-first addresses;
  //  - whitespace followed by a digit, after an uppercase letter: number-last addresses.
  let cluster = 0
  let maxCluster = 0
  let run = 0
  let maxRun = 0
  let glue = 0
  let at = false
  let plus = false
  let upper = false
  let digitThenSpace = false
  let spaceThenDigit = false
  let prev = 0
  let prev2 = 0
  for (let i = 0; i < length; i++) {
    const c = s.charCodeAt(i)
    if (c >= 48 && c <= 57) {
      cluster++
      run++
      glue = 0
      if (isSpaceCode(prev)) spaceThenDigit = true
    } else {
      if (run > maxRun) maxRun = run
      run = 0
      if (isNumberGlue(c)) {
        if (++glue > 2) {
          if (cluster > maxCluster) maxCluster = cluster
          cluster = 0
        }
        if (isSpaceCode(c) && (isDigitCode(prev) || isDigitCode(prev2))) digitThenSpace = true
      } else {
        if (cluster > maxCluster) maxCluster = cluster
        cluster = 0
        glue = 0
        if (c === 64) at = true
        else if (c === 43) plus = true
        else if ((c >= 65 && c <= 90) || c >= 0xc0) upper = true
      }
    }
    prev2 = prev
    prev = c
  }
  if (cluster > maxCluster) maxCluster = cluster
  if (run > maxRun) maxRun = run

  const card = maxCluster >= 13
  const ssn = maxCluster >= 9
  // Labels only matter for numbers the unlabelled patterns do not take: bare runs
  // (`ssn 123456789`, `tel 5552671`, `EIN 12-3456789`) or a label glued on (`SSN-123-45-6789`).
  const labelledSsn = maxRun >= 7 || ssn
  const labelledPhone = maxRun >= 7
  const intlPhone = plus && maxCluster >= 8
  const nationalPhone = maxCluster >= 10
  const numberLastAddress = spaceThenDigit && upper
  if (!(at || labelledSsn || labelledPhone || intlPhone || digitThenSpace || numberLastAddress)) return s

  let out = s
  if (at) out = out.replace(EMAIL_RE, onEmail)
  if (card) out = out.replace(CARD_RE, onCard)
  if (ssn) out = out.replace(SSN_RE, onSsn)
  if (labelledSsn) out = out.replace(LABELLED_SSN_RE, onLabelledSsn)
  if (intlPhone) out = out.replace(INTL_PHONE_RE, onIntlPhone)
  if (nationalPhone) {
    out = out.replace(NANP_PHONE_RE, onPhone)
    out = out.replace(TRUNK_PHONE_RE, onTrunkPhone)
  }
  if (labelledPhone) out = out.replace(LABELLED_PHONE_RE, onLabelledPhone)
  if (digitThenSpace) out = out.replace(NUMBER_FIRST_ADDRESS_RE, onAddress)
  if (numberLastAddress) out = out.replace(NUMBER_LAST_ADDRESS_RE, onAddress)
  return out
}

// ---------------------------------------------------------------------------------------------
// Values labelled by their key: `{ "ssn": "123456789" }`, `{ "phone": "4155552671" }`. The
// text patterns cannot see the label, so a short digit-only value under such a key is checked
// here. Keys are split into words (`mobileNumber` → mobile, number) so `className` is not `ssn`.

const SSN_KEY_VALUE = /^\s*(?:\d{3}[-\u2013 .]?\d{2}[-\u2013 .]?\d{4}|\d{2}-\d{7})\s*$/
const PHONE_KEY_VALUE = /^\s*\+?[\d .\-()]{7,24}\s*$/
const PHONE_KEY_WORDS: ReadonlySet<string> = new Set([
  "phone",
  "phonenumber",
  "telephone",
  "tel",
  "mobile",
  "cell",
  "cellphone",
  "fax",
  "whatsapp",
  "msisdn",
])
const NOT_A_PHONE_KEY_WORDS: ReadonlySet<string> = new Set(["id", "version", "build", "count", "model", "os"])

const keyWords = (key: string): ReadonlyArray<string> =>
  key
    .replace(/([a-z0-9])([A-Z])/g, "$1 $2")
    .toLowerCase()
    .split(/[^a-z0-9]+/)

const isSsnKey = (words: ReadonlyArray<string>): boolean => {
  for (let i = 0; i < words.length; i++) {
    const w = words[i]!
    if (w === "ssn" || w === "itin" || w === "tin" || w === "ein" || w === "taxid" || w === "taxpayer")
      return true
    const next = words[i + 1]
    if (w === "social" && next === "security") return true
    if (w === "tax" && (next === "id" || next === "number" || next === "no")) return true
  }
  return false
}

const isPhoneKey = (words: ReadonlyArray<string>): boolean =>
  words.some((w) => PHONE_KEY_WORDS.has(w)) && !words.some((w) => NOT_A_PHONE_KEY_WORDS.has(w))

const byKey = (key: string, value: string): string => {
  if (value.length < 7 || value.length > 32) return value
  const c = value.charCodeAt(0)
  if (!isDigitCode(c) && c !== 43 && c !== 40 && !isSpaceCode(c)) return value
  const ssnShaped = SSN_KEY_VALUE.test(value)
  const phoneShaped = !ssnShaped && PHONE_KEY_VALUE.test(value)
  if (!ssnShaped && !phoneShaped) return value
  const words = keyWords(key)
  if (ssnShaped && isSsnKey(words)) {
    fired |= SSN
    return SSN_REDACTED
  }
  if (isPhoneKey(words)) {
    const digits = countDigits(value)
    if (digits >= 7 && digits <= 15) {
      fired |= PHONE
      return PHONE_REDACTED
    }
  }
  return value
}

// ---------------------------------------------------------------------------------------------
// The JSON walk. Copy-on-write: a container is copied only from the first member that
// changed, so a clean value comes back as the same reference and the caller can skip
// re-serialising it.

const setOwn = (target: Record<string, unknown>, key: string, value: unknown): void => {
  // A `__proto__` key from JSON.parse is an own data property; plain assignment would set the
  // prototype instead.
  if (key === "__proto__") {
    Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true })
  } else {
    target[key] = value
  }
}

const walk = (value: unknown, depth: number): unknown => {
  if (typeof value === "string") return scrubText(value)
  if (typeof value !== "object" || value === null) return value
  if (depth > MAX_DEPTH) return MAX_DEPTH_REPLACEMENT
  if (Array.isArray(value)) return walkArray(value, depth)
  return walkRecord(value as Record<string, unknown>, depth)
}

const walkArray = (array: ReadonlyArray<unknown>, depth: number): ReadonlyArray<unknown> => {
  let copy: Array<unknown> | undefined
  for (let i = 0; i < array.length; i++) {
    const item = array[i]
    const next = walk(item, depth + 1)
    if (copy !== undefined) copy.push(next)
    else if (next !== item) {
      copy = array.slice(0, i)
      copy.push(next)
    }
  }
  return copy ?? array
}

const walkRecord = (record: Record<string, unknown>, depth: number): Record<string, unknown> => {
  const keys = Object.keys(record)
  let copy: Record<string, unknown> | undefined
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i]!
    const item = record[key]
    let next = walk(item, depth + 1)
    if (typeof item === "string" && next === item) next = byKey(key, item)
    const nextKey = scrubText(key)
    if (copy !== undefined) setOwn(copy, nextKey, next)
    else if (next !== item || nextKey !== key) {
      copy = {}
      for (let j = 0; j < i; j++) {
        const earlier = keys[j]!
        setOwn(copy, earlier, record[earlier])
      }
      setOwn(copy, nextKey, next)
    }
  }
  return copy ?? record
}

/** The event walk: top-level keys are schema fields (kept), and some fields are never scrubbed. */
const walkEvent = (event: Record<string, unknown>): Record<string, unknown> => {
  const keys = Object.keys(event)
  let copy: Record<string, unknown> | undefined
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i]!
    const item = event[key]
    const next = UNSCRUBBED_EVENT_FIELDS.has(key) ? item : walk(item, 0)
    if (copy !== undefined) setOwn(copy, key, next)
    else if (next !== item) {
      copy = {}
      for (let j = 0; j < i; j++) {
        const earlier = keys[j]!
        setOwn(copy, earlier, event[earlier])
      }
      setOwn(copy, key, next)
    }
  }
  return copy ?? event
}

// ---------------------------------------------------------------------------------------------
// Public API.

/** Options of one pass. */
export interface PiiScrubOptions {
  /** Also redact IPv4 / IPv6 addresses as `[IP_REDACTED]` (the SDK's pass). Default false. */
  readonly ipAddresses?: boolean
}

/** A scrubbed value and the kinds of PII that were redacted in it (empty when none). */
export interface PiiScrubResult<A> {
  readonly value: A
  readonly kinds: ReadonlyArray<PiiKind>
}

/** Redacts PII in one string. Returns `s` itself when nothing matched. */
export const scrubString = (s: string): string => {
  fired = 0
  return scrubText(s)
}

/**
 * Redacts PII in every string of a JSON value (object keys included), recursively. Objects
 * and arrays deeper than `MAX_DEPTH` below `depth` become `"[MAX_DEPTH]"`. Returns `value`
 * itself when nothing changed. Throws only if the value does (a throwing getter).
 */
export const scrubValue = (value: unknown, depth = 0): unknown => {
  fired = 0
  return walk(value, depth)
}

/** `scrubValue`, also reporting which kinds of PII fired. */
export const scrubValueReporting = (value: unknown, depth = 0): PiiScrubResult<unknown> => {
  fired = 0
  const result = walk(value, depth)
  return { value: result, kinds: kindsOf(fired) }
}

/**
 * Scrubs one decoded event: every field except `UNSCRUBBED_EVENT_FIELDS`, JSON fields
 * recursively (each JSON field is its own depth-0 root). Returns `event` itself when clean.
 */
export const scrubEventRecord = (
  event: Record<string, unknown>,
  options?: PiiScrubOptions,
): Record<string, unknown> => {
  fired = 0
  redactIps = options?.ipAddresses === true
  try {
    return walkEvent(event)
  } finally {
    redactIps = false
  }
}

/** `scrubEventRecord`, also reporting which kinds of PII fired (for `YAVIO-2251`). */
export const scrubEventReporting = (
  event: Record<string, unknown>,
): PiiScrubResult<Record<string, unknown>> => {
  fired = 0
  const result = walkEvent(event)
  return { value: result, kinds: kindsOf(fired) }
}
