/**
 * The W3C WebAuthn Level 3 JSON forms (§5.1.8, §5.4 "...JSON" dictionaries), as produced by
 * `PublicKeyCredential.toJSON()` and @simplewebauthn/browser. Binary values are base64url
 * without padding. These types describe what we *send*; what we *receive* is `unknown` until
 * `parse-response.ts` has turned it into typed values.
 */
export type Base64Url = string;

export type CoseAlgorithmIdentifier = -7 | -8 | -257;

/** §5.8.6 UserVerificationRequirement. */
export const USER_VERIFICATION_REQUIREMENTS = ["required", "preferred", "discouraged"] as const;
export type UserVerificationRequirement = (typeof USER_VERIFICATION_REQUIREMENTS)[number];

/**
 * The attestation conveyances keyport asks for; `indirect` is not offered (ADR 0027).
 * Here rather than beside the relying party, so that the configuration (which DefineAuthChallenge's
 * bundle reads) does not pull the ceremonies' hashing in.
 */
export const ATTESTATION_CONVEYANCES = ["none", "direct", "enterprise"] as const;
export type AttestationConveyance = (typeof ATTESTATION_CONVEYANCES)[number];

/** §5.8.4 AuthenticatorTransport, plus "cable", the name "hybrid" had in earlier browsers. */
export const AUTHENTICATOR_TRANSPORTS = ["ble", "cable", "hybrid", "internal", "nfc", "smart-card", "usb"] as const;
export type AuthenticatorTransport = (typeof AUTHENTICATOR_TRANSPORTS)[number];

export interface PublicKeyCredentialDescriptorJSON {
  type: "public-key";
  id: Base64Url;
  transports?: AuthenticatorTransport[];
}

export interface PublicKeyCredentialCreationOptionsJSON {
  rp: { id: string; name: string };
  user: { id: Base64Url; name: string; displayName: string };
  challenge: Base64Url;
  pubKeyCredParams: { type: "public-key"; alg: CoseAlgorithmIdentifier }[];
  timeout: number;
  excludeCredentials: PublicKeyCredentialDescriptorJSON[];
  authenticatorSelection: {
    residentKey: "required";
    requireResidentKey: true;
    userVerification: UserVerificationRequirement;
  };
  attestation: "none" | "direct" | "indirect" | "enterprise";
  extensions: { credProps: true };
}

export interface PublicKeyCredentialRequestOptionsJSON {
  challenge: Base64Url;
  timeout: number;
  rpId: string;
  allowCredentials: PublicKeyCredentialDescriptorJSON[];
  userVerification: UserVerificationRequirement;
}

export interface RegistrationResponseJSON {
  id: Base64Url;
  rawId: Base64Url;
  type: "public-key";
  response: {
    clientDataJSON: Base64Url;
    attestationObject: Base64Url;
    authenticatorData?: Base64Url;
    /** As the client sends it: §5.8.4 tells clients to ignore unknown values, so keyport does too (parseTransports). */
    transports?: string[];
    publicKeyAlgorithm?: number;
    publicKey?: Base64Url;
  };
  authenticatorAttachment?: "platform" | "cross-platform" | null;
  clientExtensionResults: Record<string, unknown>;
}

export interface AuthenticationResponseJSON {
  id: Base64Url;
  rawId: Base64Url;
  type: "public-key";
  response: {
    clientDataJSON: Base64Url;
    authenticatorData: Base64Url;
    signature: Base64Url;
    userHandle?: Base64Url | null;
  };
  authenticatorAttachment?: "platform" | "cross-platform" | null;
  clientExtensionResults: Record<string, unknown>;
}
