/**
 * Registration's security activity (issue 12): a sign-up is `registration.succeeded` of the new user, a
 * signed-in user's new passkey `passkey.added`; a failure is `registration.failed` of a signed-in user's
 * account, and only the operator's count for a sign-up (no user yet) or a user without an account.
 */
import { describe, expect, it } from "vitest";
import type { RequestContext } from "../../../src/domain/activity/security-events.js";
import { StorageUnavailableError } from "../../../src/ports/storage-unavailable-error.js";
import { aaguidBytes, buildDomain, ORIGIN, TEST_AAGUIDS, type Domain } from "../../support/domain-harness.js";
import { aVerifiedIdentity, BASE_TIME } from "../../support/kit.js";
import { SoftwareAuthenticator } from "../../support/software-authenticator.js";

const CONTEXT: RequestContext = { sourceIp: "203.0.113.9", userAgent: "Mozilla/5.0 Firefox/140.0", correlationId: "req-1" };
const FIVE_MINUTES = 5 * 60_000;

function okValue<T>(result: { ok: true; value: T } | { ok: false; error: string }): T {
  if (!result.ok) throw new Error(`expected ok, got ${result.error}`);
  return result.value;
}

/** Alice, signed up with an iCloud Keychain passkey; what the sign-up recorded is forgotten. */
async function withAlice(domain: Domain) {
  const authenticator = new SoftwareAuthenticator({ aaguid: aaguidBytes(TEST_AAGUIDS.iCloudKeychain) });
  const started = okValue(await domain.registration.startForNewUser({ username: "alice", displayName: "Alice" }));
  const user = okValue(await domain.registration.finish(started.sessionId, authenticator.createCredential(started.options, { origin: ORIGIN })));
  const identity = aVerifiedIdentity({ identityUserId: user.identityUserId, authenticatedAt: domain.clock.now() });
  domain.events.clear();
  domain.metrics.clear();
  return { authenticator, user, identity };
}

describe("registration's activity: a sign-up", () => {
  it("is registration.succeeded of the new user, naming the passkey and its authenticator, with the request's context", async () => {
    const domain = buildDomain();
    const authenticator = new SoftwareAuthenticator({ aaguid: aaguidBytes(TEST_AAGUIDS.yubiKey5), transports: ["usb"] });
    const started = okValue(await domain.registration.startForNewUser({ username: "alice", displayName: "Alice" }, CONTEXT));
    const user = okValue(await domain.registration.finish(started.sessionId, authenticator.createCredential(started.options, { origin: ORIGIN }), null, CONTEXT));
    expect(await domain.events.trailOf(user.userHandle)).toEqual([
      {
        type: "registration.succeeded",
        eventId: expect.any(String),
        at: BASE_TIME,
        userHandle: user.userHandle,
        credentialId: user.credentialId,
        passkeyName: "YubiKey 5 Series",
        authenticatorName: "YubiKey 5 Series",
        context: CONTEXT,
      },
    ]);
    expect(domain.metrics.counted).toEqual([{ ceremony: "registration", outcome: "succeeded" }]);
    expect(domain.lost.reported).toEqual([]);
  });

  it("that fails is the operator's count only, at start and at finish: there is no user yet", async () => {
    const domain = buildDomain();
    await withAlice(domain);
    expect((await domain.registration.startForNewUser({ username: "", displayName: "X" }, CONTEXT)).ok).toBe(false);
    expect((await domain.registration.startForNewUser({ username: "bob", displayName: "\u0000" }, CONTEXT)).ok).toBe(false);
    expect((await domain.registration.startForNewUser({ username: "ALICE", displayName: "Alice 2" }, CONTEXT)).ok).toBe(false);
    const started = okValue(await domain.registration.startForNewUser({ username: "bob", displayName: "Bob" }, CONTEXT));
    const response = new SoftwareAuthenticator().createCredential(started.options, { origin: "https://evil.example" });
    expect(await domain.registration.finish(started.sessionId, response, null, CONTEXT)).toEqual({ ok: false, error: "origin_mismatch" });
    expect(await domain.registration.finish("A".repeat(43), response, null, CONTEXT)).toEqual({ ok: false, error: "session_not_found" });

    expect(domain.events.appended).toEqual([]);
    expect(domain.metrics.counted).toEqual([
      { ceremony: "registration", outcome: "failed", code: "username_invalid" },
      { ceremony: "registration", outcome: "failed", code: "display_name_invalid" },
      { ceremony: "registration", outcome: "failed", code: "username_taken" },
      { ceremony: "registration", outcome: "failed", code: "origin_mismatch" },
      { ceremony: "registration", outcome: "failed", code: "session_not_found" },
    ]);
  });

  it("whose identity user cannot be created is counted with the code the API reports", async () => {
    const domain = buildDomain();
    domain.identityProvider.failCreateWith = "identity_provider_unavailable";
    const started = okValue(await domain.registration.startForNewUser({ username: "alice", displayName: "Alice" }));
    const response = new SoftwareAuthenticator().createCredential(started.options, { origin: ORIGIN });
    expect(await domain.registration.finish(started.sessionId, response)).toEqual({ ok: false, error: "user_creation_failed" });
    expect(domain.events.appended).toEqual([]);
    expect(domain.metrics.counted).toEqual([{ ceremony: "registration", outcome: "failed", code: "user_creation_failed" }]);
  });
});

describe("registration's activity: a signed-in user", () => {
  it("adding a passkey is passkey.added of their account, named after the authenticator and made unique", async () => {
    const domain = buildDomain();
    const { authenticator, user, identity } = await withAlice(domain);
    const adding = okValue(await domain.registration.startForExistingUser(identity, {}, CONTEXT));
    const added = okValue(await domain.registration.finish(adding.sessionId, authenticator.createCredential(adding.options, { origin: ORIGIN }), identity, CONTEXT));
    expect(added.name).toBe("iCloud Keychain (2)");
    expect(domain.events.appended).toEqual([
      {
        type: "passkey.added",
        eventId: expect.any(String),
        at: BASE_TIME,
        userHandle: user.userHandle,
        credentialId: added.credentialId,
        passkeyName: "iCloud Keychain (2)",
        authenticatorName: "iCloud Keychain",
        context: CONTEXT,
      },
    ]);
    expect(domain.metrics.counted).toEqual([{ ceremony: "registration", outcome: "succeeded" }]);
  });

  it("who signed in another way and adds a first passkey gets passkey.added of the account it creates", async () => {
    const domain = buildDomain();
    const identity = aVerifiedIdentity({ identityUserId: "carol@example.com", preferredUsername: "carol", authenticatedAt: domain.clock.now() });
    const adding = okValue(await domain.registration.startForExistingUser(identity, {}, CONTEXT));
    const added = okValue(await domain.registration.finish(adding.sessionId, new SoftwareAuthenticator().createCredential(adding.options, { origin: ORIGIN }), identity, CONTEXT));
    expect(domain.events.appended).toEqual([expect.objectContaining({ type: "passkey.added", userHandle: added.userHandle, credentialId: added.credentialId })]);
  });

  it("whose registration fails gets registration.failed with the code the API reports, at start and at finish", async () => {
    const domain = buildDomain();
    const { authenticator, user, identity } = await withAlice(domain);
    // Too old a sign-in to add a passkey: someone holding an old token tried.
    domain.clock.advance(FIVE_MINUTES + 1);
    expect(await domain.registration.startForExistingUser(identity, {}, CONTEXT)).toEqual({ ok: false, error: "reauthentication_required" });
    const fresh = { ...identity, authenticatedAt: domain.clock.now() };
    const adding = okValue(await domain.registration.startForExistingUser(fresh, {}, CONTEXT));
    const response = authenticator.createCredential(adding.options, { origin: "https://evil.example" });
    expect(await domain.registration.finish(adding.sessionId, response, fresh, CONTEXT)).toEqual({ ok: false, error: "origin_mismatch" });
    // The session is spent: finishing again is a failure of the caller's account too.
    expect(await domain.registration.finish(adding.sessionId, response, fresh, CONTEXT)).toEqual({ ok: false, error: "session_not_found" });

    expect(domain.events.appended.map((event) => [event.type, "code" in event ? event.code : null, event.userHandle, event.context])).toEqual([
      ["registration.failed", "reauthentication_required", user.userHandle, CONTEXT],
      ["registration.failed", "origin_mismatch", user.userHandle, CONTEXT],
      ["registration.failed", "session_not_found", user.userHandle, CONTEXT],
    ]);
    expect(domain.metrics.counted).toEqual([
      { ceremony: "registration", outcome: "failed", code: "reauthentication_required" },
      { ceremony: "registration", outcome: "failed", code: "origin_mismatch" },
      { ceremony: "registration", outcome: "failed", code: "session_not_found" },
    ]);
  });

  it("whose registration someone else tries to finish gets registration.failed, and the other caller gets nothing", async () => {
    const domain = buildDomain();
    const { authenticator, user, identity } = await withAlice(domain);
    const adding = okValue(await domain.registration.startForExistingUser(identity, {}, CONTEXT));
    const response = authenticator.createCredential(adding.options, { origin: ORIGIN });
    const mallory = aVerifiedIdentity({ identityUserId: "mallory", authenticatedAt: domain.clock.now() });
    expect(await domain.registration.finish(adding.sessionId, response, mallory, CONTEXT)).toEqual({ ok: false, error: "registration_identity_mismatch" });
    expect(domain.events.appended).toEqual([expect.objectContaining({ type: "registration.failed", code: "registration_identity_mismatch", userHandle: user.userHandle })]);
  });

  it("without an account here fails without a user's event: counted only", async () => {
    const domain = buildDomain();
    const identity = aVerifiedIdentity({ identityUserId: "carol@example.com", authenticatedAt: domain.clock.now() - FIVE_MINUTES - 1 });
    expect(await domain.registration.startForExistingUser(identity, {}, CONTEXT)).toEqual({ ok: false, error: "reauthentication_required" });
    const fresh = { ...identity, authenticatedAt: domain.clock.now() };
    const adding = okValue(await domain.registration.startForExistingUser(fresh, {}, CONTEXT));
    const response = new SoftwareAuthenticator().createCredential(adding.options, { origin: "https://evil.example" });
    expect(await domain.registration.finish(adding.sessionId, response, fresh, CONTEXT)).toEqual({ ok: false, error: "origin_mismatch" });
    expect(domain.events.appended).toEqual([]);
    expect(domain.metrics.counted).toEqual([
      { ceremony: "registration", outcome: "failed", code: "reauthentication_required" },
      { ceremony: "registration", outcome: "failed", code: "origin_mismatch" },
    ]);
  });
});

describe("registration's activity when the event store fails", () => {
  it("still signs up and adds passkeys, and reports each event as lost", async () => {
    const domain = buildDomain();
    const fault = new StorageUnavailableError("append security event", true, new Error("ThrottlingException"));
    domain.events.failWith = fault;
    const authenticator = new SoftwareAuthenticator();
    const started = okValue(await domain.registration.startForNewUser({ username: "alice", displayName: "Alice" }, CONTEXT));
    const user = okValue(await domain.registration.finish(started.sessionId, authenticator.createCredential(started.options, { origin: ORIGIN }), null, CONTEXT));
    const identity = aVerifiedIdentity({ identityUserId: user.identityUserId, authenticatedAt: domain.clock.now() });
    const adding = okValue(await domain.registration.startForExistingUser(identity, {}, CONTEXT));
    const added = okValue(await domain.registration.finish(adding.sessionId, authenticator.createCredential(adding.options, { origin: ORIGIN }), identity, CONTEXT));
    expect(await domain.credentials.listCredentials(user.userHandle)).toHaveLength(2);
    expect(domain.lost.reported).toEqual([
      { event: expect.objectContaining({ type: "registration.succeeded", userHandle: user.userHandle, credentialId: user.credentialId, context: CONTEXT }), fault },
      { event: expect.objectContaining({ type: "passkey.added", userHandle: user.userHandle, credentialId: added.credentialId, context: CONTEXT }), fault },
    ]);
  });

  it("answers a signed-in user's failure as before when the account cannot even be read for the event", async () => {
    const domain = buildDomain();
    const { identity } = await withAlice(domain);
    domain.credentials.findUserByIdentity = async () => {
      throw new StorageUnavailableError("find user", true, new Error("ThrottlingException"));
    };
    domain.clock.advance(FIVE_MINUTES + 1);
    expect(await domain.registration.startForExistingUser(identity, {}, CONTEXT)).toEqual({ ok: false, error: "reauthentication_required" });
    expect(domain.metrics.counted).toEqual([{ ceremony: "registration", outcome: "failed", code: "reauthentication_required" }]);
  });
});
