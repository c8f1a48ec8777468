/**
 * The local Cognito API as `npm start` offers it: the start-up line names the pool and app client an
 * app configures its Cognito client with (LOCAL_USER_POOL_ID, LOCAL_CLIENT_ID), the API answers at the
 * server's root beside the demo page, and with IDENTITY_PROVIDER=cognito there is none (Cognito answers).
 */
import { spawn } from "node:child_process";
import { createServer } from "node:net";
import { fileURLToPath } from "node:url";
import { SignUpCommand } from "@aws-sdk/client-cognito-identity-provider";
import { describe, expect, it } from "vitest";
import { startServer } from "../../src/composition/local-server.js";
import { silentLog } from "../../src/handlers/http/log.js";
import { TEST_ENV } from "../handlers/http/harness.js";
import { PASSWORD, sdkClient, uniqueUsername } from "./cognito-api-support.js";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once("error", reject);
    probe.listen(0, () => {
      const address = probe.address();
      const port = typeof address === "object" && address !== null ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}

describe("npm start's Cognito API", () => {
  it("prints the user pool and app client ids at start-up, and answers the AWS SDK at its root", async () => {
    const port = await freePort();
    const child = spawn(process.execPath, [fileURLToPath(new URL("node_modules/tsx/dist/cli.mjs", `file://${ROOT}`)), "src/main/server.ts"], {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? "", PORT: String(port), LOCAL_USER_POOL_ID: "eu-west-1_myapp", LOCAL_CLIENT_ID: "myappclient" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.on("exit", resolve));
    try {
      for (let waited = 0; !stdout.includes("Cognito API") && waited < 20_000; waited += 50) await new Promise((r) => setTimeout(r, 50));
      expect(stdout).toContain(`keyport listening on http://localhost:${port} (storage: memory, identity provider: local)\nCognito API: POST / (user pool eu-west-1_myapp, app client myappclient)\n`);
      const sdk = sdkClient(`http://localhost:${port}`);
      try {
        const signedUp = await sdk.send(new SignUpCommand({ ClientId: "myappclient", Username: uniqueUsername("ada"), Password: PASSWORD }));
        expect(signedUp.UserConfirmed).toBe(true);
      } finally {
        sdk.destroy();
      }
    } finally {
      // How `npm start` stops is server.test.ts's business; here it only has to stop.
      child.kill("SIGTERM");
      await exited;
    }
    // The request log says which operation was asked, never what was sent.
    const line = stdout.split("\n").find((entry) => entry.includes('"operation":"SignUp"'));
    expect(JSON.parse(line ?? "{}")).toMatchObject({ event: "http_request", method: "POST", path: "/", operation: "SignUp", status: 200 });
    expect(stdout).not.toContain(PASSWORD);
  });

  it("offers no Cognito API when keyport runs on a real Cognito pool", async () => {
    const server = await startServer(
      { ...TEST_ENV, PORT: "0", IDENTITY_PROVIDER: "cognito", AWS_REGION: "eu-west-1", COGNITO_USER_POOL_ID: "eu-west-1_Example", COGNITO_CLIENT_ID: "exampleclientid" },
      { log: silentLog, serveStatic: false },
    );
    try {
      expect(server.cognitoApi).toBeNull();
      const response = await fetch(`${server.url}/`, {
        method: "POST",
        headers: { "Content-Type": "application/x-amz-json-1.1", "X-Amz-Target": "AWSCognitoIdentityProviderService.SignUp" },
        body: "{}",
      });
      expect(response.status).toBe(404);
      expect(await response.json()).toMatchObject({ error: { code: "not_found" } });
    } finally {
      await server.close();
    }
  });
});
