/**
 * The claim rules every ID token passes once its signature is verified (by aws-jwt-verify for Cognito,
 * by jose for the local identity provider; ADR 0012), the same for Cognito's tokens and the local
 * provider's Cognito-shaped ones: issuer, `token_use`, audience, expiry, then `nbf`/`iat` not in the
 * future, both by the Clock port, in that order, then who it names. The libraries check some of these
 * too; these rules decide the code.
 */
import { err, ok, type Result } from "../../domain/result.js";
import type { TokenError, VerifiedIdentity } from "../../ports/identity-provider.js";

export interface IdTokenExpectation {
  readonly issuer: string;
  /** The app client ID: the `aud` of its ID tokens. */
  readonly clientId: string;
  /** Now, in milliseconds since the epoch (from the Clock port). */
  readonly now: number;
}

/**
 * How far ahead of the Clock a token's `nbf` or `iat` may be: the clocks of the issuer and of keyport
 * are never quite the same. A minute is what OIDC libraries commonly allow (jose's `clockTolerance`,
 * aws-jwt-verify's `graceSeconds` are used the same way), far below any token's lifetime.
 */
export const CLOCK_SKEW_SECONDS = 60;

/**
 * The first claim rule a signed token breaks, or null: `iss`, `token_use`, `aud`, then `exp` (expired at
 * `exp` itself), then `nbf` or `iat` more than {@link CLOCK_SKEW_SECONDS} ahead of the Clock
 * (`token_not_yet_valid`). A time claim that is absent is not read (Cognito's ID tokens carry no `nbf`);
 * one that is not a number never gets here, since both libraries refuse it as malformed.
 */
export function idTokenClaimError(claims: Record<string, unknown>, expected: IdTokenExpectation): TokenError | null {
  if (claims.iss !== expected.issuer) return "token_issuer_mismatch";
  if (claims.token_use !== "id") return "token_not_id_token";
  if (claims.aud !== expected.clientId) return "token_audience_mismatch";
  if (typeof claims.exp !== "number" || Math.floor(expected.now / 1000) >= claims.exp) return "token_expired";
  if (inTheFuture(claims.nbf, expected.now) || inTheFuture(claims.iat, expected.now)) return "token_not_yet_valid";
  return null;
}

/** Whether a NumericDate claim (seconds) lies more than the allowed skew after `now` (milliseconds). */
function inTheFuture(claim: unknown, now: number): boolean {
  return typeof claim === "number" && claim * 1000 > now + CLOCK_SKEW_SECONDS * 1000;
}

/** Who a signed ID token names, once its claims pass `idTokenClaimError`. */
export function identityFromIdTokenClaims(claims: Record<string, unknown>, expected: IdTokenExpectation): Result<VerifiedIdentity, TokenError> {
  const broken = idTokenClaimError(claims, expected);
  if (broken !== null) return err(broken);
  const username = claims["cognito:username"];
  if (typeof username !== "string" || typeof claims.sub !== "string") return err("token_malformed");
  return ok({
    identityUserId: username,
    subject: claims.sub,
    preferredUsername: typeof claims.preferred_username === "string" ? claims.preferred_username : null,
    name: typeof claims.name === "string" ? claims.name : null,
    authenticatedAt: typeof claims.auth_time === "number" && Number.isSafeInteger(claims.auth_time) ? claims.auth_time * 1000 : null,
  });
}
