/** Checks on the ceremony session a response answers (single use and expiry, ADR 0004). */
import type { CeremonySession, EpochMillis } from "../model.js";
import type { Check } from "../result.js";

export function checkSessionFound<K extends CeremonySession["kind"]>(
  session: CeremonySession | null,
  kind: K,
): Check<"session_not_found"> {
  // A session of the other ceremony is as good as no session: its challenge was not issued for this.
  return session !== null && session.kind === kind ? null : "session_not_found";
}

export function checkSessionNotExpired(expiresAt: EpochMillis, now: EpochMillis): Check<"session_expired"> {
  return now < expiresAt ? null : "session_expired";
}
