/**
 * `keyport/cdk` without packing (src/entry/cdk.ts): the construct of the installed package deploys the
 * bundles `npm run build` made, which must be the bundles of the very entry points the construct would
 * bundle itself, with every file its functions read beside them. The packed package's synth is in
 * pack.test.ts.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { App, Stack } from "aws-cdk-lib";
import { Template } from "aws-cdk-lib/assertions";
import { afterEach, describe, expect, it } from "vitest";
import { KEYPORT_BUNDLED_FILES, KEYPORT_ENTRY_POINTS, type KeyportFunctionName } from "../../infra/lib/keyport-passkeys.js";
import { FILES_BESIDE, LAMBDA_ENTRY_POINTS } from "../../scripts/build-lambda.js";
import { KEYPORT_LAMBDA_BUNDLES, KeyportPasskeys, shippedFunctionCode } from "../../src/entry/cdk.js";

const NAMES = Object.keys(KEYPORT_ENTRY_POINTS) as KeyportFunctionName[];

/** A dist/lambda as the build leaves it, less `missing` (a path under it). */
function builtBundles(missing?: string): string {
  const dir = mkdtempSync(join(tmpdir(), "keyport-shipped-bundles-"));
  for (const name of NAMES) {
    const folder = join(dir, KEYPORT_LAMBDA_BUNDLES[name]);
    mkdirSync(folder);
    writeFileSync(join(folder, "index.mjs"), `export const handler = async () => "${name}";\n`);
    for (const file of KEYPORT_BUNDLED_FILES[name]) writeFileSync(join(folder, basename(file)), "{}");
  }
  if (missing !== undefined) rmSync(join(dir, missing));
  return dir;
}

describe("keyport/cdk", () => {
  const made: string[] = [];
  afterEach(() => {
    for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  it("names for each function the bundle npm run build makes of that function's own entry point", () => {
    for (const name of NAMES) {
      const bundle = KEYPORT_LAMBDA_BUNDLES[name];
      expect(LAMBDA_ENTRY_POINTS[bundle as keyof typeof LAMBDA_ENTRY_POINTS], name).toBe(KEYPORT_ENTRY_POINTS[name]);
    }
    expect(Object.keys(LAMBDA_ENTRY_POINTS).sort()).toEqual(Object.values(KEYPORT_LAMBDA_BUNDLES).sort());
  });

  it("has the build copy beside the bundles every file the construct says its functions read", () => {
    const copied = new Set(Object.values(FILES_BESIDE));
    for (const name of NAMES) for (const file of KEYPORT_BUNDLED_FILES[name]) expect(copied, `${name}: ${file}`).toContain(file);
  });

  it("finds no shipped bundles when run from the sources, so the construct bundles them there", () => {
    expect(shippedFunctionCode()).toBeUndefined();
  });

  it("deploys the shipped bundles, each function's from its own folder", () => {
    const dir = builtBundles();
    made.push(dir);
    const stack = new Stack(new App(), "Test");
    new KeyportPasskeys(stack, "Passkeys", { rpId: "example.com", allowedOrigins: ["https://example.com"], code: shippedFunctionCode(dir) });
    const functions = Template.fromStack(stack).findResources("AWS::Lambda::Function");
    expect(Object.keys(functions)).toHaveLength(4);
    for (const fn of Object.values(functions)) expect(fn).toMatchObject({ Properties: { Handler: "index.handler" } });
    // Each bundle differs (it names its function), so four distinct assets mean four folders, none shared.
    const assets = Object.values(functions).map((fn) => JSON.stringify((fn as { Properties: { Code: unknown } }).Properties.Code));
    expect(new Set(assets).size).toBe(4);
  });

  it("refuses a build whose bundle lacks a file its function reads, naming it", () => {
    const dir = builtBundles(join(KEYPORT_LAMBDA_BUNDLES.verifyAuthChallengeResponse, "authenticators.json"));
    made.push(dir);
    expect(() => shippedFunctionCode(dir)).toThrow(/verifyAuthChallengeResponse function lacks .*verify-auth-challenge-response\/authenticators\.json; rebuild/);
  });

  it("refuses a build without a bundle", () => {
    const dir = builtBundles(join(KEYPORT_LAMBDA_BUNDLES.defineAuthChallenge, "index.mjs"));
    made.push(dir);
    expect(() => shippedFunctionCode(dir)).toThrow(/defineAuthChallenge function lacks .*index\.mjs/);
  });
});
