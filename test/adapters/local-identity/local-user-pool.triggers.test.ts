/**
 * What the local Cognito API hands the custom-auth triggers, and what it does with their answers, seen
 * through scripted triggers that record every event: the same events Cognito sends (the developer
 * guide's "Custom authentication challenge Lambda triggers"), in the same order, with the user's
 * attributes from the directory and ClientMetadata only where Cognito passes it.
 */
import { describe, expect, it } from "vitest";
import { InMemoryIdentityUserDirectory } from "../../../src/adapters/in-memory/in-memory-identity-user-directory.js";
import { LocalIdentityProvider } from "../../../src/adapters/local-identity/local-identity-provider.js";
import { LocalUserPool } from "../../../src/adapters/local-identity/local-user-pool.js";
import { ScryptPasswordHasher } from "../../../src/adapters/local-identity/scrypt-password-hasher.js";
import { WebCryptoRandomSource } from "../../../src/adapters/system/web-crypto-random-source.js";
import type { CustomChallengeResult } from "../../../src/domain/custom-challenge/custom-challenge.js";
import { PASSKEY_ENROLLED_ATTRIBUTE } from "../../../src/domain/custom-challenge/second-factor.js";
import type {
  CreateAuthChallengeEvent,
  CustomChallengeTriggers,
  DefineAuthChallengeEvent,
  VerifyAuthChallengeResponseEvent,
} from "../../../src/ports/custom-challenge-triggers.js";
import { ManualClock } from "../../support/manual-clock.js";
import { identityJsPool, IdentityJsUser } from "./identity-js-client.js";

const PASSWORD = "Correct-Horse-9";
type AnyEvent = DefineAuthChallengeEvent | CreateAuthChallengeEvent | VerifyAuthChallengeResponseEvent;

/**
 * Define as a script over the history: nothing → `first`; `[SRP_A]` → PASSWORD_VERIFIER; a right
 * password → CUSTOM_CHALLENGE; a right custom answer → tokens; anything else → fail. Create asks "6 × 7";
 * Verify wants "42".
 */
class ScriptedTriggers implements CustomChallengeTriggers {
  readonly events: AnyEvent[] = [];
  constructor(private readonly first: { challengeName?: string; issueTokens?: boolean } = { challengeName: "CUSTOM_CHALLENGE" }) {}

  async defineAuthChallenge(event: DefineAuthChallengeEvent): Promise<DefineAuthChallengeEvent> {
    this.events.push(structuredClone(event));
    const history: CustomChallengeResult[] = event.request.session;
    const last = history.at(-1);
    if (last === undefined) event.response = { ...this.first };
    else if (last.challengeName === "SRP_A" && history.length === 1) event.response = { challengeName: "PASSWORD_VERIFIER" };
    else if (last.challengeName === "PASSWORD_VERIFIER" && last.challengeResult) event.response = { challengeName: "CUSTOM_CHALLENGE" };
    else if (last.challengeName === "CUSTOM_CHALLENGE" && last.challengeResult) event.response = { issueTokens: true };
    else event.response = { failAuthentication: true };
    return event;
  }

  async createAuthChallenge(event: CreateAuthChallengeEvent): Promise<CreateAuthChallengeEvent> {
    this.events.push(structuredClone(event));
    event.response = { publicChallengeParameters: { question: "6 × 7" }, privateChallengeParameters: { answer: "42" }, challengeMetadata: "SCRIPTED" };
    return event;
  }

  async verifyAuthChallengeResponse(event: VerifyAuthChallengeResponseEvent): Promise<VerifyAuthChallengeResponseEvent> {
    this.events.push(structuredClone(event));
    event.response = { answerCorrect: event.request.challengeAnswer === event.request.privateChallengeParameters.answer };
    return event;
  }
}

function setUp(triggers = new ScriptedTriggers()) {
  const clock = new ManualClock();
  const random = new WebCryptoRandomSource();
  const users = new InMemoryIdentityUserDirectory();
  const provider = new LocalIdentityProvider({ clock, random, users, triggers, issuer: "http://localhost:3000", clientId: "testclient", userPoolId: "eu-west-1_TestPool" });
  const pool = new LocalUserPool({ provider, passwords: new ScryptPasswordHasher({ ln: 10, r: 8, p: 1 }), clock, random, unknownUserSecret: new Uint8Array(32) });
  return { triggers, users, provider, pool, ...identityJsPool(pool) };
}

const sources = (events: readonly AnyEvent[]) => events.map((event) => event.triggerSource.replace(/_Authentication$/, ""));
const histories = (events: readonly AnyEvent[]) =>
  events.filter((event): event is DefineAuthChallengeEvent => event.triggerSource === "DefineAuthChallenge_Authentication").map((event) => event.request.session.map((r) => `${r.challengeName}:${r.challengeResult}`));

describe("LocalUserPool's custom authentication", () => {
  it("runs Define, Create and Verify as Cognito does through a password-then-custom sign-in, with the user's attributes from the directory", async () => {
    const env = setUp();
    const signedUp = await env.pool.signUp({ clientId: "testclient", username: "alice", password: PASSWORD, userAttributes: { email: "alice@example.com" } });
    if (!signedUp.ok) throw new Error(signedUp.error.message);
    await env.provider.setPasskeyEnrolled("alice", true);
    const user = new IdentityJsUser(env.cognitoPool, "alice");

    const challenge = await user.signIn("CUSTOM_AUTH", PASSWORD);
    expect(challenge).toEqual({ kind: "custom_challenge", parameters: { question: "6 × 7", USERNAME: "alice" } });
    expect((await user.answer("42")).kind).toBe("tokens");

    expect(sources(env.triggers.events)).toEqual(["DefineAuthChallenge", "DefineAuthChallenge", "CreateAuthChallenge", "VerifyAuthChallengeResponse", "DefineAuthChallenge"]);
    expect(histories(env.triggers.events)).toEqual([["SRP_A:true"], ["SRP_A:true", "PASSWORD_VERIFIER:true"], ["SRP_A:true", "PASSWORD_VERIFIER:true", "CUSTOM_CHALLENGE:true"]]);
    const credential = (await env.users.find("alice"))?.password;
    if (credential === undefined) throw new Error("no password kept");
    for (const event of env.triggers.events) {
      expect(event).toMatchObject({
        version: "1",
        region: "eu-west-1",
        userPoolId: "eu-west-1_TestPool",
        userName: "alice",
        callerContext: { clientId: "testclient" },
        request: { userAttributes: { sub: signedUp.value.userSub, email: "alice@example.com", [PASSKEY_ENROLLED_ATTRIBUTE]: "true" }, userNotFound: false },
      });
      // The password's hash, salt and verifier are no trigger's business.
      for (const secret of [credential.hash, credential.srpSalt, credential.srpVerifier, PASSWORD]) expect(JSON.stringify(event)).not.toContain(secret);
      expect(Object.keys(event.request.userAttributes)).not.toContain("password");
    }
    const create = env.triggers.events[2] as CreateAuthChallengeEvent;
    expect(create.request).toMatchObject({ challengeName: "CUSTOM_CHALLENGE", session: [{ challengeName: "SRP_A" }, { challengeName: "PASSWORD_VERIFIER" }] });
    const verify = env.triggers.events[3] as VerifyAuthChallengeResponseEvent;
    expect(verify.request).toMatchObject({ privateChallengeParameters: { answer: "42" }, challengeAnswer: "42" });
    const lastDefine = env.triggers.events[4] as DefineAuthChallengeEvent;
    expect(lastDefine.request.session.at(-1)).toEqual({ challengeName: "CUSTOM_CHALLENGE", challengeResult: true, challengeMetadata: "SCRIPTED" });
  });

  it("tells Define a wrong password as PASSWORD_VERIFIER ✗, and an unknown user as userNotFound with no attributes", async () => {
    const env = setUp();
    await env.pool.signUp({ clientId: "testclient", username: "alice", password: PASSWORD, userAttributes: {} });
    expect((await new IdentityJsUser(env.cognitoPool, "alice").signIn("CUSTOM_AUTH", "Wrong-Horse-9")).kind).toBe("error");
    expect(histories(env.triggers.events).at(-1)).toEqual(["SRP_A:true", "PASSWORD_VERIFIER:false"]);

    env.triggers.events.length = 0;
    expect((await new IdentityJsUser(env.cognitoPool, "nobody").signIn("CUSTOM_AUTH", PASSWORD)).kind).toBe("error");
    expect(histories(env.triggers.events)).toEqual([["SRP_A:true"], ["SRP_A:true", "PASSWORD_VERIFIER:false"]]);
    for (const event of env.triggers.events) expect(event.request).toMatchObject({ userAttributes: {}, userNotFound: true });
  });

  it("hands RespondToAuthChallenge's ClientMetadata to Define, Create and Verify, and InitiateAuth's to none of them", async () => {
    const env = setUp();
    await env.pool.signUp({ clientId: "testclient", username: "alice", password: PASSWORD, userAttributes: {} });
    const started = await env.pool.initiateAuth({ clientId: "testclient", authFlow: "CUSTOM_AUTH", authParameters: { USERNAME: "alice" }, clientMetadata: { from: "initiate" } });
    if (!started.ok || started.value.kind !== "challenge") throw new Error(JSON.stringify(started));
    const wrong = await env.pool.respondToAuthChallenge({
      clientId: "testclient",
      challengeName: "CUSTOM_CHALLENGE",
      session: started.value.session,
      challengeResponses: { USERNAME: "alice", ANSWER: "41" },
      clientMetadata: { from: "respond" },
    });
    expect(wrong).toEqual({ ok: false, error: { type: "NotAuthorizedException", message: "Incorrect username or password." } });
    const [define, create, verify, defineAgain] = env.triggers.events;
    expect([define?.request.clientMetadata, create?.request.clientMetadata]).toEqual([undefined, undefined]);
    expect([verify?.request.clientMetadata, defineAgain?.request.clientMetadata]).toEqual([{ from: "respond" }, { from: "respond" }]);
  });

  it("follows Define: tokens when it issues them at once; failure as NotAuthorizedException; no PASSWORD_VERIFIER without SRP_A", async () => {
    const tokensAtOnce = setUp(new ScriptedTriggers({ issueTokens: true }));
    await tokensAtOnce.pool.signUp({ clientId: "testclient", username: "alice", password: PASSWORD, userAttributes: {} });
    expect(await tokensAtOnce.pool.initiateAuth({ clientId: "testclient", authFlow: "CUSTOM_AUTH", authParameters: { USERNAME: "alice" } })).toMatchObject({ ok: true, value: { kind: "tokens" } });
    // Tokens are for users who exist, whatever Define says.
    expect(await tokensAtOnce.pool.initiateAuth({ clientId: "testclient", authFlow: "CUSTOM_AUTH", authParameters: { USERNAME: "nobody" } })).toMatchObject({
      ok: false,
      error: { type: "NotAuthorizedException" },
    });

    for (const first of [{}, { challengeName: "PASSWORD_VERIFIER" }, { challengeName: "SMS_MFA" }]) {
      const env = setUp(new ScriptedTriggers(first));
      await env.pool.signUp({ clientId: "testclient", username: "alice", password: PASSWORD, userAttributes: {} });
      expect(await env.pool.initiateAuth({ clientId: "testclient", authFlow: "CUSTOM_AUTH", authParameters: { USERNAME: "alice" } })).toEqual({
        ok: false,
        error: { type: "NotAuthorizedException", message: "Incorrect username or password." },
      });
    }
  });
});
