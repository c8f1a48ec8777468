import { generateKeyPairSync } from "node:crypto";
import { describe, expect, it } from "vitest";
import {
  checkAttestedCredentialIdMatches,
  checkCredentialIdLength,
  checkCredentialNotRegistered,
  checkPublicKey,
  MAX_CREDENTIAL_ID_BYTES,
  offeredAlgorithm,
  publicKeyOf,
  registrationUserVerification,
  userPresenceFor,
} from "../../../../src/domain/ceremonies/checks/registration-checks.js";
import { readCoseKey, SUPPORTED_ALGORITHMS, type CoseKey } from "../../../../src/domain/encoding/cose.js";
import { REGISTRATION_ERRORS } from "../../../../src/domain/ceremonies/errors.js";
import { COSE_CRV_P384, coseKeyFor, ec2CoseKey, fromB64url, generateTestKeyPair, okpCoseKey } from "../../../support/software-authenticator.js";
import type { TestAlgorithm } from "../../../support/software-authenticator.js";

const ES256 = -7;
const EDDSA = -8;
const RS256 = -257;

function coseKey(bytes: Uint8Array): CoseKey {
  const read = readCoseKey(bytes);
  if (read === null) throw new Error("test fixture is not a COSE key");
  return read.key;
}

function keyFor(algorithm: TestAlgorithm): CoseKey {
  return coseKey(coseKeyFor(algorithm, generateTestKeyPair(algorithm).publicKey));
}

function p384Key(): CoseKey {
  const jwk = generateKeyPairSync("ec", { namedCurve: "secp384r1" }).publicKey.export({ format: "jwk" });
  return coseKey(ec2CoseKey(COSE_CRV_P384, ES256, fromB64url(jwk.x ?? ""), fromB64url(jwk.y ?? "")));
}

describe("offeredAlgorithm", () => {
  it.each([ES256, EDDSA, RS256])("accepts algorithm %i when it was offered, typed as one keyport offers", (algorithm) => {
    expect(offeredAlgorithm(algorithm, SUPPORTED_ALGORITHMS)).toEqual({ ok: true, value: algorithm });
  });

  it("rejects an algorithm keyport did not offer in this ceremony", () => {
    expect(offeredAlgorithm(RS256, [EDDSA, ES256])).toEqual({ ok: false, error: "algorithm_not_allowed" });
  });

  it("rejects an algorithm keyport never offers (ES384)", () => {
    expect(offeredAlgorithm(-35, SUPPORTED_ALGORITHMS)).toEqual({ ok: false, error: "algorithm_not_allowed" });
  });

  it("rejects every algorithm when none was offered", () => {
    expect(offeredAlgorithm(ES256, [])).toEqual({ ok: false, error: "algorithm_not_allowed" });
  });
});

describe("checkPublicKey", () => {
  it.each<TestAlgorithm>(["ES256", "EdDSA", "RS256"])("accepts a well-formed %s key", (algorithm) => {
    expect(checkPublicKey(keyFor(algorithm))).toBeNull();
  });

  it("rejects a P-384 key that claims ES256", () => {
    expect(checkPublicKey(p384Key())).toBe("public_key_invalid");
  });

  it("rejects an EC2 key whose x coordinate is 31 bytes", () => {
    const key = keyFor("ES256");
    expect(checkPublicKey({ ...key, x: key.x!.subarray(1) })).toBe("public_key_invalid");
  });

  it("rejects an Ed448 key", () => {
    expect(checkPublicKey(coseKey(okpCoseKey(new Uint8Array(57).fill(9), 7, EDDSA)))).toBe("public_key_invalid");
  });

  it("rejects a key whose alg does not match its kty", () => {
    expect(checkPublicKey({ ...keyFor("EdDSA"), alg: ES256 })).toBe("public_key_invalid");
  });
});

describe("publicKeyOf", () => {
  it("returns the JWK of an accepted key", () => {
    const key = keyFor("EdDSA");
    expect(publicKeyOf(key)).toMatchObject({ alg: EDDSA, kty: "OKP", crv: "Ed25519" });
  });

  it("throws when called on a key checkPublicKey rejects", () => {
    expect(() => publicKeyOf(p384Key())).toThrow(/checkPublicKey/);
  });
});

describe("checkCredentialIdLength", () => {
  it("accepts a 16-byte credential id", () => {
    expect(checkCredentialIdLength(new Uint8Array(16))).toBeNull();
  });

  it("accepts a credential id of exactly 1023 bytes", () => {
    expect(MAX_CREDENTIAL_ID_BYTES).toBe(1023);
    expect(checkCredentialIdLength(new Uint8Array(1023))).toBeNull();
  });

  it("rejects a credential id of 1024 bytes", () => {
    expect(checkCredentialIdLength(new Uint8Array(1024))).toBe("credential_id_too_long");
  });
});

describe("checkAttestedCredentialIdMatches", () => {
  it("passes when the attested credential id is the reported rawId", () => {
    expect(checkAttestedCredentialIdMatches(Uint8Array.of(1, 2, 3), Uint8Array.of(1, 2, 3))).toBeNull();
  });

  it("rejects a response whose rawId names another credential than the one attested", () => {
    expect(checkAttestedCredentialIdMatches(Uint8Array.of(1, 2, 3), Uint8Array.of(1, 2, 4))).toBe("id_mismatch");
    expect(checkAttestedCredentialIdMatches(Uint8Array.of(1, 2, 3), Uint8Array.of(1, 2))).toBe("id_mismatch");
  });
});

describe("checkCredentialNotRegistered", () => {
  it("accepts a credential id nobody has registered", () => {
    expect(checkCredentialNotRegistered(false)).toBeNull();
  });

  it("rejects a credential id that is already registered", () => {
    expect(checkCredentialNotRegistered(true)).toBe("credential_already_registered");
  });
});


describe("registration check codes", () => {
  it("are all registration error codes", () => {
    const codes = [
      "algorithm_not_allowed",
      "public_key_invalid",
      "credential_id_too_long",
      "credential_already_registered",
      "attestation_statement_invalid",
      "attestation_signature_invalid",
    ] as const;
    for (const code of codes) expect(REGISTRATION_ERRORS).toContain(code);
  });
});

describe("userPresenceFor", () => {
  it("requires UP of every registration but a conditional create (Level 3 §7.1 step 15)", () => {
    expect(userPresenceFor("modal")).toBe("required");
    expect(userPresenceFor("conditional")).toBe("not_required");
  });
});

describe("registrationUserVerification", () => {
  it("keeps the relying party's policy for a modal registration", () => {
    for (const policy of ["required", "preferred", "discouraged"] as const) expect(registrationUserVerification(policy, "modal")).toBe(policy);
  });

  it("asks a conditional create for preferred instead of required (a client refuses required when it cannot prompt), and never for more than the policy", () => {
    expect(registrationUserVerification("required", "conditional")).toBe("preferred");
    expect(registrationUserVerification("preferred", "conditional")).toBe("preferred");
    expect(registrationUserVerification("discouraged", "conditional")).toBe("discouraged");
  });
});
