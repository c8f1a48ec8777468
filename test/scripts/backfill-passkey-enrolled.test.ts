/**
 * `npm run backfill:passkey-enrolled`: against the run's DynamoDB Local, a fresh credential table per
 * test, with Cognito mocked at the AWS SDK's edge only (every CognitoIdentityProviderClient's `send`),
 * so that the composition, the Cognito adapter and the DynamoDB store are the real ones; once more with
 * the local identity provider, whose users are items of the same table; and once as the program itself
 * (tsx), as `npm run` starts it.
 */
import { randomBytes } from "node:crypto";
import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import {
  AdminUpdateUserAttributesCommand,
  CognitoIdentityProviderClient,
  TooManyRequestsException,
  UserNotFoundException,
  type AdminUpdateUserAttributesCommandInput,
} from "@aws-sdk/client-cognito-identity-provider";
import { DeleteTableCommand } from "@aws-sdk/client-dynamodb";
import { mockClient } from "aws-sdk-client-mock";
import { afterAll, afterEach, beforeEach, describe, expect, it } from "vitest";
import { DynamoDbCredentialStore } from "../../src/adapters/dynamodb/dynamodb-credential-store.js";
import { DynamoDbIdentityUserDirectory } from "../../src/adapters/dynamodb/dynamodb-identity-user-directory.js";
import { createTables } from "../../src/adapters/dynamodb/dynamodb-tables.js";
import type { UserAccount } from "../../src/domain/model.js";
import { BackfillCommandError, runBackfill } from "../../scripts/backfill-passkey-enrolled.js";
import { startFaultProxy } from "../adapters/dynamodb/fault-proxy.js";
import { useTestTables } from "../adapters/dynamodb/dynamodb-test-tables.js";
import { aStoredCredentialFor, aUserAccount, BASE_TIME, uniqueId } from "../support/kit.js";

const shared = useTestTables();
const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const REGION = "eu-west-1";
const POOL = "eu-west-1_Kp7Test01";
const cognito = mockClient(CognitoIdentityProviderClient);
afterAll(() => cognito.restore());

/** This test's own tables, so that the backfill, which lists every user, sees only this test's. */
let tables: { credentialTable: string; sessionTable: string; eventTable: string } | undefined;

beforeEach(async () => {
  cognito.reset();
  cognito.on(AdminUpdateUserAttributesCommand).resolves({ $metadata: {} });
  const suffix = randomBytes(6).toString("hex");
  tables = { sessionTable: `backfill-sessions-${suffix}`, credentialTable: `backfill-credentials-${suffix}`, eventTable: `backfill-events-${suffix}` };
  await createTables(shared().client, tables);
});

afterEach(async () => {
  const own = tables;
  tables = undefined;
  if (own !== undefined) await Promise.all(Object.values(own).map((TableName) => shared().client.send(new DeleteTableCommand({ TableName }))));
});

const credentialTable = (): string => tables?.credentialTable ?? "";

/** The environment the HTTP API's function has (less its secrets), against this test's tables. */
const env = (overrides: Record<string, string> = {}): Record<string, string> => ({
  STORAGE: "dynamodb",
  DYNAMODB_ENDPOINT: shared().endpoint,
  SESSION_TABLE: tables?.sessionTable ?? "",
  CREDENTIAL_TABLE: credentialTable(),
  EVENT_TABLE: tables?.eventTable ?? "",
  IDENTITY_PROVIDER: "cognito",
  AWS_REGION: REGION,
  COGNITO_USER_POOL_ID: POOL,
  COGNITO_CLIENT_ID: "3n4b5urk1ft4b3s7d9hq0lfnl",
  ...overrides,
});

const store = (): DynamoDbCredentialStore => new DynamoDbCredentialStore({ client: shared().client, tableName: credentialTable() });

/** A user with one credential per entry of `enabled` (none: the account of a password user who deleted their passkey). */
async function user(enabled: readonly boolean[], overrides: Partial<UserAccount> = {}): Promise<UserAccount> {
  const account = aUserAccount({ identityUserId: `user-${uniqueId(6)}`, ...overrides });
  const credentials = (enabled.length === 0 ? [true] : enabled).map((on, i) => aStoredCredentialFor(account, { createdAt: BASE_TIME + i, name: `Key ${i}`, enabled: on }));
  for (const [i, credential] of credentials.entries()) expect(await store().add(credential, i === 0 ? account : undefined)).toBe("added");
  if (enabled.length === 0) expect(await store().deleteCredential(account.userHandle, credentials[0]!.credentialId, { keepOneEnabled: false })).toBe("deleted");
  return account;
}

/** Three enrolled users and two not: one with passkeys all disabled, one with none. */
async function population(): Promise<{ enrolled: UserAccount[]; notEnrolled: UserAccount[] }> {
  return {
    enrolled: [await user([true]), await user([false, true]), await user([true, true])],
    notEnrolled: [await user([false]), await user([], { origin: "identity_provider" })],
  };
}

async function run(args: readonly string[], environment = env()): Promise<{ code: number; lines: string[]; notes: string[] }> {
  const lines: string[] = [];
  const notes: string[] = [];
  const code = await runBackfill(args, environment, { line: (text) => lines.push(text), note: (text) => notes.push(text) });
  return { code, lines, notes };
}

/** What Cognito was asked: user → the values written, in order. */
function written(): Map<string, string[]> {
  const writes = new Map<string, string[]>();
  for (const call of cognito.commandCalls(AdminUpdateUserAttributesCommand)) {
    const input: AdminUpdateUserAttributesCommandInput = call.args[0].input;
    expect(input.UserPoolId).toBe(POOL);
    expect(input.UserAttributes).toHaveLength(1);
    expect(input.UserAttributes?.[0]?.Name).toBe("custom:passkey_enrolled");
    const username = input.Username ?? "";
    writes.set(username, [...(writes.get(username) ?? []), input.UserAttributes?.[0]?.Value ?? ""]);
  }
  return writes;
}

describe("npm run backfill:passkey-enrolled", () => {
  it("sets custom:passkey_enrolled in Cognito for every user of the table: true with an enabled passkey, false without", async () => {
    const { enrolled, notEnrolled } = await population();

    const { code, lines, notes } = await run([]);

    expect(code).toBe(0);
    const writes = written();
    expect(writes.size).toBe(5);
    for (const account of enrolled) expect(writes.get(account.identityUserId), account.identityUserId).toEqual(["true"]);
    for (const account of notEnrolled) expect(writes.get(account.identityUserId), account.identityUserId).toEqual(["false"]);
    expect(lines).toHaveLength(5);
    expect(lines).toContain(`true              identityUser=${enrolled[0]!.identityUserId}  userHandle=${enrolled[0]!.userHandle}`);
    expect(lines).toContain(`false             identityUser=${notEnrolled[1]!.identityUserId}  userHandle=${notEnrolled[1]!.userHandle}`);
    expect(notes[0]).toBe(`Setting custom:passkey_enrolled from the credential table ${credentialTable()} at ${shared().endpoint} on Cognito user pool ${POOL}`);
    expect(notes.at(-1)).toBe("users seen: 5, set true: 3, set false: 2, failed: 0");
  });

  it("writes nothing with --dry-run, and prints what it would write", async () => {
    const { enrolled } = await population();

    const { code, lines, notes } = await run(["--dry-run"]);

    expect(code).toBe(0);
    expect(cognito.commandCalls(AdminUpdateUserAttributesCommand)).toHaveLength(0);
    expect(lines).toContain(`would-set:true    identityUser=${enrolled[1]!.identityUserId}  userHandle=${enrolled[1]!.userHandle}`);
    expect(notes[0]).toMatch(/^Dry run: would set custom:passkey_enrolled /);
    expect(notes.at(-1)).toBe("users seen: 5, would set true: 3, would set false: 2, failed: 0");
  });

  it("reports users Cognito refuses or throttles, goes on with the others, and exits 1", async () => {
    const { enrolled, notEnrolled } = await population();
    const gone = enrolled[0]!.identityUserId;
    const throttled = notEnrolled[0]!.identityUserId;
    cognito.on(AdminUpdateUserAttributesCommand, { Username: gone }).rejects(new UserNotFoundException({ message: "User does not exist.", $metadata: {} }));
    cognito.on(AdminUpdateUserAttributesCommand, { Username: throttled }).rejects(new TooManyRequestsException({ message: "Too many requests", $metadata: {} }));

    const { code, lines, notes } = await run([]);

    expect(code).toBe(1);
    expect(lines.find((line) => line.includes(gone))).toMatch(/^failed:identity_provider_unavailable\s/);
    expect(lines.find((line) => line.includes(throttled))).toMatch(/^failed:too_many_requests\s/);
    expect(notes).toContain("users seen: 5, set true: 2, set false: 1, failed: 2");
    expect(notes.at(-1)).toMatch(/^2 users failed .* Run again/);
  });

  it("prints each page's cursor, and --from resumes after it", async () => {
    await population();

    const first = await run(["--dry-run", "--page-size", "2"]);
    const cursors = first.notes.flatMap((note) => /--from (\S+)$/.exec(note)?.[1] ?? []);
    expect(cursors).toHaveLength(2);

    const resumed = await run(["--page-size=2", `--from=${cursors[0]!}`]);

    expect(resumed.code).toBe(0);
    const users = (lines: readonly string[]): string[] => lines.map((line) => /identityUser=(\S+)/.exec(line)?.[1] ?? line);
    expect(users(resumed.lines)).toEqual(users(first.lines.slice(2)));
    expect(resumed.notes.at(-1)).toMatch(/^users seen: 3,/);
    expect(written().size).toBe(3);
  });

  it("stops when the table cannot be listed, and says how to resume from where it stopped", async () => {
    await population();
    // Scan answers the first request (a page of 2 users), then fails, with every retry of the SDK.
    const proxy = await startFaultProxy(shared().endpoint, (request) =>
      request.operation === "Scan" && request.count > 1 ? { kind: "error", type: "InternalServerError", status: 500 } : { kind: "forward" },
    );
    let stopped;
    try {
      stopped = await run(["--page-size", "2"], env({ DYNAMODB_ENDPOINT: proxy.endpoint }));
    } finally {
      await proxy.close();
    }

    expect(stopped.code).toBe(1);
    expect(stopped.lines).toHaveLength(2);
    const resume = /Resume with: npm run backfill:passkey-enrolled -- --from (\S+)$/.exec(stopped.notes.at(-1) ?? "");
    expect(stopped.notes.at(-1)).toMatch(/^Stopped: listing the users failed \(StorageUnavailableError: /);
    expect(resume).not.toBeNull();

    const resumed = await run(["--page-size", "2", "--from", resume![1]!]);

    expect(resumed.code).toBe(0);
    expect(resumed.notes.at(-1)).toMatch(/^users seen: 3,/);
    expect(written().size).toBe(5);
  });

  it("refuses to run without IDENTITY_PROVIDER named, rather than default to the local provider", async () => {
    const { IDENTITY_PROVIDER: _named, ...unnamed } = env();
    await expect(run([], unnamed)).rejects.toThrow(/IDENTITY_PROVIDER must be set/);
  });

  it("sets the attribute of the local identity provider's users, kept in the same table, with IDENTITY_PROVIDER=local", async () => {
    const directory = new DynamoDbIdentityUserDirectory({ client: shared().client, tableName: credentialTable() });
    const { enrolled, notEnrolled } = await population();
    for (const account of [...enrolled, ...notEnrolled]) {
      expect(await directory.create({ username: account.identityUserId, sub: uniqueId(), attributes: { preferred_username: account.username } })).toBe("created");
    }

    const { code, notes } = await run([], env({ IDENTITY_PROVIDER: "local" }));

    expect(code).toBe(0);
    expect(notes[0]).toContain("on the local identity provider's users");
    expect(cognito.commandCalls(AdminUpdateUserAttributesCommand)).toHaveLength(0);
    for (const account of enrolled) expect((await directory.find(account.identityUserId))?.attributes).toMatchObject({ "custom:passkey_enrolled": "true", preferred_username: account.username });
    for (const account of notEnrolled) expect((await directory.find(account.identityUserId))?.attributes).toMatchObject({ "custom:passkey_enrolled": "false" });
  });

  it.each([
    ["an unknown option", ["--all"]],
    ["a stray argument", ["now"]],
    ["an empty --from", ["--from", " "]],
    ["a page size of 0", ["--page-size", "0"]],
    ["a page size above 1000", ["--page-size", "1001"]],
    ["a concurrency that is no number", ["--concurrency", "many"]],
    ["a concurrency above 32", ["--concurrency", "33"]],
  ])("refuses %s with the usage", async (_label, args) => {
    await expect(run(args)).rejects.toThrow(BackfillCommandError);
    await expect(run(args)).rejects.toThrow(/usage: npm run backfill:passkey-enrolled/);
  });

  it("refuses a --from that is not one of its cursors, writing nothing", async () => {
    await population();
    await expect(run(["--from", "not-a-cursor"])).rejects.toThrow(/--from "not-a-cursor" is not a cursor of this credential table/);
    expect(cognito.commandCalls(AdminUpdateUserAttributesCommand)).toHaveLength(0);
  });

  it("refuses to run on STORAGE=memory, saying what to set", async () => {
    await expect(run([], { STORAGE: "memory", IDENTITY_PROVIDER: "local" })).rejects.toThrow(/STORAGE=dynamodb/);
    await expect(run([], { IDENTITY_PROVIDER: "local" })).rejects.toThrow(BackfillCommandError);
  });

  it("runs as `tsx scripts/backfill-passkey-enrolled.ts`: users on stdout, the summary on stderr, exit 0; a mistake on stderr, exit 1", async () => {
    const { enrolled } = await population();
    const exec = promisify(execFile);
    const base = { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "", AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true" };
    const tsx = `${ROOT}node_modules/.bin/tsx`;
    const script = "scripts/backfill-passkey-enrolled.ts";

    // A dry run calls no Cognito API, so the child process (beyond this file's mock) needs no AWS credentials.
    const ok = await exec(tsx, [script, "--dry-run"], { cwd: ROOT, env: { ...base, ...env() } });
    const failed = await exec(tsx, [script, "--dry-run"], { cwd: ROOT, env: { ...base, STORAGE: "memory", IDENTITY_PROVIDER: "local" } }).then(
      () => null,
      (error: { code?: number; stdout?: string; stderr?: string }) => error,
    );

    expect(ok.stdout.trim().split("\n")).toHaveLength(5);
    expect(ok.stdout).toContain(`would-set:true    identityUser=${enrolled[0]!.identityUserId}`);
    expect(ok.stderr).toContain("users seen: 5, would set true: 3, would set false: 2, failed: 0");
    expect(failed).toMatchObject({ code: 1, stdout: "" });
    expect(failed?.stderr).toMatch(/^STORAGE is "memory": the backfill reads the credential table/);
    expect(failed?.stderr).not.toMatch(/\n\s+at /);
  }, 60_000);
});
