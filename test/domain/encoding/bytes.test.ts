import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { bigIntFromBytes, bytesEqual, concatBytes, fromBase64Url, toBase64Url, utf8Bytes } from "../../../src/domain/encoding/bytes.js";
import { referenceFromBase64Url, referenceToBase64Url } from "./base64url-reference.js";

const RUNS = { numRuns: 1000 };
const BASE64URL_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
const base64urlText = fc.string({ unit: fc.constantFrom(...BASE64URL_ALPHABET), maxLength: 64 });

describe("toBase64Url", () => {
  it("encodes without padding using - and _", () => {
    expect(toBase64Url(Uint8Array.of(0xfb, 0xff))).toBe("-_8");
    expect(toBase64Url(Uint8Array.of(0))).toBe("AA");
    expect(toBase64Url(new Uint8Array(0))).toBe("");
  });

  it("agrees with Node's base64url encoder on every byte string", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => {
        expect(toBase64Url(bytes)).toBe(Buffer.from(bytes).toString("base64url"));
      }),
      RUNS,
    );
  });
});

describe("fromBase64Url", () => {
  it("decodes unpadded base64url", () => {
    expect(fromBase64Url("-_8")).toEqual(Uint8Array.of(0xfb, 0xff));
    expect(fromBase64Url("QUJD")).toEqual(new TextEncoder().encode("ABC"));
  });

  it("decodes the empty string to no bytes", () => {
    expect(fromBase64Url("")).toEqual(new Uint8Array(0));
  });

  it.each([
    ["padding", "AA=="],
    ["a single pad character", "AAA="],
    ["padding in the middle", "AA=A"],
    ["the standard base64 character +", "+_8"],
    ["the standard base64 character /", "-/8"],
    ["a space", "QU JD"],
    ["a trailing newline", "QUJD\n"],
    ["a leading space", " QUJD"],
    ["a non-ASCII letter", "QUJé"],
    ["a dot", "QU.D"],
    ["a length of 4n+1", "QUJDR"],
    ["a single character", "Q"],
    ["non-zero bits after the last byte (2 characters)", "AB"],
    ["non-zero bits after the last byte (3 characters)", "AAB"],
  ])("refuses %s", (_label, text) => {
    expect(fromBase64Url(text)).toBeNull();
  });

  it("round-trips every byte string", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => {
        expect(fromBase64Url(toBase64Url(bytes))).toEqual(bytes);
      }),
      RUNS,
    );
  });

  it("accepts only canonical text: whatever it decodes re-encodes to the same text", () => {
    fc.assert(
      fc.property(base64urlText, (text) => {
        const decoded = fromBase64Url(text);
        if (decoded !== null) expect(toBase64Url(decoded)).toBe(text);
      }),
      RUNS,
    );
  });

  it("decodes a base64url string exactly when it is the encoding of some bytes", () => {
    fc.assert(
      fc.property(base64urlText, (text) => {
        const canonical = Buffer.from(text, "base64url").toString("base64url") === text;
        expect(fromBase64Url(text) !== null).toBe(canonical);
      }),
      RUNS,
    );
  });

  it("refuses any text containing a character outside the base64url alphabet", () => {
    const outside = fc.string({ minLength: 1, maxLength: 1 }).filter((c) => !BASE64URL_ALPHABET.includes(c));
    fc.assert(
      fc.property(base64urlText, outside, base64urlText, (before, bad, after) => {
        expect(fromBase64Url(before + bad + after)).toBeNull();
      }),
      RUNS,
    );
  });

  it("never throws on arbitrary text, and decodes only text in the base64url alphabet", () => {
    fc.assert(
      fc.property(fc.string({ unit: "binary", maxLength: 64 }), (text) => {
        const decoded = fromBase64Url(text);
        if (decoded !== null) expect(text).toMatch(/^[A-Za-z0-9_-]*$/);
      }),
      RUNS,
    );
  });
});

describe("the table-driven codec equals the reference codec on every input", () => {
  const MANY = { numRuns: 5000 };
  /** Letters, the characters a lax decoder would take, and ones whose low 7 bits spell a letter. */
  const NEAR_MISSES = ["=", "+", "/", " ", "\n", "\0", ".", "é", "\u0080", "\u00c1", "\u0141", "\u2041", "\ud83d", "\uffff"];
  const nearText = fc.string({ unit: fc.oneof({ weight: 8, arbitrary: fc.constantFrom(...BASE64URL_ALPHABET) }, fc.constantFrom(...NEAR_MISSES)), maxLength: 80 });
  const sameAsReference = (text: string): void => {
    expect(fromBase64Url(text)).toEqual(referenceFromBase64Url(text));
  };

  it("decodes or refuses as the reference does: any text", () => {
    fc.assert(fc.property(fc.oneof(fc.string({ unit: "binary", maxLength: 80 }), fc.string({ unit: "grapheme", maxLength: 40 })), sameAsReference), MANY);
  });

  it("decodes or refuses as the reference does: letters with now and then a character a lax decoder would take", () => {
    fc.assert(fc.property(nearText, sameAsReference), MANY);
  });

  it("decodes or refuses as the reference does: text of letters only, of every length mod 4 (non-canonical endings included)", () => {
    fc.assert(fc.property(fc.string({ unit: fc.constantFrom(...BASE64URL_ALPHABET), maxLength: 200 }), sameAsReference), MANY);
  });

  it("decodes or refuses as the reference does: an encoding with its last letter, or any one letter, replaced", () => {
    const edited = fc
      .tuple(fc.uint8Array({ minLength: 1, maxLength: 120 }), fc.nat(), fc.boolean(), fc.oneof(fc.constantFrom(...BASE64URL_ALPHABET), fc.constantFrom(...NEAR_MISSES)))
      .map(([bytes, at, last, replacement]) => {
        const text = referenceToBase64Url(bytes);
        const index = last ? text.length - 1 : at % text.length;
        return text.slice(0, index) + replacement + text.slice(index + 1);
      });
    fc.assert(fc.property(edited, sameAsReference), MANY);
  });

  it("encodes as the reference does, short and long (past its scratch array) alike", () => {
    fc.assert(
      fc.property(fc.oneof(fc.uint8Array({ maxLength: 100 }), fc.uint8Array({ minLength: 700, maxLength: 1600 })), (bytes) => {
        expect(toBase64Url(bytes)).toBe(referenceToBase64Url(bytes));
      }),
      MANY,
    );
  });

  it("encodes views of a larger buffer by their contents", () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 1, maxLength: 100 }), fc.nat(), fc.nat(), (bytes, from, to) => {
        const view = bytes.subarray(from % bytes.length, (from % bytes.length) + (to % (bytes.length - (from % bytes.length) + 1)));
        expect(toBase64Url(view)).toBe(referenceToBase64Url(view.slice()));
      }),
      MANY,
    );
  });

  it("returns a fresh array each time, which the caller may keep and change", () => {
    const first = fromBase64Url("AQID");
    const second = fromBase64Url("AQID");
    first?.fill(0);
    expect(second).toEqual(Uint8Array.of(1, 2, 3));
  });
});

describe("bytesEqual", () => {
  it("holds for equal contents in distinct arrays", () => {
    expect(bytesEqual(Uint8Array.of(1, 2, 3), Uint8Array.of(1, 2, 3))).toBe(true);
  });

  it("holds for two empty arrays", () => {
    expect(bytesEqual(new Uint8Array(0), new Uint8Array(0))).toBe(true);
  });

  it("fails when the last byte differs", () => {
    expect(bytesEqual(Uint8Array.of(1, 2, 3), Uint8Array.of(1, 2, 4))).toBe(false);
  });

  it("fails when the first byte differs", () => {
    expect(bytesEqual(Uint8Array.of(0, 2, 3), Uint8Array.of(1, 2, 3))).toBe(false);
  });

  it("fails when one is a prefix of the other", () => {
    expect(bytesEqual(Uint8Array.of(1, 2), Uint8Array.of(1, 2, 3))).toBe(false);
    expect(bytesEqual(Uint8Array.of(1, 2, 3), Uint8Array.of(1, 2))).toBe(false);
  });

  it("compares views by their contents, not their buffers", () => {
    const buffer = Uint8Array.of(9, 1, 2, 3, 9);
    expect(bytesEqual(buffer.subarray(1, 4), Uint8Array.of(1, 2, 3))).toBe(true);
  });

  it("agrees with Buffer.equals on arbitrary pairs", () => {
    const small = fc.uint8Array({ maxLength: 4, max: 2 });
    fc.assert(
      fc.property(small, small, (a, b) => {
        expect(bytesEqual(a, b)).toBe(Buffer.from(a).equals(Buffer.from(b)));
      }),
      RUNS,
    );
  });
});

describe("concatBytes", () => {
  it("joins two byte strings in order", () => {
    expect(concatBytes(Uint8Array.of(1, 2), Uint8Array.of(3))).toEqual(Uint8Array.of(1, 2, 3));
  });

  it("keeps the parts when either is empty", () => {
    expect(concatBytes(new Uint8Array(0), Uint8Array.of(3))).toEqual(Uint8Array.of(3));
    expect(concatBytes(Uint8Array.of(1), new Uint8Array(0))).toEqual(Uint8Array.of(1));
  });
});

describe("utf8Bytes", () => {
  it("encodes text as UTF-8", () => {
    expect(utf8Bytes("é€")).toEqual(Uint8Array.of(0xc3, 0xa9, 0xe2, 0x82, 0xac));
  });
});

describe("bigIntFromBytes", () => {
  it.each([
    [[], 0n],
    [[0], 0n],
    [[1], 1n],
    [[1, 0], 256n],
    [[0, 0, 1, 0, 1], 65537n],
    [[0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff], 2n ** 72n - 1n],
  ])("reads %j as %s", (value, expected) => {
    expect(bigIntFromBytes(Uint8Array.from(value))).toBe(expected);
  });

  it("agrees with reading the hexadecimal digits", () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 1, maxLength: 300 }), (bytes) => {
        expect(bigIntFromBytes(bytes)).toBe(BigInt(`0x${Buffer.from(bytes).toString("hex")}`));
      }),
      RUNS,
    );
  });
});
