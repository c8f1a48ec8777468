import { generateKeyPairSync, randomUUID, sign } from "node:crypto";
import { describe, expect, it } from "vitest";
import { decodeJwt } from "../../support/kit.js";
import { SoftwareAuthenticator } from "../../support/software-authenticator.js";
import {
  buildTestApp,
  discoverableSignIn,
  expectOk,
  FALLBACK_AUTHENTICATOR_NAME,
  ORIGIN,
  signUp,
  usernameFirstSignIn,
  type ApiResponse,
} from "./harness.js";

/** Usernames are unique (ADR 0017) and, on the api-dynamodb project, the tests of a file share one table. */
const freshName = (name: string): string => `${name}-${randomUUID().slice(0, 8)}`;

function expectError(response: ApiResponse, status: number, code: string): void {
  expect({ status: response.status, code: response.json?.error?.code }).toEqual({ status, code });
  expect(typeof response.json.error.message).toBe("string");
}

/** Re-signs a token's header and payload with an unrelated P-256 key, keeping the `kid`. */
function resignWithOtherKey(token: string, changes: Record<string, unknown> = {}): string {
  const { header, payload } = decodeJwt(token);
  const encode = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString("base64url");
  const input = `${encode(header)}.${encode({ ...payload, ...changes })}`;
  const { privateKey } = generateKeyPairSync("ec", { namedCurve: "P-256" });
  return `${input}.${sign("sha256", Buffer.from(input), { key: privateKey, dsaEncoding: "ieee-p1363" }).toString("base64url")}`;
}

describe("HTTP API: sign-up and sign-in", () => {
  it("signs a user up and answers with the user handle and credential id", async () => {
    const { client } = buildTestApp();
    const authenticator = new SoftwareAuthenticator();
    const started = await client.post("/registration/start", { username: "alice", displayName: "Alice" });
    expectOk(started, "start");
    expect(started.json.sessionId).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const options = started.json.credentialCreationOptions;
    expect(options.user).toMatchObject({ name: "alice", displayName: "Alice" });
    expect(options.rp.id).toBe("localhost");
    expect(options.excludeCredentials).toEqual([]);

    const credential = authenticator.createCredential(options, { origin: ORIGIN });
    const finished = await client.post("/registration/finish", { sessionId: started.json.sessionId, publicKeyCredential: credential });
    expectOk(finished, "finish");
    expect(finished.json).toEqual({
      userId: options.user.id,
      credentialId: credential.id,
      name: FALLBACK_AUTHENTICATOR_NAME,
      signals: [{ signalName: "allAcceptedCredentials", rpID: "localhost", userID: options.user.id, allAcceptedCredentialIDs: [credential.id] }],
    });
  });

  it("signs in with a discoverable credential, the user handle taken from the assertion", async () => {
    const { client } = buildTestApp();
    const authenticator = new SoftwareAuthenticator();
    await signUp(client, authenticator, "bob");

    const discovered = await client.post("/authentication/discover", {});
    expectOk(discovered, "discover");
    expect(discovered.json.credentialRequestOptions.allowCredentials).toEqual([]);

    const tokens = await discoverableSignIn(client, authenticator);
    expect(tokens).toMatchObject({ tokenType: "Bearer", expiresIn: 3600 });
    expect(decodeJwt(tokens.idToken).payload).toMatchObject({ token_use: "id", preferred_username: "bob" });
    expect(tokens.refreshToken.length).toBeGreaterThan(0);
  });

  it("signs in username-first with the options start returned, which list the user's credential", async () => {
    const { client } = buildTestApp();
    const authenticator = new SoftwareAuthenticator();
    const user = await signUp(client, authenticator, "carol");
    const started = await client.post("/authentication/start", { userId: user.userId });
    expect(started.json.credentialRequestOptions.allowCredentials.map((c: { id: string }) => c.id)).toEqual([user.credentialId]);
    const tokens = await usernameFirstSignIn(client, authenticator, user.userId);
    expect(decodeJwt(tokens.idToken).payload["cognito:username"]).toBe(user.userId);
  });

  it("answers start for an unknown user with the same shape as for a known one", async () => {
    const { client } = buildTestApp();
    const known = await signUp(client, new SoftwareAuthenticator(), "dave");
    const forKnown = await client.post("/authentication/start", { userId: known.userId });
    const forUnknown = await client.post("/authentication/start", { userId: "bm9ib2R5LWhhcy10aGlzLWhhbmRsZQ" });
    expectOk(forUnknown, "start for an unknown user");
    expect(Object.keys(forUnknown.json).sort()).toEqual(Object.keys(forKnown.json).sort());
    expect(Object.keys(forUnknown.json.credentialRequestOptions).sort()).toEqual(Object.keys(forKnown.json.credentialRequestOptions).sort());
    expect(forUnknown.json.credentialRequestOptions.allowCredentials.length).toBeGreaterThan(0);
  });

  it("refreshes tokens with the refresh token and answers with the rotated refresh token", async () => {
    const { client } = buildTestApp();
    const authenticator = new SoftwareAuthenticator();
    await signUp(client, authenticator, freshName("erin"));
    const tokens = await discoverableSignIn(client, authenticator);
    const refreshed = await client.post("/authentication/refresh", { refreshToken: tokens.refreshToken });
    expectOk(refreshed, "refresh");
    expect(Object.keys(refreshed.json).sort()).toEqual(["accessToken", "expiresIn", "idToken", "refreshToken", "tokenType"]);
    expect(refreshed.json.refreshToken).not.toBe(tokens.refreshToken);
    expect(decodeJwt(refreshed.json.idToken).payload.sub).toBe(decodeJwt(tokens.idToken).payload.sub);
  });

  it("rotates refresh tokens: the rotated-out one is refused, the new one refreshes, and the sign-in's auth_time is kept", async () => {
    const { client, clock } = buildTestApp();
    const authenticator = new SoftwareAuthenticator();
    await signUp(client, authenticator, freshName("erin"));
    const tokens = await discoverableSignIn(client, authenticator);
    clock.advance(2 * 3600_000);
    const first = await client.post("/authentication/refresh", { refreshToken: tokens.refreshToken });
    expectOk(first, "first refresh");
    expectError(await client.post("/authentication/refresh", { refreshToken: tokens.refreshToken }), 401, "refresh_token_invalid");
    const second = await client.post("/authentication/refresh", { refreshToken: first.json.refreshToken });
    expectOk(second, "second refresh");
    expect(decodeJwt(second.json.idToken).payload.auth_time).toBe(decodeJwt(tokens.idToken).payload.auth_time);
    expectError(await client.post("/authentication/refresh", { refreshToken: first.json.refreshToken }), 401, "refresh_token_invalid");
  });

  it("refreshes for the user named with the token, and refuses the token presented for another user", async () => {
    const { client } = buildTestApp();
    const erin = new SoftwareAuthenticator();
    const frank = new SoftwareAuthenticator();
    const erinId = (await signUp(client, erin, freshName("erin"))).userId;
    const frankId = (await signUp(client, frank, freshName("frank"))).userId;
    const tokens = await usernameFirstSignIn(client, erin, erinId);
    // Refused for frank before it is used: rotation would refuse it afterwards for anyone.
    expectError(await client.post("/authentication/refresh", { refreshToken: tokens.refreshToken, userId: frankId }), 401, "refresh_token_invalid");
    expectError(await client.post("/authentication/refresh", { refreshToken: tokens.refreshToken, userId: "not base64url!" }), 400, "user_id_invalid");
    expectOk(await client.post("/authentication/refresh", { refreshToken: tokens.refreshToken, userId: erinId }), "refresh");
  });

  it("refuses an unknown refresh token with 401 refresh_token_invalid", async () => {
    const { client } = buildTestApp();
    expectError(await client.post("/authentication/refresh", { refreshToken: "bm90LWEtcmVmcmVzaC10b2tlbg" }), 401, "refresh_token_invalid");
  });

  it("adds a second passkey with start-verified and signs in with it", async () => {
    const { client, clock } = buildTestApp();
    const laptop = new SoftwareAuthenticator();
    const phone = new SoftwareAuthenticator();
    const user = await signUp(client, laptop, "frank");
    const tokens = await discoverableSignIn(client, laptop);
    // Credentials are listed oldest first; the phone's comes a minute after the laptop's.
    clock.advance(60_000);

    const started = await client.post("/registration/start-verified", {}, { Authorization: `Bearer ${tokens.idToken}` });
    expectOk(started, "start-verified");
    const options = started.json.credentialCreationOptions;
    expect(options.user.id).toBe(user.userId);
    expect(options.user.name).toBe("frank");
    expect(options.excludeCredentials.map((c: { id: string }) => c.id)).toEqual([user.credentialId]);

    const credential = phone.createCredential(options, { origin: ORIGIN, algorithm: "EdDSA" });
    const finished = await client.post("/registration/finish", { sessionId: started.json.sessionId, publicKeyCredential: credential }, { Authorization: `Bearer ${tokens.idToken}` });
    expectOk(finished, "finish");
    expect(finished.json).toMatchObject({ userId: user.userId, credentialId: credential.id, name: `${FALLBACK_AUTHENTICATOR_NAME} (2)` });

    const withPhone = await discoverableSignIn(client, phone);
    expect(decodeJwt(withPhone.idToken).payload.sub).toBe(decodeJwt(tokens.idToken).payload.sub);
    const listed = await client.post("/authentication/start", { userId: user.userId });
    expect(listed.json.credentialRequestOptions.allowCredentials.map((c: { id: string }) => c.id)).toEqual([user.credentialId, credential.id]);
  });

  it("adds a first passkey for a user who exists only in the identity provider", async () => {
    const { client, identityProvider } = buildTestApp();
    const tokens = await identityProvider.createUserWithTokens("grace@example.com", { preferred_username: "grace", name: "Grace" });
    const started = await client.post("/registration/start-verified", { displayName: "Grace H." }, { Authorization: `Bearer ${tokens.idToken}` });
    expectOk(started, "start-verified");
    expect(started.json.credentialCreationOptions.user).toMatchObject({ name: "grace", displayName: "Grace H." });
    const authenticator = new SoftwareAuthenticator();
    const credential = authenticator.createCredential(started.json.credentialCreationOptions, { origin: ORIGIN });
    expectOk(
      await client.post("/registration/finish", { sessionId: started.json.sessionId, publicKeyCredential: credential }, { Authorization: `Bearer ${tokens.idToken}` }),
      "finish",
    );
    const signedIn = await discoverableSignIn(client, authenticator);
    expect(decodeJwt(signedIn.idToken).payload["cognito:username"]).toBe("grace@example.com");
  });

  it("publishes the keys that verify its ID tokens at /.well-known/jwks.json", async () => {
    const { client } = buildTestApp();
    const authenticator = new SoftwareAuthenticator();
    await signUp(client, authenticator, "heidi");
    const tokens = await discoverableSignIn(client, authenticator);
    const jwks = await client.get("/.well-known/jwks.json");
    expectOk(jwks, "jwks");
    const { header } = decodeJwt(tokens.idToken);
    const key = jwks.json.keys.find((k: { kid: string }) => k.kid === header.kid);
    expect(key).toMatchObject({ kty: "EC", crv: "P-256", alg: "ES256", use: "sig" });
    expect(key.d).toBeUndefined();
    const [h, p, s] = tokens.idToken.split(".") as [string, string, string];
    const { createPublicKey, verify } = await import("node:crypto");
    const valid = verify("sha256", Buffer.from(`${h}.${p}`), { key: createPublicKey({ key: key, format: "jwk" }), dsaEncoding: "ieee-p1363" }, Buffer.from(s, "base64url"));
    expect(valid).toBe(true);
  });

  it("answers /healthz", async () => {
    const { client } = buildTestApp();
    const health = await client.get("/healthz");
    expect({ status: health.status, body: health.json }).toEqual({ status: 200, body: { status: "ok" } });
  });
});

describe("HTTP API: start-verified refuses callers without a valid ID token", () => {
  async function signedInUser() {
    const harness = buildTestApp();
    const authenticator = new SoftwareAuthenticator();
    await signUp(harness.client, authenticator, freshName("ivan"));
    return { ...harness, tokens: await discoverableSignIn(harness.client, authenticator) };
  }

  it("401 token_missing without an Authorization header, with a Bearer challenge", async () => {
    const { client } = buildTestApp();
    const response = await client.post("/registration/start-verified", {});
    expectError(response, 401, "token_missing");
    expect(response.headers.get("www-authenticate")).toBe('Bearer realm="keyport"');
  });

  it.each([
    ["another scheme", "Basic dXNlcjpwYXNz"],
    ["Bearer without a token", "Bearer"],
    ["Bearer with garbage", "Bearer garbage"],
    ["Bearer with three garbage segments", "Bearer a.b.c"],
    ["Bearer with two tokens", "Bearer a.b.c d.e.f"],
  ])("401 token_malformed for %s", async (_case, authorization) => {
    const { client } = buildTestApp();
    const response = await client.post("/registration/start-verified", {}, { Authorization: authorization });
    expectError(response, 401, "token_malformed");
    expect(response.headers.get("www-authenticate")).toContain('error="invalid_token"');
  });

  it("401 token_signature_invalid for a token signed by another key", async () => {
    const { client, tokens } = await signedInUser();
    const forged = resignWithOtherKey(tokens.idToken);
    const response = await client.post("/registration/start-verified", {}, { Authorization: `Bearer ${forged}` });
    expectError(response, 401, "token_signature_invalid");
    expect(response.text).not.toContain(forged);
  });

  it("401 token_signature_invalid for a token whose claims were changed after signing", async () => {
    const { client, tokens } = await signedInUser();
    const [h, , s] = tokens.idToken.split(".");
    const payload = Buffer.from(JSON.stringify({ ...decodeJwt(tokens.idToken).payload, "cognito:username": "someone-else" })).toString("base64url");
    const response = await client.post("/registration/start-verified", {}, { Authorization: `Bearer ${h}.${payload}.${s}` });
    expectError(response, 401, "token_signature_invalid");
  });

  it("401 token_expired once the ID token's lifetime has passed", async () => {
    const { client, clock, tokens } = await signedInUser();
    clock.advance(3600 * 1000);
    const response = await client.post("/registration/start-verified", {}, { Authorization: `Bearer ${tokens.idToken}` });
    expectError(response, 401, "token_expired");
    expect(response.text).not.toContain(tokens.idToken);
  });

  it("401 token_not_id_token for an access token", async () => {
    const { client, tokens } = await signedInUser();
    const response = await client.post("/registration/start-verified", {}, { Authorization: `Bearer ${tokens.accessToken}` });
    expectError(response, 401, "token_not_id_token");
    expect(response.text).not.toContain(tokens.accessToken);
  });

  it("accepts the scheme in any letter case", async () => {
    const { client, tokens } = await signedInUser();
    expectOk(await client.post("/registration/start-verified", {}, { Authorization: `bearer ${tokens.idToken}` }), "lower-case scheme");
  });

  it("checks the token before the body, so an anonymous caller learns nothing about the body", async () => {
    const { client } = buildTestApp();
    const response = await client.send("/registration/start-verified", { method: "POST", headers: { "Content-Type": "text/plain" }, body: "x" });
    expectError(response, 401, "token_missing");
  });

  it("400 username_invalid for a bad optional username, with a valid token", async () => {
    const { client, tokens } = await signedInUser();
    const response = await client.post("/registration/start-verified", { username: "" }, { Authorization: `Bearer ${tokens.idToken}` });
    expectError(response, 400, "username_invalid");
  });
});
