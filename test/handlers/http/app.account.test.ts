/**
 * The signed-in user's account over HTTP: `GET`, `PATCH` and `DELETE /account`, signing out one
 * sign-in (`/authentication/sign-out`) and every one (`/account/sign-out-everywhere`). Runs on both
 * storages (the api-dynamodb project runs it again on DynamoDB Local).
 */
import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import type { PublicKeyCredentialRequestOptionsJSON } from "../../../src/domain/encoding/webauthn-json.js";
import { decodeJwt } from "../../support/kit.js";
import { SoftwareAuthenticator } from "../../support/software-authenticator.js";
import { addPasskey, bearer, buildTestApp, discoverableSignIn, expectOk, ORIGIN, signUp, type ApiClient, type ApiResponse } from "./harness.js";

/** Usernames are unique (ADR 0017) and, on the api-dynamodb project, the tests of a file share one table. */
const freshName = (name: string): string => `${name}-${randomUUID().slice(0, 8)}`;

const SIX_MINUTES = 6 * 60_000;

function expectError(response: ApiResponse, status: number, code: string): void {
  expect({ status: response.status, code: response.json?.error?.code }).toEqual({ status, code });
  expect(Object.keys(response.json)).toEqual(["error"]);
  expect(typeof response.json.error.message).toBe("string");
}

async function signedIn() {
  const test = buildTestApp();
  const authenticator = new SoftwareAuthenticator();
  const username = freshName("alma");
  const createdAt = test.clock.now();
  const user = await signUp(test.client, authenticator, username);
  const tokens = await discoverableSignIn(test.client, authenticator);
  return { ...test, authenticator, username, createdAt, user, tokens, auth: bearer(tokens.idToken) };
}

async function trySignIn(client: ApiClient, authenticator: SoftwareAuthenticator): Promise<ApiResponse> {
  const discovered = await client.post("/authentication/discover", {});
  const assertion = authenticator.getAssertion(discovered.json.credentialRequestOptions as PublicKeyCredentialRequestOptionsJSON, { origin: ORIGIN });
  const userId = assertion.response.userHandle;
  const started = await client.post("/authentication/start", { userId });
  expectOk(started, "authentication/start");
  return client.post("/authentication/finish", { session: started.json.session, userId, publicKeyCredential: assertion });
}

describe("HTTP API: GET /account", () => {
  it("answers the user's handle, names, creation time (ISO 8601 UTC) and number of passkeys", async () => {
    const { client, clock, user, username, createdAt, tokens, auth } = await signedIn();
    const account = await client.get("/account", auth);
    expect({ status: account.status, body: account.json }).toEqual({
      status: 200,
      body: { userId: user.userId, username, displayName: `${username} (display)`, createdAt: new Date(createdAt).toISOString(), credentialCount: 1 },
    });
    clock.advance(1000);
    await addPasskey(client, tokens.idToken, new SoftwareAuthenticator());
    expect((await client.get("/account", auth)).json.credentialCount).toBe(2);
  });

  it("404 account_not_found for a user who exists only in the identity provider", async () => {
    const { client, identityProvider } = buildTestApp();
    const tokens = await identityProvider.createUserWithTokens(`${freshName("nina")}@example.com`, { preferred_username: freshName("nina"), name: "Nina" });
    expectError(await client.get("/account", bearer(tokens.idToken)), 404, "account_not_found");
  });
});

describe("HTTP API: PATCH /account", () => {
  it("changes the username and display name, answers the account and a currentUserDetails signal, and the next sign-in's token carries them", async () => {
    const { client, authenticator, user, username, auth } = await signedIn();
    const newName = freshName("alma-b");
    const updated = await client.patch("/account", { username: newName, displayName: "Alma B." }, auth);
    expectOk(updated, "PATCH /account");
    expect(updated.json).toMatchObject({ userId: user.userId, username: newName, displayName: "Alma B.", credentialCount: 1 });
    expect(updated.json.signals).toEqual([
      { signalName: "currentUserDetails", rpID: "localhost", userID: user.userId, userName: newName, userDisplayName: "Alma B." },
    ]);
    const { signals: _signals, ...account } = updated.json;
    expect((await client.get("/account", auth)).json).toEqual(account);

    const again = await discoverableSignIn(client, authenticator);
    expect(decodeJwt(again.idToken).payload).toMatchObject({ preferred_username: newName, name: "Alma B." });
    // The new username names the user at sign-in; the old one is free for someone else.
    const started = await client.post("/authentication/start", { username: newName });
    expect(started.json.credentialRequestOptions.allowCredentials.map((c: { id: string }) => c.id)).toEqual([user.credentialId]);
    expectOk(await client.post("/registration/start", { username, displayName: "Someone else" }), "sign-up with the old username");
    expectError(await client.post("/registration/start", { username: newName.toUpperCase(), displayName: "Someone else" }), 409, "username_taken");
  });

  it("changes the display name alone", async () => {
    const { client, username, auth } = await signedIn();
    const updated = await client.patch("/account", { displayName: "Only the display name" }, auth);
    expectOk(updated, "PATCH displayName");
    expect(updated.json).toMatchObject({ username, displayName: "Only the display name" });
  });

  it("409 username_taken for another user's username, compared ignoring case", async () => {
    const { client, auth } = await signedIn();
    const taken = freshName("taken");
    await signUp(client, new SoftwareAuthenticator(), taken);
    expectError(await client.patch("/account", { username: taken.toUpperCase() }, auth), 409, "username_taken");
  });

  it.each([
    [{ username: "" }, 400, "username_invalid"],
    [{ username: "two words" }, 400, "username_invalid"],
    [{ displayName: "" }, 400, "display_name_invalid"],
    [{ displayName: "d".repeat(65) }, 400, "display_name_invalid"],
    [{}, 400, "account_change_empty"],
    [{ username: 5 }, 400, "invalid_request"],
    [{ displayName: null }, 400, "invalid_request"],
  ] as const)("%j: %i %s, and changes nothing", async (body, status, code) => {
    const { client, username, auth } = await signedIn();
    expectError(await client.patch("/account", body, auth), status, code);
    expect((await client.get("/account", auth)).json.username).toBe(username);
  });

  it("404 account_not_found for a user who exists only in the identity provider", async () => {
    const { client, identityProvider } = buildTestApp();
    const tokens = await identityProvider.createUserWithTokens(`${freshName("nina")}@example.com`, { preferred_username: freshName("nina"), name: "Nina" });
    expectError(await client.patch("/account", { displayName: "Nina N." }, bearer(tokens.idToken)), 404, "account_not_found");
  });
});

describe("HTTP API: DELETE /account", () => {
  it("deletes the account with a recent sign-in: an empty allAcceptedCredentials signal, no passkey signs in, the refresh token is refused, the username is free", async () => {
    const { client, authenticator, user, username, tokens, auth } = await signedIn();
    const deleted = await client.delete("/account", auth);
    expectOk(deleted, "DELETE /account");
    expect(deleted.json).toEqual({
      signals: [{ signalName: "allAcceptedCredentials", rpID: "localhost", userID: user.userId, allAcceptedCredentialIDs: [] }],
    });

    const refused = await trySignIn(client, authenticator);
    expect({ status: refused.status, code: refused.json.error.code }).toEqual({ status: 401, code: "credential_not_found" });
    expectError(await client.post("/authentication/refresh", { refreshToken: tokens.refreshToken }), 401, "refresh_token_invalid");
    expectError(await client.get("/account", auth), 404, "account_not_found");

    // Signing up again with the same username makes a new account, which signs in.
    const newcomer = new SoftwareAuthenticator();
    const again = await signUp(client, newcomer, username);
    expect(again.userId).not.toBe(user.userId);
    const newTokens = await discoverableSignIn(client, newcomer);
    expect(decodeJwt(newTokens.idToken).payload.preferred_username).toBe(username);
  });

  it("401 reauthentication_required once the sign-in is over 5 minutes old, and the account stays", async () => {
    const { client, clock, authenticator, auth } = await signedIn();
    clock.advance(SIX_MINUTES);
    const refused = await client.delete("/account", auth);
    expectError(refused, 401, "reauthentication_required");
    expect(refused.headers.get("www-authenticate")).toBe('Bearer realm="keyport", error="insufficient_user_authentication"');
    expectOk(await client.get("/account", auth), "the account is still there");
    const again = await discoverableSignIn(client, authenticator);
    expectOk(await client.delete("/account", bearer(again.idToken)), "delete after signing in again");
  });

  it("deletes a user who exists only in the identity provider, with no signal to send", async () => {
    const { client, identityProvider } = buildTestApp();
    const tokens = await identityProvider.createUserWithTokens(`${freshName("nina")}@example.com`, { preferred_username: freshName("nina"), name: "Nina" });
    const deleted = await client.delete("/account", bearer(tokens.idToken));
    expect({ status: deleted.status, body: deleted.json }).toEqual({ status: 200, body: { signals: [] } });
    expectError(await client.post("/authentication/refresh", { refreshToken: tokens.refreshToken }), 401, "refresh_token_invalid");
  });
});

describe("HTTP API: signing out", () => {
  it("POST /authentication/sign-out revokes that refresh token (200 {}), again is no error, and another sign-in's token still refreshes", async () => {
    const { client, authenticator, tokens } = await signedIn();
    const other = await discoverableSignIn(client, authenticator);
    const signedOut = await client.post("/authentication/sign-out", { refreshToken: tokens.refreshToken });
    expect({ status: signedOut.status, body: signedOut.json }).toEqual({ status: 200, body: {} });
    expectError(await client.post("/authentication/refresh", { refreshToken: tokens.refreshToken }), 401, "refresh_token_invalid");
    expectOk(await client.post("/authentication/sign-out", { refreshToken: tokens.refreshToken }), "signing out twice");
    expectOk(await client.post("/authentication/refresh", { refreshToken: other.refreshToken }), "the other sign-in's refresh");
  });

  it("POST /authentication/sign-out needs no ID token, and refuses a body without refreshToken", async () => {
    const { client } = buildTestApp();
    const response = await client.post("/authentication/sign-out", {});
    expectError(response, 400, "invalid_request");
    expect(response.json.error.message).toContain("refreshToken");
    expectError(await client.post("/authentication/sign-out", { refreshToken: "" }), 401, "refresh_token_invalid");
    expectOk(await client.post("/authentication/sign-out", { refreshToken: "bm90LWEtcmVmcmVzaC10b2tlbg" }), "an unknown token");
  });

  it("POST /account/sign-out-everywhere revokes every refresh token of the user (200 {}), not other users', and a new sign-in works", async () => {
    const { client, authenticator, tokens, auth } = await signedIn();
    const second = await discoverableSignIn(client, authenticator);
    const bystander = new SoftwareAuthenticator();
    await signUp(client, bystander, freshName("bea"));
    const bystanderTokens = await discoverableSignIn(client, bystander);

    const signedOut = await client.post("/account/sign-out-everywhere", {}, auth);
    expect({ status: signedOut.status, body: signedOut.json }).toEqual({ status: 200, body: {} });
    for (const refreshToken of [tokens.refreshToken, second.refreshToken]) {
      expectError(await client.post("/authentication/refresh", { refreshToken }), 401, "refresh_token_invalid");
    }
    expectOk(await client.post("/authentication/refresh", { refreshToken: bystanderTokens.refreshToken }), "another user's refresh");
    const fresh = await discoverableSignIn(client, authenticator);
    expectOk(await client.post("/authentication/refresh", { refreshToken: fresh.refreshToken }), "a sign-in after signing out everywhere");
  });
});
