/**
 * The automatic passkey upgrade over HTTP (issue 14 point 4, ADR 0025): start-verified with
 * `"mediation": "conditional"`, a response without UP or UV, the passkey listed as made that way, and
 * a sign-in with it that still needs user verification. Runs on both storages (the api-dynamodb project).
 */
import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import type { PublicKeyCredentialCreationOptionsJSON, PublicKeyCredentialRequestOptionsJSON } from "../../../src/domain/encoding/webauthn-json.js";
import { SoftwareAuthenticator } from "../../support/software-authenticator.js";
import { bearer, buildTestApp, discoverableSignIn, expectOk, ORIGIN, signUp } from "./harness.js";

const NO_PROMPT = { flags: { up: false, uv: false } };

async function signedIn() {
  const test = buildTestApp();
  const authenticator = new SoftwareAuthenticator();
  const user = await signUp(test.client, authenticator, `upgrade-${randomUUID().slice(0, 8)}`);
  const tokens = await discoverableSignIn(test.client, authenticator);
  return { ...test, user, tokens };
}

describe("HTTP API: automatic passkey upgrade", () => {
  it("registers a passkey without UP or UV for a conditional start-verified, and lists it as conditional", async () => {
    const { client, clock, user, tokens } = await signedIn();
    // A second later, so that the list's order (oldest first) is the order of creation.
    clock.advance(1_000);
    const started = await client.post("/registration/start-verified", { mediation: "conditional" }, bearer(tokens.idToken));
    expectOk(started, "start-verified");
    const options = started.json.credentialCreationOptions as PublicKeyCredentialCreationOptionsJSON;
    expect(options.authenticatorSelection?.userVerification).toBe("preferred");
    const upgraded = new SoftwareAuthenticator();
    const credential = upgraded.createCredential(options, { origin: ORIGIN, tamper: NO_PROMPT });
    const finished = await client.post("/registration/finish", { sessionId: started.json.sessionId, publicKeyCredential: credential }, bearer(tokens.idToken));
    expectOk(finished, "finish");

    const listed = await client.get("/credentials", bearer(tokens.idToken));
    expect(listed.json.credentials.map((c: { credentialId: string; registrationMediation: string; userVerifiedAtRegistration: boolean }) => [c.credentialId, c.registrationMediation, c.userVerifiedAtRegistration])).toEqual([
      [user.credentialId, "modal", true],
      [credential.id, "conditional", false],
    ]);

    // Signing in with it: without user verification refused, with it tokens (discoverableSignIn takes the same steps, with UV).
    const unverified = await client.post("/authentication/discover", {});
    const assertion = upgraded.getAssertion(unverified.json.credentialRequestOptions as PublicKeyCredentialRequestOptionsJSON, { origin: ORIGIN, tamper: { flags: { uv: false } } });
    const startedSignIn = await client.post("/authentication/start", { userId: user.userId });
    const refused = await client.post("/authentication/finish", { session: startedSignIn.json.session, userId: user.userId, publicKeyCredential: assertion });
    expect({ status: refused.status, code: refused.json?.error?.code }).toEqual({ status: 401, code: "sign_in_failed" });
    expect((await discoverableSignIn(client, upgraded)).idToken).toEqual(expect.any(String));
  });

  it("refuses the same response for a start-verified without mediation with 400 user_not_present", async () => {
    const { client, tokens } = await signedIn();
    const started = await client.post("/registration/start-verified", {}, bearer(tokens.idToken));
    const credential = new SoftwareAuthenticator().createCredential(started.json.credentialCreationOptions, { origin: ORIGIN, tamper: NO_PROMPT });
    const finished = await client.post("/registration/finish", { sessionId: started.json.sessionId, publicKeyCredential: credential }, bearer(tokens.idToken));
    expect({ status: finished.status, code: finished.json?.error?.code }).toEqual({ status: 400, code: "user_not_present" });
  });

  it("refuses another mediation with 400 invalid_request, and a sign-up with any", async () => {
    const { client, tokens } = await signedIn();
    const other = await client.post("/registration/start-verified", { mediation: "silent" }, bearer(tokens.idToken));
    expect({ status: other.status, code: other.json?.error?.code }).toEqual({ status: 400, code: "invalid_request" });
    const signUpStart = await client.post("/registration/start", { username: `dana-${randomUUID().slice(0, 8)}`, displayName: "Dana", mediation: "conditional" });
    expect({ status: signUpStart.status, code: signUpStart.json?.error?.code }).toEqual({ status: 400, code: "invalid_request" });
  });
});
