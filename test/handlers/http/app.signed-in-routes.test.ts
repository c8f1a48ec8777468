/**
 * What every route of the signed-in user's passkeys and account shares: the ID token is checked first
 * (as start-verified checks it), CORS lets the configured origins use the methods and the Authorization
 * header, and a wrong method is 405 with the path's Allow. Runs on both storages.
 */
import { generateKeyPairSync, randomUUID, sign } from "node:crypto";
import { describe, expect, it } from "vitest";
import { decodeJwt } from "../../support/kit.js";
import { SoftwareAuthenticator } from "../../support/software-authenticator.js";
import { bearer, buildTestApp, discoverableSignIn, ORIGIN, signUp, type ApiResponse } from "./harness.js";

const freshName = (name: string): string => `${name}-${randomUUID().slice(0, 8)}`;

function expectError(response: ApiResponse, status: number, code: string): void {
  expect({ status: response.status, code: response.json?.error?.code }).toEqual({ status, code });
  expect(Object.keys(response.json)).toEqual(["error"]);
}

/** Every route that needs an ID token, with a body it would accept. */
const SIGNED_IN_ROUTES = [
  { method: "GET", path: "/credentials" },
  { method: "PATCH", path: "/credentials/AAAAAAAAAAAAAAAAAAAAAA", body: { name: "x" } },
  { method: "DELETE", path: "/credentials/AAAAAAAAAAAAAAAAAAAAAA" },
  { method: "GET", path: "/account" },
  { method: "PATCH", path: "/account", body: { displayName: "x" } },
  { method: "DELETE", path: "/account" },
  { method: "POST", path: "/account/sign-out-everywhere", body: {} },
  { method: "GET", path: "/events" },
] as const;

type Route = (typeof SIGNED_IN_ROUTES)[number];
const label = (route: Route): string => `${route.method} ${route.path}`;

function requestInit(route: Route, headers: Record<string, string>): RequestInit {
  return "body" in route
    ? { method: route.method, headers: { "Content-Type": "application/json", ...headers }, body: JSON.stringify(route.body) }
    : { method: route.method, headers };
}

async function signedIn() {
  const test = buildTestApp();
  const authenticator = new SoftwareAuthenticator();
  await signUp(test.client, authenticator, freshName("tom"));
  return { ...test, tokens: await discoverableSignIn(test.client, authenticator) };
}

describe("HTTP API: the signed-in routes refuse callers without a valid ID token", () => {
  it.each(SIGNED_IN_ROUTES.map((route) => [label(route), route] as const))("%s: 401 token_missing without Authorization, with a Bearer challenge", async (_label, route) => {
    const { client } = buildTestApp();
    const response = await client.send(route.path, requestInit(route, {}));
    expectError(response, 401, "token_missing");
    expect(response.headers.get("www-authenticate")).toBe('Bearer realm="keyport"');
  });

  it.each(SIGNED_IN_ROUTES.map((route) => [label(route), route] as const))("%s: 401 for a malformed, forged, expired or access token", async (_label, route) => {
    const { client, clock, tokens } = await signedIn();
    const { header, payload } = decodeJwt(tokens.idToken);
    const encode = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString("base64url");
    const input = `${encode(header)}.${encode(payload)}`;
    const forged = `${input}.${sign("sha256", Buffer.from(input), { key: generateKeyPairSync("ec", { namedCurve: "P-256" }).privateKey, dsaEncoding: "ieee-p1363" }).toString("base64url")}`;
    expectError(await client.send(route.path, requestInit(route, { Authorization: "Bearer garbage" })), 401, "token_malformed");
    expectError(await client.send(route.path, requestInit(route, bearer(forged))), 401, "token_signature_invalid");
    expectError(await client.send(route.path, requestInit(route, bearer(tokens.accessToken))), 401, "token_not_id_token");
    clock.advance(3600_000);
    const expired = await client.send(route.path, requestInit(route, bearer(tokens.idToken)));
    expectError(expired, 401, "token_expired");
    expect(expired.headers.get("www-authenticate")).toContain('error="invalid_token"');
  });

  it("checks the token before the body", async () => {
    const { client } = buildTestApp();
    for (const path of ["/credentials/AAAAAAAAAAAAAAAAAAAAAA", "/account"]) {
      expectError(await client.send(path, { method: "PATCH", headers: { "Content-Type": "text/plain" }, body: "x" }), 401, "token_missing");
    }
    expectError(await client.send("/account/sign-out-everywhere", { method: "POST", headers: { "Content-Type": "text/plain" }, body: "x" }), 401, "token_missing");
  });
});

describe("HTTP API: CORS on the signed-in routes", () => {
  it.each([
    ["PATCH", "/credentials/AAAAAAAAAAAAAAAAAAAAAA"],
    ["DELETE", "/credentials/AAAAAAAAAAAAAAAAAAAAAA"],
    ["GET", "/credentials"],
    ["PATCH", "/account"],
    ["DELETE", "/account"],
    ["POST", "/account/sign-out-everywhere"],
    ["POST", "/authentication/sign-out"],
    ["GET", "/events"],
  ])("answers a preflight for %s %s from an allowed origin, with the method and the Authorization header", async (method, path) => {
    const { client } = buildTestApp();
    const response = await client.send(path, {
      method: "OPTIONS",
      headers: { Origin: ORIGIN, "Access-Control-Request-Method": method, "Access-Control-Request-Headers": "authorization,content-type" },
    });
    expect(response.status).toBe(204);
    expect(response.headers.get("access-control-allow-origin")).toBe(ORIGIN);
    expect(response.headers.get("access-control-allow-methods")?.split(",")).toContain(method);
    expect(response.headers.get("access-control-allow-headers")?.split(",")).toContain("Authorization");
  });

  it("names no other origin, on a preflight or an answer", async () => {
    const { client, tokens } = await signedIn();
    const preflight = await client.send("/account", { method: "OPTIONS", headers: { Origin: "https://evil.example", "Access-Control-Request-Method": "DELETE" } });
    expect(preflight.headers.get("access-control-allow-origin")).toBeNull();
    const answer = await client.get("/credentials", { ...bearer(tokens.idToken), Origin: "https://evil.example" });
    expect(answer.headers.get("access-control-allow-origin")).toBeNull();
    const allowed = await client.get("/credentials", { ...bearer(tokens.idToken), Origin: ORIGIN });
    expect(allowed.headers.get("access-control-allow-origin")).toBe(ORIGIN);
    expect(allowed.headers.get("access-control-expose-headers")).toBe("X-Correlation-Id");
  });
});

describe("HTTP API: methods and paths of the signed-in routes", () => {
  it.each([
    ["PUT", "/credentials", "GET, HEAD, OPTIONS"],
    ["POST", "/credentials", "GET, HEAD, OPTIONS"],
    ["GET", "/credentials/AAAAAAAAAAAAAAAAAAAAAA", "PATCH, DELETE, OPTIONS"],
    ["POST", "/credentials/AAAAAAAAAAAAAAAAAAAAAA", "PATCH, DELETE, OPTIONS"],
    ["POST", "/account", "GET, HEAD, PATCH, DELETE, OPTIONS"],
    ["GET", "/account/sign-out-everywhere", "POST, OPTIONS"],
    ["GET", "/authentication/sign-out", "POST, OPTIONS"],
    ["POST", "/events", "GET, HEAD, OPTIONS"],
    ["DELETE", "/events", "GET, HEAD, OPTIONS"],
  ])("405 method_not_allowed for %s %s, with Allow: %s", async (method, path, allow) => {
    const { client } = buildTestApp();
    const response = await client.send(path, { method });
    expectError(response, 405, "method_not_allowed");
    expect(response.headers.get("allow")).toBe(allow);
  });

  it.each(["/credentials/", "/credentials/a/b", "/accounts", "/account/other", "/events/", "/events/abc"])("404 not_found for %s", async (path) => {
    const { client } = buildTestApp();
    expectError(await client.get(path), 404, "not_found");
  });

  it("answers HEAD on the GET routes", async () => {
    const { client, tokens } = await signedIn();
    for (const path of ["/credentials", "/account", "/events"]) {
      const response = await client.send(path, { method: "HEAD", headers: bearer(tokens.idToken) });
      expect({ path, status: response.status, body: response.text }).toEqual({ path, status: 200, body: "" });
    }
  });
});
