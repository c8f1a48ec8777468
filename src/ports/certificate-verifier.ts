/**
 * X.509 for attestation (issue 15, ADR 0026): reading a certificate's DER into the facts the attestation
 * statement formats check, verifying a statement's signature with a certificate's key, and validating a
 * certificate path up to a trust anchor. A port so that the domain stays free of X.509 libraries and
 * node:crypto: the Node adapter uses node:crypto's X509Certificate; another runtime brings its own.
 * Only registration with attestation reaches it: the sign-in path and the trigger bundles never do.
 */

/** One attribute of a distinguished name: its type as a dotted OID (`2.5.4.3` for CN) and its value as text. */
export interface NameAttribute {
  readonly type: string;
  readonly value: string;
}

/** One extension: the dotted OID, the critical flag, and the DER inside `extnValue`'s OCTET STRING. */
export interface CertificateExtension {
  readonly oid: string;
  readonly critical: boolean;
  readonly value: Uint8Array;
}

/** A certificate as the verifier read it: every field decoded once, nothing trusted yet. */
export interface Certificate {
  readonly der: Uint8Array;
  /** 3 for an X.509 v3 certificate (the DER's version field plus one). */
  readonly version: number;
  readonly subject: readonly NameAttribute[];
  readonly issuer: readonly NameAttribute[];
  /** Validity, milliseconds since the epoch. */
  readonly notBefore: number;
  readonly notAfter: number;
  /** basicConstraints' cA; null when the extension is absent. */
  readonly basicConstraintsCA: boolean | null;
  readonly extensions: readonly CertificateExtension[];
  /**
   * The subject public key as COSE would name its type, for comparing it with a credential's key:
   * `{ kty: "EC", crv, x, y }`, `{ kty: "RSA", n, e }` or `{ kty: "OKP", crv: "Ed25519", x }` (JWK members,
   * base64url); null for any other key type.
   */
  readonly publicKey: Readonly<Record<string, string>> | null;
}

/** Why a certificate path is not trusted. */
export type PathFailure =
  | "chain_malformed"
  | "chain_signature_invalid"
  | "certificate_expired"
  | "certificate_not_yet_valid"
  | "issuer_not_ca"
  | "no_trust_anchor";

export interface CertificateVerifier {
  /** The certificate in `der`, or null when it is not one DER-encoded X.509 certificate. Never throws. */
  parse(der: Uint8Array): Certificate | null;

  /**
   * Whether `signature` over `data` verifies with the certificate's public key under COSE algorithm
   * `alg` (ES256/384/512 with DER signatures, RS256/384/512, RS1 (TPM), PS256/384/512, EdDSA). The key
   * must be the algorithm's: ES256, ES384, ES512 need P-256, P-384, P-521 (RFC 9053 §2.1), RSA keys at
   * least 2048 bits, EdDSA an Ed25519 key. Unknown algorithms, another key type and undecodable (or,
   * for ECDSA, non-canonical DER) signatures are `false`, never a throw.
   */
  verifySignature(certificate: Certificate, alg: number, signature: Uint8Array, data: Uint8Array): Promise<boolean>;

  /**
   * Validates the path `chain` (leaf first, each certificate issued by the next) up to one of `anchors`:
   * each link's signature, each certificate and the anchor valid at `at` (ms, bounds inclusive), every
   * issuer a CA (basicConstraints cA true, keyUsage, when present, with keyCertSign, pathLenConstraint
   * kept); the last certificate of the chain must be an anchor itself (the same DER) or be issued by one.
   * `"trusted"` or why not, never a throw:
   * - `chain_malformed`: an empty chain or one of more than 5 certificates, a certificate that does not
   *   parse, a link whose names do not match (RFC 5280 §7.1), or a certificate with a critical extension
   *   the verifier does not understand (RFC 5280 §4.2);
   * - `chain_signature_invalid`: an issuer's key (an anchor's included) did not sign the certificate below;
   * - `certificate_expired` / `certificate_not_yet_valid`: the first certificate, leaf first, not valid at `at`;
   * - `issuer_not_ca`: an issuer that may not issue certificates;
   * - `no_trust_anchor`: no anchor's subject is the top certificate's issuer.
   * With several anchors of that name, any one that validates the path makes it trusted.
   */
  validatePath(chain: readonly Certificate[], anchors: readonly Certificate[], at: number): Promise<"trusted" | PathFailure>;
}
