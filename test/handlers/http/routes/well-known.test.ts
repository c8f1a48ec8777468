import { describe, expect, it } from "vitest";
import { PAGE_CSP } from "../../../../src/handlers/http/headers.js";
import { wellKnownRoutes } from "../../../../src/handlers/http/routes/well-known.js";
import type { StaticFiles } from "../../../../src/handlers/http/static-files.js";
import { bareApp } from "./support.js";

const files: StaticFiles = {
  async get(path) {
    return path === "/" ? { body: new TextEncoder().encode("<!doctype html>"), contentType: "text/html; charset=utf-8" } : null;
  },
};

describe("well-known routes", () => {
  it("always answers /healthz, and nothing else without dependencies", async () => {
    const { app, routes } = bareApp((hono, table) => wellKnownRoutes(hono, table, {}));
    expect(await (await app.request("/healthz")).json()).toEqual({ status: "ok" });
    expect(routes.methodsOf("/healthz")).toEqual(["GET", "HEAD"]);
    expect(routes.methodsOf("/.well-known/jwks.json")).toBeUndefined();
    expect(routes.methodsOf("/")).toBeUndefined();
  });

  it("publishes the JWKS, cacheable, when a provider is given", async () => {
    const key = { kty: "EC", crv: "P-256", x: "x", y: "y" };
    const { app } = bareApp((hono, table) => wellKnownRoutes(hono, table, { jwks: async () => ({ keys: [key] }) }));
    const response = await app.request("/.well-known/jwks.json");
    expect(await response.json()).toEqual({ keys: [key] });
    expect(response.headers.get("cache-control")).toBe("public, max-age=300");
  });

  it("serves the demo page's files with the page CSP, and not_found for one that is missing", async () => {
    const { app } = bareApp((hono, table) => wellKnownRoutes(hono, table, { staticFiles: files }));
    const page = await app.request("/");
    expect(await page.text()).toBe("<!doctype html>");
    expect(page.headers.get("content-type")).toBe("text/html; charset=utf-8");
    expect(page.headers.get("content-security-policy")).toBe(PAGE_CSP);
    expect(page.headers.get("cache-control")).toBe("no-cache");
    const missing = await app.request("/app.css");
    expect(missing.status).toBe(404);
    expect(await missing.json()).toMatchObject({ error: { code: "not_found" } });
  });
});
