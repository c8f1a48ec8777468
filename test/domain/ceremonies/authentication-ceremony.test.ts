/**
 * The authentication ceremony (WebAuthn §7.2) end to end on the hand-built domain: discoverable and
 * username-first sign-ins with real assertions, each verification check made to fail on its own, the
 * counter rule, the unknown-user disguise, and concurrent finishes.
 */
import { describe, expect, it } from "vitest";
import type { AuthenticationExpectation } from "../../../src/domain/ceremonies/authentication-ceremony.js";
import type { AuthenticationError } from "../../../src/domain/ceremonies/errors.js";
import type { AuthenticationSession, StoredCredential } from "../../../src/domain/model.js";
import type { AuthenticationResponseJSON, PublicKeyCredentialRequestOptionsJSON } from "../../../src/domain/encoding/webauthn-json.js";
import { buildDomain, ORIGIN, RP_ID, TEST_RP } from "../../support/domain-harness.js";
import type { Domain } from "../../support/domain-harness.js";
import { aStoredCredentialFor, aUserAccount, aVerifiedIdentity } from "../../support/kit.js";
import { b64url, flipBit, fromB64url, SoftwareAuthenticator } from "../../support/software-authenticator.js";
import type { AssertionTamper, SoftwareAuthenticatorOptions, TestAlgorithm } from "../../support/software-authenticator.js";

const ALGORITHMS: readonly TestAlgorithm[] = ["ES256", "RS256", "EdDSA"];
const BASE64URL = /^[A-Za-z0-9_-]+$/;

interface Registered {
  readonly userHandle: string;
  readonly identityUserId: string;
  readonly credentialId: string;
}

async function register(
  domain: Domain,
  authenticator: SoftwareAuthenticator,
  { algorithm = "ES256", username = "alice" }: { algorithm?: TestAlgorithm; username?: string } = {},
): Promise<Registered> {
  const started = await domain.registration.startForNewUser({ username, displayName: username });
  if (!started.ok) throw new Error(started.error);
  const response = authenticator.createCredential(started.value.options, { origin: ORIGIN, algorithm });
  const result = await domain.registration.finish(started.value.sessionId, response);
  if (!result.ok) throw new Error(`registration failed: ${result.error}`);
  return result.value;
}

async function stored(domain: Domain, credentialId: string): Promise<StoredCredential> {
  const credential = await domain.credentials.findCredential(credentialId);
  if (credential === null) throw new Error(`credential ${credentialId} not stored`);
  return credential;
}

function withResponse(assertion: AuthenticationResponseJSON, fields: Record<string, unknown>): unknown {
  return { ...assertion, response: { ...assertion.response, ...fields } };
}

/**
 * Alice and Bob, each with a passkey on one shared authenticator. Alice has signed in once already,
 * so her credential has a non-zero counter and a lastUsedAt that a wrongful update would change.
 */
async function fixture(options: { rp?: Parameters<typeof buildDomain>[0]; authenticator?: SoftwareAuthenticatorOptions } = {}) {
  const domain = buildDomain(options.rp);
  const authenticator = new SoftwareAuthenticator(options.authenticator);
  const alice = await register(domain, authenticator, { username: "alice" });
  const bob = await register(domain, authenticator, { username: "bob" });
  const first = await domain.authentication.finish(
    authenticator.getAssertion(await domain.authentication.startForUser(alice.userHandle), { origin: ORIGIN }),
  );
  if (!first.ok) throw new Error(`fixture sign-in failed: ${first.error}`);
  domain.clock.advance(60_000);
  return { domain, authenticator, alice, bob };
}
type Fixture = Awaited<ReturnType<typeof fixture>>;

interface Attempt {
  /** Which sign-in to start: discoverable (default) or username-first for a handle. */
  start?: { userHandle: string } | "discoverable";
  /** The credential the authenticator signs with; Alice's by default. */
  credentialId?: string;
  tamper?: AssertionTamper;
  mutate?: (assertion: AuthenticationResponseJSON) => unknown;
  expectation?: AuthenticationExpectation;
  beforeFinish?: () => void;
}

async function attempt(f: Fixture, a: Attempt = {}) {
  const options =
    a.start === undefined || a.start === "discoverable"
      ? await f.domain.authentication.startDiscoverable()
      : await f.domain.authentication.startForUser(a.start.userHandle);
  const assertion = f.authenticator.getAssertion(options, { origin: ORIGIN, credentialId: a.credentialId ?? f.alice.credentialId, tamper: a.tamper });
  a.beforeFinish?.();
  const result = await f.domain.authentication.finish(a.mutate ? a.mutate(assertion) : assertion, a.expectation);
  return { options, assertion, result };
}

/** Makes one check fail and expects exactly `code`, with no credential record changed. */
async function expectSignInRejected(code: AuthenticationError, a: Attempt = {}, f?: Fixture) {
  const fx = f ?? (await fixture());
  const before = await Promise.all([fx.alice, fx.bob].map((u) => stored(fx.domain, u.credentialId)));
  const { result, options } = await attempt(fx, a);
  expect(result).toEqual({ ok: false, error: code });
  const after = await Promise.all([fx.alice, fx.bob].map((u) => stored(fx.domain, u.credentialId)));
  expect(after).toEqual(before);
  return { fx, options };
}

describe("authentication: successful sign-in", () => {
  for (const algorithm of ALGORITHMS) {
    for (const mode of ["discoverable", "username-first"] as const) {
      it(`signs in with a ${algorithm} passkey (${mode}) and records counter, lastUsedAt and backup state`, async () => {
        const domain = buildDomain();
        const authenticator = new SoftwareAuthenticator({ backupEligible: true, backupState: false });
        const user = await register(domain, authenticator, { algorithm });
        domain.clock.advance(5_000);
        const options =
          mode === "discoverable" ? await domain.authentication.startDiscoverable() : await domain.authentication.startForUser(user.userHandle);
        const assertion = authenticator.getAssertion(options, { origin: ORIGIN, tamper: { flags: { bs: true } } });

        const result = await domain.authentication.finish(assertion);

        expect(result).toEqual({
          ok: true,
          value: { userHandle: user.userHandle, identityUserId: user.identityUserId, credentialId: user.credentialId, userVerified: true },
        });
        expect(await stored(domain, user.credentialId)).toMatchObject({ counter: 1, lastUsedAt: domain.clock.now(), backupState: true });
      });
    }
  }

  it("offers a discoverable sign-in with no credentials and the RP's policy", async () => {
    const domain = buildDomain();
    const options = await domain.authentication.startDiscoverable();
    const expected: PublicKeyCredentialRequestOptionsJSON = {
      challenge: options.challenge,
      timeout: TEST_RP.authenticationTimeoutMs,
      rpId: RP_ID,
      allowCredentials: [],
      userVerification: "required",
    };
    expect(options).toEqual(expected);
    expect(fromB64url(options.challenge).length).toBeGreaterThanOrEqual(32);
    expect((await domain.authentication.startDiscoverable()).challenge).not.toBe(options.challenge);
  });

  it("lists a named user's credentials with their transports", async () => {
    const domain = buildDomain();
    const authenticator = new SoftwareAuthenticator({ transports: ["hybrid", "internal"] });
    const user = await register(domain, authenticator);
    const caller = aVerifiedIdentity({ identityUserId: user.identityUserId, subject: "s" });
    const second = await domain.registration.startForExistingUser(caller);
    if (!second.ok) throw new Error(second.error);
    const response = authenticator.createCredential(second.value.options, { origin: ORIGIN });
    expect((await domain.registration.finish(second.value.sessionId, response, caller)).ok).toBe(true);

    const options = await domain.authentication.startForUser(user.userHandle);
    expect(options.allowCredentials).toEqual([
      { type: "public-key", id: user.credentialId, transports: ["hybrid", "internal"] },
      { type: "public-key", id: response.id, transports: ["hybrid", "internal"] },
    ]);
  });

  it("counts the counter up over repeated sign-ins", async () => {
    const f = await fixture();
    for (let i = 0; i < 3; i++) {
      f.domain.clock.advance(1_000);
      expect((await attempt(f)).result.ok).toBe(true);
    }
    expect(await stored(f.domain, f.alice.credentialId)).toMatchObject({ counter: 4, lastUsedAt: f.domain.clock.now() });
  });

  it("lets an authenticator whose counter is always zero sign in repeatedly", async () => {
    const domain = buildDomain();
    const authenticator = new SoftwareAuthenticator({ counterStep: 0 });
    const user = await register(domain, authenticator);
    for (let i = 0; i < 3; i++) {
      domain.clock.advance(1_000);
      const options = await domain.authentication.startForUser(user.userHandle);
      const result = await domain.authentication.finish(authenticator.getAssertion(options, { origin: ORIGIN }));
      expect(result.ok).toBe(true);
      expect(await stored(domain, user.credentialId)).toMatchObject({ counter: 0, lastUsedAt: domain.clock.now() });
    }
  });

  it("reports a sign-in without user verification as such when the policy allows it", async () => {
    const domain = buildDomain({ rp: { userVerification: "preferred" } });
    const authenticator = new SoftwareAuthenticator({ userVerification: false });
    const user = await register(domain, authenticator);
    const options = await domain.authentication.startForUser(user.userHandle);
    expect(options.userVerification).toBe("preferred");
    const result = await domain.authentication.finish(authenticator.getAssertion(options, { origin: ORIGIN }));
    expect(result).toMatchObject({ ok: true, value: { userVerified: false } });
  });

  it("accepts the expectation of the identity user and challenge the sign-in was started for", async () => {
    const f = await fixture();
    const options = await f.domain.authentication.startForUser(f.alice.userHandle);
    const assertion = f.authenticator.getAssertion(options, { origin: ORIGIN });
    const result = await f.domain.authentication.finish(assertion, { identityUserId: f.alice.identityUserId, challenge: options.challenge });
    expect(result.ok).toBe(true);
  });

  it("accepts authenticator data with extensions", async () => {
    const f = await fixture();
    const { result } = await attempt(f, { tamper: { extensions: Uint8Array.of(0xa0) } });
    expect(result.ok).toBe(true);
  });
});

describe("authentication: users who do not exist", () => {
  it("answers an unknown handle with a stable fake credential list of the same shape as a real one", async () => {
    const f = await fixture();
    const real = await f.domain.authentication.startForUser(f.alice.userHandle);
    const unknownHandle = b64url(new Uint8Array(32).fill(0x11));
    const first = await f.domain.authentication.startForUser(unknownHandle);
    const second = await f.domain.authentication.startForUser(unknownHandle);
    const other = await f.domain.authentication.startForUser(b64url(new Uint8Array(32).fill(0x22)));

    expect(first.allowCredentials).toEqual(second.allowCredentials);
    expect(first.challenge).not.toBe(second.challenge);
    expect(other.allowCredentials).not.toEqual(first.allowCredentials);
    for (const options of [first, other]) {
      expect(options.allowCredentials.length).toBeGreaterThanOrEqual(1);
      expect(options.allowCredentials.length).toBeLessThanOrEqual(2);
      expect(Object.keys(options).sort()).toEqual(Object.keys(real).sort());
      expect(options.rpId).toBe(real.rpId);
      expect(options.timeout).toBe(real.timeout);
      expect(options.userVerification).toBe(real.userVerification);
      for (const descriptor of options.allowCredentials) {
        expect(Object.keys(descriptor).sort()).toEqual(Object.keys(real.allowCredentials[0]!).sort());
        expect(descriptor.type).toBe("public-key");
        expect(descriptor.id).toMatch(BASE64URL);
        expect(fromB64url(descriptor.id).length).toBeGreaterThanOrEqual(16);
        expect(descriptor.transports).toEqual(expect.arrayContaining([expect.any(String)]));
        expect([f.alice.credentialId, f.bob.credentialId]).not.toContain(descriptor.id);
      }
    }
  });

  it("gives the same fake list from another instance with the same secret", async () => {
    const handle = b64url(new Uint8Array(32).fill(0x33));
    const one = await buildDomain().authentication.startForUser(handle);
    const two = await buildDomain().authentication.startForUser(handle);
    expect(two.allowCredentials).toEqual(one.allowCredentials);
  });

  it("gives a user who exists but has no credential a fake list too, not an empty one", async () => {
    const domain = buildDomain();
    // A user with a password too, who deleted their only passkey.
    const lonely = aUserAccount({ userHandle: "lonely", identityUserId: "lonely", username: "lonely", displayName: "Lonely", origin: "identity_provider" });
    const credential = aStoredCredentialFor(lonely);
    expect(await domain.credentials.add(credential, lonely)).toBe("added");
    expect(await domain.credentials.deleteCredential(lonely.userHandle, credential.credentialId, { keepOneEnabled: false })).toBe("deleted");
    const options = await domain.authentication.startForUser("lonely");
    expect(options.allowCredentials.length).toBeGreaterThanOrEqual(1);
    expect(options.allowCredentials.map((c) => c.id)).not.toContain(credential.credentialId);
  });

  it("never lets a real credential answer a sign-in started for an unknown handle", async () => {
    const f = await fixture();
    const options = await f.domain.authentication.startForUser(b64url(new Uint8Array(32).fill(0x44)));
    const assertion = f.authenticator.getAssertion(options, { origin: ORIGIN, credentialId: f.alice.credentialId });
    expect(await f.domain.authentication.finish(assertion)).toEqual({ ok: false, error: "credential_not_allowed" });
  });

  // Browsers report getTransports() in lexicographic order, so a fake list in any other order would
  // tell an unknown handle from a known one.
  it("answers an unknown handle with transports in the order a browser reports them", async () => {
    const domain = buildDomain();
    const options = await domain.authentication.startForUser(b64url(new Uint8Array(32).fill(0x55)));
    for (const descriptor of options.allowCredentials) {
      expect(descriptor.transports).toEqual([...(descriptor.transports ?? [])].sort());
    }
  });
});

describe("authentication: each failed check is reported with its own code, and nothing is recorded", () => {
  it("rejects a response that is not an AuthenticationResponseJSON with malformed_response", async () => {
    const f = await fixture();
    await expectSignInRejected("malformed_response", { mutate: (a) => withResponse(a, { signature: undefined }) }, f);
    await expectSignInRejected("malformed_response", { mutate: (a) => withResponse(a, { signature: "" }) }, f);
    await expectSignInRejected("malformed_response", { mutate: (a) => withResponse(a, { userHandle: "not base64url!" }) }, f);
    await expectSignInRejected("malformed_response", { mutate: (a) => ({ ...a, response: null }) }, f);
    await expectSignInRejected("malformed_response", { mutate: () => 42 }, f);
  });

  it("rejects an id that is not the rawId with id_mismatch", async () => {
    const f = await fixture();
    await expectSignInRejected("id_mismatch", { tamper: { id: f.bob.credentialId } }, f);
  });

  it("rejects a credential type other than public-key with credential_type_invalid", async () => {
    await expectSignInRejected("credential_type_invalid", { tamper: { type: "otp" } });
  });

  it("rejects client data that is not WebAuthn client data JSON with malformed_client_data", async () => {
    const f = await fixture();
    await expectSignInRejected("malformed_client_data", { tamper: { clientData: { origin: undefined } } }, f);
    await expectSignInRejected("malformed_client_data", { tamper: { rawClientDataJSON: new TextEncoder().encode("[]") } }, f);
  });

  it("rejects authenticator data that does not parse with malformed_authenticator_data", async () => {
    const f = await fixture();
    await expectSignInRejected("malformed_authenticator_data", { tamper: { rawAuthenticatorData: new Uint8Array(36) } }, f);
    // Bytes after the counter without the ED flag.
    await expectSignInRejected("malformed_authenticator_data", { tamper: { extensions: Uint8Array.of(0xa0), flags: { ed: false } } }, f);
  });

  it("rejects a response to a challenge that was never issued with session_not_found", async () => {
    await expectSignInRejected("session_not_found", { tamper: { clientData: { challenge: b64url(new Uint8Array(32).fill(3)) } } });
  });

  it("rejects a replayed assertion with session_not_found", async () => {
    const f = await fixture();
    const { assertion, result } = await attempt(f);
    expect(result.ok).toBe(true);
    const before = await stored(f.domain, f.alice.credentialId);
    expect(await f.domain.authentication.finish(assertion)).toEqual({ ok: false, error: "session_not_found" });
    expect(await stored(f.domain, f.alice.credentialId)).toEqual(before);
  });

  it("consumes the challenge when a check after the session lookup fails, so it cannot be retried", async () => {
    const f = await fixture();
    const options = await f.domain.authentication.startDiscoverable();
    const bad = f.authenticator.getAssertion(options, { origin: ORIGIN, tamper: { signWithOtherKey: true } });
    expect(await f.domain.authentication.finish(bad)).toEqual({ ok: false, error: "signature_invalid" });
    const good = f.authenticator.getAssertion(options, { origin: ORIGIN, credentialId: f.alice.credentialId });
    expect(await f.domain.authentication.finish(good)).toEqual({ ok: false, error: "session_not_found" });
  });

  it("rejects a response to a registration session id with session_not_found", async () => {
    const f = await fixture();
    const started = await f.domain.registration.startForNewUser({ username: "zed", displayName: "Zed" });
    if (!started.ok) throw new Error(started.error);
    await expectSignInRejected("session_not_found", { tamper: { clientData: { challenge: started.value.sessionId } } }, f);
  });

  it("rejects a response after the authentication timeout with session_expired", async () => {
    const f = await fixture();
    await expectSignInRejected("session_expired", { beforeFinish: () => f.domain.clock.advance(TEST_RP.authenticationTimeoutMs) }, f);
  });

  it("rejects another user's credential in a username-first sign-in with credential_not_allowed", async () => {
    const f = await fixture();
    await expectSignInRejected("credential_not_allowed", { start: { userHandle: f.alice.userHandle }, credentialId: f.bob.credentialId }, f);
  });

  it("rejects a credential nobody registered with credential_not_found", async () => {
    const f = await fixture();
    const started = await f.domain.registration.startForNewUser({ username: "ghost", displayName: "Ghost" });
    if (!started.ok) throw new Error(started.error);
    // Created on the authenticator, never sent to the server.
    const orphan = f.authenticator.createCredential(started.value.options, { origin: ORIGIN });
    await expectSignInRejected("credential_not_found", { credentialId: orphan.id }, f);
  });

  it("rejects a discoverable assertion without a user handle with user_handle_missing", async () => {
    const f = await fixture();
    await expectSignInRejected("user_handle_missing", { tamper: { userHandle: null } }, f);
    await expectSignInRejected("user_handle_missing", { tamper: { userHandle: "" } }, f);
  });

  it("accepts a username-first assertion without a user handle", async () => {
    const f = await fixture();
    const { result } = await attempt(f, { start: { userHandle: f.alice.userHandle }, tamper: { userHandle: null } });
    expect(result.ok).toBe(true);
  });

  it("rejects a discoverable assertion naming another user than the credential's owner with user_handle_mismatch", async () => {
    const f = await fixture();
    await expectSignInRejected("user_handle_mismatch", { tamper: { userHandle: f.bob.userHandle } }, f);
  });

  it("rejects a username-first assertion whose user handle is another user's with user_handle_mismatch", async () => {
    const f = await fixture();
    await expectSignInRejected("user_handle_mismatch", { start: { userHandle: f.alice.userHandle }, tamper: { userHandle: f.bob.userHandle } }, f);
  });

  it("rejects another user's credential in a named session that lists no credentials with user_handle_mismatch", async () => {
    // startForUser never issues a named session with an empty list (unknown users get a fake one), so
    // this session is written to the store by hand: the owner check is the last line of defence.
    const f = await fixture();
    const challenge = b64url(new Uint8Array(32).fill(0x5a));
    const session: AuthenticationSession = {
      kind: "authentication",
      id: challenge,
      challenge,
      userHandle: f.alice.userHandle,
      allowCredentials: [],
      userVerification: "required",
      expiresAt: f.domain.clock.now() + 60_000,
    };
    expect(await f.domain.sessions.save(session)).toBe("saved");
    const options: PublicKeyCredentialRequestOptionsJSON = { challenge, timeout: 60_000, rpId: RP_ID, allowCredentials: [], userVerification: "required" };
    const before = await stored(f.domain, f.bob.credentialId);
    const assertion = f.authenticator.getAssertion(options, { origin: ORIGIN, credentialId: f.bob.credentialId });
    expect(await f.domain.authentication.finish(assertion)).toEqual({ ok: false, error: "user_handle_mismatch" });
    expect(await stored(f.domain, f.bob.credentialId)).toEqual(before);
  });

  it("rejects a sign-in by another identity user than the one expected with user_handle_mismatch", async () => {
    const f = await fixture();
    await expectSignInRejected("user_handle_mismatch", { expectation: { identityUserId: f.bob.identityUserId } }, f);
    await expectSignInRejected(
      "user_handle_mismatch",
      { start: { userHandle: f.alice.userHandle }, expectation: { identityUserId: f.bob.identityUserId } },
      f,
    );
  });

  it("rejects a username-first response to another challenge than the one expected with challenge_mismatch", async () => {
    const f = await fixture();
    await expectSignInRejected(
      "challenge_mismatch",
      { start: { userHandle: f.alice.userHandle }, expectation: { challenge: b64url(new Uint8Array(32).fill(8)) } },
      f,
    );
  });

  it("rejects client data of a registration (webauthn.create) with client_data_type_mismatch", async () => {
    await expectSignInRejected("client_data_type_mismatch", { tamper: { clientData: { type: "webauthn.create" } } });
  });

  it("rejects a response from an origin that is not configured with origin_mismatch", async () => {
    const f = await fixture();
    await expectSignInRejected("origin_mismatch", { tamper: { clientData: { origin: "https://evil.example.com" } } }, f);
    await expectSignInRejected("origin_mismatch", { tamper: { clientData: { origin: "http://app.example.com" } } }, f);
  });

  it("rejects a response collected in a cross-origin iframe with cross_origin_not_allowed", async () => {
    await expectSignInRejected("cross_origin_not_allowed", { tamper: { clientData: { crossOrigin: true } } });
  });

  it("rejects authenticator data for another RP ID with rp_id_hash_mismatch", async () => {
    await expectSignInRejected("rp_id_hash_mismatch", { tamper: { rpId: "app.example.com" } });
  });

  it("rejects an assertion without user presence with user_not_present", async () => {
    await expectSignInRejected("user_not_present", { tamper: { flags: { up: false } } });
  });

  it("rejects an assertion without user verification when the policy requires it, with user_not_verified", async () => {
    await expectSignInRejected("user_not_verified", { tamper: { flags: { uv: false } } });
  });

  it("rejects backup state without backup eligibility (BE=0, BS=1) with backup_state_invalid", async () => {
    await expectSignInRejected("backup_state_invalid", { tamper: { flags: { be: false, bs: true } } });
  });

  it("rejects an assertion whose backup eligibility differs from registration with backup_eligibility_changed", async () => {
    // Registered with BE=0, now claims BE=1.
    await expectSignInRejected("backup_eligibility_changed", { tamper: { flags: { be: true } } });
    // Registered with BE=1, now claims BE=0.
    const f = await fixture({ authenticator: { backupEligible: true, backupState: true } });
    await expectSignInRejected("backup_eligibility_changed", { tamper: { flags: { be: false, bs: false } } }, f);
  });

  it("rejects an assertion signed with another key with signature_invalid", async () => {
    await expectSignInRejected("signature_invalid", { tamper: { signWithOtherKey: true } });
  });

  it("rejects an assertion whose signature was altered with signature_invalid", async () => {
    await expectSignInRejected("signature_invalid", {
      mutate: (a) => withResponse(a, { signature: b64url(flipBit(fromB64url(a.response.signature))) }),
    });
  });

  it("rejects a genuine signature lifted from another assertion with signature_invalid", async () => {
    const f = await fixture();
    const donorOptions = await f.domain.authentication.startDiscoverable();
    const donor = f.authenticator.getAssertion(donorOptions, { origin: ORIGIN, credentialId: f.alice.credentialId });
    await expectSignInRejected("signature_invalid", { mutate: (a) => withResponse(a, { signature: donor.response.signature }) }, f);
  });

  it("rejects an assertion whose counter did not increase (equal) with counter_not_increased", async () => {
    const f = await fixture();
    expect((await stored(f.domain, f.alice.credentialId)).counter).toBe(1);
    await expectSignInRejected("counter_not_increased", { tamper: { counter: 1 } }, f);
  });

  it("rejects an assertion whose counter went down with counter_not_increased", async () => {
    const f = await fixture();
    expect((await attempt(f, { tamper: { counter: 5 } })).result.ok).toBe(true);
    await expectSignInRejected("counter_not_increased", { tamper: { counter: 3 } }, f);
  });

  it("compares counters at and above 2^31 as unsigned numbers", async () => {
    const f = await fixture();
    expect((await attempt(f, { tamper: { counter: 0x80000000 } })).result.ok).toBe(true);
    expect((await stored(f.domain, f.alice.credentialId)).counter).toBe(0x80000000);
    await expectSignInRejected("counter_not_increased", { tamper: { counter: 0x80000000 } }, f);
    await expectSignInRejected("counter_not_increased", { tamper: { counter: 7 } }, f);
    expect((await attempt(f, { tamper: { counter: 0xffffffff } })).result.ok).toBe(true);
    expect((await stored(f.domain, f.alice.credentialId)).counter).toBe(0xffffffff);
  });

  it("rejects a zero counter once the stored counter is non-zero with counter_not_increased", async () => {
    const f = await fixture();
    await expectSignInRejected("counter_not_increased", { tamper: { counter: 0 } }, f);
  });

  it("rejects a credential whose stored public key is unusable with public_key_invalid", async () => {
    // Not reachable through registration, which judges the key: a corrupted record is stored by hand.
    const f = await fixture();
    const original = await stored(f.domain, f.alice.credentialId);
    const corrupted = buildDomain();
    const owner = aUserAccount({ userHandle: original.userHandle, identityUserId: original.identityUserId });
    expect(await corrupted.credentials.add({ ...original, publicKey: Uint8Array.of(0xa0) }, owner)).toBe("added");
    const options = await corrupted.authentication.startDiscoverable();
    const assertion = f.authenticator.getAssertion(options, { origin: ORIGIN, credentialId: f.alice.credentialId });
    expect(await corrupted.authentication.finish(assertion)).toEqual({ ok: false, error: "public_key_invalid" });
    expect((await stored(corrupted, original.credentialId)).counter).toBe(original.counter);
  });
});

/**
 * Holds back the first `order.length` counter writes until all of them are pending (so every one of
 * them read the same stored counter), then lets them through one at a time in `order`, each after the
 * previous write completed: a deterministic race.
 */
function gateCounterWrites(domain: Domain, order: readonly number[]) {
  const original = domain.credentials.recordAuthentication.bind(domain.credentials);
  const held = new Map<number, { go: () => void; done: Promise<void>; finish: () => void }>();
  const written: { counter: number; outcome: string }[] = [];
  const releaseInOrder = async () => {
    for (const counter of order) {
      const entry = held.get(counter)!;
      entry.go();
      await entry.done;
    }
  };
  domain.credentials.recordAuthentication = async (credentialId, expectedCounter, update) => {
    const gated = order.includes(update.counter) && !held.has(update.counter);
    let finish = () => {};
    if (gated) {
      let go = () => {};
      const released = new Promise<void>((resolve) => (go = resolve));
      const done = new Promise<void>((resolve) => (finish = resolve));
      held.set(update.counter, { go, done, finish });
      if (held.size === order.length) void releaseInOrder();
      await released;
    }
    const outcome = await original(credentialId, expectedCounter, update);
    written.push({ counter: update.counter, outcome });
    finish();
    return outcome;
  };
  return written;
}

async function racingAssertions(f: Fixture, counters: readonly number[]) {
  return Promise.all(
    counters.map(async (counter) => {
      const options = await f.domain.authentication.startForUser(f.alice.userHandle);
      return f.authenticator.getAssertion(options, { origin: ORIGIN, tamper: { counter } });
    }),
  );
}

describe("authentication: concurrent finishes", () => {
  it("lets the higher counter win when two sign-ins (5 and 6) race and 5 is written first", async () => {
    const f = await fixture();
    const written = gateCounterWrites(f.domain, [5, 6]);
    const [five, six] = await Promise.all((await racingAssertions(f, [5, 6])).map((a) => f.domain.authentication.finish(a)));

    expect(five!.ok).toBe(true);
    // 6 lost the compare-and-set to 5, re-read the counter and was written on the retry.
    expect(six!.ok).toBe(true);
    expect(written).toEqual([
      { counter: 5, outcome: "recorded" },
      { counter: 6, outcome: "conflict" },
      { counter: 6, outcome: "recorded" },
    ]);
    expect((await stored(f.domain, f.alice.credentialId)).counter).toBe(6);
  });

  it("refuses the lower counter when two sign-ins (5 and 6) race and 6 is written first", async () => {
    const f = await fixture();
    const written = gateCounterWrites(f.domain, [6, 5]);
    const [five, six] = await Promise.all((await racingAssertions(f, [5, 6])).map((a) => f.domain.authentication.finish(a)));

    expect(six!.ok).toBe(true);
    expect(five).toEqual({ ok: false, error: "counter_not_increased" });
    expect(written).toEqual([
      { counter: 6, outcome: "recorded" },
      { counter: 5, outcome: "conflict" },
    ]);
    expect((await stored(f.domain, f.alice.credentialId)).counter).toBe(6);
  });

  for (const order of [
    [5, 6],
    [6, 5],
  ]) {
    it(`ends two freely racing sign-ins (counters ${order.join(" and ")}) at the highest counter that succeeded`, async () => {
      const f = await fixture();
      const results = await Promise.all((await racingAssertions(f, order)).map((a) => f.domain.authentication.finish(a)));
      const succeeded = order.filter((_, i) => results[i]!.ok);
      const final = (await stored(f.domain, f.alice.credentialId)).counter;

      expect(final).toBe(Math.max(...succeeded));
      expect(final).toBe(6);
      results.forEach((r, i) => {
        if (!r.ok) {
          expect(r.error).toBe("counter_not_increased");
          expect(order[i]).toBeLessThan(final);
        }
      });
    });
  }

  it("never moves the counter backwards while many sign-ins race", async () => {
    const f = await fixture();
    const counters = [14, 3, 9, 20, 2, 17, 8, 11, 5, 19, 6, 12];
    const seen: number[] = [];
    const originalRecord = f.domain.credentials.recordAuthentication.bind(f.domain.credentials);
    f.domain.credentials.recordAuthentication = async (id, expected, update) => {
      const outcome = await originalRecord(id, expected, update);
      if (outcome === "recorded") seen.push(update.counter);
      return outcome;
    };
    const assertions = await Promise.all(
      counters.map(async (counter) => {
        const options = await f.domain.authentication.startDiscoverable();
        return f.authenticator.getAssertion(options, { origin: ORIGIN, credentialId: f.alice.credentialId, tamper: { counter } });
      }),
    );
    const results = await Promise.all(assertions.map((a) => f.domain.authentication.finish(a)));
    const succeeded = counters.filter((_, i) => results[i]!.ok);
    const final = (await stored(f.domain, f.alice.credentialId)).counter;

    expect(succeeded.length).toBeGreaterThan(0);
    expect(final).toBe(Math.max(...succeeded));
    // Every write raised the counter.
    expect(seen).toEqual([...seen].sort((a, b) => a - b));
    expect(new Set(seen).size).toBe(seen.length);
    for (const r of results) if (!r.ok) expect(r.error).toBe("counter_not_increased");
  });

  it("accepts exactly one of 20 concurrent finishes of the same assertion", async () => {
    const f = await fixture();
    const options = await f.domain.authentication.startForUser(f.alice.userHandle);
    const assertion = f.authenticator.getAssertion(options, { origin: ORIGIN });
    const results = await Promise.all(Array.from({ length: 20 }, () => f.domain.authentication.finish(structuredClone(assertion))));
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    expect(results.filter((r) => !r.ok)).toEqual(Array.from({ length: 19 }, () => ({ ok: false, error: "session_not_found" })));
    expect((await stored(f.domain, f.alice.credentialId)).counter).toBe(2);
  });
});
