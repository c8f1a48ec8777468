/**
 * Why an attestation statement is refused (WebAuthn Level 3 §7.1 steps 21–24, §8): one precise code per
 * requirement, as closed unions of snake_case strings (ADR 0003), each in the group of the registration
 * error a client sees (`registrationErrorOf`). The precise code is the domain's, for tests and records;
 * clients get the group's code, which says what kind of thing is wrong without a catalogue to learn.
 */

/** The statement's fields: missing, mistyped, or inconsistent with the authenticator data (`attestation_statement_invalid`). */
export const STATEMENT_FAILURES = [
  /** A format keyport does not know, compared exactly (§8.1: "None" is not "none"). */
  "format_unknown",
  /** A member is missing or has the wrong CBOR type, or x5c is empty or too long. */
  "statement_malformed",
  /** `none`: the statement is not the empty map. */
  "statement_not_empty",
  /** packed self attestation: `alg` is not the credential's algorithm. */
  "algorithm_mismatch",
  /** fido-u2f: the credential key is not a P-256 key. */
  "credential_key_not_p256",
  /** fido-u2f: the AAGUID is not zero. */
  "aaguid_not_zero",
  /** fido-u2f: x5c holds more than the one attestation certificate. */
  "x5c_not_single",
  /** tpm: `ver` is not "2.0". */
  "tpm_version_unsupported",
  /** tpm: pubArea is not one TPMT_PUBLIC of an RSA or ECC key. */
  "pub_area_malformed",
  /** tpm: the key in pubArea is not the credential key. */
  "pub_area_key_mismatch",
  /** tpm: certInfo is not one TPMS_ATTEST. */
  "cert_info_malformed",
  /** tpm: certInfo.magic is not TPM_GENERATED_VALUE. */
  "cert_info_magic_invalid",
  /** tpm: certInfo.type is not TPM_ST_ATTEST_CERTIFY. */
  "cert_info_type_invalid",
  /** tpm: certInfo.extraData is not the hash of authData ‖ clientDataHash under alg's hash. */
  "cert_info_extra_data_mismatch",
  /** tpm: certInfo.attested.name is not pubArea's Name. */
  "cert_info_name_mismatch",
] as const;
export type StatementFailure = (typeof STATEMENT_FAILURES)[number];

/** A certificate of x5c breaks a requirement of its format (`attestation_certificate_invalid`). */
export const CERTIFICATE_FAILURES = [
  /** Not one DER-encoded X.509 certificate. */
  "certificate_unreadable",
  /** Not an X.509 v3 certificate. */
  "certificate_version_invalid",
  /** packed: the subject lacks C, O, OU = "Authenticator Attestation" or CN. */
  "certificate_subject_invalid",
  /** tpm: the AIK certificate's subject is not empty. */
  "certificate_subject_not_empty",
  /** basicConstraints says CA. */
  "certificate_is_ca",
  /** id-fido-gen-ce-aaguid (1.3.6.1.4.1.45724.1.1.4) is critical. */
  "aaguid_extension_critical",
  /** id-fido-gen-ce-aaguid does not hold the authenticator data's AAGUID. */
  "aaguid_extension_mismatch",
  /** The certificate's key is not the credential key (android-key, apple). */
  "certificate_key_mismatch",
  /** fido-u2f: the certificate's key is not a P-256 key. */
  "certificate_key_not_p256",
  /** tpm: no subjectAltName directoryName with TPM manufacturer, model and version. */
  "tpm_subject_alt_name_invalid",
  /** tpm: extendedKeyUsage lacks tcg-kp-AIKCertificate (2.23.133.8.3). */
  "tpm_extended_key_usage_invalid",
  /** android-key: no readable key description extension (1.3.6.1.4.1.11129.2.1.17). */
  "key_description_invalid",
  /** android-key: attestationChallenge is not clientDataHash. */
  "key_description_challenge_mismatch",
  /** android-key: the key may be used by all applications (allApplications). */
  "key_description_all_applications",
  /** android-key: the TEE-enforced origin is not KM_ORIGIN_GENERATED. */
  "key_description_origin_invalid",
  /** android-key: the TEE-enforced purpose is not KM_PURPOSE_SIGN. */
  "key_description_purpose_invalid",
  /** apple: no readable nonce extension (1.2.840.113635.100.8.2). */
  "apple_nonce_missing",
  /** apple: the nonce is not SHA-256(authData ‖ clientDataHash). */
  "apple_nonce_mismatch",
] as const;
export type CertificateFailure = (typeof CERTIFICATE_FAILURES)[number];

/** Every reason an attestation statement is refused. */
export type AttestationFailure =
  | StatementFailure
  | CertificateFailure
  /** The statement's signature does not verify (`attestation_signature_invalid`). */
  | "signature_invalid"
  /** android-safetynet: deprecated, refused (`attestation_format_unsupported`, ADR 0027). */
  | "format_deprecated"
  /** A statement with certificates, and the composition gave no CertificateVerifier (`attestation_format_unsupported`). */
  | "x509_unavailable";

/** The registration errors a refused statement is reported as. */
export type AttestationError =
  | "attestation_statement_invalid"
  | "attestation_certificate_invalid"
  | "attestation_signature_invalid"
  | "attestation_format_unsupported";

const CERTIFICATE_FAILURE_SET: ReadonlySet<string> = new Set(CERTIFICATE_FAILURES);

/** The registration error of a precise failure: its group. */
export function registrationErrorOf(failure: AttestationFailure): AttestationError {
  if (failure === "signature_invalid") return "attestation_signature_invalid";
  if (failure === "format_deprecated" || failure === "x509_unavailable") return "attestation_format_unsupported";
  return CERTIFICATE_FAILURE_SET.has(failure) ? "attestation_certificate_invalid" : "attestation_statement_invalid";
}
