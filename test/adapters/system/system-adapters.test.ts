import { describe, expect, it } from "vitest";
import { SystemClock } from "../../../src/adapters/system/system-clock.js";
import { WebCryptoRandomSource } from "../../../src/adapters/system/web-crypto-random-source.js";

describe("SystemClock", () => {
  it("reads the wall clock in epoch milliseconds", () => {
    const before = Date.now();
    const now = new SystemClock().now();
    const after = Date.now();
    expect(Number.isInteger(now)).toBe(true);
    expect(now).toBeGreaterThanOrEqual(before);
    expect(now).toBeLessThanOrEqual(after);
  });

  it("does not go backwards between successive reads", () => {
    const clock = new SystemClock();
    let previous = clock.now();
    for (let i = 0; i < 1_000; i++) {
      const next = clock.now();
      expect(next).toBeGreaterThanOrEqual(previous);
      previous = next;
    }
  });
});

describe("WebCryptoRandomSource", () => {
  const random = new WebCryptoRandomSource();

  it.each([0, 1, 16, 32, 33, 1_024, 65_536])("returns exactly %i bytes", (length) => {
    const bytes = random.bytes(length);
    expect(bytes).toBeInstanceOf(Uint8Array);
    expect(bytes).toHaveLength(length);
  });

  it("returns different bytes on successive calls", () => {
    const seen = new Set<string>();
    for (let i = 0; i < 1_000; i++) seen.add(Buffer.from(random.bytes(32)).toString("hex"));
    expect(seen.size).toBe(1_000);
  });

  it("never hands out the same buffer twice", () => {
    const first = random.bytes(32);
    const copy = Uint8Array.from(first);
    const second = random.bytes(32);
    expect(second.buffer).not.toBe(first.buffer);
    second.fill(0);
    expect(first).toEqual(copy);
  });

  it("covers every byte value in a large sample", () => {
    const counts = new Array<number>(256).fill(0);
    for (const byte of random.bytes(65_536)) counts[byte]! += 1;
    // 256 expected per value; a CSPRNG lands far inside these bounds (p of failing < 1e-20).
    expect(Math.min(...counts)).toBeGreaterThan(128);
    expect(Math.max(...counts)).toBeLessThan(400);
  });
});
