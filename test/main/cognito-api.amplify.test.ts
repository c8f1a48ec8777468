/**
 * `npm start`'s Cognito API driven by the real Amplify JS v6 in Node (`userPoolEndpoint` at the local
 * server), on memory and on DynamoDB Local: signUp with a password; signIn with USER_SRP_AUTH,
 * USER_PASSWORD_AUTH, CUSTOM_WITHOUT_SRP (passkey only) and CUSTOM_WITH_SRP (password + passkey), the
 * passkey answered with confirmSignIn({ challengeResponse }) as the assertion's JSON; wrong passwords and
 * passkeys; refresh (fetchAuthSession, which rotates), fetchUserAttributes, signOut and global signOut.
 * Amplify is one configured singleton per process: each test signs out before the next one signs in.
 */
import { GetUserCommand, NotAuthorizedException } from "@aws-sdk/client-cognito-identity-provider";
import { Amplify } from "aws-amplify";
import { ConsoleLogger } from "aws-amplify/utils";
import { confirmSignIn, fetchAuthSession, fetchUserAttributes, getCurrentUser, signIn, signOut, signUp, type SignInOutput } from "aws-amplify/auth";
import { afterEach, describe, expect, it } from "vitest";
import type { RunningServer } from "../../src/composition/local-server.js";
import { decodeJwt } from "../support/kit.js";
import { SoftwareAuthenticator } from "../support/software-authenticator.js";
import {
  addPasskeyWith,
  cognitoIds,
  ORIGIN,
  PASSWORD,
  requestOptionsOf,
  servers,
  storages,
  tokensBehindTheApi,
  uniqueUsername,
  type Local,
  type Policy,
} from "./cognito-api-support.js";

// Amplify warns at every configure that the endpoint is a custom one, which here is the point.
ConsoleLogger.LOG_LEVEL = "ERROR";

/** Amplify pointed at `server`'s Cognito API, as an app configures it against `npm start`. */
function configureAmplify(server: RunningServer): void {
  const { userPoolId, clientId } = cognitoIds(server);
  Amplify.configure({ Auth: { Cognito: { userPoolId, userPoolClientId: clientId, userPoolEndpoint: server.url } } });
}

const rejection = (promise: Promise<unknown>): Promise<unknown> => promise.then(
  (value) => {
    throw new Error(`expected a refusal, got ${JSON.stringify(value)}`);
  },
  (error: unknown) => error,
);

/** The ID token of Amplify's current session. */
async function idToken(): Promise<string> {
  const token = (await fetchAuthSession()).tokens?.idToken?.toString();
  if (token === undefined) throw new Error("no ID token in Amplify's session");
  return token;
}

/** The passkey challenge's answer as an app gives it to confirmSignIn: the assertion's JSON, from the challenge's additionalInfo. */
function challengeResponse(output: SignInOutput, authenticator: SoftwareAuthenticator, tamper?: Parameters<SoftwareAuthenticator["getAssertion"]>[1]["tamper"]): string {
  expect(output.nextStep.signInStep).toBe("CONFIRM_SIGN_IN_WITH_CUSTOM_CHALLENGE");
  const additionalInfo = output.nextStep.signInStep === "CONFIRM_SIGN_IN_WITH_CUSTOM_CHALLENGE" ? output.nextStep.additionalInfo : undefined;
  return JSON.stringify(authenticator.getAssertion(requestOptionsOf(additionalInfo), { origin: ORIGIN, tamper }));
}

for (const storage of storages("keyport-cognito-amplify")) {
  describe(`Amplify v6 against npm start's Cognito API (${storage.name})`, () => {
    const servers_ = servers(storage);
    /** The server of `policy`, with Amplify configured for it. */
    const local = async (policy: Policy): Promise<Local> => {
      const started = await servers_(policy);
      configureAmplify(started.server);
      return started;
    };

    afterEach(async () => {
      await signOut().catch(() => undefined);
    });

    /** signUp with a password and an email; the user is confirmed at once. */
    async function signUpWithPassword(name: string): Promise<string> {
      const username = uniqueUsername(name);
      const signedUp = await signUp({ username, password: PASSWORD, options: { userAttributes: { email: `${username}@example.com` } } });
      expect(signedUp).toMatchObject({ isSignUpComplete: true, nextStep: { signUpStep: "DONE" } });
      return username;
    }

    /** A password user who signs in with SRP (as `flow`) and adds a passkey with the session's ID token, then signs out. */
    async function withPasskey(server: RunningServer, name: string, flow: "USER_SRP_AUTH" | "CUSTOM_WITH_SRP" = "USER_SRP_AUTH") {
      const username = await signUpWithPassword(name);
      expect(await signIn({ username, password: PASSWORD, options: { authFlowType: flow } })).toMatchObject({ isSignedIn: true });
      const authenticator = new SoftwareAuthenticator();
      await addPasskeyWith(server, await idToken(), authenticator);
      await signOut();
      return { username, authenticator };
    }

    it("signs up with a password and signs in with USER_SRP_AUTH; the session's tokens and the user's attributes", async () => {
      await local("off");
      const username = await signUpWithPassword("ada");
      expect(await signIn({ username, password: PASSWORD, options: { authFlowType: "USER_SRP_AUTH" } })).toEqual({ isSignedIn: true, nextStep: { signInStep: "DONE" } });
      expect((await getCurrentUser()).username).toBe(username);
      expect(decodeJwt(await idToken()).payload["cognito:username"]).toBe(username);
      expect(await fetchUserAttributes()).toMatchObject({ email: `${username}@example.com`, sub: expect.any(String) });
    });

    it("signs in with USER_PASSWORD_AUTH, and refreshes: fetchAuthSession({ forceRefresh }) gets new tokens", async () => {
      await local("off");
      const username = await signUpWithPassword("bea");
      expect(await signIn({ username, password: PASSWORD, options: { authFlowType: "USER_PASSWORD_AUTH" } })).toMatchObject({ isSignedIn: true });
      const before = (await fetchAuthSession()).tokens;
      await new Promise((resolve) => setTimeout(resolve, 1100)); // a new `iat`
      const after = (await fetchAuthSession({ forceRefresh: true })).tokens;
      expect(after?.accessToken.toString()).not.toBe(before?.accessToken.toString());
      expect(after?.idToken?.payload["cognito:username"]).toBe(username);
      // The rotated session still refreshes.
      expect((await fetchAuthSession({ forceRefresh: true })).tokens?.idToken?.payload["cognito:username"]).toBe(username);
    });

    it.each(["USER_SRP_AUTH", "USER_PASSWORD_AUTH"] as const)("refuses a wrong password with %s: NotAuthorizedException", async (authFlowType) => {
      await local("off");
      const username = await signUpWithPassword("cai");
      const error = await rejection(signIn({ username, password: "Wrong-Horse-9-Battery", options: { authFlowType } }));
      expect(error).toMatchObject({ name: "NotAuthorizedException", message: "Incorrect username or password." });
    });

    it("signs in with a passkey alone: CUSTOM_WITHOUT_SRP, then confirmSignIn with the assertion", async () => {
      const { server } = await local("off");
      const { username, authenticator } = await withPasskey(server, "dov");
      const started = await signIn({ username, options: { authFlowType: "CUSTOM_WITHOUT_SRP" } });
      expect(started.isSignedIn).toBe(false);
      const confirmed = await confirmSignIn({ challengeResponse: challengeResponse(started, authenticator) });
      expect(confirmed).toEqual({ isSignedIn: true, nextStep: { signInStep: "DONE" } });
      expect((await getCurrentUser()).username).toBe(username);
    });

    it("refuses a wrong passkey at confirmSignIn: NotAuthorizedException", async () => {
      const { server } = await local("off");
      const { username, authenticator } = await withPasskey(server, "eve");
      const started = await signIn({ username, options: { authFlowType: "CUSTOM_WITHOUT_SRP" } });
      const error = await rejection(confirmSignIn({ challengeResponse: challengeResponse(started, authenticator, { signWithOtherKey: true }) }));
      expect(error).toMatchObject({ name: "NotAuthorizedException" });
    });

    it("SECOND_FACTOR=if-enrolled: CUSTOM_WITH_SRP asks a user with a passkey for it after the password", async () => {
      const { server } = await local("if-enrolled");
      const { username, authenticator } = await withPasskey(server, "finn", "CUSTOM_WITH_SRP");
      const afterPassword = await signIn({ username, password: PASSWORD, options: { authFlowType: "CUSTOM_WITH_SRP" } });
      expect(afterPassword.isSignedIn).toBe(false);
      const confirmed = await confirmSignIn({ challengeResponse: challengeResponse(afterPassword, authenticator) });
      expect(confirmed).toEqual({ isSignedIn: true, nextStep: { signInStep: "DONE" } });
      expect(decodeJwt(await idToken()).payload["cognito:username"]).toBe(username);
    });

    it("SECOND_FACTOR=if-enrolled: CUSTOM_WITH_SRP signs in a user without a passkey with the password", async () => {
      await local("if-enrolled");
      const username = await signUpWithPassword("gil");
      expect(await signIn({ username, password: PASSWORD, options: { authFlowType: "CUSTOM_WITH_SRP" } })).toEqual({ isSignedIn: true, nextStep: { signInStep: "DONE" } });
    });

    it("SECOND_FACTOR=if-enrolled: a wrong password with CUSTOM_WITH_SRP, and a wrong passkey after the right one, are refused", async () => {
      const { server } = await local("if-enrolled");
      const { username, authenticator } = await withPasskey(server, "hal", "CUSTOM_WITH_SRP");
      expect(await rejection(signIn({ username, password: "Wrong-Horse-9-Battery", options: { authFlowType: "CUSTOM_WITH_SRP" } }))).toMatchObject({ name: "NotAuthorizedException" });
      const afterPassword = await signIn({ username, password: PASSWORD, options: { authFlowType: "CUSTOM_WITH_SRP" } });
      const error = await rejection(confirmSignIn({ challengeResponse: challengeResponse(afterPassword, authenticator, { clientData: { origin: "https://evil.example" } }) }));
      expect(error).toMatchObject({ name: "NotAuthorizedException" });
    });

    it("SECOND_FACTOR=required: CUSTOM_WITH_SRP refuses a user without a passkey after the password", async () => {
      await local("required");
      const username = await signUpWithPassword("ida");
      expect(await rejection(signIn({ username, password: PASSWORD, options: { authFlowType: "CUSTOM_WITH_SRP" } }))).toMatchObject({ name: "NotAuthorizedException" });
    });

    it("SECOND_FACTOR=required: CUSTOM_WITH_SRP then the passkey signs in a user who has one", async () => {
      const { server } = await local("required");
      const username = await signUpWithPassword("jo");
      const authenticator = new SoftwareAuthenticator();
      await addPasskeyWith(server, (await tokensBehindTheApi(server, username)).idToken, authenticator);
      const afterPassword = await signIn({ username, password: PASSWORD, options: { authFlowType: "CUSTOM_WITH_SRP" } });
      expect(await confirmSignIn({ challengeResponse: challengeResponse(afterPassword, authenticator) })).toEqual({ isSignedIn: true, nextStep: { signInStep: "DONE" } });
    });

    it("signs out everywhere: after signOut({ global: true }) the old access token is refused by GetUser", async () => {
      const { sdk } = await local("off");
      const username = await signUpWithPassword("kim");
      await signIn({ username, password: PASSWORD, options: { authFlowType: "USER_SRP_AUTH" } });
      const accessToken = (await fetchAuthSession()).tokens?.accessToken.toString() ?? "";
      await sdk.send(new GetUserCommand({ AccessToken: accessToken }));
      await signOut({ global: true });
      expect(await rejection(sdk.send(new GetUserCommand({ AccessToken: accessToken })))).toBeInstanceOf(NotAuthorizedException);
    });

    it("signs out: signOut() revokes the sign-in with RevokeToken, so its access token is refused too", async () => {
      const { sdk } = await local("off");
      const username = await signUpWithPassword("lea");
      await signIn({ username, password: PASSWORD, options: { authFlowType: "USER_PASSWORD_AUTH" } });
      const accessToken = (await fetchAuthSession()).tokens?.accessToken.toString() ?? "";
      await signOut();
      expect((await fetchAuthSession()).tokens).toBeUndefined();
      expect(await rejection(sdk.send(new GetUserCommand({ AccessToken: accessToken })))).toBeInstanceOf(NotAuthorizedException);
    });
  });
}
