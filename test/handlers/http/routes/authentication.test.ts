import { describe, expect, it } from "vitest";
import { err, ok } from "../../../../src/domain/result.js";
import { authenticationRoutes } from "../../../../src/handlers/http/routes/authentication.js";
import type { Signal } from "../../../../src/domain/management/signals.js";
import { aVerifiedIdentity } from "../../../support/kit.js";
import { bareApp, TEST_REQUEST_CONTEXT, unused } from "./support.js";

const IDENTITY = aVerifiedIdentity();

const TOKENS = { accessToken: "a", idToken: "i", refreshToken: "r", expiresIn: 3600, tokenType: "Bearer" as const };
const SIGNALS: Signal[] = [{ signalName: "currentUserDetails", rpID: "example.com", userID: "dXNlcg", userName: "u", userDisplayName: "U" }];
const UNKNOWN: Signal[] = [{ signalName: "unknownCredential", rpID: "example.com", credentialID: "Y3JlZA" }];

function app(finish: "ok" | "credential_not_found" | "sign_in_failed" = "ok") {
  const calls: unknown[][] = [];
  const { post, routes } = bareApp((hono, table) =>
    authenticationRoutes(hono, table, {
      signIn: {
        discover: async (...args) => (calls.push(["discover", ...args]), { challenge: "c" } as never),
        start: async (...args) => (calls.push(["start", ...args]), ok({ session: "s", credentialRequestOptions: {} as never })),
        finish: async (...args) => (calls.push(["finish", ...args]), finish === "ok" ? ok({ tokens: TOKENS, signals: SIGNALS }) : err(finish)),
        failureSignals: (...args) => (calls.push(["failureSignals", ...args]), args[0] === "credential_not_found" ? UNKNOWN : []),
        refresh: async (...args) => (calls.push(["refresh", ...args]), err("refresh_token_invalid")),
      },
      passkeys: {
        signOut: async (...args) => (calls.push(["signOut", ...args]), ok(undefined)),
        listPasskeys: unused,
        updatePasskey: unused,
        deletePasskey: unused,
        account: unused,
        updateAccount: unused,
        deleteAccount: unused,
        signOutEverywhere: unused,
        listEvents: unused,
      },
      identityProvider: { verifyIdToken: async (token) => (token === "good" ? ok(IDENTITY) : err("token_expired")) },
    }),
  );
  return { post, routes, calls };
}

describe("authentication routes", () => {
  it("discover answers the request options", async () => {
    const { post, calls } = app();
    expect(await post("/authentication/discover", {})).toEqual({ status: 200, json: { credentialRequestOptions: { challenge: "c" } } });
    expect(calls).toEqual([["discover", TEST_REQUEST_CONTEXT]]);
  });

  it("start and finish pass the decoded fields and the request's context, and map the tokens", async () => {
    const { post, calls } = app();
    expect((await post("/authentication/start", { userId: "dXNlcg" })).json).toEqual({ session: "s", credentialRequestOptions: {} });
    expect((await post("/authentication/finish", { session: "s", userId: "dXNlcg", publicKeyCredential: { id: "x" } })).json).toEqual({ ...TOKENS, signals: SIGNALS });
    expect(calls).toEqual([
      ["start", "dXNlcg", TEST_REQUEST_CONTEXT],
      ["finish", "s", "dXNlcg", { id: "x" }, TEST_REQUEST_CONTEXT],
    ]);
  });

  it("finish puts the failure's signals beside the error, and no signals key when there are none", async () => {
    const notFound = app("credential_not_found");
    expect(await notFound.post("/authentication/finish", { session: "s", userId: "dXNlcg", publicKeyCredential: { id: "Y3JlZA" } })).toEqual({
      status: 401,
      json: { error: { code: "credential_not_found", message: expect.any(String) }, signals: UNKNOWN },
    });
    expect(notFound.calls).toContainEqual(["failureSignals", "credential_not_found", { id: "Y3JlZA" }]);
    const failed = app("sign_in_failed");
    const response = await failed.post("/authentication/finish", { session: "s", userId: "dXNlcg", publicKeyCredential: {} });
    expect(response).toEqual({ status: 401, json: { error: { code: "sign_in_failed", message: expect.any(String) } } });
  });

  it("sign-out passes the refresh token, no identity without a token, and the request's context, and answers {}", async () => {
    const { post, calls } = app();
    expect(await post("/authentication/sign-out", { refreshToken: "r", other: 1 })).toEqual({ status: 200, json: {} });
    expect(await post("/authentication/sign-out", { refreshToken: 1 })).toMatchObject({ status: 400, json: { error: { code: "invalid_request" } } });
    expect(calls).toEqual([["signOut", "r", null, TEST_REQUEST_CONTEXT]]);
  });

  it("sign-out with an ID token passes whose it is, so that the sign-out is recorded in their account", async () => {
    const { post, calls } = app();
    expect(await post("/authentication/sign-out", { refreshToken: "r" }, { authorization: "Bearer good" })).toEqual({ status: 200, json: {} });
    expect(calls).toEqual([["signOut", "r", IDENTITY, TEST_REQUEST_CONTEXT]]);
  });

  it("sign-out with an ID token that does not verify is refused before anything is revoked", async () => {
    const { post, calls } = app();
    expect(await post("/authentication/sign-out", { refreshToken: "r" }, { authorization: "Bearer stale" })).toMatchObject({ status: 401, json: { error: { code: "token_expired" } } });
    expect(await post("/authentication/sign-out", { refreshToken: "r" }, { authorization: "Basic abc" })).toMatchObject({ status: 401, json: { error: { code: "token_malformed" } } });
    expect(calls).toEqual([]);
  });

  it("refresh passes the request's context, and maps the domain's failure to 401", async () => {
    const { post, calls } = app();
    expect(await post("/authentication/refresh", { refreshToken: "r" })).toMatchObject({ status: 401, json: { error: { code: "refresh_token_invalid" } } });
    expect(calls).toEqual([["refresh", "r", undefined, TEST_REQUEST_CONTEXT]]);
  });

  it("records its paths with POST and OPTIONS", () => {
    const { routes } = app();
    for (const path of ["/authentication/discover", "/authentication/start", "/authentication/finish", "/authentication/refresh", "/authentication/sign-out"]) {
      expect(routes.methodsOf(path)).toEqual(["POST", "OPTIONS"]);
    }
  });
});
