/**
 * The HTTP app on the local composition (local identity provider, in-memory stores) with a manual
 * clock and a small authenticator catalog, and a small JSON client that drives it either in-process
 * (`app.request`) or over a socket.
 */
import type { GetConnInfo } from "hono/conninfo";
import type { Container } from "inversify";
import { parseConfig, type KeyportConfig } from "../../../src/composition/config.js";
import { appDependenciesFromContainer, buildContainer, resolve, Tokens } from "../../../src/composition/container.js";
import type { AdapterOverrides } from "../../../src/composition/services.js";
import type { LocalIdentityProvider } from "../../../src/adapters/local-identity/local-identity-provider.js";
import { createApp } from "../../../src/handlers/http/app.js";
import type { LogEntry } from "../../../src/handlers/http/log.js";
import type { StaticFiles } from "../../../src/handlers/http/static-files.js";
import type { AuthenticatorCatalog } from "../../../src/ports/authenticator-catalog.js";
import type { PublicKeyCredentialCreationOptionsJSON, PublicKeyCredentialRequestOptionsJSON } from "../../../src/domain/encoding/webauthn-json.js";
import { ManualClock } from "../../support/manual-clock.js";
import type { SoftwareAuthenticator, TestAlgorithm } from "../../support/software-authenticator.js";

export const ORIGIN = "http://localhost:3000";

export const TEST_ENV: Readonly<Record<string, string>> = {
  RP_ID: "localhost",
  RP_NAME: "keyport http test",
  ALLOWED_ORIGINS: ORIGIN,
  STORAGE: "memory",
  IDENTITY_PROVIDER: "local",
  UNKNOWN_USER_SECRET: "a2V5cG9ydC1odHRwLXRlc3QtdW5rbm93bi11c2VyLXNlY3JldA",
};

/**
 * The storage the app under test uses: in-memory, or DynamoDB Local when the `api-dynamodb` test
 * project runs these same tests (test/support/dynamodb-api-setup.ts sets the variables).
 */
export function storageEnv(): Record<string, string> {
  if (process.env.KEYPORT_TEST_STORAGE !== "dynamodb") return {};
  return {
    STORAGE: "dynamodb",
    DYNAMODB_ENDPOINT: process.env.KEYPORT_TEST_DYNAMODB_ENDPOINT ?? "",
    SESSION_TABLE: process.env.KEYPORT_TEST_SESSION_TABLE ?? "",
    CREDENTIAL_TABLE: process.env.KEYPORT_TEST_CREDENTIAL_TABLE ?? "",
    EVENT_TABLE: process.env.KEYPORT_TEST_EVENT_TABLE ?? "",
  };
}

/** DynamoDB Local deletes items whose TTL has passed, so a manual clock there starts at the real time. */
export function testClock(): ManualClock {
  return process.env.KEYPORT_TEST_STORAGE === "dynamodb" ? new ManualClock(Date.now()) : new ManualClock();
}

/**
 * The catalog the app under test names authenticators with: one known authenticator with icons, and a
 * fallback for any other AAGUID, so that names in answers are predictable whatever the real data set
 * says (its adapter has tests of its own).
 */
export const TEST_AUTHENTICATOR = {
  /** As formatted in stored credentials: lower-case hex with dashes. */
  aaguid: "6b657970-6f72-7420-7465-737420616167",
  bytes: Uint8Array.from(Buffer.from("6b6579706f7274207465737420616167", "hex")),
  name: "Keyport Test Key",
  icon: { light: "data:image/svg+xml;base64,bGlnaHQ", dark: "data:image/svg+xml;base64,ZGFyaw" },
} as const;
export const FALLBACK_AUTHENTICATOR_NAME = "Some passkey";

export const testCatalog: AuthenticatorCatalog = {
  describe: async (aaguid) =>
    aaguid === TEST_AUTHENTICATOR.aaguid ? { name: TEST_AUTHENTICATOR.name, icon: { ...TEST_AUTHENTICATOR.icon } } : { name: FALLBACK_AUTHENTICATOR_NAME, icon: null },
};

export interface ApiResponse {
  readonly status: number;
  readonly headers: Headers;
  readonly text: string;
  /** The parsed body; `undefined` when it was not JSON. */
  readonly json: any; // eslint-disable-line @typescript-eslint/no-explicit-any -- response bodies are checked field by field
}

export type Fetcher = (path: string, init: RequestInit) => Promise<Response>;

export class ApiClient {
  constructor(private readonly fetcher: Fetcher) {}

  async send(path: string, init: RequestInit = {}): Promise<ApiResponse> {
    const response = await this.fetcher(path, init);
    const text = await response.text();
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      json = undefined;
    }
    return { status: response.status, headers: response.headers, text, json };
  }

  /** POSTs `body` as JSON (a string is sent as is). */
  post(path: string, body: unknown, headers: Record<string, string> = {}): Promise<ApiResponse> {
    return this.send(path, {
      method: "POST",
      headers: { "Content-Type": "application/json", ...headers },
      body: typeof body === "string" ? body : JSON.stringify(body),
    });
  }

  get(path: string, headers: Record<string, string> = {}): Promise<ApiResponse> {
    return this.send(path, { method: "GET", headers });
  }

  /** PATCHes `body` as JSON. */
  patch(path: string, body: unknown, headers: Record<string, string> = {}): Promise<ApiResponse> {
    return this.send(path, { method: "PATCH", headers: { "Content-Type": "application/json", ...headers }, body: JSON.stringify(body) });
  }

  delete(path: string, headers: Record<string, string> = {}): Promise<ApiResponse> {
    return this.send(path, { method: "DELETE", headers });
  }
}

/** The header that carries an ID token. */
export const bearer = (idToken: string): Record<string, string> => ({ Authorization: `Bearer ${idToken}` });

export interface TestApp {
  readonly app: ReturnType<typeof createApp>;
  readonly client: ApiClient;
  readonly container: Container;
  readonly config: KeyportConfig;
  readonly clock: ManualClock;
  readonly identityProvider: LocalIdentityProvider;
  readonly logs: LogEntry[];
}

export function buildTestApp(
  options: { overrides?: AdapterOverrides; staticFiles?: StaticFiles; env?: Record<string, string>; connInfo?: GetConnInfo } = {},
): TestApp {
  const config = parseConfig({ ...TEST_ENV, ...storageEnv(), ...options.env });
  const clock = testClock();
  const logs: LogEntry[] = [];
  const log = (entry: LogEntry) => logs.push(entry);
  // One log for the requests and the services (a lost security event), as the local server has.
  const container = buildContainer(config, { clock, authenticatorCatalog: () => testCatalog, log, ...options.overrides });
  const app = createApp(appDependenciesFromContainer(container, { log, staticFiles: options.staticFiles, connInfo: options.connInfo }));
  return {
    app,
    client: new ApiClient(async (path, init) => app.request(path, init)),
    container,
    config,
    clock,
    identityProvider: resolve(container, Tokens.identityProvider) as LocalIdentityProvider,
    logs,
  };
}

export function expectOk(response: ApiResponse, what: string): void {
  if (response.status !== 200) throw new Error(`${what}: expected 200, got ${response.status} ${response.text}`);
}

export interface SignedUp {
  readonly userId: string;
  readonly credentialId: string;
  /** The passkey's default name. */
  readonly name: string;
  readonly options: PublicKeyCredentialCreationOptionsJSON;
}

/** Sign-up through the API: start, the authenticator makes a credential, finish. */
export async function signUp(
  client: ApiClient,
  authenticator: SoftwareAuthenticator,
  username: string,
  algorithm: TestAlgorithm = "ES256",
): Promise<SignedUp> {
  const started = await client.post("/registration/start", { username, displayName: `${username} (display)` });
  expectOk(started, "registration/start");
  const options = started.json.credentialCreationOptions as PublicKeyCredentialCreationOptionsJSON;
  const credential = authenticator.createCredential(options, { origin: ORIGIN, algorithm });
  const finished = await client.post("/registration/finish", { sessionId: started.json.sessionId, publicKeyCredential: credential });
  expectOk(finished, "registration/finish");
  return { userId: finished.json.userId, credentialId: finished.json.credentialId, name: finished.json.name, options };
}

/** A signed-in user adds a passkey: start-verified with the ID token, the authenticator makes it, finish. */
export async function addPasskey(client: ApiClient, idToken: string, authenticator: SoftwareAuthenticator): Promise<{ credentialId: string; name: string; signals: unknown[] }> {
  const started = await client.post("/registration/start-verified", {}, bearer(idToken));
  expectOk(started, "registration/start-verified");
  const credential = authenticator.createCredential(started.json.credentialCreationOptions as PublicKeyCredentialCreationOptionsJSON, { origin: ORIGIN });
  const finished = await client.post("/registration/finish", { sessionId: started.json.sessionId, publicKeyCredential: credential }, bearer(idToken));
  expectOk(finished, "registration/finish");
  return { credentialId: finished.json.credentialId, name: finished.json.name, signals: finished.json.signals };
}

export interface TokenResponse {
  readonly accessToken: string;
  readonly idToken: string;
  readonly refreshToken: string;
  readonly expiresIn: number;
  readonly tokenType: string;
  /** For the client's passkey provider (allAcceptedCredentials, currentUserDetails). */
  readonly signals: readonly unknown[];
}

/** Discoverable sign-in: discover, the authenticator picks the credential, start with its user handle, finish. */
export async function discoverableSignIn(client: ApiClient, authenticator: SoftwareAuthenticator): Promise<TokenResponse> {
  const discovered = await client.post("/authentication/discover", {});
  expectOk(discovered, "authentication/discover");
  const assertion = authenticator.getAssertion(discovered.json.credentialRequestOptions as PublicKeyCredentialRequestOptionsJSON, { origin: ORIGIN });
  const userId = assertion.response.userHandle!;
  const started = await client.post("/authentication/start", { userId });
  expectOk(started, "authentication/start");
  const finished = await client.post("/authentication/finish", { session: started.json.session, userId, publicKeyCredential: assertion });
  expectOk(finished, "authentication/finish");
  return finished.json as TokenResponse;
}

/** Username-first sign-in: start names the user, the authenticator answers the options start returned. */
export async function usernameFirstSignIn(client: ApiClient, authenticator: SoftwareAuthenticator, userId: string): Promise<TokenResponse> {
  const started = await client.post("/authentication/start", { userId });
  expectOk(started, "authentication/start");
  const assertion = authenticator.getAssertion(started.json.credentialRequestOptions as PublicKeyCredentialRequestOptionsJSON, { origin: ORIGIN });
  const finished = await client.post("/authentication/finish", { session: started.json.session, userId, publicKeyCredential: assertion });
  expectOk(finished, "authentication/finish");
  return finished.json as TokenResponse;
}

