/**
 * The local Cognito API's operations over a fake pool: each decodes Cognito's request into the port's
 * input, calls the one port method, and writes the answer in Cognito's shapes; a body that does not
 * decode is refused as InvalidParameterException before the pool is asked anything.
 */
import { describe, expect, it } from "vitest";
import { PASSKEY_CHALLENGE, TOKENS } from "./fake-user-pool.js";
import { cognitoApp, type CognitoApiResponse } from "./support.js";

function expectException(response: CognitoApiResponse, type: string, status = 400): void {
  expect({ status: response.status, type: response.json?.__type, header: response.headers.get("x-amzn-errortype") }).toEqual({ status, type, header: type });
  expect(Object.keys(response.json).sort()).toEqual(["__type", "message"]);
  expect(response.json.message.length).toBeGreaterThan(0);
}

describe("local Cognito API: each operation calls its port method and answers in Cognito's shapes", () => {
  it("SignUp: the user's attributes as a map, the answer UserConfirmed and UserSub", async () => {
    const { call, pool } = cognitoApp();
    const response = await call("SignUp", {
      ClientId: "keyportlocalclient",
      Username: "ada",
      Password: "correct horse battery staple",
      UserAttributes: [
        { Name: "email", Value: "ada@example.com" },
        { Name: "name", Value: "Ada" },
      ],
      ClientMetadata: { app: "demo" },
      ValidationData: [{ Name: "ignored", Value: "x" }],
    });
    expect({ status: response.status, json: response.json }).toEqual({ status: 200, json: { UserConfirmed: true, UserSub: "sub-1" } });
    expect(pool.calls).toEqual([
      {
        method: "signUp",
        input: {
          clientId: "keyportlocalclient",
          username: "ada",
          password: "correct horse battery staple",
          userAttributes: { email: "ada@example.com", name: "Ada" },
          clientMetadata: { app: "demo" },
        },
      },
    ]);
  });

  it("SignUp without UserAttributes gives the pool none, and leaves out ClientMetadata it was not sent", async () => {
    const { call, pool } = cognitoApp();
    expect((await call("SignUp", { ClientId: "c", Username: "ada", Password: "pw", ClientMetadata: null })).status).toBe(200);
    expect(pool.calls[0]?.input).toEqual({ clientId: "c", username: "ada", password: "pw", userAttributes: {} });
  });

  it("SignUp reads an attribute without Value as the empty string", async () => {
    const { call, pool } = cognitoApp();
    await call("SignUp", { ClientId: "c", Username: "ada", Password: "pw", UserAttributes: [{ Name: "nickname" }] });
    expect(pool.calls[0]?.input).toMatchObject({ userAttributes: { nickname: "" } });
  });

  it("InitiateAuth: a challenge as ChallengeName, Session and ChallengeParameters", async () => {
    const { call, pool } = cognitoApp();
    const response = await call("InitiateAuth", {
      ClientId: "c",
      AuthFlow: "CUSTOM_AUTH",
      AuthParameters: { USERNAME: "ada", SRP_A: "abc", CHALLENGE_NAME: "SRP_A" },
      ClientMetadata: { k: "v" },
      AnalyticsMetadata: { AnalyticsEndpointId: "ignored" },
      UserContextData: { EncodedData: "ignored" },
    });
    expect(response.status).toBe(200);
    expect(response.json).toEqual({ ChallengeName: "CUSTOM_CHALLENGE", Session: "session-value", ChallengeParameters: PASSKEY_CHALLENGE.kind === "challenge" ? PASSKEY_CHALLENGE.challengeParameters : {} });
    expect(pool.calls).toEqual([
      { method: "initiateAuth", input: { clientId: "c", authFlow: "CUSTOM_AUTH", authParameters: { USERNAME: "ada", SRP_A: "abc", CHALLENGE_NAME: "SRP_A" }, clientMetadata: { k: "v" } } },
    ]);
  });

  it("InitiateAuth: tokens as AuthenticationResult, beside empty ChallengeParameters as Cognito sends them", async () => {
    const { call, pool } = cognitoApp();
    pool.answers.initiateAuth = async () => ({ ok: true, value: { kind: "tokens", authenticationResult: TOKENS } });
    const response = await call("InitiateAuth", { ClientId: "c", AuthFlow: "USER_PASSWORD_AUTH", AuthParameters: { USERNAME: "ada", PASSWORD: "pw" } });
    expect(response.json).toEqual({
      AuthenticationResult: { AccessToken: "access.token.value", IdToken: "id.token.value", RefreshToken: "refresh-token-value", ExpiresIn: 3600, TokenType: "Bearer" },
      ChallengeParameters: {},
    });
  });

  it("InitiateAuth: a refresh without rotation answers no RefreshToken at all", async () => {
    const { call, pool } = cognitoApp();
    const { refreshToken: _dropped, ...withoutRefresh } = TOKENS;
    pool.answers.initiateAuth = async () => ({ ok: true, value: { kind: "tokens", authenticationResult: withoutRefresh } });
    const response = await call("InitiateAuth", { ClientId: "c", AuthFlow: "REFRESH_TOKEN_AUTH", AuthParameters: { REFRESH_TOKEN: "r" } });
    expect(Object.keys(response.json.AuthenticationResult).sort()).toEqual(["AccessToken", "ExpiresIn", "IdToken", "TokenType"]);
  });

  it.each(["USER_SRP_AUTH", "USER_PASSWORD_AUTH", "CUSTOM_AUTH", "REFRESH_TOKEN_AUTH", "REFRESH_TOKEN"])("InitiateAuth passes the flow %s on", async (flow) => {
    const { call, pool } = cognitoApp();
    expect((await call("InitiateAuth", { ClientId: "c", AuthFlow: flow, AuthParameters: {} })).status).toBe(200);
    expect(pool.calls[0]?.input).toMatchObject({ authFlow: flow });
  });

  it("keeps every key of a map and every attribute name as the client sent it, __proto__ and constructor included", async () => {
    const { call, pool } = cognitoApp();
    await call("InitiateAuth", '{"ClientId":"c","AuthFlow":"CUSTOM_AUTH","AuthParameters":{"USERNAME":"ada","__proto__":"x","constructor":"y"}}');
    const parameters = (pool.calls[0]?.input as { authParameters: Record<string, string> }).authParameters;
    expect(Object.entries(parameters)).toEqual([["USERNAME", "ada"], ["__proto__", "x"], ["constructor", "y"]]);
    await call("SignUp", { ClientId: "c", Username: "ada", Password: "pw", UserAttributes: [{ Name: "__proto__", Value: "x" }] });
    expect(Object.entries((pool.calls[1]?.input as { userAttributes: Record<string, string> }).userAttributes)).toEqual([["__proto__", "x"]]);
  });

  it("InitiateAuth without AuthParameters gives the pool an empty map", async () => {
    const { call, pool } = cognitoApp();
    await call("InitiateAuth", { ClientId: "c", AuthFlow: "CUSTOM_AUTH" });
    expect(pool.calls[0]?.input).toEqual({ clientId: "c", authFlow: "CUSTOM_AUTH", authParameters: {} });
  });

  it.each(["PASSWORD_VERIFIER", "CUSTOM_CHALLENGE"])("RespondToAuthChallenge passes %s, its session and answers on, and answers tokens", async (challengeName) => {
    const { call, pool } = cognitoApp();
    const response = await call("RespondToAuthChallenge", {
      ClientId: "c",
      ChallengeName: challengeName,
      Session: "s",
      ChallengeResponses: { USERNAME: "ada", ANSWER: '{"id":"x"}' },
      ClientMetadata: { k: "v" },
    });
    expect(response.json).toEqual({
      AuthenticationResult: { AccessToken: "access.token.value", IdToken: "id.token.value", RefreshToken: "refresh-token-value", ExpiresIn: 3600, TokenType: "Bearer" },
      ChallengeParameters: {},
    });
    expect(pool.calls).toEqual([
      { method: "respondToAuthChallenge", input: { clientId: "c", challengeName, session: "s", challengeResponses: { USERNAME: "ada", ANSWER: '{"id":"x"}' }, clientMetadata: { k: "v" } } },
    ]);
  });

  it("RespondToAuthChallenge answers a further challenge as InitiateAuth does", async () => {
    const { call, pool } = cognitoApp();
    pool.answers.respondToAuthChallenge = async () => ({ ok: true, value: PASSKEY_CHALLENGE });
    const response = await call("RespondToAuthChallenge", { ClientId: "c", ChallengeName: "PASSWORD_VERIFIER", Session: "s", ChallengeResponses: {} });
    expect(response.json).toMatchObject({ ChallengeName: "CUSTOM_CHALLENGE", Session: "session-value" });
  });

  it("GetTokensFromRefreshToken (Amplify v6's refresh): the refresh token on, the tokens as AuthenticationResult", async () => {
    const { call, pool } = cognitoApp();
    const response = await call("GetTokensFromRefreshToken", { ClientId: "c", RefreshToken: "r", ClientMetadata: { k: "v" }, DeviceKey: "ignored", ClientSecret: "ignored" });
    expect(response.json).toEqual({
      AuthenticationResult: { AccessToken: "access.token.value", IdToken: "id.token.value", RefreshToken: "refresh-token-value", ExpiresIn: 3600, TokenType: "Bearer" },
    });
    expect(pool.calls).toEqual([{ method: "getTokensFromRefreshToken", input: { clientId: "c", refreshToken: "r", clientMetadata: { k: "v" } } }]);
  });

  it("GetUser: Username and the attributes as [{ Name, Value }]", async () => {
    const { call, pool } = cognitoApp();
    const response = await call("GetUser", { AccessToken: "a.b.c" });
    expect(response.json).toEqual({
      Username: "user-1",
      UserAttributes: [
        { Name: "sub", Value: "sub-1" },
        { Name: "email", Value: "ada@example.com" },
      ],
    });
    expect(pool.calls).toEqual([{ method: "getUser", input: { accessToken: "a.b.c" } }]);
  });

  it("RevokeToken and GlobalSignOut answer an empty object", async () => {
    const { call, pool } = cognitoApp();
    expect((await call("RevokeToken", { ClientId: "c", Token: "r" })).json).toEqual({});
    expect((await call("GlobalSignOut", { AccessToken: "a.b.c" })).json).toEqual({});
    expect(pool.calls).toEqual([
      { method: "revokeToken", input: { clientId: "c", token: "r" } },
      { method: "globalSignOut", input: { accessToken: "a.b.c" } },
    ]);
  });
});

describe("local Cognito API: members missing or of the wrong type are InvalidParameterException, and the pool is not asked", () => {
  const valid = {
    SignUp: { ClientId: "c", Username: "ada", Password: "pw" },
    InitiateAuth: { ClientId: "c", AuthFlow: "CUSTOM_AUTH", AuthParameters: { USERNAME: "ada" } },
    RespondToAuthChallenge: { ClientId: "c", ChallengeName: "CUSTOM_CHALLENGE", Session: "s", ChallengeResponses: { USERNAME: "ada", ANSWER: "{}" } },
    GetTokensFromRefreshToken: { ClientId: "c", RefreshToken: "r" },
    GetUser: { AccessToken: "a.b.c" },
    RevokeToken: { ClientId: "c", Token: "r" },
    GlobalSignOut: { AccessToken: "a.b.c" },
  } as const;

  const required = Object.entries({
    SignUp: ["ClientId", "Username", "Password"],
    InitiateAuth: ["ClientId", "AuthFlow"],
    RespondToAuthChallenge: ["ClientId", "ChallengeName", "Session"],
    GetTokensFromRefreshToken: ["ClientId", "RefreshToken"],
    GetUser: ["AccessToken"],
    RevokeToken: ["ClientId", "Token"],
    GlobalSignOut: ["AccessToken"],
  }).flatMap(([operation, members]) => members.map((name) => [operation as keyof typeof valid, name] as const));

  it.each(required)("%s without %s, or with it null, says which member, as Cognito words it", async (operation, name) => {
    const { call, pool } = cognitoApp();
    const { [name as keyof (typeof valid)[typeof operation]]: _left, ...without } = valid[operation];
    for (const body of [without, { ...without, [name]: null }]) {
      const response = await call(operation, body);
      expectException(response, "InvalidParameterException");
      const camel = `${name.charAt(0).toLowerCase()}${name.slice(1)}`;
      expect(response.json.message).toBe(`1 validation error detected: Value null at '${camel}' failed to satisfy constraint: Member must not be null`);
    }
    expect(pool.calls).toEqual([]);
  });

  it.each(required)("%s with %s that is not a string", async (operation, name) => {
    const { call, pool } = cognitoApp();
    for (const value of [5, true, ["x"], { S: "x" }]) {
      const response = await call(operation, { ...valid[operation], [name]: value });
      expectException(response, "InvalidParameterException");
      expect(response.json.message).toContain(`at '${name.charAt(0).toLowerCase()}${name.slice(1)}'`);
    }
    expect(pool.calls).toEqual([]);
  });

  it.each([
    ["InitiateAuth", "AuthParameters"],
    ["InitiateAuth", "ClientMetadata"],
    ["RespondToAuthChallenge", "ChallengeResponses"],
    ["RespondToAuthChallenge", "ClientMetadata"],
    ["SignUp", "ClientMetadata"],
    ["GetTokensFromRefreshToken", "ClientMetadata"],
  ] as const)("%s with %s that is not a map of strings", async (operation, name) => {
    const { call, pool } = cognitoApp();
    for (const value of ["text", 5, ["a"], { key: 5 }, { key: null }, { key: { nested: "x" } }]) {
      const response = await call(operation, { ...valid[operation], [name]: value });
      expectException(response, "InvalidParameterException");
      expect(response.json.message).toContain("Member must be a map of strings to strings");
    }
    expect(pool.calls).toEqual([]);
  });

  it.each([
    ["not a list", { Name: "email", Value: "x" }],
    ["an entry that is not an object", ["email"]],
    ["an entry without Name", [{ Value: "x" }]],
    ["a Name that is not a string", [{ Name: 5, Value: "x" }]],
    ["a Value that is not a string", [{ Name: "email", Value: 5 }]],
    ["a name given twice", [{ Name: "email", Value: "a@example.com" }, { Name: "email", Value: "b@example.com" }]],
  ])("SignUp with UserAttributes that are %s", async (_what, attributes) => {
    const { call, pool } = cognitoApp();
    const response = await call("SignUp", { ...valid.SignUp, UserAttributes: attributes });
    expectException(response, "InvalidParameterException");
    expect(response.json.message).toContain("'userAttributes");
    expect(pool.calls).toEqual([]);
  });

  it.each(["ADMIN_NO_SRP_AUTH", "ADMIN_USER_PASSWORD_AUTH", "USER_AUTH", "custom_auth", ""])("InitiateAuth with AuthFlow %j, which the local pool does not play", async (flow) => {
    const { call, pool } = cognitoApp();
    const response = await call("InitiateAuth", { ...valid.InitiateAuth, AuthFlow: flow });
    expectException(response, "InvalidParameterException");
    expect(response.json.message).toContain("Member must satisfy enum value set: [USER_SRP_AUTH, USER_PASSWORD_AUTH, CUSTOM_AUTH, REFRESH_TOKEN_AUTH, REFRESH_TOKEN]");
    expect(pool.calls).toEqual([]);
  });

  it.each(["SMS_MFA", "NEW_PASSWORD_REQUIRED", "WEB_AUTHN", "SELECT_CHALLENGE", "DEVICE_SRP_AUTH"])("RespondToAuthChallenge with ChallengeName %s, which the local pool does not play", async (name) => {
    const { call, pool } = cognitoApp();
    const response = await call("RespondToAuthChallenge", { ...valid.RespondToAuthChallenge, ChallengeName: name });
    expectException(response, "InvalidParameterException");
    expect(response.json.message).toContain("[PASSWORD_VERIFIER, CUSTOM_CHALLENGE]");
    expect(pool.calls).toEqual([]);
  });

  it("tells of the first problem only, in the order of the members", async () => {
    const { call } = cognitoApp();
    const response = await call("InitiateAuth", { AuthFlow: "NOPE", AuthParameters: "x" });
    expect(response.json.message).toContain("'clientId'");
  });
});
