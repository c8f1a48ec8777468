/** Checks on who is calling, for ceremonies a signed-in user starts (adding a passkey). */
import type { EpochMillis } from "../../model.js";
import type { Check } from "../../result.js";

/**
 * The user proved who they are recently enough for a sensitive action: `authenticatedAt` (the ID
 * token's `auth_time`, which a refresh keeps) is at most `maxAgeMs` ago. A token that does not say
 * when its user signed in is never recent. A sign-in a little in the future (clock skew) is recent.
 */
export function checkRecentSignIn(authenticatedAt: EpochMillis | null, now: EpochMillis, maxAgeMs: number): Check<"reauthentication_required"> {
  return authenticatedAt !== null && now - authenticatedAt <= maxAgeMs ? null : "reauthentication_required";
}

/**
 * A registration a signed-in user started is finished by that same user: the session id alone is not
 * a capability to add a passkey to their account. A sign-up (no identity user yet) needs no caller.
 */
export function checkSameCaller(
  startedBy: string | null,
  caller: { readonly identityUserId: string } | null,
): Check<"token_missing" | "registration_identity_mismatch"> {
  if (startedBy === null) return null;
  if (caller === null) return "token_missing";
  return caller.identityUserId === startedBy ? null : "registration_identity_mismatch";
}
