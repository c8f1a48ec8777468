/**
 * The trigger handlers fed Cognito-shaped events, as the Cognito developer guide documents them
 * ("Define/Create/Verify auth challenge Lambda triggers"), for both sign-in flows.
 */
import { describe, expect, it } from "vitest";
import { ChallengeStateMachine } from "../../../src/domain/custom-challenge/challenge-state-machine.js";
import { PASSKEY_CUSTOM_CHALLENGE_METADATA } from "../../../src/domain/custom-challenge/custom-challenge.js";
import { PasskeyCustomChallenge } from "../../../src/domain/custom-challenge/passkey-custom-challenge.js";
import type { CreateAuthChallengeEvent, DefineAuthChallengeEvent, VerifyAuthChallengeResponseEvent } from "../../../src/ports/custom-challenge-triggers.js";
import { createCustomChallengeTriggers } from "../../../src/handlers/cognito/triggers.js";
import { buildDomainWithUser, ORIGIN } from "../../support/domain-harness.js";

const base = (userName: string, userNotFound = false) => ({
  version: "1",
  region: "eu-west-1",
  userPoolId: "eu-west-1_Example",
  userName,
  callerContext: { awsSdkVersion: "aws-sdk-unknown-unknown", clientId: "exampleclientid" },
  userNotFound,
});

function defineEvent(userName: string, session: DefineAuthChallengeEvent["request"]["session"], userNotFound = false): DefineAuthChallengeEvent {
  const { userNotFound: _, ...rest } = base(userName, userNotFound);
  return { ...rest, triggerSource: "DefineAuthChallenge_Authentication", request: { userAttributes: {}, session, userNotFound }, response: {} };
}

function createEvent(userName: string): CreateAuthChallengeEvent {
  const { userNotFound: _, ...rest } = base(userName);
  return { ...rest, triggerSource: "CreateAuthChallenge_Authentication", request: { userAttributes: {}, challengeName: "CUSTOM_CHALLENGE", session: [] }, response: {} };
}

function verifyEvent(userName: string, privateChallengeParameters: Record<string, string>, challengeAnswer: string, userNotFound = false): VerifyAuthChallengeResponseEvent {
  const { userNotFound: _, ...rest } = base(userName);
  return {
    ...rest,
    triggerSource: "VerifyAuthChallengeResponse_Authentication",
    request: { userAttributes: {}, privateChallengeParameters, challengeAnswer, userNotFound },
    response: {},
  };
}

async function setUp() {
  const { domain, authenticator, user } = await buildDomainWithUser();
  const log: Record<string, unknown>[] = [];
  const triggers = createCustomChallengeTriggers({
    stateMachine: new ChallengeStateMachine(),
    passkeyCustomChallenge: new PasskeyCustomChallenge({ credentials: domain.credentials, authentication: domain.authentication, activity: domain.activity }),
    log: (entry) => log.push(entry),
  });
  return { domain, authenticator, user: user.value, triggers, log };
}

describe("DefineAuthChallenge", () => {
  it("issues a custom challenge at the start of a sign-in", async () => {
    const { triggers } = await setUp();
    const event = await triggers.defineAuthChallenge(defineEvent("alice", []));
    expect(event.response).toEqual({ challengeName: "CUSTOM_CHALLENGE", issueTokens: false, failAuthentication: false });
  });

  it("issues tokens after a correct passkey answer", async () => {
    const { triggers } = await setUp();
    const event = await triggers.defineAuthChallenge(
      defineEvent("alice", [{ challengeName: "CUSTOM_CHALLENGE", challengeResult: true, challengeMetadata: PASSKEY_CUSTOM_CHALLENGE_METADATA }]),
    );
    expect(event.response).toMatchObject({ issueTokens: true, failAuthentication: false });
  });

  it("fails after a wrong answer, and for any other challenge such as a password verifier", async () => {
    const { triggers } = await setUp();
    const wrong = await triggers.defineAuthChallenge(
      defineEvent("alice", [{ challengeName: "CUSTOM_CHALLENGE", challengeResult: false, challengeMetadata: PASSKEY_CUSTOM_CHALLENGE_METADATA }]),
    );
    expect(wrong.response).toMatchObject({ issueTokens: false, failAuthentication: true });
    const srp = await triggers.defineAuthChallenge(defineEvent("alice", [{ challengeName: "PASSWORD_VERIFIER", challengeResult: true }]));
    expect(srp.response).toMatchObject({ issueTokens: false, failAuthentication: true });
  });

  it("never issues tokens to a user Cognito did not find", async () => {
    const { triggers } = await setUp();
    const start = await triggers.defineAuthChallenge(defineEvent("ghost", [], true));
    expect(start.response.challengeName).toBe("CUSTOM_CHALLENGE");
    const after = await triggers.defineAuthChallenge(
      defineEvent("ghost", [{ challengeName: "CUSTOM_CHALLENGE", challengeResult: true, challengeMetadata: PASSKEY_CUSTOM_CHALLENGE_METADATA }], true),
    );
    expect(after.response).toMatchObject({ issueTokens: false, failAuthentication: true });
  });
});

describe("CreateAuthChallenge and VerifyAuthChallengeResponse", () => {
  it("username-first: publishes request options listing the user's credentials and keeps the challenge private", async () => {
    const { triggers, user } = await setUp();
    const created = await triggers.createAuthChallenge(createEvent(user.identityUserId));
    const options = JSON.parse(created.response.publicChallengeParameters!.credentialRequestOptions!);
    expect(options.allowCredentials.map((c: { id: string }) => c.id)).toEqual([user.credentialId]);
    expect(created.response.privateChallengeParameters).toEqual({ challenge: options.challenge });
    expect(created.response.challengeMetadata).toBe(PASSKEY_CUSTOM_CHALLENGE_METADATA);
  });

  it("username-first: a correct answer to the issued challenge is verified", async () => {
    const { triggers, user, authenticator } = await setUp();
    const created = await triggers.createAuthChallenge(createEvent(user.identityUserId));
    const options = JSON.parse(created.response.publicChallengeParameters!.credentialRequestOptions!);
    const answer = JSON.stringify(authenticator.getAssertion(options, { origin: ORIGIN }));
    const verified = await triggers.verifyAuthChallengeResponse(verifyEvent(user.identityUserId, created.response.privateChallengeParameters!, answer));
    expect(verified.response.answerCorrect).toBe(true);
  });

  it("discoverable: an answer to a discover challenge is verified for the user it belongs to", async () => {
    const { triggers, user, authenticator, domain } = await setUp();
    const created = await triggers.createAuthChallenge(createEvent(user.identityUserId));
    const discover = await domain.authentication.startDiscoverable();
    const answer = JSON.stringify(authenticator.getAssertion(discover, { origin: ORIGIN }));
    const verified = await triggers.verifyAuthChallengeResponse(verifyEvent(user.identityUserId, created.response.privateChallengeParameters!, answer));
    expect(verified.response.answerCorrect).toBe(true);
  });

  it("rejects a replayed answer, a malformed answer and an answer for another user, logging only the code", async () => {
    const { triggers, user, authenticator, log } = await setUp();
    const created = await triggers.createAuthChallenge(createEvent(user.identityUserId));
    const options = JSON.parse(created.response.publicChallengeParameters!.credentialRequestOptions!);
    const answer = JSON.stringify(authenticator.getAssertion(options, { origin: ORIGIN }));
    const privateParameters = created.response.privateChallengeParameters!;
    expect((await triggers.verifyAuthChallengeResponse(verifyEvent(user.identityUserId, privateParameters, answer))).response.answerCorrect).toBe(true);
    expect((await triggers.verifyAuthChallengeResponse(verifyEvent(user.identityUserId, privateParameters, answer))).response.answerCorrect).toBe(false);
    expect((await triggers.verifyAuthChallengeResponse(verifyEvent(user.identityUserId, privateParameters, "{not json"))).response.answerCorrect).toBe(false);

    const again = await triggers.createAuthChallenge(createEvent(user.identityUserId));
    const againOptions = JSON.parse(again.response.publicChallengeParameters!.credentialRequestOptions!);
    const otherUserAnswer = JSON.stringify(authenticator.getAssertion(againOptions, { origin: ORIGIN }));
    const forOther = await triggers.verifyAuthChallengeResponse(verifyEvent("someone-else", again.response.privateChallengeParameters!, otherUserAnswer));
    expect(forOther.response.answerCorrect).toBe(false);

    expect(log.map((l) => l.code)).toEqual([undefined, "session_not_found", "malformed_response", "user_handle_mismatch"]);
    expect(JSON.stringify(log)).not.toContain(options.challenge);
  });

  it("for an unknown user, publishes a challenge of the same shape and never verifies an answer", async () => {
    const { triggers, user, authenticator, domain } = await setUp();
    const created = await triggers.createAuthChallenge(createEvent("ghost"));
    const options = JSON.parse(created.response.publicChallengeParameters!.credentialRequestOptions!);
    expect(options.allowCredentials.length).toBeGreaterThan(0);
    const known = await triggers.createAuthChallenge(createEvent(user.identityUserId));
    expect(Object.keys(created.response.publicChallengeParameters!)).toEqual(Object.keys(known.response.publicChallengeParameters!));
    const answer = JSON.stringify(authenticator.getAssertion(await domain.authentication.startDiscoverable(), { origin: ORIGIN }));
    const verified = await triggers.verifyAuthChallengeResponse(verifyEvent("ghost", created.response.privateChallengeParameters!, answer, true));
    expect(verified.response.answerCorrect).toBe(false);
  });
});
