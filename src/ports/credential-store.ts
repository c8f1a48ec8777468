import type { AuthenticationUpdate, StoredCredential, UserAccount } from "../domain/model.js";
import type { Result } from "../domain/result.js";

export type AddCredentialOutcome = "added" | "credential_exists" | "user_exists" | "username_taken" | "name_taken" | "user_not_found";
export type RecordAuthenticationOutcome = "recorded" | "conflict";
/** The updated credential, or why nothing was written. */
export type UpdateCredentialOutcome = StoredCredential | "not_found" | "name_taken" | "last_credential";
export type DeleteCredentialOutcome = "deleted" | "not_found" | "last_credential";
/** The updated user, or why nothing was written. */
export type UpdateUserOutcome = UserAccount | "not_found" | "username_taken";
export type DeleteUserOutcome = "deleted" | "not_found";

/** One page of `listUsers`. */
export interface UserPage {
  readonly users: readonly UserAccount[];
  /** Opaque; hand it back for the next page. `null` once every user has been listed. */
  readonly nextCursor: string | null;
}

/** A change to a credential's user-facing state; at least one field. */
export interface CredentialChange {
  /** Already prepared (names.ts `preparePasskeyName`). */
  readonly name?: string;
  readonly enabled?: boolean;
}

/** A change to a user's profile; at least one field. Names are already prepared (names.ts). */
export interface ProfileChange {
  readonly username?: { readonly username: string; readonly usernameKey: string };
  readonly displayName?: string;
}

/**
 * The lock-out rule a change must keep, decided by the domain from the account's origin:
 * `keepOneEnabled` — the change must not leave the user without an enabled credential.
 */
export interface LockoutRule {
  readonly keepOneEnabled: boolean;
}

/** Registered passkeys and the users they belong to. */
export interface CredentialStore {
  /**
   * Adds a credential and, when `newUser` is given, the user it belongs to, all or nothing.
   * - `"credential_exists"` when any user already has a credential with this id;
   * - `"user_exists"` when `newUser`'s handle or identity user is already linked;
   * - `"username_taken"` when another user already has `newUser.usernameKey` (usernames are unique by
   *   their canonical form; the check and the write are one atomic step, so of two concurrent sign-ups
   *   with one username exactly one is added).
   * - `"name_taken"` when the user already has a credential whose name has the same `passkeyNameKey`
   *   (names.ts) as `credential.name` (checked atomically with the write, as usernames are);
   * - `"user_not_found"` when `newUser` is not given and no user has `credential.userHandle` (the account
   *   was deleted between a registration's start and its finish).
   * On any of these, nothing is written.
   */
  add(credential: StoredCredential, newUser?: UserAccount): Promise<AddCredentialOutcome>;

  /** The credential with this id, whoever owns it, or `null`. */
  findCredential(credentialId: string): Promise<StoredCredential | null>;

  /** Every credential of the user with this handle (all pages), oldest first; `[]` for an unknown user. */
  listCredentials(userHandle: string): Promise<StoredCredential[]>;

  /**
   * Records a successful authentication, only if the stored counter still equals
   * `expectedCounter` (compare-and-set), so that racing sign-ins can never move it backwards.
   * `"conflict"` when it changed meanwhile, the credential is disabled, or it is gone; nothing is written then.
   */
  recordAuthentication(credentialId: string, expectedCounter: number, update: AuthenticationUpdate): Promise<RecordAuthenticationOutcome>;

  /**
   * Changes the name and/or the enabled state of the credential `credentialId` of the user `userHandle`,
   * atomically with its checks:
   * - `"not_found"` when no such credential exists *for this user* (another user's is not found either);
   * - `"name_taken"` when another credential of the user has the new name's `passkeyNameKey` (renaming a
   *   credential to its own name in another case is allowed);
   * - `"last_credential"` when `rule.keepOneEnabled` and the change would disable the user's last enabled
   *   credential. Under concurrency the rule holds: of two concurrent disables of a user's last two
   *   enabled credentials, exactly one succeeds.
   * Setting a value it already has is a success that writes nothing new.
   */
  updateCredential(userHandle: string, credentialId: string, change: CredentialChange, rule: LockoutRule): Promise<UpdateCredentialOutcome>;

  /**
   * Deletes the credential `credentialId` of the user `userHandle` and everything that points at it, all or
   * nothing. `"not_found"` as for `updateCredential`; `"last_credential"` when `rule.keepOneEnabled` and it
   * is the user's last enabled credential. Of two concurrent deletes of a user's last two enabled
   * credentials (under `keepOneEnabled`), exactly one succeeds. Deleting a disabled credential never
   * breaks the rule. Once deleted, `findCredential` (strongly consistent) answers `null`.
   */
  deleteCredential(userHandle: string, credentialId: string, rule: LockoutRule): Promise<DeleteCredentialOutcome>;

  /**
   * Changes the user's username and/or display name, on every record of the user, atomically.
   * `"username_taken"` when another user has the new `usernameKey` (the user's own key is no conflict:
   * a change of case is allowed); the old username's key is free for others once this returns.
   * `"not_found"` for an unknown handle.
   */
  updateUser(userHandle: string, change: ProfileChange): Promise<UpdateUserOutcome>;

  /**
   * Deletes the user and every credential of theirs, with everything that points at them; the username
   * becomes free. Idempotent and resumable: a call that failed half-way (a fault is thrown) may be
   * repeated and finishes the job. Credentials go first and the user records last, so that while any
   * credential remains the user record remains too, and a retry finds both. `"not_found"` when there is
   * neither user nor credential.
   */
  deleteUser(userHandle: string): Promise<DeleteUserOutcome>;

  /** The user with this WebAuthn user handle, or `null`. */
  findUserByHandle(userHandle: string): Promise<UserAccount | null>;

  /** The user whose username has this canonical form (`usernameKey`, names.ts), or `null`. */
  findUserByUsername(usernameKey: string): Promise<UserAccount | null>;

  /** The user linked to this identity-provider user, or `null`. */
  findUserByIdentity(identityUserId: string): Promise<UserAccount | null>;

  /**
   * Every user, page by page, for the operator's tools (the passkey-enrolled backfill, ADR 0023); no
   * request of a user's reads it. At most `limit` (1–1000, else a RangeError) users per page,
   * after `cursor` (from a previous page of this store; `null` for the first; a malformed one is
   * `cursor_invalid`). The order is the store's own; while no user is added or deleted it is the same
   * for every listing, whatever the page size. A user who exists from the first page to the last is
   * listed exactly once, also when users are added or deleted in between (the cursor's own user
   * included); one added or deleted meanwhile may or may not be. Each user is listed with every field,
   * as `findUserByHandle` answers, whether or not they have credentials. A page holds fewer than `limit`
   * users only when it is the last, which may then be empty.
   */
  listUsers(page: { readonly limit: number; readonly cursor: string | null }): Promise<Result<UserPage, "cursor_invalid">>;
}
