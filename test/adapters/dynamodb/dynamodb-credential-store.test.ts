import { createHash } from "node:crypto";
import { DeleteItemCommand, GetItemCommand, PutItemCommand, QueryCommand, UpdateItemCommand, type AttributeValue } from "@aws-sdk/client-dynamodb";
import { describe, expect, it } from "vitest";
import { DynamoDbCredentialStore, type DynamoDbCredentialStoreOptions } from "../../../src/adapters/dynamodb/dynamodb-credential-store.js";
import { MalformedItemError, StorageUnavailableError } from "../../../src/adapters/dynamodb/storage-faults.js";
import type { StoredCredential, UserAccount } from "../../../src/domain/model.js";
import { describeCredentialStoreContract } from "../../ports/credential-store.contract.js";
import { freePort, localClient } from "../../support/dynamodb-local.js";
import { aStoredCredential, aStoredCredentialFor, aUserAccount, BASE_TIME, uniqueId } from "../../support/kit.js";
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

/** The NAME item's sort key for a name whose passkeyNameKey is `key`. */
function nameSortKey(key: string): string {
  return `NAME#${createHash("sha256").update(key).digest("base64url")}`;
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
      attestation: { M: { format: { S: "none" }, type: { S: "none" }, trusted: { BOOL: false }, aaguid: { S: credential.aaguid } } },
      backupEligible: { BOOL: true },
      backupState: { BOOL: false },
      userVerifiedAtRegistration: { BOOL: true },
      createdAt: { N: String(BASE_TIME + 42) },
      lastUsedAt: { NULL: true },
      name: { S: credential.name },
      enabled: { BOOL: true },
      registrationMediation: { S: "modal" },
    });
    expect(Array.from(item?.publicKey?.B ?? [])).toEqual(Array.from(credential.publicKey));
  });

  it("reads a credential stored before attestation was recorded as its format's legacy attestation, never trusted (ADR 0027)", async () => {
    const legacy = await legacyUser({ credentialIds: [uniqueId(16)] });
    const [credentialId] = legacy.credentialIds;
    const found = await store().findCredential(credentialId ?? "");
    expect(found?.attestation).toEqual({ format: "none", type: "none", trusted: false, aaguid: found?.aaguid });
    await tables().client.send(
      new UpdateItemCommand({
        TableName: tables().credentialTable,
        Key: { pk: { S: `CRED#${credentialId}` }, sk: { S: "CRED" } },
        UpdateExpression: "SET attestationFormat = :packed",
        ExpressionAttributeValues: { ":packed": { S: "packed" } },
      }),
    );
    expect((await store().findCredential(credentialId ?? ""))?.attestation).toMatchObject({ format: "packed", type: "self", trusted: false });
  });

  it("refuses a stored attestation whose type is not one WebAuthn defines", async () => {
    const user = aUserAccount();
    const credential = aStoredCredentialFor(user);
    await store().add(credential, user);
    await tables().client.send(
      new UpdateItemCommand({
        TableName: tables().credentialTable,
        Key: { pk: { S: `CRED#${credential.credentialId}` }, sk: { S: "CRED" } },
        UpdateExpression: "SET attestation.#type = :ecdaa",
        ExpressionAttributeNames: { "#type": "type" },
        ExpressionAttributeValues: { ":ecdaa": { S: "ecdaa" } },
      }),
    );
    await expect(store().findCredential(credential.credentialId)).rejects.toThrow(/type/);
  });

  it("keeps no transports as an empty list (a string set could not be empty)", async () => {
    const user = aUserAccount();
    const credential = aStoredCredentialFor(user, { transports: [] });
    await store().add(credential, user);

    expect((await rawItem(`CRED#${credential.credentialId}`, "CRED"))?.transports).toEqual({ L: [] });
    expect((await store().findCredential(credential.credentialId))?.transports).toEqual([]);
  });

  it("writes a pointer, the name item, the profile with its counts, the identity link and the username item for a sign-up", async () => {
    const username = `Bob-${uniqueId(6)}`;
    const user = aUserAccount({ identityUserId: `cognito-${uniqueId()}`, username, displayName: "Bob", createdAt: BASE_TIME + 7, origin: "identity_provider" });
    const credential = aStoredCredentialFor(user, { createdAt: BASE_TIME + 9, name: "Bob's Phone" });
    await store().add(credential, user);

    const digest = createHash("sha256").update(credential.credentialId).digest("base64url");
    const userAttributes = {
      userHandle: { S: user.userHandle },
      identityUserId: { S: user.identityUserId },
      username: { S: username },
      usernameKey: { S: username.toLowerCase() },
      displayName: { S: "Bob" },
      createdAt: { N: String(BASE_TIME + 7) },
      origin: { S: "identity_provider" },
    };
    expect(await userPartition(user.userHandle)).toEqual([
      { pk: { S: `USER#${user.userHandle}` }, sk: { S: `CRED#000${BASE_TIME + 9}#${digest}` }, entity: { S: "credential-pointer" }, credentialId: { S: credential.credentialId } },
      { pk: { S: `USER#${user.userHandle}` }, sk: { S: nameSortKey("bob's phone") }, entity: { S: "passkey-name" }, name: { S: "Bob's Phone" }, credentialId: { S: credential.credentialId } },
      { pk: { S: `USER#${user.userHandle}` }, sk: { S: "PROFILE" }, entity: { S: "user" }, ...userAttributes, credentialCount: { N: "1" }, enabledCount: { N: "1" } },
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
    const expected = { userHandle: handle, identityUserId: handle, username: `Ａｌｉｃｅ-${suffix}`, usernameKey: `alice-${suffix}`, displayName: "Alice", createdAt: BASE_TIME, origin: "passkey_sign_up" };

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
    expect((await userPartition(user.userHandle)).map((item) => item.sk?.S)).toEqual([expect.stringMatching(/^CRED#/), expect.stringMatching(/^NAME#/), "PROFILE"]);
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

const KEEP_ONE = { keepOneEnabled: true } as const;
const NO_RULE = { keepOneEnabled: false } as const;

async function putRaw(Item: Record<string, AttributeValue>): Promise<void> {
  await tables().client.send(new PutItemCommand({ TableName: tables().credentialTable, Item }));
}

/**
 * A user as keyport stored them before issue 11: PROFILE and LINK without counts or origin, no USERNAME
 * item (before ADR 0017), and credentials without name or enabled state, each with its pointer.
 */
async function legacyUser(options: { identityUserId?: string; username?: string; credentialIds?: readonly string[] } = {}): Promise<{ userHandle: string; identityUserId: string; username: string; credentialIds: string[] }> {
  const userHandle = uniqueId(32);
  const identityUserId = options.identityUserId ?? userHandle;
  const username = options.username ?? `legacy-${uniqueId(6).toLowerCase()}`;
  const attributes = { userHandle: { S: userHandle }, identityUserId: { S: identityUserId }, username: { S: username }, displayName: { S: "Legacy" }, createdAt: { N: String(BASE_TIME) } };
  await putRaw({ pk: { S: `USER#${userHandle}` }, sk: { S: "PROFILE" }, entity: { S: "user" }, ...attributes });
  await putRaw({ pk: { S: `IDP#${identityUserId}` }, sk: { S: "LINK" }, entity: { S: "identity-link" }, ...attributes });
  const credentialIds = [...(options.credentialIds ?? [uniqueId(16), uniqueId(16)])];
  for (const [i, credentialId] of credentialIds.entries()) {
    const credential = aStoredCredential({ credentialId, userHandle, identityUserId, createdAt: BASE_TIME + i * 1_000 });
    const digest = createHash("sha256").update(credentialId).digest("base64url");
    await putRaw({
      pk: { S: `CRED#${credentialId}` },
      sk: { S: "CRED" },
      entity: { S: "credential" },
      credentialId: { S: credentialId },
      userHandle: { S: userHandle },
      identityUserId: { S: identityUserId },
      publicKey: { B: credential.publicKey },
      algorithm: { N: "-7" },
      counter: { N: "0" },
      transports: { L: [] },
      aaguid: { S: credential.aaguid },
      attestationFormat: { S: "none" },
      backupEligible: { BOOL: false },
      backupState: { BOOL: false },
      userVerifiedAtRegistration: { BOOL: true },
      createdAt: { N: String(credential.createdAt) },
      lastUsedAt: { NULL: true },
    });
    await putRaw({ pk: { S: `USER#${userHandle}` }, sk: { S: `CRED#${String(credential.createdAt).padStart(16, "0")}#${digest}` }, entity: { S: "credential-pointer" }, credentialId: { S: credentialId } });
  }
  return { userHandle, identityUserId, username, credentialIds };
}

async function counts(userHandle: string): Promise<{ credentialCount: string | undefined; enabledCount: string | undefined }> {
  const profile = await rawItem(`USER#${userHandle}`, "PROFILE");
  return { credentialCount: profile?.credentialCount?.N, enabledCount: profile?.enabledCount?.N };
}

describe("DynamoDbCredentialStore counts and names on the user's items (ADR 0018)", () => {
  it("keeps the PROFILE's counts in step with adds, disables, enables and deletes", async () => {
    const user = aUserAccount();
    const [first, second, third] = [0, 1, 2].map((i) => aStoredCredentialFor(user, { createdAt: BASE_TIME + i, enabled: i !== 2 })) as [StoredCredential, StoredCredential, StoredCredential];
    await store().add(first, user);
    expect(await counts(user.userHandle)).toEqual({ credentialCount: "1", enabledCount: "1" });
    await store().add(second);
    await store().add(third);
    expect(await counts(user.userHandle)).toEqual({ credentialCount: "3", enabledCount: "2" });

    await store().updateCredential(user.userHandle, first.credentialId, { enabled: false }, KEEP_ONE);
    expect(await counts(user.userHandle)).toEqual({ credentialCount: "3", enabledCount: "1" });
    await store().updateCredential(user.userHandle, third.credentialId, { enabled: true, name: "Third" }, KEEP_ONE);
    expect(await counts(user.userHandle)).toEqual({ credentialCount: "3", enabledCount: "2" });
    await store().updateCredential(user.userHandle, third.credentialId, { name: "THIRD" }, KEEP_ONE);
    expect(await counts(user.userHandle)).toEqual({ credentialCount: "3", enabledCount: "2" });
    await store().deleteCredential(user.userHandle, first.credentialId, KEEP_ONE);
    expect(await counts(user.userHandle)).toEqual({ credentialCount: "2", enabledCount: "2" });
    await store().deleteCredential(user.userHandle, second.credentialId, KEEP_ONE);
    expect(await counts(user.userHandle)).toEqual({ credentialCount: "1", enabledCount: "1" });
    expect(await store().deleteCredential(user.userHandle, third.credentialId, KEEP_ONE)).toBe("last_credential");
    expect(await counts(user.userHandle)).toEqual({ credentialCount: "1", enabledCount: "1" });
  });

  it("moves the name item with a rename, keeps it for a change of case, and deletes it with the credential", async () => {
    const user = aUserAccount();
    const credential = aStoredCredentialFor(user, { name: "Phone" });
    await store().add(credential, user);
    const nameItems = async (): Promise<(string | undefined)[][]> =>
      (await userPartition(user.userHandle)).filter((item) => item.sk?.S?.startsWith("NAME#")).map((item) => [item.sk?.S, item.name?.S, item.credentialId?.S]);

    await store().updateCredential(user.userHandle, credential.credentialId, { name: "Laptop" }, KEEP_ONE);
    expect(await nameItems()).toEqual([[nameSortKey("laptop"), "Laptop", credential.credentialId]]);
    await store().updateCredential(user.userHandle, credential.credentialId, { name: "LAPTOP" }, KEEP_ONE);
    expect(await nameItems()).toEqual([[nameSortKey("laptop"), "Laptop", credential.credentialId]]);
    expect((await store().findCredential(credential.credentialId))?.name).toBe("LAPTOP");

    await store().deleteCredential(user.userHandle, credential.credentialId, NO_RULE);
    expect(await nameItems()).toEqual([]);
    expect((await userPartition(user.userHandle)).map((item) => item.sk?.S)).toEqual(["PROFILE"]);
  });

  it("refuses to add a credential to a user whose PROFILE is gone, writing nothing", async () => {
    const user = aUserAccount();
    await store().add(aStoredCredentialFor(user), user);
    await store().deleteUser(user.userHandle);
    const late = aStoredCredentialFor(user, { createdAt: BASE_TIME + 1 });

    expect(await store().add(late)).toBe("user_not_found");

    expect(await rawItem(`CRED#${late.credentialId}`, "CRED")).toBeUndefined();
    expect(await userPartition(user.userHandle)).toEqual([]);
  });
});

describe("DynamoDbCredentialStore records stored before issue 11", () => {
  it("decodes a credential without name, enabled state or mediation as enabled, made with the browser's prompt (modal), named \"Passkey\" and the first 8 characters of its id", async () => {
    const legacy = await legacyUser();
    const [id] = legacy.credentialIds;

    const found = await store().findCredential(id ?? "");

    expect(found).toMatchObject({ enabled: true, name: `Passkey ${id?.slice(0, 8)}`, registrationMediation: "modal" });
    expect((await store().listCredentials(legacy.userHandle)).map((c) => c.name)).toEqual(legacy.credentialIds.map((cid) => `Passkey ${cid.slice(0, 8)}`));
  });

  it("decodes a user without origin by whether the identity user is the handle", async () => {
    const signUp = await legacyUser();
    const passwordUser = await legacyUser({ identityUserId: `password-user-${uniqueId()}` });

    expect((await store().findUserByHandle(signUp.userHandle))?.origin).toBe("passkey_sign_up");
    expect((await store().findUserByIdentity(signUp.identityUserId))?.origin).toBe("passkey_sign_up");
    expect((await store().findUserByHandle(passwordUser.userHandle))?.origin).toBe("identity_provider");
    expect((await store().findUserByIdentity(passwordUser.identityUserId))?.origin).toBe("identity_provider");
  });

  it("initialises the counts on the first change, after naming the credentials and writing their name items", async () => {
    const legacy = await legacyUser({ credentialIds: [uniqueId(16), uniqueId(16), uniqueId(16)] });
    const [first, second, third] = legacy.credentialIds as [string, string, string];
    expect(await counts(legacy.userHandle)).toEqual({ credentialCount: undefined, enabledCount: undefined });

    expect(await store().deleteCredential(legacy.userHandle, first, KEEP_ONE)).toBe("deleted");

    expect(await counts(legacy.userHandle)).toEqual({ credentialCount: "2", enabledCount: "2" });
    for (const id of [second, third]) {
      expect(await rawItem(`CRED#${id}`, "CRED")).toMatchObject({ name: { S: `Passkey ${id.slice(0, 8)}` }, enabled: { BOOL: true } });
      expect(await rawItem(`USER#${legacy.userHandle}`, nameSortKey(`passkey ${id.slice(0, 8).toLowerCase()}`))).toMatchObject({ credentialId: { S: id } });
    }
    // The legacy names are taken now: a rename to one of them is refused.
    expect(await store().updateCredential(legacy.userHandle, third, { name: `PASSKEY ${second.slice(0, 8)}` }, KEEP_ONE)).toBe("name_taken");
    expect(await store().deleteCredential(legacy.userHandle, second, KEEP_ONE)).toBe("deleted");
    expect(await store().deleteCredential(legacy.userHandle, third, KEEP_ONE)).toBe("last_credential");
  });

  it("initialises the counts before adding a credential to a legacy user, and counts it", async () => {
    const legacy = await legacyUser();
    const credential = aStoredCredential({ userHandle: legacy.userHandle, identityUserId: legacy.identityUserId, createdAt: BASE_TIME + 5_000 });

    expect(await store().add(credential)).toBe("added");

    expect(await counts(legacy.userHandle)).toEqual({ credentialCount: "3", enabledCount: "3" });
    expect(await store().listCredentials(legacy.userHandle)).toHaveLength(3);
  });

  it("initialises the counts before a rename, so that a legacy name cannot be taken twice", async () => {
    const legacy = await legacyUser();
    const [first, second] = legacy.credentialIds as [string, string];

    expect(await store().updateCredential(legacy.userHandle, second, { name: `Passkey ${first.slice(0, 8)}` }, KEEP_ONE)).toBe("name_taken");

    expect(await counts(legacy.userHandle)).toEqual({ credentialCount: "2", enabledCount: "2" });
  });

  it("names legacy credentials whose ids begin alike apart", async () => {
    const prefix = uniqueId(6);
    const legacy = await legacyUser({ credentialIds: [`${prefix}${uniqueId(12)}`, `${prefix}${uniqueId(12)}`] });
    const [first, second] = legacy.credentialIds as [string, string];

    expect(await store().updateCredential(legacy.userHandle, first, { enabled: false }, KEEP_ONE)).toMatchObject({ enabled: false });

    expect((await store().listCredentials(legacy.userHandle)).map((c) => [c.credentialId, c.name])).toEqual([
      [first, `Passkey ${prefix.slice(0, 8)}`],
      [second, `Passkey ${prefix.slice(0, 8)} (2)`],
    ]);
  });

  it("lets exactly one of two concurrent first deletes on a legacy user's two credentials through", async () => {
    for (let round = 0; round < 10; round++) {
      const legacy = await legacyUser();
      const [first, second] = legacy.credentialIds as [string, string];
      const [one, two] = [localClient(tables().endpoint), localClient(tables().endpoint)];
      let outcomes;
      try {
        outcomes = await Promise.all([
          new DynamoDbCredentialStore({ client: one, tableName: tables().credentialTable }).deleteCredential(legacy.userHandle, first, KEEP_ONE),
          new DynamoDbCredentialStore({ client: two, tableName: tables().credentialTable }).deleteCredential(legacy.userHandle, second, KEEP_ONE),
        ]);
      } finally {
        one.destroy();
        two.destroy();
      }

      expect(outcomes.sort()).toEqual(["deleted", "last_credential"]);
      expect(await counts(legacy.userHandle)).toEqual({ credentialCount: "1", enabledCount: "1" });
    }
  });

  it("deletes a legacy user with all their items, and leaves a USERNAME item another user holds with that key", async () => {
    const holder = aUserAccount();
    await store().add(aStoredCredentialFor(holder), holder);
    // Two users with one key, from before usernames were unique (ADR 0017): the backfill gave the item to the other.
    const legacy = await legacyUser({ username: holder.username });

    expect(await store().deleteUser(legacy.userHandle)).toBe("deleted");

    expect(await userPartition(legacy.userHandle)).toEqual([]);
    expect(await rawItem(`IDP#${legacy.identityUserId}`, "LINK")).toBeUndefined();
    for (const id of legacy.credentialIds) expect(await rawItem(`CRED#${id}`, "CRED")).toBeUndefined();
    expect(await store().findUserByUsername(holder.usernameKey)).toEqual(holder);
  });

  it("writes a legacy user's usernameKey, origin and USERNAME item on a profile update, and leaves another user's item with the old key", async () => {
    const holder = aUserAccount();
    await store().add(aStoredCredentialFor(holder), holder);
    const legacy = await legacyUser({ username: holder.username });
    const username = `Renamed-${uniqueId(6)}`;

    const updated = await store().updateUser(legacy.userHandle, { username: { username, usernameKey: username.toLowerCase() } });

    expect(updated).toMatchObject({ username, usernameKey: username.toLowerCase(), origin: "passkey_sign_up" });
    for (const [pk, sk] of [[`USER#${legacy.userHandle}`, "PROFILE"], [`IDP#${legacy.identityUserId}`, "LINK"], [`USERNAME#${username.toLowerCase()}`, "USERNAME"]] as const) {
      expect(await rawItem(pk, sk), `${pk} ${sk}`).toMatchObject({ username: { S: username }, usernameKey: { S: username.toLowerCase() }, origin: { S: "passkey_sign_up" } });
    }
    expect(await store().findUserByUsername(holder.usernameKey)).toEqual(holder);
  });
});

describe("DynamoDbCredentialStore profile updates and account deletion", () => {
  it("rewrites PROFILE, LINK and USERNAME in one transaction, deleting the old USERNAME item and keeping the counts", async () => {
    const user = aUserAccount();
    await store().add(aStoredCredentialFor(user), user);
    const username = `Moved-${uniqueId(6)}`;

    await withProxy(
      () => ({ kind: "forward" }),
      {},
      async (proxied, proxy) => {
        await proxied.updateUser(user.userHandle, { username: { username, usernameKey: username.toLowerCase() }, displayName: "Moved" });
        expect(proxy.counts.get("TransactWriteItems")).toBe(1);
      },
    );

    const attributes = { username: { S: username }, usernameKey: { S: username.toLowerCase() }, displayName: { S: "Moved" } };
    expect(await rawItem(`USER#${user.userHandle}`, "PROFILE")).toMatchObject({ ...attributes, credentialCount: { N: "1" }, enabledCount: { N: "1" } });
    expect(await rawItem(`IDP#${user.identityUserId}`, "LINK")).toMatchObject({ ...attributes, entity: { S: "identity-link" } });
    expect(await rawItem(`USERNAME#${username.toLowerCase()}`, "USERNAME")).toMatchObject({ ...attributes, entity: { S: "username" }, userHandle: { S: user.userHandle } });
    expect(await rawItem(`USERNAME#${user.usernameKey}`, "USERNAME")).toBeUndefined();
  });

  it("deletes a user with 40 credentials in transactions of at most 100 items, the user items last", async () => {
    const credentials = await userWithCredentials(store(), 40);
    const user = credentials[0]!;
    const sizes: number[] = [];

    await withProxy(
      (request) => {
        if (request.operation === "TransactWriteItems") sizes.push((request.body.TransactItems as unknown[]).length);
        return { kind: "forward" };
      },
      {},
      async (proxied) => {
        expect(await proxied.deleteUser(user.userHandle)).toBe("deleted");
      },
    );

    // 40 credentials × (credential, pointer, name) = 120 items, plus the counts: two transactions; then PROFILE, LINK and USERNAME.
    expect(sizes).toEqual([100, 22, 3]);
    expect(await userPartition(user.userHandle)).toEqual([]);
    for (const credential of credentials) expect(await rawItem(`CRED#${credential.credentialId}`, "CRED")).toBeUndefined();
  });

  it("finishes a deletion that failed half-way when called again, and the user stays whole until then", async () => {
    const credentials = await userWithCredentials(store(), 40);
    const userHandle = credentials[0]!.userHandle;
    const account = await store().findUserByHandle(userHandle);
    const failAfterFirst = (request: ProxiedRequest): ProxyAction =>
      request.operation === "TransactWriteItems" && request.count >= 2 ? { kind: "error", type: "InternalServerError", status: 500 } : { kind: "forward" };

    await withProxy(failAfterFirst, {}, async (proxied) => {
      await expect(proxied.deleteUser(userHandle)).rejects.toThrow(StorageUnavailableError);
    });

    // The first 33 credentials are gone; the user and the 7 newest credentials are still there, counted.
    const left = await store().listCredentials(userHandle);
    expect(left.map(plain)).toEqual(credentials.slice(33).map(plain));
    expect(await store().findUserByHandle(userHandle)).toEqual(account);
    expect(await counts(userHandle)).toEqual({ credentialCount: "7", enabledCount: "7" });

    expect(await store().deleteUser(userHandle)).toBe("deleted");

    expect(await userPartition(userHandle)).toEqual([]);
    expect(await store().findUserByUsername(account?.usernameKey ?? "")).toBeNull();
    expect(await store().deleteUser(userHandle)).toBe("not_found");
  });

  it("deletes stray pointers and name items, whose credentials were deleted by hand", async () => {
    const credentials = await userWithCredentials(store(), 2);
    const userHandle = credentials[0]!.userHandle;
    await tables().client.send(new DeleteItemCommand({ TableName: tables().credentialTable, Key: { pk: { S: `CRED#${credentials[1]!.credentialId}` }, sk: { S: "CRED" } } }));

    expect(await store().deleteUser(userHandle)).toBe("deleted");

    expect(await userPartition(userHandle)).toEqual([]);
    expect(await store().findUserByHandle(userHandle)).toBeNull();
  });
});

describe("DynamoDbCredentialStore changes under contention and lost answers", () => {
  it.each<[string, (target: DynamoDbCredentialStore, user: UserAccount, credential: StoredCredential) => Promise<unknown>, unknown]>([
    ["updateCredential", (target, user, credential) => target.updateCredential(user.userHandle, credential.credentialId, { enabled: false }, KEEP_ONE), { enabled: false }],
    ["deleteCredential", (target, user, credential) => target.deleteCredential(user.userHandle, credential.credentialId, KEEP_ONE), "deleted"],
    ["updateUser", (target, user) => target.updateUser(user.userHandle, { displayName: "Contended" }), { displayName: "Contended" }],
    ["deleteUser", (target, user) => target.deleteUser(user.userHandle), "deleted"],
  ])("tries %s again after a transaction conflict and then decides by its conditions", async (_label, change, expected) => {
    const user = aUserAccount();
    const credential = aStoredCredentialFor(user);
    await store().add(credential, user);
    await store().add(aStoredCredentialFor(user, { createdAt: BASE_TIME + 1 }));
    const conflictOnce = (request: ProxiedRequest): ProxyAction =>
      request.operation === "TransactWriteItems" && request.count === 1
        ? { kind: "error", type: "TransactionCanceledException", extra: { CancellationReasons: [{ Code: "None" }, { Code: "TransactionConflict" }] } }
        : { kind: "forward" };

    await withProxy(conflictOnce, {}, async (proxied, proxy) => {
      const outcome = await change(proxied, user, credential);

      expect(outcome).toEqual(typeof expected === "string" ? expected : expect.objectContaining(expected));
      expect(proxy.counts.get("TransactWriteItems")).toBeGreaterThanOrEqual(2);
    });
  });

  it("reports StorageUnavailableError when a delete's conflict outlasts its attempts, having written nothing", async () => {
    const user = aUserAccount();
    const credential = aStoredCredentialFor(user);
    await store().add(credential, user);
    const alwaysConflict = (request: ProxiedRequest): ProxyAction =>
      request.operation === "TransactWriteItems" ? { kind: "error", type: "TransactionCanceledException", extra: { CancellationReasons: [{ Code: "TransactionConflict" }] } } : { kind: "forward" };

    await withProxy(alwaysConflict, { maxTransactionAttempts: 3 }, async (proxied, proxy) => {
      await expect(proxied.deleteCredential(user.userHandle, credential.credentialId, NO_RULE)).rejects.toMatchObject({ name: "StorageUnavailableError", retryable: true });
      expect(proxy.counts.get("TransactWriteItems")).toBe(3);
    });
    expect(plain((await store().findCredential(credential.credentialId))!)).toEqual(plain(credential));
  });

  it("answers 'deleted' when the SDK retries a delete whose answer was lost (ClientRequestToken)", async () => {
    const user = aUserAccount();
    const credential = aStoredCredentialFor(user);
    await store().add(credential, user);
    const loseFirst = (request: ProxiedRequest): ProxyAction => (request.operation === "TransactWriteItems" && request.count === 1 ? { kind: "lose-answer" } : { kind: "forward" });

    await withProxy(loseFirst, {}, async (proxied, proxy) => {
      expect(await proxied.deleteCredential(user.userHandle, credential.credentialId, NO_RULE)).toBe("deleted");
      expect(proxy.counts.get("TransactWriteItems")).toBe(2);
    });
    expect(await store().findCredential(credential.credentialId)).toBeNull();
  });

  it("lets exactly one of two deletes of a user's last two enabled credentials through, on two clients, 20 rounds", async () => {
    const clients = [localClient(tables().endpoint), localClient(tables().endpoint)];
    const stores = clients.map((client) => new DynamoDbCredentialStore({ client, tableName: tables().credentialTable }));
    try {
      for (let round = 0; round < 20; round++) {
        const credentials = await userWithCredentials(store(), 2);
        const userHandle = credentials[0]!.userHandle;

        const outcomes = await Promise.all(credentials.map((credential, i) => stores[i]!.deleteCredential(userHandle, credential.credentialId, KEEP_ONE)));

        expect(outcomes.sort()).toEqual(["deleted", "last_credential"]);
        expect(await counts(userHandle)).toEqual({ credentialCount: "1", enabledCount: "1" });
      }
    } finally {
      for (const client of clients) client.destroy();
    }
  });

  it("reports StorageUnavailableError from every new method when nothing listens", async () => {
    const client = localClient(`http://127.0.0.1:${await freePort()}`, { maxAttempts: 1, requestHandler: { connectionTimeout: 500, requestTimeout: 1_000, throwOnRequestTimeout: true } });
    const unreachable = new DynamoDbCredentialStore({ client, tableName: tables().credentialTable });
    try {
      for (const call of [
        () => unreachable.updateCredential(uniqueId(32), uniqueId(), { name: "X" }, KEEP_ONE),
        () => unreachable.deleteCredential(uniqueId(32), uniqueId(), KEEP_ONE),
        () => unreachable.updateUser(uniqueId(32), { displayName: "X" }),
        () => unreachable.deleteUser(uniqueId(32)),
      ]) {
        await expect(call()).rejects.toMatchObject({ name: "StorageUnavailableError", retryable: true });
      }
    } finally {
      client.destroy();
    }
  });
});
