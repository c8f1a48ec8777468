/** keyport on AWS: the composition root with Amazon Cognito as the identity provider. */
import { CognitoIdentityProviderClient } from "@aws-sdk/client-cognito-identity-provider";
import type { Container } from "inversify";
import { CognitoIdentityProvider } from "../adapters/cognito/cognito-identity-provider.js";
import { ConfigError, type KeyportConfig } from "./config.js";
import { buildContainer, type AdapterOverrides } from "./container.js";
import { Tokens } from "./tokens.js";

export function buildCognitoContainer(config: KeyportConfig, overrides: AdapterOverrides = {}): Container {
  const cognito = config.cognito;
  if (cognito === null) throw new ConfigError("IDENTITY_PROVIDER", "cognito needs AWS_REGION, COGNITO_USER_POOL_ID and COGNITO_CLIENT_ID");
  return buildContainer(config, {
    ...overrides,
    identityProvider:
      overrides.identityProvider ??
      ((get) =>
        new CognitoIdentityProvider({
          // Created once per container, i.e. once per Lambda cold start.
          client: new CognitoIdentityProviderClient({ region: cognito.region }),
          userPoolId: cognito.userPoolId,
          clientId: cognito.clientId,
          clientSecret: cognito.clientSecret ?? undefined,
          region: cognito.region,
          random: get(Tokens.RandomSource),
          clock: get(Tokens.Clock),
        })),
  });
}
