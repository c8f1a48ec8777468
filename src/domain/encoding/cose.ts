import { fromBase64Url, toBase64Url } from "./bytes.js";
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
 */
export function readCoseKey(data: Uint8Array): { key: CoseKey; size: number } | null {
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
