/**
 * The README's runnable examples: every fenced TypeScript block whose info string names a file
 * (```` ```ts file=embedding.ts ````). The package test writes each into a fresh project under that
 * name, type-checks it against the installed package and runs it.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { ROOT } from "./packed-project.js";

const EXAMPLE_BLOCK = /^```ts file=([\w.-]+\.ts)\n([\s\S]*?)^```$/gm;

/** File name → code, in the README's order. Throws on two blocks with one name: the second would silently win. */
export function readmeExamples(readme: string = readFileSync(join(ROOT, "README.md"), "utf8")): Map<string, string> {
  const examples = new Map<string, string>();
  for (const [, name, code] of readme.matchAll(EXAMPLE_BLOCK)) {
    if (name === undefined || code === undefined) continue;
    if (examples.has(name)) throw new Error(`the README has two examples named ${name}`);
    examples.set(name, code);
  }
  return examples;
}

/** The module specifiers an example imports (static `import … from "…"` and `export … from "…"`). */
export function importsOf(code: string): string[] {
  return [...code.matchAll(/^\s*(?:import|export)\b[^'"]*?\bfrom\s*["']([^"']+)["']/gm)].map((match) => match[1] ?? "");
}
