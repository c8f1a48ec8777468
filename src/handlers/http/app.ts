/**
 * keyport's HTTP API as one Hono app, served by the local server (src/main/server.ts) and, through
 * `hono/aws-lambda`, by the Lambda behind API Gateway. This file assembles it: the middleware (request
 * context, request log, safety headers, CORS), the routes (routes/*.ts; each a shell that decodes the
 * body, calls one domain method and maps the result), Cognito's own API at `POST /` when the local
 * server gives its user pool (../cognito-api, which answers in Cognito's shapes), and the answers for
 * what matches no route and for faults. Expected failures answer `{"error": {"code", "message"}}` with
 * the status of the table in errors.ts; anything else is answered by fault.ts. Reference: docs/api.md.
 */
import { Hono } from "hono";
import { HTTPException } from "hono/http-exception";
import { fail, RouteTable, type App, type AppEnv } from "./context.js";
import type { AppDependencies } from "./dependencies.js";
import { faultResponse, reportFault } from "./fault.js";
import { jsonLineLog } from "./log.js";
import { cognitoApiRoutes, COGNITO_API_PATH } from "../cognito-api/routes.js";
import { API_PREFIXES, apiCors, cognitoApiCors } from "./middleware/cors.js";
import { requestContext } from "./middleware/request-context.js";
import { requestLog } from "./middleware/request-log.js";
import { securityHeaders } from "./middleware/security-headers.js";
import { accountRoutes } from "./routes/account.js";
import { authenticationRoutes } from "./routes/authentication.js";
import { credentialRoutes } from "./routes/credentials.js";
import { eventRoutes } from "./routes/events.js";
import { registrationRoutes } from "./routes/registration.js";
import { wellKnownRoutes } from "./routes/well-known.js";

export type { AppDependencies, JwksProvider } from "./dependencies.js";

export function createApp(deps: AppDependencies): App {
  const log = deps.log ?? jsonLineLog();
  const app = new Hono<AppEnv>();
  const routes = new RouteTable();

  // Outermost first: the log line sees the final status, the headers land on every answer, errors included.
  app.use("*", requestContext(log, deps.connInfo), requestLog((path) => routes.loggedPath(path)), securityHeaders);
  const cors = apiCors(deps.allowedOrigins);
  for (const prefix of API_PREFIXES) app.use(prefix, cors);
  if (deps.userPool !== undefined) app.use(COGNITO_API_PATH, cognitoApiCors(deps.allowedOrigins));

  registrationRoutes(app, routes, deps);
  authenticationRoutes(app, routes, deps);
  credentialRoutes(app, routes, deps);
  accountRoutes(app, routes, deps);
  eventRoutes(app, routes, deps);
  wellKnownRoutes(app, routes, deps);
  if (deps.userPool !== undefined) cognitoApiRoutes(app, routes, { userPool: deps.userPool });

  app.notFound((c) => {
    const methods = routes.methodsOf(c.req.path);
    if (methods === undefined) return fail(c, "not_found");
    c.header("Allow", methods.join(", "));
    return fail(c, "method_not_allowed");
  });

  app.onError((fault, c) => {
    // hono's own middleware reports client errors as HTTPException; only the size limit is used here.
    if (fault instanceof HTTPException && fault.status === 413) return fail(c, "payload_too_large");
    const correlationId = c.get("correlationId");
    const { status, body } = faultResponse(reportFault(log, correlationId, fault), correlationId);
    c.set("errorCode", body.error.code);
    // The headers come from the middleware, as on every answer.
    return c.json(body, status);
  });

  return app;
}
