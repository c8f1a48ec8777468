/**
 * The SecurityEventLog contract (src/ports/security-event-log.ts), as a suite any adapter can run:
 *
 *   describeSecurityEventLogContract("InMemorySecurityEventLog", async () => ({ log, clock }));
 *
 * Every test gets a fresh fixture from the factory and calls its `cleanup` afterwards. Handles and event
 * ids are random, so the suite also works against a table shared between tests. Events are dated just
 * before `now()` (the fixture's clock, or the wall clock), well within any retention period: DynamoDB
 * Local deletes TTL-expired items within seconds.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  UNKNOWN_REQUEST_CONTEXT,
  type FailureBound,
  type PasskeyReference,
  type RequestContext,
  type SecurityEvent,
} from "../../src/domain/activity/security-events.js";
import type { SecurityEventLog, SecurityEventPage } from "../../src/ports/security-event-log.js";
import { uniqueId } from "../support/kit.js";
import type { ManualClock } from "../support/manual-clock.js";
import { useFixture } from "./fixture.js";

export interface SecurityEventLogFixture {
  readonly log: SecurityEventLog;
  /** The clock the log reads, when it reads one (to sweep); events are dated by it. */
  readonly clock?: ManualClock;
  readonly cleanup?: () => Promise<void>;
}

export type SecurityEventLogFactory = () => Promise<SecurityEventLogFixture>;

type FailedSignIn = Extract<SecurityEvent, { type: "sign_in.failed" }>;
type Suppressed = Extract<SecurityEvent, { type: "sign_in.failed_suppressed" }>;

const HOUR = 3_600_000;
/** More events than the largest page, so that listing them all takes several pages (and Query requests). */
const MANY_EVENTS = 230;
const CONCURRENT_FAILURES = 50;

export const A_CONTEXT: RequestContext = { sourceIp: "203.0.113.7", userAgent: "Mozilla/5.0 (X11; Linux x86_64) Firefox/140.0", correlationId: "corr-1" };

export function aPasskey(overrides: Partial<PasskeyReference> = {}): PasskeyReference {
  return { credentialId: uniqueId(), passkeyName: "iCloud Keychain", authenticatorName: "iCloud Keychain", ...overrides };
}

export function aSignIn(userHandle: string, at: number, overrides: Partial<Extract<SecurityEvent, { type: "sign_in.succeeded" }>> = {}): SecurityEvent {
  return { type: "sign_in.succeeded", eventId: uniqueId(), at, userHandle, context: A_CONTEXT, ...aPasskey(), ...overrides };
}

export function aFailure(userHandle: string, at: number, overrides: Partial<FailedSignIn> = {}): FailedSignIn {
  return { type: "sign_in.failed", eventId: uniqueId(), at, userHandle, context: A_CONTEXT, ...aPasskey(), code: "signature_invalid", ...overrides };
}

/** One event of every type, all fields set, at `at`, `at + 1`, …, oldest first; some with every context field null. */
export function everyVariant(userHandle: string, at: number): SecurityEvent[] {
  const base = (i: number, context: RequestContext = A_CONTEXT) => ({ eventId: uniqueId(), at: at + i, userHandle, context });
  const passkey = aPasskey({ passkeyName: "Ünïcode ключ 🔑", authenticatorName: "YubiKey 5 Series" });
  const events: SecurityEvent[] = [
    { ...base(0), type: "registration.succeeded", ...passkey },
    { ...base(1, UNKNOWN_REQUEST_CONTEXT), type: "registration.failed", code: "attestation_invalid" },
    { ...base(2), type: "sign_in.succeeded", ...passkey },
    { ...base(3, { sourceIp: "2001:db8::1", userAgent: null, correlationId: "c-3" }), type: "sign_in.failed", ...passkey, code: "credential_disabled" },
    { ...base(4, UNKNOWN_REQUEST_CONTEXT), type: "sign_in.failed_suppressed", count: 17, windowStart: at - HOUR, windowEnd: at },
    { ...base(5), type: "passkey.added", ...aPasskey({ passkeyName: "Work laptop", authenticatorName: "Windows Hello" }) },
    { ...base(6), type: "passkey.renamed", ...passkey, previousName: "Passkey 1" },
    { ...base(7), type: "passkey.disabled", ...passkey },
    { ...base(8), type: "passkey.enabled", ...passkey },
    { ...base(9), type: "passkey.deleted", ...passkey },
    { ...base(10), type: "account.updated", changed: ["username", "displayName"] },
    { ...base(11), type: "account.updated", changed: [] },
    { ...base(12, { sourceIp: null, userAgent: "x".repeat(2_000), correlationId: null }), type: "account.deleted" },
    { ...base(13), type: "signed_out" },
    { ...base(14), type: "signed_out_everywhere" },
    { ...base(15, UNKNOWN_REQUEST_CONTEXT), type: "token.refreshed" },
  ];
  return events;
}

const textArb = fc.string({ unit: "grapheme", minLength: 1, maxLength: 40 });
const contextArb: fc.Arbitrary<RequestContext> = fc.record({
  sourceIp: fc.option(fc.oneof(fc.ipV4(), fc.ipV6()), { nil: null }),
  userAgent: fc.option(textArb, { nil: null }),
  correlationId: fc.option(fc.uuid(), { nil: null }),
});
const passkeyArb: fc.Arbitrary<PasskeyReference> = fc.record({ credentialId: fc.base64String({ minLength: 4, maxLength: 64 }), passkeyName: textArb, authenticatorName: textArb });

/** Any well-formed event of `userHandle`; the test gives it a unique id. */
function eventArb(userHandle: string, at: number): fc.Arbitrary<SecurityEvent> {
  const base = fc.record({ eventId: fc.constant(""), at: fc.integer({ min: at - HOUR, max: at }), userHandle: fc.constant(userHandle), context: contextArb });
  const withPasskey = <T extends SecurityEvent["type"]>(type: T) => fc.tuple(base, passkeyArb).map(([b, p]) => ({ ...b, ...p, type }));
  return fc.oneof(
    withPasskey("registration.succeeded"),
    withPasskey("sign_in.succeeded"),
    withPasskey("passkey.added"),
    withPasskey("passkey.disabled"),
    withPasskey("passkey.enabled"),
    withPasskey("passkey.deleted"),
    fc.tuple(base, passkeyArb, textArb).map(([b, p, code]): SecurityEvent => ({ ...b, ...p, type: "sign_in.failed", code })),
    fc.tuple(base, passkeyArb, textArb).map(([b, p, previousName]): SecurityEvent => ({ ...b, ...p, type: "passkey.renamed", previousName })),
    fc.tuple(base, textArb).map(([b, code]): SecurityEvent => ({ ...b, type: "registration.failed", code })),
    fc
      .tuple(base, fc.integer({ min: 1, max: 1_000_000 }), fc.integer({ min: 0, max: at }))
      .map(([b, count, windowStart]): SecurityEvent => ({ ...b, type: "sign_in.failed_suppressed", count, windowStart, windowEnd: windowStart + HOUR })),
    fc.tuple(base, fc.subarray(["username", "displayName"] as const)).map(([b, changed]): SecurityEvent => ({ ...b, type: "account.updated", changed })),
    fc.tuple(base, fc.constantFrom("account.deleted" as const, "signed_out" as const, "signed_out_everywhere" as const, "token.refreshed" as const)).map(([b, type]): SecurityEvent => ({ ...b, type })),
  );
}

/** Newest first, as the log lists them: by `at`, ties in any order the log keeps stable. */
function newestFirst(events: readonly SecurityEvent[]): SecurityEvent[] {
  return [...events].sort((a, b) => b.at - a.at);
}

async function page(log: SecurityEventLog, userHandle: string, limit: number, cursor: string | null): Promise<SecurityEventPage> {
  const result = await log.listForUser(userHandle, { limit, cursor });
  if (!result.ok) throw new Error(`listForUser answered ${result.error}`);
  return result.value;
}

/** Every page of a user's trail, each checked against `limit`. */
export async function listAll(log: SecurityEventLog, userHandle: string, limit = 100): Promise<{ events: SecurityEvent[]; pages: number }> {
  const events: SecurityEvent[] = [];
  let cursor: string | null = null;
  let pages = 0;
  do {
    const current = await page(log, userHandle, limit, cursor);
    expect(current.events.length).toBeLessThanOrEqual(limit);
    if (current.nextCursor !== null) expect(current.events.length).toBeGreaterThan(0);
    events.push(...current.events);
    cursor = current.nextCursor;
    pages += 1;
    if (pages > 10_000) throw new Error("the cursor never ends");
  } while (cursor !== null);
  return { events, pages };
}

async function appendAll(log: SecurityEventLog, events: readonly SecurityEvent[], concurrency = 25): Promise<void> {
  for (let i = 0; i < events.length; i += concurrency) await Promise.all(events.slice(i, i + concurrency).map((event) => log.append(event)));
}

export function describeSecurityEventLogContract(name: string, factory: SecurityEventLogFactory): void {
  describe(`SecurityEventLog contract: ${name}`, () => {
    const fixture = useFixture(factory);
    const now = (): number => fixture().clock?.now() ?? Date.now();
    /** The start of the window before the current one: whole, past, and recent. */
    const pastWindow = (windowMs = HOUR): number => Math.floor(now() / windowMs) * windowMs - windowMs;

    describe("append and listForUser", () => {
      it("lists a user's events newest first, whatever order they were appended in", async () => {
        const { log } = fixture();
        const user = uniqueId(32);
        const t = now() - 60_000;
        const events = [aSignIn(user, t + 3), aFailure(user, t + 1), aSignIn(user, t + 5), aSignIn(user, t), aFailure(user, t + 4)];
        for (const event of events) await log.append(event);

        const listed = await page(log, user, 10, null);

        expect(listed).toEqual({ events: newestFirst(events), nextCursor: null });
      });

      it("gives back every type of event with every field intact", async () => {
        const { log } = fixture();
        const user = uniqueId(32);
        const events = everyVariant(user, now() - 60_000);
        for (const event of events) await log.append(event);

        const listed = await page(log, user, 100, null);

        expect(listed.events).toEqual([...events].reverse());
        expect(listed.nextCursor).toBeNull();
      });

      it("round-trips any well-formed event", async () => {
        const { log } = fixture();
        const user = uniqueId(32);
        await fc.assert(
          fc.asyncProperty(eventArb(user, now() - 1_000), async (generated) => {
            const event = { ...generated, eventId: uniqueId() };
            await log.append(event);
            const { events } = await listAll(log, user);
            expect(events.filter((e) => e.eventId === event.eventId)).toEqual([event]);
          }),
          { numRuns: 25 },
        );
      });

      it("answers an empty page and no cursor for a user with no events", async () => {
        const { log } = fixture();
        expect(await log.listForUser(uniqueId(32), { limit: 20, cursor: null })).toEqual({ ok: true, value: { events: [], nextCursor: null } });
      });

      it("stores an event appended twice, or many times at once, only once", async () => {
        const { log } = fixture();
        const user = uniqueId(32);
        const event = aSignIn(user, now() - 1_000);
        const other = aFailure(user, now() - 2_000);

        await log.append(event);
        await log.append(event);
        await Promise.all(Array.from({ length: 10 }, () => log.append(other)));

        expect((await page(log, user, 10, null)).events).toEqual([event, other]);
      });

      it("lists only the user's own events, also for handles that begin alike", async () => {
        const { log } = fixture();
        const alice = uniqueId(32);
        const aliceLonger = `${alice}x`;
        const bob = uniqueId(32);
        const t = now() - 60_000;
        const theirs = { [alice]: [] as SecurityEvent[], [aliceLonger]: [] as SecurityEvent[], [bob]: [] as SecurityEvent[] };
        for (let i = 0; i < 12; i++) {
          for (const user of [alice, aliceLonger, bob]) {
            const event = i % 2 === 0 ? aSignIn(user, t + i) : aFailure(user, t + i);
            theirs[user]?.push(event);
            await log.append(event);
          }
        }

        for (const user of [alice, aliceLonger, bob]) {
          const { events } = await listAll(log, user, 5);
          expect(events).toEqual(newestFirst(theirs[user] ?? []));
          expect(events.every((e) => e.userHandle === user)).toBe(true);
        }
      });
    });

    describe("pages", () => {
      it(`pages through ${MANY_EVENTS} events with the cursor, each once, newest first`, async () => {
        const { log } = fixture();
        const user = uniqueId(32);
        const t = now() - 10 * 60_000;
        const events = Array.from({ length: MANY_EVENTS }, (_, i) => (i % 3 === 0 ? aFailure(user, t + i * 7) : aSignIn(user, t + i * 7)));
        await appendAll(log, events);

        const byHundred = await listAll(log, user, 100);
        const bySeven = await listAll(log, user, 7);

        expect(byHundred.events).toEqual(newestFirst(events));
        expect(byHundred.pages).toBe(Math.ceil(MANY_EVENTS / 100));
        expect(bySeven.events).toEqual(newestFirst(events));
        expect(bySeven.pages).toBe(Math.ceil(MANY_EVENTS / 7));
      });

      it("pages through events of the same millisecond without skipping or repeating any", async () => {
        const { log } = fixture();
        const user = uniqueId(32);
        const t = now() - 1_000;
        const events = Array.from({ length: 9 }, () => aSignIn(user, t));
        await appendAll(log, events);

        const { events: listed } = await listAll(log, user, 2);

        expect(listed).toHaveLength(events.length);
        expect(new Set(listed.map((e) => e.eventId))).toEqual(new Set(events.map((e) => e.eventId)));
        expect(await listAll(log, user, 4)).toMatchObject({ events: listed });
      });

      it("hands out pages of exactly `limit` until the last, which has no cursor", async () => {
        const { log } = fixture();
        const user = uniqueId(32);
        const t = now() - 60_000;
        const events = Array.from({ length: 5 }, (_, i) => aSignIn(user, t + i));
        await appendAll(log, events);
        const expected = newestFirst(events);

        const first = await page(log, user, 2, null);
        const second = await page(log, user, 2, first.nextCursor);
        const third = await page(log, user, 2, second.nextCursor);

        expect(first.events).toEqual(expected.slice(0, 2));
        expect(second.events).toEqual(expected.slice(2, 4));
        expect(third).toEqual({ events: expected.slice(4), nextCursor: null });
        expect(first.nextCursor).not.toBeNull();
        expect(second.nextCursor).not.toBeNull();
      });

      it("ends with no cursor when the last page is exactly full", async () => {
        const { log } = fixture();
        const user = uniqueId(32);
        const events = Array.from({ length: 4 }, (_, i) => aSignIn(user, now() - 1_000 + i));
        await appendAll(log, events);

        const first = await page(log, user, 2, null);
        const second = await page(log, user, 2, first.nextCursor);

        expect(second).toEqual({ events: newestFirst(events).slice(2), nextCursor: null });
        expect(await page(log, user, 4, null)).toEqual({ events: newestFirst(events), nextCursor: null });
      });

      it("continues after the cursor's event even when newer events arrived since the first page", async () => {
        const { log } = fixture();
        const user = uniqueId(32);
        const t = now() - 60_000;
        const events = Array.from({ length: 4 }, (_, i) => aSignIn(user, t + i));
        await appendAll(log, events);
        const first = await page(log, user, 2, null);

        await log.append(aSignIn(user, t + 100));
        const second = await page(log, user, 2, first.nextCursor);

        expect(second).toEqual({ events: newestFirst(events).slice(2), nextCursor: null });
      });

      it.each([1, 100])("keeps to a limit of %i", async (limit) => {
        const { log } = fixture();
        const user = uniqueId(32);
        const events = Array.from({ length: limit + 3 }, (_, i) => aSignIn(user, now() - 10_000 + i));
        await appendAll(log, events);

        const first = await page(log, user, limit, null);

        expect(first.events).toEqual(newestFirst(events).slice(0, limit));
        expect(first.nextCursor).not.toBeNull();
      });

      it.each([0, 101, 2.5, -1, Number.NaN])("refuses a limit of %s as a bug of the caller's (RangeError)", async (limit) => {
        const { log } = fixture();
        await expect(log.listForUser(uniqueId(32), { limit, cursor: null })).rejects.toThrow(RangeError);
      });
    });

    describe("cursors", () => {
      it.each([
        ["an empty string", ""],
        ["plain text", "not a cursor"],
        ["base64url of nothing meaningful", Buffer.from("hello").toString("base64url")],
        ["base64url of a JSON number", Buffer.from("42").toString("base64url")],
        ["base64url of an empty object", Buffer.from("{}").toString("base64url")],
        ["a very long string", "A".repeat(100_000)],
      ])("answers cursor_invalid for %s", async (_label, cursor) => {
        const { log } = fixture();
        const user = uniqueId(32);
        await log.append(aSignIn(user, now() - 1_000));

        expect(await log.listForUser(user, { limit: 10, cursor })).toEqual({ ok: false, error: "cursor_invalid" });
      });

      it("answers cursor_invalid for another user's cursor, even where both trails have events at the same times", async () => {
        const { log } = fixture();
        const [alice, mallory] = [uniqueId(32), uniqueId(32)];
        const t = now() - 60_000;
        for (let i = 0; i < 4; i++) {
          await log.append(aSignIn(alice, t + i));
          await log.append(aSignIn(mallory, t + i));
        }
        const alicesCursor = (await page(log, alice, 1, null)).nextCursor;
        const mallorysCursor = (await page(log, mallory, 1, null)).nextCursor;
        expect(alicesCursor).not.toBeNull();

        expect(await log.listForUser(mallory, { limit: 10, cursor: alicesCursor })).toEqual({ ok: false, error: "cursor_invalid" });
        expect(await log.listForUser(alice, { limit: 10, cursor: mallorysCursor })).toEqual({ ok: false, error: "cursor_invalid" });
      });

      it("never lets a forged or altered cursor show another user's events: it is refused or pages the caller's own trail", async () => {
        const { log } = fixture();
        const [victim, attacker] = [uniqueId(32), uniqueId(32)];
        const t = now() - 60_000;
        for (let i = 0; i < 6; i++) {
          await log.append(aSignIn(victim, t + 2 * i));
          await log.append(aFailure(attacker, t + 2 * i + 1));
        }
        const victimsCursor = (await page(log, victim, 2, null)).nextCursor ?? "";
        const attackersCursor = (await page(log, attacker, 2, null)).nextCursor ?? "";
        const decoded = (cursor: string): string => Buffer.from(cursor, "base64url").toString("utf8");
        const encoded = (text: string): string => Buffer.from(text, "utf8").toString("base64url");

        const forged = fc.oneof(
          fc.string(),
          fc.base64String().map((text) => text.replace(/=+$/, "").replaceAll("+", "-").replaceAll("/", "_")),
          fc.json().map(encoded),
          // The victim's cursor with one character changed, cut short or extended.
          fc.tuple(fc.nat(), fc.string({ minLength: 1, maxLength: 1 })).map(([i, c]) => victimsCursor.slice(0, i % victimsCursor.length) + c + victimsCursor.slice((i % victimsCursor.length) + 1)),
          fc.nat().map((i) => victimsCursor.slice(0, i % victimsCursor.length)),
          fc.constant(victimsCursor + attackersCursor),
          // The two cursors' contents spliced, and each with the victim's handle written in.
          fc.nat().map((i) => encoded(decoded(attackersCursor).slice(0, i % 40) + decoded(victimsCursor).slice(i % 40))),
          fc.nat().map((i) => encoded(decoded(victimsCursor).slice(0, i % 40) + decoded(attackersCursor).slice(i % 40))),
          fc.constant(encoded(decoded(attackersCursor).replace(/"[^"]*"/, JSON.stringify(victim)))),
          fc.constant(encoded(JSON.stringify({ ...(JSON.parse(decoded(attackersCursor)) as object), userHandle: victim, pk: `USER#${victim}` }))),
        );

        await fc.assert(
          fc.asyncProperty(forged, async (cursor) => {
            const result = await log.listForUser(attacker, { limit: 10, cursor });
            if (result.ok) expect(result.value.events.every((e) => e.userHandle === attacker)).toBe(true);
            else expect(result.error).toBe("cursor_invalid");
          }),
          { numRuns: 150 },
        );
        expect(await log.listForUser(attacker, { limit: 10, cursor: victimsCursor })).toEqual({ ok: false, error: "cursor_invalid" });
      });
    });

    describe("appendFailure: the flood bound", () => {
      const BOUND: FailureBound = { windowMs: HOUR, limit: 3 };

      it("stores up to `limit` failures per window, then counts the rest on one suppressed event", async () => {
        const { log } = fixture();
        const user = uniqueId(32);
        const start = pastWindow();
        const failures = Array.from({ length: 7 }, (_, i) => aFailure(user, start + 1_000 * (i + 1), { context: { ...A_CONTEXT, correlationId: `c-${i}` } }));

        const outcomes: string[] = [];
        for (const failure of failures) outcomes.push(await log.appendFailure(failure, BOUND));

        expect(outcomes).toEqual(["stored", "stored", "stored", "counted", "counted", "counted", "counted"]);
        const [first, second, third, fourth, , , seventh] = failures;
        const suppressed: Suppressed = {
          type: "sign_in.failed_suppressed",
          // Named and dated after the first failure it counts; its context is the latest one's.
          eventId: fourth?.eventId ?? "",
          at: fourth?.at ?? 0,
          userHandle: user,
          context: seventh?.context ?? UNKNOWN_REQUEST_CONTEXT,
          count: 4,
          windowStart: start,
          windowEnd: start + HOUR,
        };
        expect((await page(log, user, 100, null)).events).toEqual([suppressed, third, second, first]);
      });

      it("starts every window afresh, windows aligned to multiples of windowMs", async () => {
        const { log } = fixture();
        const user = uniqueId(32);
        const start = pastWindow() - HOUR;
        // Four in the first window, the last of them in its final millisecond; then four in the next.
        const firstWindow = [1, 2, 3, HOUR - 1].map((offset) => aFailure(user, start + offset));
        const nextWindow = [HOUR, HOUR + 1, HOUR + 2, HOUR + 3].map((offset) => aFailure(user, start + offset));

        for (const failure of firstWindow) await log.appendFailure(failure, BOUND);
        const outcomes = [];
        for (const failure of nextWindow) outcomes.push(await log.appendFailure(failure, BOUND));

        expect(outcomes).toEqual(["stored", "stored", "stored", "counted"]);
        const { events } = await listAll(log, user);
        const suppressed = events.filter((e): e is Suppressed => e.type === "sign_in.failed_suppressed");
        expect(suppressed.map(({ count, windowStart, windowEnd }) => ({ count, windowStart, windowEnd }))).toEqual([
          { count: 1, windowStart: start + HOUR, windowEnd: start + 2 * HOUR },
          { count: 1, windowStart: start, windowEnd: start + HOUR },
        ]);
        expect(events.filter((e) => e.type === "sign_in.failed")).toEqual(newestFirst([...firstWindow.slice(0, 3), ...nextWindow.slice(0, 3)]));
      });

      it("counts only failed sign-ins against the bound, and only the user's own", async () => {
        const { log } = fixture();
        const [user, other] = [uniqueId(32), uniqueId(32)];
        const start = pastWindow();
        for (let i = 0; i < 10; i++) await log.append(aSignIn(user, start + i));
        for (let i = 0; i < 10; i++) await log.appendFailure(aFailure(other, start + i), BOUND);

        const outcomes = [];
        for (let i = 0; i < 3; i++) outcomes.push(await log.appendFailure(aFailure(user, start + 100 + i), BOUND));

        expect(outcomes).toEqual(["stored", "stored", "stored"]);
        expect((await listAll(log, user)).events.map((e) => e.type)).toEqual([...Array<string>(3).fill("sign_in.failed"), ...Array<string>(10).fill("sign_in.succeeded")]);
      });

      it("counts every failure with a limit of 0", async () => {
        const { log } = fixture();
        const user = uniqueId(32);
        const start = pastWindow();

        const outcomes = [];
        for (let i = 0; i < 3; i++) outcomes.push(await log.appendFailure(aFailure(user, start + i), { windowMs: HOUR, limit: 0 }));

        expect(outcomes).toEqual(["counted", "counted", "counted"]);
        expect((await listAll(log, user)).events).toMatchObject([{ type: "sign_in.failed_suppressed", count: 3, at: start }]);
      });

      it(`stores exactly 20 of ${CONCURRENT_FAILURES} concurrent failures and counts 30 on one event; another user's are unaffected`, async () => {
        const { log } = fixture();
        const [user, other] = [uniqueId(32), uniqueId(32)];
        const start = pastWindow();
        const bound: FailureBound = { windowMs: HOUR, limit: 20 };
        const failures = Array.from({ length: CONCURRENT_FAILURES }, (_, i) => aFailure(user, start + 10 + i));
        const othersFailures = Array.from({ length: 15 }, (_, i) => aFailure(other, start + 10 + i));

        const [outcomes, othersOutcomes] = await Promise.all([
          Promise.all(failures.map((failure) => log.appendFailure(failure, bound))),
          Promise.all(othersFailures.map((failure) => log.appendFailure(failure, bound))),
        ]);

        expect(outcomes.filter((o) => o === "stored")).toHaveLength(20);
        expect(outcomes.filter((o) => o === "counted")).toHaveLength(30);
        const { events } = await listAll(log, user);
        const stored = failures.filter((_, i) => outcomes[i] === "stored");
        expect(events.filter((e) => e.type === "sign_in.failed")).toEqual(newestFirst(stored));
        const suppressed = events.filter((e): e is Suppressed => e.type === "sign_in.failed_suppressed");
        expect(suppressed).toHaveLength(1);
        expect(suppressed[0]).toMatchObject({ count: 30, windowStart: start, windowEnd: start + HOUR, userHandle: user });
        // Named after one of the failures it counts.
        expect(failures.filter((_, i) => outcomes[i] === "counted").map((f) => f.eventId)).toContain(suppressed[0]?.eventId);
        expect(events).toHaveLength(21);

        expect(othersOutcomes.every((o) => o === "stored")).toBe(true);
        expect((await listAll(log, other)).events).toEqual(newestFirst(othersFailures));
      });
    });
  });
}
