/**
 * Every error code the HTTP API can answer with, its status and its human message: the one table
 * (docs/api.md, docs/openapi.yaml). Domain and port codes are listed here so that the compiler checks
 * the table against their unions; anything that is not in it is masked as `internal_error`.
 */
import type { RegistrationError } from "../../domain/ceremonies/errors.js";
import type { PasskeySignIn } from "../../domain/custom-challenge/passkey-sign-in.js";
import type { StartForExistingUserError } from "../../domain/ceremonies/registration-ceremony.js";
import type { PasskeyManagement } from "../../domain/management/passkey-management.js";
import type { Err } from "../../domain/result.js";
import type { TokenError } from "../../ports/identity-provider.js";
import type { ListEventsError } from "../../ports/security-event-log.js";

/** The failure codes of an asynchronous method that answers a `Result`; `never` for any other member. */
type FailureOf<M> = M extends (...args: never[]) => Promise<infer R> ? Extract<R, Err<string>>["error"] : never;

/** Every failure code the methods of a service can answer. */
type FailuresOf<S> = { [K in keyof S]: FailureOf<S[K]> }[keyof S];

/** Failures of the HTTP exchange itself, found before any domain method is called. */
export type TransportError =
  | "invalid_request"
  | "malformed_json"
  | "unsupported_media_type"
  | "payload_too_large"
  | "not_found"
  | "method_not_allowed"
  | "token_missing"
  | "storage_unavailable"
  | "internal_error";

export type HttpErrorCode =
  | TransportError
  | StartForExistingUserError
  | RegistrationError
  | FailuresOf<PasskeySignIn>
  | FailuresOf<PasskeyManagement>
  | "limit_invalid"
  | ListEventsError
  | TokenError;

interface ErrorSpec {
  readonly status: 400 | 401 | 403 | 404 | 405 | 409 | 413 | 415 | 429 | 500 | 503;
  readonly message: string;
  /**
   * The answer when the code ends a sign-in (POST /authentication/finish), for the one code that both a
   * registration (the response is refused: 400) and a sign-in (who the caller is was not established:
   * 401) can end with.
   */
  readonly atSignIn?: { readonly status: 401; readonly message: string };
}

const RESPONSE_DOES_NOT_VERIFY = 400;

/**
 * Status rules: 400 the request (or the authenticator response in it) is wrong, start again; 401 who
 * the caller is could not be established (sign-in, ID token, refresh token, a sign-in too old for the
 * action); 404 the signed-in user has no such thing; 409 the thing exists already, or the change would
 * break a rule of the account; 429 and 503 try again later; 500 a bug, masked.
 */
export const ERRORS = {
  // The exchange
  invalid_request: { status: 400, message: "The request body does not have the expected fields." },
  malformed_json: { status: 400, message: "The request body is not valid JSON." },
  unsupported_media_type: { status: 415, message: "The request body must be JSON, sent with Content-Type: application/json." },
  payload_too_large: { status: 413, message: "The request body is larger than 64 KiB." },
  not_found: { status: 404, message: "There is no such endpoint." },
  method_not_allowed: { status: 405, message: "This endpoint does not accept that method." },
  storage_unavailable: { status: 503, message: "Storage is unavailable; try again later." },
  internal_error: { status: 500, message: "Something went wrong on our side." },

  // Profile (registration start)
  username_invalid: { status: 400, message: "username must be 1 to 64 letters, digits or symbols, without spaces, invisible or control characters (RFC 8265)." },
  display_name_invalid: { status: 400, message: "displayName must be 1 to 64 characters, not only white space, without invisible, control or direction-changing characters (RFC 8266)." },
  username_taken: { status: 409, message: "This username is taken (compared ignoring case and width); choose another." },

  // Registration finish: the authenticator's response does not verify against the session
  malformed_response: { status: RESPONSE_DOES_NOT_VERIFY, message: "publicKeyCredential is not a well-formed WebAuthn response." },
  id_mismatch: { status: RESPONSE_DOES_NOT_VERIFY, message: "publicKeyCredential.id and rawId differ." },
  credential_type_invalid: { status: RESPONSE_DOES_NOT_VERIFY, message: "publicKeyCredential.type must be \"public-key\"." },
  malformed_client_data: { status: RESPONSE_DOES_NOT_VERIFY, message: "clientDataJSON is not well-formed." },
  client_data_type_mismatch: { status: RESPONSE_DOES_NOT_VERIFY, message: "clientDataJSON is for another kind of ceremony." },
  challenge_mismatch: { status: RESPONSE_DOES_NOT_VERIFY, message: "The response answers another challenge than this session's." },
  origin_mismatch: { status: RESPONSE_DOES_NOT_VERIFY, message: "The response comes from an origin that is not allowed." },
  cross_origin_not_allowed: { status: RESPONSE_DOES_NOT_VERIFY, message: "The response was made in a cross-origin frame." },
  malformed_attestation_object: { status: RESPONSE_DOES_NOT_VERIFY, message: "attestationObject is not well-formed." },
  malformed_authenticator_data: { status: RESPONSE_DOES_NOT_VERIFY, message: "authenticatorData is not well-formed." },
  rp_id_hash_mismatch: { status: RESPONSE_DOES_NOT_VERIFY, message: "The credential was made for another relying party." },
  user_not_present: { status: RESPONSE_DOES_NOT_VERIFY, message: "The authenticator did not confirm user presence." },
  user_not_verified: { status: RESPONSE_DOES_NOT_VERIFY, message: "The authenticator did not verify the user (PIN or biometrics)." },
  attested_credential_data_missing: { status: RESPONSE_DOES_NOT_VERIFY, message: "The response carries no credential." },
  algorithm_not_allowed: { status: RESPONSE_DOES_NOT_VERIFY, message: "The credential uses an algorithm that was not offered." },
  public_key_invalid: { status: RESPONSE_DOES_NOT_VERIFY, message: "The credential public key is not valid." },
  credential_id_too_long: { status: RESPONSE_DOES_NOT_VERIFY, message: "The credential id is longer than 1023 bytes." },
  backup_state_invalid: { status: RESPONSE_DOES_NOT_VERIFY, message: "The authenticator's backup flags contradict each other." },
  attestation_statement_invalid: { status: RESPONSE_DOES_NOT_VERIFY, message: "The attestation statement is not acceptable." },
  attestation_signature_invalid: { status: RESPONSE_DOES_NOT_VERIFY, message: "The attestation signature does not verify." },
  attestation_certificate_invalid: { status: RESPONSE_DOES_NOT_VERIFY, message: "A certificate of the attestation statement does not meet its format's requirements." },
  attestation_format_unsupported: { status: RESPONSE_DOES_NOT_VERIFY, message: "This attestation statement format is not accepted (android-safetynet is deprecated)." },
  session_not_found: { status: 400, message: "The registration session is unknown or was already used; start again." },
  session_expired: { status: 400, message: "The registration session has expired; start again." },
  registration_identity_mismatch: { status: 403, message: "This registration was started by another user." },
  credential_already_registered: { status: 409, message: "This passkey is already registered." },
  user_already_exists: { status: 409, message: "This user already exists." },
  user_creation_failed: { status: 503, message: "The user could not be created right now; try again later." },

  // Sign-in input
  user_id_invalid: { status: 400, message: "userId must be a WebAuthn user handle: 1 to 64 bytes, base64url without padding." },
  session_invalid: { status: 400, message: "session must be the non-empty string /authentication/start returned." },
  credential_invalid: { status: 400, message: "publicKeyCredential must be a WebAuthn authentication response object." },

  // Sign-in and tokens
  sign_in_failed: { status: 401, message: "The passkey could not be verified." },
  credential_not_found: { status: 401, message: "This passkey is not registered here any more; sign in with another passkey, or register a new one." },
  credential_disabled: { status: 401, message: "This passkey is disabled; sign in with another passkey, and enable it again from your passkeys if you wish." },
  sign_in_session_invalid: { status: 401, message: "The sign-in session is unknown, used or expired; start again." },
  refresh_token_invalid: { status: 401, message: "The refresh token is not valid." },

  // Registration and sign-in: the authenticator policy (AUTHENTICATOR_POLICY, ADR 0027)
  authenticator_not_allowed: {
    status: 400,
    message: "This security key is not allowed here; use one issued by your organisation.",
    atSignIn: { status: 401, message: "This security key is no longer allowed here; sign in with one issued by your organisation." },
  },

  // The signed-in user's passkeys and account
  passkey_not_found: { status: 404, message: "You have no passkey with this id." },
  passkey_name_invalid: { status: 400, message: "name must be 1 to 64 characters, not only white space, without control or invisible formatting characters." },
  passkey_enabled_invalid: { status: 400, message: "enabled must be true or false." },
  passkey_change_empty: { status: 400, message: "Give name, enabled or both." },
  name_taken: { status: 409, message: "You already have a passkey with this name (compared ignoring case); choose another." },
  last_credential: { status: 409, message: "This is the last passkey that signs in to this account; add another before you delete or disable it." },
  account_not_found: { status: 404, message: "You have no keyport account yet: register a passkey first." },
  account_change_empty: { status: 400, message: "Give username, displayName or both." },
  too_many_requests: { status: 429, message: "Too many requests; try again later." },
  identity_provider_unavailable: { status: 503, message: "The identity provider is unavailable; try again later." },

  // The signed-in user's security activity (GET /events)
  limit_invalid: { status: 400, message: "limit must be a whole number from 1 to 100, given at most once." },
  cursor_invalid: { status: 400, message: "cursor must be the nextCursor of an earlier page of your events, given at most once." },

  // ID token (Authorization: Bearer)
  token_missing: { status: 401, message: "An ID token is required: Authorization: Bearer <ID token>." },
  reauthentication_required: { status: 401, message: "Sign in again: this action needs a sign-in from the last few minutes." },
  token_malformed: { status: 401, message: "The bearer token is not a well-formed JWT." },
  token_signature_invalid: { status: 401, message: "The bearer token's signature does not verify." },
  token_expired: { status: 401, message: "The bearer token has expired." },
  token_not_yet_valid: { status: 401, message: "The bearer token is not valid yet (its nbf or iat is in the future)." },
  token_not_id_token: { status: 401, message: "The bearer token is not an ID token." },
  token_audience_mismatch: { status: 401, message: "The bearer token was issued for another client." },
  token_issuer_mismatch: { status: 401, message: "The bearer token was issued by someone else." },
} as const satisfies Record<HttpErrorCode, ErrorSpec>;

export type ErrorStatus = ErrorSpec["status"];

/** The table entry for a code; a code not in the table (a bug) is `internal_error`. */
export function errorSpec(code: string): { code: HttpErrorCode; spec: ErrorSpec } {
  if (Object.hasOwn(ERRORS, code)) return { code: code as HttpErrorCode, spec: ERRORS[code as HttpErrorCode] };
  return { code: "internal_error", spec: ERRORS.internal_error };
}

export const isTokenError = (code: string): boolean => code.startsWith("token_");
