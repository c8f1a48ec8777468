/**
 * The cursor of a page of a user's security events, shared by the event-log adapters: base64url JSON of
 * `{u, k}`, where `k` is the position the next page starts after and `u` binds the cursor to its user
 * without putting the handle into a URL (cursors travel in query strings, hence request logs): the first
 * 128 bits of the handle's SHA-256 digest. Not a secret, and it need not be: a listing reads only the
 * caller's trail whatever the cursor says (ADR 0020). Runtime-neutral (no `node:*`), as the in-memory
 * adapter must be.
 */
import { sha256 } from "@oslojs/crypto/sha2";
import { toBase64Url, utf8Bytes } from "../../domain/encoding/bytes.js";
import { decodeJsonCursor, encodeJsonCursor, isKeyText } from "./json-cursor.js";

/** Positions are sixteen digits (the event's time), '#', and an event id. */
const POSITION = /^\d{16}#./su;

export function ownerTag(userHandle: string): string {
  return toBase64Url(sha256(utf8Bytes(userHandle))).slice(0, 22);
}

export function encodeEventCursor(userHandle: string, position: string): string {
  return encodeJsonCursor({ u: ownerTag(userHandle), k: position });
}

/**
 * The position a cursor points after, or null when it is not a cursor made for this user: not canonical
 * base64url of a JSON object with exactly `u` (this user's tag) and `k` (a position of at most
 * `maxPositionBytes` UTF-8 bytes, without lone surrogates).
 */
export function decodeEventCursor(cursor: string, userHandle: string, maxPositionBytes = 1_000): string | null {
  const fields = decodeJsonCursor(cursor, ["u", "k"]);
  if (fields === null || fields.u !== ownerTag(userHandle)) return null;
  if (!POSITION.test(fields.k) || !isKeyText(fields.k, maxPositionBytes)) return null;
  return fields.k;
}
