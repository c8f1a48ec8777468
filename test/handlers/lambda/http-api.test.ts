/**
 * The HTTP API's Lambda shell fed API Gateway HTTP API (payload 2.0) events: the shared Hono app
 * behind `hono/aws-lambda`, over services composed with test doubles so that no AWS is touched.
 */
import { afterEach, describe, expect, it, onTestFinished, vi } from "vitest";
import { CognitoIdentityProvider } from "../../../src/adapters/cognito/cognito-identity-provider.js";
import { parseConfig } from "../../../src/composition/config.js";
import { appDependencies } from "../../../src/composition/http-app.js";
import { composeHttpApi } from "../../../src/composition/lambda-http-api.js";
import { composeServices } from "../../../src/composition/services.js";
import { InMemoryCredentialStore } from "../../../src/adapters/in-memory/in-memory-credential-store.js";
import { InMemorySessionStore } from "../../../src/adapters/in-memory/in-memory-session-store.js";
import { SystemClock } from "../../../src/adapters/system/system-clock.js";
import type { CeremonySession } from "../../../src/domain/model.js";
import type { LogEntry } from "../../../src/handlers/http/log.js";
import { createHttpApiHandler, type ApiGatewayV2Result } from "../../../src/handlers/lambda/http-api-handler.js";
import type { SessionStore } from "../../../src/ports/session-store.js";
import { authenticatorCatalog } from "../../../src/composition/authenticator-catalogs.js";
import { apiServices } from "../../../src/composition/api-services.js";
import { FakeIdentityProvider } from "../../support/fake-identity-provider.js";
import { SoftwareAuthenticator } from "../../support/software-authenticator.js";
import { apiGatewayEvent, HTTP_ENV, UNKNOWN_USER_SECRET_ARN } from "./events.js";

const MEMORY_ENV = { RP_ID: "example.com", ALLOWED_ORIGINS: "https://app.example.com", STORAGE: "memory", IDENTITY_PROVIDER: "local" };
const JSON_HEADERS = { "content-type": "application/json" };

function setUp(overrides: { sessionStore?: SessionStore } = {}) {
  const logs: LogEntry[] = [];
  const services = composeServices(parseConfig(MEMORY_ENV), { identityProvider: () => new FakeIdentityProvider(), authenticatorCatalog, apiServices, ...overrides });
  const handler = createHttpApiHandler(Promise.resolve(appDependencies(services)), { log: (entry) => logs.push(entry) });
  return { handler, logs, services };
}

const header = (result: ApiGatewayV2Result, name: string): string | undefined => {
  const value = result.headers[name];
  return Array.isArray(value) ? value.join(", ") : value;
};
const json = (result: ApiGatewayV2Result) => JSON.parse(result.body) as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- checked field by field

/** A store whose every call fails as an unexpected fault would, with details that must not leak. */
class BrokenSessionStore implements SessionStore {
  async save(_session: CeremonySession): Promise<"saved" | "exists"> {
    throw new Error("socket hang up talking to 10.1.2.3 with key sess_4f9a");
  }
  async consume(_id: string): Promise<CeremonySession | null> {
    throw new Error("socket hang up talking to 10.1.2.3 with key sess_4f9a");
  }
}

describe("the HTTP API Lambda handler", () => {
  it("answers GET /healthz with the app's headers", async () => {
    const { handler, logs } = setUp();
    const result = await handler(apiGatewayEvent("GET", "/healthz"));
    expect(result.statusCode).toBe(200);
    expect(json(result)).toEqual({ status: "ok" });
    expect(header(result, "content-type")).toMatch(/^application\/json/);
    expect(header(result, "x-correlation-id")).toMatch(/^[0-9a-f-]{36}$/);
    expect(header(result, "cache-control")).toBe("no-store");
    expect(logs).toEqual([expect.objectContaining({ event: "http_request", method: "GET", path: "/healthz", status: 200 })]);
  });

  it("runs a ceremony step: POST /authentication/discover issues request options", async () => {
    const { handler } = setUp();
    const result = await handler(apiGatewayEvent("POST", "/authentication/discover", { body: "{}", headers: JSON_HEADERS }));
    expect(result.statusCode).toBe(200);
    const options = json(result).credentialRequestOptions;
    expect(options.rpId).toBe("example.com");
    expect(options.challenge).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  it("reads a body API Gateway delivered base64-encoded", async () => {
    const { handler } = setUp();
    const result = await handler(apiGatewayEvent("POST", "/authentication/discover", { body: "{}", headers: JSON_HEADERS, base64: true }));
    expect(result.statusCode).toBe(200);
  });

  it("answers a bad body with a 4xx and its error code", async () => {
    const { handler } = setUp();
    const malformed = await handler(apiGatewayEvent("POST", "/authentication/start", { body: "{not json", headers: JSON_HEADERS }));
    expect(malformed.statusCode).toBe(400);
    expect(json(malformed).error.code).toBe("malformed_json");
    const missing = await handler(apiGatewayEvent("POST", "/authentication/start", { body: "{}", headers: JSON_HEADERS }));
    expect(missing.statusCode).toBe(400);
    expect(json(missing).error.code).toBe("invalid_request");
    const textBody = await handler(apiGatewayEvent("POST", "/authentication/start", { body: "hello", headers: { "content-type": "text/plain" } }));
    expect(textBody.statusCode).toBe(415);
    expect(json(textBody).error.code).toBe("unsupported_media_type");
  });

  it("start-verified reads the ID token from the Authorization header API Gateway forwards", async () => {
    const { handler } = setUp();
    const body = JSON.stringify({ username: "alice" });
    const without = await handler(apiGatewayEvent("POST", "/registration/start-verified", { body, headers: JSON_HEADERS }));
    expect(without.statusCode).toBe(401);
    expect(json(without).error.code).toBe("token_missing");
    // The fake identity provider rejects every token as malformed: the header reached it.
    const withToken = await handler(apiGatewayEvent("POST", "/registration/start-verified", { body, headers: { ...JSON_HEADERS, authorization: "Bearer abc.def.ghi" } }));
    expect(withToken.statusCode).toBe(401);
    expect(json(withToken).error.code).toBe("token_malformed");
  });

  it("records a security event with the client's address as API Gateway saw it, and the browser's User-Agent", async () => {
    const { handler, services } = setUp();
    const started = await handler(
      apiGatewayEvent("POST", "/registration/start", { body: JSON.stringify({ username: "lambda-user", displayName: "Lambda User" }), headers: JSON_HEADERS }),
    );
    expect(started.statusCode).toBe(200);
    const { sessionId, credentialCreationOptions } = json(started);
    const credential = new SoftwareAuthenticator().createCredential(credentialCreationOptions, { origin: "https://app.example.com" });
    // A client's own X-Forwarded-For is not its address: API Gateway's sourceIp is.
    const finished = await handler(
      apiGatewayEvent("POST", "/registration/finish", {
        body: JSON.stringify({ sessionId, publicKeyCredential: credential }),
        headers: { ...JSON_HEADERS, "user-agent": "Mozilla/5.0 (lambda test)", "x-forwarded-for": "198.51.100.99" },
      }),
    );
    expect(finished.statusCode).toBe(200);
    const trail = await services.securityEventLog.listForUser(json(finished).userId, { limit: 10, cursor: null });
    expect(trail.ok && trail.value.events.map((event) => [event.type, event.context])).toEqual([
      ["registration.succeeded", { sourceIp: "192.0.2.1", userAgent: "Mozilla/5.0 (lambda test)", correlationId: header(finished, "x-correlation-id") }],
    ]);
  });

  it("masks an unexpected fault as 500 internal_error, with the reference in the log line and nothing else", async () => {
    const { handler, logs } = setUp({ sessionStore: new BrokenSessionStore() });
    const result = await handler(apiGatewayEvent("POST", "/authentication/discover", { body: "{}", headers: JSON_HEADERS }));
    expect(result.statusCode).toBe(500);
    const { error } = json(result);
    expect(error.code).toBe("internal_error");
    const correlationId = header(result, "x-correlation-id") as string;
    expect(error.message).toContain(correlationId);
    expect(result.body).not.toMatch(/socket|10\.1\.2\.3|sess_4f9a/);
    const fault = logs.find((entry) => entry.level === "error");
    expect(fault).toMatchObject({ correlationId, message: expect.stringContaining("socket hang up") });
  });

  it("masks what the app never sees (an event it cannot read, a composition that failed) the same way", async () => {
    const logs: LogEntry[] = [];
    const broken = createHttpApiHandler(Promise.reject(new Error("composition exploded: table keyport-x")), { log: (entry) => logs.push(entry) });
    const result = await broken(apiGatewayEvent("GET", "/healthz"));
    expect(result.statusCode).toBe(500);
    expect(json(result).error.code).toBe("internal_error");
    expect(result.body).not.toContain("exploded");
    expect(logs).toEqual([expect.objectContaining({ level: "error", event: "unhandled_error", correlationId: header(result, "x-correlation-id") })]);

    // Not an event at all: hono's adapter throws before the app runs.
    const { handler } = setUp();
    const garbage = await handler(null as never);
    expect(garbage.statusCode).toBe(500);
    expect(json(garbage).error.code).toBe("internal_error");
  });
});

describe("the HTTP API's Lambda composition", () => {
  it("composes Cognito and DynamoDB from the stack's variables, with the stores swappable for tests", async () => {
    const clock = new SystemClock();
    const sessionStore = new InMemorySessionStore(clock);
    const services = await composeHttpApi(HTTP_ENV, {
      overrides: { sessionStore, credentialStore: new InMemoryCredentialStore() },
      log: () => {},
    });
    expect(services.identityProvider).toBeInstanceOf(CognitoIdentityProvider);
    expect(services.sessionStore).toBe(sessionStore);
    const handler = createHttpApiHandler(appDependencies(services), { log: () => {} });
    expect((await handler(apiGatewayEvent("GET", "/healthz"))).statusCode).toBe(200);
    expect((await handler(apiGatewayEvent("POST", "/authentication/discover", { body: "{}", headers: JSON_HEADERS }))).statusCode).toBe(200);
  });

  it("is composed once per process, and a failed composition is retried afresh", async () => {
    // A module instance of its own: the entry point's tests below must compose from the environment.
    vi.resetModules();
    const { lambdaHttpApiServices } = await import("../../../src/composition/lambda-http-api.js");
    onTestFinished(() => {
      vi.resetModules();
    });
    const logs: LogEntry[] = [];
    const reads: string[][] = [];
    const readSecrets = async (arns: readonly string[]) => {
      reads.push([...arns]);
      return arns.map(() => "k".repeat(64));
    };
    const clock = new SystemClock();
    const options = {
      overrides: { sessionStore: new InMemorySessionStore(clock), credentialStore: new InMemoryCredentialStore() },
      readSecrets,
      log: (entry: LogEntry) => logs.push(entry),
    };
    const env = { ...HTTP_ENV, UNKNOWN_USER_SECRET_ARN };
    await expect(lambdaHttpApiServices({ ...env, STORAGE: "memory" }, options)).rejects.toThrow(/^STORAGE: must be dynamodb/);
    expect(logs).toEqual([expect.objectContaining({ level: "error", event: "lambda_init_failed", function: "http_api", variable: "STORAGE" })]);
    const first = lambdaHttpApiServices(env, options);
    expect(lambdaHttpApiServices(env, options)).toBe(first);
    expect((await first).passkeySignIn).toBe((await lambdaHttpApiServices(env, options)).passkeySignIn);
    expect(reads).toEqual([[UNKNOWN_USER_SECRET_ARN]]);
  });
});

describe("the HTTP API entry point", () => {
  afterEach(() => {
    vi.unstubAllEnvs();
    vi.resetModules();
  });

  it("composes at import from the environment and serves GET /healthz (no AWS call is made)", async () => {
    for (const [name, value] of Object.entries(HTTP_ENV)) vi.stubEnv(name, value);
    const write = vi.spyOn(console, "log").mockImplementation(() => {});
    try {
      const { handler } = await import("../../../src/main/lambda/http-api.js");
      const result = await handler(apiGatewayEvent("GET", "/healthz"));
      expect(result.statusCode).toBe(200);
      expect(JSON.parse(write.mock.calls.at(-1)?.[0] as string)).toMatchObject({ event: "http_request", status: 200 });
    } finally {
      write.mockRestore();
    }
  });

  it("writes the invocation's ceremony counts as CloudWatch EMF before it returns, and nothing for an invocation without one", async () => {
    for (const [name, value] of Object.entries(HTTP_ENV)) vi.stubEnv(name, value);
    const write = vi.spyOn(console, "log").mockImplementation(() => {});
    const stdout: string[] = [];
    const emf = vi.spyOn(process.stdout, "write").mockImplementation((chunk) => stdout.push(String(chunk)) > 0);
    try {
      const { handler } = await import("../../../src/main/lambda/http-api.js");
      expect((await handler(apiGatewayEvent("GET", "/healthz"))).statusCode).toBe(200);
      expect(stdout).toEqual([]);
      // A refresh refused before the identity provider is asked: counted, and no AWS call made.
      const refused = await handler(apiGatewayEvent("POST", "/authentication/refresh", { body: '{"refreshToken":""}', headers: JSON_HEADERS }));
      expect(json(refused).error.code).toBe("refresh_token_invalid");
      const lines = stdout.join("").trim().split("\n").map((line) => JSON.parse(line));
      expect(lines.map((line) => [line._aws.CloudWatchMetrics[0].Namespace, line._aws.CloudWatchMetrics[0].Dimensions, line.ceremony, line.outcome, line.code, line.CeremonyCount])).toEqual([
        ["keyport", [["service", "ceremony", "outcome"]], "refresh", "failed", undefined, 1],
        ["keyport", [["service", "ceremony", "outcome", "code"]], "refresh", "failed", "refresh_token_invalid", 1],
      ]);
    } finally {
      write.mockRestore();
      emf.mockRestore();
    }
  });

  it("fails its import, loudly, on a configuration that cannot run on Lambda", async () => {
    for (const [name, value] of Object.entries({ ...HTTP_ENV, STORAGE: "memory" })) vi.stubEnv(name, value);
    const write = vi.spyOn(console, "log").mockImplementation(() => {});
    try {
      await expect(import("../../../src/main/lambda/http-api.js")).rejects.toThrow(/^STORAGE: must be dynamodb/);
      expect(JSON.parse(write.mock.calls[0]?.[0] as string)).toMatchObject({ level: "error", event: "lambda_init_failed", function: "http_api", variable: "STORAGE" });
    } finally {
      write.mockRestore();
    }
  });
});
