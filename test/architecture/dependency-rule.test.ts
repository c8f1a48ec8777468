import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const root = fileURLToPath(new URL("../../", import.meta.url));
const depcruise = `${root}node_modules/.bin/depcruise`;
const config = `${root}.dependency-cruiser.cjs`;

function cruise(cwd: string): { status: number | null; output: string } {
  const run = spawnSync(depcruise, ["src", "--config", config, "--output-type", "err"], { cwd, encoding: "utf8" });
  return { status: run.status, output: `${run.stdout}${run.stderr}` };
}

describe("the dependency rule (ADR 0001)", () => {
  const violations = cruise(fileURLToPath(new URL("./fixtures/violations/", import.meta.url)));

  it("fails when the domain imports an adapter", () => {
    expect(violations.status).not.toBe(0);
    expect(violations.output).toMatch(/domain-imports-no-outer-layer: src\/domain\/imports-adapter\.ts/);
  });

  it("fails when the domain imports a node: builtin", () => {
    expect(violations.output).toMatch(/domain-imports-no-node-builtins: src\/domain\/imports-node\.ts/);
  });

  it("fails when the domain imports inversify", () => {
    expect(violations.output).toMatch(/domain-imports-no-aws-sdk-or-di: src\/domain\/imports-inversify\.ts/);
  });

  it("fails when the domain imports an AWS SDK, even one that is not installed", () => {
    expect(violations.output).toMatch(/domain-imports-no-aws-sdk-or-di: src\/domain\/imports-aws-sdk\.ts/);
  });

  it("fails when a handler imports the composition", () => {
    expect(violations.output).toMatch(/handlers-import-no-composition: src\/handlers\/imports-composition\.ts/);
  });

  it("fails when an adapter imports a handler", () => {
    expect(violations.output).toMatch(/adapters-import-no-handlers-or-composition: src\/adapters\/imports-handler\.ts/);
  });

  it("fails when an adapter imports the composition", () => {
    expect(violations.output).toMatch(/adapters-import-no-handlers-or-composition: src\/adapters\/imports-composition\.ts/);
  });

  it("fails when anything but an entry point imports an entry point", () => {
    expect(violations.output).toMatch(/only-entry-points-are-entry-points: src\/composition\/imports-main\.ts/);
  });

  it("fails when a layer imports the package's entry points", () => {
    expect(violations.output).toMatch(/package-entry-points-are-not-imported: src\/adapters\/imports-entry\.ts → src\/entry\/node\.ts/);
  });

  it("fails when the runtime-neutral entry point reaches a node: builtin, however indirectly", () => {
    expect(violations.output).toMatch(/neutral-entry-points-reach-no-node-builtins: src\/entry\/index\.ts → fs\n\s+src\/adapters\/uses-reads-files\.ts →\n\s+src\/adapters\/reads-files\.ts →/);
  });

  it("lets the Node entry point reach node: builtins", () => {
    expect(violations.output).not.toMatch(/src\/entry\/node\.ts →/);
  });

  it("does not flag files that keep the rule", () => {
    expect(violations.output).not.toMatch(/clean\.ts/);
    expect(violations.output).not.toMatch(/wiring\.ts →|program\.ts →|shell\.ts →/);
  });

  it("passes on keyport's own source tree", () => {
    const own = cruise(root);
    expect(own.output).toMatch(/no dependency violations found/);
    expect(own.status).toBe(0);
  });
});
