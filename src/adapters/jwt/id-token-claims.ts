/**
 * The claim checks every ID token passes once its signature is verified, the same for Cognito's tokens
 * and the local identity provider's Cognito-shaped ones: issuer, `token_use`, audience, expiry, then
 * who it names.
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

export function identityFromIdTokenClaims(claims: Record<string, unknown>, expected: IdTokenExpectation): Result<VerifiedIdentity, TokenError> {
  if (claims.iss !== expected.issuer) return err("token_issuer_mismatch");
  if (claims.token_use !== "id") return err("token_not_id_token");
  if (claims.aud !== expected.clientId) return err("token_audience_mismatch");
  if (typeof claims.exp !== "number" || Math.floor(expected.now / 1000) >= claims.exp) return err("token_expired");
  const username = claims["cognito:username"];
  if (typeof username !== "string" || typeof claims.sub !== "string") return err("token_malformed");
  return ok({
    identityUserId: username,
    subject: claims.sub,
    preferredUsername: typeof claims.preferred_username === "string" ? claims.preferred_username : null,
    name: typeof claims.name === "string" ? claims.name : null,
  });
}
