/**
 * The cursor of a page of a user's security events, shared by the event-log adapters: base64url JSON of
 * `{u, k}`, where `k` is the position the next page starts after and `u` binds the cursor to its user
 * without putting the handle into a URL (cursors travel in query strings, hence request logs): the first
 * 128 bits of the handle's SHA-256 digest. Not a secret, and it need not be: a listing reads only the
 * caller's trail whatever the cursor says (ADR 0020). Runtime-neutral (no `node:*`), as the in-memory
 * adapter must be.
 */
import { sha256 } from "@oslojs/crypto/sha2";
import { fromBase64Url, toBase64Url, utf8Bytes } from "../../domain/encoding/bytes.js";

/** Longer than any cursor made here; anything longer is refused before it is decoded. */
const MAX_CURSOR_LENGTH = 2_048;
/** Positions are sixteen digits (the event's time), '#', and an event id. */
const POSITION = /^\d{16}#./su;
const LONE_SURROGATE = /[\uD800-\uDFFF]/u;

export function ownerTag(userHandle: string): string {
  return toBase64Url(sha256(utf8Bytes(userHandle))).slice(0, 22);
}

export function encodeEventCursor(userHandle: string, position: string): string {
  return toBase64Url(utf8Bytes(JSON.stringify({ u: ownerTag(userHandle), k: position })));
}

/**
 * The position a cursor points after, or null when it is not a cursor made for this user: not canonical
 * base64url of a JSON object with exactly `u` (this user's tag) and `k` (a position of at most
 * `maxPositionBytes` UTF-8 bytes, without lone surrogates).
 */
export function decodeEventCursor(cursor: string, userHandle: string, maxPositionBytes = 1_000): string | null {
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
  const u = fields.find(([name]) => name === "u")?.[1];
  const k = fields.find(([name]) => name === "k")?.[1];
  if (fields.length !== 2 || u !== ownerTag(userHandle) || typeof k !== "string") return null;
  if (!POSITION.test(k) || LONE_SURROGATE.test(k) || utf8Bytes(k).length > maxPositionBytes) return null;
  return k;
}
