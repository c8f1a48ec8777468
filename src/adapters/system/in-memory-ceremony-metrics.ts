/**
 * The operator's ceremony counts kept in this process's memory: the local server's (there is no
 * CloudWatch on a laptop), and what tests read to see which outcomes a ceremony counted.
 */
import type { CeremonyOutcome } from "../../domain/activity/security-events.js";
import type { CeremonyMetrics } from "../../ports/ceremony-metrics.js";

/** One line of the counts: an outcome and how often it happened. */
export type CeremonyCount = CeremonyOutcome & { readonly count: number };

export class InMemoryCeremonyMetrics implements CeremonyMetrics {
  readonly #counts = new Map<string, { readonly outcome: CeremonyOutcome; count: number }>();

  count(outcome: CeremonyOutcome): void {
    const key = JSON.stringify([outcome.ceremony, outcome.outcome, outcome.code ?? null]);
    const entry = this.#counts.get(key);
    if (entry === undefined) {
      const { ceremony, outcome: result, code } = outcome;
      this.#counts.set(key, { outcome: code === undefined ? { ceremony, outcome: result } : { ceremony, outcome: result, code }, count: 1 });
    } else {
      entry.count += 1;
    }
  }

  /** Every outcome counted so far, with its count, in the order each was first counted. */
  counts(): CeremonyCount[] {
    return [...this.#counts.values()].map(({ outcome, count }) => ({ ...outcome, count }));
  }
}
