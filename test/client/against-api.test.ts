/**
 * The client against keyport's real HTTP app (in-process: local identity provider, in-memory stores),
 * with a software authenticator in the browser's place: every method's requests are ones the API
 * accepts, and its answers are what the client's types say. The unit tests pin the details; this one
 * pins the contract.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { KeyportClient, KeyportError, decodeJwtClaims, memoryTokenStore, type FetchFunction, type ReauthenticationContext } from "../../src/client/index.js";
import { ManualClock } from "../support/manual-clock.js";
import { SoftwareAuthenticator } from "../support/software-authenticator.js";
import { ORIGIN, buildTestApp, type TestApp } from "../handlers/http/harness.js";
import * as webauthn from "./webauthn-stub.js";

vi.mock("@simplewebauthn/browser", () => import("./webauthn-stub.js"));

/** What stands in for the person's device: @simplewebauthn/browser's two ceremonies, answered by `device`. */
function useDevice(device: { current: SoftwareAuthenticator }): void {
  webauthn.startRegistration.mockImplementation(async ({ optionsJSON }) => device.current.createCredential(optionsJSON as never, { origin: ORIGIN }) as never);
  webauthn.startAuthentication.mockImplementation(async ({ optionsJSON }) => device.current.getAssertion(optionsJSON as never, { origin: ORIGIN }) as never);
}

let test: TestApp;
let clock: ManualClock;
let fetchApp: FetchFunction;
const device = { current: new SoftwareAuthenticator() };

beforeEach(() => {
  webauthn.resetWebAuthnStub();
  // The server's clock starts at the real time, so that the client's own look at a token's expiry agrees with it.
  clock = new ManualClock(Date.now());
  test = buildTestApp({ overrides: { clock } });
  fetchApp = async (url, init) => test.app.request(url, init);
  device.current = new SoftwareAuthenticator();
  useDevice(device);
});
afterEach(() => vi.unstubAllGlobals());

async function caught(promise: Promise<unknown>): Promise<KeyportError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  if (!(error instanceof KeyportError)) throw new Error(`expected a KeyportError, got ${String(error)}`);
  return error;
}

describe("KeyportClient against the keyport HTTP app", () => {
  it("signs up, signs in every way, manages passkeys and the account, reads the activity, and signs out", async () => {
    const client = new KeyportClient({ fetch: fetchApp });

    const registered = await client.signUp({ username: "ada", displayName: "Ada Lovelace" });
    expect(registered).toEqual({ userId: expect.any(String), credentialId: expect.any(String), name: expect.any(String), signals: [expect.objectContaining({ signalName: "allAcceptedCredentials" })] });
    expect(client.getTokens()).toBeNull();

    const viaButton = await client.signIn();
    expect(viaButton.userId).toBe(registered.userId);
    expect(decodeJwtClaims(viaButton.idToken)).toMatchObject({ preferred_username: "ada", name: "Ada Lovelace", token_use: "id" });
    const viaUsername = await client.signInWithUsername("ADA");
    expect(viaUsername.userId).toBe(registered.userId);
    const viaHandle = await client.signInWithUserId(registered.userId);
    expect(viaHandle.refreshToken).not.toBe(viaUsername.refreshToken);

    const [passkey, ...others] = await client.listPasskeys();
    expect(others).toHaveLength(0);
    expect(passkey).toMatchObject({ credentialId: registered.credentialId, enabled: true, lastUsedAt: expect.any(String) });

    const added = await client.addPasskey();
    expect(added.userId).toBe(registered.userId);
    const renamed = await client.renamePasskey(added.credentialId, "Second key");
    expect(renamed).toMatchObject({ name: "Second key", signals: [expect.objectContaining({ signalName: "allAcceptedCredentials" })] });
    expect((await client.setPasskeyEnabled(added.credentialId, false)).enabled).toBe(false);
    expect((await client.setPasskeyEnabled(added.credentialId, true)).enabled).toBe(true);
    expect(await client.deletePasskey(added.credentialId)).toEqual({ signals: [expect.objectContaining({ allAcceptedCredentialIDs: [registered.credentialId] })] });

    expect(await client.account()).toEqual({ userId: registered.userId, username: "ada", displayName: "Ada Lovelace", createdAt: expect.any(String), credentialCount: 1 });
    const updated = await client.updateAccount({ displayName: "Ada King" });
    expect(updated).toMatchObject({ displayName: "Ada King", signals: [expect.objectContaining({ signalName: "currentUserDetails", userDisplayName: "Ada King" })] });

    // Events of one millisecond have no order among themselves: a second between the steps that follow.
    const tick = () => clock.advance(1000);
    tick();
    const before = client.getTokens()!;
    const refreshed = await client.refresh();
    expect(refreshed.refreshToken).not.toBe(before.refreshToken);

    const first = await client.events({ limit: 3 });
    expect(first.events).toHaveLength(3);
    expect(first.events[0]!.type).toBe("token.refreshed");
    const second = await client.events({ limit: 3, cursor: first.nextCursor });
    expect(second.events.map((event) => event.eventId)).not.toContain(first.events[0]!.eventId);

    tick();
    await client.signOut();
    expect(client.getTokens()).toBeNull();
    tick();
    // The sign-out was attributed (the ID token went with it) and the refresh token is dead.
    const again = await client.signInWithUserId(registered.userId);
    expect((await client.events({ limit: 3 })).events.map((event) => event.type)).toEqual(["sign_in.succeeded", "signed_out", "token.refreshed"]);
    const store = memoryTokenStore();
    store.set({ ...again, refreshToken: refreshed.refreshToken });
    expect((await caught(new KeyportClient({ fetch: fetchApp, tokenStore: store }).refresh())).code).toBe("refresh_token_invalid");

    await client.signOutEverywhere();
    expect(client.getTokens()).toBeNull();
  });

  it("refreshes an expired ID token by itself, and re-signs in through the hook for a delete that needs a recent sign-in", async () => {
    const reasons: ReauthenticationContext["operation"][] = [];
    const client: KeyportClient = new KeyportClient({
      fetch: fetchApp,
      onReauthenticationRequired: async ({ operation }) => {
        reasons.push(operation);
        await client.reauthenticate();
        return true;
      },
    });
    const { userId } = await client.signUp({ username: "grace", displayName: "Grace" });
    await client.signIn();
    const { credentialId } = await client.addPasskey();

    clock.advance(2 * 3600_000); // past the ID token's expiry and the sensitive-action window
    const signedInWith = client.getTokens()!;
    expect(await client.listPasskeys()).toHaveLength(2);
    expect(client.getTokens()!.idToken).not.toBe(signedInWith.idToken); // refreshed on the way

    await client.deletePasskey(credentialId);
    expect(reasons).toEqual(["deletePasskey"]);
    expect(await client.account()).toMatchObject({ userId, credentialCount: 1 });

    clock.advance(2 * 3600_000);
    await client.deleteAccount();
    expect(reasons).toEqual(["deletePasskey", "deleteAccount"]);
    expect(client.getTokens()).toBeNull();
  });

  it("fails with the API's own codes", async () => {
    const client = new KeyportClient({ fetch: fetchApp });
    await client.signUp({ username: "erin", displayName: "Erin" });
    expect(await caught(client.signUp({ username: "ERIN", displayName: "Erin again" }))).toMatchObject({ code: "username_taken", status: 409, correlationId: expect.any(String) });
    expect(await caught(client.signUp({ username: "has space", displayName: "x" }))).toMatchObject({ code: "username_invalid", status: 400 });
    await client.signIn();
    expect(await caught(client.renamePasskey("no-such-passkey", "x"))).toMatchObject({ code: "passkey_not_found", status: 404 });
    const [only] = await client.listPasskeys();
    expect(await caught(client.deletePasskey(only!.credentialId))).toMatchObject({ code: "last_credential", status: 409 });
  });
});
