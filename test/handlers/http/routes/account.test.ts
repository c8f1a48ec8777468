import { describe, expect, it } from "vitest";
import type { AccountView } from "../../../../src/domain/management/passkey-management.js";
import type { Signal } from "../../../../src/domain/management/signals.js";
import { err, ok } from "../../../../src/domain/result.js";
import { accountRoutes } from "../../../../src/handlers/http/routes/account.js";
import { aVerifiedIdentity, BASE_TIME } from "../../../support/kit.js";
import { bareApp, TEST_REQUEST_CONTEXT, unused } from "./support.js";

const IDENTITY = aVerifiedIdentity();
const ACCOUNT: AccountView = { userId: "dXNlcg", username: "alma", displayName: "Alma", createdAt: BASE_TIME + 1, credentialCount: 2 };
const DETAILS: Signal[] = [{ signalName: "currentUserDetails", rpID: "example.com", userID: "dXNlcg", userName: "alma2", userDisplayName: "Alma" }];
const EMPTIED: Signal[] = [{ signalName: "allAcceptedCredentials", rpID: "example.com", userID: "dXNlcg", allAcceptedCredentialIDs: [] }];

function app(options: { account?: "ok" | "account_not_found" } = {}) {
  const calls: unknown[][] = [];
  const record =
    <T>(name: string, answer: T) =>
    async (...args: unknown[]) => {
      calls.push([name, ...args]);
      return answer;
    };
  const { app: hono, routes } = bareApp((h, table) =>
    accountRoutes(h, table, {
      passkeys: {
        account: record("account", options.account === "account_not_found" ? err("account_not_found" as const) : ok(ACCOUNT)),
        updateAccount: record("updateAccount", ok({ account: { ...ACCOUNT, username: "alma2" }, signals: DETAILS })),
        deleteAccount: record("deleteAccount", ok({ signals: EMPTIED })),
        signOutEverywhere: record("signOutEverywhere", ok(undefined)),
        listPasskeys: unused,
        updatePasskey: unused,
        deletePasskey: unused,
        signOut: unused,
        listEvents: unused,
      },
      identityProvider: { verifyIdToken: async (token) => (token === "good" ? ok(IDENTITY) : err("token_expired")) },
    }),
  );
  const send = async (method: string, path: string, body?: unknown, token = "good") => {
    const headers: Record<string, string> = { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { "content-type": "application/json" }) };
    const response = await hono.request(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    return { status: response.status, json: (await response.json()) as Record<string, unknown> };
  };
  return { send, routes, calls };
}

describe("account routes", () => {
  it("GET /account answers the account, its creation time as ISO 8601 UTC", async () => {
    const { send, calls } = app();
    expect(await send("GET", "/account")).toEqual({
      status: 200,
      json: { userId: "dXNlcg", username: "alma", displayName: "Alma", createdAt: "2026-01-01T00:00:00.001Z", credentialCount: 2 },
    });
    expect(calls).toEqual([["account", IDENTITY, TEST_REQUEST_CONTEXT]]);
  });

  it("GET /account maps account_not_found to 404", async () => {
    expect(await app({ account: "account_not_found" }).send("GET", "/account")).toMatchObject({ status: 404, json: { error: { code: "account_not_found" } } });
  });

  it("PATCH /account passes the optional names and answers the account with its signals", async () => {
    const { send, calls } = app();
    expect(await send("PATCH", "/account", { username: "alma2", ignored: true })).toEqual({
      status: 200,
      json: { userId: "dXNlcg", username: "alma2", displayName: "Alma", createdAt: "2026-01-01T00:00:00.001Z", credentialCount: 2, signals: DETAILS },
    });
    expect(await send("PATCH", "/account", { displayName: 7 })).toMatchObject({ status: 400, json: { error: { code: "invalid_request" } } });
    expect(calls).toEqual([["updateAccount", IDENTITY, { username: "alma2", displayName: undefined }, TEST_REQUEST_CONTEXT]]);
  });

  it("DELETE /account answers the signals; sign-out-everywhere answers {}", async () => {
    const { send, calls } = app();
    expect(await send("DELETE", "/account")).toEqual({ status: 200, json: { signals: EMPTIED } });
    expect(await send("POST", "/account/sign-out-everywhere", {})).toEqual({ status: 200, json: {} });
    expect(calls).toEqual([
      ["deleteAccount", IDENTITY, TEST_REQUEST_CONTEXT],
      ["signOutEverywhere", IDENTITY, TEST_REQUEST_CONTEXT],
    ]);
  });

  it("refuses a token that does not verify before calling anything", async () => {
    const { send, calls } = app();
    expect(await send("DELETE", "/account", undefined, "bad")).toMatchObject({ status: 401, json: { error: { code: "token_expired" } } });
    expect(calls).toEqual([]);
  });

  it("records /account and /account/sign-out-everywhere with their methods", () => {
    const { routes } = app();
    expect(routes.methodsOf("/account")).toEqual(["GET", "HEAD", "PATCH", "DELETE", "OPTIONS"]);
    expect(routes.methodsOf("/account/sign-out-everywhere")).toEqual(["POST", "OPTIONS"]);
  });
});
