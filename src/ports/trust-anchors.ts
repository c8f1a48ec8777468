/**
 * Where attestation trust comes from (WebAuthn Level 3 §7.1 step 23, ADR 0027): the root certificates
 * that may anchor the certificate chain of an authenticator's attestation statement. Today the roots an
 * operator configures (ATTESTATION_ROOTS); later FIDO MDS3, which knows the roots of each authenticator
 * model, answers the same question for the AAGUID asked about.
 */
export interface TrustAnchorQuery {
  /** The authenticator data's AAGUID, in its UUID form. */
  readonly aaguid: string;
  /** The statement's format identifier. */
  readonly format: string;
}

export interface TrustAnchors {
  /** DER X.509 certificates that anchor this authenticator's attestation; empty when none does. */
  anchorsFor(query: TrustAnchorQuery): Promise<readonly Uint8Array[]>;
}
