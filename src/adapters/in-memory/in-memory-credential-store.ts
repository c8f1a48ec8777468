import type { AuthenticationUpdate, StoredCredential, UserAccount } from "../../domain/model.js";
import type { AddCredentialOutcome, CredentialStore, RecordAuthenticationOutcome } from "../../ports/credential-store.js";

/**
 * Credentials and user links in Maps. Each method does all its reads and writes without awaiting in
 * between, which makes every method atomic (all-or-nothing, compare-and-set) in one process.
 * Records are copied in and out, so callers can never mutate what is stored.
 */
export class InMemoryCredentialStore implements CredentialStore {
  private readonly credentials = new Map<string, StoredCredential>();
  private readonly byUser = new Map<string, string[]>();
  private readonly usersByHandle = new Map<string, UserAccount>();
  private readonly usersByIdentity = new Map<string, UserAccount>();
  private readonly usersByUsername = new Map<string, UserAccount>();

  async add(credential: StoredCredential, newUser?: UserAccount): Promise<AddCredentialOutcome> {
    if (this.credentials.has(credential.credentialId)) return "credential_exists";
    if (newUser !== undefined && (this.usersByHandle.has(newUser.userHandle) || this.usersByIdentity.has(newUser.identityUserId))) {
      return "user_exists";
    }
    if (newUser !== undefined && this.usersByUsername.has(newUser.usernameKey)) return "username_taken";
    if (newUser !== undefined) {
      this.usersByHandle.set(newUser.userHandle, { ...newUser });
      this.usersByIdentity.set(newUser.identityUserId, { ...newUser });
      this.usersByUsername.set(newUser.usernameKey, { ...newUser });
    }
    this.credentials.set(credential.credentialId, copy(credential));
    const ids = this.byUser.get(credential.userHandle) ?? [];
    ids.push(credential.credentialId);
    this.byUser.set(credential.userHandle, ids);
    return "added";
  }

  async findCredential(credentialId: string): Promise<StoredCredential | null> {
    const found = this.credentials.get(credentialId);
    return found === undefined ? null : copy(found);
  }

  async listCredentials(userHandle: string): Promise<StoredCredential[]> {
    return (this.byUser.get(userHandle) ?? []).map((id) => copy(this.credentials.get(id)!));
  }

  async recordAuthentication(credentialId: string, expectedCounter: number, update: AuthenticationUpdate): Promise<RecordAuthenticationOutcome> {
    const current = this.credentials.get(credentialId);
    if (current === undefined || current.counter !== expectedCounter) return "conflict";
    this.credentials.set(credentialId, { ...current, counter: update.counter, backupState: update.backupState, lastUsedAt: update.lastUsedAt });
    return "recorded";
  }

  async findUserByHandle(userHandle: string): Promise<UserAccount | null> {
    const user = this.usersByHandle.get(userHandle);
    return user === undefined ? null : { ...user };
  }

  async findUserByUsername(usernameKey: string): Promise<UserAccount | null> {
    const user = this.usersByUsername.get(usernameKey);
    return user === undefined ? null : { ...user };
  }

  async findUserByIdentity(identityUserId: string): Promise<UserAccount | null> {
    const user = this.usersByIdentity.get(identityUserId);
    return user === undefined ? null : { ...user };
  }
}

function copy(credential: StoredCredential): StoredCredential {
  return { ...credential, publicKey: credential.publicKey.slice(), transports: [...credential.transports] };
}
