/**
 * The request context of a sign-in, carried from keyport's HTTP API through the identity provider to the
 * Verify trigger as client metadata (Cognito's RespondToAuthChallenge `ClientMetadata`), sealed with an
 * HMAC-SHA-256 so that the trigger believes only what keyport itself sent. Anyone may call Cognito
 * directly with metadata of their choosing: unsealed, a caller could write any address and browser into a
 * victim's trail. What does not open (forged, tampered, stale, sealed for another user, missing) is no
 * context at all, and the trigger records `UNKNOWN_REQUEST_CONTEXT`.
 *
 * Pure functions of a key: the key is derived from the unknown-user secret (which the HTTP function and
 * the triggers both hold) by a labelled HMAC, so that it is never the secret itself and no other use of
 * the secret can produce the same MAC.
 */
import { hmac } from "@oslojs/crypto/hmac";
import { SHA256 } from "@oslojs/crypto/sha2";
import { bytesEqual, fromBase64Url, toBase64Url, utf8Bytes } from "../encoding/bytes.js";
import { isJsonObject } from "../encoding/strict-json.js";
import type { EpochMillis } from "../model.js";
import type { RequestContext } from "./security-events.js";

/** The client-metadata entry the sealed context travels in. */
export const SEALED_CONTEXT_METADATA_KEY = "keyport_request_context";

/** The longest each field of a context is kept: a user agent is clipped, never refused (it is only shown). */
export const REQUEST_CONTEXT_LIMITS = { sourceIp: 64, userAgent: 512, correlationId: 128 } as const;

/** How long a sealed context opens: the trigger runs within seconds of the seal; minutes allow for slow hops. */
export const SEALED_CONTEXT_MAX_AGE_MS = 5 * 60 * 1000;
/** How far in the future a seal may claim to be, for clocks of two functions that disagree a little. */
const SEALED_CONTEXT_MAX_SKEW_MS = 60 * 1000;
/**
 * Above any context within the limits, even one whose every character JSON escapes as `\uXXXX` (about
 * 5.8 KB sealed); far below anything that would cost to check.
 */
const MAX_SEALED_LENGTH = 8 * 1024;
const MAC_BYTES = 32;
const MAC_LABEL = "keyport/request-context/v1";

/** Whom and when a seal is for: a context sealed for one user's sign-in opens for no other. */
export interface SealBinding {
  /** The identity provider's user the sign-in is for (Cognito's `userName` in the trigger). */
  readonly identityUserId: string;
  readonly now: EpochMillis;
}

/** The key that seals contexts, derived from the unknown-user secret (`AuthenticationDependencies.unknownUserSecret`). */
export function requestContextKey(unknownUserSecret: Uint8Array): Uint8Array {
  return hmac(SHA256, unknownUserSecret, utf8Bytes("keyport/request-context-key"));
}

/** The context with each field clipped to its limit (by code points, so that no character is cut in half). */
export function boundRequestContext(context: RequestContext): RequestContext {
  return {
    sourceIp: clip(context.sourceIp, REQUEST_CONTEXT_LIMITS.sourceIp),
    userAgent: clip(context.userAgent, REQUEST_CONTEXT_LIMITS.userAgent),
    correlationId: clip(context.correlationId, REQUEST_CONTEXT_LIMITS.correlationId),
  };
}

/** Client metadata carrying `context` (bounded), sealed for the sign-in of `binding.identityUserId` at `binding.now`. */
export function sealRequestContext(key: Uint8Array, context: RequestContext, binding: SealBinding): Record<string, string> {
  const bounded = boundRequestContext(context);
  const payload = toBase64Url(
    utf8Bytes(JSON.stringify({ at: binding.now, sourceIp: bounded.sourceIp, userAgent: bounded.userAgent, correlationId: bounded.correlationId })),
  );
  return { [SEALED_CONTEXT_METADATA_KEY]: `${payload}.${toBase64Url(mac(key, binding.identityUserId, payload))}` };
}

/**
 * The context sealed in `metadata` with `key` for the sign-in of `binding.identityUserId`, sealed at most
 * SEALED_CONTEXT_MAX_AGE_MS before `binding.now`; `null` for anything else. The MAC is checked before
 * anything in the payload is read, in time independent of where it differs.
 */
export function openRequestContext(key: Uint8Array, metadata: Readonly<Record<string, unknown>> | undefined, binding: SealBinding): RequestContext | null {
  if (metadata === undefined || !Object.hasOwn(metadata, SEALED_CONTEXT_METADATA_KEY)) return null;
  const sealed = metadata[SEALED_CONTEXT_METADATA_KEY];
  if (typeof sealed !== "string" || sealed.length > MAX_SEALED_LENGTH) return null;
  const parts = sealed.split(".");
  if (parts.length !== 2) return null;
  const [payload = "", tag = ""] = parts;
  const presented = fromBase64Url(tag);
  if (presented === null || presented.length !== MAC_BYTES || !bytesEqual(presented, mac(key, binding.identityUserId, payload))) return null;
  return parsePayload(payload, binding.now);
}

/** The MAC of a payload for one user: the label, the user and the payload as one JSON array, so no two inputs run together. */
function mac(key: Uint8Array, identityUserId: string, payload: string): Uint8Array {
  return hmac(SHA256, key, utf8Bytes(JSON.stringify([MAC_LABEL, identityUserId, payload])));
}

/** A payload this module wrote, read back; checked all the same, since a MAC proves who wrote it, not that the writer was right. */
function parsePayload(payload: string, now: EpochMillis): RequestContext | null {
  const bytes = fromBase64Url(payload);
  if (bytes === null) return null;
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(bytes));
  } catch {
    return null;
  }
  if (!isJsonObject(json)) return null;
  const { at, sourceIp, userAgent, correlationId } = json;
  if (typeof at !== "number" || !Number.isFinite(at) || at < now - SEALED_CONTEXT_MAX_AGE_MS || at > now + SEALED_CONTEXT_MAX_SKEW_MS) return null;
  if (!isField(sourceIp, REQUEST_CONTEXT_LIMITS.sourceIp) || !isField(userAgent, REQUEST_CONTEXT_LIMITS.userAgent)) return null;
  if (!isField(correlationId, REQUEST_CONTEXT_LIMITS.correlationId)) return null;
  return { sourceIp, userAgent, correlationId };
}

function isField(value: unknown, limit: number): value is string | null {
  return value === null || (typeof value === "string" && [...value].length <= limit);
}

function clip(value: string | null, limit: number): string | null {
  if (value === null || value.length <= limit) return value;
  return [...value].slice(0, limit).join("");
}
