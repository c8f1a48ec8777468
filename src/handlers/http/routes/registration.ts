/** Registration: a new user's first passkey, or another passkey for a user the ID token names. */
import { fail, reply, type App, type RouteTable } from "../context.js";
import { decodeFields } from "../decode.js";
import type { AppDependencies } from "../dependencies.js";
import { idToken, optionalIdToken } from "../middleware/id-token.js";
import { jsonBody } from "../middleware/json-body.js";

export function registrationRoutes(app: App, routes: RouteTable, deps: Pick<AppDependencies, "registration" | "identityProvider">): void {
  const { registration } = deps;

  app.post(routes.add("/registration/start", "POST", "OPTIONS"), jsonBody, async (c) => {
    const input = decodeFields(c.get("body"), { username: "string", displayName: "string" });
    if (!input.ok) return fail(c, input.error.code, input.error.message);
    const started = await registration.startForNewUser(input.value, c.get("requestContext"));
    return reply(c, started, (s) => ({ sessionId: s.sessionId, credentialCreationOptions: s.options }));
  });

  app.post(routes.add("/registration/start-verified", "POST", "OPTIONS"), idToken(deps.identityProvider), jsonBody, async (c) => {
    const input = decodeFields(c.get("body"), { username: "string?", displayName: "string?" });
    if (!input.ok) return fail(c, input.error.code, input.error.message);
    const started = await registration.startForExistingUser(c.get("identity"), input.value, c.get("requestContext"));
    return reply(c, started, (s) => ({ sessionId: s.sessionId, credentialCreationOptions: s.options }));
  });

  // A sign-up needs no token; finishing a passkey a signed-in user started needs theirs (the domain checks whose).
  app.post(routes.add("/registration/finish", "POST", "OPTIONS"), optionalIdToken(deps.identityProvider), jsonBody, async (c) => {
    const input = decodeFields(c.get("body"), { sessionId: "string", publicKeyCredential: "object" });
    if (!input.ok) return fail(c, input.error.code, input.error.message);
    const finished = await registration.finish(input.value.sessionId, input.value.publicKeyCredential, c.get("identity") ?? null, c.get("requestContext"));
    return reply(c, finished, (r) => ({ userId: r.userHandle, credentialId: r.credentialId, name: r.name, signals: r.signals }));
  });
}
