/**
 * The client's ceremonies against a fake API and a stubbed @simplewebauthn/browser: which requests each
 * makes, in which order and with what, what it hands the browser, what it stores, and how a pending
 * autofill request gives way to every other ceremony.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { KeyportClient, KeyportError, memoryTokenStore, type Tokens } from "../../src/client/index.js";
import { FakeApi, apiError, ok, signInAnswer, storedTokens, tokenNumber } from "./fake-api.js";
import * as webauthn from "./webauthn-stub.js";

vi.mock("@simplewebauthn/browser", () => import("./webauthn-stub.js"));

const CREATION_OPTIONS = { challenge: "reg-challenge", rp: { name: "keyport", id: "localhost" }, user: { id: "user-handle", name: "ada", displayName: "Ada" }, pubKeyCredParams: [] };
const REQUEST_OPTIONS = { challenge: "auth-challenge", allowCredentials: [] };
const REGISTERED = { userId: "user-handle", credentialId: "new-credential", name: "iCloud Keychain", signals: [] };

/** Settles the promises queued so far (a fake fetch answers within a few microtasks). */
const flush = () => new Promise((resolve) => setTimeout(resolve, 0));

/** A promise the test settles itself, for a WebAuthn request that stays open until aborted. */
function deferred<T>(): { promise: Promise<T>; resolve(value: T): void; reject(error: unknown): void } {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

async function caught(promise: Promise<unknown>): Promise<KeyportError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  if (!(error instanceof KeyportError)) throw new Error(`expected a KeyportError, got ${String(error)}`);
  return error;
}

let api: FakeApi;
beforeEach(() => {
  webauthn.resetWebAuthnStub();
  api = new FakeApi("https://api.example.com");
});
afterEach(() => vi.unstubAllGlobals());

const clientFor = (options: { tokens?: Tokens | null } = {}) => {
  const tokenStore = memoryTokenStore();
  tokenStore.set(options.tokens ?? null);
  return { client: new KeyportClient({ baseUrl: "https://api.example.com/", fetch: api.fetch, tokenStore }), tokenStore };
};

describe("signUp", () => {
  it("starts, has the browser create the passkey from the API's options, and finishes with the session; no tokens", async () => {
    api
      .on("POST /registration/start", ok({ sessionId: "session-1", credentialCreationOptions: CREATION_OPTIONS }))
      .on("POST /registration/finish", ok(REGISTERED));
    webauthn.startRegistration.mockResolvedValue(webauthn.attestation());
    const { client, tokenStore } = clientFor();

    expect(await client.signUp({ username: "ada", displayName: "Ada", extra: "not sent" } as never)).toEqual(REGISTERED);

    expect(api.routes()).toEqual(["POST /registration/start", "POST /registration/finish"]);
    const [start, finish] = api.calls;
    expect(start!.url).toBe("https://api.example.com/registration/start"); // the base URL's trailing slash dropped
    expect(start!.body).toEqual({ username: "ada", displayName: "Ada" });
    expect(start!.headers["content-type"]).toBe("application/json");
    expect(start!.headers["authorization"]).toBeUndefined();
    expect(start!.init.credentials).toBe("omit");
    expect(webauthn.startRegistration).toHaveBeenCalledWith({ optionsJSON: CREATION_OPTIONS });
    expect(finish!.body).toEqual({ sessionId: "session-1", publicKeyCredential: webauthn.attestation() });
    expect(tokenStore.get()).toBeNull();
  });

  it("sends nothing when the browser has no WebAuthn: webauthn_unsupported", async () => {
    webauthn.browserSupportsWebAuthn.mockReturnValue(false);
    const error = await caught(clientFor().client.signUp({ username: "ada", displayName: "Ada" }));
    expect(error.code).toBe("webauthn_unsupported");
    expect(api.calls).toHaveLength(0);
  });
});

describe("signIn (any passkey on the device)", () => {
  it("discovers, starts for the user the passkey names, finishes with the discover assertion, and stores the tokens", async () => {
    api
      .on("POST /authentication/discover", ok({ credentialRequestOptions: REQUEST_OPTIONS }))
      .on("POST /authentication/start", ok({ session: "idp-session", credentialRequestOptions: { challenge: "unused" } }))
      .on("POST /authentication/finish", signInAnswer(1));
    webauthn.startAuthentication.mockResolvedValue(webauthn.assertion("user-handle"));
    const { client, tokenStore } = clientFor();
    const before = Date.now();

    const tokens = await client.signIn();

    expect(api.routes()).toEqual(["POST /authentication/discover", "POST /authentication/start", "POST /authentication/finish"]);
    expect(api.calls[0]!.body).toEqual({});
    expect(webauthn.startAuthentication).toHaveBeenCalledWith({ optionsJSON: REQUEST_OPTIONS, useBrowserAutofill: false });
    expect(api.calls[1]!.body).toEqual({ userId: "user-handle" });
    expect(api.calls[2]!.body).toEqual({ session: "idp-session", userId: "user-handle", publicKeyCredential: webauthn.assertion("user-handle") });
    expect(tokens).toEqual({ idToken: expect.any(String), accessToken: "access-1", refreshToken: "refresh-1", expiresAt: expect.any(Number), userId: "user-handle" });
    expect(tokens.expiresAt).toBeGreaterThanOrEqual(before + 3_600_000);
    expect(tokenStore.get()).toEqual(tokens);
    expect(client.getTokens()).toEqual(tokens);
  });

  it("stops before start when the passkey names no user: webauthn_failed", async () => {
    api.on("POST /authentication/discover", ok({ credentialRequestOptions: REQUEST_OPTIONS }));
    webauthn.startAuthentication.mockResolvedValue(webauthn.assertion(undefined));
    const { client, tokenStore } = clientFor();
    expect((await caught(client.signIn())).code).toBe("webauthn_failed");
    expect(api.routes()).toEqual(["POST /authentication/discover"]);
    expect(tokenStore.get()).toBeNull();
  });

  it("keeps the stored sign-in when a new one fails at finish", async () => {
    api
      .on("POST /authentication/discover", ok({ credentialRequestOptions: REQUEST_OPTIONS }))
      .on("POST /authentication/start", ok({ session: "s", credentialRequestOptions: {} }))
      .on("POST /authentication/finish", apiError(401, "sign_in_failed"));
    webauthn.startAuthentication.mockResolvedValue(webauthn.assertion("user-handle"));
    const { client, tokenStore } = clientFor({ tokens: storedTokens(7) });
    expect((await caught(client.signIn())).code).toBe("sign_in_failed");
    expect(tokenStore.get()?.refreshToken).toBe("refresh-7");
  });
});

describe("signInWithUsername (identifier-first)", () => {
  it("starts and finishes with the username as typed, and keeps the user handle the passkey gave", async () => {
    api
      .on("POST /authentication/start", ok({ session: "idp-session", credentialRequestOptions: { ...REQUEST_OPTIONS, allowCredentials: [{ id: "c", type: "public-key" }] } }))
      .on("POST /authentication/finish", signInAnswer(2));
    webauthn.startAuthentication.mockResolvedValue(webauthn.assertion("erin-handle"));
    const { client } = clientFor();

    const tokens = await client.signInWithUsername("ERIN");

    expect(api.calls.map((call) => call.body)).toEqual([
      { username: "ERIN" },
      { session: "idp-session", username: "ERIN", publicKeyCredential: webauthn.assertion("erin-handle") },
    ]);
    expect(webauthn.startAuthentication).toHaveBeenCalledWith({
      optionsJSON: { ...REQUEST_OPTIONS, allowCredentials: [{ id: "c", type: "public-key" }] },
      useBrowserAutofill: false,
    });
    expect(tokens.userId).toBe("erin-handle");
  });

  it("stores no user handle when the passkey gave none", async () => {
    api.on("POST /authentication/start", ok({ session: "s", credentialRequestOptions: REQUEST_OPTIONS })).on("POST /authentication/finish", signInAnswer(2));
    webauthn.startAuthentication.mockResolvedValue(webauthn.assertion(undefined));
    const tokens = await clientFor().client.signInWithUsername("erin");
    expect(tokens).not.toHaveProperty("userId");
  });
});

describe("signInWithUserId (username-first)", () => {
  it("starts and finishes for the remembered user handle", async () => {
    api.on("POST /authentication/start", ok({ session: "idp-session", credentialRequestOptions: REQUEST_OPTIONS })).on("POST /authentication/finish", signInAnswer(3));
    webauthn.startAuthentication.mockResolvedValue(webauthn.assertion("bob-handle"));
    const tokens = await clientFor().client.signInWithUserId("bob-handle");
    expect(api.calls.map((call) => call.body)).toEqual([
      { userId: "bob-handle" },
      { session: "idp-session", userId: "bob-handle", publicKeyCredential: webauthn.assertion("bob-handle") },
    ]);
    expect(tokens.userId).toBe("bob-handle");
  });
});

describe("signInWithAutofill (conditional UI)", () => {
  it("asks for a conditional request and, once a passkey is picked, tells the app and finishes the discoverable sign-in", async () => {
    api
      .on("POST /authentication/discover", ok({ credentialRequestOptions: REQUEST_OPTIONS }))
      .on("POST /authentication/start", ok({ session: "idp-session", credentialRequestOptions: {} }))
      .on("POST /authentication/finish", signInAnswer(4));
    webauthn.startAuthentication.mockResolvedValue(webauthn.assertion("user-handle"));
    const chosen: string[] = [];
    const onPasskeyChosen = () => chosen.push(`chosen after ${api.calls.length} call(s)`);

    const tokens = await clientFor().client.signInWithAutofill({ onPasskeyChosen });

    expect(webauthn.startAuthentication).toHaveBeenCalledWith({ optionsJSON: REQUEST_OPTIONS, useBrowserAutofill: true });
    expect(chosen).toEqual(["chosen after 1 call(s)"]); // after discover, before start and finish
    expect(api.routes()).toEqual(["POST /authentication/discover", "POST /authentication/start", "POST /authentication/finish"]);
    expect(tokens.refreshToken).toBe("refresh-4");
  });

  it("is webauthn_unsupported, with no request, where the browser has no conditional UI", async () => {
    webauthn.browserSupportsWebAuthnAutofill.mockResolvedValue(false);
    expect((await caught(clientFor().client.signInWithAutofill())).code).toBe("webauthn_unsupported");
    expect(api.calls).toHaveLength(0);
  });

  it("is aborted when another ceremony starts: cancelled before that ceremony asks the browser, and fails with ceremony_cancelled", async () => {
    api
      .on("POST /authentication/discover", ok({ credentialRequestOptions: REQUEST_OPTIONS }))
      .on("POST /registration/start", ok({ sessionId: "session-1", credentialCreationOptions: CREATION_OPTIONS }))
      .on("POST /registration/finish", ok(REGISTERED));
    const conditional = deferred<never>();
    webauthn.startAuthentication.mockReturnValueOnce(conditional.promise);
    // Aborting rejects the open request as the browser does (simplewebauthn's WebAuthnError for AbortError).
    const order: string[] = [];
    webauthn.WebAuthnAbortService.cancelCeremony.mockImplementation(() => {
      order.push("autofill aborted");
      conditional.reject(webauthn.webAuthnError("AbortError", "ERROR_CEREMONY_ABORTED"));
    });
    webauthn.startRegistration.mockImplementation(async () => {
      order.push("registration asks the browser");
      return webauthn.attestation();
    });
    const { client } = clientFor();

    const autofill = client.signInWithAutofill();
    await flush();
    expect(webauthn.startAuthentication).toHaveBeenCalledTimes(1); // the conditional request is open
    await client.signUp({ username: "ada", displayName: "Ada" });

    const error = await caught(autofill);
    expect(error.code).toBe("ceremony_cancelled");
    expect(order).toEqual(["autofill aborted", "registration asks the browser"]);
    expect(webauthn.WebAuthnAbortService.cancelCeremony).toHaveBeenCalledTimes(1);
  });

  it("is abandoned without asking the browser when another ceremony starts while its options are on their way", async () => {
    const discover = deferred<{ status: number; body: unknown }>();
    api
      .on("POST /authentication/discover", () => discover.promise, ok({ credentialRequestOptions: REQUEST_OPTIONS }))
      .on("POST /authentication/start", ok({ session: "s", credentialRequestOptions: {} }))
      .on("POST /authentication/finish", signInAnswer(5));
    webauthn.startAuthentication.mockResolvedValue(webauthn.assertion("user-handle"));
    const { client } = clientFor();

    const autofill = client.signInWithAutofill();
    await flush();
    const button = client.signIn(); // discovers with the second queued answer
    discover.resolve({ status: 200, body: { credentialRequestOptions: REQUEST_OPTIONS } });

    expect((await caught(autofill)).code).toBe("ceremony_cancelled");
    expect((await button).refreshToken).toBe("refresh-5");
    // Only the button's request reached the browser, and nothing aborted it.
    expect(webauthn.startAuthentication.mock.calls).toEqual([[{ optionsJSON: REQUEST_OPTIONS, useBrowserAutofill: false }]]);
    expect(webauthn.WebAuthnAbortService.cancelCeremony).not.toHaveBeenCalled();
  });

  it("is abandoned before any request when cancelled while the browser says whether it has conditional UI", async () => {
    const support = deferred<boolean>();
    webauthn.browserSupportsWebAuthnAutofill.mockReturnValue(support.promise);
    const { client } = clientFor();
    const autofill = client.signInWithAutofill();
    client.cancelAutofill();
    support.resolve(true);
    expect((await caught(autofill)).code).toBe("ceremony_cancelled");
    expect(api.calls).toHaveLength(0);
    expect(webauthn.startAuthentication).not.toHaveBeenCalled();
  });

  it("is aborted by cancelAutofill(), and by a second signInWithAutofill()", async () => {
    api.on("POST /authentication/discover", ok({ credentialRequestOptions: REQUEST_OPTIONS }));
    const requests = [deferred<never>(), deferred<never>()];
    webauthn.startAuthentication.mockReturnValueOnce(requests[0]!.promise).mockReturnValueOnce(requests[1]!.promise);
    let open = 0;
    webauthn.WebAuthnAbortService.cancelCeremony.mockImplementation(() => requests[open++]!.reject(webauthn.webAuthnError("AbortError", "ERROR_CEREMONY_ABORTED")));
    const { client } = clientFor();

    const first = client.signInWithAutofill();
    await flush();
    const second = client.signInWithAutofill();
    expect((await caught(first)).code).toBe("ceremony_cancelled");
    await flush();
    client.cancelAutofill();
    expect((await caught(second)).code).toBe("ceremony_cancelled");
    client.cancelAutofill(); // nothing pending: nothing aborted
    expect(webauthn.WebAuthnAbortService.cancelCeremony).toHaveBeenCalledTimes(2);
  });

  it("is no longer cancelled once the person picked a passkey: the sign-in finishes", async () => {
    const finish = deferred<{ status: number; body: unknown }>();
    api
      .on("POST /authentication/discover", ok({ credentialRequestOptions: REQUEST_OPTIONS }))
      .on("POST /authentication/start", ok({ session: "s", credentialRequestOptions: {} }))
      .on("POST /authentication/finish", () => finish.promise);
    webauthn.startAuthentication.mockResolvedValue(webauthn.assertion("user-handle"));
    const { client } = clientFor();

    const autofill = client.signInWithAutofill();
    await vi.waitFor(() => expect(api.callsTo("POST /authentication/finish")).toHaveLength(1));
    client.cancelAutofill();
    finish.resolve(signInAnswer(6) as { status: number; body: unknown });
    expect((await autofill).refreshToken).toBe("refresh-6");
    expect(webauthn.WebAuthnAbortService.cancelCeremony).not.toHaveBeenCalled();
  });
});

describe("addPasskey", () => {
  it("starts verified and finishes with the user's ID token; profile names only when given", async () => {
    api
      .on("POST /registration/start-verified", ok({ sessionId: "session-2", credentialCreationOptions: CREATION_OPTIONS }))
      .on("POST /registration/finish", ok({ ...REGISTERED, credentialId: "second" }));
    webauthn.startRegistration.mockResolvedValue(webauthn.attestation("second"));
    const tokens = storedTokens(1);
    const { client } = clientFor({ tokens });

    expect((await client.addPasskey()).credentialId).toBe("second");
    await client.addPasskey({ displayName: "Ada L." });

    const [start, finish, secondStart] = api.calls;
    expect(start!.body).toEqual({});
    expect(start!.headers["authorization"]).toBe(`Bearer ${tokens.idToken}`);
    expect(finish!.body).toEqual({ sessionId: "session-2", publicKeyCredential: webauthn.attestation("second") });
    expect(finish!.headers["authorization"]).toBe(`Bearer ${tokens.idToken}`);
    expect(secondStart!.body).toEqual({ displayName: "Ada L." });
  });

  it("asks start-verified for mediation conditional and the browser for a conditional create (an automatic passkey upgrade)", async () => {
    api
      .on("POST /registration/start-verified", ok({ sessionId: "session-3", credentialCreationOptions: CREATION_OPTIONS }))
      .on("POST /registration/finish", ok({ ...REGISTERED, credentialId: "upgraded" }));
    webauthn.startRegistration.mockResolvedValue(webauthn.attestation("upgraded"));
    const { client } = clientFor({ tokens: storedTokens(1) });

    expect((await client.addPasskey({ mediation: "conditional" })).credentialId).toBe("upgraded");

    expect(api.calls[0]!.body).toEqual({ mediation: "conditional" });
    // @simplewebauthn/browser's useAutoRegister is navigator.credentials.create({ mediation: "conditional" }).
    expect(webauthn.startRegistration).toHaveBeenCalledWith({ optionsJSON: CREATION_OPTIONS, useAutoRegister: true });
  });

  it("answers ceremony_cancelled, and finishes nothing, when the browser makes no passkey without a prompt", async () => {
    api.on("POST /registration/start-verified", ok({ sessionId: "s", credentialCreationOptions: CREATION_OPTIONS }));
    webauthn.startRegistration.mockRejectedValue(webauthn.webAuthnError("NotAllowedError"));
    const error = await caught(clientFor({ tokens: storedTokens() }).client.addPasskey({ mediation: "conditional" }));
    expect(error.code).toBe("ceremony_cancelled");
    expect(api.routes()).toEqual(["POST /registration/start-verified"]);
  });

  it.each([
    ["signOut", "POST /authentication/sign-out"],
    ["signOutEverywhere", "POST /account/sign-out-everywhere"],
  ] as const)("is aborted by %s while the browser has not made the passkey: ceremony_cancelled, and nothing is finished", async (method, route) => {
    api
      .on("POST /registration/start-verified", ok({ sessionId: "s", credentialCreationOptions: CREATION_OPTIONS }))
      .on(route, ok({}))
      .on("POST /registration/finish", ok(REGISTERED));
    const pending = deferred<ReturnType<typeof webauthn.attestation>>();
    webauthn.startRegistration.mockReturnValueOnce(pending.promise);
    webauthn.WebAuthnAbortService.cancelCeremony.mockImplementation(() => pending.reject(webauthn.webAuthnError("AbortError", "ERROR_CEREMONY_ABORTED")));
    const { client } = clientFor({ tokens: storedTokens(1) });
    const upgrade = caught(client.addPasskey({ mediation: "conditional" }));
    await vi.waitFor(() => expect(webauthn.startRegistration).toHaveBeenCalledTimes(1));

    await client[method]();

    expect((await upgrade).code).toBe("ceremony_cancelled");
    expect(webauthn.WebAuthnAbortService.cancelCeremony).toHaveBeenCalledTimes(1);
    expect(api.routes()).not.toContain("POST /registration/finish");
  });

  it("finishes nothing when signing out comes after the browser made the passkey but before it was sent", async () => {
    api
      .on("POST /registration/start-verified", ok({ sessionId: "s", credentialCreationOptions: CREATION_OPTIONS }))
      .on("POST /authentication/sign-out", ok({}))
      .on("POST /registration/finish", ok(REGISTERED));
    const made = deferred<ReturnType<typeof webauthn.attestation>>();
    webauthn.startRegistration.mockReturnValueOnce(made.promise);
    const { client } = clientFor({ tokens: storedTokens(1) });
    const upgrade = caught(client.addPasskey({ mediation: "conditional" }));
    await vi.waitFor(() => expect(webauthn.startRegistration).toHaveBeenCalledTimes(1));
    const signingOut = client.signOut();
    made.resolve(webauthn.attestation("late"));
    await signingOut;
    expect((await upgrade).code).toBe("ceremony_cancelled");
    expect(api.routes()).not.toContain("POST /registration/finish");
  });

  it("is not_signed_in, with no request, without tokens", async () => {
    const error = await caught(clientFor().client.addPasskey());
    expect(error).toMatchObject({ code: "not_signed_in", status: 0 });
    expect(api.calls).toHaveLength(0);
  });

  it("fails with authenticator_already_registered when the device holds a passkey the options exclude, and finishes nothing", async () => {
    api.on("POST /registration/start-verified", ok({ sessionId: "s", credentialCreationOptions: CREATION_OPTIONS }));
    webauthn.startRegistration.mockRejectedValue(webauthn.webAuthnError("InvalidStateError", "ERROR_AUTHENTICATOR_PREVIOUSLY_REGISTERED"));
    const error = await caught(clientFor({ tokens: storedTokens() }).client.addPasskey());
    expect(error.code).toBe("authenticator_already_registered");
    expect(error.cause).toBeInstanceOf(Error);
    expect(api.routes()).toEqual(["POST /registration/start-verified"]);
  });
});

describe("a signed-in call that needs a recent sign-in", () => {
  const reauthenticationRequired = apiError(401, "reauthentication_required");

  it("fails with reauthentication_required when the app gave no onReauthenticationRequired", async () => {
    api.on("DELETE /credentials/c1", reauthenticationRequired);
    const error = await caught(clientFor({ tokens: storedTokens() }).client.deletePasskey("c1"));
    expect(error).toMatchObject({ code: "reauthentication_required", status: 401 });
    expect(api.calls).toHaveLength(1);
  });

  it("goes through the hook: reauthenticate() signs the same user in again, and the call is retried once with the new ID token", async () => {
    api
      .on("DELETE /credentials/c1", reauthenticationRequired, ok({ signals: [] }))
      .on("POST /authentication/start", ok({ session: "again", credentialRequestOptions: REQUEST_OPTIONS }))
      .on("POST /authentication/finish", signInAnswer(9));
    webauthn.startAuthentication.mockResolvedValue(webauthn.assertion("user-handle"));
    const tokenStore = memoryTokenStore();
    tokenStore.set(storedTokens(1));
    const contexts: unknown[] = [];
    const client: KeyportClient = new KeyportClient({
      fetch: api.fetch,
      baseUrl: "https://api.example.com",
      tokenStore,
      onReauthenticationRequired: async (context) => {
        contexts.push({ operation: context.operation, code: context.error.code });
        await client.reauthenticate();
        return true;
      },
    });

    expect(await client.deletePasskey("c1")).toEqual({ signals: [] });

    expect(contexts).toEqual([{ operation: "deletePasskey", code: "reauthentication_required" }]);
    expect(api.routes()).toEqual(["DELETE /credentials/c1", "POST /authentication/start", "POST /authentication/finish", "DELETE /credentials/c1"]);
    expect(api.calls[1]!.body).toEqual({ userId: "user-handle" }); // the stored user, username-first
    expect(tokenNumber(api.calls[0]!.headers["authorization"])).toBe(1);
    expect(tokenNumber(api.calls[3]!.headers["authorization"])).toBe(9);
  });

  it("is not retried when the hook declines, nor when the new sign-in is someone else's", async () => {
    api
      .on("DELETE /account", reauthenticationRequired)
      .on("POST /authentication/discover", ok({ credentialRequestOptions: REQUEST_OPTIONS }))
      .on("POST /authentication/start", ok({ session: "s", credentialRequestOptions: {} }))
      .on("POST /authentication/finish", signInAnswer(2, "another-sub"));
    webauthn.startAuthentication.mockResolvedValue(webauthn.assertion("another-handle"));
    const make = (hook: (client: KeyportClient) => Promise<boolean>) => {
      const tokenStore = memoryTokenStore();
      tokenStore.set(storedTokens(1));
      const client: KeyportClient = new KeyportClient({ fetch: api.fetch, baseUrl: "https://api.example.com", tokenStore, onReauthenticationRequired: () => hook(client) });
      return client;
    };

    const declined = make(async () => false);
    expect((await caught(declined.deleteAccount())).code).toBe("reauthentication_required");
    expect(api.callsTo("DELETE /account")).toHaveLength(1);

    const switched = make(async (client) => {
      await client.signIn(); // the person picked another account's passkey
      return true;
    });
    expect((await caught(switched.deleteAccount())).code).toBe("reauthentication_required");
    expect(api.callsTo("DELETE /account")).toHaveLength(2); // one each: the other account's was never asked to go
  });

  it("asks the hook once: a second reauthentication_required fails the call", async () => {
    api
      .on("POST /registration/start-verified", reauthenticationRequired)
      .on("POST /authentication/start", ok({ session: "s", credentialRequestOptions: REQUEST_OPTIONS }))
      .on("POST /authentication/finish", signInAnswer(3));
    webauthn.startAuthentication.mockResolvedValue(webauthn.assertion("user-handle"));
    const tokenStore = memoryTokenStore();
    tokenStore.set(storedTokens(1));
    const hook = vi.fn(async () => {
      await client.reauthenticate();
      return true;
    });
    const client: KeyportClient = new KeyportClient({ fetch: api.fetch, tokenStore, baseUrl: "https://api.example.com", onReauthenticationRequired: hook });
    expect((await caught(client.addPasskey())).code).toBe("reauthentication_required");
    expect(hook).toHaveBeenCalledTimes(1);
    expect(api.callsTo("POST /registration/start-verified")).toHaveLength(2);
  });

  it("reauthenticate() is not_signed_in without a stored user handle", async () => {
    const { client } = clientFor({ tokens: storedTokens(1, { userId: undefined }) });
    expect((await caught(client.reauthenticate())).code).toBe("not_signed_in");
    expect(api.calls).toHaveLength(0);
  });
});

describe("WebAuthn failures", () => {
  beforeEach(() => {
    api.on("POST /authentication/discover", ok({ credentialRequestOptions: REQUEST_OPTIONS }));
  });

  it.each([
    ["NotAllowedError", "ceremony_cancelled"],
    ["AbortError", "ceremony_cancelled"],
    ["SecurityError", "webauthn_failed"],
    ["NotSupportedError", "webauthn_failed"],
    // Only registration's InvalidStateError means "already on this device".
    ["InvalidStateError", "webauthn_failed"],
  ])("a sign-in's %s is %s, with the browser's error as the cause", async (name, code) => {
    const browserError = webauthn.webAuthnError(name);
    webauthn.startAuthentication.mockRejectedValue(browserError);
    const error = await caught(clientFor().client.signIn());
    expect(error).toMatchObject({ code, status: 0, name: "KeyportError" });
    expect(error.cause).toBe(browserError);
    expect(api.routes()).toEqual(["POST /authentication/discover"]);
  });

  it("a registration's NotAllowedError is ceremony_cancelled too", async () => {
    api.on("POST /registration/start", ok({ sessionId: "s", credentialCreationOptions: CREATION_OPTIONS }));
    webauthn.startRegistration.mockRejectedValue(webauthn.webAuthnError("NotAllowedError"));
    expect((await caught(clientFor().client.signUp({ username: "a", displayName: "A" }))).code).toBe("ceremony_cancelled");
  });
});
