import { describe, expect, it } from "vitest";
import { classifyFault, faultResponse, reportFault } from "../../../src/handlers/http/fault.js";
import { createApp } from "../../../src/handlers/http/app.js";
import { API_DEFAULT_HEADERS, SECURITY_HEADERS } from "../../../src/handlers/http/headers.js";
import type { LogEntry } from "../../../src/handlers/http/log.js";
import { StorageUnavailableError } from "../../../src/ports/storage-unavailable-error.js";

const REFERENCE = "0b6c0d4e-1f2a-4b3c-8d9e-0f1a2b3c4d5e";
const storageDown = () => new StorageUnavailableError("consume session", true, new Error("ThrottlingException"));

describe("classifyFault", () => {
  it("tells the store's named fault from everything else", () => {
    expect(classifyFault(storageDown())).toBe("storage_unavailable");
    expect(classifyFault(new TypeError("x is undefined"))).toBe("internal_error");
    expect(classifyFault("a string")).toBe("internal_error");
    expect(classifyFault(undefined)).toBe("internal_error");
  });
});

describe("reportFault", () => {
  it("logs one error line with the reference, the kind, and the message and stack redacted", () => {
    const logs: LogEntry[] = [];
    const fault = new Error("token eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln rejected");
    expect(reportFault((entry) => logs.push(entry), REFERENCE, fault, { trigger: "create_auth_challenge" })).toBe("internal_error");
    expect(logs).toEqual([
      {
        trigger: "create_auth_challenge",
        level: "error",
        event: "unhandled_error",
        correlationId: REFERENCE,
        error: "Error",
        message: "token [redacted-jwt] rejected",
        stack: expect.stringContaining("[redacted-jwt]"),
      },
    ]);
    expect(JSON.stringify(logs)).not.toContain("eyJ");
  });

  it("names the store's fault in the event, and reports what is not an Error by its type", () => {
    const logs: LogEntry[] = [];
    const log = (entry: LogEntry) => logs.push(entry);
    expect(reportFault(log, REFERENCE, storageDown())).toBe("storage_unavailable");
    reportFault(log, REFERENCE, 42);
    expect(logs).toEqual([
      expect.objectContaining({ event: "storage_unavailable", error: "StorageUnavailableError", message: expect.stringContaining("consume session") }),
      expect.objectContaining({ event: "unhandled_error", error: "number", message: "42", stack: undefined }),
    ]);
  });

  it("cannot be told a different level, event or reference by its context", () => {
    const logs: LogEntry[] = [];
    reportFault((entry) => logs.push(entry), REFERENCE, new Error("x"), { level: "info", event: "other", correlationId: "forged" });
    expect(logs[0]).toMatchObject({ level: "error", event: "unhandled_error", correlationId: REFERENCE });
  });
});

describe("faultResponse", () => {
  it("answers a bug with 500 internal_error and the reference, nothing else", () => {
    expect(faultResponse("internal_error", REFERENCE)).toEqual({
      status: 500,
      headers: { "content-type": "application/json", ...SECURITY_HEADERS, ...API_DEFAULT_HEADERS, "x-correlation-id": REFERENCE },
      body: { error: { code: "internal_error", message: `Something went wrong on our side (reference ${REFERENCE}).` } },
    });
  });

  it("answers the store's fault with 503 storage_unavailable, to be tried again", () => {
    const { status, body } = faultResponse("storage_unavailable", REFERENCE);
    expect({ status, body }).toEqual({
      status: 503,
      body: { error: { code: "storage_unavailable", message: `Storage is unavailable; try again later (reference ${REFERENCE}).` } },
    });
  });
});

describe("the app's answer to a fault", () => {
  function appThrowing(fault: unknown) {
    const logs: LogEntry[] = [];
    const unused = (): never => {
      throw new Error("not used by this test");
    };
    const app = createApp({
      registration: { startForNewUser: unused, startForExistingUser: unused, finish: unused },
      signIn: { discover: () => Promise.reject(fault), start: unused, finish: unused, failureSignals: unused, refresh: unused },
      passkeys: {
        listPasskeys: unused,
        updatePasskey: unused,
        deletePasskey: unused,
        account: unused,
        updateAccount: unused,
        deleteAccount: unused,
        signOut: unused,
        signOutEverywhere: unused,
        listEvents: unused,
      },
      identityProvider: { verifyIdToken: unused },
      allowedOrigins: [],
      log: (entry) => logs.push(entry),
    });
    const discover = () => app.request("/authentication/discover", { method: "POST", headers: { "content-type": "application/json" }, body: "{}" });
    return { discover, logs };
  }

  it("is faultResponse's, with its headers, logged once before the request line", async () => {
    const { discover, logs } = appThrowing(storageDown());
    const response = await discover();
    const reference = response.headers.get("x-correlation-id")!;
    const expected = faultResponse("storage_unavailable", reference);
    expect(response.status).toBe(expected.status);
    expect(await response.json()).toEqual(expected.body);
    const { "content-type": contentType, ...safety } = expected.headers;
    expect(response.headers.get("content-type")).toMatch(new RegExp(`^${contentType}`));
    for (const [name, value] of Object.entries(safety)) expect(response.headers.get(name), name).toBe(value);
    expect(logs.map((entry) => [entry.event, entry.correlationId])).toEqual([
      ["storage_unavailable", reference],
      ["http_request", reference],
    ]);
    expect(logs[1]).toMatchObject({ level: "error", status: 503, code: "storage_unavailable" });
  });
});
