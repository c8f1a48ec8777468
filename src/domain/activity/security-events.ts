/**
 * Security activity as domain values (issue 12): what happened to a user's account, when, with which
 * passkey, and from where. A closed union, so that the HTTP answer, the stores and the demo page can
 * never meet a type they do not know.
 */
import type { EpochMillis } from "../model.js";

/** What the shell knows about the request behind an event; each `null` when it does not know. */
export interface RequestContext {
  readonly sourceIp: string | null;
  readonly userAgent: string | null;
  readonly correlationId: string | null;
}

/** The context of an event with no request behind it that keyport could see. */
export const UNKNOWN_REQUEST_CONTEXT: RequestContext = { sourceIp: null, userAgent: null, correlationId: null };

/** The passkey an event is about, as the user knows it. */
export interface PasskeyReference {
  readonly credentialId: string;
  /** The passkey's name (its user-given name, or the default from its authenticator). */
  readonly passkeyName: string;
  /** The authenticator's name from the catalog (a hint: what the AAGUID claims). */
  readonly authenticatorName: string;
}

/** Every event type, in the order the account page groups them. */
export const SECURITY_EVENT_TYPES = [
  "registration.succeeded",
  "registration.failed",
  "sign_in.succeeded",
  "sign_in.failed",
  /**
   * Failed sign-ins beyond the bound of one window (`FAILED_SIGN_IN_BOUND`), counted instead of stored
   * one by one: one such event per user and window, whose `count` grows.
   */
  "sign_in.failed_suppressed",
  "passkey.added",
  "passkey.renamed",
  "passkey.disabled",
  "passkey.enabled",
  "passkey.deleted",
  "account.updated",
  "account.deleted",
  "signed_out",
  "signed_out_everywhere",
  "token.refreshed",
] as const;
export type SecurityEventType = (typeof SECURITY_EVENT_TYPES)[number];

/** What every event has. */
interface EventBase {
  /** Unique, random; an append of an event with an id already stored is a no-op (idempotent retry). */
  readonly eventId: string;
  readonly at: EpochMillis;
  /** The WebAuthn user handle of the user whose trail this is. */
  readonly userHandle: string;
  readonly context: RequestContext;
}

type WithPasskey = EventBase & PasskeyReference;

export type SecurityEvent =
  | (WithPasskey & { readonly type: "registration.succeeded" })
  /** A signed-in user's registration that failed (a sign-up that failed has no user yet: operator counts only). */
  | (EventBase & { readonly type: "registration.failed"; readonly code: string })
  | (WithPasskey & { readonly type: "sign_in.succeeded" })
  /** Only when the credential presented is this user's: an unknown credential or user records no user event. */
  | (WithPasskey & { readonly type: "sign_in.failed"; readonly code: string })
  | (EventBase & { readonly type: "sign_in.failed_suppressed"; readonly count: number; readonly windowStart: EpochMillis; readonly windowEnd: EpochMillis })
  | (WithPasskey & { readonly type: "passkey.added" })
  | (WithPasskey & { readonly type: "passkey.renamed"; readonly previousName: string })
  | (WithPasskey & { readonly type: "passkey.disabled" })
  | (WithPasskey & { readonly type: "passkey.enabled" })
  | (WithPasskey & { readonly type: "passkey.deleted" })
  | (EventBase & { readonly type: "account.updated"; readonly changed: readonly ("username" | "displayName")[] })
  | (EventBase & { readonly type: "account.deleted" })
  | (EventBase & { readonly type: "signed_out" })
  | (EventBase & { readonly type: "signed_out_everywhere" })
  | (EventBase & { readonly type: "token.refreshed" });

/** The bound on failed-sign-in events stored per user and window (issue 12 point 3). */
export interface FailureBound {
  /** Length of a window; windows are aligned to multiples of it since the epoch. */
  readonly windowMs: number;
  /** Failed-sign-in events stored per user and window; beyond it, they are only counted. */
  readonly limit: number;
}

/** The default bound: 20 failed sign-ins per user and hour are stored one by one, the rest counted. */
export const FAILED_SIGN_IN_BOUND: FailureBound = { windowMs: 60 * 60 * 1000, limit: 20 };

/** The outcome of a ceremony or change, for the operator's counts (no user, no personal data). */
export interface CeremonyOutcome {
  readonly ceremony: "registration" | "sign_in" | "refresh" | "passkey_management" | "account_management" | "sign_out";
  readonly outcome: "succeeded" | "failed";
  /** The error code of a failure, as the HTTP API reports it. */
  readonly code?: string;
}
