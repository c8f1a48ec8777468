import { decodeBase64urlIgnorePadding, encodeBase64urlNoPadding } from "@oslojs/encoding";

/** base64url without padding: the encoding of every binary value keyport sends or stores as text. */
export const toBase64Url = (bytes: Uint8Array): string => encodeBase64urlNoPadding(bytes);

const BASE64URL = /^[A-Za-z0-9_-]*$/;

/** Strict decoding: standard base64 characters (`+`, `/`) and padding are refused, not tolerated. */
export function fromBase64Url(text: string): Uint8Array | null {
  if (!BASE64URL.test(text) || text.length % 4 === 1) return null;
  try {
    return decodeBase64urlIgnorePadding(text);
  } catch {
    return null;
  }
}

export function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  // Every byte is compared, whatever the first difference, so the time taken says nothing of where it is.
  a.forEach((byte, i) => {
    diff |= byte ^ byteAt(b, i);
  });
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

/** A big-endian unsigned integer as a bigint (no bytes: 0). */
export function bigIntFromBytes(value: Uint8Array): bigint {
  let result = 0n;
  for (const byte of value) result = (result << 8n) | BigInt(byte);
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
