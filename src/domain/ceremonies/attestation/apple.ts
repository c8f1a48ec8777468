/** §8.8 `apple`: Apple anonymous attestation, a certificate made for this credential that holds a nonce. */
import { sha256 } from "@oslojs/crypto/sha2";
import { bytesEqual } from "../../encoding/bytes.js";
import { err, ok } from "../../result.js";
import { explicit, readDer } from "./der.js";
import { attToBeSigned, isCredentialKey, readX5c, type StatementInput, type StatementResult, type StatementTools } from "./statement.js";

/** The extension of Apple's credential certificate that holds the nonce. */
export const OID_APPLE_NONCE = "1.2.840.113635.100.8.2";

/**
 * §8.8: the leaf of x5c has the nonce extension, `SEQUENCE { [1] EXPLICIT OCTET STRING }`, whose octets
 * are SHA-256(authData ‖ clientDataHash), and its key is the credential key. There is no signature:
 * the certificate itself is the statement. Type anonymization CA (`anonca`).
 */
export function verifyApple(input: StatementInput, tools: StatementTools): StatementResult {
  const chain = readX5c(input.statement.x5c, tools.certificates);
  if (!chain.ok) return chain;
  const [leaf] = chain.value;
  const extension = leaf.extensions.find((candidate) => candidate.oid === OID_APPLE_NONCE);
  const nonce = extension === undefined ? null : readDer(extension.value, (der) => {
    const [first] = der.sequence().elements;
    const inner = first === undefined ? null : explicit(first, 1);
    return inner === null ? null : inner.octetString().value;
  });
  if (nonce === null) return err("apple_nonce_missing");
  if (!bytesEqual(nonce, sha256(attToBeSigned(input)))) return err("apple_nonce_mismatch");
  if (!isCredentialKey(leaf.publicKey, input.credentialKey)) return err("certificate_key_mismatch");
  return ok({ type: "anonca", chain: chain.value });
}
