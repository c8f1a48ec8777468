/**
 * SECOND_FACTOR reaches every state machine keyport composes (ADR 0023): the services' (the local
 * server's triggers) and the DefineAuthChallenge function's, through the trigger configuration.
 */
import { describe, expect, it } from "vitest";
import { ConfigError, parseConfig } from "../../src/composition/config.js";
import { lambdaDefineAuthChallengeHandler } from "../../src/composition/lambda-define-auth-challenge.js";
import { composeServices } from "../../src/composition/services.js";
import { triggerConfig } from "../../src/composition/trigger-config.js";
import { authenticatorCatalog } from "../../src/composition/authenticator-catalogs.js";
import { apiServices } from "../../src/composition/api-services.js";
import { CUSTOM_CHALLENGE, PASSKEY_CUSTOM_CHALLENGE_METADATA, type CustomChallengeResult } from "../../src/domain/custom-challenge/custom-challenge.js";
import { PASSKEY_ENROLLED_ATTRIBUTE, PASSWORD_VERIFIER, SRP_A } from "../../src/domain/custom-challenge/second-factor.js";
import type { DefineAuthChallengeEvent } from "../../src/ports/custom-challenge-triggers.js";
import { FakeIdentityProvider } from "../support/fake-identity-provider.js";
import { LAMBDA_ENV } from "../handlers/lambda/events.js";

const SRP_OK: CustomChallengeResult = { challengeName: SRP_A, challengeResult: true };
const PASSWORD_OK: CustomChallengeResult = { challengeName: PASSWORD_VERIFIER, challengeResult: true };
const RIGHT: CustomChallengeResult = { challengeName: CUSTOM_CHALLENGE, challengeResult: true, challengeMetadata: PASSKEY_CUSTOM_CHALLENGE_METADATA };

function defineEvent(session: CustomChallengeResult[], enrolled: "true" | "false"): DefineAuthChallengeEvent {
  return {
    version: "1",
    region: "eu-west-1",
    userPoolId: "eu-west-1_Example",
    userName: "alice",
    callerContext: { awsSdkVersion: "aws-sdk-unknown-unknown", clientId: "exampleclientid" },
    triggerSource: "DefineAuthChallenge_Authentication",
    request: { userAttributes: { sub: "alice", [PASSKEY_ENROLLED_ATTRIBUTE]: enrolled }, session, userNotFound: false },
    response: {},
  };
}

describe("SECOND_FACTOR in the compositions", () => {
  const services = (env: Record<string, string>) => composeServices(parseConfig(env), { identityProvider: () => new FakeIdentityProvider(), authenticatorCatalog, apiServices });

  it("reaches the services' state machine, which the local identity provider's triggers use", () => {
    expect(services({}).challengeStateMachine.decide([SRP_OK])).toEqual({ kind: "fail", reason: "unexpected_challenge" });
    expect(services({ SECOND_FACTOR: "if-enrolled" }).challengeStateMachine.decide([SRP_OK])).toEqual({ kind: "issue_challenge", challengeName: PASSWORD_VERIFIER });
    expect(services({ SECOND_FACTOR: "if-enrolled" }).challengeStateMachine.decide([SRP_OK, PASSWORD_OK], true, false)).toEqual({ kind: "issue_tokens" });
    expect(services({ SECOND_FACTOR: "required" }).challengeStateMachine.decide([SRP_OK, PASSWORD_OK], true, false)).toEqual({ kind: "fail", reason: "passkey_required" });
  });

  it("reaches the DefineAuthChallenge function through its trigger configuration", async () => {
    const off = lambdaDefineAuthChallengeHandler(LAMBDA_ENV);
    expect((await off(defineEvent([SRP_OK], "true"))).response).toEqual({ issueTokens: false, failAuthentication: true });

    const required = lambdaDefineAuthChallengeHandler({ ...LAMBDA_ENV, SECOND_FACTOR: "required" });
    expect((await required(defineEvent([SRP_OK], "true"))).response).toEqual({ challengeName: PASSWORD_VERIFIER, issueTokens: false, failAuthentication: false });
    expect((await required(defineEvent([SRP_OK, PASSWORD_OK], "true"))).response).toEqual({ challengeName: CUSTOM_CHALLENGE, issueTokens: false, failAuthentication: false });
    expect((await required(defineEvent([SRP_OK, PASSWORD_OK, RIGHT], "true"))).response).toEqual({ issueTokens: true, failAuthentication: false });
    expect((await required(defineEvent([SRP_OK, PASSWORD_OK], "false"))).response).toEqual({ issueTokens: false, failAuthentication: true });

    const ifEnrolled = lambdaDefineAuthChallengeHandler({ ...LAMBDA_ENV, SECOND_FACTOR: "if-enrolled" });
    expect((await ifEnrolled(defineEvent([SRP_OK, PASSWORD_OK], "false"))).response).toEqual({ issueTokens: true, failAuthentication: false });
  });

  it("is read, and a bad value refused, by the triggers' configuration", () => {
    expect(triggerConfig({ ...LAMBDA_ENV, SECOND_FACTOR: "if-enrolled" }).secondFactor).toBe("if-enrolled");
    expect(() => triggerConfig({ ...LAMBDA_ENV, SECOND_FACTOR: "sometimes" })).toThrow(ConfigError);
    expect(() => triggerConfig({ ...LAMBDA_ENV, SECOND_FACTOR: "sometimes" })).toThrow(/^SECOND_FACTOR: must be one of off, if-enrolled, required/);
  });
});
