/**
 * The CertificateVerifier contract (src/ports/certificate-verifier.ts), as a suite any adapter can run:
 *
 *   describeCertificateVerifierContract("NodeCryptoCertificateVerifier", async () => ({ verifier }));
 *
 * Certificates come from the openssl CLI (test/support/certificates), so every fact the verifier reads
 * is checked against what openssl was asked to write, and every negative case is a certificate openssl
 * made, not bytes patched by hand (except a flipped signature bit and mutations).
 */
import { constants, createPublicKey, sign as nodeSign, type KeyObject } from "node:crypto";
import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import type { Certificate, CertificateVerifier } from "../../src/ports/certificate-verifier.js";
import {
  aaguidExtension,
  AT,
  DEFAULT_NOT_AFTER,
  DEFAULT_NOT_BEFORE,
  makeCertificate,
  rawExtension,
  testPki,
  withBrokenSignature,
  type TestCertificate,
  type TestKeyType,
} from "../support/certificates/index.js";
import { useFixture } from "./fixture.js";

export interface CertificateVerifierFixture {
  readonly verifier: CertificateVerifier;
  readonly cleanup?: () => Promise<void>;
}

export type CertificateVerifierFactory = () => Promise<CertificateVerifierFixture>;

const MESSAGE = new TextEncoder().encode("authenticatorData ‖ clientDataHash");
const AAGUID = Uint8Array.from({ length: 16 }, (_, index) => 0xa0 + index);
const YEAR_MS = 365 * 24 * 60 * 60 * 1000;

/** COSE algorithm, the key type its certificate needs, and how node:crypto signs for it. */
const SIGNING: readonly { readonly name: string; readonly alg: number; readonly key: TestKeyType; sign(key: KeyObject, data: Uint8Array): Uint8Array }[] = [
  { name: "ES256", alg: -7, key: "P-256", sign: (key, data) => nodeSign("sha256", data, key) },
  { name: "ES384", alg: -35, key: "P-384", sign: (key, data) => nodeSign("sha384", data, key) },
  { name: "ES512", alg: -36, key: "P-521", sign: (key, data) => nodeSign("sha512", data, key) },
  { name: "RS256", alg: -257, key: "RSA-2048", sign: (key, data) => nodeSign("sha256", data, key) },
  { name: "RS384", alg: -258, key: "RSA-2048", sign: (key, data) => nodeSign("sha384", data, key) },
  { name: "RS512", alg: -259, key: "RSA-2048", sign: (key, data) => nodeSign("sha512", data, key) },
  { name: "RS1", alg: -65535, key: "RSA-2048", sign: (key, data) => nodeSign("sha1", data, key) },
  { name: "PS256", alg: -37, key: "RSA-2048", sign: (key, data) => nodeSign("sha256", data, { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 }) },
  { name: "EdDSA", alg: -8, key: "Ed25519", sign: (key, data) => nodeSign(null, data, key) },
];

function flipBit(bytes: Uint8Array, index = bytes.length >> 1): Uint8Array {
  const copy = Uint8Array.from(bytes);
  copy[index]! ^= 0x01;
  return copy;
}

export function describeCertificateVerifierContract(name: string, factory: CertificateVerifierFactory): void {
  describe(`CertificateVerifier contract: ${name}`, () => {
    const fixture = useFixture(factory);
    const verifier = (): CertificateVerifier => fixture().verifier;
    /** Parses, failing the test when the verifier does not take a certificate openssl made. */
    const read = (certificate: TestCertificate | Uint8Array): Certificate => {
      const parsed = verifier().parse(certificate instanceof Uint8Array ? certificate : certificate.der);
      if (parsed === null) throw new Error("the verifier refused a certificate openssl made");
      return parsed;
    };
    const path = (chain: readonly (TestCertificate | Uint8Array)[], anchors: readonly TestCertificate[], at = AT) =>
      verifier().validatePath(chain.map(read), anchors.map(read), at);

    let pki: ReturnType<typeof testPki>;
    beforeAll(() => {
      pki = testPki();
    });

    describe("parse", () => {
      it("reads a v3 leaf: version, names by OID in order, validity, basicConstraints, public key", () => {
        const certificate = read(pki.leaf);
        expect(certificate.der).toEqual(pki.leaf.der);
        expect(certificate.version).toBe(3);
        expect(certificate.subject).toEqual([
          { type: "2.5.4.6", value: "SE" },
          { type: "2.5.4.10", value: "Keyport Test" },
          { type: "2.5.4.11", value: "Authenticator Attestation" },
          { type: "2.5.4.3", value: "Keyport Test Leaf" },
        ]);
        expect(certificate.issuer).toEqual([
          { type: "2.5.4.6", value: "SE" },
          { type: "2.5.4.10", value: "Keyport Test" },
          { type: "2.5.4.3", value: "Keyport Test Intermediate" },
        ]);
        expect(certificate.notBefore).toBe(DEFAULT_NOT_BEFORE.getTime());
        expect(certificate.notAfter).toBe(DEFAULT_NOT_AFTER.getTime());
        expect(certificate.basicConstraintsCA).toBe(false);
        const jwk = pki.leaf.publicKey.export({ format: "jwk" });
        expect(certificate.publicKey).toEqual({ kty: "EC", crv: "P-256", x: jwk.x, y: jwk.y });
      });

      it("does not keep the caller's buffer: changing it afterwards changes nothing", () => {
        const bytes = Uint8Array.from(pki.leaf.der);
        const certificate = read(bytes);
        bytes.fill(0);
        expect(certificate.der).toEqual(pki.leaf.der);
      });

      it("reads a CA's basicConstraints as critical with cA true, and its value as the DER inside extnValue", () => {
        const certificate = read(pki.root);
        expect(certificate.basicConstraintsCA).toBe(true);
        const basicConstraints = certificate.extensions.find((extension) => extension.oid === "2.5.29.19");
        expect(basicConstraints?.critical).toBe(true);
        // SEQUENCE { BOOLEAN TRUE }
        expect(basicConstraints?.value).toEqual(Uint8Array.of(0x30, 0x03, 0x01, 0x01, 0xff));
        expect(certificate.subject).toEqual(certificate.issuer);
      });

      it("reports basicConstraints as null when the certificate has none", () => {
        const certificate = read(makeCertificate({ subject: "/CN=No Constraints", issuer: pki.intermediate }));
        expect(certificate.basicConstraintsCA).toBeNull();
        expect(certificate.extensions.some((extension) => extension.oid === "2.5.29.19")).toBe(false);
      });

      it("reads every extension with its critical flag, in order", () => {
        const certificate = read(
          makeCertificate({
            subject: "/CN=Extensions",
            issuer: pki.intermediate,
            ca: false,
            extensions: [aaguidExtension(AAGUID), rawExtension("1.3.6.1.4.1.99999.1", Uint8Array.of(0x05, 0x00), true)],
          }),
        );
        // openssl adds the key identifiers (2.5.29.14, 2.5.29.35) by itself.
        const asked = certificate.extensions.filter((extension) => extension.oid !== "2.5.29.14" && extension.oid !== "2.5.29.35");
        expect(asked.map(({ oid, critical }) => ({ oid, critical }))).toEqual([
          { oid: "2.5.29.19", critical: false },
          { oid: "1.3.6.1.4.1.45724.1.1.4", critical: false },
          { oid: "1.3.6.1.4.1.99999.1", critical: true },
        ]);
        expect(asked[1]?.value).toEqual(Uint8Array.of(0x04, 0x10, ...AAGUID));
        expect(asked[2]?.value).toEqual(Uint8Array.of(0x05, 0x00));
      });

      it("reads an X.509 v1 certificate: version 1, no extensions", () => {
        const certificate = read(makeCertificate({ subject: "/CN=Version One", issuer: pki.root, version: 1 }));
        expect(certificate.version).toBe(1);
        expect(certificate.extensions).toEqual([]);
        expect(certificate.basicConstraintsCA).toBeNull();
      });

      it("reads UTF-8 names, an empty subject, and GeneralizedTime after 2049", () => {
        const utf8 = read(makeCertificate({ subject: "/O=Åström & Øre/CN=名前", issuer: pki.root, notAfter: new Date("2061-02-03T04:05:06Z") }));
        expect(utf8.subject).toEqual([
          { type: "2.5.4.10", value: "Åström & Øre" },
          { type: "2.5.4.3", value: "名前" },
        ]);
        expect(utf8.notAfter).toBe(Date.UTC(2061, 1, 3, 4, 5, 6));
        const empty = read(makeCertificate({ subject: "", issuer: pki.root, ca: false, extensions: ["subjectAltName = critical, DNS:aik.example"] }));
        expect(empty.subject).toEqual([]);
        expect(empty.extensions.find((extension) => extension.oid === "2.5.29.17")?.critical).toBe(true);
      });

      it.each(["P-256", "P-384", "P-521", "RSA-2048", "Ed25519"] as const)("reads a %s public key as JWK members", (key) => {
        const made = makeCertificate({ subject: `/CN=${key} key`, key, issuer: pki.root, ca: false });
        const jwk = made.publicKey.export({ format: "jwk" });
        const expected =
          jwk.kty === "EC" ? { kty: "EC", crv: jwk.crv, x: jwk.x, y: jwk.y } : jwk.kty === "RSA" ? { kty: "RSA", n: jwk.n, e: jwk.e } : { kty: "OKP", crv: "Ed25519", x: jwk.x };
        expect(read(made).publicKey).toEqual(expected);
        // The members import back to the same key.
        expect(createPublicKey({ key: { ...read(made).publicKey }, format: "jwk" }).equals(made.publicKey)).toBe(true);
      });

      it("parses a certificate whose signature is broken: parsing judges no signature", () => {
        expect(verifier().parse(withBrokenSignature(pki.leaf.der))).not.toBeNull();
      });

      it("answers null, never throwing, for anything that is not one DER certificate", () => {
        const der = pki.leaf.der;
        for (const garbage of [
          new Uint8Array(0),
          Uint8Array.of(0x30),
          Uint8Array.of(0x30, 0x00),
          Uint8Array.of(0x30, 0x80, 0x00, 0x00),
          der.subarray(0, der.length - 1),
          der.subarray(0, 100),
          Uint8Array.of(...der, 0x00),
          Uint8Array.of(...der, ...der),
          new TextEncoder().encode(pki.leaf.pem),
          Uint8Array.of(0x31, ...der.subarray(1)),
          new Uint8Array(der.length).fill(0x30),
        ]) {
          expect(verifier().parse(garbage)).toBeNull();
        }
      });

      it("never throws on mutated certificates, and whatever it accepts is a whole certificate", () => {
        const der = pki.leaf.der;
        fc.assert(
          fc.property(fc.integer({ min: 0, max: der.length - 1 }), fc.integer({ min: 0, max: 255 }), (index, byte) => {
            const mutated = Uint8Array.from(der);
            mutated[index] = byte;
            const certificate = verifier().parse(mutated);
            if (certificate !== null) {
              expect(certificate.der).toEqual(mutated);
              expect(typeof certificate.notBefore).toBe("number");
            }
          }),
          { numRuns: 300 },
        );
      });
    });

    describe("verifySignature", () => {
      describe.each(SIGNING)("$name", ({ alg, key, sign }) => {
        let made: TestCertificate;
        beforeAll(() => {
          made = makeCertificate({ subject: `/CN=${key} signer`, key, issuer: pki.root, ca: false });
        });

        it("accepts a signature by the certificate's key", async () => {
          expect(await verifier().verifySignature(read(made), alg, sign(made.privateKey, MESSAGE), MESSAGE)).toBe(true);
        });

        it("refuses other data, a flipped bit, another key, and mangled signatures, as false", async () => {
          const certificate = read(made);
          const signature = sign(made.privateKey, MESSAGE);
          expect(await verifier().verifySignature(certificate, alg, signature, flipBit(MESSAGE))).toBe(false);
          expect(await verifier().verifySignature(certificate, alg, flipBit(signature), MESSAGE)).toBe(false);
          const other = makeCertificate({ subject: `/CN=${key} other signer`, key, issuer: pki.root, ca: false });
          expect(await verifier().verifySignature(certificate, alg, sign(other.privateKey, MESSAGE), MESSAGE)).toBe(false);
          for (const mangled of [new Uint8Array(0), signature.subarray(1), Uint8Array.of(...signature, 0), new Uint8Array(signature.length)]) {
            expect(await verifier().verifySignature(certificate, alg, mangled, MESSAGE)).toBe(false);
          }
        });
      });

      it("refuses a signature under an algorithm the key is not for", async () => {
        const ec = makeCertificate({ subject: "/CN=P-256 key", key: "P-256", issuer: pki.root, ca: false });
        const signature = nodeSign("sha384", MESSAGE, ec.privateKey);
        // ES384 names P-384; RS256 and EdDSA name other key types.
        expect(await verifier().verifySignature(read(ec), -35, signature, MESSAGE)).toBe(false);
        expect(await verifier().verifySignature(read(ec), -257, nodeSign("sha256", MESSAGE, ec.privateKey), MESSAGE)).toBe(false);
        expect(await verifier().verifySignature(read(ec), -8, nodeSign("sha256", MESSAGE, ec.privateKey), MESSAGE)).toBe(false);
      });

      it("refuses unknown algorithms and ECDSA signatures that are not DER", async () => {
        const ec = makeCertificate({ subject: "/CN=P-256 key", key: "P-256", issuer: pki.root, ca: false });
        const der = nodeSign("sha256", MESSAGE, ec.privateKey);
        const p1363 = nodeSign("sha256", MESSAGE, { key: ec.privateKey, dsaEncoding: "ieee-p1363" });
        expect(await verifier().verifySignature(read(ec), -7, der, MESSAGE)).toBe(true);
        expect(await verifier().verifySignature(read(ec), -7, p1363, MESSAGE)).toBe(false);
        for (const alg of [0, -6, -9, 1, -260, Number.NaN]) {
          expect(await verifier().verifySignature(read(ec), alg, der, MESSAGE)).toBe(false);
        }
      });
    });

    describe("validatePath", () => {
      it("trusts leaf → intermediate up to a root anchor, with or without the root in the chain", async () => {
        expect(await path([pki.leaf, pki.intermediate], [pki.root])).toBe("trusted");
        expect(await path([pki.leaf, pki.intermediate, pki.root], [pki.root])).toBe("trusted");
        expect(await path([pki.leaf], [pki.intermediate])).toBe("trusted");
        expect(await path([pki.intermediate], [pki.root])).toBe("trusted");
      });

      it("trusts when any one of several anchors issued the chain", async () => {
        const other = makeCertificate({ subject: "/CN=Another Root", ca: true });
        expect(await path([pki.leaf, pki.intermediate], [other, pki.root])).toBe("trusted");
      });

      it("refuses a chain to an unknown root, or with no anchors: no_trust_anchor", async () => {
        const other = makeCertificate({ subject: "/CN=Another Root", ca: true });
        expect(await path([pki.leaf, pki.intermediate], [other])).toBe("no_trust_anchor");
        expect(await path([pki.leaf, pki.intermediate], [])).toBe("no_trust_anchor");
        // A self-signed root that is not among the anchors is no anchor either.
        expect(await path([pki.leaf, pki.intermediate, pki.root], [other])).toBe("no_trust_anchor");
      });

      it("checks validity at `at`, for every certificate and the anchor", async () => {
        expect(await path([pki.leaf, pki.intermediate], [pki.root], DEFAULT_NOT_AFTER.getTime())).toBe("trusted");
        expect(await path([pki.leaf, pki.intermediate], [pki.root], DEFAULT_NOT_BEFORE.getTime())).toBe("trusted");
        expect(await path([pki.leaf, pki.intermediate], [pki.root], DEFAULT_NOT_AFTER.getTime() + 1000)).toBe("certificate_expired");
        expect(await path([pki.leaf, pki.intermediate], [pki.root], DEFAULT_NOT_BEFORE.getTime() - 1000)).toBe("certificate_not_yet_valid");
        const expired = makeCertificate({ subject: "/CN=Expired", issuer: pki.intermediate, ca: false, notAfter: new Date(AT - YEAR_MS) });
        expect(await path([expired, pki.intermediate], [pki.root])).toBe("certificate_expired");
        const future = makeCertificate({ subject: "/CN=Not Yet", issuer: pki.intermediate, ca: false, notBefore: new Date(AT + YEAR_MS) });
        expect(await path([future, pki.intermediate], [pki.root])).toBe("certificate_not_yet_valid");
        const expiredIntermediate = makeCertificate({ subject: "/CN=Expired Intermediate", issuer: pki.root, ca: true, notAfter: new Date(AT - YEAR_MS) });
        const leaf = makeCertificate({ subject: "/CN=Leaf Under Expired", issuer: expiredIntermediate, ca: false });
        expect(await path([leaf, expiredIntermediate], [pki.root])).toBe("certificate_expired");
        const expiredRoot = makeCertificate({ subject: "/CN=Expired Root", ca: true, notAfter: new Date(AT - YEAR_MS) });
        const underExpiredRoot = makeCertificate({ subject: "/CN=Leaf Under Expired Root", issuer: expiredRoot, ca: false });
        expect(await path([underExpiredRoot], [expiredRoot])).toBe("certificate_expired");
      });

      it("refuses an issuer that is not a CA: cA false, no basicConstraints, a v1 certificate", async () => {
        for (const issuer of [
          makeCertificate({ subject: "/CN=Not A CA", issuer: pki.root, ca: false }),
          makeCertificate({ subject: "/CN=No Constraints CA", issuer: pki.root }),
          makeCertificate({ subject: "/CN=Version One CA", issuer: pki.root, version: 1 }),
        ]) {
          const leaf = makeCertificate({ subject: "/CN=Leaf Of Non CA", issuer, ca: false });
          expect(await path([leaf, issuer], [pki.root])).toBe("issuer_not_ca");
          expect(await path([leaf], [issuer])).toBe("issuer_not_ca");
        }
      });

      it("refuses a broken signature anywhere in the path: chain_signature_invalid", async () => {
        expect(await path([withBrokenSignature(pki.leaf.der), pki.intermediate], [pki.root])).toBe("chain_signature_invalid");
        expect(await path([pki.leaf, withBrokenSignature(pki.intermediate.der)], [pki.root])).toBe("chain_signature_invalid");
        // The right name, another key: the leaf names its issuer, but the issuer's key did not sign it.
        const impostor = makeCertificate({ subject: "/C=SE/O=Keyport Test/CN=Keyport Test Intermediate", key: "P-384", issuer: pki.root, ca: true });
        expect(await path([pki.leaf, impostor], [pki.root])).toBe("chain_signature_invalid");
      });

      it("refuses a chain whose certificates do not issue each other: chain_malformed", async () => {
        const otherIntermediate = makeCertificate({ subject: "/CN=Other Intermediate", issuer: pki.root, ca: true });
        expect(await path([pki.leaf, otherIntermediate], [pki.root])).toBe("chain_malformed");
        expect(await path([pki.intermediate, pki.leaf], [pki.root])).toBe("chain_malformed");
        expect(await verifier().validatePath([], [read(pki.root)], AT)).toBe("chain_malformed");
      });

      it("refuses a certificate with a critical extension it does not understand: chain_malformed", async () => {
        const leaf = makeCertificate({ subject: "/CN=Unknown Critical", issuer: pki.intermediate, ca: false, extensions: [rawExtension("1.3.6.1.4.1.99999.2", Uint8Array.of(0x05, 0x00), true)] });
        expect(await path([leaf, pki.intermediate], [pki.root])).toBe("chain_malformed");
        const known = makeCertificate({ subject: "/CN=Unknown Not Critical", issuer: pki.intermediate, ca: false, extensions: [rawExtension("1.3.6.1.4.1.99999.2", Uint8Array.of(0x05, 0x00))] });
        expect(await path([known, pki.intermediate], [pki.root])).toBe("trusted");
      });

      it("honours an issuer's keyUsage and pathLenConstraint: issuer_not_ca", async () => {
        const signOnly = makeCertificate({ subject: "/CN=Signing Only CA", issuer: pki.root, extensions: ["basicConstraints = critical, CA:TRUE", "keyUsage = critical, digitalSignature"] });
        const underSignOnly = makeCertificate({ subject: "/CN=Under Signing Only", issuer: signOnly, ca: false });
        expect(await path([underSignOnly, signOnly], [pki.root])).toBe("issuer_not_ca");
        const noDepth = makeCertificate({ subject: "/CN=Path Length Zero Root", extensions: ["basicConstraints = critical, CA:TRUE, pathlen:0", "keyUsage = critical, keyCertSign"] });
        const middle = makeCertificate({ subject: "/CN=Below Path Length Zero", issuer: noDepth, ca: true });
        const bottom = makeCertificate({ subject: "/CN=Two Below Path Length Zero", issuer: middle, ca: false });
        expect(await path([middle], [noDepth])).toBe("trusted");
        expect(await path([bottom, middle], [noDepth])).toBe("issuer_not_ca");
      });

      it("follows at most five certificates", async () => {
        let issuer = pki.root;
        const intermediates: TestCertificate[] = [];
        for (let depth = 1; depth <= 5; depth++) {
          issuer = makeCertificate({ subject: `/CN=Depth ${depth}`, issuer, ca: true });
          intermediates.unshift(issuer);
        }
        const deep = makeCertificate({ subject: "/CN=Deep Leaf", issuer, ca: false });
        expect(await path([deep, ...intermediates.slice(0, 4)], [intermediates[4]!])).toBe("trusted");
        expect(await path([deep, ...intermediates], [pki.root])).toBe("chain_malformed");
      });

      it("never throws on mutated chains", async () => {
        const anchors = [read(pki.root)];
        await fc.assert(
          fc.asyncProperty(fc.integer({ min: 0, max: pki.intermediate.der.length - 1 }), fc.integer({ min: 0, max: 255 }), async (index, byte) => {
            const mutated = Uint8Array.from(pki.intermediate.der);
            mutated[index] = byte;
            const intermediate = verifier().parse(mutated);
            if (intermediate === null) return;
            const verdict = await verifier().validatePath([read(pki.leaf), intermediate], anchors, AT);
            expect(typeof verdict).toBe("string");
            if (index > 0 && !mutated.every((value, at) => value === pki.intermediate.der[at])) expect(verdict).not.toBe("trusted");
          }),
          { numRuns: 100 },
        );
      });
    });
  });
}
