import { describe, expect, it } from "vitest";
import { handle } from "hono/aws-lambda";
import { createApp, type AppDependencies } from "../../../src/handlers/http/app.js";
import type { LogEntry } from "../../../src/handlers/http/log.js";
import type { StaticFiles } from "../../../src/handlers/http/static-files.js";
import { err, ok } from "../../../src/domain/result.js";
import { SoftwareAuthenticator } from "../../support/software-authenticator.js";
import { ApiClient, buildTestApp, discoverableSignIn, expectOk, ORIGIN, signUp } from "./harness.js";
import { aVerifiedIdentity } from "../../support/kit.js";

/** An app over stub services, for what the real domain never does (throw, answer an unknown code). */
function stubApp(overrides: Partial<AppDependencies> = {}) {
  const logs: LogEntry[] = [];
  const unused = (): never => {
    throw new Error("not used by this test");
  };
  const app = createApp({
    registration: { startForNewUser: unused, startForExistingUser: unused, finish: unused },
    signIn: { discover: unused, start: unused, finish: unused, failureSignals: unused, refresh: unused },
    passkeys: {
      listPasskeys: unused,
      updatePasskey: unused,
      deletePasskey: unused,
      account: unused,
      updateAccount: unused,
      deleteAccount: unused,
      signOut: unused,
      signOutEverywhere: unused,
      listEvents: unused,
    },
    identityProvider: { verifyIdToken: unused },
    allowedOrigins: [ORIGIN],
    log: (entry) => logs.push(entry),
    ...overrides,
  });
  return { app, logs, client: new ApiClient(async (path, init) => app.request(path, init)) };
}

describe("HTTP API: response headers", () => {
  it("marks API responses no-store and nosniff, with a correlation id", async () => {
    const { client } = buildTestApp();
    for (const response of [await client.post("/authentication/discover", {}), await client.post("/authentication/start", {}), await client.get("/nope")]) {
      expect(response.headers.get("cache-control")).toBe("no-store");
      expect(response.headers.get("x-content-type-options")).toBe("nosniff");
      expect(response.headers.get("x-frame-options")).toBe("DENY");
      expect(response.headers.get("referrer-policy")).toBe("no-referrer");
      expect(response.headers.get("content-security-policy")).toBe("default-src 'none'; frame-ancestors 'none'");
      expect(response.headers.get("content-type")).toMatch(/^application\/json/);
      expect(response.headers.get("x-correlation-id")).toMatch(/^[0-9a-f-]{36}$/);
    }
  });

  it("keeps a well-formed correlation id the caller sent, and replaces one that is not", async () => {
    const { client } = buildTestApp();
    const kept = await client.send("/healthz", { headers: { "X-Correlation-Id": "req-1234abcd" } });
    expect(kept.headers.get("x-correlation-id")).toBe("req-1234abcd");
    const replaced = await client.send("/healthz", { headers: { "X-Correlation-Id": 'x" injected' } });
    expect(replaced.headers.get("x-correlation-id")).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("lets the JWKS be cached", async () => {
    const { client } = buildTestApp();
    expect((await client.get("/.well-known/jwks.json")).headers.get("cache-control")).toBe("public, max-age=300");
  });

  it("has no JWKS route when no provider publishes keys", async () => {
    const { client } = stubApp();
    expect((await client.get("/.well-known/jwks.json")).status).toBe(404);
  });
});

describe("HTTP API: CORS", () => {
  it("answers a preflight from an allowed origin", async () => {
    const { client } = buildTestApp();
    const response = await client.send("/registration/start", {
      method: "OPTIONS",
      headers: { Origin: ORIGIN, "Access-Control-Request-Method": "POST", "Access-Control-Request-Headers": "content-type, authorization" },
    });
    expect(response.status).toBe(204);
    expect(response.headers.get("access-control-allow-origin")).toBe(ORIGIN);
    expect(response.headers.get("access-control-allow-methods")).toContain("POST");
    expect(response.headers.get("access-control-allow-headers")?.toLowerCase()).toContain("authorization");
    expect(response.headers.get("access-control-allow-credentials")).toBeNull();
  });

  it("does not allow an origin that is not configured", async () => {
    const { client } = buildTestApp();
    const preflight = await client.send("/authentication/finish", {
      method: "OPTIONS",
      headers: { Origin: "https://evil.example", "Access-Control-Request-Method": "POST" },
    });
    expect(preflight.headers.get("access-control-allow-origin")).toBeNull();
    const post = await client.post("/authentication/discover", {}, { Origin: "https://evil.example" });
    expect(post.headers.get("access-control-allow-origin")).toBeNull();
  });

  it("names the allowed origin on API responses, errors included", async () => {
    const { client } = buildTestApp();
    const ok = await client.post("/authentication/discover", {}, { Origin: ORIGIN });
    expect(ok.headers.get("access-control-allow-origin")).toBe(ORIGIN);
    expect(ok.headers.get("vary")).toContain("Origin");
    const failed = await client.post("/authentication/start", "{", { Origin: ORIGIN });
    expect(failed.status).toBe(400);
    expect(failed.headers.get("access-control-allow-origin")).toBe(ORIGIN);
  });
});

describe("HTTP API: logs", () => {
  it("writes one entry per request with method, path, status, code, duration and correlation id", async () => {
    const { client, logs } = buildTestApp();
    const response = await client.post("/authentication/start", { userId: "!" });
    expect(logs).toHaveLength(1);
    expect(logs[0]).toEqual({
      level: "warn",
      event: "http_request",
      method: "POST",
      path: "/authentication/start",
      status: 400,
      code: "user_id_invalid",
      durationMs: expect.any(Number),
      correlationId: response.headers.get("x-correlation-id"),
    });
  });

  it("never logs bodies, tokens, sessions or names", async () => {
    const { client, logs } = buildTestApp();
    const authenticator = new SoftwareAuthenticator();
    const user = await signUp(client, authenticator, "confidential-name");
    const tokens = await discoverableSignIn(client, authenticator);
    await client.post("/authentication/refresh", { refreshToken: tokens.refreshToken });
    await client.post("/registration/start-verified", {}, { Authorization: `Bearer ${tokens.idToken}` });
    await client.post("/registration/start-verified", {}, { Authorization: `Bearer ${tokens.idToken}x` });
    const logged = JSON.stringify(logs);
    expect(logs.length).toBe(8);
    for (const secret of [tokens.idToken, tokens.accessToken, tokens.refreshToken, "confidential-name", user.userId, user.credentialId, user.options.challenge]) {
      expect(logged).not.toContain(secret);
    }
    expect(logged).not.toContain("eyJ");
  });

  it("logs a passkey's route by its pattern, never the credential id in the path", async () => {
    const { client, logs } = buildTestApp();
    const authenticator = new SoftwareAuthenticator();
    const user = await signUp(client, authenticator, `logged-${Date.now()}`);
    const tokens = await discoverableSignIn(client, authenticator);
    await client.send(`/credentials/${user.credentialId}`, { method: "PATCH", headers: { Authorization: `Bearer ${tokens.idToken}`, "Content-Type": "application/json" }, body: '{"name":"x"}' });
    await client.get(`/credentials/${user.credentialId}`);
    expect(JSON.stringify(logs)).not.toContain(user.credentialId);
    expect(logs.slice(-2).map((entry) => [entry.method, entry.path, entry.status])).toEqual([
      ["PATCH", "/credentials/:credentialId", 200],
      ["GET", "/credentials/:credentialId", 405],
    ]);
  });

  it("masks an exception as 500 internal_error and logs it with the correlation id, token-like text blanked", async () => {
    const jwtLike = "eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl";
    const { client, logs } = stubApp({
      signIn: {
        discover: () => Promise.reject(new Error(`store down while handling ${jwtLike}`)),
        start: () => Promise.reject(new Error("unused")),
        finish: () => Promise.reject(new Error("unused")),
        failureSignals: () => [],
        refresh: () => Promise.reject(new Error("unused")),
      },
    });
    const response = await client.post("/authentication/discover", {});
    const correlationId = response.headers.get("x-correlation-id")!;
    expect(response.status).toBe(500);
    expect(response.json.error.code).toBe("internal_error");
    expect(response.json.error.message).toContain(correlationId);
    expect(response.text).not.toContain("store down");
    const failure = logs.find((entry) => entry.event === "unhandled_error")!;
    expect(failure).toMatchObject({ level: "error", correlationId, error: "Error" });
    expect(failure.message).toContain("store down");
    expect(JSON.stringify(logs)).not.toContain(jwtLike);
    expect(logs.find((entry) => entry.event === "http_request")).toMatchObject({ status: 500, code: "internal_error", correlationId });
  });

  it("masks a failure code missing from the table as 500 internal_error", async () => {
    const { client, logs } = stubApp({
      signIn: {
        discover: () => Promise.reject(new Error("unused")),
        start: async () => err("brand_new_code" as "user_id_invalid"),
        finish: () => Promise.reject(new Error("unused")),
        failureSignals: () => [],
        refresh: () => Promise.reject(new Error("unused")),
      },
    });
    const response = await client.post("/authentication/start", { userId: "dXNlcg" });
    expect({ status: response.status, code: response.json.error.code }).toEqual({ status: 500, code: "internal_error" });
    expect(response.text).not.toContain("brand_new_code");
    expect(logs.find((entry) => entry.event === "unmapped_error_code")).toMatchObject({ unmappedCode: "brand_new_code" });
  });

  it("passes the identity the token names to the domain, and only what the route reads", async () => {
    const calls: unknown[] = [];
    const identity = aVerifiedIdentity();
    const { client } = stubApp({
      identityProvider: { verifyIdToken: async () => ok(identity) },
      registration: {
        startForNewUser: () => Promise.reject(new Error("unused")),
        finish: () => Promise.reject(new Error("unused")),
        startForExistingUser: async (who, profile) => {
          calls.push({ who, profile });
          return ok({ sessionId: "s", options: {} as never });
        },
      },
    });
    expectOk(await client.post("/registration/start-verified", { displayName: "D", other: 1 }, { Authorization: "Bearer t" }), "start-verified");
    expect(calls).toEqual([{ who: identity, profile: { username: undefined, displayName: "D" } }]);
  });
});

describe("HTTP API: the demo page", () => {
  const files: StaticFiles = {
    async get(path) {
      if (path === "/app.css") return null;
      return { body: new TextEncoder().encode(`content of ${path}`), contentType: path === "/" ? "text/html; charset=utf-8" : "text/javascript; charset=utf-8" };
    },
  };

  it("serves index.html at /, app.js and the @simplewebauthn/browser bundle", async () => {
    const { client } = buildTestApp({ staticFiles: files });
    const page = await client.get("/");
    expect({ status: page.status, type: page.headers.get("content-type"), text: page.text }).toEqual({
      status: 200,
      type: "text/html; charset=utf-8",
      text: "content of /",
    });
    expect(page.headers.get("cache-control")).toBe("no-cache");
    expect(page.headers.get("x-content-type-options")).toBe("nosniff");
    expect(page.headers.get("content-security-policy")).toMatch(/^default-src 'self';.*frame-ancestors 'none'$/);
    expect((await client.get("/app.js")).text).toBe("content of /app.js");
    expect((await client.get("/vendor/simplewebauthn-browser.js")).text).toBe("content of /vendor/simplewebauthn-browser.js");
  });

  it("answers 404 not_found for a missing file and for any other path", async () => {
    const { client } = buildTestApp({ staticFiles: files });
    expect((await client.get("/app.css")).json.error.code).toBe("not_found");
    expect((await client.get("/../package.json")).status).toBe(404);
    expect((await client.get("/vendor/other.js")).status).toBe(404);
  });

  it("serves no files when none are configured, as in the Lambda", async () => {
    const { client } = buildTestApp();
    expect((await client.get("/")).status).toBe(404);
  });
});

describe("HTTP API behind API Gateway (HTTP API, payload 2.0, hono/aws-lambda)", () => {
  function event(method: string, path: string, body?: string, headers: Record<string, string> = {}, isBase64Encoded = false) {
    return {
      version: "2.0",
      routeKey: "$default",
      rawPath: path,
      rawQueryString: "",
      headers: { host: "api.example.com", ...headers },
      requestContext: {
        accountId: "123456789012",
        apiId: "api",
        domainName: "api.example.com",
        domainPrefix: "api",
        http: { method, path, protocol: "HTTP/1.1", sourceIp: "192.0.2.1", userAgent: "test" },
        requestId: "req",
        routeKey: "$default",
        stage: "$default",
        time: "01/Jan/2026:00:00:00 +0000",
        timeEpoch: 0,
      },
      body,
      isBase64Encoded,
    };
  }

  it("runs the same routes, bodies and errors", async () => {
    const { app } = buildTestApp();
    const handler = handle(app);
    const invoke = (e: ReturnType<typeof event>) => handler(e as never, {} as never) as Promise<{ statusCode: number; body: string; headers: Record<string, string> }>;

    const health = await invoke(event("GET", "/healthz"));
    expect({ status: health.statusCode, body: JSON.parse(health.body) }).toEqual({ status: 200, body: { status: "ok" } });

    const body = JSON.stringify({ username: "lambda", displayName: "Lambda" });
    const started = await invoke(event("POST", "/registration/start", body, { "content-type": "application/json" }));
    expect(started.statusCode).toBe(200);
    expect(JSON.parse(started.body).credentialCreationOptions.user.name).toBe("lambda");

    const encoded = await invoke(event("POST", "/registration/start", Buffer.from(body).toString("base64"), { "content-type": "application/json" }, true));
    expect(encoded.statusCode).toBe(200);

    const big = JSON.stringify({ username: "x".repeat(70_000), displayName: "x" });
    const tooBig = await invoke(event("POST", "/registration/start", big, { "content-type": "application/json", "content-length": String(big.length) }));
    expect({ status: tooBig.statusCode, code: JSON.parse(tooBig.body).error.code }).toEqual({ status: 413, code: "payload_too_large" });

    const anonymous = await invoke(event("POST", "/registration/start-verified", "{}", { "content-type": "application/json" }));
    expect(anonymous.statusCode).toBe(401);
    expect(anonymous.headers["cache-control"]).toBe("no-store");
  });
});
