/**
 * keyport on AWS as one reusable construct: a Cognito user pool (or an existing one) whose custom
 * authentication is answered by keyport's triggers, the two DynamoDB tables, the HTTP API in front of
 * the shared Hono app, and the secret behind the fake credential lists of unknown users.
 */
import { existsSync } from "node:fs";
import { basename, join } from "node:path";
import { fileURLToPath } from "node:url";
import { Duration, RemovalPolicy, Stack, Token } from "aws-cdk-lib";
import { CorsHttpMethod, HttpApi, HttpMethod, HttpStage, type IHttpRouteAuthorizer } from "aws-cdk-lib/aws-apigatewayv2";
import { HttpUserPoolAuthorizer } from "aws-cdk-lib/aws-apigatewayv2-authorizers";
import { HttpLambdaIntegration } from "aws-cdk-lib/aws-apigatewayv2-integrations";
import { AccountRecovery, FeaturePlan, Mfa, UserPool, UserPoolClient, type IUserPool, type IUserPoolClient } from "aws-cdk-lib/aws-cognito";
import { AttributeType, BillingMode, Table } from "aws-cdk-lib/aws-dynamodb";
import { PolicyStatement, Role, ServicePrincipal } from "aws-cdk-lib/aws-iam";
import { Architecture, Function as LambdaFunction, Runtime, type Code, type IFunction } from "aws-cdk-lib/aws-lambda";
import { NodejsFunction, OutputFormat, type ICommandHooks } from "aws-cdk-lib/aws-lambda-nodejs";
import { LogGroup, RetentionDays } from "aws-cdk-lib/aws-logs";
import { Secret, type ISecret } from "aws-cdk-lib/aws-secretsmanager";
import { Construct } from "constructs";

/** The four Lambda functions keyport deploys; the keys of {@link KeyportFunctionCode}. */
export type KeyportFunctionName = "httpApi" | "defineAuthChallenge" | "createAuthChallenge" | "verifyAuthChallengeResponse";

/** Prebuilt code for every function, used instead of bundling the entry points with esbuild. */
export type KeyportFunctionCode = Readonly<Record<KeyportFunctionName, Code>>;

/** A user pool keyport does not own. */
export interface ExistingUserPool {
  /** `<region>_<id>`; the region prefix is also the region of the authorizer's issuer. */
  readonly userPoolId: string;
  /**
   * An app client with ALLOW_CUSTOM_AUTH, PreventUserExistenceErrors ENABLED, an auth session validity
   * of 3 minutes, and refresh-token rotation (as keyport's own client has; ALLOW_REFRESH_TOKEN_AUTH must
   * then be off) or else ALLOW_REFRESH_TOKEN_AUTH: keyport cannot change a pool it only imports. keyport
   * refreshes with GetTokensFromRefreshToken, which works either way (ADR 0016).
   */
  readonly userPoolClientId: string;
  /** The app client's secret, if it has one; only the HTTP function may read it. @default - no secret */
  readonly clientSecret?: ISecret;
}

/** Token lifetimes of the app client keyport creates. */
export interface KeyportTokenValidity {
  /** @default Duration.hours(1) */
  readonly idToken?: Duration;
  /** @default Duration.hours(1) */
  readonly accessToken?: Duration;
  /** Must be longer than the ID and access tokens. @default Duration.days(30) */
  readonly refreshToken?: Duration;
}

/** The default stage's throttling, for all routes together. */
export interface KeyportThrottling {
  /** Steady-state requests per second. @default 50 */
  readonly rateLimit?: number;
  /** Requests allowed in a burst. @default 100 */
  readonly burstLimit?: number;
}

export interface KeyportPasskeysProps {
  /** The WebAuthn relying party ID: the site's registrable domain (or a parent of every origin), e.g. `example.com`. */
  readonly rpId: string;
  /** Shown by authenticators next to the passkey. @default "keyport" */
  readonly rpName?: string;
  /**
   * Origins of the pages allowed to run ceremonies, e.g. `https://app.example.com`: each must be
   * https (or http://localhost) and lie within `rpId`. They are also the API's CORS origins.
   */
  readonly allowedOrigins: readonly string[];
  /** WebAuthn user verification asked of authenticators. @default "required" */
  readonly userVerification?: "required" | "preferred" | "discouraged";
  /**
   * Attach to this pool instead of creating one. CloudFormation cannot change a pool it does not
   * manage, so the three custom-auth triggers must then be set on the pool by hand (their ARNs are
   * the construct's `triggerFunctions`); the construct only lets Cognito invoke them.
   * @default - a new user pool and app client
   */
  readonly existingUserPool?: ExistingUserPool;
  /**
   * Give the new app client a secret. The HTTP function then reads it from a Secrets Manager secret
   * (`COGNITO_CLIENT_SECRET_ARN`), signs sign-in calls with a SECRET_HASH and sends it with refreshes.
   * @default false
   */
  readonly generateClientSecret?: boolean;
  /**
   * Make `preferred_username` (the username a user signed up with) a sign-in alias of the new user pool,
   * so that apps calling Cognito directly can start a sign-in (InitiateAuth) with the username, and
   * Cognito keeps usernames unique too (ignoring case). keyport's own identifier-first sign-in resolves
   * usernames itself and works either way.
   *
   * Sign-in aliases are fixed when a pool is created: Cognito cannot change them on an existing pool
   * (see the comment in `createUserPool`). Set this to `false` for a pool created by a keyport version
   * without the alias, so that the deployment leaves it as it is. Ignored with `existingUserPool`.
   * @default true
   */
  readonly preferredUsernameSignIn?: boolean;
  /**
   * Rotate refresh tokens (ADR 0016): each refresh spends the token and returns a new one. `false`
   * keeps the app client without rotation and allows REFRESH_TOKEN_AUTH instead. keyport refreshes
   * with GetTokensFromRefreshToken either way, so a stack deployed before rotation can be upgraded in
   * two steps without refreshes failing in between: first the new code with `false`, then `true`.
   * Ignored with `existingUserPool`.
   * @default true
   */
  readonly refreshTokenRotation?: boolean;
  /**
   * How recent the sign-in behind an ID token must be (its `auth_time`) to add a passkey, delete one, or
   * delete the account; an older one is answered `401 reauthentication_required`. Whole seconds, 1 minute
   * to 1 hour (`SENSITIVE_ACTION_MAX_AGE_SECONDS`).
   * @default Duration.minutes(5)
   */
  readonly sensitiveActionMaxAge?: Duration;
  /** Lifetimes of the new app client's tokens. @default - ID and access 1 hour, refresh 30 days */
  readonly tokenValidity?: KeyportTokenValidity;
  /** @default - 50 requests per second, bursts of 100 */
  readonly throttling?: KeyportThrottling;
  /** Emit source maps in the bundles and enable them at run time (`NODE_OPTIONS`). @default false */
  readonly sourceMaps?: boolean;
  /** How long the functions' logs are kept. @default RetentionDays.ONE_MONTH */
  readonly logRetention?: RetentionDays;
  /**
   * The repository whose `src/handlers/lambda/*.ts` entry points are bundled, and whose
   * `package-lock.json` and `tsconfig.json` esbuild uses.
   * @default - the repository containing this file
   */
  readonly projectRoot?: string;
  /**
   * Prebuilt code for the functions instead of bundling with esbuild: for tests that need the
   * template but not the bundles, or for artefacts built elsewhere. Handlers are `index.handler`, and
   * each function's code must hold the files of {@link KEYPORT_BUNDLED_FILES} beside `index.mjs`
   * (`npm run build:lambda` puts them there).
   * @default - each entry point bundled with the local esbuild
   */
  readonly code?: KeyportFunctionCode;
}

/**
 * Every route of keyport's HTTP API (docs/openapi.yaml). `signedIn` routes need an ID token, which
 * API Gateway's JWT authorizer checks before the function runs; sign-out needs none, since holding the
 * refresh token is what signs out, and `/registration/finish` checks an optional token itself.
 */
export const KEYPORT_ROUTES: readonly { readonly method: HttpMethod; readonly path: string; readonly signedIn: boolean }[] = [
  { method: HttpMethod.POST, path: "/registration/start", signedIn: false },
  { method: HttpMethod.POST, path: "/registration/start-verified", signedIn: true },
  { method: HttpMethod.POST, path: "/registration/finish", signedIn: false },
  { method: HttpMethod.POST, path: "/authentication/discover", signedIn: false },
  { method: HttpMethod.POST, path: "/authentication/start", signedIn: false },
  { method: HttpMethod.POST, path: "/authentication/finish", signedIn: false },
  { method: HttpMethod.POST, path: "/authentication/refresh", signedIn: false },
  { method: HttpMethod.POST, path: "/authentication/sign-out", signedIn: false },
  { method: HttpMethod.GET, path: "/credentials", signedIn: true },
  { method: HttpMethod.PATCH, path: "/credentials/{credentialId}", signedIn: true },
  { method: HttpMethod.DELETE, path: "/credentials/{credentialId}", signedIn: true },
  { method: HttpMethod.GET, path: "/account", signedIn: true },
  { method: HttpMethod.PATCH, path: "/account", signedIn: true },
  { method: HttpMethod.DELETE, path: "/account", signedIn: true },
  { method: HttpMethod.POST, path: "/account/sign-out-everywhere", signedIn: true },
  { method: HttpMethod.GET, path: "/healthz", signedIn: false },
];

/** Entry points, relative to the project root; each exports `handler`. */
export const KEYPORT_ENTRY_POINTS: Readonly<Record<KeyportFunctionName, string>> = {
  httpApi: "src/main/lambda/http-api.ts",
  defineAuthChallenge: "src/main/lambda/define-auth-challenge.ts",
  createAuthChallenge: "src/main/lambda/create-auth-challenge.ts",
  verifyAuthChallengeResponse: "src/main/lambda/verify-auth-challenge-response.ts",
};

/**
 * Files a function reads at run time from beside its bundle (relative to the project root; each is
 * copied next to `index.mjs` under its own name). The authenticator catalog's data set (ADR 0019) is
 * too large to bundle, and only the HTTP function names authenticators: the triggers never load it.
 */
export const KEYPORT_BUNDLED_FILES: Readonly<Record<KeyportFunctionName, readonly string[]>> = {
  httpApi: ["src/adapters/authenticators/authenticators.json"],
  defineAuthChallenge: [],
  createAuthChallenge: [],
  verifyAuthChallengeResponse: [],
};

const DEFAULT_PROJECT_ROOT = fileURLToPath(new URL("../../", import.meta.url));

/**
 * How long a refresh token stays valid after it was rotated out (ADR 0016). Long enough for a client
 * whose refresh answer was lost (the HTTP function gives up after 10 s) to retry with the same token;
 * short enough that a rotated-out token that leaked is dead within half a minute. Cognito allows 0–60 s.
 */
export const REFRESH_TOKEN_ROTATION_GRACE_PERIOD = Duration.seconds(30);

/**
 * ESM bundles have no `require`, but CommonJS dependencies bundled into them (parts of the AWS SDK)
 * still call it for Node built-ins; esbuild's shim throws unless a real `require` is in scope.
 */
const REQUIRE_BANNER = "import { createRequire as __keyportCreateRequire } from 'node:module'; const require = __keyportCreateRequire(import.meta.url);";

/**
 * Everything keyport needs in one account and region. Environment-agnostic and lookup-free, so it
 * synthesises without AWS credentials. Each function gets its own role holding exactly the actions
 * its code calls, on exactly the tables, pool and secret it calls them on.
 */
export class KeyportPasskeys extends Construct {
  /** Ceremony sessions (challenges): short-lived, expired by DynamoDB's TTL. */
  readonly sessionTable: Table;
  /** Credentials, users and identity links: retained when the stack is deleted. */
  readonly credentialTable: Table;
  /** The pool keyport signs users in to (created, or imported from `existingUserPool`). */
  readonly userPool: IUserPool;
  readonly userPoolClient: IUserPoolClient;
  /** Keys the fake credential lists of unknown users, so they are stable across cold starts. */
  readonly unknownUserSecret: Secret;
  readonly httpApi: HttpApi;
  /** The `$default` stage, with throttling; its URL is the API's base URL. */
  readonly stage: HttpStage;
  readonly httpFunction: IFunction;
  /** The custom-auth triggers; with an existing pool, set these on it by hand. */
  readonly triggerFunctions: {
    readonly defineAuthChallenge: IFunction;
    readonly createAuthChallenge: IFunction;
    readonly verifyAuthChallengeResponse: IFunction;
  };

  constructor(scope: Construct, id: string, props: KeyportPasskeysProps) {
    super(scope, id);
    validateRelyingParty(props.rpId, props.allowedOrigins);
    const sensitiveActionMaxAgeSeconds = validateSensitiveActionMaxAge(props.sensitiveActionMaxAge ?? Duration.minutes(5));
    if (props.existingUserPool !== undefined && props.generateClientSecret === true) {
      throw new Error("generateClientSecret applies to the app client keyport creates; give existingUserPool.clientSecret instead");
    }

    // Sessions are disposable: losing them only fails ceremonies in progress.
    this.sessionTable = new Table(this, "SessionTable", {
      partitionKey: { name: "id", type: AttributeType.STRING },
      timeToLiveAttribute: "ttl",
      billingMode: BillingMode.PAY_PER_REQUEST,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      removalPolicy: RemovalPolicy.DESTROY,
    });
    // Losing this table locks every user out of their passkeys, so it outlives the stack.
    this.credentialTable = new Table(this, "CredentialTable", {
      partitionKey: { name: "pk", type: AttributeType.STRING },
      sortKey: { name: "sk", type: AttributeType.STRING },
      billingMode: BillingMode.PAY_PER_REQUEST,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      removalPolicy: RemovalPolicy.RETAIN,
    });

    // The functions use the text's own bytes as the key: 64 alphanumerics need no escaping anywhere.
    this.unknownUserSecret = new Secret(this, "UnknownUserSecret", {
      description: "keyport: key of the fake credential lists shown for unknown users",
      generateSecretString: { passwordLength: 64, excludePunctuation: true, includeSpace: false },
    });

    const common = {
      RP_ID: props.rpId,
      RP_NAME: props.rpName ?? "keyport",
      ALLOWED_ORIGINS: props.allowedOrigins.join(","),
      USER_VERIFICATION: props.userVerification ?? "required",
      STORAGE: "dynamodb",
      SESSION_TABLE: this.sessionTable.tableName,
      CREDENTIAL_TABLE: this.credentialTable.tableName,
      IDENTITY_PROVIDER: "cognito",
      ...(props.sourceMaps === true ? { NODE_OPTIONS: "--enable-source-maps" } : {}),
    };
    const factory = new FunctionFactory(this, props);

    // Triggers never reference the pool: the pool references them, and a reference back would be a cycle.
    const defineAuthChallenge = factory.create("defineAuthChallenge", {
      description: "keyport: Cognito DefineAuthChallenge trigger",
      // Trivial work; Cognito gives every trigger 5 seconds.
      memorySize: 256,
      timeout: Duration.seconds(5),
      environment: common,
    });
    const createAuthChallenge = factory.create("createAuthChallenge", {
      description: "keyport: Cognito CreateAuthChallenge trigger",
      memorySize: 512,
      timeout: Duration.seconds(5),
      environment: { ...common, UNKNOWN_USER_SECRET_ARN: this.unknownUserSecret.secretArn },
    });
    const verifyAuthChallengeResponse = factory.create("verifyAuthChallengeResponse", {
      description: "keyport: Cognito VerifyAuthChallengeResponse trigger",
      // Signature verification is CPU-bound, and Lambda's CPU share grows with memory.
      memorySize: 512,
      timeout: Duration.seconds(5),
      environment: common,
    });
    this.triggerFunctions = { defineAuthChallenge, createAuthChallenge, verifyAuthChallengeResponse };

    allow(createAuthChallenge, ["dynamodb:PutItem"], [this.sessionTable.tableArn]);
    allow(createAuthChallenge, ["dynamodb:GetItem", "dynamodb:Query", "dynamodb:BatchGetItem"], [this.credentialTable.tableArn]);
    allow(createAuthChallenge, ["secretsmanager:GetSecretValue"], [this.unknownUserSecret.secretArn]);
    allow(verifyAuthChallengeResponse, ["dynamodb:DeleteItem"], [this.sessionTable.tableArn]);
    allow(verifyAuthChallengeResponse, ["dynamodb:GetItem", "dynamodb:UpdateItem"], [this.credentialTable.tableArn]);

    const pool = props.existingUserPool === undefined ? this.createUserPool(props) : this.importUserPool(props.existingUserPool);
    this.userPool = pool.userPool;
    this.userPoolClient = pool.client;

    const httpFunction = factory.create("httpApi", {
      description: "keyport: HTTP API (ceremonies, passkey and account management)",
      memorySize: 512,
      // API Gateway gives up after 30 s; a ceremony that takes 10 s has already failed.
      timeout: Duration.seconds(10),
      environment: {
        ...common,
        UNKNOWN_USER_SECRET_ARN: this.unknownUserSecret.secretArn,
        COGNITO_USER_POOL_ID: this.userPool.userPoolId,
        COGNITO_CLIENT_ID: this.userPoolClient.userPoolClientId,
        ...(pool.clientSecret === undefined ? {} : { COGNITO_CLIENT_SECRET_ARN: pool.clientSecret.secretArn }),
        // Only the HTTP function performs sensitive actions; the triggers never read it.
        SENSITIVE_ACTION_MAX_AGE_SECONDS: String(sensitiveActionMaxAgeSeconds),
      },
    });
    this.httpFunction = httpFunction;
    allow(httpFunction, ["dynamodb:PutItem", "dynamodb:DeleteItem"], [this.sessionTable.tableArn]);
    // TransactWriteItems has no action of its own: each item in it is authorised as the single-item
    // action it performs. keyport's transactions Put (sign-up, registration, profile changes), Update (the
    // credential counts kept on the user's profile, ADR 0018), Delete (passkeys and accounts) and
    // ConditionCheck (that the user's profile holds those counts).
    allow(
      httpFunction,
      [
        "dynamodb:GetItem",
        "dynamodb:PutItem",
        "dynamodb:Query",
        "dynamodb:BatchGetItem",
        "dynamodb:UpdateItem",
        "dynamodb:DeleteItem",
        "dynamodb:ConditionCheckItem",
      ],
      [this.credentialTable.tableArn],
    );
    // InitiateAuth, RespondToAuthChallenge, GetTokensFromRefreshToken and RevokeToken (sign-out) are public
    // client APIs, authorized by the app client: Cognito evaluates no IAM policy for them. AdminGetUser
    // finishes a user whose creation was interrupted (CognitoIdentityProvider.createUser); AdminDeleteUser
    // also deletes accounts; AdminUpdateUserAttributes changes preferred_username and name; AdminUserGlobalSignOut
    // is sign-out everywhere.
    allow(
      httpFunction,
      [
        "cognito-idp:AdminCreateUser",
        "cognito-idp:AdminSetUserPassword",
        "cognito-idp:AdminDeleteUser",
        "cognito-idp:AdminGetUser",
        "cognito-idp:AdminUpdateUserAttributes",
        "cognito-idp:AdminUserGlobalSignOut",
      ],
      [this.userPool.userPoolArn],
    );
    allow(httpFunction, ["secretsmanager:GetSecretValue"], [this.unknownUserSecret.secretArn, ...(pool.clientSecret === undefined ? [] : [pool.clientSecret.secretArn])]);

    const api = this.createHttpApi(props, httpFunction);
    this.httpApi = api.httpApi;
    this.stage = api.stage;
  }

  /** The API's base URL, e.g. `https://abc123.execute-api.eu-west-1.amazonaws.com/`. */
  get apiUrl(): string {
    return this.stage.url;
  }

  private createUserPool(props: KeyportPasskeysProps): { userPool: IUserPool; client: IUserPoolClient; clientSecret?: ISecret } {
    const userPool = new UserPool(this, "UserPool", {
      // keyport creates users itself (AdminCreateUser) once a passkey is registered.
      selfSignUpEnabled: false,
      // Users sign in by their username (keyport's user handle) and, as an alias, by preferred_username
      // (the username they chose), compared ignoring case. Neither can change once the pool exists:
      // UpdateUserPool has no AliasAttributes, UsernameAttributes or UsernameConfiguration, and Cognito's
      // developer guide lists sign-in options and case sensitivity among the settings that need a new
      // pool. CloudFormation's reference has said both "Replacement" (older editions) and "No
      // interruption" (today) for AliasAttributes, so adding the alias to a pool created without it either
      // fails the stack update or replaces the pool: a new, empty pool, the old one (retained) orphaned
      // with every user in it. A pool created without the alias keeps it so: preferredUsernameSignIn: false.
      signInAliases: { username: true, preferredUsername: props.preferredUsernameSignIn ?? true },
      signInCaseSensitive: false,
      // Users have no e-mail or phone and no usable password: a passkey is their only way in.
      accountRecovery: AccountRecovery.NONE,
      mfa: Mfa.OFF,
      // Custom authentication and its triggers are in the Lite plan; nothing here needs more.
      featurePlan: FeaturePlan.LITE,
      lambdaTriggers: {
        defineAuthChallenge: this.triggerFunctions.defineAuthChallenge,
        createAuthChallenge: this.triggerFunctions.createAuthChallenge,
        verifyAuthChallengeResponse: this.triggerFunctions.verifyAuthChallengeResponse,
      },
      // The credential table is retained; deleting the users its credentials belong to would orphan it.
      removalPolicy: RemovalPolicy.RETAIN,
    });
    const validity = props.tokenValidity ?? {};
    const rotation = props.refreshTokenRotation ?? true;
    const client = userPool.addClient("AppClient", {
      // Custom authentication only: with a rotation grace period set, CDK leaves ALLOW_REFRESH_TOKEN_AUTH
      // out of the flows, as Cognito requires of an app client that rotates refresh tokens; without
      // rotation CDK adds it, which refreshing then needs (test/infra checks both).
      authFlows: { custom: true },
      generateSecret: props.generateClientSecret ?? false,
      // Unknown users get the same challenge as known ones; Cognito must not tell them apart either.
      preventUserExistenceErrors: true,
      // Cognito's session between InitiateAuth and the passkey answer: enough to touch a security key.
      authSessionValidity: Duration.minutes(3),
      idTokenValidity: validity.idToken ?? Duration.hours(1),
      accessTokenValidity: validity.accessToken ?? Duration.hours(1),
      refreshTokenValidity: validity.refreshToken ?? Duration.days(30),
      // Every refresh (GetTokensFromRefreshToken) returns a new refresh token and spends the old one (ADR 0016).
      ...(rotation ? { refreshTokenRotationGracePeriod: REFRESH_TOKEN_ROTATION_GRACE_PERIOD } : {}),
      enableTokenRevocation: true,
      // No hosted UI: tokens come only from keyport's ceremonies.
      disableOAuth: true,
    });
    if (props.generateClientSecret !== true) return { userPool, client };
    // Kept in Secrets Manager, not the environment, so it is not readable by whoever can read the function's configuration.
    const clientSecret = new Secret(this, "ClientSecret", {
      description: "keyport: the app client's secret",
      secretStringValue: client.userPoolClientSecret,
    });
    return { userPool, client, clientSecret };
  }

  private importUserPool(existing: ExistingUserPool): { userPool: IUserPool; client: IUserPoolClient; clientSecret?: ISecret } {
    const userPool = UserPool.fromUserPoolArn(
      this,
      "UserPool",
      Stack.of(this).formatArn({ service: "cognito-idp", region: poolRegion(this, existing.userPoolId), resource: "userpool", resourceName: existing.userPoolId }),
    );
    const client = UserPoolClient.fromUserPoolClientId(this, "AppClient", existing.userPoolClientId);
    // What `lambdaTriggers` does for a pool we own: only this pool may invoke the triggers.
    for (const [name, fn] of Object.entries(this.triggerFunctions)) {
      fn.addPermission(`${name}CognitoInvoke`, {
        principal: new ServicePrincipal("cognito-idp.amazonaws.com"),
        action: "lambda:InvokeFunction",
        sourceArn: userPool.userPoolArn,
      });
    }
    return existing.clientSecret === undefined ? { userPool, client } : { userPool, client, clientSecret: existing.clientSecret };
  }

  private createHttpApi(props: KeyportPasskeysProps, fn: IFunction): { httpApi: HttpApi; stage: HttpStage } {
    const httpApi = new HttpApi(this, "HttpApi", {
      description: "keyport passkey ceremonies",
      // The default stage cannot be throttled through HttpApi's props; ours is created below.
      createDefaultStage: false,
      // API Gateway answers preflights itself and replaces the function's CORS headers with these, so
      // they must say what the app's CORS middleware says (src/handlers/http/middleware/cors.ts).
      corsPreflight: {
        allowOrigins: [...props.allowedOrigins],
        allowHeaders: ["content-type", "authorization", "x-correlation-id"],
        allowMethods: [CorsHttpMethod.GET, CorsHttpMethod.POST, CorsHttpMethod.PATCH, CorsHttpMethod.DELETE, CorsHttpMethod.OPTIONS],
        exposeHeaders: ["x-correlation-id"],
        maxAge: Duration.hours(1),
      },
    });
    const stage = new HttpStage(this, "DefaultStage", {
      httpApi,
      autoDeploy: true,
      throttle: { rateLimit: props.throttling?.rateLimit ?? 50, burstLimit: props.throttling?.burstLimit ?? 100 },
    });

    // The app still verifies the ID token itself; the authorizer keeps unsigned callers from reaching it.
    const authorizer: IHttpRouteAuthorizer = new HttpUserPoolAuthorizer("CognitoAuthorizer", this.userPool, {
      userPoolClients: [this.userPoolClient],
      identitySource: ["$request.header.Authorization"],
      ...(props.existingUserPool === undefined ? {} : { userPoolRegion: poolRegion(this, props.existingUserPool.userPoolId) }),
    });
    const integration = new HttpLambdaIntegration("HttpFunction", fn);
    for (const route of KEYPORT_ROUTES) {
      httpApi.addRoutes({ path: route.path, methods: [route.method], integration, ...(route.signedIn ? { authorizer } : {}) });
    }
    return { httpApi, stage };
  }
}

/** Builds the functions, bundled from their entry points or from `props.code`, each with its own role. */
class FunctionFactory {
  private readonly projectRoot: string;

  constructor(
    private readonly scope: Construct,
    private readonly props: KeyportPasskeysProps,
  ) {
    this.projectRoot = props.projectRoot ?? DEFAULT_PROJECT_ROOT;
  }

  create(name: KeyportFunctionName, options: { description: string; memorySize: number; timeout: Duration; environment: Record<string, string> }): LambdaFunction {
    const id = `${name.charAt(0).toUpperCase()}${name.slice(1)}Function`;
    const logGroup = new LogGroup(this.scope, `${id}Logs`, { retention: this.props.logRetention ?? RetentionDays.ONE_MONTH });
    // Our own role instead of AWSLambdaBasicExecutionRole, whose log permissions cover every log group.
    const role = new Role(this.scope, `${id}Role`, { assumedBy: new ServicePrincipal("lambda.amazonaws.com") });
    logGroup.grantWrite(role);
    const common = {
      ...options,
      runtime: Runtime.NODEJS_22_X,
      architecture: Architecture.ARM_64,
      role,
      logGroup,
    };
    const code = this.props.code?.[name];
    if (code !== undefined) return new LambdaFunction(this.scope, id, { ...common, code, handler: "index.handler" });

    const entry = join(this.projectRoot, KEYPORT_ENTRY_POINTS[name]);
    if (!existsSync(entry)) throw new Error(`keyport: entry point ${entry} does not exist`);
    const files = KEYPORT_BUNDLED_FILES[name];
    for (const file of files) {
      if (!existsSync(join(this.projectRoot, file))) throw new Error(`keyport: ${file}, which the ${name} function reads at run time, does not exist`);
    }
    return new NodejsFunction(this.scope, id, {
      ...common,
      entry,
      handler: "handler",
      projectRoot: this.projectRoot,
      depsLockFilePath: join(this.projectRoot, "package-lock.json"),
      bundling: {
        // The esbuild in node_modules, never a Docker image: synth must work on machines without Docker.
        forceDockerBundling: false,
        format: OutputFormat.ESM,
        mainFields: ["module", "main"],
        banner: REQUIRE_BANNER,
        target: "node22",
        minify: true,
        sourceMap: this.props.sourceMaps === true,
        // The SDK versions keyport was tested with, not whatever the runtime ships this month.
        bundleAwsSDK: true,
        ...(files.length === 0 ? {} : { commandHooks: copyBeside(files) }),
      },
    });
  }
}

/**
 * Copies `files` (relative to the project root) beside the bundle after esbuild has run. Node does the
 * copying rather than `cp`, so that local bundling works wherever synth does.
 */
function copyBeside(files: readonly string[]): ICommandHooks {
  const copy = "require('node:fs').copyFileSync(process.argv[1], process.argv[2])";
  return {
    beforeBundling: () => [],
    beforeInstall: () => [],
    afterBundling: (inputDir, outputDir) => files.map((file) => `node -e "${copy}" "${join(inputDir, file)}" "${join(outputDir, basename(file))}"`),
  };
}

/** Grants exactly these actions on exactly these resources; no wildcards, no extra "helpful" actions. */
function allow(fn: IFunction, actions: string[], resources: string[]): void {
  fn.addToRolePolicy(new PolicyStatement({ actions, resources }));
}

/** The same bounds as the configuration's (src/composition/config.ts), checked at synth time. */
function validateSensitiveActionMaxAge(maxAge: Duration): number {
  if (maxAge.isUnresolved()) throw new Error("keyport: sensitiveActionMaxAge must be a literal duration, not a token");
  const seconds = maxAge.toSeconds({ integral: false });
  if (!Number.isInteger(seconds) || seconds < 60 || seconds > 3600) {
    throw new Error(`keyport: sensitiveActionMaxAge must be whole seconds from 1 minute to 1 hour, got ${maxAge.toHumanString()}`);
  }
  return seconds;
}

function poolRegion(scope: Construct, userPoolId: string): string {
  if (Token.isUnresolved(userPoolId)) return Stack.of(scope).region;
  const region = userPoolId.split("_")[0];
  if (region === undefined || !/^[a-z]{2}(-[a-z]+)+-\d$/.test(region)) throw new Error(`keyport: ${userPoolId} is not a user pool ID (<region>_<id>)`);
  return region;
}

/**
 * The checks keyport's configuration makes at start-up (src/composition/config.ts), made at synth
 * time instead, so a wrong origin fails `cdk synth` rather than every cold start after deployment.
 */
function validateRelyingParty(rpId: string, origins: readonly string[]): void {
  if (Token.isUnresolved(rpId) || origins.some((o) => Token.isUnresolved(o))) return;
  if (!/^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$/.test(rpId)) {
    throw new Error(`keyport: rpId must be a lower-case domain name, got ${JSON.stringify(rpId)}`);
  }
  if (origins.length === 0) throw new Error("keyport: allowedOrigins must list at least one origin");
  for (const origin of origins) {
    let url: URL;
    try {
      url = new URL(origin);
    } catch {
      throw new Error(`keyport: ${JSON.stringify(origin)} is not an origin`);
    }
    if (url.origin !== origin) throw new Error(`keyport: ${JSON.stringify(origin)} is not an origin (expected ${JSON.stringify(url.origin)})`);
    if (url.hostname !== rpId && !url.hostname.endsWith(`.${rpId}`)) throw new Error(`keyport: ${JSON.stringify(origin)} is not within rpId ${JSON.stringify(rpId)}`);
    if (url.protocol !== "https:" && url.hostname !== "localhost") throw new Error(`keyport: ${JSON.stringify(origin)} must use https`);
  }
}
