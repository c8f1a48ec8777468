/**
 * The local identity provider's refresh tokens, kept where the configured storage keeps everything else
 * (memory, or DynamoDB, where they survive a restart). Amazon Cognito keeps its own; nothing else reads
 * this port.
 *
 * A grant is one sign-in of one user (Cognito's `origin_jti`): every refresh token rotated from it shares
 * it, so a sign-out with any of them ends them all. The store never sees a token, only its hash
 * (SHA-256, base64url, computed by the provider), so that a copy of the store refreshes nothing.
 */

export interface RefreshGrant {
  /** The sign-in's `origin_jti`: random, unique, the key. */
  readonly grantId: string;
  /** The provider's username the tokens are for. */
  readonly username: string;
  /** The sign-in's `auth_time`, seconds since the epoch; kept through refreshes. */
  readonly authTime: number;
  /** When every token of the grant stops refreshing, milliseconds since the epoch; rotation keeps it. */
  readonly expiresAt: number;
}

/** Why a rotation was refused; the provider answers all of them alike (`refresh_token_invalid`). */
export type RotationRefusal = "unknown" | "not_live" | "revoked" | "expired";

/**
 * Holds refresh grants. Expected outcomes are values; a store out of reach throws
 * `StorageUnavailableError` (ADR 0003), and nothing is half-written then.
 */
export interface RefreshGrantStore {
  /**
   * Stores a new grant whose live token has hash `tokenHash`. Never overwrites: `"exists"` when the
   * grant id is taken (ids are random; a second create is a bug or a retry of the same write).
   */
  create(grant: RefreshGrant, tokenHash: string): Promise<"created" | "exists">;

  /**
   * Rotation, atomically: when `tokenHash` is the grant's live token, the grant is not revoked and `now`
   * (ms) is before its `expiresAt`, `newTokenHash` becomes the live token, `tokenHash` is remembered as
   * spent (for `revoke`), and the grant is returned. Of any number of concurrent rotations with one token
   * exactly one succeeds. Otherwise nothing changes and the refusal says why.
   */
  rotate(grantId: string, tokenHash: string, newTokenHash: string, now: number): Promise<RefreshGrant | RotationRefusal>;

  /**
   * Whether the grant still stands at `now` (ms): `"live"`, or why not. Strongly consistent: a `revoke`
   * or `revokeAllOf` that completed before is seen. For checks that present no refresh token, such as
   * whether an access token's sign-in was ended (Cognito's GetUser after a sign-out).
   */
  status(grantId: string, now: number): Promise<"live" | "revoked" | "expired" | "unknown">;

  /**
   * Revokes the grant when `tokenHash` is its live token or one it has spent (at least its last 20),
   * whatever the grant's state: no token of it refreshes again, nor does a rotation under way succeed
   * afterwards. `"revoked"` also when it already was; `"unknown"` when the grant or the token is not
   * known (RFC 7009: the caller answers success either way).
   */
  revoke(grantId: string, tokenHash: string): Promise<"revoked" | "unknown">;

  /** Revokes every grant of the user (global sign-out, account deletion). Idempotent. */
  revokeAllOf(username: string): Promise<void>;
}
