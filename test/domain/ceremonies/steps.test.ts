/** The steps both ceremonies share (src/domain/ceremonies/steps.ts): each failure, in the specification's order. */
import { sha256 } from "@oslojs/crypto/sha2";
import { describe, expect, it } from "vitest";
import { InMemorySessionStore } from "../../../src/adapters/in-memory/in-memory-session-store.js";
import { RelyingParty } from "../../../src/domain/ceremonies/relying-party.js";
import { checkAuthenticatorData, checkClientData, consumeSession } from "../../../src/domain/ceremonies/steps.js";
import { toBase64Url } from "../../../src/domain/encoding/bytes.js";
import type { ParsedAuthenticatorData, ParsedClientData } from "../../../src/domain/encoding/parse-response.js";
import type { AuthenticationSession, RegistrationSession } from "../../../src/domain/model.js";
import { ORIGIN, RP_ID, TEST_RP } from "../../support/domain-harness.js";
import { ManualClock } from "../../support/manual-clock.js";

const relyingParty = new RelyingParty(TEST_RP);
const CHALLENGE = toBase64Url(new Uint8Array(32).fill(7));

const clientData = (patch: Partial<ParsedClientData> = {}): ParsedClientData => ({
  type: "webauthn.get",
  challenge: CHALLENGE,
  origin: ORIGIN,
  crossOrigin: false,
  ...patch,
});

const authData = (patch: Partial<ParsedAuthenticatorData> = {}): ParsedAuthenticatorData => ({
  bytes: new Uint8Array(37),
  rpIdHash: sha256(new TextEncoder().encode(RP_ID)),
  userPresent: true,
  userVerified: true,
  backupEligible: false,
  backupState: false,
  counter: 0,
  attestedCredential: null,
  ...patch,
});

describe("checkClientData", () => {
  const expected = { type: "webauthn.get", challenge: CHALLENGE } as const;

  it("accepts client data of the expected ceremony, challenge and origin, not cross-origin", () => {
    expect(checkClientData(clientData(), expected, relyingParty)).toBeNull();
  });

  it.each([
    ["client_data_type_mismatch", { type: "webauthn.create" }],
    ["challenge_mismatch", { challenge: toBase64Url(new Uint8Array(32)) }],
    ["origin_mismatch", { origin: "https://evil.example.com" }],
    ["cross_origin_not_allowed", { crossOrigin: true }],
  ] as const)("refuses with %s", (code, patch) => {
    expect(checkClientData(clientData(patch), expected, relyingParty)).toBe(code);
  });

  it("reports the first failing step when several fail (type before challenge before origin before cross-origin)", () => {
    const everything = clientData({ type: "webauthn.create", challenge: "other", origin: "https://evil.example.com", crossOrigin: true });
    expect(checkClientData(everything, expected, relyingParty)).toBe("client_data_type_mismatch");
    expect(checkClientData({ ...everything, type: "webauthn.get" }, expected, relyingParty)).toBe("challenge_mismatch");
    expect(checkClientData({ ...everything, type: "webauthn.get", challenge: CHALLENGE }, expected, relyingParty)).toBe("origin_mismatch");
  });
});

describe("checkAuthenticatorData", () => {
  it("accepts authenticator data for this RP with the user present and verified", () => {
    expect(checkAuthenticatorData(authData(), relyingParty, "required")).toBeNull();
  });

  it.each([
    ["rp_id_hash_mismatch", { rpIdHash: new Uint8Array(32) }],
    ["user_not_present", { userPresent: false }],
    ["user_not_verified", { userVerified: false }],
    ["backup_state_invalid", { backupEligible: false, backupState: true }],
  ] as const)("refuses with %s", (code, patch) => {
    expect(checkAuthenticatorData(authData(patch), relyingParty, "required")).toBe(code);
  });

  it("does not ask for user verification when the ceremony did not require it", () => {
    expect(checkAuthenticatorData(authData({ userVerified: false }), relyingParty, "preferred")).toBeNull();
  });

  it("asks for the user's presence unless told it is not required, and keeps every other step then", () => {
    expect(checkAuthenticatorData(authData({ userPresent: false }), relyingParty, "preferred")).toBe("user_not_present");
    expect(checkAuthenticatorData(authData({ userPresent: false, userVerified: false }), relyingParty, "preferred", "not_required")).toBeNull();
    expect(checkAuthenticatorData(authData({ userPresent: false, userVerified: false }), relyingParty, "required", "not_required")).toBe("user_not_verified");
    expect(checkAuthenticatorData(authData({ userPresent: false, rpIdHash: new Uint8Array(32) }), relyingParty, "preferred", "not_required")).toBe(
      "rp_id_hash_mismatch",
    );
    expect(checkAuthenticatorData(authData({ userPresent: false, backupEligible: false, backupState: true }), relyingParty, "preferred", "not_required")).toBe(
      "backup_state_invalid",
    );
  });

  it("reports the first failing step when several fail", () => {
    const everything = authData({ rpIdHash: new Uint8Array(32), userPresent: false, userVerified: false, backupState: true });
    expect(checkAuthenticatorData(everything, relyingParty, "required")).toBe("rp_id_hash_mismatch");
    expect(checkAuthenticatorData({ ...everything, rpIdHash: relyingParty.rpIdHash }, relyingParty, "required")).toBe("user_not_present");
  });
});

describe("consumeSession", () => {
  const clock = new ManualClock();
  const authentication = (id: string): AuthenticationSession => ({
    kind: "authentication",
    id,
    challenge: id,
    userHandle: null,
    allowCredentials: [],
    userVerification: "required",
    expiresAt: clock.now() + 1_000,
  });
  const registration = (id: string): RegistrationSession => ({
    kind: "registration",
    id,
    challenge: id,
    userHandle: "handle",
    username: "alice",
    displayName: "Alice",
    identityUserId: null,
    newAccount: true,
    userVerification: "required",
    mediation: "modal",
    algorithms: [-7],
    expiresAt: clock.now() + 1_000,
  });
  const id = (fill: number) => toBase64Url(new Uint8Array(32).fill(fill));

  it("returns the session of the asked kind, once", async () => {
    const sessions = new InMemorySessionStore(clock);
    await sessions.save(authentication(id(1)));
    const consumed = await consumeSession(sessions, clock, id(1), "authentication");
    expect(consumed).toEqual({ ok: true, value: authentication(id(1)) });
    expect(await consumeSession(sessions, clock, id(1), "authentication")).toEqual({ ok: false, error: "session_not_found" });
  });

  it("refuses a session of the other ceremony, and burns it", async () => {
    const sessions = new InMemorySessionStore(clock);
    await sessions.save(registration(id(2)));
    expect(await consumeSession(sessions, clock, id(2), "authentication")).toEqual({ ok: false, error: "session_not_found" });
    expect(await consumeSession(sessions, clock, id(2), "registration")).toEqual({ ok: false, error: "session_not_found" });
  });

  it("refuses an id of the wrong shape without asking the store", async () => {
    const sessions = new InMemorySessionStore(clock);
    let asked = false;
    const watched = { save: sessions.save.bind(sessions), consume: (key: string) => ((asked = true), sessions.consume(key)) };
    for (const bad of ["", "short", `${id(3)}x`, id(3).replace(/.$/, "+")]) {
      expect(await consumeSession(watched, clock, bad, "registration")).toEqual({ ok: false, error: "session_not_found" });
    }
    expect(asked).toBe(false);
  });

  it("refuses a session whose expiry has come with session_expired (a store may hand one back until it sweeps)", async () => {
    const expired = { ...registration(id(4)), expiresAt: clock.now() };
    const store = { save: async () => "saved" as const, consume: async () => expired };
    expect(await consumeSession(store, clock, id(4), "registration")).toEqual({ ok: false, error: "session_expired" });
    const live = { ...expired, expiresAt: clock.now() + 1 };
    expect(await consumeSession({ ...store, consume: async () => live }, clock, id(4), "registration")).toEqual({ ok: true, value: live });
  });
});
