/**
 * The slow path, once: `npm run synth`, the command the README gives, so the CDK CLI runs the app
 * (infra/bin/keyport.ts) with cdk.json's context and feature flags, the real entry points are bundled by
 * the local esbuild (no Docker), and the template goes through CDK's built-in CloudFormation validation.
 * One run serves every assertion on the template, the bundles and what the command prints. A bad setting
 * stops the app before anything is bundled, so those runs are quick.
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
const outdirs: string[] = [];
let outdir: string;
let printed: { status: number | null; stdout: string; stderr: string };
let template: { Resources: Record<string, Resource>; Outputs: Record<string, { Description?: string }> };
let assets: { files: Record<string, { source: { path: string } }> };

/** `npm run synth -- <args>` into a fresh output directory, as a deployer without AWS credentials runs it. */
function npmRunSynth(...args: string[]): { outdir: string; status: number | null; stdout: string; stderr: string } {
  const dir = mkdtempSync(join(tmpdir(), "keyport-cdk-"));
  outdirs.push(dir);
  const run = spawnSync("npm", ["run", "synth", "--", "--output", dir, ...args], {
    cwd: ROOT,
    // No AWS credentials are needed or passed; npm's update check would only add a line.
    env: { ...withoutAws(process.env), npm_config_update_notifier: "false" },
    encoding: "utf8",
  });
  return { outdir: dir, status: run.status, stdout: run.stdout, stderr: run.stderr };
}

/** The lines a person reads, without the blank ones. */
const linesOf = (text: string) => text.split("\n").map((line) => line.trimEnd()).filter((line) => line.trim() !== "");

/** The asset folder of the function whose description contains `description`. */
function assetDirOf(description: string): string {
  const fn = Object.values(template.Resources).find((r) => r.Type === "AWS::Lambda::Function" && String(r.Properties.Description).includes(description));
  const key = (fn?.Properties.Code as { S3Key: string }).S3Key.replace(/\.zip$/, "");
  return join(outdir, assets.files[key]?.source.path as string);
}

afterAll(() => {
  for (const dir of outdirs) rmSync(dir, { recursive: true, force: true });
});

describe.skipIf(!entriesExist)("npm run synth: the CDK app with real bundles and CloudFormation validation", () => {
  beforeAll(() => {
    // rpId stays the default placeholder; strict validation turns the validator's warnings into errors too.
    const run = npmRunSynth("-c", "origins=https://example.com,https://app.example.com", "-c", "@aws-cdk/core:strictCfnValidateErrors=true");
    ({ outdir } = run);
    printed = run;
    if (run.status !== 0) throw new Error(`synth failed (${run.status}):\n${run.stderr}\n${run.stdout}`);
    template = JSON.parse(readFileSync(join(outdir, "Keyport.template.json"), "utf8"));
    assets = JSON.parse(readFileSync(join(outdir, "Keyport.assets.json"), "utf8"));
  }, 180_000);

  it("says where the template is, for which stack, relying party and origins", () => {
    expect(linesOf(printed.stderr)).toContain(
      `keyport: template ${join(outdir, "Keyport.template.json")} (stack Keyport, rpId example.com, origins https://example.com, https://app.example.com)`,
    );
  });

  it("lists every output of the template, each with its description", () => {
    const lines = linesOf(printed.stderr);
    const heading = lines.indexOf("keyport: outputs, once deployed (npm run deploy):");
    expect(heading).toBeGreaterThanOrEqual(0);
    const listed = lines.slice(heading + 1).filter((line) => line.startsWith("  ")).map((line) => line.trim().split(/\s{2,}/));
    expect(listed).toEqual(Object.entries(template.Outputs).map(([name, output]) => [name, output.Description]));
    expect(listed.map(([name]) => name)).toEqual(["ApiUrl", "UserPoolId", "UserPoolClientId", "CredentialTableName", "EventTableName", "DashboardName"]);
  });

  it("warns, in one line, that rpId is still the placeholder example.com", () => {
    const warnings = linesOf(printed.stderr).filter((line) => /warning/i.test(line));
    expect(warnings).toEqual([expect.stringMatching(/^keyport: warning: rpId is still the placeholder example\.com\b.*-c rpId=/)]);
  });

  it("runs with every recommended feature flag pinned, so the CLI has no notice about unconfigured ones", () => {
    expect(`${printed.stdout}\n${printed.stderr}`).not.toMatch(/feature flags? (is|are) not configured/i);
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

describe("npm run synth with a bad setting", () => {
  /**
   * What the person reads on stderr: keyport's one line, then the CDK CLI's own line about the app's
   * exit code, which no app can suppress. No stack trace, and no template.
   */
  function expectOneLine(run: ReturnType<typeof npmRunSynth>, line: string): void {
    expect(run.status).not.toBe(0);
    expect(linesOf(run.stderr)).toEqual([line, expect.stringMatching(/: Subprocess exited with error 1$/)]);
    expect(run.stderr).not.toMatch(/^\s+at\s/m);
    expect(existsSync(join(run.outdir, "Keyport.template.json"))).toBe(false);
  }

  it("shows a malformed context value as one line naming the key, and fails", () => {
    expectOneLine(npmRunSynth("-c", "throttleRateLimit=fast"), 'keyport: bad setting: context throttleRateLimit: expected a positive whole number, got "fast"');
  }, 60_000);

  it("shows a value the construct refuses (an origin outside rpId) as one line, and fails", () => {
    expectOneLine(npmRunSynth("-c", "rpId=shop.example", "-c", "origins=https://shop.example.org"), 'keyport: bad setting: "https://shop.example.org" is not within rpId "shop.example"');
  }, 60_000);
});

function withoutAws(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(env).filter(([key]) => !key.startsWith("AWS_")));
}
