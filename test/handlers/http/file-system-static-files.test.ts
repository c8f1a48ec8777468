import { mkdtempSync, mkdirSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { fileSystemStaticFiles } from "../../../src/handlers/http/file-system-static-files.js";

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
  });

  it("finds the @simplewebauthn/browser bundle in node_modules", async () => {
    const real = fileSystemStaticFiles({ publicDir: join(root, "public"), nodeModulesDir: new URL("../../../node_modules/", import.meta.url).pathname });
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
