/** §8.6 `fido-u2f`: one P-256 attestation certificate signs the U2F registration's verification data. */
import { fromBase64Url } from "../../encoding/bytes.js";
import { err, ok } from "../../result.js";
import { bytesOf, concat, readX5c, type StatementInput, type StatementResult, type StatementTools } from "./statement.js";

const ES256 = -7;

/**
 * §8.6: x5c holds exactly one certificate, whose key is on P-256; the credential key is a P-256 key
 * (U2F knows no other); the AAGUID is zero; `sig` verifies with the certificate's key (ES256) over
 * 0x00 ‖ rpIdHash ‖ clientDataHash ‖ credentialId ‖ 0x04 ‖ x ‖ y. Type basic or AttCA: `basic`.
 */
export async function verifyFidoU2f(input: StatementInput, tools: StatementTools): Promise<StatementResult> {
  const sig = bytesOf(input.statement.sig);
  if (sig === null) return err("statement_malformed");
  const chain = readX5c(input.statement.x5c, tools.certificates);
  if (!chain.ok) return chain;
  if (chain.value.length !== 1) return err("x5c_not_single");
  const [certificate] = chain.value;
  const certificateKey = certificate.publicKey;
  if (certificateKey === null || certificateKey.kty !== "EC" || certificateKey.crv !== "P-256") return err("certificate_key_not_p256");
  const key = input.credentialKey;
  if (key.kty !== "EC") return err("credential_key_not_p256");
  const x = fromBase64Url(key.x);
  const y = fromBase64Url(key.y);
  if (x === null || y === null || x.length !== 32 || y.length !== 32) return err("credential_key_not_p256");
  const attested = input.authenticatorData.attestedCredential;
  if (attested.aaguid.some((byte) => byte !== 0)) return err("aaguid_not_zero");
  const verificationData = concat([
    Uint8Array.of(0x00),
    input.authenticatorData.rpIdHash,
    input.clientDataHash,
    attested.credentialId,
    Uint8Array.of(0x04),
    x,
    y,
  ]);
  const valid = await tools.certificates.verifySignature(certificate, ES256, sig, verificationData);
  return valid ? ok({ type: "basic", chain: chain.value }) : err("signature_invalid");
}
