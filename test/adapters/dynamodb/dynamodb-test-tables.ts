/**
 * Tables of one's own for a test file: created in `beforeAll` on the run's DynamoDB Local (from the
 * globalSetup in test/support/dynamodb-global-setup.ts) with random names, deleted in `afterAll`.
 * When no globalSetup provides an endpoint (a config without it), the file starts a DynamoDB Local
 * of its own, slower but still real.
 */
import { randomBytes } from "node:crypto";
import { DeleteTableCommand, type DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { afterAll, beforeAll, inject } from "vitest";
import { createTables } from "../../../src/adapters/dynamodb/dynamodb-tables.js";
import { localClient, startDynamoDbLocal, type DynamoDbLocal } from "../../support/dynamodb-local.js";
// For the type of inject("dynamoDbEndpoint"), which that module declares.
import type {} from "../../support/dynamodb-global-setup.js";

export interface TestTables {
  readonly endpoint: string;
  readonly client: DynamoDBClient;
  readonly sessionTable: string;
  readonly credentialTable: string;
  readonly eventTable: string;
}

/** A DynamoDB Local start can take several seconds on a loaded machine. */
const SETUP_TIMEOUT_MS = 60_000;

export function useTestTables(): () => TestTables {
  let tables: TestTables | undefined;
  let own: DynamoDbLocal | undefined;

  beforeAll(async () => {
    let endpoint = inject("dynamoDbEndpoint");
    if (endpoint === undefined) {
      own = await startDynamoDbLocal();
      endpoint = own.endpoint;
    }
    const suffix = randomBytes(6).toString("hex");
    const client = localClient(endpoint);
    const names = {
      sessionTable: `keyport-test-sessions-${suffix}`,
      credentialTable: `keyport-test-credentials-${suffix}`,
      eventTable: `keyport-test-events-${suffix}`,
    };
    await createTables(client, names);
    tables = { endpoint, client, ...names };
  }, SETUP_TIMEOUT_MS);

  afterAll(async () => {
    if (tables !== undefined) {
      const { client, sessionTable, credentialTable, eventTable } = tables;
      await Promise.all([sessionTable, credentialTable, eventTable].map((TableName) => client.send(new DeleteTableCommand({ TableName }))));
      client.destroy();
    }
    await own?.stop();
  }, SETUP_TIMEOUT_MS);

  return () => {
    if (tables === undefined) throw new Error("test tables used outside a test");
    return tables;
  };
}
