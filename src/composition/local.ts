/**
 * keyport on a laptop: the composition root with the local identity provider, whose custom-challenge
 * sign-in runs keyport's own Cognito trigger handlers in-process.
 */
import type { Container } from "inversify";
import { LocalIdentityProvider } from "../adapters/local-identity/local-identity-provider.js";
import { createCustomChallengeTriggers } from "../handlers/cognito/triggers.js";
import type { IdentityProvider } from "../ports/identity-provider.js";
import type { KeyportConfig } from "./config.js";
import { buildContainer, type AdapterOverrides } from "./container.js";
import type { Services } from "./services.js";

export const LOCAL_CLIENT_ID = "keyport-local";

export function buildLocalContainer(config: KeyportConfig, overrides: AdapterOverrides = {}): Container {
  return buildContainer(config, { ...overrides, identityProvider: overrides.identityProvider ?? localIdentityProvider(config) });
}

/** The identity-provider factory for AdapterOverrides: the local provider, over the composition's own triggers. */
export function localIdentityProvider(config: KeyportConfig): (services: Services) => IdentityProvider {
  return (services) =>
    new LocalIdentityProvider({
      clock: services.clock,
      random: services.random,
      triggers: createCustomChallengeTriggers({ stateMachine: services.challengeStateMachine, passkeyCustomChallenge: services.passkeyCustomChallenge }),
      issuer: localIssuer(config),
      clientId: LOCAL_CLIENT_ID,
    });
}

/** The local provider's `iss`: the server's own origin. */
export function localIssuer(config: KeyportConfig): string {
  return config.relyingParty.origins[0] ?? `http://localhost:${config.port}`;
}
