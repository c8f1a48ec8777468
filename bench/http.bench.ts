/**
 * `npm run bench:http`: the HTTP API under load, measured from the server's side. Not a timed test: it
 * prints figures and exits 0.
 *
 * Processes. This one only orchestrates. The server runs in a child process of its own (startServer,
 * local identity provider), so that `process.cpuUsage()` there is the server's own CPU time: its event
 * loop, libuv's pool and V8's helper threads, and nothing else. The clients run in further child
 * processes (BENCH_CLIENT_PROCESSES, default 2), BENCH_CONCURRENCY sign-in loops in all (default 16),
 * over keep-alive node:http connections; their signing and HTTP work is theirs, not the server's.
 *
 * For each storage (BENCH_STORAGE = memory | dynamodb | both, default both; dynamodb starts a DynamoDB
 * Local of its own, which needs Java):
 *   1. the clients register BENCH_USERS users (default 200) over HTTP, each client its own, one ES256
 *      software authenticator each;
 *   2. after a warm-up, BENCH_SECONDS (default 10) of complete sign-ins: discover → the authenticator
 *      signs → start(userHandle) → finish, all real. Server CPU time over the window ÷ complete sign-ins
 *      is the server's CPU per sign-in; with DynamoDB, an SDK middleware on the server's DynamoDB client
 *      counts its requests, by command;
 *   3. in the server process, right after, on the same services: AuthenticationCeremony.finish alone,
 *      on BENCH_IN_PROCESS_OPS (default 1000) assertions prepared beforehand: CPU per finish (and its
 *      DynamoDB requests);
 *   4. a profiled window (BENCH_PROFILE_SECONDS, default 4): V8's sampling profiler in the server
 *      process, its samples sorted into where the CPU goes (the innermost frame of keyport or of a
 *      library decides; Node's internals and native code count for the code that called them). The
 *      shares are applied to the unprofiled CPU per sign-in of step 2, since the profiler costs CPU too.
 *
 * Target (issue 16): server CPU per complete sign-in ≤ 4 × the in-process finish.
 */
import { AsyncLocalStorage } from "node:async_hooks";
import { fork, type ChildProcess } from "node:child_process";
import { subscribe } from "node:diagnostics_channel";
import { Agent, request } from "node:http";
import { Session } from "node:inspector/promises";
import { cpus, loadavg } from "node:os";
import { fileURLToPath } from "node:url";
import type { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { identityUserDirectoryOn } from "../src/composition/identity-providers.js";
import { resolve, Tokens } from "../src/composition/container.js";
import { startServer, type RunningServer } from "../src/composition/local-server.js";
import type { DynamoDbTable } from "../src/composition/services.js";
import type { PublicKeyCredentialRequestOptionsJSON } from "../src/domain/encoding/webauthn-json.js";
import { silentLog } from "../src/handlers/http/log.js";
import { SoftwareAuthenticator, startDynamoDbLocal } from "../test/support/index.js";

const ORIGIN = "http://localhost:3000";
const USERS = positive("BENCH_USERS", 200);
const SECONDS = positive("BENCH_SECONDS", 10);
const WARMUP_SECONDS = positive("BENCH_WARMUP_SECONDS", 2);
const PROFILE_SECONDS = positive("BENCH_PROFILE_SECONDS", 4);
const CONCURRENCY = positive("BENCH_CONCURRENCY", 16);
const CLIENT_PROCESSES = positive("BENCH_CLIENT_PROCESSES", 2);
const IN_PROCESS_OPS = positive("BENCH_IN_PROCESS_OPS", 1000);
/** Users the server process registers for its own in-process finishes. */
const IN_PROCESS_USERS = 50;
const TARGET_RATIO = 4;
const STORAGES = storages(process.env.BENCH_STORAGE ?? "both");

function positive(name: string, fallback: number): number {
  const raw = process.env[name];
  const value = raw === undefined ? fallback : Number(raw);
  if (!Number.isInteger(value) || value < 1) throw new Error(`${name} must be a positive integer`);
  return value;
}

function storages(raw: string): ("memory" | "dynamodb")[] {
  if (raw === "both") return ["memory", "dynamodb"];
  if (raw === "memory" || raw === "dynamodb") return [raw];
  throw new Error("BENCH_STORAGE must be memory, dynamodb or both");
}

// -------------------------------------------------------------------------------------------------
// IPC: one request, one reply, matched by id
// -------------------------------------------------------------------------------------------------

type Message = { readonly id: number; readonly [key: string]: unknown };
type Handler = (message: Message) => Promise<Record<string, unknown>>;

/** In a child: answers each request the parent sends with the handler's reply (or the error's text). */
function serve(handler: Handler): void {
  process.on("message", (message: Message) => {
    handler(message).then(
      (reply) => process.send?.({ id: message.id, ...reply }),
      (fault: unknown) => process.send?.({ id: message.id, fault: fault instanceof Error ? (fault.stack ?? fault.message) : String(fault) }),
    );
  });
}

/** In the parent: a child of this very file in `role`, and a function that asks it something. */
function child(role: "server" | "client"): { process: ChildProcess; ask: (command: Record<string, unknown>) => Promise<Record<string, unknown>> } {
  const forked = fork(fileURLToPath(import.meta.url), [role], { stdio: ["ignore", "inherit", "inherit", "ipc"] });
  const waiting = new Map<number, { resolve: (reply: Record<string, unknown>) => void; reject: (error: Error) => void }>();
  let next = 0;
  forked.on("message", (message: Message) => {
    const entry = waiting.get(message.id);
    waiting.delete(message.id);
    if (typeof message.fault === "string") entry?.reject(new Error(`${role}: ${message.fault}`));
    else entry?.resolve(message);
  });
  forked.on("exit", (code) => {
    for (const entry of waiting.values()) entry.reject(new Error(`${role} exited (${code})`));
    waiting.clear();
  });
  const ask = (command: Record<string, unknown>): Promise<Record<string, unknown>> =>
    new Promise((resolve, reject) => {
      const id = next++;
      waiting.set(id, { resolve, reject });
      forked.send({ id, ...command });
    });
  return { process: forked, ask };
}

// -------------------------------------------------------------------------------------------------
// HTTP, as the clients speak it
// -------------------------------------------------------------------------------------------------

interface BenchUser {
  readonly userId: string;
  readonly authenticator: SoftwareAuthenticator;
}

const agent = new Agent({ keepAlive: true, maxSockets: CONCURRENCY });

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- response bodies are read field by field
function post(base: string, path: string, body: unknown): Promise<any> {
  const payload = JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const sent = request(
      `${base}${path}`,
      { method: "POST", agent, headers: { "Content-Type": "application/json", "Content-Length": Buffer.byteLength(payload), Origin: ORIGIN } },
      (response) => {
        const chunks: Buffer[] = [];
        response.on("data", (chunk: Buffer) => chunks.push(chunk));
        response.on("end", () => {
          const text = Buffer.concat(chunks).toString("utf8");
          if (response.statusCode !== 200) reject(new Error(`${path}: ${response.statusCode} ${text}`));
          else resolve(JSON.parse(text));
        });
        response.on("error", reject);
      },
    );
    sent.on("error", reject);
    sent.end(payload);
  });
}

async function register(base: string, index: number): Promise<BenchUser> {
  const authenticator = new SoftwareAuthenticator();
  const started = await post(base, "/registration/start", { username: `bench-${index}`, displayName: `Bench ${index}` });
  const credential = authenticator.createCredential(started.credentialCreationOptions, { origin: ORIGIN, algorithm: "ES256" });
  const finished = await post(base, "/registration/finish", { sessionId: started.sessionId, publicKeyCredential: credential });
  return { userId: finished.userId as string, authenticator };
}

/** One complete sign-in: discover, the authenticator's assertion, start for the user it names, finish. */
async function signIn(base: string, user: BenchUser): Promise<void> {
  const discovered = await post(base, "/authentication/discover", {});
  const assertion = user.authenticator.getAssertion(discovered.credentialRequestOptions as PublicKeyCredentialRequestOptionsJSON, { origin: ORIGIN });
  const userId = assertion.response.userHandle;
  if (userId !== user.userId) throw new Error("the authenticator answered for another user");
  const started = await post(base, "/authentication/start", { userId });
  const tokens = await post(base, "/authentication/finish", { session: started.session, userId, publicKeyCredential: assertion });
  if (typeof tokens.idToken !== "string") throw new Error("no ID token");
}

/** Runs `task` over `items` with at most `limit` in flight. */
async function pool<T, R>(items: readonly T[], limit: number, task: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) {
        const index = next++;
        results[index] = await task(items[index]!);
      }
    }),
  );
  return results;
}

// -------------------------------------------------------------------------------------------------
// The client processes
// -------------------------------------------------------------------------------------------------

function runClient(): void {
  let users: BenchUser[] = [];
  serve(async (message) => {
    const url = String(message.url);
    if (message.command === "register") {
      const indices = message.indices as number[];
      const loops = Number(message.loops);
      users = await pool(indices, loops, (i) => register(url, i));
      return {};
    }
    if (message.command === "run") {
      const loops = Number(message.loops);
      const deadline = performance.now() + Number(message.seconds) * 1000;
      const latencies: number[] = [];
      // Each loop owns its users, so that no two sign-ins of one authenticator race on its counter.
      await Promise.all(
        Array.from({ length: loops }, async (_, loop) => {
          const own = users.filter((_, i) => i % loops === loop);
          for (let turn = 0; performance.now() < deadline; turn++) {
            const t0 = performance.now();
            await signIn(url, own[turn % own.length]!);
            latencies.push(performance.now() - t0);
          }
        }),
      );
      return { latencies };
    }
    if (message.command === "exit") setImmediate(() => process.exit(0));
    return {};
  });
}

// -------------------------------------------------------------------------------------------------
// The server process
// -------------------------------------------------------------------------------------------------

/** DynamoDB requests by "route command", counted by a middleware on the server's client. */
const dynamoDbRequests = new Map<string, number>();

/**
 * The path of the HTTP request being served, for the middleware to file each DynamoDB request under:
 * set as Node starts on a request (its diagnostics channel), before the app runs, so that everything
 * the request's handling awaits inherits it.
 */
const servedPath = new AsyncLocalStorage<string>();
function followRequests(): void {
  subscribe("http.server.request.start", (message) => {
    const { request } = message as { request: { url?: string } };
    servedPath.enterWith(request.url ?? "?");
  });
}

/**
 * The composition builds one DynamoDB client for all its stores, and hands it to the local identity
 * provider's user directory factory: the bench's factory puts the counting middleware on it there, and
 * makes the directory as the composition would have.
 */
function countingUserDirectory(table: DynamoDbTable | null): ReturnType<typeof identityUserDirectoryOn> {
  if (table !== null) countRequests(table.client);
  return identityUserDirectoryOn(table);
}

const counted = new WeakSet<DynamoDBClient>();
function countRequests(client: DynamoDBClient): void {
  if (counted.has(client)) return;
  counted.add(client);
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const key = `${servedPath.getStore() ?? "in-process"} ${context.commandName ?? "?"}`;
      dynamoDbRequests.set(key, (dynamoDbRequests.get(key) ?? 0) + 1);
      return next(args);
    },
    { step: "initialize", name: "keyportBenchRequestCount" },
  );
}

const cpuMicros = (): number => {
  const usage = process.cpuUsage();
  return usage.user + usage.system;
};

function runServer(): void {
  followRequests();
  let server: RunningServer | null = null;
  let markedCpu = 0;
  let markedAt = 0;
  const profiler = new Session();
  serve(async (message) => {
    switch (message.command) {
      case "start": {
        server = await startServer(message.env as Record<string, string>, {
          log: silentLog,
          serveStatic: false,
          overrides: { identityUserDirectory: countingUserDirectory },
        });
        return { url: server.url, setup: server.setup };
      }
      case "mark":
        dynamoDbRequests.clear();
        markedAt = performance.now();
        markedCpu = cpuMicros();
        return {};
      case "read":
        return { cpuMicros: cpuMicros() - markedCpu, seconds: (performance.now() - markedAt) / 1000, dynamoDb: Object.fromEntries(dynamoDbRequests) };
      case "profile-start":
        profiler.connect();
        await profiler.post("Profiler.enable");
        await profiler.post("Profiler.setSamplingInterval", { interval: 200 });
        await profiler.post("Profiler.start");
        return {};
      case "profile-stop": {
        const { profile } = await profiler.post("Profiler.stop");
        await profiler.post("Profiler.disable");
        profiler.disconnect();
        return { areas: areasOf(profile as Profile) };
      }
      case "in-process":
        return inProcessFinish(server!, Number(message.ops));
      case "close":
        await server?.close();
        setImmediate(() => process.exit(0));
        return {};
      default:
        throw new Error(`unknown command ${String(message.command)}`);
    }
  });
}

/** AuthenticationCeremony.finish alone, on the server's own services, with assertions prepared beforehand. */
async function inProcessFinish(server: RunningServer, ops: number): Promise<Record<string, unknown>> {
  const users = await pool(
    Array.from({ length: IN_PROCESS_USERS }, (_, i) => 1_000_000 + i),
    8,
    (i) => register(server.url, i),
  );
  const authentication = resolve(server.container, Tokens.authenticationCeremony);
  const prepared = [];
  for (let i = 0; i < ops; i++) {
    const user = users[i % users.length]!;
    const options = await authentication.startForUser(user.userId);
    prepared.push(user.authenticator.getAssertion(options, { origin: ORIGIN }));
  }
  // A warm-up tenth, then the rest timed.
  const warm = Math.floor(ops / 10);
  for (const assertion of prepared.slice(0, warm)) if (!(await authentication.finish(assertion)).ok) throw new Error("in-process finish failed");
  dynamoDbRequests.clear();
  const cpuBefore = cpuMicros();
  const started = performance.now();
  for (const assertion of prepared.slice(warm)) {
    const result = await authentication.finish(assertion);
    if (!result.ok) throw new Error(`in-process finish: ${result.error}`);
  }
  const timed = ops - warm;
  return {
    cpuMicrosPerOp: (cpuMicros() - cpuBefore) / timed,
    wallMicrosPerOp: ((performance.now() - started) * 1000) / timed,
    ops: timed,
    dynamoDb: Object.fromEntries(dynamoDbRequests),
  };
}

// -------------------------------------------------------------------------------------------------
// Where the server's CPU goes: the profile's samples, by area
// -------------------------------------------------------------------------------------------------

interface ProfileNode {
  readonly id: number;
  readonly callFrame: { readonly functionName: string; readonly url: string };
  readonly children?: readonly number[];
}
interface Profile {
  readonly nodes: readonly ProfileNode[];
  readonly samples: readonly number[];
}

/** Areas by the source of a frame, first match wins. Frames of Node's internals and V8's builtins have none. */
const AREAS: readonly (readonly [string, (url: string, name: string) => boolean])[] = [
  ["sign-in start (sessions, challenges, credential lists)", (url, name) => url.includes("/src/domain/ceremonies/authentication-ceremony.ts") && /^(start|startForUser|startDiscoverable|fakeCredentials|fakeIdBytes|fakeIdTag)$/.test(name)],
  ["the ceremony's finish (what the in-process figure measures)", (url) => /\/src\/(domain\/ceremonies\/(authentication-ceremony|steps|checks\/)|domain\/encoding\/|adapters\/(node-crypto|webcrypto)\/)/.test(url)],
  ["tokens: JWT signing and verification (jose)", (url) => url.includes("/node_modules/jose/")],
  ["local identity provider and its triggers (users, Cognito-shaped flow)", (url) => /\/src\/(adapters\/local-identity|handlers\/cognito|domain\/custom-challenge)\//.test(url)],
  ["security events and request context (activity, event log)", (url) => /\/src\/(domain\/activity|adapters\/[a-z-]+\/[a-z-]*event)/.test(url)],
  ["stores (in-memory or DynamoDB adapters)", (url) => /\/src\/adapters\/(in-memory|dynamodb)\//.test(url)],
  ["AWS SDK (DynamoDB requests: build, sign, send, parse)", (url) => /\/node_modules\/(@aws-sdk|@smithy|@aws-crypto)\//.test(url)],
  ["keyport's HTTP routes and middleware", (url) => url.includes("/src/handlers/http/")],
  ["hono and @hono/node-server", (url) => /\/node_modules\/(hono|@hono)\//.test(url)],
  ["other keyport code (domain, composition)", (url) => url.includes("/src/")],
  ["the bench's own replies to the orchestrator", (url) => url.includes("/bench/")],
  ["other libraries", (url) => url.includes("/node_modules/")],
];

function areaOfStack(frames: readonly ProfileNode[]): string {
  const leaf = frames[0]!.callFrame.functionName;
  if (leaf === "(garbage collector)") return "garbage collection";
  if (leaf === "(program)") return "V8 and native code not attributed to a function";
  // The innermost frame with a source of its own decides; Node's internals count for their caller,
  // but for the Fetch API's classes (undici inside Node), which @hono/node-server builds every request on.
  for (const { callFrame } of frames) {
    const { url, functionName } = callFrame;
    if (url.startsWith("node:internal/deps/undici")) return "Fetch API objects: Request, Response, Headers, bodies (undici, inside Node)";
    if (url === "" || url.startsWith("node:")) continue;
    for (const [area, matches] of AREAS) if (matches(url, functionName)) return area;
    return "other";
  }
  const internal = frames.find((f) => f.callFrame.url.startsWith("node:"))?.callFrame.url ?? "";
  return /node:(_http|http|net|stream|internal\/(http|streams|stream_base|net|js_stream))/.test(internal) ? "node:http, net and streams" : "other Node internals (event loop, timers, promises)";
}

/**
 * Samples by area. Counted, not weighed by the time since the sample before: on a busy machine that
 * time includes spells when the process did not run at all, which would land on whatever ran next.
 */
function areasOf(profile: Profile): Record<string, number> {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const parent = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
  const areas: Record<string, number> = {};
  for (const id of profile.samples) {
    const frames: ProfileNode[] = [];
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) frames.push(byId.get(at)!);
    if (frames[0]!.callFrame.functionName === "(idle)") continue;
    const area = areaOfStack(frames);
    areas[area] = (areas[area] ?? 0) + 1;
  }
  return areas;
}

// -------------------------------------------------------------------------------------------------
// The orchestrator
// -------------------------------------------------------------------------------------------------

const fmt = (n: number, digits = 0): string => n.toLocaleString("en-US", { minimumFractionDigits: digits, maximumFractionDigits: digits });
const msOf = (micros: number): string => `${(micros / 1000).toFixed(3)} ms`;

function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

/** Requests per operation, by command: "19.00 (GetItem 8.00, PutItem 3.00, …)". */
function requestsLine(requests: ReadonlyMap<string, number>, per: number): string {
  const total = [...requests.values()].reduce((sum, n) => sum + n, 0);
  const each = [...requests]
    .sort((a, b) => b[1] - a[1])
    .map(([command, n]) => `${command.replace(/Command$/, "")} ${fmt(n / per, 2)}`)
    .join(", ");
  return `${fmt(total / per, 2)}${each === "" ? "" : ` (${each})`}`;
}

/** The counts ("route command" → n) for one route, or for all routes, by command. */
function byCommand(requests: Record<string, number>, route?: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const [key, n] of Object.entries(requests)) {
    const [path, command] = key.split(" ") as [string, string];
    if (route === undefined || path === route) out.set(command, (out.get(command) ?? 0) + n);
  }
  return out;
}

async function benchStorage(storage: "memory" | "dynamodb"): Promise<void> {
  const local = storage === "dynamodb" ? await startDynamoDbLocal() : null;
  const server = child("server");
  const clients = Array.from({ length: CLIENT_PROCESSES }, () => child("client"));
  try {
    const env: Record<string, string> = { PORT: "0", RP_ID: "localhost", RP_NAME: "keyport bench", ALLOWED_ORIGINS: ORIGIN, IDENTITY_PROVIDER: "local", STORAGE: storage };
    if (local !== null) env.DYNAMODB_ENDPOINT = local.endpoint;
    const { url, setup } = (await server.ask({ command: "start", env })) as { url: string; setup: string };
    console.log(`\nstorage: ${storage} (${setup})`);

    const loopsOf = (c: number): number => Math.floor(CONCURRENCY / CLIENT_PROCESSES) + (c < CONCURRENCY % CLIENT_PROCESSES ? 1 : 0);
    const registrationStarted = performance.now();
    await Promise.all(
      clients.map((client, c) =>
        client.ask({ command: "register", url, loops: loopsOf(c), indices: Array.from({ length: USERS }, (_, i) => i).filter((i) => i % CLIENT_PROCESSES === c) }),
      ),
    );
    console.log(`  registered ${USERS} users in ${((performance.now() - registrationStarted) / 1000).toFixed(1)} s`);

    const run = async (seconds: number): Promise<number[]> => {
      const replies = await Promise.all(clients.map((client, c) => client.ask({ command: "run", url, loops: loopsOf(c), seconds })));
      return replies.flatMap((reply) => reply.latencies as number[]);
    };
    await run(WARMUP_SECONDS);
    await server.ask({ command: "mark" });
    const latencies = await run(SECONDS);
    const window = (await server.ask({ command: "read" })) as { cpuMicros: number; seconds: number; dynamoDb: Record<string, number> };
    const signIns = latencies.length;
    const perSignIn = window.cpuMicros / signIns;
    const sorted = [...latencies].sort((a, b) => a - b);

    const finish = (await server.ask({ command: "in-process", ops: IN_PROCESS_OPS })) as { cpuMicrosPerOp: number; wallMicrosPerOp: number; ops: number; dynamoDb: Record<string, number> };
    const ratio = perSignIn / finish.cpuMicrosPerOp;

    await server.ask({ command: "profile-start" });
    await run(PROFILE_SECONDS);
    const { areas } = (await server.ask({ command: "profile-stop" })) as { areas: Record<string, number> };

    const label = (text: string): string => `  ${text.padEnd(52)}`;
    console.log(
      `${label("HTTP sign-ins (discover + start + finish)")}${fmt(signIns / window.seconds)} /s   latency median ${percentile(sorted, 50).toFixed(1)} ms, p95 ${percentile(sorted, 95).toFixed(1)} ms   (${fmt(signIns)} in ${window.seconds.toFixed(1)} s)`,
    );
    console.log(`${label("server CPU per complete sign-in")}${msOf(perSignIn)}   (the server process's own CPU time ÷ sign-ins)`);
    console.log(`${label("in-process AuthenticationCeremony.finish")}${msOf(finish.cpuMicrosPerOp)} CPU, ${msOf(finish.wallMicrosPerOp)} wall per finish   (${fmt(finish.ops)}, same process, same services)`);
    console.log(`${label("server CPU per sign-in ÷ in-process finish")}${ratio.toFixed(1)}×   ${ratio <= TARGET_RATIO ? "PASS" : "MISS"} (≤ ${TARGET_RATIO}×)`);
    if (storage === "dynamodb") {
      console.log(`${label("DynamoDB requests per complete sign-in")}${requestsLine(byCommand(window.dynamoDb), signIns)}`);
      for (const route of ["/authentication/discover", "/authentication/start", "/authentication/finish"]) {
        console.log(`${label(`  of which ${route}`)}${requestsLine(byCommand(window.dynamoDb, route), signIns)}`);
      }
      console.log(`${label("DynamoDB requests per in-process finish")}${requestsLine(byCommand(finish.dynamoDb), finish.ops)}`);
    }
    const profiled = Object.values(areas).reduce((sum, samples) => sum + samples, 0);
    console.log(`  where the server's CPU per sign-in goes (shares of a ${PROFILE_SECONDS} s profiled window, applied to the figure above):`);
    for (const [area, samples] of Object.entries(areas).sort((a, b) => b[1] - a[1])) {
      const share = samples / profiled;
      console.log(`    ${(100 * share).toFixed(1).padStart(5)}%  ${msOf(share * perSignIn).padStart(9)}  ${area}`);
    }
  } finally {
    await Promise.allSettled([server.ask({ command: "close" }), ...clients.map((client) => client.ask({ command: "exit" }))]);
    await local?.stop();
  }
}

async function main(): Promise<void> {
  const cpu = cpus();
  console.log(`keyport HTTP bench: Node ${process.version}, ${cpu[0]?.model.trim() ?? "unknown CPU"} × ${cpu.length}`);
  console.log(
    `server in a process of its own; ${CLIENT_PROCESSES} client processes, ${CONCURRENCY} sign-in loops in all, ${USERS} users (ES256); ${SECONDS} s measured per storage`,
  );
  const loadAtStart = loadavg()[0]!.toFixed(2);
  for (const storage of STORAGES) await benchStorage(storage);
  console.log(`\nLoad average (1 min) ${loadAtStart} at start, ${loadavg()[0]!.toFixed(2)} at end.`);
}

// The AWS SDK warns, in every process that loads it, that its releases from 2027 will need Node 22.
process.removeAllListeners("warning");
process.on("warning", (warning) => {
  if (!`${warning.name} ${warning.message}`.includes("NodeVersionSupportWarning")) console.warn(warning);
});

const role = process.argv[2];
if (role === "server") runServer();
else if (role === "client") runClient();
else
  main().then(
    () => process.exit(0),
    (fault: unknown) => {
      console.error(fault);
      process.exit(1);
    },
  );
