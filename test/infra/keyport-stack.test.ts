import { Stack, type CfnElement } from "aws-cdk-lib";
import { Match, type Template } from "aws-cdk-lib/assertions";
import type { IConstruct } from "constructs";
import { beforeAll, describe, expect, it, vi } from "vitest";
import { CEREMONY_COUNT_METRIC, METRICS_NAMESPACE, METRICS_SERVICE, PowertoolsCeremonyMetrics } from "../../src/adapters/powertools/powertools-ceremony-metrics.js";
import { EVENT_TABLE } from "../../src/adapters/dynamodb/dynamodb-tables.js";
import { KEYPORT_CEREMONIES, KEYPORT_ROUTES, type KeyportFunctionName, type KeyportPasskeys } from "../../infra/lib/keyport-passkeys.js";
import type { KeyportStack } from "../../infra/lib/keyport-stack.js";
import { API_ROUTES } from "../support/kit.js";
import { actionsOf, actionsOfService, actionsOn, allStatements, logicalIdOf, roleLogicalIdOf, statementsOfRole, synthFast, type Statement } from "./support/synth.js";

let stack: KeyportStack;
let template: Template;
let passkeys: KeyportPasskeys;
let ids: { pool: string; client: string; sessions: string; credentials: string; events: string; secret: string };

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
  "GET /events",
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
    events: id(passkeys.eventTable),
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
  it("allows custom authentication and, with no passkey as a second factor (the default), the password flows; without a secret, hiding whether users exist", () => {
    template.resourceCountIs("AWS::Cognito::UserPoolClient", 1);
    template.hasResourceProperties("AWS::Cognito::UserPoolClient", {
      UserPoolId: { Ref: ids.pool },
      ExplicitAuthFlows: ["ALLOW_USER_PASSWORD_AUTH", "ALLOW_CUSTOM_AUTH", "ALLOW_USER_SRP_AUTH"],
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

  it("keys events by pk and sk, as the adapter's design says, and expires them through the ttl attribute", () => {
    const events = template.toJSON().Resources[ids.events];
    expect(EVENT_TABLE).toEqual({ partitionKey: { name: "pk", type: "S" }, sortKey: { name: "sk", type: "S" }, timeToLiveAttribute: "ttl" });
    expect(events.Properties).toMatchObject({
      KeySchema: [
        { AttributeName: "pk", KeyType: "HASH" },
        { AttributeName: "sk", KeyType: "RANGE" },
      ],
      AttributeDefinitions: [
        { AttributeName: "pk", AttributeType: "S" },
        { AttributeName: "sk", AttributeType: "S" },
      ],
      TimeToLiveSpecification: { AttributeName: "ttl", Enabled: true },
    });
    expect(events.Properties.GlobalSecondaryIndexes).toBeUndefined();
    expect(events.Properties.LocalSecondaryIndexes).toBeUndefined();
  });

  it("keep TTL off the credential table, whose items must never expire", () => {
    expect(template.toJSON().Resources[ids.credentials].Properties.TimeToLiveSpecification).toBeUndefined();
  });

  it("bill on demand and keep point-in-time recovery on", () => {
    const tables = template.findResources("AWS::DynamoDB::Table");
    expect(Object.keys(tables)).toHaveLength(3);
    for (const table of Object.values(tables)) {
      expect(table.Properties).toMatchObject({ BillingMode: "PAY_PER_REQUEST", PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true } });
    }
  });

  it("retain the credential and event tables (the users' audit trail) and destroy the session table with the stack", () => {
    const resources = template.toJSON().Resources;
    expect(resources[ids.credentials]).toMatchObject({ DeletionPolicy: "Retain", UpdateReplacePolicy: "Retain" });
    expect(resources[ids.events]).toMatchObject({ DeletionPolicy: "Retain", UpdateReplacePolicy: "Retain" });
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

  it("tell only the functions that record events where they go and how long they are kept: 90 days by default", () => {
    const variables = (name: KeyportFunctionName) => (functionResource(name).Properties.Environment as { Variables: Record<string, unknown> }).Variables;
    for (const name of ["httpApi", "verifyAuthChallengeResponse"] as const) {
      expect(variables(name), name).toMatchObject({ EVENT_TABLE: { Ref: ids.events }, EVENT_RETENTION_DAYS: "90" });
    }
    for (const name of ["defineAuthChallenge", "createAuthChallenge"] as const) {
      expect(variables(name), name).not.toHaveProperty("EVENT_TABLE");
      expect(variables(name), name).not.toHaveProperty("EVENT_RETENTION_DAYS");
    }
  });

  it("point VerifyAuthChallengeResponse at the unknown-user secret, the key of the request context keyport's API seals for it", () => {
    const variables = (name: KeyportFunctionName) => (functionResource(name).Properties.Environment as { Variables: Record<string, unknown> }).Variables;
    expect(variables("verifyAuthChallengeResponse").UNKNOWN_USER_SECRET_ARN).toEqual({ Ref: ids.secret });
    expect(variables("defineAuthChallenge")).not.toHaveProperty("UNKNOWN_USER_SECRET_ARN");
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

  it("lists the caller's events only behind the JWT authorizer", () => {
    const authorizerId = Object.keys(template.findResources("AWS::ApiGatewayV2::Authorizer"))[0];
    expect(deployedRoutes().find((route) => route.key === "GET /events")).toEqual({ key: "GET /events", authorizationType: "JWT", authorizerId: { Ref: authorizerId } });
  });

  it("lets sign-out through without an ID token: the refresh token it revokes is the proof (an ID token it carries is the function's to check)", () => {
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

  it("publishes the API URL, user pool ID and client ID, the tables `npm run events` reads and the dashboard as outputs", () => {
    const outputs = template.toJSON().Outputs as Record<string, { Value: unknown }>;
    expect(outputs.UserPoolId?.Value).toEqual({ Ref: ids.pool });
    expect(outputs.UserPoolClientId?.Value).toEqual({ Ref: ids.client });
    expect(outputs.CredentialTableName?.Value).toEqual({ Ref: ids.credentials });
    expect(outputs.EventTableName?.Value).toEqual({ Ref: ids.events });
    expect(outputs.DashboardName?.Value).toEqual({ Ref: Object.keys(template.findResources("AWS::CloudWatch::Dashboard"))[0] });
    expect(JSON.stringify(outputs.ApiUrl?.Value)).toContain(".execute-api.");
  });

  it("describes every output, as npm run synth lists them before a deployment", () => {
    const outputs = template.toJSON().Outputs as Record<string, { Description?: string }>;
    for (const [name, output] of Object.entries(outputs)) expect(output.Description, name).toMatch(/\S/);
  });
});

/** The dashboard's body as JSON, each CloudFormation value in it (region, alarm ARN) replaced by a `TOKEN<n>` placeholder. */
function dashboardBody(): { body: { widgets: { type: string; properties: Record<string, unknown> }[] }; tokens: unknown[] } {
  const [dashboard] = Object.values(template.findResources("AWS::CloudWatch::Dashboard"));
  const parts = (dashboard!.Properties.DashboardBody as { "Fn::Join": [string, unknown[]] })["Fn::Join"][1];
  const tokens: unknown[] = [];
  const text = parts.map((part) => (typeof part === "string" ? part : `TOKEN${tokens.push(part) - 1}`)).join("");
  return { body: JSON.parse(text), tokens };
}

/** A graph's metric as the dashboard lists it: [namespace, name, dimension, value, …, options]. */
const dashboardMetric = (dimensions: Record<string, string>) => [
  "keyport",
  "CeremonyCount",
  ...Object.entries(dimensions)
    .sort(([a], [b]) => a.localeCompare(b))
    .flat(),
  expect.objectContaining({ stat: "Sum" }),
];

describe("the operator's view of the ceremonies", () => {
  it("reads the series the functions write: the dimension sets of the Powertools adapter's EMF lines", () => {
    const written: string[] = [];
    const stdout = vi.spyOn(process.stdout, "write").mockImplementation((chunk) => written.push(String(chunk)) > 0);
    try {
      const metrics = new PowertoolsCeremonyMetrics();
      metrics.count({ ceremony: "sign_in", outcome: "failed", code: "signature_invalid" });
      metrics.publish();
    } finally {
      stdout.mockRestore();
    }
    const lines = written.join("").split("\n").filter((line) => line !== "").map((line) => JSON.parse(line) as { _aws: { CloudWatchMetrics: { Namespace: string; Dimensions: string[][]; Metrics: { Name: string }[] }[] } });
    const sets = lines.flatMap((line) => line._aws.CloudWatchMetrics.map((definition) => ({ namespace: definition.Namespace, metric: definition.Metrics[0]?.Name, dimensions: definition.Dimensions })));
    // What the graphs and the alarm read ([service, ceremony, outcome]) and what the searches by code read (…, code).
    expect(sets).toEqual([
      { namespace: "keyport", metric: "CeremonyCount", dimensions: [["service", "ceremony", "outcome"]] },
      { namespace: "keyport", metric: "CeremonyCount", dimensions: [["service", "ceremony", "outcome", "code"]] },
    ]);
    expect([METRICS_NAMESPACE, CEREMONY_COUNT_METRIC, METRICS_SERVICE]).toEqual(["keyport", "CeremonyCount", "keyport"]);
    expect(lines.every((line) => (line as unknown as Record<string, unknown>).service === "keyport")).toBe(true);
  });

  it("graphs succeeded and failed counts of every ceremony the domain counts, in 5-minute sums", () => {
    expect(Object.keys(KEYPORT_CEREMONIES).sort()).toEqual(["account_management", "passkey_management", "refresh", "registration", "sign_in", "sign_out"]);
    template.resourceCountIs("AWS::CloudWatch::Dashboard", 1);
    const graphs = dashboardBody().body.widgets.filter((widget) => widget.type === "metric");
    for (const ceremony of Object.keys(KEYPORT_CEREMONIES)) {
      const graph = graphs.find((widget) => JSON.stringify(widget.properties.metrics ?? []).includes(`"ceremony","${ceremony}"`));
      expect(graph, ceremony).toBeDefined();
      expect(graph?.properties.metrics).toEqual([
        dashboardMetric({ service: "keyport", ceremony, outcome: "succeeded" }),
        dashboardMetric({ service: "keyport", ceremony, outcome: "failed" }),
      ]);
      // 300 s is a graph's default period, which CloudWatch assumes when the body gives none.
      expect(graph?.properties.period ?? 300, ceremony).toBe(300);
    }
  });

  it("graphs failed sign-ins by error code, finding the codes by a search of the series with the code dimension", () => {
    const expressions = dashboardBody()
      .body.widgets.flatMap((widget) => (widget.properties.metrics as unknown[][] | undefined) ?? [])
      .flatMap((metric) => metric.filter((entry): entry is { expression: string } => typeof entry === "object" && entry !== null && "expression" in entry))
      .map((entry) => entry.expression);
    expect(expressions).toContain(`SEARCH('{keyport,service,ceremony,outcome,code} MetricName="CeremonyCount" service="keyport" outcome="failed" ceremony="sign_in"', 'Sum', 300)`);
  });

  it("shows the alarm on the dashboard", () => {
    const { body, tokens } = dashboardBody();
    const alarmId = Object.keys(template.findResources("AWS::CloudWatch::Alarm"))[0];
    const shown = body.widgets.flatMap((widget) => ((widget.properties.annotations as { alarms?: string[] } | undefined)?.alarms ?? []).map((alarm) => tokens[Number(alarm.replace("TOKEN", ""))]));
    expect(shown).toEqual([{ "Fn::GetAtt": [alarmId, "Arn"] }]);
  });

  it("alarms when more than 50 sign-ins fail in 5 minutes, counting every failed sign-in of every user, and stays quiet without data", () => {
    template.resourceCountIs("AWS::CloudWatch::Alarm", 1);
    template.hasResourceProperties("AWS::CloudWatch::Alarm", {
      Namespace: "keyport",
      MetricName: "CeremonyCount",
      // Exactly the [service, ceremony, outcome] series: every failure is counted there once, with or without a code.
      Dimensions: [
        { Name: "ceremony", Value: "sign_in" },
        { Name: "outcome", Value: "failed" },
        { Name: "service", Value: "keyport" },
      ],
      Statistic: "Sum",
      Period: 300,
      EvaluationPeriods: 1,
      DatapointsToAlarm: 1,
      Threshold: 50,
      ComparisonOperator: "GreaterThanThreshold",
      TreatMissingData: "notBreaching",
    });
    expect(passkeys.failedSignInAlarm.alarmArn).toBeDefined();
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
    const expected: Record<KeyportFunctionName, { sessions: string[]; credentials: string[]; events: string[] }> = {
      httpApi: {
        // Recording events (a failed sign-in's ticket and count are updates), and GET /events (a Query).
        events: ["dynamodb:PutItem", "dynamodb:Query", "dynamodb:UpdateItem"],
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
      defineAuthChallenge: { sessions: [], credentials: [], events: [] },
      // Create issues challenges and records nothing.
      createAuthChallenge: { sessions: ["dynamodb:PutItem"], credentials: ["dynamodb:BatchGetItem", "dynamodb:GetItem", "dynamodb:Query"], events: [] },
      // Verify records sign-ins, and never reads a trail.
      verifyAuthChallengeResponse: { sessions: ["dynamodb:DeleteItem"], credentials: ["dynamodb:GetItem", "dynamodb:UpdateItem"], events: ["dynamodb:PutItem", "dynamodb:UpdateItem"] },
    };
    for (const name of FUNCTIONS) {
      const statements = statementsOf(name);
      expect(actionsOn(statements, "dynamodb", arn(ids.sessions)), `${name} on sessions`).toEqual(expected[name].sessions);
      expect(actionsOn(statements, "dynamodb", arn(ids.credentials)), `${name} on credentials`).toEqual(expected[name].credentials);
      expect(actionsOn(statements, "dynamodb", arn(ids.events)), `${name} on events`).toEqual(expected[name].events);
      const all = [...expected[name].sessions, ...expected[name].credentials, ...expected[name].events];
      expect(actionsOfService(statements, "dynamodb"), `${name} on any table`).toEqual([...new Set(all)].sort());
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

  it("lets the HTTP function, CreateAuthChallenge and VerifyAuthChallengeResponse read the unknown-user secret, and nothing else in Secrets Manager", () => {
    for (const name of ["httpApi", "createAuthChallenge", "verifyAuthChallengeResponse"] as const) {
      expect(actionsOn(statementsOf(name), "secretsmanager", { Ref: ids.secret }), name).toEqual(["secretsmanager:GetSecretValue"]);
      expect(actionsOfService(statementsOf(name), "secretsmanager"), name).toEqual(["secretsmanager:GetSecretValue"]);
    }
    expect(actionsOfService(statementsOf("defineAuthChallenge"), "secretsmanager")).toEqual([]);
  });

  it("grants nothing for the ceremony metrics: Powertools writes them as log lines (EMF), which the log grants cover", () => {
    for (const { owner, statement } of allStatements(template)) {
      expect(actionsOf(statement).filter((action) => action.startsWith("cloudwatch:")), owner).toEqual([]);
    }
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
