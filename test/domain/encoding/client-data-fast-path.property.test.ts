/**
 * The client data fast path (readSerialisedClientData) against the general reading (parseClientDataText,
 * JSON.parse and the duplicate-member scan): on every input the two agree, accepted or refused, and the
 * fast path answers only what the general reading would answer the same way.
 *
 * Inputs are built near the serialisation browsers use (§5.8.1.2), where a fast path could go wrong: each
 * member spelled right or almost (escapes, whitespace, other types, duplicates, extra members, other
 * characters), then now and then a character inserted, dropped or replaced, and as bytes now and then a
 * stray byte or a byte-order mark.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseClientData, parseClientDataText, readSerialisedClientData } from "../../../src/domain/encoding/parse-response.js";

const RUNS = { numRuns: 10_000 };
const LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
const ODD_CHARACTERS = ['"', "\\", " ", "\t", "\n", "\u0000", "\u001f", "\u007f", "é", "\u2028", "\ud83d", "\ud83d\ude00", "=", "+", "/", "{", "}", ",", ":"];

const challenge = fc.oneof(
  { weight: 6, arbitrary: fc.string({ unit: fc.constantFrom(...LETTERS), maxLength: 64 }) },
  fc.string({ unit: fc.oneof(fc.constantFrom(...LETTERS), fc.constantFrom(...ODD_CHARACTERS)), maxLength: 40 }),
);
const origin = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom("https://example.com", "https://login.example.com:8443", "http://localhost:3000", "android:apk-key-hash:abc", "") },
  fc.string({ unit: fc.integer({ min: 0x20, max: 0x7e }).map((code) => String.fromCharCode(code)), maxLength: 40 }),
  fc.string({ unit: fc.oneof(fc.constantFrom(..."https://ex.com"), fc.constantFrom(...ODD_CHARACTERS)), maxLength: 30 }),
);
const type = fc.constantFrom("webauthn.get", "webauthn.create", "webauthn.get", "webauthn.create", "webauthn.GET", "payment.get", "");
/** A member's value as JSON would spell it, or spelled otherwise (escaped, another type, raw). */
const spelling = (value: string): fc.Arbitrary<string> =>
  fc.oneof(
    { weight: 8, arbitrary: fc.constant(JSON.stringify(value)) },
    fc.constant(JSON.stringify(value).replace(/[a-z]/, (c) => `\\u00${c.charCodeAt(0).toString(16)}`)),
    fc.constant(`"${value}"`),
    fc.constantFrom("null", "1", "true", "[]", "{}", '""'),
  );
const crossOrigin = fc.constantFrom(null, "false", "true", "false", "true", '"false"', "0", "null", "fals", "true ");
const extra = fc.constantFrom(
  ',"topOrigin":"https://top.example"',
  ',"other_keys_can_be_added_here":"do not compare clientDataJSON against a template. See https://goo.gl/yabPex"',
  ',"type":"webauthn.get"',
  ',"challenge":"AAAA"',
  ',"origin":"https://evil.example"',
  ',"crossOrigin":true',
  ',"tokenBinding":{"status":"present","id":"AAA"}',
  ",",
  " ",
);

const clientDataText = fc
  .record({
    type: type.chain(spelling),
    challenge: challenge.chain(spelling),
    origin: origin.chain(spelling),
    crossOrigin,
    extras: fc.array(extra, { maxLength: 2 }),
    space: fc.constantFrom("", "", "", " ", "\n"),
    order: fc.constantFrom("serialised", "serialised", "serialised", "shuffled"),
  })
  .map(({ type, challenge, origin, crossOrigin, extras, space, order }) => {
    const members = [`"type":${space}${type}`, `"challenge":${challenge}`, `"origin":${origin}`];
    if (crossOrigin !== null) members.push(`"crossOrigin":${crossOrigin}`);
    if (order === "shuffled") members.reverse();
    return `{${members.join(",")}${extras.join("")}}`;
  });

/**
 * The serialisation's own template with its members' text written in raw, unescaped, from every kind of
 * character: right at the fast path's boundary between what it may read itself and what it must not.
 */
const rawCharacter = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom(...LETTERS, ..."https://ex.com:8") },
  fc.integer({ min: 0, max: 0x7f }).map((code) => String.fromCharCode(code)),
  fc.constantFrom(...ODD_CHARACTERS),
);
const templateText = fc
  .record({
    type: fc.constantFrom("webauthn.get", "webauthn.create", "webauthn.get "),
    challenge: fc.string({ unit: rawCharacter, maxLength: 50 }),
    origin: fc.string({ unit: rawCharacter, maxLength: 40 }),
    ending: fc.constantFrom('"}', '","crossOrigin":false}', '","crossOrigin":true}', '","crossOrigin":false} ', '","crossOrigin":null}', '"', '"}}', '","crossOrigin":true,"topOrigin":"x"}'),
  })
  .map(({ type, challenge, origin, ending }) => `{"type":"${type}","challenge":"${challenge}","origin":"${origin}${ending}`);

/** Now and then one character inserted, dropped or replaced, anywhere. */
const nearlyClientDataText = fc.tuple(fc.oneof(clientDataText, templateText), fc.nat(), fc.constantFrom("keep", "keep", "keep", "insert", "drop", "replace"), fc.constantFrom(...ODD_CHARACTERS, ...LETTERS)).map(
  ([text, at, edit, character]) => {
    const i = at % (text.length + 1);
    if (edit === "insert") return text.slice(0, i) + character + text.slice(i);
    if (edit === "drop") return text.slice(0, i) + text.slice(i + 1);
    if (edit === "replace") return text.slice(0, i) + character + text.slice(i + 1);
    return text;
  },
);

/** As bytes: UTF-8, now and then a byte replaced (stray UTF-8), a byte-order mark, or cut short. */
const clientDataBytes = fc.tuple(nearlyClientDataText, fc.nat(), fc.constantFrom("utf8", "utf8", "utf8", "stray", "bom", "cut")).map(([text, at, edit]) => {
  const bytes = new TextEncoder().encode(text);
  if (edit === "bom") return Uint8Array.of(0xef, 0xbb, 0xbf, ...bytes);
  if (edit === "cut") return bytes.subarray(0, at % (bytes.length + 1));
  if (edit === "stray" && bytes.length > 0) bytes[at % bytes.length] = 0x80 | (at & 0x7f);
  return bytes;
});

const generalReading = (bytes: Uint8Array) => parseClientDataText(new TextDecoder().decode(bytes));

describe("the client data fast path equals the general reading", () => {
  it("on every input near the browsers' serialisation: the same value, or the same refusal", () => {
    fc.assert(
      fc.property(clientDataBytes, (bytes) => {
        expect(parseClientData(bytes)).toEqual(generalReading(bytes));
      }),
      RUNS,
    );
  });

  it("answers only what the general reading accepts, with its values; otherwise it leaves the answer to it", () => {
    fc.assert(
      fc.property(nearlyClientDataText, (text) => {
        const fast = readSerialisedClientData(text);
        if (fast !== null) expect(parseClientDataText(text)).toEqual({ ok: true, value: fast });
      }),
      RUNS,
    );
  });

  it("on arbitrary text and bytes", () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ unit: "binary", maxLength: 200 }).map((text) => new TextEncoder().encode(text)), fc.uint8Array({ maxLength: 200 })), (bytes) => {
        expect(parseClientData(bytes)).toEqual(generalReading(bytes));
      }),
      RUNS,
    );
  });

  it("is taken for client data as browsers serialise it (so the properties above test it, not only the fallback)", () => {
    const serialised = fc.record({ type: fc.constantFrom("webauthn.get", "webauthn.create"), challenge: fc.string({ unit: fc.constantFrom(...LETTERS), maxLength: 64 }), origin, crossOrigin: fc.constantFrom(undefined, false, true) });
    fc.assert(
      fc.property(serialised, (members) => {
        const text = JSON.stringify(members);
        if ([...members.origin].some((c) => c === '"' || c === "\\" || c < " " || c > "~")) return;
        expect(readSerialisedClientData(text)).toEqual({ ...members, crossOrigin: members.crossOrigin === true });
      }),
      { numRuns: 2000 },
    );
  });

  it.each([
    ["Chrome's, with its note to template-matchers", '{"type":"webauthn.get","challenge":"AAAA","origin":"https://example.com","crossOrigin":false,"other_keys_can_be_added_here":"do not compare clientDataJSON against a template. See https://goo.gl/yabPex"}'],
    ["one with topOrigin", '{"type":"webauthn.get","challenge":"AAAA","origin":"https://example.com","crossOrigin":true,"topOrigin":"https://top.example"}'],
    ["one with whitespace", '{"type": "webauthn.get","challenge":"AAAA","origin":"https://example.com"}'],
    ["one with an escaped origin", '{"type":"webauthn.get","challenge":"AAAA","origin":"https:\\/\\/example.com"}'],
  ])("leaves %s to the general reading, which parses it", (_label, text) => {
    expect(readSerialisedClientData(text)).toBeNull();
    expect(parseClientData(new TextEncoder().encode(text)).ok).toBe(true);
  });

  it.each([
    ["crossOrigin false", '{"type":"webauthn.get","challenge":"AAAA","origin":"https://example.com","crossOrigin":false}', false],
    ["crossOrigin true", '{"type":"webauthn.create","challenge":"AAAA","origin":"https://example.com","crossOrigin":true}', true],
    ["no crossOrigin", '{"type":"webauthn.get","challenge":"AAAA","origin":"https://example.com"}', false],
  ])("reads client data with %s itself", (_label, text, crossOrigin) => {
    expect(readSerialisedClientData(text)).toEqual(expect.objectContaining({ challenge: "AAAA", origin: "https://example.com", crossOrigin }));
  });
});
