/** §8.3 `tpm`: a TPM's attestation identity key certifies the credential key the TPM made. */
import { sha1 } from "@oslojs/crypto/sha1";
import { sha256, sha384, sha512 } from "@oslojs/crypto/sha2";
import type { Certificate } from "../../../ports/certificate-verifier.js";
import { bigIntFromBytes, bytesEqual, fromBase64Url } from "../../encoding/bytes.js";
import type { PublicKeyJwk } from "../../encoding/cose.js";
import { err, ok } from "../../result.js";
import { ASN1Class, ASN1Form, explicit, readDer } from "./der.js";
import type { CertificateFailure } from "./failures.js";
import {
  algorithmOf,
  attToBeSigned,
  bytesOf,
  checkAaguidExtension,
  checkCertificateSignature,
  checkNotCa,
  checkVersion3,
  concat,
  hashOfAlgorithm,
  readX5c,
  type StatementInput,
  type StatementResult,
  type StatementTools,
} from "./statement.js";
import {
  parseTpmAttest,
  parseTpmPublic,
  TPM_ALG_ECC,
  TPM_ALG_SHA1,
  TPM_ALG_SHA256,
  TPM_ALG_SHA384,
  TPM_ALG_SHA512,
  TPM_ECC_NIST_P256,
  TPM_GENERATED_VALUE,
  TPM_ST_ATTEST_CERTIFY,
  type TpmPublic,
} from "./tpm-structures.js";

const OID_SUBJECT_ALT_NAME = "2.5.29.17";
const OID_EXTENDED_KEY_USAGE = "2.5.29.37";
/** tcg-kp-AIKCertificate. */
export const OID_TCG_KP_AIK_CERTIFICATE = "2.23.133.8.3";
/** tcg-at-tpmManufacturer, tcg-at-tpmModel, tcg-at-tpmVersion (TPMv2-EK-Profile §3.2.9). */
export const TPM_SAN_ATTRIBUTES = ["2.23.133.2.1", "2.23.133.2.2", "2.23.133.2.3"] as const;
/** GeneralName's directoryName: `[4] EXPLICIT Name`. */
const DIRECTORY_NAME_TAG = 4;

const NAME_HASHES: ReadonlyMap<number, (data: Uint8Array) => Uint8Array> = new Map([
  [TPM_ALG_SHA1, sha1],
  [TPM_ALG_SHA256, sha256],
  [TPM_ALG_SHA384, sha384],
  [TPM_ALG_SHA512, sha512],
]);

/**
 * §8.3, in its order: ver "2.0"; pubArea's key is the credential key; certInfo is a TPMS_ATTEST with
 * magic TPM_GENERATED_VALUE, type TPM_ST_ATTEST_CERTIFY, extraData = H_alg(authData ‖ clientDataHash)
 * and attested.name pubArea's Name; `sig` verifies over certInfo with the AIK certificate's key under
 * `alg`, and that certificate meets §8.3.1. Type AttCA.
 */
export async function verifyTpm(input: StatementInput, tools: StatementTools): Promise<StatementResult> {
  const { ver, alg: algValue, sig: sigValue, certInfo: certInfoValue, pubArea: pubAreaValue, x5c } = input.statement;
  if (ver !== "2.0") return err(typeof ver === "string" ? "tpm_version_unsupported" : "statement_malformed");
  const alg = algorithmOf(algValue);
  const hash = alg === null ? null : hashOfAlgorithm(alg);
  const sig = bytesOf(sigValue);
  const certInfoBytes = bytesOf(certInfoValue);
  const pubAreaBytes = bytesOf(pubAreaValue);
  if (alg === null || hash === null || sig === null || certInfoBytes === null || pubAreaBytes === null) return err("statement_malformed");

  const pubArea = parseTpmPublic(pubAreaBytes);
  if (pubArea === null) return err("pub_area_malformed");
  if (!isSameKey(pubArea, input.credentialKey)) return err("pub_area_key_mismatch");
  const certInfo = parseTpmAttest(certInfoBytes);
  if (certInfo === null) return err("cert_info_malformed");
  if (certInfo.magic !== TPM_GENERATED_VALUE) return err("cert_info_magic_invalid");
  if (certInfo.type !== TPM_ST_ATTEST_CERTIFY) return err("cert_info_type_invalid");
  if (!bytesEqual(certInfo.extraData, hash(attToBeSigned(input)))) return err("cert_info_extra_data_mismatch");
  const nameHash = NAME_HASHES.get(pubArea.nameAlg);
  const name = nameHash === undefined ? null : concat([Uint8Array.of(pubArea.nameAlg >> 8, pubArea.nameAlg & 0xff), nameHash(pubAreaBytes)]);
  if (name === null || !bytesEqual(certInfo.attestedName, name)) return err("cert_info_name_mismatch");

  const chain = readX5c(x5c, tools.certificates);
  if (!chain.ok) return chain;
  const [aik] = chain.value;
  const failure =
    (await checkCertificateSignature(tools.certificates, aik, alg, sig, certInfoBytes)) ??
    checkAikCertificate(aik, input.authenticatorData.attestedCredential.aaguid);
  return failure === null ? ok({ type: "attca", chain: chain.value }) : err(failure);
}

/** The key in pubArea is the credential key: the same RSA modulus and exponent, or the same P-256 point. */
function isSameKey(pubArea: TpmPublic, key: PublicKeyJwk): boolean {
  const same = (bytes: Uint8Array, member: string): boolean => {
    const other = fromBase64Url(member);
    return other !== null && bigIntFromBytes(bytes) === bigIntFromBytes(other);
  };
  if (pubArea.type === TPM_ALG_ECC) return key.kty === "EC" && pubArea.curveId === TPM_ECC_NIST_P256 && same(pubArea.x, key.x) && same(pubArea.y, key.y);
  const exponent = fromBase64Url(key.kty === "RSA" ? key.e : "");
  return key.kty === "RSA" && same(pubArea.modulus, key.n) && exponent !== null && bigIntFromBytes(exponent) === BigInt(pubArea.exponent);
}

/**
 * §8.3.1: version 3; an empty subject; a subjectAltName whose directoryName names the TPM's manufacturer,
 * model and version; extendedKeyUsage with tcg-kp-AIKCertificate; CA false; the AAGUID extension.
 */
export function checkAikCertificate(certificate: Certificate, aaguid: Uint8Array): CertificateFailure | null {
  return (
    checkVersion3(certificate) ??
    (certificate.subject.length === 0 ? null : "certificate_subject_not_empty") ??
    checkTpmSubjectAltName(certificate) ??
    checkAikKeyUsage(certificate) ??
    checkNotCa(certificate) ??
    checkAaguidExtension(certificate, aaguid)
  );
}

function extensionValue(certificate: Certificate, oid: string): Uint8Array | null {
  return certificate.extensions.find((extension) => extension.oid === oid)?.value ?? null;
}

function checkTpmSubjectAltName(certificate: Certificate): CertificateFailure | null {
  const value = extensionValue(certificate, OID_SUBJECT_ALT_NAME);
  const types =
    value === null
      ? null
      : readDer(value, (generalNames) => {
          const found = new Set<string>();
          for (const generalName of generalNames.sequence().elements) {
            if (generalName.class !== ASN1Class.ContextSpecific || generalName.form !== ASN1Form.Constructed || generalName.tag !== DIRECTORY_NAME_TAG) continue;
            const name = explicit(generalName, DIRECTORY_NAME_TAG);
            if (name === null) continue;
            for (const rdn of name.sequence().elements) {
              for (const attribute of rdn.set().elements) {
                const [type] = attribute.sequence().elements;
                const oid = type === undefined ? undefined : TPM_SAN_ATTRIBUTES.find((candidate) => type.objectIdentifier().is(candidate));
                if (oid !== undefined) found.add(oid);
              }
            }
          }
          return found;
        });
  return types !== null && TPM_SAN_ATTRIBUTES.every((oid) => types.has(oid)) ? null : "tpm_subject_alt_name_invalid";
}

function checkAikKeyUsage(certificate: Certificate): CertificateFailure | null {
  const value = extensionValue(certificate, OID_EXTENDED_KEY_USAGE);
  const found = value === null ? null : readDer(value, (usages) => usages.sequence().elements.some((usage) => usage.objectIdentifier().is(OID_TCG_KP_AIK_CERTIFICATE)));
  return found === true ? null : "tpm_extended_key_usage_invalid";
}

