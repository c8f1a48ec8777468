import { describe, expect, it } from "vitest";
import { readMds3Blob, type Mds3Metadata } from "../../../src/adapters/attestation/mds3-metadata.js";
import { parseSnapshot, snapshotOf } from "../../../src/adapters/attestation/mds3-snapshot.js";
import { NodeCryptoCertificateVerifier } from "../../../src/adapters/node-crypto/node-crypto-certificate-verifier.js";
import { mds3Entry, mds3Payload, mds3TestRoot, signMds3Blob } from "../../support/attestation/mds3.js";
import { AT, makeCertificate } from "../../support/certificates/index.js";

const AAGUID = "2fc0579f-8113-47ea-b116-bb5a8db9202a";
const OTHER_AAGUID = "ee882879-721c-4913-9775-3dfcce97072a";
const KEY_ID = "bf7bcaa0d0c6187a8c6abbdd16a15640e7c7bde2";
const authenticatorRoot = makeCertificate({ subject: "/C=SE/O=Keyport Test/CN=Test Authenticator Root", ca: true });

/** Metadata as the refresh function has it: a BLOB from the kit, read and verified. */
async function verifiedMetadata(): Promise<Mds3Metadata> {
  const blob = await signMds3Blob(
    mds3Payload({
      no: 12,
      nextUpdate: "2049-12-01",
      entries: [
        mds3Entry({ aaguid: AAGUID.toUpperCase(), description: "Test Key L1", statusReports: [{ status: "FIDO_CERTIFIED_L1", effectiveDate: "2023-03-01" }], attestationRootCertificates: [authenticatorRoot.der] }),
        mds3Entry({ aaguid: OTHER_AAGUID, statusReports: [{ status: "REVOKED", effectiveDate: "2024-11-20" }, { status: "NOT_FIDO_CERTIFIED" }], attestationRootCertificates: [] }),
        mds3Entry({ keyIdentifiers: [KEY_ID.toUpperCase()], description: "Test U2F Key", statusReports: [{ status: "FIDO_CERTIFIED" }], attestationRootCertificates: [authenticatorRoot.der] }),
        // UAF: neither an AAGUID nor a key identifier, so nothing can ask for it.
        mds3Entry({ description: "UAF", statusReports: [], attestationRootCertificates: [] }),
        { aaguid: "not-a-uuid", statusReports: [] },
      ],
    }),
  );
  const read = await readMds3Blob(new NodeCryptoCertificateVerifier(), { blob, root: mds3TestRoot(), lastAcceptedNo: null, now: AT });
  if (!read.ok) throw new Error(read.error);
  return read.value;
}

/** A valid snapshot's JSON with `change` applied to it. */
function edited(text: string, change: (snapshot: Record<string, unknown> & { entries: Record<string, unknown>[] }) => void): string {
  const snapshot = JSON.parse(text) as Record<string, unknown> & { entries: Record<string, unknown>[] };
  change(snapshot);
  return JSON.stringify(snapshot);
}

describe("the verified metadata snapshot", () => {
  it("round-trips: the snapshot of verified metadata parses back to the same entries, indexed the same way", async () => {
    const metadata = await verifiedMetadata();
    const parsed = parseSnapshot(snapshotOf(metadata, AT));
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    expect(parsed.value).toMatchObject({ no: 12, nextUpdate: "2049-12-01", legalHeader: metadata.legalHeader, skippedEntries: 0, entryCount: 3 });
    expect(parsed.value.byAaguid).toEqual(metadata.byAaguid);
    expect(parsed.value.byKeyIdentifier).toEqual(metadata.byKeyIdentifier);
    // One entry object behind both of its index keys, as the BLOB's reader gives it.
    expect(parsed.value.byKeyIdentifier.get(KEY_ID)).toMatchObject({ aaguid: null, description: "Test U2F Key", statusReports: [{ status: "FIDO_CERTIFIED", effectiveDate: null }] });
  });

  it("writes the agreed compact form: version 1, the BLOB's serial and dates, when it was verified, and only entries something can ask for", async () => {
    const snapshot = JSON.parse(snapshotOf(await verifiedMetadata(), 1_750_000_000_000)) as Record<string, unknown>;
    expect(Object.keys(snapshot)).toEqual(["version", "no", "nextUpdate", "legalHeader", "verifiedAt", "entries"]);
    expect(snapshot).toMatchObject({ version: 1, no: 12, verifiedAt: 1_750_000_000_000 });
    expect(snapshot.entries).toContainEqual({
      aaguid: AAGUID,
      attestationCertificateKeyIdentifiers: [],
      description: "Test Key L1",
      attestationRootCertificates: [Buffer.from(authenticatorRoot.der).toString("base64")],
      statusReports: [{ status: "FIDO_CERTIFIED_L1", effectiveDate: "2023-03-01" }],
    });
    expect(snapshot.entries).toHaveLength(3);
  });

  it("refuses text that is not a version-1 snapshot: not JSON, another version, a missing or unknown member", async () => {
    const text = snapshotOf(await verifiedMetadata(), AT);
    const cases = [
      "",
      "not json",
      "[]",
      "null",
      text.slice(0, -1),
      edited(text, (s) => (s.version = 2)),
      edited(text, (s) => (s.version = "1")),
      edited(text, (s) => delete s.verifiedAt),
      edited(text, (s) => (s.extra = true)),
      edited(text, (s) => (s.no = -1)),
      edited(text, (s) => (s.no = 1.5)),
      edited(text, (s) => (s.nextUpdate = "2049-02-30")),
      edited(text, (s) => (s.legalHeader = null)),
      edited(text, (s) => (s.verifiedAt = "yesterday")),
      edited(text, (s) => Object.assign(s, { entries: {} })),
    ];
    for (const snapshot of cases) expect(parseSnapshot(snapshot), snapshot.slice(0, 80)).toEqual({ ok: false, error: "snapshot_malformed" });
  });

  it("refuses a snapshot with one malformed entry, rather than skipping it as the BLOB's reader would", async () => {
    const text = snapshotOf(await verifiedMetadata(), AT);
    const cases: ((entry: Record<string, unknown>) => void)[] = [
      (e) => (e.aaguid = AAGUID.toUpperCase()),
      (e) => (e.aaguid = "not-a-uuid"),
      (e) => delete e.description,
      (e) => (e.description = 7),
      (e) => (e.attestationCertificateKeyIdentifiers = ["XYZ"]),
      (e) => (e.attestationRootCertificates = ["%%%"]),
      (e) => (e.statusReports = [{ status: "", effectiveDate: null }]),
      (e) => (e.statusReports = [{ status: "FIDO_CERTIFIED" }]),
      (e) => (e.statusReports = [{ status: "FIDO_CERTIFIED", effectiveDate: "2023-13-01" }]),
      (e) => (e.statusReports = [{ status: "FIDO_CERTIFIED", effectiveDate: null, note: "x" }]),
      (e) => (e.extra = 1),
      (e) => Object.assign(e, { aaguid: null, attestationCertificateKeyIdentifiers: [] }),
    ];
    for (const change of cases) {
      const snapshot = edited(text, (s) => change(s.entries[0] ?? {}));
      expect(parseSnapshot(snapshot), snapshot.slice(0, 200)).toEqual({ ok: false, error: "snapshot_malformed" });
    }
  });

  it("refuses a snapshot that names an AAGUID or key identifier twice", async () => {
    const text = snapshotOf(await verifiedMetadata(), AT);
    expect(parseSnapshot(edited(text, (s) => s.entries.push({ ...s.entries[0] })))).toEqual({ ok: false, error: "snapshot_malformed" });
  });

  it("reads a snapshot with no entries (a BLOB that listed none)", () => {
    const empty = JSON.stringify({ version: 1, no: 0, nextUpdate: "2049-12-01", legalHeader: "", verifiedAt: 0, entries: [] });
    const parsed = parseSnapshot(empty);
    expect(parsed.ok && parsed.value.entryCount).toBe(0);
  });
});
