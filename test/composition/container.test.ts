import { describe, expect, it } from "vitest";
import { CognitoIdentityProvider } from "../../src/adapters/cognito/cognito-identity-provider.js";
import { NodeCryptoCertificateVerifier } from "../../src/adapters/node-crypto/node-crypto-certificate-verifier.js";
import { NodeCryptoSignatureVerifier } from "../../src/adapters/node-crypto/node-crypto-signature-verifier.js";
import { WebCryptoSignatureVerifier } from "../../src/adapters/webcrypto/web-crypto-signature-verifier.js";
import { ConfigError, parseConfig } from "../../src/composition/config.js";
import { buildContainer, resolve, Tokens, type Token } from "../../src/composition/container.js";
import { LocalUserPool } from "../../src/adapters/local-identity/local-user-pool.js";
import { LocalIdentityProvider } from "../../src/adapters/local-identity/local-identity-provider.js";
import { SERVICE_NAMES, type Services } from "../../src/composition/services.js";
import { AuthenticationCeremony } from "../../src/domain/ceremonies/authentication-ceremony.js";
import { RegistrationCeremony } from "../../src/domain/ceremonies/registration-ceremony.js";
import { FakeIdentityProvider } from "../support/fake-identity-provider.js";
import { CommunityAuthenticatorCatalog } from "../../src/adapters/authenticators/community-authenticator-catalog.js";
import { PasskeyManagement } from "../../src/domain/management/passkey-management.js";

describe("the composition root", () => {
  it("resolves every service as one shared instance", () => {
    const container = buildContainer(parseConfig({}));
    expect(resolve(container, Tokens.registrationCeremony)).toBeInstanceOf(RegistrationCeremony);
    expect(resolve(container, Tokens.authenticationCeremony)).toBeInstanceOf(AuthenticationCeremony);
    expect(resolve(container, Tokens.sessionStore)).toBe(resolve(container, Tokens.sessionStore));
    expect(resolve(container, Tokens.passkeySignIn)).toBe(resolve(container, Tokens.passkeySignIn));
  });

  it("chooses the signature verifier by configuration", () => {
    const identityProvider = () => new FakeIdentityProvider();
    expect(resolve(buildContainer(parseConfig({}), { identityProvider }), Tokens.signatureVerifier)).toBeInstanceOf(NodeCryptoSignatureVerifier);
    expect(resolve(buildContainer(parseConfig({ SIGNATURE_VERIFIER: "webcrypto" }), { identityProvider }), Tokens.signatureVerifier)).toBeInstanceOf(
      WebCryptoSignatureVerifier,
    );
  });

  it("refuses a configuration it has no adapter for, naming the variable", () => {
    const cognitoWithoutPool = { ...parseConfig({}), identityProvider: "cognito" as const };
    expect(() => buildContainer(cognitoWithoutPool)).toThrow(ConfigError);
    expect(() => buildContainer(cognitoWithoutPool)).toThrow(/^IDENTITY_PROVIDER: cognito needs/);
  });

  it("has one token per service, named as the service is", () => {
    expect(Object.keys(Tokens).sort()).toEqual([...SERVICE_NAMES].sort());
    expect(new Set(Object.values(Tokens)).size).toBe(SERVICE_NAMES.length);
  });

  it("gets the local identity provider when IDENTITY_PROVIDER is local", () => {
    expect(resolve(buildContainer(parseConfig({})), Tokens.identityProvider)).toBeInstanceOf(LocalIdentityProvider);
  });

  it("binds every token, each to one shared instance built by composeServices", () => {
    const identityProvider = new FakeIdentityProvider();
    const container = buildContainer(parseConfig({}), { identityProvider: () => identityProvider });
    for (const [name, token] of Object.entries(Tokens) as [string, Token<unknown>][]) {
      // The local Cognito API plays the local provider only: over another provider it is refused (below).
      if (token === Tokens.userPool) continue;
      expect(resolve(container, token), name).toBeDefined();
      expect(resolve(container, token), name).toBe(resolve(container, token));
    }
    expect(resolve(container, Tokens.identityProvider)).toBe(identityProvider);
    expect(() => resolve(container, Tokens.userPool)).toThrow(/local Cognito API needs the local identity provider/);
  });

  it("offers the local Cognito API over the local identity provider, sharing its instance", () => {
    const container = buildContainer(parseConfig({}));
    const pool = resolve(container, Tokens.userPool);
    expect(pool).toBeInstanceOf(LocalUserPool);
    expect(pool).toBe(resolve(container, Tokens.userPool));
    expect({ userPoolId: pool.userPoolId, clientId: pool.clientId }).toEqual({ userPoolId: "us-east-1_keyportlocal", clientId: "keyportlocalclient" });
  });

  it("gives the identity provider's factory the services the container resolves", () => {
    let received: Services | undefined;
    const container = buildContainer(parseConfig({}), {
      identityProvider: (services) => {
        received = services;
        return new FakeIdentityProvider();
      },
    });
    resolve(container, Tokens.identityProvider);
    expect(received?.passkeyCustomChallenge).toBe(resolve(container, Tokens.passkeyCustomChallenge));
    expect(received?.clock).toBe(resolve(container, Tokens.clock));
  });

  it("gets the community authenticator catalog unless one is given, and builds passkey management on it", () => {
    const container = buildContainer(parseConfig({}));
    expect(resolve(container, Tokens.authenticatorCatalog)).toBeInstanceOf(CommunityAuthenticatorCatalog);
    expect(resolve(container, Tokens.passkeyManagement)).toBeInstanceOf(PasskeyManagement);
    const catalog = { describe: async () => ({ name: "Given", icon: null }) };
    expect(resolve(buildContainer(parseConfig({}), { authenticatorCatalog: () => catalog }), Tokens.authenticatorCatalog)).toBe(catalog);
  });

  it("gets the node:crypto certificate verifier unless one is given", () => {
    expect(resolve(buildContainer(parseConfig({})), Tokens.certificateVerifier)).toBeInstanceOf(NodeCryptoCertificateVerifier);
    const given = new NodeCryptoCertificateVerifier();
    expect(resolve(buildContainer(parseConfig({}), { certificateVerifier: () => given }), Tokens.certificateVerifier)).toBe(given);
  });

  it("wires Cognito into the container as the plain composition does", () => {
    const env = { IDENTITY_PROVIDER: "cognito", AWS_REGION: "eu-west-1", COGNITO_USER_POOL_ID: "eu-west-1_Example", COGNITO_CLIENT_ID: "exampleclientid" };
    expect(resolve(buildContainer(parseConfig(env)), Tokens.identityProvider)).toBeInstanceOf(CognitoIdentityProvider);
  });
});
