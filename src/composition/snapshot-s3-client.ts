/**
 * The S3 client of the FIDO metadata refresh function (ADR 0027), which writes the snapshot. The
 * functions that only read it do so without the S3 SDK (SigV4S3ObjectReader, metadata-sources.ts), so
 * that their cold starts do not load it; this module is kept apart for them not to bundle it.
 */
import { S3Client } from "@aws-sdk/client-s3";

/**
 * An S3 client for the snapshot, with the time-outs and attempts given (by default short ones). The
 * region is the function's (AWS_REGION): the stack puts the bucket beside it.
 */
export function snapshotS3Client(options: { readonly requestTimeoutMs?: number; readonly maxAttempts?: number } = {}): S3Client {
  return new S3Client({
    maxAttempts: options.maxAttempts ?? 2,
    requestHandler: { connectionTimeout: 1_000, requestTimeout: options.requestTimeoutMs ?? 2_000, throwOnRequestTimeout: true },
  });
}
