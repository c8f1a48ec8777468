/**
 * The signed-in user's security activity, newest first, a page at a time: `GET /events?limit=&cursor=`.
 * Only the caller's own events: the domain lists the trail of the account the ID token names, and a
 * cursor from anyone else's trail is `cursor_invalid`.
 */
import type { SecurityEvent } from "../../../domain/activity/security-events.js";
import { fail, reply, type App, type RouteTable } from "../context.js";
import type { AppDependencies } from "../dependencies.js";
import { idToken } from "../middleware/id-token.js";
import { isoTime } from "./times.js";

/** Events per page: 20 unless `limit` says otherwise, at most 100. */
export const DEFAULT_EVENT_LIMIT = 20;
export const MAX_EVENT_LIMIT = 100;

/**
 * One event as the API shows it: times as ISO 8601 UTC strings, the request context flattened, and no
 * user handle (the trail is the caller's own).
 */
export function eventJson(event: SecurityEvent) {
  return {
    eventId: event.eventId,
    type: event.type,
    at: isoTime(event.at),
    ...details(event),
    sourceIp: event.context.sourceIp,
    userAgent: event.context.userAgent,
    correlationId: event.context.correlationId,
  };
}

type PasskeyJson = { readonly credentialId: string; readonly passkeyName: string; readonly authenticatorName: string };
type Details =
  | Record<string, never>
  | PasskeyJson
  | { readonly code: string }
  | (PasskeyJson & { readonly code: string })
  | (PasskeyJson & { readonly previousName: string })
  | { readonly changed: string[] }
  | { readonly count: number; readonly windowStart: string; readonly windowEnd: string };

/** What each type carries besides the common fields; a type added to the union fails to compile here until it is shown. */
function details(event: SecurityEvent): Details {
  switch (event.type) {
    case "registration.succeeded":
    case "sign_in.succeeded":
    case "passkey.added":
    case "passkey.disabled":
    case "passkey.enabled":
    case "passkey.deleted":
      return passkey(event);
    case "registration.failed":
      return { code: event.code };
    case "sign_in.failed":
      return { ...passkey(event), code: event.code };
    case "sign_in.failed_suppressed":
      return { count: event.count, windowStart: isoTime(event.windowStart), windowEnd: isoTime(event.windowEnd) };
    case "passkey.renamed":
      return { ...passkey(event), previousName: event.previousName };
    case "account.updated":
      return { changed: [...event.changed] };
    case "account.deleted":
    case "signed_out":
    case "signed_out_everywhere":
    case "token.refreshed":
      return {};
  }
}

const passkey = (event: PasskeyJson): PasskeyJson => ({
  credentialId: event.credentialId,
  passkeyName: event.passkeyName,
  authenticatorName: event.authenticatorName,
});

/** `limit` as the query gave it: absent is the default; once, as a whole number 1–100; anything else is `null`. */
function decodeLimit(values: readonly string[] | undefined): number | null {
  if (values === undefined || values.length === 0) return DEFAULT_EVENT_LIMIT;
  const [raw = ""] = values;
  if (values.length > 1 || !/^\d{1,3}$/.test(raw)) return null;
  const limit = Number(raw);
  return limit >= 1 && limit <= MAX_EVENT_LIMIT ? limit : null;
}

/** `cursor` as the query gave it: absent is the first page; given twice, nothing this API made. */
function decodeCursor(values: readonly string[] | undefined): { readonly ok: true; readonly cursor: string | null } | { readonly ok: false } {
  if (values === undefined || values.length === 0) return { ok: true, cursor: null };
  const [cursor = ""] = values;
  return values.length === 1 ? { ok: true, cursor } : { ok: false };
}

export function eventRoutes(app: App, routes: RouteTable, deps: Pick<AppDependencies, "passkeys" | "identityProvider">): void {
  const { passkeys } = deps;
  app.get(routes.add("/events", "GET", "HEAD", "OPTIONS"), idToken(deps.identityProvider), async (c) => {
    const limit = decodeLimit(c.req.queries("limit"));
    if (limit === null) return fail(c, "limit_invalid");
    const cursor = decodeCursor(c.req.queries("cursor"));
    if (!cursor.ok) return fail(c, "cursor_invalid");
    const page = await passkeys.listEvents(c.get("identity"), { limit, cursor: cursor.cursor }, c.get("requestContext"));
    return reply(c, page, (p) => ({ events: p.events.map(eventJson), nextCursor: p.nextCursor }));
  });
}
