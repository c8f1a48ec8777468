/**
 * The HTTP app's dependencies, taken from a composition: what the local server (through its container)
 * and the HTTP API's Lambda function share. The app (src/handlers/http) declares what it needs; this
 * is the one place that reads it off the services.
 */
import type { AppDependencies, JwksProvider } from "../handlers/http/app.js";
import type { IdentityProvider } from "../ports/identity-provider.js";
import type { Services } from "./services.js";

/** What the caller adds: the logs, and what only the local server serves (the demo page, the local Cognito API). */
export type AppOptions = Pick<AppDependencies, "log" | "staticFiles" | "connInfo" | "userPool">;

/** What the app needs of a composition. */
export type AppServices = Pick<Services, "config" | "identityProvider" | "registrationCeremony" | "passkeySignIn" | "passkeyManagement">;

export function appDependencies(services: AppServices, options: AppOptions = {}): AppDependencies {
  const identityProvider = services.identityProvider;
  return {
    registration: services.registrationCeremony,
    signIn: services.passkeySignIn,
    passkeys: services.passkeyManagement,
    identityProvider,
    allowedOrigins: services.config.relyingParty.origins,
    jwks: jwksOf(identityProvider),
    ...options,
  };
}

/** A provider that signs its own tokens (the local one) publishes its keys; Cognito publishes its own. */
function jwksOf(provider: IdentityProvider): JwksProvider | undefined {
  return provider.jwks?.bind(provider);
}
