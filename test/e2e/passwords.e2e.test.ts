/**
 * Password accounts on the demo page, in Chromium: sign-up and sign-in with a password through the local
 * server's Cognito API (Amplify v6 in the page, SRP), the passkey offered afterwards (created by the
 * browser by itself where it can, a "Create a passkey for faster sign-in" prompt where it cannot), and
 * the passkey as the second factor after the password under SECOND_FACTOR=if-enrolled and `required`.
 * Passkey sign-in keeps working beside them.
 *
 * Headless Chromium reports `conditionalCreate` but never answers a conditional create (it would create
 * a passkey only for a password its own password manager just filled in), so the automatic upgrade is
 * tested three ways (VisitOptions.conditionalCreate): as Chromium does (the request stays pending and
 * the page offers nothing until another ceremony aborts it), as a browser without the capability (the
 * prompt), and with the request answered at once (a browser that creates the passkey). The UP=0 rule of
 * such a registration is tested in the domain and over HTTP.
 *
 * Run with `npm run test:e2e`; skipped under the unit-test config (see passkeys.e2e.test.ts). Each policy
 * has a server of its own.
 */
import { describe, expect, it } from "vitest";
import { decodeJwt } from "../support/kit.js";
import {
  displayedClaims,
  GOOD_PASSWORD,
  settled,
  signInWithPassword,
  signUpWithPassword,
  statusText,
  uniqueUsername,
  useDemo,
  type ApiCall,
  type Visit,
} from "./support.js";

interface TokensJson {
  idToken: string;
  accessToken: string;
  refreshToken: string;
}

const LOCAL_CLIENT_ID = "keyportlocalclient";

const PASSKEY_ADDED = "Passkey added. You can now sign in with it on this device.";

/** The ID token of the last sign-in through the Cognito API, as the pool answered it. */
function lastCognitoTokens(v: Visit): TokensJson {
  const answers = v
    .cognitoCalls()
    .map((call) => (call.response as { AuthenticationResult?: { IdToken: string; AccessToken: string; RefreshToken: string } } | null)?.AuthenticationResult)
    .filter((result) => result !== undefined);
  const last = answers.at(-1);
  if (last === undefined) throw new Error(`no Cognito call answered with tokens: ${v.cognitoCalls().map((call) => call.operation).join(", ")}`);
  return { idToken: last.IdToken, accessToken: last.AccessToken, refreshToken: last.RefreshToken };
}

/** The Cognito operations the page called, in order, with the flow or challenge each named. */
const operations = (calls: ApiCall[]) =>
  calls.map((call) => {
    const body = call.body as { AuthFlow?: string; ChallengeName?: string; AuthParameters?: { CHALLENGE_NAME?: string } };
    const detail = body.AuthFlow === undefined ? body.ChallengeName : `${body.AuthFlow}${body.AuthParameters?.CHALLENGE_NAME === undefined ? "" : `+${body.AuthParameters.CHALLENGE_NAME}`}`;
    return detail === undefined ? `${call.operation}` : `${call.operation} ${detail}`;
  });

async function click(v: Visit, selector: string): Promise<void> {
  await v.page.locator(selector).click();
  await settled(v.page);
}

async function passkeyCount(v: Visit): Promise<number> {
  return v.page.locator("#passkeys > li.passkey").count();
}

/** Signs up with a password and then in with it; returns the sign-in's tokens as the user pool gave them. */
async function signUpAndInWithPassword(v: Visit, username: string, displayName: string): Promise<TokensJson> {
  await signUpWithPassword(v.page, username, displayName);
  expect(await statusText(v.page)).toBe(`Account created for ${username}. Sign in with your password.`);
  await signInWithPassword(v.page, username);
  expect(await statusText(v.page)).toBe("Signed in with your password.");
  expect(await v.page.locator("#signed-in").isVisible()).toBe(true);
  return lastCognitoTokens(v);
}

describe.skipIf(process.env.KEYPORT_E2E !== "1")("password accounts on the demo page (SECOND_FACTOR=off)", () => {
  const demo = useDemo();
  const { withVisit } = demo;

  it("signs up and in with a password through the user pool's own API (SRP: the password goes nowhere after sign-up), and keyport takes the tokens", async () => {
    await withVisit(
      async (v) => {
        const username = uniqueUsername("pat");
        expect(await v.page.locator("#passwords").isVisible()).toBe(true);
        expect(await v.page.locator("#password-sign-in-hint").textContent()).toBe("Your password alone signs you in. Add a passkey afterwards to sign in without it.");

        await signUpWithPassword(v.page, username, "Pat Password");
        expect(await statusText(v.page)).toBe(`Account created for ${username}. Sign in with your password.`);
        expect(await v.page.locator("#password-sign-in-username").inputValue()).toBe(username);
        const signedUp = v.cognitoCalls().length;

        await signInWithPassword(v.page, username);
        expect(await statusText(v.page)).toBe("Signed in with your password.");
        expect(operations(v.cognitoCalls())).toEqual(["SignUp", "InitiateAuth USER_SRP_AUTH", "RespondToAuthChallenge PASSWORD_VERIFIER"]);
        // Sign-up sends the password (to be hashed); SRP sends a proof of it, never the password itself.
        for (const call of v.cognitoCalls().slice(signedUp)) expect(call.rawBody).not.toContain(GOOD_PASSWORD);
        for (const call of v.cognitoCalls()) expect(call.status, call.operation).toBe(200);

        // The user pool's ID token is the one keyport's client now sends.
        const { idToken } = lastCognitoTokens(v);
        const claims = decodeJwt(idToken).payload;
        expect(claims).toMatchObject({ "cognito:username": username, name: "Pat Password", token_use: "id", aud: LOCAL_CLIENT_ID });
        expect(await v.page.locator("#user-name").textContent()).toBe(`Pat Password (${username})`);
        expect((await displayedClaims(v.page))["cognito:username"]).toBe(username);
        const [list] = await v.waitForCalls("/credentials", 1, "GET");
        expect(list).toMatchObject({ status: 200, authorization: `Bearer ${idToken}`, response: { credentials: [] } });
        // keyport has no record of a password user until they add a passkey: no account section to show.
        expect(await v.page.locator("#account-section").isVisible()).toBe(false);
        expect(await v.page.locator("#passkeys-message").textContent()).toBe("Your account has no passkeys here. Add one to sign in with it.");

        // keyport's client holds the sign-in: its refresh token refreshes through keyport's API, and signing out revokes it.
        await click(v, "#refresh");
        const [refresh] = await v.waitForCalls("/authentication/refresh");
        expect(refresh?.status).toBe(200);
        expect((refresh?.body as { refreshToken: string }).refreshToken).toBe(lastCognitoTokens(v).refreshToken);
        await click(v, "#sign-out");
        expect(await statusText(v.page)).toBe("Signed out.");
        expect((await v.waitForCalls("/authentication/sign-out"))[0]?.status).toBe(200);
        expect(v.problems).toEqual([]);
      },
      { conditionalCreate: "unsupported" },
    );
  });

  it("says what is wrong with a taken username, a weak password and a wrong password, in words and with Cognito's exception", async () => {
    await withVisit(async (v) => {
      const username = uniqueUsername("quinn");
      await signUpWithPassword(v.page, username, "Quinn");
      await signUpWithPassword(v.page, username, "Quinn again");
      expect(await statusText(v.page)).toBe("That username is taken in the user pool. Pick another, or sign in if it is yours. (UsernameExistsException)");

      await signUpWithPassword(v.page, uniqueUsername("weak"), "Weak", "password1!");
      expect(await statusText(v.page)).toBe("Choose a stronger password: Password must have uppercase characters. (InvalidPasswordException)");

      await signInWithPassword(v.page, username, "Wrong-horse-9");
      expect(await statusText(v.page)).toBe("Incorrect username or password. (NotAuthorizedException)");
      expect(await v.page.locator("#signed-out").isVisible()).toBe(true);
    });
  });

  it("offers a passkey after a password sign-in where the browser cannot create one by itself; the passkey then signs the same user in", async () => {
    await withVisit(
      async (v) => {
        const username = uniqueUsername("rosa");
        const { idToken } = await signUpAndInWithPassword(v, username, "Rosa");
        const prompt = v.page.locator("#passkey-prompt");
        expect(await prompt.isVisible()).toBe(true);
        expect(await prompt.locator("h2").textContent()).toBe("Create a passkey for faster sign-in");
        expect((await v.webAuthnCalls()).filter((call) => call.method === "create")).toEqual([]); // nothing asked of the browser yet

        await click(v, "#create-passkey");
        expect(await statusText(v.page)).toBe(PASSKEY_ADDED);
        expect(await prompt.isVisible()).toBe(false);
        const [started] = await v.waitForCalls("/registration/start-verified");
        expect(started).toMatchObject({ status: 200, authorization: `Bearer ${idToken}`, body: {} });
        expect(await passkeyCount(v)).toBe(1);
        // Now keyport knows the user: the account section, and the user remembered for a passkey sign-in.
        expect(await v.page.locator("#account-section").isVisible()).toBe(true);
        expect(await v.page.locator("#account-username").inputValue()).toBe(username);
        const [finished] = await v.waitForCalls("/registration/finish");
        const remembered = (await v.page.evaluate(() => JSON.parse(localStorage.getItem("keyport.rememberedUser") ?? "null"))) as { userId: string } | null;
        expect(remembered?.userId).toBe((finished!.response as { userId: string }).userId);

        await click(v, "#sign-out");
        await click(v, "#sign-in-passkey");
        expect(await statusText(v.page)).toBe("Signed in with your passkey.");
        const [finish] = await v.waitForCalls("/authentication/finish");
        expect(decodeJwt((finish!.response as TokensJson).idToken).payload["cognito:username"]).toBe(username);
        expect(await v.page.locator("#passkey-prompt").isVisible()).toBe(false);
      },
      { conditionalCreate: "unsupported" },
    );
  });

  it("offers nothing more once the person says “Not now”", async () => {
    await withVisit(
      async (v) => {
        await signUpAndInWithPassword(v, uniqueUsername("nate"), "Nate");
        await v.page.locator("#dismiss-passkey-prompt").click();
        expect(await v.page.locator("#passkey-prompt").isVisible()).toBe(false);
        expect(await v.page.evaluate(() => document.activeElement?.id)).toBe("signed-in-heading");
        await click(v, "#refresh");
        expect(await v.page.locator("#passkey-prompt").isVisible()).toBe(false);
      },
      { conditionalCreate: "unsupported" },
    );
  });

  it("asks the browser to create a passkey without a prompt where it can (conditional create), and offers nothing while that request is open", async () => {
    await withVisit(async (v) => {
      await signUpAndInWithPassword(v, uniqueUsername("uma"), "Uma");
      const [started] = await v.waitForCalls("/registration/start-verified");
      expect(started).toMatchObject({ status: 200, body: { mediation: "conditional" } });
      await expect.poll(async () => (await v.webAuthnCalls()).filter((call) => call.method === "create")).toEqual([{ method: "create", mediation: "conditional", outcome: "pending" }]);
      expect(await v.page.locator("#passkey-prompt").isVisible()).toBe(false);
      expect(await statusText(v.page)).toBe("Signed in with your password.");

      // Any other ceremony goes first: adding a passkey by hand aborts the open request.
      await click(v, "#add-passkey");
      expect(await statusText(v.page)).toBe(PASSKEY_ADDED);
      const creates = (await v.webAuthnCalls()).filter((call) => call.method === "create");
      expect(creates.map((call) => call.mediation)).toEqual(["conditional", "optional"]);
      expect(creates[0]?.outcome).not.toBe("pending");
      expect(creates[1]?.outcome).toBe("ok");
      expect(await passkeyCount(v)).toBe(1);
      expect(await v.page.locator("#passkey-prompt").isVisible()).toBe(false);
    });
  });

  it("keeps the passkey the browser created by itself, and says so", async () => {
    await withVisit(
      async (v) => {
        const username = uniqueUsername("vera");
        await signUpWithPassword(v.page, username, "Vera");
        await signInWithPassword(v.page, username);
        // The browser answers at once, so the page may have said "Signed in with your password." already, or not yet.
        await expect.poll(() => statusText(v.page)).toBe("Your browser created a passkey for this account: next time, sign in with it instead of your password.");
        const [started] = await v.waitForCalls("/registration/start-verified");
        expect(started?.body).toEqual({ mediation: "conditional" });
        expect((await v.waitForCalls("/registration/finish"))[0]?.status).toBe(200);
        expect(await passkeyCount(v)).toBe(1);
        expect(await v.page.locator("#passkeys .passkey-upgrade").textContent()).toBe("Created by your browser after a password sign-in");
        expect(await v.page.locator("#passkey-prompt").isVisible()).toBe(false);
      },
      { conditionalCreate: "completes" },
    );
  });
});

describe.skipIf(process.env.KEYPORT_E2E !== "1")("the passkey as the second factor on the demo page (SECOND_FACTOR=if-enrolled)", () => {
  const demo = useDemo({ SECOND_FACTOR: "if-enrolled" });
  const { withVisit } = demo;

  it("signs in with the password alone until the account has a passkey, then asks for the passkey after the password", async () => {
    await withVisit(
      async (v) => {
        const username = uniqueUsername("wes");
        expect(await v.page.locator("#password-sign-in-hint").textContent()).toBe("If your account has a passkey, you confirm with it after your password.");
        await signUpAndInWithPassword(v, username, "Wes");
        // Custom authentication started with SRP: keyport's Define sees the password and no passkey, and issues tokens.
        expect(operations(v.cognitoCalls()).slice(1)).toEqual(["InitiateAuth CUSTOM_AUTH+SRP_A", "RespondToAuthChallenge PASSWORD_VERIFIER"]);
        await click(v, "#create-passkey");
        expect(await statusText(v.page)).toBe(PASSKEY_ADDED);
        await click(v, "#sign-out");

        const before = v.cognitoCalls().length;
        await signInWithPassword(v.page, username);
        expect(await statusText(v.page)).toBe("Signed in with your password and your passkey.");
        expect(operations(v.cognitoCalls().slice(before))).toEqual([
          "InitiateAuth CUSTOM_AUTH+SRP_A",
          "RespondToAuthChallenge PASSWORD_VERIFIER",
          "RespondToAuthChallenge CUSTOM_CHALLENGE",
        ]);
        const [passwordStep, passkeyStep] = v.cognitoCalls().slice(before + 1);
        // The passkey's request options travel in the challenge parameters; its answer goes back as the ANSWER.
        const parameters = (passwordStep?.response as { ChallengeParameters: { credentialRequestOptions: string } }).ChallengeParameters;
        const options = JSON.parse(parameters.credentialRequestOptions) as { rpId: string; allowCredentials: { id: string }[] };
        expect(options.rpId).toBe("localhost");
        expect(options.allowCredentials).toHaveLength(1);
        const answer = JSON.parse((passkeyStep?.body as { ChallengeResponses: { ANSWER: string } }).ChallengeResponses.ANSWER) as { id: string };
        expect(answer.id).toBe(options.allowCredentials[0]?.id);
        expect(decodeJwt(lastCognitoTokens(v).idToken).payload["cognito:username"]).toBe(username);
        expect(await v.page.locator("#passkey-prompt").isVisible()).toBe(false);
        expect(await passkeyCount(v)).toBe(1);
      },
      { conditionalCreate: "unsupported" },
    );
  });

  it("does not sign in when the passkey after the password fails, and says so", async () => {
    await withVisit(
      async (v) => {
        const username = uniqueUsername("xena");
        await signUpAndInWithPassword(v, username, "Xena");
        await click(v, "#create-passkey");
        await click(v, "#sign-out");

        await v.device.swap(); // another device, without the passkey: the browser has nothing to offer
        await signInWithPassword(v.page, username);
        expect(await statusText(v.page)).toBe("The request was cancelled or timed out.");
        expect(await v.page.locator("#signed-out").isVisible()).toBe(true);
        expect(operations(v.cognitoCalls()).at(-1)).toBe("RespondToAuthChallenge PASSWORD_VERIFIER");

        // Nor with the right password and no passkey at all: a wrong password is refused before the passkey is asked for.
        await signInWithPassword(v.page, username, "Wrong-horse-9");
        expect(await statusText(v.page)).toBe("Incorrect username or password. (NotAuthorizedException)");
      },
      { conditionalCreate: "unsupported" },
    );
  });

  it("signs in with a passkey alone, as before", async () => {
    await withVisit(async (v) => {
      const username = uniqueUsername("yara");
      await v.page.locator("#sign-up-username").fill(username);
      await v.page.locator("#sign-up-display-name").fill("Yara");
      await click(v, "#sign-up");
      await click(v, "#sign-in-passkey");
      expect(await statusText(v.page)).toBe("Signed in with your passkey.");
      expect(v.cognitoCalls()).toEqual([]);
    });
  });
});

describe.skipIf(process.env.KEYPORT_E2E !== "1")("the passkey required after the password on the demo page (SECOND_FACTOR=required)", () => {
  const demo = useDemo({ SECOND_FACTOR: "required" });
  const { withVisit } = demo;

  it("refuses a password sign-in to an account without a passkey, and says why it may be", async () => {
    await withVisit(async (v) => {
      const username = uniqueUsername("zoe");
      expect(await v.page.locator("#password-sign-in-hint").textContent()).toBe(
        "This site asks for your passkey after your password: an account without one cannot sign in with its password.",
      );
      await signUpWithPassword(v.page, username, "Zoe");
      await signInWithPassword(v.page, username);
      expect(await statusText(v.page)).toBe(
        "Incorrect username or password, or your account has no passkey: this site asks for a passkey after the password, so an account without one cannot sign in with its password. Sign in with a passkey instead. (NotAuthorizedException)",
      );
      expect(await v.page.locator("#signed-out").isVisible()).toBe(true);
      // The password was right: the pool ended the sign-in after it, at keyport's DefineAuthChallenge.
      expect(operations(v.cognitoCalls()).slice(1)).toEqual(["InitiateAuth CUSTOM_AUTH+SRP_A", "RespondToAuthChallenge PASSWORD_VERIFIER"]);
      expect(v.cognitoCalls().at(-1)?.response).toMatchObject({ __type: "NotAuthorizedException" });
    });
  });

  it("signs up and in with a passkey alone, as before", async () => {
    await withVisit(async (v) => {
      await v.page.locator("#sign-up-username").fill(uniqueUsername("abe"));
      await v.page.locator("#sign-up-display-name").fill("Abe");
      await click(v, "#sign-up");
      await click(v, "#sign-in-passkey");
      expect(await statusText(v.page)).toBe("Signed in with your passkey.");
    });
  });
});
