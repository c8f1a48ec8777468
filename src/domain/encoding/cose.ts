import { byteAt, fromBase64Url, toBase64Url } from "./bytes.js";
import { readIntegerKeyedMap, type CborScalar } from "./canonical-cbor.js";
import { isEd25519PublicKey, isP256PublicKey, isRsaPublicKey } from "./public-key-checks.js";
import type { CoseAlgorithmIdentifier } from "./webauthn-json.js";

export { bitLength } from "./bytes.js";
export { MIN_RSA_MODULUS_BITS, MAX_RSA_MODULUS_BITS } from "./public-key-checks.js";

/** COSE registry values (RFC 9053, IANA "COSE Key Types" / "COSE Elliptic Curves"). */
export const COSE_KTY_OKP = 1;
export const COSE_KTY_EC2 = 2;
export const COSE_KTY_RSA = 3;
export const COSE_CRV_P256 = 1;
export const COSE_CRV_ED25519 = 6;
export const COSE_ALG_ES256 = -7;
export const COSE_ALG_EDDSA = -8;
export const COSE_ALG_RS256 = -257;

/** The algorithms keyport offers, in order of preference (EdDSA first, as the spec suggests). */
export const SUPPORTED_ALGORITHMS: readonly CoseAlgorithmIdentifier[] = [COSE_ALG_EDDSA, COSE_ALG_ES256, COSE_ALG_RS256];

/** COSE_Key common parameters (RFC 9052 §7.1). */
const LABEL_KTY = 1n;
const LABEL_ALG = 3n;

/**
 * The labels a public key of each type has (RFC 9053 §7.1 EC2: crv -1, x -2, y -3; §7.2 OKP: crv -1,
 * x -2; RFC 8230 §4 RSA: n -1, e -2), with kty and alg. WebAuthn §6.5.1: the credential public key
 * "MUST contain the alg parameter and MUST NOT contain any other OPTIONAL parameters"; a label beyond
 * these is at best unknown and at worst private key material (d is -4 for EC2 and OKP, -3 for RSA).
 */
const PUBLIC_KEY_LABELS: ReadonlyMap<number, readonly bigint[]> = new Map([
  [COSE_KTY_EC2, [LABEL_KTY, LABEL_ALG, -1n, -2n, -3n]],
  [COSE_KTY_OKP, [LABEL_KTY, LABEL_ALG, -1n, -2n]],
  [COSE_KTY_RSA, [LABEL_KTY, LABEL_ALG, -1n, -2n]],
]);

/**
 * A COSE_Key as read from canonical CBOR: fields typed, values not yet judged. `labels` are all the
 * labels the key carried, in order, so that the judgement can refuse those that have no business there.
 */
export interface CoseKey {
  readonly kty: number;
  readonly alg: number;
  readonly crv: number | null;
  readonly x: Uint8Array | null;
  readonly y: Uint8Array | null;
  readonly n: Uint8Array | null;
  readonly e: Uint8Array | null;
  readonly labels: readonly bigint[];
}

/** A public key in JWK form, which both WebCrypto and node:crypto import directly. */
export type PublicKeyJwk =
  | { readonly alg: typeof COSE_ALG_ES256; readonly kty: "EC"; readonly crv: "P-256"; readonly x: string; readonly y: string }
  | { readonly alg: typeof COSE_ALG_EDDSA; readonly kty: "OKP"; readonly crv: "Ed25519"; readonly x: string }
  | { readonly alg: typeof COSE_ALG_RS256; readonly kty: "RSA"; readonly n: string; readonly e: string };

/** An integer that a JavaScript number holds exactly; anything else (bytes, text, a huge integer) is null. */
function int(value: CborScalar | undefined): number | null {
  if (value?.type !== "integer") return null;
  const number = Number(value.value);
  return Number.isSafeInteger(number) ? number : null;
}

const bytes = (value: CborScalar | undefined): Uint8Array | null => (value?.type === "bytes" ? value.value : null);

/**
 * Reads a COSE_Key from the start of `data`; returns the key and how many bytes it took (attested
 * credential data may be followed by extensions), or null when it is not a COSE_Key in canonical CBOR
 * with integer labels (see canonical-cbor.ts) and integer kty and alg.
 *
 * The layouts authenticators write for ES256, EdDSA and RS256 keys are recognised byte for byte first
 * (`readCoseKeyAsWritten`), and the general reader takes anything else; the two agree on every input the
 * first answers (test/domain/encoding/cose-fast-path.property.test.ts).
 */
export function readCoseKey(data: Uint8Array): { key: CoseKey; size: number } | null {
  return readCoseKeyAsWritten(data) ?? readCoseKeyGeneral(data);
}

/** The general reader: any canonical integer-keyed map, its labels in any order. */
export function readCoseKeyGeneral(data: Uint8Array): { key: CoseKey; size: number } | null {
  const map = readIntegerKeyedMap(data);
  if (map === null) return null;
  const at = (label: bigint): CborScalar | undefined => map.entries.get(label);
  const kty = int(at(LABEL_KTY));
  const alg = int(at(LABEL_ALG));
  if (kty === null || alg === null) return null;
  const isRsa = kty === COSE_KTY_RSA;
  return {
    size: map.size,
    key: {
      kty,
      alg,
      crv: isRsa ? null : int(at(-1n)),
      x: isRsa ? null : bytes(at(-2n)),
      y: kty === COSE_KTY_EC2 ? bytes(at(-3n)) : null,
      n: isRsa ? bytes(at(-1n)) : null,
      e: isRsa ? bytes(at(-2n)) : null,
      labels: [...map.entries.keys()],
    },
  };
}

/**
 * Canonical CBOR heads of the layouts keyport reads itself (RFC 8949 §3, in CTAP2's canonical order):
 * ES256 `{1: 2, 3: -7, -1: 1, -2: h'32 bytes', -3: h'32 bytes'}`, EdDSA `{1: 1, 3: -8, -1: 6, -2: h'32 bytes'}`,
 * and the start of RS256 `{1: 3, 3: -257, -1: n, -2: e}`.
 */
const ES256_HEAD = [0xa5, 0x01, 0x02, 0x03, 0x26, 0x20, 0x01, 0x21, 0x58, 0x20] as const;
const ES256_Y_HEAD = [0x22, 0x58, 0x20] as const;
const EDDSA_HEAD = [0xa4, 0x01, 0x01, 0x03, 0x27, 0x20, 0x06, 0x21, 0x58, 0x20] as const;
const RS256_HEAD = [0xa4, 0x01, 0x03, 0x03, 0x39, 0x01, 0x00, 0x20] as const;
const COORDINATE = 32;

/**
 * The key when `data` starts with one of the layouts authenticators write (above; for RS256 a modulus
 * of 256 bytes or more and an exponent under 24 bytes, each in its shortest head): the very key the
 * general reader would return, read without decoding CBOR item by item. Null for anything else, which
 * is left to the general reader (a null here refuses nothing).
 */
export function readCoseKeyAsWritten(data: Uint8Array): { key: CoseKey; size: number } | null {
  if (startsWith(data, 0, ES256_HEAD) && startsWith(data, 10 + COORDINATE, ES256_Y_HEAD) && data.length >= 45 + COORDINATE) {
    return {
      size: 45 + COORDINATE,
      key: { kty: COSE_KTY_EC2, alg: COSE_ALG_ES256, crv: COSE_CRV_P256, x: data.slice(10, 42), y: data.slice(45, 77), n: null, e: null, labels: [LABEL_KTY, LABEL_ALG, -1n, -2n, -3n] },
    };
  }
  if (startsWith(data, 0, EDDSA_HEAD) && data.length >= 10 + COORDINATE) {
    return {
      size: 10 + COORDINATE,
      key: { kty: COSE_KTY_OKP, alg: COSE_ALG_EDDSA, crv: COSE_CRV_ED25519, x: data.slice(10, 42), y: null, n: null, e: null, labels: [LABEL_KTY, LABEL_ALG, -1n, -2n] },
    };
  }
  if (startsWith(data, 0, RS256_HEAD) && data[8] === 0x59 && data.length >= 11) {
    // A two-byte length is canonical from 256 up; the exponent's one-byte head holds lengths 0–23.
    const nLength = (byteAt(data, 9) << 8) | byteAt(data, 10);
    const nEnd = 11 + nLength;
    if (nLength < 256 || data.length < nEnd + 2 || data[nEnd] !== 0x21) return null;
    const eHead = byteAt(data, nEnd + 1);
    const eEnd = nEnd + 2 + (eHead - 0x40);
    if (eHead < 0x40 || eHead > 0x57 || data.length < eEnd) return null;
    return {
      size: eEnd,
      key: { kty: COSE_KTY_RSA, alg: COSE_ALG_RS256, crv: null, x: null, y: null, n: data.slice(11, nEnd), e: data.slice(nEnd + 2, eEnd), labels: [LABEL_KTY, LABEL_ALG, -1n, -2n] },
    };
  }
  return null;
}

function startsWith(data: Uint8Array, at: number, expected: readonly number[]): boolean {
  if (data.length < at + expected.length) return false;
  for (let i = 0; i < expected.length; i++) if (data[at + i] !== expected[i]) return false;
  return true;
}

/** The key carries alg and its type's public parameters, and nothing else (WebAuthn §6.5.1). */
export function hasOnlyPublicKeyLabels(key: CoseKey): boolean {
  const allowed = PUBLIC_KEY_LABELS.get(key.kty) ?? [LABEL_KTY, LABEL_ALG];
  return key.labels.every((label) => allowed.includes(label));
}

/**
 * Turns a COSE key into a JWK when it is a sound key of a supported kind; null otherwise (the caller
 * reports `public_key_invalid`). In order: only the labels its type defines, kty and crv as its alg
 * requires, then the key itself (public-key-checks.ts): ES256 a point of P-256, EdDSA a canonical
 * Ed25519 point not of small order, RS256 a modulus of 2048–16384 bits and an exponent 2^16 < e < 2^256.
 */
export function coseKeyToJwk(key: CoseKey): PublicKeyJwk | null {
  const jwk = judgedJwk(key);
  if (jwk === null) return null;
  // Frozen and remembered: the verifier that receives this very object need not judge it again (isValidPublicKeyJwk).
  JUDGED.add(Object.freeze(jwk));
  return jwk;
}

/**
 * JWKs this module built from a key that passed every rule. Frozen, so they still are what was judged;
 * a WeakSet, so they go with the sign-in that made them. Halves the work of a sign-in, where the
 * ceremony and then the signature verifier each want the key judged (an Ed25519 check costs ~250 µs).
 */
const JUDGED = new WeakSet<PublicKeyJwk>();

function judgedJwk(key: CoseKey): PublicKeyJwk | null {
  if (!hasOnlyPublicKeyLabels(key)) return null;
  if (key.alg === COSE_ALG_ES256) {
    if (key.kty !== COSE_KTY_EC2 || key.crv !== COSE_CRV_P256 || key.x === null || key.y === null) return null;
    if (!isP256PublicKey(key.x, key.y)) return null;
    return { alg: COSE_ALG_ES256, kty: "EC", crv: "P-256", x: toBase64Url(key.x), y: toBase64Url(key.y) };
  }
  if (key.alg === COSE_ALG_EDDSA) {
    if (key.kty !== COSE_KTY_OKP || key.crv !== COSE_CRV_ED25519 || key.x === null) return null;
    if (!isEd25519PublicKey(key.x)) return null;
    return { alg: COSE_ALG_EDDSA, kty: "OKP", crv: "Ed25519", x: toBase64Url(key.x) };
  }
  if (key.alg === COSE_ALG_RS256) {
    if (key.kty !== COSE_KTY_RSA || key.n === null || key.e === null) return null;
    if (!isRsaPublicKey(key.n, key.e)) return null;
    return { alg: COSE_ALG_RS256, kty: "RSA", n: toBase64Url(key.n), e: toBase64Url(key.e) };
  }
  return null;
}

/**
 * Parses stored COSE bytes straight to a JWK: the sign-in path. The key is judged again, exactly as at
 * registration, so that a key stored before a rule existed (or written by other means) signs nothing in.
 */
export function parsePublicKey(cose: Uint8Array): PublicKeyJwk | null {
  const read = readCoseKey(cose);
  return read === null || read.size !== cose.length ? null : coseKeyToJwk(read.key);
}

/**
 * The same judgement on a JWK, for the signature verifiers: they refuse any key registration would
 * refuse, whoever built it. At run time a JWK may carry what its type rules out (a kty that does not go
 * with its alg, text that is not base64url), so each member is checked, not assumed.
 */
export function isValidPublicKeyJwk(jwk: PublicKeyJwk): boolean {
  if (JUDGED.has(jwk)) return true;
  if (jwk.alg === COSE_ALG_ES256 && jwk.kty === "EC" && jwk.crv === "P-256") {
    const x = fromBase64Url(jwk.x);
    const y = fromBase64Url(jwk.y);
    return x !== null && y !== null && isP256PublicKey(x, y);
  }
  if (jwk.alg === COSE_ALG_EDDSA && jwk.kty === "OKP" && jwk.crv === "Ed25519") {
    const x = fromBase64Url(jwk.x);
    return x !== null && isEd25519PublicKey(x);
  }
  if (jwk.alg === COSE_ALG_RS256 && jwk.kty === "RSA") {
    const n = fromBase64Url(jwk.n);
    const e = fromBase64Url(jwk.e);
    return n !== null && e !== null && isRsaPublicKey(n, e);
  }
  return false;
}
