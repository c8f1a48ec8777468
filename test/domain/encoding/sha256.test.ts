import { createHash } from "node:crypto";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { concatDigest, sha256, sha256Into } from "../../../src/domain/encoding/sha256.js";

const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString("hex");
const nodeSha256 = (bytes: Uint8Array): string => createHash("sha256").update(bytes).digest("hex");

describe("sha256", () => {
  it.each([
    ["", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"],
    ["abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"],
    ["abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"],
  ])("gives FIPS 180-2's digest of %j", (message, digest) => {
    expect(hex(sha256(new TextEncoder().encode(message)))).toBe(digest);
  });

  it("gives FIPS 180-2's digest of a million 'a's", () => {
    expect(hex(sha256(new Uint8Array(1_000_000).fill(0x61)))).toBe("cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
  });

  it("agrees with node:crypto on every length from 0 to 300 bytes (every padding case: 55, 56, 63, 64, 119, 120 …)", () => {
    for (let length = 0; length <= 300; length++) {
      const message = Uint8Array.from({ length }, (_, i) => (i * 131 + length) & 0xff);
      expect(hex(sha256(message)), `length ${length}`).toBe(nodeSha256(message));
    }
  });

  it("agrees with node:crypto on thousands of messages, short and long", () => {
    fc.assert(
      fc.property(fc.oneof(fc.uint8Array({ maxLength: 300 }), fc.uint8Array({ minLength: 300, maxLength: 5000, size: "max" })), (message) => {
        expect(hex(sha256(message))).toBe(nodeSha256(message));
      }),
      { numRuns: 3000 },
    );
  });

  it("hashes a view by its contents, and leaves the message as it was", () => {
    const buffer = Uint8Array.from({ length: 200 }, (_, i) => i);
    const view = buffer.subarray(7, 150);
    const copy = view.slice();
    expect(hex(sha256(view))).toBe(nodeSha256(copy));
    expect(view).toEqual(copy);
  });

  it("returns a fresh digest each time", () => {
    const first = sha256(Uint8Array.of(1));
    const second = sha256(Uint8Array.of(2));
    expect(hex(first)).toBe(nodeSha256(Uint8Array.of(1)));
    expect(hex(second)).toBe(nodeSha256(Uint8Array.of(2)));
  });
});

describe("sha256Into", () => {
  it("writes the digest at the offset and nothing else", () => {
    const out = new Uint8Array(40).fill(0xee);
    sha256Into(new TextEncoder().encode("abc"), out, 5);
    expect(hex(out.subarray(5, 37))).toBe("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    expect([...out.subarray(0, 5), ...out.subarray(37)]).toEqual(new Array(8).fill(0xee));
  });

  it("refuses an offset without room for 32 bytes", () => {
    expect(() => sha256Into(new Uint8Array(0), new Uint8Array(40), 9)).toThrow(RangeError);
    expect(() => sha256Into(new Uint8Array(0), new Uint8Array(40), -1)).toThrow(RangeError);
  });
});

describe("concatDigest", () => {
  it("is the prefix followed by the message's digest", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 100 }), fc.uint8Array({ maxLength: 300 }), (prefix, message) => {
        expect(hex(concatDigest(prefix, message))).toBe(hex(prefix) + nodeSha256(message));
      }),
      { numRuns: 1000 },
    );
  });
});
