import { describe, expect, it } from "vitest";
import { NodeCryptoSignatureVerifier } from "../../src/adapters/node-crypto/node-crypto-signature-verifier.js";
import { WebCryptoSignatureVerifier } from "../../src/adapters/webcrypto/web-crypto-signature-verifier.js";
import { ConfigError, parseConfig } from "../../src/composition/config.js";
import { buildContainer, resolve } from "../../src/composition/container.js";
import { buildLocalContainer } from "../../src/composition/local.js";
import { Tokens } from "../../src/composition/tokens.js";
import { AuthenticationCeremony } from "../../src/domain/authentication-ceremony.js";
import { RegistrationCeremony } from "../../src/domain/registration-ceremony.js";
import { FakeIdentityProvider } from "../support/fake-identity-provider.js";

describe("the composition root", () => {
  it("resolves every service as one shared instance", () => {
    const container = buildLocalContainer(parseConfig({}));
    expect(resolve(container, Tokens.RegistrationCeremony)).toBeInstanceOf(RegistrationCeremony);
    expect(resolve(container, Tokens.AuthenticationCeremony)).toBeInstanceOf(AuthenticationCeremony);
    expect(resolve(container, Tokens.SessionStore)).toBe(resolve(container, Tokens.SessionStore));
    expect(resolve(container, Tokens.PasskeySignIn)).toBe(resolve(container, Tokens.PasskeySignIn));
  });

  it("chooses the signature verifier by configuration", () => {
    const identityProvider = () => new FakeIdentityProvider();
    expect(resolve(buildContainer(parseConfig({}), { identityProvider }), Tokens.SignatureVerifier)).toBeInstanceOf(NodeCryptoSignatureVerifier);
    expect(resolve(buildContainer(parseConfig({ SIGNATURE_VERIFIER: "webcrypto" }), { identityProvider }), Tokens.SignatureVerifier)).toBeInstanceOf(
      WebCryptoSignatureVerifier,
    );
  });

  it("refuses a configuration it has no adapter for, naming the variable", () => {
    expect(() => buildContainer(parseConfig({}))).toThrow(ConfigError);
    expect(() => buildContainer(parseConfig({}))).toThrow(/^IDENTITY_PROVIDER/);
  });
});
