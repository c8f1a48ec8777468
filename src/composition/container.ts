/**
 * The local server's composition root: an inversify container over the services composeServices wires
 * (ADR 0008, ADR 0011). The wiring exists once, in services.ts; this binds one typed token per service
 * name to the service of that name, decorator-free (`toResolvedValue`), so no decorator metadata is
 * needed from the compiler and the domain stays constructible by hand with `new`. The Lambda functions
 * use composeServices without this.
 */
import { Container } from "inversify";
import type { AppDependencies } from "../handlers/http/app.js";
import type { KeyportConfig } from "./config.js";
import { withNodeAdapters } from "./node-adapters.js";
import { appDependencies, type AppOptions } from "./http-app.js";
import { composeServices, SERVICE_NAMES, type AdapterOverrides, type ServiceName, type Services } from "./services.js";

declare const tokenType: unique symbol;
/** A token carries the type of what it names, so `resolve(container, Tokens.clock)` is a `Clock` without casts at the call site. */
export type Token<T> = symbol & { readonly [tokenType]?: T };

/** One token per service, named as the service is. */
export const Tokens = Object.fromEntries(SERVICE_NAMES.map((name) => [name, Symbol(`keyport.${name}`)])) as {
  // Built from SERVICE_NAMES, which are exactly the keys of Services; the phantom type is the token's only addition.
  readonly [K in ServiceName]: Token<Services[K]>;
};

/** Resolves a typed token. */
export function resolve<T>(container: Container, token: Token<T>): T {
  return container.get<T>(token);
}

/** The HTTP app's dependencies, resolved from the container. */
export function appDependenciesFromContainer(container: Container, options: AppOptions = {}): AppDependencies {
  return appDependencies(
    {
      config: resolve(container, Tokens.config),
      identityProvider: resolve(container, Tokens.identityProvider),
      registrationCeremony: resolve(container, Tokens.registrationCeremony),
      passkeySignIn: resolve(container, Tokens.passkeySignIn),
      passkeyManagement: resolve(container, Tokens.passkeyManagement),
    },
    options,
  );
}

/**
 * The container over `composeServices`, with Node's adapters (node-adapters.ts: the identity provider
 * IDENTITY_PROVIDER names, the authenticator catalog, X.509, FIDO metadata), unless the overrides give them. Builds nothing until resolved; throws
 * ConfigError for IDENTITY_PROVIDER=cognito without the Cognito settings.
 */
export function buildContainer(config: KeyportConfig, overrides: AdapterOverrides = {}): Container {
  const services = composeServices(config, withNodeAdapters(config, overrides));
  const container = new Container({ defaultScope: "Singleton" });
  for (const name of SERVICE_NAMES) container.bind(Tokens[name]).toResolvedValue(() => services[name]);
  return container;
}
