/**
 * The local identity provider's part in security activity (issue 12): client metadata reaches the
 * triggers as Cognito hands RespondToAuthChallenge's ClientMetadata to them, and refreshed tokens say
 * whose they are.
 */
import { describe, expect, it } from "vitest";
import type { DefineAuthChallengeEvent, VerifyAuthChallengeResponseEvent } from "../../../src/ports/custom-challenge-triggers.js";
import { buildSignInDomain, ORIGIN } from "../../support/domain-harness.js";
import { SoftwareAuthenticator } from "../../support/software-authenticator.js";

function okValue<T>(result: { ok: true; value: T } | { ok: false; error: string }): T {
  if (!result.ok) throw new Error(`expected ok, got ${result.error}`);
  return result.value;
}

/** The local provider over keyport's real triggers, with a user, and every Verify and Define event it sends recorded. */
async function setUp() {
  const domain = buildSignInDomain();
  const authenticator = new SoftwareAuthenticator();
  const started = okValue(await domain.registration.startForNewUser({ username: "alice", displayName: "Alice" }));
  const user = okValue(await domain.registration.finish(started.sessionId, authenticator.createCredential(started.options, { origin: ORIGIN })));
  const verifyEvents: VerifyAuthChallengeResponseEvent[] = [];
  const defineEvents: DefineAuthChallengeEvent[] = [];
  const { triggers } = domain;
  const verify = triggers.verifyAuthChallengeResponse.bind(triggers);
  const define = triggers.defineAuthChallenge.bind(triggers);
  triggers.verifyAuthChallengeResponse = async (event) => {
    verifyEvents.push(structuredClone(event));
    return verify(event);
  };
  triggers.defineAuthChallenge = async (event) => {
    defineEvents.push(structuredClone(event));
    return define(event);
  };
  const answer = async (clientMetadata?: Record<string, string>) => {
    const challenge = okValue(await domain.identityProvider.startSignIn(user.identityUserId));
    const options = JSON.parse(challenge.challengeParameters.credentialRequestOptions ?? "null");
    const assertion = JSON.stringify(authenticator.getAssertion(options, { origin: ORIGIN }));
    return domain.identityProvider.answerChallenge(user.identityUserId, challenge.session, assertion, clientMetadata);
  };
  return { domain, user, verifyEvents, defineEvents, answer };
}

describe("LocalIdentityProvider.answerChallenge's client metadata", () => {
  it("reaches Verify and the Define after it as request.clientMetadata, as Cognito hands them RespondToAuthChallenge's ClientMetadata", async () => {
    const { verifyEvents, defineEvents, answer } = await setUp();
    const clientMetadata = { keyport_request_context: "payload.mac", other: "x" };
    expect((await answer(clientMetadata)).ok).toBe(true);
    expect(verifyEvents.map((event) => event.request.clientMetadata)).toEqual([clientMetadata]);
    // The Define that opened the sign-in had none (InitiateAuth carried none); the one after the answer has it.
    expect(defineEvents.map((event) => event.request.clientMetadata)).toEqual([undefined, clientMetadata]);
  });

  it("is absent from the events, as with Cognito, when the caller gives none", async () => {
    const { verifyEvents, defineEvents, answer } = await setUp();
    expect((await answer()).ok).toBe(true);
    expect(verifyEvents.every((event) => !("clientMetadata" in event.request))).toBe(true);
    expect(defineEvents.every((event) => !("clientMetadata" in event.request))).toBe(true);
  });
});

describe("LocalIdentityProvider.refreshTokens", () => {
  it("says whose tokens it refreshed: the user's username (for a passkey sign-up, the user handle)", async () => {
    const { domain, user, answer } = await setUp();
    const tokens = okValue(await answer());
    const refreshed = okValue(await domain.identityProvider.refreshTokens(tokens.refreshToken));
    expect(refreshed.identityUserId).toBe(user.identityUserId);
    const again = okValue(await domain.identityProvider.refreshTokens(refreshed.refreshToken ?? "", user.identityUserId));
    expect(again.identityUserId).toBe(user.identityUserId);
  });
});
