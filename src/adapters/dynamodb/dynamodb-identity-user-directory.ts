/**
 * The local identity provider's users in the credential table (ADR 0010), as items of their own kind:
 *
 *   pk                     sk         what
 *   IDPUSER#<username>     IDPUSER    the user: `username`, `sub` (S), `attributes` (M of S), `entity` = `identity-user`;
 *                                     `password` (M: `hash`, `srpSalt`, `srpVerifier`, each S) for a user who signed up with one
 *
 * A user written before passwords existed, or signed up with a passkey, has no `password` and has none.
 * `updateAttributes` writes entries of `attributes` only, so a profile update never touches the password.
 *
 * No new table and no new setting: STORAGE=dynamodb already names this table, and no other item's key
 * starts with `IDPUSER#` but those of the user's refresh grant pointers (sk `GRANT#…`,
 * dynamodb-refresh-grant-store.ts), which share the user's partition and which this class never reads.
 * The username is the primary key, so a conditional put makes it unique, and a profile update is one
 * conditional UpdateItem of entries of the `attributes` map.
 */
import {
  ConditionalCheckFailedException,
  DeleteItemCommand,
  GetItemCommand,
  PutItemCommand,
  UpdateItemCommand,
  type AttributeValue,
  type DynamoDBClient,
} from "@aws-sdk/client-dynamodb";
import type { IdentityUser, IdentityUserDirectory, PasswordCredential } from "../../ports/identity-user-directory.js";
import { ItemReader, s, type Item } from "./attribute-values.js";
import { CREDENTIAL_TABLE } from "./dynamodb-tables.js";
import { MalformedItemError, storageFault } from "./storage-faults.js";

export interface DynamoDbIdentityUserDirectoryOptions {
  readonly client: DynamoDBClient;
  /** The credential table (CREDENTIAL_TABLE's key schema). */
  readonly tableName: string;
}

const USER_SK = "IDPUSER";
const ENTITY = "identity-user";
/** Marks which create wrote a user: see there. Never part of the user. */
const WRITE_TOKEN = "writeToken";

// The key's names are read inside the function, not into module constants: esbuild keeps a top-level
// property read in every bundle that imports this module, even one that never uses the class.
const userKey = (username: string): Item => ({ [CREDENTIAL_TABLE.partitionKey.name]: s(`IDPUSER#${username}`), [CREDENTIAL_TABLE.sortKey.name]: s(USER_SK) });

export class DynamoDbIdentityUserDirectory implements IdentityUserDirectory {
  private readonly client: DynamoDBClient;
  private readonly tableName: string;

  constructor(options: DynamoDbIdentityUserDirectoryOptions) {
    this.client = options.client;
    this.tableName = options.tableName;
  }

  async create(user: IdentityUser): Promise<"created" | "exists"> {
    // The global Web Crypto rather than node:crypto, an import esbuild would keep even in bundles that never use this class.
    const writeToken = crypto.randomUUID();
    try {
      await this.client.send(
        new PutItemCommand({
          TableName: this.tableName,
          Item: { ...userKey(user.username), ...encodeUser(user), [WRITE_TOKEN]: s(writeToken) },
          ConditionExpression: "attribute_not_exists(#pk)",
          ExpressionAttributeNames: { "#pk": CREDENTIAL_TABLE.partitionKey.name },
          ReturnValuesOnConditionCheckFailure: "ALL_OLD",
        }),
      );
      return "created";
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) {
        // A retry after a lost answer finds the user its own first attempt wrote (ADR 0010, "Retries").
        return error.Item?.[WRITE_TOKEN]?.S === writeToken ? "created" : "exists";
      }
      throw storageFault(error, "create identity user");
    }
  }

  async find(username: string): Promise<IdentityUser | null> {
    let item: Item | undefined;
    try {
      ({ Item: item } = await this.client.send(new GetItemCommand({ TableName: this.tableName, Key: userKey(username), ConsistentRead: true })));
    } catch (error) {
      throw storageFault(error, "find identity user");
    }
    return item === undefined ? null : decodeUser(this.tableName, item);
  }

  /**
   * One UpdateItem that sets each named entry of the `attributes` map, on the condition that the user
   * exists, so an update racing a delete never leaves a user without `sub` behind. Names go through
   * ExpressionAttributeNames: attribute names like `custom:tenant` are not valid in an expression.
   */
  async updateAttributes(username: string, attributes: Readonly<Record<string, string>>): Promise<"updated" | "not_found"> {
    const entries = Object.entries(attributes);
    // An UpdateItem needs at least one action; changing nothing is only a question of existence.
    if (entries.length === 0) return (await this.find(username)) === null ? "not_found" : "updated";
    const names: Record<string, string> = { "#pk": CREDENTIAL_TABLE.partitionKey.name, "#attributes": "attributes" };
    const values: Record<string, AttributeValue> = {};
    const actions = entries.map(([name, value], i) => {
      names[`#a${i}`] = name;
      values[`:a${i}`] = s(value);
      return `#attributes.#a${i} = :a${i}`;
    });
    try {
      await this.client.send(
        new UpdateItemCommand({
          TableName: this.tableName,
          Key: userKey(username),
          UpdateExpression: `SET ${actions.join(", ")}`,
          ConditionExpression: "attribute_exists(#pk)",
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: values,
        }),
      );
      return "updated";
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return "not_found";
      throw storageFault(error, "update identity user");
    }
  }

  async delete(username: string): Promise<void> {
    try {
      await this.client.send(new DeleteItemCommand({ TableName: this.tableName, Key: userKey(username) }));
    } catch (error) {
      throw storageFault(error, "delete identity user");
    }
  }
}

function encodeUser(user: IdentityUser): Item {
  const attributes: Record<string, AttributeValue> = {};
  for (const [name, value] of Object.entries(user.attributes)) attributes[name] = s(value);
  const item: Item = { entity: s(ENTITY), username: s(user.username), sub: s(user.sub), attributes: { M: attributes } };
  if (user.password !== undefined) {
    const { hash, srpSalt, srpVerifier } = user.password;
    item.password = { M: { hash: s(hash), srpSalt: s(srpSalt), srpVerifier: s(srpVerifier) } };
  }
  return item;
}

function decodeUser(table: string, item: Item): IdentityUser {
  const read = new ItemReader(table, item);
  read.oneOf("entity", read.string("entity"), [ENTITY] as const);
  const map = item.attributes?.M;
  if (map === undefined) throw new MalformedItemError(table, "attributes", "is not a map (M)");
  const attributes: Record<string, string> = {};
  for (const [name, value] of Object.entries(map)) {
    if (value.S === undefined) throw new MalformedItemError(table, `attributes.${name}`, "is not a string (S)");
    attributes[name] = value.S;
  }
  const user = { username: read.string("username"), sub: read.string("sub"), attributes };
  if (item.password === undefined) return user;
  const password = item.password.M;
  if (password === undefined) throw new MalformedItemError(table, "password", "is not a map (M)");
  const field = (name: keyof PasswordCredential): string => {
    const value = password[name]?.S;
    if (value === undefined) throw new MalformedItemError(table, `password.${name}`, "is not a string (S)");
    return value;
  };
  return { ...user, password: { hash: field("hash"), srpSalt: field("srpSalt"), srpVerifier: field("srpVerifier") } };
}
