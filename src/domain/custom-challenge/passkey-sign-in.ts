import type { CredentialStore } from "../../ports/credential-store.js";
import type { IdentityProvider, RefreshError, RefreshedTokens, SignInError, TokenSet } from "../../ports/identity-provider.js";
import type { AuthenticationCeremony } from "../ceremonies/authentication-ceremony.js";
import { fromBase64Url } from "../encoding/bytes.js";
import { decodeChallengeParameters } from "./challenge-parameters.js";
import { MAX_ANSWER_LENGTH } from "./passkey-custom-challenge.js";
import { err, ok, type Result } from "../result.js";
import type { PublicKeyCredentialRequestOptionsJSON } from "../encoding/webauthn-json.js";

export type SignInInputError = "user_id_invalid" | "session_invalid" | "credential_invalid" | "refresh_token_invalid";

/** User handles are 1–64 bytes (WebAuthn §5.4.3), so at most 86 base64url characters. */
const MAX_USER_ID_LENGTH = 86;
/** Opaque identity-provider session strings; Cognito's are a few kilobytes at most. */
const MAX_SESSION_LENGTH = 8 * 1024;
const MAX_REFRESH_TOKEN_LENGTH = 8 * 1024;

export interface SignInStart {
  readonly session: string;
  readonly credentialRequestOptions: PublicKeyCredentialRequestOptionsJSON;
}

/**
 * Passkey sign-in through the identity provider's custom-challenge flow, so that the tokens are the
 * provider's: start names the user (the handle from local storage, or the `userHandle` a discoverable
 * assertion returned) and gets a challenge; finish hands the assertion to the provider, whose
 * verification step runs keyport's `PasskeyCustomChallenge`.
 */
export class PasskeySignIn {
  constructor(
    private readonly deps: {
      readonly credentials: CredentialStore;
      readonly identityProvider: IdentityProvider;
      readonly authentication: AuthenticationCeremony;
    },
  ) {}

  /** Options for a sign-in where the authenticator picks the credential (conditional UI, passkey button). */
  discover(): Promise<PublicKeyCredentialRequestOptionsJSON> {
    return this.deps.authentication.startDiscoverable();
  }

  async start(userId: unknown): Promise<Result<SignInStart, SignInInputError | SignInError>> {
    if (!validUserId(userId)) return err("user_id_invalid");
    const started = await this.deps.identityProvider.startSignIn(await this.identityUserIdOf(userId));
    if (!started.ok) return started;
    // Not keyport's custom challenge: the provider's triggers are not (all) keyport's, a setup fault.
    const credentialRequestOptions = decodeChallengeParameters(started.value.challengeParameters);
    if (credentialRequestOptions === null) return err("identity_provider_unavailable");
    return ok({ session: started.value.session, credentialRequestOptions });
  }

  async finish(session: unknown, userId: unknown, credential: unknown): Promise<Result<TokenSet, SignInInputError | SignInError>> {
    if (typeof session !== "string" || session.length === 0 || session.length > MAX_SESSION_LENGTH) return err("session_invalid");
    if (!validUserId(userId)) return err("user_id_invalid");
    if (credential === null || typeof credential !== "object" || Array.isArray(credential)) return err("credential_invalid");
    const answer = serialise(credential);
    if (answer === null || answer.length > MAX_ANSWER_LENGTH) return err("credential_invalid");
    return this.deps.identityProvider.answerChallenge(await this.identityUserIdOf(userId), session, answer);
  }

  /**
   * New tokens (and, where the provider rotates them, a new refresh token) for a refresh token.
   * `userId` is optional; when given, a refresh token of another user is refused.
   */
  async refresh(refreshToken: unknown, userId?: unknown): Promise<Result<RefreshedTokens, SignInInputError | RefreshError>> {
    if (typeof refreshToken !== "string" || refreshToken.length === 0 || refreshToken.length > MAX_REFRESH_TOKEN_LENGTH) {
      return err("refresh_token_invalid");
    }
    if (userId === undefined) return this.deps.identityProvider.refreshTokens(refreshToken);
    if (!validUserId(userId)) return err("user_id_invalid");
    return this.deps.identityProvider.refreshTokens(refreshToken, await this.identityUserIdOf(userId));
  }

  /** A linked user's provider name; an unknown handle is passed on as is, so unknown users look like known ones. */
  private async identityUserIdOf(userHandle: string): Promise<string> {
    return (await this.deps.credentials.findUserByHandle(userHandle))?.identityUserId ?? userHandle;
  }
}

/** JSON text of the answer, or null when it cannot be written (nesting deep enough to exhaust the stack). */
function serialise(value: object): string | null {
  try {
    return JSON.stringify(value);
  } catch {
    return null;
  }
}

function validUserId(value: unknown): value is string {
  return typeof value === "string" && value.length > 0 && value.length <= MAX_USER_ID_LENGTH && fromBase64Url(value) !== null;
}
