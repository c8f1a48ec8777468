import { createPublicKey, generateKeyPairSync, sign, verify, type JsonWebKey as NodeJsonWebKey } from "node:crypto";
import { describe, expect, it } from "vitest";
import type { LocalIdentityProvider } from "../../../src/adapters/local-identity/local-identity-provider.js";
import { parseConfig } from "../../../src/composition/config.js";
import { buildContainer, resolve, Tokens } from "../../../src/composition/container.js";
import { LOCAL_CLIENT_ID } from "../../../src/composition/identity-providers.js";
import { ManualClock } from "../../support/manual-clock.js";
import { SoftwareAuthenticator } from "../../support/software-authenticator.js";

const ORIGIN = "http://localhost:3000";

function setUp() {
  const clock = new ManualClock();
  const container = buildContainer(parseConfig({}), { clock });
  const idp = resolve(container, Tokens.identityProvider) as LocalIdentityProvider;
  return {
    clock,
    idp,
    registration: resolve(container, Tokens.registrationCeremony),
    signIn: resolve(container, Tokens.passkeySignIn),
    authenticator: new SoftwareAuthenticator(),
  };
}

async function signUp(env: ReturnType<typeof setUp>, username = "alice") {
  const start = await env.registration.startForNewUser({ username, displayName: `${username} Example` });
  if (!start.ok) throw new Error(start.error);
  const finish = await env.registration.finish(start.value.sessionId, env.authenticator.createCredential(start.value.options, { origin: ORIGIN }));
  if (!finish.ok) throw new Error(finish.error);
  return finish.value;
}

async function signInAs(env: ReturnType<typeof setUp>, userId: string) {
  const start = await env.signIn.start(userId);
  if (!start.ok) throw new Error(start.error);
  const assertion = env.authenticator.getAssertion(start.value.credentialRequestOptions, { origin: ORIGIN });
  return { start: start.value, assertion, result: await env.signIn.finish(start.value.session, userId, assertion) };
}

function decodeClaims(jwt: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(jwt.split(".")[1]!, "base64url").toString("utf8"));
}

function verifiesAgainstJwks(jwt: string, jwks: { keys: JsonWebKey[] }): boolean {
  const [header, payload, signature] = jwt.split(".") as [string, string, string];
  const { kid, alg } = JSON.parse(Buffer.from(header, "base64url").toString("utf8"));
  const jwk = jwks.keys.find((k) => (k as { kid?: string }).kid === kid);
  if (jwk === undefined || alg !== "ES256") return false;
  const key = createPublicKey({ key: jwk as NodeJsonWebKey, format: "jwk" });
  return verify("sha256", Buffer.from(`${header}.${payload}`), { key, dsaEncoding: "ieee-p1363" }, Buffer.from(signature, "base64url"));
}

describe("LocalIdentityProvider", () => {
  it("creates the user on sign-up with the handle as username and the profile as attributes", async () => {
    const env = setUp();
    const user = await signUp(env);
    expect(user.identityUserId).toBe(user.userHandle);
    const { result } = await signInAs(env, user.userHandle);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    const claims = decodeClaims(result.value.idToken);
    expect(claims).toMatchObject({
      "cognito:username": user.userHandle,
      preferred_username: "alice",
      name: "alice Example",
      token_use: "id",
      aud: LOCAL_CLIENT_ID,
      iss: ORIGIN,
    });
    expect(claims.exp).toBe((claims.iat as number) + 3600);
    expect(decodeClaims(result.value.accessToken)).toMatchObject({ token_use: "access", client_id: LOCAL_CLIENT_ID, sub: claims.sub });
    expect(result.value.tokenType).toBe("Bearer");
  });

  it("issues ID and access tokens that verify against its JWKS", async () => {
    const env = setUp();
    const user = await signUp(env);
    const { result } = await signInAs(env, user.userHandle);
    if (!result.ok) throw new Error(result.error);
    const jwks = await env.idp.jwks();
    expect(verifiesAgainstJwks(result.value.idToken, jwks)).toBe(true);
    expect(verifiesAgainstJwks(result.value.accessToken, jwks)).toBe(true);
    const tampered = result.value.idToken.slice(0, -4) + (result.value.idToken.endsWith("AAAA") ? "BBBB" : "AAAA");
    expect(verifiesAgainstJwks(tampered, jwks)).toBe(false);
  });

  it("runs the custom-auth triggers: a sign-in answered with another user's passkey fails", async () => {
    const env = setUp();
    const alice = await signUp(env, "alice");
    const bobAuthenticator = new SoftwareAuthenticator();
    const start = await env.registration.startForNewUser({ username: "bob", displayName: "Bob" });
    if (!start.ok) throw new Error(start.error);
    await env.registration.finish(start.value.sessionId, bobAuthenticator.createCredential(start.value.options, { origin: ORIGIN }));
    const aliceStart = await env.signIn.start(alice.userHandle);
    if (!aliceStart.ok) throw new Error(aliceStart.error);
    const discover = await env.signIn.discover();
    const bobAssertion = bobAuthenticator.getAssertion(discover, { origin: ORIGIN });
    expect(await env.signIn.finish(aliceStart.value.session, alice.userHandle, bobAssertion)).toEqual({ ok: false, error: "sign_in_failed" });
  });

  it("accepts the answer to a discoverable challenge for the user it names", async () => {
    const env = setUp();
    const user = await signUp(env);
    const discover = await env.signIn.discover();
    const assertion = env.authenticator.getAssertion(discover, { origin: ORIGIN });
    const start = await env.signIn.start(assertion.response.userHandle!);
    if (!start.ok) throw new Error(start.error);
    const result = await env.signIn.finish(start.value.session, user.userHandle, assertion);
    expect(result.ok).toBe(true);
  });

  it("allows one answer per sign-in session", async () => {
    const env = setUp();
    const user = await signUp(env);
    const { start, assertion, result } = await signInAs(env, user.userHandle);
    expect(result.ok).toBe(true);
    expect(await env.signIn.finish(start.session, user.userHandle, assertion)).toEqual({ ok: false, error: "sign_in_session_invalid" });
  });

  it("expires a sign-in session after 3 minutes", async () => {
    const env = setUp();
    const user = await signUp(env);
    const start = await env.signIn.start(user.userHandle);
    if (!start.ok) throw new Error(start.error);
    const assertion = env.authenticator.getAssertion(start.value.credentialRequestOptions, { origin: ORIGIN });
    env.clock.advance(180_000);
    expect(await env.signIn.finish(start.value.session, user.userHandle, assertion)).toEqual({ ok: false, error: "sign_in_session_invalid" });
  });

  it("answers a sign-in for an unknown user with a challenge of the same shape, which can never succeed", async () => {
    const env = setUp();
    const known = await signUp(env);
    const unknownId = "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";
    const [knownStart, unknownStart] = [await env.signIn.start(known.userHandle), await env.signIn.start(unknownId)];
    if (!knownStart.ok || !unknownStart.ok) throw new Error("start failed");
    expect(Object.keys(unknownStart.value.credentialRequestOptions).sort()).toEqual(Object.keys(knownStart.value.credentialRequestOptions).sort());
    expect(unknownStart.value.credentialRequestOptions.allowCredentials.length).toBeGreaterThan(0);
    const assertion = env.authenticator.getAssertion(await env.signIn.discover(), { origin: ORIGIN });
    expect(await env.signIn.finish(unknownStart.value.session, unknownId, assertion)).toEqual({ ok: false, error: "sign_in_failed" });
  });

  it("refreshes tokens for a valid refresh token and refuses others", async () => {
    const env = setUp();
    const user = await signUp(env);
    const { result } = await signInAs(env, user.userHandle);
    if (!result.ok) throw new Error(result.error);
    env.clock.advance(60_000);
    const refreshed = await env.signIn.refresh(result.value.refreshToken);
    expect(refreshed.ok).toBe(true);
    if (refreshed.ok) {
      expect(refreshed.value).not.toHaveProperty("refreshToken");
      expect(decodeClaims(refreshed.value.idToken).sub).toBe(decodeClaims(result.value.idToken).sub);
      expect(decodeClaims(refreshed.value.idToken).iat).toBeGreaterThan(decodeClaims(result.value.idToken).iat as number);
    }
    expect(await env.signIn.refresh("not-a-token")).toEqual({ ok: false, error: "refresh_token_invalid" });
  });

  describe("verifyIdToken", () => {
    it("returns the identity of a valid ID token", async () => {
      const env = setUp();
      const user = await signUp(env);
      const { result } = await signInAs(env, user.userHandle);
      if (!result.ok) throw new Error(result.error);
      const identity = await env.idp.verifyIdToken(result.value.idToken);
      expect(identity).toEqual({ ok: true, value: { identityUserId: user.userHandle, subject: expect.any(String), preferredUsername: "alice", name: "alice Example" } });
    });

    it("rejects an access token, an expired token, a foreign signature and garbage", async () => {
      const env = setUp();
      const user = await signUp(env);
      const { result } = await signInAs(env, user.userHandle);
      if (!result.ok) throw new Error(result.error);
      expect(await env.idp.verifyIdToken(result.value.accessToken)).toEqual({ ok: false, error: "token_not_id_token" });
      expect(await env.idp.verifyIdToken("garbage")).toEqual({ ok: false, error: "token_malformed" });
      const [header, payload] = result.value.idToken.split(".") as [string, string];
      const { privateKey } = generateKeyPairSync("ec", { namedCurve: "P-256" });
      const forged = `${header}.${payload}.${sign("sha256", Buffer.from(`${header}.${payload}`), { key: privateKey, dsaEncoding: "ieee-p1363" }).toString("base64url")}`;
      expect(await env.idp.verifyIdToken(forged)).toEqual({ ok: false, error: "token_signature_invalid" });
      const noneAlg = `${Buffer.from(JSON.stringify({ alg: "none" })).toString("base64url")}.${payload}.AA`;
      expect(await env.idp.verifyIdToken(noneAlg)).toEqual({ ok: false, error: "token_signature_invalid" });
      env.clock.advance(3600_000);
      expect(await env.idp.verifyIdToken(result.value.idToken)).toEqual({ ok: false, error: "token_expired" });
    });

    it("answers as Cognito's verifier does: claim rules before expiry, unknown kids and other algorithms as bad signatures", async () => {
      const env = setUp();
      const user = await signUp(env);
      const { result } = await signInAs(env, user.userHandle);
      if (!result.ok) throw new Error(result.error);
      const [header, payload, signature] = result.value.idToken.split(".") as [string, string, string];
      const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");
      const { kid } = JSON.parse(Buffer.from(header, "base64url").toString("utf8"));
      expect(await env.idp.verifyIdToken(`${b64({ alg: "ES256", kid: "another-kid" })}.${payload}.${signature}`)).toEqual({ ok: false, error: "token_signature_invalid" });
      expect(await env.idp.verifyIdToken(`${b64({ alg: "HS256", kid })}.${payload}.${signature}`)).toEqual({ ok: false, error: "token_signature_invalid" });
      expect(await env.idp.verifyIdToken(`${header}.${b64(decodeClaims(result.value.idToken))}x.${signature}`)).toEqual({ ok: false, error: "token_malformed" });
      env.clock.advance(3600_000);
      expect(await env.idp.verifyIdToken(result.value.accessToken)).toEqual({ ok: false, error: "token_not_id_token" });
    });
  });

  it("lets a user who signed in another way add a first passkey, linked to their existing account", async () => {
    const env = setUp();
    const tokens = await env.idp.createUserWithTokens("carol@example.com", { preferred_username: "carol", name: "Carol" });
    const identity = await env.idp.verifyIdToken(tokens.idToken);
    if (!identity.ok) throw new Error(identity.error);
    const start = await env.registration.startForExistingUser(identity.value);
    if (!start.ok) throw new Error(start.error);
    expect(start.value.options.user.id).not.toContain("carol");
    const finish = await env.registration.finish(start.value.sessionId, env.authenticator.createCredential(start.value.options, { origin: ORIGIN }));
    expect(finish).toMatchObject({ ok: true, value: { identityUserId: "carol@example.com" } });
    if (!finish.ok) return;
    const { result } = await signInAs(env, finish.value.userHandle);
    expect(result.ok).toBe(true);
    if (result.ok) expect(decodeClaims(result.value.idToken)["cognito:username"]).toBe("carol@example.com");
  });
});
