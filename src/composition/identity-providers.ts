/**
 * Which identity provider a composition gets: Amazon Cognito (on AWS, or from a laptop against a real
 * pool) or the local identity provider (on a laptop), whose custom-challenge sign-in runs keyport's own
 * trigger handlers in-process. Both are factories for `AdapterOverrides.identityProvider`: they are
 * built from the composition's own services when first needed.
 */
import { CognitoIdentityProviderClient } from "@aws-sdk/client-cognito-identity-provider";
import { CognitoIdentityProvider } from "../adapters/cognito/cognito-identity-provider.js";
import { DynamoDbIdentityUserDirectory } from "../adapters/dynamodb/dynamodb-identity-user-directory.js";
import { InMemoryIdentityUserDirectory } from "../adapters/in-memory/in-memory-identity-user-directory.js";
import { LocalIdentityProvider } from "../adapters/local-identity/local-identity-provider.js";
import { createCustomChallengeTriggers } from "../handlers/cognito/triggers.js";
import type { IdentityProvider } from "../ports/identity-provider.js";
import type { IdentityUserDirectory } from "../ports/identity-user-directory.js";
import { ConfigError, type KeyportConfig } from "./config.js";
import type { AdapterOverrides, DynamoDbTable, Services } from "./services.js";

/** The local provider's `aud` / `client_id`. */
export const LOCAL_CLIENT_ID = "keyport-local";

type IdentityProviderFactory = (services: Services) => IdentityProvider;

/** A Cognito user pool's app client. Throws ConfigError (IDENTITY_PROVIDER) when the configuration has no Cognito settings. */
export function cognitoIdentityProvider(config: KeyportConfig): IdentityProviderFactory {
  const cognito = config.cognito;
  if (cognito === null) throw new ConfigError("IDENTITY_PROVIDER", "cognito needs AWS_REGION, COGNITO_USER_POOL_ID and COGNITO_CLIENT_ID");
  return (services) =>
    new CognitoIdentityProvider({
      // Created once per composition, i.e. once per Lambda cold start.
      client: new CognitoIdentityProviderClient({ region: cognito.region }),
      userPoolId: cognito.userPoolId,
      clientId: cognito.clientId,
      clientSecret: cognito.clientSecret ?? undefined,
      region: cognito.region,
      random: services.random,
      clock: services.clock,
    });
}

/**
 * The local provider, over the composition's own trigger handlers, keeping its users in the
 * composition's `identityUserDirectory` (give `identityUserDirectoryOn` as that factory, as
 * `withConfiguredIdentityProvider` does).
 */
export function localIdentityProvider(config: KeyportConfig): IdentityProviderFactory {
  return (services) =>
    new LocalIdentityProvider({
      clock: services.clock,
      random: services.random,
      users: services.identityUserDirectory,
      triggers: createCustomChallengeTriggers({ stateMachine: services.challengeStateMachine, passkeyCustomChallenge: services.passkeyCustomChallenge }),
      issuer: localIssuer(config),
      clientId: LOCAL_CLIENT_ID,
    });
}

/** The local provider's `iss`: the server's own origin. */
export function localIssuer(config: KeyportConfig): string {
  return config.relyingParty.origins[0] ?? `http://localhost:${config.port}`;
}

/** The local provider's users on the storage the composition chose: memory, or items of the credential table. */
export function identityUserDirectoryOn(dynamoDb: DynamoDbTable | null): IdentityUserDirectory {
  return dynamoDb === null ? new InMemoryIdentityUserDirectory() : new DynamoDbIdentityUserDirectory(dynamoDb);
}

/**
 * The overrides with the identity provider IDENTITY_PROVIDER names, unless one is given, and with the
 * local provider's user directory on the configured storage, unless one is given.
 */
export function withConfiguredIdentityProvider(config: KeyportConfig, overrides: AdapterOverrides = {}): AdapterOverrides {
  return {
    ...overrides,
    identityUserDirectory: overrides.identityUserDirectory ?? identityUserDirectoryOn,
    identityProvider: overrides.identityProvider ?? (config.identityProvider === "cognito" ? cognitoIdentityProvider(config) : localIdentityProvider(config)),
  };
}
