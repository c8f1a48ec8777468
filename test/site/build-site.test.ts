/**
 * `npm run build:site` without a browser: which files the folder holds, what the page is told about
 * its API and its policy, and what the command refuses. test/e2e/static-site.e2e.test.ts signs in
 * through the built folder in Chromium.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fileSystemStaticFiles } from "../../src/handlers/http/file-system-static-files.js";
import { PAGE_CSP } from "../../src/handlers/http/headers.js";
import { STATIC_PATHS, type StaticFiles } from "../../src/handlers/http/static-files.js";
import { SiteBuildError, buildSite, normaliseApiUrl, siteCsp, siteFileOf, siteIndexHtml, sitePageSettings, type BuiltSite } from "../../scripts/build-site.js";

const ROOT = join(import.meta.dirname, "../..");
const API = "https://abc123.execute-api.eu-west-1.amazonaws.com";
const served = fileSystemStaticFiles({ publicDir: join(ROOT, "public"), nodeModulesDir: join(ROOT, "node_modules") });

const dirs: string[] = [];
function freshDir(): string {
  const dir = mkdtempSync(join(tmpdir(), "keyport-site-"));
  dirs.push(dir);
  return dir;
}

/** Every file in a folder, relative to it, sorted. */
function listing(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => relative(dir, join(entry.parentPath, entry.name)))
    .sort();
}

let site: BuiltSite;
let html: string;

beforeAll(async () => {
  site = await buildSite({ outDir: join(freshDir(), "site"), apiUrl: `${API}/` });
  html = readFileSync(join(site.outDir, "index.html"), "utf8");
});

afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

describe("the built site", () => {
  it("holds every file the local server serves, and nothing else", () => {
    expect(listing(site.outDir)).toEqual(STATIC_PATHS.map(siteFileOf).sort());
    expect(listing(site.outDir)).toEqual(expect.arrayContaining(["index.html", "app.js", "app.css", "vendor/simplewebauthn-browser.js"]));
  });

  it("holds each file but the page byte for byte as the local server serves it, the vendored @simplewebauthn/browser bundle included", async () => {
    for (const path of STATIC_PATHS.filter((p) => p !== "/")) {
      const asset = await served.get(path);
      expect(asset, path).not.toBeNull();
      expect(new Uint8Array(readFileSync(join(site.outDir, siteFileOf(path)))), path).toEqual(asset!.body);
    }
    expect(readFileSync(join(site.outDir, "vendor/simplewebauthn-browser.js"), "utf8")).toContain("SimpleWebAuthnBrowser");
  });

  it("tells the page the API's base URL, without a trailing slash, in its keyport-api meta tag", () => {
    expect(html).toContain(`<meta name="keyport-api" content="${API}">`);
    expect(html.match(/name="keyport-api"/g)).toHaveLength(1);
  });

  it("gives the page the local server's policy as a meta tag before anything it governs, connecting only to its origin and the API's", () => {
    const policy = html.match(/<meta http-equiv="Content-Security-Policy" content="([^"]*)">/)?.[1];
    expect(policy).toBe(PAGE_CSP.replace("connect-src 'self' http: https:", `connect-src 'self' ${API}`).replace(/; frame-ancestors 'none'$/, ""));
    const at = html.indexOf("Content-Security-Policy");
    for (const governed of ["<script", "<link", "<style"]) expect(html.indexOf(governed) === -1 || html.indexOf(governed) > at, governed).toBe(true);
  });

  it("refers to its files by relative paths only, so that it works in any folder of a host (e.g. https://host/demo/)", () => {
    const references = [...html.matchAll(/\s(?:src|href)="([^"]*)"/g)].map((m) => m[1] ?? "");
    expect(references.length).toBeGreaterThan(0);
    for (const reference of references) expect(reference, reference).not.toMatch(/^\/|^[a-z]+:\/\//i);
    for (const file of listing(site.outDir).filter((f) => f.endsWith(".js"))) {
      const code = readFileSync(join(site.outDir, file), "utf8");
      expect(code, file).not.toMatch(/\bfrom\s*["']\/|\bimport\s*\(\s*["']\/|\bimport\s*["']\//);
    }
  });

  it("without an API URL, leaves the meta tag empty (the page's own origin) and connects only there", async () => {
    const sameOrigin = await buildSite({ outDir: join(freshDir(), "site") });
    const page = readFileSync(join(sameOrigin.outDir, "index.html"), "utf8");
    expect(sameOrigin.apiUrl).toBeNull();
    expect(page).toContain('<meta name="keyport-api" content="">');
    expect(page).toContain("connect-src 'self';");
  });
});

describe("password accounts in the built page", () => {
  const pool = { userPoolId: "eu-west-1_AbC123", userPoolClientId: "abcdefghij0123456789klmnop", endpoint: null };
  const metaContent = (page: string, name: string) => page.match(new RegExp(`<meta name="${name}" content="([^"]*)">`))?.[1];

  it("are left out without a user pool: the page's tags stay empty, and it offers passkeys only", () => {
    expect(site.page).toBeNull();
    expect(metaContent(html, "keyport-user-pool-id")).toBe("");
    expect(metaContent(html, "keyport-second-factor")).toBe("");
  });

  it("name the stack's pool and policy, and let the page connect to Cognito's regional endpoint", async () => {
    const built = await buildSite({ outDir: join(freshDir(), "site"), apiUrl: API, userPool: pool, secondFactor: "if-enrolled" });
    const page = readFileSync(join(built.outDir, "index.html"), "utf8");
    expect(built.page).toEqual({ userPool: pool, secondFactor: "if-enrolled" });
    expect(metaContent(page, "keyport-user-pool-id")).toBe(pool.userPoolId);
    expect(metaContent(page, "keyport-user-pool-client-id")).toBe(pool.userPoolClientId);
    expect(metaContent(page, "keyport-user-pool-endpoint")).toBe("");
    expect(metaContent(page, "keyport-second-factor")).toBe("if-enrolled");
    expect(page).toContain(`connect-src 'self' ${API} https://cognito-idp.eu-west-1.amazonaws.com;`);
  });

  it("connect to a pool's own endpoint, resolved against the API's URL when it is a path", () => {
    expect(siteCsp("http://localhost:3000", { ...pool, endpoint: "/" })).toContain("connect-src 'self' http://localhost:3000;");
    expect(siteCsp(null, { ...pool, endpoint: "/" })).toContain("connect-src 'self';");
    expect(siteCsp(API, { ...pool, endpoint: "https://idp.shop.example" })).toContain(`connect-src 'self' ${API} https://idp.shop.example;`);
  });

  it("are refused when a setting cannot work, naming the flag", () => {
    expect(() => sitePageSettings(null, "required")).toThrow(/--second-factor required applies to password sign-in/);
    expect(() => sitePageSettings(pool, "sometimes" as never)).toThrow(/--second-factor "sometimes" must be one of off, if-enrolled, required/);
    expect(() => sitePageSettings({ ...pool, userPoolId: "AbC123" })).toThrow(/bad user pool setting: user pool id "AbC123" is not <region>_<id>/);
    expect(sitePageSettings(null)).toBeNull();
  });
});

describe("the API URL", () => {
  it("is a base URL: https, or http on loopback; a stage path is kept", () => {
    expect(normaliseApiUrl("https://api.shop.example/prod/")).toBe("https://api.shop.example/prod");
    expect(normaliseApiUrl("http://localhost:3000")).toBe("http://localhost:3000");
    expect(() => normaliseApiUrl("http://api.shop.example")).toThrow(SiteBuildError);
    expect(() => normaliseApiUrl("https://api.shop.example/?stage=prod")).toThrow(/without query/);
    expect(() => normaliseApiUrl("abc123.execute-api.eu-west-1.amazonaws.com")).toThrow(/not a URL/);
  });

  it("is written into the page escaped, and its origin alone into the policy", () => {
    const page = siteIndexHtml('<meta charset="utf-8">\n<meta name="keyport-api" content="">', "https://api.shop.example/a&b");
    expect(page).toContain('content="https://api.shop.example/a&amp;b"');
    expect(siteCsp("https://api.shop.example/prod")).toContain("connect-src 'self' https://api.shop.example;");
  });
});

describe("the build refuses", () => {
  it("a page without the meta tag it must fill in", () => {
    expect(() => siteIndexHtml('<meta charset="utf-8"><title>x</title>', null)).toThrow(/keyport-api/);
  });

  it("to build with a file missing, leaving an earlier build as it was", async () => {
    const outDir = join(freshDir(), "site");
    await buildSite({ outDir });
    const before = listing(outDir);
    const lacking: StaticFiles = { get: async (path) => (path === "/app.css" ? null : served.get(path)) };
    await expect(buildSite({ outDir, files: lacking })).rejects.toThrow(/\/app\.css is missing/);
    expect(listing(outDir)).toEqual(before);
  });

  it("to empty a folder that holds something other than an earlier build, or the project itself", async () => {
    const outDir = freshDir();
    writeFileSync(join(outDir, "notes.txt"), "mine");
    await expect(buildSite({ outDir })).rejects.toThrow(/not empty/);
    expect(existsSync(join(outDir, "notes.txt"))).toBe(true);
    await expect(buildSite({ outDir: ROOT })).rejects.toThrow(/holds the project/);
    await expect(buildSite({ outDir: join(ROOT, "..") })).rejects.toThrow(/holds the project/);
  });
});

describe("npm run build:site (scripts/build-site.ts)", () => {
  const run = (...args: string[]) =>
    spawnSync(join(ROOT, "node_modules/.bin/tsx"), ["scripts/build-site.ts", ...args], { cwd: ROOT, encoding: "utf8" });

  it("builds the folder it is given and lists what it wrote", () => {
    const outDir = join(freshDir(), "site");
    const built = run("--api", API, "--out", outDir);
    expect(built.status, built.stderr).toBe(0);
    expect(built.stdout).toContain(`build:site: ${outDir}, calling ${API}`);
    for (const path of STATIC_PATHS) expect(built.stdout).toContain(`  ${siteFileOf(path)} `);
    expect(listing(outDir)).toEqual(STATIC_PATHS.map(siteFileOf).sort());
  }, 60_000);

  it("takes the user pool and the policy as flags, and says what the page offers", () => {
    const outDir = join(freshDir(), "site");
    const built = run("--api", API, "--out", outDir, "--user-pool-id", "eu-west-1_AbC123", "--user-pool-client-id", "abc123", "--second-factor", "required");
    expect(built.status, built.stderr).toBe(0);
    expect(built.stdout).toContain("  password accounts in user pool eu-west-1_AbC123 (app client abc123, Cognito's regional endpoint), second factor required");
    const passkeysOnly = run("--out", join(freshDir(), "site"));
    expect(passkeysOnly.stdout).toContain("  passkeys only (no --user-pool-id): the page offers no password accounts");
    const half = run("--out", join(freshDir(), "site"), "--user-pool-id", "eu-west-1_AbC123");
    expect(half.status).toBe(1);
    expect(half.stderr.trim()).toBe("build:site: give both --user-pool-id and --user-pool-client-id (the stack's UserPoolId and UserPoolClientId outputs), or neither");
  }, 60_000);

  it("shows a bad API URL as one line, writes nothing and fails", () => {
    const outDir = join(freshDir(), "site");
    const refused = run("--api", "http://api.shop.example", "--out", outDir);
    expect(refused.status).toBe(1);
    expect(refused.stderr.trim().split("\n")).toEqual(['build:site: --api "http://api.shop.example" must use https (http only for localhost)']);
    expect(existsSync(outDir)).toBe(false);
  }, 60_000);
});
