import { DeleteTableCommand, GetItemCommand, PutItemCommand, type DynamoDBClientConfig } from "@aws-sdk/client-dynamodb";
import { describe, expect, it } from "vitest";
import { DynamoDbSecurityEventLog } from "../../../src/adapters/dynamodb/dynamodb-security-event-log.js";
import { createTables } from "../../../src/adapters/dynamodb/dynamodb-tables.js";
import { MalformedItemError, StorageUnavailableError } from "../../../src/adapters/dynamodb/storage-faults.js";
import type { SecurityEvent } from "../../../src/domain/activity/security-events.js";
import { aFailure, aSignIn, describeSecurityEventLogContract, everyVariant, listAll } from "../../ports/security-event-log.contract.js";
import { freePort, localClient } from "../../support/dynamodb-local.js";
import { uniqueId } from "../../support/kit.js";
import { startFaultProxy, type ProxiedRequest, type ProxyAction } from "./fault-proxy.js";
import { useTestTables } from "./dynamodb-test-tables.js";

const tables = useTestTables();
const DAY = 86_400_000;
const HOUR = 3_600_000;
const RETENTION_MS = 90 * DAY;
const log = (options: { queryPageSize?: number } = {}): DynamoDbSecurityEventLog =>
  new DynamoDbSecurityEventLog({ client: tables().client, tableName: tables().eventTable, retentionMs: RETENTION_MS, ...options });

describeSecurityEventLogContract("DynamoDbSecurityEventLog", async () => ({ log: log() }));

/** The start of the window before the current one. */
const pastWindow = (): number => Math.floor(Date.now() / HOUR) * HOUR - HOUR;

async function getItem(pk: string, sk: string) {
  const { Item: item } = await tables().client.send(new GetItemCommand({ TableName: tables().eventTable, Key: { pk: { S: pk }, sk: { S: sk } }, ConsistentRead: true }));
  return item;
}

const sortKey = (event: SecurityEvent): string => `EVENT#${String(event.at).padStart(16, "0")}#${event.eventId}`;

describe("DynamoDbSecurityEventLog items", () => {
  it("stores an event under its user, sorted by time, as typed attributes with a ttl the retention period after it", async () => {
    const user = uniqueId(32);
    const at = Date.now() - 1_000;
    const event = aFailure(user, at, { context: { sourceIp: "198.51.100.1", userAgent: null, correlationId: "c-1" } });
    await log().append(event);

    const item = await getItem(`USER#${user}`, sortKey(event));

    expect(item).toEqual({
      pk: { S: `USER#${user}` },
      sk: { S: sortKey(event) },
      ttl: { N: String(Math.ceil((at + RETENTION_MS) / 1000)) },
      entity: { S: "event" },
      type: { S: "sign_in.failed" },
      eventId: { S: event.eventId },
      at: { N: String(at) },
      userHandle: { S: user },
      sourceIp: { S: "198.51.100.1" },
      userAgent: { NULL: true },
      correlationId: { S: "c-1" },
      credentialId: { S: event.credentialId },
      passkeyName: { S: event.passkeyName },
      authenticatorName: { S: event.authenticatorName },
      code: { S: event.code },
    });
  });

  it("puts a ttl on every item it writes: each event and the failure window", async () => {
    const user = uniqueId(32);
    const start = pastWindow();
    const events = everyVariant(user, Date.now() - 60_000);
    for (const event of events) await log().append(event);
    for (let i = 0; i < 3; i++) await log().appendFailure(aFailure(user, start + i), { windowMs: HOUR, limit: 2 });

    const { events: listed } = await listAll(log(), user);
    for (const event of listed) {
      const item = await getItem(`USER#${user}`, sortKey(event));
      expect(item?.ttl, event.type).toEqual({ N: String(Math.ceil((event.at + RETENTION_MS) / 1000)) });
    }
    const window = await getItem(`USER#${user}`, `WINDOW#${String(start).padStart(16, "0")}`);
    expect(window).toMatchObject({ calls: { N: "3" }, ttl: { N: String(Math.ceil((start + HOUR + RETENTION_MS) / 1000)) } });
  });

  it("reads past DynamoDB's 1 MB per Query request to fill a page", async () => {
    const user = uniqueId(32);
    // 110 events of about 12 KB: one page of 100 is more than 1 MB.
    const events = Array.from({ length: 110 }, (_, i) => aSignIn(user, Date.now() - 60_000 + i, { context: { sourceIp: null, correlationId: null, userAgent: "u".repeat(12_000) } }));
    for (let i = 0; i < events.length; i += 10) await Promise.all(events.slice(i, i + 10).map((event) => log().append(event)));
    const proxy = await startFaultProxy(tables().endpoint, () => ({ kind: "forward" }));
    const client = localClient(proxy.endpoint);
    try {
      const proxied = new DynamoDbSecurityEventLog({ client, tableName: tables().eventTable, retentionMs: RETENTION_MS });

      const first = await proxied.listForUser(user, { limit: 100, cursor: null });

      expect(first.ok && first.value.events.map((e) => e.eventId)).toEqual([...events].reverse().slice(0, 100).map((e) => e.eventId));
      expect(proxy.counts.get("Query")).toBeGreaterThan(1);
    } finally {
      client.destroy();
      await proxy.close();
    }
  });

  it("fills pages across many small Query requests", async () => {
    const user = uniqueId(32);
    const events = Array.from({ length: 23 }, (_, i) => aSignIn(user, Date.now() - 60_000 + i));
    for (const event of events) await log().append(event);

    const { events: listed, pages } = await listAll(log({ queryPageSize: 3 }), user, 10);

    expect(listed).toEqual([...events].reverse());
    expect(pages).toBe(3);
  });

  it("counts 30 of 50 failures arriving at once from 50 clients of their own (separate Lambda instances, say)", async () => {
    const clients = Array.from({ length: 50 }, () => localClient(tables().endpoint));
    try {
      const user = uniqueId(32);
      const start = pastWindow();
      const failures = Array.from({ length: 50 }, (_, i) => aFailure(user, start + i));

      const outcomes = await Promise.all(
        failures.map((failure, i) => {
          const client = clients[i];
          if (client === undefined) throw new Error("no client");
          return new DynamoDbSecurityEventLog({ client, tableName: tables().eventTable, retentionMs: RETENTION_MS }).appendFailure(failure, { windowMs: HOUR, limit: 20 });
        }),
      );

      expect(outcomes.filter((o) => o === "stored")).toHaveLength(20);
      const { events } = await listAll(log(), user);
      expect(events.filter((e) => e.type === "sign_in.failed")).toHaveLength(20);
      expect(events.filter((e) => e.type === "sign_in.failed_suppressed")).toMatchObject([{ count: 30 }]);
    } finally {
      for (const client of clients) client.destroy();
    }
  });

  it("throws MalformedItemError, not a crash, for an event item that does not have the shape it writes", async () => {
    const user = uniqueId(32);
    const good = aSignIn(user, Date.now() - 2_000);
    await log().append(good);
    const at = Date.now() - 1_000;
    const base = { pk: { S: `USER#${user}` }, eventId: { S: "x" }, at: { N: String(at) }, userHandle: { S: user }, sourceIp: { NULL: true }, userAgent: { NULL: true }, correlationId: { NULL: true } };
    const malformed = [
      { ...base, sk: { S: `EVENT#${String(at).padStart(16, "0")}#a` }, type: { S: "sign_in.teleported" } },
      { ...base, sk: { S: `EVENT#${String(at).padStart(16, "0")}#b` }, type: { S: "sign_in.succeeded" }, credentialId: { S: "c" }, passkeyName: { S: "p" } },
      { ...base, sk: { S: `EVENT#${String(at).padStart(16, "0")}#c` }, type: { S: "account.updated" }, changed: { L: [{ S: "password" }] } },
      { ...base, sk: { S: `EVENT#${String(at).padStart(16, "0")}#d` }, type: { S: "signed_out" }, userHandle: { S: "someone-else" } },
      { ...base, sk: { S: `EVENT#${String(at).padStart(16, "0")}#e` }, type: { S: "signed_out" }, at: { S: "yesterday" } },
    ];
    for (const item of malformed) {
      const other = uniqueId(32);
      const placed = { ...item, pk: { S: `USER#${other}` }, ...(item.userHandle.S === user ? { userHandle: { S: other } } : {}) };
      await tables().client.send(new PutItemCommand({ TableName: tables().eventTable, Item: placed }));

      await expect(log().listForUser(other, { limit: 10, cursor: null })).rejects.toBeInstanceOf(MalformedItemError);
    }
    expect((await listAll(log(), user)).events).toEqual([good]);
  });

  it("refuses a retention period that is not a positive whole number of milliseconds", () => {
    for (const retentionMs of [0, -1, 1.5]) expect(() => new DynamoDbSecurityEventLog({ client: tables().client, tableName: tables().eventTable, retentionMs })).toThrow(RangeError);
  });
});

describe("DynamoDbSecurityEventLog when an answer is lost and the SDK retries", () => {
  async function withLostAnswer(lose: (request: ProxiedRequest) => boolean, run: (proxied: DynamoDbSecurityEventLog) => Promise<void>): Promise<ReadonlyMap<string, number>> {
    const proxy = await startFaultProxy(tables().endpoint, (request): ProxyAction => (lose(request) ? { kind: "lose-answer" } : { kind: "forward" }));
    const client = localClient(proxy.endpoint);
    try {
      await run(new DynamoDbSecurityEventLog({ client, tableName: tables().eventTable, retentionMs: RETENTION_MS }));
      return proxy.counts;
    } finally {
      client.destroy();
      await proxy.close();
    }
  }

  it("stores an appended event once when the put's answer is lost", async () => {
    const user = uniqueId(32);
    const event = aSignIn(user, Date.now() - 1_000);

    const counts = await withLostAnswer((r) => r.operation === "PutItem" && r.count === 1, (proxied) => proxied.append(event));

    expect(counts.get("PutItem")).toBe(2);
    expect((await listAll(log(), user)).events).toEqual([event]);
  });

  it("takes one ticket per failure when the window update's answer is lost, so the bound stays exact", async () => {
    const user = uniqueId(32);
    const start = pastWindow();
    const bound = { windowMs: HOUR, limit: 2 };
    const failures = Array.from({ length: 3 }, (_, i) => aFailure(user, start + i));

    const outcomes: string[] = [];
    await withLostAnswer(
      (r) => r.operation === "UpdateItem" && r.count === 1,
      async (proxied) => {
        for (const failure of failures) outcomes.push(await proxied.appendFailure(failure, bound));
      },
    );

    expect(outcomes).toEqual(["stored", "stored", "counted"]);
    const { events } = await listAll(log(), user);
    expect(events.map((e) => e.type)).toEqual(["sign_in.failed_suppressed", "sign_in.failed", "sign_in.failed"]);
    expect(events[0]).toMatchObject({ count: 1 });
  });

  it("keeps the suppressed count when the answer to raising it is lost", async () => {
    const user = uniqueId(32);
    const start = pastWindow();
    const bound = { windowMs: HOUR, limit: 0 };
    let updates = 0;

    await withLostAnswer(
      (r) => r.operation === "UpdateItem" && JSON.stringify(r.body).includes('"#count"') && ++updates === 2,
      async (proxied) => {
        for (let i = 0; i < 3; i++) await proxied.appendFailure(aFailure(user, start + i), bound);
      },
    );

    expect((await listAll(log(), user)).events).toMatchObject([{ type: "sign_in.failed_suppressed", count: 3 }]);
  });
});

describe("DynamoDbSecurityEventLog faults", () => {
  /** No SDK retries, so that each fault surfaces at once. */
  const FAIL_FAST: Partial<DynamoDBClientConfig> = { maxAttempts: 1, requestHandler: { connectionTimeout: 500, requestTimeout: 1_000, throwOnRequestTimeout: true } };
  const OPERATIONS: readonly [string, (log: DynamoDbSecurityEventLog) => Promise<unknown>][] = [
    ["append", (l) => l.append(aSignIn(uniqueId(32), Date.now()))],
    ["appendFailure", (l) => l.appendFailure(aFailure(uniqueId(32), Date.now()), { windowMs: HOUR, limit: 20 })],
    ["appendFailure past the limit", (l) => l.appendFailure(aFailure(uniqueId(32), Date.now()), { windowMs: HOUR, limit: 0 })],
    ["listForUser", (l) => l.listForUser(uniqueId(32), { limit: 20, cursor: null })],
  ];

  async function expectEvery(endpoint: string, tableName: string, retryable: boolean): Promise<void> {
    const client = localClient(endpoint, FAIL_FAST);
    try {
      const faulty = new DynamoDbSecurityEventLog({ client, tableName, retentionMs: RETENTION_MS });
      for (const [operation, call] of OPERATIONS) {
        const error = await call(faulty).then(
          (value) => new Error(`${operation} resolved ${JSON.stringify(value)}`),
          (e: unknown) => e,
        );
        expect(error, operation).toBeInstanceOf(StorageUnavailableError);
        expect(error, operation).toMatchObject({ code: "storage_unavailable", retryable });
      }
    } finally {
      client.destroy();
    }
  }

  it("reports StorageUnavailableError (retryable) from every method when nothing listens", async () => {
    await expectEvery(`http://127.0.0.1:${await freePort()}`, tables().eventTable, true);
  });

  it("reports StorageUnavailableError (not retryable) from every method when the table does not exist", async () => {
    await expectEvery(tables().endpoint, "keyport-no-such-events", false);
  });

  it.each(["ThrottlingException", "ProvisionedThroughputExceededException"])("reports StorageUnavailableError (retryable) from every method on %s", async (type) => {
    const proxy = await startFaultProxy(tables().endpoint, () => ({ kind: "error", type }));
    try {
      await expectEvery(proxy.endpoint, tables().eventTable, true);
    } finally {
      await proxy.close();
    }
  });

  it("reports a fault on the second step of a counted failure too", async () => {
    const proxy = await startFaultProxy(tables().endpoint, (r) => (r.operation === "UpdateItem" && r.count > 1 ? { kind: "error", type: "ThrottlingException" } : { kind: "forward" }));
    const client = localClient(proxy.endpoint, FAIL_FAST);
    try {
      const faulty = new DynamoDbSecurityEventLog({ client, tableName: tables().eventTable, retentionMs: RETENTION_MS });
      await expect(faulty.appendFailure(aFailure(uniqueId(32), Date.now()), { windowMs: HOUR, limit: 0 })).rejects.toBeInstanceOf(StorageUnavailableError);
    } finally {
      client.destroy();
      await proxy.close();
    }
  });
});

describe("DynamoDbSecurityEventLog table", () => {
  it("works on a table createTables made, alongside the other two", async () => {
    const client = tables().client;
    const suffix = uniqueId(6).toLowerCase().replace(/[^a-z0-9]/g, "x");
    const names = { sessionTable: `keyport-t-s-${suffix}`, credentialTable: `keyport-t-c-${suffix}`, eventTable: `keyport-t-e-${suffix}` };
    await createTables(client, names);
    try {
      const own = new DynamoDbSecurityEventLog({ client, tableName: names.eventTable, retentionMs: RETENTION_MS });
      const event = aSignIn(uniqueId(32), Date.now());
      await own.append(event);
      expect((await listAll(own, event.userHandle)).events).toEqual([event]);
    } finally {
      await Promise.all(Object.values(names).map((TableName) => client.send(new DeleteTableCommand({ TableName }))));
    }
  });
});
