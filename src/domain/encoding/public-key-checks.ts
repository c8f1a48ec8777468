/**
 * Is a public key sound? One small pure function per rule, for each kind of key keyport accepts
 * (ADR 0014). They judge raw key material; `coseKeyToJwk` applies them to a COSE key at registration
 * and at every sign-in, and `isValidPublicKeyJwk` to the JWK a signature verifier is given, so the
 * three places refuse the same keys.
 */
import { bigIntFromBytes, bitLength, byteAt } from "./bytes.js";

function powMod(base: bigint, exponent: bigint, modulus: bigint): bigint {
  let result = 1n;
  let square = ((base % modulus) + modulus) % modulus;
  for (let e = exponent; e > 0n; e >>= 1n) {
    if ((e & 1n) === 1n) result = (result * square) % modulus;
    square = (square * square) % modulus;
  }
  return result;
}

// -------------------------------------------------------------------------------------------------
// P-256 (ES256)
// -------------------------------------------------------------------------------------------------

/** SEC 2 v2 §2.4.2 (the same curve as FIPS 186-4 §D.1.2.3's P-256): y² ≡ x³ − 3x + b (mod p). */
const P256_P = 2n ** 256n - 2n ** 224n + 2n ** 192n + 2n ** 96n - 1n;
const P256_B = 0x5ac635d8aa3a93e7b3ebbd55769886bc651d06b0cc53b0f63bce3c3e27d2604bn;
export const P256_COORDINATE_BYTES = 32;

/** SEC 1 v2 §3.2.2.1 step 2: a coordinate is an integer in [0, p − 1], sent as exactly 32 bytes. */
export function isP256FieldElement(coordinate: Uint8Array): boolean {
  return coordinate.length === P256_COORDINATE_BYTES && bigIntFromBytes(coordinate) < P256_P;
}

/** SEC 1 v2 §3.2.2.1 step 3: the point satisfies the curve's equation. */
export function isOnP256(x: bigint, y: bigint): boolean {
  const reduce = (value: bigint): bigint => ((value % P256_P) + P256_P) % P256_P;
  return reduce(y * y) === reduce(x * x * x - 3n * x + P256_B);
}

/**
 * SEC 1 v2 §3.2.2.1 in order: (1) Q is not the point at infinity, which has no affine (x, y), so a COSE
 * or JWK key cannot name it; (2) both coordinates are reduced below p; (3) Q is on the curve; (4) n·Q = O
 * holds for every point of P-256, whose cofactor is 1 (SEC 2 §2.4.2), so it needs no computation.
 * Each coordinate is read as a bigint once (every sign-in judges its key).
 */
export function isP256PublicKey(x: Uint8Array, y: Uint8Array): boolean {
  if (x.length !== P256_COORDINATE_BYTES || y.length !== P256_COORDINATE_BYTES) return false;
  const xValue = bigIntFromBytes(x);
  const yValue = bigIntFromBytes(y);
  return xValue < P256_P && yValue < P256_P && isOnP256(xValue, yValue);
}

// -------------------------------------------------------------------------------------------------
// Ed25519 (EdDSA)
// -------------------------------------------------------------------------------------------------

/** RFC 8032 §5.1: the field prime, and d = −121665/121666 (mod p). */
const ED25519_P = 2n ** 255n - 19n;
const ED25519_D = (((-121665n * powMod(121666n, ED25519_P - 2n, ED25519_P)) % ED25519_P) + ED25519_P) % ED25519_P;
export const ED25519_KEY_BYTES = 32;

/**
 * The y of every point of order 1, 2, 4 or 8. Each y names two points (x and −x) but for y = 1 and
 * y = p − 1, where x = 0, so these five cover all eight small-order points of Ed25519 (cofactor 8,
 * RFC 8032 §5.1). A signature under such a key proves nothing: with A the identity, R = identity and
 * S = 0 verify for every message. The list is the one libsodium blocks
 * (crypto_core/ed25519/ref10/ed25519_ref10.c, `ge25519_has_small_order`); keyport's tests derive the
 * eight points again by computation (test/domain/encoding/weak-keys.ts).
 */
const ORDER_8_Y = 2707385501144840649318225287225658788936804267575313519463743609750303402022n;
const SMALL_ORDER_Y: readonly bigint[] = [0n, 1n, ED25519_P - 1n, ORDER_8_Y, ED25519_P - ORDER_8_Y];

/** The y an encoding carries: little-endian, with bit 255 (the sign of x) cleared (RFC 8032 §5.1.3 step 1). */
function ed25519Y(encoded: Uint8Array): bigint {
  return bigIntFromBytes(Uint8Array.from(encoded).reverse()) & ((1n << 255n) - 1n);
}

/** RFC 8032 §5.1.3 step 1: 32 bytes, and y below p; y ≥ p, sign bit aside, is a second encoding of y − p. */
export function isCanonicalEd25519(encoded: Uint8Array): boolean {
  return encoded.length === ED25519_KEY_BYTES && ed25519Y(encoded) < ED25519_P;
}

/**
 * RFC 8032 §5.1.3 steps 2–4: some x satisfies x² = (y² − 1)/(d·y² + 1) (mod p), and x = 0 comes with a
 * clear sign bit. Whether the quotient is a square is asked by its Jacobi symbol, which decides what
 * the RFC's square-root computation would (d is not a square, so d·y² + 1 is never 0).
 */
export function decodesAsEd25519Point(encoded: Uint8Array): boolean {
  return isCanonicalEd25519(encoded) && hasEd25519X(ed25519Y(encoded), encoded);
}

/** Steps 2–4 for the canonical y of `encoded`: an x exists, and is not 0 under a set sign bit. */
function hasEd25519X(y: bigint, encoded: Uint8Array): boolean {
  const u = (y * y - 1n + ED25519_P) % ED25519_P;
  const v = (ED25519_D * y * y + 1n) % ED25519_P;
  if (u === 0n) return (byteAt(encoded, 31) & 0x80) === 0;
  // u/v = u·v / v², and v² is a non-zero square, so u/v is a square exactly when u·v is.
  return isSquareModEd25519((u * v) % ED25519_P);
}

/**
 * Whether a (0 < a < p) is a square mod p = 2^255 − 19: its Jacobi symbol (a/p) is 1, which for a prime
 * p is the Legendre symbol, the answer of Euler's criterion a^((p−1)/2) without its 254 squarings and
 * 250 multiplications (~90 µs in BigInt, against ~15 µs here; every EdDSA sign-in judges its key).
 * The binary algorithm (Cohen, A Course in Computational Algebraic Number Theory, 1.4.10): take out
 * factors of 2 using (2/n) = −1 exactly when n ≡ 3, 5 (mod 8), then swap by quadratic reciprocity,
 * which flips the sign when both are ≡ 3 (mod 4).
 */
export function isSquareModEd25519(a: bigint): boolean {
  let top = a % ED25519_P;
  let bottom = ED25519_P;
  let sign = 1;
  while (top !== 0n) {
    while ((top & 1n) === 0n) {
      top >>= 1n;
      const r = bottom & 7n;
      if (r === 3n || r === 5n) sign = -sign;
    }
    [top, bottom] = [bottom, top];
    if ((top & 3n) === 3n && (bottom & 3n) === 3n) sign = -sign;
    top %= bottom;
  }
  return bottom === 1n && sign === 1;
}

/** One of the eight small-order points, whatever the sign bit, and also in a non-canonical y + p spelling. */
export function isSmallOrderEd25519(encoded: Uint8Array): boolean {
  return encoded.length === ED25519_KEY_BYTES && SMALL_ORDER_Y.includes(ed25519Y(encoded) % ED25519_P);
}

/** A canonical encoding of a point of the curve that is not of small order. Its y is read once: every EdDSA sign-in judges its key. */
export function isEd25519PublicKey(encoded: Uint8Array): boolean {
  if (encoded.length !== ED25519_KEY_BYTES) return false;
  const y = ed25519Y(encoded);
  return y < ED25519_P && hasEd25519X(y, encoded) && !SMALL_ORDER_Y.includes(y);
}

// -------------------------------------------------------------------------------------------------
// RSA (RS256)
// -------------------------------------------------------------------------------------------------

export const MIN_RSA_MODULUS_BITS = 2048;
/**
 * OpenSSL's OPENSSL_RSA_MAX_MODULUS_BITS, under both verifiers on Node: a larger key could be stored but
 * would never verify a signature.
 */
export const MAX_RSA_MODULUS_BITS = 16384;
/** FIPS 186-5 §A.1.1 (as SP 800-56B and SP 800-89 §5.3.3): 2^16 < e < 2^256. */
const MIN_RSA_EXPONENT_BITS = 17;
const MAX_RSA_EXPONENT_BITS = 256;

const isOdd = (value: Uint8Array): boolean => value.length > 0 && (byteAt(value, value.length - 1) & 1) === 1;

/** 2048 to 16384 bits, and odd, as a product of two odd primes is (SP 800-89 §5.3.3). Leading zero bytes are not counted. */
export function isRsaModulusAcceptable(n: Uint8Array): boolean {
  const bits = bitLength(n);
  return bits >= MIN_RSA_MODULUS_BITS && bits <= MAX_RSA_MODULUS_BITS && isOdd(n);
}

/**
 * Odd, and 2^16 < e < 2^256 (FIPS 186-5 §A.1.1). RFC 8017 §3.1 would allow any odd 3 ≤ e < n; keyport
 * takes the narrower rule, which every authenticator's 65537 meets, and which refuses e = 1 (then
 * s^e = s and a "signature" is just the padded hash) and the small exponents that lax PKCS #1 v1.5
 * verifiers let signatures be forged for. See ADR 0014.
 */
export function isRsaExponentAcceptable(e: Uint8Array): boolean {
  const bits = bitLength(e);
  return bits >= MIN_RSA_EXPONENT_BITS && bits <= MAX_RSA_EXPONENT_BITS && isOdd(e);
}

/** Both rules; e < n (RFC 8017 §3.1) follows from them, as e < 2^256 and n ≥ 2^2047. */
export function isRsaPublicKey(n: Uint8Array, e: Uint8Array): boolean {
  return isRsaModulusAcceptable(n) && isRsaExponentAcceptable(e);
}
