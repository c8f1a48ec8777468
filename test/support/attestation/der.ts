/**
 * A tiny DER *writer* for the certificate extensions attestation formats carry (TPM subjectAltName,
 * Android key description, Apple nonce). Test code only: it writes what a test asks for, including
 * things a conforming encoder never would, and checks nothing.
 */

function lengthBytes(length: number): Uint8Array {
  if (length < 0x80) return Uint8Array.of(length);
  const bytes: number[] = [];
  for (let n = length; n > 0; n = Math.floor(n / 256)) bytes.unshift(n % 256);
  return Uint8Array.of(0x80 | bytes.length, ...bytes);
}

/** The parts one after another (the test builders' one concatenation). */
export function concat(...parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

/** tag ‖ length ‖ content; `tag` is the identifier octets (several for tag numbers above 30). */
export function tlv(tag: number | readonly number[], ...content: readonly Uint8Array[]): Uint8Array {
  const body = concat(...content);
  return concat(Uint8Array.from(typeof tag === "number" ? [tag] : tag), lengthBytes(body.length), body);
}

export const sequence = (...items: readonly Uint8Array[]): Uint8Array => tlv(0x30, ...items);
export const set = (...items: readonly Uint8Array[]): Uint8Array => tlv(0x31, ...items);
export const octetString = (bytes: Uint8Array): Uint8Array => tlv(0x04, bytes);
export const utf8String = (text: string): Uint8Array => tlv(0x0c, new TextEncoder().encode(text));
export const derNull = (): Uint8Array => Uint8Array.of(0x05, 0x00);

/** An INTEGER (non-negative, minimal two's complement). */
export function integer(value: number): Uint8Array {
  const bytes: number[] = [];
  let n = value;
  do {
    bytes.unshift(n % 256);
    n = Math.floor(n / 256);
  } while (n > 0);
  if ((bytes[0] ?? 0) & 0x80) bytes.unshift(0);
  return tlv(0x02, Uint8Array.from(bytes));
}

export const enumerated = (value: number): Uint8Array => {
  const int = integer(value);
  int[0] = 0x0a;
  return int;
};

/** An OBJECT IDENTIFIER from its dotted form. */
export function oid(dotted: string): Uint8Array {
  const arcs = dotted.split(".").map(Number);
  const [first = 0, second = 0, ...rest] = arcs;
  const out: number[] = [first * 40 + second];
  for (const arc of rest) {
    const chunk: number[] = [arc & 0x7f];
    for (let n = Math.floor(arc / 128); n > 0; n = Math.floor(n / 128)) chunk.unshift(0x80 | (n & 0x7f));
    out.push(...chunk);
  }
  return tlv(0x06, Uint8Array.from(out));
}

/** The identifier octets of a context-specific tag `[number]`, constructed (EXPLICIT) unless told otherwise. */
export function contextTag(number: number, constructed = true): number[] {
  const base = 0x80 | (constructed ? 0x20 : 0);
  if (number < 31) return [base | number];
  const digits: number[] = [number & 0x7f];
  for (let n = Math.floor(number / 128); n > 0; n = Math.floor(n / 128)) digits.unshift(0x80 | (n & 0x7f));
  return [base | 0x1f, ...digits];
}

/** `[number] EXPLICIT inner`. */
export const explicit = (number: number, inner: Uint8Array): Uint8Array => tlv(contextTag(number), inner);
