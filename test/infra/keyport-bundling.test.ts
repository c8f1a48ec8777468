/**
 * The slow path, once: the CDK app itself (infra/bin/keyport.ts) run as `cdk synth` runs it, so the
 * real entry points are bundled by the local esbuild (no Docker) and the template goes through CDK's
 * built-in CloudFormation validation. It runs in a child process because CDK's local bundling hands
 * its own stderr to esbuild, which a worker thread cannot do.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { KEYPORT_BUNDLED_FILES, KEYPORT_ENTRY_POINTS } from "../../infra/lib/keyport-passkeys.js";

const ROOT = join(import.meta.dirname, "../..");
const entriesExist = Object.values(KEYPORT_ENTRY_POINTS).every((entry) => existsSync(join(ROOT, entry)));

type Resource = { Type: string; Properties: Record<string, unknown> };
let outdir: string;
let template: { Resources: Record<string, Resource> };
let assets: { files: Record<string, { source: { path: string } }> };

/** The asset folder of the function whose description contains `description`. */
function assetDirOf(description: string): string {
  const fn = Object.values(template.Resources).find((r) => r.Type === "AWS::Lambda::Function" && String(r.Properties.Description).includes(description));
  const key = (fn?.Properties.Code as { S3Key: string }).S3Key.replace(/\.zip$/, "");
  return join(outdir, assets.files[key]?.source.path as string);
}

describe.skipIf(!entriesExist)("the CDK app, synthesised with real bundles and CloudFormation validation", () => {
  beforeAll(() => {
    outdir = mkdtempSync(join(tmpdir(), "keyport-cdk-"));
    const context = {
      rpId: "example.com",
      origins: "https://example.com,https://app.example.com",
      // Validation errors fail synth instead of being downgraded to warnings, and so do warnings.
      "@aws-cdk/core:validateAgainstDefaultRules": true,
      "@aws-cdk/core:strictCfnValidateErrors": true,
    };
    const run = spawnSync(join(ROOT, "node_modules/.bin/tsx"), ["infra/bin/keyport.ts"], {
      cwd: ROOT,
      // What the CDK CLI hands its app; no AWS credentials are needed or passed.
      env: { ...withoutAws(process.env), CDK_OUTDIR: outdir, CDK_CONTEXT_JSON: JSON.stringify(context) },
      encoding: "utf8",
    });
    if (run.status !== 0) throw new Error(`synth failed (${run.status}):\n${run.stderr}\n${run.stdout}`);
    template = JSON.parse(readFileSync(join(outdir, "Keyport.template.json"), "utf8"));
    assets = JSON.parse(readFileSync(join(outdir, "Keyport.assets.json"), "utf8"));
  }, 180_000);

  afterAll(() => {
    if (outdir !== undefined) rmSync(outdir, { recursive: true, force: true });
  });

  it("passes CloudFormation validation without a finding", () => {
    const report = JSON.parse(readFileSync(join(outdir, "validation-report.json"), "utf8")) as { pluginReports: { violations?: unknown[] }[] };
    expect(report.pluginReports.flatMap((r) => r.violations ?? [])).toEqual([]);
  });

  it("bundles each entry point into one minified ESM file that exports handler", () => {
    const functions = Object.values(template.Resources).filter((r) => r.Type === "AWS::Lambda::Function");
    expect(functions).toHaveLength(4);
    for (const fn of functions) {
      expect(fn.Properties.Handler).toBe("index.handler");
      const key = (fn.Properties.Code as { S3Key: string }).S3Key;
      const assetPath = assets.files[key.replace(/\.zip$/, "")]?.source.path;
      expect(assetPath, key).toBeDefined();
      const bundle = readFileSync(join(outdir, assetPath as string, "index.mjs"), "utf8");
      expect(bundle).toMatch(/export\s*\{[^}]*\bhandler\b[^}]*\}/);
      // CommonJS bundled into ESM gets a real `require`; no source map ships while they are off.
      expect(bundle.startsWith("import { createRequire as __keyportCreateRequire }")).toBe(true);
      expect(existsSync(join(outdir, assetPath as string, "index.mjs.map"))).toBe(false);
    }
  });

  it("ships the authenticator data beside the bundles that name authenticators, the HTTP API's and Verify's (its events), where the catalog reads it", () => {
    const [dataFile] = KEYPORT_BUNDLED_FILES.httpApi;
    expect(dataFile).toBe("src/adapters/authenticators/authenticators.json");
    for (const fn of ["HTTP API", "VerifyAuthChallengeResponse"]) {
      const shipped = join(assetDirOf(fn), "authenticators.json");
      expect(existsSync(shipped), fn).toBe(true);
      expect(readFileSync(shipped)).toEqual(readFileSync(join(ROOT, dataFile as string)));
      // The bundle reads it relative to itself (new URL("./authenticators.json", import.meta.url)).
      expect(readFileSync(join(assetDirOf(fn), "index.mjs"), "utf8"), fn).toContain("authenticators.json");
    }
    // Define and Create record no events: neither needs the file (Create shares Verify's composition, whose catalog reads it only for an event).
    for (const trigger of ["DefineAuthChallenge", "CreateAuthChallenge"]) {
      expect(existsSync(join(assetDirOf(trigger), "authenticators.json")), trigger).toBe(false);
    }
    expect(readFileSync(join(assetDirOf("DefineAuthChallenge"), "index.mjs"), "utf8")).not.toContain("authenticators.json");
  });

  it("produces bundles that start and answer: the HTTP API's /healthz, DefineAuthChallenge, and Verify, which counts what it refuses in EMF", () => {
    const bundleOf = (description: string) => join(assetDirOf(description), "index.mjs");
    // No secret ARNs, so nothing at initialisation calls AWS; the variables stand in for the stack's.
    const script = `
      const http = await import(${JSON.stringify(bundleOf("HTTP API"))});
      const event = { version: "2.0", routeKey: "GET /healthz", rawPath: "/healthz", rawQueryString: "", headers: { host: "api.example" }, isBase64Encoded: false,
        requestContext: { http: { method: "GET", path: "/healthz", protocol: "HTTP/1.1", sourceIp: "192.0.2.1", userAgent: "test" }, domainName: "api.example", requestId: "r", routeKey: "GET /healthz", stage: "$default", accountId: "1", apiId: "a", time: "", timeEpoch: 0 } };
      const answer = await http.handler(event);
      const define = await import(${JSON.stringify(bundleOf("DefineAuthChallenge"))});
      const decided = await define.handler({ triggerSource: "DefineAuthChallenge_Authentication", userName: "u", request: { session: [], userNotFound: false }, response: {} });
      // An answer without the challenge Create kept: refused before any store is asked, and counted.
      const verify = await import(${JSON.stringify(bundleOf("VerifyAuthChallengeResponse"))});
      const verified = await verify.handler({ triggerSource: "VerifyAuthChallengeResponse_Authentication", userName: "u", request: { privateChallengeParameters: {}, challengeAnswer: "{}", userNotFound: false }, response: {} });
      console.log(JSON.stringify({ status: answer.statusCode, body: JSON.parse(answer.body), define: decided.response, verify: verified.response }));`;
    const run = spawnSync(process.execPath, ["--input-type=module", "-e", script], {
      env: {
        PATH: process.env.PATH,
        AWS_REGION: "eu-west-1",
        RP_ID: "example.com",
        ALLOWED_ORIGINS: "https://example.com",
        STORAGE: "dynamodb",
        IDENTITY_PROVIDER: "cognito",
        SESSION_TABLE: "keyport-sessions",
        CREDENTIAL_TABLE: "keyport-credentials",
        EVENT_TABLE: "keyport-events",
        COGNITO_USER_POOL_ID: "eu-west-1_Example1",
        COGNITO_CLIENT_ID: "exampleclient123",
      },
      encoding: "utf8",
    });
    expect(run.status, run.stderr).toBe(0);
    const lines = run.stdout.trim().split("\n").filter((line) => line.startsWith("{")).map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(lines.at(-1)).toEqual({
      status: 200,
      body: { status: "ok" },
      define: { issueTokens: false, failAuthentication: false, challengeName: "CUSTOM_CHALLENGE" },
      verify: { answerCorrect: false },
    });
    // Powertools, bundled, writes the refusal as an EMF line: the metric the stack's dashboard and alarm read.
    const emf = lines.filter((line) => "_aws" in line);
    expect(emf).toContainEqual(expect.objectContaining({ service: "keyport", ceremony: "sign_in", outcome: "failed", CeremonyCount: 1 }));
  });

  it("takes its settings from CDK context", () => {
    const http = Object.values(template.Resources).find((r) => r.Type === "AWS::Lambda::Function" && String(r.Properties.Description).includes("HTTP API"));
    expect((http?.Properties.Environment as { Variables: Record<string, unknown> }).Variables).toMatchObject({
      RP_ID: "example.com",
      ALLOWED_ORIGINS: "https://example.com,https://app.example.com",
    });
  });
});

function withoutAws(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(env).filter(([key]) => !key.startsWith("AWS_")));
}
