import { describe, expect, it } from "vitest";
import { err, ok } from "../../../../src/domain/result.js";
import { authenticationRoutes } from "../../../../src/handlers/http/routes/authentication.js";
import { bareApp } from "./support.js";

const TOKENS = { accessToken: "a", idToken: "i", refreshToken: "r", expiresIn: 3600, tokenType: "Bearer" as const };

function app() {
  const calls: unknown[][] = [];
  const { post, routes } = bareApp((hono, table) =>
    authenticationRoutes(hono, table, {
      signIn: {
        discover: async () => ({ challenge: "c" }) as never,
        start: async (...args) => (calls.push(["start", ...args]), ok({ session: "s", credentialRequestOptions: {} as never })),
        finish: async (...args) => (calls.push(["finish", ...args]), ok(TOKENS as never)),
        refresh: async (...args) => (calls.push(["refresh", ...args]), err("refresh_token_invalid")),
      },
    }),
  );
  return { post, routes, calls };
}

describe("authentication routes", () => {
  it("discover answers the request options", async () => {
    expect(await app().post("/authentication/discover", {})).toEqual({ status: 200, json: { credentialRequestOptions: { challenge: "c" } } });
  });

  it("start and finish pass the decoded fields and map the tokens", async () => {
    const { post, calls } = app();
    expect((await post("/authentication/start", { userId: "dXNlcg" })).json).toEqual({ session: "s", credentialRequestOptions: {} });
    expect((await post("/authentication/finish", { session: "s", userId: "dXNlcg", publicKeyCredential: { id: "x" } })).json).toEqual(TOKENS);
    expect(calls).toEqual([
      ["start", "dXNlcg"],
      ["finish", "s", "dXNlcg", { id: "x" }],
    ]);
  });

  it("refresh maps the domain's failure to 401", async () => {
    const { post, calls } = app();
    expect(await post("/authentication/refresh", { refreshToken: "r" })).toMatchObject({ status: 401, json: { error: { code: "refresh_token_invalid" } } });
    expect(calls).toEqual([["refresh", "r", undefined]]);
  });

  it("records its paths with POST and OPTIONS", () => {
    const { routes } = app();
    for (const path of ["/authentication/discover", "/authentication/start", "/authentication/finish", "/authentication/refresh"]) {
      expect(routes.methodsOf(path)).toEqual(["POST", "OPTIONS"]);
    }
  });
});
