/**
 * `npm run backfill:passkey-enrolled -- [--dry-run] [--from <cursor>] [--page-size N] [--concurrency N]`:
 * sets the identity provider's `custom:passkey_enrolled` of every user in the credential table to what
 * the table says, "has at least one enabled passkey" (ADR 0023). Users who registered passkeys before
 * keyport kept the attribute have none, which DefineAuthChallenge reads as "no passkey": run this once
 * before a pool moves to SECOND_FACTOR=if-enrolled or required.
 *
 * It reads the environment the server and the HTTP API's function read (parseConfig): STORAGE=dynamodb
 * with the credential table (CREDENTIAL_TABLE, DYNAMODB_ENDPOINT for DynamoDB Local), and the identity
 * provider IDENTITY_PROVIDER names: `cognito` (AWS_REGION, COGNITO_USER_POOL_ID, COGNITO_CLIENT_ID; the
 * AWS credentials need dynamodb:Scan, Query and BatchGetItem on the table and
 * cognito-idp:AdminUpdateUserAttributes on the pool), or `local`, whose users are items of the same
 * table. The services are composed as everywhere else (composeServices), so the writes are the ones
 * keyport makes on every passkey change (src/domain/management/enrolment-backfill.ts).
 *
 *   --dry-run          read and print what would be written; write nothing
 *   --from <cursor>    resume after the cursor a previous run printed
 *   --page-size <N>    users listed per page (1–1000, default 100)
 *   --concurrency <N>  users written at once (1–32, default 1); each is one or two
 *                      AdminUpdateUserAttributes calls, whose quota the live service shares
 *
 * stdout: one line per user (the value written, or why not); stderr: the setup, each page's cursor to
 * resume from, and the summary. Safe to run while keyport serves, and to run again (idempotent). Exit 1
 * when a user failed (run again) or the listing stopped (run again with the printed `--from`).
 */
import { parseArgs } from "node:util";
import { authenticatorCatalog } from "../src/composition/authenticator-catalogs.js";
import { parseConfig, type KeyportConfig } from "../src/composition/config.js";
import { withConfiguredIdentityProvider } from "../src/composition/identity-providers.js";
import { composeServices } from "../src/composition/services.js";
import { PASSKEY_ENROLLED_ATTRIBUTE } from "../src/domain/custom-challenge/second-factor.js";
import { backfillPasskeyEnrolled, type BackfillSummary, type BackfillUserOutcome } from "../src/domain/management/enrolment-backfill.js";
import type { UserAccount } from "../src/domain/model.js";
import { isEntryPoint } from "./entry-point.js";

type Env = Readonly<Record<string, string | undefined>>;

const COMMAND = "npm run backfill:passkey-enrolled --";
const USAGE = `usage: ${COMMAND} [--dry-run] [--from <cursor>] [--page-size N] [--concurrency N]`;

/** A mistake of the caller's: the message says what to do, no stack trace. */
export class BackfillCommandError extends Error {
  override readonly name = "BackfillCommandError";
}

export interface BackfillOutput {
  /** One user's line. */
  line(text: string): void;
  /** The setup, progress and the summary. */
  note(text: string): void;
}

interface Arguments {
  readonly dryRun: boolean;
  readonly from: string | null;
  readonly pageSize: number;
  readonly concurrency: number;
}

/**
 * Runs the command on `args` (what follows `--`) and `env`; resolves with the exit code (0: every user
 * set; 1: some failed, or the listing stopped). Throws BackfillCommandError for a usage or
 * configuration mistake, ConfigError for a bad variable.
 */
export async function runBackfill(args: readonly string[], env: Env, output: BackfillOutput): Promise<number> {
  const options = parseArguments(args);
  // IDENTITY_PROVIDER defaults to local for the server; against a deployed table that would write nowhere useful.
  if (env.IDENTITY_PROVIDER === undefined || env.IDENTITY_PROVIDER === "") {
    throw new BackfillCommandError("IDENTITY_PROVIDER must be set: cognito for a deployed pool, local for npm start's own users.");
  }
  const config = parseConfig(env);
  if (config.dynamoDb === null) {
    throw new BackfillCommandError(
      `STORAGE is ${JSON.stringify(config.storage)}: the backfill reads the credential table in DynamoDB. Set STORAGE=dynamodb (and DYNAMODB_ENDPOINT for DynamoDB Local); with STORAGE=memory the users live in the server's process only.`,
    );
  }
  const services = composeServices(config, withConfiguredIdentityProvider(config, { authenticatorCatalog }));
  output.note(`${options.dryRun ? "Dry run: would set" : "Setting"} ${PASSKEY_ENROLLED_ATTRIBUTE} ${describeSetup(config)}${options.from === null ? "" : `, from cursor ${options.from}`}`);

  const result = await backfillPasskeyEnrolled(
    { credentials: services.credentialStore, identityProvider: services.identityProvider },
    {
      dryRun: options.dryRun,
      from: options.from,
      pageSize: options.pageSize,
      concurrency: options.concurrency,
      onUser: (user, outcome) => output.line(formatUser(user, outcome, options.dryRun)),
      onPage: ({ nextCursor, summary }) => {
        if (nextCursor !== null) output.note(`… ${summary.seen} users so far; to resume after them: ${COMMAND} --from ${nextCursor}`);
      },
    },
  );
  if (!result.ok) throw new BackfillCommandError(`--from ${JSON.stringify(options.from)} is not a cursor of this credential table (copy it from a previous run's output)\n${USAGE}`);
  const report = result.value;
  output.note(formatSummary(report.summary, options.dryRun));
  if (!report.finished) {
    const resume = report.resumeFrom === null ? COMMAND : `${COMMAND} --from ${report.resumeFrom}`;
    output.note(`Stopped: listing the users failed (${describeFault(report.fault)}). Resume with: ${resume}${options.dryRun ? " --dry-run" : ""}`);
    return 1;
  }
  if (report.summary.failed > 0) {
    output.note(`${report.summary.failed} users failed (lines starting "failed"). Run again: it writes the same values for the others.`);
    return 1;
  }
  return 0;
}

function parseArguments(args: readonly string[]): Arguments {
  let values: { "dry-run"?: boolean; from?: string; "page-size"?: string; concurrency?: string };
  try {
    ({ values } = parseArgs({
      args: [...args],
      options: { "dry-run": { type: "boolean" }, from: { type: "string" }, "page-size": { type: "string" }, concurrency: { type: "string" } },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    throw new BackfillCommandError(`${error instanceof Error ? error.message : String(error)}\n${USAGE}`);
  }
  const from = values.from?.trim() ?? null;
  if (from === "") throw new BackfillCommandError(`--from needs the cursor a previous run printed\n${USAGE}`);
  return {
    dryRun: values["dry-run"] === true,
    from,
    pageSize: wholeNumber("--page-size", values["page-size"], 100, 1_000),
    concurrency: wholeNumber("--concurrency", values.concurrency, 1, 32),
  };
}

function wholeNumber(option: string, raw: string | undefined, fallback: number, max: number): number {
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!/^\d+$/.test(raw) || value < 1 || value > max) throw new BackfillCommandError(`${option} must be a whole number from 1 to ${max}, got ${JSON.stringify(raw)}\n${USAGE}`);
  return value;
}

function describeSetup(config: KeyportConfig): string {
  const table = config.dynamoDb === null ? "" : `from the credential table ${config.dynamoDb.credentialTable}${config.dynamoDb.endpoint === null ? "" : ` at ${config.dynamoDb.endpoint}`}`;
  const provider = config.cognito === null ? "the local identity provider's users (in the same table)" : `Cognito user pool ${config.cognito.userPoolId}`;
  return `${table} on ${provider}`;
}

/** `true`, `false` or `failed:<reason>`, then the identity-provider user and the user handle. */
export function formatUser(user: UserAccount, outcome: BackfillUserOutcome, dryRun: boolean): string {
  const value = outcome.kind === "failed" ? `failed:${outcome.reason}` : String(outcome.enrolled);
  return `${(dryRun && outcome.kind === "set" ? `would-set:${value}` : value).padEnd(16)}  identityUser=${quote(user.identityUserId)}  userHandle=${quote(user.userHandle)}`;
}

function formatSummary(summary: BackfillSummary, dryRun: boolean): string {
  const verb = dryRun ? "would set" : "set";
  return `users seen: ${summary.seen}, ${verb} true: ${summary.setTrue}, ${verb} false: ${summary.setFalse}, failed: ${summary.failed}`;
}

function describeFault(fault: unknown): string {
  return fault instanceof Error ? `${fault.name}: ${fault.message}` : String(fault);
}

/** Text as a terminal should show it (an identity user id can be an e-mail address a user chose): control and format characters escaped. */
function quote(text: string): string {
  const escaped = text.replace(/[\\"]/g, "\\$&").replace(/[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/gu, (c) => `\\u{${(c.codePointAt(0) ?? 0).toString(16)}}`);
  return /^[\w.:@/+-]+$/u.test(escaped) ? escaped : `"${escaped}"`;
}

if (isEntryPoint(import.meta.url)) {
  try {
    process.exitCode = await runBackfill(process.argv.slice(2), process.env, { line: (text) => console.log(text), note: (text) => console.error(text) });
  } catch (error) {
    // A usage or configuration mistake: one line for the operator, no stack.
    const known = error instanceof BackfillCommandError || (error instanceof Error && ["ConfigError", "StorageUnavailableError"].includes(error.name));
    console.error(known && error instanceof Error ? error.message : error);
    process.exitCode = 1;
  }
}
