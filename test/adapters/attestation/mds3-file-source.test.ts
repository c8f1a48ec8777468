import { mkdtempSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import { rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { fidoMds3Root } from "../../../src/adapters/attestation/fido-mds3-root.js";
import { Mds3FileSource, Mds3Unavailable, nodeMds3Files, readMds3Root, type Mds3Files, type Mds3FileSourceOptions } from "../../../src/adapters/attestation/mds3-file-source.js";
import { NodeCryptoCertificateVerifier } from "../../../src/adapters/node-crypto/node-crypto-certificate-verifier.js";
import { jsonLineLog } from "../../../src/handlers/http/log.js";
import { mds3Entry, mds3Payload, mds3TestPki, mds3TestRoot, signMds3Blob, writeMds3BlobFile, writeMds3RootPem, type SignMds3Options } from "../../support/attestation/mds3.js";
import { makeCertificate } from "../../support/certificates/index.js";
import { ManualClock } from "../../support/manual-clock.js";

const verifier = new NodeCryptoCertificateVerifier();
const RECHECK_MS = 60_000;
const AAGUID = "2fc0579f-8113-47ea-b116-bb5a8db9202a";

let dir: string;
let path: string;
/** Each write gets a later mtime: two BLOBs of the same size written within a clock tick must still differ. */
let mtime = Date.UTC(2025, 0, 1) / 1000;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "keyport-mds3-"));
  path = join(dir, "mds3-blob.jwt");
});

afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

async function writeBlob(no: number, options: SignMds3Options & { readonly nextUpdate?: string } = {}): Promise<void> {
  const entries = [mds3Entry({ aaguid: AAGUID, description: `Test Key (BLOB ${no})`, statusReports: [{ status: "FIDO_CERTIFIED_L1", effectiveDate: "2023-03-01" }], attestationRootCertificates: [] })];
  await writeMds3BlobFile(dir, mds3Payload({ no, entries, ...(options.nextUpdate === undefined ? {} : { nextUpdate: options.nextUpdate }) }), options);
  mtime += 10;
  utimesSync(path, mtime, mtime);
}

/** node:fs, counted. */
function countingFiles(): Mds3Files & { stats: number; reads: number } {
  const files = {
    stats: 0,
    reads: 0,
    stat(file: string) {
      files.stats++;
      return nodeMds3Files.stat(file);
    },
    read(file: string) {
      files.reads++;
      return nodeMds3Files.read(file);
    },
  };
  return files;
}

function source(options: Partial<Mds3FileSourceOptions> = {}) {
  const clock = new ManualClock();
  const logs: Record<string, unknown>[] = [];
  const files = countingFiles();
  const made = new Mds3FileSource({
    path,
    root: mds3TestRoot(),
    certificateVerifier: verifier,
    clock,
    log: (entry) => logs.push(entry),
    recheckMs: RECHECK_MS,
    files,
    ...options,
  });
  return { source: made, clock, logs, files };
}

describe("Mds3FileSource: the first read", () => {
  it("verifies the BLOB file and serves its metadata, logging the serial accepted", async () => {
    await writeBlob(7);
    const { source: mds, logs } = source();
    const metadata = await mds.current();
    expect(metadata.no).toBe(7);
    expect(metadata.byAaguid.get(AAGUID)?.description).toBe("Test Key (BLOB 7)");
    expect(logs).toEqual([{ level: "info", event: "mds_blob_accepted", path, no: 7, nextUpdate: "2049-12-01", entryCount: 1, skippedEntries: 0 }]);
  });

  it("throws Mds3Unavailable, naming the path and why, when the file cannot be read", async () => {
    const { source: mds, logs } = source();
    const failure = await mds.current().catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(Mds3Unavailable);
    expect(failure).toMatchObject({ path, code: "blob_unreadable" });
    expect(String(failure)).toContain(path);
    expect(String(failure)).toContain("blob_unreadable");
    expect(logs).toEqual([expect.objectContaining({ level: "warn", event: "mds_blob_refused", code: "blob_unreadable", path })]);
  });

  it("throws with the reader's refusal when the BLOB is refused: a bad signature, another root, past nextUpdate", async () => {
    const stranger = makeCertificate({ subject: "/C=US/O=Keyport Test/CN=not-mds.test", ca: false });
    await writeBlob(7, { key: stranger.privateKey });
    await expect(source().source.current()).rejects.toMatchObject({ code: "blob_signature_invalid" });

    await writeBlob(7);
    await expect(source({ root: fidoMds3Root() }).source.current()).rejects.toMatchObject({ code: "blob_chain_invalid" });

    // The ManualClock starts on 2026-01-01.
    await writeBlob(7, { nextUpdate: "2025-12-30" });
    await expect(source().source.current()).rejects.toMatchObject({ code: "blob_expired" });
  });

  it("passes its grace to the reader: a BLOB a little past nextUpdate is accepted within it", async () => {
    await writeBlob(7, { nextUpdate: "2025-12-30" });
    expect((await source({ graceMs: 3 * 86_400_000 }).source.current()).no).toBe(7);
  });

  it("keeps throwing while nothing is accepted, and takes a good file once it appears, at the next check", async () => {
    const { source: mds, clock } = source();
    await expect(mds.current()).rejects.toBeInstanceOf(Mds3Unavailable);
    await writeBlob(7);
    await expect(mds.current()).rejects.toBeInstanceOf(Mds3Unavailable);
    clock.advance(RECHECK_MS);
    expect((await mds.current()).no).toBe(7);
  });
});

describe("Mds3FileSource: a replaced file", () => {
  it("takes a BLOB with a higher serial, once the recheck interval has passed and not before", async () => {
    await writeBlob(7);
    const { source: mds, clock, logs } = source();
    expect((await mds.current()).no).toBe(7);
    await writeBlob(8);
    expect((await mds.current()).no).toBe(7);
    clock.advance(RECHECK_MS - 1);
    expect((await mds.current()).no).toBe(7);
    clock.advance(1);
    const metadata = await mds.current();
    expect(metadata.no).toBe(8);
    expect(metadata.byAaguid.get(AAGUID)?.description).toBe("Test Key (BLOB 8)");
    expect(logs.at(-1)).toMatchObject({ level: "info", event: "mds_blob_accepted", no: 8 });
  });

  it("keeps the metadata in force when the new file has an older or equal serial, and logs the refusal", async () => {
    await writeBlob(7);
    const { source: mds, clock, logs } = source();
    const accepted = await mds.current();
    for (const no of [6, 7]) {
      await writeBlob(no);
      clock.advance(RECHECK_MS);
      expect(await mds.current()).toBe(accepted);
      expect(logs.at(-1)).toEqual({ level: "warn", event: "mds_blob_refused", code: "blob_older_than_current", path, kept: 7 });
    }
  });

  it("keeps the metadata in force when the new file's signature does not verify, or is not a BLOB at all", async () => {
    await writeBlob(7);
    const { source: mds, clock, logs } = source();
    await mds.current();
    const stranger = makeCertificate({ subject: "/C=US/O=Keyport Test/CN=not-mds.test", ca: false });
    await writeBlob(8, { key: stranger.privateKey });
    clock.advance(RECHECK_MS);
    expect((await mds.current()).no).toBe(7);
    expect(logs.at(-1)).toMatchObject({ level: "warn", event: "mds_blob_refused", code: "blob_signature_invalid", kept: 7 });

    writeFileSync(path, "half a BLOB");
    clock.advance(RECHECK_MS);
    expect((await mds.current()).no).toBe(7);
    expect(logs.at(-1)).toMatchObject({ code: "blob_malformed", kept: 7 });
  });

  it("keeps the metadata in force while the file is gone, and takes the next BLOB when it is back", async () => {
    await writeBlob(7);
    const { source: mds, clock, logs } = source();
    await mds.current();
    await rm(path);
    clock.advance(RECHECK_MS);
    expect((await mds.current()).no).toBe(7);
    expect(logs.at(-1)).toMatchObject({ level: "warn", event: "mds_blob_refused", code: "blob_unreadable", path });
    await writeBlob(9);
    clock.advance(RECHECK_MS);
    expect((await mds.current()).no).toBe(9);
  });

  it("does not read or verify a refused file again while it is unchanged", async () => {
    await writeBlob(7);
    const { source: mds, clock, logs, files } = source();
    await mds.current();
    await writeBlob(6);
    for (let check = 0; check < 3; check++) {
      clock.advance(RECHECK_MS);
      await mds.current();
    }
    expect({ stats: files.stats, reads: files.reads }).toEqual({ stats: 4, reads: 2 });
    expect(logs.filter((entry) => entry.event === "mds_blob_refused")).toHaveLength(1);
  });
});

describe("Mds3FileSource: reading", () => {
  it("stats an unchanged file once per interval and never reads it again", async () => {
    await writeBlob(7);
    const { source: mds, clock, files } = source();
    for (let call = 0; call < 5; call++) await mds.current();
    expect({ stats: files.stats, reads: files.reads }).toEqual({ stats: 1, reads: 1 });
    clock.advance(RECHECK_MS);
    for (let call = 0; call < 5; call++) await mds.current();
    expect({ stats: files.stats, reads: files.reads }).toEqual({ stats: 2, reads: 1 });
  });

  it("shares one read among concurrent calls, at the start and at a recheck", async () => {
    await writeBlob(7);
    const { source: mds, clock, files } = source();
    const first = await Promise.all(Array.from({ length: 5 }, () => mds.current()));
    expect(new Set(first.map((metadata) => metadata.no))).toEqual(new Set([7]));
    expect({ stats: files.stats, reads: files.reads }).toEqual({ stats: 1, reads: 1 });

    await writeBlob(8);
    clock.advance(RECHECK_MS);
    const second = await Promise.all(Array.from({ length: 5 }, () => mds.current()));
    expect(second.map((metadata) => metadata.no)).toEqual([8, 8, 8, 8, 8]);
    expect({ stats: files.stats, reads: files.reads }).toEqual({ stats: 2, reads: 2 });
  });

  it("shares one failed read among concurrent calls at the start: each throws", async () => {
    const { source: mds, files } = source();
    const results = await Promise.allSettled(Array.from({ length: 3 }, () => mds.current()));
    expect(results.map((result) => result.status)).toEqual(["rejected", "rejected", "rejected"]);
    expect(files.stats).toBe(1);
  });

  it("logs through the HTTP app's Log, one JSON line per entry", async () => {
    await writeBlob(7);
    const lines: string[] = [];
    await source({ log: jsonLineLog((line) => lines.push(line)) }).source.current();
    expect(lines.map((line) => JSON.parse(line) as unknown)).toEqual([expect.objectContaining({ level: "info", event: "mds_blob_accepted", no: 7 })]);
  });

  it("reads through node:fs by default", async () => {
    await writeBlob(7);
    const mds = new Mds3FileSource({ path, root: mds3TestRoot(), certificateVerifier: verifier, clock: new ManualClock(), log: () => {} });
    expect((await mds.current()).no).toBe(7);
  });
});

describe("readMds3Root", () => {
  it("is FIDO's root without a path, and the first certificate of the PEM file given one", () => {
    expect(readMds3Root()).toEqual(fidoMds3Root());
    const pemPath = writeMds3RootPem(dir);
    expect(readMds3Root(pemPath)).toEqual(mds3TestPki().root.der);
    writeFileSync(pemPath, mds3TestPki().root.pem + mds3TestPki().intermediate.pem);
    expect(readMds3Root(pemPath)).toEqual(mds3TestPki().root.der);
  });

  it("throws when the file holds no certificate or cannot be read", () => {
    const empty = join(dir, "empty.pem");
    writeFileSync(empty, "no certificate here\n");
    expect(() => readMds3Root(empty)).toThrow(/no certificate/);
    expect(() => readMds3Root(join(dir, "missing.pem"))).toThrow();
  });
});

describe("the test kit's BLOB files", () => {
  it("verify under the kit's root through MDS_BLOB/MDS_ROOT-style paths", async () => {
    const blobPath = await writeMds3BlobFile(dir, mds3Payload({ no: 3 }), { name: "other.jwt" });
    const mds = new Mds3FileSource({ path: blobPath, root: readMds3Root(writeMds3RootPem(dir)), certificateVerifier: verifier, clock: new ManualClock(), log: () => {} });
    expect((await mds.current()).no).toBe(3);
    expect(await signMds3Blob(mds3Payload())).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/);
  });
});
