/**
 * `npm run events`: against the run's DynamoDB Local, in-process through `runEvents` for each behaviour
 * and once as the program itself (tsx), as `npm run events` starts it.
 */
import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { DynamoDbCredentialStore } from "../../src/adapters/dynamodb/dynamodb-credential-store.js";
import { DynamoDbSecurityEventLog } from "../../src/adapters/dynamodb/dynamodb-security-event-log.js";
import type { SecurityEvent } from "../../src/domain/activity/security-events.js";
import type { UserAccount } from "../../src/domain/model.js";
import { EventsCommandError, formatEvent, runEvents } from "../../scripts/events.js";
import { useTestTables } from "../adapters/dynamodb/dynamodb-test-tables.js";
import { aFailure, aSignIn, everyVariant } from "../ports/security-event-log.contract.js";
import { aStoredCredentialFor, aUserAccount, uniqueId } from "../support/kit.js";

const tables = useTestTables();
const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const RETENTION_MS = 90 * 86_400_000;

/** The environment the server would be started with against these tables. */
const env = (overrides: Record<string, string> = {}): Record<string, string> => ({
  STORAGE: "dynamodb",
  DYNAMODB_ENDPOINT: tables().endpoint,
  SESSION_TABLE: tables().sessionTable,
  CREDENTIAL_TABLE: tables().credentialTable,
  EVENT_TABLE: tables().eventTable,
  ...overrides,
});

const eventLog = (): DynamoDbSecurityEventLog => new DynamoDbSecurityEventLog({ client: tables().client, tableName: tables().eventTable, retentionMs: RETENTION_MS });

async function signedUp(overrides: Partial<UserAccount> = {}): Promise<UserAccount> {
  const user = aUserAccount({ identityUserId: uniqueId(), ...overrides });
  expect(await new DynamoDbCredentialStore({ client: tables().client, tableName: tables().credentialTable }).add(aStoredCredentialFor(user), user)).toBe("added");
  return user;
}

async function appended(events: readonly SecurityEvent[]): Promise<void> {
  for (let i = 0; i < events.length; i += 20) await Promise.all(events.slice(i, i + 20).map((event) => eventLog().append(event)));
}

async function run(args: readonly string[], environment = env()): Promise<{ lines: string[]; notes: string[] }> {
  const lines: string[] = [];
  const notes: string[] = [];
  await runEvents(args, environment, { line: (text) => lines.push(text), note: (text) => notes.push(text) });
  return { lines, notes };
}

const newestFirst = (events: readonly SecurityEvent[]): SecurityEvent[] => [...events].sort((a, b) => b.at - a.at);

describe("npm run events", () => {
  it("prints a user's trail newest first, one line per event, found by username, user handle or identity user id", async () => {
    const user = await signedUp({ username: `Erin-${uniqueId(6)}` });
    const events = everyVariant(user.userHandle, Date.now() - 60_000);
    await appended(events);
    const expected = newestFirst(events).map(formatEvent);

    // `--user=…`: a handle may begin with "-", which `--user <value>` would take for an option.
    for (const name of [user.username, user.username.toUpperCase(), user.userHandle, user.identityUserId]) {
      const { lines, notes } = await run([`--user=${name}`]);
      expect(lines, name).toEqual(expected);
      expect(notes, name).toEqual([`Security activity of ${user.username} (user handle ${user.userHandle}), newest first:`]);
    }
  });

  it("shows only that user's events", async () => {
    const [alice, bob] = [await signedUp(), await signedUp()];
    const alices = [aSignIn(alice.userHandle, Date.now() - 2_000), aFailure(alice.userHandle, Date.now() - 1_000)];
    await appended([...alices, aSignIn(bob.userHandle, Date.now() - 1_500)]);

    expect((await run(["--user", alice.username])).lines).toEqual(newestFirst(alices).map(formatEvent));
  });

  it("reads page after page with the cursor up to --limit, 50 by default, and says when older ones are left", async () => {
    const user = await signedUp();
    const events = Array.from({ length: 230 }, (_, i) => aSignIn(user.userHandle, Date.now() - 600_000 + i));
    await appended(events);
    const expected = newestFirst(events).map(formatEvent);

    const all = await run(["--user", user.username, "--limit", "1000"]);
    const some = await run([`--user=${user.username}`, "--limit=120"]);
    const byDefault = await run(["--user", user.username]);

    expect(all.lines).toEqual(expected);
    expect(all.notes).toHaveLength(1);
    expect(some.lines).toEqual(expected.slice(0, 120));
    expect(some.notes.at(-1)).toBe("… older events not shown (--limit 120)");
    expect(byDefault.lines).toEqual(expected.slice(0, 50));
  });

  it("still shows the trail of a deleted account by its user handle, until retention ends", async () => {
    const handle = uniqueId(32);
    const events = [aSignIn(handle, Date.now() - 2_000), { type: "account.deleted" as const, eventId: uniqueId(), at: Date.now() - 1_000, userHandle: handle, context: aSignIn(handle, 0).context }];
    await appended(events);

    const { lines, notes } = await run([`--user=${handle}`]);

    expect(lines).toEqual(newestFirst(events).map(formatEvent));
    expect(notes[0]).toContain("no account");
  });

  it("says so for a user with an account and no events", async () => {
    const user = await signedUp();
    expect(await run(["--user", user.username])).toEqual({ lines: [], notes: [`No security activity for ${user.username} (user handle ${user.userHandle}).`] });
  });

  it("refuses a user it knows nothing about", async () => {
    await expect(run(["--user", `nobody-${uniqueId(6)}`])).rejects.toThrow(/no user and no events/);
  });

  it.each([
    ["no --user", []],
    ["an empty --user", ["--user", " "]],
    ["a limit of 0", ["--user", "x", "--limit", "0"]],
    ["a limit that is no number", ["--user", "x", "--limit", "ten"]],
    ["a limit above 10000", ["--user", "x", "--limit", "10001"]],
    ["an unknown option", ["--user", "x", "--all"]],
    ["a stray argument", ["--user", "x", "y"]],
  ])("refuses %s with the usage", async (_label, args) => {
    await expect(run(args)).rejects.toThrow(EventsCommandError);
    await expect(run(args)).rejects.toThrow(/usage: npm run events/);
  });

  it("refuses to run on STORAGE=memory, saying what to set", async () => {
    await expect(run(["--user", "x"], { STORAGE: "memory" })).rejects.toThrow(/STORAGE=dynamodb/);
    await expect(run(["--user", "x"], {})).rejects.toThrow(EventsCommandError);
  });

  it("escapes control and format characters an attacker put into a User-Agent or a name", async () => {
    const user = await signedUp();
    const nasty = aFailure(user.userHandle, Date.now() - 1_000, {
      passkeyName: "evil\u202Egnp.exe",
      context: { sourceIp: "203.0.113.9", userAgent: "\u001b[2J\u001b[31mroot\r\nfake line\u0007", correlationId: null },
    });
    await appended([nasty]);

    const { lines } = await run([`--user=${user.userHandle}`]);

    expect(lines).toHaveLength(1);
    expect(lines[0]).not.toMatch(/[\p{Cc}\p{Cf}]/u);
    expect(lines[0]).toContain('userAgent="\\u{1b}[2J\\u{1b}[31mroot\\u{d}\\u{a}fake line\\u{7}"');
    expect(lines[0]).toContain('passkey="evil\\u{202e}gnp.exe"');
  });

  it("formats each field the event has", () => {
    const at = Date.UTC(2026, 0, 2, 3, 4, 5, 6);
    const line = formatEvent({
      type: "sign_in.failed_suppressed",
      eventId: "e-1",
      at,
      userHandle: "h",
      context: { sourceIp: null, userAgent: null, correlationId: null },
      count: 30,
      windowStart: Date.UTC(2026, 0, 2, 3),
      windowEnd: Date.UTC(2026, 0, 2, 4),
    });

    expect(line).toBe(`2026-01-02T03:04:05.006Z  ${"sign_in.failed_suppressed"}  count=30  window=2026-01-02T03:00:00.000Z/2026-01-02T04:00:00.000Z  ip=-  userAgent=-  eventId=e-1`);
  });

  it("runs as `tsx scripts/events.ts`: the trail on stdout, exit 0; a mistake on stderr, exit 1", async () => {
    const user = await signedUp();
    const events = [aSignIn(user.userHandle, Date.now() - 2_000), aFailure(user.userHandle, Date.now() - 1_000)];
    await appended(events);
    const exec = promisify(execFile);
    const base = { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "", AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true" };
    const tsx = `${ROOT}node_modules/.bin/tsx`;

    const ok = await exec(tsx, ["scripts/events.ts", "--user", user.username], { cwd: ROOT, env: { ...base, ...env() } });
    const failed = await exec(tsx, ["scripts/events.ts", "--user", user.username], { cwd: ROOT, env: { ...base, STORAGE: "memory" } }).then(
      () => null,
      (error: { code?: number; stdout?: string; stderr?: string }) => error,
    );

    expect(ok.stdout).toBe(`${newestFirst(events).map(formatEvent).join("\n")}\n`);
    expect(ok.stderr).toContain("newest first");
    expect(failed).toMatchObject({ code: 1, stdout: "" });
    expect(failed?.stderr).toMatch(/^STORAGE is "memory": the events command reads DynamoDB/);
    expect(failed?.stderr).not.toMatch(/\n\s+at /);
  }, 60_000);
});
