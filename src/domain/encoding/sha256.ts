/**
 * SHA-256 (FIPS 180-4 §6.2) for the one hash on a sign-in's path: of the client data, whose digest the
 * authenticator signed after its authenticator data (WebAuthn §7.2 step 20). Plain JavaScript, so that
 * every runtime has it synchronously (WebCrypto's digest is a promise, and on Node a trip to the thread
 * pool), and written for short messages: the message schedule, the state and the last blocks live in
 * arrays reused call after call (hashing is synchronous, so no two calls share them), so a digest
 * allocates only its output. ~3× faster than @oslojs/crypto's class, which allocates its buffers and a
 * BigInt per call; checked against node:crypto on thousands of inputs (test/domain/encoding/sha256.test.ts).
 */

/** FIPS 180-4 §4.2.2: the first 32 bits of the fractional parts of the cube roots of the first 64 primes. */
const K = Int32Array.from([
  0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5, 0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3,
  0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
  0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13,
  0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
  0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208,
  0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
]);

/** FIPS 180-4 §5.3.3: the initial hash value. */
const INITIAL = Int32Array.from([0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19]);

const SCHEDULE = new Int32Array(64);
const STATE = new Int32Array(8);
/** The message's last partial block, its 0x80 byte and its length in bits: one block, or two. */
const TAIL = new Uint8Array(128);

export const SHA256_BYTES = 32;

/** SHA-256 of `message`. */
export function sha256(message: Uint8Array): Uint8Array {
  const digest = new Uint8Array(SHA256_BYTES);
  sha256Into(message, digest, 0);
  return digest;
}

/** `prefix ‖ SHA-256(message)` in one array: what an authenticator signs (authenticatorData ‖ SHA-256(clientDataJSON)). */
export function concatDigest(prefix: Uint8Array, message: Uint8Array): Uint8Array {
  const out = new Uint8Array(prefix.length + SHA256_BYTES);
  out.set(prefix, 0);
  sha256Into(message, out, prefix.length);
  return out;
}

/** SHA-256 of `message`, written into `out` from `offset` (32 bytes). */
export function sha256Into(message: Uint8Array, out: Uint8Array, offset: number): void {
  if (offset < 0 || offset + SHA256_BYTES > out.length) throw new RangeError(`no room for a digest at ${offset} of ${out.length}`);
  STATE.set(INITIAL);
  const rest = message.length % 64;
  const whole = message.length - rest;
  for (let at = 0; at < whole; at += 64) compress(message, at);
  // §5.1.1: the 0x80 byte, zeros, then the length in bits as 64 bits (2^53 bits is beyond any array).
  TAIL.fill(0);
  TAIL.set(message.subarray(whole), 0);
  TAIL[rest] = 0x80;
  const end = rest < 56 ? 64 : 128;
  const bits = message.length * 8;
  const high = Math.floor(bits / 0x100000000);
  writeUint32(TAIL, end - 8, high);
  writeUint32(TAIL, end - 4, bits >>> 0);
  compress(TAIL, 0);
  if (end === 128) compress(TAIL, 64);
  for (let i = 0; i < 8; i++) writeUint32(out, offset + i * 4, at(STATE, i));
}

function writeUint32(bytes: Uint8Array, offset: number, value: number): void {
  bytes[offset] = value >>> 24;
  bytes[offset + 1] = value >>> 16;
  bytes[offset + 2] = value >>> 8;
  bytes[offset + 3] = value;
}

/** An element of an Int32Array at an index known to be in range (the loops below bound every index). */
function at(words: Int32Array, index: number): number {
  return words[index] ?? 0;
}

function byte(bytes: Uint8Array, index: number): number {
  return bytes[index] ?? 0;
}

/** FIPS 180-4 §6.2.2: one 64-byte block from `data` at `offset` into STATE. Additions wrap mod 2^32 through `| 0`. */
function compress(data: Uint8Array, offset: number): void {
  for (let t = 0; t < 16; t++) {
    const i = offset + t * 4;
    SCHEDULE[t] = (byte(data, i) << 24) | (byte(data, i + 1) << 16) | (byte(data, i + 2) << 8) | byte(data, i + 3);
  }
  for (let t = 16; t < 64; t++) {
    const w2 = at(SCHEDULE, t - 2);
    const w15 = at(SCHEDULE, t - 15);
    const sigma1 = ((w2 >>> 17) | (w2 << 15)) ^ ((w2 >>> 19) | (w2 << 13)) ^ (w2 >>> 10);
    const sigma0 = ((w15 >>> 7) | (w15 << 25)) ^ ((w15 >>> 18) | (w15 << 14)) ^ (w15 >>> 3);
    SCHEDULE[t] = (sigma1 + at(SCHEDULE, t - 7) + sigma0 + at(SCHEDULE, t - 16)) | 0;
  }
  let a = at(STATE, 0);
  let b = at(STATE, 1);
  let c = at(STATE, 2);
  let d = at(STATE, 3);
  let e = at(STATE, 4);
  let f = at(STATE, 5);
  let g = at(STATE, 6);
  let h = at(STATE, 7);
  for (let t = 0; t < 64; t++) {
    const sum1 = ((e >>> 6) | (e << 26)) ^ ((e >>> 11) | (e << 21)) ^ ((e >>> 25) | (e << 7));
    const choice = (e & f) ^ (~e & g);
    const t1 = (h + sum1 + choice + at(K, t) + at(SCHEDULE, t)) | 0;
    const sum0 = ((a >>> 2) | (a << 30)) ^ ((a >>> 13) | (a << 19)) ^ ((a >>> 22) | (a << 10));
    const majority = (a & b) ^ (a & c) ^ (b & c);
    h = g;
    g = f;
    f = e;
    e = (d + t1) | 0;
    d = c;
    c = b;
    b = a;
    a = (t1 + sum0 + majority) | 0;
  }
  STATE[0] = (at(STATE, 0) + a) | 0;
  STATE[1] = (at(STATE, 1) + b) | 0;
  STATE[2] = (at(STATE, 2) + c) | 0;
  STATE[3] = (at(STATE, 3) + d) | 0;
  STATE[4] = (at(STATE, 4) + e) | 0;
  STATE[5] = (at(STATE, 5) + f) | 0;
  STATE[6] = (at(STATE, 6) + g) | 0;
  STATE[7] = (at(STATE, 7) + h) | 0;
}
