import { generateKeyPairSync, sign, verify } from "node:crypto";
import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { derToP1363 } from "../../../src/adapters/webcrypto/ecdsa-der.js";
import type { TestKeyPair } from "../../support/software-authenticator.js";
import { bigIntToBytes, derSignature, integerContent, p1363Signature, splitP1363, tlv } from "../../ports/ecdsa-signatures.js";

const SIZE = 32;
const hex = (bytes: Uint8Array | null): string | null => (bytes === null ? null : Buffer.from(bytes).toString("hex"));
const seq = (...parts: Uint8Array[]): Uint8Array => tlv(0x30, Uint8Array.from(parts.flatMap((p) => [...p])));
const int = (...content: number[]): Uint8Array => tlv(0x02, Uint8Array.from(content));
const bytes = (...values: number[]): Uint8Array => Uint8Array.from(values);
/** A 32-byte value with the given first byte and 0x11 after it. */
const word = (first: number): number[] => [first, ...new Array<number>(SIZE - 1).fill(0x11)];

describe("derToP1363", () => {
  describe("valid signatures", () => {
    it("converts two full-width integers to r ‖ s", () => {
      const r = word(0x7f);
      const s = word(0x01);
      expect(hex(derToP1363(seq(int(...r), int(...s)), SIZE))).toBe(hex(bytes(...r, ...s)));
    });

    it("drops the 0x00 pad of an integer whose top bit is set", () => {
      const r = word(0x80);
      const s = word(0xff);
      expect(hex(derToP1363(seq(int(0, ...r), int(0, ...s)), SIZE))).toBe(hex(bytes(...r, ...s)));
    });

    it("left-pads short integers with zeros to the full width", () => {
      const out = derToP1363(seq(int(0x01), int(0x00, 0x80)), SIZE);
      expect(hex(out)).toBe(hex(p1363Signature(1n, 0x80n)));
    });

    it("handles the smallest encodable signature (8 bytes)", () => {
      expect(derToP1363(bytes(0x30, 0x06, 0x02, 0x01, 0x05, 0x02, 0x01, 0x07), SIZE)).toEqual(p1363Signature(5n, 7n));
    });

    it("honours the size it is given (P-384 is 48 bytes per integer)", () => {
      const r = (1n << 383n) + 12345n;
      const s = 42n;
      expect(derToP1363(derSignature(r, s), 48)).toEqual(p1363Signature(r, s, 48));
    });
  });

  describe("refuses", () => {
    it.each<[string, Uint8Array]>([
      ["an empty input", bytes()],
      ["an input shorter than the smallest signature", bytes(0x30, 0x05, 0x02, 0x01, 0x01, 0x02, 0x00)],
      ["a non-minimal integer (redundant 0x00 before a byte below 0x80)", seq(int(0x00, ...word(0x7f)), int(...word(0x01)))],
      ["a non-minimal integer with two leading zeros", seq(int(...word(0x01)), int(0x00, 0x00, 0x80, 0x01))],
      ["a negative r", seq(int(...word(0x80)), int(...word(0x01)))],
      ["a negative s", seq(int(...word(0x01)), int(0xff))],
      ["a sequence with the wrong tag", tlv(0x31, bytes(...int(...word(1)), ...int(...word(1))))],
      ["an r with the wrong tag", seq(tlv(0x03, bytes(...word(1))), int(...word(1)))],
      ["an s with the wrong tag", seq(int(...word(1)), tlv(0x04, bytes(...word(1))))],
      ["a byte after the sequence", bytes(...seq(int(...word(1)), int(...word(1))), 0x00)],
      ["a byte inside the sequence after s", seq(int(...word(1)), int(...word(1)), bytes(0x00))],
      ["a third integer", seq(int(1), int(2), int(3))],
      ["a missing s", bytes(...seq(int(...word(1))), 0, 0)],
      ["a zero-length integer", seq(int(), int(...word(1)), bytes(0, 0))],
      ["an integer wider than the curve", seq(int(0x01, ...word(1)), int(...word(1)))],
      ["a padded integer wider than the curve", seq(int(0x00, 0x80, ...word(1)), int(...word(1)))],
    ])("%s", (_label, der) => {
      expect(derToP1363(der, SIZE)).toBeNull();
    });

    it("a sequence length that is too long or too short", () => {
      const der = seq(int(...word(1)), int(...word(1)));
      for (const delta of [-1, 1, 2]) {
        const wrong = Uint8Array.from(der);
        wrong[1] = der[1]! + delta;
        expect(derToP1363(wrong, SIZE)).toBeNull();
      }
    });

    it("an integer length that runs past the end", () => {
      const der = seq(int(...word(1)), int(...word(1)));
      const wrong = Uint8Array.from(der);
      wrong[2 + 2 + SIZE + 1] = SIZE + 5; // s claims more bytes than there are
      expect(derToP1363(wrong, SIZE)).toBeNull();
    });

    it("long-form, indefinite and multi-byte lengths", () => {
      const content = bytes(...int(...word(1)), ...int(...word(1)));
      expect(derToP1363(bytes(0x30, 0x81, content.length, ...content), SIZE)).toBeNull(); // long form for a short length
      expect(derToP1363(bytes(0x30, 0x80, ...content, 0, 0), SIZE)).toBeNull(); // indefinite (BER only)
      expect(derToP1363(bytes(0x30, 0x82, 0x00, content.length, ...content), SIZE)).toBeNull();
      expect(derToP1363(bytes(0x30, content.length, 0x02, 0x81, SIZE, ...word(1), ...int(...word(1))), SIZE)).toBeNull();
    });
  });

  describe("properties", () => {
    /** 32-byte values with runs of leading zeros and top bits set, where encodings go wrong. */
    const scalar = fc
      .tuple(fc.nat({ max: SIZE + 2 }), fc.uint8Array({ minLength: SIZE, maxLength: SIZE }))
      .map(([zeros, raw]) => raw.map((b, i) => (i < zeros ? 0 : b)))
      .map((raw) => BigInt(`0x${Buffer.from(raw).toString("hex")}`));

    it("turns the DER encoding of any r, s into r ‖ s", () => {
      fc.assert(
        fc.property(scalar, scalar, (r, s) => {
          expect(derToP1363(derSignature(r, s), SIZE)).toEqual(p1363Signature(r, s));
        }),
        { numRuns: 1_000 },
      );
    });

    it("never throws, and accepts only the one canonical encoding of what it returns", () => {
      const valid = fc.tuple(scalar, scalar).map(([r, s]) => derSignature(r, s));
      const mutated = fc
        .tuple(valid, fc.nat(), fc.integer({ min: 0, max: 255 }))
        .map(([der, at, value]) => Uint8Array.from(der, (b, i) => (i === at % der.length ? value : b)));
      fc.assert(
        fc.property(fc.oneof(fc.uint8Array({ maxLength: 80 }), mutated), (input) => {
          const out = derToP1363(input, SIZE);
          if (out === null) return;
          expect(out).toHaveLength(2 * SIZE);
          const { r, s } = splitP1363(out);
          expect(hex(derSignature(r, s))).toBe(hex(input));
        }),
        { numRuns: 2_000 },
      );
    });

    describe("against node:crypto's own encodings of one signature", () => {
      let pair: TestKeyPair;
      let webKey: CryptoKey;
      beforeAll(async () => {
        pair = generateKeyPairSync("ec", { namedCurve: "prime256v1" });
        webKey = await globalThis.crypto.subtle.importKey("jwk", pair.publicKey.export({ format: "jwk" }), { name: "ECDSA", namedCurve: "P-256" }, false, [
          "verify",
        ]);
      });

      it("converts node's DER signatures into the ieee-p1363 form node and WebCrypto verify", async () => {
        await fc.assert(
          fc.asyncProperty(fc.uint8Array({ maxLength: 256 }), async (data) => {
            const der = new Uint8Array(sign("sha256", data, { key: pair.privateKey, dsaEncoding: "der" }));
            const p1363 = derToP1363(der, SIZE);
            expect(p1363).not.toBeNull();
            expect(verify("sha256", data, { key: pair.publicKey, dsaEncoding: "ieee-p1363" }, p1363!)).toBe(true);
            expect(await globalThis.crypto.subtle.verify({ name: "ECDSA", hash: "SHA-256" }, webKey, new Uint8Array(p1363!), new Uint8Array(data))).toBe(true);
          }),
          { numRuns: 100 },
        );
      });

      it("gives back exactly node's ieee-p1363 bytes for the DER form of the same signature", () => {
        fc.assert(
          fc.property(fc.uint8Array({ maxLength: 256 }), (data) => {
            const p1363 = new Uint8Array(sign("sha256", data, { key: pair.privateKey, dsaEncoding: "ieee-p1363" }));
            const { r, s } = splitP1363(p1363);
            const der = derSignature(r, s);
            // node (OpenSSL) accepts only canonical DER, so this checks the test's encoder too.
            expect(verify("sha256", data, { key: pair.publicKey, dsaEncoding: "der" }, der)).toBe(true);
            expect(hex(derToP1363(der, SIZE))).toBe(hex(p1363));
          }),
          { numRuns: 100 },
        );
      });
    });
  });
});

describe("test DER helpers", () => {
  it("encode integers minimally", () => {
    expect(hex(integerContent(0n))).toBe("00");
    expect(hex(integerContent(0x7fn))).toBe("7f");
    expect(hex(integerContent(0x80n))).toBe("0080");
    expect(hex(bigIntToBytes(1n, 4))).toBe("00000001");
  });
});
