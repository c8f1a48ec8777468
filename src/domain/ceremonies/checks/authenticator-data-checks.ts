/** Checks on authenticator data (WebAuthn §7.1 steps 13–18, §7.2 steps 16–19). */
import { bytesEqual } from "../../encoding/bytes.js";
import type { Check } from "../../result.js";
import type { UserVerificationRequirement } from "../../encoding/webauthn-json.js";

export function checkRpIdHash(actual: Uint8Array, expected: Uint8Array): Check<"rp_id_hash_mismatch"> {
  return bytesEqual(actual, expected) ? null : "rp_id_hash_mismatch";
}

/**
 * Whether the response must show the user present: always, but for a conditional create (WebAuthn
 * Level 3 §7.1 step 15: "If options.mediation is not set to conditional, verify that the UP bit … is set").
 */
export type UserPresenceRequirement = "required" | "not_required";

export function checkUserPresent(userPresent: boolean, requirement: UserPresenceRequirement = "required"): Check<"user_not_present"> {
  return userPresent || requirement === "not_required" ? null : "user_not_present";
}

/** UV is demanded exactly when the options asked for `required`, so options and verification agree. */
export function checkUserVerified(userVerified: boolean, policy: UserVerificationRequirement): Check<"user_not_verified"> {
  return policy === "required" && !userVerified ? "user_not_verified" : null;
}

/** A credential that cannot be backed up cannot be backed up now (§6.1.3: BE=0, BS=1 is invalid). */
export function checkBackupFlags(backupEligible: boolean, backupState: boolean): Check<"backup_state_invalid"> {
  return !backupEligible && backupState ? "backup_state_invalid" : null;
}
