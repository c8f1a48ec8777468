/**
 * `keyport/node`: what needs Node. The node:crypto signature verifier, the authenticator catalog (its
 * data file is read with node:fs from beside the module), keyport composed from its configuration (the
 * environment variables of the README's table), and the local server `npm start` runs.
 */
import type { KeyportConfig } from "../composition/config.js";
import { withNodeAdapters } from "../composition/node-adapters.js";
import { startServer as startLocalServer, type ServerOptions } from "../composition/local-server.js";
import { composeServices, type AdapterOverrides, type Services } from "../composition/services.js";

export { NodeCryptoSignatureVerifier } from "../adapters/node-crypto/node-crypto-signature-verifier.js";
export { NodeCryptoCertificateVerifier } from "../adapters/node-crypto/node-crypto-certificate-verifier.js";
// FIDO metadata (MDS3) and attestation trust for a composition of your own (ADR 0027).
export { Mds3AuthenticatorMetadata, CombinedTrustAnchors } from "../adapters/attestation/mds3-authenticator-metadata.js";
export { Mds3FileSource, readMds3Root, type Mds3FileSourceOptions } from "../adapters/attestation/mds3-file-source.js";
export type { Mds3Source, Mds3Log } from "../adapters/attestation/mds3-source.js";
export { readMds3Blob, type Mds3Metadata, type Mds3Entry, type Mds3Refusal } from "../adapters/attestation/mds3-metadata.js";
export { StaticTrustAnchors, readPemCertificateFile } from "../adapters/attestation/pem-trust-anchors.js";
export { CommunityAuthenticatorCatalog, type CommunityAuthenticatorCatalogOptions } from "../adapters/authenticators/community-authenticator-catalog.js";
export { ConfigError, parseConfig, type CognitoConfig, type DynamoDbConfig, type KeyportConfig, type MetadataConfig } from "../composition/config.js";
export type { AdapterOverrides, DynamoDbTable, Services } from "../composition/services.js";
export { appDependencies, type AppOptions, type AppServices } from "../composition/http-app.js";
export type { Log, LogEntry, LogLevel } from "../handlers/http/log.js";

/**
 * keyport composed from its configuration as the local server composes it: the storage STORAGE names,
 * the identity provider IDENTITY_PROVIDER names (Cognito, or the local one over the same storage), the
 * community authenticator catalog; `overrides` replace any of them. Builds each service when it is
 * first read. Throws ConfigError for IDENTITY_PROVIDER=cognito without the Cognito settings.
 *
 * `createApp(appDependencies(composeKeyport(parseConfig(process.env))))` (`createApp` from
 * `keyport/http`) is the HTTP API of `npm start`, to serve or mount anywhere.
 */
export function composeKeyport(config: KeyportConfig, overrides: AdapterOverrides = {}): Services {
  return composeServices(config, withNodeAdapters(config, overrides));
}

/** The local server's options that an installed package can honour (the demo page is not shipped). */
export type KeyportServerOptions = Pick<ServerOptions, "log" | "hostname">;

/** A running local server. */
export interface KeyportServer {
  /** `http://localhost:<port>` */
  readonly url: string;
  readonly port: number;
  /** What it runs on, in words: "storage: memory, identity provider: local". */
  readonly setup: string;
  /** Stops accepting connections and resolves once the open ones are done. */
  close(): Promise<void>;
}

/**
 * keyport's HTTP API on Node (`@hono/node-server`), configured by `env` as `npm start` is: `PORT=0`
 * asks for a free port. Only the API: the demo page lives in the repository, not in the package.
 * Throws ConfigError for a bad configuration.
 */
export async function startServer(env: Readonly<Record<string, string | undefined>>, options: KeyportServerOptions = {}): Promise<KeyportServer> {
  const { url, port, setup, close } = await startLocalServer(env, { ...options, serveStatic: false });
  return { url, port, setup, close };
}
