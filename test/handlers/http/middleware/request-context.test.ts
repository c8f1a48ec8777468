import { Hono } from "hono";
import type { GetConnInfo } from "hono/conninfo";
import { describe, expect, it } from "vitest";
import type { RequestContext } from "../../../../src/domain/activity/security-events.js";
import type { AppEnv } from "../../../../src/handlers/http/context.js";
import type { LogEntry } from "../../../../src/handlers/http/log.js";
import { requestContext } from "../../../../src/handlers/http/middleware/request-context.js";

function app(connInfo?: GetConnInfo) {
  const log = (_: LogEntry) => {};
  const seen: { correlationId?: string; log?: unknown; errorCode?: unknown; requestContext?: RequestContext } = {};
  const hono = new Hono<AppEnv>().use("*", requestContext(log, connInfo));
  hono.get("/", (c) => {
    Object.assign(seen, { correlationId: c.get("correlationId"), log: c.get("log"), errorCode: c.get("errorCode"), requestContext: c.get("requestContext") });
    return c.text("ok");
  });
  return { hono, log, seen };
}

const from = (address: string | undefined): GetConnInfo => () => ({ remote: { address } });

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

  it("builds the request's context for security events: the runtime's client address, the User-Agent, the correlation id", async () => {
    const { hono, seen } = app(from("198.51.100.7"));
    await hono.request("/", { headers: { "User-Agent": "Mozilla/5.0 (X11; Linux x86_64) Firefox/140.0", "X-Correlation-Id": "req-1234abcd" } });
    expect(seen.requestContext).toEqual({ sourceIp: "198.51.100.7", userAgent: "Mozilla/5.0 (X11; Linux x86_64) Firefox/140.0", correlationId: "req-1234abcd" });
  });

  it("knows no address without the runtime's helper, or when the helper fails or finds none, and no browser without the header", async () => {
    for (const connInfo of [
      undefined,
      from(undefined),
      from("  "),
      () => {
        throw new TypeError("no socket");
      },
    ]) {
      const { hono, seen } = app(connInfo);
      const response = await hono.request("/");
      expect(response.status).toBe(200);
      expect(seen.requestContext).toEqual({ sourceIp: null, userAgent: null, correlationId: seen.correlationId });
    }
  });

  it("shows an IPv4 client of a dual-stack socket as IPv4, and keeps IPv6 as it is", async () => {
    const mapped = app(from("::ffff:127.0.0.1"));
    await mapped.hono.request("/");
    expect(mapped.seen.requestContext?.sourceIp).toBe("127.0.0.1");
    const v6 = app(from("2001:db8::1"));
    await v6.hono.request("/");
    expect(v6.seen.requestContext?.sourceIp).toBe("2001:db8::1");
  });

  it("cuts a User-Agent to 512 characters, and takes no overlong address", async () => {
    const { hono, seen } = app(from("x".repeat(65)));
    await hono.request("/", { headers: { "User-Agent": `Mozilla/5.0 ${"A".repeat(2_000)}` } });
    expect(seen.requestContext?.userAgent).toHaveLength(512);
    expect(seen.requestContext?.userAgent?.startsWith("Mozilla/5.0 AAA")).toBe(true);
    expect(seen.requestContext?.sourceIp).toBeNull();
  });
});
