/**
 * The HTTP API behind API Gateway (HTTP API, payload format 2.0): the very Hono app the local server
 * runs, without the demo page, adapted by `hono/aws-lambda`. The app masks its own failures; this
 * masks the rest (an event hono cannot read, an app that could not be built) with the same answer
 * (fault.ts): a reference in the body, the details in the log under it.
 *
 * `hono/aws-lambda` is deprecated in favour of `@hono/aws-lambda`, which is not on the npm registry
 * yet; this is the one import to change when it is.
 */
import { getConnInfo, handle, type LambdaContext, type LambdaEvent } from "hono/aws-lambda";
import { createApp, type AppDependencies } from "../http/app.js";
import { faultResponse, reportFault } from "../http/fault.js";
import { jsonLineLog, type Log } from "../http/log.js";

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
  // The client's address is the event's (`requestContext.http.sourceIp`), as API Gateway saw it.
  const ready = Promise.resolve(deps).then((composed) => handle(createApp({ connInfo: getConnInfo, ...composed, log })));
  // Observed by every invocation; without this a failed build would also be an unhandled rejection.
  ready.catch(() => {});
  return async (event, context) => {
    try {
      const serve = await ready;
      return await serve(event, context);
    } catch (fault) {
      const correlationId = crypto.randomUUID();
      const { status, headers, body } = faultResponse(reportFault(log, correlationId, fault, { awsRequestId: context?.awsRequestId }), correlationId);
      return { statusCode: status, headers, body: JSON.stringify(body), isBase64Encoded: false };
    }
  };
}
