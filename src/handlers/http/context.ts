/**
 * What the app's middleware and routes share: the per-request variables, the one way to answer an
 * expected failure (the table in errors.ts), and the table of routes that 405 and `Allow` are read from.
 */
import type { Context, Hono } from "hono";
import type { RequestContext } from "../../domain/activity/security-events.js";
import type { VerifiedIdentity } from "../../ports/identity-provider.js";
import type { Result } from "../../domain/result.js";
import type { Signal } from "../../domain/management/signals.js";
import type { CognitoErrorType } from "../cognito-api/errors.js";
import type { OperationName } from "../cognito-api/operations.js";
import type { JsonObject } from "./decode.js";
import { errorSpec, isTokenError, type HttpErrorCode } from "./errors.js";
import { redact, type Log } from "./log.js";

export type AppEnv = {
  Variables: {
    correlationId: string;
    /** The code this request failed with, for its log line: the API's code, or the local Cognito API's exception name. */
    errorCode: HttpErrorCode | CognitoErrorType | undefined;
    /** The local Cognito API's operation (`X-Amz-Target`), for the log line of a request to it: all share one path. */
    operation: OperationName | undefined;
    log: Log;
    body: JsonObject;
    identity: VerifiedIdentity;
    /** What the request tells about where it came from, for the security events the domain records. */
    requestContext: RequestContext;
  };
};
export type AppContext = Context<AppEnv>;
export type App = Hono<AppEnv>;

/** What an error response may carry beside `error`. */
export interface FailureExtras {
  /** Signals for the client's passkey provider (a sign-in with a passkey keyport does not know). */
  readonly signals?: readonly Signal[];
  /** The failure ends a sign-in: a code with a sign-in answer of its own (ErrorSpec.atSignIn) gives that. */
  readonly atSignIn?: boolean;
}

/**
 * An error response from the table; a code missing from it is a bug, masked and logged. `extras` go
 * beside `error` (only for a code that is in the table: a masked bug says nothing else).
 */
export function fail(c: AppContext, code: string, message?: string, extras: FailureExtras = {}): Response {
  const { code: known, spec } = errorSpec(code);
  if (known !== code) c.get("log")({ level: "error", event: "unmapped_error_code", correlationId: c.get("correlationId"), unmappedCode: redact(code) });
  c.set("errorCode", known);
  if (isTokenError(known)) {
    c.header("WWW-Authenticate", known === "token_missing" ? 'Bearer realm="keyport"' : 'Bearer realm="keyport", error="invalid_token"');
  }
  // RFC 9470 (step-up authentication): the token is valid, but its sign-in is too old for this.
  if (known === "reauthentication_required") c.header("WWW-Authenticate", 'Bearer realm="keyport", error="insufficient_user_authentication"');
  const answer = extras.atSignIn === true && spec.atSignIn !== undefined ? spec.atSignIn : spec;
  const error = { code: known, message: known === code ? (message ?? answer.message) : answer.message };
  const signals = known === code ? extras.signals : undefined;
  return c.json(signals === undefined ? { error } : { error, signals }, answer.status);
}

/** A domain result as the response: 200 with `body(value)`, or the failure's code from the table. */
export const reply = <T, E extends string>(c: AppContext, result: Result<T, E>, body: (value: T) => unknown): Response =>
  result.ok ? c.json(body(result.value) as object, 200) : fail(c, result.error);

/** Methods per path, for 405 and `Allow`. */
export class RouteTable {
  readonly #methods = new Map<string, readonly string[]>();
  /** Paths with parameters (`/credentials/:credentialId`), as segment patterns: `null` stands for a parameter. */
  readonly #patterns: { readonly path: string; readonly segments: readonly (string | null)[]; readonly methods: readonly string[] }[] = [];

  /**
   * Records `path`'s methods and returns the path, to be registered with hono. A segment `:name` is a
   * parameter, matching one non-empty segment as hono's router does. A fixed path added again gains the
   * new methods (`/`: the demo page's GET and the local Cognito API's POST, each registered on its own).
   */
  add(path: string, ...methods: string[]): string {
    const segments = path.split("/");
    if (segments.some((segment) => segment.startsWith(":"))) {
      this.#patterns.push({ path, segments: segments.map((segment) => (segment.startsWith(":") ? null : segment)), methods });
    } else {
      this.#methods.set(path, [...new Set([...(this.#methods.get(path) ?? []), ...methods])]);
    }
    return path;
  }

  methodsOf(path: string): readonly string[] | undefined {
    return this.#methods.get(path) ?? this.#patternOf(path)?.methods;
  }

  /**
   * `path` as a log line may show it: a parametrised route's pattern (`/credentials/:credentialId`), so
   * that the ids in paths stay out of the logs as they stay out of bodies; any other path as it is.
   */
  loggedPath(path: string): string {
    if (this.#methods.has(path)) return path;
    return this.#patternOf(path)?.path ?? path;
  }

  #patternOf(path: string) {
    const segments = path.split("/");
    const matches = (pattern: readonly (string | null)[]): boolean =>
      pattern.length === segments.length && pattern.every((expected, i) => (expected === null ? segments[i] !== "" : expected === segments[i]));
    return this.#patterns.find((pattern) => matches(pattern.segments));
  }
}
