import { mkdtempSync, mkdirSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { bundleAmplifyAuth, fileSystemStaticFiles } from "../../../src/handlers/http/file-system-static-files.js";

const NODE_MODULES = new URL("../../../node_modules/", import.meta.url).pathname;

const decode = (body: Uint8Array | undefined) => new TextDecoder().decode(body);

describe("fileSystemStaticFiles", () => {
  const root = mkdtempSync(join(tmpdir(), "keyport-static-"));
  mkdirSync(join(root, "public"));
  writeFileSync(join(root, "public", "index.html"), "<!doctype html>");
  writeFileSync(join(root, "public", "app.js"), "export {}");
  const files = fileSystemStaticFiles({ publicDir: join(root, "public"), nodeModulesDir: join(root, "node_modules"), clientEntry: join(root, "no-client.ts") });

  it("reads the page's files with their content types", async () => {
    expect(await files.get("/")).toEqual({ body: new TextEncoder().encode("<!doctype html>"), contentType: "text/html; charset=utf-8" });
    expect((await files.get("/app.js"))?.contentType).toBe("text/javascript; charset=utf-8");
  });

  it("answers null for a file that does not exist", async () => {
    expect(await files.get("/app.css")).toBeNull();
    expect(await files.get("/vendor/simplewebauthn-browser.js")).toBeNull();
    expect(await files.get("/vendor/keyport-client.js")).toBeNull();
    expect(await files.get("/vendor/amplify-auth.js")).toBeNull(); // no aws-amplify in that node_modules (an installed keyport)
  });

  it("serves Amplify's Auth category as one ES module with what the page takes from it, nothing left to import", async () => {
    const real = fileSystemStaticFiles({ publicDir: join(root, "public"), nodeModulesDir: NODE_MODULES });
    const bundle = await real.get("/vendor/amplify-auth.js");
    expect(bundle?.contentType).toBe("text/javascript; charset=utf-8");
    const text = decode(bundle?.body);
    const exported = text.match(/export\s*\{([^}]*)\}\s*;?\s*$/)?.[1] ?? "";
    const names = exported.split(",").map((part) => part.trim().split(/\s+as\s+/).at(-1));
    expect(names.sort()).toEqual(["Amplify", "ConsoleLogger", "cognitoUserPoolsTokenProvider", "confirmSignIn", "signIn", "signUp", "startAuthentication"]);
    expect(text).not.toMatch(/\bfrom\s*["']|\bimport\s*\(/);
    expect((await real.get("/vendor/amplify-auth.js"))?.body).toBe(bundle?.body); // built once, then cached
  }, 60_000);

  it("bundles Amplify from node_modules alone, and knows its inputs (for the rebuild check)", async () => {
    const bundle = await bundleAmplifyAuth({ nodeModulesDir: NODE_MODULES });
    expect(bundle?.inputs.length).toBeGreaterThan(0);
    expect(bundle!.inputs.filter((input) => !input.startsWith(NODE_MODULES))).toEqual([]);
  }, 60_000);

  it("writes the page's password settings into its meta tags as it serves it, when given", async () => {
    const page = join(root, "with-settings");
    mkdirSync(page);
    writeFileSync(
      join(page, "index.html"),
      ["keyport-user-pool-id", "keyport-user-pool-client-id", "keyport-user-pool-endpoint", "keyport-second-factor"].map((name) => `<meta name="${name}" content="">`).join("\n"),
    );
    const settings = { userPool: { userPoolId: "us-east-1_keyportlocal", userPoolClientId: "keyportlocalclient", endpoint: "/" }, secondFactor: "if-enrolled" } as const;
    const served = decode((await fileSystemStaticFiles({ publicDir: page, nodeModulesDir: join(root, "node_modules"), page: settings }).get("/"))?.body);
    expect(served).toBe(
      [
        '<meta name="keyport-user-pool-id" content="us-east-1_keyportlocal">',
        '<meta name="keyport-user-pool-client-id" content="keyportlocalclient">',
        '<meta name="keyport-user-pool-endpoint" content="/">',
        '<meta name="keyport-second-factor" content="if-enrolled">',
      ].join("\n"),
    );
    // Without settings, the page as it is on disk.
    expect(decode((await fileSystemStaticFiles({ publicDir: page, nodeModulesDir: join(root, "node_modules") }).get("/"))?.body)).toContain('content=""');
  });

  it("finds the @simplewebauthn/browser bundle in node_modules", async () => {
    const real = fileSystemStaticFiles({ publicDir: join(root, "public"), nodeModulesDir: NODE_MODULES });
    const bundle = await real.get("/vendor/simplewebauthn-browser.js");
    expect(bundle?.contentType).toBe("text/javascript; charset=utf-8");
    const text = new TextDecoder().decode(bundle!.body);
    expect(text).toContain("SimpleWebAuthnBrowser");
    expect(text).toContain("sendSignal");
  });

  it("serves the browser client bundled from src/client as one ES module", async () => {
    const real = fileSystemStaticFiles({ publicDir: join(root, "public"), nodeModulesDir: join(root, "node_modules") });
    const bundle = await real.get("/vendor/keyport-client.js");
    expect(bundle?.contentType).toBe("text/javascript; charset=utf-8");
    const text = decode(bundle?.body);
    expect(text).toMatch(/export\s*\{[^}]*KeyportClient/);
    expect(text).not.toMatch(/from\s*["']/); // nothing left to import: @simplewebauthn/browser is inside
  });

  it("rebuilds the client when one of its sources changed, and only then", async () => {
    const dir = mkdtempSync(join(tmpdir(), "keyport-client-src-"));
    const entry = join(dir, "index.ts");
    const helper = join(dir, "helper.ts");
    writeFileSync(entry, 'export { greeting } from "./helper.js";\n');
    writeFileSync(helper, 'export const greeting: string = "hello";\n');
    const own = fileSystemStaticFiles({ publicDir: join(root, "public"), nodeModulesDir: join(root, "node_modules"), clientEntry: entry });

    const first = await own.get("/vendor/keyport-client.js");
    expect(decode(first?.body)).toContain('"hello"');
    expect((await own.get("/vendor/keyport-client.js"))?.body).toBe(first?.body); // the same bytes, not rebuilt

    writeFileSync(helper, 'export const greeting: string = "changed";\n');
    const later = new Date(Date.now() + 5_000);
    utimesSync(helper, later, later); // a clear mtime step, whatever the file system's resolution
    expect(decode((await own.get("/vendor/keyport-client.js"))?.body)).toContain('"changed"');
  });
});
