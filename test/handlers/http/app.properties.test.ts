import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ERRORS } from "../../../src/handlers/http/errors.js";
import { POST_PATHS } from "../../support/kit.js";
import { SoftwareAuthenticator } from "../../support/software-authenticator.js";
import { bearer, buildTestApp, discoverableSignIn, signUp } from "./harness.js";

/** The fields the routes read, so that generated objects often get past decoding into the domain. */
const FIELDS = ["username", "displayName", "sessionId", "publicKeyCredential", "userId", "session", "refreshToken", "name", "enabled"] as const;

const webauthnish = fc.record(
  {
    id: fc.oneof(fc.string(), fc.base64String()),
    rawId: fc.oneof(fc.string(), fc.base64String()),
    type: fc.constantFrom("public-key", "other", ""),
    response: fc.dictionary(fc.constantFrom("clientDataJSON", "attestationObject", "authenticatorData", "signature", "userHandle"), fc.jsonValue()),
    clientExtensionResults: fc.jsonValue(),
  },
  { requiredKeys: [] },
);

const fieldValue = fc.oneof(fc.jsonValue(), fc.string(), fc.base64String().map((s) => s.replace(/=+$/, "").replace(/\+/g, "-").replace(/\//g, "_")), webauthnish);
const routeShapedBody = fc.dictionary(fc.constantFrom(...FIELDS), fieldValue).map((o) => JSON.stringify(o));

const anyBody = fc.oneof(
  fc.json(),
  routeShapedBody,
  fc.string(), // mostly not JSON at all
  fc.uint8Array({ maxLength: 256 }).map((bytes) => Buffer.from(bytes).toString("latin1")),
);

const authorization = fc.option(fc.oneof(fc.string(), fc.string().map((s) => `Bearer ${s}`)), { nil: undefined });

describe("HTTP API: property: no body makes it fail with a 5xx", () => {
  it("every POST route answers 200 or a 4xx with a known error code, for any body", async () => {
    const { client, logs } = buildTestApp();
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...POST_PATHS), anyBody, authorization, async (route, body, auth) => {
        const response = await client.post(route, body, auth === undefined ? {} : { Authorization: auth });
        if (response.status === 200) return; // a generated body can be a valid request (discover, start for any handle)
        expect(response.status).toBeGreaterThanOrEqual(400);
        expect(response.status).toBeLessThan(500);
        expect(Object.keys(ERRORS)).toContain(response.json.error.code);
        expect(typeof response.json.error.message).toBe("string");
      }),
      { numRuns: 500 },
    );
    expect(logs.filter((entry) => entry.level === "error")).toEqual([]);
  }, 120_000);

  it("random JSON that is not a valid request gets a 4xx on every route but discover", async () => {
    const { client } = buildTestApp();
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...POST_PATHS.filter((path) => path !== "/authentication/discover")), fc.json(), async (route, body) => {
        const response = await client.post(route, body);
        expect(response.status).toBeGreaterThanOrEqual(400);
        expect(response.status).toBeLessThan(500);
        expect(typeof response.json.error.code).toBe("string");
      }),
      { numRuns: 300 },
    );
  }, 120_000);
});

describe("HTTP API: property: no change makes a signed-in route fail with a 5xx", () => {
  it("PATCH /credentials/{id} and PATCH /account answer 200 or a 4xx with a known error code, for any body and id, with a valid token", async () => {
    const { client, logs } = buildTestApp();
    const authenticator = new SoftwareAuthenticator();
    const user = await signUp(client, authenticator, `prop-${Date.now()}`);
    const auth = bearer((await discoverableSignIn(client, authenticator)).idToken);
    const credentialId = fc.oneof(fc.constant(user.credentialId), fc.string({ minLength: 1 }), fc.base64String({ minLength: 1 }));
    const path = fc.oneof(credentialId.map((id) => `/credentials/${encodeURIComponent(id)}`), fc.constant("/account"));
    await fc.assert(
      fc.asyncProperty(path, anyBody, async (route, body) => {
        const response = await client.send(route, { method: "PATCH", headers: { ...auth, "Content-Type": "application/json" }, body });
        if (response.status === 200) return; // a generated body can be a valid change
        expect(response.status).toBeGreaterThanOrEqual(400);
        expect(response.status).toBeLessThan(500);
        expect(Object.keys(ERRORS)).toContain(response.json.error.code);
      }),
      { numRuns: 300 },
    );
    expect(logs.filter((entry) => entry.level === "error")).toEqual([]);
  }, 120_000);
});
