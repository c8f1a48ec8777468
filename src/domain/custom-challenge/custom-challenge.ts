/**
 * Cognito's custom challenge, as keyport uses it: the round of a custom-challenge sign-in that a
 * passkey answers. In this folder "custom challenge" is that round; "challenge" alone is always the
 * WebAuthn challenge (the random bytes an authenticator signs).
 */

/** The challenge name Cognito gives a custom challenge. */
export const CUSTOM_CHALLENGE = "CUSTOM_CHALLENGE";

/** The metadata keyport's CreateAuthChallenge sets, so that only its own custom challenges count. */
export const PASSKEY_CUSTOM_CHALLENGE_METADATA = "PASSKEY";

/** One entry of Cognito's `request.session`: a custom challenge and whether it was answered. */
export interface CustomChallengeResult {
  readonly challengeName: string;
  /** Whether the answer was right; only the boolean `true` counts as right. */
  readonly challengeResult: boolean;
  readonly challengeMetadata?: string | null;
}
