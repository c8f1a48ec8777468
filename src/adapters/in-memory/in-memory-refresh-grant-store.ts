import type { Clock } from "../../ports/clock.js";
import type { RefreshGrant, RefreshGrantStore, RotationRefusal } from "../../ports/refresh-grant-store.js";
import { SweepSchedule } from "../common/sweep-schedule.js";

/** How many spent token hashes a grant remembers for `revoke`: the port promises at least 20. */
export const SPENT_TOKENS_REMEMBERED = 20;

interface GrantRecord {
  readonly grant: RefreshGrant;
  live: string;
  /** Spent token hashes, oldest first, at most SPENT_TOKENS_REMEMBERED. */
  readonly spent: string[];
  revoked: boolean;
}

/**
 * Refresh grants in Maps, for STORAGE=memory: they live as long as the process. Each method does its
 * reads and writes without awaiting in between, so a rotation is atomic and of concurrent rotations with
 * one token the first to run wins. Grants past their `expiresAt` (by the clock) are swept as new ones
 * arrive, at most once per interval, which bounds memory by the grants created within one lifetime;
 * until then `rotate` refuses them by its `now` argument. A revoked grant stays until it expires, so
 * that a second revoke answers `"revoked"` and a rotation `"revoked"` too; `revokeAllOf` deletes the
 * user's grants (then both answer `"unknown"`, which the port allows).
 */
export class InMemoryRefreshGrantStore implements RefreshGrantStore {
  private readonly grants = new Map<string, GrantRecord>();
  /** username → ids of the user's grants that have not been swept */
  private readonly byUser = new Map<string, Set<string>>();
  private readonly sweeps: SweepSchedule;

  constructor(clock: Clock, sweepIntervalMs = 10_000) {
    this.sweeps = new SweepSchedule(clock, sweepIntervalMs);
  }

  async create(grant: RefreshGrant, tokenHash: string): Promise<"created" | "exists"> {
    this.sweep();
    if (this.grants.has(grant.grantId)) return "exists";
    this.grants.set(grant.grantId, { grant: copy(grant), live: tokenHash, spent: [], revoked: false });
    const ids = this.byUser.get(grant.username) ?? new Set<string>();
    ids.add(grant.grantId);
    this.byUser.set(grant.username, ids);
    return "created";
  }

  async rotate(grantId: string, tokenHash: string, newTokenHash: string, now: number): Promise<RefreshGrant | RotationRefusal> {
    const record = this.grants.get(grantId);
    if (record === undefined) return "unknown";
    if (record.revoked) return "revoked";
    if (now >= record.grant.expiresAt) return "expired";
    if (record.live !== tokenHash) return "not_live";
    record.spent.push(tokenHash);
    if (record.spent.length > SPENT_TOKENS_REMEMBERED) record.spent.shift();
    record.live = newTokenHash;
    return copy(record.grant);
  }

  async status(grantId: string, now: number): Promise<"live" | "revoked" | "expired" | "unknown"> {
    const record = this.grants.get(grantId);
    if (record === undefined) return "unknown";
    if (record.revoked) return "revoked";
    return now >= record.grant.expiresAt ? "expired" : "live";
  }

  async revoke(grantId: string, tokenHash: string): Promise<"revoked" | "unknown"> {
    const record = this.grants.get(grantId);
    if (record === undefined || (record.live !== tokenHash && !record.spent.includes(tokenHash))) return "unknown";
    record.revoked = true;
    return "revoked";
  }

  /** Deletes the user's grants rather than marking them, as the DynamoDB store does: nothing of a deleted account stays behind. */
  async revokeAllOf(username: string): Promise<void> {
    for (const id of this.byUser.get(username) ?? []) this.grants.delete(id);
    this.byUser.delete(username);
  }

  /** How many grants are held, swept or not; for tests and metrics. */
  get size(): number {
    return this.grants.size;
  }

  private sweep(): void {
    const now = this.sweeps.due();
    if (now === null) return;
    for (const [id, record] of this.grants) {
      if (record.grant.expiresAt > now) continue;
      this.grants.delete(id);
      const ids = this.byUser.get(record.grant.username);
      ids?.delete(id);
      if (ids?.size === 0) this.byUser.delete(record.grant.username);
    }
  }
}

function copy(grant: RefreshGrant): RefreshGrant {
  return { grantId: grant.grantId, username: grant.username, authTime: grant.authTime, expiresAt: grant.expiresAt };
}
