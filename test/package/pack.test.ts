/**
 * keyport as a user installs it (issue 13, ADR 0021): `npm pack` once per run, the tarball installed
 * into a fresh project, and every entry point used from there — in plain Node for the server ones, in
 * an esbuild browser bundle for the client, through `cdk synth` for the construct — along with the
 * README's examples, written into that project, type-checked against the package's declarations and
 * run. Slow (a build and an install, about a minute), so it all shares the one pack of `beforeAll`.
 */
import { cpSync, existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { build, type Plugin } from "esbuild";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { apiReports, checkedInReport, REPORTED_ENTRY_POINTS, type ReportName } from "./support/api-reports.js";
import { packAndInstall, ROOT, TSC, type PackedProject } from "./support/packed-project.js";
import { readmeExamples } from "./support/readme-examples.js";

const manifest = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as {
  exports: Record<string, { types: string; import: string } | string>;
  dependencies: Record<string, string>;
  peerDependencies: Record<string, string>;
};

/** The entry points Node runs (the client is for browsers). */
const SERVER_ENTRY_POINTS = {
  keyport: "../../src/entry/index.js",
  "keyport/node": "../../src/entry/node.js",
  "keyport/aws": "../../src/entry/aws.js",
  "keyport/http": "../../src/entry/http.js",
  "keyport/cdk": "../../src/entry/cdk.js",
} as const;

/** The origin the README's Hono example allows. */
const HONO_ORIGIN = "http://localhost:8787";
/** Apple's passkey provider, and its name in the authenticator data set: a passkey so named proves the data file shipped. */
const APPLE_AAGUID = "fbfc3007-154e-4ecc-8c0b-6e020557d7bd";
const APPLE_NAME = (JSON.parse(readFileSync(join(ROOT, "src/adapters/authenticators/authenticators.json"), "utf8")) as { authenticators: Record<string, { name: string }> })
  .authenticators[APPLE_AAGUID]?.name;

const SOFTWARE_AUTHENTICATOR = join(ROOT, "test/support/software-authenticator.js");
const FAKE_BROWSER = join(ROOT, "test/package/support/fake-browser.js");

/** Fails on any import of a Node built-in, with the importer, instead of letting the bundle treat it as external. */
function refuseNodeBuiltins(found: string[]): Plugin {
  const builtins = /^(node:|(assert|buffer|child_process|crypto|dns|events|fs|http|http2|https|module|net|os|path|process|stream|tls|url|util|worker_threads|zlib)(\/|$))/;
  return {
    name: "refuse-node-builtins",
    setup(pluginBuild) {
      pluginBuild.onResolve({ filter: builtins }, (args) => {
        found.push(`${args.path} (imported by ${args.importer})`);
        return { path: args.path, external: true };
      });
    },
  };
}

describe("keyport packed and installed in a fresh project", () => {
  let project: PackedProject;
  const examples = readmeExamples();

  beforeAll(() => {
    project = packAndInstall();
    project.write(Object.fromEntries(examples));
  }, 600_000);

  afterAll(() => project?.remove());

  it("ships the built code, its data files and the documents, and no sources, tests or benchmarks", () => {
    const { files } = project;
    expect(files.filter((file) => !/^(package\.json|README\.md|CHANGELOG\.md|LICENSE|dist\/(src|infra|lambda)\/.+)$/.test(file))).toEqual([]);
    expect(files.filter((file) => file.endsWith(".ts") && !file.endsWith(".d.ts"))).toEqual([]);
    expect(files).toContain("CHANGELOG.md");
    const targets = Object.values(manifest.exports).flatMap((target) => (typeof target === "string" ? [target] : [target.types, target.import]));
    for (const target of targets) expect(files).toContain(target.replace(/^\.\//, ""));
    expect(files).toContain("dist/src/adapters/authenticators/authenticators.json");
    for (const bundle of ["http-api", "define-auth-challenge", "create-auth-challenge", "verify-auth-challenge-response"]) {
      expect(files).toContain(`dist/lambda/${bundle}/index.mjs`);
    }
  });

  it("imports every server entry point in plain Node, each with the exports of its source, and refuses paths it does not export", async () => {
    project.write({
      "entry-points.mjs": `
        const exports = {};
        for (const spec of ${JSON.stringify(Object.keys(SERVER_ENTRY_POINTS))}) exports[spec] = Object.keys(await import(spec)).sort();
        let deepImport = "imported";
        try { await import("keyport/dist/src/entry/index.js"); } catch (fault) { deepImport = fault.code; }
        console.log(JSON.stringify({ exports, deepImport }));
      `,
    });
    const { stdout } = project.run("node", ["entry-points.mjs"]);
    const result = JSON.parse(stdout.trim().split("\n").at(-1) ?? "") as { exports: Record<string, string[]>; deepImport: string };
    for (const [spec, source] of Object.entries(SERVER_ENTRY_POINTS)) {
      const own = Object.keys((await import(source)) as object).sort();
      expect(result.exports[spec], spec).toEqual(own);
      expect(own.length, spec).toBeGreaterThan(1);
    }
    expect(result.deepImport).toBe("ERR_PACKAGE_PATH_NOT_EXPORTED");
  });

  it("imports no package at run time that it does not declare as a dependency or peer dependency", () => {
    const declared = new Set([...Object.keys(manifest.dependencies), ...Object.keys(manifest.peerDependencies)]);
    const keyport = join(project.dir, "node_modules/keyport");
    const undeclared = new Set<string>();
    for (const file of project.files.filter((path) => path.startsWith("dist/src/") || path.startsWith("dist/infra/"))) {
      if (!file.endsWith(".js")) continue;
      // Comments go first: their examples import `keyport/client` and the like.
      const code = readFileSync(join(keyport, file), "utf8")
        .replace(/\/\*[\s\S]*?\*\//g, "")
        .replace(/^\s*\/\/.*$/gm, "");
      for (const [, specifier] of code.matchAll(/(?:\bfrom\s*|\bimport\s*\(\s*)["']([^"'.][^"']*)["']/g)) {
        if (specifier === undefined || specifier.startsWith("node:")) continue;
        const name = specifier.startsWith("@") ? specifier.split("/").slice(0, 2).join("/") : (specifier.split("/")[0] ?? specifier);
        // The demo page's live client bundle (a development convenience of the checkout's local server)
        // loads esbuild on demand; the package's startServer serves no demo page and never reaches it.
        if (name === "esbuild" && file === "dist/src/handlers/http/file-system-static-files.js") continue;
        if (!declared.has(name)) undeclared.add(`${name} (${file})`);
      }
    }
    expect([...undeclared]).toEqual([]);
  });

  it("reaches no node:* from keyport and keyport/http, bundled for a runtime-neutral platform", async () => {
    for (const [spec, marker] of [["keyport", "RegistrationCeremony"], ["keyport/http", "createApp"]] as const) {
      const found: string[] = [];
      const result = await build({
        absWorkingDir: project.dir,
        stdin: { contents: `export * from "${spec}";`, resolveDir: project.dir, loader: "js" },
        bundle: true,
        write: false,
        platform: "neutral",
        format: "esm",
        mainFields: ["module", "main"],
        conditions: ["import"],
        logLevel: "silent",
        plugins: [refuseNodeBuiltins(found)],
      });
      expect(found, spec).toEqual([]);
      // The bundle holds the entry's code, not an empty module that would pass for want of imports.
      expect(result.outputFiles[0]?.text, spec).toContain(marker);
    }
  });

  it("bundles keyport/client for the browser, with no Node built-in", async () => {
    const found: string[] = [];
    const result = await build({
      absWorkingDir: project.dir,
      stdin: { contents: `import { KeyportClient } from "keyport/client"; globalThis.client = new KeyportClient({ baseUrl: "https://api.example.com" });`, resolveDir: project.dir, loader: "js" },
      bundle: true,
      write: false,
      platform: "browser",
      format: "esm",
      logLevel: "silent",
      plugins: [refuseNodeBuiltins(found)],
    });
    expect(found).toEqual([]);
    // @simplewebauthn/browser came along from the package's dependencies.
    expect(result.outputFiles[0]?.text).toMatch(/navigator\.credentials/);
  });

  it("type-checks the README's examples and every entry point's declarations, as a strict user compiles them", () => {
    expect([...examples.keys()]).toEqual(expect.arrayContaining(["embedding.ts", "hono-app.ts", "client.ts", "cdk-app.ts"]));
    project.write({
      "declarations.ts": Object.keys(manifest.exports)
        .filter((subpath) => subpath !== "./package.json")
        .map((subpath, index) => `export type * as Entry${index} from "${join("keyport", subpath)}";\n`)
        .join(""),
      "tsconfig.json": JSON.stringify({
        compilerOptions: {
          target: "ES2022",
          lib: ["ES2022", "DOM"],
          module: "NodeNext",
          moduleResolution: "NodeNext",
          strict: true,
          noEmit: true,
          types: ["node"],
          // keyport's declarations are checked too, not trusted: one that names a type from a
          // development dependency, or does not compile, would be `any` to a user with skipLibCheck.
          skipLibCheck: false,
        },
        files: ["declarations.ts", ...examples.keys()],
      }),
    });
    let output = "";
    try {
      project.run("node", [TSC, "-p", "tsconfig.json"]);
    } catch (fault) {
      output = (fault as Error).message;
    }
    // Other packages' declarations are theirs (Powertools' name @types/aws-lambda, which no one installed).
    const ours = output.split("\n").filter((line) => /^(node_modules\/keyport\/|[\w.-]+\.ts\()/.test(line));
    expect(ours).toEqual([]);
  }, 120_000);

  it("signs up and signs in with a passkey through the README's embedding example, and records both in the trail", () => {
    project.write({
      "run-embedding.ts": `
        import { SoftwareAuthenticator } from ${JSON.stringify(SOFTWARE_AUTHENTICATOR)};
        import { ORIGIN, events, signInWithPasskey, signUp } from "./embedding.js";
        const authenticator = new SoftwareAuthenticator();
        const signedUp = await signUp("alice", async (options) => authenticator.createCredential(options, { origin: ORIGIN }));
        const tokens = await signInWithPasskey(async (options) => authenticator.getAssertion(options, { origin: ORIGIN }));
        const forged = await signInWithPasskey(async (options) => authenticator.getAssertion(options, { origin: ORIGIN, tamper: { signWithOtherKey: true } })).catch((fault: Error) => fault.message);
        const trail = await events.listForUser(signedUp.userHandle, { limit: 20, cursor: null });
        console.log(JSON.stringify({ signedUp, tokens, forged, trail }));
      `,
    });
    const result = project.runTs<{
      signedUp: { userHandle: string; credentialId: string; name: string };
      tokens: { idToken: string; refreshToken: string; tokenType: string };
      forged: string;
      trail: { ok: boolean; value: { events: { type: string; credentialId: string }[] } };
    }>("run-embedding.ts");
    expect(result.signedUp.name).toBe("Passkey");
    expect(result.tokens).toMatchObject({ idToken: expect.stringMatching(/^ey/), refreshToken: expect.any(String), tokenType: "Bearer" });
    expect(result.forged).toBe("sign_in_failed");
    expect(result.trail.value.events.map((event) => event.type)).toEqual(["sign_in.failed", "sign_in.succeeded", "registration.succeeded"]);
  });

  it("answers keyport's API under /auth of the README's Hono app, beside the app's own routes: sign-up, sign-in, the user's passkeys", () => {
    project.write({
      "run-hono-app.ts": `
        import { SoftwareAuthenticator } from ${JSON.stringify(SOFTWARE_AUTHENTICATOR)};
        import { app } from "./hono-app.js";
        const ORIGIN = ${JSON.stringify(HONO_ORIGIN)};
        const aaguid = new Uint8Array(Buffer.from(${JSON.stringify(APPLE_AAGUID.replaceAll("-", ""))}, "hex"));
        const authenticator = new SoftwareAuthenticator({ aaguid });
        async function call(method: string, path: string, body?: unknown, token?: string) {
          const headers: Record<string, string> = { origin: ORIGIN };
          if (body !== undefined) headers["content-type"] = "application/json";
          if (token !== undefined) headers.authorization = "Bearer " + token;
          const response = await app.request(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
          return { status: response.status, cors: response.headers.get("access-control-allow-origin"), body: (await response.json().catch(() => null)) as any };
        }
        const home = await app.request("/");
        const started = await call("POST", "/auth/registration/start", { username: "alice", displayName: "Alice" });
        const finished = await call("POST", "/auth/registration/finish", { sessionId: started.body.sessionId, publicKeyCredential: authenticator.createCredential(started.body.credentialCreationOptions, { origin: ORIGIN }) });
        const discovered = await call("POST", "/auth/authentication/discover", {});
        const assertion = authenticator.getAssertion(discovered.body.credentialRequestOptions, { origin: ORIGIN });
        const userId = assertion.response.userHandle;
        const opened = await call("POST", "/auth/authentication/start", { userId });
        const signedIn = await call("POST", "/auth/authentication/finish", { session: opened.body.session, userId, publicKeyCredential: assertion });
        const passkeys = await call("GET", "/auth/credentials", undefined, signedIn.body.idToken);
        const anonymous = await call("GET", "/auth/credentials");
        const unmounted = await call("POST", "/registration/start", { username: "bob", displayName: "Bob" });
        console.log(JSON.stringify({ home: [home.status, await home.text()], started: started.status, finished, signedIn: signedIn.status, passkeys, anonymous: anonymous.status, unmounted: unmounted.status }));
      `,
    });
    const result = project.runTs<{
      home: [number, string];
      started: number;
      finished: { status: number; cors: string | null; body: { name: string } };
      signedIn: number;
      passkeys: { status: number; body: { credentials: { name: string; authenticator: { name: string } }[] } };
      anonymous: number;
      unmounted: number;
    }>("run-hono-app.ts");
    expect(result.home).toEqual([200, "my app"]);
    expect(result.started).toBe(200);
    expect(APPLE_NAME).toEqual(expect.any(String));
    expect(result.finished).toMatchObject({ status: 200, cors: HONO_ORIGIN, body: { name: APPLE_NAME } });
    expect(result.signedIn).toBe(200);
    // Named from the authenticator data file shipped in the package, read by keyport/node's catalog.
    expect(result.passkeys).toMatchObject({ status: 200, body: { credentials: [{ name: APPLE_NAME, authenticator: { name: APPLE_NAME } }] } });
    expect(result.anonymous).toBe(401);
    expect(result.unmounted).toBe(404);
  });

  it("serves the API on Node with keyport/node's startServer, without the demo page, and Cognito's API at POST /", () => {
    project.write({
      "run-server.mjs": `
        import { startServer } from "keyport/node";
        const server = await startServer({ PORT: "0", ALLOWED_ORIGINS: "http://localhost:3000" }, { hostname: "127.0.0.1", log: () => {} });
        const health = await fetch("http://127.0.0.1:" + server.port + "/healthz");
        const page = await fetch("http://127.0.0.1:" + server.port + "/");
        const cognito = await fetch("http://127.0.0.1:" + server.port + "/", {
          method: "POST",
          headers: { "Content-Type": "application/x-amz-json-1.1", "X-Amz-Target": "AWSCognitoIdentityProviderService.InitiateAuth" },
          body: JSON.stringify({ ClientId: "not-this-pool", AuthFlow: "USER_SRP_AUTH", AuthParameters: { USERNAME: "ada", SRP_A: "1234" } }),
        });
        await server.close();
        console.log(JSON.stringify({ setup: server.setup, health: health.status, page: page.status, allow: page.headers.get("allow"), cognito: [cognito.status, (await cognito.json()).__type] }));
      `,
    });
    const { stdout } = project.run("node", ["run-server.mjs"]);
    expect(JSON.parse(stdout.trim().split("\n").at(-1) ?? "")).toEqual({
      setup: "storage: memory, identity provider: local",
      health: 200,
      // No demo page: `/` is the local Cognito API's, which only POST reaches.
      page: 405,
      allow: "POST, OPTIONS",
      cognito: [400, "ResourceNotFoundException"],
    });
  });

  it("answers Cognito's first DefineAuthChallenge with a custom challenge through keyport/aws's handler factory", () => {
    project.write({
      "run-define.mjs": `
        import { lambdaDefineAuthChallengeHandler } from "keyport/aws";
        const handler = lambdaDefineAuthChallengeHandler({ STORAGE: "dynamodb", AWS_REGION: "eu-west-1", RP_ID: "example.com", ALLOWED_ORIGINS: "https://example.com" });
        const event = {
          version: "1", region: "eu-west-1", userPoolId: "eu-west-1_Example", userName: "alice",
          callerContext: { awsSdkVersion: "aws-sdk-unknown-unknown", clientId: "exampleclientid" },
          triggerSource: "DefineAuthChallenge_Authentication",
          request: { userAttributes: {}, session: [], userNotFound: false },
          response: {},
        };
        console.log(JSON.stringify((await handler(event)).response));
      `,
    });
    const { stdout } = project.run("node", ["run-define.mjs"]);
    expect(JSON.parse(stdout.trim().split("\n").at(-1) ?? "")).toEqual({ challengeName: "CUSTOM_CHALLENGE", issueTokens: false, failAuthentication: false });
  });

  it("synthesises the README's CDK app: four functions from the bundles shipped in the package, each data file beside the function that reads it", () => {
    const outdir = join(project.dir, "cdk.out");
    project.run(join(ROOT, "node_modules/.bin/tsx"), ["cdk-app.ts"], { env: { CDK_OUTDIR: outdir } });
    const template = JSON.parse(readFileSync(join(outdir, "MyPasskeys.template.json"), "utf8")) as {
      Resources: Record<string, { Type: string; Properties: Record<string, unknown>; Metadata?: Record<string, string> }>;
      Outputs: Record<string, unknown>;
    };
    const functions = Object.values(template.Resources).filter((resource) => resource.Type === "AWS::Lambda::Function");
    expect(functions).toHaveLength(4);
    const assets = JSON.parse(readFileSync(join(outdir, "MyPasskeys.assets.json"), "utf8")) as {
      files: Record<string, { displayName?: string; source: { path: string } }>;
    };
    const assetOf = (name: string): string[] => {
      const asset = Object.values(assets.files).find((file) => file.displayName === `Passkeys/${name}Function/Code`);
      if (asset === undefined) throw new Error(`no asset for ${name}`);
      return readdirSync(join(outdir, asset.source.path)).sort();
    };
    expect(assetOf("HttpApi")).toEqual(["authenticators.json", "index.mjs"]);
    expect(assetOf("VerifyAuthChallengeResponse")).toEqual(["authenticators.json", "index.mjs"]);
    expect(assetOf("DefineAuthChallenge")).toEqual(["index.mjs"]);
    expect(assetOf("CreateAuthChallenge")).toContain("index.mjs");
    for (const fn of functions) expect(fn.Properties).toMatchObject({ Handler: "index.handler", Runtime: "nodejs22.x" });
    expect(template.Outputs).toHaveProperty("ApiUrl");
    // No bundling happened: the construct in the package has no sources to bundle.
    expect(existsSync(join(project.dir, "node_modules/keyport/src"))).toBe(false);
  });

  it("makes the checked-in API report of every entry point (npm run api:report writes them anew)", () => {
    // API Extractor takes whatever lies under node_modules for another package's, and would report only
    // re-exports: it reads a copy beside, whose imports (aws-cdk-lib, hono) still resolve in the project.
    const installed = join(project.dir, "keyport-as-installed");
    cpSync(join(project.dir, "node_modules/keyport"), installed, { recursive: true, filter: (path) => !path.includes("/dist/lambda") });
    const reports = apiReports(installed);
    for (const name of Object.keys(REPORTED_ENTRY_POINTS) as ReportName[]) {
      expect(reports.get(name), `api-reports/${name}.api.md is not what the package declares: after an intended change, run npm run api:report and say what changed in CHANGELOG.md`).toBe(checkedInReport(name));
    }
  }, 120_000);

  it("signs up, signs in and lists passkeys through the README's client example, against the README's Hono app, and passes on the signals", () => {
    project.write({
      "run-client.ts": `
        import { SoftwareAuthenticator } from ${JSON.stringify(SOFTWARE_AUTHENTICATOR)};
        import { installFakeBrowser } from ${JSON.stringify(FAKE_BROWSER)};
        import { app } from "./hono-app.js";
        const browser = installFakeBrowser({ authenticator: new SoftwareAuthenticator(), origin: ${JSON.stringify(HONO_ORIGIN)}, fetch: (input, init) => app.request(input, init) });
        const { keyport, signIn, signUp } = await import("./client.js");
        const welcome = await signUp("carol");
        const taken = await signUp("carol");
        const passkeys = await signIn();
        await keyport.signOut();
        console.log(JSON.stringify({ welcome, taken, passkeys, signals: browser.signals.map((signal) => signal.method), signedOut: keyport.getTokens() === null }));
      `,
    });
    const result = project.runTs<{ welcome: string; taken: string; passkeys: string[]; signals: string[]; signedOut: boolean }>("run-client.ts");
    expect(result.welcome).toMatch(/^Welcome! Your passkey is called ".+"\.$/);
    expect(result.taken).toBe("That username is taken.");
    expect(result.passkeys).toHaveLength(1);
    // Sign-up, and each of the two sign-ins, tell the passkey provider which passkeys the account has.
    expect(result.signals.filter((method) => method === "signalAllAcceptedCredentials")).toHaveLength(3);
    expect(result.signedOut).toBe(true);
  });

  it("bundles the README's client example for the browser, with no Node built-in", async () => {
    const found: string[] = [];
    const result = await build({ absWorkingDir: project.dir, entryPoints: [join(project.dir, "client.ts")], bundle: true, write: false, platform: "browser", format: "esm", logLevel: "silent", plugins: [refuseNodeBuiltins(found)] });
    expect(found).toEqual([]);
    expect(result.outputFiles[0]?.text).toContain("/registration/start");
  });
});
