/**
 * keyport's API reports (ADR 0021): for each entry point of package.json's `exports`, API Extractor's
 * report of the declarations a user can reach through it, checked in under api-reports/. The package
 * test makes them again from the installed package's .d.ts files and fails on any difference, so that a
 * public type cannot change without the change showing in a reviewed file.
 *
 * `npm run api:report` (a build, then this file as a program with `--update`) writes them anew from
 * dist/ after an intended change; the CHANGELOG says what changed.
 */
import { mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { CompilerState, Extractor, ExtractorConfig, ExtractorLogLevel, type ExtractorMessage } from "@microsoft/api-extractor";

const ROOT = fileURLToPath(new URL("../../../", import.meta.url));
export const API_REPORTS_DIR = join(ROOT, "api-reports");

/** Report name (its file is `<name>.api.md`) → the entry point's subpath in package.json's `exports`. */
export const REPORTED_ENTRY_POINTS = {
  keyport: ".",
  "keyport-node": "./node",
  "keyport-aws": "./aws",
  "keyport-http": "./http",
  "keyport-cdk": "./cdk",
  "keyport-client": "./client",
} as const satisfies Readonly<Record<string, string>>;

export type ReportName = keyof typeof REPORTED_ENTRY_POINTS;

/** The declaration file `exports[subpath].types` names in the package at `packageDir`. */
export function typesOf(packageDir: string, subpath: string): string {
  const manifest = JSON.parse(readFileSync(join(packageDir, "package.json"), "utf8")) as { exports?: Record<string, { types?: string } | string> };
  const target = manifest.exports?.[subpath];
  if (typeof target !== "object" || target.types === undefined) throw new Error(`package.json's exports has no types for ${subpath}`);
  return join(packageDir, target.types);
}

/**
 * The API reports of the package at `packageDir` (its package.json and built .d.ts files), by report
 * name. Types of other packages (aws-cdk-lib, hono, @types/node) are resolved from the node_modules
 * above `packageDir`, as a user's compiler would. One TypeScript program serves every entry point.
 * Throws on a compiler error in the declarations: a report of declarations that do not compile would
 * record nothing useful.
 */
export function apiReports(packageDir: string, names: readonly ReportName[] = Object.keys(REPORTED_ENTRY_POINTS) as ReportName[]): Map<ReportName, string> {
  const work = mkdtempSync(join(tmpdir(), "keyport-api-"));
  try {
    const configs = names.map((name) => ({ name, config: extractorConfig(packageDir, name, work) }));
    const first = configs[0];
    if (first === undefined) return new Map();
    const compilerState = CompilerState.create(first.config, { additionalEntryPoints: configs.map(({ config }) => config.mainEntryPointFilePath) });
    const reports = new Map<ReportName, string>();
    for (const { name, config } of configs) {
      const errors: string[] = [];
      const result = Extractor.invoke(config, {
        compilerState,
        // Local mode writes the report without judging it: the caller compares it with the checked-in one.
        localBuild: true,
        messageCallback: (message: ExtractorMessage) => {
          if (message.logLevel === ExtractorLogLevel.Error) errors.push(message.formatMessageWithLocation(packageDir));
          // Everything else (progress, the "report changed" notice) is for a console this has not got.
          message.handled = true;
        },
      });
      if (!result.succeeded || errors.length > 0) throw new Error(`API Extractor failed for ${name}:\n${errors.join("\n")}`);
      reports.set(name, readFileSync(join(work, `${name}.api.md`), "utf8"));
    }
    return reports;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

function extractorConfig(packageDir: string, name: ReportName, work: string): ExtractorConfig {
  return ExtractorConfig.prepare({
    configObject: {
      projectFolder: packageDir,
      mainEntryPointFilePath: typesOf(packageDir, REPORTED_ENTRY_POINTS[name]),
      compiler: {
        overrideTsconfig: {
          compilerOptions: {
            target: "ES2022",
            lib: ["ES2022", "DOM"],
            module: "NodeNext",
            moduleResolution: "NodeNext",
            strict: true,
            types: ["node"],
            // Only keyport's declarations are under review; other packages' are theirs to check.
            skipLibCheck: true,
          },
        },
      },
      apiReport: {
        enabled: true,
        reportFileName: name,
        reportFolder: work,
        reportTempFolder: work,
        // Declarations the entry point does not export but its exports use (a parameter's type, say)
        // are part of what a user depends on: a change to them must show too.
        includeForgottenExports: true,
      },
      docModel: { enabled: false },
      dtsRollup: { enabled: false },
      tsdocMetadata: { enabled: false },
      messages: {
        compilerMessageReporting: { default: { logLevel: ExtractorLogLevel.Error } },
        extractorMessageReporting: { default: { logLevel: ExtractorLogLevel.None } },
        // keyport's comments are prose for readers, not TSDoc for a documentation generator.
        tsdocMessageReporting: { default: { logLevel: ExtractorLogLevel.None } },
      },
    },
    configObjectFullPath: undefined,
    packageJsonFullPath: join(packageDir, "package.json"),
  });
}

/** The checked-in report, or null when there is none yet. */
export function checkedInReport(name: ReportName): string | null {
  try {
    return readFileSync(join(API_REPORTS_DIR, `${name}.api.md`), "utf8");
  } catch {
    return null;
  }
}

/** `tsx test/package/support/api-reports.ts --update`: rewrites every report from the repository's dist/. */
function isProgram(): boolean {
  const entry = process.argv[1];
  return entry !== undefined && pathToFileURL(realpathSync(entry)).href === import.meta.url;
}

if (isProgram()) {
  if (!process.argv.includes("--update")) {
    console.error("usage: tsx test/package/support/api-reports.ts --update   (after npm run build; npm run api:report does both)");
    process.exit(2);
  }
  mkdirSync(API_REPORTS_DIR, { recursive: true });
  for (const [name, report] of apiReports(ROOT)) {
    const before = checkedInReport(name);
    writeFileSync(join(API_REPORTS_DIR, `${name}.api.md`), report);
    console.log(`${before === report ? "unchanged" : before === null ? "written  " : "CHANGED  "} api-reports/${name}.api.md`);
  }
}
