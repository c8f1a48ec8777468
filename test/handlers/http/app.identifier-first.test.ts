/**
 * Identifier-first sign-in through the HTTP API: `/authentication/start` and `/finish` with `username`
 * instead of `userId`, the anti-enumeration property of what start answers, and `credential_not_found`
 * (with the signal that tells the client's passkey provider to forget the passkey).
 * Runs on both storages (the api-dynamodb project runs it again on DynamoDB Local).
 */
import { describe, expect, it } from "vitest";
import type { PublicKeyCredentialRequestOptionsJSON } from "../../../src/domain/encoding/webauthn-json.js";
import { decodeJwt, uniqueId } from "../../support/kit.js";
import { SoftwareAuthenticator } from "../../support/software-authenticator.js";
import { buildTestApp, expectOk, ORIGIN, signUp, type ApiClient, type ApiResponse } from "./harness.js";

function expectError(response: ApiResponse, status: number, code: string): void {
  expect({ status: response.status, code: response.json?.error?.code }).toEqual({ status, code });
  expect(Object.keys(response.json)).toEqual(["error"]);
  expect(Object.keys(response.json.error).sort()).toEqual(["code", "message"]);
}

/** 401 credential_not_found, with the unknownCredential signal for exactly the passkey presented beside the error. */
function expectUnknownCredential(response: ApiResponse, credentialId: string): void {
  expect({ status: response.status, code: response.json?.error?.code }).toEqual({ status: 401, code: "credential_not_found" });
  expect(Object.keys(response.json)).toEqual(["error", "signals"]);
  expect(response.json.signals).toEqual([{ signalName: "unknownCredential", rpID: "localhost", credentialID: credentialId }]);
}

async function start(client: ApiClient, body: Record<string, unknown>): Promise<{ session: string; credentialRequestOptions: PublicKeyCredentialRequestOptionsJSON }> {
  const started = await client.post("/authentication/start", body);
  expectOk(started, `authentication/start ${JSON.stringify(body)}`);
  return started.json;
}

/**
 * Every key path of a JSON value, array elements all under `[]`: two answers with the same paths have
 * the same keys at every level, whatever their values and list lengths.
 */
function shape(value: unknown, path = ""): string[] {
  if (Array.isArray(value)) return [`${path}[]`, ...value.flatMap((item) => shape(item, `${path}[]`))];
  if (value !== null && typeof value === "object") {
    return Object.entries(value).flatMap(([key, item]) => [`${path}.${key}:${typeof item}`, ...shape(item, `${path}.${key}`)]);
  }
  return [];
}
const sameShape = (value: unknown) => [...new Set(shape(value))].sort();

function headerNames(response: ApiResponse): string[] {
  const names: string[] = [];
  response.headers.forEach((_value, name) => names.push(name));
  return names.sort();
}

const ids = (options: PublicKeyCredentialRequestOptionsJSON) => options.allowCredentials.map((c) => c.id);

/** A name nobody has signed up with (suites share DynamoDB tables per file). */
const unknownName = () => `nobody-${uniqueId(6)}`;

describe("HTTP API: identifier-first sign-in", () => {
  it("starts with the username in any letter case, lists the user's passkey, and signs in finishing with the username", async () => {
    const { client } = buildTestApp();
    const authenticator = new SoftwareAuthenticator();
    const erin = await signUp(client, authenticator, "erin");

    const started = await start(client, { username: "ERIN" });
    expect(ids(started.credentialRequestOptions)).toEqual([erin.credentialId]);
    const assertion = authenticator.getAssertion(started.credentialRequestOptions, { origin: ORIGIN });
    const finished = await client.post("/authentication/finish", { session: started.session, username: "erin", publicKeyCredential: assertion });
    expectOk(finished, "authentication/finish with username");
    expect(decodeJwt(finished.json.idToken).payload).toMatchObject({ "cognito:username": erin.userId, preferred_username: "erin" });
  });

  it("accepts fullwidth letters for the username, as sign-up compares them", async () => {
    const { client } = buildTestApp();
    const authenticator = new SoftwareAuthenticator();
    const fay = await signUp(client, authenticator, "fay");
    expect(ids((await start(client, { username: "ＦＡＹ" })).credentialRequestOptions)).toEqual([fay.credentialId]);
  });

  it.each([
    ["both", { userId: "dXNlcg", username: "erin" }],
    ["neither", {}],
    ["a username that is not a string", { username: 42 }],
    ["a null username beside a userId", { userId: "dXNlcg", username: null }],
  ])("start with %s: 400 invalid_request naming the fields", async (_case, body) => {
    const { client } = buildTestApp();
    const response = await client.post("/authentication/start", body);
    expectError(response, 400, "invalid_request");
    expect(response.json.error.message).toMatch(/userId|username/);
  });

  it.each([
    ["both", { userId: "dXNlcg", username: "erin" }],
    ["neither", {}],
  ])("finish with %s: 400 invalid_request", async (_case, names) => {
    const { client } = buildTestApp();
    expectError(await client.post("/authentication/finish", { session: "s", publicKeyCredential: {}, ...names }), 400, "invalid_request");
  });

  it("start with a string that cannot be a username: 400 username_invalid, which says nothing about accounts", async () => {
    const { client } = buildTestApp();
    for (const username of ["", "two words", "a".repeat(65)]) {
      expectError(await client.post("/authentication/start", { username }), 400, "username_invalid");
    }
    expectError(await client.post("/authentication/finish", { session: "s", username: "two words", publicKeyCredential: {} }), 400, "username_invalid");
  });
});

describe("HTTP API: identifier-first start does not tell who has an account", () => {
  it("answers a known and an unknown username with the same status and the same keys at every level", async () => {
    const { client } = buildTestApp();
    await signUp(client, new SoftwareAuthenticator(), "gus");
    const known = await client.post("/authentication/start", { username: "gus" });
    const unknown = await client.post("/authentication/start", { username: unknownName() });
    expect(unknown.status).toBe(known.status);
    expect(known.status).toBe(200);
    expect(sameShape(unknown.json)).toEqual(sameShape(known.json));
    expect(headerNames(unknown)).toEqual(headerNames(known));
  });

  it("lists a plausible, stable credential list for an unknown username: the same for every spelling, another for another name", async () => {
    const { client } = buildTestApp();
    const name = unknownName();
    const first = (await start(client, { username: name })).credentialRequestOptions;
    const again = (await start(client, { username: name.toUpperCase() })).credentialRequestOptions;
    const other = (await start(client, { username: unknownName() })).credentialRequestOptions;
    expect(ids(again)).toEqual(ids(first));
    expect(again.allowCredentials).toEqual(first.allowCredentials);
    expect(ids(other)).not.toEqual(ids(first));
    for (const options of [first, other]) {
      expect(options.allowCredentials.length).toBeGreaterThanOrEqual(1);
      expect(options.allowCredentials.length).toBeLessThanOrEqual(2);
      for (const descriptor of options.allowCredentials) {
        expect(descriptor.type).toBe("public-key");
        expect([16, 20, 32, 64]).toContain(Buffer.from(descriptor.id, "base64url").length);
        expect(descriptor.transports?.length).toBeGreaterThan(0);
      }
    }
  });

  it("fails a finish with a listed passkey alike for known and unknown usernames: 401 sign_in_failed, never credential_not_found", async () => {
    const { client } = buildTestApp();
    const authenticator = new SoftwareAuthenticator();
    const hal = await signUp(client, authenticator, "hal");

    // A known user's listed passkey, with a signature that does not verify.
    const known = await start(client, { username: "hal" });
    const forged = authenticator.getAssertion(known.credentialRequestOptions, { origin: ORIGIN, tamper: { signWithOtherKey: true } });
    expectError(await client.post("/authentication/finish", { session: known.session, username: "hal", publicKeyCredential: forged }), 401, "sign_in_failed");

    // An unknown name's listed (made-up) passkey, presented for it and for the known user.
    const name = unknownName();
    const unknown = await start(client, { username: name });
    const fakeId = ids(unknown.credentialRequestOptions)[0] ?? "";
    const posing = authenticator.getAssertion(unknown.credentialRequestOptions, { origin: ORIGIN, credentialId: hal.credentialId, tamper: { id: fakeId, rawId: fakeId } });
    expectError(await client.post("/authentication/finish", { session: unknown.session, username: name, publicKeyCredential: posing }), 401, "sign_in_failed");
    const again = await start(client, { username: "hal" });
    const posingForHal = authenticator.getAssertion(again.credentialRequestOptions, { origin: ORIGIN, tamper: { id: fakeId, rawId: fakeId } });
    expectError(await client.post("/authentication/finish", { session: again.session, username: "hal", publicKeyCredential: posingForHal }), 401, "sign_in_failed");
  });
});

describe("HTTP API: a passkey the server does not know", () => {
  /** An authenticator holding a passkey whose sign-up was never finished, so the server never stored it. */
  async function strayPasskey(client: ApiClient) {
    const authenticator = new SoftwareAuthenticator();
    const started = await client.post("/registration/start", { username: `stray-${uniqueId(6)}`, displayName: "Stray" });
    expectOk(started, "registration/start");
    const created = authenticator.createCredential(started.json.credentialCreationOptions, { origin: ORIGIN });
    return { authenticator, credentialId: created.id };
  }

  it("401 credential_not_found with an unknownCredential signal for a discoverable assertion of an unknown passkey, by userId", async () => {
    const { client } = buildTestApp();
    const { authenticator, credentialId } = await strayPasskey(client);
    const discovered = await client.post("/authentication/discover", {});
    const assertion = authenticator.getAssertion(discovered.json.credentialRequestOptions, { origin: ORIGIN });
    const userId = assertion.response.userHandle;
    const started = await start(client, { userId });
    const response = await client.post("/authentication/finish", { session: started.session, userId, publicKeyCredential: assertion });
    expectUnknownCredential(response, credentialId);
    expect(response.json.error.message).toMatch(/passkey/i);
  });

  it("401 credential_not_found by username too, and the sign-in session is not spent by it", async () => {
    const { client } = buildTestApp();
    const authenticator = new SoftwareAuthenticator();
    await signUp(client, authenticator, "ivy");
    const stray = await strayPasskey(client);
    const started = await start(client, { username: "ivy" });
    const unknownPasskey = stray.authenticator.getAssertion(started.credentialRequestOptions, { origin: ORIGIN, credentialId: stray.credentialId });
    expectUnknownCredential(await client.post("/authentication/finish", { session: started.session, username: "ivy", publicKeyCredential: unknownPasskey }), stray.credentialId);

    const assertion = authenticator.getAssertion(started.credentialRequestOptions, { origin: ORIGIN });
    expectOk(await client.post("/authentication/finish", { session: started.session, username: "ivy", publicKeyCredential: assertion }), "finish after credential_not_found");
  });
});
