/**
 * `npm start`'s Cognito API driven by the real AWS SDK v3 (`CognitoIdentityProviderClient` with its
 * endpoint at the local server), on memory and on DynamoDB Local: sign-up with a password, password
 * sign-in, a passkey added with keyport's start-verified, passkey-only sign-in through CUSTOM_AUTH,
 * password + passkey under the second-factor policies, wrong passwords and passkeys, refresh with and
 * without rotation, revocation, global sign-out and GetUser.
 */
import {
  GetTokensFromRefreshTokenCommand,
  GetUserCommand,
  GlobalSignOutCommand,
  InitiateAuthCommand,
  InvalidParameterException,
  NotAuthorizedException,
  ResourceNotFoundException,
  RespondToAuthChallengeCommand,
  RevokeTokenCommand,
  UsernameExistsException,
  InvalidPasswordException,
  type CognitoIdentityProviderClient,
} from "@aws-sdk/client-cognito-identity-provider";
import { describe, expect, it } from "vitest";
import type { RunningServer } from "../../src/composition/local-server.js";
import { decodeJwt } from "../support/kit.js";
import { SoftwareAuthenticator } from "../support/software-authenticator.js";
import {
  addPasskeyWith,
  cognitoIds,
  ORIGIN,
  PASSWORD,
  passkeyAnswer,
  requestOptionsOf,
  sdkCustomAuthWithSrp,
  sdkPasswordSignIn,
  sdkSignUp,
  servers,
  storages,
  tokensBehindTheApi,
  tokensOf,
  uniqueUsername,
} from "./cognito-api-support.js";

const refused = (promise: Promise<unknown>): Promise<unknown> => promise.then(
  (value) => {
    throw new Error(`expected a refusal, got ${JSON.stringify(value)}`);
  },
  (error: unknown) => error,
);

/** Passkey-only sign-in: CUSTOM_AUTH with the username, the custom challenge answered with the assertion. */
async function passkeySignIn(sdk: CognitoIdentityProviderClient, server: RunningServer, username: string, authenticator: SoftwareAuthenticator) {
  const { clientId } = cognitoIds(server);
  const started = await sdk.send(new InitiateAuthCommand({ ClientId: clientId, AuthFlow: "CUSTOM_AUTH", AuthParameters: { USERNAME: username } }));
  expect(started.ChallengeName).toBe("CUSTOM_CHALLENGE");
  return sdk.send(
    new RespondToAuthChallengeCommand({
      ClientId: clientId,
      ChallengeName: "CUSTOM_CHALLENGE",
      Session: started.Session,
      ChallengeResponses: { USERNAME: username, ANSWER: passkeyAnswer(authenticator, started.ChallengeParameters) },
    }),
  );
}

/** A user signed up with a password who has added a passkey with the ID token of a password sign-in. */
async function userWithPasskey(local: { server: RunningServer; sdk: CognitoIdentityProviderClient }, name: string, signIn: "password" | "srp" = "password") {
  const { server, sdk } = local;
  const username = uniqueUsername(name);
  await sdkSignUp(sdk, server, username);
  const tokens = signIn === "password" ? await sdkPasswordSignIn(sdk, server, username) : tokensOf((await sdkCustomAuthWithSrp(sdk, server, username)).AuthenticationResult);
  const authenticator = new SoftwareAuthenticator();
  const credentialId = await addPasskeyWith(server, tokens.idToken, authenticator);
  return { username, authenticator, credentialId, tokens };
}

for (const storage of storages("keyport-cognito-sdk")) {
  describe(`the AWS SDK v3 against npm start's Cognito API (${storage.name})`, () => {
    const local = servers(storage);

    it("signs up with a password, confirmed at once, and signs in with USER_PASSWORD_AUTH: tokens naming the user, GetUser their attributes", async () => {
      const { server, sdk } = await local("off");
      const username = uniqueUsername("ada");
      const signedUp = await sdkSignUp(sdk, server, username);
      expect(signedUp).toMatchObject({ UserConfirmed: true, UserSub: expect.any(String) });

      const tokens = await sdkPasswordSignIn(sdk, server, username);
      expect(tokens.refreshToken).toEqual(expect.any(String));
      const claims = decodeJwt(tokens.idToken).payload;
      expect(claims).toMatchObject({ "cognito:username": username, sub: signedUp.UserSub, email: `${username}@example.com`, aud: cognitoIds(server).clientId });
      expect(decodeJwt(tokens.accessToken).payload).toMatchObject({ token_use: "access", client_id: cognitoIds(server).clientId, username });

      const user = await sdk.send(new GetUserCommand({ AccessToken: tokens.accessToken }));
      expect(user.Username).toBe(username);
      expect(user.UserAttributes).toEqual(expect.arrayContaining([{ Name: "sub", Value: signedUp.UserSub }, { Name: "email", Value: `${username}@example.com` }]));
    });

    it("refuses a wrong password and an unknown user alike: NotAuthorizedException", async () => {
      const { server, sdk } = await local("off");
      const username = uniqueUsername("bea");
      await sdkSignUp(sdk, server, username);
      const wrong = await refused(sdkPasswordSignIn(sdk, server, username, "Wrong-Horse-9-Battery"));
      const unknown = await refused(sdkPasswordSignIn(sdk, server, uniqueUsername("nobody")));
      for (const error of [wrong, unknown]) {
        expect(error).toBeInstanceOf(NotAuthorizedException);
        expect(error).toMatchObject({ message: "Incorrect username or password.", $metadata: { httpStatusCode: 400 } });
      }
    });

    it("answers Cognito's exceptions for a taken username, a weak password and an unknown app client", async () => {
      const { server, sdk } = await local("off");
      const username = uniqueUsername("cai");
      await sdkSignUp(sdk, server, username);
      expect(await refused(sdkSignUp(sdk, server, username))).toBeInstanceOf(UsernameExistsException);
      expect(await refused(sdkSignUp(sdk, server, uniqueUsername("dov"), "password"))).toBeInstanceOf(InvalidPasswordException);
      const unknownClient = await refused(sdk.send(new InitiateAuthCommand({ ClientId: "someoneelse", AuthFlow: "USER_PASSWORD_AUTH", AuthParameters: { USERNAME: username, PASSWORD } })));
      expect(unknownClient).toBeInstanceOf(ResourceNotFoundException);
    });

    it("adds a passkey with the password sign-in's ID token, then signs in with the passkey alone through CUSTOM_AUTH", async () => {
      const { server, sdk } = await local("off");
      const { username, authenticator, credentialId, tokens } = await userWithPasskey(await local("off"), "eve");

      const started = await sdk.send(new InitiateAuthCommand({ ClientId: cognitoIds(server).clientId, AuthFlow: "CUSTOM_AUTH", AuthParameters: { USERNAME: username } }));
      expect(started).toMatchObject({ ChallengeName: "CUSTOM_CHALLENGE", Session: expect.any(String) });
      // keyport's request options, as its Create trigger publishes them, listing the user's passkey.
      const options = requestOptionsOf(started.ChallengeParameters);
      expect(options).toMatchObject({ rpId: "localhost", challenge: expect.any(String), allowCredentials: [{ type: "public-key", id: credentialId }] });

      const answered = await sdk.send(
        new RespondToAuthChallengeCommand({
          ClientId: cognitoIds(server).clientId,
          ChallengeName: "CUSTOM_CHALLENGE",
          Session: started.Session,
          ChallengeResponses: { USERNAME: username, ANSWER: passkeyAnswer(authenticator, started.ChallengeParameters) },
        }),
      );
      const passkeyTokens = tokensOf(answered.AuthenticationResult);
      expect(decodeJwt(passkeyTokens.idToken).payload).toMatchObject({ "cognito:username": username, sub: decodeJwt(tokens.idToken).payload.sub });
    });

    it("refuses a wrong passkey: another authenticator's, a bad signature, or an answer that is not an assertion", async () => {
      const { server, sdk } = await local("off");
      const { username, authenticator } = await userWithPasskey(await local("off"), "finn");
      // Another user's passkey, registered here, answering this user's challenge.
      const other = (await userWithPasskey(await local("off"), "gil")).authenticator;
      const { clientId } = cognitoIds(server);

      const answers: ((parameters: Record<string, string> | undefined) => string)[] = [
        (parameters) => passkeyAnswer(authenticator, parameters, { signWithOtherKey: true }),
        (parameters) => passkeyAnswer(authenticator, parameters, { clientData: { origin: "https://evil.example" } }),
        () => "not an assertion",
        (parameters) => JSON.stringify(other.getAssertion({ ...requestOptionsOf(parameters), allowCredentials: [] }, { origin: ORIGIN })),
      ];
      for (const answer of answers) {
        const started = await sdk.send(new InitiateAuthCommand({ ClientId: clientId, AuthFlow: "CUSTOM_AUTH", AuthParameters: { USERNAME: username } }));
        const error = await refused(
          sdk.send(
            new RespondToAuthChallengeCommand({
              ClientId: clientId,
              ChallengeName: "CUSTOM_CHALLENGE",
              Session: started.Session,
              ChallengeResponses: { USERNAME: username, ANSWER: answer(started.ChallengeParameters) },
            }),
          ),
        );
        expect(error).toBeInstanceOf(NotAuthorizedException);
      }
      // The right passkey still signs in.
      tokensOf((await passkeySignIn(sdk, server, username, authenticator)).AuthenticationResult);
    });

    it("SECOND_FACTOR=off: CUSTOM_AUTH started with SRP_A is refused after the password, passkey or not", async () => {
      const { server, sdk } = await local("off");
      const { username } = await userWithPasskey(await local("off"), "hal");
      expect(await refused(sdkCustomAuthWithSrp(sdk, server, username))).toBeInstanceOf(NotAuthorizedException);
    });

    it("SECOND_FACTOR=if-enrolled: password then passkey for a user with one, through CUSTOM_AUTH with SRP_A", async () => {
      const local2 = await local("if-enrolled");
      const { server, sdk } = local2;
      // Without a passkey yet, the password alone signs in (SRP through CUSTOM_AUTH); with its ID token the user adds one.
      const { username, authenticator, tokens } = await userWithPasskey(local2, "ida", "srp");

      const verified = await sdkCustomAuthWithSrp(sdk, server, username);
      expect(verified).toMatchObject({ ChallengeName: "CUSTOM_CHALLENGE", Session: expect.any(String) });
      expect(verified.AuthenticationResult).toBeUndefined();
      const answered = await sdk.send(
        new RespondToAuthChallengeCommand({
          ClientId: cognitoIds(server).clientId,
          ChallengeName: "CUSTOM_CHALLENGE",
          Session: verified.Session,
          ChallengeResponses: { USERNAME: username, ANSWER: passkeyAnswer(authenticator, verified.ChallengeParameters) },
        }),
      );
      expect(decodeJwt(tokensOf(answered.AuthenticationResult).idToken).payload.sub).toBe(decodeJwt(tokens.idToken).payload.sub);
    });

    it("SECOND_FACTOR=if-enrolled: a user without a passkey gets tokens after the password", async () => {
      const { server, sdk } = await local("if-enrolled");
      const username = uniqueUsername("jo");
      await sdkSignUp(sdk, server, username);
      const answered = await sdkCustomAuthWithSrp(sdk, server, username);
      expect(decodeJwt(tokensOf(answered.AuthenticationResult).idToken).payload["cognito:username"]).toBe(username);
    });

    it("SECOND_FACTOR=if-enrolled: a wrong password never reaches the passkey; a wrong passkey after the right password fails", async () => {
      const local2 = await local("if-enrolled");
      const { server, sdk } = local2;
      const { username, authenticator } = await userWithPasskey(local2, "kim", "srp");
      expect(await refused(sdkCustomAuthWithSrp(sdk, server, username, "Wrong-Horse-9-Battery"))).toBeInstanceOf(NotAuthorizedException);

      const verified = await sdkCustomAuthWithSrp(sdk, server, username);
      const error = await refused(
        sdk.send(
          new RespondToAuthChallengeCommand({
            ClientId: cognitoIds(server).clientId,
            ChallengeName: "CUSTOM_CHALLENGE",
            Session: verified.Session,
            ChallengeResponses: { USERNAME: username, ANSWER: passkeyAnswer(authenticator, verified.ChallengeParameters, { signWithOtherKey: true }) },
          }),
        ),
      );
      expect(error).toBeInstanceOf(NotAuthorizedException);
    });

    it("SECOND_FACTOR=if-enrolled: the password alone no longer signs in (USER_PASSWORD_AUTH is not enabled), and passkey-only sign-in still does", async () => {
      const local2 = await local("if-enrolled");
      const { server, sdk } = local2;
      const { username, authenticator } = await userWithPasskey(local2, "lea", "srp");
      expect(await refused(sdkPasswordSignIn(sdk, server, username))).toBeInstanceOf(InvalidParameterException);
      tokensOf((await passkeySignIn(sdk, server, username, authenticator)).AuthenticationResult);
    });

    it("SECOND_FACTOR=required: a user without a passkey cannot finish a password sign-in", async () => {
      const { server, sdk } = await local("required");
      const username = uniqueUsername("max");
      await sdkSignUp(sdk, server, username);
      expect(await refused(sdkCustomAuthWithSrp(sdk, server, username))).toBeInstanceOf(NotAuthorizedException);
    });

    it("SECOND_FACTOR=required: password then passkey for a user who has one", async () => {
      const { server, sdk } = await local("required");
      const username = uniqueUsername("nia");
      await sdkSignUp(sdk, server, username);
      const authenticator = new SoftwareAuthenticator();
      await addPasskeyWith(server, (await tokensBehindTheApi(server, username)).idToken, authenticator);
      const verified = await sdkCustomAuthWithSrp(sdk, server, username);
      expect(verified.ChallengeName).toBe("CUSTOM_CHALLENGE");
      const answered = await sdk.send(
        new RespondToAuthChallengeCommand({
          ClientId: cognitoIds(server).clientId,
          ChallengeName: "CUSTOM_CHALLENGE",
          Session: verified.Session,
          ChallengeResponses: { USERNAME: username, ANSWER: passkeyAnswer(authenticator, verified.ChallengeParameters) },
        }),
      );
      expect(decodeJwt(tokensOf(answered.AuthenticationResult).idToken).payload["cognito:username"]).toBe(username);
    });

    it("refreshes: REFRESH_TOKEN_AUTH keeps the refresh token; GetTokensFromRefreshToken rotates it, and the old one is refused", async () => {
      const { server, sdk } = await local("off");
      const username = uniqueUsername("ned");
      await sdkSignUp(sdk, server, username);
      const first = await sdkPasswordSignIn(sdk, server, username);
      const { clientId } = cognitoIds(server);

      const kept = await sdk.send(new InitiateAuthCommand({ ClientId: clientId, AuthFlow: "REFRESH_TOKEN_AUTH", AuthParameters: { REFRESH_TOKEN: first.refreshToken ?? "" } }));
      const keptTokens = tokensOf(kept.AuthenticationResult);
      expect(keptTokens.refreshToken).toBeUndefined();
      expect(decodeJwt(keptTokens.idToken).payload["cognito:username"]).toBe(username);

      const rotated = await sdk.send(new GetTokensFromRefreshTokenCommand({ ClientId: clientId, RefreshToken: first.refreshToken }));
      const rotatedTokens = tokensOf(rotated.AuthenticationResult);
      expect(rotatedTokens.refreshToken).toEqual(expect.any(String));
      expect(rotatedTokens.refreshToken).not.toBe(first.refreshToken);
      expect(await refused(sdk.send(new GetTokensFromRefreshTokenCommand({ ClientId: clientId, RefreshToken: first.refreshToken })))).toBeInstanceOf(NotAuthorizedException);
      tokensOf((await sdk.send(new GetTokensFromRefreshTokenCommand({ ClientId: clientId, RefreshToken: rotatedTokens.refreshToken }))).AuthenticationResult);
    });

    it("revokes: after RevokeToken the refresh token refreshes no more; an unknown token revokes without error", async () => {
      const { server, sdk } = await local("off");
      const username = uniqueUsername("oli");
      await sdkSignUp(sdk, server, username);
      const tokens = await sdkPasswordSignIn(sdk, server, username);
      const { clientId } = cognitoIds(server);
      await sdk.send(new RevokeTokenCommand({ ClientId: clientId, Token: tokens.refreshToken }));
      const error = await refused(sdk.send(new InitiateAuthCommand({ ClientId: clientId, AuthFlow: "REFRESH_TOKEN_AUTH", AuthParameters: { REFRESH_TOKEN: tokens.refreshToken ?? "" } })));
      expect(error).toBeInstanceOf(NotAuthorizedException);
      await sdk.send(new RevokeTokenCommand({ ClientId: clientId, Token: "no-such-token" }));
    });

    it("signs out everywhere: after GlobalSignOut, GetUser refuses the access token and the refresh token refreshes no more", async () => {
      const { server, sdk } = await local("off");
      const username = uniqueUsername("pia");
      await sdkSignUp(sdk, server, username);
      const phone = await sdkPasswordSignIn(sdk, server, username);
      const laptop = await sdkPasswordSignIn(sdk, server, username);
      await sdk.send(new GlobalSignOutCommand({ AccessToken: laptop.accessToken }));
      for (const tokens of [phone, laptop]) {
        const error = await refused(sdk.send(new GetUserCommand({ AccessToken: tokens.accessToken })));
        expect(error).toBeInstanceOf(NotAuthorizedException);
        const refresh = await refused(
          sdk.send(new InitiateAuthCommand({ ClientId: cognitoIds(server).clientId, AuthFlow: "REFRESH_TOKEN_AUTH", AuthParameters: { REFRESH_TOKEN: tokens.refreshToken ?? "" } })),
        );
        expect(refresh).toBeInstanceOf(NotAuthorizedException);
      }
      // A new sign-in works as before.
      await sdk.send(new GetUserCommand({ AccessToken: (await sdkPasswordSignIn(sdk, server, username)).accessToken }));
    });

    it("GetUser refuses a token that is not an access token of this pool", async () => {
      const { server, sdk } = await local("off");
      const username = uniqueUsername("quin");
      await sdkSignUp(sdk, server, username);
      const tokens = await sdkPasswordSignIn(sdk, server, username);
      for (const token of [tokens.idToken, "not.a.token", tokens.accessToken.slice(0, -4) + "AAAA"]) {
        expect(await refused(sdk.send(new GetUserCommand({ AccessToken: token })))).toBeInstanceOf(NotAuthorizedException);
      }
    });
  });
}
