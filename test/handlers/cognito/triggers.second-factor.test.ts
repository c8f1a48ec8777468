/**
 * The passkey as a second factor after a password, through the trigger shells (ADR 0023): Define reads
 * the user's `custom:passkey_enrolled` attribute from `request.userAttributes` and answers the challenge
 * the state machine names (`PASSWORD_VERIFIER` after `SRP_A`); Create, which Cognito calls after the
 * password with the SRP prefix in its session, issues the passkey custom challenge as it does without one.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { decodeChallengeParameters } from "../../../src/domain/custom-challenge/challenge-parameters.js";
import { ChallengeStateMachine } from "../../../src/domain/custom-challenge/challenge-state-machine.js";
import { CUSTOM_CHALLENGE, PASSKEY_CUSTOM_CHALLENGE_METADATA, type CustomChallengeResult } from "../../../src/domain/custom-challenge/custom-challenge.js";
import { PasskeyCustomChallenge } from "../../../src/domain/custom-challenge/passkey-custom-challenge.js";
import { PASSKEY_ENROLLED_ATTRIBUTE, PASSWORD_VERIFIER, SECOND_FACTOR_POLICIES, SRP_A, type SecondFactorPolicy } from "../../../src/domain/custom-challenge/second-factor.js";
import { decodeDefineRequest } from "../../../src/handlers/cognito/trigger-requests.js";
import { createCustomChallengeTriggers, defineAuthChallengeTrigger } from "../../../src/handlers/cognito/triggers.js";
import type { CreateAuthChallengeEvent, DefineAuthChallengeEvent, VerifyAuthChallengeResponseEvent } from "../../../src/ports/custom-challenge-triggers.js";
import { buildDomainWithUser, ORIGIN } from "../../support/domain-harness.js";

const SRP_OK: CustomChallengeResult = { challengeName: SRP_A, challengeResult: true };
const PASSWORD_OK: CustomChallengeResult = { challengeName: PASSWORD_VERIFIER, challengeResult: true };
const PASSWORD_BAD: CustomChallengeResult = { challengeName: PASSWORD_VERIFIER, challengeResult: false };
const RIGHT: CustomChallengeResult = { challengeName: CUSTOM_CHALLENGE, challengeResult: true, challengeMetadata: PASSKEY_CUSTOM_CHALLENGE_METADATA };

const TOKENS = { issueTokens: true, failAuthentication: false };
const FAIL = { issueTokens: false, failAuthentication: true };
const PASSKEY = { challengeName: CUSTOM_CHALLENGE, issueTokens: false, failAuthentication: false };
const PASSWORD = { challengeName: PASSWORD_VERIFIER, issueTokens: false, failAuthentication: false };

const common = {
  version: "1",
  region: "eu-west-1",
  userPoolId: "eu-west-1_Example",
  callerContext: { awsSdkVersion: "aws-sdk-unknown-unknown", clientId: "exampleclientid" },
};

/** A Define event whose request holds exactly `request` (as it might come off the wire). */
function defineWire(request: Record<string, unknown>, response: unknown = {}): DefineAuthChallengeEvent {
  const event: Record<string, unknown> = { ...common, userName: "alice", triggerSource: "DefineAuthChallenge_Authentication", request, response };
  return event as unknown as DefineAuthChallengeEvent;
}

const isPlainObject = (value: unknown): value is Record<string, unknown> => typeof value === "object" && value !== null && !Array.isArray(value);
const enrolledAs = (value: string): Record<string, string> => ({ sub: "alice-sub", email: "alice@example.com", [PASSKEY_ENROLLED_ATTRIBUTE]: value });

function defineShell(secondFactor: SecondFactorPolicy, maxAttempts = 1) {
  const log: Record<string, unknown>[] = [];
  const trigger = defineAuthChallengeTrigger({ stateMachine: new ChallengeStateMachine({ maxAttempts, secondFactor }), log: (entry) => log.push(entry) });
  return { trigger, log };
}

describe("decodeDefineRequest: the user's passkey enrolment", () => {
  const decode = (userAttributes: unknown) => decodeDefineRequest({ request: { userAttributes, session: [] } });

  it("reads the attribute's string \"true\" as enrolled", () => {
    expect(decode(enrolledAs("true"))).toEqual({ history: [], userExists: true, passkeyEnrolled: true });
  });

  it.each([
    ["\"false\"", enrolledAs("false")],
    ["an empty string", enrolledAs("")],
    ["\"TRUE\"", enrolledAs("TRUE")],
    ["\" true\"", enrolledAs(" true")],
    ["\"1\"", enrolledAs("1")],
    ["absent, among other attributes", { sub: "alice-sub", "custom:other": "true" }],
    ["absent from empty attributes", {}],
  ])("reads the attribute %s as not enrolled", (_label, userAttributes) => {
    expect(decode(userAttributes)).toEqual({ history: [], userExists: true, passkeyEnrolled: false });
  });

  it("reads userAttributes absent as not enrolled", () => {
    expect(decodeDefineRequest({ request: { session: [] } })).toEqual({ history: [], userExists: true, passkeyEnrolled: false });
  });

  it("reads the attribute only as an own property, never off a prototype", () => {
    const inherited: Record<string, unknown> = Object.create({ [PASSKEY_ENROLLED_ATTRIBUTE]: "true" });
    expect(decode(inherited)).toEqual({ history: [], userExists: true, passkeyEnrolled: false });
  });

  it.each([
    ["null", null],
    ["a string", "true"],
    ["an array", [PASSKEY_ENROLLED_ATTRIBUTE]],
    ["a number", 1],
    ["a boolean", true],
  ])("calls userAttributes that is %s malformed", (_label, userAttributes) => {
    expect(decode(userAttributes)).toEqual({ history: "malformed", userExists: false, passkeyEnrolled: false, field: "request.userAttributes" });
  });

  it.each([
    ["the boolean true", true],
    ["null", null],
    ["a number", 1],
    ["an object", { value: "true" }],
    ["an array", ["true"]],
  ])("calls the attribute malformed when it is %s", (_label, value) => {
    expect(decode({ [PASSKEY_ENROLLED_ATTRIBUTE]: value })).toEqual({
      history: "malformed",
      userExists: false,
      passkeyEnrolled: false,
      field: `request.userAttributes.${PASSKEY_ENROLLED_ATTRIBUTE}`,
    });
  });

  it("reads nothing else of the attributes: another attribute of another type is no fault", () => {
    expect(decode({ ...enrolledAs("true"), "custom:count": 3, other: null })).toEqual({ history: [], userExists: true, passkeyEnrolled: true });
  });

  it("names the session or userNotFound first when they are malformed too", () => {
    expect(decodeDefineRequest({ request: { userAttributes: null, session: "x" } })).toMatchObject({ history: "malformed", field: "request.session" });
    expect(decodeDefineRequest({ request: { userAttributes: null, session: [], userNotFound: "no" } })).toMatchObject({ history: "malformed", field: "request.userNotFound" });
  });
});

describe("DefineAuthChallenge with a password before the passkey", () => {
  it.each(["if-enrolled", "required"] as const)("asks for the password verifier after SRP_A under %s, known user or not", async (secondFactor) => {
    const { trigger, log } = defineShell(secondFactor);
    for (const userNotFound of [false, true]) {
      for (const userAttributes of [enrolledAs("true"), {}]) {
        const event = await trigger(defineWire({ userAttributes, session: [SRP_OK], userNotFound }, { challengeName: CUSTOM_CHALLENGE, issueTokens: true }));
        expect(event.response).toEqual(PASSWORD);
      }
    }
    expect(log).toEqual([]);
  });

  it("fails SRP_A under off, as before", async () => {
    const { trigger, log } = defineShell("off");
    expect((await trigger(defineWire({ userAttributes: enrolledAs("true"), session: [SRP_OK] }))).response).toEqual(FAIL);
    expect(log).toEqual([{ trigger: "define_auth_challenge", outcome: "fail", reason: "unexpected_challenge" }]);
  });

  it.each(["if-enrolled", "required"] as const)("asks an enrolled user for the passkey after the password under %s, then issues tokens", async (secondFactor) => {
    const { trigger } = defineShell(secondFactor);
    expect((await trigger(defineWire({ userAttributes: enrolledAs("true"), session: [SRP_OK, PASSWORD_OK] }))).response).toEqual(PASSKEY);
    expect((await trigger(defineWire({ userAttributes: enrolledAs("true"), session: [SRP_OK, PASSWORD_OK, RIGHT] }))).response).toEqual(TOKENS);
  });

  it("issues tokens after the password to a user without a passkey under if-enrolled", async () => {
    const { trigger } = defineShell("if-enrolled");
    for (const userAttributes of [enrolledAs("false"), {}, { sub: "alice-sub" }]) {
      expect((await trigger(defineWire({ userAttributes, session: [SRP_OK, PASSWORD_OK] }))).response).toEqual(TOKENS);
    }
    expect((await trigger(defineWire({ session: [SRP_OK, PASSWORD_OK] }))).response).toEqual(TOKENS);
  });

  it("fails a user without a passkey after the password under required, logging passkey_required", async () => {
    const { trigger, log } = defineShell("required");
    expect((await trigger(defineWire({ userAttributes: enrolledAs("false"), session: [SRP_OK, PASSWORD_OK] }))).response).toEqual(FAIL);
    expect(log).toEqual([{ trigger: "define_auth_challenge", outcome: "fail", reason: "passkey_required" }]);
  });

  it("fails a wrong password, logging wrong_password", async () => {
    const { trigger, log } = defineShell("if-enrolled", 3);
    expect((await trigger(defineWire({ userAttributes: enrolledAs("true"), session: [SRP_OK, PASSWORD_BAD] }))).response).toEqual(FAIL);
    expect(log).toEqual([{ trigger: "define_auth_challenge", outcome: "fail", reason: "wrong_password" }]);
  });

  it("never issues tokens after the password to a user Cognito did not find, whatever the attribute says", async () => {
    const { trigger } = defineShell("if-enrolled");
    for (const userAttributes of [enrolledAs("true"), enrolledAs("false"), {}]) {
      expect((await trigger(defineWire({ userAttributes, session: [SRP_OK, PASSWORD_OK], userNotFound: true }))).response).toEqual(FAIL);
    }
  });

  it.each(SECOND_FACTOR_POLICIES)("fails, under %s, any history when the attributes are malformed, naming the field", async (secondFactor) => {
    const { trigger, log } = defineShell(secondFactor);
    for (const session of [[], [RIGHT], [SRP_OK], [SRP_OK, PASSWORD_OK]]) {
      expect((await trigger(defineWire({ userAttributes: null, session }))).response).toEqual(FAIL);
      expect((await trigger(defineWire({ userAttributes: { [PASSKEY_ENROLLED_ATTRIBUTE]: true }, session }))).response).toEqual(FAIL);
    }
    expect(new Set(log.map((entry) => entry.field))).toEqual(new Set(["request.userAttributes", `request.userAttributes.${PASSKEY_ENROLLED_ATTRIBUTE}`]));
    expect(new Set(log.map((entry) => entry.reason))).toEqual(new Set(["malformed_request"]));
  });

  it("answers, over any userAttributes, as the attribute's documented reading says", async () => {
    const junk = fc.oneof(fc.jsonValue({ maxDepth: 1 }), fc.anything({ maxDepth: 1 }));
    const attributeArb = fc.oneof(
      { weight: 2, arbitrary: fc.constantFrom("true", "false", "", "TRUE", "yes") },
      { weight: 1, arbitrary: fc.string({ maxLength: 5 }) },
      { weight: 1, arbitrary: junk.filter((v) => typeof v !== "string" && v !== undefined) },
    );
    const attributesArb = fc.oneof(
      { weight: 4, arbitrary: fc.record({ value: fc.option(attributeArb, { nil: undefined }), others: fc.dictionary(fc.string({ maxLength: 5 }), fc.string({ maxLength: 5 }), { maxKeys: 2 }) }) },
      { weight: 1, arbitrary: junk.map((whole) => ({ whole })) },
      { weight: 1, arbitrary: fc.constant({ absent: true }) },
    );
    const seen = new Set<string>();
    await fc.assert(
      fc.asyncProperty(attributesArb, fc.constantFrom<SecondFactorPolicy>("if-enrolled", "required"), async (shape, secondFactor) => {
        const request: Record<string, unknown> = { session: [SRP_OK, PASSWORD_OK] };
        let expected: "enrolled" | "not_enrolled" | "malformed";
        if ("absent" in shape) expected = "not_enrolled";
        else if ("whole" in shape) {
          request.userAttributes = shape.whole;
          const isObject = isPlainObject(shape.whole);
          // A generated object may hold the attribute itself only by chance: it is then read like any other.
          const value: unknown = isPlainObject(shape.whole) && Object.hasOwn(shape.whole, PASSKEY_ENROLLED_ATTRIBUTE) ? shape.whole[PASSKEY_ENROLLED_ATTRIBUTE] : undefined;
          // undefined (which JSON cannot carry) is read as absent, as userNotFound's is.
          if (shape.whole === undefined) expected = "not_enrolled";
          else expected = !isObject || (value !== undefined && typeof value !== "string") ? "malformed" : value === "true" ? "enrolled" : "not_enrolled";
        } else {
          const attributes: Record<string, unknown> = { ...shape.others };
          delete attributes[PASSKEY_ENROLLED_ATTRIBUTE];
          if (shape.value !== undefined) attributes[PASSKEY_ENROLLED_ATTRIBUTE] = shape.value;
          request.userAttributes = attributes;
          expected = shape.value === undefined || typeof shape.value === "string" ? (shape.value === "true" ? "enrolled" : "not_enrolled") : "malformed";
        }
        const { trigger } = defineShell(secondFactor);
        const event = await trigger(defineWire(request));
        const want = expected === "enrolled" ? PASSKEY : expected === "malformed" ? FAIL : secondFactor === "if-enrolled" ? TOKENS : FAIL;
        expect(event.response).toEqual(want);
        seen.add(expected);
      }),
      { numRuns: 300 },
    );
    expect([...seen].sort()).toEqual(["enrolled", "malformed", "not_enrolled"]);
  });
});

describe("CreateAuthChallenge and VerifyAuthChallengeResponse after a password", () => {
  async function setUp(secondFactor: SecondFactorPolicy) {
    const { domain, authenticator, user } = await buildDomainWithUser();
    const triggers = createCustomChallengeTriggers({
      stateMachine: new ChallengeStateMachine({ maxAttempts: 1, secondFactor }),
      passkeyCustomChallenge: new PasskeyCustomChallenge({ credentials: domain.credentials, authentication: domain.authentication, activity: domain.activity }),
    });
    return { authenticator, user: user.value, triggers };
  }

  function createEvent(userName: string, session: CustomChallengeResult[]): CreateAuthChallengeEvent {
    return {
      ...common,
      userName,
      triggerSource: "CreateAuthChallenge_Authentication",
      request: { userAttributes: enrolledAs("true"), challengeName: CUSTOM_CHALLENGE, session },
      response: {},
    };
  }

  function verifyEvent(userName: string, privateChallengeParameters: Record<string, string>, challengeAnswer: string): VerifyAuthChallengeResponseEvent {
    return {
      ...common,
      userName,
      triggerSource: "VerifyAuthChallengeResponse_Authentication",
      request: { userAttributes: enrolledAs("true"), privateChallengeParameters, challengeAnswer },
      response: {},
    };
  }

  it("issues the passkey custom challenge, listing the user's passkeys, with the SRP prefix in the session", async () => {
    const { triggers, user } = await setUp("required");
    const created = await triggers.createAuthChallenge(createEvent(user.identityUserId, [SRP_OK, PASSWORD_OK]));
    expect(created.response.challengeMetadata).toBe(PASSKEY_CUSTOM_CHALLENGE_METADATA);
    const options = decodeChallengeParameters(created.response.publicChallengeParameters ?? {});
    expect(options?.allowCredentials.map((c) => c.id)).toEqual([user.credentialId]);
    expect(created.response.privateChallengeParameters).toEqual({ challenge: options?.challenge });
  });

  it.each(["if-enrolled", "required"] as const)("signs in with password + passkey round by round under %s, as Cognito would run it", async (secondFactor) => {
    const { triggers, user, authenticator } = await setUp(secondFactor);
    const define = async (session: CustomChallengeResult[]) =>
      (await triggers.defineAuthChallenge(defineWire({ userAttributes: enrolledAs("true"), session, userNotFound: false }))).response;

    expect(await define([])).toEqual(PASSKEY);
    expect(await define([SRP_OK])).toEqual(PASSWORD);
    expect(await define([SRP_OK, PASSWORD_OK])).toEqual(PASSKEY);
    const created = await triggers.createAuthChallenge(createEvent(user.identityUserId, [SRP_OK, PASSWORD_OK]));
    const options = decodeChallengeParameters(created.response.publicChallengeParameters ?? {});
    if (options === null) throw new Error("Create published no request options");
    const answer = JSON.stringify(authenticator.getAssertion(options, { origin: ORIGIN }));
    const verified = await triggers.verifyAuthChallengeResponse(verifyEvent(user.identityUserId, created.response.privateChallengeParameters ?? {}, answer));
    expect(verified.response.answerCorrect).toBe(true);
    const passkeyResult: CustomChallengeResult = { challengeName: CUSTOM_CHALLENGE, challengeResult: true, challengeMetadata: created.response.challengeMetadata };
    expect(await define([SRP_OK, PASSWORD_OK, passkeyResult])).toEqual(TOKENS);
  });
});
