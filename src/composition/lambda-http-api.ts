/**
 * The HTTP API's Lambda function: its composition root. It composes once per cold start, during its
 * module's initialisation, and every invocation of that execution environment reuses what was built:
 * the configuration, the SDK clients, the services. It composes with composeServices and never builds a
 * container: inversify would add ~90 KB to the bundle and its load to each cold start (ADR 0011).
 * A failure (ConfigError, a secret that cannot be read) is logged as one JSON line and rethrown, so
 * that the function's initialisation fails loudly instead of answering with half a setup.
 *
 * Imports are static on purpose: esbuild bundles a dynamic `import()` lazily-wrapped, which here cost
 * ~130 KB and ~40 ms of init (measured with bench/cold-start.bench.ts) for nothing, since the function
 * needs all of it at init anyway.
 */
import { PowertoolsCeremonyMetrics } from "../adapters/powertools/powertools-ceremony-metrics.js";
import { jsonLineLog } from "../handlers/http/log.js";
import { createHttpApiHandler, type HttpApiHandler } from "../handlers/lambda/http-api-handler.js";
import { composeOrReport, endingEachInvocationWith } from "../handlers/lambda/shell.js";
import { ConfigError, parseConfig, type KeyportConfig } from "./config.js";
import { authenticatorCatalog } from "./authenticator-catalogs.js";
import { certificateVerifier } from "./certificate-verifiers.js";
import { lambdaMetadataSource } from "./metadata-sources.js";
import { apiServices } from "./api-services.js";
import { appDependencies } from "./http-app.js";
import { cognitoIdentityProvider } from "./identity-providers.js";
import { readFromSecretsManager, secretArn, withSecrets, type Env, type LambdaCompositionOptions, type SecretReader } from "./lambda-secrets.js";
import { oncePerColdStart } from "./lambda-cold-start.js";
import { composeServices, type Services } from "./services.js";
import { requireSharedStorage } from "./trigger-config.js";

/**
 * The HTTP API function's configuration: IDENTITY_PROVIDER=cognito and STORAGE=dynamodb, because the
 * local identity provider signs with a key that dies with its process and in-memory sessions are not
 * shared between concurrent execution environments; the secrets named by ARN read in.
 */
export async function httpApiConfig(env: Env, readSecrets: SecretReader = readFromSecretsManager): Promise<KeyportConfig> {
  const config = requireSharedStorage(parseConfig(env));
  if (config.identityProvider !== "cognito") throw new ConfigError("IDENTITY_PROVIDER", "must be cognito on AWS Lambda");
  return withSecrets(config, env, readSecrets, secretArn(env, "COGNITO_CLIENT_SECRET_ARN", "COGNITO_CLIENT_SECRET"));
}

/**
 * The HTTP API's services: Cognito, DynamoDB, the secrets, the authenticator catalog, the X.509
 * verifier, and `log` for the composition's own lines. The operator's counts stay in memory unless the
 * overrides give the Powertools adapter, as the function's handler does. Rejects with the init failure,
 * after logging it.
 */
export function composeHttpApi(env: Env, options: LambdaCompositionOptions = {}): Promise<Services> {
  const log = options.log ?? jsonLineLog();
  return composeOrReport("http_api", log, async () => {
    const config = await httpApiConfig(env, options.readSecrets);
    const overrides = options.overrides;
    return composeServices(config, {
      log,
      ...overrides,
      identityProvider: overrides?.identityProvider ?? cognitoIdentityProvider(config),
      authenticatorCatalog: overrides?.authenticatorCatalog ?? authenticatorCatalog,
      certificateVerifier: overrides?.certificateVerifier ?? certificateVerifier,
      metadataSource: overrides?.metadataSource ?? lambdaMetadataSource,
      apiServices: overrides?.apiServices ?? apiServices,
    });
  });
}

/** The HTTP API's services, composed on the first call of this process (the cold start) and shared after. */
export const lambdaHttpApiServices: (env: Env, options?: LambdaCompositionOptions) => Promise<Services> = oncePerColdStart(composeHttpApi);

/**
 * The HTTP API function's handler, over the services composed at its cold start, counting ceremonies as
 * CloudWatch metrics (Powertools, EMF) written at the end of every invocation. `options`: doubles for the
 * stores and Secrets Manager, for tests.
 */
export async function lambdaHttpApiHandler(env: Env, options: Pick<LambdaCompositionOptions, "overrides" | "readSecrets"> = {}): Promise<HttpApiHandler> {
  const log = jsonLineLog();
  const metrics = new PowertoolsCeremonyMetrics();
  const services = await lambdaHttpApiServices(env, { ...options, log, overrides: { ...options.overrides, ceremonyMetrics: metrics } });
  return endingEachInvocationWith(createHttpApiHandler(appDependencies(services, { log }), { log }), () => metrics.publish());
}
