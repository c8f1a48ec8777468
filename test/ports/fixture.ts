import { afterEach, beforeEach } from "vitest";

/** What a contract factory hands back: the adapter under test and, for real infrastructure, a way to tidy up. */
export interface ContractFixture {
  readonly cleanup?: () => Promise<void>;
}

/**
 * A fresh fixture for every test of a contract suite, cleaned up after it even when the test failed.
 * Returns an accessor, because the fixture only exists once `beforeEach` has run.
 */
export function useFixture<T extends ContractFixture>(factory: () => Promise<T>): () => T {
  let current: T | undefined;
  beforeEach(async () => {
    current = await factory();
  });
  afterEach(async () => {
    const fixture = current;
    current = undefined;
    await fixture?.cleanup?.();
  });
  return () => {
    if (current === undefined) throw new Error("contract fixture used outside a test");
    return current;
  };
}

/** Yields to the event loop so that concurrent work really interleaves. */
export function settle(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
