/** Checks specific to authentication (WebAuthn §7.2 steps 5–7, 19, 22–23). */
import type { StoredCredential } from "../../model.js";
import type { Check } from "../../result.js";

/** §7.2 step 5: a session that offered credentials accepts only those. */
export function checkCredentialAllowed(credentialId: string, allowCredentials: readonly string[]): Check<"credential_not_allowed"> {
  return allowCredentials.length === 0 || allowCredentials.includes(credentialId) ? null : "credential_not_allowed";
}

export function checkCredentialFound(credential: StoredCredential | null): Check<"credential_not_found"> {
  return credential === null ? "credential_not_found" : null;
}

/**
 * §7.2 step 6. When the user was named before the ceremony, the credential must be theirs, and a
 * `userHandle`, if sent, must be theirs too. When nobody was named (discoverable), the authenticator
 * must say whose credential it is, and say it truthfully.
 */
export function checkCredentialOwner(
  credential: StoredCredential,
  expectedUserHandle: string | null,
  responseUserHandle: string | null,
): Check<"user_handle_missing" | "user_handle_mismatch"> {
  if (expectedUserHandle !== null && credential.userHandle !== expectedUserHandle) return "user_handle_mismatch";
  if (expectedUserHandle === null && responseUserHandle === null) return "user_handle_missing";
  if (responseUserHandle !== null && responseUserHandle !== credential.userHandle) return "user_handle_mismatch";
  return null;
}

/** §6.1.3: backup eligibility is fixed when the credential is created; a change means another authenticator. */
export function checkBackupEligibilityUnchanged(registered: boolean, now: boolean): Check<"backup_eligibility_changed"> {
  return registered === now ? null : "backup_eligibility_changed";
}

export function checkSignature(valid: boolean): Check<"signature_invalid"> {
  return valid ? null : "signature_invalid";
}

/**
 * §7.2 step 23 / §6.1.1: if either counter is non-zero the new one must be greater; a counter that did
 * not increase signals a cloned authenticator. Authenticators that never count send zero forever.
 */
export function checkCounterIncreased(received: number, stored: number): Check<"counter_not_increased"> {
  return (received > 0 || stored > 0) && received <= stored ? "counter_not_increased" : null;
}
