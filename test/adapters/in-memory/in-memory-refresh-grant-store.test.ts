import { describe, expect, it } from "vitest";
import { InMemoryRefreshGrantStore } from "../../../src/adapters/in-memory/in-memory-refresh-grant-store.js";
import { ManualClock } from "../../support/manual-clock.js";
import { aRefreshGrant, aTokenHash, describeRefreshGrantStoreContract } from "../../ports/refresh-grant-store.contract.js";

describeRefreshGrantStoreContract("InMemoryRefreshGrantStore", async () => {
  const clock = new ManualClock();
  return { store: new InMemoryRefreshGrantStore(clock), clock };
});

describe("InMemoryRefreshGrantStore sweeping", () => {
  const SWEEP_INTERVAL_MS = 10_000;

  function setUp() {
    const clock = new ManualClock();
    return { clock, store: new InMemoryRefreshGrantStore(clock, SWEEP_INTERVAL_MS) };
  }

  it("drops grants whose expiresAt has passed when a new one arrives, revoked or not", async () => {
    const { clock, store } = setUp();
    const grants = Array.from({ length: 4 }, () => aRefreshGrant(clock.now(), { expiresAt: clock.now() + 60_000 }));
    const tokens = grants.map(() => aTokenHash());
    for (const [i, grant] of grants.entries()) await store.create(grant, tokens[i] ?? "");
    await store.revoke(grants[0]?.grantId ?? "", tokens[0] ?? "");
    expect(store.size).toBe(4);

    clock.advance(60_000);
    await store.create(aRefreshGrant(clock.now()), aTokenHash());

    expect(store.size).toBe(1);
    expect(await store.rotate(grants[1]?.grantId ?? "", tokens[1] ?? "", aTokenHash(), clock.now())).toBe("unknown");
  });

  it("keeps grants that have not expired, however close to their expiresAt", async () => {
    const { clock, store } = setUp();
    const keeper = aRefreshGrant(clock.now(), { expiresAt: clock.now() + 60_001 });
    const token = aTokenHash();
    await store.create(keeper, token);

    clock.advance(60_000);
    await store.create(aRefreshGrant(clock.now()), aTokenHash());

    expect(store.size).toBe(2);
    expect(await store.rotate(keeper.grantId, token, aTokenHash(), clock.now())).toEqual(keeper);
  });

  it("sweeps at most once per interval, so a burst of sign-ins stays cheap", async () => {
    const { clock, store } = setUp();
    await store.create(aRefreshGrant(clock.now(), { expiresAt: clock.now() + 1 }), aTokenHash()); // sweeps (nothing), next sweep in 10 s
    clock.advance(2);
    await store.create(aRefreshGrant(clock.now()), aTokenHash());
    expect(store.size).toBe(2);

    clock.advance(SWEEP_INTERVAL_MS - 3);
    await store.create(aRefreshGrant(clock.now()), aTokenHash());
    expect(store.size).toBe(3);

    clock.advance(1);
    await store.create(aRefreshGrant(clock.now()), aTokenHash());
    expect(store.size).toBe(3);
  });

  it("forgets the user's swept grants, so that revokeAllOf and later grants of the user still work", async () => {
    const { clock, store } = setUp();
    const username = "alice";
    await store.create(aRefreshGrant(clock.now(), { username, expiresAt: clock.now() + 1_000 }), aTokenHash());
    clock.advance(SWEEP_INTERVAL_MS);
    const later = aRefreshGrant(clock.now(), { username });
    const token = aTokenHash();
    await store.create(later, token);
    expect(store.size).toBe(1);

    await store.revokeAllOf(username);

    expect(store.size).toBe(0);
    expect(await store.rotate(later.grantId, token, aTokenHash(), clock.now())).toBe("unknown");
  });

  it("deletes a user's grants on revokeAllOf, so a deleted account leaves nothing behind", async () => {
    const { clock, store } = setUp();
    for (let i = 0; i < 3; i++) await store.create(aRefreshGrant(clock.now(), { username: "bob" }), aTokenHash());
    await store.create(aRefreshGrant(clock.now(), { username: "carol" }), aTokenHash());

    await store.revokeAllOf("bob");

    expect(store.size).toBe(1);
  });
});
