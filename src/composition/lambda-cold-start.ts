/** What keyport's Lambda compositions share about their lifetime. */

/**
 * `compose`, run on the first call of this process (the cold start) and shared by every call after.
 * A failed composition is forgotten, so a caller that retries (after a throttled secret read, say)
 * starts afresh instead of inheriting the failure.
 */
export function oncePerColdStart<A extends unknown[], T>(compose: (...args: A) => Promise<T>): (...args: A) => Promise<T> {
  let composed: Promise<T> | undefined;
  return (...args) => {
    composed ??= compose(...args).catch((fault: unknown) => {
      composed = undefined;
      throw fault;
    });
    return composed;
  };
}
