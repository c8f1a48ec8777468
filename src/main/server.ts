/**
 * keyport on a laptop: `npm start`. Reads the configuration once, composes keyport with the local
 * identity provider and in-memory storage, and serves the HTTP API and the demo page with
 * @hono/node-server. `startServer` does the same for tests and benchmarks (PORT=0: a free port).
 */
import { createDynamoDbClient } from "../adapters/dynamodb/dynamodb-client.js";
import { createTables } from "../adapters/dynamodb/dynamodb-tables.js";
import { realpathSync } from "node:fs";
import type { Server } from "node:http";
import { fileURLToPath, pathToFileURL } from "node:url";
import { serve } from "@hono/node-server";
import type { Container } from "inversify";
import { ConfigError, parseConfig } from "../composition/config.js";
import type { AdapterOverrides } from "../composition/container.js";
import { buildCognitoContainer } from "../composition/cognito.js";
import { buildLocalContainer } from "../composition/local.js";
import { createAppFromContainer } from "../handlers/http/container-app.js";
import { fileSystemStaticFiles } from "../handlers/http/file-system-static-files.js";
import { jsonLineLog, type Log } from "../handlers/http/log.js";

type Env = Readonly<Record<string, string | undefined>>;

export interface ServerOptions {
  /** Test doubles (a manual clock, say), passed to the container. */
  readonly overrides?: AdapterOverrides;
  /** Request and error logs; JSON lines on stdout by default. */
  readonly log?: Log;
  /** Serve the demo page from public/ (default true). */
  readonly serveStatic?: boolean;
  /** Interface to listen on; all interfaces by default. */
  readonly hostname?: string;
}

export interface RunningServer {
  /** http://localhost:<port> */
  readonly url: string;
  readonly port: number;
  /** The composed services, for tests and benchmarks that look behind the API. */
  readonly container: Container;
  /** Stops accepting connections and resolves once the open ones are done (idle ones are closed at once). */
  close(): Promise<void>;
}

/** Connections still busy this long after close() are cut. */
const SHUTDOWN_GRACE_MS = 5_000;

/**
 * Starts keyport on `env`'s configuration. `PORT=0` asks for a free port (parseConfig accepts 1–65535
 * only, so it is read as unset there): then give ALLOWED_ORIGINS explicitly, since its default names PORT.
 * Throws ConfigError for a bad configuration.
 */
export async function startServer(env: Env = process.env, options: ServerOptions = {}): Promise<RunningServer> {
  const ephemeral = env.PORT === "0";
  const config = parseConfig(ephemeral ? { ...env, PORT: undefined } : env);
  // Against DynamoDB Local (an explicit endpoint) keyport makes its own tables; on AWS the deployment does.
  if (config.dynamoDb?.endpoint != null) {
    await createTables(createDynamoDbClient({ endpoint: config.dynamoDb.endpoint }), config.dynamoDb);
  }
  const container =
    config.identityProvider === "cognito" ? buildCognitoContainer(config, options.overrides) : buildLocalContainer(config, options.overrides);
  const root = new URL("../../", import.meta.url);
  const app = createAppFromContainer(container, {
    log: options.log ?? jsonLineLog(),
    staticFiles:
      options.serveStatic === false
        ? undefined
        : fileSystemStaticFiles({ publicDir: fileURLToPath(new URL("public/", root)), nodeModulesDir: fileURLToPath(new URL("node_modules/", root)) }),
  });

  const server = await new Promise<Server>((resolvePromise, reject) => {
    const started = serve({ fetch: app.fetch, port: ephemeral ? 0 : config.port, hostname: options.hostname }, () =>
      resolvePromise(started as Server),
    ) as Server;
    started.once("error", reject);
  });
  const address = server.address();
  const port = typeof address === "object" && address !== null ? address.port : config.port;

  let closing: Promise<void> | undefined;
  const close = (): Promise<void> => {
    closing ??= new Promise<void>((resolveClose, reject) => {
      const cut = setTimeout(() => server.closeAllConnections(), SHUTDOWN_GRACE_MS);
      cut.unref();
      server.close((fault) => {
        clearTimeout(cut);
        if (fault) reject(fault);
        else resolveClose();
      });
      server.closeIdleConnections();
    });
    return closing;
  };

  return { url: `http://localhost:${port}`, port, container, close };
}

async function main(): Promise<void> {
  const log = jsonLineLog();
  let running: RunningServer;
  try {
    running = await startServer(process.env, { log });
  } catch (fault) {
    const message = fault instanceof ConfigError || fault instanceof Error ? fault.message : String(fault);
    console.error(`keyport: ${message}`);
    process.exit(1);
  }
  console.log(`keyport listening on ${running.url}`);
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

/** True when this file is the program (`tsx src/main/server.ts`), not an import. */
function isEntryPoint(): boolean {
  const entry = process.argv[1];
  if (entry === undefined) return false;
  try {
    return pathToFileURL(realpathSync(entry)).href === import.meta.url;
  } catch {
    return false;
  }
}

if (isEntryPoint()) void main();
