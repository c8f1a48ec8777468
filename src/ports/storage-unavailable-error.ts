/**
 * The one infrastructure fault the store ports name: the store could not serve the request, and nothing
 * was half-written. Expected outcomes are return values (ADR 0003); this is thrown, and shells answer it
 * with 503 `storage_unavailable` rather than a masked 500.
 */
/** The store could not serve the request; nothing was half-written (every write is one item or one transaction). */
export class StorageUnavailableError extends Error {
  readonly code = "storage_unavailable" as const;
  override readonly name = "StorageUnavailableError";

  constructor(
    /** What the adapter was doing, e.g. "consume session". */
    readonly operation: string,
    /** true for throttling, time-outs and server errors (try again later); false for a missing table or refused credentials. */
    readonly retryable: boolean,
    cause: unknown,
  ) {
    super(`storage unavailable: ${operation} (${describe(cause)})`, { cause });
  }
}

function describe(error: unknown): string {
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    return typeof code === "string" ? `${error.name} ${code}: ${error.message}` : `${error.name}: ${error.message}`;
  }
  return String(error);
}
