import { describe, expect, it } from "vitest";
import { PasskeySignIn } from "../../../src/domain/custom-challenge/passkey-sign-in.js";
import { ok } from "../../../src/domain/result.js";
import { buildDomain } from "../../support/domain-harness.js";
import { FakeIdentityProvider } from "../../support/fake-identity-provider.js";

/** An identity provider that records the answers it is given and accepts them all. */
class RecordingIdentityProvider extends FakeIdentityProvider {
  readonly answers: { identityUserId: string; session: string; answer: string }[] = [];
  override async answerChallenge(identityUserId: string, session: string, answer: string) {
    this.answers.push({ identityUserId, session, answer });
    return ok({ accessToken: "a", idToken: "i", refreshToken: "r", expiresIn: 3600, tokenType: "Bearer" as const });
  }
}

function setUp() {
  const domain = buildDomain();
  const identityProvider = new RecordingIdentityProvider();
  const signIn = new PasskeySignIn({ relyingParty: domain.relyingParty, credentials: domain.credentials, identityProvider, authentication: domain.authentication, activity: domain.activity });
  return { domain, identityProvider, signIn };
}

const USER_ID = "AAAAAAAAAAAAAAAAAAAAAA";

describe("PasskeySignIn", () => {
  it("rejects a user id that is not base64url of at most 64 bytes before asking the identity provider", async () => {
    const { signIn } = setUp();
    for (const userId of [undefined, 42, "", "has space", "pad==", "A".repeat(87)]) {
      expect(await signIn.start({ userId })).toEqual({ ok: false, error: "user_id_invalid" });
    }
  });

  it("rejects a missing or oversized session and a credential that is not an object", async () => {
    const { signIn, identityProvider } = setUp();
    expect(await signIn.finish("", USER_ID, {})).toEqual({ ok: false, error: "session_invalid" });
    expect(await signIn.finish("x".repeat(8 * 1024 + 1), USER_ID, {})).toEqual({ ok: false, error: "session_invalid" });
    expect(await signIn.finish("s", USER_ID, [])).toEqual({ ok: false, error: "credential_invalid" });
    expect(await signIn.finish("s", USER_ID, "text")).toEqual({ ok: false, error: "credential_invalid" });
    expect(identityProvider.answers).toEqual([]);
  });

  it("answers a credential nested too deeply to serialise with credential_invalid, not an exception", async () => {
    const { signIn, identityProvider } = setUp();
    let deep: Record<string, unknown> = {};
    for (let i = 0; i < 100_000; i++) deep = { a: deep };
    expect(await signIn.finish("s", USER_ID, deep)).toEqual({ ok: false, error: "credential_invalid" });
    expect(identityProvider.answers).toEqual([]);
  });

  it("refuses an answer larger than the challenge verification accepts", async () => {
    const { signIn } = setUp();
    expect(await signIn.finish("s", USER_ID, { id: "x".repeat(40 * 1024) })).toEqual({ ok: false, error: "credential_invalid" });
  });

  it("passes an unknown user's handle on unchanged, so the provider treats known and unknown alike", async () => {
    const { signIn, identityProvider } = setUp();
    expect((await signIn.finish("s", USER_ID, { id: "c" })).ok).toBe(true);
    expect(identityProvider.answers).toEqual([{ identityUserId: USER_ID, session: "s", answer: '{"id":"c"}' }]);
  });

  it("refuses an empty or oversized refresh token without asking the provider", async () => {
    const { signIn } = setUp();
    expect(await signIn.refresh("")).toEqual({ ok: false, error: "refresh_token_invalid" });
    expect(await signIn.refresh(7)).toEqual({ ok: false, error: "refresh_token_invalid" });
    expect(await signIn.refresh("r".repeat(8 * 1024 + 1))).toEqual({ ok: false, error: "refresh_token_invalid" });
  });
});
