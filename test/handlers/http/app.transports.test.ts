/**
 * Transports a client reports at registration are hints (WebAuthn §5.8.4): keyport keeps the values
 * WebAuthn defines and drops the rest, so an unknown value never comes back in the options it hands
 * out later (excludeCredentials, allowCredentials), on either storage.
 */
import { describe, expect, it } from "vitest";
import { SoftwareAuthenticator } from "../../support/software-authenticator.js";
import { buildTestApp, discoverableSignIn, expectOk, signUp } from "./harness.js";

const UNKNOWN = ["carrier-pigeon", "USB", "<script>", "x".repeat(40)];

describe("HTTP API: transports", () => {
  it("never echoes a transport WebAuthn does not define in later options", async () => {
    const { client } = buildTestApp();
    const authenticator = new SoftwareAuthenticator({ transports: ["usb", "carrier-pigeon", "internal", "USB", "<script>", "x".repeat(40)] });
    const { userId, credentialId } = await signUp(client, authenticator, "transporter");

    const signIn = await client.post("/authentication/start", { userId });
    expectOk(signIn, "authentication/start");
    expect(signIn.json.credentialRequestOptions.allowCredentials).toEqual([{ type: "public-key", id: credentialId, transports: ["usb", "internal"] }]);

    const tokens = await discoverableSignIn(client, authenticator);
    const adding = await client.post("/registration/start-verified", {}, { Authorization: `Bearer ${tokens.idToken}` });
    expectOk(adding, "registration/start-verified");
    expect(adding.json.credentialCreationOptions.excludeCredentials).toEqual([{ type: "public-key", id: credentialId, transports: ["usb", "internal"] }]);

    // Every transports list anywhere in the answers, not the raw text: random ids and challenges may spell "USB".
    const lists = [signIn.json, adding.json].flatMap(transportLists);
    expect(lists.length).toBeGreaterThan(0);
    for (const list of lists) for (const unknown of UNKNOWN) expect(list).not.toContain(unknown);
  });
});

/** The values of every `transports` member in a JSON value, however deep. */
function transportLists(value: unknown): unknown[][] {
  if (Array.isArray(value)) return value.flatMap(transportLists);
  if (value === null || typeof value !== "object") return [];
  return Object.entries(value).flatMap(([key, member]) => (key === "transports" && Array.isArray(member) ? [member] : transportLists(member)));
}
