/** §8.4 `android-key`: a key made in Android's hardware-backed keystore, described in its certificate. */
import { bytesEqual } from "../../encoding/bytes.js";
import { err, ok } from "../../result.js";
import { guarded, readDer, tagged, type ASN1Value } from "./der.js";
import type { CertificateFailure } from "./failures.js";
import {
  algorithmOf,
  attToBeSigned,
  bytesOf,
  checkCertificateSignature,
  isCredentialKey,
  readX5c,
  type StatementInput,
  type StatementResult,
  type StatementTools,
} from "./statement.js";

/** The Android key attestation extension, holding the KeyDescription. */
export const OID_ANDROID_KEY_DESCRIPTION = "1.3.6.1.4.1.11129.2.1.17";
/** AuthorizationList tags (Android Keymaster/KeyMint). */
const TAG_PURPOSE = 1;
const TAG_ALL_APPLICATIONS = 600;
const TAG_ORIGIN = 702;
const KM_ORIGIN_GENERATED = 0n;
const KM_PURPOSE_SIGN = 2n;

/** What §8.4 reads of the KeyDescription. */
interface KeyDescription {
  readonly attestationChallenge: Uint8Array;
  readonly softwareEnforced: readonly ASN1Value[];
  readonly teeEnforced: readonly ASN1Value[];
}

/**
 * §8.4: `sig` verifies with the leaf's key under `alg` over authData ‖ clientDataHash; the leaf's key is
 * the credential key; its key description has attestationChallenge = clientDataHash, no allApplications
 * in either list, and, in the TEE-enforced list (keyport accepts no software-only key), origin
 * KM_ORIGIN_GENERATED and purpose KM_PURPOSE_SIGN. Type basic.
 */
export async function verifyAndroidKey(input: StatementInput, tools: StatementTools): Promise<StatementResult> {
  const alg = algorithmOf(input.statement.alg);
  const sig = bytesOf(input.statement.sig);
  if (alg === null || sig === null) return err("statement_malformed");
  const chain = readX5c(input.statement.x5c, tools.certificates);
  if (!chain.ok) return chain;
  const [leaf] = chain.value;
  const signatureFailure = await checkCertificateSignature(tools.certificates, leaf, alg, sig, attToBeSigned(input));
  if (signatureFailure) return err(signatureFailure);
  if (!isCredentialKey(leaf.publicKey, input.credentialKey)) return err("certificate_key_mismatch");
  const extension = leaf.extensions.find((candidate) => candidate.oid === OID_ANDROID_KEY_DESCRIPTION);
  const description = extension === undefined ? null : readDer(extension.value, readKeyDescription);
  if (description === null) return err("key_description_invalid");
  const failure = checkKeyDescription(description, input.clientDataHash);
  return failure === null ? ok({ type: "basic", chain: chain.value }) : err(failure);
}

function readKeyDescription(der: ASN1Value): KeyDescription | null {
  const elements = der.sequence().elements;
  const [challenge, software, tee] = [elements[4], elements[6], elements[7]];
  if (challenge === undefined || software === undefined || tee === undefined) return null;
  return { attestationChallenge: challenge.octetString().value, softwareEnforced: software.sequence().elements, teeEnforced: tee.sequence().elements };
}

/** The §8.4 rules on the key description; null when a list member has another shape than its tag says. */
function checkKeyDescription(description: KeyDescription, clientDataHash: Uint8Array): CertificateFailure | null {
  if (!bytesEqual(description.attestationChallenge, clientDataHash)) return "key_description_challenge_mismatch";
  const verdict = guarded((): CertificateFailure | "ok" => {
    const { softwareEnforced, teeEnforced } = description;
    if (tagged(softwareEnforced, TAG_ALL_APPLICATIONS) !== null || tagged(teeEnforced, TAG_ALL_APPLICATIONS) !== null) return "key_description_all_applications";
    const origin = tagged(teeEnforced, TAG_ORIGIN);
    if (origin === null || origin.integer().value !== KM_ORIGIN_GENERATED) return "key_description_origin_invalid";
    const purpose = tagged(teeEnforced, TAG_PURPOSE);
    const purposes = purpose === null ? [] : purpose.set().elements.map((element) => element.integer().value);
    // §8.4: purpose "is equal to KM_PURPOSE_SIGN": signing and nothing else.
    if (purposes.length === 0 || purposes.some((value) => value !== KM_PURPOSE_SIGN)) return "key_description_purpose_invalid";
    return "ok";
  });
  if (verdict === null) return "key_description_invalid";
  return verdict === "ok" ? null : verdict;
}
