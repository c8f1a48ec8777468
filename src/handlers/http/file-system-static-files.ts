/** The demo page's files from the local file system (see static-files.ts). */
import { existsSync } from "node:fs";
import { readFile, stat } from "node:fs/promises";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import type { StaticFiles, StaticPath } from "./static-files.js";

const HTML = "text/html; charset=utf-8";
const JS = "text/javascript; charset=utf-8";
const CSS = "text/css; charset=utf-8";

export interface FileSystemStaticFilesOptions {
  readonly publicDir: string;
  readonly nodeModulesDir: string;
  /** The browser client's entry module (default: `src/client/index.ts` of this checkout). */
  readonly clientEntry?: string;
}

/**
 * Files from `publicDir` (`index.html`, `app.js`, `app.css`), the @simplewebauthn/browser bundle from
 * `nodeModulesDir`, and the browser client bundled from its source (`bundleBrowserClient`). Read on
 * every request, and the client rebuilt whenever one of its sources changed, so that edits show
 * without a restart (ADR 0022).
 */
export function fileSystemStaticFiles(options: FileSystemStaticFilesOptions): StaticFiles {
  const files: Record<Exclude<StaticPath, "/vendor/keyport-client.js">, { file: string; contentType: string }> = {
    "/": { file: join(options.publicDir, "index.html"), contentType: HTML },
    "/app.js": { file: join(options.publicDir, "app.js"), contentType: JS },
    "/app.css": { file: join(options.publicDir, "app.css"), contentType: CSS },
    "/vendor/simplewebauthn-browser.js": {
      file: join(options.nodeModulesDir, "@simplewebauthn", "browser", "dist", "bundle", "index.umd.min.js"),
      contentType: JS,
    },
  };
  const client = cachedClientBundle(options.clientEntry ?? defaultClientEntry());
  return {
    async get(path) {
      if (path === "/vendor/keyport-client.js") {
        const body = await client();
        return body === null ? null : { body, contentType: JS };
      }
      const entry = files[path];
      try {
        return { body: new Uint8Array(await readFile(entry.file)), contentType: entry.contentType };
      } catch (fault) {
        if ((fault as NodeJS.ErrnoException).code === "ENOENT") return null;
        throw fault;
      }
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
  const result = await build({
    entryPoints: [entry],
    absWorkingDir: workingDir,
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
  });
  const [output] = result.outputFiles;
  if (output === undefined) throw new Error("esbuild produced no bundle of the browser client");
  return { code: output.contents, inputs: Object.keys(result.metafile.inputs).map((input) => resolve(workingDir, input)) };
}

/**
 * The bundle of `entry`, made on first request and again only when one of its inputs changed since
 * (compared by modification time). Minified, as a site hosting the page should serve it: the static
 * site (scripts/build-site.ts) holds exactly what this serves. Concurrent requests share one build.
 */
function cachedClientBundle(entry: string): () => Promise<Uint8Array | null> {
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
    const bundle = await bundleBrowserClient({ entry });
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
