/**
 * keyport's HTTP API as one Hono app, served by the local server (src/main/server.ts) and, through
 * `hono/aws-lambda`, by the Lambda behind API Gateway. Each route is a shell: it decodes the body,
 * calls one domain method and maps the result; every rule lives in the domain. Expected failures
 * answer `{"error": {"code", "message"}}` with the status of the table in errors.ts; anything else is
 * masked as `internal_error` and logged with a correlation id. Reference: docs/api.md.
 */
import { StorageUnavailableError } from "../../ports/storage-unavailable-error.js";
import { Hono, type Context, type MiddlewareHandler } from "hono";
import { bodyLimit } from "hono/body-limit";
import { cors } from "hono/cors";
import { HTTPException } from "hono/http-exception";
import type { PasskeySignIn } from "../../domain/custom-challenge/passkey-sign-in.js";
import type { RegistrationCeremony } from "../../domain/ceremonies/registration-ceremony.js";
import type { Result } from "../../domain/result.js";
import type { IdentityProvider, VerifiedIdentity } from "../../ports/identity-provider.js";
import { decodeFields, isJsonContentType, MAX_BODY_BYTES, parseJsonObject, type JsonObject } from "./decode.js";
import { errorSpec, isTokenError, type HttpErrorCode } from "./errors.js";
import { jsonLineLog, redact, type Log, type LogLevel } from "./log.js";
import { STATIC_PATHS, type StaticFiles } from "./static-files.js";

/** The JSON Web Key Set of a token issuer keyport itself runs (the local identity provider). */
export type JwksProvider = () => { readonly keys: readonly JsonWebKey[] } | Promise<{ readonly keys: readonly JsonWebKey[] }>;

export interface AppDependencies {
  readonly registration: Pick<RegistrationCeremony, "startForNewUser" | "startForExistingUser" | "finish">;
  readonly signIn: Pick<PasskeySignIn, "discover" | "start" | "finish" | "refresh">;
  readonly identityProvider: Pick<IdentityProvider, "verifyIdToken">;
  /** Browser origins allowed to call the API cross-origin (the relying party's origins). */
  readonly allowedOrigins: readonly string[];
  /** Serves `GET /.well-known/jwks.json` when given. */
  readonly jwks?: JwksProvider;
  /** Serves the demo page when given (the local server; never the Lambda). */
  readonly staticFiles?: StaticFiles;
  /** Where request and error logs go; JSON lines on stdout by default. */
  readonly log?: Log;
}

type AppEnv = {
  Variables: {
    correlationId: string;
    errorCode: HttpErrorCode | undefined;
    body: JsonObject;
    identity: VerifiedIdentity;
  };
};
type AppContext = Context<AppEnv>;

const API_PREFIXES = ["/registration/*", "/authentication/*"] as const;
const API_CACHE_CONTROL = "no-store";
const JWKS_CACHE_CONTROL = "public, max-age=300";
const STATIC_CACHE_CONTROL = "no-cache";
/** JSON is never a document: nothing may load or frame it. */
const API_CSP = "default-src 'none'; frame-ancestors 'none'";
/**
 * The demo page has no inline script or style. It may call an API on another origin (its `?api=`
 * setting on a local page), hence the open connect-src.
 */
const PAGE_CSP = "default-src 'self'; connect-src 'self' http: https:; img-src 'self' data:; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";
/** A caller's correlation id is kept only if it cannot disturb a log line. */
const CORRELATION_ID = /^[A-Za-z0-9._-]{8,128}$/;
const MAX_LOGGED_PATH = 200;

export function createApp(deps: AppDependencies): Hono<AppEnv> {
  const log = deps.log ?? jsonLineLog();
  const app = new Hono<AppEnv>();
  /** Methods per path, for 405 and `Allow`. */
  const routes = new Map<string, string[]>();
  const route = (path: string, ...methods: string[]): string => {
    routes.set(path, methods);
    return path;
  };

  /** An error response from the table; a code missing from it is a bug, masked and logged. */
  const fail = (c: AppContext, code: string, message?: string): Response => {
    const { code: known, spec } = errorSpec(code);
    if (known !== code) log({ level: "error", event: "unmapped_error_code", correlationId: c.get("correlationId"), unmappedCode: redact(code) });
    c.set("errorCode", known);
    if (isTokenError(known)) {
      c.header("WWW-Authenticate", known === "token_missing" ? 'Bearer realm="keyport"' : 'Bearer realm="keyport", error="invalid_token"');
    }
    return c.json({ error: { code: known, message: known === code ? (message ?? spec.message) : spec.message } }, spec.status);
  };

  const reply = <T, E extends string>(c: AppContext, result: Result<T, E>, body: (value: T) => unknown): Response =>
    result.ok ? c.json(body(result.value) as object, 200) : fail(c, result.error);

  // Correlation id, security headers and one log line for every request.
  app.use("*", async (c, next) => {
    const started = performance.now();
    const offered = c.req.header("x-correlation-id");
    const correlationId = offered !== undefined && CORRELATION_ID.test(offered) ? offered : crypto.randomUUID();
    c.set("correlationId", correlationId);
    c.set("errorCode", undefined);
    await next();
    c.header("X-Correlation-Id", correlationId);
    c.header("X-Content-Type-Options", "nosniff");
    c.header("X-Frame-Options", "DENY");
    c.header("Referrer-Policy", "no-referrer");
    if (!c.res.headers.has("Cache-Control")) c.header("Cache-Control", API_CACHE_CONTROL);
    if (!c.res.headers.has("Content-Security-Policy")) c.header("Content-Security-Policy", API_CSP);
    const status = c.res.status;
    const level: LogLevel = status >= 500 ? "error" : status >= 400 ? "warn" : "info";
    log({
      level,
      event: "http_request",
      method: c.req.method,
      path: redact(c.req.path, MAX_LOGGED_PATH),
      status,
      ...(c.get("errorCode") === undefined ? {} : { code: c.get("errorCode") }),
      durationMs: Math.round((performance.now() - started) * 100) / 100,
      correlationId,
    });
  });

  const apiCors = cors({
    origin: [...deps.allowedOrigins],
    allowMethods: ["POST", "OPTIONS"],
    allowHeaders: ["Content-Type", "Authorization", "X-Correlation-Id"],
    exposeHeaders: ["X-Correlation-Id"],
    maxAge: 600,
  });
  for (const prefix of API_PREFIXES) app.use(prefix, apiCors);

  const limit = bodyLimit({ maxSize: MAX_BODY_BYTES, onError: (c) => fail(c as AppContext, "payload_too_large") });

  /** Content type, then the body read with the size limit, then one JSON object. */
  const jsonBody: MiddlewareHandler<AppEnv> = async (c, next) => {
    if (!isJsonContentType(c.req.header("content-type"))) return fail(c, "unsupported_media_type");
    return limit(c, async () => {
      const parsed = parseJsonObject(await c.req.text());
      if (!parsed.ok) {
        c.res = fail(c, parsed.error.code, parsed.error.message);
        return;
      }
      c.set("body", parsed.value);
      await next();
    });
  };

  /**
   * `Authorization: Bearer <ID token>`, verified by the identity provider. Behind API Gateway a JWT
   * authorizer may have checked it already; it is verified again here all the same.
   */
  const idToken: MiddlewareHandler<AppEnv> = async (c, next) => {
    const header = c.req.header("authorization");
    if (header === undefined || header.trim() === "") return fail(c, "token_missing");
    const match = /^Bearer[ ]+([^\s]+)[ ]*$/i.exec(header);
    if (match === null) return fail(c, "token_malformed");
    const verified = await deps.identityProvider.verifyIdToken(match[1]!);
    if (!verified.ok) return fail(c, verified.error);
    c.set("identity", verified.value);
    await next();
  };

  app.post(route("/registration/start", "POST", "OPTIONS"), jsonBody, async (c) => {
    const input = decodeFields(c.get("body"), { username: "string", displayName: "string" });
    if (!input.ok) return fail(c, input.error.code, input.error.message);
    const started = await deps.registration.startForNewUser(input.value);
    return reply(c, started, (s) => ({ sessionId: s.sessionId, credentialCreationOptions: s.options }));
  });

  app.post(route("/registration/start-verified", "POST", "OPTIONS"), idToken, jsonBody, async (c) => {
    const input = decodeFields(c.get("body"), { username: "string?", displayName: "string?" });
    if (!input.ok) return fail(c, input.error.code, input.error.message);
    const started = await deps.registration.startForExistingUser(c.get("identity"), input.value);
    return reply(c, started, (s) => ({ sessionId: s.sessionId, credentialCreationOptions: s.options }));
  });

  app.post(route("/registration/finish", "POST", "OPTIONS"), jsonBody, async (c) => {
    const input = decodeFields(c.get("body"), { sessionId: "string", publicKeyCredential: "object" });
    if (!input.ok) return fail(c, input.error.code, input.error.message);
    const finished = await deps.registration.finish(input.value.sessionId, input.value.publicKeyCredential);
    return reply(c, finished, (r) => ({ userId: r.userHandle, credentialId: r.credentialId }));
  });

  app.post(route("/authentication/discover", "POST", "OPTIONS"), jsonBody, async (c) => {
    return c.json({ credentialRequestOptions: await deps.signIn.discover() }, 200);
  });

  app.post(route("/authentication/start", "POST", "OPTIONS"), jsonBody, async (c) => {
    const input = decodeFields(c.get("body"), { userId: "string" });
    if (!input.ok) return fail(c, input.error.code, input.error.message);
    const started = await deps.signIn.start(input.value.userId);
    return reply(c, started, (s) => ({ session: s.session, credentialRequestOptions: s.credentialRequestOptions }));
  });

  app.post(route("/authentication/finish", "POST", "OPTIONS"), jsonBody, async (c) => {
    const input = decodeFields(c.get("body"), { session: "string", userId: "string", publicKeyCredential: "object" });
    if (!input.ok) return fail(c, input.error.code, input.error.message);
    const { session, userId, publicKeyCredential } = input.value;
    const tokens = await deps.signIn.finish(session, userId, publicKeyCredential);
    return reply(c, tokens, (t) => ({
      accessToken: t.accessToken,
      idToken: t.idToken,
      refreshToken: t.refreshToken,
      expiresIn: t.expiresIn,
      tokenType: t.tokenType,
    }));
  });

  app.post(route("/authentication/refresh", "POST", "OPTIONS"), jsonBody, async (c) => {
    const input = decodeFields(c.get("body"), { refreshToken: "string", userId: "string?" });
    if (!input.ok) return fail(c, input.error.code, input.error.message);
    const refreshed = await deps.signIn.refresh(input.value.refreshToken, input.value.userId);
    return reply(c, refreshed, (t) => ({ accessToken: t.accessToken, idToken: t.idToken, expiresIn: t.expiresIn, tokenType: t.tokenType }));
  });

  app.get(route("/healthz", "GET", "HEAD"), (c) => c.json({ status: "ok" }, 200));

  const jwks = deps.jwks;
  if (jwks !== undefined) {
    app.get(route("/.well-known/jwks.json", "GET", "HEAD"), async (c) => {
      c.header("Cache-Control", JWKS_CACHE_CONTROL);
      return c.json({ keys: (await jwks()).keys }, 200);
    });
  }

  const staticFiles = deps.staticFiles;
  if (staticFiles !== undefined) {
    for (const path of STATIC_PATHS) {
      app.get(route(path, "GET", "HEAD"), async (c) => {
        const asset = await staticFiles.get(path);
        if (asset === null) return fail(c, "not_found");
        c.header("Cache-Control", STATIC_CACHE_CONTROL);
        c.header("Content-Security-Policy", PAGE_CSP);
        c.header("Content-Type", asset.contentType);
        return c.body(asset.body as Uint8Array<ArrayBuffer>, 200);
      });
    }
  }

  app.notFound((c) => {
    const methods = routes.get(c.req.path);
    if (methods === undefined) return fail(c, "not_found");
    c.header("Allow", methods.join(", "));
    return fail(c, "method_not_allowed");
  });

  app.onError((fault, c) => {
    // hono's own middleware reports client errors as HTTPException; only the size limit is used here.
    if (fault instanceof HTTPException && fault.status === 413) return fail(c, "payload_too_large");
    const correlationId = c.get("correlationId");
    // The store's one named fault: nothing was written, the client may try again.
    const unavailable = fault instanceof StorageUnavailableError;
    log({
      level: "error",
      event: unavailable ? "storage_unavailable" : "unhandled_error",
      correlationId,
      error: fault instanceof Error ? fault.name : typeof fault,
      message: redact(fault instanceof Error ? fault.message : String(fault)),
      stack: fault instanceof Error && fault.stack !== undefined ? redact(fault.stack, 2000) : undefined,
    });
    if (unavailable) return fail(c, "storage_unavailable", `Storage is unavailable; try again later (reference ${correlationId}).`);
    return fail(c, "internal_error", `Something went wrong on our side (reference ${correlationId}).`);
  });

  return app;
}
