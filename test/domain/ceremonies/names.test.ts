/**
 * Usernames (RFC 8265 UsernameCasePreserved) and display names (RFC 8266 Nickname), rule by rule, then
 * the two profiles as the registration ceremony uses them (ADR 0015); then passkey names (issue 11).
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  applyUntilStable,
  bidiClass,
  derivedProperty,
  fallbackUsername,
  inStringClass,
  mapNicknameSpaces,
  mapWidth,
  MAX_NAME_LENGTH,
  normalizeNickname,
  normalizeUsername,
  numberedPasskeyName,
  passesContextRule,
  passkeyNameKey,
  prepareDisplayName,
  preparePasskeyName,
  prepareUsername,
  satisfiesBidiRule,
  uniquePasskeyName,
  withinLengthLimit,
} from "../../../src/domain/ceremonies/names.js";

const cps = (text: string): number[] => Array.from(text, (ch) => ch.codePointAt(0) ?? 0);

/** What WebAuthn L3 §5.4.3 and issue 9 single out: invisible or misleading in an authenticator's prompt. */
const BIDI_CONTROLS = ["\u202A", "\u202B", "\u202C", "\u202D", "\u202E", "\u2066", "\u2067", "\u2068", "\u2069"];
const FORBIDDEN: [string, string][] = [
  ...BIDI_CONTROLS.map((ch): [string, string] => [`bidi control U+${cps(ch)[0]?.toString(16).toUpperCase()}`, ch]),
  ["a tag character", "\u{E0041}"],
  ["the cancel tag", "\u{E007F}"],
  ["a private-use character", "\uE000"],
  ["a supplementary private-use character", "\u{F0000}"],
  ["a lone high surrogate", "\uD800"],
  ["a lone low surrogate", "\uDC00"],
  ["NUL", "\u0000"],
  ["a newline", "\n"],
  ["ESC", "\u001b"],
  ["DEL", "\u007f"],
  ["NEL (a C1 control)", "\u0085"],
  ["a zero-width space", "\u200B"],
  ["a word joiner", "\u2060"],
  ["a byte-order mark", "\uFEFF"],
  ["a soft hyphen", "\u00AD"],
  ["a variation selector", "\uFE0F"],
  ["a Hangul filler", "\u3164"],
  ["a line separator", "\u2028"],
  ["a noncharacter", "\uFFFF"],
  ["an unassigned code point", "\u0378"],
];

describe("the mapping rules", () => {
  it("maps fullwidth and halfwidth forms to their decompositions (width mapping)", () => {
    expect(mapWidth("Ａｌｉｃｅ１２")).toBe("Alice12");
    expect(mapWidth("ｱﾘｽ")).toBe("アリス");
    expect(mapWidth("a\u3000b")).toBe("a b");
    expect(mapWidth("alice")).toBe("alice");
  });

  it("maps every space to U+0020, trims the ends and collapses runs (Nickname's additional mapping)", () => {
    expect(mapNicknameSpaces("  Alice   Example  ")).toBe("Alice Example");
    expect(mapNicknameSpaces("\u00A0Alice\u2003\u3000Example\u202F")).toBe("Alice Example");
    expect(mapNicknameSpaces("\u3000 \u2003")).toBe("");
  });

  it("normalizes usernames to NFC and display names to NFKC", () => {
    expect(normalizeUsername("e\u0301")).toBe("\u00E9");
    expect(normalizeUsername("\uFB01")).toBe("\uFB01");
    expect(normalizeNickname("e\u0301 \uFB01 \u2460")).toBe("\u00E9 fi 1");
  });

  it("applies rules until the string is stable, and gives up on one that never settles (RFC 8264 §7)", () => {
    // NFKC turns U+00A8 into a space and a combining mark; the next round trims the space.
    expect(applyUntilStable("\u00A8a", (text) => normalizeNickname(mapNicknameSpaces(text)))).toBe("\u0308a");
    expect(applyUntilStable("a", (text) => `${text}a`)).toBeNull();
  });
});

describe("the string classes (RFC 8264 §8)", () => {
  it.each<[string, number, string, string]>([
    ["a letter", 0x61, "PVALID", "PVALID"],
    ["an ASCII symbol", 0x40, "PVALID", "PVALID"],
    ["a non-ASCII letter", 0xe9, "PVALID", "PVALID"],
    ["a Han character", 0x4e2d, "PVALID", "PVALID"],
    ["a combining mark", 0x0301, "PVALID", "PVALID"],
    ["the space", 0x20, "DISALLOWED", "PVALID"],
    ["an emoji", 0x1f600, "DISALLOWED", "PVALID"],
    ["a non-ASCII punctuation mark", 0x2014, "DISALLOWED", "PVALID"],
    ["a fullwidth letter (HasCompat)", 0xff21, "DISALLOWED", "PVALID"],
    ["a titlecase letter", 0x01c5, "DISALLOWED", "PVALID"],
    ["sharp s (an exception)", 0xdf, "PVALID", "PVALID"],
    ["the Arabic tatweel (an exception)", 0x0640, "DISALLOWED", "DISALLOWED"],
    ["the middle dot", 0xb7, "CONTEXTO", "CONTEXTO"],
    ["an Arabic-Indic digit", 0x0663, "CONTEXTO", "CONTEXTO"],
    ["the zero width joiner", 0x200d, "CONTEXTJ", "CONTEXTJ"],
    ["an old Hangul jamo", 0x1100, "DISALLOWED", "DISALLOWED"],
    ["an unassigned code point", 0x0378, "UNASSIGNED", "UNASSIGNED"],
    ["a noncharacter", 0xfdd0, "DISALLOWED", "DISALLOWED"],
    ["the right-to-left override", 0x202e, "DISALLOWED", "DISALLOWED"],
    ["a first strong isolate", 0x2068, "DISALLOWED", "DISALLOWED"],
    ["a tag letter", 0xe0041, "DISALLOWED", "DISALLOWED"],
    ["a private-use code point", 0xe000, "DISALLOWED", "DISALLOWED"],
    ["a surrogate", 0xd800, "DISALLOWED", "DISALLOWED"],
    ["a control", 0x07, "DISALLOWED", "DISALLOWED"],
    ["the paragraph separator", 0x2029, "DISALLOWED", "DISALLOWED"],
  ])("%s (U+%s) is %s in the identifier class and %s in the freeform class", (_label, cp, identifier, freeform) => {
    expect(derivedProperty(cp, "identifier")).toBe(identifier);
    expect(derivedProperty(cp, "freeform")).toBe(freeform);
  });

  it("applies the contextual rules of RFC 5892 Appendix A", () => {
    const passes = (text: string, index: number) => passesContextRule(cps(text), index);
    expect(passes("l·l", 1)).toBe(true);
    expect(passes("a·b", 1)).toBe(false);
    expect(passes("\u0375\u03B1", 0)).toBe(true);
    expect(passes("\u0375a", 0)).toBe(false);
    expect(passes("\u05D0\u05F3", 1)).toBe(true);
    expect(passes("a\u05F3", 1)).toBe(false);
    expect(passes("カ・カ", 1)).toBe(true);
    expect(passes("a・b", 1)).toBe(false);
    expect(passes("\u0661\u0662", 0)).toBe(true);
    expect(passes("\u0661\u06F2", 0)).toBe(false);
    expect(passes("\u06F1\u0662", 0)).toBe(false);
    // ZERO WIDTH (NON-)JOINER: refused, their rules need data JavaScript lacks (ADR 0015).
    expect(passes("\u0915\u094D\u200D", 2)).toBe(false);
  });

  it("accepts a string only if each code point is allowed or passes its context rule", () => {
    expect(inStringClass("alice@example.com", "identifier")).toBe(true);
    expect(inStringClass("alice smith", "identifier")).toBe(false);
    expect(inStringClass("Alice Smith ☕", "freeform")).toBe(true);
    expect(inStringClass("col·legi", "identifier")).toBe(true);
    expect(inStringClass("co·legi", "identifier")).toBe(false);
  });
});

describe("the Bidi Rule (RFC 5893 §2)", () => {
  it("reads the bidi classes identifiers need", () => {
    expect(["a", "1", "-", ".", "#", "@", "\u05D0", "\u0627", "\u0661", "\u06F1", "\u0301", "\u02B9"].map((ch) => bidiClass(cps(ch)[0] ?? 0))).toEqual([
      "L", "EN", "ES", "CS", "ET", "ON", "R", "R", "AN", "EN", "NSM", "ON",
    ]);
  });

  it("lets strings without right-to-left characters pass", () => {
    expect(satisfiesBidiRule("alice")).toBe(true);
    expect(satisfiesBidiRule("1alice.")).toBe(true);
  });

  it.each([
    ["Hebrew", "\u05E9\u05DC\u05D5\u05DD"],
    ["Arabic", "\u0645\u0631\u062D\u0628\u0627"],
    ["Hebrew ending in a digit", "\u05E9\u05DC\u05D5\u05DD1"],
    ["Arabic with a trailing mark", "\u0645\u0631\u062D\u0628\u0627\u064B"],
    ["Hebrew with punctuation inside", "\u05E9\u05DC.\u05D5\u05DD"],
  ])("accepts right-to-left %s", (_label, text) => {
    expect(satisfiesBidiRule(text)).toBe(true);
  });

  it.each([
    ["starting with a digit (rule 1)", "1\u05E9\u05DC\u05D5\u05DD"],
    ["starting with a left-to-right letter (rules 1 and 5)", "a\u05E9\u05DC\u05D5\u05DD"],
    ["holding a left-to-right letter (rule 2)", "\u05E9\u05DCa\u05D5\u05DD"],
    ["ending in punctuation (rule 3)", "\u05E9\u05DC\u05D5\u05DD."],
    ["mixing European and Arabic-Indic digits (rule 4)", "\u0627\u0661\u06F1"],
  ])("refuses a right-to-left string %s", (_label, text) => {
    expect(satisfiesBidiRule(text)).toBe(false);
  });
});

describe("the length limit", () => {
  it(`allows 1 to ${MAX_NAME_LENGTH} code points, not UTF-16 units`, () => {
    expect(withinLengthLimit("")).toBe(false);
    expect(withinLengthLimit("a")).toBe(true);
    expect(withinLengthLimit("a".repeat(64))).toBe(true);
    expect(withinLengthLimit("😀".repeat(64))).toBe(true);
    expect(withinLengthLimit("a".repeat(65))).toBe(false);
  });
});

describe("prepareUsername (UsernameCasePreserved)", () => {
  it.each([
    ["alice", "alice"],
    ["Alice", "Alice"],
    ["alice@example.com", "alice@example.com"],
    ["o'brien_2+x", "o'brien_2+x"],
    ["Ａｌｉｃｅ", "Alice"],
    ["e\u0301mile", "\u00E9mile"],
    ["\u00C5sa", "\u00C5sa"],
    ["\u212Bsa", "\u00C5sa"],
    ["\u4E2D\u6587", "\u4E2D\u6587"],
    ["\u05E9\u05DC\u05D5\u05DD", "\u05E9\u05DC\u05D5\u05DD"],
    ["a".repeat(64), "a".repeat(64)],
  ])("prepares %j as %j", (input, prepared) => {
    expect(prepareUsername(input)).toBe(prepared);
  });

  it.each<[string, unknown]>([
    ["a number", 42],
    ["null", null],
    ["an empty string", ""],
    ["spaces", "   "],
    ["a space inside", "alice smith"],
    ["an emoji", "alice😀"],
    ["65 characters", "a".repeat(65)],
    ["only invisible characters", "\u200B\u2060\uFEFF"],
    ["a left-to-right letter before a right-to-left one", "a\u05E9"],
    ...FORBIDDEN.map(([label, ch]): [string, unknown] => [label, `ali${ch}ce`]),
  ])("refuses %s", (_label, input) => {
    expect(prepareUsername(input)).toBeNull();
  });
});

describe("prepareDisplayName (Nickname)", () => {
  it.each([
    ["Alice Example", "Alice Example"],
    ["  Alice   Example  ", "Alice Example"],
    ["\u00A0Alice\u3000Example\u2003", "Alice Example"],
    ["Ren\u00E9e", "Ren\u00E9e"],
    ["Rene\u0301e", "Ren\u00E9e"],
    ["\uFB01ona", "fiona"],
    ["Ａｌｉｃｅ", "Alice"],
    ["Alice ☕ (she/her)", "Alice ☕ (she/her)"],
    ["😀".repeat(64), "😀".repeat(64)],
    ["\u05E9\u05DC\u05D5\u05DD Alice", "\u05E9\u05DC\u05D5\u05DD Alice"],
  ])("prepares %j as %j", (input, prepared) => {
    expect(prepareDisplayName(input)).toBe(prepared);
  });

  it.each<[string, unknown]>([
    ["an object", { first: "Alice" }],
    ["undefined", undefined],
    ["an empty string", ""],
    ["spaces of every kind", " \u00A0\u3000\u2003 "],
    ["only default-ignorables", "\u200B\u2060\uFEFF\u180E"],
    ["65 characters", "é".repeat(65)],
    ["65 characters once mapped", `${"a".repeat(60)}\uFDFA`],
    ...FORBIDDEN.map(([label, ch]): [string, unknown] => [label, `Ali${ch}ce`]),
    ...BIDI_CONTROLS.map((ch): [string, unknown] => [`a name wrapped in U+${cps(ch)[0]?.toString(16).toUpperCase()}`, `${ch}Alice${ch}`]),
  ])("refuses %s", (_label, input) => {
    expect(prepareDisplayName(input)).toBeNull();
  });
});

describe("what is prepared, whatever the input", () => {
  const anyText = fc.string({ unit: "binary", maxLength: 80 });
  const invisibleOrMisleading = /[\p{Cc}\p{Co}\p{Cs}\p{Default_Ignorable_Code_Point}\u{E0000}-\u{E007F}]/u;

  it("is in NFC, within the limit, free of invisible or misleading characters, and prepares to itself", () => {
    fc.assert(
      fc.property(anyText, (text) => {
        for (const prepare of [prepareUsername, prepareDisplayName]) {
          const prepared = prepare(text);
          if (prepared === null) continue;
          expect(prepared.normalize("NFC")).toBe(prepared);
          expect(withinLengthLimit(prepared)).toBe(true);
          expect(invisibleOrMisleading.test(prepared)).toBe(false);
          expect(prepared.trim()).not.toBe("");
          expect(prepare(prepared)).toBe(prepared);
        }
      }),
      { numRuns: 2_000 },
    );
  });

  it("makes every valid username a valid display name too (the display name's fallback)", () => {
    fc.assert(
      fc.property(anyText, (text) => {
        const username = prepareUsername(text);
        if (username !== null) expect(prepareDisplayName(username)).toBe(username);
      }),
      { numRuns: 2_000 },
    );
  });
});

describe("fallbackUsername", () => {
  it("uses the identity user id when it makes a username, clipped to 64 code points", () => {
    expect(fallbackUsername("erin-id")).toBe("erin-id");
    expect(fallbackUsername("carol@example.com")).toBe("carol@example.com");
    expect(fallbackUsername(`${"b".repeat(64)}-and-more`)).toBe("b".repeat(64));
  });

  it("answers 'user' for an id that does not make one", () => {
    expect(fallbackUsername("")).toBe("user");
    expect(fallbackUsername("has a space")).toBe("user");
    expect(fallbackUsername("evil\u202Eid")).toBe("user");
  });
});

describe("preparePasskeyName", () => {
  it("keeps what a person would call a passkey, trimmed", () => {
    expect(preparePasskeyName("Work laptop")).toBe("Work laptop");
    expect(preparePasskeyName("  YubiKey 5 (blue)\u00A0")).toBe("YubiKey 5 (blue)");
    expect(preparePasskeyName("Phone 🔑")).toBe("Phone 🔑");
    expect(preparePasskeyName("Ноутбук · 会社")).toBe("Ноутбук · 会社");
    // Spaces inside are the user's business; a variation selector (Mn) is part of an emoji, not a format character.
    expect(preparePasskeyName("a  b")).toBe("a  b");
    expect(preparePasskeyName("❤️ key")).toBe("❤️ key");
  });

  it("stores NFC: a name typed decomposed is the same name as one typed composed", () => {
    const nfd = "Cafe\u0301 PC";
    expect(preparePasskeyName(nfd)).toBe("Caf\u00E9 PC");
    expect(preparePasskeyName(nfd)).toBe(preparePasskeyName("Caf\u00E9 PC"));
  });

  it("counts code points, after NFC: 64 are accepted, 65 are not", () => {
    expect(preparePasskeyName("a".repeat(64))).toBe("a".repeat(64));
    expect(preparePasskeyName("a".repeat(65))).toBeNull();
    // An emoji outside the BMP is one code point though two UTF-16 units.
    expect(preparePasskeyName("🔑".repeat(64))).toBe("🔑".repeat(64));
    expect(preparePasskeyName("🔑".repeat(65))).toBeNull();
    // 128 code points typed decomposed are 64 once composed.
    expect(preparePasskeyName("e\u0301".repeat(64))).toBe("\u00E9".repeat(64));
    expect(preparePasskeyName("e\u0301".repeat(65))).toBeNull();
    // Surrounding spaces do not count.
    expect(preparePasskeyName(`  ${"a".repeat(64)}  `)).toBe("a".repeat(64));
  });

  it.each<[string, unknown]>([
    ["an empty string", ""],
    ["only spaces", "   "],
    ["only whitespace of every kind", " \u00A0\u3000\u2003\t\n "],
    ["a number", 42],
    ["null", null],
    ["an object", { name: "x" }],
    ["NUL", "Lap\u0000top"],
    ["a tab inside", "Lap\ttop"],
    ["a newline inside", "Lap\ntop"],
    ["DEL", "Lap\u007Ftop"],
    ["a C1 control", "Lap\u0085top"],
    ["a zero-width space (Cf)", "Lap\u200Btop"],
    ["a right-to-left override (Cf)", "Lap\u202Etop"],
    ["a byte-order mark inside (Cf)", "Lap\uFEFFtop"],
    ["a soft hyphen (Cf)", "Lap\u00ADtop"],
    ["a tag character (Cf)", "Lap\u{E0041}top"],
    ["a line separator", "Lap\u2028top"],
    ["a paragraph separator", "Lap\u2029top"],
    ["a lone surrogate", "Lap\uD800top"],
  ])("refuses %s", (_label, input) => {
    expect(preparePasskeyName(input)).toBeNull();
  });

  it("prepares anything to a valid name that prepares to itself, or to null", () => {
    const forbidden = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Cs}]/u;
    fc.assert(
      fc.property(fc.string({ unit: "binary", maxLength: 80 }), (text) => {
        const prepared = preparePasskeyName(text);
        if (prepared === null) return;
        expect(prepared.normalize("NFC")).toBe(prepared);
        expect(prepared).toBe(prepared.trim());
        expect(withinLengthLimit(prepared)).toBe(true);
        expect(forbidden.test(prepared)).toBe(false);
        expect(preparePasskeyName(prepared)).toBe(prepared);
      }),
      { numRuns: 2_000 },
    );
  });
});

describe("passkeyNameKey", () => {
  it("makes names that differ only in case one name", () => {
    expect(passkeyNameKey("Laptop")).toBe(passkeyNameKey("LAPTOP"));
    expect(passkeyNameKey("Laptop")).toBe(passkeyNameKey("laptop"));
    expect(passkeyNameKey("Ärger")).toBe(passkeyNameKey("ÄRGER"));
    // Full case folding by way of the upper case: ß is SS.
    expect(passkeyNameKey("Straße")).toBe(passkeyNameKey("STRASSE"));
    expect(passkeyNameKey("ΟΔΟΣ")).toBe(passkeyNameKey("οδος"));
    // Capital sharp s lowers to ß, which one more round folds to ss (found by the stability property below).
    expect(passkeyNameKey("Große ẞ")).toBe(passkeyNameKey("grosse ss"));
    expect(passkeyNameKey("ẞ")).toBe("ss");
  });

  it("keeps different names apart", () => {
    expect(passkeyNameKey("Laptop")).not.toBe(passkeyNameKey("Laptop 2"));
    expect(passkeyNameKey("Laptop")).not.toBe(passkeyNameKey("Lap top"));
    // Look-alikes of other scripts are other names (Latin a, Cyrillic а).
    expect(passkeyNameKey("a")).not.toBe(passkeyNameKey("\u0430"));
  });

  it("gives a name typed composed and one typed decomposed one key", () => {
    expect(passkeyNameKey("Caf\u00E9")).toBe(passkeyNameKey("Cafe\u0301"));
    expect(passkeyNameKey("CAF\u00C9")).toBe(passkeyNameKey("cafe\u0301"));
  });

  it("is stable: the key of a key is the key", () => {
    fc.assert(
      fc.property(fc.string({ unit: "grapheme", maxLength: 30 }), (text) => {
        const key = passkeyNameKey(text);
        expect(passkeyNameKey(key)).toBe(key);
        expect(passkeyNameKey(text.toUpperCase())).toBe(key);
      }),
      { numRuns: 1_000 },
    );
  });
});

describe("uniquePasskeyName", () => {
  const keys = (...names: string[]) => new Set(names.map(passkeyNameKey));

  it("keeps a free name, and numbers a taken one from 2, whatever the case it is taken in", () => {
    expect(uniquePasskeyName("iCloud Keychain", keys())).toBe("iCloud Keychain");
    expect(uniquePasskeyName("iCloud Keychain", keys("ICLOUD KEYCHAIN"))).toBe("iCloud Keychain (2)");
    expect(uniquePasskeyName("iCloud Keychain", keys("iCloud Keychain", "icloud keychain (2)"))).toBe("iCloud Keychain (3)");
    // A gap is filled: the user deleted "(2)".
    expect(uniquePasskeyName("iCloud Keychain", keys("iCloud Keychain", "iCloud Keychain (3)"))).toBe("iCloud Keychain (2)");
  });

  it("shortens a long name so that the number fits in 64 code points, never splitting a surrogate pair", () => {
    const long = "k".repeat(64);
    expect(uniquePasskeyName(long, keys(long))).toBe(`${"k".repeat(60)} (2)`);
    const emoji = "🔑".repeat(64);
    const numbered = uniquePasskeyName(emoji, keys(emoji));
    expect(numbered).toBe(`${"🔑".repeat(60)} (2)`);
    expect(preparePasskeyName(numbered)).toBe(numbered);
    expect(numberedPasskeyName(long, 10)).toBe(`${"k".repeat(59)} (10)`);
  });

  it("does not leave a space before the number when the cut falls after one", () => {
    const base = `${"a".repeat(59)} bcd`;
    expect(numberedPasskeyName(base, 2)).toBe(`${"a".repeat(59)} (2)`);
  });

  it("always gives a valid name no key in the set has", () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1, maxLength: 70 }), fc.array(fc.integer({ min: 1, max: 12 }), { maxLength: 12 }), (text, taken) => {
        const base = preparePasskeyName(text);
        if (base === null) return;
        const takenKeys = new Set(taken.map((n) => passkeyNameKey(numberedPasskeyName(base, n))));
        const chosen = uniquePasskeyName(base, takenKeys);
        expect(preparePasskeyName(chosen)).toBe(chosen);
        expect(takenKeys.has(passkeyNameKey(chosen))).toBe(false);
      }),
      { numRuns: 1_000 },
    );
  });
});
