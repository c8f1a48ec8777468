import type { AuthenticationUpdate, StoredCredential, UserAccount } from "../domain/model.js";

export type AddCredentialOutcome = "added" | "credential_exists" | "user_exists" | "username_taken";
export type RecordAuthenticationOutcome = "recorded" | "conflict";

/** Registered passkeys and the users they belong to. */
export interface CredentialStore {
  /**
   * Adds a credential and, when `newUser` is given, the user it belongs to, all or nothing.
   * - `"credential_exists"` when any user already has a credential with this id;
   * - `"user_exists"` when `newUser`'s handle or identity user is already linked;
   * - `"username_taken"` when another user already has `newUser.usernameKey` (usernames are unique by
   *   their canonical form; the check and the write are one atomic step, so of two concurrent sign-ups
   *   with one username exactly one is added).
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
   * `"conflict"` when it changed meanwhile or the credential is gone; nothing is written then.
   */
  recordAuthentication(credentialId: string, expectedCounter: number, update: AuthenticationUpdate): Promise<RecordAuthenticationOutcome>;

  /** The user with this WebAuthn user handle, or `null`. */
  findUserByHandle(userHandle: string): Promise<UserAccount | null>;

  /** The user whose username has this canonical form (`usernameKey`, names.ts), or `null`. */
  findUserByUsername(usernameKey: string): Promise<UserAccount | null>;

  /** The user linked to this identity-provider user, or `null`. */
  findUserByIdentity(identityUserId: string): Promise<UserAccount | null>;
}
