/**
 * The HTTP API behind API Gateway (HTTP API, payload format 2.0): the very Hono app the local server
 * runs, without the demo page, adapted by `hono/aws-lambda`. The app masks its own failures; this
 * masks the rest (an event hono cannot read, an app that could not be built) the same way: 500
 * `internal_error` with a reference, and the details in the log under it.
 */
import { handle, type LambdaContext, type LambdaEvent } from "hono/aws-lambda";
import { jsonLineLog, type Log } from "../http/log.js";
import { createApp, type AppDependencies } from "../http/app.js";
import { logFault } from "./shell.js";

/** API Gateway's HTTP API event, payload format 2.0 (the one member of hono's union with a `routeKey`). */
export type ApiGatewayV2Event = Extract<LambdaEvent, { routeKey: string }>;

export interface ApiGatewayV2Result {
  readonly statusCode: number;
  readonly headers: Readonly<Record<string, string | string[]>>;
  readonly body: string;
  readonly isBase64Encoded: boolean;
  readonly cookies?: string[];
}

export type HttpApiHandler = (event: ApiGatewayV2Event, context?: LambdaContext) => Promise<ApiGatewayV2Result>;

/** A handler over the app's dependencies; the app is built once, when they are ready. */
export function createHttpApiHandler(deps: AppDependencies | Promise<AppDependencies>, options: { readonly log?: Log } = {}): HttpApiHandler {
  const log = options.log ?? jsonLineLog();
  const ready = Promise.resolve(deps).then((composed) => handle(createApp({ ...composed, log })));
  // Observed by every invocation; without this a failed build would also be an unhandled rejection.
  ready.catch(() => {});
  return async (event, context) => {
    try {
      const serve = await ready;
      return await serve(event, context);
    } catch (fault) {
      const correlationId = crypto.randomUUID();
      logFault(log, correlationId, fault, { awsRequestId: context?.awsRequestId });
      return internalError(correlationId);
    }
  };
}

/** The app's own `internal_error` answer (errors.ts), with its headers. */
function internalError(correlationId: string): ApiGatewayV2Result {
  return {
    statusCode: 500,
    headers: {
      "content-type": "application/json",
      "cache-control": "no-store",
      "content-security-policy": "default-src 'none'; frame-ancestors 'none'",
      "x-content-type-options": "nosniff",
      "x-correlation-id": correlationId,
    },
    body: JSON.stringify({ error: { code: "internal_error", message: `Something went wrong on our side (reference ${correlationId}).` } }),
    isBase64Encoded: false,
  };
}
