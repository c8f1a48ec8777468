import type { CeremonySession } from "../domain/model.js";

/**
 * How long every store keeps a session after its `expiresAt`, so that a late finish is told
 * `session_expired` (docs/api.md) rather than `session_not_found`, whatever the storage. After this a
 * store may drop it.
 */
export const EXPIRED_SESSION_RETENTION_MS = 15 * 60_000;

/**
 * Holds ceremony sessions (challenges) between the start and the finish of a ceremony.
 * Sessions are single-use: that is what makes a challenge unreplayable (ADR 0004).
 */
export interface SessionStore {
  /**
   * Stores `session` under `session.id` until `session.expiresAt`.
   * Never overwrites: resolves `"exists"` and leaves the stored session untouched when the id is taken.
   */
  save(session: CeremonySession): Promise<"saved" | "exists">;

  /**
   * Removes the session and returns it, atomically: of any number of concurrent calls for one id,
   * exactly one receives the session and the others `null`. Returns `null` for an unknown id.
   * A session past its `expiresAt` is still returned for at least EXPIRED_SESSION_RETENTION_MS after
   * it (stores delete lazily); callers check expiry against their Clock.
   */
  consume(id: string): Promise<CeremonySession | null>;
}
