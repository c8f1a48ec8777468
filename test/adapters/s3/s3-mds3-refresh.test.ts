import { GetObjectCommand, NoSuchKey, PutObjectCommand, S3Client, type GetObjectCommandOutput } from "@aws-sdk/client-s3";
import { mockClient } from "aws-sdk-client-mock";
import { beforeEach, describe, expect, it } from "vitest";
import { fidoMds3Root } from "../../../src/adapters/attestation/fido-mds3-root.js";
import { parseSnapshot } from "../../../src/adapters/attestation/mds3-snapshot.js";
import { NodeCryptoCertificateVerifier } from "../../../src/adapters/node-crypto/node-crypto-certificate-verifier.js";
import { FIDO_MDS3_URL, refreshMds3Snapshot, type Mds3Fetch, type Mds3RefreshOptions } from "../../../src/adapters/s3/s3-mds3-refresh.js";
import { mds3Entry, mds3Payload, mds3TestPki, mds3TestRoot, signMds3Blob } from "../../support/attestation/mds3.js";
import { makeCertificate } from "../../support/certificates/index.js";
import { ManualClock } from "../../support/manual-clock.js";

const BUCKET = "keyport-metadata";
const KEY = "mds3/metadata.json";
const AAGUID = "2fc0579f-8113-47ea-b116-bb5a8db9202a";
const NOW = Date.UTC(2026, 0, 1);

const client = new S3Client({ region: "eu-west-1" });
const s3 = mockClient(client);

function blob(no: number, options: { nextUpdate?: string } = {}): Promise<string> {
  return signMds3Blob(
    mds3Payload({
      no,
      ...options,
      entries: [mds3Entry({ aaguid: AAGUID, description: "Test Key", statusReports: [{ status: "FIDO_CERTIFIED_L2", effectiveDate: "2024-02-02" }], attestationRootCertificates: [mds3TestPki().root.der] })],
    }),
  );
}

/** The snapshot in S3 at the start of a run: one verified from a BLOB with `no`. */
async function existingSnapshot(no: number): Promise<GetObjectCommandOutput> {
  await refresh({ fetch: serving(await blob(no)) });
  const body = s3.commandCalls(PutObjectCommand).at(-1)?.args[0].input.Body;
  s3.resetHistory();
  return { Body: { transformToString: () => Promise.resolve(String(body)) } as unknown as GetObjectCommandOutput["Body"], $metadata: {} };
}

function serving(text: string, status = 200): Mds3Fetch & { urls: string[] } {
  const urls: string[] = [];
  const fetch = (url: string) => {
    urls.push(url);
    return Promise.resolve({ ok: status >= 200 && status < 300, status, text: () => Promise.resolve(text) });
  };
  return Object.assign(fetch, { urls });
}

function refresh(overrides: Partial<Mds3RefreshOptions> & { fetch: Mds3Fetch }) {
  return refreshMds3Snapshot({
    client,
    bucket: BUCKET,
    key: KEY,
    mdsUrl: FIDO_MDS3_URL,
    root: mds3TestRoot(),
    verifier: new NodeCryptoCertificateVerifier(),
    clock: new ManualClock(NOW),
    ...overrides,
  });
}

const missing = () => new NoSuchKey({ message: "The specified key does not exist.", $metadata: { httpStatusCode: 404 } });

describe("refreshMds3Snapshot", () => {
  beforeEach(() => {
    s3.reset();
    s3.on(GetObjectCommand).rejects(missing());
    s3.on(PutObjectCommand).resolves({});
  });

  it("with no snapshot yet, downloads the BLOB, verifies it and writes its snapshot as JSON", async () => {
    const fetch = serving(await blob(7));
    expect(await refresh({ fetch })).toEqual({ outcome: "replaced", no: 7, previousNo: null, entryCount: 1, skippedEntries: 0 });
    expect(fetch.urls).toEqual(["https://mds3.fidoalliance.org/"]);
    const [put] = s3.commandCalls(PutObjectCommand);
    expect(put?.args[0].input).toMatchObject({ Bucket: BUCKET, Key: KEY, ContentType: "application/json" });
    const written = parseSnapshot(String(put?.args[0].input.Body));
    expect(written.ok && written.value.byAaguid.get(AAGUID)?.statusReports).toEqual([{ status: "FIDO_CERTIFIED_L2", effectiveDate: "2024-02-02" }]);
    expect(JSON.parse(String(put?.args[0].input.Body))).toMatchObject({ version: 1, no: 7, verifiedAt: NOW });
  });

  it("replaces the snapshot only with a BLOB whose no is above the snapshot's", async () => {
    const existing = await existingSnapshot(7);
    s3.on(GetObjectCommand).resolves(existing);
    expect(await refresh({ fetch: serving(await blob(7)) })).toEqual({ outcome: "kept", reason: "blob_older_than_current", currentNo: 7 });
    expect(await refresh({ fetch: serving(await blob(6)) })).toEqual({ outcome: "kept", reason: "blob_older_than_current", currentNo: 7 });
    expect(s3.commandCalls(PutObjectCommand)).toHaveLength(0);
    expect(await refresh({ fetch: serving(await blob(8)) })).toMatchObject({ outcome: "replaced", no: 8, previousNo: 7 });
  });

  it("keeps the snapshot when the BLOB does not verify: another root, a bad signature, an expired BLOB, not a JWS", async () => {
    const existing = await existingSnapshot(7);
    s3.on(GetObjectCommand).resolves(existing);
    const text = await blob(8);
    const otherRoot = makeCertificate({ subject: "/C=BE/O=Keyport Test/CN=Test MDS Root", ca: true, key: "P-384" });
    expect(await refresh({ fetch: serving(text), root: fidoMds3Root() })).toEqual({ outcome: "kept", reason: "blob_chain_invalid", currentNo: 7 });
    expect(await refresh({ fetch: serving(text), root: otherRoot.der })).toEqual({ outcome: "kept", reason: "blob_chain_invalid", currentNo: 7 });
    const [header, payload] = text.split(".");
    const forged = `${header}.${payload}.${Buffer.alloc(64, 1).toString("base64url")}`;
    expect(await refresh({ fetch: serving(forged) })).toEqual({ outcome: "kept", reason: "blob_signature_invalid", currentNo: 7 });
    expect(await refresh({ fetch: serving(await blob(9, { nextUpdate: "2025-12-30" })) })).toEqual({ outcome: "kept", reason: "blob_expired", currentNo: 7 });
    expect(await refresh({ fetch: serving("<html>maintenance</html>") })).toEqual({ outcome: "kept", reason: "blob_malformed", currentNo: 7 });
    expect(s3.commandCalls(PutObjectCommand)).toHaveLength(0);
  });

  it("passes the grace it is given to the reader: a BLOB a day past nextUpdate is taken within it", async () => {
    const late = await blob(9, { nextUpdate: "2025-12-30" });
    expect(await refresh({ fetch: serving(late), graceMs: 3 * 86_400_000 })).toMatchObject({ outcome: "replaced", no: 9 });
  });

  it("keeps the snapshot when the download fails: an HTTP error, or fetch throwing (a time-out)", async () => {
    const existing = await existingSnapshot(7);
    s3.on(GetObjectCommand).resolves(existing);
    expect(await refresh({ fetch: serving("busy", 503) })).toEqual({ outcome: "kept", reason: "download_failed", currentNo: 7, detail: "HTTP 503" });
    const timingOut: Mds3Fetch = () => Promise.reject(new DOMException("The operation timed out.", "TimeoutError"));
    expect(await refresh({ fetch: timingOut })).toEqual({ outcome: "kept", reason: "download_failed", currentNo: 7, detail: "TimeoutError" });
    expect(s3.commandCalls(PutObjectCommand)).toHaveLength(0);
  });

  it("downloads from the URL it is given, with a time-out signal", async () => {
    const seen: { url: string; signal: AbortSignal }[] = [];
    const text = await blob(3);
    const fetch: Mds3Fetch = (url, init) => {
      seen.push({ url, signal: init.signal });
      return Promise.resolve({ ok: true, status: 200, text: () => Promise.resolve(text) });
    };
    await refresh({ fetch, mdsUrl: "https://mds.example/blob.jwt" });
    expect(seen[0]?.url).toBe("https://mds.example/blob.jwt");
    expect(seen[0]?.signal).toBeInstanceOf(AbortSignal);
  });

  it("replaces a snapshot it cannot parse, as if there were none", async () => {
    s3.on(GetObjectCommand).resolves({ Body: { transformToString: () => Promise.resolve("garbage") } as unknown as GetObjectCommandOutput["Body"], $metadata: {} });
    expect(await refresh({ fetch: serving(await blob(2)) })).toMatchObject({ outcome: "replaced", no: 2, previousNo: null });
  });

  it("throws when S3 fails (reading the snapshot in force, or writing the new one): an infrastructure fault, not an outcome", async () => {
    s3.on(GetObjectCommand).rejects(Object.assign(new Error("Access Denied"), { name: "AccessDenied" }));
    await expect(refresh({ fetch: serving(await blob(2)) })).rejects.toThrow(/Access Denied/);
    s3.on(GetObjectCommand).rejects(missing());
    s3.on(PutObjectCommand).rejects(new Error("Service Unavailable"));
    await expect(refresh({ fetch: serving(await blob(2)) })).rejects.toThrow(/Service Unavailable/);
  });
});
