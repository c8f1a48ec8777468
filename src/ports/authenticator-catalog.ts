import type { AuthenticatorTransport } from "../domain/encoding/webauthn-json.js";

/** An authenticator as people know it: "Apple Passwords", "YubiKey 5 Series", with its icons (data: URIs). */
export interface AuthenticatorDescription {
  readonly name: string;
  /** Icons for light and dark backgrounds (`data:image/svg+xml;base64,…` or `data:image/png;base64,…`), or `null`. */
  readonly icon: { readonly light: string; readonly dark: string } | null;
}

/** What is known of a credential besides its AAGUID, for a fallback name when the AAGUID says nothing. */
export interface AuthenticatorHints {
  readonly transports: readonly AuthenticatorTransport[];
  readonly backupEligible: boolean;
}

/**
 * Names authenticators by AAGUID (WebAuthn §6.1.1), as password managers and account pages do. An AAGUID
 * is what the authenticator *claims* (with `attestation: "none"` nobody vouches for it): the name is a
 * hint for the user, never a basis for a security decision.
 *
 * Always answers: an unknown or all-zero AAGUID gets a fallback named from the hints ("Security key",
 * "Synced passkey", "Device-bound passkey"). `describe` may load its data on first use, so it is asynchronous.
 */
export interface AuthenticatorCatalog {
  describe(aaguid: string, hints: AuthenticatorHints): Promise<AuthenticatorDescription>;
}
