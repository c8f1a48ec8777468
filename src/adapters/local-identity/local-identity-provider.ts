import { createLocalJWKSet, decodeJwt, exportJWK, generateKeyPair, jwtVerify, SignJWT, type JWK, type JWTVerifyGetKey } from "jose";
import { identityFromIdTokenClaims } from "../jwt/id-token-claims.js";
import { tokenErrorOfJose } from "../jwt/jose-token-error.js";
import { toBase64Url } from "../../domain/encoding/bytes.js";
import { CUSTOM_CHALLENGE, type CustomChallengeResult } from "../../domain/custom-challenge/custom-challenge.js";
import { err, ok, type Result } from "../../domain/result.js";
import type { Clock } from "../../ports/clock.js";
import type {
  CreateUserError,
  IdentityProvider,
  NewIdentityUser,
  RefreshError,
  RefreshedTokens,
  SignInChallenge,
  SignInError,
  TokenError,
  TokenSet,
  VerifiedIdentity,
} from "../../ports/identity-provider.js";
import type { RandomSource } from "../../ports/random-source.js";
import type {
  CreateAuthChallengeEvent,
  CustomChallengeTriggers,
  DefineAuthChallengeEvent,
  VerifyAuthChallengeResponseEvent,
} from "../../ports/custom-challenge-triggers.js";

export interface LocalIdentityProviderOptions {
  readonly clock: Clock;
  readonly random: RandomSource;
  /** keyport's own trigger handlers: the local provider runs them exactly where Cognito would. */
  readonly triggers: CustomChallengeTriggers;
  /** The `iss` of every token. */
  readonly issuer: string;
  /** The `aud` / `client_id` of every token. */
  readonly clientId: string;
  readonly userPoolId?: string;
  readonly tokenLifetimeSeconds?: number;
  readonly refreshTokenLifetimeSeconds?: number;
  /** Cognito's `authSessionValidity`: 3 minutes. */
  readonly signInSessionLifetimeMs?: number;
}

interface LocalUser {
  readonly username: string;
  readonly sub: string;
  readonly attributes: Readonly<Record<string, string>>;
}

interface SignInSession {
  readonly username: string;
  readonly history: readonly CustomChallengeResult[];
  readonly privateParameters: Record<string, string>;
  readonly metadata: string | undefined;
  readonly expiresAt: number;
}

const REGION = "local";

/** Ours are well under 2 KiB; anything far larger is not one of ours. */
const MAX_TOKEN_LENGTH = 8 * 1024;

/** The ES256 key tokens are signed with (jose, any runtime): the private half never leaves this object. */
interface SigningKey {
  readonly kid: string;
  readonly privateKey: CryptoKey;
  /** The public half as published at `/.well-known/jwks.json`. */
  readonly jwk: JWK & { kid: string; alg: "ES256"; use: "sig" };
  /** That JWKS, as `jwtVerify` resolves keys from it by `kid`. */
  readonly keySet: JWTVerifyGetKey;
}

async function generateSigningKey(kid: string): Promise<SigningKey> {
  const { privateKey, publicKey } = await generateKeyPair("ES256");
  const { kty, crv, x, y } = await exportJWK(publicKey);
  const jwk = { kty, crv, x, y, kid, alg: "ES256" as const, use: "sig" as const };
  return { kid, privateKey, jwk, keySet: createLocalJWKSet({ keys: [jwk] }) };
}

function signJwt(key: SigningKey, claims: Record<string, unknown>): Promise<string> {
  return new SignJWT(claims).setProtectedHeader({ alg: "ES256", kid: key.kid, typ: "JWT" }).sign(key.privateKey);
}

/**
 * Plays Amazon Cognito's part on a laptop: users, the custom-challenge sign-in (running keyport's
 * Define/Create/VerifyAuthChallenge triggers in-process with Cognito-shaped events), ES256-signed ID
 * and access tokens published at a JWKS, and opaque refresh tokens. State lives in memory.
 */
export class LocalIdentityProvider implements IdentityProvider {
  private readonly users = new Map<string, LocalUser>();
  private readonly sessions = new Map<string, SignInSession>();
  private readonly issuedRefreshTokens = new Map<string, { username: string; expiresAt: number }>();
  private readonly signingKey: Promise<SigningKey>;
  private readonly tokenLifetimeSeconds: number;
  private readonly refreshTokenLifetimeSeconds: number;
  private readonly signInSessionLifetimeMs: number;
  private readonly userPoolId: string;

  constructor(private readonly options: LocalIdentityProviderOptions) {
    this.signingKey = generateSigningKey(toBase64Url(options.random.bytes(12)));
    this.tokenLifetimeSeconds = options.tokenLifetimeSeconds ?? 3600;
    this.refreshTokenLifetimeSeconds = options.refreshTokenLifetimeSeconds ?? 30 * 24 * 3600;
    this.signInSessionLifetimeMs = options.signInSessionLifetimeMs ?? 180_000;
    this.userPoolId = options.userPoolId ?? "local_keyport";
  }

  /** The public keys tokens are signed with, as served at `/.well-known/jwks.json`. */
  async jwks(): Promise<{ keys: JsonWebKey[] }> {
    return { keys: [{ ...(await this.signingKey).jwk }] };
  }

  async createUser(user: NewIdentityUser): Promise<Result<{ identityUserId: string }, CreateUserError>> {
    if (this.users.has(user.username)) return err("user_already_exists");
    this.users.set(user.username, {
      username: user.username,
      sub: this.uuid(),
      attributes: { preferred_username: user.preferredUsername, name: user.name },
    });
    return ok({ identityUserId: user.username });
  }

  async deleteUser(identityUserId: string): Promise<void> {
    this.users.delete(identityUserId);
    for (const [token, entry] of this.issuedRefreshTokens) if (entry.username === identityUserId) this.issuedRefreshTokens.delete(token);
  }

  /**
   * A user who signs in some other way (a password, say): for the "add a passkey to an existing
   * account" flow. Returns tokens as a password sign-in would.
   */
  async createUserWithTokens(username: string, attributes: Record<string, string> = {}): Promise<TokenSet> {
    if (!this.users.has(username)) this.users.set(username, { username, sub: this.uuid(), attributes });
    return this.issueTokens(this.users.get(username)!);
  }

  async startSignIn(identityUserId: string): Promise<Result<SignInChallenge, SignInError>> {
    const user = this.users.get(identityUserId);
    const define = await this.options.triggers.defineAuthChallenge(
      this.event<DefineAuthChallengeEvent>("DefineAuthChallenge_Authentication", identityUserId, user, { session: [] }, {}),
    );
    if (define.response.failAuthentication === true || define.response.challengeName !== CUSTOM_CHALLENGE) return err("sign_in_failed");
    return this.challenge(identityUserId, user, []);
  }

  async answerChallenge(identityUserId: string, session: string, answer: string): Promise<Result<TokenSet, SignInError>> {
    const current = this.sessions.get(session);
    // One answer per session: the session is spent whatever the answer.
    this.sessions.delete(session);
    if (current === undefined || current.username !== identityUserId || this.options.clock.now() >= current.expiresAt) {
      return err("sign_in_session_invalid");
    }
    const user = this.users.get(identityUserId);
    const verify = await this.options.triggers.verifyAuthChallengeResponse(
      this.event<VerifyAuthChallengeResponseEvent>("VerifyAuthChallengeResponse_Authentication", identityUserId, user, {
        privateChallengeParameters: current.privateParameters,
        challengeAnswer: answer,
      }, {}),
    );
    const history: CustomChallengeResult[] = [
      ...current.history,
      { challengeName: CUSTOM_CHALLENGE, challengeResult: verify.response.answerCorrect === true, challengeMetadata: current.metadata ?? null },
    ];
    const define = await this.options.triggers.defineAuthChallenge(
      this.event<DefineAuthChallengeEvent>("DefineAuthChallenge_Authentication", identityUserId, user, { session: history }, {}),
    );
    if (define.response.issueTokens === true && define.response.failAuthentication !== true && user !== undefined) return ok(await this.issueTokens(user));
    // A further challenge would need a new session handed back to the client; the port returns tokens
    // only, so a failed answer ends the sign-in (the default policy allows one answer anyway).
    return err("sign_in_failed");
  }

  async refreshTokens(refreshToken: string, identityUserId?: string): Promise<Result<RefreshedTokens, RefreshError>> {
    const entry = this.issuedRefreshTokens.get(refreshToken);
    // Like Cognito with a client secret: a token presented for another user is no token at all.
    if (entry !== undefined && identityUserId !== undefined && entry.username !== identityUserId) return err("refresh_token_invalid");
    const user = entry === undefined ? undefined : this.users.get(entry.username);
    if (entry === undefined || user === undefined || this.options.clock.now() >= entry.expiresAt) return err("refresh_token_invalid");
    const { refreshToken: _unused, ...tokens } = await this.issueTokens(user, false);
    return ok(tokens);
  }

  async verifyIdToken(token: string): Promise<Result<VerifiedIdentity, TokenError>> {
    if (token.length > MAX_TOKEN_LENGTH) return err("token_malformed");
    const expected = { issuer: this.options.issuer, clientId: this.options.clientId, now: this.options.clock.now() };
    let claims: Record<string, unknown>;
    try {
      // A payload that is no JSON object is malformed whatever the signature, as for Cognito's tokens.
      decodeJwt(token);
      // Against its own JWKS, as any relying party would; `exp` by the Clock port.
      ({ payload: claims } = await jwtVerify(token, (await this.signingKey).keySet, { algorithms: ["ES256"], currentDate: new Date(expected.now) }));
    } catch (error) {
      const code = tokenErrorOfJose(error, expected);
      if (code === null) throw error;
      return err(code);
    }
    return identityFromIdTokenClaims(claims, expected);
  }

  private async challenge(username: string, user: LocalUser | undefined, history: CustomChallengeResult[]): Promise<Result<SignInChallenge, SignInError>> {
    const created = await this.options.triggers.createAuthChallenge(
      this.event<CreateAuthChallengeEvent>("CreateAuthChallenge_Authentication", username, user, { challengeName: CUSTOM_CHALLENGE, session: history }, {}),
    );
    const session = toBase64Url(this.options.random.bytes(48));
    this.sessions.set(session, {
      username,
      history,
      privateParameters: created.response.privateChallengeParameters ?? {},
      metadata: created.response.challengeMetadata,
      expiresAt: this.options.clock.now() + this.signInSessionLifetimeMs,
    });
    return ok({ session, challengeParameters: created.response.publicChallengeParameters ?? {} });
  }

  private async issueTokens(user: LocalUser, withRefreshToken = true): Promise<TokenSet> {
    const iat = Math.floor(this.options.clock.now() / 1000);
    const exp = iat + this.tokenLifetimeSeconds;
    const common = { sub: user.sub, iss: this.options.issuer, iat, exp, auth_time: iat, origin_jti: toBase64Url(this.options.random.bytes(16)) };
    const key = await this.signingKey;
    const idToken = await signJwt(key, {
      ...common,
      aud: this.options.clientId,
      token_use: "id",
      "cognito:username": user.username,
      ...user.attributes,
    });
    const accessToken = await signJwt(key, {
      ...common,
      client_id: this.options.clientId,
      token_use: "access",
      scope: "aws.cognito.signin.user.admin",
      username: user.username,
      "cognito:username": user.username,
    });
    let refreshToken = "";
    if (withRefreshToken) {
      refreshToken = toBase64Url(this.options.random.bytes(48));
      this.issuedRefreshTokens.set(refreshToken, { username: user.username, expiresAt: this.options.clock.now() + this.refreshTokenLifetimeSeconds * 1000 });
    }
    return { accessToken, idToken, refreshToken, expiresIn: this.tokenLifetimeSeconds, tokenType: "Bearer" };
  }

  /** A Cognito-shaped trigger event, passed through JSON as Cognito would, so handlers share nothing with us. */
  private event<E extends DefineAuthChallengeEvent | CreateAuthChallengeEvent | VerifyAuthChallengeResponseEvent>(
    triggerSource: E["triggerSource"],
    userName: string,
    user: LocalUser | undefined,
    request: Omit<E["request"], "userAttributes" | "userNotFound" | "clientMetadata">,
    response: E["response"],
  ): E {
    const event = {
      version: "1",
      region: REGION,
      userPoolId: this.userPoolId,
      userName,
      callerContext: { awsSdkVersion: "keyport-local", clientId: this.options.clientId },
      triggerSource,
      request: {
        userAttributes: user === undefined ? {} : { sub: user.sub, ...user.attributes },
        ...request,
        userNotFound: user === undefined,
      },
      response,
    };
    return JSON.parse(JSON.stringify(event)) as E;
  }

  private uuid(): string {
    const b = this.options.random.bytes(16);
    b[6] = (b[6]! & 0x0f) | 0x40;
    b[8] = (b[8]! & 0x3f) | 0x80;
    const hex = Array.from(b, (x) => x.toString(16).padStart(2, "0")).join("");
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
  }
}
