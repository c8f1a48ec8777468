/**
 * Management's security activity (issue 12): every change is exactly one event per thing that changed,
 * in the user's own trail, naming the passkey as the user knows it; a refusal is the operator's count
 * only; and a store that cannot keep the event changes nothing about the answer.
 */
import { describe, expect, it } from "vitest";
import type { RequestContext } from "../../../src/domain/activity/security-events.js";
import type { AccountOrigin, StoredCredential } from "../../../src/domain/model.js";
import { StorageUnavailableError } from "../../../src/ports/storage-unavailable-error.js";
import { buildDomain, TEST_AAGUIDS, type Domain } from "../../support/domain-harness.js";
import { aStoredCredentialFor, aUserAccount, aVerifiedIdentity, BASE_TIME } from "../../support/kit.js";

const CONTEXT: RequestContext = { sourceIp: "2001:db8::7", userAgent: "Mozilla/5.0 Safari/18.0", correlationId: "req-9" };
const FIVE_MINUTES = 5 * 60_000;

/** A user with two YubiKey passkeys ("Blue key", "Red key"), stored straight into the store. */
async function withUser(domain: Domain, origin: AccountOrigin = "passkey_sign_up") {
  const account = aUserAccount({ origin });
  const credentials: StoredCredential[] = [];
  for (const [i, name] of ["Blue key", "Red key"].entries()) {
    const credential = aStoredCredentialFor(account, { name, aaguid: TEST_AAGUIDS.yubiKey5, transports: ["usb"], createdAt: BASE_TIME + i });
    expect(await domain.credentials.add(credential, i === 0 ? account : undefined)).toBe("added");
    credentials.push(credential);
  }
  const identity = aVerifiedIdentity({ identityUserId: account.identityUserId, authenticatedAt: domain.clock.now() });
  const [blue, red] = credentials as [StoredCredential, StoredCredential];
  return { account, identity, blue, red };
}

function passkeyOf(credential: StoredCredential, passkeyName = credential.name) {
  return { credentialId: credential.credentialId, passkeyName, authenticatorName: "YubiKey 5 Series" };
}

const stamp = { eventId: expect.any(String), at: BASE_TIME, context: CONTEXT };

describe("updatePasskey's activity", () => {
  it("records a rename as passkey.renamed with the previous name", async () => {
    const domain = buildDomain();
    const { account, identity, blue } = await withUser(domain);
    expect((await domain.management.updatePasskey(identity, blue.credentialId, { name: "Office key" }, CONTEXT)).ok).toBe(true);
    expect(await domain.events.trailOf(account.userHandle)).toEqual([
      { type: "passkey.renamed", userHandle: account.userHandle, previousName: "Blue key", ...passkeyOf(blue, "Office key"), ...stamp },
    ]);
    expect(domain.metrics.counted).toEqual([{ ceremony: "passkey_management", outcome: "succeeded" }]);
  });

  it("records a rename and a disable made by one request as two events", async () => {
    const domain = buildDomain();
    const { account, identity, blue } = await withUser(domain);
    expect((await domain.management.updatePasskey(identity, blue.credentialId, { name: "Old key", enabled: false }, CONTEXT)).ok).toBe(true);
    const trail = await domain.events.trailOf(account.userHandle);
    expect(trail).toHaveLength(2);
    expect(trail).toEqual(
      expect.arrayContaining([
        { type: "passkey.renamed", userHandle: account.userHandle, previousName: "Blue key", ...passkeyOf(blue, "Old key"), ...stamp },
        { type: "passkey.disabled", userHandle: account.userHandle, ...passkeyOf(blue, "Old key"), ...stamp },
      ]),
    );
  });

  it("records enabling as passkey.enabled", async () => {
    const domain = buildDomain();
    const { account, identity, blue } = await withUser(domain);
    await domain.management.updatePasskey(identity, blue.credentialId, { enabled: false }, CONTEXT);
    domain.events.clear();
    expect((await domain.management.updatePasskey(identity, blue.credentialId, { enabled: true }, CONTEXT)).ok).toBe(true);
    expect(domain.events.appended).toEqual([{ type: "passkey.enabled", userHandle: account.userHandle, ...passkeyOf(blue), ...stamp }]);
  });

  it("records nothing for a change to what already was, and counts it as a success", async () => {
    const domain = buildDomain();
    const { identity, blue } = await withUser(domain);
    expect((await domain.management.updatePasskey(identity, blue.credentialId, { name: "Blue key", enabled: true }, CONTEXT)).ok).toBe(true);
    expect(domain.events.appended).toEqual([]);
    expect(domain.metrics.counted).toEqual([{ ceremony: "passkey_management", outcome: "succeeded" }]);
  });

  it("records a change of letter case as a rename", async () => {
    const domain = buildDomain();
    const { identity, blue } = await withUser(domain);
    await domain.management.updatePasskey(identity, blue.credentialId, { name: "BLUE KEY" }, CONTEXT);
    expect(domain.events.appended).toEqual([expect.objectContaining({ type: "passkey.renamed", previousName: "Blue key", passkeyName: "BLUE KEY" })]);
  });

  it("counts refusals with the code the API reports, and records nothing in anyone's trail", async () => {
    const domain = buildDomain();
    const { identity, blue, red } = await withUser(domain);
    const other = await withUser(domain);
    await domain.management.updatePasskey(identity, blue.credentialId, {}, CONTEXT);
    await domain.management.updatePasskey(identity, blue.credentialId, { name: "Red key" }, CONTEXT);
    await domain.management.updatePasskey(identity, other.blue.credentialId, { enabled: false }, CONTEXT);
    await domain.management.updatePasskey(identity, red.credentialId, { enabled: false }, CONTEXT);
    await domain.management.updatePasskey(identity, blue.credentialId, { enabled: false }, CONTEXT);
    expect(domain.events.appended.map((event) => event.type)).toEqual(["passkey.disabled"]);
    expect(domain.metrics.counted).toEqual([
      { ceremony: "passkey_management", outcome: "failed", code: "passkey_change_empty" },
      { ceremony: "passkey_management", outcome: "failed", code: "name_taken" },
      { ceremony: "passkey_management", outcome: "failed", code: "passkey_not_found" },
      { ceremony: "passkey_management", outcome: "succeeded" },
      { ceremony: "passkey_management", outcome: "failed", code: "last_credential" },
    ]);
  });
});

describe("deletePasskey's activity", () => {
  it("records passkey.deleted, naming the passkey as it was", async () => {
    const domain = buildDomain();
    const { account, identity, blue } = await withUser(domain);
    expect((await domain.management.deletePasskey(identity, blue.credentialId, CONTEXT)).ok).toBe(true);
    expect(await domain.events.trailOf(account.userHandle)).toEqual([{ type: "passkey.deleted", userHandle: account.userHandle, ...passkeyOf(blue), ...stamp }]);
    expect(domain.metrics.counted).toEqual([{ ceremony: "passkey_management", outcome: "succeeded" }]);
  });

  it("counts refusals only", async () => {
    const domain = buildDomain();
    const { identity, blue, red } = await withUser(domain);
    const other = await withUser(domain);
    await domain.management.deletePasskey(identity, other.blue.credentialId, CONTEXT);
    await domain.management.deletePasskey(identity, blue.credentialId, CONTEXT);
    await domain.management.deletePasskey(identity, red.credentialId, CONTEXT);
    domain.clock.advance(FIVE_MINUTES + 1);
    await domain.management.deletePasskey(identity, red.credentialId, CONTEXT);
    expect(domain.events.appended.map((event) => event.type)).toEqual(["passkey.deleted"]);
    expect(domain.metrics.counted).toEqual([
      { ceremony: "passkey_management", outcome: "failed", code: "passkey_not_found" },
      { ceremony: "passkey_management", outcome: "succeeded" },
      { ceremony: "passkey_management", outcome: "failed", code: "last_credential" },
      { ceremony: "passkey_management", outcome: "failed", code: "reauthentication_required" },
    ]);
  });
});

describe("account activity", () => {
  it("records account.updated with the fields that changed", async () => {
    const domain = buildDomain();
    const { account, identity } = await withUser(domain);
    await domain.management.updateAccount(identity, { username: "alice-new", displayName: "Alice New" }, CONTEXT);
    await domain.management.updateAccount(identity, { displayName: "Alice Newer" }, CONTEXT);
    await domain.management.updateAccount(identity, { username: "alice-new", displayName: "Alice Newer" }, CONTEXT);
    expect(domain.events.appended).toEqual([
      { type: "account.updated", userHandle: account.userHandle, changed: ["username", "displayName"], ...stamp },
      { type: "account.updated", userHandle: account.userHandle, changed: ["displayName"], ...stamp },
    ]);
    expect(domain.metrics.counted).toEqual(Array.from({ length: 3 }, () => ({ ceremony: "account_management", outcome: "succeeded" })));
  });

  it("counts a refused update only, the identity provider's refusal included", async () => {
    const domain = buildDomain();
    const { identity } = await withUser(domain);
    await domain.management.updateAccount(identity, {}, CONTEXT);
    domain.identityProvider.failUpdateWith = "username_taken";
    await domain.management.updateAccount(identity, { username: "taken" }, CONTEXT);
    await domain.management.updateAccount(aVerifiedIdentity({ identityUserId: "nobody" }), { displayName: "X" }, CONTEXT);
    expect(domain.events.appended).toEqual([]);
    expect(domain.metrics.counted).toEqual([
      { ceremony: "account_management", outcome: "failed", code: "account_change_empty" },
      { ceremony: "account_management", outcome: "failed", code: "username_taken" },
      { ceremony: "account_management", outcome: "failed", code: "account_not_found" },
    ]);
  });

  it("records account.deleted in a trail that outlives the account, once, even when the deletion is repeated", async () => {
    const domain = buildDomain();
    const { account, identity } = await withUser(domain);
    expect((await domain.management.deleteAccount(identity, CONTEXT)).ok).toBe(true);
    expect((await domain.management.deleteAccount(identity, CONTEXT)).ok).toBe(true);
    expect(await domain.credentials.findUserByHandle(account.userHandle)).toBeNull();
    expect(await domain.events.trailOf(account.userHandle)).toEqual([{ type: "account.deleted", userHandle: account.userHandle, ...stamp }]);
    expect(domain.metrics.counted).toEqual([
      { ceremony: "account_management", outcome: "succeeded" },
      { ceremony: "account_management", outcome: "succeeded" },
    ]);
  });

  it("counts a deletion refused for want of a recent sign-in", async () => {
    const domain = buildDomain();
    const { identity } = await withUser(domain);
    domain.clock.advance(FIVE_MINUTES + 1);
    expect(await domain.management.deleteAccount(identity, CONTEXT)).toEqual({ ok: false, error: "reauthentication_required" });
    expect(domain.events.appended).toEqual([]);
    expect(domain.metrics.counted).toEqual([{ ceremony: "account_management", outcome: "failed", code: "reauthentication_required" }]);
  });
});

describe("sign-out activity", () => {
  it("records signed_out when the sign-out names its user, and only counts one that names nobody", async () => {
    const domain = buildDomain();
    const { account, identity } = await withUser(domain);
    expect(await domain.management.signOut("refresh-1", identity, CONTEXT)).toEqual({ ok: true, value: undefined });
    expect(await domain.management.signOut("refresh-2", null, CONTEXT)).toEqual({ ok: true, value: undefined });
    expect(await domain.management.signOut("refresh-3", aVerifiedIdentity({ identityUserId: "no-account-here" }), CONTEXT)).toEqual({ ok: true, value: undefined });
    expect(domain.events.appended).toEqual([{ type: "signed_out", userHandle: account.userHandle, ...stamp }]);
    expect(domain.metrics.counted).toEqual(Array.from({ length: 3 }, () => ({ ceremony: "sign_out", outcome: "succeeded" })));
  });

  it("records signed_out_everywhere", async () => {
    const domain = buildDomain();
    const { account, identity } = await withUser(domain);
    expect((await domain.management.signOutEverywhere(identity, CONTEXT)).ok).toBe(true);
    expect(domain.events.appended).toEqual([{ type: "signed_out_everywhere", userHandle: account.userHandle, ...stamp }]);
  });

  it("counts a sign-out that failed, and records nothing", async () => {
    const domain = buildDomain();
    const { identity } = await withUser(domain);
    await domain.management.signOut("", identity, CONTEXT);
    domain.identityProvider.failSignOutWith = "too_many_requests";
    await domain.management.signOut("refresh-1", identity, CONTEXT);
    await domain.management.signOutEverywhere(identity, CONTEXT);
    expect(domain.events.appended).toEqual([]);
    expect(domain.metrics.counted).toEqual([
      { ceremony: "sign_out", outcome: "failed", code: "refresh_token_invalid" },
      { ceremony: "sign_out", outcome: "failed", code: "too_many_requests" },
      { ceremony: "sign_out", outcome: "failed", code: "too_many_requests" },
    ]);
  });

  it("signs out even when the account cannot be read for the event", async () => {
    const domain = buildDomain();
    const { identity } = await withUser(domain);
    domain.credentials.findUserByIdentity = async () => {
      throw new StorageUnavailableError("find user", true, new Error("ThrottlingException"));
    };
    expect(await domain.management.signOut("refresh-1", identity, CONTEXT)).toEqual({ ok: true, value: undefined });
    expect(await domain.management.signOutEverywhere(identity, CONTEXT)).toEqual({ ok: true, value: undefined });
    expect(domain.identityProvider.revokedRefreshTokens).toEqual(["refresh-1"]);
  });
});

describe("management when the event store fails", () => {
  it("makes every change and answers as ever, reporting each event as lost", async () => {
    const domain = buildDomain();
    const { account, identity, blue, red } = await withUser(domain);
    const fault = new StorageUnavailableError("append security event", true, new Error("ThrottlingException"));
    domain.events.failWith = fault;
    expect(await domain.management.updatePasskey(identity, blue.credentialId, { name: "Office key" }, CONTEXT)).toMatchObject({ ok: true, value: { passkey: { name: "Office key" } } });
    expect((await domain.management.deletePasskey(identity, red.credentialId, CONTEXT)).ok).toBe(true);
    expect((await domain.management.updateAccount(identity, { displayName: "Renamed" }, CONTEXT)).ok).toBe(true);
    expect((await domain.management.signOut("refresh-1", identity, CONTEXT)).ok).toBe(true);
    expect((await domain.management.signOutEverywhere(identity, CONTEXT)).ok).toBe(true);
    expect((await domain.management.deleteAccount(identity, CONTEXT)).ok).toBe(true);
    expect(await domain.credentials.findUserByHandle(account.userHandle)).toBeNull();
    expect(domain.lost.reported.map(({ event, fault: reported }) => [event.type, event.userHandle, reported])).toEqual([
      ["passkey.renamed", account.userHandle, fault],
      ["passkey.deleted", account.userHandle, fault],
      ["account.updated", account.userHandle, fault],
      ["signed_out", account.userHandle, fault],
      ["signed_out_everywhere", account.userHandle, fault],
      ["account.deleted", account.userHandle, fault],
    ]);
  });
});

describe("listEvents", () => {
  it("lists the caller's own trail, newest first, a page at a time", async () => {
    const domain = buildDomain();
    const { account, identity, blue, red } = await withUser(domain);
    await domain.management.updatePasskey(identity, blue.credentialId, { name: "One" }, CONTEXT);
    domain.clock.advance(1);
    await domain.management.updatePasskey(identity, red.credentialId, { name: "Two" }, CONTEXT);
    domain.clock.advance(1);
    await domain.management.signOutEverywhere(identity, CONTEXT);
    const first = await domain.management.listEvents(identity, { limit: 2, cursor: null }, CONTEXT);
    expect(first).toMatchObject({ ok: true, value: { events: [{ type: "signed_out_everywhere" }, { type: "passkey.renamed", passkeyName: "Two" }] } });
    if (!first.ok || first.value.nextCursor === null) throw new Error("expected a second page");
    const second = await domain.management.listEvents(identity, { limit: 2, cursor: first.value.nextCursor }, CONTEXT);
    expect(second).toEqual({ ok: true, value: { events: [expect.objectContaining({ type: "passkey.renamed", passkeyName: "One", userHandle: account.userHandle })], nextCursor: null } });
  });

  it("never lists another user's events, and refuses a cursor from another user's trail", async () => {
    const domain = buildDomain();
    const alice = await withUser(domain);
    const bob = await withUser(domain);
    for (const name of ["A", "B", "C"]) await domain.management.updatePasskey(alice.identity, alice.blue.credentialId, { name }, CONTEXT);
    await domain.management.signOutEverywhere(bob.identity, CONTEXT);
    const bobs = await domain.management.listEvents(bob.identity, { limit: 100, cursor: null }, CONTEXT);
    expect(bobs).toEqual({ ok: true, value: { events: [expect.objectContaining({ type: "signed_out_everywhere", userHandle: bob.account.userHandle })], nextCursor: null } });
    const alices = await domain.management.listEvents(alice.identity, { limit: 1, cursor: null }, CONTEXT);
    if (!alices.ok || alices.value.nextCursor === null) throw new Error("expected a cursor");
    expect(await domain.management.listEvents(bob.identity, { limit: 1, cursor: alices.value.nextCursor }, CONTEXT)).toEqual({ ok: false, error: "cursor_invalid" });
  });

  it("has nothing for a caller without an account here, whose every cursor is cursor_invalid", async () => {
    const domain = buildDomain();
    const alice = await withUser(domain);
    await domain.management.signOutEverywhere(alice.identity, CONTEXT);
    const stranger = aVerifiedIdentity({ identityUserId: "no-account-here" });
    expect(await domain.management.listEvents(stranger, { limit: 20, cursor: null }, CONTEXT)).toEqual({ ok: true, value: { events: [], nextCursor: null } });
    expect(await domain.management.listEvents(stranger, { limit: 20, cursor: "anything" }, CONTEXT)).toEqual({ ok: false, error: "cursor_invalid" });
  });
});
