/**
 * The keyport API as the client's unit tests see it: a fetch function that answers each route with
 * the answers a test queued for it (the last one repeats), records every call, and answers any route
 * nobody queued with 404 not_found, so that a call a test did not expect fails it.
 */
import type { FetchFunction, Tokens } from "../../src/client/index.js";

export interface RecordedCall {
  readonly method: string;
  /** The path with its query string, as the client built it, without the base URL. */
  readonly path: string;
  readonly url: string;
  /** Request headers, names in lower case. */
  readonly headers: Readonly<Record<string, string>>;
  /** The parsed JSON body; `undefined` when none was sent. */
  readonly body: unknown;
  readonly init: RequestInit;
}

export interface Answer {
  readonly status?: number;
  /** JSON body. */
  readonly body?: unknown;
  /** A body sent as it is (not JSON). */
  readonly raw?: string;
  readonly headers?: Readonly<Record<string, string>>;
}

export type Handler = (call: RecordedCall) => Answer | Promise<Answer>;

export const ok = (body: unknown): Answer => ({ status: 200, body });

/** An error answer in the API's shape, with anything else (`signals`) beside `error`. */
export const apiError = (status: number, code: string, extra: Record<string, unknown> = {}): Answer => ({
  status,
  body: { error: { code, message: `message of ${code}` }, ...extra },
  headers: { "X-Correlation-Id": `corr-${code}` },
});

export class FakeApi {
  readonly calls: RecordedCall[] = [];
  readonly #routes = new Map<string, (Answer | Handler)[]>();

  constructor(readonly baseUrl = "") {}

  /** Queues answers for `route` ("POST /registration/start"), given in order; the last repeats. */
  on(route: string, ...answers: (Answer | Handler)[]): this {
    this.#routes.set(route, [...(this.#routes.get(route) ?? []), ...answers]);
    return this;
  }

  /** The calls to `route` ("GET /credentials"; the path without its query string), oldest first. */
  callsTo(route: string): RecordedCall[] {
    return this.calls.filter((call) => `${call.method} ${call.path.split("?")[0]}` === route);
  }

  /** The route of each call, in order ("POST /authentication/discover", …). */
  routes(): string[] {
    return this.calls.map((call) => `${call.method} ${call.path.split("?")[0]}`);
  }

  readonly fetch: FetchFunction = async (url, init) => {
    if (!url.startsWith(this.baseUrl)) throw new Error(`fetch of ${url}, outside ${this.baseUrl}`);
    const path = url.slice(this.baseUrl.length);
    const headers: Record<string, string> = {};
    new Headers(init.headers).forEach((value, name) => (headers[name] = value));
    const body = typeof init.body === "string" ? (JSON.parse(init.body) as unknown) : undefined;
    const call: RecordedCall = { method: init.method ?? "GET", path, url, headers, body, init };
    this.calls.push(call);
    const queue = this.#routes.get(`${call.method} ${path.split("?")[0]}`);
    const next = queue === undefined ? apiError(404, "not_found") : queue.length > 1 ? queue.shift()! : queue[0]!;
    const answer = typeof next === "function" ? await next(call) : next;
    const responseHeaders = { "X-Correlation-Id": "corr-ok", ...(answer.raw === undefined ? { "Content-Type": "application/json" } : {}), ...answer.headers };
    const text = answer.raw ?? (answer.body === undefined ? "" : JSON.stringify(answer.body));
    return new Response(text === "" ? null : text, { status: answer.status ?? 200, headers: responseHeaders });
  };
}

/** A JWT-shaped string with these claims (not signed: the client never verifies tokens). */
export function jwt(claims: Record<string, unknown>): string {
  const part = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");
  return `${part({ alg: "ES256", typ: "JWT" })}.${part(claims)}.c2lnbmF0dXJl`;
}

/** An ID token of `sub`, valid for an hour unless `exp` (epoch seconds) says otherwise. */
export function idToken(sub = "user-sub", extra: Record<string, unknown> = {}): string {
  return jwt({ sub, token_use: "id", exp: Math.floor(Date.now() / 1000) + 3600, ...extra });
}

/** `POST /authentication/finish`'s answer; `n` tells one sign-in's tokens from another's. */
export function signInAnswer(n: number, sub = "user-sub", signals: unknown[] = []): Answer {
  return ok({ accessToken: `access-${n}`, idToken: idToken(sub, { n }), refreshToken: `refresh-${n}`, expiresIn: 3600, tokenType: "Bearer", signals });
}

/** `POST /authentication/refresh`'s answer (rotated: a new refresh token, unless `rotated` is false). */
export function refreshAnswer(n: number, sub = "user-sub", rotated = true): Answer {
  return ok({ accessToken: `access-${n}`, idToken: idToken(sub, { n }), ...(rotated ? { refreshToken: `refresh-${n}` } : {}), expiresIn: 3600, tokenType: "Bearer" });
}

/** Stored tokens of a sign-in, as the client keeps them. */
export function storedTokens(n = 0, overrides: Partial<Tokens> = {}): Tokens {
  return { idToken: idToken("user-sub", { n }), accessToken: `access-${n}`, refreshToken: `refresh-${n}`, expiresAt: Date.now() + 3_600_000, userId: "user-handle", ...overrides };
}

/** The `n` claim of an ID token made here: which sign-in or refresh it came from. */
export function tokenNumber(token: string | undefined): unknown {
  const payload = token?.replace(/^Bearer /, "").split(".")[1];
  return payload === undefined ? undefined : (JSON.parse(Buffer.from(payload, "base64url").toString()) as Record<string, unknown>)["n"];
}
