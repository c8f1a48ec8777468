export type { Clock } from "./clock.js";
export type { RandomSource } from "./random-source.js";
export type { SessionStore } from "./session-store.js";
export type { CredentialStore, AddCredentialOutcome, RecordAuthenticationOutcome } from "./credential-store.js";
export type { SignatureVerifier } from "./signature-verifier.js";
export type * from "./identity-provider.js";
export type * from "./custom-challenge-triggers.js";
export { StorageUnavailableError } from "./storage-unavailable-error.js";
export type { IdentityUser, IdentityUserDirectory } from "./identity-user-directory.js";
