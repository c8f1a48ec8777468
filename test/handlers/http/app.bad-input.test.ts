import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import type { PublicKeyCredentialRequestOptionsJSON } from "../../../src/domain/encoding/webauthn-json.js";
import { API_ROUTES } from "../../support/kit.js";
import { SoftwareAuthenticator } from "../../support/software-authenticator.js";
import { buildTestApp, discoverableSignIn, expectOk, ORIGIN, signUp, type ApiClient, type ApiResponse } from "./harness.js";

/** start-verified answers 401 before it reads a body; these read the body first. */
const BODY_ROUTES = API_ROUTES.filter((route) => route.method === "POST" && !route.bearer).map((route) => route.path);

function expectError(response: ApiResponse, status: number, code: string): void {
  expect({ status: response.status, code: response.json?.error?.code }).toEqual({ status, code });
  expect(Object.keys(response.json)).toEqual(["error"]);
  expect(Object.keys(response.json.error).sort()).toEqual(["code", "message"]);
  expect(response.json.error.message.length).toBeGreaterThan(0);
}

/** Usernames are unique (ADR 0017) and, on the api-dynamodb project, the tests of a file share one table. */
const freshName = (name: string): string => `${name}-${randomUUID().slice(0, 8)}`;

async function startRegistration(client: ApiClient, username = freshName("mallory")) {
  const started = await client.post("/registration/start", { username, displayName: username });
  expectOk(started, "registration/start");
  return started.json as { sessionId: string; credentialCreationOptions: Parameters<SoftwareAuthenticator["createCredential"]>[0] };
}

describe("HTTP API: the request itself is wrong", () => {
  it.each(BODY_ROUTES)("%s: 400 malformed_json for a body that is not JSON", async (route) => {
    const { client } = buildTestApp();
    expectError(await client.post(route, '{"username": "alice",'), 400, "malformed_json");
    expectError(await client.post(route, ""), 400, "malformed_json");
  });

  it.each(BODY_ROUTES)("%s: 400 invalid_request for JSON that is not an object", async (route) => {
    const { client } = buildTestApp();
    for (const body of ["[]", "null", "42", '"text"', "true"]) expectError(await client.post(route, body), 400, "invalid_request");
  });

  it.each(BODY_ROUTES)("%s: 415 unsupported_media_type without Content-Type: application/json", async (route) => {
    const { client } = buildTestApp();
    const body = JSON.stringify({ username: "a", displayName: "a" });
    expectError(await client.send(route, { method: "POST", headers: { "Content-Type": "text/plain" }, body }), 415, "unsupported_media_type");
    expectError(await client.send(route, { method: "POST", headers: { "Content-Type": "application/x-www-form-urlencoded" }, body: "a=b" }), 415, "unsupported_media_type");
    expectError(await client.send(route, { method: "POST", body: new Blob([body]) }), 415, "unsupported_media_type");
  });

  it("accepts application/json with a charset parameter, in any letter case", async () => {
    const { client } = buildTestApp();
    const body = JSON.stringify({ username: "alice", displayName: "Alice" });
    expectOk(await client.send("/registration/start", { method: "POST", headers: { "Content-Type": "Application/JSON; charset=UTF-8" }, body }), "start");
  });

  it.each(BODY_ROUTES)("%s: 413 payload_too_large for a body over 64 KiB", async (route) => {
    const { client } = buildTestApp();
    const body = JSON.stringify({ username: "x".repeat(64 * 1024), displayName: "x" });
    expectError(await client.post(route, body), 413, "payload_too_large");
  });

  it("reads a body of exactly 64 KiB, and refuses one byte more", async () => {
    const { client } = buildTestApp();
    const envelope = JSON.stringify({ username: "", displayName: "x" });
    const exact = JSON.stringify({ username: "u".repeat(64 * 1024 - envelope.length), displayName: "x" });
    expect(exact.length).toBe(64 * 1024);
    expectError(await client.post("/registration/start", exact), 400, "username_invalid");
    expectError(await client.post("/registration/start", exact.replace("u", "uu")), 413, "payload_too_large");
  });

  it("refuses a body nested too deeply with 400, instead of overflowing the stack", async () => {
    const { client } = buildTestApp();
    const deep = `{"session":"s","userId":"dXNlcg","publicKeyCredential":{"a":${"[".repeat(30_000)}${"]".repeat(30_000)}}}`;
    expectError(await client.post("/authentication/finish", deep), 400, "invalid_request");
    const nested = `{"username":"a","displayName":"a","x":${"[".repeat(40)}${"]".repeat(40)}}`;
    expectError(await client.post("/registration/start", nested), 400, "invalid_request");
  });

  it("404 not_found for an unknown route, 405 method_not_allowed with Allow for a known one", async () => {
    const { client } = buildTestApp();
    expectError(await client.get("/nope"), 404, "not_found");
    expectError(await client.post("/registration", {}), 404, "not_found");
    const wrongMethod = await client.get("/registration/start");
    expectError(wrongMethod, 405, "method_not_allowed");
    expect(wrongMethod.headers.get("allow")).toBe("POST, OPTIONS");
    const postToHealth = await client.post("/healthz", {});
    expectError(postToHealth, 405, "method_not_allowed");
    expect(postToHealth.headers.get("allow")).toBe("GET, HEAD");
  });

  it.each(API_ROUTES)("405 method_not_allowed on $path for a method it does not answer, with Allow", async (route) => {
    const { client } = buildTestApp();
    const wrongMethod = route.method === "POST" ? await client.get(route.path) : await client.post(route.path, {});
    expectError(wrongMethod, 405, "method_not_allowed");
    expect(wrongMethod.headers.get("allow")).toBe(route.methods.join(", "));
  });
});

describe("HTTP API: fields of the wrong type or missing", () => {
  it.each([
    ["/registration/start", { displayName: "A" }, "username"],
    ["/registration/start", { username: 5, displayName: "A" }, "username"],
    ["/registration/start", { username: "a" }, "displayName"],
    ["/registration/start", { username: "a", displayName: null }, "displayName"],
    ["/registration/finish", { publicKeyCredential: {} }, "sessionId"],
    ["/registration/finish", { sessionId: ["x"], publicKeyCredential: {} }, "sessionId"],
    ["/registration/finish", { sessionId: "x" }, "publicKeyCredential"],
    ["/registration/finish", { sessionId: "x", publicKeyCredential: "{}" }, "publicKeyCredential"],
    ["/registration/finish", { sessionId: "x", publicKeyCredential: [] }, "publicKeyCredential"],
    ["/authentication/start", {}, "userId"],
    ["/authentication/start", { userId: 1 }, "userId"],
    ["/authentication/finish", { userId: "dXNlcg", publicKeyCredential: {} }, "session"],
    ["/authentication/finish", { session: "s", publicKeyCredential: {} }, "userId"],
    ["/authentication/finish", { session: "s", userId: "dXNlcg", publicKeyCredential: null }, "publicKeyCredential"],
    ["/authentication/refresh", {}, "refreshToken"],
    ["/authentication/refresh", { refreshToken: { token: "x" } }, "refreshToken"],
  ] as const)("%s %j: 400 invalid_request naming %s", async (route, body, field) => {
    const { client } = buildTestApp();
    const response = await client.post(route, body);
    expectError(response, 400, "invalid_request");
    expect(response.json.error.message).toContain(field);
  });

  it.each([
    [{ username: "", displayName: "A" }, "username_invalid"],
    [{ username: "   ", displayName: "A" }, "username_invalid"],
    [{ username: "a".repeat(65), displayName: "A" }, "username_invalid"],
    [{ username: "a\u0000b", displayName: "A" }, "username_invalid"],
    [{ username: "a", displayName: "" }, "display_name_invalid"],
    [{ username: "a", displayName: "d".repeat(65) }, "display_name_invalid"],
  ])("registration/start %j: 400 %s", async (body, code) => {
    const { client } = buildTestApp();
    expectError(await client.post("/registration/start", body), 400, code);
  });

  it("accepts 64-character names, counted in characters not bytes", async () => {
    const { client } = buildTestApp();
    expectOk(await client.post("/registration/start", { username: "é".repeat(64), displayName: "🔑".repeat(64) }), "64 characters");
  });

  it.each(["", "not base64url!", "a".repeat(87), "abcde"])("authentication/start with userId %j: 400 user_id_invalid", async (userId) => {
    const { client } = buildTestApp();
    expectError(await client.post("/authentication/start", { userId }), 400, "user_id_invalid");
  });

  it("authentication/finish: 400 session_invalid for an empty session, 401 for an unknown one", async () => {
    const { client } = buildTestApp();
    expectError(await client.post("/authentication/finish", { session: "", userId: "dXNlcg", publicKeyCredential: {} }), 400, "session_invalid");
    expectError(await client.post("/authentication/finish", { session: "bm9wZQ", userId: "dXNlcg", publicKeyCredential: {} }), 401, "sign_in_session_invalid");
  });

  it("authentication/refresh: 401 refresh_token_invalid for an empty refresh token", async () => {
    const { client } = buildTestApp();
    expectError(await client.post("/authentication/refresh", { refreshToken: "" }), 401, "refresh_token_invalid");
  });

  it("ignores fields it does not know", async () => {
    const { client } = buildTestApp();
    expectOk(await client.post("/registration/start", { username: "a", displayName: "A", extra: { deep: [1] } }), "extra fields");
    expectOk(await client.post("/authentication/discover", { anything: true }), "discover with a field");
  });
});

describe("HTTP API: registration sessions and responses", () => {
  it("400 session_not_found for a session nobody started", async () => {
    const { client } = buildTestApp();
    const response = await client.post("/registration/finish", { sessionId: "bm8tc3VjaC1zZXNzaW9u", publicKeyCredential: {} });
    expectError(response, 400, "session_not_found");
  });

  it("400 session_expired once the registration timeout has passed", async () => {
    const { client, clock, config } = buildTestApp();
    const started = await startRegistration(client);
    const credential = new SoftwareAuthenticator().createCredential(started.credentialCreationOptions, { origin: ORIGIN });
    clock.advance(config.relyingParty.registrationTimeoutMs + 1);
    expectError(await client.post("/registration/finish", { sessionId: started.sessionId, publicKeyCredential: credential }), 400, "session_expired");
  });

  it("400 session_not_found when a session is used a second time", async () => {
    const { client } = buildTestApp();
    const started = await startRegistration(client);
    const authenticator = new SoftwareAuthenticator();
    const first = authenticator.createCredential(started.credentialCreationOptions, { origin: ORIGIN });
    expectOk(await client.post("/registration/finish", { sessionId: started.sessionId, publicKeyCredential: first }), "first finish");
    const second = authenticator.createCredential(started.credentialCreationOptions, { origin: ORIGIN });
    expectError(await client.post("/registration/finish", { sessionId: started.sessionId, publicKeyCredential: second }), 400, "session_not_found");
  });

  it("400 with the domain's code for a response that does not verify", async () => {
    const { client } = buildTestApp();
    const authenticator = new SoftwareAuthenticator();
    const cases = [
      [{ clientData: { origin: "https://evil.example" } }, "origin_mismatch"],
      [{ clientData: { challenge: "b3RoZXItY2hhbGxlbmdl" } }, "challenge_mismatch"],
      [{ rpId: "evil.example" }, "rp_id_hash_mismatch"],
      [{ flags: { uv: false } }, "user_not_verified"],
      [{ format: "packed", badAttestationSignature: true }, "attestation_signature_invalid"],
    ] as const;
    for (const [tamper, code] of cases) {
      const started = await startRegistration(client);
      const credential = authenticator.createCredential(started.credentialCreationOptions, { origin: ORIGIN, tamper });
      expectError(await client.post("/registration/finish", { sessionId: started.sessionId, publicKeyCredential: credential }), 400, code);
    }
    const started = await startRegistration(client);
    expectError(await client.post("/registration/finish", { sessionId: started.sessionId, publicKeyCredential: {} }), 400, "malformed_response");
  });

  it("409 credential_already_registered for a credential id that is registered already", async () => {
    const { client } = buildTestApp();
    const authenticator = new SoftwareAuthenticator();
    const first = await signUp(client, authenticator, "oscar");
    const started = await startRegistration(client, "oscar-again");
    const duplicate = authenticator.createCredential(started.credentialCreationOptions, {
      origin: ORIGIN,
      tamper: { credentialId: Buffer.from(first.credentialId, "base64url") },
    });
    expectError(await client.post("/registration/finish", { sessionId: started.sessionId, publicKeyCredential: duplicate }), 409, "credential_already_registered");
  });
});

describe("HTTP API: sign-in sessions and assertions", () => {
  async function registered() {
    const harness = buildTestApp();
    const authenticator = new SoftwareAuthenticator();
    const user = await signUp(harness.client, authenticator, freshName("peggy"));
    return { ...harness, authenticator, user };
  }

  async function startSignIn(client: ApiClient, userId: string) {
    const started = await client.post("/authentication/start", { userId });
    expectOk(started, "authentication/start");
    return started.json as { session: string; credentialRequestOptions: PublicKeyCredentialRequestOptionsJSON };
  }

  it("401 sign_in_failed for a replayed assertion, even with a fresh session", async () => {
    const { client, authenticator, user } = await registered();
    const first = await startSignIn(client, user.userId);
    const assertion = authenticator.getAssertion(first.credentialRequestOptions, { origin: ORIGIN });
    expectOk(await client.post("/authentication/finish", { session: first.session, userId: user.userId, publicKeyCredential: assertion }), "first");
    const second = await startSignIn(client, user.userId);
    const replay = await client.post("/authentication/finish", { session: second.session, userId: user.userId, publicKeyCredential: assertion });
    expectError(replay, 401, "sign_in_failed");
  });

  it("401 sign_in_session_invalid for a sign-in session used a second time", async () => {
    const { client, authenticator, user } = await registered();
    const started = await startSignIn(client, user.userId);
    const assertion = authenticator.getAssertion(started.credentialRequestOptions, { origin: ORIGIN });
    expectOk(await client.post("/authentication/finish", { session: started.session, userId: user.userId, publicKeyCredential: assertion }), "first");
    const again = await client.post("/authentication/finish", { session: started.session, userId: user.userId, publicKeyCredential: assertion });
    expectError(again, 401, "sign_in_session_invalid");
  });

  it("401 sign_in_session_invalid once the sign-in session has expired", async () => {
    const { client, clock, authenticator, user } = await registered();
    const started = await startSignIn(client, user.userId);
    const assertion = authenticator.getAssertion(started.credentialRequestOptions, { origin: ORIGIN });
    clock.advance(180_000);
    const late = await client.post("/authentication/finish", { session: started.session, userId: user.userId, publicKeyCredential: assertion });
    expectError(late, 401, "sign_in_session_invalid");
  });

  it.each([
    ["a bad signature", { signWithOtherKey: true }],
    ["another origin", { clientData: { origin: "https://evil.example" } }],
    ["no user verification", { flags: { uv: false } }],
    ["another relying party", { rpId: "evil.example" }],
  ] as const)("401 sign_in_failed for an assertion with %s", async (_case, tamper) => {
    const { client, authenticator, user } = await registered();
    const started = await startSignIn(client, user.userId);
    const assertion = authenticator.getAssertion(started.credentialRequestOptions, { origin: ORIGIN, tamper });
    const response = await client.post("/authentication/finish", { session: started.session, userId: user.userId, publicKeyCredential: assertion });
    expectError(response, 401, "sign_in_failed");
  });

  it("401 sign_in_failed for another user's assertion", async () => {
    const { client, authenticator, user } = await registered();
    const other = await signUp(client, new SoftwareAuthenticator(), "trent");
    const started = await startSignIn(client, other.userId);
    const assertion = authenticator.getAssertion(started.credentialRequestOptions, { origin: ORIGIN, credentialId: user.credentialId });
    const response = await client.post("/authentication/finish", { session: started.session, userId: other.userId, publicKeyCredential: assertion });
    expectError(response, 401, "sign_in_failed");
  });

  it("401 sign_in_failed for a well-typed but meaningless credential", async () => {
    const { client, user } = await registered();
    const started = await startSignIn(client, user.userId);
    const response = await client.post("/authentication/finish", { session: started.session, userId: user.userId, publicKeyCredential: { id: "x" } });
    expectError(response, 401, "sign_in_failed");
  });

  it("never echoes a submitted token or refresh token in an error", async () => {
    const { client, authenticator } = await registered();
    const tokens = await discoverableSignIn(client, authenticator);
    const bogusRefresh = `${tokens.refreshToken}x`;
    const refreshed = await client.post("/authentication/refresh", { refreshToken: bogusRefresh });
    expectError(refreshed, 401, "refresh_token_invalid");
    expect(refreshed.text).not.toContain(bogusRefresh);
    const tampered = `${tokens.idToken.slice(0, -4)}AAAA`;
    const verified = await client.post("/registration/start-verified", {}, { Authorization: `Bearer ${tampered}` });
    expect(verified.status).toBe(401);
    expect(verified.text).not.toContain(tampered);
    expect(verified.text).not.toContain(tokens.idToken.split(".")[1]);
  });
});
