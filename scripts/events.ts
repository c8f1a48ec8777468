/**
 * `npm run events -- --user <user> [--limit N]`: a user's security activity (ADR 0020), newest first,
 * one line per event, read from the DynamoDB keyport is configured with: the same environment as the
 * server (parseConfig), so STORAGE=dynamodb, DYNAMODB_ENDPOINT for DynamoDB Local, and SESSION_TABLE /
 * CREDENTIAL_TABLE / EVENT_TABLE when the tables have other names. With STORAGE=memory there is nothing
 * to read: the events live in the server's process and end with it.
 *
 *   --user <user>   a user handle, an identity-provider user id (Cognito's `sub`/username), or a
 *                   username as the user types it; a handle with no account left (deleted) still
 *                   shows its events until their retention ends
 *   --limit <N>     at most N events (1–10000, default 50), read page by page with the cursor
 *
 * Every text an attacker could have chosen (a User-Agent, a passkey name) is printed with control and
 * format characters escaped, so that a trail cannot rewrite the operator's terminal.
 */
import { isEntryPoint } from "./entry-point.js";
import { parseArgs } from "node:util";
import { createDynamoDbClient } from "../src/adapters/dynamodb/dynamodb-client.js";
import { DynamoDbCredentialStore } from "../src/adapters/dynamodb/dynamodb-credential-store.js";
import { DynamoDbSecurityEventLog } from "../src/adapters/dynamodb/dynamodb-security-event-log.js";
import { parseConfig } from "../src/composition/config.js";
import type { SecurityEvent } from "../src/domain/activity/security-events.js";
import { prepareUsername, usernameKey } from "../src/domain/ceremonies/names.js";
import type { UserAccount } from "../src/domain/model.js";

type Env = Readonly<Record<string, string | undefined>>;

const USAGE = "usage: npm run events -- --user <user handle, identity user id or username> [--limit N]";
const DEFAULT_LIMIT = 50;
const MAX_LIMIT = 10_000;
const PAGE = 100;
const DAY_MS = 86_400_000;

/** A mistake of the caller's: the message says what to do, no stack trace. */
export class EventsCommandError extends Error {
  override readonly name = "EventsCommandError";
}

export interface EventsOutput {
  /** One line of the trail. */
  line(text: string): void;
  /** What the lines are about, and anything else that is not the trail itself. */
  note(text: string): void;
}

/** Runs the command on `args` (what follows `--`) and `env`; throws EventsCommandError for a usage or configuration mistake. */
export async function runEvents(args: readonly string[], env: Env, output: EventsOutput): Promise<void> {
  const { user, limit } = parseArguments(args);
  const config = parseConfig(env);
  if (config.dynamoDb === null) {
    throw new EventsCommandError(
      `STORAGE is ${JSON.stringify(config.storage)}: the events command reads DynamoDB. Set STORAGE=dynamodb (and DYNAMODB_ENDPOINT for DynamoDB Local); with STORAGE=memory the events live in the server's process only.`,
    );
  }
  const { endpoint, credentialTable, eventTable } = config.dynamoDb;
  const client = createDynamoDbClient({ endpoint });
  try {
    const credentials = new DynamoDbCredentialStore({ client, tableName: credentialTable });
    const log = new DynamoDbSecurityEventLog({ client, tableName: eventTable, retentionMs: config.eventRetentionDays * DAY_MS });

    const account = await findUser(credentials, user);
    const userHandle = account?.userHandle ?? user;
    const list = async (size: number, cursor: string | null) => {
      const result = await log.listForUser(userHandle, { limit: Math.min(PAGE, size), cursor });
      // Only a cursor of the log's own goes back in: a refusal is a bug, not the caller's mistake.
      if (!result.ok) throw new Error(`listForUser answered ${result.error}`);
      return result.value;
    };

    let page = await list(limit, null);
    if (page.events.length === 0 && account === null) throw new EventsCommandError(`no user and no events for ${quote(user)} in ${credentialTable} and ${eventTable}`);
    output.note(describeUser(account, userHandle, page.events.length > 0));
    let shown = 0;
    for (;;) {
      for (const event of page.events) output.line(formatEvent(event));
      shown += page.events.length;
      if (page.nextCursor === null || shown >= limit) break;
      page = await list(limit - shown, page.nextCursor);
    }
    if (page.nextCursor !== null) output.note(`… older events not shown (--limit ${limit})`);
  } finally {
    client.destroy();
  }
}

function parseArguments(args: readonly string[]): { user: string; limit: number } {
  let values: { user?: string; limit?: string };
  try {
    ({ values } = parseArgs({ args: [...args], options: { user: { type: "string" }, limit: { type: "string" } }, strict: true, allowPositionals: false }));
  } catch (error) {
    throw new EventsCommandError(`${error instanceof Error ? error.message : String(error)}\n${USAGE}`);
  }
  const user = values.user?.trim() ?? "";
  if (user === "") throw new EventsCommandError(`--user is required\n${USAGE}`);
  const raw = values.limit ?? String(DEFAULT_LIMIT);
  const limit = Number(raw);
  if (!/^\d+$/.test(raw) || limit < 1 || limit > MAX_LIMIT) throw new EventsCommandError(`--limit must be a whole number from 1 to ${MAX_LIMIT}, got ${JSON.stringify(raw)}\n${USAGE}`);
  return { user, limit };
}

/** The account `user` names: as a handle, as an identity-provider user, or as a username (its canonical form). */
async function findUser(credentials: DynamoDbCredentialStore, user: string): Promise<UserAccount | null> {
  const byHandle = await credentials.findUserByHandle(user);
  if (byHandle !== null) return byHandle;
  const byIdentity = await credentials.findUserByIdentity(user);
  if (byIdentity !== null) return byIdentity;
  const prepared = prepareUsername(user);
  return prepared === null ? null : credentials.findUserByUsername(usernameKey(prepared));
}

function describeUser(account: UserAccount | null, userHandle: string, any: boolean): string {
  const who = account === null ? `user handle ${quote(userHandle)} (no account: deleted, or never one)` : `${quote(account.username)} (user handle ${quote(userHandle)})`;
  return any ? `Security activity of ${who}, newest first:` : `No security activity for ${who}.`;
}

/** One event on one line: time, type, then each field the event has. */
export function formatEvent(event: SecurityEvent): string {
  const fields: string[] = [new Date(event.at).toISOString(), event.type.padEnd(25)];
  if ("passkeyName" in event) fields.push(`passkey=${quote(event.passkeyName)}`, `authenticator=${quote(event.authenticatorName)}`, `credential=${quote(event.credentialId)}`);
  if ("code" in event) fields.push(`code=${quote(event.code)}`);
  if ("previousName" in event) fields.push(`previousName=${quote(event.previousName)}`);
  if ("changed" in event) fields.push(`changed=${event.changed.join(",") || "-"}`);
  if (event.type === "sign_in.failed_suppressed") {
    fields.push(`count=${event.count}`, `window=${new Date(event.windowStart).toISOString()}/${new Date(event.windowEnd).toISOString()}`);
  }
  const { sourceIp, userAgent, correlationId } = event.context;
  fields.push(`ip=${sourceIp === null ? "-" : quote(sourceIp)}`, `userAgent=${userAgent === null ? "-" : quote(userAgent)}`);
  if (correlationId !== null) fields.push(`correlationId=${quote(correlationId)}`);
  fields.push(`eventId=${quote(event.eventId)}`);
  return fields.join("  ");
}

/**
 * Text as a terminal should show it: in double quotes when it has spaces or quotes, with control and
 * format characters (ESC, bidi overrides, line separators) as \u{…} escapes.
 */
function quote(text: string): string {
  const escaped = text.replace(/[\\"]/g, "\\$&").replace(/[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/gu, (c) => `\\u{${(c.codePointAt(0) ?? 0).toString(16)}}`);
  return /^[\w.:@/+-]+$/u.test(escaped) ? escaped : `"${escaped}"`;
}

if (isEntryPoint(import.meta.url)) {
  try {
    await runEvents(process.argv.slice(2), process.env, { line: (text) => console.log(text), note: (text) => console.error(text) });
  } catch (error) {
    // A usage or configuration mistake, or the store out of reach: one line for the operator, no stack.
    const known = error instanceof EventsCommandError || (error instanceof Error && ["ConfigError", "StorageUnavailableError"].includes(error.name));
    console.error(known && error instanceof Error ? error.message : error);
    process.exitCode = 1;
  }
}
