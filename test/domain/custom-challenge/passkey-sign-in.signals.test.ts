/**
 * PasskeySignIn.finish after issue 11: the signals a sign-in answers with, `credential_not_found` with
 * its unknownCredential signal, and `credential_disabled`, which only the holder of the disabled passkey
 * is told. The identity provider here plays Cognito faithfully: its challenge and verification steps are
 * keyport's PasskeyCustomChallenge, so an answer it accepts is one the Verify trigger would accept.
 */
import { describe, expect, it } from "vitest";
import { PasskeyCustomChallenge } from "../../../src/domain/custom-challenge/passkey-custom-challenge.js";
import { PasskeySignIn } from "../../../src/domain/custom-challenge/passkey-sign-in.js";
import type { AuthenticationError } from "../../../src/domain/ceremonies/errors.js";
import type { PublicKeyCredentialRequestOptionsJSON } from "../../../src/domain/encoding/webauthn-json.js";
import { err, ok, type Result } from "../../../src/domain/result.js";
import type { IdentityProvider, SignInChallenge, SignInError, TokenSet } from "../../../src/ports/identity-provider.js";
import { buildDomain, ORIGIN, RP_ID } from "../../support/domain-harness.js";
import { FakeIdentityProvider } from "../../support/fake-identity-provider.js";
import { aVerifiedIdentity, uniqueId } from "../../support/kit.js";
import { SoftwareAuthenticator } from "../../support/software-authenticator.js";

const TOKENS: TokenSet = { accessToken: "a", idToken: "i", refreshToken: "r", expiresIn: 3600, tokenType: "Bearer" };

/** Cognito as keyport's triggers make it: Create issues keyport's challenge, Verify runs keyport's verification. */
class CustomChallengeIdentityProvider implements IdentityProvider {
  private readonly sessions = new Map<string, { identityUserId: string; challenge: string }>();
  /** What each answer's verification said: the Verify trigger's code, which Cognito never passes on. */
  readonly verdicts: (AuthenticationError | "ok")[] = [];
  private readonly rest = new FakeIdentityProvider();

  constructor(private readonly custom: PasskeyCustomChallenge) {}

  createUser = this.rest.createUser.bind(this.rest);
  deleteUser = this.rest.deleteUser.bind(this.rest);
  updateUser = this.rest.updateUser.bind(this.rest);
  setPasskeyEnrolled = this.rest.setPasskeyEnrolled.bind(this.rest);
  revokeRefreshToken = this.rest.revokeRefreshToken.bind(this.rest);
  signOutEverywhere = this.rest.signOutEverywhere.bind(this.rest);
  refreshTokens = this.rest.refreshTokens.bind(this.rest);
  verifyIdToken = this.rest.verifyIdToken.bind(this.rest);

  async startSignIn(identityUserId: string): Promise<Result<SignInChallenge, SignInError>> {
    const issued = await this.custom.issue(identityUserId);
    const session = `session-${this.sessions.size + 1}`;
    this.sessions.set(session, { identityUserId, challenge: issued.privateParameters.challenge });
    return ok({ session, challengeParameters: issued.publicParameters });
  }

  async answerChallenge(identityUserId: string, session: string, answer: string): Promise<Result<TokenSet, SignInError>> {
    const started = this.sessions.get(session);
    if (started === undefined || started.identityUserId !== identityUserId) return err("sign_in_session_invalid");
    this.sessions.delete(session);
    const verified = await this.custom.verify(identityUserId, answer, { challenge: started.challenge });
    this.verdicts.push(verified.ok ? "ok" : verified.error);
    return verified.ok ? ok(TOKENS) : err("sign_in_failed");
  }
}

function okValue<T>(result: { ok: true; value: T } | { ok: false; error: string }): T {
  if (!result.ok) throw new Error(`expected ok, got ${result.error}`);
  return result.value;
}

/** Erin with two passkeys on one authenticator, the first of them disabled. */
async function setUp() {
  const domain = buildDomain();
  const identityProvider = new CustomChallengeIdentityProvider(new PasskeyCustomChallenge({ credentials: domain.credentials, authentication: domain.authentication, activity: domain.activity }));
  const signIn = new PasskeySignIn({ relyingParty: domain.relyingParty, credentials: domain.credentials, identityProvider, authentication: domain.authentication, activity: domain.activity });

  const authenticator = new SoftwareAuthenticator();
  const started = okValue(await domain.registration.startForNewUser({ username: "Erin", displayName: "Erin Example" }));
  const disabled = okValue(await domain.registration.finish(started.sessionId, authenticator.createCredential(started.options, { origin: ORIGIN })));
  const identity = aVerifiedIdentity({ identityUserId: disabled.identityUserId, authenticatedAt: domain.clock.now() });
  const adding = okValue(await domain.registration.startForExistingUser(identity));
  const enabled = okValue(await domain.registration.finish(adding.sessionId, authenticator.createCredential(adding.options, { origin: ORIGIN }), identity));
  okValue(await domain.management.updatePasskey(identity, disabled.credentialId, { enabled: false }));

  const start = async (): Promise<{ session: string; options: PublicKeyCredentialRequestOptionsJSON }> => {
    const begun = okValue(await signIn.start({ username: "erin" }));
    return { session: begun.session, options: begun.credentialRequestOptions };
  };
  return { domain, identityProvider, signIn, authenticator, disabled, enabled, userHandle: disabled.userHandle, start };
}

describe("PasskeySignIn.finish: a successful sign-in", () => {
  it("answers the tokens with the user's enabled passkeys and current names as signals", async () => {
    const { signIn, authenticator, enabled, userHandle, start, identityProvider } = await setUp();
    const { session, options } = await start();
    expect(options.allowCredentials.map((c) => c.id)).toEqual([enabled.credentialId]);
    const assertion = authenticator.getAssertion(options, { origin: ORIGIN });

    expect(await signIn.finish(session, { username: "ERIN" }, assertion)).toEqual({
      ok: true,
      value: {
        tokens: TOKENS,
        signals: [
          { signalName: "allAcceptedCredentials", rpID: RP_ID, userID: userHandle, allAcceptedCredentialIDs: [enabled.credentialId] },
          { signalName: "currentUserDetails", rpID: RP_ID, userID: userHandle, userName: "Erin", userDisplayName: "Erin Example" },
        ],
      },
    });
    expect(identityProvider.verdicts).toEqual(["ok"]);
  });

  it("answers no signals when the provider signs in a user keyport has no account for", async () => {
    const domain = buildDomain();
    const provider = new (class extends FakeIdentityProvider {
      override async answerChallenge(): Promise<Result<TokenSet, SignInError>> {
        return ok(TOKENS);
      }
    })();
    const signIn = new PasskeySignIn({ relyingParty: domain.relyingParty, credentials: domain.credentials, identityProvider: provider, authentication: domain.authentication, activity: domain.activity });
    expect(await signIn.finish("s", "AAAAAAAAAAAAAAAAAAAAAA", { id: "c" })).toEqual({ ok: true, value: { tokens: TOKENS, signals: [] } });
  });
});

describe("PasskeySignIn.finish: a passkey keyport does not have", () => {
  it("is credential_not_found before the provider is asked, and its failure signal tells the passkey provider to drop it", async () => {
    const { signIn, start, identityProvider } = await setUp();
    const { session } = await start();
    const unknownId = uniqueId(16);
    const presented = { id: unknownId, rawId: unknownId, type: "public-key", response: {} };
    expect(await signIn.finish(session, { username: "erin" }, presented)).toEqual({ ok: false, error: "credential_not_found" });
    expect(identityProvider.verdicts).toEqual([]);
    expect(signIn.failureSignals("credential_not_found", presented)).toEqual([{ signalName: "unknownCredential", rpID: RP_ID, credentialID: unknownId }]);
  });

  it("has no failure signal without a well-formed credential id, or for any other failure", async () => {
    const { signIn, enabled } = await setUp();
    for (const credential of [null, "text", {}, { id: "AAAA", rawId: "BBBB" }, { id: "not base64!", rawId: "not base64!" }]) {
      expect(signIn.failureSignals("credential_not_found", credential)).toEqual([]);
    }
    const known = { id: enabled.credentialId, rawId: enabled.credentialId };
    for (const code of ["sign_in_failed", "credential_disabled", "session_invalid"]) expect(signIn.failureSignals(code, known)).toEqual([]);
  });
});

describe("PasskeySignIn.finish: a disabled passkey", () => {
  it("is credential_disabled for its holder, before the provider is asked, and the session still takes another passkey", async () => {
    const { signIn, authenticator, disabled, enabled, start, identityProvider } = await setUp();
    const { session, options } = await start();
    // Not offered, but the authenticator still has it and the user picks it.
    const assertion = authenticator.getAssertion(options, { origin: ORIGIN, credentialId: disabled.credentialId });
    expect(await signIn.finish(session, { username: "erin" }, assertion)).toEqual({ ok: false, error: "credential_disabled" });
    expect(identityProvider.verdicts).toEqual([]);

    const withEnabled = authenticator.getAssertion(options, { origin: ORIGIN, credentialId: enabled.credentialId });
    expect((await signIn.finish(session, { username: "erin" }, withEnabled)).ok).toBe(true);
  });

  it("is credential_disabled for its holder in a discoverable sign-in too", async () => {
    const { signIn, authenticator, disabled, identityProvider } = await setUp();
    const assertion = authenticator.getAssertion(await signIn.discover(), { origin: ORIGIN, credentialId: disabled.credentialId });
    const begun = okValue(await signIn.start({ userId: assertion.response.userHandle }));
    expect(await signIn.finish(begun.session, { userId: disabled.userHandle }, assertion)).toEqual({ ok: false, error: "credential_disabled" });
    expect(identityProvider.verdicts).toEqual([]);
  });

  it("goes to the provider when the signature does not prove possession, and fails there without the precise code", async () => {
    const { signIn, authenticator, disabled, identityProvider } = await setUp();
    const forged = authenticator.getAssertion(await signIn.discover(), { origin: ORIGIN, credentialId: disabled.credentialId, tamper: { signWithOtherKey: true } });
    const begun = okValue(await signIn.start({ userId: disabled.userHandle }));
    expect(await signIn.finish(begun.session, { userId: disabled.userHandle }, forged)).toEqual({ ok: false, error: "sign_in_failed" });
    // The Verify trigger refused it; what it found stays with the provider.
    expect(identityProvider.verdicts).toEqual(["credential_disabled"]);
  });

  it("never signs in through the provider, even with a valid signature (the provider's verification refuses it too)", async () => {
    const { domain, signIn, authenticator, disabled, identityProvider } = await setUp();
    const assertion = authenticator.getAssertion(await signIn.discover(), { origin: ORIGIN, credentialId: disabled.credentialId });
    const begun = okValue(await signIn.start({ userId: disabled.userHandle }));
    // Straight to the provider, as a client that skips keyport's finish would.
    const account = await domain.credentials.findUserByHandle(disabled.userHandle);
    expect(await identityProvider.answerChallenge(account?.identityUserId ?? "", begun.session, JSON.stringify(assertion))).toEqual({
      ok: false,
      error: "sign_in_failed",
    });
    expect(identityProvider.verdicts).toEqual(["credential_disabled"]);
  });
});
