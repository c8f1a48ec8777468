/**
 * First on every request: its correlation id (the caller's, when it cannot disturb a log line, else a
 * fresh one), echoed in `X-Correlation-Id`, and the log its failures go to.
 */
import type { MiddlewareHandler } from "hono";
import type { AppEnv } from "../context.js";
import type { Log } from "../log.js";

const CORRELATION_ID = /^[A-Za-z0-9._-]{8,128}$/;

export function requestContext(log: Log): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const offered = c.req.header("x-correlation-id");
    const correlationId = offered !== undefined && CORRELATION_ID.test(offered) ? offered : crypto.randomUUID();
    c.set("correlationId", correlationId);
    c.set("errorCode", undefined);
    c.set("log", log);
    await next();
    c.header("X-Correlation-Id", correlationId);
  };
}
