/** The safety headers (headers.ts) on every response; a route's own Cache-Control or CSP is kept. */
import type { MiddlewareHandler } from "hono";
import type { AppEnv } from "../context.js";
import { API_DEFAULT_HEADERS, SECURITY_HEADERS } from "../headers.js";

export const securityHeaders: MiddlewareHandler<AppEnv> = async (c, next) => {
  await next();
  for (const [name, value] of Object.entries(SECURITY_HEADERS)) c.header(name, value);
  for (const [name, value] of Object.entries(API_DEFAULT_HEADERS)) {
    if (!c.res.headers.has(name)) c.header(name, value);
  }
};
