import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { readIntegerKeyedMap, type CborScalar } from "../../../src/domain/encoding/canonical-cbor.js";
import { encodeCbor } from "../../support/software-authenticator.js";

const bytes = (...values: number[]): Uint8Array => Uint8Array.from(values);
const entriesOf = (data: Uint8Array): [bigint, CborScalar][] | null => {
  const map = readIntegerKeyedMap(data);
  return map === null ? null : [...map.entries];
};

describe("readIntegerKeyedMap", () => {
  it("reads integer labels to integers, byte strings and text, in the order sent", () => {
    // {1: 2, -1: h'0102', 3: -7, 4: "ab"}
    const data = bytes(0xa4, 0x01, 0x02, 0x20, 0x42, 0x01, 0x02, 0x03, 0x26, 0x04, 0x62, 0x61, 0x62);
    expect(readIntegerKeyedMap(data)).toEqual({
      entries: new Map<bigint, CborScalar>([
        [1n, { type: "integer", value: 2n }],
        [-1n, { type: "bytes", value: bytes(1, 2) }],
        [3n, { type: "integer", value: -7n }],
        [4n, { type: "text", value: "ab" }],
      ]),
      size: data.length,
    });
  });

  it("reads the empty map", () => {
    expect(readIntegerKeyedMap(bytes(0xa0))).toEqual({ entries: new Map(), size: 1 });
  });

  it("reports the map's own size when bytes follow it", () => {
    expect(readIntegerKeyedMap(bytes(0xa1, 0x01, 0x02, 0xa1, 0x63))?.size).toBe(3);
  });

  it("reads integers in the shortest head of each width, up to 64 bits", () => {
    expect(entriesOf(bytes(0xa1, 0x01, 0x18, 0x18))).toEqual([[1n, { type: "integer", value: 24n }]]);
    expect(entriesOf(bytes(0xa1, 0x01, 0x19, 0x01, 0x00))).toEqual([[1n, { type: "integer", value: 256n }]]);
    expect(entriesOf(bytes(0xa1, 0x01, 0x1a, 0x00, 0x01, 0x00, 0x00))).toEqual([[1n, { type: "integer", value: 65536n }]]);
    expect(entriesOf(bytes(0xa1, 0x01, 0x1b, 0, 0, 0, 1, 0, 0, 0, 0))).toEqual([[1n, { type: "integer", value: 2n ** 32n }]]);
    expect(entriesOf(bytes(0xa1, 0x01, 0x3b, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff))).toEqual([[1n, { type: "integer", value: -(2n ** 64n) }]]);
  });

  it.each([
    ["one byte for 23", bytes(0xa1, 0x01, 0x18, 0x17)],
    ["two bytes for 255", bytes(0xa1, 0x01, 0x19, 0x00, 0xff)],
    ["four bytes for 65535", bytes(0xa1, 0x01, 0x1a, 0x00, 0x00, 0xff, 0xff)],
    ["eight bytes for 2^32 - 1", bytes(0xa1, 0x01, 0x1b, 0, 0, 0, 0, 0xff, 0xff, 0xff, 0xff)],
    ["one byte for the negative -1", bytes(0xa1, 0x01, 0x38, 0x00)],
    ["one byte for a label", bytes(0xa1, 0x18, 0x01, 0x02)],
    ["one byte for a byte string's length", bytes(0xa1, 0x01, 0x58, 0x01, 0xaa)],
    ["one byte for a text string's length", bytes(0xa1, 0x01, 0x78, 0x01, 0x61)],
    ["one byte for the map's count", bytes(0xb8, 0x01, 0x01, 0x02)],
  ])("refuses a head longer than needed: %s", (_label, data) => {
    expect(readIntegerKeyedMap(data)).toBeNull();
  });

  it.each([
    ["an indefinite-length map", bytes(0xbf, 0x01, 0x02, 0xff)],
    ["an indefinite-length byte string", bytes(0xa1, 0x01, 0x5f, 0x41, 0xaa, 0xff)],
    ["an indefinite-length text string", bytes(0xa1, 0x01, 0x7f, 0x61, 0x61, 0xff)],
    ["reserved additional information 28", bytes(0xa1, 0x01, 0x1c)],
    ["reserved additional information 30", bytes(0xa1, 0x01, 0x3e)],
  ])("refuses %s", (_label, data) => {
    expect(readIntegerKeyedMap(data)).toBeNull();
  });

  it.each([
    ["a text label", bytes(0xa1, 0x61, 0x31, 0x02)],
    ["a byte-string label", bytes(0xa1, 0x41, 0x01, 0x02)],
    ["a float label", bytes(0xa1, 0xf9, 0x3c, 0x00, 0x02)],
    ["a boolean label", bytes(0xa1, 0xf5, 0x02)],
    ["a float value", bytes(0xa1, 0x01, 0xf9, 0x40, 0x00)],
    ["a tagged value", bytes(0xa1, 0x01, 0xc1, 0x02)],
    ["an array value", bytes(0xa1, 0x01, 0x81, 0x02)],
    ["a map value", bytes(0xa1, 0x01, 0xa0)],
    ["a boolean value", bytes(0xa1, 0x01, 0xf4)],
    ["a null value", bytes(0xa1, 0x01, 0xf6)],
    ["a label twice", bytes(0xa2, 0x01, 0x02, 0x01, 0x02)],
    ["a label twice, with different values", bytes(0xa2, 0x20, 0x02, 0x20, 0x41, 0x00)],
    ["text that is not UTF-8", bytes(0xa1, 0x01, 0x61, 0xff)],
  ])("refuses %s", (_label, data) => {
    expect(readIntegerKeyedMap(data)).toBeNull();
  });

  it.each([
    ["no bytes", bytes()],
    ["an array", bytes(0x80)],
    ["an integer", bytes(0x01)],
    ["a map that announces more entries than it has", bytes(0xa2, 0x01, 0x02)],
    ["a map announcing 2^64 - 1 entries", bytes(0xbb, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01, 0x02)],
    ["a byte string longer than the input", bytes(0xa1, 0x01, 0x58, 0xff, 0x00)],
    ["a byte string announcing 2^64 - 1 bytes", bytes(0xa1, 0x01, 0x5b, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff)],
    ["a head cut short", bytes(0xa1, 0x01, 0x19, 0x01)],
    ["a label without a value", bytes(0xa1, 0x01)],
  ])("returns null for %s", (_label, data) => {
    expect(readIntegerKeyedMap(data)).toBeNull();
  });

  const scalar = fc.oneof(
    fc.bigInt({ min: -(2n ** 64n), max: 2n ** 64n - 1n }).map((value): CborScalar => ({ type: "integer", value })),
    fc.uint8Array({ maxLength: 300 }).map((value): CborScalar => ({ type: "bytes", value })),
    fc.string({ maxLength: 40 }).map((value): CborScalar => ({ type: "text", value })),
  );
  const label = fc.bigInt({ min: -(2n ** 20n), max: 2n ** 20n });

  it("reads back exactly what a canonical encoder wrote, whatever follows", () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.tuple(label, scalar), { selector: ([l]) => l, maxLength: 8 }), fc.uint8Array({ maxLength: 8 }), (entries, tail) => {
        const encoded = encodeCbor(new Map(entries.map(([l, v]) => [l, v.value])));
        const read = readIntegerKeyedMap(Uint8Array.from([...encoded, ...tail]));
        expect(read?.size).toBe(encoded.length);
        expect(new Map(read?.entries)).toEqual(new Map(entries));
      }),
      { numRuns: 300 },
    );
  });

  it("refuses any map whose integer value is respelled with a wider head", () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 2n ** 32n - 1n }), fc.constantFrom(1, 2, 4, 8), (value, width) => {
        const minimal = value < 24n ? 0 : value < 256n ? 1 : value < 65536n ? 2 : value < 2n ** 32n ? 4 : 8;
        fc.pre(width > minimal);
        const argument = Array.from({ length: width }, (_, i) => Number((value >> BigInt(8 * (width - 1 - i))) & 0xffn));
        const info = { 1: 24, 2: 25, 4: 26, 8: 27 }[width]!;
        expect(readIntegerKeyedMap(bytes(0xa1, 0x01, info, ...argument))).toBeNull();
      }),
      { numRuns: 300 },
    );
  });
});
