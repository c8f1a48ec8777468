/**
 * Setup file of the `api-dynamodb` test project: the HTTP API tests run again, unchanged, on
 * STORAGE=dynamodb against the run's DynamoDB Local. Each test file gets tables of its own; the
 * harness (test/handlers/http/harness.ts) reads their names from the environment set here.
 */
import { randomBytes } from "node:crypto";
import { DeleteTableCommand } from "@aws-sdk/client-dynamodb";
import { afterAll, beforeAll, inject } from "vitest";
import { createTables } from "../../src/adapters/dynamodb/dynamodb-tables.js";
import { localClient } from "./dynamodb-local.js";
import type {} from "./dynamodb-global-setup.js";

const client = { current: undefined as ReturnType<typeof localClient> | undefined };
const suffix = (): string => randomBytes(6).toString("hex");
const names = {
  sessionTable: `keyport-api-sessions-${suffix()}`,
  credentialTable: `keyport-api-credentials-${suffix()}`,
  eventTable: `keyport-api-events-${suffix()}`,
};

// Set before the test file is even imported: its module-level code (a shared manual clock, say) must
// already see that it runs on DynamoDB, whose TTL sweeps items dated in the past.
const endpoint = inject("dynamoDbEndpoint");
if (endpoint === undefined) throw new Error("the api-dynamodb project needs the DynamoDB Local globalSetup");
process.env.KEYPORT_TEST_STORAGE = "dynamodb";
process.env.KEYPORT_TEST_DYNAMODB_ENDPOINT = endpoint;
process.env.KEYPORT_TEST_SESSION_TABLE = names.sessionTable;
process.env.KEYPORT_TEST_CREDENTIAL_TABLE = names.credentialTable;
process.env.KEYPORT_TEST_EVENT_TABLE = names.eventTable;

beforeAll(async () => {
  client.current = localClient(endpoint);
  await createTables(client.current, names);
}, 60_000);

afterAll(async () => {
  const c = client.current;
  if (c === undefined) return;
  await Promise.all([names.sessionTable, names.credentialTable, names.eventTable].map((TableName) => c.send(new DeleteTableCommand({ TableName }))));
  c.destroy();
}, 60_000);
