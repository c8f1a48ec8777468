/**
 * A software WebAuthn authenticator (plus the browser's client-side part) for tests.
 *
 * It produces *real* registration and authentication responses: genuine key pairs, correctly
 * built authenticator data, CBOR attestation objects and signatures that verify. Every field
 * can be tampered with, so a test can make each individual verification check of the server
 * fail while everything else stays valid.
 *
 * This is test code, so it uses node:crypto freely; production code must not depend on it.
 *
 * Deliberate simplifications (it is a test double, not a CTAP2 implementation):
 * - `excludeCredentials` is not enforced: tests that want to see the *server* reject a
 *   duplicate must be able to send one.
 * - Creating a second credential for the same (rpId, user) does not evict the first one, and
 *   `allowCredentials` is not filtered by rpId, for the same reason.
 * - RSA-2048 keys come from a module-level pool shared by all authenticators (see `rsaPool`).
 */
import { createHash, generateKeyPairSync, randomBytes, sign } from "node:crypto";
import type { KeyObject } from "node:crypto";
import { decodeBase64urlIgnorePadding, encodeBase64urlNoPadding } from "@oslojs/encoding";
import type { TestCertificate } from "./certificates/index.js";
import { certifiedStatement, type CertifiedFormat } from "./attestation/statements.js";
import type {
  AuthenticationResponseJSON,
  PublicKeyCredentialCreationOptionsJSON,
  PublicKeyCredentialRequestOptionsJSON,
  RegistrationResponseJSON,
} from "../../src/domain/encoding/webauthn-json.js";

export type TestAlgorithm = "ES256" | "RS256" | "EdDSA";

export interface AuthenticatorFlags {
  up?: boolean;
  uv?: boolean;
  be?: boolean;
  bs?: boolean;
  at?: boolean;
  ed?: boolean;
}

export interface RegistrationTamper {
  /** Merged over {type:"webauthn.create", challenge, origin, crossOrigin:false}; a value of undefined deletes the field. */
  clientData?: Record<string, unknown>;
  /** Replaces the clientDataJSON bytes entirely (the attestation signature covers these bytes). */
  rawClientDataJSON?: Uint8Array;
  /** The rpIdHash is computed from this instead of options.rp.id. */
  rpId?: string;
  /** Overrides individual flag bits; unspecified bits keep their defaults. */
  flags?: AuthenticatorFlags;
  /** Signature counter in the registration authData (default 0); becomes the stored counter. */
  counter?: number;
  /** Use this credential id (e.g. 1024 bytes long, or one that is already registered). */
  credentialId?: Uint8Array;
  id?: string;
  rawId?: string;
  type?: string;
  /** Attestation fmt override, e.g. "fido-u2f" or "tpm" (which get a junk attStmt unless `attStmt` is given). */
  format?: string;
  /** Replaces the attestation statement entirely. */
  attStmt?: Record<string, unknown>;
  /** packed, fido-u2f, tpm, android-key: flip a bit in the attestation signature. */
  badAttestationSignature?: boolean;
  /** Clear the AT flag and omit the attested credential data. */
  omitAttestedCredentialData?: boolean;
  /** These bytes are put in authData as the credential public key (e.g. a P-384 key with alg -7). */
  coseKeyOverride?: Uint8Array;
  /** Raw extension CBOR appended to authData; sets the ED flag unless `flags.ed` says otherwise. */
  extensions?: Uint8Array;
  /** Replaces the authenticator data bytes entirely (the attestation signature covers these bytes). */
  rawAuthenticatorData?: Uint8Array;
}

export interface AssertionTamper {
  /** Merged over {type:"webauthn.get", challenge, origin, crossOrigin:false}; a value of undefined deletes the field. */
  clientData?: Record<string, unknown>;
  rawClientDataJSON?: Uint8Array;
  rpId?: string;
  flags?: AuthenticatorFlags;
  /** Use this counter value instead of the next one (does not change the stored state). */
  counter?: number;
  /** Overrides response.userHandle (base64url); null sends null; undefined keeps the default. */
  userHandle?: string | null;
  id?: string;
  rawId?: string;
  type?: string;
  /** Replaces the signature. */
  signature?: Uint8Array;
  /** Sign with a key unrelated to the credential. */
  signWithOtherKey?: boolean;
  /** Raw extension CBOR appended to authData; sets the ED flag unless `flags.ed` says otherwise. */
  extensions?: Uint8Array;
  /** Replaces the authenticator data bytes entirely (the signature covers these bytes). */
  rawAuthenticatorData?: Uint8Array;
}

export interface SoftwareAuthenticatorOptions {
  /** 16 bytes, default all zeros (what "none" attestation authenticators report). */
  aaguid?: Uint8Array;
  /** Sets the UV flag; default true. */
  userVerification?: boolean;
  /** BE flag; default false. */
  backupEligible?: boolean;
  /** BS flag; default false. */
  backupState?: boolean;
  /**
   * Default "none"; "packed" is self attestation (no x5c) signed with the credential key.
   * "packed-x5c", "fido-u2f", "tpm", "android-key" and "apple" are full attestation with certificates
   * from the test CA (test/support/attestation/statements.ts: trust anchor `attestationTrustAnchor()`,
   * valid 2020–2050). fido-u2f needs ES256 credentials; tpm ES256 or RS256. Each registration runs openssl
   * (android-key and apple certify the credential key itself, so they make a certificate per credential).
   */
  attestation?: AttestationMode;
  /** The x5c to send (leaf first; the leaf's key signs) instead of the test CA's conforming one. */
  attestationChain?: readonly TestCertificate[];
  /** Counter increment per assertion; 0 = always-zero counter (like iCloud Keychain passkeys); default 1. */
  counterStep?: number;
  /** Default ["internal"]. */
  transports?: string[];
}

/** What the authenticator attests with (see SoftwareAuthenticatorOptions.attestation). */
export type AttestationMode = "none" | "packed" | "packed-x5c" | "fido-u2f" | "tpm" | "android-key" | "apple";

/** The attestation statement format (`fmt`) each mode sends. */
export function formatOfAttestation(mode: AttestationMode): string {
  return mode === "packed-x5c" ? "packed" : mode;
}

export interface StoredCredentialInfo {
  id: string;
  userHandle: string;
  rpId: string;
  algorithm: TestAlgorithm;
  counter: number;
  publicKey: KeyObject;
}

interface StoredCredential {
  idBytes: Uint8Array;
  id: string;
  userHandle: string;
  rpId: string;
  algorithm: TestAlgorithm;
  counter: number;
  privateKey: KeyObject;
  publicKey: KeyObject;
}

// ---------------------------------------------------------------------------------------------
// Constants
// ---------------------------------------------------------------------------------------------

export const FLAG_UP = 0x01;
export const FLAG_UV = 0x04;
export const FLAG_BE = 0x08;
export const FLAG_BS = 0x10;
export const FLAG_AT = 0x40;
export const FLAG_ED = 0x80;

export const COSE_ALGORITHM: Readonly<Record<TestAlgorithm, number>> = { ES256: -7, RS256: -257, EdDSA: -8 };

const COSE_KTY_OKP = 1;
const COSE_KTY_EC2 = 2;
const COSE_KTY_RSA = 3;
export const COSE_CRV_P256 = 1;
export const COSE_CRV_P384 = 2;
export const COSE_CRV_ED25519 = 6;

// ---------------------------------------------------------------------------------------------
// Small byte helpers
// ---------------------------------------------------------------------------------------------

export function b64url(bytes: Uint8Array): string {
  return encodeBase64urlNoPadding(bytes);
}

export function fromB64url(encoded: string): Uint8Array {
  return decodeBase64urlIgnorePadding(encoded);
}

export function sha256(data: Uint8Array | string): Uint8Array {
  return new Uint8Array(createHash("sha256").update(data).digest());
}

export function concatBytes(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.byteLength, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.byteLength;
  }
  return out;
}

/**
 * Returns a copy of `signature` with one bit flipped. Byte 8 is chosen because it lies inside
 * r of a DER ECDSA signature (after the 30/len/02/len header), inside R of an Ed25519 signature
 * and anywhere in an RSA one: the result stays *parseable* but no longer verifies, so a test
 * exercises the verification check rather than a decoding error.
 */
export function flipBit(signature: Uint8Array): Uint8Array {
  const copy = new Uint8Array(signature);
  const index = Math.min(8, copy.length - 1);
  copy[index] = (copy[index] ?? 0) ^ 0x01;
  return copy;
}

/** Normalises a base64url credential id (tolerating padding) so ids compare as bytes. */
function normaliseId(id: string): string {
  return b64url(fromB64url(id));
}

function uint32BE(n: number): Uint8Array {
  const out = new Uint8Array(4);
  new DataView(out.buffer).setUint32(0, n >>> 0, false);
  return out;
}

function uint16BE(n: number): Uint8Array {
  const out = new Uint8Array(2);
  new DataView(out.buffer).setUint16(0, n, false);
  return out;
}

// ---------------------------------------------------------------------------------------------
// CBOR (RFC 8949) encoder
// ---------------------------------------------------------------------------------------------

/**
 * Minimal deterministic CBOR encoder covering what WebAuthn uses: unsigned and negative
 * integers (number or bigint), byte strings (Uint8Array), text strings, arrays, maps
 * (Map<number|string, …> or plain objects with string keys), booleans and null.
 *
 * Map entries are sorted in CTAP2 canonical order (shorter encoded key first, then bytewise),
 * which is what real authenticators emit: COSE keys come out as 1, 3, -1, -2, -3 and the
 * attestation object as fmt, attStmt, authData. Object properties whose value is undefined
 * are skipped (like JSON.stringify) so tamper objects can drop fields.
 */
export function encodeCbor(value: unknown): Uint8Array {
  const chunks: Uint8Array[] = [];
  writeCbor(value, chunks);
  return concatBytes(...chunks);
}

function cborHead(major: number, argument: number | bigint): Uint8Array {
  const n = BigInt(argument);
  if (n < 0n) throw new RangeError("CBOR head argument must be non-negative");
  const m = major << 5;
  if (n < 24n) return Uint8Array.of(m | Number(n));
  if (n < 0x100n) return Uint8Array.of(m | 24, Number(n));
  if (n < 0x10000n) return concatBytes(Uint8Array.of(m | 25), uint16BE(Number(n)));
  if (n < 0x100000000n) return concatBytes(Uint8Array.of(m | 26), uint32BE(Number(n)));
  if (n < 0x10000000000000000n) {
    const out = new Uint8Array(9);
    out[0] = m | 27;
    new DataView(out.buffer).setBigUint64(1, n, false);
    return out;
  }
  throw new RangeError("CBOR integer out of 64-bit range");
}

function writeCbor(value: unknown, out: Uint8Array[]): void {
  if (value === null) {
    out.push(Uint8Array.of(0xf6));
  } else if (value === true) {
    out.push(Uint8Array.of(0xf5));
  } else if (value === false) {
    out.push(Uint8Array.of(0xf4));
  } else if (typeof value === "number" || typeof value === "bigint") {
    if (typeof value === "number" && !Number.isSafeInteger(value)) {
      throw new TypeError(`encodeCbor supports only integers, got ${value}`);
    }
    const n = BigInt(value);
    // Negative integers are major type 1 with argument -1 - n.
    out.push(n >= 0n ? cborHead(0, n) : cborHead(1, -1n - n));
  } else if (typeof value === "string") {
    const bytes = new TextEncoder().encode(value);
    out.push(cborHead(3, bytes.byteLength), bytes);
  } else if (value instanceof Uint8Array) {
    out.push(cborHead(2, value.byteLength), new Uint8Array(value));
  } else if (Array.isArray(value)) {
    out.push(cborHead(4, value.length));
    for (const item of value) writeCbor(item, out);
  } else if (value instanceof Map) {
    writeCborMap([...value.entries()], out);
  } else if (typeof value === "object") {
    writeCborMap(
      Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined),
      out,
    );
  } else {
    throw new TypeError(`encodeCbor cannot encode ${typeof value}`);
  }
}

function writeCborMap(entries: [unknown, unknown][], out: Uint8Array[]): void {
  const encoded = entries.map(([k, v]) => ({ key: encodeCbor(k), value: encodeCbor(v) }));
  encoded.sort((a, b) => compareCanonical(a.key, b.key));
  out.push(cborHead(5, encoded.length));
  for (const { key, value } of encoded) out.push(key, value);
}

function compareCanonical(a: Uint8Array, b: Uint8Array): number {
  if (a.length !== b.length) return a.length - b.length;
  for (let i = 0; i < a.length; i++) {
    const d = (a[i] ?? 0) - (b[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

// ---------------------------------------------------------------------------------------------
// COSE keys
// ---------------------------------------------------------------------------------------------

/** COSE_Key for an EC2 public key. Any curve/alg pair, so tests can craft e.g. P-384 with alg -7. */
export function ec2CoseKey(curve: number, alg: number, x: Uint8Array, y: Uint8Array): Uint8Array {
  return encodeCbor(
    new Map<number, unknown>([
      [1, COSE_KTY_EC2],
      [3, alg],
      [-1, curve],
      [-2, x],
      [-3, y],
    ]),
  );
}

/** COSE_Key for an RSA public key (alg defaults to RS256), e.g. to craft a 1024-bit key. */
export function rsaCoseKey(n: Uint8Array, e: Uint8Array, alg: number = COSE_ALGORITHM.RS256): Uint8Array {
  return encodeCbor(
    new Map<number, unknown>([
      [1, COSE_KTY_RSA],
      [3, alg],
      [-1, n],
      [-2, e],
    ]),
  );
}

/** COSE_Key for an OKP public key (Ed25519 by default). */
export function okpCoseKey(x: Uint8Array, curve: number = COSE_CRV_ED25519, alg: number = COSE_ALGORITHM.EdDSA): Uint8Array {
  return encodeCbor(
    new Map<number, unknown>([
      [1, COSE_KTY_OKP],
      [3, alg],
      [-1, curve],
      [-2, x],
    ]),
  );
}

function jwkField(jwk: Record<string, unknown>, name: string): Uint8Array {
  const value = jwk[name];
  if (typeof value !== "string") throw new Error(`JWK has no '${name}'`);
  return fromB64url(value);
}

/** The COSE_Key encoding of a node:crypto public key for the given algorithm. */
export function coseKeyFor(algorithm: TestAlgorithm, publicKey: KeyObject): Uint8Array {
  const jwk = publicKey.export({ format: "jwk" }) as Record<string, unknown>;
  switch (algorithm) {
    case "ES256":
      return ec2CoseKey(COSE_CRV_P256, COSE_ALGORITHM.ES256, jwkField(jwk, "x"), jwkField(jwk, "y"));
    case "RS256":
      return rsaCoseKey(jwkField(jwk, "n"), jwkField(jwk, "e"));
    case "EdDSA":
      return okpCoseKey(jwkField(jwk, "x"));
  }
}

// ---------------------------------------------------------------------------------------------
// Keys and signatures
// ---------------------------------------------------------------------------------------------

export interface TestKeyPair {
  publicKey: KeyObject;
  privateKey: KeyObject;
}

/** A fresh key pair for the algorithm (RSA keys are 2048-bit; generating one takes ~100 ms). */
export function generateTestKeyPair(algorithm: TestAlgorithm): TestKeyPair {
  switch (algorithm) {
    case "ES256":
      return generateKeyPairSync("ec", { namedCurve: "prime256v1" });
    case "RS256":
      return generateKeyPairSync("rsa", { modulusLength: 2048 });
    case "EdDSA":
      return generateKeyPairSync("ed25519");
  }
}

/**
 * Pool of RSA-2048 key pairs shared by all authenticators in this module instance (one per
 * vitest worker), because generating one costs ~100 ms. Each authenticator walks the pool with
 * its own cursor, so one authenticator never hands out the same key for two credentials;
 * two *different* authenticators may, though, end up with equal RSA public keys.
 */
const rsaPool: TestKeyPair[] = [];

function rsaPoolKey(index: number): TestKeyPair {
  while (rsaPool.length <= index) rsaPool.push(generateTestKeyPair("RS256"));
  return rsaPool[index] as TestKeyPair;
}

/** Unrelated keys for `signWithOtherKey`. Never in `rsaPool`, so never a credential's key. */
const otherKeys = new Map<TestAlgorithm, TestKeyPair>();

function otherKeyFor(algorithm: TestAlgorithm): TestKeyPair {
  let pair = otherKeys.get(algorithm);
  if (pair === undefined) {
    pair = generateTestKeyPair(algorithm);
    otherKeys.set(algorithm, pair);
  }
  return pair;
}

/**
 * Signs as a WebAuthn authenticator does: ES256 → ECDSA P-256/SHA-256, DER-encoded (node's
 * default); RS256 → RSASSA-PKCS1-v1_5/SHA-256; EdDSA → Ed25519 (no pre-hash, hence `null`).
 */
export function signWith(algorithm: TestAlgorithm, privateKey: KeyObject, data: Uint8Array): Uint8Array {
  const digest = algorithm === "EdDSA" ? null : "sha256";
  return new Uint8Array(sign(digest, data, privateKey));
}

// ---------------------------------------------------------------------------------------------
// Authenticator data and client data
// ---------------------------------------------------------------------------------------------

function flagsByte(flags: Required<AuthenticatorFlags>): number {
  return (
    (flags.up ? FLAG_UP : 0) |
    (flags.uv ? FLAG_UV : 0) |
    (flags.be ? FLAG_BE : 0) |
    (flags.bs ? FLAG_BS : 0) |
    (flags.at ? FLAG_AT : 0) |
    (flags.ed ? FLAG_ED : 0)
  );
}

/** Builds rpIdHash | flags | signCount | attestedCredentialData? | extensions?. */
export function buildAuthenticatorData(args: {
  rpId: string;
  flags: Required<AuthenticatorFlags>;
  counter: number;
  attestedCredentialData?: Uint8Array;
  extensions?: Uint8Array;
}): Uint8Array {
  return concatBytes(
    sha256(args.rpId),
    Uint8Array.of(flagsByte(args.flags)),
    uint32BE(args.counter),
    args.attestedCredentialData ?? new Uint8Array(0),
    args.extensions ?? new Uint8Array(0),
  );
}

function buildClientDataJSON(base: Record<string, unknown>, overrides: Record<string, unknown> | undefined): Uint8Array {
  const merged: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(overrides ?? {})) {
    if (value === undefined) delete merged[key];
    else merged[key] = value;
  }
  return new TextEncoder().encode(JSON.stringify(merged));
}

// ---------------------------------------------------------------------------------------------
// The authenticator
// ---------------------------------------------------------------------------------------------

export class SoftwareAuthenticator {
  readonly aaguid: Uint8Array;
  readonly userVerification: boolean;
  readonly backupEligible: boolean;
  readonly backupState: boolean;
  readonly attestation: AttestationMode;
  readonly attestationChain: readonly TestCertificate[] | undefined;
  readonly counterStep: number;
  readonly transports: string[];

  // Creation order matters: allowCredentials picks the first match, discoverable the latest.
  readonly #credentials: StoredCredential[] = [];
  #rsaCursor = 0;

  constructor(options: SoftwareAuthenticatorOptions = {}) {
    const aaguid = options.aaguid ?? new Uint8Array(16);
    if (aaguid.byteLength !== 16) throw new RangeError("aaguid must be 16 bytes");
    this.aaguid = new Uint8Array(aaguid);
    this.userVerification = options.userVerification ?? true;
    this.backupEligible = options.backupEligible ?? false;
    this.backupState = options.backupState ?? false;
    this.attestation = options.attestation ?? "none";
    this.attestationChain = options.attestationChain;
    this.counterStep = options.counterStep ?? 1;
    this.transports = [...(options.transports ?? ["internal"])];
  }

  /** The flag bits an untampered response carries, with `overrides` applied bit by bit. */
  #flags(at: boolean, ed: boolean, overrides: AuthenticatorFlags | undefined): Required<AuthenticatorFlags> {
    const defaults: Required<AuthenticatorFlags> = {
      up: true,
      uv: this.userVerification,
      be: this.backupEligible,
      bs: this.backupState,
      at,
      ed,
    };
    const result = { ...defaults };
    for (const key of Object.keys(defaults) as (keyof AuthenticatorFlags)[]) {
      const value = overrides?.[key];
      if (value !== undefined) result[key] = value;
    }
    return result;
  }

  #newKeyPair(algorithm: TestAlgorithm): TestKeyPair {
    return algorithm === "RS256" ? rsaPoolKey(this.#rsaCursor++) : generateTestKeyPair(algorithm);
  }

  /**
   * Creates a resident credential for options.user.id under options.rp.id and returns the
   * registration response a browser would send. The credential is remembered (replacing any
   * stored credential with the same id, since ids are unique on an authenticator).
   */
  createCredential(
    options: PublicKeyCredentialCreationOptionsJSON,
    args: { origin: string; algorithm?: TestAlgorithm; tamper?: RegistrationTamper },
  ): RegistrationResponseJSON {
    const tamper = args.tamper ?? {};
    const algorithm = args.algorithm ?? "ES256";
    const keyPair = this.#newKeyPair(algorithm);
    const credentialId = new Uint8Array(tamper.credentialId ?? randomBytes(16));
    const counter = tamper.counter ?? 0;

    const clientDataJSON =
      tamper.rawClientDataJSON ??
      buildClientDataJSON(
        { type: "webauthn.create", challenge: options.challenge, origin: args.origin, crossOrigin: false },
        tamper.clientData,
      );

    const coseKey = tamper.coseKeyOverride ?? coseKeyFor(algorithm, keyPair.publicKey);
    const includeCredentialData = tamper.omitAttestedCredentialData !== true;
    const authData =
      tamper.rawAuthenticatorData ??
      buildAuthenticatorData({
        rpId: tamper.rpId ?? options.rp.id,
        flags: this.#flags(includeCredentialData, tamper.extensions !== undefined, tamper.flags),
        counter,
        attestedCredentialData: includeCredentialData
          ? concatBytes(this.aaguid, uint16BE(credentialId.byteLength), credentialId, coseKey)
          : undefined,
        extensions: tamper.extensions,
      });

    // The statement follows the *effective* format, so `format: "packed"` on a "none"
    // authenticator yields a real self attestation, and unknown formats get junk. A certified
    // mode (packed-x5c, fido-u2f, tpm, android-key, apple) makes a real statement from the test
    // CA unless `tamper.format` names another format.
    const ownFormat = formatOfAttestation(this.attestation);
    const format = tamper.format ?? ownFormat;
    let attStmt: Record<string, unknown>;
    if (tamper.attStmt !== undefined) {
      attStmt = tamper.attStmt;
    } else if (this.attestation !== "none" && this.attestation !== "packed" && format === ownFormat) {
      attStmt = certifiedStatement(format as CertifiedFormat, { authData, clientDataHash: sha256(clientDataJSON), credential: keyPair }, {
        badSignature: tamper.badAttestationSignature,
        ...(this.attestationChain === undefined ? {} : { chain: this.attestationChain }),
      });
    } else if (format === "none") {
      attStmt = {};
    } else if (format === "packed") {
      let sig = signWith(algorithm, keyPair.privateKey, concatBytes(authData, sha256(clientDataJSON)));
      if (tamper.badAttestationSignature === true) sig = flipBit(sig);
      attStmt = { alg: COSE_ALGORITHM[algorithm], sig };
    } else {
      attStmt = { alg: COSE_ALGORITHM[algorithm], sig: new Uint8Array(randomBytes(64)), x5c: [new Uint8Array(randomBytes(32))] };
    }
    const attestationObject = encodeCbor({ fmt: format, attStmt, authData });

    const id = b64url(credentialId);
    const stored: StoredCredential = {
      idBytes: credentialId,
      id,
      userHandle: options.user.id,
      rpId: options.rp.id,
      algorithm,
      counter,
      privateKey: keyPair.privateKey,
      publicKey: keyPair.publicKey,
    };
    const existing = this.#credentials.findIndex((c) => c.id === id);
    if (existing >= 0) this.#credentials.splice(existing, 1);
    this.#credentials.push(stored);

    const response: RegistrationResponseJSON["response"] = {
      clientDataJSON: b64url(clientDataJSON),
      attestationObject: b64url(attestationObject),
      authenticatorData: b64url(authData),
      transports: [...this.transports],
      publicKeyAlgorithm: COSE_ALGORITHM[algorithm],
    };
    // getPublicKey() is SPKI of the real key; with an overridden COSE key there is no honest
    // value to report, so leave it out rather than contradict authData.
    if (tamper.coseKeyOverride === undefined) {
      response.publicKey = b64url(new Uint8Array(keyPair.publicKey.export({ format: "der", type: "spki" })));
    }

    return {
      id: tamper.id ?? id,
      rawId: tamper.rawId ?? id,
      type: (tamper.type ?? "public-key") as "public-key",
      response,
      authenticatorAttachment: "platform",
      clientExtensionResults: { credProps: { rk: true } },
    };
  }

  #selectCredential(options: PublicKeyCredentialRequestOptionsJSON, credentialId: string | undefined): StoredCredential {
    if (credentialId !== undefined) {
      const wanted = normaliseId(credentialId);
      const found = this.#credentials.find((c) => c.id === wanted);
      if (found === undefined) throw new Error(`SoftwareAuthenticator: no credential ${credentialId}`);
      return found;
    }
    if (options.allowCredentials.length > 0) {
      const allowed = new Set(options.allowCredentials.map((d) => normaliseId(d.id)));
      const found = this.#credentials.find((c) => allowed.has(c.id));
      if (found === undefined) throw new Error("SoftwareAuthenticator: none of allowCredentials is on this authenticator");
      return found;
    }
    // Most recent first (no Array#findLast: the project's lib is ES2022).
    const found = [...this.#credentials].reverse().find((c) => c.rpId === options.rpId);
    if (found === undefined) throw new Error(`SoftwareAuthenticator: no discoverable credential for ${options.rpId}`);
    return found;
  }

  /**
   * Signs an assertion with the credential picked by args.credentialId, else the first
   * remembered credential listed in allowCredentials, else (discoverable) the most recently
   * created credential for options.rpId. Advances the stored counter by counterStep unless
   * tamper.counter is given.
   */
  getAssertion(
    options: PublicKeyCredentialRequestOptionsJSON,
    args: { origin: string; credentialId?: string; tamper?: AssertionTamper },
  ): AuthenticationResponseJSON {
    const tamper = args.tamper ?? {};
    const credential = this.#selectCredential(options, args.credentialId);

    let counter: number;
    if (tamper.counter !== undefined) {
      counter = tamper.counter;
    } else {
      credential.counter += this.counterStep;
      counter = credential.counter;
    }

    const clientDataJSON =
      tamper.rawClientDataJSON ??
      buildClientDataJSON(
        { type: "webauthn.get", challenge: options.challenge, origin: args.origin, crossOrigin: false },
        tamper.clientData,
      );

    const authData =
      tamper.rawAuthenticatorData ??
      buildAuthenticatorData({
        rpId: tamper.rpId ?? options.rpId,
        flags: this.#flags(false, tamper.extensions !== undefined, tamper.flags),
        counter,
        extensions: tamper.extensions,
      });

    const signingKey = tamper.signWithOtherKey === true ? otherKeyFor(credential.algorithm).privateKey : credential.privateKey;
    const signature =
      tamper.signature ?? signWith(credential.algorithm, signingKey, concatBytes(authData, sha256(clientDataJSON)));

    return {
      id: tamper.id ?? credential.id,
      rawId: tamper.rawId ?? credential.id,
      type: (tamper.type ?? "public-key") as "public-key",
      response: {
        clientDataJSON: b64url(clientDataJSON),
        authenticatorData: b64url(authData),
        signature: b64url(signature),
        userHandle: tamper.userHandle !== undefined ? tamper.userHandle : credential.userHandle,
      },
      authenticatorAttachment: "platform",
      clientExtensionResults: {},
    };
  }

  /** A snapshot of the remembered credentials, in creation order. */
  credentials(): ReadonlyArray<StoredCredentialInfo> {
    return this.#credentials.map((c) => ({
      id: c.id,
      userHandle: c.userHandle,
      rpId: c.rpId,
      algorithm: c.algorithm,
      counter: c.counter,
      publicKey: c.publicKey,
    }));
  }
}
