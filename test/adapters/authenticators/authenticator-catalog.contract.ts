/**
 * The AuthenticatorCatalog contract (src/ports/authenticator-catalog.ts), as a suite any adapter can run:
 *
 *   describeAuthenticatorCatalogContract("CommunityAuthenticatorCatalog", () => ({ catalog, known }));
 *
 * `known` is an AAGUID the adapter names, in lower case, with the name it gives. Only what the port
 * promises is asserted: it always answers, with a non-empty name and either no icon or two image data
 * URIs; AAGUIDs compare without regard to case; an AAGUID it does not know (the all-zero one included)
 * gets a fallback named from the hints, with no icon.
 */
import { describe, expect, it } from "vitest";
import type { AuthenticatorTransport } from "../../../src/domain/encoding/webauthn-json.js";
import type { AuthenticatorCatalog, AuthenticatorDescription, AuthenticatorHints } from "../../../src/ports/authenticator-catalog.js";

export interface AuthenticatorCatalogFixture {
  readonly catalog: AuthenticatorCatalog;
  readonly known: { readonly aaguid: string; readonly name: string };
}

const ZERO = "00000000-0000-0000-0000-000000000000";
const UNKNOWN = "0badc0de-0000-4000-8000-000000000001";
const IMAGE_DATA_URI = /^data:image\/(svg\+xml|png);base64,[A-Za-z0-9+/]+={0,2}$/;

const hints = (transports: AuthenticatorTransport[], backupEligible: boolean): AuthenticatorHints => ({ transports, backupEligible });
const SECURITY_KEY = hints(["usb", "nfc"], false);
const SYNCED = hints(["hybrid", "internal"], true);
const PLATFORM = hints(["internal"], false);

function expectWellFormed(description: AuthenticatorDescription): void {
  expect(typeof description.name).toBe("string");
  expect(description.name.trim()).not.toBe("");
  if (description.icon !== null) {
    expect(Object.keys(description.icon).sort()).toEqual(["dark", "light"]);
    expect(description.icon.light).toMatch(IMAGE_DATA_URI);
    expect(description.icon.dark).toMatch(IMAGE_DATA_URI);
  }
}

export function describeAuthenticatorCatalogContract(name: string, make: () => AuthenticatorCatalogFixture): void {
  describe(`${name} (AuthenticatorCatalog contract)`, () => {
    it("names a known AAGUID whatever the hints say", async () => {
      const { catalog, known } = make();
      for (const h of [SECURITY_KEY, SYNCED, PLATFORM, hints([], false)]) {
        const description = await catalog.describe(known.aaguid, h);
        expectWellFormed(description);
        expect(description.name).toBe(known.name);
      }
    });

    it("compares AAGUIDs without regard to case", async () => {
      const { catalog, known } = make();
      const lower = await catalog.describe(known.aaguid, PLATFORM);
      const upper = await catalog.describe(known.aaguid.toUpperCase(), PLATFORM);
      expect(upper).toEqual(lower);
    });

    it.each([
      ["the all-zero AAGUID", ZERO],
      ["an unknown AAGUID", UNKNOWN],
      ["a string that is no AAGUID", "not-an-aaguid"],
      ["the empty string", ""],
    ])("answers %s with a fallback, without an icon", async (_, aaguid) => {
      const { catalog } = make();
      for (const h of [SECURITY_KEY, SYNCED, PLATFORM, hints([], false)]) {
        const description = await catalog.describe(aaguid, h);
        expectWellFormed(description);
        expect(description.icon).toBeNull();
      }
    });

    it("names a fallback from the hints: a security key, a synced passkey and a device's own passkey are told apart", async () => {
      const { catalog } = make();
      const names = await Promise.all([SECURITY_KEY, SYNCED, PLATFORM].map(async (h) => (await catalog.describe(ZERO, h)).name));
      expect(new Set(names).size).toBe(3);
    });

    it("gives the same answer every time", async () => {
      const { catalog, known } = make();
      const first = await Promise.all([catalog.describe(known.aaguid, SYNCED), catalog.describe(ZERO, SECURITY_KEY)]);
      const again = await Promise.all([catalog.describe(known.aaguid, SYNCED), catalog.describe(ZERO, SECURITY_KEY)]);
      expect(again).toEqual(first);
    });
  });
}
