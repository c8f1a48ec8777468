/**
 * keyport as a user gets it: `npm pack` in this checkout (whose `prepack` builds dist/), and the tarball
 * installed into a fresh project in a temporary folder, with the peer dependencies a CDK user adds and
 * the packages the README's examples import beside keyport. Installed with `--prefer-offline`: the
 * versions this checkout has installed are in npm's cache already, so no download is needed.
 */
import { spawnSync, type SpawnSyncOptions } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

export const ROOT = fileURLToPath(new URL("../../../", import.meta.url));

/** The runner the project's TypeScript files run with: this checkout's tsx, as a user's would be theirs. */
export const TSX = join(ROOT, "node_modules/.bin/tsx");
/** This checkout's TypeScript compiler, for type-checking in the project. */
export const TSC = join(ROOT, "node_modules/typescript/bin/tsc");

export interface RunResult {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

export interface PackedProject {
  /** The fresh project: node_modules/keyport is the installed tarball. */
  readonly dir: string;
  /** The tarball npm pack wrote. */
  readonly tarball: string;
  /** Paths in the tarball, without npm's `package/` prefix. */
  readonly files: readonly string[];
  /** Writes `files` (name → text) into the project. */
  write(files: Readonly<Record<string, string>>): void;
  /** Runs a command in the project; throws with its output when it fails. */
  run(command: string, args: readonly string[], options?: { readonly env?: Readonly<Record<string, string>>; readonly timeoutMs?: number }): RunResult;
  /** Runs a TypeScript file of the project with tsx; its stdout's last line parsed as JSON. */
  runTs<T>(file: string, env?: Readonly<Record<string, string>>): T;
  remove(): void;
}

/** The installed version of one of this checkout's packages, so that the project gets the very same from npm's cache. */
export function installedVersion(pkg: string): string {
  return (JSON.parse(readFileSync(join(ROOT, "node_modules", pkg, "package.json"), "utf8")) as { version: string }).version;
}

/**
 * The environment of npm commands started here, without the `npm_*` variables of the `npm test` that
 * may be running this: those would make the child npm act for this checkout (its config, its package).
 */
function cleanEnv(extra: Readonly<Record<string, string>> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) if (!key.toLowerCase().startsWith("npm_")) env[key] = value;
  return { ...env, ...extra };
}

function run(cwd: string, command: string, args: readonly string[], options: { env?: Readonly<Record<string, string>>; timeoutMs?: number } = {}): RunResult {
  const spawnOptions: SpawnSyncOptions = { cwd, env: cleanEnv(options.env), encoding: "utf8", timeout: options.timeoutMs ?? 300_000, maxBuffer: 64 * 1024 * 1024 };
  const result = spawnSync(command, args, spawnOptions);
  const stdout = String(result.stdout ?? "");
  const stderr = String(result.stderr ?? "");
  if (result.error !== undefined || result.status !== 0) {
    const cause = result.error?.message ?? `exit ${result.status ?? result.signal}`;
    throw new Error(`${command} ${args.join(" ")} in ${cwd} failed (${cause}):\n${stdout.slice(-8000)}\n${stderr.slice(-8000)}`);
  }
  return { status: result.status, stdout, stderr };
}

/** Packs this checkout and installs the tarball into a new project. Takes a minute or two: the build runs. */
export function packAndInstall(): PackedProject {
  const base = mkdtempSync(join(tmpdir(), "keyport-pack-"));
  try {
    run(ROOT, "npm", ["pack", "--pack-destination", base, "--loglevel=error"]);
    const tarballName = readdirSync(base).find((name) => name.endsWith(".tgz"));
    if (tarballName === undefined) throw new Error(`npm pack wrote no tarball into ${base}`);
    const tarball = join(base, tarballName);
    const files = run(base, "tar", ["-tzf", tarball])
      .stdout.split("\n")
      .filter((line) => line !== "")
      .map((line) => line.replace(/^package\//, ""));

    const dir = join(base, "app");
    mkdirSync(dir);
    writeFileSync(
      join(dir, "package.json"),
      `${JSON.stringify(
        {
          name: "keyport-user",
          private: true,
          type: "module",
          dependencies: {
            keyport: `file:../${tarballName}`,
            // keyport/cdk's peer dependencies, as a CDK user has them.
            "aws-cdk-lib": installedVersion("aws-cdk-lib"),
            constructs: installedVersion("constructs"),
            // The README's Hono example is the user's own Hono app.
            hono: installedVersion("hono"),
          },
          devDependencies: { "@types/node": installedVersion("@types/node") },
        },
        null,
        2,
      )}\n`,
    );
    // No install scripts: none of these packages needs one, and keyport must not either.
    run(dir, "npm", ["install", "--prefer-offline", "--no-audit", "--no-fund", "--ignore-scripts", "--loglevel=error"], { timeoutMs: 600_000 });

    const project: PackedProject = {
      dir,
      tarball,
      files,
      write: (written) => {
        for (const [name, text] of Object.entries(written)) writeFileSync(join(dir, name), text);
      },
      run: (command, args, options) => run(dir, command, args, options),
      runTs: <T>(file: string, env: Readonly<Record<string, string>> = {}): T => {
        const { stdout } = run(dir, TSX, [file], { env });
        const last = stdout.trimEnd().split("\n").at(-1) ?? "";
        try {
          return JSON.parse(last) as T;
        } catch {
          throw new Error(`${file} printed no JSON result:\n${stdout.slice(-4000)}`);
        }
      },
      remove: () => rmSync(base, { recursive: true, force: true }),
    };
    return project;
  } catch (fault) {
    rmSync(base, { recursive: true, force: true });
    throw fault;
  }
}
