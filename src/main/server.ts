/**
 * `npm start`: keyport on a laptop (src/composition/local-server.ts), on this process's environment,
 * until SIGINT or SIGTERM. Says where it listens and, with the local identity provider, the user pool
 * and app client ids that Cognito clients (the AWS SDK, Amplify) are configured with.
 */
import { startServer, type RunningServer } from "../composition/local-server.js";
import { jsonLineLog } from "../handlers/http/log.js";

async function main(): Promise<void> {
  const log = jsonLineLog();
  let running: RunningServer;
  try {
    running = await startServer(process.env, { log });
  } catch (fault) {
    const message = fault instanceof Error ? fault.message : String(fault);
    console.error(`keyport: ${message}`);
    process.exit(1);
  }
  console.log(`keyport listening on ${running.url} (${running.setup})`);
  const cognitoApi = running.cognitoApi;
  if (cognitoApi !== null) console.log(`Cognito API: POST / (user pool ${cognitoApi.userPoolId}, app client ${cognitoApi.clientId})`);
  const shutdown = (signal: NodeJS.Signals): void => {
    log({ level: "info", event: "shutdown", signal });
    running.close().then(
      () => process.exit(0),
      (fault: unknown) => {
        log({ level: "error", event: "shutdown_failed", message: fault instanceof Error ? fault.message : String(fault) });
        process.exit(1);
      },
    );
  };
  process.once("SIGINT", shutdown);
  process.once("SIGTERM", shutdown);
}

// Nothing imports an entry point (the only-entry-points-are-entry-points rule), so this always runs as the program.
void main();
