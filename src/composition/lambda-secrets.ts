/**
 * The secrets of keyport's Lambda functions. The two secrets the CDK stack keeps in Secrets Manager
 * (the unknown-user secret, the app client's secret) arrive as ARNs and are read at cold start, once;
 * after that the configuration is as immutable as everywhere else.
 */
import { GetSecretValueCommand, SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import type { Log } from "../handlers/http/log.js";
import { ConfigError, type KeyportConfig } from "./config.js";
import type { AdapterOverrides } from "./services.js";

export type Env = Readonly<Record<string, string | undefined>>;

/** Reads secret strings by ARN, in order. */
export type SecretReader = (arns: readonly string[]) => Promise<readonly string[]>;

export interface LambdaCompositionOptions {
  /** Where secrets come from; Secrets Manager by default. */
  readonly readSecrets?: SecretReader;
  /**
   * Adapters the caller chooses, passed to composeServices: a deployed function's handler gives the
   * Powertools metrics it publishes after each invocation; tests give doubles.
   */
  readonly overrides?: AdapterOverrides;
  /**
   * Where an init failure, the triggers' outcomes and lost security events are logged; JSON lines on
   * stdout by default.
   */
  readonly log?: Log;
}

const SECRET_ARN = /^arn:aws[a-z-]*:secretsmanager:([a-z]{2}(?:-[a-z]+)+-\d+):\d{12}:secret:[\w/+=.@-]+$/;
/** The stack generates 64 alphanumerics; 32 bytes is what the ceremony asks of the key. */
const MIN_UNKNOWN_USER_SECRET_BYTES = 32;

export function secretArn(env: Env, name: string, plain: string): string | null {
  const arn = env[name];
  if (arn === undefined || arn === "") return null;
  if (env[plain] !== undefined && env[plain] !== "") throw new ConfigError(name, `give either ${name} or ${plain}, not both`);
  if (!SECRET_ARN.test(arn)) throw new ConfigError(name, `must be a Secrets Manager secret ARN, got ${JSON.stringify(arn)}`);
  return arn;
}

/** The configuration with the secrets named by ARN read in: one round of reads, in parallel. */
export async function withSecrets(config: KeyportConfig, env: Env, readSecrets: SecretReader, clientSecretArn: string | null): Promise<KeyportConfig> {
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
export async function readFromSecretsManager(arns: readonly string[]): Promise<readonly string[]> {
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
