import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { CDK_JSON_CONTEXT } from "./support/synth.js";

const ROOT = join(import.meta.dirname, "../..");

/**
 * Flags pinned against aws-cdk-lib's recommendation, each for a reason. The recommendation is what
 * `cdk init` writes for a new app and what the CLI's "feature flags are not configured" notice measures.
 */
const DELIBERATE: Readonly<Record<string, unknown>> = {
  // Would send the construct props' keys and their boolean and enum values to AWS in the template's
  // CDKMetadata resource. cdk.json already turns the CLI's telemetry off; a deployer may turn it on.
  "@aws-cdk/core:enableAdditionalMetadataCollection": false,
};

describe("cdk.json's feature flags", () => {
  it("pin every flag aws-cdk-lib recommends at its recommended value, except the deliberate choices", () => {
    const recommended = JSON.parse(readFileSync(join(ROOT, "node_modules/aws-cdk-lib/recommended-feature-flags.json"), "utf8")) as Record<string, unknown>;
    const expected = { ...recommended, ...DELIBERATE };
    const pinned = Object.fromEntries(Object.entries(CDK_JSON_CONTEXT).filter(([key]) => key in expected));
    expect(pinned).toEqual(expected);
  });

  it("make only deliberate choices that differ from the recommendation and are explained", () => {
    const recommended = JSON.parse(readFileSync(join(ROOT, "node_modules/aws-cdk-lib/recommended-feature-flags.json"), "utf8")) as Record<string, unknown>;
    for (const [flag, value] of Object.entries(DELIBERATE)) {
      expect(recommended, flag).toHaveProperty([flag]);
      expect(value, flag).not.toEqual(recommended[flag]);
    }
  });
});
