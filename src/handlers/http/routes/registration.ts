/** Registration: a new user's first passkey, or another passkey for a user the ID token names. */
import { fail, reply, type App, type RouteTable } from "../context.js";
import { decodeFields, type JsonObject } from "../decode.js";
import type { AppDependencies } from "../dependencies.js";
import { idToken, optionalIdToken } from "../middleware/id-token.js";
import { jsonBody } from "../middleware/json-body.js";

const MEDIATION_VALUES = 'mediation must be "conditional" when present (an automatic passkey upgrade); leave it out for the browser\'s prompt.';
const SIGN_UP_MEDIATION = "mediation is not accepted by a sign-up: an automatic passkey upgrade is for a signed-in user (/registration/start-verified).";

/**
 * The optional `mediation` of start-verified: absent, or `"conditional"` (ADR 0025); `null` for anything
 * else. `"modal"` is what an absent field means, not a value the API takes, so that a client that means
 * the browser's usual prompt sends what it always sent.
 */
function decodeMediation(body: JsonObject): { mediation?: "conditional" } | null {
  if (!Object.hasOwn(body, "mediation")) return {};
  return body.mediation === "conditional" ? { mediation: "conditional" } : null;
}

export function registrationRoutes(app: App, routes: RouteTable, deps: Pick<AppDependencies, "registration" | "identityProvider">): void {
  const { registration } = deps;

  app.post(routes.add("/registration/start", "POST", "OPTIONS"), jsonBody, async (c) => {
    const input = decodeFields(c.get("body"), { username: "string", displayName: "string" });
    if (!input.ok) return fail(c, input.error.code, input.error.message);
    // Said rather than ignored: a sign-up made as a conditional create would fail at finish, for want of UP.
    if (Object.hasOwn(c.get("body"), "mediation")) return fail(c, "invalid_request", SIGN_UP_MEDIATION);
    const started = await registration.startForNewUser(input.value, c.get("requestContext"));
    return reply(c, started, (s) => ({ sessionId: s.sessionId, credentialCreationOptions: s.options }));
  });

  app.post(routes.add("/registration/start-verified", "POST", "OPTIONS"), idToken(deps.identityProvider), jsonBody, async (c) => {
    const body = c.get("body");
    const input = decodeFields(body, { username: "string?", displayName: "string?" });
    if (!input.ok) return fail(c, input.error.code, input.error.message);
    const mediation = decodeMediation(body);
    if (mediation === null) return fail(c, "invalid_request", MEDIATION_VALUES);
    const started = await registration.startForExistingUser(c.get("identity"), { ...input.value, ...mediation }, c.get("requestContext"));
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
