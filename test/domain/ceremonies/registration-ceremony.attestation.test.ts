/**
 * The registration ceremony with each attestation statement format (WebAuthn Level 3 §7.1 steps 21–25,
 * ADR 0027): the software authenticator attests with the test CA; the domain verifies with node:crypto's
 * CertificateVerifier and trusts the test root when it is configured. What is stored says so.
 */
import { expectedKeyIdentifier } from "../../support/attestation/mds3.js";
import { parseRegistrationResponse } from "../../../src/domain/encoding/parse-response.js";
import { describe, expect, it } from "vitest";
import { buildDomain, ORIGIN } from "../../support/domain-harness.js";
import { SoftwareAuthenticator, type AttestationMode, type RegistrationTamper, type TestAlgorithm } from "../../support/software-authenticator.js";
import { attestationTrustAnchor } from "../../support/attestation/statements.js";
import { CASE_AAGUID } from "../../support/attestation/cases.js";
import type { TrustAnchors } from "../../../src/ports/trust-anchors.js";

/** The attestation statement the response carries, as keyport parses it. */
function decodedStatement(response: unknown): Readonly<Record<string, unknown>> {
  const parsed = parseRegistrationResponse(response);
  if (!parsed.ok) throw new Error(parsed.error);
  return parsed.value.attestation.statement;
}

const roots: TrustAnchors = { anchorsFor: () => Promise.resolve([attestationTrustAnchor().der]) };

async function register(mode: AttestationMode, options: { algorithm?: TestAlgorithm; trustAnchors?: TrustAnchors; tamper?: RegistrationTamper; conveyance?: "none" | "direct" } = {}) {
  const domain = buildDomain({ rp: { attestation: options.conveyance ?? "direct" }, trustAnchors: options.trustAnchors });
  const started = await domain.registration.startForNewUser({ username: "alice", displayName: "Alice" });
  if (!started.ok) throw new Error(started.error);
  const authenticator = new SoftwareAuthenticator({ attestation: mode, aaguid: mode === "fido-u2f" ? undefined : CASE_AAGUID });
  const response = authenticator.createCredential(started.value.options, { origin: ORIGIN, algorithm: options.algorithm ?? "ES256", tamper: options.tamper });
  const result = await domain.registration.finish(started.value.sessionId, response);
  return { domain, started: started.value, response, result, stored: await domain.credentials.findCredential(response.id) };
}

describe("registration with attestation (ATTESTATION=direct)", () => {
  it("asks for direct attestation in the options when configured, none by default", async () => {
    const direct = buildDomain({ rp: { attestation: "direct" } });
    const started = await direct.registration.startForNewUser({ username: "bob", displayName: "Bob" });
    expect(started.ok && started.value.options.attestation).toBe("direct");
    const none = buildDomain();
    const byDefault = await none.registration.startForNewUser({ username: "bob", displayName: "Bob" });
    expect(byDefault.ok && byDefault.value.options.attestation).toBe("none");
  });

  it.each([
    ["packed-x5c", "packed", "basic", "ES256"],
    ["fido-u2f", "fido-u2f", "basic", "ES256"],
    ["tpm", "tpm", "attca", "RS256"],
    ["tpm", "tpm", "attca", "ES256"],
    ["android-key", "android-key", "basic", "ES256"],
    ["apple", "apple", "anonca", "ES256"],
  ] as const)("registers a %s statement (%s, %s, %s) and stores it trusted when its chain reaches a configured root", async (mode, format, type, algorithm) => {
    const { result, stored, response } = await register(mode, { algorithm, trustAnchors: roots });
    expect(result.ok).toBe(true);
    expect(stored?.attestationFormat).toBe(format);
    expect(stored?.attestation).toEqual({ format, type, trusted: true, aaguid: stored?.aaguid, ...expectedKeyIdentifier(decodedStatement(response)) });
  });

  it.each(["packed-x5c", "tpm", "apple"] as const)("stores a verified %s statement untrusted when no root is configured", async (mode) => {
    const { result, stored } = await register(mode, { algorithm: mode === "tpm" ? "RS256" : "ES256" });
    expect(result.ok).toBe(true);
    expect(stored?.attestation.trusted).toBe(false);
  });

  it("stores none and packed self attestation as such, never trusted", async () => {
    expect((await register("none", { trustAnchors: roots })).stored?.attestation).toMatchObject({ format: "none", type: "none", trusted: false });
    expect((await register("packed", { trustAnchors: roots })).stored?.attestation).toMatchObject({ format: "packed", type: "self", trusted: false });
  });

  it.each(["packed-x5c", "fido-u2f", "tpm", "android-key"] as const)("refuses a %s statement whose signature does not verify, storing nothing", async (mode) => {
    const { result, stored } = await register(mode, { algorithm: mode === "tpm" ? "RS256" : "ES256", trustAnchors: roots, tamper: { badAttestationSignature: true } });
    expect(result).toEqual({ ok: false, error: "attestation_signature_invalid" });
    expect(stored).toBeNull();
  });

  it("verifies a statement the same way when the options asked for none", async () => {
    const { result, stored } = await register("packed-x5c", { conveyance: "none", trustAnchors: roots });
    expect(result.ok).toBe(true);
    expect(stored?.attestation).toMatchObject({ format: "packed", type: "basic", trusted: true });
  });

  it("refuses android-safetynet with attestation_format_unsupported", async () => {
    const { result, stored } = await register("none", { tamper: { format: "android-safetynet", attStmt: { ver: "1", response: new Uint8Array(4) } } });
    expect(result).toEqual({ ok: false, error: "attestation_format_unsupported" });
    expect(stored).toBeNull();
  });

  it("refuses a statement with certificates when the composition has no CertificateVerifier", async () => {
    const domain = buildDomain({ certificateVerifier: null });
    const started = await domain.registration.startForNewUser({ username: "carol", displayName: "Carol" });
    if (!started.ok) throw new Error(started.error);
    const response = new SoftwareAuthenticator({ attestation: "packed-x5c" }).createCredential(started.value.options, { origin: ORIGIN });
    expect(await domain.registration.finish(started.value.sessionId, response)).toEqual({ ok: false, error: "attestation_format_unsupported" });
  });
});
