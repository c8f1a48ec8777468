/**
 * What keyport's browser client (src/client) adds to the demo page, in a real browser: a signed-in
 * action whose ID token has expired refreshes the tokens by itself and goes through, and a refresh
 * token the server refuses on the way ends the sign-in. The rest of the client is what the other e2e
 * files test through the page.
 *
 * Run with `npm run test:e2e`; skipped under the unit-test config (see passkeys.e2e.test.ts). Each test
 * moves the server's clock past the ID token's life, so this file has a server of its own.
 */
import { describe, expect, it } from "vitest";
import { decodeJwt } from "../support/kit.js";
import { displayedClaims, settled, signUp, statusText, uniqueUsername, useDemo, type Visit } from "./support.js";

interface TokensJson {
  idToken: string;
  refreshToken: string;
}
interface ErrorJson {
  error: { code: string };
}

/** Past the local identity provider's ID token lifetime (one hour). */
const PAST_ID_TOKEN_LIFE_MS = 2 * 60 * 60_000;

describe.skipIf(process.env.KEYPORT_E2E !== "1")("the demo page on keyport's browser client", () => {
  const demo = useDemo();
  const { withVisit } = demo;

  /** Signs up and in through the page; the passkey's ID and the sign-in's tokens as the server gave them. */
  async function signUpAndIn(v: Visit, username: string): Promise<{ credentialId: string; tokens: TokensJson }> {
    await signUp(v.page, username, username);
    const [registered] = await v.waitForCalls("/registration/finish");
    await v.page.locator("#sign-in-passkey").click();
    await settled(v.page);
    expect(await statusText(v.page)).toBe("Signed in with your passkey.");
    const [finish] = await v.waitForCalls("/authentication/finish");
    return { credentialId: (registered!.response as { credentialId: string }).credentialId, tokens: finish!.response as TokensJson };
  }

  async function rename(v: Visit, credentialId: string, name: string): Promise<void> {
    const item = v.page.locator(`li.passkey[data-credential-id="${credentialId}"]`);
    await item.locator("input").fill(name);
    await item.getByRole("button", { name: /^Rename/ }).click();
    await settled(v.page);
  }

  it("refreshes an expired ID token by itself: the action goes through with the new one, and the claims show it", async () => {
    await withVisit(async (v) => {
      const { credentialId, tokens } = await signUpAndIn(v, uniqueUsername("rhea"));
      demo.keyport.clock.advance(PAST_ID_TOKEN_LIFE_MS); // the server's clock: the browser's still finds the token valid

      await rename(v, credentialId, "Work laptop");
      expect(await statusText(v.page)).toBe("Passkey renamed to “Work laptop”.");
      const patches = await v.waitForCalls(`/credentials/${credentialId}`, 2, "PATCH");
      expect(patches.map((call) => call.status)).toEqual([401, 200]);
      expect((patches[0]!.response as ErrorJson).error.code).toBe("token_expired");
      const [refresh] = await v.waitForCalls("/authentication/refresh");
      expect(refresh?.status).toBe(200);
      expect((refresh!.body as { refreshToken: string }).refreshToken).toBe(tokens.refreshToken);
      const refreshed = refresh!.response as TokensJson;
      expect(patches.map((call) => call.authorization)).toEqual([`Bearer ${tokens.idToken}`, `Bearer ${refreshed.idToken}`]);
      expect((await displayedClaims(v.page))["exp"]).toContain(String(decodeJwt(refreshed.idToken).payload["exp"]));
      expect(await v.page.locator("#signed-in").isVisible()).toBe(true);

      // The rotated refresh token is the one kept: signing out revokes it.
      await v.page.locator("#sign-out").click();
      await settled(v.page);
      const [signOut] = await v.waitForCalls("/authentication/sign-out");
      expect(signOut?.body).toEqual({ refreshToken: refreshed.refreshToken });
    });
  });

  it("ends the sign-in when the server refuses the refresh token on the way", async () => {
    await withVisit(async (v) => {
      const { credentialId, tokens } = await signUpAndIn(v, uniqueUsername("saul"));
      // The refresh token is revoked elsewhere (another tab signed out), then the ID token expires.
      const revoked = await fetch(`${demo.keyport.origin}/authentication/sign-out`, {
        method: "POST",
        headers: { "Content-Type": "application/json", Origin: demo.keyport.origin },
        body: JSON.stringify({ refreshToken: tokens.refreshToken }),
      });
      expect(revoked.status).toBe(200);
      demo.keyport.clock.advance(PAST_ID_TOKEN_LIFE_MS);

      await rename(v, credentialId, "Gone");
      expect(await statusText(v.page)).toBe("Your session has ended. Please sign in again. (refresh_token_invalid)");
      expect((await v.waitForCalls("/authentication/refresh"))[0]?.status).toBe(401);
      expect(v.callsTo(`/credentials/${credentialId}`, "PATCH")).toHaveLength(1); // not retried
      expect(await v.page.locator("#signed-out").isVisible()).toBe(true);
    });
  });
});
