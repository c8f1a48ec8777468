/**
 * What the app's middleware and routes share: the per-request variables, the one way to answer an
 * expected failure (the table in errors.ts), and the table of routes that 405 and `Allow` are read from.
 */
import type { Context, Hono } from "hono";
import type { VerifiedIdentity } from "../../ports/identity-provider.js";
import type { Result } from "../../domain/result.js";
import type { JsonObject } from "./decode.js";
import { errorSpec, isTokenError, type HttpErrorCode } from "./errors.js";
import { redact, type Log } from "./log.js";

export type AppEnv = {
  Variables: {
    correlationId: string;
    /** The code this request failed with, for its log line. */
    errorCode: HttpErrorCode | undefined;
    log: Log;
    body: JsonObject;
    identity: VerifiedIdentity;
  };
};
export type AppContext = Context<AppEnv>;
export type App = Hono<AppEnv>;

/** An error response from the table; a code missing from it is a bug, masked and logged. */
export function fail(c: AppContext, code: string, message?: string): Response {
  const { code: known, spec } = errorSpec(code);
  if (known !== code) c.get("log")({ level: "error", event: "unmapped_error_code", correlationId: c.get("correlationId"), unmappedCode: redact(code) });
  c.set("errorCode", known);
  if (isTokenError(known)) {
    c.header("WWW-Authenticate", known === "token_missing" ? 'Bearer realm="keyport"' : 'Bearer realm="keyport", error="invalid_token"');
  }
  // RFC 9470 (step-up authentication): the token is valid, but its sign-in is too old for this.
  if (known === "reauthentication_required") c.header("WWW-Authenticate", 'Bearer realm="keyport", error="insufficient_user_authentication"');
  return c.json({ error: { code: known, message: known === code ? (message ?? spec.message) : spec.message } }, spec.status);
}

/** A domain result as the response: 200 with `body(value)`, or the failure's code from the table. */
export const reply = <T, E extends string>(c: AppContext, result: Result<T, E>, body: (value: T) => unknown): Response =>
  result.ok ? c.json(body(result.value) as object, 200) : fail(c, result.error);

/** Methods per path, for 405 and `Allow`. */
export class RouteTable {
  readonly #methods = new Map<string, readonly string[]>();

  /** Records `path`'s methods and returns the path, to be registered with hono. */
  add(path: string, ...methods: string[]): string {
    this.#methods.set(path, methods);
    return path;
  }

  methodsOf(path: string): readonly string[] | undefined {
    return this.#methods.get(path);
  }
}
