/**
 * The Lambda functions compose without inversify (ADR 0011): their bundles, built as `npm run
 * build:lambda` builds them, must not reach inversify, its packages, or the container modules. A
 * single import of the container from a Lambda path would add ~90 KB and its load to every cold start.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { bundleLambda, LAMBDA_ENTRY_POINTS, MAX_KB_WITHOUT_AWS_SDK } from "../../../scripts/build-lambda.js";

const CONTAINER = /(^|\/)node_modules\/(inversify|@inversifyjs\/[^/]+|reflect-metadata)\/|^src\/composition\/(container|local-server)\.ts$/;

describe("the Lambda bundles", () => {
  const outdir = mkdtempSync(join(tmpdir(), "keyport-bundles-"));
  afterAll(() => rmSync(outdir, { recursive: true, force: true }));

  it.each(Object.entries(LAMBDA_ENTRY_POINTS))("%s reaches neither inversify nor the container", async (name, entry) => {
    const report = await bundleLambda(name, entry, outdir);
    const inputs = Object.keys(report.metafile.inputs);
    expect(inputs.length).toBeGreaterThan(1);
    expect(inputs.filter((path) => CONTAINER.test(path))).toEqual([]);
  });

  it("define-auth-challenge reaches no store, no AWS SDK and no WebAuthn parser: it only folds the session history", async () => {
    const report = await bundleLambda("define-auth-challenge", LAMBDA_ENTRY_POINTS["define-auth-challenge"], outdir);
    const inputs = Object.keys(report.metafile.inputs);
    expect(inputs.filter((path) => /node_modules\/(@aws-sdk|@smithy|@oslojs\/(cbor|webauthn|crypto))\/|^src\/(adapters|domain\/encoding\/parse-response|domain\/ceremonies)\//.test(path))).toEqual([]);
  });

  it.each(["create-auth-challenge", "verify-auth-challenge-response"] as const)(
    `%s stays within the function budget (${MAX_KB_WITHOUT_AWS_SDK} KB without the AWS SDK), Powertools Metrics included`,
    async (name) => {
      const report = await bundleLambda(name, LAMBDA_ENTRY_POINTS[name], outdir);
      expect(report.byPackage.map((entry) => entry.name)).toContain("@aws-lambda-powertools/metrics");
      expect(report.bytesWithoutAwsSdk / 1024).toBeLessThanOrEqual(MAX_KB_WITHOUT_AWS_SDK);
    },
  );

  it.each(["http-api", "create-auth-challenge", "verify-auth-challenge-response"] as const)(
    "%s reads the metadata snapshot without the S3 client: a signed GET on the signer and credential chain DynamoDB brings",
    async (name) => {
      const report = await bundleLambda(name, LAMBDA_ENTRY_POINTS[name], outdir);
      const inputs = Object.keys(report.metafile.inputs);
      expect(inputs).toContain("src/adapters/s3/sigv4-s3-object-reader.ts");
      expect(inputs.filter((path) => /node_modules\/@aws-sdk\/client-s3\//.test(path))).toEqual([]);
    },
  );

  it("the S3 client pattern does catch it where it is bundled: the refresh function, which writes the snapshot", async () => {
    const report = await bundleLambda("mds-refresh", LAMBDA_ENTRY_POINTS["mds-refresh"], outdir);
    expect(Object.keys(report.metafile.inputs).filter((path) => /node_modules\/@aws-sdk\/client-s3\//.test(path))).not.toEqual([]);
  });

  it(`mds-refresh stays within the function budget (${MAX_KB_WITHOUT_AWS_SDK} KB without the AWS SDK) and reaches no store and no Cognito`, async () => {
    const report = await bundleLambda("mds-refresh", LAMBDA_ENTRY_POINTS["mds-refresh"], outdir);
    const inputs = Object.keys(report.metafile.inputs);
    expect(inputs.filter((path) => /node_modules\/@aws-sdk\/client-(dynamodb|cognito-identity-provider|secrets-manager)\/|^src\/adapters\/(dynamodb|cognito)\//.test(path))).toEqual([]);
    expect(report.bytesWithoutAwsSdk / 1024).toBeLessThanOrEqual(MAX_KB_WITHOUT_AWS_SDK);
  });

  it("the pattern does catch the container, as the local server's composition reaches it", async () => {
    const report = await bundleLambda("local-server", "src/composition/local-server.ts", outdir);
    const caught = Object.keys(report.metafile.inputs).filter((path) => CONTAINER.test(path));
    expect(caught).toEqual(expect.arrayContaining(["src/composition/container.ts", expect.stringMatching(/node_modules\/inversify\//)]));
  });
});
