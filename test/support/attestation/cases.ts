/**
 * Generated attestation cases for the verifiers' tests (issue 15, point 5): one conforming statement per
 * format and, for each requirement of WebAuthn §8, a statement that breaks exactly that one, everything
 * else valid and correctly signed. Each builder returns a complete registration's material (attestation
 * object, authenticator data, client data) and what the verifier must conclude: "verified", a precise
 * AttestationFailure of src/domain/ceremonies/attestation/failures.ts, or a PathFailure of the
 * certificate port when the statement is fine but its chain is not (expired, unknown root).
 *
 * Validate chains with `anchors` at `at` (the test CA is valid 2020–2050; `at` is 2025-06-01).
 */
import { generateKeyPairSync, randomBytes, type KeyObject } from "node:crypto";
import type { PathFailure } from "../../../src/ports/certificate-verifier.js";
import type { AttestationFailure } from "../../../src/domain/ceremonies/attestation/failures.js";
import { AT, makeCertificate, type TestCertificate } from "../certificates/index.js";
import { buildAuthenticatorData, concatBytes, coseKeyFor, encodeCbor, sha256, type TestAlgorithm } from "../software-authenticator.js";
import {
  androidKeyStatement,
  appleStatement,
  attestationCa,
  attestationTrustAnchor,
  attToBeSigned,
  fidoU2fCertificate,
  fidoU2fStatement,
  packedCertificate,
  packedX5cStatement,
  tpmAikCertificate,
  tpmStatement,
  unknownRoot,
  type StatementContext,
} from "./statements.js";

export const CASE_RP_ID = "keyport.test";
export const CASE_ORIGIN = "https://keyport.test";
/** The AAGUID of the generated certified authenticators. */
export const CASE_AAGUID = Uint8Array.from([0x4b, 0x65, 0x79, 0x70, 0x6f, 0x72, 0x74, 0x20, 0x74, 0x65, 0x73, 0x74, 0x20, 0x6b, 0x65, 0x79]);
const ZERO_AAGUID = new Uint8Array(16);

export type CaseExpectation = "verified" | AttestationFailure | PathFailure;

export interface AttestationCase {
  readonly name: string;
  readonly fmt: string;
  readonly expected: CaseExpectation;
  /** CBOR {fmt, attStmt, authData}, as a registration response carries it. */
  readonly attestationObject: Uint8Array;
  readonly attStmt: Record<string, unknown>;
  readonly authData: Uint8Array;
  readonly clientDataJSON: Uint8Array;
  readonly clientDataHash: Uint8Array;
  readonly challenge: string;
  readonly rpId: string;
  readonly origin: string;
  readonly credential: { readonly privateKey: KeyObject; readonly publicKey: KeyObject; readonly algorithm: TestAlgorithm };
  /** Trust anchors to validate the x5c chain with, and when (ms). */
  readonly anchors: readonly TestCertificate[];
  readonly at: number;
}

function keyPair(algorithm: TestAlgorithm): { privateKey: KeyObject; publicKey: KeyObject } {
  return algorithm === "ES256"
    ? generateKeyPairSync("ec", { namedCurve: "prime256v1" })
    : algorithm === "RS256"
      ? generateKeyPairSync("rsa", { modulusLength: 2048 })
      : generateKeyPairSync("ed25519");
}

/**
 * Builds a registration for `fmt` whose statement `statement` makes over the real authData and
 * clientDataHash. The authData is attested (UP, UV, AT), counter 0, a 16-byte credential id.
 */
export function makeCase(args: {
  name: string;
  fmt: string;
  expected: CaseExpectation;
  statement: (context: StatementContext) => Record<string, unknown>;
  algorithm?: TestAlgorithm;
  aaguid?: Uint8Array;
  anchors?: readonly TestCertificate[];
}): AttestationCase {
  const algorithm = args.algorithm ?? "ES256";
  const credential = keyPair(algorithm);
  const challenge = Buffer.from(randomBytes(32)).toString("base64url");
  const clientDataJSON = new TextEncoder().encode(JSON.stringify({ type: "webauthn.create", challenge, origin: CASE_ORIGIN, crossOrigin: false }));
  const clientDataHash = sha256(clientDataJSON);
  const credentialId = new Uint8Array(randomBytes(16));
  const authData = buildAuthenticatorData({
    rpId: CASE_RP_ID,
    flags: { up: true, uv: true, be: false, bs: false, at: true, ed: false },
    counter: 0,
    attestedCredentialData: concatBytes(args.aaguid ?? CASE_AAGUID, Uint8Array.of(0, 16), credentialId, coseKeyFor(algorithm, credential.publicKey)),
  });
  const attStmt = args.statement({ authData, clientDataHash, credential });
  return {
    name: args.name,
    fmt: args.fmt,
    expected: args.expected,
    attestationObject: encodeCbor({ fmt: args.fmt, attStmt, authData }),
    attStmt,
    authData,
    clientDataJSON,
    clientDataHash,
    challenge,
    rpId: CASE_RP_ID,
    origin: CASE_ORIGIN,
    credential: { ...credential, algorithm },
    anchors: args.anchors ?? [attestationTrustAnchor()],
    at: AT,
  };
}

// ---------------------------------------------------------------------------------------------
// packed (§8.2, certificate requirements §8.2.1)
// ---------------------------------------------------------------------------------------------

/** packed with x5c [leaf, test CA]: verifies, type basic, trusted with the test root. */
export const packedX5cCase = (): AttestationCase =>
  makeCase({ name: "packed x5c", fmt: "packed", expected: "verified", statement: (c) => packedX5cStatement(c) });

/** §8.2.1 "Version MUST be set to 3": the leaf is an X.509 v1 certificate. */
export const packedCertificateVersion1 = (): AttestationCase =>
  makeCase({ name: "packed leaf v1", fmt: "packed", expected: "certificate_version_invalid", statement: (c) => packedX5cStatement(c, { chain: [packedCertificate({ version: 1 }), attestationCa()] }) });

/** §8.2.1 subject: OU is missing. */
export const packedSubjectMissingOu = (): AttestationCase =>
  makeCase({
    name: "packed leaf without OU",
    fmt: "packed",
    expected: "certificate_subject_invalid",
    statement: (c) => packedX5cStatement(c, { chain: [packedCertificate({ subject: "/C=SE/O=Keyport Test Authenticators/CN=No OU", aaguid: CASE_AAGUID }), attestationCa()] }),
  });

/** §8.2.1 subject: OU is not the literal "Authenticator Attestation". */
export const packedSubjectWrongOu = (): AttestationCase =>
  makeCase({
    name: "packed leaf with the wrong OU",
    fmt: "packed",
    expected: "certificate_subject_invalid",
    statement: (c) =>
      packedX5cStatement(c, { chain: [packedCertificate({ subject: "/C=SE/O=Keyport Test Authenticators/OU=Authenticator/CN=Wrong OU", aaguid: CASE_AAGUID }), attestationCa()] }),
  });

/** §8.2.1 "Basic Constraints extension MUST have the CA component set to false": the leaf says CA:TRUE. */
export const packedCertificateIsCa = (): AttestationCase =>
  makeCase({ name: "packed leaf is a CA", fmt: "packed", expected: "certificate_is_ca", statement: (c) => packedX5cStatement(c, { chain: [packedCertificate({ ca: true, aaguid: CASE_AAGUID }), attestationCa()] }) });

/** §8.2.1 id-fido-gen-ce-aaguid "MUST NOT be marked as critical": it is. */
export const packedAaguidExtensionCritical = (): AttestationCase =>
  makeCase({
    name: "packed AAGUID extension critical",
    fmt: "packed",
    expected: "aaguid_extension_critical",
    statement: (c) => packedX5cStatement(c, { chain: [packedCertificate({ aaguid: CASE_AAGUID, aaguidCritical: true }), attestationCa()] }),
  });

/** §8.2 step 2: the id-fido-gen-ce-aaguid extension holds another AAGUID than authData. */
export const packedAaguidExtensionMismatch = (): AttestationCase =>
  makeCase({
    name: "packed AAGUID extension mismatch",
    fmt: "packed",
    expected: "aaguid_extension_mismatch",
    statement: (c) => packedX5cStatement(c, { chain: [packedCertificate({ aaguid: new Uint8Array(16).fill(0xee) }), attestationCa()] }),
  });

/** packed x5c whose signature has one bit flipped (still a parseable DER ECDSA signature). */
export const packedBadSignature = (): AttestationCase =>
  makeCase({ name: "packed x5c bad signature", fmt: "packed", expected: "signature_invalid", statement: (c) => packedX5cStatement(c, { badSignature: true }) });

/** A conforming, correctly signed statement whose leaf expired on 2021-01-01 (validated at 2025-06-01): path failure. */
export const packedExpiredLeaf = (): AttestationCase =>
  makeCase({
    name: "packed expired leaf",
    fmt: "packed",
    expected: "certificate_expired",
    statement: (c) =>
      packedX5cStatement(c, {
        chain: [packedCertificate({ aaguid: CASE_AAGUID, notBefore: new Date("2020-01-01T00:00:00Z"), notAfter: new Date("2021-01-01T00:00:00Z") }), attestationCa()],
      }),
  });

/** A conforming statement whose chain ends at a root the relying party does not know: verifies, but `no_trust_anchor`. */
export const packedUnknownRoot = (): AttestationCase =>
  makeCase({
    name: "packed chain to an unknown root",
    fmt: "packed",
    expected: "no_trust_anchor",
    statement: (c) => {
      const otherCa = makeCertificate({ subject: "/C=SE/O=Somebody Else/CN=Unknown Attestation CA", issuer: unknownRoot(), ca: true });
      return packedX5cStatement(c, { chain: [packedCertificate({ aaguid: CASE_AAGUID, issuer: otherCa }), otherCa] });
    },
  });

// ---------------------------------------------------------------------------------------------
// fido-u2f (§8.6)
// ---------------------------------------------------------------------------------------------

/** fido-u2f with one P-256 certificate from the test CA, zero AAGUID: verifies (basic). */
export const fidoU2fCase = (): AttestationCase =>
  makeCase({ name: "fido-u2f", fmt: "fido-u2f", expected: "verified", aaguid: ZERO_AAGUID, statement: (c) => fidoU2fStatement(c) });

/** §8.6 step 2: the attestation certificate's key is P-384, not P-256. */
export const fidoU2fNonP256Certificate = (): AttestationCase =>
  makeCase({ name: "fido-u2f P-384 certificate", fmt: "fido-u2f", expected: "certificate_key_not_p256", aaguid: ZERO_AAGUID, statement: (c) => fidoU2fStatement(c, { chain: [fidoU2fCertificate({ key: "P-384" })] }) });

/** fido-u2f whose signature has one bit flipped. */
export const fidoU2fBadSignature = (): AttestationCase =>
  makeCase({ name: "fido-u2f bad signature", fmt: "fido-u2f", expected: "signature_invalid", aaguid: ZERO_AAGUID, statement: (c) => fidoU2fStatement(c, { badSignature: true }) });

// ---------------------------------------------------------------------------------------------
// tpm (§8.3, AIK requirements §8.3.1)
// ---------------------------------------------------------------------------------------------

/** tpm: RSA credential in pubArea, certInfo signed RS256 by an AIK from the test CA: verifies (attca). */
export const tpmCase = (algorithm: TestAlgorithm = "RS256"): AttestationCase =>
  makeCase({ name: `tpm ${algorithm}`, fmt: "tpm", expected: "verified", algorithm, statement: (c) => tpmStatement(c) });

/** certInfo.magic is not TPM_GENERATED_VALUE (0xff544347). */
export const tpmWrongMagic = (): AttestationCase =>
  makeCase({ name: "tpm wrong magic", fmt: "tpm", expected: "cert_info_magic_invalid", algorithm: "RS256", statement: (c) => tpmStatement(c, { certInfo: { magic: 0xff544348 } }) });

/** certInfo.type is not TPM_ST_ATTEST_CERTIFY. */
export const tpmWrongType = (): AttestationCase =>
  makeCase({ name: "tpm wrong type", fmt: "tpm", expected: "cert_info_type_invalid", algorithm: "RS256", statement: (c) => tpmStatement(c, { certInfo: { type: 0x8018 } }) });

/** certInfo.extraData is not the hash of authData ‖ clientDataHash. */
export const tpmWrongExtraData = (): AttestationCase =>
  makeCase({ name: "tpm wrong extraData", fmt: "tpm", expected: "cert_info_extra_data_mismatch", algorithm: "RS256", statement: (c) => tpmStatement(c, { certInfo: { extraData: new Uint8Array(32).fill(7) } }) });

/** certInfo.attested.name is not the Name of pubArea. */
export const tpmWrongName = (): AttestationCase =>
  makeCase({
    name: "tpm wrong name",
    fmt: "tpm",
    expected: "cert_info_name_mismatch",
    algorithm: "RS256",
    statement: (c) => tpmStatement(c, { certInfo: { name: Uint8Array.of(0x00, 0x0b, ...new Uint8Array(32).fill(9)) } }),
  });

/** pubArea describes another key than the credential's. */
export const tpmPubAreaOtherKey = (): AttestationCase =>
  makeCase({
    name: "tpm pubArea of another key",
    fmt: "tpm",
    expected: "pub_area_key_mismatch",
    algorithm: "RS256",
    statement: (c) => tpmStatement(c, { pubAreaKey: generateKeyPairSync("rsa", { modulusLength: 2048 }).publicKey }),
  });

/** The AIK's signature over certInfo has one bit flipped. */
export const tpmBadSignature = (): AttestationCase =>
  makeCase({ name: "tpm bad signature", fmt: "tpm", expected: "signature_invalid", algorithm: "RS256", statement: (c) => tpmStatement(c, { badSignature: true }) });

/** §8.3.1 "Subject field MUST be set to empty": the AIK has a subject. */
export const tpmAikSubjectNotEmpty = (): AttestationCase =>
  makeCase({
    name: "tpm AIK with a subject",
    fmt: "tpm",
    expected: "certificate_subject_not_empty",
    algorithm: "RS256",
    statement: (c) => tpmStatement(c, { chain: [tpmAikCertificate({ subject: "/CN=Not Empty", aaguid: CASE_AAGUID }), attestationCa()] }),
  });

/** §8.3.1 the AIK has no TPM subjectAltName. */
export const tpmAikWithoutSan = (): AttestationCase =>
  makeCase({
    name: "tpm AIK without SAN",
    fmt: "tpm",
    expected: "tpm_subject_alt_name_invalid",
    algorithm: "RS256",
    statement: (c) => tpmStatement(c, { chain: [tpmAikCertificate({ san: null, aaguid: CASE_AAGUID }), attestationCa()] }),
  });

/** §8.3.1 the AIK lacks the EKU tcg-kp-AIKCertificate (2.23.133.8.3). */
export const tpmAikWithoutEku = (): AttestationCase =>
  makeCase({
    name: "tpm AIK without EKU",
    fmt: "tpm",
    expected: "tpm_extended_key_usage_invalid",
    algorithm: "RS256",
    statement: (c) => tpmStatement(c, { chain: [tpmAikCertificate({ extendedKeyUsage: null, aaguid: CASE_AAGUID }), attestationCa()] }),
  });

// ---------------------------------------------------------------------------------------------
// android-key (§8.4)
// ---------------------------------------------------------------------------------------------

/** android-key: the credential certificate carries a conforming key description (TEE, generated, sign): verifies (basic). */
export const androidKeyCase = (): AttestationCase =>
  makeCase({ name: "android-key", fmt: "android-key", expected: "verified", statement: (c) => androidKeyStatement(c) });

/** The key description's attestationChallenge is not clientDataHash. */
export const androidKeyChallengeMismatch = (): AttestationCase =>
  makeCase({
    name: "android-key challenge mismatch",
    fmt: "android-key",
    expected: "key_description_challenge_mismatch",
    statement: (c) => androidKeyStatement(c, { keyDescription: { attestationChallenge: new Uint8Array(32).fill(3) } }),
  });

/** The key description's softwareEnforced list has allApplications [600]. */
export const androidKeyAllApplications = (): AttestationCase =>
  makeCase({ name: "android-key allApplications", fmt: "android-key", expected: "key_description_all_applications", statement: (c) => androidKeyStatement(c, { keyDescription: { allApplications: true } }) });

/** The credential certificate certifies another key than the credential's. */
export const androidKeyOtherKey = (): AttestationCase =>
  makeCase({
    name: "android-key certificate of another key",
    fmt: "android-key",
    expected: "certificate_key_mismatch",
    // The other key both is certified and signs (§8.4 verifies sig with the certificate's key), so only the key match fails.
    statement: (c) => androidKeyStatement({ ...c, credential: generateKeyPairSync("ec", { namedCurve: "prime256v1" }) }),
  });

/** android-key whose signature has one bit flipped. */
export const androidKeyBadSignature = (): AttestationCase =>
  makeCase({ name: "android-key bad signature", fmt: "android-key", expected: "signature_invalid", statement: (c) => androidKeyStatement(c, { badSignature: true }) });

// ---------------------------------------------------------------------------------------------
// apple (§8.8)
// ---------------------------------------------------------------------------------------------

/** apple: the credential certificate's nonce is SHA-256(authData ‖ clientDataHash): verifies (anonca). */
export const appleCase = (): AttestationCase => makeCase({ name: "apple", fmt: "apple", expected: "verified", statement: (c) => appleStatement(c) });

/** apple: the nonce is 32 other bytes. */
export const appleWrongNonce = (): AttestationCase =>
  makeCase({ name: "apple wrong nonce", fmt: "apple", expected: "apple_nonce_mismatch", statement: (c) => appleStatement(c, { nonce: new Uint8Array(32).fill(5) }) });

/** apple: no nonce extension at all. */
export const appleMissingNonce = (): AttestationCase =>
  makeCase({ name: "apple without nonce", fmt: "apple", expected: "apple_nonce_missing", statement: (c) => appleStatement(c, { nonce: null }) });

/** Every generated case, conforming ones first. */
export function allAttestationCases(): AttestationCase[] {
  return [
    packedX5cCase(),
    fidoU2fCase(),
    tpmCase("RS256"),
    tpmCase("ES256"),
    androidKeyCase(),
    appleCase(),
    packedCertificateVersion1(),
    packedSubjectMissingOu(),
    packedSubjectWrongOu(),
    packedCertificateIsCa(),
    packedAaguidExtensionCritical(),
    packedAaguidExtensionMismatch(),
    packedBadSignature(),
    packedExpiredLeaf(),
    packedUnknownRoot(),
    fidoU2fNonP256Certificate(),
    fidoU2fBadSignature(),
    tpmWrongMagic(),
    tpmWrongType(),
    tpmWrongExtraData(),
    tpmWrongName(),
    tpmPubAreaOtherKey(),
    tpmBadSignature(),
    tpmAikSubjectNotEmpty(),
    tpmAikWithoutSan(),
    tpmAikWithoutEku(),
    androidKeyChallengeMismatch(),
    androidKeyAllApplications(),
    androidKeyOtherKey(),
    androidKeyBadSignature(),
    appleWrongNonce(),
    appleMissingNonce(),
  ];
}

/** The bytes apple's nonce and the packed signature cover, for tests that check them by hand. */
export function signedBytesOf(c: AttestationCase): Uint8Array {
  return attToBeSigned({ authData: c.authData, clientDataHash: c.clientDataHash, credential: c.credential });
}
