/**
 * The local Cognito API's wire over a fake pool: the target, the content type, the body and its size
 * limit, how every exception travels (status, `__type`, `x-amzn-ErrorType`), faults masked, CORS for
 * browser apps, the route beside the demo page, and log lines without bodies. The AWS SDK itself reads
 * the answers back at the end, over a socket.
 */
import type { AddressInfo } from "node:net";
import { serve } from "@hono/node-server";
import {
  CognitoIdentityProviderClient,
  CognitoIdentityProviderServiceException,
  GetUserCommand,
  InitiateAuthCommand,
  InternalErrorException,
  InvalidParameterException,
  NotAuthorizedException,
  RevokeTokenCommand,
  SignUpCommand,
  UsernameExistsException,
} from "@aws-sdk/client-cognito-identity-provider";
import { describe, expect, it, onTestFinished } from "vitest";
import type { UserPoolErrorType } from "../../../src/ports/user-pool.js";
import { StorageUnavailableError } from "../../../src/ports/storage-unavailable-error.js";
import { appDependencies } from "../../../src/composition/http-app.js";
import { composeServices } from "../../../src/composition/services.js";
import { parseConfig } from "../../../src/composition/config.js";
import { authenticatorCatalog } from "../../../src/composition/authenticator-catalogs.js";
import { apiServices } from "../../../src/composition/api-services.js";
import { createHttpApiHandler } from "../../../src/handlers/lambda/http-api-handler.js";
import { COGNITO_API_REQUEST_HEADERS } from "../../../src/handlers/http/middleware/cors.js";
import type { StaticFiles } from "../../../src/handlers/http/static-files.js";
import { FakeIdentityProvider } from "../../support/fake-identity-provider.js";
import { apiGatewayEvent } from "../lambda/events.js";
import { AMZ_JSON, cognitoApp, ORIGIN, TARGET, type CognitoApiResponse } from "./support.js";

function expectException(response: CognitoApiResponse, type: string, status = 400): void {
  expect({ status: response.status, type: response.json?.__type, header: response.headers.get("x-amzn-errortype") }).toEqual({ status, type, header: type });
  expect(Object.keys(response.json).sort()).toEqual(["__type", "message"]);
}

const GET_USER = JSON.stringify({ AccessToken: "a.b.c" });

describe("local Cognito API: the request itself", () => {
  it("answers with Cognito's content type, its request id (the correlation id) and the safety headers", async () => {
    const { call } = cognitoApp();
    const response = await call("GetUser", { AccessToken: "a.b.c" }, { "X-Correlation-Id": "correlation-0001" });
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe(AMZ_JSON);
    expect(response.headers.get("x-amzn-requestid")).toBe("correlation-0001");
    expect(response.headers.get("x-correlation-id")).toBe("correlation-0001");
    expect(response.headers.get("x-content-type-options")).toBe("nosniff");
    expect(response.headers.get("cache-control")).toBe("no-store");
  });

  it.each([
    ["no X-Amz-Target", {}],
    ["an empty one", { "X-Amz-Target": "" }],
    ["another service's", { "X-Amz-Target": "DynamoDB_20120810.ListTables" }],
    ["the prefix alone", { "X-Amz-Target": TARGET }],
    ["an operation Cognito has and the local pool does not play", { "X-Amz-Target": `${TARGET}AdminInitiateAuth` }],
    ["an operation in the wrong letter case", { "X-Amz-Target": `${TARGET}initiateauth` }],
    ["a name from the object prototype", { "X-Amz-Target": `${TARGET}constructor` }],
  ])("UnknownOperationException for %s, naming the operations it plays", async (_what, headers) => {
    const { send, pool } = cognitoApp();
    const response = await send({ method: "POST", headers: { "Content-Type": AMZ_JSON, ...headers }, body: GET_USER });
    expectException(response, "UnknownOperationException");
    expect(response.json.message).toContain("SignUp, InitiateAuth, RespondToAuthChallenge, GetTokensFromRefreshToken, GetUser, RevokeToken, GlobalSignOut");
    expect(pool.calls).toEqual([]);
  });

  it("reads the target's header name in any letter case, as HTTP does", async () => {
    const { send } = cognitoApp();
    const response = await send({ method: "POST", headers: { "content-type": AMZ_JSON, "x-amz-target": `${TARGET}GetUser` }, body: GET_USER });
    expect(response.status).toBe(200);
  });

  it.each([
    ["no Content-Type", undefined],
    ["application/json", "application/json"],
    ["AWS JSON 1.0", "application/x-amz-json-1.0"],
    ["text/plain", "text/plain"],
    ["another charset", "application/x-amz-json-1.1; charset=latin1"],
    ["another parameter", "application/x-amz-json-1.1; version=2"],
  ])("SerializationException for %s", async (_what, contentType) => {
    const { send, pool } = cognitoApp();
    const headers: Record<string, string> = { "X-Amz-Target": `${TARGET}GetUser` };
    const body = contentType === undefined ? new Blob([GET_USER]) : GET_USER;
    if (contentType !== undefined) headers["Content-Type"] = contentType;
    const response = await send({ method: "POST", headers, body });
    expectException(response, "SerializationException");
    expect(response.json.message).toContain("application/x-amz-json-1.1");
    expect(pool.calls).toEqual([]);
  });

  it("accepts the 1.1 content type in any letter case, and with a UTF-8 charset", async () => {
    const { call } = cognitoApp();
    expect((await call("GetUser", GET_USER, { "Content-Type": "Application/X-Amz-Json-1.1" })).status).toBe(200);
    expect((await call("GetUser", GET_USER, { "Content-Type": "application/x-amz-json-1.1; charset=UTF-8" })).status).toBe(200);
  });

  it.each([
    ["not JSON", '{"AccessToken": "a.b.c",'],
    ["a JSON array", "[]"],
    ["a JSON string", '"text"'],
    ["JSON null", "null"],
    ["nested more than 32 levels", `{"AccessToken":"a","x":${"[".repeat(40)}${"]".repeat(40)}}`],
  ])("SerializationException for a body that is %s", async (_what, body) => {
    const { call, pool } = cognitoApp();
    expectException(await call("GetUser", body), "SerializationException");
    expect(pool.calls).toEqual([]);
  });

  it("reads an empty body as no members, as the SDK sends `{}` for no input", async () => {
    const { call, pool } = cognitoApp();
    const response = await call("GetUser", "");
    expectException(response, "InvalidParameterException");
    expect(response.json.message).toContain("'accessToken'");
    expect(pool.calls).toEqual([]);
  });

  it("refuses a body over 64 KiB, as the HTTP API does, and closes the connection", async () => {
    const { call, pool } = cognitoApp();
    const response = await call("SignUp", { ClientId: "c", Username: "ada", Password: "x".repeat(64 * 1024) });
    expectException(response, "RequestEntityTooLargeException", 413);
    expect(response.headers.get("connection")).toBe("close");
    expect(pool.calls).toEqual([]);
  });

  it("reads a body of exactly 64 KiB", async () => {
    const { call } = cognitoApp();
    const padding = 64 * 1024 - JSON.stringify({ AccessToken: "" }).length;
    expect((await call("GetUser", { AccessToken: "x".repeat(padding) })).status).toBe(200);
  });
});

describe("local Cognito API: the pool's exceptions, and faults", () => {
  const CLIENT_ERRORS: readonly UserPoolErrorType[] = [
    "InvalidParameterException",
    "NotAuthorizedException",
    "UsernameExistsException",
    "InvalidPasswordException",
    "UserNotFoundException",
    "ResourceNotFoundException",
    "TooManyRequestsException",
    "UnsupportedOperationException",
  ];

  it.each(CLIENT_ERRORS)("%s: 400, the name in __type and x-amzn-ErrorType, the pool's message as it is", async (type) => {
    const { call, pool } = cognitoApp();
    pool.fail("initiateAuth", { type, message: `why ${type}` });
    const response = await call("InitiateAuth", { ClientId: "c", AuthFlow: "USER_PASSWORD_AUTH", AuthParameters: {} });
    expectException(response, type);
    expect(response.json.message).toBe(`why ${type}`);
    expect(response.headers.get("content-type")).toBe(AMZ_JSON);
  });

  it("InternalErrorException from the pool: 500, logged, its message with the reference to the log line", async () => {
    const { call, pool, logs } = cognitoApp();
    pool.fail("getUser", { type: "InternalErrorException", message: "The local user pool's storage is unavailable; try again." });
    const response = await call("GetUser", { AccessToken: "a.b.c" }, { "X-Correlation-Id": "correlation-0002" });
    expectException(response, "InternalErrorException", 500);
    expect(response.json.message).toBe("The local user pool's storage is unavailable; try again (reference correlation-0002).");
    expect(logs).toContainEqual(expect.objectContaining({ level: "error", event: "user_pool_internal_error", correlationId: "correlation-0002", operation: "GetUser" }));
  });

  it("an exception name the port does not have is a bug: masked as InternalErrorException", async () => {
    const { call, pool } = cognitoApp();
    pool.answers.getUser = async () => ({ ok: false, error: { type: "SecretLeakException" as UserPoolErrorType, message: "the signing key is …" } });
    const response = await call("GetUser", { AccessToken: "a.b.c" }, { "X-Correlation-Id": "correlation-0004" });
    expectException(response, "InternalErrorException", 500);
    expect(response.json.message).toBe("Something went wrong on our side (reference correlation-0004).");
    expect(response.text).not.toContain("signing key");
  });

  it.each([
    ["an exception", new Error("connect ECONNREFUSED 10.0.0.7:8000 while reading user ada")],
    ["the store's named fault", new StorageUnavailableError("read user", true, new Error("throttled on table keyport-users"))],
    ["a thrown string", "boom"],
  ])("%s thrown by the pool: 500 InternalErrorException with the reference alone, logged once with the operation", async (_what, thrown) => {
    const { call, pool, logs } = cognitoApp();
    pool.answers.signUp = async () => {
      throw thrown;
    };
    const response = await call("SignUp", { ClientId: "c", Username: "ada", Password: "pw" }, { "X-Correlation-Id": "correlation-0003" });
    expectException(response, "InternalErrorException", 500);
    expect(response.json.message).toBe("Something went wrong on our side (reference correlation-0003).");
    expect(response.text).not.toMatch(/10\.0\.0\.7|keyport-users|boom/);
    const faults = logs.filter((entry) => entry.level === "error" && entry.correlationId === "correlation-0003" && entry.event !== "http_request");
    expect(faults).toHaveLength(1);
    expect(faults[0]).toMatchObject({ operation: "SignUp" });
  });
});

describe("local Cognito API: CORS for browser apps on the allowed origins", () => {
  const PREFLIGHT_HEADERS = "content-type,x-amz-target,x-amz-user-agent,amz-sdk-invocation-id,amz-sdk-request,cache-control";

  it("answers the preflight of the AWS SDK's and Amplify's POST, allowing every header they send", async () => {
    const { send } = cognitoApp();
    const response = await send({ method: "OPTIONS", headers: { Origin: ORIGIN, "Access-Control-Request-Method": "POST", "Access-Control-Request-Headers": PREFLIGHT_HEADERS } });
    expect(response.status).toBe(204);
    expect(response.headers.get("access-control-allow-origin")).toBe(ORIGIN);
    expect(response.headers.get("access-control-allow-methods")?.split(",")).toContain("POST");
    const allowed = (response.headers.get("access-control-allow-headers") ?? "").toLowerCase().split(",");
    for (const header of PREFLIGHT_HEADERS.split(",")) expect(allowed).toContain(header);
    expect(allowed).toEqual(COGNITO_API_REQUEST_HEADERS.map((header) => header.toLowerCase()));
    expect(response.headers.get("access-control-allow-credentials")).toBeNull();
  });

  it("lets the app read Cognito's error name and request id on the answer", async () => {
    const { call, pool } = cognitoApp();
    pool.fail("getUser", { type: "NotAuthorizedException", message: "Access Token has been revoked" });
    const response = await call("GetUser", { AccessToken: "a.b.c" }, { Origin: ORIGIN });
    expect(response.headers.get("access-control-allow-origin")).toBe(ORIGIN);
    expect(response.headers.get("access-control-expose-headers")?.toLowerCase().split(",")).toEqual(expect.arrayContaining(["x-amzn-requestid", "x-amzn-errortype"]));
  });

  it("names no origin that is not allowed", async () => {
    const { send, call } = cognitoApp();
    const preflight = await send({ method: "OPTIONS", headers: { Origin: "https://evil.example", "Access-Control-Request-Method": "POST" } });
    expect(preflight.headers.get("access-control-allow-origin")).toBeNull();
    const post = await call("GetUser", { AccessToken: "a.b.c" }, { Origin: "https://evil.example" });
    expect(post.headers.get("access-control-allow-origin")).toBeNull();
  });
});

describe("local Cognito API: the route", () => {
  const page: StaticFiles = { get: async () => ({ body: new TextEncoder().encode("<!doctype html>"), contentType: "text/html; charset=utf-8" }) };

  it("shares / with the demo page: GET is the page (same-origin only), POST the API, other methods 405 with both in Allow", async () => {
    const { send } = cognitoApp({ staticFiles: page });
    const get = await send({ method: "GET", headers: { Origin: ORIGIN } });
    expect({ status: get.status, type: get.headers.get("content-type"), cors: get.headers.get("access-control-allow-origin") }).toEqual({
      status: 200,
      type: "text/html; charset=utf-8",
      cors: null,
    });
    const put = await send({ method: "PUT", body: "{}" });
    expect({ status: put.status, code: put.json.error.code, allow: put.headers.get("allow") }).toEqual({ status: 405, code: "method_not_allowed", allow: "GET, HEAD, POST, OPTIONS" });
  });

  it("is not there without a user pool: POST / is the demo page's 405, or 404 without the page", async () => {
    const withPage = cognitoApp({ userPool: false, staticFiles: page });
    const refused = await withPage.call("GetUser", { AccessToken: "a.b.c" });
    expect({ status: refused.status, allow: refused.headers.get("allow") }).toEqual({ status: 405, allow: "GET, HEAD" });
    const bare = cognitoApp({ userPool: false });
    expect((await bare.call("GetUser", { AccessToken: "a.b.c" })).status).toBe(404);
    const preflight = await bare.send({ method: "OPTIONS", headers: { Origin: ORIGIN, "Access-Control-Request-Method": "POST" } });
    expect(preflight.headers.get("access-control-allow-origin")).toBeNull();
  });

  it("is not on the HTTP API's Lambda, whose app is given no user pool", async () => {
    const env = { RP_ID: "example.com", ALLOWED_ORIGINS: ORIGIN, STORAGE: "memory", IDENTITY_PROVIDER: "local" };
    const services = composeServices(parseConfig(env), { identityProvider: () => new FakeIdentityProvider(), authenticatorCatalog, apiServices });
    const deps = appDependencies(services);
    expect(deps.userPool).toBeUndefined();
    const handler = createHttpApiHandler(Promise.resolve(deps), { log: () => {} });
    const result = await handler(
      apiGatewayEvent("POST", "/", { body: GET_USER, headers: { "content-type": AMZ_JSON, "x-amz-target": `${TARGET}GetUser` } }),
    );
    expect(result.statusCode).toBe(404);
  });

  it("logs one line per request with the operation and the exception name, and never a body", async () => {
    const { call, pool, logs } = cognitoApp();
    pool.fail("initiateAuth", { type: "NotAuthorizedException", message: "Incorrect username or password." });
    await call("SignUp", { ClientId: "c", Username: "ada", Password: "hunter2-secret-password" });
    await call("InitiateAuth", { ClientId: "c", AuthFlow: "USER_PASSWORD_AUTH", AuthParameters: { USERNAME: "ada", PASSWORD: "hunter2-secret-password" } });
    await call("RevokeToken", { ClientId: "c", Token: "refresh-token-secret" });
    const lines = logs.filter((entry) => entry.event === "http_request");
    expect(lines.map(({ method, path, operation, status, code }) => ({ method, path, operation, status, code }))).toEqual([
      { method: "POST", path: "/", operation: "SignUp", status: 200, code: undefined },
      { method: "POST", path: "/", operation: "InitiateAuth", status: 400, code: "NotAuthorizedException" },
      { method: "POST", path: "/", operation: "RevokeToken", status: 200, code: undefined },
    ]);
    const written = JSON.stringify(logs);
    expect(written).not.toContain("hunter2");
    expect(written).not.toContain("refresh-token-secret");
  });

  it("logs no operation for a target it does not play (the header is the client's text)", async () => {
    const { send, logs } = cognitoApp();
    await send({ method: "POST", headers: { "Content-Type": AMZ_JSON, "X-Amz-Target": `${TARGET}Evil"Injection` }, body: "{}" });
    const [line] = logs.filter((entry) => entry.event === "http_request");
    expect(line).toMatchObject({ status: 400, code: "UnknownOperationException" });
    expect(line).not.toHaveProperty("operation");
  });
});

describe("local Cognito API: the AWS SDK v3 reads its answers", () => {
  async function sdkAgainst() {
    const setup = cognitoApp();
    const server = serve({ fetch: setup.app.fetch, port: 0, hostname: "127.0.0.1" });
    await new Promise<void>((resolve) => server.once("listening", () => resolve()));
    const { port } = server.address() as AddressInfo;
    const client = new CognitoIdentityProviderClient({
      endpoint: `http://127.0.0.1:${port}`,
      region: "us-east-1",
      credentials: { accessKeyId: "local", secretAccessKey: "local" },
      maxAttempts: 1,
    });
    onTestFinished(async () => {
      client.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    });
    return { ...setup, client };
  }

  it("as its own output types", async () => {
    const { client, pool } = await sdkAgainst();
    const signedUp = await client.send(new SignUpCommand({ ClientId: "c", Username: "ada", Password: "pw", UserAttributes: [{ Name: "email", Value: "ada@example.com" }] }));
    expect({ UserConfirmed: signedUp.UserConfirmed, UserSub: signedUp.UserSub }).toEqual({ UserConfirmed: true, UserSub: "sub-1" });
    const challenge = await client.send(new InitiateAuthCommand({ ClientId: "c", AuthFlow: "CUSTOM_AUTH", AuthParameters: { USERNAME: "ada" } }));
    expect(challenge).toMatchObject({ ChallengeName: "CUSTOM_CHALLENGE", Session: "session-value", ChallengeParameters: { credentialRequestOptions: '{"challenge":"abc"}' } });
    const user = await client.send(new GetUserCommand({ AccessToken: "a.b.c" }));
    expect(user).toMatchObject({ Username: "user-1", UserAttributes: [{ Name: "sub", Value: "sub-1" }, { Name: "email", Value: "ada@example.com" }] });
    await client.send(new RevokeTokenCommand({ ClientId: "c", Token: "r" }));
    expect(pool.calls.map((call) => call.method)).toEqual(["signUp", "initiateAuth", "getUser", "revokeToken"]);
    expect(pool.calls[0]?.input).toMatchObject({ userAttributes: { email: "ada@example.com" } });
  });

  it.each([
    ["NotAuthorizedException", NotAuthorizedException],
    ["UsernameExistsException", UsernameExistsException],
    ["InvalidParameterException", InvalidParameterException],
  ] as const)("%s as its own exception class, with the message", async (type, ExceptionClass) => {
    const { client, pool } = await sdkAgainst();
    pool.fail("initiateAuth", { type, message: `because ${type}` });
    const failed = await client.send(new InitiateAuthCommand({ ClientId: "c", AuthFlow: "USER_PASSWORD_AUTH", AuthParameters: {} })).catch((error: unknown) => error);
    expect(failed).toBeInstanceOf(ExceptionClass);
    expect(failed).toMatchObject({ name: type, message: `because ${type}`, $metadata: { httpStatusCode: 400 } });
  });

  it("InternalErrorException as its class, with the reference as its request id", async () => {
    const { client, pool } = await sdkAgainst();
    pool.answers.getUser = async () => {
      throw new Error("internal detail");
    };
    const failed = await client.send(new GetUserCommand({ AccessToken: "a.b.c" })).catch((error: unknown) => error);
    expect(failed).toBeInstanceOf(InternalErrorException);
    const { $metadata, message } = failed as InternalErrorException;
    expect($metadata.httpStatusCode).toBe(500);
    expect(message).toBe(`Something went wrong on our side (reference ${$metadata.requestId}).`);
  });

  it("a flow the local pool does not play as InvalidParameterException, the pool not asked", async () => {
    const { client, pool } = await sdkAgainst();
    const failed = await client.send(new InitiateAuthCommand({ ClientId: "c", AuthFlow: "ADMIN_NO_SRP_AUTH", AuthParameters: {} })).catch((error: unknown) => error);
    expect(failed).toBeInstanceOf(InvalidParameterException);
    expect(failed).toBeInstanceOf(CognitoIdentityProviderServiceException);
    expect(pool.calls).toEqual([]);
  });
});
