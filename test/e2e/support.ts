/**
 * Browser end-to-end harness: keyport's real HTTP server in-process, Debian's Chromium driven by
 * playwright-core, and Chrome DevTools Protocol virtual authenticators standing in for a person's
 * device. WebAuthn needs a secure context; http://localhost counts as one, so the page is loaded
 * from http://localhost:<port> and RP_ID is "localhost".
 */
import { createServer } from "node:net";
import { chromium, type Browser, type BrowserContext, type CDPSession, type Page, type Request } from "playwright-core";
import { afterAll, beforeAll } from "vitest";
import type { LogEntry } from "../../src/handlers/http/log.js";
import { startServer } from "../../src/composition/local-server.js";

export const CHROMIUM = "/usr/bin/chromium";

/** Flags for a quiet, offline-friendly headless Chromium (no sync, updates or background fetches). */
const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
  "--disable-quic",
];

/** A port nobody listens on right now: the server must know it before start, for ALLOWED_ORIGINS. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const address = probe.address();
      const port = typeof address === "object" && address !== null ? address.port : 0;
      probe.close(() => (port > 0 ? resolve(port) : reject(new Error("no port"))));
    });
  });
}

/** The server's clock: real time, which a test may move forward (the browser's own clock stays real). */
export class ShiftableClock {
  #offset = 0;
  now(): number {
    return Date.now() + this.#offset;
  }
  advance(ms: number): void {
    this.#offset += ms;
  }
}

export interface Keyport {
  /** The server's clock. */
  readonly clock: ShiftableClock;
  /** http://localhost:<port>: the page's origin, also the API's. */
  readonly origin: string;
  /** The server's log entries (kept off stdout; errors are echoed to stderr). */
  readonly logs: LogEntry[];
  close(): Promise<void>;
}

export async function startKeyport(extraEnv: Record<string, string> = {}): Promise<Keyport> {
  const port = await freePort();
  const origin = `http://localhost:${port}`;
  const logs: LogEntry[] = [];
  const clock = new ShiftableClock();
  // A clean environment: the developer's shell must not change what the tests run against.
  const server = await startServer(
    {
      PORT: String(port),
      RP_ID: "localhost",
      RP_NAME: "keyport e2e",
      ALLOWED_ORIGINS: origin,
      STORAGE: "memory",
      IDENTITY_PROVIDER: "local",
      ...extraEnv,
    },
    {
      hostname: "127.0.0.1", // loopback only; Chromium and Node both reach "localhost" there
      overrides: { clock },
      log: (entry) => {
        logs.push(entry);
        if (entry.level === "error") console.error("keyport:", JSON.stringify(entry));
      },
    },
  );
  return { clock, origin, logs, close: () => server.close() };
}

/** A test file's keyport server and Chromium (see `useDemo`), and a page on the demo for each test. */
export interface Demo {
  readonly keyport: Keyport;
  readonly browser: Browser;
  /**
   * Opens the page (`visit`, at keyport's origin unless another is given), runs the test, and closes the
   * context even when the test fails.
   */
  withVisit(test: (v: Visit) => Promise<void>, options?: VisitOptions, origin?: string): Promise<void>;
}

/**
 * The start-up every demo test file shares: within a `describe`, starts one keyport server (on
 * `extraEnv` beside startKeyport's clean environment) and one Chromium before its tests, and stops both
 * after them. Tests share only the server and the browser process: each visit has its own context.
 */
export function useDemo(extraEnv: Record<string, string> = {}): Demo {
  let keyport: Keyport | undefined;
  let browser: Browser | undefined;
  beforeAll(async () => {
    [keyport, browser] = await Promise.all([startKeyport(extraEnv), launchChromium()]);
  });
  afterAll(async () => {
    await browser?.close();
    await keyport?.close();
  });
  const started = <T>(value: T | undefined, what: string): T => {
    if (value === undefined) throw new Error(`the ${what} is not started: use the demo inside its describe's tests`);
    return value;
  };
  const demo: Demo = {
    get keyport() {
      return started(keyport, "keyport server");
    },
    get browser() {
      return started(browser, "browser");
    },
    async withVisit(test, options = {}, origin = demo.keyport.origin) {
      const v = await visit(demo.browser, origin, options);
      try {
        await test(v);
      } finally {
        await v.close();
      }
    },
  };
  return demo;
}

/** Chromium with its own fresh, empty profile (Playwright makes a temporary user-data-dir). */
export async function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
}

export interface VirtualDevice {
  readonly cdp: CDPSession;
  authenticatorId: string;
  /** Replaces the current authenticator with a new, empty one (a second device). */
  swap(options?: AuthenticatorOptions): Promise<string>;
  credentials(): Promise<VirtualCredential[]>;
  /** Puts a credential (from `credentials()`, maybe of another authenticator) on the current authenticator. */
  add(credential: VirtualCredential): Promise<void>;
  setUserVerified(isUserVerified: boolean): Promise<void>;
}

async function listCredentials(cdp: CDPSession, authenticatorId: string) {
  return (await cdp.send("WebAuthn.getCredentials", { authenticatorId })).credentials;
}
/** A credential as CDP reports it: IDs, user handle and key in standard (padded) base64. */
export type VirtualCredential = Awaited<ReturnType<typeof listCredentials>>[number];

/** How an authenticator differs from the default one: whether its passkeys can be, and are, backed up (synced). */
export interface AuthenticatorOptions {
  readonly backupEligible?: boolean;
  readonly backedUp?: boolean;
}

/** A platform authenticator (internal transport) that keeps discoverable credentials and verifies the user. */
async function addAuthenticator(cdp: CDPSession, options: AuthenticatorOptions = {}): Promise<string> {
  const { authenticatorId } = await cdp.send("WebAuthn.addVirtualAuthenticator", {
    options: {
      protocol: "ctap2",
      transport: "internal",
      hasResidentKey: true,
      hasUserVerification: true,
      isUserVerified: true,
      automaticPresenceSimulation: true,
      ...(options.backupEligible === undefined ? {} : { defaultBackupEligibility: options.backupEligible }),
      ...(options.backedUp === undefined ? {} : { defaultBackupState: options.backedUp }),
    },
  });
  return authenticatorId;
}

export async function attachVirtualDevice(page: Page): Promise<VirtualDevice> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send("WebAuthn.enable", { enableUI: false });
  const device: VirtualDevice = {
    cdp,
    authenticatorId: await addAuthenticator(cdp),
    async swap(options) {
      await cdp.send("WebAuthn.removeVirtualAuthenticator", { authenticatorId: device.authenticatorId });
      device.authenticatorId = await addAuthenticator(cdp, options);
      return device.authenticatorId;
    },
    credentials: () => listCredentials(cdp, device.authenticatorId),
    async add(credential) {
      await cdp.send("WebAuthn.addCredential", { authenticatorId: device.authenticatorId, credential });
    },
    async setUserVerified(isUserVerified) {
      await cdp.send("WebAuthn.setUserVerified", { authenticatorId: device.authenticatorId, isUserVerified });
    },
  };
  return device;
}

/** CDP reports credential IDs in standard base64; the API speaks base64url without padding. */
export function toBase64Url(base64: string): string {
  return base64.replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

export interface ApiCall {
  readonly method: string;
  readonly path: string;
  /** The query string, with its "?" ("" when there is none). */
  readonly search: string;
  /** The Authorization header the page sent, if any. */
  readonly authorization: string | undefined;
  /** The Cognito operation of a call to the local Cognito API (`POST /`), from its X-Amz-Target header, e.g. "InitiateAuth". */
  readonly operation: string | undefined;
  readonly body: unknown;
  readonly rawBody: string;
  readonly status: number;
  readonly response: unknown;
}

/** One call of a Signal API method (PublicKeyCredential.signal…) the page made, with its argument. */
export interface SignalCall {
  readonly method: "signalAllAcceptedCredentials" | "signalCurrentUserDetails" | "signalUnknownCredential";
  readonly argument: unknown;
}

/** One navigator.credentials call the page made, as the spy installed by `visit` saw it. */
export interface WebAuthnCall {
  readonly method: "create" | "get";
  /** "conditional" for the autofill request, "optional" for a modal one. */
  readonly mediation: string;
  /** "pending", "ok", or the DOMException's name. */
  readonly outcome: string;
}

export interface VisitOptions {
  /**
   * Whether the browser offers conditional UI (passkeys in autofill). Off by default: Chrome's virtual
   * authenticator answers a conditional request at once, as if the person had picked the passkey from
   * the autofill list, so with it on the page signs in by itself whenever the device holds a passkey.
   * Off, the page behaves as in a browser without conditional UI.
   */
  readonly autofill?: boolean;
  /** Whether the browser has the Signal API (Chromium does); off, the page sees a browser without it. */
  readonly signalApi?: boolean;
  /** The browser's locale and time zone (BCP 47 tag, IANA zone); Chromium's defaults when absent. */
  readonly locale?: string;
  readonly timezoneId?: string;
  /**
   * Serves the page at `origin` by relaying every request for it (page, scripts, API calls) to this
   * keyport origin: a look-alike site in front of the real API. Nothing needs to listen at `origin`.
   */
  readonly relayTo?: string;
  /**
   * What the browser does with a conditional create (an automatic passkey upgrade, WebAuthn L3).
   * `"pending"` (default): as Chromium does here, which reports `conditionalCreate` in
   * getClientCapabilities() but never answers such a request (it creates a passkey only for a password
   * its own password manager just filled in, and this profile has none). `"unsupported"`: the
   * capability is reported false. `"completes"`: the request is made as a modal one, which the virtual
   * authenticator answers at once, standing for a browser that creates the passkey without a prompt.
   */
  readonly conditionalCreate?: "pending" | "unsupported" | "completes";
}

/** A fresh context (own storage), a page on the demo, a virtual device, and a log of API calls. */
export interface Visit {
  readonly context: BrowserContext;
  readonly page: Page;
  readonly device: VirtualDevice;
  readonly calls: ApiCall[];
  /** The calls to one path (with one method, when given), oldest first. */
  callsTo(path: string, method?: string): ApiCall[];
  /** The calls to the local Cognito API (`POST /`), oldest first, with their operations. */
  cognitoCalls(): ApiCall[];
  /** Waits (up to 10 s) until the path has been called (with `method`, when given) at least `count` times; returns those calls. */
  waitForCalls(path: string, count?: number, method?: string): Promise<ApiCall[]>;
  /** The page's navigator.credentials calls so far, oldest first. */
  webAuthnCalls(): Promise<WebAuthnCall[]>;
  /** The page's Signal API calls so far, oldest first (they still reach the browser). */
  signalCalls(): Promise<SignalCall[]>;
  /** The page's console messages of level warning and error, and uncaught errors. */
  readonly problems: string[];
  close(): Promise<void>;
}

/**
 * Runs in the page before its scripts: records WebAuthn calls and Signal API calls (passing them on),
 * hides conditional UI unless wanted, and removes the Signal API when asked to.
 */
function instrumentWebAuthn({ autofill, signalApi, conditionalCreate }: { autofill: boolean; signalApi: boolean; conditionalCreate: string }): void {
  const calls: { method: string; mediation: string; outcome: string }[] = [];
  (window as unknown as { __webAuthnCalls: typeof calls }).__webAuthnCalls = calls;
  const container = navigator.credentials;
  for (const method of ["create", "get"] as const) {
    const original = container[method].bind(container);
    container[method] = (options?: CredentialCreationOptions & CredentialRequestOptions) => {
      const call = { method, mediation: options?.mediation ?? "optional", outcome: "pending" };
      calls.push(call);
      let asked = options;
      if (method === "create" && options?.mediation === "conditional" && conditionalCreate === "completes") {
        const { mediation: _conditional, ...modal } = options;
        asked = modal;
      }
      return original(asked).then(
        (credential) => ((call.outcome = "ok"), credential),
        (error: unknown) => {
          call.outcome = error instanceof Error ? error.name : String(error);
          throw error;
        },
      );
    };
  }
  if (!autofill) PublicKeyCredential.isConditionalMediationAvailable = async () => false;
  const capabilities = (PublicKeyCredential as unknown as { getClientCapabilities?: () => Promise<Record<string, boolean>> }).getClientCapabilities;
  if (conditionalCreate === "unsupported" && capabilities !== undefined) {
    (PublicKeyCredential as unknown as { getClientCapabilities: typeof capabilities }).getClientCapabilities = async () => ({
      ...(await capabilities.call(PublicKeyCredential)),
      conditionalCreate: false,
    });
  }

  const signalCalls: { method: string; argument: unknown }[] = [];
  (window as unknown as { __signalCalls: typeof signalCalls }).__signalCalls = signalCalls;
  const signals = PublicKeyCredential as unknown as Record<string, ((argument: unknown) => Promise<void>) | undefined>;
  for (const method of ["signalAllAcceptedCredentials", "signalCurrentUserDetails", "signalUnknownCredential"]) {
    const original = signals[method];
    if (!signalApi || typeof original !== "function") {
      delete signals[method]; // the static method lives on PublicKeyCredential itself
      continue;
    }
    signals[method] = (argument: unknown) => {
      signalCalls.push({ method, argument: JSON.parse(JSON.stringify(argument)) });
      return original.call(PublicKeyCredential, argument);
    };
  }
}

export async function visit(browser: Browser, origin: string, options: VisitOptions = {}): Promise<Visit> {
  const context = await browser.newContext({
    ...(options.locale === undefined ? {} : { locale: options.locale }),
    ...(options.timezoneId === undefined ? {} : { timezoneId: options.timezoneId }),
  });
  await context.addInitScript(instrumentWebAuthn, {
    autofill: options.autofill ?? false,
    signalApi: options.signalApi ?? true,
    conditionalCreate: options.conditionalCreate ?? "pending",
  });
  const { relayTo } = options;
  if (relayTo !== undefined) {
    await context.route(`${origin}/**`, async (route) => {
      const url = new URL(route.request().url());
      // Same method, headers and body; only the address changes (Playwright sends it, so no CORS applies).
      await route.fulfill({ response: await route.fetch({ url: `${relayTo}${url.pathname}${url.search}` }) });
    });
  }
  const page = await context.newPage();
  const calls: ApiCall[] = [];
  const problems: string[] = [];
  page.on("console", (message) => {
    if (message.type() === "error" || message.type() === "warning") problems.push(`${message.type()}: ${message.text()}`);
  });
  page.on("pageerror", (error) => problems.push(`uncaught: ${error.message}`));
  const record = async (request: Request): Promise<void> => {
    const url = new URL(request.url());
    // The page's API calls (fetch), not its own files.
    if (url.origin !== origin || request.resourceType() !== "fetch") return;
    const response = await request.response();
    const rawBody = request.postData() ?? "";
    const headers = await request.allHeaders();
    calls.push({
      method: request.method(),
      path: url.pathname,
      search: url.search,
      authorization: headers["authorization"],
      operation: headers["x-amz-target"]?.replace(/^AWSCognitoIdentityProviderService\./, ""),
      rawBody,
      body: rawBody ? JSON.parse(rawBody) : null,
      status: response?.status() ?? 0,
      response: await response?.json().catch(() => null),
    });
  };
  page.on("requestfinished", (request) => void record(request));
  page.on("requestfailed", (request) => void record(request));
  const device = await attachVirtualDevice(page);
  await page.goto(origin);
  await page.locator("body[data-ready=true]").waitFor();
  return {
    context,
    page,
    device,
    calls,
    callsTo: (path, method) => calls.filter((call) => call.path === path && (method === undefined || call.method === method)),
    cognitoCalls: () => calls.filter((call) => call.path === "/" && call.method === "POST" && call.operation !== undefined),
    async waitForCalls(path, count = 1, method) {
      // Calls are logged asynchronously (their response bodies are read over CDP), hence the polling.
      for (let waited = 0; waited < 10_000; waited += 50) {
        const matching = calls.filter((call) => call.path === path && (method === undefined || call.method === method));
        if (matching.length >= count) return matching;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      throw new Error(`expected ${count} call(s) to ${path}, saw ${calls.map((call) => call.path).join(", ") || "none"}`);
    },
    webAuthnCalls: () => page.evaluate(() => [...(window as unknown as { __webAuthnCalls: WebAuthnCall[] }).__webAuthnCalls]),
    signalCalls: () => page.evaluate(() => [...(window as unknown as { __signalCalls: SignalCall[] }).__signalCalls]),
    problems,
    close: () => context.close(),
  };
}

export function uniqueUsername(prefix: string): string {
  return `${prefix}-${Date.now().toString(36)}${Math.floor(Math.random() * 1e6).toString(36)}`;
}

/** Fills the sign-up form and submits it; resolves once the page has said how it went. */
export async function signUp(page: Page, username: string, displayName: string): Promise<void> {
  await page.locator("#sign-up-username").fill(username);
  await page.locator("#sign-up-display-name").fill(displayName);
  await page.locator("#sign-up").click();
  await settled(page);
}

/** A password Cognito's default policy accepts (8+ characters, upper and lower case, a digit, a symbol). */
export const GOOD_PASSWORD = "Correct-horse-9";

/** Fills the password sign-up form and submits it; resolves once the page has said how it went. */
export async function signUpWithPassword(page: Page, username: string, displayName: string, password = GOOD_PASSWORD): Promise<void> {
  await page.locator("#password-sign-up-username").fill(username);
  await page.locator("#password-sign-up-display-name").fill(displayName);
  await page.locator("#password-sign-up-password").fill(password);
  await page.locator("#sign-up-password").click();
  await settled(page);
}

/** Fills the password sign-in form and submits it; resolves once the page has said how it went. */
export async function signInWithPassword(page: Page, username: string, password = GOOD_PASSWORD): Promise<void> {
  await page.locator("#password-sign-in-username").fill(username);
  await page.locator("#password-sign-in-password").fill(password);
  await page.locator("#sign-in-password").click();
  await settled(page);
}

/** Waits until the page is no longer busy and its status message is not a progress message. */
export async function settled(page: Page): Promise<void> {
  await page.locator('main[aria-busy="false"] #status:not([data-kind="progress"])').waitFor({ state: "attached" });
}

export async function statusText(page: Page): Promise<string> {
  return (await page.locator("#status").textContent()) ?? "";
}

/** The claims table as an object (claim name → displayed text). */
export async function displayedClaims(page: Page): Promise<Record<string, string>> {
  return page.locator("#claims tbody tr").evaluateAll((rows) =>
    Object.fromEntries(rows.map((row) => [row.getAttribute("data-claim") ?? "", row.querySelector("td")?.textContent ?? ""])),
  );
}
