/**
 * The Verify trigger records sign-ins (issue 12 point 5), fed Cognito-shaped events as a client calling
 * InitiateAuth / RespondToAuthChallenge directly would cause them: each sign-in is one event in the
 * trail of the user whose passkey was presented, or only the operator's count when that is nobody's;
 * the request context is believed only when keyport sealed it for this sign-in.
 */
import { describe, expect, it } from "vitest";
import { requestContextKey, sealRequestContext, SEALED_CONTEXT_METADATA_KEY } from "../../../src/domain/activity/request-context-seal.js";
import { FAILED_SIGN_IN_BOUND, UNKNOWN_REQUEST_CONTEXT, type RequestContext } from "../../../src/domain/activity/security-events.js";
import { ChallengeStateMachine } from "../../../src/domain/custom-challenge/challenge-state-machine.js";
import { createCustomChallengeTriggers } from "../../../src/handlers/cognito/triggers.js";
import type { CreateAuthChallengeEvent, VerifyAuthChallengeResponseEvent } from "../../../src/ports/custom-challenge-triggers.js";
import { buildDomainWithUser, ORIGIN, TEST_UNKNOWN_USER_SECRET } from "../../support/domain-harness.js";
import { uniqueId } from "../../support/kit.js";

const CONTEXT: RequestContext = { sourceIp: "203.0.113.9", userAgent: "Mozilla/5.0 Firefox/140.0", correlationId: "req-1" };

const base = (userName: string) => ({
  version: "1",
  region: "eu-west-1",
  userPoolId: "eu-west-1_Example",
  userName,
  callerContext: { awsSdkVersion: "aws-sdk-js-3.0.0", clientId: "exampleclientid" },
});

function createEvent(userName: string): CreateAuthChallengeEvent {
  return { ...base(userName), triggerSource: "CreateAuthChallenge_Authentication", request: { userAttributes: {}, challengeName: "CUSTOM_CHALLENGE", session: [] }, response: {} };
}

function verifyEvent(
  userName: string,
  privateChallengeParameters: Record<string, string>,
  challengeAnswer: string,
  extra: { userNotFound?: boolean; clientMetadata?: unknown } = {},
): VerifyAuthChallengeResponseEvent {
  const request = { userAttributes: {}, privateChallengeParameters, challengeAnswer, userNotFound: extra.userNotFound ?? false };
  // As Cognito sends it: `clientMetadata` present only when the caller gave some (of whatever shape it arrives in).
  const withMetadata = extra.clientMetadata === undefined ? request : { ...request, clientMetadata: extra.clientMetadata };
  return JSON.parse(JSON.stringify({ ...base(userName), triggerSource: "VerifyAuthChallengeResponse_Authentication", request: withMetadata, response: {} }));
}

async function setUp() {
  const { domain, authenticator, user } = await buildDomainWithUser();
  const triggers = createCustomChallengeTriggers({ stateMachine: new ChallengeStateMachine(), passkeyCustomChallenge: domain.customChallenge });
  domain.events.clear();
  domain.metrics.clear();
  /** A username-first round: Create's challenge, and the authenticator's answer to it (tampered as asked). */
  const round = async (userName: string, args: { origin?: string; credentialId?: string; signWithOtherKey?: boolean } = {}) => {
    const created = await triggers.createAuthChallenge(createEvent(userName));
    const options = JSON.parse(created.response.publicChallengeParameters?.credentialRequestOptions ?? "null");
    const assertion = authenticator.getAssertion(args.credentialId === undefined ? options : { ...options, allowCredentials: [] }, {
      origin: args.origin ?? ORIGIN,
      ...(args.credentialId === undefined ? {} : { credentialId: args.credentialId }),
      ...(args.signWithOtherKey === true ? { tamper: { signWithOtherKey: true } } : {}),
    });
    return { privateParameters: created.response.privateChallengeParameters ?? {}, answer: JSON.stringify(assertion) };
  };
  const sealed = (identityUserId: string, context = CONTEXT) =>
    sealRequestContext(requestContextKey(TEST_UNKNOWN_USER_SECRET), context, { identityUserId, now: domain.clock.now() });
  return { domain, user: user.value, triggers, round, sealed };
}

describe("VerifyAuthChallengeResponse's security activity", () => {
  it("records a direct client's sign-in as sign_in.succeeded of the passkey's owner, with no request context", async () => {
    const { domain, user, triggers, round } = await setUp();
    const { privateParameters, answer } = await round(user.identityUserId);
    const verified = await triggers.verifyAuthChallengeResponse(verifyEvent(user.identityUserId, privateParameters, answer));
    expect(verified.response.answerCorrect).toBe(true);
    expect(domain.events.appended).toEqual([
      expect.objectContaining({ type: "sign_in.succeeded", userHandle: user.userHandle, credentialId: user.credentialId, context: UNKNOWN_REQUEST_CONTEXT }),
    ]);
    expect(domain.metrics.counted).toEqual([{ ceremony: "sign_in", outcome: "succeeded" }]);
  });

  it("leaves a sign-in sealed by keyport's HTTP API to the API to record (it does, beside its response), and records nothing itself", async () => {
    const { domain, user, triggers, round, sealed } = await setUp();
    const { privateParameters, answer } = await round(user.identityUserId);
    const verified = await triggers.verifyAuthChallengeResponse(verifyEvent(user.identityUserId, privateParameters, answer, { clientMetadata: sealed(user.identityUserId) }));
    expect(verified.response.answerCorrect).toBe(true);
    expect(domain.events.appended).toEqual([]);
    expect(domain.metrics.counted).toEqual([]);
  });

  it("records a refusal with the AuthenticationError code and the context sealed for this sign-in", async () => {
    const { domain, user, triggers, round, sealed } = await setUp();
    const { privateParameters, answer } = await round(user.identityUserId, { origin: "https://evil.example" });
    await triggers.verifyAuthChallengeResponse(verifyEvent(user.identityUserId, privateParameters, answer, { clientMetadata: sealed(user.identityUserId) }));
    expect(domain.events.appended).toEqual([
      expect.objectContaining({ type: "sign_in.failed", code: "origin_mismatch", userHandle: user.userHandle, credentialId: user.credentialId, context: CONTEXT }),
    ]);
    expect(domain.metrics.counted).toEqual([{ ceremony: "sign_in", outcome: "failed", code: "origin_mismatch" }]);
  });

  it("records the context unknown, never the claimed one, for metadata forged, tampered, sealed for another user or not an object", async () => {
    const { domain, user, triggers, round, sealed } = await setUp();
    const claimed: RequestContext = { sourceIp: "198.51.100.66", userAgent: "Framed", correlationId: null };
    const genuine = sealed(user.identityUserId, claimed)[SEALED_CONTEXT_METADATA_KEY] ?? "";
    const tampered = `${genuine.slice(0, 10)}${genuine[10] === "A" ? "B" : "A"}${genuine.slice(11)}`;
    const metadata: unknown[] = [
      { [SEALED_CONTEXT_METADATA_KEY]: `${Buffer.from(JSON.stringify({ at: domain.clock.now(), ...claimed })).toString("base64url")}.${"A".repeat(43)}` },
      { [SEALED_CONTEXT_METADATA_KEY]: tampered },
      sealed("someone-else", claimed),
      "not an object",
      [genuine],
    ];
    for (const clientMetadata of metadata) {
      const { privateParameters, answer } = await round(user.identityUserId, { origin: "https://evil.example" });
      const verified = await triggers.verifyAuthChallengeResponse(verifyEvent(user.identityUserId, privateParameters, answer, { clientMetadata }));
      expect(verified.response.answerCorrect).toBe(false);
    }
    expect(domain.events.appended.map((event) => event.context)).toEqual(metadata.map(() => UNKNOWN_REQUEST_CONTEXT));
  });

  it("records a refusal that comes before the ceremony reads the credential (a replayed answer) against the passkey's owner too", async () => {
    const { domain, user, triggers, round } = await setUp();
    const { privateParameters, answer } = await round(user.identityUserId);
    await triggers.verifyAuthChallengeResponse(verifyEvent(user.identityUserId, privateParameters, answer));
    domain.events.clear();
    domain.metrics.clear();
    const replayed = await triggers.verifyAuthChallengeResponse(verifyEvent(user.identityUserId, privateParameters, answer));
    expect(replayed.response.answerCorrect).toBe(false);
    expect(domain.events.appended).toEqual([expect.objectContaining({ type: "sign_in.failed", code: "session_not_found", userHandle: user.userHandle, credentialId: user.credentialId })]);
  });

  it("refuses as ever, counted only, when the credential cannot be read to name its owner", async () => {
    const { domain, user, triggers, round } = await setUp();
    const { privateParameters, answer } = await round(user.identityUserId);
    await triggers.verifyAuthChallengeResponse(verifyEvent(user.identityUserId, privateParameters, answer));
    domain.events.clear();
    domain.metrics.clear();
    domain.credentials.findCredential = async () => {
      throw new Error("store down");
    };
    const replayed = await triggers.verifyAuthChallengeResponse(verifyEvent(user.identityUserId, privateParameters, answer));
    expect(replayed.response.answerCorrect).toBe(false);
    expect(domain.events.appended).toEqual([]);
    expect(domain.metrics.counted).toEqual([{ ceremony: "sign_in", outcome: "failed", code: "session_not_found" }]);
  });

  it("records nothing in anyone's trail for a credential keyport does not have, or a user Cognito did not find", async () => {
    const { domain, user, triggers, round } = await setUp();
    const unknownId = uniqueId(16);
    const { privateParameters } = await round(user.identityUserId);
    const unknownAnswer = JSON.stringify({ id: unknownId, rawId: unknownId, type: "public-key", response: {} });
    await triggers.verifyAuthChallengeResponse(verifyEvent(user.identityUserId, privateParameters, unknownAnswer));
    // The user's real passkey, answered for a name Cognito did not find (its stand-in handle).
    const ghost = await round("ghost", { credentialId: user.credentialId });
    const verified = await triggers.verifyAuthChallengeResponse(verifyEvent("ghost", ghost.privateParameters, ghost.answer, { userNotFound: true }));
    expect(verified.response.answerCorrect).toBe(false);
    expect(domain.events.appended).toEqual([]);
    expect(domain.metrics.counted).toEqual([
      { ceremony: "sign_in", outcome: "failed", code: "malformed_response" },
      { ceremony: "sign_in", outcome: "failed", code: "credential_not_allowed" },
    ]);
  });

  it("counts a correct answer for a user Cognito says does not exist as a failure of nobody's", async () => {
    const { domain, user, triggers, round } = await setUp();
    const { privateParameters, answer } = await round(user.identityUserId);
    const verified = await triggers.verifyAuthChallengeResponse(verifyEvent(user.identityUserId, privateParameters, answer, { userNotFound: true }));
    expect(verified.response.answerCorrect).toBe(false);
    expect(domain.events.appended).toEqual([]);
    expect(domain.metrics.counted).toEqual([{ ceremony: "sign_in", outcome: "failed", code: "user_not_found" }]);
  });

  it("counts a request it cannot read, naming nobody", async () => {
    const { domain, user, triggers } = await setUp();
    const event = verifyEvent(user.identityUserId, {}, "{}");
    await triggers.verifyAuthChallengeResponse(event);
    expect(domain.events.appended).toEqual([]);
    expect(domain.metrics.counted).toEqual([{ ceremony: "sign_in", outcome: "failed", code: "challenge_mismatch" }]);
  });

  it("stores at most the bound of failed sign-ins per user and hour for an attacker who knows the credential id, and counts the rest", async () => {
    const { domain, user, triggers, round } = await setUp();
    const attempts = FAILED_SIGN_IN_BOUND.limit + 7;
    for (let i = 0; i < attempts; i++) {
      // The victim's credential id, from anyone's allowCredentials, under a signature of another key.
      const { privateParameters, answer } = await round(user.identityUserId, { signWithOtherKey: true });
      const verified = await triggers.verifyAuthChallengeResponse(verifyEvent(user.identityUserId, privateParameters, answer));
      expect(verified.response.answerCorrect).toBe(false);
    }
    const trail = await domain.events.trailOf(user.userHandle);
    expect(trail.filter((event) => event.type === "sign_in.failed")).toHaveLength(FAILED_SIGN_IN_BOUND.limit);
    expect(trail.filter((event) => event.type === "sign_in.failed_suppressed")).toEqual([expect.objectContaining({ count: 7 })]);
    expect(trail.filter((event) => event.type === "sign_in.failed").every((event) => "code" in event && event.code === "signature_invalid")).toBe(true);
    expect(domain.metrics.counted).toHaveLength(attempts);
  });

  it("answers as ever when the event store fails, and reports the event as lost", async () => {
    const { domain, user, triggers, round } = await setUp();
    domain.events.failWith = new Error("store down");
    const good = await round(user.identityUserId);
    expect((await triggers.verifyAuthChallengeResponse(verifyEvent(user.identityUserId, good.privateParameters, good.answer))).response.answerCorrect).toBe(true);
    const bad = await round(user.identityUserId, { origin: "https://evil.example" });
    expect((await triggers.verifyAuthChallengeResponse(verifyEvent(user.identityUserId, bad.privateParameters, bad.answer))).response.answerCorrect).toBe(false);
    expect(domain.lost.reported.map(({ event }) => event.type)).toEqual(["sign_in.succeeded", "sign_in.failed"]);
  });
});
