/**
 * The demo as a static site (`npm run build:site`), in Chromium with a virtual authenticator: the built
 * folder served by a plain static file server that knows nothing of keyport (no keyport headers, no
 * node_modules), talking to keyport's API on another origin through the keyport-api meta tag, and,
 * built without an API URL, on its own origin through a host that forwards every other path to the API
 * (as a CDN in front of API Gateway would).
 */
import { once } from "node:events";
import { mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { tmpdir } from "node:os";
import { extname, join, normalize, sep } from "node:path";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildSite } from "../../scripts/build-site.js";
import { STATIC_PATHS } from "../../src/handlers/http/static-files.js";
import {
  launchChromium,
  settled,
  signInWithPassword,
  signUp,
  signUpWithPassword,
  startKeyport,
  statusText,
  uniqueUsername,
  visit,
  type Keyport,
  type Visit,
} from "./support.js";

const CONTENT_TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
};

interface StaticHost {
  readonly origin: string;
  /** What it was asked for, and how it answered: "file" (with the status) or "forwarded". */
  readonly requests: { method: string; path: string; status: number; how: "file" | "forwarded" }[];
  close(): Promise<void>;
}

/**
 * A plain static file server: files of `root` by path (`/` is index.html), with a content type by
 * extension and no other header. With `forwardTo`, a path that is no file goes to that origin instead.
 */
async function startStaticHost(root: () => string, forwardTo?: () => string): Promise<StaticHost> {
  const requests: StaticHost["requests"] = [];
  const fileFor = (path: string): string | null => {
    const file = normalize(join(root(), path.endsWith("/") ? `${path}index.html` : path));
    if (!file.startsWith(root() + sep)) return null;
    try {
      return statSync(file).isFile() ? file : null;
    } catch {
      return null;
    }
  };
  const answer = async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    const url = new URL(request.url ?? "/", "http://host");
    const method = request.method ?? "GET";
    const file = method === "GET" || method === "HEAD" ? fileFor(decodeURIComponent(url.pathname)) : null;
    if (file === null && forwardTo !== undefined) {
      const chunks: Buffer[] = [];
      for await (const chunk of request) chunks.push(chunk as Buffer);
      const headers = new Headers();
      for (const [name, value] of Object.entries(request.headers)) {
        if (typeof value === "string" && !["host", "connection", "content-length"].includes(name)) headers.set(name, value);
      }
      const forwarded = await fetch(`${forwardTo()}${url.pathname}${url.search}`, {
        method,
        headers,
        body: chunks.length === 0 ? undefined : Buffer.concat(chunks),
        redirect: "manual",
      });
      const body = Buffer.from(await forwarded.arrayBuffer());
      // fetch has decoded the body, so the headers about its encoding and length no longer hold.
      const kept: Record<string, string> = {};
      forwarded.headers.forEach((value, name) => {
        if (!["content-encoding", "content-length", "transfer-encoding", "connection"].includes(name)) kept[name] = value;
      });
      response.writeHead(forwarded.status, kept);
      response.end(body);
      requests.push({ method, path: url.pathname, status: forwarded.status, how: "forwarded" });
      return;
    }
    if (file === null) {
      response.writeHead(404, { "Content-Type": "text/plain" }).end("not found");
    } else {
      response.writeHead(200, { "Content-Type": CONTENT_TYPES[extname(file)] ?? "application/octet-stream" }).end(readFileSync(file));
    }
    requests.push({ method, path: url.pathname, status: file === null ? 404 : 200, how: "file" });
  };
  const server: Server = createServer((request, response) => {
    answer(request, response).catch((error: unknown) => {
      console.error("static host:", error);
      if (!response.headersSent) response.writeHead(502);
      response.end();
    });
  });
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const address = server.address();
  if (address === null || typeof address === "string") throw new Error("no port");
  return {
    origin: `http://localhost:${address.port}`,
    requests,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

describe.skipIf(process.env.KEYPORT_E2E !== "1")("the demo built as a static site", () => {
  let browser: Browser;
  let keyport: Keyport;
  /** The site built with `--api <keyport>`, on an origin of its own. */
  let apart: StaticHost;
  /** The site built without an API URL, on a host that forwards the API's paths to keyport. */
  let together: StaticHost;
  /** The site built with `--api <keyport>` and keyport's local user pool, on an origin of its own. */
  let withPasswords: StaticHost;
  const folders = { apart: "", together: "", withPasswords: "" };
  const served = new Set<string>(STATIC_PATHS);

  beforeAll(async () => {
    // The hosts first: keyport must know their origins (ALLOWED_ORIGINS) when it starts.
    apart = await startStaticHost(() => folders.apart);
    together = await startStaticHost(() => folders.together, () => keyport.origin);
    withPasswords = await startStaticHost(() => folders.withPasswords);
    [keyport, browser] = await Promise.all([
      startKeyport({ ALLOWED_ORIGINS: `${apart.origin},${together.origin},${withPasswords.origin}` }),
      launchChromium(),
    ]);
    folders.apart = (await buildSite({ outDir: join(mkdtempSync(join(tmpdir(), "keyport-site-")), "site"), apiUrl: keyport.origin })).outDir;
    folders.together = (await buildSite({ outDir: join(mkdtempSync(join(tmpdir(), "keyport-site-")), "site") })).outDir;
    // "/": the user pool answers at the API's own root, as the local server's does.
    const localPool = { userPoolId: "us-east-1_keyportlocal", userPoolClientId: "keyportlocalclient", endpoint: "/" };
    folders.withPasswords = (await buildSite({ outDir: join(mkdtempSync(join(tmpdir(), "keyport-site-")), "site"), apiUrl: keyport.origin, userPool: localPool })).outDir;
  });

  afterAll(async () => {
    await browser?.close();
    await keyport?.close();
    await apart?.close();
    await together?.close();
    await withPasswords?.close();
    for (const folder of Object.values(folders)) if (folder !== "") rmSync(join(folder, ".."), { recursive: true, force: true });
  });

  /** Signs up, then in with the passkey button; returns the URLs of the page's API calls. */
  async function signUpAndIn(site: StaticHost): Promise<{ v: Visit; apiCalls: string[] }> {
    const v = await visit(browser, site.origin);
    const apiCalls: string[] = [];
    v.page.on("request", (request) => {
      if (request.resourceType() === "fetch") apiCalls.push(request.url());
    });
    const username = uniqueUsername("static");
    await signUp(v.page, username, "Static Sam");
    expect(await statusText(v.page)).toContain(username);
    expect(await v.device.credentials()).toHaveLength(1);

    await v.page.locator("#sign-in-passkey").click();
    await settled(v.page);
    expect(await v.page.locator("#signed-in").isVisible()).toBe(true);
    expect(await v.page.locator("#user-name").textContent()).toContain("Static Sam");
    return { v, apiCalls };
  }

  it("signs up and in from its own origin against keyport's API on another, named by the meta tag", async () => {
    const { v, apiCalls } = await signUpAndIn(apart);
    try {
      expect(await v.page.locator("#api-base").textContent()).toBe(keyport.origin);
      expect(apiCalls.length).toBeGreaterThanOrEqual(4);
      for (const url of apiCalls) expect(new URL(url).origin, url).toBe(keyport.origin);
      // keyport answered the ceremonies; the static host served only the built files, every one found.
      expect(keyport.logs).toContainEqual(expect.objectContaining({ path: "/registration/finish", status: 200 }));
      expect(keyport.logs).toContainEqual(expect.objectContaining({ path: "/authentication/finish", status: 200 }));
      for (const request of apart.requests) {
        expect(request.status, request.path).toBe(200);
        expect(served.has(request.path), request.path).toBe(true);
      }
      expect(apart.requests.map((r) => r.path)).toEqual(expect.arrayContaining(["/", "/app.js", "/app.css"]));
      // No console error: no blocked script, style or connection under the page's own policy.
      expect(v.problems).toEqual([]);
    } finally {
      await v.close();
    }
  });

  it("offers no password accounts when built without a user pool", async () => {
    const v = await visit(browser, apart.origin);
    try {
      expect(await v.page.locator("#passwords").isVisible()).toBe(false);
      expect(v.problems).toEqual([]);
    } finally {
      await v.close();
    }
  });

  it("signs up and in with a password against the user pool the build names, from its own origin, under its own policy", async () => {
    const v = await visit(browser, withPasswords.origin, { conditionalCreate: "unsupported" });
    try {
      const username = uniqueUsername("static-pw");
      await signUpWithPassword(v.page, username, "Static Pam");
      expect(await statusText(v.page)).toBe(`Account created for ${username}. Sign in with your password.`);
      await signInWithPassword(v.page, username);
      expect(await statusText(v.page)).toBe("Signed in with your password.");
      expect(await v.page.locator("#user-name").textContent()).toBe(`Static Pam (${username})`);
      // Cognito's API at keyport's root (cross-origin, allowed by CORS and the page's connect-src), then keyport's.
      expect(keyport.logs).toContainEqual(expect.objectContaining({ method: "POST", path: "/", status: 200 }));
      expect(keyport.logs).toContainEqual(expect.objectContaining({ path: "/credentials", status: 200 }));
      expect(withPasswords.requests.map((r) => r.path)).toContain("/vendor/amplify-auth.js");
      for (const request of withPasswords.requests) expect(request.status, request.path).toBe(200);
      expect(v.problems).toEqual([]);
    } finally {
      await v.close();
    }
  });

  it("signs up and in on one origin when built without an API URL and hosted behind a host that forwards the API's paths", async () => {
    const { v, apiCalls } = await signUpAndIn(together);
    try {
      expect(await v.page.locator("#api-base").textContent()).toBe(together.origin);
      expect(apiCalls.length).toBeGreaterThanOrEqual(4);
      for (const url of apiCalls) expect(new URL(url).origin, url).toBe(together.origin);
      const forwarded = together.requests.filter((r) => r.how === "forwarded");
      expect(forwarded.map((r) => r.path)).toEqual(expect.arrayContaining(["/registration/finish", "/authentication/finish"]));
      for (const request of forwarded) expect(served.has(request.path), request.path).toBe(false);
      expect(v.problems).toEqual([]);
    } finally {
      await v.close();
    }
  });
});
