/**
 * The signed-in user's passkeys over HTTP: `GET /credentials`, `PATCH` and `DELETE /credentials/{id}`,
 * and what a disabled or deleted passkey can no longer do at sign-in. Runs on both storages (the
 * api-dynamodb project runs it again on DynamoDB Local).
 */
import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import type { PublicKeyCredentialRequestOptionsJSON } from "../../../src/domain/encoding/webauthn-json.js";
import { SoftwareAuthenticator } from "../../support/software-authenticator.js";
import {
  addPasskey,
  bearer,
  buildTestApp,
  discoverableSignIn,
  expectOk,
  FALLBACK_AUTHENTICATOR_NAME,
  ORIGIN,
  signUp,
  TEST_AUTHENTICATOR,
  type ApiClient,
  type ApiResponse,
} from "./harness.js";

/** Usernames are unique (ADR 0017) and, on the api-dynamodb project, the tests of a file share one table. */
const freshName = (name: string): string => `${name}-${randomUUID().slice(0, 8)}`;

/** Past SENSITIVE_ACTION_MAX_AGE_SECONDS (5 minutes by default), well within the ID token's hour. */
const SIX_MINUTES = 6 * 60_000;

function expectError(response: ApiResponse, status: number, code: string): void {
  expect({ status: response.status, code: response.json?.error?.code }).toEqual({ status, code });
  expect(Object.keys(response.json)).toEqual(["error"]);
  expect(typeof response.json.error.message).toBe("string");
}

const iso = (ms: number): string => new Date(ms).toISOString();
const credentialPath = (credentialId: string): string => `/credentials/${encodeURIComponent(credentialId)}`;

/** A synced passkey of the catalog's known authenticator. */
const syncedAuthenticator = () =>
  new SoftwareAuthenticator({ aaguid: TEST_AUTHENTICATOR.bytes, backupEligible: true, backupState: true, transports: ["internal", "hybrid"] });

/** A user signed up with one passkey and signed in with it just now. */
async function signedIn(authenticator = new SoftwareAuthenticator()) {
  const test = buildTestApp();
  const username = freshName("pat");
  const user = await signUp(test.client, authenticator, username);
  const tokens = await discoverableSignIn(test.client, authenticator);
  return { ...test, authenticator, username, user, tokens, auth: bearer(tokens.idToken) };
}

/** A user with a second passkey (on `phone`) added a minute after sign-up. */
async function withTwoPasskeys() {
  const test = await signedIn();
  test.clock.advance(60_000);
  const phone = new SoftwareAuthenticator();
  const second = await addPasskey(test.client, test.tokens.idToken, phone);
  return { ...test, phone, second };
}

async function listIds(client: ApiClient, auth: Record<string, string>): Promise<string[]> {
  const listed = await client.get("/credentials", auth);
  expectOk(listed, "GET /credentials");
  return listed.json.credentials.map((c: { credentialId: string }) => c.credentialId);
}

async function allowCredentialIds(client: ApiClient, userId: string): Promise<string[]> {
  const started = await client.post("/authentication/start", { userId });
  expectOk(started, "authentication/start");
  return started.json.credentialRequestOptions.allowCredentials.map((c: { id: string }) => c.id);
}

/** A discoverable sign-in up to finish's answer, whatever it is. */
async function trySignIn(client: ApiClient, authenticator: SoftwareAuthenticator): Promise<ApiResponse> {
  const discovered = await client.post("/authentication/discover", {});
  const assertion = authenticator.getAssertion(discovered.json.credentialRequestOptions as PublicKeyCredentialRequestOptionsJSON, { origin: ORIGIN });
  const userId = assertion.response.userHandle;
  const started = await client.post("/authentication/start", { userId });
  expectOk(started, "authentication/start");
  return client.post("/authentication/finish", { session: started.json.session, userId, publicKeyCredential: assertion });
}

describe("HTTP API: GET /credentials", () => {
  it("lists the user's passkeys oldest first, with every field, times as ISO 8601 UTC", async () => {
    const test = buildTestApp();
    const { client, clock } = test;
    const laptop = syncedAuthenticator();
    const createdAt = clock.now();
    const user = await signUp(client, laptop, freshName("lena"));
    clock.advance(30_000);
    const signedInAt = clock.now();
    const tokens = await discoverableSignIn(client, laptop);
    clock.advance(60_000);
    const addedAt = clock.now();
    const key = new SoftwareAuthenticator({ transports: ["usb"] });
    const second = await addPasskey(client, tokens.idToken, key);

    const listed = await client.get("/credentials", bearer(tokens.idToken));
    expectOk(listed, "GET /credentials");
    expect(Object.keys(listed.json)).toEqual(["credentials"]);
    expect(listed.json.credentials).toEqual([
      {
        credentialId: user.credentialId,
        name: TEST_AUTHENTICATOR.name,
        authenticator: { aaguid: TEST_AUTHENTICATOR.aaguid, verified: false, name: TEST_AUTHENTICATOR.name, icon: TEST_AUTHENTICATOR.icon },
        createdAt: iso(createdAt),
        lastUsedAt: iso(signedInAt),
        enabled: true,
        backupEligible: true,
        backedUp: true,
        transports: expect.arrayContaining(["internal", "hybrid"]),
        userVerifiedAtRegistration: true,
        registrationMediation: "modal",
        attestation: { format: "none", type: "none", trusted: false },
      },
      {
        credentialId: second.credentialId,
        name: FALLBACK_AUTHENTICATOR_NAME,
        authenticator: { aaguid: "00000000-0000-0000-0000-000000000000", verified: false, name: FALLBACK_AUTHENTICATOR_NAME, icon: null },
        createdAt: iso(addedAt),
        lastUsedAt: null,
        enabled: true,
        backupEligible: false,
        backedUp: false,
        transports: ["usb"],
        userVerifiedAtRegistration: true,
        registrationMediation: "modal",
        attestation: { format: "none", type: "none", trusted: false },
      },
    ]);
    expect(listed.json.credentials[0].transports).toHaveLength(2);
    expect(listed.headers.get("cache-control")).toBe("no-store");
  });

  it("lists only the caller's own passkeys", async () => {
    const { client, user, auth } = await signedIn();
    const other = new SoftwareAuthenticator();
    const otherUser = await signUp(client, other, freshName("otto"));
    const otherTokens = await discoverableSignIn(client, other);
    expect(await listIds(client, auth)).toEqual([user.credentialId]);
    expect(await listIds(client, bearer(otherTokens.idToken))).toEqual([otherUser.credentialId]);
  });

  it("lists nothing for a user who exists only in the identity provider", async () => {
    const { client, identityProvider } = buildTestApp();
    const tokens = await identityProvider.createUserWithTokens(`${freshName("paula")}@example.com`, { preferred_username: freshName("paula"), name: "Paula" });
    const listed = await client.get("/credentials", bearer(tokens.idToken));
    expect({ status: listed.status, body: listed.json }).toEqual({ status: 200, body: { credentials: [] } });
  });
});

describe("HTTP API: PATCH /credentials/{credentialId} renames", () => {
  it("renames a passkey (trimmed), answering the entry and an allAcceptedCredentials signal; the list shows the name", async () => {
    const { client, user, auth } = await signedIn();
    const renamed = await client.patch(credentialPath(user.credentialId), { name: "  Work laptop  " }, auth);
    expectOk(renamed, "rename");
    expect(renamed.json).toMatchObject({ credentialId: user.credentialId, name: "Work laptop", enabled: true });
    expect(renamed.json.signals).toEqual([
      { signalName: "allAcceptedCredentials", rpID: "localhost", userID: user.userId, allAcceptedCredentialIDs: [user.credentialId] },
    ]);
    const listed = await client.get("/credentials", auth);
    expect(listed.json.credentials.map((c: { name: string }) => c.name)).toEqual(["Work laptop"]);
    // The entry is the list's entry, plus the signals.
    const { signals: _signals, ...entry } = renamed.json;
    expect(entry).toEqual(listed.json.credentials[0]);
  });

  it("refuses a name another of the user's passkeys has, ignoring case, with 409 name_taken; a passkey may change its own name's case", async () => {
    const { client, user, second, auth } = await withTwoPasskeys();
    expectOk(await client.patch(credentialPath(user.credentialId), { name: "Work Laptop" }, auth), "first name");
    expectError(await client.patch(credentialPath(second.credentialId), { name: "work LAPTOP" }, auth), 409, "name_taken");
    expectOk(await client.patch(credentialPath(user.credentialId), { name: "WORK LAPTOP" }, auth), "own name in another case");
    const listed = await client.get("/credentials", auth);
    expect(listed.json.credentials.map((c: { name: string }) => c.name)).toEqual(["WORK LAPTOP", second.name]);
  });

  it("allows the same name on two users' passkeys", async () => {
    const { client, user, auth } = await signedIn();
    const other = new SoftwareAuthenticator();
    const otherUser = await signUp(client, other, freshName("olga"));
    const otherTokens = await discoverableSignIn(client, other);
    expectOk(await client.patch(credentialPath(user.credentialId), { name: "Phone" }, auth), "first user's");
    expectOk(await client.patch(credentialPath(otherUser.credentialId), { name: "Phone" }, bearer(otherTokens.idToken)), "second user's");
  });

  it.each([
    ["empty", ""],
    ["only white space", "   "],
    ["65 characters", "n".repeat(65)],
    ["a control character", "Work\u0000laptop"],
    ["a line break", "Work\nlaptop"],
    ["a format character", "Work\u200Blaptop"],
  ])("400 passkey_name_invalid for a name that is %s, and keeps the old name", async (_case, name) => {
    const { client, user, auth } = await signedIn();
    expectError(await client.patch(credentialPath(user.credentialId), { name }, auth), 400, "passkey_name_invalid");
    const listed = await client.get("/credentials", auth);
    expect(listed.json.credentials[0].name).toBe(user.name);
  });

  it("accepts 64 characters, counted as code points", async () => {
    const { client, user, auth } = await signedIn();
    const renamed = await client.patch(credentialPath(user.credentialId), { name: "🔑".repeat(64) }, auth);
    expectOk(renamed, "64 emoji");
    expect(renamed.json.name).toBe("🔑".repeat(64));
  });

  it("400 invalid_request naming the field for a name that is not a string", async () => {
    const { client, user, auth } = await signedIn();
    const response = await client.patch(credentialPath(user.credentialId), { name: 5 }, auth);
    expectError(response, 400, "invalid_request");
    expect(response.json.error.message).toContain("name");
  });

  it("400 passkey_change_empty for a change with neither name nor enabled", async () => {
    const { client, user, auth } = await signedIn();
    expectError(await client.patch(credentialPath(user.credentialId), {}, auth), 400, "passkey_change_empty");
    expectError(await client.patch(credentialPath(user.credentialId), { nickname: "x" }, auth), 400, "passkey_change_empty");
  });

  it.each([["a string", "false"], ["null", null], ["a number", 0]])("400 passkey_enabled_invalid for enabled as %s", async (_case, enabled) => {
    const { client, user, auth } = await signedIn();
    expectError(await client.patch(credentialPath(user.credentialId), { enabled }, auth), 400, "passkey_enabled_invalid");
  });

  it("needs only a valid token, not a recent sign-in", async () => {
    const { client, clock, user, auth } = await signedIn();
    clock.advance(SIX_MINUTES);
    expectOk(await client.patch(credentialPath(user.credentialId), { name: "Old laptop" }, auth), "rename 6 minutes after sign-in");
  });

  it("reads a JSON body: 415 without Content-Type: application/json, 400 for malformed JSON", async () => {
    const { client, user, auth } = await signedIn();
    const path = credentialPath(user.credentialId);
    expectError(await client.send(path, { method: "PATCH", headers: { ...auth, "Content-Type": "text/plain" }, body: '{"name":"x"}' }), 415, "unsupported_media_type");
    expectError(await client.send(path, { method: "PATCH", headers: { ...auth, "Content-Type": "application/json" }, body: '{"name":' }), 400, "malformed_json");
  });
});

describe("HTTP API: PATCH /credentials/{credentialId} disables and enables", () => {
  it("disables a passkey: it stays listed, leaves the signal's list and allowCredentials, and its sign-in is refused with 401 credential_disabled", async () => {
    const { client, user, second, phone, auth } = await withTwoPasskeys();
    const disabled = await client.patch(credentialPath(second.credentialId), { enabled: false }, auth);
    expectOk(disabled, "disable");
    expect(disabled.json).toMatchObject({ credentialId: second.credentialId, enabled: false });
    expect(disabled.json.signals).toEqual([
      { signalName: "allAcceptedCredentials", rpID: "localhost", userID: user.userId, allAcceptedCredentialIDs: [user.credentialId] },
    ]);

    const listed = await client.get("/credentials", auth);
    expect(listed.json.credentials.map((c: { credentialId: string; enabled: boolean }) => [c.credentialId, c.enabled])).toEqual([
      [user.credentialId, true],
      [second.credentialId, false],
    ]);
    expect(await allowCredentialIds(client, user.userId)).toEqual([user.credentialId]);

    const refused = await trySignIn(client, phone);
    expectError(refused, 401, "credential_disabled");

    // Still excluded at registration, so the same authenticator is not registered twice.
    const started = await client.post("/registration/start-verified", {}, auth);
    expect(started.json.credentialCreationOptions.excludeCredentials.map((c: { id: string }) => c.id).sort()).toEqual(
      [user.credentialId, second.credentialId].sort(),
    );
  });

  it("enables a disabled passkey again, which then signs in and is offered again", async () => {
    const { client, user, second, phone, auth } = await withTwoPasskeys();
    expectOk(await client.patch(credentialPath(second.credentialId), { enabled: false }, auth), "disable");
    const enabled = await client.patch(credentialPath(second.credentialId), { enabled: true }, auth);
    expectOk(enabled, "enable");
    expect(enabled.json.enabled).toBe(true);
    expect(enabled.json.signals[0].allAcceptedCredentialIDs.sort()).toEqual([user.credentialId, second.credentialId].sort());
    expect(await allowCredentialIds(client, user.userId)).toEqual([user.credentialId, second.credentialId]);
    expectOk(await trySignIn(client, phone), "sign-in with the enabled passkey");
  });

  it("renames and disables in one change", async () => {
    const { client, second, auth } = await withTwoPasskeys();
    const changed = await client.patch(credentialPath(second.credentialId), { name: "Spare key", enabled: false }, auth);
    expectOk(changed, "rename and disable");
    expect(changed.json).toMatchObject({ name: "Spare key", enabled: false });
  });

  it("409 last_credential for disabling the last enabled passkey of a passkey sign-up account, which still signs in", async () => {
    const { client, user, authenticator, auth } = await signedIn();
    expectError(await client.patch(credentialPath(user.credentialId), { enabled: false }, auth), 409, "last_credential");
    expectOk(await trySignIn(client, authenticator), "sign-in with the passkey kept");
  });

  it("409 last_credential for disabling the second of two when the first is disabled", async () => {
    const { client, user, second, auth } = await withTwoPasskeys();
    expectOk(await client.patch(credentialPath(second.credentialId), { enabled: false }, auth), "disable the first");
    expectError(await client.patch(credentialPath(user.credentialId), { enabled: false }, auth), 409, "last_credential");
  });
});

describe("HTTP API: DELETE /credentials/{credentialId}", () => {
  it("deletes a passkey with a recent sign-in: allAcceptedCredentials signal, gone from the list, its sign-in refused with 401 credential_not_found and an unknownCredential signal", async () => {
    const { client, user, second, phone, auth } = await withTwoPasskeys();
    const deleted = await client.delete(credentialPath(second.credentialId), auth);
    expectOk(deleted, "delete");
    expect(deleted.json).toEqual({
      signals: [{ signalName: "allAcceptedCredentials", rpID: "localhost", userID: user.userId, allAcceptedCredentialIDs: [user.credentialId] }],
    });
    expect(await listIds(client, auth)).toEqual([user.credentialId]);
    expect(await allowCredentialIds(client, user.userId)).toEqual([user.credentialId]);

    const refused = await trySignIn(client, phone);
    expect({ status: refused.status, code: refused.json.error.code }).toEqual({ status: 401, code: "credential_not_found" });
    expect(refused.json.signals).toEqual([{ signalName: "unknownCredential", rpID: "localhost", credentialID: second.credentialId }]);
  });

  it("401 reauthentication_required once the sign-in is over 5 minutes old, with the RFC 9470 challenge; deletes after a fresh sign-in", async () => {
    const { client, clock, second, authenticator, auth } = await withTwoPasskeys();
    clock.advance(SIX_MINUTES);
    const refused = await client.delete(credentialPath(second.credentialId), auth);
    expectError(refused, 401, "reauthentication_required");
    expect(refused.headers.get("www-authenticate")).toBe('Bearer realm="keyport", error="insufficient_user_authentication"');
    expect(refused.json.error.message).toMatch(/sign-in from the last few minutes/);
    expect(await listIds(client, auth)).toContain(second.credentialId);

    const again = await discoverableSignIn(client, authenticator);
    expectOk(await client.delete(credentialPath(second.credentialId), bearer(again.idToken)), "delete after signing in again");
  });

  it("409 last_credential for the only passkey of a passkey sign-up account, which still signs in", async () => {
    const { client, user, authenticator, auth } = await signedIn();
    expectError(await client.delete(credentialPath(user.credentialId), auth), 409, "last_credential");
    expectOk(await trySignIn(client, authenticator), "sign-in with the passkey kept");
  });

  it("409 last_credential for the last enabled passkey, while the disabled one may be deleted", async () => {
    const { client, user, second, auth } = await withTwoPasskeys();
    expectOk(await client.patch(credentialPath(second.credentialId), { enabled: false }, auth), "disable the second");
    expectError(await client.delete(credentialPath(user.credentialId), auth), 409, "last_credential");
    expectOk(await client.delete(credentialPath(second.credentialId), auth), "delete the disabled one");
    expect(await listIds(client, auth)).toEqual([user.credentialId]);
  });

  it("deletes every passkey of an account that has another way in (a user of the identity provider)", async () => {
    const { client, identityProvider } = buildTestApp();
    const username = freshName("ines");
    const tokens = await identityProvider.createUserWithTokens(`${username}@example.com`, { preferred_username: username, name: "Ines" });
    const authenticator = new SoftwareAuthenticator();
    const added = await addPasskey(client, tokens.idToken, authenticator);
    const deleted = await client.delete(credentialPath(added.credentialId), bearer(tokens.idToken));
    expectOk(deleted, "delete the only passkey");
    expect(deleted.json.signals[0]).toMatchObject({ signalName: "allAcceptedCredentials", allAcceptedCredentialIDs: [] });
    expect(await listIds(client, bearer(tokens.idToken))).toEqual([]);
  });
});

describe("HTTP API: a credential id that is not the caller's is 404 passkey_not_found, whatever it is", () => {
  async function setUp() {
    const test = await signedIn();
    const other = new SoftwareAuthenticator();
    await signUp(test.client, other, freshName("oscar"));
    const otherTokens = await discoverableSignIn(test.client, other);
    // oscar's own id, seen from the first user's side: someone else's credential.
    const othersId = (await listIds(test.client, bearer(otherTokens.idToken)))[0] ?? "";
    return { ...test, othersId };
  }

  const ids = (othersId: string): [string, string][] => [
    ["someone else's", othersId],
    ["unknown", "AAAAAAAAAAAAAAAAAAAAAA"],
    ["not base64url", "not*base64url"],
    ["over 1023 bytes", "A".repeat(1400)],
  ];

  it("answers PATCH and DELETE with the same 404 body for another user's, an unknown and a malformed id, and changes nothing", async () => {
    const { client, othersId, auth } = await setUp();
    const bodies: unknown[] = [];
    for (const [which, id] of ids(othersId)) {
      const patched = await client.patch(credentialPath(id), { name: "Mine now" }, auth);
      const deleted = await client.delete(credentialPath(id), auth);
      expect({ which, patch: patched.status, delete: deleted.status }).toEqual({ which, patch: 404, delete: 404 });
      bodies.push(patched.json, deleted.json);
    }
    expect(bodies[0]).toEqual({ error: { code: "passkey_not_found", message: expect.any(String) } });
    for (const body of bodies) expect(body).toEqual(bodies[0]);
  });

  it("leaves the other user's passkey as it was", async () => {
    const test = await signedIn();
    const other = new SoftwareAuthenticator();
    const oscar = await signUp(test.client, other, freshName("oscar"));
    const oscarTokens = await discoverableSignIn(test.client, other);
    // Oscar has two, so that neither change would be refused for being his last.
    test.clock.advance(1000);
    await addPasskey(test.client, oscarTokens.idToken, new SoftwareAuthenticator());
    expectError(await test.client.patch(credentialPath(oscar.credentialId), { enabled: false }, test.auth), 404, "passkey_not_found");
    expectError(await test.client.delete(credentialPath(oscar.credentialId), test.auth), 404, "passkey_not_found");
    const listed = await test.client.get("/credentials", bearer(oscarTokens.idToken));
    expect(listed.json.credentials[0]).toMatchObject({ credentialId: oscar.credentialId, name: oscar.name, enabled: true });
  });
});
