/**
 * The CreateAuthChallenge and VerifyAuthChallengeResponse Lambda functions: their composition root,
 * composed once per cold start like the HTTP API's (lambda-http-api.ts), without a container and
 * without the HTTP side, so their bundles carry neither. (DefineAuthChallenge has its own,
 * lambda-define-auth-challenge.ts: it needs no store and no secret.)
 */
import { PowertoolsCeremonyMetrics } from "../adapters/powertools/powertools-ceremony-metrics.js";
import { createAuthChallengeTrigger, verifyAuthChallengeResponseTrigger } from "../handlers/cognito/triggers.js";
import { jsonLineLog } from "../handlers/http/log.js";
import { composeOrReport, endingEachInvocationWith, maskTriggerFaults, triggerLog } from "../handlers/lambda/shell.js";
import type { CreateAuthChallengeEvent, CustomChallengeTriggers, VerifyAuthChallengeResponseEvent } from "../ports/custom-challenge-triggers.js";
import { authenticatorCatalog } from "./authenticator-catalogs.js";
import { lambdaMetadataSource } from "./metadata-sources.js";
import { readFromSecretsManager, withSecrets, type Env, type LambdaCompositionOptions } from "./lambda-secrets.js";
import { oncePerColdStart } from "./lambda-cold-start.js";
import { composeServices } from "./services.js";
import { triggerConfig } from "./trigger-config.js";

/** For tests: doubles for the stores and Secrets Manager (the handler's own log and metrics are always its own). */
export type HandlerOptions = Pick<LambdaCompositionOptions, "overrides" | "readSecrets">;

/** The two triggers that read and write the stores. */
export type StoreTriggers = Pick<CustomChallengeTriggers, "createAuthChallenge" | "verifyAuthChallengeResponse">;

/**
 * CreateAuthChallenge and VerifyAuthChallengeResponse: the passkey custom challenge over the stores,
 * recording sign-ins in the users' trails (Verify is where every sign-in passes, through keyport's HTTP
 * API or straight to Cognito). The composition has no identity provider (triggers are what it calls),
 * which also keeps the Cognito client out of the trigger bundles. It has the authenticator catalog: the
 * events name the passkey's authenticator as the HTTP API's do (its data file, read on the first event,
 * lies beside the bundle). The operator's counts stay in memory unless the overrides give the Powertools
 * adapter, as the functions' handlers do.
 */
export function composeTriggers(env: Env, options: LambdaCompositionOptions = {}): Promise<StoreTriggers> {
  const log = options.log ?? jsonLineLog();
  return composeOrReport("cognito_trigger", log, async () => {
    const config = await withSecrets(triggerConfig(env), env, options.readSecrets ?? readFromSecretsManager, null);
    // The metadata AUTHENTICATOR_POLICY=certified judges each sign-in by: the stack's snapshot in S3 (ADR 0027).
    const services = composeServices(config, { log, authenticatorCatalog, metadataSource: lambdaMetadataSource, ...options.overrides });
    const passkeyCustomChallenge = services.passkeyCustomChallenge;
    return {
      createAuthChallenge: createAuthChallengeTrigger({ passkeyCustomChallenge }),
      verifyAuthChallengeResponse: verifyAuthChallengeResponseTrigger({ passkeyCustomChallenge, log: triggerLog(log) }),
    };
  });
}

/** The Create and Verify triggers, composed on the first call of this process (the cold start) and shared after. */
export const lambdaTriggers: (env: Env, options?: LambdaCompositionOptions) => Promise<StoreTriggers> = oncePerColdStart(composeTriggers);

/**
 * The CreateAuthChallenge function's handler. Its metrics are published after every invocation like
 * Verify's: the two share one composition, and whatever it counts must not wait for a later event.
 */
export async function lambdaCreateAuthChallengeHandler(
  env: Env,
  options: HandlerOptions = {},
): Promise<(event: CreateAuthChallengeEvent) => Promise<CreateAuthChallengeEvent>> {
  const log = jsonLineLog();
  const metrics = new PowertoolsCeremonyMetrics();
  const { createAuthChallenge } = await lambdaTriggers(env, { ...options, log, overrides: { ...options.overrides, ceremonyMetrics: metrics } });
  const masked = maskTriggerFaults<CreateAuthChallengeEvent>("create_auth_challenge", "CreateAuthChallenge_Authentication", createAuthChallenge, log);
  return endingEachInvocationWith(masked, () => metrics.publish());
}

/** The VerifyAuthChallengeResponse function's handler: it counts sign-ins as CloudWatch metrics (Powertools, EMF). */
export async function lambdaVerifyAuthChallengeResponseHandler(
  env: Env,
  options: HandlerOptions = {},
): Promise<(event: VerifyAuthChallengeResponseEvent) => Promise<VerifyAuthChallengeResponseEvent>> {
  const log = jsonLineLog();
  const metrics = new PowertoolsCeremonyMetrics();
  const { verifyAuthChallengeResponse } = await lambdaTriggers(env, { ...options, log, overrides: { ...options.overrides, ceremonyMetrics: metrics } });
  const masked = maskTriggerFaults<VerifyAuthChallengeResponseEvent>(
    "verify_auth_challenge_response",
    "VerifyAuthChallengeResponse_Authentication",
    verifyAuthChallengeResponse,
    log,
  );
  return endingEachInvocationWith(masked, () => metrics.publish());
}

/** An ARN variable; refused alongside the plain variable it replaces, since which should win is a guess. */
