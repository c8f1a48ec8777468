import { describe, expect, it } from "vitest";
import { checkChallenge, checkClientDataType, checkNotCrossOrigin, checkOrigin } from "../../../../src/domain/ceremonies/checks/client-data-checks.js";
import { AUTHENTICATION_ERRORS, REGISTRATION_ERRORS } from "../../../../src/domain/ceremonies/errors.js";

const ORIGIN = "https://app.example.com";

describe("checkClientDataType", () => {
  it("accepts webauthn.create where a registration is expected", () => {
    expect(checkClientDataType("webauthn.create", "webauthn.create")).toBeNull();
  });

  it("accepts webauthn.get where an assertion is expected", () => {
    expect(checkClientDataType("webauthn.get", "webauthn.get")).toBeNull();
  });

  it("rejects an assertion's client data offered as a registration", () => {
    expect(checkClientDataType("webauthn.get", "webauthn.create")).toBe("client_data_type_mismatch");
  });

  it("rejects a registration's client data offered as an assertion", () => {
    expect(checkClientDataType("webauthn.create", "webauthn.get")).toBe("client_data_type_mismatch");
  });
});

describe("checkChallenge", () => {
  it("accepts the challenge that was issued", () => {
    expect(checkChallenge("q2ZQxVbDeC1pqTz8yVqHww", "q2ZQxVbDeC1pqTz8yVqHww")).toBeNull();
  });

  it("rejects a different challenge", () => {
    expect(checkChallenge("q2ZQxVbDeC1pqTz8yVqHwA", "q2ZQxVbDeC1pqTz8yVqHww")).toBe("challenge_mismatch");
  });

  it("rejects a truncated challenge", () => {
    expect(checkChallenge("q2ZQxVbDeC1pqTz8", "q2ZQxVbDeC1pqTz8yVqHww")).toBe("challenge_mismatch");
  });

  it("rejects an empty challenge", () => {
    expect(checkChallenge("", "q2ZQxVbDeC1pqTz8yVqHww")).toBe("challenge_mismatch");
  });

  // The same bytes spelled otherwise are not the challenge issued: the comparison is of text (§7.1 step 8).
  it.each([
    ["with base64 padding", "q2ZQxVbDeC1pqTz8yVqHww=="],
    ["with one base64url pad character", "q2ZQxVbDeC1pqTz8yVqHww="],
    ["in standard base64 (+ and / for - and _)", "+/8", "-_8"],
    ["with non-canonical trailing bits (the same 16 bytes)", "q2ZQxVbDeC1pqTz8yVqHwx"],
    ["in another letter case", "Q2ZQXVBDEC1PQTZ8YVQHWW"],
    ["with surrounding whitespace", " q2ZQxVbDeC1pqTz8yVqHww"],
  ])("rejects the challenge %s", (_label, actual, expected = "q2ZQxVbDeC1pqTz8yVqHww") => {
    expect(checkChallenge(actual, expected)).toBe("challenge_mismatch");
  });
});

describe("checkOrigin", () => {
  it("accepts an origin that is configured", () => {
    expect(checkOrigin(ORIGIN, [ORIGIN])).toBeNull();
  });

  it("accepts any one of several configured origins", () => {
    expect(checkOrigin("https://login.example.com", [ORIGIN, "https://login.example.com"])).toBeNull();
  });

  it.each([
    ["a prefix of the configured origin", "https://app.example.co"],
    ["the configured origin with a suffix", "https://app.example.com.evil.test"],
    ["the configured origin in another letter case", "https://APP.example.com"],
    ["the configured origin with a trailing slash", "https://app.example.com/"],
    ["the configured origin on another port", "https://app.example.com:8443"],
    ["the configured origin over http", "http://app.example.com"],
    ["a parent domain of the configured origin", "https://example.com"],
    ["a subdomain of the configured origin", "https://evil.app.example.com"],
    ["an empty origin", ""],
  ])("rejects %s", (_label, origin) => {
    expect(checkOrigin(origin, [ORIGIN])).toBe("origin_mismatch");
  });

  it("rejects every origin when none is configured", () => {
    expect(checkOrigin(ORIGIN, [])).toBe("origin_mismatch");
  });
});

describe("checkNotCrossOrigin", () => {
  it("accepts client data collected in a same-origin context", () => {
    expect(checkNotCrossOrigin(false)).toBeNull();
  });

  it("rejects client data collected in a cross-origin iframe", () => {
    expect(checkNotCrossOrigin(true)).toBe("cross_origin_not_allowed");
  });
});

describe("client data check codes", () => {
  it("are codes both ceremonies can report", () => {
    for (const code of ["client_data_type_mismatch", "challenge_mismatch", "origin_mismatch", "cross_origin_not_allowed"] as const) {
      expect(REGISTRATION_ERRORS).toContain(code);
      expect(AUTHENTICATION_ERRORS).toContain(code);
    }
  });
});
