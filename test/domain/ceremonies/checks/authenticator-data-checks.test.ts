import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { checkBackupFlags, checkRpIdHash, checkUserPresent, checkUserVerified } from "../../../../src/domain/ceremonies/checks/authenticator-data-checks.js";
import { AUTHENTICATION_ERRORS, REGISTRATION_ERRORS } from "../../../../src/domain/ceremonies/errors.js";

const hashOf = (rpId: string): Uint8Array => new Uint8Array(createHash("sha256").update(rpId).digest());

describe("checkRpIdHash", () => {
  it("accepts the hash of the relying party id", () => {
    expect(checkRpIdHash(hashOf("example.com"), hashOf("example.com"))).toBeNull();
  });

  it("rejects the hash of another relying party id", () => {
    expect(checkRpIdHash(hashOf("evil.example"), hashOf("example.com"))).toBe("rp_id_hash_mismatch");
  });

  it("rejects a hash that differs in its last byte only", () => {
    const expected = hashOf("example.com");
    const actual = new Uint8Array(expected);
    actual[31] = (actual[31] ?? 0) ^ 0x01;
    expect(checkRpIdHash(actual, expected)).toBe("rp_id_hash_mismatch");
  });

  it("rejects a truncated hash", () => {
    const expected = hashOf("example.com");
    expect(checkRpIdHash(expected.subarray(0, 31), expected)).toBe("rp_id_hash_mismatch");
  });
});

describe("checkUserPresent", () => {
  it("accepts authenticator data with UP set", () => {
    expect(checkUserPresent(true)).toBeNull();
  });

  it("rejects authenticator data without UP", () => {
    expect(checkUserPresent(false)).toBe("user_not_present");
    expect(checkUserPresent(false, "required")).toBe("user_not_present");
  });

  it("accepts authenticator data without UP when presence is not required (a conditional create)", () => {
    expect(checkUserPresent(false, "not_required")).toBeNull();
    expect(checkUserPresent(true, "not_required")).toBeNull();
  });
});

describe("checkUserVerified", () => {
  it("accepts a verified user when verification is required", () => {
    expect(checkUserVerified(true, "required")).toBeNull();
  });

  it("rejects an unverified user when verification is required", () => {
    expect(checkUserVerified(false, "required")).toBe("user_not_verified");
  });

  it("accepts an unverified user when verification is only preferred", () => {
    expect(checkUserVerified(false, "preferred")).toBeNull();
  });

  it("accepts a verified user when verification is preferred", () => {
    expect(checkUserVerified(true, "preferred")).toBeNull();
  });

  it("accepts an unverified user when verification is discouraged", () => {
    expect(checkUserVerified(false, "discouraged")).toBeNull();
  });

  it("accepts a verified user when verification is discouraged", () => {
    expect(checkUserVerified(true, "discouraged")).toBeNull();
  });
});

describe("checkBackupFlags", () => {
  it("rejects a credential that is backed up but not backup eligible (BE=0, BS=1)", () => {
    expect(checkBackupFlags(false, true)).toBe("backup_state_invalid");
  });

  it.each([
    [false, false],
    [true, false],
    [true, true],
  ])("accepts BE=%s, BS=%s", (backupEligible, backupState) => {
    expect(checkBackupFlags(backupEligible, backupState)).toBeNull();
  });
});

describe("authenticator data check codes", () => {
  it("are codes both ceremonies can report", () => {
    for (const code of ["rp_id_hash_mismatch", "user_not_present", "user_not_verified", "backup_state_invalid"] as const) {
      expect(REGISTRATION_ERRORS).toContain(code);
      expect(AUTHENTICATION_ERRORS).toContain(code);
    }
  });
});
