/**
 * AuthenticatorCatalog over the passkey-authenticator-aaguids data set (ADR 0019): names and icons of
 * passkey providers and of the FIDO Metadata Service's authenticators, from a file shipped beside the
 * code and read on the first `describe`, never at start-up. The icons are most of its 1.2 MB: in the
 * HTTP API's bundle they would break its budget, and every cold start would parse them for nothing.
 */
import { readFile } from "node:fs/promises";
import type { AuthenticatorCatalog, AuthenticatorDescription, AuthenticatorHints } from "../../ports/authenticator-catalog.js";
import { parseAuthenticatorData } from "./authenticator-data.js";

/**
 * Where the data is read from: beside this module. In the source tree that is this folder; in a Lambda
 * bundle, `import.meta.url` is the bundle's index.mjs, and scripts/build-lambda.ts (and the CDK stack)
 * copy the file beside it under the same name.
 */
export const AUTHENTICATOR_DATA_FILE = new URL("./authenticators.json", import.meta.url);

/** What an authenticator is called when its AAGUID names nothing we know (ADR 0019 says why these words). */
export const FALLBACK_NAMES = {
  synced: "Synced passkey",
  securityKey: "Security key",
  deviceBound: "Device-bound passkey",
} as const;

const ROAMING = new Set(["usb", "nfc", "ble", "smart-card"]);

/**
 * A name from what is known of the credential besides its AAGUID. A backup-eligible credential is a
 * synced passkey (a password manager that did not say which). One reachable only over USB, NFC, BLE or
 * a smart card is a security key. Any other is bound to some device, a phone or a computer; which one,
 * the hints do not say, and the name is read later on other devices, so it says no "this device".
 */
export function fallbackDescription(hints: AuthenticatorHints): AuthenticatorDescription {
  const roamingOnly = hints.transports.length > 0 && hints.transports.every((transport) => ROAMING.has(transport));
  const name = hints.backupEligible ? FALLBACK_NAMES.synced : roamingOnly ? FALLBACK_NAMES.securityKey : FALLBACK_NAMES.deviceBound;
  return { name, icon: null };
}

export interface CommunityAuthenticatorCatalogOptions {
  /** Reads the parsed data file. Called once, on the first `describe`. By default: AUTHENTICATOR_DATA_FILE. */
  readonly load?: () => Promise<unknown>;
  /** Told when data could not be used: an unreadable file (every answer is then a fallback) or skipped entries. */
  readonly report?: (problem: string) => void;
}

export class CommunityAuthenticatorCatalog implements AuthenticatorCatalog {
  readonly #load: () => Promise<unknown>;
  readonly #report: (problem: string) => void;
  #authenticators: Promise<ReadonlyMap<string, AuthenticatorDescription>> | undefined;

  constructor(options: CommunityAuthenticatorCatalogOptions = {}) {
    this.#load = options.load ?? readAuthenticatorDataFile;
    this.#report = options.report ?? ((problem) => console.warn(`keyport: authenticator catalog: ${problem}`));
  }

  /**
   * The first call reads and checks the data, and concurrent first calls share that one read. A name is
   * cosmetic, so data that cannot be read is reported and then answered with fallbacks, not thrown:
   * a registration must not fail for want of its authenticator's name.
   */
  async describe(aaguid: string, hints: AuthenticatorHints): Promise<AuthenticatorDescription> {
    this.#authenticators ??= this.#read();
    return (await this.#authenticators).get(aaguid.toLowerCase()) ?? fallbackDescription(hints);
  }

  async #read(): Promise<ReadonlyMap<string, AuthenticatorDescription>> {
    try {
      const { authenticators, skipped } = parseAuthenticatorData(await this.#load());
      if (skipped.length > 0) this.#report(`${skipped.length} entries skipped: ${skipped.slice(0, 10).join(", ")}`);
      return authenticators;
    } catch (error) {
      this.#report(`data not loaded, every authenticator gets a fallback name: ${error instanceof Error ? error.message : String(error)}`);
      return new Map();
    }
  }
}

/** Reads and parses AUTHENTICATOR_DATA_FILE. */
export async function readAuthenticatorDataFile(): Promise<unknown> {
  return JSON.parse(await readFile(AUTHENTICATOR_DATA_FILE, "utf8"));
}
