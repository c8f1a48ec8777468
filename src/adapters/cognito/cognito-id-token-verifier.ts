/**
 * Verifies a user pool's ID tokens with AWS's aws-jwt-verify (ADR 0012): the JWS, the key from the
 * pool's JWKS (cached, refetched on rotation), `iss`, then Cognito's `token_use` and app client (`aud`).
 * Keyport keeps three things of its own: a cheap refusal before any key is fetched (size, `alg` pinned
 * to RS256, no `crit`), the time claims (`exp`, `nbf`, `iat`) by the Clock port, and the mapping of
 * failures to the port's TokenError.
 *
 * The library's generic JwtVerifier is used with its Cognito claim checks (`validateCognitoJwtFields`),
 * not its CognitoJwtVerifier: that one also accepts Cognito's newer issuer format
 * (`https://issuer-cognito-idp.…`) and refuses a foreign `iss` before looking at the signature, where
 * keyport pins the one issuer and checks the signature first, as it always has.
 */
import { validateCognitoJwtFields } from "aws-jwt-verify/cognito-verifier";
import {
  CognitoJwtInvalidClientIdError,
  CognitoJwtInvalidTokenUseError,
  JwkInvalidKtyError,
  JwkInvalidUseError,
  JwkValidationError,
  JwtExpiredError,
  JwtInvalidAudienceError,
  JwtInvalidIssuerError,
  JwtInvalidSignatureAlgorithmError,
  JwtInvalidSignatureError,
  JwtNotBeforeError,
  JwtParseError,
  JwtWithoutValidKidError,
  KidNotFoundInJwksError,
  WaitPeriodNotYetEndedJwkError,
} from "aws-jwt-verify/error";
import type { Fetcher } from "aws-jwt-verify/https";
import { decomposeUnverifiedJwt } from "aws-jwt-verify/jwt";
import { JwtVerifier } from "aws-jwt-verify/jwt-verifier";
import { err, type Result } from "../../domain/result.js";
import type { Clock } from "../../ports/clock.js";
import type { TokenError, VerifiedIdentity } from "../../ports/identity-provider.js";
import { identityFromIdTokenClaims } from "../jwt/id-token-claims.js";
import { cognitoIssuer, cognitoJwksUrl, createCognitoJwksCache } from "./cognito-jwks-source.js";

export interface CognitoIdTokenVerifierOptions {
  readonly region: string;
  readonly userPoolId: string;
  /** The app client ID: the `aud` of its ID tokens. */
  readonly clientId: string;
  readonly clock: Clock;
  /** Fetches the pool's JWKS; defaults to the platform `fetch` (see cognito-jwks-source). */
  readonly jwksFetcher?: Fetcher;
  /** Least time between two fetches caused by an unknown `kid`, so forged `kid`s cannot hammer the endpoint. */
  readonly refetchIntervalMs?: number;
}

/** Cognito's ID tokens are a few kilobytes even with many attributes and groups; anything far larger is not one. */
const MAX_TOKEN_LENGTH = 16 * 1024;

/**
 * aws-jwt-verify reads `Date.now()` for `exp` and `nbf` (and ignores `iat`); keyport's time is the Clock
 * port (ADR 0002), so the library's window is opened fully (`exp + ∞`, `nbf − ∞`: it refuses neither)
 * and identityFromIdTokenClaims checks them against the Clock, after `iss`, `token_use` and `aud` as
 * before: `exp`, then `nbf` and `iat` no more than a minute ahead (`token_not_yet_valid`). Cognito's ID
 * tokens carry no `nbf`, but a future `iat` is refused all the same.
 */
const TIMES_ARE_CHECKED_BY_THE_CLOCK_PORT = Number.POSITIVE_INFINITY;

export class CognitoIdTokenVerifier {
  private readonly verifier;
  private readonly issuer: string;

  constructor(private readonly options: CognitoIdTokenVerifierOptions) {
    this.issuer = cognitoIssuer(options.region, options.userPoolId);
    this.verifier = JwtVerifier.create(
      {
        issuer: this.issuer,
        jwksUri: cognitoJwksUrl(options.region, options.userPoolId),
        // Cognito names the app client in `aud` of ID tokens but `client_id` of access tokens: validateCognitoJwtFields checks it, after `token_use`.
        audience: null,
        graceSeconds: TIMES_ARE_CHECKED_BY_THE_CLOCK_PORT,
        customJwtCheck: ({ payload }) => validateCognitoJwtFields(payload, { tokenUse: "id", clientId: options.clientId }),
      },
      { jwksCache: createCognitoJwksCache({ clock: options.clock, fetcher: options.jwksFetcher, refetchIntervalMs: options.refetchIntervalMs }) },
    );
  }

  /** The identity in a valid ID token, or why it is not one. Throws only when the JWKS cannot be had. */
  async verify(token: string): Promise<Result<VerifiedIdentity, TokenError>> {
    const refused = refusedBeforeAnyFetch(token);
    if (refused !== null) return err(refused);
    let claims: Record<string, unknown>;
    try {
      claims = await this.verifier.verify(token);
    } catch (error) {
      const code = tokenErrorOf(error);
      if (code === null) throw error;
      return err(code);
    }
    return identityFromIdTokenClaims(claims, { issuer: this.issuer, clientId: this.options.clientId, now: this.options.clock.now() });
  }
}

/**
 * What can be refused from the token alone, so that no JWKS is fetched for it: malformed tokens, and
 * any `alg` but RS256 (`none`, HS256 keyed with the public key, …). aws-jwt-verify would refuse these
 * too, but only after finding the key; `crit` it does not look at, so it is refused here.
 */
function refusedBeforeAnyFetch(token: string): TokenError | null {
  if (token.length > MAX_TOKEN_LENGTH) return "token_malformed";
  let header: Record<string, unknown>;
  try {
    header = decomposeUnverifiedJwt(token).header;
  } catch {
    return "token_malformed";
  }
  if (header.alg !== "RS256" || typeof header.kid !== "string" || header.crit !== undefined) return "token_signature_invalid";
  return null;
}

/** The port's code for an aws-jwt-verify failure; null for faults (the JWKS cannot be fetched or parsed, a bug). */
function tokenErrorOf(error: unknown): TokenError | null {
  if (error instanceof JwtParseError) return "token_malformed";
  if (error instanceof JwtInvalidIssuerError) return "token_issuer_mismatch";
  if (error instanceof CognitoJwtInvalidTokenUseError) return "token_not_id_token";
  if (error instanceof CognitoJwtInvalidClientIdError || error instanceof JwtInvalidAudienceError) return "token_audience_mismatch";
  // Neither is thrown with an infinite grace; mapped all the same, should that ever change.
  if (error instanceof JwtExpiredError) return "token_expired";
  if (error instanceof JwtNotBeforeError) return "token_not_yet_valid";
  if (
    error instanceof JwtInvalidSignatureError ||
    error instanceof JwtInvalidSignatureAlgorithmError ||
    error instanceof JwtWithoutValidKidError ||
    // An unknown kid, or one that may not be refetched yet.
    error instanceof KidNotFoundInJwksError ||
    error instanceof WaitPeriodNotYetEndedJwkError ||
    error instanceof JwkValidationError ||
    error instanceof JwkInvalidUseError ||
    error instanceof JwkInvalidKtyError
  ) {
    return "token_signature_invalid";
  }
  return null;
}
