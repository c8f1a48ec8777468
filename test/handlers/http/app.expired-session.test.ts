/**
 * What POST /registration/finish answers for a session that has expired, on both storages (the
 * api-dynamodb project runs this file again on DynamoDB Local): `session_expired` for at least
 * SESSION_RETENTION_MS after the session expired, whatever tidying the store does meanwhile — the
 * in-memory store's sweep, DynamoDB's TTL deletion — and `session_not_found` once it may be forgotten
 * (docs/api.md, "Expired sessions").
 */
import { DeleteItemCommand, GetItemCommand, PutItemCommand } from "@aws-sdk/client-dynamodb";
import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { localClient } from "../../support/dynamodb-local.js";
import { ManualClock } from "../../support/manual-clock.js";
import { SoftwareAuthenticator } from "../../support/software-authenticator.js";
import { SESSION_RETENTION_MS } from "../../ports/session-store.contract.js";
import { buildTestApp, expectOk, ORIGIN, type ApiClient, type ApiResponse } from "./harness.js";

const TIMEOUT_MS = 60_000;
const onDynamoDb = (): boolean => process.env.KEYPORT_TEST_STORAGE === "dynamodb";

/** The app, with a clock that starts `ago` ms before the real time: DynamoDB's TTL reads the real clock. */
function appStartedAgo(ago: number) {
  const clock = new ManualClock(Date.now() - ago);
  const { client } = buildTestApp({ env: { REGISTRATION_TIMEOUT_MS: String(TIMEOUT_MS) }, overrides: { clock } });
  return { client, clock };
}

async function start(client: ApiClient, username: string) {
  const started = await client.post("/registration/start", { username, displayName: username });
  expectOk(started, "registration/start");
  const credential = new SoftwareAuthenticator().createCredential(started.json.credentialCreationOptions, { origin: ORIGIN });
  return { sessionId: started.json.sessionId as string, credential };
}

/**
 * Gives each store its chance to tidy up. The in-memory store sweeps when a session is saved, at most
 * every 10 s of its clock; DynamoDB Local deletes items past their TTL in a pass every few seconds, so
 * on DynamoDB this waits until a pass has deleted an item written, already past its TTL, after ours.
 */
async function letStoresTidyUp(client: ApiClient, clock: ManualClock): Promise<void> {
  clock.advance(10_000);
  await start(client, "sweeper");
  if (!onDynamoDb()) return;
  const dynamo = localClient(process.env.KEYPORT_TEST_DYNAMODB_ENDPOINT ?? "");
  const TableName = process.env.KEYPORT_TEST_SESSION_TABLE ?? "";
  const Key = { id: { S: `ttl-canary-${randomBytes(8).toString("hex")}` } };
  try {
    await dynamo.send(new PutItemCommand({ TableName, Item: { ...Key, ttl: { N: String(Math.floor(Date.now() / 1000) - 3600) } } }));
    const deadline = Date.now() + 30_000;
    while ((await dynamo.send(new GetItemCommand({ TableName, Key, ConsistentRead: true }))).Item !== undefined) {
      if (Date.now() > deadline) {
        await dynamo.send(new DeleteItemCommand({ TableName, Key }));
        throw new Error("DynamoDB Local made no TTL pass in 30 s");
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    // The pass that deleted the canary may still be on its way through the table.
    await new Promise((resolve) => setTimeout(resolve, 500));
  } finally {
    dynamo.destroy();
  }
}

function expectError(response: ApiResponse, status: number, code: string): void {
  expect({ status: response.status, code: response.json?.error?.code }).toEqual({ status, code });
}

describe("HTTP API: an expired registration session", () => {
  it("answers 400 session_expired until the retention period is over, then session_not_found, after the stores have tidied up", async () => {
    // Three sessions, started so that by the real clock they expired a minute ago, 30 s short of the
    // retention period ago, and a minute past it.
    const { client, clock } = appStartedAgo(TIMEOUT_MS + SESSION_RETENTION_MS + 60_000);
    const forgotten = await start(client, "mallory");
    clock.advance(90_000);
    const almostForgotten = await start(client, "mallory");
    clock.advance(SESSION_RETENTION_MS - 90_000);
    const lately = await start(client, "mallory");
    clock.advance(TIMEOUT_MS + 60_000 - 10_000);

    await letStoresTidyUp(client, clock);

    const finish = ({ sessionId, credential }: Awaited<ReturnType<typeof start>>) =>
      client.post("/registration/finish", { sessionId, publicKeyCredential: credential });
    expectError(await finish(lately), 400, "session_expired");
    expectError(await finish(almostForgotten), 400, "session_expired");
    expectError(await finish(forgotten), 400, "session_not_found");
    // Consumed all the same: single use holds for expired sessions too.
    expectError(await finish(lately), 400, "session_not_found");
  }, 60_000);
});
