/**
 * TPM 2.0 structures for `tpm` attestation statements (WebAuthn §8.3, TPM 2.0 Library Part 2): the
 * TPMT_PUBLIC a TPM reports for the credential key (pubArea), the TPMS_ATTEST it signs (certInfo) and
 * the AIK certificate's subjectAltName. Every field can be overridden so a test can break exactly one.
 */
import { createHash, type KeyObject } from "node:crypto";
import { concat, contextTag, oid, sequence, set, tlv, utf8String } from "./der.js";

export const TPM_ALG_RSA = 0x0001;
export const TPM_ALG_SHA1 = 0x0004;
export const TPM_ALG_SHA256 = 0x000b;
export const TPM_ALG_NULL = 0x0010;
export const TPM_ALG_ECC = 0x0023;
export const TPM_ECC_NIST_P256 = 0x0003;
export const TPM_GENERATED_VALUE = 0xff544347;
export const TPM_ST_ATTEST_CERTIFY = 0x8017;
/** fixedTPM | fixedParent | sensitiveDataOrigin | userWithAuth | noDA | sign, as Windows' TPM keys have. */
export const DEFAULT_OBJECT_ATTRIBUTES = 0x00060472;

/** tcg-at-tpmManufacturer, tcg-at-tpmModel, tcg-at-tpmVersion (TCG EK Credential Profile §3.2.9). */
export const OID_TPM_MANUFACTURER = "2.23.133.2.1";
export const OID_TPM_MODEL = "2.23.133.2.2";
export const OID_TPM_VERSION = "2.23.133.2.3";
/** tcg-kp-AIKCertificate, the extended key usage an AIK certificate must have. */
export const OID_TCG_KP_AIK_CERTIFICATE = "2.23.133.8.3";

const u16 = (n: number): Uint8Array => Uint8Array.of((n >>> 8) & 0xff, n & 0xff);
const u32 = (n: number): Uint8Array => Uint8Array.of((n >>> 24) & 0xff, (n >>> 16) & 0xff, (n >>> 8) & 0xff, n & 0xff);
const u64 = (n: bigint): Uint8Array => {
  const out = new Uint8Array(8);
  new DataView(out.buffer).setBigUint64(0, n, false);
  return out;
};
/** TPM2B_*: a 16-bit size, then the bytes. */
const tpm2b = (bytes: Uint8Array): Uint8Array => concat(u16(bytes.length), bytes);

function jwkBytes(key: KeyObject, member: string): Uint8Array {
  const value = (key.export({ format: "jwk" }) as Record<string, unknown>)[member];
  if (typeof value !== "string") throw new Error(`key has no JWK member ${member}`);
  return new Uint8Array(Buffer.from(value, "base64url"));
}

export interface PubAreaOptions {
  /** Default SHA-256. */
  nameAlg?: number;
  objectAttributes?: number;
  /** Replaces the key's RSA modulus / ECC x (e.g. to make pubArea describe another key). */
  unique?: Uint8Array;
  /** RSA exponent field; default 0 (meaning 65537), as TPMs write it. */
  exponent?: number;
  /** ECC curve id; default NIST P-256. */
  curveId?: number;
}

/** TPMT_PUBLIC for the credential's public key (an RSA or P-256 key). */
export function buildPubArea(publicKey: KeyObject, options: PubAreaOptions = {}): Uint8Array {
  const nameAlg = options.nameAlg ?? TPM_ALG_SHA256;
  const attributes = options.objectAttributes ?? DEFAULT_OBJECT_ATTRIBUTES;
  const authPolicy = tpm2b(new Uint8Array(0));
  if (publicKey.asymmetricKeyType === "rsa") {
    const n = options.unique ?? jwkBytes(publicKey, "n");
    // TPMS_RSA_PARMS: symmetric NULL, scheme NULL, keyBits, exponent.
    const parameters = concat(u16(TPM_ALG_NULL), u16(TPM_ALG_NULL), u16(n.length * 8), u32(options.exponent ?? 0));
    return concat(u16(TPM_ALG_RSA), u16(nameAlg), u32(attributes), authPolicy, parameters, tpm2b(n));
  }
  if (publicKey.asymmetricKeyType === "ec") {
    // TPMS_ECC_PARMS: symmetric NULL, scheme NULL, curveID, kdf NULL; unique: TPMS_ECC_POINT.
    const parameters = concat(u16(TPM_ALG_NULL), u16(TPM_ALG_NULL), u16(options.curveId ?? TPM_ECC_NIST_P256), u16(TPM_ALG_NULL));
    const unique = concat(tpm2b(options.unique ?? jwkBytes(publicKey, "x")), tpm2b(jwkBytes(publicKey, "y")));
    return concat(u16(TPM_ALG_ECC), u16(nameAlg), u32(attributes), authPolicy, parameters, unique);
  }
  throw new Error(`buildPubArea: no TPM key type for ${publicKey.asymmetricKeyType}`);
}

/** A TPM object's Name: nameAlg ‖ H_nameAlg(pubArea). */
export function tpmName(pubArea: Uint8Array, nameAlg = TPM_ALG_SHA256): Uint8Array {
  const hash = nameAlg === TPM_ALG_SHA1 ? "sha1" : "sha256";
  return concat(u16(nameAlg), new Uint8Array(createHash(hash).update(pubArea).digest()));
}

export interface CertInfoOptions {
  magic?: number;
  type?: number;
  /** Default: the hash (under `extraDataHash`) of authData ‖ clientDataHash. */
  extraData?: Uint8Array;
  /** Replaces attested.name (default: the Name of pubArea). */
  name?: Uint8Array;
}

/**
 * TPMS_ATTEST of type TPM_ST_ATTEST_CERTIFY over the credential key: magic, type, qualifiedSigner,
 * extraData (what WebAuthn binds: the hash of attToBeSigned), clockInfo, firmwareVersion, and the
 * TPMS_CERTIFY_INFO {name, qualifiedName}.
 */
export function buildCertInfo(args: { pubArea: Uint8Array; attToBeSigned: Uint8Array; hash: "sha1" | "sha256" } & CertInfoOptions): Uint8Array {
  const extraData = args.extraData ?? new Uint8Array(createHash(args.hash).update(args.attToBeSigned).digest());
  const nameAlg = (args.pubArea[2] ?? 0) * 256 + (args.pubArea[3] ?? 0);
  const name = args.name ?? tpmName(args.pubArea, nameAlg);
  const qualifiedSigner = tpm2b(concat(u16(TPM_ALG_SHA256), new Uint8Array(32).fill(0x51)));
  const clockInfo = concat(u64(123_456_789n), u32(7), u32(3), Uint8Array.of(1));
  const firmwareVersion = u64(0x0007_0002_0000_0000n);
  const qualifiedName = tpm2b(concat(u16(TPM_ALG_SHA256), new Uint8Array(32).fill(0x71)));
  return concat(
    u32(args.magic ?? TPM_GENERATED_VALUE),
    u16(args.type ?? TPM_ST_ATTEST_CERTIFY),
    qualifiedSigner,
    tpm2b(extraData),
    clockInfo,
    firmwareVersion,
    tpm2b(name),
    qualifiedName,
  );
}

export interface TpmDeviceAttributes {
  /** Default "id:FFFFF1D0" (the FIDO conformance test manufacturer). */
  manufacturer?: string;
  model?: string;
  version?: string;
  /** Put the three attributes in one RDN (what many real TPMs write) instead of one RDN each. */
  singleRdn?: boolean;
  /** Leave the manufacturer out (an invalid SAN). */
  omitManufacturer?: boolean;
}

/**
 * The DER of the AIK certificate's subjectAltName extension value: GeneralNames holding one
 * directoryName with tcg-at-tpmManufacturer, tcg-at-tpmModel and tcg-at-tpmVersion (UTF8String).
 */
export function tpmSubjectAltName(attributes: TpmDeviceAttributes = {}): Uint8Array {
  const entries = [
    ...(attributes.omitManufacturer === true ? [] : [sequence(oid(OID_TPM_MANUFACTURER), utf8String(attributes.manufacturer ?? "id:FFFFF1D0"))]),
    sequence(oid(OID_TPM_MODEL), utf8String(attributes.model ?? "NPCT6xx")),
    sequence(oid(OID_TPM_VERSION), utf8String(attributes.version ?? "id:13")),
  ];
  const name = attributes.singleRdn === true ? sequence(set(...entries)) : sequence(...entries.map((entry) => set(entry)));
  // GeneralName directoryName is [4] EXPLICIT Name.
  return sequence(tlv(contextTag(4), name));
}
