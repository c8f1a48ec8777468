/**
 * Amazon Cognito as keyport's identity provider, for composeServices: no inversify here, so the HTTP
 * API's Lambda function composes with it directly (ADR 0011); buildCognitoContainer (cognito.ts) wraps
 * the same choice in the local server's container.
 */
import { CognitoIdentityProviderClient } from "@aws-sdk/client-cognito-identity-provider";
import { CognitoIdentityProvider } from "../adapters/cognito/cognito-identity-provider.js";
import type { IdentityProvider } from "../ports/identity-provider.js";
import { ConfigError, type CognitoConfig, type KeyportConfig } from "./config.js";
import { composeServices, type AdapterOverrides, type Services } from "./services.js";

/** The identity-provider factory for AdapterOverrides: a Cognito user pool's app client. */
export function cognitoIdentityProvider(cognito: CognitoConfig): (services: Services) => IdentityProvider {
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
 * The overrides with Cognito as the identity provider, unless one is given. Throws ConfigError
 * (IDENTITY_PROVIDER) when the configuration has no Cognito settings, whatever the overrides.
 */
export function withCognito(config: KeyportConfig, overrides: AdapterOverrides = {}): AdapterOverrides {
  const cognito = config.cognito;
  if (cognito === null) throw new ConfigError("IDENTITY_PROVIDER", "cognito needs AWS_REGION, COGNITO_USER_POOL_ID and COGNITO_CLIENT_ID");
  return { ...overrides, identityProvider: overrides.identityProvider ?? cognitoIdentityProvider(cognito) };
}

/** keyport with Cognito as the identity provider, without a container. */
export function composeCognitoServices(config: KeyportConfig, overrides: AdapterOverrides = {}): Services {
  return composeServices(config, withCognito(config, overrides));
}
