/**
 * `npm run dynamodb:local`: DynamoDB Local in memory on port 8000 (or DYNAMODB_LOCAL_PORT), with
 * keyport's three tables created, until Ctrl-C. In memory means every start is empty.
 *
 *   SESSION_TABLE, CREDENTIAL_TABLE, EVENT_TABLE   table names, read as keyport reads them (parseConfig),
 *                                                  so that `npm start` with the same variables finds the
 *                                                  same tables
 */
import { createTables } from "../src/adapters/dynamodb/dynamodb-tables.js";
import { parseConfig } from "../src/composition/config.js";
import { startDynamoDbLocal } from "../test/support/index.js";

const DEFAULT_PORT = 8000;

function port(raw: string | undefined): number {
  if (raw === undefined || raw === "") return DEFAULT_PORT;
  const value = Number(raw);
  if (!/^\d+$/.test(raw) || value < 1 || value > 65535) throw new Error(`DYNAMODB_LOCAL_PORT must be a port number (1–65535), got ${JSON.stringify(raw)}`);
  return value;
}

async function main(): Promise<void> {
  const { SESSION_TABLE, CREDENTIAL_TABLE, EVENT_TABLE } = process.env;
  const names = parseConfig({ SESSION_TABLE, CREDENTIAL_TABLE, EVENT_TABLE, STORAGE: "dynamodb" }).dynamoDb;
  if (names === null) throw new Error("keyport's configuration gave no DynamoDB table names");
  const started = Date.now();
  const local = await startDynamoDbLocal({ port: port(process.env.DYNAMODB_LOCAL_PORT) });
  await createTables(local.client, names);
  const endpoint = `http://localhost:${local.port}`;

  console.log(`DynamoDB Local is running in memory on ${endpoint} (started in ${Date.now() - started} ms).`);
  console.log(`Tables: ${names.sessionTable} (TTL on "ttl"), ${names.credentialTable}, ${names.eventTable} (TTL on "ttl").`);
  console.log("");
  console.log("Run keyport against it, in another terminal:");
  const tables = [
    SESSION_TABLE ? `SESSION_TABLE=${names.sessionTable} ` : "",
    CREDENTIAL_TABLE ? `CREDENTIAL_TABLE=${names.credentialTable} ` : "",
    EVENT_TABLE ? `EVENT_TABLE=${names.eventTable} ` : "",
  ].join("");
  console.log(`  ${tables}STORAGE=dynamodb DYNAMODB_ENDPOINT=${endpoint} npm start`);
  console.log("Run the tests against it instead of a DynamoDB Local of their own:");
  console.log(`  DYNAMODB_TEST_ENDPOINT=${endpoint} npm run test:unit`);
  console.log("");
  console.log("Ctrl-C stops it; the data goes with it.");

  let stopping = false;
  const stop = (signal: NodeJS.Signals): void => {
    if (stopping) return;
    stopping = true;
    console.log(`\n${signal}: stopping DynamoDB Local…`);
    void local.stop().then(() => process.exit(0));
  };
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
  process.on("SIGHUP", stop);

  const code = await local.exited;
  if (!stopping) {
    console.error(`DynamoDB Local exited on its own (code ${code ?? "none"}).`);
    process.exit(1);
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
