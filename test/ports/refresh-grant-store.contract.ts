/**
 * The RefreshGrantStore contract (src/ports/refresh-grant-store.ts), as a suite any adapter can run:
 *
 *   describeRefreshGrantStoreContract("InMemoryRefreshGrantStore", async () => ({ store, clock }));
 *
 * Every test gets a fresh fixture from the factory and calls its `cleanup` afterwards. Grant ids,
 * usernames and token hashes are random, so the suite also works against a table shared between tests.
 * Expiry is by `rotate`'s `now` argument; the suite never moves a store's clock past a grant it still
 * uses, so stores that sweep expired grants by their clock may do so whenever they like.
 */
import { describe, expect, it } from "vitest";
import type { RefreshGrant, RefreshGrantStore, RotationRefusal } from "../../src/ports/refresh-grant-store.js";
import { uniqueId } from "../support/kit.js";
import type { ManualClock } from "../support/manual-clock.js";
import { settle, useFixture } from "./fixture.js";

export interface RefreshGrantStoreFixture {
  readonly store: RefreshGrantStore;
  /** The clock the store reads, when it reads one; grants are made to expire relative to it. */
  readonly clock?: ManualClock;
  readonly cleanup?: () => Promise<void>;
}

export type RefreshGrantStoreFactory = () => Promise<RefreshGrantStoreFixture>;

/** How many spent tokens the port promises a grant remembers for `revoke`. */
export const SPENT_TOKENS_PROMISED = 20;
const CONCURRENT_ROTATIONS = 30;
const LIFETIME_MS = 30 * 24 * 3600_000;
const REFUSALS: readonly RotationRefusal[] = ["unknown", "not_live", "revoked", "expired"];

/** A grant as the local identity provider creates one at a sign-in at `now` (ms). */
export function aRefreshGrant(now: number, overrides: Partial<RefreshGrant> = {}): RefreshGrant {
  return { grantId: crypto.randomUUID(), username: uniqueId(32), authTime: Math.floor(now / 1000), expiresAt: now + LIFETIME_MS, ...overrides };
}

/** A token hash as the provider computes one: SHA-256, base64url (43 characters). */
export function aTokenHash(): string {
  return uniqueId(32);
}

export function describeRefreshGrantStoreContract(name: string, factory: RefreshGrantStoreFactory): void {
  describe(`RefreshGrantStore contract: ${name}`, () => {
    const fixture = useFixture(factory);
    const now = (): number => fixture().clock?.now() ?? Date.now();
    const store = (): RefreshGrantStore => fixture().store;

    /** A stored grant and its live token. */
    async function created(overrides: Partial<RefreshGrant> = {}): Promise<{ grant: RefreshGrant; token: string }> {
      const grant = aRefreshGrant(now(), overrides);
      const token = aTokenHash();
      expect(await store().create(grant, token)).toBe("created");
      return { grant, token };
    }

    /** Rotates `times` times from `token`; the tokens in order, the first the one given, the last the live one. */
    async function rotated(grant: RefreshGrant, token: string, times: number): Promise<string[]> {
      const tokens = [token];
      for (let i = 0; i < times; i++) {
        const next = aTokenHash();
        expect(await store().rotate(grant.grantId, tokens[tokens.length - 1] ?? "", next, now())).toEqual(grant);
        tokens.push(next);
      }
      return tokens;
    }

    /** Whether `token` is the grant's live token, found out by spending it (on a new token that is then returned). */
    async function refreshes(grant: RefreshGrant, token: string): Promise<string | null> {
      const next = aTokenHash();
      const outcome = await store().rotate(grant.grantId, token, next, now());
      return typeof outcome === "string" ? null : next;
    }

    describe("create", () => {
      it("stores a grant whose token then rotates, giving back every field of the grant", async () => {
        const { grant, token } = await created({ authTime: 1_767_225_600, username: "Ålice 👩‍🔬 <alice@example.com>" });
        expect(await store().rotate(grant.grantId, token, aTokenHash(), now())).toEqual(grant);
      });

      it("answers 'exists' for a taken grant id and keeps the grant already there, token and all", async () => {
        const { grant, token } = await created();
        const impostor = aRefreshGrant(now(), { grantId: grant.grantId, username: "mallory" });
        const impostorToken = aTokenHash();

        expect(await store().create(impostor, impostorToken)).toBe("exists");
        expect(await store().create(grant, token)).toBe("exists");

        expect(await store().rotate(grant.grantId, impostorToken, aTokenHash(), now())).toBe("not_live");
        expect(await store().rotate(grant.grantId, token, aTokenHash(), now())).toEqual(grant);
      });

      it("creates a grant id asked for many times at once exactly once", async () => {
        const grantId = crypto.randomUUID();
        const candidates = Array.from({ length: 10 }, () => ({ grant: aRefreshGrant(now(), { grantId }), token: aTokenHash() }));
        const outcomes = await Promise.all(
          candidates.map(async ({ grant, token }) => {
            await settle();
            return store().create(grant, token);
          }),
        );

        expect(outcomes.filter((o) => o === "created")).toHaveLength(1);
        const winner = candidates[outcomes.indexOf("created")];
        expect(await store().rotate(grantId, winner?.token ?? "", aTokenHash(), now())).toEqual(winner?.grant);
      });

      it("keeps several grants of one user apart", async () => {
        const username = uniqueId(32);
        const first = await created({ username });
        const second = await created({ username });

        expect(await store().rotate(first.grant.grantId, second.token, aTokenHash(), now())).toBe("not_live");
        expect(await store().rotate(second.grant.grantId, second.token, aTokenHash(), now())).toEqual(second.grant);
        expect(await store().rotate(first.grant.grantId, first.token, aTokenHash(), now())).toEqual(first.grant);
      });
    });

    describe("rotate", () => {
      it("makes the new token the live one and refuses the one spent as 'not_live'", async () => {
        const { grant, token } = await created();
        const next = aTokenHash();

        expect(await store().rotate(grant.grantId, token, next, now())).toEqual(grant);

        expect(await store().rotate(grant.grantId, token, aTokenHash(), now())).toBe("not_live");
        expect(await store().rotate(grant.grantId, next, aTokenHash(), now())).toEqual(grant);
      });

      it("keeps the grant's username, authTime and expiresAt through many rotations", async () => {
        const { grant, token } = await created();
        const tokens = await rotated(grant, token, 25);
        for (const spent of tokens.slice(0, -1)) expect(await store().rotate(grant.grantId, spent, aTokenHash(), now())).toBe("not_live");
        expect(await refreshes(grant, tokens[tokens.length - 1] ?? "")).not.toBeNull();
      });

      it("answers 'unknown' for a grant id it does not have, also one that a stored id starts with", async () => {
        const { grant, token } = await created();
        expect(await store().rotate(crypto.randomUUID(), token, aTokenHash(), now())).toBe("unknown");
        expect(await store().rotate(grant.grantId.slice(0, -1), token, aTokenHash(), now())).toBe("unknown");
        expect(await store().rotate(`${grant.grantId}0`, token, aTokenHash(), now())).toBe("unknown");
        expect(await store().rotate(grant.grantId, token, aTokenHash(), now())).toEqual(grant);
      });

      it("refuses a token the grant never had, and changes nothing", async () => {
        const { grant, token } = await created();
        const stranger = aTokenHash();

        const outcome = await store().rotate(grant.grantId, stranger, aTokenHash(), now());

        expect(["not_live", "unknown"]).toContain(outcome);
        expect(await store().rotate(grant.grantId, stranger, aTokenHash(), now())).toBe(outcome);
        expect(await store().rotate(grant.grantId, token, aTokenHash(), now())).toEqual(grant);
      });

      it("refuses a token whose case or length differs from the live one", async () => {
        const { grant, token } = await created();
        const swapped = token === token.toUpperCase() ? token.toLowerCase() : token.toUpperCase();
        for (const near of [swapped, token.slice(0, -1), `${token}A`]) {
          expect(REFUSALS).toContain(await store().rotate(grant.grantId, near, aTokenHash(), now()));
        }
        expect(await store().rotate(grant.grantId, token, aTokenHash(), now())).toEqual(grant);
      });

      it(`of ${CONCURRENT_ROTATIONS} concurrent rotations with one token lets exactly one win, and only its new token is live`, async () => {
        const { grant, token } = await created();
        const candidates = Array.from({ length: CONCURRENT_ROTATIONS }, () => aTokenHash());

        const outcomes = await Promise.all(
          candidates.map(async (next) => {
            await settle();
            return store().rotate(grant.grantId, token, next, now());
          }),
        );

        const winners = outcomes.filter((o) => typeof o !== "string");
        expect(winners).toEqual([grant]);
        expect(outcomes.filter((o) => o === "not_live")).toHaveLength(CONCURRENT_ROTATIONS - 1);
        const winner = candidates[outcomes.findIndex((o) => typeof o !== "string")] ?? "";
        for (const loser of candidates.filter((c) => c !== winner)) expect(await store().rotate(grant.grantId, loser, aTokenHash(), now())).toBe("not_live");
        expect(await store().rotate(grant.grantId, winner, aTokenHash(), now())).toEqual(grant);
      });

      it("rotates several grants concurrently, each exactly once per token", async () => {
        const grants = await Promise.all(Array.from({ length: 5 }, () => created()));
        const calls = grants.flatMap((g) => Array.from({ length: 6 }, () => g));

        const outcomes = await Promise.all(calls.map(({ grant, token }) => store().rotate(grant.grantId, token, aTokenHash(), now())));

        for (const { grant } of grants) {
          expect(outcomes.filter((o, i) => calls[i]?.grant === grant && typeof o !== "string")).toEqual([grant]);
        }
      });

      it("answers 'expired' from the grant's expiresAt on, by the time it is given, and not a millisecond before", async () => {
        const { grant, token } = await created({ expiresAt: now() + 60_000 });

        expect(await store().rotate(grant.grantId, token, aTokenHash(), grant.expiresAt)).toBe("expired");
        expect(await store().rotate(grant.grantId, token, aTokenHash(), grant.expiresAt + 3_600_000)).toBe("expired");

        const next = aTokenHash();
        expect(await store().rotate(grant.grantId, token, next, grant.expiresAt - 1)).toEqual(grant);
        expect(await store().rotate(grant.grantId, next, aTokenHash(), grant.expiresAt)).toBe("expired");
      });

      it("answers 'revoked' for a revoked grant, whichever of its tokens is given", async () => {
        const { grant, token } = await created();
        const tokens = await rotated(grant, token, 2);
        expect(await store().revoke(grant.grantId, tokens[2] ?? "")).toBe("revoked");

        for (const t of tokens) expect(await store().rotate(grant.grantId, t, aTokenHash(), now())).toBe("revoked");
      });
    });

    describe("status", () => {
      it("says live for a stored grant, rotated or not, and changes nothing", async () => {
        const { grant, token } = await created();
        expect(await store().status(grant.grantId, now())).toBe("live");
        const tokens = await rotated(grant, token, 2);
        expect(await store().status(grant.grantId, now())).toBe("live");
        expect(await refreshes(grant, tokens[2] ?? "")).not.toBeNull();
      });

      it("says revoked once a revoke completed, and unknown or revoked after revokeAllOf", async () => {
        const { grant, token } = await created();
        await store().revoke(grant.grantId, token);
        expect(await store().status(grant.grantId, now())).toBe("revoked");

        const other = await created();
        await store().revokeAllOf(other.grant.username);
        expect(["revoked", "unknown"]).toContain(await store().status(other.grant.grantId, now()));
      });

      it("says expired from the grant's expiresAt on, judged by the time given", async () => {
        const { grant } = await created();
        expect(await store().status(grant.grantId, grant.expiresAt - 1)).toBe("live");
        expect(await store().status(grant.grantId, grant.expiresAt)).toBe("expired");
      });

      it("says unknown for a grant never created", async () => {
        expect(await store().status(aRefreshGrant(now()).grantId, now())).toBe("unknown");
      });
    });

    describe("revoke", () => {
      it("revokes with the live token: no token of the grant refreshes again", async () => {
        const { grant, token } = await created();
        const tokens = await rotated(grant, token, 3);

        expect(await store().revoke(grant.grantId, tokens[3] ?? "")).toBe("revoked");

        for (const t of tokens) expect(await refreshes(grant, t)).toBeNull();
      });

      it("revokes with the token spent last: a thief's stale copy ends the sign-in", async () => {
        const { grant, token } = await created();
        const [spent, live] = await rotated(grant, token, 1);

        expect(await store().revoke(grant.grantId, spent ?? "")).toBe("revoked");

        expect(await store().rotate(grant.grantId, live ?? "", aTokenHash(), now())).toBe("revoked");
      });

      it(`revokes with any of the last ${SPENT_TOKENS_PROMISED} tokens spent`, async () => {
        const { grant, token } = await created();
        const tokens = await rotated(grant, token, SPENT_TOKENS_PROMISED + 5);
        const oldestPromised = tokens[tokens.length - 1 - SPENT_TOKENS_PROMISED] ?? "";

        expect(await store().revoke(grant.grantId, oldestPromised)).toBe("revoked");

        expect(await refreshes(grant, tokens[tokens.length - 1] ?? "")).toBeNull();
      });

      it("answers 'revoked' again when the grant already was, with any token it had", async () => {
        const { grant, token } = await created();
        const [first, second] = await rotated(grant, token, 1);
        expect(await store().revoke(grant.grantId, second ?? "")).toBe("revoked");

        expect(await store().revoke(grant.grantId, second ?? "")).toBe("revoked");
        expect(await store().revoke(grant.grantId, first ?? "")).toBe("revoked");
      });

      it("revokes an expired grant too", async () => {
        const { grant, token } = await created({ expiresAt: now() + 60_000 });
        expect(await store().rotate(grant.grantId, token, aTokenHash(), grant.expiresAt + 1)).toBe("expired");

        expect(await store().revoke(grant.grantId, token)).toBe("revoked");

        expect(await store().rotate(grant.grantId, token, aTokenHash(), grant.expiresAt - 1)).toBe("revoked");
      });

      it("answers 'unknown' for an unknown grant, and for a token the grant never had, which then revokes nothing", async () => {
        const { grant, token } = await created();

        expect(await store().revoke(crypto.randomUUID(), token)).toBe("unknown");
        expect(await store().revoke(grant.grantId, aTokenHash())).toBe("unknown");
        expect(await store().revoke(`${grant.grantId}0`, token)).toBe("unknown");

        expect(await store().rotate(grant.grantId, token, aTokenHash(), now())).toEqual(grant);
      });

      it("does not accept another grant's token, even of the same user", async () => {
        const username = uniqueId(32);
        const mine = await created({ username });
        const theirs = await created({ username });

        expect(await store().revoke(mine.grant.grantId, theirs.token)).toBe("unknown");

        expect(await refreshes(mine.grant, mine.token)).not.toBeNull();
        expect(await refreshes(theirs.grant, theirs.token)).not.toBeNull();
      });

      it("revokes only that grant", async () => {
        const username = uniqueId(32);
        const gone = await created({ username });
        const kept = await created({ username });

        await store().revoke(gone.grant.grantId, gone.token);

        expect(await store().rotate(kept.grant.grantId, kept.token, aTokenHash(), now())).toEqual(kept.grant);
      });

      it("wins over a rotation under way: once both are done, no token of the grant refreshes", async () => {
        const grants = await Promise.all(Array.from({ length: 8 }, async () => ({ ...(await created()), next: aTokenHash() })));

        await Promise.all(
          grants.flatMap(({ grant, token, next }, i) => {
            const rotation = (async () => {
              if (i % 2 === 0) await settle();
              const outcome = await store().rotate(grant.grantId, token, next, now());
              // Either it ran first (and the revoke finds the token spent) or it was refused for the revoke.
              if (typeof outcome === "string") expect(outcome).toBe("revoked");
            })();
            const revocation = (async () => {
              if (i % 2 === 1) await settle();
              expect(await store().revoke(grant.grantId, token)).toBe("revoked");
            })();
            return [rotation, revocation];
          }),
        );

        for (const { grant, token, next } of grants) {
          expect(await refreshes(grant, token)).toBeNull();
          expect(await refreshes(grant, next)).toBeNull();
        }
      });

      it("leaves no winner alive among concurrent rotations that a revoke with the first token races", async () => {
        const { grant, token } = await created();
        const candidates = Array.from({ length: 10 }, () => aTokenHash());

        const [revoked, ...outcomes] = await Promise.all([
          (async () => {
            await settle();
            return store().revoke(grant.grantId, token);
          })(),
          ...candidates.map((next) => store().rotate(grant.grantId, token, next, now())),
        ]);

        expect(revoked).toBe("revoked");
        expect(outcomes.filter((o) => typeof o !== "string").length).toBeLessThanOrEqual(1);
        for (const t of [token, ...candidates]) expect(await refreshes(grant, t)).toBeNull();
      });
    });

    describe("revokeAllOf", () => {
      it("revokes every grant of the user, rotated or not, and no one else's", async () => {
        const username = uniqueId(32);
        const mine = await Promise.all(Array.from({ length: 4 }, () => created({ username })));
        const rotatedTokens = await rotated(mine[0]?.grant ?? aRefreshGrant(now()), mine[0]?.token ?? "", 3);
        const other = await created();
        const lookalike = await created({ username: `${username}x` });

        await store().revokeAllOf(username);

        for (const t of rotatedTokens) expect(await refreshes(mine[0]?.grant ?? aRefreshGrant(now()), t)).toBeNull();
        for (const { grant, token } of mine.slice(1)) expect(await refreshes(grant, token)).toBeNull();
        expect(await store().rotate(other.grant.grantId, other.token, aTokenHash(), now())).toEqual(other.grant);
        expect(await store().rotate(lookalike.grant.grantId, lookalike.token, aTokenHash(), now())).toEqual(lookalike.grant);
      });

      it("leaves revoke answering as the port allows, never refreshing again", async () => {
        const { grant, token } = await created();

        await store().revokeAllOf(grant.username);

        expect(["revoked", "unknown"]).toContain(await store().revoke(grant.grantId, token));
        expect(REFUSALS).toContain(await store().rotate(grant.grantId, token, aTokenHash(), now()));
      });

      it("revokes many grants of one user", async () => {
        const username = uniqueId(32);
        const grants = await Promise.all(Array.from({ length: 30 }, () => created({ username })));

        await store().revokeAllOf(username);

        for (const { grant, token } of grants) expect(await refreshes(grant, token)).toBeNull();
      });

      it("is idempotent, and resolves for a user with no grants", async () => {
        const { grant } = await created();
        await store().revokeAllOf(grant.username);
        await expect(store().revokeAllOf(grant.username)).resolves.toBeUndefined();
        await expect(store().revokeAllOf(uniqueId(32))).resolves.toBeUndefined();
      });

      it("lets the user sign in again: a grant created afterwards rotates", async () => {
        const { grant } = await created();
        await store().revokeAllOf(grant.username);

        const { grant: next, token } = await created({ username: grant.username });

        expect(await store().rotate(next.grantId, token, aTokenHash(), now())).toEqual(next);
      });
    });

    describe("copies", () => {
      it("keeps a copy of the grant given to create, and hands out copies", async () => {
        const grant = { ...aRefreshGrant(now()) };
        const token = aTokenHash();
        await store().create(grant, token);
        const original = { ...grant };
        (grant as { username: string }).username = "changed by the caller";

        const next = aTokenHash();
        const outcome = await store().rotate(grant.grantId, token, next, now());
        expect(outcome).toEqual(original);
        (outcome as { authTime: number }).authTime = 0;

        expect(await store().rotate(grant.grantId, next, aTokenHash(), now())).toEqual(original);
      });
    });
  });
}
