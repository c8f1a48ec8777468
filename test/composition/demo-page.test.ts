/** What the local server tells its demo page of password accounts, by identity provider, and of attestation. */
import { describe, expect, it } from "vitest";
import { parseConfig } from "../../src/composition/config.js";
import { demoPageSettings } from "../../src/composition/demo-page.js";

const COGNITO = { IDENTITY_PROVIDER: "cognito", AWS_REGION: "eu-west-1", COGNITO_USER_POOL_ID: "eu-west-1_AbC123", COGNITO_CLIENT_ID: "abcdefghij0123456789klmnop" };

describe("the demo page's settings on the local server", () => {
  it("with the local identity provider: its own pool, answered at the server's root, and the server's policy", () => {
    expect(demoPageSettings(parseConfig({ SECOND_FACTOR: "if-enrolled" }))).toEqual({
      userPool: { userPoolId: "us-east-1_keyportlocal", userPoolClientId: "keyportlocalclient", endpoint: "/" },
      secondFactor: "if-enrolled",
      attestation: "none",
    });
    expect(demoPageSettings(parseConfig({ LOCAL_USER_POOL_ID: "eu-west-1_mine", LOCAL_CLIENT_ID: "myclient" })).userPool).toEqual({
      userPoolId: "eu-west-1_mine",
      userPoolClientId: "myclient",
      endpoint: "/",
    });
  });

  it("with Cognito: the configured pool at Cognito's own endpoint, or none when its app client has a secret (a page cannot keep one)", () => {
    expect(demoPageSettings(parseConfig({ ...COGNITO, SECOND_FACTOR: "required" }))).toEqual({
      userPool: { userPoolId: "eu-west-1_AbC123", userPoolClientId: "abcdefghij0123456789klmnop", endpoint: null },
      secondFactor: "required",
      attestation: "none",
    });
    expect(demoPageSettings(parseConfig({ ...COGNITO, COGNITO_CLIENT_SECRET: "s3cret" })).userPool).toBeNull();
  });

  it("tells the page the attestation the server's creation options ask for (ATTESTATION), whatever the identity provider", () => {
    expect(demoPageSettings(parseConfig({ ATTESTATION: "direct" })).attestation).toBe("direct");
    expect(demoPageSettings(parseConfig({ ...COGNITO, ATTESTATION: "enterprise" })).attestation).toBe("enterprise");
    expect(demoPageSettings(parseConfig({ ...COGNITO, COGNITO_CLIENT_SECRET: "s3cret", ATTESTATION: "direct" })).attestation).toBe("direct");
  });
});
