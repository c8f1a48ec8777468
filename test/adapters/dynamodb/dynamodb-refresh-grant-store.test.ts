import { GetItemCommand, PutItemCommand, QueryCommand, type DynamoDBClientConfig } from "@aws-sdk/client-dynamodb";
import { describe, expect, it } from "vitest";
import { DynamoDbIdentityUserDirectory } from "../../../src/adapters/dynamodb/dynamodb-identity-user-directory.js";
import { DynamoDbRefreshGrantStore, PRUNE_LIMIT, SPENT_TOKENS_REMEMBERED } from "../../../src/adapters/dynamodb/dynamodb-refresh-grant-store.js";
import { MalformedItemError, StorageUnavailableError } from "../../../src/adapters/dynamodb/storage-faults.js";
import type { RefreshGrant } from "../../../src/ports/refresh-grant-store.js";
import { anIdentityUser } from "../../ports/identity-user-directory.contract.js";
import { aRefreshGrant, aTokenHash, describeRefreshGrantStoreContract } from "../../ports/refresh-grant-store.contract.js";
import { freePort, localClient } from "../../support/dynamodb-local.js";
import { ManualClock } from "../../support/manual-clock.js";
import { startFaultProxy, type ProxiedRequest, type ProxyAction } from "./fault-proxy.js";
import { useTestTables } from "./dynamodb-test-tables.js";

const tables = useTestTables();
const store = (clock = new ManualClock(Date.now()), options: { queryPageSize?: number } = {}): DynamoDbRefreshGrantStore =>
  new DynamoDbRefreshGrantStore({ client: tables().client, tableName: tables().credentialTable, clock, ...options });

describeRefreshGrantStoreContract("DynamoDbRefreshGrantStore", async () => {
  const clock = new ManualClock(Date.now());
  return { store: store(clock), clock };
});

const grantKey = (grantId: string) => ({ pk: { S: `GRANT#${grantId}` }, sk: { S: "GRANT" } });
const pointerSortKey = (grant: RefreshGrant): string => `GRANT#${String(grant.expiresAt).padStart(16, "0")}#${grant.grantId}`;

async function readGrantItem(grantId: string) {
  return (await tables().client.send(new GetItemCommand({ TableName: tables().credentialTable, Key: grantKey(grantId), ConsistentRead: true }))).Item;
}

/** The sort keys of the user's partition, in order. */
async function partition(username: string): Promise<string[]> {
  const { Items: items = [] } = await tables().client.send(
    new QueryCommand({
      TableName: tables().credentialTable,
      KeyConditionExpression: "pk = :pk",
      ExpressionAttributeValues: { ":pk": { S: `IDPUSER#${username}` } },
      ConsistentRead: true,
    }),
  );
  return items.map((item) => item.sk?.S ?? "");
}

describe("DynamoDbRefreshGrantStore items", () => {
  it("keeps a grant under GRANT#<grantId> with its live token's hash, and a pointer in the user's partition sorted by expiry", async () => {
    const grant = aRefreshGrant(Date.now());
    const token = aTokenHash();
    await store().create(grant, token);

    expect(await readGrantItem(grant.grantId)).toEqual({
      ...grantKey(grant.grantId),
      entity: { S: "refresh-grant" },
      grantId: { S: grant.grantId },
      username: { S: grant.username },
      authTime: { N: String(grant.authTime) },
      expiresAt: { N: String(grant.expiresAt) },
      live: { S: token },
      spent: { L: [] },
      revoked: { BOOL: false },
    });
    const { Item: pointer } = await tables().client.send(
      new GetItemCommand({ TableName: tables().credentialTable, Key: { pk: { S: `IDPUSER#${grant.username}` }, sk: { S: pointerSortKey(grant) } }, ConsistentRead: true }),
    );
    expect(pointer).toEqual({ pk: { S: `IDPUSER#${grant.username}` }, sk: { S: pointerSortKey(grant) }, entity: { S: "refresh-grant-pointer" }, grantId: { S: grant.grantId } });
  });

  it(`remembers the last ${SPENT_TOKENS_REMEMBERED} spent hashes, oldest first, and never a token itself`, async () => {
    const grant = aRefreshGrant(Date.now());
    const tokens = [aTokenHash()];
    await store().create(grant, tokens[0] ?? "");
    for (let i = 0; i < SPENT_TOKENS_REMEMBERED + 3; i++) {
      const next = aTokenHash();
      expect(await store().rotate(grant.grantId, tokens[tokens.length - 1] ?? "", next, Date.now())).toEqual(grant);
      tokens.push(next);
    }

    const item = await readGrantItem(grant.grantId);

    expect(item?.live).toEqual({ S: tokens[tokens.length - 1] });
    expect(item?.spent).toEqual({ L: tokens.slice(-1 - SPENT_TOKENS_REMEMBERED, -1).map((t) => ({ S: t })) });
    expect(item?.writeToken?.S).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("shares the user's partition with the identity user, and revokeAllOf leaves the user alone", async () => {
    const user = anIdentityUser();
    const directory = new DynamoDbIdentityUserDirectory({ client: tables().client, tableName: tables().credentialTable });
    await directory.create(user);
    const grant = aRefreshGrant(Date.now(), { username: user.username });
    await store().create(grant, aTokenHash());
    expect(await partition(user.username)).toEqual([pointerSortKey(grant), "IDPUSER"]);

    await store().revokeAllOf(user.username);

    expect(await partition(user.username)).toEqual(["IDPUSER"]);
    expect(await readGrantItem(grant.grantId)).toBeUndefined();
    expect(await directory.find(user.username)).toEqual(user);
  });

  it("revokes all of a user's grants over many Query pages", async () => {
    const username = `user-${aTokenHash()}`;
    const paged = store(undefined, { queryPageSize: 2 });
    const grants = Array.from({ length: 7 }, () => ({ grant: aRefreshGrant(Date.now(), { username }), token: aTokenHash() }));
    for (const { grant, token } of grants) await paged.create(grant, token);

    await paged.revokeAllOf(username);

    expect(await partition(username)).toEqual([]);
    for (const { grant, token } of grants) expect(await paged.rotate(grant.grantId, token, aTokenHash(), Date.now())).toBe("unknown");
  });

  it("refuses an item that does not have the shape it writes", async () => {
    const grant = aRefreshGrant(Date.now());
    const token = aTokenHash();
    const put = (changes: Record<string, unknown>) =>
      tables().client.send(
        new PutItemCommand({
          TableName: tables().credentialTable,
          Item: {
            ...grantKey(grant.grantId),
            entity: { S: "refresh-grant" },
            grantId: { S: grant.grantId },
            username: { S: grant.username },
            authTime: { N: String(grant.authTime) },
            expiresAt: { N: String(grant.expiresAt) },
            live: { S: token },
            spent: { L: [] },
            revoked: { BOOL: false },
            ...changes,
          },
        }),
      );

    await put({ spent: { L: [{ N: "1" }] } });
    await expect(store().rotate(grant.grantId, token, aTokenHash(), Date.now())).rejects.toThrow(MalformedItemError);
    await expect(store().rotate(grant.grantId, token, aTokenHash(), Date.now())).rejects.toThrow(/spent\[0\] is not a string/);

    await put({ entity: { S: "credential" } });
    await expect(store().rotate(grant.grantId, token, aTokenHash(), Date.now())).rejects.toThrow(/entity/);

    await put({ revoked: { S: "no" } });
    await expect(store().rotate(grant.grantId, token, aTokenHash(), Date.now())).rejects.toThrow(/revoked is not a boolean/);
  });
});

describe("DynamoDbRefreshGrantStore deleting expired grants", () => {
  it("deletes the user's expired grants, revoked or not, when the user signs in again, and keeps the others", async () => {
    const clock = new ManualClock(Date.now());
    const username = `user-${aTokenHash()}`;
    const soon = aRefreshGrant(clock.now(), { username, expiresAt: clock.now() + 60_000 });
    const revoked = aRefreshGrant(clock.now(), { username, expiresAt: clock.now() + 60_000 });
    const later = aRefreshGrant(clock.now(), { username, expiresAt: clock.now() + 60_001 });
    const laterToken = aTokenHash();
    const revokedToken = aTokenHash();
    await store(clock).create(soon, aTokenHash());
    await store(clock).create(revoked, revokedToken);
    await store(clock).revoke(revoked.grantId, revokedToken);
    await store(clock).create(later, laterToken);
    const other = aRefreshGrant(clock.now(), { expiresAt: clock.now() + 1_000 });
    await store(clock).create(other, aTokenHash());

    clock.advance(60_000);
    const next = aRefreshGrant(clock.now(), { username });
    await store(clock).create(next, aTokenHash());

    expect(await partition(username)).toEqual([pointerSortKey(later), pointerSortKey(next)]);
    expect(await readGrantItem(soon.grantId)).toBeUndefined();
    expect(await readGrantItem(revoked.grantId)).toBeUndefined();
    expect(await store(clock).rotate(later.grantId, laterToken, aTokenHash(), clock.now())).toEqual(later);
    // Another user's expired grant waits for that user's next sign-in.
    expect(await readGrantItem(other.grantId)).toBeDefined();
  });

  it(`deletes at most ${PRUNE_LIMIT} per sign-in, the ones that expired first`, async () => {
    const clock = new ManualClock(Date.now());
    const username = `user-${aTokenHash()}`;
    const expired = Array.from({ length: PRUNE_LIMIT + 3 }, (_, i) => aRefreshGrant(clock.now(), { username, expiresAt: clock.now() + 1_000 + i }));
    for (const grant of expired) await store(clock).create(grant, aTokenHash());
    clock.advance(10_000);

    await store(clock).create(aRefreshGrant(clock.now(), { username }), aTokenHash());
    expect((await partition(username)).slice(0, 3)).toEqual(expired.slice(PRUNE_LIMIT).map(pointerSortKey));
    expect(await partition(username)).toHaveLength(4);

    await store(clock).create(aRefreshGrant(clock.now(), { username }), aTokenHash());
    expect(await partition(username)).toHaveLength(2);
  });
});

describe("DynamoDbRefreshGrantStore with clients of its own", () => {
  it("lets exactly one of 30 rotations with one token from 30 clients (separate processes, say) win", async () => {
    const clients = Array.from({ length: 30 }, () => localClient(tables().endpoint));
    try {
      const grant = aRefreshGrant(Date.now());
      const token = aTokenHash();
      await store().create(grant, token);
      const clock = new ManualClock(Date.now());

      const outcomes = await Promise.all(
        clients.map((client) => new DynamoDbRefreshGrantStore({ client, tableName: tables().credentialTable, clock }).rotate(grant.grantId, token, aTokenHash(), clock.now())),
      );

      expect(outcomes.filter((o) => typeof o !== "string")).toEqual([grant]);
      expect(outcomes.filter((o) => o === "not_live")).toHaveLength(29);
    } finally {
      for (const client of clients) client.destroy();
    }
  });
});

describe("DynamoDbRefreshGrantStore when a change lands between a rotation's read and its write", () => {
  /** Rotates through a proxy that answers the rotation's read with the grant as it was before `change`. */
  async function rotateOnStaleRead(change: (grant: RefreshGrant, token: string) => Promise<void>) {
    const grant = aRefreshGrant(Date.now());
    const token = aTokenHash();
    await store().create(grant, token);
    const before = await readGrantItem(grant.grantId);
    await change(grant, token);
    const proxy = await startFaultProxy(tables().endpoint, (request) =>
      request.operation === "GetItem" ? { kind: "rewrite", rewrite: (answer) => ({ ...answer, Item: before }) } : { kind: "forward" },
    );
    const client = localClient(proxy.endpoint);
    try {
      const next = aTokenHash();
      const proxied = new DynamoDbRefreshGrantStore({ client, tableName: tables().credentialTable, clock: new ManualClock(Date.now()) });
      return { grant, token, next, outcome: await proxied.rotate(grant.grantId, token, next, Date.now()) };
    } finally {
      client.destroy();
      await proxy.close();
    }
  }

  it("answers 'revoked' and writes nothing when the grant was revoked in between", async () => {
    const { grant, token, next, outcome } = await rotateOnStaleRead((g, t) => store().revoke(g.grantId, t).then(() => undefined));

    expect(outcome).toBe("revoked");
    expect((await readGrantItem(grant.grantId))?.live).toEqual({ S: token });
    expect(await store().rotate(grant.grantId, next, aTokenHash(), Date.now())).toBe("revoked");
  });

  it("answers 'unknown' and brings nothing back when the user's grants were deleted in between", async () => {
    const { grant, outcome } = await rotateOnStaleRead((g) => store().revokeAllOf(g.username));

    expect(outcome).toBe("unknown");
    expect(await readGrantItem(grant.grantId)).toBeUndefined();
  });

  it("answers 'not_live' when another rotation spent the token in between", async () => {
    const { grant, outcome } = await rotateOnStaleRead((g, t) => store().rotate(g.grantId, t, aTokenHash(), Date.now()).then(() => undefined));

    expect(outcome).toBe("not_live");
    expect((await readGrantItem(grant.grantId))?.spent?.L).toHaveLength(1);
  });
});

describe("DynamoDbRefreshGrantStore when an answer is lost and the SDK retries", () => {
  async function withLostAnswer(operation: string, run: (proxied: DynamoDbRefreshGrantStore) => Promise<void>): Promise<number> {
    const loseFirst = (request: ProxiedRequest): ProxyAction => (request.operation === operation && request.count === 1 ? { kind: "lose-answer" } : { kind: "forward" });
    const proxy = await startFaultProxy(tables().endpoint, loseFirst);
    const client = localClient(proxy.endpoint);
    try {
      await run(new DynamoDbRefreshGrantStore({ client, tableName: tables().credentialTable, clock: new ManualClock(Date.now()) }));
      return proxy.counts.get(operation) ?? 0;
    } finally {
      client.destroy();
      await proxy.close();
    }
  }

  it("answers with the grant, not 'not_live', when the retry finds the token its first attempt spent", async () => {
    const grant = aRefreshGrant(Date.now());
    const token = aTokenHash();
    await store().create(grant, token);
    const next = aTokenHash();

    const attempts = await withLostAnswer("UpdateItem", async (proxied) => {
      expect(await proxied.rotate(grant.grantId, token, next, Date.now())).toEqual(grant);
    });

    expect(attempts).toBe(2);
    expect(await store().rotate(grant.grantId, token, aTokenHash(), Date.now())).toBe("not_live");
    expect(await store().rotate(grant.grantId, next, aTokenHash(), Date.now())).toEqual(grant);
  });

  it("answers 'created', not 'exists', when the retried transaction had been written", async () => {
    const grant = aRefreshGrant(Date.now());
    const token = aTokenHash();

    const attempts = await withLostAnswer("TransactWriteItems", async (proxied) => {
      expect(await proxied.create(grant, token)).toBe("created");
    });

    expect(attempts).toBe(2);
    expect(await store().create(grant, aTokenHash())).toBe("exists");
    expect(await store().rotate(grant.grantId, token, aTokenHash(), Date.now())).toEqual(grant);
  });

  it("answers 'revoked' when the retry of a revoke finds it done", async () => {
    const grant = aRefreshGrant(Date.now());
    const token = aTokenHash();
    await store().create(grant, token);

    const attempts = await withLostAnswer("UpdateItem", async (proxied) => {
      expect(await proxied.revoke(grant.grantId, token)).toBe("revoked");
    });

    expect(attempts).toBe(2);
    expect(await store().rotate(grant.grantId, token, aTokenHash(), Date.now())).toBe("revoked");
  });
});

describe("DynamoDbRefreshGrantStore on a store that is out of reach", () => {
  const FAIL_FAST: Partial<DynamoDBClientConfig> = { maxAttempts: 1, requestHandler: { connectionTimeout: 500, requestTimeout: 1_000, throwOnRequestTimeout: true } };
  const OPERATIONS: readonly [string, (d: DynamoDbRefreshGrantStore) => Promise<unknown>][] = [
    ["create", (d) => d.create(aRefreshGrant(Date.now()), aTokenHash())],
    ["rotate", (d) => d.rotate(crypto.randomUUID(), aTokenHash(), aTokenHash(), Date.now())],
    ["revoke", (d) => d.revoke(crypto.randomUUID(), aTokenHash())],
    ["revokeAllOf", (d) => d.revokeAllOf(aTokenHash())],
  ];

  async function expectEveryOperation(endpoint: string, tableName: string, retryable: boolean): Promise<void> {
    const client = localClient(endpoint, FAIL_FAST);
    try {
      for (const [operation, call] of OPERATIONS) {
        const error = await call(new DynamoDbRefreshGrantStore({ client, tableName, clock: new ManualClock(Date.now()) })).then(
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

  it("reports StorageUnavailableError (retryable) when nothing listens on the port", async () => {
    await expectEveryOperation(`http://127.0.0.1:${await freePort()}`, tables().credentialTable, true);
  });

  it("reports StorageUnavailableError (retryable) on throttling", async () => {
    const proxy = await startFaultProxy(tables().endpoint, () => ({ kind: "error", type: "ThrottlingException" }));
    try {
      await expectEveryOperation(proxy.endpoint, tables().credentialTable, true);
    } finally {
      await proxy.close();
    }
  });

  it("reports StorageUnavailableError (retryable) when a rotation's write is throttled after its read", async () => {
    const grant = aRefreshGrant(Date.now());
    const token = aTokenHash();
    await store().create(grant, token);
    const proxy = await startFaultProxy(tables().endpoint, (request) => (request.operation === "UpdateItem" ? { kind: "error", type: "ThrottlingException" } : { kind: "forward" }));
    const client = localClient(proxy.endpoint, FAIL_FAST);
    try {
      const proxied = new DynamoDbRefreshGrantStore({ client, tableName: tables().credentialTable, clock: new ManualClock(Date.now()) });
      await expect(proxied.rotate(grant.grantId, token, aTokenHash(), Date.now())).rejects.toBeInstanceOf(StorageUnavailableError);
    } finally {
      client.destroy();
      await proxy.close();
    }
    // Nothing was written: the token is still live.
    expect(await store().rotate(grant.grantId, token, aTokenHash(), Date.now())).toEqual(grant);
  });

  it("reports StorageUnavailableError (retryable) when a sign-up's transaction is cancelled by a conflict", async () => {
    const proxy = await startFaultProxy(tables().endpoint, (request) =>
      request.operation === "TransactWriteItems"
        ? { kind: "error", type: "TransactionCanceledException", extra: { CancellationReasons: [{ Code: "TransactionConflict" }, { Code: "None" }] } }
        : { kind: "forward" },
    );
    const client = localClient(proxy.endpoint, FAIL_FAST);
    try {
      const proxied = new DynamoDbRefreshGrantStore({ client, tableName: tables().credentialTable, clock: new ManualClock(Date.now()) });
      await expect(proxied.create(aRefreshGrant(Date.now()), aTokenHash())).rejects.toMatchObject({ code: "storage_unavailable", retryable: true });
    } finally {
      client.destroy();
      await proxy.close();
    }
  });

  it("reports StorageUnavailableError (not retryable) when the table does not exist", async () => {
    await expectEveryOperation(tables().endpoint, "keyport-no-such-credentials", false);
  });
});
