/**
 * The three Cognito trigger entry points fed Cognito-shaped events: DefineAuthChallenge as deployed
 * (imported from the environment the stack gives it), Create and Verify as their entry points compose
 * them, over in-memory stores in place of DynamoDB and a stand-in for Secrets Manager.
 */
import { GetSecretValueCommand, SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { mockClient } from "aws-sdk-client-mock";
import { afterEach, describe, expect, it, vi } from "vitest";
import { httpApiConfig } from "../../../src/composition/lambda-http-api.js";
import type { SecretReader } from "../../../src/composition/lambda-secrets.js";
import { composeTriggers, lambdaTriggers } from "../../../src/composition/lambda-triggers.js";
import { requestContextKey, sealRequestContext } from "../../../src/domain/activity/request-context-seal.js";
import { UNKNOWN_REQUEST_CONTEXT } from "../../../src/domain/activity/security-events.js";
import { PASSKEY_CUSTOM_CHALLENGE_METADATA } from "../../../src/domain/custom-challenge/custom-challenge.js";
import type { CreateAuthChallengeEvent, VerifyAuthChallengeResponseEvent } from "../../../src/ports/custom-challenge-triggers.js";
import type { LogEntry } from "../../../src/handlers/http/log.js";
import { maskTriggerFaults } from "../../../src/handlers/lambda/shell.js";
import { buildDomain, ORIGIN } from "../../support/domain-harness.js";
import { SoftwareAuthenticator } from "../../support/software-authenticator.js";
import { CLIENT_SECRET_ARN, createEvent, defineEvent, HTTP_ENV, LAMBDA_ENV, UNKNOWN_USER_SECRET_ARN, verifyEvent } from "./events.js";

const SECRET_TEXT = "Q7bX2mN9pL4vR8sT1wY6zA3cF5hJ0kD2gE7uI9oP1qW4eR6tY8uI0oP3aS5dF7gH";

/** Secrets Manager as the stack fills it; records what was read. */
function secrets(values: Record<string, string>): SecretReader & { reads: string[][] } {
  const reads: string[][] = [];
  const read = async (arns: readonly string[]) => {
    reads.push([...arns]);
    return arns.map((arn) => {
      const value = values[arn];
      if (value === undefined) throw new Error(`AccessDeniedException: not allowed to read ${arn}`);
      return value;
    });
  };
  return Object.assign(read, { reads });
}

/** `domain`'s stores in place of DynamoDB: sessions, credentials, and the users' security events. */
const storesOf = (domain: ReturnType<typeof buildDomain>) => ({ sessionStore: domain.sessions, credentialStore: domain.credentials, securityEventLog: domain.events });

/** The Create and Verify handlers exactly as their entry points build them, over `domain`'s stores. */
async function composedTriggers(options: { env?: Record<string, string>; readSecrets?: SecretReader } = {}) {
  const domain = buildDomain();
  const logs: LogEntry[] = [];
  const log = (entry: LogEntry) => logs.push(entry);
  const triggers = await composeTriggers(options.env ?? { ...LAMBDA_ENV, UNKNOWN_USER_SECRET_ARN }, {
    overrides: storesOf(domain),
    readSecrets: options.readSecrets ?? secrets({ [UNKNOWN_USER_SECRET_ARN]: SECRET_TEXT }),
    log,
  });
  const create = maskTriggerFaults<CreateAuthChallengeEvent>("create_auth_challenge", "CreateAuthChallenge_Authentication", triggers.createAuthChallenge, log);
  const verify = maskTriggerFaults<VerifyAuthChallengeResponseEvent>(
    "verify_auth_challenge_response",
    "VerifyAuthChallengeResponse_Authentication",
    triggers.verifyAuthChallengeResponse,
    log,
  );
  return { domain, create, verify, logs };
}

async function registeredUser(domain: ReturnType<typeof buildDomain>) {
  const authenticator = new SoftwareAuthenticator();
  const start = await domain.registration.startForNewUser({ username: "alice", displayName: "Alice" });
  if (!start.ok) throw new Error(start.error);
  const user = await domain.registration.finish(start.value.sessionId, authenticator.createCredential(start.value.options, { origin: ORIGIN }));
  if (!user.ok) throw new Error(user.error);
  return { authenticator, user: user.value };
}

const options = (event: CreateAuthChallengeEvent) => JSON.parse(event.response.publicChallengeParameters?.credentialRequestOptions ?? "null");

describe("DefineAuthChallenge entry point", () => {
  afterEach(() => {
    vi.unstubAllEnvs();
    vi.resetModules();
  });

  async function importDefine(env: Record<string, string>) {
    for (const [name, value] of Object.entries(env)) vi.stubEnv(name, value);
    return import("../../../src/main/lambda/define-auth-challenge.js");
  }

  it("issues a custom challenge at the start of a sign-in, from the stack's environment (no pool ID needed)", async () => {
    const { handler } = await importDefine(LAMBDA_ENV);
    const event = await handler(defineEvent("alice", []));
    expect(event.response).toEqual({ challengeName: "CUSTOM_CHALLENGE", issueTokens: false, failAuthentication: false });
  });

  it("issues tokens after a correct answer and allows MAX_PASSKEY_ATTEMPTS answers, logging the failed sign-in", async () => {
    const write = vi.spyOn(console, "log").mockImplementation(() => {});
    try {
      const { handler } = await importDefine({ ...LAMBDA_ENV, MAX_PASSKEY_ATTEMPTS: "2" });
      const wrong = { challengeName: "CUSTOM_CHALLENGE", challengeResult: false, challengeMetadata: PASSKEY_CUSTOM_CHALLENGE_METADATA };
      const right = { ...wrong, challengeResult: true };
      expect((await handler(defineEvent("alice", [wrong]))).response).toMatchObject({ challengeName: "CUSTOM_CHALLENGE", failAuthentication: false });
      expect((await handler(defineEvent("alice", [wrong, right]))).response).toMatchObject({ issueTokens: true, failAuthentication: false });
      expect(write).not.toHaveBeenCalled();
      expect((await handler(defineEvent("alice", [wrong, wrong]))).response).toMatchObject({ issueTokens: false, failAuthentication: true });
      expect(JSON.parse(write.mock.calls.at(-1)?.[0] as string)).toMatchObject({ level: "warn", event: "cognito_trigger", outcome: "fail", reason: "too_many_attempts" });
    } finally {
      write.mockRestore();
    }
  });

  it("refuses an event of another trigger with a generic error whose reference is in the log", async () => {
    const write = vi.spyOn(console, "log").mockImplementation(() => {});
    try {
      const { handler } = await importDefine(LAMBDA_ENV);
      const misrouted = createEvent("alice") as never;
      const failure = await handler(misrouted).then(
        () => null,
        (fault: unknown) => fault as Error,
      );
      expect(failure?.message).toMatch(/^keyport could not complete this sign-in step \(reference [0-9a-f-]{36}\)$/);
      const reference = /reference ([0-9a-f-]{36})/.exec(failure?.message ?? "")?.[1];
      const line = JSON.parse(write.mock.calls.at(-1)?.[0] as string);
      expect(line).toMatchObject({ level: "error", event: "unhandled_error", trigger: "define_auth_challenge", correlationId: reference });
      expect(line.message).toContain("CreateAuthChallenge_Authentication");
    } finally {
      write.mockRestore();
    }
  });

  it("fails its import, loudly, without shared storage", async () => {
    const write = vi.spyOn(console, "log").mockImplementation(() => {});
    try {
      // Matched by message: after resetModules the entry has its own copy of ConfigError.
      await expect(importDefine({ ...LAMBDA_ENV, STORAGE: "memory" })).rejects.toThrow(/^STORAGE: must be dynamodb/);
      expect(JSON.parse(write.mock.calls[0]?.[0] as string)).toMatchObject({ event: "lambda_init_failed", function: "define_auth_challenge", variable: "STORAGE" });
    } finally {
      write.mockRestore();
    }
  });
});

describe("CreateAuthChallenge and VerifyAuthChallengeResponse, as composed for Lambda", () => {
  it("create publishes request options listing the user's credential and keeps the challenge private", async () => {
    const { domain, create } = await composedTriggers();
    const { user } = await registeredUser(domain);
    const created = await create(createEvent(user.identityUserId));
    const published = options(created);
    expect(published.rpId).toBe("example.com");
    expect(published.allowCredentials.map((c: { id: string }) => c.id)).toEqual([user.credentialId]);
    expect(created.response.privateChallengeParameters).toEqual({ challenge: published.challenge });
    expect(created.response.challengeMetadata).toBe(PASSKEY_CUSTOM_CHALLENGE_METADATA);
  });

  it("verify accepts the passkey's answer and rejects a garbage one", async () => {
    const { domain, create, verify, logs } = await composedTriggers();
    const { user, authenticator } = await registeredUser(domain);
    const created = await create(createEvent(user.identityUserId));
    const privateParameters = created.response.privateChallengeParameters ?? {};
    const answer = JSON.stringify(authenticator.getAssertion(options(created), { origin: ORIGIN }));
    expect((await verify(verifyEvent(user.identityUserId, privateParameters, answer))).response.answerCorrect).toBe(true);

    const again = await create(createEvent(user.identityUserId));
    const garbage = await verify(verifyEvent(user.identityUserId, again.response.privateChallengeParameters ?? {}, "garbage"));
    expect(garbage.response.answerCorrect).toBe(false);
    expect(logs.filter((l) => l.event === "cognito_trigger")).toEqual([
      expect.objectContaining({ level: "info", outcome: "verified" }),
      expect.objectContaining({ level: "warn", outcome: "rejected", code: "malformed_response" }),
    ]);
  });

  it("keys unknown users' fake credential lists with the secret read once from Secrets Manager", async () => {
    const reader = secrets({ [UNKNOWN_USER_SECRET_ARN]: SECRET_TEXT });
    const first = await composedTriggers({ readSecrets: reader });
    const second = await composedTriggers({ readSecrets: reader });
    const other = await composedTriggers({ readSecrets: secrets({ [UNKNOWN_USER_SECRET_ARN]: SECRET_TEXT.split("").reverse().join("") }) });
    const ids = async (t: typeof first) => options(await t.create(createEvent("ghost", true))).allowCredentials.map((c: { id: string }) => c.id);
    expect(reader.reads).toEqual([[UNKNOWN_USER_SECRET_ARN], [UNKNOWN_USER_SECRET_ARN]]);
    // Stable across cold starts (the same secret), and not guessable without it.
    expect(await ids(first)).toEqual(await ids(second));
    expect(await ids(first)).not.toEqual(await ids(other));
  });

  it("masks an unexpected fault: a generic error, details only in the log", async () => {
    const { domain, create, logs } = await composedTriggers();
    vi.spyOn(domain.credentials, "findUserByIdentity").mockRejectedValue(new Error("ProvisionedThroughputExceededException on keyport-credentials"));
    const failure = await create(createEvent("alice")).then(
      () => null,
      (fault: unknown) => fault as Error,
    );
    expect(failure?.message).toMatch(/^keyport could not complete this sign-in step \(reference [0-9a-f-]{36}\)$/);
    expect(failure?.message).not.toContain("Provisioned");
    expect(logs.at(-1)).toMatchObject({ event: "unhandled_error", trigger: "create_auth_challenge", message: expect.stringContaining("Provisioned") });
  });

  it("logs and rethrows an init failure: an unreadable secret, a secret too short, or two sources for one secret", async () => {
    const logs: LogEntry[] = [];
    const compose = (env: Record<string, string>, readSecrets: SecretReader) => composeTriggers(env, { readSecrets, log: (entry) => logs.push(entry) });
    await expect(compose({ ...LAMBDA_ENV, UNKNOWN_USER_SECRET_ARN }, secrets({}))).rejects.toThrow(/AccessDenied/);
    await expect(compose({ ...LAMBDA_ENV, UNKNOWN_USER_SECRET_ARN }, secrets({ [UNKNOWN_USER_SECRET_ARN]: "short" }))).rejects.toThrow(
      /^UNKNOWN_USER_SECRET_ARN: the secret must be at least 32 bytes$/,
    );
    await expect(
      compose({ ...LAMBDA_ENV, UNKNOWN_USER_SECRET_ARN, UNKNOWN_USER_SECRET: "a2V5cG9ydC1sYW1iZGEtdGVzdC11bmtub3duLXVzZXItc2VjcmV0" }, secrets({})),
    ).rejects.toThrow(/^UNKNOWN_USER_SECRET_ARN: give either/);
    await expect(compose({ ...LAMBDA_ENV, UNKNOWN_USER_SECRET_ARN: "my-secret" }, secrets({}))).rejects.toThrow(/must be a Secrets Manager secret ARN/);
    expect(logs.map((l) => [l.event, l.function, l.variable])).toEqual([
      ["lambda_init_failed", "cognito_trigger", undefined],
      ["lambda_init_failed", "cognito_trigger", "UNKNOWN_USER_SECRET_ARN"],
      ["lambda_init_failed", "cognito_trigger", "UNKNOWN_USER_SECRET_ARN"],
      ["lambda_init_failed", "cognito_trigger", "UNKNOWN_USER_SECRET_ARN"],
    ]);
    expect(JSON.stringify(logs)).not.toContain("short");
  });

  it("is composed once per process, and a failed composition is retried afresh", async () => {
    const reader = secrets({ [UNKNOWN_USER_SECRET_ARN]: SECRET_TEXT });
    const domain = buildDomain();
    const options = { overrides: storesOf(domain), readSecrets: reader, log: () => {} };
    await expect(lambdaTriggers({ ...LAMBDA_ENV, STORAGE: "memory" }, options)).rejects.toThrow(/^STORAGE/);
    const first = lambdaTriggers({ ...LAMBDA_ENV, UNKNOWN_USER_SECRET_ARN }, options);
    expect(lambdaTriggers({ ...LAMBDA_ENV, UNKNOWN_USER_SECRET_ARN }, options)).toBe(first);
    await first;
    expect(reader.reads).toHaveLength(1);
  });
});

describe("VerifyAuthChallengeResponse, as composed for Lambda: the sign-in's security events", () => {
  /**
   * What keyport's HTTP API sends along with an answer: the request's context, sealed just now (the
   * composition's clock is the system's) with a key derived from `secret`.
   */
  const sealed = (secret: string, identityUserId: string) =>
    sealRequestContext(
      requestContextKey(new TextEncoder().encode(secret)),
      { sourceIp: "198.51.100.20", userAgent: "Firefox", correlationId: "req-12345678" },
      { identityUserId, now: Date.now() },
    );

  async function answered(origin: string) {
    const triggers = await composedTriggers();
    const { user, authenticator } = await registeredUser(triggers.domain);
    const created = await triggers.create(createEvent(user.identityUserId));
    const answer = JSON.stringify(authenticator.getAssertion(options(created), { origin }));
    return { ...triggers, user, answer, privateParameters: created.response.privateChallengeParameters ?? {} };
  }

  it("records a direct Cognito client's sign-in in the user's trail, with no request context: none was sealed", async () => {
    const { domain, verify, user, answer, privateParameters } = await answered(ORIGIN);
    expect((await verify(verifyEvent(user.identityUserId, privateParameters, answer))).response.answerCorrect).toBe(true);
    expect(domain.events.appended.map((event) => [event.type, event.userHandle, event.context])).toEqual([
      ["registration.succeeded", user.userHandle, expect.anything()],
      ["sign_in.succeeded", user.userHandle, UNKNOWN_REQUEST_CONTEXT],
    ]);
  });

  it("records a refusal with the context keyport's HTTP API sealed, with the key both functions derive from the one secret", async () => {
    const { domain, verify, user, answer, privateParameters } = await answered("https://evil.example");
    const metadata = sealed(SECRET_TEXT, user.identityUserId);
    expect((await verify(verifyEvent(user.identityUserId, privateParameters, answer, false, metadata))).response.answerCorrect).toBe(false);
    expect(domain.events.appended.at(-1)).toMatchObject({
      type: "sign_in.failed",
      code: "origin_mismatch",
      userHandle: user.userHandle,
      context: { sourceIp: "198.51.100.20", userAgent: "Firefox", correlationId: "req-12345678" },
    });
  });

  it("believes no context sealed with another key: a direct client cannot write an address into a trail", async () => {
    const { domain, verify, user, answer, privateParameters } = await answered("https://evil.example");
    const forged = sealed("not-the-secret-of-this-deployment-0123456789", user.identityUserId);
    await verify(verifyEvent(user.identityUserId, privateParameters, answer, false, forged));
    expect(domain.events.appended.at(-1)).toMatchObject({ type: "sign_in.failed", context: UNKNOWN_REQUEST_CONTEXT });
  });
});

describe("the Create and Verify functions' handlers", () => {
  afterEach(() => vi.resetModules());

  /** Each function is a process of its own: a module instance of its own, composed once. */
  async function freshHandlers() {
    vi.resetModules();
    return import("../../../src/composition/lambda-triggers.js");
  }

  it("write the invocation's ceremony counts as CloudWatch EMF before they return, and nothing when there are none", async () => {
    const domain = buildDomain();
    const handlerOptions = { overrides: storesOf(domain), readSecrets: secrets({ [UNKNOWN_USER_SECRET_ARN]: SECRET_TEXT }) };
    const env = { ...LAMBDA_ENV, UNKNOWN_USER_SECRET_ARN };
    const stdout: string[] = [];
    const logs = vi.spyOn(console, "log").mockImplementation(() => {});
    const emf = vi.spyOn(process.stdout, "write").mockImplementation((chunk) => stdout.push(String(chunk)) > 0);
    try {
      const create = await (await freshHandlers()).lambdaCreateAuthChallengeHandler(env, handlerOptions);
      const created = await create(createEvent("someone"));
      expect(stdout).toEqual([]);
      const verify = await (await freshHandlers()).lambdaVerifyAuthChallengeResponseHandler(env, handlerOptions);
      // An answer that is no WebAuthn response: refused, and counted for the operator only.
      await verify(verifyEvent("someone", created.response.privateChallengeParameters ?? {}, "garbage"));
      const lines = stdout.join("").trim().split("\n").map((line) => JSON.parse(line));
      expect(lines.map((line) => [line._aws.CloudWatchMetrics[0].Namespace, line.ceremony, line.outcome, line.code, line.CeremonyCount])).toEqual([
        ["keyport", "sign_in", "failed", undefined, 1],
        ["keyport", "sign_in", "failed", "malformed_response", 1],
      ]);
    } finally {
      logs.mockRestore();
      emf.mockRestore();
    }
  });
});

describe("the HTTP API's configuration on Lambda", () => {
  it("reads both secrets in one round and puts them where the adapters look", async () => {
    const reader = secrets({ [UNKNOWN_USER_SECRET_ARN]: SECRET_TEXT, [CLIENT_SECRET_ARN]: "app-client-secret-value" });
    const config = await httpApiConfig({ ...HTTP_ENV, UNKNOWN_USER_SECRET_ARN, COGNITO_CLIENT_SECRET_ARN: CLIENT_SECRET_ARN }, reader);
    expect(reader.reads).toEqual([[UNKNOWN_USER_SECRET_ARN, CLIENT_SECRET_ARN]]);
    expect(config.unknownUserSecret).toEqual(new TextEncoder().encode(SECRET_TEXT));
    expect(config.cognito?.clientSecret).toBe("app-client-secret-value");
    expect(config.dynamoDb).toMatchObject({ sessionTable: "keyport-sessions", credentialTable: "keyport-credentials" });
  });

  it("needs Cognito and DynamoDB", async () => {
    const none = secrets({});
    await expect(httpApiConfig({ ...HTTP_ENV, IDENTITY_PROVIDER: "local" }, none)).rejects.toThrow(/^IDENTITY_PROVIDER: must be cognito/);
    await expect(httpApiConfig({ ...HTTP_ENV, STORAGE: "memory" }, none)).rejects.toThrow(/^STORAGE: must be dynamodb/);
    await expect(httpApiConfig({ ...HTTP_ENV, COGNITO_USER_POOL_ID: "" }, none)).rejects.toThrow(/^COGNITO_USER_POOL_ID/);
    expect(none.reads).toEqual([]);
  });
});

describe("reading the secrets from Secrets Manager (the SDK mocked at its edge)", () => {
  const secretsManager = mockClient(SecretsManagerClient);
  afterEach(() => secretsManager.reset());

  it("asks GetSecretValue for each ARN once, in the ARN's region", async () => {
    secretsManager.on(GetSecretValueCommand, { SecretId: UNKNOWN_USER_SECRET_ARN }).resolves({ SecretString: SECRET_TEXT });
    secretsManager.on(GetSecretValueCommand, { SecretId: CLIENT_SECRET_ARN }).resolves({ SecretString: "app-client-secret-value" });
    const config = await httpApiConfig({ ...HTTP_ENV, UNKNOWN_USER_SECRET_ARN, COGNITO_CLIENT_SECRET_ARN: CLIENT_SECRET_ARN });
    const calls = secretsManager.commandCalls(GetSecretValueCommand);
    expect(calls.map((call) => call.args[0].input.SecretId)).toEqual([UNKNOWN_USER_SECRET_ARN, CLIENT_SECRET_ARN]);
    expect(await calls[0]?.thisValue.config.region()).toBe("eu-west-1");
    expect(config.unknownUserSecret).toEqual(new TextEncoder().encode(SECRET_TEXT));
    expect(config.cognito?.clientSecret).toBe("app-client-secret-value");
  });

  it("refuses a secret without text (a binary secret is not what the stack creates)", async () => {
    secretsManager.on(GetSecretValueCommand).resolves({ SecretBinary: new Uint8Array(64) });
    await expect(httpApiConfig({ ...HTTP_ENV, UNKNOWN_USER_SECRET_ARN })).rejects.toThrow(/holds no text/);
  });
});
