/** Sign-in with a passkey (discoverable or for a named user), and refreshing the tokens it gave. */
import { fail, reply, type App, type RouteTable } from "../context.js";
import { decodeFields } from "../decode.js";
import type { AppDependencies } from "../dependencies.js";
import { jsonBody } from "../middleware/json-body.js";

export function authenticationRoutes(app: App, routes: RouteTable, deps: Pick<AppDependencies, "signIn">): void {
  const { signIn } = deps;

  app.post(routes.add("/authentication/discover", "POST", "OPTIONS"), jsonBody, async (c) => {
    return c.json({ credentialRequestOptions: await signIn.discover() }, 200);
  });

  app.post(routes.add("/authentication/start", "POST", "OPTIONS"), jsonBody, async (c) => {
    const input = decodeFields(c.get("body"), { userId: "string" });
    if (!input.ok) return fail(c, input.error.code, input.error.message);
    const started = await signIn.start(input.value.userId);
    return reply(c, started, (s) => ({ session: s.session, credentialRequestOptions: s.credentialRequestOptions }));
  });

  app.post(routes.add("/authentication/finish", "POST", "OPTIONS"), jsonBody, async (c) => {
    const input = decodeFields(c.get("body"), { session: "string", userId: "string", publicKeyCredential: "object" });
    if (!input.ok) return fail(c, input.error.code, input.error.message);
    const { session, userId, publicKeyCredential } = input.value;
    const tokens = await signIn.finish(session, userId, publicKeyCredential);
    return reply(c, tokens, (t) => ({
      accessToken: t.accessToken,
      idToken: t.idToken,
      refreshToken: t.refreshToken,
      expiresIn: t.expiresIn,
      tokenType: t.tokenType,
    }));
  });

  app.post(routes.add("/authentication/refresh", "POST", "OPTIONS"), jsonBody, async (c) => {
    const input = decodeFields(c.get("body"), { refreshToken: "string", userId: "string?" });
    if (!input.ok) return fail(c, input.error.code, input.error.message);
    const refreshed = await signIn.refresh(input.value.refreshToken, input.value.userId);
    // A provider that rotates refresh tokens returns the new one, and the one sent is spent: hand it on.
    return reply(c, refreshed, (t) => ({
      accessToken: t.accessToken,
      idToken: t.idToken,
      ...(t.refreshToken === undefined ? {} : { refreshToken: t.refreshToken }),
      expiresIn: t.expiresIn,
      tokenType: t.tokenType,
    }));
  });
}
