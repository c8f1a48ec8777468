/**
 * The FIDO metadata refresh function's composition root (ADR 0027): the one function that reads the
 * MDS3 BLOB, verifies it (node:crypto's X.509 verifier, the MDS3 root constant) and writes the verified
 * snapshot to S3, the one its role may write. Its settings: MDS_S3_URI (s3://bucket/key of the
 * snapshot, read as the other functions read it) and MDS_URL (where the BLOB is downloaded; FIDO's by
 * default). MDS_ROOT is not read here: on AWS the BLOB must chain to FIDO's root.
 */
import { fidoMds3Root } from "../adapters/attestation/fido-mds3-root.js";
import { FIDO_MDS3_URL, refreshMds3Snapshot, type Mds3Fetch, type Mds3RefreshOutcome } from "../adapters/s3/s3-mds3-refresh.js";
import { SystemClock } from "../adapters/system/system-clock.js";
import { jsonLineLog, type Log } from "../handlers/http/log.js";
import { mdsRefreshHandler } from "../handlers/lambda/mds-refresh.js";
import { composeOrReportSync } from "../handlers/lambda/shell.js";
import type { S3Client } from "@aws-sdk/client-s3";
import type { Clock } from "../ports/clock.js";
import { certificateVerifier } from "./certificate-verifiers.js";
import { ConfigError, parseMetadataConfig } from "./config.js";
import type { Env } from "./lambda-secrets.js";
import { snapshotS3Client } from "./snapshot-s3-client.js";

export interface MdsRefreshConfig {
  readonly bucket: string;
  readonly key: string;
  readonly mdsUrl: string;
}

/** The refresh function's settings; a missing or malformed one is a ConfigError naming it. */
export function mdsRefreshConfig(env: Env): MdsRefreshConfig {
  const metadata = parseMetadataConfig(env);
  if (metadata === null || metadata.source !== "s3") throw new ConfigError("MDS_S3_URI", "is required by the metadata refresh function (s3://<bucket>/<key>)");
  const raw = env.MDS_URL ?? "";
  const mdsUrl = raw === "" ? FIDO_MDS3_URL : raw;
  let url: URL | null;
  try {
    url = new URL(mdsUrl);
  } catch {
    url = null;
  }
  if (url === null || url.protocol !== "https:") throw new ConfigError("MDS_URL", `must be an https URL, got ${JSON.stringify(mdsUrl)}`);
  return { bucket: metadata.bucket, key: metadata.key, mdsUrl };
}

/** For tests: the edges the function reaches (FIDO's server, S3, FIDO's root, the time) and its log. */
export interface MdsRefreshOptions {
  readonly fetch?: Mds3Fetch;
  readonly client?: S3Client;
  readonly root?: Uint8Array;
  readonly clock?: Clock;
  readonly log?: Log;
}

/** The function's handler, composed from `env`; throws (after logging) on a configuration it cannot run with. */
export function lambdaMdsRefreshHandler(env: Env, options: MdsRefreshOptions = {}): (event?: unknown) => Promise<Mds3RefreshOutcome> {
  const log = options.log ?? jsonLineLog();
  const config = composeOrReportSync("mds_refresh", log, () => mdsRefreshConfig(env));
  const client = options.client ?? snapshotS3Client({ requestTimeoutMs: 15_000, maxAttempts: 3 });
  const verifier = certificateVerifier();
  const refresh = (): Promise<Mds3RefreshOutcome> =>
    refreshMds3Snapshot({
      client,
      bucket: config.bucket,
      key: config.key,
      mdsUrl: config.mdsUrl,
      root: options.root ?? fidoMds3Root(),
      verifier,
      fetch: options.fetch ?? ((url, init) => fetch(url, init)),
      clock: options.clock ?? new SystemClock(),
    });
  return mdsRefreshHandler(refresh, log);
}
