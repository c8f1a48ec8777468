import type { CeremonyOutcome } from "../../src/domain/activity/security-events.js";
import type { CeremonyMetrics } from "../../src/ports/ceremony-metrics.js";

/** CeremonyMetrics for tests: every outcome counted, in order; `failWith` makes `count` throw (breaking the port's contract on purpose). */
export class RecordingCeremonyMetrics implements CeremonyMetrics {
  readonly counted: CeremonyOutcome[] = [];
  failWith: Error | null = null;

  count(outcome: CeremonyOutcome): void {
    if (this.failWith !== null) throw this.failWith;
    this.counted.push(outcome);
  }

  /** Forgets what was counted so far (what a test's set-up did). */
  clear(): void {
    this.counted.length = 0;
  }
}
