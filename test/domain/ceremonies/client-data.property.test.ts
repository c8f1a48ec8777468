/**
 * Client data, through the real ceremonies (on the in-memory stores, with real signatures):
 * - the challenge is the exact base64url text issued: any other spelling of the same bytes (padding,
 *   standard-base64 characters, non-canonical trailing bits) that a lenient decoder would take is refused;
 * - clientDataJSON that repeats a member is refused as malformed, whichever copy is the genuine one
 *   (JSON.parse alone would keep the last);
 * - topOrigin with crossOrigin true is refused as cross-origin.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { buildDomain, ORIGIN } from "../../support/domain-harness.js";
import type { Domain } from "../../support/domain-harness.js";
import { SoftwareAuthenticator } from "../../support/software-authenticator.js";

const RUNS = 60;
const ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/** The same bytes, spelled otherwise. `variant` picks one; every result decodes, leniently, to the issued bytes. */
function respell(challenge: string, variant: number): string {
  const last = ALPHABET.indexOf(challenge.at(-1) ?? "A");
  const spellings = [
    `${challenge}=`,
    // 32 bytes leave 2 unused bits in the last character: setting them changes the text, not the bytes.
    `${challenge.slice(0, -1)}${ALPHABET[last ^ 1]}`,
    `${challenge.slice(0, -1)}${ALPHABET[last ^ 2]}`,
    `${challenge.slice(0, -1)}${ALPHABET[last ^ 3]}`,
    // Standard base64, when the text has a character that differs; padding otherwise.
    /[-_]/.test(challenge) ? challenge.replaceAll("-", "+").replaceAll("_", "/") : `${challenge}=`,
  ];
  return spellings[variant % spellings.length]!;
}

const lenientBytes = (text: string): string => Buffer.from(text.replaceAll("-", "+").replaceAll("_", "/"), "base64").toString("hex");

type Member = "type" | "challenge" | "origin" | "crossOrigin";

/**
 * clientDataJSON written by hand with `member` twice: the genuine value once and a decoy once, the
 * genuine copy first or last. Whichever copy a lenient parser keeps, one of the two orders would fool it.
 */
function withDuplicate(genuine: Record<Member, unknown>, member: Member, decoy: unknown, genuineLast: boolean): Uint8Array {
  const members = (Object.keys(genuine) as Member[]).map((name) => `${JSON.stringify(name)}:${JSON.stringify(genuine[name])}`);
  const repeat = `${JSON.stringify(member)}:${JSON.stringify(decoy)}`;
  const index = members.findIndex((text) => text.startsWith(`${JSON.stringify(member)}:`));
  const genuineText = members[index]!;
  members.splice(index, 1, ...(genuineLast ? [repeat, genuineText] : [genuineText, repeat]));
  return new TextEncoder().encode(`{${members.join(",")}}`);
}

const DECOYS: Record<Member, unknown> = { type: "payment.get", challenge: "AAAA", origin: "https://evil.example", crossOrigin: true };

async function signUpStart(domain: Domain) {
  const started = await domain.registration.startForNewUser({ username: "alice", displayName: "Alice" });
  if (!started.ok) throw new Error(started.error);
  return started.value;
}

/** A domain with one registered user, for sign-ins. */
async function withUser() {
  const domain = buildDomain();
  const authenticator = new SoftwareAuthenticator();
  const { sessionId, options } = await signUpStart(domain);
  const registered = await domain.registration.finish(sessionId, authenticator.createCredential(options, { origin: ORIGIN }));
  if (!registered.ok) throw new Error(registered.error);
  return { domain, authenticator, user: registered.value };
}

describe("the challenge is the exact text issued", () => {
  it("registration accepts the challenge as issued (control)", async () => {
    const domain = buildDomain();
    const { sessionId, options } = await signUpStart(domain);
    const result = await domain.registration.finish(sessionId, new SoftwareAuthenticator().createCredential(options, { origin: ORIGIN }));
    expect(result.ok).toBe(true);
  });

  it("registration refuses any other spelling of the same bytes with challenge_mismatch, storing nothing", async () => {
    const domain = buildDomain();
    const authenticator = new SoftwareAuthenticator();
    await fc.assert(
      fc.asyncProperty(fc.nat(), async (variant) => {
        const { sessionId, options } = await signUpStart(domain);
        const challenge = respell(options.challenge, variant);
        expect(challenge).not.toBe(options.challenge);
        expect(lenientBytes(challenge)).toBe(lenientBytes(options.challenge));
        const response = authenticator.createCredential(options, { origin: ORIGIN, tamper: { clientData: { challenge } } });
        expect(await domain.registration.finish(sessionId, response)).toEqual({ ok: false, error: "challenge_mismatch" });
        expect(await domain.credentials.findCredential(response.id)).toBeNull();
      }),
      { numRuns: RUNS },
    );
  });

  it("sign-in refuses any other spelling of the same bytes: it names no session, and nothing is recorded", async () => {
    const { domain, authenticator, user } = await withUser();
    await fc.assert(
      fc.asyncProperty(fc.nat(), fc.boolean(), async (variant, discoverable) => {
        const options = discoverable ? await domain.authentication.startDiscoverable() : await domain.authentication.startForUser(user.userHandle);
        const challenge = respell(options.challenge, variant);
        expect(lenientBytes(challenge)).toBe(lenientBytes(options.challenge));
        const assertion = authenticator.getAssertion(options, { origin: ORIGIN, tamper: { clientData: { challenge } } });
        const result = await domain.authentication.finish(assertion);
        expect(result.ok).toBe(false);
        expect(["session_not_found", "challenge_mismatch"]).toContain(!result.ok && result.error);
      }),
      { numRuns: RUNS },
    );
    expect((await domain.credentials.findCredential(user.credentialId))?.counter).toBe(0);
  });
});

describe("clientDataJSON that repeats a member", () => {
  it("registration refuses it with malformed_client_data, whichever copy comes last", async () => {
    const domain = buildDomain();
    const authenticator = new SoftwareAuthenticator();
    await fc.assert(
      fc.asyncProperty(fc.constantFrom<Member>("type", "challenge", "origin", "crossOrigin"), fc.boolean(), async (member, genuineLast) => {
        const { sessionId, options } = await signUpStart(domain);
        const genuine = { type: "webauthn.create", challenge: options.challenge, origin: ORIGIN, crossOrigin: false };
        const rawClientDataJSON = withDuplicate(genuine, member, DECOYS[member], genuineLast);
        const response = authenticator.createCredential(options, { origin: ORIGIN, tamper: { rawClientDataJSON } });
        expect(await domain.registration.finish(sessionId, response)).toEqual({ ok: false, error: "malformed_client_data" });
      }),
      { numRuns: RUNS },
    );
  });

  it("sign-in refuses it with malformed_client_data even though the authenticator signed those very bytes", async () => {
    const { domain, authenticator, user } = await withUser();
    await fc.assert(
      fc.asyncProperty(fc.constantFrom<Member>("type", "challenge", "origin", "crossOrigin"), fc.boolean(), async (member, genuineLast) => {
        const options = await domain.authentication.startForUser(user.userHandle);
        const genuine = { type: "webauthn.get", challenge: options.challenge, origin: ORIGIN, crossOrigin: false };
        const rawClientDataJSON = withDuplicate(genuine, member, DECOYS[member], genuineLast);
        const assertion = authenticator.getAssertion(options, { origin: ORIGIN, tamper: { rawClientDataJSON } });
        expect(await domain.authentication.finish(assertion)).toEqual({ ok: false, error: "malformed_client_data" });
      }),
      { numRuns: RUNS },
    );
    expect((await domain.credentials.findCredential(user.credentialId))?.counter).toBe(0);
  });
});

describe("topOrigin", () => {
  const topOrigin = fc.constantFrom("https://top.example", ORIGIN, "https://evil.example");

  it("with crossOrigin true: registration refuses it as cross-origin", async () => {
    const domain = buildDomain();
    const authenticator = new SoftwareAuthenticator();
    await fc.assert(
      fc.asyncProperty(topOrigin, async (top) => {
        const { sessionId, options } = await signUpStart(domain);
        const response = authenticator.createCredential(options, { origin: ORIGIN, tamper: { clientData: { crossOrigin: true, topOrigin: top } } });
        expect(await domain.registration.finish(sessionId, response)).toEqual({ ok: false, error: "cross_origin_not_allowed" });
      }),
      { numRuns: 10 },
    );
  });

  it("with crossOrigin true: sign-in refuses it as cross-origin", async () => {
    const { domain, authenticator, user } = await withUser();
    await fc.assert(
      fc.asyncProperty(topOrigin, async (top) => {
        const options = await domain.authentication.startForUser(user.userHandle);
        const assertion = authenticator.getAssertion(options, { origin: ORIGIN, tamper: { clientData: { crossOrigin: true, topOrigin: top } } });
        expect(await domain.authentication.finish(assertion)).toEqual({ ok: false, error: "cross_origin_not_allowed" });
      }),
      { numRuns: 10 },
    );
  });
});
