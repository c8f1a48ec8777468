/** §8.2 `packed`: self attestation, or a signature by the leaf of x5c, whose certificate meets §8.2.1. */
import type { Certificate } from "../../../ports/certificate-verifier.js";
import type { SignatureVerifier } from "../../../ports/signature-verifier.js";
import { err, ok } from "../../result.js";
import type { CertificateFailure } from "./failures.js";
import {
  algorithmOf,
  attToBeSigned,
  bytesOf,
  checkAaguidExtension,
  checkCertificateSignature,
  checkNotCa,
  checkVersion3,
  readX5c,
  type StatementInput,
  type StatementResult,
  type StatementTools,
} from "./statement.js";

const OID_C = "2.5.4.6";
const OID_O = "2.5.4.10";
const OID_OU = "2.5.4.11";
const OID_CN = "2.5.4.3";
/** §8.2.1: the OU every packed attestation certificate carries, literally. */
export const PACKED_OU = "Authenticator Attestation";

/**
 * §8.2: with x5c, `sig` verifies with the leaf's key under `alg` over authData ‖ clientDataHash and the
 * leaf meets §8.2.1 (type basic or AttCA: `basic`, the format cannot tell them apart); without x5c,
 * self attestation: `alg` is the credential's and `sig` verifies with the credential key.
 */
export async function verifyPacked(input: StatementInput, tools: StatementTools): Promise<StatementResult> {
  if (input.statement.x5c === undefined) return verifyPackedSelf(input, tools.signatures);
  const alg = algorithmOf(input.statement.alg);
  const sig = bytesOf(input.statement.sig);
  if (alg === null || sig === null) return err("statement_malformed");
  const chain = readX5c(input.statement.x5c, tools.certificates);
  if (!chain.ok) return chain;
  const [leaf] = chain.value;
  const failure =
    (await checkCertificateSignature(tools.certificates, leaf, alg, sig, attToBeSigned(input))) ??
    checkPackedCertificate(leaf, input.authenticatorData.attestedCredential.aaguid);
  return failure === null ? ok({ type: "basic", chain: chain.value }) : err(failure);
}

/** §8.2 without x5c: self attestation, which needs no X.509. */
export async function verifyPackedSelf(input: StatementInput, signatures: SignatureVerifier): Promise<StatementResult> {
  const alg = algorithmOf(input.statement.alg);
  const sig = bytesOf(input.statement.sig);
  if (alg === null || sig === null) return err("statement_malformed");
  if (alg !== input.credentialKey.alg) return err("algorithm_mismatch");
  return (await signatures.verify(input.credentialKey, sig, attToBeSigned(input))) ? ok({ type: "self" }) : err("signature_invalid");
}

/** §8.2.1: version 3; subject C, O, OU = "Authenticator Attestation", CN; CA false; the AAGUID extension. */
export function checkPackedCertificate(certificate: Certificate, aaguid: Uint8Array): CertificateFailure | null {
  return checkVersion3(certificate) ?? checkPackedSubject(certificate) ?? checkNotCa(certificate) ?? checkAaguidExtension(certificate, aaguid);
}

function checkPackedSubject(certificate: Certificate): CertificateFailure | null {
  const value = (type: string): string => certificate.subject.find((attribute) => attribute.type === type)?.value ?? "";
  // C: an ISO 3166 alpha-2 code; O and CN: any text; OU: exactly the one string.
  const valid = /^[A-Z]{2}$/.test(value(OID_C)) && value(OID_O) !== "" && value(OID_OU) === PACKED_OU && value(OID_CN) !== "";
  return valid ? null : "certificate_subject_invalid";
}
