/**
 * The real attestation vectors are what vectors.ts says they are, checked with node:crypto alone (not
 * with keyport's verifiers): the client data and RP ID match, every certificate is valid at `verifyAt`,
 * each link of x5c is signed by the next, the named anchors sign the chain's end, and the statement's
 * signature (or apple's nonce, or tpm's extraData) verifies over the vector's own bytes.
 */
import { constants, createHash, verify, X509Certificate, type KeyObject } from "node:crypto";
import { decodeCBORToNativeValueNoLeftoverBytes } from "@oslojs/cbor";
import { describe, expect, it } from "vitest";
import { credentialKeyOf } from "./cose-key.js";
import { credentialIdOf, hashOfCose, uncompressedPoint } from "./statements.js";
import { ATTESTATION_ROOTS, ATTESTATION_VECTORS, type AttestationVector } from "./vectors.js";

interface Decoded {
  fmt: string;
  attStmt: Record<string, unknown>;
  authData: Uint8Array;
}

const decode = (v: AttestationVector): Decoded => decodeCBORToNativeValueNoLeftoverBytes(Buffer.from(v.attestationObject, "base64url"), 8) as Decoded;
const sha = (hash: string, data: Uint8Array): Buffer => createHash(hash).update(data).digest();
const concat = (...parts: Uint8Array[]): Buffer => Buffer.concat(parts);
const x5cOf = (attStmt: Record<string, unknown>): X509Certificate[] => ((attStmt.x5c as Uint8Array[] | undefined) ?? []).map((der) => new X509Certificate(der));

/** COSE alg → node:crypto verify: the hash and, for PS*, PSS padding. */
function verifies(alg: number, key: KeyObject, data: Uint8Array, signature: Uint8Array): boolean {
  const pss = alg === -37 || alg === -38 || alg === -39;
  const rsa = key.asymmetricKeyType === "rsa";
  const keyInput = rsa ? { key, padding: pss ? constants.RSA_PKCS1_PSS_PADDING : constants.RSA_PKCS1_PADDING, ...(pss ? { saltLength: constants.RSA_PSS_SALTLEN_DIGEST } : {}) } : key;
  return verify(hashOfCose(alg), data, keyInput, signature);
}

describe("real attestation vectors", () => {
  it("have unique names and cover every format", () => {
    expect(new Set(ATTESTATION_VECTORS.map((v) => v.name)).size).toBe(ATTESTATION_VECTORS.length);
    expect(new Set(ATTESTATION_VECTORS.map((v) => v.format))).toEqual(new Set(["packed", "fido-u2f", "tpm", "android-key", "apple", "none", "android-safetynet"]));
  });

  it.each(ATTESTATION_VECTORS.map((v) => [v.name, v] as const))("%s: client data, RP ID and format", (_name, v) => {
    const decoded = decode(v);
    expect(decoded.fmt).toBe(v.format);
    expect(Buffer.from(decoded.authData.subarray(0, 32)).equals(sha("sha256", new TextEncoder().encode(v.rpId)))).toBe(true);
    const clientData = JSON.parse(Buffer.from(v.clientDataJSON, "base64url").toString("utf8")) as Record<string, unknown>;
    expect(clientData).toMatchObject({ type: "webauthn.create", challenge: v.expectedChallenge, origin: v.expectedOrigin });
    expect(Number.isNaN(Date.parse(v.verifyAt))).toBe(false);
    if (v.format === "none") expect(decoded.attStmt).toEqual({});
  });

  it.each(ATTESTATION_VECTORS.filter((v) => decode(v).attStmt.x5c !== undefined).map((v) => [v.name, v] as const))(
    "%s: the chain is valid at verifyAt and ends at its anchors",
    (_name, v) => {
      const chain = x5cOf(decode(v).attStmt);
      const at = Date.parse(v.verifyAt);
      const anchors = v.trustAnchors.map((name) => new X509Certificate(Buffer.from(ATTESTATION_ROOTS[name].der, "base64")));
      for (const certificate of [...chain, ...anchors]) {
        expect(Date.parse(certificate.validFrom) <= at && at <= Date.parse(certificate.validTo), certificate.subject).toBe(true);
      }
      for (let i = 0; i + 1 < chain.length; i++) expect(chain[i]!.verify(chain[i + 1]!.publicKey), `link ${i}`).toBe(true);
      const last = chain[chain.length - 1]!;
      for (const anchor of anchors) expect(last.raw.equals(anchor.raw) || last.verify(anchor.publicKey)).toBe(true);
    },
  );

  it.each(ATTESTATION_VECTORS.filter((v) => v.format !== "none" && v.format !== "android-safetynet").map((v) => [v.name, v] as const))(
    "%s: the statement is bound to this authData and client data",
    (_name, v) => {
      const { attStmt, authData } = decode(v);
      const clientDataHash = sha("sha256", Buffer.from(v.clientDataJSON, "base64url"));
      const signed = concat(authData, clientDataHash);
      const [leaf] = x5cOf(attStmt);
      const alg = attStmt.alg as number;
      switch (v.format) {
        case "packed":
          expect(verifies(alg, leaf?.publicKey ?? credentialKeyOf(authData), signed, attStmt.sig as Uint8Array)).toBe(true);
          break;
        case "android-key":
          expect(verifies(alg, leaf!.publicKey, signed, attStmt.sig as Uint8Array)).toBe(true);
          expect(leaf!.publicKey.export({ format: "der", type: "spki" }).equals(credentialKeyOf(authData).export({ format: "der", type: "spki" }))).toBe(true);
          break;
        case "fido-u2f": {
          const message = concat(Uint8Array.of(0), authData.subarray(0, 32), clientDataHash, credentialIdOf(authData), uncompressedPoint(credentialKeyOf(authData)));
          expect(verify("sha256", message, leaf!.publicKey, attStmt.sig as Uint8Array)).toBe(true);
          break;
        }
        case "tpm": {
          const certInfo = attStmt.certInfo as Uint8Array;
          expect(verifies(alg, leaf!.publicKey, certInfo, attStmt.sig as Uint8Array)).toBe(true);
          // extraData (after magic, type and qualifiedSigner) is the hash of authData ‖ clientDataHash under alg's hash.
          const view = Buffer.from(certInfo);
          const signerSize = view.readUInt16BE(6);
          const extraSize = view.readUInt16BE(8 + signerSize);
          const extraData = view.subarray(10 + signerSize, 10 + signerSize + extraSize);
          expect(view.readUInt32BE(0)).toBe(0xff544347);
          expect(extraData.equals(sha(hashOfCose(alg) ?? "sha256", signed))).toBe(true);
          break;
        }
        case "apple":
          expect(leaf!.raw.includes(sha("sha256", signed))).toBe(true);
          break;
      }
    },
  );

  it("the AAGUID-mismatch vectors really disagree with authData, and their twins agree", () => {
    for (const v of ATTESTATION_VECTORS.filter((x) => /aaguid-(match|mismatch)/.test(x.name))) {
      const { attStmt, authData } = decode(v);
      const extension = concat(Uint8Array.of(0x04, 0x10), authData.subarray(37, 53));
      expect(x5cOf(attStmt)[0]!.raw.includes(extension), v.name).toBe(v.expected.outcome === "verified");
    }
  });

  it("the roots are the published certificates", () => {
    const fingerprints = Object.fromEntries(Object.entries(ATTESTATION_ROOTS).map(([name, root]) => [name, new X509Certificate(Buffer.from(root.der, "base64")).subject]));
    expect(fingerprints).toEqual({
      APPLE_WEBAUTHN_ROOT_CA: "CN=Apple WebAuthn Root CA\nO=Apple Inc.\nST=California",
      GOOGLE_HARDWARE_ATTESTATION_ROOT_1: "serialNumber=f92009e853b6b045",
      GOOGLE_HARDWARE_ATTESTATION_ROOT_2: "serialNumber=f92009e853b6b045",
      YUBICO_U2F_ROOT_CA_457200631: "CN=Yubico U2F Root CA Serial 457200631",
    });
    const yubico = new X509Certificate(Buffer.from(ATTESTATION_ROOTS.YUBICO_U2F_ROOT_CA_457200631.der, "base64"));
    expect(yubico.fingerprint256).toBe("0F:A1:38:6F:80:EB:87:13:26:3A:E5:C1:D8:4D:EB:45:5B:DF:08:AE:A5:0A:B0:55:03:CE:FE:E8:2B:09:2D:42");
  });
});
