import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { pemCertificates, readPemCertificateFile, StaticTrustAnchors } from "../../../src/adapters/attestation/pem-trust-anchors.js";
import { NodeCryptoCertificateVerifier } from "../../../src/adapters/node-crypto/node-crypto-certificate-verifier.js";
import { parseConfig } from "../../../src/composition/config.js";
import { composeServices } from "../../../src/composition/services.js";
import { apiServices } from "../../../src/composition/api-services.js";
import { authenticatorCatalog } from "../../../src/composition/authenticator-catalogs.js";
import { withConfiguredIdentityProvider } from "../../../src/composition/identity-providers.js";
import { attestationTrustAnchor, unknownRoot } from "../../support/attestation/statements.js";

function pemFile(text: string): string {
  const path = join(mkdtempSync(join(tmpdir(), "keyport-roots-")), "roots.pem");
  writeFileSync(path, text);
  return path;
}

describe("ATTESTATION_ROOTS (PEM trust anchors)", () => {
  it("reads every CERTIFICATE block of a PEM file, in order, ignoring other text and blocks", () => {
    const [a, b] = [attestationTrustAnchor(), unknownRoot()];
    const text = `# roots\n${a.pem}\n-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n${b.pem}`;
    expect(pemCertificates(text).map((der) => Buffer.from(der).toString("hex"))).toEqual([a.der, b.der].map((der) => Buffer.from(der).toString("hex")));
    expect(readPemCertificateFile(pemFile(text))).toHaveLength(2);
  });

  it("gives the same anchors for every authenticator", async () => {
    const anchors = new StaticTrustAnchors([attestationTrustAnchor().der]);
    expect(await anchors.anchorsFor({ aaguid: "00000000-0000-0000-0000-000000000000", format: "packed" })).toHaveLength(1);
  });

  it("stops the composition with a ConfigError naming ATTESTATION_ROOTS for a missing file, no certificate or an unreadable one", () => {
    const compose = (path: string) => () => {
      const config = parseConfig({ ATTESTATION_ROOTS: path });
      return composeServices(config, withConfiguredIdentityProvider(config, { certificateVerifier: () => new NodeCryptoCertificateVerifier(), authenticatorCatalog, apiServices }))
        .registrationCeremony;
    };
    expect(compose("/nonexistent/roots.pem")).toThrow(/ATTESTATION_ROOTS: cannot read/);
    expect(compose(pemFile("nothing here"))).toThrow(/ATTESTATION_ROOTS: .* holds no PEM certificate/);
    expect(compose(pemFile("-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n"))).toThrow(/ATTESTATION_ROOTS: .* cannot be read/);
  });
});
