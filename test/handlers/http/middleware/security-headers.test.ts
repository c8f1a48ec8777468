import { Hono } from "hono";
import { describe, expect, it } from "vitest";
import type { AppEnv } from "../../../../src/handlers/http/context.js";
import { API_DEFAULT_HEADERS, SECURITY_HEADERS } from "../../../../src/handlers/http/headers.js";
import { securityHeaders } from "../../../../src/handlers/http/middleware/security-headers.js";

describe("securityHeaders", () => {
  it("puts the safety headers and the API defaults on a response", async () => {
    const app = new Hono<AppEnv>().use("*", securityHeaders);
    app.get("/", (c) => c.json({}));
    const response = await app.request("/");
    for (const [name, value] of Object.entries({ ...SECURITY_HEADERS, ...API_DEFAULT_HEADERS })) expect(response.headers.get(name), name).toBe(value);
  });

  it("keeps the Cache-Control and CSP a route chose, never the safety headers it tried to weaken", async () => {
    const app = new Hono<AppEnv>().use("*", securityHeaders);
    app.get("/", (c) => {
      c.header("Cache-Control", "no-cache");
      c.header("Content-Security-Policy", "default-src 'self'");
      c.header("X-Frame-Options", "SAMEORIGIN");
      return c.text("page");
    });
    const response = await app.request("/");
    expect(response.headers.get("cache-control")).toBe("no-cache");
    expect(response.headers.get("content-security-policy")).toBe("default-src 'self'");
    expect(response.headers.get("x-frame-options")).toBe("DENY");
  });

  it("covers answers from the error and not-found handlers too", async () => {
    const app = new Hono<AppEnv>().use("*", securityHeaders);
    app.get("/boom", () => {
      throw new Error("boom");
    });
    app.onError((_, c) => c.json({}, 500));
    for (const path of ["/boom", "/nope"]) {
      expect((await app.request(path)).headers.get("x-content-type-options"), path).toBe("nosniff");
    }
  });
});
