/**
 * keyport on AWS Lambda: the composition root of the HTTP API function and of the Create and Verify
 * triggers (src/handlers/lambda). Each function composes once per cold start, during its module's
 * initialisation, and every invocation of that execution environment reuses what was built: the
 * configuration, the SDK clients, the services. They compose with composeServices, the plain wiring
 * function the local server's container wraps, and never build a container: inversify would add ~90 KB
 * to each bundle and its load to each cold start (ADR 0011). (DefineAuthChallenge composes itself: it
 * needs none of this, and importing this module would bundle the stores and the AWS SDK into it.)
 *
 * The two secrets the CDK stack keeps in Secrets Manager (the unknown-user secret, the app client's
 * secret) arrive as ARNs and are read here, once; after that the configuration is as immutable as
 * everywhere else. A failure (ConfigError, a secret that cannot be read) is logged as one JSON line and
 * rethrown, so that the function's initialisation fails loudly instead of answering with half a setup.
 *
 * Imports are static on purpose: esbuild bundles a dynamic `import()` lazily-wrapped, which here cost
 * ~130 KB and ~40 ms of init (measured with bench/cold-start.bench.ts) for nothing, since each of these
 * functions needs all of it at init anyway.
 */
import { GetSecretValueCommand, SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { createCustomChallengeTriggers } from "../handlers/cognito/triggers.js";
import type { CustomChallengeTriggers } from "../ports/custom-challenge-triggers.js";
import { jsonLineLog, type Log } from "../handlers/http/log.js";
import { composeOrReport, triggerLog } from "../handlers/lambda/shell.js";
import { requireSharedStorage, triggerConfig } from "./trigger-config.js";
import type { IdentityProvider } from "../ports/identity-provider.js";
import { composeCognitoServices } from "./cognito-identity-provider.js";
import { ConfigError, parseConfig, type KeyportConfig } from "./config.js";
import { composeServices, type AdapterOverrides, type Services } from "./services.js";

type Env = Readonly<Record<string, string | undefined>>;

/** Reads secret strings by ARN, in order. */
export type SecretReader = (arns: readonly string[]) => Promise<readonly string[]>;

export interface LambdaCompositionOptions {
  /** Where secrets come from; Secrets Manager by default. */
  readonly readSecrets?: SecretReader;
  /** Test doubles, passed to composeServices (never used by a deployed function). */
  readonly overrides?: AdapterOverrides;
  /** Where an init failure and the triggers' outcomes are logged; JSON lines on stdout by default. */
  readonly log?: Log;
}

const SECRET_ARN = /^arn:aws[a-z-]*:secretsmanager:([a-z]{2}(?:-[a-z]+)+-\d+):\d{12}:secret:[\w/+=.@-]+$/;
/** The stack generates 64 alphanumerics; 32 bytes is what the ceremony asks of the key. */
const MIN_UNKNOWN_USER_SECRET_BYTES = 32;

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

/** The HTTP API's services: Cognito, DynamoDB, the secrets. Rejects with the init failure, after logging it. */
export function composeHttpApi(env: Env, options: LambdaCompositionOptions = {}): Promise<Services> {
  return composeOrReport("http_api", options.log ?? jsonLineLog(), async () => {
    const config = await httpApiConfig(env, options.readSecrets);
    return composeCognitoServices(config, options.overrides);
  });
}

/**
 * CreateAuthChallenge and VerifyAuthChallengeResponse: the passkey challenge over the stores. No
 * identity provider is bound (triggers are what it calls), which also keeps the Cognito client out of
 * the trigger bundles.
 */
export function composeTriggers(env: Env, options: LambdaCompositionOptions = {}): Promise<CustomChallengeTriggers> {
  const log = options.log ?? jsonLineLog();
  return composeOrReport("cognito_trigger", log, async () => {
    const config = await withSecrets(triggerConfig(env), env, options.readSecrets ?? readFromSecretsManager, null);
    const services = composeServices(config, { ...options.overrides, identityProvider: options.overrides?.identityProvider ?? noIdentityProvider });
    return createCustomChallengeTriggers({
      stateMachine: services.challengeStateMachine,
      passkeyCustomChallenge: services.passkeyCustomChallenge,
      log: triggerLog(log),
    });
  });
}

let httpApi: Promise<Services> | undefined;
let triggers: Promise<CustomChallengeTriggers> | undefined;

/** The HTTP API's services, composed on the first call of this process (the cold start) and shared after. */
export function lambdaHttpApiServices(env: Env = process.env, options: LambdaCompositionOptions = {}): Promise<Services> {
  // A failed composition is forgotten, so a caller that retries (after a throttled secret read) starts afresh.
  httpApi ??= composeHttpApi(env, options).catch((fault: unknown) => {
    httpApi = undefined;
    throw fault;
  });
  return httpApi;
}

/** The Create and Verify triggers, composed once per process like {@link lambdaHttpApiServices}. */
export function lambdaTriggers(env: Env = process.env, options: LambdaCompositionOptions = {}): Promise<CustomChallengeTriggers> {
  triggers ??= composeTriggers(env, options).catch((fault: unknown) => {
    triggers = undefined;
    throw fault;
  });
  return triggers;
}

/** An ARN variable; refused alongside the plain variable it replaces, since which should win is a guess. */
function secretArn(env: Env, name: string, plain: string): string | null {
  const arn = env[name];
  if (arn === undefined || arn === "") return null;
  if (env[plain] !== undefined && env[plain] !== "") throw new ConfigError(name, `give either ${name} or ${plain}, not both`);
  if (!SECRET_ARN.test(arn)) throw new ConfigError(name, `must be a Secrets Manager secret ARN, got ${JSON.stringify(arn)}`);
  return arn;
}

/** The configuration with the secrets named by ARN read in: one round of reads, in parallel. */
async function withSecrets(config: KeyportConfig, env: Env, readSecrets: SecretReader, clientSecretArn: string | null): Promise<KeyportConfig> {
  const unknownUserArn = secretArn(env, "UNKNOWN_USER_SECRET_ARN", "UNKNOWN_USER_SECRET");
  const arns = [unknownUserArn, clientSecretArn].filter((arn): arn is string => arn !== null);
  if (arns.length === 0) return config;
  const values = await readSecrets(arns);
  const value = (arn: string | null): string | null => (arn === null ? null : (values[arns.indexOf(arn)] ?? null));

  let unknownUserSecret = config.unknownUserSecret;
  const unknownUser = value(unknownUserArn);
  if (unknownUser !== null) {
    // The stored text itself is the key: its UTF-8 bytes (64 of them from the stack's generator).
    unknownUserSecret = new TextEncoder().encode(unknownUser);
    if (unknownUserSecret.length < MIN_UNKNOWN_USER_SECRET_BYTES) {
      throw new ConfigError("UNKNOWN_USER_SECRET_ARN", `the secret must be at least ${MIN_UNKNOWN_USER_SECRET_BYTES} bytes`);
    }
  }
  const clientSecret = value(clientSecretArn);
  const cognito = config.cognito === null || clientSecret === null ? config.cognito : { ...config.cognito, clientSecret };
  return { ...config, unknownUserSecret, cognito };
}

/**
 * Secrets Manager, read at cold start only; the clients are closed afterwards, as nothing reads a
 * secret again in this process. Time-outs are short because an init phase has 10 seconds in all.
 */
async function readFromSecretsManager(arns: readonly string[]): Promise<readonly string[]> {
  const clients = new Map<string, SecretsManagerClient>();
  const clientFor = (arn: string): SecretsManagerClient => {
    // The ARN names the secret's region, which need not be the function's.
    const region = SECRET_ARN.exec(arn)?.[1] ?? "";
    let client = clients.get(region);
    if (client === undefined) {
      client = new SecretsManagerClient({
        region,
        maxAttempts: 3,
        requestHandler: { connectionTimeout: 1_000, requestTimeout: 3_000, throwOnRequestTimeout: true },
      });
      clients.set(region, client);
    }
    return client;
  };
  try {
    return await Promise.all(
      arns.map(async (arn) => {
        const { SecretString } = await clientFor(arn).send(new GetSecretValueCommand({ SecretId: arn }));
        if (typeof SecretString !== "string" || SecretString === "") throw new Error(`secret ${arn} holds no text`);
        return SecretString;
      }),
    );
  } finally {
    for (const client of clients.values()) client.destroy();
  }
}

/** Triggers never call the identity provider: they are what the identity provider calls. */
const noIdentityProvider = (): IdentityProvider => {
  throw new Error("keyport: the Cognito triggers have no identity provider");
};
