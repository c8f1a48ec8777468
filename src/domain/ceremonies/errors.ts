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
  "attestation_signature_invalid",
  "session_not_found",
  "session_expired",
  "token_missing",
  "registration_identity_mismatch",
  "user_already_exists",
  /** Another user has this username's canonical form (ADR 0017); at finish, a sign-up that lost a race. */
  "username_taken",
  "user_creation_failed",
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
] as const;
export type AuthenticationError = (typeof AUTHENTICATION_ERRORS)[number];
