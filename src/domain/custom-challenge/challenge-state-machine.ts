/**
 * The decisions behind Cognito's custom authentication (the DefineAuthChallenge trigger), as pure
 * transitions over a closed set of states. Cognito hands the trigger the history of a sign-in session;
 * folding the history through `transition` gives the state, and the state gives the decision.
 */
import { CUSTOM_CHALLENGE, PASSKEY_CUSTOM_CHALLENGE_METADATA, type CustomChallengeResult } from "./custom-challenge.js";

export type SignInFailure = "too_many_attempts" | "unexpected_challenge" | "user_not_found" | "malformed_request";

/**
 * What DefineAuthChallenge's shell makes of Cognito's request: the session history it decoded, or
 * "malformed" when the request is not what Cognito documents (a session that is not an array of
 * challenge results, a `userNotFound` that is neither absent nor a boolean). A malformed request fails
 * the sign-in: the trigger cannot tell what happened, so it does not guess.
 */
export type SignInHistory = readonly CustomChallengeResult[] | "malformed";

export type SignInState =
  /** Waiting for a passkey answer; `failedAttempts` answers were wrong so far. */
  | { readonly kind: "awaiting_answer"; readonly failedAttempts: number; readonly userExists: boolean }
  | { readonly kind: "succeeded" }
  | { readonly kind: "failed"; readonly reason: SignInFailure };

export type SignInDecision =
  | { readonly kind: "issue_challenge" }
  | { readonly kind: "issue_tokens" }
  | { readonly kind: "fail"; readonly reason: SignInFailure };

export interface CustomChallengePolicy {
  /** Passkey answers allowed in one sign-in session; 1 unless configured otherwise. */
  readonly maxAttempts: number;
}

export const DEFAULT_CUSTOM_CHALLENGE_POLICY: CustomChallengePolicy = { maxAttempts: 1 };

export class ChallengeStateMachine {
  constructor(private readonly policy: CustomChallengePolicy = DEFAULT_CUSTOM_CHALLENGE_POLICY) {
    if (!Number.isInteger(policy.maxAttempts) || policy.maxAttempts < 1) throw new Error("maxAttempts must be a positive integer");
  }

  /**
   * Where a sign-in starts. For a user who does not exist (Cognito's `userNotFound` under
   * `preventUserExistenceErrors`) a challenge is still issued, so the answer reveals nothing, but no
   * answer can ever succeed.
   */
  initial(userExists: boolean): SignInState {
    return { kind: "awaiting_answer", failedAttempts: 0, userExists };
  }

  /**
   * The state after one more challenge result. `succeeded` and `failed` are final: anything after them
   * fails. Only a `challengeResult` that is the boolean `true` is a right answer; anything else the wire
   * may carry (`"true"`, `1`, nothing) counts as a wrong one.
   */
  transition(state: SignInState, result: CustomChallengeResult): SignInState {
    if (state.kind === "failed") return state;
    if (state.kind === "succeeded") return { kind: "failed", reason: "unexpected_challenge" };
    const ours = result.challengeName === CUSTOM_CHALLENGE && result.challengeMetadata === PASSKEY_CUSTOM_CHALLENGE_METADATA;
    if (!ours) return { kind: "failed", reason: "unexpected_challenge" };
    if (result.challengeResult === true && state.userExists) return { kind: "succeeded" };
    const failedAttempts = state.failedAttempts + 1;
    if (!state.userExists && failedAttempts >= this.policy.maxAttempts) return { kind: "failed", reason: "user_not_found" };
    if (failedAttempts >= this.policy.maxAttempts) return { kind: "failed", reason: "too_many_attempts" };
    return { ...state, failedAttempts };
  }

  decisionFor(state: SignInState): SignInDecision {
    switch (state.kind) {
      case "awaiting_answer":
        return { kind: "issue_challenge" };
      case "succeeded":
        return { kind: "issue_tokens" };
      case "failed":
        return { kind: "fail", reason: state.reason };
    }
  }

  /** The decision for a whole session history: what DefineAuthChallenge answers. */
  decide(history: SignInHistory, userExists = true): SignInDecision {
    if (history === "malformed") return { kind: "fail", reason: "malformed_request" };
    return this.decisionFor(history.reduce((state, result) => this.transition(state, result), this.initial(userExists)));
  }
}
