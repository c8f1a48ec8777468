import type { SecurityEvent } from "../../src/domain/activity/security-events.js";
import type { LostEventReporter } from "../../src/ports/lost-event-reporter.js";

/** A LostEventReporter for tests: every event reported lost, with its fault. */
export class RecordingLostEventReporter implements LostEventReporter {
  readonly reported: { event: SecurityEvent; fault: unknown }[] = [];

  lost(event: SecurityEvent, fault: unknown): void {
    this.reported.push({ event, fault });
  }
}
