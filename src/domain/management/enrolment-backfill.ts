/**
 * The operator's backfill of PASSKEY_ENROLLED_ATTRIBUTE (ADR 0023): for every user of the credential
 * store, the identity provider's attribute is set to what the store says, "has at least one enabled
 * passkey". Users who registered passkeys before keyport kept the attribute have none, which
 * DefineAuthChallenge reads as "no passkey": run this before a pool moves to SECOND_FACTOR=if-enrolled
 * or required.
 *
 * - The same read and the same writes as every passkey change: the user's credentials
 *   (`listCredentials`, `hasEnabledPasskey`), then `settlePasskeyEnrolled` (passkey-enrolment.ts), which
 *   follows a `"false"` with a second read and puts `"true"` back should a passkey have been registered
 *   meanwhile. So it is safe while the service is live: a concurrent change of the user's passkeys ends
 *   with the store's value, as two concurrent changes do.
 * - Idempotent: each write sets a value, and running it again writes the same values.
 * - Resumable: users are listed page by page (`CredentialStore.listUsers`); the cursor of each page is
 *   reported, and a run given one starts there. A listing that fails stops the run with the cursor to
 *   resume from; a user whose read or write fails is reported and skipped (run again for them).
 * - A dry run reads and reports what it would write, and writes nothing.
 */
import type { CredentialStore } from "../../ports/credential-store.js";
import type { IdentityProvider, UpdateUserError } from "../../ports/identity-provider.js";
import type { UserAccount } from "../model.js";
import { err, ok, type Result } from "../result.js";
import { hasEnabledPasskey, settlePasskeyEnrolled } from "./passkey-enrolment.js";

export interface EnrolmentBackfillDependencies {
  /** `findUserByIdentity` is not called here: `settlePasskeyEnrolled` shares its type with the refusal path. */
  readonly credentials: Pick<CredentialStore, "listUsers" | "listCredentials" | "findUserByIdentity">;
  readonly identityProvider: Pick<IdentityProvider, "setPasskeyEnrolled">;
}

export interface EnrolmentBackfillOptions {
  /** Read and report, write nothing. */
  readonly dryRun: boolean;
  /** The cursor a previous run reported, to resume after it; `null` (the default) starts at the first user. */
  readonly from?: string | null;
  /** Users listed per page (1–1000; 100 by default). */
  readonly pageSize?: number;
  /** Users of a page handled at once (1 by default); each costs one or two identity-provider writes. */
  readonly concurrency?: number;
  /** Each user's outcome, as it is known. */
  readonly onUser?: (user: UserAccount, outcome: BackfillUserOutcome) => void;
  /** After each page: the cursor to resume from (null: nothing left) and the counts so far. */
  readonly onPage?: (progress: { readonly nextCursor: string | null; readonly summary: BackfillSummary }) => void;
}

/**
 * What became of one user. `set`: the attribute now says `enrolled` (in a dry run: would be set to it).
 * `failed`: the store could not be read for them (`store_unavailable`) or a write failed (the identity
 * provider's code, `identity_provider_unavailable` for one that threw as well); the attribute is then
 * as it was, or `"false"` when only the `"true"` after a `"false"` failed (a passkey was registered
 * during the run, and its registration's own writes set it too).
 */
export type BackfillUserOutcome =
  | { readonly kind: "set"; readonly enrolled: boolean }
  | { readonly kind: "failed"; readonly reason: "store_unavailable" | UpdateUserError };

export interface BackfillSummary {
  readonly seen: number;
  readonly setTrue: number;
  readonly setFalse: number;
  readonly failed: number;
}

/**
 * The run's end: `finished` once every user was listed; otherwise a listing failed (`fault`, as thrown),
 * and `resumeFrom` is the cursor to give `from` to go on (`null`: from the first user).
 */
export type BackfillReport =
  | { readonly finished: true; readonly summary: BackfillSummary }
  | { readonly finished: false; readonly summary: BackfillSummary; readonly resumeFrom: string | null; readonly fault: unknown };

const DEFAULT_PAGE_SIZE = 100;
const MAX_CONCURRENCY = 32;

/**
 * Sets the passkey-enrolled attribute of every user of the store from their credentials (or, with
 * `dryRun`, reports what it would set). `cursor_invalid` when `from` is not a cursor of this store, and
 * nothing is done then. Rejects only for a caller's mistake (a page size or concurrency out of range).
 */
export async function backfillPasskeyEnrolled(deps: EnrolmentBackfillDependencies, options: EnrolmentBackfillOptions): Promise<Result<BackfillReport, "cursor_invalid">> {
  const concurrency = options.concurrency ?? 1;
  if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > MAX_CONCURRENCY) {
    throw new RangeError(`concurrency ${concurrency} is not a whole number from 1 to ${MAX_CONCURRENCY}`);
  }
  const limit = options.pageSize ?? DEFAULT_PAGE_SIZE;
  const summary = { seen: 0, setTrue: 0, setFalse: 0, failed: 0 };
  let cursor = options.from ?? null;
  for (let first = true; ; first = false) {
    let page;
    try {
      page = await deps.credentials.listUsers({ limit, cursor });
    } catch (fault) {
      // A RangeError is the caller's page size, not the store's fault.
      if (fault instanceof RangeError) throw fault;
      return ok({ finished: false, summary: { ...summary }, resumeFrom: cursor, fault });
    }
    if (!page.ok) {
      // Only the first cursor is the caller's; the store's own are never refused.
      if (first) return err(page.error);
      throw new Error(`listUsers refused its own cursor (${page.error})`);
    }
    await eachAtOnce(page.value.users, concurrency, async (user) => {
      const outcome = await backfillUser(deps, user, options.dryRun);
      summary.seen++;
      if (outcome.kind === "failed") summary.failed++;
      else if (outcome.enrolled) summary.setTrue++;
      else summary.setFalse++;
      options.onUser?.(user, outcome);
    });
    cursor = page.value.nextCursor;
    options.onPage?.({ nextCursor: cursor, summary: { ...summary } });
    if (cursor === null) return ok({ finished: true, summary: { ...summary } });
  }
}

/** One user: the read, then (unless a dry run) the writes every passkey change makes. Never rejects. */
async function backfillUser(deps: EnrolmentBackfillDependencies, user: UserAccount, dryRun: boolean): Promise<BackfillUserOutcome> {
  let credentials;
  try {
    credentials = await deps.credentials.listCredentials(user.userHandle);
  } catch {
    return { kind: "failed", reason: "store_unavailable" };
  }
  if (dryRun) return { kind: "set", enrolled: hasEnabledPasskey(credentials) };

  // settlePasskeyEnrolled reports no outcome (a failed write is only counted): its writes are watched
  // here. The last write that succeeded is the attribute's value; any that failed fails the user.
  const watched: { written: boolean | null; failure: UpdateUserError | null } = { written: null, failure: null };
  const identityProvider: EnrolmentBackfillDependencies["identityProvider"] = {
    async setPasskeyEnrolled(identityUserId, enrolled) {
      try {
        const result = await deps.identityProvider.setPasskeyEnrolled(identityUserId, enrolled);
        if (result.ok) watched.written = enrolled;
        else watched.failure = result.error;
        return result;
      } catch (fault) {
        watched.failure = "identity_provider_unavailable";
        throw fault;
      }
    },
  };
  await settlePasskeyEnrolled({ credentials: deps.credentials, identityProvider, activity: { count: () => {} } }, user, credentials, "passkey_management");
  if (watched.failure !== null) return { kind: "failed", reason: watched.failure };
  // settlePasskeyEnrolled always writes once at least, and each write succeeds or fails.
  return watched.written === null ? { kind: "failed", reason: "identity_provider_unavailable" } : { kind: "set", enrolled: watched.written };
}

/** Runs `work` on every item, at most `concurrency` at once, and resolves when all are done. */
async function eachAtOnce<T>(items: readonly T[], concurrency: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const item = items[next++];
      if (item !== undefined) await work(item);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker));
}
