import { describe, expect, it } from "vitest";
import { jsonLineLog, redact } from "../../../src/handlers/http/log.js";

describe("jsonLineLog", () => {
  it("writes one JSON object per line, stamped with the time", () => {
    const lines: string[] = [];
    jsonLineLog((line) => lines.push(line))({ level: "info", event: "http_request", status: 200 });
    expect(lines).toHaveLength(1);
    expect(lines[0]).not.toContain("\n");
    expect(JSON.parse(lines[0]!)).toEqual({ time: expect.stringMatching(/^\d{4}-\d\d-\d\dT/), level: "info", event: "http_request", status: 200 });
  });
});

describe("redact", () => {
  it("blanks out anything shaped like a JWT", () => {
    expect(redact("bad token eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln here")).toBe("bad token [redacted-jwt] here");
  });

  it("caps the length", () => {
    expect(redact("x".repeat(1000))).toHaveLength(501);
    expect(redact("x".repeat(50), 10)).toBe(`${"x".repeat(10)}…`);
  });
});
