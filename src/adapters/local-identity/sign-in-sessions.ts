import { toBase64Url } from "../../domain/encoding/bytes.js";
import type { Clock } from "../../ports/clock.js";
import type { RandomSource } from "../../ports/random-source.js";
import { SweepSchedule } from "../common/sweep-schedule.js";

/**
 * Cognito's `Session` strings as the local identity provider plays them: opaque, single-use, and
 * expiring after the pool's `authSessionValidity` (3 minutes by default). They live in memory only
 * (a restart ends every sign-in in progress, as it would end the request that carried it). Expired
 * ones are swept as new ones are opened, at most once per interval, so what is held is bounded by
 * what was opened within one lifetime.
 */
export class SignInSessions<T> {
  private readonly sessions = new Map<string, { readonly state: T; readonly expiresAt: number }>();
  private readonly sweeps: SweepSchedule;

  constructor(
    private readonly clock: Clock,
    private readonly random: RandomSource,
    private readonly lifetimeMs: number,
    sweepIntervalMs: number,
  ) {
    this.sweeps = new SweepSchedule(clock, sweepIntervalMs);
  }

  /** A new session holding `state`. */
  open(state: T): string {
    const id = toBase64Url(this.random.bytes(48));
    this.sweep();
    this.sessions.set(id, { state, expiresAt: this.clock.now() + this.lifetimeMs });
    return id;
  }

  /** The session's state, once: it is spent whatever the caller does next. Null when unknown or expired. */
  take(id: string): T | null {
    const session = this.sessions.get(id);
    this.sessions.delete(id);
    if (session === undefined || this.clock.now() >= session.expiresAt) return null;
    return session.state;
  }

  /** How many are held, expired or not yet swept. */
  get size(): number {
    return this.sessions.size;
  }

  private sweep(): void {
    const now = this.sweeps.due();
    if (now === null) return;
    for (const [id, session] of this.sessions) if (session.expiresAt <= now) this.sessions.delete(id);
  }
}
