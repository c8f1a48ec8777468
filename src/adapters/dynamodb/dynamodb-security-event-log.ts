/**
 * Security events in a DynamoDB table of their own (ADR 0020):
 *
 *   pk                  sk                                  what
 *   USER#<userHandle>   EVENT#<at, 16 digits>#<eventId>     an event, every field typed; the key orders the trail
 *   USER#<userHandle>   WINDOW#<windowStart, 16 digits>     a window of the failed-sign-in bound: `calls` so far,
 *                                                           and which event is its suppressed one, once chosen
 *
 * Every item carries `ttl` (epoch seconds): an event's `at`, a window's end, plus the retention period.
 * A listing is one strongly consistent Query of the user's partition, newest first, so it can only
 * ever see that user's items; the cursor names a position inside that partition and nothing else.
 *
 * The flood bound rests on DynamoDB's single-item atomicity: each failed sign-in takes a ticket with one
 * UpdateItem (`ADD calls 1`) on its window item, and the ticket decides: the first `limit` are stored
 * one by one, the rest raise the count of the window's suppressed event, which never goes down.
 */
import { randomUUID } from "node:crypto";
import {
  ConditionalCheckFailedException,
  PutItemCommand,
  QueryCommand,
  UpdateItemCommand,
  type AttributeValue,
  type DynamoDBClient,
} from "@aws-sdk/client-dynamodb";
import { SECURITY_EVENT_TYPES, type FailureBound, type PasskeyReference, type RequestContext, type SecurityEvent } from "../../domain/activity/security-events.js";
import type { EpochMillis } from "../../domain/model.js";
import { err, ok, type Result } from "../../domain/result.js";
import type { ListEventsError, SecurityEventLog, SecurityEventPage } from "../../ports/security-event-log.js";
import { ItemReader, n, nullable, s, stringList, type Item } from "./attribute-values.js";
import { EVENT_TABLE } from "./dynamodb-tables.js";
import { MalformedItemError, storageFault } from "./storage-faults.js";
import { decodeEventCursor, encodeEventCursor } from "../common/event-cursor.js";

export interface DynamoDbSecurityEventLogOptions {
  readonly client: DynamoDBClient;
  readonly tableName: string;
  /** How long an item is kept after its event (or its window's end): EVENT_RETENTION_DAYS. */
  readonly retentionMs: number;
  /** Items per Query request; DynamoDB's 1 MB pages by default. Tests set it small to exercise paging. */
  readonly queryPageSize?: number;
}

type FailedSignIn = Extract<SecurityEvent, { type: "sign_in.failed" }>;
type Suppressed = Extract<SecurityEvent, { type: "sign_in.failed_suppressed" }>;

const PK = EVENT_TABLE.partitionKey.name;
const SK = EVENT_TABLE.sortKey.name;
const TTL = EVENT_TABLE.timeToLiveAttribute;
const EVENT_PREFIX = "EVENT#";
const WINDOW_PREFIX = "WINDOW#";
/** On a window item: failed sign-ins in the window so far, stored or counted. */
const CALLS = "calls";
/** On a window item: the id and time of its suppressed event, chosen by the first failure past the limit. */
const SUPPRESSED_ID = "suppressedEventId";
const SUPPRESSED_AT = "suppressedAt";
/** On a window item: which ticket request wrote it last; see `ticket`. */
const WRITE_TOKEN = "writeToken";
const MAX_PAGE = 100;
/** A sort key holds 1024 bytes; with the prefix, a cursor's position must stay well within. */
const MAX_POSITION_BYTES = 1_000;
const ACCOUNT_CHANGES = ["username", "displayName"] as const;

const userPartition = (userHandle: string): string => `USER#${userHandle}`;
const digits = (value: number): string => {
  if (!Number.isSafeInteger(value) || value < 0) throw new RangeError(`${value} is not a time`);
  return String(value).padStart(16, "0");
};
/** The position of an event in its user's trail: `<at, 16 digits>#<eventId>`, what a cursor carries. */
const position = (at: EpochMillis, eventId: string): string => `${digits(at)}#${eventId}`;
const eventKey = (userHandle: string, at: EpochMillis, eventId: string): Item => ({ [PK]: s(userPartition(userHandle)), [SK]: s(EVENT_PREFIX + position(at, eventId)) });
const windowKey = (userHandle: string, windowStart: EpochMillis): Item => ({ [PK]: s(userPartition(userHandle)), [SK]: s(WINDOW_PREFIX + digits(windowStart)) });

export class DynamoDbSecurityEventLog implements SecurityEventLog {
  private readonly client: DynamoDBClient;
  private readonly tableName: string;
  private readonly retentionMs: number;
  private readonly queryPageSize: number | undefined;

  constructor(options: DynamoDbSecurityEventLogOptions) {
    if (!Number.isSafeInteger(options.retentionMs) || options.retentionMs <= 0) throw new RangeError(`retentionMs ${options.retentionMs} is not a positive whole number`);
    this.client = options.client;
    this.tableName = options.tableName;
    this.retentionMs = options.retentionMs;
    this.queryPageSize = options.queryPageSize;
  }

  async append(event: SecurityEvent): Promise<void> {
    try {
      await this.putEvent(event);
    } catch (error) {
      throw storageFault(error, "append event");
    }
  }

  async appendFailure(event: FailedSignIn, bound: FailureBound): Promise<"stored" | "counted"> {
    checkBound(bound);
    const windowStart = Math.floor(event.at / bound.windowMs) * bound.windowMs;
    const windowEnd = windowStart + bound.windowMs;
    try {
      const window = await this.ticket(event.userHandle, windowStart, windowEnd);
      const calls = window.number(CALLS);
      if (calls <= bound.limit) {
        await this.putEvent(event);
        return "stored";
      }
      const chosen = (await this.suppressedEventOf(window, event, windowStart, windowEnd)) ?? { eventId: event.eventId, at: event.at };
      await this.raiseCount({
        type: "sign_in.failed_suppressed",
        eventId: chosen.eventId,
        at: chosen.at,
        userHandle: event.userHandle,
        context: event.context,
        count: calls - bound.limit,
        windowStart,
        windowEnd,
      });
      return "counted";
    } catch (error) {
      throw storageFault(error, "append failed sign-in");
    }
  }

  async listForUser(userHandle: string, page: { readonly limit: number; readonly cursor: string | null }): Promise<Result<SecurityEventPage, ListEventsError>> {
    checkLimit(page.limit);
    let start: Item | undefined;
    if (page.cursor !== null) {
      const after = decodeEventCursor(page.cursor, userHandle, MAX_POSITION_BYTES);
      if (after === null) return err("cursor_invalid");
      start = { [PK]: s(userPartition(userHandle)), [SK]: s(EVENT_PREFIX + after) };
    }
    // One more than the page, so that the last page says so (nextCursor null) instead of leading to an empty one.
    const wanted = page.limit + 1;
    const items: Item[] = [];
    try {
      do {
        const answer = await this.client.send(
          new QueryCommand({
            TableName: this.tableName,
            KeyConditionExpression: "#pk = :pk AND begins_with(#sk, :events)",
            ExpressionAttributeNames: { "#pk": PK, "#sk": SK },
            ExpressionAttributeValues: { ":pk": s(userPartition(userHandle)), ":events": s(EVENT_PREFIX) },
            ScanIndexForward: false,
            ConsistentRead: true,
            Limit: Math.min(wanted - items.length, this.queryPageSize ?? MAX_PAGE + 1),
            ExclusiveStartKey: start,
          }),
        );
        items.push(...(answer.Items ?? []));
        start = answer.LastEvaluatedKey;
        // A page may end early (DynamoDB's 1 MB per request): go on until the page is full or the trail is over.
      } while (start !== undefined && items.length < wanted);
    } catch (error) {
      throw storageFault(error, "list events");
    }
    const taken = items.slice(0, page.limit);
    const events = taken.map((item) => decodeEvent(this.tableName, item, userHandle));
    const last = taken.at(-1);
    const nextCursor = items.length > page.limit && last !== undefined ? encodeEventCursor(userHandle, new ItemReader(this.tableName, last).string(SK).slice(EVENT_PREFIX.length)) : null;
    return ok({ events, nextCursor });
  }

  /**
   * Stores the event once: a put only where no item is, so that a repeated append (or the SDK's retry
   * of one whose answer was lost) leaves the first in place and is still a success.
   */
  private async putEvent(event: SecurityEvent): Promise<void> {
    try {
      await this.client.send(
        new PutItemCommand({
          TableName: this.tableName,
          Item: encodeEvent(event, this.ttl(event.at)),
          ConditionExpression: "attribute_not_exists(#pk)",
          ExpressionAttributeNames: { "#pk": PK },
        }),
      );
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
  }

  /**
   * Takes this failure's ticket: one atomic increment of the window's `calls`, answering the window as
   * it is after it. The SDK resends a request whose answer was lost, which would take a second ticket
   * for one failure; the write token makes the resent request fail its condition instead, and the
   * window it then returns is the one our first attempt left.
   */
  private async ticket(userHandle: string, windowStart: EpochMillis, windowEnd: EpochMillis): Promise<ItemReader> {
    const token = randomUUID();
    try {
      const { Attributes: window } = await this.client.send(
        new UpdateItemCommand({
          TableName: this.tableName,
          Key: windowKey(userHandle, windowStart),
          UpdateExpression: "ADD #calls :one SET #ttl = :ttl, #entity = :entity, #token = :token",
          ConditionExpression: "attribute_not_exists(#token) OR #token <> :token",
          ExpressionAttributeNames: { "#calls": CALLS, "#ttl": TTL, "#entity": "entity", "#token": WRITE_TOKEN },
          ExpressionAttributeValues: { ":one": n(1), ":ttl": n(this.ttl(windowEnd)), ":entity": s("failure-window"), ":token": s(token) },
          ReturnValues: "ALL_NEW",
          ReturnValuesOnConditionCheckFailure: "ALL_OLD",
        }),
      );
      return new ItemReader(this.tableName, window ?? {});
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException && error.Item?.[WRITE_TOKEN]?.S === token) return new ItemReader(this.tableName, error.Item);
      throw error;
    }
  }

  /**
   * The id and time of the window's suppressed event: as the window already names them, or else this
   * failure's, unless another failure got there first (`if_not_exists`: the first one past the limit
   * to ask wins, and every later one gets its answer).
   */
  private async suppressedEventOf(window: ItemReader, event: FailedSignIn, windowStart: EpochMillis, windowEnd: EpochMillis): Promise<{ eventId: string; at: EpochMillis } | null> {
    const eventId = window.optionalString(SUPPRESSED_ID);
    const at = window.optionalNumber(SUPPRESSED_AT);
    if (eventId !== undefined && at !== undefined) return { eventId, at };
    const { Attributes: chosen } = await this.client.send(
      new UpdateItemCommand({
        TableName: this.tableName,
        Key: windowKey(event.userHandle, windowStart),
        UpdateExpression: "SET #id = if_not_exists(#id, :id), #at = if_not_exists(#at, :at), #ttl = :ttl",
        ExpressionAttributeNames: { "#id": SUPPRESSED_ID, "#at": SUPPRESSED_AT, "#ttl": TTL },
        ExpressionAttributeValues: { ":id": s(event.eventId), ":at": n(event.at), ":ttl": n(this.ttl(windowEnd)) },
        ReturnValues: "ALL_NEW",
      }),
    );
    if (chosen === undefined) return null;
    const read = new ItemReader(this.tableName, chosen);
    return { eventId: read.string(SUPPRESSED_ID), at: read.number(SUPPRESSED_AT) };
  }

  /**
   * Writes the suppressed event with its new count, unless a larger one is there already: concurrent
   * failures may arrive in any order, and the count must end at the largest ticket's, never below.
   * Every other attribute is the same for all writers but the context, which is the latest failure's.
   */
  private async raiseCount(suppressed: Suppressed): Promise<void> {
    const { [PK]: _pk, [SK]: _sk, ...attributes } = encodeEvent(suppressed, this.ttl(suppressed.at));
    const names: Record<string, string> = { "#count": "count" };
    const values: Record<string, AttributeValue> = { ":count": n(suppressed.count) };
    const assignments = Object.entries(attributes).map(([name, value], i) => {
      names[`#a${i}`] = name;
      values[`:a${i}`] = value;
      return `#a${i} = :a${i}`;
    });
    try {
      await this.client.send(
        new UpdateItemCommand({
          TableName: this.tableName,
          Key: eventKey(suppressed.userHandle, suppressed.at, suppressed.eventId),
          UpdateExpression: `SET ${assignments.join(", ")}`,
          ConditionExpression: "attribute_not_exists(#count) OR #count < :count",
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: values,
        }),
      );
    } catch (error) {
      // A later failure's count is there already (or this very write, resent by the SDK): nothing to do.
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
  }

  /** TTL reads epoch seconds; rounding up keeps an item at least for the whole retention period. */
  private ttl(from: EpochMillis): number {
    return Math.ceil((from + this.retentionMs) / 1000);
  }
}

function checkLimit(limit: number): void {
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_PAGE) throw new RangeError(`limit ${limit} is not a whole number from 1 to ${MAX_PAGE}`);
}

function checkBound(bound: FailureBound): void {
  if (!Number.isSafeInteger(bound.windowMs) || bound.windowMs <= 0) throw new RangeError(`windowMs ${bound.windowMs} is not a positive whole number`);
  if (!Number.isSafeInteger(bound.limit) || bound.limit < 0) throw new RangeError(`limit ${bound.limit} is not a whole number ≥ 0`);
}

function encodeEvent(event: SecurityEvent, ttl: number): Item {
  const common: Item = {
    ...eventKey(event.userHandle, event.at, event.eventId),
    [TTL]: n(ttl),
    entity: s("event"),
    type: s(event.type),
    eventId: s(event.eventId),
    at: n(event.at),
    userHandle: s(event.userHandle),
    sourceIp: nullable(event.context.sourceIp, s),
    userAgent: nullable(event.context.userAgent, s),
    correlationId: nullable(event.context.correlationId, s),
  };
  const passkey = (reference: PasskeyReference): Item => ({
    credentialId: s(reference.credentialId),
    passkeyName: s(reference.passkeyName),
    authenticatorName: s(reference.authenticatorName),
  });
  switch (event.type) {
    case "registration.succeeded":
    case "sign_in.succeeded":
    case "passkey.added":
    case "passkey.disabled":
    case "passkey.enabled":
    case "passkey.deleted":
      return { ...common, ...passkey(event) };
    case "sign_in.failed":
      return { ...common, ...passkey(event), code: s(event.code) };
    case "passkey.renamed":
      return { ...common, ...passkey(event), previousName: s(event.previousName) };
    case "registration.failed":
      return { ...common, code: s(event.code) };
    case "sign_in.failed_suppressed":
      return { ...common, count: n(event.count), windowStart: n(event.windowStart), windowEnd: n(event.windowEnd) };
    case "account.updated":
      return { ...common, changed: stringList(event.changed) };
    case "account.deleted":
    case "signed_out":
    case "signed_out_everywhere":
    case "token.refreshed":
      return common;
  }
}

/** Parses an event item of `userHandle`'s partition; anything else is a MalformedItemError (a fault, never a crash). */
function decodeEvent(table: string, item: Item, userHandle: string): SecurityEvent {
  const read = new ItemReader(table, item);
  const type = read.oneOf("type", read.string("type"), SECURITY_EVENT_TYPES);
  if (read.string("userHandle") !== userHandle) throw new MalformedItemError(table, "userHandle", "is not the user of the partition it is in");
  const context: RequestContext = {
    sourceIp: read.nullableString("sourceIp"),
    userAgent: read.nullableString("userAgent"),
    correlationId: read.nullableString("correlationId"),
  };
  const base = { eventId: read.string("eventId"), at: read.number("at"), userHandle, context };
  const passkey = (): PasskeyReference => ({
    credentialId: read.string("credentialId"),
    passkeyName: read.string("passkeyName"),
    authenticatorName: read.string("authenticatorName"),
  });
  switch (type) {
    case "registration.succeeded":
    case "sign_in.succeeded":
    case "passkey.added":
    case "passkey.disabled":
    case "passkey.enabled":
    case "passkey.deleted":
      return { ...base, ...passkey(), type };
    case "sign_in.failed":
      return { ...base, ...passkey(), type, code: read.string("code") };
    case "passkey.renamed":
      return { ...base, ...passkey(), type, previousName: read.string("previousName") };
    case "registration.failed":
      return { ...base, type, code: read.string("code") };
    case "sign_in.failed_suppressed":
      return { ...base, type, count: read.number("count"), windowStart: read.number("windowStart"), windowEnd: read.number("windowEnd") };
    case "account.updated":
      return { ...base, type, changed: read.stringList("changed").map((change, i) => read.oneOf(`changed[${i}]`, change, ACCOUNT_CHANGES)) };
    case "account.deleted":
    case "signed_out":
    case "signed_out_everywhere":
    case "token.refreshed":
      return { ...base, type };
  }
}

