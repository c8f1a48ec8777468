/**
 * Credentials and users in one DynamoDB table with a composite key and no index (ADR 0010, ADR 0018):
 *
 *   pk                     sk                                   what
 *   CRED#<credentialId>    CRED                                 the credential (every StoredCredential field)
 *   USER#<userHandle>      CRED#<createdAt, 16 digits>#<digest>  pointer: lists a user's credentials, oldest first
 *   USER#<userHandle>      NAME#<passkeyNameKey(name)>          a credential's name, taken (ADR 0018)
 *   USER#<userHandle>      PROFILE                              the user account, with enabledCount and credentialCount
 *   IDP#<identityUserId>   LINK                                 the user account again, found by identity user
 *   USERNAME#<usernameKey> USERNAME                             the user account again, found by username (ADR 0017)
 *
 * Everything that must be unique (credential id, handle, identity user, username's canonical form, a
 * passkey name within its user) is a primary key, so that a condition on a transactional put can
 * enforce it. The PROFILE's counts change in the same transaction as the credentials they count, and
 * its condition keeps the lock-out rule (ADR 0018). Every read is strongly consistent.
 */
import { CERTIFICATION_LEVELS } from "../../domain/ceremonies/attestation/authenticator-policy.js";
import { createHash, randomUUID } from "node:crypto";
import {
  BatchGetItemCommand,
  ConditionalCheckFailedException,
  GetItemCommand,
  QueryCommand,
  ScanCommand,
  TransactionCanceledException,
  TransactWriteItemsCommand,
  UpdateItemCommand,
  type AttributeValue,
  type DynamoDBClient,
  type TransactWriteItem,
} from "@aws-sdk/client-dynamodb";
import { SUPPORTED_ALGORITHMS } from "../../domain/encoding/cose.js";
import { isAttestationFormatId, parseTransports } from "../../domain/encoding/parse-response.js";
import { numberedPasskeyName, passkeyNameKey, prepareUsername, usernameKey } from "../../domain/ceremonies/names.js";
import {
  ATTESTATION_TYPES,
  legacyAttestation,
  REGISTRATION_MEDIATIONS,
  type AccountOrigin,
  type AuthenticationUpdate,
  type StoredAttestation,
  type StoredCredential,
  type UserAccount,
} from "../../domain/model.js";
import { err, ok, type Result } from "../../domain/result.js";
import type {
  AddCredentialOutcome,
  CredentialChange,
  CredentialStore,
  DeleteCredentialOutcome,
  DeleteUserOutcome,
  LockoutRule,
  ProfileChange,
  RecordAuthenticationOutcome,
  UpdateCredentialOutcome,
  UpdateUserOutcome,
  UserPage,
} from "../../ports/credential-store.js";
import { checkUserPageLimit, decodeUserCursor, encodeUserCursor } from "../common/user-cursor.js";
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
  /** Attempts of a transaction that lost a race with another transaction on the same items. */
  readonly maxTransactionAttempts?: number;
  /**
   * Items each Scan request of `listUsers` evaluates; by default the page's limit, at least
   * MIN_SCAN_ITEMS. Tests set it small to exercise paging.
   */
  readonly scanPageSize?: number;
}

const PK = CREDENTIAL_TABLE.partitionKey.name;
const SK = CREDENTIAL_TABLE.sortKey.name;
const CREDENTIAL_SK = "CRED";
const POINTER_PREFIX = "CRED#";
const NAME_PREFIX = "NAME#";
const PROFILE_SK = "PROFILE";
const LINK_SK = "LINK";
const USERNAME_SK = "USERNAME";
/** On the PROFILE: how many of the user's credentials exist, and how many of them are enabled (ADR 0018). */
const CREDENTIAL_COUNT = "credentialCount";
const ENABLED_COUNT = "enabledCount";
/** Marks which recordAuthentication wrote a credential: see there. */
const WRITE_TOKEN = "writeToken";
const MAX_BATCH_GET = 100;
/** DynamoDB's limit of items in one TransactWriteItems. */
const MAX_TRANSACTION_ITEMS = 100;
/** Transaction items, in this order; `add` reads the cancellation reasons by these positions (the name item comes last). */
const CREDENTIAL_PUT = 0;
const PROFILE_PUT = 2;
const LINK_PUT = 3;
const USERNAME_PUT = 4;
/** The fewest items a Scan request of `listUsers` evaluates by default (see there). */
const MIN_SCAN_ITEMS = 100;
/** Cancellation codes that mean "not now", not "a condition failed" or "a bug". */
const TRANSIENT_CODES = new Set(["None", "TransactionConflict", "ThrottlingError", "ProvisionedThroughputExceeded"]);

const credentialKey = (credentialId: string): Item => ({ [PK]: s(`CRED#${credentialId}`), [SK]: s(CREDENTIAL_SK) });
const userPartition = (userHandle: string): string => `USER#${userHandle}`;
const profileKey = (userHandle: string): Item => ({ [PK]: s(userPartition(userHandle)), [SK]: s(PROFILE_SK) });
const linkKey = (identityUserId: string): Item => ({ [PK]: s(`IDP#${identityUserId}`), [SK]: s(LINK_SK) });
/** The username's uniqueness item, keyed by its canonical form (names.ts `usernameKey`). */
const usernameItemKey = (key: string): Item => ({ [PK]: s(`USERNAME#${key}`), [SK]: s(USERNAME_SK) });
/**
 * A passkey name's uniqueness item within its user, keyed by the SHA-256 digest of names.ts
 * `passkeyNameKey` (a digest, as in the pointer, so that no name can make the sort key too long).
 */
const nameSortKey = (name: string): string => `${NAME_PREFIX}${createHash("sha256").update(passkeyNameKey(name)).digest("base64url")}`;
const nameItemKey = (userHandle: string, name: string): Item => ({ [PK]: s(userPartition(userHandle)), [SK]: s(nameSortKey(name)) });
const nameItem = (userHandle: string, name: string, credentialId: string): Item => ({ ...nameItemKey(userHandle, name), entity: s("passkey-name"), name: s(name), credentialId: s(credentialId) });

/** What a credential stored before passkeys had names is called until it is renamed. */
const legacyPasskeyName = (credentialId: string): string => `Passkey ${credentialId.slice(0, 8)}`;

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

/** A transaction DynamoDB cancelled: each item's code and, where asked for, the item as it was. */
interface Cancellation {
  readonly codes: readonly string[];
  readonly olds: readonly (Item | undefined)[];
  readonly error: TransactionCanceledException;
}

/** A round that decided nothing: another transaction or a concurrent change got in the way; read again and retry. */
class Again {
  constructor(readonly cause: unknown) {}
}

/** What a failed condition on the PROFILE tells: no such user, a profile from before the counts (ADR 0018), or the lock-out rule. */
function profileRefusal(old: Item | undefined): "no_user" | "legacy" | "rule" {
  if (old === undefined) return "no_user";
  return old[ENABLED_COUNT] === undefined ? "legacy" : "rule";
}

export class DynamoDbCredentialStore implements CredentialStore {
  private readonly client: DynamoDBClient;
  private readonly tableName: string;
  private readonly queryPageSize: number | undefined;
  private readonly batchGetSize: number;
  private readonly maxBatchGetRounds: number;
  private readonly maxTransactionAttempts: number;
  private readonly scanPageSize: number | undefined;

  constructor(options: DynamoDbCredentialStoreOptions) {
    this.client = options.client;
    this.tableName = options.tableName;
    this.queryPageSize = options.queryPageSize;
    this.batchGetSize = Math.min(options.batchGetSize ?? MAX_BATCH_GET, MAX_BATCH_GET);
    this.maxBatchGetRounds = options.maxBatchGetRounds ?? 8;
    this.maxTransactionAttempts = options.maxTransactionAttempts ?? 6;
    this.scanPageSize = options.scanPageSize;
  }

  async add(credential: StoredCredential, newUser?: UserAccount): Promise<AddCredentialOutcome> {
    if (newUser !== undefined && newUser.userHandle !== credential.userHandle) {
      throw new RangeError("a new user's first credential must be theirs (credential.userHandle differs from newUser.userHandle)");
    }
    const operation = "add credential";
    return this.untilDecided(operation, async () => {
      const items: TransactWriteItem[] = [
        this.putNew(encodeCredential(credential)),
        { Put: { TableName: this.tableName, Item: encodePointer(credential) } },
      ];
      if (newUser !== undefined) {
        const counts = { [CREDENTIAL_COUNT]: n(1), [ENABLED_COUNT]: n(credential.enabled ? 1 : 0) };
        // The username is unique by its canonical form: its own item, guarded by the same kind of condition
        // in the same transaction, so that of two sign-ups with one username exactly one is written.
        items.push(
          this.putNew({ ...profileKey(newUser.userHandle), entity: s("user"), ...encodeUser(newUser), ...counts }),
          this.putNew({ ...linkKey(newUser.identityUserId), entity: s("identity-link"), ...encodeUser(newUser) }),
          this.putNew({ ...usernameItemKey(newUser.usernameKey), entity: s("username"), ...encodeUser(newUser) }),
        );
      } else {
        // The user must exist and have its counts; the credential is counted in the same transaction.
        items.push({
          Update: {
            TableName: this.tableName,
            Key: profileKey(credential.userHandle),
            UpdateExpression: "SET #total = #total + :one, #enabled = #enabled + :enabled",
            ConditionExpression: "attribute_exists(#enabled)",
            ExpressionAttributeNames: { "#total": CREDENTIAL_COUNT, "#enabled": ENABLED_COUNT },
            ExpressionAttributeValues: { ":one": n(1), ":enabled": n(credential.enabled ? 1 : 0) },
            ReturnValuesOnConditionCheckFailure: "ALL_OLD",
          },
        });
      }
      const namePut = items.length;
      items.push(this.putNew(nameItem(credential.userHandle, credential.name, credential.credentialId)));

      // The SDK gives the request a ClientRequestToken, so its own retry of a transaction whose answer
      // was lost is answered "done" by DynamoDB instead of failing the conditions on our own items.
      const cancelled = await this.transact(items, operation);
      if (cancelled === null) return "added";
      const failed = (index: number): boolean => cancelled.codes[index] === "ConditionalCheckFailed";
      // Checked in the in-memory store's order: a taken credential id wins over a taken user, which
      // wins over a taken username (the same user signing up twice has its own username too), which
      // wins over a taken passkey name.
      if (failed(CREDENTIAL_PUT)) return "credential_exists";
      if (newUser !== undefined && (failed(PROFILE_PUT) || failed(LINK_PUT))) return "user_exists";
      if (newUser !== undefined && failed(USERNAME_PUT)) return "username_taken";
      if (newUser === undefined && failed(PROFILE_PUT)) {
        if (profileRefusal(cancelled.olds[PROFILE_PUT]) === "no_user") return "user_not_found";
        await this.initialiseCounts(credential.userHandle, operation);
        return new Again(cancelled.error);
      }
      if (failed(namePut)) return "name_taken";
      return this.unexplained(cancelled, operation);
    });
  }

  async findCredential(credentialId: string): Promise<StoredCredential | null> {
    const item = await this.getItem(credentialKey(credentialId), "find credential");
    return item === undefined ? null : decodeCredential(this.tableName, item);
  }

  async listCredentials(userHandle: string): Promise<StoredCredential[]> {
    const ids = await this.pointedCredentialIds(userHandle, "list credentials");
    const found = await this.batchGetCredentials(ids, "list credentials");
    // A pointer whose credential is missing (a hand-deleted item) is skipped rather than failing the whole list.
    return ids.flatMap((id) => {
      const item = found.get(id);
      return item === undefined ? [] : [decodeCredential(this.tableName, item)];
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
          // A credential disabled since the sign-in read it records nothing: the disable wins the race.
          ConditionExpression: "attribute_exists(#pk) AND #counter = :expected AND (attribute_not_exists(#enabled) OR #enabled = :true)",
          ExpressionAttributeNames: {
            "#pk": PK,
            "#counter": "counter",
            "#backupState": "backupState",
            "#lastUsedAt": "lastUsedAt",
            "#writeToken": WRITE_TOKEN,
            "#enabled": "enabled",
          },
          ExpressionAttributeValues: {
            ":counter": n(update.counter),
            ":backupState": bool(update.backupState),
            ":lastUsedAt": n(update.lastUsedAt),
            ":writeToken": s(writeToken),
            ":expected": n(expectedCounter),
            ":true": bool(true),
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

  async updateCredential(userHandle: string, credentialId: string, change: CredentialChange, rule: LockoutRule): Promise<UpdateCredentialOutcome> {
    const operation = "update credential";
    return this.untilDecided(operation, async () => {
      const item = await this.getItem(credentialKey(credentialId), operation);
      const current = item === undefined ? null : decodeCredential(this.tableName, item);
      if (item === undefined || current === null || current.userHandle !== userHandle) return "not_found";
      const updated: StoredCredential = { ...current, name: change.name ?? current.name, enabled: change.enabled ?? current.enabled };
      if (updated.name === current.name && updated.enabled === current.enabled) return current;

      const unchanged = unchangedCredential(current, item);
      const items: TransactWriteItem[] = [
        {
          Update: {
            TableName: this.tableName,
            Key: credentialKey(credentialId),
            UpdateExpression: "SET #name = :name, #enabled = :enabled",
            ConditionExpression: unchanged.condition,
            ExpressionAttributeNames: unchanged.names,
            ExpressionAttributeValues: { ...unchanged.values, ":name": s(updated.name), ":enabled": bool(updated.enabled) },
          },
        },
      ];
      // Every change goes through the PROFILE: its counts, or at least the check that it has them (a
      // profile from before them has no name items either: ADR 0018).
      const profile = items.length;
      const delta = Number(updated.enabled) - Number(current.enabled);
      items.push(delta === 0 ? this.checkCounted(userHandle) : this.countChange(userHandle, { total: 0, enabled: delta }, rule.keepOneEnabled && delta < 0));
      let namePut = -1;
      let nameDelete = -1;
      if (passkeyNameKey(updated.name) !== passkeyNameKey(current.name)) {
        namePut = items.push(this.putNew(nameItem(userHandle, updated.name, credentialId))) - 1;
        nameDelete = items.push(this.deleteName(userHandle, current.name, credentialId)) - 1;
      }

      const cancelled = await this.transact(items, operation);
      if (cancelled === null) return updated;
      const failed = (index: number): boolean => cancelled.codes[index] === "ConditionalCheckFailed";
      // Changed since it was read (renamed, toggled, deleted): read it again.
      if (failed(0)) return new Again(cancelled.error);
      const refusal = failed(profile) ? profileRefusal(cancelled.olds[profile]) : null;
      if (refusal === "no_user") return "not_found";
      if (refusal === "legacy") {
        await this.initialiseCounts(userHandle, operation);
        return new Again(cancelled.error);
      }
      if (failed(namePut)) return "name_taken";
      if (refusal === "rule") return "last_credential";
      if (failed(nameDelete)) throw new Error(`the name item of credential ${credentialId} belongs to another credential`);
      return this.unexplained(cancelled, operation);
    });
  }

  async deleteCredential(userHandle: string, credentialId: string, rule: LockoutRule): Promise<DeleteCredentialOutcome> {
    const operation = "delete credential";
    return this.untilDecided(operation, async () => {
      const item = await this.getItem(credentialKey(credentialId), operation);
      const current = item === undefined ? null : decodeCredential(this.tableName, item);
      if (item === undefined || current === null || current.userHandle !== userHandle) return "not_found";

      const unchanged = unchangedCredential(current, item);
      const items: TransactWriteItem[] = [
        {
          Delete: {
            TableName: this.tableName,
            Key: credentialKey(credentialId),
            ConditionExpression: unchanged.condition,
            ExpressionAttributeNames: unchanged.names,
            ExpressionAttributeValues: unchanged.values,
          },
        },
        { Delete: { TableName: this.tableName, Key: pointerKey(current) } },
        this.countChange(userHandle, { total: -1, enabled: current.enabled ? -1 : 0 }, rule.keepOneEnabled && current.enabled),
        this.deleteName(userHandle, current.name, credentialId),
      ];
      const PROFILE = 2;
      const NAME = 3;

      const cancelled = await this.transact(items, operation);
      if (cancelled === null) return "deleted";
      const failed = (index: number): boolean => cancelled.codes[index] === "ConditionalCheckFailed";
      if (failed(0)) return new Again(cancelled.error);
      if (failed(PROFILE)) {
        const refusal = profileRefusal(cancelled.olds[PROFILE]);
        if (refusal === "no_user") return "not_found";
        if (refusal === "rule") return "last_credential";
        await this.initialiseCounts(userHandle, operation);
        return new Again(cancelled.error);
      }
      if (failed(NAME)) throw new Error(`the name item of credential ${credentialId} belongs to another credential`);
      return this.unexplained(cancelled, operation);
    });
  }

  async updateUser(userHandle: string, change: ProfileChange): Promise<UpdateUserOutcome> {
    const operation = "update user";
    // Set when the old USERNAME item turns out to be another user's (two legacy users with one key, ADR 0017).
    let oldUsernameItemIsTheirs = false;
    return this.untilDecided(operation, async () => {
      const item = await this.getItem(profileKey(userHandle), operation);
      if (item === undefined) return "not_found";
      const user = decodeUser(this.tableName, item);
      const updated: UserAccount = {
        ...user,
        username: change.username?.username ?? user.username,
        usernameKey: change.username?.usernameKey ?? user.usernameKey,
        displayName: change.displayName ?? user.displayName,
      };
      if (updated.username === user.username && updated.usernameKey === user.usernameKey && updated.displayName === user.displayName) return user;

      const mine = { ConditionExpression: "attribute_not_exists(#pk) OR #userHandle = :userHandle", ExpressionAttributeNames: { "#pk": PK, "#userHandle": "userHandle" }, ExpressionAttributeValues: { ":userHandle": s(userHandle) } };
      // Compare-and-set on what was read, so that two concurrent updates of one user cannot interleave.
      const storedKey = new ItemReader(this.tableName, item).optionalString("usernameKey");
      const items: TransactWriteItem[] = [
        {
          Update: {
            TableName: this.tableName,
            Key: profileKey(userHandle),
            UpdateExpression: "SET #username = :username, #usernameKey = :usernameKey, #displayName = :displayName, #origin = :origin",
            ConditionExpression: `#username = :readUsername AND #displayName = :readDisplayName AND ${storedKey === undefined ? "attribute_not_exists(#usernameKey)" : "#usernameKey = :readUsernameKey"}`,
            ExpressionAttributeNames: { "#username": "username", "#usernameKey": "usernameKey", "#displayName": "displayName", "#origin": "origin" },
            ExpressionAttributeValues: {
              ":username": s(updated.username),
              ":usernameKey": s(updated.usernameKey),
              ":displayName": s(updated.displayName),
              ":origin": s(updated.origin),
              ":readUsername": s(user.username),
              ":readDisplayName": s(user.displayName),
              ...(storedKey === undefined ? {} : { ":readUsernameKey": s(storedKey) }),
            },
          },
        },
        { Put: { TableName: this.tableName, Item: { ...linkKey(user.identityUserId), entity: s("identity-link"), ...encodeUser(updated) }, ...mine } },
      ];
      const LINK = 1;
      const USERNAME = 2;
      const usernameItem = { ...usernameItemKey(updated.usernameKey), entity: s("username"), ...encodeUser(updated) };
      let oldUsernameDelete = -1;
      if (updated.usernameKey === user.usernameKey) {
        // A change of case keeps the key: the one item is rewritten (a transaction may not touch an item twice).
        items.push({ Put: { TableName: this.tableName, Item: usernameItem, ...mine } });
      } else {
        items.push(this.putNew(usernameItem));
        if (!oldUsernameItemIsTheirs) oldUsernameDelete = items.push({ Delete: { TableName: this.tableName, Key: usernameItemKey(user.usernameKey), ...mine } }) - 1;
      }

      const cancelled = await this.transact(items, operation);
      if (cancelled === null) return updated;
      const failed = (index: number): boolean => cancelled.codes[index] === "ConditionalCheckFailed";
      if (failed(0)) return new Again(cancelled.error);
      if (failed(USERNAME)) return "username_taken";
      if (failed(oldUsernameDelete)) {
        oldUsernameItemIsTheirs = true;
        return new Again(cancelled.error);
      }
      if (failed(LINK)) throw new Error(`the identity link of ${user.identityUserId} belongs to another user`);
      return this.unexplained(cancelled, operation);
    });
  }

  async deleteUser(userHandle: string): Promise<DeleteUserOutcome> {
    const operation = "delete user";
    let found = false;
    // Set when the LINK or USERNAME item the profile names turns out to be another user's.
    const theirs = { link: false, username: false };
    // Rounds that made progress are not counted: a user with many credentials takes many of them.
    for (let contended = 0; ; ) {
      const step = await this.deleteUserStep(userHandle, theirs, operation);
      if (step === "nothing_left") return found ? "deleted" : "not_found";
      found = true;
      if (step === "deleted") return "deleted";
      if (step instanceof Again) {
        contended++;
        if (contended >= this.maxTransactionAttempts) throw new StorageUnavailableError(operation, true, step.cause);
        await backOff(contended);
      }
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

  /**
   * A Scan of the table, strongly consistent, filtered to the PROFILE items (`pk` USER#…, `sk` PROFILE:
   * by key, not by `entity`, so that profiles written before it are listed too), in DynamoDB's own order
   * (by the partition key's hash), which does not depend on where a Scan starts. Scan requests follow
   * one another until the page has `limit` users or the table ends; the cursor names the page's last
   * user, whose PROFILE key is where the next page's Scan starts (it need not exist by then: DynamoDB
   * starts from the key's place). Each request evaluates at most `max(limit, MIN_SCAN_ITEMS)` items
   * (`scanPageSize` in tests): what the last one read past the page's last user is read again by the
   * next page, so that bounds the waste, while the floor keeps small pages from taking a request per item.
   */
  async listUsers(page: { readonly limit: number; readonly cursor: string | null }): Promise<Result<UserPage, "cursor_invalid">> {
    checkUserPageLimit(page.limit);
    const operation = "list users";
    let startKey: Item | undefined;
    if (page.cursor !== null) {
      const after = decodeUserCursor(page.cursor);
      if (after === null) return err("cursor_invalid");
      startKey = profileKey(after);
    }
    const users: UserAccount[] = [];
    for (;;) {
      let response;
      try {
        response = await this.client.send(
          new ScanCommand({
            TableName: this.tableName,
            FilterExpression: "#sk = :profile AND begins_with(#pk, :user)",
            ExpressionAttributeNames: { "#pk": PK, "#sk": SK },
            ExpressionAttributeValues: { ":profile": s(PROFILE_SK), ":user": s(userPartition("")) },
            ConsistentRead: true,
            Limit: this.scanPageSize ?? Math.max(page.limit, MIN_SCAN_ITEMS),
            ExclusiveStartKey: startKey,
          }),
        );
      } catch (error) {
        throw storageFault(error, operation);
      }
      const items = response.Items ?? [];
      for (const [index, item] of items.entries()) {
        users.push(decodeUser(this.tableName, item));
        if (users.length === page.limit) {
          const more = index < items.length - 1 || response.LastEvaluatedKey !== undefined;
          const handle = new ItemReader(this.tableName, item).string(PK).slice(userPartition("").length);
          return ok({ users, nextCursor: more ? encodeUserCursor(handle) : null });
        }
      }
      if (response.LastEvaluatedKey === undefined) return ok({ users, nextCursor: null });
      startKey = response.LastEvaluatedKey;
    }
  }

  /**
   * One step of `deleteUser`: delete what is left of the credentials (with pointers and name items), or,
   * once none is left, the user items in one transaction that checks no credential was added meanwhile.
   */
  private async deleteUserStep(userHandle: string, theirs: { link: boolean; username: boolean }, operation: string): Promise<"nothing_left" | "deleted" | "progress" | Again> {
    // The PROFILE is read before the partition: a credential added after the partition was read has
    // changed the count by the time the last transaction checks it.
    const profile = await this.getItem(profileKey(userHandle), operation);
    const partition = await this.partitionItems(userHandle, null, operation);
    const pointers = partition.filter((item) => item[SK]?.S?.startsWith(POINTER_PREFIX) === true);
    const names = partition.filter((item) => item[SK]?.S?.startsWith(NAME_PREFIX) === true);
    if (profile === undefined && pointers.length === 0 && names.length === 0) return "nothing_left";
    if (profile !== undefined && profile[ENABLED_COUNT] === undefined) {
      await this.initialiseCounts(userHandle, operation);
      return "progress";
    }
    if (pointers.length > 0 || names.length > 0) {
      const cancelled = await this.deleteCredentialsOf(userHandle, profile !== undefined, pointers, names, operation);
      return cancelled === null ? "progress" : this.retryUnlessBug(cancelled, operation);
    }
    if (profile === undefined) return "nothing_left";

    const user = decodeUser(this.tableName, profile);
    const readCount = new ItemReader(this.tableName, profile).number(CREDENTIAL_COUNT);
    const mine = { ConditionExpression: "attribute_not_exists(#pk) OR #userHandle = :userHandle", ExpressionAttributeNames: { "#pk": PK, "#userHandle": "userHandle" }, ExpressionAttributeValues: { ":userHandle": s(userHandle) } };
    const items: TransactWriteItem[] = [
      {
        // The count as read with no credential left: a credential added since has changed it. (Not "= 0":
        // a credential item deleted by hand would leave the count above 0 for ever.)
        Delete: {
          TableName: this.tableName,
          Key: profileKey(userHandle),
          ConditionExpression: "#total = :total",
          ExpressionAttributeNames: { "#total": CREDENTIAL_COUNT },
          ExpressionAttributeValues: { ":total": n(readCount) },
        },
      },
    ];
    const link = theirs.link ? -1 : items.push({ Delete: { TableName: this.tableName, Key: linkKey(user.identityUserId), ...mine } }) - 1;
    const username = theirs.username ? -1 : items.push({ Delete: { TableName: this.tableName, Key: usernameItemKey(user.usernameKey), ...mine } }) - 1;
    const cancelled = await this.transact(items, operation);
    if (cancelled === null) return "deleted";
    const failed = (index: number): boolean => cancelled.codes[index] === "ConditionalCheckFailed";
    // Another user's item is theirs to keep; the next round leaves it out.
    if (failed(link)) theirs.link = true;
    if (failed(username)) theirs.username = true;
    return this.retryUnlessBug(cancelled, operation);
  }

  /**
   * Deletes the credentials the pointers name, with their pointers and name items, and stray name items,
   * in transactions of at most 100 items; each also takes what it deleted off the PROFILE's counts. The
   * first cancellation stops it: what was written stays written, and the caller reads again.
   */
  private async deleteCredentialsOf(userHandle: string, hasProfile: boolean, pointers: readonly Item[], names: readonly Item[], operation: string): Promise<Cancellation | null> {
    const ids = pointers.map((pointer) => new ItemReader(this.tableName, pointer).string("credentialId"));
    const stored = await this.batchGetCredentials(ids, operation);
    const groups: { items: TransactWriteItem[]; total: number; enabled: number }[] = [];
    const namesDeleted = new Set<string>();
    for (const [index, pointer] of pointers.entries()) {
      const item = stored.get(ids[index] ?? "");
      const credential = item === undefined ? null : decodeCredential(this.tableName, item);
      const pointerDelete: TransactWriteItem = { Delete: { TableName: this.tableName, Key: { [PK]: s(userPartition(userHandle)), [SK]: pointer[SK] ?? s("") } } };
      if (item === undefined || credential === null || credential.userHandle !== userHandle) {
        groups.push({ items: [pointerDelete], total: 0, enabled: 0 });
        continue;
      }
      const unchanged = unchangedCredential(credential, item);
      const group: TransactWriteItem[] = [
        { Delete: { TableName: this.tableName, Key: credentialKey(credential.credentialId), ConditionExpression: unchanged.condition, ExpressionAttributeNames: unchanged.names, ExpressionAttributeValues: unchanged.values } },
        pointerDelete,
      ];
      const nameSk = nameSortKey(credential.name);
      if (!namesDeleted.has(nameSk)) {
        namesDeleted.add(nameSk);
        group.push({ Delete: { TableName: this.tableName, Key: nameItemKey(userHandle, credential.name) } });
      }
      groups.push({ items: group, total: 1, enabled: credential.enabled ? 1 : 0 });
    }
    for (const name of names) {
      const sk = name[SK]?.S ?? "";
      if (!namesDeleted.has(sk)) groups.push({ items: [{ Delete: { TableName: this.tableName, Key: { [PK]: s(userPartition(userHandle)), [SK]: s(sk) } } }], total: 0, enabled: 0 });
    }

    // One place in each transaction is kept for the PROFILE's counts.
    const room = MAX_TRANSACTION_ITEMS - 1;
    let batch: typeof groups = [];
    const send = async (): Promise<Cancellation | null> => {
      const items = batch.flatMap((group) => group.items);
      const total = batch.reduce((sum, group) => sum + group.total, 0);
      const enabled = batch.reduce((sum, group) => sum + group.enabled, 0);
      batch = [];
      if (hasProfile && total > 0) items.push(this.countChange(userHandle, { total: -total, enabled: -enabled }, false));
      return this.transact(items, operation);
    };
    for (const group of groups) {
      if (batch.reduce((sum, g) => sum + g.items.length, 0) + group.items.length > room) {
        const cancelled = await send();
        if (cancelled !== null) return cancelled;
      }
      batch.push(group);
    }
    return batch.length === 0 ? null : send();
  }

  /**
   * Gives a PROFILE written before the counts existed its counts, once (ADR 0018): names the user's
   * credentials that have none (with their name items, so that the names are unique from then on), then
   * counts them and sets the counts only if no one has set them yet. Until then every change to the
   * user's credentials is refused by its PROFILE condition, so the counts are exact when they are set.
   */
  private async initialiseCounts(userHandle: string, operation: string): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      const profile = await this.getItem(profileKey(userHandle), operation);
      if (profile === undefined || profile[ENABLED_COUNT] !== undefined) return;
      const partition = await this.partitionItems(userHandle, null, operation);
      const ids = partition.filter((item) => item[SK]?.S?.startsWith(POINTER_PREFIX) === true).map((item) => new ItemReader(this.tableName, item).string("credentialId"));
      const stored = await this.batchGetCredentials(ids, operation);
      const credentials = ids.flatMap((id) => {
        const item = stored.get(id);
        const credential = item === undefined ? null : decodeCredential(this.tableName, item);
        return item === undefined || credential === null || credential.userHandle !== userHandle ? [] : [{ item, credential }];
      });
      // Names taken: every name item there is (a stray one included), and so every name already stored.
      const taken = new Set(partition.flatMap((item) => (item[SK]?.S?.startsWith(NAME_PREFIX) === true ? [item[SK]?.S ?? ""] : [])));
      const groups: TransactWriteItem[][] = [];
      for (const { item, credential } of credentials) {
        if (item.name !== undefined) continue;
        // "Passkey 1a2b3c4d", or "Passkey 1a2b3c4d (2)" in the unlikely case that two ids begin alike.
        let name = credential.name;
        for (let number = 2; taken.has(nameSortKey(name)); number++) name = numberedPasskeyName(credential.name, number);
        taken.add(nameSortKey(name));
        groups.push([
          {
            Update: {
              TableName: this.tableName,
              Key: credentialKey(credential.credentialId),
              UpdateExpression: "SET #name = :name, #enabled = if_not_exists(#enabled, :true)",
              ConditionExpression: "attribute_exists(#pk) AND attribute_not_exists(#name)",
              ExpressionAttributeNames: { "#pk": PK, "#name": "name", "#enabled": "enabled" },
              ExpressionAttributeValues: { ":name": s(name), ":true": bool(true) },
            },
          },
          this.putNew(nameItem(userHandle, name, credential.credentialId)),
        ]);
      }
      let cancelled: Cancellation | null = null;
      for (let start = 0; start < groups.length && cancelled === null; start += MAX_TRANSACTION_ITEMS / 2) {
        cancelled = await this.transact(groups.slice(start, start + MAX_TRANSACTION_ITEMS / 2).flat(), operation);
      }
      if (cancelled === null) {
        const enabled = credentials.filter(({ credential }) => credential.enabled).length;
        try {
          await this.client.send(
            new UpdateItemCommand({
              TableName: this.tableName,
              Key: profileKey(userHandle),
              UpdateExpression: "SET #total = :total, #enabled = :enabled",
              ConditionExpression: "attribute_exists(#pk) AND attribute_not_exists(#enabled)",
              ExpressionAttributeNames: { "#pk": PK, "#total": CREDENTIAL_COUNT, "#enabled": ENABLED_COUNT },
              ExpressionAttributeValues: { ":total": n(credentials.length), ":enabled": n(enabled) },
            }),
          );
        } catch (error) {
          // Another call set them first (or the user is gone): either way there is nothing left to do.
          if (!(error instanceof ConditionalCheckFailedException)) throw storageFault(error, operation);
        }
        return;
      }
      // A concurrent initialisation named a credential first: read again.
      const again = this.retryUnlessBug(cancelled, operation);
      if (attempt >= this.maxTransactionAttempts) throw new StorageUnavailableError(operation, true, again.cause);
      await backOff(attempt);
    }
  }

  /** A Put that must create its item: the condition that enforces a uniqueness. */
  private putNew(item: Item): TransactWriteItem {
    return { Put: { TableName: this.tableName, Item: item, ConditionExpression: "attribute_not_exists(#pk)", ExpressionAttributeNames: { "#pk": PK } } };
  }

  /** Checks that the user's PROFILE exists and has its counts; on failure DynamoDB returns it as it is. */
  private checkCounted(userHandle: string): TransactWriteItem {
    return {
      ConditionCheck: {
        TableName: this.tableName,
        Key: profileKey(userHandle),
        ConditionExpression: "attribute_exists(#enabled)",
        ExpressionAttributeNames: { "#enabled": ENABLED_COUNT },
        ReturnValuesOnConditionCheckFailure: "ALL_OLD",
      },
    };
  }

  /**
   * Changes the PROFILE's counts; the condition requires the counts to exist and, with `keepOneEnabled`,
   * another enabled credential to remain. DynamoDB serialises transactions on the item, so of two
   * concurrent changes that would each take the count from 2 to 1, the second finds 1 and is refused.
   */
  private countChange(userHandle: string, delta: { total: number; enabled: number }, keepOneEnabled: boolean): TransactWriteItem {
    return {
      Update: {
        TableName: this.tableName,
        Key: profileKey(userHandle),
        UpdateExpression: "SET #total = #total + :total, #enabled = #enabled + :enabled",
        ConditionExpression: keepOneEnabled ? "#enabled > :one" : "attribute_exists(#enabled)",
        ExpressionAttributeNames: { "#total": CREDENTIAL_COUNT, "#enabled": ENABLED_COUNT },
        ExpressionAttributeValues: { ":total": n(delta.total), ":enabled": n(delta.enabled), ...(keepOneEnabled ? { ":one": n(1) } : {}) },
        ReturnValuesOnConditionCheckFailure: "ALL_OLD",
      },
    };
  }

  /** Deletes the name item of `name`, unless another credential holds it (a failed condition, a bug). */
  private deleteName(userHandle: string, name: string, credentialId: string): TransactWriteItem {
    return {
      Delete: {
        TableName: this.tableName,
        Key: nameItemKey(userHandle, name),
        ConditionExpression: "attribute_not_exists(#pk) OR #credentialId = :credentialId",
        ExpressionAttributeNames: { "#pk": PK, "#credentialId": "credentialId" },
        ExpressionAttributeValues: { ":credentialId": s(credentialId) },
      },
    };
  }

  /**
   * Runs `round` until it decides. A round that returns `Again` wrote nothing (it lost to another
   * transaction, or found the items changed since it read them) and is run again after a backoff, up to
   * `maxTransactionAttempts` rounds; then the store is too contended to serve, a retryable fault.
   */
  private async untilDecided<T>(operation: string, round: () => Promise<T | Again>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      const outcome = await round();
      if (!(outcome instanceof Again)) return outcome;
      if (attempt >= this.maxTransactionAttempts) throw new StorageUnavailableError(operation, true, outcome.cause);
      await backOff(attempt);
    }
  }

  /** A cancellation that failed conditions (the items changed meanwhile) or lost to another transaction: read again. */
  private retryUnlessBug(cancelled: Cancellation, operation: string): Again {
    if (cancelled.codes.includes("ConditionalCheckFailed")) return new Again(cancelled.error);
    return this.unexplained(cancelled, operation);
  }

  /** A cancellation no condition explains: lost to another transaction (try again), a fault, or a bug. */
  private unexplained(cancelled: Cancellation, operation: string): Again {
    // Another transaction held one of the items (a concurrent sign-up of the same user, say).
    // Nothing was written; once it is done our conditions decide, so we try again.
    if (cancelled.codes.includes("TransactionConflict")) return new Again(cancelled.error);
    if (cancelled.codes.every((code) => TRANSIENT_CODES.has(code))) throw new StorageUnavailableError(operation, true, cancelled.error);
    // A ValidationError (an item too large, say) is a bug, not an outage.
    throw cancelled.error;
  }

  /** Sends a transaction: `null` once written, or why DynamoDB cancelled it; faults are thrown. */
  private async transact(items: TransactWriteItem[], operation: string): Promise<Cancellation | null> {
    try {
      await this.client.send(new TransactWriteItemsCommand({ TransactItems: items }));
      return null;
    } catch (error) {
      if (!(error instanceof TransactionCanceledException)) throw storageFault(error, operation);
      const reasons = error.CancellationReasons ?? [];
      return { codes: reasons.map((reason) => reason.Code ?? "None"), olds: reasons.map((reason) => reason.Item), error };
    }
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
  private async pointedCredentialIds(userHandle: string, operation: string): Promise<string[]> {
    const pointers = await this.partitionItems(userHandle, POINTER_PREFIX, operation);
    return pointers.map((item) => new ItemReader(this.tableName, item).string("credentialId"));
  }

  /** The items of the user's partition (those whose sort key starts with `prefix`, if given), in sort key order, over every Query page. */
  private async partitionItems(userHandle: string, prefix: string | null, operation: string): Promise<Item[]> {
    const items: Item[] = [];
    let startKey: Item | undefined;
    do {
      let page;
      try {
        page = await this.client.send(
          new QueryCommand({
            TableName: this.tableName,
            KeyConditionExpression: prefix === null ? "#pk = :pk" : "#pk = :pk AND begins_with(#sk, :prefix)",
            ExpressionAttributeNames: prefix === null ? { "#pk": PK } : { "#pk": PK, "#sk": SK },
            ExpressionAttributeValues: prefix === null ? { ":pk": s(userPartition(userHandle)) } : { ":pk": s(userPartition(userHandle)), ":prefix": s(prefix) },
            ConsistentRead: true,
            Limit: this.queryPageSize,
            ExclusiveStartKey: startKey,
          }),
        );
      } catch (error) {
        throw storageFault(error, operation);
      }
      items.push(...(page.Items ?? []));
      startKey = page.LastEvaluatedKey;
    } while (startKey !== undefined);
    return items;
  }

  /** The credential items with these ids that exist, in chunks of at most 100 keys, retrying unprocessed keys with backoff. */
  private async batchGetCredentials(ids: readonly string[], operation: string): Promise<Map<string, Item>> {
    const found = new Map<string, Item>();
    // BatchGetItem rejects a request that names one key twice.
    const unique = [...new Set(ids)];
    for (let start = 0; start < unique.length; start += this.batchGetSize) {
      let keys: Item[] = unique.slice(start, start + this.batchGetSize).map(credentialKey);
      for (let round = 1; keys.length > 0; round++) {
        if (round > this.maxBatchGetRounds) {
          throw new StorageUnavailableError(operation, true, new Error(`${keys.length} keys still unprocessed after ${this.maxBatchGetRounds} rounds`));
        }
        if (round > 1) await backOff(round - 1);
        let response;
        try {
          response = await this.client.send(new BatchGetItemCommand({ RequestItems: { [this.tableName]: { Keys: keys, ConsistentRead: true } } }));
        } catch (error) {
          throw storageFault(error, operation);
        }
        for (const item of response.Responses?.[this.tableName] ?? []) found.set(new ItemReader(this.tableName, item).string("credentialId"), item);
        keys = response.UnprocessedKeys?.[this.tableName]?.Keys ?? [];
      }
    }
    return found;
  }
}


/**
 * The condition that a credential item is still as it was read: there, the user's, with the same name
 * and enabled state (or still without them, for an item written before they existed). A change that
 * counts or names it relies on this, so that the PROFILE's counts and the name items stay exact.
 */
function unchangedCredential(current: StoredCredential, item: Item): { condition: string; names: Record<string, string>; values: Record<string, AttributeValue> } {
  const parts = ["attribute_exists(#pk)", "#userHandle = :readUserHandle"];
  const values: Record<string, AttributeValue> = { ":readUserHandle": s(current.userHandle) };
  if (item.name === undefined) parts.push("attribute_not_exists(#name)");
  else {
    parts.push("#name = :readName");
    values[":readName"] = s(current.name);
  }
  if (item.enabled === undefined) parts.push("attribute_not_exists(#enabled)");
  else {
    parts.push("#enabled = :readEnabled");
    values[":readEnabled"] = bool(current.enabled);
  }
  return { condition: parts.join(" AND "), names: { "#pk": PK, "#userHandle": "userHandle", "#name": "name", "#enabled": "enabled" }, values };
}

/** Exponential backoff with full jitter (25 ms, 50 ms, 100 ms… capped at 1 s), so that racing callers spread out. */
function backOff(attempt: number): Promise<void> {
  const ceiling = Math.min(1_000, 25 * 2 ** (attempt - 1));
  return new Promise((resolve) => setTimeout(resolve, Math.random() * ceiling));
}

function pointerKey(credential: StoredCredential): Item {
  return { [PK]: s(userPartition(credential.userHandle)), [SK]: s(pointerSortKey(credential)) };
}

function encodePointer(credential: StoredCredential): Item {
  return { ...pointerKey(credential), entity: s("credential-pointer"), credentialId: s(credential.credentialId) };
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
    attestation: encodeAttestation(credential.attestation),
    backupEligible: bool(credential.backupEligible),
    backupState: bool(credential.backupState),
    userVerifiedAtRegistration: bool(credential.userVerifiedAtRegistration),
    createdAt: n(credential.createdAt),
    lastUsedAt: nullable(credential.lastUsedAt, n),
    name: s(credential.name),
    enabled: bool(credential.enabled),
    registrationMediation: s(credential.registrationMediation),
  };
}

/** The attestation as one map attribute (ADR 0027); the key identifier and certification level only when known. */
function encodeAttestation(attestation: StoredAttestation): AttributeValue {
  return {
    M: {
      format: s(attestation.format),
      type: s(attestation.type),
      trusted: bool(attestation.trusted),
      aaguid: s(attestation.aaguid),
      ...(attestation.keyIdentifier === undefined ? {} : { keyIdentifier: s(attestation.keyIdentifier) }),
      ...(attestation.certificationLevel === undefined ? {} : { certificationLevel: s(attestation.certificationLevel) }),
    },
  };
}

const KEY_IDENTIFIER = /^[0-9a-f]{40}$/;
const isKeyIdentifier = (value: string): value is string => KEY_IDENTIFIER.test(value);

/** A credential stored before attestation was recorded has none: it reads as `legacyAttestation`. */
function decodeAttestation(table: string, item: Item, format: StoredCredential["attestationFormat"], aaguid: string): StoredAttestation {
  const stored = item.attestation;
  if (stored === undefined) return legacyAttestation(format, aaguid);
  const read = new ItemReader(`${table} (attestation)`, stored.M ?? {});
  const keyIdentifier = read.optionalString("keyIdentifier");
  const certificationLevel = read.optionalString("certificationLevel");
  return {
    format: read.checked("format", read.string("format"), isAttestationFormatId, "an attestation format identifier"),
    type: read.oneOf("type", read.string("type"), ATTESTATION_TYPES),
    trusted: read.boolean("trusted"),
    aaguid: read.string("aaguid"),
    ...(keyIdentifier === undefined ? {} : { keyIdentifier: read.checked("keyIdentifier", keyIdentifier, isKeyIdentifier, "a key identifier (40 lower-case hex digits)") }),
    ...(certificationLevel === undefined ? {} : { certificationLevel: read.oneOf("certificationLevel", certificationLevel, CERTIFICATION_LEVELS) }),
  };
}

function decodeCredential(table: string, item: Item): StoredCredential {
  const read = new ItemReader(table, item);
  const credentialId = read.string("credentialId");
  const aaguid = read.string("aaguid");
  const attestationFormat = read.checked("attestationFormat", read.string("attestationFormat"), isAttestationFormatId, "an attestation format identifier");
  return {
    credentialId,
    userHandle: read.string("userHandle"),
    identityUserId: read.string("identityUserId"),
    publicKey: read.bytes("publicKey"),
    algorithm: read.oneOf("algorithm", read.number("algorithm"), SUPPORTED_ALGORITHMS),
    counter: read.number("counter"),
    // Transports are hints: any stored value WebAuthn does not define is dropped, as the parser drops it.
    transports: parseTransports(read.stringList("transports")),
    aaguid,
    attestationFormat,
    attestation: decodeAttestation(table, item, attestationFormat, aaguid),
    backupEligible: read.boolean("backupEligible"),
    backupState: read.boolean("backupState"),
    userVerifiedAtRegistration: read.boolean("userVerifiedAtRegistration"),
    createdAt: read.number("createdAt"),
    lastUsedAt: read.nullableNumber("lastUsedAt"),
    // Credentials stored before passkeys had names and could be disabled (ADR 0018).
    name: read.optionalString("name") ?? legacyPasskeyName(credentialId),
    enabled: read.optionalBoolean("enabled") ?? true,
    // Credentials stored before automatic passkey upgrades were all made with the browser's prompt (ADR 0025).
    registrationMediation: read.oneOf("registrationMediation", read.optionalString("registrationMediation") ?? "modal", REGISTRATION_MEDIATIONS),
  };
}

const ACCOUNT_ORIGINS: readonly AccountOrigin[] = ["passkey_sign_up", "identity_provider"];

/**
 * A user's attributes, shared by the PROFILE, the LINK and the USERNAME item; `updateUser` rewrites all
 * three in one transaction (and moves the USERNAME item when the key changes: ADR 0017), so the copies
 * never drift apart. The PROFILE alone also carries the counts (ADR 0018).
 */
function encodeUser(user: UserAccount): Item {
  return {
    userHandle: s(user.userHandle),
    identityUserId: s(user.identityUserId),
    username: s(user.username),
    usernameKey: s(user.usernameKey),
    displayName: s(user.displayName),
    createdAt: n(user.createdAt),
    origin: s(user.origin),
  };
}

function decodeUser(table: string, item: Item): UserAccount {
  const read = new ItemReader(table, item);
  const username = read.string("username");
  const userHandle = read.string("userHandle");
  const identityUserId = read.string("identityUserId");
  const origin = read.optionalString("origin");
  return {
    userHandle,
    identityUserId,
    username,
    // Users stored before usernames were unique have no usernameKey (and no USERNAME item): their key is
    // computed from the stored username as sign-up computes it, prepared first where it can be (names
    // stored before ADR 0015 were not), so that "Ａｌｉｃｅ" keys as "alice" (ADR 0017).
    usernameKey: read.optionalString("usernameKey") ?? usernameKey(prepareUsername(username) ?? username),
    displayName: read.string("displayName"),
    createdAt: read.number("createdAt"),
    // Users stored before origins: a passkey sign-up made the handle the identity user's name (ADR 0018).
    origin: origin === undefined ? (identityUserId === userHandle ? "passkey_sign_up" : "identity_provider") : read.oneOf("origin", origin, ACCOUNT_ORIGINS),
  };
}
