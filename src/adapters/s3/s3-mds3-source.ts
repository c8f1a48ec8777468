/**
 * The FIDO metadata in force on AWS (ADR 0027): the verified metadata snapshot that the stack's refresh
 * function wrote to S3 (s3-mds3-refresh.ts), read by the HTTP API and the Cognito triggers. The BLOB was
 * verified before it was written and only the refresh function's role may write the object, so reading
 * it takes no X.509 code: `parseSnapshot` only checks its form.
 *
 * Read on first use, then at most once per `recheckMs` with If-None-Match (an unchanged object costs a
 * 304, no body). What was accepted last stays in force when a re-read fails, is malformed or carries a
 * lower `no` than it (a restored old object version): each is logged, none is fatal once something was
 * accepted. Callers arriving while a read is under way wait for that read, so a burst of requests on a
 * cold start makes one GetObject.
 */
import { StorageUnavailableError } from "../../ports/storage-unavailable-error.js";
import { GetObjectCommand, type S3Client } from "@aws-sdk/client-s3";
import type { Clock } from "../../ports/clock.js";
import type { Mds3Metadata } from "../attestation/mds3-metadata.js";
import { parseSnapshot } from "../attestation/mds3-snapshot.js";
import type { Mds3Log, Mds3Source } from "../attestation/mds3-source.js";

/** The log lines' `event`: a snapshot that could not be read or was not taken. */
export const MDS3_SNAPSHOT_NOT_READ = "mds3_snapshot_not_read";

/** How often the object is asked for again by default: the refresh runs daily, FIDO publishes monthly. */
export const DEFAULT_RECHECK_MS = 5 * 60_000;

export interface S3Mds3SourceOptions {
  readonly client: S3Client;
  readonly bucket: string;
  readonly key: string;
  readonly clock: Clock;
  readonly log: Mds3Log;
  /** At most one read per this many ms once a snapshot is accepted; default 5 minutes. */
  readonly recheckMs?: number;
}

interface Accepted {
  readonly metadata: Mds3Metadata;
  readonly etag: string | undefined;
}

export class S3Mds3Source implements Mds3Source {
  readonly #options: S3Mds3SourceOptions;
  readonly #recheckMs: number;
  #accepted: Accepted | null = null;
  /** When the object was last asked for with something accepted; a read with nothing accepted yet is retried at once. */
  #checkedAt = Number.NEGATIVE_INFINITY;
  #reading: Promise<Mds3Metadata> | null = null;

  constructor(options: S3Mds3SourceOptions) {
    this.#options = options;
    this.#recheckMs = options.recheckMs ?? DEFAULT_RECHECK_MS;
  }

  current(): Promise<Mds3Metadata> {
    if (this.#accepted !== null && this.#options.clock.now() - this.#checkedAt < this.#recheckMs) return Promise.resolve(this.#accepted.metadata);
    this.#reading ??= this.#read().finally(() => {
      this.#reading = null;
    });
    return this.#reading;
  }

  async #read(): Promise<Mds3Metadata> {
    const { client, bucket, key, clock } = this.#options;
    const previous = this.#accepted;
    let text: string;
    let etag: string | undefined;
    try {
      const response = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key, ...(previous?.etag === undefined ? {} : { IfNoneMatch: previous.etag }) }));
      if (response.Body === undefined) throw new Error("GetObject answered without a body");
      text = await response.Body.transformToString("utf-8");
      etag = response.ETag;
    } catch (fault) {
      if (previous !== null && isNotModified(fault)) return this.#keep(previous);
      return this.#refuse(previous, { reason: isMissing(fault) ? "missing" : "unreadable", error: fault instanceof Error ? fault.name : typeof fault, message: (fault instanceof Error ? fault.message : String(fault)).slice(0, 500) });
    }
    const parsed = parseSnapshot(text);
    if (!parsed.ok) return this.#refuse(previous, { reason: parsed.error, etag });
    if (previous !== null && parsed.value.no < previous.metadata.no) return this.#refuse(previous, { reason: "older_than_current", no: parsed.value.no, current: previous.metadata.no });
    this.#accepted = { metadata: parsed.value, etag };
    this.#checkedAt = clock.now();
    return parsed.value;
  }

  #keep(previous: Accepted): Mds3Metadata {
    this.#checkedAt = this.#options.clock.now();
    return previous.metadata;
  }

  /** Logs why the object was not taken; keeps what was accepted before, or throws when nothing was. */
  #refuse(previous: Accepted | null, details: Readonly<Record<string, unknown>>): Mds3Metadata {
    const { bucket, key, log } = this.#options;
    log({ level: previous === null ? "error" : "warn", event: MDS3_SNAPSHOT_NOT_READ, bucket, key, ...details, keeping: previous?.metadata.no ?? null });
    // Stored data that cannot be read: the shells answer 503 storage_unavailable, as for the tables.
    if (previous === null) {
      throw new StorageUnavailableError(`read the verified FIDO metadata at s3://${bucket}/${key}`, true, new Error(`no verified FIDO metadata could be read (${String(details.reason)})`));
    }
    return this.#keep(previous);
  }
}

/** S3's answer to If-None-Match when the object has not changed: 304, which the SDK throws. */
function isNotModified(fault: unknown): boolean {
  return httpStatus(fault) === 304 || (fault instanceof Error && fault.name === "NotModified");
}

/** No such object (the refresh function has not written one yet). Without s3:ListBucket S3 answers 403 rather than 404. */
function isMissing(fault: unknown): boolean {
  return fault instanceof Error && (fault.name === "NoSuchKey" || httpStatus(fault) === 404);
}

function httpStatus(fault: unknown): number | undefined {
  if (typeof fault !== "object" || fault === null || !("$metadata" in fault)) return undefined;
  const metadata = fault.$metadata;
  if (typeof metadata !== "object" || metadata === null || !("httpStatusCode" in metadata)) return undefined;
  return typeof metadata.httpStatusCode === "number" ? metadata.httpStatusCode : undefined;
}
