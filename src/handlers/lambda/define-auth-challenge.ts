/**
 * Lambda entry point: Cognito's DefineAuthChallenge trigger. It only folds Cognito's session history
 * through the state machine: no storage, no secret, no identity provider, so its cold start loads no
 * AWS SDK client. That is why it composes itself here instead of in src/composition/lambda.ts, whose
 * imports (the stores, the SDK clients) would come along.
 */
import { ChallengeStateMachine } from "../../domain/challenge-state-machine.js";
import type { PasskeyChallenge } from "../../domain/passkey-challenge.js";
import type { DefineAuthChallengeEvent } from "../cognito/events.js";
import { createCustomAuthTriggers } from "../cognito/triggers.js";
import { jsonLineLog } from "../http/log.js";
import { composeOrReportSync, maskTriggerFaults, triggerLog } from "./shell.js";
import { triggerConfig } from "./trigger-config.js";

/**
 * createCustomAuthTriggers builds all three triggers from one set of dependencies; DefineAuthChallenge
 * never touches the passkey challenge, and this stand-in fails loudly if that ever changes.
 */
const NO_PASSKEY_CHALLENGE = {
  issue: () => Promise.reject(new Error("keyport: DefineAuthChallenge has no passkey challenge")),
  verify: () => Promise.reject(new Error("keyport: DefineAuthChallenge has no passkey challenge")),
} satisfies Pick<PasskeyChallenge, "issue" | "verify"> as unknown as PasskeyChallenge;

const log = jsonLineLog();
const config = composeOrReportSync("define_auth_challenge", log, () => triggerConfig(process.env));
const { defineAuthChallenge } = createCustomAuthTriggers({
  stateMachine: new ChallengeStateMachine({ maxAttempts: config.maxPasskeyAttempts }),
  passkeyChallenge: NO_PASSKEY_CHALLENGE,
  log: triggerLog(log),
});

export const handler = maskTriggerFaults<DefineAuthChallengeEvent>("define_auth_challenge", "DefineAuthChallenge_Authentication", defineAuthChallenge, log);
