/**
 * Public keys that registration must refuse, worked out here independently of src/ (so that a test
 * does not grade the domain with the domain's own tables), and signatures forged against them.
 *
 * Ed25519 arithmetic follows RFC 8032 §5.1 (curve constants, §5.1.3 decoding, §5.1.4 point addition
 * in extended coordinates). The eight small-order points are derived, not copied: multiplying a
 * random point by the prime order L leaves its component in the 8-torsion subgroup, and enough
 * random points reach all eight.
 */
import { createHash, randomBytes } from "node:crypto";

export const ED25519_P = 2n ** 255n - 19n;
/** RFC 8032 §5.1: the order of the base point. */
export const ED25519_L = 2n ** 252n + 27742317777372353535851937790883648493n;
const mod = (a: bigint, m = ED25519_P): bigint => ((a % m) + m) % m;

function pow(base: bigint, exponent: bigint, m = ED25519_P): bigint {
  let result = 1n;
  let b = mod(base, m);
  for (let e = exponent; e > 0n; e >>= 1n) {
    if (e & 1n) result = (result * b) % m;
    b = (b * b) % m;
  }
  return result;
}

const inverse = (a: bigint): bigint => pow(a, ED25519_P - 2n);
/** RFC 8032 §5.1: d = -121665 / 121666. */
export const ED25519_D = mod(-121665n * inverse(121666n));
const SQRT_M1 = pow(2n, (ED25519_P - 1n) / 4n);

interface Point {
  readonly X: bigint;
  readonly Y: bigint;
  readonly Z: bigint;
  readonly T: bigint;
}

const IDENTITY: Point = { X: 0n, Y: 1n, Z: 1n, T: 0n };

/** RFC 8032 §5.1.4, which is complete for this curve: it also doubles. */
function add(p: Point, q: Point): Point {
  const a = mod((p.Y - p.X) * (q.Y - q.X));
  const b = mod((p.Y + p.X) * (q.Y + q.X));
  const c = mod(p.T * 2n * ED25519_D * q.T);
  const d = mod(p.Z * 2n * q.Z);
  const e = b - a;
  const f = d - c;
  const g = d + c;
  const h = b + a;
  return { X: mod(e * f), Y: mod(g * h), T: mod(e * h), Z: mod(f * g) };
}

export function multiply(point: Point, scalar: bigint): Point {
  let result = IDENTITY;
  let addend = point;
  for (let k = scalar; k > 0n; k >>= 1n) {
    if (k & 1n) result = add(result, addend);
    addend = add(addend, addend);
  }
  return result;
}

/** RFC 8032 §5.1.2. */
export function encodePoint(point: Point): Uint8Array {
  const zInverse = inverse(point.Z);
  const x = mod(point.X * zInverse);
  const y = mod(point.Y * zInverse);
  const bytes = littleEndian(y);
  bytes[31] = bytes[31]! | (Number(x & 1n) << 7);
  return bytes;
}

/** RFC 8032 §5.1.3; null where decoding fails. */
export function decodePoint(bytes: Uint8Array): Point | null {
  if (bytes.length !== 32) return null;
  const sign = bytes[31]! >> 7;
  const yBytes = Uint8Array.from(bytes);
  yBytes[31] = yBytes[31]! & 0x7f;
  const y = fromLittleEndian(yBytes);
  if (y >= ED25519_P) return null;
  const u = mod(y * y - 1n);
  const v = mod(ED25519_D * y * y + 1n);
  let x = mod(u * pow(v, 3n) * pow(u * pow(v, 7n), (ED25519_P - 5n) / 8n));
  if (mod(v * x * x) !== u) {
    if (mod(v * x * x) !== mod(-u)) return null;
    x = mod(x * SQRT_M1);
  }
  if (x === 0n && sign === 1) return null;
  if (Number(x & 1n) !== sign) x = ED25519_P - x;
  return { X: x, Y: y, Z: 1n, T: mod(x * y) };
}

export function littleEndian(value: bigint): Uint8Array {
  const bytes = new Uint8Array(32);
  let v = value;
  for (let i = 0; i < 32; i++) {
    bytes[i] = Number(v & 0xffn);
    v >>= 8n;
  }
  return bytes;
}

export function fromLittleEndian(bytes: Uint8Array): bigint {
  let value = 0n;
  for (let i = bytes.length - 1; i >= 0; i--) value = (value << 8n) | BigInt(bytes[i]!);
  return value;
}

const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString("hex");

/** A point of the curve, found by decoding random encodings until one decodes. */
function randomPoint(): Point {
  for (;;) {
    const point = decodePoint(new Uint8Array(randomBytes(32)));
    if (point !== null) return point;
  }
}

let torsion: readonly Uint8Array[] | null = null;

/** The encodings of the eight points of order dividing 8 (the 8-torsion subgroup), found as [L]Q for random Q. */
export function smallOrderEncodings(): readonly Uint8Array[] {
  if (torsion !== null) return torsion;
  const found = new Map<string, Uint8Array>();
  for (let attempt = 0; found.size < 8; attempt++) {
    if (attempt > 500) throw new Error("the 8-torsion subgroup did not show up");
    const encoded = encodePoint(multiply(randomPoint(), ED25519_L));
    found.set(hex(encoded), encoded);
  }
  torsion = [...found.values()];
  return torsion;
}

/** The order of a small-order point: the least n in {1, 2, 4, 8} with [n]P the identity. */
export function smallOrder(encoded: Uint8Array): number | null {
  const point = decodePoint(encoded);
  if (point === null) return null;
  for (const n of [1, 2, 4, 8]) {
    if (hex(encodePoint(multiply(point, BigInt(n)))) === hex(encodePoint(IDENTITY))) return n;
  }
  return null;
}

/** The identity point (0, 1), as an Ed25519 public key. */
export const ED25519_IDENTITY: Uint8Array = encodePoint(IDENTITY);

/**
 * A signature every message "has" under the identity key, for a verifier that accepts the key:
 * R = identity and S = 0 make the check [S]B = R + [k]A read O = O + O whatever k is.
 */
export const ED25519_IDENTITY_FORGERY: Uint8Array = Uint8Array.from([...ED25519_IDENTITY, ...new Uint8Array(32)]);

/** RFC 8017 §9.2 note 1: the DER prefix of a SHA-256 DigestInfo. */
const SHA256_DIGEST_INFO_PREFIX = Buffer.from("3031300d060960864801650304020105000420", "hex");

/**
 * EMSA-PKCS1-v1_5 (RFC 8017 §9.2) of SHA-256(data), `length` bytes long. Under an RSA key with e = 1,
 * s^e mod n = s, so this encoding is itself a valid RS256 "signature" of `data` for any n above it.
 */
export function forgedRs256SignatureForExponentOne(length: number, data: Uint8Array): Uint8Array {
  const t = Buffer.concat([SHA256_DIGEST_INFO_PREFIX, createHash("sha256").update(data).digest()]);
  return Uint8Array.from(Buffer.concat([Buffer.from([0x00, 0x01]), Buffer.alloc(length - t.length - 3, 0xff), Buffer.from([0x00]), t]));
}

/** P-256 (SEC 2 v2 §2.4.2, FIPS 186-4 §D.1.2.3): y² = x³ - 3x + b over the prime p. */
export const P256_P = 2n ** 256n - 2n ** 224n + 2n ** 192n + 2n ** 96n - 1n;
export const P256_B = 0x5ac635d8aa3a93e7b3ebbd55769886bc651d06b0cc53b0f63bce3c3e27d2604bn;
/** FIPS 186-4 §D.1.2.3: the base point G. */
export const P256_G = {
  x: Buffer.from("6b17d1f2e12c4247f8bce6e563a440f277037d812deb33a0f4a13945d898c296", "hex"),
  y: Buffer.from("4fe342e2fe1a7f9b8ee7eb4a7c0f9e162bce33576b315ececbb6406837bf51f5", "hex"),
};

export function bigEndian32(value: bigint): Uint8Array {
  return littleEndian(value).reverse();
}

/** The P-256 point with the least x ≥ 0 (so that x + p still fits in 32 bytes), found by search. */
export function p256PointWithSmallX(): { x: bigint; y: bigint } {
  for (let x = 0n; ; x++) {
    const rhs = ((x ** 3n - 3n * x + P256_B) % P256_P + P256_P) % P256_P;
    // p ≡ 3 (mod 4), so a square root, when there is one, is rhs^((p+1)/4).
    const y = pow(rhs, (P256_P + 1n) / 4n, P256_P);
    if ((y * y) % P256_P === rhs) return { x, y };
  }
}
