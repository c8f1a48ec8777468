/** A bare app with the request context the middleware would set, for testing route modules alone. */
import { Hono } from "hono";
import type { RequestContext } from "../../../../src/domain/activity/security-events.js";
import { RouteTable, type App, type AppEnv } from "../../../../src/handlers/http/context.js";

/** The context every request of a bare app has: what the routes must hand to the domain as it is. */
export const TEST_REQUEST_CONTEXT: RequestContext = { sourceIp: "203.0.113.9", userAgent: "route-test/1.0", correlationId: "test-correlation" };

export function bareApp(register: (app: App, routes: RouteTable) => void) {
  const app = new Hono<AppEnv>();
  const routes = new RouteTable();
  app.use("*", async (c, next) => {
    c.set("correlationId", "test-correlation");
    c.set("log", () => {});
    c.set("requestContext", TEST_REQUEST_CONTEXT);
    await next();
  });
  register(app, routes);
  const post = async (path: string, body: unknown, headers: Record<string, string> = {}) => {
    const response = await app.request(path, { method: "POST", headers: { "content-type": "application/json", ...headers }, body: JSON.stringify(body) });
    return { status: response.status, json: (await response.json()) as Record<string, unknown> };
  };
  return { app, routes, post };
}

export const unused = (): never => {
  throw new Error("not used by this test");
};
