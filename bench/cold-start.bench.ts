/**
 * `npm run bench:cold`: what each Lambda bundle adds to a cold start, against a handler doing the same
 * passkey job with @simplewebauthn/server (bench/cold/simplewebauthn-handler.ts). It builds the four
 * bundles as `npm run build:lambda` does, and the comparison the same way, then times
 * `node --input-type=module -e "await import('<bundle>')"` in fresh processes, interleaved across the
 * bundles, and subtracts the median of a bare `node -e ""`.
 *
 * Importing a keyport bundle runs its initialisation too (configuration, container, SDK clients), as
 * Lambda's init phase would; the one thing left out is the Secrets Manager read, which is network time,
 * not the bundle's. Two floors (bench/cold/aws-sdk-floor-*.ts: the same AWS SDK clients and nothing of
 * keyport) show how much of a figure is the SDK's.
 *
 * Besides wall time, each process reports its own CPU time (user + system, all threads) as it exits.
 * On a busy machine wall time mostly measures the neighbours; CPU time barely moves, and it is what a
 * Lambda function with a fraction of a vCPU pays for. Verdicts use wall time, as the targets are set.
 *
 * A third floor is Powertools for AWS Lambda Metrics alone (ADR 0020), as keyport's functions build and
 * use it (one instance, a count, a publish), bundled the same way: what the operator's metrics add to
 * the http-api and trigger figures.
 *
 * The reference handler has no AWS SDK, so every bundle that talks to AWS pays for clients the
 * reference never loads. A second table is the fair comparison: keyport's own import cost, each bundle
 * less the SDK floor with the very clients it loads (found in the bundle's inputs; none for Define),
 * against the reference's own. Each is a median over rounds of the difference within a round (the
 * subjects of a round run back to back), which drifting load disturbs less than a difference of medians.
 *
 * The authenticator catalog's data (ADR 0019) is a file beside the http-api and Verify bundles, read on
 * the first `describe`, not at init: that one-time cost is timed on its own, after the table.
 *
 * It prints figures and verdicts; it never fails on them (exit 0).
 * Options: --runs=N (processes per subject, default 21, at least 15).
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { loadavg } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { buildLambdaBundles, bundleLambda, kb, MAX_KB_WITHOUT_AWS_SDK, printSizes, type BundleReport } from "../scripts/build-lambda.js";

const ROOT = fileURLToPath(new URL("../", import.meta.url));
const BENCH_OUTDIR = join(ROOT, "dist/bench-cold");
/** Each keyport bundle may cost at most this share of the comparison handler's import time. */
const MAX_TIME_RATIO = 0.25;
const runsArg = process.argv.find((a) => a.startsWith("--runs="));
const RUNS = Math.max(15, Number.parseInt(runsArg?.slice("--runs=".length) ?? "", 10) || 21);
const WARM_UP_ROUNDS = 2;

/**
 * A complete deployment configuration, except that the unknown-user secret is given inline instead of
 * by ARN: no AWS is touched (SDK clients are built but never send). Nothing of the caller's environment
 * leaks in, so no AWS profile or credentials are read either.
 */
const LAMBDA_ENV: Readonly<Record<string, string>> = {
  RP_ID: "example.com",
  RP_NAME: "keyport",
  ALLOWED_ORIGINS: "https://example.com",
  STORAGE: "dynamodb",
  SESSION_TABLE: "keyport-bench-sessions",
  CREDENTIAL_TABLE: "keyport-bench-credentials",
  EVENT_TABLE: "keyport-bench-events",
  IDENTITY_PROVIDER: "cognito",
  AWS_REGION: "eu-west-1",
  COGNITO_USER_POOL_ID: "eu-west-1_Bench1234",
  COGNITO_CLIENT_ID: "benchclientid",
  UNKNOWN_USER_SECRET: "a2V5cG9ydC1iZW5jaC11bmtub3duLXVzZXItc2VjcmV0LTMyLWJ5dGVz",
};

/** Reports the process's CPU time on stderr as it exits; a few microseconds, in every subject alike. */
const REPORT_CPU = "process.on('exit',()=>{const u=process.cpuUsage();process.stderr.write('\\ncpu-us '+(u.user+u.system)+'\\n')});";

type Kind = "baseline" | "comparison" | "floor" | "keyport";

interface Subject {
  readonly label: string;
  readonly kind: Kind;
  readonly args: readonly string[];
  readonly report?: BundleReport;
  readonly wall: number[];
  readonly cpu: number[];
}

const subject = (label: string, kind: Kind, args: readonly string[], report?: BundleReport): Subject => ({ label, kind, args, report, wall: [], cpu: [] });
const importing = (label: string, kind: Kind, report: BundleReport): Subject =>
  subject(label, kind, ["--input-type=module", "-e", `${REPORT_CPU}await import(${JSON.stringify(pathToFileURL(report.outfile).href)})`], report);

/** One fresh process; a failed import stops the benchmark (its figures would be lies). */
function runOnce(s: Subject): { wall: number; cpu: number } {
  const started = performance.now();
  const run = spawnSync(process.execPath, s.args, { env: LAMBDA_ENV, encoding: "utf8" });
  const wall = performance.now() - started;
  const cpu = /cpu-us (\d+)/.exec(run.stderr)?.[1];
  if (run.status !== 0 || cpu === undefined) throw new Error(`${s.label} exited with ${run.status}:\n${run.stderr}${run.stdout}`);
  return { wall, cpu: Number(cpu) / 1000 };
}

function quantile(values: readonly number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (sorted.length - 1) * q;
  const low = sorted[Math.floor(at)] ?? Number.NaN;
  const high = sorted[Math.ceil(at)] ?? Number.NaN;
  return low + (high - low) * (at - Math.floor(at));
}

const median = (values: readonly number[]): number => quantile(values, 0.5);
const fixed = (value: number): string => value.toFixed(1);

async function main(): Promise<void> {
  console.log("building bundles…");
  // Built as `npm run build:lambda` builds them, into the bench's own directory: dist/lambda is left alone.
  const keyport = await buildLambdaBundles(BENCH_OUTDIR);
  const comparison = await bundleLambda("simplewebauthn-handler", "bench/cold/simplewebauthn-handler.ts", BENCH_OUTDIR);
  const floorTriggers = await bundleLambda("aws-sdk-floor-triggers", "bench/cold/aws-sdk-floor-triggers.ts", BENCH_OUTDIR);
  const floorHttp = await bundleLambda("aws-sdk-floor-http", "bench/cold/aws-sdk-floor-http.ts", BENCH_OUTDIR);
  const floorPowertools = await bundleLambda("powertools-metrics-floor", powertoolsFloorEntry(), BENCH_OUTDIR);
  printSizes([...keyport, comparison, floorTriggers, floorHttp, floorPowertools]);

  const bare = subject('node -e ""', "baseline", ["-e", REPORT_CPU]);
  const reference = importing("@simplewebauthn/server handler", "comparison", comparison);
  const floorSubjects = [importing("(SDK floor: triggers)", "floor", floorTriggers), importing("(SDK floor: http-api)", "floor", floorHttp)];
  // The metadata refresh runs on a schedule, never while a user waits: its size is printed, its start not timed.
  const keyportSubjects = keyport.filter((report) => report.name !== "mds-refresh").map((report) => importing(report.name, "keyport", report));
  const subjects = [
    bare,
    // The ES module loader's own start-up: part of every import figure below.
    subject("(empty ES module)", "baseline", ["--input-type=module", "-e", REPORT_CPU]),
    reference,
    ...floorSubjects,
    importing("(Powertools Metrics alone)", "floor", floorPowertools),
    ...keyportSubjects,
  ];

  console.log(`\ntiming ${RUNS} fresh processes per subject, interleaved, after ${WARM_UP_ROUNDS} warm-up rounds; node ${process.version}, load ${loadavg()[0]?.toFixed(1)}…`);
  for (let round = 0; round < WARM_UP_ROUNDS + RUNS; round += 1) {
    // Rotating the order spreads any drift (thermal, the neighbours' load) evenly over the subjects.
    for (let i = 0; i < subjects.length; i += 1) {
      const s = subjects[(round + i) % subjects.length] as Subject;
      const { wall, cpu } = runOnce(s);
      if (round < WARM_UP_ROUNDS) continue;
      s.wall.push(wall);
      s.cpu.push(cpu);
    }
  }

  const wallOver = (s: Subject): number => median(s.wall) - median(bare.wall);
  const cpuOver = (s: Subject): number => median(s.cpu) - median(bare.cpu);
  console.log(`bare node: median ${fixed(median(bare.wall))} ms wall, ${fixed(median(bare.cpu))} ms CPU; load now ${loadavg()[0]?.toFixed(1)}\n`);
  const row = (cells: string[]): string =>
    [cells[0]?.padEnd(32), ...cells.slice(1, 9).map((c) => c.padStart(9)), ...cells.slice(9).map((c) => c.padStart(6))].join(" ");
  console.log(row(["bundle", "KB", "w/o SDK", "wall ms", "wall IQR", "ratio", "CPU ms", "CPU IQR", "ratio", "size", "time"]));
  for (const s of subjects.slice(1)) {
    const report = s.report;
    const isKeyport = s.kind === "keyport";
    const wallRatio = wallOver(s) / wallOver(reference);
    const spread = (values: readonly number[], base: readonly number[]): string =>
      `${fixed(quantile(values, 0.25) - median(base))}–${fixed(quantile(values, 0.75) - median(base))}`;
    console.log(
      row([
        s.label,
        report === undefined ? "" : kb(report.bytes),
        report === undefined ? "" : kb(report.bytesWithoutAwsSdk),
        fixed(wallOver(s)),
        spread(s.wall, bare.wall),
        report === undefined ? "" : wallRatio.toFixed(2),
        fixed(cpuOver(s)),
        spread(s.cpu, bare.cpu),
        report === undefined ? "" : (cpuOver(s) / cpuOver(reference)).toFixed(2),
        !isKeyport || report === undefined ? "" : report.bytesWithoutAwsSdk / 1024 <= MAX_KB_WITHOUT_AWS_SDK ? "PASS" : "MISS",
        !isKeyport ? "" : wallRatio <= MAX_TIME_RATIO ? "PASS" : "MISS",
      ]),
    );
  }
  console.log(
    `\nms: median over bare node (IQR likewise); ratio: to the @simplewebauthn/server handler. Targets per keyport bundle:` +
      ` ≤ ${MAX_KB_WITHOUT_AWS_SDK} KB minified without the AWS SDK; ≤ ${MAX_TIME_RATIO} × the handler's import time (wall).`,
  );
  printOwnCosts(keyportSubjects, floorSubjects, reference, bare);
  await timeFirstDescribe();
}

/** The AWS SDK client packages a bundle carries, from its inputs: "@aws-sdk/client-dynamodb", … */
function sdkClientsOf(report: BundleReport | undefined): string {
  return (report?.byPackage ?? [])
    .filter((p) => p.awsSdk && p.name.startsWith("@aws-sdk/client-"))
    .map((p) => p.name)
    .sort()
    .join(", ");
}

/**
 * The fair table: each keyport bundle less the SDK floor with the same clients (matched by the client
 * packages in both bundles), against the reference less bare node. Per round, then the median.
 */
function printOwnCosts(keyport: readonly Subject[], floors: readonly Subject[], reference: Subject, bare: Subject): void {
  const perRound = (values: (round: number) => number): number => median(Array.from({ length: RUNS }, (_, round) => values(round)));
  const referenceWall = perRound((r) => reference.wall[r]! - bare.wall[r]!);
  const referenceCpu = perRound((r) => reference.cpu[r]! - bare.cpu[r]!);
  const row = (cells: string[]): string => [cells[0]?.padEnd(32), cells[1]?.padEnd(24), ...cells.slice(2, 6).map((c) => c.padStart(9)), cells[6]?.padStart(6)].join(" ");
  console.log(`
keyport's own import cost: each bundle less the AWS SDK clients it loads (the SDK floor with the same clients), against the reference's own`);
  console.log(row(["bundle", "less", "wall ms", "ratio", "CPU ms", "ratio", "time"]));
  console.log(row(["@simplewebauthn/server handler", "(bare node)", fixed(referenceWall), "1.00", fixed(referenceCpu), "1.00", ""]));
  for (const s of keyport) {
    const clients = sdkClientsOf(s.report);
    const floor = clients === "" ? null : floors.find((f) => sdkClientsOf(f.report) === clients);
    if (floor === undefined) {
      console.log(row([s.label, `no floor for ${clients}`, "", "", "", "", ""]));
      continue;
    }
    const base = floor ?? bare;
    const ownWall = perRound((r) => s.wall[r]! - base.wall[r]!);
    const ownCpu = perRound((r) => s.cpu[r]! - base.cpu[r]!);
    const ratio = ownWall / referenceWall;
    console.log(
      row([s.label, floor === null ? "(bare node: no SDK client)" : floor.label, fixed(ownWall), ratio.toFixed(2), fixed(ownCpu), (ownCpu / referenceCpu).toFixed(2), ratio <= MAX_TIME_RATIO ? "PASS" : "MISS"]),
    );
  }
  console.log(`ms: median over rounds of (bundle − floor) within a round; ratio: to the reference's (handler − bare node). Target: ≤ ${MAX_TIME_RATIO} (wall).`);
}

/**
 * The Powertools floor's entry point, written under dist/ at each run (generated, so that it cannot
 * drift from what the adapter does): Metrics constructed at init as keyport's adapter constructs it,
 * one count and one publish per invocation.
 */
function powertoolsFloorEntry(): string {
  const dir = join(BENCH_OUTDIR, "entries");
  mkdirSync(dir, { recursive: true });
  const entry = join(dir, "powertools-metrics-floor.ts");
  writeFileSync(
    entry,
    [
      'import { MetricUnit } from "@aws-lambda-powertools/metrics";',
      `import { keyportMetrics } from ${JSON.stringify(join(ROOT, "src/adapters/powertools/powertools-ceremony-metrics.ts"))};`,
      "const metrics = keyportMetrics();",
      "export async function handler(): Promise<void> {",
      '  metrics.addDimension("ceremony", "sign_in");',
      '  metrics.addMetric("CeremonyCount", MetricUnit.Count, 1);',
      "  metrics.publishStoredMetrics();",
      "}",
      "",
    ].join("\n"),
  );
  return entry.slice(ROOT.length);
}

/**
 * The authenticator catalog's one-time cost, paid by the first request that names an authenticator
 * (GET /credentials, a registration's finish) in each execution environment: read the data file beside
 * the bundle, parse it, check every entry. Timed inside fresh processes, so spawning is not counted.
 */
async function timeFirstDescribe(): Promise<void> {
  const catalog = await bundleLambda("authenticator-catalog", "src/adapters/authenticators/community-authenticator-catalog.ts", BENCH_OUTDIR);
  const script = `
    const { CommunityAuthenticatorCatalog } = await import(${JSON.stringify(pathToFileURL(catalog.outfile).href)});
    const problems = [];
    const catalog = new CommunityAuthenticatorCatalog({ report: (problem) => problems.push(problem) });
    const hints = { transports: ["usb"], backupEligible: false };
    const cpu = process.cpuUsage();
    let at = performance.now();
    const first = await catalog.describe("cb69481e-8ff7-4039-93ec-0a2729a154a8", hints);
    const firstMs = performance.now() - at;
    const used = process.cpuUsage(cpu);
    const firstCpuMs = (used.user + used.system) / 1000;
    at = performance.now();
    for (let i = 0; i < 1000; i += 1) await catalog.describe("ea9b8d66-4d01-1d21-3ce4-b6b48cb575d4", hints);
    // Milliseconds for 1000 calls: microseconds per call.
    const laterUs = performance.now() - at;
    if (problems.length > 0 || first.icon === null) throw new Error("the data was not read: " + problems.join("; "));
    console.log(JSON.stringify({ firstMs, firstCpuMs, laterUs }));`;
  const first: number[] = [];
  const firstCpu: number[] = [];
  const later: number[] = [];
  for (let run = 0; run < RUNS; run += 1) {
    const child = spawnSync(process.execPath, ["--input-type=module", "-e", script], { env: LAMBDA_ENV, encoding: "utf8" });
    if (child.status !== 0) throw new Error(`the catalog's first describe failed:\n${child.stderr}`);
    const figures = JSON.parse(child.stdout.trim()) as { firstMs: number; firstCpuMs: number; laterUs: number };
    first.push(figures.firstMs);
    firstCpu.push(figures.firstCpuMs);
    later.push(figures.laterUs);
  }
  const data = catalog.beside.map((f) => `${f.name}, ${kb(f.bytes)} KB`).join(", ");
  console.log(
    `\nauthenticator catalog, on its first describe (not at init): reads and checks ${data}: median ${fixed(median(first))} ms wall` +
      ` (IQR ${fixed(quantile(first, 0.25))}–${fixed(quantile(first, 0.75))}), ${fixed(median(firstCpu))} ms CPU` +
      ` (IQR ${fixed(quantile(firstCpu, 0.25))}–${fixed(quantile(firstCpu, 0.75))}); each later describe ${fixed(median(later))} µs; ${RUNS} fresh processes`,
  );
}

await main();
