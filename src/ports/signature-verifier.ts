import type { PublicKeyJwk } from "../domain/encoding/cose.js";

/**
 * Verifies a WebAuthn signature (ADR 0006). A port so that each runtime can use its fastest native
 * implementation: WebCrypto everywhere, node:crypto on Node.
 */
export interface SignatureVerifier {
  /**
   * True when `signature` is a valid signature of `data` under `key`.
   * ES256 signatures arrive DER-encoded, as authenticators produce them; RS256 is RSASSA-PKCS1-v1_5
   * with SHA-256; EdDSA is Ed25519. A signature that cannot be decoded is `false`, never a throw.
   * A key that registration would refuse (the domain's `isValidPublicKeyJwk`: a point off P-256, an
   * Ed25519 key of small order, an RSA exponent outside 2^16 < e < 2^256, …) verifies nothing: `false`,
   * whatever the signature, even where the underlying library would accept it (ADR 0014).
   */
  verify(key: PublicKeyJwk, signature: Uint8Array, data: Uint8Array): Promise<boolean>;
}
