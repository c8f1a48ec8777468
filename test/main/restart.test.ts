/**
 * A restart of `npm start` on STORAGE=dynamodb (issue 10 item 4): a passkey registered before the
 * restart signs in after it, because the local identity provider keeps its users in the configured
 * storage, and its refresh grants there too (issue 14), so a refresh token from before the restart
 * still refreshes. What the provider keeps in memory is lost, as the README says: tokens signed with the
 * old key no longer verify. Two servers in turn on the same tables of
 * the run's DynamoDB Local, as two runs of `npm start` would be.
 */
import { randomBytes } from "node:crypto";
import { DeleteTableCommand } from "@aws-sdk/client-dynamodb";
import { afterAll, describe, expect, inject, it } from "vitest";
import { startServer, type RunningServer } from "../../src/composition/local-server.js";
import { silentLog } from "../../src/handlers/http/log.js";
import { localClient } from "../support/dynamodb-local.js";
import { SoftwareAuthenticator } from "../support/software-authenticator.js";
import { decodeJwt } from "../support/kit.js";
import { ApiClient, discoverableSignIn, signUp, TEST_ENV, usernameFirstSignIn } from "../handlers/http/harness.js";
import type {} from "../support/dynamodb-global-setup.js";

const endpoint = inject("dynamoDbEndpoint");
const suffix = randomBytes(6).toString("hex");
const ENV = {
  ...TEST_ENV,
  STORAGE: "dynamodb",
  DYNAMODB_ENDPOINT: endpoint ?? "",
  SESSION_TABLE: `keyport-restart-sessions-${suffix}`,
  CREDENTIAL_TABLE: `keyport-restart-credentials-${suffix}`,
  EVENT_TABLE: `keyport-restart-events-${suffix}`,
  PORT: "0",
};

const running = new Set<RunningServer>();

/** `npm start` on the shared tables (startServer creates them on the first start). */
async function start(): Promise<{ server: RunningServer; client: ApiClient }> {
  const server = await startServer(ENV, { log: silentLog, serveStatic: false });
  running.add(server);
  return { server, client: new ApiClient((path, init) => fetch(`${server.url}${path}`, init)) };
}

async function stop(server: RunningServer): Promise<void> {
  await server.close();
  running.delete(server);
}

afterAll(async () => {
  await Promise.all([...running].map((server) => server.close()));
  if (endpoint === undefined) return;
  const client = localClient(endpoint);
  try {
    await Promise.all([ENV.SESSION_TABLE, ENV.CREDENTIAL_TABLE, ENV.EVENT_TABLE].map((TableName) => client.send(new DeleteTableCommand({ TableName })).catch(() => undefined)));
  } finally {
    client.destroy();
  }
}, 60_000);

describe.skipIf(endpoint === undefined)("npm start on DynamoDB, restarted", () => {
  it("says which storage and identity provider it runs on", async () => {
    const { server } = await start();
    try {
      expect(server.setup).toBe(`storage: dynamodb at ${endpoint}, identity provider: local`);
    } finally {
      await stop(server);
    }
  });

  it("signs in with a passkey registered before the restart, as the same user, and refreshes with an old refresh token; the old signing key is gone", async () => {
    const authenticator = new SoftwareAuthenticator();
    const first = await start();
    const { userId } = await signUp(first.client, authenticator, "ada");
    const before = await discoverableSignIn(first.client, authenticator);
    await stop(first.server);

    const second = await start();
    const after = await discoverableSignIn(second.client, authenticator);
    const usernameFirst = await usernameFirstSignIn(second.client, authenticator, userId);

    const claims = decodeJwt(after.idToken).payload;
    expect(claims).toMatchObject({ "cognito:username": userId, preferred_username: "ada", sub: decodeJwt(before.idToken).payload.sub });
    expect(decodeJwt(usernameFirst.idToken).payload.sub).toBe(claims.sub);

    // The signing key lived in the first process; the refresh grant lives in DynamoDB.
    const oldToken = await second.client.post("/registration/start-verified", {}, { Authorization: `Bearer ${before.idToken}` });
    expect({ status: oldToken.status, code: oldToken.json.error.code }).toEqual({ status: 401, code: "token_signature_invalid" });
    const oldRefresh = await second.client.post("/authentication/refresh", { refreshToken: before.refreshToken });
    expect(oldRefresh.status).toBe(200);
    expect(decodeJwt(oldRefresh.json.idToken).payload).toMatchObject({ sub: claims.sub });
    // Rotated: the token given is spent, the new one refreshes.
    const spent = await second.client.post("/authentication/refresh", { refreshToken: before.refreshToken });
    expect({ status: spent.status, code: spent.json.error.code }).toEqual({ status: 401, code: "refresh_token_invalid" });
    const rotated = await second.client.post("/authentication/refresh", { refreshToken: oldRefresh.json.refreshToken });
    expect(rotated.status).toBe(200);
    await stop(second.server);
  });
});
