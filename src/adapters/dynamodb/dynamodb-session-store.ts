/**
 * Ceremony sessions in a DynamoDB table keyed by `id` (ADR 0010). Single use rests on DynamoDB's
 * single-item atomicity: `consume` is one DeleteItem returning the old item, so of any number of
 * concurrent consumers exactly one gets it back.
 */
import { randomUUID } from "node:crypto";
import { ConditionalCheckFailedException, DeleteItemCommand, PutItemCommand, type DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { SUPPORTED_ALGORITHMS } from "../../domain/encoding/cose.js";
import { REGISTRATION_MEDIATIONS, type CeremonySession } from "../../domain/model.js";
import { USER_VERIFICATION_REQUIREMENTS } from "../../domain/encoding/webauthn-json.js";
import type { SessionStore } from "../../ports/session-store.js";
import { bool, ItemReader, n, nullable, numberList, s, stringList, type Item } from "./attribute-values.js";
import { SESSION_TABLE } from "./dynamodb-tables.js";
import { storageFault } from "./storage-faults.js";
import { EXPIRED_SESSION_RETENTION_MS } from "../../ports/session-store.js";

export interface DynamoDbSessionStoreOptions {
  readonly client: DynamoDBClient;
  readonly tableName: string;
}

const ID = SESSION_TABLE.partitionKey.name;
const TTL = SESSION_TABLE.timeToLiveAttribute;
/** Marks which save wrote an item: see `save`. Never part of the session. */
const WRITE_TOKEN = "writeToken";

export class DynamoDbSessionStore implements SessionStore {
  private readonly client: DynamoDBClient;
  private readonly tableName: string;

  constructor(options: DynamoDbSessionStoreOptions) {
    this.client = options.client;
    this.tableName = options.tableName;
  }

  async save(session: CeremonySession): Promise<"saved" | "exists"> {
    const writeToken = randomUUID();
    try {
      await this.client.send(
        new PutItemCommand({
          TableName: this.tableName,
          Item: { ...encodeSession(session), [WRITE_TOKEN]: s(writeToken) },
          ConditionExpression: "attribute_not_exists(#id)",
          ExpressionAttributeNames: { "#id": ID },
          ReturnValuesOnConditionCheckFailure: "ALL_OLD",
        }),
      );
      return "saved";
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) {
        // The SDK retries a put whose answer was lost (a time-out, a 500); if the first attempt had
        // landed, the retry finds the id taken — by this very call. The token tells the two apart,
        // so a lost answer does not turn into a bogus "exists" (which the ceremonies treat as a broken RNG).
        return error.Item?.[WRITE_TOKEN]?.S === writeToken ? "saved" : "exists";
      }
      throw storageFault(error, "save session");
    }
  }

  async consume(id: string): Promise<CeremonySession | null> {
    let attributes: Item | undefined;
    try {
      ({ Attributes: attributes } = await this.client.send(
        new DeleteItemCommand({
          TableName: this.tableName,
          Key: { [ID]: s(id) },
          ReturnValues: "ALL_OLD",
          // DynamoDB makes a delete-and-return atomic by itself; DynamoDB Local does not: concurrent
          // unconditional deletes of one item may all get it back (ADR 0010). With the condition it
          // serialises them, and the service, where it changes nothing, charges nothing more for it.
          ConditionExpression: "attribute_exists(#id)",
          ExpressionAttributeNames: { "#id": ID },
        }),
      ));
    } catch (error) {
      // Gone already: consumed by someone else, never saved, or taken by the first attempt of a
      // request the SDK retried after a lost answer (then a challenge is lost, never reused).
      if (error instanceof ConditionalCheckFailedException) return null;
      throw storageFault(error, "consume session");
    }
    // Expired sessions come back too (for at least the retention period, and until TTL deletion,
    // which lags by up to days); the ceremonies check expiry.
    return attributes === undefined ? null : decodeSession(this.tableName, attributes);
  }
}

function encodeSession(session: CeremonySession): Item {
  const common: Item = {
    [ID]: s(session.id),
    kind: s(session.kind),
    challenge: s(session.challenge),
    userHandle: nullable(session.userHandle, s),
    userVerification: s(session.userVerification),
    expiresAt: n(session.expiresAt),
    // TTL reads epoch seconds; rounding up keeps a session at least until its retention is over.
    [TTL]: n(Math.ceil((session.expiresAt + EXPIRED_SESSION_RETENTION_MS) / 1000)),
  };
  switch (session.kind) {
    case "registration":
      return {
        ...common,
        username: s(session.username),
        displayName: s(session.displayName),
        identityUserId: nullable(session.identityUserId, s),
        newAccount: bool(session.newAccount),
        mediation: s(session.mediation),
        algorithms: numberList(session.algorithms),
      };
    case "authentication":
      return { ...common, allowCredentials: stringList(session.allowCredentials) };
  }
}

function decodeSession(table: string, item: Item): CeremonySession {
  const read = new ItemReader(table, item);
  const kind = read.oneOf("kind", read.string("kind"), ["registration", "authentication"] as const);
  const id = read.string(ID);
  const challenge = read.string("challenge");
  const userVerification = read.oneOf("userVerification", read.string("userVerification"), USER_VERIFICATION_REQUIREMENTS);
  const expiresAt = read.number("expiresAt");
  if (kind === "registration") {
    const userHandle = read.string("userHandle");
    return {
      kind,
      id,
      challenge,
      userHandle,
      username: read.string("username"),
      displayName: read.string("displayName"),
      identityUserId: read.nullableString("identityUserId"),
      newAccount: read.boolean("newAccount"),
      userVerification,
      // Sessions saved before automatic passkey upgrades (ADR 0025) asked for the browser's prompt.
      mediation: read.oneOf("mediation", read.optionalString("mediation") ?? "modal", REGISTRATION_MEDIATIONS),
      algorithms: read.numberList("algorithms").map((alg, i) => read.oneOf(`algorithms[${i}]`, alg, SUPPORTED_ALGORITHMS)),
      expiresAt,
    };
  }
  return {
    kind,
    id,
    challenge,
    userHandle: read.nullableString("userHandle"),
    allowCredentials: read.stringList("allowCredentials"),
    userVerification,
    expiresAt,
  };
}
