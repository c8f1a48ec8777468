/**
 * First on every request: its correlation id (the caller's, when it cannot disturb a log line, else a
 * fresh one), echoed in `X-Correlation-Id`, the log its failures go to, and the request's context as
 * the domain records it with security events (source address, browser, correlation id).
 */
import type { MiddlewareHandler } from "hono";
import type { GetConnInfo } from "hono/conninfo";
import { REQUEST_CONTEXT_LIMITS } from "../../../domain/activity/request-context-seal.js";
import type { RequestContext } from "../../../domain/activity/security-events.js";
import type { AppEnv } from "../context.js";
import type { Log } from "../log.js";

const CORRELATION_ID = /^[A-Za-z0-9._-]{8,128}$/;

/**
 * The domain's limits on what an event keeps: a User-Agent (browsers send 100–300 characters) is cut
 * there, so that a client cannot make every event it causes kilobytes long; an address longer than an
 * IPv6 address with its zone is no address.
 */
const { userAgent: MAX_USER_AGENT_LENGTH, sourceIp: MAX_ADDRESS_LENGTH } = REQUEST_CONTEXT_LIMITS;
/** How Node's dual-stack sockets show an IPv4 client: as an IPv4-mapped IPv6 address. */
const IPV4_MAPPED = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i;

/**
 * `connInfo` reads the client's address where the runtime keeps it (hono's conninfo helper of the
 * runtime: the Lambda event's `requestContext.http.sourceIp`, the Node socket's remote address); without
 * it the address is unknown (`null`), as it is for a request made in-process.
 */
export function requestContext(log: Log, connInfo?: GetConnInfo): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const offered = c.req.header("x-correlation-id");
    const correlationId = offered !== undefined && CORRELATION_ID.test(offered) ? offered : crypto.randomUUID();
    c.set("correlationId", correlationId);
    c.set("errorCode", undefined);
    c.set("operation", undefined);
    c.set("log", log);
    c.set("requestContext", { sourceIp: sourceIp(() => connInfo?.(c).remote.address), userAgent: userAgent(c.req.header("user-agent")), correlationId });
    await next();
    c.header("X-Correlation-Id", correlationId);
  };
}

/** The client's address as the runtime reports it; an address it cannot report is unknown, never a failed request. */
function sourceIp(read: () => string | undefined): RequestContext["sourceIp"] {
  let address: string | undefined;
  try {
    address = read();
  } catch {
    return null;
  }
  if (address === undefined) return null;
  const trimmed = address.trim();
  if (trimmed === "" || trimmed.length > MAX_ADDRESS_LENGTH) return null;
  return IPV4_MAPPED.exec(trimmed)?.[1] ?? trimmed;
}

function userAgent(header: string | undefined): RequestContext["userAgent"] {
  const trimmed = header?.trim() ?? "";
  if (trimmed === "") return null;
  return trimmed.length > MAX_USER_AGENT_LENGTH ? trimmed.slice(0, MAX_USER_AGENT_LENGTH) : trimmed;
}
