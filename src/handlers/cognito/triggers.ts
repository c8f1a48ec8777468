/**
 * The three custom-challenge triggers as shells: each decodes Cognito's event (trigger-requests.ts),
 * calls one domain method, and writes its answer as `event.response`, a fresh object holding only what
 * keyport decided. They fail closed: whatever an event holds that Cognito does not document, they do
 * not throw for it, Define issues no tokens and Verify finds no answer correct. Cognito invokes them
 * on AWS; the local identity provider invokes the very same functions in-process (they implement the
 * CustomChallengeTriggers port).
 *
 * Each trigger has its own factory taking only what it uses, so that DefineAuthChallenge (a Lambda
 * function of its own, with no storage) is built without a passkey custom challenge.
 */
import type { ChallengeStateMachine } from "../../domain/custom-challenge/challenge-state-machine.js";
import type { PasskeyCustomChallenge } from "../../domain/custom-challenge/passkey-custom-challenge.js";
import type {
  CreateAuthChallengeEvent,
  CustomChallengeTriggers,
  DefineAuthChallengeEvent,
  VerifyAuthChallengeResponseEvent,
} from "../../ports/custom-challenge-triggers.js";
import { decodeCreateRequest, decodeDefineRequest, decodeVerifyRequest } from "./trigger-requests.js";

/** Where triggers report what happened, without secrets: no answers, no challenges, no tokens. */
export type TriggerLog = (entry: Record<string, unknown>) => void;

const silent: TriggerLog = () => {};

/**
 * DefineAuthChallenge: folds Cognito's session history through the state machine, with the user's
 * passkey enrolment as their attributes say (what a verified password leads to), and asks for the
 * challenge the machine names: `PASSWORD_VERIFIER` after `SRP_A`, keyport's `CUSTOM_CHALLENGE` otherwise.
 */
export function defineAuthChallengeTrigger(deps: {
  readonly stateMachine: ChallengeStateMachine;
  readonly log?: TriggerLog;
}): (event: DefineAuthChallengeEvent) => Promise<DefineAuthChallengeEvent> {
  const log = deps.log ?? silent;
  return async (event) => {
    const request = decodeDefineRequest(event);
    const decision = deps.stateMachine.decide(request.history, request.userExists, request.passkeyEnrolled);
    // A response of keyport's own: nothing the event's response held (a challenge name, a flag) survives.
    event.response = {
      ...(decision.kind === "issue_challenge" ? { challengeName: decision.challengeName } : {}),
      issueTokens: decision.kind === "issue_tokens",
      failAuthentication: decision.kind === "fail",
    };
    if (decision.kind === "fail") {
      log({ trigger: "define_auth_challenge", outcome: "fail", reason: decision.reason, ...(request.history === "malformed" ? { field: request.field } : {}) });
    }
    return event;
  };
}

/**
 * CreateAuthChallenge: issues the passkey custom challenge for the user Cognito names, whatever the
 * session before it (empty for a passkey-only sign-in, `SRP_A` and `PASSWORD_VERIFIER` after a password:
 * Cognito calls Create only when Define asked for `CUSTOM_CHALLENGE`, and Define alone judges the
 * history). An event without a user name gets no challenge at all (an empty response): Verify then has
 * no private challenge to hold an answer against, and Define no `PASSKEY` metadata to count, so the
 * sign-in fails.
 */
export function createAuthChallengeTrigger(deps: {
  readonly passkeyCustomChallenge: Pick<PasskeyCustomChallenge, "issue">;
  readonly log?: TriggerLog;
}): (event: CreateAuthChallengeEvent) => Promise<CreateAuthChallengeEvent> {
  const log = deps.log ?? silent;
  return async (event) => {
    const request = decodeCreateRequest(event);
    if (!request.ok) {
      event.response = {};
      log({ trigger: "create_auth_challenge", outcome: "fail", reason: "malformed_request", field: request.field });
      return event;
    }
    const issued = await deps.passkeyCustomChallenge.issue(request.userName);
    event.response = {
      publicChallengeParameters: { ...issued.publicParameters },
      privateChallengeParameters: { ...issued.privateParameters },
      challengeMetadata: issued.metadata,
    };
    return event;
  };
}

/**
 * VerifyAuthChallengeResponse: verifies the passkey answer against what Create kept. An event that does
 * not say whose answer it is, which challenge Create kept, or what the answer is (see decodeVerifyRequest)
 * answers `answerCorrect: false` without the answer being parsed, and is counted for the operator. The
 * domain records the sign-in's outcome; the event's `clientMetadata` goes with it, for the request
 * context keyport's HTTP API sealed there (anything else in it is ignored).
 */
export function verifyAuthChallengeResponseTrigger(deps: {
  readonly passkeyCustomChallenge: Pick<PasskeyCustomChallenge, "verify" | "refuseUnread">;
  readonly log?: TriggerLog;
}): (event: VerifyAuthChallengeResponseEvent) => Promise<VerifyAuthChallengeResponseEvent> {
  const log = deps.log ?? silent;
  return async (event) => {
    const request = decodeVerifyRequest(event);
    if (!request.ok) {
      event.response = { answerCorrect: false };
      deps.passkeyCustomChallenge.refuseUnread(request.code);
      log({ trigger: "verify_auth_challenge_response", outcome: "rejected", code: request.code, field: request.field });
      return event;
    }
    const verified = await deps.passkeyCustomChallenge.verify(
      request.userName,
      request.answer,
      { challenge: request.challenge },
      { userExists: request.userExists, clientMetadata: request.clientMetadata },
    );
    // An unknown user can never answer correctly, whatever the answer says.
    event.response = { answerCorrect: verified.ok && request.userExists };
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
