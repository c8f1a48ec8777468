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
   */
  verify(key: PublicKeyJwk, signature: Uint8Array, data: Uint8Array): Promise<boolean>;
}
