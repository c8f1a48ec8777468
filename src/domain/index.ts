/** keyport's domain core: pure TypeScript, no I/O of its own, runs wherever WebCrypto-free JS runs. */
export * from "./authentication-ceremony.js";
export * from "./challenge-state-machine.js";
export * from "./cose.js";
export * from "./errors.js";
export type * from "./model.js";
export * from "./parse-response.js";
export * from "./registration-ceremony.js";
export * from "./relying-party.js";
export * from "./result.js";
export type * from "./webauthn-json.js";
export * from "./passkey-challenge.js";
export * from "./passkey-sign-in.js";
