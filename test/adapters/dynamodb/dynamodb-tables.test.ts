import { randomBytes } from "node:crypto";
import { DeleteTableCommand, DescribeTableCommand, DescribeTimeToLiveCommand } from "@aws-sdk/client-dynamodb";
import { describe, expect, it } from "vitest";
import { CREDENTIAL_TABLE, EVENT_TABLE, SESSION_TABLE, createTables } from "../../../src/adapters/dynamodb/dynamodb-tables.js";
import { useTestTables } from "./dynamodb-test-tables.js";

const tables = useTestTables();

describe("createTables", () => {
  it("creates the three tables on demand, with the exported key schemas and TTL on the session and event tables", async () => {
    const { client, sessionTable, credentialTable, eventTable } = tables();

    const sessions = (await client.send(new DescribeTableCommand({ TableName: sessionTable }))).Table;
    const credentials = (await client.send(new DescribeTableCommand({ TableName: credentialTable }))).Table;
    const events = (await client.send(new DescribeTableCommand({ TableName: eventTable }))).Table;
    const ttl = (await client.send(new DescribeTimeToLiveCommand({ TableName: sessionTable }))).TimeToLiveDescription;
    const eventTtl = (await client.send(new DescribeTimeToLiveCommand({ TableName: eventTable }))).TimeToLiveDescription;
    const credentialTtl = (await client.send(new DescribeTimeToLiveCommand({ TableName: credentialTable }))).TimeToLiveDescription;

    expect(sessions).toMatchObject({ TableStatus: "ACTIVE", KeySchema: [{ AttributeName: SESSION_TABLE.partitionKey.name, KeyType: "HASH" }], BillingModeSummary: { BillingMode: "PAY_PER_REQUEST" } });
    for (const [table, design] of [
      [credentials, CREDENTIAL_TABLE],
      [events, EVENT_TABLE],
    ] as const) {
      expect(table).toMatchObject({
        TableStatus: "ACTIVE",
        KeySchema: [
          { AttributeName: design.partitionKey.name, KeyType: "HASH" },
          { AttributeName: design.sortKey.name, KeyType: "RANGE" },
        ],
        AttributeDefinitions: expect.arrayContaining([
          { AttributeName: design.partitionKey.name, AttributeType: "S" },
          { AttributeName: design.sortKey.name, AttributeType: "S" },
        ]),
        BillingModeSummary: { BillingMode: "PAY_PER_REQUEST" },
      });
      expect(table?.GlobalSecondaryIndexes).toBeUndefined();
    }
    expect(ttl).toEqual({ TimeToLiveStatus: "ENABLED", AttributeName: "ttl" });
    expect(eventTtl).toEqual({ TimeToLiveStatus: "ENABLED", AttributeName: EVENT_TABLE.timeToLiveAttribute });
    expect(credentialTtl?.TimeToLiveStatus).toBe("DISABLED");
  });

  it("is idempotent, also when several processes race to create the same tables", async () => {
    const { client } = tables();
    const suffix = randomBytes(6).toString("hex");
    const names = {
      sessionTable: `keyport-test-race-sessions-${suffix}`,
      credentialTable: `keyport-test-race-credentials-${suffix}`,
      eventTable: `keyport-test-race-events-${suffix}`,
    };
    try {
      await Promise.all([createTables(client, names), createTables(client, names), createTables(client, names)]);
      await createTables(client, names);

      for (const TableName of [names.sessionTable, names.eventTable]) {
        const ttl = (await client.send(new DescribeTimeToLiveCommand({ TableName }))).TimeToLiveDescription;
        expect(ttl, TableName).toEqual({ TimeToLiveStatus: "ENABLED", AttributeName: "ttl" });
      }
    } finally {
      await Promise.all(Object.values(names).map((TableName) => client.send(new DeleteTableCommand({ TableName }))));
    }
  });

  it("adds the event table next to session and credential tables made before it existed", async () => {
    const { client, sessionTable, credentialTable } = tables();
    const eventTable = `keyport-test-late-events-${randomBytes(6).toString("hex")}`;
    try {
      await createTables(client, { sessionTable, credentialTable, eventTable });

      expect((await client.send(new DescribeTableCommand({ TableName: eventTable }))).Table?.TableStatus).toBe("ACTIVE");
      expect((await client.send(new DescribeTimeToLiveCommand({ TableName: eventTable }))).TimeToLiveDescription).toEqual({ TimeToLiveStatus: "ENABLED", AttributeName: "ttl" });
    } finally {
      await client.send(new DeleteTableCommand({ TableName: eventTable }));
    }
  });
});
