/**
 * WebCrypto verifies ECDSA signatures in IEEE P1363 form (r ‖ s, fixed width), but authenticators
 * send ASN.1 DER (`SEQUENCE { INTEGER r, INTEGER s }`). This converts strictly: anything that is not
 * exactly one minimal DER sequence of two positive integers of the right size is refused (null).
 */
export function derToP1363(der: Uint8Array, size: number): Uint8Array | null {
  if (der.length < 8 || der[0] !== 0x30) return null;
  const { length: seqLength, offset: seqStart } = readLength(der, 1) ?? { length: -1, offset: 0 };
  if (seqLength < 0 || seqStart + seqLength !== der.length) return null;
  const r = readInteger(der, seqStart, size);
  if (r === null) return null;
  const s = readInteger(der, r.next, size);
  if (s === null || s.next !== der.length) return null;
  const out = new Uint8Array(size * 2);
  out.set(r.value, size - r.value.length);
  out.set(s.value, size * 2 - s.value.length);
  return out;
}

function readLength(der: Uint8Array, at: number): { length: number; offset: number } | null {
  const first = der[at];
  if (first === undefined) return null;
  if (first < 0x80) return { length: first, offset: at + 1 };
  if (first === 0x81) {
    const value = der[at + 1];
    return value === undefined || value < 0x80 ? null : { length: value, offset: at + 2 };
  }
  return null; // ECDSA P-256 signatures are far shorter than 256 bytes.
}

function readInteger(der: Uint8Array, at: number, size: number): { value: Uint8Array; next: number } | null {
  if (der[at] !== 0x02) return null;
  const header = readLength(der, at + 1);
  if (header === null || header.length === 0) return null;
  const end = header.offset + header.length;
  if (end > der.length) return null;
  let value = der.subarray(header.offset, end);
  if (value[0]! & 0x80) return null; // negative
  if (value.length > 1 && value[0] === 0 && !(value[1]! & 0x80)) return null; // not minimal
  if (value[0] === 0 && value.length > 1) value = value.subarray(1);
  if (value.length > size) return null;
  return { value, next: end };
}
