import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { FIDO_MDS3_ROOT_SHA256, fidoMds3Root } from "../../../src/adapters/attestation/fido-mds3-root.js";
import { ecdsaRawToDer, readMds3Blob, type ReadMds3Options } from "../../../src/adapters/attestation/mds3-metadata.js";
import { NodeCryptoCertificateVerifier } from "../../../src/adapters/node-crypto/node-crypto-certificate-verifier.js";
import { latestReport } from "../../../src/domain/ceremonies/attestation/authenticator-policy.js";
import { mds3Payload, mds3TestPki, signMds3Blob, type SignMds3Options } from "../../support/attestation/mds3.js";
import { AT, makeCertificate } from "../../support/certificates/index.js";

/** MDS3 BLOBs signed by the test kit (../../support/attestation/mds3.ts) under its test root; more leaves and another root made here. */
const verifier = new NodeCryptoCertificateVerifier();

const { root: mdsRoot, intermediate: mdsIntermediate, leaf: mdsLeaf } = mds3TestPki();
const rsaLeaf = makeCertificate({ subject: "/C=US/O=Keyport Test/CN=mds-rsa.test", issuer: mdsIntermediate, ca: false, key: "RSA-2048" });
const expiredLeaf = makeCertificate({
  subject: "/C=US/O=Keyport Test/CN=mds-expired.test",
  issuer: mdsIntermediate,
  ca: false,
  notBefore: new Date("2020-01-01T00:00:00Z"),
  notAfter: new Date("2024-01-01T00:00:00Z"),
});
const otherRoot = makeCertificate({ subject: "/C=BE/O=Keyport Test/CN=Test MDS Root", ca: true, key: "P-384" });

/** A U2F/FIDO2 attestation root for the entries (its bytes are only carried, not validated, here). */
const authenticatorRoot = makeCertificate({ subject: "/C=SE/O=Keyport Test/CN=Test Authenticator Root", ca: true });
const authenticatorRootBase64 = Buffer.from(authenticatorRoot.der).toString("base64");

const CERTIFIED_AAGUID = "2FC0579F-8113-47EA-B116-BB5A8DB9202A";
const REVOKED_AAGUID = "ee882879-721c-4913-9775-3dfcce97072a";
const U2F_KEY_ID = "BF7BCAA0D0C6187A8C6ABBDD16A15640E7C7BDE2";

function payload(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    ...mds3Payload({
      no: 42,
      nextUpdate: "2025-07-01",
      entries: [
        {
          aaguid: CERTIFIED_AAGUID,
          metadataStatement: { aaguid: CERTIFIED_AAGUID.toLowerCase(), description: "Test Key L1", attestationRootCertificates: [authenticatorRootBase64] },
          statusReports: [{ status: "FIDO_CERTIFIED_L1", effectiveDate: "2023-03-01" }],
          timeOfLastStatusChange: "2023-03-01",
        },
        {
          aaguid: REVOKED_AAGUID,
          metadataStatement: { description: "Test Key Revoked", attestationRootCertificates: [authenticatorRootBase64] },
          statusReports: [
            { status: "REVOKED", effectiveDate: "2024-11-20" },
            { status: "FIDO_CERTIFIED", effectiveDate: "2022-01-10" },
            { status: "NOT_FIDO_CERTIFIED" },
          ],
          timeOfLastStatusChange: "2024-11-20",
        },
        {
          attestationCertificateKeyIdentifiers: [U2F_KEY_ID],
          metadataStatement: { description: "Test U2F Key", attestationRootCertificates: [authenticatorRootBase64] },
          statusReports: [{ status: "FIDO_CERTIFIED", effectiveDate: "2019-05-05" }],
        },
        // Malformed entries: skipped and counted, the rest of the BLOB still read.
        { aaguid: "not-a-uuid", statusReports: [] },
        { aaguid: "11111111-2222-3333-4444-555555555555", statusReports: "FIDO_CERTIFIED" },
        { aaguid: "11111111-2222-3333-4444-666666666666", metadataStatement: { attestationRootCertificates: ["%%%"] }, statusReports: [] },
        "an entry that is not an object",
        // A second entry for an AAGUID already indexed: the first one stands.
        { aaguid: REVOKED_AAGUID, statusReports: [{ status: "FIDO_CERTIFIED_L3", effectiveDate: "2030-01-01" }] },
      ],
    }),
    ...overrides,
  };
}

function blob(body: Record<string, unknown> | string = payload(), options: SignMds3Options = {}): Promise<string> {
  return signMds3Blob(body, options);
}

function read(text: string, options: Partial<Omit<ReadMds3Options, "blob">> = {}) {
  return readMds3Blob(verifier, { blob: text, root: mdsRoot.der, lastAcceptedNo: null, now: AT, ...options });
}

/** A compact JWS with its header replaced by `header` (the signature no longer matters: the header is refused first). */
function withHeader(jws: string, header: unknown): string {
  const [, body, signature] = jws.split(".");
  return [Buffer.from(JSON.stringify(header)).toString("base64url"), body, signature].join(".");
}

describe("readMds3Blob: a BLOB that verifies", () => {
  it("accepts an ES256 BLOB whose x5c validates to the root, and indexes its entries by AAGUID and key identifier", async () => {
    const result = await read(await blob());
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    const metadata = result.value;
    expect(metadata).toMatchObject({ no: 42, nextUpdate: "2025-07-01", legalHeader: expect.stringContaining("acceptance") as unknown, entryCount: 3, skippedEntries: 5 });
    expect([...metadata.byAaguid.keys()].sort()).toEqual([CERTIFIED_AAGUID.toLowerCase(), REVOKED_AAGUID].sort());

    const certified = metadata.byAaguid.get(CERTIFIED_AAGUID.toLowerCase());
    expect(certified).toMatchObject({ description: "Test Key L1", attestationRootCertificates: [authenticatorRootBase64], attestationCertificateKeyIdentifiers: [] });
    expect(certified && latestReport(certified.statusReports)).toEqual({ status: "FIDO_CERTIFIED_L1", effectiveDate: "2023-03-01" });

    const revoked = metadata.byAaguid.get(REVOKED_AAGUID);
    expect(revoked?.statusReports).toHaveLength(3);
    expect(revoked && latestReport(revoked.statusReports)).toEqual({ status: "REVOKED", effectiveDate: "2024-11-20" });

    const u2f = metadata.byKeyIdentifier.get(U2F_KEY_ID.toLowerCase());
    expect(u2f).toMatchObject({ aaguid: null, description: "Test U2F Key" });
    expect(u2f && latestReport(u2f.statusReports)?.status).toBe("FIDO_CERTIFIED");
  });

  it("accepts an RS256 BLOB (the algorithm FIDO's own BLOB uses)", async () => {
    const result = await read(await blob(payload(), { leaf: rsaLeaf, x5c: [rsaLeaf.der, mdsIntermediate.der] }));
    expect(result.ok).toBe(true);
  });

  it("accepts a BLOB with a higher `no` than the last accepted, and through the whole nextUpdate day (UTC)", async () => {
    const text = await blob();
    expect((await read(text, { lastAcceptedNo: 41 })).ok).toBe(true);
    expect((await read(text, { now: Date.UTC(2025, 6, 1, 23, 59, 59) })).ok).toBe(true);
  });

  it("the report in force of an entry as read is the domain's latestReport: latest effectiveDate, a later report winning a tie, undated ones oldest", () => {
    expect(latestReport([])).toBeNull();
    expect(latestReport([{ status: "A", effectiveDate: null }])?.status).toBe("A");
    expect(
      latestReport([
        { status: "FIDO_CERTIFIED", effectiveDate: "2022-01-01" },
        { status: "USER_VERIFICATION_BYPASS", effectiveDate: "2022-01-01" },
        { status: "UNDATED", effectiveDate: null },
      ])?.status,
    ).toBe("USER_VERIFICATION_BYPASS");
  });
});

describe("readMds3Blob: refusals", () => {
  it("blob_signature_invalid: a changed signature, or a BLOB signed by another key than the x5c leaf's", async () => {
    const text = await blob();
    const [header, body, signature = ""] = text.split(".");
    const flipped = Buffer.from(signature, "base64url");
    flipped[10]! ^= 0x01;
    expect(await read([header, body, flipped.toString("base64url")].join("."))).toEqual({ ok: false, error: "blob_signature_invalid" });
    expect(await read(await blob(payload(), { key: rsaLeaf.privateKey, leaf: mdsLeaf, header: { alg: "RS256" } }))).toEqual({ ok: false, error: "blob_signature_invalid" });
    expect(await read(await blob(payload(), { key: expiredLeaf.privateKey }))).toEqual({ ok: false, error: "blob_signature_invalid" });
    // The payload changed after signing.
    const [, otherBody] = (await blob(payload({ no: 43 }))).split(".");
    expect(await read([header, otherBody, signature].join("."))).toEqual({ ok: false, error: "blob_signature_invalid" });
  });

  it("blob_chain_invalid: another root (even of the same name), an x5c leaf that has expired, or a chain missing its intermediate", async () => {
    const text = await blob();
    expect(await read(text, { root: otherRoot.der })).toEqual({ ok: false, error: "blob_chain_invalid" });
    expect(await read(text, { root: fidoMds3Root() })).toEqual({ ok: false, error: "blob_chain_invalid" });
    expect(await read(text, { root: new Uint8Array([1, 2, 3]) })).toEqual({ ok: false, error: "blob_chain_invalid" });
    expect(await read(await blob(payload(), { leaf: expiredLeaf }))).toEqual({ ok: false, error: "blob_chain_invalid" });
    expect(await read(await blob(payload(), { x5c: [mdsLeaf.der] }))).toEqual({ ok: false, error: "blob_chain_invalid" });
    // Valid at its own time, not at a time after the leaf expired.
    expect(await read(text, { now: Date.UTC(2051, 0, 1) })).toEqual({ ok: false, error: "blob_chain_invalid" });
  });

  it("blob_older_than_current: a `no` equal to or below the last accepted one", async () => {
    const text = await blob();
    expect(await read(text, { lastAcceptedNo: 42 })).toEqual({ ok: false, error: "blob_older_than_current" });
    expect(await read(text, { lastAcceptedNo: 100 })).toEqual({ ok: false, error: "blob_older_than_current" });
  });

  it("blob_expired: past the nextUpdate day, unless within the grace the caller gives", async () => {
    const text = await blob();
    const dayAfter = Date.UTC(2025, 6, 2);
    expect(await read(text, { now: dayAfter })).toEqual({ ok: false, error: "blob_expired" });
    expect((await read(text, { now: dayAfter, graceMs: 3 * 86_400_000 })).ok).toBe(true);
    expect(await read(text, { now: Date.UTC(2025, 6, 5), graceMs: 3 * 86_400_000 })).toEqual({ ok: false, error: "blob_expired" });
    expect(await read(text, { now: dayAfter, graceMs: Number.NaN })).toEqual({ ok: false, error: "blob_expired" });
  });

  it("blob_malformed: not a compact JWS, an unsupported alg, a crit header, a missing or unreadable x5c", async () => {
    const text = await blob();
    const header = JSON.parse(Buffer.from(text.split(".")[0] ?? "", "base64url").toString()) as Record<string, unknown>;
    const cases = [
      "",
      "not a jws",
      text.split(".").slice(0, 2).join("."),
      `${text}.extra`,
      withHeader(text, { ...header, alg: "none" }),
      withHeader(text, { ...header, alg: "HS256" }),
      withHeader(text, { ...header, alg: "ES384" }),
      withHeader(text, { ...header, crit: ["exp"] }),
      withHeader(text, { alg: "ES256" }),
      withHeader(text, { ...header, x5c: [] }),
      withHeader(text, { ...header, x5c: ["not base64!"] }),
      withHeader(text, { ...header, x5c: [Buffer.from("not a certificate").toString("base64")] }),
      withHeader(text, { ...header, x5c: "MIIB" }),
      withHeader(text, ["an array"]),
      ["!!!", ...text.split(".").slice(1)].join("."),
      `${Buffer.from('{"alg":"ES256","alg":"RS256"}').toString("base64url")}.${text.split(".").slice(1).join(".")}`,
    ];
    for (const bad of cases) expect(await read(bad), bad.slice(0, 60)).toEqual({ ok: false, error: "blob_malformed" });
  });

  it("blob_malformed: a signed payload that is not JSON, or lacks no, nextUpdate, legalHeader or entries", async () => {
    const bodies: (Record<string, unknown> | string)[] = [
      "not json",
      "[1, 2, 3]",
      payload({ no: undefined }),
      payload({ no: "42" }),
      payload({ no: 4.2 }),
      payload({ no: -1 }),
      payload({ nextUpdate: undefined }),
      payload({ nextUpdate: "2025-02-30" }),
      payload({ nextUpdate: "1 July 2025" }),
      payload({ legalHeader: 7 }),
      payload({ entries: undefined }),
      payload({ entries: { a: 1 } }),
    ];
    for (const body of bodies) expect(await read(await blob(body)), JSON.stringify(body).slice(0, 60)).toEqual({ ok: false, error: "blob_malformed" });
  });

  it("reads an empty entries array as metadata with nothing indexed", async () => {
    const result = await read(await blob(payload({ entries: [] })));
    expect(result.ok && { count: result.value.entryCount, aaguids: result.value.byAaguid.size }).toEqual({ count: 0, aaguids: 0 });
  });
});

describe("ecdsaRawToDer (JWS r ‖ s → DER for the port)", () => {
  it("writes minimal INTEGERs: leading zeros dropped, a zero byte before a set high bit; refuses another length", () => {
    const raw = new Uint8Array(64);
    raw[0] = 0x00;
    raw[1] = 0x80; // r = 0x0080…: its leading zero is dropped, then put back for the high bit (32 bytes again)
    raw[32] = 0x7f; // s: 32 bytes as they are
    const der = ecdsaRawToDer(raw);
    expect(der && Buffer.from(der.subarray(0, 6)).toString("hex")).toBe("304402200080");
    expect(der?.[2 + 2 + 32]).toBe(0x02);
    expect(der?.[2 + 2 + 32 + 1]).toBe(32);
    expect(ecdsaRawToDer(new Uint8Array(63))).toBeNull();
    expect(Buffer.from(ecdsaRawToDer(new Uint8Array(64)) ?? []).toString("hex")).toBe("3006020100020100");
  });
});

describe("the FIDO MDS3 root constant", () => {
  it("is GlobalSign Root CA - R3, SHA-256 CB:B5:22:D7:…:C9:63:C5:3B, and parses as a CA valid 2009–2029", () => {
    const der = fidoMds3Root();
    expect(createHash("sha256").update(der).digest("hex")).toBe(FIDO_MDS3_ROOT_SHA256);
    expect(FIDO_MDS3_ROOT_SHA256).toBe("cbb522d7b7f127ad6a0113865bdf1cd4102e7d0759af635a7cf4720dc963c53b");
    const certificate = verifier.parse(der);
    expect(certificate?.subject).toContainEqual({ type: "2.5.4.11", value: "GlobalSign Root CA - R3" });
    expect(certificate?.basicConstraintsCA).toBe(true);
    expect([certificate?.notBefore, certificate?.notAfter]).toEqual([Date.UTC(2009, 2, 18, 10), Date.UTC(2029, 2, 18, 10)]);
  });
});
