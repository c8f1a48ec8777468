/**
 * When the in-memory adapters sweep what has expired: as new entries arrive, at most once per interval,
 * by the Clock port, so that a burst of writes does not pay for a full scan each. What each one drops
 * is its own business; the schedule is shared. Runtime-neutral (no `node:*`).
 */
import type { Clock } from "../../ports/clock.js";

export class SweepSchedule {
  #next = 0;

  constructor(
    private readonly clock: Clock,
    private readonly intervalMs: number,
  ) {}

  /** The time to sweep against when a sweep is due (and then not again for an interval); null otherwise. */
  due(): number | null {
    const now = this.clock.now();
    if (now < this.#next) return null;
    this.#next = now + this.intervalMs;
    return now;
  }
}
