/** Checks on the credential envelope common to both ceremonies (WebAuthn §7.1 step 3, §7.2 step 4). */
import type { Check } from "../../result.js";

/** `id` must be the base64url form of `rawId`: one credential, not two spliced together. */
export function checkIdMatchesRawId(id: string, rawIdText: string): Check<"id_mismatch"> {
  return id === rawIdText ? null : "id_mismatch";
}

export function checkCredentialType(type: string): Check<"credential_type_invalid"> {
  return type === "public-key" ? null : "credential_type_invalid";
}
