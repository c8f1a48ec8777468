import type { FailureBound, SecurityEvent } from "../domain/activity/security-events.js";
import type { Result } from "../domain/result.js";

/** A page of a user's trail, newest first. */
export interface SecurityEventPage {
  readonly events: readonly SecurityEvent[];
  /** Opaque; hand it back for the next (older) page. `null` on the last page. */
  readonly nextCursor: string | null;
}

export type ListEventsError = "cursor_invalid";

/**
 * Each user's security activity (issue 12), kept for a retention period (EVENT_RETENTION_DAYS, 90 days
 * by default) after which the store forgets events by itself (DynamoDB TTL; the in-memory adapter sweeps).
 * A store out of reach throws `StorageUnavailableError`; callers never let that fail a ceremony.
 */
export interface SecurityEventLog {
  /** Stores the event. Idempotent by `eventId`: appending the same event again stores it once. */
  append(event: SecurityEvent): Promise<void>;

  /**
   * Stores a `sign_in.failed` event unless the user already has `bound.limit` of them stored in the
   * window of `event.at` (windows are `bound.windowMs` long, aligned to multiples of it since the epoch);
   * beyond the limit the event is only counted, on one `sign_in.failed_suppressed` event per user and
   * window whose `count` grows. The check and the write are atomic: of any number of concurrent failures
   * at most `limit` are stored one by one, and stored + counted equals the number of calls.
   */
  appendFailure(event: Extract<SecurityEvent, { type: "sign_in.failed" }>, bound: FailureBound): Promise<"stored" | "counted">;

  /**
   * The user's events, newest first, at most `limit` (1–100) per page, after `cursor` (from a previous
   * page of the same user; a cursor that this store did not make for this user is `cursor_invalid`).
   * Only this user's events, ever. Strongly consistent: an awaited append is listed.
   */
  listForUser(
    userHandle: string,
    page: { readonly limit: number; readonly cursor: string | null },
  ): Promise<Result<SecurityEventPage, ListEventsError>>;
}
