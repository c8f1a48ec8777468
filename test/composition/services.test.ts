import { describe, expect, it, vi } from "vitest";
import { CognitoIdentityProvider } from "../../src/adapters/cognito/cognito-identity-provider.js";
import { DynamoDbCredentialStore } from "../../src/adapters/dynamodb/dynamodb-credential-store.js";
import { DynamoDbSecurityEventLog } from "../../src/adapters/dynamodb/dynamodb-security-event-log.js";
import { DynamoDbSessionStore } from "../../src/adapters/dynamodb/dynamodb-session-store.js";
import { InMemoryCredentialStore } from "../../src/adapters/in-memory/in-memory-credential-store.js";
import { InMemorySecurityEventLog } from "../../src/adapters/in-memory/in-memory-security-event-log.js";
import { InMemorySessionStore } from "../../src/adapters/in-memory/in-memory-session-store.js";
import { InMemoryCeremonyMetrics } from "../../src/adapters/system/in-memory-ceremony-metrics.js";
import { LogLostEventReporter, LOST_EVENT_LOG_EVENT } from "../../src/adapters/system/log-lost-event-reporter.js";
import { NodeCryptoSignatureVerifier } from "../../src/adapters/node-crypto/node-crypto-signature-verifier.js";
import { WebCryptoRandomSource } from "../../src/adapters/system/web-crypto-random-source.js";
import { WebCryptoSignatureVerifier } from "../../src/adapters/webcrypto/web-crypto-signature-verifier.js";
import { cognitoIdentityProvider, withConfiguredIdentityProvider } from "../../src/composition/identity-providers.js";
import { ConfigError, parseConfig } from "../../src/composition/config.js";
import { composeServices, SERVICE_NAMES, type Services } from "../../src/composition/services.js";
import { SecurityActivity } from "../../src/domain/activity/security-activity.js";
import type { SecurityEvent } from "../../src/domain/activity/security-events.js";
import { AuthenticationCeremony } from "../../src/domain/ceremonies/authentication-ceremony.js";
import type { LogEntry } from "../../src/handlers/http/log.js";
import { ChallengeStateMachine } from "../../src/domain/custom-challenge/challenge-state-machine.js";
import { PasskeyCustomChallenge } from "../../src/domain/custom-challenge/passkey-custom-challenge.js";
import { PasskeySignIn } from "../../src/domain/custom-challenge/passkey-sign-in.js";
import { PasskeyManagement } from "../../src/domain/management/passkey-management.js";
import { CommunityAuthenticatorCatalog } from "../../src/adapters/authenticators/community-authenticator-catalog.js";
import { authenticatorCatalog } from "../../src/composition/authenticator-catalogs.js";
import { certificateVerifier } from "../../src/composition/certificate-verifiers.js";
import { NodeCryptoCertificateVerifier } from "../../src/adapters/node-crypto/node-crypto-certificate-verifier.js";
import { apiServices } from "../../src/composition/api-services.js";
import type { AuthenticatorCatalog } from "../../src/ports/authenticator-catalog.js";
import { RegistrationCeremony } from "../../src/domain/ceremonies/registration-ceremony.js";
import { RelyingParty } from "../../src/domain/ceremonies/relying-party.js";
import { FakeIdentityProvider } from "../support/fake-identity-provider.js";
import { ManualClock } from "../support/manual-clock.js";

const catalog: AuthenticatorCatalog = { describe: async () => ({ name: "Test", icon: null }) };

const COGNITO_ENV = { IDENTITY_PROVIDER: "cognito", AWS_REGION: "eu-west-1", COGNITO_USER_POOL_ID: "eu-west-1_Example", COGNITO_CLIENT_ID: "exampleclientid" };

describe("composeServices, the wiring without a container", () => {
  it("builds every service, each once, of the right kind", () => {
    const services = composeServices(parseConfig({}), { identityProvider: () => new FakeIdentityProvider(), authenticatorCatalog, certificateVerifier, apiServices });
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
      certificateVerifier: NodeCryptoCertificateVerifier,
      securityEventLog: InMemorySecurityEventLog,
      ceremonyMetrics: InMemoryCeremonyMetrics,
      lostEventReporter: LogLostEventReporter,
      securityActivity: SecurityActivity,
    };
    for (const [member, kind] of Object.entries(kinds) as [keyof Services, abstract new (...args: never[]) => unknown][]) {
      expect(services[member], member).toBeInstanceOf(kind);
      expect(services[member], member).toBe(services[member]);
    }
  });

  it("builds nothing until it is read, and only what the read needs", () => {
    const makeIdentityProvider = vi.fn(() => new FakeIdentityProvider());
    const makeCatalog = vi.fn(() => catalog);
    const services = composeServices(parseConfig({}), { apiServices, identityProvider: makeIdentityProvider, authenticatorCatalog: makeCatalog });
    expect(makeIdentityProvider).not.toHaveBeenCalled();
    expect(makeCatalog).not.toHaveBeenCalled();
    // The triggers' side needs no identity provider; it names passkeys in the events it records.
    expect(services.passkeyCustomChallenge).toBeInstanceOf(PasskeyCustomChallenge);
    expect(makeIdentityProvider).not.toHaveBeenCalled();
    expect(makeCatalog).toHaveBeenCalledTimes(1);
    expect(services.registrationCeremony).toBeInstanceOf(RegistrationCeremony);
    expect(services.passkeySignIn).toBeInstanceOf(PasskeySignIn);
    expect(services.identityProvider).toBe(makeIdentityProvider.mock.results[0]?.value);
    expect(makeIdentityProvider).toHaveBeenCalledTimes(1);
    expect(services.passkeyManagement).toBeInstanceOf(PasskeyManagement);
    expect(services.authenticatorCatalog).toBe(catalog);
    expect(makeCatalog).toHaveBeenCalledTimes(1);
  });

  it("refuses a composition with no authenticator catalog when a service that names passkeys is first built, and only then", () => {
    const services = composeServices(parseConfig({}), { apiServices, identityProvider: () => new FakeIdentityProvider() });
    expect(services.authenticationCeremony).toBeInstanceOf(AuthenticationCeremony);
    expect(services.securityEventLog).toBeInstanceOf(InMemorySecurityEventLog);
    expect(() => services.authenticatorCatalog).toThrow(/^keyport: this composition has no authenticator catalog$/);
    // Registration and the passkeys' list name authenticators; every service that records events does too.
    for (const name of ["registrationCeremony", "passkeyManagement", "securityActivity", "passkeySignIn", "passkeyCustomChallenge"] as const) {
      expect(() => services[name], name).toThrow(/authenticator catalog/);
    }
  });

  it("builds the certificate verifier from its factory, once, and reports its absence only when it is read", () => {
    const make = vi.fn(certificateVerifier);
    const services = composeServices(parseConfig({}), { apiServices, authenticatorCatalog: () => catalog, certificateVerifier: make });
    expect(services.passkeyCustomChallenge).toBeInstanceOf(PasskeyCustomChallenge);
    expect(make).not.toHaveBeenCalled();
    expect(services.certificateVerifier).toBeInstanceOf(NodeCryptoCertificateVerifier);
    expect(services.certificateVerifier).toBe(services.certificateVerifier);
    expect(make).toHaveBeenCalledTimes(1);
    const without = composeServices(parseConfig({}), { apiServices, authenticatorCatalog: () => catalog });
    expect(without.passkeyCustomChallenge).toBeInstanceOf(PasskeyCustomChallenge);
    expect(() => without.certificateVerifier).toThrow(/^keyport: this composition has no certificate verifier$/);
  });

  it("uses the overrides, and gives the identity provider's factory the composition itself", () => {
    const clock = new ManualClock();
    const random = { bytes: (n: number) => new Uint8Array(n) };
    const sessionStore = new InMemorySessionStore(clock);
    const credentialStore = new InMemoryCredentialStore();
    let received: Services | undefined;
    const services = composeServices(parseConfig({}), {
      apiServices,
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
    expect(composeServices(parseConfig({ SIGNATURE_VERIFIER: "webcrypto" }), { apiServices, identityProvider }).signatureVerifier).toBeInstanceOf(WebCryptoSignatureVerifier);
    const services = composeServices(parseConfig({ STORAGE: "dynamodb", DYNAMODB_ENDPOINT: "http://localhost:8000" }), { apiServices, identityProvider });
    expect(services.sessionStore).toBeInstanceOf(DynamoDbSessionStore);
    expect(services.credentialStore).toBeInstanceOf(DynamoDbCredentialStore);
    const clientOf = (store: object): unknown => (store as { client?: unknown }).client;
    expect(clientOf(services.sessionStore)).toBeDefined();
    expect(clientOf(services.sessionStore)).toBe(clientOf(services.credentialStore));
    expect(services.securityEventLog).toBeInstanceOf(DynamoDbSecurityEventLog);
    expect(clientOf(services.securityEventLog)).toBe(clientOf(services.credentialStore));
  });

  it("puts security events in EVENT_TABLE, kept EVENT_RETENTION_DAYS, on either storage", () => {
    const fields = (log: object) => log as { tableName?: unknown; retentionMs?: unknown };
    const dynamoDb = composeServices(parseConfig({ STORAGE: "dynamodb", DYNAMODB_ENDPOINT: "http://localhost:8000", EVENT_TABLE: "audit", EVENT_RETENTION_DAYS: "7" }), { apiServices });
    expect(fields(dynamoDb.securityEventLog)).toMatchObject({ tableName: "audit", retentionMs: 7 * 86_400_000 });
    expect(fields(composeServices(parseConfig({}), { apiServices }).securityEventLog).retentionMs).toBe(90 * 86_400_000);
  });

  it("writes a lost security event into the log the composition is given, as one error line", () => {
    const logs: LogEntry[] = [];
    const services = composeServices(parseConfig({}), { apiServices, log: (entry) => logs.push(entry) });
    const event: SecurityEvent = { type: "signed_out", eventId: "e", at: 1, userHandle: "h", context: { sourceIp: null, userAgent: null, correlationId: "req-12345678" } };
    services.lostEventReporter.lost(event, new Error("down"));
    expect(logs).toEqual([expect.objectContaining({ level: "error", event: LOST_EVENT_LOG_EVENT, securityEvent: event, correlationId: "req-12345678" })]);
  });

  it("records with the adapters it is given: metrics, event log and lost-event reporter", async () => {
    const ceremonyMetrics = new InMemoryCeremonyMetrics();
    const lost: [SecurityEvent, unknown][] = [];
    const failing = new InMemorySecurityEventLog({ clock: new ManualClock(), retentionMs: 1 });
    vi.spyOn(failing, "append").mockRejectedValue(new Error("store down"));
    const services = composeServices(parseConfig({}), {
      apiServices,
      authenticatorCatalog: () => catalog,
      ceremonyMetrics,
      securityEventLog: failing,
      lostEventReporter: { lost: (event, fault) => void lost.push([event, fault]) },
    });
    await services.securityActivity.record({ type: "signed_out", userHandle: "h" }, { sourceIp: null, userAgent: null, correlationId: null });
    expect(ceremonyMetrics.counts()).toEqual([{ ceremony: "sign_out", outcome: "succeeded", count: 1 }]);
    expect(lost.map(([event]) => event.type)).toEqual(["signed_out"]);
  });

  it("refuses a composition with no identity provider when the identity provider is first needed, naming the variable", () => {
    const services = composeServices(parseConfig({}), { apiServices, authenticatorCatalog: () => catalog });
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
        "authenticatorMetadata",
        "authenticatorCatalog",
        "ceremonyMetrics",
        "certificateVerifier",
        "challengeStateMachine",
        "clock",
        "config",
        "credentialStore",
        "identityProvider",
        "identityUserDirectory",
        "lostEventReporter",
        "passkeyCustomChallenge",
        "passkeyManagement",
        "passkeySignIn",
        "random",
        "refreshGrantStore",
        "registrationCeremony",
        "relyingParty",
        "securityActivity",
        "securityEventLog",
        "sessionStore",
        "signatureVerifier",
        "userPool",
      ].sort(),
    );
  });

  it("refuses the API's services in a composition not given their classes (a trigger's), naming the service, and builds the rest", () => {
    const services = composeServices(parseConfig({}), { identityProvider: () => new FakeIdentityProvider(), authenticatorCatalog });
    expect(() => services.registrationCeremony).toThrow(/no registrationCeremony \(it serves no HTTP API\)/);
    expect(() => services.passkeySignIn).toThrow(/no passkeySignIn/);
    expect(() => services.passkeyManagement).toThrow(/no passkeyManagement/);
    expect(services.passkeyCustomChallenge).toBeDefined();
  });

  it("reports a service that needs itself, by name, and keeps no half-built service", () => {
    const services: Services = composeServices(parseConfig({}), {
      apiServices,
      authenticatorCatalog: () => catalog,
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
    const services = composeServices(parseConfig({}), { apiServices, identityProvider: makeIdentityProvider });
    expect(() => services.identityProvider).toThrow("throttled");
    expect(services.identityProvider).toBeInstanceOf(FakeIdentityProvider);
    expect(services.identityProvider).toBe(services.identityProvider);
  });
});

describe("the identity provider a composition gets", () => {
  it("is the one IDENTITY_PROVIDER names: Cognito", () => {
    const config = parseConfig(COGNITO_ENV);
    const services = composeServices(config, withConfiguredIdentityProvider(config, { apiServices, authenticatorCatalog: () => catalog }));
    expect(services.identityProvider).toBeInstanceOf(CognitoIdentityProvider);
    expect(services.passkeySignIn).toBeInstanceOf(PasskeySignIn);
  });

  it("keeps a given identity provider", () => {
    const fake = new FakeIdentityProvider();
    const config = parseConfig(COGNITO_ENV);
    expect(composeServices(config, withConfiguredIdentityProvider(config, { apiServices, identityProvider: () => fake })).identityProvider).toBe(fake);
  });

  it("refuses Cognito without its settings, naming the variable", () => {
    expect(() => cognitoIdentityProvider(parseConfig({}))).toThrow(/^IDENTITY_PROVIDER: cognito needs/);
  });

  it("offers the Cognito factory on its own, for any composition", () => {
    const config = parseConfig(COGNITO_ENV);
    const services = composeServices(config, { apiServices, identityProvider: cognitoIdentityProvider(config) });
    expect(services.identityProvider).toBeInstanceOf(CognitoIdentityProvider);
  });
});
