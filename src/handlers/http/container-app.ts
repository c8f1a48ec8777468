/**
 * The HTTP app over the composition root's container (the local server, tests, benchmarks): the
 * services the app needs, resolved by their tokens and handed to createAppFromServices, which the
 * HTTP API's Lambda function calls with its container-free composition.
 */
import type { Container } from "inversify";
import { resolve } from "../../composition/container.js";
import { Tokens } from "../../composition/tokens.js";
import type { createApp } from "./app.js";
import { createAppFromServices, type AppOptions } from "./services-app.js";

export type { AppOptions } from "./services-app.js";

export function createAppFromContainer(container: Container, options: AppOptions = {}): ReturnType<typeof createApp> {
  return createAppFromServices(
    {
      identityProvider: resolve(container, Tokens.IdentityProvider),
      registrationCeremony: resolve(container, Tokens.RegistrationCeremony),
      passkeySignIn: resolve(container, Tokens.PasskeySignIn),
      config: resolve(container, Tokens.Config),
    },
    options,
  );
}
