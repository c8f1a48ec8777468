/**
 * The signals of sign-in and registration (WebAuthn Signal API, in the shapes `sendSignal()` of
 * @simplewebauthn/browser 14 accepts), and the default names passkeys get from their authenticator.
 * Runs on both storages (the api-dynamodb project runs it again on DynamoDB Local).
 */
import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { SoftwareAuthenticator } from "../../support/software-authenticator.js";
import { addPasskey, bearer, buildTestApp, discoverableSignIn, expectOk, FALLBACK_AUTHENTICATOR_NAME, ORIGIN, TEST_AUTHENTICATOR } from "./harness.js";

/** Usernames are unique (ADR 0017) and, on the api-dynamodb project, the tests of a file share one table. */
const freshName = (name: string): string => `${name}-${randomUUID().slice(0, 8)}`;

const testKey = () => new SoftwareAuthenticator({ aaguid: TEST_AUTHENTICATOR.bytes });

describe("HTTP API: registration names the passkey and signals", () => {
  it("answers a sign-up with the passkey's default name (its authenticator's) and an allAcceptedCredentials signal", async () => {
    const { client } = buildTestApp();
    const username = freshName("sig");
    const started = await client.post("/registration/start", { username, displayName: "Sig" });
    const credential = testKey().createCredential(started.json.credentialCreationOptions, { origin: ORIGIN });
    const finished = await client.post("/registration/finish", { sessionId: started.json.sessionId, publicKeyCredential: credential });
    expectOk(finished, "finish");
    const userId = started.json.credentialCreationOptions.user.id;
    expect(finished.json).toEqual({
      userId,
      credentialId: credential.id,
      name: TEST_AUTHENTICATOR.name,
      signals: [{ signalName: "allAcceptedCredentials", rpID: "localhost", userID: userId, allAcceptedCredentialIDs: [credential.id] }],
    });
  });

  it("makes default names unique per user with (2), (3), and signals every enabled passkey", async () => {
    const { client, clock } = buildTestApp();
    const first = testKey();
    const started = await client.post("/registration/start", { username: freshName("sig"), displayName: "Sig" });
    const credential = first.createCredential(started.json.credentialCreationOptions, { origin: ORIGIN });
    expectOk(await client.post("/registration/finish", { sessionId: started.json.sessionId, publicKeyCredential: credential }), "sign-up");
    const tokens = await discoverableSignIn(client, first);
    clock.advance(1000);
    const second = await addPasskey(client, tokens.idToken, testKey());
    clock.advance(1000);
    const third = await addPasskey(client, tokens.idToken, testKey());
    clock.advance(1000);
    const other = await addPasskey(client, tokens.idToken, new SoftwareAuthenticator());
    expect([second.name, third.name, other.name]).toEqual([`${TEST_AUTHENTICATOR.name} (2)`, `${TEST_AUTHENTICATOR.name} (3)`, FALLBACK_AUTHENTICATOR_NAME]);
    expect(third.signals).toEqual([
      expect.objectContaining({ signalName: "allAcceptedCredentials", allAcceptedCredentialIDs: expect.arrayContaining([credential.id, second.credentialId, third.credentialId]) }),
    ]);
    const listed = await client.get("/credentials", bearer(tokens.idToken));
    expect(listed.json.credentials.map((c: { name: string }) => c.name)).toEqual([
      TEST_AUTHENTICATOR.name,
      `${TEST_AUTHENTICATOR.name} (2)`,
      `${TEST_AUTHENTICATOR.name} (3)`,
      FALLBACK_AUTHENTICATOR_NAME,
    ]);
  });
});

describe("HTTP API: a successful sign-in signals", () => {
  it("returns the tokens with allAcceptedCredentials (enabled passkeys only) and currentUserDetails", async () => {
    const { client, clock } = buildTestApp();
    const laptop = new SoftwareAuthenticator();
    const username = freshName("sigrid");
    const started = await client.post("/registration/start", { username, displayName: "Sigrid S." });
    const credential = laptop.createCredential(started.json.credentialCreationOptions, { origin: ORIGIN });
    const finished = await client.post("/registration/finish", { sessionId: started.json.sessionId, publicKeyCredential: credential });
    const userId = finished.json.userId;
    const tokens = await discoverableSignIn(client, laptop);
    clock.advance(1000);
    const spare = await addPasskey(client, tokens.idToken, new SoftwareAuthenticator());
    expectOk(await client.patch(`/credentials/${spare.credentialId}`, { enabled: false }, bearer(tokens.idToken)), "disable the spare");

    const again = await discoverableSignIn(client, laptop);
    expect(Object.keys(again).sort()).toEqual(["accessToken", "expiresIn", "idToken", "refreshToken", "signals", "tokenType"]);
    expect(again.signals).toEqual([
      { signalName: "allAcceptedCredentials", rpID: "localhost", userID: userId, allAcceptedCredentialIDs: [credential.id] },
      { signalName: "currentUserDetails", rpID: "localhost", userID: userId, userName: username, userDisplayName: "Sigrid S." },
    ]);
  });
});
