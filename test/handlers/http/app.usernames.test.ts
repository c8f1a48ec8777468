/**
 * Unique usernames over HTTP (ADR 0017): a username another user has, compared by its canonical form,
 * is 409 username_taken at /registration/start, and two sign-ups racing for one username end with
 * exactly one account. Runs on both storages (the api-dynamodb project), where the tests of this file
 * share one table: each test takes a username of its own.
 */
import { randomInt } from "node:crypto";
import { describe, expect, it } from "vitest";
import { SoftwareAuthenticator } from "../../support/software-authenticator.js";
import { buildTestApp, discoverableSignIn, expectOk, ORIGIN, signUp, type ApiClient, type ApiResponse } from "./harness.js";

/** "erin" and eight random digits: unique in the shared table, and the same in any letter case. */
const freshName = (stem: string): string => `${stem}${randomInt(10 ** 8).toString().padStart(8, "0")}`;

/** Fullwidth forms of ASCII letters and digits ("ａ" for "a"), which the width mapping undoes. */
const fullwidth = (text: string): string => Array.from(text, (ch) => String.fromCodePoint(ch.codePointAt(0)! + 0xfee0)).join("");

function expectError(response: ApiResponse, status: number, code: string): void {
  expect({ status: response.status, code: response.json?.error?.code }).toEqual({ status, code });
}

async function startedSignUp(client: ApiClient, username: string) {
  const started = await client.post("/registration/start", { username, displayName: "Erin" });
  expectOk(started, `registration/start ${username}`);
  const authenticator = new SoftwareAuthenticator();
  const credential = authenticator.createCredential(started.json.credentialCreationOptions, { origin: ORIGIN });
  return { authenticator, finish: () => client.post("/registration/finish", { sessionId: started.json.sessionId, publicKeyCredential: credential }) };
}

describe("HTTP API: unique usernames", () => {
  it("answers 409 username_taken at start for a username another user has in any case or width", async () => {
    const { client } = buildTestApp();
    const name = freshName("erin");
    await signUp(client, new SoftwareAuthenticator(), name);

    for (const rival of [name.toUpperCase(), fullwidth(name), `E${name.slice(1)}`]) {
      const response = await client.post("/registration/start", { username: rival, displayName: "Another Erin" });
      expectError(response, 409, "username_taken");
      expect(response.json.error.message).toMatch(/username is taken/);
    }
  });

  it("lets exactly one of two sign-ups with one username, finished at once, through: one 200, one 409 username_taken", async () => {
    const { client } = buildTestApp();
    const name = freshName("erin");
    const first = await startedSignUp(client, name);
    const second = await startedSignUp(client, name.toUpperCase());

    const responses = await Promise.all([first.finish(), second.finish()]);

    expect(responses.map((r) => r.status).sort()).toEqual([200, 409]);
    const loser = responses.find((r) => r.status !== 200);
    expect(loser?.json.error.code).toBe("username_taken");
    // One account: the name stays taken, and only the winner's passkey signs in.
    expectError(await client.post("/registration/start", { username: name, displayName: "Erin" }), 409, "username_taken");
    const winner = responses[0]?.status === 200 ? first : second;
    const tokens = await discoverableSignIn(client, winner.authenticator);
    expect(tokens.idToken).toBeTruthy();
  });

  it("answers 409 username_taken at start-verified for a signed-in user who picks a taken username", async () => {
    const { client, identityProvider } = buildTestApp();
    const name = freshName("erin");
    await signUp(client, new SoftwareAuthenticator(), name);
    const tokens = await identityProvider.createUserWithTokens(`${freshName("grace")}@example.com`, { name: "Grace" });

    const taken = await client.post("/registration/start-verified", { username: name.toUpperCase() }, { Authorization: `Bearer ${tokens.idToken}` });
    expectError(taken, 409, "username_taken");
    expectOk(await client.post("/registration/start-verified", { username: freshName("grace") }, { Authorization: `Bearer ${tokens.idToken}` }), "a free username");
  });
});
