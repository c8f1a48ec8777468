/**
 * Where the keys that verify a user pool's ID tokens come from, as aws-jwt-verify's JWKS cache is
 * configured for keyport: the library caches the JWKS and fetches it again when a token names a `kid`
 * it does not hold (Cognito rotated its keys); keyport supplies three small parts of that cache:
 *
 * - the fetch, on the platform `fetch` (the library's own uses `node:https`, retries at once, and
 *   cannot be pointed at a test server);
 * - which published keys count (RS256 signing keys of at least 2048 bits; anything else is dropped);
 * - how often an unknown `kid` may cause a fetch, measured by the Clock port (ADR 0002), so that
 *   forged `kid`s cannot hammer the endpoint.
 */
import { isJwk, SimpleJwksCache, type Jwk, type Jwks, type JwksCache, type PenaltyBox } from "aws-jwt-verify/jwk";
import { JwksValidationError, WaitPeriodNotYetEndedJwkError } from "aws-jwt-verify/error";
import type { Fetcher } from "aws-jwt-verify/https";
import type { Clock } from "../../ports/clock.js";
import { isJsonObject } from "../../domain/encoding/strict-json.js";

/** The URL at which Cognito publishes a user pool's signing keys. */
export function cognitoJwksUrl(region: string, userPoolId: string): string {
  return `${cognitoIssuer(region, userPoolId)}/.well-known/jwks.json`;
}

/** The `iss` of every token a user pool issues. */
export function cognitoIssuer(region: string, userPoolId: string): string {
  return `https://cognito-idp.${region}.amazonaws.com/${userPoolId}`;
}

/** Fetches a JWKS with the platform `fetch`; parsing is the cache's (`parseCognitoJwks`). */
export class PlatformJwksFetcher implements Fetcher {
  /** @param timeoutMs for the whole request, body included: a hanging endpoint must not hold requests that wait for keys. */
  constructor(private readonly timeoutMs = 5_000) {}

  async fetch(uri: string): Promise<ArrayBuffer> {
    const response = await fetch(uri, { headers: { accept: "application/json" }, signal: AbortSignal.timeout(this.timeoutMs) });
    if (!response.ok) throw new Error(`JWKS ${uri} answered HTTP ${response.status}`);
    return response.arrayBuffer();
  }
}

/** Cognito's keys are 2048-bit; shorter RSA keys are refused whatever a JWKS says. */
const MIN_MODULUS_BITS = 2048;

/**
 * The JWKS in a response body, with only the keys keyport verifies with: RSA, for RS256 signatures
 * (`alg` and `use` absent or saying so), with a `kid`, modulus ≥ 2048 bits. Other entries are left out,
 * not fatal. A body that is not a JWKS at all throws (an infrastructure fault).
 */
export function parseCognitoJwks(body: ArrayBuffer): Jwks {
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(body));
  } catch (error) {
    throw new JwksValidationError(`JWKS is not JSON: ${String(error)}`);
  }
  const keys = isJsonObject(json) ? json.keys : undefined;
  if (!Array.isArray(keys)) throw new JwksValidationError('JWKS has no "keys" array');
  return { keys: keys.filter(isRs256SigningKey) };
}

function isRs256SigningKey(key: unknown): key is Jwk {
  if (!isJsonObject(key) || !isJwk(key as Jwk)) return false;
  const { kty, kid, alg, use, n, e } = key as Jwk;
  return (
    kty === "RSA" &&
    typeof kid === "string" &&
    (alg === undefined || alg === "RS256") &&
    (use === undefined || use === "sig") &&
    typeof e === "string" &&
    typeof n === "string" &&
    modulusBits(n) >= MIN_MODULUS_BITS
  );
}

/** The bit length of a base64url big-endian unsigned integer (a JWK's `n`). */
function modulusBits(n: string): number {
  const bytes = Buffer.from(n, "base64url");
  let first = 0;
  while (first < bytes.length && bytes[first] === 0) first++;
  if (first === bytes.length) return 0;
  return (bytes.length - first) * 8 - (Math.clz32(bytes[first]!) - 24);
}

/**
 * How often keys may be fetched, as aws-jwt-verify's PenaltyBox (asked before each fetch for an
 * unknown `kid`): always while no fetch has been answered yet; otherwise at most once per `intervalMs`
 * by the Clock, counted from the start of the last fetch. A fetch already under way is joined by the cache,
 * whoever started it, so concurrent misses are let through to share it.
 */
export class JwksRefetchLimit implements PenaltyBox {
  private lastFetchAt = Number.NEGATIVE_INFINITY;
  private fetched = false;
  private inFlight = 0;

  constructor(
    private readonly clock: Clock,
    private readonly intervalMs: number,
  ) {}

  async wait(): Promise<void> {
    if (this.fetched && this.inFlight === 0 && this.clock.now() - this.lastFetchAt < this.intervalMs) {
      throw new WaitPeriodNotYetEndedJwkError("JWKS fetched too recently to fetch again for an unknown kid");
    }
  }

  registerFailedAttempt(): void {}

  registerSuccessfulAttempt(): void {}

  /** `fetcher`, reporting to this limit when each fetch starts and whether it was answered. */
  watch(fetcher: Fetcher): Fetcher {
    return {
      fetch: async (uri, requestOptions, data) => {
        this.lastFetchAt = this.clock.now();
        this.inFlight++;
        try {
          const body = await fetcher.fetch(uri, requestOptions, data);
          this.fetched = true;
          return body;
        } finally {
          this.inFlight--;
        }
      },
    };
  }
}

export interface CognitoJwksCacheOptions {
  readonly clock: Clock;
  /** Defaults to a PlatformJwksFetcher. Tests hand in keys through their own. */
  readonly fetcher?: Fetcher;
  /** Least time between two fetches caused by an unknown `kid`; 60 s by default. */
  readonly refetchIntervalMs?: number;
}

/** aws-jwt-verify's SimpleJwksCache with keyport's fetch, key policy and refetch limit. */
export function createCognitoJwksCache(options: CognitoJwksCacheOptions): JwksCache {
  const limit = new JwksRefetchLimit(options.clock, options.refetchIntervalMs ?? 60_000);
  return new SimpleJwksCache({
    fetcher: limit.watch(options.fetcher ?? new PlatformJwksFetcher()),
    penaltyBox: limit,
    jwksParser: parseCognitoJwks,
  });
}
