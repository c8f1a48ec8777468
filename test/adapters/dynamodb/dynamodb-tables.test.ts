import { randomBytes } from "node:crypto";
import { DeleteTableCommand, DescribeTableCommand, DescribeTimeToLiveCommand } from "@aws-sdk/client-dynamodb";
import { describe, expect, it } from "vitest";
import { CREDENTIAL_TABLE, SESSION_TABLE, createTables } from "../../../src/adapters/dynamodb/dynamodb-tables.js";
import { useTestTables } from "./dynamodb-test-tables.js";

const tables = useTestTables();

describe("createTables", () => {
  it("creates both tables on demand, with the exported key schemas and TTL on the session table", async () => {
    const { client, sessionTable, credentialTable } = tables();

    const sessions = (await client.send(new DescribeTableCommand({ TableName: sessionTable }))).Table;
    const credentials = (await client.send(new DescribeTableCommand({ TableName: credentialTable }))).Table;
    const ttl = (await client.send(new DescribeTimeToLiveCommand({ TableName: sessionTable }))).TimeToLiveDescription;

    expect(sessions).toMatchObject({ TableStatus: "ACTIVE", KeySchema: [{ AttributeName: SESSION_TABLE.partitionKey.name, KeyType: "HASH" }], BillingModeSummary: { BillingMode: "PAY_PER_REQUEST" } });
    expect(credentials).toMatchObject({
      TableStatus: "ACTIVE",
      KeySchema: [
        { AttributeName: CREDENTIAL_TABLE.partitionKey.name, KeyType: "HASH" },
        { AttributeName: CREDENTIAL_TABLE.sortKey.name, KeyType: "RANGE" },
      ],
      BillingModeSummary: { BillingMode: "PAY_PER_REQUEST" },
    });
    expect(credentials?.GlobalSecondaryIndexes).toBeUndefined();
    expect(ttl).toEqual({ TimeToLiveStatus: "ENABLED", AttributeName: "ttl" });
  });

  it("is idempotent, also when several processes race to create the same tables", async () => {
    const { client } = tables();
    const suffix = randomBytes(6).toString("hex");
    const names = { sessionTable: `keyport-test-race-sessions-${suffix}`, credentialTable: `keyport-test-race-credentials-${suffix}` };
    try {
      await Promise.all([createTables(client, names), createTables(client, names), createTables(client, names)]);
      await createTables(client, names);

      const ttl = (await client.send(new DescribeTimeToLiveCommand({ TableName: names.sessionTable }))).TimeToLiveDescription;
      expect(ttl).toEqual({ TimeToLiveStatus: "ENABLED", AttributeName: "ttl" });
    } finally {
      await Promise.all(Object.values(names).map((TableName) => client.send(new DeleteTableCommand({ TableName }))));
    }
  });
});
