/**
 * The three tables keyport needs (ADR 0010, ADR 0020): their key schemas, exported for the CDK stack so that the
 * deployed tables and the adapters cannot disagree, and `createTables` for DynamoDB Local and tests.
 * Deployed tables are made by the CDK stack, never by this function.
 */
import {
  CreateTableCommand,
  DescribeTableCommand,
  DescribeTimeToLiveCommand,
  ResourceInUseException,
  ResourceNotFoundException,
  UpdateTimeToLiveCommand,
  waitUntilTableExists,
  type AttributeDefinition,
  type DynamoDBClient,
  type KeySchemaElement,
} from "@aws-sdk/client-dynamodb";
import { storageFault } from "./storage-faults.js";

/** DynamoDB's scalar key types; the CDK's `AttributeType.STRING` is this same "S". */
export type KeyAttributeType = "S" | "N" | "B";

export interface TableDesign {
  readonly partitionKey: { readonly name: string; readonly type: KeyAttributeType };
  readonly sortKey?: { readonly name: string; readonly type: KeyAttributeType };
  /** The attribute holding an expiry in epoch seconds, when DynamoDB should delete expired items. */
  readonly timeToLiveAttribute?: string;
}

/** Ceremony sessions: one item per session id, deleted by TTL some time after `ttl` (epoch seconds). */
export const SESSION_TABLE = {
  partitionKey: { name: "id", type: "S" },
  timeToLiveAttribute: "ttl",
} as const satisfies TableDesign;

/** Credentials, their per-user pointers, user profiles and identity links, in one table (no index). */
export const CREDENTIAL_TABLE = {
  partitionKey: { name: "pk", type: "S" },
  sortKey: { name: "sk", type: "S" },
} as const satisfies TableDesign;

/**
 * Security events and the failed-sign-in windows of the flood bound, per user (ADR 0020): pk
 * `USER#<handle>`, sk `EVENT#…` or `WINDOW#…`; every item deleted by TTL (`ttl`, epoch seconds) once
 * the retention period is over. A table of its own, so that its TTL, its growth and its grants
 * (written by the triggers, read by the HTTP function) stay apart from the credentials'.
 */
export const EVENT_TABLE = {
  partitionKey: { name: "pk", type: "S" },
  sortKey: { name: "sk", type: "S" },
  timeToLiveAttribute: "ttl",
} as const satisfies TableDesign;

export interface TableNames {
  readonly sessionTable: string;
  readonly credentialTable: string;
  readonly eventTable: string;
}

/**
 * Creates whichever of the three tables is missing (on-demand billing), waits until all are ACTIVE and
 * makes sure TTL is enabled on the session and event tables. Idempotent, also when several processes race.
 */
export async function createTables(client: DynamoDBClient, names: TableNames): Promise<void> {
  try {
    await Promise.all([
      ensureTable(client, names.sessionTable, SESSION_TABLE),
      ensureTable(client, names.credentialTable, CREDENTIAL_TABLE),
      ensureTable(client, names.eventTable, EVENT_TABLE),
    ]);
  } catch (error) {
    throw storageFault(error, "create tables");
  }
}

async function ensureTable(client: DynamoDBClient, tableName: string, design: TableDesign): Promise<void> {
  if (!(await tableExists(client, tableName))) {
    const keys = [design.partitionKey, ...(design.sortKey === undefined ? [] : [design.sortKey])];
    const keySchema: KeySchemaElement[] = keys.map((key, i) => ({ AttributeName: key.name, KeyType: i === 0 ? "HASH" : "RANGE" }));
    const attributes: AttributeDefinition[] = keys.map((key) => ({ AttributeName: key.name, AttributeType: key.type }));
    try {
      await client.send(new CreateTableCommand({ TableName: tableName, KeySchema: keySchema, AttributeDefinitions: attributes, BillingMode: "PAY_PER_REQUEST" }));
    } catch (error) {
      // Someone else created it between our DescribeTable and CreateTable: what we wanted.
      if (!(error instanceof ResourceInUseException)) throw error;
    }
  }
  // DynamoDB Local makes tables ACTIVE at once; the service takes seconds. The SDK's default first delay is 20 s.
  await waitUntilTableExists({ client, maxWaitTime: 120, minDelay: 1, maxDelay: 5 }, { TableName: tableName });
  if (design.timeToLiveAttribute !== undefined) await ensureTimeToLive(client, tableName, design.timeToLiveAttribute);
}

async function tableExists(client: DynamoDBClient, tableName: string): Promise<boolean> {
  try {
    await client.send(new DescribeTableCommand({ TableName: tableName }));
    return true;
  } catch (error) {
    if (error instanceof ResourceNotFoundException) return false;
    throw error;
  }
}

async function ensureTimeToLive(client: DynamoDBClient, tableName: string, attribute: string): Promise<void> {
  // The service refuses to enable TTL twice (ValidationException), hence the look first, and again
  // after a refusal, which is what losing a race with another process looks like.
  if (await timeToLiveEnabled(client, tableName, attribute)) return;
  try {
    await client.send(new UpdateTimeToLiveCommand({ TableName: tableName, TimeToLiveSpecification: { Enabled: true, AttributeName: attribute } }));
  } catch (error) {
    if (!(await timeToLiveEnabled(client, tableName, attribute))) throw error;
  }
}

async function timeToLiveEnabled(client: DynamoDBClient, tableName: string, attribute: string): Promise<boolean> {
  const { TimeToLiveDescription: ttl } = await client.send(new DescribeTimeToLiveCommand({ TableName: tableName }));
  if (ttl?.TimeToLiveStatus !== "ENABLED" && ttl?.TimeToLiveStatus !== "ENABLING") return false;
  if (ttl.AttributeName !== attribute) throw new Error(`${tableName} has TTL on ${ttl.AttributeName ?? "?"}, expected ${attribute}`);
  return true;
}
