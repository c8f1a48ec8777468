/**
 * The CreateAuthChallenge and VerifyAuthChallengeResponse Lambda functions: their composition root,
 * composed once per cold start like the HTTP API's (lambda-http-api.ts), without a container and
 * without the HTTP side, so their bundles carry neither. (DefineAuthChallenge has its own,
 * lambda-define-auth-challenge.ts: it needs no store and no secret.)
 */
import { createAuthChallengeTrigger, verifyAuthChallengeResponseTrigger } from "../handlers/cognito/triggers.js";
import { jsonLineLog } from "../handlers/http/log.js";
import { composeOrReport, maskTriggerFaults, triggerLog } from "../handlers/lambda/shell.js";
import type { CreateAuthChallengeEvent, CustomChallengeTriggers, VerifyAuthChallengeResponseEvent } from "../ports/custom-challenge-triggers.js";
import { readFromSecretsManager, withSecrets, type Env, type LambdaCompositionOptions } from "./lambda-secrets.js";
import { oncePerColdStart } from "./lambda-cold-start.js";
import { composeServices } from "./services.js";
import { triggerConfig } from "./trigger-config.js";

/** The two triggers that read and write the stores. */
export type StoreTriggers = Pick<CustomChallengeTriggers, "createAuthChallenge" | "verifyAuthChallengeResponse">;

/**
 * CreateAuthChallenge and VerifyAuthChallengeResponse: the passkey custom challenge over the stores.
 * The composition has no identity provider (triggers are what it calls), which also keeps the Cognito
 * client out of the trigger bundles.
 */
export function composeTriggers(env: Env, options: LambdaCompositionOptions = {}): Promise<StoreTriggers> {
  const log = options.log ?? jsonLineLog();
  return composeOrReport("cognito_trigger", log, async () => {
    const config = await withSecrets(triggerConfig(env), env, options.readSecrets ?? readFromSecretsManager, null);
    const services = composeServices(config, options.overrides);
    const passkeyCustomChallenge = services.passkeyCustomChallenge;
    return {
      createAuthChallenge: createAuthChallengeTrigger({ passkeyCustomChallenge }),
      verifyAuthChallengeResponse: verifyAuthChallengeResponseTrigger({ passkeyCustomChallenge, log: triggerLog(log) }),
    };
  });
}

/** The Create and Verify triggers, composed on the first call of this process (the cold start) and shared after. */
export const lambdaTriggers: (env: Env, options?: LambdaCompositionOptions) => Promise<StoreTriggers> = oncePerColdStart(composeTriggers);

/** The CreateAuthChallenge function's handler. */
export async function lambdaCreateAuthChallengeHandler(env: Env): Promise<(event: CreateAuthChallengeEvent) => Promise<CreateAuthChallengeEvent>> {
  const log = jsonLineLog();
  const { createAuthChallenge } = await lambdaTriggers(env, { log });
  return maskTriggerFaults<CreateAuthChallengeEvent>("create_auth_challenge", "CreateAuthChallenge_Authentication", createAuthChallenge, log);
}

/** The VerifyAuthChallengeResponse function's handler. */
export async function lambdaVerifyAuthChallengeResponseHandler(
  env: Env,
): Promise<(event: VerifyAuthChallengeResponseEvent) => Promise<VerifyAuthChallengeResponseEvent>> {
  const log = jsonLineLog();
  const { verifyAuthChallengeResponse } = await lambdaTriggers(env, { log });
  return maskTriggerFaults<VerifyAuthChallengeResponseEvent>(
    "verify_auth_challenge_response",
    "VerifyAuthChallengeResponse_Authentication",
    verifyAuthChallengeResponse,
    log,
  );
}

/** An ARN variable; refused alongside the plain variable it replaces, since which should win is a guess. */
