/**
 * The layer rules ESLint enforces (eslint.config.js), proved on snippets linted as if they stood at a
 * path in src/: each rule fails where it must, and stays quiet where the code keeps it.
 */
import { fileURLToPath } from "node:url";
import { ESLint } from "eslint";
import { describe, expect, it } from "vitest";

const root = fileURLToPath(new URL("../../", import.meta.url));
const eslint = new ESLint({ cwd: root });

async function rulesBroken(code: string, filePath: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: `${root}${filePath}` });
  return (result?.messages ?? []).map((message) => message.ruleId ?? message.message);
}

const READS_ENV = `export const region = process.env.AWS_REGION;\n`;
const NON_NULL = `export function first(values: readonly number[]): number {\n  return values[0]!;\n}\n`;

describe("the lint rules of the layers", () => {
  it("forbids reading process.env outside the composition and the entry points", async () => {
    for (const path of ["src/handlers/http/x.ts", "src/adapters/cognito/x.ts", "src/domain/x.ts", "src/ports/x.ts"]) {
      expect(await rulesBroken(READS_ENV, path), path).toContain("no-restricted-properties");
    }
  });

  it("lets the composition and the entry points read process.env", async () => {
    for (const path of ["src/composition/x.ts", "src/main/x.ts"]) {
      expect(await rulesBroken(READS_ENV, path), path).toEqual([]);
    }
  });

  it("forbids non-null assertions in the domain, and only there", async () => {
    expect(await rulesBroken(NON_NULL, "src/domain/ceremonies/x.ts")).toContain("@typescript-eslint/no-non-null-assertion");
    expect(await rulesBroken(NON_NULL, "src/adapters/dynamodb/x.ts")).toEqual([]);
  });
});
