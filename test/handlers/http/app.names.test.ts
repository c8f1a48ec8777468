/**
 * Names over HTTP (ADR 0015): the prepared form is what the options carry, and names WebAuthn L3
 * §5.4.3 warns about are refused with the codes docs/api.md lists.
 */
import { describe, expect, it } from "vitest";
import { buildTestApp, expectOk } from "./harness.js";

describe("HTTP API: usernames and display names", () => {
  it("answers with the prepared names, not the raw ones", async () => {
    const { client } = buildTestApp();
    const started = await client.post("/registration/start", { username: "Ｊｏｓｅ\u0301", displayName: "  Jose\u0301  Garci\u0301a " });
    expectOk(started, "registration/start");
    expect(started.json.credentialCreationOptions.user).toMatchObject({ name: "Jos\u00E9", displayName: "Jos\u00E9 Garc\u00EDa" });
  });

  it.each([
    ["a right-to-left override in the username", { username: "admin\u202Egpj.exe", displayName: "Admin" }, "username_invalid"],
    ["a space in the username", { username: "jose garcia", displayName: "Jose" }, "username_invalid"],
    ["a display name of zero-width characters", { username: "jose", displayName: "\u200B\u200C\u200D" }, "display_name_invalid"],
    ["an isolate in the display name", { username: "jose", displayName: "Jose\u2066 (admin)" }, "display_name_invalid"],
    ["tag characters in the display name", { username: "jose", displayName: "Jose\u{E0001}\u{E0041}" }, "display_name_invalid"],
    ["a private-use character in the display name", { username: "jose", displayName: "Jose \uF8FF" }, "display_name_invalid"],
  ])("refuses %s", async (_label, body, code) => {
    const { client } = buildTestApp();
    const response = await client.post("/registration/start", body);
    expect({ status: response.status, code: response.json?.error?.code }).toEqual({ status: 400, code });
  });

  it("refuses a lone surrogate, which JSON can carry as an escape", async () => {
    const { client } = buildTestApp();
    const response = await client.post("/registration/start", '{"username":"jose","displayName":"Jose \\ud800"}');
    expect({ status: response.status, code: response.json?.error?.code }).toEqual({ status: 400, code: "display_name_invalid" });
  });
});
