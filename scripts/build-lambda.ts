/**
 * `npm run build:lambda`: bundles each Lambda entry point (src/handlers/lambda) into one minified ESM
 * file, dist/lambda/<name>/index.mjs, with the options the CDK stack bundles them with
 * (infra/lib/keyport-passkeys.ts), so that what is measured here is what is deployed. Prints each
 * bundle's size, and its size without the AWS SDK, which the function budget (150 KB) is about: the
 * SDK clients are bundled rather than taken from the runtime, but they are not keyport's code to slim.
 * Data files that a bundled module reads at run time are copied beside the bundle (FILES_BESIDE).
 */
import { copyFileSync, mkdirSync, statSync } from "node:fs";
import { basename, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { isEntryPoint } from "./entry-point.js";
import { build, type Metafile } from "esbuild";

const ROOT = fileURLToPath(new URL("../", import.meta.url));
export const LAMBDA_OUTDIR = join(ROOT, "dist/lambda");

/** Bundle name (its directory under dist/lambda) → entry point. */
export const LAMBDA_ENTRY_POINTS = {
  "http-api": "src/main/lambda/http-api.ts",
  "define-auth-challenge": "src/main/lambda/define-auth-challenge.ts",
  "create-auth-challenge": "src/main/lambda/create-auth-challenge.ts",
  "verify-auth-challenge-response": "src/main/lambda/verify-auth-challenge-response.ts",
  "mds-refresh": "src/main/lambda/mds-refresh.ts",
} as const satisfies Readonly<Record<string, string>>;

/**
 * Module → the file it reads beside itself at run time (`new URL("./<file>", import.meta.url)`), which
 * is copied beside every bundle that carries the module: there the bundle's `import.meta.url` finds it.
 * The data stays out of the bundle's code, so a cold start neither loads nor parses it (ADR 0019). The
 * CDK stack must copy the same files into the same functions' assets.
 */
export const FILES_BESIDE: Readonly<Record<string, string>> = {
  "src/adapters/authenticators/community-authenticator-catalog.ts": "src/adapters/authenticators/authenticators.json",
};

/** Budget per bundle, without the AWS SDK. */
export const MAX_KB_WITHOUT_AWS_SDK = 150;

/**
 * CommonJS bundled into ESM still calls `require` for Node built-ins, and esbuild's stand-in throws
 * unless a real one is in scope. Byte for byte the stack's banner, so the bundles match the deployed ones.
 */
const REQUIRE_BANNER = "import { createRequire as __keyportCreateRequire } from 'node:module'; const require = __keyportCreateRequire(import.meta.url);";

/** Inputs that are the AWS SDK v3 and its runtime (Smithy, the CRC and SHA helpers). */
const AWS_SDK_INPUT = /(^|\/)node_modules\/(@aws-sdk|@smithy|@aws-crypto|@aws)\//;

export interface BundleReport {
  readonly name: string;
  readonly outfile: string;
  readonly bytes: number;
  /** The bundle less the AWS SDK inputs; esbuild's glue (banner, wrappers) counts as not-SDK. */
  readonly bytesWithoutAwsSdk: number;
  /** Bytes in the output per package (or `src` for keyport's own files), largest first. */
  readonly byPackage: readonly { readonly name: string; readonly bytes: number; readonly awsSdk: boolean }[];
  readonly metafile: Metafile;
  /** Files copied beside the bundle (FILES_BESIDE), read when first needed; not part of the budget. */
  readonly beside: readonly { readonly name: string; readonly bytes: number }[];
}

/** Bundles one entry point to `<outdir>/<name>/index.mjs`, as the stack does. */
export async function bundleLambda(name: string, entry: string, outdir: string = LAMBDA_OUTDIR): Promise<BundleReport> {
  const outfile = join(outdir, name, "index.mjs");
  mkdirSync(join(outdir, name), { recursive: true });
  const result = await build({
    absWorkingDir: ROOT,
    entryPoints: [join(ROOT, entry)],
    outfile,
    bundle: true,
    platform: "node",
    format: "esm",
    // Node 20 syntax runs unchanged on the nodejs22.x runtime the stack deploys.
    target: "node20",
    // ESM builds of dependencies first: the SDK's dist-es is what tree-shakes.
    mainFields: ["module", "main"],
    minify: true,
    treeShaking: true,
    sourcemap: false,
    banner: { js: REQUIRE_BANNER },
    // The SDK clients are bundled: the versions keyport was tested with, not the runtime's of the month.
    external: [],
    metafile: true,
    logLevel: "warning",
  });
  const beside = Object.entries(FILES_BESIDE)
    .filter(([module]) => module in result.metafile.inputs)
    .map(([, file]) => {
      const target = join(outdir, name, basename(file));
      copyFileSync(join(ROOT, file), target);
      return { name: basename(file), bytes: statSync(target).size };
    });
  return report(name, outfile, result.metafile, beside);
}

/** Bundles every entry point. */
export async function buildLambdaBundles(outdir: string = LAMBDA_OUTDIR): Promise<BundleReport[]> {
  const reports: BundleReport[] = [];
  for (const [name, entry] of Object.entries(LAMBDA_ENTRY_POINTS)) reports.push(await bundleLambda(name, entry, outdir));
  return reports;
}

function report(name: string, outfile: string, metafile: Metafile, beside: BundleReport["beside"]): BundleReport {
  const key = relative(ROOT, outfile).split("\\").join("/");
  const output = metafile.outputs[key];
  if (output === undefined) throw new Error(`esbuild's metafile has no output ${key}`);
  const packages = new Map<string, number>();
  let awsSdk = 0;
  for (const [path, { bytesInOutput }] of Object.entries(output.inputs)) {
    if (AWS_SDK_INPUT.test(path)) awsSdk += bytesInOutput;
    const pkg = packageOf(path);
    packages.set(pkg, (packages.get(pkg) ?? 0) + bytesInOutput);
  }
  const byPackage = [...packages]
    .map(([pkg, bytes]) => ({ name: pkg, bytes, awsSdk: AWS_SDK_INPUT.test(`node_modules/${pkg}/`) }))
    .sort((a, b) => b.bytes - a.bytes);
  return { name, outfile, bytes: output.bytes, bytesWithoutAwsSdk: output.bytes - awsSdk, byPackage, metafile, beside };
}

/** `node_modules/@scope/name/…` → `@scope/name`; `node_modules/name/…` → `name`; keyport's own → `src`. */
function packageOf(path: string): string {
  const at = path.lastIndexOf("node_modules/");
  if (at === -1) return path.startsWith("src/") ? "src" : path;
  const parts = path.slice(at + "node_modules/".length).split("/");
  return parts[0]?.startsWith("@") ? `${parts[0]}/${parts[1] ?? ""}` : (parts[0] ?? path);
}

export const kb = (bytes: number): string => (bytes / 1024).toFixed(1);

/** The size table, with the largest non-SDK contributors of each bundle. */
export function printSizes(reports: readonly BundleReport[], write: (line: string) => void = (line) => console.log(line)): void {
  write(`${"bundle".padEnd(32)} ${"KB".padStart(8)} ${"KB w/o AWS SDK".padStart(15)}  budget ≤ ${MAX_KB_WITHOUT_AWS_SDK} KB`);
  for (const r of reports) {
    // Only keyport's own entry points have a budget; comparison bundles are measured, not judged.
    const verdict = !(r.name in LAMBDA_ENTRY_POINTS) ? "" : r.bytesWithoutAwsSdk / 1024 <= MAX_KB_WITHOUT_AWS_SDK ? "PASS" : "MISS";
    write(`${r.name.padEnd(32)} ${kb(r.bytes).padStart(8)} ${kb(r.bytesWithoutAwsSdk).padStart(15)}  ${verdict}`);
  }
  for (const r of reports) {
    const top = r.byPackage
      .filter((p) => !p.awsSdk)
      .slice(0, 6)
      .map((p) => `${p.name} ${kb(p.bytes)}`)
      .join(", ");
    const sdk = r.byPackage.filter((p) => p.awsSdk).reduce((sum, p) => sum + p.bytes, 0);
    write(`  ${r.name}: ${top}${sdk > 0 ? `; AWS SDK ${kb(sdk)}` : ""}`);
  }
  for (const r of reports) {
    if (r.beside.length === 0) continue;
    write(`  ${r.name} + beside it, read on first use, outside the budget: ${r.beside.map((f) => `${f.name} ${kb(f.bytes)} KB`).join(", ")}`);
  }
}

if (isEntryPoint(import.meta.url)) {
  const reports = await buildLambdaBundles();
  for (const r of reports) console.log(`wrote ${relative(ROOT, r.outfile)}`);
  printSizes(reports);
  const over = reports.filter((r) => r.bytesWithoutAwsSdk / 1024 > MAX_KB_WITHOUT_AWS_SDK);
  // Over budget is a finding for the report, not a broken build: the bundles are still correct.
  if (over.length > 0) console.log(`over budget: ${over.map((r) => r.name).join(", ")}`);
}
