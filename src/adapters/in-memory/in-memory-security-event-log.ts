/**
 * Security events in memory (ADR 0020): per user, a list sorted by (`at`, `eventId`), the same order as
 * the DynamoDB adapter's sort key, plus the failed-sign-in windows of the flood bound. JavaScript runs
 * one callback at a time and no method awaits between its check and its write, so each is atomic:
 * concurrent `appendFailure` calls store at most `limit` per window, as the port promises.
 *
 * Events whose retention period is over are swept as new ones arrive (at most once per sweep interval),
 * which bounds memory by what a retention period brings in — as DynamoDB's TTL does for the other adapter.
 */
import type { FailureBound, SecurityEvent } from "../../domain/activity/security-events.js";
import type { EpochMillis } from "../../domain/model.js";
import { err, ok, type Result } from "../../domain/result.js";
import type { Clock } from "../../ports/clock.js";
import type { ListEventsError, SecurityEventLog, SecurityEventPage } from "../../ports/security-event-log.js";
import { decodeEventCursor, encodeEventCursor } from "../common/event-cursor.js";
import { SweepSchedule } from "../common/sweep-schedule.js";

export interface InMemorySecurityEventLogOptions {
  readonly clock: Clock;
  /** How long an event is kept after its `at` (EVENT_RETENTION_DAYS). */
  readonly retentionMs: number;
  /** How often at most the whole store is swept; sweeping is O(events). */
  readonly sweepIntervalMs?: number;
}

type FailedSignIn = Extract<SecurityEvent, { type: "sign_in.failed" }>;
type Suppressed = Extract<SecurityEvent, { type: "sign_in.failed_suppressed" }>;

interface Entry {
  /** `<at, 16 digits>#<eventId>`: the order of the trail, and what a cursor points at. */
  readonly key: string;
  event: SecurityEvent;
}

interface FailureWindow {
  readonly windowEnd: EpochMillis;
  /** Failed sign-ins in this window so far, stored or counted. */
  calls: number;
  /** The window's one `sign_in.failed_suppressed` event, once the limit has been passed; the same object as in `entries`. */
  suppressed: { readonly key: string; event: Suppressed } | null;
}

interface Trail {
  /** Oldest first, by `key` (UTF-8 byte order, as DynamoDB compares sort keys). */
  readonly entries: Entry[];
  readonly keys: Set<string>;
  /** By window start. */
  readonly windows: Map<EpochMillis, FailureWindow>;
}

const MAX_PAGE = 100;

export class InMemorySecurityEventLog implements SecurityEventLog {
  private readonly trails = new Map<string, Trail>();
  private readonly clock: Clock;
  private readonly retentionMs: number;
  private readonly sweeps: SweepSchedule;

  constructor(options: InMemorySecurityEventLogOptions) {
    if (!Number.isSafeInteger(options.retentionMs) || options.retentionMs <= 0) throw new RangeError(`retentionMs ${options.retentionMs} is not a positive whole number`);
    this.clock = options.clock;
    this.retentionMs = options.retentionMs;
    this.sweeps = new SweepSchedule(options.clock, options.sweepIntervalMs ?? 60_000);
  }

  async append(event: SecurityEvent): Promise<void> {
    this.sweep();
    this.insert(this.trail(event.userHandle), { key: eventKey(event.at, event.eventId), event });
  }

  async appendFailure(event: FailedSignIn, bound: FailureBound): Promise<"stored" | "counted"> {
    checkBound(bound);
    this.sweep();
    const trail = this.trail(event.userHandle);
    const key = eventKey(event.at, event.eventId);
    // A retry of a failure already stored is not another failure.
    if (trail.keys.has(key)) return "stored";
    const windowStart = Math.floor(event.at / bound.windowMs) * bound.windowMs;
    const window = trail.windows.get(windowStart) ?? { windowEnd: windowStart + bound.windowMs, calls: 0, suppressed: null };
    trail.windows.set(windowStart, window);
    window.calls += 1;
    if (window.calls <= bound.limit) {
      this.insert(trail, { key, event });
      return "stored";
    }
    // The first failure past the limit opens the window's suppressed event, under its own id and time;
    // later ones raise its count and leave the context of the latest (as the DynamoDB adapter does).
    const count = window.calls - bound.limit;
    if (window.suppressed === null) {
      const suppressed: Suppressed = {
        type: "sign_in.failed_suppressed",
        eventId: event.eventId,
        at: event.at,
        userHandle: event.userHandle,
        context: event.context,
        count,
        windowStart,
        windowEnd: window.windowEnd,
      };
      window.suppressed = { key, event: suppressed };
      this.insert(trail, window.suppressed);
    } else {
      window.suppressed.event = { ...window.suppressed.event, count, context: event.context };
    }
    return "counted";
  }

  async listForUser(userHandle: string, page: { readonly limit: number; readonly cursor: string | null }): Promise<Result<SecurityEventPage, ListEventsError>> {
    checkLimit(page.limit);
    let after: string | null = null;
    if (page.cursor !== null) {
      after = decodeEventCursor(page.cursor, userHandle);
      if (after === null) return err("cursor_invalid");
    }
    const entries = this.trails.get(userHandle)?.entries ?? [];
    // Newest first: down from the newest entry, or from the one just older than the cursor's.
    const index = after === null ? entries.length - 1 : lowerBound(entries, after) - 1;
    const taken = entries.slice(Math.max(0, index + 1 - page.limit), index + 1).reverse();
    const last = taken.at(-1);
    const more = index + 1 - taken.length > 0;
    return ok({ events: taken.map((entry) => entry.event), nextCursor: more && last !== undefined ? encodeEventCursor(userHandle, last.key) : null });
  }

  /** How many events are held, swept or not; for tests. */
  get size(): number {
    let total = 0;
    for (const trail of this.trails.values()) total += trail.entries.length;
    return total;
  }

  /** How many failed-sign-in windows are held; for tests. */
  get windowCount(): number {
    let total = 0;
    for (const trail of this.trails.values()) total += trail.windows.size;
    return total;
  }

  private trail(userHandle: string): Trail {
    let trail = this.trails.get(userHandle);
    if (trail === undefined) {
      trail = { entries: [], keys: new Set(), windows: new Map() };
      this.trails.set(userHandle, trail);
    }
    return trail;
  }

  /** Idempotent by key (`at` and `eventId`), as a conditional put is in DynamoDB. */
  private insert(trail: Trail, entry: Entry): void {
    if (trail.keys.has(entry.key)) return;
    trail.keys.add(entry.key);
    trail.entries.splice(lowerBound(trail.entries, entry.key), 0, entry);
  }

  private sweep(): void {
    const now = this.sweeps.due();
    if (now === null) return;
    const cutoff = now - this.retentionMs;
    for (const [userHandle, trail] of this.trails) {
      // Oldest first, so the expired ones are a prefix.
      let expired = 0;
      while (expired < trail.entries.length && (trail.entries[expired]?.event.at ?? Infinity) <= cutoff) expired++;
      for (const entry of trail.entries.splice(0, expired)) trail.keys.delete(entry.key);
      for (const [windowStart, window] of trail.windows) if (window.windowEnd <= cutoff) trail.windows.delete(windowStart);
      if (trail.entries.length === 0 && trail.windows.size === 0) this.trails.delete(userHandle);
    }
  }
}

function checkLimit(limit: number): void {
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_PAGE) throw new RangeError(`limit ${limit} is not a whole number from 1 to ${MAX_PAGE}`);
}

function checkBound(bound: FailureBound): void {
  if (!Number.isSafeInteger(bound.windowMs) || bound.windowMs <= 0) throw new RangeError(`windowMs ${bound.windowMs} is not a positive whole number`);
  if (!Number.isSafeInteger(bound.limit) || bound.limit < 0) throw new RangeError(`limit ${bound.limit} is not a whole number ≥ 0`);
}

function eventKey(at: EpochMillis, eventId: string): string {
  if (!Number.isSafeInteger(at) || at < 0) throw new RangeError(`at ${at} is not a time`);
  return `${String(at).padStart(16, "0")}#${eventId}`;
}

const encoder = new TextEncoder();

/**
 * Lexicographic order of two byte strings (as DynamoDB orders sort keys). Written out, not `Buffer.compare`:
 * this adapter is part of the runtime-neutral entry, and workerd has no `Buffer`.
 */
function compareBytes(a: Uint8Array, b: Uint8Array): number {
  const shared = Math.min(a.length, b.length);
  for (let i = 0; i < shared; i++) {
    const difference = (a[i] ?? 0) - (b[i] ?? 0);
    if (difference !== 0) return difference;
  }
  return a.length - b.length;
}

/** The first index whose key is not less than `key`, in UTF-8 byte order. */
function lowerBound(entries: readonly Entry[], key: string): number {
  const target = encoder.encode(key);
  let low = 0;
  let high = entries.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    const entry = entries[middle];
    if (entry !== undefined && compareBytes(encoder.encode(entry.key), target) < 0) low = middle + 1;
    else high = middle;
  }
  return low;
}

