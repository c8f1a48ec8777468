import { describe, expect, it } from "vitest";
import { CognitoIdentityProvider } from "../../src/adapters/cognito/cognito-identity-provider.js";
import { NodeCryptoSignatureVerifier } from "../../src/adapters/node-crypto/node-crypto-signature-verifier.js";
import { WebCryptoSignatureVerifier } from "../../src/adapters/webcrypto/web-crypto-signature-verifier.js";
import { ConfigError, parseConfig } from "../../src/composition/config.js";
import { buildCognitoContainer } from "../../src/composition/cognito.js";
import { buildContainer, resolve } from "../../src/composition/container.js";
import { buildLocalContainer } from "../../src/composition/local.js";
import type { Services } from "../../src/composition/services.js";
import { Tokens, type Token } from "../../src/composition/tokens.js";
import { AuthenticationCeremony } from "../../src/domain/ceremonies/authentication-ceremony.js";
import { RegistrationCeremony } from "../../src/domain/ceremonies/registration-ceremony.js";
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
    expect(() => buildCognitoContainer(parseConfig({}))).toThrow(/^IDENTITY_PROVIDER: cognito needs/);
  });

  it("binds every token, each to one shared instance built by composeServices", () => {
    const identityProvider = new FakeIdentityProvider();
    const container = buildContainer(parseConfig({}), { identityProvider: () => identityProvider });
    for (const [name, token] of Object.entries(Tokens) as [string, Token<unknown>][]) {
      expect(resolve(container, token), name).toBeDefined();
      expect(resolve(container, token), name).toBe(resolve(container, token));
    }
    expect(resolve(container, Tokens.IdentityProvider)).toBe(identityProvider);
  });

  it("gives the identity provider's factory the services the container resolves", () => {
    let received: Services | undefined;
    const container = buildContainer(parseConfig({}), {
      identityProvider: (services) => {
        received = services;
        return new FakeIdentityProvider();
      },
    });
    resolve(container, Tokens.IdentityProvider);
    expect(received?.passkeyCustomChallenge).toBe(resolve(container, Tokens.PasskeyCustomChallenge));
    expect(received?.clock).toBe(resolve(container, Tokens.Clock));
  });

  it("wires Cognito into the container as the plain composition does", () => {
    const env = { IDENTITY_PROVIDER: "cognito", AWS_REGION: "eu-west-1", COGNITO_USER_POOL_ID: "eu-west-1_Example", COGNITO_CLIENT_ID: "exampleclientid" };
    expect(resolve(buildCognitoContainer(parseConfig(env)), Tokens.IdentityProvider)).toBeInstanceOf(CognitoIdentityProvider);
  });
});
