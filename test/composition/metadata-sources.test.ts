import { GetObjectCommand, S3Client, type GetObjectCommandOutput } from "@aws-sdk/client-s3";
import { mockClient } from "aws-sdk-client-mock";
import { afterAll, describe, expect, it } from "vitest";
import { indexMds3Entries } from "../../src/adapters/attestation/mds3-metadata.js";
import { snapshotOf } from "../../src/adapters/attestation/mds3-snapshot.js";
import { lambdaMetadataSource, localMetadataSource, s3MetadataSource } from "../../src/composition/metadata-sources.js";
import { ManualClock } from "../support/manual-clock.js";

describe("s3MetadataSource", () => {
  const s3 = mockClient(S3Client);
  afterAll(() => s3.restore());

  it("reads the snapshot at the bucket and key given, once per recheck interval, through one client", async () => {
    const text = snapshotOf({ no: 9, nextUpdate: "2049-12-01", legalHeader: "", ...indexMds3Entries([]) }, 0);
    const body = { transformToString: () => Promise.resolve(text) } as unknown as GetObjectCommandOutput["Body"];
    s3.on(GetObjectCommand).resolves({ Body: body, ETag: '"e"', $metadata: {} });
    const source = s3MetadataSource({ bucket: "keyport-metadata", key: "mds3/metadata.json" }, { clock: new ManualClock(), log: () => {} });
    expect((await source.current()).no).toBe(9);
    await source.current();
    expect(s3.commandCalls(GetObjectCommand).map((call) => call.args[0].input)).toEqual([{ Bucket: "keyport-metadata", Key: "mds3/metadata.json" }]);
  });
});

describe("the compositions' metadata sources", () => {
  const services = { clock: new ManualClock() } as unknown as Parameters<typeof lambdaMetadataSource>[1];

  it("refuses MDS_BLOB on Lambda, where only the stack's verified snapshot is read", () => {
    expect(() => lambdaMetadataSource({ source: "file", path: "/var/task/mds.jwt", rootPath: null }, services, () => {})).toThrow(/MDS_BLOB: is not read on AWS Lambda/);
  });

  it("refuses an MDS_ROOT file without a certificate in the local composition", () => {
    expect(() => localMetadataSource({ source: "file", path: "/tmp/mds.jwt", rootPath: "/nonexistent/root.pem" }, services, () => {})).toThrow(/MDS_ROOT: cannot read a certificate/);
  });
});
