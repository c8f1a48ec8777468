import { describe, expect, it } from "vitest";
import { checkSessionFound, checkSessionIdShape, checkSessionNotExpired } from "../../../../src/domain/ceremonies/checks/session-checks.js";
import { AUTHENTICATION_ERRORS, REGISTRATION_ERRORS } from "../../../../src/domain/ceremonies/errors.js";
import type { AuthenticationSession, RegistrationSession } from "../../../../src/domain/model.js";

const registrationSession: RegistrationSession = {
  kind: "registration",
  id: "cmVnLXNlc3Npb24",
  challenge: "cmVnLWNoYWxsZW5nZQ",
  userHandle: "dXNlcg",
  username: "alice",
  displayName: "Alice",
  identityUserId: null,
  newAccount: true,
  userVerification: "required",
  mediation: "modal",
  algorithms: [-8, -7, -257],
  expiresAt: 1_000,
};

const authenticationSession: AuthenticationSession = {
  kind: "authentication",
  id: "YXV0aC1jaGFsbGVuZ2U",
  challenge: "YXV0aC1jaGFsbGVuZ2U",
  userHandle: null,
  allowCredentials: [],
  userVerification: "required",
  expiresAt: 1_000,
};

describe("checkSessionFound", () => {
  it("accepts a registration session for a registration", () => {
    expect(checkSessionFound(registrationSession, "registration")).toBeNull();
  });

  it("accepts an authentication session for an authentication", () => {
    expect(checkSessionFound(authenticationSession, "authentication")).toBeNull();
  });

  it("rejects a missing session", () => {
    expect(checkSessionFound(null, "registration")).toBe("session_not_found");
    expect(checkSessionFound(null, "authentication")).toBe("session_not_found");
  });

  it("rejects an authentication session answered as a registration", () => {
    expect(checkSessionFound(authenticationSession, "registration")).toBe("session_not_found");
  });

  it("rejects a registration session answered as an authentication", () => {
    expect(checkSessionFound(registrationSession, "authentication")).toBe("session_not_found");
  });
});

describe("checkSessionNotExpired", () => {
  it("accepts a session well before it expires", () => {
    expect(checkSessionNotExpired(1_000, 0)).toBeNull();
  });

  it("accepts a session one millisecond before it expires", () => {
    expect(checkSessionNotExpired(1_000, 999)).toBeNull();
  });

  it("rejects a session at the exact millisecond it expires", () => {
    expect(checkSessionNotExpired(1_000, 1_000)).toBe("session_expired");
  });

  it("rejects a session after it expired", () => {
    expect(checkSessionNotExpired(1_000, 60_000)).toBe("session_expired");
  });
});

describe("session check codes", () => {
  it("are codes both ceremonies can report", () => {
    for (const code of ["session_not_found", "session_expired"] as const) {
      expect(REGISTRATION_ERRORS).toContain(code);
      expect(AUTHENTICATION_ERRORS).toContain(code);
    }
  });
});

describe("checkSessionIdShape", () => {
  const ID = "A".repeat(43);
  it("passes a base64url id of the issued length", () => {
    expect(checkSessionIdShape(ID, 43)).toBeNull();
  });

  it.each([
    ["empty", ""],
    ["too short", "A".repeat(42)],
    ["too long", "A".repeat(44)],
    ["not base64url", "A".repeat(42) + "+"],
    ["padded", "A".repeat(42) + "="],
    ["not a string", 42],
  ])("refuses an id that is %s as naming no session", (_, id) => {
    expect(checkSessionIdShape(id, 43)).toBe("session_not_found");
  });
});
