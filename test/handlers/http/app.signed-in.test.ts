/**
 * Adding a passkey over HTTP is a sensitive action (issue 9 item 1): start-verified needs a sign-in
 * from the last SENSITIVE_ACTION_MAX_AGE_SECONDS (auth_time, which a refresh keeps), and finish needs
 * the ID token of the user who started it. Runs on both storages (the api-dynamodb project).
 */
import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { SoftwareAuthenticator } from "../../support/software-authenticator.js";
import { buildTestApp, discoverableSignIn, expectOk, ORIGIN, signUp, type ApiResponse } from "./harness.js";

const SIX_HOURS = 6 * 3_600_000;

/** Usernames are unique (ADR 0017) and, on the api-dynamodb project, the tests of a file share one table. */
const freshName = (name: string): string => `${name}-${randomUUID().slice(0, 8)}`;

function expectError(response: ApiResponse, status: number, code: string): void {
  expect({ status: response.status, code: response.json?.error?.code }).toEqual({ status, code });
}

async function signedIn(name = freshName("frank")) {
  const test = buildTestApp();
  const authenticator = new SoftwareAuthenticator();
  const user = await signUp(test.client, authenticator, name);
  const tokens = await discoverableSignIn(test.client, authenticator);
  return { ...test, authenticator, user, tokens };
}

describe("HTTP API: adding a passkey needs a recent sign-in", () => {
  it("refuses a token minted by a refresh hours after the sign-in with 401 reauthentication_required (RFC 9470 challenge)", async () => {
    const { client, clock, tokens } = await signedIn();
    clock.advance(SIX_HOURS);
    const refreshed = await client.post("/authentication/refresh", { refreshToken: tokens.refreshToken });
    expectOk(refreshed, "refresh");
    const response = await client.post("/registration/start-verified", {}, { Authorization: `Bearer ${refreshed.json.idToken}` });
    expectError(response, 401, "reauthentication_required");
    expect(response.headers.get("www-authenticate")).toBe('Bearer realm="keyport", error="insufficient_user_authentication"');
  });

  it("accepts the sign-in's own token within the window, and a fresh sign-in after it", async () => {
    const { client, clock, authenticator, tokens } = await signedIn();
    clock.advance(4 * 60_000);
    expectOk(await client.post("/registration/start-verified", {}, { Authorization: `Bearer ${tokens.idToken}` }), "start-verified at 4 minutes");
    clock.advance(SIX_HOURS);
    const again = await discoverableSignIn(client, authenticator);
    expectOk(await client.post("/registration/start-verified", {}, { Authorization: `Bearer ${again.idToken}` }), "start-verified after signing in again");
  });
});

describe("HTTP API: the user who started adding a passkey finishes it", () => {
  it("refuses a finish without the ID token with 401 token_missing", async () => {
    const { client, tokens } = await signedIn();
    const started = await client.post("/registration/start-verified", {}, { Authorization: `Bearer ${tokens.idToken}` });
    expectOk(started, "start-verified");
    const credential = new SoftwareAuthenticator().createCredential(started.json.credentialCreationOptions, { origin: ORIGIN });
    const response = await client.post("/registration/finish", { sessionId: started.json.sessionId, publicKeyCredential: credential });
    expectError(response, 401, "token_missing");
    expect(response.headers.get("www-authenticate")).toBe('Bearer realm="keyport"');
  });

  it("refuses a finish with another user's ID token with 403 registration_identity_mismatch, and adds nothing", async () => {
    const { client, tokens, user } = await signedIn(freshName("grace"));
    const mallory = new SoftwareAuthenticator();
    await signUp(client, mallory, freshName("mallory"));
    const malloryTokens = await discoverableSignIn(client, mallory);
    const started = await client.post("/registration/start-verified", {}, { Authorization: `Bearer ${tokens.idToken}` });
    const credential = new SoftwareAuthenticator().createCredential(started.json.credentialCreationOptions, { origin: ORIGIN });
    const response = await client.post(
      "/registration/finish",
      { sessionId: started.json.sessionId, publicKeyCredential: credential },
      { Authorization: `Bearer ${malloryTokens.idToken}` },
    );
    expectError(response, 403, "registration_identity_mismatch");
    const listed = await client.post("/authentication/start", { userId: user.userId });
    expect(listed.json.credentialRequestOptions.allowCredentials.map((c: { id: string }) => c.id)).toEqual([user.credentialId]);
  });

  it("refuses a finish whose bearer token does not verify, before reading the body", async () => {
    const { client, tokens } = await signedIn();
    const started = await client.post("/registration/start-verified", {}, { Authorization: `Bearer ${tokens.idToken}` });
    const response = await client.post("/registration/finish", { sessionId: started.json.sessionId, publicKeyCredential: {} }, { Authorization: `Bearer ${tokens.idToken}x` });
    expectError(response, 401, "token_signature_invalid");
  });
});
