import { describe, expect, it, vi } from "vitest";
import { CognitoIdentityProvider } from "../../src/adapters/cognito/cognito-identity-provider.js";
import { DynamoDbCredentialStore } from "../../src/adapters/dynamodb/dynamodb-credential-store.js";
import { DynamoDbSessionStore } from "../../src/adapters/dynamodb/dynamodb-session-store.js";
import { InMemoryCredentialStore } from "../../src/adapters/in-memory/in-memory-credential-store.js";
import { InMemorySessionStore } from "../../src/adapters/in-memory/in-memory-session-store.js";
import { NodeCryptoSignatureVerifier } from "../../src/adapters/node-crypto/node-crypto-signature-verifier.js";
import { WebCryptoRandomSource } from "../../src/adapters/system/web-crypto-random-source.js";
import { WebCryptoSignatureVerifier } from "../../src/adapters/webcrypto/web-crypto-signature-verifier.js";
import { cognitoIdentityProvider, withConfiguredIdentityProvider } from "../../src/composition/identity-providers.js";
import { ConfigError, parseConfig } from "../../src/composition/config.js";
import { composeServices, SERVICE_NAMES, type Services } from "../../src/composition/services.js";
import { AuthenticationCeremony } from "../../src/domain/ceremonies/authentication-ceremony.js";
import { ChallengeStateMachine } from "../../src/domain/custom-challenge/challenge-state-machine.js";
import { PasskeyCustomChallenge } from "../../src/domain/custom-challenge/passkey-custom-challenge.js";
import { PasskeySignIn } from "../../src/domain/custom-challenge/passkey-sign-in.js";
import { PasskeyManagement } from "../../src/domain/management/passkey-management.js";
import { CommunityAuthenticatorCatalog } from "../../src/adapters/authenticators/community-authenticator-catalog.js";
import { authenticatorCatalog } from "../../src/composition/authenticator-catalogs.js";
import type { AuthenticatorCatalog } from "../../src/ports/authenticator-catalog.js";
import { RegistrationCeremony } from "../../src/domain/ceremonies/registration-ceremony.js";
import { RelyingParty } from "../../src/domain/ceremonies/relying-party.js";
import { FakeIdentityProvider } from "../support/fake-identity-provider.js";
import { ManualClock } from "../support/manual-clock.js";

const catalog: AuthenticatorCatalog = { describe: async () => ({ name: "Test", icon: null }) };

const COGNITO_ENV = { IDENTITY_PROVIDER: "cognito", AWS_REGION: "eu-west-1", COGNITO_USER_POOL_ID: "eu-west-1_Example", COGNITO_CLIENT_ID: "exampleclientid" };

describe("composeServices, the wiring without a container", () => {
  it("builds every service, each once, of the right kind", () => {
    const services = composeServices(parseConfig({}), { identityProvider: () => new FakeIdentityProvider(), authenticatorCatalog });
    const kinds: { [K in keyof Services]?: abstract new (...args: never[]) => unknown } = {
      signatureVerifier: NodeCryptoSignatureVerifier,
      random: WebCryptoRandomSource,
      sessionStore: InMemorySessionStore,
      credentialStore: InMemoryCredentialStore,
      identityProvider: FakeIdentityProvider,
      relyingParty: RelyingParty,
      challengeStateMachine: ChallengeStateMachine,
      registrationCeremony: RegistrationCeremony,
      authenticationCeremony: AuthenticationCeremony,
      passkeyCustomChallenge: PasskeyCustomChallenge,
      passkeySignIn: PasskeySignIn,
      passkeyManagement: PasskeyManagement,
      authenticatorCatalog: CommunityAuthenticatorCatalog,
    };
    for (const [member, kind] of Object.entries(kinds) as [keyof Services, abstract new (...args: never[]) => unknown][]) {
      expect(services[member], member).toBeInstanceOf(kind);
      expect(services[member], member).toBe(services[member]);
    }
  });

  it("builds nothing until it is read, and only what the read needs", () => {
    const makeIdentityProvider = vi.fn(() => new FakeIdentityProvider());
    const makeCatalog = vi.fn(() => catalog);
    const services = composeServices(parseConfig({}), { identityProvider: makeIdentityProvider, authenticatorCatalog: makeCatalog });
    expect(makeIdentityProvider).not.toHaveBeenCalled();
    // The triggers' side needs neither the identity provider nor the catalog.
    expect(services.passkeyCustomChallenge).toBeInstanceOf(PasskeyCustomChallenge);
    expect(makeIdentityProvider).not.toHaveBeenCalled();
    expect(makeCatalog).not.toHaveBeenCalled();
    expect(services.registrationCeremony).toBeInstanceOf(RegistrationCeremony);
    expect(services.passkeySignIn).toBeInstanceOf(PasskeySignIn);
    expect(services.identityProvider).toBe(makeIdentityProvider.mock.results[0]?.value);
    expect(makeIdentityProvider).toHaveBeenCalledTimes(1);
    expect(services.passkeyManagement).toBeInstanceOf(PasskeyManagement);
    expect(services.authenticatorCatalog).toBe(catalog);
    expect(makeCatalog).toHaveBeenCalledTimes(1);
  });

  it("refuses a composition with no authenticator catalog when registration or management is first built, and only then", () => {
    const services = composeServices(parseConfig({}), { identityProvider: () => new FakeIdentityProvider() });
    expect(services.passkeySignIn).toBeInstanceOf(PasskeySignIn);
    expect(() => services.authenticatorCatalog).toThrow(/^keyport: this composition has no authenticator catalog$/);
    expect(() => services.registrationCeremony).toThrow(/authenticator catalog/);
    expect(() => services.passkeyManagement).toThrow(/authenticator catalog/);
  });

  it("uses the overrides, and gives the identity provider's factory the composition itself", () => {
    const clock = new ManualClock();
    const random = { bytes: (n: number) => new Uint8Array(n) };
    const sessionStore = new InMemorySessionStore(clock);
    const credentialStore = new InMemoryCredentialStore();
    let received: Services | undefined;
    const services = composeServices(parseConfig({}), {
      clock,
      random,
      sessionStore,
      credentialStore,
      identityProvider: (composition) => {
        received = composition;
        return new FakeIdentityProvider();
      },
    });
    expect(services.clock).toBe(clock);
    expect(services.random).toBe(random);
    expect(services.sessionStore).toBe(sessionStore);
    expect(services.credentialStore).toBe(credentialStore);
    expect(received).toBeUndefined();
    expect(services.identityProvider).toBeInstanceOf(FakeIdentityProvider);
    expect(received).toBe(services);
  });

  it("chooses the signature verifier and the storage by configuration; DynamoDB's stores share one client", () => {
    const identityProvider = () => new FakeIdentityProvider();
    expect(composeServices(parseConfig({ SIGNATURE_VERIFIER: "webcrypto" }), { identityProvider }).signatureVerifier).toBeInstanceOf(WebCryptoSignatureVerifier);
    const services = composeServices(parseConfig({ STORAGE: "dynamodb", DYNAMODB_ENDPOINT: "http://localhost:8000" }), { identityProvider });
    expect(services.sessionStore).toBeInstanceOf(DynamoDbSessionStore);
    expect(services.credentialStore).toBeInstanceOf(DynamoDbCredentialStore);
    const clientOf = (store: object): unknown => (store as { client?: unknown }).client;
    expect(clientOf(services.sessionStore)).toBeDefined();
    expect(clientOf(services.sessionStore)).toBe(clientOf(services.credentialStore));
  });

  it("refuses a composition with no identity provider when the identity provider is first needed, naming the variable", () => {
    const services = composeServices(parseConfig({}));
    // What does not call the identity provider (the Cognito triggers' side) is complete without one.
    expect(services.passkeyCustomChallenge).toBeInstanceOf(PasskeyCustomChallenge);
    expect(() => services.identityProvider).toThrow(ConfigError);
    expect(() => services.identityProvider).toThrow(/^IDENTITY_PROVIDER: local has no adapter in this composition$/);
    expect(() => services.passkeySignIn).toThrow(/^IDENTITY_PROVIDER: local has no adapter in this composition$/);
    expect(() => services.registrationCeremony).toThrow(/^IDENTITY_PROVIDER/);
  });

  it("names every service of the table, and only those", () => {
    expect([...SERVICE_NAMES].sort()).toEqual(
      [
        "authenticationCeremony",
        "authenticatorCatalog",
        "challengeStateMachine",
        "clock",
        "config",
        "credentialStore",
        "identityProvider",
        "identityUserDirectory",
        "passkeyCustomChallenge",
        "passkeyManagement",
        "passkeySignIn",
        "random",
        "registrationCeremony",
        "relyingParty",
        "sessionStore",
        "signatureVerifier",
      ].sort(),
    );
  });

  it("reports a service that needs itself, by name, and keeps no half-built service", () => {
    const services: Services = composeServices(parseConfig({}), {
      identityProvider: (s) => {
        void s.passkeySignIn; // which needs the identity provider: a cycle
        return new FakeIdentityProvider();
      },
    });
    expect(() => services.identityProvider).toThrow(/^keyport: identityProvider depends on itself$/);
    expect(() => services.passkeySignIn).toThrow(/^keyport: passkeySignIn depends on itself$/);
    // The rest is unaffected.
    expect(services.passkeyCustomChallenge).toBeInstanceOf(PasskeyCustomChallenge);
  });

  it("tries a failed factory again on the next read", () => {
    const makeIdentityProvider = vi.fn<() => FakeIdentityProvider>().mockImplementationOnce(() => {
      throw new Error("throttled");
    });
    makeIdentityProvider.mockImplementation(() => new FakeIdentityProvider());
    const services = composeServices(parseConfig({}), { identityProvider: makeIdentityProvider });
    expect(() => services.identityProvider).toThrow("throttled");
    expect(services.identityProvider).toBeInstanceOf(FakeIdentityProvider);
    expect(services.identityProvider).toBe(services.identityProvider);
  });
});

describe("the identity provider a composition gets", () => {
  it("is the one IDENTITY_PROVIDER names: Cognito", () => {
    const config = parseConfig(COGNITO_ENV);
    const services = composeServices(config, withConfiguredIdentityProvider(config));
    expect(services.identityProvider).toBeInstanceOf(CognitoIdentityProvider);
    expect(services.passkeySignIn).toBeInstanceOf(PasskeySignIn);
  });

  it("keeps a given identity provider", () => {
    const fake = new FakeIdentityProvider();
    const config = parseConfig(COGNITO_ENV);
    expect(composeServices(config, withConfiguredIdentityProvider(config, { identityProvider: () => fake })).identityProvider).toBe(fake);
  });

  it("refuses Cognito without its settings, naming the variable", () => {
    expect(() => cognitoIdentityProvider(parseConfig({}))).toThrow(/^IDENTITY_PROVIDER: cognito needs/);
  });

  it("offers the Cognito factory on its own, for any composition", () => {
    const config = parseConfig(COGNITO_ENV);
    const services = composeServices(config, { identityProvider: cognitoIdentityProvider(config) });
    expect(services.identityProvider).toBeInstanceOf(CognitoIdentityProvider);
  });
});
