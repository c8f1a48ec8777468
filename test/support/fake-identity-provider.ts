import { err, ok, type Result } from "../../src/domain/result.js";
import type {
  CreateUserError,
  IdentityProvider,
  NewIdentityUser,
  RefreshError,
  RefreshedTokens,
  SignInChallenge,
  SignInError,
  TokenError,
  TokenSet,
  VerifiedIdentity,
} from "../../src/ports/identity-provider.js";

/**
 * An identity provider for domain tests: it keeps users in a Map and records calls, so tests can
 * see creation and compensation. Sign-in and tokens are not its job (the local identity provider
 * adapter does that); those methods answer failures.
 */
export class FakeIdentityProvider implements IdentityProvider {
  readonly users = new Map<string, NewIdentityUser>();
  readonly deleted: string[] = [];
  /** Set to make the next createUser calls fail with this code. */
  failCreateWith: CreateUserError | null = null;

  async createUser(user: NewIdentityUser): Promise<Result<{ identityUserId: string }, CreateUserError>> {
    if (this.failCreateWith !== null) return err(this.failCreateWith);
    if (this.users.has(user.username)) return err("user_already_exists");
    this.users.set(user.username, user);
    return ok({ identityUserId: user.username });
  }

  async deleteUser(identityUserId: string): Promise<void> {
    this.users.delete(identityUserId);
    this.deleted.push(identityUserId);
  }

  async startSignIn(): Promise<Result<SignInChallenge, SignInError>> {
    return err("identity_provider_unavailable");
  }

  async answerChallenge(_identityUserId: string, _session: string, _answer: string): Promise<Result<TokenSet, SignInError>> {
    return err("identity_provider_unavailable");
  }

  async refreshTokens(): Promise<Result<RefreshedTokens, RefreshError>> {
    return err("refresh_token_invalid");
  }

  async verifyIdToken(): Promise<Result<VerifiedIdentity, TokenError>> {
    return err("token_malformed");
  }
}
