/**
 * Where the FIDO metadata in force comes from (ADR 0027): a BLOB file the operator supplies, verified
 * here (mds3-file-source.ts), or the metadata the stack's refresh function verified and wrote to S3
 * (s3-mds3-source.ts). Both answer with an accepted `Mds3Metadata`; the adapters that serve the domain's
 * ports (mds3-authenticator-metadata.ts) read it through this.
 */
import type { Mds3Metadata } from "./mds3-metadata.js";

export interface Mds3Source {
  /**
   * The metadata in force. A source re-reads its origin from time to time (by the composition's clock)
   * and keeps what it accepted last when the new one is refused (an older `no`, a bad signature) or
   * cannot be read, logging why. Throws when nothing was ever accepted (StorageUnavailableError when the
   * origin is a store that may come back): a policy that needs metadata must not pass without it.
   */
  current(): Promise<Mds3Metadata>;
}

/** Where a source says what it accepted, refused or could not read: the composition's JSON-line log fits. */
export type Mds3Log = (entry: { readonly level: "info" | "warn" | "error"; readonly event: string } & Readonly<Record<string, unknown>>) => void;
