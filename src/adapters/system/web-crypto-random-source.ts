import type { RandomSource } from "../../ports/random-source.js";

/** The platform CSPRNG through WebCrypto, present in Node, Deno, Bun, Workers and browsers. */
export class WebCryptoRandomSource implements RandomSource {
  bytes(length: number): Uint8Array {
    return globalThis.crypto.getRandomValues(new Uint8Array(length));
  }
}
