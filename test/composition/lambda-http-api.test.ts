import { describe, expect, it } from "vitest";
import { CommunityAuthenticatorCatalog } from "../../src/adapters/authenticators/community-authenticator-catalog.js";
import { NodeCryptoCertificateVerifier } from "../../src/adapters/node-crypto/node-crypto-certificate-verifier.js";
import { InMemoryCredentialStore } from "../../src/adapters/in-memory/in-memory-credential-store.js";
import { InMemorySessionStore } from "../../src/adapters/in-memory/in-memory-session-store.js";
import { SystemClock } from "../../src/adapters/system/system-clock.js";
import { composeHttpApi } from "../../src/composition/lambda-http-api.js";
import { PasskeyManagement } from "../../src/domain/management/passkey-management.js";
import { HTTP_ENV } from "../handlers/lambda/events.js";

const storesForTests = () => ({ sessionStore: new InMemorySessionStore(new SystemClock()), credentialStore: new InMemoryCredentialStore() });

describe("the HTTP API's Lambda composition: the passkeys' side", () => {
  it("names authenticators with the community catalog, and builds passkey management on it", async () => {
    const services = await composeHttpApi(HTTP_ENV, { overrides: storesForTests(), log: () => {} });
    expect(services.authenticatorCatalog).toBeInstanceOf(CommunityAuthenticatorCatalog);
    expect(services.passkeyManagement).toBeInstanceOf(PasskeyManagement);
    expect(services.certificateVerifier).toBeInstanceOf(NodeCryptoCertificateVerifier);
  });

  it("keeps a catalog given for tests", async () => {
    const catalog = { describe: async () => ({ name: "Given", icon: null }) };
    const services = await composeHttpApi(HTTP_ENV, { overrides: { ...storesForTests(), authenticatorCatalog: () => catalog }, log: () => {} });
    expect(services.authenticatorCatalog).toBe(catalog);
  });
});
