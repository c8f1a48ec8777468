/** The demo page's files from the local file system (see static-files.ts). */
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import type { StaticFiles, StaticPath } from "./static-files.js";

const HTML = "text/html; charset=utf-8";
const JS = "text/javascript; charset=utf-8";
const CSS = "text/css; charset=utf-8";

/**
 * Files from `publicDir` (`index.html`, `app.js`, `app.css`) and the @simplewebauthn/browser bundle
 * from `nodeModulesDir`. Read on every request, so that edits show without a restart.
 */
export function fileSystemStaticFiles(options: { readonly publicDir: string; readonly nodeModulesDir: string }): StaticFiles {
  const files: Record<StaticPath, { file: string; contentType: string }> = {
    "/": { file: join(options.publicDir, "index.html"), contentType: HTML },
    "/app.js": { file: join(options.publicDir, "app.js"), contentType: JS },
    "/app.css": { file: join(options.publicDir, "app.css"), contentType: CSS },
    "/vendor/simplewebauthn-browser.js": {
      file: join(options.nodeModulesDir, "@simplewebauthn", "browser", "dist", "bundle", "index.umd.min.js"),
      contentType: JS,
    },
  };
  return {
    async get(path) {
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
