/**
 * keyport on a laptop: the local server's composition. Reads the configuration once, composes keyport
 * in the inversify container (with the identity provider and storage the configuration names), and
 * serves the HTTP API, the demo page and, with the local identity provider, Amazon Cognito's own API
 * at `POST /` (the local user pool) with @hono/node-server. `npm start` (src/main/server.ts) runs
 * it; tests and benchmarks call `startServer` themselves (PORT=0: a free port).
 */
import { createDynamoDbClient } from "../adapters/dynamodb/dynamodb-client.js";
import { createTables } from "../adapters/dynamodb/dynamodb-tables.js";
import type { Server } from "node:http";
import { fileURLToPath } from "node:url";
import { serve } from "@hono/node-server";
import { getConnInfo } from "@hono/node-server/conninfo";
import type { Container } from "inversify";
import { createApp } from "../handlers/http/app.js";
import { ConfigError, parseConfig, type KeyportConfig } from "./config.js";
import { appDependenciesFromContainer, buildContainer, resolve, Tokens } from "./container.js";
import type { AdapterOverrides } from "./services.js";
import { fileSystemStaticFiles } from "../handlers/http/file-system-static-files.js";
import { jsonLineLog, type Log } from "../handlers/http/log.js";
import { demoPageSettings } from "./demo-page.js";

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
  /** What it runs on, for the start-up line: "storage: dynamodb at http://localhost:8000, identity provider: local". */
  readonly setup: string;
  /**
   * The local user pool that answers Cognito's API at `POST /` (its id and its app client's, as an app
   * configures its Cognito client with them); null with IDENTITY_PROVIDER=cognito, where Cognito answers.
   */
  readonly cognitoApi: { readonly userPoolId: string; readonly clientId: string } | null;
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
export async function startServer(env: Env, options: ServerOptions = {}): Promise<RunningServer> {
  const ephemeral = env.PORT === "0";
  const config = parseConfig(ephemeral ? { ...env, PORT: undefined } : env);
  // Against DynamoDB Local (an explicit endpoint) keyport makes its own tables; on AWS the deployment does.
  if (config.dynamoDb?.endpoint != null) {
    await createTables(createDynamoDbClient({ endpoint: config.dynamoDb.endpoint }), config.dynamoDb);
  }
  const log = options.log ?? jsonLineLog();
  // One log for the requests and for what the services report (a security event the store could not keep).
  const container = buildContainer(config, { log, ...options.overrides });
  // FIDO metadata is read before serving: a BLOB that does not verify stops start-up, not a registration.
  const metadata = resolve(container, Tokens.authenticatorMetadata);
  if (metadata !== null) {
    try {
      await metadata.ready();
    } catch (fault) {
      throw new ConfigError(config.metadata?.source === "s3" ? "MDS_S3_URI" : "MDS_BLOB", fault instanceof Error ? fault.message : String(fault));
    }
  }
  const root = new URL("../../", import.meta.url);
  // Cognito's API played by the local identity provider; against a real pool, the pool answers it.
  const userPool = config.identityProvider === "local" ? resolve(container, Tokens.userPool) : undefined;
  const app = createApp(appDependenciesFromContainer(container, {
    log,
    userPool,
    // The client's address, for security events: the socket's remote end.
    connInfo: getConnInfo,
    staticFiles:
      options.serveStatic === false
        ? undefined
        : fileSystemStaticFiles({
            publicDir: fileURLToPath(new URL("public/", root)),
            nodeModulesDir: fileURLToPath(new URL("node_modules/", root)),
            page: demoPageSettings(config),
          }),
  }));

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

  const cognitoApi = userPool === undefined ? null : { userPoolId: userPool.userPoolId, clientId: userPool.clientId };
  return { url: `http://localhost:${port}`, port, setup: describeSetup(config), cognitoApi, container, close };
}

/** The storage and the identity provider in use, in words: "storage: memory, identity provider: local". */
export function describeSetup(config: KeyportConfig): string {
  const dynamoDb = config.dynamoDb;
  const storage = dynamoDb === null ? "memory" : `dynamodb ${dynamoDb.endpoint === null ? "on AWS" : `at ${dynamoDb.endpoint}`}`;
  return `storage: ${storage}, identity provider: ${config.identityProvider}`;
}
