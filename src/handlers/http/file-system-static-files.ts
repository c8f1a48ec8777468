/** The demo page's files from the local file system (see static-files.ts). */
import { existsSync } from "node:fs";
import { readFile, stat } from "node:fs/promises";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { withDemoPageSettings, type DemoPageSettings } from "./demo-page-settings.js";
import type { StaticFiles, StaticPath } from "./static-files.js";

const HTML = "text/html; charset=utf-8";
const JS = "text/javascript; charset=utf-8";
const CSS = "text/css; charset=utf-8";

export interface FileSystemStaticFilesOptions {
  readonly publicDir: string;
  readonly nodeModulesDir: string;
  /** The browser client's entry module (default: `src/client/index.ts` of this checkout). */
  readonly clientEntry?: string;
  /**
   * What the page is told of the user pool for passwords and of the second-factor policy, written into
   * index.html's meta tags as it is served (demo-page-settings.ts). Absent: the page as it is on disk,
   * whose tags are empty (passkeys only).
   */
  readonly page?: DemoPageSettings;
}

/** The paths whose bodies are bundles esbuild makes on request. */
type BundledPath = "/vendor/keyport-client.js" | "/vendor/amplify-auth.js";

/**
 * Files from `publicDir` (`index.html`, `app.js`, `app.css`), the @simplewebauthn/browser bundle from
 * `nodeModulesDir`, the browser client bundled from its source (`bundleBrowserClient`) and Amplify's
 * Auth category bundled from `nodeModulesDir` (`bundleAmplifyAuth`). Read on every request, and each
 * bundle rebuilt whenever one of its sources changed, so that edits show without a restart (ADR 0022).
 */
export function fileSystemStaticFiles(options: FileSystemStaticFilesOptions): StaticFiles {
  const files: Record<Exclude<StaticPath, BundledPath>, { file: string; contentType: string }> = {
    "/": { file: join(options.publicDir, "index.html"), contentType: HTML },
    "/app.js": { file: join(options.publicDir, "app.js"), contentType: JS },
    "/app.css": { file: join(options.publicDir, "app.css"), contentType: CSS },
    "/vendor/simplewebauthn-browser.js": {
      file: join(options.nodeModulesDir, "@simplewebauthn", "browser", "dist", "bundle", "index.umd.min.js"),
      contentType: JS,
    },
  };
  const clientEntry = options.clientEntry ?? defaultClientEntry();
  const bundles: Record<BundledPath, () => Promise<Uint8Array | null>> = {
    "/vendor/keyport-client.js": cachedBundle(() => bundleBrowserClient({ entry: clientEntry })),
    "/vendor/amplify-auth.js": cachedBundle(() => bundleAmplifyAuth({ nodeModulesDir: options.nodeModulesDir })),
  };
  const page = options.page;
  return {
    async get(path) {
      if (path === "/vendor/keyport-client.js" || path === "/vendor/amplify-auth.js") {
        const body = await bundles[path]();
        return body === null ? null : { body, contentType: JS };
      }
      const entry = files[path];
      let body: Uint8Array;
      try {
        body = new Uint8Array(await readFile(entry.file));
      } catch (fault) {
        if ((fault as NodeJS.ErrnoException).code === "ENOENT") return null;
        throw fault;
      }
      if (path === "/" && page !== undefined) body = new TextEncoder().encode(withDemoPageSettings(new TextDecoder().decode(body), page));
      return { body, contentType: entry.contentType };
    },
  };
}

/** src/client/index.ts beside this module's own source; in a compiled copy, the compiled index.js. */
function defaultClientEntry(): string {
  const source = fileURLToPath(new URL("../../client/index.ts", import.meta.url));
  return existsSync(source) ? source : source.replace(/\.ts$/, ".js");
}

export interface BrowserClientBundle {
  readonly code: Uint8Array;
  /** Absolute paths of every source file in it (the client's own and @simplewebauthn/browser's). */
  readonly inputs: readonly string[];
}

/** How every bundle for the page is made: one minified ES module for browsers, nothing left to import. */
const BROWSER_BUNDLE = {
  bundle: true,
  format: "esm",
  // Browser resolution, and no Node built-in can sneak in: esbuild fails on a node:* import here.
  platform: "browser",
  // Class private fields and ?? are native in every browser with passkeys.
  target: "es2022",
  minify: true,
  legalComments: "none",
  write: false,
  metafile: true,
  logLevel: "silent",
} as const;

/**
 * The browser client as one self-contained ES module for browsers (`import { KeyportClient } from
 * "./vendor/keyport-client.js"`), @simplewebauthn/browser included: what the demo page loads, and what
 * a site without a bundler can host. esbuild is a development dependency, so it is loaded only here,
 * when a bundle is asked for: an installed keyport (which serves no demo page) never reaches it.
 * `null` when `entry` does not exist.
 */
export async function bundleBrowserClient(options: { readonly entry?: string } = {}): Promise<BrowserClientBundle | null> {
  const entry = options.entry ?? defaultClientEntry();
  if (!existsSync(entry)) return null;
  const { build } = await import("esbuild");
  const workingDir = dirname(entry);
  const result = await build({ ...BROWSER_BUNDLE, entryPoints: [entry], absWorkingDir: workingDir });
  const [output] = result.outputFiles;
  if (output === undefined) throw new Error("esbuild produced no bundle of the browser client");
  return { code: output.contents, inputs: Object.keys(result.metafile.inputs).map((input) => resolve(workingDir, input)) };
}

/**
 * What the demo page takes from Amplify JS v6 for its password accounts: `Amplify.configure`, the Auth
 * category's `signUp`, `signIn` and `confirmSignIn`, and the token provider whose storage the page sets
 * (its memory) and reads the tokens from, to hand them to keyport's client, and Amplify's logger (whose
 * level the page sets). @simplewebauthn/browser's `startAuthentication` comes along for the passkey
 * answer to keyport's custom challenge.
 */
const AMPLIFY_AUTH_EXPORTS: readonly (readonly [module: string, names: string])[] = [
  ["aws-amplify", "Amplify"],
  ["aws-amplify/utils", "ConsoleLogger"],
  ["aws-amplify/auth", "confirmSignIn, signIn, signUp"],
  ["aws-amplify/auth/cognito", "cognitoUserPoolsTokenProvider"],
  ["@simplewebauthn/browser", "startAuthentication"],
];
// Written out at run time: these development dependencies are no imports of this module's own.
const AMPLIFY_AUTH_ENTRY = AMPLIFY_AUTH_EXPORTS.map(([module, names]) => `export { ${names} } from ${JSON.stringify(module)};`).join("\n");

/**
 * Amplify's Auth category for the demo page as one self-contained ES module (`/vendor/amplify-auth.js`),
 * the page's real Cognito client for passwords (about 160 KB minified; the page loads it only when it
 * has a user pool). aws-amplify is a development dependency, as esbuild is: `null` where it is not
 * installed (an installed keyport), so the path answers 404 there.
 */
export async function bundleAmplifyAuth(options: { readonly nodeModulesDir: string }): Promise<BrowserClientBundle | null> {
  if (!existsSync(join(options.nodeModulesDir, "aws-amplify", "package.json"))) return null;
  const { build } = await import("esbuild");
  const workingDir = dirname(resolve(options.nodeModulesDir));
  const result = await build({
    ...BROWSER_BUNDLE,
    stdin: { contents: AMPLIFY_AUTH_ENTRY, resolveDir: workingDir, sourcefile: "amplify-auth.js", loader: "js" },
    absWorkingDir: workingDir,
  });
  const [output] = result.outputFiles;
  if (output === undefined) throw new Error("esbuild produced no bundle of Amplify's Auth category");
  const inputs = Object.keys(result.metafile.inputs).filter((input) => input !== "<stdin>" && input !== "amplify-auth.js");
  return { code: output.contents, inputs: inputs.map((input) => resolve(workingDir, input)) };
}

/**
 * The bundle `make` makes, made on first request and again only when one of its inputs changed since
 * (compared by modification time). Minified, as a site hosting the page should serve it: the static
 * site (scripts/build-site.ts) holds exactly what this serves. Concurrent requests share one build.
 */
function cachedBundle(make: () => Promise<BrowserClientBundle | null>): () => Promise<Uint8Array | null> {
  let cached: { readonly code: Uint8Array; readonly mtimes: ReadonlyMap<string, number> } | null = null;
  let building: Promise<Uint8Array | null> | null = null;

  const mtimes = async (files: readonly string[]): Promise<Map<string, number> | null> => {
    try {
      return new Map(await Promise.all(files.map(async (file) => [file, (await stat(file)).mtimeMs] as const)));
    } catch {
      return null; // an input is gone: build again
    }
  };

  const fresh = async (): Promise<boolean> => {
    if (cached === null) return false;
    const now = await mtimes([...cached.mtimes.keys()]);
    return now !== null && [...cached.mtimes].every(([file, mtime]) => now.get(file) === mtime);
  };

  const rebuild = async (): Promise<Uint8Array | null> => {
    const bundle = await make();
    if (bundle === null) {
      cached = null;
      return null;
    }
    // Times read after the build: an edit saved during the build itself shows after the next one.
    const times = await mtimes(bundle.inputs);
    cached = times === null ? null : { code: bundle.code, mtimes: times };
    return bundle.code;
  };

  return async () => {
    if (building !== null) return building;
    if (await fresh()) return cached!.code;
    building = rebuild().finally(() => {
      building = null;
    });
    return building;
  };
}
