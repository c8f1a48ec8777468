import { InMemorySecurityEventLog } from "../../src/adapters/in-memory/in-memory-security-event-log.js";
import type { FailureBound, SecurityEvent } from "../../src/domain/activity/security-events.js";
import type { Result } from "../../src/domain/result.js";
import type { Clock } from "../../src/ports/clock.js";
import type { ListEventsError, SecurityEventLog, SecurityEventPage } from "../../src/ports/security-event-log.js";

const NINETY_DAYS_MS = 90 * 24 * 60 * 60 * 1000;

/**
 * The in-memory SecurityEventLog, recording every event it is handed (stored or not), in order, and made
 * to fail on demand: `failWith` makes every append and appendFailure throw it, storing nothing.
 */
export class RecordingSecurityEventLog implements SecurityEventLog {
  readonly store: InMemorySecurityEventLog;
  /** Every event handed to `append` or `appendFailure` that did not throw, in order. */
  readonly appended: SecurityEvent[] = [];
  failWith: Error | null = null;

  constructor(clock: Clock) {
    this.store = new InMemorySecurityEventLog({ clock, retentionMs: NINETY_DAYS_MS });
  }

  async append(event: SecurityEvent): Promise<void> {
    if (this.failWith !== null) throw this.failWith;
    await this.store.append(event);
    this.appended.push(event);
  }

  async appendFailure(event: Extract<SecurityEvent, { type: "sign_in.failed" }>, bound: FailureBound): Promise<"stored" | "counted"> {
    if (this.failWith !== null) throw this.failWith;
    const outcome = await this.store.appendFailure(event, bound);
    this.appended.push(event);
    return outcome;
  }

  listForUser(userHandle: string, page: { readonly limit: number; readonly cursor: string | null }): Promise<Result<SecurityEventPage, ListEventsError>> {
    return this.store.listForUser(userHandle, page);
  }

  /** A user's whole trail as the store lists it, newest first. */
  async trailOf(userHandle: string): Promise<readonly SecurityEvent[]> {
    const page = await this.store.listForUser(userHandle, { limit: 100, cursor: null });
    if (!page.ok) throw new Error(page.error);
    return page.value.events;
  }

  /** Forgets what was handed over so far (what a test's set-up did); the store keeps it. */
  clear(): void {
    this.appended.length = 0;
  }
}
