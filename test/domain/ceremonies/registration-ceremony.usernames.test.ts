/**
 * Unique usernames (ADR 0017): one canonical form (`usernameKey`, RFC 8265 UsernameCaseMapped's case
 * mapping over the prepared name) decides uniqueness; the username as typed is what is kept and shown.
 * A taken username is refused at start; two sign-ups that both started with a free one are decided by
 * the store at finish.
 */
import { describe, expect, it } from "vitest";
import { prepareUsername, usernameKey } from "../../../src/domain/ceremonies/names.js";
import type { VerifiedIdentity } from "../../../src/ports/identity-provider.js";
import { buildDomain, ORIGIN, type Domain } from "../../support/domain-harness.js";
import { aVerifiedIdentity } from "../../support/kit.js";
import { SoftwareAuthenticator } from "../../support/software-authenticator.js";

function okValue<T>(result: { ok: true; value: T } | { ok: false; error: string }): T {
  if (!result.ok) throw new Error(`expected ok, got ${result.error}`);
  return result.value;
}

/** A sign-up that has started and has the authenticator's answer, ready to finish. */
async function startedSignUp(domain: Domain, username: string, displayName = "Erin") {
  const started = okValue(await domain.registration.startForNewUser({ username, displayName }));
  const response = new SoftwareAuthenticator().createCredential(started.options, { origin: ORIGIN });
  return { started, response, finish: () => domain.registration.finish(started.sessionId, response) };
}

async function signUp(domain: Domain, username: string) {
  const { started, finish } = await startedSignUp(domain, username);
  return { handle: started.options.user.id, registered: okValue(await finish()) };
}

const key = (typed: string): string => {
  const prepared = prepareUsername(typed);
  if (prepared === null) throw new Error(`test data: ${JSON.stringify(typed)} is not a username`);
  return usernameKey(prepared);
};

describe("sign-up: usernames compared the way people read them", () => {
  it('keeps "Erin" as typed, keyed "erin", and refuses "ERIN" and fullwidth "ｅｒｉｎ" at start: one account', async () => {
    const domain = buildDomain();
    const { handle } = await signUp(domain, "Erin");

    for (const rival of ["ERIN", "erin", "ｅｒｉｎ", "ＥＲＩＮ"]) {
      expect(await domain.registration.startForNewUser({ username: rival, displayName: "Someone" })).toEqual({ ok: false, error: "username_taken" });
    }

    const account = await domain.credentials.findUserByUsername("erin");
    expect(account).toMatchObject({ userHandle: handle, username: "Erin", usernameKey: "erin" });
    expect(await domain.credentials.findUserByHandle(handle)).toEqual(account);
    expect(domain.identityProvider.users.size).toBe(1);
  });

  it("gives the composed and the decomposed é one key (NFC), so the second is taken", async () => {
    const composed = "ren\u00e9e";
    const decomposed = "rene\u0301e";
    expect(key(composed)).toBe(key(decomposed));
    expect(key("REN\u00c9E")).toBe(key(decomposed));

    const domain = buildDomain();
    await signUp(domain, decomposed);

    expect(await domain.registration.startForNewUser({ username: composed, displayName: "Renée" })).toEqual({ ok: false, error: "username_taken" });
    // What is kept is the prepared (NFC) name.
    expect((await domain.credentials.findUserByUsername(key(composed)))?.username).toBe(composed);
  });

  it("keeps look-alikes apart: Latin \"anna\" and \"аnna\" with a Cyrillic а (U+0430) are two accounts, as RFC 8265 has it", async () => {
    const latin = "anna";
    const cyrillic = "\u0430nna";
    expect(key(latin)).not.toBe(key(cyrillic));

    const domain = buildDomain();
    const first = await signUp(domain, latin);
    const second = await signUp(domain, cyrillic);

    expect(first.handle).not.toBe(second.handle);
    expect((await domain.credentials.findUserByUsername(key(latin)))?.userHandle).toBe(first.handle);
    expect((await domain.credentials.findUserByUsername(key(cyrillic)))?.userHandle).toBe(second.handle);
  });

  it("checks the names' rules before whether the username is taken", async () => {
    const domain = buildDomain();
    await signUp(domain, "erin");
    expect(await domain.registration.startForNewUser({ username: "ERIN", displayName: "\u202enire" })).toEqual({ ok: false, error: "display_name_invalid" });
    expect(await domain.registration.startForNewUser({ username: "erin ", displayName: "Erin" })).toEqual({ ok: false, error: "username_invalid" });
  });

  it("lets exactly one of two sign-ups with one username, both started while it was free and finished at once, through; the other's identity user is deleted", async () => {
    const domain = buildDomain();
    const first = await startedSignUp(domain, "erin", "Erin One");
    const second = await startedSignUp(domain, "ERIN", "Erin Two");

    const results = await Promise.all([first.finish(), second.finish()]);

    const winners = results.filter((result) => result.ok);
    expect(winners).toHaveLength(1);
    expect(results.filter((result) => !result.ok)).toEqual([{ ok: false, error: "username_taken" }]);
    const [winner, loser] = results[0].ok ? [first, second] : [second, first];
    const loserHandle = loser.started.options.user.id;
    // The loser's identity user was created (its finish got that far) and deleted again.
    expect(domain.identityProvider.deleted).toEqual([loserHandle]);
    expect([...domain.identityProvider.users.keys()]).toEqual([winner.started.options.user.id]);
    expect(await domain.credentials.findUserByHandle(loserHandle)).toBeNull();
    expect(await domain.credentials.findCredential(loser.response.id)).toBeNull();
    expect((await domain.credentials.findUserByUsername("erin"))?.userHandle).toBe(winner.started.options.user.id);
  });

  it("leaves the username of a sign-up that failed free", async () => {
    const domain = buildDomain();
    const failed = await startedSignUp(domain, "erin");
    expect(await domain.registration.finish(failed.started.sessionId, { ...failed.response, type: "not-public-key" })).toEqual({ ok: false, error: "credential_type_invalid" });

    const { handle } = await signUp(domain, "Erin");

    expect((await domain.credentials.findUserByUsername("erin"))?.userHandle).toBe(handle);
  });
});

describe("a password user's first passkey: a username no one else has", () => {
  const passwordUser = (overrides: Partial<VerifiedIdentity> = {}): VerifiedIdentity =>
    aVerifiedIdentity({ identityUserId: "carol-pw-1", subject: "sub-carol", preferredUsername: "carol", name: "Carol C", ...overrides });

  it("answers username_taken when the username they give is taken", async () => {
    const domain = buildDomain();
    await signUp(domain, "Dave");

    expect(await domain.registration.startForExistingUser(passwordUser(), { username: "dave" })).toEqual({ ok: false, error: "username_taken" });
    expect(okValue(await domain.registration.startForExistingUser(passwordUser(), { username: "dave2" })).options.user.name).toBe("dave2");
  });

  it("uses the token's preferred_username when it is free", async () => {
    const domain = buildDomain();
    const started = okValue(await domain.registration.startForExistingUser(passwordUser()));
    expect(started.options.user.name).toBe("carol");
  });

  it("falls back to the identity user id's username when the token's is taken, and stores its key with the account", async () => {
    const domain = buildDomain();
    await signUp(domain, "CAROL");
    const identity = passwordUser();

    const started = okValue(await domain.registration.startForExistingUser(identity));
    expect(started.options.user.name).toBe("carol-pw-1");
    const response = new SoftwareAuthenticator().createCredential(started.options, { origin: ORIGIN });
    okValue(await domain.registration.finish(started.sessionId, response, identity));

    expect(await domain.credentials.findUserByIdentity("carol-pw-1")).toMatchObject({ username: "carol-pw-1", usernameKey: "carol-pw-1" });
    expect((await domain.credentials.findUserByUsername("carol"))?.username).toBe("CAROL");
  });

  it("answers username_taken when the token's username and the fallback are both taken, until they give a free one", async () => {
    const domain = buildDomain();
    await signUp(domain, "carol");
    await signUp(domain, "Carol-PW-1");
    const identity = passwordUser();

    expect(await domain.registration.startForExistingUser(identity)).toEqual({ ok: false, error: "username_taken" });
    expect(okValue(await domain.registration.startForExistingUser(identity, { username: "carol.c" })).options.user.name).toBe("carol.c");
  });

  it("keeps a linked user's own username without asking whether it is taken", async () => {
    const domain = buildDomain();
    const { registered } = await signUp(domain, "Erin");
    const identity = aVerifiedIdentity({ identityUserId: registered.identityUserId, preferredUsername: "erin", name: "Erin" });

    expect(okValue(await domain.registration.startForExistingUser(identity)).options.user.name).toBe("Erin");
  });

  it("answers username_taken at finish when a sign-up took the username meanwhile, and keeps their identity user", async () => {
    const domain = buildDomain();
    const identity = passwordUser();
    const started = okValue(await domain.registration.startForExistingUser(identity));
    expect(started.options.user.name).toBe("carol");
    await signUp(domain, "Carol");

    const response = new SoftwareAuthenticator().createCredential(started.options, { origin: ORIGIN });
    expect(await domain.registration.finish(started.sessionId, response, identity)).toEqual({ ok: false, error: "username_taken" });

    expect(await domain.credentials.findUserByIdentity("carol-pw-1")).toBeNull();
    expect(await domain.credentials.findCredential(response.id)).toBeNull();
    // Their identity user is theirs (a password user), not one this ceremony created: it is not deleted.
    expect(domain.identityProvider.deleted).toEqual([]);
  });
});

describe("registration: a username is never shaped like a user handle", () => {
  it("refuses at sign-up a username that looks like a 32-byte base64url handle, as anyone's handle would", async () => {
    const domain = buildDomain();
    const handleShaped = "A".repeat(20) + "b-_" + "9".repeat(20);
    expect(handleShaped).toHaveLength(43);
    expect(await domain.registration.startForNewUser({ username: handleShaped, displayName: "Mallory" })).toEqual({ ok: false, error: "username_invalid" });
    expect(domain.sessions.size).toBe(0);
  });

  it("refuses it when a signed-in user without an account gives it, too", async () => {
    const domain = buildDomain();
    const caller = aVerifiedIdentity({ identityUserId: "pw-user", authenticatedAt: domain.clock.now() });
    expect(await domain.registration.startForExistingUser(caller, { username: "x".repeat(43) })).toEqual({ ok: false, error: "username_invalid" });
  });

  it("accepts names of other lengths made of the same characters", async () => {
    const domain = buildDomain();
    expect((await domain.registration.startForNewUser({ username: "x".repeat(42), displayName: "X" })).ok).toBe(true);
    expect((await domain.registration.startForNewUser({ username: "y".repeat(44), displayName: "Y" })).ok).toBe(true);
  });
});
