/**
 * What keeps the package's public surface deliberate (ADR 0021), without packing: every entry point has
 * an API report, the version has a CHANGELOG entry, and the README's examples import entry points only.
 * That each report matches what the package declares is checked on the packed package (pack.test.ts).
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { checkedInReport, REPORTED_ENTRY_POINTS, type ReportName } from "./support/api-reports.js";
import { ROOT } from "./support/packed-project.js";
import { importsOf, readmeExamples } from "./support/readme-examples.js";

const manifest = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { version: string; exports: Record<string, unknown> };
const subpaths = Object.keys(manifest.exports).filter((subpath) => subpath !== "./package.json");

describe("the package's public surface", () => {
  it("has a checked-in API report for every entry point package.json exports", () => {
    expect(Object.values(REPORTED_ENTRY_POINTS).sort()).toEqual([...subpaths].sort());
    for (const name of Object.keys(REPORTED_ENTRY_POINTS) as ReportName[]) expect(checkedInReport(name), name).toMatch(/^## API Report File for "keyport"/);
  });

  it("says in the CHANGELOG what the version in package.json changed", () => {
    const changelog = readFileSync(join(ROOT, "CHANGELOG.md"), "utf8");
    expect(changelog).toMatch(new RegExp(`^## \\[${manifest.version.replaceAll(".", "\\.")}\\] - \\d{4}-\\d{2}-\\d{2}$`, "m"));
  });

  it("has README examples that import keyport through its entry points only", () => {
    const examples = readmeExamples();
    expect([...examples.keys()]).toEqual(expect.arrayContaining(["embedding.ts", "hono-app.ts", "client.ts", "cdk-app.ts"]));
    const entryPoints = new Set(subpaths.map((subpath) => join("keyport", subpath)));
    for (const [name, code] of examples) {
      const own = importsOf(code).filter((specifier) => specifier === "keyport" || specifier.startsWith("keyport/"));
      expect(own.length, name).toBeGreaterThan(0);
      for (const specifier of own) expect(entryPoints, `${name} imports ${specifier}`).toContain(specifier);
    }
  });
});

describe("the README's examples as the package test reads them", () => {
  it("finds each block marked with a file name, and only those", () => {
    const readme = ["```ts file=a.ts", 'import { x } from "keyport";', "```", "```ts", "ignored();", "```", "```ts file=b.ts", 'export { y } from "keyport/node";', "```", ""].join("\n");
    expect([...readmeExamples(readme)]).toEqual([
      ["a.ts", 'import { x } from "keyport";\n'],
      ["b.ts", 'export { y } from "keyport/node";\n'],
    ]);
  });

  it("refuses two blocks of one name", () => {
    expect(() => readmeExamples("```ts file=a.ts\n1;\n```\n```ts file=a.ts\n2;\n```\n")).toThrow(/two examples named a\.ts/);
  });

  it("reads the specifiers of multi-line imports and re-exports", () => {
    expect(importsOf('import {\n  a,\n  type B,\n} from "keyport";\nexport * from "keyport/http";\nimport "./side.js";\n')).toEqual(["keyport", "keyport/http"]);
  });
});
