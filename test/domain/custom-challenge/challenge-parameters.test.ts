/** The custom challenge's parameters codec (src/domain/custom-challenge/challenge-parameters.ts). */
import { describe, expect, it } from "vitest";
import { decodeChallengeParameters, encodeChallengeParameters } from "../../../src/domain/custom-challenge/challenge-parameters.js";
import type { PublicKeyCredentialRequestOptionsJSON } from "../../../src/domain/encoding/webauthn-json.js";

const OPTIONS: PublicKeyCredentialRequestOptionsJSON = {
  challenge: "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8",
  timeout: 300_000,
  rpId: "example.com",
  allowCredentials: [{ type: "public-key", id: "Y3JlZA", transports: ["hybrid", "internal"] }],
  userVerification: "required",
};

describe("the custom challenge's parameters", () => {
  it("carry the request options there and back", () => {
    expect(decodeChallengeParameters(encodeChallengeParameters(OPTIONS))).toEqual(OPTIONS);
  });

  it("drop transports WebAuthn does not define", () => {
    const text = JSON.stringify({ ...OPTIONS, allowCredentials: [{ type: "public-key", id: "Y3JlZA", transports: ["usb", "carrier-pigeon"] }] });
    expect(decodeChallengeParameters({ credentialRequestOptions: text })?.allowCredentials).toEqual([{ type: "public-key", id: "Y3JlZA", transports: ["usb"] }]);
  });

  it.each([
    ["no options at all", {}],
    ["options that are not JSON", { credentialRequestOptions: "{" }],
    ["options that are not an object", { credentialRequestOptions: "[]" }],
    ["a challenge that is not base64url", { credentialRequestOptions: JSON.stringify({ ...OPTIONS, challenge: "a+b/" }) }],
    ["a timeout that is not a number", { credentialRequestOptions: JSON.stringify({ ...OPTIONS, timeout: "300000" }) }],
    ["no RP ID", { credentialRequestOptions: JSON.stringify({ ...OPTIONS, rpId: undefined }) }],
    ["credentials that are not a list", { credentialRequestOptions: JSON.stringify({ ...OPTIONS, allowCredentials: {} }) }],
    ["a credential of another type", { credentialRequestOptions: JSON.stringify({ ...OPTIONS, allowCredentials: [{ type: "password", id: "x" }] }) }],
    ["a credential without an id", { credentialRequestOptions: JSON.stringify({ ...OPTIONS, allowCredentials: [{ type: "public-key" }] }) }],
    ["an unknown user verification", { credentialRequestOptions: JSON.stringify({ ...OPTIONS, userVerification: "always" }) }],
  ])("are refused with %s (not keyport's custom challenge)", (_label, parameters: Record<string, string>) => {
    expect(decodeChallengeParameters(parameters)).toBeNull();
  });
});
