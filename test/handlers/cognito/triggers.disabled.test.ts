/**
 * The Cognito path of issue 11's rule: a disabled or deleted passkey never completes a sign-in through
 * the triggers. CreateAuthChallenge does not offer it, and VerifyAuthChallengeResponse refuses an answer
 * made with it, even one whose signature is perfect, until it is enabled again. The events are shaped
 * as Cognito sends them (the developer guide's custom-challenge triggers).
 */
import { describe, expect, it } from "vitest";
import { ChallengeStateMachine } from "../../../src/domain/custom-challenge/challenge-state-machine.js";
import { PasskeyCustomChallenge } from "../../../src/domain/custom-challenge/passkey-custom-challenge.js";
import type { PublicKeyCredentialRequestOptionsJSON } from "../../../src/domain/encoding/webauthn-json.js";
import { createCustomChallengeTriggers } from "../../../src/handlers/cognito/triggers.js";
import type { CreateAuthChallengeEvent, VerifyAuthChallengeResponseEvent } from "../../../src/ports/custom-challenge-triggers.js";
import { buildDomain, ORIGIN } from "../../support/domain-harness.js";
import { aVerifiedIdentity } from "../../support/kit.js";
import { SoftwareAuthenticator } from "../../support/software-authenticator.js";

const common = {
  version: "1",
  region: "eu-west-1",
  userPoolId: "eu-west-1_Example",
  callerContext: { awsSdkVersion: "aws-sdk-unknown-unknown", clientId: "exampleclientid" },
};

function createEvent(userName: string): CreateAuthChallengeEvent {
  return {
    ...common,
    userName,
    triggerSource: "CreateAuthChallenge_Authentication",
    request: { userAttributes: {}, challengeName: "CUSTOM_CHALLENGE", session: [] },
    response: {},
  };
}

function verifyEvent(userName: string, privateChallengeParameters: Record<string, string>, challengeAnswer: string): VerifyAuthChallengeResponseEvent {
  return {
    ...common,
    userName,
    triggerSource: "VerifyAuthChallengeResponse_Authentication",
    request: { userAttributes: {}, privateChallengeParameters, challengeAnswer, userNotFound: false },
    response: {},
  };
}

function okValue<T>(result: { ok: true; value: T } | { ok: false; error: string }): T {
  if (!result.ok) throw new Error(`expected ok, got ${result.error}`);
  return result.value;
}

/** Erin with two passkeys on one authenticator, and the triggers over the same stores. */
async function setUp() {
  const domain = buildDomain();
  const authenticator = new SoftwareAuthenticator();
  const started = okValue(await domain.registration.startForNewUser({ username: "erin", displayName: "Erin" }));
  const first = okValue(await domain.registration.finish(started.sessionId, authenticator.createCredential(started.options, { origin: ORIGIN })));
  const identity = aVerifiedIdentity({ identityUserId: first.identityUserId, authenticatedAt: domain.clock.now() });
  const adding = okValue(await domain.registration.startForExistingUser(identity));
  const second = okValue(await domain.registration.finish(adding.sessionId, authenticator.createCredential(adding.options, { origin: ORIGIN }), identity));
  const log: Record<string, unknown>[] = [];
  const triggers = createCustomChallengeTriggers({
    stateMachine: new ChallengeStateMachine(),
    passkeyCustomChallenge: new PasskeyCustomChallenge({ credentials: domain.credentials, authentication: domain.authentication, activity: domain.activity }),
    log: (entry) => log.push(entry),
  });
  const userName = first.identityUserId;

  /** Create's challenge for Erin: the options published, and the private parameters Cognito keeps. */
  const create = async () => {
    const created = await triggers.createAuthChallenge(createEvent(userName));
    const options: PublicKeyCredentialRequestOptionsJSON = JSON.parse(created.response.publicChallengeParameters?.credentialRequestOptions ?? "null");
    return { options, privateParameters: created.response.privateChallengeParameters ?? {} };
  };
  /** Verify's verdict on an answer made with `credentialId`, to a discover challenge (the passkey the user picks), under Create's private parameters. */
  const verifyDiscoverable = async (credentialId: string) => {
    const { privateParameters } = await create();
    const answer = authenticator.getAssertion(await domain.authentication.startDiscoverable(), { origin: ORIGIN, credentialId });
    const verified = await triggers.verifyAuthChallengeResponse(verifyEvent(userName, privateParameters, JSON.stringify(answer)));
    return { answerCorrect: verified.response.answerCorrect, code: log.at(-1)?.code };
  };
  /** Verify's verdict on an answer to the challenge `create` published, made with `credentialId`. */
  const verifyAnswerTo = async (challenge: Awaited<ReturnType<typeof create>>, credentialId: string) => {
    const answer = authenticator.getAssertion(challenge.options, { origin: ORIGIN, credentialId });
    const verified = await triggers.verifyAuthChallengeResponse(verifyEvent(userName, challenge.privateParameters, JSON.stringify(answer)));
    return { answerCorrect: verified.response.answerCorrect, code: log.at(-1)?.code };
  };
  return { domain, identity, first, second, create, verifyDiscoverable, verifyAnswerTo };
}

describe("the Cognito triggers and a disabled passkey", () => {
  it("CreateAuthChallenge offers only the enabled passkeys", async () => {
    const { domain, identity, first, second, create } = await setUp();
    okValue(await domain.management.updatePasskey(identity, first.credentialId, { enabled: false }));
    const { options } = await create();
    expect(options.allowCredentials.map((c) => c.id)).toEqual([second.credentialId]);
  });

  it("VerifyAuthChallengeResponse refuses a correctly signed answer with a disabled passkey, and accepts it once enabled", async () => {
    const { domain, identity, first, verifyDiscoverable } = await setUp();
    okValue(await domain.management.updatePasskey(identity, first.credentialId, { enabled: false }));
    expect(await verifyDiscoverable(first.credentialId)).toEqual({ answerCorrect: false, code: "credential_disabled" });
    okValue(await domain.management.updatePasskey(identity, first.credentialId, { enabled: true }));
    expect(await verifyDiscoverable(first.credentialId)).toEqual({ answerCorrect: true, code: undefined });
  });

  it("VerifyAuthChallengeResponse refuses a disabled passkey presented to a username-first challenge that listed it before the disable", async () => {
    const { domain, identity, first, create, verifyAnswerTo } = await setUp();
    const challenge = await create();
    expect(challenge.options.allowCredentials.map((c) => c.id)).toContain(first.credentialId);
    okValue(await domain.management.updatePasskey(identity, first.credentialId, { enabled: false }));
    expect(await verifyAnswerTo(challenge, first.credentialId)).toEqual({ answerCorrect: false, code: "credential_disabled" });
    expect((await domain.credentials.findCredential(first.credentialId))?.lastUsedAt).toBeNull();
  });

  it("CreateAuthChallenge publishes a fake list for a user whose passkeys are all disabled, as for an unknown user", async () => {
    const { domain, first, second, create } = await setUp();
    // Only an account that also has a password may disable every passkey; the store is told so directly.
    for (const { credentialId } of [first, second]) {
      expect(await domain.credentials.updateCredential(first.userHandle, credentialId, { enabled: false }, { keepOneEnabled: false })).toMatchObject({ enabled: false });
    }
    const { options } = await create();
    expect(options.allowCredentials.length).toBeGreaterThanOrEqual(1);
    expect(options.allowCredentials.map((c) => c.id)).not.toContain(first.credentialId);
    expect(options.allowCredentials.map((c) => c.id)).not.toContain(second.credentialId);
  });
});

describe("the Cognito triggers and a deleted passkey", () => {
  it("CreateAuthChallenge no longer offers it and VerifyAuthChallengeResponse refuses it, listed before or not", async () => {
    const { domain, identity, first, second, create, verifyDiscoverable, verifyAnswerTo } = await setUp();
    const listedBefore = await create();
    okValue(await domain.management.deletePasskey(identity, first.credentialId));
    expect((await create()).options.allowCredentials.map((c) => c.id)).toEqual([second.credentialId]);
    expect(await verifyAnswerTo(listedBefore, first.credentialId)).toEqual({ answerCorrect: false, code: "credential_not_found" });
    expect(await verifyDiscoverable(first.credentialId)).toEqual({ answerCorrect: false, code: "credential_not_found" });
    // The other passkey still signs in.
    expect(await verifyDiscoverable(second.credentialId)).toEqual({ answerCorrect: true, code: undefined });
  });

  it("refuses every passkey of a deleted account", async () => {
    const { domain, identity, first, second, verifyDiscoverable } = await setUp();
    okValue(await domain.management.deleteAccount(identity));
    for (const { credentialId } of [first, second]) {
      expect(await verifyDiscoverable(credentialId)).toEqual({ answerCorrect: false, code: "credential_not_found" });
    }
  });
});
