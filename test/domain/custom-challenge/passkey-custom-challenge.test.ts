/**
 * PasskeyCustomChallenge.verify without the private challenge that Create kept: before issue 9 the
 * ceremony's expectation then had no challenge, so an assertion for any other unconsumed sign-in of
 * the same user was accepted. It now fails closed, before the answer is even parsed.
 */
import { describe, expect, it } from "vitest";
import { PasskeyCustomChallenge } from "../../../src/domain/custom-challenge/passkey-custom-challenge.js";
import { buildDomainWithUser, ORIGIN } from "../../support/domain-harness.js";

async function setUp() {
  const { domain, authenticator, user } = await buildDomainWithUser();
  const custom = new PasskeyCustomChallenge({ credentials: domain.credentials, authentication: domain.authentication, activity: domain.activity });
  /** A username-first custom challenge for alice, and her passkey's answer to it. */
  const issueAndAnswer = async () => {
    const issued = await custom.issue(user.value.identityUserId);
    const options = JSON.parse(issued.publicParameters.credentialRequestOptions);
    return { issued, answer: JSON.stringify(authenticator.getAssertion(options, { origin: ORIGIN })) };
  };
  return { domain, authenticator, custom, identityUserId: user.value.identityUserId, issueAndAnswer };
}

describe("PasskeyCustomChallenge.verify", () => {
  it("accepts the answer to the challenge it issued", async () => {
    const { custom, identityUserId, issueAndAnswer } = await setUp();
    const { issued, answer } = await issueAndAnswer();
    expect(await custom.verify(identityUserId, answer, issued.privateParameters)).toMatchObject({ ok: true });
  });

  it("refuses an answer to another sign-in of the same user when the private challenge is missing, and leaves that sign-in unconsumed", async () => {
    const { custom, identityUserId, issueAndAnswer } = await setUp();
    const { issued: other, answer: otherAnswer } = await issueAndAnswer();
    await issueAndAnswer(); // the sign-in Cognito's session is about, whose private challenge went missing
    expect(await custom.verify(identityUserId, otherAnswer, {})).toEqual({ ok: false, error: "challenge_mismatch" });
    // Not parsed, so not consumed: the other sign-in still takes its own answer.
    expect(await custom.verify(identityUserId, otherAnswer, other.privateParameters)).toMatchObject({ ok: true });
  });

  it.each([
    ["an empty string", ""],
    ["a number", 42],
    ["null", null],
    ["an object", { challenge: "x" }],
  ])("refuses a private challenge that is %s", async (_label, challenge) => {
    const { custom, identityUserId, issueAndAnswer } = await setUp();
    const { answer } = await issueAndAnswer();
    const parameters = { challenge } as unknown as { readonly challenge: string };
    expect(await custom.verify(identityUserId, answer, parameters)).toEqual({ ok: false, error: "challenge_mismatch" });
  });

  it("still accepts a discoverable answer with the private challenge present (ADR 0009), and refuses it without", async () => {
    const { domain, authenticator, custom, identityUserId, issueAndAnswer } = await setUp();
    const { issued } = await issueAndAnswer();
    const discover = JSON.stringify(authenticator.getAssertion(await domain.authentication.startDiscoverable(), { origin: ORIGIN }));
    expect(await custom.verify(identityUserId, discover, {})).toEqual({ ok: false, error: "challenge_mismatch" });
    expect(await custom.verify(identityUserId, discover, issued.privateParameters)).toMatchObject({ ok: true });
  });
});
