/**
 * src/main/server.ts, over real sockets: startServer on a free port (PORT=0) and fetch, and `npm start`'s
 * command as a child process. (It lives here, next to the app's tests, because it drives the same API.)
 */
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { mds3Payload, writeMds3BlobFile, writeMds3RootPem } from "../support/attestation/mds3.js";
import { Agent, request, type IncomingHttpHeaders } from "node:http";
import { createServer } from "node:net";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ConfigError } from "../../src/composition/config.js";
import { silentLog } from "../../src/handlers/http/log.js";
import { startServer, type RunningServer } from "../../src/composition/local-server.js";
import { SoftwareAuthenticator } from "../support/software-authenticator.js";
import { decodeJwt } from "../support/kit.js";
import { FALLBACK_NAMES } from "../../src/adapters/authenticators/community-authenticator-catalog.js";
import {
  addPasskey,
  ApiClient,
  bearer,
  discoverableSignIn,
  expectOk,
  ORIGIN,
  signUp,
  storageEnv,
  TEST_ENV,
  testClock,
  usernameFirstSignIn,
} from "../handlers/http/harness.js";

/** Google Password Manager's AAGUID, as the authenticator sends it. */
const GOOGLE_PASSWORD_MANAGER = Uint8Array.from(Buffer.from("ea9b8d664d011d213ce4b6b48cb575d4", "hex"));

const ROOT = fileURLToPath(new URL("../../", import.meta.url));

describe("server: the API over HTTP", () => {
  let server: RunningServer;
  let client: ApiClient;
  const clock = testClock();

  beforeAll(async () => {
    server = await startServer({ ...TEST_ENV, ...storageEnv(), PORT: "0" }, { log: silentLog, overrides: { clock } });
    client = new ApiClient((path, init) => fetch(`${server.url}${path}`, init));
  });
  afterAll(async () => server.close());

  it("listens on a free port and says where", () => {
    expect(server.port).toBeGreaterThan(0);
    expect(server.url).toBe(`http://localhost:${server.port}`);
  });

  it("says which storage and identity provider it runs on", () => {
    const dynamoDb = storageEnv().STORAGE === "dynamodb";
    expect(server.setup).toBe(`storage: ${dynamoDb ? `dynamodb at ${storageEnv().DYNAMODB_ENDPOINT}` : "memory"}, identity provider: local`);
  });

  it("signs up, signs in both ways, refreshes, adds a second passkey with the ID token and signs in with it", async () => {
    const laptop = new SoftwareAuthenticator();
    const user = await signUp(client, laptop, "olivia");

    const discovered = await discoverableSignIn(client, laptop);
    expect(decodeJwt(discovered.idToken).payload["cognito:username"]).toBe(user.userId);
    const usernameFirst = await usernameFirstSignIn(client, laptop, user.userId);
    expect(decodeJwt(usernameFirst.idToken).payload.sub).toBe(decodeJwt(discovered.idToken).payload.sub);

    const refreshed = await client.post("/authentication/refresh", { refreshToken: usernameFirst.refreshToken });
    expectOk(refreshed, "refresh");
    expect(refreshed.json.tokenType).toBe("Bearer");

    const started = await client.post("/registration/start-verified", {}, { Authorization: `Bearer ${refreshed.json.idToken}` });
    expectOk(started, "start-verified");
    const phone = new SoftwareAuthenticator();
    const credential = phone.createCredential(started.json.credentialCreationOptions, { origin: ORIGIN, algorithm: "RS256" });
    const added = await client.post(
      "/registration/finish",
      { sessionId: started.json.sessionId, publicKeyCredential: credential },
      { Authorization: `Bearer ${refreshed.json.idToken}` },
    );
    expectOk(added, "finish");
    expect(added.json.userId).toBe(user.userId);

    const withPhone = await discoverableSignIn(client, phone);
    expect(decodeJwt(withPhone.idToken).payload.sub).toBe(decodeJwt(discovered.idToken).payload.sub);
  });

  it("names passkeys from the authenticator data set, and lists, renames and deletes them with the ID token", async () => {
    const phone = new SoftwareAuthenticator({ aaguid: GOOGLE_PASSWORD_MANAGER, backupEligible: true, backupState: true, transports: ["hybrid", "internal"] });
    const user = await signUp(client, phone, `quinn-${Date.now()}`);
    expect(user.name).toBe("Google Password Manager");
    const tokens = await discoverableSignIn(client, phone);
    clock.advance(1000);
    const laptop = await addPasskey(client, tokens.idToken, new SoftwareAuthenticator());
    expect(laptop.name).toBe(FALLBACK_NAMES.deviceBound);

    const listed = await client.get("/credentials", bearer(tokens.idToken));
    expectOk(listed, "GET /credentials");
    const [first, second] = listed.json.credentials;
    expect(first.authenticator).toMatchObject({ aaguid: "ea9b8d66-4d01-1d21-3ce4-b6b48cb575d4", name: "Google Password Manager" });
    expect(first.authenticator.icon.light).toMatch(/^data:image\/(svg\+xml|png);base64,/);
    expect(second).toMatchObject({ credentialId: laptop.credentialId, authenticator: { name: FALLBACK_NAMES.deviceBound, icon: null } });

    const renamed = await client.patch(`/credentials/${laptop.credentialId}`, { name: "Work laptop" }, bearer(tokens.idToken));
    expect({ status: renamed.status, name: renamed.json.name }).toEqual({ status: 200, name: "Work laptop" });
    const deleted = await client.delete(`/credentials/${laptop.credentialId}`, bearer(tokens.idToken));
    expectOk(deleted, "DELETE /credentials/{id}");
    expect(deleted.json.signals[0].allAcceptedCredentialIDs).toEqual([user.credentialId]);
  });

  it("records each security event with the client's address as the socket shows it, and the browser's User-Agent", async () => {
    const browser = new ApiClient((path, init) => fetch(`${server.url}${path}`, { ...init, headers: { ...(init.headers as Record<string, string>), "User-Agent": "Mozilla/5.0 (server test)" } }));
    const authenticator = new SoftwareAuthenticator();
    await signUp(browser, authenticator, `rosa-${Date.now()}`);
    const tokens = await discoverableSignIn(browser, authenticator);
    const events = await browser.get("/events", bearer(tokens.idToken));
    expectOk(events, "GET /events");
    expect(events.json.events.map((event: { type: string }) => event.type)).toEqual(expect.arrayContaining(["registration.succeeded", "sign_in.succeeded"]));
    for (const event of events.json.events) {
      // Over the loopback: IPv4 (shown as such, not as the dual-stack socket's ::ffff: form) or IPv6.
      expect(event).toMatchObject({ sourceIp: expect.stringMatching(/^(127\.0\.0\.1|::1)$/), userAgent: "Mozilla/5.0 (server test)" });
    }
  });

  it("refuses an expired ID token with 401 token_expired", async () => {
    const authenticator = new SoftwareAuthenticator();
    await signUp(client, authenticator, "peter");
    const tokens = await discoverableSignIn(client, authenticator);
    clock.advance(3600 * 1000);
    const response = await client.post("/registration/start-verified", {}, { Authorization: `Bearer ${tokens.idToken}` });
    expect({ status: response.status, code: response.json.error.code }).toEqual({ status: 401, code: "token_expired" });
    expect(response.text).not.toContain(tokens.idToken);
  });

  it("refuses a body over 64 KiB with 413, whether its length is declared or streamed", async () => {
    const big = JSON.stringify({ username: "x".repeat(70_000), displayName: "x" });
    const declared = await client.post("/registration/start", big);
    expect({ status: declared.status, code: declared.json.error.code }).toEqual({ status: 413, code: "payload_too_large" });

    const chunks = [big.slice(0, 40_000), big.slice(40_000)];
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        const next = chunks.shift();
        if (next === undefined) controller.close();
        else controller.enqueue(new TextEncoder().encode(next));
      },
    });
    const streamed = await client.send("/registration/start", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: stream,
      duplex: "half",
    } as RequestInit);
    expect({ status: streamed.status, code: streamed.json.error.code }).toEqual({ status: 413, code: "payload_too_large" });
  });

  it("closes the connection after a 413, so that a keep-alive client sends its next request on a fresh one", async () => {
    const big = JSON.stringify({ username: "x".repeat(70_000), displayName: "x" });
    for (const streamed of [false, true]) {
      const agent = new Agent({ keepAlive: true, maxSockets: 1 });
      try {
        const refused = await rawPost(agent, server.url, big, streamed);
        expect({ streamed, status: refused.status, connection: refused.headers.connection }).toEqual({ streamed, status: 413, connection: "close" });
        const next = await rawPost(agent, server.url, JSON.stringify({ username: "keepalive", displayName: "Keep Alive" }), false);
        expect({ streamed, status: next.status, reusedSocket: next.reusedSocket }).toEqual({ streamed, status: 200, reusedSocket: false });
      } finally {
        agent.destroy();
      }
    }
  });

  it("answers JSON in a charset other than UTF-8 with 415", async () => {
    const latin1 = await client.send("/registration/start", {
      method: "POST",
      headers: { "Content-Type": "application/json; charset=latin1" },
      body: JSON.stringify({ username: "zoe", displayName: "Zo\u00eb" }),
    });
    expect({ status: latin1.status, code: latin1.json.error.code }).toEqual({ status: 415, code: "unsupported_media_type" });
  });

  it("answers malformed JSON and a wrong content type with 400 and 415", async () => {
    expect((await client.post("/authentication/start", "{nope")).json.error.code).toBe("malformed_json");
    const wrongType = await client.send("/authentication/start", { method: "POST", headers: { "Content-Type": "text/plain" }, body: "{}" });
    expect({ status: wrongType.status, code: wrongType.json.error.code }).toEqual({ status: 415, code: "unsupported_media_type" });
  });

  it("registers a response sent 20 times at once exactly once", async () => {
    const started = await client.post("/registration/start", { username: "quinn", displayName: "Quinn" });
    const credential = new SoftwareAuthenticator().createCredential(started.json.credentialCreationOptions, { origin: ORIGIN });
    const body = { sessionId: started.json.sessionId, publicKeyCredential: credential };
    const responses = await Promise.all(Array.from({ length: 20 }, () => client.post("/registration/finish", body)));
    expect(responses.map((r) => r.status).sort()).toEqual([200, ...Array(19).fill(400)]);
  });

  it("signs in with an assertion sent 20 times at once exactly once", async () => {
    const authenticator = new SoftwareAuthenticator();
    const user = await signUp(client, authenticator, "rupert");
    const started = await client.post("/authentication/start", { userId: user.userId });
    const assertion = authenticator.getAssertion(started.json.credentialRequestOptions, { origin: ORIGIN });
    const body = { session: started.json.session, userId: user.userId, publicKeyCredential: assertion };
    const responses = await Promise.all(Array.from({ length: 20 }, () => client.post("/authentication/finish", body)));
    expect(responses.map((r) => r.status).sort()).toEqual([200, ...Array(19).fill(401)]);
  });

  it("serves the @simplewebauthn/browser bundle for the demo page", async () => {
    const bundle = await client.get("/vendor/simplewebauthn-browser.js");
    expect(bundle.status).toBe(200);
    expect(bundle.headers.get("content-type")).toBe("text/javascript; charset=utf-8");
    expect(bundle.text).toContain("SimpleWebAuthnBrowser");
  });
});

describe("server: lifecycle", () => {
  it("stops with close(), even with a kept-alive connection open", async () => {
    const server = await startServer({ ...TEST_ENV, ...storageEnv(), PORT: "0" }, { log: silentLog });
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
    await server.close();
    await expect(fetch(`${server.url}/healthz`)).rejects.toThrow();
  });

  it("refuses a bad configuration with a ConfigError naming the variable", async () => {
    await expect(startServer({ ...TEST_ENV, PORT: "http" }, { log: silentLog })).rejects.toThrow(ConfigError);
    await expect(startServer({ ...TEST_ENV, PORT: "0", ALLOWED_ORIGINS: "https://elsewhere.example" }, { log: silentLog })).rejects.toThrow(/ALLOWED_ORIGINS/);
  });

  it("refuses to start on FIDO metadata that is missing or does not verify, naming MDS_BLOB or MDS_ROOT", async () => {
    const dir = mkdtempSync(join(tmpdir(), "keyport-mds-"));
    try {
      const env = { ...TEST_ENV, PORT: "0", ATTESTATION: "direct", AUTHENTICATOR_POLICY: "certified" };
      await expect(startServer({ ...env, MDS_BLOB: join(dir, "missing.jwt") }, { log: silentLog })).rejects.toThrow(/MDS_BLOB: .*blob_unreadable/);
      // A BLOB signed under the test root, checked against FIDO's (MDS_ROOT unset): its chain does not validate.
      const blob = await writeMds3BlobFile(dir, mds3Payload());
      await expect(startServer({ ...env, MDS_BLOB: blob }, { log: silentLog })).rejects.toThrow(/MDS_BLOB: .*blob_chain_invalid/);
      await expect(startServer({ ...env, MDS_BLOB: blob, MDS_ROOT: join(dir, "missing.pem") }, { log: silentLog })).rejects.toThrow(/MDS_ROOT/);
      const started = await startServer({ ...env, MDS_BLOB: blob, MDS_ROOT: writeMds3RootPem(dir) }, { log: silentLog });
      await started.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

interface RawResponse {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  /** Whether the request went over a connection an earlier request had used (kept alive). */
  readonly reusedSocket: boolean;
}

/** A JSON POST with node:http, so that connection reuse can be seen; `streamed` sends the body chunked, in two parts. */
function rawPost(agent: Agent, base: string, body: string, streamed: boolean): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = { "Content-Type": "application/json" };
    if (!streamed) headers["Content-Length"] = String(Buffer.byteLength(body));
    const sent = request(new URL("/registration/start", base), { method: "POST", agent, headers }, (response) => {
      response.resume();
      response.on("end", () => resolve({ status: response.statusCode ?? 0, headers: response.headers, reusedSocket: sent.reusedSocket }));
      response.on("error", reject);
    });
    sent.on("error", reject);
    if (!streamed) {
      sent.end(body);
      return;
    }
    sent.write(body.slice(0, 40_000));
    setTimeout(() => sent.end(body.slice(40_000)), 20);
  });
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once("error", reject);
    probe.listen(0, () => {
      const address = probe.address();
      const port = typeof address === "object" && address !== null ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}

interface Exited {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** `npm start`'s command (tsx src/main/server.ts) with a clean environment. */
function runServer(env: Record<string, string>) {
  const child = spawn(process.execPath, [fileURLToPath(new URL("node_modules/tsx/dist/cli.mjs", `file://${ROOT}`)), "src/main/server.ts"], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? "", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<Exited>((resolve) => child.on("exit", (code) => resolve({ code, stdout, stderr })));
  const output = () => stdout;
  return { child, exited, output };
}

describe("server: npm start", () => {
  it("prints where it listens, serves, and exits 0 on SIGTERM", async () => {
    const port = await freePort();
    const { child, exited, output } = runServer({ PORT: String(port) });
    for (let waited = 0; !output().includes("keyport listening on") && waited < 20_000; waited += 50) await new Promise((r) => setTimeout(r, 50));
    expect(output()).toContain(`keyport listening on http://localhost:${port} (storage: memory, identity provider: local)\n`);
    const health = await fetch(`http://localhost:${port}/healthz`);
    expect(await health.json()).toEqual({ status: "ok" });
    child.kill("SIGTERM");
    const { code, stdout } = await exited;
    expect(code).toBe(0);
    const requestLog = stdout.split("\n").find((line) => line.includes('"http_request"'));
    expect(JSON.parse(requestLog!)).toMatchObject({ level: "info", method: "GET", path: "/healthz", status: 200 });
  });

  it("runs a whole sign-up and sign-in on the configured storage (in memory, or DynamoDB Local in the api-dynamodb project)", async () => {
    const port = await freePort();
    const { child, exited, output } = runServer({ ...storageEnv(), PORT: String(port), ALLOWED_ORIGINS: ORIGIN });
    for (let waited = 0; !output().includes("keyport listening on") && waited < 20_000; waited += 50) await new Promise((r) => setTimeout(r, 50));
    const storage = storageEnv().STORAGE === "dynamodb" ? `dynamodb at ${storageEnv().DYNAMODB_ENDPOINT}` : "memory";
    expect(output()).toContain(`keyport listening on http://localhost:${port} (storage: ${storage}, identity provider: local)\n`);
    const client = new ApiClient((path, init) => fetch(`http://localhost:${port}${path}`, init));
    const authenticator = new SoftwareAuthenticator();
    const { userId } = await signUp(client, authenticator, "nina");
    const tokens = await discoverableSignIn(client, authenticator);
    expect(decodeJwt(tokens.idToken).payload["cognito:username"]).toBe(userId);
    child.kill("SIGTERM");
    expect((await exited).code).toBe(0);
  });

  it("prints `keyport: <problem>` and exits 1 for a bad configuration", async () => {
    const { exited } = runServer({ PORT: "70000" });
    const { code, stderr } = await exited;
    expect(code).toBe(1);
    expect(stderr).toBe("keyport: PORT: must be between 1 and 65535, got 70000\n");
  });
});
