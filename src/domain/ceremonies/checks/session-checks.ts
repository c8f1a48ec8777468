/** Checks on the ceremony session a response answers (single use and expiry, ADR 0004). */
import type { CeremonySession, EpochMillis } from "../../model.js";
import type { Check } from "../../result.js";

/** The session exists and belongs to this ceremony; a session of the other ceremony is as good as none (its challenge was not issued for this). */
export function isSessionOfKind<K extends CeremonySession["kind"]>(
  session: CeremonySession | null,
  kind: K,
): session is Extract<CeremonySession, { readonly kind: K }> {
  return session !== null && session.kind === kind;
}

export function checkSessionFound<K extends CeremonySession["kind"]>(session: CeremonySession | null, kind: K): Check<"session_not_found"> {
  return isSessionOfKind(session, kind) ? null : "session_not_found";
}

export function checkSessionNotExpired(expiresAt: EpochMillis, now: EpochMillis): Check<"session_expired"> {
  return now < expiresAt ? null : "session_expired";
}

/**
 * Session ids and challenges keyport issues are base64url of exactly CHALLENGE_BYTES random bytes;
 * anything else names no session, and is refused before it reaches a store (where an empty or
 * oversized key would be a storage error, not an answer).
 */
export function checkSessionIdShape(id: unknown, expectedLength: number): Check<"session_not_found"> {
  return typeof id === "string" && id.length === expectedLength && /^[A-Za-z0-9_-]+$/.test(id) ? null : "session_not_found";
}
