/**
 * DynamoDbCredentialStore.listUsers on tables of this file's own (so the first test sees an empty one):
 * the listUsers contract with Scan requests of a few items (a page then spans several requests and a
 * cursor falls anywhere in one), and what is particular to the table: only PROFILE items are users,
 * whoever else keeps items there, profiles from before `entity` and `usernameKey` are listed, every Scan
 * is strongly consistent and bounded, and faults are StorageUnavailableError.
 */
import { PutItemCommand } from "@aws-sdk/client-dynamodb";
import { describe, expect, it } from "vitest";
import { DynamoDbCredentialStore, type DynamoDbCredentialStoreOptions } from "../../../src/adapters/dynamodb/dynamodb-credential-store.js";
import { DynamoDbIdentityUserDirectory } from "../../../src/adapters/dynamodb/dynamodb-identity-user-directory.js";
import { StorageUnavailableError } from "../../../src/adapters/dynamodb/storage-faults.js";
import type { UserAccount } from "../../../src/domain/model.js";
import { describeListUsersContract } from "../../ports/credential-store.contract.js";
import { localClient } from "../../support/dynamodb-local.js";
import { aStoredCredentialFor, aUserAccount, BASE_TIME, uniqueId } from "../../support/kit.js";
import { startFaultProxy, type ProxiedRequest, type ProxyAction } from "./fault-proxy.js";
import { useTestTables } from "./dynamodb-test-tables.js";

const tables = useTestTables();

function store(options: Partial<DynamoDbCredentialStoreOptions> = {}): DynamoDbCredentialStore {
  return new DynamoDbCredentialStore({ client: tables().client, tableName: tables().credentialTable, ...options });
}

async function everyUser(target: DynamoDbCredentialStore, limit = 1_000): Promise<UserAccount[]> {
  const users: UserAccount[] = [];
  let cursor: string | null = null;
  do {
    const page = await target.listUsers({ limit, cursor });
    if (!page.ok) throw new Error(page.error);
    users.push(...page.value.users);
    cursor = page.value.nextCursor;
  } while (cursor !== null);
  return users;
}

async function signedUp(credentials = 1): Promise<UserAccount> {
  const user = aUserAccount();
  for (let i = 0; i < credentials; i++) expect(await store().add(aStoredCredentialFor(user, { createdAt: BASE_TIME + i, name: `Key ${i}` }), i === 0 ? user : undefined)).toBe("added");
  return user;
}

async function put(item: Record<string, string | number>): Promise<void> {
  const encoded = Object.fromEntries(Object.entries(item).map(([name, value]) => [name, typeof value === "number" ? { N: String(value) } : { S: value }]));
  await tables().client.send(new PutItemCommand({ TableName: tables().credentialTable, Item: encoded }));
}

// First, while the table is empty.
describe("DynamoDbCredentialStore.listUsers on an empty table", () => {
  it("answers one empty last page", async () => {
    expect(await store().listUsers({ limit: 10, cursor: null })).toEqual({ ok: true, value: { users: [], nextCursor: null } });
  });
});

describe("with Scan requests of 3 items", () => {
  describeListUsersContract("DynamoDbCredentialStore (Scan pages of 3)", async () => ({ store: store({ scanPageSize: 3 }) }));
});

describe("with Scan requests of 1 item", () => {
  describeListUsersContract("DynamoDbCredentialStore (Scan pages of 1)", async () => ({ store: store({ scanPageSize: 1 }) }));
});

describe("DynamoDbCredentialStore.listUsers", () => {
  it("lists PROFILE items only: not the links, usernames, pointers, names and credentials beside them, nor the local provider's users and grants", async () => {
    const before = await everyUser(store());
    const users = [await signedUp(3), await signedUp(1)];
    await new DynamoDbIdentityUserDirectory({ client: tables().client, tableName: tables().credentialTable }).create({ username: uniqueId(), sub: uniqueId(), attributes: { name: "Local" } });
    const grantId = uniqueId();
    await put({ pk: `GRANT#${grantId}`, sk: "GRANT", entity: "refresh-grant", grantId, username: "someone" });
    await put({ pk: "IDPUSER#someone", sk: `GRANT#${String(BASE_TIME).padStart(16, "0")}#${grantId}`, entity: "refresh-grant-pointer", grantId });

    const after = await everyUser(store());

    expect(after).toHaveLength(before.length + users.length);
    for (const user of users) expect(after.filter((listed) => listed.userHandle === user.userHandle)).toEqual([user]);
  });

  it("lists a profile from before `entity`, `usernameKey`, `origin` and the counts, as findUserByHandle reads it", async () => {
    const handle = uniqueId(32);
    await put({ pk: `USER#${handle}`, sk: "PROFILE", userHandle: handle, identityUserId: handle, username: "Ｌｅｇａｃｙ", displayName: "Legacy", createdAt: BASE_TIME });

    const listed = (await everyUser(store())).filter((user) => user.userHandle === handle);

    expect(listed).toEqual([await store().findUserByHandle(handle)]);
    expect(listed[0]).toMatchObject({ usernameKey: "legacy", origin: "passkey_sign_up" });
  });

  it("scans strongly consistent, at most max(limit, 100) items a request, starting after the cursor's PROFILE", async () => {
    for (let i = 0; i < 5; i++) await signedUp();
    const requests: Record<string, unknown>[] = [];
    const proxy = await startFaultProxy(tables().endpoint, (request: ProxiedRequest): ProxyAction => {
      if (request.operation === "Scan") requests.push(request.body);
      return { kind: "forward" };
    });
    const client = localClient(proxy.endpoint);
    let second = 0;
    try {
      const proxied = new DynamoDbCredentialStore({ client, tableName: tables().credentialTable });
      const first = await proxied.listUsers({ limit: 2, cursor: null });
      if (!first.ok || first.value.nextCursor === null) throw new Error("expected a further page");
      second = requests.length;
      await proxied.listUsers({ limit: 250, cursor: first.value.nextCursor });
    } finally {
      client.destroy();
      await proxy.close();
    }

    expect(requests[0]).toMatchObject({ Limit: 100 });
    expect(requests[0]?.ExclusiveStartKey).toBeUndefined();
    for (const request of requests) expect(request).toMatchObject({ ConsistentRead: true, Limit: expect.any(Number) });
    expect(requests[second]).toMatchObject({ Limit: 250, ExclusiveStartKey: { pk: { S: expect.stringMatching(/^USER#/) }, sk: { S: "PROFILE" } } });
  });

  it("throws a retryable StorageUnavailableError when the Scan keeps failing", async () => {
    const proxy = await startFaultProxy(tables().endpoint, (request) =>
      request.operation === "Scan" ? { kind: "error", type: "InternalServerError", status: 500 } : { kind: "forward" },
    );
    const client = localClient(proxy.endpoint);
    try {
      const failure = new DynamoDbCredentialStore({ client, tableName: tables().credentialTable }).listUsers({ limit: 10, cursor: null });
      await expect(failure).rejects.toThrow(StorageUnavailableError);
      await expect(failure).rejects.toMatchObject({ retryable: true });
    } finally {
      client.destroy();
      await proxy.close();
    }
  });
});
