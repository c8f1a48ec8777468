/**
 * The local Cognito API (LocalUserPool) as an app meets it: driven by amazon-cognito-identity-js's own
 * code where the library has the step (SRP and its claim, custom challenges, refresh, sign-out), and
 * by the port directly where a test needs one request at a time. The pool sits on the local identity
 * provider the composition builds, with keyport's real Define/Create/Verify triggers, so every
 * custom-auth step here is the one Cognito would run.
 */
import { apiServices } from "../../../src/composition/api-services.js";
import { describe, expect, it } from "vitest";
import { InMemoryIdentityUserDirectory } from "../../../src/adapters/in-memory/in-memory-identity-user-directory.js";
import { SRP_N } from "../../../src/adapters/local-identity/cognito-srp.js";
import type { LocalIdentityProvider } from "../../../src/adapters/local-identity/local-identity-provider.js";
import { authFlowsFor, LocalUserPool } from "../../../src/adapters/local-identity/local-user-pool.js";
import type { PasswordHasher } from "../../../src/adapters/local-identity/password-hasher.js";
import { ScryptPasswordHasher } from "../../../src/adapters/local-identity/scrypt-password-hasher.js";
import { authenticatorCatalog } from "../../../src/composition/authenticator-catalogs.js";
import { parseConfig } from "../../../src/composition/config.js";
import { withConfiguredIdentityProvider } from "../../../src/composition/identity-providers.js";
import { composeServices, type AdapterOverrides } from "../../../src/composition/services.js";
import { PASSKEY_ENROLLED_ATTRIBUTE } from "../../../src/domain/custom-challenge/second-factor.js";
import type { IdentityUser, IdentityUserDirectory } from "../../../src/ports/identity-user-directory.js";
import { StorageUnavailableError } from "../../../src/ports/storage-unavailable-error.js";
import type { AuthOutcome, UserPoolResult } from "../../../src/ports/user-pool.js";
import { decodeJwt } from "../../support/kit.js";
import { ManualClock } from "../../support/manual-clock.js";
import { SoftwareAuthenticator } from "../../support/software-authenticator.js";
import { identityJsPool, identityJsSignUp, identityJsSrp, IdentityJsUser, type SignInResult } from "./identity-js-client.js";

const ORIGIN = "http://localhost:3000";
const PASSWORD = "Correct-Horse-9";
const INCORRECT = { code: "NotAuthorizedException", message: "Incorrect username or password." };

/** scrypt at its lowest cost: these tests are about the protocol; the composition's parameters are tested apart. */
class CountingHasher implements PasswordHasher {
  readonly inner = new ScryptPasswordHasher({ ln: 10, r: 8, p: 1 });
  verified = 0;
  hash(password: string): Promise<string> {
    return this.inner.hash(password);
  }
  verify(password: string, encoded: string): Promise<boolean> {
    this.verified++;
    return this.inner.verify(password, encoded);
  }
}

/** A directory that can be made to fail like a store out of reach. */
class SwitchableDirectory implements IdentityUserDirectory {
  readonly inner = new InMemoryIdentityUserDirectory();
  fault: Error | null = null;
  private check(): void {
    if (this.fault !== null) throw this.fault;
  }
  async create(user: IdentityUser) {
    this.check();
    return this.inner.create(user);
  }
  async find(username: string) {
    this.check();
    return this.inner.find(username);
  }
  async updateAttributes(username: string, attributes: Readonly<Record<string, string>>) {
    this.check();
    return this.inner.updateAttributes(username, attributes);
  }
  async delete(username: string) {
    this.check();
    return this.inner.delete(username);
  }
}

function setUp(env: Record<string, string> = {}, overrides: AdapterOverrides = {}) {
  const clock = new ManualClock();
  const hasher = new CountingHasher();
  const config = parseConfig(env);
  const services = composeServices(
    config,
    withConfiguredIdentityProvider(config, {
      apiServices,
      clock,
      authenticatorCatalog,
      userPool: (s) =>
        new LocalUserPool({
          provider: s.identityProvider as LocalIdentityProvider,
          passwords: hasher,
          clock: s.clock,
          random: s.random,
          unknownUserSecret: new Uint8Array(32).fill(9),
          authFlows: authFlowsFor(config.secondFactor),
        }),
      ...overrides,
    }),
  );
  const pool = services.userPool as LocalUserPool;
  const idp = services.identityProvider as LocalIdentityProvider;
  const { cognitoPool, sent } = identityJsPool(pool);
  return { clock, hasher, services, pool, idp, cognitoPool, sent, authenticator: new SoftwareAuthenticator() };
}

type Env = ReturnType<typeof setUp>;

async function signUp(env: Env, username: string, password = PASSWORD, attributes: Record<string, string> = {}) {
  const result = await env.pool.signUp({ clientId: env.pool.clientId, username, password, userAttributes: attributes });
  if (!result.ok) throw new Error(result.error.message);
  return result.value;
}

/** Registers a passkey for `username` through keyport's own registration, signed in as the user. */
async function addPasskey(env: Env, username: string) {
  const user = await env.idp.users.find(username);
  if (user === null) throw new Error(`no ${username}`);
  const identity = await env.idp.verifyIdToken((await env.idp.signIn(user)).idToken);
  if (!identity.ok) throw new Error(identity.error);
  const start = await env.services.registrationCeremony.startForExistingUser(identity.value);
  if (!start.ok) throw new Error(start.error);
  const finish = await env.services.registrationCeremony.finish(start.value.sessionId, env.authenticator.createCredential(start.value.options, { origin: ORIGIN }), identity.value);
  if (!finish.ok) throw new Error(finish.error);
  // What keyport's passkey management records whenever a passkey is added (ADR 0023); idempotent.
  await env.idp.setPasskeyEnrolled(username, true);
}

/** The passkey's answer to a custom challenge's parameters, as a browser would give it. */
function passkeyAnswer(env: Env, parameters: Readonly<Record<string, string>>, authenticator = env.authenticator): string {
  return JSON.stringify(authenticator.getAssertion(JSON.parse(parameters.credentialRequestOptions ?? "null"), { origin: ORIGIN }));
}

function claimsOf(result: SignInResult): Record<string, unknown> {
  if (result.kind !== "tokens") throw new Error(`expected tokens, got ${JSON.stringify(result)}`);
  return decodeJwt(result.session.getIdToken().getJwtToken()).payload;
}

function challengeOf(result: UserPoolResult<AuthOutcome>) {
  if (!result.ok || result.value.kind !== "challenge") throw new Error(`expected a challenge, got ${JSON.stringify(result)}`);
  return result.value;
}

function tokensOf(result: UserPoolResult<AuthOutcome>) {
  if (!result.ok || result.value.kind !== "tokens") throw new Error(`expected tokens, got ${JSON.stringify(result)}`);
  return result.value.authenticationResult;
}

const errorOf = (result: SignInResult) => (result.kind === "error" ? { code: result.error.code, message: result.error.message } : result.kind);

describe("LocalUserPool", () => {
  describe("SignUp", () => {
    it("signs a user up with a password, confirmed at once, with the attributes given and a subject of its own", async () => {
      const env = setUp();
      const signedUp = await identityJsSignUp(env.cognitoPool, "alice", PASSWORD, { email: "alice@example.com", name: "Alice", preferred_username: "ali" });
      expect(signedUp).toEqual({ userSub: expect.stringMatching(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/), confirmed: true });
      const stored = await env.idp.users.find("alice");
      expect(stored).toMatchObject({ username: "alice", sub: signedUp.userSub, attributes: { email: "alice@example.com", name: "Alice", preferred_username: "ali" } });
      expect(stored?.password).toEqual({ hash: expect.stringMatching(/^\$scrypt\$ln=10,r=8,p=1\$/), srpSalt: expect.stringMatching(/^[0-9a-f]+$/), srpVerifier: expect.stringMatching(/^[0-9a-f]+$/) });
    });

    it("never keeps the password in clear, nor puts it in the user's attributes", async () => {
      const env = setUp();
      await signUp(env, "alice", "Unmistakable-Pa55word!");
      const stored = JSON.stringify(await env.idp.users.find("alice"));
      expect(stored).not.toContain("Unmistakable-Pa55word!");
      expect(stored).not.toContain(Buffer.from("Unmistakable-Pa55word!").toString("base64").slice(0, 12));
    });

    it("refuses a username that is taken, by a password user or a passkey sign-up alike", async () => {
      const env = setUp();
      await signUp(env, "alice");
      await env.idp.createUser({ username: "handle-1", preferredUsername: "bob", name: "Bob" });
      for (const username of ["alice", "handle-1"]) {
        expect((await identityJsSignUp(env.cognitoPool, username, PASSWORD)).error).toMatchObject({ code: "UsernameExistsException", message: "User already exists" });
      }
      expect((await env.idp.users.find("handle-1"))?.password).toBeUndefined();
    });

    it("applies Cognito's default password policy: 8 characters, an upper-case and a lower-case letter, a digit and a symbol", async () => {
      const env = setUp();
      const refusals: [string, string][] = [
        ["Ab1-", "Password did not conform with policy: Password not long enough"],
        ["ABCDEFG1-", "Password did not conform with policy: Password must have lowercase characters"],
        ["abcdefg1-", "Password did not conform with policy: Password must have uppercase characters"],
        ["Abcdefgh-", "Password did not conform with policy: Password must have numeric characters"],
        ["Abcdefgh1", "Password did not conform with policy: Password must have symbol characters"],
      ];
      for (const [password, message] of refusals) {
        expect((await identityJsSignUp(env.cognitoPool, "alice", password)).error).toMatchObject({ code: "InvalidPasswordException", message });
      }
      // An inner space is a symbol; white space at either end is outside the API's pattern.
      expect((await identityJsSignUp(env.cognitoPool, "spaced", "Abc def12")).confirmed).toBe(true);
      expect((await identityJsSignUp(env.cognitoPool, "alice", " Abcdef1-")).error).toMatchObject({ code: "InvalidParameterException" });
      expect((await identityJsSignUp(env.cognitoPool, "alice", "A".repeat(200) + "b1-".repeat(20))).error).toMatchObject({ code: "InvalidParameterException" });
      expect(await env.idp.users.find("alice")).toBeNull();
    });

    it("refuses attributes outside the pool's schema, and custom:passkey_enrolled, which only keyport writes", async () => {
      const env = setUp();
      expect((await identityJsSignUp(env.cognitoPool, "alice", PASSWORD, { [PASSKEY_ENROLLED_ATTRIBUTE]: "true" })).error).toMatchObject({
        code: "NotAuthorizedException",
        message: "A client attempted to write unauthorized attribute",
      });
      for (const name of ["sub", "custom:role", "shoe_size"]) {
        expect((await identityJsSignUp(env.cognitoPool, "alice", PASSWORD, { [name]: "x" })).error).toMatchObject({ code: "InvalidParameterException" });
      }
      expect(await env.idp.users.find("alice")).toBeNull();
    });
  });

  describe("USER_PASSWORD_AUTH", () => {
    it("signs in with the right password: tokens of the provider, for the user, with a refresh token", async () => {
      const env = setUp();
      const { userSub } = await signUp(env, "alice", PASSWORD, { email: "alice@example.com" });
      const signedIn = await new IdentityJsUser(env.cognitoPool, "alice").signIn("USER_PASSWORD_AUTH", PASSWORD);
      expect(claimsOf(signedIn)).toMatchObject({ sub: userSub, "cognito:username": "alice", email: "alice@example.com", token_use: "id", aud: env.pool.clientId });
      if (signedIn.kind !== "tokens") return;
      expect(await env.idp.verifyIdToken(signedIn.session.getIdToken().getJwtToken())).toMatchObject({ ok: true, value: { identityUserId: "alice" } });
      expect(signedIn.session.getRefreshToken().getToken()).toEqual(expect.any(String));
    });

    it("refuses a wrong password and an unknown user with the same answer, each after checking a hash", async () => {
      const env = setUp();
      await signUp(env, "alice");
      await env.idp.createUser({ username: "passkey-only", preferredUsername: "p", name: "P" });
      for (const [username, password] of [
        ["alice", "Wrong-Horse-9"],
        ["nobody", PASSWORD],
        ["passkey-only", PASSWORD],
      ] as const) {
        const before = env.hasher.verified;
        expect(errorOf(await new IdentityJsUser(env.cognitoPool, username).signIn("USER_PASSWORD_AUTH", password))).toEqual(INCORRECT);
        expect(env.hasher.verified).toBe(before + 1);
      }
    });
  });

  describe("USER_SRP_AUTH", () => {
    it("signs amazon-cognito-identity-js in with SRP and the right password, and refuses a wrong one", async () => {
      const env = setUp();
      const { userSub } = await signUp(env, "alice");
      expect(claimsOf(await new IdentityJsUser(env.cognitoPool, "alice").signIn("USER_SRP_AUTH", PASSWORD))).toMatchObject({ sub: userSub, "cognito:username": "alice" });
      expect(errorOf(await new IdentityJsUser(env.cognitoPool, "alice").signIn("USER_SRP_AUTH", "Correct-Horse-8"))).toEqual(INCORRECT);
      const challenge = env.sent.find((request) => request.operation === "RespondToAuthChallenge");
      expect(challenge?.params).toMatchObject({ ChallengeName: "PASSWORD_VERIFIER", ChallengeResponses: { USERNAME: "alice" } });
    });

    it("answers a username without a password with a challenge of the same shape, its salt the same each time, and the same refusal", async () => {
      const env = setUp();
      await signUp(env, "alice");
      await env.idp.createUser({ username: "passkey-only", preferredUsername: "p", name: "P" });
      const initiate = async (username: string) =>
        challengeOf(await env.pool.initiateAuth({ clientId: env.pool.clientId, authFlow: "USER_SRP_AUTH", authParameters: { USERNAME: username, SRP_A: (await identityJsSrp("keyportlocal")).srpA } }));
      const known = await initiate("alice");
      for (const username of ["nobody", "passkey-only"]) {
        const [first, second] = [await initiate(username), await initiate(username)];
        expect(first.challengeName).toBe("PASSWORD_VERIFIER");
        expect(Object.keys(first.challengeParameters).sort()).toEqual(Object.keys(known.challengeParameters).sort());
        expect(first.challengeParameters).toMatchObject({ USER_ID_FOR_SRP: username, USERNAME: username });
        expect(first.challengeParameters.SALT).toBe(second.challengeParameters.SALT);
        expect(first.challengeParameters.SRP_B).not.toBe(second.challengeParameters.SRP_B);
        expect(errorOf(await new IdentityJsUser(env.cognitoPool, username).signIn("USER_SRP_AUTH", PASSWORD))).toEqual(INCORRECT);
      }
    });

    it("spends a PASSWORD_VERIFIER session with its first answer, and ends it after 3 minutes", async () => {
      const env = setUp();
      await signUp(env, "alice");
      const start = async () => {
        const srp = await identityJsSrp("keyportlocal");
        const challenge = challengeOf(await env.pool.initiateAuth({ clientId: env.pool.clientId, authFlow: "USER_SRP_AUTH", authParameters: { USERNAME: "alice", SRP_A: srp.srpA } }));
        const responses = await srp.respond(challenge.challengeParameters, PASSWORD);
        return (session = challenge.session) => env.pool.respondToAuthChallenge({ clientId: env.pool.clientId, challengeName: "PASSWORD_VERIFIER", session, challengeResponses: responses });
      };
      const respond = await start();
      tokensOf(await respond());
      expect(await respond()).toEqual({ ok: false, error: { type: "NotAuthorizedException", message: "Invalid session for the user, session is expired." } });

      const late = await start();
      env.clock.advance(180_000);
      expect(await late()).toMatchObject({ ok: false, error: { type: "NotAuthorizedException" } });
      expect(await (await start())("made-up-session")).toMatchObject({ ok: false, error: { type: "NotAuthorizedException" } });
    });

    it("refuses an SRP_A that is 0 mod N, and a TIMESTAMP not in Cognito's format", async () => {
      const env = setUp();
      await signUp(env, "alice");
      for (const srpA of ["0", SRP_N.toString(16), "not-hex"]) {
        expect(await env.pool.initiateAuth({ clientId: env.pool.clientId, authFlow: "USER_SRP_AUTH", authParameters: { USERNAME: "alice", SRP_A: srpA } })).toMatchObject({
          ok: false,
          error: { type: "InvalidParameterException" },
        });
      }
      const srp = await identityJsSrp("keyportlocal");
      const challenge = challengeOf(await env.pool.initiateAuth({ clientId: env.pool.clientId, authFlow: "USER_SRP_AUTH", authParameters: { USERNAME: "alice", SRP_A: srp.srpA } }));
      const responses = await srp.respond(challenge.challengeParameters, PASSWORD, "2026-12-01T09:05:09Z");
      expect(await env.pool.respondToAuthChallenge({ clientId: env.pool.clientId, challengeName: "PASSWORD_VERIFIER", session: challenge.session, challengeResponses: responses })).toEqual({
        ok: false,
        error: { type: "InvalidParameterException", message: "TIMESTAMP format should be EEE MMM d HH:mm:ss z yyyy in english." },
      });
    });
  });

  describe("CUSTOM_AUTH without SRP_A", () => {
    it("publishes what keyport's Create trigger publishes, with USERNAME, and signs in with the passkey's answer", async () => {
      const env = setUp();
      await signUp(env, "alice");
      await addPasskey(env, "alice");
      const user = new IdentityJsUser(env.cognitoPool, "alice");
      const challenge = await user.signInCustom();
      if (challenge.kind !== "custom_challenge") throw new Error(JSON.stringify(challenge));
      expect(Object.keys(challenge.parameters).sort()).toEqual(["USERNAME", "credentialRequestOptions"]);
      expect(JSON.parse(challenge.parameters.credentialRequestOptions ?? "")).toMatchObject({ rpId: "localhost", allowCredentials: [expect.anything()] });
      expect(claimsOf(await user.answer(passkeyAnswer(env, challenge.parameters)))).toMatchObject({ "cognito:username": "alice" });
    });

    it("signs a passkey-only user in (keyport's own sign-up), and refuses another authenticator's passkey", async () => {
      const env = setUp();
      const start = await env.services.registrationCeremony.startForNewUser({ username: "dora", displayName: "Dora" });
      if (!start.ok) throw new Error(start.error);
      const registered = await env.services.registrationCeremony.finish(start.value.sessionId, env.authenticator.createCredential(start.value.options, { origin: ORIGIN }));
      if (!registered.ok) throw new Error(registered.error);
      const user = new IdentityJsUser(env.cognitoPool, registered.value.identityUserId);
      const challenge = await user.signInCustom();
      if (challenge.kind !== "custom_challenge") throw new Error(JSON.stringify(challenge));
      expect(claimsOf(await user.answer(passkeyAnswer(env, challenge.parameters)))).toMatchObject({ preferred_username: "dora" });

      const again = await user.signInCustom();
      if (again.kind !== "custom_challenge") throw new Error(JSON.stringify(again));
      const stranger = new SoftwareAuthenticator();
      const otherStart = await env.services.registrationCeremony.startForNewUser({ username: "eve", displayName: "Eve" });
      if (!otherStart.ok) throw new Error(otherStart.error);
      await env.services.registrationCeremony.finish(otherStart.value.sessionId, stranger.createCredential(otherStart.value.options, { origin: ORIGIN }));
      // Eve's own passkey, answering the challenge issued for Dora.
      const wrong = JSON.stringify(stranger.getAssertion({ ...JSON.parse(again.parameters.credentialRequestOptions ?? ""), allowCredentials: [] }, { origin: ORIGIN }));
      expect(errorOf(await user.answer(wrong))).toEqual(INCORRECT);
    });

    it("returns a new session for a further attempt when the policy allows two answers, and spends the first", async () => {
      const env = setUp({ MAX_PASSKEY_ATTEMPTS: "2" });
      await signUp(env, "alice");
      await addPasskey(env, "alice");
      const first = challengeOf(await env.pool.initiateAuth({ clientId: env.pool.clientId, authFlow: "CUSTOM_AUTH", authParameters: { USERNAME: "alice" } }));
      const respond = (session: string, answer: string) =>
        env.pool.respondToAuthChallenge({ clientId: env.pool.clientId, challengeName: "CUSTOM_CHALLENGE", session, challengeResponses: { USERNAME: "alice", ANSWER: answer } });
      const second = challengeOf(await respond(first.session, "{}"));
      expect(second.challengeName).toBe("CUSTOM_CHALLENGE");
      expect(second.session).not.toBe(first.session);
      expect(await respond(first.session, passkeyAnswer(env, first.challengeParameters))).toMatchObject({ ok: false, error: { type: "NotAuthorizedException" } });
      tokensOf(await respond(second.session, passkeyAnswer(env, second.challengeParameters)));
    });

    it("refuses an answer for another user than the session's, and a session older than 3 minutes", async () => {
      const env = setUp();
      await signUp(env, "alice");
      await addPasskey(env, "alice");
      const challenge = challengeOf(await env.pool.initiateAuth({ clientId: env.pool.clientId, authFlow: "CUSTOM_AUTH", authParameters: { USERNAME: "alice" } }));
      const answer = passkeyAnswer(env, challenge.challengeParameters);
      const respond = (username: string) =>
        env.pool.respondToAuthChallenge({ clientId: env.pool.clientId, challengeName: "CUSTOM_CHALLENGE", session: challenge.session, challengeResponses: { USERNAME: username, ANSWER: answer } });
      expect(await respond("mallory")).toEqual({ ok: false, error: { type: "NotAuthorizedException", message: "Invalid session for the user, session is expired." } });
      const late = challengeOf(await env.pool.initiateAuth({ clientId: env.pool.clientId, authFlow: "CUSTOM_AUTH", authParameters: { USERNAME: "alice" } }));
      env.clock.advance(180_000);
      expect(
        await env.pool.respondToAuthChallenge({
          clientId: env.pool.clientId,
          challengeName: "CUSTOM_CHALLENGE",
          session: late.session,
          challengeResponses: { USERNAME: "alice", ANSWER: passkeyAnswer(env, late.challengeParameters) },
        }),
      ).toMatchObject({ ok: false, error: { type: "NotAuthorizedException" } });
    });
  });

  describe("CUSTOM_AUTH with SRP_A (a password, then the passkey)", () => {
    it("under if-enrolled: a user without a passkey gets tokens after the password; with one, the passkey challenge follows and its answer signs in", async () => {
      const env = setUp({ SECOND_FACTOR: "if-enrolled" });
      await signUp(env, "alice");
      const withoutPasskey = await new IdentityJsUser(env.cognitoPool, "alice").signIn("CUSTOM_AUTH", PASSWORD);
      expect(claimsOf(withoutPasskey)).toMatchObject({ "cognito:username": "alice" });
      expect(env.sent.filter((r) => r.operation === "InitiateAuth").at(-1)?.params).toMatchObject({ AuthFlow: "CUSTOM_AUTH", AuthParameters: { CHALLENGE_NAME: "SRP_A" } });

      await addPasskey(env, "alice");
      const user = new IdentityJsUser(env.cognitoPool, "alice");
      const challenge = await user.signIn("CUSTOM_AUTH", PASSWORD);
      if (challenge.kind !== "custom_challenge") throw new Error(JSON.stringify(challenge));
      expect(claimsOf(await user.answer(passkeyAnswer(env, challenge.parameters)))).toMatchObject({ "cognito:username": "alice" });
    });

    it("fails a wrong password whether or not the user has a passkey, and a wrong passkey after a right password", async () => {
      const env = setUp({ SECOND_FACTOR: "if-enrolled" });
      await signUp(env, "alice");
      await signUp(env, "bob");
      await addPasskey(env, "bob");
      for (const username of ["alice", "bob", "nobody"]) {
        expect(errorOf(await new IdentityJsUser(env.cognitoPool, username).signIn("CUSTOM_AUTH", "Wrong-Horse-9"))).toEqual(INCORRECT);
      }
      const user = new IdentityJsUser(env.cognitoPool, "bob");
      const challenge = await user.signIn("CUSTOM_AUTH", PASSWORD);
      expect(challenge.kind).toBe("custom_challenge");
      expect(errorOf(await user.answer(JSON.stringify({ id: "AAAA", rawId: "AAAA", type: "public-key", response: {} })))).toEqual(INCORRECT);
    });

    it("under required: a user without a passkey cannot finish; under off, a password through custom auth fails", async () => {
      const required = setUp({ SECOND_FACTOR: "required" });
      await signUp(required, "alice");
      expect(errorOf(await new IdentityJsUser(required.cognitoPool, "alice").signIn("CUSTOM_AUTH", PASSWORD))).toEqual(INCORRECT);
      await addPasskey(required, "alice");
      expect((await new IdentityJsUser(required.cognitoPool, "alice").signIn("CUSTOM_AUTH", PASSWORD)).kind).toBe("custom_challenge");

      const off = setUp({ SECOND_FACTOR: "off" });
      await signUp(off, "alice");
      expect(errorOf(await new IdentityJsUser(off.cognitoPool, "alice").signIn("CUSTOM_AUTH", PASSWORD))).toEqual(INCORRECT);
    });
  });

  describe("the app client's flows", () => {
    it("does not enable USER_PASSWORD_AUTH and USER_SRP_AUTH when a passkey may be the second factor: they would skip it", async () => {
      for (const policy of ["if-enrolled", "required"]) {
        const env = setUp({ SECOND_FACTOR: policy });
        await signUp(env, "alice");
        for (const flow of ["USER_PASSWORD_AUTH", "USER_SRP_AUTH"] as const) {
          expect(errorOf(await new IdentityJsUser(env.cognitoPool, "alice").signIn(flow, PASSWORD))).toEqual({
            code: "InvalidParameterException",
            message: `${flow} flow not enabled for this client`,
          });
        }
      }
      expect(authFlowsFor("off")).toEqual(["USER_PASSWORD_AUTH", "USER_SRP_AUTH", "CUSTOM_AUTH", "REFRESH_TOKEN_AUTH", "REFRESH_TOKEN"]);
    });

    it("answers ResourceNotFoundException to a client id that is not the pool's", async () => {
      const env = setUp();
      const { cognitoPool } = identityJsPool(env.pool, "someotherclient");
      expect((await identityJsSignUp(cognitoPool, "alice", PASSWORD)).error).toMatchObject({ code: "ResourceNotFoundException", message: "User pool client someotherclient does not exist." });
      await signUp(env, "alice");
      expect(errorOf(await new IdentityJsUser(cognitoPool, "alice").signIn("USER_SRP_AUTH", PASSWORD))).toMatchObject({ code: "ResourceNotFoundException" });
      const clientId = "someotherclient";
      for (const result of [
        await env.pool.respondToAuthChallenge({ clientId, challengeName: "CUSTOM_CHALLENGE", session: "s", challengeResponses: { USERNAME: "alice", ANSWER: "a" } }),
        await env.pool.getTokensFromRefreshToken({ clientId, refreshToken: "r" }),
        await env.pool.revokeToken({ clientId, token: "r" }),
      ]) {
        expect(result).toMatchObject({ ok: false, error: { type: "ResourceNotFoundException" } });
      }
    });
  });

  describe("tokens", () => {
    it("refreshes with REFRESH_TOKEN_AUTH as a client without rotation: new ID and access tokens, the refresh token kept and still good", async () => {
      const env = setUp();
      await signUp(env, "alice");
      const user = new IdentityJsUser(env.cognitoPool, "alice");
      const signedIn = await user.signIn("USER_SRP_AUTH", PASSWORD);
      if (signedIn.kind !== "tokens") throw new Error(JSON.stringify(signedIn));
      const refreshToken = signedIn.session.getRefreshToken().getToken();
      env.clock.advance(60_000);
      for (let i = 0; i < 2; i++) {
        const refreshed = await user.refresh(refreshToken);
        expect(refreshed.session?.getRefreshToken().getToken()).toBe(refreshToken);
        expect(decodeJwt(refreshed.session?.getIdToken().getJwtToken() ?? "").payload).toMatchObject({
          "cognito:username": "alice",
          origin_jti: decodeJwt(signedIn.session.getIdToken().getJwtToken()).payload.origin_jti,
        });
      }
      const direct = await env.pool.initiateAuth({ clientId: env.pool.clientId, authFlow: "REFRESH_TOKEN", authParameters: { REFRESH_TOKEN: refreshToken } });
      expect(tokensOf(direct).refreshToken).toBeUndefined();
      expect(await env.pool.initiateAuth({ clientId: env.pool.clientId, authFlow: "REFRESH_TOKEN_AUTH", authParameters: { REFRESH_TOKEN: "nonsense" } })).toEqual({
        ok: false,
        error: { type: "NotAuthorizedException", message: "Invalid Refresh Token" },
      });
    });

    it("rotates with GetTokensFromRefreshToken, as Amplify v6 refreshes: a new refresh token each time, the one given refused from then on", async () => {
      const env = setUp();
      await signUp(env, "alice");
      const first = tokensOf(await env.pool.initiateAuth({ clientId: env.pool.clientId, authFlow: "USER_PASSWORD_AUTH", authParameters: { USERNAME: "alice", PASSWORD } }));
      const rotated = await env.pool.getTokensFromRefreshToken({ clientId: env.pool.clientId, refreshToken: first.refreshToken ?? "" });
      if (!rotated.ok) throw new Error(rotated.error.message);
      expect(rotated.value.refreshToken).toEqual(expect.any(String));
      expect(rotated.value.refreshToken).not.toBe(first.refreshToken);
      expect(await env.pool.getTokensFromRefreshToken({ clientId: env.pool.clientId, refreshToken: first.refreshToken ?? "" })).toMatchObject({ ok: false, error: { type: "NotAuthorizedException" } });
      expect((await env.pool.getTokensFromRefreshToken({ clientId: env.pool.clientId, refreshToken: rotated.value.refreshToken ?? "" })).ok).toBe(true);
    });

    it("answers GetUser with the user's attributes for a valid access token, and refuses others", async () => {
      const env = setUp();
      const { userSub } = await signUp(env, "alice", PASSWORD, { email: "alice@example.com" });
      const user = new IdentityJsUser(env.cognitoPool, "alice");
      const signedIn = await user.signIn("USER_SRP_AUTH", PASSWORD);
      if (signedIn.kind !== "tokens") throw new Error(JSON.stringify(signedIn));
      expect(await user.attributes()).toEqual({ attributes: { sub: userSub, email: "alice@example.com" } });

      const accessToken = signedIn.session.getAccessToken().getJwtToken();
      const idToken = signedIn.session.getIdToken().getJwtToken();
      expect(await env.pool.getUser({ accessToken: idToken })).toEqual({ ok: false, error: { type: "NotAuthorizedException", message: "Invalid Access Token" } });
      expect(await env.pool.getUser({ accessToken: `${accessToken.slice(0, -6)}AAAAAA` })).toEqual({ ok: false, error: { type: "NotAuthorizedException", message: "Invalid Access Token" } });
      expect(await env.pool.getUser({ accessToken: "garbage" })).toEqual({ ok: false, error: { type: "NotAuthorizedException", message: "Invalid Access Token" } });
      env.clock.advance(3600_000);
      expect(await env.pool.getUser({ accessToken })).toEqual({ ok: false, error: { type: "NotAuthorizedException", message: "Access Token has expired" } });
    });

    it("ends one sign-in with RevokeToken (amazon-cognito-identity-js's signOut): its refresh and access tokens are refused, another sign-in's are not", async () => {
      const env = setUp();
      await signUp(env, "alice");
      const phone = new IdentityJsUser(env.cognitoPool, "alice");
      const phoneSignIn = await phone.signIn("USER_SRP_AUTH", PASSWORD);
      const laptop = tokensOf(await env.pool.initiateAuth({ clientId: env.pool.clientId, authFlow: "USER_PASSWORD_AUTH", authParameters: { USERNAME: "alice", PASSWORD } }));
      if (phoneSignIn.kind !== "tokens") throw new Error(JSON.stringify(phoneSignIn));
      await phone.signOut();
      expect(env.sent.at(-1)).toMatchObject({ operation: "RevokeToken", params: { Token: phoneSignIn.session.getRefreshToken().getToken() } });

      expect(await env.pool.getUser({ accessToken: phoneSignIn.session.getAccessToken().getJwtToken() })).toEqual({
        ok: false,
        error: { type: "NotAuthorizedException", message: "Access Token has been revoked" },
      });
      expect((await env.pool.getTokensFromRefreshToken({ clientId: env.pool.clientId, refreshToken: phoneSignIn.session.getRefreshToken().getToken() })).ok).toBe(false);
      expect((await env.pool.getUser({ accessToken: laptop.accessToken })).ok).toBe(true);
      expect(await env.pool.revokeToken({ clientId: env.pool.clientId, token: "not-a-token" })).toEqual({ ok: true, value: undefined });
    });

    it("ends every sign-in of the user with GlobalSignOut, and a new sign-in works", async () => {
      const env = setUp();
      await signUp(env, "alice");
      await signUp(env, "bob");
      const alice = new IdentityJsUser(env.cognitoPool, "alice");
      const aliceSignIn = await alice.signIn("USER_SRP_AUTH", PASSWORD);
      const other = tokensOf(await env.pool.initiateAuth({ clientId: env.pool.clientId, authFlow: "USER_PASSWORD_AUTH", authParameters: { USERNAME: "alice", PASSWORD } }));
      const bob = tokensOf(await env.pool.initiateAuth({ clientId: env.pool.clientId, authFlow: "USER_PASSWORD_AUTH", authParameters: { USERNAME: "bob", PASSWORD } }));
      if (aliceSignIn.kind !== "tokens") throw new Error(JSON.stringify(aliceSignIn));

      expect(await alice.globalSignOut()).toBeNull();

      for (const accessToken of [aliceSignIn.session.getAccessToken().getJwtToken(), other.accessToken]) {
        expect(await env.pool.getUser({ accessToken })).toMatchObject({ ok: false, error: { message: "Access Token has been revoked" } });
        expect(await env.pool.globalSignOut({ accessToken })).toMatchObject({ ok: false, error: { message: "Access Token has been revoked" } });
      }
      expect((await env.pool.getTokensFromRefreshToken({ clientId: env.pool.clientId, refreshToken: other.refreshToken ?? "" })).ok).toBe(false);
      expect((await env.pool.getUser({ accessToken: bob.accessToken })).ok).toBe(true);
      expect((await new IdentityJsUser(env.cognitoPool, "alice").signIn("USER_SRP_AUTH", PASSWORD)).kind).toBe("tokens");
    });

    it("shares its tokens with keyport's HTTP API: a password sign-in's ID token verifies there, and keyport's sign-out ends it here", async () => {
      const env = setUp();
      await signUp(env, "alice");
      const tokens = tokensOf(await env.pool.initiateAuth({ clientId: env.pool.clientId, authFlow: "USER_PASSWORD_AUTH", authParameters: { USERNAME: "alice", PASSWORD } }));
      expect(await env.idp.verifyIdToken(tokens.idToken)).toMatchObject({ ok: true, value: { identityUserId: "alice" } });
      await env.idp.signOutEverywhere("alice");
      expect(await env.pool.getUser({ accessToken: tokens.accessToken })).toMatchObject({ ok: false, error: { message: "Access Token has been revoked" } });
    });
  });

  describe("on storage out of reach", () => {
    it("answers InternalErrorException, and works again once the storage is back", async () => {
      const directory = new SwitchableDirectory();
      const env = setUp({}, { identityUserDirectory: () => directory });
      await signUp(env, "alice");
      directory.fault = new StorageUnavailableError("find identity user", true, new Error("ThrottlingException"));
      expect((await identityJsSignUp(env.cognitoPool, "bob", PASSWORD)).error).toMatchObject({ code: "InternalErrorException" });
      for (const flow of ["USER_PASSWORD_AUTH", "USER_SRP_AUTH", "CUSTOM_AUTH"] as const) {
        expect(errorOf(await new IdentityJsUser(env.cognitoPool, "alice").signIn(flow, PASSWORD))).toMatchObject({ code: "InternalErrorException" });
      }
      directory.fault = new TypeError("a bug");
      await expect(env.pool.initiateAuth({ clientId: env.pool.clientId, authFlow: "USER_PASSWORD_AUTH", authParameters: { USERNAME: "alice", PASSWORD } })).rejects.toThrow("a bug");
      directory.fault = null;
      expect((await new IdentityJsUser(env.cognitoPool, "alice").signIn("USER_SRP_AUTH", PASSWORD)).kind).toBe("tokens");
    });
  });
});
