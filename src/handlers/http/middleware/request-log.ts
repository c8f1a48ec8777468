/** One log line per request: what was asked, how it ended, how long it took; never bodies or headers. */
import type { MiddlewareHandler } from "hono";
import type { AppEnv } from "../context.js";
import { redact, type LogLevel } from "../log.js";

const MAX_LOGGED_PATH = 200;

/**
 * The middleware, logging each path as `loggedPath` shows it (the app's RouteTable keeps the ids in
 * parametrised paths out).
 */
export const requestLog = (loggedPath: (path: string) => string = (path) => path): MiddlewareHandler<AppEnv> => async (c, next) => {
  const started = performance.now();
  await next();
  const status = c.res.status;
  const level: LogLevel = status >= 500 ? "error" : status >= 400 ? "warn" : "info";
  const code = c.get("errorCode");
  const operation = c.get("operation");
  c.get("log")({
    level,
    event: "http_request",
    method: c.req.method,
    path: redact(loggedPath(c.req.path), MAX_LOGGED_PATH),
    ...(operation === undefined ? {} : { operation }),
    status,
    ...(code === undefined ? {} : { code }),
    durationMs: Math.round((performance.now() - started) * 100) / 100,
    correlationId: c.get("correlationId"),
  });
};
