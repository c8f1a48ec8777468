/**
 * Where the compositions get the FIDO metadata in force (ADR 0027): on AWS the verified snapshot the
 * stack's refresh function writes to S3, read by S3Mds3Source; locally also a BLOB file, verified here.
 * Factories, as for the certificate verifier (certificate-verifiers.ts), given to composeServices as
 * `metadataSource`, so that only the compositions that need metadata bundle the S3 reader, and the
 * Lambda functions' no X.509 code: the snapshot was verified before it was written.
 */
import type { Mds3Source } from "../adapters/attestation/mds3-source.js";
import type { Mds3Log } from "../adapters/attestation/mds3-source.js";
import type { Clock } from "../ports/clock.js";
import { Mds3FileSource, readMds3Root } from "../adapters/attestation/mds3-file-source.js";
import { S3Mds3Source } from "../adapters/s3/s3-mds3-source.js";
import { SigV4S3ObjectReader } from "../adapters/s3/sigv4-s3-object-reader.js";
import { ConfigError, type MetadataConfig } from "./config.js";
import type { Services } from "./services.js";

/**
 * The metadata source over s3://bucket/key in `region`, read with a signed GET (SigV4S3ObjectReader),
 * not the S3 client: the HTTP API and the triggers read it while a user waits, and loading the S3 SDK
 * cost each cold start about 8 ms (bench:cold); the signer and the credential chain are in their bundles
 * already, for DynamoDB. The refresh function, which writes the snapshot, keeps the S3 client
 * (snapshot-s3-client.ts).
 */
export function s3MetadataSource(
  config: { readonly bucket: string; readonly key: string; readonly region: string },
  deps: { readonly clock: Clock; readonly log: Mds3Log },
): Mds3Source {
  return new S3Mds3Source({ reader: new SigV4S3ObjectReader({ region: config.region }), bucket: config.bucket, key: config.key, clock: deps.clock, log: deps.log });
}

/**
 * The Lambda functions' metadata: only the stack's verified snapshot in S3. A BLOB file would need X.509
 * in every bundle (and a file shipped beside it), so MDS_BLOB is refused there.
 */
export function lambdaMetadataSource(metadata: MetadataConfig, services: Services, log: Mds3Log): Mds3Source {
  if (metadata.source === "file") throw new ConfigError("MDS_BLOB", "is not read on AWS Lambda: use MDS_S3_URI, the metadata the stack's refresh function verifies and writes");
  return s3MetadataSource(metadata, { clock: services.clock, log });
}

/**
 * The local server's metadata: a BLOB file verified here against FIDO's MDS3 root or MDS_ROOT's (with
 * the composition's X.509 verifier), or the stack's snapshot in S3.
 */
export function localMetadataSource(metadata: MetadataConfig, services: Services, log: Mds3Log): Mds3Source {
  if (metadata.source === "s3") return s3MetadataSource(metadata, { clock: services.clock, log });
  let root: Uint8Array;
  try {
    root = readMds3Root(metadata.rootPath ?? undefined);
  } catch (fault) {
    throw new ConfigError("MDS_ROOT", `cannot read a certificate from ${JSON.stringify(metadata.rootPath)}: ${fault instanceof Error ? fault.message : String(fault)}`);
  }
  return new Mds3FileSource({ path: metadata.path, root, certificateVerifier: services.certificateVerifier, clock: services.clock, log });
}
