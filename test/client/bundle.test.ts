/**
 * `keyport/client` is for browsers: bundled for them it pulls in nothing but its own modules and
 * @simplewebauthn/browser (no node:*, nothing of the server), stays small, and compiles against the
 * DOM's types alone (no Node globals such as Buffer or process).
 */
import { execFile } from "node:child_process";
import { relative } from "node:path";
import { promisify } from "node:util";
import { gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { bundleBrowserClient } from "../../src/handlers/http/file-system-static-files.js";

const ROOT = new URL("../../", import.meta.url).pathname;

/** The minified, gzipped bundle's budget: @simplewebauthn/browser is about half of it (6.3 KB in all when this was written). */
const GZIP_BUDGET_BYTES = 10 * 1024;

describe("the browser client's bundle", () => {
  it("holds only the client's own modules and @simplewebauthn/browser's", async () => {
    const bundle = await bundleBrowserClient();
    const inputs = bundle!.inputs.map((input) => relative(ROOT, input));
    expect(inputs.filter((input) => !input.startsWith("src/client/") && !input.startsWith("node_modules/@simplewebauthn/browser/"))).toEqual([]);
    expect(inputs).toContain("src/client/index.ts");
  });

  it(`is at most ${GZIP_BUDGET_BYTES} bytes minified and gzipped`, async () => {
    const bundle = await bundleBrowserClient();
    const size = gzipSync(bundle!.code, { level: 9 }).byteLength;
    expect(size).toBeLessThanOrEqual(GZIP_BUDGET_BYTES);
  });

  it("compiles with the DOM's types and no Node types (src/client/tsconfig.json)", async () => {
    const tsc = new URL("../../node_modules/typescript/bin/tsc", import.meta.url).pathname;
    await expect(promisify(execFile)(process.execPath, [tsc, "-p", "src/client/tsconfig.json"], { cwd: ROOT })).resolves.toBeDefined();
  }, 60_000);
});
