/**
 * The claims of an ID token, read without verifying it. The client trusts nothing in them: the server
 * verifies the token on every request. They only steer the client (whether the token has expired, whose
 * it is) and may be shown to the user.
 */

/** The payload of a JWT, or `null` when `jwt` is not one. */
export function decodeJwtClaims(jwt: string): Record<string, unknown> | null {
  const part = jwt.split(".")[1];
  if (part === undefined || !/^[A-Za-z0-9_-]*$/.test(part)) return null;
  try {
    const base64 = part.replace(/-/g, "+").replace(/_/g, "/");
    const binary = atob(base64.padEnd(Math.ceil(base64.length / 4) * 4, "="));
    const bytes = Uint8Array.from(binary, (c) => c.charCodeAt(0));
    const claims: unknown = JSON.parse(new TextDecoder().decode(bytes)); // UTF-8: names need not be ASCII
    return typeof claims === "object" && claims !== null && !Array.isArray(claims) ? (claims as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

/** Whether the token's `exp` has passed by this device's clock; a token without a readable `exp` counts as expired. */
export function isExpired(jwt: string, now: number): boolean {
  const exp = decodeJwtClaims(jwt)?.["exp"];
  return typeof exp !== "number" || exp * 1000 <= now;
}

/** The token's `sub`, or `null`. */
export function subjectOf(jwt: string): string | null {
  const sub = decodeJwtClaims(jwt)?.["sub"];
  return typeof sub === "string" ? sub : null;
}
