import { passkeyNameKey } from "../../domain/ceremonies/names.js";
import type { AuthenticationUpdate, StoredCredential, UserAccount } from "../../domain/model.js";
import { err, ok, type Result } from "../../domain/result.js";
import type {
  AddCredentialOutcome,
  CredentialChange,
  CredentialStore,
  DeleteCredentialOutcome,
  DeleteUserOutcome,
  LockoutRule,
  ProfileChange,
  RecordAuthenticationOutcome,
  UpdateCredentialOutcome,
  UpdateUserOutcome,
  UserPage,
} from "../../ports/credential-store.js";
import { checkUserPageLimit, decodeUserCursor, encodeUserCursor } from "../common/user-cursor.js";

/**
 * Credentials and users in Maps. Each method does all its reads and writes without awaiting in
 * between, which makes every method atomic (all-or-nothing, compare-and-set, check-then-write) in one
 * process: two concurrent calls can only run one after the other, so the lock-out rule and the
 * uniqueness of names hold under concurrency without locks.
 * Records are copied in and out, so callers can never mutate what is stored.
 */
export class InMemoryCredentialStore implements CredentialStore {
  private readonly credentials = new Map<string, StoredCredential>();
  /** A user's credential ids, oldest first (in the order they were added). */
  private readonly byUser = new Map<string, string[]>();
  private readonly usersByHandle = new Map<string, UserAccount>();
  /** identityUserId → userHandle */
  private readonly handlesByIdentity = new Map<string, string>();
  /** usernameKey → userHandle */
  private readonly handlesByUsername = new Map<string, string>();

  async add(credential: StoredCredential, newUser?: UserAccount): Promise<AddCredentialOutcome> {
    if (newUser !== undefined && newUser.userHandle !== credential.userHandle) {
      throw new RangeError("a new user's first credential must be theirs (credential.userHandle differs from newUser.userHandle)");
    }
    if (this.credentials.has(credential.credentialId)) return "credential_exists";
    if (newUser !== undefined && (this.usersByHandle.has(newUser.userHandle) || this.handlesByIdentity.has(newUser.identityUserId))) {
      return "user_exists";
    }
    if (newUser !== undefined && this.handlesByUsername.has(newUser.usernameKey)) return "username_taken";
    if (newUser === undefined && !this.usersByHandle.has(credential.userHandle)) return "user_not_found";
    if (this.nameTaken(credential.userHandle, credential.name, null)) return "name_taken";
    if (newUser !== undefined) this.putUser(newUser);
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
    return this.credentialsOf(userHandle).map(copy);
  }

  async recordAuthentication(credentialId: string, expectedCounter: number, update: AuthenticationUpdate): Promise<RecordAuthenticationOutcome> {
    const current = this.credentials.get(credentialId);
    // A credential disabled since the sign-in read it records nothing: the disable wins the race.
    if (current === undefined || !current.enabled || current.counter !== expectedCounter) return "conflict";
    this.credentials.set(credentialId, { ...current, counter: update.counter, backupState: update.backupState, lastUsedAt: update.lastUsedAt });
    return "recorded";
  }

  async updateCredential(userHandle: string, credentialId: string, change: CredentialChange, rule: LockoutRule): Promise<UpdateCredentialOutcome> {
    const current = this.ownCredential(userHandle, credentialId);
    if (current === null) return "not_found";
    const name = change.name ?? current.name;
    const enabled = change.enabled ?? current.enabled;
    if (this.nameTaken(userHandle, name, credentialId)) return "name_taken";
    if (rule.keepOneEnabled && current.enabled && !enabled && this.enabledCount(userHandle) <= 1) return "last_credential";
    const updated = { ...current, name, enabled };
    this.credentials.set(credentialId, updated);
    return copy(updated);
  }

  async deleteCredential(userHandle: string, credentialId: string, rule: LockoutRule): Promise<DeleteCredentialOutcome> {
    const current = this.ownCredential(userHandle, credentialId);
    if (current === null) return "not_found";
    if (rule.keepOneEnabled && current.enabled && this.enabledCount(userHandle) <= 1) return "last_credential";
    this.credentials.delete(credentialId);
    this.byUser.set(userHandle, (this.byUser.get(userHandle) ?? []).filter((id) => id !== credentialId));
    return "deleted";
  }

  async updateUser(userHandle: string, change: ProfileChange): Promise<UpdateUserOutcome> {
    const user = this.usersByHandle.get(userHandle);
    if (user === undefined) return "not_found";
    const updated: UserAccount = {
      ...user,
      username: change.username?.username ?? user.username,
      usernameKey: change.username?.usernameKey ?? user.usernameKey,
      displayName: change.displayName ?? user.displayName,
    };
    const holder = this.handlesByUsername.get(updated.usernameKey);
    if (holder !== undefined && holder !== userHandle) return "username_taken";
    if (this.handlesByUsername.get(user.usernameKey) === userHandle) this.handlesByUsername.delete(user.usernameKey);
    this.putUser(updated);
    return { ...updated };
  }

  async deleteUser(userHandle: string): Promise<DeleteUserOutcome> {
    const user = this.usersByHandle.get(userHandle);
    const ids = this.byUser.get(userHandle) ?? [];
    if (user === undefined && ids.length === 0) return "not_found";
    for (const id of ids) this.credentials.delete(id);
    this.byUser.delete(userHandle);
    if (user !== undefined) {
      this.usersByHandle.delete(userHandle);
      // Only the user's own entries: a key held by someone else is theirs to keep.
      if (this.handlesByIdentity.get(user.identityUserId) === userHandle) this.handlesByIdentity.delete(user.identityUserId);
      if (this.handlesByUsername.get(user.usernameKey) === userHandle) this.handlesByUsername.delete(user.usernameKey);
    }
    return "deleted";
  }

  async findUserByHandle(userHandle: string): Promise<UserAccount | null> {
    return this.userCopy(userHandle);
  }

  async findUserByUsername(usernameKey: string): Promise<UserAccount | null> {
    return this.userCopy(this.handlesByUsername.get(usernameKey));
  }

  async findUserByIdentity(identityUserId: string): Promise<UserAccount | null> {
    return this.userCopy(this.handlesByIdentity.get(identityUserId));
  }

  /** Users in the order of their handles (code units), so that a cursor holds its place whoever is added or deleted. */
  async listUsers(page: { readonly limit: number; readonly cursor: string | null }): Promise<Result<UserPage, "cursor_invalid">> {
    checkUserPageLimit(page.limit);
    const after = page.cursor === null ? null : decodeUserCursor(page.cursor);
    if (page.cursor !== null && after === null) return err("cursor_invalid");
    const handles = [...this.usersByHandle.keys()].filter((handle) => after === null || handle > after).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    const taken = handles.slice(0, page.limit);
    const last = taken.at(-1);
    const users = taken.flatMap((handle) => {
      const user = this.userCopy(handle);
      return user === null ? [] : [user];
    });
    return ok({ users, nextCursor: handles.length > taken.length && last !== undefined ? encodeUserCursor(last) : null });
  }

  private userCopy(userHandle: string | undefined): UserAccount | null {
    const user = userHandle === undefined ? undefined : this.usersByHandle.get(userHandle);
    return user === undefined ? null : { ...user };
  }

  private putUser(user: UserAccount): void {
    this.usersByHandle.set(user.userHandle, { ...user });
    this.handlesByIdentity.set(user.identityUserId, user.userHandle);
    this.handlesByUsername.set(user.usernameKey, user.userHandle);
  }

  private credentialsOf(userHandle: string): StoredCredential[] {
    return (this.byUser.get(userHandle) ?? []).flatMap((id) => {
      const credential = this.credentials.get(id);
      return credential === undefined ? [] : [credential];
    });
  }

  /** The credential, if it is this user's and the user exists (another user's is not found either). */
  private ownCredential(userHandle: string, credentialId: string): StoredCredential | null {
    const current = this.credentials.get(credentialId);
    return current === undefined || current.userHandle !== userHandle || !this.usersByHandle.has(userHandle) ? null : current;
  }

  /** Whether another credential of the user (not `except`) has `name`'s key. */
  private nameTaken(userHandle: string, name: string, except: string | null): boolean {
    const key = passkeyNameKey(name);
    return this.credentialsOf(userHandle).some((other) => other.credentialId !== except && passkeyNameKey(other.name) === key);
  }

  private enabledCount(userHandle: string): number {
    return this.credentialsOf(userHandle).filter((credential) => credential.enabled).length;
  }
}


function copy(credential: StoredCredential): StoredCredential {
  return { ...credential, publicKey: credential.publicKey.slice(), transports: [...credential.transports], attestation: { ...credential.attestation } };
}
