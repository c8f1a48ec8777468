/**
 * PasskeyManagement on the hand-built domain (in-memory store, fake identity provider, test catalog):
 * every rule of issue 11's credential and account management, each with the case it allows beside the
 * case it refuses.
 */
import { describe, expect, it, vi } from "vitest";
import { usernameKey } from "../../../src/domain/ceremonies/names.js";
import { MANAGEMENT_ERRORS } from "../../../src/domain/ceremonies/errors.js";
import {
  PasskeyManagement,
  type DeletePasskeyError,
  type UpdateAccountError,
  type UpdatePasskeyError,
} from "../../../src/domain/management/passkey-management.js";
import type { AccountOrigin, StoredCredential, UserAccount } from "../../../src/domain/model.js";
import type { CredentialStore } from "../../../src/ports/credential-store.js";
import type { SignOutError, VerifiedIdentity } from "../../../src/ports/identity-provider.js";
import { StorageUnavailableError } from "../../../src/ports/storage-unavailable-error.js";
import { buildDomain, ORIGIN, RP_ID, TEST_AAGUIDS, type Domain } from "../../support/domain-harness.js";
import { aStoredCredentialFor, aUserAccount, aVerifiedIdentity, BASE_TIME, uniqueId } from "../../support/kit.js";
import { b64url, SoftwareAuthenticator } from "../../support/software-authenticator.js";

const FIVE_MINUTES = 5 * 60_000;

/**
 * A user with `passkeys` credentials stored straight into the store (created a minute apart, oldest
 * first), and an identity token that says they signed in just now.
 */
async function withUser(
  domain: Domain,
  { origin = "passkey_sign_up", passkeys = 1, username }: { origin?: AccountOrigin; passkeys?: number; username?: string } = {},
) {
  const account = aUserAccount({ origin, ...(username === undefined ? {} : { username, usernameKey: usernameKey(username) }) });
  const credentials: StoredCredential[] = [];
  for (let i = 0; i < passkeys; i++) {
    const credential = aStoredCredentialFor(account, { createdAt: BASE_TIME + i * 60_000, name: `Passkey ${i + 1}` });
    expect(await domain.credentials.add(credential, i === 0 ? account : undefined)).toBe("added");
    credentials.push(credential);
  }
  const identity = aVerifiedIdentity({ identityUserId: account.identityUserId, authenticatedAt: domain.clock.now() });
  return { account, credentials, identity };
}

function at(credentials: readonly StoredCredential[], index: number): StoredCredential {
  const credential = credentials[index];
  if (credential === undefined) throw new Error(`no credential ${index}`);
  return credential;
}

function okValue<T>(result: { ok: true; value: T } | { ok: false; error: string }): T {
  if (!result.ok) throw new Error(`expected ok, got ${result.error}`);
  return result.value;
}

/** What a caller who is not the credential's owner (or has no such credential) must always get. */
const NOT_FOUND = { ok: false, error: "passkey_not_found" } as const;

/** Credential ids that are not canonical base64url of 1 to 1023 bytes: none reaches the store. */
const MALFORMED_IDS: [string, unknown][] = [
  ["undefined", undefined],
  ["a number", 42],
  ["an empty string", ""],
  ["standard base64", "ab+/"],
  ["padded base64url", "AAAA="],
  ["base64url with stray trailing bits", "AB"],
  ["an id of 1024 bytes", b64url(new Uint8Array(1024))],
];

describe("listPasskeys", () => {
  it("lists the user's passkeys oldest first, disabled ones included, with the authenticator's name and icon and how each was made", async () => {
    const domain = buildDomain();
    const account = aUserAccount();
    const synced = aStoredCredentialFor(account, {
      name: "My iPhone",
      aaguid: TEST_AAGUIDS.iCloudKeychain,
      backupEligible: true,
      backupState: true,
      transports: ["hybrid", "internal"],
      createdAt: BASE_TIME,
      lastUsedAt: BASE_TIME + 5_000,
    });
    const key = aStoredCredentialFor(account, {
      name: "Blue key",
      aaguid: "00000000-0000-0000-0000-000000000000",
      transports: ["usb"],
      userVerifiedAtRegistration: false,
      createdAt: BASE_TIME + 60_000,
      enabled: false,
      registrationMediation: "conditional",
    });
    await domain.credentials.add(synced, account);
    await domain.credentials.add(key);
    const identity = aVerifiedIdentity({ identityUserId: account.identityUserId });

    expect(await domain.management.listPasskeys(identity)).toEqual([
      {
        credentialId: synced.credentialId,
        name: "My iPhone",
        authenticator: {
          aaguid: TEST_AAGUIDS.iCloudKeychain,
          verified: false,
          name: "iCloud Keychain",
          icon: { light: "data:image/svg+xml;base64,bGlnaHQ=", dark: "data:image/svg+xml;base64,ZGFyaw==" },
        },
        createdAt: BASE_TIME,
        lastUsedAt: BASE_TIME + 5_000,
        enabled: true,
        backupEligible: true,
        backedUp: true,
        transports: ["hybrid", "internal"],
        userVerifiedAtRegistration: true,
        registrationMediation: "modal",
        attestation: { format: "none", type: "none", trusted: false },
      },
      {
        credentialId: key.credentialId,
        name: "Blue key",
        authenticator: { aaguid: "00000000-0000-0000-0000-000000000000", verified: false, name: "Security key", icon: null },
        createdAt: BASE_TIME + 60_000,
        lastUsedAt: null,
        enabled: false,
        backupEligible: false,
        backedUp: false,
        transports: ["usb"],
        userVerifiedAtRegistration: false,
        registrationMediation: "conditional",
        attestation: { format: "none", type: "none", trusted: false },
      },
    ]);
    // The catalog's fallback is asked with what is known of the credential.
    expect(domain.authenticators.asked).toContainEqual({ aaguid: "00000000-0000-0000-0000-000000000000", hints: { transports: ["usb"], backupEligible: false } });
  });

  it("lists only the caller's own passkeys, and nothing for someone without an account here", async () => {
    const domain = buildDomain();
    const alice = await withUser(domain, { passkeys: 2 });
    await withUser(domain, { passkeys: 1 });
    expect((await domain.management.listPasskeys(alice.identity)).map((p) => p.credentialId)).toEqual(alice.credentials.map((c) => c.credentialId));
    expect(await domain.management.listPasskeys(aVerifiedIdentity({ identityUserId: "password-only@example.com" }))).toEqual([]);
  });
});

describe("updatePasskey: renaming", () => {
  it("renames a passkey to the prepared name (trimmed, NFC) and answers the entry and the accepted credentials", async () => {
    const domain = buildDomain();
    const { account, credentials, identity } = await withUser(domain, { passkeys: 2 });
    const target = at(credentials, 1);
    const updated = okValue(await domain.management.updatePasskey(identity, target.credentialId, { name: "  Cafe\u0301 laptop " }));
    expect(updated.passkey).toMatchObject({ credentialId: target.credentialId, name: "Caf\u00E9 laptop", enabled: true });
    expect(updated.signals).toEqual([
      { signalName: "allAcceptedCredentials", rpID: RP_ID, userID: account.userHandle, allAcceptedCredentialIDs: credentials.map((c) => c.credentialId) },
    ]);
    expect((await domain.credentials.findCredential(target.credentialId))?.name).toBe("Caf\u00E9 laptop");
  });

  it("refuses a name another passkey of the user has, ignoring case and normalization, with name_taken", async () => {
    const domain = buildDomain();
    const { credentials, identity } = await withUser(domain, { passkeys: 2 });
    const [first, second] = [at(credentials, 0), at(credentials, 1)];
    okValue(await domain.management.updatePasskey(identity, first.credentialId, { name: "Caf\u00E9" }));
    for (const name of ["Caf\u00E9", "CAF\u00C9", "cafe\u0301", " caf\u00E9 "]) {
      expect(await domain.management.updatePasskey(identity, second.credentialId, { name })).toEqual({ ok: false, error: "name_taken" });
    }
    expect((await domain.credentials.findCredential(second.credentialId))?.name).toBe("Passkey 2");
    // The name first gave up is free; another user's names are no concern.
    okValue(await domain.management.updatePasskey(identity, second.credentialId, { name: "passkey 1" }));
    const other = await withUser(domain);
    okValue(await domain.management.updatePasskey(other.identity, at(other.credentials, 0).credentialId, { name: "CAFÉ" }));
  });

  it("lets a passkey take its own name in another case", async () => {
    const domain = buildDomain();
    const { credentials, identity } = await withUser(domain);
    const updated = okValue(await domain.management.updatePasskey(identity, at(credentials, 0).credentialId, { name: "PASSKEY 1" }));
    expect(updated.passkey.name).toBe("PASSKEY 1");
  });

  it.each<[string, unknown]>([
    ["empty", ""],
    ["only spaces", "   "],
    ["65 characters", "x".repeat(65)],
    ["a control character", "a\u0007b"],
    ["a format character", "a\u200Bb"],
    ["a bidi override", "\u202Eevil"],
    ["a line separator", "a\u2028b"],
    ["a number", 7],
    ["null", null],
  ])("refuses a name that is %s with passkey_name_invalid, changing nothing", async (_label, name) => {
    const domain = buildDomain();
    const { credentials, identity } = await withUser(domain);
    const credential = at(credentials, 0);
    expect(await domain.management.updatePasskey(identity, credential.credentialId, { name, enabled: false })).toEqual({ ok: false, error: "passkey_name_invalid" });
    expect(await domain.credentials.findCredential(credential.credentialId)).toEqual(credential);
  });

  it("refuses a change with neither field (passkey_change_empty) and an enabled that is not a boolean (passkey_enabled_invalid)", async () => {
    const domain = buildDomain();
    const { credentials, identity } = await withUser(domain);
    const id = at(credentials, 0).credentialId;
    expect(await domain.management.updatePasskey(identity, id, {})).toEqual({ ok: false, error: "passkey_change_empty" });
    for (const enabled of ["false", 0, 1, null, "true"]) {
      expect(await domain.management.updatePasskey(identity, id, { enabled })).toEqual({ ok: false, error: "passkey_enabled_invalid" });
    }
    expect(await domain.credentials.findCredential(id)).toEqual(at(credentials, 0));
  });
});

describe("updatePasskey: disabling and enabling", () => {
  it("disables a passkey, which stays listed and leaves the accepted credentials; enabling brings it back", async () => {
    const domain = buildDomain();
    const { account, credentials, identity } = await withUser(domain, { passkeys: 2 });
    const [first, second] = [at(credentials, 0), at(credentials, 1)];

    const disabled = okValue(await domain.management.updatePasskey(identity, first.credentialId, { enabled: false }));
    expect(disabled.passkey).toMatchObject({ credentialId: first.credentialId, enabled: false, name: "Passkey 1" });
    expect(disabled.signals).toEqual([
      { signalName: "allAcceptedCredentials", rpID: RP_ID, userID: account.userHandle, allAcceptedCredentialIDs: [second.credentialId] },
    ]);
    expect((await domain.management.listPasskeys(identity)).map((p) => [p.credentialId, p.enabled])).toEqual([
      [first.credentialId, false],
      [second.credentialId, true],
    ]);

    const enabled = okValue(await domain.management.updatePasskey(identity, first.credentialId, { enabled: true, name: "Back again" }));
    expect(enabled.passkey).toMatchObject({ enabled: true, name: "Back again" });
    expect(enabled.signals).toEqual([
      { signalName: "allAcceptedCredentials", rpID: RP_ID, userID: account.userHandle, allAcceptedCredentialIDs: [first.credentialId, second.credentialId] },
    ]);
  });

  it("refuses to disable the last enabled passkey of an account created by passkey sign-up (last_credential)", async () => {
    const domain = buildDomain();
    const { credentials, identity } = await withUser(domain, { origin: "passkey_sign_up", passkeys: 2 });
    const [first, second] = [at(credentials, 0), at(credentials, 1)];
    okValue(await domain.management.updatePasskey(identity, first.credentialId, { enabled: false }));
    expect(await domain.management.updatePasskey(identity, second.credentialId, { enabled: false })).toEqual({ ok: false, error: "last_credential" });
    expect((await domain.credentials.findCredential(second.credentialId))?.enabled).toBe(true);
    // Renaming the last one, or disabling the one already disabled, is no lock-out.
    okValue(await domain.management.updatePasskey(identity, second.credentialId, { name: "Only way in" }));
    okValue(await domain.management.updatePasskey(identity, first.credentialId, { enabled: false }));
  });

  it("lets a user who also has a password disable every passkey", async () => {
    const domain = buildDomain();
    const { credentials, identity } = await withUser(domain, { origin: "identity_provider", passkeys: 2 });
    for (const credential of credentials) okValue(await domain.management.updatePasskey(identity, credential.credentialId, { enabled: false }));
    expect((await domain.management.listPasskeys(identity)).every((p) => !p.enabled)).toBe(true);
  });

  it("needs only a valid token, not a recent sign-in, to rename, disable or enable", async () => {
    const domain = buildDomain();
    const { credentials, identity } = await withUser(domain, { passkeys: 2 });
    domain.clock.advance(6 * 3_600_000);
    const id = at(credentials, 0).credentialId;
    okValue(await domain.management.updatePasskey(identity, id, { name: "Renamed hours later" }));
    okValue(await domain.management.updatePasskey(identity, id, { enabled: false }));
    okValue(await domain.management.updatePasskey({ ...identity, authenticatedAt: null }, id, { enabled: true }));
  });
});

describe("updatePasskey and deletePasskey: passkey_not_found tells nothing", () => {
  it("answers another user's passkey exactly as an unknown one, and leaves it alone", async () => {
    const domain = buildDomain();
    const alice = await withUser(domain, { passkeys: 2 });
    const bob = await withUser(domain, { passkeys: 2 });
    const bobs = at(bob.credentials, 0);
    expect(await domain.management.updatePasskey(alice.identity, bobs.credentialId, { name: "Mine now" })).toEqual(NOT_FOUND);
    expect(await domain.management.updatePasskey(alice.identity, bobs.credentialId, { enabled: false })).toEqual(NOT_FOUND);
    expect(await domain.management.deletePasskey(alice.identity, bobs.credentialId)).toEqual(NOT_FOUND);
    expect(await domain.management.updatePasskey(alice.identity, uniqueId(16), { name: "x" })).toEqual(NOT_FOUND);
    expect(await domain.management.deletePasskey(alice.identity, uniqueId(16))).toEqual(NOT_FOUND);
    expect(await domain.credentials.findCredential(bobs.credentialId)).toEqual(bobs);
  });

  it.each(MALFORMED_IDS)("answers a credential id that is %s with passkey_not_found, never asking the store (where an empty key is a fault)", async (_label, id) => {
    const domain = buildDomain();
    const { identity } = await withUser(domain);
    const updates = vi.spyOn(domain.credentials, "updateCredential");
    const deletes = vi.spyOn(domain.credentials, "deleteCredential");
    expect(await domain.management.updatePasskey(identity, id, { name: "x" })).toEqual(NOT_FOUND);
    expect(await domain.management.deletePasskey(identity, id)).toEqual(NOT_FOUND);
    expect(updates).not.toHaveBeenCalled();
    expect(deletes).not.toHaveBeenCalled();
  });

  it("answers a caller without an account here with passkey_not_found, even for a real credential id", async () => {
    const domain = buildDomain();
    const alice = await withUser(domain);
    const stranger = aVerifiedIdentity({ identityUserId: "password-only@example.com", authenticatedAt: domain.clock.now() });
    expect(await domain.management.updatePasskey(stranger, at(alice.credentials, 0).credentialId, { enabled: false })).toEqual(NOT_FOUND);
    expect(await domain.management.deletePasskey(stranger, at(alice.credentials, 0).credentialId)).toEqual(NOT_FOUND);
  });
});

describe("deletePasskey", () => {
  it("deletes the passkey (no sign-in finds it any more) and answers the credentials still accepted", async () => {
    const domain = buildDomain();
    const { account, credentials, identity } = await withUser(domain, { passkeys: 2 });
    const [first, second] = [at(credentials, 0), at(credentials, 1)];
    expect(await domain.management.deletePasskey(identity, first.credentialId)).toEqual({
      ok: true,
      value: { signals: [{ signalName: "allAcceptedCredentials", rpID: RP_ID, userID: account.userHandle, allAcceptedCredentialIDs: [second.credentialId] }] },
    });
    expect(await domain.credentials.findCredential(first.credentialId)).toBeNull();
    expect((await domain.management.listPasskeys(identity)).map((p) => p.credentialId)).toEqual([second.credentialId]);
    expect(await domain.management.deletePasskey(identity, first.credentialId)).toEqual(NOT_FOUND);
  });

  it("needs a sign-in within the last five minutes (reauthentication_required otherwise), and deletes nothing without one", async () => {
    const domain = buildDomain();
    const { credentials, identity } = await withUser(domain, { passkeys: 3 });
    domain.clock.advance(FIVE_MINUTES);
    okValue(await domain.management.deletePasskey(identity, at(credentials, 0).credentialId));
    domain.clock.advance(1);
    expect(await domain.management.deletePasskey(identity, at(credentials, 1).credentialId)).toEqual({ ok: false, error: "reauthentication_required" });
    expect(await domain.management.deletePasskey({ ...identity, authenticatedAt: null }, at(credentials, 1).credentialId)).toEqual({
      ok: false,
      error: "reauthentication_required",
    });
    // Asked first, so that a stale token learns nothing either, not even passkey_not_found.
    expect(await domain.management.deletePasskey(identity, "not an id")).toEqual({ ok: false, error: "reauthentication_required" });
    expect(await domain.credentials.findCredential(at(credentials, 1).credentialId)).not.toBeNull();
  });

  it("takes the window from the relying party's configuration", async () => {
    const domain = buildDomain({ rp: { sensitiveActionMaxAgeMs: 60_000 } });
    const { credentials, identity } = await withUser(domain, { passkeys: 2 });
    domain.clock.advance(60_001);
    expect(await domain.management.deletePasskey(identity, at(credentials, 0).credentialId)).toEqual({ ok: false, error: "reauthentication_required" });
  });

  it("refuses to delete the last enabled passkey of an account created by passkey sign-up (last_credential), even with a disabled one left", async () => {
    const domain = buildDomain();
    const { credentials, identity } = await withUser(domain, { passkeys: 2 });
    const [first, second] = [at(credentials, 0), at(credentials, 1)];
    okValue(await domain.management.updatePasskey(identity, first.credentialId, { enabled: false }));
    expect(await domain.management.deletePasskey(identity, second.credentialId)).toEqual({ ok: false, error: "last_credential" });
    // The disabled one may go: the enabled one remains.
    okValue(await domain.management.deletePasskey(identity, first.credentialId));
    expect(await domain.management.deletePasskey(identity, second.credentialId)).toEqual({ ok: false, error: "last_credential" });
    expect(await domain.credentials.findCredential(second.credentialId)).not.toBeNull();
  });

  it("lets a user who also has a password delete every passkey, the last answering an empty accepted list", async () => {
    const domain = buildDomain();
    const { account, credentials, identity } = await withUser(domain, { origin: "identity_provider", passkeys: 2 });
    okValue(await domain.management.deletePasskey(identity, at(credentials, 0).credentialId));
    expect(await domain.management.deletePasskey(identity, at(credentials, 1).credentialId)).toEqual({
      ok: true,
      value: { signals: [{ signalName: "allAcceptedCredentials", rpID: RP_ID, userID: account.userHandle, allAcceptedCredentialIDs: [] }] },
    });
    expect(await domain.management.listPasskeys(identity)).toEqual([]);
  });

  it("lets exactly one of two simultaneous deletes of a sign-up account's last two passkeys through", async () => {
    const domain = buildDomain();
    const { credentials, identity } = await withUser(domain, { passkeys: 2 });
    const outcomes = await Promise.all(credentials.map((c) => domain.management.deletePasskey(identity, c.credentialId)));
    expect(outcomes.filter((o) => o.ok)).toHaveLength(1);
    expect(outcomes.filter((o) => !o.ok)).toEqual([{ ok: false, error: "last_credential" }]);
    expect(await domain.credentials.listCredentials(credentials[0]?.userHandle ?? "")).toHaveLength(1);
  });
});

describe("account", () => {
  it("describes the account, counting every passkey (disabled ones too)", async () => {
    const domain = buildDomain();
    const { account, credentials, identity } = await withUser(domain, { passkeys: 2, username: "Erin" });
    okValue(await domain.management.updatePasskey(identity, at(credentials, 0).credentialId, { enabled: false }));
    expect(await domain.management.account(identity)).toEqual({
      ok: true,
      value: { userId: account.userHandle, username: "Erin", displayName: account.displayName, createdAt: account.createdAt, credentialCount: 2 },
    });
  });

  it("answers account_not_found for a caller without an account here", async () => {
    const domain = buildDomain();
    expect(await domain.management.account(aVerifiedIdentity({ identityUserId: "nobody" }))).toEqual({ ok: false, error: "account_not_found" });
  });
});

describe("updateAccount", () => {
  /** A user signed up through the real ceremony, so that the identity provider has them too. */
  async function signedUp(domain: Domain, username = "erin", displayName = "Erin") {
    const started = okValue(await domain.registration.startForNewUser({ username, displayName }));
    const registered = okValue(await domain.registration.finish(started.sessionId, new SoftwareAuthenticator().createCredential(started.options, { origin: ORIGIN })));
    const identity = aVerifiedIdentity({ identityUserId: registered.identityUserId, authenticatedAt: domain.clock.now() });
    return { registered, identity };
  }

  it("changes the username and display name in keyport and the identity provider, and answers currentUserDetails", async () => {
    const domain = buildDomain();
    const { registered, identity } = await signedUp(domain);
    const result = okValue(await domain.management.updateAccount(identity, { username: "Erin2", displayName: "  Erin   Two " }));
    expect(result.account).toMatchObject({ userId: registered.userHandle, username: "Erin2", displayName: "Erin Two", credentialCount: 1 });
    expect(result.signals).toEqual([
      { signalName: "currentUserDetails", rpID: RP_ID, userID: registered.userHandle, userName: "Erin2", userDisplayName: "Erin Two" },
    ]);
    expect(await domain.credentials.findUserByUsername("erin2")).toMatchObject({ userHandle: registered.userHandle, username: "Erin2", displayName: "Erin Two" });
    expect(await domain.credentials.findUserByUsername("erin")).toBeNull();
    expect(domain.identityProvider.updates).toEqual([{ identityUserId: registered.identityUserId, preferredUsername: "Erin2", name: "Erin Two" }]);
  });

  it("changes one field and keeps the other; a change of letter case of one's own username is allowed", async () => {
    const domain = buildDomain();
    const { identity } = await signedUp(domain, "erin", "Erin");
    expect(okValue(await domain.management.updateAccount(identity, { displayName: "Erin E." })).account).toMatchObject({ username: "erin", displayName: "Erin E." });
    expect(okValue(await domain.management.updateAccount(identity, { username: "ERIN" })).account).toMatchObject({ username: "ERIN", displayName: "Erin E." });
    expect(domain.identityProvider.updates.map((u) => [u.preferredUsername, u.name])).toEqual([
      ["erin", "Erin E."],
      ["ERIN", "Erin E."],
    ]);
  });

  it("refuses a username another user has, in any case or width, with username_taken, and asks the provider nothing", async () => {
    const domain = buildDomain();
    await signedUp(domain, "frank", "Frank");
    const { identity } = await signedUp(domain, "erin", "Erin");
    for (const username of ["frank", "FRANK", "ｆｒａｎｋ"]) {
      expect(await domain.management.updateAccount(identity, { username })).toEqual({ ok: false, error: "username_taken" });
    }
    expect(domain.identityProvider.updates).toEqual([]);
    expect(await domain.credentials.findUserByUsername("erin")).toMatchObject({ username: "erin" });
  });

  it("refuses an empty change and names that break the sign-up rules, before any look-up", async () => {
    const domain = buildDomain();
    const { identity } = await signedUp(domain);
    expect(await domain.management.updateAccount(identity, {})).toEqual({ ok: false, error: "account_change_empty" });
    const handleShaped = b64url(new Uint8Array(32).fill(1));
    for (const username of ["", "has space", "a".repeat(65), "\u202Eevil", 42, null, handleShaped]) {
      expect(await domain.management.updateAccount(identity, { username })).toEqual({ ok: false, error: "username_invalid" });
    }
    for (const displayName of ["", "x".repeat(65), "a\u0000b", 7]) {
      expect(await domain.management.updateAccount(identity, { displayName })).toEqual({ ok: false, error: "display_name_invalid" });
    }
    expect(domain.identityProvider.updates).toEqual([]);
  });

  it("answers account_not_found for a caller without an account here", async () => {
    const domain = buildDomain();
    expect(await domain.management.updateAccount(aVerifiedIdentity({ identityUserId: "nobody" }), { displayName: "X" })).toEqual({
      ok: false,
      error: "account_not_found",
    });
  });

  it.each(["username_taken", "too_many_requests", "identity_provider_unavailable"] as const)(
    "puts the store back when the identity provider answers %s, and answers that",
    async (code) => {
      const domain = buildDomain();
      const { registered, identity } = await signedUp(domain, "erin", "Erin");
      domain.identityProvider.failUpdateWith = code;
      expect(await domain.management.updateAccount(identity, { username: "Zed", displayName: "Zed Z" })).toEqual({ ok: false, error: code });
      expect(await domain.credentials.findUserByHandle(registered.userHandle)).toMatchObject({ username: "erin", usernameKey: "erin", displayName: "Erin" });
      expect(await domain.credentials.findUserByUsername("erin")).toMatchObject({ userHandle: registered.userHandle });
      // The new name is free again for anyone.
      expect(await domain.credentials.findUserByUsername("zed")).toBeNull();
      expect((await domain.registration.startForNewUser({ username: "zed", displayName: "Someone" })).ok).toBe(true);
    },
  );

  it("needs no recent sign-in", async () => {
    const domain = buildDomain();
    const { identity } = await signedUp(domain);
    domain.clock.advance(6 * 3_600_000);
    expect((await domain.management.updateAccount(identity, { displayName: "Later" })).ok).toBe(true);
  });
});

describe("deleteAccount", () => {
  async function signedUpWithPasskey(domain: Domain) {
    const authenticator = new SoftwareAuthenticator();
    const started = okValue(await domain.registration.startForNewUser({ username: "erin", displayName: "Erin" }));
    const registered = okValue(await domain.registration.finish(started.sessionId, authenticator.createCredential(started.options, { origin: ORIGIN })));
    const identity = aVerifiedIdentity({ identityUserId: registered.identityUserId, authenticatedAt: domain.clock.now() });
    return { authenticator, registered, identity };
  }

  async function expectGone(domain: Domain, account: Pick<UserAccount, "userHandle" | "identityUserId">, credentialId: string) {
    expect(await domain.credentials.findCredential(credentialId)).toBeNull();
    expect(await domain.credentials.listCredentials(account.userHandle)).toEqual([]);
    expect(await domain.credentials.findUserByHandle(account.userHandle)).toBeNull();
    expect(await domain.credentials.findUserByIdentity(account.identityUserId)).toBeNull();
    expect(await domain.credentials.findUserByUsername("erin")).toBeNull();
    expect(domain.identityProvider.users.has(account.identityUserId)).toBe(false);
  }

  it("deletes every record and the identity user, answers an empty accepted list, and frees the username", async () => {
    const domain = buildDomain();
    const { authenticator, registered, identity } = await signedUpWithPasskey(domain);
    expect(await domain.management.deleteAccount(identity)).toEqual({
      ok: true,
      value: { signals: [{ signalName: "allAcceptedCredentials", rpID: RP_ID, userID: registered.userHandle, allAcceptedCredentialIDs: [] }] },
    });
    await expectGone(domain, registered, registered.credentialId);
    expect(domain.identityProvider.deleted).toEqual([registered.identityUserId]);
    // The deleted passkey signs nobody in.
    const assertion = authenticator.getAssertion(await domain.authentication.startDiscoverable(), { origin: ORIGIN });
    expect(await domain.authentication.finish(assertion)).toEqual({ ok: false, error: "credential_not_found" });
    // Someone may sign up as "erin" again.
    expect((await domain.registration.startForNewUser({ username: "erin", displayName: "New Erin" })).ok).toBe(true);
  });

  it("deletes the identity user of a user who came with a password too", async () => {
    const domain = buildDomain();
    const { account, credentials, identity } = await withUser(domain, { origin: "identity_provider", passkeys: 2 });
    okValue(await domain.management.deleteAccount(identity));
    expect(await domain.credentials.findUserByHandle(account.userHandle)).toBeNull();
    for (const credential of credentials) expect(await domain.credentials.findCredential(credential.credentialId)).toBeNull();
    expect(domain.identityProvider.deleted).toEqual([account.identityUserId]);
  });

  it("needs a sign-in within the last five minutes, and deletes nothing without one", async () => {
    const domain = buildDomain();
    const { registered, identity } = await signedUpWithPasskey(domain);
    domain.clock.advance(FIVE_MINUTES + 1);
    expect(await domain.management.deleteAccount(identity)).toEqual({ ok: false, error: "reauthentication_required" });
    expect(await domain.management.deleteAccount({ ...identity, authenticatedAt: null })).toEqual({ ok: false, error: "reauthentication_required" });
    expect(await domain.credentials.findUserByHandle(registered.userHandle)).not.toBeNull();
    expect(domain.identityProvider.deleted).toEqual([]);
  });

  it("is idempotent: a second call finds nothing to delete in keyport and still deletes the identity user, without a signal", async () => {
    const domain = buildDomain();
    const { registered, identity } = await signedUpWithPasskey(domain);
    okValue(await domain.management.deleteAccount(identity));
    expect(await domain.management.deleteAccount(identity)).toEqual({ ok: true, value: { signals: [] } });
    expect(domain.identityProvider.deleted).toEqual([registered.identityUserId, registered.identityUserId]);
  });

  it("finishes on retry when the identity provider fails after keyport's records are gone, which sign nobody in meanwhile", async () => {
    const domain = buildDomain();
    const { authenticator, registered, identity } = await signedUpWithPasskey(domain);
    domain.identityProvider.failDeleteWith = new StorageUnavailableError("delete user", true, new Error("timeout"));
    await expect(domain.management.deleteAccount(identity)).rejects.toBeInstanceOf(StorageUnavailableError);
    // Half-way: keyport's records are gone first, so the passkey already signs nobody in.
    expect(await domain.credentials.findCredential(registered.credentialId)).toBeNull();
    const assertion = authenticator.getAssertion(await domain.authentication.startDiscoverable(), { origin: ORIGIN });
    expect(await domain.authentication.finish(assertion)).toEqual({ ok: false, error: "credential_not_found" });
    expect(domain.identityProvider.users.has(registered.identityUserId)).toBe(true);

    domain.identityProvider.failDeleteWith = null;
    expect(await domain.management.deleteAccount(identity)).toEqual({ ok: true, value: { signals: [] } });
    await expectGone(domain, registered, registered.credentialId);
  });

  it("finishes on retry when the store fails half-way, and leaves the identity user alone until keyport's records are gone", async () => {
    const domain = buildDomain();
    const { account, credentials, identity } = await withUser(domain, { passkeys: 3 });
    // A store whose first deleteUser removes one credential and then fails, as a store out of reach would half-way.
    let failures = 1;
    const inner = domain.credentials;
    const flaky: CredentialStore = Object.assign(Object.create(inner) as CredentialStore, {
      async deleteUser(userHandle: string) {
        if (failures-- > 0) {
          expect(await inner.deleteCredential(userHandle, at(credentials, 0).credentialId, { keepOneEnabled: false })).toBe("deleted");
          throw new StorageUnavailableError("delete user", true, new Error("throttled"));
        }
        return inner.deleteUser(userHandle);
      },
    });
    const management = new PasskeyManagement({ ...domain, credentials: flaky });

    await expect(management.deleteAccount(identity)).rejects.toBeInstanceOf(StorageUnavailableError);
    expect(domain.identityProvider.deleted).toEqual([]);
    expect(await inner.findUserByHandle(account.userHandle)).not.toBeNull();

    expect(await management.deleteAccount(identity)).toEqual({
      ok: true,
      value: { signals: [{ signalName: "allAcceptedCredentials", rpID: RP_ID, userID: account.userHandle, allAcceptedCredentialIDs: [] }] },
    });
    expect(await inner.findUserByHandle(account.userHandle)).toBeNull();
    for (const credential of credentials) expect(await inner.findCredential(credential.credentialId)).toBeNull();
    expect(domain.identityProvider.deleted).toEqual([account.identityUserId]);
  });
});

describe("signOut and signOutEverywhere", () => {
  it("revokes the refresh token given, and refuses one that cannot be a refresh token without asking the provider", async () => {
    const domain = buildDomain();
    expect(await domain.management.signOut("refresh-token-1")).toEqual({ ok: true, value: undefined });
    for (const token of ["", 7, null, undefined, "r".repeat(8 * 1024 + 1)]) {
      expect(await domain.management.signOut(token)).toEqual({ ok: false, error: "refresh_token_invalid" });
    }
    expect(domain.identityProvider.revokedRefreshTokens).toEqual(["refresh-token-1"]);
  });

  it("signs the user named by the token out everywhere", async () => {
    const domain = buildDomain();
    const identity: VerifiedIdentity = aVerifiedIdentity({ identityUserId: "erin-id" });
    expect(await domain.management.signOutEverywhere(identity)).toEqual({ ok: true, value: undefined });
    expect(domain.identityProvider.signedOutEverywhere).toEqual(["erin-id"]);
  });

  it("passes the provider's failure on", async () => {
    const domain = buildDomain();
    domain.identityProvider.failSignOutWith = "too_many_requests";
    expect(await domain.management.signOut("t")).toEqual({ ok: false, error: "too_many_requests" });
    expect(await domain.management.signOutEverywhere(aVerifiedIdentity())).toEqual({ ok: false, error: "too_many_requests" });
  });
});

describe("MANAGEMENT_ERRORS", () => {
  it("lists exactly the codes the management methods answer", () => {
    type Answered = UpdatePasskeyError | DeletePasskeyError | UpdateAccountError | "account_not_found" | "refresh_token_invalid" | SignOutError;
    // A key missing here, or one no method answers, does not compile.
    const answered: Record<Answered, true> = {
      passkey_not_found: true,
      passkey_name_invalid: true,
      passkey_change_empty: true,
      passkey_enabled_invalid: true,
      name_taken: true,
      last_credential: true,
      reauthentication_required: true,
      account_not_found: true,
      account_change_empty: true,
      username_invalid: true,
      display_name_invalid: true,
      username_taken: true,
      refresh_token_invalid: true,
      too_many_requests: true,
      identity_provider_unavailable: true,
    };
    expect([...MANAGEMENT_ERRORS].sort()).toEqual(Object.keys(answered).sort());
    expect(new Set(MANAGEMENT_ERRORS).size).toBe(MANAGEMENT_ERRORS.length);
  });
});
