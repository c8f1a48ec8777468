/**
 * FIDO metadata from a BLOB file the operator supplies (MDS_BLOB, ADR 0027): verified with
 * `readMds3Blob` before anything in it is used, then watched. At most once per `recheckMs` (by the
 * Clock) the file is stat'ed; when its modification time or size changed it is read and verified again
 * against the serial accepted last, so an operator can drop in FIDO's next BLOB without a restart, and a
 * replaced file that is older, badly signed or half-written is refused and logged while the metadata
 * accepted last stays in force (MDS3's processing rules: ignore a BLOB that does not verify).
 */
import { readFile, stat } from "node:fs/promises";
import type { CertificateVerifier } from "../../ports/certificate-verifier.js";
import type { Clock } from "../../ports/clock.js";
import { SweepSchedule } from "../common/sweep-schedule.js";
import { fidoMds3Root } from "./fido-mds3-root.js";
import { readMds3Blob, type Mds3Metadata, type Mds3Refusal } from "./mds3-metadata.js";
import type { Mds3Log, Mds3Source } from "./mds3-source.js";
import { readPemCertificateFile } from "./pem-trust-anchors.js";

/** What identifies a version of the file without reading it. */
export interface Mds3FileStamp {
  readonly modifiedMs: number;
  readonly size: number;
}

/** The file operations the source needs: node:fs by default, another in tests. Both throw when the file cannot be read. */
export interface Mds3Files {
  stat(path: string): Promise<Mds3FileStamp>;
  read(path: string): Promise<string>;
}

/** Why the file source did not take a BLOB: a refusal of the reader, or a file that could not be read at all. */
export type Mds3FileRefusal = Mds3Refusal | "blob_unreadable";

export interface Mds3FileSourceOptions {
  /** The BLOB file (MDS_BLOB): the JWS as FIDO publishes it. */
  readonly path: string;
  /** DER of the root the BLOB's x5c must chain to; see `readMds3Root`. */
  readonly root: Uint8Array;
  readonly certificateVerifier: CertificateVerifier;
  readonly clock: Clock;
  readonly log: Mds3Log;
  /** How often, at most, the file is stat'ed for a change; default one minute. */
  readonly recheckMs?: number;
  /** How long past `nextUpdate` a BLOB is still accepted (`ReadMds3Options.graceMs`); default 0. */
  readonly graceMs?: number;
  readonly files?: Mds3Files;
}

/** The default: node:fs/promises. */
export const nodeMds3Files: Mds3Files = {
  async stat(path) {
    const stats = await stat(path);
    return { modifiedMs: stats.mtimeMs, size: stats.size };
  },
  read: (path) => readFile(path, "utf8"),
};

const DEFAULT_RECHECK_MS = 60_000;

/** Thrown by `current()` when no BLOB was ever accepted from the file: a fault of the deployment, not of a request. */
export class Mds3Unavailable extends Error {
  override readonly name = "Mds3Unavailable";

  constructor(
    readonly path: string,
    readonly code: Mds3FileRefusal,
  ) {
    super(`FIDO metadata unavailable: the MDS BLOB at ${path} was not accepted (${code})`);
  }
}

export class Mds3FileSource implements Mds3Source {
  readonly #options: Mds3FileSourceOptions;
  readonly #files: Mds3Files;
  readonly #schedule: SweepSchedule;
  #metadata: Mds3Metadata | null = null;
  /** Why the last attempt failed, while nothing was accepted: what `current()` throws with. */
  #failure: Mds3FileRefusal = "blob_unreadable";
  /** The version of the file read last, accepted or refused: the same file is not verified twice. */
  #seen: Mds3FileStamp | null = null;
  #inFlight: Promise<void> | null = null;

  constructor(options: Mds3FileSourceOptions) {
    this.#options = options;
    this.#files = options.files ?? nodeMds3Files;
    this.#schedule = new SweepSchedule(options.clock, options.recheckMs ?? DEFAULT_RECHECK_MS);
  }

  async current(): Promise<Mds3Metadata> {
    if (this.#inFlight === null && this.#schedule.due() !== null) {
      this.#inFlight = this.#check().finally(() => {
        this.#inFlight = null;
      });
    }
    if (this.#inFlight !== null) await this.#inFlight;
    if (this.#metadata === null) throw new Mds3Unavailable(this.#options.path, this.#failure);
    return this.#metadata;
  }

  /** Reads the file when it changed since it was read last; never rejects on a bad or missing file. */
  async #check(): Promise<void> {
    const { path } = this.#options;
    let stamp: Mds3FileStamp;
    let text: string;
    try {
      stamp = await this.#files.stat(path);
      if (this.#seen !== null && stamp.modifiedMs === this.#seen.modifiedMs && stamp.size === this.#seen.size) return;
      text = await this.#files.read(path);
    } catch (error) {
      // Not remembered as seen: a file that could not be read is tried again at the next check.
      this.#refuse("blob_unreadable", { message: error instanceof Error ? error.message : String(error) });
      return;
    }
    // The stamp from before the read: a file still being written when it was read differs at the next check.
    this.#seen = stamp;
    const result = await readMds3Blob(this.#options.certificateVerifier, {
      blob: text,
      root: this.#options.root,
      lastAcceptedNo: this.#metadata?.no ?? null,
      now: this.#options.clock.now(),
      ...(this.#options.graceMs === undefined ? {} : { graceMs: this.#options.graceMs }),
    });
    if (!result.ok) {
      this.#refuse(result.error, this.#metadata === null ? {} : { kept: this.#metadata.no });
      return;
    }
    this.#metadata = result.value;
    const { no, nextUpdate, entryCount, skippedEntries } = result.value;
    this.#options.log({ level: "info", event: "mds_blob_accepted", path, no, nextUpdate, entryCount, skippedEntries });
  }

  #refuse(code: Mds3FileRefusal, details: Readonly<Record<string, unknown>>): void {
    if (this.#metadata === null) this.#failure = code;
    this.#options.log({ level: "warn", event: "mds_blob_refused", code, path: this.#options.path, ...details });
  }
}

/**
 * The root an MDS BLOB must chain to: the first certificate of the PEM file at `pemPath` (MDS_ROOT,
 * for a test or private metadata service), or FIDO's (`fidoMds3Root()`) when no path is given. Throws
 * when the file cannot be read or holds no certificate: a configuration fault, found at startup.
 */
export function readMds3Root(pemPath?: string): Uint8Array {
  if (pemPath === undefined) return fidoMds3Root();
  const [root] = readPemCertificateFile(pemPath);
  if (root === undefined) throw new Error(`MDS_ROOT: no certificate in ${pemPath}`);
  return root;
}
