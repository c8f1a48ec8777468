/**
 * The cursor of a page of `CredentialStore.listUsers`, shared by the credential-store adapters:
 * base64url JSON of `{h}`, the user handle the next page starts after (in the in-memory store, handles
 * sort the listing; in DynamoDB, the user's PROFILE key is where the next Scan starts). Not a secret:
 * only the operator's tools list users. Runtime-neutral (no `node:*`), as the in-memory adapter must be.
 */
import { decodeJsonCursor, encodeJsonCursor, isKeyText } from "./json-cursor.js";

/** The most users one page holds (the port's bound). */
export const MAX_USER_PAGE = 1_000;
const MAX_HANDLE_BYTES = 1_000;

/** Throws a RangeError for a page size the port does not allow: a caller's bug, not a user's input. */
export function checkUserPageLimit(limit: number): void {
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_USER_PAGE) throw new RangeError(`limit ${limit} is not a whole number from 1 to ${MAX_USER_PAGE}`);
}

export function encodeUserCursor(userHandle: string): string {
  return encodeJsonCursor({ h: userHandle });
}

/**
 * The user handle a cursor points after, or null when it is not a cursor made here: canonical base64url
 * of a JSON object with exactly `h`, a non-empty string of at most 1000 UTF-8 bytes without lone surrogates.
 */
export function decodeUserCursor(cursor: string): string | null {
  const fields = decodeJsonCursor(cursor, ["h"]);
  if (fields === null || fields.h === "" || !isKeyText(fields.h, MAX_HANDLE_BYTES)) return null;
  return fields.h;
}
