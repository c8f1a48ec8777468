import { isValidPublicKeyJwk, type PublicKeyJwk } from "../../domain/encoding/cose.js";
import type { SignatureVerifier } from "../../ports/signature-verifier.js";
import { derToP1363 } from "./ecdsa-der.js";

type Params = { importAlgorithm: EcKeyImportParams | RsaHashedImportParams | Algorithm; verifyAlgorithm: EcdsaParams | Algorithm };

const PARAMS: Record<PublicKeyJwk["alg"], Params> = {
  [-7]: { importAlgorithm: { name: "ECDSA", namedCurve: "P-256" }, verifyAlgorithm: { name: "ECDSA", hash: "SHA-256" } },
  [-257]: { importAlgorithm: { name: "RSASSA-PKCS1-v1_5", hash: "SHA-256" }, verifyAlgorithm: { name: "RSASSA-PKCS1-v1_5" } },
  [-8]: { importAlgorithm: { name: "Ed25519" }, verifyAlgorithm: { name: "Ed25519" } },
};

/**
 * Verifies signatures with WebCrypto (`globalThis.crypto.subtle`): native, and present in every
 * runtime keyport targets, so it is the default verifier (ADR 0006).
 */
export class WebCryptoSignatureVerifier implements SignatureVerifier {
  async verify(key: PublicKeyJwk, signature: Uint8Array, data: Uint8Array): Promise<boolean> {
    // A key registration would refuse verifies nothing: WebCrypto alone accepts RSA e = 1 and Ed25519 small-order keys (ADR 0014).
    if (!isValidPublicKeyJwk(key)) return false;
    const params = PARAMS[key.alg];
    const sig = key.alg === -7 ? derToP1363(signature, 32) : signature;
    if (sig === null) return false;
    try {
      const { alg: _alg, ...jwk } = key;
      const imported = await globalThis.crypto.subtle.importKey("jwk", jwk as JsonWebKey, params.importAlgorithm, false, ["verify"]);
      return await globalThis.crypto.subtle.verify(params.verifyAlgorithm, imported, sig as Uint8Array<ArrayBuffer>, data as Uint8Array<ArrayBuffer>);
    } catch {
      // A key WebCrypto refuses (a point off the curve, say) verifies nothing.
      return false;
    }
  }
}
