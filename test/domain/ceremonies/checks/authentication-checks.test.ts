import { describe, expect, it } from "vitest";
import {
  checkBackupEligibilityUnchanged,
  checkCounterIncreased,
  checkCredentialAllowed,
  checkCredentialFound,
  checkCredentialOwner,
  checkSignature,
} from "../../../../src/domain/ceremonies/checks/authentication-checks.js";
import { AUTHENTICATION_ERRORS } from "../../../../src/domain/ceremonies/errors.js";
import { aStoredCredential } from "../../../support/kit.js";

const ALICE = "YWxpY2UtaGFuZGxl";
const BOB = "Ym9iLWhhbmRsZQ";

describe("checkCredentialAllowed", () => {
  it("accepts any credential when the session offered none (discoverable sign-in)", () => {
    expect(checkCredentialAllowed("Y3JlZC0x", [])).toBeNull();
  });

  it("accepts a credential the session offered", () => {
    expect(checkCredentialAllowed("Y3JlZC0y", ["Y3JlZC0x", "Y3JlZC0y"])).toBeNull();
  });

  it("rejects a credential the session did not offer", () => {
    expect(checkCredentialAllowed("Y3JlZC0z", ["Y3JlZC0x", "Y3JlZC0y"])).toBe("credential_not_allowed");
  });

  it("rejects a credential id that is only a prefix of an offered one", () => {
    expect(checkCredentialAllowed("Y3JlZC", ["Y3JlZC0x"])).toBe("credential_not_allowed");
  });
});

describe("checkCredentialFound", () => {
  it("accepts a credential that is stored", () => {
    expect(checkCredentialFound(aStoredCredential({ userHandle: ALICE }))).toBeNull();
  });

  it("rejects a credential that is not stored", () => {
    expect(checkCredentialFound(null)).toBe("credential_not_found");
  });
});

describe("checkCredentialOwner", () => {
  it("accepts the named user's own credential with a matching userHandle", () => {
    expect(checkCredentialOwner(aStoredCredential({ userHandle: ALICE }), ALICE, ALICE)).toBeNull();
  });

  it("accepts the named user's own credential when the authenticator sent no userHandle", () => {
    expect(checkCredentialOwner(aStoredCredential({ userHandle: ALICE }), ALICE, null)).toBeNull();
  });

  it("rejects another user's credential when a user was named", () => {
    expect(checkCredentialOwner(aStoredCredential({ userHandle: BOB }), ALICE, null)).toBe("user_handle_mismatch");
  });

  it("rejects another user's credential when a user was named, even if the userHandle names its owner", () => {
    expect(checkCredentialOwner(aStoredCredential({ userHandle: BOB }), ALICE, BOB)).toBe("user_handle_mismatch");
  });

  it("rejects the named user's credential sent with another user's userHandle", () => {
    expect(checkCredentialOwner(aStoredCredential({ userHandle: ALICE }), ALICE, BOB)).toBe("user_handle_mismatch");
  });

  it("rejects a discoverable sign-in without a userHandle", () => {
    expect(checkCredentialOwner(aStoredCredential({ userHandle: ALICE }), null, null)).toBe("user_handle_missing");
  });

  it("rejects a discoverable sign-in whose userHandle is another user's", () => {
    expect(checkCredentialOwner(aStoredCredential({ userHandle: ALICE }), null, BOB)).toBe("user_handle_mismatch");
  });

  it("accepts a discoverable sign-in whose userHandle is the credential owner's", () => {
    expect(checkCredentialOwner(aStoredCredential({ userHandle: ALICE }), null, ALICE)).toBeNull();
  });
});

describe("checkBackupEligibilityUnchanged", () => {
  it.each([
    [false, false],
    [true, true],
  ])("accepts BE=%s at registration and BE=%s now", (registered, now) => {
    expect(checkBackupEligibilityUnchanged(registered, now)).toBeNull();
  });

  it("rejects a credential that became backup eligible", () => {
    expect(checkBackupEligibilityUnchanged(false, true)).toBe("backup_eligibility_changed");
  });

  it("rejects a credential that stopped being backup eligible", () => {
    expect(checkBackupEligibilityUnchanged(true, false)).toBe("backup_eligibility_changed");
  });
});

describe("checkSignature", () => {
  it("accepts a valid assertion signature", () => {
    expect(checkSignature(true)).toBeNull();
  });

  it("rejects an invalid assertion signature", () => {
    expect(checkSignature(false)).toBe("signature_invalid");
  });
});

describe("checkCounterIncreased", () => {
  it("accepts an authenticator that never counts (both counters zero)", () => {
    expect(checkCounterIncreased(0, 0)).toBeNull();
  });

  it("accepts a counter that increased", () => {
    expect(checkCounterIncreased(6, 5)).toBeNull();
  });

  it("accepts a first non-zero counter after a stored zero", () => {
    expect(checkCounterIncreased(1, 0)).toBeNull();
  });

  it("accepts a counter that jumped ahead", () => {
    expect(checkCounterIncreased(0xffffffff, 1)).toBeNull();
  });

  it("rejects an assertion whose counter did not increase", () => {
    expect(checkCounterIncreased(5, 5)).toBe("counter_not_increased");
  });

  it("rejects an assertion whose counter went back", () => {
    expect(checkCounterIncreased(4, 5)).toBe("counter_not_increased");
  });

  it("rejects an assertion with a zero counter once a non-zero counter is stored", () => {
    expect(checkCounterIncreased(0, 5)).toBe("counter_not_increased");
  });
});

describe("authentication check codes", () => {
  it("are all authentication error codes", () => {
    const codes = [
      "credential_not_allowed",
      "credential_not_found",
      "user_handle_missing",
      "user_handle_mismatch",
      "backup_eligibility_changed",
      "signature_invalid",
      "counter_not_increased",
    ] as const;
    for (const code of codes) expect(AUTHENTICATION_ERRORS).toContain(code);
  });
});
