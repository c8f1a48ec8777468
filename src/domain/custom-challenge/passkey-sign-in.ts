import type { CredentialStore } from "../../ports/credential-store.js";
import type { RelyingParty } from "../ceremonies/relying-party.js";
import type { StoredCredential, UserAccount } from "../model.js";
import { allAcceptedCredentials, currentUserDetails, unknownCredential, type Signal } from "../management/signals.js";
import type { IdentityProvider, RefreshError, RefreshedTokens, SignInError, TokenSet } from "../../ports/identity-provider.js";
import { presentedCredentialId, type AuthenticationCeremony } from "../ceremonies/authentication-ceremony.js";
import { prepareUsername, usernameKey } from "../ceremonies/names.js";
import { alongside, forTheRecord, type SecurityActivity } from "../activity/security-activity.js";
import { UNKNOWN_REQUEST_CONTEXT, type RequestContext } from "../activity/security-events.js";
import { fromBase64Url } from "../encoding/bytes.js";
import { decodeChallengeParameters } from "./challenge-parameters.js";
import { MAX_ANSWER_LENGTH } from "./passkey-custom-challenge.js";
import { err, ok, type Result } from "../result.js";
import type { PublicKeyCredentialRequestOptionsJSON } from "../encoding/webauthn-json.js";

export type SignInInputError = "user_id_invalid" | "username_invalid" | "session_invalid" | "credential_invalid" | "refresh_token_invalid";

/**
 * What keyport answers about the presented passkey before the identity provider is asked:
 * `credential_not_found` — not registered here (any more), so no sign-in can accept it, whoever it is
 * presented for; `credential_disabled` — its owner disabled it, told only to whoever proves they hold it
 * (`provesPossessionOfDisabledCredential`); `authenticator_not_allowed` — the authenticator policy no
 * longer admits its authenticator (ADR 0027), told likewise only to its holder. Told apart from
 * `sign_in_failed` so that the user can be told to use another passkey.
 */
export type PresentedCredentialError = "credential_not_found" | "credential_disabled" | "authenticator_not_allowed";

/** A successful sign-in: the provider's tokens, and the signals that keep the user's passkey provider in step. */
export interface SignedIn {
  readonly tokens: TokenSet;
  readonly signals: Signal[];
}

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
 * Whom a sign-in names, as the client names them: the user handle (`userId`), or the username typed at
 * an identifier-first prompt. Exactly one of the two.
 */
export type SignInUser = { readonly userId: unknown; readonly username?: never } | { readonly username: unknown; readonly userId?: never };

/** Whom a sign-in names, once checked: a user handle, or the canonical form of a username (`usernameKey`). */
type NamedUser = { readonly handle: string } | { readonly usernameKey: string };

/**
 * Passkey sign-in through the identity provider's custom-challenge flow, so that the tokens are the
 * provider's: start names the user (the handle from local storage, the `userHandle` a discoverable
 * assertion returned, or the username typed at an identifier-first prompt) and gets a challenge; finish
 * hands the assertion to the provider, whose verification step runs keyport's `PasskeyCustomChallenge`.
 *
 * Whoever is named, known or not, the answers have the same shape: an unknown handle is passed on as
 * is, an unknown username as a stand-in handle derived from it (`handleForUnknownUsername`), and the
 * provider's challenge step lists a stable fake credential list for either.
 */
export class PasskeySignIn {
  constructor(
    private readonly deps: {
      readonly relyingParty: RelyingParty;
      readonly credentials: CredentialStore;
      readonly identityProvider: IdentityProvider;
      readonly authentication: AuthenticationCeremony;
      /** Where sign-ins, refreshes and their failures are recorded and counted. */
      readonly activity: SecurityActivity;
    },
  ) {}

  /**
   * Options for a sign-in where the authenticator picks the credential (conditional UI, passkey button).
   * `_context` is taken as by every method the HTTP API calls; starting a sign-in records nothing.
   */
  discover(_context: RequestContext = UNKNOWN_REQUEST_CONTEXT): Promise<PublicKeyCredentialRequestOptionsJSON> {
    return this.deps.authentication.startDiscoverable();
  }

  /**
   * Starts a sign-in for the user named by handle (a string, or `{ userId }`) or by username
   * (`{ username }`: an identifier-first sign-in). A username is compared as sign-up compares it
   * (`usernameKey`: letter case and width do not matter); a string that cannot be a username is
   * `username_invalid`, which says nothing about who exists. A failure is counted for the operator (it
   * names nobody: no user's event).
   */
  async start(user: string | SignInUser, _context: RequestContext = UNKNOWN_REQUEST_CONTEXT): Promise<Result<SignInStart, SignInInputError | SignInError>> {
    const started = await this.startFor(named(user));
    if (!started.ok) this.countFailure(started.error);
    return started;
  }

  /**
   * Answers the session `start` opened, for the same user (by either name). A credential whose ID no
   * sign-in can accept (`recognisesCredential`) is `credential_not_found`, and a disabled one whose
   * holder signed this answer is `credential_disabled`, both answered before the provider is asked, so
   * that the session is not spent. A disabled credential presented without that proof goes to the
   * provider like any other answer, and fails there (`sign_in_failed`): a caller who does not hold the
   * passkey learns nothing. On success, the signals list the user's enabled passkeys and their names.
   *
   * Security activity: `credential_disabled` is the passkey owner's `sign_in.failed` (the signature
   * proved possession); the other refusals here name nobody for sure and are counted only. The answer
   * goes to the provider with `context` sealed as client metadata, so that the Verify trigger records a
   * refusal with this request's context; a success it leaves to this side, which records
   * `sign_in.succeeded` beside the signals' read (one write, in parallel).
   */
  finish(
    session: unknown,
    user: string | SignInUser,
    credential: unknown,
    context: RequestContext = UNKNOWN_REQUEST_CONTEXT,
  ): Promise<Result<SignedIn, SignInInputError | PresentedCredentialError | SignInError>> {
    return this.finishFor(session, named(user), credential, context);
  }

  /**
   * The signals that go with a failed finish: `unknownCredential` for a passkey keyport does not have
   * (`credential_not_found`) that presents a well-formed ID, so that the user's passkey provider may drop
   * it; none otherwise (a passkey that failed for another reason may be perfectly good).
   */
  failureSignals(code: string, credential: unknown): Signal[] {
    if (code !== "credential_not_found" || credential === null || typeof credential !== "object") return [];
    const presented = presentedCredentialId(credential);
    return presented === null ? [] : [unknownCredential(this.deps.relyingParty.config.id, presented)];
  }

  /**
   * New tokens (and, where the provider rotates them, a new refresh token) for a refresh token.
   * `userId` is optional; when given, a refresh token of another user is refused. A refresh is the
   * `token.refreshed` event of the account the provider names (an identity user without an account here
   * is counted only); a failure is counted only.
   */
  async refresh(
    refreshToken: unknown,
    userId?: unknown,
    context: RequestContext = UNKNOWN_REQUEST_CONTEXT,
  ): Promise<Result<RefreshedTokens, SignInInputError | RefreshError>> {
    if (typeof refreshToken !== "string" || refreshToken.length === 0 || refreshToken.length > MAX_REFRESH_TOKEN_LENGTH) {
      return this.refreshFailed("refresh_token_invalid");
    }
    let account: UserAccount | null = null;
    let refreshed: Result<RefreshedTokens, RefreshError>;
    if (userId === undefined) {
      refreshed = await this.deps.identityProvider.refreshTokens(refreshToken);
    } else {
      const named = namedByHandle(userId);
      if (!named.ok) return this.refreshFailed(named.error);
      const user = await this.userOf(named.value);
      account = user.account;
      refreshed = await this.deps.identityProvider.refreshTokens(refreshToken, user.identityUserId);
    }
    if (!refreshed.ok) return this.refreshFailed(refreshed.error);
    await this.recordRefresh(refreshed.value.identityUserId, account, context);
    return refreshed;
  }

  private async startFor(named: Result<NamedUser, SignInInputError>): Promise<Result<SignInStart, SignInInputError | SignInError>> {
    if (!named.ok) return named;
    const started = await this.deps.identityProvider.startSignIn(await this.identityUserIdOf(named.value));
    if (!started.ok) return started;
    // Not keyport's custom challenge: the provider's triggers are not (all) keyport's, a setup fault.
    const credentialRequestOptions = decodeChallengeParameters(started.value.challengeParameters);
    if (credentialRequestOptions === null) return err("identity_provider_unavailable");
    return ok({ session: started.value.session, credentialRequestOptions });
  }

  private async finishFor(
    session: unknown,
    named: Result<NamedUser, SignInInputError>,
    credential: unknown,
    context: RequestContext,
  ): Promise<Result<SignedIn, SignInInputError | PresentedCredentialError | SignInError>> {
    if (typeof session !== "string" || session.length === 0 || session.length > MAX_SESSION_LENGTH) return this.failed("session_invalid");
    if (!named.ok) return this.failed(named.error);
    if (credential === null || typeof credential !== "object" || Array.isArray(credential)) return this.failed("credential_invalid");
    const answer = serialise(credential);
    if (answer === null || answer.length > MAX_ANSWER_LENGTH) return this.failed("credential_invalid");
    // Registered credentials and the made-up ones of fake lists are alike here, so this tells nobody
    // whether a list was real; an ID that is neither can never sign anyone in.
    const presented = presentedCredentialId(credential);
    let stored: StoredCredential | null = null;
    if (presented !== null) {
      const found = await this.deps.authentication.presentedCredential(presented);
      if (found.standing === "unknown") return this.failed("credential_not_found");
      stored = found.credential;
      if (found.standing === "disabled" && (await this.deps.authentication.provesPossessionOfDisabledCredential(credential))) {
        if (stored !== null) await this.recordFailure(stored, "credential_disabled", context);
        return err("credential_disabled");
      }
      if (found.standing === "not_allowed" && (await this.deps.authentication.provesPossessionOfDisallowedCredential(credential))) {
        if (stored !== null) await this.recordFailure(stored, "authenticator_not_allowed", context);
        return err("authenticator_not_allowed");
      }
    }
    const user = await this.userOf(named.value);
    const clientMetadata = this.deps.authentication.sealRequestContext(context, user.identityUserId);
    const tokens = await this.deps.identityProvider.answerChallenge(user.identityUserId, session, answer, clientMetadata);
    if (!tokens.ok) {
      // `sign_in_failed` is the Verify trigger's refusal, recorded and counted there with its precise
      // code; the other failures never reached it (a spent session, an unreachable provider).
      if (tokens.error !== "sign_in_failed") this.countFailure(tokens.error);
      return tokens;
    }
    const signals = await alongside(this.recordSignIn(stored, user.identityUserId, context), this.signalsFor(user.account));
    return ok({ tokens: tokens.value, signals });
  }

  /**
   * The success the Verify trigger left to this side: the passkey presented (read before the provider
   * was asked), which the trigger verified to be the signed-in user's.
   */
  private recordSignIn(stored: StoredCredential | null, identityUserId: string, context: RequestContext): Promise<void> {
    if (stored === null || stored.identityUserId !== identityUserId) {
      // A success without a passkey of the user is not one keyport's trigger allows; counted, not attributed.
      this.deps.activity.count({ ceremony: "sign_in", outcome: "succeeded" });
      return Promise.resolve();
    }
    return this.deps.activity.recordAbout(stored, (passkey) => ({ type: "sign_in.succeeded", userHandle: stored.userHandle, ...passkey }), context);
  }

  private recordFailure(stored: StoredCredential, code: PresentedCredentialError, context: RequestContext): Promise<void> {
    return this.deps.activity.recordAbout(stored, (passkey) => ({ type: "sign_in.failed", userHandle: stored.userHandle, code, ...passkey }), context);
  }

  /** `token.refreshed` for the account of the identity user the provider refreshed; `known` when it was read already. */
  private async recordRefresh(identityUserId: string, known: UserAccount | null, context: RequestContext): Promise<void> {
    // The provider has rotated the refresh token by now: a failed read must not keep the new one from the client.
    const account = known?.identityUserId === identityUserId ? known : await forTheRecord(() => this.deps.credentials.findUserByIdentity(identityUserId));
    if (account === null) {
      this.deps.activity.count({ ceremony: "refresh", outcome: "succeeded" });
      return;
    }
    await this.deps.activity.record({ type: "token.refreshed", userHandle: account.userHandle }, context);
  }

  private failed<E extends SignInInputError | PresentedCredentialError>(code: E): Result<never, E> {
    this.countFailure(code);
    return err(code);
  }

  private refreshFailed<E extends SignInInputError | RefreshError>(code: E): Result<never, E> {
    this.deps.activity.count({ ceremony: "refresh", outcome: "failed", code });
    return err(code);
  }

  private countFailure(code: SignInInputError | PresentedCredentialError | SignInError): void {
    this.deps.activity.count({ ceremony: "sign_in", outcome: "failed", code });
  }

  /** After a sign-in: the user's enabled passkeys, and their names as they are now. */
  private async signalsFor(account: UserAccount | null): Promise<Signal[]> {
    // The provider signed in a user keyport does not link: nothing to tell about them.
    if (account === null) return [];
    const rpID = this.deps.relyingParty.config.id;
    const credentials = await this.deps.credentials.listCredentials(account.userHandle);
    return [allAcceptedCredentials(rpID, account.userHandle, credentials), currentUserDetails(rpID, account)];
  }

  /** The provider's name for the user: a linked user's identity user id. */
  private async identityUserIdOf(named: NamedUser): Promise<string> {
    return (await this.userOf(named)).identityUserId;
  }

  /**
   * The user named, and the provider's name for them. An unknown handle is passed on as is, and an
   * unknown username as its stand-in handle, so unknown users look like known ones.
   */
  private async userOf(named: NamedUser): Promise<{ readonly account: UserAccount | null; readonly identityUserId: string }> {
    if ("handle" in named) {
      const account = await this.deps.credentials.findUserByHandle(named.handle);
      return { account, identityUserId: account?.identityUserId ?? named.handle };
    }
    const account = await this.deps.credentials.findUserByUsername(named.usernameKey);
    return { account, identityUserId: account?.identityUserId ?? this.deps.authentication.handleForUnknownUsername(named.usernameKey) };
  }
}

/** A string names a handle, as `{ userId }` does; anything but exactly one of the two names is `user_id_invalid`. */
function named(user: unknown): Result<NamedUser, SignInInputError> {
  if (typeof user !== "object" || user === null) return namedByHandle(user);
  if ("userId" in user) return "username" in user ? err("user_id_invalid") : namedByHandle(user.userId);
  return "username" in user ? namedByUsername(user.username) : err("user_id_invalid");
}

function namedByHandle(userId: unknown): Result<NamedUser, "user_id_invalid"> {
  return validUserId(userId) ? ok({ handle: userId }) : err("user_id_invalid");
}

function namedByUsername(username: unknown): Result<NamedUser, "username_invalid"> {
  const prepared = prepareUsername(username);
  return prepared === null ? err("username_invalid") : ok({ usernameKey: usernameKey(prepared) });
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
