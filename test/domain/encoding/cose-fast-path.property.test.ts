/**
 * The COSE key fast path (readCoseKeyAsWritten) against the general reader (readCoseKeyGeneral, a
 * canonical CBOR map read item by item): on every input the two agree, read or refused, with the same
 * size, and the fast path answers only what the general reader reads the same way.
 *
 * Inputs start from the layouts the fast path knows (ES256, EdDSA, RS256 as authenticators write them),
 * with lengths, heads and values varied around them, then now and then a byte changed, inserted or
 * dropped, cut short or followed by more bytes; and arbitrary bytes.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { readCoseKey, readCoseKeyAsWritten, readCoseKeyGeneral } from "../../../src/domain/encoding/cose.js";
import { COSE_CRV_P256, COSE_CRV_P384, coseKeyFor, ec2CoseKey, encodeCbor, generateTestKeyPair, okpCoseKey, rsaCoseKey } from "../../support/software-authenticator.js";

const RUNS = { numRuns: 10_000 };

const coordinate = fc.oneof({ weight: 8, arbitrary: fc.uint8Array({ minLength: 32, maxLength: 32 }) }, fc.uint8Array({ minLength: 0, maxLength: 40, size: "max" }));
const modulus = fc.oneof(
  { weight: 6, arbitrary: fc.uint8Array({ minLength: 256, maxLength: 256 }) },
  fc.uint8Array({ minLength: 250, maxLength: 260, size: "max" }),
  fc.uint8Array({ minLength: 0, maxLength: 30, size: "max" }),
  fc.uint8Array({ minLength: 512, maxLength: 512 }),
);
const exponent = fc.oneof({ weight: 6, arbitrary: fc.constant(Uint8Array.of(1, 0, 1)) }, fc.uint8Array({ maxLength: 30, size: "max" }));

/** A byte string's head spelled canonically, in a longer form than needed, or announcing a length off by one. */
function byteStringHead(length: number, spelling: "canonical" | "one-byte" | "two-byte" | "four-byte" | "longer" | "shorter"): number[] {
  const announced = spelling === "longer" ? length + 1 : spelling === "shorter" ? Math.max(0, length - 1) : length;
  if (spelling === "one-byte") return [0x58, announced & 0xff];
  if (spelling === "two-byte") return [0x59, (announced >> 8) & 0xff, announced & 0xff];
  if (spelling === "four-byte") return [0x5a, 0, 0, (announced >> 8) & 0xff, announced & 0xff];
  if (announced < 24) return [0x40 | announced];
  if (announced < 256) return [0x58, announced];
  return [0x59, announced >> 8, announced & 0xff];
}
const headSpelling = fc.constantFrom("canonical", "canonical", "canonical", "canonical", "canonical", "canonical", "one-byte", "two-byte", "four-byte", "longer", "shorter") as fc.Arbitrary<Parameters<typeof byteStringHead>[1]>;
const byteString = (content: fc.Arbitrary<Uint8Array>): fc.Arbitrary<number[]> =>
  fc.tuple(content, headSpelling).map(([bytes, spelling]) => [...byteStringHead(bytes.length, spelling), ...bytes]);

/** The layouts written byte by byte, each byte string's head spelled any of those ways. */
const spelledLayoutKey = fc.oneof(
  fc.tuple(byteString(coordinate), byteString(coordinate)).map(([x, y]) => Uint8Array.from([0xa5, 0x01, 0x02, 0x03, 0x26, 0x20, 0x01, 0x21, ...x, 0x22, ...y])),
  byteString(coordinate).map((x) => Uint8Array.from([0xa4, 0x01, 0x01, 0x03, 0x27, 0x20, 0x06, 0x21, ...x])),
  fc.tuple(byteString(modulus), byteString(exponent)).map(([n, e]) => Uint8Array.from([0xa4, 0x01, 0x03, 0x03, 0x39, 0x01, 0x00, 0x20, ...n, 0x21, ...e])),
);
const smallInteger = fc.oneof({ weight: 6, arbitrary: fc.constantFrom(1, 2, 3, 6, -7, -8, -257) }, fc.integer({ min: -300, max: 300 }));

/** Keys in the canonical layouts (labels 1, 3, -1, -2, -3), sometimes of another type, curve or alg. */
const layoutKey = fc.oneof(
  fc.tuple(fc.constantFrom(-7, -7, -7, -8, -257, -35), fc.constantFrom(COSE_CRV_P256, COSE_CRV_P256, COSE_CRV_P384, 6), coordinate, coordinate).map(([alg, crv, x, y]) => ec2CoseKey(crv, alg, x, y)),
  fc.tuple(coordinate, fc.constantFrom(6, 6, 6, 7, 1), fc.constantFrom(-8, -8, -8, -7)).map(([x, crv, alg]) => okpCoseKey(x, crv, alg)),
  fc.tuple(modulus, exponent, fc.constantFrom(-257, -257, -257, -37, -7)).map(([n, e, alg]) => rsaCoseKey(n, e, alg)),
  spelledLayoutKey,
  spelledLayoutKey,
  // Other maps: labels in another order, missing or extra labels, values of other kinds.
  fc
    .array(fc.tuple(smallInteger, fc.oneof(smallInteger, coordinate, fc.constant("text"))), { maxLength: 6 })
    .map((entries) => encodeCbor(new Map<number, unknown>(entries))),
);

/** Now and then: a byte replaced, inserted or dropped; the key cut short, or followed by more bytes. */
const nearlyLayoutKey = fc.tuple(layoutKey, fc.nat(), fc.integer({ min: 0, max: 255 }), fc.constantFrom("keep", "keep", "keep", "replace", "insert", "drop", "cut", "append")).map(
  ([bytes, at, byte, edit]) => {
    const i = at % (bytes.length + 1);
    if (edit === "replace" && bytes.length > 0) return Uint8Array.from(bytes, (value, index) => (index === at % bytes.length ? byte : value));
    if (edit === "insert") return Uint8Array.from([...bytes.subarray(0, i), byte, ...bytes.subarray(i)]);
    if (edit === "drop") return Uint8Array.from([...bytes.subarray(0, i), ...bytes.subarray(i + 1)]);
    if (edit === "cut") return bytes.slice(0, i);
    if (edit === "append") return Uint8Array.from([...bytes, byte, 0xa0]);
    return bytes;
  },
);

describe("the COSE key fast path equals the general reader", () => {
  it("on every input near the layouts authenticators write: the same key and size, or the same refusal", () => {
    fc.assert(
      fc.property(nearlyLayoutKey, (bytes) => {
        expect(readCoseKey(bytes)).toEqual(readCoseKeyGeneral(bytes));
      }),
      RUNS,
    );
  });

  it("answers only what the general reader reads, with its key and size; otherwise it leaves the answer to it", () => {
    fc.assert(
      fc.property(nearlyLayoutKey, (bytes) => {
        const fast = readCoseKeyAsWritten(bytes);
        if (fast !== null) expect(readCoseKeyGeneral(bytes)).toEqual(fast);
      }),
      RUNS,
    );
  });

  it("on arbitrary bytes, and on arbitrary bytes after a layout's first bytes", () => {
    const heads = [Uint8Array.of(0xa5, 0x01, 0x02, 0x03, 0x26, 0x20, 0x01, 0x21, 0x58, 0x20), Uint8Array.of(0xa4, 0x01, 0x01, 0x03, 0x27, 0x20, 0x06, 0x21, 0x58, 0x20), Uint8Array.of(0xa4, 0x01, 0x03, 0x03, 0x39, 0x01, 0x00, 0x20, 0x59, 0x01)];
    const arbitrary = fc.oneof(
      fc.uint8Array({ maxLength: 300 }),
      fc.tuple(fc.constantFrom(...heads), fc.uint8Array({ maxLength: 300 })).map(([head, rest]) => Uint8Array.from([...head, ...rest])),
    );
    fc.assert(
      fc.property(arbitrary, (bytes) => {
        expect(readCoseKey(bytes)).toEqual(readCoseKeyGeneral(bytes));
      }),
      RUNS,
    );
  });

  it("copies what it reads: the key's bytes do not change with the input", () => {
    const bytes = coseKeyFor("ES256", generateTestKeyPair("ES256").publicKey);
    const read = readCoseKeyAsWritten(bytes);
    const x = read?.key.x?.slice();
    bytes.fill(0);
    expect(read?.key.x).toEqual(x);
  });

  it.each(["ES256", "EdDSA", "RS256"] as const)("is taken for %s keys as authenticators write them (so the properties above test it, not only the fallback)", (algorithm) => {
    for (let i = 0; i < 5; i++) {
      const bytes = coseKeyFor(algorithm, generateTestKeyPair(algorithm).publicKey);
      expect(readCoseKeyAsWritten(bytes)).toEqual({ key: expect.objectContaining({ alg: { ES256: -7, EdDSA: -8, RS256: -257 }[algorithm] }), size: bytes.length });
    }
  });
});
