/**
 * WebAuthn Level 3 §7.1 steps 21–25: the attestation statement's format, its verification by that
 * format's procedure (§8), and its trust (ADR 0027). Each format is one small verifier over parsed data
 * (this folder); this module picks it and judges the chain it returns.
 */
import { sha1 } from "@oslojs/crypto/sha1";
import { encodeHexLowerCase } from "@oslojs/encoding";
import type { Certificate, CertificateVerifier } from "../../../ports/certificate-verifier.js";
import { concatBytes, fromBase64Url } from "../../encoding/bytes.js";
import type { SignatureVerifier } from "../../../ports/signature-verifier.js";
import type { TrustAnchorQuery, TrustAnchors } from "../../../ports/trust-anchors.js";
import { err, ok, type Result } from "../../result.js";
import { verifyAndroidKey } from "./android-key.js";
import { verifyApple } from "./apple.js";
import type { AttestationFailure } from "./failures.js";
import { verifyFidoU2f } from "./fido-u2f.js";
import { verifyNone } from "./none.js";
import { verifyPacked, verifyPackedSelf } from "./packed.js";
import type { AttestationType, CertificateChain, StatementInput, StatementResult, StatementTools } from "./statement.js";
import { verifyTpm } from "./tpm.js";

/** What keyport knows of a credential's attestation once the statement verified (stored with it). */
export interface AttestationOutcome {
  readonly type: AttestationType;
  /** Whether the statement's certificate chain validated to a trust anchor (§7.1 step 24). */
  readonly trusted: boolean;
  /** The attestation certificate's key identifier, for a chain whose leaf has an EC key (how FIDO MDS3 names U2F models). */
  readonly keyIdentifier?: string;
}

export interface AttestationVerification {
  readonly signatures: SignatureVerifier;
  /** X.509; without it only the formats that carry no certificate (none, packed self) are accepted. */
  readonly certificates: CertificateVerifier | undefined;
  /** Roots for the chains; without them no statement is trusted. */
  readonly trustAnchors: TrustAnchors | undefined;
  /** The time certificates must be valid at (ms). */
  readonly now: number;
}

type Verifier = (input: StatementInput, tools: StatementTools) => StatementResult | Promise<StatementResult>;

/** The formats §8 defines that keyport verifies, by their exact identifier (§8.1: case-sensitive). */
const VERIFIERS: ReadonlyMap<string, Verifier> = new Map<string, Verifier>([
  ["packed", verifyPacked],
  ["tpm", verifyTpm],
  ["android-key", verifyAndroidKey],
  ["fido-u2f", verifyFidoU2f],
  ["apple", verifyApple],
]);

/** android-safetynet: deprecated by Google (the SafetyNet Attestation API is shut down); refused, ADR 0027. */
const DEPRECATED_FORMATS: ReadonlySet<string> = new Set(["android-safetynet"]);

/**
 * §7.1 steps 21–24: the format (exact match), its verification procedure, then trust: a chain is
 * trusted only when it validates to one of the anchors the TrustAnchors port gives for this AAGUID and
 * format at `now`. A chain that does not is stored untrusted, not refused: refusing untrusted
 * attestation is a policy of its own (issue 15, next slice). `none` and self attestation are never trusted.
 */
export async function verifyAttestation(
  format: string,
  input: StatementInput,
  aaguid: string,
  deps: AttestationVerification,
): Promise<Result<AttestationOutcome, AttestationFailure>> {
  if (format === "none") {
    const none = verifyNone(input);
    return none.ok ? ok({ type: "none", trusted: false }) : none;
  }
  if (DEPRECATED_FORMATS.has(format)) return err("format_deprecated");
  const verifier = VERIFIERS.get(format);
  if (verifier === undefined) return err("format_unknown");
  const { certificates, signatures } = deps;
  // Packed self attestation needs no X.509; any statement with certificates does.
  if (format === "packed" && input.statement.x5c === undefined) return settled(await verifyPackedSelf(input, signatures));
  if (certificates === undefined) return err("x509_unavailable");
  const verdict = await verifier(input, { certificates, signatures });
  if (!verdict.ok) return verdict;
  const statement = verdict.value;
  if (!("chain" in statement)) return settled(verdict);
  const keyIdentifier = keyIdentifierOf(statement.chain[0]);
  const query = keyIdentifier === null ? { aaguid, format } : { aaguid, format, keyIdentifier };
  const trusted = await isTrusted(statement.chain, query, certificates, deps);
  return ok(keyIdentifier === null ? { type: statement.type, trusted } : { type: statement.type, trusted, keyIdentifier });
}

/**
 * RFC 5280 §4.2.1.2 method 1, as FIDO MDS3 names attestation certificates: the lower-case hex SHA-1 of
 * the subjectPublicKey BIT STRING's value, which for an EC key is the uncompressed point 04 ‖ x ‖ y.
 * Null for other keys: MDS3 names by key identifier only U2F authenticators, whose keys are P-256.
 */
export function keyIdentifierOf(certificate: Certificate): string | null {
  const key = certificate.publicKey;
  if (key?.kty !== "EC" || key.x === undefined || key.y === undefined) return null;
  const x = fromBase64Url(key.x);
  const y = fromBase64Url(key.y);
  if (x === null || y === null) return null;
  return encodeHexLowerCase(sha1(concatBytes(Uint8Array.of(4), concatBytes(x, y))));
}

/** A verdict without a chain: never trusted. */
function settled(verdict: StatementResult): Result<AttestationOutcome, AttestationFailure> {
  return verdict.ok ? ok({ type: verdict.value.type, trusted: false }) : verdict;
}

/** §7.1 step 24: the chain validates to an anchor for this authenticator; anchors that are not certificates are ignored. */
async function isTrusted(
  chain: CertificateChain,
  query: TrustAnchorQuery,
  certificates: CertificateVerifier,
  deps: AttestationVerification,
): Promise<boolean> {
  if (deps.trustAnchors === undefined) return false;
  const anchors = (await deps.trustAnchors.anchorsFor(query))
    .map((der) => certificates.parse(der))
    .filter((anchor): anchor is Certificate => anchor !== null);
  if (anchors.length === 0) return false;
  return (await certificates.validatePath(chain, anchors, deps.now)) === "trusted";
}
