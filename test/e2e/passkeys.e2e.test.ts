/**
 * The demo page in a real browser: Debian's Chromium with a CDP virtual authenticator, against
 * keyport's HTTP server started in-process. Each test gets its own browser context (fresh storage)
 * and its own authenticator, so tests share only the server and the browser process.
 *
 * Run with `npm run test:e2e` (vitest.e2e.config.ts sets KEYPORT_E2E=1). Under the unit-test config
 * these tests are skipped rather than launching a browser.
 */
import { describe, expect, it } from "vitest";
import { decodeJwt } from "../support/kit.js";
import { displayedClaims, freePort, settled, signUp, statusText, toBase64Url, uniqueUsername, useDemo, type Visit } from "./support.js";

interface TokensJson {
  accessToken: string;
  idToken: string;
  refreshToken: string;
  expiresIn: number;
  tokenType: string;
}
interface AssertionJson {
  id: string;
  response: { userHandle?: string };
}

describe.skipIf(process.env.KEYPORT_E2E !== "1")("demo page with a virtual authenticator", () => {
  const demo = useDemo();
  const { withVisit } = demo;

  /** Signs up through the form; returns the new user's handle and credential ID as the server gave them. */
  async function signUpThroughPage(v: Visit, username: string, displayName: string): Promise<{ userId: string; credentialId: string }> {
    await signUp(v.page, username, displayName);
    expect(await statusText(v.page)).toBe(`Account created for ${username}. Sign in with your new passkey.`);
    const [finish] = await v.waitForCalls("/registration/finish");
    expect(finish?.status).toBe(200);
    return finish!.response as { userId: string; credentialId: string };
  }

  /**
   * A username nobody has, whose made-up passkey list names this platform authenticator's transport
   * ("internal") for at least one passkey. The list's transports vary by name, and for a list of only
   * security keys (["usb"]) headless Chromium waits for a USB key that never comes instead of
   * asking the virtual platform authenticator, which refuses at once.
   */
  async function unknownUsernameThisDeviceIsAskedAbout(): Promise<string> {
    for (let attempt = 0; attempt < 50; attempt += 1) {
      const username = uniqueUsername("nobody");
      const response = await fetch(`${demo.keyport.origin}/authentication/start`, {
        method: "POST",
        headers: { "Content-Type": "application/json", Origin: demo.keyport.origin },
        body: JSON.stringify({ username }),
      });
      const { credentialRequestOptions } = (await response.json()) as { credentialRequestOptions: { allowCredentials: { transports?: string[] }[] } };
      if (credentialRequestOptions.allowCredentials.some((c) => c.transports === undefined || c.transports.includes("internal"))) return username;
    }
    throw new Error("no made-up passkey list named the internal transport in 50 usernames");
  }

  async function clickAndSettle(v: Visit, id: string): Promise<void> {
    await v.page.locator(`#${id}`).click();
    await settled(v.page);
  }

  async function expectSignedIn(v: Visit): Promise<void> {
    expect(await statusText(v.page)).toBe("Signed in with your passkey.");
    expect(await v.page.locator("#signed-in").isVisible()).toBe(true);
    expect(await v.page.locator("#signed-out").isVisible()).toBe(false);
  }

  it("signs up with a passkey, then signs in with the passkey button (discoverable) and shows the claims", async () => {
    await withVisit(async (v) => {
      const username = uniqueUsername("alice");
      const { userId, credentialId } = await signUpThroughPage(v, username, "Alice Émilie Example");

      // The authenticator holds one discoverable credential whose user handle is the new user's ID.
      const [credential, ...others] = await v.device.credentials();
      expect(others).toHaveLength(0);
      expect(credential?.isResidentCredential).toBe(true);
      expect(credential?.rpId).toBe("localhost");
      expect(toBase64Url(credential!.credentialId)).toBe(credentialId);
      expect(toBase64Url(credential!.userHandle ?? "")).toBe(userId);
      // The page remembers the user for next time.
      expect(await v.page.locator("#remembered").isVisible()).toBe(true);
      expect(await v.page.locator("#sign-in-remembered").textContent()).toBe(`Sign in as ${username}`);

      await clickAndSettle(v, "sign-in-passkey");
      await expectSignedIn(v);

      // discover → get() → start {userId from the userHandle} → finish with the discover assertion.
      expect(await v.webAuthnCalls()).toEqual([
        { method: "create", mediation: "optional", outcome: "ok" },
        { method: "get", mediation: "optional", outcome: "ok" },
      ]);
      expect(v.callsTo("/authentication/discover")).toHaveLength(1);
      const [start] = await v.waitForCalls("/authentication/start");
      expect(start?.body).toEqual({ userId });
      const [finish] = await v.waitForCalls("/authentication/finish");
      expect(finish?.status).toBe(200);
      const finishBody = finish!.body as { session: string; userId: string; publicKeyCredential: AssertionJson };
      expect(finishBody.session).toBe((start!.response as { session: string }).session);
      expect(finishBody.userId).toBe(userId);
      expect(finishBody.publicKeyCredential.id).toBe(credentialId);
      expect(finishBody.publicKeyCredential.response.userHandle).toBe(userId);

      // The claims table shows the ID token the server issued.
      const idToken = decodeJwt((finish!.response as TokensJson).idToken).payload;
      const claims = await displayedClaims(v.page);
      expect(claims["preferred_username"]).toBe(username);
      expect(claims["name"]).toBe("Alice Émilie Example");
      expect(claims["token_use"]).toBe("id");
      expect(claims["sub"]).toBe(idToken["sub"]);
      expect(claims["cognito:username"]).toBe(idToken["cognito:username"]);
      expect(claims["iss"]).toBe(idToken["iss"]);
      expect(claims["aud"]).toBe(idToken["aud"]);
      expect(claims["exp"]).toContain(String(idToken["exp"]));
      expect(await v.page.locator("#user-name").textContent()).toBe(`Alice Émilie Example (${username})`);
      // Focus follows the view change.
      expect(await v.page.evaluate(() => document.activeElement?.id)).toBe("signed-in-heading");
    });
  });

  it("signs in as the remembered user (username-first) after a reload; signing out forgets the user on this device", async () => {
    await withVisit(async (v) => {
      const username = uniqueUsername("bob");
      const { userId, credentialId } = await signUpThroughPage(v, username, "Bob");

      await v.page.reload();
      await v.page.locator("body[data-ready=true]").waitFor();
      expect(await v.page.locator("#remembered-name").textContent()).toBe("Bob");
      expect(await v.page.locator("#remembered-username").textContent()).toBe(`(${username})`);
      await clickAndSettle(v, "sign-in-remembered");
      await expectSignedIn(v);

      // Username-first: start names the stored user, whose credential the options list.
      const [start] = await v.waitForCalls("/authentication/start");
      expect(start?.body).toEqual({ userId });
      const options = (start!.response as { credentialRequestOptions: { allowCredentials: { id: string }[] } }).credentialRequestOptions;
      expect(options.allowCredentials.map((c) => c.id)).toEqual([credentialId]);
      const [finish] = await v.waitForCalls("/authentication/finish");
      expect(finish?.status).toBe(200);

      await clickAndSettle(v, "sign-out");
      expect(await statusText(v.page)).toBe("Signed out.");
      expect(await v.page.locator("#signed-out").isVisible()).toBe(true);
      expect(await v.page.locator("#remembered").isVisible()).toBe(false);
      expect(await v.page.locator("#claims").isVisible()).toBe(false);
      expect(await v.page.evaluate(() => localStorage.getItem("keyport.rememberedUser"))).toBeNull();
      expect(await v.device.credentials()).toHaveLength(1);
    });
  });

  it("forgets a remembered user on request, keeping the passkey on the device", async () => {
    await withVisit(async (v) => {
      await signUpThroughPage(v, uniqueUsername("bea"), "Bea");
      expect(await v.page.locator("#remembered").isVisible()).toBe(true);
      await v.page.locator("#forget-user").click();
      expect(await v.page.locator("#remembered").isVisible()).toBe(false);
      expect(await v.page.evaluate(() => localStorage.getItem("keyport.rememberedUser"))).toBeNull();
      expect(await v.device.credentials()).toHaveLength(1);
    });
  });

  it("signs in identifier-first: the typed username (in any case) finds the account, and Continue asks for its passkey", async () => {
    await withVisit(async (v) => {
      const username = uniqueUsername("fay");
      const { credentialId } = await signUpThroughPage(v, username, "Fay");
      await v.page.locator("#forget-user").click();

      await v.page.locator("#sign-in-username").fill(username.toUpperCase());
      expect(await v.page.locator("#sign-in-passkey").textContent()).toBe("Continue");
      await clickAndSettle(v, "sign-in-passkey");
      await expectSignedIn(v);
      const [start] = await v.waitForCalls("/authentication/start");
      expect(start?.body).toEqual({ username: username.toUpperCase() });
      const options = (start!.response as { credentialRequestOptions: { allowCredentials: { id: string }[] } }).credentialRequestOptions;
      expect(options.allowCredentials.map((c) => c.id)).toEqual([credentialId]);
      const [finish] = await v.waitForCalls("/authentication/finish");
      expect(finish?.status).toBe(200);
      expect(await v.page.locator("#sign-in-passkey").textContent()).toBe("Sign in with a passkey");

      // A username nobody has: the server still answers with a passkey list (nobody's), so the device has
      // nothing to offer and the browser reports the request as refused; the page does not say the user is unknown.
      await clickAndSettle(v, "sign-out");
      await v.page.locator("#sign-in-username").fill(await unknownUsernameThisDeviceIsAskedAbout());
      await clickAndSettle(v, "sign-in-passkey");
      const starts = await v.waitForCalls("/authentication/start", 2);
      expect(starts[1]?.status).toBe(200);
      expect(await v.page.locator("#signed-out").isVisible()).toBe(true);
      expect(await statusText(v.page)).toBe("The request was cancelled or timed out.");
    });
  });

  it("refuses a second account with the same username in another case", async () => {
    await withVisit(async (v) => {
      const username = uniqueUsername("gil");
      await signUpThroughPage(v, username, "Gil");
      await v.device.swap();
      await signUp(v.page, username.toUpperCase(), "Gil again");
      expect(await statusText(v.page)).toBe("That username is taken. Pick another, or sign in if it is yours. (username_taken)");
      const [, second] = await v.waitForCalls("/registration/start", 2);
      expect(second?.status).toBe(409);
      expect(await v.device.credentials()).toHaveLength(0);
    });
  });

  it("asks for a fresh sign-in before adding a passkey when the last one is older than SENSITIVE_ACTION_MAX_AGE_SECONDS", async () => {
    await withVisit(async (v) => {
      await signUpThroughPage(v, uniqueUsername("ivan"), "Ivan");
      await clickAndSettle(v, "sign-in-passkey");
      await expectSignedIn(v);

      // Ten minutes later (on the server's clock), the ID token is still valid but its sign-in is too old.
      demo.keyport.clock.advance(10 * 60_000);
      await v.device.swap();
      await clickAndSettle(v, "add-passkey");
      expect(await statusText(v.page)).toBe(
        "To add a passkey, sign in again first: your last sign-in was more than a few minutes ago. (reauthentication_required)",
      );
      const [refused] = await v.waitForCalls("/registration/start-verified");
      expect(refused?.status).toBe(401);
      expect(await v.device.credentials()).toHaveLength(0);
      // The page signs out, so the next step is the sign-in it asked for.
      expect(await v.page.locator("#signed-out").isVisible()).toBe(true);
      expect(v.callsTo("/registration/finish")).toHaveLength(1); // the sign-up's only
    });
  });

  it("adds a second passkey on another authenticator while signed in, then signs in with either", async () => {
    await withVisit(async (v) => {
      const username = uniqueUsername("carol");
      const { userId, credentialId: firstId } = await signUpThroughPage(v, username, "Carol");
      const [first] = await v.device.credentials();
      await clickAndSettle(v, "sign-in-passkey");
      await expectSignedIn(v);

      // A second device: the first authenticator goes away, an empty one takes its place.
      await v.device.swap();
      await clickAndSettle(v, "add-passkey");
      expect(await statusText(v.page)).toBe("Passkey added. You can now sign in with it on this device.");
      const [startVerified] = await v.waitForCalls("/registration/start-verified");
      const creation = (startVerified!.response as { credentialCreationOptions: { user: { id: string }; excludeCredentials: { id: string }[] } })
        .credentialCreationOptions;
      expect(creation.user.id).toBe(userId);
      expect(creation.excludeCredentials.map((c) => c.id)).toEqual([firstId]);
      const [second, ...others] = await v.device.credentials();
      expect(others).toHaveLength(0);
      const secondId = toBase64Url(second!.credentialId);
      expect(secondId).not.toBe(firstId);
      expect(toBase64Url(second!.userHandle ?? "")).toBe(userId);

      // Sign out and back in with the passkey on the second device.
      await clickAndSettle(v, "sign-out");
      await clickAndSettle(v, "sign-in-passkey");
      await expectSignedIn(v);
      const finishes = await v.waitForCalls("/authentication/finish", 2);
      expect(finishes[1]?.status).toBe(200);
      expect((finishes[1]!.body as { publicKeyCredential: AssertionJson }).publicKeyCredential.id).toBe(secondId);

      // The first passkey still works: put it on a fresh authenticator and sign in identifier-first
      // (signing out forgot the remembered user), where the options now list both credentials.
      await clickAndSettle(v, "sign-out");
      await v.device.swap();
      await v.device.cdp.send("WebAuthn.addCredential", { authenticatorId: v.device.authenticatorId, credential: first! });
      await v.page.locator("#sign-in-username").fill(username);
      await clickAndSettle(v, "sign-in-passkey");
      await expectSignedIn(v);
      const starts = v.callsTo("/authentication/start");
      const allow = (starts.at(-1)!.response as { credentialRequestOptions: { allowCredentials: { id: string }[] } }).credentialRequestOptions
        .allowCredentials;
      expect(allow.map((c) => c.id).sort()).toEqual([firstId, secondId].sort());
      const last = (await v.waitForCalls("/authentication/finish", 3))[2]!;
      expect(last.status).toBe(200);
      expect((last.body as { publicKeyCredential: AssertionJson }).publicKeyCredential.id).toBe(firstId);
    });
  });

  it("refreshes the tokens and shows the new ID token's claims", async () => {
    await withVisit(async (v) => {
      const username = uniqueUsername("dave");
      await signUpThroughPage(v, username, "Dave");
      await clickAndSettle(v, "sign-in-passkey");
      await expectSignedIn(v);
      const [finish] = await v.waitForCalls("/authentication/finish");
      const signedIn = finish!.response as TokensJson;

      await clickAndSettle(v, "refresh");
      expect(await statusText(v.page)).toMatch(/^Tokens refreshed\. The new ID token expires at /);
      const [refresh] = await v.waitForCalls("/authentication/refresh");
      // The page names the user too, so that a token presented for another user is refused.
      const userId = decodeJwt(signedIn.idToken).payload["cognito:username"];
      expect(refresh?.body).toEqual({ refreshToken: signedIn.refreshToken, userId });
      expect(refresh?.status).toBe(200);
      const refreshed = refresh!.response as TokensJson;
      expect(refreshed.idToken).not.toBe(signedIn.idToken);
      // Refresh tokens rotate: the answer carries a new one, and the old one is spent.
      expect(refreshed.refreshToken).toEqual(expect.any(String));
      expect(refreshed.refreshToken).not.toBe(signedIn.refreshToken);
      const claims = await displayedClaims(v.page);
      expect(claims["exp"]).toContain(String(decodeJwt(refreshed.idToken).payload["exp"]));
      expect(claims["preferred_username"]).toBe(username);

      // The page keeps the rotated refresh token, so the next refresh works too.
      await clickAndSettle(v, "refresh");
      const refreshes = await v.waitForCalls("/authentication/refresh", 2);
      expect(refreshes[1]?.body).toEqual({ refreshToken: refreshed.refreshToken, userId });
      expect(refreshes[1]?.status).toBe(200);
    });
  });

  it("rejects a replayed sign-in assertion", async () => {
    await withVisit(async (v) => {
      const { userId } = await signUpThroughPage(v, uniqueUsername("erin"), "Erin");
      await clickAndSettle(v, "sign-in-passkey");
      await expectSignedIn(v);
      const [finish] = await v.waitForCalls("/authentication/finish");
      expect(finish?.status).toBe(200);
      const post = (path: string, body: string): Promise<Response> =>
        fetch(`${demo.keyport.origin}${path}`, { method: "POST", headers: { "Content-Type": "application/json", Origin: demo.keyport.origin }, body });

      // The very same request again: its sign-in session is spent.
      const sameAgain = await post("/authentication/finish", finish!.rawBody);
      expect(sameAgain.status).toBe(401);
      expect(((await sameAgain.json()) as { error: { code: string } }).error.code).toBe("sign_in_session_invalid");

      // The same assertion in a fresh session: its challenge was consumed by the first sign-in.
      const start = await post("/authentication/start", JSON.stringify({ userId }));
      expect(start.status).toBe(200);
      const { session } = (await start.json()) as { session: string };
      const { publicKeyCredential } = finish!.body as { publicKeyCredential: AssertionJson };
      const replay = await post("/authentication/finish", JSON.stringify({ session, userId, publicKeyCredential }));
      expect(replay.status).toBe(401);
      const replayError = ((await replay.json()) as { error: { code: string } }).error.code;
      expect(replayError).toBe("sign_in_failed");
    });
  });

  it("refuses to register the same authenticator twice for one account", async () => {
    await withVisit(async (v) => {
      await signUpThroughPage(v, uniqueUsername("frank"), "Frank");
      await clickAndSettle(v, "sign-in-passkey");
      await expectSignedIn(v);

      // excludeCredentials names the passkey this authenticator already holds: the browser refuses.
      await clickAndSettle(v, "add-passkey");
      expect(await statusText(v.page)).toBe("This device already has a passkey for this account.");
      expect(await v.page.locator("#status").getAttribute("data-kind")).toBe("error");
      expect(v.callsTo("/registration/finish")).toHaveLength(1); // the sign-up's only
      expect(await v.device.credentials()).toHaveLength(1);
      expect(await v.page.locator("#signed-in").isVisible()).toBe(true); // still signed in
      expect(await v.page.locator("#add-passkey").isEnabled()).toBe(true);
    });
  });

  it("explains a server error code and a passkey request the device refused", async () => {
    await withVisit(async (v) => {
      await signUpThroughPage(v, uniqueUsername("grace"), "Grace");

      // A control character in the username: the server answers 400 username_invalid.
      await signUp(v.page, "grace\u0007", "Grace again");
      expect(await statusText(v.page)).toBe("Usernames are 1 to 64 letters, digits or symbols, without spaces. (username_invalid)");
      expect(await v.page.locator("#status").getAttribute("data-kind")).toBe("error");

      // The device cannot verify the user, but the server requires it: the browser says NotAllowedError.
      await v.device.setUserVerified(false);
      await clickAndSettle(v, "sign-in-remembered");
      expect(await statusText(v.page)).toBe("The request was cancelled or timed out.");
      expect(await v.page.locator("#signed-out").isVisible()).toBe(true);
      expect(await v.page.locator("#sign-in-remembered").isEnabled()).toBe(true);
    });
  });

  it("offers passkeys through autofill (conditional UI), aborting that request for any other ceremony", async () => {
    await withVisit(
      async (v) => {
        // On load the page asks for a conditional request. The virtual authenticator turns it down when
        // it holds no passkey, unless it waits for a touch: then the request stays pending, as in a
        // real browser where nobody has opened the autofill list yet.
        const presence = (enabled: boolean) =>
          v.device.cdp.send("WebAuthn.setAutomaticPresenceSimulation", { authenticatorId: v.device.authenticatorId, enabled });
        await presence(false);
        await v.page.reload();
        await v.page.locator("body[data-ready=true]").waitFor();
        await expect.poll(() => v.webAuthnCalls()).toEqual([{ method: "get", mediation: "conditional", outcome: "pending" }]);
        expect(await statusText(v.page)).toBe("");
        await presence(true); // the pending request stays pending

        // Signing up aborts it first (one WebAuthn request at a time), then re-arms it. The virtual
        // authenticator answers the new conditional request at once, as a person picking the new
        // passkey from the autofill list would: the page signs in through the discoverable flow.
        const username = uniqueUsername("ivan");
        await signUp(v.page, username, "Ivan");
        await v.page.locator("#signed-in").waitFor();
        await settled(v.page);
        await expectSignedIn(v);
        expect(await v.webAuthnCalls()).toEqual([
          { method: "get", mediation: "conditional", outcome: "AbortError" },
          { method: "create", mediation: "optional", outcome: "ok" },
          { method: "get", mediation: "conditional", outcome: "ok" },
        ]);
        const [registration] = await v.waitForCalls("/registration/finish");
        const { userId, credentialId } = registration!.response as { userId: string; credentialId: string };
        const discovers = await v.waitForCalls("/authentication/discover", 3); // load, reload, re-arm
        const [start] = await v.waitForCalls("/authentication/start");
        expect(start?.body).toEqual({ userId });
        const [finish] = await v.waitForCalls("/authentication/finish");
        expect(finish?.status).toBe(200);
        const assertion = (finish!.body as { publicKeyCredential: AssertionJson & { response: { clientDataJSON: string } } }).publicKeyCredential;
        expect(assertion.id).toBe(credentialId);
        // The assertion answers the challenge of the last discover, the one the re-armed request used.
        const clientData = JSON.parse(Buffer.from(assertion.response.clientDataJSON, "base64url").toString("utf8")) as { challenge: string };
        expect(clientData.challenge).toBe((discovers[2]!.response as { credentialRequestOptions: { challenge: string } }).credentialRequestOptions.challenge);
        expect((await displayedClaims(v.page))["preferred_username"]).toBe(username);
      },
      { autofill: true },
    );
  });

  it("takes the API's address from ?api= on localhost, and says when it cannot reach it", async () => {
    await withVisit(async (v) => {
      const nowhere = `http://127.0.0.1:${await freePort()}`; // nothing listens there
      await v.page.goto(`${demo.keyport.origin}/?api=${encodeURIComponent(nowhere)}`);
      await v.page.locator("body[data-ready=true]").waitFor();
      expect(await v.page.locator("#api-base").textContent()).toBe(nowhere);
      await clickAndSettle(v, "sign-in-passkey");
      expect(await statusText(v.page)).toBe(`Could not reach the server at ${nowhere}.`);
      expect(v.calls.filter((call) => call.path.startsWith("/authentication"))).toHaveLength(0);
    });
  });

  it("labels its controls and announces messages", async () => {
    await withVisit(async (v) => {
      const { page } = v;
      await page.locator("#sign-up-form").getByLabel("Display name").fill("Heidi");
      expect(await page.locator("#sign-up-display-name").inputValue()).toBe("Heidi");
      expect(await page.getByRole("status").count()).toBe(1);
      expect(await page.locator("#sign-in-username").getAttribute("autocomplete")).toBe("username webauthn");
      for (const name of ["Sign in with a passkey", "Create account with a passkey"]) {
        expect(await page.getByRole("button", { name }).isVisible()).toBe(true);
      }
    });
  });
});
