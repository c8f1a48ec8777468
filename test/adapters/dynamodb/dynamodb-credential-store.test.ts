import { createHash } from "node:crypto";
import { GetItemCommand, PutItemCommand, QueryCommand, UpdateItemCommand, type AttributeValue } from "@aws-sdk/client-dynamodb";
import { describe, expect, it } from "vitest";
import { DynamoDbCredentialStore, type DynamoDbCredentialStoreOptions } from "../../../src/adapters/dynamodb/dynamodb-credential-store.js";
import { MalformedItemError, StorageUnavailableError } from "../../../src/adapters/dynamodb/storage-faults.js";
import type { StoredCredential } from "../../../src/domain/model.js";
import { describeCredentialStoreContract } from "../../ports/credential-store.contract.js";
import { localClient } from "../../support/dynamodb-local.js";
import { aStoredCredentialFor, aUserAccount, BASE_TIME, uniqueId } from "../../support/kit.js";
import { startFaultProxy, type FaultProxy, type ProxyAction, type ProxiedRequest } from "./fault-proxy.js";
import { useTestTables } from "./dynamodb-test-tables.js";

const tables = useTestTables();

function store(options: Partial<DynamoDbCredentialStoreOptions> = {}): DynamoDbCredentialStore {
  return new DynamoDbCredentialStore({ client: tables().client, tableName: tables().credentialTable, ...options });
}

/** A store whose requests pass through a fault proxy in front of the run's DynamoDB Local. */
async function withProxy<T>(
  decide: (request: ProxiedRequest) => ProxyAction,
  options: Partial<DynamoDbCredentialStoreOptions>,
  run: (store: DynamoDbCredentialStore, proxy: FaultProxy) => Promise<T>,
): Promise<T> {
  const proxy = await startFaultProxy(tables().endpoint, decide);
  const client = localClient(proxy.endpoint);
  try {
    return await run(new DynamoDbCredentialStore({ client, tableName: tables().credentialTable, ...options }), proxy);
  } finally {
    client.destroy();
    await proxy.close();
  }
}

async function rawItem(pk: string, sk: string): Promise<Record<string, AttributeValue> | undefined> {
  const { Item } = await tables().client.send(new GetItemCommand({ TableName: tables().credentialTable, Key: { pk: { S: pk }, sk: { S: sk } }, ConsistentRead: true }));
  return Item;
}

async function userPartition(userHandle: string): Promise<Record<string, AttributeValue>[]> {
  const { Items } = await tables().client.send(
    new QueryCommand({
      TableName: tables().credentialTable,
      KeyConditionExpression: "pk = :pk",
      ExpressionAttributeValues: { ":pk": { S: `USER#${userHandle}` } },
      ConsistentRead: true,
    }),
  );
  return Items ?? [];
}

function plain(credential: StoredCredential): unknown {
  return { ...credential, publicKey: Array.from(credential.publicKey) };
}

/** `items` in a random order: what the store returns must not depend on the order of writing. */
function shuffled<T>(items: readonly T[]): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

/** Adds a user and `count` credentials, created one second apart, written in a random order, 25 at a time. */
async function userWithCredentials(target: DynamoDbCredentialStore, count: number): Promise<StoredCredential[]> {
  const user = aUserAccount();
  const credentials = Array.from({ length: count }, (_, i) => aStoredCredentialFor(user, { createdAt: BASE_TIME + i * 1_000, counter: i }));
  expect(await target.add(credentials[0]!, user)).toBe("added");
  const rest = shuffled(credentials.slice(1));
  for (let i = 0; i < rest.length; i += 25) {
    const outcomes = await Promise.all(rest.slice(i, i + 25).map((credential) => target.add(credential)));
    expect(outcomes.every((o) => o === "added")).toBe(true);
  }
  return credentials;
}

describe("with DynamoDB's own page sizes", () => {
  describeCredentialStoreContract("DynamoDbCredentialStore", async () => ({ store: store() }));
});

describe("with Query pages of 4 and BatchGetItem chunks of 10", () => {
  describeCredentialStoreContract("DynamoDbCredentialStore (small pages)", async () => ({ store: store({ queryPageSize: 4, batchGetSize: 10 }) }));
});

describe("DynamoDbCredentialStore items", () => {
  it("stores a credential with typed attributes: the key as B, numbers as N, transports as L, no last use as NULL", async () => {
    const user = aUserAccount();
    const credential = aStoredCredentialFor(user, {
      algorithm: -7,
      counter: 0,
      transports: ["usb", "nfc"],
      attestationFormat: "none",
      backupEligible: true,
      backupState: false,
      userVerifiedAtRegistration: true,
      createdAt: BASE_TIME + 42,
      lastUsedAt: null,
    });
    await store().add(credential, user);

    const item = await rawItem(`CRED#${credential.credentialId}`, "CRED");

    expect(item).toEqual({
      pk: { S: `CRED#${credential.credentialId}` },
      sk: { S: "CRED" },
      entity: { S: "credential" },
      credentialId: { S: credential.credentialId },
      userHandle: { S: user.userHandle },
      identityUserId: { S: user.identityUserId },
      publicKey: { B: expect.any(Uint8Array) },
      algorithm: { N: "-7" },
      counter: { N: "0" },
      transports: { L: [{ S: "usb" }, { S: "nfc" }] },
      aaguid: { S: credential.aaguid },
      attestationFormat: { S: "none" },
      backupEligible: { BOOL: true },
      backupState: { BOOL: false },
      userVerifiedAtRegistration: { BOOL: true },
      createdAt: { N: String(BASE_TIME + 42) },
      lastUsedAt: { NULL: true },
    });
    expect(Array.from(item?.publicKey?.B ?? [])).toEqual(Array.from(credential.publicKey));
  });

  it("keeps no transports as an empty list (a string set could not be empty)", async () => {
    const user = aUserAccount();
    const credential = aStoredCredentialFor(user, { transports: [] });
    await store().add(credential, user);

    expect((await rawItem(`CRED#${credential.credentialId}`, "CRED"))?.transports).toEqual({ L: [] });
    expect((await store().findCredential(credential.credentialId))?.transports).toEqual([]);
  });

  it("writes a pointer, the profile, the identity link and the username item for a sign-up", async () => {
    const username = `Bob-${uniqueId(6)}`;
    const user = aUserAccount({ identityUserId: `cognito-${uniqueId()}`, username, displayName: "Bob", createdAt: BASE_TIME + 7 });
    const credential = aStoredCredentialFor(user, { createdAt: BASE_TIME + 9 });
    await store().add(credential, user);

    const digest = createHash("sha256").update(credential.credentialId).digest("base64url");
    const userAttributes = {
      userHandle: { S: user.userHandle },
      identityUserId: { S: user.identityUserId },
      username: { S: username },
      usernameKey: { S: username.toLowerCase() },
      displayName: { S: "Bob" },
      createdAt: { N: String(BASE_TIME + 7) },
    };
    expect(await userPartition(user.userHandle)).toEqual([
      { pk: { S: `USER#${user.userHandle}` }, sk: { S: `CRED#000${BASE_TIME + 9}#${digest}` }, entity: { S: "credential-pointer" }, credentialId: { S: credential.credentialId } },
      { pk: { S: `USER#${user.userHandle}` }, sk: { S: "PROFILE" }, entity: { S: "user" }, ...userAttributes },
    ]);
    expect(await rawItem(`IDP#${user.identityUserId}`, "LINK")).toEqual({ pk: { S: `IDP#${user.identityUserId}` }, sk: { S: "LINK" }, entity: { S: "identity-link" }, ...userAttributes });
    expect(await rawItem(`USERNAME#${username.toLowerCase()}`, "USERNAME")).toEqual({
      pk: { S: `USERNAME#${username.toLowerCase()}` },
      sk: { S: "USERNAME" },
      entity: { S: "username" },
      ...userAttributes,
    });
  });

  it("decodes a user stored before usernames were unique (no usernameKey) with the key of its stored username", async () => {
    const handle = uniqueId(32);
    const suffix = uniqueId(6).toLowerCase();
    // Stored before ADR 0015 prepared names: fullwidth, as typed.
    const legacy = { userHandle: { S: handle }, identityUserId: { S: handle }, username: { S: `Ａｌｉｃｅ-${suffix}` }, displayName: { S: "Alice" }, createdAt: { N: String(BASE_TIME) } };
    for (const Item of [
      { pk: { S: `USER#${handle}` }, sk: { S: "PROFILE" }, entity: { S: "user" }, ...legacy },
      { pk: { S: `IDP#${handle}` }, sk: { S: "LINK" }, entity: { S: "identity-link" }, ...legacy },
    ]) {
      await tables().client.send(new PutItemCommand({ TableName: tables().credentialTable, Item }));
    }
    const expected = { userHandle: handle, identityUserId: handle, username: `Ａｌｉｃｅ-${suffix}`, usernameKey: `alice-${suffix}`, displayName: "Alice", createdAt: BASE_TIME };

    expect(await store().findUserByHandle(handle)).toEqual(expected);
    expect(await store().findUserByIdentity(handle)).toEqual(expected);
    // It has no USERNAME item until one is backfilled (ADR 0017): not findable by username, and not guarding it.
    expect(await store().findUserByUsername(`alice-${suffix}`)).toBeNull();
  });

  it("refuses a usernameKey that is not a string, naming the attribute", async () => {
    const user = aUserAccount();
    await store().add(aStoredCredentialFor(user), user);
    await tables().client.send(
      new UpdateItemCommand({
        TableName: tables().credentialTable,
        Key: { pk: { S: `USER#${user.userHandle}` }, sk: { S: "PROFILE" } },
        UpdateExpression: "SET usernameKey = :n",
        ExpressionAttributeValues: { ":n": { N: "1" } },
      }),
    );

    await expect(store().findUserByHandle(user.userHandle)).rejects.toThrow(/usernameKey is not a string/);
  });

  it("stores the longest credential id WebAuthn allows (1023 bytes), whose pointer key stays under 1024 bytes", async () => {
    const user = aUserAccount();
    const credential = aStoredCredentialFor(user, { credentialId: uniqueId(1023) });
    expect(credential.credentialId).toHaveLength(1364);

    expect(await store().add(credential, user)).toBe("added");

    expect(plain((await store().findCredential(credential.credentialId))!)).toEqual(plain(credential));
    expect((await store().listCredentials(user.userHandle)).map(plain)).toEqual([plain(credential)]);
  });

  it("records an authentication as N, BOOL and N", async () => {
    const user = aUserAccount();
    const credential = aStoredCredentialFor(user, { counter: 3 });
    await store().add(credential, user);

    await store().recordAuthentication(credential.credentialId, 3, { counter: 4, backupState: true, lastUsedAt: BASE_TIME + 1 });

    expect(await rawItem(`CRED#${credential.credentialId}`, "CRED")).toMatchObject({ counter: { N: "4" }, backupState: { BOOL: true }, lastUsedAt: { N: String(BASE_TIME + 1) } });
  });

  it("refuses an item it did not write, naming the attribute", async () => {
    const user = aUserAccount();
    const credential = aStoredCredentialFor(user);
    await store().add(credential, user);
    await tables().client.send(
      new UpdateItemCommand({
        TableName: tables().credentialTable,
        Key: { pk: { S: `CRED#${credential.credentialId}` }, sk: { S: "CRED" } },
        UpdateExpression: "SET publicKey = :text",
        ExpressionAttributeValues: { ":text": { S: "pQECAyYgASFYIA" } },
      }),
    );

    await expect(store().findCredential(credential.credentialId)).rejects.toThrow(MalformedItemError);
    await expect(store().findCredential(credential.credentialId)).rejects.toThrow(/publicKey is not binary/);
  });
});

describe("DynamoDbCredentialStore sign-ups that fail write nothing", () => {
  it("writes no credential and no pointer when the new user's handle is taken", async () => {
    const user = aUserAccount();
    const first = aStoredCredentialFor(user);
    await store().add(first, user);
    const clash = aUserAccount({ userHandle: user.userHandle });
    const attempted = aStoredCredentialFor(clash, { createdAt: BASE_TIME + 1 });

    expect(await store().add(attempted, clash)).toBe("user_exists");

    expect(await rawItem(`CRED#${attempted.credentialId}`, "CRED")).toBeUndefined();
    expect((await userPartition(user.userHandle)).map((item) => item.sk?.S)).toEqual([expect.stringMatching(/^CRED#/), "PROFILE"]);
    expect(await rawItem(`IDP#${clash.identityUserId}`, "LINK")).toBeUndefined();
  });

  it("writes no credential, pointer or profile when the new user's identity user is linked", async () => {
    const user = aUserAccount();
    await store().add(aStoredCredentialFor(user), user);
    const clash = aUserAccount({ identityUserId: user.identityUserId });
    const attempted = aStoredCredentialFor(clash);

    expect(await store().add(attempted, clash)).toBe("user_exists");

    expect(await rawItem(`CRED#${attempted.credentialId}`, "CRED")).toBeUndefined();
    expect(await userPartition(clash.userHandle)).toEqual([]);
  });

  it("writes no credential, pointer, profile or link when the username is taken, and keeps the owner's username item", async () => {
    const user = aUserAccount();
    await store().add(aStoredCredentialFor(user), user);
    const rival = aUserAccount({ username: user.username.toUpperCase(), usernameKey: user.usernameKey });
    const attempted = aStoredCredentialFor(rival);

    expect(await store().add(attempted, rival)).toBe("username_taken");

    expect(await rawItem(`CRED#${attempted.credentialId}`, "CRED")).toBeUndefined();
    expect(await userPartition(rival.userHandle)).toEqual([]);
    expect(await rawItem(`IDP#${rival.identityUserId}`, "LINK")).toBeUndefined();
    expect((await rawItem(`USERNAME#${user.usernameKey}`, "USERNAME"))?.userHandle).toEqual({ S: user.userHandle });
  });

  it("writes no pointer, profile or link for another user when the credential id is taken", async () => {
    const user = aUserAccount();
    const credential = aStoredCredentialFor(user);
    await store().add(credential, user);
    const other = aUserAccount();

    expect(await store().add(aStoredCredentialFor(other, { credentialId: credential.credentialId, createdAt: BASE_TIME + 5 }), other)).toBe("credential_exists");

    expect(await userPartition(other.userHandle)).toEqual([]);
    expect(await rawItem(`IDP#${other.identityUserId}`, "LINK")).toBeUndefined();
  });
});

describe("DynamoDbCredentialStore listing many credentials", () => {
  it("returns 250 credentials oldest first, over 36 Query pages and 3 BatchGetItem chunks", async () => {
    await withProxy(
      () => ({ kind: "forward" }),
      { queryPageSize: 7 },
      async (proxied, proxy) => {
        const credentials = await userWithCredentials(store(), 250);
        const before = { query: proxy.counts.get("Query") ?? 0, batchGet: proxy.counts.get("BatchGetItem") ?? 0 };

        const listed = await proxied.listCredentials(credentials[0]!.userHandle);

        expect(listed.map(plain)).toEqual(credentials.map(plain));
        expect((proxy.counts.get("Query") ?? 0) - before.query).toBe(Math.ceil(250 / 7));
        expect((proxy.counts.get("BatchGetItem") ?? 0) - before.batchGet).toBe(3);
      },
    );
  });

  it("fetches again, with backoff, the keys a BatchGetItem answer over 16 MB leaves unprocessed", async () => {
    const credentials = await userWithCredentials(store(), 60);
    // 60 credentials of ~390 KB each: more than the 16 MB one BatchGetItem answer may carry.
    const padding = "x".repeat(390_000);
    for (const credential of credentials) {
      await tables().client.send(
        new UpdateItemCommand({
          TableName: tables().credentialTable,
          Key: { pk: { S: `CRED#${credential.credentialId}` }, sk: { S: "CRED" } },
          UpdateExpression: "SET padding = :padding",
          ExpressionAttributeValues: { ":padding": { S: padding } },
        }),
      );
    }

    await withProxy(
      () => ({ kind: "forward" }),
      {},
      async (proxied, proxy) => {
        const listed = await proxied.listCredentials(credentials[0]!.userHandle);

        expect(listed.map(plain)).toEqual(credentials.map(plain));
        expect(proxy.counts.get("BatchGetItem")).toBeGreaterThanOrEqual(2);
      },
    );
  });

  it("gives up with StorageUnavailableError when keys stay unprocessed (throttling)", async () => {
    const credentials = await userWithCredentials(store(), 3);
    const unprocessEverything = (request: ProxiedRequest): ProxyAction =>
      request.operation !== "BatchGetItem"
        ? { kind: "forward" }
        : { kind: "rewrite", rewrite: () => ({ Responses: { [tables().credentialTable]: [] }, UnprocessedKeys: request.body.RequestItems }) };

    await withProxy(unprocessEverything, { maxBatchGetRounds: 3 }, async (proxied, proxy) => {
      const failure = proxied.listCredentials(credentials[0]!.userHandle);

      await expect(failure).rejects.toThrow(StorageUnavailableError);
      await expect(failure).rejects.toMatchObject({ code: "storage_unavailable", retryable: true });
      expect(proxy.counts.get("BatchGetItem")).toBe(3);
    });
  });
});

describe("DynamoDbCredentialStore under contention and lost answers", () => {
  it("tries a sign-up again after a transaction conflict and then decides by its conditions", async () => {
    const conflictTwice = (request: ProxiedRequest): ProxyAction =>
      request.operation === "TransactWriteItems" && request.count <= 2
        ? { kind: "error", type: "TransactionCanceledException", extra: { CancellationReasons: [{ Code: "None" }, { Code: "None" }, { Code: "TransactionConflict" }, { Code: "None" }] } }
        : { kind: "forward" };

    await withProxy(conflictTwice, {}, async (proxied, proxy) => {
      const user = aUserAccount();
      const credential = aStoredCredentialFor(user);

      expect(await proxied.add(credential, user)).toBe("added");

      expect(proxy.counts.get("TransactWriteItems")).toBe(3);
      expect(await store().findUserByHandle(user.userHandle)).toEqual(user);
    });
  });

  it("tries a sign-up again after a transaction conflict on the username item, and then answers username_taken", async () => {
    const owner = aUserAccount();
    await store().add(aStoredCredentialFor(owner), owner);
    const conflictOnce = (request: ProxiedRequest): ProxyAction =>
      request.operation === "TransactWriteItems" && request.count === 1
        ? {
            kind: "error",
            type: "TransactionCanceledException",
            extra: { CancellationReasons: [{ Code: "None" }, { Code: "None" }, { Code: "None" }, { Code: "None" }, { Code: "TransactionConflict" }] },
          }
        : { kind: "forward" };

    await withProxy(conflictOnce, {}, async (proxied, proxy) => {
      const rival = aUserAccount({ usernameKey: owner.usernameKey });

      expect(await proxied.add(aStoredCredentialFor(rival), rival)).toBe("username_taken");

      expect(proxy.counts.get("TransactWriteItems")).toBe(2);
      expect(await store().findUserByUsername(owner.usernameKey)).toEqual(owner);
    });
  });

  it("lets exactly one of 20 concurrent sign-ups with one username key through, on 5 clients of their own", async () => {
    const key = `erin-${uniqueId(6).toLowerCase()}`;
    const clients = Array.from({ length: 5 }, () => localClient(tables().endpoint));
    const stores = clients.map((client) => new DynamoDbCredentialStore({ client, tableName: tables().credentialTable }));
    const users = Array.from({ length: 20 }, (_, i) => aUserAccount({ username: i % 2 === 0 ? key : key.toUpperCase(), usernameKey: key }));

    let outcomes;
    try {
      outcomes = await Promise.all(users.map((user, i) => stores[i % stores.length]!.add(aStoredCredentialFor(user), user)));
    } finally {
      for (const client of clients) client.destroy();
    }

    expect(outcomes.filter((o) => o === "added")).toHaveLength(1);
    expect(outcomes.filter((o) => o === "username_taken")).toHaveLength(19);
    expect(await store().findUserByUsername(key)).toEqual(users[outcomes.indexOf("added")]);
  });

  it("reports StorageUnavailableError when the conflict outlasts its attempts, having written nothing", async () => {
    const alwaysConflict = (request: ProxiedRequest): ProxyAction =>
      request.operation === "TransactWriteItems"
        ? { kind: "error", type: "TransactionCanceledException", extra: { CancellationReasons: [{ Code: "None" }, { Code: "TransactionConflict" }] } }
        : { kind: "forward" };

    await withProxy(alwaysConflict, { maxTransactionAttempts: 3 }, async (proxied, proxy) => {
      const user = aUserAccount();
      const credential = aStoredCredentialFor(user);

      await expect(proxied.add(credential, user)).rejects.toMatchObject({ name: "StorageUnavailableError", retryable: true });

      expect(proxy.counts.get("TransactWriteItems")).toBe(3);
      expect(await store().findCredential(credential.credentialId)).toBeNull();
    });
  });

  it("answers 'added' when the SDK retries a sign-up whose answer was lost (ClientRequestToken)", async () => {
    const loseFirst = (request: ProxiedRequest): ProxyAction => (request.operation === "TransactWriteItems" && request.count === 1 ? { kind: "lose-answer" } : { kind: "forward" });

    await withProxy(loseFirst, {}, async (proxied, proxy) => {
      const user = aUserAccount();
      const credential = aStoredCredentialFor(user);

      expect(await proxied.add(credential, user)).toBe("added");

      expect(proxy.counts.get("TransactWriteItems")).toBe(2);
      expect((await store().listCredentials(user.userHandle)).map(plain)).toEqual([plain(credential)]);
    });
  });

  it("answers 'recorded' when the SDK retries a recorded authentication whose answer was lost", async () => {
    const user = aUserAccount();
    const credential = aStoredCredentialFor(user, { counter: 5 });
    await store().add(credential, user);
    const loseFirst = (request: ProxiedRequest): ProxyAction => (request.operation === "UpdateItem" && request.count === 1 ? { kind: "lose-answer" } : { kind: "forward" });

    await withProxy(loseFirst, {}, async (proxied, proxy) => {
      expect(await proxied.recordAuthentication(credential.credentialId, 5, { counter: 6, backupState: false, lastUsedAt: BASE_TIME + 1 })).toBe("recorded");

      expect(proxy.counts.get("UpdateItem")).toBe(2);
      expect(await proxied.recordAuthentication(credential.credentialId, 5, { counter: 7, backupState: false, lastUsedAt: BASE_TIME + 2 })).toBe("conflict");
      expect((await store().findCredential(credential.credentialId))?.counter).toBe(6);
    });
  });

  it("never moves the counter backwards when 50 sign-ins on 10 clients of their own race, and ends on the highest", async () => {
    const user = aUserAccount();
    const credential = aStoredCredentialFor(user, { counter: 0 });
    await store().add(credential, user);
    const clients = Array.from({ length: 10 }, () => localClient(tables().endpoint));
    const stores = clients.map((client) => new DynamoDbCredentialStore({ client, tableName: tables().credentialTable }));

    /** The ceremony's loop: read, compare-and-set, and retry only while its counter is still ahead. */
    async function signIn(target: DynamoDbCredentialStore, counter: number): Promise<"recorded" | "stale"> {
      for (;;) {
        const current = (await target.findCredential(credential.credentialId))!;
        if (counter <= current.counter) return "stale";
        const outcome = await target.recordAuthentication(credential.credentialId, current.counter, { counter, backupState: false, lastUsedAt: BASE_TIME + counter });
        if (outcome === "recorded") return "recorded";
      }
    }

    const counters = shuffled(Array.from({ length: 50 }, (_, i) => i + 1));
    let outcomes: ("recorded" | "stale")[];
    try {
      outcomes = await Promise.all(counters.map((counter, i) => signIn(stores[i % stores.length]!, counter)));
    } finally {
      for (const client of clients) client.destroy();
    }

    const final = await store().findCredential(credential.credentialId);
    expect(final?.counter).toBe(50);
    expect(final?.lastUsedAt).toBe(BASE_TIME + 50);
    expect(outcomes[counters.indexOf(50)]).toBe("recorded");
  });
});
