/**
 * The HTTP app over composed services: what the local server (through its container, container-app.ts)
 * and the HTTP API's Lambda function share. No inversify on this path, so the Lambda bundle has none
 * (ADR 0011); the services are the composition root's, and this only reads the ones the app's shells call.
 */
import type { Services } from "../../composition/services.js";
import { createApp, type AppDependencies, type JwksProvider } from "./app.js";

export type AppOptions = Pick<AppDependencies, "log" | "staticFiles">;

/** What the app needs of a composition. */
export type AppServices = Pick<Services, "config" | "identityProvider" | "registrationCeremony" | "passkeySignIn">;

export function createAppFromServices(services: AppServices, options: AppOptions = {}): ReturnType<typeof createApp> {
  const identityProvider = services.identityProvider;
  return createApp({
    registration: services.registrationCeremony,
    signIn: services.passkeySignIn,
    identityProvider,
    allowedOrigins: services.config.relyingParty.origins,
    jwks: jwksOf(identityProvider),
    ...options,
  });
}

/** A provider that issues its own tokens (the local one) publishes its keys; Cognito publishes its own. */
function jwksOf(provider: object): JwksProvider | undefined {
  const candidate = provider as { jwks?: unknown };
  if (typeof candidate.jwks !== "function") return undefined;
  const jwks = candidate.jwks as () => ReturnType<JwksProvider>;
  return () => jwks.call(provider);
}
