/**
 * The demo with `ATTESTATION=direct` (issue 15): the page says the server asks for attestation, and
 * lists each passkey as a verified authenticator or not, with its FIDO certification level when the
 * server's metadata knows one.
 *
 * The server trusts the test attestation CA (`ATTESTATION_ROOTS`) and reads a FIDO MDS3 BLOB signed
 * under the test MDS root (`MDS_BLOB`, `MDS_ROOT`; test/support/attestation/mds3.ts) whose one entry
 * certifies the software authenticator's model at FIDO_CERTIFIED_L1. Chromium's virtual authenticator
 * signs its attestation with its own built-in certificate, which chains to none of those roots: its
 * passkey is listed as not verified. A second passkey, added through the API by the software
 * authenticator (packed attestation from the test CA) with the page's ID token, is listed as verified
 * and certified once the page loads the list again.
 *
 * Run with `npm run test:e2e`; skipped under the unit-test config (see passkeys.e2e.test.ts).
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { attestationTrustAnchor } from "../support/attestation/statements.js";
import { mds3Entry, mds3Payload, writeMds3BlobFile, writeMds3RootPem } from "../support/attestation/mds3.js";
import { SoftwareAuthenticator } from "../support/software-authenticator.js";
import type { PublicKeyCredentialCreationOptionsJSON } from "../../src/domain/encoding/webauthn-json.js";
import { launchChromium, settled, signUp, startKeyport, statusText, uniqueUsername, visit, type Keyport, type Visit } from "./support.js";

interface PasskeyJson {
  credentialId: string;
  authenticator: { aaguid: string; verified: boolean; name: string };
  attestation: { format: string; type: string; trusted: boolean; certificationLevel?: string };
}
interface TokensJson {
  idToken: string;
}
interface StartJson {
  sessionId: string;
  credentialCreationOptions: PublicKeyCredentialCreationOptionsJSON;
}

/** The software authenticator's model: the AAGUID its attestation certificate vouches for, and the BLOB certifies. */
const CERTIFIED_AAGUID = "7e57ab1e-0f1d-4c3e-9a0b-c0ffee000001";
const aaguidBytes = (uuid: string): Uint8Array => Uint8Array.from(Buffer.from(uuid.replace(/-/g, ""), "hex"));

describe.skipIf(process.env.KEYPORT_E2E !== "1")("the demo page with ATTESTATION=direct", () => {
  let dir: string;
  let keyport: Keyport;
  let browser: Browser;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "keyport-attestation-e2e-"));
    const roots = join(dir, "attestation-roots.pem");
    writeFileSync(roots, attestationTrustAnchor().pem);
    const blob = await writeMds3BlobFile(
      dir,
      mds3Payload({
        no: 1,
        entries: [
          mds3Entry({
            aaguid: CERTIFIED_AAGUID,
            description: "Keyport Test Security Key",
            statusReports: [{ status: "FIDO_CERTIFIED_L1", effectiveDate: "2024-03-01" }],
            attestationRootCertificates: [attestationTrustAnchor().der],
          }),
        ],
      }),
    );
    [keyport, browser] = await Promise.all([
      startKeyport({ ATTESTATION: "direct", ATTESTATION_ROOTS: roots, MDS_BLOB: blob, MDS_ROOT: writeMds3RootPem(dir) }),
      launchChromium(),
    ]);
  });
  afterAll(async () => {
    await browser?.close();
    await keyport?.close();
    if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
  });

  async function withVisit(test: (v: Visit) => Promise<void>): Promise<void> {
    const v = await visit(browser, keyport.origin);
    try {
      await test(v);
    } finally {
      await v.close();
    }
  }

  /** A call straight to the API with the page's ID token, as another client of the same user would make it. */
  async function api(path: string, idToken: string, body: unknown): Promise<{ status: number; json: unknown }> {
    const response = await fetch(`${keyport.origin}${path}`, {
      method: "POST",
      headers: { Authorization: `Bearer ${idToken}`, "Content-Type": "application/json", Origin: keyport.origin },
      body: JSON.stringify(body),
    });
    return { status: response.status, json: await response.json() };
  }

  const item = (v: Visit, credentialId: string) => v.page.locator(`li.passkey[data-credential-id="${credentialId}"]`);

  /** The list the server gave at the page's latest GET /credentials, once it made at least `count`. */
  async function latestListing(v: Visit, count: number): Promise<PasskeyJson[]> {
    const listings = await v.waitForCalls("/credentials", count, "GET");
    return (listings.at(-1)!.response as { credentials: PasskeyJson[] }).credentials;
  }

  it("says so, lists the virtual authenticator's passkey as not verified, and a certified model's as verified, FIDO Certified L1", async () => {
    await withVisit(async (v) => {
      const notice = v.page.locator("#attestation-notice");
      expect(await notice.isVisible()).toBe(true);
      expect(await notice.textContent()).toContain("ATTESTATION=direct");

      // Sign-up in the page: the options ask for direct attestation, and Chromium's virtual
      // authenticator answers with a statement (not "none") that no configured root vouches for.
      const username = uniqueUsername("vera");
      await signUp(v.page, username, "Vera");
      expect(await statusText(v.page)).toBe(`Account created for ${username}. Sign in with your new passkey.`);
      const started = (await v.waitForCalls("/registration/start"))[0]!;
      expect((started.response as StartJson).credentialCreationOptions.attestation).toBe("direct");
      const finish = (await v.waitForCalls("/registration/finish"))[0]!;
      expect(finish.status).toBe(200);
      const { credentialId: chromiumPasskey } = finish.response as { credentialId: string };

      await v.page.locator("#sign-in-passkey").click();
      await settled(v.page);
      expect(await statusText(v.page)).toBe("Signed in with your passkey.");
      const { idToken } = (await v.waitForCalls("/authentication/finish"))[0]!.response as TokensJson;

      // Chromium's batch certificate: packed, basic attestation, verified but chained to no configured root.
      const [listed] = await latestListing(v, 1);
      expect(listed).toMatchObject({ credentialId: chromiumPasskey, authenticator: { verified: false }, attestation: { format: "packed", type: "basic", trusted: false } });
      expect(listed!.attestation).not.toHaveProperty("certificationLevel");
      await expect.poll(() => item(v, chromiumPasskey).count()).toBe(1);
      expect(await item(v, chromiumPasskey).locator(".passkey-verified").textContent()).toBe("Authenticator not verified");
      expect(await item(v, chromiumPasskey).locator(".passkey-certification").count()).toBe(0);

      // A second passkey through the API, on a security key whose packed attestation chains to the
      // test CA, of the model the metadata certifies at level 1.
      const securityKey = new SoftwareAuthenticator({ aaguid: aaguidBytes(CERTIFIED_AAGUID), attestation: "packed-x5c", transports: ["usb"] });
      const start = await api("/registration/start-verified", idToken, {});
      expect(start.status).toBe(200);
      const { sessionId, credentialCreationOptions } = start.json as StartJson;
      expect(credentialCreationOptions.attestation).toBe("direct");
      const publicKeyCredential = securityKey.createCredential(credentialCreationOptions, { origin: keyport.origin });
      const added = await api("/registration/finish", idToken, { sessionId, publicKeyCredential });
      expect(added.status, JSON.stringify(added.json)).toBe(200);
      const { credentialId: certifiedPasskey } = added.json as { credentialId: string };

      // The page loads its list again: reloaded, it is signed out (its tokens lived in memory), and signs
      // the remembered user in again with the first passkey.
      const listingsBefore = v.callsTo("/credentials", "GET").length;
      await v.page.reload();
      await v.page.locator("body[data-ready=true]").waitFor();
      await v.page.locator("#sign-in-remembered").click();
      await settled(v.page);
      expect(await statusText(v.page)).toBe("Signed in with your passkey.");
      const relisted = await latestListing(v, listingsBefore + 1);
      expect(relisted.map((passkey) => passkey.credentialId)).toEqual([chromiumPasskey, certifiedPasskey]);
      expect(relisted[1]).toMatchObject({
        authenticator: { aaguid: CERTIFIED_AAGUID, verified: true },
        attestation: { format: "packed", trusted: true, certificationLevel: "FIDO_CERTIFIED_L1" },
      });
      await expect.poll(() => item(v, certifiedPasskey).count()).toBe(1);
      expect(await item(v, certifiedPasskey).locator(".passkey-verified").textContent()).toBe("Verified authenticator");
      expect(await item(v, certifiedPasskey).locator(".passkey-certification").textContent()).toBe("FIDO Certified L1");
      expect(await item(v, chromiumPasskey).locator(".passkey-verified").textContent()).toBe("Authenticator not verified");
      expect(v.problems).toEqual([]);
    });
  });
});
