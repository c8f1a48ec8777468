/**
 * Security activity over HTTP (issue 12): every ceremony and change of an account is one event of the
 * expected type and fields, visible to its owner at `GET /events` and to nobody else; what the request
 * told (address, browser, correlation id) goes with it, through the identity provider's Verify trigger
 * too. Runs on both storages (the api-dynamodb project runs it again on DynamoDB Local).
 */
import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { InMemoryCeremonyMetrics } from "../../../src/adapters/system/in-memory-ceremony-metrics.js";
import { resolve, Tokens } from "../../../src/composition/container.js";
import type { PublicKeyCredentialRequestOptionsJSON } from "../../../src/domain/encoding/webauthn-json.js";
import { ERRORS } from "../../../src/handlers/http/errors.js";
import { StorageUnavailableError } from "../../../src/ports/storage-unavailable-error.js";
import type { SecurityEventLog } from "../../../src/ports/security-event-log.js";
import { SoftwareAuthenticator } from "../../support/software-authenticator.js";
import {
  addPasskey,
  ApiClient,
  bearer,
  buildTestApp,
  discoverableSignIn,
  expectOk,
  FALLBACK_AUTHENTICATOR_NAME,
  ORIGIN,
  signUp,
  TEST_AUTHENTICATOR,
  type ApiResponse,
  type TokenResponse,
} from "./harness.js";

/** Usernames are unique (ADR 0017) and, on the api-dynamodb project, the tests of a file share one table. */
const freshName = (name: string): string => `${name}-${randomUUID().slice(0, 8)}`;

const SOURCE_IP = "203.0.113.5";
const USER_AGENT = "Mozilla/5.0 (X11; Linux x86_64) keyport-events-test/1.0";

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- response bodies are checked field by field

/**
 * The app with the client's address as the runtime would report it and a browser's User-Agent on every
 * request; `overrides` as buildTestApp takes them.
 */
function eventsApp(options: Parameters<typeof buildTestApp>[0] = {}) {
  const test = buildTestApp({ connInfo: () => ({ remote: { address: SOURCE_IP } }), ...options });
  const client = new ApiClient(async (path, init) =>
    test.app.request(path, { ...init, headers: { "User-Agent": USER_AGENT, ...(init.headers as Record<string, string> | undefined) } }),
  );
  return { ...test, client };
}

type EventsApp = ReturnType<typeof eventsApp>;

/** The caller's whole trail, newest first (fewer than 100 events in these tests). */
async function trail(client: ApiClient, idToken: string): Promise<Json[]> {
  const response = await client.get("/events?limit=100", bearer(idToken));
  expectOk(response, "GET /events");
  expect(response.json.nextCursor).toBeNull();
  return response.json.events as Json[];
}

/** What the request told, as every event of these tests carries it. */
const fromTheBrowser = { sourceIp: SOURCE_IP, userAgent: USER_AGENT, correlationId: expect.stringMatching(/^[0-9a-f-]{36}$/) };

/** An event as GET /events shows it: an id, the time as ISO 8601 UTC, and what the request told. */
const event = (type: string, fields: Json = {}): Json => ({
  eventId: expect.stringMatching(/^[A-Za-z0-9_-]{22}$/),
  type,
  at: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
  ...fields,
  ...fromTheBrowser,
});

/** The fields of an event about a passkey. */
const passkey = (credentialId: string, passkeyName: string, authenticatorName = FALLBACK_AUTHENTICATOR_NAME): Json => ({ credentialId, passkeyName, authenticatorName });

/**
 * Runs `step` a second after what came before and returns what it added to the trail: the trail is read
 * before and after, and must have grown by exactly the events returned, newest first, with everything
 * older unchanged. (Events of one millisecond have no order among themselves, so each step is given its own.)
 */
async function added(test: EventsApp, idToken: string, step: () => Promise<unknown>): Promise<Json[]> {
  const before = await trail(test.client, idToken);
  test.clock.advance(1_000);
  await step();
  const after = await trail(test.client, idToken);
  const grown = after.slice(0, after.length - before.length);
  expect(after.slice(grown.length)).toEqual(before);
  return grown;
}

/** A passkey on the catalog's known authenticator, so that events name it. */
const knownAuthenticator = () => new SoftwareAuthenticator({ aaguid: TEST_AUTHENTICATOR.bytes });

/** A discoverable sign-in's answer from `authenticator`, answered as `origin` would, and the response. */
async function signInAs(client: ApiClient, authenticator: SoftwareAuthenticator, origin = ORIGIN): Promise<ApiResponse> {
  const discovered = await client.post("/authentication/discover", {});
  expectOk(discovered, "discover");
  const assertion = authenticator.getAssertion(discovered.json.credentialRequestOptions as PublicKeyCredentialRequestOptionsJSON, { origin });
  const userId = assertion.response.userHandle ?? "";
  const started = await client.post("/authentication/start", { userId });
  expectOk(started, "start");
  return client.post("/authentication/finish", { session: started.json.session, userId, publicKeyCredential: assertion });
}

async function signedUp(test: EventsApp, authenticator = knownAuthenticator()) {
  const username = freshName("eve");
  const user = await signUp(test.client, authenticator, username);
  test.clock.advance(1_000);
  const tokens = await discoverableSignIn(test.client, authenticator);
  test.clock.advance(1_000);
  return { authenticator, username, user, tokens };
}

describe("GET /events: what happens to an account, event by event", () => {
  it("a sign-up and the sign-in after it", async () => {
    const test = eventsApp();
    const { user, tokens } = await signedUp(test);
    const events = await trail(test.client, tokens.idToken);
    expect(events).toEqual([
      event("sign_in.succeeded", passkey(user.credentialId, user.name, TEST_AUTHENTICATOR.name)),
      event("registration.succeeded", passkey(user.credentialId, user.name, TEST_AUTHENTICATOR.name)),
    ]);
    // Never whose trail it is: it is the caller's own.
    expect(JSON.stringify(events)).not.toContain(user.userId);
  });

  it("each event carries the correlation id of the request that caused it", async () => {
    const test = eventsApp();
    const { tokens } = await signedUp(test);
    const correlationId = `evt-${randomUUID()}`;
    const renamed = await test.client.send("/account", {
      method: "PATCH",
      headers: { ...bearer(tokens.idToken), "Content-Type": "application/json", "X-Correlation-Id": correlationId },
      body: JSON.stringify({ displayName: "Eve E." }),
    });
    expectOk(renamed, "PATCH /account");
    const [newest] = await trail(test.client, tokens.idToken);
    expect(newest).toMatchObject({ type: "account.updated", correlationId });
  });

  it("adding, renaming, disabling, enabling and deleting a passkey", async () => {
    const test = eventsApp();
    const { tokens, user, authenticator } = await signedUp(test);
    const auth = bearer(tokens.idToken);
    const phone = new SoftwareAuthenticator();
    let second = { credentialId: "", name: "" };

    expect(await added(test, tokens.idToken, async () => (second = await addPasskey(test.client, tokens.idToken, phone)))).toEqual([
      event("passkey.added", passkey(second.credentialId, second.name)),
    ]);

    const path = `/credentials/${encodeURIComponent(second.credentialId)}`;
    expect(await added(test, tokens.idToken, async () => expectOk(await test.client.patch(path, { name: "Work phone" }, auth), "rename"))).toEqual([
      event("passkey.renamed", { ...passkey(second.credentialId, "Work phone"), previousName: second.name }),
    ]);

    const first = `/credentials/${encodeURIComponent(user.credentialId)}`;
    expect(await added(test, tokens.idToken, async () => expectOk(await test.client.patch(first, { enabled: false }, auth), "disable"))).toEqual([
      event("passkey.disabled", passkey(user.credentialId, user.name, TEST_AUTHENTICATOR.name)),
    ]);

    // Signing in with the disabled passkey: 401 credential_disabled, and the owner sees the attempt.
    let refused: ApiResponse | undefined;
    expect(await added(test, tokens.idToken, async () => (refused = await signInAs(test.client, authenticator)))).toEqual([
      event("sign_in.failed", { ...passkey(user.credentialId, user.name, TEST_AUTHENTICATOR.name), code: "credential_disabled" }),
    ]);
    expect({ status: refused?.status, code: refused?.json.error.code }).toEqual({ status: 401, code: "credential_disabled" });

    expect(await added(test, tokens.idToken, async () => expectOk(await test.client.patch(first, { enabled: true }, auth), "enable"))).toEqual([
      event("passkey.enabled", passkey(user.credentialId, user.name, TEST_AUTHENTICATOR.name)),
    ]);

    // A rename and a disable in one request are two events, one per change.
    const both = await added(test, tokens.idToken, async () => expectOk(await test.client.patch(path, { name: "Old phone", enabled: false }, auth), "both"));
    expect(both).toHaveLength(2);
    expect(both).toEqual(
      expect.arrayContaining([
        event("passkey.renamed", { ...passkey(second.credentialId, "Old phone"), previousName: "Work phone" }),
        event("passkey.disabled", passkey(second.credentialId, "Old phone")),
      ]),
    );

    expect(await added(test, tokens.idToken, async () => expectOk(await test.client.delete(path, auth), "delete"))).toEqual([
      event("passkey.deleted", passkey(second.credentialId, "Old phone")),
    ]);
  });

  it("a sign-in the identity provider refuses (a wrong origin), recorded by its Verify trigger with the request's context", async () => {
    const test = eventsApp();
    const { tokens, user, authenticator } = await signedUp(test);
    let refused: ApiResponse | undefined;
    const events = await added(test, tokens.idToken, async () => (refused = await signInAs(test.client, authenticator, "https://evil.example")));
    // The HTTP API says only sign_in_failed; the owner's trail says why, in a code of the API's table.
    expect({ status: refused?.status, code: refused?.json.error.code }).toEqual({ status: 401, code: "sign_in_failed" });
    expect(events).toEqual([event("sign_in.failed", { ...passkey(user.credentialId, user.name, TEST_AUTHENTICATOR.name), code: "origin_mismatch" })]);
    expect(ERRORS).toHaveProperty("origin_mismatch");
  });

  it("a passkey a signed-in user failed to add", async () => {
    const test = eventsApp();
    const { tokens } = await signedUp(test);
    const events = await added(test, tokens.idToken, async () => {
      const started = await test.client.post("/registration/start-verified", {}, bearer(tokens.idToken));
      expectOk(started, "start-verified");
      const credential = new SoftwareAuthenticator().createCredential(started.json.credentialCreationOptions, { origin: "https://evil.example" });
      const finished = await test.client.post("/registration/finish", { sessionId: started.json.sessionId, publicKeyCredential: credential }, bearer(tokens.idToken));
      expect({ status: finished.status, code: finished.json.error.code }).toEqual({ status: 400, code: "origin_mismatch" });
    });
    expect(events).toEqual([event("registration.failed", { code: "origin_mismatch" })]);
  });

  it("refreshing tokens, changing the account, signing out here and everywhere", async () => {
    const test = eventsApp();
    const { tokens } = await signedUp(test);
    const auth = bearer(tokens.idToken);
    let refreshed: Partial<TokenResponse> = {};

    expect(
      await added(test, tokens.idToken, async () => {
        const response = await test.client.post("/authentication/refresh", { refreshToken: tokens.refreshToken });
        expectOk(response, "refresh");
        refreshed = response.json;
      }),
    ).toEqual([event("token.refreshed")]);

    expect(await added(test, tokens.idToken, async () => expectOk(await test.client.patch("/account", { displayName: "Eve Example" }, auth), "display name"))).toEqual([
      event("account.updated", { changed: ["displayName"] }),
    ]);
    const username = freshName("eve-renamed");
    expect(await added(test, tokens.idToken, async () => expectOk(await test.client.patch("/account", { username, displayName: "Eve" }, auth), "both names"))).toEqual([
      event("account.updated", { changed: ["username", "displayName"] }),
    ]);

    // With the ID token beside the refresh token the sign-out is the user's; without it, it names nobody.
    const refreshToken = refreshed.refreshToken ?? tokens.refreshToken;
    expect(await added(test, tokens.idToken, async () => expectOk(await test.client.post("/authentication/sign-out", { refreshToken }, auth), "sign-out"))).toEqual([
      event("signed_out"),
    ]);
    expect(await added(test, tokens.idToken, async () => expectOk(await test.client.post("/authentication/sign-out", { refreshToken }), "anonymous sign-out"))).toEqual([]);

    expect(await added(test, tokens.idToken, async () => expectOk(await test.client.post("/account/sign-out-everywhere", {}, auth), "everywhere"))).toEqual([
      event("signed_out_everywhere"),
    ]);
  });

  it("deleting the account: the trail outlives it, ending with account.deleted", async () => {
    const test = eventsApp();
    const { tokens, user } = await signedUp(test);
    expectOk(await test.client.delete("/account", bearer(tokens.idToken)), "DELETE /account");
    // The ID token lives on for its hour, but names no account here any more: no trail to show.
    const after = await test.client.get("/events", bearer(tokens.idToken));
    expect({ status: after.status, json: after.json }).toEqual({ status: 200, json: { events: [], nextCursor: null } });
    const kept = await resolve(test.container, Tokens.securityEventLog).listForUser(user.userId, { limit: 10, cursor: null });
    expect(kept.ok && kept.value.events.map((e) => e.type)).toEqual(["account.deleted", "sign_in.succeeded", "registration.succeeded"]);
  });

  it("records nothing for nobody: a sign-in with a passkey keyport does not know is the operator's count only", async () => {
    const test = eventsApp();
    const { tokens } = await signedUp(test);
    const stranger = new SoftwareAuthenticator();
    // A credential of another relying party's user, presented as if for this user.
    stranger.createCredential(
      { ...(await test.client.post("/registration/start", { username: freshName("ghost"), displayName: "Ghost" })).json.credentialCreationOptions },
      { origin: ORIGIN },
    );
    const events = await added(test, tokens.idToken, async () => expect((await signInAs(test.client, stranger)).json.error.code).toBe("credential_not_found"));
    expect(events).toEqual([]);
    const metrics = resolve(test.container, Tokens.ceremonyMetrics);
    expect(metrics).toBeInstanceOf(InMemoryCeremonyMetrics);
    expect((metrics as InMemoryCeremonyMetrics).counts()).toContainEqual({ ceremony: "sign_in", outcome: "failed", code: "credential_not_found", count: 1 });
  });
});

describe("GET /events: only the caller's own events, a page at a time", () => {
  it("pages newest first with nextCursor, 20 by default", async () => {
    const test = eventsApp();
    const { tokens } = await signedUp(test);
    const auth = bearer(tokens.idToken);
    for (let i = 0; i < 22; i++) expectOk(await test.client.patch("/account", { displayName: `Eve ${i}` }, auth), "PATCH /account");
    const all = await trail(test.client, tokens.idToken);
    expect(all).toHaveLength(24);

    const first = await test.client.get("/events", auth);
    expect(first.json.events).toEqual(all.slice(0, 20));
    expect(first.json.nextCursor).toEqual(expect.any(String));
    const second = await test.client.get(`/events?cursor=${encodeURIComponent(first.json.nextCursor)}`, auth);
    expect(second.json).toEqual({ events: all.slice(20), nextCursor: null });

    const pages: Json[] = [];
    let cursor: string | null = null;
    do {
      const page: ApiResponse = await test.client.get(`/events?limit=7${cursor === null ? "" : `&cursor=${encodeURIComponent(cursor)}`}`, auth);
      expectOk(page, "page");
      expect(page.json.events.length).toBeLessThanOrEqual(7);
      pages.push(...page.json.events);
      cursor = page.json.nextCursor;
    } while (cursor !== null);
    expect(pages).toEqual(all);
  });

  it("never shows one user's events to another, even with the other's cursor", async () => {
    const test = eventsApp();
    const alice = await signedUp(test);
    const bob = await signedUp(test, new SoftwareAuthenticator());
    for (let i = 0; i < 3; i++) expectOk(await test.client.patch("/account", { displayName: `Alice ${i}` }, bearer(alice.tokens.idToken)), "alice");

    const alicesPage = await test.client.get("/events?limit=2", bearer(alice.tokens.idToken));
    expect(alicesPage.json.nextCursor).toEqual(expect.any(String));
    const alicesEvents = await trail(test.client, alice.tokens.idToken);
    const bobsEvents = await trail(test.client, bob.tokens.idToken);
    expect(bobsEvents.map((e) => e.type)).toEqual(["sign_in.succeeded", "registration.succeeded"]);
    const ids = (events: Json[]) => new Set(events.map((e) => e.eventId));
    expect([...ids(bobsEvents)].filter((id) => ids(alicesEvents).has(id))).toEqual([]);
    expect(JSON.stringify(bobsEvents)).not.toContain(alice.user.credentialId);

    // Alice's cursor names a place in Alice's trail: Bob gets nothing of it.
    const withAlicesCursor = await test.client.get(`/events?cursor=${encodeURIComponent(alicesPage.json.nextCursor)}`, bearer(bob.tokens.idToken));
    expect({ status: withAlicesCursor.status, code: withAlicesCursor.json.error?.code }).toEqual({ status: 400, code: "cursor_invalid" });
    expect(withAlicesCursor.text).not.toContain(alice.user.credentialId);
  });

  it.each([
    ["0", "limit=0"],
    ["101", "limit=101"],
    ["not a number", "limit=ten"],
    ["a fraction", "limit=1.5"],
    ["negative", "limit=-1"],
    ["empty", "limit="],
    ["given twice", "limit=5&limit=6"],
  ])("refuses a limit that is %s: 400 limit_invalid", async (_label, query) => {
    const test = eventsApp();
    const { tokens } = await signedUp(test);
    const response = await test.client.get(`/events?${query}`, bearer(tokens.idToken));
    expect({ status: response.status, json: response.json }).toEqual({ status: 400, json: { error: { code: "limit_invalid", message: expect.any(String) } } });
  });

  it.each([
    ["garbage", "cursor=garbage"],
    ["empty", "cursor="],
    ["given twice", "cursor=a&cursor=b"],
  ])("refuses a cursor that is %s: 400 cursor_invalid", async (_label, query) => {
    const test = eventsApp();
    const { tokens } = await signedUp(test);
    const response = await test.client.get(`/events?${query}`, bearer(tokens.idToken));
    expect({ status: response.status, json: response.json }).toEqual({ status: 400, json: { error: { code: "cursor_invalid", message: expect.any(String) } } });
  });

  it("takes 1 and 100 as limits", async () => {
    const test = eventsApp();
    const { tokens } = await signedUp(test);
    const one = await test.client.get("/events?limit=1", bearer(tokens.idToken));
    expect(one.json.events).toHaveLength(1);
    expect(one.json.nextCursor).toEqual(expect.any(String));
    expect((await test.client.get("/events?limit=100", bearer(tokens.idToken))).json.events).toHaveLength(2);
  });
});

describe("security activity is never at a sign-in's expense", () => {
  /** The store's adapter, failing every write as DynamoDB out of reach would; reads still work. */
  function failingWrites(log: SecurityEventLog): SecurityEventLog {
    const down = (operation: string) => Promise.reject(new StorageUnavailableError(operation, true, new Error("ThrottlingException on keyport-events")));
    return { append: () => down("append event"), appendFailure: () => down("append failed sign-in"), listForUser: (handle, page) => log.listForUser(handle, page) };
  }

  it("a store that cannot write leaves sign-in working, and logs one error line carrying the whole event", async () => {
    const healthy = eventsApp();
    const test = eventsApp({ overrides: { securityEventLog: failingWrites(resolve(healthy.container, Tokens.securityEventLog)) } });
    const authenticator = knownAuthenticator();
    const user = await signUp(test.client, authenticator, freshName("lost"));
    test.logs.length = 0;

    const tokens = await discoverableSignIn(test.client, authenticator);
    expect(tokens.idToken).toEqual(expect.any(String));

    const lost = test.logs.filter((entry) => entry.level === "error");
    expect(lost).toEqual([
      expect.objectContaining({
        event: "security_event_lost",
        error: "StorageUnavailableError",
        message: expect.stringContaining("ThrottlingException"),
        securityEvent: {
          type: "sign_in.succeeded",
          eventId: expect.any(String),
          at: test.clock.now(),
          userHandle: user.userId,
          credentialId: user.credentialId,
          passkeyName: user.name,
          authenticatorName: TEST_AUTHENTICATOR.name,
          context: { sourceIp: SOURCE_IP, userAgent: USER_AGENT, correlationId: expect.any(String) },
        },
      }),
    ]);
    // The line joins the request's own log line, which says the sign-in succeeded.
    const finish = test.logs.find((entry) => entry.event === "http_request" && entry.path === "/authentication/finish");
    expect(finish).toMatchObject({ status: 200, correlationId: (lost[0]?.securityEvent as { context: { correlationId: string } }).context.correlationId });
  });

  it("a refused sign-in is answered as ever when its event cannot be stored", async () => {
    const test = eventsApp({ overrides: { securityEventLog: failingWrites(resolve(eventsApp().container, Tokens.securityEventLog)) } });
    const authenticator = knownAuthenticator();
    await signUp(test.client, authenticator, freshName("lost"));
    test.logs.length = 0;
    const refused = await signInAs(test.client, authenticator, "https://evil.example");
    expect({ status: refused.status, code: refused.json.error.code }).toEqual({ status: 401, code: "sign_in_failed" });
    expect(test.logs.filter((entry) => entry.event === "security_event_lost")).toEqual([
      expect.objectContaining({ level: "error", securityEvent: expect.objectContaining({ type: "sign_in.failed", code: "origin_mismatch" }) }),
    ]);
  });
});

describe("the flood bound, over HTTP", () => {
  it("stores 20 failed sign-ins of a user per hour, then counts the rest in one sign_in.failed_suppressed", async () => {
    const test = eventsApp();
    const { tokens, user, authenticator } = await signedUp(test);
    // A second passkey, so that the first may be disabled; then anyone holding the first fails with it.
    await addPasskey(test.client, tokens.idToken, new SoftwareAuthenticator());
    expectOk(await test.client.patch(`/credentials/${encodeURIComponent(user.credentialId)}`, { enabled: false }, bearer(tokens.idToken)), "disable");

    const attempts = 27;
    for (let i = 0; i < attempts; i++) expect((await signInAs(test.client, authenticator)).json.error.code).toBe("credential_disabled");

    const events = await trail(test.client, tokens.idToken);
    const failed = events.filter((e) => e.type === "sign_in.failed");
    const suppressed = events.filter((e) => e.type === "sign_in.failed_suppressed");
    expect(failed).toHaveLength(20);
    const windowStart = Math.floor(test.clock.now() / 3_600_000) * 3_600_000;
    expect(suppressed).toEqual([
      event("sign_in.failed_suppressed", { count: attempts - 20, windowStart: new Date(windowStart).toISOString(), windowEnd: new Date(windowStart + 3_600_000).toISOString() }),
    ]);
    // The bound is the trail's, not the operator's: every attempt is counted.
    const metrics = resolve(test.container, Tokens.ceremonyMetrics) as InMemoryCeremonyMetrics;
    expect(metrics.counts()).toContainEqual({ ceremony: "sign_in", outcome: "failed", code: "credential_disabled", count: attempts });
  });
});
