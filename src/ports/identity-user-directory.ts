/**
 * The users of keyport's local identity provider (src/adapters/local-identity), kept where the
 * configured storage keeps everything else (STORAGE: memory or DynamoDB), so that with DynamoDB they
 * outlive the process and a passkey registered before a restart still signs in after it. Amazon
 * Cognito keeps its own users; nothing else reads this port.
 */

/**
 * A user of the local identity provider, as its tokens describe it. The username and `sub` never change
 * once created; the attributes change only through `updateAttributes` (a profile update).
 */
export interface IdentityUser {
  /** The provider's username (`cognito:username`): for passkey sign-ups the WebAuthn user handle. The key. */
  readonly username: string;
  /** The subject (`sub`) of the user's tokens, drawn once at creation. */
  readonly sub: string;
  /** Further claims of the ID token, as Cognito's user attributes: `preferred_username`, `name`. */
  readonly attributes: Readonly<Record<string, string>>;
  /**
   * The user's password, for a user who signed up with one (the local Cognito API's SignUp); absent for
   * passkey sign-ups. Never a claim of any token, never logged.
   */
  readonly password?: PasswordCredential;
}

/**
 * What the local identity provider keeps of a password (ADR 0024): never the password itself.
 * `hash` checks a password given in clear (USER_PASSWORD_AUTH); `srpSalt` and `srpVerifier` are what
 * Cognito's SRP-6a variant needs (USER_SRP_AUTH, CUSTOM_AUTH with SRP_A), fixed by the protocol:
 * v = g^x mod N with x = SHA-256(salt | SHA-256(poolName | username | ":" | password)).
 */
export interface PasswordCredential {
  /** The password hashed with a memory-hard KDF, self-describing (algorithm, parameters, salt, hash). */
  readonly hash: string;
  /** The SRP salt, as lower-case hex. */
  readonly srpSalt: string;
  /** The SRP verifier v, as lower-case hex. */
  readonly srpVerifier: string;
}

/**
 * Holds the local identity provider's users. Expected outcomes are values; a store out of reach throws
 * `StorageUnavailableError` (ADR 0003), and nothing is half-written then.
 */
export interface IdentityUserDirectory {
  /**
   * Adds `user` if no user has its username, atomically: of any number of concurrent calls for one
   * username exactly one answers `"created"`, the others `"exists"`, and the stored user is never
   * overwritten.
   */
  create(user: IdentityUser): Promise<"created" | "exists">;

  /** The user with this username, or `null`. Reads what any completed `create` wrote (strongly consistent). */
  find(username: string): Promise<IdentityUser | null>;

  /**
   * Sets the named attributes of the user with this username, atomically, and keeps its other attributes,
   * its username and its `sub`: e.g. `{ preferred_username, name }` for a profile update. `"not_found"`
   * when there is no such user, and then nothing is written: an update never creates a user, nor brings
   * back one deleted while it ran. Of concurrent updates of one attribute, one value wins whole. Tokens
   * issued afterwards carry the new values (a `find` after this returns reads them). No uniqueness is kept
   * here: keyport's credential store is the authority on usernames (ADR 0017).
   */
  updateAttributes(username: string, attributes: Readonly<Record<string, string>>): Promise<"updated" | "not_found">;

  /** Removes the user with this username. Idempotent: an unknown username is not an error. */
  delete(username: string): Promise<void>;
}
