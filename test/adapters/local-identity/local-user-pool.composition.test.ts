/**
 * The local Cognito API as the local server composes it: one UserPool service beside the identity
 * provider it plays, named by LOCAL_USER_POOL_ID and LOCAL_CLIENT_ID, with scrypt and the flows
 * SECOND_FACTOR allows, its users and refresh grants in the configured storage (with DynamoDB they
 * survive a restart).
 */
import { apiServices } from "../../../src/composition/api-services.js";
import { describe, expect, it } from "vitest";
import { DynamoDbRefreshGrantStore } from "../../../src/adapters/dynamodb/dynamodb-refresh-grant-store.js";
import { InMemoryRefreshGrantStore } from "../../../src/adapters/in-memory/in-memory-refresh-grant-store.js";
import { LocalIdentityProvider } from "../../../src/adapters/local-identity/local-identity-provider.js";
import { LocalUserPool } from "../../../src/adapters/local-identity/local-user-pool.js";
import { authenticatorCatalog } from "../../../src/composition/authenticator-catalogs.js";
import { ConfigError, parseConfig } from "../../../src/composition/config.js";
import { buildContainer, resolve, Tokens } from "../../../src/composition/container.js";
import { cognitoIdentityProvider, withConfiguredIdentityProvider } from "../../../src/composition/identity-providers.js";
import { composeServices } from "../../../src/composition/services.js";
import type { UserPool } from "../../../src/ports/user-pool.js";
import { FakeIdentityProvider } from "../../support/fake-identity-provider.js";
import { decodeJwt } from "../../support/kit.js";
import { ManualClock } from "../../support/manual-clock.js";
import { useTestTables } from "../dynamodb/dynamodb-test-tables.js";
import { identityJsPool, IdentityJsUser } from "./identity-js-client.js";

const PASSWORD = "Correct-Horse-9";

describe("the local Cognito API in the composition", () => {
  it("is a service of the local server's container, on the same local identity provider, named by LOCAL_USER_POOL_ID and LOCAL_CLIENT_ID", async () => {
    const container = buildContainer(parseConfig({ LOCAL_USER_POOL_ID: "eu-west-1_MyPool7", LOCAL_CLIENT_ID: "myappclient" }), { clock: new ManualClock() });
    const pool = resolve(container, Tokens.userPool);
    const provider = resolve(container, Tokens.identityProvider);
    expect(pool).toBeInstanceOf(LocalUserPool);
    expect(provider).toBeInstanceOf(LocalIdentityProvider);
    expect({ userPoolId: pool.userPoolId, clientId: pool.clientId }).toEqual({ userPoolId: "eu-west-1_MyPool7", clientId: "myappclient" });
    expect(resolve(container, Tokens.refreshGrantStore)).toBeInstanceOf(InMemoryRefreshGrantStore);

    const signedUp = await pool.signUp({ clientId: "myappclient", username: "alice", password: PASSWORD, userAttributes: {} });
    expect(signedUp.ok).toBe(true);
    // The composition's scrypt: N = 2^15.
    expect((await resolve(container, Tokens.identityUserDirectory).find("alice"))?.password?.hash).toMatch(/^\$scrypt\$ln=15,r=8,p=1\$/);
    // SRP over the pool name "MyPool7", as a client configured with that pool id computes it.
    const signedIn = await new IdentityJsUser(identityJsPool(pool).cognitoPool, "alice").signIn("USER_SRP_AUTH", PASSWORD);
    if (signedIn.kind !== "tokens") throw new Error(JSON.stringify(signedIn));
    expect(decodeJwt(signedIn.session.getIdToken().getJwtToken()).payload).toMatchObject({ aud: "myappclient", "cognito:username": "alice" });
    expect(decodeJwt(signedIn.session.getAccessToken().getJwtToken()).payload).toMatchObject({ client_id: "myappclient" });
    expect(await provider.verifyIdToken(signedIn.session.getIdToken().getJwtToken())).toMatchObject({ ok: true });
  });

  it("defaults to the pool us-east-1_keyportlocal and the client keyportlocalclient, and refuses ids Cognito would not make", () => {
    expect(parseConfig({})).toMatchObject({ localUserPoolId: "us-east-1_keyportlocal", localClientId: "keyportlocalclient" });
    for (const userPoolId of ["keyportlocal", "us-east-1_", "us-east-1_key-port", "_keyport", "local_keyport", "us-east-1_a_b", " us-east-1_a"]) {
      expect(() => parseConfig({ LOCAL_USER_POOL_ID: userPoolId })).toThrow(ConfigError);
      expect(() => parseConfig({ LOCAL_USER_POOL_ID: userPoolId })).toThrow(/^LOCAL_USER_POOL_ID: /);
    }
    for (const clientId of ["has space", "a".repeat(129), "dash-ed"]) expect(() => parseConfig({ LOCAL_CLIENT_ID: clientId })).toThrow(/^LOCAL_CLIENT_ID: /);
    expect(parseConfig({ LOCAL_USER_POOL_ID: "ap-southeast-2_Ab12", LOCAL_CLIENT_ID: "a_b+c" })).toMatchObject({ localUserPoolId: "ap-southeast-2_Ab12", localClientId: "a_b+c" });
  });

  it("enables the flows SECOND_FACTOR allows", async () => {
    const container = buildContainer(parseConfig({ SECOND_FACTOR: "required" }), { clock: new ManualClock() });
    const pool = resolve(container, Tokens.userPool);
    expect(await pool.initiateAuth({ clientId: pool.clientId, authFlow: "USER_PASSWORD_AUTH", authParameters: { USERNAME: "a", PASSWORD } })).toEqual({
      ok: false,
      error: { type: "InvalidParameterException", message: "USER_PASSWORD_AUTH flow not enabled for this client" },
    });
  });

  it("is missing where Cognito answers its own API (IDENTITY_PROVIDER=cognito, the Lambda functions) and over a test double, and says so when read", () => {
    const config = parseConfig({ IDENTITY_PROVIDER: "cognito", AWS_REGION: "eu-west-1", COGNITO_USER_POOL_ID: "eu-west-1_Example", COGNITO_CLIENT_ID: "exampleclientid" });
    expect(() => composeServices(config, withConfiguredIdentityProvider(config, { apiServices, authenticatorCatalog })).userPool).toThrow(/^IDENTITY_PROVIDER: cognito has no local user pool in this composition$/);
    const lambdaLike = composeServices(config, { apiServices, identityProvider: cognitoIdentityProvider(config), authenticatorCatalog });
    expect(() => lambdaLike.userPool).toThrow(ConfigError);
    expect(() => lambdaLike.refreshGrantStore).toThrow(/^IDENTITY_PROVIDER: local has no refresh grant store in this composition$/);
    const local = parseConfig({});
    expect(() => composeServices(local, withConfiguredIdentityProvider(local, { identityProvider: () => new FakeIdentityProvider() })).userPool).toThrow(
      /^IDENTITY_PROVIDER: the local Cognito API needs the local identity provider$/,
    );
  });

  describe("on DynamoDB", () => {
    const tables = useTestTables();

    /** One run of the local server's composition on the test tables, as `npm start` with STORAGE=dynamodb. */
    function boot() {
      const { endpoint, sessionTable, credentialTable, eventTable } = tables();
      const config = parseConfig({ STORAGE: "dynamodb", DYNAMODB_ENDPOINT: endpoint, SESSION_TABLE: sessionTable, CREDENTIAL_TABLE: credentialTable, EVENT_TABLE: eventTable });
      const services = composeServices(config, withConfiguredIdentityProvider(config, { apiServices, authenticatorCatalog }));
      const pool = services.userPool;
        return { services, pool };
    }

    const tokens = async (pool: UserPool, username: string) => {
      const signedIn = await pool.initiateAuth({ clientId: pool.clientId, authFlow: "USER_PASSWORD_AUTH", authParameters: { USERNAME: username, PASSWORD } });
      if (!signedIn.ok || signedIn.value.kind !== "tokens") throw new Error(JSON.stringify(signedIn));
      return signedIn.value.authenticationResult;
    };

    it("keeps password users and refresh grants in the credential table: after a restart they sign in, and a refresh token refreshes", async () => {
      const first = boot();
      expect(first.services.refreshGrantStore).toBeInstanceOf(DynamoDbRefreshGrantStore);
      const username = `grace-${Date.now()}`;
      const signedUp = await first.pool.signUp({ clientId: first.pool.clientId, username, password: PASSWORD, userAttributes: { email: "grace@example.com" } });
      if (!signedUp.ok) throw new Error(signedUp.error.message);
      const before = await tokens(first.pool, username);
      const revokedLater = await tokens(first.pool, username);

      const second = boot();
      const srp = await new IdentityJsUser(identityJsPool(second.pool).cognitoPool, username).signIn("USER_SRP_AUTH", PASSWORD);
      if (srp.kind !== "tokens") throw new Error(JSON.stringify(srp));
      expect(decodeJwt(srp.session.getIdToken().getJwtToken()).payload).toMatchObject({ sub: signedUp.value.userSub, email: "grace@example.com" });

      const refreshed = await second.pool.getTokensFromRefreshToken({ clientId: second.pool.clientId, refreshToken: before.refreshToken ?? "" });
      if (!refreshed.ok) throw new Error(refreshed.error.message);
      expect(decodeJwt(refreshed.value.idToken).payload).toMatchObject({ sub: signedUp.value.userSub, origin_jti: decodeJwt(before.idToken).payload.origin_jti });
      expect((await second.pool.getTokensFromRefreshToken({ clientId: second.pool.clientId, refreshToken: before.refreshToken ?? "" })).ok).toBe(false);

      // A sign-out after the restart reaches a sign-in from before it.
      expect(await second.pool.revokeToken({ clientId: second.pool.clientId, token: revokedLater.refreshToken ?? "" })).toEqual({ ok: true, value: undefined });
      expect((await second.pool.getTokensFromRefreshToken({ clientId: second.pool.clientId, refreshToken: revokedLater.refreshToken ?? "" })).ok).toBe(false);
    });
  });
});
