/**
 * Compact ES256 JSON Web Tokens (RFC 7515/7519) for the local identity provider: just enough to issue
 * Cognito-shaped tokens and to verify them strictly (header `alg` pinned, `kid` matched).
 */
import { generateKeyPairSync, sign, verify, type KeyObject } from "node:crypto";

export interface SigningKey {
  readonly kid: string;
  readonly privateKey: KeyObject;
  readonly publicKey: KeyObject;
  readonly jwk: JsonWebKey & { kid: string; alg: "ES256"; use: "sig" };
}

export function generateSigningKey(kid: string): SigningKey {
  const { privateKey, publicKey } = generateKeyPairSync("ec", { namedCurve: "P-256" });
  const { kty, crv, x, y } = publicKey.export({ format: "jwk" });
  return { kid, privateKey, publicKey, jwk: { kty, crv, x, y, kid, alg: "ES256", use: "sig" } };
}

const encodeJson = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString("base64url");

export function signJwt(key: SigningKey, claims: Record<string, unknown>): string {
  const signingInput = `${encodeJson({ alg: "ES256", kid: key.kid, typ: "JWT" })}.${encodeJson(claims)}`;
  const signature = sign("sha256", Buffer.from(signingInput), { key: key.privateKey, dsaEncoding: "ieee-p1363" });
  return `${signingInput}.${signature.toString("base64url")}`;
}

export type JwtFailure = "token_malformed" | "token_signature_invalid";

const SEGMENT = /^[A-Za-z0-9_-]+$/;
/** Tokens larger than this are not ours (ours are well under 2 KiB). */
const MAX_TOKEN_LENGTH = 8 * 1024;

function decodeJson(segment: string): Record<string, unknown> | null {
  try {
    const value: unknown = JSON.parse(Buffer.from(segment, "base64url").toString("utf8"));
    return value !== null && typeof value === "object" && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

/** The claims of a token signed by one of `keys`, or why not. Claim checks (exp, iss…) are the caller's. */
export function verifyJwt(token: string, keys: readonly SigningKey[]): { claims: Record<string, unknown> } | JwtFailure {
  if (token.length > MAX_TOKEN_LENGTH) return "token_malformed";
  const parts = token.split(".");
  if (parts.length !== 3 || !parts.every((p) => SEGMENT.test(p))) return "token_malformed";
  const [headerPart, payloadPart, signaturePart] = parts as [string, string, string];
  const header = decodeJson(headerPart);
  const claims = decodeJson(payloadPart);
  if (header === null || claims === null) return "token_malformed";
  if (header.alg !== "ES256") return "token_signature_invalid";
  const key = keys.find((k) => k.kid === header.kid);
  if (key === undefined) return "token_signature_invalid";
  const valid = verify("sha256", Buffer.from(`${headerPart}.${payloadPart}`), { key: key.publicKey, dsaEncoding: "ieee-p1363" }, Buffer.from(signaturePart, "base64url"));
  return valid ? { claims } : "token_signature_invalid";
}
