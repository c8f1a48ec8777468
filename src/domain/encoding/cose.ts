import { decodeCBORToNativeValue } from "@oslojs/cbor";
import { byteAt, toBase64Url } from "./bytes.js";
import type { CoseAlgorithmIdentifier } from "./webauthn-json.js";

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

export const MIN_RSA_MODULUS_BITS = 2048;

/** A COSE_Key as read from CBOR: fields typed, values not yet judged. */
export interface CoseKey {
  readonly kty: number;
  readonly alg: number;
  readonly crv: number | null;
  readonly x: Uint8Array | null;
  readonly y: Uint8Array | null;
  readonly n: Uint8Array | null;
  readonly e: Uint8Array | null;
}

/** A public key in JWK form, which both WebCrypto and node:crypto import directly. */
export type PublicKeyJwk =
  | { readonly alg: typeof COSE_ALG_ES256; readonly kty: "EC"; readonly crv: "P-256"; readonly x: string; readonly y: string }
  | { readonly alg: typeof COSE_ALG_EDDSA; readonly kty: "OKP"; readonly crv: "Ed25519"; readonly x: string }
  | { readonly alg: typeof COSE_ALG_RS256; readonly kty: "RSA"; readonly n: string; readonly e: string };

const int = (v: unknown): number | null => (typeof v === "number" && Number.isInteger(v) ? v : null);
const bytes = (v: unknown): Uint8Array | null => (v instanceof Uint8Array ? v : null);

/**
 * Reads a COSE_Key from the start of `data`; returns the key and how many bytes it took
 * (attested credential data may be followed by extensions), or null when it is not a COSE_Key.
 */
export function readCoseKey(data: Uint8Array): { key: CoseKey; size: number } | null {
  let decoded: unknown;
  let size: number;
  try {
    [decoded, size] = decodeCBORToNativeValue(data, 4);
  } catch {
    return null;
  }
  if (!isCborMap(decoded)) return null;
  const map = decoded;
  const kty = int(map["1"]);
  const alg = int(map["3"]);
  if (kty === null || alg === null) return null;
  const isRsa = kty === COSE_KTY_RSA;
  return {
    size,
    key: {
      kty,
      alg,
      crv: isRsa ? null : int(map["-1"]),
      x: isRsa ? null : bytes(map["-2"]),
      y: isRsa ? null : bytes(map["-3"]),
      n: isRsa ? bytes(map["-1"]) : null,
      e: isRsa ? bytes(map["-2"]) : null,
    },
  };
}

/** A CBOR map as @oslojs/cbor decodes it: a plain object whose keys are the labels as text. */
function isCborMap(value: unknown): value is Readonly<Record<string, unknown>> {
  return value !== null && typeof value === "object" && !Array.isArray(value) && !(value instanceof Uint8Array);
}

/** Bits in a big-endian unsigned integer, ignoring leading zero bytes. */
export function bitLength(value: Uint8Array): number {
  let i = 0;
  while (i < value.length && value[i] === 0) i++;
  if (i === value.length) return 0;
  return (value.length - i - 1) * 8 + (32 - Math.clz32(byteAt(value, i)));
}

/**
 * Turns a COSE key into a JWK when it is a well-formed key of a supported kind: ES256 on P-256,
 * Ed25519, or RSA of at least 2048 bits. null otherwise (the caller reports `public_key_invalid`).
 */
export function coseKeyToJwk(key: CoseKey): PublicKeyJwk | null {
  if (key.alg === COSE_ALG_ES256) {
    if (key.kty !== COSE_KTY_EC2 || key.crv !== COSE_CRV_P256) return null;
    if (key.x?.length !== 32 || key.y?.length !== 32) return null;
    return { alg: COSE_ALG_ES256, kty: "EC", crv: "P-256", x: toBase64Url(key.x), y: toBase64Url(key.y) };
  }
  if (key.alg === COSE_ALG_EDDSA) {
    if (key.kty !== COSE_KTY_OKP || key.crv !== COSE_CRV_ED25519 || key.x?.length !== 32) return null;
    return { alg: COSE_ALG_EDDSA, kty: "OKP", crv: "Ed25519", x: toBase64Url(key.x) };
  }
  if (key.alg === COSE_ALG_RS256) {
    if (key.kty !== COSE_KTY_RSA || key.n === null || key.e === null) return null;
    if (bitLength(key.n) < MIN_RSA_MODULUS_BITS || bitLength(key.e) === 0) return null;
    return { alg: COSE_ALG_RS256, kty: "RSA", n: toBase64Url(key.n), e: toBase64Url(key.e) };
  }
  return null;
}

/** Parses stored COSE bytes straight to a JWK (the sign-in path, where the key was judged at registration). */
export function parsePublicKey(cose: Uint8Array): PublicKeyJwk | null {
  const read = readCoseKey(cose);
  return read === null ? null : coseKeyToJwk(read.key);
}
