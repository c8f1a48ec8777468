import { describe, expect, it } from "vitest";
import type { PasskeyView } from "../../../../src/domain/management/passkey-management.js";
import type { Signal } from "../../../../src/domain/management/signals.js";
import { err, ok } from "../../../../src/domain/result.js";
import { credentialRoutes } from "../../../../src/handlers/http/routes/credentials.js";
import { aVerifiedIdentity, BASE_TIME } from "../../../support/kit.js";
import { bareApp, TEST_REQUEST_CONTEXT, unused } from "./support.js";

const IDENTITY = aVerifiedIdentity();

const PASSKEY: PasskeyView = {
  credentialId: "Y3JlZC0x",
  name: "Laptop",
  authenticator: { aaguid: "00000000-0000-0000-0000-000000000000", verified: false, name: "This device's passkey", icon: null },
  attestation: { format: "none", type: "none", trusted: false },
  createdAt: BASE_TIME,
  lastUsedAt: BASE_TIME + 90_061_001,
  enabled: true,
  backupEligible: true,
  backedUp: false,
  transports: ["internal", "hybrid"],
  userVerifiedAtRegistration: true,
  registrationMediation: "modal",
};

const SIGNALS: Signal[] = [{ signalName: "allAcceptedCredentials", rpID: "example.com", userID: "dXNlcg", allAcceptedCredentialIDs: ["Y3JlZC0x"] }];

function app() {
  const calls: unknown[][] = [];
  const record =
    <T>(name: string, answer: T) =>
    async (...args: unknown[]) => {
      calls.push([name, ...args]);
      return answer;
    };
  const { app: hono, routes } = bareApp((h, table) =>
    credentialRoutes(h, table, {
      passkeys: {
        listPasskeys: record("listPasskeys", [
          PASSKEY,
          {
            ...PASSKEY,
            credentialId: "Y3JlZC0y",
            lastUsedAt: null,
            authenticator: { ...PASSKEY.authenticator, aaguid: "ee882879-721c-4913-9775-3dfcce97072a", verified: true, icon: { light: "l", dark: "d" } },
            attestation: { format: "packed", type: "basic" as const, trusted: true },
            registrationMediation: "conditional" as const,
          },
        ]),
        updatePasskey: record("updatePasskey", ok({ passkey: { ...PASSKEY, name: "Renamed" }, signals: SIGNALS })),
        deletePasskey: record("deletePasskey", err("passkey_not_found" as const)),
        account: unused,
        updateAccount: unused,
        deleteAccount: unused,
        signOut: unused,
        signOutEverywhere: unused,
        listEvents: unused,
      },
      identityProvider: { verifyIdToken: async (token) => (token === "good" ? ok(IDENTITY) : err("token_signature_invalid")) },
    }),
  );
  const send = async (method: string, path: string, body?: unknown) => {
    const headers: Record<string, string> = { authorization: "Bearer good", ...(body === undefined ? {} : { "content-type": "application/json" }) };
    const response = await hono.request(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    return { status: response.status, json: (await response.json()) as Record<string, unknown> };
  };
  return { send, routes, calls };
}

describe("credential routes", () => {
  it("GET /credentials lists the token's user's passkeys, times as ISO 8601 UTC, icons as given, how each was created and whether its attestation is trusted", async () => {
    const { send, calls } = app();
    const listed = await send("GET", "/credentials");
    expect(listed.status).toBe(200);
    expect(listed.json.credentials).toEqual([
      {
        credentialId: "Y3JlZC0x",
        name: "Laptop",
        authenticator: { aaguid: "00000000-0000-0000-0000-000000000000", verified: false, name: "This device's passkey", icon: null },
        createdAt: "2026-01-01T00:00:00.000Z",
        lastUsedAt: "2026-01-02T01:01:01.001Z",
        enabled: true,
        backupEligible: true,
        backedUp: false,
        transports: ["internal", "hybrid"],
        userVerifiedAtRegistration: true,
        registrationMediation: "modal",
        attestation: { format: "none", type: "none", trusted: false },
      },
      expect.objectContaining({
        credentialId: "Y3JlZC0y",
        lastUsedAt: null,
        authenticator: expect.objectContaining({ aaguid: "ee882879-721c-4913-9775-3dfcce97072a", verified: true, icon: { light: "l", dark: "d" } }),
        attestation: { format: "packed", type: "basic", trusted: true },
        registrationMediation: "conditional",
      }),
    ]);
    expect(calls).toEqual([["listPasskeys", IDENTITY, TEST_REQUEST_CONTEXT]]);
  });

  it("PATCH passes the path's id (decoded) and the change as it came, and answers the entry with its signals", async () => {
    const { send, calls } = app();
    const patched = await send("PATCH", "/credentials/Y3JlZC0x%2D", { name: "Renamed", enabled: "yes", extra: 1 });
    expect(patched).toEqual({ status: 200, json: expect.objectContaining({ credentialId: "Y3JlZC0x", name: "Renamed", signals: SIGNALS }) });
    // `enabled` is the domain's to judge (passkey_enabled_invalid); an absent field is undefined.
    await send("PATCH", "/credentials/abc", { name: "Only a name" });
    expect(calls).toEqual([
      ["updatePasskey", IDENTITY, "Y3JlZC0x-", { name: "Renamed", enabled: "yes" }, TEST_REQUEST_CONTEXT],
      ["updatePasskey", IDENTITY, "abc", { name: "Only a name", enabled: undefined }, TEST_REQUEST_CONTEXT],
    ]);
  });

  it("PATCH refuses a name that is not a string with invalid_request, without calling the domain", async () => {
    const { send, calls } = app();
    expect(await send("PATCH", "/credentials/abc", { name: ["x"] })).toMatchObject({ status: 400, json: { error: { code: "invalid_request" } } });
    expect(calls).toEqual([]);
  });

  it("DELETE passes the id, needs no body, and maps passkey_not_found to 404", async () => {
    const { send, calls } = app();
    expect(await send("DELETE", "/credentials/abc")).toMatchObject({ status: 404, json: { error: { code: "passkey_not_found" } } });
    expect(calls).toEqual([["deletePasskey", IDENTITY, "abc", TEST_REQUEST_CONTEXT]]);
  });

  it("records /credentials and /credentials/:credentialId with their methods", () => {
    const { routes } = app();
    expect(routes.methodsOf("/credentials")).toEqual(["GET", "HEAD", "OPTIONS"]);
    expect(routes.methodsOf("/credentials/anything")).toEqual(["PATCH", "DELETE", "OPTIONS"]);
    expect(routes.methodsOf("/credentials/")).toBeUndefined();
  });
});
