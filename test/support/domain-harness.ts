/**
 * The domain built by hand with `new`, as an embedder in another runtime would, on the in-memory
 * adapters, a manual clock and a fake identity provider.
 */
import { InMemoryCredentialStore } from "../../src/adapters/in-memory/in-memory-credential-store.js";
import { InMemorySessionStore } from "../../src/adapters/in-memory/in-memory-session-store.js";
import { WebCryptoRandomSource } from "../../src/adapters/system/web-crypto-random-source.js";
import { WebCryptoSignatureVerifier } from "../../src/adapters/webcrypto/web-crypto-signature-verifier.js";
import { AuthenticationCeremony } from "../../src/domain/ceremonies/authentication-ceremony.js";
import { RegistrationCeremony } from "../../src/domain/ceremonies/registration-ceremony.js";
import { RelyingParty, type RelyingPartyConfig } from "../../src/domain/ceremonies/relying-party.js";
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

export function buildDomain(overrides: { rp?: Partial<RelyingPartyConfig>; verifier?: SignatureVerifier } = {}) {
  const clock = new ManualClock();
  const random = new WebCryptoRandomSource();
  const sessions = new InMemorySessionStore(clock);
  const credentials = new InMemoryCredentialStore();
  const identityProvider = new FakeIdentityProvider();
  const signatureVerifier = overrides.verifier ?? new WebCryptoSignatureVerifier();
  const relyingParty = new RelyingParty({ ...TEST_RP, ...overrides.rp });
  const registration = new RegistrationCeremony({ relyingParty, sessions, credentials, identityProvider, signatureVerifier, clock, random });
  const authentication = new AuthenticationCeremony({
    relyingParty,
    sessions,
    credentials,
    signatureVerifier,
    clock,
    random,
    unknownUserSecret: new Uint8Array(32).fill(7),
  });
  return { clock, random, sessions, credentials, identityProvider, signatureVerifier, relyingParty, registration, authentication };
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
