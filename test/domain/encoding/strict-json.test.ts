import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { hasDuplicateObjectKeys } from "../../../src/domain/encoding/strict-json.js";

describe("hasDuplicateObjectKeys (on text that is valid JSON)", () => {
  it.each([
    ["an empty object", "{}"],
    ["distinct keys", '{"type":"webauthn.get","challenge":"abc","origin":"https://example.com"}'],
    ["the same key in sibling objects", '[{"a":1},{"a":2}]'],
    ["the same key in a nested object and its parent", '{"a":{"a":1}}'],
    ["a value equal to a key", '{"a":"a","b":"a"}'],
    ["keys that differ only in case", '{"type":1,"Type":2}'],
    ["braces, colons, commas and quotes inside strings", '{"a":"{\\"a\\":1,}","b":"[:]"}'],
    ["an escaped backslash before the closing quote", '{"a\\\\":1,"a":2}'],
    ["not an object", '["a","a"]'],
    ["a scalar", '"a"'],
    ["whitespace everywhere", ' { "a" : 1 ,\n\t"b" : [ { "a" : 1 } ] } '],
  ])("finds none in %s", (_label, text) => {
    expect(hasDuplicateObjectKeys(text)).toBe(false);
  });

  it.each([
    ["at the top level", '{"challenge":"abc","challenge":"xyz"}'],
    ["in a nested object", '{"a":{"b":1,"b":2}}'],
    ["in an object inside an array", '[1,{"b":1,"c":[],"b":2}]'],
    ["after a nested object closes", '{"a":{"x":1},"a":2}'],
    ["spelled with an escape", '{"type":"webauthn.create","t\\u0079pe":"webauthn.get"}'],
    ["with the same escape spelled twice", '{"\\u0061":1,"\\u0061":2}'],
    ["with whitespace around", '{ "a" : 1 , "a" : 2 }'],
  ])("finds one %s", (_label, text) => {
    expect(hasDuplicateObjectKeys(text)).toBe(true);
  });

  it("finds none in anything JSON.stringify writes (its objects cannot repeat a key)", () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        expect(hasDuplicateObjectKeys(JSON.stringify(value))).toBe(false);
      }),
      { numRuns: 500 },
    );
  });

  it("finds the repeated key when a member of a written object is written again", () => {
    const object = fc.dictionary(fc.string(), fc.jsonValue(), { minKeys: 1 });
    fc.assert(
      fc.property(object, fc.nat(), (value, pick) => {
        const keys = Object.keys(value);
        const key = keys[pick % keys.length]!;
        const text = JSON.stringify(value);
        const repeated = `${text.slice(0, -1)},${JSON.stringify(key)}:${JSON.stringify(value[key])}}`;
        expect(hasDuplicateObjectKeys(repeated)).toBe(true);
      }),
      { numRuns: 500 },
    );
  });
});
