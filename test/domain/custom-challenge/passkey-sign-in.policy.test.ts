/**
 * The authenticator policy at sign-in (issue 15 point 4, ADR 0027): under `certified` every sign-in asks
 * the metadata in force, so a passkey whose model is reported compromised after it was registered stops
 * signing in, through keyport's HTTP path (`authenticator_not_allowed`, told only to the passkey's holder)
 * and through a client that calls the identity provider directly (the Verify trigger refuses it). End to
 * end on the hand-built domain with the local identity provider running keyport's real triggers.
 */
import { describe, expect, it } from "vitest";
import type { AuthenticatorPolicy } from "../../../src/domain/ceremonies/attestation/authenticator-policy.js";
import type { RequestContext } from "../../../src/domain/activity/security-events.js";
import type { TrustAnchors } from "../../../src/ports/trust-anchors.js";
import { CASE_AAGUID } from "../../support/attestation/cases.js";
import { attestationTrustAnchor } from "../../support/attestation/statements.js";
import { TestAuthenticatorMetadata } from "../../support/attestation/test-metadata.js";
import { buildSignInDomain, ORIGIN, TEST_UNKNOWN_USER_SECRET } from "../../support/domain-harness.js";
import { AuthenticationCeremony } from "../../../src/domain/ceremonies/authentication-ceremony.js";
import { SoftwareAuthenticator } from "../../support/software-authenticator.js";

const CONTEXT: RequestContext = { sourceIp: "203.0.113.9", userAgent: "Mozilla/5.0 Firefox/140.0", correlationId: "req-1" };
const roots: TrustAnchors = { anchorsFor: () => Promise.resolve([attestationTrustAnchor().der]) };
const TEST_KEY = "4b657970-6f72-7420-7465-7374206b6579"; // CASE_AAGUID

function okValue<T>(result: { ok: true; value: T } | { ok: false; error: string }): T {
  if (!result.ok) throw new Error(`expected ok, got ${result.error}`);
  return result.value;
}

/** Alice signed up with a certified test key under `policy`; what that recorded is forgotten. */
async function setUp(policy: AuthenticatorPolicy = { kind: "certified" }) {
  const metadata = new TestAuthenticatorMetadata().set(TEST_KEY, "FIDO_CERTIFIED_L1");
  const domain = buildSignInDomain({ rp: { attestation: "direct" }, trustAnchors: roots, authenticatorPolicy: policy, metadata });
  const key = new SoftwareAuthenticator({ attestation: "packed-x5c", aaguid: CASE_AAGUID });
  const started = okValue(await domain.registration.startForNewUser({ username: "alice", displayName: "Alice" }));
  const alice = okValue(await domain.registration.finish(started.sessionId, key.createCredential(started.options, { origin: ORIGIN })));
  domain.events.clear();
  domain.metrics.clear();
  const signIn = async (options: { signWithOtherKey?: boolean } = {}) => {
    const begun = okValue(await domain.signIn.start({ username: "alice" }, CONTEXT));
    const assertion = key.getAssertion(begun.credentialRequestOptions, { origin: ORIGIN, tamper: options.signWithOtherKey ? { signWithOtherKey: true } : undefined });
    return domain.signIn.finish(begun.session, { username: "alice" }, assertion, CONTEXT);
  };
  return { domain, metadata, key, alice, signIn };
}

describe("sign-in under AUTHENTICATOR_POLICY=certified", () => {
  it("signs in while the model is certified, asking the metadata each time", async () => {
    const { metadata, signIn } = await setUp();
    const before = metadata.lookups;
    expect((await signIn()).ok).toBe(true);
    expect(metadata.lookups).toBeGreaterThan(before);
  });

  it("refuses the passkey once its model is reported REVOKED: authenticator_not_allowed, recorded in its owner's trail, counter untouched", async () => {
    const { domain, metadata, alice, signIn } = await setUp();
    metadata.set(TEST_KEY, "FIDO_CERTIFIED_L1", "REVOKED");
    const counter = (await domain.credentials.findCredential(alice.credentialId))?.counter;
    expect(await signIn()).toEqual({ ok: false, error: "authenticator_not_allowed" });
    expect(domain.events.appended).toEqual([
      expect.objectContaining({ type: "sign_in.failed", code: "authenticator_not_allowed", userHandle: alice.userHandle, credentialId: alice.credentialId, context: CONTEXT }),
    ]);
    expect(domain.metrics.counted).toEqual([{ ceremony: "sign_in", outcome: "failed", code: "authenticator_not_allowed" }]);
    expect((await domain.credentials.findCredential(alice.credentialId))?.counter).toBe(counter);
  });

  it("tells authenticator_not_allowed only to the passkey's holder: a forged signature is sign_in_failed", async () => {
    const { metadata, signIn } = await setUp();
    metadata.set(TEST_KEY, "FIDO_CERTIFIED_L1", "USER_KEY_PHYSICAL_COMPROMISE");
    expect(await signIn({ signWithOtherKey: true })).toEqual({ ok: false, error: "sign_in_failed" });
  });

  it("signs in again when the model is no longer in a refused state only if it never was compromised (a lapsed certification restored)", async () => {
    const { metadata, signIn } = await setUp();
    metadata.set(TEST_KEY, "FIDO_CERTIFIED_L1", "NOT_FIDO_CERTIFIED");
    expect(await signIn()).toEqual({ ok: false, error: "authenticator_not_allowed" });
    metadata.set(TEST_KEY, "NOT_FIDO_CERTIFIED", "FIDO_CERTIFIED_L2");
    expect((await signIn()).ok).toBe(true);
  });

  it("refuses the passkey to a client that calls the identity provider directly: the Verify trigger records authenticator_not_allowed", async () => {
    const { domain, metadata, key, alice } = await setUp();
    metadata.set(TEST_KEY, "FIDO_CERTIFIED_L1", "REVOKED");
    const started = okValue(await domain.identityProvider.startSignIn(alice.identityUserId));
    const assertion = key.getAssertion(JSON.parse(started.challengeParameters.credentialRequestOptions ?? "null"), { origin: ORIGIN });
    expect(await domain.identityProvider.answerChallenge(alice.identityUserId, started.session, JSON.stringify(assertion))).toEqual({ ok: false, error: "sign_in_failed" });
    expect(domain.events.appended).toEqual([expect.objectContaining({ type: "sign_in.failed", code: "authenticator_not_allowed", userHandle: alice.userHandle })]);
  });

  it("refuses through the ceremony itself, for any embedder: finish says authenticator_not_allowed", async () => {
    const { domain, metadata, key } = await setUp();
    metadata.set(TEST_KEY, "FIDO_CERTIFIED_L1", "ATTESTATION_KEY_COMPROMISE");
    const options = await domain.authentication.startDiscoverable();
    expect(await domain.authentication.finish(key.getAssertion(options, { origin: ORIGIN }))).toEqual({ ok: false, error: "authenticator_not_allowed" });
  });

  it("fails with the fault, signing nobody in, when the metadata cannot be read", async () => {
    const { metadata, signIn } = await setUp();
    metadata.failure = new Error("metadata unavailable");
    await expect(signIn()).rejects.toThrow("metadata unavailable");
  });
});

describe("sign-in under AUTHENTICATOR_POLICY=allow-list", () => {
  it("judges by the list in force: a listed AAGUID signs in, and once taken off the list (a restart with a new list) it does not", async () => {
    const { domain, key, alice } = await setUp({ kind: "allow-list", aaguids: new Set([TEST_KEY]) });
    const options = await domain.authentication.startDiscoverable();
    expect((await domain.authentication.finish(key.getAssertion(options, { origin: ORIGIN }))).ok).toBe(true);
    expect(await domain.authentication.credentialStanding(alice.credentialId)).toBe("recognised");

    const restarted = new AuthenticationCeremony({
      relyingParty: domain.relyingParty,
      sessions: domain.sessions,
      credentials: domain.credentials,
      signatureVerifier: domain.signatureVerifier,
      clock: domain.clock,
      random: domain.random,
      unknownUserSecret: TEST_UNKNOWN_USER_SECRET,
      authenticatorPolicy: { kind: "allow-list", aaguids: new Set(["ee882879-721c-4913-9775-3dfcce97072a"]) },
    });
    expect(await restarted.credentialStanding(alice.credentialId)).toBe("not_allowed");
    const again = await restarted.startDiscoverable();
    const assertion = key.getAssertion(again, { origin: ORIGIN });
    expect(await restarted.provesPossessionOfDisallowedCredential(assertion)).toBe(true);
    expect(await restarted.provesPossessionOfDisabledCredential(assertion)).toBe(false);
    expect(await restarted.finish(assertion)).toEqual({ ok: false, error: "authenticator_not_allowed" });
  });
});
