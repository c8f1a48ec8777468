/**
 * keyport's wiring, written once, as a plain function (ADR 0011): which adapter each port gets and how
 * every domain service is built from them. Each member is built the first time it is read and shared
 * after that, so a function that needs only the triggers never builds the HTTP side, and a deployment
 * never builds the adapters it did not choose.
 *
 * No inversify here, on purpose: the Lambda functions compose with this directly, and their bundles
 * stay free of the container (~90 KB minified). The local server's inversify container
 * (src/composition/container.ts) binds each typed token to the member of the same name, so both
 * compositions are this one.
 */
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
import { AuthenticationCeremony } from "../domain/ceremonies/authentication-ceremony.js";
import { ChallengeStateMachine } from "../domain/custom-challenge/challenge-state-machine.js";
import { PasskeyCustomChallenge } from "../domain/custom-challenge/passkey-custom-challenge.js";
import { PasskeySignIn } from "../domain/custom-challenge/passkey-sign-in.js";
import { RegistrationCeremony } from "../domain/ceremonies/registration-ceremony.js";
import { RelyingParty } from "../domain/ceremonies/relying-party.js";
import type { Clock } from "../ports/clock.js";
import type { CredentialStore } from "../ports/credential-store.js";
import type { IdentityProvider } from "../ports/identity-provider.js";
import type { RandomSource } from "../ports/random-source.js";
import type { SessionStore } from "../ports/session-store.js";
import type { SignatureVerifier } from "../ports/signature-verifier.js";
import { ConfigError, type KeyportConfig } from "./config.js";

/**
 * Every service of one composition. The members are getters: reading one builds it (and what it
 * needs) once. Read the members you need; spreading the object would build all of them.
 */
export interface Services {
  readonly config: KeyportConfig;
  readonly clock: Clock;
  readonly random: RandomSource;
  readonly signatureVerifier: SignatureVerifier;
  readonly sessionStore: SessionStore;
  readonly credentialStore: CredentialStore;
  readonly identityProvider: IdentityProvider;
  readonly relyingParty: RelyingParty;
  readonly challengeStateMachine: ChallengeStateMachine;
  readonly registrationCeremony: RegistrationCeremony;
  readonly authenticationCeremony: AuthenticationCeremony;
  readonly passkeyCustomChallenge: PasskeyCustomChallenge;
  readonly passkeySignIn: PasskeySignIn;
}

/**
 * Adapters chosen outside this function: the identity provider (its construction may need the domain
 * services it will call back, so it is given the composition), and test doubles.
 */
export interface AdapterOverrides {
  readonly clock?: Clock;
  readonly random?: RandomSource;
  readonly sessionStore?: SessionStore;
  readonly credentialStore?: CredentialStore;
  readonly identityProvider?: (services: Services) => IdentityProvider;
}

/**
 * Composes keyport from its configuration. Throws ConfigError (IDENTITY_PROVIDER) at once when no
 * identity provider is given: which one a deployment uses is the caller's choice (local.ts,
 * cognito-identity-provider.ts), and a composition without one is a setup mistake, not a later fault.
 */
export function composeServices(config: KeyportConfig, overrides: AdapterOverrides = {}): Services {
  const makeIdentityProvider = overrides.identityProvider;
  if (makeIdentityProvider === undefined) {
    throw new ConfigError("IDENTITY_PROVIDER", `${config.identityProvider} has no adapter in this build`);
  }

  const clock = once("clock", (): Clock => overrides.clock ?? new SystemClock());
  const random = once("random", (): RandomSource => overrides.random ?? new WebCryptoRandomSource());
  const signatureVerifier = once(
    "signatureVerifier",
    (): SignatureVerifier => (config.signatureVerifier === "node" ? new NodeCryptoSignatureVerifier() : new WebCryptoSignatureVerifier()),
  );
  const { sessionStore, credentialStore } = storage(config, overrides, clock);
  const identityProvider = once("identityProvider", () => makeIdentityProvider(services));
  const relyingParty = once("relyingParty", () => new RelyingParty(config.relyingParty));
  const challengeStateMachine = once("challengeStateMachine", () => new ChallengeStateMachine({ maxAttempts: config.maxPasskeyAttempts }));
  const registrationCeremony = once(
    "registrationCeremony",
    () =>
      new RegistrationCeremony({
        relyingParty: relyingParty(),
        sessions: sessionStore(),
        credentials: credentialStore(),
        identityProvider: identityProvider(),
        signatureVerifier: signatureVerifier(),
        clock: clock(),
        random: random(),
      }),
  );
  const authenticationCeremony = once(
    "authenticationCeremony",
    () =>
      new AuthenticationCeremony({
        relyingParty: relyingParty(),
        sessions: sessionStore(),
        credentials: credentialStore(),
        signatureVerifier: signatureVerifier(),
        clock: clock(),
        random: random(),
        // Without a configured secret, fake lists are stable only for this process's lifetime.
        unknownUserSecret: config.unknownUserSecret ?? random().bytes(32),
      }),
  );
  const passkeyCustomChallenge = once("passkeyCustomChallenge", () => new PasskeyCustomChallenge({ credentials: credentialStore(), authentication: authenticationCeremony() }));
  const passkeySignIn = once(
    "passkeySignIn",
    () => new PasskeySignIn({ credentials: credentialStore(), identityProvider: identityProvider(), authentication: authenticationCeremony() }),
  );

  const services: Services = {
    get config() {
      return config;
    },
    get clock() {
      return clock();
    },
    get random() {
      return random();
    },
    get signatureVerifier() {
      return signatureVerifier();
    },
    get sessionStore() {
      return sessionStore();
    },
    get credentialStore() {
      return credentialStore();
    },
    get identityProvider() {
      return identityProvider();
    },
    get relyingParty() {
      return relyingParty();
    },
    get challengeStateMachine() {
      return challengeStateMachine();
    },
    get registrationCeremony() {
      return registrationCeremony();
    },
    get authenticationCeremony() {
      return authenticationCeremony();
    },
    get passkeyCustomChallenge() {
      return passkeyCustomChallenge();
    },
    get passkeySignIn() {
      return passkeySignIn();
    },
  };
  return services;
}

/** The stores STORAGE names (DynamoDB when its settings are present), unless overridden; DynamoDB's two share one client, made with the first. */
function storage(
  config: KeyportConfig,
  overrides: AdapterOverrides,
  clock: () => Clock,
): { sessionStore: () => SessionStore; credentialStore: () => CredentialStore } {
  const dynamoDb = config.dynamoDb;
  if (dynamoDb !== null) {
    // One client (one connection pool) for both stores, made when a store is first built.
    const client = once("dynamoDbClient", (): DynamoDBClient => createDynamoDbClient({ endpoint: dynamoDb.endpoint }));
    return {
      sessionStore: once("sessionStore", () => overrides.sessionStore ?? new DynamoDbSessionStore({ client: client(), tableName: dynamoDb.sessionTable })),
      credentialStore: once(
        "credentialStore",
        () => overrides.credentialStore ?? new DynamoDbCredentialStore({ client: client(), tableName: dynamoDb.credentialTable }),
      ),
    };
  }
  return {
    sessionStore: once("sessionStore", () => overrides.sessionStore ?? new InMemorySessionStore(clock())),
    credentialStore: once("credentialStore", () => overrides.credentialStore ?? new InMemoryCredentialStore()),
  };
}

/**
 * A singleton: `make` runs on the first call and its value is kept. A factory that fails is not kept
 * (the next read tries again, and fails the same way), and one that needs itself is reported by name
 * instead of overflowing the stack.
 */
function once<T>(name: string, make: () => T): () => T {
  let state: { readonly value: T } | "building" | null = null;
  return () => {
    if (state === "building") throw new Error(`keyport: ${name} depends on itself`);
    if (state !== null) return state.value;
    state = "building";
    try {
      state = { value: make() };
      return state.value;
    } finally {
      if (state === "building") state = null;
    }
  };
}
