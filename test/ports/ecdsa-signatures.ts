/**
 * An independent, deliberately simple DER encoder for ECDSA signatures (SEQUENCE { INTEGER r,
 * INTEGER s }), used to build valid and malformed signatures for the verifier contract and the
 * derToP1363 tests. Built with BigInt arithmetic, unrelated to the production decoder.
 */

/** The order of the P-256 group: a valid s lies in [1, n - 1]. */
export const P256_ORDER = 0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551n;

export function bytesToBigInt(bytes: Uint8Array): bigint {
  let n = 0n;
  for (const byte of bytes) n = (n << 8n) | BigInt(byte);
  return n;
}

/** Big-endian bytes of a non-negative integer: minimal (at least one byte), or left-padded to `width`. */
export function bigIntToBytes(value: bigint, width?: number): Uint8Array {
  if (value < 0n) throw new RangeError("negative");
  const out: number[] = [];
  for (let v = value; v > 0n; v >>= 8n) out.unshift(Number(v & 0xffn));
  if (out.length === 0) out.push(0);
  if (width !== undefined) {
    if (out.length > width) throw new RangeError("too wide");
    while (out.length < width) out.unshift(0);
  }
  return Uint8Array.from(out);
}

/** A DER TLV with a short-form length (every ECDSA P-256 part is under 128 bytes). */
export function tlv(tag: number, content: Uint8Array): Uint8Array {
  if (content.length >= 0x80) throw new RangeError("long form not needed here");
  return Uint8Array.from([tag, content.length, ...content]);
}

/** The minimal DER INTEGER content of a non-negative integer: a 0x00 pad only when the top bit is set. */
export function integerContent(value: bigint): Uint8Array {
  const bytes = bigIntToBytes(value);
  return bytes[0]! & 0x80 ? Uint8Array.from([0, ...bytes]) : bytes;
}

export function derSignature(r: bigint, s: bigint): Uint8Array {
  return tlv(0x30, Uint8Array.from([...tlv(0x02, integerContent(r)), ...tlv(0x02, integerContent(s))]));
}

/** The same signature in IEEE P1363 form: r ‖ s, 32 bytes each. */
export function p1363Signature(r: bigint, s: bigint, size = 32): Uint8Array {
  return Uint8Array.from([...bigIntToBytes(r, size), ...bigIntToBytes(s, size)]);
}

export function splitP1363(signature: Uint8Array): { r: bigint; s: bigint } {
  const half = signature.length / 2;
  return { r: bytesToBigInt(signature.subarray(0, half)), s: bytesToBigInt(signature.subarray(half)) };
}

/** Reads r and s out of a well-formed DER signature (short-form lengths only; it trusts its input). */
export function parseDerSignature(der: Uint8Array): { r: bigint; s: bigint; rContent: Uint8Array; sContent: Uint8Array } {
  const rLength = der[3]!;
  const rContent = der.subarray(4, 4 + rLength);
  const sLength = der[5 + rLength]!;
  const sContent = der.subarray(6 + rLength, 6 + rLength + sLength);
  return { r: bytesToBigInt(rContent), s: bytesToBigInt(sContent), rContent, sContent };
}
