/**
 * `keyport`: the runtime-neutral public surface (ADR 0021). The domain services, the ports they depend
 * on, and the adapters that need nothing but the web platform's WebCrypto: the in-memory stores, the
 * system clock and random source, the WebCrypto signature verifier, and the local identity provider,
 * which issues its own tokens in place of Cognito. Nothing reached from here imports `node:*`, the AWS
 * SDK or inversify, so the same code runs in Node, Deno, Bun, Workers and browsers: a dependency-cruiser
 * rule and the package test (an esbuild bundle for a neutral platform) hold it to that.
 *
 * What this file, ./node, ./aws, ./http, ./cdk and ../client/index export is keyport's public API,
 * recorded in api-reports/ and changed only with the CHANGELOG; everything else is private.
 */
export * from "../domain/index.js";
export * from "../ports/index.js";

export { InMemoryCredentialStore } from "../adapters/in-memory/in-memory-credential-store.js";
export { InMemorySessionStore } from "../adapters/in-memory/in-memory-session-store.js";
export { InMemorySecurityEventLog, type InMemorySecurityEventLogOptions } from "../adapters/in-memory/in-memory-security-event-log.js";
export { InMemoryIdentityUserDirectory } from "../adapters/in-memory/in-memory-identity-user-directory.js";
export { InMemoryCeremonyMetrics, type CeremonyCount } from "../adapters/system/in-memory-ceremony-metrics.js";
export { LogLostEventReporter, type ErrorLog } from "../adapters/system/log-lost-event-reporter.js";
export { SystemClock } from "../adapters/system/system-clock.js";
export { WebCryptoRandomSource } from "../adapters/system/web-crypto-random-source.js";
export { WebCryptoSignatureVerifier } from "../adapters/webcrypto/web-crypto-signature-verifier.js";
export { LocalIdentityProvider, type LocalIdentityProviderOptions } from "../adapters/local-identity/local-identity-provider.js";
// The custom-challenge triggers as plain functions: what the local identity provider runs in-process,
// and what keyport/aws wraps as Lambda handlers for Cognito.
export {
  createAuthChallengeTrigger,
  createCustomChallengeTriggers,
  defineAuthChallengeTrigger,
  verifyAuthChallengeResponseTrigger,
  type TriggerLog,
} from "../handlers/cognito/triggers.js";
