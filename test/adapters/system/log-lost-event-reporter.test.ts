import { describe, expect, it } from "vitest";
import { LogLostEventReporter, LOST_EVENT_LOG_EVENT } from "../../../src/adapters/system/log-lost-event-reporter.js";
import type { SecurityEvent } from "../../../src/domain/activity/security-events.js";
import { StorageUnavailableError } from "../../../src/ports/storage-unavailable-error.js";

const EVENT: SecurityEvent = {
  type: "sign_in.failed",
  eventId: "evt-1",
  at: Date.UTC(2026, 0, 1, 9, 30),
  userHandle: "handle-1",
  credentialId: "cred-1",
  passkeyName: "Work laptop",
  authenticatorName: "iCloud Keychain",
  code: "credential_disabled",
  context: { sourceIp: "192.0.2.1", userAgent: "Mozilla/5.0", correlationId: "req-12345678" },
};

describe("LogLostEventReporter", () => {
  it("writes one error line carrying the whole event, the fault, and the request's correlation id", () => {
    const lines: unknown[] = [];
    new LogLostEventReporter((entry) => lines.push(entry)).lost(EVENT, new StorageUnavailableError("append event", true, new Error("ThrottlingException")));
    expect(lines).toEqual([
      {
        level: "error",
        event: LOST_EVENT_LOG_EVENT,
        correlationId: "req-12345678",
        securityEvent: EVENT,
        error: "StorageUnavailableError",
        message: expect.stringContaining("ThrottlingException"),
      },
    ]);
    // Everything of the event survives the trip through JSON, so that an operator can put it back.
    expect(JSON.parse(JSON.stringify(lines[0])).securityEvent).toEqual(EVENT);
  });

  it("caps a long fault message, and describes a fault that is no Error", () => {
    const lines: Record<string, unknown>[] = [];
    const reporter = new LogLostEventReporter((entry) => lines.push(entry));
    reporter.lost(EVENT, new Error("x".repeat(10_000)));
    reporter.lost(EVENT, "a string thrown");
    expect(String(lines[0]?.message).length).toBeLessThanOrEqual(501);
    expect(lines[1]).toMatchObject({ error: "string", message: "a string thrown" });
  });

  it("never throws, even when the log does", () => {
    const reporter = new LogLostEventReporter(() => {
      throw new Error("EPIPE");
    });
    expect(() => reporter.lost(EVENT, new Error("down"))).not.toThrow();
  });
});
