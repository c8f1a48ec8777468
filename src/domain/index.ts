/**
 * keyport's domain core: pure TypeScript, no I/O of its own, no `node:*`. Three parts:
 *
 * - `encoding/`: WebAuthn's wire formats (base64url, COSE keys, the response JSON, client data,
 *   authenticator data), parsed once into typed values (ADR 0005);
 * - `ceremonies/`: the relying party's two WebAuthn procedures, registration (§7.1) and
 *   authentication (§7.2), each a list of small checks in the specification's order;
 * - `custom-challenge/`: sign-in through an identity provider's custom challenge (Cognito's
 *   Define/Create/VerifyAuthChallenge), where a passkey answers the custom challenge;
 * - `management/`: the life of a passkey and an account after sign-up (list, rename, disable, delete,
 *   sign out), and the WebAuthn signals that keep the user's passkey provider in step;
 * - `activity/`: security activity (issue 12): the events of each user's trail, the service that records
 *   them and counts outcomes for the operator, and the sealed request context a sign-in carries through
 *   the identity provider to its Verify trigger.
 *
 * Words: "challenge" is always the WebAuthn challenge; "custom challenge" is the identity provider's
 * round that a passkey answers; "session" is a ceremony's stored state (ADR 0004).
 *
 * Exports are named, so that this file is the public surface of the domain.
 */
export {
  AuthenticationCeremony,
  presentedCredentialId,
  type AuthenticatedUser,
  type AuthenticationDependencies,
  type AuthenticationExpectation,
  type CredentialStanding,
  type PresentedCredential,
  type PresentedOutcome,
} from "./ceremonies/authentication-ceremony.js";
export {
  RegistrationCeremony,
  MAX_NAME_LENGTH,
  formatAaguid,
  type ExistingUserRequest,
  type ProfileError,
  type RegisteredCredential,
  type RegistrationDependencies,
  type RegistrationStart,
} from "./ceremonies/registration-ceremony.js";
export { RelyingParty, type RelyingPartyConfig } from "./ceremonies/relying-party.js";
export {
  AUTHENTICATION_ERRORS,
  MANAGEMENT_ERRORS,
  REGISTRATION_ERRORS,
  type AuthenticationError,
  type ManagementError,
  type RegistrationError,
} from "./ceremonies/errors.js";
export { passkeyNameKey, preparePasskeyName } from "./ceremonies/names.js";
export {
  ANY_AUTHENTICATOR,
  CERTIFICATION_LEVELS,
  COMPROMISE_STATUSES,
  admits,
  certificationLevelOf,
  isCertified,
  latestReport,
  type AttestedAuthenticator,
  type AuthenticatorPolicy,
  type CertificationLevel,
} from "./ceremonies/attestation/authenticator-policy.js";
export {
  PasskeyManagement,
  lockoutRule,
  type AccountView,
  type DeletePasskeyError,
  type PasskeyManagementDependencies,
  type PasskeyView,
  type UpdateAccountError,
  type UpdatePasskeyError,
} from "./management/passkey-management.js";
export { allAcceptedCredentials, currentUserDetails, unknownCredential, type Signal } from "./management/signals.js";
export {
  ChallengeStateMachine,
  DEFAULT_CUSTOM_CHALLENGE_POLICY,
  type CustomChallengePolicy,
  type SignInDecision,
  type SignInFailure,
  type SignInState,
} from "./custom-challenge/challenge-state-machine.js";
export { CUSTOM_CHALLENGE, PASSKEY_CUSTOM_CHALLENGE_METADATA, type CustomChallengeResult } from "./custom-challenge/custom-challenge.js";
export { decodeChallengeParameters, encodeChallengeParameters, type PasskeyChallengeParameters } from "./custom-challenge/challenge-parameters.js";
export { PasskeyCustomChallenge, MAX_ANSWER_LENGTH, type IssuedCustomChallenge, type VerifyingSignIn } from "./custom-challenge/passkey-custom-challenge.js";
export {
  PasskeySignIn,
  type PresentedCredentialError,
  type SignedIn,
  type SignInInputError,
  type SignInStart,
} from "./custom-challenge/passkey-sign-in.js";
export {
  FAILED_SIGN_IN_BOUND,
  SECURITY_EVENT_TYPES,
  UNKNOWN_REQUEST_CONTEXT,
  type CeremonyOutcome,
  type FailureBound,
  type PasskeyReference,
  type RequestContext,
  type SecurityEvent,
  type SecurityEventType,
} from "./activity/security-events.js";
export {
  SecurityActivity,
  UNKNOWN_AUTHENTICATOR_NAME,
  alongside,
  forTheRecord,
  outcomeOf,
  type DescribedCredential,
  type NewSecurityEvent,
  type SecurityActivityDependencies,
} from "./activity/security-activity.js";
export {
  REQUEST_CONTEXT_LIMITS,
  SEALED_CONTEXT_MAX_AGE_MS,
  SEALED_CONTEXT_METADATA_KEY,
  boundRequestContext,
  openRequestContext,
  requestContextKey,
  sealRequestContext,
  type SealBinding,
} from "./activity/request-context-seal.js";
export { SUPPORTED_ALGORITHMS, parsePublicKey, type CoseKey, type PublicKeyJwk } from "./encoding/cose.js";
export {
  parseAuthenticationResponse,
  parseRegistrationResponse,
  type ParsedAuthenticationResponse,
  type ParsedRegistrationResponse,
} from "./encoding/parse-response.js";
export type * from "./encoding/webauthn-json.js";
export type * from "./model.js";
export { err, ok, type Check, type Err, type Ok, type Result } from "./result.js";
