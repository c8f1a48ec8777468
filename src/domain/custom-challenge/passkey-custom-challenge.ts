import type { CredentialStore } from "../../ports/credential-store.js";
import type { AuthenticatedUser, AuthenticationCeremony } from "../ceremonies/authentication-ceremony.js";
import { encodeChallengeParameters, type PasskeyChallengeParameters } from "./challenge-parameters.js";
import { PASSKEY_CUSTOM_CHALLENGE_METADATA } from "./custom-challenge.js";
import type { AuthenticationError } from "../ceremonies/errors.js";
import { err, type Result } from "../result.js";

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

/**
 * The passkey custom challenge of a custom-challenge sign-in, as the identity provider's triggers need it
 * (Cognito's CreateAuthChallenge and VerifyAuthChallengeResponse). The provider knows users by its own
 * name (`identityUserId`); the user link turns that into the WebAuthn user handle.
 */
export class PasskeyCustomChallenge {
  constructor(private readonly deps: { readonly credentials: CredentialStore; readonly authentication: AuthenticationCeremony }) {}

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
   */
  async verify(
    identityUserId: string,
    answer: string,
    privateParameters: { readonly challenge?: string },
  ): Promise<Result<AuthenticatedUser, AuthenticationError>> {
    const challenge = privateParameters.challenge;
    if (typeof challenge !== "string" || challenge.length === 0) return err("challenge_mismatch");
    if (answer.length > MAX_ANSWER_LENGTH) return err("malformed_response");
    let response: unknown;
    try {
      response = JSON.parse(answer);
    } catch {
      return err("malformed_response");
    }
    return this.deps.authentication.finish(response, { identityUserId, challenge });
  }
}
