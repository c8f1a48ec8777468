/**
 * The FIDO metadata in force (an `Mds3Source`) serving the domain's two questions about an authenticator
 * model (ADR 0027): its entry (status reports, for the authenticator policy) and the roots that may
 * anchor its attestation. Both look up one entry, by AAGUID for a FIDO2 authenticator and by attestation
 * key identifier for a U2F one (whose AAGUID is all zeros), and answer from that entry only: a model's
 * attestation is never anchored by the roots of another model in the same BLOB.
 */
import { decodeBase64 } from "@oslojs/encoding";
import type { AuthenticatorMetadata, AuthenticatorMetadataEntry, AuthenticatorMetadataQuery } from "../../ports/authenticator-metadata.js";
import type { TrustAnchorQuery, TrustAnchors } from "../../ports/trust-anchors.js";
import type { Mds3Entry } from "./mds3-metadata.js";
import type { Mds3Source } from "./mds3-source.js";

const ZERO_AAGUID = "00000000-0000-0000-0000-000000000000";

export class Mds3AuthenticatorMetadata implements AuthenticatorMetadata, TrustAnchors {
  constructor(private readonly source: Mds3Source) {}

  /**
   * Reads the metadata now, so that a composition can refuse to start without it (the local server
   * does: a bad MDS_BLOB stops start-up, not the first registration). Throws as the source does.
   */
  async ready(): Promise<{ readonly no: number; readonly nextUpdate: string; readonly entryCount: number }> {
    const { no, nextUpdate, entryCount } = await this.source.current();
    return { no, nextUpdate, entryCount };
  }

  async entryFor(query: AuthenticatorMetadataQuery): Promise<AuthenticatorMetadataEntry | null> {
    const entry = await this.#lookUp(query);
    return entry === null ? null : { description: entry.description, statusReports: entry.statusReports };
  }

  /** The entry's attestationRootCertificates as DER; none when the metadata has no entry for the model. */
  async anchorsFor(query: TrustAnchorQuery): Promise<readonly Uint8Array[]> {
    const entry = await this.#lookUp(query);
    // The reader admitted only well-formed base64 here, so decoding cannot fail.
    return entry === null ? [] : entry.attestationRootCertificates.map((root) => decodeBase64(root));
  }

  /** By AAGUID unless it is all zeros, else by key identifier: never both, so an entry answers only for its own model. */
  async #lookUp(query: { readonly aaguid: string; readonly keyIdentifier?: string }): Promise<Mds3Entry | null> {
    const metadata = await this.source.current();
    const aaguid = query.aaguid.toLowerCase();
    if (aaguid !== ZERO_AAGUID) return metadata.byAaguid.get(aaguid) ?? null;
    if (query.keyIdentifier === undefined) return null;
    return metadata.byKeyIdentifier.get(query.keyIdentifier.toLowerCase()) ?? null;
  }
}

/** Several sources of trust anchors as one: the operator's ATTESTATION_ROOTS and FIDO's per-model roots, each asked, in order. */
export class CombinedTrustAnchors implements TrustAnchors {
  constructor(private readonly sources: readonly TrustAnchors[]) {}

  async anchorsFor(query: TrustAnchorQuery): Promise<readonly Uint8Array[]> {
    const anchors = await Promise.all(this.sources.map((source) => source.anchorsFor(query)));
    return anchors.flat();
  }
}
