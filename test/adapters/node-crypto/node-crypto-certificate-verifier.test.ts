import { generateKeyPairSync, sign } from "node:crypto";
import { describe, expect, it } from "vitest";
import { NodeCryptoCertificateVerifier } from "../../../src/adapters/node-crypto/node-crypto-certificate-verifier.js";
import { AT, makeCertificate, testPki } from "../../support/certificates/index.js";
import { describeCertificateVerifierContract } from "../../ports/certificate-verifier.contract.js";

describeCertificateVerifierContract("NodeCryptoCertificateVerifier", async () => ({ verifier: new NodeCryptoCertificateVerifier() }));

describe("NodeCryptoCertificateVerifier, beyond the contract", () => {
  const MESSAGE = new TextEncoder().encode("data");

  it("validates certificates another instance parsed (it reads their DER again)", async () => {
    const { root, intermediate, leaf } = testPki();
    const one = new NodeCryptoCertificateVerifier();
    const other = new NodeCryptoCertificateVerifier();
    const chain = [leaf, intermediate].map((certificate) => one.parse(certificate.der)!);
    expect(await other.validatePath(chain, [one.parse(root.der)!], AT)).toBe("trusted");
    const forged = { ...chain[0]!, der: new Uint8Array(10) };
    expect(await other.validatePath([forged, chain[1]!], [one.parse(root.der)!], AT)).toBe("chain_malformed");
  });

  it("believes no RSA key under 2048 bits, for statements or certificate links", async () => {
    const weak = generateKeyPairSync("rsa", { modulusLength: 1024 }).privateKey;
    const verifier = new NodeCryptoCertificateVerifier();
    const { root } = testPki();
    const weakLeaf = makeCertificate({ subject: "/CN=RSA 1024", key: weak, issuer: root, ca: false });
    expect(await verifier.verifySignature(verifier.parse(weakLeaf.der)!, -257, sign("sha256", MESSAGE, weak), MESSAGE)).toBe(false);
    const weakCa = makeCertificate({ subject: "/CN=RSA 1024 CA", key: weak, issuer: root, ca: true });
    const under = makeCertificate({ subject: "/CN=Under RSA 1024", issuer: weakCa, ca: false });
    expect(await verifier.validatePath([under, weakCa].map((certificate) => verifier.parse(certificate.der)!), [verifier.parse(root.der)!], AT)).toBe("chain_signature_invalid");
  });

  it("returns frozen facts", () => {
    const certificate = new NodeCryptoCertificateVerifier().parse(testPki().leaf.der)!;
    expect(Object.isFrozen(certificate)).toBe(true);
    expect(Object.isFrozen(certificate.subject)).toBe(true);
    expect(Object.isFrozen(certificate.extensions)).toBe(true);
  });
});
