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

  it("puts signals beside the error when given, and nothing else", async () => {
    const signals = [{ signalName: "unknownCredential" as const, rpID: "example.com", credentialID: "Y3JlZA" }];
    const response = await appAnswering((c) => fail(c, "credential_not_found", undefined, { signals })).app.request("/");
    expect(response.status).toBe(401);
    expect(await response.json()).toEqual({ error: { code: "credential_not_found", message: expect.any(String) }, signals });
    const plain = await appAnswering((c) => fail(c, "credential_not_found", undefined, {})).app.request("/");
    expect(Object.keys(await plain.json())).toEqual(["error"]);
  });

  it("drops the signals of a code missing from the table: a masked bug says nothing else", async () => {
    const signals = [{ signalName: "unknownCredential" as const, rpID: "example.com", credentialID: "Y3JlZA" }];
    const response = await appAnswering((c) => fail(c, "brand_new_code", undefined, { signals })).app.request("/");
    expect(await response.json()).toEqual({ error: { code: "internal_error", message: "Something went wrong on our side." } });
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

  it("matches a parameter to exactly one non-empty segment, as hono's router does", () => {
    const routes = new RouteTable();
    expect(routes.add("/credentials/:credentialId", "PATCH", "DELETE")).toBe("/credentials/:credentialId");
    routes.add("/credentials", "GET");
    expect(routes.methodsOf("/credentials/abc")).toEqual(["PATCH", "DELETE"]);
    expect(routes.methodsOf("/credentials/:credentialId")).toEqual(["PATCH", "DELETE"]);
    expect(routes.methodsOf("/credentials")).toEqual(["GET"]);
    expect(routes.methodsOf("/credentials/")).toBeUndefined();
    expect(routes.methodsOf("/credentials/a/b")).toBeUndefined();
    expect(routes.methodsOf("/other/abc")).toBeUndefined();
  });

  it("shows a parametrised path by its pattern in logs, and any other path as it is", () => {
    const routes = new RouteTable();
    routes.add("/credentials/:credentialId", "PATCH");
    routes.add("/credentials", "GET");
    expect(routes.loggedPath("/credentials/c2VjcmV0LWlk")).toBe("/credentials/:credentialId");
    expect(routes.loggedPath("/credentials")).toBe("/credentials");
    expect(routes.loggedPath("/credentials/a/b")).toBe("/credentials/a/b");
    expect(routes.loggedPath("/nope")).toBe("/nope");
  });
});
