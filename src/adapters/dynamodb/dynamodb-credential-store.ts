/**
 * Credentials and users in one DynamoDB table with a composite key and no index (ADR 0010):
 *
 *   pk                     sk                                   what
 *   CRED#<credentialId>    CRED                                 the credential (every StoredCredential field)
 *   USER#<userHandle>      CRED#<createdAt, 16 digits>#<digest>  pointer: lists a user's credentials, oldest first
 *   USER#<userHandle>      PROFILE                              the user account
 *   IDP#<identityUserId>   LINK                                 the user account again, found by identity user
 *   USERNAME#<usernameKey> USERNAME                             the user account again, found by username (ADR 0017)
 *
 * Everything that must be unique (credential id, handle, identity user, username's canonical form) is
 * a primary key, so that a condition on a transactional put can enforce it; every read is strongly
 * consistent.
 */
import { createHash, randomUUID } from "node:crypto";
import {
  BatchGetItemCommand,
  ConditionalCheckFailedException,
  GetItemCommand,
  QueryCommand,
  TransactionCanceledException,
  TransactWriteItemsCommand,
  UpdateItemCommand,
  type DynamoDBClient,
  type TransactWriteItem,
} from "@aws-sdk/client-dynamodb";
import { SUPPORTED_ALGORITHMS } from "../../domain/encoding/cose.js";
import { isAttestationFormatId, parseTransports } from "../../domain/encoding/parse-response.js";
import { prepareUsername, usernameKey } from "../../domain/ceremonies/names.js";
import type { AuthenticationUpdate, StoredCredential, UserAccount } from "../../domain/model.js";
import type { AddCredentialOutcome, CredentialStore, RecordAuthenticationOutcome } from "../../ports/credential-store.js";
import { b, bool, ItemReader, n, nullable, s, stringList, type Item } from "./attribute-values.js";
import { CREDENTIAL_TABLE } from "./dynamodb-tables.js";
import { StorageUnavailableError, storageFault } from "./storage-faults.js";

export interface DynamoDbCredentialStoreOptions {
  readonly client: DynamoDBClient;
  readonly tableName: string;
  /** Pointers per Query page; DynamoDB's 1 MB pages by default. Tests set it small to exercise paging. */
  readonly queryPageSize?: number;
  /** Keys per BatchGetItem; at most DynamoDB's 100. Tests set it small to exercise chunking. */
  readonly batchGetSize?: number;
  /** Rounds of BatchGetItem for keys DynamoDB left unprocessed (throttling, 16 MB responses) before giving up. */
  readonly maxBatchGetRounds?: number;
  /** Attempts of a sign-up transaction that lost a race with another transaction on the same items. */
  readonly maxTransactionAttempts?: number;
}

const PK = CREDENTIAL_TABLE.partitionKey.name;
const SK = CREDENTIAL_TABLE.sortKey.name;
const CREDENTIAL_SK = "CRED";
const POINTER_PREFIX = "CRED#";
const PROFILE_SK = "PROFILE";
const LINK_SK = "LINK";
const USERNAME_SK = "USERNAME";
/** Marks which recordAuthentication wrote a credential: see there. */
const WRITE_TOKEN = "writeToken";
const MAX_BATCH_GET = 100;
/** Transaction items, in this order; `add` reads the cancellation reasons by these positions. */
const CREDENTIAL_PUT = 0;
const PROFILE_PUT = 2;
const LINK_PUT = 3;
const USERNAME_PUT = 4;

const credentialKey = (credentialId: string): Item => ({ [PK]: s(`CRED#${credentialId}`), [SK]: s(CREDENTIAL_SK) });
const userPartition = (userHandle: string): string => `USER#${userHandle}`;
const profileKey = (userHandle: string): Item => ({ [PK]: s(userPartition(userHandle)), [SK]: s(PROFILE_SK) });
const linkKey = (identityUserId: string): Item => ({ [PK]: s(`IDP#${identityUserId}`), [SK]: s(LINK_SK) });
/** The username's uniqueness item, keyed by its canonical form (names.ts `usernameKey`). */
const usernameItemKey = (key: string): Item => ({ [PK]: s(`USERNAME#${key}`), [SK]: s(USERNAME_SK) });

/**
 * The pointer's sort key. createdAt, zero-padded to the 16 digits of any safe integer, makes the
 * string order the age order. The credential id itself does not fit: WebAuthn allows 1023-byte ids
 * (1364 base64url characters) and a sort key holds 1024 bytes, so its SHA-256 digest stands in for
 * it, keeping keys unique and short; the id proper is an attribute of the pointer.
 */
function pointerSortKey(credential: StoredCredential): string {
  if (!Number.isSafeInteger(credential.createdAt) || credential.createdAt < 0) throw new RangeError(`createdAt ${credential.createdAt} is not a time`);
  const digest = createHash("sha256").update(credential.credentialId).digest("base64url");
  return `${POINTER_PREFIX}${String(credential.createdAt).padStart(16, "0")}#${digest}`;
}

export class DynamoDbCredentialStore implements CredentialStore {
  private readonly client: DynamoDBClient;
  private readonly tableName: string;
  private readonly queryPageSize: number | undefined;
  private readonly batchGetSize: number;
  private readonly maxBatchGetRounds: number;
  private readonly maxTransactionAttempts: number;

  constructor(options: DynamoDbCredentialStoreOptions) {
    this.client = options.client;
    this.tableName = options.tableName;
    this.queryPageSize = options.queryPageSize;
    this.batchGetSize = Math.min(options.batchGetSize ?? MAX_BATCH_GET, MAX_BATCH_GET);
    this.maxBatchGetRounds = options.maxBatchGetRounds ?? 8;
    this.maxTransactionAttempts = options.maxTransactionAttempts ?? 6;
  }

  async add(credential: StoredCredential, newUser?: UserAccount): Promise<AddCredentialOutcome> {
    const items: TransactWriteItem[] = [
      { Put: { TableName: this.tableName, Item: encodeCredential(credential), ConditionExpression: "attribute_not_exists(#pk)", ExpressionAttributeNames: { "#pk": PK } } },
      {
        Put: {
          TableName: this.tableName,
          Item: { [PK]: s(userPartition(credential.userHandle)), [SK]: s(pointerSortKey(credential)), entity: s("credential-pointer"), credentialId: s(credential.credentialId) },
        },
      },
    ];
    // Like the in-memory store, adding to an existing user does not check that the user exists:
    // the ceremonies only do so for users they have just looked up.
    if (newUser !== undefined) {
      const profile = { ...profileKey(newUser.userHandle), entity: s("user"), ...encodeUser(newUser) };
      const link = { ...linkKey(newUser.identityUserId), entity: s("identity-link"), ...encodeUser(newUser) };
      // The username is unique by its canonical form: its own item, guarded by the same kind of condition
      // in the same transaction, so that of two sign-ups with one username exactly one is written.
      const username = { ...usernameItemKey(newUser.usernameKey), entity: s("username"), ...encodeUser(newUser) };
      for (const Item of [profile, link, username]) {
        items.push({ Put: { TableName: this.tableName, Item, ConditionExpression: "attribute_not_exists(#pk)", ExpressionAttributeNames: { "#pk": PK } } });
      }
    }

    for (let attempt = 1; ; attempt++) {
      try {
        // The SDK gives the request a ClientRequestToken, so its own retry of a transaction whose answer
        // was lost is answered "done" by DynamoDB instead of failing the conditions on our own items.
        await this.client.send(new TransactWriteItemsCommand({ TransactItems: items }));
        return "added";
      } catch (error) {
        if (!(error instanceof TransactionCanceledException)) throw storageFault(error, "add credential");
        const codes = (error.CancellationReasons ?? []).map((reason) => reason.Code ?? "None");
        const failed = (index: number): boolean => codes[index] === "ConditionalCheckFailed";
        // Checked in the in-memory store's order: a taken credential id wins over a taken user, which
        // wins over a taken username (the same user signing up twice has its own username too).
        if (failed(CREDENTIAL_PUT)) return "credential_exists";
        if (failed(PROFILE_PUT) || failed(LINK_PUT)) return "user_exists";
        if (failed(USERNAME_PUT)) return "username_taken";
        // Another transaction held one of the items (a concurrent sign-up of the same user, say).
        // Nothing was written; once it is done our conditions decide, so we try again.
        if (codes.includes("TransactionConflict") && attempt < this.maxTransactionAttempts) {
          await backOff(attempt);
          continue;
        }
        if (codes.every((code) => code === "None" || code === "TransactionConflict" || code === "ThrottlingError" || code === "ProvisionedThroughputExceeded")) {
          throw new StorageUnavailableError("add credential", true, error);
        }
        // A ValidationError (an item too large, say) is a bug, not an outage.
        throw error;
      }
    }
  }

  async findCredential(credentialId: string): Promise<StoredCredential | null> {
    const item = await this.getItem(credentialKey(credentialId), "find credential");
    return item === undefined ? null : decodeCredential(this.tableName, item);
  }

  async listCredentials(userHandle: string): Promise<StoredCredential[]> {
    const ids = await this.pointedCredentialIds(userHandle);
    const found = await this.batchGetCredentials(ids);
    // A pointer whose credential is missing (a hand-deleted item) is skipped rather than failing the whole list.
    return ids.flatMap((id) => {
      const credential = found.get(id);
      return credential === undefined ? [] : [credential];
    });
  }

  async recordAuthentication(credentialId: string, expectedCounter: number, update: AuthenticationUpdate): Promise<RecordAuthenticationOutcome> {
    const writeToken = randomUUID();
    try {
      await this.client.send(
        new UpdateItemCommand({
          TableName: this.tableName,
          Key: credentialKey(credentialId),
          UpdateExpression: "SET #counter = :counter, #backupState = :backupState, #lastUsedAt = :lastUsedAt, #writeToken = :writeToken",
          ConditionExpression: "attribute_exists(#pk) AND #counter = :expected",
          ExpressionAttributeNames: { "#pk": PK, "#counter": "counter", "#backupState": "backupState", "#lastUsedAt": "lastUsedAt", "#writeToken": WRITE_TOKEN },
          ExpressionAttributeValues: {
            ":counter": n(update.counter),
            ":backupState": bool(update.backupState),
            ":lastUsedAt": n(update.lastUsedAt),
            ":writeToken": s(writeToken),
            ":expected": n(expectedCounter),
          },
          ReturnValuesOnConditionCheckFailure: "ALL_OLD",
        }),
      );
      return "recorded";
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) {
        // As for sessions: an SDK retry after a lost answer finds the counter already moved — by this
        // call. Without the token the ceremony would re-read, see its own counter and fail the sign-in.
        return error.Item?.[WRITE_TOKEN]?.S === writeToken ? "recorded" : "conflict";
      }
      throw storageFault(error, "record authentication");
    }
  }

  async findUserByHandle(userHandle: string): Promise<UserAccount | null> {
    const item = await this.getItem(profileKey(userHandle), "find user by handle");
    return item === undefined ? null : decodeUser(this.tableName, item);
  }

  async findUserByUsername(key: string): Promise<UserAccount | null> {
    const item = await this.getItem(usernameItemKey(key), "find user by username");
    return item === undefined ? null : decodeUser(this.tableName, item);
  }

  async findUserByIdentity(identityUserId: string): Promise<UserAccount | null> {
    const item = await this.getItem(linkKey(identityUserId), "find user by identity");
    return item === undefined ? null : decodeUser(this.tableName, item);
  }

  private async getItem(key: Item, operation: string): Promise<Item | undefined> {
    try {
      const { Item: item } = await this.client.send(new GetItemCommand({ TableName: this.tableName, Key: key, ConsistentRead: true }));
      return item;
    } catch (error) {
      throw storageFault(error, operation);
    }
  }

  /** The ids the user's pointers name, oldest credential first, over every Query page. */
  private async pointedCredentialIds(userHandle: string): Promise<string[]> {
    const ids: string[] = [];
    let startKey: Item | undefined;
    do {
      let page;
      try {
        page = await this.client.send(
          new QueryCommand({
            TableName: this.tableName,
            KeyConditionExpression: "#pk = :pk AND begins_with(#sk, :prefix)",
            ExpressionAttributeNames: { "#pk": PK, "#sk": SK },
            ExpressionAttributeValues: { ":pk": s(userPartition(userHandle)), ":prefix": s(POINTER_PREFIX) },
            ConsistentRead: true,
            Limit: this.queryPageSize,
            ExclusiveStartKey: startKey,
          }),
        );
      } catch (error) {
        throw storageFault(error, "list credentials");
      }
      for (const item of page.Items ?? []) ids.push(new ItemReader(this.tableName, item).string("credentialId"));
      startKey = page.LastEvaluatedKey;
    } while (startKey !== undefined);
    return ids;
  }

  /** The credentials with these ids that exist, in chunks of at most 100 keys, retrying unprocessed keys with backoff. */
  private async batchGetCredentials(ids: readonly string[]): Promise<Map<string, StoredCredential>> {
    const found = new Map<string, StoredCredential>();
    // BatchGetItem rejects a request that names one key twice.
    const unique = [...new Set(ids)];
    for (let start = 0; start < unique.length; start += this.batchGetSize) {
      let keys: Item[] = unique.slice(start, start + this.batchGetSize).map(credentialKey);
      for (let round = 1; keys.length > 0; round++) {
        if (round > this.maxBatchGetRounds) {
          throw new StorageUnavailableError("list credentials", true, new Error(`${keys.length} keys still unprocessed after ${this.maxBatchGetRounds} rounds`));
        }
        if (round > 1) await backOff(round - 1);
        let response;
        try {
          response = await this.client.send(new BatchGetItemCommand({ RequestItems: { [this.tableName]: { Keys: keys, ConsistentRead: true } } }));
        } catch (error) {
          throw storageFault(error, "list credentials");
        }
        for (const item of response.Responses?.[this.tableName] ?? []) {
          const credential = decodeCredential(this.tableName, item);
          found.set(credential.credentialId, credential);
        }
        keys = response.UnprocessedKeys?.[this.tableName]?.Keys ?? [];
      }
    }
    return found;
  }
}

/** Exponential backoff with full jitter (25 ms, 50 ms, 100 ms… capped at 1 s), so that racing callers spread out. */
function backOff(attempt: number): Promise<void> {
  const ceiling = Math.min(1_000, 25 * 2 ** (attempt - 1));
  return new Promise((resolve) => setTimeout(resolve, Math.random() * ceiling));
}

function encodeCredential(credential: StoredCredential): Item {
  return {
    ...credentialKey(credential.credentialId),
    entity: s("credential"),
    credentialId: s(credential.credentialId),
    userHandle: s(credential.userHandle),
    identityUserId: s(credential.identityUserId),
    publicKey: b(credential.publicKey),
    algorithm: n(credential.algorithm),
    counter: n(credential.counter),
    transports: stringList(credential.transports),
    aaguid: s(credential.aaguid),
    attestationFormat: s(credential.attestationFormat),
    backupEligible: bool(credential.backupEligible),
    backupState: bool(credential.backupState),
    userVerifiedAtRegistration: bool(credential.userVerifiedAtRegistration),
    createdAt: n(credential.createdAt),
    lastUsedAt: nullable(credential.lastUsedAt, n),
  };
}

function decodeCredential(table: string, item: Item): StoredCredential {
  const read = new ItemReader(table, item);
  return {
    credentialId: read.string("credentialId"),
    userHandle: read.string("userHandle"),
    identityUserId: read.string("identityUserId"),
    publicKey: read.bytes("publicKey"),
    algorithm: read.oneOf("algorithm", read.number("algorithm"), SUPPORTED_ALGORITHMS),
    counter: read.number("counter"),
    // Transports are hints: any stored value WebAuthn does not define is dropped, as the parser drops it.
    transports: parseTransports(read.stringList("transports")),
    aaguid: read.string("aaguid"),
    attestationFormat: read.checked("attestationFormat", read.string("attestationFormat"), isAttestationFormatId, "an attestation format identifier"),
    backupEligible: read.boolean("backupEligible"),
    backupState: read.boolean("backupState"),
    userVerifiedAtRegistration: read.boolean("userVerifiedAtRegistration"),
    createdAt: read.number("createdAt"),
    lastUsedAt: read.nullableNumber("lastUsedAt"),
  };
}

/**
 * A user's attributes, shared by the PROFILE, the LINK and the USERNAME item; users never change after
 * sign-up (the port has no update; a future one must write all three items in one transaction, and a
 * rename must also delete the old USERNAME item in it: ADR 0017).
 */
function encodeUser(user: UserAccount): Item {
  return {
    userHandle: s(user.userHandle),
    identityUserId: s(user.identityUserId),
    username: s(user.username),
    usernameKey: s(user.usernameKey),
    displayName: s(user.displayName),
    createdAt: n(user.createdAt),
  };
}

function decodeUser(table: string, item: Item): UserAccount {
  const read = new ItemReader(table, item);
  const username = read.string("username");
  return {
    userHandle: read.string("userHandle"),
    identityUserId: read.string("identityUserId"),
    username,
    // Users stored before usernames were unique have no usernameKey (and no USERNAME item): their key is
    // computed from the stored username as sign-up computes it, prepared first where it can be (names
    // stored before ADR 0015 were not), so that "Ａｌｉｃｅ" keys as "alice" (ADR 0017).
    usernameKey: read.optionalString("usernameKey") ?? usernameKey(prepareUsername(username) ?? username),
    displayName: read.string("displayName"),
    createdAt: read.number("createdAt"),
  };
}
