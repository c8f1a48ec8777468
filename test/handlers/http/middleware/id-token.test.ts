import { Hono } from "hono";
import { describe, expect, it } from "vitest";
import { err, ok } from "../../../../src/domain/result.js";
import type { AppEnv } from "../../../../src/handlers/http/context.js";
import { idToken } from "../../../../src/handlers/http/middleware/id-token.js";
import type { IdentityProvider } from "../../../../src/ports/identity-provider.js";
import { aVerifiedIdentity } from "../../../support/kit.js";

const IDENTITY = aVerifiedIdentity();

function app() {
  const verified: string[] = [];
  const provider: Pick<IdentityProvider, "verifyIdToken"> = {
    verifyIdToken: async (token) => {
      verified.push(token);
      return token === "good" ? ok(IDENTITY) : err("token_expired");
    },
  };
  const hono = new Hono<AppEnv>();
  hono.use("*", async (c, next) => {
    c.set("correlationId", "test-correlation");
    c.set("log", () => {});
    await next();
  });
  hono.get("/", idToken(provider), (c) => c.json({ identity: c.get("identity") }));
  const call = (authorization?: string) => hono.request("/", { headers: authorization === undefined ? {} : { authorization } });
  return { call, verified };
}

const codeOf = async (response: Response) => ({ status: response.status, code: ((await response.json()) as { error?: { code?: string } }).error?.code });

describe("idToken", () => {
  it("hands the route the identity a valid bearer token names", async () => {
    const { call, verified } = app();
    expect(await (await call("bearer   good ")).json()).toEqual({ identity: IDENTITY });
    expect(verified).toEqual(["good"]);
  });

  it.each([
    ["no header", undefined, "token_missing"],
    ["a blank header", "  ", "token_missing"],
    ["another scheme", "Basic dXNlcjpwdw==", "token_malformed"],
    ["two tokens", "Bearer a b", "token_malformed"],
  ])("answers 401 for %s, without asking the provider", async (_, header, code) => {
    const { call, verified } = app();
    expect(await codeOf(await call(header))).toEqual({ status: 401, code });
    expect(verified).toEqual([]);
  });

  it("answers 401 with the provider's code for a token it rejects", async () => {
    expect(await codeOf(await app().call("Bearer stale"))).toEqual({ status: 401, code: "token_expired" });
  });
});
