/** Checks specific to registration (WebAuthn §7.1 steps 19–26; the attestation statement, steps 21–24, is ../attestation/). */
import { bytesEqual } from "../../encoding/bytes.js";
import { coseKeyToJwk, type CoseKey, type PublicKeyJwk } from "../../encoding/cose.js";
import { err, ok, type Check, type Result } from "../../result.js";
import type { CoseAlgorithmIdentifier, UserVerificationRequirement } from "../../encoding/webauthn-json.js";
import type { RegistrationMediation } from "../../model.js";
import type { UserPresenceRequirement } from "./authenticator-data-checks.js";

/** §7.1 step 26 / §6.1: credential IDs are at most 1023 bytes. */
export const MAX_CREDENTIAL_ID_BYTES = 1023;

/** §7.1 step 20: the credential's algorithm, when it is one the options offered. */
export function offeredAlgorithm(algorithm: number, offered: readonly CoseAlgorithmIdentifier[]): Result<CoseAlgorithmIdentifier, "algorithm_not_allowed"> {
  const match = offered.find((candidate) => candidate === algorithm);
  return match === undefined ? err("algorithm_not_allowed") : ok(match);
}

/**
 * §7.1 step 15 (Level 3): UP is verified only "if options.mediation is not set to conditional": an
 * automatic passkey upgrade is made without a prompt, and its authenticator SHOULD leave UP unset (ADR 0025).
 */
export function userPresenceFor(mediation: RegistrationMediation): UserPresenceRequirement {
  return mediation === "conditional" ? "not_required" : "required";
}

/**
 * The user verification a registration asks for: the relying party's, but never `required` for a
 * conditional create, which a client must refuse with a ConstraintError when it cannot verify the user
 * without a prompt (Level 3 §5.1.3); `preferred` asks the same where it can. Sign-in keeps the policy.
 */
export function registrationUserVerification(policy: UserVerificationRequirement, mediation: RegistrationMediation): UserVerificationRequirement {
  return mediation === "conditional" && policy === "required" ? "preferred" : policy;
}

/** The key must be usable: P-256 for ES256, Ed25519 for EdDSA, RSA of at least 2048 bits. */
export function checkPublicKey(key: CoseKey): Check<"public_key_invalid"> {
  return coseKeyToJwk(key) === null ? "public_key_invalid" : null;
}

/** The credential the authenticator attested is the one the client reports (`rawId`). */
export function checkAttestedCredentialIdMatches(attestedId: Uint8Array, rawId: Uint8Array): Check<"id_mismatch"> {
  return bytesEqual(attestedId, rawId) ? null : "id_mismatch";
}

export function checkCredentialIdLength(credentialId: Uint8Array): Check<"credential_id_too_long"> {
  return credentialId.length > MAX_CREDENTIAL_ID_BYTES ? "credential_id_too_long" : null;
}

/** §7.1 step 26: a credential ID already registered, to anyone, is refused. */
export function checkCredentialNotRegistered(alreadyRegistered: boolean): Check<"credential_already_registered"> {
  return alreadyRegistered ? "credential_already_registered" : null;
}

/** The verified key, for the attestation statement verifiers; only called after checkPublicKey. */
export function publicKeyOf(key: CoseKey): PublicKeyJwk {
  const jwk = coseKeyToJwk(key);
  if (jwk === null) throw new Error("publicKeyOf called on a key checkPublicKey rejected");
  return jwk;
}
