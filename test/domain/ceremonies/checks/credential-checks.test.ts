import { describe, expect, it } from "vitest";
import { checkCredentialType, checkIdMatchesRawId } from "../../../../src/domain/ceremonies/checks/credential-checks.js";
import { AUTHENTICATION_ERRORS, REGISTRATION_ERRORS } from "../../../../src/domain/ceremonies/errors.js";

describe("checkIdMatchesRawId", () => {
  it("accepts an id equal to the rawId text", () => {
    expect(checkIdMatchesRawId("AAECAwQFBgcICQoLDA0ODw", "AAECAwQFBgcICQoLDA0ODw")).toBeNull();
  });

  it("rejects an id that names a different credential", () => {
    expect(checkIdMatchesRawId("AAECAwQFBgcICQoLDA0ODw", "AAECAwQFBgcICQoLDA0OEA")).toBe("id_mismatch");
  });

  it("rejects an id that is only a prefix of the rawId", () => {
    expect(checkIdMatchesRawId("AAECAwQF", "AAECAwQFBgc")).toBe("id_mismatch");
  });

  it("rejects an id that differs from the rawId only in letter case", () => {
    expect(checkIdMatchesRawId("abcd", "ABCD")).toBe("id_mismatch");
  });

  it("rejects a padded id for an unpadded rawId (text, not bytes, is compared)", () => {
    expect(checkIdMatchesRawId("AAE=", "AAE")).toBe("id_mismatch");
  });

  it("rejects an empty id for a non-empty rawId", () => {
    expect(checkIdMatchesRawId("", "AAE")).toBe("id_mismatch");
  });
});

describe("checkCredentialType", () => {
  it("accepts public-key", () => {
    expect(checkCredentialType("public-key")).toBeNull();
  });

  it.each(["", "Public-Key", "public-key ", "password", "publickey"])("rejects the credential type %j", (type) => {
    expect(checkCredentialType(type)).toBe("credential_type_invalid");
  });
});

describe("credential check codes", () => {
  it("are codes both ceremonies can report", () => {
    for (const code of ["id_mismatch", "credential_type_invalid"] as const) {
      expect(REGISTRATION_ERRORS).toContain(code);
      expect(AUTHENTICATION_ERRORS).toContain(code);
    }
  });
});
