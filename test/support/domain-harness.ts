/**
 * The domain built by hand with `new`, as an embedder in another runtime would, on the in-memory
 * adapters, a manual clock, a fake identity provider (or the local one: buildSignInDomain) and a small
 * authenticator catalog, with security activity recorded in a recording in-memory event log and counted
 * by recording metrics.
 */
import { InMemoryCredentialStore } from "../../src/adapters/in-memory/in-memory-credential-store.js";
import { InMemoryIdentityUserDirectory } from "../../src/adapters/in-memory/in-memory-identity-user-directory.js";
import { InMemorySessionStore } from "../../src/adapters/in-memory/in-memory-session-store.js";
import { WebCryptoRandomSource } from "../../src/adapters/system/web-crypto-random-source.js";
import { WebCryptoSignatureVerifier } from "../../src/adapters/webcrypto/web-crypto-signature-verifier.js";
import { LocalIdentityProvider } from "../../src/adapters/local-identity/local-identity-provider.js";
import { createCustomChallengeTriggers } from "../../src/handlers/cognito/triggers.js";
import type { IdentityProvider } from "../../src/ports/identity-provider.js";
import { SecurityActivity } from "../../src/domain/activity/security-activity.js";
import { AuthenticationCeremony } from "../../src/domain/ceremonies/authentication-ceremony.js";
import { RegistrationCeremony } from "../../src/domain/ceremonies/registration-ceremony.js";
import { RelyingParty, type RelyingPartyConfig } from "../../src/domain/ceremonies/relying-party.js";
import { ChallengeStateMachine } from "../../src/domain/custom-challenge/challenge-state-machine.js";
import { PasskeyCustomChallenge } from "../../src/domain/custom-challenge/passkey-custom-challenge.js";
import { PasskeySignIn } from "../../src/domain/custom-challenge/passkey-sign-in.js";
import { PasskeyManagement } from "../../src/domain/management/passkey-management.js";
import type { AuthenticatorCatalog, AuthenticatorDescription, AuthenticatorHints } from "../../src/ports/authenticator-catalog.js";
import type { SignatureVerifier } from "../../src/ports/signature-verifier.js";
import type { CertificateVerifier } from "../../src/ports/certificate-verifier.js";
import type { TrustAnchors } from "../../src/ports/trust-anchors.js";
import type { AuthenticatorMetadata } from "../../src/ports/authenticator-metadata.js";
import type { AuthenticatorPolicy } from "../../src/domain/ceremonies/attestation/authenticator-policy.js";
import { NodeCryptoCertificateVerifier } from "../../src/adapters/node-crypto/node-crypto-certificate-verifier.js";
import { FakeIdentityProvider } from "./fake-identity-provider.js";
import { ManualClock } from "./manual-clock.js";
import { RecordingLostEventReporter } from "./recording-lost-event-reporter.js";
import { RecordingCeremonyMetrics } from "./recording-metrics.js";
import { RecordingSecurityEventLog } from "./recording-security-event-log.js";
import { SoftwareAuthenticator } from "./software-authenticator.js";

export const ORIGIN = "https://app.example.com";
export const RP_ID = "example.com";

export const TEST_RP: RelyingPartyConfig = {
  id: RP_ID,
  name: "keyport test",
  origins: [ORIGIN],
  userVerification: "required",
  registrationTimeoutMs: 300_000,
  authenticationTimeoutMs: 300_000,
};

/** AAGUIDs the test catalog knows (real ones, from the passkey-authenticator-aaguids data set). */
export const TEST_AAGUIDS = {
  iCloudKeychain: "fbfc3007-154e-4ecc-8c0b-6e020557d7bd",
  googlePasswordManager: "ea9b8d66-4d01-1d21-3ce4-b6b48cb575d4",
  yubiKey5: "cb69481e-8ff7-4039-93ec-0a2729a154a8",
} as const;

/** A 16-byte AAGUID for the software authenticator, from its UUID form. */
export function aaguidBytes(uuid: string): Uint8Array {
  return new Uint8Array(Buffer.from(uuid.replaceAll("-", ""), "hex"));
}

/**
 * An authenticator catalog for domain tests: three known authenticators (iCloud Keychain with an icon),
 * a fallback named from the hints as the port asks, and a record of what it was asked. `entries` may be
 * changed by a test (a long name, a name with characters a passkey name refuses).
 */
export class TestAuthenticatorCatalog implements AuthenticatorCatalog {
  readonly entries = new Map<string, AuthenticatorDescription>([
    [TEST_AAGUIDS.iCloudKeychain, { name: "iCloud Keychain", icon: { light: "data:image/svg+xml;base64,bGlnaHQ=", dark: "data:image/svg+xml;base64,ZGFyaw==" } }],
    [TEST_AAGUIDS.googlePasswordManager, { name: "Google Password Manager", icon: null }],
    [TEST_AAGUIDS.yubiKey5, { name: "YubiKey 5 Series", icon: null }],
  ]);
  readonly asked: { aaguid: string; hints: AuthenticatorHints }[] = [];

  async describe(aaguid: string, hints: AuthenticatorHints): Promise<AuthenticatorDescription> {
    this.asked.push({ aaguid, hints });
    const known = this.entries.get(aaguid);
    if (known !== undefined) return known;
    if (hints.transports.includes("internal")) return { name: "This device's passkey", icon: null };
    return { name: hints.backupEligible ? "Synced passkey" : "Security key", icon: null };
  }
}

/** The unknown-user secret of the hand-built domain (the request-context key is derived from it). */
export const TEST_UNKNOWN_USER_SECRET = new Uint8Array(32).fill(7);

type DomainOverrides = {
  rp?: Partial<RelyingPartyConfig>;
  verifier?: SignatureVerifier;
  catalog?: TestAuthenticatorCatalog;
  /** X.509 for attestation statements: node:crypto's by default; `null` for a composition without one. */
  certificateVerifier?: CertificateVerifier | null;
  /** Attestation roots; none by default (no statement is trusted). */
  trustAnchors?: TrustAnchors;
  /** Which authenticators may hold a passkey; any by default. */
  authenticatorPolicy?: AuthenticatorPolicy;
  /** FIDO metadata; none by default. */
  metadata?: AuthenticatorMetadata;
};

/** Everything of the hand-built domain that does not depend on the identity provider. */
function buildCore(overrides: DomainOverrides) {
  const clock = new ManualClock();
  const random = new WebCryptoRandomSource();
  const sessions = new InMemorySessionStore(clock);
  const credentials = new InMemoryCredentialStore();
  const signatureVerifier = overrides.verifier ?? new WebCryptoSignatureVerifier();
  const relyingParty = new RelyingParty({ ...TEST_RP, ...overrides.rp });
  const authenticators = overrides.catalog ?? new TestAuthenticatorCatalog();
  const events = new RecordingSecurityEventLog(clock);
  const metrics = new RecordingCeremonyMetrics();
  const lost = new RecordingLostEventReporter();
  const activity = new SecurityActivity({ log: events, metrics, lost, authenticators, clock, random });
  const judgement = {
    ...(overrides.authenticatorPolicy === undefined ? {} : { authenticatorPolicy: overrides.authenticatorPolicy }),
    ...(overrides.metadata === undefined ? {} : { metadata: overrides.metadata }),
  };
  const authentication = new AuthenticationCeremony({
    relyingParty,
    sessions,
    credentials,
    signatureVerifier,
    clock,
    random,
    unknownUserSecret: TEST_UNKNOWN_USER_SECRET,
    ...judgement,
  });
  const customChallenge = new PasskeyCustomChallenge({ credentials, authentication, activity });
  const certificateVerifier = overrides.certificateVerifier === null ? undefined : (overrides.certificateVerifier ?? new NodeCryptoCertificateVerifier());
  const trustAnchors = overrides.trustAnchors;
  return {
    clock,
    random,
    sessions,
    credentials,
    signatureVerifier,
    certificateVerifier,
    trustAnchors,
    judgement,
    relyingParty,
    authenticators,
    events,
    metrics,
    lost,
    activity,
    authentication,
    customChallenge,
  };
}

/** The services that call the identity provider, over `core`. */
function buildServices<P extends IdentityProvider>(core: ReturnType<typeof buildCore>, identityProvider: P) {
  const { relyingParty, sessions, credentials, signatureVerifier, certificateVerifier, trustAnchors, judgement, clock, random, authenticators, activity, authentication } = core;
  const registration = new RegistrationCeremony({
    relyingParty,
    sessions,
    credentials,
    identityProvider,
    signatureVerifier,
    certificateVerifier,
    trustAnchors,
    ...judgement,
    clock,
    random,
    authenticators,
    activity,
  });
  const management = new PasskeyManagement({ relyingParty, credentials, identityProvider, authenticators, clock, activity });
  const signIn = new PasskeySignIn({ relyingParty, credentials, identityProvider, authentication, activity });
  return { ...core, identityProvider, registration, management, signIn };
}

export function buildDomain(overrides: DomainOverrides & { identityProvider?: FakeIdentityProvider } = {}) {
  return buildServices(buildCore(overrides), overrides.identityProvider ?? new FakeIdentityProvider());
}

/**
 * The hand-built domain with the local identity provider in place of the fake, running keyport's real
 * triggers (Define, Create, Verify) with Cognito-shaped events over this domain's PasskeyCustomChallenge:
 * a sign-in here takes every step one through Cognito takes, in-process.
 */
export function buildSignInDomain(overrides: DomainOverrides = {}) {
  const core = buildCore(overrides);
  const triggers = createCustomChallengeTriggers({ stateMachine: new ChallengeStateMachine(), passkeyCustomChallenge: core.customChallenge });
  const identityProvider = new LocalIdentityProvider({
    clock: core.clock,
    random: core.random,
    users: new InMemoryIdentityUserDirectory(),
    triggers,
    issuer: ORIGIN,
    clientId: "keyport-test-client",
  });
  return { ...buildServices(core, identityProvider), triggers };
}

export type Domain = ReturnType<typeof buildDomain>;

/** A hand-built domain with one user, "alice", signed up through the real ceremony with a software authenticator. */
export async function buildDomainWithUser() {
  const domain = buildDomain();
  const authenticator = new SoftwareAuthenticator();
  const start = await domain.registration.startForNewUser({ username: "alice", displayName: "Alice" });
  if (!start.ok) throw new Error(start.error);
  const registered = await domain.registration.finish(start.value.sessionId, authenticator.createCredential(start.value.options, { origin: ORIGIN }));
  if (!registered.ok) throw new Error(registered.error);
  return { domain, authenticator, user: registered };
}
