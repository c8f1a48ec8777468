import { GetItemCommand, PutItemCommand } from "@aws-sdk/client-dynamodb";
import { describe, expect, it } from "vitest";
import { DynamoDbSessionStore } from "../../../src/adapters/dynamodb/dynamodb-session-store.js";
import { authenticationSession, describeSessionStoreContract, registrationSession, SESSION_RETENTION_MS } from "../../ports/session-store.contract.js";
import { localClient } from "../../support/dynamodb-local.js";
import { startFaultProxy, type ProxiedRequest, type ProxyAction } from "./fault-proxy.js";
import { useTestTables } from "./dynamodb-test-tables.js";

const tables = useTestTables();
const store = (): DynamoDbSessionStore => new DynamoDbSessionStore({ client: tables().client, tableName: tables().sessionTable });

describeSessionStoreContract("DynamoDbSessionStore", async () => ({ store: store() }));

describe("DynamoDbSessionStore items", () => {
  it("stores a registration session as typed attributes with expiresAt in ms and ttl in epoch seconds, the retention period later", async () => {
    const session = registrationSession(Date.UTC(2026, 0, 1), { expiresAt: Date.UTC(2026, 0, 1) + 300_001 });
    await store().save(session);

    const { Item: item } = await tables().client.send(new GetItemCommand({ TableName: tables().sessionTable, Key: { id: { S: session.id } }, ConsistentRead: true }));

    expect(item).toMatchObject({
      id: { S: session.id },
      kind: { S: "registration" },
      challenge: { S: session.challenge },
      userHandle: { S: session.userHandle },
      identityUserId: { NULL: true },
      newAccount: { BOOL: true },
      algorithms: { L: [{ N: "-8" }, { N: "-7" }, { N: "-257" }] },
      expiresAt: { N: String(session.expiresAt) },
      // Rounded up: DynamoDB may delete a session only once it has been expired for the retention period.
      ttl: { N: String(Math.ceil((session.expiresAt + SESSION_RETENTION_MS) / 1000)) },
    });
    expect(Number(item?.ttl?.N)).toBe(Math.floor(Date.UTC(2026, 0, 1) / 1000) + 301 + 15 * 60);
  });

  it("stores a registration session's mediation, and reads one saved before mediations (ADR 0025) as modal", async () => {
    const upgrade = registrationSession(Date.now(), { identityUserId: "password-user", newAccount: false, mediation: "conditional" });
    await store().save(upgrade);
    const key = { id: { S: upgrade.id } };
    const { Item: item } = await tables().client.send(new GetItemCommand({ TableName: tables().sessionTable, Key: key, ConsistentRead: true }));
    expect(item).toMatchObject({ mediation: { S: "conditional" } });

    const { mediation: _, ...legacy } = item ?? {};
    await tables().client.send(new PutItemCommand({ TableName: tables().sessionTable, Item: legacy }));
    expect(await store().consume(upgrade.id)).toEqual({ ...upgrade, mediation: "modal" });
  });

  it("stores an empty allow list and a null user handle as an empty L and NULL", async () => {
    const session = authenticationSession(Date.now());
    await store().save(session);

    const { Item: item } = await tables().client.send(new GetItemCommand({ TableName: tables().sessionTable, Key: { id: { S: session.id } }, ConsistentRead: true }));

    expect(item).toMatchObject({ kind: { S: "authentication" }, userHandle: { NULL: true }, allowCredentials: { L: [] } });
  });

  it("gives each of 50 sessions consumed by 50 clients of their own (separate processes, say) to exactly one", async () => {
    const clients = Array.from({ length: 50 }, () => localClient(tables().endpoint));
    try {
      const session = authenticationSession(Date.now(), { allowCredentials: ["a", "b"] });
      await store().save(session);

      const results = await Promise.all(clients.map((client) => new DynamoDbSessionStore({ client, tableName: tables().sessionTable }).consume(session.id)));

      expect(results.filter((r) => r !== null)).toEqual([session]);
    } finally {
      for (const client of clients) client.destroy();
    }
  });
});

describe("DynamoDbSessionStore when an answer is lost and the SDK retries", () => {
  async function withLostAnswer(operation: string, run: (proxied: DynamoDbSessionStore) => Promise<void>): Promise<number> {
    const loseFirst = (request: ProxiedRequest): ProxyAction => (request.operation === operation && request.count === 1 ? { kind: "lose-answer" } : { kind: "forward" });
    const proxy = await startFaultProxy(tables().endpoint, loseFirst);
    const client = localClient(proxy.endpoint);
    try {
      await run(new DynamoDbSessionStore({ client, tableName: tables().sessionTable }));
      return proxy.counts.get(operation) ?? 0;
    } finally {
      client.destroy();
      await proxy.close();
    }
  }

  it("answers 'saved', not 'exists', when the retry finds the session its first attempt wrote", async () => {
    const session = registrationSession(Date.now());

    const attempts = await withLostAnswer("PutItem", async (proxied) => {
      expect(await proxied.save(session)).toBe("saved");
    });

    expect(attempts).toBe(2);
    expect(await store().consume(session.id)).toEqual(session);
    expect(await store().consume(session.id)).toBeNull();
  });

  it("still answers 'exists' for a session another save wrote", async () => {
    const original = authenticationSession(Date.now());
    await store().save(original);

    await withLostAnswer("PutItem", async (proxied) => {
      expect(await proxied.save({ ...original, allowCredentials: ["other"] })).toBe("exists");
    });

    expect(await store().consume(original.id)).toEqual(original);
  });

  it("loses the session rather than handing it out twice when a consume's answer is lost", async () => {
    const session = authenticationSession(Date.now());
    await store().save(session);

    const attempts = await withLostAnswer("DeleteItem", async (proxied) => {
      expect(await proxied.consume(session.id)).toBeNull();
    });

    expect(attempts).toBe(2);
    expect(await store().consume(session.id)).toBeNull();
  });
});
