/**
 * Every expected failure of a ceremony, as a closed union of snake_case codes (ADR 0003).
 * Clients see these codes; anything else is masked as `internal_error` by the shells.
 */
export const REGISTRATION_ERRORS = [
  "malformed_response",
  "id_mismatch",
  "credential_type_invalid",
  "malformed_client_data",
  "client_data_type_mismatch",
  "challenge_mismatch",
  "origin_mismatch",
  "cross_origin_not_allowed",
  "malformed_attestation_object",
  "malformed_authenticator_data",
  "rp_id_hash_mismatch",
  "user_not_present",
  "user_not_verified",
  "attested_credential_data_missing",
  "algorithm_not_allowed",
  "public_key_invalid",
  "credential_id_too_long",
  "credential_already_registered",
  "backup_state_invalid",
  "attestation_statement_invalid",
  /** A certificate of the statement breaks a requirement of its format (WebAuthn §8; ADR 0027). */
  "attestation_certificate_invalid",
  "attestation_signature_invalid",
  /** android-safetynet (deprecated), or a statement with certificates where no X.509 verifier is configured (ADR 0027). */
  "attestation_format_unsupported",
  /** The authenticator policy (AUTHENTICATOR_POLICY, ADR 0027) does not admit this authenticator. */
  "authenticator_not_allowed",
  "session_not_found",
  "session_expired",
  "token_missing",
  "registration_identity_mismatch",
  "user_already_exists",
  /** Another user has this username's canonical form (ADR 0017); at finish, a sign-up that lost a race. */
  "username_taken",
  "user_creation_failed",
  /** The account a signed-in user was adding a passkey to was deleted before the registration finished. */
  "account_not_found",
  /**
   * A signed-in user's passkey could not be marked enrolled in the identity provider before it was stored
   * (ADR 0023: the attribute never lags behind an enabled passkey), so it was not stored; try again.
   */
  "identity_provider_unavailable",
] as const;
export type RegistrationError = (typeof REGISTRATION_ERRORS)[number];

export const AUTHENTICATION_ERRORS = [
  "malformed_response",
  "id_mismatch",
  "credential_type_invalid",
  "malformed_client_data",
  "malformed_authenticator_data",
  "session_not_found",
  "session_expired",
  "credential_not_allowed",
  "credential_not_found",
  /** The credential is the user's but disabled (PasskeyManagement): it signs nobody in until enabled again. */
  "credential_disabled",
  "user_handle_missing",
  "user_handle_mismatch",
  "client_data_type_mismatch",
  "challenge_mismatch",
  "origin_mismatch",
  "cross_origin_not_allowed",
  "rp_id_hash_mismatch",
  "user_not_present",
  "user_not_verified",
  "backup_state_invalid",
  "backup_eligibility_changed",
  "public_key_invalid",
  "signature_invalid",
  "counter_not_increased",
  /** The authenticator policy no longer admits the passkey's authenticator (a model reported compromised, ADR 0027). */
  "authenticator_not_allowed",
] as const;
export type AuthenticationError = (typeof AUTHENTICATION_ERRORS)[number];

/** Every expected failure of credential and account management (PasskeyManagement). */
export const MANAGEMENT_ERRORS = [
  /** Someone else's credential, an unknown one and a malformed id alike: nobody learns what exists. */
  "passkey_not_found",
  "passkey_name_invalid",
  "passkey_change_empty",
  "passkey_enabled_invalid",
  /** Another passkey of the user has this name, ignoring case. */
  "name_taken",
  /** The change would leave an account whose only way in is a passkey without an enabled one. */
  "last_credential",
  /** Deleting needs a sign-in from the last few minutes (RelyingParty.sensitiveActionMaxAgeMs). */
  "reauthentication_required",
  "account_not_found",
  "account_change_empty",
  "username_invalid",
  "display_name_invalid",
  "username_taken",
  "refresh_token_invalid",
  "too_many_requests",
  "identity_provider_unavailable",
] as const;
export type ManagementError = (typeof MANAGEMENT_ERRORS)[number];
