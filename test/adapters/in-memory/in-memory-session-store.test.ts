import { describe, expect, it } from "vitest";
import { InMemorySessionStore } from "../../../src/adapters/in-memory/in-memory-session-store.js";
import { ManualClock } from "../../support/manual-clock.js";
import { authenticationSession, describeSessionStoreContract, registrationSession, SESSION_RETENTION_MS } from "../../ports/session-store.contract.js";

describeSessionStoreContract("InMemorySessionStore", async () => {
  const clock = new ManualClock();
  return { store: new InMemorySessionStore(clock), clock };
});

describe("InMemorySessionStore sweeping", () => {
  const SWEEP_INTERVAL_MS = 10_000;

  function setUp() {
    const clock = new ManualClock();
    return { clock, store: new InMemorySessionStore(clock, SWEEP_INTERVAL_MS) };
  }

  it("drops sessions expired longer than the retention period ago when a new one arrives", async () => {
    const { clock, store } = setUp();
    for (let i = 0; i < 5; i++) await store.save(authenticationSession(clock.now(), { expiresAt: clock.now() + 1_000 }));
    expect(store.size).toBe(5);

    clock.advance(1_000 + SESSION_RETENTION_MS);
    await store.save(authenticationSession(clock.now()));

    expect(store.size).toBe(1);
  });

  it("keeps sessions that have not expired, or not long enough ago", async () => {
    const { clock, store } = setUp();
    const keeper = registrationSession(clock.now(), { expiresAt: clock.now() + 60_000 });
    const lately = authenticationSession(clock.now(), { expiresAt: clock.now() + SWEEP_INTERVAL_MS });
    await store.save(keeper);
    await store.save(lately);
    await store.save(authenticationSession(clock.now(), { expiresAt: clock.now() + 1_000 }));

    clock.advance(1_000 + SESSION_RETENTION_MS);
    await store.save(authenticationSession(clock.now()));

    expect(store.size).toBe(3);
    expect(await store.consume(keeper.id)).toEqual(keeper);
    expect(await store.consume(lately.id)).toEqual(lately);
  });

  it("sweeps a session whose retention period ends exactly now", async () => {
    const { clock, store } = setUp();
    const session = authenticationSession(clock.now(), { expiresAt: clock.now() + SWEEP_INTERVAL_MS });
    await store.save(session);

    clock.advance(SWEEP_INTERVAL_MS + SESSION_RETENTION_MS);
    await store.save(authenticationSession(clock.now()));

    expect(await store.consume(session.id)).toBeNull();
  });

  it("sweeps at most once per interval, so a burst of saves stays cheap", async () => {
    const { clock, store } = setUp();
    // Its retention period is over 1 ms from now.
    await store.save(authenticationSession(clock.now(), { expiresAt: clock.now() + 1 - SESSION_RETENTION_MS })); // sweeps (nothing), next sweep in 10 s
    clock.advance(2);
    await store.save(authenticationSession(clock.now()));
    expect(store.size).toBe(2);

    clock.advance(SWEEP_INTERVAL_MS - 3);
    await store.save(authenticationSession(clock.now()));
    expect(store.size).toBe(3);

    clock.advance(1);
    await store.save(authenticationSession(clock.now()));
    expect(store.size).toBe(3);
  });

  it("still hands out an expired session nobody has swept yet, leaving the expiry check to the caller", async () => {
    const { clock, store } = setUp();
    const session = authenticationSession(clock.now(), { expiresAt: clock.now() + 1_000 });
    await store.save(session);
    clock.advance(5_000);

    expect(await store.consume(session.id)).toEqual(session);
  });
});
