/** Randomness, as a port (ADR 0002). Implementations must be cryptographically secure. */
export interface RandomSource {
  /** Returns `length` fresh, uniformly random bytes; never the same buffer twice. */
  bytes(length: number): Uint8Array;
}
