/**
 * `keyport/client`: passkey sign-up, sign-in and the account's life in the browser, against the keyport
 * HTTP API (docs/api.md). Browser-only and framework-neutral; built on @simplewebauthn/browser 14.
 *
 * ```ts
 * import { KeyportClient, KeyportError } from "keyport/client";
 * const keyport = new KeyportClient({ baseUrl: "https://api.example.com" });
 * await keyport.signUp({ username: "ada", displayName: "Ada Lovelace" });
 * await keyport.signIn();
 * const passkeys = await keyport.listPasskeys();
 * ```
 */
export { KeyportClient, type AutofillOptions, type FetchFunction, type KeyportClientOptions, type ReauthenticationContext } from "./client.js";
export { KeyportError, isTokenError, type ApiErrorCode, type ClientErrorCode, type KeyportErrorCode, type KeyportErrorDetails } from "./errors.js";
export { memoryTokenStore, sessionStorageTokenStore, type TokenStore } from "./token-store.js";
export { decodeJwtClaims } from "./jwt.js";
export type * from "./types.js";
