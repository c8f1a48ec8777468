/**
 * The reference base64url codec: keyport's codec as it was before the table-driven one (@oslojs/encoding
 * behind the same strict checks), kept as the oracle that src/domain/encoding/bytes.ts must equal on
 * every input, the refusals included.
 */
import { decodeBase64urlIgnorePadding, encodeBase64urlNoPadding } from "@oslojs/encoding";

export const referenceToBase64Url = (bytes: Uint8Array): string => encodeBase64urlNoPadding(bytes);

const BASE64URL = /^[A-Za-z0-9_-]*$/;

export function referenceFromBase64Url(text: string): Uint8Array | null {
  if (!BASE64URL.test(text) || text.length % 4 === 1) return null;
  try {
    return decodeBase64urlIgnorePadding(text);
  } catch {
    return null;
  }
}
