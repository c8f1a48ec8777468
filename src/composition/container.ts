/**
 * The composition root's inversify container (ADR 0008), for the local server, the tests and the
 * benchmarks: typed tokens over the services that composeServices wires (src/composition/services.ts).
 * The wiring exists once, there; this binds each token to the member of the same name, decorator-free
 * (`toResolvedValue`), so no decorator metadata is needed from the compiler and the domain stays
 * constructible by hand with `new`. The Lambda functions use composeServices without this (ADR 0011).
 */
import { Container } from "inversify";
import type { KeyportConfig } from "./config.js";
import { composeServices, type AdapterOverrides, type Services } from "./services.js";
import { Tokens, type Token } from "./tokens.js";

export type { AdapterOverrides } from "./services.js";

/** Resolves a typed token. */
export function resolve<T>(container: Container, token: Token<T>): T {
  return container.get<T>(token);
}

type TokenName = keyof typeof Tokens;
type TokenValue<K extends TokenName> = (typeof Tokens)[K] extends Token<infer T> ? T : never;

/** Which member of Services each token names: every token once, each with its own type. */
const MEMBERS: { readonly [K in TokenName]: (services: Services) => TokenValue<K> } = {
  Config: (s) => s.config,
  Clock: (s) => s.clock,
  RandomSource: (s) => s.random,
  SessionStore: (s) => s.sessionStore,
  CredentialStore: (s) => s.credentialStore,
  SignatureVerifier: (s) => s.signatureVerifier,
  IdentityProvider: (s) => s.identityProvider,
  RelyingParty: (s) => s.relyingParty,
  RegistrationCeremony: (s) => s.registrationCeremony,
  AuthenticationCeremony: (s) => s.authenticationCeremony,
  ChallengeStateMachine: (s) => s.challengeStateMachine,
  PasskeyCustomChallenge: (s) => s.passkeyCustomChallenge,
  PasskeySignIn: (s) => s.passkeySignIn,
};

/**
 * The container over `composeServices(config, overrides)`. Throws what composeServices throws
 * (ConfigError for IDENTITY_PROVIDER when no identity provider is given); builds nothing until resolved.
 */
export function buildContainer(config: KeyportConfig, overrides: AdapterOverrides = {}): Container {
  const services = composeServices(config, overrides);
  const container = new Container({ defaultScope: "Singleton" });
  for (const name of Object.keys(MEMBERS) as TokenName[]) {
    const member = MEMBERS[name] as (services: Services) => unknown;
    container.bind(Tokens[name]).toResolvedValue(() => member(services));
  }
  return container;
}
