/**
 * Which identity provider a composition gets: Amazon Cognito (on AWS, or from a laptop against a real
 * pool) or the local identity provider (on a laptop), whose custom-challenge sign-in runs keyport's own
 * trigger handlers in-process. Both are factories for `AdapterOverrides.identityProvider`: they are
 * built from the composition's own services when first needed.
 */
import { CognitoIdentityProviderClient } from "@aws-sdk/client-cognito-identity-provider";
import { CognitoIdentityProvider } from "../adapters/cognito/cognito-identity-provider.js";
import { DynamoDbIdentityUserDirectory } from "../adapters/dynamodb/dynamodb-identity-user-directory.js";
import { DynamoDbRefreshGrantStore } from "../adapters/dynamodb/dynamodb-refresh-grant-store.js";
import { InMemoryIdentityUserDirectory } from "../adapters/in-memory/in-memory-identity-user-directory.js";
import { InMemoryRefreshGrantStore } from "../adapters/in-memory/in-memory-refresh-grant-store.js";
import { LocalIdentityProvider } from "../adapters/local-identity/local-identity-provider.js";
import { authFlowsFor, LocalUserPool } from "../adapters/local-identity/local-user-pool.js";
import { ScryptPasswordHasher } from "../adapters/local-identity/scrypt-password-hasher.js";
import { createCustomChallengeTriggers } from "../handlers/cognito/triggers.js";
import type { Clock } from "../ports/clock.js";
import type { IdentityProvider } from "../ports/identity-provider.js";
import type { IdentityUserDirectory } from "../ports/identity-user-directory.js";
import type { RefreshGrantStore } from "../ports/refresh-grant-store.js";
import type { UserPool } from "../ports/user-pool.js";
import { ConfigError, type KeyportConfig } from "./config.js";
import type { AdapterOverrides, DynamoDbTable, Services } from "./services.js";

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
 * composition's `identityUserDirectory` and its refresh grants in its `refreshGrantStore` (give
 * `identityUserDirectoryOn` and `refreshGrantStoreOn` as those factories, as
 * `withConfiguredIdentityProvider` does). Its pool and app client are LOCAL_USER_POOL_ID and LOCAL_CLIENT_ID.
 */
export function localIdentityProvider(config: KeyportConfig): IdentityProviderFactory {
  return (services) =>
    new LocalIdentityProvider({
      clock: services.clock,
      random: services.random,
      users: services.identityUserDirectory,
      refreshGrants: services.refreshGrantStore,
      triggers: createCustomChallengeTriggers({ stateMachine: services.challengeStateMachine, passkeyCustomChallenge: services.passkeyCustomChallenge }),
      issuer: localIssuer(config),
      clientId: config.localClientId,
      userPoolId: config.localUserPoolId,
    });
}

/**
 * The local Cognito API over the composition's local identity provider, with scrypt for passwords and
 * the app client's flows as SECOND_FACTOR allows them. Over another identity provider (a test double
 * given in the local one's place) there is none: reading it is a ConfigError.
 */
export function localUserPool(config: KeyportConfig): (services: Services) => UserPool {
  return (services) => {
    const provider = services.identityProvider;
    if (!(provider instanceof LocalIdentityProvider)) throw new ConfigError("IDENTITY_PROVIDER", "the local Cognito API needs the local identity provider");
    return new LocalUserPool({
      provider,
      passwords: new ScryptPasswordHasher(),
      clock: services.clock,
      random: services.random,
      // Without a configured secret, unknown users' made-up SRP salts are stable only for this process's lifetime.
      unknownUserSecret: config.unknownUserSecret ?? services.random.bytes(32),
      authFlows: authFlowsFor(config.secondFactor),
    });
  };
}

/** The local provider's `iss`: the server's own origin. */
export function localIssuer(config: KeyportConfig): string {
  return config.relyingParty.origins[0] ?? `http://localhost:${config.port}`;
}

/** The local provider's users on the storage the composition chose: memory, or items of the credential table. */
export function identityUserDirectoryOn(dynamoDb: DynamoDbTable | null): IdentityUserDirectory {
  return dynamoDb === null ? new InMemoryIdentityUserDirectory() : new DynamoDbIdentityUserDirectory(dynamoDb);
}

/** The local provider's refresh grants on the storage the composition chose: memory, or items of the credential table. */
export function refreshGrantStoreOn(dynamoDb: DynamoDbTable | null, clock: Clock): RefreshGrantStore {
  return dynamoDb === null ? new InMemoryRefreshGrantStore(clock) : new DynamoDbRefreshGrantStore({ ...dynamoDb, clock });
}

/**
 * The overrides with the identity provider IDENTITY_PROVIDER names, unless one is given, and with the
 * local provider's user directory and refresh grants on the configured storage and its Cognito API,
 * unless they are given. With IDENTITY_PROVIDER=cognito there is no local Cognito API.
 */
export function withConfiguredIdentityProvider(config: KeyportConfig, overrides: AdapterOverrides = {}): AdapterOverrides {
  const local = config.identityProvider === "local";
  return {
    ...overrides,
    identityUserDirectory: overrides.identityUserDirectory ?? identityUserDirectoryOn,
    refreshGrantStore: overrides.refreshGrantStore ?? refreshGrantStoreOn,
    identityProvider: overrides.identityProvider ?? (local ? localIdentityProvider(config) : cognitoIdentityProvider(config)),
    ...(overrides.userPool !== undefined || local ? { userPool: overrides.userPool ?? localUserPool(config) } : {}),
  };
}
