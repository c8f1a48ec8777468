import { describe, expect, it } from "vitest";
import { CombinedTrustAnchors, Mds3AuthenticatorMetadata } from "../../../src/adapters/attestation/mds3-authenticator-metadata.js";
import { readMds3Blob, type Mds3Metadata } from "../../../src/adapters/attestation/mds3-metadata.js";
import type { Mds3Source } from "../../../src/adapters/attestation/mds3-source.js";
import { StaticTrustAnchors } from "../../../src/adapters/attestation/pem-trust-anchors.js";
import { NodeCryptoCertificateVerifier } from "../../../src/adapters/node-crypto/node-crypto-certificate-verifier.js";
import { keyIdentifierOf } from "../../../src/domain/ceremonies/attestation/verify-attestation.js";
import { mds3Entry, mds3KeyIdentifier, mds3Payload, mds3TestRoot, signMds3Blob } from "../../support/attestation/mds3.js";
import { AT, makeCertificate } from "../../support/certificates/index.js";

const verifier = new NodeCryptoCertificateVerifier();

const ZERO_AAGUID = "00000000-0000-0000-0000-000000000000";
const KEY_A = "2fc0579f-8113-47ea-b116-bb5a8db9202a";
const KEY_B = "ee882879-721c-4913-9775-3dfcce97072a";
const UNKNOWN = "11111111-2222-3333-4444-555555555555";

/** Each model's own attestation root, and a U2F attestation certificate named by its key identifier. */
const rootA = makeCertificate({ subject: "/C=SE/O=Keyport Test/CN=Model A Root", ca: true });
const rootB = makeCertificate({ subject: "/C=SE/O=Keyport Test/CN=Model B Root", ca: true });
const rootU2f = makeCertificate({ subject: "/C=SE/O=Keyport Test/CN=U2F Root", ca: true });
const u2fLeaf = makeCertificate({ subject: "/C=SE/O=Keyport Test/CN=U2F Attestation", issuer: rootU2f, ca: false });
const U2F_KEY_ID = mds3KeyIdentifier(u2fLeaf);
const operatorRoot = makeCertificate({ subject: "/C=SE/O=Keyport Test/CN=Operator Root", ca: true });

const certifiedA = [{ status: "FIDO_CERTIFIED_L1", effectiveDate: "2023-03-01" }];
const revokedB = [
  { status: "FIDO_CERTIFIED", effectiveDate: "2022-01-10" },
  { status: "REVOKED", effectiveDate: "2024-11-20" },
];

/** A real BLOB, signed by the kit and verified by the reader, behind a source that always answers it. */
async function metadata(): Promise<Mds3Metadata> {
  const blob = await signMds3Blob(
    mds3Payload({
      no: 5,
      entries: [
        mds3Entry({ aaguid: KEY_A.toUpperCase(), description: "Model A", statusReports: certifiedA, attestationRootCertificates: [rootA.der] }),
        mds3Entry({ aaguid: KEY_B, description: "Model B", statusReports: revokedB, attestationRootCertificates: [rootB.der, rootA.der] }),
        mds3Entry({ keyIdentifiers: [U2F_KEY_ID.toUpperCase()], description: "U2F Key", statusReports: [{ status: "FIDO_CERTIFIED" }], attestationRootCertificates: [rootU2f.der] }),
      ],
    }),
  );
  const result = await readMds3Blob(verifier, { blob, root: mds3TestRoot(), lastAcceptedNo: null, now: AT });
  if (!result.ok) throw new Error(`test BLOB refused: ${result.error}`);
  return result.value;
}

async function adapter(): Promise<Mds3AuthenticatorMetadata> {
  const current = await metadata();
  return new Mds3AuthenticatorMetadata({ current: () => Promise.resolve(current) });
}

describe("Mds3AuthenticatorMetadata.entryFor", () => {
  it("finds a FIDO2 model by AAGUID (any case) and answers its description and status reports only", async () => {
    const mds = await adapter();
    expect(await mds.entryFor({ aaguid: KEY_A })).toEqual({ description: "Model A", statusReports: certifiedA });
    expect(await mds.entryFor({ aaguid: KEY_A.toUpperCase() })).toEqual({ description: "Model A", statusReports: certifiedA });
    expect(await mds.entryFor({ aaguid: KEY_B })).toEqual({ description: "Model B", statusReports: revokedB });
  });

  it("finds a U2F model by key identifier (any case) when the AAGUID is all zeros", async () => {
    const mds = await adapter();
    const expected = { description: "U2F Key", statusReports: [{ status: "FIDO_CERTIFIED", effectiveDate: null }] };
    expect(await mds.entryFor({ aaguid: ZERO_AAGUID, keyIdentifier: U2F_KEY_ID })).toEqual(expected);
    expect(await mds.entryFor({ aaguid: ZERO_AAGUID, keyIdentifier: U2F_KEY_ID.toUpperCase() })).toEqual(expected);
  });

  it("names the U2F model by the key identifier keyport computes from the attestation certificate", async () => {
    const parsed = verifier.parse(u2fLeaf.der);
    expect(parsed && keyIdentifierOf(parsed)).toBe(U2F_KEY_ID);
  });

  it("is null for an unknown AAGUID, for zeros without or with an unknown key identifier, and never falls back from an AAGUID to a key identifier", async () => {
    const mds = await adapter();
    expect(await mds.entryFor({ aaguid: UNKNOWN })).toBeNull();
    expect(await mds.entryFor({ aaguid: ZERO_AAGUID })).toBeNull();
    expect(await mds.entryFor({ aaguid: ZERO_AAGUID, keyIdentifier: "00".repeat(20) })).toBeNull();
    expect(await mds.entryFor({ aaguid: UNKNOWN, keyIdentifier: U2F_KEY_ID })).toBeNull();
  });

  it("throws what the source throws when no metadata was ever accepted", async () => {
    const failing: Mds3Source = { current: () => Promise.reject(new Error("FIDO metadata unavailable")) };
    const mds = new Mds3AuthenticatorMetadata(failing);
    await expect(mds.entryFor({ aaguid: KEY_A })).rejects.toThrow("FIDO metadata unavailable");
    await expect(mds.anchorsFor({ aaguid: KEY_A, format: "packed" })).rejects.toThrow("FIDO metadata unavailable");
  });
});

describe("Mds3AuthenticatorMetadata.anchorsFor", () => {
  it("answers the DER of the matched model's attestation roots, whatever the format", async () => {
    const mds = await adapter();
    expect(await mds.anchorsFor({ aaguid: KEY_A, format: "packed" })).toEqual([rootA.der]);
    expect(await mds.anchorsFor({ aaguid: KEY_A, format: "tpm" })).toEqual([rootA.der]);
    expect(await mds.anchorsFor({ aaguid: KEY_B, format: "packed" })).toEqual([rootB.der, rootA.der]);
    expect(await mds.anchorsFor({ aaguid: ZERO_AAGUID, format: "fido-u2f", keyIdentifier: U2F_KEY_ID })).toEqual([rootU2f.der]);
  });

  it("never answers another model's roots: model A's attestation is not anchored by B's or the U2F key's", async () => {
    const mds = await adapter();
    const anchorsA = await mds.anchorsFor({ aaguid: KEY_A, format: "packed" });
    expect(anchorsA).not.toContainEqual(rootB.der);
    expect(anchorsA).not.toContainEqual(rootU2f.der);
    // The U2F key's certificate validates to its own model's roots, not to model A's.
    const chain = [verifier.parse(u2fLeaf.der)].filter((certificate) => certificate !== null);
    const parse = (anchors: readonly Uint8Array[]) => anchors.map((der) => verifier.parse(der)).filter((certificate) => certificate !== null);
    expect(await verifier.validatePath(chain, parse(anchorsA), AT)).toBe("no_trust_anchor");
    const anchorsU2f = await mds.anchorsFor({ aaguid: ZERO_AAGUID, format: "fido-u2f", keyIdentifier: U2F_KEY_ID });
    expect(await verifier.validatePath(chain, parse(anchorsU2f), AT)).toBe("trusted");
  });

  it("is empty for a model the metadata does not know, and for zeros without a key identifier", async () => {
    const mds = await adapter();
    expect(await mds.anchorsFor({ aaguid: UNKNOWN, format: "packed" })).toEqual([]);
    expect(await mds.anchorsFor({ aaguid: ZERO_AAGUID, format: "fido-u2f" })).toEqual([]);
    expect(await mds.anchorsFor({ aaguid: UNKNOWN, format: "packed", keyIdentifier: U2F_KEY_ID })).toEqual([]);
  });
});

describe("CombinedTrustAnchors", () => {
  it("answers the anchors of every source, in order: the operator's for every model, FIDO's for the matched one", async () => {
    const combined = new CombinedTrustAnchors([new StaticTrustAnchors([operatorRoot.der]), await adapter()]);
    expect(await combined.anchorsFor({ aaguid: KEY_A, format: "packed" })).toEqual([operatorRoot.der, rootA.der]);
    expect(await combined.anchorsFor({ aaguid: UNKNOWN, format: "packed" })).toEqual([operatorRoot.der]);
  });

  it("answers nothing without sources, or when none has an anchor", async () => {
    expect(await new CombinedTrustAnchors([]).anchorsFor({ aaguid: KEY_A, format: "packed" })).toEqual([]);
    const none = new CombinedTrustAnchors([new StaticTrustAnchors([]), await adapter()]);
    expect(await none.anchorsFor({ aaguid: UNKNOWN, format: "packed" })).toEqual([]);
  });
});
