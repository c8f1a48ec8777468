/**
 * The automatic passkey upgrade (issue 14 point 4, ADR 0025): a signed-in user's registration started
 * with conditional mediation accepts a response whose UP and UV flags are unset (WebAuthn Level 3 §7.1
 * step 15), records that the passkey was made this way, and changes nothing else: every other check
 * stays, a modal registration still needs UP (and UV as the policy says), and signing in with such a
 * passkey still needs user verification.
 */
import { describe, expect, it } from "vitest";
import type { RegistrationMediation } from "../../../src/domain/model.js";
import { ORIGIN, buildDomain, type Domain } from "../../support/domain-harness.js";
import { aVerifiedIdentity } from "../../support/kit.js";
import { SoftwareAuthenticator, type RegistrationTamper } from "../../support/software-authenticator.js";

const CAROL = "carol@example.com";
const NO_PROMPT: RegistrationTamper = { flags: { up: false, uv: false } };

function okValue<T>(result: { ok: true; value: T } | { ok: false; error: string }): T {
  if (!result.ok) throw new Error(`expected ok, got ${result.error}`);
  return result.value;
}

/** Carol, just signed in with her password, starts adding a passkey with `mediation`. */
async function startUpgrade(domain: Domain, mediation?: RegistrationMediation) {
  const caller = aVerifiedIdentity({ identityUserId: CAROL, authenticatedAt: domain.clock.now() });
  const started = okValue(await domain.registration.startForExistingUser(caller, mediation === undefined ? {} : { mediation }));
  return { caller, ...started };
}

async function upgrade(domain: Domain, tamper: RegistrationTamper = NO_PROMPT, authenticator = new SoftwareAuthenticator()) {
  const { caller, sessionId, options } = await startUpgrade(domain, "conditional");
  const response = authenticator.createCredential(options, { origin: ORIGIN, tamper });
  return { caller, response, authenticator, result: await domain.registration.finish(sessionId, response, caller) };
}

describe("automatic passkey upgrade: registration", () => {
  it("accepts a conditional create's response with neither UP nor UV, and records how the passkey was made", async () => {
    const domain = buildDomain();
    const { response, result } = await upgrade(domain);
    expect(result).toMatchObject({ ok: true, value: { identityUserId: CAROL, credentialId: response.id } });
    expect(await domain.credentials.findCredential(response.id)).toMatchObject({
      registrationMediation: "conditional",
      userVerifiedAtRegistration: false,
      enabled: true,
    });
    expect(domain.identityProvider.passkeyEnrolled.get(CAROL)).toBe(true);
  });

  it("accepts one that did verify the user, and records that too", async () => {
    const domain = buildDomain();
    const { response, result } = await upgrade(domain, { flags: { up: true, uv: true } });
    expect(result.ok).toBe(true);
    expect(await domain.credentials.findCredential(response.id)).toMatchObject({ registrationMediation: "conditional", userVerifiedAtRegistration: true });
  });

  it("asks for user verification as preferred, not required, so that a browser that cannot prompt does not refuse the create", async () => {
    const domain = buildDomain();
    const { options } = await startUpgrade(domain, "conditional");
    expect(options.authenticatorSelection).toMatchObject({ residentKey: "required", userVerification: "preferred" });
  });

  it("keeps a policy that asks for less: discouraged stays discouraged", async () => {
    const domain = buildDomain({ rp: { userVerification: "discouraged" } });
    const { options } = await startUpgrade(domain, "conditional");
    expect(options.authenticatorSelection?.userVerification).toBe("discouraged");
  });

  it("refuses the same response in a modal registration: UP missing is user_not_present, UV missing user_not_verified", async () => {
    const domain = buildDomain();
    const authenticator = new SoftwareAuthenticator();
    for (const [tamper, error] of [
      [NO_PROMPT, "user_not_present"],
      [{ flags: { up: true, uv: false } }, "user_not_verified"],
    ] as const) {
      const { caller, sessionId, options } = await startUpgrade(domain);
      expect(options.authenticatorSelection?.userVerification).toBe("required");
      const response = authenticator.createCredential(options, { origin: ORIGIN, tamper });
      expect(await domain.registration.finish(sessionId, response, caller)).toEqual({ ok: false, error });
      expect(await domain.credentials.findCredential(response.id)).toBeNull();
    }
  });

  it("records a modal registration as modal", async () => {
    const domain = buildDomain();
    const { caller, sessionId, options } = await startUpgrade(domain);
    const response = new SoftwareAuthenticator().createCredential(options, { origin: ORIGIN });
    expect((await domain.registration.finish(sessionId, response, caller)).ok).toBe(true);
    expect(await domain.credentials.findCredential(response.id)).toMatchObject({ registrationMediation: "modal" });
  });

  it.each<[string, RegistrationTamper, string]>([
    ["another origin", { ...NO_PROMPT, clientData: { origin: "https://evil.example" } }, "origin_mismatch"],
    ["another challenge", { ...NO_PROMPT, clientData: { challenge: "AAAA" } }, "challenge_mismatch"],
    ["a get's client data", { ...NO_PROMPT, clientData: { type: "webauthn.get" } }, "client_data_type_mismatch"],
    ["another relying party", { ...NO_PROMPT, rpId: "evil.example" }, "rp_id_hash_mismatch"],
    ["BS without BE", { flags: { up: false, uv: false, be: false, bs: true } }, "backup_state_invalid"],
    ["a bad self-attestation signature", { ...NO_PROMPT, format: "packed", badAttestationSignature: true }, "attestation_signature_invalid"],
    ["no credential", { ...NO_PROMPT, omitAttestedCredentialData: true }, "attested_credential_data_missing"],
  ])("keeps every other check: %s is refused", async (_label, tamper, error) => {
    const domain = buildDomain();
    const authenticator = new SoftwareAuthenticator({ attestation: tamper.format === "packed" ? "packed" : "none" });
    const { response, result } = await upgrade(domain, tamper, authenticator);
    expect(result).toEqual({ ok: false, error });
    expect(await domain.credentials.findCredential(response.id)).toBeNull();
  });

  it("is finished only by the user who started it", async () => {
    const domain = buildDomain();
    const { sessionId, options } = await startUpgrade(domain, "conditional");
    const response = new SoftwareAuthenticator().createCredential(options, { origin: ORIGIN, tamper: NO_PROMPT });
    const mallory = aVerifiedIdentity({ identityUserId: "mallory" });
    expect(await domain.registration.finish(sessionId, response, mallory)).toEqual({ ok: false, error: "registration_identity_mismatch" });
  });

  it("still needs a recent sign-in to start", async () => {
    const domain = buildDomain();
    const caller = aVerifiedIdentity({ identityUserId: CAROL, authenticatedAt: domain.clock.now() });
    domain.clock.advance(5 * 60_000 + 1);
    expect(await domain.registration.startForExistingUser(caller, { mediation: "conditional" })).toEqual({ ok: false, error: "reauthentication_required" });
  });
});

describe("automatic passkey upgrade: signing in with the passkey", () => {
  it("still enforces the user-verification policy: an assertion without UV is refused, one with UV signs in", async () => {
    const domain = buildDomain();
    const { response, authenticator, result } = await upgrade(domain);
    const { userHandle } = okValue(result);
    const withoutUv = authenticator.getAssertion(await domain.authentication.startForUser(userHandle), {
      origin: ORIGIN,
      credentialId: response.id,
      tamper: { flags: { uv: false } },
    });
    expect(await domain.authentication.finish(withoutUv)).toEqual({ ok: false, error: "user_not_verified" });
    const verified = authenticator.getAssertion(await domain.authentication.startDiscoverable(), { origin: ORIGIN, credentialId: response.id });
    expect(await domain.authentication.finish(verified)).toMatchObject({ ok: true, value: { userHandle } });
  });

  it("still needs the user present", async () => {
    const domain = buildDomain();
    const { response, authenticator, result } = await upgrade(domain);
    const absent = authenticator.getAssertion(await domain.authentication.startForUser(okValue(result).userHandle), {
      origin: ORIGIN,
      credentialId: response.id,
      tamper: { flags: { up: false } },
    });
    expect(await domain.authentication.finish(absent)).toEqual({ ok: false, error: "user_not_present" });
  });
});
