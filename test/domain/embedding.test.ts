/**
 * keyport's domain needs no container: an embedder builds the ceremonies with `new` from adapters,
 * exactly as the README example does, and runs a sign-up and a sign-in. Imports come from the public
 * barrels (`src/domain/index.ts`, `src/ports/index.ts`) plus the adapters an embedder would pick.
 */
import { describe, expect, it } from "vitest";
import { InMemoryCredentialStore } from "../../src/adapters/in-memory/in-memory-credential-store.js";
import { InMemorySecurityEventLog } from "../../src/adapters/in-memory/in-memory-security-event-log.js";
import { InMemorySessionStore } from "../../src/adapters/in-memory/in-memory-session-store.js";
import { NodeCryptoSignatureVerifier } from "../../src/adapters/node-crypto/node-crypto-signature-verifier.js";
import { SystemClock } from "../../src/adapters/system/system-clock.js";
import { WebCryptoRandomSource } from "../../src/adapters/system/web-crypto-random-source.js";
import { WebCryptoSignatureVerifier } from "../../src/adapters/webcrypto/web-crypto-signature-verifier.js";
import { AuthenticationCeremony, RegistrationCeremony, RelyingParty, SecurityActivity } from "../../src/domain/index.js";
import type { AuthenticatorCatalog, CeremonyMetrics, Clock, IdentityProvider, SignatureVerifier } from "../../src/ports/index.js";
import { FakeIdentityProvider } from "../support/fake-identity-provider.js";
import { SoftwareAuthenticator } from "../support/software-authenticator.js";
import type { TestAlgorithm } from "../support/software-authenticator.js";

const ORIGIN = "https://embedder.example.org";

/** What an embedder writes: every dependency constructed by hand and passed in. */
function buildKeyport(signatureVerifier: SignatureVerifier, identityProvider: IdentityProvider, clock: Clock = new SystemClock()) {
  const relyingParty = new RelyingParty({
    id: "embedder.example.org",
    name: "Embedder",
    origins: [ORIGIN],
    userVerification: "required",
    registrationTimeoutMs: 120_000,
    authenticationTimeoutMs: 120_000,
  });
  const random = new WebCryptoRandomSource();
  const sessions = new InMemorySessionStore(clock);
  const credentials = new InMemoryCredentialStore();
  // An embedder with no use for authenticator names answers with one name for all.
  const authenticators: AuthenticatorCatalog = { describe: async () => ({ name: "Passkey", icon: null }) };
  // Security activity in memory; an embedder without an operator's dashboard counts nothing, and has
  // nowhere to report an event its store lost but its own log.
  const events = new InMemorySecurityEventLog({ clock, retentionMs: 90 * 24 * 60 * 60 * 1000 });
  const metrics: CeremonyMetrics = { count: () => {} };
  const activity = new SecurityActivity({ log: events, metrics, lost: { lost: (event) => console.error("lost", event.type) }, authenticators, clock, random });
  const registration = new RegistrationCeremony({ relyingParty, sessions, credentials, identityProvider, signatureVerifier, clock, random, authenticators, activity });
  const authentication = new AuthenticationCeremony({
    relyingParty,
    sessions,
    credentials,
    signatureVerifier,
    clock,
    random,
    unknownUserSecret: random.bytes(32),
  });
  return { registration, authentication, credentials, events };
}

const VERIFIERS: readonly [string, () => SignatureVerifier][] = [
  ["WebCryptoSignatureVerifier", () => new WebCryptoSignatureVerifier()],
  ["NodeCryptoSignatureVerifier", () => new NodeCryptoSignatureVerifier()],
];

describe("embedding the domain with plain constructors", () => {
  for (const [verifierName, makeVerifier] of VERIFIERS) {
    for (const algorithm of ["ES256", "RS256", "EdDSA"] as const satisfies readonly TestAlgorithm[]) {
      it(`signs up and signs in with ${algorithm} using the ${verifierName}`, async () => {
        const identityProvider = new FakeIdentityProvider();
        const keyport = buildKeyport(makeVerifier(), identityProvider);
        // Packed self attestation, so the verifier is exercised at registration as well as at sign-in.
        const authenticator = new SoftwareAuthenticator({ attestation: "packed" });

        const started = await keyport.registration.startForNewUser({ username: "embedder-user", displayName: "Embedder User" });
        if (!started.ok) throw new Error(started.error);
        const created = authenticator.createCredential(started.value.options, { origin: ORIGIN, algorithm });
        const signedUp = await keyport.registration.finish(started.value.sessionId, created);
        expect(signedUp).toMatchObject({ ok: true, value: { credentialId: created.id, name: "Passkey" } });
        if (!signedUp.ok) return;
        expect(identityProvider.users.has(signedUp.value.identityUserId)).toBe(true);
        const trail = await keyport.events.listForUser(signedUp.value.userHandle, { limit: 10, cursor: null });
        expect(trail).toMatchObject({ ok: true, value: { events: [{ type: "registration.succeeded", credentialId: created.id }] } });

        const discoverable = await keyport.authentication.startDiscoverable();
        const signedIn = await keyport.authentication.finish(authenticator.getAssertion(discoverable, { origin: ORIGIN }));
        const { userHandle, identityUserId, credentialId } = signedUp.value;
        expect(signedIn).toEqual({ ok: true, value: { userHandle, identityUserId, credentialId, userVerified: true } });

        const named = await keyport.authentication.startForUser(signedUp.value.userHandle);
        const again = await keyport.authentication.finish(authenticator.getAssertion(named, { origin: ORIGIN }), {
          identityUserId: signedUp.value.identityUserId,
          challenge: named.challenge,
        });
        expect(again.ok).toBe(true);
        expect((await keyport.credentials.findCredential(created.id))?.counter).toBe(2);
      });

      it(`refuses a forged ${algorithm} assertion using the ${verifierName}`, async () => {
        const keyport = buildKeyport(makeVerifier(), new FakeIdentityProvider());
        const authenticator = new SoftwareAuthenticator();
        const started = await keyport.registration.startForNewUser({ username: "u", displayName: "U" });
        if (!started.ok) throw new Error(started.error);
        const registered = await keyport.registration.finish(
          started.value.sessionId,
          authenticator.createCredential(started.value.options, { origin: ORIGIN, algorithm }),
        );
        expect(registered.ok).toBe(true);
        const options = await keyport.authentication.startDiscoverable();
        const forged = authenticator.getAssertion(options, { origin: ORIGIN, tamper: { signWithOtherKey: true } });
        expect(await keyport.authentication.finish(forged)).toEqual({ ok: false, error: "signature_invalid" });
      });
    }
  }

  it("refuses an unknown-user secret shorter than 32 bytes at construction", () => {
    const clock = new SystemClock();
    expect(
      () =>
        new AuthenticationCeremony({
          relyingParty: new RelyingParty({
            id: "x.example",
            name: "x",
            origins: ["https://x.example"],
            userVerification: "required",
            registrationTimeoutMs: 1,
            authenticationTimeoutMs: 1,
          }),
          sessions: new InMemorySessionStore(clock),
          credentials: new InMemoryCredentialStore(),
          signatureVerifier: new WebCryptoSignatureVerifier(),
          clock,
          random: new WebCryptoRandomSource(),
          unknownUserSecret: new Uint8Array(31),
        }),
    ).toThrow(/unknownUserSecret/);
  });
});
