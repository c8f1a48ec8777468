import { describe, expect, it } from "vitest";
import { checkRecentSignIn, checkSameCaller } from "../../../../src/domain/ceremonies/checks/identity-checks.js";

const NOW = Date.UTC(2026, 0, 1, 12);
const FIVE_MINUTES = 300_000;

describe("checkRecentSignIn", () => {
  it("accepts a sign-in up to the maximum age ago, and one slightly in the future (clock skew)", () => {
    expect(checkRecentSignIn(NOW, NOW, FIVE_MINUTES)).toBeNull();
    expect(checkRecentSignIn(NOW - FIVE_MINUTES, NOW, FIVE_MINUTES)).toBeNull();
    expect(checkRecentSignIn(NOW + 5_000, NOW, FIVE_MINUTES)).toBeNull();
  });

  it("refuses a sign-in older than the maximum age with reauthentication_required", () => {
    expect(checkRecentSignIn(NOW - FIVE_MINUTES - 1, NOW, FIVE_MINUTES)).toBe("reauthentication_required");
    expect(checkRecentSignIn(NOW - 6 * 3_600_000, NOW, FIVE_MINUTES)).toBe("reauthentication_required");
  });

  it("refuses a token that does not say when its user signed in", () => {
    expect(checkRecentSignIn(null, NOW, FIVE_MINUTES)).toBe("reauthentication_required");
  });
});

describe("checkSameCaller", () => {
  it("needs no caller for a sign-up (no identity user yet)", () => {
    expect(checkSameCaller(null, null)).toBeNull();
    expect(checkSameCaller(null, { identityUserId: "anyone" })).toBeNull();
  });

  it("needs the user who started a registration to finish it", () => {
    expect(checkSameCaller("alice", { identityUserId: "alice" })).toBeNull();
    expect(checkSameCaller("alice", null)).toBe("token_missing");
    expect(checkSameCaller("alice", { identityUserId: "mallory" })).toBe("registration_identity_mismatch");
  });
});
