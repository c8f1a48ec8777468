/**
 * The sealed request context: what keyport's HTTP API sends through the identity provider opens in the
 * trigger exactly as sent; anything else (forged, tampered, stale, for another user, absent) opens to
 * nothing, never to the values it claims.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  REQUEST_CONTEXT_LIMITS,
  SEALED_CONTEXT_MAX_AGE_MS,
  SEALED_CONTEXT_METADATA_KEY,
  boundRequestContext,
  openRequestContext,
  requestContextKey,
  sealRequestContext,
} from "../../../src/domain/activity/request-context-seal.js";
import type { RequestContext } from "../../../src/domain/activity/security-events.js";
import { toBase64Url } from "../../../src/domain/encoding/bytes.js";
import { BASE_TIME } from "../../support/kit.js";

const KEY = requestContextKey(new Uint8Array(32).fill(7));
const CONTEXT: RequestContext = { sourceIp: "203.0.113.9", userAgent: "Mozilla/5.0 (X11; Linux x86_64) Firefox/140.0", correlationId: "req-1" };
const FOR_ALICE = { identityUserId: "alice-handle", now: BASE_TIME };

function sealedValue(metadata: Record<string, string>): string {
  const value = metadata[SEALED_CONTEXT_METADATA_KEY];
  if (value === undefined) throw new Error("no sealed context");
  return value;
}

/** A payload as the seal writes it, but sealed by someone else (no key, or another key). */
function forged(context: RequestContext & { at?: number }, tag: Uint8Array): Record<string, string> {
  const payload = Buffer.from(JSON.stringify({ at: BASE_TIME, ...context })).toString("base64url");
  return { [SEALED_CONTEXT_METADATA_KEY]: `${payload}.${toBase64Url(tag)}` };
}

describe("sealRequestContext and openRequestContext", () => {
  it("open what was sealed, for the same user, within minutes", () => {
    const metadata = sealRequestContext(KEY, CONTEXT, FOR_ALICE);
    expect(Object.keys(metadata)).toEqual([SEALED_CONTEXT_METADATA_KEY]);
    expect(openRequestContext(KEY, metadata, FOR_ALICE)).toEqual(CONTEXT);
    expect(openRequestContext(KEY, metadata, { ...FOR_ALICE, now: BASE_TIME + SEALED_CONTEXT_MAX_AGE_MS })).toEqual(CONTEXT);
  });

  it("carry unknown fields as null", () => {
    const unknown = { sourceIp: null, userAgent: null, correlationId: null };
    expect(openRequestContext(KEY, sealRequestContext(KEY, unknown, FOR_ALICE), FOR_ALICE)).toEqual(unknown);
  });

  it("open nothing from metadata without a sealed context, or of another shape", () => {
    for (const metadata of [undefined, {}, { other: "x" }, { [SEALED_CONTEXT_METADATA_KEY]: 7 }, { [SEALED_CONTEXT_METADATA_KEY]: "" }, { [SEALED_CONTEXT_METADATA_KEY]: "a.b.c" }]) {
      expect(openRequestContext(KEY, metadata, FOR_ALICE)).toBeNull();
    }
  });

  it("open nothing that claims a context without keyport's MAC: a direct Cognito client cannot write an address into a trail", () => {
    const claimed = { sourceIp: "198.51.100.66", userAgent: "Attacker", correlationId: null };
    expect(openRequestContext(KEY, forged(claimed, new Uint8Array(32)), FOR_ALICE)).toBeNull();
    const otherKey = requestContextKey(new Uint8Array(32).fill(8));
    expect(openRequestContext(KEY, sealRequestContext(otherKey, claimed, FOR_ALICE), FOR_ALICE)).toBeNull();
    // Nor the unknown-user secret itself as the key: the seal's key is derived, with a label.
    expect(openRequestContext(KEY, sealRequestContext(new Uint8Array(32).fill(7), claimed, FOR_ALICE), FOR_ALICE)).toBeNull();
  });

  it("open nothing sealed for another user's sign-in", () => {
    const metadata = sealRequestContext(KEY, CONTEXT, FOR_ALICE);
    expect(openRequestContext(KEY, metadata, { ...FOR_ALICE, identityUserId: "bob-handle" })).toBeNull();
  });

  it("open nothing sealed more than the maximum age ago, or too far in the future", () => {
    const metadata = sealRequestContext(KEY, CONTEXT, FOR_ALICE);
    expect(openRequestContext(KEY, metadata, { ...FOR_ALICE, now: BASE_TIME + SEALED_CONTEXT_MAX_AGE_MS + 1 })).toBeNull();
    expect(openRequestContext(KEY, metadata, { ...FOR_ALICE, now: BASE_TIME - 60_001 })).toBeNull();
    expect(openRequestContext(KEY, metadata, { ...FOR_ALICE, now: BASE_TIME - 60_000 })).toEqual(CONTEXT);
  });

  it("open nothing once any character of the sealed value is changed", () => {
    const sealed = sealedValue(sealRequestContext(KEY, CONTEXT, FOR_ALICE));
    const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.";
    fc.assert(
      fc.property(fc.nat({ max: sealed.length - 1 }), fc.constantFrom(...alphabet), (index, replacement) => {
        fc.pre(sealed[index] !== replacement);
        const tampered = `${sealed.slice(0, index)}${replacement}${sealed.slice(index + 1)}`;
        // A change in the last character may only touch the unused low bits of the MAC's base64url; strict decoding refuses those too.
        expect(openRequestContext(KEY, { [SEALED_CONTEXT_METADATA_KEY]: tampered }, FOR_ALICE)).toBeNull();
      }),
    );
  });

  it("open nothing whose payload was swapped for another one under the original MAC", () => {
    const sealed = sealedValue(sealRequestContext(KEY, CONTEXT, FOR_ALICE));
    const [, tag] = sealed.split(".");
    const payload = Buffer.from(JSON.stringify({ at: BASE_TIME, sourceIp: "198.51.100.66", userAgent: null, correlationId: null })).toString("base64url");
    expect(openRequestContext(KEY, { [SEALED_CONTEXT_METADATA_KEY]: `${payload}.${tag}` }, FOR_ALICE)).toBeNull();
  });

  it("open nothing longer than any seal makes", () => {
    expect(openRequestContext(KEY, { [SEALED_CONTEXT_METADATA_KEY]: `${"A".repeat(9000)}.${"A".repeat(43)}` }, FOR_ALICE)).toBeNull();
  });

  it("open the longest context the limits allow, even one whose every character JSON must escape", () => {
    const worst: RequestContext = {
      sourceIp: "".repeat(REQUEST_CONTEXT_LIMITS.sourceIp),
      userAgent: "".repeat(REQUEST_CONTEXT_LIMITS.userAgent),
      correlationId: "".repeat(REQUEST_CONTEXT_LIMITS.correlationId),
    };
    expect(openRequestContext(KEY, sealRequestContext(KEY, worst, FOR_ALICE), FOR_ALICE)).toEqual(worst);
  });

  it("clip each field to its limit, by code points, so the metadata stays small", () => {
    const long: RequestContext = { sourceIp: "1".repeat(100), userAgent: `${"😀".repeat(600)}`, correlationId: "c".repeat(300) };
    const opened = openRequestContext(KEY, sealRequestContext(KEY, long, FOR_ALICE), FOR_ALICE);
    expect(opened).toEqual(boundRequestContext(long));
    expect([...(opened?.userAgent ?? "")]).toHaveLength(REQUEST_CONTEXT_LIMITS.userAgent);
    expect(opened?.userAgent?.startsWith("😀😀")).toBe(true);
    expect(opened?.sourceIp).toHaveLength(REQUEST_CONTEXT_LIMITS.sourceIp);
    expect(opened?.correlationId).toHaveLength(REQUEST_CONTEXT_LIMITS.correlationId);
    expect(boundRequestContext(CONTEXT)).toEqual(CONTEXT);
  });
});
