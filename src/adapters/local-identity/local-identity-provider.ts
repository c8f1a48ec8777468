import { createLocalJWKSet, exportJWK, generateKeyPair, SignJWT, type JWK, type JWTVerifyGetKey } from "jose";
import { verifyIdTokenWithJose } from "../jwt/jose-id-token.js";
import { toBase64Url } from "../../domain/encoding/bytes.js";
import { CUSTOM_CHALLENGE, type CustomChallengeResult } from "../../domain/custom-challenge/custom-challenge.js";
import { err, ok, type Result } from "../../domain/result.js";
import { PASSKEY_ENROLLED_ATTRIBUTE } from "../../domain/custom-challenge/second-factor.js";
import type { Clock } from "../../ports/clock.js";
import type { IdentityUser, IdentityUserDirectory } from "../../ports/identity-user-directory.js";
import { StorageUnavailableError } from "../../ports/storage-unavailable-error.js";
import type {
  CreateUserError,
  IdentityProvider,
  NewIdentityUser,
  RefreshError,
  RefreshedTokens,
  SignInChallenge,
  SignInError,
  SignOutError,
  TokenError,
  TokenSet,
  UpdateUserError,
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
  /** Where its users are kept: the configured storage, so that with DynamoDB they outlive the process. */
  readonly users: IdentityUserDirectory;
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
  /** Least time between two sweeps of expired sign-in sessions and refresh tokens. @default 10 s */
  readonly sweepIntervalMs?: number;
}

interface SignInSession {
  readonly username: string;
  readonly history: readonly CustomChallengeResult[];
  readonly privateParameters: Record<string, string>;
  readonly metadata: string | undefined;
  readonly expiresAt: number;
}

/**
 * What a refresh token stands for: one sign-in of one user (one `origin_jti`). Every token that rotation
 * hands down from the sign-in shares this one object, so a sign-out with any of them reaches them all.
 */
interface SignInGrant {
  readonly username: string;
  /** The sign-in's `auth_time` (seconds) and `origin_jti`, kept through refreshes as Cognito keeps them. */
  readonly authTime: number;
  readonly originJti: string;
  /** Set at sign-in; a rotated token inherits it (Cognito: "valid for the remaining time of the original"). */
  readonly expiresAt: number;
  /** The one token that refreshes this sign-in now; null while a refresh is under way, and once revoked. */
  liveToken: string | null;
  /**
   * Set by a sign-out. A refresh under way when it is set (its token spent, its successor not yet stored)
   * checks it before handing out tokens, so that no token outlives the sign-out.
   */
  revoked: boolean;
}

/** The sign-in a set of tokens comes from. */
interface SignInOrigin {
  readonly authTime: number;
  readonly originJti: string;
}

const REGION = "local";

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
 * and access tokens published at a JWKS, and opaque refresh tokens, rotated on every refresh as by an
 * app client with refresh-token rotation (ADR 0016). Signing out is real: a revoked refresh token, and
 * every token rotated from the same sign-in, refreshes no more (ID and access tokens already issued stay
 * valid until they expire, as Cognito's do for any verifier that checks only their signature).
 *
 * Its users are kept in the IdentityUserDirectory it is given (the configured storage), so with
 * DynamoDB they survive a restart and their passkeys still sign in. Everything else lives in this
 * object and dies with the process: the signing key (tokens issued before a restart no longer verify),
 * sign-in sessions and refresh tokens (users sign in again with their passkeys). Expired sign-in
 * sessions and refresh tokens are swept as new ones are made, by the Clock port, so what it holds is
 * bounded by what was started within one lifetime. A storage fault of the directory is reported as
 * `identity_provider_unavailable`, as Cognito's own faults are.
 */
export class LocalIdentityProvider implements IdentityProvider {
  private readonly sessions = new Map<string, SignInSession>();
  /** Refresh tokens that refresh: each sign-in's live one. */
  private readonly liveRefreshTokens = new Map<string, SignInGrant>();
  /**
   * Refresh tokens spent by a rotation, kept until their sign-in expires so that a sign-out presenting one
   * (a second tab that missed the rotation, say) still ends the sign-in. They never refresh.
   */
  private readonly spentRefreshTokens = new Map<string, SignInGrant>();
  private readonly signingKey: Promise<SigningKey>;
  private readonly tokenLifetimeSeconds: number;
  private readonly refreshTokenLifetimeSeconds: number;
  private readonly signInSessionLifetimeMs: number;
  private readonly sweepIntervalMs: number;
  private readonly userPoolId: string;
  private nextSweep = 0;

  constructor(private readonly options: LocalIdentityProviderOptions) {
    this.signingKey = generateSigningKey(toBase64Url(options.random.bytes(12)));
    this.tokenLifetimeSeconds = options.tokenLifetimeSeconds ?? 3600;
    this.refreshTokenLifetimeSeconds = options.refreshTokenLifetimeSeconds ?? 30 * 24 * 3600;
    this.signInSessionLifetimeMs = options.signInSessionLifetimeMs ?? 180_000;
    this.sweepIntervalMs = options.sweepIntervalMs ?? 10_000;
    this.userPoolId = options.userPoolId ?? "local_keyport";
  }

  /** How many sign-in sessions, live and spent refresh tokens are held, expired or not yet swept; for tests and metrics. */
  get held(): { readonly signInSessions: number; readonly refreshTokens: number; readonly spentRefreshTokens: number } {
    return { signInSessions: this.sessions.size, refreshTokens: this.liveRefreshTokens.size, spentRefreshTokens: this.spentRefreshTokens.size };
  }

  /** The public keys tokens are signed with, as served at `/.well-known/jwks.json`. */
  async jwks(): Promise<{ keys: JsonWebKey[] }> {
    return { keys: [{ ...(await this.signingKey).jwk }] };
  }

  async createUser(user: NewIdentityUser): Promise<Result<{ identityUserId: string }, CreateUserError>> {
    let outcome: "created" | "exists";
    try {
      outcome = await this.options.users.create({
        username: user.username,
        sub: this.uuid(),
        attributes: { preferred_username: user.preferredUsername, name: user.name },
      });
    } catch (fault) {
      return unavailable(fault);
    }
    return outcome === "created" ? ok({ identityUserId: user.username }) : err("user_already_exists");
  }

  /**
   * Idempotent; the directory's `StorageUnavailableError` is thrown as it is. The user's sign-ins are
   * revoked first, so that no refresh under way can outlive the user.
   */
  async deleteUser(identityUserId: string): Promise<void> {
    this.revokeAllOf(identityUserId);
    await this.options.users.delete(identityUserId);
  }

  /**
   * Sets `preferred_username` and `name` in the directory; tokens issued from then on (a sign-in, or a
   * refresh, which reads the user again) carry them. `preferred_username` is not kept unique here: keyport's
   * credential store is the authority on usernames (ADR 0017), and the directory has no index by attribute
   * that could check it atomically. A user missing from the directory (deleted meanwhile) is
   * `identity_provider_unavailable`, the port having no code for it, as with Cognito.
   */
  async updateUser(identityUserId: string, attributes: { readonly preferredUsername: string; readonly name: string }): Promise<Result<void, UpdateUserError>> {
    let outcome: "updated" | "not_found";
    try {
      outcome = await this.options.users.updateAttributes(identityUserId, { preferred_username: attributes.preferredUsername, name: attributes.name });
    } catch (fault) {
      return unavailable(fault);
    }
    return outcome === "updated" ? ok(undefined) : err("identity_provider_unavailable");
  }

  /** Sets PASSKEY_ENROLLED_ATTRIBUTE in the directory, where the trigger events' `userAttributes` come from. */
  async setPasskeyEnrolled(identityUserId: string, enrolled: boolean): Promise<Result<void, UpdateUserError>> {
    let outcome: "updated" | "not_found";
    try {
      outcome = await this.options.users.updateAttributes(identityUserId, { [PASSKEY_ENROLLED_ATTRIBUTE]: String(enrolled) });
    } catch (fault) {
      return unavailable(fault);
    }
    return outcome === "updated" ? ok(undefined) : err("identity_provider_unavailable");
  }

  /**
   * Revokes the sign-in the token belongs to: every token of it, the live one and those rotated out,
   * including a refresh under way. The token may be the live one or one already rotated out. An unknown,
   * expired or already revoked token is no error (RFC 7009 §2.2).
   */
  async revokeRefreshToken(refreshToken: string): Promise<Result<void, SignOutError>> {
    const grant = this.liveRefreshTokens.get(refreshToken) ?? this.spentRefreshTokens.get(refreshToken);
    if (grant !== undefined) this.revoke(grant);
    return ok(undefined);
  }

  /** Revokes every sign-in of the user, including one whose refresh is under way. Idempotent; an unknown user is no error. */
  async signOutEverywhere(identityUserId: string): Promise<Result<void, SignOutError>> {
    this.revokeAllOf(identityUserId);
    return ok(undefined);
  }

  /**
   * A user who signs in some other way (a password, say): for the "add a passkey to an existing
   * account" flow. Returns tokens as a password sign-in would.
   */
  async createUserWithTokens(username: string, attributes: Record<string, string> = {}): Promise<TokenSet> {
    await this.options.users.create({ username, sub: this.uuid(), attributes });
    const user = await this.options.users.find(username);
    if (user === null) throw new Error(`local identity provider: ${username} was deleted while being signed in`);
    return this.signIn(user);
  }

  async startSignIn(identityUserId: string): Promise<Result<SignInChallenge, SignInError>> {
    let user: IdentityUser | null;
    try {
      user = await this.options.users.find(identityUserId);
    } catch (fault) {
      return unavailable(fault);
    }
    const define = await this.options.triggers.defineAuthChallenge(
      this.event<DefineAuthChallengeEvent>("DefineAuthChallenge_Authentication", identityUserId, user, { session: [] }, {}),
    );
    if (define.response.failAuthentication === true || define.response.challengeName !== CUSTOM_CHALLENGE) return err("sign_in_failed");
    return this.challenge(identityUserId, user, []);
  }

  /**
   * Runs Verify and then Define on the answer, as Cognito's RespondToAuthChallenge does, handing both
   * `clientMetadata` as their events' `request.clientMetadata`.
   */
  async answerChallenge(
    identityUserId: string,
    session: string,
    answer: string,
    clientMetadata?: Readonly<Record<string, string>>,
  ): Promise<Result<TokenSet, SignInError>> {
    const current = this.sessions.get(session);
    // One answer per session: the session is spent whatever the answer.
    this.sessions.delete(session);
    if (current === undefined || current.username !== identityUserId || this.options.clock.now() >= current.expiresAt) {
      return err("sign_in_session_invalid");
    }
    let user: IdentityUser | null;
    try {
      user = await this.options.users.find(identityUserId);
    } catch (fault) {
      return unavailable(fault);
    }
    const verify = await this.options.triggers.verifyAuthChallengeResponse(
      this.event<VerifyAuthChallengeResponseEvent>(
        "VerifyAuthChallengeResponse_Authentication",
        identityUserId,
        user,
        { privateChallengeParameters: current.privateParameters, challengeAnswer: answer },
        {},
        clientMetadata,
      ),
    );
    const history: CustomChallengeResult[] = [
      ...current.history,
      { challengeName: CUSTOM_CHALLENGE, challengeResult: verify.response.answerCorrect === true, challengeMetadata: current.metadata ?? null },
    ];
    const define = await this.options.triggers.defineAuthChallenge(
      this.event<DefineAuthChallengeEvent>("DefineAuthChallenge_Authentication", identityUserId, user, { session: history }, {}, clientMetadata),
    );
    if (define.response.issueTokens === true && define.response.failAuthentication !== true && user !== null) return ok(await this.signIn(user));
    // A further challenge would need a new session handed back to the client; the port returns tokens
    // only, so a failed answer ends the sign-in (the default policy allows one answer anyway).
    return err("sign_in_failed");
  }

  /**
   * New tokens and a new refresh token, as Cognito's GetTokensFromRefreshToken with rotation and no
   * grace period: the token given is spent, and its successor keeps its sign-in (`auth_time`,
   * `origin_jti`) and its expiry. A token presented for another user is refused and not spent. A sign-in
   * revoked while the refresh runs gets nothing.
   */
  async refreshTokens(refreshToken: string, identityUserId?: string): Promise<Result<RefreshedTokens, RefreshError>> {
    const grant = this.liveRefreshTokens.get(refreshToken);
    if (grant === undefined || this.options.clock.now() >= grant.expiresAt) return err("refresh_token_invalid");
    // Like Cognito with a client secret: a token presented for another user is no token at all.
    if (identityUserId !== undefined && grant.username !== identityUserId) return err("refresh_token_invalid");
    // Spent before anything is awaited, so two refreshes with one token cannot both succeed.
    this.liveRefreshTokens.delete(refreshToken);
    this.spentRefreshTokens.set(refreshToken, grant);
    grant.liveToken = null;
    let user: IdentityUser | null;
    try {
      user = await this.options.users.find(grant.username);
    } catch (fault) {
      // Not this token's fault: it is given back (it was drawn at random, so nothing can have taken its
      // place), unless a sign-out came meanwhile.
      if (!grant.revoked) {
        this.spentRefreshTokens.delete(refreshToken);
        this.makeLive(refreshToken, grant);
      }
      return unavailable(fault);
    }
    if (user === null) return err("refresh_token_invalid");
    const tokens = await this.issueTokens(user, grant);
    // Checked last, after every await: a sign-out while the user was read or the tokens signed wins.
    if (grant.revoked) return err("refresh_token_invalid");
    return ok({ ...tokens, refreshToken: this.storeRefreshToken(grant), identityUserId: user.username });
  }

  async verifyIdToken(token: string): Promise<Result<VerifiedIdentity, TokenError>> {
    const expected = { issuer: this.options.issuer, clientId: this.options.clientId, now: this.options.clock.now() };
    // Against its own JWKS, as any relying party would; times by the Clock port.
    return verifyIdTokenWithJose(token, (await this.signingKey).keySet, expected);
  }

  private async challenge(username: string, user: IdentityUser | null, history: CustomChallengeResult[]): Promise<Result<SignInChallenge, SignInError>> {
    const created = await this.options.triggers.createAuthChallenge(
      this.event<CreateAuthChallengeEvent>("CreateAuthChallenge_Authentication", username, user, { challengeName: CUSTOM_CHALLENGE, session: history }, {}),
    );
    const session = toBase64Url(this.options.random.bytes(48));
    this.sweep();
    this.sessions.set(session, {
      username,
      history,
      privateParameters: created.response.privateChallengeParameters ?? {},
      metadata: created.response.challengeMetadata,
      expiresAt: this.options.clock.now() + this.signInSessionLifetimeMs,
    });
    return ok({ session, challengeParameters: created.response.publicChallengeParameters ?? {} });
  }

  /** The tokens of a new sign-in: a new `auth_time` and `origin_jti`, and a refresh token standing for them. */
  private async signIn(user: IdentityUser): Promise<TokenSet> {
    const origin: SignInOrigin = { authTime: Math.floor(this.options.clock.now() / 1000), originJti: toBase64Url(this.options.random.bytes(16)) };
    const tokens = await this.issueTokens(user, origin);
    const refreshToken = this.storeRefreshToken({
      username: user.username,
      ...origin,
      expiresAt: this.options.clock.now() + this.refreshTokenLifetimeSeconds * 1000,
      liveToken: null,
      revoked: false,
    });
    return { ...tokens, refreshToken };
  }

  /** A new live token for the sign-in: at sign-in, and at a refresh once the token it was given is spent. */
  private storeRefreshToken(grant: SignInGrant): string {
    const token = toBase64Url(this.options.random.bytes(48));
    this.sweep();
    this.makeLive(token, grant);
    return token;
  }

  private makeLive(token: string, grant: SignInGrant): void {
    this.liveRefreshTokens.set(token, grant);
    grant.liveToken = token;
  }

  /** Ends a sign-in: its live token refreshes no more, and a refresh under way hands out nothing. */
  private revoke(grant: SignInGrant): void {
    grant.revoked = true;
    if (grant.liveToken !== null) this.liveRefreshTokens.delete(grant.liveToken);
    grant.liveToken = null;
  }

  /** Ends every sign-in of the user, including those whose refresh is under way (found by their spent tokens). */
  private revokeAllOf(username: string): void {
    for (const grant of this.liveRefreshTokens.values()) if (grant.username === username) this.revoke(grant);
    for (const grant of this.spentRefreshTokens.values()) if (grant.username === username) this.revoke(grant);
  }

  /** Drops expired sign-in sessions and refresh tokens, at most once per sweep interval (as the in-memory session store does). */
  private sweep(): void {
    const now = this.options.clock.now();
    if (now < this.nextSweep) return;
    this.nextSweep = now + this.sweepIntervalMs;
    for (const [id, session] of this.sessions) if (session.expiresAt <= now) this.sessions.delete(id);
    for (const [token, grant] of this.liveRefreshTokens) if (grant.expiresAt <= now) this.liveRefreshTokens.delete(token);
    for (const [token, grant] of this.spentRefreshTokens) if (grant.expiresAt <= now) this.spentRefreshTokens.delete(token);
  }

  /** ID and access tokens issued now, for the sign-in `origin`. */
  private async issueTokens(user: IdentityUser, origin: SignInOrigin): Promise<Omit<TokenSet, "refreshToken">> {
    const iat = Math.floor(this.options.clock.now() / 1000);
    const exp = iat + this.tokenLifetimeSeconds;
    const common = { sub: user.sub, iss: this.options.issuer, iat, exp, auth_time: origin.authTime, origin_jti: origin.originJti };
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
    return { accessToken, idToken, expiresIn: this.tokenLifetimeSeconds, tokenType: "Bearer" };
  }

  /**
   * A Cognito-shaped trigger event, passed through JSON as Cognito would, so handlers share nothing with
   * us. `clientMetadata` as the caller gave it; like Cognito, none at all when it gave none.
   */
  private event<E extends DefineAuthChallengeEvent | CreateAuthChallengeEvent | VerifyAuthChallengeResponseEvent>(
    triggerSource: E["triggerSource"],
    userName: string,
    user: IdentityUser | null,
    request: Omit<E["request"], "userAttributes" | "userNotFound" | "clientMetadata">,
    response: E["response"],
    clientMetadata?: Readonly<Record<string, string>>,
  ): E {
    const event = {
      version: "1",
      region: REGION,
      userPoolId: this.userPoolId,
      userName,
      callerContext: { awsSdkVersion: "keyport-local", clientId: this.options.clientId },
      triggerSource,
      request: {
        userAttributes: user === null ? {} : { sub: user.sub, ...user.attributes },
        ...request,
        ...(clientMetadata === undefined ? {} : { clientMetadata: { ...clientMetadata } }),
        userNotFound: user === null,
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

/** A storage fault of the directory as the IdentityProvider port reports faults; anything else (a bug) is rethrown. */
function unavailable(fault: unknown): Result<never, "identity_provider_unavailable"> {
  if (fault instanceof StorageUnavailableError) return err("identity_provider_unavailable");
  throw fault;
}
