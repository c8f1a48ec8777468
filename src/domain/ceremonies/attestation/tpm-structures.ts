/**
 * The two TPM 2.0 structures of a `tpm` statement (TPM 2.0 Library Part 2), read from their bytes
 * (big-endian, sizes as UINT16 prefixes): TPMT_PUBLIC (pubArea, §12.2.4) and TPMS_ATTEST (certInfo,
 * §10.12.12). Only what §8.3 checks is kept; anything that is not exactly one structure is null.
 */

export const TPM_ALG_RSA = 0x0001;
export const TPM_ALG_ECC = 0x0023;
const TPM_ALG_NULL = 0x0010;
const TPM_ALG_RSAES = 0x0015;
const TPM_ALG_ECDAA = 0x001a;
export const TPM_ECC_NIST_P256 = 0x0003;
export const TPM_GENERATED_VALUE = 0xff544347;
export const TPM_ST_ATTEST_CERTIFY = 0x8017;
/** TPM_ALG_ID of the hashes a Name may be computed with. */
export const TPM_ALG_SHA1 = 0x0004;
export const TPM_ALG_SHA256 = 0x000b;
export const TPM_ALG_SHA384 = 0x000c;
export const TPM_ALG_SHA512 = 0x000d;

/** TPMT_PUBLIC, the credential key as the TPM describes it. */
export type TpmPublic =
  | { readonly type: typeof TPM_ALG_RSA; readonly nameAlg: number; readonly exponent: number; readonly modulus: Uint8Array }
  | { readonly type: typeof TPM_ALG_ECC; readonly nameAlg: number; readonly curveId: number; readonly x: Uint8Array; readonly y: Uint8Array };

/** TPMS_ATTEST with TPMS_CERTIFY_INFO, as §8.3 reads it. */
export interface TpmAttest {
  readonly magic: number;
  readonly type: number;
  readonly extraData: Uint8Array;
  /** attested.name: nameAlg ‖ H(pubArea). */
  readonly attestedName: Uint8Array;
}

/** A cursor over big-endian TPM bytes; every read past the end makes the reader fail. */
class TpmReader {
  #offset = 0;
  failed = false;
  constructor(private readonly bytes: Uint8Array) {}

  take(length: number): Uint8Array {
    if (this.#offset + length > this.bytes.length) {
      this.failed = true;
      return new Uint8Array(0);
    }
    const part = this.bytes.subarray(this.#offset, this.#offset + length);
    this.#offset += length;
    return part;
  }

  uint(bytes: 1 | 2 | 4): number {
    return this.take(bytes).reduce((value, byte) => value * 256 + byte, 0);
  }

  /** A TPM2B: a UINT16 size and that many bytes. */
  sized(): Uint8Array {
    return this.take(this.uint(2));
  }

  /** Whether everything was read, and nothing was missing. */
  get complete(): boolean {
    return !this.failed && this.#offset === this.bytes.length;
  }
}

/** Reads a scheme (TPMT_RSA_SCHEME, TPMT_ECC_SCHEME, TPMT_KDF_SCHEME): its algorithm and the details that algorithm has. */
function skipScheme(reader: TpmReader): void {
  const scheme = reader.uint(2);
  if (scheme === TPM_ALG_NULL || scheme === TPM_ALG_RSAES) return;
  reader.uint(2); // hashAlg
  if (scheme === TPM_ALG_ECDAA) reader.uint(2); // count
}

export function parseTpmPublic(bytes: Uint8Array): TpmPublic | null {
  const reader = new TpmReader(bytes);
  const type = reader.uint(2);
  const nameAlg = reader.uint(2);
  reader.uint(4); // objectAttributes
  reader.sized(); // authPolicy
  // A signing key's symmetric algorithm is TPM_ALG_NULL (Part 2 §12.2.3.6); anything else is not one.
  if (reader.uint(2) !== TPM_ALG_NULL) return null;
  skipScheme(reader);
  if (type === TPM_ALG_RSA) {
    reader.uint(2); // keyBits
    const exponent = reader.uint(4);
    const modulus = reader.sized();
    // An exponent of zero stands for the default, 2^16 + 1.
    return reader.complete ? { type, nameAlg, exponent: exponent === 0 ? 65537 : exponent, modulus } : null;
  }
  if (type === TPM_ALG_ECC) {
    const curveId = reader.uint(2);
    skipScheme(reader); // kdf
    const x = reader.sized();
    const y = reader.sized();
    return reader.complete ? { type, nameAlg, curveId, x, y } : null;
  }
  return null;
}

export function parseTpmAttest(bytes: Uint8Array): TpmAttest | null {
  const reader = new TpmReader(bytes);
  const magic = reader.uint(4);
  const type = reader.uint(2);
  reader.sized(); // qualifiedSigner
  const extraData = reader.sized();
  reader.take(17); // clockInfo: clock, resetCount, restartCount, safe
  reader.take(8); // firmwareVersion
  // attested, TPMS_CERTIFY_INFO: name and qualifiedName. Another type's attested has another layout,
  // which the reading of type below refuses before anything is compared.
  const attestedName = reader.sized();
  reader.sized(); // qualifiedName
  return reader.complete ? { magic, type, extraData, attestedName } : null;
}
