import { createHmac, generateKeyPairSync, sign, type KeyObject } from "node:crypto";
import {
  AdminCreateUserCommand,
  AdminDeleteUserCommand,
  AdminGetUserCommand,
  AdminSetUserPasswordCommand,
  AdminUpdateUserAttributesCommand,
  AdminUserGlobalSignOutCommand,
  AliasExistsException,
  CodeMismatchException,
  CognitoIdentityProviderClient,
  ExpiredCodeException,
  ForbiddenException,
  GetTokensFromRefreshTokenCommand,
  InitiateAuthCommand,
  InternalErrorException,
  InvalidParameterException,
  InvalidPasswordException,
  LimitExceededException,
  NotAuthorizedException,
  RefreshTokenReuseException,
  ResourceNotFoundException,
  RespondToAuthChallengeCommand,
  RevokeTokenCommand,
  TooManyFailedAttemptsException,
  TooManyRequestsException,
  UnauthorizedException,
  UnsupportedOperationException,
  UnsupportedTokenTypeException,
  UserNotFoundException,
  UsernameExistsException,
} from "@aws-sdk/client-cognito-identity-provider";
import { mockClient } from "aws-sdk-client-mock";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { CognitoIdentityProvider, type CognitoIdentityProviderOptions } from "../../../src/adapters/cognito/cognito-identity-provider.js";
import type { Fetcher } from "aws-jwt-verify/https";
import { WebCryptoRandomSource } from "../../../src/adapters/system/web-crypto-random-source.js";
import { StorageUnavailableError } from "../../../src/ports/storage-unavailable-error.js";
import { ManualClock } from "../../support/manual-clock.js";

const REGION = "eu-west-1";
const POOL = "eu-west-1_Kp7Test01";
const CLIENT_ID = "3n4b5urk1ft4b3s7d9hq0lfnl";
const SECRET = "1q2w3e4r5t6y7u8i9o0p1a2s3d4f5g6h7j8k9l0z1x2c3v4b5n6m";
const ISSUER = `https://cognito-idp.${REGION}.amazonaws.com/${POOL}`;
/** A user handle as keyport makes them: base64url of random bytes. */
const USER = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8";
/** Base64(HMAC-SHA256(SECRET, USER + CLIENT_ID)), computed outside the code under test with `openssl dgst -sha256 -hmac`. */
const USER_SECRET_HASH = "Pvl8dZG1X+0uU2KRMYZBUTtP1w46eLCGGECrTeL+cdo=";
const NEW_USER = { username: USER, preferredUsername: "alice", name: "Alice Example" };

const client = new CognitoIdentityProviderClient({ region: REGION, credentials: { accessKeyId: "AKIDTEST", secretAccessKey: "test" } });
const cognito = mockClient(client);

const meta = { $metadata: {} };
const notAuthorized = (message: string) => new NotAuthorizedException({ message, ...meta });
const b64url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");
const networkError = () => Object.assign(new Error("connect ETIMEDOUT 52.94.0.1:443"), { code: "ETIMEDOUT" });

// RSA keys as Cognito's: 2048-bit, RS256, published with kid/alg/use.
function rsaKey(kid: string, modulusLength = 2048) {
  const { privateKey, publicKey } = generateKeyPairSync("rsa", { modulusLength });
  return { kid, privateKey, jwk: { ...publicKey.export({ format: "jwk" }), kid, alg: "RS256", use: "sig" } as JsonWebKey };
}
const poolKey = rsaKey("pool-key-1");
const rotatedKey = rsaKey("pool-key-2");
/** Keys no JWKS publishes (generated once: 2048-bit RSA key generation is slow). */
const strangerKey = rsaKey("stranger");
const weakKey = rsaKey("weak-key", 1024);

/** The body of a JWKS response, as the endpoint sends it. */
const jwksBody = (keys: unknown[]): ArrayBuffer => new TextEncoder().encode(JSON.stringify({ keys })).buffer as ArrayBuffer;

/** Stands in for the pool's JWKS endpoint (no network): hands out `keys` and counts the fetches. */
class CountingJwks implements Fetcher {
  fetches = 0;
  constructor(public keys: JsonWebKey[]) {}
  async fetch(): Promise<ArrayBuffer> {
    this.fetches++;
    return jwksBody(this.keys);
  }
}

let clock: ManualClock;
let jwks: CountingJwks;

function provider(overrides: Partial<CognitoIdentityProviderOptions> = {}): CognitoIdentityProvider {
  return new CognitoIdentityProvider({
    client,
    userPoolId: POOL,
    clientId: CLIENT_ID,
    region: REGION,
    random: new WebCryptoRandomSource(),
    clock,
    jwksFetcher: jwks,
    ...overrides,
  });
}
const withSecret = () => provider({ clientSecret: SECRET });

beforeEach(() => {
  cognito.reset();
  clock = new ManualClock();
  jwks = new CountingJwks([poolKey.jwk]);
});

describe("CognitoIdentityProvider", () => {
  it("refuses a user pool of another region at construction", () => {
    expect(() => provider({ userPoolId: "us-east-1_Kp7Test01" })).toThrow(/not in region/);
  });

  describe("createUser", () => {
    it("creates the user without an invitation, then confirms it with a permanent password", async () => {
      cognito.on(AdminCreateUserCommand).resolves({}).on(AdminSetUserPasswordCommand).resolves({});
      expect(await provider().createUser(NEW_USER)).toEqual({ ok: true, value: { identityUserId: USER } });
      expect(cognito.commandCalls(AdminCreateUserCommand)[0]!.args[0].input).toEqual({
        UserPoolId: POOL,
        Username: USER,
        UserAttributes: [
          { Name: "preferred_username", Value: "alice" },
          { Name: "name", Value: "Alice Example" },
        ],
        MessageAction: "SUPPRESS",
      });
      expect(cognito.commandCalls(AdminSetUserPasswordCommand)[0]!.args[0].input).toEqual({
        UserPoolId: POOL,
        Username: USER,
        Password: expect.any(String),
        Permanent: true,
      });
      expect(cognito.commandCalls(AdminDeleteUserCommand)).toHaveLength(0);
    });

    it("sets a long random password from Cognito's character set with upper, lower, digit and symbol", async () => {
      cognito.on(AdminCreateUserCommand).resolves({}).on(AdminSetUserPasswordCommand).resolves({});
      const idp = provider();
      for (let i = 0; i < 20; i++) await idp.createUser(NEW_USER);
      const passwords = cognito.commandCalls(AdminSetUserPasswordCommand).map((call) => call.args[0].input.Password!);
      expect(new Set(passwords).size).toBe(20);
      for (const password of passwords) {
        expect(password.length).toBeGreaterThanOrEqual(32);
        expect(password).toHaveLength(100);
        expect(password).toMatch(/^[A-Za-z0-9^$*.[\]{}()?\-"!@#%&/\\,><':;|_~`]+$/);
        expect(password).toMatch(/[A-Z]/);
        expect(password).toMatch(/[a-z]/);
        expect(password).toMatch(/[0-9]/);
        expect(password).toMatch(/[^A-Za-z0-9]/);
      }
    });

    it("throws before creating anyone when the random source is broken, rather than spinning", async () => {
      cognito.on(AdminCreateUserCommand).resolves({});
      const constant = { bytes: (n: number) => new Uint8Array(n).fill(7) };
      await expect(provider({ random: constant }).createUser(NEW_USER)).rejects.toThrow(/random source/);
      expect(cognito.calls()).toHaveLength(0);
    });

    it.each([
      ["a password the pool refuses", new InvalidPasswordException({ message: "Password does not conform to policy", ...meta })],
      ["an internal error", new InternalErrorException({ message: "Internal error", ...meta })],
      ["a network error", networkError()],
    ])("deletes the user again when setting the password fails with %s", async (_, failure) => {
      cognito.on(AdminCreateUserCommand).resolves({}).on(AdminSetUserPasswordCommand).rejects(failure).on(AdminDeleteUserCommand).resolves({});
      expect(await provider().createUser(NEW_USER)).toEqual({ ok: false, error: "identity_provider_unavailable" });
      expect(cognito.commandCalls(AdminDeleteUserCommand).map((call) => call.args[0].input)).toEqual([{ UserPoolId: POOL, Username: USER }]);
    });

    it("reports the set-password failure even when the compensating delete fails too", async () => {
      cognito
        .on(AdminCreateUserCommand)
        .resolves({})
        .on(AdminSetUserPasswordCommand)
        .rejects(new InternalErrorException({ message: "Internal error", ...meta }))
        .on(AdminDeleteUserCommand)
        .rejects(networkError());
      expect(await provider().createUser(NEW_USER)).toEqual({ ok: false, error: "identity_provider_unavailable" });
      expect(cognito.commandCalls(AdminDeleteUserCommand)).toHaveLength(1);
    });

    it("answers user_already_exists for a taken username of a confirmed user, and changes nothing", async () => {
      cognito
        .on(AdminCreateUserCommand)
        .rejects(new UsernameExistsException({ message: "User account already exists", ...meta }))
        .on(AdminGetUserCommand)
        .resolves({ Username: USER, UserStatus: "CONFIRMED", UserAttributes: [{ Name: "preferred_username", Value: "alice" }, { Name: "name", Value: "Alice Example" }] });
      expect(await provider().createUser(NEW_USER)).toEqual({ ok: false, error: "user_already_exists" });
      expect(cognito.commandCalls(AdminGetUserCommand)[0]!.args[0].input).toEqual({ UserPoolId: POOL, Username: USER });
      expect(cognito.commandCalls(AdminSetUserPasswordCommand)).toHaveLength(0);
      expect(cognito.commandCalls(AdminDeleteUserCommand)).toHaveLength(0);
    });

    it("finishes its own half-made user on a retry (FORCE_CHANGE_PASSWORD, same profile) instead of leaving it unconfirmed", async () => {
      cognito
        .on(AdminCreateUserCommand)
        .rejects(new UsernameExistsException({ message: "User account already exists", ...meta }))
        .on(AdminGetUserCommand)
        .resolves({
          Username: USER,
          UserStatus: "FORCE_CHANGE_PASSWORD",
          UserAttributes: [
            { Name: "sub", Value: "5f0c1d2e-0000-4000-8000-000000000001" },
            { Name: "preferred_username", Value: "alice" },
            { Name: "name", Value: "Alice Example" },
          ],
        })
        .on(AdminSetUserPasswordCommand)
        .resolves({});
      expect(await provider().createUser(NEW_USER)).toEqual({ ok: true, value: { identityUserId: USER } });
      expect(cognito.commandCalls(AdminSetUserPasswordCommand)[0]!.args[0].input).toEqual({
        UserPoolId: POOL,
        Username: USER,
        Password: expect.any(String),
        Permanent: true,
      });
    });

    it("leaves an unconfirmed user with another profile alone: user_already_exists", async () => {
      cognito
        .on(AdminCreateUserCommand)
        .rejects(new UsernameExistsException({ message: "User account already exists", ...meta }))
        .on(AdminGetUserCommand)
        .resolves({ Username: USER, UserStatus: "FORCE_CHANGE_PASSWORD", UserAttributes: [{ Name: "preferred_username", Value: "mallory" }, { Name: "name", Value: "Alice Example" }] });
      expect(await provider().createUser(NEW_USER)).toEqual({ ok: false, error: "user_already_exists" });
      expect(cognito.commandCalls(AdminSetUserPasswordCommand)).toHaveLength(0);
    });

    it("answers identity_provider_unavailable when the taken username cannot be looked up", async () => {
      cognito
        .on(AdminCreateUserCommand)
        .rejects(new UsernameExistsException({ message: "User account already exists", ...meta }))
        .on(AdminGetUserCommand)
        .rejects(networkError());
      expect(await provider().createUser(NEW_USER)).toEqual({ ok: false, error: "identity_provider_unavailable" });
    });

    it("answers username_taken when preferred_username is an alias another user holds", async () => {
      cognito.on(AdminCreateUserCommand).rejects(new AliasExistsException({ message: "An account with the given preferred_username already exists.", ...meta }));
      expect(await provider().createUser(NEW_USER)).toEqual({ ok: false, error: "username_taken" });
      expect(cognito.commandCalls(AdminSetUserPasswordCommand)).toHaveLength(0);
    });

    it.each([
      ["throttling", new TooManyRequestsException({ message: "Too many requests", ...meta })],
      ["an internal error", new InternalErrorException({ message: "Internal error", ...meta })],
      ["a missing pool", new ResourceNotFoundException({ message: "User pool eu-west-1_Kp7Test01 does not exist.", ...meta })],
      ["a network error", networkError()],
    ])("answers identity_provider_unavailable for %s and sets no password", async (_, failure) => {
      cognito.on(AdminCreateUserCommand).rejects(failure);
      expect(await provider().createUser(NEW_USER)).toEqual({ ok: false, error: "identity_provider_unavailable" });
      expect(cognito.commandCalls(AdminSetUserPasswordCommand)).toHaveLength(0);
    });
  });

  describe("deleteUser", () => {
    it("deletes the user by username", async () => {
      cognito.on(AdminDeleteUserCommand).resolves({});
      await provider().deleteUser(USER);
      expect(cognito.commandCalls(AdminDeleteUserCommand)[0]!.args[0].input).toEqual({ UserPoolId: POOL, Username: USER });
    });

    it("is idempotent: a user already gone is success", async () => {
      cognito.on(AdminDeleteUserCommand).rejects(new UserNotFoundException({ message: "User does not exist.", ...meta }));
      await expect(provider().deleteUser(USER)).resolves.toBeUndefined();
    });

    it.each([
      ["an internal error", new InternalErrorException({ message: "Internal error", ...meta }), true],
      ["throttling", new TooManyRequestsException({ message: "Rate exceeded", ...meta }), true],
      ["a network error", networkError(), true],
      ["a missing pool", new ResourceNotFoundException({ message: "User pool eu-west-1_Kp7Test01 does not exist.", ...meta }), false],
      ["a refused permission", Object.assign(new Error("User is not authorized to perform: cognito-idp:AdminDeleteUser"), { name: "AccessDeniedException", $fault: "client" }), false],
    ])("throws %s as StorageUnavailableError (retryable: %s), so that the caller can answer 503", async (_, failure, retryable) => {
      cognito.on(AdminDeleteUserCommand).rejects(failure);
      const thrown = await provider().deleteUser(USER).then(
        () => new Error("deleteUser resolved"),
        (e: unknown) => e,
      );
      expect(thrown).toBeInstanceOf(StorageUnavailableError);
      expect(thrown).toMatchObject({ code: "storage_unavailable", operation: "delete identity user", retryable, cause: failure });
    });
  });

  describe("updateUser", () => {
    const PROFILE = { preferredUsername: "Alicia", name: "Alicia Ängström" };

    it("sets preferred_username and name with AdminUpdateUserAttributes", async () => {
      cognito.on(AdminUpdateUserAttributesCommand).resolves({});
      expect(await provider().updateUser(USER, PROFILE)).toEqual({ ok: true, value: undefined });
      expect(cognito.commandCalls(AdminUpdateUserAttributesCommand).map((call) => call.args[0].input)).toEqual([
        {
          UserPoolId: POOL,
          Username: USER,
          UserAttributes: [
            { Name: "preferred_username", Value: "Alicia" },
            { Name: "name", Value: "Alicia Ängström" },
          ],
        },
      ]);
    });

    it.each([
      ["AliasExistsException (another user holds the preferred_username alias)", new AliasExistsException({ message: "An account with the given preferred_username already exists.", ...meta }), "username_taken"],
      ["TooManyRequestsException", new TooManyRequestsException({ message: "Rate exceeded", ...meta }), "too_many_requests"],
      ["LimitExceededException", new LimitExceededException({ message: "Limit exceeded", ...meta }), "too_many_requests"],
      ["UserNotFoundException", new UserNotFoundException({ message: "User does not exist.", ...meta }), "identity_provider_unavailable"],
      ["InvalidParameterException", new InvalidParameterException({ message: "Invalid attribute value", ...meta }), "identity_provider_unavailable"],
      ["NotAuthorizedException", notAuthorized("User is disabled."), "identity_provider_unavailable"],
      ["InternalErrorException", new InternalErrorException({ message: "Internal error", ...meta }), "identity_provider_unavailable"],
      ["ResourceNotFoundException", new ResourceNotFoundException({ message: "User pool eu-west-1_Kp7Test01 does not exist.", ...meta }), "identity_provider_unavailable"],
      ["a network error", networkError(), "identity_provider_unavailable"],
    ])("maps %s to %s", async (_, failure, code) => {
      cognito.on(AdminUpdateUserAttributesCommand).rejects(failure);
      expect(await provider().updateUser(USER, PROFILE)).toEqual({ ok: false, error: code });
    });
  });

  describe("revokeRefreshToken", () => {
    const TOKEN = "eyJjdHkiOiJKV1QiLCJlbmMiOiJBMjU2R0NNIiwiYWxnIjoiUlNBLU9BRVAifQ.refresh-opaque_part-2.=";

    it("revokes the token with RevokeToken for the app client", async () => {
      cognito.on(RevokeTokenCommand).resolves({});
      expect(await provider().revokeRefreshToken(TOKEN)).toEqual({ ok: true, value: undefined });
      expect(cognito.commandCalls(RevokeTokenCommand).map((call) => call.args[0].input)).toEqual([{ Token: TOKEN, ClientId: CLIENT_ID }]);
    });

    it("sends the client secret itself when the app client has one", async () => {
      cognito.on(RevokeTokenCommand).resolves({});
      expect((await withSecret().revokeRefreshToken(TOKEN)).ok).toBe(true);
      expect(cognito.commandCalls(RevokeTokenCommand).map((call) => call.args[0].input)).toEqual([{ Token: TOKEN, ClientId: CLIENT_ID, ClientSecret: SECRET }]);
    });

    it.each([
      ["an empty string", ""],
      ["a space", "refresh token"],
      ["a slash and a plus", "abc/def+ghi"],
    ])("answers ok without asking Cognito for a token outside its alphabet (%s): no such refresh token exists", async (_, token) => {
      expect(await provider().revokeRefreshToken(token)).toEqual({ ok: true, value: undefined });
      expect(cognito.calls()).toHaveLength(0);
    });

    it.each([
      ["an invalid, expired or already revoked token (UnauthorizedException)", new UnauthorizedException({ message: "Invalid token", ...meta })],
      ["an access or ID token (UnsupportedTokenTypeException)", new UnsupportedTokenTypeException({ message: "Unsupported token type", ...meta })],
      ["a token Cognito cannot parse (InvalidParameterException)", new InvalidParameterException({ message: "Invalid token", ...meta })],
    ])("answers ok for %s: RFC 7009, nothing is left to revoke", async (_, failure) => {
      cognito.on(RevokeTokenCommand).rejects(failure);
      expect(await provider().revokeRefreshToken(TOKEN)).toEqual({ ok: true, value: undefined });
    });

    it.each([
      ["TooManyRequestsException", new TooManyRequestsException({ message: "Rate exceeded", ...meta }), "too_many_requests"],
      ["LimitExceededException", new LimitExceededException({ message: "Limit exceeded", ...meta }), "too_many_requests"],
      // keyport's misconfiguration: the token may still be live, so no sign-out is claimed.
      ["a wrong client secret", new UnauthorizedException({ message: `Unable to verify secret hash for client ${CLIENT_ID}`, ...meta }), "identity_provider_unavailable"],
      ["a missing client secret", notAuthorized(`Client ${CLIENT_ID} is configured for secret but secret was not received`), "identity_provider_unavailable"],
      ["revocation disabled on the app client", new UnsupportedOperationException({ message: "Token revocation is not enabled for this client", ...meta }), "identity_provider_unavailable"],
      ["ForbiddenException (WAF)", new ForbiddenException({ message: "Request blocked", ...meta }), "identity_provider_unavailable"],
      ["InternalErrorException", new InternalErrorException({ message: "Internal error", ...meta }), "identity_provider_unavailable"],
      ["a network error", networkError(), "identity_provider_unavailable"],
    ])("maps %s to %s", async (_, failure, code) => {
      cognito.on(RevokeTokenCommand).rejects(failure);
      expect(await withSecret().revokeRefreshToken(TOKEN)).toEqual({ ok: false, error: code });
    });
  });

  describe("signOutEverywhere", () => {
    it("signs the user out with AdminUserGlobalSignOut", async () => {
      cognito.on(AdminUserGlobalSignOutCommand).resolves({});
      expect(await provider().signOutEverywhere(USER)).toEqual({ ok: true, value: undefined });
      expect(cognito.commandCalls(AdminUserGlobalSignOutCommand).map((call) => call.args[0].input)).toEqual([{ UserPoolId: POOL, Username: USER }]);
    });

    it("is idempotent: a user who no longer exists is signed out", async () => {
      cognito.on(AdminUserGlobalSignOutCommand).rejects(new UserNotFoundException({ message: "User does not exist.", ...meta }));
      expect(await provider().signOutEverywhere(USER)).toEqual({ ok: true, value: undefined });
    });

    it.each([
      ["TooManyRequestsException", new TooManyRequestsException({ message: "Rate exceeded", ...meta }), "too_many_requests"],
      ["NotAuthorizedException", notAuthorized("Not authorized"), "identity_provider_unavailable"],
      ["InternalErrorException", new InternalErrorException({ message: "Internal error", ...meta }), "identity_provider_unavailable"],
      ["ResourceNotFoundException", new ResourceNotFoundException({ message: "User pool eu-west-1_Kp7Test01 does not exist.", ...meta }), "identity_provider_unavailable"],
      ["a network error", networkError(), "identity_provider_unavailable"],
    ])("maps %s to %s", async (_, failure, code) => {
      cognito.on(AdminUserGlobalSignOutCommand).rejects(failure);
      expect(await provider().signOutEverywhere(USER)).toEqual({ ok: false, error: code });
    });
  });

  describe("startSignIn", () => {
    const challenge = {
      ChallengeName: "CUSTOM_CHALLENGE" as const,
      Session: "AYABeC-session",
      ChallengeParameters: { USERNAME: USER, credentialRequestOptions: '{"challenge":"abc","allowCredentials":[]}' },
    };

    it("starts CUSTOM_AUTH for the username and returns the session and the published parameters", async () => {
      cognito.on(InitiateAuthCommand).resolves(challenge);
      expect(await provider().startSignIn(USER)).toEqual({ ok: true, value: { session: challenge.Session, challengeParameters: challenge.ChallengeParameters } });
      expect(cognito.commandCalls(InitiateAuthCommand)[0]!.args[0].input).toEqual({
        AuthFlow: "CUSTOM_AUTH",
        ClientId: CLIENT_ID,
        AuthParameters: { USERNAME: USER },
      });
    });

    it("adds the SECRET_HASH when the app client has a secret", async () => {
      cognito.on(InitiateAuthCommand).resolves(challenge);
      expect((await withSecret().startSignIn(USER)).ok).toBe(true);
      expect(cognito.commandCalls(InitiateAuthCommand)[0]!.args[0].input).toEqual({
        AuthFlow: "CUSTOM_AUTH",
        ClientId: CLIENT_ID,
        AuthParameters: { USERNAME: USER, SECRET_HASH: USER_SECRET_HASH },
      });
      // The vector is the documented formula, not an artefact of the implementation.
      expect(createHmac("sha256", SECRET).update(USER + CLIENT_ID).digest("base64")).toBe(USER_SECRET_HASH);
    });

    it.each([
      ["tokens without a challenge", { AuthenticationResult: { AccessToken: "a", IdToken: "i", RefreshToken: "r", ExpiresIn: 3600 } }],
      ["another challenge", { ChallengeName: "NEW_PASSWORD_REQUIRED" as const, Session: "s" }],
    ])("fails the sign-in on %s", async (_, response) => {
      cognito.on(InitiateAuthCommand).resolves(response);
      expect(await provider().startSignIn(USER)).toEqual({ ok: false, error: "sign_in_failed" });
    });

    it("answers identity_provider_unavailable for a challenge without a session", async () => {
      cognito.on(InitiateAuthCommand).resolves({ ChallengeName: "CUSTOM_CHALLENGE", ChallengeParameters: {} });
      expect(await provider().startSignIn(USER)).toEqual({ ok: false, error: "identity_provider_unavailable" });
    });

    it.each([
      ["NotAuthorizedException", notAuthorized("Incorrect username or password."), "sign_in_failed"],
      ["UserNotFoundException", new UserNotFoundException({ message: "User does not exist.", ...meta }), "sign_in_failed"],
      ["TooManyRequestsException", new TooManyRequestsException({ message: "Rate exceeded", ...meta }), "too_many_requests"],
      ["LimitExceededException", new LimitExceededException({ message: "Attempt limit exceeded", ...meta }), "too_many_requests"],
      ["InternalErrorException", new InternalErrorException({ message: "Internal error", ...meta }), "identity_provider_unavailable"],
      ["ResourceNotFoundException", new ResourceNotFoundException({ message: "User pool client does not exist.", ...meta }), "identity_provider_unavailable"],
      ["a network error", networkError(), "identity_provider_unavailable"],
      ["a wrong client secret", notAuthorized(`Unable to verify secret hash for client ${CLIENT_ID}`), "identity_provider_unavailable"],
      ["a missing client secret", notAuthorized(`Client ${CLIENT_ID} is configured for secret but secret was not received`), "identity_provider_unavailable"],
    ])("maps %s to %s", async (_, failure, code) => {
      cognito.on(InitiateAuthCommand).rejects(failure);
      expect(await provider().startSignIn(USER)).toEqual({ ok: false, error: code });
    });
  });

  describe("answerChallenge", () => {
    const ANSWER = '{"id":"cred","response":{}}';
    const result = { AccessToken: "access.jwt", IdToken: "id.jwt", RefreshToken: "refresh-opaque", ExpiresIn: 3600, TokenType: "Bearer" };

    it("answers the CUSTOM_CHALLENGE of the session and maps the tokens", async () => {
      cognito.on(RespondToAuthChallengeCommand).resolves({ AuthenticationResult: result, ChallengeParameters: {} });
      expect(await provider().answerChallenge(USER, "AYABeC-session", ANSWER)).toEqual({
        ok: true,
        value: { accessToken: "access.jwt", idToken: "id.jwt", refreshToken: "refresh-opaque", expiresIn: 3600, tokenType: "Bearer" },
      });
      expect(cognito.commandCalls(RespondToAuthChallengeCommand)[0]!.args[0].input).toEqual({
        ClientId: CLIENT_ID,
        ChallengeName: "CUSTOM_CHALLENGE",
        Session: "AYABeC-session",
        ChallengeResponses: { USERNAME: USER, ANSWER },
      });
    });

    it("sends the client metadata it is given as ClientMetadata, for Cognito to hand to the triggers", async () => {
      cognito.on(RespondToAuthChallengeCommand).resolves({ AuthenticationResult: result });
      const clientMetadata = { keyport_request_context: "sealed.mac" };
      expect((await provider().answerChallenge(USER, "AYABeC-session", ANSWER, clientMetadata)).ok).toBe(true);
      expect(cognito.commandCalls(RespondToAuthChallengeCommand)[0]!.args[0].input).toEqual({
        ClientId: CLIENT_ID,
        ChallengeName: "CUSTOM_CHALLENGE",
        Session: "AYABeC-session",
        ChallengeResponses: { USERNAME: USER, ANSWER },
        ClientMetadata: clientMetadata,
      });
    });

    it("adds the SECRET_HASH when the app client has a secret", async () => {
      cognito.on(RespondToAuthChallengeCommand).resolves({ AuthenticationResult: result });
      expect((await withSecret().answerChallenge(USER, "AYABeC-session", ANSWER)).ok).toBe(true);
      expect(cognito.commandCalls(RespondToAuthChallengeCommand)[0]!.args[0].input).toEqual({
        ClientId: CLIENT_ID,
        ChallengeName: "CUSTOM_CHALLENGE",
        Session: "AYABeC-session",
        ChallengeResponses: { USERNAME: USER, ANSWER, SECRET_HASH: USER_SECRET_HASH },
      });
    });

    it("fails the sign-in when Cognito issues another challenge: one answer per session", async () => {
      cognito.on(RespondToAuthChallengeCommand).resolves({ ChallengeName: "CUSTOM_CHALLENGE", Session: "next-session", ChallengeParameters: { credentialRequestOptions: "{}" } });
      expect(await provider().answerChallenge(USER, "AYABeC-session", ANSWER)).toEqual({ ok: false, error: "sign_in_failed" });
    });

    it("answers identity_provider_unavailable for an incomplete token set", async () => {
      cognito.on(RespondToAuthChallengeCommand).resolves({ AuthenticationResult: { AccessToken: "access.jwt", ExpiresIn: 3600 } });
      expect(await provider().answerChallenge(USER, "AYABeC-session", ANSWER)).toEqual({ ok: false, error: "identity_provider_unavailable" });
    });

    it.each([
      ["an expired session", notAuthorized("Invalid session for the user, session is expired."), "sign_in_session_invalid"],
      ["a spent session", notAuthorized("Invalid session for the user."), "sign_in_session_invalid"],
      ["a wrong answer", notAuthorized("Incorrect username or password."), "sign_in_failed"],
      ["CodeMismatchException", new CodeMismatchException({ message: "Invalid code or auth state for the user.", ...meta }), "sign_in_failed"],
      ["ExpiredCodeException", new ExpiredCodeException({ message: "Invalid code provided, please request a code again.", ...meta }), "sign_in_session_invalid"],
      ["UserNotFoundException", new UserNotFoundException({ message: "User does not exist.", ...meta }), "sign_in_failed"],
      ["TooManyRequestsException", new TooManyRequestsException({ message: "Rate exceeded", ...meta }), "too_many_requests"],
      ["TooManyFailedAttemptsException", new TooManyFailedAttemptsException({ message: "Too many failed attempts.", ...meta }), "too_many_requests"],
      ["InternalErrorException", new InternalErrorException({ message: "Internal error", ...meta }), "identity_provider_unavailable"],
      ["a network error", networkError(), "identity_provider_unavailable"],
      ["a wrong client secret", notAuthorized(`Unable to verify secret hash for client ${CLIENT_ID}`), "identity_provider_unavailable"],
    ])("maps %s to %s", async (_, failure, code) => {
      cognito.on(RespondToAuthChallengeCommand).rejects(failure);
      expect(await provider().answerChallenge(USER, "AYABeC-session", ANSWER)).toEqual({ ok: false, error: code });
    });
  });

  describe("refreshTokens", () => {
    /** An ID token as Cognito returns it (the adapter reads, never verifies, the one it was just handed). */
    const idTokenOf = (username: string) => `${b64url({ kid: "pool-key-1", alg: "RS256" })}.${b64url({ token_use: "id", "cognito:username": username })}.c2ln`;
    const result = { AccessToken: "access2.jwt", IdToken: idTokenOf(USER), ExpiresIn: 3600, TokenType: "Bearer" };

    it("refreshes with GetTokensFromRefreshToken, never REFRESH_TOKEN_AUTH (refused by an app client that rotates)", async () => {
      cognito.on(GetTokensFromRefreshTokenCommand).resolves({ AuthenticationResult: { ...result, RefreshToken: "refresh-rotated" } });
      expect(await provider().refreshTokens("refresh-opaque")).toEqual({
        ok: true,
        value: { accessToken: "access2.jwt", idToken: result.IdToken, refreshToken: "refresh-rotated", expiresIn: 3600, tokenType: "Bearer", identityUserId: USER },
      });
      expect(cognito.commandCalls(GetTokensFromRefreshTokenCommand)[0]!.args[0].input).toEqual({ ClientId: CLIENT_ID, RefreshToken: "refresh-opaque" });
      expect(cognito.commandCalls(InitiateAuthCommand)).toHaveLength(0);
    });

    it("returns no refresh token when the app client does not rotate (the one given stays valid)", async () => {
      cognito.on(GetTokensFromRefreshTokenCommand).resolves({ AuthenticationResult: result });
      const refreshed = await provider().refreshTokens("refresh-opaque");
      expect(refreshed).toEqual({ ok: true, value: { accessToken: "access2.jwt", idToken: result.IdToken, expiresIn: 3600, tokenType: "Bearer", identityUserId: USER } });
      expect(refreshed.ok && refreshed.value).not.toHaveProperty("refreshToken");
    });

    it("sends the client secret itself when the app client has one (the operation takes no SECRET_HASH), with or without a user", async () => {
      cognito.on(GetTokensFromRefreshTokenCommand).resolves({ AuthenticationResult: { ...result, RefreshToken: "refresh-rotated" } });
      expect((await withSecret().refreshTokens("refresh-opaque", USER)).ok).toBe(true);
      expect((await withSecret().refreshTokens("refresh-opaque")).ok).toBe(true);
      for (const call of cognito.commandCalls(GetTokensFromRefreshTokenCommand)) {
        expect(call.args[0].input).toEqual({ ClientId: CLIENT_ID, RefreshToken: "refresh-opaque", ClientSecret: SECRET });
      }
      expect(cognito.commandCalls(GetTokensFromRefreshTokenCommand)).toHaveLength(2);
    });

    it("refuses a token presented for another user than the one its tokens name", async () => {
      cognito.on(GetTokensFromRefreshTokenCommand).resolves({ AuthenticationResult: { ...result, RefreshToken: "refresh-rotated" } });
      expect(await provider().refreshTokens("refresh-opaque", "another-user")).toEqual({ ok: false, error: "refresh_token_invalid" });
      expect(await withSecret().refreshTokens("refresh-opaque", "another-user")).toEqual({ ok: false, error: "refresh_token_invalid" });
      expect((await provider().refreshTokens("refresh-opaque", USER)).ok).toBe(true);
    });

    it.each([
      ["no ID token", { AccessToken: "access2.jwt", ExpiresIn: 3600 }],
      ["no access token", { IdToken: idTokenOf(USER), ExpiresIn: 3600 }],
    ])("answers identity_provider_unavailable for a response with %s", async (_, authenticationResult) => {
      cognito.on(GetTokensFromRefreshTokenCommand).resolves({ AuthenticationResult: authenticationResult });
      expect(await provider().refreshTokens("refresh-opaque")).toEqual({ ok: false, error: "identity_provider_unavailable" });
    });

    it("names the user of the tokens by the cognito:username of the new ID token, whoever the caller named", async () => {
      cognito.on(GetTokensFromRefreshTokenCommand).resolves({ AuthenticationResult: { ...result, IdToken: idTokenOf("user-from-token") } });
      expect(await provider().refreshTokens("refresh-opaque")).toMatchObject({ ok: true, value: { identityUserId: "user-from-token" } });
      expect(await provider().refreshTokens("refresh-opaque", "user-from-token")).toMatchObject({ ok: true, value: { identityUserId: "user-from-token" } });
    });

    it.each([
      ["not a JWT", "not-a-jwt"],
      ["without cognito:username", `${b64url({ kid: "pool-key-1", alg: "RS256" })}.${b64url({ token_use: "id" })}.c2ln`],
      ["with a cognito:username that is not a string", `${b64url({ kid: "pool-key-1", alg: "RS256" })}.${b64url({ token_use: "id", "cognito:username": 7 })}.c2ln`],
    ])("answers identity_provider_unavailable when the new ID token cannot name the user (%s), whether or not the caller named one", async (_, idToken) => {
      cognito.on(GetTokensFromRefreshTokenCommand).resolves({ AuthenticationResult: { ...result, IdToken: idToken } });
      expect(await provider().refreshTokens("refresh-opaque", USER)).toEqual({ ok: false, error: "identity_provider_unavailable" });
      expect(await provider().refreshTokens("refresh-opaque")).toEqual({ ok: false, error: "identity_provider_unavailable" });
    });

    it.each([
      ["an invalid token", notAuthorized("Invalid Refresh Token"), "refresh_token_invalid"],
      ["a revoked token", notAuthorized("Refresh Token has been revoked"), "refresh_token_invalid"],
      ["an expired token", notAuthorized("Refresh Token has expired"), "refresh_token_invalid"],
      ["a token already rotated out", new RefreshTokenReuseException({ message: "Refresh token has been reused", ...meta }), "refresh_token_invalid"],
      ["a deleted user", new UserNotFoundException({ message: "User does not exist.", ...meta }), "refresh_token_invalid"],
      ["TooManyRequestsException", new TooManyRequestsException({ message: "Rate exceeded", ...meta }), "too_many_requests"],
      ["LimitExceededException", new LimitExceededException({ message: "Limit exceeded", ...meta }), "too_many_requests"],
      ["InternalErrorException", new InternalErrorException({ message: "Internal error", ...meta }), "identity_provider_unavailable"],
      ["ResourceNotFoundException", new ResourceNotFoundException({ message: "User pool client does not exist.", ...meta }), "identity_provider_unavailable"],
      ["a network error", networkError(), "identity_provider_unavailable"],
      // The secret is no longer keyed by a user: refused, it is keyport's misconfiguration, not the token's fault.
      ["a wrong client secret", notAuthorized(`Unable to verify secret hash for client ${CLIENT_ID}`), "identity_provider_unavailable"],
      ["a missing client secret", notAuthorized(`Client ${CLIENT_ID} is configured for secret but secret was not received`), "identity_provider_unavailable"],
    ])("maps %s to %s", async (_, failure, code) => {
      cognito.on(GetTokensFromRefreshTokenCommand).rejects(failure);
      expect(await provider().refreshTokens("refresh-opaque")).toEqual({ ok: false, error: code });
    });
  });

  describe("verifyIdToken", () => {
    const nowSeconds = () => Math.floor(clock.now() / 1000);
    const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");

    function idClaims(overrides: Record<string, unknown> = {}): Record<string, unknown> {
      return {
        sub: "5f0c1d2e-0000-4000-8000-000000000001",
        iss: ISSUER,
        aud: CLIENT_ID,
        token_use: "id",
        "cognito:username": USER,
        preferred_username: "alice",
        name: "Alice Example",
        auth_time: nowSeconds(),
        iat: nowSeconds(),
        exp: nowSeconds() + 3600,
        ...overrides,
      };
    }

    function signRs256(claims: Record<string, unknown>, key: { kid: string; privateKey: KeyObject } = poolKey, header: Record<string, unknown> = {}): string {
      const input = `${b64({ kid: key.kid, alg: "RS256", ...header })}.${b64(claims)}`;
      return `${input}.${sign("sha256", Buffer.from(input), key.privateKey).toString("base64url")}`;
    }

    it("returns the identity in a valid ID token", async () => {
      expect(await provider().verifyIdToken(signRs256(idClaims()))).toEqual({
        ok: true,
        value: {
          identityUserId: USER,
          subject: "5f0c1d2e-0000-4000-8000-000000000001",
          preferredUsername: "alice",
          name: "Alice Example",
          authenticatedAt: nowSeconds() * 1000,
        },
      });
    });

    it("returns null for profile claims the token does not carry", async () => {
      const { preferred_username: _p, name: _n, ...claims } = idClaims();
      expect(await provider().verifyIdToken(signRs256(claims))).toMatchObject({ ok: true, value: { preferredUsername: null, name: null } });
    });

    it("refuses a token of another user pool", async () => {
      const token = signRs256(idClaims({ iss: `https://cognito-idp.${REGION}.amazonaws.com/${REGION}_Other0001` }));
      expect(await provider().verifyIdToken(token)).toEqual({ ok: false, error: "token_issuer_mismatch" });
    });

    it("pins the pool's issuer: Cognito's newer issuer format (issuer-cognito-idp) is not accepted", async () => {
      const token = signRs256(idClaims({ iss: `https://issuer-cognito-idp.${REGION}.amazonaws.com/${POOL}` }));
      expect(await provider().verifyIdToken(token)).toEqual({ ok: false, error: "token_issuer_mismatch" });
    });

    it("checks issuer, token_use and audience before expiry", async () => {
      const expired = { exp: nowSeconds() - 1 };
      expect(await provider().verifyIdToken(signRs256(idClaims({ ...expired, iss: `${ISSUER}x` })))).toEqual({ ok: false, error: "token_issuer_mismatch" });
      expect(await provider().verifyIdToken(signRs256(idClaims({ ...expired, token_use: "access" })))).toEqual({ ok: false, error: "token_not_id_token" });
      expect(await provider().verifyIdToken(signRs256(idClaims({ ...expired, aud: "another-client" })))).toEqual({ ok: false, error: "token_audience_mismatch" });
    });

    it("refuses a token of another app client", async () => {
      expect(await provider().verifyIdToken(signRs256(idClaims({ aud: "another-client" })))).toEqual({ ok: false, error: "token_audience_mismatch" });
    });

    it("refuses an access token", async () => {
      const { aud: _aud, ...claims } = idClaims({ token_use: "access", client_id: CLIENT_ID, scope: "aws.cognito.signin.user.admin" });
      expect(await provider().verifyIdToken(signRs256(claims))).toEqual({ ok: false, error: "token_not_id_token" });
    });

    it("refuses a token at and after its expiry, by the clock port", async () => {
      const token = signRs256(idClaims());
      clock.advance(3600_000 - 1_000);
      expect((await provider().verifyIdToken(token)).ok).toBe(true);
      clock.advance(1_000);
      expect(await provider().verifyIdToken(token)).toEqual({ ok: false, error: "token_expired" });
      expect(await provider().verifyIdToken(signRs256(idClaims({ exp: undefined })))).toEqual({ ok: false, error: "token_expired" });
    });

    it("refuses a token whose iat or nbf is more than a minute ahead of the clock port: token_not_yet_valid", async () => {
      const idp = provider();
      expect((await idp.verifyIdToken(signRs256(idClaims({ iat: nowSeconds() + 60 })))).ok).toBe(true);
      expect((await idp.verifyIdToken(signRs256(idClaims({ nbf: nowSeconds() + 60 })))).ok).toBe(true);
      expect(await idp.verifyIdToken(signRs256(idClaims({ iat: nowSeconds() + 61 })))).toEqual({ ok: false, error: "token_not_yet_valid" });
      expect(await idp.verifyIdToken(signRs256(idClaims({ nbf: nowSeconds() + 61 })))).toEqual({ ok: false, error: "token_not_yet_valid" });
    });

    it("judges nbf and iat by the clock port alone, not the machine's time", async () => {
      // Issued two days after the clock port's now (and, the clock being 2026-01-01, long before the machine's).
      const later = nowSeconds() + 2 * 86_400;
      const token = signRs256(idClaims({ iat: later, nbf: later, auth_time: later, exp: later + 3600 }));
      expect(await provider().verifyIdToken(token)).toEqual({ ok: false, error: "token_not_yet_valid" });
      clock.advance(2 * 86_400_000);
      expect((await provider().verifyIdToken(token)).ok).toBe(true);
      // And a token the clock port says is current is accepted whatever the machine's time says of its nbf.
      expect((await provider().verifyIdToken(signRs256(idClaims({ nbf: nowSeconds() - 1 })))).ok).toBe(true);
    });

    it("checks issuer, token_use, audience and expiry before not-yet-valid", async () => {
      const future = { iat: nowSeconds() + 600, nbf: nowSeconds() + 600 };
      expect(await provider().verifyIdToken(signRs256(idClaims({ ...future, iss: `${ISSUER}x` })))).toEqual({ ok: false, error: "token_issuer_mismatch" });
      expect(await provider().verifyIdToken(signRs256(idClaims({ ...future, aud: "another-client" })))).toEqual({ ok: false, error: "token_audience_mismatch" });
      expect(await provider().verifyIdToken(signRs256(idClaims({ ...future, exp: nowSeconds() })))).toEqual({ ok: false, error: "token_expired" });
    });

    it("refuses a token whose kid is not in the JWKS", async () => {
      expect(await provider().verifyIdToken(signRs256(idClaims(), rotatedKey))).toEqual({ ok: false, error: "token_signature_invalid" });
    });

    it("refuses a token signed by another key under a known kid, and a tampered token", async () => {
      const impostor = { ...strangerKey, kid: poolKey.kid };
      expect(await provider().verifyIdToken(signRs256(idClaims(), impostor))).toEqual({ ok: false, error: "token_signature_invalid" });
      const [header, , signature] = signRs256(idClaims()).split(".");
      const tampered = `${header}.${b64(idClaims({ "cognito:username": "someone-else" }))}.${signature}`;
      expect(await provider().verifyIdToken(tampered)).toEqual({ ok: false, error: "token_signature_invalid" });
      const truncated = `${header}.${b64(idClaims())}.AA`;
      expect(await provider().verifyIdToken(truncated)).toEqual({ ok: false, error: "token_signature_invalid" });
    });

    it("refuses alg none, HS256 keyed with the public key, and other algorithms", async () => {
      const idp = provider();
      const claims = b64(idClaims());
      expect(await idp.verifyIdToken(`${b64({ alg: "none", kid: poolKey.kid })}.${claims}.AA`)).toEqual({ ok: false, error: "token_signature_invalid" });
      const hsInput = `${b64({ alg: "HS256", kid: poolKey.kid })}.${claims}`;
      const hsKey = JSON.stringify(poolKey.jwk);
      const hs256 = `${hsInput}.${createHmac("sha256", hsKey).update(hsInput).digest("base64url")}`;
      expect(await idp.verifyIdToken(hs256)).toEqual({ ok: false, error: "token_signature_invalid" });
      // A valid RS256 signature under a header that claims another algorithm is refused as well.
      const rs512Header = signRs256(idClaims(), poolKey, { alg: "RS512" });
      expect(await idp.verifyIdToken(rs512Header)).toEqual({ ok: false, error: "token_signature_invalid" });
      expect(await idp.verifyIdToken(signRs256(idClaims(), poolKey, { crit: ["exp"] }))).toEqual({ ok: false, error: "token_signature_invalid" });
    });

    it.each([
      ["garbage", "garbage"],
      ["an empty string", ""],
      ["two segments", "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0"],
      ["a non-JSON header", `${Buffer.from("not json").toString("base64url")}.${b64({})}.AA`],
      ["a JSON array payload", `${b64({ alg: "RS256", kid: "pool-key-1" })}.${b64([1, 2])}.AA`],
      ["characters outside base64url", "a+b.c/d.e=f"],
      ["an oversized token", `${"a".repeat(20_000)}.b.c`],
    ])("answers token_malformed for %s", async (_, token) => {
      expect(await provider().verifyIdToken(token)).toEqual({ ok: false, error: "token_malformed" });
    });

    it("answers token_malformed for a signed ID token without cognito:username", async () => {
      expect(await provider().verifyIdToken(signRs256(idClaims({ "cognito:username": undefined })))).toEqual({ ok: false, error: "token_malformed" });
    });

    it("ignores keys in the JWKS that are not 2048-bit RS256 signing keys", async () => {
      jwks.keys = [weakKey.jwk, { ...strangerKey.jwk, use: "enc" }, { kty: "oct", k: "c2VjcmV0", kid: "oct-key" } as JsonWebKey, poolKey.jwk];
      const idp = provider();
      expect(await idp.verifyIdToken(signRs256(idClaims(), weakKey))).toEqual({ ok: false, error: "token_signature_invalid" });
      expect(await idp.verifyIdToken(signRs256(idClaims(), strangerKey))).toEqual({ ok: false, error: "token_signature_invalid" });
      expect(await idp.verifyIdToken(signRs256(idClaims(), { ...strangerKey, kid: "oct-key" }))).toEqual({ ok: false, error: "token_signature_invalid" });
      expect((await idp.verifyIdToken(signRs256(idClaims()))).ok).toBe(true);
    });

    it("fetches the JWKS once and keeps it", async () => {
      const idp = provider();
      await Promise.all([idp.verifyIdToken(signRs256(idClaims())), idp.verifyIdToken(signRs256(idClaims()))]);
      for (let i = 0; i < 5; i++) await idp.verifyIdToken(signRs256(idClaims()));
      expect(jwks.fetches).toBe(1);
    });

    it("refetches on an unknown kid at most once a minute, and then accepts rotated keys", async () => {
      const idp = provider();
      expect((await idp.verifyIdToken(signRs256(idClaims()))).ok).toBe(true);
      jwks.keys = [poolKey.jwk, rotatedKey.jwk];
      const rotated = () => signRs256(idClaims(), rotatedKey);
      // Within the minute after the first fetch, unknown kids are refused without a fetch.
      expect(await idp.verifyIdToken(rotated())).toEqual({ ok: false, error: "token_signature_invalid" });
      expect(await idp.verifyIdToken(signRs256(idClaims(), strangerKey))).toEqual({ ok: false, error: "token_signature_invalid" });
      expect(jwks.fetches).toBe(1);
      clock.advance(60_000);
      expect((await idp.verifyIdToken(rotated())).ok).toBe(true);
      expect(jwks.fetches).toBe(2);
      // Forged kids right after cannot force another fetch.
      expect(await idp.verifyIdToken(signRs256(idClaims(), { ...strangerKey, kid: "forged-kid-2" }))).toEqual({ ok: false, error: "token_signature_invalid" });
      expect(jwks.fetches).toBe(2);
    });

    it("throws when the JWKS cannot be fetched (an infrastructure fault), and tries again on the next token", async () => {
      let fail = true;
      const flaky: Fetcher = { fetch: async () => (fail ? Promise.reject(new Error("JWKS unreachable")) : jwksBody([poolKey.jwk])) };
      const idp = provider({ jwksFetcher: flaky });
      await expect(idp.verifyIdToken(signRs256(idClaims()))).rejects.toThrow("JWKS unreachable");
      fail = false;
      expect((await idp.verifyIdToken(signRs256(idClaims()))).ok).toBe(true);
    });

    it("does not fetch keys for a token that is malformed or not RS256", async () => {
      const idp = provider();
      await idp.verifyIdToken("garbage");
      await idp.verifyIdToken(`${b64({ alg: "none", kid: poolKey.kid })}.${b64(idClaims())}.AA`);
      expect(jwks.fetches).toBe(0);
    });

    describe("without an injected JWKS source", () => {
      afterEach(() => {
        vi.restoreAllMocks();
      });

      it("fetches the user pool's published JWKS", async () => {
        const fetchSpy = vi.spyOn(globalThis, "fetch").mockResolvedValue(Response.json({ keys: [poolKey.jwk] }));
        const idp = new CognitoIdentityProvider({ client, userPoolId: POOL, clientId: CLIENT_ID, region: REGION, random: new WebCryptoRandomSource(), clock });
        expect((await idp.verifyIdToken(signRs256(idClaims()))).ok).toBe(true);
        expect(fetchSpy).toHaveBeenCalledTimes(1);
        expect(fetchSpy.mock.calls[0]![0]).toBe(`https://cognito-idp.${REGION}.amazonaws.com/${POOL}/.well-known/jwks.json`);
      });
    });
  });
});
