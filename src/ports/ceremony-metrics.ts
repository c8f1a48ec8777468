import type { CeremonyOutcome } from "../domain/activity/security-events.js";

/**
 * Counts of succeeded and failed ceremonies by type and error code, for the operator (issue 12 point 6):
 * CloudWatch metrics through the Embedded Metric Format on Lambda. Never carries a user, a credential or
 * an address. Must not throw and must not wait on the network: counting is never at a ceremony's expense.
 */
export interface CeremonyMetrics {
  count(outcome: CeremonyOutcome): void;
}
