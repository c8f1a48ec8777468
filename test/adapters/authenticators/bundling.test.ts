/**
 * The catalog's data is a file beside the code, never part of a bundle (ADR 0019): built as `npm run
 * build:lambda` builds them, the HTTP API's bundle carries the catalog's code and gets the file copied
 * beside it; the trigger bundles carry neither. And a bundled catalog finds the file beside its bundle.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { AUTHENTICATOR_DATA_FILE } from "../../../src/adapters/authenticators/community-authenticator-catalog.js";
import { bundleLambda, LAMBDA_ENTRY_POINTS } from "../../../scripts/build-lambda.js";

const CATALOG_INPUT = /^src\/adapters\/authenticators\//;
/** Text that only the data holds: PNG and SVG icons in base64, and a name only the data set knows. */
const DATA_MARKERS = ["data:image/png;base64,iVBORw0KGgo", "data:image/svg+xml;base64,", "Google Password Manager"];

describe("the authenticator data in bundles", () => {
  const outdir = mkdtempSync(join(tmpdir(), "keyport-catalog-bundles-"));
  afterAll(() => rmSync(outdir, { recursive: true, force: true }));

  it("a bundled catalog carries none of the data in its code, finds the file copied beside it, and reads it on the first describe", async () => {
    const report = await bundleLambda("catalog", "src/adapters/authenticators/community-authenticator-catalog.ts", outdir);
    const code = readFileSync(report.outfile, "utf8");
    for (const marker of DATA_MARKERS) expect(code).not.toContain(marker);
    expect(report.bytes).toBeLessThan(4 * 1024);
    expect(report.beside).toEqual([{ name: "authenticators.json", bytes: readFileSync(AUTHENTICATOR_DATA_FILE).length }]);

    const script = `
      const { CommunityAuthenticatorCatalog } = await import(${JSON.stringify(pathToFileURL(report.outfile).href)});
      const problems = [];
      const described = await new CommunityAuthenticatorCatalog({ report: (p) => problems.push(p) })
        .describe("CB69481E-8FF7-4039-93EC-0A2729A154A8", { transports: ["usb"], backupEligible: false });
      console.log(JSON.stringify({ name: described.name, icon: described.icon?.light.slice(0, 22), problems }));`;
    const run = spawnSync(process.execPath, ["--input-type=module", "-e", script], { cwd: tmpdir(), encoding: "utf8" });
    expect(run.status, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual({ name: "YubiKey 5 Series", icon: "data:image/png;base64,", problems: [] });
  });

  // The HTTP API names authenticators in its answers; the Create/Verify composition in the events it records
  // (issue 12). Each bundle has the data file beside it, never inside its code.
  it.each(["http-api", "create-auth-challenge", "verify-auth-challenge-response"] as const)(
    "%s carries the catalog's code and has the data file beside it, outside its code",
    async (name) => {
      const report = await bundleLambda(name, LAMBDA_ENTRY_POINTS[name], outdir);
      expect(Object.keys(report.metafile.inputs).filter((path) => CATALOG_INPUT.test(path)).sort()).toEqual([
        "src/adapters/authenticators/authenticator-data.ts",
        "src/adapters/authenticators/community-authenticator-catalog.ts",
      ]);
      expect(report.beside.map((file) => file.name)).toEqual(["authenticators.json"]);
      expect(existsSync(join(dirname(report.outfile), "authenticators.json"))).toBe(true);
      const code = readFileSync(report.outfile, "utf8");
      for (const marker of DATA_MARKERS) expect(code).not.toContain(marker);
    },
  );

  it("define-auth-challenge carries neither the catalog nor its data", async () => {
    const report = await bundleLambda("define-auth-challenge", LAMBDA_ENTRY_POINTS["define-auth-challenge"], outdir);
    expect(Object.keys(report.metafile.inputs).filter((path) => CATALOG_INPUT.test(path))).toEqual([]);
    expect(report.beside).toEqual([]);
    expect(existsSync(join(dirname(report.outfile), "authenticators.json"))).toBe(false);
  });
});
