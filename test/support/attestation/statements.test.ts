/**
 * The generated attestation statements are what they claim, checked with node:crypto and an independent
 * CBOR/WebAuthn parser, never with the verifiers under test: each parses, its signature verifies (or,
 * for the bad-signature cases, does not), its certificates chain to the test CA and say what the case
 * says they say.
 */
import { constants, createHash, verify, X509Certificate } from "node:crypto";
import { decodeCBORToNativeValueNoLeftoverBytes } from "@oslojs/cbor";
import { describe, expect, it } from "vitest";
import type { PublicKeyCredentialCreationOptionsJSON } from "../../../src/domain/encoding/webauthn-json.js";
import { AT } from "../certificates/index.js";
import { b64url, fromB64url, SoftwareAuthenticator, type AttestationMode } from "../software-authenticator.js";
import { allAttestationCases, CASE_AAGUID, type AttestationCase } from "./cases.js";
import { credentialKeyOf } from "./cose-key.js";
import { attestationCa, attestationTrustAnchor, COSE_RS1, credentialIdOf, hashOfCose, uncompressedPoint } from "./statements.js";
import { TPM_GENERATED_VALUE, TPM_ST_ATTEST_CERTIFY, tpmName } from "./tpm.js";

const cases = allAttestationCases();

function x5cOf(attStmt: Record<string, unknown>): X509Certificate[] {
  return ((attStmt.x5c as Uint8Array[] | undefined) ?? []).map((der) => new X509Certificate(der));
}

const contains = (haystack: Uint8Array, needle: Uint8Array): boolean => Buffer.from(haystack).indexOf(Buffer.from(needle)) >= 0;
const sha = (hash: string, data: Uint8Array): Uint8Array => new Uint8Array(createHash(hash).update(data).digest());
const concat = (...parts: Uint8Array[]): Uint8Array => new Uint8Array(Buffer.concat(parts));

/** Reads certInfo's fields by hand (TPMS_ATTEST). */
function readCertInfo(certInfo: Uint8Array) {
  const view = Buffer.from(certInfo);
  let offset = 0;
  const u16 = () => view.readUInt16BE((offset += 2) - 2);
  const tpm2b = () => {
    const size = u16();
    return new Uint8Array(view.subarray(offset, (offset += size)));
  };
  const magic = view.readUInt32BE(0);
  offset = 4;
  const type = u16();
  tpm2b(); // qualifiedSigner
  const extraData = tpm2b();
  offset += 17 + 8; // clockInfo, firmwareVersion
  const name = tpm2b();
  tpm2b(); // qualifiedName
  return { magic, type, extraData, name, consumed: offset === certInfo.length };
}

function signatureVerifies(c: AttestationCase): boolean {
  const stmt = c.attStmt;
  const [leaf] = x5cOf(stmt);
  const signedData = concat(c.authData, c.clientDataHash);
  switch (c.fmt) {
    case "packed":
    case "android-key":
      return verify(hashOfCose(stmt.alg as number), signedData, leaf!.publicKey, stmt.sig as Uint8Array);
    case "fido-u2f": {
      const message = concat(Uint8Array.of(0), c.authData.slice(0, 32), c.clientDataHash, credentialIdOf(c.authData), uncompressedPoint(credentialKeyOf(c.authData)));
      return verify("sha256", message, leaf!.publicKey, stmt.sig as Uint8Array);
    }
    case "tpm":
      return verify(hashOfCose(stmt.alg as number), stmt.certInfo as Uint8Array, { key: leaf!.publicKey, padding: constants.RSA_PKCS1_PADDING }, stmt.sig as Uint8Array);
    default:
      return true; // apple has no signature: its nonce is checked below
  }
}

describe("generated attestation cases", () => {
  it("are all different and encode {fmt, attStmt, authData} as CBOR", () => {
    expect(new Set(cases.map((c) => c.name)).size).toBe(cases.length);
    for (const c of cases) {
      const decoded = decodeCBORToNativeValueNoLeftoverBytes(c.attestationObject, 8) as Record<string, unknown>;
      expect(decoded.fmt, c.name).toBe(c.fmt);
      expect(decoded.authData, c.name).toEqual(c.authData);
      expect(Object.keys(decoded.attStmt as object).sort(), c.name).toEqual(Object.keys(c.attStmt).sort());
      expect(sha(`sha256`, c.clientDataJSON)).toEqual(c.clientDataHash);
      expect(JSON.parse(new TextDecoder().decode(c.clientDataJSON))).toMatchObject({ type: "webauthn.create", challenge: c.challenge, origin: c.origin });
      expect(c.authData.slice(0, 32)).toEqual(sha("sha256", new TextEncoder().encode(c.rpId)));
      expect(c.at).toBe(AT);
    }
  });

  it.each(cases.map((c) => [c.name, c] as const))("%s: the signature verifies exactly when it should", (_name, c) => {
    expect(signatureVerifies(c)).toBe(c.expected !== "signature_invalid");
  });

  it.each(cases.map((c) => [c.name, c] as const))("%s: the chain is what the case says", (_name, c) => {
    const chain = x5cOf(c.attStmt);
    expect(chain.length).toBeGreaterThan(0);
    for (let i = 0; i + 1 < chain.length; i++) expect(chain[i]!.verify(chain[i + 1]!.publicKey)).toBe(true);
    const last = chain[chain.length - 1]!;
    const anchor = new X509Certificate(c.anchors[0]!.der);
    const chainsToAnchor = last.verify(anchor.publicKey) || last.raw.equals(anchor.raw);
    expect(chainsToAnchor).toBe(c.expected !== "no_trust_anchor");
    const validAt = (cert: X509Certificate) => Date.parse(cert.validFrom) <= c.at && c.at <= Date.parse(cert.validTo);
    expect(chain.every(validAt)).toBe(c.expected !== "certificate_expired");
  });

  it("breaks the packed certificate requirements one at a time", () => {
    const leafOf = (name: string) => x5cOf(cases.find((c) => c.name === name)!.attStmt)[0]!;
    const good = leafOf("packed x5c");
    expect(good.subject).toContain("OU=Authenticator Attestation");
    expect(good.ca).toBe(false);
    expect(contains(good.raw, Uint8Array.of(0x04, 0x12, 0x04, 0x10, ...CASE_AAGUID))).toBe(true);
    expect(good.raw.subarray(0, 16).includes(0xa0)).toBe(true); // [0] EXPLICIT version present: v3
    expect(leafOf("packed leaf v1").raw.subarray(4, 12).includes(0xa0)).toBe(false);
    expect(leafOf("packed leaf without OU").subject).not.toContain("OU=");
    expect(leafOf("packed leaf with the wrong OU").subject).toContain("OU=Authenticator\n");
    expect(leafOf("packed leaf is a CA").ca).toBe(true);
    // critical AAGUID extension: OID, BOOLEAN TRUE, then the OCTET STRING.
    const oidAaguid = Uint8Array.of(0x06, 0x0b, 0x2b, 0x06, 0x01, 0x04, 0x01, 0x82, 0xe5, 0x1c, 0x01, 0x01, 0x04);
    expect(contains(leafOf("packed AAGUID extension critical").raw, concat(oidAaguid, Uint8Array.of(0x01, 0x01, 0xff)))).toBe(true);
    expect(contains(good.raw, concat(oidAaguid, Uint8Array.of(0x01, 0x01, 0xff)))).toBe(false);
    expect(contains(leafOf("packed AAGUID extension mismatch").raw, CASE_AAGUID)).toBe(false);
  });

  it("builds TPM structures that agree with each other unless a case breaks one", () => {
    for (const c of cases.filter((x) => x.fmt === "tpm")) {
      const stmt = c.attStmt;
      expect(stmt.ver).toBe("2.0");
      const info = readCertInfo(stmt.certInfo as Uint8Array);
      expect(info.consumed, c.name).toBe(true);
      expect(info.magic === TPM_GENERATED_VALUE, c.name).toBe(c.expected !== "cert_info_magic_invalid");
      expect(info.type === TPM_ST_ATTEST_CERTIFY, c.name).toBe(c.expected !== "cert_info_type_invalid");
      const hash = stmt.alg === COSE_RS1 ? "sha1" : "sha256";
      expect(Buffer.from(info.extraData).equals(Buffer.from(sha(hash, concat(c.authData, c.clientDataHash)))), c.name).toBe(c.expected !== "cert_info_extra_data_mismatch");
      expect(Buffer.from(info.name).equals(Buffer.from(tpmName(stmt.pubArea as Uint8Array))), c.name).toBe(c.expected !== "cert_info_name_mismatch");
      // pubArea's unique field is the credential's modulus (RSA) or x (ECC).
      const jwk = credentialKeyOf(c.authData).export({ format: "jwk" });
      const unique = Buffer.from((jwk.n ?? jwk.x) as string, "base64url");
      expect(contains(stmt.pubArea as Uint8Array, unique), c.name).toBe(c.expected !== "pub_area_key_mismatch");
      const aik = x5cOf(stmt)[0]!;
      expect(aik.subject ?? "", c.name).toBe(c.expected === "certificate_subject_not_empty" ? "CN=Not Empty" : "");
      expect(aik.subjectAltName === undefined, c.name).toBe(c.expected === "tpm_subject_alt_name_invalid");
      expect(contains(aik.raw, Uint8Array.of(0x06, 0x05, 0x67, 0x81, 0x05, 0x08, 0x03)), c.name).toBe(c.expected !== "tpm_extended_key_usage_invalid");
    }
  });

  it("puts the TPM manufacturer, model and version in a critical directoryName subjectAltName", () => {
    const aik = x5cOf(cases.find((c) => c.name === "tpm RS256")!.attStmt)[0]!;
    // openssl prints the attributes as OID=#hex of the DER UTF8String: "id:FFFFF1D0", "NPCT6xx", "id:13".
    expect(aik.subjectAltName).toContain("2.23.133.2.1=#0C0B69643A4646464646314430");
    expect(aik.subjectAltName).toContain("2.23.133.2.2=#0C074E504354367878");
    expect(aik.subjectAltName).toContain("2.23.133.2.3=#0C0569643A3133");
    // subjectAltName OID, then BOOLEAN TRUE (critical).
    expect(contains(aik.raw, Uint8Array.of(0x06, 0x03, 0x55, 0x1d, 0x11, 0x01, 0x01, 0xff))).toBe(true);
  });

  it("binds android-key and apple certificates to the credential and the client data", () => {
    for (const c of cases.filter((x) => x.fmt === "android-key" || x.fmt === "apple")) {
      const leaf = x5cOf(c.attStmt)[0]!;
      const sameKey = leaf.publicKey.export({ format: "der", type: "spki" }).equals(credentialKeyOf(c.authData).export({ format: "der", type: "spki" }));
      expect(sameKey, c.name).toBe(c.expected !== "certificate_key_mismatch");
      if (c.fmt === "apple") {
        const nonce = sha("sha256", concat(c.authData, c.clientDataHash));
        expect(contains(leaf.raw, nonce), c.name).toBe(c.expected === "verified");
      } else {
        expect(contains(leaf.raw, c.clientDataHash), c.name).toBe(c.expected !== "key_description_challenge_mismatch");
        // allApplications [600] EXPLICIT NULL: BF 84 58 02 05 00.
        expect(contains(leaf.raw, Uint8Array.of(0xbf, 0x84, 0x58, 0x02, 0x05, 0x00)), c.name).toBe(c.expected === "key_description_all_applications");
      }
    }
  });

  it("makes the fido-u2f certificate P-256 unless the case says otherwise", () => {
    for (const c of cases.filter((x) => x.fmt === "fido-u2f")) {
      const curve = x5cOf(c.attStmt)[0]!.publicKey.asymmetricKeyDetails?.namedCurve;
      expect(curve === "prime256v1", c.name).toBe(c.expected !== "certificate_key_not_p256");
      expect(c.authData.slice(37, 53)).toEqual(new Uint8Array(16));
    }
  });
});

describe("SoftwareAuthenticator with a test CA", () => {
  const options: PublicKeyCredentialCreationOptionsJSON = {
    rp: { id: "example.com", name: "Example" },
    user: { id: b64url(new TextEncoder().encode("user-1")), name: "alice", displayName: "Alice" },
    challenge: b64url(new TextEncoder().encode("registration-challenge-0123456789")),
    pubKeyCredParams: [{ type: "public-key", alg: -7 }],
    timeout: 60_000,
    excludeCredentials: [],
    authenticatorSelection: { residentKey: "required", requireResidentKey: true, userVerification: "required" },
    attestation: "direct",
    extensions: { credProps: true },
  };
  const modes: [AttestationMode, string, "ES256" | "RS256"][] = [
    ["packed-x5c", "packed", "ES256"],
    ["fido-u2f", "fido-u2f", "ES256"],
    ["tpm", "tpm", "RS256"],
    ["tpm", "tpm", "ES256"],
    ["android-key", "android-key", "ES256"],
    ["apple", "apple", "ES256"],
  ];

  it.each(modes)("%s (%s, %s) sends a statement that verifies and chains to the test root", (mode, fmt, algorithm) => {
    const aaguid = mode === "fido-u2f" ? new Uint8Array(16) : CASE_AAGUID;
    const authenticator = new SoftwareAuthenticator({ attestation: mode, aaguid });
    const reg = authenticator.createCredential(options, { origin: "https://example.com", algorithm });
    const decoded = decodeCBORToNativeValueNoLeftoverBytes(fromB64url(reg.response.attestationObject), 8) as { fmt: string; attStmt: Record<string, unknown>; authData: Uint8Array };
    expect(decoded.fmt).toBe(fmt);
    const clientDataJSON = fromB64url(reg.response.clientDataJSON);
    const c = { name: mode, fmt, expected: "verified", attStmt: decoded.attStmt, authData: decoded.authData, clientDataHash: sha("sha256", clientDataJSON) } as unknown as AttestationCase;
    expect(signatureVerifies(c)).toBe(true);
    const chain = x5cOf(decoded.attStmt);
    if (mode !== "fido-u2f") expect(chain[chain.length - 1]!.raw.equals(Buffer.from(attestationCa().der))).toBe(true);
    expect(chain[chain.length - 1]!.verify(new X509Certificate(attestationTrustAnchor().der).publicKey)).toBe(true);
    if (mode === "apple") expect(contains(chain[0]!.raw, sha("sha256", concat(decoded.authData, c.clientDataHash)))).toBe(true);

    const broken = authenticator.createCredential(options, { origin: "https://example.com", algorithm, tamper: { badAttestationSignature: true } });
    const brokenDecoded = decodeCBORToNativeValueNoLeftoverBytes(fromB64url(broken.response.attestationObject), 8) as { attStmt: Record<string, unknown>; authData: Uint8Array };
    const brokenCase = { ...c, attStmt: brokenDecoded.attStmt, authData: brokenDecoded.authData, clientDataHash: sha("sha256", fromB64url(broken.response.clientDataJSON)) };
    expect(signatureVerifies(brokenCase)).toBe(mode === "apple");
  });

  it("keeps tamper.format and tamper.attStmt in charge", () => {
    const authenticator = new SoftwareAuthenticator({ attestation: "tpm" });
    const none = authenticator.createCredential(options, { origin: "https://example.com", tamper: { format: "none", attStmt: {} } });
    expect(decodeCBORToNativeValueNoLeftoverBytes(fromB64url(none.response.attestationObject), 8)).toMatchObject({ fmt: "none", attStmt: {} });
    const junk = authenticator.createCredential(options, { origin: "https://example.com", tamper: { format: "fido-u2f" } });
    expect(decodeCBORToNativeValueNoLeftoverBytes(fromB64url(junk.response.attestationObject), 8)).toMatchObject({ fmt: "fido-u2f" });
  });
});
