import { err, ok, type Result } from "../../src/domain/result.js";
import type {
  CreateUserError,
  IdentityProvider,
  NewIdentityUser,
  RefreshError,
  RefreshedTokens,
  SignInChallenge,
  SignInError,
  SignOutError,
  TokenError,
  TokenSet,
  UpdateUserError,
  VerifiedIdentity,
} from "../../src/ports/identity-provider.js";

/**
 * An identity provider for domain tests: it keeps users in a Map and records calls, so tests can
 * see creation, profile updates, sign-outs and compensation, and be made to fail. Sign-in and tokens
 * are not its job (the local identity provider adapter does that); those methods answer failures.
 */
export class FakeIdentityProvider implements IdentityProvider {
  readonly users = new Map<string, NewIdentityUser>();
  /** Every deleteUser call that succeeded, in order (an unknown user included: deleting is idempotent). */
  readonly deleted: string[] = [];
  /** Every updateUser call that succeeded, in order. */
  readonly updates: { identityUserId: string; preferredUsername: string; name: string }[] = [];
  /** Whether each user has an enabled passkey, as the last setPasskeyEnrolled call for them said. */
  readonly passkeyEnrolled = new Map<string, boolean>();
  /** Set to make the next setPasskeyEnrolled calls fail with this code (nothing is changed then). */
  failSetEnrolledWith: UpdateUserError | null = null;
  /** Every refresh token revokeRefreshToken was asked to revoke and did. */
  readonly revokedRefreshTokens: string[] = [];
  /** Every user signOutEverywhere signed out. */
  readonly signedOutEverywhere: string[] = [];
  /** Set to make the next createUser calls fail with this code. */
  failCreateWith: CreateUserError | null = null;
  /** Set to make the next updateUser calls fail with this code (nothing is changed then). */
  failUpdateWith: UpdateUserError | null = null;
  /** Set to make the next revokeRefreshToken and signOutEverywhere calls fail with this code. */
  failSignOutWith: SignOutError | null = null;
  /** Set to make the next deleteUser calls throw this (e.g. a StorageUnavailableError); nothing is deleted then. */
  failDeleteWith: Error | null = null;

  async createUser(user: NewIdentityUser): Promise<Result<{ identityUserId: string }, CreateUserError>> {
    if (this.failCreateWith !== null) return err(this.failCreateWith);
    if (this.users.has(user.username)) return err("user_already_exists");
    this.users.set(user.username, user);
    return ok({ identityUserId: user.username });
  }

  async deleteUser(identityUserId: string): Promise<void> {
    if (this.failDeleteWith !== null) throw this.failDeleteWith;
    this.users.delete(identityUserId);
    this.deleted.push(identityUserId);
  }

  async updateUser(identityUserId: string, attributes: { readonly preferredUsername: string; readonly name: string }): Promise<Result<void, UpdateUserError>> {
    if (this.failUpdateWith !== null) return err(this.failUpdateWith);
    const user = this.users.get(identityUserId);
    if (user !== undefined) this.users.set(identityUserId, { ...user, preferredUsername: attributes.preferredUsername, name: attributes.name });
    this.updates.push({ identityUserId, preferredUsername: attributes.preferredUsername, name: attributes.name });
    return ok(undefined);
  }

  async setPasskeyEnrolled(identityUserId: string, enrolled: boolean): Promise<Result<void, UpdateUserError>> {
    if (this.failSetEnrolledWith !== null) return err(this.failSetEnrolledWith);
    this.passkeyEnrolled.set(identityUserId, enrolled);
    return ok(undefined);
  }

  async revokeRefreshToken(refreshToken: string): Promise<Result<void, SignOutError>> {
    if (this.failSignOutWith !== null) return err(this.failSignOutWith);
    this.revokedRefreshTokens.push(refreshToken);
    return ok(undefined);
  }

  async signOutEverywhere(identityUserId: string): Promise<Result<void, SignOutError>> {
    if (this.failSignOutWith !== null) return err(this.failSignOutWith);
    this.signedOutEverywhere.push(identityUserId);
    return ok(undefined);
  }

  async startSignIn(_identityUserId: string): Promise<Result<SignInChallenge, SignInError>> {
    return err("identity_provider_unavailable");
  }

  async answerChallenge(
    _identityUserId: string,
    _session: string,
    _answer: string,
    _clientMetadata?: Readonly<Record<string, string>>,
  ): Promise<Result<TokenSet, SignInError>> {
    return err("identity_provider_unavailable");
  }

  async refreshTokens(_refreshToken: string, _identityUserId?: string): Promise<Result<RefreshedTokens, RefreshError>> {
    return err("refresh_token_invalid");
  }

  async verifyIdToken(_token: string): Promise<Result<VerifiedIdentity, TokenError>> {
    return err("token_malformed");
  }
}
