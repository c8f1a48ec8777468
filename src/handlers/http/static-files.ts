/**
 * The demo page's files, served by the local server only (the Lambda serves none). The app asks for
 * one of a fixed set of paths, so no request path ever reaches the file system.
 */
// /vendor/keyport-client.js: the browser client (src/client), bundled as one ES module on request;
// /vendor/amplify-auth.js: Amplify's Auth category, the page's Cognito client for password accounts.
export const STATIC_PATHS = ["/", "/app.js", "/app.css", "/vendor/keyport-client.js", "/vendor/amplify-auth.js", "/vendor/simplewebauthn-browser.js"] as const;
export type StaticPath = (typeof STATIC_PATHS)[number];

export interface StaticAsset {
  readonly body: Uint8Array;
  readonly contentType: string;
}

export interface StaticFiles {
  /** The file for `path`, or `null` when it does not exist. */
  get(path: StaticPath): Promise<StaticAsset | null>;
}
