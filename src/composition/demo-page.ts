/**
 * What the local server tells its demo page of password accounts (src/handlers/http/demo-page-settings.ts):
 * with the local identity provider, its own user pool, whose Cognito API the server answers at its root
 * (endpoint "/", resolved by the page against the API's base URL); with Cognito, the configured pool at
 * Cognito's regional endpoint, unless its app client has a secret (a page cannot keep one, and Amplify
 * has no place for it): then passkeys only. The second-factor policy and the attestation the creation
 * options ask for (ATTESTATION) are the server's own.
 */
import type { DemoPageSettings } from "../handlers/http/demo-page-settings.js";
import type { KeyportConfig } from "./config.js";

export function demoPageSettings(
  config: Pick<KeyportConfig, "identityProvider" | "localUserPoolId" | "localClientId" | "cognito" | "secondFactor"> & { readonly relyingParty: Pick<KeyportConfig["relyingParty"], "attestation"> },
): DemoPageSettings {
  const { cognito, secondFactor } = config;
  const attestation = config.relyingParty.attestation ?? "none";
  if (config.identityProvider === "local") {
    return { userPool: { userPoolId: config.localUserPoolId, userPoolClientId: config.localClientId, endpoint: "/" }, secondFactor, attestation };
  }
  if (cognito === null || cognito.clientSecret !== null) return { userPool: null, secondFactor, attestation };
  return { userPool: { userPoolId: cognito.userPoolId, userPoolClientId: cognito.clientId, endpoint: null }, secondFactor, attestation };
}
