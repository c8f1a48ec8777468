import { WebCryptoSignatureVerifier } from "../../../src/adapters/webcrypto/web-crypto-signature-verifier.js";
import { describeSignatureVerifierContract } from "../../ports/signature-verifier.contract.js";

describeSignatureVerifierContract("WebCryptoSignatureVerifier", async () => ({ verifier: new WebCryptoSignatureVerifier() }));
