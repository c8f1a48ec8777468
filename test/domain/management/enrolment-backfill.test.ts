/**
 * The passkey-enrolled backfill (ADR 0023) over an in-memory store and the fake identity provider:
 * what it writes for each kind of user, its dry run, its summary, resuming after a failed listing, and
 * that a passkey registered while it runs is not left behind a "false".
 */
import { describe, expect, it, vi } from "vitest";
import { InMemoryCredentialStore } from "../../../src/adapters/in-memory/in-memory-credential-store.js";
import {
  backfillPasskeyEnrolled,
  type BackfillUserOutcome,
  type EnrolmentBackfillOptions,
} from "../../../src/domain/management/enrolment-backfill.js";
import type { UserAccount } from "../../../src/domain/model.js";
import { StorageUnavailableError } from "../../../src/ports/storage-unavailable-error.js";
import { FakeIdentityProvider } from "../../support/fake-identity-provider.js";
import { aStoredCredentialFor, aUserAccount, BASE_TIME, uniqueId } from "../../support/kit.js";

const NO_RULE = { keepOneEnabled: false };

/** A store with a user of each kind: passkeys enabled, passkeys all disabled, and none (a password user who deleted theirs). */
async function population() {
  const credentials = new InMemoryCredentialStore();
  const identityProvider = new FakeIdentityProvider();
  const withPasskeys = async (enabled: readonly boolean[], overrides: Partial<UserAccount> = {}): Promise<UserAccount> => {
    const user = aUserAccount(overrides);
    for (const [i, on] of enabled.entries()) {
      expect(await credentials.add(aStoredCredentialFor(user, { createdAt: BASE_TIME + i, name: `Key ${i}`, enabled: on }), i === 0 ? user : undefined)).toBe("added");
    }
    return user;
  };
  const enrolled = [await withPasskeys([true]), await withPasskeys([false, true]), await withPasskeys([true, true, false])];
  const disabled = await withPasskeys([false, false]);
  const none = await withPasskeys([true], { identityUserId: `password-user-${uniqueId(6)}`, origin: "identity_provider" });
  const [only] = await credentials.listCredentials(none.userHandle);
  expect(await credentials.deleteCredential(none.userHandle, only!.credentialId, NO_RULE)).toBe("deleted");
  return { credentials, identityProvider, deps: { credentials, identityProvider }, enrolled, notEnrolled: [disabled, none], all: [...enrolled, disabled, none] };
}

async function run(deps: Parameters<typeof backfillPasskeyEnrolled>[0], options: Partial<EnrolmentBackfillOptions> = {}) {
  const outcomes = new Map<string, BackfillUserOutcome>();
  const result = await backfillPasskeyEnrolled(deps, { dryRun: false, ...options, onUser: (user, outcome) => outcomes.set(user.identityUserId, outcome) });
  return { result, outcomes };
}

describe("backfillPasskeyEnrolled", () => {
  it("sets true for every user with an enabled passkey and false for the others, and sums it up", async () => {
    const { deps, identityProvider, enrolled, notEnrolled } = await population();

    const { result, outcomes } = await run(deps, { pageSize: 2 });

    expect(result).toEqual({ ok: true, value: { finished: true, summary: { seen: 5, setTrue: 3, setFalse: 2, failed: 0 } } });
    for (const user of enrolled) expect(identityProvider.passkeyEnrolled.get(user.identityUserId), user.username).toBe(true);
    for (const user of notEnrolled) expect(identityProvider.passkeyEnrolled.get(user.identityUserId), user.username).toBe(false);
    expect(identityProvider.passkeyEnrolled.size).toBe(5);
    expect(outcomes.get(enrolled[0]!.identityUserId)).toEqual({ kind: "set", enrolled: true });
    expect(outcomes.get(notEnrolled[1]!.identityUserId)).toEqual({ kind: "set", enrolled: false });
  });

  it("reads the credentials as every passkey change does, and checks a false once more", async () => {
    const { deps, credentials, all, notEnrolled } = await population();
    const reads = vi.spyOn(credentials, "listCredentials");

    await run(deps);

    // One read per user, and a second one after each "false".
    expect(reads).toHaveBeenCalledTimes(all.length + notEnrolled.length);
    for (const user of notEnrolled) expect(reads.mock.calls.filter(([handle]) => handle === user.userHandle)).toHaveLength(2);
  });

  it("writes nothing in a dry run, and reports what it would write", async () => {
    const { deps, identityProvider, enrolled } = await population();
    const writes = vi.spyOn(identityProvider, "setPasskeyEnrolled");

    const { result, outcomes } = await run(deps, { dryRun: true });

    expect(writes).not.toHaveBeenCalled();
    expect(result).toEqual({ ok: true, value: { finished: true, summary: { seen: 5, setTrue: 3, setFalse: 2, failed: 0 } } });
    expect(outcomes.get(enrolled[1]!.identityUserId)).toEqual({ kind: "set", enrolled: true });
  });

  it("is idempotent: a second run writes the same values and sums up the same", async () => {
    const { deps, identityProvider } = await population();
    const first = await run(deps);
    const after = new Map(identityProvider.passkeyEnrolled);

    const second = await run(deps, { pageSize: 1 });

    expect(second.result).toEqual(first.result);
    expect(identityProvider.passkeyEnrolled).toEqual(after);
  });

  it("overwrites a stale value either way", async () => {
    const { deps, identityProvider, enrolled, notEnrolled } = await population();
    identityProvider.passkeyEnrolled.set(enrolled[0]!.identityUserId, false);
    identityProvider.passkeyEnrolled.set(notEnrolled[0]!.identityUserId, true);

    await run(deps);

    expect(identityProvider.passkeyEnrolled.get(enrolled[0]!.identityUserId)).toBe(true);
    expect(identityProvider.passkeyEnrolled.get(notEnrolled[0]!.identityUserId)).toBe(false);
  });

  it("reports each page's cursor, and a run from one of them goes on from there", async () => {
    const { deps } = await population();
    const cursors: (string | null)[] = [];
    const seenSoFar: number[] = [];
    await run(deps, { dryRun: true, pageSize: 2, onPage: ({ nextCursor, summary }) => void (cursors.push(nextCursor), seenSoFar.push(summary.seen)) });
    expect(cursors).toHaveLength(3);
    expect(cursors.at(-1)).toBeNull();
    expect(seenSoFar).toEqual([2, 4, 5]);

    const { result } = await run(deps, { dryRun: true, pageSize: 2, from: cursors[0]! });

    expect(result.ok && result.value.summary.seen).toBe(3);
  });

  it("stops at a listing that fails, with the cursor to resume from, and a resumed run finishes the rest", async () => {
    const { deps, credentials, identityProvider, all } = await population();
    const listUsers = credentials.listUsers.bind(credentials);
    let calls = 0;
    vi.spyOn(credentials, "listUsers").mockImplementation(async (page) => {
      if (++calls === 2) throw new StorageUnavailableError("list users", true, new Error("throttled"));
      return listUsers(page);
    });

    const { result: stopped } = await run(deps, { pageSize: 2 });

    if (!stopped.ok || stopped.value.finished) throw new Error("expected a stopped run");
    expect(stopped.value.summary).toEqual({ seen: 2, setTrue: expect.any(Number), setFalse: expect.any(Number), failed: 0 });
    expect(stopped.value.fault).toBeInstanceOf(StorageUnavailableError);
    expect(stopped.value.resumeFrom).not.toBeNull();
    expect(identityProvider.passkeyEnrolled.size).toBe(2);

    const { result: resumed } = await run(deps, { pageSize: 2, from: stopped.value.resumeFrom });

    expect(resumed.ok && resumed.value).toMatchObject({ finished: true, summary: { seen: 3, failed: 0 } });
    expect([...identityProvider.passkeyEnrolled.keys()].sort()).toEqual(all.map((user) => user.identityUserId).sort());
  });

  it("refuses a cursor that is not the store's, and does nothing", async () => {
    const { deps, identityProvider } = await population();
    const writes = vi.spyOn(identityProvider, "setPasskeyEnrolled");

    expect((await run(deps, { from: "not-a-cursor" })).result).toEqual({ ok: false, error: "cursor_invalid" });
    expect(writes).not.toHaveBeenCalled();
  });

  it("reports a user whose write fails, with the provider's code, and goes on with the others", async () => {
    const { deps, identityProvider, enrolled, notEnrolled } = await population();
    const throttled = enrolled[1]!.identityUserId;
    const thrown = notEnrolled[0]!.identityUserId;
    const write = identityProvider.setPasskeyEnrolled.bind(identityProvider);
    vi.spyOn(identityProvider, "setPasskeyEnrolled").mockImplementation(async (identityUserId, value) => {
      if (identityUserId === throttled) return { ok: false, error: "too_many_requests" };
      if (identityUserId === thrown) throw new Error("socket hang up");
      return write(identityUserId, value);
    });

    const { result, outcomes } = await run(deps);

    expect(result).toEqual({ ok: true, value: { finished: true, summary: { seen: 5, setTrue: 2, setFalse: 1, failed: 2 } } });
    expect(outcomes.get(throttled)).toEqual({ kind: "failed", reason: "too_many_requests" });
    expect(outcomes.get(thrown)).toEqual({ kind: "failed", reason: "identity_provider_unavailable" });
    expect(identityProvider.passkeyEnrolled.has(throttled)).toBe(false);
  });

  it("reports a user whose credentials cannot be read, and writes nothing for them", async () => {
    const { deps, credentials, identityProvider, enrolled } = await population();
    const broken = enrolled[2]!;
    const list = credentials.listCredentials.bind(credentials);
    vi.spyOn(credentials, "listCredentials").mockImplementation(async (handle) => {
      if (handle === broken.userHandle) throw new StorageUnavailableError("list credentials", true, new Error("timeout"));
      return list(handle);
    });

    const { result, outcomes } = await run(deps);

    expect(result.ok && result.value.summary).toEqual({ seen: 5, setTrue: 2, setFalse: 2, failed: 1 });
    expect(outcomes.get(broken.identityUserId)).toEqual({ kind: "failed", reason: "store_unavailable" });
    expect(identityProvider.passkeyEnrolled.has(broken.identityUserId)).toBe(false);
  });

  it("puts true back when a passkey is registered between its read and its false (safe while the service is live)", async () => {
    const { deps, credentials, identityProvider, notEnrolled } = await population();
    const racing = notEnrolled[1]!;
    const write = identityProvider.setPasskeyEnrolled.bind(identityProvider);
    vi.spyOn(identityProvider, "setPasskeyEnrolled").mockImplementation(async (identityUserId, value) => {
      if (identityUserId === racing.identityUserId && value === false && !(await credentials.listCredentials(racing.userHandle)).length) {
        // The registration: its "true", its store, its second "true", all before the backfill's "false" lands.
        await write(identityUserId, true);
        expect(await credentials.add(aStoredCredentialFor(racing, { name: "New", createdAt: BASE_TIME + 99 }))).toBe("added");
        await write(identityUserId, true);
      }
      return write(identityUserId, value);
    });

    const { outcomes } = await run(deps);

    expect(identityProvider.passkeyEnrolled.get(racing.identityUserId)).toBe(true);
    expect(outcomes.get(racing.identityUserId)).toEqual({ kind: "set", enrolled: true });
  });

  it("handles users of a page at once up to `concurrency`, each once", async () => {
    const { deps, identityProvider, all } = await population();
    let running = 0;
    let most = 0;
    const write = identityProvider.setPasskeyEnrolled.bind(identityProvider);
    vi.spyOn(identityProvider, "setPasskeyEnrolled").mockImplementation(async (identityUserId, value) => {
      most = Math.max(most, ++running);
      await new Promise((resolve) => setTimeout(resolve, 5));
      running--;
      return write(identityUserId, value);
    });

    const { result, outcomes } = await run(deps, { concurrency: 3, pageSize: 4 });

    expect(result.ok && result.value.summary.seen).toBe(all.length);
    expect(outcomes.size).toBe(all.length);
    expect(most).toBe(3);
  });

  it.each([0, 33, 1.5])("throws a RangeError for a concurrency of %s", async (concurrency) => {
    const { deps } = await population();
    await expect(backfillPasskeyEnrolled(deps, { dryRun: true, concurrency })).rejects.toThrow(RangeError);
  });

  it("finishes at once on a store with no users", async () => {
    const deps = { credentials: new InMemoryCredentialStore(), identityProvider: new FakeIdentityProvider() };
    expect((await run(deps)).result).toEqual({ ok: true, value: { finished: true, summary: { seen: 0, setTrue: 0, setFalse: 0, failed: 0 } } });
  });
});
