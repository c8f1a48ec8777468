/**
 * Runs the conformance scenario (./scenario.ts) on Node, Deno, Bun and workerd, each from its npm
 * devDependency. The scenario is bundled once with esbuild for the `neutral` platform into one ES module;
 * a Node built-in anywhere in its graph fails the build. Node, Deno (`deno run`, no permissions) and Bun
 * load a two-line runner module that imports the bundle and prints the result as JSON; workerd serves it
 * as an ES-module worker whose fetch handler runs the scenario (no `nodejs_compat` flag, so no Node
 * globals at all), started on a free port, fetched, and stopped.
 */
import { spawn, spawnSync } from "node:child_process";
import { accessSync, constants, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { builtinModules } from "node:module";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { build, type Plugin } from "esbuild";
import type { ScenarioResult } from "./scenario.js";

export const ROOT = fileURLToPath(new URL("../../", import.meta.url));
export const RUNTIMES = ["node", "deno", "bun", "workerd"] as const;
export type Runtime = (typeof RUNTIMES)[number];

export interface RuntimeRun {
  readonly runtime: Runtime;
  /** The deliberately broken scenario, which must fail. */
  readonly broken: boolean;
  readonly version: string;
  /** Wall time of the whole run: process start (and, for workerd, server start and fetch) to exit. */
  readonly wallMs: number;
  readonly result: ScenarioResult;
}

const BUILTINS = new Set(builtinModules.flatMap((name) => [name, `node:${name}`]));

/** Refuses every Node built-in (`node:fs`, `fs`, `node:sqlite`, …) at build time. */
export function refuseNodeBuiltins(): Plugin {
  return {
    name: "refuse-node-builtins",
    setup(b) {
      b.onResolve({ filter: /.*/ }, (args) => {
        if (args.path.startsWith("node:") || BUILTINS.has(args.path)) {
          return { errors: [{ text: `a Node built-in is reachable: ${args.path} (from ${args.importer})` }] };
        }
        return undefined;
      });
    },
  };
}

/**
 * Resolves `keyport` and `npm:keyport` (the README's imports, on Node and Bun and on Deno) to the
 * runtime-neutral entry's sources, src/entry/index.ts, so that a README snippet bundles without a build.
 */
export function keyportFromSources(): Plugin {
  return {
    name: "keyport-from-sources",
    setup(b) {
      b.onResolve({ filter: /^(npm:)?keyport$/ }, () => ({ path: join(ROOT, "src/entry/index.ts") }));
    },
  };
}

/** Bundles the scenario into `dir/scenario.mjs`; throws if any Node built-in is reachable. */
export async function bundleScenario(dir: string, extraPlugins: readonly Plugin[] = []): Promise<string> {
  const outfile = join(dir, "scenario.mjs");
  await build({
    absWorkingDir: ROOT,
    entryPoints: [join(ROOT, "test/runtimes/scenario.ts")],
    outfile,
    bundle: true,
    platform: "neutral",
    format: "esm",
    target: "es2022",
    mainFields: ["module", "main"],
    conditions: ["import"],
    logLevel: "silent",
    plugins: [refuseNodeBuiltins(), ...extraPlugins],
  });
  return outfile;
}

/**
 * The binary of a runtime. Each npm package links it into node_modules/.bin (Bun's own postinstall
 * replaces a placeholder there); with install scripts skipped, the platform package's binary is used.
 */
export function runtimeBinary(runtime: Exclude<Runtime, "node">): string {
  const candidates: Record<typeof runtime, string[]> = {
    deno: ["node_modules/.bin/deno", "node_modules/@deno/linux-x64-glibc/deno", "node_modules/@deno/linux-arm64-glibc/deno"],
    bun: ["node_modules/.bin/bun", "node_modules/@oven/bun-linux-x64/bin/bun", "node_modules/@oven/bun-linux-x64-baseline/bin/bun", "node_modules/@oven/bun-linux-aarch64/bin/bun"],
    workerd: ["node_modules/@cloudflare/workerd-linux-64/bin/workerd", "node_modules/@cloudflare/workerd-linux-arm64/bin/workerd", "node_modules/.bin/workerd"],
  };
  for (const candidate of candidates[runtime]) {
    const path = join(ROOT, candidate);
    try {
      accessSync(path, constants.X_OK);
    } catch {
      continue;
    }
    // Bun's placeholder is a text file: only a binary that answers --version counts.
    if (spawnSync(path, ["--version"], { encoding: "utf8", timeout: 20_000 }).status === 0) return path;
  }
  throw new Error(`no working ${runtime} binary in node_modules (npm ci installs it as a devDependency)`);
}

export function runtimeVersion(runtime: Runtime): string {
  if (runtime === "node") return process.version;
  const out = spawnSync(runtimeBinary(runtime), ["--version"], { encoding: "utf8", timeout: 20_000 });
  return String(out.stdout).trim().split("\n")[0] ?? "";
}

function lastJsonLine(runtime: string, stdout: string, stderr: string): ScenarioResult {
  const line = stdout.trim().split("\n").pop() ?? "";
  try {
    return JSON.parse(line) as ScenarioResult;
  } catch {
    throw new Error(`${runtime} printed no result:\n${stdout.slice(-4000)}\n${stderr.slice(-4000)}`);
  }
}

function runProcess(command: string, args: readonly string[], cwd: string, timeoutMs: number): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, NO_COLOR: "1", DENO_NO_UPDATE_CHECK: "1" } });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
    child.on("error", (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on("close", (status) => {
      clearTimeout(timer);
      resolve({ status, stdout, stderr });
    });
  });
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A runner module: imports the bundle (whose first module installs the guards), runs, prints JSON. */
function writeRunner(dir: string, runtime: Runtime, broken: boolean): string {
  const file = join(dir, `run-${runtime}${broken ? "-broken" : ""}.mjs`);
  writeFileSync(
    file,
    `import { runScenario } from "./scenario.mjs";\nconsole.log(JSON.stringify(await runScenario(${JSON.stringify(runtime)}, { broken: ${broken} })));\n`,
  );
  return file;
}

/** Runs an ES module on Node, Deno (no permissions) or Bun, in `dir`; resolves with its exit status and output. */
export function runModuleOn(runtime: "node" | "deno" | "bun", file: string, dir: string, timeoutMs = 60_000): Promise<{ status: number | null; stdout: string; stderr: string }> {
  const [command, args] =
    runtime === "node"
      ? [process.execPath, [file]]
      : runtime === "deno"
        ? [runtimeBinary("deno"), ["run", "--no-config", "--no-lock", "--no-prompt", file]]
        : [runtimeBinary("bun"), ["run", "--no-install", file]];
  return runProcess(command, args, dir, timeoutMs);
}

async function runCli(dir: string, runtime: "node" | "deno" | "bun", broken: boolean): Promise<ScenarioResult> {
  const out = await runModuleOn(runtime, writeRunner(dir, runtime, broken), dir);
  const result = lastJsonLine(runtime, out.stdout, out.stderr);
  if (out.status !== 0) throw new Error(`${runtime} exited ${out.status}:\n${out.stderr.slice(-4000)}`);
  return result;
}

export interface WorkerAnswer {
  readonly status: number;
  readonly text: string;
  /** What workerd had printed (its logs, uncaught errors included) when the answer came. */
  readonly log: string;
}

/**
 * Starts workerd on a free port with the ES modules `modules` (files in `dir`, the first the worker's
 * main module; no compatibility flags), fetches each of `paths` in turn, and stops it. An answer of any
 * status is returned; workerd exiting, or not listening within 20 s, throws (with its output).
 */
export async function fetchFromWorkerd(dir: string, modules: readonly string[], paths: readonly string[]): Promise<WorkerAnswer[]> {
  const port = await freePort();
  writeFileSync(
    join(dir, "config.capnp"),
    `using Workerd = import "/workerd/workerd.capnp";
const config :Workerd.Config = (
  services = [(name = "main", worker = .conformance)],
  sockets = [(name = "http", address = "127.0.0.1:${port}", http = (), service = "main")],
);
const conformance :Workerd.Worker = (
  modules = [
${modules.map((name) => `    (name = ${JSON.stringify(name)}, esModule = embed ${JSON.stringify(name)}),`).join("\n")}
  ],
  compatibilityDate = "2025-09-01",
);
`,
  );
  const child = spawn(runtimeBinary("workerd"), ["serve", join(dir, "config.capnp")], { cwd: dir, stdio: ["ignore", "pipe", "pipe"] });
  let stderr = "";
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  child.stdout.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  let exited = false;
  child.on("exit", () => (exited = true));
  try {
    const answers: WorkerAnswer[] = [];
    for (const path of paths) {
      const url = `http://127.0.0.1:${port}${path}`;
      const deadline = Date.now() + 20_000;
      for (;;) {
        if (exited) throw new Error(`workerd exited:\n${stderr.slice(-4000)}`);
        try {
          const response = await fetch(url);
          const text = await response.text();
          answers.push({ status: response.status, text, log: stderr });
          break;
        } catch (error) {
          const refused = error instanceof TypeError; // connection refused: not listening yet
          if (!refused || Date.now() > deadline) throw error;
          await sleep(50);
        }
      }
    }
    return answers;
  } finally {
    if (!exited) {
      const gone = new Promise((resolve) => child.on("exit", resolve));
      child.kill("SIGTERM");
      await Promise.race([gone, sleep(2000)]);
      if (!exited) child.kill("SIGKILL");
    }
  }
}

/** Starts workerd with the bundle as an ES-module worker, fetches once per mode, stops it. */
async function runWorkerd(dir: string, modes: readonly boolean[]): Promise<ScenarioResult[]> {
  writeFileSync(
    join(dir, "worker.mjs"),
    `import { runScenario } from "./scenario.mjs";\nexport default {\n  async fetch(request) {\n    const broken = new URL(request.url).searchParams.has("broken");\n    return Response.json(await runScenario("workerd", { broken }));\n  },\n};\n`,
  );
  const answers = await fetchFromWorkerd(dir, ["worker.mjs", "scenario.mjs"], modes.map((broken) => (broken ? "/?broken" : "/")));
  return answers.map(({ status, text }) => {
    if (status !== 200) throw new Error(`workerd answered ${status}: ${text.slice(0, 2000)}`);
    return JSON.parse(text) as ScenarioResult;
  });
}

/** Bundles once, then runs the scenario on every runtime (in parallel), normal and, if asked, broken. */
export async function runEverywhere(options: { readonly broken?: boolean; readonly plugins?: readonly Plugin[] } = {}): Promise<{ normal: RuntimeRun[]; broken: RuntimeRun[] }> {
  const dir = mkdtempSync(join(tmpdir(), "keyport-runtimes-"));
  try {
    await bundleScenario(dir, options.plugins);
    const modes = options.broken === true ? [false, true] : [false];
    const timed = async (runtime: Runtime): Promise<RuntimeRun[]> => {
      const version = runtimeVersion(runtime);
      const t0 = performance.now();
      if (runtime === "workerd") {
        const results = await runWorkerd(dir, modes);
        const wallMs = Math.round(performance.now() - t0);
        return results.map((result, i) => ({ runtime, broken: modes[i] === true, version, wallMs, result }));
      }
      const runs: RuntimeRun[] = [];
      for (const broken of modes) {
        const t = performance.now();
        const result = await runCli(dir, runtime, broken);
        runs.push({ runtime, broken, version, wallMs: Math.round(performance.now() - t), result });
      }
      return runs;
    };
    const all = (await Promise.all(RUNTIMES.map(timed))).flat();
    return { normal: all.filter((run) => !run.broken), broken: all.filter((run) => run.broken) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
