/**
 * A passkey as the second factor after a password (Cognito's custom authentication started with SRP:
 * DefineAuthChallenge sees `SRP_A`, then `PASSWORD_VERIFIER`, then keyport's custom challenge), and the
 * facts every part of keyport shares about it: the policy's values and the user attribute that tells
 * DefineAuthChallenge, which has no storage, whether a user has a passkey (ADR 0023).
 */

/**
 * `off`: passkey-only sign-in; a history that starts with `SRP_A` fails (keyport before 0.3).
 * `if-enrolled`: after a correct password, a user with a passkey must answer it; one without gets tokens.
 * `required`: after a correct password, a user without a passkey cannot finish a sign-in through custom auth.
 * Passkey-only sign-in (no SRP prefix) works under every policy.
 */
export type SecondFactorPolicy = "off" | "if-enrolled" | "required";

export const SECOND_FACTOR_POLICIES: readonly SecondFactorPolicy[] = ["off", "if-enrolled", "required"];

/** The challenge names of Cognito's SRP prefix, as they appear in DefineAuthChallenge's `request.session`. */
export const SRP_A = "SRP_A";
export const PASSWORD_VERIFIER = "PASSWORD_VERIFIER";

/**
 * The Cognito user attribute keyport keeps equal to "the user has at least one enabled passkey":
 * `"true"` or `"false"`; absent means `"false"` (a user keyport never enrolled). Written through the
 * IdentityProvider port (`setPasskeyEnrolled`) whenever a passkey is added, deleted, disabled or enabled;
 * read by DefineAuthChallenge from `request.userAttributes`. The pool must declare it (the CDK stack does)
 * and no app client may let users write it.
 */
export const PASSKEY_ENROLLED_ATTRIBUTE = "custom:passkey_enrolled";
