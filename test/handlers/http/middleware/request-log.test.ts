import { Hono } from "hono";
import { describe, expect, it } from "vitest";
import type { AppEnv } from "../../../../src/handlers/http/context.js";
import type { LogEntry } from "../../../../src/handlers/http/log.js";
import { requestLog } from "../../../../src/handlers/http/middleware/request-log.js";

function app(loggedPath?: (path: string) => string) {
  const logs: LogEntry[] = [];
  const hono = new Hono<AppEnv>();
  hono.use("*", async (c, next) => {
    c.set("correlationId", "test-correlation");
    c.set("errorCode", undefined);
    c.set("log", (entry) => logs.push(entry));
    await next();
  }, requestLog(loggedPath));
  hono.get("/ok", (c) => c.json({}));
  hono.get("/teapot", (c) => {
    c.set("errorCode", "session_expired");
    return c.json({}, 400);
  });
  hono.get("/fault", (c) => c.json({}, 503));
  return { hono, logs };
}

describe("requestLog", () => {
  it("logs one line per request: method, path, status, duration, correlation id, and no code on success", async () => {
    const { hono, logs } = app();
    await hono.request("/ok?token=secret");
    expect(logs).toEqual([
      { level: "info", event: "http_request", method: "GET", path: "/ok", status: 200, durationMs: expect.any(Number), correlationId: "test-correlation" },
    ]);
  });

  it("is a warning for a 4xx, with its code, and an error for a 5xx", async () => {
    const { hono, logs } = app();
    await hono.request("/teapot");
    await hono.request("/fault");
    expect(logs.map((entry) => [entry.level, entry.status, entry.code])).toEqual([
      ["warn", 400, "session_expired"],
      ["error", 503, undefined],
    ]);
  });

  it("logs the path as the given function shows it", async () => {
    const { hono, logs } = app((path) => (path === "/ok" ? "/shown" : path));
    await hono.request("/ok");
    expect(logs[0]?.path).toBe("/shown");
  });

  it("caps and redacts the logged path", async () => {
    const { hono, logs } = app();
    await hono.request(`/eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln/${"x".repeat(300)}`);
    expect(logs[0]?.path).toMatch(/^\/\[redacted-jwt\]\/x+…$/);
    expect(String(logs[0]?.path).length).toBe(201);
  });
});
