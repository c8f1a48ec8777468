/**
 * The headers responses carry for safety, in one list: the app's middleware sets them on every
 * answer, and the Lambda's fallback (a fault the app never saw) carries the same. Lower-case names,
 * as API Gateway's results and HTTP/2 spell them.
 */

/** On every response: no MIME sniffing, no framing, no referrer that could leak a path. */
export const SECURITY_HEADERS = {
  "x-content-type-options": "nosniff",
  "x-frame-options": "DENY",
  "referrer-policy": "no-referrer",
} as const;

/** On every response that did not choose its own: JSON is never cached, loaded or framed as a document. */
export const API_DEFAULT_HEADERS = {
  "cache-control": "no-store",
  "content-security-policy": "default-src 'none'; frame-ancestors 'none'",
} as const;

/**
 * The demo page has no inline script or style. It may call an API on another origin (its `?api=`
 * setting on a local page), hence the open connect-src.
 */
export const PAGE_CSP = "default-src 'self'; connect-src 'self' http: https:; img-src 'self' data:; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";
