import { generateKeyPairSync } from "node:crypto";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  decodesAsEd25519Point,
  isCanonicalEd25519,
  isEd25519PublicKey,
  isOnP256,
  isP256FieldElement,
  isP256PublicKey,
  isRsaExponentAcceptable,
  isRsaModulusAcceptable,
  isRsaPublicKey,
  isSmallOrderEd25519,
  isSquareModEd25519,
  MAX_RSA_MODULUS_BITS,
  MIN_RSA_MODULUS_BITS,
} from "../../../src/domain/encoding/public-key-checks.js";
import { fromB64url } from "../../support/software-authenticator.js";
import {
  bigEndian32,
  decodePoint,
  ED25519_IDENTITY,
  ED25519_P,
  littleEndian,
  P256_G,
  P256_P,
  p256PointWithSmallX,
  smallOrder,
  smallOrderEncodings,
} from "./weak-keys.js";

const jwkOf = (key: ReturnType<typeof generateKeyPairSync>["publicKey"]): Record<string, string> =>
  key.export({ format: "jwk" }) as Record<string, string>;
const field = (jwk: Record<string, string>, name: string): Uint8Array => fromB64url(jwk[name] ?? "");
const toBig = (bytes: Uint8Array): bigint => BigInt(`0x${Buffer.from(bytes).toString("hex") || "0"}`);

/** A big-endian unsigned integer of `bytes` bytes: `top` first, `bottom` last, zeros between. */
function integer(bytes: number, top: number, bottom: number): Uint8Array {
  const value = new Uint8Array(bytes);
  value[0] = top;
  value[bytes - 1] = bottom | value[bytes - 1]!;
  return value;
}

describe("P-256 public keys (SEC 1 §3.2.2.1)", () => {
  const p256 = () => {
    const jwk = jwkOf(generateKeyPairSync("ec", { namedCurve: "prime256v1" }).publicKey);
    return { x: field(jwk, "x"), y: field(jwk, "y") };
  };

  describe("isP256FieldElement: 32 bytes, below p", () => {
    it("accepts 0, 1 and p - 1", () => {
      expect(isP256FieldElement(new Uint8Array(32))).toBe(true);
      expect(isP256FieldElement(bigEndian32(1n))).toBe(true);
      expect(isP256FieldElement(bigEndian32(P256_P - 1n))).toBe(true);
    });

    it("refuses p and everything above it", () => {
      expect(isP256FieldElement(bigEndian32(P256_P))).toBe(false);
      expect(isP256FieldElement(bigEndian32(P256_P + 1n))).toBe(false);
      expect(isP256FieldElement(new Uint8Array(32).fill(0xff))).toBe(false);
    });

    it("refuses 31 and 33 bytes", () => {
      expect(isP256FieldElement(new Uint8Array(31))).toBe(false);
      expect(isP256FieldElement(new Uint8Array(33))).toBe(false);
    });
  });

  describe("isOnP256: y² = x³ - 3x + b (mod p)", () => {
    it("holds for the base point G (FIPS 186-4 §D.1.2.3)", () => {
      expect(isOnP256(toBig(P256_G.x), toBig(P256_G.y))).toBe(true);
      expect(isOnP256(toBig(P256_G.x), P256_P - toBig(P256_G.y))).toBe(true);
    });

    it("does not hold for G with y off by one, or for (0, 0)", () => {
      expect(isOnP256(toBig(P256_G.x), toBig(P256_G.y) + 1n)).toBe(false);
      expect(isOnP256(0n, 0n)).toBe(false);
    });

    it("holds for keys node:crypto generates", () => {
      for (let i = 0; i < 20; i++) {
        const { x, y } = p256();
        expect(isOnP256(toBig(x), toBig(y))).toBe(true);
      }
    });
  });

  describe("isP256PublicKey", () => {
    it("accepts G and generated keys", () => {
      expect(isP256PublicKey(P256_G.x, P256_G.y)).toBe(true);
      const { x, y } = p256();
      expect(isP256PublicKey(x, y)).toBe(true);
    });

    it("refuses a point off the curve", () => {
      const { x, y } = p256();
      const y2 = Uint8Array.from(y);
      y2[31] = y2[31]! ^ 1;
      expect(isP256PublicKey(x, y2)).toBe(false);
    });

    it("refuses all-zero coordinates: (0, 0) is not on the curve, and the point at infinity has no affine encoding", () => {
      expect(isP256PublicKey(new Uint8Array(32), new Uint8Array(32))).toBe(false);
    });

    it("refuses an x that is congruent to a point's x but not reduced below p", () => {
      const { x, y } = p256PointWithSmallX();
      expect(isP256PublicKey(bigEndian32(x), bigEndian32(y))).toBe(true);
      expect(x + P256_P < 2n ** 256n).toBe(true);
      expect(isP256PublicKey(bigEndian32(x + P256_P), bigEndian32(y))).toBe(false);
    });

    it("refuses coordinates of the wrong length", () => {
      const { x, y } = p256();
      expect(isP256PublicKey(x.subarray(1), y)).toBe(false);
      expect(isP256PublicKey(x, Uint8Array.from([0, ...y]))).toBe(false);
    });

    it("refuses random coordinates (almost none lie on the curve)", () => {
      fc.assert(
        fc.property(fc.uint8Array({ minLength: 32, maxLength: 32 }), fc.uint8Array({ minLength: 32, maxLength: 32 }), (x, y) => {
          expect(isP256PublicKey(x, y)).toBe(false);
        }),
        { numRuns: 200 },
      );
    });
  });
});

describe("Ed25519 public keys (RFC 8032 §5.1.3)", () => {
  const ed25519 = (): Uint8Array => field(jwkOf(generateKeyPairSync("ed25519").publicKey), "x");
  /** RFC 8032 §7.1, TEST 1: a public key. */
  const RFC_8032_TEST_1 = Buffer.from("d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a", "hex");
  const withSign = (encoding: Uint8Array): Uint8Array => {
    const copy = Uint8Array.from(encoding);
    copy[31] = copy[31]! | 0x80;
    return copy;
  };

  describe("isCanonicalEd25519: y below p, whatever the sign bit", () => {
    it("accepts y = 0 and y = p - 1, with either sign bit", () => {
      for (const y of [0n, ED25519_P - 1n]) {
        expect(isCanonicalEd25519(littleEndian(y))).toBe(true);
        expect(isCanonicalEd25519(withSign(littleEndian(y)))).toBe(true);
      }
    });

    it("refuses y = p … 2^255 - 1, with either sign bit", () => {
      for (const y of [ED25519_P, ED25519_P + 1n, ED25519_P + 18n]) {
        expect(isCanonicalEd25519(littleEndian(y))).toBe(false);
        expect(isCanonicalEd25519(withSign(littleEndian(y)))).toBe(false);
      }
    });

    it("refuses 31 and 33 bytes", () => {
      expect(isCanonicalEd25519(new Uint8Array(31))).toBe(false);
      expect(isCanonicalEd25519(new Uint8Array(33))).toBe(false);
    });
  });

  describe("decodesAsEd25519Point", () => {
    it("decodes RFC 8032's test key and generated keys", () => {
      expect(decodesAsEd25519Point(RFC_8032_TEST_1)).toBe(true);
      for (let i = 0; i < 20; i++) expect(decodesAsEd25519Point(ed25519())).toBe(true);
    });

    it("agrees with an independent decoder on random encodings", () => {
      fc.assert(
        fc.property(fc.uint8Array({ minLength: 32, maxLength: 32 }), (bytes) => {
          const y = Uint8Array.from(bytes);
          y[31] = y[31]! & 0x7f;
          if (!isCanonicalEd25519(y)) return;
          expect(decodesAsEd25519Point(bytes)).toBe(decodePoint(bytes) !== null);
        }),
        { numRuns: 300 },
      );
    });

    it("agrees with the independent decoder on thousands of canonical encodings, with either sign bit", () => {
      const canonical = fc.tuple(fc.bigInt({ min: 0n, max: ED25519_P - 1n }), fc.boolean()).map(([y, sign]) => (sign ? withSign(littleEndian(y)) : littleEndian(y)));
      fc.assert(
        fc.property(canonical, (bytes) => {
          expect(decodesAsEd25519Point(bytes)).toBe(decodePoint(bytes) !== null);
        }),
        { numRuns: 3000 },
      );
    });

    it("refuses an x of 0 with the sign bit set (§5.1.3 step 4)", () => {
      expect(decodesAsEd25519Point(ED25519_IDENTITY)).toBe(true);
      expect(decodesAsEd25519Point(withSign(ED25519_IDENTITY))).toBe(false);
    });

    it("refuses a y for which x² = (y² - 1) / (dy² + 1) has no root", () => {
      let y = 2n;
      while (decodePoint(littleEndian(y)) !== null) y++;
      expect(decodesAsEd25519Point(littleEndian(y))).toBe(false);
    });
  });

  describe("isSquareModEd25519: the Jacobi symbol, as Euler's criterion would answer", () => {
    const euler = (a: bigint): boolean => {
      let result = 1n;
      let square = a % ED25519_P;
      for (let e = (ED25519_P - 1n) / 2n; e > 0n; e >>= 1n) {
        if ((e & 1n) === 1n) result = (result * square) % ED25519_P;
        square = (square * square) % ED25519_P;
      }
      return result === 1n;
    };

    it("answers as a^((p-1)/2) = 1 on thousands of values, small, large and random", () => {
      const value = fc.oneof(fc.bigInt({ min: 1n, max: 1000n }), fc.bigInt({ min: ED25519_P - 1000n, max: ED25519_P - 1n }), fc.bigInt({ min: 1n, max: ED25519_P - 1n }));
      fc.assert(
        fc.property(value, (a) => {
          expect(isSquareModEd25519(a)).toBe(euler(a));
        }),
        { numRuns: 3000 },
      );
    });

    it("finds every square a square, and −1 one (p ≡ 1 mod 4), and 2 none (p ≡ 5 mod 8)", () => {
      fc.assert(
        fc.property(fc.bigInt({ min: 1n, max: ED25519_P - 1n }), (x) => {
          expect(isSquareModEd25519((x * x) % ED25519_P)).toBe(true);
        }),
        { numRuns: 1000 },
      );
      expect(isSquareModEd25519(ED25519_P - 1n)).toBe(true);
      expect(isSquareModEd25519(2n)).toBe(false);
    });
  });

  describe("isSmallOrderEd25519", () => {
    it("recognises each of the eight points of order 1, 2, 4 or 8", () => {
      const encodings = smallOrderEncodings();
      expect(encodings).toHaveLength(8);
      expect(encodings.map(smallOrder).sort()).toEqual([1, 2, 4, 4, 8, 8, 8, 8]);
      for (const encoding of encodings) expect(isSmallOrderEd25519(encoding)).toBe(true);
    });

    it("does not flag RFC 8032's test key or generated keys", () => {
      expect(isSmallOrderEd25519(RFC_8032_TEST_1)).toBe(false);
      for (let i = 0; i < 20; i++) expect(isSmallOrderEd25519(ed25519())).toBe(false);
    });
  });

  describe("isEd25519PublicKey", () => {
    it("is exactly: canonical, a point, and not of small order (on thousands of encodings, the small-order ones and y ≥ p among them)", () => {
      const encoding = fc.oneof(
        fc.uint8Array({ minLength: 32, maxLength: 32 }),
        fc.tuple(fc.bigInt({ min: ED25519_P - 40n, max: (1n << 255n) - 1n }), fc.boolean()).map(([y, sign]) => (sign ? withSign(littleEndian(y)) : littleEndian(y))),
        fc.constantFrom(...smallOrderEncodings()),
        fc.uint8Array({ maxLength: 40 }),
      );
      fc.assert(
        fc.property(encoding, (bytes) => {
          expect(isEd25519PublicKey(bytes)).toBe(isCanonicalEd25519(bytes) && decodesAsEd25519Point(bytes) && !isSmallOrderEd25519(bytes));
        }),
        { numRuns: 3000 },
      );
    });

    it("accepts RFC 8032's test key and generated keys", () => {
      expect(isEd25519PublicKey(RFC_8032_TEST_1)).toBe(true);
      expect(isEd25519PublicKey(ed25519())).toBe(true);
    });

    it("refuses the eight small-order points, the identity among them, with either sign bit", () => {
      for (const encoding of smallOrderEncodings()) {
        expect(isEd25519PublicKey(encoding)).toBe(false);
        expect(isEd25519PublicKey(withSign(encoding))).toBe(false);
      }
      expect(isEd25519PublicKey(ED25519_IDENTITY)).toBe(false);
    });

    it("refuses a non-canonical encoding of a point whose canonical encoding it accepts", () => {
      // y + p still fits in 255 bits only for y < 19: find one that is a point of large order.
      let y = 2n;
      while (decodePoint(littleEndian(y)) === null || smallOrder(littleEndian(y)) !== null) y++;
      expect(y < 19n).toBe(true);
      expect(isEd25519PublicKey(littleEndian(y))).toBe(true);
      expect(isEd25519PublicKey(littleEndian(y + ED25519_P))).toBe(false);
    });

    it("refuses keys of the wrong length", () => {
      const key = ed25519();
      expect(isEd25519PublicKey(key.subarray(1))).toBe(false);
      expect(isEd25519PublicKey(Uint8Array.from([...key, 0]))).toBe(false);
    });
  });
});

describe("RSA public keys", () => {
  const rsa = generateKeyPairSync("rsa", { modulusLength: 2048 }).publicKey;
  const n = field(jwkOf(rsa), "n");
  const E65537 = Uint8Array.of(1, 0, 1);

  describe("isRsaModulusAcceptable: odd, 2048 to 16384 bits", () => {
    it("accepts a generated 2048-bit modulus, with or without a leading zero byte", () => {
      expect(isRsaModulusAcceptable(n)).toBe(true);
      expect(isRsaModulusAcceptable(Uint8Array.from([0, ...n]))).toBe(true);
    });

    it("accepts the bounds and refuses just outside them", () => {
      expect(MIN_RSA_MODULUS_BITS).toBe(2048);
      expect(MAX_RSA_MODULUS_BITS).toBe(16384);
      expect(isRsaModulusAcceptable(integer(256, 0x80, 1))).toBe(true);
      expect(isRsaModulusAcceptable(integer(256, 0x7f, 1))).toBe(false);
      expect(isRsaModulusAcceptable(integer(2048, 0xff, 1))).toBe(true);
      expect(isRsaModulusAcceptable(integer(2049, 0x01, 1))).toBe(false);
    });

    it("refuses an even modulus (a product of two odd primes is odd)", () => {
      const even = Uint8Array.from(n);
      even[even.length - 1] = even[even.length - 1]! & 0xfe;
      expect(isRsaModulusAcceptable(even)).toBe(false);
    });
  });

  describe("isRsaExponentAcceptable: odd, 2^16 < e < 2^256", () => {
    it.each([
      ["65537", E65537],
      ["65537 with a leading zero byte", Uint8Array.of(0, 1, 0, 1)],
      ["2^32 + 1", Uint8Array.of(1, 0, 0, 0, 1)],
      ["2^256 - 1", new Uint8Array(32).fill(0xff)],
    ])("accepts %s", (_label, e) => {
      expect(isRsaExponentAcceptable(e)).toBe(true);
    });

    it.each([
      ["0", Uint8Array.of(0)],
      ["no bytes", new Uint8Array(0)],
      ["1", Uint8Array.of(1)],
      ["3", Uint8Array.of(3)],
      ["17", Uint8Array.of(17)],
      ["65535", Uint8Array.of(0xff, 0xff)],
      ["65536 (even)", Uint8Array.of(1, 0, 0)],
      ["65538 (even)", Uint8Array.of(1, 0, 2)],
      ["2^256 + 1", Uint8Array.from([1, ...new Uint8Array(31), 1])],
    ])("refuses %s", (_label, e) => {
      expect(isRsaExponentAcceptable(e)).toBe(false);
    });
  });

  describe("isRsaPublicKey", () => {
    it("accepts a generated key", () => {
      expect(isRsaPublicKey(n, field(jwkOf(rsa), "e"))).toBe(true);
    });

    it("refuses a good modulus with exponent 1, 3 or an even one", () => {
      for (const e of [Uint8Array.of(1), Uint8Array.of(3), Uint8Array.of(1, 0, 0)]) expect(isRsaPublicKey(n, e)).toBe(false);
    });

    it("refuses a good exponent with a 1024-bit modulus", () => {
      const small = field(jwkOf(generateKeyPairSync("rsa", { modulusLength: 1024 }).publicKey), "n");
      expect(isRsaPublicKey(small, E65537)).toBe(false);
    });
  });
});
