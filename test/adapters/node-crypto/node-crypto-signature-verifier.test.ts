import { NodeCryptoSignatureVerifier } from "../../../src/adapters/node-crypto/node-crypto-signature-verifier.js";
import { describeSignatureVerifierContract } from "../../ports/signature-verifier.contract.js";

describeSignatureVerifierContract("NodeCryptoSignatureVerifier", async () => ({ verifier: new NodeCryptoSignatureVerifier() }));
