/**
 * The adapter over real authenticators' certificates: the x5c of every attestation vector
 * (test/support/attestation/vectors.ts, each with its source) parses, and every chain validates at the
 * vector's `verifyAt`, up to its named roots or, for a vector without published roots, up to its own top
 * certificate. Real certificates carry what openssl-made ones do not: GeneralizedTime, PrintableString
 * and e-mail attributes, long Android chains, the FIDO conformance TPM CA's malformed key identifier.
 */
import { decodeCBORToNativeValueNoLeftoverBytes } from "@oslojs/cbor";
import { describe, expect, it } from "vitest";
import { NodeCryptoCertificateVerifier } from "../../../src/adapters/node-crypto/node-crypto-certificate-verifier.js";
import type { Certificate } from "../../../src/ports/certificate-verifier.js";
import { ATTESTATION_ROOTS, ATTESTATION_VECTORS } from "../../support/attestation/vectors.js";

const verifier = new NodeCryptoCertificateVerifier();

function x5c(attestationObject: string): Uint8Array[] {
  const decoded = decodeCBORToNativeValueNoLeftoverBytes(new Uint8Array(Buffer.from(attestationObject, "base64url")), 16) as { attStmt?: { x5c?: Uint8Array[] } };
  return decoded.attStmt?.x5c ?? [];
}

function parsed(der: Uint8Array): Certificate {
  const certificate = verifier.parse(der);
  if (certificate === null) throw new Error("a real certificate did not parse");
  return certificate;
}

describe("NodeCryptoCertificateVerifier over real attestation certificates", () => {
  it.each(Object.keys(ATTESTATION_ROOTS))("reads the root %s as a CA", (name) => {
    const root = parsed(new Uint8Array(Buffer.from(ATTESTATION_ROOTS[name as keyof typeof ATTESTATION_ROOTS].der, "base64")));
    expect(root.version).toBe(3);
    expect(root.basicConstraintsCA).toBe(true);
  });

  const withChains = ATTESTATION_VECTORS.filter((vector) => x5c(vector.attestationObject).length > 0);
  it.each(withChains.map((vector) => [vector.name, vector] as const))("%s: its x5c parses and validates at verifyAt", async (_name, vector) => {
    const chain = x5c(vector.attestationObject).map(parsed);
    const at = Date.parse(vector.verifyAt);
    if (vector.trustAnchors.length > 0) {
      const anchors = vector.trustAnchors.map((name) => parsed(new Uint8Array(Buffer.from(ATTESTATION_ROOTS[name].der, "base64"))));
      expect(await verifier.validatePath(chain, anchors, at)).toBe("trusted");
      expect(await verifier.validatePath(chain, [], at)).toBe("no_trust_anchor");
    } else if (chain.length > 1) {
      expect(await verifier.validatePath(chain.slice(0, -1), [chain[chain.length - 1]!], at)).toBe("trusted");
    }
  });
});
