/**
 * One error class for everything the client can fail with: the API's own stable codes
 * (docs/api.md, Error codes) and a few of the client's, for what happens before or instead of an answer.
 */

/** Every code the keyport HTTP API answers with (src/handlers/http/errors.ts; a type test keeps the two equal). */
export type ApiErrorCode =
  | "invalid_request"
  | "malformed_json"
  | "unsupported_media_type"
  | "payload_too_large"
  | "not_found"
  | "method_not_allowed"
  | "storage_unavailable"
  | "internal_error"
  | "username_invalid"
  | "display_name_invalid"
  | "username_taken"
  | "malformed_response"
  | "id_mismatch"
  | "credential_type_invalid"
  | "malformed_client_data"
  | "client_data_type_mismatch"
  | "challenge_mismatch"
  | "origin_mismatch"
  | "cross_origin_not_allowed"
  | "malformed_attestation_object"
  | "malformed_authenticator_data"
  | "rp_id_hash_mismatch"
  | "user_not_present"
  | "user_not_verified"
  | "attested_credential_data_missing"
  | "algorithm_not_allowed"
  | "public_key_invalid"
  | "credential_id_too_long"
  | "backup_state_invalid"
  | "attestation_statement_invalid"
  | "attestation_signature_invalid"
  | "attestation_certificate_invalid"
  | "attestation_format_unsupported"
  | "authenticator_not_allowed"
  | "session_not_found"
  | "session_expired"
  | "registration_identity_mismatch"
  | "credential_already_registered"
  | "user_already_exists"
  | "user_creation_failed"
  | "user_id_invalid"
  | "session_invalid"
  | "credential_invalid"
  | "sign_in_failed"
  | "credential_not_found"
  | "credential_disabled"
  | "sign_in_session_invalid"
  | "refresh_token_invalid"
  | "passkey_not_found"
  | "passkey_name_invalid"
  | "passkey_enabled_invalid"
  | "passkey_change_empty"
  | "name_taken"
  | "last_credential"
  | "account_not_found"
  | "account_change_empty"
  | "too_many_requests"
  | "identity_provider_unavailable"
  | "limit_invalid"
  | "cursor_invalid"
  | "token_missing"
  | "reauthentication_required"
  | "token_malformed"
  | "token_signature_invalid"
  | "token_expired"
  | "token_not_yet_valid"
  | "token_not_id_token"
  | "token_audience_mismatch"
  | "token_issuer_mismatch";

/**
 * The client's own codes (`status` 0: no answer of the API's was involved, or none keyport wrote):
 * - `network_error`: the request got no answer (offline, DNS, CORS refused, a bad `baseUrl`);
 * - `unexpected_response`: an answer that is not keyport's JSON (a proxy's error page, say);
 * - `not_signed_in`: a call that needs the user's tokens, with none in the token store;
 * - `ceremony_cancelled`: the browser's passkey request ended without a passkey: the person cancelled
 *   it or let it time out, the device had none to offer (WebAuthn `NotAllowedError`), or it was aborted
 *   (`AbortError`: `cancelAutofill()`, or another ceremony started);
 * - `authenticator_already_registered`: the device already holds a passkey of this account
 *   (`InvalidStateError` at registration: the server's `excludeCredentials` named it);
 * - `webauthn_unsupported`: this browser has no WebAuthn, or no conditional UI for `signInWithAutofill()`;
 * - `webauthn_failed`: any other WebAuthn failure (`SecurityError`, `NotSupportedError`, …); `cause` holds it.
 */
export type ClientErrorCode =
  | "network_error"
  | "unexpected_response"
  | "not_signed_in"
  | "ceremony_cancelled"
  | "authenticator_already_registered"
  | "webauthn_unsupported"
  | "webauthn_failed";

/**
 * Any code: the API's, the client's, or one a newer server answers with that this client does not
 * know yet (kept as it came, so that `code` always says what the server said).
 */
// `string & {}` keeps the known codes' autocompletion while allowing others.
export type KeyportErrorCode = ApiErrorCode | ClientErrorCode | (string & {});

export interface KeyportErrorDetails {
  /** The HTTP status of the API's answer; 0 when there was none. */
  readonly status?: number;
  /** The answer's `X-Correlation-Id`, by which the operator finds its log lines. */
  readonly correlationId?: string | null;
  /** What went wrong underneath (the fetch failure, the WebAuthn error). */
  readonly cause?: unknown;
}

/**
 * An error of the keyport client. `code` is stable and meant for programs (switch on it); `message` is
 * for people and may change.
 */
export class KeyportError extends Error {
  override readonly name = "KeyportError";
  readonly code: KeyportErrorCode;
  /** The HTTP status of the API's answer; 0 when there was none (see `ClientErrorCode`). */
  readonly status: number;
  /** The answer's `X-Correlation-Id` (readable across origins: the API exposes it), or `null`. */
  readonly correlationId: string | null;

  constructor(code: KeyportErrorCode, message: string, details: KeyportErrorDetails = {}) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.code = code;
    this.status = details.status ?? 0;
    this.correlationId = details.correlationId ?? null;
  }
}

/** True for a refused ID token (`token_missing`, `token_expired`, …): the sign-in the app holds is not accepted. */
export const isTokenError = (error: unknown): error is KeyportError => error instanceof KeyportError && error.code.startsWith("token_");
