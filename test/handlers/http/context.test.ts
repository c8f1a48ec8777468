import { Hono } from "hono";
import { describe, expect, it } from "vitest";
import { fail, reply, RouteTable, type AppContext, type AppEnv } from "../../../src/handlers/http/context.js";
import { err, ok } from "../../../src/domain/result.js";
import type { LogEntry } from "../../../src/handlers/http/log.js";

/** A bare app whose one route answers with `answer`, with the variables the request context sets. */
function appAnswering(answer: (c: AppContext) => Response) {
  const logs: LogEntry[] = [];
  const app = new Hono<AppEnv>();
  app.use("*", async (c, next) => {
    c.set("correlationId", "test-correlation");
    c.set("log", (entry) => logs.push(entry));
    await next();
  });
  app.get("/", answer);
  return { app, logs };
}

describe("fail", () => {
  it("answers the table's status and message, or the caller's message", async () => {
    const { app } = appAnswering((c) => fail(c, "invalid_request", "userId is missing."));
    const response = await app.request("/");
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({ error: { code: "invalid_request", message: "userId is missing." } });
  });

  it("asks for a bearer token on token errors", async () => {
    const missing = await appAnswering((c) => fail(c, "token_missing")).app.request("/");
    expect(missing.headers.get("www-authenticate")).toBe('Bearer realm="keyport"');
    const expired = await appAnswering((c) => fail(c, "token_expired")).app.request("/");
    expect(expired.headers.get("www-authenticate")).toBe('Bearer realm="keyport", error="invalid_token"');
  });

  it("masks a code missing from the table as internal_error, with the table's message, and logs it", async () => {
    const { app, logs } = appAnswering((c) => fail(c, "brand_new_code", "secret detail"));
    const response = await app.request("/");
    expect(response.status).toBe(500);
    expect(await response.json()).toEqual({ error: { code: "internal_error", message: "Something went wrong on our side." } });
    expect(logs).toEqual([{ level: "error", event: "unmapped_error_code", correlationId: "test-correlation", unmappedCode: "brand_new_code" }]);
  });
});

describe("reply", () => {
  it("maps a success to 200 with the body, and a failure to its error", async () => {
    const success = await appAnswering((c) => reply(c, ok({ a: 1, b: 2 }), (v) => ({ a: v.a }))).app.request("/");
    expect({ status: success.status, body: await success.json() }).toEqual({ status: 200, body: { a: 1 } });
    const failure = await appAnswering((c) => reply(c, err("session_expired"), () => ({}))).app.request("/");
    expect(failure.status).toBe(400);
  });
});

describe("RouteTable", () => {
  it("remembers each path's methods and hands the path back", () => {
    const routes = new RouteTable();
    expect(routes.add("/healthz", "GET", "HEAD")).toBe("/healthz");
    expect(routes.methodsOf("/healthz")).toEqual(["GET", "HEAD"]);
    expect(routes.methodsOf("/nope")).toBeUndefined();
  });
});
