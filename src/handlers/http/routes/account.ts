/**
 * The signed-in user's account: read it, change the username or display name, delete it with every
 * passkey, and sign out on every device. Every route needs the user's ID token.
 */
import type { AccountView } from "../../../domain/management/passkey-management.js";
import { fail, reply, type App, type RouteTable } from "../context.js";
import { decodeFields } from "../decode.js";
import type { AppDependencies } from "../dependencies.js";
import { idToken } from "../middleware/id-token.js";
import { jsonBody } from "../middleware/json-body.js";
import { isoTime } from "./times.js";

export function accountJson(account: AccountView) {
  return {
    userId: account.userId,
    username: account.username,
    displayName: account.displayName,
    createdAt: isoTime(account.createdAt),
    credentialCount: account.credentialCount,
  };
}

export function accountRoutes(app: App, routes: RouteTable, deps: Pick<AppDependencies, "passkeys" | "identityProvider">): void {
  const { passkeys } = deps;
  const signedIn = idToken(deps.identityProvider);
  const account = routes.add("/account", "GET", "HEAD", "PATCH", "DELETE", "OPTIONS");

  app.get(account, signedIn, async (c) => reply(c, await passkeys.account(c.get("identity"), c.get("requestContext")), accountJson));

  app.patch(account, signedIn, jsonBody, async (c) => {
    const input = decodeFields(c.get("body"), { username: "string?", displayName: "string?" });
    if (!input.ok) return fail(c, input.error.code, input.error.message);
    const updated = await passkeys.updateAccount(c.get("identity"), input.value, c.get("requestContext"));
    return reply(c, updated, (u) => ({ ...accountJson(u.account), signals: u.signals }));
  });

  app.delete(account, signedIn, async (c) => {
    const deleted = await passkeys.deleteAccount(c.get("identity"), c.get("requestContext"));
    return reply(c, deleted, (d) => ({ signals: d.signals }));
  });

  app.post(routes.add("/account/sign-out-everywhere", "POST", "OPTIONS"), signedIn, jsonBody, async (c) => {
    return reply(c, await passkeys.signOutEverywhere(c.get("identity"), c.get("requestContext")), () => ({}));
  });
}
