/**
 * The local identity provider's token check (jose, by the Clock port) on tokens signed here with a
 * key of our own, so that any claim can be set: the provider itself never issues an `nbf`.
 */
import { createLocalJWKSet, exportJWK, generateKeyPair, SignJWT, type JWTVerifyGetKey } from "jose";
import { beforeAll, describe, expect, it } from "vitest";
import { verifyIdTokenWithJose } from "../../../src/adapters/jwt/jose-id-token.js";
import type { IdTokenExpectation } from "../../../src/adapters/jwt/id-token-claims.js";
import { BASE_TIME } from "../../support/kit.js";

const NOW_S = Math.floor(BASE_TIME / 1000);
const expected: IdTokenExpectation = { issuer: "http://localhost:3000", clientId: "local-client", now: BASE_TIME };

let privateKey: CryptoKey;
let keys: JWTVerifyGetKey;

beforeAll(async () => {
  const pair = await generateKeyPair("ES256");
  privateKey = pair.privateKey;
  keys = createLocalJWKSet({ keys: [{ ...(await exportJWK(pair.publicKey)), kid: "k1", alg: "ES256", use: "sig" }] });
});

function sign(overrides: Record<string, unknown> = {}): Promise<string> {
  const claims: Record<string, unknown> = {
    iss: expected.issuer,
    aud: expected.clientId,
    token_use: "id",
    sub: "5f0c1d2e-0000-4000-8000-000000000001",
    "cognito:username": "alice-handle",
    auth_time: NOW_S,
    iat: NOW_S,
    exp: NOW_S + 3600,
    ...overrides,
  };
  for (const [name, value] of Object.entries(claims)) if (value === undefined) delete claims[name];
  return new SignJWT(claims).setProtectedHeader({ alg: "ES256", kid: "k1", typ: "JWT" }).sign(privateKey);
}

describe("verifyIdTokenWithJose", () => {
  it("returns the identity of a valid token", async () => {
    expect(await verifyIdTokenWithJose(await sign(), keys, expected)).toMatchObject({ ok: true, value: { identityUserId: "alice-handle", authenticatedAt: NOW_S * 1000 } });
  });

  it("accepts nbf and iat up to a minute ahead of the Clock, where jose alone would refuse any future nbf", async () => {
    expect((await verifyIdTokenWithJose(await sign({ nbf: NOW_S + 60 }), keys, expected)).ok).toBe(true);
    expect((await verifyIdTokenWithJose(await sign({ nbf: NOW_S + 1 }), keys, expected)).ok).toBe(true);
    expect((await verifyIdTokenWithJose(await sign({ iat: NOW_S + 60 }), keys, expected)).ok).toBe(true);
  });

  it("refuses nbf or iat further ahead with token_not_yet_valid, not token_expired", async () => {
    expect(await verifyIdTokenWithJose(await sign({ nbf: NOW_S + 61 }), keys, expected)).toEqual({ ok: false, error: "token_not_yet_valid" });
    expect(await verifyIdTokenWithJose(await sign({ iat: NOW_S + 61 }), keys, expected)).toEqual({ ok: false, error: "token_not_yet_valid" });
    expect(await verifyIdTokenWithJose(await sign({ nbf: NOW_S + 7200, iat: NOW_S + 7200, exp: NOW_S + 10_800 }), keys, expected)).toEqual({
      ok: false,
      error: "token_not_yet_valid",
    });
  });

  it("goes by the Clock, not the machine's time", async () => {
    // Signed for a moment two days after BASE_TIME: valid then, not yet valid at BASE_TIME.
    const later = NOW_S + 2 * 86_400;
    const token = await sign({ nbf: later, iat: later, exp: later + 3600 });
    expect(await verifyIdTokenWithJose(token, keys, expected)).toEqual({ ok: false, error: "token_not_yet_valid" });
    expect((await verifyIdTokenWithJose(token, keys, { ...expected, now: later * 1000 })).ok).toBe(true);
  });

  it("keeps the rules' order over jose's: a foreign issuer stays token_issuer_mismatch whatever its times", async () => {
    expect(await verifyIdTokenWithJose(await sign({ iss: "https://other.example", nbf: NOW_S + 600 }), keys, expected)).toEqual({ ok: false, error: "token_issuer_mismatch" });
    expect(await verifyIdTokenWithJose(await sign({ token_use: "access", nbf: NOW_S + 600 }), keys, expected)).toEqual({ ok: false, error: "token_not_id_token" });
  });

  it("refuses a token at its expiry, including within the minute of skew that jose is given", async () => {
    expect(await verifyIdTokenWithJose(await sign({ exp: NOW_S }), keys, expected)).toEqual({ ok: false, error: "token_expired" });
    expect(await verifyIdTokenWithJose(await sign({ exp: NOW_S - 30 }), keys, expected)).toEqual({ ok: false, error: "token_expired" });
    expect(await verifyIdTokenWithJose(await sign({ exp: NOW_S - 3600 }), keys, expected)).toEqual({ ok: false, error: "token_expired" });
  });

  it("answers token_malformed for an nbf or iat that is not a number", async () => {
    expect(await verifyIdTokenWithJose(await sign({ nbf: "soon" }), keys, expected)).toEqual({ ok: false, error: "token_malformed" });
    expect(await verifyIdTokenWithJose(await sign({ iat: "now" }), keys, expected)).toEqual({ ok: false, error: "token_malformed" });
  });

  it("answers token_malformed for an oversized token and token_signature_invalid for another key", async () => {
    expect(await verifyIdTokenWithJose(`${"a".repeat(9000)}.b.c`, keys, expected)).toEqual({ ok: false, error: "token_malformed" });
    const other = await generateKeyPair("ES256");
    const foreign = await new SignJWT({ iss: expected.issuer }).setProtectedHeader({ alg: "ES256", kid: "k1" }).sign(other.privateKey);
    expect(await verifyIdTokenWithJose(foreign, keys, expected)).toEqual({ ok: false, error: "token_signature_invalid" });
  });
});
