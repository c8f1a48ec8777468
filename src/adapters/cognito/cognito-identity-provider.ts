import { PASSKEY_ENROLLED_ATTRIBUTE } from "../../domain/custom-challenge/second-factor.js";
import { createHmac } from "node:crypto";
import {
  AdminCreateUserCommand,
  AdminDeleteUserCommand,
  AdminGetUserCommand,
  AdminSetUserPasswordCommand,
  AdminUpdateUserAttributesCommand,
  AdminUserGlobalSignOutCommand,
  GetTokensFromRefreshTokenCommand,
  InitiateAuthCommand,
  RespondToAuthChallengeCommand,
  RevokeTokenCommand,
  type AuthenticationResultType,
  type CognitoIdentityProviderClient,
} from "@aws-sdk/client-cognito-identity-provider";
import type { Fetcher } from "aws-jwt-verify/https";
import { decomposeUnverifiedJwt } from "aws-jwt-verify/jwt";
import { CUSTOM_CHALLENGE } from "../../domain/custom-challenge/custom-challenge.js";
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
  SignOutError,
  TokenError,
  TokenSet,
  UpdateUserError,
  VerifiedIdentity,
} from "../../ports/identity-provider.js";
import type { RandomSource } from "../../ports/random-source.js";
import { StorageUnavailableError } from "../../ports/storage-unavailable-error.js";
import { CognitoIdTokenVerifier } from "./cognito-id-token-verifier.js";

export interface CognitoIdentityProviderOptions {
  /** A client for the user pool's region. Its credentials need the Admin* actions used here on this pool. */
  readonly client: CognitoIdentityProviderClient;
  readonly userPoolId: string;
  /**
   * An app client with CUSTOM_AUTH enabled, PreventUserExistenceErrors ENABLED, and either refresh-token
   * rotation (as keyport's construct makes it; ADR 0016) or REFRESH_TOKEN_AUTH enabled.
   */
  readonly clientId: string;
  /** Only if the app client has a secret: sign-in calls then carry a SECRET_HASH, refreshes the secret itself. */
  readonly clientSecret?: string;
  readonly region: string;
  readonly random: RandomSource;
  readonly clock: Clock;
  /** Fetches the pool's published JWKS; defaults to the platform `fetch` over HTTPS. Tests hand in keys through their own. */
  readonly jwksFetcher?: Fetcher;
}


/**
 * Longer than any pool's minimum (Cognito allows a MinimumLength of at most 99; passwords up to 256),
 * so the generated password satisfies every length policy, not just the default one.
 */
const PASSWORD_LENGTH = 100;
const LOWER = "abcdefghijklmnopqrstuvwxyz";
const UPPER = "ABCDEFGHIJKLMNOPQRSTUVWXYZ";
const DIGITS = "0123456789";
/** Cognito's special characters, less space, `=` and `+` (added to the list later, so not accepted by every pool). */
const SYMBOLS = "^$*.[]{}()?-\"!@#%&/\\,><':;|_~`";
const PASSWORD_ALPHABET = LOWER + UPPER + DIGITS + SYMBOLS;

/** RevokeToken's documented pattern for `Token`: anything else cannot be a refresh token Cognito issued. */
const REFRESH_TOKEN_PATTERN = /^[A-Za-z0-9\-_=.]+$/;

/** SDK errors that mean "slow down", whatever the operation. */
const THROTTLING = new Set(["TooManyRequestsException", "LimitExceededException", "ThrottlingException", "TooManyFailedAttemptsException"]);

/**
 * Amazon Cognito as keyport's identity provider. Users are created by the admin API with a random
 * permanent password nobody ever sees, so they are CONFIRMED and can sign in only through the custom
 * challenge, whose Define/Create/Verify triggers are keyport's own handlers (`handlers/cognito`).
 *
 * Expected failures are port codes; Cognito's messages never leave this class, since they can say
 * whether a user exists. What has no code throws: faults of `deleteUser` (as `StorageUnavailableError`,
 * which the port names for it), a JWKS that cannot be fetched, and bugs (a broken random source).
 *
 * IAM: AdminCreateUser, AdminSetUserPassword, AdminGetUser, AdminDeleteUser, AdminUpdateUserAttributes and
 * AdminUserGlobalSignOut on the pool. InitiateAuth, RespondToAuthChallenge, GetTokensFromRefreshToken and
 * RevokeToken are public client operations, which Cognito authorizes by the app client, not by IAM.
 */
export class CognitoIdentityProvider implements IdentityProvider {
  private readonly client: CognitoIdentityProviderClient;
  private readonly idTokens: CognitoIdTokenVerifier;

  constructor(private readonly options: CognitoIdentityProviderOptions) {
    // Pool IDs are `<region>_<id>`: a mismatch would fail every call and every token, so fail at start-up.
    if (!options.userPoolId.startsWith(`${options.region}_`)) {
      throw new Error(`user pool ${options.userPoolId} is not in region ${options.region}`);
    }
    this.client = options.client;
    this.idTokens = new CognitoIdTokenVerifier({
      region: options.region,
      userPoolId: options.userPoolId,
      clientId: options.clientId,
      clock: options.clock,
      jwksFetcher: options.jwksFetcher,
    });
  }

  /**
   * AdminCreateUser (no invitation), then AdminSetUserPassword (permanent) to confirm the user. If the
   * password cannot be set, the user is deleted again and the call fails.
   *
   * Retries are safe: the SDK retries AdminCreateUser after a network error, and if the lost attempt
   * had succeeded, the retry hears UsernameExists about our own half-made user. A user keyport made
   * but never confirmed (FORCE_CHANGE_PASSWORD, same profile) is therefore finished, not refused. A
   * FORCE_CHANGE_PASSWORD user left behind by a failed compensation is harmless meanwhile: keyport
   * holds no credential for it, so its challenge can never be answered, and usernames are random
   * handles that are never chosen twice.
   */
  async createUser(user: NewIdentityUser): Promise<Result<{ identityUserId: string }, CreateUserError>> {
    const { userPoolId } = this.options;
    // Drawn first: a broken random source is a bug that must throw before any user exists.
    const password = randomPassword(this.options.random);
    try {
      await this.client.send(
        new AdminCreateUserCommand({
          UserPoolId: userPoolId,
          Username: user.username,
          UserAttributes: [
            { Name: "preferred_username", Value: user.preferredUsername },
            { Name: "name", Value: user.name },
          ],
          MessageAction: "SUPPRESS",
        }),
      );
    } catch (error) {
      const { name } = faultOf(error);
      if (name === "UsernameExistsException") return this.finishUnconfirmed(user, password);
      // preferred_username is unique when the pool makes it a sign-in alias.
      // preferred_username is a sign-in alias (the stack sets it), which Cognito keeps unique.
      if (name === "AliasExistsException") return err("username_taken");
      return err("identity_provider_unavailable");
    }
    return this.confirm(user.username, password);
  }

  /**
   * AdminDeleteUser. Idempotent: a user that is already gone is what was asked for. Any other fault is
   * thrown as `StorageUnavailableError`, so that account deletion answers "try again" (503) rather than a
   * masked 500; retryable unless Cognito refused the request itself (a missing pool, no permission).
   */
  async deleteUser(identityUserId: string): Promise<void> {
    try {
      await this.client.send(new AdminDeleteUserCommand({ UserPoolId: this.options.userPoolId, Username: identityUserId }));
    } catch (error) {
      if (faultOf(error).name === "UserNotFoundException") return;
      throw new StorageUnavailableError("delete identity user", isRetryable(error), error);
    }
  }

  /**
   * AdminUpdateUserAttributes of `preferred_username` and `name`. keyport's stack makes
   * `preferred_username` a sign-in alias, which Cognito keeps unique (case-insensitively): another user
   * holding it is AliasExistsException, `username_taken`. A user missing from the pool has no code of its
   * own: `identity_provider_unavailable`, and the caller puts its own change back.
   */
  async updateUser(identityUserId: string, attributes: { readonly preferredUsername: string; readonly name: string }): Promise<Result<void, UpdateUserError>> {
    try {
      await this.client.send(
        new AdminUpdateUserAttributesCommand({
          UserPoolId: this.options.userPoolId,
          Username: identityUserId,
          UserAttributes: [
            { Name: "preferred_username", Value: attributes.preferredUsername },
            { Name: "name", Value: attributes.name },
          ],
        }),
      );
    } catch (error) {
      const fault = faultOf(error);
      if (fault.name === "AliasExistsException") return err("username_taken");
      return err(fault.throttling ? "too_many_requests" : "identity_provider_unavailable");
    }
    return ok(undefined);
  }

  /**
   * AdminUpdateUserAttributes of PASSKEY_ENROLLED_ATTRIBUTE (ADR 0023). The pool must declare the custom
   * attribute (keyport's stack does); a user missing from the pool is `identity_provider_unavailable`.
   */
  async setPasskeyEnrolled(identityUserId: string, enrolled: boolean): Promise<Result<void, UpdateUserError>> {
    try {
      await this.client.send(
        new AdminUpdateUserAttributesCommand({
          UserPoolId: this.options.userPoolId,
          Username: identityUserId,
          UserAttributes: [{ Name: PASSKEY_ENROLLED_ATTRIBUTE, Value: String(enrolled) }],
        }),
      );
    } catch (error) {
      return err(faultOf(error).throttling ? "too_many_requests" : "identity_provider_unavailable");
    }
    return ok(undefined);
  }

  /**
   * RevokeToken, with the client secret when the app client has one; it revokes the refresh token and
   * the access tokens issued from it. As RFC 7009 §2.2 asks, a token that cannot be revoked because it
   * is no live refresh token of this app client is no error: Cognito's UnauthorizedException (an
   * invalid, expired or revoked token), UnsupportedTokenTypeException (an access or ID token) and
   * InvalidParameterException (the token is the one parameter a caller chooses; keyport's client id and
   * secret are the ones every sign-in uses, so a fault in them shows there first). A token outside
   * Cognito's documented alphabet is not sent at all. A refused client secret, or revocation disabled on
   * the app client (UnsupportedOperationException), is keyport's misconfiguration: the token may still
   * be live, so that is `identity_provider_unavailable`, never a sign-out that did not happen.
   */
  async revokeRefreshToken(refreshToken: string): Promise<Result<void, SignOutError>> {
    if (!REFRESH_TOKEN_PATTERN.test(refreshToken)) return ok(undefined);
    const { clientId, clientSecret } = this.options;
    try {
      await this.client.send(
        new RevokeTokenCommand({ Token: refreshToken, ClientId: clientId, ...(clientSecret === undefined ? {} : { ClientSecret: clientSecret }) }),
      );
    } catch (error) {
      const fault = faultOf(error);
      if (fault.throttling) return err("too_many_requests");
      if (isSecretProblem(fault)) return err("identity_provider_unavailable");
      if (fault.name === "UnauthorizedException" || fault.name === "UnsupportedTokenTypeException" || fault.name === "InvalidParameterException") {
        return ok(undefined);
      }
      return err("identity_provider_unavailable");
    }
    return ok(undefined);
  }

  /**
   * AdminUserGlobalSignOut: Cognito refuses the user's refresh tokens from then on (and their access
   * tokens at its own APIs). Idempotent: a user who no longer exists has no session left to end.
   */
  async signOutEverywhere(identityUserId: string): Promise<Result<void, SignOutError>> {
    try {
      await this.client.send(new AdminUserGlobalSignOutCommand({ UserPoolId: this.options.userPoolId, Username: identityUserId }));
    } catch (error) {
      const fault = faultOf(error);
      if (fault.name === "UserNotFoundException") return ok(undefined);
      return err(fault.throttling ? "too_many_requests" : "identity_provider_unavailable");
    }
    return ok(undefined);
  }

  /**
   * InitiateAuth CUSTOM_AUTH. With PreventUserExistenceErrors enabled on the app client, Cognito runs
   * the triggers for unknown users too (`userNotFound`), so they get a challenge like everyone else.
   */
  async startSignIn(identityUserId: string): Promise<Result<SignInChallenge, SignInError>> {
    let response;
    try {
      response = await this.client.send(
        new InitiateAuthCommand({
          AuthFlow: "CUSTOM_AUTH",
          ClientId: this.options.clientId,
          AuthParameters: { USERNAME: identityUserId, ...this.secretHash(identityUserId) },
        }),
      );
    } catch (error) {
      return err(signInErrorOf(error));
    }
    // Tokens without a challenge, or another challenge, mean the triggers are not keyport's: no sign-in.
    if (response.ChallengeName !== CUSTOM_CHALLENGE) return err("sign_in_failed");
    if (!response.Session) return err("identity_provider_unavailable");
    return ok({ session: response.Session, challengeParameters: { ...response.ChallengeParameters } });
  }

  /**
   * RespondToAuthChallenge with the assertion as the answer, and `clientMetadata` as its ClientMetadata
   * (which Cognito hands to the Define, Create and Verify triggers). One answer per session: if Cognito
   * asks again (a Define trigger allowing retries), the new session cannot be handed back through the
   * port, so the sign-in fails (ADR 0009).
   */
  async answerChallenge(
    identityUserId: string,
    session: string,
    answer: string,
    clientMetadata?: Readonly<Record<string, string>>,
  ): Promise<Result<TokenSet, SignInError>> {
    let response;
    try {
      response = await this.client.send(
        new RespondToAuthChallengeCommand({
          ClientId: this.options.clientId,
          ChallengeName: CUSTOM_CHALLENGE,
          Session: session,
          ChallengeResponses: { USERNAME: identityUserId, ANSWER: answer, ...this.secretHash(identityUserId) },
          ...(clientMetadata === undefined ? {} : { ClientMetadata: { ...clientMetadata } }),
        }),
      );
    } catch (error) {
      return err(signInErrorOf(error));
    }
    const tokens = tokensOf(response.AuthenticationResult);
    const refreshToken = response.AuthenticationResult?.RefreshToken;
    if (tokens !== null && refreshToken) return ok({ ...tokens, refreshToken });
    if (response.ChallengeName !== undefined) return err("sign_in_failed");
    return err("identity_provider_unavailable");
  }

  /**
   * GetTokensFromRefreshToken (ADR 0016), the one refresh an app client with refresh-token rotation
   * allows (it refuses REFRESH_TOKEN_AUTH), and which works without rotation too. With rotation, Cognito
   * answers with a new refresh token, returned here, and the one given is spent (after the app client's
   * grace period); without, it answers with none and the one given stays valid. The operation takes the
   * client secret itself, not a SECRET_HASH, so it needs no username.
   *
   * The user the tokens are for is the `cognito:username` of the new ID token, read, not verified:
   * Cognito has just handed it over TLS. An ID token without one is `identity_provider_unavailable`.
   * When the caller names the user, tokens that name another are refused with `refresh_token_invalid`,
   * as the local provider refuses a token presented for another user. Cognito has spent the token by
   * then, which is no loss: a token presented under someone else's name is not to be trusted again.
   */
  async refreshTokens(refreshToken: string, identityUserId?: string): Promise<Result<RefreshedTokens, RefreshError>> {
    const { clientId, clientSecret } = this.options;
    let response;
    try {
      response = await this.client.send(
        new GetTokensFromRefreshTokenCommand({
          ClientId: clientId,
          RefreshToken: refreshToken,
          ...(clientSecret === undefined ? {} : { ClientSecret: clientSecret }),
        }),
      );
    } catch (error) {
      return err(refreshErrorOf(error));
    }
    const tokens = tokensOf(response.AuthenticationResult);
    if (tokens === null) return err("identity_provider_unavailable");
    const username = usernameOf(tokens.idToken);
    if (username === null) return err("identity_provider_unavailable");
    if (identityUserId !== undefined && username !== identityUserId) return err("refresh_token_invalid");
    const rotated = response.AuthenticationResult?.RefreshToken;
    return ok({ ...tokens, ...(rotated ? { refreshToken: rotated } : {}), identityUserId: username });
  }

  verifyIdToken(token: string): Promise<Result<VerifiedIdentity, TokenError>> {
    return this.idTokens.verify(token);
  }

  /** Confirms a user just created; deletes it again if that fails, so no unconfirmed user is left. */
  private async confirm(username: string, password: string): Promise<Result<{ identityUserId: string }, CreateUserError>> {
    try {
      await this.client.send(
        new AdminSetUserPasswordCommand({
          UserPoolId: this.options.userPoolId,
          Username: username,
          Password: password,
          Permanent: true,
        }),
      );
    } catch {
      try {
        await this.deleteUser(username);
      } catch {
        // The set-password failure is what the caller needs to hear; the leftover user is harmless (see createUser).
      }
      return err("identity_provider_unavailable");
    }
    return ok({ identityUserId: username });
  }

  /** UsernameExists: finish a user keyport created but never confirmed; anyone else's name stays taken. */
  private async finishUnconfirmed(user: NewIdentityUser, password: string): Promise<Result<{ identityUserId: string }, CreateUserError>> {
    let existing;
    try {
      existing = await this.client.send(new AdminGetUserCommand({ UserPoolId: this.options.userPoolId, Username: user.username }));
    } catch {
      return err("identity_provider_unavailable");
    }
    const attribute = (name: string) => existing.UserAttributes?.find((a) => a.Name === name)?.Value;
    const ours =
      existing.UserStatus === "FORCE_CHANGE_PASSWORD" && attribute("preferred_username") === user.preferredUsername && attribute("name") === user.name;
    return ours ? this.confirm(user.username, password) : err("user_already_exists");
  }

  /** `SECRET_HASH = Base64(HMAC-SHA256(clientSecret, username + clientId))`, only when the app client has a secret. */
  private secretHash(username: string): { SECRET_HASH?: string } {
    const { clientSecret, clientId } = this.options;
    if (clientSecret === undefined) return {};
    return { SECRET_HASH: createHmac("sha256", clientSecret).update(username + clientId).digest("base64") };
  }
}

function tokensOf(result: AuthenticationResultType | undefined): Omit<TokenSet, "refreshToken"> | null {
  if (!result?.AccessToken || !result.IdToken || typeof result.ExpiresIn !== "number") return null;
  return { accessToken: result.AccessToken, idToken: result.IdToken, expiresIn: result.ExpiresIn, tokenType: "Bearer" };
}

interface Fault {
  readonly name: string;
  readonly message: string;
  readonly throttling: boolean;
}

function faultOf(error: unknown): Fault {
  if (!(error instanceof Error)) return { name: "", message: "", throttling: false };
  // The SDK marks throttling it recognises (after its own retries) even under names we do not list.
  const retryable = (error as { $retryable?: { throttling?: boolean } }).$retryable;
  return { name: error.name, message: error.message, throttling: THROTTLING.has(error.name) || retryable?.throttling === true };
}

/**
 * A wrong or missing client secret is NotAuthorized too (Unauthorized at RevokeToken), but it is
 * keyport's misconfiguration, not the user's failure: reporting it as a failed sign-in would blame every
 * user for it, and as a revoked token, claim a sign-out that did not happen.
 */
function isSecretProblem(fault: Fault): boolean {
  return (fault.name === "NotAuthorizedException" || fault.name === "UnauthorizedException") && /secret/i.test(fault.message);
}

/**
 * Whether trying again later may succeed: throttling, Cognito's own server faults and failures to reach
 * it at all (no `$fault`: a network error). A client fault (a missing pool, no IAM permission) waits for
 * someone to fix the deployment.
 */
function isRetryable(error: unknown): boolean {
  if (faultOf(error).throttling) return true;
  const side = typeof error === "object" && error !== null ? (error as { $fault?: unknown }).$fault : undefined;
  return side !== "client";
}

/**
 * Expired, revoked or unknown tokens, tokens already rotated out (RefreshTokenReuse) and tokens of
 * deleted users are the token's fault. A refused client secret is keyport's misconfiguration.
 */
function refreshErrorOf(error: unknown): RefreshError {
  const fault = faultOf(error);
  if (fault.throttling) return "too_many_requests";
  if (isSecretProblem(fault)) return "identity_provider_unavailable";
  if (fault.name === "NotAuthorizedException" || fault.name === "RefreshTokenReuseException" || fault.name === "UserNotFoundException") {
    return "refresh_token_invalid";
  }
  return "identity_provider_unavailable";
}

/** The `cognito:username` of an ID token Cognito just issued, read without verification; null if unreadable. */
function usernameOf(idToken: string): string | null {
  try {
    const username = decomposeUnverifiedJwt(idToken).payload["cognito:username"];
    return typeof username === "string" ? username : null;
  } catch {
    return null;
  }
}

function signInErrorOf(error: unknown): SignInError {
  const fault = faultOf(error);
  if (fault.throttling) return "too_many_requests";
  if (isSecretProblem(fault)) return "identity_provider_unavailable";
  switch (fault.name) {
    case "NotAuthorizedException":
      // "Invalid session for the user[, session is expired]." — spent or older than the 3-minute session; else a wrong answer.
      return /^invalid session/i.test(fault.message) ? "sign_in_session_invalid" : "sign_in_failed";
    case "ExpiredCodeException":
      return "sign_in_session_invalid";
    case "UserNotFoundException":
    case "CodeMismatchException":
    case "UserNotConfirmedException":
    case "PasswordResetRequiredException":
      return "sign_in_failed";
    default:
      return "identity_provider_unavailable";
  }
}

/**
 * A uniformly random password with a character of every class Cognito's policies can require.
 * Rejection sampling keeps every character equally likely; a draw missing a class (about 1 in 10^5 at
 * this length) is redrawn rather than patched, which would bias positions.
 */
function randomPassword(random: RandomSource): string {
  const limit = 256 - (256 % PASSWORD_ALPHABET.length);
  // Bounded, so a broken random source (constant bytes) fails loudly instead of spinning.
  for (let draw = 0; draw < 32; draw++) {
    let password = "";
    for (let round = 0; round < 8 && password.length < PASSWORD_LENGTH; round++) {
      for (const byte of random.bytes(PASSWORD_LENGTH)) {
        if (byte < limit && password.length < PASSWORD_LENGTH) password += PASSWORD_ALPHABET[byte % PASSWORD_ALPHABET.length];
      }
    }
    if (password.length === PASSWORD_LENGTH && [LOWER, UPPER, DIGITS, SYMBOLS].every((set) => [...password].some((c) => set.includes(c)))) {
      return password;
    }
  }
  throw new Error("could not draw a password with every character class: the random source is not random");
}
