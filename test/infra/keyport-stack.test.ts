import { Stack, type CfnElement } from "aws-cdk-lib";
import { Match, type Template } from "aws-cdk-lib/assertions";
import type { IConstruct } from "constructs";
import { beforeAll, describe, expect, it } from "vitest";
import { KEYPORT_ROUTES, type KeyportFunctionName, type KeyportPasskeys } from "../../infra/lib/keyport-passkeys.js";
import type { KeyportStack } from "../../infra/lib/keyport-stack.js";
import { API_ROUTES } from "../support/kit.js";
import { actionsOf, actionsOfService, actionsOn, allStatements, logicalIdOf, roleLogicalIdOf, statementsOfRole, synthFast, type Statement } from "./support/synth.js";

let stack: KeyportStack;
let template: Template;
let passkeys: KeyportPasskeys;
let ids: { pool: string; client: string; sessions: string; credentials: string; secret: string };

const FUNCTIONS: readonly KeyportFunctionName[] = ["httpApi", "defineAuthChallenge", "createAuthChallenge", "verifyAuthChallengeResponse"];

function fn(name: KeyportFunctionName) {
  return name === "httpApi" ? passkeys.httpFunction : passkeys.triggerFunctions[name];
}

function statementsOf(name: KeyportFunctionName): Statement[] {
  return statementsOfRole(template, roleLogicalIdOf(fn(name)));
}

function functionResource(name: KeyportFunctionName): { Properties: Record<string, unknown> } {
  return template.toJSON().Resources[logicalIdOf(fn(name))];
}

const arn = (logicalId: string) => ({ "Fn::GetAtt": [logicalId, "Arn"] });

/** An app route as API Gateway names it: hono's `:name` path parameters are `{name}` there. */
const routeKey = (route: { method: string; path: string }) => `${route.method} ${route.path.replace(/:([A-Za-z]\w*)/g, "{$1}")}`;

/** The deployed routes' keys and properties, from the template. */
function deployedRoutes(): { key: string; authorizationType: unknown; authorizerId: unknown }[] {
  return Object.values(template.findResources("AWS::ApiGatewayV2::Route")).map((route) => {
    const { RouteKey, AuthorizationType, AuthorizerId } = route.Properties as Record<string, unknown>;
    return { key: RouteKey as string, authorizationType: AuthorizationType, authorizerId: AuthorizerId };
  });
}

/** Every route that needs `Authorization: Bearer <ID token>`, as docs/api.md lists them. */
const SIGNED_IN_ROUTES = [
  "POST /registration/start-verified",
  "GET /credentials",
  "PATCH /credentials/{credentialId}",
  "DELETE /credentials/{credentialId}",
  "GET /account",
  "PATCH /account",
  "DELETE /account",
  "POST /account/sign-out-everywhere",
];

beforeAll(() => {
  ({ stack, template } = synthFast({ throttling: { rateLimit: 25, burstLimit: 40 } }));
  passkeys = stack.passkeys;
  const id = (construct: IConstruct) => stack.getLogicalId(construct.node.defaultChild as CfnElement);
  ids = {
    pool: id(passkeys.userPool),
    client: id(passkeys.userPoolClient),
    sessions: id(passkeys.sessionTable),
    credentials: id(passkeys.credentialTable),
    secret: id(passkeys.unknownUserSecret),
  };
});

describe("the user pool", () => {
  it("lets only administrators create users, who sign in by username or by preferred_username, ignoring case", () => {
    template.resourceCountIs("AWS::Cognito::UserPool", 1);
    template.hasResourceProperties("AWS::Cognito::UserPool", {
      AdminCreateUserConfig: { AllowAdminCreateUserOnly: true },
      UsernameConfiguration: { CaseSensitive: false },
      AliasAttributes: ["preferred_username"],
      UsernameAttributes: Match.absent(),
    });
  });

  it("leaves preferred_username out of the sign-in aliases when told to, for a pool created without it", () => {
    const { template: withoutAlias } = synthFast({ preferredUsernameSignIn: false });
    withoutAlias.hasResourceProperties("AWS::Cognito::UserPool", {
      UsernameConfiguration: { CaseSensitive: false },
      AliasAttributes: Match.absent(),
      UsernameAttributes: Match.absent(),
    });
  });

  it("sends the three custom-auth triggers to keyport's trigger functions", () => {
    template.hasResourceProperties("AWS::Cognito::UserPool", {
      LambdaConfig: {
        DefineAuthChallenge: arn(logicalIdOf(fn("defineAuthChallenge"))),
        CreateAuthChallenge: arn(logicalIdOf(fn("createAuthChallenge"))),
        VerifyAuthChallengeResponse: arn(logicalIdOf(fn("verifyAuthChallengeResponse"))),
      },
    });
  });

  it("lets Cognito invoke each trigger only on behalf of this pool", () => {
    for (const name of ["defineAuthChallenge", "createAuthChallenge", "verifyAuthChallengeResponse"] as const) {
      template.hasResourceProperties("AWS::Lambda::Permission", {
        Action: "lambda:InvokeFunction",
        FunctionName: arn(logicalIdOf(fn(name))),
        Principal: "cognito-idp.amazonaws.com",
        SourceArn: arn(ids.pool),
      });
    }
  });

  it("is kept when the stack is deleted, like the credentials that point at its users", () => {
    template.hasResource("AWS::Cognito::UserPool", { DeletionPolicy: "Retain", UpdateReplacePolicy: "Retain" });
  });
});

describe("the app client", () => {
  it("allows only custom authentication, without a secret, hiding whether users exist", () => {
    template.resourceCountIs("AWS::Cognito::UserPoolClient", 1);
    template.hasResourceProperties("AWS::Cognito::UserPoolClient", {
      UserPoolId: { Ref: ids.pool },
      ExplicitAuthFlows: ["ALLOW_CUSTOM_AUTH"],
      GenerateSecret: false,
      PreventUserExistenceErrors: "ENABLED",
      AuthSessionValidity: 3,
    });
  });

  it("rotates refresh tokens, keeping a rotated-out token valid for 30 s so that a lost answer can be retried (ADR 0016)", () => {
    template.hasResourceProperties("AWS::Cognito::UserPoolClient", {
      RefreshTokenRotation: { Feature: "ENABLED", RetryGracePeriodSeconds: 30 },
      EnableTokenRevocation: true,
    });
  });

  it("does not allow REFRESH_TOKEN_AUTH, which Cognito refuses on an app client that rotates refresh tokens", () => {
    const [client] = Object.values(template.findResources("AWS::Cognito::UserPoolClient"));
    expect(client!.Properties.ExplicitAuthFlows).not.toContain("ALLOW_REFRESH_TOKEN_AUTH");
  });

  it("leaves rotation off and allows REFRESH_TOKEN_AUTH when told to, for the first step of an upgrade (ADR 0016)", () => {
    const { template: withoutRotation } = synthFast({ refreshTokenRotation: false });
    const [client] = Object.values(withoutRotation.findResources("AWS::Cognito::UserPoolClient"));
    expect(client!.Properties.RefreshTokenRotation).toBeUndefined();
    expect(client!.Properties.ExplicitAuthFlows).toEqual(expect.arrayContaining(["ALLOW_CUSTOM_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"]));
  });

  it("issues one-hour ID and access tokens and thirty-day refresh tokens by default", () => {
    template.hasResourceProperties("AWS::Cognito::UserPoolClient", {
      IdTokenValidity: 60,
      AccessTokenValidity: 60,
      RefreshTokenValidity: 43_200,
      TokenValidityUnits: { IdToken: "minutes", AccessToken: "minutes", RefreshToken: "minutes" },
    });
  });
});

describe("the tables", () => {
  it("keys sessions by id and expires them through the ttl attribute", () => {
    template.hasResourceProperties("AWS::DynamoDB::Table", {
      KeySchema: [{ AttributeName: "id", KeyType: "HASH" }],
      AttributeDefinitions: [{ AttributeName: "id", AttributeType: "S" }],
      TimeToLiveSpecification: { AttributeName: "ttl", Enabled: true },
    });
  });

  it("keys credentials by pk and sk, with no secondary index", () => {
    template.hasResourceProperties("AWS::DynamoDB::Table", {
      KeySchema: [
        { AttributeName: "pk", KeyType: "HASH" },
        { AttributeName: "sk", KeyType: "RANGE" },
      ],
      GlobalSecondaryIndexes: Match.absent(),
      LocalSecondaryIndexes: Match.absent(),
    });
  });

  it("bill on demand and keep point-in-time recovery on", () => {
    const tables = template.findResources("AWS::DynamoDB::Table");
    expect(Object.keys(tables)).toHaveLength(2);
    for (const table of Object.values(tables)) {
      expect(table.Properties).toMatchObject({ BillingMode: "PAY_PER_REQUEST", PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true } });
    }
  });

  it("retain the credential table and destroy the session table with the stack", () => {
    const resources = template.toJSON().Resources;
    expect(resources[ids.credentials]).toMatchObject({ DeletionPolicy: "Retain", UpdateReplacePolicy: "Retain" });
    expect(resources[ids.sessions]).toMatchObject({ DeletionPolicy: "Delete", UpdateReplacePolicy: "Delete" });
  });
});

describe("the functions", () => {
  it("are four, each on Node.js 22 and arm64", () => {
    for (const name of FUNCTIONS) {
      expect(functionResource(name).Properties).toMatchObject({ Runtime: "nodejs22.x", Architectures: ["arm64"] });
    }
  });

  it("give every function the relying party, storage and identity-provider settings", () => {
    for (const name of FUNCTIONS) {
      expect(functionResource(name).Properties).toMatchObject({
        Environment: {
          Variables: {
            RP_ID: "example.com",
            RP_NAME: "Example",
            ALLOWED_ORIGINS: "https://example.com,https://app.example.com",
            USER_VERIFICATION: "preferred",
            STORAGE: "dynamodb",
            SESSION_TABLE: { Ref: ids.sessions },
            CREDENTIAL_TABLE: { Ref: ids.credentials },
            IDENTITY_PROVIDER: "cognito",
          },
        },
      });
    }
  });

  it("tell only the HTTP function the pool and client, so the triggers never reference the pool", () => {
    const variables = (name: KeyportFunctionName) => (functionResource(name).Properties.Environment as { Variables: Record<string, unknown> }).Variables;
    expect(variables("httpApi")).toMatchObject({ COGNITO_USER_POOL_ID: { Ref: ids.pool }, COGNITO_CLIENT_ID: { Ref: ids.client } });
    for (const name of ["defineAuthChallenge", "createAuthChallenge", "verifyAuthChallengeResponse"] as const) {
      expect(JSON.stringify(functionResource(name))).not.toContain(ids.pool);
      expect(variables(name)).not.toHaveProperty("COGNITO_USER_POOL_ID");
    }
  });

  it("point the functions that build fake credential lists at the generated secret", () => {
    const variables = (name: KeyportFunctionName) => (functionResource(name).Properties.Environment as { Variables: Record<string, unknown> }).Variables;
    expect(variables("httpApi").UNKNOWN_USER_SECRET_ARN).toEqual({ Ref: ids.secret });
    expect(variables("createAuthChallenge").UNKNOWN_USER_SECRET_ARN).toEqual({ Ref: ids.secret });
    template.hasResourceProperties("AWS::SecretsManager::Secret", {
      GenerateSecretString: { PasswordLength: 64, ExcludePunctuation: true, IncludeSpace: false },
    });
  });

  it("tell only the HTTP function how recent a sign-in sensitive actions need: 5 minutes by default", () => {
    const variables = (name: KeyportFunctionName) => (functionResource(name).Properties.Environment as { Variables: Record<string, unknown> }).Variables;
    expect(variables("httpApi").SENSITIVE_ACTION_MAX_AGE_SECONDS).toBe("300");
    for (const name of ["defineAuthChallenge", "createAuthChallenge", "verifyAuthChallengeResponse"] as const) {
      expect(variables(name)).not.toHaveProperty("SENSITIVE_ACTION_MAX_AGE_SECONDS");
    }
  });

  it("leave source maps off unless asked", () => {
    for (const name of FUNCTIONS) {
      expect((functionResource(name).Properties.Environment as { Variables: Record<string, unknown> }).Variables).not.toHaveProperty("NODE_OPTIONS");
    }
  });

  it("give the triggers no more than Cognito's five seconds", () => {
    for (const name of ["defineAuthChallenge", "createAuthChallenge", "verifyAuthChallengeResponse"] as const) {
      expect(functionResource(name).Properties.Timeout).toBeLessThanOrEqual(5);
    }
  });

  it("log to their own log groups, with a retention", () => {
    for (const name of FUNCTIONS) {
      const logGroup = (functionResource(name).Properties.LoggingConfig as { LogGroup: { Ref: string } }).LogGroup.Ref;
      expect(template.toJSON().Resources[logGroup].Properties.RetentionInDays).toBe(30);
    }
  });
});

describe("the HTTP API", () => {
  it("routes every keyport endpoint to the one HTTP function", () => {
    template.resourceCountIs("AWS::ApiGatewayV2::Integration", 1);
    template.hasResourceProperties("AWS::ApiGatewayV2::Integration", {
      IntegrationType: "AWS_PROXY",
      IntegrationUri: arn(logicalIdOf(fn("httpApi"))),
      PayloadFormatVersion: "2.0",
    });
    const routes = deployedRoutes().map((route) => route.key);
    const deployed = API_ROUTES.filter((route) => !route.localOnly);
    expect(routes.sort()).toEqual(deployed.map(routeKey).sort());
    expect(KEYPORT_ROUTES).toHaveLength(deployed.length);
  });

  it("routes the passkey and account endpoints, and sign-out", () => {
    const routes = deployedRoutes().map((route) => route.key);
    expect(routes).toEqual(expect.arrayContaining([...SIGNED_IN_ROUTES, "POST /authentication/sign-out"]));
    // One method per route: PATCH and DELETE of one path are two routes, and nothing answers ANY.
    expect(routes.filter((key) => key.startsWith("ANY ") || key === "$default")).toEqual([]);
  });

  it("checks a Cognito JWT for this pool and client on the Authorization header", () => {
    template.resourceCountIs("AWS::ApiGatewayV2::Authorizer", 1);
    template.hasResourceProperties("AWS::ApiGatewayV2::Authorizer", {
      AuthorizerType: "JWT",
      IdentitySource: ["$request.header.Authorization"],
      JwtConfiguration: {
        Audience: [{ Ref: ids.client }],
        Issuer: { "Fn::Join": ["", ["https://cognito-idp.", { Ref: "AWS::Region" }, ".amazonaws.com/", { Ref: ids.pool }]] },
      },
    });
  });

  it("asks for a signed-in user, through the JWT authorizer, on exactly the routes that need an ID token", () => {
    const authorizerId = Object.keys(template.findResources("AWS::ApiGatewayV2::Authorizer"))[0];
    expect(API_ROUTES.filter((route) => route.bearer).map(routeKey).sort()).toEqual([...SIGNED_IN_ROUTES].sort());
    const routes = deployedRoutes();
    expect(routes.filter((route) => route.authorizationType === "JWT").map((route) => route.key).sort()).toEqual([...SIGNED_IN_ROUTES].sort());
    for (const route of routes) {
      if (SIGNED_IN_ROUTES.includes(route.key)) {
        expect(route.authorizationType, route.key).toBe("JWT");
        expect(route.authorizerId, route.key).toEqual({ Ref: authorizerId });
      } else {
        expect([undefined, "NONE"], route.key).toContain(route.authorizationType);
        expect(route.authorizerId, route.key).toBeUndefined();
      }
    }
  });

  it("lets sign-out through without an ID token: the refresh token it revokes is the proof", () => {
    const signOut = deployedRoutes().find((route) => route.key === "POST /authentication/sign-out");
    expect(signOut).toBeDefined();
    expect([undefined, "NONE"]).toContain(signOut?.authorizationType);
  });

  it("allows cross-origin calls from the configured origins only, with the headers the app reads and exposes", () => {
    template.hasResourceProperties("AWS::ApiGatewayV2::Api", {
      ProtocolType: "HTTP",
      CorsConfiguration: {
        AllowOrigins: ["https://example.com", "https://app.example.com"],
        AllowHeaders: ["content-type", "authorization", "x-correlation-id"],
        ExposeHeaders: ["x-correlation-id"],
        AllowCredentials: Match.absent(),
      },
    });
  });

  it("allows cross-origin calls with every method a route uses, and with no other", () => {
    const [api] = Object.values(template.findResources("AWS::ApiGatewayV2::Api"));
    const allowed = (api!.Properties.CorsConfiguration as { AllowMethods: string[] }).AllowMethods;
    const used = new Set(deployedRoutes().map((route) => route.key.split(" ")[0]));
    expect([...allowed].sort()).toEqual([...used, "OPTIONS"].sort());
    expect(allowed).toEqual(expect.arrayContaining(["GET", "POST", "PATCH", "DELETE"]));
  });

  it("throttles the default stage with the configured limits", () => {
    template.resourceCountIs("AWS::ApiGatewayV2::Stage", 1);
    template.hasResourceProperties("AWS::ApiGatewayV2::Stage", {
      StageName: "$default",
      AutoDeploy: true,
      DefaultRouteSettings: { ThrottlingRateLimit: 25, ThrottlingBurstLimit: 40 },
    });
  });

  it("publishes the API URL, user pool ID and client ID as outputs", () => {
    const outputs = template.toJSON().Outputs as Record<string, { Value: unknown }>;
    expect(outputs.UserPoolId?.Value).toEqual({ Ref: ids.pool });
    expect(outputs.UserPoolClientId?.Value).toEqual({ Ref: ids.client });
    expect(JSON.stringify(outputs.ApiUrl?.Value)).toContain(".execute-api.");
  });
});

describe("least privilege", () => {
  it("grants no wildcard action anywhere in the template", () => {
    const statements = allStatements(template);
    expect(statements.length).toBeGreaterThan(0);
    for (const { owner, statement } of statements) {
      for (const action of actionsOf(statement)) {
        expect(action, `${owner} allows ${action}`).not.toBe("*");
        expect(action, `${owner} allows ${action}`).not.toMatch(/:\*$/);
      }
    }
  });

  it("gives the functions' roles no managed policies (not even the basic execution role)", () => {
    for (const name of FUNCTIONS) {
      const role = template.toJSON().Resources[roleLogicalIdOf(fn(name))];
      expect(role.Properties.ManagedPolicyArns).toBeUndefined();
    }
  });

  it("lets each function write only its own log group", () => {
    for (const name of FUNCTIONS) {
      const logGroup = (functionResource(name).Properties.LoggingConfig as { LogGroup: { Ref: string } }).LogGroup.Ref;
      expect(actionsOfService(statementsOf(name), "logs")).toEqual(["logs:CreateLogStream", "logs:PutLogEvents"]);
      expect(actionsOn(statementsOf(name), "logs", arn(logGroup))).toEqual(["logs:CreateLogStream", "logs:PutLogEvents"]);
    }
  });

  it("gives each function exactly the DynamoDB actions it uses, per table", () => {
    const expected: Record<KeyportFunctionName, { sessions: string[]; credentials: string[] }> = {
      httpApi: {
        sessions: ["dynamodb:DeleteItem", "dynamodb:PutItem"],
        // Deleting passkeys and accounts, and the transactions' condition checks, are the HTTP function's alone.
        credentials: [
          "dynamodb:BatchGetItem",
          "dynamodb:ConditionCheckItem",
          "dynamodb:DeleteItem",
          "dynamodb:GetItem",
          "dynamodb:PutItem",
          "dynamodb:Query",
          "dynamodb:UpdateItem",
        ],
      },
      defineAuthChallenge: { sessions: [], credentials: [] },
      createAuthChallenge: { sessions: ["dynamodb:PutItem"], credentials: ["dynamodb:BatchGetItem", "dynamodb:GetItem", "dynamodb:Query"] },
      verifyAuthChallengeResponse: { sessions: ["dynamodb:DeleteItem"], credentials: ["dynamodb:GetItem", "dynamodb:UpdateItem"] },
    };
    for (const name of FUNCTIONS) {
      const statements = statementsOf(name);
      expect(actionsOn(statements, "dynamodb", arn(ids.sessions)), `${name} on sessions`).toEqual(expected[name].sessions);
      expect(actionsOn(statements, "dynamodb", arn(ids.credentials)), `${name} on credentials`).toEqual(expected[name].credentials);
      expect(actionsOfService(statements, "dynamodb"), `${name} on any table`).toEqual([...new Set([...expected[name].sessions, ...expected[name].credentials])].sort());
    }
  });

  it("lets only the HTTP function administer users, and only in this pool: create, finish, update, sign out everywhere, delete", () => {
    const expected = [
      "cognito-idp:AdminCreateUser",
      "cognito-idp:AdminDeleteUser",
      "cognito-idp:AdminGetUser",
      "cognito-idp:AdminSetUserPassword",
      "cognito-idp:AdminUpdateUserAttributes",
      "cognito-idp:AdminUserGlobalSignOut",
    ];
    expect(actionsOn(statementsOf("httpApi"), "cognito-idp", arn(ids.pool))).toEqual(expected);
    expect(actionsOfService(statementsOf("httpApi"), "cognito-idp")).toEqual(expected);
    for (const name of ["defineAuthChallenge", "createAuthChallenge", "verifyAuthChallengeResponse"] as const) {
      expect(actionsOfService(statementsOf(name), "cognito-idp")).toEqual([]);
    }
  });

  it("grants nothing for sign-out: RevokeToken is a public client API that Cognito authorizes without IAM", () => {
    for (const { owner, statement } of allStatements(template)) {
      expect(actionsOf(statement), owner).not.toContain("cognito-idp:RevokeToken");
    }
  });

  it("lets only the HTTP function and CreateAuthChallenge read the unknown-user secret", () => {
    expect(actionsOn(statementsOf("httpApi"), "secretsmanager", { Ref: ids.secret })).toEqual(["secretsmanager:GetSecretValue"]);
    expect(actionsOn(statementsOf("createAuthChallenge"), "secretsmanager", { Ref: ids.secret })).toEqual(["secretsmanager:GetSecretValue"]);
    expect(actionsOfService(statementsOf("defineAuthChallenge"), "secretsmanager")).toEqual([]);
    expect(actionsOfService(statementsOf("verifyAuthChallengeResponse"), "secretsmanager")).toEqual([]);
  });

  it("gives DefineAuthChallenge nothing beyond its logs", () => {
    const services = new Set(statementsOf("defineAuthChallenge").flatMap(actionsOf).map((a) => a.split(":")[0]));
    expect([...services]).toEqual(["logs"]);
  });

  it("keeps the stack free of account or region literals (environment-agnostic)", () => {
    expect(Stack.of(passkeys).account).toMatch(/^\$\{Token/);
    expect(Stack.of(passkeys).region).toMatch(/^\$\{Token/);
  });
});
