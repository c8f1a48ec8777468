/**
 * The statement verifiers of src/domain/ceremonies/attestation (WebAuthn Level 3 §8) and the trust
 * decision (§7.1 step 24), with the real node:crypto CertificateVerifier and generated statements from
 * the test CA (test/support/attestation/cases.ts): every conforming case verifies with its type and is
 * trusted with the test root; every case that breaks one requirement fails with that requirement's code.
 * Requirements the generated cases do not cover are broken here, on a conforming case's statement.
 */
import { expectedKeyIdentifier } from "../../../support/attestation/mds3.js";
import { describe, expect, it } from "vitest";
import { NodeCryptoCertificateVerifier } from "../../../../src/adapters/node-crypto/node-crypto-certificate-verifier.js";
import { NodeCryptoSignatureVerifier } from "../../../../src/adapters/node-crypto/node-crypto-signature-verifier.js";
import { publicKeyOf } from "../../../../src/domain/ceremonies/checks/registration-checks.js";
import { registrationErrorOf, type AttestationFailure } from "../../../../src/domain/ceremonies/attestation/failures.js";
import { verifyAttestation, type AttestationVerification } from "../../../../src/domain/ceremonies/attestation/verify-attestation.js";
import type { StatementInput } from "../../../../src/domain/ceremonies/attestation/statement.js";
import { formatAaguid } from "../../../../src/domain/ceremonies/registration-ceremony.js";
import { parseAttestationObject } from "../../../../src/domain/encoding/parse-response.js";
import type { PathFailure } from "../../../../src/ports/certificate-verifier.js";
import { encodeCbor } from "../../../support/software-authenticator.js";
import * as cases from "../../../support/attestation/cases.js";
import type { AttestationCase } from "../../../support/attestation/cases.js";
import { androidKeyStatement, type KeyDescriptionOptions } from "../../../support/attestation/statements.js";

const certificates = new NodeCryptoCertificateVerifier();
const signatures = new NodeCryptoSignatureVerifier();
const PATH_FAILURES: readonly string[] = ["chain_malformed", "chain_signature_invalid", "certificate_expired", "certificate_not_yet_valid", "issuer_not_ca", "no_trust_anchor"];

/** The verifier's input for a case, with its statement replaced by `statement` if given. */
function inputOf(c: AttestationCase, statement?: Record<string, unknown>): { input: StatementInput; aaguid: string } {
  const parsed = parseAttestationObject(statement === undefined ? c.attestationObject : encodeCbor({ fmt: c.fmt, attStmt: statement, authData: c.authData }));
  if (!parsed.ok) throw new Error(`case ${c.name}: ${parsed.error}`);
  const authenticatorData = parsed.value.authenticatorData;
  return {
    input: { statement: parsed.value.statement, authenticatorData, clientDataHash: c.clientDataHash, credentialKey: publicKeyOf(authenticatorData.attestedCredential.publicKey) },
    aaguid: formatAaguid(authenticatorData.attestedCredential.aaguid),
  };
}

function depsFor(c: AttestationCase, overrides: Partial<AttestationVerification> = {}): AttestationVerification {
  const anchors = c.anchors.map((anchor) => anchor.der);
  return { signatures, certificates, trustAnchors: { anchorsFor: () => Promise.resolve(anchors) }, now: c.at, ...overrides };
}

async function verify(c: AttestationCase, options: { statement?: Record<string, unknown>; fmt?: string; deps?: Partial<AttestationVerification> } = {}) {
  const { input, aaguid } = inputOf(c, options.statement);
  return verifyAttestation(options.fmt ?? c.fmt, input, aaguid, depsFor(c, options.deps));
}

/** The key identifier a case's statement records (EC leaves), computed independently. */
const keyIdentifierOfCase = (c: AttestationCase) => expectedKeyIdentifier(inputOf(c).input.statement);

const TYPES: Readonly<Record<string, string>> = { packed: "basic", "fido-u2f": "basic", tpm: "attca", "android-key": "basic", apple: "anonca" };

describe("the generated cases (test CA)", () => {
  const all = cases.allAttestationCases();
  const conforming = all.filter((c) => c.expected === "verified");
  const refused = all.filter((c) => c.expected !== "verified" && !PATH_FAILURES.includes(c.expected));
  const untrusted = all.filter((c) => PATH_FAILURES.includes(c.expected));

  it.each(conforming.map((c) => [c.name, c] as const))("%s: verifies, with its format's type, trusted up to the test root", async (_name, c) => {
    expect(await verify(c)).toEqual({ ok: true, value: { type: TYPES[c.fmt], trusted: true, ...keyIdentifierOfCase(c) } });
  });

  it.each(conforming.map((c) => [c.name, c] as const))("%s: verifies but is not trusted without anchors", async (_name, c) => {
    expect(await verify(c, { deps: { trustAnchors: undefined } })).toEqual({ ok: true, value: { type: TYPES[c.fmt], trusted: false, ...keyIdentifierOfCase(c) } });
    expect(await verify(c, { deps: { trustAnchors: { anchorsFor: () => Promise.resolve([]) } } })).toEqual({
      ok: true,
      value: { type: TYPES[c.fmt], trusted: false, ...keyIdentifierOfCase(c) },
    });
  });

  it.each(refused.map((c) => [c.name, c.expected, c] as const))("%s: refused with %s", async (_name, expected, c) => {
    expect(await verify(c)).toEqual({ ok: false, error: expected });
  });

  it.each(untrusted.map((c) => [c.name, c.expected, c] as const))("%s (%s): the statement verifies, and is stored untrusted", async (_name, _expected, c) => {
    const result = await verify(c);
    expect(result.ok && result.value.trusted).toBe(false);
    expect(result.ok).toBe(true);
  });
});

describe("none (§8.7)", () => {
  const c = cases.packedX5cCase();
  it("accepts the empty statement: type none, never trusted", async () => {
    expect(await verify(c, { fmt: "none", statement: {} })).toEqual({ ok: true, value: { type: "none", trusted: false } });
  });
  it("refuses any member", async () => {
    expect(await verify(c, { fmt: "none", statement: { x5c: [] } })).toEqual({ ok: false, error: "statement_not_empty" });
  });
});

describe("formats", () => {
  const c = cases.packedX5cCase();
  it.each(["None", "PACKED", "compound", "packed ", "u2f"])("refuses the unknown format %j (exact match)", async (fmt) => {
    expect(await verify(c, { fmt })).toEqual({ ok: false, error: "format_unknown" });
  });
  it("refuses android-safetynet as deprecated, whatever it holds", async () => {
    expect(await verify(c, { fmt: "android-safetynet", statement: { ver: "1", response: new Uint8Array(8) } })).toEqual({ ok: false, error: "format_deprecated" });
    expect(registrationErrorOf("format_deprecated")).toBe("attestation_format_unsupported");
  });
  it("without a CertificateVerifier, refuses statements with certificates and still verifies packed self attestation", async () => {
    expect(await verify(c, { deps: { certificates: undefined } })).toEqual({ ok: false, error: "x509_unavailable" });
  });
});

describe("packed (§8.2)", () => {
  const c = cases.packedX5cCase();
  it.each([
    ["alg missing", { alg: undefined }],
    ["alg not an integer", { alg: "ES256" }],
    ["sig missing", { sig: undefined }],
    ["sig empty", { sig: new Uint8Array(0) }],
    ["x5c empty", { x5c: [] }],
    ["x5c not an array", { x5c: new Uint8Array(8) }],
    ["x5c too long", { x5c: Array.from({ length: 9 }, () => c.attStmt.x5c) }],
  ])("refuses a statement with %s as statement_malformed", async (_what, change) => {
    const statement = Object.fromEntries(Object.entries({ ...c.attStmt, ...change }).filter(([, value]) => value !== undefined));
    expect(await verify(c, { statement })).toEqual({ ok: false, error: "statement_malformed" });
  });
  it("refuses an x5c entry that is not a certificate", async () => {
    expect(await verify(c, { statement: { ...c.attStmt, x5c: [new Uint8Array(40).fill(4)] } })).toEqual({ ok: false, error: "certificate_unreadable" });
  });
  it("refuses a statement whose alg is not the one that signed (the leaf's key is P-256, alg says RS256)", async () => {
    expect(await verify(c, { statement: { ...c.attStmt, alg: -257 } })).toEqual({ ok: false, error: "signature_invalid" });
  });
});

describe("fido-u2f (§8.6)", () => {
  const c = cases.fidoU2fCase();
  it("refuses more than one certificate", async () => {
    const [leaf] = c.attStmt.x5c as Uint8Array[];
    expect(await verify(c, { statement: { ...c.attStmt, x5c: [leaf, leaf] } })).toEqual({ ok: false, error: "x5c_not_single" });
  });
  it("refuses a non-zero AAGUID", async () => {
    const other = cases.makeCase({ name: "u2f with an AAGUID", fmt: "fido-u2f", expected: "aaguid_not_zero", statement: () => ({}) });
    expect(await verify(other, { statement: c.attStmt })).toEqual({ ok: false, error: "aaguid_not_zero" });
  });
  it("refuses a credential key that is not P-256", async () => {
    const ed = cases.makeCase({ name: "u2f Ed25519", fmt: "fido-u2f", expected: "credential_key_not_p256", algorithm: "EdDSA", aaguid: new Uint8Array(16), statement: () => ({}) });
    expect(await verify(ed, { statement: c.attStmt })).toEqual({ ok: false, error: "credential_key_not_p256" });
  });
  it("refuses a statement without sig", async () => {
    expect(await verify(c, { statement: { x5c: c.attStmt.x5c } })).toEqual({ ok: false, error: "statement_malformed" });
  });
});

describe("tpm (§8.3)", () => {
  const c = cases.tpmCase("RS256");
  it.each([["1.2"], ["2.0 "]])("refuses ver %j", async (ver) => {
    expect(await verify(c, { statement: { ...c.attStmt, ver } })).toEqual({ ok: false, error: "tpm_version_unsupported" });
  });
  it("refuses a statement without ver, certInfo or pubArea", async () => {
    for (const member of ["ver", "certInfo", "pubArea", "sig"]) {
      const statement = Object.fromEntries(Object.entries(c.attStmt).filter(([key]) => key !== member));
      expect(await verify(c, { statement })).toEqual({ ok: false, error: "statement_malformed" });
    }
  });
  it("refuses an alg with no hash (EdDSA) for extraData", async () => {
    expect(await verify(c, { statement: { ...c.attStmt, alg: -8 } })).toEqual({ ok: false, error: "statement_malformed" });
  });
  it("refuses a pubArea or certInfo with a byte more or less", async () => {
    const pubArea = c.attStmt.pubArea as Uint8Array;
    const certInfo = c.attStmt.certInfo as Uint8Array;
    expect(await verify(c, { statement: { ...c.attStmt, pubArea: pubArea.subarray(0, -1) } })).toEqual({ ok: false, error: "pub_area_malformed" });
    expect(await verify(c, { statement: { ...c.attStmt, pubArea: Uint8Array.of(...pubArea, 0) } })).toEqual({ ok: false, error: "pub_area_malformed" });
    expect(await verify(c, { statement: { ...c.attStmt, certInfo: certInfo.subarray(0, -1) } })).toEqual({ ok: false, error: "cert_info_malformed" });
  });
  it("refuses a statement whose x5c is missing", async () => {
    const statement = Object.fromEntries(Object.entries(c.attStmt).filter(([key]) => key !== "x5c"));
    expect(await verify(c, { statement })).toEqual({ ok: false, error: "statement_malformed" });
  });
});

describe("android-key (§8.4)", () => {
  const withDescription = (keyDescription: KeyDescriptionOptions): AttestationCase =>
    cases.makeCase({ name: "android-key", fmt: "android-key", expected: "verified", statement: (context) => androidKeyStatement(context, { keyDescription }) });

  it.each([
    ["origin not GENERATED (imported)", { origin: 2 }, "key_description_origin_invalid"],
    ["purpose VERIFY", { purpose: [3] }, "key_description_purpose_invalid"],
    ["purpose SIGN and DECRYPT (not equal to SIGN)", { purpose: [2, 1] }, "key_description_purpose_invalid"],
    ["no purpose", { purpose: [] }, "key_description_purpose_invalid"],
  ] as const)("refuses a key description with %s", async (_what, keyDescription, expected) => {
    expect(await verify(withDescription(keyDescription))).toEqual({ ok: false, error: expected });
  });

  it("refuses a leaf without the key description extension", async () => {
    const c = cases.androidKeyCase();
    const apple = cases.appleCase();
    // Apple's credential certificate: the credential key (of another case) and no key description.
    const statement = { ...c.attStmt, x5c: apple.attStmt.x5c };
    expect(await verify(c, { statement })).toEqual({ ok: false, error: "signature_invalid" });
  });

  it("refuses a statement without alg, sig or x5c", async () => {
    const c = cases.androidKeyCase();
    for (const member of ["alg", "sig", "x5c"]) {
      const statement = Object.fromEntries(Object.entries(c.attStmt).filter(([key]) => key !== member));
      expect(await verify(c, { statement })).toEqual({ ok: false, error: "statement_malformed" });
    }
  });
});

describe("apple (§8.8)", () => {
  it("refuses a certificate whose key is not the credential key", async () => {
    const c = cases.appleCase();
    const other = cases.appleCase();
    // Another credential's certificate: its nonce is for other data, so the nonce fails first.
    expect(await verify(c, { statement: other.attStmt })).toEqual({ ok: false, error: "apple_nonce_mismatch" });
  });
  it("refuses a statement without x5c", async () => {
    expect(await verify(cases.appleCase(), { statement: {} })).toEqual({ ok: false, error: "statement_malformed" });
  });
});

describe("registrationErrorOf", () => {
  it.each([
    ["statement_malformed", "attestation_statement_invalid"],
    ["format_unknown", "attestation_statement_invalid"],
    ["cert_info_name_mismatch", "attestation_statement_invalid"],
    ["certificate_is_ca", "attestation_certificate_invalid"],
    ["apple_nonce_mismatch", "attestation_certificate_invalid"],
    ["signature_invalid", "attestation_signature_invalid"],
    ["format_deprecated", "attestation_format_unsupported"],
    ["x509_unavailable", "attestation_format_unsupported"],
  ] as const)("%s is %s", (failure: AttestationFailure, error) => {
    expect(registrationErrorOf(failure)).toBe(error);
  });
});

export type { PathFailure };
