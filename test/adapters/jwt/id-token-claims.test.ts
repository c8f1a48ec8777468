import { describe, expect, it } from "vitest";
import { CLOCK_SKEW_SECONDS, idTokenClaimError, identityFromIdTokenClaims, type IdTokenExpectation } from "../../../src/adapters/jwt/id-token-claims.js";
import { BASE_TIME } from "../../support/kit.js";

const NOW = BASE_TIME + 250; // not on a whole second, so rounding is exercised
const NOW_S = Math.floor(NOW / 1000);
const expected: IdTokenExpectation = { issuer: "https://issuer.example", clientId: "client-1", now: NOW };

function claims(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    iss: expected.issuer,
    token_use: "id",
    aud: expected.clientId,
    sub: "5f0c1d2e-0000-4000-8000-000000000001",
    "cognito:username": "alice-handle",
    auth_time: NOW_S - 600,
    iat: NOW_S,
    exp: NOW_S + 3600,
    ...overrides,
  };
}

describe("idTokenClaimError", () => {
  it("accepts a current token", () => {
    expect(idTokenClaimError(claims(), expected)).toBeNull();
  });

  it("allows a minute of clock skew: iat or nbf up to 60 s ahead of the Clock", () => {
    expect(CLOCK_SKEW_SECONDS).toBe(60);
    // A claim is whole seconds; `now` is NOW_S + 0.25 s, so NOW_S + 60 is 59.75 s ahead.
    expect(idTokenClaimError(claims({ iat: NOW_S + 60 }), expected)).toBeNull();
    expect(idTokenClaimError(claims({ nbf: NOW_S + 60 }), expected)).toBeNull();
    expect(idTokenClaimError(claims({ iat: NOW_S + 60 }), { ...expected, now: (NOW_S + 0) * 1000 })).toBeNull();
  });

  it("refuses a token whose iat or nbf lies further in the future: token_not_yet_valid", () => {
    expect(idTokenClaimError(claims({ iat: NOW_S + 61 }), expected)).toBe("token_not_yet_valid");
    expect(idTokenClaimError(claims({ nbf: NOW_S + 61 }), expected)).toBe("token_not_yet_valid");
    expect(idTokenClaimError(claims({ iat: NOW_S + 61 }), { ...expected, now: NOW_S * 1000 })).toBe("token_not_yet_valid");
    expect(idTokenClaimError(claims({ iat: NOW_S + 86_400, exp: NOW_S + 90_000 }), expected)).toBe("token_not_yet_valid");
  });

  it("keeps the order: iss, token_use, aud and exp come before not-yet-valid", () => {
    const future = { iat: NOW_S + 3600, nbf: NOW_S + 3600 };
    expect(idTokenClaimError(claims({ ...future, iss: "https://other.example" }), expected)).toBe("token_issuer_mismatch");
    expect(idTokenClaimError(claims({ ...future, token_use: "access" }), expected)).toBe("token_not_id_token");
    expect(idTokenClaimError(claims({ ...future, aud: "client-2" }), expected)).toBe("token_audience_mismatch");
    expect(idTokenClaimError(claims({ ...future, exp: NOW_S }), expected)).toBe("token_expired");
  });

  it("reads neither claim when the token does not carry it (Cognito's ID tokens have no nbf)", () => {
    expect(idTokenClaimError(claims({ iat: undefined, nbf: undefined }), expected)).toBeNull();
  });
});

describe("identityFromIdTokenClaims", () => {
  it("refuses a token not yet valid, and names the user of a valid one with the sign-in time", () => {
    expect(identityFromIdTokenClaims(claims({ nbf: NOW_S + 120 }), expected)).toEqual({ ok: false, error: "token_not_yet_valid" });
    expect(identityFromIdTokenClaims(claims(), expected)).toEqual({
      ok: true,
      value: {
        identityUserId: "alice-handle",
        subject: "5f0c1d2e-0000-4000-8000-000000000001",
        preferredUsername: null,
        name: null,
        authenticatedAt: (NOW_S - 600) * 1000,
      },
    });
  });
});
