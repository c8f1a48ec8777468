import { App, Duration, Stack } from "aws-cdk-lib";
import type { Template } from "aws-cdk-lib/assertions";
import { Secret } from "aws-cdk-lib/aws-secretsmanager";
import { beforeAll, describe, expect, it } from "vitest";
import { KeyportStack } from "../../infra/lib/keyport-stack.js";
import { BASE_PROPS, actionsOfService, allStatements, logicalIdOf, roleLogicalIdOf, statementsOfRole, synthFast } from "./support/synth.js";

const POOL_ID = "eu-west-1_AbCdEf123";
const CLIENT_ID = "1example23456789abcdefghij";
const SECRET_ARN = "arn:aws:secretsmanager:eu-west-1:111122223333:secret:keyport-client-AbCdEf";
const POOL_ARN = { "Fn::Join": ["", ["arn:", { Ref: "AWS::Partition" }, ":cognito-idp:eu-west-1:", { Ref: "AWS::AccountId" }, `:userpool/${POOL_ID}`]] };

let stack: KeyportStack;
let template: Template;

beforeAll(() => {
  ({ stack, template } = synthFast({ existingUserPool: { userPoolId: POOL_ID, userPoolClientId: CLIENT_ID } }));
});

describe("attached to an existing user pool", () => {
  it("creates no user pool or app client of its own", () => {
    template.resourceCountIs("AWS::Cognito::UserPool", 0);
    template.resourceCountIs("AWS::Cognito::UserPoolClient", 0);
  });

  it("lets Cognito invoke each trigger only on behalf of that pool", () => {
    const triggers = stack.passkeys.triggerFunctions;
    for (const fn of [triggers.defineAuthChallenge, triggers.createAuthChallenge, triggers.verifyAuthChallengeResponse]) {
      template.hasResourceProperties("AWS::Lambda::Permission", {
        Action: "lambda:InvokeFunction",
        FunctionName: { "Fn::GetAtt": [logicalIdOf(fn), "Arn"] },
        Principal: "cognito-idp.amazonaws.com",
        SourceArn: POOL_ARN,
      });
    }
  });

  it("outputs the trigger ARNs, which must be set on the pool by hand", () => {
    const outputs = template.toJSON().Outputs as Record<string, { Value: unknown }>;
    const triggers = stack.passkeys.triggerFunctions;
    expect(outputs.DefineAuthChallengeFunctionArn?.Value).toEqual({ "Fn::GetAtt": [logicalIdOf(triggers.defineAuthChallenge), "Arn"] });
    expect(outputs.CreateAuthChallengeFunctionArn?.Value).toEqual({ "Fn::GetAtt": [logicalIdOf(triggers.createAuthChallenge), "Arn"] });
    expect(outputs.VerifyAuthChallengeResponseFunctionArn?.Value).toEqual({ "Fn::GetAtt": [logicalIdOf(triggers.verifyAuthChallengeResponse), "Arn"] });
    expect(outputs.UserPoolId?.Value).toBe(POOL_ID);
    expect(outputs.UserPoolClientId?.Value).toBe(CLIENT_ID);
  });

  it("says of each trigger output which of the pool's triggers it is", () => {
    const outputs = template.toJSON().Outputs as Record<string, { Description?: string }>;
    expect(outputs.DefineAuthChallengeFunctionArn?.Description).toMatch(/Define auth challenge trigger/);
    expect(outputs.CreateAuthChallengeFunctionArn?.Description).toMatch(/Create auth challenge trigger/);
    expect(outputs.VerifyAuthChallengeResponseFunctionArn?.Description).toMatch(/Verify auth challenge response trigger/);
  });

  it("passes the pool and client to the HTTP function and scopes its user administration to that pool", () => {
    const http = template.toJSON().Resources[logicalIdOf(stack.passkeys.httpFunction)];
    expect(http.Properties.Environment.Variables).toMatchObject({ COGNITO_USER_POOL_ID: POOL_ID, COGNITO_CLIENT_ID: CLIENT_ID });
    const statements = statementsOfRole(template, roleLogicalIdOf(stack.passkeys.httpFunction));
    const cognito = statements.filter((s) => [s.Action].flat().some((a) => a.startsWith("cognito-idp:")));
    expect(cognito).toHaveLength(1);
    expect(cognito[0]?.Resource).toEqual(POOL_ARN);
  });

  it("checks JWTs issued by that pool, in the pool's region, for that client", () => {
    template.hasResourceProperties("AWS::ApiGatewayV2::Authorizer", {
      AuthorizerType: "JWT",
      JwtConfiguration: { Audience: [CLIENT_ID], Issuer: `https://cognito-idp.eu-west-1.amazonaws.com/${POOL_ID}` },
    });
  });
});

describe("with an app client secret", () => {
  it("keeps the new client's secret in Secrets Manager, readable by the HTTP function alone", () => {
    const { stack: withSecret, template: t } = synthFast({ generateClientSecret: true });
    t.hasResourceProperties("AWS::Cognito::UserPoolClient", { GenerateSecret: true });
    const http = t.toJSON().Resources[logicalIdOf(withSecret.passkeys.httpFunction)];
    const secretRef = http.Properties.Environment.Variables.COGNITO_CLIENT_SECRET_ARN as { Ref: string };
    expect(t.toJSON().Resources[secretRef.Ref].Type).toBe("AWS::SecretsManager::Secret");
    const reads = (fnRole: string) =>
      statementsOfRole(t, fnRole).filter((s) => JSON.stringify(s.Resource).includes(secretRef.Ref)).flatMap((s) => [s.Action].flat());
    expect(reads(roleLogicalIdOf(withSecret.passkeys.httpFunction))).toEqual(["secretsmanager:GetSecretValue"]);
    for (const fn of Object.values(withSecret.passkeys.triggerFunctions)) expect(reads(roleLogicalIdOf(fn))).toEqual([]);
    // CDK reads the secret from Cognito with a custom resource; its role must be as narrow as ours.
    for (const { statement } of allStatements(t)) for (const action of [statement.Action].flat()) expect(action).not.toMatch(/^\*$|:\*$/);
  });

  it("reads an existing client's secret from the secret it is given", () => {
    const { stack: s, template: t } = synthFast((app) => ({
      existingUserPool: {
        userPoolId: POOL_ID,
        userPoolClientId: CLIENT_ID,
        clientSecret: Secret.fromSecretCompleteArn(new Stack(app, "Imports"), "ClientSecret", SECRET_ARN),
      },
    }));
    const http = t.toJSON().Resources[logicalIdOf(s.passkeys.httpFunction)];
    expect(http.Properties.Environment.Variables.COGNITO_CLIENT_SECRET_ARN).toBe(SECRET_ARN);
    expect(actionsOfService(statementsOfRole(t, roleLogicalIdOf(s.passkeys.httpFunction)), "secretsmanager")).toEqual(["secretsmanager:GetSecretValue"]);
  });
});

describe("with source maps", () => {
  it("enables them at run time in every function", () => {
    const { stack: s, template: t } = synthFast({ sourceMaps: true });
    for (const fn of [s.passkeys.httpFunction, ...Object.values(s.passkeys.triggerFunctions)]) {
      expect(t.toJSON().Resources[logicalIdOf(fn)].Properties.Environment.Variables.NODE_OPTIONS).toBe("--enable-source-maps");
    }
  });
});

describe("the recent sign-in that sensitive actions need", () => {
  it("is handed to the HTTP function in whole seconds", () => {
    const { stack: s, template: t } = synthFast({ sensitiveActionMaxAge: Duration.minutes(10) });
    expect(t.toJSON().Resources[logicalIdOf(s.passkeys.httpFunction)].Properties.Environment.Variables.SENSITIVE_ACTION_MAX_AGE_SECONDS).toBe("600");
  });

  it("is refused outside the configuration's bounds (1 minute to 1 hour) before anything is deployed", () => {
    const build = (maxAge: Duration) => () => new KeyportStack(new App(), "Keyport", { passkeys: { ...BASE_PROPS, sensitiveActionMaxAge: maxAge } });
    expect(build(Duration.seconds(59))).toThrow(/sensitiveActionMaxAge/);
    expect(build(Duration.seconds(3601))).toThrow(/sensitiveActionMaxAge/);
    expect(build(Duration.millis(90_500))).toThrow(/whole seconds/);
    expect(build(Duration.seconds(60))).not.toThrow();
    expect(build(Duration.hours(1))).not.toThrow();
  });
});

describe("the retention of security events", () => {
  it("is handed in whole days to the two functions that record events", () => {
    const { stack: s, template: t } = synthFast({ eventRetention: Duration.days(30) });
    for (const fn of [s.passkeys.httpFunction, s.passkeys.triggerFunctions.verifyAuthChallengeResponse]) {
      expect(t.toJSON().Resources[logicalIdOf(fn)].Properties.Environment.Variables.EVENT_RETENTION_DAYS).toBe("30");
    }
  });

  it("is refused outside the configuration's bounds (1 to 3650 whole days) before anything is deployed", () => {
    const build = (retention: Duration) => () => new KeyportStack(new App(), "Keyport", { passkeys: { ...BASE_PROPS, eventRetention: retention } });
    expect(build(Duration.hours(12))).toThrow(/eventRetention/);
    expect(build(Duration.days(3651))).toThrow(/eventRetention/);
    expect(build(Duration.hours(36))).toThrow(/whole days/);
    expect(build(Duration.days(1))).not.toThrow();
    expect(build(Duration.days(3650))).not.toThrow();
  });
});

describe("the alarm on failed sign-ins", () => {
  it("takes its threshold from the props", () => {
    const { template: t } = synthFast({ failedSignInAlarmThreshold: 7 });
    t.hasResourceProperties("AWS::CloudWatch::Alarm", { MetricName: "CeremonyCount", Threshold: 7, ComparisonOperator: "GreaterThanThreshold", Period: 300 });
  });

  it("refuses a threshold that is not a positive whole number", () => {
    const build = (threshold: number) => () => new KeyportStack(new App(), "Keyport", { passkeys: { ...BASE_PROPS, failedSignInAlarmThreshold: threshold } });
    expect(build(0)).toThrow(/failedSignInAlarmThreshold/);
    expect(build(2.5)).toThrow(/failedSignInAlarmThreshold/);
    expect(build(1)).not.toThrow();
  });
});

describe("the relying party settings", () => {
  const build = (rpId: string, allowedOrigins: string[]) => () => new KeyportStack(new App(), "Keyport", { passkeys: { ...BASE_PROPS, rpId, allowedOrigins } });

  it("refuse an origin outside the RP ID before anything is deployed", () => {
    expect(build("example.com", ["https://example.org"])).toThrow(/not within rpId/);
  });

  it("refuse plain http except on localhost", () => {
    expect(build("example.com", ["http://example.com"])).toThrow(/must use https/);
    expect(build("localhost", ["http://localhost:3000"])).not.toThrow();
  });

  it("refuse an origin with a path and an RP ID with upper case", () => {
    expect(build("example.com", ["https://example.com/app"])).toThrow(/is not an origin/);
    expect(build("Example.com", ["https://example.com"])).toThrow(/lower-case domain/);
  });
});
