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
 *
 * The object is read through an S3ObjectReader (sigv4-s3-object-reader.ts), not the S3 client: the
 * functions that read it while a user waits should not load the S3 SDK on a cold start.
 */
import { StorageUnavailableError } from "../../ports/storage-unavailable-error.js";
import type { Clock } from "../../ports/clock.js";
import type { Mds3Metadata } from "../attestation/mds3-metadata.js";
import { parseSnapshot } from "../attestation/mds3-snapshot.js";
import type { Mds3Log, Mds3Source } from "../attestation/mds3-source.js";
import type { S3ObjectRead, S3ObjectReader } from "./sigv4-s3-object-reader.js";

/** The log lines' `event`: a snapshot that could not be read or was not taken. */
export const MDS3_SNAPSHOT_NOT_READ = "mds3_snapshot_not_read";

/** How often the object is asked for again by default: the refresh runs daily, FIDO publishes monthly. */
export const DEFAULT_RECHECK_MS = 5 * 60_000;

export interface S3Mds3SourceOptions {
  readonly reader: S3ObjectReader;
  readonly bucket: string;
  readonly key: string;
  readonly clock: Clock;
  readonly log: Mds3Log;
  /** At most one read per this many ms once a snapshot is accepted; default 5 minutes. */
  readonly recheckMs?: number;
}

interface Accepted {
  readonly metadata: Mds3Metadata;
  readonly etag: string | null;
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
    const { reader, bucket, key, clock } = this.#options;
    const previous = this.#accepted;
    let read: S3ObjectRead;
    try {
      read = await reader.read(bucket, key, previous?.etag ?? null);
    } catch (fault) {
      return this.#refuse(previous, { reason: "unreadable", error: errorName(fault), message: (fault instanceof Error ? fault.message : String(fault)).slice(0, 500) });
    }
    if (read.kind === "not_found") return this.#refuse(previous, { reason: "missing" });
    if (read.kind === "not_modified") {
      if (previous !== null) return this.#keep(previous);
      // Not asked for (no ETag was sent): S3 or a proxy misbehaving, and still nothing to serve.
      return this.#refuse(previous, { reason: "unreadable", error: "NotModified", message: "304 Not Modified without If-None-Match" });
    }
    const { body: text, etag } = read;
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

/** The fault's name for the log; for StorageUnavailableError, its cause's (TimeoutError, AccessDenied…), which says more. */
function errorName(fault: unknown): string {
  const named = fault instanceof StorageUnavailableError && fault.cause instanceof Error ? fault.cause : fault;
  return named instanceof Error ? named.name : typeof named;
}
