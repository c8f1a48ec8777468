import type { EpochMillis } from "../domain/model.js";

/** The time, as a port, so that expiry is testable with a manual clock (ADR 0002). */
export interface Clock {
  /** Milliseconds since the Unix epoch. Never goes backwards within one process. */
  now(): EpochMillis;
}
