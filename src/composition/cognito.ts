/** keyport on AWS: the composition root's container with Amazon Cognito as the identity provider. */
import type { Container } from "inversify";
import { withCognito } from "./cognito-identity-provider.js";
import type { KeyportConfig } from "./config.js";
import { buildContainer, type AdapterOverrides } from "./container.js";

export function buildCognitoContainer(config: KeyportConfig, overrides: AdapterOverrides = {}): Container {
  return buildContainer(config, withCognito(config, overrides));
}
