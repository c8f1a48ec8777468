/**
 * The passkey-enrolled attribute (ADR 0023) through registration: "true" is written before the
 * credential is stored (fail closed: never "false" while a passkey is enabled), a registration whose
 * write fails stores nothing, and a user who existed before gets "true" again once the passkey is stored.
 */
import { describe, expect, it, vi } from "vitest";
import { PASSKEY_ENROLLED_UNWRITTEN } from "../../../src/domain/management/passkey-enrolment.js";
import { err, ok } from "../../../src/domain/result.js";
import { StorageUnavailableError } from "../../../src/ports/storage-unavailable-error.js";
import { ORIGIN, buildDomain, buildDomainWithUser, type Domain } from "../../support/domain-harness.js";
import { aVerifiedIdentity } from "../../support/kit.js";
import { SoftwareAuthenticator } from "../../support/software-authenticator.js";

const CAROL = "carol@example.com";
const UNWRITTEN = { ceremony: "registration", outcome: "failed", code: PASSKEY_ENROLLED_UNWRITTEN } as const;

async function signUp(domain: Domain, username = "dana") {
  const started = await domain.registration.startForNewUser({ username, displayName: username });
  if (!started.ok) throw new Error(started.error);
  const response = new SoftwareAuthenticator().createCredential(started.value.options, { origin: ORIGIN });
  return { sessionId: started.value.sessionId, response };
}

/** A signed-in user (a password user by default: no account here yet) starting to add a passkey. */
async function startAdding(domain: Domain, identityUserId = CAROL) {
  const caller = aVerifiedIdentity({ identityUserId, authenticatedAt: domain.clock.now() });
  const started = await domain.registration.startForExistingUser(caller);
  if (!started.ok) throw new Error(started.error);
  const response = new SoftwareAuthenticator().createCredential(started.value.options, { origin: ORIGIN });
  return { caller, sessionId: started.value.sessionId, response };
}

describe("passkey-enrolled attribute: a sign-up", () => {
  it("writes true for the new user before their first credential is stored", async () => {
    const domain = buildDomain();
    const writes = vi.spyOn(domain.identityProvider, "setPasskeyEnrolled");
    const add = vi.spyOn(domain.credentials, "add");
    const { sessionId, response } = await signUp(domain);
    const registered = await domain.registration.finish(sessionId, response);
    if (!registered.ok) throw new Error(registered.error);
    expect(writes.mock.calls).toEqual([[registered.value.identityUserId, true]]);
    expect(writes.mock.invocationCallOrder[0]).toBeLessThan(add.mock.invocationCallOrder[0] ?? 0);
    expect(domain.identityProvider.passkeyEnrolled.get(registered.value.identityUserId)).toBe(true);
  });

  it("stores nothing and deletes the identity user again when the write fails: user_creation_failed", async () => {
    const domain = buildDomain();
    const { sessionId, response } = await signUp(domain);
    domain.identityProvider.failSetEnrolledWith = "identity_provider_unavailable";
    expect(await domain.registration.finish(sessionId, response)).toEqual({ ok: false, error: "user_creation_failed" });
    expect(await domain.credentials.findCredential(response.id)).toBeNull();
    expect(domain.identityProvider.users.size).toBe(0);
    expect(domain.identityProvider.deleted).toHaveLength(1);
  });
});

describe("passkey-enrolled attribute: a signed-in user adds a passkey", () => {
  it("writes true before the credential is stored, and again after", async () => {
    const domain = buildDomain();
    const { caller, sessionId, response } = await startAdding(domain);
    const writes = vi.spyOn(domain.identityProvider, "setPasskeyEnrolled");
    const add = vi.spyOn(domain.credentials, "add");
    expect(await domain.registration.finish(sessionId, response, caller)).toMatchObject({ ok: true });
    expect(writes.mock.calls).toEqual([
      [CAROL, true],
      [CAROL, true],
    ]);
    const [before, after] = writes.mock.invocationCallOrder;
    const stored = add.mock.invocationCallOrder[0] ?? 0;
    expect(before).toBeLessThan(stored);
    expect(after).toBeGreaterThan(stored);
  });

  it("writes it for a user with an account too (another passkey)", async () => {
    const { domain, user } = await buildDomainWithUser();
    domain.identityProvider.passkeyEnrolled.clear();
    const { caller, sessionId, response } = await startAdding(domain, user.value.identityUserId);
    expect(await domain.registration.finish(sessionId, response, caller)).toMatchObject({ ok: true });
    expect(domain.identityProvider.passkeyEnrolled.get(user.value.identityUserId)).toBe(true);
  });

  it("stores nothing when the first write fails: identity_provider_unavailable, recorded as a failed registration", async () => {
    const { domain, user } = await buildDomainWithUser();
    const { caller, sessionId, response } = await startAdding(domain, user.value.identityUserId);
    domain.identityProvider.failSetEnrolledWith = "too_many_requests";
    const add = vi.spyOn(domain.credentials, "add");
    expect(await domain.registration.finish(sessionId, response, caller)).toEqual({ ok: false, error: "identity_provider_unavailable" });
    expect(add).not.toHaveBeenCalled();
    expect(await domain.credentials.findCredential(response.id)).toBeNull();
    expect(domain.events.appended.at(-1)).toMatchObject({ type: "registration.failed", code: "identity_provider_unavailable" });
  });

  it("keeps the passkey when the write after the store fails, and counts the unwritten attribute (the first write stands: true)", async () => {
    const domain = buildDomain();
    const { caller, sessionId, response } = await startAdding(domain);
    const write = domain.identityProvider.setPasskeyEnrolled.bind(domain.identityProvider);
    vi.spyOn(domain.identityProvider, "setPasskeyEnrolled")
      .mockImplementationOnce(write)
      .mockResolvedValueOnce(err("identity_provider_unavailable"));
    expect(await domain.registration.finish(sessionId, response, caller)).toMatchObject({ ok: true });
    expect(await domain.credentials.findCredential(response.id)).toMatchObject({ enabled: true });
    expect(domain.identityProvider.passkeyEnrolled.get(CAROL)).toBe(true);
    expect(domain.metrics.counted).toContainEqual(UNWRITTEN);
  });

  it("ends true when a delete of the user's other passkey wrote false between the first write and the store", async () => {
    const domain = buildDomain();
    // Carol signs up her first passkey from a password account, then adds a second one.
    const first = await startAdding(domain);
    const registered = await domain.registration.finish(first.sessionId, first.response, first.caller);
    if (!registered.ok) throw new Error(registered.error);
    const second = await startAdding(domain);
    const add = domain.credentials.add.bind(domain.credentials);
    vi.spyOn(domain.credentials, "add").mockImplementationOnce(async (credential, newUser) => {
      // The whole delete runs here: it reads no enabled passkey, writes false, reads again, still none.
      expect(await domain.management.deletePasskey(first.caller, registered.value.credentialId)).toMatchObject({ ok: true });
      expect(domain.identityProvider.passkeyEnrolled.get(CAROL)).toBe(false);
      return add(credential, newUser);
    });
    expect(await domain.registration.finish(second.sessionId, second.response, second.caller)).toMatchObject({ ok: true });
    expect(domain.identityProvider.passkeyEnrolled.get(CAROL)).toBe(true);
  });

  it("settles the attribute from the store when the store refuses the credential (it is already registered): a user with no passkey is left false", async () => {
    const domain = buildDomain();
    const { caller, sessionId, response } = await startAdding(domain);
    domain.identityProvider.passkeyEnrolled.set(CAROL, false);
    vi.spyOn(domain.credentials, "add").mockResolvedValueOnce("credential_exists");
    expect(await domain.registration.finish(sessionId, response, caller)).toEqual({ ok: false, error: "credential_already_registered" });
    expect(domain.identityProvider.passkeyEnrolled.get(CAROL)).toBe(false);
  });

  it("settles from the user the identity is linked to, not the new handle: a concurrent first registration that won keeps it true", async () => {
    const domain = buildDomain();
    const loser = await startAdding(domain);
    const winner = await startAdding(domain);
    expect(await domain.registration.finish(winner.sessionId, winner.response, winner.caller)).toMatchObject({ ok: true });
    expect(await domain.registration.finish(loser.sessionId, loser.response, loser.caller)).toEqual({ ok: false, error: "user_already_exists" });
    expect(domain.identityProvider.passkeyEnrolled.get(CAROL)).toBe(true);
  });

  it("settles the attribute and throws when the store fails", async () => {
    const domain = buildDomain();
    const { caller, sessionId, response } = await startAdding(domain);
    vi.spyOn(domain.credentials, "add").mockRejectedValueOnce(new StorageUnavailableError("add credential", true, new Error("timeout")));
    await expect(domain.registration.finish(sessionId, response, caller)).rejects.toBeInstanceOf(StorageUnavailableError);
    expect(domain.identityProvider.passkeyEnrolled.get(CAROL)).toBe(false);
  });

  it("writes nothing more when the account was deleted meanwhile (its identity user went with it)", async () => {
    const { domain, user } = await buildDomainWithUser();
    const { caller, sessionId, response } = await startAdding(domain, user.value.identityUserId);
    expect(await domain.management.deleteAccount(caller)).toMatchObject({ ok: true });
    const writes = vi.spyOn(domain.identityProvider, "setPasskeyEnrolled").mockResolvedValue(ok(undefined));
    expect(await domain.registration.finish(sessionId, response, caller)).toEqual({ ok: false, error: "account_not_found" });
    expect(writes.mock.calls).toEqual([[user.value.identityUserId, true]]);
  });

  it("writes nothing for a response that does not verify", async () => {
    const domain = buildDomain();
    const { caller, sessionId, response } = await startAdding(domain);
    const writes = vi.spyOn(domain.identityProvider, "setPasskeyEnrolled");
    expect(await domain.registration.finish(sessionId, { ...response, type: "password" }, caller)).toMatchObject({ ok: false });
    expect(writes).not.toHaveBeenCalled();
  });
});
