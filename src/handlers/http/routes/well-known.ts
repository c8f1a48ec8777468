/**
 * What is not the API: the health check, the JWKS of a token issuer keyport runs itself, and the demo
 * page's files (the local server only). Each is registered only when its dependency is given.
 */
import { fail, type App, type RouteTable } from "../context.js";
import type { AppDependencies } from "../dependencies.js";
import { PAGE_CSP } from "../headers.js";
import { STATIC_PATHS } from "../static-files.js";

const JWKS_CACHE_CONTROL = "public, max-age=300";
/** Revalidated on every load, so that edits to the page show at once. */
const STATIC_CACHE_CONTROL = "no-cache";

export function wellKnownRoutes(app: App, routes: RouteTable, deps: Pick<AppDependencies, "jwks" | "staticFiles">): void {
  app.get(routes.add("/healthz", "GET", "HEAD"), (c) => c.json({ status: "ok" }, 200));

  const jwks = deps.jwks;
  if (jwks !== undefined) {
    app.get(routes.add("/.well-known/jwks.json", "GET", "HEAD"), async (c) => {
      c.header("Cache-Control", JWKS_CACHE_CONTROL);
      return c.json({ keys: (await jwks()).keys }, 200);
    });
  }

  const staticFiles = deps.staticFiles;
  if (staticFiles !== undefined) {
    for (const path of STATIC_PATHS) {
      app.get(routes.add(path, "GET", "HEAD"), async (c) => {
        const asset = await staticFiles.get(path);
        if (asset === null) return fail(c, "not_found");
        c.header("Cache-Control", STATIC_CACHE_CONTROL);
        c.header("Content-Security-Policy", PAGE_CSP);
        c.header("Content-Type", asset.contentType);
        return c.body(asset.body as Uint8Array<ArrayBuffer>, 200);
      });
    }
  }
}
