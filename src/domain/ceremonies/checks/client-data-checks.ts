/** Checks on the collected client data (WebAuthn §7.1 steps 7–10, §7.2 steps 11–15). */
import type { ParsedClientData } from "../../encoding/parse-response.js";
import type { Check } from "../../result.js";

export function checkClientDataType(actual: ParsedClientData["type"], expected: ParsedClientData["type"]): Check<"client_data_type_mismatch"> {
  return actual === expected ? null : "client_data_type_mismatch";
}

/**
 * §7.1 step 8 / §7.2 step 12: the challenge as the client wrote it equals, as text, the base64url the
 * RP issued. Not decoded first: padding, `+` and `/`, or other trailing bits spell the same bytes
 * differently, and are not the challenge issued.
 */
export function checkChallenge(actual: string, expected: string): Check<"challenge_mismatch"> {
  return actual === expected ? null : "challenge_mismatch";
}

/** Exact match against the configured origins: no prefix, suffix or case folding. */
export function checkOrigin(origin: string, allowedOrigins: readonly string[]): Check<"origin_mismatch"> {
  return allowedOrigins.includes(origin) ? null : "origin_mismatch";
}

/** keyport never expects to be called from a cross-origin iframe. */
export function checkNotCrossOrigin(crossOrigin: boolean): Check<"cross_origin_not_allowed"> {
  return crossOrigin ? "cross_origin_not_allowed" : null;
}
