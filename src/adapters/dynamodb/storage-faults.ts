/**
 * Infrastructure faults of the DynamoDB adapters. Expected outcomes (an id already taken, a counter
 * that moved) are values the ports return (ADR 0003); what is left is either the store being out of
 * reach — a typed `StorageUnavailableError` the HTTP shell answers with 503 — or a bug, which is
 * rethrown as it is and ends up as a masked 500.
 */
import { StorageUnavailableError } from "../../ports/storage-unavailable-error.js";

export { StorageUnavailableError };

/** An item that does not have the shape the adapter writes: a bug or a hand-edited table, never an expected outcome. */
export class MalformedItemError extends Error {
  override readonly name = "MalformedItemError";

  constructor(
    readonly table: string,
    readonly attribute: string,
    problem: string,
  ) {
    super(`malformed item in ${table}: ${attribute} ${problem}`);
  }
}

/** Service errors that mean "not now": throttling, contention and server-side failures. */
const RETRYABLE_NAMES = new Set([
  "ProvisionedThroughputExceededException",
  "ThrottlingException",
  "RequestLimitExceeded",
  "InternalServerError",
  "ServiceUnavailable",
  "ServiceUnavailableException",
  "TransactionConflictException",
  "TransactionInProgressException",
  "ReplicatedWriteConflictException",
  "LimitExceededException",
  // The SDK's own names for a request that took too long.
  "TimeoutError",
  "RequestTimeout",
  "RequestTimeoutException",
]);

/** Service errors that mean "not until someone fixes the deployment": no table, no or wrong credentials. */
const PERMANENT_NAMES = new Set([
  "ResourceNotFoundException",
  "AccessDeniedException",
  "UnrecognizedClientException",
  "InvalidSignatureException",
  "MissingAuthenticationTokenException",
  "ExpiredTokenException",
  "CredentialsProviderError",
]);

/** Socket-level failures Node reports as `error.code`: the endpoint is down, unreachable or cut the connection. */
const NETWORK_CODES = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ECONNABORTED",
  "EPIPE",
  "ETIMEDOUT",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "ENOTFOUND",
  "EAI_AGAIN",
  "ERR_SOCKET_CONNECTION_TIMEOUT",
]);

/**
 * `error` as a `StorageUnavailableError` when it is an infrastructure fault, otherwise unchanged (a
 * ValidationException, say, is our bug and must surface as one). Looks through `cause` chains, as
 * the SDK wraps socket errors.
 */
export function storageFault(error: unknown, operation: string): unknown {
  if (error instanceof StorageUnavailableError) return error;
  const retryable = classify(error, 0);
  return retryable === null ? error : new StorageUnavailableError(operation, retryable, error);
}

function classify(error: unknown, depth: number): boolean | null {
  if (typeof error !== "object" || error === null || depth > 5) return null;
  const { name, code, $metadata, cause } = error as { name?: unknown; code?: unknown; $metadata?: { httpStatusCode?: unknown }; cause?: unknown };
  if (typeof name === "string" && RETRYABLE_NAMES.has(name)) return true;
  if (typeof name === "string" && PERMANENT_NAMES.has(name)) return false;
  if (typeof code === "string" && NETWORK_CODES.has(code)) return true;
  const status = $metadata?.httpStatusCode;
  if (typeof status === "number" && (status === 429 || status >= 500)) return true;
  return classify(cause, depth + 1);
}
