import { fromBase64Url } from "../../domain/encoding/bytes.js";
import { isValidPublicKeyJwk, type PublicKeyJwk } from "../../domain/encoding/cose.js";
import type { SignatureVerifier } from "../../ports/signature-verifier.js";
import { derToP1363 } from "./ecdsa-der.js";

const ES256_IMPORT: EcKeyImportParams = { name: "ECDSA", namedCurve: "P-256" };
const ES256_VERIFY: EcdsaParams = { name: "ECDSA", hash: "SHA-256" };
const RS256_IMPORT: RsaHashedImportParams = { name: "RSASSA-PKCS1-v1_5", hash: "SHA-256" };
const RS256_VERIFY: Algorithm = { name: "RSASSA-PKCS1-v1_5" };
const ED25519: Algorithm = { name: "Ed25519" };

/**
 * Verifies signatures with WebCrypto (`globalThis.crypto.subtle`): native, and present in every
 * runtime keyport targets, so it is the default verifier (ADR 0006).
 *
 * EC and Ed25519 keys are imported in "raw" form (the point's bytes), which every WebCrypto has: on Node
 * it costs half the JWK import of the same key (measured in `npm run bench`). The point is still checked
 * on import, and the domain judged it before (isValidPublicKeyJwk).
 */
export class WebCryptoSignatureVerifier implements SignatureVerifier {
  async verify(key: PublicKeyJwk, signature: Uint8Array, data: Uint8Array): Promise<boolean> {
    // A key registration would refuse verifies nothing: WebCrypto alone accepts RSA e = 1 and Ed25519 small-order keys (ADR 0014).
    if (!isValidPublicKeyJwk(key)) return false;
    const subtle = globalThis.crypto.subtle;
    try {
      if (key.alg === -7) {
        const sig = derToP1363(signature, 32);
        const point = uncompressedPoint(key.x, key.y);
        if (sig === null || point === null) return false;
        const imported = await subtle.importKey("raw", point, ES256_IMPORT, false, ["verify"]);
        return await subtle.verify(ES256_VERIFY, imported, sig as Uint8Array<ArrayBuffer>, data as Uint8Array<ArrayBuffer>);
      }
      if (key.alg === -8) {
        const x = fromBase64Url(key.x);
        if (x === null) return false;
        const imported = await subtle.importKey("raw", x as Uint8Array<ArrayBuffer>, ED25519, false, ["verify"]);
        return await subtle.verify(ED25519, imported, signature as Uint8Array<ArrayBuffer>, data as Uint8Array<ArrayBuffer>);
      }
      const imported = await subtle.importKey("jwk", { kty: key.kty, n: key.n, e: key.e }, RS256_IMPORT, false, ["verify"]);
      return await subtle.verify(RS256_VERIFY, imported, signature as Uint8Array<ArrayBuffer>, data as Uint8Array<ArrayBuffer>);
    } catch {
      // A key WebCrypto refuses (a point off the curve, say) verifies nothing.
      return false;
    }
  }
}

/** SEC 1 §2.3.3: 0x04 ‖ x ‖ y, the "raw" form WebCrypto imports an EC public key from. */
function uncompressedPoint(x: string, y: string): Uint8Array<ArrayBuffer> | null {
  const xBytes = fromBase64Url(x);
  const yBytes = fromBase64Url(y);
  if (xBytes === null || yBytes === null || xBytes.length !== 32 || yBytes.length !== 32) return null;
  const point = new Uint8Array(65);
  point[0] = 0x04;
  point.set(xBytes, 1);
  point.set(yBytes, 33);
  return point;
}
