/**
 * How the local user pool keeps a password for USER_PASSWORD_AUTH: a slow, salted, self-describing
 * hash (PasswordCredential.hash). An interface of the local-identity adapter rather than a port: only
 * LocalUserPool uses it, and it is given one so that it runs on any runtime that offers a hash
 * (ScryptPasswordHasher is Node's).
 */
export interface PasswordHasher {
  /** The password's hash, with everything needed to check it (algorithm, parameters, salt). */
  hash(password: string): Promise<string>;
  /**
   * Whether `password` is the one `encoded` was made from, compared in constant time. False, not a
   * throw, for an `encoded` this hasher cannot read.
   */
  verify(password: string, encoded: string): Promise<boolean>;
}
