/**
 * The signed-in routes (passkeys, the account, the activity), the error every failure becomes, and the
 * signals every answer may carry.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { KeyportClient, KeyportError, isTokenError, memoryTokenStore, type Passkey, type TokenStore } from "../../src/client/index.js";
import { FakeApi, apiError, ok, storedTokens } from "./fake-api.js";
import * as webauthn from "./webauthn-stub.js";

vi.mock("@simplewebauthn/browser", () => import("./webauthn-stub.js"));

async function caught(promise: Promise<unknown>): Promise<KeyportError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  if (!(error instanceof KeyportError)) throw new Error(`expected a KeyportError, got ${String(error)}`);
  return error;
}

const PASSKEY: Passkey = {
  credentialId: "cred/+1",
  name: "iCloud Keychain",
  authenticator: { aaguid: "fbfc3007-154e-4ecc-8c0b-6e020557d7bd", verified: false, name: "iCloud Keychain", icon: null },
  createdAt: "2026-01-01T12:00:00.000Z",
  lastUsedAt: null,
  enabled: true,
  backupEligible: true,
  backedUp: true,
  transports: ["internal", "hybrid"],
  userVerifiedAtRegistration: true,
  registrationMediation: "modal",
  attestation: { format: "none", type: "none", trusted: false },
};
const ACCOUNT = { userId: "user-handle", username: "ada", displayName: "Ada", createdAt: "2026-01-01T12:00:00.000Z", credentialCount: 1 };
const ALL_ACCEPTED = { signalName: "allAcceptedCredentials", rpID: "example.com", userID: "user-handle", allAcceptedCredentialIDs: ["cred/+1"] };
const USER_DETAILS = { signalName: "currentUserDetails", rpID: "example.com", userID: "user-handle", userName: "ada", userDisplayName: "Ada" };
const UNKNOWN = { signalName: "unknownCredential", rpID: "example.com", credentialID: "gone" };

let api: FakeApi;
let tokenStore: TokenStore;
let client: KeyportClient;
beforeEach(() => {
  webauthn.resetWebAuthnStub();
  api = new FakeApi("https://api.example.com");
  tokenStore = memoryTokenStore();
  tokenStore.set(storedTokens(1));
  client = new KeyportClient({ baseUrl: "https://api.example.com", fetch: api.fetch, tokenStore });
});
afterEach(() => vi.unstubAllGlobals());

describe("passkeys, the account and the activity", () => {
  const bearer = () => `Bearer ${tokenStore.get()!.idToken}`;

  it("lists the passkeys", async () => {
    api.on("GET /credentials", ok({ credentials: [PASSKEY] }));
    expect(await client.listPasskeys()).toEqual([PASSKEY]);
    expect(api.calls[0]).toMatchObject({ method: "GET", body: undefined, headers: { authorization: bearer() } });
    expect(api.calls[0]!.headers["content-type"]).toBeUndefined();
  });

  it("renames, disables and enables one, by its id in the path (escaped)", async () => {
    api.on("PATCH /credentials/cred%2F%2B1", ok({ ...PASSKEY, name: "Work", signals: [ALL_ACCEPTED] }));
    expect(await client.renamePasskey("cred/+1", "Work")).toEqual({ ...PASSKEY, name: "Work", signals: [ALL_ACCEPTED] });
    await client.setPasskeyEnabled("cred/+1", false);
    await client.setPasskeyEnabled("cred/+1", true);
    expect(api.calls.map((call) => [call.method, call.path, call.body])).toEqual([
      ["PATCH", "/credentials/cred%2F%2B1", { name: "Work" }],
      ["PATCH", "/credentials/cred%2F%2B1", { enabled: false }],
      ["PATCH", "/credentials/cred%2F%2B1", { enabled: true }],
    ]);
    expect(api.calls.every((call) => call.headers["authorization"] === bearer())).toBe(true);
  });

  it("deletes one", async () => {
    api.on("DELETE /credentials/c1", ok({ signals: [ALL_ACCEPTED] }));
    expect(await client.deletePasskey("c1")).toEqual({ signals: [ALL_ACCEPTED] });
    expect(api.calls[0]).toMatchObject({ method: "DELETE", body: undefined, headers: { authorization: bearer() } });
  });

  it("reads the account, and changes only the names given", async () => {
    api.on("GET /account", ok(ACCOUNT)).on("PATCH /account", ok({ ...ACCOUNT, displayName: "Ada L.", signals: [USER_DETAILS] }));
    expect(await client.account()).toEqual(ACCOUNT);
    expect((await client.updateAccount({ displayName: "Ada L." })).displayName).toBe("Ada L.");
    await client.updateAccount({ username: "ada2", displayName: "A" });
    expect(api.calls.map((call) => call.body)).toEqual([undefined, { displayName: "Ada L." }, { username: "ada2", displayName: "A" }]);
  });

  it("deletes the account and ends the sign-in", async () => {
    api.on("DELETE /account", ok({ signals: [{ ...ALL_ACCEPTED, allAcceptedCredentialIDs: [] }] }));
    await client.deleteAccount();
    expect(api.calls[0]).toMatchObject({ method: "DELETE", headers: { authorization: expect.stringMatching(/^Bearer /) } });
    expect(tokenStore.get()).toBeNull();
  });

  it("keeps the sign-in when deleting the account fails", async () => {
    api.on("DELETE /account", apiError(503, "storage_unavailable"));
    expect((await caught(client.deleteAccount())).code).toBe("storage_unavailable");
    expect(tokenStore.get()).not.toBeNull();
  });

  it("reads the activity a page at a time", async () => {
    const page = { events: [{ eventId: "e1", type: "sign_in.succeeded", at: "2026-01-01T12:00:00.000Z", sourceIp: null, userAgent: null, correlationId: null }], nextCursor: "next/+=" };
    api.on("GET /events", ok(page));
    expect(await client.events()).toEqual(page);
    await client.events({ limit: 10 });
    await client.events({ limit: 10, cursor: "next/+=" });
    await client.events({ cursor: null });
    expect(api.calls.map((call) => call.path)).toEqual(["/events", "/events?limit=10", "/events?limit=10&cursor=next%2F%2B%3D", "/events"]);
  });

  it("sends none of these without tokens: not_signed_in", async () => {
    tokenStore.set(null);
    for (const call of [
      () => client.listPasskeys(),
      () => client.renamePasskey("c", "n"),
      () => client.setPasskeyEnabled("c", true),
      () => client.deletePasskey("c"),
      () => client.account(),
      () => client.updateAccount({ username: "u" }),
      () => client.deleteAccount(),
      () => client.events(),
      () => client.signOutEverywhere(),
    ]) {
      expect((await caught(call())).code).toBe("not_signed_in");
    }
    expect(api.calls).toHaveLength(0);
  });
});

describe("errors", () => {
  it("an API error keeps its code, status, message and correlation id", async () => {
    api.on("PATCH /credentials/c1", apiError(409, "name_taken"));
    const error = await caught(client.renamePasskey("c1", "Work"));
    expect(error).toBeInstanceOf(Error);
    expect(error).toMatchObject({ name: "KeyportError", code: "name_taken", status: 409, message: "message of name_taken", correlationId: "corr-name_taken" });
  });

  it("a code this client does not know yet is kept as the server said it", async () => {
    api.on("GET /account", apiError(400, "some_future_code"));
    expect((await caught(client.account())).code).toBe("some_future_code");
  });

  it("no answer at all is network_error, status 0, with the fetch failure as the cause", async () => {
    const failure = new TypeError("Failed to fetch");
    const offline = new KeyportClient({ baseUrl: "https://api.example.com", tokenStore, fetch: async () => Promise.reject(failure) });
    const error = await caught(offline.account());
    expect(error).toMatchObject({ code: "network_error", status: 0, correlationId: null });
    expect(error.message).toContain("https://api.example.com");
    expect(error.cause).toBe(failure);
  });

  it("an answer that is not keyport's JSON is unexpected_response, with its status", async () => {
    api
      .on("GET /account", { status: 502, raw: "<html>Bad Gateway</html>" })
      .on("GET /credentials", { status: 200, raw: "not json" })
      .on("GET /events", { status: 500, body: { message: "no error object" } });
    expect(await caught(client.account())).toMatchObject({ code: "unexpected_response", status: 502 });
    expect(await caught(client.listPasskeys())).toMatchObject({ code: "unexpected_response", status: 200 });
    expect(await caught(client.events())).toMatchObject({ code: "unexpected_response", status: 500 });
  });

  it("a sign-in answer without tokens is unexpected_response, and nothing is stored", async () => {
    api.on("POST /authentication/start", ok({ session: "s", credentialRequestOptions: {} })).on("POST /authentication/finish", ok({ signals: [] }));
    webauthn.startAuthentication.mockResolvedValue(webauthn.assertion("user-handle"));
    tokenStore.set(null);
    expect((await caught(client.signInWithUserId("user-handle"))).code).toBe("unexpected_response");
    expect(tokenStore.get()).toBeNull();
  });

  it("isTokenError tells a refused ID token from other errors", () => {
    expect(isTokenError(new KeyportError("token_expired", "m"))).toBe(true);
    expect(isTokenError(new KeyportError("refresh_token_invalid", "m"))).toBe(false);
    expect(isTokenError(new Error("token_expired"))).toBe(false);
  });
});

describe("signals", () => {
  /** A browser with the Signal API methods named (a mock each, which sendSignal itself would call). */
  function browserWith(...methods: string[]): void {
    vi.stubGlobal("PublicKeyCredential", Object.fromEntries(methods.map((method) => [method, vi.fn()])));
  }
  const ALL_METHODS = ["signalAllAcceptedCredentials", "signalCurrentUserDetails", "signalUnknownCredential"];

  it("every signal of a successful answer goes to sendSignal, as it came", async () => {
    browserWith(...ALL_METHODS);
    api.on("PATCH /account", ok({ ...ACCOUNT, signals: [USER_DETAILS, ALL_ACCEPTED] }));
    await client.updateAccount({ displayName: "Ada" });
    expect(webauthn.sendSignal.mock.calls).toEqual([[USER_DETAILS], [ALL_ACCEPTED]]);
  });

  it("so do the signals beside an error (an unknown passkey at sign-in)", async () => {
    browserWith(...ALL_METHODS);
    api
      .on("POST /authentication/start", ok({ session: "s", credentialRequestOptions: {} }))
      .on("POST /authentication/finish", apiError(401, "credential_not_found", { signals: [UNKNOWN] }));
    webauthn.startAuthentication.mockResolvedValue(webauthn.assertion("user-handle", "gone"));
    expect((await caught(client.signInWithUserId("user-handle"))).code).toBe("credential_not_found");
    expect(webauthn.sendSignal.mock.calls).toEqual([[UNKNOWN]]);
  });

  it("only those the browser has the method for", async () => {
    browserWith("signalUnknownCredential", "signalCurrentUserDetails");
    api.on("DELETE /credentials/c1", ok({ signals: [ALL_ACCEPTED, USER_DETAILS, UNKNOWN] }));
    await client.deletePasskey("c1");
    expect(webauthn.sendSignal.mock.calls).toEqual([[USER_DETAILS], [UNKNOWN]]);
  });

  it("none in a browser without WebAuthn's PublicKeyCredential", async () => {
    api.on("DELETE /credentials/c1", ok({ signals: [ALL_ACCEPTED] }));
    await client.deletePasskey("c1");
    expect(webauthn.sendSignal).not.toHaveBeenCalled();
  });

  it("none of a kind sendSignal does not know, nor anything that is not a signal", async () => {
    browserWith(...ALL_METHODS, "signalSomethingNew");
    api.on("DELETE /credentials/c1", ok({ signals: [{ signalName: "somethingNew" }, { signalName: "toString" }, null, "allAcceptedCredentials", ALL_ACCEPTED] }));
    await client.deletePasskey("c1");
    expect(webauthn.sendSignal.mock.calls).toEqual([[ALL_ACCEPTED]]);
  });

  it("none with signals: \"off\": the answer keeps them for the app", async () => {
    browserWith(...ALL_METHODS);
    const quiet = new KeyportClient({ baseUrl: "https://api.example.com", fetch: api.fetch, tokenStore, signals: "off" });
    api.on("DELETE /credentials/c1", ok({ signals: [ALL_ACCEPTED] }));
    expect(await quiet.deletePasskey("c1")).toEqual({ signals: [ALL_ACCEPTED] });
    expect(webauthn.sendSignal).not.toHaveBeenCalled();
  });

  it("a signal the browser refuses does not fail the call", async () => {
    browserWith(...ALL_METHODS);
    webauthn.sendSignal.mockRejectedValue(new Error("refused"));
    api.on("DELETE /credentials/c1", ok({ signals: [ALL_ACCEPTED] }));
    expect(await client.deletePasskey("c1")).toEqual({ signals: [ALL_ACCEPTED] });
    webauthn.sendSignal.mockImplementation(() => {
      throw new Error("thrown at once");
    });
    expect(await client.deletePasskey("c1")).toEqual({ signals: [ALL_ACCEPTED] });
  });
});
