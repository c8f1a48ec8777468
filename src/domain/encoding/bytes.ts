/**
 * Byte helpers for the domain, in plain JavaScript so that every runtime has them (no Buffer, no atob).
 *
 * base64url is table-driven: one typed-array read per character, each way. A sign-in decodes five
 * members and encodes a key, and the per-character work of a general decoder (a property lookup, a
 * string per character, an exception for bad input) used to cost ~10% of it. The reference it must
 * equal on every input, accepted or refused, is the decoder of @oslojs/encoding behind the strict
 * checks below (test/domain/encoding/base64url-reference.ts and its property tests).
 */

const ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/** 6-bit value → its letter's character code. */
const LETTER_CODES = Uint8Array.from(ALPHABET, (letter) => letter.charCodeAt(0));

/** Marks a character outside the alphabet: above every 6-bit value, so OR-ing sextets exposes it. */
const INVALID = 0x80;

/** Character code (below 128) → its 6-bit value, INVALID for every other code (`=`, `+`, `/` included). */
const SEXTETS = new Uint8Array(128).fill(INVALID);
LETTER_CODES.forEach((code, value) => {
  SEXTETS[code] = value;
});

/**
 * Where `toBase64Url` writes letter codes before turning them into a string in one step. Encoding is
 * synchronous, so no two calls share it at once; longer inputs get an array of their own.
 */
const SCRATCH = new Uint8Array(1024);
const ascii = new TextDecoder();

/** base64url without padding: the encoding of every binary value keyport sends or stores as text. */
export function toBase64Url(bytes: Uint8Array): string {
  const size = Math.ceil((bytes.length * 4) / 3);
  const out = size <= SCRATCH.length ? SCRATCH : new Uint8Array(size);
  const rest = bytes.length % 3;
  const whole = bytes.length - rest;
  let o = 0;
  for (let i = 0; i < whole; i += 3) {
    const n = (byteAt(bytes, i) << 16) | (byteAt(bytes, i + 1) << 8) | byteAt(bytes, i + 2);
    out[o++] = letter(n >> 18);
    out[o++] = letter((n >> 12) & 63);
    out[o++] = letter((n >> 6) & 63);
    out[o++] = letter(n & 63);
  }
  if (rest === 1) {
    const n = byteAt(bytes, whole);
    out[o++] = letter(n >> 2);
    out[o++] = letter((n & 0x03) << 4);
  } else if (rest === 2) {
    const n = (byteAt(bytes, whole) << 8) | byteAt(bytes, whole + 1);
    out[o++] = letter(n >> 10);
    out[o++] = letter((n >> 4) & 63);
    out[o++] = letter((n & 0x0f) << 2);
  }
  // Every code is ASCII, which UTF-8 decodes to the same characters (the one decoding every runtime has).
  return ascii.decode(out.subarray(0, o));
}

/** The letter of a 6-bit value (always one: callers mask to 6 bits). */
function letter(value: number): number {
  return LETTER_CODES[value] ?? 0;
}

/** The 6-bit value of the character at `index`, or INVALID; `index` is within `text`. */
function sextet(text: string, index: number): number {
  const code = text.charCodeAt(index);
  return code < 128 ? (SEXTETS[code] ?? INVALID) : INVALID;
}

/**
 * Strict decoding: only the 64 letters (no padding, no `+` or `/`, no whitespace), no length of 4n + 1
 * (which no bytes encode to), and no set spare bits in the last letter (2 letters hold one byte and 4
 * spare bits, 3 letters two bytes and 2), so that each byte string has exactly one accepted spelling
 * and text can be compared as text. Anything else is null. One
 * pass checks and decodes: the OR of every sextet reaches INVALID as soon as one character is outside
 * the alphabet, and the bytes written until then are dropped.
 */
export function fromBase64Url(text: string): Uint8Array | null {
  const rest = text.length & 3;
  if (rest === 1) return null;
  const whole = text.length - rest;
  const out = new Uint8Array((whole / 4) * 3 + (rest === 0 ? 0 : rest - 1));
  let all = 0;
  let o = 0;
  for (let i = 0; i < whole; i += 4) {
    const a = sextet(text, i);
    const b = sextet(text, i + 1);
    const c = sextet(text, i + 2);
    const d = sextet(text, i + 3);
    all |= a | b | c | d;
    const n = (a << 18) | (b << 12) | (c << 6) | d;
    out[o++] = n >> 16;
    out[o++] = n >> 8;
    out[o++] = n;
  }
  if (rest !== 0) {
    const a = sextet(text, whole);
    const b = sextet(text, whole + 1);
    const c = rest === 3 ? sextet(text, whole + 2) : 0;
    all |= a | b | c;
    if (((rest === 3 ? c : b) & (rest === 3 ? 0x03 : 0x0f)) !== 0) return null;
    const n = (a << 18) | (b << 12) | (c << 6);
    out[o++] = n >> 16;
    if (rest === 3) out[o] = n >> 8;
  }
  // A byte of `out` keeps only the low 8 bits written to it, so an INVALID sextet spoils nothing before it is seen here.
  return all < INVALID ? out : null;
}

export function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  // Every byte is compared, whatever the first difference, so the time taken says nothing of where it is.
  for (let i = 0; i < a.length; i++) diff |= byteAt(a, i) ^ byteAt(b, i);
  return diff === 0;
}

/** The byte at `index`; reading past the end is a bug, not a value. */
export function byteAt(bytes: Uint8Array, index: number): number {
  const byte = bytes[index];
  if (byte === undefined) throw new RangeError(`byte ${index} of ${bytes.length}`);
  return byte;
}

/** Bits in a big-endian unsigned integer, ignoring leading zero bytes. */
export function bitLength(value: Uint8Array): number {
  let i = 0;
  while (i < value.length && value[i] === 0) i++;
  if (i === value.length) return 0;
  return (value.length - i - 1) * 8 + (32 - Math.clz32(byteAt(value, i)));
}

/**
 * A big-endian unsigned integer as a bigint (no bytes: 0). Read 64 bits at a time: shifting a bigint in
 * byte by byte makes a new bigint per byte, ~5× slower for the 32-byte coordinates a sign-in judges.
 */
export function bigIntFromBytes(value: Uint8Array): bigint {
  const view = new DataView(value.buffer, value.byteOffset, value.byteLength);
  const head = value.length % 8;
  let result = 0n;
  for (let i = 0; i < head; i++) result = (result << 8n) | BigInt(byteAt(value, i));
  for (let i = head; i < value.length; i += 8) result = (result << 64n) | view.getBigUint64(i);
  return result;
}

export function concatBytes(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a, 0);
  out.set(b, a.length);
  return out;
}

const utf8 = new TextEncoder();
export const utf8Bytes = (text: string): Uint8Array => utf8.encode(text);
