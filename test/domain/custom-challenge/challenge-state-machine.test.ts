import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  ChallengeStateMachine,
  DEFAULT_CUSTOM_CHALLENGE_POLICY,
  type SignInDecision,
  type SignInFailure,
  type SignInState,
} from "../../../src/domain/custom-challenge/challenge-state-machine.js";
import { CUSTOM_CHALLENGE, PASSKEY_CUSTOM_CHALLENGE_METADATA, type CustomChallengeResult } from "../../../src/domain/custom-challenge/custom-challenge.js";

const RIGHT: CustomChallengeResult = { challengeName: CUSTOM_CHALLENGE, challengeResult: true, challengeMetadata: PASSKEY_CUSTOM_CHALLENGE_METADATA };
const WRONG: CustomChallengeResult = { challengeName: CUSTOM_CHALLENGE, challengeResult: false, challengeMetadata: PASSKEY_CUSTOM_CHALLENGE_METADATA };

const FOREIGN: readonly [string, CustomChallengeResult][] = [
  ["an SRP_A step", { challengeName: "SRP_A", challengeResult: true }],
  ["a PASSWORD_VERIFIER step", { challengeName: "PASSWORD_VERIFIER", challengeResult: true, challengeMetadata: PASSKEY_CUSTOM_CHALLENGE_METADATA }],
  ["an SMS_MFA step", { challengeName: "SMS_MFA", challengeResult: true }],
  ["a custom challenge without metadata", { challengeName: CUSTOM_CHALLENGE, challengeResult: true }],
  ["a custom challenge with null metadata", { challengeName: CUSTOM_CHALLENGE, challengeResult: true, challengeMetadata: null }],
  ["a custom challenge with lower-case metadata", { challengeName: CUSTOM_CHALLENGE, challengeResult: true, challengeMetadata: "passkey" }],
  ["a custom challenge with another trigger's metadata", { challengeName: CUSTOM_CHALLENGE, challengeResult: true, challengeMetadata: "OTP" }],
  ["a lower-case challenge name", { challengeName: "custom_challenge", challengeResult: true, challengeMetadata: PASSKEY_CUSTOM_CHALLENGE_METADATA }],
];

const TOKENS: SignInDecision = { kind: "issue_tokens" };
const CHALLENGE: SignInDecision = { kind: "issue_challenge", challengeName: CUSTOM_CHALLENGE };
const fail = (reason: SignInFailure): SignInDecision => ({ kind: "fail", reason });

describe("ChallengeStateMachine", () => {
  describe("policy", () => {
    it.each([0, -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY])("refuses maxAttempts %s", (maxAttempts) => {
      expect(() => new ChallengeStateMachine({ maxAttempts })).toThrow(/maxAttempts/);
    });

    it("allows one passkey answer by default", () => {
      expect(DEFAULT_CUSTOM_CHALLENGE_POLICY.maxAttempts).toBe(1);
      expect(new ChallengeStateMachine().decide([WRONG])).toEqual(fail("too_many_attempts"));
    });

    it("turns the passkey as a second factor off by default, and when the policy leaves it out", () => {
      expect(DEFAULT_CUSTOM_CHALLENGE_POLICY.secondFactor).toBe("off");
      const srpA: CustomChallengeResult = { challengeName: "SRP_A", challengeResult: true };
      expect(new ChallengeStateMachine().decide([srpA])).toEqual(fail("unexpected_challenge"));
      expect(new ChallengeStateMachine({ maxAttempts: 3 }).decide([srpA])).toEqual(fail("unexpected_challenge"));
    });
  });

  describe("initial", () => {
    it.each([true, false])("has nothing answered yet, the user's enrolment not known unless given (userExists %s)", (userExists) => {
      expect(new ChallengeStateMachine().initial(userExists)).toEqual({ kind: "started", userExists, passkeyEnrolled: false });
      expect(new ChallengeStateMachine().initial(userExists, true)).toEqual({ kind: "started", userExists, passkeyEnrolled: true });
    });

    it("treats a first passkey answer as an answer with no failed attempts before it", () => {
      const machine = new ChallengeStateMachine({ maxAttempts: 3 });
      for (const userExists of [true, false]) {
        for (const result of [RIGHT, WRONG]) {
          expect(machine.transition(machine.initial(userExists), result)).toEqual(machine.transition({ kind: "awaiting_answer", failedAttempts: 0, userExists }, result));
        }
      }
    });
  });

  describe("transition", () => {
    const machine = new ChallengeStateMachine({ maxAttempts: 3 });
    const awaiting = (failedAttempts: number, userExists = true): SignInState => ({ kind: "awaiting_answer", failedAttempts, userExists });

    it("succeeds on a right passkey answer from an existing user", () => {
      expect(machine.transition(awaiting(0), RIGHT)).toEqual({ kind: "succeeded" });
      expect(machine.transition(awaiting(2), RIGHT)).toEqual({ kind: "succeeded" });
    });

    it("counts a wrong answer while attempts remain", () => {
      expect(machine.transition(awaiting(0), WRONG)).toEqual(awaiting(1));
      expect(machine.transition(awaiting(1), WRONG)).toEqual(awaiting(2));
    });

    it("fails with too_many_attempts on the last allowed wrong answer", () => {
      expect(machine.transition(awaiting(2), WRONG)).toEqual({ kind: "failed", reason: "too_many_attempts" });
      expect(new ChallengeStateMachine({ maxAttempts: 1 }).transition(awaiting(0), WRONG)).toEqual({ kind: "failed", reason: "too_many_attempts" });
    });

    it("treats even a right answer for an unknown user as a failed attempt", () => {
      expect(machine.transition(awaiting(0, false), RIGHT)).toEqual(awaiting(1, false));
      expect(machine.transition(awaiting(1, false), WRONG)).toEqual(awaiting(2, false));
    });

    it("fails an unknown user with user_not_found once the attempts are used up", () => {
      expect(machine.transition(awaiting(2, false), RIGHT)).toEqual({ kind: "failed", reason: "user_not_found" });
      expect(new ChallengeStateMachine({ maxAttempts: 1 }).transition(awaiting(0, false), WRONG)).toEqual({ kind: "failed", reason: "user_not_found" });
    });

    it.each(FOREIGN)("fails on %s, whatever its result", (_label, result) => {
      for (const challengeResult of [true, false]) {
        expect(machine.transition(awaiting(0), { ...result, challengeResult })).toEqual({ kind: "failed", reason: "unexpected_challenge" });
        expect(machine.transition(awaiting(1, false), { ...result, challengeResult })).toEqual({ kind: "failed", reason: "unexpected_challenge" });
      }
    });

    it("fails anything that comes after a success", () => {
      for (const result of [RIGHT, WRONG, ...FOREIGN.map(([, r]) => r)]) {
        expect(machine.transition({ kind: "succeeded" }, result)).toEqual({ kind: "failed", reason: "unexpected_challenge" });
      }
    });

    it("keeps a failure, and its reason, whatever comes next", () => {
      for (const reason of ["too_many_attempts", "unexpected_challenge", "user_not_found", "wrong_password", "passkey_required"] as const) {
        const failed: SignInState = { kind: "failed", reason };
        for (const result of [RIGHT, WRONG, ...FOREIGN.map(([, r]) => r)]) expect(machine.transition(failed, result)).toEqual(failed);
      }
    });

    it.each([["the string \"true\"", "true"], ["1", 1], ["an object", {}], ["an array", []], ["null", null], ["undefined", undefined]])(
      "counts a challengeResult of %s, not the boolean true, as a wrong answer",
      (_label, challengeResult) => {
        // Cognito's events are JSON: the type says boolean, the wire may say anything.
        const junk = { ...RIGHT, challengeResult } as unknown as CustomChallengeResult;
        expect(machine.transition(awaiting(0), junk)).toEqual(awaiting(1));
        expect(machine.transition(awaiting(2), junk)).toEqual({ kind: "failed", reason: "too_many_attempts" });
        expect(new ChallengeStateMachine().decide([junk])).toEqual(fail("too_many_attempts"));
      },
    );

    it("never mutates the state it is given", () => {
      const state = Object.freeze(awaiting(1));
      expect(() => machine.transition(state, WRONG)).not.toThrow();
      expect(state).toEqual(awaiting(1));
    });
  });

  describe("decisionFor", () => {
    const machine = new ChallengeStateMachine();
    it("issues the passkey custom challenge at the start and while awaiting an answer", () => {
      expect(machine.decisionFor({ kind: "started", userExists: true, passkeyEnrolled: false })).toEqual(CHALLENGE);
      expect(machine.decisionFor({ kind: "awaiting_answer", failedAttempts: 0, userExists: false })).toEqual(CHALLENGE);
    });
    it("asks for the password verifier after SRP_A", () => {
      expect(machine.decisionFor({ kind: "awaiting_password", userExists: true, passkeyEnrolled: true })).toEqual({ kind: "issue_challenge", challengeName: "PASSWORD_VERIFIER" });
    });
    it("issues tokens after a success", () => {
      expect(machine.decisionFor({ kind: "succeeded" })).toEqual(TOKENS);
    });
    it.each(["too_many_attempts", "unexpected_challenge", "user_not_found", "wrong_password", "passkey_required"] as const)("fails with the reason of the failure (%s)", (reason) => {
      expect(machine.decisionFor({ kind: "failed", reason })).toEqual(fail(reason));
    });
  });

  describe("decide", () => {
    it("issues the first challenge for an empty history, known user or not", () => {
      expect(new ChallengeStateMachine().decide([])).toEqual(CHALLENGE);
      expect(new ChallengeStateMachine().decide([], false)).toEqual(CHALLENGE);
    });

    it("issues tokens for a right first answer", () => {
      expect(new ChallengeStateMachine().decide([RIGHT])).toEqual(TOKENS);
    });

    it("issues another challenge after a wrong answer while attempts remain, then tokens", () => {
      const machine = new ChallengeStateMachine({ maxAttempts: 3 });
      expect(machine.decide([WRONG])).toEqual(CHALLENGE);
      expect(machine.decide([WRONG, WRONG])).toEqual(CHALLENGE);
      expect(machine.decide([WRONG, WRONG, RIGHT])).toEqual(TOKENS);
      expect(machine.decide([WRONG, WRONG, WRONG])).toEqual(fail("too_many_attempts"));
    });

    it("never issues tokens to an unknown user", () => {
      const machine = new ChallengeStateMachine({ maxAttempts: 2 });
      expect(machine.decide([RIGHT], false)).toEqual(CHALLENGE);
      expect(machine.decide([RIGHT, RIGHT], false)).toEqual(fail("user_not_found"));
    });

    it("fails a history with a foreign step in it", () => {
      expect(new ChallengeStateMachine({ maxAttempts: 3 }).decide([WRONG, FOREIGN[0]![1], RIGHT])).toEqual(fail("unexpected_challenge"));
    });

    it("fails a second answer after a success", () => {
      expect(new ChallengeStateMachine({ maxAttempts: 3 }).decide([RIGHT, RIGHT])).toEqual(fail("unexpected_challenge"));
    });

    it("fails a request its shell could not decode, known user or not", () => {
      for (const userExists of [true, false]) expect(new ChallengeStateMachine({ maxAttempts: 3 }).decide("malformed", userExists)).toEqual(fail("malformed_request"));
    });

    it("defaults to an existing user", () => {
      expect(new ChallengeStateMachine().decide([RIGHT])).toEqual(new ChallengeStateMachine().decide([RIGHT], true));
    });
  });

  describe("properties", () => {
    const NUM_RUNS = 300;
    const isPasskeyAnswer = (r: CustomChallengeResult): boolean => r.challengeName === CUSTOM_CHALLENGE && r.challengeMetadata === PASSKEY_CUSTOM_CHALLENGE_METADATA;

    const foreignArb: fc.Arbitrary<CustomChallengeResult> = fc.oneof(
      fc.record({
        challengeName: fc.oneof(fc.constantFrom("SRP_A", "PASSWORD_VERIFIER", "SMS_MFA", "SOFTWARE_TOKEN_MFA", "custom_challenge", ""), fc.string()),
        challengeResult: fc.boolean(),
        challengeMetadata: fc.constantFrom(PASSKEY_CUSTOM_CHALLENGE_METADATA, null, undefined),
      }),
      fc.record({
        challengeName: fc.constant(CUSTOM_CHALLENGE),
        challengeResult: fc.boolean(),
        challengeMetadata: fc.oneof(fc.constantFrom(null, undefined, "passkey", "PASSKEY ", "OTP", ""), fc.string()),
      }),
    ).filter((r) => !isPasskeyAnswer(r));
    const answerArb = fc.constantFrom(RIGHT, WRONG);
    const resultArb = fc.oneof({ arbitrary: answerArb, weight: 4 }, { arbitrary: foreignArb, weight: 1 });
    const historyArb = fc.array(resultArb, { maxLength: 8 });
    const maxAttemptsArb = fc.integer({ min: 1, max: 5 });
    const setupArb = fc.record({ maxAttempts: maxAttemptsArb, userExists: fc.boolean(), history: historyArb });

    it("issues tokens exactly when an existing user's last entry is a right passkey answer after fewer than maxAttempts wrong ones", () => {
      fc.assert(
        fc.property(setupArb, ({ maxAttempts, userExists, history }) => {
          const decision = new ChallengeStateMachine({ maxAttempts }).decide(history, userExists);
          const last = history[history.length - 1];
          const before = history.slice(0, -1);
          const expected =
            userExists &&
            last !== undefined &&
            isPasskeyAnswer(last) &&
            last.challengeResult &&
            before.length < maxAttempts &&
            before.every((r) => isPasskeyAnswer(r) && !r.challengeResult);
          expect(decision.kind === "issue_tokens").toBe(expected);
        }),
        { numRuns: NUM_RUNS },
      );
    });

    it("only ever issues tokens when the last entry is a successful passkey answer", () => {
      fc.assert(
        fc.property(setupArb, ({ maxAttempts, userExists, history }) => {
          if (new ChallengeStateMachine({ maxAttempts }).decide(history, userExists).kind !== "issue_tokens") return;
          const last = history[history.length - 1]!;
          expect(last.challengeName).toBe(CUSTOM_CHALLENGE);
          expect(last.challengeMetadata).toBe(PASSKEY_CUSTOM_CHALLENGE_METADATA);
          expect(last.challengeResult).toBe(true);
          expect(userExists).toBe(true);
        }),
        { numRuns: NUM_RUNS },
      );
    });

    it("never allows more than maxAttempts passkey answers before failing", () => {
      fc.assert(
        fc.property(maxAttemptsArb, fc.boolean(), fc.array(answerArb, { maxLength: 10 }), (maxAttempts, userExists, history) => {
          const machine = new ChallengeStateMachine({ maxAttempts });
          for (let n = 0; n <= history.length; n++) {
            const decision = machine.decide(history.slice(0, n), userExists);
            if (decision.kind !== "fail") expect(n).toBeLessThanOrEqual(maxAttempts);
            if (decision.kind === "issue_challenge") expect(n).toBeLessThan(maxAttempts);
          }
          const wrongs = Array.from({ length: maxAttempts }, () => WRONG);
          expect(machine.decide(wrongs, userExists)).toEqual(fail(userExists ? "too_many_attempts" : "user_not_found"));
        }),
        { numRuns: NUM_RUNS },
      );
    });

    it("fails any history with a foreign step or foreign metadata in it", () => {
      fc.assert(
        fc.property(maxAttemptsArb, fc.boolean(), historyArb, foreignArb, historyArb, (maxAttempts, userExists, before, foreign, after) => {
          const decision = new ChallengeStateMachine({ maxAttempts }).decide([...before, foreign, ...after], userExists);
          expect(decision.kind).toBe("fail");
          if (before.every((r) => isPasskeyAnswer(r) && !r.challengeResult) && before.length < maxAttempts) {
            expect(decision).toEqual(fail("unexpected_challenge"));
          }
        }),
        { numRuns: NUM_RUNS },
      );
    });

    it("never issues tokens to an unknown user", () => {
      fc.assert(
        fc.property(maxAttemptsArb, historyArb, (maxAttempts, history) => {
          const machine = new ChallengeStateMachine({ maxAttempts });
          for (let n = 0; n <= history.length; n++) expect(machine.decide(history.slice(0, n), false).kind).not.toBe("issue_tokens");
        }),
        { numRuns: NUM_RUNS },
      );
    });

    it("keeps a failure, with its reason, whatever is appended", () => {
      fc.assert(
        fc.property(setupArb, fc.array(resultArb, { minLength: 1, maxLength: 6 }), ({ maxAttempts, userExists, history }, more) => {
          const machine = new ChallengeStateMachine({ maxAttempts });
          const decision = machine.decide(history, userExists);
          if (decision.kind !== "fail") return;
          expect(machine.decide([...history, ...more], userExists)).toEqual(decision);
        }),
        { numRuns: NUM_RUNS },
      );
    });

    it("turns anything appended after a success into a failure", () => {
      fc.assert(
        fc.property(setupArb, fc.array(resultArb, { minLength: 1, maxLength: 6 }), ({ maxAttempts, userExists, history }, more) => {
          const machine = new ChallengeStateMachine({ maxAttempts });
          if (machine.decide(history, userExists).kind !== "issue_tokens") return;
          expect(machine.decide([...history, ...more], userExists)).toEqual(fail("unexpected_challenge"));
        }),
        { numRuns: NUM_RUNS },
      );
    });

    it("decides a history the same as folding it one transition at a time, without touching it", () => {
      fc.assert(
        fc.property(setupArb, ({ maxAttempts, userExists, history }) => {
          const machine = new ChallengeStateMachine({ maxAttempts });
          const frozen = Object.freeze(history.map((r) => Object.freeze({ ...r })));
          let state = machine.initial(userExists);
          for (const result of frozen) state = machine.transition(state, result);
          expect(machine.decide(frozen, userExists)).toEqual(machine.decisionFor(state));
          expect(machine.decide(frozen, userExists)).toEqual(machine.decide(frozen, userExists));
        }),
        { numRuns: NUM_RUNS },
      );
    });
  });
});
