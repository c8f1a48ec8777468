/**
 * The three custom-authentication triggers as shells: each decodes Cognito's event, calls one domain
 * method, and writes the answer into `event.response`. Cognito invokes them on AWS; the local identity
 * provider invokes the very same functions in-process.
 */
import { CUSTOM_CHALLENGE, type ChallengeStateMachine } from "../../domain/challenge-state-machine.js";
import type { PasskeyChallenge } from "../../domain/passkey-challenge.js";
import type { CreateAuthChallengeEvent, DefineAuthChallengeEvent, VerifyAuthChallengeResponseEvent } from "./events.js";

/** Where triggers report what happened, without secrets: no answers, no challenges, no tokens. */
export type TriggerLog = (entry: Record<string, unknown>) => void;

export interface CustomAuthTriggers {
  defineAuthChallenge(event: DefineAuthChallengeEvent): Promise<DefineAuthChallengeEvent>;
  createAuthChallenge(event: CreateAuthChallengeEvent): Promise<CreateAuthChallengeEvent>;
  verifyAuthChallengeResponse(event: VerifyAuthChallengeResponseEvent): Promise<VerifyAuthChallengeResponseEvent>;
}

export function createCustomAuthTriggers(deps: {
  readonly stateMachine: ChallengeStateMachine;
  readonly passkeyChallenge: PasskeyChallenge;
  readonly log?: TriggerLog;
}): CustomAuthTriggers {
  const log = deps.log ?? (() => {});
  return {
    async defineAuthChallenge(event) {
      const history = Array.isArray(event.request.session) ? event.request.session : [];
      const decision = deps.stateMachine.decide(history, event.request.userNotFound !== true);
      event.response.issueTokens = decision.kind === "issue_tokens";
      event.response.failAuthentication = decision.kind === "fail";
      if (decision.kind === "issue_challenge") event.response.challengeName = CUSTOM_CHALLENGE;
      if (decision.kind === "fail") log({ trigger: "define_auth_challenge", outcome: "fail", reason: decision.reason });
      return event;
    },

    async createAuthChallenge(event) {
      const issued = await deps.passkeyChallenge.issue(event.userName);
      event.response.publicChallengeParameters = { ...issued.publicParameters };
      event.response.privateChallengeParameters = { ...issued.privateParameters };
      event.response.challengeMetadata = issued.metadata;
      return event;
    },

    async verifyAuthChallengeResponse(event) {
      const answer = typeof event.request.challengeAnswer === "string" ? event.request.challengeAnswer : "";
      const verified = await deps.passkeyChallenge.verify(event.userName, answer, event.request.privateChallengeParameters ?? {});
      // An unknown user can never answer correctly, whatever the answer says.
      event.response.answerCorrect = verified.ok && event.request.userNotFound !== true;
      log({ trigger: "verify_auth_challenge_response", outcome: verified.ok ? "verified" : "rejected", code: verified.ok ? undefined : verified.error });
      return event;
    },
  };
}
