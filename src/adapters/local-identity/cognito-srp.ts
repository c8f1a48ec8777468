/**
 * The server's half of Amazon Cognito's SRP-6a variant (USER_SRP_AUTH, and CUSTOM_AUTH started with
 * SRP_A), as Cognito's own clients compute the other half (amazon-cognito-identity-js, Amplify v6):
 * the 3072-bit group of RFC 5054 with g = 2, SHA-256 throughout, and every number hashed as the hex of
 * Java's `BigInteger.toByteArray()` (`padHex`). What Cognito adds to SRP-6a is the last step: the
 * client proves the shared key with an HMAC over the pool's name, the user, the server's secret block
 * and a timestamp, instead of SRP's M1. ADR 0024.
 *
 * Small pure functions over bigint and @oslojs/crypto, so that they run on any runtime. Modular
 * exponentiation with bigint takes a few milliseconds per 256-bit exponent and is not constant-time:
 * fit for a local server, not for a production identity provider.
 */
import { decodeBase64, decodeHex, encodeBase64 } from "@oslojs/encoding";
import { hmac } from "@oslojs/crypto/hmac";
import { SHA256, sha256 } from "@oslojs/crypto/sha2";
import { bigIntFromBytes, bytesEqual, utf8Bytes } from "../../domain/encoding/bytes.js";

/** RFC 5054 appendix A, the 3072-bit group: N, with g = 2 (RFC 3526 group 15). */
export const SRP_N = BigInt(
  "0x" +
    "FFFFFFFFFFFFFFFFC90FDAA22168C234C4C6628B80DC1CD129024E088A67CC74020BBEA63B139B22514A08798E3404DD" +
    "EF9519B3CD3A431B302B0A6DF25F14374FE1356D6D51C245E485B576625E7EC6F44C42E9A637ED6B0BFF5CB6F406B7ED" +
    "EE386BFB5A899FA5AE9F24117C4B1FE649286651ECE45B3DC2007CB8A163BF0598DA48361C55D39A69163FA8FD24CF5F" +
    "83655D23DCA3AD961C62F356208552BB9ED529077096966D670C354E4ABC9804F1746C08CA18217C32905E462E36CE3B" +
    "E39E772C180E86039B2783A2EC07A28FB5C55DF06F4C52C9DE2BCBF6955817183995497CEA956AE515D2261898FA0510" +
    "15728E5A8AAAC42DAD33170D04507A33A85521ABDF1CBA64ECFB850458DBEF0A8AEA71575D060C7DB3970F85A6E1E4C7" +
    "ABF5AE8CDB0933D71E8C94E04A25619DCEE3D2261AD2EE6BF12FFA06D98A0864D87602733EC86A64521F2B18177B200C" +
    "BBE117577A615D6C770988C0BAD946E208E24FA074E5AB3143DB5BFCE0FD108E4B82D120A93AD2CAFFFFFFFFFFFFFFFF",
);
export const SRP_G = 2n;

/**
 * The hex of a non-negative integer as Java's `BigInteger.toByteArray()` writes it, which every
 * hash of the protocol is taken over: an even number of digits, and a leading `00` byte when the top
 * bit is set (so that the number does not read as negative).
 */
export function padHex(value: bigint): string {
  if (value < 0n) throw new RangeError("padHex: SRP's numbers are never negative");
  let hex = value.toString(16);
  if (hex.length % 2 === 1) hex = `0${hex}`;
  return /^[89a-f]/.test(hex) ? `00${hex}` : hex;
}

/** `padHex` as bytes. */
function padBytes(value: bigint): Uint8Array {
  return decodeHex(padHex(value));
}

function concat(...parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

/** A SHA-256 digest read as a non-negative integer. */
const hashInt = (...parts: readonly Uint8Array[]): bigint => bigIntFromBytes(sha256(concat(...parts)));

/** base^exponent mod modulus, by square-and-multiply over bigint (not constant-time; see the file's comment). */
export function modPow(base: bigint, exponent: bigint, modulus: bigint): bigint {
  let result = 1n;
  let b = ((base % modulus) + modulus) % modulus;
  let e = exponent;
  while (e > 0n) {
    if ((e & 1n) === 1n) result = (result * b) % modulus;
    e >>= 1n;
    b = (b * b) % modulus;
  }
  return result;
}

/** k = H(padHex(N) | padHex(g)), SRP-6a's multiplier, as Cognito computes it. */
export const SRP_K = hashInt(padBytes(SRP_N), padBytes(SRP_G));

/** The pool's name in the protocol: the part of the user pool id after `_` (`us-east-1_abc` → `abc`). */
export function poolNameOf(userPoolId: string): string {
  const at = userPoolId.indexOf("_");
  if (at < 0) throw new RangeError(`not a user pool id: ${userPoolId}`);
  return userPoolId.slice(at + 1);
}

/**
 * A new SRP salt from 16 random bytes, as the hex a client will hash it by: the client parses SALT as a
 * number and hashes its `padHex`, so the salt is kept in that form (leading zero bytes would be lost).
 */
export function srpSaltFrom(randomBytes: Uint8Array): string {
  return padHex(bigIntFromBytes(randomBytes));
}

/** x = H(padHex(salt) | H(poolName | userIdForSrp | ":" | password)). */
function privateKeyOf(poolName: string, userIdForSrp: string, password: string, saltHex: string): bigint {
  const inner = sha256(utf8Bytes(`${poolName}${userIdForSrp}:${password}`));
  return hashInt(padBytes(BigInt(`0x${saltHex}`)), inner);
}

/**
 * The verifier v = g^x mod N kept for a user at sign-up (PasswordCredential.srpVerifier), as lower-case
 * hex. Anyone holding it and the salt can test password guesses offline at the cost of two hashes and
 * one exponentiation each (ADR 0024): it is kept as carefully as a password hash.
 */
export function srpVerifier(poolName: string, userIdForSrp: string, password: string, saltHex: string): string {
  return modPow(SRP_G, privateKeyOf(poolName, userIdForSrp, password, saltHex), SRP_N).toString(16);
}

/** Reads a hex number of at most `maxDigits` digits; null for anything else. */
export function parseHexNumber(text: string, maxDigits = 2048): bigint | null {
  if (text.length === 0 || text.length > maxDigits || !/^[0-9a-fA-F]+$/.test(text)) return null;
  return BigInt(`0x${text}`);
}

/**
 * The client's public value A (SRP_A), or null when it is not a hex number or is 0 mod N (a client
 * sending A ≡ 0 would force the shared secret to 0 and sign in without the password).
 */
export function parseClientPublic(text: string): bigint | null {
  const a = parseHexNumber(text);
  if (a === null || a % SRP_N === 0n) return null;
  return a;
}

/** B = (k·v + g^b) mod N, the server's public value (SRP_B); the caller draws another b when it is 0. */
export function serverPublic(verifier: bigint, b: bigint): bigint {
  return (SRP_K * verifier + modPow(SRP_G, b, SRP_N)) % SRP_N;
}

/**
 * The key both sides derive: u = H(padHex(A) | padHex(B)), S = (A·v^u)^b mod N, and the first 16 bytes
 * of HKDF-SHA256 with ikm = padHex(S), salt = padHex(u) and info "Caldera Derived Key". Null when u is 0
 * (a client refuses that B, so no claim can come for it).
 */
export function passwordAuthenticationKey(input: { readonly a: bigint; readonly b: bigint; readonly bPublic: bigint; readonly verifier: bigint }): Uint8Array | null {
  const u = hashInt(padBytes(input.a), padBytes(input.bPublic));
  if (u === 0n) return null;
  const s = modPow((input.a % SRP_N) * modPow(input.verifier, u, SRP_N), input.b, SRP_N);
  return hkdfSha256First16(padBytes(s), padBytes(u), utf8Bytes("Caldera Derived Key"));
}

/** HKDF-SHA256 (RFC 5869) for one block, truncated to 16 bytes, as Cognito's clients compute it. */
function hkdfSha256First16(ikm: Uint8Array, salt: Uint8Array, info: Uint8Array): Uint8Array {
  const prk = hmac(SHA256, salt, ikm);
  return hmac(SHA256, prk, concat(info, Uint8Array.of(1))).slice(0, 16);
}

/** The claim a client proves the key with: HMAC-SHA256(key, poolName | userIdForSrp | secretBlock | timestamp). */
export function passwordClaim(key: Uint8Array, poolName: string, userIdForSrp: string, secretBlock: Uint8Array, timestamp: string): Uint8Array {
  return hmac(SHA256, key, concat(utf8Bytes(poolName), utf8Bytes(userIdForSrp), secretBlock, utf8Bytes(timestamp)));
}

/**
 * Whether PASSWORD_CLAIM_SIGNATURE (base64) is the claim expected, compared in constant time. A
 * signature that is not base64 is simply wrong.
 */
export function claimMatches(signatureBase64: string, expected: Uint8Array): boolean {
  let given: Uint8Array;
  try {
    given = decodeBase64(signatureBase64);
  } catch {
    return false;
  }
  return given.length === expected.length && bytesEqual(given, expected);
}

/** SECRET_BLOCK as Cognito sends it: standard base64. */
export const encodeSecretBlock = (bytes: Uint8Array): string => encodeBase64(bytes);

const WEEKDAYS = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"] as const;
const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"] as const;

/**
 * A time as Cognito's clients write TIMESTAMP (Java's `EEE MMM d HH:mm:ss z yyyy`, always UTC, in
 * English): "Tue Dec 1 09:05:09 UTC 2026", the day of the month not padded.
 */
export function formatSrpTimestamp(ms: number): string {
  const d = new Date(ms);
  const two = (n: number) => String(n).padStart(2, "0");
  return `${WEEKDAYS[d.getUTCDay()]} ${MONTHS[d.getUTCMonth()]} ${d.getUTCDate()} ${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())} UTC ${d.getUTCFullYear()}`;
}

const TIMESTAMP = new RegExp(
  `^(${WEEKDAYS.join("|")}) (${MONTHS.join("|")}) (0?[1-9]|[12][0-9]|3[01]) ([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9] UTC [0-9]{4}$`,
);

/** Whether TIMESTAMP has Cognito's format (a zero-padded day is read too, as Java's parser reads it). */
export function isSrpTimestamp(text: string): boolean {
  return TIMESTAMP.test(text);
}
