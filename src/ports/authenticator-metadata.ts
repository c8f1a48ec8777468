/**
 * What the FIDO Metadata Service says of an authenticator model (issue 15, ADR 0027 "Authenticator
 * policy"): read from the metadata in force (an MDS3 BLOB the operator supplies, verified before it is
 * used), by the AAGUID of a FIDO2 authenticator or the attestation key identifier of a U2F one. The
 * domain asks it when a policy needs certification: at registration and, under `certified`, at every
 * sign-in, so a model reported compromised later stops working.
 */

/** An MDS3 status report: the status (`FIDO_CERTIFIED_L1`, `REVOKED`, …) and the day it took effect. */
export interface AuthenticatorStatusReport {
  readonly status: string;
  /** `YYYY-MM-DD`, or null when the report has none. */
  readonly effectiveDate: string | null;
}

/** One authenticator model's entry in the metadata in force. */
export interface AuthenticatorMetadataEntry {
  /** The model's name for people (metadataStatement.description), or null. */
  readonly description: string | null;
  /** Every status report of the entry, in the BLOB's order. */
  readonly statusReports: readonly AuthenticatorStatusReport[];
}

export interface AuthenticatorMetadataQuery {
  /** The authenticator data's AAGUID, lower-case UUID form; all zeros for U2F authenticators. */
  readonly aaguid: string;
  /** The attestation certificate's key identifier (lower-case hex SHA-1 of its subjectPublicKey), when known. */
  readonly keyIdentifier?: string;
}

export interface AuthenticatorMetadata {
  /**
   * The entry for this authenticator: by AAGUID when it is not all zeros, else by key identifier; null
   * when the metadata in force has none. Throws only when no metadata can be read at all (an
   * infrastructure fault: a policy that needs metadata must not pass without it).
   */
  entryFor(query: AuthenticatorMetadataQuery): Promise<AuthenticatorMetadataEntry | null>;
}
