/**
 * Amazon Cognito's user-pool API, played by the local identity provider (ADR 0024): SignUp with a
 * password, InitiateAuth (USER_PASSWORD_AUTH, USER_SRP_AUTH, CUSTOM_AUTH with or without SRP_A,
 * REFRESH_TOKEN_AUTH), RespondToAuthChallenge (PASSWORD_VERIFIER, CUSTOM_CHALLENGE),
 * GetTokensFromRefreshToken, GetUser, RevokeToken and GlobalSignOut, answered in Cognito's words.
 * Users, custom-challenge sessions, tokens and refresh grants are the provider's, so a user signed up
 * here signs in through keyport's HTTP API and the other way round, and every custom-auth step runs
 * keyport's own Define/Create/Verify triggers, as Cognito would run them.
 *
 * Runs on any runtime: SRP is bigint and @oslojs/crypto (cognito-srp.ts), and the password hash is the
 * PasswordHasher it is given (scrypt from node:crypto in the local server).
 */
import { decodeBase64 } from "@oslojs/encoding";
import { hmac } from "@oslojs/crypto/hmac";
import { SHA256 } from "@oslojs/crypto/sha2";
import { bigIntFromBytes, utf8Bytes } from "../../domain/encoding/bytes.js";
import { CUSTOM_CHALLENGE, type CustomChallengeResult } from "../../domain/custom-challenge/custom-challenge.js";
import { PASSKEY_ENROLLED_ATTRIBUTE, PASSWORD_VERIFIER, SRP_A, type SecondFactorPolicy } from "../../domain/custom-challenge/second-factor.js";
import { ok } from "../../domain/result.js";
import type { Clock } from "../../ports/clock.js";
import type { RefreshError, TokenSet } from "../../ports/identity-provider.js";
import type { IdentityUser } from "../../ports/identity-user-directory.js";
import type { RandomSource } from "../../ports/random-source.js";
import { StorageUnavailableError } from "../../ports/storage-unavailable-error.js";
import type {
  AuthenticationResult,
  AuthFlow,
  AuthOutcome,
  ChallengeName,
  UserPool,
  UserPoolErrorType,
  UserPoolResult,
} from "../../ports/user-pool.js";
import {
  claimMatches,
  encodeSecretBlock,
  isSrpTimestamp,
  parseClientPublic,
  passwordAuthenticationKey,
  passwordClaim,
  poolNameOf,
  serverPublic,
  srpSaltFrom,
  srpVerifier,
  SRP_N,
} from "./cognito-srp.js";
import { randomUuid, type DefineVerdict, type LocalIdentityProvider } from "./local-identity-provider.js";
import type { PasswordHasher } from "./password-hasher.js";
import { checkPassword } from "./password-policy.js";
import { SignInSessions } from "./sign-in-sessions.js";

export const ALL_AUTH_FLOWS: readonly AuthFlow[] = ["USER_PASSWORD_AUTH", "USER_SRP_AUTH", "CUSTOM_AUTH", "REFRESH_TOKEN_AUTH", "REFRESH_TOKEN"];

/**
 * The app client's flows under a second-factor policy, as keyport's CDK app client allows them: when a
 * passkey may be the second factor (`if-enrolled`, `required`), USER_PASSWORD_AUTH and USER_SRP_AUTH
 * are off, since they would sign in with the password alone, around DefineAuthChallenge.
 */
export function authFlowsFor(policy: SecondFactorPolicy): readonly AuthFlow[] {
  return policy === "off" ? ALL_AUTH_FLOWS : ALL_AUTH_FLOWS.filter((flow) => flow !== "USER_PASSWORD_AUTH" && flow !== "USER_SRP_AUTH");
}

export interface LocalUserPoolOptions {
  /** Whose users, sessions and tokens these are; its `userPoolId` and `clientId` are the pool's. */
  readonly provider: LocalIdentityProvider;
  readonly passwords: PasswordHasher;
  readonly clock: Clock;
  readonly random: RandomSource;
  /**
   * Keys the SRP salt and verifier made up for a username the pool does not have, so that they are the
   * same at every attempt, as a real user's are (stable across restarts when configured).
   */
  readonly unknownUserSecret: Uint8Array;
  /** The app client's explicit auth flows (`authFlowsFor(policy)`). @default every flow */
  readonly authFlows?: readonly AuthFlow[];
  /** Cognito's `authSessionValidity`: 3 minutes. */
  readonly sessionLifetimeMs?: number;
  readonly sweepIntervalMs?: number;
}

/** An SRP exchange waiting for the client's PASSWORD_VERIFIER answer. */
interface PasswordVerifierSession {
  /** USER_ID_FOR_SRP: the username. */
  readonly username: string;
  readonly flow: "USER_SRP_AUTH" | "CUSTOM_AUTH";
  /** The custom-auth history so far (`[SRP_A ✓]`); empty for USER_SRP_AUTH. */
  readonly history: readonly CustomChallengeResult[];
  /** False for a username without a password: the exchange is played out and always fails. */
  readonly known: boolean;
  readonly srpVerifier: string;
  readonly a: bigint;
  readonly b: bigint;
  readonly bPublic: bigint;
  readonly secretBlock: string;
}

/** Cognito's standard attributes an app may set at SignUp (the local pool's schema has no others). */
const WRITABLE_ATTRIBUTES = new Set([
  "address",
  "birthdate",
  "email",
  "family_name",
  "gender",
  "given_name",
  "locale",
  "middle_name",
  "name",
  "nickname",
  "phone_number",
  "picture",
  "preferred_username",
  "profile",
  "updated_at",
  "website",
  "zoneinfo",
]);

/** Cognito's username constraint: 1–128 characters of letters, marks, symbols, numbers and punctuation. */
const USERNAME = /^[\p{L}\p{M}\p{S}\p{N}\p{P}]{1,128}$/u;

const INCORRECT = "Incorrect username or password.";
const SESSION_EXPIRED = "Invalid session for the user, session is expired.";

const failure = <T>(type: UserPoolErrorType, message: string): UserPoolResult<T> => ({ ok: false, error: { type, message } });
const notAuthorized = <T>(message = INCORRECT): UserPoolResult<T> => failure("NotAuthorizedException", message);
const missing = <T>(name: string): UserPoolResult<T> => failure("InvalidParameterException", `Missing required parameter ${name}`);

export class LocalUserPool implements UserPool {
  readonly userPoolId: string;
  readonly clientId: string;
  private readonly poolName: string;
  private readonly authFlows: ReadonlySet<AuthFlow>;
  private readonly passwordSessions: SignInSessions<PasswordVerifierSession>;
  /** A hash of no one's password, checked for unknown users so that they take as long as known ones. */
  private dummyHash: Promise<string> | null = null;

  constructor(private readonly options: LocalUserPoolOptions) {
    this.userPoolId = options.provider.userPoolId;
    this.clientId = options.provider.clientId;
    this.poolName = poolNameOf(this.userPoolId);
    this.authFlows = new Set(options.authFlows ?? ALL_AUTH_FLOWS);
    this.passwordSessions = new SignInSessions(options.clock, options.random, options.sessionLifetimeMs ?? 180_000, options.sweepIntervalMs ?? 10_000);
  }

  async signUp(input: {
    readonly clientId: string;
    readonly username: string;
    readonly password: string;
    readonly userAttributes: Readonly<Record<string, string>>;
    /** For a pre-sign-up trigger, which the local pool does not run. */
    readonly clientMetadata?: Readonly<Record<string, string>>;
  }): Promise<UserPoolResult<{ readonly userSub: string; readonly userConfirmed: true }>> {
    if (input.clientId !== this.clientId) return this.unknownClient(input.clientId);
    if (!USERNAME.test(input.username)) {
      return failure("InvalidParameterException", "1 validation error detected: Value at 'username' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\p{L}\\p{M}\\p{S}\\p{N}\\p{P}]+");
    }
    const refused = checkPassword(input.password);
    if (refused !== null) return failure(refused.type, refused.message);
    for (const name of Object.keys(input.userAttributes)) {
      // The enrolment flag is keyport's to write (ADR 0023): no app client may, as on the CDK's pool.
      if (name === PASSKEY_ENROLLED_ATTRIBUTE) return notAuthorized("A client attempted to write unauthorized attribute");
      if (!WRITABLE_ATTRIBUTES.has(name)) return failure("InvalidParameterException", `Attributes did not conform to the schema: ${name}: Attribute does not exist in the schema.`);
    }
    return this.guard(async () => {
      const srpSalt = srpSaltFrom(this.options.random.bytes(16));
      const user: IdentityUser = {
        username: input.username,
        sub: randomUuid(this.options.random),
        attributes: { ...input.userAttributes },
        password: {
          hash: await this.options.passwords.hash(input.password),
          srpSalt,
          srpVerifier: srpVerifier(this.poolName, input.username, input.password, srpSalt),
        },
      };
      if ((await this.options.provider.users.create(user)) === "exists") return failure("UsernameExistsException", "User already exists");
      return ok({ userSub: user.sub, userConfirmed: true as const });
    });
  }

  async initiateAuth(input: {
    readonly clientId: string;
    readonly authFlow: AuthFlow;
    readonly authParameters: Readonly<Record<string, string>>;
    /** Not handed to the custom-auth triggers: Cognito passes InitiateAuth's only to triggers the local pool does not run. */
    readonly clientMetadata?: Readonly<Record<string, string>>;
  }): Promise<UserPoolResult<AuthOutcome>> {
    if (input.clientId !== this.clientId) return this.unknownClient(input.clientId);
    if (!ALL_AUTH_FLOWS.includes(input.authFlow)) return failure("InvalidParameterException", `Unsupported auth flow: ${String(input.authFlow)}`);
    if (!this.authFlows.has(input.authFlow)) return failure("InvalidParameterException", `${input.authFlow} flow not enabled for this client`);
    const parameters = input.authParameters;
    if (input.authFlow === "REFRESH_TOKEN_AUTH" || input.authFlow === "REFRESH_TOKEN") {
      const refreshToken = parameters.REFRESH_TOKEN;
      if (refreshToken === undefined || refreshToken === "") return missing("REFRESH_TOKEN");
      const refreshed = await this.options.provider.refreshTokensKeepingToken(refreshToken);
      return refreshed.ok ? ok(tokensOutcome(refreshed.value)) : refreshFailure(refreshed.error);
    }
    const username = parameters.USERNAME;
    if (username === undefined || username === "") return missing("USERNAME");
    return this.guard(async () => {
      switch (input.authFlow) {
        case "USER_PASSWORD_AUTH":
          return this.passwordAuth(username, parameters.PASSWORD);
        case "USER_SRP_AUTH": {
          const a = clientPublicOf(parameters);
          if (!a.ok) return a;
          return ok(this.openPasswordVerifier(username, await this.options.provider.users.find(username), a.value, "USER_SRP_AUTH", []));
        }
        default:
          return this.customAuth(username, parameters);
      }
    });
  }

  async respondToAuthChallenge(input: {
    readonly clientId: string;
    readonly challengeName: ChallengeName;
    readonly session: string;
    readonly challengeResponses: Readonly<Record<string, string>>;
    readonly clientMetadata?: Readonly<Record<string, string>>;
  }): Promise<UserPoolResult<AuthOutcome>> {
    if (input.clientId !== this.clientId) return this.unknownClient(input.clientId);
    const responses = input.challengeResponses;
    const username = responses.USERNAME;
    if (username === undefined || username === "") return missing("USERNAME");
    return this.guard(async () => {
      switch (input.challengeName) {
        case "PASSWORD_VERIFIER":
          return this.passwordVerifier(input.session, username, responses, input.clientMetadata);
        case "CUSTOM_CHALLENGE": {
          const answer = responses.ANSWER;
          if (answer === undefined) return missing("ANSWER");
          const answered = await this.options.provider.answerCustomChallenge(input.session, username, answer, input.clientMetadata);
          if (answered === null) return notAuthorized(SESSION_EXPIRED);
          return this.next(username, answered.user, answered.history, input.clientMetadata);
        }
        default:
          return failure("InvalidParameterException", `Unsupported challenge name: ${String(input.challengeName)}`);
      }
    });
  }

  async getTokensFromRefreshToken(input: { readonly clientId: string; readonly refreshToken: string }): Promise<UserPoolResult<AuthenticationResult>> {
    if (input.clientId !== this.clientId) return this.unknownClient(input.clientId);
    const refreshed = await this.options.provider.refreshTokens(input.refreshToken);
    return refreshed.ok ? ok(authenticationResult(refreshed.value)) : refreshFailure(refreshed.error);
  }

  async getUser(input: { readonly accessToken: string }): Promise<UserPoolResult<{ readonly username: string; readonly userAttributes: Readonly<Record<string, string>> }>> {
    return this.guard(async () => {
      const owner = await this.accessTokenOwner(input.accessToken);
      if (!owner.ok) return owner;
      const user = await this.options.provider.users.find(owner.value);
      if (user === null) return failure("UserNotFoundException", "User does not exist.");
      return ok({ username: user.username, userAttributes: { sub: user.sub, ...user.attributes } });
    });
  }

  async revokeToken(input: { readonly clientId: string; readonly token: string }): Promise<UserPoolResult<void>> {
    if (input.clientId !== this.clientId) return this.unknownClient(input.clientId);
    const revoked = await this.options.provider.revokeRefreshToken(input.token);
    return revoked.ok ? ok(undefined) : providerFailure(revoked.error);
  }

  async globalSignOut(input: { readonly accessToken: string }): Promise<UserPoolResult<void>> {
    return this.guard(async () => {
      const owner = await this.accessTokenOwner(input.accessToken);
      if (!owner.ok) return owner;
      const signedOut = await this.options.provider.signOutEverywhere(owner.value);
      return signedOut.ok ? ok(undefined) : providerFailure(signedOut.error);
    });
  }

  /** USER_PASSWORD_AUTH: the password checked against its hash; an unknown user's is checked against a dummy. */
  private async passwordAuth(username: string, password: string | undefined): Promise<UserPoolResult<AuthOutcome>> {
    if (password === undefined || password === "") return missing("PASSWORD");
    const user = await this.options.provider.users.find(username);
    const credential = user?.password;
    // An unknown user (or one without a password) costs a hash too, so that the time says nothing of who exists.
    const matches = await this.options.passwords.verify(password, credential?.hash ?? (await this.dummy()));
    if (user === null || credential === undefined || !matches) return notAuthorized();
    return ok(tokensOutcome(await this.options.provider.signIn(user)));
  }

  /**
   * CUSTOM_AUTH: Define on an empty history, or on `[SRP_A ✓]` when the client starts with SRP
   * (CHALLENGE_NAME SRP_A), then whatever Define asks for. InitiateAuth's ClientMetadata does not reach
   * the custom-auth triggers (Cognito hands it only to pre-sign-up, pre-authentication and user migration).
   */
  private async customAuth(username: string, parameters: Readonly<Record<string, string>>): Promise<UserPoolResult<AuthOutcome>> {
    let aValue: bigint | null = null;
    if (parameters.CHALLENGE_NAME === SRP_A) {
      const a = clientPublicOf(parameters);
      if (!a.ok) return a;
      aValue = a.value;
    }
    const user = await this.options.provider.users.find(username);
    const history: CustomChallengeResult[] = aValue === null ? [] : [{ challengeName: SRP_A, challengeResult: true, challengeMetadata: null }];
    const verdict = await this.options.provider.defineNext(username, user, history);
    if (verdict.kind === "challenge" && verdict.challengeName === PASSWORD_VERIFIER && aValue !== null) {
      return ok(this.openPasswordVerifier(username, user, aValue, "CUSTOM_AUTH", history));
    }
    return this.follow(verdict, username, user, history);
  }

  /** What Define's verdict leads to: a custom challenge (Create runs), tokens, or the sign-in's end. */
  private async follow(
    verdict: DefineVerdict,
    username: string,
    user: IdentityUser | null,
    history: readonly CustomChallengeResult[],
    clientMetadata?: Readonly<Record<string, string>>,
  ): Promise<UserPoolResult<AuthOutcome>> {
    if (verdict.kind === "tokens" && user !== null) return ok(tokensOutcome(await this.options.provider.signIn(user)));
    if (verdict.kind !== "challenge" || verdict.challengeName !== CUSTOM_CHALLENGE) return notAuthorized();
    const challenge = await this.options.provider.openCustomChallenge(username, user, history, clientMetadata);
    return ok({
      kind: "challenge",
      challengeName: "CUSTOM_CHALLENGE",
      session: challenge.session,
      // Cognito adds the user's name to what CreateAuthChallenge published, for the client's next answer.
      challengeParameters: { ...challenge.challengeParameters, USERNAME: username },
    });
  }

  /** Define on the history after an answer, then what it asks for. */
  private async next(
    username: string,
    user: IdentityUser | null,
    history: readonly CustomChallengeResult[],
    clientMetadata: Readonly<Record<string, string>> | undefined,
  ): Promise<UserPoolResult<AuthOutcome>> {
    const verdict = await this.options.provider.defineNext(username, user, history, clientMetadata);
    return this.follow(verdict, username, user, history, clientMetadata);
  }

  /**
   * The PASSWORD_VERIFIER challenge: SALT, SRP_B, SECRET_BLOCK, USER_ID_FOR_SRP and USERNAME. For a
   * username without a password the salt and verifier are made up from it (the same at every attempt)
   * and the exchange costs what a real one does, but never succeeds: no answer tells who exists.
   */
  private openPasswordVerifier(
    username: string,
    user: IdentityUser | null,
    a: bigint,
    flow: PasswordVerifierSession["flow"],
    history: readonly CustomChallengeResult[],
  ): AuthOutcome {
    const credential = user?.password;
    const srpSalt = credential?.srpSalt ?? this.madeUp("salt", username, 16, (bytes) => srpSaltFrom(bytes));
    const verifier = credential?.srpVerifier ?? this.madeUp("verifier", username, 384, (bytes) => (bigIntFromBytes(bytes) % SRP_N).toString(16));
    let b = 0n;
    let bPublic = 0n;
    // B must not be 0 mod N (a client refuses it); a 256-bit b makes that all but impossible, but not quite.
    while (bPublic === 0n) {
      b = bigIntFromBytes(this.options.random.bytes(32));
      bPublic = serverPublic(BigInt(`0x${verifier}`), b);
    }
    const secretBlock = encodeSecretBlock(this.options.random.bytes(64));
    const session = this.passwordSessions.open({ username, flow, history, known: credential !== undefined, srpVerifier: verifier, a, b, bPublic, secretBlock });
    return {
      kind: "challenge",
      challengeName: "PASSWORD_VERIFIER",
      session,
      challengeParameters: { SALT: srpSalt, SRP_B: bPublic.toString(16), SECRET_BLOCK: secretBlock, USER_ID_FOR_SRP: username, USERNAME: username },
    };
  }

  /**
   * The PASSWORD_VERIFIER answer: the claim checked against the key of this exchange. USER_SRP_AUTH then
   * signs in or fails; CUSTOM_AUTH hands Define `[SRP_A ✓, PASSWORD_VERIFIER ✓/✗]` and does what it asks.
   */
  private async passwordVerifier(
    session: string,
    username: string,
    responses: Readonly<Record<string, string>>,
    clientMetadata: Readonly<Record<string, string>> | undefined,
  ): Promise<UserPoolResult<AuthOutcome>> {
    const { PASSWORD_CLAIM_SIGNATURE: signature, PASSWORD_CLAIM_SECRET_BLOCK: secretBlock, TIMESTAMP: timestamp } = responses;
    if (signature === undefined || signature === "") return missing("PASSWORD_CLAIM_SIGNATURE");
    if (secretBlock === undefined || secretBlock === "") return missing("PASSWORD_CLAIM_SECRET_BLOCK");
    if (timestamp === undefined || timestamp === "") return missing("TIMESTAMP");
    if (!isSrpTimestamp(timestamp)) return failure("InvalidParameterException", "TIMESTAMP format should be EEE MMM d HH:mm:ss z yyyy in english.");
    const exchange = this.passwordSessions.take(session);
    if (exchange === null) return notAuthorized(SESSION_EXPIRED);
    if (exchange.username !== username) return notAuthorized();
    const key = passwordAuthenticationKey({ a: exchange.a, b: exchange.b, bPublic: exchange.bPublic, verifier: BigInt(`0x${exchange.srpVerifier}`) });
    const claim = key === null ? null : passwordClaim(key, this.poolName, exchange.username, decodeBase64(exchange.secretBlock), timestamp);
    // Every step is taken for a made-up user too; only then does `known` decide.
    const verified = claim !== null && claimMatches(signature, claim) && secretBlock === exchange.secretBlock && exchange.known;
    const user = await this.options.provider.users.find(username);
    // The password the exchange was made with must still be the user's (not changed, nor the user deleted and made again).
    const passwordRight = verified && user?.password?.srpVerifier === exchange.srpVerifier;
    if (exchange.flow === "USER_SRP_AUTH") {
      return passwordRight && user !== null ? ok(tokensOutcome(await this.options.provider.signIn(user))) : notAuthorized();
    }
    const history = [...exchange.history, { challengeName: PASSWORD_VERIFIER, challengeResult: passwordRight, challengeMetadata: null }];
    return this.next(username, user, history, clientMetadata);
  }

  /** The username of a valid, unrevoked access token of this pool, or Cognito's refusal. */
  private async accessTokenOwner(accessToken: string): Promise<UserPoolResult<string>> {
    const verified = await this.options.provider.verifyAccessToken(accessToken);
    if (verified.ok) return ok(verified.value.username);
    switch (verified.error) {
      case "access_token_expired":
        return notAuthorized("Access Token has expired");
      case "access_token_revoked":
        return notAuthorized("Access Token has been revoked");
      default:
        return notAuthorized("Invalid Access Token");
    }
  }

  /** Bytes keyed by the unknown-user secret and the username, shaped by `shape`: an unknown user's salt or verifier. */
  private madeUp(purpose: "salt" | "verifier", username: string, length: number, shape: (bytes: Uint8Array) => string): string {
    const out = new Uint8Array(length);
    for (let block = 0; block * 32 < length; block++) {
      const bytes = hmac(SHA256, this.options.unknownUserSecret, utf8Bytes(`keyport local pool ${purpose} ${block}\u0000${username}`));
      out.set(bytes.subarray(0, Math.min(32, length - block * 32)), block * 32);
    }
    return shape(out);
  }

  private dummy(): Promise<string> {
    this.dummyHash ??= this.options.passwords.hash(`no one's password ${bigIntFromBytes(this.options.random.bytes(16)).toString(36)}`);
    return this.dummyHash;
  }

  private unknownClient<T>(clientId: string): UserPoolResult<T> {
    return failure("ResourceNotFoundException", `User pool client ${clientId} does not exist.`);
  }

  /** Runs `work`; a storage fault becomes Cognito's InternalErrorException, anything else (a bug) is thrown. */
  private async guard<T>(work: () => Promise<UserPoolResult<T>>): Promise<UserPoolResult<T>> {
    try {
      return await work();
    } catch (fault) {
      if (fault instanceof StorageUnavailableError) return failure("InternalErrorException", "The local user pool's storage is unavailable; try again.");
      throw fault;
    }
  }
}

/** SRP_A from InitiateAuth's parameters: required, a hex number, not 0 mod N. */
function clientPublicOf(parameters: Readonly<Record<string, string>>): UserPoolResult<bigint> {
  const a = parameters.SRP_A;
  if (a === undefined || a === "") return missing("SRP_A");
  const value = parseClientPublic(a);
  return value === null ? failure("InvalidParameterException", "SRP_A is not a valid SRP public value") : ok(value);
}

function authenticationResult(tokens: Omit<TokenSet, "refreshToken"> & { readonly refreshToken?: string }): AuthenticationResult {
  return {
    accessToken: tokens.accessToken,
    idToken: tokens.idToken,
    ...(tokens.refreshToken === undefined ? {} : { refreshToken: tokens.refreshToken }),
    expiresIn: tokens.expiresIn,
    tokenType: "Bearer",
  };
}

function tokensOutcome(tokens: Omit<TokenSet, "refreshToken"> & { readonly refreshToken?: string }): AuthOutcome {
  return { kind: "tokens", authenticationResult: authenticationResult(tokens) };
}

function refreshFailure<T>(error: RefreshError): UserPoolResult<T> {
  return error === "refresh_token_invalid" ? notAuthorized("Invalid Refresh Token") : providerFailure(error);
}

function providerFailure<T>(error: "too_many_requests" | "identity_provider_unavailable"): UserPoolResult<T> {
  return error === "too_many_requests"
    ? failure("TooManyRequestsException", "Too many requests; try again later.")
    : failure("InternalErrorException", "The local user pool's storage is unavailable; try again.");
}
