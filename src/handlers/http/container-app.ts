/**
 * The HTTP app over a composed container: what the local server and the Lambda entry point share.
 * The container is the composition root's; this only resolves the services the app's shells call.
 */
import type { Container } from "inversify";
import { resolve } from "../../composition/container.js";
import { Tokens } from "../../composition/tokens.js";
import { createApp, type AppDependencies, type JwksProvider } from "./app.js";

export type AppOptions = Pick<AppDependencies, "log" | "staticFiles">;

export function createAppFromContainer(container: Container, options: AppOptions = {}): ReturnType<typeof createApp> {
  const identityProvider = resolve(container, Tokens.IdentityProvider);
  return createApp({
    registration: resolve(container, Tokens.RegistrationCeremony),
    signIn: resolve(container, Tokens.PasskeySignIn),
    identityProvider,
    allowedOrigins: resolve(container, Tokens.Config).relyingParty.origins,
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
