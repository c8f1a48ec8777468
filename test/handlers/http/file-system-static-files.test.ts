import { mkdtempSync, mkdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { fileSystemStaticFiles } from "../../../src/handlers/http/file-system-static-files.js";

describe("fileSystemStaticFiles", () => {
  const root = mkdtempSync(join(tmpdir(), "keyport-static-"));
  mkdirSync(join(root, "public"));
  writeFileSync(join(root, "public", "index.html"), "<!doctype html>");
  writeFileSync(join(root, "public", "app.js"), "export {}");
  const files = fileSystemStaticFiles({ publicDir: join(root, "public"), nodeModulesDir: join(root, "node_modules") });

  it("reads the page's files with their content types", async () => {
    expect(await files.get("/")).toEqual({ body: new TextEncoder().encode("<!doctype html>"), contentType: "text/html; charset=utf-8" });
    expect((await files.get("/app.js"))?.contentType).toBe("text/javascript; charset=utf-8");
  });

  it("answers null for a file that does not exist", async () => {
    expect(await files.get("/app.css")).toBeNull();
    expect(await files.get("/vendor/simplewebauthn-browser.js")).toBeNull();
  });

  it("finds the @simplewebauthn/browser bundle in node_modules", async () => {
    const real = fileSystemStaticFiles({ publicDir: join(root, "public"), nodeModulesDir: new URL("../../../node_modules/", import.meta.url).pathname });
    const bundle = await real.get("/vendor/simplewebauthn-browser.js");
    expect(bundle?.contentType).toBe("text/javascript; charset=utf-8");
    const text = new TextDecoder().decode(bundle!.body);
    expect(text).toContain("SimpleWebAuthnBrowser");
    // The page takes sendSignal (new in @simplewebauthn/browser 14) from the bundle's global.
    expect(text).toContain("sendSignal");
  });
});
