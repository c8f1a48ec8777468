/**
 * The life of a passkey after sign-up, in a real browser: the demo page's "Your passkeys" and
 * "Your account" sections, signing out, and the WebAuthn Signal API calls that keep the virtual
 * authenticator (standing in for the user's passkey provider) in step with the server.
 *
 * Run with `npm run test:e2e`; skipped under the unit-test config (see passkeys.e2e.test.ts).
 */
import { describe, expect, it } from "vitest";
import { settled, signUp, statusText, toBase64Url, uniqueUsername, useDemo, type VirtualCredential, type Visit } from "./support.js";

interface PasskeyJson {
  credentialId: string;
  name: string;
  authenticator: { aaguid: string; name: string; icon: { light: string; dark: string } | null };
  createdAt: string;
  lastUsedAt: string | null;
  enabled: boolean;
  backupEligible: boolean;
  backedUp: boolean;
}
interface TokensJson {
  idToken: string;
  refreshToken: string;
}
interface ErrorJson {
  error: { code: string };
}

/** A sign-in counts as recent for this long (SENSITIVE_ACTION_MAX_AGE_SECONDS' default). */
const RECENT_SIGN_IN_MS = 5 * 60_000;

describe.skipIf(process.env.KEYPORT_E2E !== "1")("managing passkeys and the account on the demo page", () => {
  const demo = useDemo();
  const { withVisit } = demo;

  /** A POST straight to the API, as another client would send it. */
  async function post(path: string, body: unknown): Promise<{ status: number; json: unknown }> {
    const response = await fetch(`${demo.keyport.origin}${path}`, {
      method: "POST",
      headers: { "Content-Type": "application/json", Origin: demo.keyport.origin },
      body: JSON.stringify(body),
    });
    return { status: response.status, json: await response.json() };
  }

  async function clickAndSettle(v: Visit, selector: string): Promise<void> {
    await v.page.locator(selector).click();
    await settled(v.page);
  }

  /** Waits for the dialog to open and checks its title; a failure says what the page said instead. */
  async function dialogOpens(v: Visit, title: string): Promise<void> {
    await v.page
      .locator("#confirm")
      .waitFor({ state: "visible", timeout: 10_000 })
      .catch(async () => expect.fail(`no dialog "${title}"; the page says: ${await statusText(v.page)}`));
    expect(await v.page.locator("#confirm-title").textContent()).toBe(title);
  }

  /** Waits for the dialog with this title and answers it with its confirm button. */
  async function confirm(v: Visit, title: string): Promise<void> {
    await dialogOpens(v, title);
    await v.page.locator("#confirm-yes").click();
    await settled(v.page);
  }

  async function expectSignedIn(v: Visit): Promise<void> {
    expect(await statusText(v.page)).toBe("Signed in with your passkey.");
    expect(await v.page.locator("#signed-in").isVisible()).toBe(true);
  }

  const item = (v: Visit, credentialId: string) => v.page.locator(`li.passkey[data-credential-id="${credentialId}"]`);
  const listedIds = (v: Visit) => v.page.locator("li.passkey").evaluateAll((items) => items.map((li) => li.getAttribute("data-credential-id")));

  /** The list the server gave at the page's `nth` GET /credentials (from 1). */
  async function listing(v: Visit, nth: number): Promise<PasskeyJson[]> {
    const listings = await v.waitForCalls("/credentials", nth, "GET");
    return (listings[nth - 1]!.response as { credentials: PasskeyJson[] }).credentials;
  }

  /** Signs up through the form and signs in with the new passkey (discoverable); the user's handle and passkey. */
  async function signUpAndIn(v: Visit, username: string, displayName: string): Promise<{ userId: string; credentialId: string; name: string }> {
    const before = v.callsTo("/registration/finish").length;
    await signUp(v.page, username, displayName);
    expect(await statusText(v.page)).toBe(`Account created for ${username}. Sign in with your new passkey.`);
    const finish = (await v.waitForCalls("/registration/finish", before + 1)).at(-1);
    expect(finish?.status).toBe(200);
    await clickAndSettle(v, "#sign-in-passkey");
    await expectSignedIn(v);
    return finish!.response as { userId: string; credentialId: string; name: string };
  }

  /** Adds a passkey on a new, empty authenticator (the old one goes away); its credential ID. */
  async function addPasskeyOnNewDevice(v: Visit, options?: { backupEligible?: boolean; backedUp?: boolean }): Promise<string> {
    const before = v.callsTo("/registration/finish").length;
    await v.device.swap(options);
    await clickAndSettle(v, "#add-passkey");
    expect(await statusText(v.page)).toBe("Passkey added. You can now sign in with it on this device.");
    const finishes = await v.waitForCalls("/registration/finish", before + 1);
    expect(finishes.at(-1)?.status).toBe(200);
    const { credentialId } = finishes.at(-1)!.response as { credentialId: string };
    await expect.poll(() => listedIds(v)).toContain(credentialId);
    return credentialId;
  }

  /** The authenticator's one credential (the test's copy of a passkey, to put on another device later). */
  async function onlyCredential(v: Visit): Promise<VirtualCredential> {
    const [credential, ...others] = await v.device.credentials();
    expect(others).toHaveLength(0);
    return credential!;
  }

  async function rename(v: Visit, credentialId: string, name: string): Promise<void> {
    await item(v, credentialId).getByLabel("Name", { exact: true }).fill(name);
    await clickAndSettle(v, `li.passkey[data-credential-id="${credentialId}"] form button`);
  }

  it("lists each passkey with its authenticator, its times in the browser's locale, and whether it is synced", async () => {
    const locale = "de-DE";
    const timeZone = "Asia/Kolkata"; // half an hour off UTC: a time shown in UTC would not match
    await withVisit(
      async (v) => {
        const { credentialId: first, name } = await signUpAndIn(v, uniqueUsername("lena"), "Lena");
        const second = await addPasskeyOnNewDevice(v, { backupEligible: true, backedUp: true });

        const listed = await listing(v, 2);
        expect(listed.map((p) => p.credentialId)).toEqual([first, second]);
        expect(await listedIds(v)).toEqual([first, second]); // oldest first, as the server lists them
        const format = new Intl.DateTimeFormat(locale, { dateStyle: "medium", timeStyle: "short", timeZone });
        for (const passkey of listed) {
          const row = item(v, passkey.credentialId);
          expect(await row.locator(".passkey-name").textContent()).toBe(passkey.name);
          expect(await row.locator(".passkey-authenticator").textContent()).toBe(passkey.authenticator.name);
          expect(await row.locator(".passkey-created time").getAttribute("datetime")).toBe(passkey.createdAt);
          expect(await row.locator(".passkey-created time").textContent()).toBe(format.format(new Date(passkey.createdAt)));
          if (passkey.authenticator.icon === null) {
            expect(await row.locator("svg.passkey-icon").count()).toBe(1);
          } else {
            expect(await row.locator("img.passkey-icon").getAttribute("src")).toBe(passkey.authenticator.icon.light);
          }
          expect(await row.getByLabel("Name", { exact: true }).inputValue()).toBe(passkey.name);
        }
        // The sign-up passkey: the name registration gave it, used to sign in, on a device-bound authenticator.
        const [firstListed, secondListed] = listed;
        expect(firstListed?.name).toBe(name);
        expect(firstListed?.lastUsedAt).toEqual(expect.any(String));
        expect(await item(v, first).locator(".passkey-last-used time").textContent()).toBe(format.format(new Date(firstListed!.lastUsedAt!)));
        expect([firstListed?.backupEligible, firstListed?.backedUp]).toEqual([false, false]);
        expect(await item(v, first).locator(".passkey-sync").textContent()).toBe("Device-bound: only on the device or security key that made it");
        // The added one: never used to sign in, on an authenticator that syncs (backup eligible and backed up).
        expect(secondListed?.lastUsedAt).toBeNull();
        expect(await item(v, second).locator(".passkey-last-used").textContent()).toBe("Never used to sign in");
        expect([secondListed?.backupEligible, secondListed?.backedUp]).toEqual([true, true]);
        expect(await item(v, second).locator(".passkey-sync").textContent()).toBe("Synced: your passkey provider keeps it on all your devices");

        // Every control is labelled, and names its passkey.
        for (const action of ["Rename", "Disable", "Delete"]) {
          expect(await v.page.getByRole("button", { name: `${action} passkey “${firstListed!.name}”`, exact: true }).count()).toBe(1);
        }
      },
      { locale, timezoneId: timeZone },
    );
  });

  it("renames a passkey; a name another of the user's passkeys has, in any letter case, is refused", async () => {
    await withVisit(async (v) => {
      const username = uniqueUsername("rita");
      const { credentialId: first } = await signUpAndIn(v, username, "Rita");
      const second = await addPasskeyOnNewDevice(v);
      const secondName = (await listing(v, 2)).find((p) => p.credentialId === second)!.name;

      await rename(v, first, "  Work laptop  ");
      expect(await statusText(v.page)).toBe("Passkey renamed to “Work laptop”.");
      const [patch] = await v.waitForCalls(`/credentials/${first}`, 1, "PATCH");
      expect(patch?.body).toEqual({ name: "  Work laptop  " }); // the server trims
      expect(patch?.status).toBe(200);
      expect((patch!.response as PasskeyJson).name).toBe("Work laptop");
      expect(await item(v, first).locator(".passkey-name").textContent()).toBe("Work laptop");
      expect(await item(v, first).getByLabel("Name", { exact: true }).inputValue()).toBe("Work laptop");
      // Focus stays on the field that was edited, though the list was drawn again.
      expect(await v.page.evaluate(() => document.activeElement?.closest("li")?.getAttribute("data-credential-id"))).toBe(first);

      await rename(v, second, "WORK LAPTOP");
      expect(await statusText(v.page)).toBe(
        "You already have a passkey with that name (names are compared ignoring letter case). Pick another. (name_taken)",
      );
      const [refused] = await v.waitForCalls(`/credentials/${second}`, 1, "PATCH");
      expect(refused?.status).toBe(409);
      expect(await item(v, second).locator(".passkey-name").textContent()).toBe(secondName);
      expect(await v.page.locator("#signed-in").isVisible()).toBe(true);

      await rename(v, second, "\u0007");
      expect(await statusText(v.page)).toBe("Passkey names are 1 to 64 characters, without invisible or control characters. (passkey_name_invalid)");

      // The name is the server's: it is there after signing out and in again (with the second passkey).
      await clickAndSettle(v, "#sign-out");
      await v.page.locator("#sign-in-username").fill(username);
      await clickAndSettle(v, "#sign-in-passkey");
      await expectSignedIn(v);
      await expect.poll(() => item(v, first).locator(".passkey-name").textContent()).toBe("Work laptop");
    });
  });

  it("disables a passkey, which then cannot sign in (credential_disabled); the last enabled one cannot be disabled; enabling restores it", async () => {
    await withVisit(async (v) => {
      const username = uniqueUsername("dora");
      const { credentialId: first } = await signUpAndIn(v, username, "Dora");
      const firstCredential = await onlyCredential(v);
      const second = await addPasskeyOnNewDevice(v);
      const secondCredential = await onlyCredential(v);
      const firstName = await item(v, first).locator(".passkey-name").textContent();

      await clickAndSettle(v, `li.passkey[data-credential-id="${first}"] button[data-action="toggle"]`);
      expect(await statusText(v.page)).toBe(`Passkey “${firstName}” disabled: it cannot sign in until you enable it again.`);
      const [disable] = await v.waitForCalls(`/credentials/${first}`, 1, "PATCH");
      expect(disable?.body).toEqual({ enabled: false });
      expect(disable?.status).toBe(200);
      expect(await item(v, first).getAttribute("data-enabled")).toBe("false");
      expect(await item(v, first).locator(".badge").textContent()).toBe("Disabled");
      expect(await item(v, first).locator('button[data-action="toggle"]').textContent()).toBe("Enable");
      expect(await listedIds(v)).toEqual([first, second]); // a disabled passkey stays listed

      // Disabling the only enabled passkey of an account made by passkey sign-up would lock its user out.
      await clickAndSettle(v, `li.passkey[data-credential-id="${second}"] button[data-action="toggle"]`);
      expect(await statusText(v.page)).toBe(
        "This is your only working passkey: without it you could not sign in. Add another passkey first. (last_credential)",
      );
      expect((await v.waitForCalls(`/credentials/${second}`, 1, "PATCH"))[0]?.status).toBe(409);
      expect(await item(v, second).getAttribute("data-enabled")).toBe("true");

      // The disabled passkey on a device of its own: a discoverable sign-in with it is refused.
      await clickAndSettle(v, "#sign-out");
      await v.device.swap();
      await v.device.add(firstCredential);
      await clickAndSettle(v, "#sign-in-passkey");
      expect(await statusText(v.page)).toBe(
        "This passkey is disabled for your account. Sign in with another passkey; you can enable this one again under “Your passkeys”. (credential_disabled)",
      );
      const [, refused] = await v.waitForCalls("/authentication/finish", 2); // the sign-in, then this one
      expect(refused?.status).toBe(401);
      expect((refused!.body as { publicKeyCredential: { id: string } }).publicKeyCredential.id).toBe(first);
      expect(await v.page.locator("#signed-out").isVisible()).toBe(true);
      // Nor is it offered for the username: start lists enabled passkeys only. (Asked directly: a browser
      // whose device holds none of the listed passkeys can leave its request pending in headless Chromium.)
      const start = await post("/authentication/start", { username });
      expect(start.status).toBe(200);
      const allowed = (start.json as { credentialRequestOptions: { allowCredentials: { id: string }[] } }).credentialRequestOptions.allowCredentials;
      expect(allowed.map((c) => c.id)).toEqual([second]);

      // Signed in with the other passkey, enable it again; then it signs in.
      await v.device.swap();
      await v.device.add(secondCredential);
      await clickAndSettle(v, "#sign-in-passkey");
      await expectSignedIn(v);
      await expect.poll(() => item(v, first).getAttribute("data-enabled")).toBe("false");
      await clickAndSettle(v, `li.passkey[data-credential-id="${first}"] button[data-action="toggle"]`);
      expect(await statusText(v.page)).toBe(`Passkey “${firstName}” enabled: it can sign in again.`);
      expect((await v.waitForCalls(`/credentials/${first}`, 2, "PATCH"))[1]?.body).toEqual({ enabled: true });
      await clickAndSettle(v, "#sign-out");
      await v.device.swap();
      await v.device.add(firstCredential);
      await clickAndSettle(v, "#sign-in-passkey");
      await expectSignedIn(v);
    });
  });

  it("deletes a passkey after confirming; the browser is told, and the passkey no longer signs in (credential_not_found)", async () => {
    await withVisit(async (v) => {
      const { userId, credentialId: first } = await signUpAndIn(v, uniqueUsername("pia"), "Pia");
      const firstCredential = await onlyCredential(v);
      const second = await addPasskeyOnNewDevice(v);
      const firstName = await item(v, first).locator(".passkey-name").textContent();
      // The device in hand holds the passkey about to be deleted (a phone the user is retiring, say).
      await v.device.swap();
      await v.device.add(firstCredential);

      // Cancel first: nothing is deleted.
      await v.page.locator(`li.passkey[data-credential-id="${first}"] button[data-action="delete"]`).click();
      await dialogOpens(v, `Delete “${firstName}”?`);
      expect(await v.page.evaluate(() => document.activeElement?.id)).toBe("confirm-no"); // Enter alone never deletes
      await v.page.locator("#confirm-no").click();
      expect(await v.page.locator("#confirm").isVisible()).toBe(false);
      expect(v.callsTo(`/credentials/${first}`, "DELETE")).toHaveLength(0);

      const signalsBefore = (await v.signalCalls()).length;
      await v.page.locator(`li.passkey[data-credential-id="${first}"] button[data-action="delete"]`).click();
      await confirm(v, `Delete “${firstName}”?`);
      expect(await statusText(v.page)).toBe(`Passkey “${firstName}” deleted.`);
      const [deleted] = await v.waitForCalls(`/credentials/${first}`, 1, "DELETE");
      expect(v.callsTo(`/credentials/${first}`, "DELETE")).toHaveLength(1); // none when cancelled
      expect(deleted?.status).toBe(200);
      expect(deleted?.response).toEqual({
        signals: [{ signalName: "allAcceptedCredentials", rpID: "localhost", userID: userId, allAcceptedCredentialIDs: [second] }],
      });
      expect(await listedIds(v)).toEqual([second]);
      // The page passed the signal on, and the passkey provider (the virtual authenticator) dropped the passkey.
      expect((await v.signalCalls()).slice(signalsBefore)).toEqual([
        { method: "signalAllAcceptedCredentials", argument: { rpId: "localhost", userId, allAcceptedCredentialIds: [second] } },
      ]);
      await expect.poll(() => v.device.credentials()).toEqual([]);

      // A device that missed the signal still offers it: the sign-in is refused, and that device is told to forget it.
      await v.device.add(firstCredential);
      await clickAndSettle(v, "#sign-out");
      const signalsBeforeSignIn = (await v.signalCalls()).length;
      await clickAndSettle(v, "#sign-in-passkey");
      expect(await statusText(v.page)).toBe(
        "This passkey is not registered here any more (it may have been removed from your account). Use another passkey, or create an account. (credential_not_found)",
      );
      const [, refused] = await v.waitForCalls("/authentication/finish", 2); // the sign-in, then this one
      expect(refused!.status).toBe(401);
      expect((refused!.response as ErrorJson & { signals: unknown }).signals).toEqual([
        { signalName: "unknownCredential", rpID: "localhost", credentialID: first },
      ]);
      expect((await v.signalCalls()).slice(signalsBeforeSignIn)).toEqual([
        { method: "signalUnknownCredential", argument: { rpId: "localhost", credentialId: first } },
      ]);
      await expect.poll(() => v.device.credentials()).toEqual([]);
      expect(await v.page.locator("#signed-out").isVisible()).toBe(true);
    });
  });

  it("asks to sign in again before a delete once the last sign-in is more than 5 minutes old, then deletes", async () => {
    await withVisit(async (v) => {
      const { credentialId: first } = await signUpAndIn(v, uniqueUsername("otto"), "Otto");
      const second = await addPasskeyOnNewDevice(v);
      const firstName = await item(v, first).locator(".passkey-name").textContent();
      demo.keyport.clock.advance(RECENT_SIGN_IN_MS + 60_000); // the server's clock; the ID token is still valid

      // Declining to sign in again deletes nothing.
      await v.page.locator(`li.passkey[data-credential-id="${first}"] button[data-action="delete"]`).click();
      await confirm(v, `Delete “${firstName}”?`);
      expect(await statusText(v.page)).toBe(`Sign in again to confirm deleting “${firstName}”.`);
      await dialogOpens(v, "Sign in again to confirm");
      expect(await v.page.locator("#confirm-message").textContent()).toBe(
        `Your last sign-in was more than a few minutes ago. To confirm deleting “${firstName}”, sign in again with your passkey.`,
      );
      expect(await v.page.locator("#confirm-yes").textContent()).toBe("Sign in and continue");
      await v.page.locator("#confirm-no").click();
      expect(await statusText(v.page)).toBe(`Nothing was changed: deleting “${firstName}” needs a recent sign-in.`);
      const [refused] = await v.waitForCalls(`/credentials/${first}`, 1, "DELETE");
      expect(refused?.status).toBe(401);
      expect((refused!.response as ErrorJson).error.code).toBe("reauthentication_required");
      expect(await listedIds(v)).toEqual([first, second]);
      expect(await v.page.locator("#signed-in").isVisible()).toBe(true); // still signed in

      // Again, and this time sign in: the page signs in with a passkey of this user, then deletes.
      await v.page.locator(`li.passkey[data-credential-id="${first}"] button[data-action="delete"]`).click();
      await confirm(v, `Delete “${firstName}”?`);
      await confirm(v, "Sign in again to confirm");
      expect(await statusText(v.page)).toBe(`Passkey “${firstName}” deleted.`);
      const deletes = await v.waitForCalls(`/credentials/${first}`, 3, "DELETE");
      expect(deletes.map((call) => call.status)).toEqual([401, 401, 200]);
      const [signIn, signInAgain, ...more] = await v.waitForCalls("/authentication/finish", 2);
      expect(more).toHaveLength(0);
      expect(signInAgain?.status).toBe(200);
      expect((signInAgain!.body as { publicKeyCredential: { id: string } }).publicKeyCredential.id).toBe(second);
      // The retry carried the new sign-in's ID token; the refused attempt, the old one.
      expect(deletes[2]?.authorization).toBe(`Bearer ${(signInAgain!.response as TokensJson).idToken}`);
      expect(deletes[1]?.authorization).toBe(`Bearer ${(signIn!.response as TokensJson).idToken}`);
      expect(await listedIds(v)).toEqual([second]);
    });
  });

  it("passes every signal the server sends to the browser's Signal API with the exact arguments, and the device follows a profile change", async () => {
    await withVisit(async (v) => {
      const username = uniqueUsername("sam");
      const { userId, credentialId } = await signUpAndIn(v, username, "Sam");
      const newUsername = uniqueUsername("samuel");

      const account = v.page.locator("#account-form");
      expect(await account.getByLabel("Username", { exact: true }).inputValue()).toBe(username);
      expect(await account.getByLabel("Display name", { exact: true }).inputValue()).toBe("Sam");
      await account.getByLabel("Username", { exact: true }).fill(newUsername);
      await account.getByLabel("Display name", { exact: true }).fill("Samuel Example");
      await clickAndSettle(v, "#account-save");
      expect(await statusText(v.page)).toBe("Your account details are saved.");
      const [patch] = await v.waitForCalls("/account", 1, "PATCH");
      expect(patch?.body).toEqual({ username: newUsername, displayName: "Samuel Example" });
      expect(patch?.status).toBe(200);
      expect(await v.page.locator("#user-name").textContent()).toBe(`Samuel Example (${newUsername})`);
      expect(await v.page.evaluate(() => JSON.parse(localStorage.getItem("keyport.rememberedUser") ?? "null"))).toEqual({
        userId,
        username: newUsername,
        displayName: "Samuel Example",
      });

      // Every signals array the page received, in order: registration, sign-in, profile change.
      const received = [
        ...((await v.waitForCalls("/registration/finish"))[0]!.response as { signals: unknown[] }).signals,
        ...((await v.waitForCalls("/authentication/finish"))[0]!.response as { signals: unknown[] }).signals,
        ...(patch!.response as { signals: unknown[] }).signals,
      ];
      expect(received).toEqual([
        { signalName: "allAcceptedCredentials", rpID: "localhost", userID: userId, allAcceptedCredentialIDs: [credentialId] },
        { signalName: "allAcceptedCredentials", rpID: "localhost", userID: userId, allAcceptedCredentialIDs: [credentialId] },
        { signalName: "currentUserDetails", rpID: "localhost", userID: userId, userName: username, userDisplayName: "Sam" },
        { signalName: "currentUserDetails", rpID: "localhost", userID: userId, userName: newUsername, userDisplayName: "Samuel Example" },
      ]);
      // ... each reached the browser as @simplewebauthn/browser's sendSignal() maps it.
      expect(await v.signalCalls()).toEqual([
        { method: "signalAllAcceptedCredentials", argument: { rpId: "localhost", userId, allAcceptedCredentialIds: [credentialId] } },
        { method: "signalAllAcceptedCredentials", argument: { rpId: "localhost", userId, allAcceptedCredentialIds: [credentialId] } },
        { method: "signalCurrentUserDetails", argument: { rpId: "localhost", userId, name: username, displayName: "Sam" } },
        { method: "signalCurrentUserDetails", argument: { rpId: "localhost", userId, name: newUsername, displayName: "Samuel Example" } },
      ]);
      // The passkey on the device now carries the new names.
      await expect
        .poll(async () => (await v.device.credentials()).map((c) => [toBase64Url(c.credentialId), c.userName, c.userDisplayName]))
        .toEqual([[credentialId, newUsername, "Samuel Example"]]);
      expect(v.problems).toEqual([]);
    });
  });

  it("says nothing about signals in a browser without the Signal API", async () => {
    await withVisit(
      async (v) => {
        expect(await v.page.evaluate(() => typeof (PublicKeyCredential as unknown as Record<string, unknown>)["signalAllAcceptedCredentials"])).toBe("undefined");
        const { credentialId } = await signUpAndIn(v, uniqueUsername("nico"), "Nico");
        await rename(v, credentialId, "Old phone");
        expect(await statusText(v.page)).toBe("Passkey renamed to “Old phone”.");
        expect(((await v.waitForCalls(`/credentials/${credentialId}`, 1, "PATCH"))[0]?.response as { signals: unknown[] }).signals).toHaveLength(1);
        expect(await v.signalCalls()).toEqual([]);
        expect(v.problems).toEqual([]); // no console error or warning, nothing uncaught
      },
      { signalApi: false },
    );
  });

  it("signs out: the server revokes this session's refresh token; the ID token goes with it, to name whose sign-out it is", async () => {
    await withVisit(async (v) => {
      await signUpAndIn(v, uniqueUsername("sol"), "Sol");
      const { refreshToken, idToken } = (await v.waitForCalls("/authentication/finish"))[0]!.response as TokensJson;
      await clickAndSettle(v, "#sign-out");
      expect(await statusText(v.page)).toBe("Signed out.");
      const [signOut] = await v.waitForCalls("/authentication/sign-out");
      expect(signOut?.body).toEqual({ refreshToken });
      expect(signOut?.authorization).toBe(`Bearer ${idToken}`);
      expect(signOut?.status).toBe(200);
      expect(await v.page.locator("#signed-out").isVisible()).toBe(true);
      const userId = JSON.parse(Buffer.from(idToken.split(".")[1]!, "base64url").toString("utf8"))["cognito:username"];
      const refresh = await post("/authentication/refresh", { refreshToken, userId });
      expect(refresh.status).toBe(401);
      expect((refresh.json as ErrorJson).error.code).toBe("refresh_token_invalid");
    });
  });

  it("signs out everywhere: another browser's session cannot refresh any more", async () => {
    await withVisit(async (here) => {
      const username = uniqueUsername("eve");
      await signUpAndIn(here, username, "Eve");
      const passkey = await onlyCredential(here);
      const { refreshToken } = (await here.waitForCalls("/authentication/finish"))[0]!.response as TokensJson;

      await withVisit(async (elsewhere) => {
        await elsewhere.device.add(passkey); // the same (synced) passkey in another browser
        await elsewhere.page.locator("#sign-in-username").fill(username);
        await clickAndSettle(elsewhere, "#sign-in-passkey");
        await expectSignedIn(elsewhere);

        await clickAndSettle(here, "#sign-out-everywhere");
        expect(await statusText(here.page)).toBe("Signed out on every device. Sign in again with your passkey.");
        expect((await here.waitForCalls("/account/sign-out-everywhere"))[0]?.status).toBe(200);
        expect(await here.page.locator("#signed-out").isVisible()).toBe(true);

        // The other browser finds out when it next refreshes its tokens, and shows the signed-out page.
        await clickAndSettle(elsewhere, "#refresh");
        expect(await statusText(elsewhere.page)).toBe("Your session has ended. Please sign in again. (refresh_token_invalid)");
        expect((await elsewhere.waitForCalls("/authentication/refresh"))[0]?.status).toBe(401);
        expect(await elsewhere.page.locator("#signed-out").isVisible()).toBe(true);
      });
      const refresh = await post("/authentication/refresh", { refreshToken });
      expect(refresh.status).toBe(401);
    });
  });

  it("deletes the account after confirming, tells the browser no passkey is accepted, and lets the username sign up again", async () => {
    await withVisit(async (v) => {
      const username = uniqueUsername("abe");
      const { userId } = await signUpAndIn(v, username, "Abe");

      await v.page.locator("#delete-account").click();
      await dialogOpens(v, "Delete your account?");
      await v.page.locator("#confirm-no").click();
      expect(v.callsTo("/account", "DELETE")).toHaveLength(0);
      expect(await v.page.locator("#signed-in").isVisible()).toBe(true);

      const signalsBefore = (await v.signalCalls()).length;
      await v.page.locator("#delete-account").click();
      expect(await v.page.locator("#confirm-message").textContent()).toBe(
        `This deletes the account ${username} and every passkey registered for it here. You will not be able to sign in to it again. This cannot be undone.`,
      );
      await confirm(v, "Delete your account?");
      expect(await statusText(v.page)).toBe(`Your account ${username} is deleted, with all its passkeys.`);
      const [deleted] = await v.waitForCalls("/account", 1, "DELETE");
      expect(v.callsTo("/account", "DELETE")).toHaveLength(1); // none when cancelled
      expect(deleted?.status).toBe(200);
      expect(deleted?.response).toEqual({
        signals: [{ signalName: "allAcceptedCredentials", rpID: "localhost", userID: userId, allAcceptedCredentialIDs: [] }],
      });
      expect((await v.signalCalls()).slice(signalsBefore)).toEqual([
        { method: "signalAllAcceptedCredentials", argument: { rpId: "localhost", userId, allAcceptedCredentialIds: [] } },
      ]);
      await expect.poll(() => v.device.credentials()).toEqual([]); // the provider dropped the passkey
      expect(await v.page.locator("#signed-out").isVisible()).toBe(true);
      expect(await v.page.locator("#remembered").isVisible()).toBe(false);
      expect(await v.page.evaluate(() => localStorage.getItem("keyport.rememberedUser"))).toBeNull();

      // The username is free again: a new account with a new user handle, which signs in.
      await v.device.swap();
      const again = await signUpAndIn(v, username, "Abe again");
      expect(again.userId).not.toBe(userId);
      expect(await v.page.locator("#user-name").textContent()).toBe(`Abe again (${username})`);
    });
  });
});
