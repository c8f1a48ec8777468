/**
 * The authenticator catalog of the compositions that register or list passkeys: the local server's and
 * the HTTP API's. A factory for `AdapterOverrides.authenticatorCatalog`, so that the compositions that
 * do neither (the Cognito triggers') do not bundle the adapter.
 */
import { CommunityAuthenticatorCatalog } from "../adapters/authenticators/community-authenticator-catalog.js";
import type { AuthenticatorCatalog } from "../ports/authenticator-catalog.js";

/** The passkey-authenticator-aaguids data set (ADR 0019), read from the file beside the adapter on first use. */
export function authenticatorCatalog(): AuthenticatorCatalog {
  return new CommunityAuthenticatorCatalog();
}
