import { beforeEach, describe, expect, it } from "vitest";
import { indexMds3Entries, type Mds3Entry, type Mds3Metadata } from "../../../src/adapters/attestation/mds3-metadata.js";
import { snapshotOf } from "../../../src/adapters/attestation/mds3-snapshot.js";
import { MDS3_SNAPSHOT_NOT_READ, S3Mds3Source } from "../../../src/adapters/s3/s3-mds3-source.js";
import type { S3ObjectRead, S3ObjectReader } from "../../../src/adapters/s3/sigv4-s3-object-reader.js";
import { ManualClock } from "../../support/manual-clock.js";
import { StorageUnavailableError } from "../../../src/ports/storage-unavailable-error.js";

const BUCKET = "keyport-metadata";
const KEY = "mds3/metadata.json";
const AAGUID = "2fc0579f-8113-47ea-b116-bb5a8db9202a";

function metadata(no: number, status = "FIDO_CERTIFIED_L1"): Mds3Metadata {
  const entry: Mds3Entry = { aaguid: AAGUID, attestationCertificateKeyIdentifiers: [], description: "Test Key", attestationRootCertificates: [], statusReports: [{ status, effectiveDate: "2024-01-01" }] };
  return { no, nextUpdate: "2049-12-01", legalHeader: "legal", ...indexMds3Entries([entry]) };
}

const object = (body: string, etag: string): S3ObjectRead => ({ kind: "object", body, etag });
const NOT_MODIFIED: S3ObjectRead = { kind: "not_modified" };
const NOT_FOUND: S3ObjectRead = { kind: "not_found" };

type Answer = S3ObjectRead | Error | (() => Promise<S3ObjectRead>);

/** A reader that gives its answers in turn (the last one from then on) and records what it was asked. */
class FakeReader implements S3ObjectReader {
  readonly reads: { bucket: string; key: string; ifNoneMatch: string | null }[] = [];
  #answers: Answer[] = [];

  answers(...answers: Answer[]): void {
    this.#answers = answers;
  }

  read(bucket: string, key: string, ifNoneMatch: string | null): Promise<S3ObjectRead> {
    this.reads.push({ bucket, key, ifNoneMatch });
    const answer = this.#answers.length > 1 ? this.#answers.shift() : this.#answers[0];
    if (answer === undefined) return Promise.reject(new Error("no answer set"));
    if (answer instanceof Error) return Promise.reject(answer);
    return typeof answer === "function" ? answer() : Promise.resolve(answer);
  }
}

const timedOut = () => new StorageUnavailableError(`GetObject s3://${BUCKET}/${KEY}`, true, Object.assign(new Error("The operation was aborted due to timeout"), { name: "TimeoutError" }));

describe("S3Mds3Source", () => {
  let reader: FakeReader;
  let clock: ManualClock;
  let lines: Record<string, unknown>[];
  let source: S3Mds3Source;

  beforeEach(() => {
    reader = new FakeReader();
    clock = new ManualClock();
    lines = [];
    source = new S3Mds3Source({ reader, bucket: BUCKET, key: KEY, clock, log: (entry) => lines.push(entry), recheckMs: 60_000 });
  });

  it("reads the snapshot on first use and serves it until the recheck interval has passed", async () => {
    reader.answers(object(snapshotOf(metadata(5), 0), '"v5"'));
    expect((await source.current()).no).toBe(5);
    clock.advance(59_999);
    expect((await source.current()).byAaguid.get(AAGUID)?.description).toBe("Test Key");
    expect(reader.reads).toEqual([{ bucket: BUCKET, key: KEY, ifNoneMatch: null }]);
  });

  it("asks again with the ETag after the interval; an unchanged object (304) keeps the metadata and restarts the interval", async () => {
    reader.answers(object(snapshotOf(metadata(5), 0), '"v5"'), NOT_MODIFIED);
    await source.current();
    clock.advance(60_000);
    expect((await source.current()).no).toBe(5);
    expect(reader.reads[1]).toEqual({ bucket: BUCKET, key: KEY, ifNoneMatch: '"v5"' });
    clock.advance(30_000);
    await source.current();
    expect(reader.reads).toHaveLength(2);
    expect(lines).toEqual([]);
  });

  it("takes a newer snapshot when the object changed", async () => {
    reader.answers(object(snapshotOf(metadata(5), 0), '"v5"'), object(snapshotOf(metadata(6, "REVOKED"), 0), '"v6"'));
    await source.current();
    clock.advance(60_000);
    const current = await source.current();
    expect(current.no).toBe(6);
    expect(current.byAaguid.get(AAGUID)?.statusReports[0]?.status).toBe("REVOKED");
  });

  it("keeps what it accepted, and logs why, when the new object has a lower no, is malformed, cannot be read or is gone", async () => {
    reader.answers(object(snapshotOf(metadata(5), 0), '"v5"'), object(snapshotOf(metadata(4), 0), '"v4"'), object("{ not a snapshot", '"bad"'), timedOut(), NOT_FOUND);
    await source.current();
    for (const _ of [1, 2, 3, 4]) {
      clock.advance(60_000);
      expect((await source.current()).no).toBe(5);
    }
    expect(lines).toEqual([
      expect.objectContaining({ level: "warn", event: MDS3_SNAPSHOT_NOT_READ, reason: "older_than_current", no: 4, current: 5, keeping: 5 }),
      expect.objectContaining({ level: "warn", event: MDS3_SNAPSHOT_NOT_READ, reason: "snapshot_malformed", keeping: 5 }),
      // The reader's StorageUnavailableError is logged by its cause, which names what went wrong.
      expect.objectContaining({ level: "warn", event: MDS3_SNAPSHOT_NOT_READ, reason: "unreadable", error: "TimeoutError", keeping: 5 }),
      expect.objectContaining({ level: "warn", event: MDS3_SNAPSHOT_NOT_READ, reason: "missing", keeping: 5 }),
    ]);
    // Each failed re-read waits out the interval like a successful one: no request per caller.
    await source.current();
    expect(reader.reads).toHaveLength(5);
    // The ETag asked for stays the accepted object's.
    expect(reader.reads.slice(1).map((read) => read.ifNoneMatch)).toEqual(['"v5"', '"v5"', '"v5"', '"v5"']);
  });

  it("throws while nothing was ever accepted (no object yet, a malformed one, a read that failed), and tries again on the next call", async () => {
    reader.answers(NOT_FOUND, object("[]", '"bad"'), timedOut(), object(snapshotOf(metadata(1), 0), '"v1"'));
    // A store that cannot serve: the shells answer 503 storage_unavailable.
    const first: unknown = await source.current().catch((fault: unknown) => fault);
    expect(first).toBeInstanceOf(StorageUnavailableError);
    expect(String(first)).toMatch(/s3:\/\/keyport-metadata\/mds3\/metadata\.json .*no verified FIDO metadata could be read \(missing\)/);
    await expect(source.current()).rejects.toThrow(/snapshot_malformed/);
    await expect(source.current()).rejects.toThrow(/unreadable/);
    expect((await source.current()).no).toBe(1);
    expect(lines).toEqual([
      expect.objectContaining({ level: "error", event: MDS3_SNAPSHOT_NOT_READ, reason: "missing", keeping: null }),
      expect.objectContaining({ level: "error", event: MDS3_SNAPSHOT_NOT_READ, reason: "snapshot_malformed", keeping: null }),
      expect.objectContaining({ level: "error", event: MDS3_SNAPSHOT_NOT_READ, reason: "unreadable", error: "TimeoutError", keeping: null }),
    ]);
    expect(reader.reads.map((read) => read.ifNoneMatch)).toEqual([null, null, null, null]);
  });

  it("refuses a 304 it did not ask for (no ETag sent) while nothing was accepted", async () => {
    reader.answers(NOT_MODIFIED);
    await expect(source.current()).rejects.toThrow(StorageUnavailableError);
    expect(lines).toEqual([expect.objectContaining({ level: "error", reason: "unreadable", error: "NotModified", keeping: null })]);
  });

  it("makes one request for callers that arrive while a read is under way", async () => {
    let release: (value: S3ObjectRead) => void = () => {};
    reader.answers(() => new Promise<S3ObjectRead>((resolve) => (release = resolve)));
    const calls = [source.current(), source.current(), source.current()];
    await Promise.resolve();
    release(object(snapshotOf(metadata(3), 0), '"v3"'));
    expect((await Promise.all(calls)).map((m) => m.no)).toEqual([3, 3, 3]);
    expect(reader.reads).toHaveLength(1);
  });

  it("re-reads every 5 minutes by default", async () => {
    const byDefault = new S3Mds3Source({ reader, bucket: BUCKET, key: KEY, clock, log: () => {} });
    reader.answers(object(snapshotOf(metadata(5), 0), '"v5"'), NOT_MODIFIED);
    await byDefault.current();
    clock.advance(5 * 60_000 - 1);
    await byDefault.current();
    expect(reader.reads).toHaveLength(1);
    clock.advance(1);
    await byDefault.current();
    expect(reader.reads).toHaveLength(2);
  });
});
