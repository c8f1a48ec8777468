/**
 * Infrastructure faults become StorageUnavailableError (HTTP 503) on every port method; bugs do not.
 * Faults DynamoDB Local cannot produce (throttling, server errors, hanging requests) are injected by
 * a proxy in front of it; a closed port and a missing table are real.
 */
import type { DynamoDBClientConfig } from "@aws-sdk/client-dynamodb";
import { describe, expect, it } from "vitest";
import { createDynamoDbClient } from "../../../src/adapters/dynamodb/dynamodb-client.js";
import { DynamoDbCredentialStore } from "../../../src/adapters/dynamodb/dynamodb-credential-store.js";
import { DynamoDbSessionStore } from "../../../src/adapters/dynamodb/dynamodb-session-store.js";
import { StorageUnavailableError } from "../../../src/adapters/dynamodb/storage-faults.js";
import { authenticationSession } from "../../ports/session-store.contract.js";
import { freePort, localClient } from "../../support/dynamodb-local.js";
import { aStoredCredentialFor, aUserAccount, uniqueId } from "../../support/kit.js";
import { startFaultProxy, type ProxyAction } from "./fault-proxy.js";
import { useTestTables } from "./dynamodb-test-tables.js";

const tables = useTestTables();

interface Stores {
  readonly sessions: DynamoDbSessionStore;
  readonly credentials: DynamoDbCredentialStore;
}

/** Every port method, each with arguments that would succeed against a healthy store. */
const OPERATIONS: readonly [string, (stores: Stores) => Promise<unknown>][] = [
  ["SessionStore.save", ({ sessions }) => sessions.save(authenticationSession(Date.now()))],
  ["SessionStore.consume", ({ sessions }) => sessions.consume(uniqueId(32))],
  [
    "CredentialStore.add",
    ({ credentials }) => {
      const user = aUserAccount();
      return credentials.add(aStoredCredentialFor(user), user);
    },
  ],
  ["CredentialStore.findCredential", ({ credentials }) => credentials.findCredential(uniqueId())],
  ["CredentialStore.listCredentials", ({ credentials }) => credentials.listCredentials(uniqueId(32))],
  ["CredentialStore.recordAuthentication", ({ credentials }) => credentials.recordAuthentication(uniqueId(), 0, { counter: 1, backupState: false, lastUsedAt: Date.now() })],
  ["CredentialStore.findUserByHandle", ({ credentials }) => credentials.findUserByHandle(uniqueId(32))],
  ["CredentialStore.findUserByUsername", ({ credentials }) => credentials.findUserByUsername(uniqueId(12))],
  ["CredentialStore.findUserByIdentity", ({ credentials }) => credentials.findUserByIdentity(uniqueId(32))],
];

/** No SDK retries, so that each fault surfaces at once. */
const FAIL_FAST: Partial<DynamoDBClientConfig> = { maxAttempts: 1, requestHandler: { connectionTimeout: 500, requestTimeout: 1_000, throwOnRequestTimeout: true } };

async function expectEveryOperation(
  endpoint: string,
  tableNames: { sessionTable: string; credentialTable: string },
  config: Partial<DynamoDBClientConfig>,
  expectation: (failure: Promise<unknown>, operation: string) => Promise<void>,
): Promise<void> {
  const client = localClient(endpoint, config);
  try {
    const stores: Stores = {
      sessions: new DynamoDbSessionStore({ client, tableName: tableNames.sessionTable }),
      credentials: new DynamoDbCredentialStore({ client, tableName: tableNames.credentialTable }),
    };
    for (const [operation, call] of OPERATIONS) await expectation(call(stores), operation);
  } finally {
    client.destroy();
  }
}

async function expectUnavailable(failure: Promise<unknown>, operation: string, retryable: boolean): Promise<void> {
  const error = await failure.then(
    (value) => new Error(`${operation} resolved ${JSON.stringify(value)}`),
    (e: unknown) => e,
  );
  expect(error, operation).toBeInstanceOf(StorageUnavailableError);
  expect(error, operation).toMatchObject({ name: "StorageUnavailableError", code: "storage_unavailable", retryable });
  expect((error as Error).cause, operation).toBeDefined();
}

describe("DynamoDB adapters on a store that is out of reach", () => {
  it("report StorageUnavailableError (retryable) from every method when nothing listens on the port, within a second", async () => {
    const closed = `http://127.0.0.1:${await freePort()}`;
    const started = Date.now();

    await expectEveryOperation(closed, tables(), FAIL_FAST, (failure, operation) => expectUnavailable(failure, operation, true));

    expect(Date.now() - started).toBeLessThan(OPERATIONS.length * 1_000);
  });

  it("report StorageUnavailableError (retryable) when DynamoDB does not answer in time", async () => {
    const proxy = await startFaultProxy(tables().endpoint, () => ({ kind: "hang" }));
    try {
      await expectEveryOperation(
        proxy.endpoint,
        tables(),
        { maxAttempts: 1, requestHandler: { requestTimeout: 200, throwOnRequestTimeout: true } },
        (failure, operation) => expectUnavailable(failure, operation, true),
      );
    } finally {
      await proxy.close();
    }
  });

  it("report StorageUnavailableError (not retryable) when the table does not exist", async () => {
    await expectEveryOperation(tables().endpoint, { sessionTable: "keyport-no-such-sessions", credentialTable: "keyport-no-such-credentials" }, FAIL_FAST, (failure, operation) =>
      expectUnavailable(failure, operation, false),
    );
  });

  it.each<[string, ProxyAction]>([
    ["ProvisionedThroughputExceededException", { kind: "error", type: "ProvisionedThroughputExceededException" }],
    ["ThrottlingException", { kind: "error", type: "ThrottlingException" }],
    ["RequestLimitExceeded", { kind: "error", type: "RequestLimitExceeded" }],
    ["InternalServerError", { kind: "error", type: "InternalServerError", status: 500 }],
    ["a 503 without a known type", { kind: "error", type: "ServiceUnavailable", status: 503 }],
  ])("report StorageUnavailableError (retryable) from every method on %s", async (_label, action) => {
    const proxy = await startFaultProxy(tables().endpoint, () => action);
    try {
      await expectEveryOperation(proxy.endpoint, tables(), FAIL_FAST, (failure, operation) => expectUnavailable(failure, operation, true));
    } finally {
      await proxy.close();
    }
  });

  it("report a transaction cancelled by throttling as StorageUnavailableError", async () => {
    const proxy = await startFaultProxy(tables().endpoint, (request) =>
      request.operation === "TransactWriteItems"
        ? { kind: "error", type: "TransactionCanceledException", extra: { CancellationReasons: [{ Code: "ThrottlingError" }, { Code: "None" }] } }
        : { kind: "forward" },
    );
    const client = localClient(proxy.endpoint, FAIL_FAST);
    try {
      const credentials = new DynamoDbCredentialStore({ client, tableName: tables().credentialTable });
      const user = aUserAccount();
      await expectUnavailable(credentials.add(aStoredCredentialFor(user), user), "add", true);
    } finally {
      client.destroy();
      await proxy.close();
    }
  });
});

describe("DynamoDB adapters on bugs", () => {
  it("let a ValidationException through as it is: a malformed request is not an outage", async () => {
    const sessions = new DynamoDbSessionStore({ client: tables().client, tableName: tables().sessionTable });

    // An empty partition key is refused by DynamoDB.
    const failure = sessions.save(authenticationSession(Date.now(), { id: "" }));

    await expect(failure).rejects.toMatchObject({ name: "ValidationException" });
    await expect(failure).rejects.not.toBeInstanceOf(StorageUnavailableError);
  });

  it("refuse a number DynamoDB could not give back exactly, before sending anything", async () => {
    const credentials = new DynamoDbCredentialStore({ client: tables().client, tableName: tables().credentialTable });
    const user = aUserAccount();

    await expect(credentials.add(aStoredCredentialFor(user, { counter: 2 ** 53 }), user)).rejects.toThrow(RangeError);
    expect(await credentials.findUserByHandle(user.userHandle)).toBeNull();
  });
});

describe("createDynamoDbClient", () => {
  it("talks to a DynamoDB Local on localhost with dummy credentials, none need be configured", async () => {
    const client = createDynamoDbClient({ endpoint: tables().endpoint.replace("127.0.0.1", "localhost") });
    try {
      const credentials = new DynamoDbCredentialStore({ client, tableName: tables().credentialTable });
      const user = aUserAccount();
      expect(await credentials.add(aStoredCredentialFor(user), user)).toBe("added");
      expect(await credentials.findUserByHandle(user.userHandle)).toEqual(user);
    } finally {
      client.destroy();
    }
  });

  it("turns a DynamoDB that stops answering into StorageUnavailableError after its attempts, not a hang", async () => {
    const proxy = await startFaultProxy(tables().endpoint, () => ({ kind: "hang" }));
    const client = createDynamoDbClient({ endpoint: proxy.endpoint.replace("127.0.0.1", "localhost"), maxAttempts: 2, requestTimeoutMs: 200 });
    try {
      const started = Date.now();
      await expectUnavailable(new DynamoDbSessionStore({ client, tableName: tables().sessionTable }).consume(uniqueId(32)), "consume", true);
      expect(proxy.counts.get("DeleteItem")).toBe(2);
      expect(Date.now() - started).toBeLessThan(5_000);
    } finally {
      client.destroy();
      await proxy.close();
    }
  });
});
