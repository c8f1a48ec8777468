import { describe, expect, it } from "vitest";
import { contentTypeProblem, decodeFields, decodeOneOf, isJsonContentType, MAX_JSON_DEPTH, parseJsonObject } from "../../../src/handlers/http/decode.js";

describe("isJsonContentType", () => {
  it.each([
    "application/json",
    "application/json; charset=utf-8",
    "APPLICATION/JSON",
    " application/json ;charset=UTF-8",
    'application/json; charset="UTF-8"',
    "application/json;CHARSET=Utf-8",
    'application/json; profile="a;charset=latin1"; charset=utf-8',
    "application/json; foo=bar",
  ])("accepts %j", (header) => {
    expect(isJsonContentType(header)).toBe(true);
  });

  it.each([undefined, "", "text/plain", "application/jsonx", "application/x-json", "multipart/form-data", "text/json"])("refuses %j", (header) => {
    expect(isJsonContentType(header)).toBe(false);
  });

  it.each([
    "application/json; charset=latin1",
    "application/json; charset=iso-8859-1",
    'application/json; charset="utf-16"',
    "application/json; charset=UTF-16LE",
    "application/json; charset=",
    "application/json; charset=utf-8; charset=latin1",
  ])("refuses %j: JSON, but not in UTF-8", (header) => {
    expect(isJsonContentType(header)).toBe(false);
    expect(contentTypeProblem(header)).toBe("charset_not_utf8");
  });

  it("tells a body that is not JSON from JSON in another charset", () => {
    expect(contentTypeProblem("text/plain; charset=latin1")).toBe("not_json");
    expect(contentTypeProblem(undefined)).toBe("not_json");
    expect(contentTypeProblem("application/json; charset=utf-8")).toBeNull();
  });
});

describe("parseJsonObject", () => {
  it("parses one JSON object", () => {
    expect(parseJsonObject('{"a":1,"b":[{"c":null}]}')).toEqual({ ok: true, value: { a: 1, b: [{ c: null }] } });
  });

  it("calls text that is not JSON malformed_json", () => {
    for (const text of ["", "{", "{'a':1}", "undefined", '{"a":1}x']) expect(parseJsonObject(text)).toMatchObject({ ok: false, error: { code: "malformed_json" } });
  });

  it("calls JSON that is not an object invalid_request", () => {
    for (const text of ["[]", "null", "1", '"s"', "false"]) expect(parseJsonObject(text)).toMatchObject({ ok: false, error: { code: "invalid_request" } });
  });

  it(`accepts ${MAX_JSON_DEPTH} levels of nesting and refuses one more`, () => {
    const nested = (depth: number): string => `${"[".repeat(depth - 1)}`.replace(/^/, "{\"a\":") + "]".repeat(depth - 1) + "}";
    expect(parseJsonObject(nested(MAX_JSON_DEPTH)).ok).toBe(true);
    expect(parseJsonObject(nested(MAX_JSON_DEPTH + 1))).toMatchObject({ ok: false, error: { code: "invalid_request" } });
  });

  it("does not count brackets inside strings, escaped quotes included", () => {
    const text = JSON.stringify({ a: "[[[[{{{{".repeat(20), b: 'say \\"[[[[\\"'.repeat(20) });
    expect(parseJsonObject(text).ok).toBe(true);
  });

  it("keeps a __proto__ key as plain data", () => {
    const parsed = parseJsonObject('{"__proto__":{"polluted":true}}');
    expect(parsed.ok).toBe(true);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

describe("decodeFields", () => {
  const spec = { name: "string", nick: "string?", credential: "object" } as const;

  it("picks the fields of the spec and ignores the rest", () => {
    expect(decodeFields({ name: "n", credential: { id: "x" }, extra: 1 }, spec)).toEqual({ ok: true, value: { name: "n", nick: undefined, credential: { id: "x" } } });
  });

  it.each([
    [{ credential: {} }, "name is missing; it must be a string."],
    [{ name: 1, credential: {} }, "name must be a string."],
    [{ name: "n", nick: null, credential: {} }, "nick must be a string when present."],
    [{ name: "n" }, "credential is missing; it must be a JSON object."],
    [{ name: "n", credential: [] }, "credential must be a JSON object."],
    [{ name: "n", credential: null }, "credential must be a JSON object."],
  ])("%j: invalid_request, %s", (body, message) => {
    expect(decodeFields(body, spec)).toEqual({ ok: false, error: { code: "invalid_request", message } });
  });

  it("does not read inherited properties", () => {
    expect(decodeFields(Object.create({ name: "inherited" }) as Record<string, unknown>, { name: "string" }).ok).toBe(false);
  });
});

describe("decodeOneOf", () => {
  const names = ["userId", "username"] as const;

  it("says which of the two fields came, with its value, and ignores the rest", () => {
    expect(decodeOneOf({ userId: "dXNlcg", extra: 1 }, names)).toEqual({ ok: true, value: { name: "userId", value: "dXNlcg" } });
    expect(decodeOneOf({ username: "erin", session: "s" }, names)).toEqual({ ok: true, value: { name: "username", value: "erin" } });
    expect(decodeOneOf({ username: "" }, names)).toEqual({ ok: true, value: { name: "username", value: "" } });
  });

  it.each([
    [{}, "Give exactly one of userId and username, as a string."],
    [{ userId: "a", username: "b" }, "Give exactly one of userId and username, as a string."],
    [{ userId: "a", username: null }, "Give exactly one of userId and username, as a string."],
    [{ userId: 1 }, "userId must be a string."],
    [{ username: null }, "username must be a string."],
    [{ username: ["erin"] }, "username must be a string."],
  ])("%j: invalid_request, %s", (body, message) => {
    expect(decodeOneOf(body, names)).toEqual({ ok: false, error: { code: "invalid_request", message } });
  });

  it("does not read inherited properties", () => {
    expect(decodeOneOf(Object.create({ userId: "inherited" }) as Record<string, unknown>, names).ok).toBe(false);
  });
});
