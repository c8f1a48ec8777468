/**
 * The domain built by hand with `new`, as an embedder in another runtime would, on the in-memory
 * adapters, a manual clock, a fake identity provider and a small authenticator catalog.
 */
import { InMemoryCredentialStore } from "../../src/adapters/in-memory/in-memory-credential-store.js";
import { InMemorySessionStore } from "../../src/adapters/in-memory/in-memory-session-store.js";
import { WebCryptoRandomSource } from "../../src/adapters/system/web-crypto-random-source.js";
import { WebCryptoSignatureVerifier } from "../../src/adapters/webcrypto/web-crypto-signature-verifier.js";
import { AuthenticationCeremony } from "../../src/domain/ceremonies/authentication-ceremony.js";
import { RegistrationCeremony } from "../../src/domain/ceremonies/registration-ceremony.js";
import { RelyingParty, type RelyingPartyConfig } from "../../src/domain/ceremonies/relying-party.js";
import { PasskeyManagement } from "../../src/domain/management/passkey-management.js";
import type { AuthenticatorCatalog, AuthenticatorDescription, AuthenticatorHints } from "../../src/ports/authenticator-catalog.js";
import type { SignatureVerifier } from "../../src/ports/signature-verifier.js";
import { FakeIdentityProvider } from "./fake-identity-provider.js";
import { ManualClock } from "./manual-clock.js";
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

export function buildDomain(
  overrides: { rp?: Partial<RelyingPartyConfig>; verifier?: SignatureVerifier; identityProvider?: FakeIdentityProvider; catalog?: TestAuthenticatorCatalog } = {},
) {
  const clock = new ManualClock();
  const random = new WebCryptoRandomSource();
  const sessions = new InMemorySessionStore(clock);
  const credentials = new InMemoryCredentialStore();
  const identityProvider = overrides.identityProvider ?? new FakeIdentityProvider();
  const signatureVerifier = overrides.verifier ?? new WebCryptoSignatureVerifier();
  const relyingParty = new RelyingParty({ ...TEST_RP, ...overrides.rp });
  const authenticators = overrides.catalog ?? new TestAuthenticatorCatalog();
  const registration = new RegistrationCeremony({
    relyingParty,
    sessions,
    credentials,
    identityProvider,
    signatureVerifier,
    clock,
    random,
    authenticators,
  });
  const authentication = new AuthenticationCeremony({
    relyingParty,
    sessions,
    credentials,
    signatureVerifier,
    clock,
    random,
    unknownUserSecret: new Uint8Array(32).fill(7),
  });
  const management = new PasskeyManagement({ relyingParty, credentials, identityProvider, authenticators, clock });
  return {
    clock,
    random,
    sessions,
    credentials,
    identityProvider,
    signatureVerifier,
    relyingParty,
    authenticators,
    registration,
    authentication,
    management,
  };
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
