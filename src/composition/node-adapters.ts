/**
 * The adapters keyport composes with on Node outside Lambda, written once for the local server's
 * container (container.ts) and `keyport/node`'s `composeKeyport`: the community authenticator catalog,
 * the node:crypto X.509 verifier, FIDO metadata from a BLOB file or S3, the API's services, and the
 * identity provider IDENTITY_PROVIDER names. What `overrides` give wins.
 */
import { apiServices } from "./api-services.js";
import { authenticatorCatalog } from "./authenticator-catalogs.js";
import { certificateVerifier } from "./certificate-verifiers.js";
import type { KeyportConfig } from "./config.js";
import { withConfiguredIdentityProvider } from "./identity-providers.js";
import { localMetadataSource } from "./metadata-sources.js";
import type { AdapterOverrides } from "./services.js";

/** Throws ConfigError for IDENTITY_PROVIDER=cognito without the Cognito settings. */
export function withNodeAdapters(config: KeyportConfig, overrides: AdapterOverrides = {}): AdapterOverrides {
  return withConfiguredIdentityProvider(config, {
    ...overrides,
    authenticatorCatalog: overrides.authenticatorCatalog ?? authenticatorCatalog,
    certificateVerifier: overrides.certificateVerifier ?? certificateVerifier,
    metadataSource: overrides.metadataSource ?? localMetadataSource,
    apiServices: overrides.apiServices ?? apiServices,
  });
}
