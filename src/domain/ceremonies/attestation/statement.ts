/**
 * What every attestation statement verifier is given and what it establishes (WebAuthn Level 3 §8),
 * and the checks several formats share: reading x5c, comparing a certificate's key with the credential
 * key, the id-fido-gen-ce-aaguid extension, the hash an algorithm names.
 */
import { sha1 } from "@oslojs/crypto/sha1";
import { sha256, sha384, sha512 } from "@oslojs/crypto/sha2";
import type { Certificate, CertificateVerifier } from "../../../ports/certificate-verifier.js";
import type { SignatureVerifier } from "../../../ports/signature-verifier.js";
import { bigIntFromBytes, bytesEqual, fromBase64Url } from "../../encoding/bytes.js";
import type { PublicKeyJwk } from "../../encoding/cose.js";
import type { AttestedAuthenticatorData } from "../../encoding/parse-response.js";
import { err, ok, type Result } from "../../result.js";
import { readDer } from "./der.js";
import type { AttestationFailure, CertificateFailure } from "./failures.js";

export type { AttestationType } from "../../model.js";

/** What a verifier is given: the parsed statement and everything it is checked against. */
export interface StatementInput {
  readonly statement: Readonly<Record<string, unknown>>;
  readonly authenticatorData: AttestedAuthenticatorData;
  readonly clientDataHash: Uint8Array;
  /** The credential key, already judged (checkPublicKey). */
  readonly credentialKey: PublicKeyJwk;
}

/** The ports a verifier calls: X.509 for x5c, the signature verifier for self attestation. */
export interface StatementTools {
  readonly certificates: CertificateVerifier;
  readonly signatures: SignatureVerifier;
}

/**
 * A statement that verified: its type and, for the types with a certificate chain, the chain (leaf
 * first) whose trust §7.1 step 24 then decides.
 */
export type StatementVerdict =
  | { readonly type: "none" | "self" }
  | { readonly type: "basic" | "attca" | "anonca"; readonly chain: CertificateChain };

export type StatementResult = Result<StatementVerdict, AttestationFailure>;

/** x5c longer than this is malformed: real chains have one to four certificates. */
export const MAX_X5C_LENGTH = 8;

/** COSE algorithms a statement's `alg` may name, with the hash each signs with (IANA COSE Algorithms). */
const HASH_OF_ALGORITHM: ReadonlyMap<number, (data: Uint8Array) => Uint8Array> = new Map([
  [-7, sha256], // ES256
  [-35, sha384], // ES384
  [-36, sha512], // ES512
  [-257, sha256], // RS256
  [-258, sha384], // RS384
  [-259, sha512], // RS512
  [-37, sha256], // PS256
  [-38, sha384], // PS384
  [-39, sha512], // PS512
  [-65535, sha1], // RS1, TPMs only
]);

/** The hash `alg` signs with, or null for an algorithm with no single hash (EdDSA) or unknown to keyport. */
export function hashOfAlgorithm(alg: number): ((data: Uint8Array) => Uint8Array) | null {
  return HASH_OF_ALGORITHM.get(alg) ?? null;
}

/** A statement's `alg`: an integer (CBOR decodes small ones to numbers). */
export function algorithmOf(value: unknown): number | null {
  return typeof value === "number" && Number.isSafeInteger(value) ? value : null;
}

/** A non-empty byte string member. */
export function bytesOf(value: unknown): Uint8Array | null {
  return value instanceof Uint8Array && value.length > 0 ? value : null;
}

/** A certificate chain, leaf first: never empty. */
export type CertificateChain = readonly [Certificate, ...Certificate[]];

/** x5c: an array of 1 to MAX_X5C_LENGTH byte strings, each a certificate; leaf first. */
export function readX5c(value: unknown, certificates: CertificateVerifier): Result<CertificateChain, "statement_malformed" | "certificate_unreadable"> {
  if (!Array.isArray(value) || value.length > MAX_X5C_LENGTH) return err("statement_malformed");
  const parsed: Certificate[] = [];
  for (const der of value) {
    if (!(der instanceof Uint8Array)) return err("statement_malformed");
    const certificate = certificates.parse(der);
    if (certificate === null) return err("certificate_unreadable");
    parsed.push(certificate);
  }
  const [leaf, ...rest] = parsed;
  return leaf === undefined ? err("statement_malformed") : ok([leaf, ...rest]);
}

/** What is signed by packed and android-key, and hashed into tpm's extraData: authData ‖ clientDataHash. */
export function attToBeSigned(input: StatementInput): Uint8Array {
  return concat([input.authenticatorData.bytes, input.clientDataHash]);
}

export function concat(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((length, part) => length + part.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

/** JWK members compared as the unsigned integers they encode, so that a leading zero byte makes no difference. */
function sameInteger(a: string | undefined, b: string): boolean {
  if (a === undefined) return false;
  const left = fromBase64Url(a);
  const right = fromBase64Url(b);
  return left !== null && right !== null && bigIntFromBytes(left) === bigIntFromBytes(right);
}

/** Whether a certificate's subject public key is the credential key. */
export function isCredentialKey(certificateKey: Readonly<Record<string, string>> | null, credentialKey: PublicKeyJwk): boolean {
  if (certificateKey === null || certificateKey.kty !== credentialKey.kty) return false;
  switch (credentialKey.kty) {
    case "EC":
      return certificateKey.crv === credentialKey.crv && sameInteger(certificateKey.x, credentialKey.x) && sameInteger(certificateKey.y, credentialKey.y);
    case "OKP":
      return certificateKey.crv === credentialKey.crv && certificateKey.x === credentialKey.x;
    case "RSA":
      return sameInteger(certificateKey.n, credentialKey.n) && sameInteger(certificateKey.e, credentialKey.e);
  }
}

/** id-fido-gen-ce-aaguid: the AAGUID of the authenticator model a certificate attests. */
export const OID_FIDO_AAGUID = "1.3.6.1.4.1.45724.1.1.4";

/**
 * §8.2.1, §8.3.1: id-fido-gen-ce-aaguid, if present, is not critical and holds (as an OCTET STRING)
 * the AAGUID of the authenticator data.
 */
export function checkAaguidExtension(certificate: Certificate, aaguid: Uint8Array): CertificateFailure | null {
  const extension = certificate.extensions.find((candidate) => candidate.oid === OID_FIDO_AAGUID);
  if (extension === undefined) return null;
  if (extension.critical) return "aaguid_extension_critical";
  const value = readDer(extension.value, (der) => der.octetString().value);
  return value !== null && bytesEqual(value, aaguid) ? null : "aaguid_extension_mismatch";
}

/** basicConstraints CA is false; an absent extension says the same (RFC 5280 §4.2.1.9). */
export function checkNotCa(certificate: Certificate): CertificateFailure | null {
  return certificate.basicConstraintsCA === true ? "certificate_is_ca" : null;
}

export function checkVersion3(certificate: Certificate): CertificateFailure | null {
  return certificate.version === 3 ? null : "certificate_version_invalid";
}

/** A statement signature made with the certificate's key: `signature_invalid` unless it verifies. */
export async function checkCertificateSignature(
  certificates: CertificateVerifier,
  certificate: Certificate,
  alg: number,
  signature: Uint8Array,
  data: Uint8Array,
): Promise<"signature_invalid" | null> {
  return (await certificates.verifySignature(certificate, alg, signature, data)) ? null : "signature_invalid";
}
