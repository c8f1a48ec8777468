/**
 * The claim rules every ID token passes once its signature is verified (by aws-jwt-verify for Cognito,
 * by jose for the local identity provider; ADR 0012), the same for Cognito's tokens and the local
 * provider's Cognito-shaped ones: issuer, `token_use`, audience, expiry by the Clock port, in that
 * order, then who it names. The libraries check some of these too; these rules decide the code.
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

/** The first claim rule a signed token breaks, or null: `iss`, `token_use`, `aud`, then `exp` (expired at `exp` itself). */
export function idTokenClaimError(claims: Record<string, unknown>, expected: IdTokenExpectation): TokenError | null {
  if (claims.iss !== expected.issuer) return "token_issuer_mismatch";
  if (claims.token_use !== "id") return "token_not_id_token";
  if (claims.aud !== expected.clientId) return "token_audience_mismatch";
  if (typeof claims.exp !== "number" || Math.floor(expected.now / 1000) >= claims.exp) return "token_expired";
  return null;
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
  });
}
