/**
 * The trigger shells fail closed (issue 9, item 5). Cognito's events arrive as JSON: the port's types
 * say what the developer guide documents, the wire may say anything else. Whatever a field holds that
 * is not what Cognito documents, no trigger throws, Define issues no tokens, Create publishes no
 * challenge and Verify answers `answerCorrect: false`.
 */
import { describe, expect, it, vi } from "vitest";
import { ChallengeStateMachine } from "../../../src/domain/custom-challenge/challenge-state-machine.js";
import { CUSTOM_CHALLENGE, PASSKEY_CUSTOM_CHALLENGE_METADATA } from "../../../src/domain/custom-challenge/custom-challenge.js";
import { PasskeyCustomChallenge } from "../../../src/domain/custom-challenge/passkey-custom-challenge.js";
import {
  createAuthChallengeTrigger,
  defineAuthChallengeTrigger,
  verifyAuthChallengeResponseTrigger,
} from "../../../src/handlers/cognito/triggers.js";
import type { CreateAuthChallengeEvent, DefineAuthChallengeEvent, VerifyAuthChallengeResponseEvent } from "../../../src/ports/custom-challenge-triggers.js";
import { buildDomainWithUser, ORIGIN } from "../../support/domain-harness.js";

const RIGHT = { challengeName: CUSTOM_CHALLENGE, challengeResult: true, challengeMetadata: PASSKEY_CUSTOM_CHALLENGE_METADATA };
const WRONG = { ...RIGHT, challengeResult: false };

const common = {
  version: "1",
  region: "eu-west-1",
  userPoolId: "eu-west-1_Example",
  callerContext: { awsSdkVersion: "aws-sdk-unknown-unknown", clientId: "exampleclientid" },
};

/** An event as it might come off the wire: any field may hold anything. */
type Wire = Record<string, unknown>;

function defineWire(request: unknown, extra: Wire = {}): DefineAuthChallengeEvent {
  const event: Wire = { ...common, userName: "alice", triggerSource: "DefineAuthChallenge_Authentication", request, response: {}, ...extra };
  return event as unknown as DefineAuthChallengeEvent;
}

function createWire(userName: unknown, extra: Wire = {}): CreateAuthChallengeEvent {
  const event: Wire = {
    ...common,
    userName,
    triggerSource: "CreateAuthChallenge_Authentication",
    request: { userAttributes: {}, challengeName: CUSTOM_CHALLENGE, session: [] },
    response: {},
    ...extra,
  };
  return event as unknown as CreateAuthChallengeEvent;
}

function verifyWire(userName: unknown, request: unknown, extra: Wire = {}): VerifyAuthChallengeResponseEvent {
  const event: Wire = { ...common, userName, triggerSource: "VerifyAuthChallengeResponse_Authentication", request, response: {}, ...extra };
  return event as unknown as VerifyAuthChallengeResponseEvent;
}

function defineTrigger(maxAttempts = 1) {
  const log: Record<string, unknown>[] = [];
  const trigger = defineAuthChallengeTrigger({ stateMachine: new ChallengeStateMachine({ maxAttempts }), log: (entry) => log.push(entry) });
  return { trigger, log };
}

const TOKENS = { issueTokens: true, failAuthentication: false };
const FAIL = { issueTokens: false, failAuthentication: true };
const CHALLENGE = { challengeName: CUSTOM_CHALLENGE, issueTokens: false, failAuthentication: false };

describe("DefineAuthChallenge fails closed", () => {
  it.each([
    ["missing", undefined],
    ["null", null],
    ["an object", { 0: RIGHT }],
    ["a string", "[]"],
    ["a number", 0],
  ])("fails the sign-in when request.session is %s", async (_label, session) => {
    const { trigger, log } = defineTrigger();
    const event = await trigger(defineWire({ userAttributes: {}, session }));
    expect(event.response).toEqual(FAIL);
    expect(log).toEqual([{ trigger: "define_auth_challenge", outcome: "fail", reason: "malformed_request", field: "request.session" }]);
  });

  it.each([
    ["missing", undefined],
    ["null", null],
    ["an array", [RIGHT]],
    ["a string", "request"],
  ])("fails the sign-in, without throwing, when the request is %s", async (_label, request) => {
    const { trigger, log } = defineTrigger();
    const event = await trigger(defineWire(request));
    expect(event.response).toEqual(FAIL);
    expect(log).toEqual([expect.objectContaining({ outcome: "fail", reason: "malformed_request", field: "request" })]);
  });

  it.each([
    ["the string \"true\"", "true"],
    ["1", 1],
    ["an object", {}],
    ["null", null],
    ["missing", undefined],
  ])("issues no tokens for an answer whose challengeResult is %s: it counts as a wrong one", async (_label, challengeResult) => {
    const once = defineTrigger(1);
    expect((await once.trigger(defineWire({ userAttributes: {}, session: [{ ...RIGHT, challengeResult }] }))).response).toEqual(FAIL);
    expect(once.log).toEqual([expect.objectContaining({ outcome: "fail", reason: "too_many_attempts" })]);
    const thrice = defineTrigger(3);
    expect((await thrice.trigger(defineWire({ userAttributes: {}, session: [{ ...RIGHT, challengeResult }] }))).response).toEqual(CHALLENGE);
    expect((await thrice.trigger(defineWire({ userAttributes: {}, session: [{ ...RIGHT, challengeResult }, RIGHT] }))).response).toEqual(TOKENS);
  });

  it.each([
    ["null", null],
    ["a string", "CUSTOM_CHALLENGE"],
    ["an array", [RIGHT]],
    ["an entry whose challengeName is not a string", { ...RIGHT, challengeName: ["CUSTOM_CHALLENGE"] }],
    ["an entry without a challengeName", { challengeResult: true, challengeMetadata: PASSKEY_CUSTOM_CHALLENGE_METADATA }],
    ["an entry whose challengeMetadata is neither a string nor null", { ...RIGHT, challengeMetadata: { value: PASSKEY_CUSTOM_CHALLENGE_METADATA } }],
  ])("fails the whole sign-in for a session entry that is %s, wherever it is", async (_label, entry) => {
    for (const session of [[entry], [WRONG, entry], [entry, RIGHT], [RIGHT, entry]]) {
      const { trigger, log } = defineTrigger(3);
      expect((await trigger(defineWire({ userAttributes: {}, session }))).response).toEqual(FAIL);
      expect(log).toEqual([expect.objectContaining({ outcome: "fail", reason: "malformed_request", field: "request.session" })]);
    }
  });

  it.each([
    ["the string \"false\"", "false"],
    ["the string \"true\"", "true"],
    ["0", 0],
    ["an object", {}],
  ])("fails the sign-in, even at its start, when userNotFound is %s: neither absent nor a boolean", async (_label, userNotFound) => {
    for (const session of [[], [RIGHT]]) {
      const { trigger, log } = defineTrigger();
      expect((await trigger(defineWire({ userAttributes: {}, session, userNotFound }))).response).toEqual(FAIL);
      expect(log).toEqual([expect.objectContaining({ outcome: "fail", reason: "malformed_request", field: "request.userNotFound" })]);
    }
  });

  it.each([
    ["absent", {}],
    ["null", { userNotFound: null }],
    ["false", { userNotFound: false }],
  ])("reads a userNotFound that is %s as a user who exists (Cognito populates it only under preventUserExistenceErrors)", async (_label, field) => {
    const { trigger } = defineTrigger();
    expect((await trigger(defineWire({ userAttributes: {}, session: [RIGHT], ...field }))).response).toEqual(TOKENS);
  });

  it("answers with a response of its own, whatever the event's response held", async () => {
    const { trigger } = defineTrigger();
    expect((await trigger(defineWire({ userAttributes: {}, session: [] }, { response: null }))).response).toEqual(CHALLENGE);
    const stale = { challengeName: "SMS_MFA", issueTokens: "yes", failAuthentication: null, extra: 1 };
    expect((await trigger(defineWire({ userAttributes: {}, session: [RIGHT] }, { response: stale }))).response).toEqual(TOKENS);
    expect((await trigger(defineWire({ userAttributes: {}, session: [WRONG] }, { response: stale }))).response).toEqual(FAIL);
  });
});

async function registered() {
  const { domain, authenticator, user } = await buildDomainWithUser();
  const passkeyCustomChallenge = new PasskeyCustomChallenge({ credentials: domain.credentials, authentication: domain.authentication, activity: domain.activity });
  const log: Record<string, unknown>[] = [];
  const create = createAuthChallengeTrigger({ passkeyCustomChallenge, log: (entry) => log.push(entry) });
  const verify = verifyAuthChallengeResponseTrigger({ passkeyCustomChallenge, log: (entry) => log.push(entry) });
  const identityUserId = user.value.identityUserId;
  /** A username-first sign-in through Create, and the passkey's answer to it. */
  const signIn = async () => {
    const created = await create(createWire(identityUserId));
    const options = JSON.parse(created.response.publicChallengeParameters?.credentialRequestOptions ?? "null");
    return { privateParameters: created.response.privateChallengeParameters, answer: JSON.stringify(authenticator.getAssertion(options, { origin: ORIGIN })) };
  };
  return { domain, authenticator, passkeyCustomChallenge, create, verify, log, identityUserId, signIn };
}

describe("CreateAuthChallenge fails closed", () => {
  it.each([
    ["missing", undefined],
    ["null", null],
    ["a number", 42],
    ["an object", { name: "alice" }],
    ["empty", ""],
  ])("publishes no challenge, and does not ask the domain, when userName is %s", async (_label, userName) => {
    const { create, log, passkeyCustomChallenge } = await registered();
    log.length = 0;
    const issue = vi.spyOn(passkeyCustomChallenge, "issue");
    const event = await create(createWire(userName));
    expect(event.response).toEqual({});
    expect(issue).not.toHaveBeenCalled();
    expect(log).toEqual([{ trigger: "create_auth_challenge", outcome: "fail", reason: "malformed_request", field: "userName" }]);
  });

  it("answers with a response of its own, whatever the event's response held", async () => {
    const { create, identityUserId } = await registered();
    const created = await create(createWire(identityUserId, { response: null }));
    expect(Object.keys(created.response).sort()).toEqual(["challengeMetadata", "privateChallengeParameters", "publicChallengeParameters"]);
    const stale = await create(createWire(identityUserId, { response: { challengeMetadata: "OTP", privateChallengeParameters: { challenge: "stale", other: "x" } } }));
    expect(stale.response.challengeMetadata).toBe(PASSKEY_CUSTOM_CHALLENGE_METADATA);
    expect(Object.keys(stale.response.privateChallengeParameters ?? {})).toEqual(["challenge"]);
  });
});

describe("VerifyAuthChallengeResponse fails closed", () => {
  const request = (privateChallengeParameters: unknown, challengeAnswer: unknown, more: Wire = {}) => ({
    userAttributes: {},
    privateChallengeParameters,
    challengeAnswer,
    ...more,
  });

  it("refuses an answer to another sign-in of the same user when privateChallengeParameters.challenge is missing", async () => {
    const { verify, log, identityUserId, signIn } = await registered();
    const other = await signIn();
    await signIn(); // the sign-in this Cognito session is about; its private challenge went missing
    log.length = 0;
    expect((await verify(verifyWire(identityUserId, request({}, other.answer)))).response).toEqual({ answerCorrect: false });
    expect(log).toEqual([
      { trigger: "verify_auth_challenge_response", outcome: "rejected", code: "challenge_mismatch", field: "request.privateChallengeParameters.challenge" },
    ]);
    // The answer was not even parsed: the other sign-in is still open to it.
    expect((await verify(verifyWire(identityUserId, request(other.privateParameters, other.answer)))).response).toEqual({ answerCorrect: true });
  });

  it.each([
    ["missing", undefined],
    ["null", null],
    ["a string", "challenge"],
    ["an array", []],
    ["an object whose challenge is a number", { challenge: 42 }],
    ["an object whose challenge is null", { challenge: null }],
    ["an object whose challenge is empty", { challenge: "" }],
  ])("answers false when privateChallengeParameters is %s", async (_label, privateChallengeParameters) => {
    const { verify, log, identityUserId, signIn } = await registered();
    const { answer } = await signIn();
    log.length = 0;
    expect((await verify(verifyWire(identityUserId, request(privateChallengeParameters, answer)))).response).toEqual({ answerCorrect: false });
    expect(log).toEqual([expect.objectContaining({ outcome: "rejected", code: "challenge_mismatch" })]);
  });

  it("answers false, without parsing anything, for a challengeAnswer that is not a string", async () => {
    const { verify, log, identityUserId, signIn } = await registered();
    const { privateParameters, answer } = await signIn();
    log.length = 0;
    for (const challengeAnswer of [JSON.parse(answer), null, 42, [answer], undefined]) {
      expect((await verify(verifyWire(identityUserId, request(privateParameters, challengeAnswer)))).response).toEqual({ answerCorrect: false });
    }
    expect(log.map((entry) => [entry.code, entry.field])).toEqual(Array.from({ length: 5 }, () => ["malformed_response", "request.challengeAnswer"]));
    expect((await verify(verifyWire(identityUserId, request(privateParameters, answer)))).response).toEqual({ answerCorrect: true });
  });

  it.each([
    ["missing", undefined],
    ["a number", 42],
    ["an object", { userName: "alice" }],
    ["empty", ""],
  ])("answers false, whatever the answer, when userName is %s", async (_label, userName) => {
    const { verify, log, identityUserId, signIn } = await registered();
    const { privateParameters, answer } = await signIn();
    log.length = 0;
    expect((await verify(verifyWire(userName, request(privateParameters, answer)))).response).toEqual({ answerCorrect: false });
    expect(log).toEqual([expect.objectContaining({ outcome: "rejected", code: "malformed_request", field: "userName" })]);
    expect((await verify(verifyWire(identityUserId, request(privateParameters, answer)))).response).toEqual({ answerCorrect: true });
  });

  it.each([
    ["the string \"false\"", "false"],
    ["the string \"true\"", "true"],
    ["0", 0],
    ["an object", {}],
  ])("answers false when userNotFound is %s: neither absent nor a boolean", async (_label, userNotFound) => {
    const { verify, log, identityUserId, signIn } = await registered();
    const { privateParameters, answer } = await signIn();
    log.length = 0;
    expect((await verify(verifyWire(identityUserId, request(privateParameters, answer, { userNotFound })))).response).toEqual({ answerCorrect: false });
    expect(log).toEqual([expect.objectContaining({ outcome: "rejected", code: "malformed_request", field: "request.userNotFound" })]);
  });

  it.each([
    ["absent", {}],
    ["null", { userNotFound: null }],
    ["false", { userNotFound: false }],
  ])("verifies the answer when userNotFound is %s", async (_label, field) => {
    const { verify, identityUserId, signIn } = await registered();
    const { privateParameters, answer } = await signIn();
    expect((await verify(verifyWire(identityUserId, request(privateParameters, answer, field)))).response).toEqual({ answerCorrect: true });
  });

  it.each([
    ["missing", undefined],
    ["null", null],
    ["a string", "request"],
  ])("answers false, without throwing, when the request is %s", async (_label, wire) => {
    const { verify, log, identityUserId } = await registered();
    log.length = 0;
    expect((await verify(verifyWire(identityUserId, wire))).response).toEqual({ answerCorrect: false });
    expect(log).toEqual([expect.objectContaining({ outcome: "rejected", code: "malformed_request", field: "request" })]);
  });

  it("answers with a response of its own, whatever the event's response held", async () => {
    const { verify, identityUserId, signIn } = await registered();
    const first = await signIn();
    expect((await verify(verifyWire(identityUserId, request(first.privateParameters, first.answer), { response: null }))).response).toEqual({ answerCorrect: true });
    expect((await verify(verifyWire(identityUserId, request({}, "{}"), { response: { answerCorrect: true } }))).response).toEqual({ answerCorrect: false });
  });
});
