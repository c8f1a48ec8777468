/**
 * The port's TokenError for a failure of jose's `jwtVerify` (the local identity provider's tokens;
 * ADR 0012), with the same codes aws-jwt-verify's failures get for Cognito's tokens.
 */
import { errors } from "jose";
import type { TokenError } from "../../ports/identity-provider.js";
import { idTokenClaimError, type IdTokenExpectation } from "./id-token-claims.js";

/** The code for `error`, or null when it is no verdict on the token (a bug: rethrow it). */
export function tokenErrorOfJose(error: unknown, expected: IdTokenExpectation): TokenError | null {
  if (error instanceof errors.JWTClaimValidationFailed || error instanceof errors.JWTExpired) {
    // jose checks times (by the Clock, through `currentDate`) before keyport's claim rules, and only once
    // the signature verified: the rules then decide the code, as they would have had jose said nothing
    // (a rule that comes first, such as the issuer, keeps its code; a future `nbf` is token_not_yet_valid).
    const first = idTokenClaimError(error.payload, expected);
    if (first !== null) return first;
    // Left here: a time claim that is not a number, or a refusal the rules do not share (jose's tolerance
    // must be the rules' skew for `nbf`, and `iat` is checked by jose only with a `maxTokenAge`).
    if (error.reason === "check_failed") {
      if (error.claim === "exp") return "token_expired";
      if (error.claim === "nbf" || error.claim === "iat") return "token_not_yet_valid";
    }
    return "token_malformed";
  }
  if (error instanceof errors.JWSInvalid || error instanceof errors.JWTInvalid) return "token_malformed";
  if (
    error instanceof errors.JOSEAlgNotAllowed ||
    error instanceof errors.JWSSignatureVerificationFailed ||
    error instanceof errors.JWKSNoMatchingKey ||
    error instanceof errors.JWKSMultipleMatchingKeys ||
    // `crit` naming an extension jose does not know.
    error instanceof errors.JOSENotSupported
  ) {
    return "token_signature_invalid";
  }
  return null;
}
