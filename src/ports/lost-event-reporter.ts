import type { SecurityEvent } from "../domain/activity/security-events.js";

/**
 * Where a security event goes when the SecurityEventLog could not store it (issue 12 point 3): a sign-in
 * never fails for want of its event, and the event is not lost either. On Lambda and locally, one error
 * log line carrying the whole event and the fault, so that it still reaches CloudWatch Logs (and an
 * operator can put it back).
 *
 * Must not throw and must not wait on the network: it is the last resort of a recording that has already
 * failed, on a ceremony's path.
 */
export interface LostEventReporter {
  lost(event: SecurityEvent, fault: unknown): void;
}
