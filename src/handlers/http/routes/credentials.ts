/**
 * The signed-in user's passkeys: list them, rename, disable or enable one, delete one. Every route needs
 * the user's ID token; a credential id that is not one of the caller's passkeys (someone else's, unknown
 * or malformed) is one answer, `404 passkey_not_found`, so that nobody learns whose credentials exist.
 */
import type { PasskeyView } from "../../../domain/management/passkey-management.js";
import { fail, reply, type App, type RouteTable } from "../context.js";
import { decodeFields } from "../decode.js";
import type { AppDependencies } from "../dependencies.js";
import { idToken } from "../middleware/id-token.js";
import { jsonBody } from "../middleware/json-body.js";
import { isoTime } from "./times.js";

/** One passkey as the API shows it: times as ISO 8601 UTC strings; whether its attestation is trusted (ADR 0027). */
export function passkeyJson(passkey: PasskeyView) {
  return {
    credentialId: passkey.credentialId,
    name: passkey.name,
    authenticator: {
      aaguid: passkey.authenticator.aaguid,
      // The AAGUID is the authenticator's identity only when a trusted attestation vouched for it; the name is always a hint.
      verified: passkey.authenticator.verified,
      name: passkey.authenticator.name,
      icon: passkey.authenticator.icon === null ? null : { light: passkey.authenticator.icon.light, dark: passkey.authenticator.icon.dark },
    },
    createdAt: isoTime(passkey.createdAt),
    lastUsedAt: passkey.lastUsedAt === null ? null : isoTime(passkey.lastUsedAt),
    enabled: passkey.enabled,
    backupEligible: passkey.backupEligible,
    backedUp: passkey.backedUp,
    transports: [...passkey.transports],
    userVerifiedAtRegistration: passkey.userVerifiedAtRegistration,
    registrationMediation: passkey.registrationMediation,
    attestation: passkey.attestation,
  };
}

export function credentialRoutes(app: App, routes: RouteTable, deps: Pick<AppDependencies, "passkeys" | "identityProvider">): void {
  const { passkeys } = deps;
  const signedIn = idToken(deps.identityProvider);

  app.get(routes.add("/credentials", "GET", "HEAD", "OPTIONS"), signedIn, async (c) => {
    const list = await passkeys.listPasskeys(c.get("identity"), c.get("requestContext"));
    return c.json({ credentials: list.map(passkeyJson) }, 200);
  });

  const one = routes.add("/credentials/:credentialId", "PATCH", "DELETE", "OPTIONS");

  app.patch(one, signedIn, jsonBody, async (c) => {
    const body = c.get("body");
    const input = decodeFields(body, { name: "string?" });
    if (!input.ok) return fail(c, input.error.code, input.error.message);
    // `enabled` goes to the domain as it came, so that anything but true or false is its precise
    // `passkey_enabled_invalid`; an absent field is `undefined`, as JSON cannot send that value.
    const change = { name: input.value.name, enabled: Object.hasOwn(body, "enabled") ? body.enabled : undefined };
    const updated = await passkeys.updatePasskey(c.get("identity"), c.req.param("credentialId"), change, c.get("requestContext"));
    return reply(c, updated, (u) => ({ ...passkeyJson(u.passkey), signals: u.signals }));
  });

  app.delete(one, signedIn, async (c) => {
    const deleted = await passkeys.deletePasskey(c.get("identity"), c.req.param("credentialId"), c.get("requestContext"));
    return reply(c, deleted, (d) => ({ signals: d.signals }));
  });
}
