/**
 * The one answer to a fault: an exception no shell expected (a bug, an SDK failure) or the store's one
 * named fault. A fault is classified, logged once under a correlation id, and answered with nothing
 * but that reference, so no detail reaches a client. Used by the app's `onError`, the HTTP API
 * Lambda's fallback and the triggers' mask (which throws the reference instead of answering).
 *
 * Free of hono: DefineAuthChallenge's bundle is built through the trigger shell, which imports this.
 */
import { StorageUnavailableError } from "../../ports/storage-unavailable-error.js";
import { ERRORS } from "./errors.js";
import { API_DEFAULT_HEADERS, SECURITY_HEADERS } from "./headers.js";
import { redact, type Log } from "./log.js";

export type FaultCode = "storage_unavailable" | "internal_error";

export interface FaultResponse {
  readonly status: (typeof ERRORS)[FaultCode]["status"];
  readonly headers: Readonly<Record<string, string>>;
  readonly body: { readonly error: { readonly code: FaultCode; readonly message: string } };
}

const MAX_LOGGED_STACK = 2000;

/** The store's one named fault means nothing was written and the client may try again; anything else is a bug. */
export function classifyFault(fault: unknown): FaultCode {
  return fault instanceof StorageUnavailableError ? "storage_unavailable" : "internal_error";
}

/**
 * One error line for `fault`: its class, its kind, its (redacted) message and stack, and the
 * reference; `context` says where it happened. Returns the class, for the answer.
 */
export function reportFault(log: Log, correlationId: string, fault: unknown, context: Readonly<Record<string, unknown>> = {}): FaultCode {
  const code = classifyFault(fault);
  log({
    ...context,
    level: "error",
    event: code === "storage_unavailable" ? "storage_unavailable" : "unhandled_error",
    correlationId,
    error: fault instanceof Error ? fault.name : typeof fault,
    message: redact(fault instanceof Error ? fault.message : String(fault)),
    stack: fault instanceof Error && fault.stack !== undefined ? redact(fault.stack, MAX_LOGGED_STACK) : undefined,
  });
  return code;
}

/** The HTTP answer to a fault of class `code`: the table's status, the reference in the message, the safety headers. */
export function faultResponse(code: FaultCode, correlationId: string): FaultResponse {
  const message = ERRORS[code].message.replace(/\.$/, ` (reference ${correlationId}).`);
  return {
    status: ERRORS[code].status,
    headers: { "content-type": "application/json", ...SECURITY_HEADERS, ...API_DEFAULT_HEADERS, "x-correlation-id": correlationId },
    body: { error: { code, message } },
  };
}
