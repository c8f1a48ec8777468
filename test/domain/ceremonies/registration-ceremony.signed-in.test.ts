/**
 * Adding a passkey is a sensitive action (issue 9 item 1): it needs a recent sign-in, and the user who
 * started it must finish it; a session id alone adds nothing to anyone's account.
 */
import { describe, expect, it } from "vitest";
import { ORIGIN, buildDomain, buildDomainWithUser } from "../../support/domain-harness.js";
import { aVerifiedIdentity } from "../../support/kit.js";
import { SoftwareAuthenticator } from "../../support/software-authenticator.js";

const FIVE_MINUTES = 300_000;

async function startAdding(domain: ReturnType<typeof buildDomain>, identityUserId = "carol@example.com") {
  const caller = aVerifiedIdentity({ identityUserId, authenticatedAt: domain.clock.now() });
  const started = await domain.registration.startForExistingUser(caller);
  if (!started.ok) throw new Error(started.error);
  const response = new SoftwareAuthenticator().createCredential(started.value.options, { origin: ORIGIN });
  return { caller, started: started.value, response };
}

describe("registration for a signed-in user: a recent sign-in", () => {
  it("accepts a sign-in five minutes old, by default", async () => {
    const domain = buildDomain();
    const caller = aVerifiedIdentity({ authenticatedAt: domain.clock.now() });
    domain.clock.advance(FIVE_MINUTES);
    expect((await domain.registration.startForExistingUser(caller)).ok).toBe(true);
  });

  it("refuses a token whose sign-in is older (a refresh hours later keeps auth_time) with reauthentication_required, and starts nothing", async () => {
    const domain = buildDomain();
    const caller = aVerifiedIdentity({ authenticatedAt: domain.clock.now() });
    domain.clock.advance(FIVE_MINUTES + 1);
    expect(await domain.registration.startForExistingUser(caller)).toEqual({ ok: false, error: "reauthentication_required" });
    domain.clock.advance(6 * 3_600_000);
    expect(await domain.registration.startForExistingUser(caller, { displayName: "Carol" })).toEqual({ ok: false, error: "reauthentication_required" });
    expect(domain.sessions.size).toBe(0);
  });

  it("refuses a token that does not say when its user signed in", async () => {
    const domain = buildDomain();
    expect(await domain.registration.startForExistingUser(aVerifiedIdentity({ authenticatedAt: null }))).toEqual({
      ok: false,
      error: "reauthentication_required",
    });
  });

  it("follows the relying party's setting", async () => {
    const domain = buildDomain({ rp: { sensitiveActionMaxAgeMs: 60_000 } });
    const caller = aVerifiedIdentity({ authenticatedAt: domain.clock.now() });
    domain.clock.advance(60_001);
    expect(await domain.registration.startForExistingUser(caller)).toEqual({ ok: false, error: "reauthentication_required" });
  });
});

describe("registration for a signed-in user: finished by the same user", () => {
  it("adds the passkey when the user who started it finishes it", async () => {
    const domain = buildDomain();
    const { caller, started, response } = await startAdding(domain);
    expect(await domain.registration.finish(started.sessionId, response, caller)).toMatchObject({ ok: true, value: { identityUserId: caller.identityUserId } });
  });

  it("refuses a finish that names nobody with token_missing, and stores nothing", async () => {
    const domain = buildDomain();
    const { started, response } = await startAdding(domain);
    expect(await domain.registration.finish(started.sessionId, response)).toEqual({ ok: false, error: "token_missing" });
    expect(await domain.credentials.findCredential(response.id)).toBeNull();
    expect(await domain.credentials.findUserByIdentity("carol@example.com")).toBeNull();
  });

  it("refuses a finish by another user with registration_identity_mismatch, and stores nothing", async () => {
    const domain = buildDomain();
    const { started, response } = await startAdding(domain);
    const mallory = aVerifiedIdentity({ identityUserId: "mallory" });
    expect(await domain.registration.finish(started.sessionId, response, mallory)).toEqual({ ok: false, error: "registration_identity_mismatch" });
    expect(await domain.credentials.findCredential(response.id)).toBeNull();
  });

  it("burns the session on a refused finish, so a second try cannot use it either", async () => {
    const domain = buildDomain();
    const { caller, started, response } = await startAdding(domain);
    await domain.registration.finish(started.sessionId, response, aVerifiedIdentity({ identityUserId: "mallory" }));
    expect(await domain.registration.finish(started.sessionId, response, caller)).toEqual({ ok: false, error: "session_not_found" });
  });

  it("lets anyone finish a sign-up, token or not (there is no account yet)", async () => {
    const domain = buildDomain();
    const started = await domain.registration.startForNewUser({ username: "dana", displayName: "Dana" });
    if (!started.ok) throw new Error(started.error);
    const response = new SoftwareAuthenticator().createCredential(started.value.options, { origin: ORIGIN });
    expect((await domain.registration.finish(started.value.sessionId, response, aVerifiedIdentity({ identityUserId: "someone" }))).ok).toBe(true);
  });
});

describe("registration for a signed-in user: an account deleted meanwhile", () => {
  it("finishes with account_not_found, and stores nothing, when the account was deleted after the start", async () => {
    const { domain, authenticator, user } = await buildDomainWithUser();
    const caller = aVerifiedIdentity({ identityUserId: user.value.identityUserId, authenticatedAt: domain.clock.now() });
    const started = await domain.registration.startForExistingUser(caller);
    if (!started.ok) throw new Error(started.error);
    const response = authenticator.createCredential(started.value.options, { origin: ORIGIN });

    expect(await domain.management.deleteAccount(caller)).toMatchObject({ ok: true });
    expect(await domain.registration.finish(started.value.sessionId, response, caller)).toEqual({ ok: false, error: "account_not_found" });
    expect(await domain.credentials.listCredentials(user.value.userHandle)).toEqual([]);
    expect(await domain.credentials.findUserByHandle(user.value.userHandle)).toBeNull();
  });
});
