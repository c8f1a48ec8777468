/**
 * FIDO metadata for domain tests, without a BLOB: entries set and changed by the test (a model reported
 * REVOKED after its keys were registered), looked up the way the MDS3 adapter looks them up (by AAGUID,
 * by key identifier for the all-zero AAGUID). The adapter over real BLOBs has tests of its own.
 */
import type { AuthenticatorMetadata, AuthenticatorMetadataEntry, AuthenticatorMetadataQuery, AuthenticatorStatusReport } from "../../../src/ports/authenticator-metadata.js";

const ZERO_AAGUID = "00000000-0000-0000-0000-000000000000";

export class TestAuthenticatorMetadata implements AuthenticatorMetadata {
  readonly #entries = new Map<string, AuthenticatorMetadataEntry>();
  /** How many lookups were made, and the last query. */
  lookups = 0;
  lastQuery: AuthenticatorMetadataQuery | null = null;
  /** When set, every lookup throws it (metadata that cannot be read). */
  failure: Error | null = null;

  /** Sets the entry of an AAGUID (or of a key identifier, for U2F) to these statuses, dated one day apart in order. */
  set(aaguidOrKeyIdentifier: string, ...statuses: string[]): this {
    const statusReports: AuthenticatorStatusReport[] = statuses.map((status, i) => ({ status, effectiveDate: `2024-01-${String(i + 1).padStart(2, "0")}` }));
    this.#entries.set(aaguidOrKeyIdentifier, { description: `Test authenticator ${aaguidOrKeyIdentifier}`, statusReports });
    return this;
  }

  delete(aaguidOrKeyIdentifier: string): void {
    this.#entries.delete(aaguidOrKeyIdentifier);
  }

  entryFor(query: AuthenticatorMetadataQuery): Promise<AuthenticatorMetadataEntry | null> {
    this.lookups++;
    this.lastQuery = query;
    if (this.failure !== null) return Promise.reject(this.failure);
    const key = query.aaguid === ZERO_AAGUID ? query.keyIdentifier : query.aaguid;
    return Promise.resolve(key === undefined ? null : (this.#entries.get(key) ?? null));
  }
}
