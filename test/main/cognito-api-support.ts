/**
 * What the real-client tests of the local Cognito API share: `npm start`'s server (startServer on a
 * free port) on memory and, when the run has DynamoDB Local, on DynamoDB, one per second-factor policy;
 * the AWS SDK v3 client pointed at it; the SRP arithmetic of amazon-cognito-identity-js (a real client's,
 * for the SDK, which has none); and keyport's HTTP API for adding a passkey with an ID token.
 */
import { createHmac, randomBytes } from "node:crypto";
import { DeleteTableCommand } from "@aws-sdk/client-dynamodb";
import {
  CognitoIdentityProviderClient,
  InitiateAuthCommand,
  RespondToAuthChallengeCommand,
  SignUpCommand,
  type AuthenticationResultType,
} from "@aws-sdk/client-cognito-identity-provider";
import * as identityJs from "amazon-cognito-identity-js";
import { afterAll, expect, inject } from "vitest";
import { startServer, type RunningServer } from "../../src/composition/local-server.js";
import { resolve, Tokens } from "../../src/composition/container.js";
import { LocalIdentityProvider } from "../../src/adapters/local-identity/local-identity-provider.js";
import { silentLog } from "../../src/handlers/http/log.js";
import type { PublicKeyCredentialRequestOptionsJSON } from "../../src/domain/encoding/webauthn-json.js";
import { localClient } from "../support/dynamodb-local.js";
import type { AssertionTamper, SoftwareAuthenticator } from "../support/software-authenticator.js";
import { addPasskey, ApiClient, ORIGIN, TEST_ENV } from "../handlers/http/harness.js";
import type {} from "../support/dynamodb-global-setup.js";

export { ORIGIN };

export type Policy = "off" | "if-enrolled" | "required";

export interface Storage {
  readonly name: "memory" | "dynamodb";
  readonly env: Readonly<Record<string, string>>;
}

const endpoint = inject("dynamoDbEndpoint");

/** Memory always; DynamoDB Local when the run has it, on tables of this file's own. */
export function storages(prefix: string): readonly Storage[] {
  const suffix = randomBytes(6).toString("hex");
  const tables = { SESSION_TABLE: `${prefix}-sessions-${suffix}`, CREDENTIAL_TABLE: `${prefix}-credentials-${suffix}`, EVENT_TABLE: `${prefix}-events-${suffix}` };
  if (endpoint === undefined) return [{ name: "memory", env: {} }];
  afterAll(async () => {
    const client = localClient(endpoint);
    try {
      await Promise.all(Object.values(tables).map((TableName) => client.send(new DeleteTableCommand({ TableName })).catch(() => undefined)));
    } finally {
      client.destroy();
    }
  }, 60_000);
  return [
    { name: "memory", env: {} },
    { name: "dynamodb", env: { STORAGE: "dynamodb", DYNAMODB_ENDPOINT: endpoint, ...tables } },
  ];
}

/** A local server and an AWS SDK v3 client pointed at it. */
export interface Local {
  readonly server: RunningServer;
  readonly sdk: CognitoIdentityProviderClient;
}

/**
 * `npm start` on `storage`, one server per policy, each with an SDK client, started when first asked for
 * and stopped after the file. Call at collection time (the cleanup is registered then).
 */
export function servers(storage: Storage): (policy: Policy) => Promise<Local> {
  const started = new Map<Policy, Promise<Local>>();
  afterAll(async () => {
    await Promise.all(
      [...started.values()].map(async (local) => {
        const { server, sdk } = await local;
        sdk.destroy();
        await server.close();
      }),
    );
  });
  return (policy) => {
    let local = started.get(policy);
    if (local === undefined) {
      local = startServer({ ...TEST_ENV, ...storage.env, SECOND_FACTOR: policy, PORT: "0" }, { log: silentLog, serveStatic: false }).then((server) => ({
        server,
        sdk: sdkClient(server.url),
      }));
      started.set(policy, local);
    }
    return local;
  };
}

/** The AWS SDK v3 client, pointed at the local server as an app would point it (dummy credentials; none is needed). */
export function sdkClient(url: string): CognitoIdentityProviderClient {
  return new CognitoIdentityProviderClient({
    endpoint: url,
    region: "us-east-1",
    credentials: { accessKeyId: "local", secretAccessKey: "local" },
    // An expected failure must fail at once; a 500 would otherwise be retried.
    maxAttempts: 1,
  });
}

export function cognitoIds(server: RunningServer): { readonly userPoolId: string; readonly clientId: string } {
  const ids = server.cognitoApi;
  if (ids === null) throw new Error("the server has no local Cognito API");
  return ids;
}

/** A password Cognito's default policy accepts. */
export const PASSWORD = "Correct-Horse-9-Battery";

export const uniqueUsername = (name: string): string => `${name}-${randomBytes(4).toString("hex")}`;

export async function sdkSignUp(client: CognitoIdentityProviderClient, server: RunningServer, username: string, password = PASSWORD, email = `${username}@example.com`) {
  return client.send(new SignUpCommand({ ClientId: cognitoIds(server).clientId, Username: username, Password: password, UserAttributes: [{ Name: "email", Value: email }] }));
}

/** The tokens of an AuthenticationResult, each there. */
export function tokensOf(result: AuthenticationResultType | undefined): { accessToken: string; idToken: string; refreshToken: string | undefined } {
  const accessToken = result?.AccessToken;
  const idToken = result?.IdToken;
  if (accessToken === undefined || idToken === undefined) throw new Error(`no tokens in ${JSON.stringify(result)}`);
  expect(result).toMatchObject({ TokenType: "Bearer", ExpiresIn: expect.any(Number) });
  return { accessToken, idToken, refreshToken: result?.RefreshToken };
}

export async function sdkPasswordSignIn(client: CognitoIdentityProviderClient, server: RunningServer, username: string, password = PASSWORD) {
  const answer = await client.send(
    new InitiateAuthCommand({ ClientId: cognitoIds(server).clientId, AuthFlow: "USER_PASSWORD_AUTH", AuthParameters: { USERNAME: username, PASSWORD: password } }),
  );
  return tokensOf(answer.AuthenticationResult);
}

/** keyport's HTTP API on the same server, for adding a passkey with an ID token. */
export function keyportApi(server: RunningServer): ApiClient {
  return new ApiClient((path, init) => fetch(`${server.url}${path}`, init));
}

/** A signed-in user adds a passkey: POST /registration/start-verified and /registration/finish with the ID token. */
export async function addPasskeyWith(server: RunningServer, idToken: string, authenticator: SoftwareAuthenticator): Promise<string> {
  const { credentialId } = await addPasskey(keyportApi(server), idToken, authenticator);
  return credentialId;
}

/**
 * The passkey challenge's request options, as keyport's Create trigger publishes them: JSON text in the
 * `credentialRequestOptions` challenge parameter.
 */
export function requestOptionsOf(challengeParameters: Readonly<Record<string, string>> | undefined): PublicKeyCredentialRequestOptionsJSON {
  const text = challengeParameters?.credentialRequestOptions;
  if (text === undefined) throw new Error(`no credentialRequestOptions in ${JSON.stringify(challengeParameters)}`);
  return JSON.parse(text) as PublicKeyCredentialRequestOptionsJSON;
}

/** The custom challenge's answer: the authenticator's assertion (an AuthenticationResponseJSON), as JSON text. */
export function passkeyAnswer(authenticator: SoftwareAuthenticator, challengeParameters: Readonly<Record<string, string>> | undefined, tamper?: AssertionTamper): string {
  return JSON.stringify(authenticator.getAssertion(requestOptionsOf(challengeParameters), { origin: ORIGIN, tamper }));
}

/** The jsbn BigInteger amazon-cognito-identity-js computes with, as far as these tests need it. */
interface ClientBigInteger {
  toString(radix: number): string;
}
type ClientBigIntegerClass = new (hex: string, radix: number) => ClientBigInteger;

/** amazon-cognito-identity-js's SRP helper (not in its typings): its callback API. */
interface IdentityJsHelper {
  readonly N: ClientBigInteger & { constructor: ClientBigIntegerClass };
  getLargeAValue(callback: (error: unknown, a: ClientBigInteger) => void): void;
  getPasswordAuthenticationKey(username: string, password: string, b: ClientBigInteger, salt: ClientBigInteger, callback: (error: unknown, key: Uint8Array) => void): void;
}

/** The two classes the SRP takes from amazon-cognito-identity-js: exported by it, but not in its typings. */
const { AuthenticationHelper, DateHelper } = identityJs as unknown as {
  readonly AuthenticationHelper: new (poolName: string) => IdentityJsHelper;
  readonly DateHelper: new () => { getNowString(): string };
};

/**
 * The client's half of Cognito's SRP as amazon-cognito-identity-js's CognitoUser computes it, for the
 * AWS SDK, which leaves SRP to the app: `srpA` for InitiateAuth, then the PASSWORD_VERIFIER answer.
 */
export async function srpClient(userPoolId: string) {
  const poolName = userPoolId.slice(userPoolId.indexOf("_") + 1);
  const helper = new AuthenticationHelper(poolName);
  const BigInteger = helper.N.constructor;
  const a = await new Promise<ClientBigInteger>((resolve, reject) => helper.getLargeAValue((error, value) => (error ? reject(error) : resolve(value))));
  return {
    srpA: a.toString(16),
    async answer(challengeParameters: Readonly<Record<string, string>> | undefined, password: string): Promise<Record<string, string>> {
      const { USER_ID_FOR_SRP: username = "", SRP_B: b = "", SALT: salt = "", SECRET_BLOCK: secretBlock = "" } = challengeParameters ?? {};
      const key = await new Promise<Uint8Array>((resolve, reject) =>
        helper.getPasswordAuthenticationKey(username, password, new BigInteger(b, 16), new BigInteger(salt, 16), (error, value) => (error ? reject(error) : resolve(value))),
      );
      const timestamp = new DateHelper().getNowString();
      const signature = createHmac("sha256", key)
        .update(Buffer.concat([Buffer.from(poolName), Buffer.from(username), Buffer.from(secretBlock, "base64"), Buffer.from(timestamp)]))
        .digest("base64");
      return { USERNAME: username, PASSWORD_CLAIM_SECRET_BLOCK: secretBlock, PASSWORD_CLAIM_SIGNATURE: signature, TIMESTAMP: timestamp };
    },
  };
}

/**
 * Password then passkey through the SDK: CUSTOM_AUTH started with SRP_A, the PASSWORD_VERIFIER answered,
 * and whatever comes next (the passkey challenge, tokens, or the refusal the SDK throws).
 */
export async function sdkCustomAuthWithSrp(client: CognitoIdentityProviderClient, server: RunningServer, username: string, password = PASSWORD) {
  const { userPoolId, clientId } = cognitoIds(server);
  const srp = await srpClient(userPoolId);
  const started = await client.send(
    new InitiateAuthCommand({ ClientId: clientId, AuthFlow: "CUSTOM_AUTH", AuthParameters: { USERNAME: username, SRP_A: srp.srpA, CHALLENGE_NAME: "SRP_A" } }),
  );
  expect(started.ChallengeName).toBe("PASSWORD_VERIFIER");
  return client.send(
    new RespondToAuthChallengeCommand({
      ClientId: clientId,
      ChallengeName: "PASSWORD_VERIFIER",
      Session: started.Session,
      ChallengeResponses: await srp.answer(started.ChallengeParameters, password),
    }),
  );
}

/**
 * A password user's tokens taken from the local identity provider behind the API, for the one case no
 * client can sign in: SECOND_FACTOR=required and no passkey yet (how such a user enrols is the app's
 * business: an administrator, a passkey sign-up, or a pool with a laxer policy).
 */
export async function tokensBehindTheApi(server: RunningServer, username: string): Promise<{ idToken: string }> {
  const provider = resolve(server.container, Tokens.identityProvider);
  if (!(provider instanceof LocalIdentityProvider)) throw new Error("not the local identity provider");
  const user = await provider.users.find(username);
  if (user === null) throw new Error(`no user ${username}`);
  return provider.signIn(user);
}
