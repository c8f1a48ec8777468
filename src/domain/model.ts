import type { AttestationFormatId } from "./encoding/parse-response.js";
import type { AuthenticatorTransport, CoseAlgorithmIdentifier, UserVerificationRequirement } from "./encoding/webauthn-json.js";
import type { CertificationLevel } from "./ceremonies/attestation/authenticator-policy.js";

/** Milliseconds since the Unix epoch, as read from the Clock port. */
export type EpochMillis = number;

/**
 * How an account came to be, which decides whether it may be left without a passkey that signs in:
 * `passkey_sign_up` — created by a passkey sign-up, whose only way in is a passkey; `identity_provider`
 * — a user the identity provider already had (a password user who added a passkey through
 * start-verified), who has another way in.
 */
export type AccountOrigin = "passkey_sign_up" | "identity_provider";

/**
 * A keyport user: the opaque WebAuthn user handle linked to the identity provider's user.
 * For users who signed up with a passkey the identity user's name *is* the handle; users who
 * already existed (password or e-mail username) keep their own name and get a new handle.
 */
export interface UserAccount {
  readonly userHandle: string;
  readonly identityUserId: string;
  /** As the user typed it (prepared with UsernameCasePreserved): what is shown. */
  readonly username: string;
  /** The canonical form that decides uniqueness and finds the user by username (names.ts `usernameKey`). */
  readonly usernameKey: string;
  readonly displayName: string;
  readonly createdAt: EpochMillis;
  readonly origin: AccountOrigin;
}

/**
 * How the browser was asked to create a passkey (ADR 0025): `modal` — the ordinary create, with the
 * browser's prompt, whose response must show the user present; `conditional` — an automatic passkey
 * upgrade (`navigator.credentials.create` with `mediation: "conditional"`, WebAuthn Level 3 §5.1.3)
 * right after a password sign-in, made without a prompt, whose response may show neither the user's
 * presence nor their verification (§7.1: UP is checked only when the mediation is not conditional).
 */
export type RegistrationMediation = "modal" | "conditional";

export const REGISTRATION_MEDIATIONS: readonly RegistrationMediation[] = ["modal", "conditional"];

/**
 * WebAuthn §6.5.3 attestation types: `none`, `self`, `basic` (basic or AttCA where the format cannot tell
 * them apart: packed, fido-u2f), `attca` (tpm), `anonca` (apple).
 */
export type AttestationType = "none" | "self" | "basic" | "attca" | "anonca";

export const ATTESTATION_TYPES: readonly AttestationType[] = ["none", "self", "basic", "attca", "anonca"];

/** What the attestation statement established about a passkey at registration (ADR 0027). */
export interface StoredAttestation {
  readonly format: AttestationFormatId;
  readonly type: AttestationType;
  /**
   * Whether the statement's certificate chain validated to a trust anchor (ATTESTATION_ROOTS): only then
   * does keyport vouch for the AAGUID, and so for what the authenticator is.
   */
  readonly trusted: boolean;
  /** The AAGUID the statement covered (UUID form); vouched for only when `trusted`. */
  readonly aaguid: string;
  /**
   * The attestation certificate's key identifier (lower-case hex SHA-1 of its subjectPublicKey, RFC 5280
   * §4.2.1.2 method 1), when the statement had a chain with an EC key: how FIDO MDS3 names U2F
   * authenticators, whose AAGUID is all zeros.
   */
  readonly keyIdentifier?: string;
  /**
   * The level FIDO certified the authenticator's model at, per the metadata in force at registration;
   * set only for a trusted attestation with a metadata entry (ADR 0027). Shown, never relied on: sign-in
   * asks the metadata in force then.
   */
  readonly certificationLevel?: CertificationLevel;
}

/**
 * The attestation of a credential stored before attestation was recorded: its format, `none` or `self`
 * as the format says (a packed statement was verified only when it was self attestation; one with
 * certificates was kept unverified, which vouches for no more), never trusted.
 */
export function legacyAttestation(format: AttestationFormatId, aaguid: string): StoredAttestation {
  return { format, type: format === "none" ? "none" : "self", trusted: false, aaguid };
}

/** Everything keyport keeps about one registered passkey (WebAuthn §4 "credential record"). */
export interface StoredCredential {
  readonly credentialId: string;
  readonly userHandle: string;
  readonly identityUserId: string;
  /** The credential public key exactly as the authenticator sent it (COSE_Key, CBOR). */
  readonly publicKey: Uint8Array;
  readonly algorithm: CoseAlgorithmIdentifier;
  readonly counter: number;
  readonly transports: readonly AuthenticatorTransport[];
  readonly aaguid: string;
  readonly attestationFormat: AttestationFormatId;
  /** The attestation statement's verdict; credentials stored before it read as `legacyAttestation`. */
  readonly attestation: StoredAttestation;
  readonly backupEligible: boolean;
  readonly backupState: boolean;
  readonly userVerifiedAtRegistration: boolean;
  readonly createdAt: EpochMillis;
  readonly lastUsedAt: EpochMillis | null;
  /**
   * What the user calls this passkey (names.ts `preparePasskeyName`): unique per user by its
   * `passkeyNameKey`. Defaults to the authenticator's name at registration.
   */
  readonly name: string;
  /** A disabled passkey cannot sign in, is not offered in `allowCredentials`, but stays listed and excluded. */
  readonly enabled: boolean;
  /**
   * How it was created: `conditional` for an automatic passkey upgrade, registered without the user's
   * presence shown (ADR 0025). Signing in with it is like signing in with any other: user presence
   * always, user verification as the relying party's policy says. Credentials stored before this
   * field are `modal`.
   */
  readonly registrationMediation: RegistrationMediation;
}

/** What a successful sign-in changes on a credential; written only after every check passed. */
export interface AuthenticationUpdate {
  readonly counter: number;
  readonly backupState: boolean;
  readonly lastUsedAt: EpochMillis;
}

export interface RegistrationSession {
  readonly kind: "registration";
  readonly id: string;
  readonly challenge: string;
  readonly userHandle: string;
  readonly username: string;
  readonly displayName: string;
  /** null: a new user, to be created in the identity provider when the ceremony finishes. */
  readonly identityUserId: string | null;
  /** true when the handle is new and the user link must be written with the credential. */
  readonly newAccount: boolean;
  /**
   * The user verification the creation options asked for, and the response must show: the relying
   * party's, except that a conditional create never asks for `required` (ADR 0025).
   */
  readonly userVerification: UserVerificationRequirement;
  /**
   * `conditional` only for a signed-in user's automatic passkey upgrade (never a sign-up): then, and
   * only then, the response need not show the user present. Sessions saved before this field are `modal`.
   */
  readonly mediation: RegistrationMediation;
  readonly algorithms: readonly CoseAlgorithmIdentifier[];
  readonly expiresAt: EpochMillis;
}

export interface AuthenticationSession {
  readonly kind: "authentication";
  /** The challenge itself (base64url): the response's client data names it, so it is the key. */
  readonly id: string;
  readonly challenge: string;
  /** null for a discoverable sign-in, where the user is learnt from the credential. */
  readonly userHandle: string | null;
  /** Empty for a discoverable sign-in; otherwise the only credentials this session accepts. */
  readonly allowCredentials: readonly string[];
  readonly userVerification: UserVerificationRequirement;
  readonly expiresAt: EpochMillis;
}

export type CeremonySession = RegistrationSession | AuthenticationSession;
