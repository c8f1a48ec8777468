/**
 * Events as AWS delivers them to keyport's functions: API Gateway HTTP API payload format 2.0, and
 * Cognito's custom-authentication triggers (fields as the Cognito developer guide documents them).
 */
import type { ApiGatewayV2Event } from "../../../src/handlers/lambda/http-api-handler.js";
import type { CustomChallengeResult } from "../../../src/domain/custom-challenge/custom-challenge.js";
import type { CreateAuthChallengeEvent, DefineAuthChallengeEvent, VerifyAuthChallengeResponseEvent } from "../../../src/ports/custom-challenge-triggers.js";

export function apiGatewayEvent(
  method: string,
  path: string,
  options: { body?: string; headers?: Record<string, string>; base64?: boolean } = {},
): ApiGatewayV2Event {
  const body = options.body === undefined ? null : options.base64 === true ? Buffer.from(options.body).toString("base64") : options.body;
  return {
    version: "2.0",
    routeKey: "$default",
    rawPath: path,
    rawQueryString: "",
    headers: {
      host: "abc123.execute-api.eu-west-1.amazonaws.com",
      "user-agent": "vitest",
      "x-forwarded-proto": "https",
      ...(body === null ? {} : { "content-length": String(Buffer.byteLength(options.body ?? "")) }),
      ...options.headers,
    },
    requestContext: {
      accountId: "123456789012",
      apiId: "abc123",
      authentication: null,
      authorizer: {},
      domainName: "abc123.execute-api.eu-west-1.amazonaws.com",
      domainPrefix: "abc123",
      http: { method, path, protocol: "HTTP/1.1", sourceIp: "192.0.2.1", userAgent: "vitest" },
      requestId: "JKJaXmPLvHcESHA=",
      routeKey: "$default",
      stage: "$default",
      time: "22/Nov/2026:05:00:00 +0000",
      timeEpoch: 1_795_237_200_000,
    },
    body,
    isBase64Encoded: options.base64 === true,
  };
}

const base = (userName: string) => ({
  version: "1",
  region: "eu-west-1",
  userPoolId: "eu-west-1_Example",
  userName,
  callerContext: { awsSdkVersion: "aws-sdk-unknown-unknown", clientId: "exampleclientid" },
});

export function defineEvent(userName: string, session: CustomChallengeResult[], userNotFound = false): DefineAuthChallengeEvent {
  return { ...base(userName), triggerSource: "DefineAuthChallenge_Authentication", request: { userAttributes: {}, session, userNotFound }, response: {} };
}

export function createEvent(userName: string, userNotFound = false): CreateAuthChallengeEvent {
  return {
    ...base(userName),
    triggerSource: "CreateAuthChallenge_Authentication",
    request: { userAttributes: {}, challengeName: "CUSTOM_CHALLENGE", session: [], userNotFound },
    response: {},
  };
}

export function verifyEvent(
  userName: string,
  privateChallengeParameters: Record<string, string>,
  challengeAnswer: string,
  userNotFound = false,
  clientMetadata?: Record<string, string>,
): VerifyAuthChallengeResponseEvent {
  return {
    ...base(userName),
    triggerSource: "VerifyAuthChallengeResponse_Authentication",
    request: { userAttributes: {}, privateChallengeParameters, challengeAnswer, userNotFound, ...(clientMetadata === undefined ? {} : { clientMetadata }) },
    response: {},
  };
}

/** What the CDK stack gives every function (infra/lib/keyport-passkeys.ts), plus what Lambda itself sets. */
export const LAMBDA_ENV: Readonly<Record<string, string>> = {
  AWS_REGION: "eu-west-1",
  RP_ID: "example.com",
  RP_NAME: "keyport",
  ALLOWED_ORIGINS: "https://app.example.com",
  USER_VERIFICATION: "required",
  STORAGE: "dynamodb",
  SESSION_TABLE: "keyport-sessions",
  CREDENTIAL_TABLE: "keyport-credentials",
  EVENT_TABLE: "keyport-events",
  IDENTITY_PROVIDER: "cognito",
};

/** The HTTP function's additions. */
export const HTTP_ENV: Readonly<Record<string, string>> = {
  ...LAMBDA_ENV,
  COGNITO_USER_POOL_ID: "eu-west-1_Example",
  COGNITO_CLIENT_ID: "exampleclientid",
};

export const UNKNOWN_USER_SECRET_ARN = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:UnknownUserSecret-AbCdEf";
export const CLIENT_SECRET_ARN = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:ClientSecret-GhIjKl";
