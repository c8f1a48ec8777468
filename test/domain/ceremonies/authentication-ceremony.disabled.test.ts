/**
 * A disabled passkey (issue 11) never completes a sign-in: the ceremony refuses it with
 * `credential_disabled` whenever it learns of the disable (before the signature, or during the counter's
 * compare-and-set), a named user's options leave it out, and `provesPossessionOfDisabledCredential` says
 * "disabled" only to an assertion its private key signed for this relying party.
 */
import { describe, expect, it, vi } from "vitest";
import { AuthenticationCeremony } from "../../../src/domain/ceremonies/authentication-ceremony.js";
import type { StoredCredential } from "../../../src/domain/model.js";
import type { CredentialStore } from "../../../src/ports/credential-store.js";
import { buildDomain, ORIGIN, type Domain } from "../../support/domain-harness.js";
import { aVerifiedIdentity } from "../../support/kit.js";
import { SoftwareAuthenticator } from "../../support/software-authenticator.js";

function okValue<T>(result: { ok: true; value: T } | { ok: false; error: string }): T {
  if (!result.ok) throw new Error(`expected ok, got ${result.error}`);
  return result.value;
}

/** Erin with two passkeys on one authenticator (the first disabled by `disableFirst`), and Frank with one. */
async function fixture() {
  const domain = buildDomain();
  const authenticator = new SoftwareAuthenticator();
  const signUp = async (username: string) => {
    const started = okValue(await domain.registration.startForNewUser({ username, displayName: username }));
    return okValue(await domain.registration.finish(started.sessionId, authenticator.createCredential(started.options, { origin: ORIGIN })));
  };
  const erin = await signUp("erin");
  const identity = aVerifiedIdentity({ identityUserId: erin.identityUserId, authenticatedAt: domain.clock.now() });
  const addStarted = okValue(await domain.registration.startForExistingUser(identity));
  const second = okValue(
    await domain.registration.finish(addStarted.sessionId, authenticator.createCredential(addStarted.options, { origin: ORIGIN }), identity),
  );
  const frank = await signUp("frank");
  const setEnabled = async (credentialId: string, enabled: boolean) => okValue(await domain.management.updatePasskey(identity, credentialId, { enabled }));
  return { domain, authenticator, erin, second, frank, identity, setEnabled };
}

async function stored(domain: Domain, credentialId: string): Promise<StoredCredential> {
  const credential = await domain.credentials.findCredential(credentialId);
  if (credential === null) throw new Error(`credential ${credentialId} not stored`);
  return credential;
}

describe("a disabled passkey in the authentication ceremony", () => {
  it("cannot sign in, discoverable or username-first, and nothing of it is recorded", async () => {
    const { domain, authenticator, erin, setEnabled } = await fixture();
    await setEnabled(erin.credentialId, false);
    const before = await stored(domain, erin.credentialId);
    // Refused by the ceremony itself, before any write is tried (the store's own refusal is a second line).
    const writes = vi.spyOn(domain.credentials, "recordAuthentication");
    const discoverable = authenticator.getAssertion(await domain.authentication.startDiscoverable(), { origin: ORIGIN, credentialId: erin.credentialId });
    expect(await domain.authentication.finish(discoverable)).toEqual({ ok: false, error: "credential_disabled" });
    // Username-first, it is not even offered: presented anyway, it was not allowed.
    const named = authenticator.getAssertion(await domain.authentication.startForUser(erin.userHandle), { origin: ORIGIN, credentialId: erin.credentialId });
    expect(await domain.authentication.finish(named)).toEqual({ ok: false, error: "credential_not_allowed" });
    expect(await stored(domain, erin.credentialId)).toEqual(before);
    expect(writes).not.toHaveBeenCalled();
  });

  it("signs in again once enabled", async () => {
    const { domain, authenticator, erin, setEnabled } = await fixture();
    await setEnabled(erin.credentialId, false);
    await setEnabled(erin.credentialId, true);
    const assertion = authenticator.getAssertion(await domain.authentication.startDiscoverable(), { origin: ORIGIN, credentialId: erin.credentialId });
    expect(await domain.authentication.finish(assertion)).toMatchObject({ ok: true, value: { credentialId: erin.credentialId } });
  });

  it("is refused when disabled between the start that listed it and the finish", async () => {
    const { domain, authenticator, erin, setEnabled } = await fixture();
    const options = await domain.authentication.startForUser(erin.userHandle);
    expect(options.allowCredentials.map((c) => c.id)).toContain(erin.credentialId);
    await setEnabled(erin.credentialId, false);
    const assertion = authenticator.getAssertion(options, { origin: ORIGIN, credentialId: erin.credentialId });
    expect(await domain.authentication.finish(assertion)).toEqual({ ok: false, error: "credential_disabled" });
  });

  it("is refused when disabled after the ceremony read it, while the counter is being recorded", async () => {
    const { domain, authenticator, erin, identity } = await fixture();
    const inner = domain.credentials;
    let disabledMidway = false;
    const racing: CredentialStore = Object.assign(Object.create(inner) as CredentialStore, {
      async recordAuthentication(...args: Parameters<CredentialStore["recordAuthentication"]>) {
        if (!disabledMidway) {
          disabledMidway = true;
          okValue(await domain.management.updatePasskey(identity, erin.credentialId, { enabled: false }));
        }
        return inner.recordAuthentication(...args);
      },
    });
    const ceremony = new AuthenticationCeremony({ ...domain, credentials: racing, unknownUserSecret: new Uint8Array(32).fill(7) });
    const assertion = authenticator.getAssertion(await ceremony.startDiscoverable(), { origin: ORIGIN, credentialId: erin.credentialId });
    expect(await ceremony.finish(assertion)).toEqual({ ok: false, error: "credential_disabled" });
    expect(disabledMidway).toBe(true);
    expect((await stored(domain, erin.credentialId)).lastUsedAt).toBeNull();
  });

  it("is left out of a named user's options; a user with none enabled gets a fake list, as an unknown user does", async () => {
    const { domain, erin, second, frank } = await fixture();
    const identity = aVerifiedIdentity({ identityUserId: erin.identityUserId });
    okValue(await domain.management.updatePasskey(identity, erin.credentialId, { enabled: false }));
    const ids = async (handle: string) => (await domain.authentication.startForUser(handle)).allowCredentials.map((c) => c.id);
    expect(await ids(erin.userHandle)).toEqual([second.credentialId]);

    // Erin signed up with a passkey, so her last one cannot be disabled: Frank's account is made one
    // that also has a password, which may disable them all.
    const frankAccount = await domain.credentials.findUserByHandle(frank.userHandle);
    if (frankAccount === null) throw new Error("no account");
    expect(await domain.credentials.updateCredential(frank.userHandle, frank.credentialId, { enabled: false }, { keepOneEnabled: false })).toMatchObject({
      enabled: false,
    });
    const fakes = await ids(frank.userHandle);
    expect(fakes.length).toBeGreaterThanOrEqual(1);
    expect(fakes).not.toContain(frank.credentialId);
    for (const id of fakes) expect(await domain.authentication.recognisesCredential(id)).toBe(true);
    // The same list a stranger asking for that handle would see from another instance with the same secret.
    expect((await buildDomain().authentication.startForUser(frank.userHandle)).allowCredentials.map((c) => c.id)).toEqual(fakes);
  });

  it("is told apart from an unknown one by credentialStanding", async () => {
    const { domain, erin, second, setEnabled } = await fixture();
    await setEnabled(erin.credentialId, false);
    expect(await domain.authentication.credentialStanding(erin.credentialId)).toBe("disabled");
    expect(await domain.authentication.credentialStanding(second.credentialId)).toBe("recognised");
    expect(await domain.authentication.credentialStanding("AAAAAAAAAAAAAAAAAAAAAA")).toBe("unknown");
    expect(await domain.authentication.recognisesCredential(erin.credentialId)).toBe(true);
  });
});

describe("provesPossessionOfDisabledCredential", () => {
  it("is true for an assertion the disabled passkey signed, and consumes no session", async () => {
    const { domain, authenticator, erin, setEnabled } = await fixture();
    await setEnabled(erin.credentialId, false);
    const options = await domain.authentication.startDiscoverable();
    const sessions = domain.sessions.size;
    const assertion = authenticator.getAssertion(options, { origin: ORIGIN, credentialId: erin.credentialId });
    expect(await domain.authentication.provesPossessionOfDisabledCredential(assertion)).toBe(true);
    expect(domain.sessions.size).toBe(sessions);
  });

  it("is false for a forged signature, and for a signature over another relying party's data", async () => {
    const { domain, authenticator, erin, setEnabled } = await fixture();
    await setEnabled(erin.credentialId, false);
    const options = await domain.authentication.startDiscoverable();
    const sign = (tamper: Parameters<SoftwareAuthenticator["getAssertion"]>[1]["tamper"]) =>
      authenticator.getAssertion(options, { origin: ORIGIN, credentialId: erin.credentialId, tamper });
    const refused = [
      sign({ signWithOtherKey: true }),
      sign({ signature: new Uint8Array(70) }),
      sign({ rpId: "evil.example" }),
      sign({ clientData: { origin: "https://evil.example" } }),
      sign({ clientData: { type: "webauthn.create" } }),
      sign({ userHandle: "AAAAAAAAAAAAAAAAAAAAAA" }),
      sign({ id: "AAAA" }),
      sign({ type: "secret" }),
    ];
    for (const assertion of refused) expect(await domain.authentication.provesPossessionOfDisabledCredential(assertion)).toBe(false);
  });

  it("is false for an enabled passkey, an unknown one and anything that is not an assertion", async () => {
    const { domain, authenticator, erin, second, setEnabled } = await fixture();
    await setEnabled(erin.credentialId, false);
    const options = await domain.authentication.startDiscoverable();
    const enabled = authenticator.getAssertion(options, { origin: ORIGIN, credentialId: second.credentialId });
    expect(await domain.authentication.provesPossessionOfDisabledCredential(enabled)).toBe(false);
    const stranger = new SoftwareAuthenticator();
    const strangerStarted = okValue(await buildDomain().registration.startForNewUser({ username: "zed", displayName: "Zed" }));
    stranger.createCredential(strangerStarted.options, { origin: ORIGIN });
    expect(await domain.authentication.provesPossessionOfDisabledCredential(stranger.getAssertion(options, { origin: ORIGIN }))).toBe(false);
    for (const junk of [null, {}, "text", { id: erin.credentialId, rawId: erin.credentialId, type: "public-key", response: {} }]) {
      expect(await domain.authentication.provesPossessionOfDisabledCredential(junk)).toBe(false);
    }
  });
});
