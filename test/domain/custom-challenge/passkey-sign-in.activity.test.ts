/**
 * Sign-in's security activity (issue 12), end to end on the hand-built domain with the local identity
 * provider running keyport's real triggers: keyport's HTTP path (PasskeySignIn) and a client that talks
 * to the provider directly each record exactly one event per sign-in, in the right user's trail, with the
 * request's context only where keyport sealed it; refreshes and failures as the issue lists them.
 */
import { describe, expect, it } from "vitest";
import type { RequestContext } from "../../../src/domain/activity/security-events.js";
import { SEALED_CONTEXT_METADATA_KEY } from "../../../src/domain/activity/request-context-seal.js";
import { UNKNOWN_REQUEST_CONTEXT } from "../../../src/domain/activity/security-events.js";
import { StorageUnavailableError } from "../../../src/ports/storage-unavailable-error.js";
import { aaguidBytes, buildSignInDomain, ORIGIN, TEST_AAGUIDS } from "../../support/domain-harness.js";
import { aVerifiedIdentity, BASE_TIME, uniqueId } from "../../support/kit.js";
import { SoftwareAuthenticator } from "../../support/software-authenticator.js";

const CONTEXT: RequestContext = { sourceIp: "203.0.113.9", userAgent: "Mozilla/5.0 Firefox/140.0", correlationId: "req-1" };

/** `promise`, or a failure saying `what` if it has not settled within a second. */
function within(promise: Promise<void>, what: string): Promise<void> {
  return Promise.race([promise, new Promise<void>((_, reject) => setTimeout(() => reject(new Error(what)), 1000))]);
}

function okValue<T>(result: { ok: true; value: T } | { ok: false; error: string }): T {
  if (!result.ok) throw new Error(`expected ok, got ${result.error}`);
  return result.value;
}

/** Alice (an iCloud Keychain passkey) and Bob (a YubiKey), signed up; what that recorded is forgotten. */
async function setUp() {
  const domain = buildSignInDomain();
  const signUp = async (username: string, authenticator: SoftwareAuthenticator) => {
    const started = okValue(await domain.registration.startForNewUser({ username, displayName: username }));
    return okValue(await domain.registration.finish(started.sessionId, authenticator.createCredential(started.options, { origin: ORIGIN })));
  };
  const aliceKey = new SoftwareAuthenticator({ aaguid: aaguidBytes(TEST_AAGUIDS.iCloudKeychain) });
  const bobKey = new SoftwareAuthenticator({ aaguid: aaguidBytes(TEST_AAGUIDS.yubiKey5), transports: ["usb"] });
  const alice = await signUp("alice", aliceKey);
  const bob = await signUp("bob", bobKey);
  domain.events.clear();
  domain.metrics.clear();
  const start = async (username: string) => okValue(await domain.signIn.start({ username }, CONTEXT));
  return { domain, alice, bob, aliceKey, bobKey, start };
}

describe("sign-in's activity through keyport's HTTP path (PasskeySignIn)", () => {
  it("records one sign_in.succeeded in the user's trail, naming the passkey, with the request's context, and counts it once", async () => {
    const { domain, alice, aliceKey, start } = await setUp();
    const begun = await start("alice");
    const assertion = aliceKey.getAssertion(begun.credentialRequestOptions, { origin: ORIGIN });
    expect((await domain.signIn.finish(begun.session, { username: "alice" }, assertion, CONTEXT)).ok).toBe(true);
    expect(domain.events.appended).toEqual([
      {
        type: "sign_in.succeeded",
        eventId: expect.any(String),
        at: BASE_TIME,
        userHandle: alice.userHandle,
        credentialId: alice.credentialId,
        passkeyName: "iCloud Keychain",
        authenticatorName: "iCloud Keychain",
        context: CONTEXT,
      },
    ]);
    expect(domain.metrics.counted).toEqual([{ ceremony: "sign_in", outcome: "succeeded" }]);
  });

  it("writes the success beside the signals' read of the user's passkeys, not after it", async () => {
    const { domain, alice, aliceKey, start } = await setUp();
    const begun = await start("alice");
    const assertion = aliceKey.getAssertion(begun.credentialRequestOptions, { origin: ORIGIN });
    // The list waits for the append to have started, and the append for the list to have started: done
    // one after the other, the two would wait for each other for ever.
    let listStarted = () => {};
    const listing = new Promise<void>((resolve) => (listStarted = resolve));
    let appendStarted = () => {};
    const appending = new Promise<void>((resolve) => (appendStarted = resolve));
    const { credentials, events } = domain;
    const list = credentials.listCredentials.bind(credentials);
    credentials.listCredentials = async (handle) => {
      listStarted();
      await within(appending, "the read waited for a write that never started");
      return list(handle);
    };
    const append = events.append.bind(events);
    events.append = async (event) => {
      appendStarted();
      await within(listing, "the write waited for a read that never started");
      return append(event);
    };
    expect((await domain.signIn.finish(begun.session, { username: "alice" }, assertion, CONTEXT)).ok).toBe(true);
    expect(domain.events.appended).toEqual([expect.objectContaining({ type: "sign_in.succeeded", userHandle: alice.userHandle })]);
  });

  it("records a refusal in the Verify trigger, with the precise code and the context sealed through the provider", async () => {
    const { domain, alice, aliceKey, start } = await setUp();
    const begun = await start("alice");
    const assertion = aliceKey.getAssertion(begun.credentialRequestOptions, { origin: "https://evil.example" });
    expect(await domain.signIn.finish(begun.session, { username: "alice" }, assertion, CONTEXT)).toEqual({ ok: false, error: "sign_in_failed" });
    expect(domain.events.appended).toEqual([
      expect.objectContaining({ type: "sign_in.failed", code: "origin_mismatch", userHandle: alice.userHandle, credentialId: alice.credentialId, context: CONTEXT }),
    ]);
    // Counted once, by the trigger, under its code (not again as the HTTP API's sign_in_failed).
    expect(domain.metrics.counted).toEqual([{ ceremony: "sign_in", outcome: "failed", code: "origin_mismatch" }]);
  });

  it("records credential_disabled for the passkey's owner, whose signature proved they hold it", async () => {
    const { domain, alice, aliceKey, start } = await setUp();
    const identity = aVerifiedIdentity({ identityUserId: alice.identityUserId, authenticatedAt: domain.clock.now() });
    // A second passkey, so that the first may be disabled.
    const adding = okValue(await domain.registration.startForExistingUser(identity));
    okValue(await domain.registration.finish(adding.sessionId, aliceKey.createCredential(adding.options, { origin: ORIGIN }), identity));
    okValue(await domain.management.updatePasskey(identity, alice.credentialId, { enabled: false }));
    domain.events.clear();
    domain.metrics.clear();
    const begun = await start("alice");
    const assertion = aliceKey.getAssertion(begun.credentialRequestOptions, { origin: ORIGIN, credentialId: alice.credentialId });
    expect(await domain.signIn.finish(begun.session, { username: "alice" }, assertion, CONTEXT)).toEqual({ ok: false, error: "credential_disabled" });
    expect(domain.events.appended).toEqual([
      expect.objectContaining({ type: "sign_in.failed", code: "credential_disabled", userHandle: alice.userHandle, credentialId: alice.credentialId, context: CONTEXT }),
    ]);
    expect(domain.metrics.counted).toEqual([{ ceremony: "sign_in", outcome: "failed", code: "credential_disabled" }]);
  });

  it("records no user's event for a passkey keyport does not have: credential_not_found is counted only", async () => {
    const { domain, start } = await setUp();
    const begun = await start("alice");
    const unknown = uniqueId(16);
    expect(await domain.signIn.finish(begun.session, { username: "alice" }, { id: unknown, rawId: unknown, type: "public-key", response: {} }, CONTEXT)).toEqual({
      ok: false,
      error: "credential_not_found",
    });
    expect(domain.events.appended).toEqual([]);
    expect(domain.metrics.counted).toEqual([{ ceremony: "sign_in", outcome: "failed", code: "credential_not_found" }]);
  });

  it("records no event in anyone's trail for another user's passkey presented in a sign-in", async () => {
    const { domain, bob, bobKey, start } = await setUp();
    const begun = await start("alice");
    // Bob's own, valid assertion, to Alice's sign-in.
    const assertion = bobKey.getAssertion({ ...begun.credentialRequestOptions, allowCredentials: [] }, { origin: ORIGIN, credentialId: bob.credentialId });
    expect(await domain.signIn.finish(begun.session, { username: "alice" }, assertion, CONTEXT)).toEqual({ ok: false, error: "sign_in_failed" });
    expect(domain.events.appended).toEqual([]);
    expect(domain.metrics.counted).toEqual([{ ceremony: "sign_in", outcome: "failed", code: "credential_not_allowed" }]);
  });

  it("records no event for a user who does not exist, even when a real passkey is presented", async () => {
    const { domain, alice, aliceKey, start } = await setUp();
    const begun = await start("ghost");
    const assertion = aliceKey.getAssertion({ ...begun.credentialRequestOptions, allowCredentials: [] }, { origin: ORIGIN, credentialId: alice.credentialId });
    expect(await domain.signIn.finish(begun.session, { username: "ghost" }, assertion, CONTEXT)).toEqual({ ok: false, error: "sign_in_failed" });
    expect(domain.events.appended).toEqual([]);
    expect(domain.metrics.counted).toEqual([{ ceremony: "sign_in", outcome: "failed", code: "credential_not_allowed" }]);
  });

  it("counts refusals of the request itself, before anyone is asked", async () => {
    const { domain } = await setUp();
    expect((await domain.signIn.start({ userId: "not base64!" }, CONTEXT)).ok).toBe(false);
    expect((await domain.signIn.finish("", "AAAA", {}, CONTEXT)).ok).toBe(false);
    expect((await domain.signIn.finish("s", { username: "" }, {}, CONTEXT)).ok).toBe(false);
    expect((await domain.signIn.finish("s", "AAAA", "text", CONTEXT)).ok).toBe(false);
    expect(domain.events.appended).toEqual([]);
    expect(domain.metrics.counted).toEqual([
      { ceremony: "sign_in", outcome: "failed", code: "user_id_invalid" },
      { ceremony: "sign_in", outcome: "failed", code: "session_invalid" },
      { ceremony: "sign_in", outcome: "failed", code: "username_invalid" },
      { ceremony: "sign_in", outcome: "failed", code: "credential_invalid" },
    ]);
  });

  it("counts a spent sign-in session once, under the code the API reports (the trigger never saw it)", async () => {
    const { domain, aliceKey, start } = await setUp();
    const begun = await start("alice");
    const assertion = aliceKey.getAssertion(begun.credentialRequestOptions, { origin: ORIGIN });
    okValue(await domain.signIn.finish(begun.session, { username: "alice" }, assertion, CONTEXT));
    domain.events.clear();
    domain.metrics.clear();
    expect(await domain.signIn.finish(begun.session, { username: "alice" }, assertion, CONTEXT)).toEqual({ ok: false, error: "sign_in_session_invalid" });
    expect(domain.events.appended).toEqual([]);
    expect(domain.metrics.counted).toEqual([{ ceremony: "sign_in", outcome: "failed", code: "sign_in_session_invalid" }]);
  });

  it("signs in when the event store fails, and reports the event as lost", async () => {
    const { domain, alice, aliceKey, start } = await setUp();
    const fault = new StorageUnavailableError("append security event", true, new Error("ThrottlingException"));
    domain.events.failWith = fault;
    const begun = await start("alice");
    const assertion = aliceKey.getAssertion(begun.credentialRequestOptions, { origin: ORIGIN });
    const signedIn = await domain.signIn.finish(begun.session, { username: "alice" }, assertion, CONTEXT);
    expect(signedIn).toMatchObject({ ok: true, value: { tokens: { tokenType: "Bearer" } } });
    expect(domain.lost.reported).toEqual([{ event: expect.objectContaining({ type: "sign_in.succeeded", userHandle: alice.userHandle, context: CONTEXT }), fault }]);

    // A refusal recorded in the trigger is reported too, and the refusal answered as ever.
    const again = await start("alice");
    const wrong = aliceKey.getAssertion(again.credentialRequestOptions, { origin: "https://evil.example" });
    expect(await domain.signIn.finish(again.session, { username: "alice" }, wrong, CONTEXT)).toEqual({ ok: false, error: "sign_in_failed" });
    expect(domain.lost.reported[1]).toEqual({ event: expect.objectContaining({ type: "sign_in.failed", code: "origin_mismatch", context: CONTEXT }), fault });
  });
});

describe("sign-in's activity for a client that calls the identity provider directly", () => {
  it("is recorded by the Verify trigger, once, without a request context keyport never saw", async () => {
    const { domain, alice, aliceKey } = await setUp();
    const started = okValue(await domain.identityProvider.startSignIn(alice.identityUserId));
    const options = JSON.parse(started.challengeParameters.credentialRequestOptions ?? "null");
    const assertion = aliceKey.getAssertion(options, { origin: ORIGIN });
    expect((await domain.identityProvider.answerChallenge(alice.identityUserId, started.session, JSON.stringify(assertion))).ok).toBe(true);
    expect(domain.events.appended).toEqual([
      expect.objectContaining({ type: "sign_in.succeeded", userHandle: alice.userHandle, credentialId: alice.credentialId, context: UNKNOWN_REQUEST_CONTEXT }),
    ]);
    expect(domain.metrics.counted).toEqual([{ ceremony: "sign_in", outcome: "succeeded" }]);
  });

  it("cannot write an address of its choosing into the trail with forged client metadata", async () => {
    const { domain, alice, aliceKey } = await setUp();
    const claimed = Buffer.from(JSON.stringify({ at: BASE_TIME, sourceIp: "198.51.100.66", userAgent: "Framed", correlationId: null })).toString("base64url");
    const metadata = { [SEALED_CONTEXT_METADATA_KEY]: `${claimed}.${"A".repeat(43)}` };
    for (const origin of ["https://evil.example", ORIGIN]) {
      const started = okValue(await domain.identityProvider.startSignIn(alice.identityUserId));
      const assertion = aliceKey.getAssertion(JSON.parse(started.challengeParameters.credentialRequestOptions ?? "null"), { origin });
      await domain.identityProvider.answerChallenge(alice.identityUserId, started.session, JSON.stringify(assertion), metadata);
    }
    expect(domain.events.appended.map((event) => [event.type, event.context])).toEqual([
      ["sign_in.failed", UNKNOWN_REQUEST_CONTEXT],
      ["sign_in.succeeded", UNKNOWN_REQUEST_CONTEXT],
    ]);
  });
});

describe("refresh's activity", () => {
  async function signedIn() {
    const env = await setUp();
    const begun = await env.start("alice");
    const assertion = env.aliceKey.getAssertion(begun.credentialRequestOptions, { origin: ORIGIN });
    const { tokens } = okValue(await env.domain.signIn.finish(begun.session, { username: "alice" }, assertion, CONTEXT));
    env.domain.events.clear();
    env.domain.metrics.clear();
    return { ...env, tokens };
  }

  it("is token.refreshed of the account the provider names, with or without the user's id", async () => {
    const { domain, alice, tokens } = await signedIn();
    const first = okValue(await domain.signIn.refresh(tokens.refreshToken, undefined, CONTEXT));
    okValue(await domain.signIn.refresh(first.refreshToken, alice.userHandle, CONTEXT));
    expect(domain.events.appended).toEqual([
      { type: "token.refreshed", eventId: expect.any(String), at: BASE_TIME, userHandle: alice.userHandle, context: CONTEXT },
      { type: "token.refreshed", eventId: expect.any(String), at: BASE_TIME, userHandle: alice.userHandle, context: CONTEXT },
    ]);
    expect(domain.metrics.counted).toEqual([
      { ceremony: "refresh", outcome: "succeeded" },
      { ceremony: "refresh", outcome: "succeeded" },
    ]);
  });

  it("that fails is counted only, with the code the API reports", async () => {
    const { domain, bob, tokens } = await signedIn();
    expect(await domain.signIn.refresh("", undefined, CONTEXT)).toEqual({ ok: false, error: "refresh_token_invalid" });
    expect(await domain.signIn.refresh(tokens.refreshToken, "not base64!", CONTEXT)).toEqual({ ok: false, error: "user_id_invalid" });
    // Alice's token presented for Bob.
    expect(await domain.signIn.refresh(tokens.refreshToken, bob.userHandle, CONTEXT)).toEqual({ ok: false, error: "refresh_token_invalid" });
    expect(domain.events.appended).toEqual([]);
    expect(domain.metrics.counted).toEqual([
      { ceremony: "refresh", outcome: "failed", code: "refresh_token_invalid" },
      { ceremony: "refresh", outcome: "failed", code: "user_id_invalid" },
      { ceremony: "refresh", outcome: "failed", code: "refresh_token_invalid" },
    ]);
  });

  it("hands the client its rotated token even when the account cannot be read for the event, or the event stored", async () => {
    const { domain, tokens } = await signedIn();
    domain.events.failWith = new Error("store down");
    const refreshed = okValue(await domain.signIn.refresh(tokens.refreshToken, undefined, CONTEXT));
    expect(domain.lost.reported).toEqual([expect.objectContaining({ event: expect.objectContaining({ type: "token.refreshed" }) })]);
    domain.credentials.findUserByIdentity = async () => {
      throw new StorageUnavailableError("find user", true, new Error("ThrottlingException"));
    };
    expect(await domain.signIn.refresh(refreshed.refreshToken, undefined, CONTEXT)).toMatchObject({ ok: true, value: { refreshToken: expect.any(String) } });
    expect(domain.metrics.counted.at(-1)).toEqual({ ceremony: "refresh", outcome: "succeeded" });
  });
});
