/**
 * Model-based test of DefineAuthChallenge's decisions against the accepted shapes of a sign-in (issue
 * 14, ADR 0023), written as a list: each history is spelled as a word over a small alphabet, and a word
 * gets tokens or a challenge only when it matches one of the shapes the policy, the user's existence and
 * their enrolment allow. Every other word fails. The oracle knows nothing of the machine's states.
 *
 * The histories are arbitrary words over the whole alphabet (with every prefix asked, as Cognito asks
 * Define after each round), and words near the accepted shapes (an accepted word, cut short, lengthened
 * or with one entry replaced, inserted or dropped), where a mistake would hide.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ChallengeStateMachine, type SignInDecision } from "../../../src/domain/custom-challenge/challenge-state-machine.js";
import { CUSTOM_CHALLENGE, PASSKEY_CUSTOM_CHALLENGE_METADATA, type CustomChallengeResult } from "../../../src/domain/custom-challenge/custom-challenge.js";
import { PASSWORD_VERIFIER, SECOND_FACTOR_POLICIES, SRP_A, type SecondFactorPolicy } from "../../../src/domain/custom-challenge/second-factor.js";

/**
 * The alphabet: A/a SRP_A right/wrong, P/p PASSWORD_VERIFIER right/wrong, R/W keyport's passkey custom
 * challenge (metadata PASSKEY) right/wrong, X a custom challenge with other or no metadata, O any other
 * challenge name (X and O with either result).
 */
type Letter = "A" | "a" | "P" | "p" | "R" | "W" | "X" | "O";

interface Setup {
  readonly secondFactor: SecondFactorPolicy;
  readonly userExists: boolean;
  readonly enrolled: boolean;
  readonly maxAttempts: number;
}

type Answer = "tokens" | typeof CUSTOM_CHALLENGE | typeof PASSWORD_VERIFIER;

interface Shape {
  readonly name: string;
  /** The word, as a regular expression over the alphabet; `m` is maxAttempts. */
  readonly word: (m: number) => string;
  readonly answer: Answer;
  readonly when: (setup: Setup) => boolean;
}

const secondFactorOn = (s: Setup): boolean => s.secondFactor !== "off";

/** The accepted shapes, as the issue lists them. Nothing else gets tokens or a challenge. */
const SHAPES: readonly Shape[] = [
  { name: "passkey: awaiting an answer", word: (m) => `W{0,${m - 1}}`, answer: CUSTOM_CHALLENGE, when: (s) => s.userExists },
  { name: "passkey: right answer", word: (m) => `W{0,${m - 1}}R`, answer: "tokens", when: (s) => s.userExists },
  // An unknown user is asked for passkeys until the attempts run out; a right answer counts as a wrong one.
  { name: "passkey: unknown user", word: (m) => `[RW]{0,${m - 1}}`, answer: CUSTOM_CHALLENGE, when: (s) => !s.userExists },
  // Also for an unknown user, so the answer reveals nothing.
  { name: "password: SRP_A", word: () => "A", answer: PASSWORD_VERIFIER, when: secondFactorOn },
  { name: "password + passkey: awaiting an answer", word: (m) => `APW{0,${m - 1}}`, answer: CUSTOM_CHALLENGE, when: (s) => secondFactorOn(s) && s.userExists && s.enrolled },
  { name: "password + passkey: right answer", word: (m) => `APW{0,${m - 1}}R`, answer: "tokens", when: (s) => secondFactorOn(s) && s.userExists && s.enrolled },
  { name: "password alone, no passkey enrolled", word: () => "AP", answer: "tokens", when: (s) => s.secondFactor === "if-enrolled" && s.userExists && !s.enrolled },
];

/** The shape a word matches under a setup, if any (at most one does: checked). */
function shapeOf(setup: Setup, word: string): Shape | null {
  const matches = SHAPES.filter((shape) => shape.when(setup) && new RegExp(`^(?:${shape.word(setup.maxAttempts)})$`).test(word));
  expect(matches.length).toBeLessThanOrEqual(1);
  return matches[0] ?? null;
}

function answerOf(decision: SignInDecision): Answer | "fail" {
  switch (decision.kind) {
    case "issue_tokens":
      return "tokens";
    case "issue_challenge":
      return decision.challengeName;
    case "fail":
      return "fail";
  }
}

// ---------------------------------------------------------------------------------------------------
// Generators

interface Entry {
  readonly letter: Letter;
  readonly result: CustomChallengeResult;
}

/** SRP steps come from Cognito, without metadata; what metadata they carry does not matter. */
const srpMetadata = fc.constantFrom(undefined, null, PASSKEY_CUSTOM_CHALLENGE_METADATA);
const srp = (challengeName: string, challengeResult: boolean, letter: Letter): fc.Arbitrary<Entry> =>
  srpMetadata.map((challengeMetadata) => ({ letter, result: { challengeName, challengeResult, challengeMetadata } }));
const OTHER_NAMES = ["SMS_MFA", "SOFTWARE_TOKEN_MFA", "NEW_PASSWORD_REQUIRED", "DEVICE_SRP_AUTH", "srp_a", "password_verifier", "custom_challenge", "SRP_A ", ""];

const letterArb: Record<Letter, fc.Arbitrary<Entry>> = {
  A: srp(SRP_A, true, "A"),
  a: srp(SRP_A, false, "a"),
  P: srp(PASSWORD_VERIFIER, true, "P"),
  p: srp(PASSWORD_VERIFIER, false, "p"),
  R: fc.constant({ letter: "R", result: { challengeName: CUSTOM_CHALLENGE, challengeResult: true, challengeMetadata: PASSKEY_CUSTOM_CHALLENGE_METADATA } }),
  W: fc.constant({ letter: "W", result: { challengeName: CUSTOM_CHALLENGE, challengeResult: false, challengeMetadata: PASSKEY_CUSTOM_CHALLENGE_METADATA } }),
  X: fc
    .record({
      challengeResult: fc.boolean(),
      challengeMetadata: fc.oneof(fc.constantFrom(undefined, null, "", "passkey", "PASSKEY ", "OTP"), fc.string({ maxLength: 8 })),
    })
    .filter((r) => r.challengeMetadata !== PASSKEY_CUSTOM_CHALLENGE_METADATA)
    .map((r) => ({ letter: "X", result: { challengeName: CUSTOM_CHALLENGE, ...r } })),
  O: fc
    .record({
      challengeName: fc.oneof(fc.constantFrom(...OTHER_NAMES), fc.string({ maxLength: 8 })),
      challengeResult: fc.boolean(),
      challengeMetadata: fc.constantFrom(undefined, null, PASSKEY_CUSTOM_CHALLENGE_METADATA),
    })
    .filter((r) => r.challengeName !== SRP_A && r.challengeName !== PASSWORD_VERIFIER && r.challengeName !== CUSTOM_CHALLENGE)
    .map((result) => ({ letter: "O", result })),
};

const entryArb: fc.Arbitrary<Entry> = fc.oneof(
  { weight: 3, arbitrary: letterArb.A },
  { weight: 1, arbitrary: letterArb.a },
  { weight: 3, arbitrary: letterArb.P },
  { weight: 1, arbitrary: letterArb.p },
  { weight: 3, arbitrary: letterArb.R },
  { weight: 3, arbitrary: letterArb.W },
  { weight: 1, arbitrary: letterArb.X },
  { weight: 1, arbitrary: letterArb.O },
);

const entries = (letters: readonly Letter[]): fc.Arbitrary<Entry[]> =>
  letters.length === 0 ? fc.constant([]) : fc.tuple(...letters.map((letter) => letterArb[letter]));

/** An accepted-looking word (an optional password prefix, wrong answers, an optional right one), then mutated. */
const nearShapeArb: fc.Arbitrary<Entry[]> = fc
  .record({
    prefix: fc.constantFrom<Letter[]>([], ["A"], ["A", "P"]),
    wrongs: fc.integer({ min: 0, max: 5 }),
    last: fc.constantFrom<Letter[]>([], ["R"]),
    tail: fc.array(entryArb, { maxLength: 2 }),
    mutation: fc.option(fc.record({ op: fc.constantFrom("replace", "insert", "drop"), at: fc.nat(), entry: entryArb }), { freq: 2 }),
  })
  .chain(({ prefix, wrongs, last, tail, mutation }) =>
    entries([...prefix, ...Array.from({ length: wrongs }, (): Letter => "W"), ...last]).map((word) => {
      const history = [...word, ...tail];
      if (mutation === null) return history;
      const at = mutation.at % (history.length + 1);
      if (mutation.op === "insert") return [...history.slice(0, at), mutation.entry, ...history.slice(at)];
      if (at === history.length) return history;
      return [...history.slice(0, at), ...(mutation.op === "replace" ? [mutation.entry] : []), ...history.slice(at + 1)];
    }),
  );

const historyArb = fc.oneof({ weight: 1, arbitrary: fc.array(entryArb, { maxLength: 8 }) }, { weight: 2, arbitrary: nearShapeArb });

const setupArb: fc.Arbitrary<Setup> = fc.record({
  secondFactor: fc.constantFrom(...SECOND_FACTOR_POLICIES),
  userExists: fc.boolean(),
  enrolled: fc.boolean(),
  maxAttempts: fc.integer({ min: 1, max: 5 }),
});

// ---------------------------------------------------------------------------------------------------

describe("ChallengeStateMachine against the list of accepted shapes", () => {
  it("issues tokens only for exactly the accepted shapes, asks for the right challenge otherwise, and fails the rest", () => {
    const seen = new Set<string>();
    fc.assert(
      fc.property(setupArb, historyArb, (setup, history) => {
        const machine = new ChallengeStateMachine({ maxAttempts: setup.maxAttempts, secondFactor: setup.secondFactor });
        // Cognito asks after every round: every prefix is a history Define sees.
        for (let n = 0; n <= history.length; n++) {
          const prefix = history.slice(0, n);
          const word = prefix.map((entry) => entry.letter).join("");
          const shape = shapeOf(setup, word);
          const results = prefix.map((entry) => entry.result);
          const decision = machine.decide(results, setup.userExists, setup.enrolled);
          expect(answerOf(decision), `${setup.secondFactor} userExists=${setup.userExists} enrolled=${setup.enrolled} m=${setup.maxAttempts} "${word}"`).toBe(
            shape === null ? "fail" : shape.answer,
          );
          // The same, folded one transition at a time, as a long-lived trigger would.
          let state = machine.initial(setup.userExists, setup.enrolled);
          for (const result of results) state = machine.transition(state, result);
          expect(machine.decisionFor(state)).toEqual(decision);
          seen.add(`${setup.secondFactor}: ${shape === null ? "fail" : shape.name}`);
        }
      }),
      { numRuns: 2000 },
    );
    // Every shape was reached under every policy that allows it, and failures under all three.
    const expected = SECOND_FACTOR_POLICIES.flatMap((policy) =>
      ["fail", ...SHAPES.filter((shape) => [true, false].some((userExists) => [true, false].some((enrolled) => shape.when({ secondFactor: policy, userExists, enrolled, maxAttempts: 1 })))).map((shape) => shape.name)].map(
        (name) => `${policy}: ${name}`,
      ),
    );
    expect([...seen].sort()).toEqual(expected.sort());
  });

  it("never issues tokens to a user Cognito did not find, under any policy, enrolled or not", () => {
    fc.assert(
      fc.property(setupArb, historyArb, (setup, history) => {
        const machine = new ChallengeStateMachine({ maxAttempts: setup.maxAttempts, secondFactor: setup.secondFactor });
        for (let n = 0; n <= history.length; n++) {
          expect(machine.decide(history.slice(0, n).map((entry) => entry.result), false, setup.enrolled).kind).not.toBe("issue_tokens");
        }
      }),
      { numRuns: 500 },
    );
  });

  it("decides passkey-only histories the same under every policy", () => {
    const passkeyOnly = fc.array(fc.oneof(letterArb.R, letterArb.W, letterArb.X, letterArb.O), { maxLength: 7 });
    fc.assert(
      fc.property(setupArb, passkeyOnly, (setup, history) => {
        const results = history.map((entry) => entry.result);
        const decisions = SECOND_FACTOR_POLICIES.map((secondFactor) =>
          new ChallengeStateMachine({ maxAttempts: setup.maxAttempts, secondFactor }).decide(results, setup.userExists, setup.enrolled),
        );
        for (const decision of decisions) expect(decision).toEqual(decisions[0]);
      }),
      { numRuns: 500 },
    );
  });
});
