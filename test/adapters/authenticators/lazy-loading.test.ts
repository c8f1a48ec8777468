/**
 * The default catalog (what the compositions build) reads its file on the first `describe` and never
 * before: constructing it, at a cold start, costs nothing. The file system is spied on, not faked.
 */
import type * as fsPromises from "node:fs/promises";
import { describe, expect, it, vi } from "vitest";

const readFile = vi.hoisted(() => vi.fn());
vi.mock("node:fs/promises", async (original) => {
  const real = await original<typeof fsPromises>();
  readFile.mockImplementation(real.readFile);
  return { ...real, readFile };
});

const { AUTHENTICATOR_DATA_FILE, CommunityAuthenticatorCatalog } = await import("../../../src/adapters/authenticators/community-authenticator-catalog.js");

describe("the default CommunityAuthenticatorCatalog", () => {
  it("reads its data file on the first describe, once, and not when it is built", async () => {
    const catalog = new CommunityAuthenticatorCatalog();
    expect(readFile).not.toHaveBeenCalled();

    const first = await catalog.describe("ea9b8d66-4d01-1d21-3ce4-b6b48cb575d4", { transports: ["internal", "hybrid"], backupEligible: true });
    expect(first.name).toBe("Google Password Manager");
    expect(readFile).toHaveBeenCalledTimes(1);
    expect(readFile).toHaveBeenCalledWith(AUTHENTICATOR_DATA_FILE, "utf8");

    await catalog.describe("cb69481e-8ff7-4039-93ec-0a2729a154a8", { transports: ["usb"], backupEligible: false });
    expect(readFile).toHaveBeenCalledTimes(1);
  });

  it("finds its file beside its module", () => {
    expect(AUTHENTICATOR_DATA_FILE.href).toBe(new URL("../../../src/adapters/authenticators/authenticators.json", import.meta.url).href);
  });
});
