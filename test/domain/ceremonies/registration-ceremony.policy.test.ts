/**
 * The authenticator policy at registration (issue 15 point 4, ADR 0027): under `certified` only a
 * trusted attestation of a model the metadata certifies and never reported compromised is stored; under
 * `allow-list` only a trusted attestation of a listed AAGUID; what is refused is
 * `authenticator_not_allowed`, with nothing stored and no identity user left behind. What is stored
 * carries the certification level the metadata gave.
 */
import { describe, expect, it } from "vitest";
import type { AuthenticatorPolicy } from "../../../src/domain/ceremonies/attestation/authenticator-policy.js";
import type { TrustAnchors } from "../../../src/ports/trust-anchors.js";
import { CASE_AAGUID } from "../../support/attestation/cases.js";
import { mds3KeyIdentifier } from "../../support/attestation/mds3.js";
import { attestationTrustAnchor, fidoU2fCertificate } from "../../support/attestation/statements.js";
import { TestAuthenticatorMetadata } from "../../support/attestation/test-metadata.js";
import { buildDomain, ORIGIN } from "../../support/domain-harness.js";
import { aVerifiedIdentity } from "../../support/kit.js";
import { SoftwareAuthenticator, type AttestationMode } from "../../support/software-authenticator.js";

const roots: TrustAnchors = { anchorsFor: () => Promise.resolve([attestationTrustAnchor().der]) };
const TEST_KEY = "4b657970-6f72-7420-7465-7374206b6579"; // CASE_AAGUID, "Keyport test key"
const OTHER = "ee882879-721c-4913-9775-3dfcce97072a";
const CERTIFIED: AuthenticatorPolicy = { kind: "certified" };

interface Setup {
  readonly policy?: AuthenticatorPolicy;
  readonly metadata?: TestAuthenticatorMetadata;
  readonly trustAnchors?: TrustAnchors | null;
}

async function signUp(mode: AttestationMode, setup: Setup) {
  const domain = buildDomain({
    rp: { attestation: "direct" },
    ...(setup.trustAnchors === null ? {} : { trustAnchors: setup.trustAnchors ?? roots }),
    ...(setup.policy === undefined ? {} : { authenticatorPolicy: setup.policy }),
    ...(setup.metadata === undefined ? {} : { metadata: setup.metadata }),
  });
  const started = await domain.registration.startForNewUser({ username: "alice", displayName: "Alice" });
  if (!started.ok) throw new Error(started.error);
  const authenticator = new SoftwareAuthenticator({ attestation: mode, aaguid: mode === "fido-u2f" ? undefined : CASE_AAGUID });
  const response = authenticator.createCredential(started.value.options, { origin: ORIGIN });
  const result = await domain.registration.finish(started.value.sessionId, response);
  return { domain, result, stored: await domain.credentials.findCredential(response.id), authenticator };
}

describe("registration under AUTHENTICATOR_POLICY=certified", () => {
  it("stores a trusted attestation of a certified model, with its certification level", async () => {
    const { result, stored } = await signUp("packed-x5c", { policy: CERTIFIED, metadata: new TestAuthenticatorMetadata().set(TEST_KEY, "FIDO_CERTIFIED_L1") });
    expect(result.ok).toBe(true);
    expect(stored?.attestation).toMatchObject({ format: "packed", type: "basic", trusted: true, aaguid: TEST_KEY, certificationLevel: "FIDO_CERTIFIED_L1" });
  });

  it.each(["REVOKED", "USER_VERIFICATION_BYPASS", "ATTESTATION_KEY_COMPROMISE", "USER_KEY_REMOTE_COMPROMISE", "USER_KEY_PHYSICAL_COMPROMISE"])(
    "refuses a model reported %s: authenticator_not_allowed, nothing stored, no identity user left",
    async (status) => {
      const { domain, result, stored } = await signUp("packed-x5c", { policy: CERTIFIED, metadata: new TestAuthenticatorMetadata().set(TEST_KEY, "FIDO_CERTIFIED_L1", status) });
      expect(result).toEqual({ ok: false, error: "authenticator_not_allowed" });
      expect(stored).toBeNull();
      expect(await domain.credentials.findUserByUsername("alice")).toBeNull();
      expect(domain.identityProvider.users.size).toBe(0);
    },
  );

  it("refuses a model the metadata does not know, or does not certify", async () => {
    expect((await signUp("packed-x5c", { policy: CERTIFIED, metadata: new TestAuthenticatorMetadata().set(OTHER, "FIDO_CERTIFIED_L1") })).result).toEqual({
      ok: false,
      error: "authenticator_not_allowed",
    });
    expect((await signUp("packed-x5c", { policy: CERTIFIED, metadata: new TestAuthenticatorMetadata().set(TEST_KEY, "NOT_FIDO_CERTIFIED") })).result).toEqual({
      ok: false,
      error: "authenticator_not_allowed",
    });
  });

  it("refuses an attestation that is not trusted, even of a certified model's AAGUID: an untrusted AAGUID is a claim", async () => {
    const metadata = new TestAuthenticatorMetadata().set(TEST_KEY, "FIDO_CERTIFIED_L1");
    expect((await signUp("packed-x5c", { policy: CERTIFIED, metadata, trustAnchors: null })).result).toEqual({ ok: false, error: "authenticator_not_allowed" });
    expect((await signUp("packed", { policy: CERTIFIED, metadata })).result).toEqual({ ok: false, error: "authenticator_not_allowed" });
    expect((await signUp("none", { policy: CERTIFIED, metadata })).result).toEqual({ ok: false, error: "authenticator_not_allowed" });
  });

  it("finds a U2F authenticator (all-zero AAGUID) by its attestation certificate's key identifier", async () => {
    const keyIdentifier = mds3KeyIdentifier(fidoU2fCertificate());
    const { result, stored } = await signUp("fido-u2f", { policy: CERTIFIED, metadata: new TestAuthenticatorMetadata().set(keyIdentifier, "FIDO_CERTIFIED") });
    expect(result.ok).toBe(true);
    expect(stored?.attestation).toMatchObject({ format: "fido-u2f", trusted: true, keyIdentifier, certificationLevel: "FIDO_CERTIFIED" });
  });

  it("refuses a signed-in user's new passkey the same way, recording registration.failed with the code", async () => {
    const metadata = new TestAuthenticatorMetadata().set(TEST_KEY, "FIDO_CERTIFIED_L1");
    const { domain, result } = await signUp("packed-x5c", { policy: CERTIFIED, metadata });
    if (!result.ok) throw new Error(result.error);
    metadata.set(TEST_KEY, "FIDO_CERTIFIED_L1", "REVOKED");
    const identity = aVerifiedIdentity({ identityUserId: result.value.identityUserId, authenticatedAt: domain.clock.now() });
    const started = await domain.registration.startForExistingUser(identity);
    if (!started.ok) throw new Error(started.error);
    const second = new SoftwareAuthenticator({ attestation: "packed-x5c", aaguid: CASE_AAGUID }).createCredential(started.value.options, { origin: ORIGIN });
    expect(await domain.registration.finish(started.value.sessionId, second, identity)).toEqual({ ok: false, error: "authenticator_not_allowed" });
    expect(await domain.credentials.findCredential(second.id)).toBeNull();
    expect(domain.events.appended.at(-1)).toMatchObject({ type: "registration.failed", code: "authenticator_not_allowed", userHandle: result.value.userHandle });
  });
});

describe("registration under AUTHENTICATOR_POLICY=allow-list", () => {
  const allowList = (...aaguids: string[]): AuthenticatorPolicy => ({ kind: "allow-list", aaguids: new Set(aaguids) });

  it("stores a trusted attestation of a listed AAGUID", async () => {
    const { result, stored } = await signUp("tpm", { policy: allowList(TEST_KEY, OTHER) });
    expect(result.ok).toBe(true);
    expect(stored?.attestation).toMatchObject({ format: "tpm", trusted: true, aaguid: TEST_KEY });
  });

  it("refuses an AAGUID not listed, and a listed one without a trusted attestation", async () => {
    expect((await signUp("packed-x5c", { policy: allowList(OTHER) })).result).toEqual({ ok: false, error: "authenticator_not_allowed" });
    expect((await signUp("packed", { policy: allowList(TEST_KEY) })).result).toEqual({ ok: false, error: "authenticator_not_allowed" });
    expect((await signUp("packed-x5c", { policy: allowList(TEST_KEY), trustAnchors: null })).result).toEqual({ ok: false, error: "authenticator_not_allowed" });
  });
});

describe("registration under AUTHENTICATOR_POLICY=any with metadata", () => {
  it("stores every verified attestation, with the certification level only of a trusted one", async () => {
    const metadata = new TestAuthenticatorMetadata().set(TEST_KEY, "FIDO_CERTIFIED_L2");
    expect((await signUp("packed-x5c", { metadata })).stored?.attestation.certificationLevel).toBe("FIDO_CERTIFIED_L2");
    const untrusted = await signUp("packed-x5c", { metadata, trustAnchors: null });
    expect(untrusted.result.ok).toBe(true);
    expect(untrusted.stored?.attestation.certificationLevel).toBeUndefined();
    metadata.set(TEST_KEY, "FIDO_CERTIFIED_L1", "REVOKED");
    const revoked = await signUp("packed-x5c", { metadata });
    expect(revoked.result.ok).toBe(true);
    expect(revoked.stored?.attestation.certificationLevel).toBe("FIDO_CERTIFIED_L1");
  });
});
