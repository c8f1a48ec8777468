import { describe, expect, it } from "vitest";
import { SoftwareAuthenticator } from "../../support/software-authenticator.js";
import { buildTestApp, expectOk, ORIGIN, signUp } from "./harness.js";

const RACERS = 20;

describe("HTTP API: racing requests with the same proof", () => {
  it(`${RACERS} concurrent /registration/finish with one valid response register it exactly once`, async () => {
    const { client } = buildTestApp();
    const started = await client.post("/registration/start", { username: "racer", displayName: "Racer" });
    expectOk(started, "start");
    const credential = new SoftwareAuthenticator().createCredential(started.json.credentialCreationOptions, { origin: ORIGIN });
    const body = { sessionId: started.json.sessionId, publicKeyCredential: credential };

    const responses = await Promise.all(Array.from({ length: RACERS }, () => client.post("/registration/finish", body)));

    expect(responses.filter((r) => r.status === 200)).toHaveLength(1);
    const losers = responses.filter((r) => r.status !== 200);
    expect(new Set(losers.map((r) => `${r.status} ${r.json.error.code}`))).toEqual(new Set(["400 session_not_found"]));
  });

  it(`${RACERS} concurrent /authentication/finish with one assertion sign in exactly once`, async () => {
    const { client } = buildTestApp();
    const authenticator = new SoftwareAuthenticator();
    const user = await signUp(client, authenticator, "sprinter");
    const started = await client.post("/authentication/start", { userId: user.userId });
    const assertion = authenticator.getAssertion(started.json.credentialRequestOptions, { origin: ORIGIN });
    const body = { session: started.json.session, userId: user.userId, publicKeyCredential: assertion };

    const responses = await Promise.all(Array.from({ length: RACERS }, () => client.post("/authentication/finish", body)));

    expect(responses.filter((r) => r.status === 200)).toHaveLength(1);
    expect(responses.filter((r) => r.status !== 200).every((r) => r.status === 401)).toBe(true);
  });

  it(`${RACERS} concurrent /authentication/finish with one assertion, each in its own session, sign in exactly once`, async () => {
    const { client } = buildTestApp();
    const authenticator = new SoftwareAuthenticator();
    const user = await signUp(client, authenticator, "relay");
    const discovered = await client.post("/authentication/discover", {});
    const assertion = authenticator.getAssertion(discovered.json.credentialRequestOptions, { origin: ORIGIN });
    const sessions = await Promise.all(Array.from({ length: RACERS }, () => client.post("/authentication/start", { userId: user.userId })));

    const responses = await Promise.all(
      sessions.map((s) => client.post("/authentication/finish", { session: s.json.session, userId: user.userId, publicKeyCredential: assertion })),
    );

    expect(responses.filter((r) => r.status === 200)).toHaveLength(1);
    expect(responses.filter((r) => r.status !== 200).map((r) => r.json.error.code)).toEqual(Array(RACERS - 1).fill("sign_in_failed"));
  });
});
