/**
 * The client's tokens: refreshing (rotation, one request for concurrent callers, the sign-in ending on a
 * refused refresh token), the one automatic refresh-and-retry of a signed-in call whose ID token has
 * expired, signing out (here and everywhere), and the token stores.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { KeyportClient, KeyportError, memoryTokenStore, sessionStorageTokenStore, type TokenStore, type Tokens } from "../../src/client/index.js";
import { FakeApi, apiError, idToken, ok, refreshAnswer, storedTokens, tokenNumber } from "./fake-api.js";
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

let api: FakeApi;
let tokenStore: TokenStore;
let client: KeyportClient;
beforeEach(() => {
  webauthn.resetWebAuthnStub();
  api = new FakeApi();
  tokenStore = memoryTokenStore();
  client = new KeyportClient({ fetch: api.fetch, tokenStore });
});
afterEach(() => vi.unstubAllGlobals());

describe("refresh", () => {
  it("sends the refresh token and the user handle, and stores the rotated refresh token with the new ID token", async () => {
    tokenStore.set(storedTokens(1));
    api.on("POST /authentication/refresh", refreshAnswer(2), refreshAnswer(3));

    const first = await client.refresh();
    expect(api.calls[0]!.url).toBe("/authentication/refresh"); // same origin by default
    expect(api.calls[0]!.body).toEqual({ refreshToken: "refresh-1", userId: "user-handle" });
    expect(first).toMatchObject({ refreshToken: "refresh-2", accessToken: "access-2", userId: "user-handle" });
    expect(tokenNumber(first.idToken)).toBe(2);
    expect(tokenStore.get()).toEqual(first);

    await client.refresh();
    expect(api.calls[1]!.body).toEqual({ refreshToken: "refresh-2", userId: "user-handle" }); // the rotated one
  });

  it("keeps the refresh token when the answer has none (an app client without rotation), and names no user it does not know", async () => {
    tokenStore.set(storedTokens(1, { userId: undefined }));
    api.on("POST /authentication/refresh", refreshAnswer(2, "user-sub", false));
    const tokens = await client.refresh();
    expect(api.calls[0]!.body).toEqual({ refreshToken: "refresh-1" });
    expect(tokens.refreshToken).toBe("refresh-1");
    expect(tokenNumber(tokens.idToken)).toBe(2);
  });

  it("makes one request for concurrent callers: a rotated refresh token works only once", async () => {
    tokenStore.set(storedTokens(1));
    api.on("POST /authentication/refresh", refreshAnswer(2), apiError(401, "refresh_token_invalid"));
    const [a, b] = await Promise.all([client.refresh(), client.refresh()]);
    expect(a).toBe(b);
    expect(api.calls).toHaveLength(1);
  });

  it("ends the sign-in when the refresh token is refused: the store is emptied", async () => {
    tokenStore.set(storedTokens(1));
    api.on("POST /authentication/refresh", apiError(401, "refresh_token_invalid"));
    expect(await caught(client.refresh())).toMatchObject({ code: "refresh_token_invalid", status: 401 });
    expect(tokenStore.get()).toBeNull();
  });

  it("keeps the sign-in when the refresh fails for another reason (try again later)", async () => {
    tokenStore.set(storedTokens(1));
    api.on("POST /authentication/refresh", apiError(503, "identity_provider_unavailable"));
    expect((await caught(client.refresh())).code).toBe("identity_provider_unavailable");
    expect(tokenStore.get()?.refreshToken).toBe("refresh-1");
  });

  it("does not bring back a sign-in that ended while the refresh was on its way", async () => {
    tokenStore.set(storedTokens(1));
    api.on("POST /authentication/refresh", () => {
      tokenStore.set(null); // signed out meanwhile (another part of the app cleared the store)
      return refreshAnswer(2);
    });
    expect((await caught(client.refresh())).code).toBe("not_signed_in");
    expect(tokenStore.get()).toBeNull();
  });

  it("is not_signed_in, with no request, without tokens", async () => {
    expect((await caught(client.refresh())).code).toBe("not_signed_in");
    expect(api.calls).toHaveLength(0);
  });
});

describe("a signed-in call whose ID token has expired", () => {
  it("refreshes once and retries with the new ID token", async () => {
    tokenStore.set(storedTokens(1));
    api.on("GET /credentials", apiError(401, "token_expired"), ok({ credentials: [] })).on("POST /authentication/refresh", refreshAnswer(2));

    expect(await client.listPasskeys()).toEqual([]);

    expect(api.routes()).toEqual(["GET /credentials", "POST /authentication/refresh", "GET /credentials"]);
    expect(tokenNumber(api.calls[0]!.headers["authorization"])).toBe(1);
    expect(tokenNumber(api.calls[2]!.headers["authorization"])).toBe(2);
    expect(tokenStore.get()?.refreshToken).toBe("refresh-2");
  });

  it("retries only once: token_expired again fails the call", async () => {
    tokenStore.set(storedTokens(1));
    api.on("GET /account", apiError(401, "token_expired")).on("POST /authentication/refresh", refreshAnswer(2));
    expect((await caught(client.account())).code).toBe("token_expired");
    expect(api.routes()).toEqual(["GET /account", "POST /authentication/refresh", "GET /account"]);
  });

  it("fails with the refresh's error when the refresh token is refused, and the sign-in ends", async () => {
    tokenStore.set(storedTokens(1));
    api.on("GET /events", apiError(401, "token_expired")).on("POST /authentication/refresh", apiError(401, "refresh_token_invalid"));
    expect((await caught(client.events())).code).toBe("refresh_token_invalid");
    expect(api.routes()).toEqual(["GET /events", "POST /authentication/refresh"]);
    expect(tokenStore.get()).toBeNull();
  });

  it("shares one refresh among concurrent calls", async () => {
    tokenStore.set(storedTokens(1));
    const expiredThenOk = (call: { headers: Record<string, string> }) =>
      tokenNumber(call.headers["authorization"]) === 1 ? apiError(401, "token_expired") : ok({ credentials: [] });
    api
      .on("GET /credentials", expiredThenOk)
      .on("GET /account", (call) => (tokenNumber(call.headers["authorization"]) === 1 ? apiError(401, "token_expired") : ok({ userId: "u" })))
      .on("POST /authentication/refresh", refreshAnswer(2), apiError(401, "refresh_token_invalid"));

    await Promise.all([client.listPasskeys(), client.account()]);

    expect(api.callsTo("POST /authentication/refresh")).toHaveLength(1);
    expect(api.callsTo("GET /credentials").map((call) => tokenNumber(call.headers["authorization"]))).toEqual([1, 2]);
    expect(api.callsTo("GET /account").map((call) => tokenNumber(call.headers["authorization"]))).toEqual([1, 2]);
  });

  it("uses tokens another call refreshed meanwhile instead of refreshing again", async () => {
    tokenStore.set(storedTokens(1));
    api.on("GET /credentials", () => {
      tokenStore.set(storedTokens(5)); // another call's refresh landed while this one was out
      return apiError(401, "token_expired");
    }, ok({ credentials: [] }));
    await client.listPasskeys();
    expect(api.callsTo("POST /authentication/refresh")).toHaveLength(0);
    expect(tokenNumber(api.calls[1]!.headers["authorization"])).toBe(5);
  });

  it.each(["token_signature_invalid", "token_malformed", "token_not_yet_valid", "token_missing"])("is not refreshed for %s", async (code) => {
    tokenStore.set(storedTokens(1));
    api.on("GET /credentials", apiError(401, code));
    expect((await caught(client.listPasskeys())).code).toBe(code);
    expect(api.calls).toHaveLength(1);
    expect(tokenStore.get()?.refreshToken).toBe("refresh-1"); // the app decides what a refused ID token means
  });
});

describe("signOut", () => {
  it("revokes the refresh token with the ID token as Bearer (so the sign-out is recorded), then empties the store", async () => {
    const tokens = storedTokens(1);
    tokenStore.set(tokens);
    api.on("POST /authentication/sign-out", ok({}));
    await client.signOut();
    expect(api.calls).toHaveLength(1);
    expect(api.calls[0]!.body).toEqual({ refreshToken: "refresh-1" });
    expect(api.calls[0]!.headers["authorization"]).toBe(`Bearer ${tokens.idToken}`);
    expect(tokenStore.get()).toBeNull();
  });

  it("leaves out an ID token that has expired (the API would refuse the sign-out)", async () => {
    tokenStore.set(storedTokens(1, { idToken: idToken("user-sub", { exp: Math.floor(Date.now() / 1000) - 10 }) }));
    api.on("POST /authentication/sign-out", ok({}));
    await client.signOut();
    expect(api.calls[0]!.headers["authorization"]).toBeUndefined();
    expect(api.calls[0]!.body).toEqual({ refreshToken: "refresh-1" });
  });

  it("signs out without the ID token when the API refuses it (the clocks disagree)", async () => {
    tokenStore.set(storedTokens(1));
    api.on("POST /authentication/sign-out", apiError(401, "token_expired"), ok({}));
    await client.signOut();
    expect(api.calls.map((call) => call.headers["authorization"] === undefined)).toEqual([false, true]);
    expect(tokenStore.get()).toBeNull();
  });

  it("counts a refresh token that was refused already as signed out", async () => {
    tokenStore.set(storedTokens(1));
    api.on("POST /authentication/sign-out", apiError(401, "refresh_token_invalid"));
    await client.signOut();
    expect(tokenStore.get()).toBeNull();
  });

  it("empties the store even when the API could not be told, and says so", async () => {
    tokenStore.set(storedTokens(1));
    api.on("POST /authentication/sign-out", apiError(503, "identity_provider_unavailable"));
    expect((await caught(client.signOut())).code).toBe("identity_provider_unavailable");
    expect(tokenStore.get()).toBeNull();
  });

  it("waits for a refresh in flight and revokes the refresh token it brought", async () => {
    tokenStore.set(storedTokens(1));
    api.on("POST /authentication/refresh", refreshAnswer(2)).on("POST /authentication/sign-out", ok({}));
    const refreshing = client.refresh();
    await client.signOut();
    await refreshing;
    expect(api.routes()).toEqual(["POST /authentication/refresh", "POST /authentication/sign-out"]);
    expect(api.calls[1]!.body).toEqual({ refreshToken: "refresh-2" });
    expect(tokenStore.get()).toBeNull();
  });

  it("does nothing when nobody is signed in", async () => {
    await client.signOut();
    expect(api.calls).toHaveLength(0);
  });
});

describe("signOutEverywhere", () => {
  it("asks the API to revoke every refresh token of the user, then empties the store", async () => {
    const tokens = storedTokens(1);
    tokenStore.set(tokens);
    api.on("POST /account/sign-out-everywhere", ok({}));
    await client.signOutEverywhere();
    expect(api.calls[0]!.body).toEqual({});
    expect(api.calls[0]!.headers["authorization"]).toBe(`Bearer ${tokens.idToken}`);
    expect(tokenStore.get()).toBeNull();
  });

  it("keeps the sign-in when the API could not do it", async () => {
    tokenStore.set(storedTokens(1));
    api.on("POST /account/sign-out-everywhere", apiError(429, "too_many_requests"));
    expect((await caught(client.signOutEverywhere())).code).toBe("too_many_requests");
    expect(tokenStore.get()).not.toBeNull();
  });
});

describe("token stores", () => {
  it("the default keeps the tokens in memory, one store per client", async () => {
    const api2 = new FakeApi()
      .on("POST /authentication/start", ok({ session: "s", credentialRequestOptions: { challenge: "c" } }))
      .on("POST /authentication/finish", ok({ accessToken: "a", idToken: idToken(), refreshToken: "r", expiresIn: 60, tokenType: "Bearer", signals: [] }));
    webauthn.startAuthentication.mockResolvedValue(webauthn.assertion("user-handle"));
    const a = new KeyportClient({ fetch: api2.fetch });
    const b = new KeyportClient({ fetch: api2.fetch });
    await a.signInWithUserId("user-handle");
    expect(a.getTokens()?.refreshToken).toBe("r");
    expect(b.getTokens()).toBeNull();
  });

  it("the client reads the app's store on every call, so that a change the app makes counts at once", async () => {
    tokenStore.set(storedTokens(1));
    api.on("GET /account", ok({ userId: "u" }));
    await client.account();
    tokenStore.set(storedTokens(4));
    await client.account();
    expect(api.calls.map((call) => tokenNumber(call.headers["authorization"]))).toEqual([1, 4]);
  });

  describe("sessionStorageTokenStore", () => {
    function fakeSessionStorage(): Map<string, string> {
      const items = new Map<string, string>();
      vi.stubGlobal("sessionStorage", {
        getItem: (key: string) => items.get(key) ?? null,
        setItem: (key: string, value: string) => items.set(key, value),
        removeItem: (key: string) => items.delete(key),
      });
      return items;
    }

    it("keeps the tokens in sessionStorage under its key, and removes them on sign-out", () => {
      const items = fakeSessionStorage();
      const store = sessionStorageTokenStore("app.tokens");
      const tokens: Tokens = storedTokens(1);
      store.set(tokens);
      expect(JSON.parse(items.get("app.tokens")!)).toEqual(tokens);
      expect(sessionStorageTokenStore("app.tokens").get()).toEqual(tokens); // a reload finds them
      store.set(null);
      expect(items.has("app.tokens")).toBe(false);
      expect(store.get()).toBeNull();
    });

    it("treats an entry it did not write as no tokens", () => {
      const items = fakeSessionStorage();
      const store = sessionStorageTokenStore();
      for (const junk of ["not json", "null", "[]", JSON.stringify({ idToken: "x" }), JSON.stringify({ ...storedTokens(), expiresAt: "soon" })]) {
        items.set("keyport.tokens", junk);
        expect(store.get()).toBeNull();
      }
    });
  });
});
