import { createLocalJWKSet, errors as joseErrors, exportJWK, generateKeyPair, jwtVerify, SignJWT, type JWK, type JWTVerifyGetKey } from "jose";
import { sha256 } from "@oslojs/crypto/sha2";
import { verifyIdTokenWithJose } from "../jwt/jose-id-token.js";
import { InMemoryRefreshGrantStore } from "../in-memory/in-memory-refresh-grant-store.js";
import { toBase64Url, utf8Bytes } from "../../domain/encoding/bytes.js";
import { CUSTOM_CHALLENGE, type CustomChallengeResult } from "../../domain/custom-challenge/custom-challenge.js";
import { err, ok, type Result } from "../../domain/result.js";
import { PASSKEY_ENROLLED_ATTRIBUTE } from "../../domain/custom-challenge/second-factor.js";
import type { Clock } from "../../ports/clock.js";
import type { IdentityUser, IdentityUserDirectory } from "../../ports/identity-user-directory.js";
import type { RefreshGrant, RefreshGrantStore } from "../../ports/refresh-grant-store.js";
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
import { SignInSessions } from "./sign-in-sessions.js";

export interface LocalIdentityProviderOptions {
  readonly clock: Clock;
  readonly random: RandomSource;
  /** Where its users are kept: the configured storage, so that with DynamoDB they outlive the process. */
  readonly users: IdentityUserDirectory;
  /** keyport's own trigger handlers: the local provider runs them exactly where Cognito would. */
  readonly triggers: CustomChallengeTriggers;
  /** The `iss` of every token. */
  readonly issuer: string;
  /** The `aud` / `client_id` of every token: the local pool's one app client. */
  readonly clientId: string;
  /** The local pool's id (`<region>_<name>`), as trigger events carry it. @default "local_keyport" */
  readonly userPoolId?: string;
  /**
   * Where refresh grants are kept: the configured storage (with DynamoDB they outlive the process).
   * @default a store in this process's memory
   */
  readonly refreshGrants?: RefreshGrantStore;
  readonly tokenLifetimeSeconds?: number;
  readonly refreshTokenLifetimeSeconds?: number;
  /** Cognito's `authSessionValidity`: 3 minutes. */
  readonly signInSessionLifetimeMs?: number;
  /** Least time between two sweeps of expired sign-in sessions. @default 10 s */
  readonly sweepIntervalMs?: number;
}

/** A custom challenge waiting for its answer. */
interface CustomChallengeSession {
  readonly username: string;
  readonly history: readonly CustomChallengeResult[];
  readonly privateParameters: Record<string, string>;
  readonly metadata: string | undefined;
}

/** What DefineAuthChallenge asked for, as Cognito reads its response: `failAuthentication` wins over the rest. */
export type DefineVerdict = { readonly kind: "challenge"; readonly challengeName: string } | { readonly kind: "tokens" } | { readonly kind: "fail" };

/** An answered custom challenge: whose it was and the history with the answer's result last. */
export interface AnsweredCustomChallenge {
  readonly username: string;
  readonly user: IdentityUser | null;
  readonly history: readonly CustomChallengeResult[];
}

/** Why an access token is refused (Cognito: NotAuthorizedException, with a message for each). */
export type AccessTokenError = "access_token_invalid" | "access_token_expired" | "access_token_revoked";

/** The sign-in a set of tokens comes from: its `auth_time` (seconds) and `origin_jti` (the grant's id). */
interface SignInOrigin {
  readonly authTime: number;
  readonly originJti: string;
}

/**
 * A refresh token is `<grantId>.<secret>`: the grant it refreshes (its sign-in's `origin_jti`, public in
 * every token of the sign-in) and 32 random bytes. The store keeps only the SHA-256 of the whole token.
 */
const REFRESH_TOKEN = /^([A-Za-z0-9_-]{22})\.[A-Za-z0-9_-]{43}$/;

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

/** The local provider's tokens are well under 2 KiB; anything far larger is not one of them. */
const MAX_TOKEN_LENGTH = 8 * 1024;

/**
 * Plays Amazon Cognito's part on a laptop: users, the custom-challenge sign-in (running keyport's
 * Define/Create/VerifyAuthChallenge triggers in-process with Cognito-shaped events), ES256-signed ID
 * and access tokens published at a JWKS, and opaque refresh tokens, rotated on every refresh as by an
 * app client with refresh-token rotation (ADR 0016). Signing out is real: a revoked refresh token, and
 * every token rotated from the same sign-in, refreshes no more, and the sign-in's access tokens are
 * refused by the local Cognito API (ID and access tokens already issued still verify by their signature
 * until they expire, as Cognito's do for any verifier that checks only that).
 *
 * Its users are kept in the IdentityUserDirectory it is given and its refresh grants in the
 * RefreshGrantStore (the configured storage), so with DynamoDB both survive a restart: users' passkeys
 * and passwords still sign in, and a refresh token still refreshes. The signing key and sign-in sessions
 * live in this object and die with the process (tokens signed before a restart no longer verify).
 * A storage fault is reported as `identity_provider_unavailable`, as Cognito's own faults are.
 *
 * Besides the IdentityProvider port it offers the steps of Cognito's API that the local user pool
 * (LocalUserPool, the local Cognito API) composes: Define's verdict on a history, a custom challenge
 * opened and answered, a sign-in's tokens, an access token checked.
 */
export class LocalIdentityProvider implements IdentityProvider {
  private readonly sessions: SignInSessions<CustomChallengeSession>;
  private readonly refreshGrants: RefreshGrantStore;
  private readonly signingKey: Promise<SigningKey>;
  private readonly tokenLifetimeSeconds: number;
  private readonly refreshTokenLifetimeSeconds: number;
  readonly userPoolId: string;
  /** The region of trigger events: the pool id's prefix, as in Cognito. */
  private readonly region: string;

  constructor(private readonly options: LocalIdentityProviderOptions) {
    this.signingKey = generateSigningKey(toBase64Url(options.random.bytes(12)));
    this.tokenLifetimeSeconds = options.tokenLifetimeSeconds ?? 3600;
    this.refreshTokenLifetimeSeconds = options.refreshTokenLifetimeSeconds ?? 30 * 24 * 3600;
    this.sessions = new SignInSessions(options.clock, options.random, options.signInSessionLifetimeMs ?? 180_000, options.sweepIntervalMs ?? 10_000);
    this.refreshGrants = options.refreshGrants ?? new InMemoryRefreshGrantStore(options.clock);
    this.userPoolId = options.userPoolId ?? "local_keyport";
    this.region = this.userPoolId.split("_")[0] ?? "local";
  }

  /** The users' directory, shared with the local user pool. */
  get users(): IdentityUserDirectory {
    return this.options.users;
  }

  /** The `aud` / `client_id` of its tokens. */
  get clientId(): string {
    return this.options.clientId;
  }

  /** How many sign-in sessions are held, expired or not yet swept; for tests and metrics. */
  get held(): { readonly signInSessions: number } {
    return { signInSessions: this.sessions.size };
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
        sub: randomUuid(this.options.random),
        attributes: { preferred_username: user.preferredUsername, name: user.name },
      });
    } catch (fault) {
      return unavailable(fault);
    }
    return outcome === "created" ? ok({ identityUserId: user.username }) : err("user_already_exists");
  }

  /**
   * Idempotent; a storage fault is thrown as it is (`StorageUnavailableError`). The user's sign-ins are
   * revoked first, so that no refresh under way can outlive the user.
   */
  async deleteUser(identityUserId: string): Promise<void> {
    await this.refreshGrants.revokeAllOf(identityUserId);
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
    return this.setAttributes(identityUserId, { preferred_username: attributes.preferredUsername, name: attributes.name });
  }

  /** Sets PASSKEY_ENROLLED_ATTRIBUTE in the directory, where the trigger events' `userAttributes` come from. */
  async setPasskeyEnrolled(identityUserId: string, enrolled: boolean): Promise<Result<void, UpdateUserError>> {
    return this.setAttributes(identityUserId, { [PASSKEY_ENROLLED_ATTRIBUTE]: String(enrolled) });
  }

  /**
   * Revokes the sign-in the token belongs to: every token of it, the live one and those rotated out,
   * including a refresh under way. An unknown, expired or already revoked token is no error (RFC 7009 §2.2).
   */
  async revokeRefreshToken(refreshToken: string): Promise<Result<void, SignOutError>> {
    const grantId = grantIdOf(refreshToken);
    if (grantId === null) return ok(undefined);
    try {
      await this.refreshGrants.revoke(grantId, tokenHash(refreshToken));
    } catch (fault) {
      return unavailable(fault);
    }
    return ok(undefined);
  }

  /** Revokes every sign-in of the user, including one whose refresh is under way. Idempotent; an unknown user is no error. */
  async signOutEverywhere(identityUserId: string): Promise<Result<void, SignOutError>> {
    try {
      await this.refreshGrants.revokeAllOf(identityUserId);
    } catch (fault) {
      return unavailable(fault);
    }
    return ok(undefined);
  }

  /**
   * A user who signs in some other way (a password, say): for the "add a passkey to an existing
   * account" flow. Returns tokens as a password sign-in would.
   */
  async createUserWithTokens(username: string, attributes: Record<string, string> = {}): Promise<TokenSet> {
    await this.options.users.create({ username, sub: randomUuid(this.options.random), attributes });
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
    const verdict = await this.defineNext(identityUserId, user, []);
    if (verdict.kind !== "challenge" || verdict.challengeName !== CUSTOM_CHALLENGE) return err("sign_in_failed");
    return ok(await this.openCustomChallenge(identityUserId, user, []));
  }

  /**
   * Runs Verify and then Define on the answer, as Cognito's RespondToAuthChallenge does, handing both
   * `clientMetadata` as their events' `request.clientMetadata`. The port returns tokens or nothing, so
   * a further challenge (a policy allowing more than one answer) ends the sign-in here; the local
   * Cognito API hands it on with a new session.
   */
  async answerChallenge(
    identityUserId: string,
    session: string,
    answer: string,
    clientMetadata?: Readonly<Record<string, string>>,
  ): Promise<Result<TokenSet, SignInError>> {
    try {
      const answered = await this.answerCustomChallenge(session, identityUserId, answer, clientMetadata);
      if (answered === null) return err("sign_in_session_invalid");
      const verdict = await this.defineNext(identityUserId, answered.user, answered.history, clientMetadata);
      if (verdict.kind !== "tokens" || answered.user === null) return err("sign_in_failed");
      return ok(await this.signIn(answered.user));
    } catch (fault) {
      return unavailable(fault);
    }
  }

  /**
   * New tokens and a new refresh token, as Cognito's GetTokensFromRefreshToken with rotation and no
   * grace period: the token given is spent, and its successor keeps its sign-in (`auth_time`,
   * `origin_jti`) and its expiry. A token presented for another user is refused and not spent. A sign-in
   * revoked while the refresh runs gets nothing.
   */
  async refreshTokens(refreshToken: string, identityUserId?: string): Promise<Result<RefreshedTokens, RefreshError>> {
    const grantId = grantIdOf(refreshToken);
    if (grantId === null) return err("refresh_token_invalid");
    const successor = newRefreshToken(grantId, this.options.random);
    return this.refresh(grantId, refreshToken, successor, identityUserId);
  }

  /**
   * New ID and access tokens, the refresh token staying as it is: Cognito's InitiateAuth
   * REFRESH_TOKEN_AUTH on an app client without rotation, which apps written for such a client expect.
   * Revocation and expiry are those of `refreshTokens`.
   */
  async refreshTokensKeepingToken(refreshToken: string): Promise<Result<RefreshedTokens, RefreshError>> {
    const grantId = grantIdOf(refreshToken);
    if (grantId === null) return err("refresh_token_invalid");
    const refreshed = await this.refresh(grantId, refreshToken, refreshToken, undefined);
    if (!refreshed.ok) return refreshed;
    const { accessToken, idToken, expiresIn, tokenType, identityUserId } = refreshed.value;
    return ok({ accessToken, idToken, expiresIn, tokenType, identityUserId });
  }

  async verifyIdToken(token: string): Promise<Result<VerifiedIdentity, TokenError>> {
    const expected = { issuer: this.options.issuer, clientId: this.options.clientId, now: this.options.clock.now() };
    // Against its own JWKS, as any relying party would; times by the Clock port.
    return verifyIdTokenWithJose(token, (await this.signingKey).keySet, expected);
  }

  /**
   * Whose an access token of this provider is, as Cognito checks one (GetUser, GlobalSignOut): its
   * signature, `token_use` access, this client, not expired, and its sign-in not revoked (a sign-out,
   * a global sign-out, a deleted user). Throws `StorageUnavailableError` when the grants are out of reach.
   */
  async verifyAccessToken(token: string): Promise<Result<{ readonly username: string; readonly sub: string }, AccessTokenError>> {
    if (token.length > MAX_TOKEN_LENGTH) return err("access_token_invalid");
    let claims: Record<string, unknown>;
    try {
      ({ payload: claims } = await jwtVerify(token, (await this.signingKey).keySet, {
        algorithms: ["ES256"],
        currentDate: new Date(this.options.clock.now()),
        issuer: this.options.issuer,
      }));
    } catch (error) {
      if (error instanceof joseErrors.JWTExpired) return err("access_token_expired");
      if (error instanceof joseErrors.JOSEError) return err("access_token_invalid");
      throw error;
    }
    const { token_use, client_id, username, sub, origin_jti } = claims;
    if (token_use !== "access" || client_id !== this.options.clientId) return err("access_token_invalid");
    if (typeof username !== "string" || typeof sub !== "string" || typeof origin_jti !== "string") return err("access_token_invalid");
    if (await this.grantRevoked(origin_jti)) return err("access_token_revoked");
    return ok({ username, sub });
  }

  /**
   * DefineAuthChallenge's verdict on `history` for `username` (`user` as the directory has it, null when
   * unknown: the event then says `userNotFound`). `clientMetadata` as Cognito hands it on: from
   * RespondToAuthChallenge, not from InitiateAuth.
   */
  async defineNext(
    username: string,
    user: IdentityUser | null,
    history: readonly CustomChallengeResult[],
    clientMetadata?: Readonly<Record<string, string>>,
  ): Promise<DefineVerdict> {
    const define = await this.options.triggers.defineAuthChallenge(
      this.event<DefineAuthChallengeEvent>("DefineAuthChallenge_Authentication", username, user, { session: [...history] }, {}, clientMetadata),
    );
    // Only booleans count (the port's promise); a trigger that asks for both tokens and failure fails.
    if (define.response.failAuthentication === true) return { kind: "fail" };
    if (define.response.issueTokens === true) return { kind: "tokens" };
    const challengeName = define.response.challengeName;
    return typeof challengeName === "string" && challengeName !== "" ? { kind: "challenge", challengeName } : { kind: "fail" };
  }

  /** Runs CreateAuthChallenge after `history` and opens the session its answer must come back with. */
  async openCustomChallenge(
    username: string,
    user: IdentityUser | null,
    history: readonly CustomChallengeResult[],
    clientMetadata?: Readonly<Record<string, string>>,
  ): Promise<SignInChallenge> {
    const created = await this.options.triggers.createAuthChallenge(
      this.event<CreateAuthChallengeEvent>(
        "CreateAuthChallenge_Authentication",
        username,
        user,
        { challengeName: CUSTOM_CHALLENGE, session: [...history] },
        {},
        clientMetadata,
      ),
    );
    const session = this.sessions.open({
      username,
      history,
      privateParameters: created.response.privateChallengeParameters ?? {},
      metadata: created.response.challengeMetadata,
    });
    return { session, challengeParameters: created.response.publicChallengeParameters ?? {} };
  }

  /**
   * Spends `session` and runs VerifyAuthChallengeResponse on `answer`: the history with the answer's
   * result last, for Define to judge. Null when the session is unknown, expired, spent, or another user's.
   * A storage fault (reading the user) is thrown.
   */
  async answerCustomChallenge(
    session: string,
    username: string,
    answer: string,
    clientMetadata?: Readonly<Record<string, string>>,
  ): Promise<AnsweredCustomChallenge | null> {
    // One answer per session: the session is spent whatever the answer.
    const current = this.sessions.take(session);
    if (current === null || current.username !== username) return null;
    const user = await this.options.users.find(username);
    const verify = await this.options.triggers.verifyAuthChallengeResponse(
      this.event<VerifyAuthChallengeResponseEvent>(
        "VerifyAuthChallengeResponse_Authentication",
        username,
        user,
        { privateChallengeParameters: current.privateParameters, challengeAnswer: answer },
        {},
        clientMetadata,
      ),
    );
    const result: CustomChallengeResult = {
      challengeName: CUSTOM_CHALLENGE,
      challengeResult: verify.response.answerCorrect === true,
      challengeMetadata: current.metadata ?? null,
    };
    return { username, user, history: [...current.history, result] };
  }

  /**
   * The tokens of a new sign-in: a new `auth_time` and `origin_jti`, and a refresh token standing for
   * them, its grant stored. A storage fault is thrown.
   */
  async signIn(user: IdentityUser): Promise<TokenSet> {
    const grant: RefreshGrant = {
      grantId: toBase64Url(this.options.random.bytes(16)),
      username: user.username,
      authTime: Math.floor(this.options.clock.now() / 1000),
      expiresAt: this.options.clock.now() + this.refreshTokenLifetimeSeconds * 1000,
    };
    const refreshToken = newRefreshToken(grant.grantId, this.options.random);
    // Grant ids are 16 random bytes: "exists" is a bug (or a broken random source), never a retry's business.
    if ((await this.refreshGrants.create(grant, tokenHash(refreshToken))) !== "created") throw new Error("local identity provider: refresh grant id taken");
    const tokens = await this.issueTokens(user, { authTime: grant.authTime, originJti: grant.grantId });
    return { ...tokens, refreshToken };
  }

  /**
   * A refresh: `token` rotates to `successor` (to itself, for a refresh that keeps the token), then the
   * user is read and tokens signed. What happens meanwhile is answered as follows: a token presented for
   * another user, or a fault reading the user, gives the token back (rotates back, unless a sign-out came
   * meanwhile); a sign-out that came before the tokens are handed out wins.
   */
  private async refresh(grantId: string, token: string, successor: string, identityUserId: string | undefined): Promise<Result<RefreshedTokens, RefreshError>> {
    const [hash, successorHash] = [tokenHash(token), tokenHash(successor)];
    let grant: RefreshGrant;
    try {
      const rotated = await this.refreshGrants.rotate(grantId, hash, successorHash, this.options.clock.now());
      if (typeof rotated === "string") return err("refresh_token_invalid");
      grant = rotated;
    } catch (fault) {
      return unavailable(fault);
    }
    const giveBack = async (): Promise<void> => {
      if (successorHash === hash) return;
      // Best effort: refused when a sign-out came meanwhile, as it should be; a fault leaves it spent.
      await this.refreshGrants.rotate(grantId, successorHash, hash, this.options.clock.now()).catch(() => undefined);
    };
    // Like Cognito with a client secret: a token presented for another user is no token at all.
    if (identityUserId !== undefined && grant.username !== identityUserId) {
      await giveBack();
      return err("refresh_token_invalid");
    }
    let user: IdentityUser | null;
    try {
      user = await this.options.users.find(grant.username);
    } catch (fault) {
      // Not this token's fault: it is given back.
      await giveBack();
      return unavailable(fault);
    }
    if (user === null) return err("refresh_token_invalid");
    const tokens = await this.issueTokens(user, { authTime: grant.authTime, originJti: grant.grantId });
    try {
      // Checked last, after every await: a sign-out while the user was read or the tokens signed wins.
      if (await this.grantRevoked(grantId)) return err("refresh_token_invalid");
    } catch (fault) {
      return unavailable(fault);
    }
    return ok({ ...tokens, refreshToken: successor, identityUserId: user.username });
  }

  /** Whether the grant was revoked (or is gone, as revokeAllOf leaves it). */
  private async grantRevoked(grantId: string): Promise<boolean> {
    const state = await this.refreshGrants.status(grantId, this.options.clock.now());
    return state === "revoked" || state === "unknown";
  }

  private async setAttributes(identityUserId: string, attributes: Readonly<Record<string, string>>): Promise<Result<void, UpdateUserError>> {
    let outcome: "updated" | "not_found";
    try {
      outcome = await this.options.users.updateAttributes(identityUserId, attributes);
    } catch (fault) {
      return unavailable(fault);
    }
    return outcome === "updated" ? ok(undefined) : err("identity_provider_unavailable");
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
      region: this.region,
      userPoolId: this.userPoolId,
      userName,
      callerContext: { awsSdkVersion: "keyport-local", clientId: this.options.clientId },
      triggerSource,
      request: {
        // The attributes only: a password credential is never a trigger's business.
        userAttributes: user === null ? {} : { sub: user.sub, ...user.attributes },
        ...request,
        ...(clientMetadata === undefined ? {} : { clientMetadata: { ...clientMetadata } }),
        userNotFound: user === null,
      },
      response,
    };
    return JSON.parse(JSON.stringify(event)) as E;
  }
}

/** A version 4 UUID from the random source: a new user's `sub`. */
export function randomUuid(random: RandomSource): string {
  const b = random.bytes(16);
  b[6] = (b[6]! & 0x0f) | 0x40;
  b[8] = (b[8]! & 0x3f) | 0x80;
  const hex = Array.from(b, (x) => x.toString(16).padStart(2, "0")).join("");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

function newRefreshToken(grantId: string, random: RandomSource): string {
  return `${grantId}.${toBase64Url(random.bytes(32))}`;
}

/** The grant a refresh token names, or null when it is no token of this provider's. */
function grantIdOf(token: string): string | null {
  return REFRESH_TOKEN.exec(token)?.[1] ?? null;
}

/** What the store keeps of a refresh token: its SHA-256, base64url. */
function tokenHash(token: string): string {
  return toBase64Url(sha256(utf8Bytes(token)));
}

/** A storage fault as the IdentityProvider port reports faults; anything else (a bug) is rethrown. */
function unavailable(fault: unknown): Result<never, "identity_provider_unavailable"> {
  if (fault instanceof StorageUnavailableError) return err("identity_provider_unavailable");
  throw fault;
}
