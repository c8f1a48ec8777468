/**
 * The DefineAuthChallenge function's composition. It only folds Cognito's session history through the
 * state machine: no storage, no secret, no identity provider, so its cold start loads no AWS SDK client.
 * That is why it is apart from lambda.ts, whose imports (the stores, the SDK clients) would come along.
 * Whether a user has a passkey (what the second-factor policy turns on) comes with the event, as the
 * user's `custom:passkey_enrolled` attribute, so it needs no store for that either (ADR 0023).
 */
import { ChallengeStateMachine } from "../domain/custom-challenge/challenge-state-machine.js";
import { defineAuthChallengeTrigger } from "../handlers/cognito/triggers.js";
import { jsonLineLog } from "../handlers/http/log.js";
import { composeOrReportSync, maskTriggerFaults, triggerLog } from "../handlers/lambda/shell.js";
import type { DefineAuthChallengeEvent } from "../ports/custom-challenge-triggers.js";
import { triggerConfig } from "./trigger-config.js";

type Env = Readonly<Record<string, string | undefined>>;

/** The handler, composed from `env`; throws (after logging) on a configuration that cannot run on Lambda. */
export function lambdaDefineAuthChallengeHandler(env: Env): (event: DefineAuthChallengeEvent) => Promise<DefineAuthChallengeEvent> {
  const log = jsonLineLog();
  const config = composeOrReportSync("define_auth_challenge", log, () => triggerConfig(env));
  const defineAuthChallenge = defineAuthChallengeTrigger({
    stateMachine: new ChallengeStateMachine({ maxAttempts: config.maxPasskeyAttempts, secondFactor: config.secondFactor }),
    log: triggerLog(log),
  });
  return maskTriggerFaults<DefineAuthChallengeEvent>("define_auth_challenge", "DefineAuthChallenge_Authentication", defineAuthChallenge, log);
}
