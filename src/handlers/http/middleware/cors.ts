/** Cross-origin calls to the API, from the relying party's origins only; no credentials (tokens travel in headers). */
import type { MiddlewareHandler } from "hono";
import { cors } from "hono/cors";
import type { AppEnv } from "../context.js";

/**
 * The paths CORS applies to: the API, not the demo page or the well-known documents. hono's `/x/*`
 * also matches `/x` itself (`GET /credentials`, `GET /account`, `GET /events`).
 */
export const API_PREFIXES = ["/registration/*", "/authentication/*", "/credentials/*", "/account/*", "/events/*"] as const;

/** Every method the API answers cross-origin; a preflight asks for one of them. */
export const API_METHODS = ["GET", "POST", "PATCH", "DELETE", "OPTIONS"] as const;

export function apiCors(allowedOrigins: readonly string[]): MiddlewareHandler<AppEnv> {
  return cors({
    origin: [...allowedOrigins],
    allowMethods: [...API_METHODS],
    allowHeaders: ["Content-Type", "Authorization", "X-Correlation-Id"],
    exposeHeaders: ["X-Correlation-Id"],
    maxAge: 600,
  });
}
