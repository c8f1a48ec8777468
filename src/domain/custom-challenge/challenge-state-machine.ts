/**
 * The decisions behind Cognito's custom authentication (the DefineAuthChallenge trigger), as pure
 * transitions over a closed set of states. Cognito hands the trigger the history of a sign-in session;
 * folding the history through `transition` gives the state, and the state gives the decision.
 *
 * Two shapes of history can end in tokens (ADR 0023):
 * - passkey only: wrong passkey answers, fewer than `maxAttempts`, then a right one;
 * - a password, then the passkey (Cognito's custom authentication started with SRP): `SRP_A` and a
 *   verified `PASSWORD_VERIFIER`, then the same passkey rounds, when the second-factor policy is not
 *   `off`; under `if-enrolled` a user without a passkey gets tokens right after the password.
 * Every other history fails, and nothing can follow a final state.
 */
import { CUSTOM_CHALLENGE, PASSKEY_CUSTOM_CHALLENGE_METADATA, type CustomChallengeResult } from "./custom-challenge.js";
import { PASSWORD_VERIFIER, SECOND_FACTOR_POLICIES, SRP_A, type SecondFactorPolicy } from "./second-factor.js";

export type SignInFailure =
  | "too_many_attempts"
  | "unexpected_challenge"
  | "user_not_found"
  | "malformed_request"
  /** Cognito reported the password wrong (`PASSWORD_VERIFIER` not answered). */
  | "wrong_password"
  /** The password was right, but the policy is `required` and the user has no passkey. */
  | "passkey_required";

/**
 * What DefineAuthChallenge's shell makes of Cognito's request: the session history it decoded, or
 * "malformed" when the request is not what Cognito documents (a session that is not an array of
 * challenge results, a `userNotFound` that is neither absent nor a boolean, user attributes that are
 * not strings). A malformed request fails the sign-in: the trigger cannot tell what happened, so it
 * does not guess.
 */
export type SignInHistory = readonly CustomChallengeResult[] | "malformed";

/** The challenges DefineAuthChallenge asks Cognito for: the password's second step, or keyport's passkey. */
export type RequestedChallenge = typeof PASSWORD_VERIFIER | typeof CUSTOM_CHALLENGE;

export type SignInState =
  /**
   * Nothing answered yet: a passkey answer may come, or (when the second-factor policy is not `off`)
   * Cognito's `SRP_A`, the first step of a password. `passkeyEnrolled` is what the user's attributes say.
   */
  | { readonly kind: "started"; readonly userExists: boolean; readonly passkeyEnrolled: boolean }
  /** `SRP_A` was accepted: Cognito checks the password next, and reports it as `PASSWORD_VERIFIER`. */
  | { readonly kind: "awaiting_password"; readonly userExists: boolean; readonly passkeyEnrolled: boolean }
  /** Waiting for a passkey answer; `failedAttempts` answers were wrong so far. */
  | { readonly kind: "awaiting_answer"; readonly failedAttempts: number; readonly userExists: boolean }
  | { readonly kind: "succeeded" }
  | { readonly kind: "failed"; readonly reason: SignInFailure };

export type SignInDecision =
  | { readonly kind: "issue_challenge"; readonly challengeName: RequestedChallenge }
  | { readonly kind: "issue_tokens" }
  | { readonly kind: "fail"; readonly reason: SignInFailure };

export interface CustomChallengePolicy {
  /** Passkey answers allowed in one sign-in session; 1 unless configured otherwise. */
  readonly maxAttempts: number;
  /** Whether a password sign-in (an SRP prefix) may lead to the passkey, and what a user without one gets; `off` when absent. */
  readonly secondFactor?: SecondFactorPolicy;
}

export const DEFAULT_CUSTOM_CHALLENGE_POLICY: CustomChallengePolicy = { maxAttempts: 1, secondFactor: "off" };

const failed = (reason: SignInFailure): SignInState => ({ kind: "failed", reason });

export class ChallengeStateMachine {
  readonly #maxAttempts: number;
  readonly #secondFactor: SecondFactorPolicy;

  constructor(policy: CustomChallengePolicy = DEFAULT_CUSTOM_CHALLENGE_POLICY) {
    if (!Number.isInteger(policy.maxAttempts) || policy.maxAttempts < 1) throw new Error("maxAttempts must be a positive integer");
    const secondFactor = policy.secondFactor === undefined ? "off" : policy.secondFactor;
    // Checked at run time too: a JavaScript caller's typo must not pass for a policy.
    if (!SECOND_FACTOR_POLICIES.includes(secondFactor)) throw new Error(`secondFactor must be one of ${SECOND_FACTOR_POLICIES.join(", ")}`);
    this.#maxAttempts = policy.maxAttempts;
    this.#secondFactor = secondFactor;
  }

  /**
   * Where a sign-in starts. For a user who does not exist (Cognito's `userNotFound` under
   * `preventUserExistenceErrors`) challenges are still issued, so the answers reveal nothing, but no
   * answer can ever succeed. `passkeyEnrolled` only matters after a password.
   */
  initial(userExists: boolean, passkeyEnrolled = false): SignInState {
    return { kind: "started", userExists, passkeyEnrolled };
  }

  /**
   * The state after one more challenge result. `succeeded` and `failed` are final: anything after them
   * fails. Only a `challengeResult` that is the boolean `true` is a right answer; anything else the wire
   * may carry (`"true"`, `1`, nothing) counts as a wrong one.
   */
  transition(state: SignInState, result: CustomChallengeResult): SignInState {
    switch (state.kind) {
      case "failed":
        return state;
      case "succeeded":
        return failed("unexpected_challenge");
      case "started":
        if (result.challengeName === SRP_A) {
          // Under `off` a password is not a way in here, right or wrong; nor is an SRP step Cognito did not accept.
          if (this.#secondFactor === "off" || result.challengeResult !== true) return failed("unexpected_challenge");
          return { kind: "awaiting_password", userExists: state.userExists, passkeyEnrolled: state.passkeyEnrolled };
        }
        return this.#passkeyAnswer({ failedAttempts: 0, userExists: state.userExists }, result);
      case "awaiting_password":
        if (result.challengeName !== PASSWORD_VERIFIER) return failed("unexpected_challenge");
        if (result.challengeResult !== true) return failed("wrong_password");
        return this.#afterPassword(state);
      case "awaiting_answer":
        return this.#passkeyAnswer(state, result);
    }
  }

  decisionFor(state: SignInState): SignInDecision {
    switch (state.kind) {
      case "started":
      case "awaiting_answer":
        return { kind: "issue_challenge", challengeName: CUSTOM_CHALLENGE };
      case "awaiting_password":
        return { kind: "issue_challenge", challengeName: PASSWORD_VERIFIER };
      case "succeeded":
        return { kind: "issue_tokens" };
      case "failed":
        return { kind: "fail", reason: state.reason };
    }
  }

  /**
   * The decision for a whole session history: what DefineAuthChallenge answers. `passkeyEnrolled` is
   * what the user's `custom:passkey_enrolled` attribute says; it decides only what follows a password.
   */
  decide(history: SignInHistory, userExists = true, passkeyEnrolled = false): SignInDecision {
    if (history === "malformed") return { kind: "fail", reason: "malformed_request" };
    return this.decisionFor(history.reduce((state, result) => this.transition(state, result), this.initial(userExists, passkeyEnrolled)));
  }

  /**
   * A verified password. A user Cognito did not find cannot have one, and never gets tokens: that
   * history fails. A user with a passkey must answer it, whatever the policy; one without gets tokens
   * under `if-enrolled` and fails under `required`. (Under `off` no password gets this far.)
   */
  #afterPassword(state: { readonly userExists: boolean; readonly passkeyEnrolled: boolean }): SignInState {
    if (!state.userExists) return failed("user_not_found");
    if (state.passkeyEnrolled) return { kind: "awaiting_answer", failedAttempts: 0, userExists: true };
    switch (this.#secondFactor) {
      case "if-enrolled":
        return { kind: "succeeded" };
      case "required":
        return failed("passkey_required");
      case "off":
        return failed("unexpected_challenge");
    }
  }

  /** One passkey round: only keyport's own custom challenge counts, and wrong answers are limited. */
  #passkeyAnswer(state: { readonly failedAttempts: number; readonly userExists: boolean }, result: CustomChallengeResult): SignInState {
    const ours = result.challengeName === CUSTOM_CHALLENGE && result.challengeMetadata === PASSKEY_CUSTOM_CHALLENGE_METADATA;
    if (!ours) return failed("unexpected_challenge");
    if (result.challengeResult === true && state.userExists) return { kind: "succeeded" };
    const failedAttempts = state.failedAttempts + 1;
    if (!state.userExists && failedAttempts >= this.#maxAttempts) return failed("user_not_found");
    if (failedAttempts >= this.#maxAttempts) return failed("too_many_attempts");
    return { kind: "awaiting_answer", failedAttempts, userExists: state.userExists };
  }
}
