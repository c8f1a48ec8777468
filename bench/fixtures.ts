/**
 * Fixtures for the benchmarks: many distinct credentials, the domain built by hand on the in-memory
 * adapters, and signed assertions prepared ahead of time, so that only verification is timed.
 *
 * Credentials are written straight into the InMemoryCredentialStore (what a successful
 * RegistrationCeremony would have stored: the COSE_Key bytes as the authenticator sent them).
 */
import { createPrivateKey, createPublicKey, generatePrime, randomBytes, sign } from "node:crypto";
import type { JsonWebKey, KeyObject } from "node:crypto";
import { InMemoryCredentialStore } from "../src/adapters/in-memory/in-memory-credential-store.js";
import { InMemorySessionStore } from "../src/adapters/in-memory/in-memory-session-store.js";
import { WebCryptoRandomSource } from "../src/adapters/system/web-crypto-random-source.js";
import { AuthenticationCeremony } from "../src/domain/ceremonies/authentication-ceremony.js";
import { RelyingParty } from "../src/domain/ceremonies/relying-party.js";
import type { AuthenticationResponseJSON, CoseAlgorithmIdentifier } from "../src/domain/encoding/webauthn-json.js";
import type { SignatureVerifier } from "../src/ports/signature-verifier.js";
import {
  aStoredCredential,
  aUserAccount,
  b64url,
  buildAuthenticatorData,
  COSE_ALGORITHM,
  coseKeyFor,
  generateTestKeyPair,
  ManualClock,
  ORIGIN,
  RP_ID,
  sha256,
  TEST_RP,
  type TestAlgorithm,
  type TestKeyPair,
} from "../test/support/index.js";

export { ORIGIN, RP_ID };
export const ALGORITHMS: readonly TestAlgorithm[] = ["ES256", "RS256", "EdDSA"];

// ---------------------------------------------------------------------------------------------
// Keys
// ---------------------------------------------------------------------------------------------

export interface KeySetInfo {
  readonly keys: TestKeyPair[];
  /** How the keys were made, for the report. */
  readonly note: string;
}

const RSA_E = 65537n;

function bigintToBytes(value: bigint): Uint8Array {
  let hex = value.toString(16);
  if (hex.length % 2 === 1) hex = `0${hex}`;
  return Uint8Array.from(Buffer.from(hex, "hex"));
}

const b64big = (value: bigint): string => b64url(bigintToBytes(value));

function modInverse(a: bigint, m: bigint): bigint {
  let [oldR, r] = [((a % m) + m) % m, m];
  let [oldS, s] = [1n, 0n];
  while (r !== 0n) {
    const q = oldR / r;
    [oldR, r] = [r, oldR - q * r];
    [oldS, s] = [s, oldS - q * s];
  }
  if (oldR !== 1n) throw new Error("not invertible");
  return ((oldS % m) + m) % m;
}

function generatePrimeAsync(bits: number): Promise<bigint> {
  return new Promise((resolve, reject) =>
    generatePrime(bits, { bigint: true }, (error, prime) => (error ? reject(error) : resolve(prime))),
  );
}

/** An RSA key pair from two primes, through JWK so node:crypto checks and imports it. */
function rsaKeyFromPrimes(p: bigint, q: bigint): TestKeyPair {
  if (p < q) [p, q] = [q, p];
  const n = p * q;
  const d = modInverse(RSA_E, (p - 1n) * (q - 1n));
  const jwk: JsonWebKey = {
    kty: "RSA",
    n: b64big(n),
    e: b64big(RSA_E),
    d: b64big(d),
    p: b64big(p),
    q: b64big(q),
    dp: b64big(d % (p - 1n)),
    dq: b64big(d % (q - 1n)),
    qi: b64big(modInverse(q, p)),
  };
  return { privateKey: createPrivateKey({ key: jwk, format: "jwk" }), publicKey: createPublicKey({ key: jwk, format: "jwk" }) };
}

/**
 * `count` distinct RSA-2048 key pairs. generateKeyPair("rsa") costs ~170–330 ms a key on a small
 * machine (1,000 keys would take minutes), so instead k node:crypto 1024-bit primes are drawn and every
 * pair of them multiplied: k(k-1)/2 distinct 2048-bit moduli from k primes (~25–50 ms each). Keys that
 * share a prime are of course worthless for security, but verification cost depends only on the
 * modulus size and the exponent (65537), so for a benchmark each is as good as a fresh key.
 */
async function rsaKeys(count: number): Promise<KeySetInfo> {
  let k = 2;
  while ((k * (k - 1)) / 2 < count) k++;
  const primes: bigint[] = [];
  while (primes.length < k) {
    const batch = await Promise.all(Array.from({ length: k - primes.length }, () => generatePrimeAsync(1024)));
    // Top two bits set (so every product has exactly 2048 bits), e coprime to p - 1, no duplicates.
    for (const p of batch) if (p >> 1022n === 3n && (p - 1n) % RSA_E !== 0n && !primes.includes(p)) primes.push(p);
  }
  const pairs: [number, number][] = [];
  for (let i = 0; i < k; i++) for (let j = i + 1; j < k; j++) pairs.push([i, j]);
  const keys = pairs.slice(0, count).map(([i, j]) => rsaKeyFromPrimes(primes[i]!, primes[j]!));
  return {
    keys,
    note: `${count} distinct RSA-2048 keys (e=65537) built from ${k} node:crypto primes, pairwise, since generateKeyPair("rsa") is too slow for 1,000 keys here`,
  };
}

export async function generateKeys(algorithm: TestAlgorithm, count: number): Promise<KeySetInfo> {
  if (algorithm === "RS256") return rsaKeys(count);
  return {
    keys: Array.from({ length: count }, () => generateTestKeyPair(algorithm)),
    note: `${count} distinct keys from generateKeyPairSync`,
  };
}

// ---------------------------------------------------------------------------------------------
// Credentials and the domain
// ---------------------------------------------------------------------------------------------

export interface BenchCredential {
  readonly algorithm: TestAlgorithm;
  readonly credentialId: string;
  readonly userHandle: string;
  readonly identityUserId: string;
  readonly privateKey: KeyObject;
  readonly publicKey: KeyObject;
  /** The COSE_Key bytes, as stored by registration and as @simplewebauthn/server takes them. */
  readonly cose: Uint8Array;
  /** Public JWK (without alg), for the bare node:crypto / WebCrypto floors. */
  readonly jwk: JsonWebKey;
  /** SubjectPublicKeyInfo DER, for the SPKI variant of the floor. */
  readonly spki: Buffer;
  /** The key in WebCrypto's "raw" form (0x04 ‖ x ‖ y for P-256, x for Ed25519); null for RSA. */
  readonly raw: Uint8Array<ArrayBuffer> | null;
}

export function makeCredentials(algorithm: TestAlgorithm, keys: readonly TestKeyPair[]): BenchCredential[] {
  return keys.map((pair, i) => {
    const userHandle = b64url(randomBytes(32));
    return {
      algorithm,
      credentialId: b64url(randomBytes(16)),
      userHandle,
      identityUserId: `${algorithm}-user-${i}`,
      privateKey: pair.privateKey,
      publicKey: pair.publicKey,
      cose: coseKeyFor(algorithm, pair.publicKey),
      jwk: pair.publicKey.export({ format: "jwk" }),
      spki: pair.publicKey.export({ format: "der", type: "spki" }),
      raw: rawPublicKey(pair.publicKey.export({ format: "jwk" })),
    };
  });
}

function rawPublicKey(jwk: JsonWebKey): Uint8Array<ArrayBuffer> | null {
  if (jwk.kty === "OKP") return Uint8Array.from(Buffer.from(jwk.x!, "base64url"));
  if (jwk.kty !== "EC") return null;
  return Uint8Array.from([0x04, ...Buffer.from(jwk.x!, "base64url"), ...Buffer.from(jwk.y!, "base64url")]);
}

/** The authentication side of the domain, built by hand as the test kit's buildDomain does. */
export function buildAuthentication(verifier: SignatureVerifier) {
  const clock = new ManualClock();
  const random = new WebCryptoRandomSource();
  const sessions = new InMemorySessionStore(clock);
  const credentials = new InMemoryCredentialStore();
  const relyingParty = new RelyingParty(TEST_RP);
  const authentication = new AuthenticationCeremony({
    relyingParty,
    sessions,
    credentials,
    signatureVerifier: verifier,
    clock,
    random,
    unknownUserSecret: new Uint8Array(32).fill(7),
  });
  return { clock, sessions, credentials, relyingParty, authentication };
}

export type BenchDomain = ReturnType<typeof buildAuthentication>;

/** Registers the credentials (one user each) straight into the store. */
export async function registerAll(domain: BenchDomain, credentials: readonly BenchCredential[]): Promise<void> {
  const now = domain.clock.now();
  for (const c of credentials) {
    // Counter 0 and not backup eligible: prepareAssertions signs counters from 1 with BE and BS clear.
    const record = aStoredCredential({
      credentialId: c.credentialId,
      userHandle: c.userHandle,
      identityUserId: c.identityUserId,
      publicKey: c.cose,
      algorithm: COSE_ALGORITHM[c.algorithm] as CoseAlgorithmIdentifier,
      counter: 0,
      transports: ["internal"],
      backupEligible: false,
      backupState: false,
      createdAt: now,
    });
    const account = aUserAccount({ userHandle: c.userHandle, identityUserId: c.identityUserId, username: c.identityUserId, displayName: c.identityUserId, createdAt: now });
    const outcome = await domain.credentials.add(record, account);
    if (outcome !== "added") throw new Error(`could not register ${c.credentialId}: ${outcome}`);
  }
}

// ---------------------------------------------------------------------------------------------
// Assertions
// ---------------------------------------------------------------------------------------------

/** One prepared sign-in: the browser's response and what the floors need, decoded beforehand. */
export interface PreparedAssertion {
  readonly credential: BenchCredential;
  readonly challenge: string;
  readonly counter: number;
  readonly response: AuthenticationResponseJSON;
  /** authenticatorData ‖ SHA-256(clientDataJSON): the signed bytes. */
  readonly signed: Uint8Array;
  /** As the authenticator produced it: DER for ES256. */
  readonly signature: Uint8Array;
}

function signAsync(algorithm: TestAlgorithm, key: KeyObject, data: Uint8Array): Promise<Uint8Array> {
  const digest = algorithm === "EdDSA" ? null : "sha256";
  return new Promise((resolve, reject) =>
    sign(digest, data, key, (error, signature) => (error ? reject(error) : resolve(new Uint8Array(signature)))),
  );
}

/**
 * For each credential in order: a live session started with `startForUser` (username-first, as the
 * Cognito custom-challenge flow does), then the authenticator's signed response to its challenge.
 * `counters` is this domain's view of each credential's signature counter; assertions must be
 * finished in the order they were prepared, so that counters only go up.
 */
export async function prepareAssertions(
  domain: BenchDomain,
  credentials: readonly BenchCredential[],
  counters: number[],
): Promise<PreparedAssertion[]> {
  const unsigned = [];
  for (let i = 0; i < credentials.length; i++) {
    const credential = credentials[i]!;
    const options = await domain.authentication.startForUser(credential.userHandle);
    const counter = (counters[i] = (counters[i] ?? 0) + 1);
    const clientDataJSON = new TextEncoder().encode(
      JSON.stringify({ type: "webauthn.get", challenge: options.challenge, origin: ORIGIN, crossOrigin: false }),
    );
    const authData = buildAuthenticatorData({
      rpId: options.rpId,
      flags: { up: true, uv: true, be: false, bs: false, at: false, ed: false },
      counter,
    });
    const signed = new Uint8Array(authData.length + 32);
    signed.set(authData, 0);
    signed.set(sha256(clientDataJSON), authData.length);
    unsigned.push({ credential, challenge: options.challenge, counter, clientDataJSON, authData, signed });
  }
  // Signing runs on libuv's thread pool: RSA-2048 signatures are ~1–2 ms each.
  const signatures = await Promise.all(unsigned.map((u) => signAsync(u.credential.algorithm, u.credential.privateKey, u.signed)));
  return unsigned.map((u, i) => ({
    credential: u.credential,
    challenge: u.challenge,
    counter: u.counter,
    signed: u.signed,
    signature: signatures[i]!,
    // Through JSON text and back, as a server receives it: the encoder above builds its strings by
    // concatenation (V8 cons-strings, flattened on first read), JSON.parse yields flat ones.
    response: viaJson({
      id: u.credential.credentialId,
      rawId: u.credential.credentialId,
      type: "public-key",
      response: {
        clientDataJSON: b64url(u.clientDataJSON),
        authenticatorData: b64url(u.authData),
        signature: b64url(signatures[i]!),
        userHandle: u.credential.userHandle,
      },
      authenticatorAttachment: "platform",
      clientExtensionResults: {},
    }),
  }));
}

const viaJson = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;
