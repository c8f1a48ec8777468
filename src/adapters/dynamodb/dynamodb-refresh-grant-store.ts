/**
 * The local identity provider's refresh grants in the credential table (ADR 0010), next to its users:
 *
 *   pk                     sk                                      what
 *   GRANT#<grantId>        GRANT                                   the grant: `grantId`, `username` (S), `authTime`, `expiresAt` (N),
 *                                                                  `live` (S, the live token's hash), `spent` (L of S, the last 20
 *                                                                  spent hashes, oldest first), `revoked` (BOOL), `entity` =
 *                                                                  `refresh-grant`; `writeToken` (S) once rotated
 *   IDPUSER#<username>     GRANT#<expiresAt, 16 digits>#<grantId>  pointer: lists the user's grants, soonest to expire first;
 *                                                                  `grantId` (S), `entity` = `refresh-grant-pointer`; never changes
 *
 * The grant is keyed by its id alone, because a refresh names only the grant (`origin_jti`), so that a
 * rotation is one read and one conditional write of one item. The pointers, in the user's partition
 * (which also holds the user, sk `IDPUSER`), are what `revokeAllOf` needs without an index. Their sort
 * key begins with the expiry so that a Query finds a user's expired grants without reading the others.
 *
 * The credential table has no TTL, so expired grants are deleted by the store: each `create` first
 * deletes up to PRUNE_LIMIT of the user's grants that have expired (by the clock), and `revokeAllOf`
 * deletes all of the user's grants. What stays is, per user, the grants created within one lifetime
 * before their last sign-in: for a user who never signs in again, at most what they had then.
 */
import {
  ConditionalCheckFailedException,
  DeleteItemCommand,
  GetItemCommand,
  QueryCommand,
  TransactionCanceledException,
  TransactWriteItemsCommand,
  UpdateItemCommand,
  type DynamoDBClient,
} from "@aws-sdk/client-dynamodb";
import type { Clock } from "../../ports/clock.js";
import type { RefreshGrant, RefreshGrantStore, RotationRefusal } from "../../ports/refresh-grant-store.js";
import { bool, ItemReader, n, s, stringList, type Item } from "./attribute-values.js";
import { CREDENTIAL_TABLE } from "./dynamodb-tables.js";
import { MalformedItemError, StorageUnavailableError, storageFault } from "./storage-faults.js";

export interface DynamoDbRefreshGrantStoreOptions {
  readonly client: DynamoDBClient;
  /** The credential table (CREDENTIAL_TABLE's key schema). */
  readonly tableName: string;
  /** What `create` deletes expired grants by. */
  readonly clock: Clock;
  /** Pointers per Query page of `revokeAllOf`; DynamoDB's 1 MB pages by default. Tests set it small to exercise paging. */
  readonly queryPageSize?: number;
}

/** How many spent token hashes a grant remembers for `revoke`: the port promises at least 20. */
export const SPENT_TOKENS_REMEMBERED = 20;
/** At most this many expired grants are deleted per `create`, so that a sign-in stays quick. */
export const PRUNE_LIMIT = 25;
const GRANT_SK = "GRANT";
const POINTER_PREFIX = "GRANT#";
const ENTITY = "refresh-grant";
const POINTER_ENTITY = "refresh-grant-pointer";
/** Marks which rotation wrote a grant: see `rotate`. Never part of the grant. */
const WRITE_TOKEN = "writeToken";
/** Deletes sent at once by `revokeAllOf` and the pruning. */
const DELETE_CONCURRENCY = 10;

// The key's names are read inside the functions, not into module constants: esbuild keeps a top-level
// property read in every bundle that imports this module, even one that never uses the class.
const pk = (): string => CREDENTIAL_TABLE.partitionKey.name;
const sk = (): string => CREDENTIAL_TABLE.sortKey.name;
const grantKey = (grantId: string): Item => ({ [pk()]: s(`GRANT#${grantId}`), [sk()]: s(GRANT_SK) });
const userPartition = (username: string): string => `IDPUSER#${username}`;
/** The expiry, zero-padded to the 16 digits of any safe integer, so that string order is time order. */
const expirySortKey = (expiresAt: number): string => {
  if (!Number.isSafeInteger(expiresAt) || expiresAt < 0) throw new RangeError(`expiresAt ${expiresAt} is not a time`);
  return `${POINTER_PREFIX}${String(expiresAt).padStart(16, "0")}`;
};
const pointerKey = (grant: RefreshGrant): Item => ({ [pk()]: s(userPartition(grant.username)), [sk()]: s(`${expirySortKey(grant.expiresAt)}#${grant.grantId}`) });

/** A stored grant with what the store keeps beside it. */
interface GrantState {
  readonly grant: RefreshGrant;
  readonly live: string;
  readonly spent: readonly string[];
  readonly revoked: boolean;
}

export class DynamoDbRefreshGrantStore implements RefreshGrantStore {
  private readonly client: DynamoDBClient;
  private readonly tableName: string;
  private readonly clock: Clock;
  private readonly queryPageSize: number | undefined;

  constructor(options: DynamoDbRefreshGrantStoreOptions) {
    this.client = options.client;
    this.tableName = options.tableName;
    this.clock = options.clock;
    this.queryPageSize = options.queryPageSize;
  }

  /**
   * Deletes some of the user's expired grants, then writes the grant and its pointer in one transaction,
   * the grant on the condition that its id is free. The SDK gives the transaction a ClientRequestToken
   * and resends the same one, so its retry after a lost answer is answered "done", not "exists" (ADR 0010).
   * A fault while pruning is thrown before anything of the new grant is written.
   */
  async create(grant: RefreshGrant, tokenHash: string): Promise<"created" | "exists"> {
    const pointer = pointerKey(grant);
    await this.prune(grant.username);
    try {
      await this.client.send(
        new TransactWriteItemsCommand({
          TransactItems: [
            {
              Put: {
                TableName: this.tableName,
                Item: { ...grantKey(grant.grantId), ...encodeGrant(grant, tokenHash) },
                ConditionExpression: "attribute_not_exists(#pk)",
                ExpressionAttributeNames: { "#pk": pk() },
              },
            },
            { Put: { TableName: this.tableName, Item: { ...pointer, entity: s(POINTER_ENTITY), grantId: s(grant.grantId) } } },
          ],
        }),
      );
      return "created";
    } catch (error) {
      if (error instanceof TransactionCanceledException) {
        const codes = (error.CancellationReasons ?? []).map((reason) => reason.Code ?? "None");
        if (codes[0] === "ConditionalCheckFailed") return "exists";
        // Another transaction on the same items (a concurrent create of the same id): nothing was written.
        if (codes.every((code) => code === "None" || code === "TransactionConflict" || code === "ThrottlingError" || code === "ProvisionedThroughputExceeded")) {
          throw new StorageUnavailableError("create refresh grant", true, error);
        }
        throw error;
      }
      throw storageFault(error, "create refresh grant");
    }
  }

  /**
   * A consistent read, then one UpdateItem on the condition that the token read is still the live one
   * and the grant not revoked: of concurrent rotations with one token, the first write wins and the
   * others find another live token; a revoke written before it makes it fail. The list of spent tokens is
   * computed from the read, which the condition proves current (tokens are random, so `live` never comes
   * back to a value it had). A random `writeToken` lets the SDK's retry after a lost answer, which finds
   * the token already spent, recognise its own write (ADR 0010, "Retries").
   */
  async rotate(grantId: string, tokenHash: string, newTokenHash: string, now: number): Promise<RefreshGrant | RotationRefusal> {
    const state = await this.read(grantId, "rotate refresh grant");
    if (state === null) return "unknown";
    if (state.revoked) return "revoked";
    if (now >= state.grant.expiresAt) return "expired";
    if (state.live !== tokenHash) return "not_live";
    const spent = [...state.spent, tokenHash].slice(-SPENT_TOKENS_REMEMBERED);
    const writeToken = crypto.randomUUID();
    try {
      await this.client.send(
        new UpdateItemCommand({
          TableName: this.tableName,
          Key: grantKey(grantId),
          UpdateExpression: "SET #live = :new, #spent = :spent, #writeToken = :writeToken",
          ConditionExpression: "#live = :old AND #revoked = :false",
          ExpressionAttributeNames: { "#live": "live", "#spent": "spent", "#revoked": "revoked", "#writeToken": WRITE_TOKEN },
          ExpressionAttributeValues: { ":new": s(newTokenHash), ":old": s(tokenHash), ":spent": stringList(spent), ":false": bool(false), ":writeToken": s(writeToken) },
          ReturnValuesOnConditionCheckFailure: "ALL_OLD",
        }),
      );
      return state.grant;
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw storageFault(error, "rotate refresh grant");
      const old = error.Item;
      if (old === undefined) return "unknown";
      if (old[WRITE_TOKEN]?.S === writeToken) return state.grant;
      return decodeGrant(this.tableName, old).revoked ? "revoked" : "not_live";
    }
  }

  /** One strongly consistent GetItem. */
  async status(grantId: string, now: number): Promise<"live" | "revoked" | "expired" | "unknown"> {
    const state = await this.read(grantId, "read refresh grant");
    if (state === null) return "unknown";
    if (state.revoked) return "revoked";
    return now >= state.grant.expiresAt ? "expired" : "live";
  }

  /** One UpdateItem, on the condition that the token is the live one or among the spent ones. */
  async revoke(grantId: string, tokenHash: string): Promise<"revoked" | "unknown"> {
    try {
      await this.client.send(
        new UpdateItemCommand({
          TableName: this.tableName,
          Key: grantKey(grantId),
          UpdateExpression: "SET #revoked = :true",
          ConditionExpression: "attribute_exists(#pk) AND (#live = :token OR contains(#spent, :token))",
          ExpressionAttributeNames: { "#pk": pk(), "#revoked": "revoked", "#live": "live", "#spent": "spent" },
          ExpressionAttributeValues: { ":true": bool(true), ":token": s(tokenHash) },
        }),
      );
      return "revoked";
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return "unknown";
      throw storageFault(error, "revoke refresh grant");
    }
  }

  /**
   * Deletes every grant the user's pointers name, then the pointers: each grant before its pointer, so
   * that a fault half-way leaves at most pointers behind, which the next call deletes. A rotation under
   * way then fails its condition (no live token) and answers "unknown".
   */
  async revokeAllOf(username: string): Promise<void> {
    const pointers = await this.pointers(username, null, "revoke refresh grants");
    await this.deleteGrants(pointers, "revoke refresh grants");
  }

  /** The state of the grant, or `null`; strongly consistent. */
  private async read(grantId: string, operation: string): Promise<GrantState | null> {
    let item: Item | undefined;
    try {
      ({ Item: item } = await this.client.send(new GetItemCommand({ TableName: this.tableName, Key: grantKey(grantId), ConsistentRead: true })));
    } catch (error) {
      throw storageFault(error, operation);
    }
    return item === undefined ? null : decodeGrant(this.tableName, item);
  }

  /** Deletes up to PRUNE_LIMIT of the user's grants that expired before now. */
  private async prune(username: string): Promise<void> {
    const expired = await this.pointers(username, this.clock.now(), "create refresh grant");
    await this.deleteGrants(expired, "create refresh grant");
  }

  /**
   * The user's pointers, as their keys and grant ids: all of them (every Query page), or, with `expiredAt`,
   * up to PRUNE_LIMIT of those whose grant expired at or before that time.
   */
  private async pointers(username: string, expiredAt: number | null, operation: string): Promise<{ key: Item; grantId: string }[]> {
    const found: { key: Item; grantId: string }[] = [];
    let startKey: Item | undefined;
    do {
      let page;
      try {
        page = await this.client.send(
          new QueryCommand({
            TableName: this.tableName,
            // "$" sorts right after "#": the upper bound takes in every grant expiring at `expiredAt` itself.
            KeyConditionExpression: expiredAt === null ? "#pk = :pk AND begins_with(#sk, :prefix)" : "#pk = :pk AND #sk BETWEEN :prefix AND :until",
            ExpressionAttributeNames: { "#pk": pk(), "#sk": sk() },
            ExpressionAttributeValues:
              expiredAt === null
                ? { ":pk": s(userPartition(username)), ":prefix": s(POINTER_PREFIX) }
                : { ":pk": s(userPartition(username)), ":prefix": s(POINTER_PREFIX), ":until": s(`${expirySortKey(expiredAt)}$`) },
            ConsistentRead: true,
            Limit: expiredAt === null ? this.queryPageSize : PRUNE_LIMIT,
            ExclusiveStartKey: startKey,
          }),
        );
      } catch (error) {
        throw storageFault(error, operation);
      }
      for (const item of page.Items ?? []) {
        const read = new ItemReader(this.tableName, item);
        read.oneOf("entity", read.string("entity"), [POINTER_ENTITY] as const);
        found.push({ key: { [pk()]: s(read.string(pk())), [sk()]: s(read.string(sk())) }, grantId: read.string("grantId") });
      }
      startKey = expiredAt === null ? page.LastEvaluatedKey : undefined;
    } while (startKey !== undefined);
    return found;
  }

  private async deleteGrants(pointers: readonly { key: Item; grantId: string }[], operation: string): Promise<void> {
    for (let start = 0; start < pointers.length; start += DELETE_CONCURRENCY) {
      await Promise.all(
        pointers.slice(start, start + DELETE_CONCURRENCY).map(async ({ key, grantId }) => {
          await this.deleteItem(grantKey(grantId), operation);
          await this.deleteItem(key, operation);
        }),
      );
    }
  }

  private async deleteItem(key: Item, operation: string): Promise<void> {
    try {
      await this.client.send(new DeleteItemCommand({ TableName: this.tableName, Key: key }));
    } catch (error) {
      throw storageFault(error, operation);
    }
  }
}

function encodeGrant(grant: RefreshGrant, tokenHash: string): Item {
  return {
    entity: s(ENTITY),
    grantId: s(grant.grantId),
    username: s(grant.username),
    authTime: n(grant.authTime),
    expiresAt: n(grant.expiresAt),
    live: s(tokenHash),
    spent: stringList([]),
    revoked: bool(false),
  };
}

function decodeGrant(table: string, item: Item): GrantState {
  const read = new ItemReader(table, item);
  read.oneOf("entity", read.string("entity"), [ENTITY] as const);
  const spent = read.stringList("spent");
  if (spent.length > SPENT_TOKENS_REMEMBERED) throw new MalformedItemError(table, "spent", `has ${spent.length} entries, more than ${SPENT_TOKENS_REMEMBERED}`);
  return {
    grant: { grantId: read.string("grantId"), username: read.string("username"), authTime: read.number("authTime"), expiresAt: read.number("expiresAt") },
    live: read.string("live"),
    spent,
    revoked: read.boolean("revoked"),
  };
}
