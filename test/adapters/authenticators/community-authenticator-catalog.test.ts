import { readFileSync } from "node:fs";
import { describe, expect, it, vi } from "vitest";
import { parseAuthenticatorData } from "../../../src/adapters/authenticators/authenticator-data.js";
import {
  AUTHENTICATOR_DATA_FILE,
  CommunityAuthenticatorCatalog,
  FALLBACK_NAMES,
  fallbackDescription,
  readAuthenticatorDataFile,
} from "../../../src/adapters/authenticators/community-authenticator-catalog.js";
import type { AuthenticatorTransport } from "../../../src/domain/encoding/webauthn-json.js";
import type { AuthenticatorHints } from "../../../src/ports/authenticator-catalog.js";
import { describeAuthenticatorCatalogContract } from "./authenticator-catalog.contract.js";
import { dataFile, PNG, SVG } from "./fixtures.js";

const ZERO = "00000000-0000-0000-0000-000000000000";
const APPLE = "fbfc3007-154e-4ecc-8c0b-6e020557d7bd";
const GOOGLE = "ea9b8d66-4d01-1d21-3ce4-b6b48cb575d4";
const YUBIKEY_5 = "cb69481e-8ff7-4039-93ec-0a2729a154a8";
const YUBIKEY_5_NFC = "fa2b99dc-9e39-4257-8f92-4a30d23c4118";

const hints = (transports: AuthenticatorTransport[], backupEligible = false): AuthenticatorHints => ({ transports, backupEligible });
const silent = { report: () => {} };

describeAuthenticatorCatalogContract("CommunityAuthenticatorCatalog on the shipped data", () => ({
  catalog: new CommunityAuthenticatorCatalog(),
  known: { aaguid: GOOGLE, name: "Google Password Manager" },
}));

describeAuthenticatorCatalogContract("CommunityAuthenticatorCatalog on a one-entry file", () => ({
  catalog: new CommunityAuthenticatorCatalog({ load: async () => dataFile({ "0a1b2c3d-0000-4000-8000-00000000abcd": { name: "Test Key", icon: [0, 1] } }) }),
  known: { aaguid: "0a1b2c3d-0000-4000-8000-00000000abcd", name: "Test Key" },
}));

describe("CommunityAuthenticatorCatalog on the shipped data", () => {
  const catalog = new CommunityAuthenticatorCatalog();

  // The names are the data set's: upstream renamed iCloud Keychain's entry "Apple Passwords" in 2025.
  it.each([
    [APPLE, "Apple Passwords", "svg+xml"],
    [GOOGLE, "Google Password Manager", "svg+xml"],
    [YUBIKEY_5, "YubiKey 5 Series", "png"],
    [YUBIKEY_5_NFC, "YubiKey 5 Series with NFC", "png"],
    ["08987058-cadc-4b81-b6e1-30de50dcbe96", "Windows Hello", "svg+xml"],
    ["d548826e-79b4-db40-a3d8-11116f7e8349", "Bitwarden", "svg+xml"],
  ])("names %s %s, with its icons", async (aaguid, name, type) => {
    const description = await catalog.describe(aaguid, hints(["internal"]));
    expect(description.name).toBe(name);
    expect(description.icon?.light.startsWith(`data:image/${type};base64,`)).toBe(true);
    expect(description.icon?.dark.startsWith(`data:image/${type};base64,`)).toBe(true);
  });

  it("gives a passkey provider's separate icons for light and dark backgrounds where the data set has two", async () => {
    const { icon } = await catalog.describe("bada5566-a7aa-401f-bd96-45619a55120d", hints(["internal", "hybrid"], true));
    expect(icon?.light).not.toBe(icon?.dark);
  });

  it("finds an AAGUID written in upper case", async () => {
    expect((await catalog.describe(YUBIKEY_5.toUpperCase(), hints(["usb"]))).name).toBe("YubiKey 5 Series");
  });

  it("keeps every entry of the shipped file: the update script wrote nothing its check refuses", async () => {
    const { authenticators, skipped } = parseAuthenticatorData(await readAuthenticatorDataFile());
    expect(skipped).toEqual([]);
    expect(authenticators.size).toBeGreaterThan(300);
  });

  it("records where the data came from, in the file itself", () => {
    const source = (JSON.parse(readFileSync(AUTHENTICATOR_DATA_FILE, "utf8")) as { source: { dataSet: string } }).source;
    expect(source.dataSet).toContain("https://github.com/passkeydeveloper/passkey-authenticator-aaguids");
  });

  it("answers with frozen descriptions, so that one caller cannot change what the next is told", async () => {
    const description = await catalog.describe(GOOGLE, hints([]));
    expect(Object.isFrozen(description)).toBe(true);
    expect(Object.isFrozen(description.icon)).toBe(true);
  });
});

describe("fallbacks for an AAGUID that names nothing known", () => {
  const catalog = new CommunityAuthenticatorCatalog();

  it.each<[string, AuthenticatorHints, string]>([
    ["a backup-eligible (synced) credential", hints(["internal", "hybrid"], true), FALLBACK_NAMES.synced],
    ["a synced credential that reports no transports", hints([], true), FALLBACK_NAMES.synced],
    ["a USB key", hints(["usb"]), FALLBACK_NAMES.securityKey],
    ["an NFC and USB key", hints(["nfc", "usb"]), FALLBACK_NAMES.securityKey],
    ["a BLE key", hints(["ble"]), FALLBACK_NAMES.securityKey],
    ["a smart card", hints(["smart-card"]), FALLBACK_NAMES.securityKey],
    ["a platform authenticator", hints(["internal"]), FALLBACK_NAMES.deviceBound],
    ["a phone's device-bound passkey used across devices", hints(["hybrid", "internal"]), FALLBACK_NAMES.deviceBound],
    ["a key that is also internal", hints(["usb", "internal"]), FALLBACK_NAMES.deviceBound],
    ["an old browser's 'cable'", hints(["cable"]), FALLBACK_NAMES.deviceBound],
    ["a credential that reported no transports", hints([]), FALLBACK_NAMES.deviceBound],
  ])("%s", async (_, h, name) => {
    expect(fallbackDescription(h)).toEqual({ name, icon: null });
    expect(await catalog.describe(ZERO, h)).toEqual({ name, icon: null });
    expect(await catalog.describe("0badc0de-0000-4000-8000-000000000001", h)).toEqual({ name, icon: null });
  });

  it("uses these words", () => {
    expect(FALLBACK_NAMES).toEqual({ synced: "Synced passkey", securityKey: "Security key", deviceBound: "Device-bound passkey" });
  });

  it("ignores an entry for the all-zero AAGUID in the data: zero means the authenticator did not say", async () => {
    const report = vi.fn();
    const withZero = new CommunityAuthenticatorCatalog({ load: async () => dataFile({ [ZERO]: { name: "Claims to be everything" } }), report });
    expect(await withZero.describe(ZERO, hints(["usb"]))).toEqual({ name: FALLBACK_NAMES.securityKey, icon: null });
    expect(report).toHaveBeenCalledWith(expect.stringContaining(ZERO));
  });
});

describe("loading the data", () => {
  const ENTRY = "0a1b2c3d-0000-4000-8000-00000000abcd";
  const file = () => dataFile({ [ENTRY]: { name: "Test Key", icon: [0, 1] } });

  it("reads nothing until the first describe, then reads once", async () => {
    const load = vi.fn(async () => file());
    const catalog = new CommunityAuthenticatorCatalog({ load, ...silent });
    expect(load).not.toHaveBeenCalled();
    expect(await catalog.describe(ENTRY, hints([]))).toEqual({ name: "Test Key", icon: { light: SVG, dark: PNG } });
    await catalog.describe(ENTRY, hints([]));
    await catalog.describe(ZERO, hints([]));
    expect(load).toHaveBeenCalledTimes(1);
  });

  it("reads once for concurrent first calls", async () => {
    let release: (value: unknown) => void = () => {};
    const load = vi.fn(() => new Promise<unknown>((resolve) => (release = resolve)));
    const catalog = new CommunityAuthenticatorCatalog({ load, ...silent });
    const answers = Promise.all(Array.from({ length: 20 }, () => catalog.describe(ENTRY, hints([]))));
    release(file());
    expect((await answers).map((d) => d.name)).toEqual(Array(20).fill("Test Key"));
    expect(load).toHaveBeenCalledTimes(1);
  });

  it("answers with fallbacks, and says why once, when the data cannot be read", async () => {
    const report = vi.fn();
    const load = vi.fn(async () => {
      throw new Error("ENOENT: no such file or directory");
    });
    const catalog = new CommunityAuthenticatorCatalog({ load, report });
    expect(await catalog.describe(GOOGLE, hints(["internal", "hybrid"], true))).toEqual({ name: FALLBACK_NAMES.synced, icon: null });
    expect(await catalog.describe(YUBIKEY_5, hints(["usb"]))).toEqual({ name: FALLBACK_NAMES.securityKey, icon: null });
    expect(report).toHaveBeenCalledTimes(1);
    expect(report).toHaveBeenCalledWith(expect.stringContaining("ENOENT"));
    expect(load).toHaveBeenCalledTimes(1);
  });

  it.each([
    ["an empty object: the data set's way of retiring the list", {}],
    ["an array", []],
    ["null", null],
    ["icons that are not a list", { icons: {}, authenticators: {} }],
  ])("answers with fallbacks when the file is %s", async (_, raw) => {
    const report = vi.fn();
    const catalog = new CommunityAuthenticatorCatalog({ load: async () => raw, report });
    expect(await catalog.describe(GOOGLE, hints(["usb"]))).toEqual({ name: FALLBACK_NAMES.securityKey, icon: null });
    expect(report).toHaveBeenCalledTimes(1);
  });

  it("keeps the good entries of a file with bad ones, and reports the bad ones once", async () => {
    const report = vi.fn();
    const good = "11111111-0000-4000-8000-000000000001";
    const bad = "22222222-0000-4000-8000-000000000002";
    const catalog = new CommunityAuthenticatorCatalog({
      load: async () => dataFile({ [good]: { name: "Good" }, [bad]: { name: "<img src=x onerror=alert(1)>" } }),
      report,
    });
    expect(await catalog.describe(good, hints([]))).toEqual({ name: "Good", icon: null });
    expect(await catalog.describe(bad, hints(["usb"]))).toEqual({ name: FALLBACK_NAMES.securityKey, icon: null });
    expect(report).toHaveBeenCalledTimes(1);
    expect(report).toHaveBeenCalledWith(expect.stringMatching(/^1 entries skipped: 22222222-0000-4000-8000-000000000002 \(name\)$/));
  });

  it("warns on the standard error stream when no one is told", async () => {
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    try {
      const catalog = new CommunityAuthenticatorCatalog({ load: async () => null });
      await catalog.describe(GOOGLE, hints([]));
      expect(warn).toHaveBeenCalledWith(expect.stringMatching(/^keyport: authenticator catalog: data not loaded/));
    } finally {
      warn.mockRestore();
    }
  });
});
