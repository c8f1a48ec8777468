/**
 * Runtime conformance (issue 16): the same bundle of the runtime-neutral `keyport` entry, driven by a
 * WebCrypto-only software authenticator, passes every step of ./scenario.ts on Node, Deno, Bun and
 * workerd, each from its npm devDependency, and reads none of Buffer, process and require on any of them.
 * A deliberately broken scenario fails on each runtime, and a Node built-in fails the bundle, so the
 * harness is seen to be able to fail. About half a second in all (the four run in parallel).
 */
import { build } from "esbuild";
import { beforeAll, describe, expect, it } from "vitest";
import { refuseNodeBuiltins, runEverywhere, RUNTIMES, type RuntimeRun } from "./harness.js";

const STEPS = [
  "sign_up",
  "sign_up_username_taken",
  "sign_up_origin_mismatch",
  "discoverable_sign_in",
  "username_first_sign_in",
  "forged_signature_refused",
  "unknown_credential_refused",
  "replayed_challenge_refused",
  "security_trail",
  "node_globals_untouched",
];

describe("the conformance scenario on every runtime", () => {
  let normal: RuntimeRun[] = [];
  let broken: RuntimeRun[] = [];

  beforeAll(async () => {
    ({ normal, broken } = await runEverywhere({ broken: true }));
    console.log(normal.map((run) => `${run.runtime} ${run.version}: ${run.wallMs} ms (scenario ${run.result.ms} ms)`).join("\n"));
  }, 90_000);

  for (const runtime of RUNTIMES) {
    it(`passes every step on ${runtime}`, () => {
      const run = normal.find((r) => r.runtime === runtime);
      expect(run, `${runtime} did not run`).toBeDefined();
      expect(run!.result.steps.map((s) => s.name)).toEqual(STEPS);
      expect(run!.result.steps.filter((s) => !s.ok)).toEqual([]);
      expect(run!.result.ok).toBe(true);
    });

    it(`fails the deliberately broken scenario on ${runtime}`, () => {
      const run = broken.find((r) => r.runtime === runtime);
      expect(run, `${runtime} did not run`).toBeDefined();
      expect(run!.result.ok).toBe(false);
      expect(run!.result.steps.filter((s) => !s.ok).map((s) => s.name)).toEqual(["forged_signature_refused", "node_globals_untouched"]);
    });
  }

  it("refuses to bundle code that reaches a Node built-in", async () => {
    for (const spec of ["node:crypto", "fs"]) {
      await expect(
        build({
          stdin: { contents: `import * as m from "${spec}"; export default m;`, resolveDir: process.cwd(), loader: "js" },
          bundle: true,
          write: false,
          platform: "neutral",
          format: "esm",
          logLevel: "silent",
          plugins: [refuseNodeBuiltins()],
        }),
      ).rejects.toThrow(/a Node built-in is reachable/);
    }
  });
});
