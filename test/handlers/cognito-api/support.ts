/** The HTTP app with a fake user pool and nothing else behind it, and a client that speaks Cognito's JSON protocol to it. */
import { createApp, type AppDependencies } from "../../../src/handlers/http/app.js";
import type { LogEntry } from "../../../src/handlers/http/log.js";
import type { StaticFiles } from "../../../src/handlers/http/static-files.js";
import { FakeUserPool } from "./fake-user-pool.js";

export const ORIGIN = "https://app.example.com";
export const AMZ_JSON = "application/x-amz-json-1.1";
export const TARGET = "AWSCognitoIdentityProviderService.";

/** The API's own services: never called by the Cognito API, so any call is a test failure. */
const notCalled = new Proxy(
  {},
  {
    get: (_target, name) => () => {
      throw new Error(`the Cognito API called ${String(name)}`);
    },
  },
);

export interface CognitoApiResponse {
  readonly status: number;
  readonly headers: Headers;
  readonly text: string;
  readonly json: any; // eslint-disable-line @typescript-eslint/no-explicit-any -- answers are checked member by member
}

export function cognitoApp(options: { readonly userPool?: boolean; readonly staticFiles?: StaticFiles } = {}) {
  const pool = new FakeUserPool();
  const logs: LogEntry[] = [];
  // The services the Cognito API never calls, as the proxy above (their types are the app's business).
  const unused = notCalled as AppDependencies["registration"] & AppDependencies["signIn"] & AppDependencies["passkeys"] & AppDependencies["identityProvider"];
  const app = createApp({
    registration: unused,
    signIn: unused,
    passkeys: unused,
    identityProvider: unused,
    allowedOrigins: [ORIGIN],
    log: (entry) => logs.push(entry),
    ...(options.userPool === false ? {} : { userPool: pool }),
    ...(options.staticFiles === undefined ? {} : { staticFiles: options.staticFiles }),
  });

  async function send(init: RequestInit, path = "/"): Promise<CognitoApiResponse> {
    const response = await app.request(path, init);
    const text = await response.text();
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      json = undefined;
    }
    return { status: response.status, headers: response.headers, text, json };
  }

  /** `POST /` as the AWS SDK sends it: the target, the 1.1 content type, the body as JSON (a string as it is). */
  const call = (operation: string, body: unknown, headers: Record<string, string> = {}): Promise<CognitoApiResponse> =>
    send({
      method: "POST",
      headers: { "Content-Type": AMZ_JSON, "X-Amz-Target": `${TARGET}${operation}`, ...headers },
      body: typeof body === "string" ? body : JSON.stringify(body),
    });

  return { app, pool, logs, send, call };
}
