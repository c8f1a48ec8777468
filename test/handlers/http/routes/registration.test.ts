import { describe, expect, it } from "vitest";
import { err, ok } from "../../../../src/domain/result.js";
import { registrationRoutes } from "../../../../src/handlers/http/routes/registration.js";
import { bareApp, TEST_REQUEST_CONTEXT, unused } from "./support.js";
import { aVerifiedIdentity } from "../../../support/kit.js";

const IDENTITY = aVerifiedIdentity();

function app() {
  const calls: unknown[][] = [];
  const record =
    <T>(name: string, answer: T) =>
    async (...args: unknown[]) => {
      calls.push([name, ...args]);
      return answer;
    };
  const { post, routes } = bareApp((hono, table) =>
    registrationRoutes(hono, table, {
      registration: {
        startForNewUser: record("startForNewUser", ok({ sessionId: "s-1", options: { challenge: "c" } as never })),
        startForExistingUser: record("startForExistingUser", ok({ sessionId: "s-2", options: {} as never })),
        finish: record("finish", err("session_expired" as const)),
      },
      identityProvider: { verifyIdToken: async (token) => (token === "good" ? ok(IDENTITY) : unused()) },
    }),
  );
  return { post, routes, calls };
}

describe("registration routes", () => {
  it("start decodes the profile, calls startForNewUser once and maps the session", async () => {
    const { post, calls } = app();
    expect(await post("/registration/start", { username: "alice", displayName: "Alice", extra: 1 })).toEqual({
      status: 200,
      json: { sessionId: "s-1", credentialCreationOptions: { challenge: "c" } },
    });
    expect(calls).toEqual([["startForNewUser", { username: "alice", displayName: "Alice" }, TEST_REQUEST_CONTEXT]]);
  });

  it("start-verified passes the token's identity and the optional profile", async () => {
    const { post, calls } = app();
    expect((await post("/registration/start-verified", {}, { authorization: "Bearer good" })).status).toBe(200);
    expect(calls).toEqual([["startForExistingUser", IDENTITY, { username: undefined, displayName: undefined }, TEST_REQUEST_CONTEXT]]);
  });

  it("start-verified passes mediation \"conditional\" on (an automatic passkey upgrade)", async () => {
    const { post, calls } = app();
    expect((await post("/registration/start-verified", { mediation: "conditional" }, { authorization: "Bearer good" })).status).toBe(200);
    expect(calls).toEqual([["startForExistingUser", IDENTITY, { username: undefined, displayName: undefined, mediation: "conditional" }, TEST_REQUEST_CONTEXT]]);
  });

  it.each([["modal"], ["required"], ["optional"], ["Conditional"], [null], [true], [{}]])(
    "start-verified refuses mediation %j with invalid_request, naming the field, and starts nothing",
    async (mediation) => {
      const { post, calls } = app();
      expect(await post("/registration/start-verified", { mediation }, { authorization: "Bearer good" })).toMatchObject({
        status: 400,
        json: { error: { code: "invalid_request", message: expect.stringContaining("mediation") } },
      });
      expect(calls).toEqual([]);
    },
  );

  it("start refuses any mediation with invalid_request: a sign-up cannot be an automatic passkey upgrade", async () => {
    const { post, calls } = app();
    for (const mediation of ["conditional", "modal"]) {
      expect(await post("/registration/start", { username: "alice", displayName: "Alice", mediation })).toMatchObject({
        status: 400,
        json: { error: { code: "invalid_request", message: expect.stringContaining("start-verified") } },
      });
    }
    expect(calls).toEqual([]);
  });

  it("finish maps the domain's failure to its error, and a wrong field to invalid_request without calling it", async () => {
    const { post, calls } = app();
    expect(await post("/registration/finish", { sessionId: "s", publicKeyCredential: {} })).toMatchObject({ status: 400, json: { error: { code: "session_expired" } } });
    expect(await post("/registration/finish", { sessionId: 1, publicKeyCredential: {} })).toMatchObject({ status: 400, json: { error: { code: "invalid_request" } } });
    expect(calls).toEqual([["finish", "s", {}, null, TEST_REQUEST_CONTEXT]]);
  });

  it("records its paths with POST and OPTIONS", () => {
    const { routes } = app();
    for (const path of ["/registration/start", "/registration/start-verified", "/registration/finish"]) expect(routes.methodsOf(path)).toEqual(["POST", "OPTIONS"]);
  });
});
