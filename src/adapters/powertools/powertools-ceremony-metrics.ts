/**
 * The operator's ceremony counts as CloudWatch metrics, through the Embedded Metric Format written by
 * Powertools for AWS Lambda (TypeScript) Metrics (issue 12 point 6; ADR 0020): each count is kept in
 * memory and written to stdout as EMF lines when the Lambda shell publishes at the end of the
 * invocation, and CloudWatch Logs turns the lines into metrics. Nothing waits on the network.
 *
 * One metric, `CeremonyCount` (unit Count) in the namespace `keyport`, in two series:
 * - dimensions [service, ceremony, outcome]: every count (the alarm on failed sign-ins reads this one);
 * - dimensions [service, ceremony, outcome, code]: failures again, by error code.
 * `service` is Powertools' default dimension, "keyport" in every function, so that the HTTP function's
 * and the Verify trigger's sign-in counts add up to one series.
 *
 * The two series are two Metrics instances, each writing lines of one dimension set: one EMF line could
 * carry both sets, but Powertools warns of every key two sets share, on every line.
 */
import { Metrics, MetricUnit } from "@aws-lambda-powertools/metrics";
import type { CeremonyOutcome } from "../../domain/activity/security-events.js";
import type { CeremonyMetrics } from "../../ports/ceremony-metrics.js";

export const METRICS_NAMESPACE = "keyport";
export const METRICS_SERVICE = "keyport";
export const CEREMONY_COUNT_METRIC = "CeremonyCount";

/** A Metrics instance of this function: namespace keyport, service keyport, writing to stdout. */
export const keyportMetrics = (): Metrics => new Metrics({ namespace: METRICS_NAMESPACE, serviceName: METRICS_SERVICE });

/** Counts in one dimension set, buffered in one Metrics instance. */
class Series {
  /** The dimension values of the stored counts: one EMF line has one value per dimension. */
  #stored: string | null = null;

  constructor(private readonly metrics: Metrics) {}

  add(dimensions: Readonly<Record<string, string>>): void {
    const key = JSON.stringify(dimensions);
    // Counts with other values go out first. Powertools also publishes by itself (after 100 values of a
    // metric), clearing the dimensions: then they are set again.
    if (this.metrics.hasStoredMetrics() && this.#stored !== key) this.metrics.publishStoredMetrics();
    if (!this.metrics.hasStoredMetrics()) {
      this.metrics.clearDimensions();
      for (const [name, value] of Object.entries(dimensions)) this.metrics.addDimension(name, value);
      this.#stored = key;
    }
    this.metrics.addMetric(CEREMONY_COUNT_METRIC, MetricUnit.Count, 1);
  }

  /** Nothing stored, nothing written (and no Powertools warning about empty metrics). */
  publish(): void {
    if (this.metrics.hasStoredMetrics()) this.metrics.publishStoredMetrics();
  }
}

export class PowertoolsCeremonyMetrics implements CeremonyMetrics {
  readonly #byOutcome: Series;
  readonly #byCode: Series;

  /** `metrics` makes each series' Metrics instance; tests give their own. */
  constructor(metrics: () => Metrics = keyportMetrics) {
    this.#byOutcome = new Series(metrics());
    this.#byCode = new Series(metrics());
  }

  count(outcome: CeremonyOutcome): void {
    try {
      this.#byOutcome.add({ ceremony: outcome.ceremony, outcome: outcome.outcome });
      if (outcome.code !== undefined) this.#byCode.add({ ceremony: outcome.ceremony, outcome: outcome.outcome, code: outcome.code });
    } catch {
      // Counting is never at a ceremony's expense (the port's contract): a count Powertools refuses is lost.
    }
  }

  /**
   * Writes the stored counts as EMF lines; the Lambda shells call it at the end of every invocation
   * (Lambda may freeze the environment right after, and a count kept longer could be lost with it).
   * Never throws.
   */
  publish(): void {
    for (const series of [this.#byOutcome, this.#byCode]) {
      try {
        series.publish();
      } catch {
        // As in count: these counts are lost, the invocation is not.
      }
    }
  }
}
