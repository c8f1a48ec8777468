import { GetObjectCommand, NoSuchKey, S3Client, type GetObjectCommandOutput } from "@aws-sdk/client-s3";
import { mockClient } from "aws-sdk-client-mock";
import { beforeEach, describe, expect, it } from "vitest";
import { indexMds3Entries, type Mds3Entry, type Mds3Metadata } from "../../../src/adapters/attestation/mds3-metadata.js";
import { snapshotOf } from "../../../src/adapters/attestation/mds3-snapshot.js";
import { MDS3_SNAPSHOT_NOT_READ, S3Mds3Source } from "../../../src/adapters/s3/s3-mds3-source.js";
import { ManualClock } from "../../support/manual-clock.js";
import { StorageUnavailableError } from "../../../src/ports/storage-unavailable-error.js";

const BUCKET = "keyport-metadata";
const KEY = "mds3/metadata.json";
const AAGUID = "2fc0579f-8113-47ea-b116-bb5a8db9202a";

function metadata(no: number, status = "FIDO_CERTIFIED_L1"): Mds3Metadata {
  const entry: Mds3Entry = { aaguid: AAGUID, attestationCertificateKeyIdentifiers: [], description: "Test Key", attestationRootCertificates: [], statusReports: [{ status, effectiveDate: "2024-01-01" }] };
  return { no, nextUpdate: "2049-12-01", legalHeader: "legal", ...indexMds3Entries([entry]) };
}

/** A GetObject answer carrying `text`, as the SDK's stream gives it. */
function object(text: string, etag: string): GetObjectCommandOutput {
  const body = { transformToString: () => Promise.resolve(text) };
  return { Body: body as unknown as GetObjectCommandOutput["Body"], ETag: etag, $metadata: { httpStatusCode: 200 } };
}

const notModified = () => Object.assign(new Error("Not Modified"), { name: "NotModified", $metadata: { httpStatusCode: 304 } });

describe("S3Mds3Source", () => {
  const client = new S3Client({ region: "eu-west-1" });
  const s3 = mockClient(client);
  let clock: ManualClock;
  let lines: Record<string, unknown>[];
  let source: S3Mds3Source;

  beforeEach(() => {
    s3.reset();
    clock = new ManualClock();
    lines = [];
    source = new S3Mds3Source({ client, bucket: BUCKET, key: KEY, clock, log: (entry) => lines.push(entry), recheckMs: 60_000 });
  });

  const gets = () => s3.commandCalls(GetObjectCommand).map((call) => call.args[0].input);

  it("reads the snapshot on first use and serves it until the recheck interval has passed", async () => {
    s3.on(GetObjectCommand).resolves(object(snapshotOf(metadata(5), 0), '"v5"'));
    expect((await source.current()).no).toBe(5);
    clock.advance(59_999);
    expect((await source.current()).byAaguid.get(AAGUID)?.description).toBe("Test Key");
    expect(gets()).toEqual([{ Bucket: BUCKET, Key: KEY }]);
  });

  it("asks again with the ETag after the interval; an unchanged object (304) keeps the metadata and restarts the interval", async () => {
    s3.on(GetObjectCommand).resolvesOnce(object(snapshotOf(metadata(5), 0), '"v5"')).rejects(notModified());
    await source.current();
    clock.advance(60_000);
    expect((await source.current()).no).toBe(5);
    expect(gets()[1]).toEqual({ Bucket: BUCKET, Key: KEY, IfNoneMatch: '"v5"' });
    clock.advance(30_000);
    await source.current();
    expect(gets()).toHaveLength(2);
    expect(lines).toEqual([]);
  });

  it("takes a newer snapshot when the object changed", async () => {
    s3.on(GetObjectCommand).resolvesOnce(object(snapshotOf(metadata(5), 0), '"v5"')).resolves(object(snapshotOf(metadata(6, "REVOKED"), 0), '"v6"'));
    await source.current();
    clock.advance(60_000);
    const current = await source.current();
    expect(current.no).toBe(6);
    expect(current.byAaguid.get(AAGUID)?.statusReports[0]?.status).toBe("REVOKED");
  });

  it("keeps what it accepted, and logs why, when the new object has a lower no, is malformed, or cannot be read", async () => {
    s3.on(GetObjectCommand)
      .resolvesOnce(object(snapshotOf(metadata(5), 0), '"v5"'))
      .resolvesOnce(object(snapshotOf(metadata(4), 0), '"v4"'))
      .resolvesOnce(object("{ not a snapshot", '"bad"'))
      .rejects(Object.assign(new Error("socket hang up"), { name: "TimeoutError" }));
    await source.current();
    for (const _ of [1, 2, 3]) {
      clock.advance(60_000);
      expect((await source.current()).no).toBe(5);
    }
    expect(lines).toEqual([
      expect.objectContaining({ level: "warn", event: MDS3_SNAPSHOT_NOT_READ, reason: "older_than_current", no: 4, current: 5, keeping: 5 }),
      expect.objectContaining({ level: "warn", event: MDS3_SNAPSHOT_NOT_READ, reason: "snapshot_malformed", keeping: 5 }),
      expect.objectContaining({ level: "warn", event: MDS3_SNAPSHOT_NOT_READ, reason: "unreadable", error: "TimeoutError", keeping: 5 }),
    ]);
    // Each failed re-read waits out the interval like a successful one: no request per caller.
    await source.current();
    expect(gets()).toHaveLength(4);
    // The ETag asked for stays the accepted object's.
    expect(gets()[3]).toMatchObject({ IfNoneMatch: '"v5"' });
  });

  it("throws while nothing was ever accepted (no object yet, or a malformed one), and tries again on the next call", async () => {
    s3.on(GetObjectCommand)
      .rejectsOnce(new NoSuchKey({ message: "The specified key does not exist.", $metadata: { httpStatusCode: 404 } }))
      .resolvesOnce(object("[]", '"bad"'))
      .resolves(object(snapshotOf(metadata(1), 0), '"v1"'));
    // A store that cannot serve: the shells answer 503 storage_unavailable.
    const first: unknown = await source.current().catch((fault: unknown) => fault);
    expect(first).toBeInstanceOf(StorageUnavailableError);
    expect(String(first)).toMatch(/s3:\/\/keyport-metadata\/mds3\/metadata\.json .*no verified FIDO metadata could be read \(missing\)/);
    await expect(source.current()).rejects.toThrow(/snapshot_malformed/);
    expect((await source.current()).no).toBe(1);
    expect(lines).toEqual([
      expect.objectContaining({ level: "error", event: MDS3_SNAPSHOT_NOT_READ, reason: "missing", keeping: null }),
      expect.objectContaining({ level: "error", event: MDS3_SNAPSHOT_NOT_READ, reason: "snapshot_malformed", keeping: null }),
    ]);
  });

  it("makes one request for callers that arrive while a read is under way", async () => {
    let release: (value: GetObjectCommandOutput) => void = () => {};
    s3.on(GetObjectCommand).callsFake(() => new Promise<GetObjectCommandOutput>((resolve) => (release = resolve)));
    const calls = [source.current(), source.current(), source.current()];
    await Promise.resolve();
    release(object(snapshotOf(metadata(3), 0), '"v3"'));
    expect((await Promise.all(calls)).map((m) => m.no)).toEqual([3, 3, 3]);
    expect(gets()).toHaveLength(1);
  });

  it("re-reads every 5 minutes by default", async () => {
    const byDefault = new S3Mds3Source({ client, bucket: BUCKET, key: KEY, clock, log: () => {} });
    s3.on(GetObjectCommand).resolvesOnce(object(snapshotOf(metadata(5), 0), '"v5"')).rejects(notModified());
    await byDefault.current();
    clock.advance(5 * 60_000 - 1);
    await byDefault.current();
    expect(gets()).toHaveLength(1);
    clock.advance(1);
    await byDefault.current();
    expect(gets()).toHaveLength(2);
  });
});
