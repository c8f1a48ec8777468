import { Hono } from "hono";
import { describe, expect, it } from "vitest";
import type { AppEnv } from "../../../../src/handlers/http/context.js";
import { apiCors } from "../../../../src/handlers/http/middleware/cors.js";

const ORIGIN = "https://app.example.com";

function app() {
  const hono = new Hono<AppEnv>().use("*", apiCors([ORIGIN]));
  hono.post("/", (c) => c.json({}));
  return hono;
}

describe("apiCors", () => {
  it("answers a preflight from an allowed origin, exposing the correlation id, without credentials", async () => {
    const response = await app().request("/", { method: "OPTIONS", headers: { Origin: ORIGIN, "Access-Control-Request-Method": "POST" } });
    expect(response.status).toBe(204);
    expect(response.headers.get("access-control-allow-origin")).toBe(ORIGIN);
    expect(response.headers.get("access-control-allow-headers")).toBe("Content-Type,Authorization,X-Correlation-Id");
    expect(response.headers.get("access-control-max-age")).toBe("600");
    expect(response.headers.get("access-control-allow-credentials")).toBeNull();
  });

  it.each(["GET", "POST", "PATCH", "DELETE"])("allows %s, which the API's routes answer", async (method) => {
    const response = await app().request("/", { method: "OPTIONS", headers: { Origin: ORIGIN, "Access-Control-Request-Method": method } });
    expect(response.headers.get("access-control-allow-methods")?.split(",")).toContain(method);
  });

  it("names no origin that is not allowed", async () => {
    const response = await app().request("/", { method: "POST", headers: { Origin: "https://evil.example" } });
    expect(response.headers.get("access-control-allow-origin")).toBeNull();
  });
});
