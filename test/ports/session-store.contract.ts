/**
 * The SessionStore contract (src/ports/session-store.ts), as a suite any adapter can run:
 *
 *   describeSessionStoreContract("InMemorySessionStore", async () => ({ store, clock }));
 *
 * Every test gets a fresh fixture from the factory and calls its `cleanup` afterwards. Ids are random,
 * so the suite also works against a store shared between tests (a DynamoDB table, say). Only what the
 * port promises is asserted: in particular an expired session may or may not come back from `consume`
 * once SESSION_RETENTION_MS have passed since it expired, and must come back before.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { AuthenticationSession, CeremonySession, RegistrationSession } from "../../src/domain/model.js";
import type { SessionStore } from "../../src/ports/session-store.js";
import { uniqueId } from "../support/kit.js";
import type { ManualClock } from "../support/manual-clock.js";
import { useFixture } from "./fixture.js";

export interface SessionStoreFixture {
  readonly store: SessionStore;
  /** The clock the store reads, when it reads one; lets the suite move time past `expiresAt`. */
  readonly clock?: ManualClock;
  readonly cleanup?: () => Promise<void>;
}

export type SessionStoreFactory = () => Promise<SessionStoreFixture>;

const TIMEOUT_MS = 300_000;

/**
 * How long a store keeps a session past its `expiresAt` at least, so that a late finish is told
 * `session_expired` rather than `session_not_found` (docs/api.md). Every adapter keeps this promise:
 * the in-memory store sweeps only sessions expired this long, DynamoDB's TTL is set this much later.
 */
import { EXPIRED_SESSION_RETENTION_MS } from "../../src/ports/session-store.js";

export const SESSION_RETENTION_MS = EXPIRED_SESSION_RETENTION_MS;
const CONCURRENT_CONSUMERS = 50;

export function registrationSession(now: number, overrides: Partial<RegistrationSession> = {}): RegistrationSession {
  return {
    kind: "registration",
    id: uniqueId(32),
    challenge: uniqueId(32),
    userHandle: uniqueId(32),
    username: "alice@example.com",
    displayName: "Alice Ängström",
    identityUserId: null,
    newAccount: true,
    userVerification: "required",
    mediation: "modal",
    algorithms: [-8, -7, -257],
    expiresAt: now + TIMEOUT_MS,
    ...overrides,
  };
}

export function authenticationSession(now: number, overrides: Partial<AuthenticationSession> = {}): AuthenticationSession {
  const challenge = uniqueId(32);
  return {
    kind: "authentication",
    id: challenge,
    challenge,
    userHandle: null,
    allowCredentials: [],
    userVerification: "required",
    expiresAt: now + TIMEOUT_MS,
    ...overrides,
  };
}

const userVerificationArb = fc.constantFrom("required" as const, "preferred" as const, "discouraged" as const);
const textArb = fc.string({ unit: "grapheme", minLength: 1, maxLength: 64 });

/** Any well-formed session; ids are made unique by the test, not by the arbitrary. */
function sessionArb(now: number): fc.Arbitrary<CeremonySession> {
  const expiresAt = fc.integer({ min: now + 1, max: now + 24 * 3600_000 });
  const registration = fc.record({
    kind: fc.constant("registration" as const),
    id: fc.constant(""),
    challenge: fc.base64String({ minLength: 4, maxLength: 64 }),
    userHandle: fc.base64String({ minLength: 4, maxLength: 64 }),
    username: textArb,
    displayName: textArb,
    identityUserId: fc.option(textArb, { nil: null }),
    newAccount: fc.boolean(),
    userVerification: userVerificationArb,
    mediation: fc.constantFrom("modal" as const, "conditional" as const),
    algorithms: fc.subarray([-8, -7, -257] as const, { minLength: 1 }),
    expiresAt,
  });
  const authentication = fc.record({
    kind: fc.constant("authentication" as const),
    id: fc.constant(""),
    challenge: fc.base64String({ minLength: 4, maxLength: 64 }),
    userHandle: fc.option(fc.base64String({ minLength: 4, maxLength: 64 }), { nil: null }),
    allowCredentials: fc.array(fc.base64String({ minLength: 4, maxLength: 64 }), { maxLength: 12 }),
    userVerification: userVerificationArb,
    expiresAt,
  });
  return fc.oneof(registration, authentication);
}

export function describeSessionStoreContract(name: string, factory: SessionStoreFactory): void {
  describe(`SessionStore contract: ${name}`, () => {
    const fixture = useFixture(factory);
    const now = (): number => fixture().clock?.now() ?? Date.now();

    describe("save and consume", () => {
      it.each<[string, (at: number) => CeremonySession]>([
        ["a sign-up registration session", (at) => registrationSession(at)],
        [
          "a registration session for an existing user",
          (at) =>
            registrationSession(at, { identityUserId: "cognito-user-1", newAccount: false, userVerification: "preferred", algorithms: [-7] }),
        ],
        [
          "an automatic passkey upgrade's registration session (conditional mediation)",
          (at) => registrationSession(at, { identityUserId: "cognito-user-2", newAccount: false, userVerification: "preferred", mediation: "conditional" }),
        ],
        ["a discoverable authentication session", (at) => authenticationSession(at)],
        [
          "a named-user authentication session",
          (at) => authenticationSession(at, { userHandle: uniqueId(32), allowCredentials: [uniqueId(), uniqueId(), uniqueId(64)], userVerification: "discouraged" }),
        ],
      ])("gives back %s with every field intact", async (_label, build) => {
        const { store } = fixture();
        const session = build(now());

        expect(await store.save(session)).toBe("saved");
        const consumed = await store.consume(session.id);

        expect(consumed).toEqual(session);
      });

      it("round-trips any well-formed session", async () => {
        const { store } = fixture();
        await fc.assert(
          fc.asyncProperty(sessionArb(now()), async (generated) => {
            const session = { ...generated, id: uniqueId(32) };
            expect(await store.save(session)).toBe("saved");
            expect(await store.consume(session.id)).toEqual(session);
          }),
          { numRuns: 30 },
        );
      });

      it("answers null for an id that was never saved", async () => {
        const { store } = fixture();
        expect(await store.consume(uniqueId(32))).toBeNull();
      });

      it("hands a session out once: the second consume answers null", async () => {
        const { store } = fixture();
        const session = authenticationSession(now());
        await store.save(session);

        expect(await store.consume(session.id)).toEqual(session);
        expect(await store.consume(session.id)).toBeNull();
        expect(await store.consume(session.id)).toBeNull();
      });
    });

    describe("never overwrites", () => {
      it("answers 'exists' for a taken id and keeps the original session", async () => {
        const { store } = fixture();
        const original = registrationSession(now());
        const impostor = registrationSession(now(), { id: original.id, username: "mallory", newAccount: false, identityUserId: "mallory" });
        await store.save(original);

        expect(await store.save(impostor)).toBe("exists");
        expect(await store.save(authenticationSession(now(), { id: original.id }))).toBe("exists");
        expect(await store.consume(original.id)).toEqual(original);
      });

      it("lets exactly one of many concurrent saves of one id win, and keeps the winner", async () => {
        const { store } = fixture();
        const id = uniqueId(32);
        const candidates = Array.from({ length: 10 }, (_, i) => authenticationSession(now(), { id, challenge: `challenge-${i}` }));

        const outcomes = await Promise.all(candidates.map((session) => store.save(session)));

        expect(outcomes.filter((o) => o === "saved")).toHaveLength(1);
        expect(outcomes.filter((o) => o === "exists")).toHaveLength(candidates.length - 1);
        expect(await store.consume(id)).toEqual(candidates[outcomes.indexOf("saved")]);
      });
    });

    describe("single use under concurrency", () => {
      it(`gives a session to exactly one of ${CONCURRENT_CONSUMERS} concurrent consumers`, async () => {
        const { store } = fixture();
        const session = authenticationSession(now(), { userHandle: uniqueId(32), allowCredentials: [uniqueId()] });
        await store.save(session);

        const results = await Promise.all(Array.from({ length: CONCURRENT_CONSUMERS }, () => store.consume(session.id)));

        const winners = results.filter((r) => r !== null);
        expect(winners).toHaveLength(1);
        expect(winners[0]).toEqual(session);
        expect(await store.consume(session.id)).toBeNull();
      });

      it("gives each of several sessions consumed concurrently to exactly one consumer", async () => {
        const { store } = fixture();
        const sessions = Array.from({ length: 5 }, () => authenticationSession(now()));
        for (const session of sessions) await store.save(session);

        const calls = sessions.flatMap((session) => Array.from({ length: 10 }, () => session.id));
        const results = await Promise.all(calls.map((id) => store.consume(id)));

        for (const session of sessions) {
          const received = results.filter((r, i) => calls[i] === session.id && r !== null);
          expect(received).toEqual([session]);
        }
      });
    });

    describe("expiry", () => {
      it("may or may not return a session past its expiresAt, but only ever once", async () => {
        const { store, clock } = fixture();
        // Without a clock to move, the session is saved already expired: the port lets callers check expiry.
        const session = authenticationSession(now(), { expiresAt: clock === undefined ? now() - 1 : now() + 1_000 });
        expect(await store.save(session)).toBe("saved");
        clock?.advance(5_000);
        // Another save lets stores that tidy up as sessions arrive do so.
        await store.save(authenticationSession(now()));

        const first = await store.consume(session.id);

        if (first !== null) expect(first).toEqual(session);
        expect(await store.consume(session.id)).toBeNull();
      });

      it(`still returns a session expired less than ${SESSION_RETENTION_MS / 60_000} minutes ago, however the store tidies up`, async () => {
        const { store, clock } = fixture();
        // Without a clock to move, the session is saved expired that long ago.
        const session = registrationSession(now(), { expiresAt: clock === undefined ? now() - SESSION_RETENTION_MS + 60_000 : now() + 1_000 });
        expect(await store.save(session)).toBe("saved");
        clock?.advance(1_000 + SESSION_RETENTION_MS - 1);
        await store.save(authenticationSession(now()));

        expect(await store.consume(session.id)).toEqual(session);
        expect(await store.consume(session.id)).toBeNull();
      });

      it("still returns a session that has not yet expired, however close to expiresAt", async () => {
        const { store, clock } = fixture();
        const session = registrationSession(now(), { expiresAt: now() + 60_000 });
        await store.save(session);
        clock?.advance(59_999);
        await store.save(registrationSession(now()));

        expect(await store.consume(session.id)).toEqual(session);
      });
    });

    describe("independent ids", () => {
      it("keeps sessions apart: consuming or re-saving one never affects another", async () => {
        const { store } = fixture();
        const sessions: CeremonySession[] = [
          registrationSession(now()),
          authenticationSession(now()),
          registrationSession(now(), { identityUserId: "x", newAccount: false }),
          authenticationSession(now(), { userHandle: uniqueId(32), allowCredentials: [uniqueId()] }),
        ];
        for (const session of sessions) expect(await store.save(session)).toBe("saved");
        const [first, second, third, fourth] = sessions as [CeremonySession, CeremonySession, CeremonySession, CeremonySession];

        expect(await store.consume(third.id)).toEqual(third);
        expect(await store.save(authenticationSession(now(), { id: first.id }))).toBe("exists");
        expect(await store.consume(fourth.id)).toEqual(fourth);
        expect(await store.consume(first.id)).toEqual(first);
        expect(await store.consume(third.id)).toBeNull();
        expect(await store.consume(second.id)).toEqual(second);
      });

      it("does not let a session with a similar id answer for another", async () => {
        const { store } = fixture();
        const session = authenticationSession(now());
        await store.save(session);

        expect(await store.consume(session.id.slice(0, -1))).toBeNull();
        expect(await store.consume(`${session.id}A`)).toBeNull();
        expect(await store.consume(session.id.toUpperCase() === session.id ? session.id.toLowerCase() : session.id.toUpperCase())).toBeNull();
        expect(await store.consume(session.id)).toEqual(session);
      });
    });
  });
}
