/**
 * A security event the store could not keep, written as one error line of the process's log (JSON
 * lines on stdout, which Lambda sends to CloudWatch Logs): the whole event, so that nothing of it is
 * lost and an operator can put it back, and what went wrong. The line goes through the same log as the
 * requests' lines, carrying the request's correlation id, so the two are found together.
 */
import type { SecurityEvent } from "../../domain/activity/security-events.js";
import type { LostEventReporter } from "../../ports/lost-event-reporter.js";

/** A log that takes structured entries (the HTTP app's `Log` is one); this adapter writes error entries only. */
export type ErrorLog = (entry: { readonly level: "error"; readonly event: string } & Readonly<Record<string, unknown>>) => void;

/** The log line's `event`: what an operator searches for. */
export const LOST_EVENT_LOG_EVENT = "security_event_lost";
/** A fault's message is capped: the event is what this line is for. */
const MAX_FAULT_MESSAGE_LENGTH = 500;

export class LogLostEventReporter implements LostEventReporter {
  constructor(private readonly log: ErrorLog) {}

  lost(event: SecurityEvent, fault: unknown): void {
    const message = fault instanceof Error ? fault.message : String(fault);
    try {
      this.log({
        level: "error",
        event: LOST_EVENT_LOG_EVENT,
        correlationId: event.context.correlationId,
        // As stored: the time in epoch milliseconds, every field present.
        securityEvent: event,
        error: fault instanceof Error ? fault.name : typeof fault,
        message: message.length > MAX_FAULT_MESSAGE_LENGTH ? `${message.slice(0, MAX_FAULT_MESSAGE_LENGTH)}…` : message,
      });
    } catch {
      // The last resort (the port's contract: never throws); a log that cannot write leaves nothing to tell.
    }
  }
}
