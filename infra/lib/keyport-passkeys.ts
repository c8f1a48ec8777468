/**
 * keyport on AWS as one reusable construct: a Cognito user pool (or an existing one) whose custom
 * authentication is answered by keyport's triggers, the three DynamoDB tables, the HTTP API in front of
 * the shared Hono app, the secret behind the fake credential lists of unknown users, and the operator's
 * view of the ceremonies: a CloudWatch dashboard and an alarm on failed sign-ins. With FIDO metadata
 * (ADR 0027), also the bucket of the verified metadata snapshot and the function that refreshes it.
 */
import { existsSync } from "node:fs";
import { basename, join } from "node:path";
import { fileURLToPath } from "node:url";
import { Duration, RemovalPolicy, Stack, Token } from "aws-cdk-lib";
import { CorsHttpMethod, HttpApi, HttpMethod, HttpStage, type IHttpRouteAuthorizer } from "aws-cdk-lib/aws-apigatewayv2";
import { HttpUserPoolAuthorizer } from "aws-cdk-lib/aws-apigatewayv2-authorizers";
import { HttpLambdaIntegration } from "aws-cdk-lib/aws-apigatewayv2-integrations";
import {
  AccountRecovery,
  ClientAttributes,
  FeaturePlan,
  Mfa,
  StringAttribute,
  UserPool,
  UserPoolClient,
  type AuthFlow,
  type IUserPool,
  type IUserPoolClient,
} from "aws-cdk-lib/aws-cognito";
import { Alarm, AlarmWidget, ComparisonOperator, Dashboard, GraphWidget, MathExpression, Metric, Stats, TextWidget, TreatMissingData } from "aws-cdk-lib/aws-cloudwatch";
import { AttributeType, BillingMode, Table, type Attribute } from "aws-cdk-lib/aws-dynamodb";
import { Rule, Schedule } from "aws-cdk-lib/aws-events";
import { LambdaFunction as LambdaTarget } from "aws-cdk-lib/aws-events-targets";
import { AnyPrincipal, Effect, PolicyStatement, Role, ServicePrincipal } from "aws-cdk-lib/aws-iam";
import { Architecture, Function as LambdaFunction, Runtime, type Code, type IFunction } from "aws-cdk-lib/aws-lambda";
import { NodejsFunction, OutputFormat, type ICommandHooks } from "aws-cdk-lib/aws-lambda-nodejs";
import { FilterPattern, LogGroup, MetricFilter, RetentionDays } from "aws-cdk-lib/aws-logs";
import { BlockPublicAccess, Bucket, BucketEncryption } from "aws-cdk-lib/aws-s3";
import { Secret, type ISecret } from "aws-cdk-lib/aws-secretsmanager";
import { Construct } from "constructs";
import { CREDENTIAL_TABLE, EVENT_TABLE, SESSION_TABLE, type KeyAttributeType, type TableDesign } from "../../src/adapters/dynamodb/dynamodb-tables.js";
import { CEREMONY_COUNT_METRIC, METRICS_NAMESPACE, METRICS_SERVICE } from "../../src/adapters/powertools/powertools-ceremony-metrics.js";
import { MDS_REFRESH_LOG_EVENT } from "../../src/handlers/lambda/mds-refresh.js";
import type { CeremonyOutcome } from "../../src/domain/activity/security-events.js";
import { PASSKEY_ENROLLED_ATTRIBUTE, SECOND_FACTOR_POLICIES, type SecondFactorPolicy } from "../../src/domain/custom-challenge/second-factor.js";
import { KeyportSettingError } from "./setting-error.js";

export { KeyportSettingError };

/** The four Lambda functions keyport always deploys; the keys {@link KeyportFunctionCode} must have. */
export type KeyportFunctionName = "httpApi" | "defineAuthChallenge" | "createAuthChallenge" | "verifyAuthChallengeResponse";

/** The function deployed only with FIDO metadata (`authenticatorPolicy: "certified"` or `metadata`): its refresh. */
export type KeyportMetadataFunctionName = "mdsRefresh";

/**
 * Prebuilt code for every function, used instead of bundling the entry points with esbuild. `mdsRefresh`
 * is needed only when the stack has FIDO metadata (synth stops, naming it, when it is missing then).
 */
export type KeyportFunctionCode = Readonly<Record<KeyportFunctionName, Code>> & { readonly mdsRefresh?: Code };

/** FIDO metadata (MDS3) on AWS (ADR 0027): how the verified snapshot the functions read is kept fresh. */
export interface KeyportMetadata {
  /** How often the refresh function downloads and verifies the BLOB (FIDO publishes about monthly). @default Duration.days(1) */
  readonly refreshInterval?: Duration;
  /** Where the BLOB is downloaded from (`MDS_URL`): https only. @default "https://mds3.fidoalliance.org/" */
  readonly mdsUrl?: string;
}

/** A user pool keyport does not own. */
export interface ExistingUserPool {
  /** `<region>_<id>`; the region prefix is also the region of the authorizer's issuer. */
  readonly userPoolId: string;
  /**
   * An app client with ALLOW_CUSTOM_AUTH, PreventUserExistenceErrors ENABLED, an auth session validity
   * of 3 minutes, and refresh-token rotation (as keyport's own client has; ALLOW_REFRESH_TOKEN_AUTH must
   * then be off) or else ALLOW_REFRESH_TOKEN_AUTH: keyport cannot change a pool it only imports. keyport
   * refreshes with GetTokensFromRefreshToken, which works either way (ADR 0016).
   *
   * The pool must declare the custom attribute `passkey_enrolled` (String, mutable), whatever the
   * `secondFactor`: keyport writes it whenever a user's enabled passkeys change, and a registration whose
   * write fails stores nothing (ADR 0023). This client's write attributes must leave it out. With a
   * `secondFactor` other than `off`, ALLOW_USER_SRP_AUTH and ALLOW_USER_PASSWORD_AUTH must be off: they
   * sign in with the password alone, around DefineAuthChallenge.
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
   * A passkey as the second factor after a password (ADR 0023; `SECOND_FACTOR` of the DefineAuthChallenge
   * function). `off`: passkey-only custom authentication, and the new app client also allows the password
   * flows (USER_SRP_AUTH, USER_PASSWORD_AUTH) beside it, with no passkey asked. `if-enrolled`: a password
   * sign-in (CUSTOM_AUTH started with SRP_A, Amplify's `CUSTOM_WITH_SRP`) must also answer a passkey when
   * the user has one; `required`: always. Under both, the new app client allows custom authentication
   * only, since the password flows would go around DefineAuthChallenge. Passkey-only sign-in works under
   * every policy. With `existingUserPool`, only the function's setting follows this: set the client yourself.
   * @default "off"
   */
  readonly secondFactor?: SecondFactorPolicy;
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
  /**
   * How long a user's security events are kept (`EVENT_RETENTION_DAYS`): DynamoDB's TTL deletes each one
   * this long after it happened (ADR 0020). Whole days, 1 to 3650. A change applies to events written
   * after it; those already stored keep their expiry.
   * @default Duration.days(90)
   */
  readonly eventRetention?: Duration;
  /**
   * The alarm on failed sign-ins goes off when more than this many fail in 5 minutes, counted over every
   * user, through keyport's HTTP API and straight through Cognito alike. A positive whole number.
   * @default 50
   */
  readonly failedSignInAlarmThreshold?: number;
  /**
   * The attestation the registration options ask for (`ATTESTATION`; ADR 0027): `direct` or `enterprise`
   * is needed by an `authenticatorPolicy` other than `any`.
   * @default "none"
   */
  readonly attestation?: "none" | "direct" | "enterprise";
  /**
   * Which authenticators may hold a passkey (`AUTHENTICATOR_POLICY`; ADR 0027), judged at registration
   * and at every sign-in: `any`; `certified`, a trusted attestation of a model FIDO certifies and has not
   * reported compromised (this turns FIDO metadata on, see `metadata`); `allow-list`, a trusted
   * attestation of one of `allowedAaguids`.
   * @default "any"
   */
  readonly authenticatorPolicy?: "any" | "certified" | "allow-list";
  /** The AAGUIDs `allow-list` admits (`ALLOWED_AAGUIDS`); only with it. */
  readonly allowedAaguids?: readonly string[];
  /**
   * FIDO metadata (ADR 0027): a versioned S3 bucket holding the verified metadata snapshot, and a
   * function that downloads FIDO's MDS3 BLOB on a schedule, verifies it, and only then replaces the
   * snapshot; the HTTP API and the Create and Verify triggers read it (`MDS_S3_URI`), and only the
   * refresh function may write it. On whenever `authenticatorPolicy` is `certified`; give this to turn it
   * on under another policy (the passkey list then shows certification levels) or to change its settings.
   * The first snapshot is written by the first scheduled run: invoke the refresh function once after the
   * first deployment so that `certified` does not refuse registrations until then.
   * @default - only with authenticatorPolicy "certified", with the defaults of KeyportMetadata
   */
  readonly metadata?: KeyportMetadata;
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
 * API Gateway's JWT authorizer checks before the function runs. Sign-out needs none, since holding the
 * refresh token is what signs out: the ID token it may carry (to name whose trail records the sign-out)
 * is checked by the function, as `/registration/finish` checks its optional token.
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
  { method: HttpMethod.GET, path: "/events", signedIn: true },
  { method: HttpMethod.GET, path: "/healthz", signedIn: false },
];

/**
 * The ceremonies the functions count (`CeremonyOutcome`), as the dashboard titles them; the type makes
 * this list complete, so that a ceremony added to the domain fails to compile here until it is shown.
 */
export const KEYPORT_CEREMONIES = {
  registration: "Registrations",
  sign_in: "Sign-ins",
  refresh: "Token refreshes",
  sign_out: "Sign-outs",
  passkey_management: "Passkey changes",
  account_management: "Account changes",
} as const satisfies Record<CeremonyOutcome["ceremony"], string>;

const CEREMONIES = Object.keys(KEYPORT_CEREMONIES).filter((key): key is keyof typeof KEYPORT_CEREMONIES => key in KEYPORT_CEREMONIES);

/**
 * The explicit auth flows of the new app client under a second-factor policy (refresh as the rotation
 * setting decides, which CDK adds): custom authentication always; the password flows only under `off`,
 * since under `if-enrolled` and `required` they would sign in with the password alone, around
 * DefineAuthChallenge. The same flows as the local Cognito API's app client (`authFlowsFor`).
 */
export function appClientAuthFlows(policy: SecondFactorPolicy): AuthFlow {
  const passwordAlone = policy === "off";
  return { custom: true, userSrp: passwordAlone, userPassword: passwordAlone };
}

/**
 * The user attributes an app client lets a signed-in user write (UpdateUserAttributes with their access
 * token): the standard profile attributes keyport does not own. Left out: PASSKEY_ENROLLED_ATTRIBUTE,
 * which a user must never set (it decides whether a password sign-in needs a passkey), and
 * `preferred_username` and `name`, which keyport keeps equal to its own store (AdminUpdateUserAttributes,
 * ADR 0017: keyport decides who has a username). Without an explicit list, Cognito would let users write
 * every standard attribute.
 */
export const APP_CLIENT_WRITE_ATTRIBUTES = new ClientAttributes().withStandardAttributes({
  address: true,
  birthdate: true,
  email: true,
  familyName: true,
  gender: true,
  givenName: true,
  locale: true,
  middleName: true,
  nickname: true,
  phoneNumber: true,
  profilePicture: true,
  profilePage: true,
  timezone: true,
  website: true,
});

/** The name of PASSKEY_ENROLLED_ATTRIBUTE in the pool's schema, where `custom:` is implied. */
export const PASSKEY_ENROLLED_SCHEMA_NAME = PASSKEY_ENROLLED_ATTRIBUTE.replace(/^custom:/, "");

/** The period of the dashboard's graphs and of the alarm on failed sign-ins. */
export const CEREMONY_METRICS_PERIOD = Duration.minutes(5);

/** Entry points, relative to the project root; each exports `handler`. */
export const KEYPORT_ENTRY_POINTS: Readonly<Record<KeyportFunctionName | KeyportMetadataFunctionName, string>> = {
  httpApi: "src/main/lambda/http-api.ts",
  defineAuthChallenge: "src/main/lambda/define-auth-challenge.ts",
  createAuthChallenge: "src/main/lambda/create-auth-challenge.ts",
  verifyAuthChallengeResponse: "src/main/lambda/verify-auth-challenge-response.ts",
  mdsRefresh: "src/main/lambda/mds-refresh.ts",
};

/**
 * Files a function reads at run time from beside its bundle (relative to the project root; each is
 * copied next to `index.mjs` under its own name). The authenticator catalog's data set (ADR 0019) is
 * too large to bundle. The HTTP function names authenticators, and so does VerifyAuthChallengeResponse
 * in the sign-in events it records (the catalog reads the file on its first event); Define and Create
 * record no events and never load it.
 */
export const KEYPORT_BUNDLED_FILES: Readonly<Record<KeyportFunctionName | KeyportMetadataFunctionName, readonly string[]>> = {
  httpApi: ["src/adapters/authenticators/authenticators.json"],
  defineAuthChallenge: [],
  createAuthChallenge: [],
  verifyAuthChallengeResponse: ["src/adapters/authenticators/authenticators.json"],
  mdsRefresh: [],
};

/** The verified metadata snapshot's key in the metadata bucket (MDS_S3_URI). */
export const METADATA_SNAPSHOT_KEY = "mds3/metadata.json";

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
  /** Users' security activity, expired by DynamoDB's TTL after the retention period; retained when the stack is deleted. */
  readonly eventTable: Table;
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
  /** Succeeded and failed ceremonies, and failures by error code (the functions' `CeremonyCount` metric). */
  readonly dashboard: Dashboard;
  /**
   * FIDO metadata, when the stack has it: the snapshot's bucket, the function that refreshes it, and its
   * two alarms (a failed run; three days without taking a BLOB). The alarms have no action: add yours.
   */
  readonly metadata?: { readonly bucket: Bucket; readonly refreshFunction: IFunction; readonly refusedAlarm: Alarm; readonly staleAlarm: Alarm };
  /**
   * More than `failedSignInAlarmThreshold` failed sign-ins in 5 minutes. It has no action: add yours,
   * e.g. `failedSignInAlarm.addAlarmAction(new SnsAction(topic))`.
   */
  readonly failedSignInAlarm: Alarm;

  constructor(scope: Construct, id: string, props: KeyportPasskeysProps) {
    super(scope, id);
    validateRelyingParty(props.rpId, props.allowedOrigins);
    const sensitiveActionMaxAgeSeconds = validateSensitiveActionMaxAge(props.sensitiveActionMaxAge ?? Duration.minutes(5));
    const eventRetentionDays = validateEventRetention(props.eventRetention ?? Duration.days(90));
    const failedSignInAlarmThreshold = validateAlarmThreshold(props.failedSignInAlarmThreshold ?? 50);
    const secondFactor = validateSecondFactor(props.secondFactor ?? "off");
    const authenticators = validateAuthenticators(props);
    if (props.existingUserPool !== undefined && props.generateClientSecret === true) {
      throw new KeyportSettingError("keyport: generateClientSecret applies to the app client keyport creates; give existingUserPool.clientSecret instead");
    }

    // The key schemas and TTL attributes are the adapters' own (dynamodb-tables.ts), so the two cannot disagree.
    // Sessions are disposable: losing them only fails ceremonies in progress.
    this.sessionTable = table(this, "SessionTable", SESSION_TABLE, RemovalPolicy.DESTROY);
    // Losing this table locks every user out of their passkeys, so it outlives the stack.
    this.credentialTable = table(this, "CredentialTable", CREDENTIAL_TABLE, RemovalPolicy.RETAIN);
    // The users' audit trail, which outlives their accounts until the retention period ends (ADR 0020),
    // outlives the stack too; its TTL goes on forgetting events after the stack is gone.
    this.eventTable = table(this, "EventTable", EVENT_TABLE, RemovalPolicy.RETAIN);
    // What the two functions that record events need: where, and for how long (each item's `ttl`).
    const events = { EVENT_TABLE: this.eventTable.tableName, EVENT_RETENTION_DAYS: String(eventRetentionDays) };

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

    // FIDO metadata: verified by the refresh function alone, read by the functions that judge authenticators.
    const metadata = authenticators.metadata === null ? null : this.createMetadata(factory, authenticators.metadata, props.sourceMaps === true);
    this.metadata = metadata ?? undefined;
    // What the functions that register or sign in need to judge an authenticator by the same rules.
    const judging = { ...authenticators.environment, ...(metadata === null ? {} : { MDS_S3_URI: metadata.uri }) };

    // Triggers never reference the pool: the pool references them, and a reference back would be a cycle.
    const defineAuthChallenge = factory.create("defineAuthChallenge", {
      description: "keyport: Cognito DefineAuthChallenge trigger",
      // Trivial work; Cognito gives every trigger 5 seconds.
      memorySize: 256,
      timeout: Duration.seconds(5),
      // Only Define decides what a sign-in must answer; it reads whether a user has a passkey from the
      // user's attributes Cognito hands it (PASSKEY_ENROLLED_ATTRIBUTE), which the HTTP function writes.
      environment: { ...common, SECOND_FACTOR: secondFactor },
    });
    const createAuthChallenge = factory.create("createAuthChallenge", {
      description: "keyport: Cognito CreateAuthChallenge trigger",
      memorySize: 512,
      timeout: Duration.seconds(5),
      environment: { ...common, ...judging, UNKNOWN_USER_SECRET_ARN: this.unknownUserSecret.secretArn },
    });
    const verifyAuthChallengeResponse = factory.create("verifyAuthChallengeResponse", {
      description: "keyport: Cognito VerifyAuthChallengeResponse trigger",
      // Signature verification is CPU-bound, and Lambda's CPU share grows with memory.
      memorySize: 512,
      timeout: Duration.seconds(5),
      // Verify records sign-ins (ADR 0020). The secret keys the MAC on the request context that keyport's
      // HTTP API sends with a sign-in: without it no context would verify, and a direct Cognito client
      // could not be told from keyport's own API.
      environment: { ...common, ...judging, ...events, UNKNOWN_USER_SECRET_ARN: this.unknownUserSecret.secretArn },
    });
    this.triggerFunctions = { defineAuthChallenge, createAuthChallenge, verifyAuthChallengeResponse };

    allow(createAuthChallenge, ["dynamodb:PutItem"], [this.sessionTable.tableArn]);
    allow(createAuthChallenge, ["dynamodb:GetItem", "dynamodb:Query", "dynamodb:BatchGetItem"], [this.credentialTable.tableArn]);
    allow(createAuthChallenge, ["secretsmanager:GetSecretValue"], [this.unknownUserSecret.secretArn]);
    allow(verifyAuthChallengeResponse, ["dynamodb:DeleteItem"], [this.sessionTable.tableArn]);
    allow(verifyAuthChallengeResponse, ["dynamodb:GetItem", "dynamodb:UpdateItem"], [this.credentialTable.tableArn]);
    // A sign-in's event: PutItem; a failed one's ticket in its window, and the count past the bound: UpdateItem.
    allow(verifyAuthChallengeResponse, ["dynamodb:PutItem", "dynamodb:UpdateItem"], [this.eventTable.tableArn]);
    allow(verifyAuthChallengeResponse, ["secretsmanager:GetSecretValue"], [this.unknownUserSecret.secretArn]);

    const pool = props.existingUserPool === undefined ? this.createUserPool(props, secondFactor) : this.importUserPool(props.existingUserPool);
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
        ...events,
        ...judging,
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
    // Events as for Verify (PutItem, UpdateItem), and GET /events: Query of the caller's partition.
    allow(httpFunction, ["dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:Query"], [this.eventTable.tableArn]);
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

    // Create shares Verify's composition, so it is given the settings, but it judges no authenticator: no read.
    if (metadata !== null) {
      for (const reader of [httpFunction, verifyAuthChallengeResponse]) allow(reader, ["s3:GetObject"], [metadata.objectArn]);
    }

    const api = this.createHttpApi(props, httpFunction);
    this.httpApi = api.httpApi;
    this.stage = api.stage;

    const operator = this.createOperatorView(failedSignInAlarmThreshold);
    this.dashboard = operator.dashboard;
    this.failedSignInAlarm = operator.alarm;
  }

  /**
   * The metadata bucket and its refresh function. The bucket is versioned (every snapshot a refresh
   * replaced is kept a year) and retained: a new stack would only download the BLOB again. Only the
   * refresh function's role may put the snapshot, by its identity policy and by the bucket's: an
   * administrator cannot put metadata past the verification either.
   */
  private createMetadata(factory: FunctionFactory, settings: { interval: Duration; mdsUrl: string | null }, sourceMaps: boolean) {
    const bucket = new Bucket(this, "MetadataBucket", {
      encryption: BucketEncryption.S3_MANAGED,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      versioned: true,
      lifecycleRules: [{ noncurrentVersionExpiration: Duration.days(365) }],
      removalPolicy: RemovalPolicy.RETAIN,
    });
    const uri = `s3://${bucket.bucketName}/${METADATA_SNAPSHOT_KEY}`;
    const objectArn = bucket.arnForObjects(METADATA_SNAPSHOT_KEY);
    const refreshFunction = factory.create("mdsRefresh", {
      description: "keyport: downloads and verifies the FIDO MDS3 BLOB, then replaces the verified metadata snapshot",
      // Parsing a BLOB of several megabytes and verifying its chain; nobody waits for it.
      memorySize: 512,
      timeout: Duration.minutes(1),
      environment: {
        MDS_S3_URI: uri,
        ...(settings.mdsUrl === null ? {} : { MDS_URL: settings.mdsUrl }),
        ...(sourceMaps ? { NODE_OPTIONS: "--enable-source-maps" } : {}),
      },
    });
    allow(refreshFunction, ["s3:GetObject", "s3:PutObject"], [objectArn]);
    // So that a snapshot not written yet reads as NoSuchKey (404), not AccessDenied (403).
    allow(refreshFunction, ["s3:ListBucket"], [bucket.bucketArn]);
    const writer = refreshFunction.role;
    if (writer === undefined) throw new Error("keyport: the metadata refresh function has no role");
    bucket.addToResourcePolicy(
      new PolicyStatement({
        effect: Effect.DENY,
        principals: [new AnyPrincipal()],
        actions: ["s3:PutObject"],
        resources: [bucket.arnForObjects("*")],
        conditions: { ArnNotEquals: { "aws:PrincipalArn": writer.roleArn } },
      }),
    );
    new Rule(this, "MetadataRefreshSchedule", {
      description: "keyport: refresh the FIDO metadata snapshot",
      schedule: Schedule.rate(settings.interval),
      targets: [new LambdaTarget(refreshFunction, { retryAttempts: 2 })],
    });
    return { bucket, refreshFunction, uri, objectArn, ...this.createMetadataAlarms(refreshFunction) };
  }

  /**
   * The operator's two signals from the refresh (its one log line per run, src/handlers/lambda/mds-refresh.ts):
   * `refusedAlarm` at once when a run fails (a fault, or a downloaded BLOB that does not verify: someone
   * should look), and `staleAlarm` when the BLOB could not be taken for three days running (a download
   * that fails, a BLOB past its nextUpdate: the metadata in force is ageing). No actions: add yours.
   */
  private createMetadataAlarms(refreshFunction: LambdaFunction): { refusedAlarm: Alarm; staleAlarm: Alarm } {
    const countLines = (id: string, level: "error" | "warn"): Metric =>
      new MetricFilter(this, id, {
        logGroup: refreshFunction.logGroup,
        filterPattern: FilterPattern.all(FilterPattern.stringValue("$.event", "=", MDS_REFRESH_LOG_EVENT), FilterPattern.stringValue("$.level", "=", level)),
        metricNamespace: METRICS_NAMESPACE,
        metricName: id,
        metricValue: "1",
      }).metric({ statistic: Stats.SUM });
    const refused = new MathExpression({
      label: "refresh runs that failed",
      expression: "FILL(refused, 0) + FILL(faults, 0)",
      usingMetrics: { refused: countLines("MetadataRefreshRefused", "error").with({ period: Duration.hours(1) }), faults: refreshFunction.metricErrors({ period: Duration.hours(1) }) },
      period: Duration.hours(1),
    });
    const refusedAlarm = new Alarm(this, "MetadataRefreshFailedAlarm", {
      alarmDescription: "keyport: the FIDO metadata refresh failed (a fault, or a BLOB whose signature or chain does not verify); the metadata in force is kept. Its log line says why.",
      metric: refused,
      threshold: 0,
      comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });
    const staleAlarm = new Alarm(this, "MetadataStaleAlarm", {
      alarmDescription: "keyport: for three days the FIDO metadata refresh could not take a BLOB (download failed, or past its nextUpdate); the metadata in force is ageing.",
      metric: countLines("MetadataRefreshDeferred", "warn").with({ period: Duration.days(1) }),
      threshold: 0,
      comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 3,
      datapointsToAlarm: 3,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });
    return { refusedAlarm, staleAlarm };
  }

  /** The API's base URL, e.g. `https://abc123.execute-api.eu-west-1.amazonaws.com/`. */
  get apiUrl(): string {
    return this.stage.url;
  }

  /**
   * The operator's view of the `CeremonyCount` metric that the HTTP function and the Verify trigger write
   * through Powertools (EMF lines in their logs, which CloudWatch turns into metrics; no IAM needed). Two
   * series (powertools-ceremony-metrics.ts): [service, ceremony, outcome] for every count, which the
   * graphs per ceremony and the alarm read, and [service, ceremony, outcome, code] for failures by code,
   * which SEARCH expressions read, since the codes are not known here.
   */
  private createOperatorView(failedSignInAlarmThreshold: number): { dashboard: Dashboard; alarm: Alarm } {
    const count = (ceremony: CeremonyOutcome["ceremony"], outcome: CeremonyOutcome["outcome"]) =>
      new Metric({
        namespace: METRICS_NAMESPACE,
        metricName: CEREMONY_COUNT_METRIC,
        dimensionsMap: { service: METRICS_SERVICE, ceremony, outcome },
        statistic: Stats.SUM,
        period: CEREMONY_METRICS_PERIOD,
      });
    const line = (ceremony: CeremonyOutcome["ceremony"], outcome: CeremonyOutcome["outcome"]) =>
      count(ceremony, outcome).with({ label: outcome, color: outcome === "succeeded" ? "#2ca02c" : "#d62728" });
    const byCode = (ceremony: CeremonyOutcome["ceremony"] | null) =>
      new MathExpression({
        // A line per code the search finds, each labelled by CloudWatch's dynamic labels with its code.
        label: ceremony === null ? "${PROP('Dim.ceremony')} ${PROP('Dim.code')}" : "${PROP('Dim.code')}",
        expression: `SEARCH('{${METRICS_NAMESPACE},service,ceremony,outcome,code} MetricName="${CEREMONY_COUNT_METRIC}" service="${METRICS_SERVICE}" outcome="failed"${ceremony === null ? "" : ` ceremony="${ceremony}"`}', 'Sum', ${CEREMONY_METRICS_PERIOD.toSeconds()})`,
        usingMetrics: {},
        period: CEREMONY_METRICS_PERIOD,
      });

    const failedSignIns = count("sign_in", "failed");
    const alarm = new Alarm(this, "FailedSignInAlarm", {
      alarmDescription: `keyport: more than ${failedSignInAlarmThreshold} failed sign-ins in 5 minutes, over all users (someone guessing, or a broken client or deployment). The dashboard shows them by error code.`,
      metric: failedSignIns,
      threshold: failedSignInAlarmThreshold,
      comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 1,
      datapointsToAlarm: 1,
      // No failed sign-in in a period writes no data point: that is good news, not a missing metric.
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });

    const dashboard = new Dashboard(this, "Dashboard", { defaultInterval: Duration.days(1) });
    dashboard.addWidgets(
      new TextWidget({
        markdown: `## keyport ceremonies\nCounts per ${CEREMONY_METRICS_PERIOD.toMinutes()} minutes of metric \`${CEREMONY_COUNT_METRIC}\` (namespace \`${METRICS_NAMESPACE}\`), from the HTTP API and the VerifyAuthChallengeResponse trigger. A failure is counted again with its error code: the HTTP API's (docs/api.md), or for a sign-in Verify refused, the precise reason (signature_invalid, origin_mismatch, …).`,
        width: 24,
        height: 2,
      }),
    );
    dashboard.addWidgets(
      ...CEREMONIES.map(
        (ceremony) =>
          new GraphWidget({
            title: `${KEYPORT_CEREMONIES[ceremony]}: succeeded and failed`,
            left: [line(ceremony, "succeeded"), line(ceremony, "failed")],
            leftYAxis: { min: 0, showUnits: false },
            width: 8,
            height: 6,
          }),
      ),
    );
    dashboard.addWidgets(
      new GraphWidget({ title: "Failed sign-ins by error code", left: [byCode("sign_in")], leftYAxis: { min: 0, showUnits: false }, width: 12, height: 6 }),
      new AlarmWidget({ title: "Failed sign-ins (alarm)", alarm, leftYAxis: { min: 0 }, width: 12, height: 6 }),
    );
    dashboard.addWidgets(new GraphWidget({ title: "Every failure by ceremony and error code", left: [byCode(null)], leftYAxis: { min: 0, showUnits: false }, width: 24, height: 6 }));
    return { dashboard, alarm };
  }

  private createUserPool(props: KeyportPasskeysProps, secondFactor: SecondFactorPolicy): { userPool: IUserPool; client: IUserPoolClient; clientSecret?: ISecret } {
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
      // Whether the user has an enabled passkey ("true"/"false"), which the HTTP function keeps in step
      // (AdminUpdateUserAttributes) and DefineAuthChallenge reads (ADR 0023). Declared under every policy,
      // so that changing the policy later finds it filled in. Cognito adds a custom attribute to a pool in
      // place (AddCustomAttributes), but can never change or remove one: hence no bounds beyond its values.
      customAttributes: { [PASSKEY_ENROLLED_SCHEMA_NAME]: new StringAttribute({ mutable: true, minLen: 4, maxLen: 5 }) },
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
      // Custom authentication, and the password flows only where no passkey can be the second factor
      // (appClientAuthFlows). With a rotation grace period set, CDK leaves ALLOW_REFRESH_TOKEN_AUTH out
      // of the flows, as Cognito requires of an app client that rotates refresh tokens; without rotation
      // CDK adds it, which refreshing then needs (test/infra checks both).
      authFlows: appClientAuthFlows(secondFactor),
      // Users may read their passkey-enrolled attribute, but never write it: it decides whether their
      // password alone signs them in. Reading stays Cognito's default (every attribute).
      writeAttributes: APP_CLIENT_WRITE_ATTRIBUTES,
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

  create(name: KeyportFunctionName | KeyportMetadataFunctionName, options: { description: string; memorySize: number; timeout: Duration; environment: Record<string, string> }): LambdaFunction {
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
    if (this.props.code !== undefined) throw new KeyportSettingError(`keyport: code has no ${name} function, which this stack needs`);

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

/** An on-demand table with point-in-time recovery, of one of the adapters' designs. */
function table(scope: Construct, id: string, design: TableDesign, removalPolicy: RemovalPolicy): Table {
  const types: Record<KeyAttributeType, AttributeType> = { S: AttributeType.STRING, N: AttributeType.NUMBER, B: AttributeType.BINARY };
  const attribute = (key: { readonly name: string; readonly type: KeyAttributeType }): Attribute => ({ name: key.name, type: types[key.type] });
  return new Table(scope, id, {
    partitionKey: attribute(design.partitionKey),
    ...(design.sortKey === undefined ? {} : { sortKey: attribute(design.sortKey) }),
    ...(design.timeToLiveAttribute === undefined ? {} : { timeToLiveAttribute: design.timeToLiveAttribute }),
    billingMode: BillingMode.PAY_PER_REQUEST,
    pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
    removalPolicy,
  });
}

/** Grants exactly these actions on exactly these resources; no wildcards, no extra "helpful" actions. */
function allow(fn: IFunction, actions: string[], resources: string[]): void {
  fn.addToRolePolicy(new PolicyStatement({ actions, resources }));
}

/** The same bounds as the configuration's (src/composition/config.ts), checked at synth time. */
function validateSensitiveActionMaxAge(maxAge: Duration): number {
  if (maxAge.isUnresolved()) throw new KeyportSettingError("keyport: sensitiveActionMaxAge must be a literal duration, not a token");
  const seconds = maxAge.toSeconds({ integral: false });
  if (!Number.isInteger(seconds) || seconds < 60 || seconds > 3600) {
    throw new KeyportSettingError(`keyport: sensitiveActionMaxAge must be whole seconds from 1 minute to 1 hour, got ${maxAge.toHumanString()}`);
  }
  return seconds;
}

/** The configuration's bounds for EVENT_RETENTION_DAYS (1–3650 whole days), checked at synth time. */
function validateEventRetention(retention: Duration): number {
  if (retention.isUnresolved()) throw new KeyportSettingError("keyport: eventRetention must be a literal duration, not a token");
  const days = retention.toDays({ integral: false });
  if (!Number.isInteger(days) || days < 1 || days > 3650) {
    throw new KeyportSettingError(`keyport: eventRetention must be whole days from 1 to 3650, got ${retention.toHumanString()}`);
  }
  return days;
}

const AAGUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/**
 * ATTESTATION, AUTHENTICATOR_POLICY and ALLOWED_AAGUIDS as the configuration checks them at start-up
 * (src/composition/config.ts), checked at synth time; and whether the stack keeps FIDO metadata.
 */
function validateAuthenticators(props: KeyportPasskeysProps): {
  environment: Record<string, string>;
  metadata: { interval: Duration; mdsUrl: string | null } | null;
} {
  const attestation = props.attestation ?? "none";
  const policy = props.authenticatorPolicy ?? "any";
  if (!["none", "direct", "enterprise"].includes(attestation)) throw new KeyportSettingError(`keyport: attestation must be none, direct or enterprise, got ${JSON.stringify(attestation)}`);
  if (!["any", "certified", "allow-list"].includes(policy)) throw new KeyportSettingError(`keyport: authenticatorPolicy must be any, certified or allow-list, got ${JSON.stringify(policy)}`);
  const aaguids = (props.allowedAaguids ?? []).map((aaguid) => aaguid.trim().toLowerCase());
  if (policy !== "allow-list" && aaguids.length > 0) throw new KeyportSettingError("keyport: allowedAaguids is read only with authenticatorPolicy allow-list");
  if (policy !== "any" && attestation === "none") throw new KeyportSettingError(`keyport: authenticatorPolicy ${policy} judges the attestation: set attestation to direct or enterprise`);
  if (policy === "allow-list" && aaguids.length === 0) throw new KeyportSettingError("keyport: authenticatorPolicy allow-list needs allowedAaguids");
  for (const aaguid of aaguids) {
    if (!AAGUID.test(aaguid) || /^[0-]+$/.test(aaguid)) throw new KeyportSettingError(`keyport: allowedAaguids must be AAGUIDs (UUIDs, not all zeros), got ${JSON.stringify(aaguid)}`);
  }
  const environment: Record<string, string> = {
    ...(attestation === "none" ? {} : { ATTESTATION: attestation }),
    ...(policy === "any" ? {} : { AUTHENTICATOR_POLICY: policy }),
    ...(aaguids.length === 0 ? {} : { ALLOWED_AAGUIDS: aaguids.join(",") }),
  };
  if (props.metadata === undefined && policy !== "certified") return { environment, metadata: null };

  const interval = props.metadata?.refreshInterval ?? Duration.days(1);
  if (interval.isUnresolved() || interval.toMinutes({ integral: false }) < 60 || !Number.isInteger(interval.toMinutes({ integral: false }))) {
    throw new KeyportSettingError(`keyport: metadata.refreshInterval must be whole minutes, an hour or more, got ${interval.toHumanString()}`);
  }
  const mdsUrl = props.metadata?.mdsUrl ?? null;
  if (mdsUrl !== null && !Token.isUnresolved(mdsUrl)) {
    let url: URL | null;
    try {
      url = new URL(mdsUrl);
    } catch {
      url = null;
    }
    if (url === null || url.protocol !== "https:") throw new KeyportSettingError(`keyport: metadata.mdsUrl must be an https URL, got ${JSON.stringify(mdsUrl)}`);
  }
  return { environment, metadata: { interval, mdsUrl } };
}

/** SECOND_FACTOR's values (the configuration's own list), checked at synth time. */
function validateSecondFactor(policy: string): SecondFactorPolicy {
  const known = SECOND_FACTOR_POLICIES.find((candidate) => candidate === policy);
  if (known === undefined) throw new KeyportSettingError(`keyport: secondFactor must be one of ${SECOND_FACTOR_POLICIES.join(", ")}, got ${JSON.stringify(policy)}`);
  return known;
}

function validateAlarmThreshold(threshold: number): number {
  if (Token.isUnresolved(threshold) || !Number.isSafeInteger(threshold) || threshold < 1) {
    throw new KeyportSettingError(`keyport: failedSignInAlarmThreshold must be a positive whole number, got ${threshold}`);
  }
  return threshold;
}

function poolRegion(scope: Construct, userPoolId: string): string {
  if (Token.isUnresolved(userPoolId)) return Stack.of(scope).region;
  const region = userPoolId.split("_")[0];
  if (region === undefined || !/^[a-z]{2}(-[a-z]+)+-\d$/.test(region)) throw new KeyportSettingError(`keyport: ${userPoolId} is not a user pool ID (<region>_<id>)`);
  return region;
}

/**
 * The checks keyport's configuration makes at start-up (src/composition/config.ts), made at synth
 * time instead, so a wrong origin fails `cdk synth` rather than every cold start after deployment.
 */
function validateRelyingParty(rpId: string, origins: readonly string[]): void {
  if (Token.isUnresolved(rpId) || origins.some((o) => Token.isUnresolved(o))) return;
  if (!/^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$/.test(rpId)) {
    throw new KeyportSettingError(`keyport: rpId must be a lower-case domain name, got ${JSON.stringify(rpId)}`);
  }
  if (origins.length === 0) throw new KeyportSettingError("keyport: allowedOrigins must list at least one origin");
  for (const origin of origins) {
    let url: URL;
    try {
      url = new URL(origin);
    } catch {
      throw new KeyportSettingError(`keyport: ${JSON.stringify(origin)} is not an origin`);
    }
    if (url.origin !== origin) throw new KeyportSettingError(`keyport: ${JSON.stringify(origin)} is not an origin (expected ${JSON.stringify(url.origin)})`);
    if (url.hostname !== rpId && !url.hostname.endsWith(`.${rpId}`)) throw new KeyportSettingError(`keyport: ${JSON.stringify(origin)} is not within rpId ${JSON.stringify(rpId)}`);
    if (url.protocol !== "https:" && url.hostname !== "localhost") throw new KeyportSettingError(`keyport: ${JSON.stringify(origin)} must use https`);
  }
}
