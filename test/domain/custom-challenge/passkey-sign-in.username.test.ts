/**
 * Identifier-first sign-in (`start({ username })`) and the `credential_not_found` answer of finish, on the
 * domain built by hand. The identity provider here plays Cognito's challenge step with keyport's own
 * `PasskeyCustomChallenge`, so what start answers is what the Create trigger would publish.
 */
import { describe, expect, it } from "vitest";
import { AuthenticationCeremony } from "../../../src/domain/ceremonies/authentication-ceremony.js";
import { usernameKey } from "../../../src/domain/ceremonies/names.js";
import { PasskeyCustomChallenge } from "../../../src/domain/custom-challenge/passkey-custom-challenge.js";
import { PasskeySignIn } from "../../../src/domain/custom-challenge/passkey-sign-in.js";
import type { PublicKeyCredentialRequestOptionsJSON } from "../../../src/domain/encoding/webauthn-json.js";
import { ok, type Result } from "../../../src/domain/result.js";
import type { IdentityProvider, SignInChallenge, SignInError, TokenSet } from "../../../src/ports/identity-provider.js";
import { buildDomain, ORIGIN, type Domain } from "../../support/domain-harness.js";
import { FakeIdentityProvider } from "../../support/fake-identity-provider.js";
import { aStoredCredentialFor, aUserAccount, uniqueId } from "../../support/kit.js";
import { b64url, SoftwareAuthenticator } from "../../support/software-authenticator.js";

const BASE64URL = /^[A-Za-z0-9_-]+$/;

/** Starts sign-ins as Cognito does (the Create trigger's challenge), and records the answers it is given, accepting them all. */
class ChallengingIdentityProvider implements IdentityProvider {
  readonly started: string[] = [];
  readonly answers: { identityUserId: string; session: string; answer: string }[] = [];
  private readonly rest = new FakeIdentityProvider();

  constructor(private readonly challenge: PasskeyCustomChallenge) {}

  async startSignIn(identityUserId: string): Promise<Result<SignInChallenge, SignInError>> {
    this.started.push(identityUserId);
    const issued = await this.challenge.issue(identityUserId);
    return ok({ session: `session-${this.started.length}`, challengeParameters: issued.publicParameters });
  }

  async answerChallenge(identityUserId: string, session: string, answer: string): Promise<Result<TokenSet, SignInError>> {
    this.answers.push({ identityUserId, session, answer });
    return ok({ accessToken: "a", idToken: "i", refreshToken: "r", expiresIn: 3600, tokenType: "Bearer" as const });
  }

  createUser = this.rest.createUser.bind(this.rest);
  deleteUser = this.rest.deleteUser.bind(this.rest);
  updateUser = this.rest.updateUser.bind(this.rest);
  setPasskeyEnrolled = this.rest.setPasskeyEnrolled.bind(this.rest);
  revokeRefreshToken = this.rest.revokeRefreshToken.bind(this.rest);
  signOutEverywhere = this.rest.signOutEverywhere.bind(this.rest);
  refreshTokens = this.rest.refreshTokens.bind(this.rest);
  verifyIdToken = this.rest.verifyIdToken.bind(this.rest);
}

function setUp(domain: Domain = buildDomain()) {
  const identityProvider = new ChallengingIdentityProvider(new PasskeyCustomChallenge({ credentials: domain.credentials, authentication: domain.authentication, activity: domain.activity }));
  const signIn = new PasskeySignIn({ relyingParty: domain.relyingParty, credentials: domain.credentials, identityProvider, authentication: domain.authentication, activity: domain.activity });
  return { domain, identityProvider, signIn };
}

/** A user "Erin" with one passkey, registered straight into the store. */
async function withErin(domain: Domain) {
  const account = aUserAccount({ username: "Erin", usernameKey: usernameKey("Erin") });
  const credential = aStoredCredentialFor(account, { transports: ["internal"] });
  expect(await domain.credentials.add(credential, account)).toBe("added");
  return { account, credential };
}

async function optionsFor(signIn: PasskeySignIn, username: string): Promise<PublicKeyCredentialRequestOptionsJSON> {
  const started = await signIn.start({ username });
  if (!started.ok) throw new Error(`start({ username: ${username} }): ${started.error}`);
  return started.value.credentialRequestOptions;
}

const ids = (options: PublicKeyCredentialRequestOptionsJSON) => options.allowCredentials.map((c) => c.id);
const byteLength = (id: string) => Buffer.from(id, "base64url").length;

describe("PasskeySignIn: identifier-first start", () => {
  it("finds the user by username, whatever the letter case or width, and starts the sign-in for their identity", async () => {
    const { domain, signIn, identityProvider } = setUp();
    const { account, credential } = await withErin(domain);
    for (const spelling of ["Erin", "ERIN", "erin", "ｅｒｉｎ"]) {
      expect(ids(await optionsFor(signIn, spelling))).toEqual([credential.credentialId]);
    }
    expect(new Set(identityProvider.started)).toEqual(new Set([account.identityUserId]));
  });

  it("passes a linked user's identity user id, not the handle or the username, when they differ", async () => {
    const { domain, signIn, identityProvider } = setUp();
    const account = aUserAccount({ identityUserId: "pre-existing@example.com", username: "frank", usernameKey: "frank" });
    await domain.credentials.add(aStoredCredentialFor(account), account);
    await optionsFor(signIn, "Frank");
    expect(identityProvider.started).toEqual(["pre-existing@example.com"]);
  });

  it("refuses what cannot be a username with username_invalid, before any look-up", async () => {
    const { signIn, identityProvider } = setUp();
    for (const username of ["", " ", "has space", "a".repeat(65), "a\u0000b", "\u202Eevil", 42, null]) {
      expect(await signIn.start({ username })).toEqual({ ok: false, error: "username_invalid" });
    }
    expect(identityProvider.started).toEqual([]);
  });

  it("refuses a name given both ways, or neither, with user_id_invalid", async () => {
    const { signIn, identityProvider } = setUp();
    const both = { userId: "AAAA", username: "erin" } as unknown as { userId: string };
    expect(await signIn.start(both)).toEqual({ ok: false, error: "user_id_invalid" });
    expect(await signIn.start({} as unknown as { userId: string })).toEqual({ ok: false, error: "user_id_invalid" });
    expect(await signIn.finish("s", both, { id: "c" })).toEqual({ ok: false, error: "user_id_invalid" });
    expect(identityProvider.started).toEqual([]);
    expect(identityProvider.answers).toEqual([]);
  });

  it("still takes a handle as a plain string or as { userId }", async () => {
    const { domain, signIn, identityProvider } = setUp();
    const { account, credential } = await withErin(domain);
    for (const user of [account.userHandle, { userId: account.userHandle }]) {
      const started = await signIn.start(user);
      expect(started.ok && ids(started.value.credentialRequestOptions)).toEqual([credential.credentialId]);
    }
    expect(identityProvider.started).toEqual([account.identityUserId, account.identityUserId]);
  });
});

describe("PasskeySignIn: an unknown username looks like a known one", () => {
  it("starts the sign-in for a stand-in handle: handle-shaped, stable, one per username, never the name itself", async () => {
    const { signIn, identityProvider } = setUp();
    await optionsFor(signIn, "nobody");
    await optionsFor(signIn, "NOBODY");
    await optionsFor(signIn, "somebody-else");
    const [first, again, other] = identityProvider.started;
    expect(first).toMatch(BASE64URL);
    expect(byteLength(first ?? "")).toBe(32);
    expect(again).toBe(first);
    expect(other).not.toBe(first);
    expect(identityProvider.started).not.toContain("nobody");
  });

  it("answers with a fake credential list that is stable for the name, different for another, and shaped like a real one", async () => {
    const { domain, signIn } = setUp();
    await withErin(domain);
    const real = await optionsFor(signIn, "erin");
    const unknown = await optionsFor(signIn, "zed");
    expect(ids(await optionsFor(signIn, "Zed"))).toEqual(ids(unknown));
    expect(ids(await optionsFor(signIn, "zed"))).toEqual(ids(unknown));
    expect(ids(await optionsFor(signIn, "yvonne"))).not.toEqual(ids(unknown));

    expect(Object.keys(unknown).sort()).toEqual(Object.keys(real).sort());
    expect(unknown.allowCredentials.length).toBeGreaterThanOrEqual(1);
    expect(unknown.allowCredentials.length).toBeLessThanOrEqual(2);
    for (const descriptor of unknown.allowCredentials) {
      expect(Object.keys(descriptor).sort()).toEqual(Object.keys(real.allowCredentials[0] ?? {}).sort());
      expect(descriptor.type).toBe("public-key");
      expect(descriptor.id).toMatch(BASE64URL);
      expect([16, 20, 32, 64]).toContain(byteLength(descriptor.id));
      expect(descriptor.transports?.length).toBeGreaterThan(0);
      expect(descriptor.transports).toEqual([...(descriptor.transports ?? [])].sort());
    }
  });

  it("gives many unknown usernames many different lists, of both lengths", async () => {
    const { signIn } = setUp();
    const lists = await Promise.all(Array.from({ length: 40 }, (_, i) => optionsFor(signIn, `ghost${i}`)));
    expect(new Set(lists.map((options) => ids(options).join(","))).size).toBe(40);
    expect(new Set(lists.map((options) => options.allowCredentials.length))).toEqual(new Set([1, 2]));
  });

  it("derives the stand-in from the secret: the same for the same secret, another for another", async () => {
    const { domain } = setUp();
    expect(buildDomain().authentication.handleForUnknownUsername("zed")).toBe(domain.authentication.handleForUnknownUsername("zed"));
    expect(domainWithSecret(new Uint8Array(32).fill(9)).authentication.handleForUnknownUsername("zed")).not.toBe(
      domain.authentication.handleForUnknownUsername("zed"),
    );
  });
});

describe("PasskeySignIn: finish by username", () => {
  it("answers the provider for the identity start used, the known user's or the unknown name's stand-in", async () => {
    const { domain, signIn, identityProvider } = setUp();
    const { account, credential } = await withErin(domain);
    const answer = { id: credential.credentialId, rawId: credential.credentialId, type: "public-key" };
    expect((await signIn.finish("s1", { username: "ERIN" }, answer)).ok).toBe(true);
    const fake = ids(await optionsFor(signIn, "zed"))[0] ?? "";
    expect((await signIn.finish("s2", { username: "zed" }, { ...answer, id: fake, rawId: fake })).ok).toBe(true);
    expect(identityProvider.answers.map((a) => a.identityUserId)).toEqual([account.identityUserId, identityProvider.started[0]]);
  });

  it("refuses an invalid username with username_invalid after the session check, without asking the provider", async () => {
    const { signIn, identityProvider } = setUp();
    expect(await signIn.finish("", { username: "erin" }, {})).toEqual({ ok: false, error: "session_invalid" });
    expect(await signIn.finish("s", { username: "no spaces" }, {})).toEqual({ ok: false, error: "username_invalid" });
    expect(identityProvider.answers).toEqual([]);
  });
});

describe("PasskeySignIn: a passkey the server does not know", () => {
  it("answers credential_not_found for an unregistered credential id, without asking the provider", async () => {
    const { domain, signIn, identityProvider } = setUp();
    const { account } = await withErin(domain);
    const unknownId = uniqueId(16);
    const answer = { id: unknownId, rawId: unknownId, type: "public-key", response: {} };
    expect(await signIn.finish("s", { username: "erin" }, answer)).toEqual({ ok: false, error: "credential_not_found" });
    expect(await signIn.finish("s", account.userHandle, answer)).toEqual({ ok: false, error: "credential_not_found" });
    expect(await signIn.finish("s", { username: "zed" }, answer)).toEqual({ ok: false, error: "credential_not_found" });
    expect(identityProvider.answers).toEqual([]);
  });

  it("hands a registered credential to the provider, whoever it belongs to, so a list's real IDs and fake IDs fare alike", async () => {
    const { domain, signIn, identityProvider } = setUp();
    const { credential } = await withErin(domain);
    const realId = credential.credentialId;
    const fakeIds = [...ids(await optionsFor(signIn, "zed")), ...ids(await optionsFor(signIn, "yvonne"))];
    // Each listed ID, real or made up, presented for the name it was listed for and for another one.
    for (const id of [realId, ...fakeIds]) {
      for (const username of ["erin", "zed", "xavier"]) {
        expect((await signIn.finish("s", { username }, { id, rawId: id, type: "public-key" })).ok).toBe(true);
      }
    }
    expect(identityProvider.answers).toHaveLength(3 * (1 + fakeIds.length));
  });

  it("leaves an id it cannot read to the provider's verification (no id, id ≠ rawId, not base64url, too long)", async () => {
    const { signIn, identityProvider } = setUp();
    const long = b64url(new Uint8Array(1024));
    for (const credential of [{}, { id: "x" }, { id: "AAAA", rawId: "BBBB" }, { id: "not base64!", rawId: "not base64!" }, { id: long, rawId: long }, { id: 7, rawId: 7 }]) {
      expect((await signIn.finish("s", { username: "erin" }, credential)).ok).toBe(true);
    }
    expect(identityProvider.answers).toHaveLength(6);
  });

  it("does not take a fake ID made with another secret, or an altered one, for its own", async () => {
    const { signIn, identityProvider } = setUp();
    const foreign = ids(await optionsFor(setUp(domainWithSecret(new Uint8Array(32).fill(9))).signIn, "zed"))[0] ?? "";
    expect(await signIn.finish("s", { username: "zed" }, { id: foreign, rawId: foreign })).toEqual({ ok: false, error: "credential_not_found" });
    const own = ids(await optionsFor(signIn, "zed"))[0] ?? "";
    const altered = `${own[0] === "A" ? "B" : "A"}${own.slice(1)}`;
    expect(await signIn.finish("s", { username: "zed" }, { id: altered, rawId: altered })).toEqual({ ok: false, error: "credential_not_found" });
    expect((await signIn.finish("s", { username: "zed" }, { id: own, rawId: own })).ok).toBe(true);
    expect(identityProvider.answers).toHaveLength(1);
  });

  it("refuses the passkey of a sign-up that was never finished, as an authenticator presents it", async () => {
    const domain = buildDomain();
    const { signIn } = setUp(domain);
    const authenticator = new SoftwareAuthenticator();
    const started = await domain.registration.startForNewUser({ username: "Wendy", displayName: "Wendy" });
    if (!started.ok) throw new Error(started.error);
    const created = authenticator.createCredential(started.value.options, { origin: ORIGIN });
    // Never finished: the authenticator holds a passkey the server never stored.
    const assertion = authenticator.getAssertion(await signIn.discover(), { origin: ORIGIN });
    expect(assertion.rawId).toBe(created.rawId);
    expect(await signIn.finish("s", assertion.response.userHandle ?? "", assertion)).toEqual({ ok: false, error: "credential_not_found" });
  });
});

/** The harness's domain with another unknown-user secret (nobody without it can precompute a stand-in or a fake ID). */
function domainWithSecret(unknownUserSecret: Uint8Array): Domain {
  const domain = buildDomain();
  return { ...domain, authentication: new AuthenticationCeremony({ ...domain, unknownUserSecret }) };
}
