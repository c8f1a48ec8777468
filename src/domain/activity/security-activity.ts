/**
 * Records what happens to an account (issue 12): the domain services hand it each event as it happens,
 * and it stamps it (a random id, the time), stores it in the user's trail, and counts the outcome for
 * the operator. Never at the ceremony's expense: it never rejects, a store that fails gets the event
 * reported to the LostEventReporter instead, and callers run it beside their remaining work
 * (`alongside`) rather than after it.
 */
import type { AuthenticatorCatalog } from "../../ports/authenticator-catalog.js";
import type { CeremonyMetrics } from "../../ports/ceremony-metrics.js";
import type { Clock } from "../../ports/clock.js";
import type { LostEventReporter } from "../../ports/lost-event-reporter.js";
import type { RandomSource } from "../../ports/random-source.js";
import type { ListEventsError, SecurityEventLog, SecurityEventPage } from "../../ports/security-event-log.js";
import type { Result } from "../result.js";
import { toBase64Url } from "../encoding/bytes.js";
import type { StoredCredential } from "../model.js";
import { boundRequestContext } from "./request-context-seal.js";
import {
  FAILED_SIGN_IN_BOUND,
  type CeremonyOutcome,
  type FailureBound,
  type PasskeyReference,
  type RequestContext,
  type SecurityEvent,
} from "./security-events.js";

export interface SecurityActivityDependencies {
  readonly log: SecurityEventLog;
  readonly metrics: CeremonyMetrics;
  readonly lost: LostEventReporter;
  /** Names the authenticator of a passkey an event is about. */
  readonly authenticators: AuthenticatorCatalog;
  readonly clock: Clock;
  readonly random: RandomSource;
  /** Failed sign-ins stored per user and window; FAILED_SIGN_IN_BOUND unless a test says otherwise. */
  readonly failureBound?: FailureBound;
}

/** `Omit` over each member of a union, so that the result is still a union of event types. */
type OmitEach<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

/**
 * An event as a domain service describes it: everything but what recording adds (id, time, context).
 * `sign_in.failed_suppressed` is the store's own (the flood bound's count), never recorded by hand.
 */
export type NewSecurityEvent = OmitEach<Exclude<SecurityEvent, { type: "sign_in.failed_suppressed" }>, "eventId" | "at" | "context">;

/** What of a stored credential names it in an event. */
export type DescribedCredential = Pick<StoredCredential, "credentialId" | "name" | "aaguid" | "transports" | "backupEligible">;

/** Bytes of an event id: random, so ids never collide and say nothing. */
const EVENT_ID_BYTES = 16;
/** The authenticator name of an event whose catalog failed (the catalog's contract says it never does). */
export const UNKNOWN_AUTHENTICATOR_NAME = "Unknown authenticator";

export class SecurityActivity {
  private readonly failureBound: FailureBound;

  constructor(private readonly deps: SecurityActivityDependencies) {
    this.failureBound = deps.failureBound ?? FAILED_SIGN_IN_BOUND;
  }

  /**
   * Stores the event in its user's trail and counts its outcome. `sign_in.failed` goes through the
   * flood bound (`appendFailure`). Never rejects: a store that throws gets the event reported as lost.
   */
  async record(event: NewSecurityEvent, context: RequestContext): Promise<void> {
    this.count(outcomeOf(event));
    let stamped: SecurityEvent;
    try {
      stamped = { ...event, eventId: toBase64Url(this.deps.random.bytes(EVENT_ID_BYTES)), at: this.deps.clock.now(), context: boundRequestContext(context) };
    } catch {
      // A random source or clock that throws is broken beyond anything an event could report; the
      // outcome is counted above, and the ceremony goes on.
      return;
    }
    try {
      if (stamped.type === "sign_in.failed") await this.deps.log.appendFailure(stamped, this.failureBound);
      else await this.deps.log.append(stamped);
    } catch (fault) {
      this.reportLost(stamped, fault);
    }
  }

  /**
   * `record` of an event about a passkey, named from its record: its name, and its authenticator's name
   * from the catalog. Never rejects (a catalog that fails names it UNKNOWN_AUTHENTICATOR_NAME).
   */
  async recordAbout(credential: DescribedCredential, event: (passkey: PasskeyReference) => NewSecurityEvent, context: RequestContext): Promise<void> {
    return this.record(event(await this.passkey(credential)), context);
  }

  /** Counts an outcome that has no user's event: an unknown credential or user, a sign-up's failure, any failure of a change. */
  count(outcome: CeremonyOutcome): void {
    try {
      this.deps.metrics.count(outcome);
    } catch {
      // The port must not throw; if it does, the count is lost and the ceremony is not.
    }
  }

  /** A page of the trail of the user `userHandle`, newest first (the log's `listForUser`: `limit` 1–100). */
  trailOf(userHandle: string, page: { readonly limit: number; readonly cursor: string | null }): Promise<Result<SecurityEventPage, ListEventsError>> {
    return this.deps.log.listForUser(userHandle, page);
  }

  /** How an event names a passkey. */
  async passkey(credential: DescribedCredential): Promise<PasskeyReference> {
    let authenticatorName = UNKNOWN_AUTHENTICATOR_NAME;
    try {
      const described = await this.deps.authenticators.describe(credential.aaguid, { transports: credential.transports, backupEligible: credential.backupEligible });
      authenticatorName = described.name;
    } catch {
      // The catalog's contract is to always answer; an event is not worth a failed ceremony if it does not.
    }
    return { credentialId: credential.credentialId, passkeyName: credential.name, authenticatorName };
  }

  private reportLost(event: SecurityEvent, fault: unknown): void {
    try {
      this.deps.lost.lost(event, fault);
    } catch {
      // The reporter is the last resort and must not throw; nothing is left to tell if it does.
    }
  }
}

/**
 * `work`'s value, once `recording` has settled too: the event is written beside the response work, and
 * both are done before the caller returns (a Lambda function is frozen when it returns, with whatever it
 * did not await). `recording` never rejects; if `work` does, its fault is thrown after the recording.
 */
export async function alongside<T>(recording: Promise<void>, work: Promise<T>): Promise<T> {
  try {
    return await work;
  } finally {
    await recording;
  }
}

/**
 * The value of a read made only to name an event's user, or `null` when the read fails: a store that
 * fails there must not fail what the event records (a sign-out that happened, a refresh whose rotated
 * token the client must receive). The event is then only counted, as for a user keyport does not know.
 */
export async function forTheRecord<T>(read: () => Promise<T | null>): Promise<T | null> {
  try {
    return await read();
  } catch {
    return null;
  }
}

/** What the operator counts for an event: its ceremony, succeeded or failed, and the failure's code. */
export function outcomeOf(event: NewSecurityEvent): CeremonyOutcome {
  switch (event.type) {
    case "registration.succeeded":
    case "passkey.added":
      return { ceremony: "registration", outcome: "succeeded" };
    case "registration.failed":
      return { ceremony: "registration", outcome: "failed", code: event.code };
    case "sign_in.succeeded":
      return { ceremony: "sign_in", outcome: "succeeded" };
    case "sign_in.failed":
      return { ceremony: "sign_in", outcome: "failed", code: event.code };
    case "passkey.renamed":
    case "passkey.disabled":
    case "passkey.enabled":
    case "passkey.deleted":
      return { ceremony: "passkey_management", outcome: "succeeded" };
    case "account.updated":
    case "account.deleted":
      return { ceremony: "account_management", outcome: "succeeded" };
    case "signed_out":
    case "signed_out_everywhere":
      return { ceremony: "sign_out", outcome: "succeeded" };
    case "token.refreshed":
      return { ceremony: "refresh", outcome: "succeeded" };
  }
}
