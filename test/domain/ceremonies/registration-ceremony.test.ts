/**
 * The registration ceremony (WebAuthn §7.1) end to end on the hand-built domain: real responses from
 * the software authenticator, each verification check made to fail on its own, and what is (and is
 * not) stored afterwards.
 */
import { generateKeyPairSync } from "node:crypto";
import { describe, expect, it } from "vitest";
import type { RegistrationError } from "../../../src/domain/ceremonies/errors.js";
import type { StoredCredential, UserAccount } from "../../../src/domain/model.js";
import type { CoseAlgorithmIdentifier, PublicKeyCredentialCreationOptionsJSON, RegistrationResponseJSON } from "../../../src/domain/encoding/webauthn-json.js";
import type { VerifiedIdentity } from "../../../src/ports/identity-provider.js";
import { buildDomain, ORIGIN, RP_ID, TEST_RP } from "../../support/domain-harness.js";
import type { Domain } from "../../support/domain-harness.js";
import {
  b64url,
  COSE_CRV_P384,
  ec2CoseKey,
  encodeCbor,
  fromB64url,
  rsaCoseKey,
  SoftwareAuthenticator,
} from "../../support/software-authenticator.js";
import type { RegistrationTamper, SoftwareAuthenticatorOptions, TestAlgorithm } from "../../support/software-authenticator.js";
import { aVerifiedIdentity } from "../../support/kit.js";

const ALGORITHMS: readonly TestAlgorithm[] = ["ES256", "RS256", "EdDSA"];
const COSE: Record<TestAlgorithm, CoseAlgorithmIdentifier> = { ES256: -7, RS256: -257, EdDSA: -8 };
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const BASE64URL = /^[A-Za-z0-9_-]+$/;

interface SignUpArgs {
  domain?: Domain;
  authenticator?: SoftwareAuthenticator;
  algorithm?: TestAlgorithm;
  tamper?: RegistrationTamper;
  username?: string;
  displayName?: string;
  /** Rewrites the response JSON after the authenticator produced it. */
  mutate?: (response: RegistrationResponseJSON) => unknown;
  /** Runs between start and finish (e.g. to advance the clock). */
  beforeFinish?: (domain: Domain) => void | Promise<void>;
}

async function startSignUp(domain: Domain, username = "alice", displayName = "Alice Example") {
  const started = await domain.registration.startForNewUser({ username, displayName });
  if (!started.ok) throw new Error(`startForNewUser failed: ${started.error}`);
  return started.value;
}

/** A complete sign-up: start, the authenticator's answer, finish. */
async function signUp(args: SignUpArgs = {}) {
  const domain = args.domain ?? buildDomain();
  const authenticator = args.authenticator ?? new SoftwareAuthenticator();
  const started = await startSignUp(domain, args.username, args.displayName);
  const response = authenticator.createCredential(started.options, { origin: ORIGIN, algorithm: args.algorithm, tamper: args.tamper });
  const sent = args.mutate ? args.mutate(response) : response;
  await args.beforeFinish?.(domain);
  const result = await domain.registration.finish(started.sessionId, sent);
  return { domain, authenticator, started, response, result };
}

async function expectNothingStored(domain: Domain, userHandle: string, credentialId?: string) {
  expect(await domain.credentials.listCredentials(userHandle)).toEqual([]);
  expect(await domain.credentials.findUserByHandle(userHandle)).toBeNull();
  if (credentialId !== undefined) expect(await domain.credentials.findCredential(credentialId)).toBeNull();
  expect(domain.identityProvider.users.size).toBe(0);
}

/** Signs up with exactly one thing wrong and expects exactly `code`, with nothing left behind. */
async function expectSignUpRejected(code: RegistrationError, args: SignUpArgs = {}) {
  const { domain, started, response, result } = await signUp(args);
  expect(result).toEqual({ ok: false, error: code });
  const credentialId = typeof response.rawId === "string" && BASE64URL.test(response.rawId) ? response.rawId : undefined;
  await expectNothingStored(domain, started.options.user.id, credentialId);
  return { domain, started };
}

function withResponse(response: RegistrationResponseJSON, fields: Record<string, unknown>): unknown {
  return { ...response, response: { ...response.response, ...fields } };
}

function okValue<T>(result: { ok: true; value: T } | { ok: false; error: string }): T {
  if (!result.ok) throw new Error(`expected ok, got ${result.error}`);
  return result.value;
}

describe("registration: successful sign-up", () => {
  for (const algorithm of ALGORITHMS) {
    for (const attestation of ["none", "packed"] as const) {
      it(`registers a ${algorithm} passkey with ${attestation} attestation and stores its credential record`, async () => {
        const domain = buildDomain();
        const aaguid = Uint8Array.from({ length: 16 }, (_, i) => i * 17);
        const options: SoftwareAuthenticatorOptions = {
          attestation,
          aaguid,
          backupEligible: true,
          backupState: true,
          transports: ["hybrid", "internal"],
        };
        const authenticator = new SoftwareAuthenticator(options);
        const { started, response, result } = await signUp({
          domain,
          authenticator,
          algorithm,
          beforeFinish: (d) => d.clock.advance(1_234),
        });
        const handle = started.options.user.id;

        expect(result).toEqual({
          ok: true,
          value: {
            userHandle: handle,
            identityUserId: handle,
            credentialId: response.id,
            name: "This device's passkey",
            signals: [{ signalName: "allAcceptedCredentials", rpID: RP_ID, userID: handle, allAcceptedCredentialIDs: [response.id] }],
          },
        });
        const stored = await domain.credentials.findCredential(response.id);
        expect(stored).toEqual({
          credentialId: response.id,
          userHandle: handle,
          identityUserId: handle,
          publicKey: expect.any(Uint8Array),
          algorithm: COSE[algorithm],
          counter: 0,
          transports: ["hybrid", "internal"],
          aaguid: "00112233-4455-6677-8899-aabbccddeeff",
          attestationFormat: attestation,
          attestation: { format: attestation, type: attestation === "none" ? "none" : "self", trusted: false, aaguid: "00112233-4455-6677-8899-aabbccddeeff" },
          backupEligible: true,
          backupState: true,
          userVerifiedAtRegistration: true,
          createdAt: domain.clock.now(),
          lastUsedAt: null,
          name: "This device's passkey",
          enabled: true,
          registrationMediation: "modal",
        } satisfies Record<keyof StoredCredential, unknown>);
        expect(stored!.aaguid).toMatch(UUID);
        expect(await domain.credentials.listCredentials(handle)).toEqual([stored]);
        expect(await domain.credentials.findUserByHandle(handle)).toEqual({
          userHandle: handle,
          identityUserId: handle,
          username: "alice",
          usernameKey: "alice",
          displayName: "Alice Example",
          createdAt: domain.clock.now(),
          origin: "passkey_sign_up",
        } satisfies Record<keyof UserAccount, unknown>);
        expect(domain.identityProvider.users.get(handle)).toEqual({ username: handle, preferredUsername: "alice", name: "Alice Example" });
        expect(domain.identityProvider.deleted).toEqual([]);
      });
    }
  }

  it("stores the all-zero AAGUID of a none-attestation authenticator in UUID form, and BE/BS as reported", async () => {
    const { domain, response, result } = await signUp({ authenticator: new SoftwareAuthenticator({ backupEligible: true }) });
    expect(result.ok).toBe(true);
    const stored = await domain.credentials.findCredential(response.id);
    expect(stored).toMatchObject({ aaguid: "00000000-0000-0000-0000-000000000000", backupEligible: true, backupState: false });
  });

  it("gives every new user a fresh random handle of at least 16 bytes that does not contain the username", async () => {
    const domain = buildDomain();
    const first = await startSignUp(domain, "alice.smith@example.com", "Alice");
    const second = await startSignUp(domain, "alice.smith@example.com", "Alice");
    for (const { options } of [first, second]) {
      const handle = options.user.id;
      expect(handle).toMatch(BASE64URL);
      const bytes = fromB64url(handle);
      expect(bytes.length).toBeGreaterThanOrEqual(16);
      expect(b64url(bytes)).toBe(handle);
      expect(handle.toLowerCase()).not.toContain("alice");
      expect(Buffer.from(bytes).toString("latin1")).not.toContain("alice");
    }
    expect(first.options.user.id).not.toBe(second.options.user.id);
  });

  it("records a response without transports as having none", async () => {
    const { domain, response, result } = await signUp({
      mutate: (r) => withResponse(r, { transports: undefined }),
    });
    expect(result.ok).toBe(true);
    expect((await domain.credentials.findCredential(response.id))?.transports).toEqual([]);
  });
});

describe("registration: creation options", () => {
  it("asks for a discoverable credential with the RP's algorithms, policy and a fresh 32-byte challenge", async () => {
    const domain = buildDomain();
    const { sessionId, options } = await startSignUp(domain, "alice", "Alice Example");
    const expected: PublicKeyCredentialCreationOptionsJSON = {
      rp: { id: RP_ID, name: TEST_RP.name },
      user: { id: options.user.id, name: "alice", displayName: "Alice Example" },
      challenge: options.challenge,
      pubKeyCredParams: [
        { type: "public-key", alg: -8 },
        { type: "public-key", alg: -7 },
        { type: "public-key", alg: -257 },
      ],
      timeout: TEST_RP.registrationTimeoutMs,
      excludeCredentials: [],
      authenticatorSelection: { residentKey: "required", requireResidentKey: true, userVerification: "required" },
      attestation: "none",
      extensions: { credProps: true },
    };
    expect(options).toEqual(expected);
    expect(fromB64url(options.challenge).length).toBeGreaterThanOrEqual(32);
    expect(sessionId).not.toBe(options.challenge);
    const again = await startSignUp(domain, "alice", "Alice Example");
    expect(again.options.challenge).not.toBe(options.challenge);
    expect(again.sessionId).not.toBe(sessionId);
  });

  it.each(["preferred", "discouraged", "required"] as const)("passes the RP's userVerification policy %s into the options", async (policy) => {
    const domain = buildDomain({ rp: { userVerification: policy } });
    const { options } = await startSignUp(domain);
    expect(options.authenticatorSelection.userVerification).toBe(policy);
  });

  it("offers only the algorithms the RP is configured with, in its order", async () => {
    const domain = buildDomain({ rp: { algorithms: [-257, -7] } });
    const { options } = await startSignUp(domain);
    expect(options.pubKeyCredParams).toEqual([
      { type: "public-key", alg: -257 },
      { type: "public-key", alg: -7 },
    ]);
  });
});

describe("registration: profile validation", () => {
  const cases: [string, { username: unknown; displayName: unknown }, "username_invalid" | "display_name_invalid"][] = [
    ["an empty username", { username: "", displayName: "Alice" }, "username_invalid"],
    ["a blank username", { username: "   ", displayName: "Alice" }, "username_invalid"],
    ["a username over 64 characters", { username: "a".repeat(65), displayName: "Alice" }, "username_invalid"],
    ["a non-string username", { username: 42, displayName: "Alice" }, "username_invalid"],
    ["a missing username", { username: undefined, displayName: "Alice" }, "username_invalid"],
    ["a username with a control character", { username: "ali\u0000ce", displayName: "Alice" }, "username_invalid"],
    ["a username with a newline", { username: "alice\nadmin", displayName: "Alice" }, "username_invalid"],
    ["an empty display name", { username: "alice", displayName: "" }, "display_name_invalid"],
    ["a display name over 64 characters", { username: "alice", displayName: "é".repeat(65) }, "display_name_invalid"],
    ["a non-string display name", { username: "alice", displayName: { first: "Alice" } }, "display_name_invalid"],
    ["a display name with a control character", { username: "alice", displayName: "Alice\u001b[31m" }, "display_name_invalid"],
    // RFC 8265 / RFC 8266 (names.ts, ADR 0015)
    ["a username with a right-to-left override", { username: "\u202EecilA", displayName: "Alice" }, "username_invalid"],
    ["a username with a space", { username: "alice smith", displayName: "Alice" }, "username_invalid"],
    ["a username of zero-width characters", { username: "\u200B\u200B", displayName: "Alice" }, "username_invalid"],
    ["a display name in a bidi isolate", { username: "alice", displayName: "\u2067Alice\u2069" }, "display_name_invalid"],
    ["a display name of invisible characters only", { username: "alice", displayName: "\u200B\u2060\u3164" }, "display_name_invalid"],
    ["a display name with tag characters", { username: "alice", displayName: "Alice\u{E0041}\u{E0042}" }, "display_name_invalid"],
    ["a display name with a private-use character", { username: "alice", displayName: "Alice\uE000" }, "display_name_invalid"],
    ["a display name with a lone surrogate", { username: "alice", displayName: "Alice\uD800" }, "display_name_invalid"],
  ];
  it.each(cases)("refuses to start a sign-up with %s", async (_label, profile, code) => {
    const domain = buildDomain();
    expect(await domain.registration.startForNewUser(profile)).toEqual({ ok: false, error: code });
    expect(domain.sessions.size).toBe(0);
  });

  it("accepts names of exactly 64 characters, counting code points, not UTF-16 units", async () => {
    const domain = buildDomain();
    const result = await domain.registration.startForNewUser({ username: "a".repeat(64), displayName: "😀".repeat(64) });
    expect(result.ok).toBe(true);
  });

  it("offers, stores and hands the identity provider the prepared names, not the raw ones", async () => {
    const { domain, started, result } = await signUp({ username: "Ａｌｉｃｅ", displayName: "  Rene\u0301e   Example " });
    expect(started.options.user).toMatchObject({ name: "Alice", displayName: "Ren\u00E9e Example" });
    const { userHandle } = okValue(result);
    expect(domain.identityProvider.users.get(userHandle)).toEqual({ username: userHandle, preferredUsername: "Alice", name: "Ren\u00E9e Example" });
    expect(await domain.credentials.findUserByIdentity(okValue(result).identityUserId)).toMatchObject({ username: "Alice", displayName: "Ren\u00E9e Example" });
  });

  it("prepares the names given for, or taken from the token of, an existing user; a token's bad names fall back", async () => {
    const domain = buildDomain();
    const given = aVerifiedIdentity({ identityUserId: "pw-given", subject: "sub-g", preferredUsername: null, name: null });
    expect(okValue(await domain.registration.startForExistingUser(given, { username: "ｇｒａｃｅ", displayName: "Grace\u3000Hopper" })).options.user).toMatchObject({
      name: "grace",
      displayName: "Grace Hopper",
    });
    expect(await domain.registration.startForExistingUser(given, { displayName: "\u202EGrace" })).toEqual({ ok: false, error: "display_name_invalid" });

    const fromToken = aVerifiedIdentity({ identityUserId: "pw-token", subject: "sub-t", preferredUsername: "Ｈｅｎｒｙ", name: " Henry  T " });
    expect(okValue(await domain.registration.startForExistingUser(fromToken)).options.user).toMatchObject({ name: "Henry", displayName: "Henry T" });

    const badToken = aVerifiedIdentity({ identityUserId: "pw-bad", subject: "sub-b", preferredUsername: "ivy league", name: "\u2066Ivy" });
    expect(okValue(await domain.registration.startForExistingUser(badToken)).options.user).toMatchObject({ name: "pw-bad", displayName: "pw-bad" });

    const badId = aVerifiedIdentity({ identityUserId: "id with\u202Espaces", subject: "sub-x", preferredUsername: null, name: null });
    expect(okValue(await domain.registration.startForExistingUser(badId)).options.user).toMatchObject({ name: "user", displayName: "user" });
  });

  it("validates a profile given for an existing user", async () => {
    const domain = buildDomain();
    const identity: VerifiedIdentity = aVerifiedIdentity({ identityUserId: "pw-user", subject: "sub", preferredUsername: "bob", name: "Bob" });
    expect(await domain.registration.startForExistingUser(identity, { username: "" })).toEqual({ ok: false, error: "username_invalid" });
    expect(await domain.registration.startForExistingUser(identity, { displayName: "x".repeat(65) })).toEqual({
      ok: false,
      error: "display_name_invalid",
    });
    expect(await domain.registration.startForExistingUser(identity, { username: 7 })).toEqual({ ok: false, error: "username_invalid" });
  });
});

describe("registration: adding a passkey for an existing user", () => {
  it("keeps a linked user's handle and excludes the credentials they already have", async () => {
    const domain = buildDomain();
    const authenticator = new SoftwareAuthenticator({ transports: ["hybrid", "internal"] });
    const first = await signUp({ domain, authenticator });
    const linked = okValue(first.result);

    const identity: VerifiedIdentity = aVerifiedIdentity({ identityUserId: linked.identityUserId, subject: "sub-1", preferredUsername: "ignored", name: "Ignored" });
    const started = okValue(await domain.registration.startForExistingUser(identity));
    expect(started.options.user).toEqual({ id: linked.userHandle, name: "alice", displayName: "Alice Example" });
    expect(started.options.excludeCredentials).toEqual([{ type: "public-key", id: linked.credentialId, transports: ["hybrid", "internal"] }]);

    const response = authenticator.createCredential(started.options, { origin: ORIGIN, algorithm: "EdDSA" });
    const result = await domain.registration.finish(started.sessionId, response, identity);
    expect(result).toEqual({
      ok: true,
      value: {
        userHandle: linked.userHandle,
        identityUserId: linked.identityUserId,
        credentialId: response.id,
        // The same authenticator's name again, made unique.
        name: "This device's passkey (2)",
        signals: [
          { signalName: "allAcceptedCredentials", rpID: RP_ID, userID: linked.userHandle, allAcceptedCredentialIDs: [linked.credentialId, response.id] },
        ],
      },
    });
    expect((await domain.credentials.listCredentials(linked.userHandle)).map((c) => c.credentialId)).toEqual([linked.credentialId, response.id]);
    // No second identity user for the second passkey.
    expect([...domain.identityProvider.users.keys()]).toEqual([linked.userHandle]);
  });

  it("gives a password-only user a new handle and links it to them only when the ceremony succeeds", async () => {
    const domain = buildDomain();
    const identity: VerifiedIdentity = aVerifiedIdentity({ identityUserId: "carol@example.com", subject: "sub-carol", preferredUsername: "carol", name: "Carol C" });
    const started = okValue(await domain.registration.startForExistingUser(identity));
    const handle = started.options.user.id;
    expect(started.options.user).toEqual({ id: handle, name: "carol", displayName: "Carol C" });
    expect(fromB64url(handle).length).toBeGreaterThanOrEqual(16);
    expect(handle).not.toContain("carol");
    expect(started.options.excludeCredentials).toEqual([]);
    expect(await domain.credentials.findUserByIdentity("carol@example.com")).toBeNull();

    const response = new SoftwareAuthenticator().createCredential(started.options, { origin: ORIGIN });
    expect(await domain.credentials.findUserByIdentity("carol@example.com")).toBeNull();
    const result = await domain.registration.finish(started.sessionId, response, identity);

    expect(result).toEqual({
      ok: true,
      value: {
        userHandle: handle,
        identityUserId: "carol@example.com",
        credentialId: response.id,
        name: "This device's passkey",
        signals: [{ signalName: "allAcceptedCredentials", rpID: RP_ID, userID: handle, allAcceptedCredentialIDs: [response.id] }],
      },
    });
    expect(await domain.credentials.findUserByIdentity("carol@example.com")).toEqual({
      userHandle: handle,
      identityUserId: "carol@example.com",
      username: "carol",
      usernameKey: "carol",
      displayName: "Carol C",
      createdAt: domain.clock.now(),
      // Carol has a password too: she may remove every passkey.
      origin: "identity_provider",
    });
    expect(await domain.credentials.findCredential(response.id)).toMatchObject({ userHandle: handle, identityUserId: "carol@example.com" });
    // The user exists in the identity provider already: nothing is created there.
    expect(domain.identityProvider.users.size).toBe(0);
  });

  it("does not link a password-only user whose registration failed", async () => {
    const domain = buildDomain();
    const identity: VerifiedIdentity = aVerifiedIdentity({ identityUserId: "dave", subject: "sub-dave", preferredUsername: null, name: null });
    const started = okValue(await domain.registration.startForExistingUser(identity, { username: "dave", displayName: "Dave" }));
    const response = new SoftwareAuthenticator().createCredential(started.options, { origin: "https://evil.example" });
    expect(await domain.registration.finish(started.sessionId, response, identity)).toEqual({ ok: false, error: "origin_mismatch" });
    expect(await domain.credentials.findUserByIdentity("dave")).toBeNull();
    expect(await domain.credentials.listCredentials(started.options.user.id)).toEqual([]);
  });

  it("falls back to the identity user id for the name of a user without profile claims", async () => {
    const domain = buildDomain();
    const identity: VerifiedIdentity = aVerifiedIdentity({ identityUserId: "erin-id", subject: "sub-erin", preferredUsername: null, name: null });
    const started = okValue(await domain.registration.startForExistingUser(identity));
    expect(started.options.user.name).toBe("erin-id");
    expect(started.options.user.displayName).toBe("erin-id");
  });
});

describe("registration: each failed check is reported with its own code, and nothing is stored", () => {
  it("rejects an unknown session id with session_not_found", async () => {
    const domain = buildDomain();
    const started = await startSignUp(domain);
    const response = new SoftwareAuthenticator().createCredential(started.options, { origin: ORIGIN });
    expect(await domain.registration.finish("no-such-session", response)).toEqual({ ok: false, error: "session_not_found" });
    await expectNothingStored(domain, started.options.user.id, response.id);
  });

  it("rejects a second finish on a session that was already consumed with session_not_found", async () => {
    const domain = buildDomain();
    const authenticator = new SoftwareAuthenticator();
    const started = await startSignUp(domain);
    const response = authenticator.createCredential(started.options, { origin: ORIGIN });
    expect((await domain.registration.finish(started.sessionId, response)).ok).toBe(true);
    const fresh = authenticator.createCredential(started.options, { origin: ORIGIN });
    expect(await domain.registration.finish(started.sessionId, fresh)).toEqual({ ok: false, error: "session_not_found" });
    expect(await domain.credentials.findCredential(fresh.id)).toBeNull();
  });

  it("consumes the session even when the ceremony fails, so a corrected response cannot reuse it", async () => {
    const domain = buildDomain();
    const authenticator = new SoftwareAuthenticator();
    const started = await startSignUp(domain);
    const bad = authenticator.createCredential(started.options, { origin: ORIGIN, tamper: { flags: { up: false } } });
    expect(await domain.registration.finish(started.sessionId, bad)).toEqual({ ok: false, error: "user_not_present" });
    const good = authenticator.createCredential(started.options, { origin: ORIGIN });
    expect(await domain.registration.finish(started.sessionId, good)).toEqual({ ok: false, error: "session_not_found" });
    await expectNothingStored(domain, started.options.user.id, good.id);
  });

  it("rejects a response that arrives after the registration timeout with session_expired", async () => {
    await expectSignUpRejected("session_expired", { beforeFinish: (d) => d.clock.advance(TEST_RP.registrationTimeoutMs) });
  });

  it("accepts a response that arrives just before the registration timeout", async () => {
    const { result } = await signUp({ beforeFinish: (d) => d.clock.advance(TEST_RP.registrationTimeoutMs - 1) });
    expect(result.ok).toBe(true);
  });

  it("rejects a response that is not a RegistrationResponseJSON with malformed_response", async () => {
    await expectSignUpRejected("malformed_response", { mutate: (r) => withResponse(r, { attestationObject: undefined }) });
    await expectSignUpRejected("malformed_response", { mutate: () => "not an object" });
    await expectSignUpRejected("malformed_response", { mutate: (r) => ({ ...r, rawId: "not base64url!" }) });
    await expectSignUpRejected("malformed_response", { mutate: (r) => withResponse(r, { clientDataJSON: 12 }) });
  });

  it("rejects an id that is not the rawId with id_mismatch", async () => {
    await expectSignUpRejected("id_mismatch", { tamper: { id: b64url(new Uint8Array(16).fill(9)) } });
  });

  it("rejects a rawId that is not the attested credential id with id_mismatch", async () => {
    const other = b64url(new Uint8Array(16).fill(9));
    await expectSignUpRejected("id_mismatch", { tamper: { id: other, rawId: other } });
  });

  it("rejects a credential type other than public-key with credential_type_invalid", async () => {
    await expectSignUpRejected("credential_type_invalid", { tamper: { type: "password" } });
  });

  it("rejects client data that is not WebAuthn client data JSON with malformed_client_data", async () => {
    await expectSignUpRejected("malformed_client_data", { tamper: { clientData: { challenge: undefined } } });
    await expectSignUpRejected("malformed_client_data", { tamper: { rawClientDataJSON: new TextEncoder().encode("{not json") } });
  });

  it("rejects client data of an authentication (webauthn.get) with client_data_type_mismatch", async () => {
    await expectSignUpRejected("client_data_type_mismatch", { tamper: { clientData: { type: "webauthn.get" } } });
  });

  it("rejects a response to another challenge with challenge_mismatch", async () => {
    await expectSignUpRejected("challenge_mismatch", { tamper: { clientData: { challenge: b64url(new Uint8Array(32).fill(1)) } } });
  });

  it("rejects a response from an origin that is not configured with origin_mismatch", async () => {
    await expectSignUpRejected("origin_mismatch", { tamper: { clientData: { origin: "https://evil.example.com" } } });
    // Exact match only: no case folding, no trailing slash, no sub-domain.
    await expectSignUpRejected("origin_mismatch", { tamper: { clientData: { origin: "https://APP.example.com" } } });
    await expectSignUpRejected("origin_mismatch", { tamper: { clientData: { origin: `${ORIGIN}/` } } });
  });

  it("rejects a response collected in a cross-origin iframe with cross_origin_not_allowed", async () => {
    await expectSignUpRejected("cross_origin_not_allowed", { tamper: { clientData: { crossOrigin: true } } });
  });

  it("rejects an attestation object that is not a CBOR attestation map with malformed_attestation_object", async () => {
    await expectSignUpRejected("malformed_attestation_object", {
      mutate: (r) => withResponse(r, { attestationObject: b64url(Uint8Array.of(0xff, 0x00, 0x13)) }),
    });
    await expectSignUpRejected("malformed_attestation_object", {
      mutate: (r) => withResponse(r, { attestationObject: b64url(encodeCbor({ fmt: "none", attStmt: {}, authData: "not bytes" })) }),
    });
  });

  it("rejects authenticator data that does not parse with malformed_authenticator_data", async () => {
    // The ED flag promises extensions that are not there.
    await expectSignUpRejected("malformed_authenticator_data", { tamper: { flags: { ed: true } } });
    await expectSignUpRejected("malformed_authenticator_data", { tamper: { rawAuthenticatorData: new Uint8Array(20) } });
  });

  it("rejects authenticator data for another RP ID with rp_id_hash_mismatch", async () => {
    await expectSignUpRejected("rp_id_hash_mismatch", { tamper: { rpId: "evil.example.com" } });
  });

  it("rejects a credential created without user presence with user_not_present", async () => {
    await expectSignUpRejected("user_not_present", { tamper: { flags: { up: false } } });
  });

  it("rejects a credential created without user verification when the policy requires it, with user_not_verified", async () => {
    await expectSignUpRejected("user_not_verified", { tamper: { flags: { uv: false } } });
  });

  it.each(["preferred", "discouraged"] as const)("accepts a credential without user verification when the policy is %s", async (policy) => {
    const domain = buildDomain({ rp: { userVerification: policy } });
    const started = await startSignUp(domain);
    expect(started.options.authenticatorSelection.userVerification).toBe(policy);
    const authenticator = new SoftwareAuthenticator({ userVerification: false });
    const response = authenticator.createCredential(started.options, { origin: ORIGIN });
    expect((await domain.registration.finish(started.sessionId, response)).ok).toBe(true);
    expect(await domain.credentials.findCredential(response.id)).toMatchObject({ userVerifiedAtRegistration: false });
  });

  it("rejects authenticator data without attested credential data with attested_credential_data_missing", async () => {
    await expectSignUpRejected("attested_credential_data_missing", { tamper: { omitAttestedCredentialData: true } });
  });

  it("rejects a key of an algorithm the RP did not offer with algorithm_not_allowed", async () => {
    await expectSignUpRejected("algorithm_not_allowed", { domain: buildDomain({ rp: { algorithms: [-7] } }), algorithm: "EdDSA" });
    await expectSignUpRejected("algorithm_not_allowed", { domain: buildDomain({ rp: { algorithms: [-7, -8] } }), algorithm: "RS256" });
  });

  it("rejects a COSE key with an algorithm keyport never offers (ES384, -35) with algorithm_not_allowed", async () => {
    const { x, y } = p384Coordinates();
    await expectSignUpRejected("algorithm_not_allowed", { tamper: { coseKeyOverride: ec2CoseKey(COSE_CRV_P384, -35, x, y) } });
  });

  it("rejects a P-384 key that claims to be ES256 with public_key_invalid", async () => {
    const { x, y } = p384Coordinates();
    await expectSignUpRejected("public_key_invalid", { tamper: { coseKeyOverride: ec2CoseKey(COSE_CRV_P384, -7, x, y) } });
  });

  it("rejects a 1024-bit RSA key with public_key_invalid", async () => {
    const jwk = generateKeyPairSync("rsa", { modulusLength: 1024 }).publicKey.export({ format: "jwk" });
    const cose = rsaCoseKey(fromB64url(jwk.n!), fromB64url(jwk.e!));
    await expectSignUpRejected("public_key_invalid", { algorithm: "RS256", tamper: { coseKeyOverride: cose } });
  });

  it("rejects a credential id longer than 1023 bytes with credential_id_too_long", async () => {
    await expectSignUpRejected("credential_id_too_long", { tamper: { credentialId: new Uint8Array(1024).fill(0xab) } });
  });

  it("accepts a credential id of exactly 1023 bytes", async () => {
    const { result } = await signUp({ tamper: { credentialId: new Uint8Array(1023).fill(0xcd) } });
    expect(result.ok).toBe(true);
  });

  it("rejects a credential id another user already registered with credential_already_registered, creating no identity user", async () => {
    const domain = buildDomain();
    const credentialId = new Uint8Array(16).fill(0x42);
    const first = await signUp({ domain, tamper: { credentialId } });
    const owner = okValue(first.result);

    const second = await signUp({ domain, username: "mallory", tamper: { credentialId } });
    expect(second.result).toEqual({ ok: false, error: "credential_already_registered" });
    const secondHandle = second.started.options.user.id;
    expect(await domain.credentials.findUserByHandle(secondHandle)).toBeNull();
    expect(await domain.credentials.listCredentials(secondHandle)).toEqual([]);
    expect([...domain.identityProvider.users.keys()]).toEqual([owner.userHandle]);
    // The original owner's credential is untouched.
    expect(await domain.credentials.findCredential(owner.credentialId)).toMatchObject({ userHandle: owner.userHandle });
  });

  it("deletes the identity user it created when a racing sign-up stored the same credential id first (compensation)", async () => {
    const domain = buildDomain();
    const credentialId = new Uint8Array(16).fill(0x43);
    const authenticator = new SoftwareAuthenticator();
    const a = await startSignUp(domain, "alice");
    const b = await startSignUp(domain, "bob");
    const responseA = authenticator.createCredential(a.options, { origin: ORIGIN, tamper: { credentialId } });
    const responseB = authenticator.createCredential(b.options, { origin: ORIGIN, tamper: { credentialId } });

    const [resultA, resultB] = await Promise.all([
      domain.registration.finish(a.sessionId, responseA),
      domain.registration.finish(b.sessionId, responseB),
    ]);
    const results = [resultA, resultB];
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    expect(results.filter((r) => !r.ok)).toEqual([{ ok: false, error: "credential_already_registered" }]);

    const winner = resultA.ok ? a : b;
    const loser = resultA.ok ? b : a;
    const loserHandle = loser.options.user.id;
    expect([...domain.identityProvider.users.keys()]).toEqual([winner.options.user.id]);
    expect(domain.identityProvider.users.has(loserHandle)).toBe(false);
    expect(await domain.credentials.findUserByHandle(loserHandle)).toBeNull();
    expect((await domain.credentials.findCredential(b64url(credentialId)))?.userHandle).toBe(winner.options.user.id);
  });

  it("rejects backup state without backup eligibility (BE=0, BS=1) with backup_state_invalid", async () => {
    await expectSignUpRejected("backup_state_invalid", { tamper: { flags: { be: false, bs: true } } });
  });

  it("rejects a malformed attestation statement with attestation_statement_invalid", async () => {
    // "none" must come with an empty statement.
    await expectSignUpRejected("attestation_statement_invalid", { tamper: { format: "none", attStmt: { alg: -7 } } });
    // packed self attestation must name the credential's own algorithm...
    await expectSignUpRejected("attestation_statement_invalid", {
      authenticator: new SoftwareAuthenticator({ attestation: "packed" }),
      tamper: { attStmt: { alg: -257, sig: new Uint8Array(64).fill(1) } },
    });
    // ...and carry a signature.
    await expectSignUpRejected("attestation_statement_invalid", {
      authenticator: new SoftwareAuthenticator({ attestation: "packed" }),
      tamper: { attStmt: { alg: -7 } },
    });
    // An empty certificate chain is not a chain.
    await expectSignUpRejected("attestation_statement_invalid", {
      authenticator: new SoftwareAuthenticator({ attestation: "packed" }),
      tamper: { attStmt: { alg: -7, sig: new Uint8Array(64).fill(1), x5c: [] } },
    });
  });

  for (const algorithm of ALGORITHMS) {
    it(`rejects a ${algorithm} packed self attestation whose signature does not verify with attestation_signature_invalid`, async () => {
      await expectSignUpRejected("attestation_signature_invalid", {
        authenticator: new SoftwareAuthenticator({ attestation: "packed" }),
        algorithm,
        tamper: { badAttestationSignature: true },
      });
    });
  }

  it("rejects packed self attestation signed over other client data with attestation_signature_invalid", async () => {
    // The statement is signed over the original bytes; the client data sent is a re-serialisation.
    const domain = buildDomain();
    const started = await startSignUp(domain);
    const response = new SoftwareAuthenticator({ attestation: "packed" }).createCredential(started.options, { origin: ORIGIN });
    const clientData = JSON.parse(new TextDecoder().decode(fromB64url(response.response.clientDataJSON))) as Record<string, unknown>;
    const reordered = new TextEncoder().encode(JSON.stringify({ origin: clientData.origin, ...clientData }) + " ");
    const result = await domain.registration.finish(started.sessionId, withResponse(response, { clientDataJSON: b64url(reordered) }));
    expect(result).toEqual({ ok: false, error: "attestation_signature_invalid" });
    await expectNothingStored(domain, started.options.user.id, response.id);
  });

  // Every format of §8 is verified (ADR 0027): one whose statement is not that format's (the software
  // authenticator's junk), or a format spelt otherwise or unknown, is refused and nothing is stored.
  it.each([
    ["fido-u2f", "attestation_certificate_invalid"],
    ["android-key", "attestation_certificate_invalid"],
    ["apple", "attestation_certificate_invalid"],
    ["tpm", "attestation_statement_invalid"],
    ["None", "attestation_statement_invalid"],
    ["PACKED", "attestation_statement_invalid"],
    ["compound", "attestation_statement_invalid"],
    ["android-safetynet", "attestation_format_unsupported"],
  ])("refuses a junk %s attestation with %s", async (format, error) => {
    const { domain, started, response, result } = await signUp({ tamper: { format } });
    expect(result).toEqual({ ok: false, error });
    await expectNothingStored(domain, started.options.user.id, response.id);
  });

  it("refuses a packed attestation whose x5c holds no certificate with attestation_certificate_invalid (it used to be stored unchecked)", async () => {
    const { domain, started, response, result } = await signUp({
      tamper: { format: "packed", attStmt: { alg: -7, sig: new Uint8Array(70).fill(3), x5c: [new Uint8Array(40).fill(4)] } },
    });
    expect(result).toEqual({ ok: false, error: "attestation_certificate_invalid" });
    await expectNothingStored(domain, started.options.user.id, response.id);
  });

  it("reports user_already_exists when the identity provider already has the user, storing nothing", async () => {
    const domain = buildDomain();
    domain.identityProvider.failCreateWith = "user_already_exists";
    await expectSignUpRejected("user_already_exists", { domain });
    expect(domain.identityProvider.deleted).toEqual([]);
  });

  it("reports username_taken when the identity provider holds the username as another user's alias, storing nothing", async () => {
    const domain = buildDomain();
    domain.identityProvider.failCreateWith = "username_taken";
    await expectSignUpRejected("username_taken", { domain });
    expect(domain.identityProvider.deleted).toEqual([]);
  });

  it("reports user_creation_failed when the identity provider is unavailable, storing nothing", async () => {
    const domain = buildDomain();
    domain.identityProvider.failCreateWith = "identity_provider_unavailable";
    await expectSignUpRejected("user_creation_failed", { domain });
  });

  it("deletes the identity user and rethrows when storing the credential throws", async () => {
    const domain = buildDomain();
    const started = await startSignUp(domain);
    const response = new SoftwareAuthenticator().createCredential(started.options, { origin: ORIGIN });
    domain.credentials.add = async () => {
      throw new Error("store unavailable");
    };
    await expect(domain.registration.finish(started.sessionId, response)).rejects.toThrow("store unavailable");
    expect(domain.identityProvider.users.size).toBe(0);
    expect(domain.identityProvider.deleted).toEqual([started.options.user.id]);
  });

  it("never stores anything for a failed sign-up (every failure above leaves the stores empty)", async () => {
    // A sweep over one failure per stage, on a single domain, to show nothing accumulates.
    const domain = buildDomain();
    const tampers: [RegistrationTamper, RegistrationError][] = [
      [{ clientData: { origin: "https://evil.example" } }, "origin_mismatch"],
      [{ rpId: "evil.example" }, "rp_id_hash_mismatch"],
      [{ flags: { uv: false } }, "user_not_verified"],
      [{ omitAttestedCredentialData: true }, "attested_credential_data_missing"],
      [{ credentialId: new Uint8Array(1024) }, "credential_id_too_long"],
      [{ format: "none", attStmt: { junk: 1 } }, "attestation_statement_invalid"],
    ];
    for (const [tamper, code] of tampers) {
      const { result } = await signUp({ domain, tamper });
      expect(result).toEqual({ ok: false, error: code });
    }
    expect(domain.identityProvider.users.size).toBe(0);
    expect(domain.identityProvider.deleted).toEqual([]);
  });
});

describe("registration: signature counter", () => {
  it("stores the signature counter the authenticator reported at registration", async () => {
    const { domain, response, result } = await signUp({ tamper: { counter: 10 } });
    expect(result.ok).toBe(true);
    expect((await domain.credentials.findCredential(response.id))?.counter).toBe(10);
  });

  it("rejects a first assertion whose counter is not above the registration counter", async () => {
    const { domain, authenticator, response, result } = await signUp({ tamper: { counter: 10 } });
    const registered = okValue(result);
    const options = await domain.authentication.startForUser(registered.userHandle);
    const assertion = authenticator.getAssertion(options, { origin: ORIGIN, tamper: { counter: 5 } });
    expect(await domain.authentication.finish(assertion)).toEqual({ ok: false, error: "counter_not_increased" });
    expect((await domain.credentials.findCredential(response.id))?.counter).toBe(10);
  });

  it("stores a registration counter at or above 2^31 as the unsigned value it is", async () => {
    const { domain, response, result } = await signUp({ tamper: { counter: 0xfffffff0 } });
    expect(result.ok).toBe(true);
    expect((await domain.credentials.findCredential(response.id))?.counter).toBe(0xfffffff0);
  });
});

function p384Coordinates(): { x: Uint8Array; y: Uint8Array } {
  const jwk = generateKeyPairSync("ec", { namedCurve: "secp384r1" }).publicKey.export({ format: "jwk" });
  return { x: fromB64url(jwk.x!), y: fromB64url(jwk.y!) };
}
