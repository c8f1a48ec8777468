import { describe, expect, it } from "vitest";
import {
  isIconDataUri,
  MAX_AUTHENTICATOR_NAME_LENGTH,
  MAX_ICON_LENGTH,
  parseAuthenticatorData,
  prepareAuthenticatorName,
} from "../../../src/adapters/authenticators/authenticator-data.js";
import { dataFile, PNG, SVG } from "./fixtures.js";

const svg = (markup: string): string => `data:image/svg+xml;base64,${Buffer.from(markup).toString("base64")}`;
const A = "0a1b2c3d-0000-4000-8000-00000000000a";
const B = "0a1b2c3d-0000-4000-8000-00000000000b";

describe("authenticator names", () => {
  it.each([
    ["YubiKey 5 Series", "YubiKey 5 Series"],
    ["TOKEN2 PIN Plus Security Key Series ", "TOKEN2 PIN Plus Security Key Series"],
    ["  Bitwarden\t", "Bitwarden"],
    ["Se\u0301same", "S\u00e9same"],
    ["Thales & Co \"Key\"", "Thales & Co \"Key\""],
    ["x".repeat(MAX_AUTHENTICATOR_NAME_LENGTH), "x".repeat(MAX_AUTHENTICATOR_NAME_LENGTH)],
    ["🔑".repeat(MAX_AUTHENTICATOR_NAME_LENGTH), "🔑".repeat(MAX_AUTHENTICATOR_NAME_LENGTH)],
  ])("keeps %j as %j (NFC, trimmed)", (raw, prepared) => {
    expect(prepareAuthenticatorName(raw)).toBe(prepared);
  });

  it.each([
    ["empty", ""],
    ["white space only", " \t "],
    ["too long", "x".repeat(MAX_AUTHENTICATOR_NAME_LENGTH + 1)],
    ["a control character", "Key\u0000"],
    ["a line break", "Key\nEvil"],
    ["a line separator", "Key\u2028Evil"],
    ["a right-to-left override", "Key\u202Eexe.gpj"],
    ["a zero-width space", "Yubi\u200BKey"],
    ["a private-use character", "Key\uE000"],
    ["an unpaired surrogate", "Key\uD800"],
    ["markup", "<script>alert(1)</script>"],
    ["a stray angle bracket", "Key > Lock"],
    ["not a string", 42],
    ["null", null],
  ])("refuses a name that is %s", (_, raw) => {
    expect(prepareAuthenticatorName(raw)).toBeNull();
  });
});

describe("icons", () => {
  it.each([
    ["an SVG", SVG],
    ["a PNG", PNG],
    ["an SVG with an XML declaration", svg('<?xml version="1.0"?>\n<svg viewBox="0 0 1 1"></svg>')],
  ])("accepts %s as a base64 data URI", (_, icon) => {
    expect(isIconDataUri(icon)).toBe(true);
  });

  it.each([
    ["HTML", `data:text/html;base64,${Buffer.from("<script>alert(1)</script>").toString("base64")}`],
    ["a JPEG", `data:image/jpeg;base64,${Buffer.from([0xff, 0xd8, 0xff, 0xe0]).toString("base64")}`],
    ["a JPEG labelled PNG (three upstream icons are)", `data:image/png;base64,${Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 0x10, 0x4a, 0x46]).toString("base64")}`],
    ["an SVG labelled PNG", `data:image/png;base64,${SVG.slice(SVG.indexOf(",") + 1)}`],
    ["HTML labelled SVG", svg("<html><body>not an image</body></html>")],
    ["an SVG not in base64", 'data:image/svg+xml,<svg onload="alert(1)"/>'],
    ["a URI that leaves its attribute", `${PNG}" onerror="alert(1)`],
    ["base64 with white space", `${PNG.slice(0, 40)} ${PNG.slice(40)}`],
    ["base64 of the wrong length", PNG.slice(0, -1)],
    ["an http URL", "https://example.com/icon.svg"],
    ["a javascript: URI", "javascript:alert(1)"],
    ["a type in capitals", PNG.replace("image/png", "IMAGE/PNG")],
    ["an empty payload", "data:image/png;base64,"],
    ["not a string", 7],
  ])("refuses %s", (_, icon) => {
    expect(isIconDataUri(icon)).toBe(false);
  });

  it(`refuses an icon over ${MAX_ICON_LENGTH} characters and accepts one at the limit`, () => {
    const head = "data:image/png;base64,iVBORw0KGgo";
    const padded = (length: number): string => head + "A".repeat(length - head.length - 1) + "=";
    expect(isIconDataUri(padded(MAX_ICON_LENGTH - 2))).toBe(true);
    expect(isIconDataUri(padded(MAX_ICON_LENGTH + 2))).toBe(false);
  });
});

describe("parseAuthenticatorData", () => {
  it("gives each entry its name and its pair of icons, keyed by lower-case AAGUID", () => {
    const { authenticators, skipped } = parseAuthenticatorData(
      dataFile({ [A]: { name: "Both", icon: [0, 1] }, [B.toUpperCase()]: { name: "Shared", icon: [1, 1] }, "0a1b2c3d-0000-4000-8000-00000000000c": { name: "None" } }),
    );
    expect(skipped).toEqual([]);
    expect(Object.fromEntries(authenticators)).toEqual({
      [A]: { name: "Both", icon: { light: SVG, dark: PNG } },
      [B]: { name: "Shared", icon: { light: PNG, dark: PNG } },
      "0a1b2c3d-0000-4000-8000-00000000000c": { name: "None", icon: null },
    });
  });

  it.each<[string, string, unknown, string]>([
    ["a key that is no AAGUID", "yubikey", { name: "Key" }, "key"],
    ["a key with braces", `{${A}}`, { name: "Key" }, "key"],
    ["the all-zero AAGUID", "00000000-0000-0000-0000-000000000000", { name: "Key" }, "key"],
    ["the prototype's name", "__proto__", { name: "Key" }, "key"],
    ["an entry that is a string", A, "Key", "name"],
    ["an entry without a name", A, { icon: [0, 0] }, "name"],
    ["a refused name", A, { name: "Key\u202E" }, "name"],
    ["an icon index past the end", A, { name: "Key", icon: [0, 3] }, "icon"],
    ["a negative icon index", A, { name: "Key", icon: [-1, 0] }, "icon"],
    ["a fractional icon index", A, { name: "Key", icon: [0.5, 0] }, "icon"],
    ["an icon index as a string", A, { name: "Key", icon: ["0", "0"] }, "icon"],
    ["one icon index", A, { name: "Key", icon: [0] }, "icon"],
    ["an icon given inline instead of by index", A, { name: "Key", icon: SVG }, "icon"],
    ["an icon that points at a refused one", A, { name: "Key", icon: [0, 2] }, "icon"],
    ["icon null", A, { name: "Key", icon: null }, "icon"],
  ])("skips %s, and says which and why", (_, key, entry, why) => {
    const hostile = `data:text/html;base64,${Buffer.from("<script>alert(1)</script>").toString("base64")}`;
    const { authenticators, skipped } = parseAuthenticatorData(dataFile({ [key]: entry, [B]: { name: "Fine" } }, [SVG, PNG, hostile]));
    expect(skipped).toEqual([`${key} (${why})`]);
    expect([...authenticators.keys()]).toEqual([B]);
  });

  it("skips the second of two keys that differ only in case", () => {
    const { authenticators, skipped } = parseAuthenticatorData(dataFile({ [A]: { name: "First" }, [A.toUpperCase()]: { name: "Second" } }));
    expect(authenticators.get(A)?.name).toBe("First");
    expect(skipped).toEqual([`${A.toUpperCase()} (duplicate)`]);
  });

  it("keeps names and icons as plain strings and nothing else", () => {
    const { authenticators } = parseAuthenticatorData(dataFile({ [A]: { name: "Key", icon: [0, 1], extra: "<b>ignored</b>", href: "javascript:alert(1)" } }));
    expect(authenticators.get(A)).toStrictEqual({ name: "Key", icon: { light: SVG, dark: PNG } });
  });

  it.each([
    ["null", null],
    ["a string", "{}"],
    ["an array", [{ icons: [], authenticators: {} }]],
    ["an object without icons", { authenticators: {} }],
    ["an object without authenticators", { icons: [] }],
    ["authenticators as a list", { icons: [], authenticators: [] }],
    ["the data set's own format", { [A]: { name: "Key", icon_light: SVG, icon_dark: SVG } }],
  ])("throws on a file that is %s", (_, raw) => {
    expect(() => parseAuthenticatorData(raw)).toThrow(TypeError);
  });
});
