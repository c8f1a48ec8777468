import { createPublicKey, generateKeyPairSync, sign, verify, type JsonWebKey as NodeJsonWebKey } from "node:crypto";
import { describe, expect, it } from "vitest";
import { sha256 } from "@oslojs/crypto/sha2";
import { InMemoryRefreshGrantStore } from "../../../src/adapters/in-memory/in-memory-refresh-grant-store.js";
import type { LocalIdentityProvider } from "../../../src/adapters/local-identity/local-identity-provider.js";
import { parseConfig } from "../../../src/composition/config.js";
import { buildContainer, resolve, Tokens } from "../../../src/composition/container.js";
import type { RefreshGrant, RefreshGrantStore } from "../../../src/ports/refresh-grant-store.js";
import { decodeJwt } from "../../support/kit.js";
import { ManualClock } from "../../support/manual-clock.js";
import { SoftwareAuthenticator } from "../../support/software-authenticator.js";

const ORIGIN = "http://localhost:3000";
/** LOCAL_CLIENT_ID's default: the `aud` and `client_id` of the local provider's tokens. */
const LOCAL_CLIENT_ID = "keyportlocalclient";

/** A refresh-grant store that records every argument it is given, in memory. */
class RecordingGrantStore implements RefreshGrantStore {
  readonly inner: InMemoryRefreshGrantStore;
  readonly seen: unknown[] = [];
  constructor(clock: ManualClock) {
    this.inner = new InMemoryRefreshGrantStore(clock);
  }
  create(grant: RefreshGrant, tokenHash: string) {
    this.seen.push(grant, tokenHash);
    return this.inner.create(grant, tokenHash);
  }
  rotate(grantId: string, tokenHash: string, newTokenHash: string, now: number) {
    this.seen.push(grantId, tokenHash, newTokenHash);
    return this.inner.rotate(grantId, tokenHash, newTokenHash, now);
  }
  status(grantId: string, now: number) {
    this.seen.push(grantId);
    return this.inner.status(grantId, now);
  }
  revoke(grantId: string, tokenHash: string) {
    this.seen.push(grantId, tokenHash);
    return this.inner.revoke(grantId, tokenHash);
  }
  revokeAllOf(username: string) {
    this.seen.push(username);
    return this.inner.revokeAllOf(username);
  }
}

function setUp() {
  const clock = new ManualClock();
  const grants = new RecordingGrantStore(clock);
  const container = buildContainer(parseConfig({}), { clock, refreshGrantStore: () => grants });
  const idp = resolve(container, Tokens.identityProvider) as LocalIdentityProvider;
  return {
    clock,
    idp,
    grants,
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
  const finished = await env.signIn.finish(start.value.session, userId, assertion);
  // The provider's part of a sign-in is its tokens; the signals beside them are the domain's.
  const result = finished.ok ? { ok: true as const, value: finished.value.tokens } : finished;
  return { start: start.value, assertion, result };
}

/** Tokens of a fresh passkey sign-in of `userId`. */
async function tokensOf(env: ReturnType<typeof setUp>, userId: string) {
  const { result } = await signInAs(env, userId);
  if (!result.ok) throw new Error(result.error);
  return result.value;
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
      expect(refreshed.value.refreshToken).toEqual(expect.any(String));
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
      expect(identity).toEqual({
        ok: true,
        value: { identityUserId: user.userHandle, subject: expect.any(String), preferredUsername: "alice", name: "alice Example", authenticatedAt: env.clock.now() },
      });
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

  describe("refresh, as Cognito's with rotation", () => {
    it("keeps the sign-in's auth_time and origin_jti in the refreshed tokens, hours later", async () => {
      const env = setUp();
      const user = await signUp(env);
      const { result } = await signInAs(env, user.userHandle);
      if (!result.ok) throw new Error(result.error);
      const signedIn = decodeJwt(result.value.idToken).payload;
      expect(signedIn.auth_time).toBe(signedIn.iat);
      expect(signedIn.origin_jti).toEqual(expect.any(String));

      env.clock.advance(5 * 3600_000);
      let refreshToken = result.value.refreshToken;
      for (let i = 0; i < 2; i++) {
        env.clock.advance(3 * 3600_000);
        const refreshed = await env.signIn.refresh(refreshToken);
        if (!refreshed.ok) throw new Error(refreshed.error);
        const id = decodeJwt(refreshed.value.idToken).payload;
        const access = decodeJwt(refreshed.value.accessToken).payload;
        expect(id.iat).toBe(Math.floor(env.clock.now() / 1000));
        expect({ auth_time: id.auth_time, origin_jti: id.origin_jti }).toEqual({ auth_time: signedIn.auth_time, origin_jti: signedIn.origin_jti });
        expect({ auth_time: access.auth_time, origin_jti: access.origin_jti }).toEqual({ auth_time: signedIn.auth_time, origin_jti: signedIn.origin_jti });
        const identity = await env.idp.verifyIdToken(refreshed.value.idToken);
        expect(identity).toMatchObject({ ok: true, value: { authenticatedAt: (signedIn.auth_time as number) * 1000 } });
        refreshToken = refreshed.value.refreshToken!;
      }
    });

    it("gives each sign-in its own origin_jti", async () => {
      const env = setUp();
      const user = await signUp(env);
      const first = (await signInAs(env, user.userHandle)).result;
      const second = (await signInAs(env, user.userHandle)).result;
      if (!first.ok || !second.ok) throw new Error("sign-in failed");
      expect(decodeJwt(first.value.idToken).payload.origin_jti).not.toBe(decodeJwt(second.value.idToken).payload.origin_jti);
    });

    it("rotates the refresh token: each refresh returns a new one and refuses the one it was given from then on", async () => {
      const env = setUp();
      const user = await signUp(env);
      const { result } = await signInAs(env, user.userHandle);
      if (!result.ok) throw new Error(result.error);
      const first = await env.idp.refreshTokens(result.value.refreshToken);
      if (!first.ok) throw new Error(first.error);
      expect(first.value.refreshToken).toEqual(expect.any(String));
      expect(first.value.refreshToken).not.toBe(result.value.refreshToken);
      expect(await env.idp.refreshTokens(result.value.refreshToken)).toEqual({ ok: false, error: "refresh_token_invalid" });

      const second = await env.idp.refreshTokens(first.value.refreshToken!, user.identityUserId);
      if (!second.ok) throw new Error(second.error);
      expect(second.value.refreshToken).not.toBe(first.value.refreshToken);
      expect(await env.idp.refreshTokens(first.value.refreshToken!)).toEqual({ ok: false, error: "refresh_token_invalid" });
      expect((await env.idp.refreshTokens(second.value.refreshToken!)).ok).toBe(true);
    });

    it("does not spend a refresh token presented for another user", async () => {
      const env = setUp();
      const user = await signUp(env);
      const { result } = await signInAs(env, user.userHandle);
      if (!result.ok) throw new Error(result.error);
      expect(await env.idp.refreshTokens(result.value.refreshToken, "someone-else")).toEqual({ ok: false, error: "refresh_token_invalid" });
      expect((await env.idp.refreshTokens(result.value.refreshToken, user.identityUserId)).ok).toBe(true);
    });

    it("gives a rotated refresh token the time the original had left, not a new lifetime", async () => {
      const env = setUp();
      const user = await signUp(env);
      const { result } = await signInAs(env, user.userHandle);
      if (!result.ok) throw new Error(result.error);
      env.clock.advance(29 * 86_400_000);
      const refreshed = await env.idp.refreshTokens(result.value.refreshToken);
      if (!refreshed.ok) throw new Error(refreshed.error);
      env.clock.advance(86_400_000 - 1);
      const again = await env.idp.refreshTokens(refreshed.value.refreshToken!);
      if (!again.ok) throw new Error(again.error);
      env.clock.advance(1);
      expect(await env.idp.refreshTokens(again.value.refreshToken!)).toEqual({ ok: false, error: "refresh_token_invalid" });
    });
  });

  describe("tokens not yet valid", () => {
    it("refuses its own ID token when the Clock stands more than a minute before the token's iat", async () => {
      const env = setUp();
      const user = await signUp(env);
      const { result } = await signInAs(env, user.userHandle);
      if (!result.ok) throw new Error(result.error);
      env.clock.advance(-60_000);
      expect((await env.idp.verifyIdToken(result.value.idToken)).ok).toBe(true);
      env.clock.advance(-1_000);
      expect(await env.idp.verifyIdToken(result.value.idToken)).toEqual({ ok: false, error: "token_not_yet_valid" });
    });
  });

  describe("what it holds", () => {
    it("sweeps expired sign-in sessions: 2,000 unanswered starts leave nothing behind once they expire", async () => {
      const env = setUp();
      for (let i = 0; i < 2000; i++) {
        const started = await env.idp.startSignIn(`unknown-${i}`);
        expect(started.ok).toBe(true);
      }
      expect(env.idp.held.signInSessions).toBe(2000);
      env.clock.advance(180_000);
      await env.idp.startSignIn("one-more");
      expect(env.idp.held.signInSessions).toBeLessThanOrEqual(1);
    });

    it("keeps one refresh grant per sign-in in its RefreshGrantStore, a rotation adding none, and lets the store forget expired ones", async () => {
      const env = setUp();
      const tokens = [];
      for (let i = 0; i < 200; i++) tokens.push(await env.idp.createUserWithTokens(`user-${i}@example.com`));
      expect(env.grants.inner.size).toBe(200);
      const refreshed = await env.idp.refreshTokens(tokens[0]!.refreshToken);
      expect(refreshed.ok).toBe(true);
      expect(env.grants.inner.size).toBe(200);
      env.clock.advance(30 * 86_400_000);
      expect(await env.idp.refreshTokens(tokens[1]!.refreshToken)).toEqual({ ok: false, error: "refresh_token_invalid" });
      await env.idp.createUserWithTokens("late@example.com");
      expect(env.grants.inner.size).toBeLessThanOrEqual(1);
    });

    it("gives its store only SHA-256 hashes of refresh tokens, never a token", async () => {
      const env = setUp();
      const user = await signUp(env);
      const signedIn = await tokensOf(env, user.userHandle);
      const refreshed = await env.idp.refreshTokens(signedIn.refreshToken);
      if (!refreshed.ok || refreshed.value.refreshToken === undefined) throw new Error("refresh failed");
      await env.idp.revokeRefreshToken(refreshed.value.refreshToken);
      const tokens = [signedIn.refreshToken, refreshed.value.refreshToken];
      const seen = JSON.stringify(env.grants.seen);
      for (const token of tokens) {
        expect(seen).not.toContain(token.split(".")[1]);
        expect(seen).toContain(Buffer.from(sha256(new TextEncoder().encode(token))).toString("base64url"));
      }
    });
  });

  describe("sign-out", () => {
    it("revokes one sign-in: its refresh token is refused from then on, the user's other sign-ins are not", async () => {
      const env = setUp();
      const user = await signUp(env);
      const [phone, laptop] = [await tokensOf(env, user.userHandle), await tokensOf(env, user.userHandle)];
      expect(env.grants.inner.size).toBe(2);

      expect(await env.idp.revokeRefreshToken(phone.refreshToken)).toEqual({ ok: true, value: undefined });

      expect(await env.idp.refreshTokens(phone.refreshToken)).toEqual({ ok: false, error: "refresh_token_invalid" });
      expect(await env.signIn.refresh(phone.refreshToken)).toEqual({ ok: false, error: "refresh_token_invalid" });
      expect((await env.idp.refreshTokens(laptop.refreshToken)).ok).toBe(true);
    });

    it("answers ok for a token already revoked, unknown, expired or empty (RFC 7009: signing out twice is signing out)", async () => {
      const env = setUp();
      const user = await signUp(env);
      const tokens = await tokensOf(env, user.userHandle);
      const expiring = await tokensOf(env, user.userHandle);
      await env.idp.revokeRefreshToken(tokens.refreshToken);
      env.clock.advance(30 * 86_400_000);
      for (const token of [tokens.refreshToken, "not-a-token", "", expiring.refreshToken]) {
        expect(await env.idp.revokeRefreshToken(token)).toEqual({ ok: true, value: undefined });
      }
    });

    it("ends the whole sign-in, whichever of its tokens it is given: the newest one, or one a rotation spent", async () => {
      const env = setUp();
      const user = await signUp(env);
      const signedIn = await tokensOf(env, user.userHandle);
      const first = await env.idp.refreshTokens(signedIn.refreshToken);
      if (!first.ok || first.value.refreshToken === undefined) throw new Error("refresh failed");
      const second = await env.idp.refreshTokens(first.value.refreshToken);
      if (!second.ok || second.value.refreshToken === undefined) throw new Error("refresh failed");
      expect(decodeJwt(second.value.idToken).payload.origin_jti).toBe(decodeJwt(signedIn.idToken).payload.origin_jti);

      // A second tab still holding the sign-in's first token signs out with it.
      expect((await env.idp.revokeRefreshToken(signedIn.refreshToken)).ok).toBe(true);

      expect(await env.idp.refreshTokens(second.value.refreshToken)).toEqual({ ok: false, error: "refresh_token_invalid" });
    });

    it("hands nothing out to a refresh that was under way when the sign-out came", async () => {
      const env = setUp();
      const user = await signUp(env);
      const [revokedOne, signedOutUser] = [await tokensOf(env, user.userHandle), await tokensOf(env, user.userHandle)];

      // Each refresh has spent its token and awaits the directory when the sign-out runs.
      const refreshing = env.idp.refreshTokens(revokedOne.refreshToken);
      await env.idp.revokeRefreshToken(revokedOne.refreshToken);
      expect(await refreshing).toEqual({ ok: false, error: "refresh_token_invalid" });

      const refreshingEverywhere = env.idp.refreshTokens(signedOutUser.refreshToken);
      await env.idp.signOutEverywhere(user.identityUserId);
      expect(await refreshingEverywhere).toEqual({ ok: false, error: "refresh_token_invalid" });
    });

    it("signs a user out everywhere: every sign-in of theirs refreshes no more, other users' do, and a new sign-in works", async () => {
      const env = setUp();
      const alice = await signUp(env, "alice");
      const carol = await env.idp.createUserWithTokens("carol@example.com");
      const aliceSignIns = [await tokensOf(env, alice.userHandle), await tokensOf(env, alice.userHandle)];
      const rotated = await env.idp.refreshTokens(aliceSignIns[1]!.refreshToken);
      if (!rotated.ok || rotated.value.refreshToken === undefined) throw new Error("refresh failed");

      expect(await env.idp.signOutEverywhere(alice.identityUserId)).toEqual({ ok: true, value: undefined });

      for (const token of [aliceSignIns[0]!.refreshToken, rotated.value.refreshToken]) {
        expect(await env.idp.refreshTokens(token)).toEqual({ ok: false, error: "refresh_token_invalid" });
      }
      expect((await env.idp.refreshTokens(carol.refreshToken)).ok).toBe(true);
      const again = await tokensOf(env, alice.userHandle);
      expect((await env.idp.refreshTokens(again.refreshToken)).ok).toBe(true);
    });

    it("is idempotent: signing out everywhere twice, or a user it does not know, is ok", async () => {
      const env = setUp();
      const user = await signUp(env);
      await tokensOf(env, user.userHandle);
      expect(await env.idp.signOutEverywhere(user.identityUserId)).toEqual({ ok: true, value: undefined });
      expect(await env.idp.signOutEverywhere(user.identityUserId)).toEqual({ ok: true, value: undefined });
      expect(await env.idp.signOutEverywhere("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")).toEqual({ ok: true, value: undefined });
    });

    it("keeps a sign-in, its spent tokens with it, only until it expires", async () => {
      const env = setUp();
      const user = await signUp(env);
      const signedIn = await tokensOf(env, user.userHandle);
      expect((await env.idp.refreshTokens(signedIn.refreshToken)).ok).toBe(true);
      expect(env.grants.inner.size).toBe(1);
      env.clock.advance(30 * 86_400_000);
      await env.idp.createUserWithTokens("late@example.com");
      expect(env.grants.inner.size).toBe(1);
      expect(await env.idp.revokeRefreshToken(signedIn.refreshToken)).toEqual({ ok: true, value: undefined });
    });
  });

  describe("updateUser", () => {
    it("changes preferred_username and name: tokens issued afterwards, by a refresh or a sign-in, carry them, with the same subject", async () => {
      const env = setUp();
      const user = await signUp(env);
      const before = await tokensOf(env, user.userHandle);

      expect(await env.idp.updateUser(user.identityUserId, { preferredUsername: "Alicia", name: "Alicia Ängström" })).toEqual({ ok: true, value: undefined });

      const refreshed = await env.idp.refreshTokens(before.refreshToken);
      if (!refreshed.ok) throw new Error(refreshed.error);
      const after = await tokensOf(env, user.userHandle);
      const subject = decodeJwt(before.idToken).payload.sub;
      for (const idToken of [refreshed.value.idToken, after.idToken]) {
        expect(decodeJwt(idToken).payload).toMatchObject({ preferred_username: "Alicia", name: "Alicia Ängström", sub: subject, "cognito:username": user.identityUserId });
        expect(await env.idp.verifyIdToken(idToken)).toMatchObject({ ok: true, value: { preferredUsername: "Alicia", name: "Alicia Ängström" } });
      }
      // A token issued before says what was true then.
      expect(decodeJwt(before.idToken).payload.preferred_username).toBe("alice");
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
    // Finished by the same signed-in user who started it (the registration ceremony checks the caller).
    const finish = await env.registration.finish(start.value.sessionId, env.authenticator.createCredential(start.value.options, { origin: ORIGIN }), identity.value);
    expect(finish).toMatchObject({ ok: true, value: { identityUserId: "carol@example.com" } });
    if (!finish.ok) return;
    const { result } = await signInAs(env, finish.value.userHandle);
    expect(result.ok).toBe(true);
    if (result.ok) expect(decodeClaims(result.value.idToken)["cognito:username"]).toBe("carol@example.com");
  });
});
