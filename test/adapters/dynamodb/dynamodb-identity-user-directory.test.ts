import { GetItemCommand, PutItemCommand, type AttributeValue, type DynamoDBClientConfig } from "@aws-sdk/client-dynamodb";
import { describe, expect, it } from "vitest";
import { DynamoDbCredentialStore } from "../../../src/adapters/dynamodb/dynamodb-credential-store.js";
import { DynamoDbIdentityUserDirectory } from "../../../src/adapters/dynamodb/dynamodb-identity-user-directory.js";
import { MalformedItemError, StorageUnavailableError } from "../../../src/adapters/dynamodb/storage-faults.js";
import { anIdentityUser, aPasswordCredential, describeIdentityUserDirectoryContract } from "../../ports/identity-user-directory.contract.js";
import { freePort, localClient } from "../../support/dynamodb-local.js";
import { aStoredCredentialFor, aUserAccount } from "../../support/kit.js";
import { startFaultProxy, type ProxiedRequest, type ProxyAction } from "./fault-proxy.js";
import { useTestTables } from "./dynamodb-test-tables.js";

const tables = useTestTables();
const directory = (): DynamoDbIdentityUserDirectory => new DynamoDbIdentityUserDirectory({ client: tables().client, tableName: tables().credentialTable });

describeIdentityUserDirectoryContract("DynamoDbIdentityUserDirectory", async () => ({ directory: directory() }));

describe("DynamoDbIdentityUserDirectory items", () => {
  it("keeps a user in the credential table under IDPUSER#<username>, attributes as a map of strings", async () => {
    const user = anIdentityUser();
    await directory().create(user);

    const { Item: item } = await tables().client.send(
      new GetItemCommand({ TableName: tables().credentialTable, Key: { pk: { S: `IDPUSER#${user.username}` }, sk: { S: "IDPUSER" } }, ConsistentRead: true }),
    );

    expect(item).toMatchObject({
      entity: { S: "identity-user" },
      username: { S: user.username },
      sub: { S: user.sub },
      attributes: { M: { preferred_username: { S: user.attributes.preferred_username }, name: { S: user.attributes.name } } },
    });
  });

  it("shares the table with the credential store without either seeing the other's items", async () => {
    const account = aUserAccount();
    const credentials = new DynamoDbCredentialStore({ client: tables().client, tableName: tables().credentialTable });
    expect(await credentials.add(aStoredCredentialFor(account), account)).toBe("added");
    // The identity user a sign-up creates has the account's identity user id as its username.
    const user = anIdentityUser({ username: account.identityUserId });

    expect(await directory().create(user)).toBe("created");

    expect(await directory().find(account.identityUserId)).toEqual(user);
    expect(await credentials.findUserByIdentity(account.identityUserId)).toEqual(account);
    await directory().delete(account.identityUserId);
    expect(await credentials.findUserByIdentity(account.identityUserId)).toEqual(account);
  });

  it("updates entries of the attributes map in place, leaving the rest of the item as it was", async () => {
    const user = anIdentityUser();
    await directory().create(user);
    const key = { pk: { S: `IDPUSER#${user.username}` }, sk: { S: "IDPUSER" } };
    const read = async () => (await tables().client.send(new GetItemCommand({ TableName: tables().credentialTable, Key: key, ConsistentRead: true }))).Item;
    const before = await read();

    expect(await directory().updateAttributes(user.username, { name: "Alicia" })).toBe("updated");

    const after = await read();
    expect(after).toEqual({ ...before, attributes: { M: { ...before?.attributes?.M, name: { S: "Alicia" } } } });
  });

  it("keeps a password as a map of three strings beside the attributes", async () => {
    const user = anIdentityUser({ password: aPasswordCredential() });
    await directory().create(user);

    const { Item: item } = await tables().client.send(
      new GetItemCommand({ TableName: tables().credentialTable, Key: { pk: { S: `IDPUSER#${user.username}` }, sk: { S: "IDPUSER" } }, ConsistentRead: true }),
    );

    expect(item?.password).toEqual({ M: { hash: { S: user.password?.hash }, srpSalt: { S: user.password?.srpSalt }, srpVerifier: { S: user.password?.srpVerifier } } });
  });

  it("reads a user written before passwords existed as one without a password", async () => {
    const user = anIdentityUser();
    await tables().client.send(
      new PutItemCommand({
        TableName: tables().credentialTable,
        Item: { pk: { S: `IDPUSER#${user.username}` }, sk: { S: "IDPUSER" }, entity: { S: "identity-user" }, username: { S: user.username }, sub: { S: user.sub }, attributes: { M: {} } },
      }),
    );
    expect(await directory().find(user.username)).toEqual({ ...user, attributes: {} });
  });

  it.each<[string, AttributeValue, RegExp]>([
    ["not a map", { S: "secret" }, /password is not a map/],
    ["a map without the verifier", { M: { hash: { S: "h" }, srpSalt: { S: "00" } } }, /password\.srpVerifier is not a string/],
    ["a map with a number for the salt", { M: { hash: { S: "h" }, srpSalt: { N: "1" }, srpVerifier: { S: "00" } } }, /password\.srpSalt is not a string/],
  ])("refuses a password that is %s", async (_label, password, message) => {
    const user = anIdentityUser();
    await tables().client.send(
      new PutItemCommand({
        TableName: tables().credentialTable,
        Item: {
          pk: { S: `IDPUSER#${user.username}` },
          sk: { S: "IDPUSER" },
          entity: { S: "identity-user" },
          username: { S: user.username },
          sub: { S: user.sub },
          attributes: { M: {} },
          password,
        },
      }),
    );
    await expect(directory().find(user.username)).rejects.toThrow(MalformedItemError);
    await expect(directory().find(user.username)).rejects.toThrow(message);
  });

  it("refuses an item that does not have the shape it writes", async () => {
    const user = anIdentityUser();
    await tables().client.send(
      new PutItemCommand({
        TableName: tables().credentialTable,
        Item: { pk: { S: `IDPUSER#${user.username}` }, sk: { S: "IDPUSER" }, entity: { S: "identity-user" }, username: { S: user.username }, sub: { S: user.sub }, attributes: { M: { name: { N: "1" } } } },
      }),
    );
    await expect(directory().find(user.username)).rejects.toThrow(MalformedItemError);
    await expect(directory().find(user.username)).rejects.toThrow(/attributes\.name is not a string/);
  });
});

describe("DynamoDbIdentityUserDirectory when an answer is lost and the SDK retries", () => {
  it("answers 'created', not 'exists', when the retry finds the user its first attempt wrote", async () => {
    const loseFirst = (request: ProxiedRequest): ProxyAction => (request.operation === "PutItem" && request.count === 1 ? { kind: "lose-answer" } : { kind: "forward" });
    const proxy = await startFaultProxy(tables().endpoint, loseFirst);
    const client = localClient(proxy.endpoint);
    try {
      const user = anIdentityUser();
      expect(await new DynamoDbIdentityUserDirectory({ client, tableName: tables().credentialTable }).create(user)).toBe("created");
      expect(proxy.counts.get("PutItem")).toBe(2);
      expect(await directory().find(user.username)).toEqual(user);
      // Someone else's create of the same name is still refused.
      expect(await directory().create(anIdentityUser({ username: user.username }))).toBe("exists");
    } finally {
      client.destroy();
      await proxy.close();
    }
  });
});

describe("DynamoDbIdentityUserDirectory on a store that is out of reach", () => {
  const FAIL_FAST: Partial<DynamoDBClientConfig> = { maxAttempts: 1, requestHandler: { connectionTimeout: 500, requestTimeout: 1_000, throwOnRequestTimeout: true } };
  const OPERATIONS: readonly [string, (d: DynamoDbIdentityUserDirectory) => Promise<unknown>][] = [
    ["create", (d) => d.create(anIdentityUser())],
    ["find", (d) => d.find(anIdentityUser().username)],
    ["updateAttributes", (d) => d.updateAttributes(anIdentityUser().username, { name: "Alice" })],
    ["delete", (d) => d.delete(anIdentityUser().username)],
  ];

  async function expectEveryOperation(endpoint: string, tableName: string, retryable: boolean): Promise<void> {
    const client = localClient(endpoint, FAIL_FAST);
    try {
      for (const [operation, call] of OPERATIONS) {
        const error = await call(new DynamoDbIdentityUserDirectory({ client, tableName })).then(
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

  it("reports StorageUnavailableError (not retryable) when the table does not exist", async () => {
    await expectEveryOperation(tables().endpoint, "keyport-no-such-credentials", false);
  });
});
