import type { CredentialStore } from "../../ports/credential-store.js";
import type { AuthenticatedUser, AuthenticationCeremony, PresentedOutcome } from "../ceremonies/authentication-ceremony.js";
import { encodeChallengeParameters, type PasskeyChallengeParameters } from "./challenge-parameters.js";
import { PASSKEY_CUSTOM_CHALLENGE_METADATA } from "./custom-challenge.js";
import type { AuthenticationError } from "../ceremonies/errors.js";
import { err, type Result } from "../result.js";
import type { SecurityActivity } from "../activity/security-activity.js";
import { UNKNOWN_REQUEST_CONTEXT, type RequestContext } from "../activity/security-events.js";

/** What the identity provider's create-challenge step publishes and keeps (Cognito's challenge parameters). */
export interface IssuedCustomChallenge {
  /** Sent to the client: the request options, as JSON text (challenge parameters are strings). */
  readonly publicParameters: PasskeyChallengeParameters;
  /** Kept by the identity provider and handed back to verification. */
  readonly privateParameters: { readonly challenge: string };
  readonly metadata: typeof PASSKEY_CUSTOM_CHALLENGE_METADATA;
}

/** Largest answer accepted: a response JSON with a 1023-byte credential ID and RSA signature is far smaller. */
export const MAX_ANSWER_LENGTH = 32 * 1024;

/** What the Verify trigger knows of a sign-in besides the answer. */
export interface VerifyingSignIn {
  /** Cognito's `userNotFound`, inverted: an unknown user's answer is never right, and names nobody. */
  readonly userExists?: boolean;
  /** The event's `request.clientMetadata`: keyport's HTTP API seals the request's context in it. */
  readonly clientMetadata?: Readonly<Record<string, unknown>>;
}

/**
 * The passkey custom challenge of a custom-challenge sign-in, as the identity provider's triggers need it
 * (Cognito's CreateAuthChallenge and VerifyAuthChallengeResponse). The provider knows users by its own
 * name (`identityUserId`); the user link turns that into the WebAuthn user handle.
 *
 * Every sign-in passes its verification, keyport's HTTP API and direct Cognito clients alike, so it is
 * where sign-ins are recorded (issue 12): a refusal as `sign_in.failed` of the user whose passkey was
 * presented, when it is theirs; a success as `sign_in.succeeded`, except that a sign-in through keyport's
 * HTTP API (a request context sealed in the client metadata) has its success recorded by the HTTP side,
 * beside its response work, so that no sign-in waits for an extra write here.
 */
export class PasskeyCustomChallenge {
  constructor(
    private readonly deps: {
      readonly credentials: CredentialStore;
      readonly authentication: AuthenticationCeremony;
      readonly activity: SecurityActivity;
    },
  ) {}

  /**
   * Issues request options listing the user's credentials. For a user nobody has, the ceremony answers
   * with a stable fake list, so the challenge looks the same whether or not the user exists.
   */
  async issue(identityUserId: string): Promise<IssuedCustomChallenge> {
    const account = await this.deps.credentials.findUserByIdentity(identityUserId);
    const options = await this.deps.authentication.startForUser(account?.userHandle ?? identityUserId);
    return {
      publicParameters: encodeChallengeParameters(options),
      privateParameters: { challenge: options.challenge },
      metadata: PASSKEY_CUSTOM_CHALLENGE_METADATA,
    };
  }

  /**
   * Verifies an answer: an `AuthenticationResponseJSON`, as text, answering either the challenge issued
   * above or one from a discoverable start. Either way the credential must belong to `identityUserId`.
   *
   * Without the private challenge that `issue` kept (missing, not a string, empty) the answer is refused
   * as `challenge_mismatch` before it is parsed, so no session is consumed: the ceremony would otherwise
   * have nothing to hold a username-first answer against, and would accept one to any other sign-in
   * of the same user.
   *
   * The outcome is recorded (see the class) before this returns: a refusal of a passkey that is the
   * user's costs one write (bounded per user and hour: `appendFailure`); a success through keyport's HTTP
   * API, none here; a success of a direct Cognito client, one write.
   */
  async verify(
    identityUserId: string,
    answer: string,
    privateParameters: { readonly challenge?: string },
    signIn: VerifyingSignIn = {},
  ): Promise<Result<AuthenticatedUser, AuthenticationError>> {
    const outcome = await this.check(identityUserId, answer, privateParameters);
    await this.recordOutcome(identityUserId, outcome, signIn);
    return outcome.result;
  }

  /**
   * Counts a Verify request that the trigger could not read (not what Cognito documents), refused with
   * `code` before any answer was looked at: nobody can be named, so it is the operator's count only.
   */
  refuseUnread(code: AuthenticationError | "malformed_request"): void {
    this.deps.activity.count({ ceremony: "sign_in", outcome: "failed", code });
  }

  private async check(identityUserId: string, answer: string, privateParameters: { readonly challenge?: string }): Promise<PresentedOutcome> {
    const challenge = privateParameters.challenge;
    if (typeof challenge !== "string" || challenge.length === 0) return { result: err("challenge_mismatch"), credential: null };
    if (answer.length > MAX_ANSWER_LENGTH) return { result: err("malformed_response"), credential: null };
    let response: unknown;
    try {
      response = JSON.parse(answer);
    } catch {
      return { result: err("malformed_response"), credential: null };
    }
    return this.deps.authentication.finishPresenting(response, { identityUserId, challenge });
  }

  /**
   * The user's event when the passkey presented is stored and belongs to the user of this sign-in (and
   * that user exists); the operator's count only otherwise, so that nobody can write into the trail of
   * a user whose passkey they did not present.
   */
  private recordOutcome(identityUserId: string, outcome: PresentedOutcome, signIn: VerifyingSignIn): Promise<void> {
    const { activity, authentication } = this.deps;
    const userExists = signIn.userExists ?? true;
    const sealed = authentication.openRequestContext(signIn.clientMetadata, identityUserId);
    const context: RequestContext = sealed ?? UNKNOWN_REQUEST_CONTEXT;
    const { result, credential } = outcome;
    const owner = userExists && credential !== null && credential.identityUserId === identityUserId ? credential : null;
    if (result.ok) {
      // Verified, yet the provider has no such user: the trigger refuses the answer, and nobody is named.
      if (!userExists) {
        activity.count({ ceremony: "sign_in", outcome: "failed", code: "user_not_found" });
        return Promise.resolve();
      }
      // keyport's HTTP API records the success itself, beside its response work (PasskeySignIn.finish).
      if (sealed !== null) return Promise.resolve();
      if (owner === null) {
        activity.count({ ceremony: "sign_in", outcome: "succeeded" });
        return Promise.resolve();
      }
      return activity.recordAbout(owner, (passkey) => ({ type: "sign_in.succeeded", userHandle: owner.userHandle, ...passkey }), context);
    }
    if (owner === null) {
      activity.count({ ceremony: "sign_in", outcome: "failed", code: result.error });
      return Promise.resolve();
    }
    const code = result.error;
    return activity.recordAbout(owner, (passkey) => ({ type: "sign_in.failed", userHandle: owner.userHandle, code, ...passkey }), context);
  }
}
