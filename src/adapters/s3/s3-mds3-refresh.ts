/**
 * The refresh of the FIDO metadata on AWS (ADR 0027): download the MDS3 BLOB, verify it with
 * `readMds3Blob` (x5c chain to the MDS3 root, JWS signature, `no` strictly above the snapshot's in
 * force, `nextUpdate`), and only then replace the verified metadata snapshot in S3 that every other
 * function reads (s3-mds3-source.ts). A BLOB that is refused or cannot be downloaded leaves the snapshot
 * as it is: the functions go on with what was verified last. The stack runs this daily; FIDO publishes
 * about monthly, so most runs end `kept` with `blob_older_than_current`.
 *
 * The raw BLOB is not kept: the snapshot's bucket is versioned, and every snapshot names the `no` of
 * the BLOB it came from, which FIDO's own archive can produce again.
 */
import { GetObjectCommand, PutObjectCommand, type S3Client } from "@aws-sdk/client-s3";
import type { CertificateVerifier } from "../../ports/certificate-verifier.js";
import type { Clock } from "../../ports/clock.js";
import { readMds3Blob, type Mds3Refusal } from "../attestation/mds3-metadata.js";
import { parseSnapshot, snapshotOf } from "../attestation/mds3-snapshot.js";

/** Where FIDO publishes the MDS3 BLOB. */
export const FIDO_MDS3_URL = "https://mds3.fidoalliance.org/";

/** The part of `fetch` the refresh uses; injected so that tests serve their own BLOBs. */
export type Mds3Fetch = (url: string, init: { readonly signal: AbortSignal }) => Promise<Pick<Response, "ok" | "status" | "text">>;

export type Mds3RefreshOutcome =
  | {
      readonly outcome: "replaced";
      /** The new snapshot's `no`, and the one it replaced (null: none, or one that could not be read). */
      readonly no: number;
      readonly previousNo: number | null;
      readonly entryCount: number;
      readonly skippedEntries: number;
    }
  | {
      readonly outcome: "kept";
      readonly reason: Mds3Refusal | "download_failed";
      /** The `no` of the snapshot left in force, null when there is none. */
      readonly currentNo: number | null;
      /** For download_failed: the HTTP status or the error's name. */
      readonly detail?: string;
    };

export interface Mds3RefreshOptions {
  readonly client: S3Client;
  readonly bucket: string;
  readonly key: string;
  /** Where the BLOB is downloaded from: FIDO_MDS3_URL in production. */
  readonly mdsUrl: string;
  /** DER of the root the BLOB's x5c must validate to: `fidoMds3Root()` in production, a test root in tests. */
  readonly root: Uint8Array;
  readonly verifier: CertificateVerifier;
  readonly fetch: Mds3Fetch;
  readonly clock: Clock;
  /** Passed to readMds3Blob: how long past `nextUpdate` a BLOB is still taken. Default 0. */
  readonly graceMs?: number;
  /** How long the download may take; default 30 s (the BLOB is a few megabytes). */
  readonly downloadTimeoutMs?: number;
}

/**
 * One refresh. Refusals and a failed download are outcomes; S3 failing to read or write the snapshot
 * throws (an infrastructure fault: the run fails and the scheduler's retry or the next day tries again).
 */
export async function refreshMds3Snapshot(options: Mds3RefreshOptions): Promise<Mds3RefreshOutcome> {
  const currentNo = await currentSnapshotNo(options);

  let blob: string;
  try {
    const response = await options.fetch(options.mdsUrl, { signal: AbortSignal.timeout(options.downloadTimeoutMs ?? 30_000) });
    if (!response.ok) return { outcome: "kept", reason: "download_failed", currentNo, detail: `HTTP ${response.status}` };
    blob = await response.text();
  } catch (fault) {
    return { outcome: "kept", reason: "download_failed", currentNo, detail: fault instanceof Error ? fault.name : typeof fault };
  }

  const now = options.clock.now();
  const read = await readMds3Blob(options.verifier, {
    blob,
    root: options.root,
    lastAcceptedNo: currentNo,
    now,
    ...(options.graceMs === undefined ? {} : { graceMs: options.graceMs }),
  });
  if (!read.ok) return { outcome: "kept", reason: read.error, currentNo };

  await options.client.send(
    new PutObjectCommand({ Bucket: options.bucket, Key: options.key, Body: snapshotOf(read.value, now), ContentType: "application/json" }),
  );
  return { outcome: "replaced", no: read.value.no, previousNo: currentNo, entryCount: read.value.entryCount, skippedEntries: read.value.skippedEntries };
}

/**
 * The `no` of the snapshot in force, or null when there is none. A snapshot that cannot be parsed
 * counts as none, so that a verified BLOB replaces it rather than leaving the functions without metadata.
 */
async function currentSnapshotNo({ client, bucket, key }: Mds3RefreshOptions): Promise<number | null> {
  let text: string;
  try {
    const response = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    if (response.Body === undefined) return null;
    text = await response.Body.transformToString("utf-8");
  } catch (fault) {
    if (fault instanceof Error && fault.name === "NoSuchKey") return null;
    throw fault;
  }
  const parsed = parseSnapshot(text);
  return parsed.ok ? parsed.value.no : null;
}
