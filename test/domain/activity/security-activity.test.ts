/**
 * SecurityActivity: events stamped and stored in their user's trail, outcomes counted, failed sign-ins
 * through the flood bound, and nothing it does ever fails the ceremony that records.
 */
import { describe, expect, it } from "vitest";
import { alongside, outcomeOf, SecurityActivity, UNKNOWN_AUTHENTICATOR_NAME, type NewSecurityEvent } from "../../../src/domain/activity/security-activity.js";
import { FAILED_SIGN_IN_BOUND, SECURITY_EVENT_TYPES, UNKNOWN_REQUEST_CONTEXT, type CeremonyOutcome } from "../../../src/domain/activity/security-events.js";
import { StorageUnavailableError } from "../../../src/ports/storage-unavailable-error.js";
import { TEST_AAGUIDS, TestAuthenticatorCatalog } from "../../support/domain-harness.js";
import { aStoredCredential, BASE_TIME, uniqueId } from "../../support/kit.js";
import { ManualClock } from "../../support/manual-clock.js";
import { RecordingLostEventReporter } from "../../support/recording-lost-event-reporter.js";
import { RecordingCeremonyMetrics } from "../../support/recording-metrics.js";
import { RecordingSecurityEventLog } from "../../support/recording-security-event-log.js";
import { WebCryptoRandomSource } from "../../../src/adapters/system/web-crypto-random-source.js";

const CONTEXT = { sourceIp: "203.0.113.9", userAgent: "Firefox", correlationId: "req-1" };
const PASSKEY = { credentialId: "Y3JlZA", passkeyName: "Work laptop", authenticatorName: "iCloud Keychain" };

function setUp() {
  const clock = new ManualClock();
  const events = new RecordingSecurityEventLog(clock);
  const metrics = new RecordingCeremonyMetrics();
  const lost = new RecordingLostEventReporter();
  const authenticators = new TestAuthenticatorCatalog();
  const activity = new SecurityActivity({ log: events, metrics, lost, authenticators, clock, random: new WebCryptoRandomSource() });
  return { clock, events, metrics, lost, authenticators, activity };
}

/** One event of every type a domain service records, and what the operator counts for it. */
const EVERY_EVENT: readonly [NewSecurityEvent, CeremonyOutcome][] = [
  [{ type: "registration.succeeded", userHandle: "u", ...PASSKEY }, { ceremony: "registration", outcome: "succeeded" }],
  [{ type: "registration.failed", userHandle: "u", code: "origin_mismatch" }, { ceremony: "registration", outcome: "failed", code: "origin_mismatch" }],
  [{ type: "sign_in.succeeded", userHandle: "u", ...PASSKEY }, { ceremony: "sign_in", outcome: "succeeded" }],
  [{ type: "sign_in.failed", userHandle: "u", code: "signature_invalid", ...PASSKEY }, { ceremony: "sign_in", outcome: "failed", code: "signature_invalid" }],
  [{ type: "passkey.added", userHandle: "u", ...PASSKEY }, { ceremony: "registration", outcome: "succeeded" }],
  [{ type: "passkey.renamed", userHandle: "u", previousName: "Old", ...PASSKEY }, { ceremony: "passkey_management", outcome: "succeeded" }],
  [{ type: "passkey.disabled", userHandle: "u", ...PASSKEY }, { ceremony: "passkey_management", outcome: "succeeded" }],
  [{ type: "passkey.enabled", userHandle: "u", ...PASSKEY }, { ceremony: "passkey_management", outcome: "succeeded" }],
  [{ type: "passkey.deleted", userHandle: "u", ...PASSKEY }, { ceremony: "passkey_management", outcome: "succeeded" }],
  [{ type: "account.updated", userHandle: "u", changed: ["username"] }, { ceremony: "account_management", outcome: "succeeded" }],
  [{ type: "account.deleted", userHandle: "u" }, { ceremony: "account_management", outcome: "succeeded" }],
  [{ type: "signed_out", userHandle: "u" }, { ceremony: "sign_out", outcome: "succeeded" }],
  [{ type: "signed_out_everywhere", userHandle: "u" }, { ceremony: "sign_out", outcome: "succeeded" }],
  [{ type: "token.refreshed", userHandle: "u" }, { ceremony: "refresh", outcome: "succeeded" }],
];

describe("SecurityActivity.record", () => {
  it("stores the event in its user's trail with a fresh random id, the clock's time and the request context", async () => {
    const { activity, events, clock } = setUp();
    const userHandle = uniqueId(32);
    clock.advance(1234);
    await activity.record({ type: "passkey.added", userHandle, ...PASSKEY }, CONTEXT);
    clock.advance(1);
    await activity.record({ type: "passkey.deleted", userHandle, ...PASSKEY }, CONTEXT);
    const trail = await events.trailOf(userHandle);
    expect(trail).toEqual([
      { type: "passkey.deleted", userHandle, ...PASSKEY, eventId: expect.any(String), at: BASE_TIME + 1235, context: CONTEXT },
      { type: "passkey.added", userHandle, ...PASSKEY, eventId: expect.any(String), at: BASE_TIME + 1234, context: CONTEXT },
    ]);
    expect(trail[0]?.eventId).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(trail[0]?.eventId).not.toBe(trail[1]?.eventId);
  });

  it("counts every event type's outcome for the operator, and covers every type a service records", async () => {
    const { activity, metrics, events } = setUp();
    for (const [event, outcome] of EVERY_EVENT) {
      expect(outcomeOf(event)).toEqual(outcome);
      await activity.record(event, UNKNOWN_REQUEST_CONTEXT);
    }
    expect(metrics.counted).toEqual(EVERY_EVENT.map(([, outcome]) => outcome));
    expect(events.appended.map((event) => event.type)).toEqual(EVERY_EVENT.map(([event]) => event.type));
    // Every type but the store's own count of suppressed failures.
    expect(new Set(EVERY_EVENT.map(([event]) => event.type))).toEqual(new Set(SECURITY_EVENT_TYPES.filter((type) => type !== "sign_in.failed_suppressed")));
  });

  it("clips a request context's fields before storing them", async () => {
    const { activity, events } = setUp();
    await activity.record({ type: "signed_out", userHandle: "u" }, { ...CONTEXT, userAgent: "x".repeat(5000) });
    expect(events.appended[0]?.context.userAgent).toHaveLength(512);
  });

  it("bounds a user's failed sign-ins per window: beyond the limit they are counted on one suppressed event, and all are counted for the operator", async () => {
    const { activity, events, metrics } = setUp();
    const victim = uniqueId(32);
    const attempts = FAILED_SIGN_IN_BOUND.limit + 5;
    await Promise.all(
      Array.from({ length: attempts }, () => activity.record({ type: "sign_in.failed", userHandle: victim, code: "signature_invalid", ...PASSKEY }, CONTEXT)),
    );
    const trail = await events.trailOf(victim);
    expect(trail.filter((event) => event.type === "sign_in.failed")).toHaveLength(FAILED_SIGN_IN_BOUND.limit);
    expect(trail.filter((event) => event.type === "sign_in.failed_suppressed")).toEqual([expect.objectContaining({ count: 5 })]);
    expect(metrics.counted).toHaveLength(attempts);
  });

  it("uses the bound it is given", async () => {
    const { events, metrics, lost, authenticators, clock } = setUp();
    const activity = new SecurityActivity({ log: events, metrics, lost, authenticators, clock, random: new WebCryptoRandomSource(), failureBound: { windowMs: 60_000, limit: 2 } });
    for (let i = 0; i < 3; i++) await activity.record({ type: "sign_in.failed", userHandle: "u", code: "signature_invalid", ...PASSKEY }, CONTEXT);
    const trail = await events.trailOf("u");
    expect(trail.map((event) => event.type).sort()).toEqual(["sign_in.failed", "sign_in.failed", "sign_in.failed_suppressed"]);
  });

  it("never rejects when the store fails: the whole event goes to the lost-event reporter, and the outcome is still counted", async () => {
    const { activity, events, lost, metrics } = setUp();
    const fault = new StorageUnavailableError("append security event", true, new Error("ProvisionedThroughputExceededException"));
    events.failWith = fault;
    await expect(activity.record({ type: "passkey.added", userHandle: "u", ...PASSKEY }, CONTEXT)).resolves.toBeUndefined();
    await expect(activity.record({ type: "sign_in.failed", userHandle: "u", code: "counter_not_increased", ...PASSKEY }, CONTEXT)).resolves.toBeUndefined();
    expect(lost.reported).toEqual([
      { event: { type: "passkey.added", userHandle: "u", ...PASSKEY, eventId: expect.any(String), at: BASE_TIME, context: CONTEXT }, fault },
      { event: expect.objectContaining({ type: "sign_in.failed", code: "counter_not_increased", context: CONTEXT }), fault },
    ]);
    expect(metrics.counted).toEqual([
      { ceremony: "registration", outcome: "succeeded" },
      { ceremony: "sign_in", outcome: "failed", code: "counter_not_increased" },
    ]);
  });

  it("never rejects when the metrics or the lost-event reporter break their promise not to throw", async () => {
    const { activity, events, metrics, lost } = setUp();
    metrics.failWith = new Error("metrics down");
    events.failWith = new Error("store down");
    lost.lost = () => {
      throw new Error("log down");
    };
    await expect(activity.record({ type: "signed_out", userHandle: "u" }, CONTEXT)).resolves.toBeUndefined();
    expect(() => activity.count({ ceremony: "sign_in", outcome: "failed", code: "credential_not_found" })).not.toThrow();
  });

  it("counts an outcome with no user's event without storing anything", () => {
    const { activity, metrics, events } = setUp();
    activity.count({ ceremony: "sign_in", outcome: "failed", code: "credential_not_found" });
    expect(metrics.counted).toEqual([{ ceremony: "sign_in", outcome: "failed", code: "credential_not_found" }]);
    expect(events.appended).toEqual([]);
  });
});

describe("SecurityActivity.recordAbout", () => {
  it("names the passkey by its name and its authenticator's name from the catalog", async () => {
    const { activity, events } = setUp();
    const credential = aStoredCredential({ aaguid: TEST_AAGUIDS.yubiKey5, name: "Blue key", transports: ["usb"] });
    await activity.recordAbout(credential, (passkey) => ({ type: "passkey.disabled", userHandle: credential.userHandle, ...passkey }), CONTEXT);
    expect(events.appended).toEqual([
      expect.objectContaining({ type: "passkey.disabled", credentialId: credential.credentialId, passkeyName: "Blue key", authenticatorName: "YubiKey 5 Series" }),
    ]);
  });

  it("records the event with a stand-in authenticator name when the catalog fails", async () => {
    const { activity, events, authenticators } = setUp();
    authenticators.describe = async () => {
      throw new Error("catalog broken");
    };
    const credential = aStoredCredential();
    await expect(activity.recordAbout(credential, (passkey) => ({ type: "passkey.deleted", userHandle: "u", ...passkey }), CONTEXT)).resolves.toBeUndefined();
    expect(events.appended).toEqual([expect.objectContaining({ type: "passkey.deleted", authenticatorName: UNKNOWN_AUTHENTICATOR_NAME })]);
  });
});

describe("alongside", () => {
  it("runs the recording beside the work and returns the work's value once both are done", async () => {
    const order: string[] = [];
    let finishRecording = () => {};
    const recording = new Promise<void>((resolve) => {
      finishRecording = () => {
        order.push("recorded");
        resolve();
      };
    });
    const result = alongside(recording, (async () => {
      order.push("work");
      return 42;
    })());
    let settled = false;
    void result.then(() => (settled = true));
    await new Promise((resolve) => setTimeout(resolve, 5));
    // The work is done, and the caller still waits for the recording.
    expect(order).toEqual(["work"]);
    expect(settled).toBe(false);
    finishRecording();
    expect(await result).toBe(42);
    expect(order).toEqual(["work", "recorded"]);
  });

  it("waits for the recording even when the work fails, then throws the work's fault", async () => {
    let recorded = false;
    const recording = new Promise<void>((resolve) => setTimeout(() => {
      recorded = true;
      resolve();
    }, 5));
    await expect(alongside(recording, Promise.reject(new Error("work failed")))).rejects.toThrow("work failed");
    expect(recorded).toBe(true);
  });
});
