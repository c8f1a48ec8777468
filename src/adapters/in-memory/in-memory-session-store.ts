import type { CeremonySession } from "../../domain/model.js";
import type { Clock } from "../../ports/clock.js";
import type { SessionStore } from "../../ports/session-store.js";
import { EXPIRED_SESSION_RETENTION_MS } from "../../ports/session-store.js";
import { SweepSchedule } from "../common/sweep-schedule.js";


/**
 * Sessions in a Map. JavaScript runs one callback at a time, so `consume` (get and delete with no
 * await between) is atomic. Sessions expired longer than the retention period ago are swept as new
 * ones arrive, which bounds memory by the number of sessions started within one timeout plus that period.
 */
export class InMemorySessionStore implements SessionStore {
  private readonly sessions = new Map<string, CeremonySession>();
  private readonly sweeps: SweepSchedule;

  constructor(
    clock: Clock,
    sweepIntervalMs = 10_000,
    private readonly retentionMs = EXPIRED_SESSION_RETENTION_MS,
  ) {
    this.sweeps = new SweepSchedule(clock, sweepIntervalMs);
  }

  async save(session: CeremonySession): Promise<"saved" | "exists"> {
    this.sweep();
    if (this.sessions.has(session.id)) return "exists";
    this.sessions.set(session.id, session);
    return "saved";
  }

  async consume(id: string): Promise<CeremonySession | null> {
    const session = this.sessions.get(id);
    if (session === undefined) return null;
    this.sessions.delete(id);
    return session;
  }

  /** How many sessions are held, swept or not; for tests and metrics. */
  get size(): number {
    return this.sessions.size;
  }

  private sweep(): void {
    const now = this.sweeps.due();
    if (now === null) return;
    for (const [id, session] of this.sessions) if (session.expiresAt + this.retentionMs <= now) this.sessions.delete(id);
  }
}
