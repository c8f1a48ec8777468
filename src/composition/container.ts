/**
 * The composition root: the only place that knows every adapter and the only place inversify is used
 * (ADR 0008). Bindings are decorator-free (`toResolvedValue` with explicit tokens), so no decorator
 * metadata is needed from the compiler, and the domain stays constructible by hand with `new`.
 */
import { Container } from "inversify";
import type { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { createDynamoDbClient } from "../adapters/dynamodb/dynamodb-client.js";
import { DynamoDbCredentialStore } from "../adapters/dynamodb/dynamodb-credential-store.js";
import { DynamoDbSessionStore } from "../adapters/dynamodb/dynamodb-session-store.js";
import { InMemoryCredentialStore } from "../adapters/in-memory/in-memory-credential-store.js";
import { InMemorySessionStore } from "../adapters/in-memory/in-memory-session-store.js";
import { NodeCryptoSignatureVerifier } from "../adapters/node-crypto/node-crypto-signature-verifier.js";
import { SystemClock } from "../adapters/system/system-clock.js";
import { WebCryptoRandomSource } from "../adapters/system/web-crypto-random-source.js";
import { WebCryptoSignatureVerifier } from "../adapters/webcrypto/web-crypto-signature-verifier.js";
import { AuthenticationCeremony } from "../domain/authentication-ceremony.js";
import { ChallengeStateMachine } from "../domain/challenge-state-machine.js";
import { PasskeyChallenge } from "../domain/passkey-challenge.js";
import { PasskeySignIn } from "../domain/passkey-sign-in.js";
import { RegistrationCeremony } from "../domain/registration-ceremony.js";
import { RelyingParty } from "../domain/relying-party.js";
import type { Clock } from "../ports/clock.js";
import type { CredentialStore } from "../ports/credential-store.js";
import type { IdentityProvider } from "../ports/identity-provider.js";
import type { RandomSource } from "../ports/random-source.js";
import type { SessionStore } from "../ports/session-store.js";
import { ConfigError, type KeyportConfig } from "./config.js";
import { Tokens, type Token } from "./tokens.js";

/** Resolves a typed token. */
export function resolve<T>(container: Container, token: Token<T>): T {
  return container.get<T>(token);
}

/**
 * Adapters chosen outside the container: the identity provider (its construction needs the domain
 * services it will call back, so it gets a resolver), and test doubles.
 */
export interface AdapterOverrides {
  readonly clock?: Clock;
  readonly random?: RandomSource;
  readonly sessionStore?: SessionStore;
  readonly credentialStore?: CredentialStore;
  readonly identityProvider?: (get: <T>(token: Token<T>) => T) => IdentityProvider;
}

export function buildContainer(config: KeyportConfig, overrides: AdapterOverrides = {}): Container {
  const container = new Container({ defaultScope: "Singleton" });
  const get = <T>(token: Token<T>): T => container.get<T>(token);

  container.bind(Tokens.Config).toConstantValue(config);
  container.bind(Tokens.Clock).toConstantValue(overrides.clock ?? new SystemClock());
  container.bind(Tokens.RandomSource).toConstantValue(overrides.random ?? new WebCryptoRandomSource());
  container
    .bind(Tokens.SignatureVerifier)
    .toResolvedValue(() => (config.signatureVerifier === "node" ? new NodeCryptoSignatureVerifier() : new WebCryptoSignatureVerifier()));

  bindStorage(container, config, overrides);

  const identityProvider = overrides.identityProvider;
  if (identityProvider === undefined) {
    throw new ConfigError("IDENTITY_PROVIDER", `${config.identityProvider} has no adapter in this build`);
  }
  container.bind(Tokens.IdentityProvider).toResolvedValue(() => identityProvider(get));

  const bind = <T>(token: Token<T>, factory: () => T): void => {
    container.bind(token).toResolvedValue(factory);
  };
  bind(Tokens.RelyingParty, () => new RelyingParty(config.relyingParty));
  bind(Tokens.ChallengeStateMachine, () => new ChallengeStateMachine({ maxAttempts: config.maxPasskeyAttempts }));
  bind(
    Tokens.RegistrationCeremony,
    () =>
      new RegistrationCeremony({
        relyingParty: get(Tokens.RelyingParty),
        sessions: get(Tokens.SessionStore),
        credentials: get(Tokens.CredentialStore),
        identityProvider: get(Tokens.IdentityProvider),
        signatureVerifier: get(Tokens.SignatureVerifier),
        clock: get(Tokens.Clock),
        random: get(Tokens.RandomSource),
      }),
  );
  bind(
    Tokens.AuthenticationCeremony,
    () =>
      new AuthenticationCeremony({
        relyingParty: get(Tokens.RelyingParty),
        sessions: get(Tokens.SessionStore),
        credentials: get(Tokens.CredentialStore),
        signatureVerifier: get(Tokens.SignatureVerifier),
        clock: get(Tokens.Clock),
        random: get(Tokens.RandomSource),
        // Without a configured secret, fake lists are stable only for this process's lifetime.
        unknownUserSecret: config.unknownUserSecret ?? get(Tokens.RandomSource).bytes(32),
      }),
  );
  bind(Tokens.PasskeyChallenge, () => new PasskeyChallenge({ credentials: get(Tokens.CredentialStore), authentication: get(Tokens.AuthenticationCeremony) }));
  bind(
    Tokens.PasskeySignIn,
    () =>
      new PasskeySignIn({
        credentials: get(Tokens.CredentialStore),
        identityProvider: get(Tokens.IdentityProvider),
        authentication: get(Tokens.AuthenticationCeremony),
      }),
  );
  return container;
}

function bindStorage(container: Container, config: KeyportConfig, overrides: AdapterOverrides): void {
  const dynamoDb = config.dynamoDb;
  if (dynamoDb !== null) {
    // One client (one connection pool) for both stores, made when a store is first resolved.
    let client: DynamoDBClient | undefined;
    const shared = (): DynamoDBClient => (client ??= createDynamoDbClient({ endpoint: dynamoDb.endpoint }));
    container
      .bind(Tokens.SessionStore)
      .toResolvedValue(() => overrides.sessionStore ?? new DynamoDbSessionStore({ client: shared(), tableName: dynamoDb.sessionTable }));
    container
      .bind(Tokens.CredentialStore)
      .toResolvedValue(() => overrides.credentialStore ?? new DynamoDbCredentialStore({ client: shared(), tableName: dynamoDb.credentialTable }));
    return;
  }
  container.bind(Tokens.SessionStore).toResolvedValue(() => overrides.sessionStore ?? new InMemorySessionStore(container.get(Tokens.Clock)));
  container.bind(Tokens.CredentialStore).toResolvedValue(() => overrides.credentialStore ?? new InMemoryCredentialStore());
}
