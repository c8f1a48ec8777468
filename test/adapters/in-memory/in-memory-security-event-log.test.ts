import { describe, expect, it } from "vitest";
import { InMemorySecurityEventLog } from "../../../src/adapters/in-memory/in-memory-security-event-log.js";
import { ManualClock } from "../../support/manual-clock.js";
import { aFailure, aSignIn, describeSecurityEventLogContract, listAll } from "../../ports/security-event-log.contract.js";
import { uniqueId } from "../../support/kit.js";

const DAY = 86_400_000;
const RETENTION_MS = 90 * DAY;
const SWEEP_INTERVAL_MS = 60_000;

describeSecurityEventLogContract("InMemorySecurityEventLog", async () => {
  const clock = new ManualClock();
  return { log: new InMemorySecurityEventLog({ clock, retentionMs: RETENTION_MS }), clock };
});

describe("InMemorySecurityEventLog retention", () => {
  function setUp() {
    const clock = new ManualClock();
    return { clock, log: new InMemorySecurityEventLog({ clock, retentionMs: RETENTION_MS, sweepIntervalMs: SWEEP_INTERVAL_MS }) };
  }

  it("forgets events once their retention period is over, as new ones arrive, so memory stays bounded", async () => {
    const { clock, log } = setUp();
    const user = uniqueId(32);
    for (let i = 0; i < 5; i++) await log.append(aSignIn(user, clock.now() + i));
    expect(log.size).toBe(5);

    clock.advance(RETENTION_MS + 5);
    await log.append(aSignIn(uniqueId(32), clock.now()));

    expect(log.size).toBe(1);
    expect(await log.listForUser(user, { limit: 10, cursor: null })).toEqual({ ok: true, value: { events: [], nextCursor: null } });
  });

  it("keeps events younger than the retention period, however close to its end", async () => {
    const { clock, log } = setUp();
    const user = uniqueId(32);
    const old = aSignIn(user, clock.now());
    const younger = aSignIn(user, clock.now() + 1);
    await log.append(old);
    await log.append(younger);

    clock.advance(RETENTION_MS);
    await log.append(aSignIn(uniqueId(32), clock.now()));

    // `old` is exactly the retention period old: gone; `younger` has a millisecond left.
    expect((await listAll(log, user)).events).toEqual([younger]);
  });

  it("forgets a user's failure windows with their events, so an attacker's failures leave nothing behind", async () => {
    const { clock, log } = setUp();
    const user = uniqueId(32);
    for (let i = 0; i < 30; i++) await log.appendFailure(aFailure(user, clock.now() + i), { windowMs: 3_600_000, limit: 20 });
    expect(log.size).toBe(21);
    expect(log.windowCount).toBe(1);

    clock.advance(3_600_000 + RETENTION_MS);
    await log.append(aSignIn(uniqueId(32), clock.now()));

    expect(log.size).toBe(1);
    expect(log.windowCount).toBe(0);
  });

  it("sweeps at most once per interval, so a burst of appends stays cheap", async () => {
    const { clock, log } = setUp();
    const user = uniqueId(32);
    // Its retention period is over 1 ms from now.
    await log.append(aSignIn(user, clock.now() + 1 - RETENTION_MS)); // sweeps (nothing), next sweep in a minute
    clock.advance(2);
    await log.append(aSignIn(user, clock.now()));
    expect(log.size).toBe(2);

    clock.advance(SWEEP_INTERVAL_MS - 3);
    await log.append(aSignIn(user, clock.now()));
    expect(log.size).toBe(3);

    clock.advance(1);
    await log.append(aSignIn(user, clock.now()));
    expect(log.size).toBe(3);
  });

  it("refuses a retention period that is not a positive whole number of milliseconds", () => {
    for (const retentionMs of [0, -1, 1.5, Number.NaN]) expect(() => new InMemorySecurityEventLog({ clock: new ManualClock(), retentionMs })).toThrow(RangeError);
  });
});
