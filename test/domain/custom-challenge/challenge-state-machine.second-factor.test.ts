/**
 * The passkey as a second factor after a password (ADR 0023): Cognito's custom authentication started
 * with SRP reports `SRP_A`, then `PASSWORD_VERIFIER`, before keyport's passkey custom challenge. Each
 * transition of that prefix, under each second-factor policy.
 */
import { describe, expect, it } from "vitest";
import {
  ChallengeStateMachine,
  type CustomChallengePolicy,
  type SignInDecision,
  type SignInFailure,
  type SignInState,
} from "../../../src/domain/custom-challenge/challenge-state-machine.js";
import { CUSTOM_CHALLENGE, PASSKEY_CUSTOM_CHALLENGE_METADATA, type CustomChallengeResult } from "../../../src/domain/custom-challenge/custom-challenge.js";
import { PASSWORD_VERIFIER, SECOND_FACTOR_POLICIES, SRP_A, type SecondFactorPolicy } from "../../../src/domain/custom-challenge/second-factor.js";

const RIGHT: CustomChallengeResult = { challengeName: CUSTOM_CHALLENGE, challengeResult: true, challengeMetadata: PASSKEY_CUSTOM_CHALLENGE_METADATA };
const WRONG: CustomChallengeResult = { challengeName: CUSTOM_CHALLENGE, challengeResult: false, challengeMetadata: PASSKEY_CUSTOM_CHALLENGE_METADATA };
/** As Cognito reports the SRP steps: no metadata (that is CreateAuthChallenge's, for custom challenges). */
const SRP_OK: CustomChallengeResult = { challengeName: SRP_A, challengeResult: true };
const SRP_BAD: CustomChallengeResult = { challengeName: SRP_A, challengeResult: false };
const PASSWORD_OK: CustomChallengeResult = { challengeName: PASSWORD_VERIFIER, challengeResult: true };
const PASSWORD_BAD: CustomChallengeResult = { challengeName: PASSWORD_VERIFIER, challengeResult: false };

const TOKENS: SignInDecision = { kind: "issue_tokens" };
const PASSKEY: SignInDecision = { kind: "issue_challenge", challengeName: CUSTOM_CHALLENGE };
const PASSWORD: SignInDecision = { kind: "issue_challenge", challengeName: PASSWORD_VERIFIER };
const fail = (reason: SignInFailure): SignInDecision => ({ kind: "fail", reason });

const ON: readonly SecondFactorPolicy[] = ["if-enrolled", "required"];
const machineFor = (secondFactor: SecondFactorPolicy, maxAttempts = 1) => new ChallengeStateMachine({ maxAttempts, secondFactor });
const BOTH = [true, false] as const;

describe("ChallengeStateMachine with a password before the passkey", () => {
  describe("policy", () => {
    it.each(SECOND_FACTOR_POLICIES)("accepts the policy %s", (secondFactor) => {
      expect(() => machineFor(secondFactor)).not.toThrow();
    });

    it.each(["on", "", "OFF", "if_enrolled", null, 1])("refuses a secondFactor of %s from a caller that skipped the types", (secondFactor) => {
      const policy = { maxAttempts: 1, secondFactor } as unknown as CustomChallengePolicy;
      expect(() => new ChallengeStateMachine(policy)).toThrow(/secondFactor/);
    });
  });

  describe("passkey-only sign-in", () => {
    it.each(SECOND_FACTOR_POLICIES)("works as before under %s, enrolled or not", (secondFactor) => {
      for (const enrolled of BOTH) {
        expect(machineFor(secondFactor).decide([], true, enrolled)).toEqual(PASSKEY);
        expect(machineFor(secondFactor).decide([RIGHT], true, enrolled)).toEqual(TOKENS);
        expect(machineFor(secondFactor).decide([WRONG], true, enrolled)).toEqual(fail("too_many_attempts"));
        expect(machineFor(secondFactor, 3).decide([WRONG, WRONG, RIGHT], true, enrolled)).toEqual(TOKENS);
        expect(machineFor(secondFactor, 2).decide([RIGHT], false, enrolled)).toEqual(PASSKEY);
        expect(machineFor(secondFactor, 2).decide([RIGHT, RIGHT], false, enrolled)).toEqual(fail("user_not_found"));
      }
    });
  });

  describe("under off", () => {
    it("fails any history that starts with SRP_A, whoever the user", () => {
      for (const userExists of BOTH) {
        for (const enrolled of BOTH) {
          expect(machineFor("off").decide([SRP_OK], userExists, enrolled)).toEqual(fail("unexpected_challenge"));
          expect(machineFor("off").decide([SRP_OK, PASSWORD_OK], userExists, enrolled)).toEqual(fail("unexpected_challenge"));
          expect(machineFor("off", 3).decide([SRP_OK, PASSWORD_OK, RIGHT], userExists, enrolled)).toEqual(fail("unexpected_challenge"));
        }
      }
    });
  });

  describe.each(ON)("under %s", (secondFactor) => {
    it("asks for the password verifier after SRP_A, also for a user Cognito did not find, so nothing is revealed", () => {
      for (const userExists of BOTH) for (const enrolled of BOTH) expect(machineFor(secondFactor).decide([SRP_OK], userExists, enrolled)).toEqual(PASSWORD);
    });

    it("reads SRP steps by name and result, whatever metadata they carry", () => {
      for (const challengeMetadata of [null, undefined, PASSKEY_CUSTOM_CHALLENGE_METADATA, "OTP"]) {
        const history = [{ ...SRP_OK, challengeMetadata }, { ...PASSWORD_OK, challengeMetadata }];
        expect(machineFor(secondFactor).decide(history.slice(0, 1), true, true)).toEqual(PASSWORD);
        expect(machineFor(secondFactor).decide(history, true, true)).toEqual(PASSKEY);
      }
    });

    it("fails an SRP_A step Cognito did not accept", () => {
      for (const userExists of BOTH) expect(machineFor(secondFactor).decide([SRP_BAD], userExists, true)).toEqual(fail("unexpected_challenge"));
    });

    it("fails a wrong password with wrong_password, enrolled or not, known user or not", () => {
      for (const userExists of BOTH) {
        for (const enrolled of BOTH) expect(machineFor(secondFactor, 3).decide([SRP_OK, PASSWORD_BAD], userExists, enrolled)).toEqual(fail("wrong_password"));
      }
    });

    it("asks a user with a passkey for it after a right password, then issues tokens for a right answer", () => {
      expect(machineFor(secondFactor).decide([SRP_OK, PASSWORD_OK], true, true)).toEqual(PASSKEY);
      expect(machineFor(secondFactor).decide([SRP_OK, PASSWORD_OK, RIGHT], true, true)).toEqual(TOKENS);
    });

    it("allows maxAttempts passkey answers after the password, as without one", () => {
      const machine = machineFor(secondFactor, 3);
      expect(machine.decide([SRP_OK, PASSWORD_OK, WRONG], true, true)).toEqual(PASSKEY);
      expect(machine.decide([SRP_OK, PASSWORD_OK, WRONG, WRONG], true, true)).toEqual(PASSKEY);
      expect(machine.decide([SRP_OK, PASSWORD_OK, WRONG, WRONG, RIGHT], true, true)).toEqual(TOKENS);
      expect(machine.decide([SRP_OK, PASSWORD_OK, WRONG, WRONG, WRONG], true, true)).toEqual(fail("too_many_attempts"));
      expect(machineFor(secondFactor).decide([SRP_OK, PASSWORD_OK, WRONG], true, true)).toEqual(fail("too_many_attempts"));
    });

    it("never issues tokens to a user Cognito did not find, even with a password reported right", () => {
      for (const enrolled of BOTH) {
        expect(machineFor(secondFactor, 3).decide([SRP_OK, PASSWORD_OK], false, enrolled)).toEqual(fail("user_not_found"));
        expect(machineFor(secondFactor, 3).decide([SRP_OK, PASSWORD_OK, RIGHT], false, enrolled)).toEqual(fail("user_not_found"));
      }
    });

    it.each<[string, readonly CustomChallengeResult[]]>([
      ["SRP_A twice", [SRP_OK, SRP_OK]],
      ["a password verifier without SRP_A", [PASSWORD_OK]],
      ["a passkey answer in place of the password verifier", [SRP_OK, RIGHT]],
      ["another challenge in place of the password verifier", [SRP_OK, { challengeName: "SMS_MFA", challengeResult: true }]],
      ["SRP_A after a wrong passkey answer", [WRONG, SRP_OK, PASSWORD_OK, RIGHT]],
      ["SRP_A after the password", [SRP_OK, PASSWORD_OK, SRP_OK]],
      ["the password verifier twice", [SRP_OK, PASSWORD_OK, PASSWORD_OK]],
      ["another trigger's custom challenge after the password", [SRP_OK, PASSWORD_OK, { ...RIGHT, challengeMetadata: "OTP" }]],
      ["a custom challenge without metadata after the password", [SRP_OK, PASSWORD_OK, { challengeName: CUSTOM_CHALLENGE, challengeResult: true }]],
      ["SRP_A after the passkey's wrong answer", [SRP_OK, PASSWORD_OK, WRONG, SRP_OK]],
      ["anything after tokens", [SRP_OK, PASSWORD_OK, RIGHT, RIGHT]],
    ])("fails %s with unexpected_challenge", (_label, history) => {
      expect(machineFor(secondFactor, 3).decide(history, true, true)).toEqual(fail("unexpected_challenge"));
    });
  });

  describe("a user without a passkey, after a right password", () => {
    it("gets tokens under if-enrolled, and nothing may follow them", () => {
      expect(machineFor("if-enrolled").decide([SRP_OK, PASSWORD_OK], true, false)).toEqual(TOKENS);
      expect(machineFor("if-enrolled", 3).decide([SRP_OK, PASSWORD_OK, RIGHT], true, false)).toEqual(fail("unexpected_challenge"));
      expect(machineFor("if-enrolled", 3).decide([SRP_OK, PASSWORD_OK, WRONG], true, false)).toEqual(fail("unexpected_challenge"));
    });

    it("fails with passkey_required under required, whatever comes next", () => {
      expect(machineFor("required").decide([SRP_OK, PASSWORD_OK], true, false)).toEqual(fail("passkey_required"));
      expect(machineFor("required", 3).decide([SRP_OK, PASSWORD_OK, RIGHT], true, false)).toEqual(fail("passkey_required"));
    });
  });

  describe("transition", () => {
    const started = (userExists: boolean, passkeyEnrolled: boolean): SignInState => ({ kind: "started", userExists, passkeyEnrolled });
    const awaitingPassword = (userExists: boolean, passkeyEnrolled: boolean): SignInState => ({ kind: "awaiting_password", userExists, passkeyEnrolled });

    it("goes from the start to awaiting the password on SRP_A, keeping who the user is", () => {
      for (const userExists of BOTH) {
        for (const enrolled of BOTH) expect(machineFor("required").transition(started(userExists, enrolled), SRP_OK)).toEqual(awaitingPassword(userExists, enrolled));
      }
    });

    it("goes from awaiting the password to awaiting a first passkey answer for an enrolled user", () => {
      for (const secondFactor of ON) {
        expect(machineFor(secondFactor).transition(awaitingPassword(true, true), PASSWORD_OK)).toEqual({ kind: "awaiting_answer", failedAttempts: 0, userExists: true });
      }
    });

    it("goes from awaiting the password to the policy's end for a user without a passkey", () => {
      expect(machineFor("if-enrolled").transition(awaitingPassword(true, false), PASSWORD_OK)).toEqual({ kind: "succeeded" });
      expect(machineFor("required").transition(awaitingPassword(true, false), PASSWORD_OK)).toEqual({ kind: "failed", reason: "passkey_required" });
      // Under off no history reaches this state; a state built by hand still gets no tokens.
      expect(machineFor("off").transition(awaitingPassword(true, false), PASSWORD_OK)).toEqual({ kind: "failed", reason: "unexpected_challenge" });
    });

    it("counts a challengeResult that is not the boolean true as a wrong password", () => {
      const junk = { ...PASSWORD_OK, challengeResult: "true" } as unknown as CustomChallengeResult;
      expect(machineFor("if-enrolled").transition(awaitingPassword(true, false), junk)).toEqual({ kind: "failed", reason: "wrong_password" });
      const srpJunk = { ...SRP_OK, challengeResult: 1 } as unknown as CustomChallengeResult;
      expect(machineFor("if-enrolled").transition(started(true, false), srpJunk)).toEqual({ kind: "failed", reason: "unexpected_challenge" });
    });

    it("fails SRP steps once a passkey answer is awaited", () => {
      for (const result of [SRP_OK, PASSWORD_OK]) {
        expect(machineFor("if-enrolled", 3).transition({ kind: "awaiting_answer", failedAttempts: 0, userExists: true }, result)).toEqual({
          kind: "failed",
          reason: "unexpected_challenge",
        });
      }
    });
  });
});
