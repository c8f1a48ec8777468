/**
 * What the adapters' page cursors share: base64url of a small JSON object. Reading one back is
 * untrusted input (cursors come in query strings and command lines), so it is read once here, strictly:
 * canonical base64url, valid UTF-8, one JSON object. Each cursor then checks its own fields.
 * Runtime-neutral (no `node:*`), as the in-memory adapters must be.
 */
import { fromBase64Url, toBase64Url, utf8Bytes } from "../../domain/encoding/bytes.js";

/** Longer than any cursor made here; anything longer is refused before it is decoded. */
const MAX_CURSOR_LENGTH = 2_048;
const LONE_SURROGATE = /[\uD800-\uDFFF]/u;

export function encodeJsonCursor(fields: Readonly<Record<string, string>>): string {
  return toBase64Url(utf8Bytes(JSON.stringify(fields)));
}

/** The cursor's fields when it is base64url JSON of an object with exactly the `names` given, each a string; else null. */
export function decodeJsonCursor<N extends string>(cursor: string, names: readonly N[]): Record<N, string> | null {
  if (cursor.length === 0 || cursor.length > MAX_CURSOR_LENGTH) return null;
  const bytes = fromBase64Url(cursor);
  if (bytes === null) return null;
  let parsed: unknown;
  try {
    parsed = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(bytes));
  } catch {
    return null;
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) return null;
  const fields = Object.entries(parsed);
  if (fields.length !== names.length) return null;
  const out: Partial<Record<N, string>> = {};
  for (const name of names) {
    const value = fields.find(([field]) => field === name)?.[1];
    if (typeof value !== "string") return null;
    out[name] = value;
  }
  // Every name was found with a string value above.
  return out as Record<N, string>;
}

/** Whether a decoded field is text a key may hold: no lone surrogates, at most `maxBytes` UTF-8 bytes. */
export function isKeyText(value: string, maxBytes: number): boolean {
  return !LONE_SURROGATE.test(value) && utf8Bytes(value).length <= maxBytes;
}
