/**
 * A strict reader for the one CBOR shape a COSE_Key takes in WebAuthn: a map whose labels are integers
 * and whose values are integers, byte strings or text strings, in the CTAP2 canonical CBOR encoding
 * form that WebAuthn §6.5.1 requires of the credential public key (every head as short as its argument
 * allows, definite lengths only, no label twice). Anything else makes the whole map unreadable (null):
 * a text or float label (a text "1" is not the label 1, RFC 9052 §7), a float, tagged or simple value,
 * an array or nested map, a longer head than needed, an indefinite length. The order of the labels is
 * not judged.
 *
 * @oslojs/cbor's native decoding cannot tell these apart: it turns labels into text, so "1" and 1
 * collide, turns floats into numbers, so -7.0 passes for -7, and does not say how a head was spelled.
 */
import { bigIntFromBytes, byteAt } from "./bytes.js";

export type CborScalar =
  | { readonly type: "integer"; readonly value: bigint }
  | { readonly type: "bytes"; readonly value: Uint8Array }
  | { readonly type: "text"; readonly value: string };

export interface IntegerKeyedMap {
  /** The entries, in the order they were sent. */
  readonly entries: ReadonlyMap<bigint, CborScalar>;
  /** How many bytes the map took from the start of the input. */
  readonly size: number;
}

interface Head {
  readonly major: number;
  readonly argument: bigint;
  readonly size: number;
}

/** RFC 8949 §3: additional information 24–27 announce an argument of 1, 2, 4 or 8 bytes. */
const ARGUMENT_BYTES: ReadonlyMap<number, number> = new Map([
  [24, 1],
  [25, 2],
  [26, 4],
  [27, 8],
]);

/** A data item's head (RFC 8949 §3), when it is in its shortest form (§4.2.1); null otherwise. */
function readHead(data: Uint8Array, offset: number): Head | null {
  if (offset >= data.length) return null;
  const initial = byteAt(data, offset);
  const major = initial >> 5;
  const info = initial & 0x1f;
  if (info < 24) return { major, argument: BigInt(info), size: 1 };
  const width = ARGUMENT_BYTES.get(info);
  // 28–30 are reserved, and 31 marks an indefinite length: neither is canonical.
  if (width === undefined || offset + 1 + width > data.length) return null;
  const argument = bigIntFromBytes(data.subarray(offset + 1, offset + 1 + width));
  // A one-byte argument only from 24 up, a two-byte one only from 2^8 up, and so on.
  const shortest = width === 1 ? 24n : 1n << BigInt(4 * width);
  return argument < shortest ? null : { major, argument, size: 1 + width };
}

const utf8 = new TextDecoder("utf-8", { fatal: true });

function readScalar(data: Uint8Array, offset: number): { readonly value: CborScalar; readonly size: number } | null {
  const head = readHead(data, offset);
  if (head === null) return null;
  if (head.major === 0) return { value: { type: "integer", value: head.argument }, size: head.size };
  if (head.major === 1) return { value: { type: "integer", value: -1n - head.argument }, size: head.size };
  if (head.major !== 2 && head.major !== 3) return null;
  const start = offset + head.size;
  if (head.argument > BigInt(data.length - start)) return null;
  const content = data.slice(start, start + Number(head.argument));
  const size = head.size + content.length;
  if (head.major === 2) return { value: { type: "bytes", value: content }, size };
  try {
    return { value: { type: "text", value: utf8.decode(content) }, size };
  } catch {
    return null;
  }
}

/**
 * Reads the map at the start of `data` (bytes may follow it: attested credential data can be followed
 * by extensions). Null unless it is a canonical map of integer labels to integers, byte strings or text.
 */
export function readIntegerKeyedMap(data: Uint8Array): IntegerKeyedMap | null {
  const head = readHead(data, 0);
  if (head === null || head.major !== 5) return null;
  const entries = new Map<bigint, CborScalar>();
  let offset = head.size;
  // Every entry takes at least two bytes, so a count larger than the input stops at its end.
  for (let i = 0n; i < head.argument; i++) {
    const label = readScalar(data, offset);
    if (label === null || label.value.type !== "integer" || entries.has(label.value.value)) return null;
    const value = readScalar(data, offset + label.size);
    if (value === null) return null;
    entries.set(label.value.value, value.value);
    offset += label.size + value.size;
  }
  return { entries, size: offset };
}
