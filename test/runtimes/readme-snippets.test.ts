/**
 * The README's "On other runtimes" snippets (issue 16, point 1), run on their runtimes: each block marked
 * ```` ```ts runtime=<deno|bun|workerd> file=<name>.ts ```` is written beside the README's own
 * embedding.ts (for Deno with its import turned into `npm:keyport`, as the README says), bundled with
 * esbuild for the `neutral` platform with `keyport` / `npm:keyport` resolved to the runtime-neutral entry's
 * sources and any Node built-in refused, and run on Deno or Bun, or served by workerd and fetched. Each
 * must print (or answer) the lines the README says. Broken copies (one that throws, one that prints
 * something else) must fail, so the test is seen to be able to fail. The package test ignores these
 * blocks: its marker is ```` ```ts file=… ```` with nothing after the name.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { build } from "esbuild";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readmeExamples } from "../package/support/readme-examples.js";
import { fetchFromWorkerd, keyportFromSources, refuseNodeBuiltins, ROOT, runModuleOn } from "./harness.js";

const SNIPPET_RUNTIMES = ["deno", "bun", "workerd"] as const;
type SnippetRuntime = (typeof SNIPPET_RUNTIMES)[number];

interface Snippet {
  readonly runtime: SnippetRuntime;
  readonly file: string;
  readonly code: string;
}

const SNIPPET_BLOCK = /^```ts runtime=(\w+) file=([\w.-]+\.ts)\n([\s\S]*?)^```$/gm;
/** What the README says each snippet prints (or answers). */
const EXPECTED = ["example.com alice", "no authenticator here"];

const README = readFileSync(join(ROOT, "README.md"), "utf8");

function readmeSnippets(readme: string): Snippet[] {
  return [...readme.matchAll(SNIPPET_BLOCK)].map(([, runtime, file, code]) => {
    if (!(SNIPPET_RUNTIMES as readonly string[]).includes(runtime ?? "")) throw new Error(`the README has a snippet for an unknown runtime: ${runtime}`);
    return { runtime: runtime as SnippetRuntime, file: file ?? "", code: code ?? "" };
  });
}

const dirs: string[] = [];

/**
 * Bundles `snippet` beside the README's embedding.ts and runs it on its runtime; resolves with what it
 * printed (or answered), and rejects if the bundle fails, the process exits non-zero or the worker
 * answers other than 200.
 */
async function runSnippet(snippet: Snippet): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), `keyport-readme-${snippet.runtime}-`));
  dirs.push(dir);
  const embedding = readmeExamples(README).get("embedding.ts");
  if (embedding === undefined) throw new Error("the README has no embedding.ts");
  // The README tells Deno users to import npm:keyport in embedding.ts.
  writeFileSync(join(dir, "embedding.ts"), snippet.runtime === "deno" ? embedding.replace(/from "keyport";/g, 'from "npm:keyport";') : embedding);
  writeFileSync(join(dir, snippet.file), snippet.code);
  const outName = snippet.file.replace(/\.ts$/, ".mjs");
  await build({
    absWorkingDir: ROOT,
    entryPoints: [join(dir, snippet.file)],
    outfile: join(dir, outName),
    bundle: true,
    platform: "neutral",
    format: "esm",
    target: "es2022",
    mainFields: ["module", "main"],
    conditions: ["import"],
    logLevel: "silent",
    plugins: [refuseNodeBuiltins(), keyportFromSources()],
  });
  if (snippet.runtime === "workerd") {
    const [answer] = await fetchFromWorkerd(dir, [outName], ["/"]);
    if (answer === undefined || answer.status !== 200) throw new Error(`workerd answered ${answer?.status}: ${answer?.text.slice(0, 2000)}\n${answer?.log.slice(-4000)}`);
    return answer.text;
  }
  const out = await runModuleOn(snippet.runtime, join(dir, outName), dir);
  if (out.status !== 0) throw new Error(`${snippet.runtime} exited ${out.status}:\n${out.stdout.slice(-2000)}\n${out.stderr.slice(-4000)}`);
  return out.stdout;
}

const lines = (text: string) => text.trim().split("\n").map((line) => line.trim());

/** A broken copy that throws (a name that does not exist) and one that runs but prints the wrong thing. */
function broken(snippet: Snippet, how: "throws" | "prints"): Snippet {
  const code = how === "throws" ? snippet.code.replace("await signUp(", "await signUpp(") : snippet.code.replace("options.rp.id", "options.rp.name");
  if (code === snippet.code) throw new Error(`could not break the ${snippet.runtime} snippet`);
  return { ...snippet, code };
}

describe("the README's snippets for other runtimes", () => {
  const snippets = readmeSnippets(README);
  const outcomes = new Map<string, PromiseSettledResult<string>>();

  beforeAll(async () => {
    const runs = snippets.flatMap((snippet) => [
      [`${snippet.runtime}`, snippet] as const,
      [`${snippet.runtime} throws`, broken(snippet, "throws")] as const,
      [`${snippet.runtime} prints`, broken(snippet, "prints")] as const,
    ]);
    const settled = await Promise.allSettled(runs.map(([, snippet]) => runSnippet(snippet)));
    runs.forEach(([key], i) => outcomes.set(key, settled[i]!));
  }, 120_000);

  afterAll(() => {
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  it("has one snippet for each of Deno, Bun and workerd, which the package test does not pick up", () => {
    expect(snippets.map((s) => s.runtime)).toEqual([...SNIPPET_RUNTIMES]);
    const packExamples = [...readmeExamples(README).keys()];
    for (const snippet of snippets) expect(packExamples).not.toContain(snippet.file);
    expect(snippets.find((s) => s.runtime === "deno")?.code).not.toMatch(/node:|Buffer|process\./);
  });

  it("says what the snippets print", () => {
    expect(README).toContain(`Each prints (or answers) \`${EXPECTED[0]}\`, then \`${EXPECTED[1]}\`.`);
  });

  for (const runtime of SNIPPET_RUNTIMES) {
    it(`runs the ${runtime} snippet on ${runtime}, with the README's embedding example`, () => {
      const outcome = outcomes.get(runtime);
      expect(outcome, `${runtime} did not run`).toBeDefined();
      if (outcome!.status === "rejected") throw outcome!.reason;
      expect(lines(outcome!.value)).toEqual(EXPECTED);
    });

    it(`fails broken copies of the ${runtime} snippet`, () => {
      const throws = outcomes.get(`${runtime} throws`);
      expect(throws?.status).toBe("rejected");
      expect(String((throws as PromiseRejectedResult).reason)).toMatch(/signUpp/);
      const prints = outcomes.get(`${runtime} prints`);
      expect(prints?.status).toBe("fulfilled");
      expect(lines((prints as PromiseFulfilledResult<string>).value)).not.toEqual(EXPECTED);
      expect(lines((prints as PromiseFulfilledResult<string>).value)[0]).toBe("Example alice");
    });
  }
});
