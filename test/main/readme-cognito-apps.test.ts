/**
 * The README's "Existing Cognito apps" module (the block marked ```` ```ts cognito file=cognito-app.ts ````),
 * for Amplify v6, run in Node against `npm start`'s server (startServer on a free port, with
 * SECOND_FACTOR=if-enrolled): its two `http://localhost:3000` URLs are pointed at that port, it is
 * type-checked against the installed packages, bundled with esbuild and imported, and a software
 * authenticator stands in for the browser's startRegistration and startAuthentication. A broken copy (the
 * password-only flow, which this policy's app client does not allow) must fail, so the test is seen to be
 * able to fail. The package test ignores the block: its marker is ```` ```ts file=… ```` alone.
 */
import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { promisify } from "node:util";
import { build } from "esbuild";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startServer, type RunningServer } from "../../src/composition/local-server.js";
import { silentLog } from "../../src/handlers/http/log.js";
import type { AuthenticationResponseJSON, PublicKeyCredentialCreationOptionsJSON, PublicKeyCredentialRequestOptionsJSON, RegistrationResponseJSON } from "../../src/domain/encoding/webauthn-json.js";
import { ORIGIN, TEST_ENV } from "../handlers/http/harness.js";
import { readmeExamples } from "../package/support/readme-examples.js";
import { SoftwareAuthenticator } from "../support/software-authenticator.js";

const ROOT = new URL("../../", import.meta.url).pathname;
const README = readFileSync(join(ROOT, "README.md"), "utf8");
const BLOCK = /^```ts cognito file=(cognito-app\.ts)\n([\s\S]*?)^```$/gm;
/** What the module calls `npm start`'s address, which the test replaces with its server's. */
const LOCAL = "http://localhost:3000";
const PASSWORD = "Correct-horse-9";

type GetPasskey = (options: PublicKeyCredentialRequestOptionsJSON) => Promise<AuthenticationResponseJSON>;
type CreatePasskey = (options: PublicKeyCredentialCreationOptionsJSON) => Promise<RegistrationResponseJSON>;

/** The README's module as the test imports it, with Amplify's signOut of the same (bundled) Amplify. */
interface CognitoApp {
  signUpWithPassword(username: string, password: string): Promise<void>;
  signInWithPassword(username: string, password: string, getPasskey: GetPasskey): Promise<string>;
  signInWithPasskey(username: string, getPasskey: GetPasskey): Promise<void>;
  addPasskey(createPasskey: CreatePasskey): Promise<string>;
  signOut(): Promise<void>;
}

function readmeModule(): string {
  const blocks = [...README.matchAll(BLOCK)];
  expect(blocks, "the README's cognito-app.ts block").toHaveLength(1);
  return blocks[0]![2]!;
}

const dirs: string[] = [];

/** Type-checks `code` as cognito-app.ts against the project's packages (a folder under its node_modules, so that they resolve). */
async function typeCheck(code: string): Promise<void> {
  const dir = mkdtempSync(join(ROOT, "node_modules", ".keyport-readme-"));
  dirs.push(dir);
  writeFileSync(join(dir, "package.json"), JSON.stringify({ type: "module" }));
  writeFileSync(join(dir, "cognito-app.ts"), code);
  const options = ["--noEmit", "--strict", "--target", "es2022", "--module", "nodenext", "--moduleResolution", "nodenext", "--lib", "es2022,dom", "--types", "node", "--skipLibCheck"];
  const tsc = join(ROOT, "node_modules/typescript/bin/tsc");
  await promisify(execFile)(process.execPath, [tsc, ...options, join(dir, "cognito-app.ts")], { cwd: dir }).catch((error: { stdout?: string }) => {
    throw new Error(`cognito-app.ts does not type-check:\n${error.stdout ?? String(error)}`);
  });
}

/**
 * Bundles `code` (Amplify inside, so that each import is a fresh Amplify) and imports it. Amplify's
 * logger is set to errors first: it warns at configure time that the endpoint is a custom one, which
 * here is the point.
 */
async function load(code: string): Promise<CognitoApp> {
  const dir = mkdtempSync(join(tmpdir(), "keyport-readme-cognito-"));
  dirs.push(dir);
  writeFileSync(join(dir, "cognito-app.ts"), code);
  writeFileSync(join(dir, "quiet.ts"), 'import { ConsoleLogger } from "aws-amplify/utils";\nConsoleLogger.LOG_LEVEL = "ERROR";\n');
  writeFileSync(join(dir, "entry.ts"), 'import "./quiet.ts";\nexport * from "./cognito-app.ts";\nexport { signOut } from "aws-amplify/auth";\n');
  await build({
    entryPoints: [join(dir, "entry.ts")],
    outfile: join(dir, "cognito-app.mjs"),
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node20",
    nodePaths: [join(ROOT, "node_modules")],
    logLevel: "silent",
  });
  const app = (await import(pathToFileURL(join(dir, "cognito-app.mjs")).href)) as CognitoApp;
  return app;
}

describe("the README's module for existing Cognito apps (Amplify v6)", () => {
  let server: RunningServer;
  let code: string;

  beforeAll(async () => {
    server = await startServer({ ...TEST_ENV, PORT: "0", SECOND_FACTOR: "if-enrolled" }, { log: silentLog });
    code = readmeModule();
  });

  afterAll(async () => {
    await server?.close();
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  /** The module pointed at the test's server, as an app points it at `npm start`. */
  const pointed = (text: string) => text.replaceAll(LOCAL, server.url);

  it("names npm start's pool, app client and address, which the local server answers with", () => {
    expect(code).toContain('userPoolId: "us-east-1_keyportlocal"');
    expect(code).toContain('userPoolClientId: "keyportlocalclient"');
    expect(code.split(LOCAL)).toHaveLength(3); // the user pool's endpoint and keyport's API
    expect(server.cognitoApi).toEqual({ userPoolId: "us-east-1_keyportlocal", clientId: "keyportlocalclient" });
  });

  it("type-checks against Amplify's and @simplewebauthn/browser's types", async () => {
    await typeCheck(code);
  }, 60_000);

  it("signs up, signs in with the password alone, adds a passkey, then signs in with password and passkey, and with the passkey alone", async () => {
    const app = await load(pointed(code));
    const laptop = new SoftwareAuthenticator();
    const asked: string[] = [];
    const getPasskey = (authenticator: SoftwareAuthenticator, signWithOtherKey = false): GetPasskey => async (options) => {
      asked.push(options.rpId ?? "");
      return authenticator.getAssertion(options, { origin: ORIGIN, tamper: signWithOtherKey ? { signWithOtherKey } : undefined });
    };
    const createPasskey: CreatePasskey = async (options) => laptop.createCredential(options, { origin: ORIGIN });
    const username = `readme-${Date.now().toString(36)}`;

    await app.signUpWithPassword(username, PASSWORD);
    expect(await app.signInWithPassword(username, PASSWORD, getPasskey(laptop))).toBe("password"); // no passkey yet: if-enrolled
    expect(asked).toEqual([]);
    expect(await app.addPasskey(createPasskey)).toEqual(expect.any(String));
    await app.signOut();

    expect(await app.signInWithPassword(username, PASSWORD, getPasskey(laptop))).toBe("password and passkey");
    expect(asked).toEqual(["localhost"]);
    await app.signOut();

    await app.signInWithPasskey(username, getPasskey(laptop));
    expect(asked).toHaveLength(2);
    await app.signOut();

    // An answer that is not the passkey's (signed with another key) is refused.
    await expect(app.signInWithPassword(username, PASSWORD, getPasskey(laptop, true))).rejects.toMatchObject({ name: "NotAuthorizedException" });
  }, 60_000);

  it("fails when broken: the password-only flow, which the app client does not allow under if-enrolled", async () => {
    const broken = pointed(code).replace('authFlowType: "CUSTOM_WITH_SRP"', 'authFlowType: "USER_SRP_AUTH"');
    expect(broken).not.toBe(pointed(code));
    const app = await load(broken);
    const username = `readme-broken-${Date.now().toString(36)}`;
    await app.signUpWithPassword(username, PASSWORD);
    await expect(app.signInWithPassword(username, PASSWORD, async () => Promise.reject(new Error("no passkey asked")))).rejects.toMatchObject({
      name: "InvalidParameterException",
    });
  }, 60_000);

  it("is not one of the package test's examples", () => {
    expect([...readmeExamples(README).keys()]).not.toContain("cognito-app.ts");
  });
});
