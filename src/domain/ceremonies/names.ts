/**
 * Usernames and display names, prepared as WebAuthn L3 §5.4.3 recommends (ADR 0015): a username is
 * enforced with the PRECIS UsernameCasePreserved profile (RFC 8265 §3.4), a display name with the
 * Nickname profile (RFC 8266 §2.3), both on top of the PRECIS framework (RFC 8264). What is stored and
 * shown is the prepared string, never the raw input; either is at most 64 code points.
 *
 * Each rule is one function below, in the order RFC 8264 §7 applies them. JavaScript gives the Unicode
 * data most rules need (General_Category, Script, Default_Ignorable_Code_Point, Noncharacter_Code_Point
 * and NFC/NFKC); where it does not, ADR 0015 says what is done instead.
 */

/** Longest name accepted, in code points of the prepared string. */
export const MAX_NAME_LENGTH = 64;

/** What a code point is to a PRECIS string class (RFC 8264 §8; FREE_PVAL and ID_DIS are resolved per class). */
export type DerivedProperty = "PVALID" | "CONTEXTJ" | "CONTEXTO" | "DISALLOWED" | "UNASSIGNED";

export type StringClass = "identifier" | "freeform";

const codePoints = (text: string): number[] => Array.from(text, (ch) => ch.codePointAt(0) ?? 0);

/** Rules are reapplied until the string is stable; one that is not after three more rounds is refused (RFC 8264 §7). */
const MAX_RULE_ROUNDS = 4;

// --- The mapping rules -------------------------------------------------------------------------

/** Fullwidth and halfwidth forms and the ideographic space: the characters whose decomposition is <wide> or <narrow>. */
const WIDTH_FORMS = /[\u3000\uFF01-\uFFEE]/gu;

/**
 * Width Mapping Rule (RFC 8265 §3.4.1 step 1): fullwidth and halfwidth characters become their
 * decomposition mappings ("ＡＢＣ" → "ABC"). The few whose mapping decomposes further (U+FFE3, the
 * halfwidth Hangul letters) end as characters the identifier class refuses either way.
 */
export function mapWidth(text: string): string {
  return text.replace(WIDTH_FORMS, (ch) => ch.normalize("NFKC"));
}

const NON_ASCII_SPACE = /(?! )\p{Zs}/gu;

/**
 * Additional Mapping Rule of Nickname (RFC 8266 §2.2): any space becomes U+0020, spaces at either end
 * are removed, and a run of spaces inside becomes one.
 */
export function mapNicknameSpaces(text: string): string {
  return text.replace(NON_ASCII_SPACE, " ").replace(/^ +| +$/g, "").replace(/ {2,}/g, " ");
}

/** Normalization Rule of UsernameCasePreserved: NFC (RFC 8265 §3.4.1 step 2). */
export const normalizeUsername = (text: string): string => text.normalize("NFC");

/** Normalization Rule of Nickname: NFKC (RFC 8266 §2.2), whose output is in NFC too. */
export const normalizeNickname = (text: string): string => text.normalize("NFKC");

/** Applies `rules` until the string no longer changes; `null` if it does not settle (RFC 8264 §7). */
export function applyUntilStable(text: string, rules: (text: string) => string): string | null {
  let current = text;
  for (let round = 0; round < MAX_RULE_ROUNDS; round++) {
    const next = rules(current);
    if (next === current) return current;
    current = next;
  }
  return null;
}

// --- The string classes (RFC 8264 §4, §8 and §9) ---------------------------------------------

/** RFC 5892 §2.6, which RFC 8264 §9.6 takes over. */
const EXCEPTIONS: ReadonlyMap<number, DerivedProperty> = new Map<number, DerivedProperty>([
  ...[0x00df, 0x03c2, 0x06fd, 0x06fe, 0x0f0b, 0x3007].map((cp): [number, DerivedProperty] => [cp, "PVALID"]),
  ...[0x00b7, 0x0375, 0x05f3, 0x05f4, 0x30fb].map((cp): [number, DerivedProperty] => [cp, "CONTEXTO"]),
  ...range(0x0660, 0x0669).map((cp): [number, DerivedProperty] => [cp, "CONTEXTO"]),
  ...range(0x06f0, 0x06f9).map((cp): [number, DerivedProperty] => [cp, "CONTEXTO"]),
  ...[0x0640, 0x07fa, 0x302e, 0x302f, 0x3031, 0x3032, 0x3033, 0x3034, 0x3035, 0x303b].map((cp): [number, DerivedProperty] => [cp, "DISALLOWED"]),
]);

function range(first: number, last: number): number[] {
  return Array.from({ length: last - first + 1 }, (_, i) => first + i);
}

const UNASSIGNED = /^(?!\p{Noncharacter_Code_Point})\p{Cn}$/u;
const JOIN_CONTROL = /^\p{Join_Control}$/u;
/** Hangul_Syllable_Type L, V or T (JavaScript has no Hangul_Syllable_Type; these ranges are stable). */
const OLD_HANGUL_JAMO = /^[\u1100-\u11FF\uA960-\uA97C\uD7B0-\uD7C6\uD7CB-\uD7FB]$/u;
const PRECIS_IGNORABLE = /^[\p{Default_Ignorable_Code_Point}\p{Noncharacter_Code_Point}]$/u;
const CONTROL = /^\p{Cc}$/u;
const LETTER_DIGITS = /^[\p{Ll}\p{Lu}\p{Lo}\p{Nd}\p{Lm}\p{Mn}\p{Mc}]$/u;
/** OtherLetterDigits, Spaces, Symbols and Punctuation: the freeform class's extra code points. */
const FREEFORM_EXTRAS = /^[\p{Lt}\p{Nl}\p{No}\p{Me}\p{Zs}\p{Sm}\p{Sc}\p{Sk}\p{So}\p{Pc}\p{Pd}\p{Ps}\p{Pe}\p{Pi}\p{Pf}\p{Po}]$/u;

/**
 * The derived property of `cp` in the IdentifierClass or the FreeformClass (RFC 8264 §8, in its order).
 * Surrogates (a lone one in a JavaScript string), private-use code points and format characters that
 * are not default-ignorable fall through to DISALLOWED.
 */
export function derivedProperty(cp: number, stringClass: StringClass): DerivedProperty {
  const exception = EXCEPTIONS.get(cp);
  if (exception !== undefined) return exception;
  const ch = String.fromCodePoint(cp);
  const free: DerivedProperty = stringClass === "freeform" ? "PVALID" : "DISALLOWED";
  if (UNASSIGNED.test(ch)) return "UNASSIGNED";
  if (cp >= 0x21 && cp <= 0x7e) return "PVALID";
  if (JOIN_CONTROL.test(ch)) return "CONTEXTJ";
  if (OLD_HANGUL_JAMO.test(ch) || PRECIS_IGNORABLE.test(ch) || CONTROL.test(ch)) return "DISALLOWED";
  if (ch.normalize("NFKC") !== ch) return free;
  if (LETTER_DIGITS.test(ch)) return "PVALID";
  if (FREEFORM_EXTRAS.test(ch)) return free;
  return "DISALLOWED";
}

const GREEK = /^\p{Script=Greek}$/u;
const HEBREW = /^\p{Script=Hebrew}$/u;
const KANA_OR_HAN = /^[\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Han}]$/u;
const isScript = (pattern: RegExp, cp: number | undefined): boolean => cp !== undefined && pattern.test(String.fromCodePoint(cp));
const isArabicIndicDigit = (cp: number): boolean => cp >= 0x0660 && cp <= 0x0669;
const isExtendedArabicIndicDigit = (cp: number): boolean => cp >= 0x06f0 && cp <= 0x06f9;

/**
 * The contextual rule of the code point at `index` (RFC 5892 Appendix A). ZERO WIDTH (NON-)JOINER is
 * refused: its rules need Canonical_Combining_Class and Joining_Type, which JavaScript does not expose
 * (ADR 0015).
 */
export function passesContextRule(cps: readonly number[], index: number): boolean {
  const cp = cps[index];
  const before = cps[index - 1];
  const after = cps[index + 1];
  switch (cp) {
    case 0x00b7: // MIDDLE DOT: only between two l (Catalan "l·l")
      return before === 0x6c && after === 0x6c;
    case 0x0375: // GREEK LOWER NUMERAL SIGN: before a Greek character
      return isScript(GREEK, after);
    case 0x05f3: // HEBREW PUNCTUATION GERESH and GERSHAYIM: after a Hebrew character
    case 0x05f4:
      return isScript(HEBREW, before);
    case 0x30fb: // KATAKANA MIDDLE DOT: in a string with Hiragana, Katakana or Han
      return cps.some((other) => other !== 0x30fb && isScript(KANA_OR_HAN, other));
    default:
      if (cp !== undefined && isArabicIndicDigit(cp)) return !cps.some(isExtendedArabicIndicDigit);
      if (cp !== undefined && isExtendedArabicIndicDigit(cp)) return !cps.some(isArabicIndicDigit);
      return false;
  }
}

/** Every code point is PVALID in `stringClass`, or CONTEXTO/CONTEXTJ with its context rule satisfied. */
export function inStringClass(text: string, stringClass: StringClass): boolean {
  const cps = codePoints(text);
  return cps.every((cp, index) => {
    const property = derivedProperty(cp, stringClass);
    if (property === "PVALID") return true;
    if (property === "CONTEXTO" || property === "CONTEXTJ") return passesContextRule(cps, index);
    return false;
  });
}

// --- The Bidi Rule (RFC 5893 §2), for usernames ------------------------------------------------

type BidiClass = "L" | "R" | "AN" | "EN" | "ES" | "CS" | "ET" | "ON" | "NSM";

/** Scripts whose letters are right-to-left (Bidi_Class R or AL; the rule treats the two alike). */
const RTL_SCRIPTS = [
  "Adlam", "Arabic", "Avestan", "Chorasmian", "Cypriot", "Elymaic", "Hanifi_Rohingya", "Hatran", "Hebrew", "Imperial_Aramaic",
  "Inscriptional_Pahlavi", "Inscriptional_Parthian", "Kharoshthi", "Lydian", "Mandaic", "Manichaean", "Mende_Kikakui",
  "Meroitic_Cursive", "Meroitic_Hieroglyphs", "Nabataean", "Nko", "Old_Hungarian", "Old_North_Arabian", "Old_Sogdian",
  "Old_South_Arabian", "Old_Turkic", "Old_Uyghur", "Palmyrene", "Phoenician", "Psalter_Pahlavi", "Samaritan", "Sogdian",
  "Syriac", "Thaana", "Yezidi",
];
/** Right-to-left blocks of scripts newer than Node 20's oldest Unicode data knows by name (Sidetic, Garay). */
const RIGHT_TO_LEFT = new RegExp(`^[${RTL_SCRIPTS.map((script) => `\\p{Script=${script}}`).join("")}\\u{10940}-\\u{1095F}\\u{10D40}-\\u{10D8F}]$`, "u");
const NONSPACING = /^[\p{Mn}\p{Me}]$/u;
const ASCII_BIDI: Readonly<Record<string, BidiClass>> = {
  "+": "ES", "-": "ES", ",": "CS", ".": "CS", "/": "CS", ":": "CS", "#": "ET", "$": "ET", "%": "ET",
};
/** Where Script and General_Category mislead: modifier letters that are ON, and marks that are L (UCD 17.0). */
const OTHER_NEUTRAL: ReadonlySet<number> = new Set([
  0x00b7, 0x0375, 0x30fb, 0x02b9, 0x02ba, ...range(0x02c6, 0x02cf), 0x02ec, 0x2e2f, 0xa67f, ...range(0xa717, 0xa71f), 0xa788,
]);
const LEFT_TO_RIGHT_MARKS: ReadonlySet<number> = new Set([0x0cbf, 0x0cc6, 0x11a07, 0x11a08, 0x11c3f]);

/**
 * The Bidi_Class of a code point the identifier class allows. JavaScript has no Bidi_Class, so it is
 * read off General_Category and Script, with the few exceptions listed above (ADR 0015; checked against
 * UCD 17.0 for every code point the identifier class allows): ASCII as the UCD has it, Arabic-Indic
 * digits (and Hanifi Rohingya's and Garay's) AN, extended Arabic-Indic digits EN, marks NSM, the letters
 * and digits of right-to-left scripts R, anything else L.
 */
export function bidiClass(cp: number): BidiClass {
  if (cp < 0x80) {
    if (cp >= 0x30 && cp <= 0x39) return "EN";
    if ((cp >= 0x41 && cp <= 0x5a) || (cp >= 0x61 && cp <= 0x7a)) return "L";
    return ASCII_BIDI[String.fromCodePoint(cp)] ?? "ON";
  }
  if (isArabicIndicDigit(cp) || (cp >= 0x10d30 && cp <= 0x10d39) || (cp >= 0x10d40 && cp <= 0x10d49)) return "AN";
  if (isExtendedArabicIndicDigit(cp)) return "EN";
  if (OTHER_NEUTRAL.has(cp)) return "ON";
  if (LEFT_TO_RIGHT_MARKS.has(cp)) return "L";
  const ch = String.fromCodePoint(cp);
  if (NONSPACING.test(ch)) return "NSM";
  return RIGHT_TO_LEFT.test(ch) ? "R" : "L";
}

const RTL_ALLOWED: ReadonlySet<BidiClass> = new Set<BidiClass>(["R", "AN", "EN", "ES", "CS", "ET", "ON", "NSM"]);

/**
 * The Bidi Rule (RFC 5893 §2), which UsernameCasePreserved applies to strings with right-to-left
 * characters (RFC 8265 §3.4.1 step 3). Such a string must start with a right-to-left letter, hold no
 * left-to-right one, end on a right-to-left letter or a digit (marks aside), and not mix European and
 * Arabic-Indic digits. A string without right-to-left characters passes.
 */
export function satisfiesBidiRule(text: string): boolean {
  const classes = codePoints(text).map(bidiClass);
  if (!classes.some((c) => c === "R" || c === "AN")) return true;
  if (classes[0] !== "R") return false; // rule 1 (an L start makes an LTR label, which rule 5 then refuses)
  if (!classes.every((c) => RTL_ALLOWED.has(c))) return false; // rule 2
  const last = [...classes].reverse().find((c) => c !== "NSM");
  if (last !== "R" && last !== "EN" && last !== "AN") return false; // rule 3
  return !(classes.includes("EN") && classes.includes("AN")); // rule 4
}

// --- The profiles -----------------------------------------------------------------------------

/** At most MAX_NAME_LENGTH code points, and not empty (RFC 8265 §3.4.2 and RFC 8266 §2.3 refuse empty strings). */
export function withinLengthLimit(text: string): boolean {
  const length = codePoints(text).length;
  return length > 0 && length <= MAX_NAME_LENGTH;
}

/**
 * A username enforced with UsernameCasePreserved (RFC 8265 §3.4.2): width mapping, NFC, the identifier
 * class (letters, digits and printable ASCII: no spaces, symbols or invisible characters), the Bidi
 * Rule; `null` when it fails any of them or is not a string.
 */
export function prepareUsername(value: unknown): string | null {
  if (typeof value !== "string") return null;
  const prepared = applyUntilStable(value, (text) => normalizeUsername(mapWidth(text)));
  if (prepared === null || !withinLengthLimit(prepared)) return null;
  return inStringClass(prepared, "identifier") && satisfiesBidiRule(prepared) ? prepared : null;
}

/**
 * A display name enforced with Nickname (RFC 8266 §2.3): spaces mapped and trimmed, NFKC, the freeform
 * class (no controls, default-ignorables such as bidi controls, tag characters, private use or lone
 * surrogates); `null` when it fails any of them, is empty after the mapping, or is not a string.
 */
export function prepareDisplayName(value: unknown): string | null {
  if (typeof value !== "string") return null;
  const prepared = applyUntilStable(value, (text) => normalizeNickname(mapNicknameSpaces(text)));
  if (prepared === null || !withinLengthLimit(prepared)) return null;
  return inStringClass(prepared, "freeform") ? prepared : null;
}

/**
 * The canonical form of a prepared username, which decides uniqueness and sign-in by username: the
 * UsernameCaseMapped profile's case mapping (RFC 8265 §3.3.1 rule 3: Unicode toLowerCase, then NFC) on
 * top of the width mapping and NFC that `prepareUsername` applied. "Erin", "ERIN" and "ｅｒｉｎ" are one
 * key; look-alikes RFC 8265 does not merge (Latin "a" and Cyrillic "а") stay distinct.
 */
export function usernameKey(preparedUsername: string): string {
  return preparedUsername.toLowerCase().normalize("NFC");
}

/** A last-resort username from an identity provider's user id: its first 64 code points if they make a username, else "user". */
export function fallbackUsername(identityUserId: string): string {
  return prepareUsername(codePoints(identityUserId).slice(0, MAX_NAME_LENGTH).map((cp) => String.fromCodePoint(cp)).join("")) ?? "user";
}

// --- Passkey names ----------------------------------------------------------------------------

/**
 * Code points a passkey name may not hold: controls (Cc), format characters (Cf: invisible ones such as
 * U+200B and bidi overrides such as U+202E, which make a name look other than it is), the line and
 * paragraph separators (Zl, Zp: a name is one line), and lone surrogates (Cs: not text).
 */
const NOT_IN_PASSKEY_NAME = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Cs}]/u;

/**
 * What the user calls a passkey ("Work laptop", "YubiKey 5 Series (2)"): trimmed, NFC, 1 to
 * MAX_NAME_LENGTH code points, without the characters above; `null` otherwise or when not a string.
 * Looser than a display name (any letter, symbol or emoji is fine): it is shown only to its owner.
 */
export function preparePasskeyName(value: unknown): string | null {
  if (typeof value !== "string") return null;
  const prepared = value.normalize("NFC").trim();
  if (!withinLengthLimit(prepared) || NOT_IN_PASSKEY_NAME.test(prepared)) return null;
  return prepared;
}

/**
 * The key that makes passkey names unique per user regardless of case ("Laptop" and "LAPTOP" are one
 * name; "Straße" and "STRASSE" too, by the full upper-casing before the lower-casing). Stores compare
 * these keys, never the names.
 */
export function passkeyNameKey(prepared: string): string {
  // One round is not always a fixed point: "ẞ" (capital sharp s) lowers to "ß", whose round gives "ss".
  // Repeated until stable, so that "ẞ", "ß" and "SS" are one key and the key of a key is itself.
  return applyUntilStable(prepared, foldCase) ?? foldCase(foldCase(foldCase(prepared)));
}

const foldCase = (text: string): string => text.normalize("NFC").toUpperCase().toLowerCase().normalize("NFC");

/**
 * The first name of `base` (a prepared name) that no key in `takenKeys` has: `base`, else
 * "base (2)", "base (3)", … from `firstSuffix`; the base is shortened (by code points, then trimmed) so
 * that the suffix fits in MAX_NAME_LENGTH.
 */
export function uniquePasskeyName(base: string, takenKeys: ReadonlySet<string>, firstSuffix = 1): string {
  for (let n = firstSuffix; ; n++) {
    const candidate = numberedPasskeyName(base, n);
    if (!takenKeys.has(passkeyNameKey(candidate))) return candidate;
  }
}

/** `base` for 1, "base (n)" from 2, within MAX_NAME_LENGTH code points. */
export function numberedPasskeyName(base: string, n: number): string {
  if (n <= 1) return base;
  const suffix = ` (${n})`;
  return `${clipPasskeyName(base, MAX_NAME_LENGTH - codePoints(suffix).length)}${suffix}`.normalize("NFC");
}

/**
 * `text`'s first `room` code points (never half a surrogate pair), without the spaces the cut may leave
 * at the end: how a name too long for its place is shortened (an authenticator's long name, or one that
 * needs room for a number).
 */
export function clipPasskeyName(text: string, room: number = MAX_NAME_LENGTH): string {
  return codePoints(text).slice(0, room).map((cp) => String.fromCodePoint(cp)).join("").trimEnd();
}
