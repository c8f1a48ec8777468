/**
 * Cross-origin calls to the API, and to the local Cognito API, from the relying party's origins only; no
 * credentials (tokens travel in headers and bodies).
 */
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

/**
 * The request headers a browser app's Cognito client sends (the AWS SDK v3 and Amplify v6 both: the
 * target, their user agent where browsers forbid `User-Agent`, their retry headers, Amplify's
 * `cache-control: no-store`), and SigV4's, which the SDK adds to an operation it signs.
 */
export const COGNITO_API_REQUEST_HEADERS = [
  "Content-Type",
  "X-Amz-Target",
  "X-Amz-User-Agent",
  "Amz-Sdk-Invocation-Id",
  "Amz-Sdk-Request",
  "Cache-Control",
  "Authorization",
  "X-Amz-Date",
  "X-Amz-Security-Token",
  "X-Amz-Content-Sha256",
] as const;

/** What a browser lets the app read of an answer: Cognito's error name and request id (Amplify reads the name there first). */
export const COGNITO_API_RESPONSE_HEADERS = ["x-amzn-RequestId", "x-amzn-ErrorType", "X-Correlation-Id"] as const;

/**
 * CORS for `POST /`, the local Cognito API, so that a browser app on an allowed origin can point its
 * Cognito client at the local server. The demo page at `GET /` beside it is not the API: same-origin only.
 */
export function cognitoApiCors(allowedOrigins: readonly string[]): MiddlewareHandler<AppEnv> {
  const handler = cors({
    origin: [...allowedOrigins],
    allowMethods: ["POST", "OPTIONS"],
    allowHeaders: [...COGNITO_API_REQUEST_HEADERS],
    exposeHeaders: [...COGNITO_API_RESPONSE_HEADERS],
    maxAge: 600,
  });
  return async (c, next) => {
    if (c.req.method !== "POST" && c.req.method !== "OPTIONS") return next();
    return handler(c, next);
  };
}
