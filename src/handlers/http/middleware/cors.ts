/** Cross-origin calls to the API, from the relying party's origins only; no credentials (tokens travel in headers). */
import type { MiddlewareHandler } from "hono";
import { cors } from "hono/cors";
import type { AppEnv } from "../context.js";

/** The paths CORS applies to: the API, not the demo page or the well-known documents. */
export const API_PREFIXES = ["/registration/*", "/authentication/*"] as const;

export function apiCors(allowedOrigins: readonly string[]): MiddlewareHandler<AppEnv> {
  return cors({
    origin: [...allowedOrigins],
    allowMethods: ["POST", "OPTIONS"],
    allowHeaders: ["Content-Type", "Authorization", "X-Correlation-Id"],
    exposeHeaders: ["X-Correlation-Id"],
    maxAge: 600,
  });
}
