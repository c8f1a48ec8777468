/**
 * `npm run bench:http`: sign-ins per second through the real HTTP server, next to the in-process
 * ceremony. Not a timed test: it prints figures and exits 0.
 *
 * 1. starts keyport (startServer, local identity provider, in-memory stores) on a free port;
 * 2. registers BENCH_USERS users (default 200), one ES256 software authenticator each;
 * 3. for BENCH_SECONDS (default 10) runs BENCH_CONCURRENCY (default 16) clients, each signing its own
 *    users in over and over: discover → authenticator signs → start(userHandle) → finish, all real;
 * 4. measures AuthenticationCeremony.finish alone, in-process, on the same services.
 *
 * The clients run in the same Node process as the server, so their signing and fetch overhead shares
 * the one event loop with it: the HTTP figure is a floor for what a separate server would do. "CPU per
 * op" (process CPU time / operations) is the figure to compare on a busy machine, where wall-clock
 * latency mostly measures the neighbours.
 */
import type { PublicKeyCredentialRequestOptionsJSON } from "../src/domain/encoding/webauthn-json.js";
import { resolve, Tokens } from "../src/composition/container.js";
import { silentLog } from "../src/handlers/http/log.js";
import { startServer } from "../src/composition/local-server.js";
import { SoftwareAuthenticator } from "../test/support/index.js";

const ORIGIN = "http://localhost:3000";
const USERS = positive("BENCH_USERS", 200);
const SECONDS = positive("BENCH_SECONDS", 10);
const CONCURRENCY = positive("BENCH_CONCURRENCY", 16);
const IN_PROCESS_OPS = positive("BENCH_IN_PROCESS_OPS", 2000);

function positive(name: string, fallback: number): number {
  const raw = process.env[name];
  const value = raw === undefined ? fallback : Number(raw);
  if (!Number.isInteger(value) || value < 1) throw new Error(`${name} must be a positive integer`);
  return value;
}

interface BenchUser {
  readonly userId: string;
  readonly authenticator: SoftwareAuthenticator;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- response bodies are read field by field
async function post(base: string, path: string, body: unknown): Promise<any> {
  const response = await fetch(`${base}${path}`, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) });
  const json: unknown = await response.json();
  if (response.status !== 200) throw new Error(`${path}: ${response.status} ${JSON.stringify(json)}`);
  return json;
}

async function register(base: string, index: number): Promise<BenchUser> {
  const authenticator = new SoftwareAuthenticator();
  const started = await post(base, "/registration/start", { username: `bench-${index}`, displayName: `Bench ${index}` });
  const credential = authenticator.createCredential(started.credentialCreationOptions, { origin: ORIGIN, algorithm: "ES256" });
  const finished = await post(base, "/registration/finish", { sessionId: started.sessionId, publicKeyCredential: credential });
  return { userId: finished.userId as string, authenticator };
}

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
async function pool<T, R>(items: readonly T[], limit: number, task: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) {
        const index = next++;
        results[index] = await task(items[index]!, index);
      }
    }),
  );
  return results;
}

function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

function summary(latencies: number[]): { median: number; p95: number } {
  const sorted = [...latencies].sort((a, b) => a - b);
  return { median: percentile(sorted, 50), p95: percentile(sorted, 95) };
}

const ms = (value: number): string => `${value.toFixed(2)} ms`;

async function main(): Promise<void> {
  const server = await startServer(
    { PORT: "0", RP_ID: "localhost", RP_NAME: "keyport bench", ALLOWED_ORIGINS: ORIGIN, STORAGE: "memory", IDENTITY_PROVIDER: "local" },
    { log: silentLog, serveStatic: false },
  );
  try {
    console.log(`keyport bench: server ${server.url}, ${USERS} users (ES256), ${CONCURRENCY} clients, ${SECONDS} s`);

    const registrationStarted = performance.now();
    const users = await pool(
      Array.from({ length: USERS }, (_, i) => i),
      CONCURRENCY,
      (i) => register(server.url, i),
    );
    const registrationSeconds = (performance.now() - registrationStarted) / 1000;
    console.log(`registered ${users.length} users in ${registrationSeconds.toFixed(2)} s (${(users.length / registrationSeconds).toFixed(0)} sign-ups/s)`);

    // Each client owns its users, so that no two sign-ins of one authenticator race on its counter.
    const latencies: number[] = [];
    const deadline = performance.now() + SECONDS * 1000;
    const cpuBefore = process.cpuUsage();
    const started = performance.now();
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async (_, client) => {
        const own = users.filter((_, i) => i % CONCURRENCY === client);
        for (let turn = 0; performance.now() < deadline; turn++) {
          const t0 = performance.now();
          await signIn(server.url, own[turn % own.length]!);
          latencies.push(performance.now() - t0);
        }
      }),
    );
    const elapsed = (performance.now() - started) / 1000;
    const cpu = process.cpuUsage(cpuBefore);
    const http = summary(latencies);

    // In-process: the ceremony's finish alone, on the same services, with assertions prepared beforehand.
    const authentication = resolve(server.container, Tokens.authenticationCeremony);
    const prepared = [];
    for (let i = 0; i < IN_PROCESS_OPS; i++) {
      const user = users[i % users.length]!;
      const options = await authentication.startForUser(user.userId);
      prepared.push(user.authenticator.getAssertion(options, { origin: ORIGIN }));
    }
    const finishLatencies: number[] = [];
    const finishCpuBefore = process.cpuUsage();
    const finishStarted = performance.now();
    for (const assertion of prepared) {
      const t0 = performance.now();
      const result = await authentication.finish(assertion);
      finishLatencies.push(performance.now() - t0);
      if (!result.ok) throw new Error(`in-process finish: ${result.error}`);
    }
    const finishSeconds = (performance.now() - finishStarted) / 1000;
    const finishCpu = process.cpuUsage(finishCpuBefore);
    const inProcess = summary(finishLatencies);

    console.log("");
    const cpuMs = (usage: NodeJS.CpuUsage, count: number): string => ms((usage.user + usage.system) / 1000 / count);
    console.log("                                      throughput       median        p95   CPU per op");
    console.log(
      `HTTP sign-in (discover+start+finish)  ${(latencies.length / elapsed).toFixed(0).padStart(7)} /s  ${ms(http.median).padStart(11)}  ${ms(http.p95).padStart(9)}  ${cpuMs(cpu, latencies.length).padStart(10)}   (${latencies.length} sign-ins, ${CONCURRENCY} clients; CPU includes the clients)`,
    );
    console.log(
      `in-process AuthenticationCeremony.finish ${(finishLatencies.length / finishSeconds).toFixed(0).padStart(4)} /s  ${ms(inProcess.median).padStart(11)}  ${ms(inProcess.p95).padStart(9)}  ${cpuMs(finishCpu, finishLatencies.length).padStart(10)}   (${finishLatencies.length} finishes, sequential)`,
    );
  } finally {
    await server.close();
  }
}

main().then(
  () => process.exit(0),
  (fault: unknown) => {
    console.error(fault);
    process.exit(1);
  },
);
