/**
 * `keyport/http`: keyport's HTTP API (docs/api.md) as a Hono app, to serve on its own or to mount in an
 * existing Hono app (`app.route("/auth", createApp(…))`) on any runtime Hono runs on. `createApp` takes
 * the domain services its routes call, built by hand (`keyport`) or composed from the configuration
 * (`keyport/node`: `appDependencies(composeKeyport(config))`). Reaches no `node:*`, not even through
 * its types: `.dependency-cruiser.cjs` follows type-only imports too.
 */
export { createApp, type AppDependencies, type JwksProvider } from "../handlers/http/app.js";
export type { App, AppEnv } from "../handlers/http/context.js";
export { jsonLineLog, silentLog, type Log, type LogEntry, type LogLevel } from "../handlers/http/log.js";
