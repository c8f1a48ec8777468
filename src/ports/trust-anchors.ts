/**
 * Where attestation trust comes from (WebAuthn Level 3 §7.1 step 23, ADR 0027): the root certificates
 * that may anchor the certificate chain of an authenticator's attestation statement. The roots an operator
 * configures (ATTESTATION_ROOTS), and FIDO MDS3's, which knows the roots of each authenticator model and
 * answers for the AAGUID (or, for U2F, the key identifier) asked about.
 */
export interface TrustAnchorQuery {
  /** The authenticator data's AAGUID, in its UUID form. */
  readonly aaguid: string;
  /** The statement's format identifier. */
  readonly format: string;
  /** The attestation certificate's key identifier (lower-case hex SHA-1 of its subjectPublicKey), when it has one keyport computes (EC keys). */
  readonly keyIdentifier?: string;
}

export interface TrustAnchors {
  /** DER X.509 certificates that anchor this authenticator's attestation; empty when none does. */
  anchorsFor(query: TrustAnchorQuery): Promise<readonly Uint8Array[]>;
}
