/**
 * The passkey-enrolled attribute (ADR 0023) through PasskeyManagement: every change of which passkeys
 * are enabled writes it from the store, an enable writes "true" first, a failed write after the change
 * leaves the change standing and is counted, and a "false" is taken back when a passkey appears meanwhile.
 */
import { describe, expect, it, vi } from "vitest";
import { PASSKEY_ENROLLED_UNWRITTEN } from "../../../src/domain/management/passkey-enrolment.js";
import type { AccountOrigin, StoredCredential } from "../../../src/domain/model.js";
import { ok } from "../../../src/domain/result.js";
import { StorageUnavailableError } from "../../../src/ports/storage-unavailable-error.js";
import { buildDomain, type Domain } from "../../support/domain-harness.js";
import { aStoredCredentialFor, aUserAccount, aVerifiedIdentity, BASE_TIME } from "../../support/kit.js";

/** A user with `passkeys` enabled credentials in the store, the attribute as `enrolled` says, and a fresh token. */
async function withUser(domain: Domain, { origin = "identity_provider", passkeys = 1 }: { origin?: AccountOrigin; passkeys?: number } = {}) {
  const account = aUserAccount({ origin });
  const credentials: StoredCredential[] = [];
  for (let i = 0; i < passkeys; i++) {
    const credential = aStoredCredentialFor(account, { createdAt: BASE_TIME + i, name: `Passkey ${i + 1}` });
    expect(await domain.credentials.add(credential, i === 0 ? account : undefined)).toBe("added");
    credentials.push(credential);
  }
  domain.identityProvider.passkeyEnrolled.set(account.identityUserId, passkeys > 0);
  const identity = aVerifiedIdentity({ identityUserId: account.identityUserId, authenticatedAt: domain.clock.now() });
  return { account, credentials, identity, id: (i: number) => credentials[i]?.credentialId ?? "" };
}

const UNWRITTEN = { ceremony: "passkey_management", outcome: "failed", code: PASSKEY_ENROLLED_UNWRITTEN } as const;

describe("passkey-enrolled attribute: deleting a passkey", () => {
  it("writes false when a password user deletes their only passkey", async () => {
    const domain = buildDomain();
    const { account, identity, id } = await withUser(domain);
    expect(await domain.management.deletePasskey(identity, id(0))).toMatchObject({ ok: true });
    expect(domain.identityProvider.passkeyEnrolled.get(account.identityUserId)).toBe(false);
  });

  it("keeps true while another passkey is enabled", async () => {
    const domain = buildDomain();
    const { account, identity, id } = await withUser(domain, { passkeys: 2 });
    const writes = vi.spyOn(domain.identityProvider, "setPasskeyEnrolled");
    expect(await domain.management.deletePasskey(identity, id(0))).toMatchObject({ ok: true });
    expect(writes.mock.calls).toEqual([[account.identityUserId, true]]);
    expect(domain.identityProvider.passkeyEnrolled.get(account.identityUserId)).toBe(true);
  });

  it("writes false when the passkey left is disabled", async () => {
    const domain = buildDomain();
    const { account, identity, id } = await withUser(domain, { passkeys: 2 });
    expect(await domain.management.updatePasskey(identity, id(1), { enabled: false })).toMatchObject({ ok: true });
    expect(domain.identityProvider.passkeyEnrolled.get(account.identityUserId)).toBe(true);
    expect(await domain.management.deletePasskey(identity, id(0))).toMatchObject({ ok: true });
    expect(domain.identityProvider.passkeyEnrolled.get(account.identityUserId)).toBe(false);
  });

  it("writes nothing for a refused delete (the last passkey of a passkey sign-up, someone else's, a stale sign-in)", async () => {
    const domain = buildDomain();
    const signUp = await withUser(domain, { origin: "passkey_sign_up" });
    const other = await withUser(domain);
    const writes = vi.spyOn(domain.identityProvider, "setPasskeyEnrolled");
    expect(await domain.management.deletePasskey(signUp.identity, signUp.id(0))).toEqual({ ok: false, error: "last_credential" });
    expect(await domain.management.deletePasskey(signUp.identity, other.id(0))).toEqual({ ok: false, error: "passkey_not_found" });
    domain.clock.advance(6 * 60_000);
    expect(await domain.management.deletePasskey(other.identity, other.id(0))).toEqual({ ok: false, error: "reauthentication_required" });
    expect(writes).not.toHaveBeenCalled();
  });

  it("still deletes when the write fails, leaves the attribute as it was (true: fail closed) and counts the unwritten attribute", async () => {
    const domain = buildDomain();
    const { account, identity, id } = await withUser(domain);
    domain.identityProvider.failSetEnrolledWith = "identity_provider_unavailable";
    expect(await domain.management.deletePasskey(identity, id(0))).toMatchObject({ ok: true });
    expect(await domain.credentials.findCredential(id(0))).toBeNull();
    expect(domain.identityProvider.passkeyEnrolled.get(account.identityUserId)).toBe(true);
    expect(domain.metrics.counted).toContainEqual(UNWRITTEN);
  });

  it("takes a false back when a registration stored a passkey between the read and the write", async () => {
    const domain = buildDomain();
    const { account, identity, id } = await withUser(domain);
    const late = aStoredCredentialFor(account, { createdAt: BASE_TIME + 10, name: "Late" });
    const write = domain.identityProvider.setPasskeyEnrolled.bind(domain.identityProvider);
    // The registration wrote "true" before this delete read the store, and stores its passkey as the delete writes "false".
    const writes = vi.spyOn(domain.identityProvider, "setPasskeyEnrolled").mockImplementation(async (user, enrolled) => {
      const written = await write(user, enrolled);
      if (!enrolled) expect(await domain.credentials.add(late)).toBe("added");
      return written;
    });
    expect(await domain.management.deletePasskey(identity, id(0))).toMatchObject({ ok: true });
    expect(writes.mock.calls).toEqual([
      [account.identityUserId, false],
      [account.identityUserId, true],
    ]);
    expect(domain.identityProvider.passkeyEnrolled.get(account.identityUserId)).toBe(true);
  });

  it("writes true again when the second read fails: an unknown store counts as a passkey (fail closed)", async () => {
    const domain = buildDomain();
    const { account, identity, id } = await withUser(domain);
    const list = domain.credentials.listCredentials.bind(domain.credentials);
    let reads = 0;
    vi.spyOn(domain.credentials, "listCredentials").mockImplementation(async (handle) => {
      reads += 1;
      if (reads === 2) throw new StorageUnavailableError("list credentials", true, new Error("timeout"));
      return list(handle);
    });
    expect(await domain.management.deletePasskey(identity, id(0))).toMatchObject({ ok: true });
    expect(domain.identityProvider.passkeyEnrolled.get(account.identityUserId)).toBe(true);
  });
});

describe("passkey-enrolled attribute: disabling and enabling", () => {
  it("writes false when the only enabled passkey is disabled, and true when it is enabled again", async () => {
    const domain = buildDomain();
    const { account, identity, id } = await withUser(domain);
    expect(await domain.management.updatePasskey(identity, id(0), { enabled: false })).toMatchObject({ ok: true });
    expect(domain.identityProvider.passkeyEnrolled.get(account.identityUserId)).toBe(false);
    expect(await domain.management.updatePasskey(identity, id(0), { enabled: true })).toMatchObject({ ok: true });
    expect(domain.identityProvider.passkeyEnrolled.get(account.identityUserId)).toBe(true);
  });

  it("writes true before an enable reaches the store", async () => {
    const domain = buildDomain();
    const { identity, id } = await withUser(domain);
    await domain.management.updatePasskey(identity, id(0), { enabled: false });
    const writes = vi.spyOn(domain.identityProvider, "setPasskeyEnrolled");
    const update = vi.spyOn(domain.credentials, "updateCredential");
    expect(await domain.management.updatePasskey(identity, id(0), { enabled: true })).toMatchObject({ ok: true });
    expect(writes.mock.calls[0]?.[1]).toBe(true);
    expect(writes.mock.invocationCallOrder[0]).toBeLessThan(update.mock.invocationCallOrder[0] ?? 0);
  });

  it("refuses an enable whose first write fails with identity_provider_unavailable, and enables nothing", async () => {
    const domain = buildDomain();
    const { account, identity, id } = await withUser(domain);
    await domain.management.updatePasskey(identity, id(0), { enabled: false });
    domain.identityProvider.failSetEnrolledWith = "too_many_requests";
    expect(await domain.management.updatePasskey(identity, id(0), { enabled: true })).toEqual({ ok: false, error: "identity_provider_unavailable" });
    expect(await domain.credentials.findCredential(id(0))).toMatchObject({ enabled: false });
    expect(domain.identityProvider.passkeyEnrolled.get(account.identityUserId)).toBe(false);
    expect(domain.metrics.counted).toContainEqual({ ceremony: "passkey_management", outcome: "failed", code: "identity_provider_unavailable" });
  });

  it("still disables when the write fails, and counts it; the attribute stays true", async () => {
    const domain = buildDomain();
    const { account, identity, id } = await withUser(domain);
    domain.identityProvider.failSetEnrolledWith = "identity_provider_unavailable";
    expect(await domain.management.updatePasskey(identity, id(0), { enabled: false })).toMatchObject({ ok: true, value: { passkey: { enabled: false } } });
    expect(domain.identityProvider.passkeyEnrolled.get(account.identityUserId)).toBe(true);
    expect(domain.metrics.counted).toContainEqual(UNWRITTEN);
  });

  it("settles the attribute from the store when the store refuses an enable it wrote true for (a name taken)", async () => {
    const domain = buildDomain();
    const { account, identity, id } = await withUser(domain, { passkeys: 2 });
    await domain.management.updatePasskey(identity, id(0), { enabled: false });
    await domain.management.updatePasskey(identity, id(1), { enabled: false });
    expect(domain.identityProvider.passkeyEnrolled.get(account.identityUserId)).toBe(false);
    expect(await domain.management.updatePasskey(identity, id(0), { enabled: true, name: "passkey 2" })).toEqual({ ok: false, error: "name_taken" });
    // A password user left with "true" and no passkey to answer could not sign in with their password.
    expect(domain.identityProvider.passkeyEnrolled.get(account.identityUserId)).toBe(false);
  });

  it("settles the attribute and throws when the store fails an enable it wrote true for", async () => {
    const domain = buildDomain();
    const { account, identity, id } = await withUser(domain);
    await domain.management.updatePasskey(identity, id(0), { enabled: false });
    vi.spyOn(domain.credentials, "updateCredential").mockRejectedValueOnce(new StorageUnavailableError("update credential", true, new Error("timeout")));
    await expect(domain.management.updatePasskey(identity, id(0), { enabled: true })).rejects.toBeInstanceOf(StorageUnavailableError);
    expect(domain.identityProvider.passkeyEnrolled.get(account.identityUserId)).toBe(false);
  });

  it("writes nothing for a rename", async () => {
    const domain = buildDomain();
    const { identity, id } = await withUser(domain);
    const writes = vi.spyOn(domain.identityProvider, "setPasskeyEnrolled");
    expect(await domain.management.updatePasskey(identity, id(0), { name: "Work laptop" })).toMatchObject({ ok: true });
    expect(writes).not.toHaveBeenCalled();
  });

  it("answers the change even when the identity provider throws instead of answering a failure", async () => {
    const domain = buildDomain();
    const { identity, id } = await withUser(domain);
    vi.spyOn(domain.identityProvider, "setPasskeyEnrolled").mockRejectedValue(new Error("socket hang up"));
    expect(await domain.management.updatePasskey(identity, id(0), { enabled: false })).toMatchObject({ ok: true });
    expect(domain.metrics.counted).toContainEqual(UNWRITTEN);
  });

  it("writes false then true, never leaving false, when the disable's second read finds a passkey enabled meanwhile", async () => {
    const domain = buildDomain();
    const { account, identity, id } = await withUser(domain, { passkeys: 2 });
    await domain.management.updatePasskey(identity, id(1), { enabled: false });
    vi.spyOn(domain.identityProvider, "setPasskeyEnrolled").mockImplementation(async (user, enrolled) => {
      domain.identityProvider.passkeyEnrolled.set(user, enrolled);
      // Another device enables the second passkey (its own "true" came before this "false").
      if (!enrolled) await domain.credentials.updateCredential(account.userHandle, id(1), { enabled: true }, { keepOneEnabled: false });
      return ok(undefined);
    });
    expect(await domain.management.updatePasskey(identity, id(0), { enabled: false })).toMatchObject({ ok: true });
    expect(domain.identityProvider.passkeyEnrolled.get(account.identityUserId)).toBe(true);
  });
});

describe("passkey-enrolled attribute: the account", () => {
  it("writes nothing when the account is deleted (the identity user goes with it)", async () => {
    const domain = buildDomain();
    const { identity } = await withUser(domain);
    const writes = vi.spyOn(domain.identityProvider, "setPasskeyEnrolled");
    expect(await domain.management.deleteAccount(identity)).toMatchObject({ ok: true });
    expect(writes).not.toHaveBeenCalled();
  });
});
