/**
 * Lambda entry point: Cognito's DefineAuthChallenge trigger. It only folds Cognito's session history
 * through the state machine: no storage, no secret, no identity provider, so its cold start loads no
 * AWS SDK client. That is why it composes itself here instead of in src/composition/lambda.ts, whose
 * imports (the stores, the SDK clients) would come along.
 */
import { ChallengeStateMachine } from "../../domain/custom-challenge/challenge-state-machine.js";
import type { PasskeyCustomChallenge } from "../../domain/custom-challenge/passkey-custom-challenge.js";
import type { DefineAuthChallengeEvent } from "../../ports/custom-challenge-triggers.js";
import { createCustomChallengeTriggers } from "../../handlers/cognito/triggers.js";
import { jsonLineLog } from "../../handlers/http/log.js";
import { composeOrReportSync, maskTriggerFaults, triggerLog } from "../../handlers/lambda/shell.js";
import { triggerConfig } from "../../composition/trigger-config.js";

/**
 * createCustomChallengeTriggers builds all three triggers from one set of dependencies; DefineAuthChallenge
 * never touches the passkey challenge, and this stand-in fails loudly if that ever changes.
 */
const NO_PASSKEY_CHALLENGE = {
  issue: () => Promise.reject(new Error("keyport: DefineAuthChallenge has no passkey challenge")),
  verify: () => Promise.reject(new Error("keyport: DefineAuthChallenge has no passkey challenge")),
} satisfies Pick<PasskeyCustomChallenge, "issue" | "verify"> as unknown as PasskeyCustomChallenge;

const log = jsonLineLog();
const config = composeOrReportSync("define_auth_challenge", log, () => triggerConfig(process.env));
const { defineAuthChallenge } = createCustomChallengeTriggers({
  stateMachine: new ChallengeStateMachine({ maxAttempts: config.maxPasskeyAttempts }),
  passkeyCustomChallenge: NO_PASSKEY_CHALLENGE,
  log: triggerLog(log),
});

export const handler = maskTriggerFaults<DefineAuthChallengeEvent>("define_auth_challenge", "DefineAuthChallenge_Authentication", defineAuthChallenge, log);
