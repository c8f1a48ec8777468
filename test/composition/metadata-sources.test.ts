import { afterEach, describe, expect, it, vi } from "vitest";
import { indexMds3Entries } from "../../src/adapters/attestation/mds3-metadata.js";
import { snapshotOf } from "../../src/adapters/attestation/mds3-snapshot.js";
import { lambdaMetadataSource, localMetadataSource, s3MetadataSource } from "../../src/composition/metadata-sources.js";
import { ManualClock } from "../support/manual-clock.js";

describe("s3MetadataSource", () => {
  afterEach(() => {
    vi.unstubAllGlobals();
    vi.unstubAllEnvs();
  });

  it("GETs the snapshot at the bucket and key given from the region's endpoint, signed with the default credential chain, once per recheck interval", async () => {
    // The chain's first link: the environment, as Lambda gives the function's role.
    vi.stubEnv("AWS_ACCESS_KEY_ID", "AKIDEXAMPLE");
    vi.stubEnv("AWS_SECRET_ACCESS_KEY", "secret");
    vi.stubEnv("AWS_SESSION_TOKEN", "token");
    const text = snapshotOf({ no: 9, nextUpdate: "2049-12-01", legalHeader: "", ...indexMds3Entries([]) }, 0);
    const requests: { url: string; authorization: string | null }[] = [];
    vi.stubGlobal("fetch", (input: string, init: RequestInit) => {
      requests.push({ url: input, authorization: new Headers(init.headers).get("authorization") });
      return Promise.resolve(new Response(text, { status: 200, headers: { etag: '"e"' } }));
    });
    const source = s3MetadataSource({ bucket: "keyport-metadata", key: "mds3/metadata.json", region: "eu-central-1" }, { clock: new ManualClock(), log: () => {} });
    expect((await source.current()).no).toBe(9);
    await source.current();
    expect(requests).toEqual([{ url: "https://keyport-metadata.s3.eu-central-1.amazonaws.com/mds3/metadata.json", authorization: expect.stringMatching(/^AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE\/\d{8}\/eu-central-1\/s3\/aws4_request, /) }]);
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
