/**
 * The X.509 verifier of the compositions that register passkeys (the local server's, the HTTP API's,
 * `keyport/node`): a factory for `AdapterOverrides.certificateVerifier`, so that the compositions that
 * never read an attestation statement (the Cognito triggers') bundle neither the adapter nor its DER
 * library (ADR 0026), as with the authenticator catalog (authenticator-catalogs.ts).
 */
import { NodeCryptoCertificateVerifier } from "../adapters/node-crypto/node-crypto-certificate-verifier.js";
import type { CertificateVerifier } from "../ports/certificate-verifier.js";

/** node:crypto's X509Certificate, with @oslojs/asn1 for the fields it does not expose. */
export function certificateVerifier(): CertificateVerifier {
  return new NodeCryptoCertificateVerifier();
}
