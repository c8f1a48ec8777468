import type { Result } from "../domain/result.js";

/** A user keyport asks the identity provider to create for a passkey-only sign-up. */
export interface NewIdentityUser {
  /** The identity provider's username: the opaque WebAuthn user handle, never an e-mail. */
  readonly username: string;
  readonly preferredUsername: string;
  readonly name: string;
}

/** Who a verified ID token says the signed-in user is. */
export interface VerifiedIdentity {
  /** The identity provider's username (`cognito:username`), the key of the user link. */
  readonly identityUserId: string;
  readonly subject: string;
  readonly preferredUsername: string | null;
  readonly name: string | null;
  /**
   * When the user last proved who they are (`auth_time`: the sign-in, not a refresh, since a refresh
   * keeps it), in milliseconds since the epoch; null when the token does not say.
   */
  readonly authenticatedAt: number | null;
}

export interface TokenSet {
  readonly accessToken: string;
  readonly idToken: string;
  readonly refreshToken: string;
  readonly expiresIn: number;
  readonly tokenType: "Bearer";
}

/**
 * Tokens from a refresh token. A provider that rotates refresh tokens returns the new one here, and the
 * one it was given is refused from then on; a provider that does not rotate leaves it out.
 * `identityUserId` is the user the tokens are for (the ID token's `cognito:username`), so that the
 * refresh can be recorded in that user's security activity without the caller naming them.
 */
export type RefreshedTokens = Omit<TokenSet, "refreshToken"> & { readonly refreshToken?: string; readonly identityUserId: string };

/** A custom-challenge sign-in in progress: the opaque session and what the challenge trigger published. */
export interface SignInChallenge {
  readonly session: string;
  readonly challengeParameters: Readonly<Record<string, string>>;
}

/**
 * `user_already_exists`: the username is taken; `username_taken`: the provider keeps `preferredUsername`
 * unique (Cognito's sign-in alias) and another user holds it.
 */
export type CreateUserError = "user_already_exists" | "username_taken" | "identity_provider_unavailable";
export type SignInError = "sign_in_failed" | "sign_in_session_invalid" | "too_many_requests" | "identity_provider_unavailable";
export type RefreshError = "refresh_token_invalid" | "too_many_requests" | "identity_provider_unavailable";
export type UpdateUserError = "username_taken" | "too_many_requests" | "identity_provider_unavailable";
export type SignOutError = "too_many_requests" | "identity_provider_unavailable";
export type TokenError =
  | "token_malformed"
  | "token_signature_invalid"
  | "token_expired"
  | "token_not_yet_valid"
  | "token_not_id_token"
  | "token_audience_mismatch"
  | "token_issuer_mismatch"
  | "identity_provider_unavailable";

/**
 * The identity provider that owns users and issues tokens: Amazon Cognito on AWS, keyport's local
 * provider on a laptop. Sign-in uses the provider's custom-challenge flow, whose challenge and
 * verification are keyport's own ceremonies (run by the provider through its triggers).
 */
export interface IdentityProvider {
  /** Creates a user that can sign in only through the custom challenge. `user_already_exists` if the name is taken. */
  createUser(user: NewIdentityUser): Promise<Result<{ identityUserId: string }, CreateUserError>>;

  /**
   * Deletes a user: compensation when storing a sign-up's first credential failed, and account deletion.
   * Idempotent (an unknown user is no error); a fault throws (`StorageUnavailableError` when the provider
   * is out of reach, so that the caller may answer "try again").
   */
  deleteUser(identityUserId: string): Promise<void>;

  /**
   * Sets the user's `preferred_username` and `name` (Cognito: AdminUpdateUserAttributes). `username_taken`
   * when the provider keeps `preferred_username` unique (a sign-in alias) and another user has it.
   */
  updateUser(identityUserId: string, attributes: { readonly preferredUsername: string; readonly name: string }): Promise<Result<void, UpdateUserError>>;

  /**
   * Revokes one refresh token (Cognito: RevokeToken) and the tokens it issued, so that it refreshes no
   * more. A token that is unknown, expired or already revoked is no error (RFC 7009 §2.2): signing out
   * twice is signing out.
   */
  revokeRefreshToken(refreshToken: string): Promise<Result<void, SignOutError>>;

  /**
   * Records whether the user has at least one enabled passkey, in the user attribute
   * PASSKEY_ENROLLED_ATTRIBUTE (`"true"` / `"false"`; Cognito: AdminUpdateUserAttributes), which
   * DefineAuthChallenge reads to apply the second-factor policy (ADR 0023). Idempotent; a user unknown to
   * the provider is `identity_provider_unavailable`, as for `updateUser`.
   */
  setPasskeyEnrolled(identityUserId: string, enrolled: boolean): Promise<Result<void, UpdateUserError>>;

  /** Revokes every refresh token of the user (Cognito: AdminUserGlobalSignOut). Idempotent. */
  signOutEverywhere(identityUserId: string): Promise<Result<void, SignOutError>>;

  /**
   * Starts a custom-challenge sign-in for `identityUserId`. For an unknown user the provider still
   * answers with a plausible challenge, so that callers cannot tell who exists.
   */
  startSignIn(identityUserId: string): Promise<Result<SignInChallenge, SignInError>>;

  /**
   * Answers the challenge of `session` once; tokens when the answer verifies, `sign_in_failed` otherwise.
   * `clientMetadata` reaches the provider's triggers as their events' `request.clientMetadata` (Cognito:
   * RespondToAuthChallenge `ClientMetadata`): keyport sends the sign-in's sealed request context in it.
   * It is no secret (Cognito may log it) and nothing a trigger may trust unless it verifies it.
   */
  answerChallenge(
    identityUserId: string,
    session: string,
    answer: string,
    clientMetadata?: Readonly<Record<string, string>>,
  ): Promise<Result<TokenSet, SignInError>>;

  /** New ID and access tokens for a refresh token. */
  refreshTokens(refreshToken: string, identityUserId?: string): Promise<Result<RefreshedTokens, RefreshError>>;

  /** Verifies an ID token (signature, issuer, audience, `token_use`, expiry) and says whose it is. */
  verifyIdToken(token: string): Promise<Result<VerifiedIdentity, TokenError>>;

  /**
   * The public keys of the tokens this provider signs, for keyport to publish at
   * `/.well-known/jwks.json`: only a provider that keyport itself runs (the local one) has them;
   * Cognito publishes its own.
   */
  jwks?(): { readonly keys: readonly JsonWebKey[] } | Promise<{ readonly keys: readonly JsonWebKey[] }>;
}
