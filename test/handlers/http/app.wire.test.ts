/**
 * The exchange itself (docs/api.md, Conventions): a JSON body in another charset than UTF-8 is refused
 * on every route that reads a body, and a refused oversized body closes the connection. The socket-level
 * behaviour is tested against the real server in test/main/server.test.ts.
 */
import { describe, expect, it } from "vitest";
import { API_ROUTES } from "../../support/kit.js";
import { buildTestApp, expectOk } from "./harness.js";

const BODY_ROUTES = API_ROUTES.filter((route) => route.method === "POST" && !route.bearer).map((route) => route.path);

describe("HTTP API: charsets", () => {
  it.each(BODY_ROUTES)("%s: 415 unsupported_media_type for JSON announced in a charset other than UTF-8", async (route) => {
    const { client } = buildTestApp();
    for (const charset of ["latin1", "ISO-8859-1", '"utf-16"', "us-ascii"]) {
      const response = await client.post(route, "{}", { "Content-Type": `application/json; charset=${charset}` });
      expect({ charset, status: response.status, code: response.json?.error?.code }).toEqual({ charset, status: 415, code: "unsupported_media_type" });
    }
  });

  it("accepts UTF-8 in any letter case, quoted or not, and no charset at all", async () => {
    const { client } = buildTestApp();
    for (const contentType of ["application/json", "application/json; charset=utf-8", "application/json;charset=UTF-8", 'application/json; charset="Utf-8"']) {
      expectOk(await client.post("/authentication/discover", {}, { "Content-Type": contentType }), contentType);
    }
  });
});

describe("HTTP API: oversized bodies", () => {
  it("answers 413 with Connection: close, and no other answer closes the connection", async () => {
    const { client } = buildTestApp();
    const tooLarge = await client.post("/registration/start", { username: "x".repeat(70_000), displayName: "x" });
    expect({ status: tooLarge.status, connection: tooLarge.headers.get("connection") }).toEqual({ status: 413, connection: "close" });
    const fine = await client.post("/registration/start", { username: "x", displayName: "x" });
    expect({ status: fine.status, connection: fine.headers.get("connection") }).toEqual({ status: 200, connection: null });
  });
});
