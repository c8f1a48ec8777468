/**
 * The authenticator policy over HTTP (issue 15 point 4, ADR 0027), with a real MDS3 BLOB file signed
 * under a test root (MDS_BLOB, MDS_ROOT) and the test attestation CA as ATTESTATION_ROOTS: under
 * `certified` a model reported REVOKED can neither register (400 authenticator_not_allowed) nor, once
 * revoked after registering, sign in (401 authenticator_not_allowed); `allow-list` admits only the
 * listed AAGUIDs; the options always ask for the attestation the policy judges. Runs on both storages
 * (the api-dynamodb project runs it again on DynamoDB Local).
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { randomUUID } from "node:crypto";
import { afterAll, describe, expect, it } from "vitest";
import type { PublicKeyCredentialCreationOptionsJSON, PublicKeyCredentialRequestOptionsJSON } from "../../../src/domain/encoding/webauthn-json.js";
import { mds3Entry, mds3Payload, writeMds3BlobFile, writeMds3RootPem } from "../../support/attestation/mds3.js";
import { attestationTrustAnchor } from "../../support/attestation/statements.js";
import { SoftwareAuthenticator } from "../../support/software-authenticator.js";
import { bearer, buildTestApp, discoverableSignIn, expectOk, ORIGIN, type ApiClient, type ApiResponse } from "./harness.js";

const dir = mkdtempSync(join(tmpdir(), "keyport-policy-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const rootsPem = join(dir, "attestation-roots.pem");
writeFileSync(rootsPem, attestationTrustAnchor().pem);
const mdsRoot = writeMds3RootPem(dir);

const CERTIFIED_KEY = "7e57ab1e-0f1d-4c3e-9a0b-c0ffee000002";
const OTHER_KEY = "7e57ab1e-0f1d-4c3e-9a0b-c0ffee000003";
const aaguidBytes = (uuid: string): Uint8Array => Uint8Array.from(Buffer.from(uuid.replaceAll("-", ""), "hex"));
const securityKey = (aaguid: string, attestation: "packed-x5c" | "packed" | "none" = "packed-x5c") =>
  new SoftwareAuthenticator({ aaguid: aaguidBytes(aaguid), attestation, transports: ["usb"] });

/** A BLOB (serial `no`) whose one entry is CERTIFIED_KEY with these statuses, a day apart; written to its own file. */
async function blob(no: number, statuses: readonly string[], name = `mds-${randomUUID()}.jwt`): Promise<string> {
  const statusReports = statuses.map((status, i) => ({ status, effectiveDate: `2024-0${i + 1}-01` }));
  const entry = mds3Entry({ aaguid: CERTIFIED_KEY, description: "Keyport Test Security Key", statusReports, attestationRootCertificates: [attestationTrustAnchor().der] });
  return writeMds3BlobFile(dir, mds3Payload({ no, entries: [entry] }), { name });
}

const policyEnv = (policy: Record<string, string>): Record<string, string> => ({ ATTESTATION: "direct", MDS_ROOT: mdsRoot, ...policy });

function expectError(response: ApiResponse, status: number, code: string): void {
  expect({ status: response.status, code: response.json?.error?.code }).toEqual({ status, code });
  expect(typeof response.json.error.message).toBe("string");
}

/** Sign-up through the API, answering whatever finish says. */
async function trySignUp(client: ApiClient, authenticator: SoftwareAuthenticator) {
  const started = await client.post("/registration/start", { username: `kim-${randomUUID().slice(0, 8)}`, displayName: "Kim" });
  expectOk(started, "registration/start");
  const options = started.json.credentialCreationOptions as PublicKeyCredentialCreationOptionsJSON;
  const credential = authenticator.createCredential(options, { origin: ORIGIN });
  const finished = await client.post("/registration/finish", { sessionId: started.json.sessionId, publicKeyCredential: credential });
  return { options, credential, finished };
}

/** Username-first sign-in, answering whatever finish says. */
async function trySignIn(client: ApiClient, authenticator: SoftwareAuthenticator, userId: string): Promise<ApiResponse> {
  const started = await client.post("/authentication/start", { userId });
  expectOk(started, "authentication/start");
  const assertion = authenticator.getAssertion(started.json.credentialRequestOptions as PublicKeyCredentialRequestOptionsJSON, { origin: ORIGIN });
  return client.post("/authentication/finish", { session: started.json.session, userId, publicKeyCredential: assertion });
}

describe("AUTHENTICATOR_POLICY=certified over HTTP, with an MDS3 BLOB file", () => {
  it("asks for direct attestation, registers a certified model and lists it verified with its certification level", async () => {
    const test = buildTestApp({ env: { ...policyEnv({ AUTHENTICATOR_POLICY: "certified", MDS_BLOB: await blob(1, ["FIDO_CERTIFIED_L1"]) }), ATTESTATION_ROOTS: rootsPem } });
    const key = securityKey(CERTIFIED_KEY);
    const { options, finished } = await trySignUp(test.client, key);
    expect(options.attestation).toBe("direct");
    expectOk(finished, "registration/finish");
    const tokens = await discoverableSignIn(test.client, key);
    const listed = await test.client.get("/credentials", bearer(tokens.idToken));
    expect(listed.json.credentials).toEqual([
      expect.objectContaining({
        authenticator: expect.objectContaining({ aaguid: CERTIFIED_KEY, verified: true }),
        attestation: { format: "packed", type: "basic", trusted: true, certificationLevel: "FIDO_CERTIFIED_L1" },
      }),
    ]);
  });

  it("trusts the model's attestation root from the metadata alone (no ATTESTATION_ROOTS)", async () => {
    const test = buildTestApp({ env: policyEnv({ AUTHENTICATOR_POLICY: "certified", MDS_BLOB: await blob(1, ["FIDO_CERTIFIED_L2"]) }) });
    expectOk((await trySignUp(test.client, securityKey(CERTIFIED_KEY))).finished, "registration/finish");
  });

  it("refuses to register a model whose entry is REVOKED: 400 authenticator_not_allowed, in words a user understands, and nothing stored", async () => {
    const test = buildTestApp({ env: { ...policyEnv({ AUTHENTICATOR_POLICY: "certified", MDS_BLOB: await blob(1, ["FIDO_CERTIFIED_L1", "REVOKED"]) }), ATTESTATION_ROOTS: rootsPem } });
    const key = securityKey(CERTIFIED_KEY);
    const { finished, credential } = await trySignUp(test.client, key);
    expectError(finished, 400, "authenticator_not_allowed");
    expect(finished.json.error.message).toBe("This security key is not allowed here; use one issued by your organisation.");
    const discovered = await test.client.post("/authentication/discover", {});
    const assertion = key.getAssertion(discovered.json.credentialRequestOptions as PublicKeyCredentialRequestOptionsJSON, { origin: ORIGIN, credentialId: credential.id });
    const started = await test.client.post("/authentication/start", { userId: assertion.response.userHandle });
    // No such user was left behind: the handle names nobody (a plausible answer, and a sign-in that fails).
    const finishedSignIn = await test.client.post("/authentication/finish", { session: started.json.session, userId: assertion.response.userHandle, publicKeyCredential: assertion });
    expect(finishedSignIn.status).toBe(401);
    expect(finishedSignIn.json.error.code).not.toBe("authenticator_not_allowed");
  });

  it("refuses models it does not know, untrusted attestation and none", async () => {
    const test = buildTestApp({ env: { ...policyEnv({ AUTHENTICATOR_POLICY: "certified", MDS_BLOB: await blob(1, ["FIDO_CERTIFIED_L1"]) }), ATTESTATION_ROOTS: rootsPem } });
    expectError((await trySignUp(test.client, securityKey(OTHER_KEY))).finished, 400, "authenticator_not_allowed");
    expectError((await trySignUp(test.client, securityKey(CERTIFIED_KEY, "packed"))).finished, 400, "authenticator_not_allowed");
    expectError((await trySignUp(test.client, securityKey(CERTIFIED_KEY, "none"))).finished, 400, "authenticator_not_allowed");
  });

  it("stops a registered key from signing in once a newer BLOB reports its model REVOKED: 401 authenticator_not_allowed", async () => {
    const path = await blob(1, ["FIDO_CERTIFIED_L1"]);
    const test = buildTestApp({ env: { ...policyEnv({ AUTHENTICATOR_POLICY: "certified", MDS_BLOB: path }), ATTESTATION_ROOTS: rootsPem } });
    const key = securityKey(CERTIFIED_KEY);
    const { finished } = await trySignUp(test.client, key);
    expectOk(finished, "registration/finish");
    const userId: string = finished.json.userId;
    expectOk(await trySignIn(test.client, key, userId), "sign-in before the revocation");

    // The operator replaces the file with the next BLOB; the server reads it at its next check (a minute).
    await blob(2, ["FIDO_CERTIFIED_L1", "REVOKED"], path.slice(dir.length + 1));
    test.clock.advance(61_000);
    const refused = await trySignIn(test.client, key, userId);
    expectError(refused, 401, "authenticator_not_allowed");
    expect(refused.json.error.message).toMatch(/no longer allowed/);
    // The discoverable path refuses it the same way.
    const discovered = await test.client.post("/authentication/discover", {});
    const assertion = key.getAssertion(discovered.json.credentialRequestOptions as PublicKeyCredentialRequestOptionsJSON, { origin: ORIGIN });
    const started = await test.client.post("/authentication/start", { userId });
    expectError(await test.client.post("/authentication/finish", { session: started.json.session, userId, publicKeyCredential: assertion }), 401, "authenticator_not_allowed");
  });

  it("keeps the newer metadata when the file goes back to an older BLOB (a replayed serial)", async () => {
    const path = await blob(2, ["FIDO_CERTIFIED_L1", "REVOKED"]);
    const test = buildTestApp({ env: { ...policyEnv({ AUTHENTICATOR_POLICY: "certified", MDS_BLOB: path }), ATTESTATION_ROOTS: rootsPem } });
    expectError((await trySignUp(test.client, securityKey(CERTIFIED_KEY))).finished, 400, "authenticator_not_allowed");
    await blob(1, ["FIDO_CERTIFIED_L1"], path.slice(dir.length + 1));
    test.clock.advance(61_000);
    expectError((await trySignUp(test.client, securityKey(CERTIFIED_KEY))).finished, 400, "authenticator_not_allowed");
    expect(test.logs).toContainEqual(expect.objectContaining({ event: "mds_blob_refused", code: "blob_older_than_current" }));
  });
});

describe("ATTESTATION=enterprise over HTTP", () => {
  it("asks managed devices for enterprise attestation and verifies what they send like any statement", async () => {
    const test = buildTestApp({ env: { ...policyEnv({ ATTESTATION: "enterprise", AUTHENTICATOR_POLICY: "allow-list", ALLOWED_AAGUIDS: CERTIFIED_KEY }), ATTESTATION_ROOTS: rootsPem, MDS_ROOT: "" } });
    const { options, finished } = await trySignUp(test.client, securityKey(CERTIFIED_KEY));
    expect(options.attestation).toBe("enterprise");
    expectOk(finished, "registration/finish");
    expectError((await trySignUp(test.client, securityKey(CERTIFIED_KEY, "packed"))).finished, 400, "authenticator_not_allowed");
  });
});

describe("AUTHENTICATOR_POLICY=allow-list over HTTP", () => {
  const env = () => ({ ...policyEnv({ AUTHENTICATOR_POLICY: "allow-list", ALLOWED_AAGUIDS: CERTIFIED_KEY }), ATTESTATION_ROOTS: rootsPem, MDS_ROOT: "" });

  it("registers a trusted attestation of a listed AAGUID, and refuses another AAGUID or an untrusted one with 400 authenticator_not_allowed", async () => {
    const test = buildTestApp({ env: env() });
    const { options, finished } = await trySignUp(test.client, securityKey(CERTIFIED_KEY));
    expect(options.attestation).toBe("direct");
    expectOk(finished, "registration/finish");
    expectError((await trySignUp(test.client, securityKey(OTHER_KEY))).finished, 400, "authenticator_not_allowed");
    expectError((await trySignUp(test.client, securityKey(CERTIFIED_KEY, "packed"))).finished, 400, "authenticator_not_allowed");
  });
});

describe("AUTHENTICATOR_POLICY=any (the default) with metadata", () => {
  it("registers any authenticator, and shows the certification level of a trusted, known one", async () => {
    const test = buildTestApp({ env: { ATTESTATION: "direct", ATTESTATION_ROOTS: rootsPem, MDS_ROOT: mdsRoot, MDS_BLOB: await blob(1, ["FIDO_CERTIFIED_L1", "REVOKED"]) } });
    const key = securityKey(CERTIFIED_KEY);
    expectOk((await trySignUp(test.client, key)).finished, "registration/finish");
    expectOk((await trySignUp(test.client, securityKey(OTHER_KEY, "none"))).finished, "registration/finish");
    const tokens = await discoverableSignIn(test.client, key);
    const listed = await test.client.get("/credentials", bearer(tokens.idToken));
    expect(listed.json.credentials[0].attestation).toEqual({ format: "packed", type: "basic", trusted: true, certificationLevel: "FIDO_CERTIFIED_L1" });
  });
});
