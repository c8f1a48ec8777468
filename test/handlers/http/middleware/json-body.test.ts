import { Hono } from "hono";
import { describe, expect, it } from "vitest";
import type { AppEnv } from "../../../../src/handlers/http/context.js";
import { MAX_BODY_BYTES } from "../../../../src/handlers/http/decode.js";
import { jsonBody } from "../../../../src/handlers/http/middleware/json-body.js";

function app() {
  const hono = new Hono<AppEnv>();
  hono.use("*", async (c, next) => {
    c.set("correlationId", "test-correlation");
    c.set("log", () => {});
    await next();
  });
  hono.post("/", jsonBody, (c) => c.json({ got: c.get("body") }));
  const post = (body: string, contentType = "application/json") => hono.request("/", { method: "POST", headers: { "content-type": contentType }, body });
  return { post };
}

const codeOf = async (response: Response) => ({ status: response.status, code: ((await response.json()) as { error?: { code?: string } }).error?.code });

describe("jsonBody", () => {
  it("hands the route one parsed JSON object", async () => {
    const response = await app().post('{"a":1}', "Application/JSON; charset=utf-8");
    expect(await response.json()).toEqual({ got: { a: 1 } });
  });

  it.each([
    ["a body that is not JSON", "text/plain", "{}", 415, "unsupported_media_type"],
    ["malformed JSON", "application/json", "{", 400, "malformed_json"],
    ["JSON that is not an object", "application/json", "[1]", 400, "invalid_request"],
    ["a body over the limit", "application/json", JSON.stringify({ x: "x".repeat(MAX_BODY_BYTES) }), 413, "payload_too_large"],
    ["JSON in another charset", "application/json; charset=latin1", "{}", 415, "unsupported_media_type"],
  ])("refuses %s", async (_, contentType, body, status, code) => {
    expect(await codeOf(await app().post(body, contentType))).toEqual({ status, code });
  });

  it("says that the charset is the problem when it is", async () => {
    const response = await app().post("{}", "application/json; charset=iso-8859-1");
    expect(((await response.json()) as { error: { message: string } }).error.message).toMatch(/UTF-8/);
  });

  it("closes the connection after refusing a body over the limit, whose rest is left unread", async () => {
    const tooLarge = await app().post(JSON.stringify({ x: "x".repeat(MAX_BODY_BYTES) }));
    expect(tooLarge.status).toBe(413);
    expect(tooLarge.headers.get("connection")).toBe("close");
    for (const [body, contentType] of [["{", "application/json"], ["{}", "text/plain"], ['{"a":1}', "application/json"]] as const) {
      expect((await app().post(body, contentType)).headers.get("connection")).toBeNull();
    }
  });
});
