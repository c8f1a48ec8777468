import { describe, expect, it } from "vitest";
import { SECURITY_EVENT_TYPES, type SecurityEvent } from "../../../../src/domain/activity/security-events.js";
import { err, ok } from "../../../../src/domain/result.js";
import { eventJson, eventRoutes } from "../../../../src/handlers/http/routes/events.js";
import { aVerifiedIdentity, BASE_TIME } from "../../../support/kit.js";
import { bareApp, TEST_REQUEST_CONTEXT, unused } from "./support.js";

const IDENTITY = aVerifiedIdentity();
const CONTEXT = { sourceIp: "192.0.2.7", userAgent: "Firefox", correlationId: "req-00000001" };
const PASSKEY = { credentialId: "Y3JlZA", passkeyName: "Work laptop", authenticatorName: "iCloud Keychain" };
const base = { eventId: "ZXZ0", at: BASE_TIME + 1, userHandle: "dXNlcg", context: CONTEXT };

/** One event of every type, as the domain hands them out. */
const EVERY_EVENT: readonly SecurityEvent[] = [
  { ...base, ...PASSKEY, type: "registration.succeeded" },
  { ...base, type: "registration.failed", code: "origin_mismatch" },
  { ...base, ...PASSKEY, type: "sign_in.succeeded" },
  { ...base, ...PASSKEY, type: "sign_in.failed", code: "credential_disabled" },
  { ...base, type: "sign_in.failed_suppressed", count: 7, windowStart: BASE_TIME, windowEnd: BASE_TIME + 3_600_000 },
  { ...base, ...PASSKEY, type: "passkey.added" },
  { ...base, ...PASSKEY, type: "passkey.renamed", previousName: "MacBook" },
  { ...base, ...PASSKEY, type: "passkey.disabled" },
  { ...base, ...PASSKEY, type: "passkey.enabled" },
  { ...base, ...PASSKEY, type: "passkey.deleted" },
  { ...base, type: "account.updated", changed: ["username", "displayName"] },
  { ...base, type: "account.deleted" },
  { ...base, type: "signed_out" },
  { ...base, type: "signed_out_everywhere" },
  { ...base, type: "token.refreshed" },
];

function app(answer: Awaited<ReturnType<Parameters<typeof eventRoutes>[2]["passkeys"]["listEvents"]>> = ok({ events: EVERY_EVENT, nextCursor: "next" })) {
  const calls: unknown[][] = [];
  const { app: hono, routes } = bareApp((h, table) =>
    eventRoutes(h, table, {
      passkeys: {
        listEvents: async (...args) => (calls.push(args), answer),
        listPasskeys: unused,
        updatePasskey: unused,
        deletePasskey: unused,
        account: unused,
        updateAccount: unused,
        deleteAccount: unused,
        signOut: unused,
        signOutEverywhere: unused,
      },
      identityProvider: { verifyIdToken: async (token) => (token === "good" ? ok(IDENTITY) : err("token_expired")) },
    }),
  );
  const get = async (query = "", token = "good") => {
    const response = await hono.request(`/events${query}`, { headers: { authorization: `Bearer ${token}` } });
    return { status: response.status, json: (await response.json()) as Record<string, any> }; // eslint-disable-line @typescript-eslint/no-explicit-any -- checked field by field
  };
  return { get, routes, calls };
}

describe("events route", () => {
  it("GET /events passes the token's identity, the page (20 by default) and the request's context", async () => {
    const { get, calls } = app();
    expect((await get()).status).toBe(200);
    expect((await get("?limit=5&cursor=abc")).status).toBe(200);
    expect(calls).toEqual([
      [IDENTITY, { limit: 20, cursor: null }, TEST_REQUEST_CONTEXT],
      [IDENTITY, { limit: 5, cursor: "abc" }, TEST_REQUEST_CONTEXT],
    ]);
  });

  it("answers every event type, times as ISO 8601 UTC, the context flattened, and never the user handle", async () => {
    const { json } = await app().get();
    expect(EVERY_EVENT.map((e) => e.type)).toEqual([...SECURITY_EVENT_TYPES]);
    const at = "2026-01-01T00:00:00.001Z";
    const common = { eventId: "ZXZ0", at, sourceIp: "192.0.2.7", userAgent: "Firefox", correlationId: "req-00000001" };
    expect(json).toEqual({
      nextCursor: "next",
      events: [
        { ...common, type: "registration.succeeded", ...PASSKEY },
        { ...common, type: "registration.failed", code: "origin_mismatch" },
        { ...common, type: "sign_in.succeeded", ...PASSKEY },
        { ...common, type: "sign_in.failed", ...PASSKEY, code: "credential_disabled" },
        { ...common, type: "sign_in.failed_suppressed", count: 7, windowStart: "2026-01-01T00:00:00.000Z", windowEnd: "2026-01-01T01:00:00.000Z" },
        { ...common, type: "passkey.added", ...PASSKEY },
        { ...common, type: "passkey.renamed", ...PASSKEY, previousName: "MacBook" },
        { ...common, type: "passkey.disabled", ...PASSKEY },
        { ...common, type: "passkey.enabled", ...PASSKEY },
        { ...common, type: "passkey.deleted", ...PASSKEY },
        { ...common, type: "account.updated", changed: ["username", "displayName"] },
        { ...common, type: "account.deleted" },
        { ...common, type: "signed_out" },
        { ...common, type: "signed_out_everywhere" },
        { ...common, type: "token.refreshed" },
      ],
    });
    expect(JSON.stringify(json)).not.toContain("dXNlcg");
  });

  it("shows what the request did not tell as null", () => {
    expect(eventJson({ ...base, type: "signed_out", context: { sourceIp: null, userAgent: null, correlationId: null } })).toMatchObject({
      sourceIp: null,
      userAgent: null,
      correlationId: null,
    });
  });

  it("refuses a bad limit with limit_invalid without calling the domain, and maps the domain's cursor_invalid to 400", async () => {
    const refused = app();
    for (const limit of ["0", "101", "1e2", "+5", " 5", "5&limit=5"]) {
      expect(await refused.get(`?limit=${limit}`), limit).toMatchObject({ status: 400, json: { error: { code: "limit_invalid" } } });
    }
    expect(refused.calls).toEqual([]);
    expect(await app(err("cursor_invalid")).get("?cursor=x")).toMatchObject({ status: 400, json: { error: { code: "cursor_invalid" } } });
  });

  it("refuses a token that does not verify before calling anything", async () => {
    const { get, calls } = app();
    expect(await get("", "stale")).toMatchObject({ status: 401, json: { error: { code: "token_expired" } } });
    expect(calls).toEqual([]);
  });

  it("records /events with GET, HEAD and OPTIONS", () => {
    expect(app().routes.methodsOf("/events")).toEqual(["GET", "HEAD", "OPTIONS"]);
  });
});
