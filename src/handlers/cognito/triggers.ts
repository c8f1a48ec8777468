/**
 * The three custom-challenge triggers as shells: each decodes Cognito's event, calls one domain
 * method, and writes the answer into `event.response`. Cognito invokes them on AWS; the local identity
 * provider invokes the very same functions in-process (they implement the CustomChallengeTriggers port).
 *
 * Each trigger has its own factory taking only what it uses, so that DefineAuthChallenge (a Lambda
 * function of its own, with no storage) is built without a passkey custom challenge.
 */
import type { ChallengeStateMachine } from "../../domain/custom-challenge/challenge-state-machine.js";
import { CUSTOM_CHALLENGE } from "../../domain/custom-challenge/custom-challenge.js";
import type { PasskeyCustomChallenge } from "../../domain/custom-challenge/passkey-custom-challenge.js";
import type {
  CreateAuthChallengeEvent,
  CustomChallengeTriggers,
  DefineAuthChallengeEvent,
  VerifyAuthChallengeResponseEvent,
} from "../../ports/custom-challenge-triggers.js";

/** Where triggers report what happened, without secrets: no answers, no challenges, no tokens. */
export type TriggerLog = (entry: Record<string, unknown>) => void;

const silent: TriggerLog = () => {};

/** DefineAuthChallenge: folds Cognito's session history through the state machine. */
export function defineAuthChallengeTrigger(deps: {
  readonly stateMachine: ChallengeStateMachine;
  readonly log?: TriggerLog;
}): (event: DefineAuthChallengeEvent) => Promise<DefineAuthChallengeEvent> {
  const log = deps.log ?? silent;
  return async (event) => {
    const history = Array.isArray(event.request.session) ? event.request.session : [];
    const decision = deps.stateMachine.decide(history, event.request.userNotFound !== true);
    event.response.issueTokens = decision.kind === "issue_tokens";
    event.response.failAuthentication = decision.kind === "fail";
    if (decision.kind === "issue_challenge") event.response.challengeName = CUSTOM_CHALLENGE;
    if (decision.kind === "fail") log({ trigger: "define_auth_challenge", outcome: "fail", reason: decision.reason });
    return event;
  };
}

/** CreateAuthChallenge: issues the passkey custom challenge for the user Cognito names. */
export function createAuthChallengeTrigger(deps: {
  readonly passkeyCustomChallenge: Pick<PasskeyCustomChallenge, "issue">;
}): (event: CreateAuthChallengeEvent) => Promise<CreateAuthChallengeEvent> {
  return async (event) => {
    const issued = await deps.passkeyCustomChallenge.issue(event.userName);
    event.response.publicChallengeParameters = { ...issued.publicParameters };
    event.response.privateChallengeParameters = { ...issued.privateParameters };
    event.response.challengeMetadata = issued.metadata;
    return event;
  };
}

/** VerifyAuthChallengeResponse: verifies the passkey answer against what Create kept. */
export function verifyAuthChallengeResponseTrigger(deps: {
  readonly passkeyCustomChallenge: Pick<PasskeyCustomChallenge, "verify">;
  readonly log?: TriggerLog;
}): (event: VerifyAuthChallengeResponseEvent) => Promise<VerifyAuthChallengeResponseEvent> {
  const log = deps.log ?? silent;
  return async (event) => {
    const answer = typeof event.request.challengeAnswer === "string" ? event.request.challengeAnswer : "";
    const verified = await deps.passkeyCustomChallenge.verify(event.userName, answer, event.request.privateChallengeParameters ?? {});
    // An unknown user can never answer correctly, whatever the answer says.
    event.response.answerCorrect = verified.ok && event.request.userNotFound !== true;
    log({ trigger: "verify_auth_challenge_response", outcome: verified.ok ? "verified" : "rejected", code: verified.ok ? undefined : verified.error });
    return event;
  };
}

/** All three, for an identity provider that runs them together (the local one). */
export function createCustomChallengeTriggers(deps: {
  readonly stateMachine: ChallengeStateMachine;
  readonly passkeyCustomChallenge: PasskeyCustomChallenge;
  readonly log?: TriggerLog;
}): CustomChallengeTriggers {
  return {
    defineAuthChallenge: defineAuthChallengeTrigger(deps),
    createAuthChallenge: createAuthChallengeTrigger(deps),
    verifyAuthChallengeResponse: verifyAuthChallengeResponseTrigger(deps),
  };
}
