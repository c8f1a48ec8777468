/**
 * X.509 reaches only the bundle that registers passkeys (ADR 0026) and the FIDO metadata refresh (ADR
 * 0027): built as `npm run build:lambda` builds them, the HTTP API's and the refresh's bundles carry the
 * certificate verifier and @oslojs/asn1, and the three trigger bundles carry neither, because only the
 * compositions that register or verify the BLOB give the factory; the triggers read the verified snapshot.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { bundleLambda, LAMBDA_ENTRY_POINTS } from "../../../scripts/build-lambda.js";

const X509_INPUT = /^src\/adapters\/node-crypto\/node-crypto-certificate-verifier\.ts$|node_modules\/@oslojs\/asn1\//;

describe("X.509 in the Lambda bundles", () => {
  const outdir = mkdtempSync(join(tmpdir(), "keyport-x509-bundles-"));
  afterAll(() => rmSync(outdir, { recursive: true, force: true }));

  it("http-api carries the certificate verifier and its DER reader", async () => {
    const report = await bundleLambda("http-api", LAMBDA_ENTRY_POINTS["http-api"], outdir);
    const inputs = Object.keys(report.metafile.inputs).filter((path) => X509_INPUT.test(path));
    expect(inputs).toContain("src/adapters/node-crypto/node-crypto-certificate-verifier.ts");
    expect(inputs.some((path) => path.includes("@oslojs/asn1/"))).toBe(true);
  });

  it("mds-refresh carries them too: it verifies the FIDO metadata BLOB's x5c chain, so that the functions reading the snapshot need not", async () => {
    const report = await bundleLambda("mds-refresh", LAMBDA_ENTRY_POINTS["mds-refresh"], outdir);
    const inputs = Object.keys(report.metafile.inputs).filter((path) => X509_INPUT.test(path));
    expect(inputs).toContain("src/adapters/node-crypto/node-crypto-certificate-verifier.ts");
  });

  it.each(["define-auth-challenge", "create-auth-challenge", "verify-auth-challenge-response"] as const)("%s carries neither", async (name) => {
    const report = await bundleLambda(name, LAMBDA_ENTRY_POINTS[name], outdir);
    expect(Object.keys(report.metafile.inputs).filter((path) => X509_INPUT.test(path))).toEqual([]);
  });
});
