/**
 * Verifies an ID token with jose (ADR 0012) against a key set, then applies the shared claim rules:
 * the local identity provider's check of its own tokens.
 */
import { decodeJwt, jwtVerify, type JWTVerifyGetKey } from "jose";
import { err, type Result } from "../../domain/result.js";
import type { TokenError, VerifiedIdentity } from "../../ports/identity-provider.js";
import { CLOCK_SKEW_SECONDS, identityFromIdTokenClaims, type IdTokenExpectation } from "./id-token-claims.js";
import { tokenErrorOfJose } from "./jose-token-error.js";

/** The local provider's tokens are well under 2 KiB; anything far larger is not one of them. */
const MAX_TOKEN_LENGTH = 8 * 1024;

/**
 * The identity in an ES256 ID token signed by a key of `keys`, or why it is not one. Times are those of
 * `expected.now` (the Clock port), never the machine's. Throws only on what is no verdict (a bug).
 */
export async function verifyIdTokenWithJose(token: string, keys: JWTVerifyGetKey, expected: IdTokenExpectation): Promise<Result<VerifiedIdentity, TokenError>> {
  if (token.length > MAX_TOKEN_LENGTH) return err("token_malformed");
  let claims: Record<string, unknown>;
  try {
    // A payload that is no JSON object is malformed whatever the signature, as for Cognito's tokens.
    decodeJwt(token);
    // jose checks `nbf` (with no tolerance, unless given one) and `exp` itself: given the shared rules'
    // skew, it refuses no `nbf` that the rules accept, so `token_not_yet_valid` is always theirs to say.
    ({ payload: claims } = await jwtVerify(token, keys, {
      algorithms: ["ES256"],
      currentDate: new Date(expected.now),
      clockTolerance: CLOCK_SKEW_SECONDS,
    }));
  } catch (error) {
    const code = tokenErrorOfJose(error, expected);
    if (code === null) throw error;
    return err(code);
  }
  return identityFromIdTokenClaims(claims, expected);
}
