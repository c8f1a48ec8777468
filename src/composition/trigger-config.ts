/**
 * The configuration rules of keyport's Lambda functions, over parseConfig. Kept apart from
 * the compositions that build services (lambda-http-api.ts, lambda-triggers.ts), so that DefineAuthChallenge can read its
 * configuration without bundling the stores and the AWS SDK.
 */
import { ConfigError, parseConfig, type KeyportConfig } from "./config.js";

type Env = Readonly<Record<string, string | undefined>>;

/**
 * A Lambda function's storage must be DynamoDB: concurrent execution environments share no memory,
 * so an in-memory session issued by one would be unknown to the next.
 */
export function requireSharedStorage(config: KeyportConfig): KeyportConfig {
  if (config.storage !== "dynamodb") throw new ConfigError("STORAGE", "must be dynamodb on AWS Lambda: concurrent functions share no memory");
  return config;
}

/**
 * The configuration of a Cognito trigger. Triggers are called by the identity provider and never call
 * it, and the stack cannot hand them the pool's ID (the pool references them; a reference back would
 * be a cycle), so the identity-provider variables are not theirs to read: with IDENTITY_PROVIDER=cognito
 * and no COGNITO_USER_POOL_ID, parseConfig would refuse a configuration that is in fact complete.
 */
export function triggerConfig(env: Env): KeyportConfig {
  const { IDENTITY_PROVIDER: _provider, COGNITO_USER_POOL_ID: _pool, COGNITO_CLIENT_ID: _client, COGNITO_CLIENT_SECRET: _secret, ...own } = env;
  return requireSharedStorage(parseConfig(own));
}
