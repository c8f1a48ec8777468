/**
 * Model-based test of the DefineAuthChallenge decisions: Cognito appends one result per round to the
 * session history and asks the trigger again. Commands append results; after each one the machine's
 * decision for the whole history must match a deliberately simple model of the sign-in rules.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  ChallengeStateMachine,
  type SignInDecision,
  type SignInFailure,
  type SignInState,
} from "../../../src/domain/custom-challenge/challenge-state-machine.js";
import { CUSTOM_CHALLENGE, PASSKEY_CUSTOM_CHALLENGE_METADATA, type CustomChallengeResult } from "../../../src/domain/custom-challenge/custom-challenge.js";

/** The rules as a product owner would state them. */
interface SignInModel {
  readonly maxAttempts: number;
  readonly userExists: boolean;
  /** Passkey answers Cognito has reported so far. */
  answers: number;
  outcome: "open" | "signed_in" | SignInFailure;
  /** Every outcome the model passed through, for the test's coverage check. */
  readonly seen: Set<string>;
}

interface SignInReal {
  readonly machine: ChallengeStateMachine;
  readonly userExists: boolean;
  readonly history: CustomChallengeResult[];
  /** The same history folded one transition at a time, as a long-lived trigger would. */
  state: SignInState;
}

function expectedDecision(model: SignInModel): SignInDecision {
  if (model.outcome === "open") return { kind: "issue_challenge", challengeName: CUSTOM_CHALLENGE };
  if (model.outcome === "signed_in") return { kind: "issue_tokens" };
  return { kind: "fail", reason: model.outcome };
}

/** Appends a result to the history and checks the decision against the model. */
abstract class AppendResult implements fc.AsyncCommand<SignInModel, SignInReal> {
  protected abstract readonly result: CustomChallengeResult;
  protected abstract apply(model: SignInModel): void;
  abstract toString(): string;

  check(): boolean {
    return true;
  }

  async run(model: SignInModel, real: SignInReal): Promise<void> {
    if (model.outcome === "signed_in") model.outcome = "unexpected_challenge"; // nothing may follow a success
    else if (model.outcome === "open") this.apply(model);

    real.history.push(this.result);
    real.state = real.machine.transition(real.state, this.result);

    const expected = expectedDecision(model);
    expect(real.machine.decide(real.history, real.userExists)).toEqual(expected);
    expect(real.machine.decisionFor(real.state)).toEqual(expected);
    model.seen.add(model.outcome);
  }
}

class RightAnswer extends AppendResult {
  protected readonly result: CustomChallengeResult = { challengeName: CUSTOM_CHALLENGE, challengeResult: true, challengeMetadata: PASSKEY_CUSTOM_CHALLENGE_METADATA };
  protected apply(model: SignInModel): void {
    model.answers += 1;
    if (model.userExists) model.outcome = "signed_in";
    else if (model.answers >= model.maxAttempts) model.outcome = "user_not_found";
  }
  toString(): string {
    return "RightAnswer";
  }
}

class WrongAnswer extends AppendResult {
  protected readonly result: CustomChallengeResult = { challengeName: CUSTOM_CHALLENGE, challengeResult: false, challengeMetadata: PASSKEY_CUSTOM_CHALLENGE_METADATA };
  protected apply(model: SignInModel): void {
    model.answers += 1;
    if (model.answers >= model.maxAttempts) model.outcome = model.userExists ? "too_many_attempts" : "user_not_found";
  }
  toString(): string {
    return "WrongAnswer";
  }
}

/** A step that is not keyport's passkey challenge: another challenge type, or a custom challenge of another trigger. */
class ForeignChallenge extends AppendResult {
  constructor(protected readonly result: CustomChallengeResult) {
    super();
  }
  protected apply(model: SignInModel): void {
    model.outcome = "unexpected_challenge";
  }
  toString(): string {
    return `ForeignChallenge(${JSON.stringify(this.result)})`;
  }
}

const foreignResult: fc.Arbitrary<CustomChallengeResult> = fc.oneof(
  fc.record({
    challengeName: fc.constantFrom("SRP_A", "PASSWORD_VERIFIER", "SMS_MFA", "SOFTWARE_TOKEN_MFA"),
    challengeResult: fc.boolean(),
    challengeMetadata: fc.constantFrom(PASSKEY_CUSTOM_CHALLENGE_METADATA, null, undefined),
  }),
  fc.record({
    challengeName: fc.constant(CUSTOM_CHALLENGE),
    challengeResult: fc.boolean(),
    challengeMetadata: fc.constantFrom(null, undefined, "passkey", "OTP", ""),
  }),
);

const commandsArb = fc.commands(
  [
    fc.constant(new RightAnswer()),
    fc.constant(new WrongAnswer()),
    fc.constant(new WrongAnswer()), // wrong answers twice as likely, so attempt limits are reached
    foreignResult.map((result) => new ForeignChallenge(result)),
  ],
  { maxCommands: 8 },
);

describe("ChallengeStateMachine against a model of the sign-in rules", () => {
  it("decides every growing history as the model does, for maxAttempts 1 and 3, known and unknown users", async () => {
    const seenSetups = new Set<string>();
    const seenOutcomes = new Set<string>();

    await fc.assert(
      fc.asyncProperty(fc.constantFrom(1, 3), fc.boolean(), commandsArb, async (maxAttempts, userExists, cmds) => {
        seenSetups.add(`${maxAttempts}/${userExists}`);
        await fc.asyncModelRun(() => {
          const machine = new ChallengeStateMachine({ maxAttempts });
          const model: SignInModel = { maxAttempts, userExists, answers: 0, outcome: "open", seen: seenOutcomes };
          return { model, real: { machine, userExists, history: [], state: machine.initial(userExists) } };
        }, cmds);
      }),
      { numRuns: 300 },
    );

    expect([...seenSetups].sort()).toEqual(["1/false", "1/true", "3/false", "3/true"]);
    expect([...seenOutcomes].sort()).toEqual(["open", "signed_in", "too_many_attempts", "unexpected_challenge", "user_not_found"]);
  });
});
