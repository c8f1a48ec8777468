/**
 * A new passkey's name (issue 11): its authenticator's, from the catalog, made unique among the user's
 * passkeys with " (2)", " (3)", within 64 characters, also when a concurrent registration takes the
 * name first; and what registration answers and keeps about disabled passkeys.
 */
import { describe, expect, it } from "vitest";
import { RegistrationCeremony } from "../../../src/domain/ceremonies/registration-ceremony.js";
import type { CredentialStore } from "../../../src/ports/credential-store.js";
import { aaguidBytes, buildDomain, ORIGIN, RP_ID, TEST_AAGUIDS, TestAuthenticatorCatalog, type Domain } from "../../support/domain-harness.js";
import { aStoredCredentialFor, aVerifiedIdentity } from "../../support/kit.js";
import { SoftwareAuthenticator, type SoftwareAuthenticatorOptions } from "../../support/software-authenticator.js";

function okValue<T>(result: { ok: true; value: T } | { ok: false; error: string }): T {
  if (!result.ok) throw new Error(`expected ok, got ${result.error}`);
  return result.value;
}

const yubiKey: SoftwareAuthenticatorOptions = { aaguid: aaguidBytes(TEST_AAGUIDS.yubiKey5), transports: ["usb"] };

/** Signs "erin" up with a passkey of `options`' kind. */
async function signUp(domain: Domain, options: SoftwareAuthenticatorOptions = {}, registration: RegistrationCeremony = domain.registration) {
  const started = okValue(await registration.startForNewUser({ username: "erin", displayName: "Erin" }));
  return registration.finish(started.sessionId, new SoftwareAuthenticator(options).createCredential(started.options, { origin: ORIGIN }));
}

/** The signed-in user adds a passkey of `options`' kind. */
async function addPasskey(domain: Domain, identityUserId: string, options: SoftwareAuthenticatorOptions = {}, registration: RegistrationCeremony = domain.registration) {
  const identity = aVerifiedIdentity({ identityUserId, authenticatedAt: domain.clock.now() });
  const started = okValue(await registration.startForExistingUser(identity));
  return registration.finish(started.sessionId, new SoftwareAuthenticator(options).createCredential(started.options, { origin: ORIGIN }), identity);
}

/** A domain whose catalog knows one more authenticator, by this name. */
function domainWithCatalogName(name: string): Domain {
  const catalog = new TestAuthenticatorCatalog();
  catalog.entries.set(TEST_AAGUIDS.yubiKey5, { name, icon: null });
  return buildDomain({ catalog });
}

describe("registration: a new passkey's name", () => {
  it("is the authenticator's name from the catalog, asked with the credential's transports and backup eligibility", async () => {
    const domain = buildDomain();
    const registered = okValue(await signUp(domain, yubiKey));
    expect(registered.name).toBe("YubiKey 5 Series");
    expect((await domain.credentials.findCredential(registered.credentialId))?.name).toBe("YubiKey 5 Series");
    expect(domain.authenticators.asked).toEqual([{ aaguid: TEST_AAGUIDS.yubiKey5, hints: { transports: ["usb"], backupEligible: false } }]);
  });

  it("is the catalog's fallback for an authenticator it does not know", async () => {
    const domain = buildDomain();
    expect(okValue(await signUp(domain, { transports: ["internal"] })).name).toBe("This device's passkey");
    const other = buildDomain();
    expect(okValue(await signUp(other, { transports: ["usb", "nfc"] })).name).toBe("Security key");
  });

  it("is numbered (2), (3) when the user has passkeys of that name already, in any letter case", async () => {
    const domain = buildDomain();
    const first = okValue(await signUp(domain, yubiKey));
    expect(okValue(await addPasskey(domain, first.identityUserId, yubiKey)).name).toBe("YubiKey 5 Series (2)");
    const third = okValue(await addPasskey(domain, first.identityUserId, yubiKey));
    expect(third.name).toBe("YubiKey 5 Series (3)");
    // The user renamed the first one in another case, and deleted nothing: still taken.
    const identity = aVerifiedIdentity({ identityUserId: first.identityUserId });
    okValue(await domain.management.updatePasskey(identity, first.credentialId, { name: "YUBIKEY 5 SERIES" }));
    expect(okValue(await addPasskey(domain, first.identityUserId, yubiKey)).name).toBe("YubiKey 5 Series (4)");
    // Another kind of authenticator keeps its plain name.
    expect(okValue(await addPasskey(domain, first.identityUserId, { transports: ["internal"] })).name).toBe("This device's passkey");
  });

  it("is shortened to 64 characters when the catalog's name is longer, and again to make room for a number", async () => {
    const long = `${"Very Long Authenticator Name ".repeat(3)}Edition`; // 94 characters
    const domain = domainWithCatalogName(long);
    const first = okValue(await signUp(domain, yubiKey));
    expect(first.name).toBe(long.slice(0, 64).trimEnd());
    expect([...first.name].length).toBeLessThanOrEqual(64);
    const second = okValue(await addPasskey(domain, first.identityUserId, yubiKey));
    expect(second.name).toBe(`${long.slice(0, 60).trimEnd()} (2)`);
    expect([...second.name].length).toBeLessThanOrEqual(64);
  });

  it("is 'Passkey' when the catalog's name would not make a passkey name", async () => {
    for (const name of ["", "   ", "Evil\u202Ekey", "Line\nbreak"]) {
      expect(okValue(await signUp(domainWithCatalogName(name), yubiKey)).name).toBe("Passkey");
    }
  });

  it("takes the next number when a concurrent registration of the same user took the name first", async () => {
    const domain = buildDomain();
    const first = okValue(await signUp(domain, yubiKey));
    const account = await domain.credentials.findUserByHandle(first.userHandle);
    if (account === null) throw new Error("no account");
    const inner = domain.credentials;
    let raced = false;
    // Just before this registration's write, another of the same user lands with the name it chose.
    const racing: CredentialStore = Object.assign(Object.create(inner) as CredentialStore, {
      async add(...args: Parameters<CredentialStore["add"]>) {
        if (!raced) {
          raced = true;
          expect(await inner.add(aStoredCredentialFor(account, { name: "YubiKey 5 Series (2)" }))).toBe("added");
        }
        return inner.add(...args);
      },
    });
    const registration = new RegistrationCeremony({ ...domain, credentials: racing });
    const second = okValue(await addPasskey(domain, first.identityUserId, yubiKey, registration));
    expect(raced).toBe(true);
    expect(second.name).toBe("YubiKey 5 Series (3)");
    expect((await inner.listCredentials(first.userHandle)).map((c) => c.name)).toEqual(["YubiKey 5 Series", "YubiKey 5 Series (2)", "YubiKey 5 Series (3)"]);
  });

  it("throws after a store that refuses every name, and deletes the identity user a sign-up created", async () => {
    const domain = buildDomain();
    const broken: CredentialStore = Object.assign(Object.create(domain.credentials) as CredentialStore, { add: async () => "name_taken" as const });
    const registration = new RegistrationCeremony({ ...domain, credentials: broken });
    await expect(signUp(domain, yubiKey, registration)).rejects.toThrow(/passkey names/);
    expect(domain.identityProvider.users.size).toBe(0);
    expect(domain.identityProvider.deleted).toHaveLength(1);
  });

  it("is asked of the catalog before the identity user is created, so that a catalog fault leaves nothing behind", async () => {
    const domain = buildDomain();
    const failing = new TestAuthenticatorCatalog();
    failing.describe = async () => {
      throw new Error("catalog unavailable");
    };
    const registration = new RegistrationCeremony({ ...domain, authenticators: failing });
    await expect(signUp(domain, yubiKey, registration)).rejects.toThrow(/catalog unavailable/);
    expect(domain.identityProvider.users.size).toBe(0);
    expect(domain.identityProvider.deleted).toEqual([]);
  });
});

describe("registration: signals and disabled passkeys", () => {
  it("answers the accepted credentials after the new one is stored, without the disabled ones", async () => {
    const domain = buildDomain();
    const first = okValue(await signUp(domain, yubiKey));
    expect(first.signals).toEqual([
      { signalName: "allAcceptedCredentials", rpID: RP_ID, userID: first.userHandle, allAcceptedCredentialIDs: [first.credentialId] },
    ]);
    const second = okValue(await addPasskey(domain, first.identityUserId));
    okValue(await domain.management.updatePasskey(aVerifiedIdentity({ identityUserId: first.identityUserId }), first.credentialId, { enabled: false }));
    const third = okValue(await addPasskey(domain, first.identityUserId));
    expect(third.signals).toEqual([
      { signalName: "allAcceptedCredentials", rpID: RP_ID, userID: first.userHandle, allAcceptedCredentialIDs: [second.credentialId, third.credentialId] },
    ]);
  });

  it("still excludes a disabled passkey, so that the same authenticator is not registered twice", async () => {
    const domain = buildDomain();
    const authenticator = new SoftwareAuthenticator(yubiKey);
    const started = okValue(await domain.registration.startForNewUser({ username: "erin", displayName: "Erin" }));
    const first = okValue(await domain.registration.finish(started.sessionId, authenticator.createCredential(started.options, { origin: ORIGIN })));
    const identity = aVerifiedIdentity({ identityUserId: first.identityUserId, authenticatedAt: domain.clock.now() });
    okValue(await addPasskey(domain, first.identityUserId));
    okValue(await domain.management.updatePasskey(identity, first.credentialId, { enabled: false }));
    const again = okValue(await domain.registration.startForExistingUser(identity));
    expect(again.options.excludeCredentials.map((c) => c.id)).toContain(first.credentialId);
    expect(again.options.excludeCredentials).toHaveLength(2);
  });
});
