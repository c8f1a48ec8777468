/**
 * Verifies a user pool's ID tokens with node:crypto alone: compact JWS (RFC 7515) signed RS256 with a
 * key from the pool's JWKS, then Cognito's claims. Small enough that a JWT library would be more code
 * to audit than it saves.
 */
import { identityFromIdTokenClaims } from "../jwt/id-token-claims.js";
import { createPublicKey, verify, type KeyObject, type JsonWebKey as NodeJsonWebKey } from "node:crypto";
import { err, type Result } from "../../domain/result.js";
import type { Clock } from "../../ports/clock.js";
import type { TokenError, VerifiedIdentity } from "../../ports/identity-provider.js";
import type { JwksSource } from "./cognito-jwks-source.js";

export interface CognitoIdTokenVerifierOptions {
  /** `https://cognito-idp.<region>.amazonaws.com/<userPoolId>`. */
  readonly issuer: string;
  /** The app client ID: the `aud` of its ID tokens. */
  readonly clientId: string;
  readonly clock: Clock;
  readonly jwks: JwksSource;
  /** Least time between two fetches caused by an unknown `kid`, so forged `kid`s cannot hammer the endpoint. */
  readonly refetchIntervalMs?: number;
}

/** Cognito's ID tokens are a few kilobytes even with many attributes and groups; anything far larger is not one. */
const MAX_TOKEN_LENGTH = 16 * 1024;
const SEGMENT = /^[A-Za-z0-9_-]+$/;
/** Cognito's keys are 2048-bit; shorter RSA keys are refused whatever a JWKS says. */
const MIN_MODULUS_BITS = 2048;

export class CognitoIdTokenVerifier {
  private keys: ReadonlyMap<string, KeyObject> | null = null;
  private lastFetchAt = Number.NEGATIVE_INFINITY;
  private fetching: Promise<void> | null = null;
  private readonly refetchIntervalMs: number;

  constructor(private readonly options: CognitoIdTokenVerifierOptions) {
    this.refetchIntervalMs = options.refetchIntervalMs ?? 60_000;
  }

  /** The identity in a valid ID token, or why it is not one. Throws only when the JWKS cannot be fetched. */
  async verify(token: string): Promise<Result<VerifiedIdentity, TokenError>> {
    const decoded = decodeJws(token);
    if (decoded === null) return err("token_malformed");
    const { header, claims, signingInput, signature } = decoded;
    // The algorithm is pinned: `none`, HS256 (keyed with the public key) and anything else never reach verify().
    if (header.alg !== "RS256" || typeof header.kid !== "string" || header.crit !== undefined) return err("token_signature_invalid");
    const key = await this.keyFor(header.kid);
    if (key === null || !verify("sha256", signingInput, key, signature)) return err("token_signature_invalid");

    return identityFromIdTokenClaims(claims, { issuer: this.options.issuer, clientId: this.options.clientId, now: this.options.clock.now() });
  }

  /**
   * The key with this `kid`. Keys are fetched on first use and kept; an unknown `kid` (Cognito rotated
   * its keys) fetches again, at most once per `refetchIntervalMs`.
   */
  private async keyFor(kid: string): Promise<KeyObject | null> {
    const known = this.keys?.get(kid);
    if (known !== undefined) return known;
    // A fetch already under way may bring this kid, whoever started it: concurrent misses share it.
    if (this.fetching === null && (this.keys === null || this.options.clock.now() - this.lastFetchAt >= this.refetchIntervalMs)) {
      this.lastFetchAt = this.options.clock.now();
      this.fetching = this.options.jwks
        .getKeys()
        .then((jwks) => {
          this.keys = importKeys(jwks);
        })
        .finally(() => {
          this.fetching = null;
        });
    }
    if (this.fetching !== null) await this.fetching;
    return this.keys?.get(kid) ?? null;
  }
}

/** The RS256 signing keys of a JWKS by `kid`; other keys (and ones that do not import) are left out, not fatal. */
function importKeys(jwks: readonly JsonWebKey[]): ReadonlyMap<string, KeyObject> {
  const keys = new Map<string, KeyObject>();
  for (const jwk of jwks) {
    const { kid } = jwk as { kid?: unknown };
    if (typeof kid !== "string" || jwk.kty !== "RSA") continue;
    if ((jwk.alg !== undefined && jwk.alg !== "RS256") || (jwk.use !== undefined && jwk.use !== "sig")) continue;
    try {
      const key = createPublicKey({ key: jwk as NodeJsonWebKey, format: "jwk" });
      if ((key.asymmetricKeyDetails?.modulusLength ?? 0) >= MIN_MODULUS_BITS) keys.set(kid, key);
    } catch {
      // A key this runtime cannot import cannot have signed anything we could verify.
    }
  }
  return keys;
}

interface DecodedJws {
  readonly header: Record<string, unknown>;
  readonly claims: Record<string, unknown>;
  readonly signingInput: Buffer;
  readonly signature: Buffer;
}

function decodeJws(token: string): DecodedJws | null {
  if (token.length > MAX_TOKEN_LENGTH) return null;
  const parts = token.split(".");
  if (parts.length !== 3 || !parts.every((part) => SEGMENT.test(part))) return null;
  const [headerPart, payloadPart, signaturePart] = parts as [string, string, string];
  const header = decodeJson(headerPart);
  const claims = decodeJson(payloadPart);
  if (header === null || claims === null) return null;
  return { header, claims, signingInput: Buffer.from(`${headerPart}.${payloadPart}`), signature: Buffer.from(signaturePart, "base64url") };
}

function decodeJson(segment: string): Record<string, unknown> | null {
  try {
    const value: unknown = JSON.parse(Buffer.from(segment, "base64url").toString("utf8"));
    return value !== null && typeof value === "object" && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}
