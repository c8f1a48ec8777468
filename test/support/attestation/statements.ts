/**
 * Attestation statements signed by a test CA (issue 15): `packed` with x5c, `fido-u2f`, `tpm`,
 * `android-key` and `apple`, built over given authenticator data and client data hash, with the
 * certificates made by the openssl CLI through test/support/certificates (H9's module).
 *
 * The CA is `testPki()`'s: root → intermediate, valid 2020–2050; validate paths at `AT` with
 * `attestationTrustAnchor()` as the anchor. Each format's certificate builder takes options that
 * break one requirement at a time; test/support/attestation/negative-cases.ts uses them.
 *
 * Test code: node:crypto and child_process freely.
 */
import { createHash, sign, type KeyObject } from "node:crypto";
import {
  aaguidExtension,
  makeCertificate,
  rawExtension,
  testPki,
  type CertificateOptions,
  type TestCertificate,
  type TestKeyType,
} from "../certificates/index.js";
import type { TestAlgorithm } from "../software-authenticator.js";
import { concat, derNull, enumerated, explicit, integer, octetString, sequence, set } from "./der.js";
import { buildCertInfo, buildPubArea, OID_TCG_KP_AIK_CERTIFICATE, tpmSubjectAltName, type CertInfoOptions, type PubAreaOptions, type TpmDeviceAttributes } from "./tpm.js";

/** The formats the software authenticator can attest with a certificate. */
export type CertifiedFormat = "packed" | "fido-u2f" | "tpm" | "android-key" | "apple";

/** COSE algorithms the statements are signed with. */
export const COSE_ES256 = -7;
export const COSE_ES384 = -35;
export const COSE_RS256 = -257;
export const COSE_RS1 = -65535;
export const COSE_EDDSA = -8;

/** The Android key description extension and the Apple nonce extension. */
export const OID_ANDROID_KEY_DESCRIPTION = "1.3.6.1.4.1.11129.2.1.17";
export const OID_APPLE_NONCE = "1.2.840.113635.100.8.2";

const digest = (hash: string, data: Uint8Array): Uint8Array => new Uint8Array(createHash(hash).update(data).digest());

/** The hash a COSE algorithm signs with (null for EdDSA). */
export function hashOfCose(alg: number): "sha1" | "sha256" | "sha384" | "sha512" | null {
  switch (alg) {
    case COSE_RS1:
      return "sha1";
    case COSE_ES384:
    case -258:
      return "sha384";
    case -36:
    case -259:
      return "sha512";
    case COSE_EDDSA:
      return null;
    default:
      return "sha256";
  }
}

/** The COSE algorithm a key signs attestation statements with by default: ES256/ES384 by curve, RS256, EdDSA. */
export function defaultAlgorithmOf(key: KeyObject): number {
  if (key.asymmetricKeyType === "rsa") return COSE_RS256;
  if (key.asymmetricKeyType === "ed25519") return COSE_EDDSA;
  const curve = key.asymmetricKeyDetails?.namedCurve;
  return curve === "secp384r1" ? COSE_ES384 : COSE_ES256;
}

/** Signs `data` as COSE algorithm `alg` does (ECDSA signatures DER-encoded, RSA PKCS#1 v1.5). */
export function signCose(alg: number, privateKey: KeyObject, data: Uint8Array): Uint8Array {
  return new Uint8Array(sign(hashOfCose(alg), data, privateKey));
}

/** The COSE algorithm number of a software-authenticator algorithm. */
export function coseOf(algorithm: TestAlgorithm): number {
  return algorithm === "ES256" ? COSE_ES256 : algorithm === "RS256" ? COSE_RS256 : COSE_EDDSA;
}

// ---------------------------------------------------------------------------------------------
// The test CA and the attestation certificates
// ---------------------------------------------------------------------------------------------

/** The CA that issues every attestation certificate here (testPki's intermediate). */
export function attestationCa(): TestCertificate {
  return testPki().intermediate;
}

/** The root to configure as trust anchor for statements made here (testPki's root). */
export function attestationTrustAnchor(): TestCertificate {
  return testPki().root;
}

/** A root no statement here chains to: "chain to an unknown root". */
export function unknownRoot(): TestCertificate {
  return makeCertificate({ subject: "/C=SE/O=Somebody Else/CN=Unknown Attestation Root", ca: true });
}

/** Subject of a §8.2.1-conforming packed attestation certificate. */
export const PACKED_SUBJECT = "/C=SE/O=Keyport Test Authenticators/OU=Authenticator Attestation/CN=Keyport Test Packed Batch";

export interface AttestationCertificateOptions {
  /** Default attestationCa(). */
  issuer?: TestCertificate;
  /** The subject's key: a type for a fresh one or the private key to certify. */
  key?: TestKeyType | KeyObject;
  subject?: string;
  /** Default 3. 1 drops every extension. */
  version?: 1 | 3;
  /** basicConstraints: default false (CA:FALSE); null leaves it out. */
  ca?: boolean | null;
  /** Writes id-fido-gen-ce-aaguid with these 16 bytes; null or absent leaves it out. */
  aaguid?: Uint8Array | null;
  aaguidCritical?: boolean;
  notBefore?: Date;
  notAfter?: Date;
  /** More openssl x509v3 config lines. */
  extensions?: readonly string[];
}

function certificateOptions(options: AttestationCertificateOptions, subject: string, key: TestKeyType | KeyObject): CertificateOptions {
  const version = options.version ?? 3;
  const extensions = [
    ...(options.aaguid === undefined || options.aaguid === null ? [] : [aaguidExtension(options.aaguid, options.aaguidCritical ?? false)]),
    ...(options.extensions ?? []),
  ];
  return {
    subject: options.subject ?? subject,
    issuer: options.issuer ?? attestationCa(),
    key: options.key ?? key,
    ...(version === 1 ? { version: 1 } : { ca: options.ca === undefined ? false : options.ca, extensions }),
    ...(options.notBefore === undefined ? {} : { notBefore: options.notBefore }),
    ...(options.notAfter === undefined ? {} : { notAfter: options.notAfter }),
  };
}

/** A packed attestation certificate (§8.2.1: v3; C, O, OU "Authenticator Attestation", CN; CA false; AAGUID extension not critical). */
export function packedCertificate(options: AttestationCertificateOptions = {}): TestCertificate {
  return makeCertificate(certificateOptions(options, PACKED_SUBJECT, "P-256"));
}

/**
 * A fido-u2f attestation certificate: a P-256 key (unless `key` says otherwise), issued directly by the
 * test root (fido-u2f's x5c holds exactly one certificate, so no intermediate can travel with it).
 */
export function fidoU2fCertificate(options: AttestationCertificateOptions = {}): TestCertificate {
  return makeCertificate(certificateOptions({ ca: null, issuer: attestationTrustAnchor(), ...options }, "/C=SE/O=Keyport Test Authenticators/CN=Keyport Test U2F EE", "P-256"));
}

export interface TpmAikOptions extends AttestationCertificateOptions {
  /** The directoryName's attributes; `null` leaves subjectAltName out. */
  san?: TpmDeviceAttributes | null;
  /** extendedKeyUsage OID; default tcg-kp-AIKCertificate; null leaves it out. */
  extendedKeyUsage?: string | null;
}

/** An AIK certificate (§8.3.1): v3, empty subject, critical TPM subjectAltName, EKU 2.23.133.8.3, CA false; RSA-2048. */
export function tpmAikCertificate(options: TpmAikOptions = {}): TestCertificate {
  const extensions = [
    ...(options.san === null ? [] : [rawExtension("2.5.29.17", tpmSubjectAltName(options.san ?? {}), true)]),
    ...(options.extendedKeyUsage === null ? [] : [`extendedKeyUsage = ${options.extendedKeyUsage ?? OID_TCG_KP_AIK_CERTIFICATE}`]),
    ...(options.extensions ?? []),
  ];
  return makeCertificate(certificateOptions({ ...options, extensions }, "", "RSA-2048"));
}

export interface KeyDescriptionOptions {
  /** Default the client data hash the statement is for. */
  attestationChallenge?: Uint8Array;
  /** Put allApplications [600] in the software-enforced list (forbidden). */
  allApplications?: boolean;
  /** The TEE-enforced origin [702]; default 0 (KM_ORIGIN_GENERATED). */
  origin?: number;
  /** The TEE-enforced purposes [1]; default [2] (KM_PURPOSE_SIGN). */
  purpose?: readonly number[];
}

/** The Android KeyDescription (attestation version 3, TEE) as the 1.3.6.1.4.1.11129.2.1.17 extension's DER. */
export function androidKeyDescription(clientDataHash: Uint8Array, options: KeyDescriptionOptions = {}): Uint8Array {
  const softwareEnforced = sequence(...(options.allApplications === true ? [explicit(600, derNull())] : []));
  const teeEnforced = sequence(
    explicit(1, set(...(options.purpose ?? [2]).map(integer))),
    explicit(702, integer(options.origin ?? 0)),
  );
  return sequence(
    integer(3),
    enumerated(1),
    integer(4),
    enumerated(1),
    octetString(options.attestationChallenge ?? clientDataHash),
    octetString(new Uint8Array(0)),
    softwareEnforced,
    teeEnforced,
  );
}

/** An android-key credential certificate: the credential's own key, with the key description extension. */
export function androidKeyCertificate(
  credentialPrivateKey: KeyObject,
  clientDataHash: Uint8Array,
  options: AttestationCertificateOptions & { keyDescription?: KeyDescriptionOptions | null } = {},
): TestCertificate {
  const extensions = [
    ...(options.keyDescription === null ? [] : [rawExtension(OID_ANDROID_KEY_DESCRIPTION, androidKeyDescription(clientDataHash, options.keyDescription ?? {}))]),
    ...(options.extensions ?? []),
  ];
  return makeCertificate(certificateOptions({ ...options, extensions, key: options.key ?? credentialPrivateKey }, "/CN=Android Keystore Key", "P-256"));
}

/** The apple nonce extension's DER: SEQUENCE { [1] EXPLICIT OCTET STRING nonce }. */
export function appleNonceExtension(nonce: Uint8Array): Uint8Array {
  return sequence(explicit(1, octetString(nonce)));
}

/** An apple credential certificate: the credential's own key, with the nonce SHA-256(authData ‖ clientDataHash). */
export function appleCertificate(
  credentialPrivateKey: KeyObject,
  attToBeSigned: Uint8Array,
  options: AttestationCertificateOptions & { nonce?: Uint8Array | null } = {},
): TestCertificate {
  const nonce = options.nonce === undefined ? digest("sha256", attToBeSigned) : options.nonce;
  const extensions = [...(nonce === null ? [] : [rawExtension(OID_APPLE_NONCE, appleNonceExtension(nonce))]), ...(options.extensions ?? [])];
  return makeCertificate(
    certificateOptions({ ...options, extensions, key: options.key ?? credentialPrivateKey }, "/CN=Keyport Test Apple Credential/OU=AAA Certification/O=Keyport Test/ST=California", "P-256"),
  );
}

// ---------------------------------------------------------------------------------------------
// Statements
// ---------------------------------------------------------------------------------------------

/** What a statement is made over: the bytes the browser and authenticator produced. */
export interface StatementContext {
  authData: Uint8Array;
  clientDataHash: Uint8Array;
  /** The credential key pair (android-key and apple certify it; tpm describes it in pubArea). */
  credential: { privateKey: KeyObject; publicKey: KeyObject };
}

/** authData ‖ clientDataHash: what packed, android-key and tpm (via extraData) sign, and apple's nonce hashes. */
export function attToBeSigned(context: StatementContext): Uint8Array {
  return concat(context.authData, context.clientDataHash);
}

function maybeFlip(signature: Uint8Array, flip: boolean | undefined): Uint8Array {
  if (flip !== true) return signature;
  const copy = new Uint8Array(signature);
  const index = Math.min(8, copy.length - 1);
  copy[index] = (copy[index] ?? 0) ^ 0x01;
  return copy;
}

export interface SignedStatementOptions {
  /** Leaf first; the leaf's key signs. Default: a conforming certificate from attestationCa(), plus attestationCa(). */
  chain?: readonly TestCertificate[];
  /** Default: the leaf key's algorithm. */
  alg?: number;
  /** Flip one bit of the signature (it still parses). */
  badSignature?: boolean;
}

/** packed with x5c (§8.2): {alg, sig over authData ‖ clientDataHash with the leaf key, x5c}. */
export function packedX5cStatement(context: StatementContext, options: SignedStatementOptions & { aaguid?: Uint8Array } = {}): Record<string, unknown> {
  const chain = options.chain ?? [packedCertificate({ aaguid: options.aaguid ?? context.authData.slice(37, 53) }), attestationCa()];
  const leaf = chain[0];
  if (leaf === undefined) throw new Error("packedX5cStatement: empty chain");
  const alg = options.alg ?? defaultAlgorithmOf(leaf.privateKey);
  const sig = maybeFlip(signCose(alg, leaf.privateKey, attToBeSigned(context)), options.badSignature);
  return { alg, sig, x5c: chain.map((c) => c.der) };
}

/** The credential's public key as an uncompressed EC point 0x04 ‖ x ‖ y (fido-u2f). */
export function uncompressedPoint(publicKey: KeyObject): Uint8Array {
  const jwk = publicKey.export({ format: "jwk" }) as { x?: string; y?: string };
  if (jwk.x === undefined || jwk.y === undefined) throw new Error("uncompressedPoint: not an EC key");
  return concat(Uint8Array.of(0x04), Buffer.from(jwk.x, "base64url"), Buffer.from(jwk.y, "base64url"));
}

/** The credential id inside attested authData. */
export function credentialIdOf(authData: Uint8Array): Uint8Array {
  const length = (authData[53] ?? 0) * 256 + (authData[54] ?? 0);
  return authData.slice(55, 55 + length);
}

/** fido-u2f (§8.6): sig over 0x00 ‖ rpIdHash ‖ clientDataHash ‖ credentialId ‖ publicKeyU2F with the one certificate's key. */
export function fidoU2fStatement(context: StatementContext, options: Omit<SignedStatementOptions, "alg"> = {}): Record<string, unknown> {
  const chain = options.chain ?? [fidoU2fCertificate()];
  const leaf = chain[0];
  if (leaf === undefined) throw new Error("fidoU2fStatement: empty chain");
  const signed = concat(Uint8Array.of(0x00), context.authData.slice(0, 32), context.clientDataHash, credentialIdOf(context.authData), uncompressedPoint(context.credential.publicKey));
  const sig = maybeFlip(new Uint8Array(sign("sha256", signed, leaf.privateKey)), options.badSignature);
  return { sig, x5c: chain.map((c) => c.der) };
}

export interface TpmStatementOptions extends SignedStatementOptions {
  /** Default RS256; RS1 hashes extraData and the signature with SHA-1. */
  alg?: number;
  ver?: string;
  pubArea?: PubAreaOptions;
  certInfo?: CertInfoOptions;
  /** Describe this key in pubArea instead of the credential's. */
  pubAreaKey?: KeyObject;
  aaguid?: Uint8Array;
}

/** tpm (§8.3): {ver "2.0", alg, x5c [AIK, CA], sig over certInfo with the AIK, certInfo, pubArea}. */
export function tpmStatement(context: StatementContext, options: TpmStatementOptions = {}): Record<string, unknown> {
  const chain = options.chain ?? [tpmAikCertificate({ aaguid: options.aaguid ?? context.authData.slice(37, 53) }), attestationCa()];
  const aik = chain[0];
  if (aik === undefined) throw new Error("tpmStatement: empty chain");
  const alg = options.alg ?? COSE_RS256;
  const pubArea = buildPubArea(options.pubAreaKey ?? context.credential.publicKey, options.pubArea);
  const certInfo = buildCertInfo({ pubArea, attToBeSigned: attToBeSigned(context), hash: alg === COSE_RS1 ? "sha1" : "sha256", ...options.certInfo });
  const sig = maybeFlip(signCose(alg, aik.privateKey, certInfo), options.badSignature);
  return { ver: options.ver ?? "2.0", alg, x5c: chain.map((c) => c.der), sig, certInfo, pubArea };
}

export interface AndroidKeyStatementOptions extends SignedStatementOptions {
  keyDescription?: KeyDescriptionOptions;
}

/** android-key (§8.4): {alg, sig with the credential key over authData ‖ clientDataHash, x5c [credential cert, CA]}. */
export function androidKeyStatement(context: StatementContext, options: AndroidKeyStatementOptions = {}): Record<string, unknown> {
  const chain = options.chain ?? [androidKeyCertificate(context.credential.privateKey, context.clientDataHash, { keyDescription: options.keyDescription ?? {} }), attestationCa()];
  const alg = options.alg ?? defaultAlgorithmOf(context.credential.privateKey);
  const sig = maybeFlip(signCose(alg, context.credential.privateKey, attToBeSigned(context)), options.badSignature);
  return { alg, sig, x5c: chain.map((c) => c.der) };
}

/** apple (§8.8): {x5c [credential cert with the nonce, CA]} (no signature: the nonce binds the statement). */
export function appleStatement(context: StatementContext, options: { chain?: readonly TestCertificate[]; nonce?: Uint8Array | null } = {}): Record<string, unknown> {
  const chain = options.chain ?? [appleCertificate(context.credential.privateKey, attToBeSigned(context), { nonce: options.nonce }), attestationCa()];
  return { x5c: chain.map((c) => c.der) };
}

/** The conforming statement of `format` over `context`, with the default test CA. */
export function certifiedStatement(format: CertifiedFormat, context: StatementContext, options: { badSignature?: boolean; chain?: readonly TestCertificate[] } = {}): Record<string, unknown> {
  switch (format) {
    case "packed":
      return packedX5cStatement(context, options);
    case "fido-u2f":
      return fidoU2fStatement(context, options);
    case "tpm":
      return tpmStatement(context, options);
    case "android-key":
      return androidKeyStatement(context, options);
    case "apple":
      return appleStatement(context, options);
  }
}
