import { Hono } from "hono";
import { describe, expect, it } from "vitest";
import type { AppEnv } from "../../../../src/handlers/http/context.js";
import type { LogEntry } from "../../../../src/handlers/http/log.js";
import { requestContext } from "../../../../src/handlers/http/middleware/request-context.js";

function app() {
  const log = (_: LogEntry) => {};
  const seen: { correlationId?: string; log?: unknown; errorCode?: unknown } = {};
  const hono = new Hono<AppEnv>().use("*", requestContext(log));
  hono.get("/", (c) => {
    Object.assign(seen, { correlationId: c.get("correlationId"), log: c.get("log"), errorCode: c.get("errorCode") });
    return c.text("ok");
  });
  return { hono, log, seen };
}

describe("requestContext", () => {
  it("gives the request a fresh correlation id and the log, and echoes the id", async () => {
    const { hono, log, seen } = app();
    const response = await hono.request("/");
    expect(seen.correlationId).toMatch(/^[0-9a-f-]{36}$/);
    expect(response.headers.get("x-correlation-id")).toBe(seen.correlationId);
    expect(seen.log).toBe(log);
    expect(seen.errorCode).toBeUndefined();
  });

  it.each([
    ["kept when well-formed", "req-1234abcd", true],
    ["replaced when too short", "abc", false],
    ["replaced when it could break a log line", 'x" injected\n', false],
    ["replaced when too long", "a".repeat(129), false],
  ])("a caller's id is %s", async (_, offered, kept) => {
    const response = await app().hono.request("/", { headers: { "X-Correlation-Id": offered } });
    const echoed = response.headers.get("x-correlation-id");
    if (kept) expect(echoed).toBe(offered);
    else expect(echoed).toMatch(/^[0-9a-f-]{36}$/);
  });
});
