import { GetObjectCommand, NoSuchKey, PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { mockClient } from "aws-sdk-client-mock";
import { describe, expect, it } from "vitest";
import type { Mds3RefreshOutcome } from "../../../src/adapters/s3/s3-mds3-refresh.js";
import { ConfigError } from "../../../src/composition/config.js";
import { lambdaMdsRefreshHandler, mdsRefreshConfig } from "../../../src/composition/lambda-mds-refresh.js";
import type { LogEntry } from "../../../src/handlers/http/log.js";
import { MDS_REFRESH_LOG_EVENT, mdsRefreshHandler } from "../../../src/handlers/lambda/mds-refresh.js";
import { mds3Payload, mds3TestRoot, signMds3Blob } from "../../support/attestation/mds3.js";
import { ManualClock } from "../../support/manual-clock.js";

const scheduledEvent = { "detail-type": "Scheduled Event", source: "aws.events", detail: {} };

function recording(): { log: (entry: LogEntry) => void; lines: LogEntry[] } {
  const lines: LogEntry[] = [];
  return { log: (entry) => lines.push(entry), lines };
}

describe("the metadata refresh function's shell", () => {
  it.each<[Mds3RefreshOutcome, string]>([
    [{ outcome: "replaced", no: 8, previousNo: 7, entryCount: 120, skippedEntries: 1 }, "info"],
    [{ outcome: "kept", reason: "blob_older_than_current", currentNo: 8 }, "info"],
    [{ outcome: "kept", reason: "download_failed", currentNo: 8, detail: "HTTP 503" }, "warn"],
    [{ outcome: "kept", reason: "blob_expired", currentNo: 8 }, "warn"],
    [{ outcome: "kept", reason: "blob_signature_invalid", currentNo: 8 }, "error"],
    [{ outcome: "kept", reason: "blob_chain_invalid", currentNo: 8 }, "error"],
  ])("runs the refresh whatever the event, returns %j and logs it at %s", async (outcome, level) => {
    const { log, lines } = recording();
    const handler = mdsRefreshHandler(() => Promise.resolve(outcome), log);
    expect(await handler(scheduledEvent)).toEqual(outcome);
    expect(lines).toEqual([{ ...outcome, level, event: MDS_REFRESH_LOG_EVENT }]);
  });

  it("logs a fault under a reference and rethrows it, so the invocation fails and the scheduler retries", async () => {
    const { log, lines } = recording();
    const handler = mdsRefreshHandler(() => Promise.reject(new Error("S3 unreachable")), log);
    await expect(handler(scheduledEvent)).rejects.toThrow("S3 unreachable");
    expect(lines).toEqual([expect.objectContaining({ level: "error", function: "mds_refresh", message: "S3 unreachable", correlationId: expect.any(String) as unknown })]);
  });
});

describe("the metadata refresh function's composition", () => {
  it("reads MDS_S3_URI as the other functions do, and MDS_URL with FIDO's URL by default", () => {
    expect(mdsRefreshConfig({ AWS_REGION: "eu-west-1", MDS_S3_URI: "s3://keyport-metadata/mds3/metadata.json" })).toEqual({
      bucket: "keyport-metadata",
      key: "mds3/metadata.json",
      mdsUrl: "https://mds3.fidoalliance.org/",
    });
    expect(mdsRefreshConfig({ AWS_REGION: "eu-west-1", MDS_S3_URI: "s3://keyport-metadata/k", MDS_URL: "https://mds.example/blob" }).mdsUrl).toBe("https://mds.example/blob");
  });

  it("refuses a missing or malformed MDS_S3_URI, an MDS_BLOB instead, and an MDS_URL that is not https, naming the variable", () => {
    const variableOf = (env: Record<string, string>) => {
      try {
        mdsRefreshConfig(env);
        return null;
      } catch (fault) {
        return fault instanceof ConfigError ? fault.variable : fault;
      }
    };
    expect(variableOf({})).toBe("MDS_S3_URI");
    expect(variableOf({ AWS_REGION: "eu-west-1", MDS_S3_URI: "https://bucket/key" })).toBe("MDS_S3_URI");
    expect(variableOf({ MDS_BLOB: "/tmp/blob.jwt" })).toBe("MDS_S3_URI");
    expect(variableOf({ AWS_REGION: "eu-west-1", MDS_S3_URI: "s3://keyport-metadata/k", MDS_URL: "http://mds3.fidoalliance.org/" })).toBe("MDS_URL");
    expect(variableOf({ AWS_REGION: "eu-west-1", MDS_S3_URI: "s3://keyport-metadata/k", MDS_URL: "not a url" })).toBe("MDS_URL");
  });

  it("logs a configuration it cannot run with as an init failure and throws", () => {
    const { log, lines } = recording();
    expect(() => lambdaMdsRefreshHandler({}, { log })).toThrow(ConfigError);
    expect(lines).toEqual([expect.objectContaining({ level: "error", event: "lambda_init_failed", function: "mds_refresh", variable: "MDS_S3_URI" })]);
  });

  it("end to end over doubles: downloads from MDS_URL, verifies against the root given, writes the snapshot to the bucket and key of MDS_S3_URI", async () => {
    const client = new S3Client({ region: "eu-west-1" });
    const s3 = mockClient(client);
    s3.on(GetObjectCommand).rejects(new NoSuchKey({ message: "none", $metadata: {} }));
    s3.on(PutObjectCommand).resolves({});
    const blob = await signMds3Blob(mds3Payload({ no: 4 }));
    const urls: string[] = [];
    const { log, lines } = recording();
    const handler = lambdaMdsRefreshHandler(
      { AWS_REGION: "eu-west-1", MDS_S3_URI: "s3://keyport-metadata/mds3/metadata.json", MDS_URL: "https://mds.example/" },
      {
        client,
        root: mds3TestRoot(),
        clock: new ManualClock(),
        log,
        fetch: (url) => {
          urls.push(url);
          return Promise.resolve({ ok: true, status: 200, text: () => Promise.resolve(blob) });
        },
      },
    );
    expect(await handler(scheduledEvent)).toMatchObject({ outcome: "replaced", no: 4 });
    expect(urls).toEqual(["https://mds.example/"]);
    expect(s3.commandCalls(PutObjectCommand)[0]?.args[0].input).toMatchObject({ Bucket: "keyport-metadata", Key: "mds3/metadata.json" });
    expect(lines).toEqual([expect.objectContaining({ level: "info", event: MDS_REFRESH_LOG_EVENT, outcome: "replaced", no: 4 })]);
  });

  it("verifies against FIDO's root unless told otherwise: a test BLOB is refused", async () => {
    const client = new S3Client({ region: "eu-west-1" });
    const s3 = mockClient(client);
    s3.on(GetObjectCommand).rejects(new NoSuchKey({ message: "none", $metadata: {} }));
    const blob = await signMds3Blob(mds3Payload({ no: 4 }));
    const handler = lambdaMdsRefreshHandler(
      { AWS_REGION: "eu-west-1", MDS_S3_URI: "s3://keyport-metadata/mds3/metadata.json" },
      { client, clock: new ManualClock(), log: () => {}, fetch: () => Promise.resolve({ ok: true, status: 200, text: () => Promise.resolve(blob) }) },
    );
    expect(await handler()).toEqual({ outcome: "kept", reason: "blob_chain_invalid", currentNo: null });
    expect(s3.commandCalls(PutObjectCommand)).toHaveLength(0);
  });
});
