/**
 * What the demo page is told of password accounts: the user pool and the second-factor policy, written
 * into index.html's meta tags (by the local server as it serves the page, and by `npm run build:site`).
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { demoPageSettingsProblem, userPoolConnectOrigin, withDemoPageSettings, type DemoPageSettings } from "../../../src/handlers/http/demo-page-settings.js";

const PAGE = readFileSync(new URL("../../../public/index.html", import.meta.url), "utf8");
const LOCAL: DemoPageSettings = { userPool: { userPoolId: "us-east-1_keyportlocal", userPoolClientId: "keyportlocalclient", endpoint: "/" }, secondFactor: "if-enrolled" };

const metaContent = (html: string, name: string) => html.match(new RegExp(`<meta name="${name}" content="([^"]*)">`))?.[1];

describe("the demo page's password settings", () => {
  it("ships empty in public/index.html (passkeys only), one tag each", () => {
    for (const name of ["keyport-user-pool-id", "keyport-user-pool-client-id", "keyport-user-pool-endpoint", "keyport-second-factor"]) {
      expect(PAGE.match(new RegExp(`name="${name}"`, "g")), name).toHaveLength(1);
      expect(metaContent(PAGE, name), name).toBe("");
    }
  });

  it("fills each tag of the real page, and changes nothing else", () => {
    const page = withDemoPageSettings(PAGE, LOCAL);
    expect(metaContent(page, "keyport-user-pool-id")).toBe("us-east-1_keyportlocal");
    expect(metaContent(page, "keyport-user-pool-client-id")).toBe("keyportlocalclient");
    expect(metaContent(page, "keyport-user-pool-endpoint")).toBe("/");
    expect(metaContent(page, "keyport-second-factor")).toBe("if-enrolled");
    const unchanged = (html: string) => html.replace(/<meta name="keyport-(user-pool-id|user-pool-client-id|user-pool-endpoint|second-factor)" content="[^"]*">/g, "");
    expect(unchanged(page)).toBe(unchanged(PAGE));
  });

  it("leaves the pool's tags empty without a pool, and writes the endpoint escaped", () => {
    const none = withDemoPageSettings(PAGE, { userPool: null, secondFactor: "off" });
    expect(metaContent(none, "keyport-user-pool-id")).toBe("");
    expect(metaContent(none, "keyport-second-factor")).toBe("off");
    const aws = withDemoPageSettings(PAGE, { userPool: { userPoolId: "eu-west-1_AbC123", userPoolClientId: "abc", endpoint: "https://idp.example/a/b&c" }, secondFactor: "required" });
    expect(metaContent(aws, "keyport-user-pool-endpoint")).toBe("https://idp.example/a/b&amp;c");
  });

  it("writes the attestation the server asks for into its own tag, and leaves the tag as it is when not told", () => {
    expect(metaContent(PAGE, "keyport-attestation")).toBe("");
    expect(PAGE.match(/name="keyport-attestation"/g)).toHaveLength(1);
    expect(metaContent(withDemoPageSettings(PAGE, { ...LOCAL, attestation: "direct" }), "keyport-attestation")).toBe("direct");
    expect(metaContent(withDemoPageSettings(PAGE, { ...LOCAL, attestation: "none" }), "keyport-attestation")).toBe("none");
    expect(metaContent(withDemoPageSettings(PAGE, LOCAL), "keyport-attestation")).toBe("");
    const without = PAGE.replace(/<meta name="keyport-attestation" content="">/, "");
    expect(withDemoPageSettings(without, LOCAL)).not.toContain('<meta name="keyport-attestation"');
    expect(() => withDemoPageSettings(without, { ...LOCAL, attestation: "direct" })).toThrow(/exactly one <meta name="keyport-attestation"/);
    expect(demoPageSettingsProblem({ ...LOCAL, attestation: "indirect" as never })).toMatch(/attestation "indirect" is not one of none, direct, enterprise/);
  });

  it("refuses a page without one of its tags, or with one twice", () => {
    const without = PAGE.replace(/<meta name="keyport-second-factor" content="">/, "");
    expect(() => withDemoPageSettings(without, LOCAL)).toThrow(/exactly one <meta name="keyport-second-factor"/);
    const twice = PAGE.replace(/(<meta name="keyport-user-pool-id" content="">)/, "$1$1");
    expect(() => withDemoPageSettings(twice, LOCAL)).toThrow(/keyport-user-pool-id.*it has 2/);
  });

  it("refuses settings no Cognito client could use", () => {
    const pool = LOCAL.userPool!;
    expect(demoPageSettingsProblem(LOCAL)).toBeNull();
    expect(demoPageSettingsProblem({ ...LOCAL, userPool: { ...pool, userPoolId: "keyportlocal" } })).toMatch(/not <region>_<id>/);
    expect(demoPageSettingsProblem({ ...LOCAL, userPool: { ...pool, userPoolClientId: "no spaces" } })).toMatch(/not an app client id/);
    expect(demoPageSettingsProblem({ ...LOCAL, userPool: { ...pool, endpoint: "//elsewhere.example" } })).toMatch(/neither a path nor an http\(s\) URL/);
    expect(demoPageSettingsProblem({ ...LOCAL, userPool: { ...pool, endpoint: "ftp://idp.example" } })).toMatch(/neither a path nor an http\(s\) URL/);
    expect(demoPageSettingsProblem({ ...LOCAL, secondFactor: "sometimes" as never })).toMatch(/not one of off, if-enrolled, required/);
    expect(() => withDemoPageSettings(PAGE, { ...LOCAL, userPool: { ...pool, userPoolId: "x" } })).toThrow(/demo page settings/);
  });

  it("names the origin the page's Cognito client connects to, for a Content-Security-Policy", () => {
    const pool = LOCAL.userPool!;
    expect(userPoolConnectOrigin(pool, "http://localhost:3000")).toBe("http://localhost:3000");
    expect(userPoolConnectOrigin(pool, null)).toBe("'self'");
    expect(userPoolConnectOrigin({ ...pool, endpoint: "https://idp.example/pool" }, null)).toBe("https://idp.example");
    expect(userPoolConnectOrigin({ ...pool, userPoolId: "eu-west-1_AbC123", endpoint: null }, null)).toBe("https://cognito-idp.eu-west-1.amazonaws.com");
  });
});
