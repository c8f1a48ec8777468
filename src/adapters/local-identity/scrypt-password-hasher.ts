/**
 * Passwords hashed with scrypt (RFC 7914) from node:crypto, in the PHC string format:
 * `$scrypt$ln=15,r=8,p=1$<salt>$<hash>` (unpadded standard base64), so that every hash says how it was
 * made and stronger parameters can be chosen later without breaking the old ones. ADR 0024 says why
 * these parameters: the SRP verifier kept beside the hash already lets a thief test guesses faster
 * than any scrypt setting would.
 */
import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from "node:crypto";
import type { PasswordHasher } from "./password-hasher.js";

export interface ScryptParameters {
  /** log2 of the cost N. */
  readonly ln: number;
  /** The block size r. */
  readonly r: number;
  /** The parallelism p. */
  readonly p: number;
}

/** N = 2^15, r = 8, p = 1: 32 MiB and some tens of milliseconds per hash (ADR 0024). */
export const DEFAULT_SCRYPT_PARAMETERS: ScryptParameters = { ln: 15, r: 8, p: 1 };

const SALT_BYTES = 16;
const HASH_BYTES = 32;
/** Bounds on what a stored hash may ask for, so that a damaged one cannot make a check run away. */
const LIMITS = { ln: [10, 20], r: [1, 32], p: [1, 16] } as const;

const ENCODED = /^\$scrypt\$ln=(\d{1,2}),r=(\d{1,2}),p=(\d{1,2})\$([A-Za-z0-9+/]{22})\$([A-Za-z0-9+/]{43})$/;

/** The password's UTF-8 as given, not normalized: SRP hashes it so too, and both must accept the same passwords. */
function derive(password: string, salt: Buffer, parameters: ScryptParameters): Promise<Buffer> {
  const { ln, r, p } = parameters;
  // Node refuses a cost above maxmem (32 MiB by default): allow what the parameters need, and a margin.
  const options: ScryptOptions = { N: 2 ** ln, r, p, maxmem: 2 * 128 * 2 ** ln * r * p + 1024 * 1024 };
  return new Promise((resolve, reject) => scrypt(password, salt, HASH_BYTES, options, (error, key) => (error === null ? resolve(key) : reject(error))));
}

const b64 = (bytes: Buffer): string => bytes.toString("base64").replace(/=+$/, "");

export class ScryptPasswordHasher implements PasswordHasher {
  constructor(private readonly parameters: ScryptParameters = DEFAULT_SCRYPT_PARAMETERS) {}

  async hash(password: string): Promise<string> {
    const salt = randomBytes(SALT_BYTES);
    const key = await derive(password, salt, this.parameters);
    const { ln, r, p } = this.parameters;
    return `$scrypt$ln=${ln},r=${r},p=${p}$${b64(salt)}$${b64(key)}`;
  }

  async verify(password: string, encoded: string): Promise<boolean> {
    const parsed = ENCODED.exec(encoded);
    if (parsed === null) return false;
    const [ln, r, p] = [Number(parsed[1]), Number(parsed[2]), Number(parsed[3])];
    if (ln < LIMITS.ln[0] || ln > LIMITS.ln[1] || r < LIMITS.r[0] || r > LIMITS.r[1] || p < LIMITS.p[0] || p > LIMITS.p[1]) return false;
    const salt = Buffer.from(parsed[4] ?? "", "base64");
    const expected = Buffer.from(parsed[5] ?? "", "base64");
    const key = await derive(password, salt, { ln, r, p });
    return key.length === expected.length && timingSafeEqual(key, expected);
  }
}
